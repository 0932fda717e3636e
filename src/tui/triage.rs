//! Triage in the reader, the part of the app's state it owns: marks (read, starred, tags) as
//! loaded and as changed in this session, the new issues, the view filter, undo and when the article on screen was opened. The actions that change them are in
//! `app_triage` (they also move the selection); changes go to the event loop as [`Effect`]s.

use crate::state::Marks;
use std::collections::BTreeSet;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// An article counts as read after this long on screen, or when scrolled to its end.
pub const READ_AFTER: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    All,
    Unread,
    Starred,
    Tag(String),
}

impl View {
    pub fn keeps(&self, m: Option<&Marks>) -> bool {
        match self {
            View::All => true,
            View::Unread => !m.is_some_and(|m| m.read),
            View::Starred => m.is_some_and(|m| m.starred),
            View::Tag(t) => m.is_some_and(|m| m.tags.contains(t)),
        }
    }
    /// The view a [`View::name`] names.
    pub fn from_name(s: &str) -> Option<View> {
        Some(match s {
            "all" => View::All,
            "unread" => View::Unread,
            "starred" => View::Starred,
            t => View::Tag(t.strip_prefix('#')?.to_string()),
        })
    }

    pub fn name(&self) -> String {
        match self {
            View::All => "all".into(),
            View::Unread => "unread".into(),
            View::Starred => "starred".into(),
            View::Tag(t) => format!("#{t}"),
        }
    }
}

/// A change for the reader state database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Read(String, bool),
    Star(String, bool),
    Tags(String, BTreeSet<String>),
    ReadMany(Vec<String>, bool),
    Position(String, u32),
}

/// The triage state the app owns.
#[derive(Debug, Default)]
pub struct Triage {
    /// Reader state, as loaded and as changed in this session.
    marks: HashMap<String, Marks>,
    /// Bumped at every change of `marks` (what is drawn from them may be kept until then).
    version: u64,
    /// Ids of the issues that appeared since the previous session.
    pub new_issues: HashSet<String>,
    pub view: View,
    /// Marks before each change, for `u`.
    pub undo: Vec<Vec<(String, Marks)>>,
    /// The article shown in the reader and since when (for marking it read).
    pub opened: Option<(String, Instant)>,
}

impl Triage {
    pub fn is_read(&self, id: &str) -> bool {
        self.marks.get(id).is_some_and(|m| m.read)
    }

    pub fn marks(&self) -> &HashMap<String, Marks> {
        &self.marks
    }

    /// The marks, to change them (counted as a change).
    pub fn marks_mut(&mut self) -> &mut HashMap<String, Marks> {
        self.version += 1;
        &mut self.marks
    }

    pub fn set_marks(&mut self, marks: HashMap<String, Marks>) {
        self.version += 1;
        self.marks = marks;
    }

    /// Changes when the marks may have changed.
    pub fn version(&self) -> u64 {
        self.version
    }
}
