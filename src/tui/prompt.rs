//! The one-line prompt on the status line: tags for an article (t), a date to jump to (:), the
//! issue list's filter (F, applied as you type) and a command to pipe the article to (|).

use super::action::PromptAction;
use super::app::{App, Command, Pane};
pub use super::parts::{Prompt, PromptKind};
use super::triage::Effect;
use std::collections::BTreeSet;

impl App {
    pub(crate) fn start_prompt(&mut self, kind: PromptKind, text: &str) {
        self.prompt = Some(Prompt {
            kind,
            input: text.chars().collect(),
        });
    }

    pub(crate) fn apply_prompt(&mut self, a: PromptAction) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        match a {
            PromptAction::Input(c) => {
                if !c.is_control() {
                    p.input.push(c);
                }
            }
            PromptAction::Backspace => {
                p.input.pop();
            }
            PromptAction::Cancel => {
                if let Some(Prompt {
                    kind: PromptKind::Filter(before),
                    ..
                }) = self.prompt.take()
                {
                    self.set_issue_filter(before);
                }
                return;
            }
            PromptAction::Submit => {
                let p = self.prompt.take().expect("checked");
                return self.submit_prompt(p);
            }
        }
        // the filter applies as it is typed
        if let Some(Prompt {
            kind: PromptKind::Filter(_),
            input,
        }) = &self.prompt
        {
            let f: String = input.iter().collect();
            self.set_issue_filter(f);
        }
    }

    /// Filter the issue list, keeping the selection on a shown issue.
    fn set_issue_filter(&mut self, f: String) {
        self.issue_filter = f;
        let (vis, _) = self.keep_shown_issue();
        self.message = match (self.issue_filter.is_empty(), vis.len()) {
            (true, _) => String::new(),
            (false, n) => format!(
                "{} match {:?}",
                crate::text::count(n, "issue", "issues"),
                self.issue_filter
            ),
        };
    }

    fn submit_prompt(&mut self, p: Prompt) {
        let text = p.text();
        match p.kind {
            PromptKind::Tags(id) => self.submit_tags(id, p.input, &text),
            PromptKind::Filter(_) => {
                self.set_issue_filter(text.trim().to_string());
                if !self.issue_filter.is_empty() {
                    self.message.push_str(" (F, Esc clears)");
                }
            }
            PromptKind::Date => self.jump_to_date(text.trim()),
            PromptKind::Pipe(id) => {
                let cmd = text.trim().to_string();
                match self.record(&id) {
                    _ if cmd.is_empty() => self.message = "no command given".into(),
                    Some(r) => {
                        let t = crate::article::to_text(r);
                        self.emit(Command::Pipe(cmd, t));
                    }
                    None => self.message = "that article is no longer in the archive".into(),
                }
            }
        }
    }

    fn submit_tags(&mut self, id: String, input: Vec<char>, text: &str) {
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
                    self.prompt = Some(Prompt {
                        kind: PromptKind::Tags(id),
                        input,
                    });
                    return;
                }
            }
        }
        self.remember(std::slice::from_ref(&id));
        self.triage.marks_mut().entry(id.clone()).or_default().tags = tags.clone();
        self.message = if tags.is_empty() {
            "tags removed".into()
        } else {
            format!(
                "tags: {}",
                tags.iter().cloned().collect::<Vec<_>>().join(" ")
            )
        };
        self.emit_save(Effect::Tags(id, tags));
    }

    /// Select the issue of `date` (any start of `YYYY-MM-DD`; `/` and `.` are taken for `-`),
    /// or the newest one before it.
    fn jump_to_date(&mut self, date: &str) {
        let want: String = date
            .chars()
            .map(|c| if c == '/' || c == '.' { '-' } else { c })
            .collect();
        let ok = !want.is_empty()
            && want.len() <= 10
            && want.chars().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !ok {
            self.message = format!("not a date: {date:?} (2024-05-28, 2024-05 or 2024)");
            return;
        }
        // issues are newest first: the first one on or before the date (by its prefix)
        let vis = self.visible_issues();
        let found = vis
            .iter()
            .copied()
            .find(|&i| {
                let d = self.issues[i].date();
                !d.is_empty() && (d.starts_with(&want) || d < want.as_str())
            })
            .or_else(|| {
                vis.iter()
                    .copied()
                    .rfind(|&i| !self.issues[i].date().is_empty())
            });
        match found {
            Some(i) => {
                self.issue_sel = i;
                self.folder_sel = None;
                self.article_sel = 0;
                self.focus = Pane::Issues;
                let d = self.issues[i].date().to_string();
                self.message = if d.starts_with(&want) {
                    format!("issue {d}")
                } else {
                    format!("no issue of {want}: the nearest is {d}")
                };
            }
            None => self.message = "no dated issues".into(),
        }
    }
}
