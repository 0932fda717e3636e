//! What search actions do to the app: the search box (editing, history, Ctrl-R), the list of
//! results as a view you come back to (an article opened from it goes back to it with Esc, and
//! `]` `[` step through the hits), saved searches and the archive-wide folders listed above
//! the issues.

use super::action::*;
use super::app::{App, Command, Pane, Reader, Search};
pub use super::parts::Folder;
use crate::index::{query, SearchResult};
use crate::model::Kind;

/// How many hits a query asks for while typing (snippets are made only for these: a screen of
/// results and some); moving the selection near the end asks for twice as many, up to
/// [`LIMIT_LIST`], which a folder or a saved search asks for at once.
pub const LIMIT_TYPING: usize = 20;
pub const LIMIT_LIST: usize = 1000;

impl App {
    /// The folders listed above the issues: unread, starred, each tag, then saved searches.
    pub fn folders(&self) -> Vec<Folder> {
        let counts = self.mark_counts();
        let mut v = vec![
            Folder {
                label: "● unread".into(),
                query: "is:unread".into(),
                count: None,
                saved: false,
            },
            Folder {
                label: "★ starred".into(),
                query: "is:starred".into(),
                count: Some(counts.starred),
                saved: false,
            },
        ];
        for (t, n) in &counts.tags {
            v.push(Folder {
                label: format!("#{t}"),
                query: format!("tag:{t}"),
                count: Some(*n),
                saved: false,
            });
        }
        for q in &self.saved {
            v.push(Folder {
                label: format!("/ {q}"),
                query: q.clone(),
                count: None,
                saved: true,
            });
        }
        v
    }

    /// Open the search with `q` run at once, its results list focused (a folder, a saved
    /// search).
    pub(crate) fn open_query(&mut self, q: &str) {
        let mut s = Search {
            input: q.chars().collect(),
            cursor: q.chars().count(),
            in_list: true,
            limit: LIMIT_LIST,
            ..Default::default()
        };
        s.sent = 1;
        self.emit(Command::Query(1, q.to_string(), LIMIT_LIST));
        self.search = Some(s);
        self.parked = None;
    }

    /// Is the results list (not the box) focused?
    pub fn in_results(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.in_list)
    }

    pub(crate) fn apply_search(&mut self, a: SearchAction) {
        if a == SearchAction::Open {
            match self.search.as_mut() {
                // from the list back to the box
                Some(s) => s.in_list = false,
                // reading a hit: its search again, to change the query
                None if self.parked.is_some() && self.focus == Pane::Reader => {
                    self.save_position();
                    let mut s = self.parked.take().expect("checked");
                    s.in_list = false;
                    self.search = Some(s);
                }
                None => {
                    self.search = Some(Search {
                        limit: LIMIT_TYPING,
                        ..Default::default()
                    })
                }
            }
            self.parked = None;
            return;
        }
        if a == SearchAction::Save {
            let Some(q) = self.search.as_ref().map(|s| s.text()) else {
                return;
            };
            if q.trim().is_empty() {
                self.message = "type a query to save".into();
            } else {
                self.message = format!("saved: {q} (listed above the issues)");
                self.emit(Command::SaveSearch(q));
            }
            return;
        }
        let history_len = self.history.len();
        let Some(s) = self.search.as_mut() else {
            return;
        };
        // Ctrl-R: typing edits what is looked for in the history; the box shows the match
        if let Some(pat) = s.rsearch.as_mut() {
            let mut from = s.hist.unwrap_or(history_len);
            match a {
                SearchAction::Input(c) => pat.push(c),
                SearchAction::Paste(ref t) => pat.extend(t.chars().filter(|c| !c.is_control())),
                SearchAction::Backspace => {
                    pat.pop();
                    from = history_len;
                }
                SearchAction::HistorySearch => {}
                SearchAction::Close => {
                    // back to what was typed before
                    s.input = std::mem::take(&mut s.draft);
                    s.cursor = s.input.len();
                    s.rsearch = None;
                    s.hist = None;
                    self.run_query();
                    return;
                }
                _ => {
                    // anything else takes the match and does what it does
                    s.rsearch = None;
                    s.hist = None;
                    if a == SearchAction::OpenResult {
                        self.message.clear();
                        return;
                    }
                    return self.apply_search(a);
                }
            }
            let pat: String = pat.iter().collect();
            let start = if a == SearchAction::HistorySearch {
                from
            } else {
                (from + 1).min(history_len)
            };
            let found = self.history[..start]
                .iter()
                .rposition(|h| h.contains(pat.as_str()));
            let s = self.search.as_mut().expect("checked");
            match found {
                Some(i) => {
                    s.hist = Some(i);
                    s.input = self.history[i].chars().collect();
                    s.cursor = s.input.len();
                    self.run_query();
                }
                None => self.message = format!("no older query holds {pat:?}"),
            }
            return;
        }
        let mut changed = true;
        let mut check_more = false;
        let browsing = matches!(
            a,
            SearchAction::HistoryPrev | SearchAction::HistoryNext | SearchAction::HistorySearch
        );
        match a {
            SearchAction::Input(c) => {
                s.input.insert(s.cursor, c);
                s.cursor += 1;
            }
            SearchAction::Paste(t) => {
                for c in t.chars().filter(|c| !c.is_control()) {
                    s.input.insert(s.cursor, c);
                    s.cursor += 1;
                }
            }
            SearchAction::Backspace => {
                if s.cursor > 0 {
                    s.cursor -= 1;
                    s.input.remove(s.cursor);
                } else {
                    changed = false;
                }
            }
            SearchAction::Delete => {
                if s.cursor < s.input.len() {
                    s.input.remove(s.cursor);
                } else {
                    changed = false;
                }
            }
            SearchAction::DeleteWord => {
                let mut i = s.cursor;
                while i > 0 && s.input[i - 1].is_whitespace() {
                    i -= 1;
                }
                while i > 0 && !s.input[i - 1].is_whitespace() {
                    i -= 1;
                }
                s.input.drain(i..s.cursor);
                s.cursor = i;
            }
            SearchAction::ClearLine => {
                s.input.drain(..s.cursor);
                s.cursor = 0;
            }
            SearchAction::Left => {
                s.cursor = s.cursor.saturating_sub(1);
                changed = false;
            }
            SearchAction::Right => {
                s.cursor = (s.cursor + 1).min(s.input.len());
                changed = false;
            }
            SearchAction::Home => {
                s.cursor = 0;
                changed = false;
            }
            SearchAction::End => {
                s.cursor = s.input.len();
                changed = false;
            }
            SearchAction::Up => {
                s.selected = s.selected.saturating_sub(1);
                changed = false;
            }
            SearchAction::Down => {
                let n = s.result.as_ref().map(|r| r.hits.len()).unwrap_or(0);
                s.selected = (s.selected + 1).min(n.saturating_sub(1));
                changed = false;
                check_more = true;
            }
            SearchAction::HistoryPrev | SearchAction::HistoryNext => {
                changed = false;
                if history_len == 0 {
                    self.message = "no earlier searches".into();
                    return;
                }
                let cur = s.hist.unwrap_or(history_len);
                let next = if a == SearchAction::HistoryPrev {
                    cur.checked_sub(1)
                } else {
                    Some(cur + 1)
                };
                match next {
                    None => {}
                    Some(i) => {
                        if s.hist.is_none() {
                            s.draft = s.input.clone();
                        }
                        if i >= history_len {
                            // past the newest: what was being typed
                            s.input = std::mem::take(&mut s.draft);
                            s.hist = None;
                        } else {
                            s.input = self.history[i].chars().collect();
                            s.hist = Some(i);
                        }
                        s.cursor = s.input.len();
                        changed = true;
                    }
                }
            }
            SearchAction::HistorySearch => {
                s.draft = s.input.clone();
                s.rsearch = Some(Vec::new());
                s.hist = None;
                changed = false;
            }
            SearchAction::ToResults => {
                changed = false;
                if s.result.as_ref().is_some_and(|r| !r.hits.is_empty()) {
                    s.in_list = true;
                } else {
                    self.message = "no results to move to".into();
                }
            }
            SearchAction::Close => {
                self.search = None;
                return;
            }
            SearchAction::OpenResult => {
                self.open_result();
                return;
            }
            SearchAction::Open | SearchAction::Save => changed = false,
        }
        if changed {
            if !browsing {
                // an edit leaves the history
                s.hist = None;
            }
            s.limit = LIMIT_TYPING;
            self.run_query();
        }
        if check_more {
            self.more_if_near_end();
        }
    }

    /// Send the box's query (or clear the results for an empty one, or show why it is wrong).
    fn run_query(&mut self) {
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let text = s.text();
        s.sent += 1;
        s.more = false;
        match query::parse(&text) {
            Ok(q) if q.is_empty() => {
                s.result = None;
                s.error = None;
                s.shown = s.sent;
            }
            Ok(_) => {
                s.error = None;
                let (n, limit) = (s.sent, s.limit.max(1));
                self.emit(Command::Query(n, text, limit));
            }
            Err(e) => {
                s.error = Some(e.to_string());
                s.shown = s.sent;
            }
        }
    }

    /// Keys in the results list (after Tab, or back from an article opened from it).
    pub(crate) fn apply_in_results(&mut self, a: Action) {
        let page = (self.height as usize / 3).saturating_sub(2).max(1) as isize;
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let n = s.result.as_ref().map_or(0, |r| r.hits.len());
        let step = |s: &mut Search, d: isize| {
            s.selected = (s.selected as isize + d).clamp(0, n.saturating_sub(1) as isize) as usize
        };
        if let Action::Nav(nav) = a {
            match nav {
                Nav::Up => step(s, -1),
                Nav::Down => step(s, 1),
                Nav::ScrollUp(k) => step(s, -(k as isize)),
                Nav::ScrollDown(k) => step(s, k as isize),
                Nav::PageUp => step(s, -page),
                Nav::PageDown => step(s, page),
                Nav::HalfUp => step(s, -(page / 2).max(1)),
                Nav::HalfDown => step(s, (page / 2).max(1)),
                Nav::Top => s.selected = 0,
                Nav::Bottom => s.selected = n.saturating_sub(1),
            }
            return self.more_if_near_end();
        }
        match a {
            Action::Nav(_) => unreachable!("handled above"),
            Action::Go(Go::Open) => self.open_result(),
            Action::Go(Go::Back) => self.search = None,
            Action::Search(SearchAction::Save) => self.apply_search(SearchAction::Save),
            Action::Search(_) => s.in_list = false,
            Action::Triage(
                t @ (TriageAction::ToggleRead | TriageAction::ToggleStar | TriageAction::EditTags),
            ) => self.apply_triage(t),
            Action::App(x) => self.apply_app(x),
            Action::Go(_) | Action::Triage(_) | Action::Prompt(_) => {
                self.message =
                    "in the results: j k move, Enter opens, / edits the query, Esc closes".into()
            }
        }
    }

    /// With the selection near the end of the hits loaded and more matching, ask for the same
    /// query with twice as many (the selection is kept when they come).
    fn more_if_near_end(&mut self) {
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let Some(r) = s.result.as_ref() else { return };
        let loaded = r.hits.len();
        let matching = r.total + r.also_total;
        if s.more || s.shown < s.sent || loaded >= matching || s.selected + 5 < loaded {
            return;
        }
        let limit = (s.limit.max(loaded) * 2).min(LIMIT_LIST);
        if limit <= loaded {
            return;
        }
        s.limit = limit;
        s.more = true;
        s.sent += 1;
        let (n, text) = (s.sent, s.text());
        self.emit(Command::Query(n, text, limit));
    }

    /// The hit selected in the results list, when it is focused.
    pub fn selected_hit_id(&self) -> Option<String> {
        let s = self.search.as_ref().filter(|s| s.in_list)?;
        s.result
            .as_ref()
            .and_then(|r| r.hits.get(s.selected))
            .map(|h| h.id.clone())
    }

    /// A search answer arrived; only the answer to the latest query is shown.
    pub fn search_result(&mut self, n: u64, r: Result<SearchResult, String>) {
        let Some(s) = self.search.as_mut() else {
            return;
        };
        if n < s.shown {
            return;
        }
        // the full answer after a first one (an estimate) keeps the selection
        let refined = n == s.shown
            && s.result
                .as_ref()
                .is_some_and(|r| r.unranked || r.also_pending);
        s.shown = n;
        let keep = (std::mem::take(&mut s.more) && n == s.sent) || refined;
        match r {
            Ok(mut res) => {
                // pinyin and traditional/simplified matches follow the literal ones, marked
                let also = std::mem::take(&mut res.also);
                res.hits.extend(also);
                s.result = Some(res);
                s.error = None;
            }
            Err(e) => {
                s.result = None;
                s.error = Some(e);
            }
        }
        // more of the same query keeps the selection; a new query starts at its best hit
        let len = s.result.as_ref().map_or(0, |r| r.hits.len());
        s.selected = if keep {
            s.selected.min(len.saturating_sub(1))
        } else {
            0
        };
    }

    /// Open the selected search result in the reader, scrolled to its first match. The search
    /// is kept: Esc in the reader goes back to its results.
    pub(crate) fn open_result(&mut self) {
        let Some(s) = self.search.as_ref() else {
            return;
        };
        let Some(hit) = s
            .result
            .as_ref()
            .and_then(|r| r.hits.get(s.selected))
            .cloned()
        else {
            self.message = "no result to open".into();
            return;
        };
        let text = s.text();
        let terms = query::parse(&text)
            .map(|q| q.highlight_terms())
            .unwrap_or_default();
        let Some((ii, _)) = self.locate(&hit.id) else {
            self.message = "that article is no longer in the archive".into();
            return;
        };
        if !text.trim().is_empty() {
            self.history.retain(|h| *h != text);
            self.history.push(text.clone());
            self.emit(Command::RememberQuery(text));
        }
        self.issue_sel = ii;
        self.folder_sel = None;
        let is_fragment = self
            .records(ii)
            .iter()
            .any(|r| r.id == hit.id && r.kind == Kind::Fragment);
        if is_fragment {
            self.show_fragments = true;
        }
        // the article list shows it even when the view filter would not
        if !self.list_records().iter().any(|r| r.id == hit.id) {
            self.triage.view = super::triage::View::All;
        }
        self.article_sel = self
            .list_records()
            .iter()
            .position(|r| r.id == hit.id)
            .unwrap_or(0);
        self.focus = Pane::Reader;
        self.reader = Reader {
            terms,
            ..Default::default()
        };
        // the view lays the article out and then scrolls to the first match
        self.reader.current_match = usize::MAX;
        let mut s = self.search.take().expect("checked");
        s.in_list = true;
        s.rsearch = None;
        s.hist = None;
        self.parked = Some(s);
    }

    /// Back from an article opened from search results: the results again, selection kept.
    /// Returns false when the article was not opened from results.
    pub(crate) fn back_to_results(&mut self) -> bool {
        match self.parked.take() {
            Some(s) if self.focus == Pane::Reader => {
                self.search = Some(s);
                true
            }
            _ => false,
        }
    }

    /// `]` / `[` while reading an article opened from results: the next or previous hit.
    /// Returns false when the article was not opened from results.
    pub(crate) fn step_results(&mut self, d: isize) -> bool {
        let Some(s) = self.parked.as_ref() else {
            return false;
        };
        let n = s.result.as_ref().map_or(0, |r| r.hits.len());
        let to = s.selected as isize + d;
        if to < 0 || to as usize >= n {
            self.message = if d > 0 {
                "last result of the search"
            } else {
                "first result of the search"
            }
            .into();
            return true;
        }
        let mut s = self.parked.take().expect("checked");
        s.selected = to as usize;
        self.search = Some(s);
        self.open_result();
        self.message = format!("result {}/{n}", to + 1);
        true
    }
}
