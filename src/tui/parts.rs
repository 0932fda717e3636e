//! Plain parts of the app's state that the files acting on them share: the status-line prompt
//! and the folders listed above the issues. Data only; what changes them is in `prompt.rs` and
//! `app_search.rs`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// Tags of the article with this id.
    Tags(String),
    /// A date (or its start: `2024`, `2024-05`) to jump to in the issue list.
    Date,
    /// The issue filter; holds the filter before, which Esc restores.
    Filter(String),
    /// A shell command to pipe the article with this id to.
    Pipe(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Vec<char>,
}

impl Prompt {
    /// What the status line shows before the input.
    pub fn label(&self) -> &'static str {
        match self.kind {
            PromptKind::Tags(_) => "tags: ",
            PromptKind::Date => "go to date: ",
            PromptKind::Filter(_) => "filter issues: ",
            PromptKind::Pipe(_) => "pipe to: ",
        }
    }

    pub fn text(&self) -> String {
        self.input.iter().collect()
    }
}

/// An entry above the issues: an archive-wide view that is a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// What the list shows: `★ starred`, `#tag`, `/ saved query`.
    pub label: String,
    pub query: String,
    /// Articles in it, when known without a search.
    pub count: Option<usize>,
    /// A saved search (D deletes it).
    pub saved: bool,
}
