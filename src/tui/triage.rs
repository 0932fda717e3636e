//! Triage in the reader: marks (read, starred, tags) changed in memory at once and handed to
//! the event loop as [`Effect`]s to store; undo; views; the next unread article; marking read.

use super::app::{Action, App, Pane, Reader};
use crate::model::Kind;
use crate::state::Marks;
use std::collections::BTreeSet;
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

#[derive(Debug, Clone, Default)]
pub struct TagEdit {
    pub id: String,
    pub input: Vec<char>,
}

impl App {
    pub fn is_read(&self, id: &str) -> bool {
        self.marks.get(id).is_some_and(|m| m.read)
    }

    /// Unread articles of an issue.
    pub fn unread_count(&self, issue: usize) -> usize {
        self.issues.get(issue).map_or(0, |iv| {
            iv.issue
                .records
                .iter()
                .filter(|r| r.kind == Kind::Article && !self.is_read(&r.id))
                .count()
        })
    }

    fn remember(&mut self, ids: &[String]) {
        let prev: Vec<(String, Marks)> = ids
            .iter()
            .map(|id| (id.clone(), self.marks.get(id).cloned().unwrap_or_default()))
            .collect();
        self.undo.push(prev);
        if self.undo.len() > 200 {
            self.undo.remove(0);
        }
    }

    fn set_read(&mut self, id: &str, read: bool) {
        self.marks.entry(id.to_string()).or_default().read = read;
        self.effects.push(Effect::Read(id.to_string(), read));
    }

    pub(crate) fn apply_triage(&mut self, a: Action) {
        let current = self.current_record().map(|r| r.id.clone());
        match a {
            Action::ToggleRead => {
                let Some(id) = current else {
                    return self.no_article();
                };
                self.remember(std::slice::from_ref(&id));
                let r = !self.is_read(&id);
                self.set_read(&id, r);
                self.message = if r {
                    "marked read".into()
                } else {
                    "marked unread".into()
                };
            }
            Action::ToggleStar => {
                let Some(id) = current else {
                    return self.no_article();
                };
                self.remember(std::slice::from_ref(&id));
                let m = self.marks.entry(id.clone()).or_default();
                m.starred = !m.starred;
                let s = m.starred;
                self.effects.push(Effect::Star(id, s));
                self.message = if s {
                    "starred ★".into()
                } else {
                    "unstarred".into()
                };
            }
            Action::MarkIssueRead => {
                let Some(iv) = self.current_issue() else {
                    return;
                };
                let ids: Vec<String> = iv
                    .issue
                    .records
                    .iter()
                    .filter(|r| r.kind == Kind::Article)
                    .map(|r| r.id.clone())
                    .filter(|id| !self.is_read(id))
                    .collect();
                if ids.is_empty() {
                    self.message = "this issue has no unread articles".into();
                    return;
                }
                self.remember(&ids);
                for id in &ids {
                    self.marks.entry(id.clone()).or_default().read = true;
                }
                self.message = format!("{} articles marked read (u undoes)", ids.len());
                self.effects.push(Effect::ReadMany(ids, true));
            }
            Action::Undo => {
                let Some(prev) = self.undo.pop() else {
                    self.message = "nothing to undo".into();
                    return;
                };
                for (id, m) in prev {
                    let now = self.marks.get(&id).cloned().unwrap_or_default();
                    if now.read != m.read {
                        self.effects.push(Effect::Read(id.clone(), m.read));
                    }
                    if now.starred != m.starred {
                        self.effects.push(Effect::Star(id.clone(), m.starred));
                    }
                    if now.tags != m.tags {
                        self.effects.push(Effect::Tags(id.clone(), m.tags.clone()));
                    }
                    self.marks.insert(id, m);
                }
                self.message = "undone".into();
            }
            Action::NextUnread => self.next_unread(),
            Action::CycleView => {
                let tags: BTreeSet<String> = self
                    .marks
                    .values()
                    .flat_map(|m| m.tags.iter().cloned())
                    .collect();
                self.view = match &self.view {
                    View::All => View::Unread,
                    View::Unread => View::Starred,
                    View::Starred => tags
                        .iter()
                        .next()
                        .map(|t| View::Tag(t.clone()))
                        .unwrap_or(View::All),
                    View::Tag(t) => tags
                        .range::<String, _>((
                            std::ops::Bound::Excluded(t.clone()),
                            std::ops::Bound::Unbounded,
                        ))
                        .next()
                        .map(|t| View::Tag(t.clone()))
                        .unwrap_or(View::All),
                };
                self.article_sel = 0;
                if self.focus == Pane::Reader {
                    self.focus = Pane::Articles;
                }
                self.message = format!("view: {}", self.view.name());
            }
            Action::EditTags => {
                let Some(id) = current else {
                    return self.no_article();
                };
                let tags = self
                    .marks
                    .get(&id)
                    .map(|m| m.tags.iter().cloned().collect::<Vec<_>>().join(" "))
                    .unwrap_or_default();
                self.tag_edit = Some(TagEdit {
                    id,
                    input: tags.chars().collect(),
                });
            }
            Action::TagInput(c) => {
                if let Some(t) = self.tag_edit.as_mut() {
                    if !c.is_control() {
                        t.input.push(c);
                    }
                }
            }
            Action::TagBackspace => {
                if let Some(t) = self.tag_edit.as_mut() {
                    t.input.pop();
                }
            }
            Action::TagCancel => self.tag_edit = None,
            Action::TagSubmit => {
                let Some(t) = self.tag_edit.take() else {
                    return;
                };
                let text: String = t.input.iter().collect();
                let mut tags = BTreeSet::new();
                for w in text.split(|c: char| c.is_whitespace() || c == ',' || c == '，') {
                    if w.is_empty() {
                        continue;
                    }
                    match crate::state::valid_tag(w) {
                        Ok(w) => {
                            tags.insert(w);
                        }
                        Err(e) => {
                            self.message = e;
                            self.tag_edit = Some(t);
                            return;
                        }
                    }
                }
                self.remember(std::slice::from_ref(&t.id));
                self.marks.entry(t.id.clone()).or_default().tags = tags.clone();
                self.message = if tags.is_empty() {
                    "tags removed".into()
                } else {
                    format!(
                        "tags: {}",
                        tags.iter().cloned().collect::<Vec<_>>().join(" ")
                    )
                };
                self.effects.push(Effect::Tags(t.id, tags));
            }
            _ => {}
        }
    }

    fn no_article(&mut self) {
        self.message = "select an article first".into();
    }

    /// The next unread article after the current one, across issues (in list order).
    fn next_unread(&mut self) {
        let start_issue = self.issue_sel;
        let start_art = if self.focus == Pane::Issues {
            None
        } else {
            Some(self.article_sel)
        };
        let n = self.issues.len();
        for step in 0..=n {
            let ii = (start_issue + step) % n.max(1);
            let arts: Vec<String> = self.issues[ii]
                .issue
                .records
                .iter()
                .filter(|r| r.kind == Kind::Article)
                .map(|r| r.id.clone())
                .collect();
            let from = if step == 0 {
                start_art.map_or(0, |a| a + 1)
            } else {
                0
            };
            if let Some(id) = arts.iter().skip(from).find(|id| !self.is_read(id)).cloned() {
                self.issue_sel = ii;
                self.view = View::All;
                self.article_sel = self
                    .list_records()
                    .iter()
                    .position(|r| r.id == id)
                    .unwrap_or(0);
                self.focus = Pane::Reader;
                self.reader = Reader::default();
                return;
            }
            if n == 0 {
                break;
            }
        }
        self.message = "no unread articles left".into();
    }

    /// Time passes: an article on screen long enough, or scrolled to its end, becomes read.
    pub fn tick(&mut self, now: Instant) {
        if self.focus != Pane::Reader || self.search.is_some() {
            self.opened = None;
            return;
        }
        let Some(id) = self.current_record().map(|r| r.id.clone()) else {
            return;
        };
        match &self.opened {
            Some((o, _)) if *o == id => {}
            _ => {
                self.opened = Some((id.clone(), now));
                return;
            }
        }
        let since = self.opened.as_ref().map(|o| o.1).unwrap_or(now);
        let at_end = self.reader.total_lines > 0
            && self.reader.scroll + self.reader.height >= self.reader.total_lines;
        let long_enough = now.duration_since(since) >= READ_AFTER;
        if (long_enough || (at_end && self.reader.total_lines > self.reader.height))
            && !self.is_read(&id)
        {
            // an explicit "mark unread" is respected: only articles never marked become read
            if !self.marks.contains_key(&id) || !self.undo.iter().flatten().any(|(u, _)| *u == id) {
                self.set_read(&id, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Issue, IssueMeta, Record};

    fn rec(id: &str, issue: &str) -> Record {
        Record {
            id: id.into(),
            issue: issue.into(),
            source: format!("{issue}.txt"),
            seq: 1,
            kind: Kind::Article,
            section: String::new(),
            kicker: String::new(),
            title: format!("标题{id}"),
            subtitle: String::new(),
            byline: String::new(),
            dateline: String::new(),
            paragraphs: vec!["正文。".into()],
            date: String::new(),
        }
    }

    fn app() -> App {
        let issues = vec![
            Issue {
                meta: IssueMeta {
                    id: "i1".into(),
                    source: "a.txt".into(),
                    date: "2024-01-02".into(),
                    ..Default::default()
                },
                records: vec![rec("a1", "i1"), rec("a2", "i1")],
            },
            Issue {
                meta: IssueMeta {
                    id: "i2".into(),
                    source: "b.txt".into(),
                    date: "2024-01-01".into(),
                    ..Default::default()
                },
                records: vec![rec("b1", "i2")],
            },
        ];
        let mut a = App::new(issues, Default::default(), "t".into());
        a.apply(Action::Resize(80, 24));
        a
    }

    #[test]
    fn marks_undo_and_effects() {
        let mut a = app();
        a.apply(Action::Open);
        a.apply(Action::ToggleRead);
        assert!(a.is_read("a1"));
        a.apply(Action::ToggleStar);
        assert!(a.marks["a1"].starred);
        assert_eq!(
            a.effects,
            vec![
                Effect::Read("a1".into(), true),
                Effect::Star("a1".into(), true)
            ]
        );
        a.effects.clear();
        a.apply(Action::Undo);
        assert!(!a.marks["a1"].starred && a.is_read("a1"));
        a.apply(Action::Undo);
        assert!(!a.is_read("a1"));
        assert_eq!(
            a.effects,
            vec![
                Effect::Star("a1".into(), false),
                Effect::Read("a1".into(), false)
            ]
        );
        a.apply(Action::Undo);
        assert_eq!(a.message, "nothing to undo");
    }

    #[test]
    fn issue_read_and_next_unread_and_views() {
        let mut a = app();
        assert_eq!(a.unread_count(0), 2);
        a.apply(Action::MarkIssueRead);
        assert_eq!(a.unread_count(0), 0);
        a.apply(Action::NextUnread);
        assert_eq!(a.current_record().unwrap().id, "b1");
        assert_eq!(a.focus, Pane::Reader);
        a.apply(Action::NextUnread);
        assert_eq!(
            a.current_record().unwrap().id,
            "b1",
            "b1 is the only unread one"
        );
        a.apply(Action::ToggleRead);
        a.apply(Action::NextUnread);
        assert!(a.message.contains("no unread"));
        // views
        a.apply(Action::Undo); // b1 unread again
        a.apply(Action::Undo); // issue 1 unread again
        assert_eq!(a.unread_count(0), 2);
        assert_eq!(a.current_record().unwrap().id, "b1");
        a.apply(Action::ToggleStar); // star b1
        a.apply(Action::CycleView);
        assert_eq!(a.view, View::Unread);
        a.apply(Action::CycleView);
        assert_eq!(a.view, View::Starred);
        a.issue_sel = 1;
        assert_eq!(a.list_records().len(), 1);
        a.issue_sel = 0;
        assert_eq!(a.list_records().len(), 0);
        a.apply(Action::CycleView);
        assert_eq!(a.view, View::All, "no tags yet");
    }

    #[test]
    fn reading_position_is_kept() {
        let mut a = app();
        a.apply(Action::Open);
        a.apply(Action::Open);
        a.reader.total_lines = 100;
        a.reader.height = 10;
        a.apply(Action::ScrollDown(7));
        a.apply(Action::Back);
        assert_eq!(a.effects.last(), Some(&Effect::Position("a1".into(), 7)));
        a.apply(Action::Open);
        assert_eq!(a.reader.scroll, 7, "reopened where it stopped");
    }

    #[test]
    fn tags_edit() {
        let mut a = app();
        a.apply(Action::Open);
        a.apply(Action::EditTags);
        for c in "劳动 民生".chars() {
            a.apply(Action::TagInput(c));
        }
        a.apply(Action::TagSubmit);
        assert_eq!(a.marks["a1"].tags.len(), 2);
        a.apply(Action::CycleView);
        a.apply(Action::CycleView);
        a.apply(Action::CycleView);
        assert_eq!(a.view, View::Tag("劳动".into()));
        a.apply(Action::CycleView);
        assert_eq!(a.view, View::Tag("民生".into()));
    }

    #[test]
    fn reading_marks_read_after_a_moment() {
        let mut a = app();
        a.apply(Action::Open);
        a.apply(Action::Open);
        let t0 = Instant::now();
        a.tick(t0);
        assert!(!a.is_read("a1"));
        a.tick(t0 + Duration::from_secs(1));
        assert!(!a.is_read("a1"));
        a.tick(t0 + READ_AFTER);
        assert!(a.is_read("a1"));
        // explicitly marked unread stays unread
        a.apply(Action::ToggleRead);
        a.tick(t0 + READ_AFTER * 3);
        assert!(!a.is_read("a1"));
    }
}
