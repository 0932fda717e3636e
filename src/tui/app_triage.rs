//! What triage actions do to the app: marks, undo, views, the next unread article, the tag
//! editor, and marking an article read after a moment. The state lives in
//! [`super::triage::Triage`]; changes for the reader state go out as [`Command::Save`].

use super::action::*;
use super::app::{App, Command, Pane, Reader};
use super::triage::{Effect, View, READ_AFTER};
use crate::model::Kind;
use crate::state::Marks;
use std::collections::BTreeSet;
use std::time::Instant;

impl App {
    pub fn is_read(&self, id: &str) -> bool {
        self.triage.marks().get(id).is_some_and(|m| m.read)
    }

    /// Unread articles of an issue.
    pub fn unread_count(&self, issue: usize) -> usize {
        self.issues.get(issue).map_or(0, |iv| {
            if self.triage.marks().is_empty() {
                return iv.n_articles;
            }
            iv.article_ids().filter(|id| !self.is_read(id)).count()
        })
    }

    pub(crate) fn remember(&mut self, ids: &[String]) {
        let prev: Vec<(String, Marks)> = ids
            .iter()
            .map(|id| {
                (
                    id.clone(),
                    self.triage.marks().get(id).cloned().unwrap_or_default(),
                )
            })
            .collect();
        self.triage.undo.push(prev);
        if self.triage.undo.len() > 200 {
            self.triage.undo.remove(0);
        }
    }

    fn set_read(&mut self, id: &str, read: bool) {
        self.triage
            .marks_mut()
            .entry(id.to_string())
            .or_default()
            .read = read;
        self.emit_save(Effect::Read(id.to_string(), read));
    }

    pub(crate) fn apply_triage(&mut self, a: TriageAction) {
        // the article meant: the hit selected in a list of results, or the article selected in
        // the article list or read; never the first article of the issue selected
        let current = match self.selected_hit_id() {
            Some(id) => Some(id),
            None if self.focus == Pane::Issues => None,
            None => self.current_record().map(|r| r.id.clone()),
        };
        match a {
            TriageAction::ToggleRead => {
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
            TriageAction::ToggleStar => {
                let Some(id) = current else {
                    return self.no_article();
                };
                self.remember(std::slice::from_ref(&id));
                let m = self.triage.marks_mut().entry(id.clone()).or_default();
                m.starred = !m.starred;
                let s = m.starred;
                self.emit_save(Effect::Star(id, s));
                self.message = if s {
                    "starred ★".into()
                } else {
                    "unstarred".into()
                };
            }
            TriageAction::MarkIssueRead => {
                if self.current_issue().is_none() {
                    return;
                }
                let ids: Vec<String> = self
                    .records(self.issue_sel)
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
                    self.triage.marks_mut().entry(id.clone()).or_default().read = true;
                }
                self.message = format!(
                    "{} marked read (u undoes)",
                    crate::text::count(ids.len(), "article", "articles")
                );
                self.emit_save(Effect::ReadMany(ids, true));
            }
            TriageAction::Undo => {
                let Some(prev) = self.triage.undo.pop() else {
                    self.message = "nothing to undo".into();
                    return;
                };
                let said = self.describe_undo(&prev);
                for (id, m) in prev {
                    let now = self.triage.marks().get(&id).cloned().unwrap_or_default();
                    if now.read != m.read {
                        self.emit_save(Effect::Read(id.clone(), m.read));
                    }
                    if now.starred != m.starred {
                        self.emit_save(Effect::Star(id.clone(), m.starred));
                    }
                    if now.tags != m.tags {
                        self.emit_save(Effect::Tags(id.clone(), m.tags.clone()));
                    }
                    self.triage.marks_mut().insert(id, m);
                }
                self.message = said;
            }
            TriageAction::NextUnread => self.step_unread(1),
            TriageAction::PrevUnread => self.step_unread(-1),
            TriageAction::ToggleHideRead => {
                self.hide_read = !self.hide_read;
                let (vis, moved) = self.keep_shown_issue();
                if moved && self.focus == Pane::Reader {
                    self.focus = Pane::Issues;
                }
                self.message = if self.hide_read {
                    format!(
                        "showing {} with unread articles (H shows all)",
                        crate::text::count(vis.len(), "issue", "issues")
                    )
                } else {
                    "showing every issue".into()
                };
            }
            TriageAction::CycleView => {
                let tags: BTreeSet<String> = self
                    .triage
                    .marks()
                    .values()
                    .flat_map(|m| m.tags.iter().cloned())
                    .collect();
                self.triage.view = match &self.triage.view {
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
                self.message = format!("view: {}", self.triage.view.name());
            }
            TriageAction::EditTags => {
                let Some(id) = current else {
                    return self.no_article();
                };
                let tags = self
                    .triage
                    .marks()
                    .get(&id)
                    .map(|m| m.tags.iter().cloned().collect::<Vec<_>>().join(" "))
                    .unwrap_or_default();
                self.start_prompt(super::prompt::PromptKind::Tags(id), &tags);
            }
        }
    }

    fn no_article(&mut self) {
        self.message = if self.focus == Pane::Issues {
            "select an article first (Enter opens the issue)".into()
        } else {
            "select an article first".into()
        };
    }

    /// The next (`d` = 1) or previous (-1) unread article from the current one, across issues
    /// in list order, wrapping around.
    fn step_unread(&mut self, d: isize) {
        let n = self.issues.len();
        if n == 0 {
            self.message = "no unread articles left".into();
            return;
        }
        let here = if self.focus == Pane::Issues {
            None
        } else {
            self.current_record().map(|r| r.id.clone())
        };
        for step in 0..=n {
            let ii = (self.issue_sel as isize + d * step as isize).rem_euclid(n as isize) as usize;
            // the catalog's article ids: no issue is read until one has an unread article
            let mut arts: Vec<&str> = self.issues[ii].article_ids().collect();
            if d < 0 {
                arts.reverse();
            }
            // in the current issue: only what comes after (before) the current article
            let from = match (&here, step) {
                (Some(id), 0) => arts.iter().position(|a| a == id).map_or(0, |p| p + 1),
                (None, 0) if d < 0 => arts.len(),
                _ => 0,
            };
            if let Some(id) = arts
                .iter()
                .skip(from)
                .find(|id| !self.is_read(id))
                .map(|s| s.to_string())
            {
                self.save_position();
                self.issue_sel = ii;
                self.folder_sel = None;
                self.parked = None;
                if !self.list_records().iter().any(|r| r.id == id) {
                    self.triage.view = View::All;
                }
                self.article_sel = self
                    .list_records()
                    .iter()
                    .position(|r| r.id == id)
                    .unwrap_or(0);
                self.focus = Pane::Reader;
                self.reader = Reader::default();
                return;
            }
        }
        self.message = "no unread articles left".into();
    }

    /// What undoing `prev` (marks before a change) does, in words: "undid: starred 「…」".
    fn describe_undo(&self, prev: &[(String, Marks)]) -> String {
        let title = |id: &str| {
            self.record(id)
                .map(|r| format!("「{}」", r.display_title()))
                .unwrap_or_else(|| id.to_string())
        };
        let now = |id: &str| self.triage.marks().get(id).cloned().unwrap_or_default();
        if let [(id, before)] = prev {
            let after = now(id);
            let what = if before.starred != after.starred {
                if after.starred {
                    "starring"
                } else {
                    "unstarring"
                }
                .to_string()
            } else if before.read != after.read {
                format!("marking {}", if after.read { "read" } else { "unread" })
            } else if before.tags != after.tags {
                "the tag change".into()
            } else {
                "nothing (already as before)".into()
            };
            return format!("undid {what} of {}", title(id));
        }
        let read = prev.iter().filter(|(id, m)| m.read != now(id).read).count();
        format!(
            "undid marking {} read",
            crate::text::count(read.max(prev.len()), "article", "articles")
        )
    }

    /// Time passes: an article on screen long enough, or scrolled to its end, becomes read.
    /// Time passes: an article on screen long enough, or scrolled to its end, becomes read.
    /// Returns what the event loop must do (store the read mark).
    pub fn tick(&mut self, now: Instant) -> Vec<Command> {
        self.tick_inner(now);
        std::mem::take(self.out_mut())
    }

    fn tick_inner(&mut self, now: Instant) {
        if self.focus != Pane::Reader || self.search.is_some() {
            self.triage.opened = None;
            return;
        }
        let Some(id) = self.current_record().map(|r| r.id.clone()) else {
            return;
        };
        match &self.triage.opened {
            Some((o, _)) if *o == id => {}
            _ => {
                self.triage.opened = Some((id.clone(), now));
                return;
            }
        }
        let since = self.triage.opened.as_ref().map(|o| o.1).unwrap_or(now);
        let at_end = self.reader.total_lines > 0
            && self.reader.scroll + self.reader.height >= self.reader.total_lines;
        let long_enough = now.duration_since(since) >= READ_AFTER;
        if (long_enough || (at_end && self.reader.total_lines > self.reader.height))
            && !self.is_read(&id)
        {
            // an explicit "mark unread" is respected: only articles never marked become read
            if !self.triage.marks().contains_key(&id)
                || !self.triage.undo.iter().flatten().any(|(u, _)| *u == id)
            {
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
        a.apply(Action::App(AppAction::Resize(80, 24)));
        a
    }

    #[test]
    fn marks_undo_and_effects() {
        let mut a = app();
        assert!(
            a.apply(Action::Go(Go::Open)).is_empty(),
            "opening an issue stores nothing"
        );
        let mut cmds = a.apply(Action::Triage(TriageAction::ToggleRead));
        assert!(a.is_read("a1"));
        cmds.extend(a.apply(Action::Triage(TriageAction::ToggleStar)));
        assert!(a.triage.marks()["a1"].starred);
        assert_eq!(
            cmds,
            vec![
                Command::Save(Effect::Read("a1".into(), true)),
                Command::Save(Effect::Star("a1".into(), true))
            ]
        );
        let mut cmds = a.apply(Action::Triage(TriageAction::Undo));
        assert!(!a.triage.marks()["a1"].starred && a.is_read("a1"));
        cmds.extend(a.apply(Action::Triage(TriageAction::Undo)));
        assert!(!a.is_read("a1"));
        assert_eq!(
            cmds,
            vec![
                Command::Save(Effect::Star("a1".into(), false)),
                Command::Save(Effect::Read("a1".into(), false))
            ]
        );
        assert!(a.apply(Action::Triage(TriageAction::Undo)).is_empty());
        assert_eq!(a.message, "nothing to undo");
    }

    #[test]
    fn issue_read_and_next_unread_and_views() {
        let mut a = app();
        assert_eq!(a.unread_count(0), 2);
        a.apply(Action::Triage(TriageAction::MarkIssueRead));
        assert_eq!(a.unread_count(0), 0);
        a.apply(Action::Triage(TriageAction::NextUnread));
        assert_eq!(a.current_record().unwrap().id, "b1");
        assert_eq!(a.focus, Pane::Reader);
        a.apply(Action::Triage(TriageAction::NextUnread));
        assert_eq!(
            a.current_record().unwrap().id,
            "b1",
            "b1 is the only unread one"
        );
        a.apply(Action::Triage(TriageAction::ToggleRead));
        a.apply(Action::Triage(TriageAction::NextUnread));
        assert!(a.message.contains("no unread"));
        // views
        a.apply(Action::Triage(TriageAction::Undo)); // b1 unread again
        a.apply(Action::Triage(TriageAction::Undo)); // issue 1 unread again
        assert_eq!(a.unread_count(0), 2);
        assert_eq!(a.current_record().unwrap().id, "b1");
        a.apply(Action::Triage(TriageAction::ToggleStar)); // star b1
        a.apply(Action::Triage(TriageAction::CycleView));
        assert_eq!(a.triage.view, View::Unread);
        a.apply(Action::Triage(TriageAction::CycleView));
        assert_eq!(a.triage.view, View::Starred);
        a.issue_sel = 1;
        assert_eq!(a.list_records().len(), 1);
        a.issue_sel = 0;
        assert_eq!(a.list_records().len(), 0);
        a.apply(Action::Triage(TriageAction::CycleView));
        assert_eq!(a.triage.view, View::All, "no tags yet");
    }

    #[test]
    fn reading_position_is_kept() {
        let mut a = app();
        a.apply(Action::Go(Go::Open));
        a.apply(Action::Go(Go::Open));
        a.reader.total_lines = 100;
        a.reader.height = 10;
        a.apply(Action::Nav(Nav::ScrollDown(7)));
        assert_eq!(
            a.apply(Action::Go(Go::Back)),
            vec![Command::Save(Effect::Position("a1".into(), 7))]
        );
        a.apply(Action::Go(Go::Open));
        assert_eq!(a.reader.scroll, 7, "reopened where it stopped");
    }

    #[test]
    fn tags_edit() {
        let mut a = app();
        a.apply(Action::Go(Go::Open));
        a.apply(Action::Triage(TriageAction::EditTags));
        for c in "劳动 民生".chars() {
            a.apply(Action::Prompt(PromptAction::Input(c)));
        }
        a.apply(Action::Prompt(PromptAction::Submit));
        assert_eq!(a.triage.marks()["a1"].tags.len(), 2);
        a.apply(Action::Triage(TriageAction::CycleView));
        a.apply(Action::Triage(TriageAction::CycleView));
        a.apply(Action::Triage(TriageAction::CycleView));
        assert_eq!(a.triage.view, View::Tag("劳动".into()));
        a.apply(Action::Triage(TriageAction::CycleView));
        assert_eq!(a.triage.view, View::Tag("民生".into()));
    }

    #[test]
    fn reading_marks_read_after_a_moment() {
        let mut a = app();
        a.apply(Action::Go(Go::Open));
        a.apply(Action::Go(Go::Open));
        let t0 = Instant::now();
        assert!(a.tick(t0).is_empty());
        assert!(!a.is_read("a1"));
        assert!(a.tick(t0 + std::time::Duration::from_secs(1)).is_empty());
        assert!(!a.is_read("a1"));
        assert_eq!(
            a.tick(t0 + READ_AFTER),
            vec![Command::Save(Effect::Read("a1".into(), true))]
        );
        assert!(a.is_read("a1"));
        // explicitly marked unread stays unread
        a.apply(Action::Triage(TriageAction::ToggleRead));
        a.tick(t0 + READ_AFTER * 3);
        assert!(!a.is_read("a1"));
    }
}
