//! The TUI's state and everything it does, without a terminal: keys become [`Action`]s, and
//! [`App::apply`] changes the state. Drawing (view.rs) only reads it.

use crate::index::{query, SearchResult};
use crate::model::{Issue, Kind, Record};

/// Settings that shape the layout.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Width of East Asian Ambiguous characters: 1 or 2 cells.
    pub ambiguous: u8,
    /// Reading measure in cells (76 = 38 Chinese characters).
    pub measure: usize,
    /// Indent the first line of each paragraph by two full-width spaces.
    pub indent: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            ambiguous: 1,
            measure: 76,
            indent: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Issues,
    Articles,
    Reader,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfUp,
    HalfDown,
    /// Enter / l: open the selection.
    Open,
    /// Esc / h: go back.
    Back,
    Quit,
    /// Ctrl-Z: stop like any job; `fg` resumes.
    Suspend,
    NextPane,
    NextArticle,
    PrevArticle,
    ToggleHelp,
    ToggleFragments,
    SearchOpen,
    SearchInput(char),
    SearchPaste(String),
    SearchBackspace,
    SearchDelete,
    SearchDeleteWord,
    SearchClearLine,
    SearchLeft,
    SearchRight,
    SearchHome,
    SearchEnd,
    SearchUp,
    SearchDown,
    /// Enter in the search box: open the selected result.
    SearchOpenResult,
    SearchClose,
    NextMatch,
    PrevMatch,
    ScrollUp(usize),
    ScrollDown(usize),
    Resize(u16, u16),
    /// m: toggle read.
    ToggleRead,
    /// s: toggle star.
    ToggleStar,
    /// t: edit tags.
    EditTags,
    /// M: mark the whole issue read.
    MarkIssueRead,
    /// u: undo the last mark.
    Undo,
    /// N (outside a search's matches): next unread article, across issues.
    NextUnread,
    /// v: all → unread → starred → each tag → all.
    CycleView,
    TagInput(char),
    TagBackspace,
    TagSubmit,
    TagCancel,
    /// y: copy the article to the local clipboard (OSC 52).
    Copy,
    /// Y: copy a citation line.
    CopyCitation,
    /// o: open the article in $PAGER.
    OpenPager,
}

/// One issue as the lists show it.
#[derive(Debug, Clone)]
pub struct IssueView {
    pub issue: Issue,
}

impl IssueView {
    pub fn articles(&self) -> Vec<&Record> {
        self.issue
            .records
            .iter()
            .filter(|r| r.kind == Kind::Article)
            .collect()
    }
}

/// The search box.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub input: Vec<char>,
    /// Caret position, in characters.
    pub cursor: usize,
    /// Number of the latest query sent; results carry the number of their query.
    pub sent: u64,
    pub shown: u64,
    pub result: Option<SearchResult>,
    pub error: Option<String>,
    pub selected: usize,
}

impl Search {
    pub fn text(&self) -> String {
        self.input.iter().collect()
    }
}

/// Where the reader is.
#[derive(Debug, Clone, Default)]
pub struct Reader {
    pub scroll: usize,
    /// Terms to highlight (from the search that opened the article).
    pub terms: Vec<String>,
    /// Current match (index into the matches of the laid-out article).
    pub current_match: usize,
    /// Lines and match lines of the last layout (set by the view).
    pub total_lines: usize,
    pub match_lines: Vec<usize>,
    pub height: usize,
}

pub struct App {
    pub issues: Vec<IssueView>,
    pub settings: Settings,
    pub focus: Pane,
    pub issue_sel: usize,
    pub article_sel: usize,
    pub show_fragments: bool,
    pub reader: Reader,
    pub search: Option<Search>,
    pub help: bool,
    pub message: String,
    pub width: u16,
    pub height: u16,
    pub quit: bool,
    /// Set by [`Action::Suspend`], taken by the event loop.
    pub suspend: bool,
    /// First row of the help overlay shown.
    pub help_scroll: usize,
    /// Keys to actions outside the search box.
    pub keymap: super::keys::Keymap,
    /// Text to put on the clipboard (OSC 52) and what it is, taken by the event loop.
    pub clipboard: Option<(String, String)>,
    /// Text to show in $PAGER, taken by the event loop.
    pub pager: Option<String>,
    /// Where the config file is (shown in the help overlay).
    pub config_path: String,
    /// A query to run, taken by the event loop: (number, text).
    pub outbox: Option<(u64, String)>,
    pub archive_name: String,
    /// Reader state, as loaded and as changed in this session (see triage.rs).
    pub marks: std::collections::HashMap<String, crate::state::Marks>,
    /// Ids of the issues that appeared since the previous session.
    pub new_issues: std::collections::HashSet<String>,
    pub view: super::triage::View,
    /// Changes to write to the reader state, taken by the event loop.
    pub effects: Vec<super::triage::Effect>,
    pub undo: Vec<Vec<(String, crate::state::Marks)>>,
    pub tag_edit: Option<super::triage::TagEdit>,
    /// The article shown in the reader and since when (for marking it read).
    pub opened: Option<(String, std::time::Instant)>,
}

/// Below this width the panes are shown one at a time.
pub const NARROW: u16 = 100;
/// From this width issues, articles and the reader are all shown.
pub const WIDE: u16 = 150;

/// Newest first; undated issues last, by path.
fn sort_issues(issues: &mut [Issue]) {
    issues.sort_by(|a, b| {
        a.meta
            .date
            .is_empty()
            .cmp(&b.meta.date.is_empty())
            .then_with(|| b.meta.date.cmp(&a.meta.date))
            .then_with(|| a.meta.source.cmp(&b.meta.source))
    });
}

impl App {
    pub fn new(mut issues: Vec<Issue>, settings: Settings, archive_name: String) -> App {
        sort_issues(&mut issues);
        App {
            issues: issues
                .into_iter()
                .map(|issue| IssueView { issue })
                .collect(),
            settings,
            focus: Pane::Issues,
            issue_sel: 0,
            article_sel: 0,
            show_fragments: false,
            reader: Reader::default(),
            search: None,
            help: false,
            message: String::new(),
            width: 80,
            height: 24,
            quit: false,
            suspend: false,
            help_scroll: 0,
            keymap: Default::default(),
            clipboard: None,
            pager: None,
            config_path: String::new(),
            outbox: None,
            archive_name,
            marks: Default::default(),
            new_issues: Default::default(),
            view: Default::default(),
            effects: Vec::new(),
            undo: Vec::new(),
            tag_edit: None,
            opened: None,
        }
    }

    pub fn narrow(&self) -> bool {
        self.width < NARROW
    }

    pub fn current_issue(&self) -> Option<&IssueView> {
        self.issues.get(self.issue_sel)
    }

    /// The records the article list shows: articles, then (when shown) fragments.
    pub fn list_records(&self) -> Vec<&Record> {
        let Some(iv) = self.current_issue() else {
            return Vec::new();
        };
        let mut v: Vec<&Record> = iv
            .issue
            .records
            .iter()
            .filter(|r| r.kind == Kind::Article && self.view.keeps(self.marks.get(&r.id)))
            .collect();
        if self.show_fragments {
            v.extend(iv.issue.records.iter().filter(|r| r.kind == Kind::Fragment));
        }
        v
    }

    pub fn current_record(&self) -> Option<&Record> {
        self.list_records().get(self.article_sel).copied()
    }

    fn list_len(&self) -> usize {
        match self.focus {
            Pane::Issues => self.issues.len(),
            Pane::Articles | Pane::Reader => self.list_records().len(),
        }
    }

    fn page(&self) -> usize {
        (self.height as usize).saturating_sub(4).max(1)
    }

    fn move_sel(&mut self, delta: isize) {
        let len = self.list_len();
        if len == 0 {
            return;
        }
        let sel = match self.focus {
            Pane::Issues => &mut self.issue_sel,
            _ => &mut self.article_sel,
        };
        let new = (*sel as isize + delta).clamp(0, len as isize - 1) as usize;
        if new != *sel {
            *sel = new;
            if self.focus == Pane::Issues {
                self.article_sel = 0;
            }
            self.reader = Reader::default();
        }
    }

    fn scroll(&mut self, delta: isize) {
        let max = self
            .reader
            .total_lines
            .saturating_sub(self.reader.height.max(1));
        self.reader.scroll = (self.reader.scroll as isize + delta).clamp(0, max as isize) as usize;
    }

    /// Percentage of the article read (the bottom of the view).
    pub fn percent_read(&self) -> usize {
        let total = self.reader.total_lines.max(1);
        ((self.reader.scroll + self.reader.height).min(total) * 100) / total
    }

    fn open_reader(&mut self) {
        if let Some(id) = self.current_record().map(|r| r.id.clone()) {
            self.focus = Pane::Reader;
            // back where the reader stopped last time (the view clamps it)
            self.reader.scroll = self.marks.get(&id).map_or(0, |m| m.position as usize);
        }
    }

    /// The article open in the reader and how far it is scrolled, if one is open.
    pub fn reading_position(&self) -> Option<(String, u32)> {
        if self.focus != Pane::Reader {
            return None;
        }
        let id = self.current_record()?.id.clone();
        Some((id, self.reader.scroll as u32))
    }

    /// Remember how far the current article was read (when leaving it).
    fn save_position(&mut self) {
        let Some((id, pos)) = self.reading_position() else {
            return;
        };
        let m = self.marks.entry(id.clone()).or_default();
        if m.position != pos {
            m.position = pos;
            self.effects.push(super::triage::Effect::Position(id, pos));
        }
    }

    pub fn apply(&mut self, a: Action) {
        self.message.clear();
        if self.help {
            match a {
                Action::Resize(w, h) => {
                    self.width = w;
                    self.height = h;
                }
                Action::Quit => self.quit = true,
                Action::Suspend => self.suspend = true,
                // the overlay scrolls when the terminal is too short for it
                Action::Down | Action::ScrollDown(_) | Action::PageDown | Action::HalfDown => {
                    self.help_scroll += 1
                }
                Action::Up | Action::ScrollUp(_) | Action::PageUp | Action::HalfUp => {
                    self.help_scroll = self.help_scroll.saturating_sub(1)
                }
                _ => self.help = false,
            }
            return;
        }
        match a {
            Action::Resize(w, h) => {
                self.width = w;
                self.height = h;
            }
            Action::Quit => {
                self.save_position();
                self.quit = true;
            }
            Action::Suspend => self.suspend = true,
            Action::Copy | Action::CopyCitation | Action::OpenPager => {
                let Some(r) = self.current_record() else {
                    self.message = "no article selected".into();
                    return;
                };
                match a {
                    Action::Copy => {
                        self.clipboard = Some((crate::article::to_text(r), "article".into()))
                    }
                    Action::CopyCitation => {
                        self.clipboard = Some((crate::article::citation(r), "citation".into()))
                    }
                    _ => self.pager = Some(crate::article::to_text(r)),
                }
            }
            Action::ToggleHelp => {
                self.help = true;
                self.help_scroll = 0;
            }
            Action::Up => self.nav(-1),
            Action::Down => self.nav(1),
            Action::PageUp => self.nav(-(self.page() as isize)),
            Action::PageDown => self.nav(self.page() as isize),
            Action::HalfUp => self.nav(-(self.page() as isize / 2).max(1)),
            Action::HalfDown => self.nav((self.page() as isize / 2).max(1)),
            Action::ScrollUp(n) => self.nav(-(n as isize)),
            Action::ScrollDown(n) => self.nav(n as isize),
            Action::Top => match self.focus {
                Pane::Reader => self.reader.scroll = 0,
                _ => self.move_sel(-(self.list_len() as isize)),
            },
            Action::Bottom => match self.focus {
                Pane::Reader => self.scroll(self.reader.total_lines as isize),
                _ => self.move_sel(self.list_len() as isize),
            },
            Action::Open => match self.focus {
                Pane::Issues => {
                    if !self.issues.is_empty() {
                        self.focus = Pane::Articles;
                        self.article_sel = self.article_sel.min(self.list_len().saturating_sub(1));
                    }
                }
                Pane::Articles => self.open_reader(),
                Pane::Reader => {}
            },
            Action::Back => match self.focus {
                Pane::Reader => {
                    self.save_position();
                    self.focus = Pane::Articles;
                    self.reader.terms.clear();
                }
                Pane::Articles => self.focus = Pane::Issues,
                Pane::Issues => {}
            },
            Action::NextPane => {
                self.focus = match self.focus {
                    Pane::Issues => Pane::Articles,
                    Pane::Articles if self.current_record().is_some() => Pane::Reader,
                    Pane::Articles => Pane::Issues,
                    Pane::Reader => Pane::Issues,
                };
            }
            Action::NextArticle | Action::PrevArticle => {
                self.save_position();
                let d = if a == Action::NextArticle { 1 } else { -1 };
                let len = self.list_records().len();
                let new = self.article_sel as isize + d;
                if new >= 0 && (new as usize) < len {
                    self.article_sel = new as usize;
                    self.reader = Reader {
                        terms: std::mem::take(&mut self.reader.terms),
                        ..Default::default()
                    };
                } else {
                    self.message = if d > 0 {
                        "last article of this issue"
                    } else {
                        "first article of this issue"
                    }
                    .into();
                }
            }
            Action::ToggleFragments => {
                self.show_fragments = !self.show_fragments;
                let n = self
                    .current_issue()
                    .map(|i| i.issue.fragments().count())
                    .unwrap_or(0);
                self.message = if self.show_fragments {
                    format!("showing {n} fragments (captions, boxes) after the articles")
                } else {
                    "fragments hidden".into()
                };
                self.article_sel = self.article_sel.min(self.list_len().saturating_sub(1));
            }
            Action::NextMatch | Action::PrevMatch => {
                let n = self.reader.match_lines.len();
                if n == 0 {
                    self.message = "no matches in this article".into();
                } else {
                    self.reader.current_match = if a == Action::NextMatch {
                        (self.reader.current_match + 1) % n
                    } else {
                        (self.reader.current_match + n - 1) % n
                    };
                    self.scroll_to_match();
                }
            }
            Action::SearchOpen => {
                if self.search.is_none() {
                    self.search = Some(Search::default());
                }
            }
            Action::ToggleRead
            | Action::ToggleStar
            | Action::EditTags
            | Action::MarkIssueRead
            | Action::Undo
            | Action::NextUnread
            | Action::CycleView
            | Action::TagInput(_)
            | Action::TagBackspace
            | Action::TagSubmit
            | Action::TagCancel => self.apply_triage(a),
            a => self.apply_search(a),
        }
    }

    fn nav(&mut self, delta: isize) {
        if self.focus == Pane::Reader {
            self.scroll(delta);
        } else {
            self.move_sel(delta);
        }
    }

    /// Scroll so that the current match is in view (a third from the top).
    pub fn scroll_to_match(&mut self) {
        if let Some(&l) = self.reader.match_lines.get(self.reader.current_match) {
            let max = self
                .reader
                .total_lines
                .saturating_sub(self.reader.height.max(1));
            self.reader.scroll = l.saturating_sub(self.reader.height / 3).min(max);
        }
    }

    fn apply_search(&mut self, a: Action) {
        let Some(s) = self.search.as_mut() else {
            return;
        };
        let mut changed = true;
        match a {
            Action::SearchInput(c) => {
                s.input.insert(s.cursor, c);
                s.cursor += 1;
            }
            Action::SearchPaste(t) => {
                for c in t.chars().filter(|c| !c.is_control()) {
                    s.input.insert(s.cursor, c);
                    s.cursor += 1;
                }
            }
            Action::SearchBackspace => {
                if s.cursor > 0 {
                    s.cursor -= 1;
                    s.input.remove(s.cursor);
                } else {
                    changed = false;
                }
            }
            Action::SearchDelete => {
                if s.cursor < s.input.len() {
                    s.input.remove(s.cursor);
                } else {
                    changed = false;
                }
            }
            Action::SearchDeleteWord => {
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
            Action::SearchClearLine => {
                s.input.drain(..s.cursor);
                s.cursor = 0;
            }
            Action::SearchLeft => {
                s.cursor = s.cursor.saturating_sub(1);
                changed = false;
            }
            Action::SearchRight => {
                s.cursor = (s.cursor + 1).min(s.input.len());
                changed = false;
            }
            Action::SearchHome => {
                s.cursor = 0;
                changed = false;
            }
            Action::SearchEnd => {
                s.cursor = s.input.len();
                changed = false;
            }
            Action::SearchUp => {
                s.selected = s.selected.saturating_sub(1);
                changed = false;
            }
            Action::SearchDown => {
                let n = s.result.as_ref().map(|r| r.hits.len()).unwrap_or(0);
                s.selected = (s.selected + 1).min(n.saturating_sub(1));
                changed = false;
            }
            Action::SearchClose => {
                self.search = None;
                return;
            }
            Action::SearchOpenResult => {
                self.open_result();
                return;
            }
            _ => changed = false,
        }
        if changed {
            let text = s.text();
            match query::parse(&text) {
                Ok(q) if q.is_empty() => {
                    s.result = None;
                    s.error = None;
                    s.sent += 1;
                    s.shown = s.sent;
                }
                Ok(_) => {
                    s.error = None;
                    s.sent += 1;
                    self.outbox = Some((s.sent, text));
                }
                Err(e) => {
                    s.error = Some(e.to_string());
                    s.sent += 1;
                    s.shown = s.sent;
                }
            }
        }
    }

    /// The archive changed: new issue list, selections kept on the same issue and article.
    pub fn replace_issues(&mut self, mut issues: Vec<Issue>) {
        let cur_issue = self.current_issue().map(|i| i.issue.meta.id.clone());
        let cur_rec = self.current_record().map(|r| r.id.clone());
        sort_issues(&mut issues);
        self.issues = issues
            .into_iter()
            .map(|issue| IssueView { issue })
            .collect();
        self.issue_sel = cur_issue
            .and_then(|id| self.issues.iter().position(|i| i.issue.meta.id == id))
            .unwrap_or(0)
            .min(self.issues.len().saturating_sub(1));
        self.article_sel = cur_rec
            .and_then(|id| self.list_records().iter().position(|r| r.id == id))
            .unwrap_or(0);
        if self.current_record().is_none() && self.focus == Pane::Reader {
            self.focus = Pane::Articles;
        }
    }

    /// A search answer arrived; only the answer to the latest query is shown.
    pub fn search_result(&mut self, n: u64, r: Result<SearchResult, String>) {
        let Some(s) = self.search.as_mut() else {
            return;
        };
        if n < s.shown {
            return;
        }
        s.shown = n;
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
        s.selected = 0;
    }

    /// Open the selected search result in the reader, scrolled to its first match.
    fn open_result(&mut self) {
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
        let terms = query::parse(&s.text())
            .map(|q| q.highlight_terms())
            .unwrap_or_default();
        let Some(ii) = self
            .issues
            .iter()
            .position(|iv| iv.issue.records.iter().any(|r| r.id == hit.id))
        else {
            self.message = "that article is no longer in the archive".into();
            return;
        };
        self.issue_sel = ii;
        let is_fragment = self.issues[ii]
            .issue
            .records
            .iter()
            .any(|r| r.id == hit.id && r.kind == Kind::Fragment);
        if is_fragment {
            self.show_fragments = true;
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
        self.search = None;
    }
}
