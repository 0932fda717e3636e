//! The TUI's state and everything it does, without a terminal: keys become [`Action`]s, and
//! [`App::apply`] changes the state. Drawing (view.rs) only reads it.

use crate::index::catalog::Listed;
use crate::index::SearchResult;
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

pub use super::action::*;

/// What [`App::apply`] asks the event loop to do: the app changes only its own state; anything
/// that touches the terminal, the worker or the reader state on disk comes back as a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Quit,
    /// Stop like any job (SIGTSTP); redraw when continued.
    Suspend,
    /// Put text on the clipboard (OSC 52); the second field says what it is ("article").
    Copy(String, String),
    /// Show text in $PAGER, handing the terminal over.
    Pager(String),
    /// Run a query: its number (answers carry it), text and how many hits to return.
    Query(u64, String, usize),
    /// Add a query to the search history (in the data folder).
    RememberQuery(String),
    /// Save a query / forget a saved one (listed above the issues).
    SaveSearch(String),
    UnsaveSearch(String),
    /// Run a shell command with the article's text on its standard input, the terminal
    /// handed over: (command, text).
    Pipe(String, String),
    /// Write a change of marks to the reader state.
    Save(super::triage::Effect),
}

/// Reads the records of an issue file (by its path in the archive) when the app first needs
/// them: the loop gives the app one over the index ([`crate::index::Shelf`]).
pub type Loader = std::sync::Arc<dyn Fn(&str) -> anyhow::Result<Vec<Record>> + Send + Sync>;

/// Issues whose records stay in memory at most (beyond that, all but the selected one are
/// dropped and read again when needed): a million-article archive is never held whole.
const LOADED_MAX: usize = 256;

/// One issue as the lists show it: what the catalog says of it, and its records once read.
///
/// A million-article archive lists 125,000 issues, all held while the reader runs: the text
/// the lists need (id, file, date, paper, lead headline, article ids) is kept in one
/// allocation per issue, not one per field (80 bytes and one allocation an issue instead of
/// 272 and nine).
#[derive(Debug)]
pub struct IssueView {
    /// id, source, date, paper and lead one after another, then the article ids (one per line)
    text: Box<str>,
    /// where each of the first five parts of `text` ends
    ends: [u32; 5],
    pub n_articles: usize,
    pub n_fragments: usize,
    records: std::cell::OnceCell<Vec<Record>>,
}

impl IssueView {
    /// An issue whose records are all here.
    pub fn loaded(issue: Issue) -> IssueView {
        let l = Listed::of(&issue);
        let v = IssueView::listed(l);
        let _ = v.records.set(issue.records);
        v
    }

    /// An issue as the catalog lists it: its records are read when first needed.
    pub fn listed(l: Listed) -> IssueView {
        let n_articles = l.article_ids().count();
        let m = &l.meta;
        let parts = [
            m.id.as_str(),
            m.source.as_str(),
            m.date.as_str(),
            m.paper.as_str(),
            l.lead.as_str(),
        ];
        let mut text =
            String::with_capacity(parts.iter().map(|p| p.len()).sum::<usize>() + l.articles.len());
        let mut ends = [0u32; 5];
        for (end, p) in ends.iter_mut().zip(parts) {
            text.push_str(p);
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        text.push_str(&l.articles);
        IssueView {
            text: text.into_boxed_str(),
            ends,
            n_articles,
            n_fragments: l.fragments,
            records: Default::default(),
        }
    }

    /// Part `k` of `text` (see [`IssueView::ends`]).
    fn part(&self, k: usize) -> &str {
        let start = k.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        self.text.get(start..self.ends[k] as usize).unwrap_or("")
    }

    /// The issue's id ([`crate::model::IssueMeta::id`]).
    pub fn id(&self) -> &str {
        self.part(0)
    }

    /// Its file, relative to the archive ([`crate::model::IssueMeta::source`]).
    pub fn source(&self) -> &str {
        self.part(1)
    }

    /// Its date, `YYYY-MM-DD`, `YYYY-MM` or empty ([`crate::model::IssueMeta::date`]).
    pub fn date(&self) -> &str {
        self.part(2)
    }

    /// The paper's name, or empty ([`crate::model::IssueMeta::paper`]).
    pub fn paper(&self) -> &str {
        self.part(3)
    }

    /// What names the issue in titles and messages: its date, or its file when undated.
    pub fn date_or_source(&self) -> &str {
        if self.date().is_empty() {
            self.source()
        } else {
            self.date()
        }
    }

    /// The headline the issue list shows.
    pub fn lead(&self) -> &str {
        self.part(4)
    }

    pub fn article_ids(&self) -> impl Iterator<Item = &str> {
        let from = self.ends[4] as usize;
        crate::index::catalog::article_ids(self.text.get(from..).unwrap_or(""))
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
    /// The list of results is focused (j k Enter), not the box.
    pub in_list: bool,
    /// Hits asked of each query.
    pub limit: usize,
    /// The history entry shown (Up/Down, Ctrl-R), and what was typed before browsing it.
    pub hist: Option<usize>,
    pub draft: Vec<char>,
    /// Ctrl-R: what is looked for in the history.
    pub rsearch: Option<Vec<char>>,
    /// The answer on its way is the same query with more hits: keep the selection.
    pub more: bool,
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
    /// First row of the help overlay shown.
    pub help_scroll: usize,
    /// Keys to actions outside the search box.
    pub keymap: super::keys::Keymap,
    /// Where the config file is (shown in the help overlay).
    pub config_path: String,
    pub archive_name: String,
    /// Marks, new issues, the view filter, undo, the tag editor (triage.rs).
    pub triage: super::triage::Triage,
    /// What the app asks of the event loop, returned by [`App::apply`] and [`App::tick`].
    out: Vec<Command>,
    /// The search whose hit is open in the reader (Esc goes back to it).
    pub parked: Option<Search>,
    /// Earlier queries, oldest first; saved searches.
    pub history: Vec<String>,
    pub saved: Vec<String>,
    /// A folder (above the issues) is selected instead of an issue.
    pub folder_sel: Option<usize>,
    /// The issue list shows issues matching this (F).
    pub issue_filter: String,
    /// The issue list hides issues with nothing unread (H).
    pub hide_read: bool,
    /// The one-line prompt on the status line (tags, date, filter, pipe).
    pub prompt: Option<super::parts::Prompt>,
    /// A sync of the archive in progress: files read, of how many (the status line says so).
    pub indexing: Option<(usize, usize)>,
    /// Positions in `issues`, sorted by issue file (to find an issue by its file; a sorted
    /// list of numbers rather than a map holding a copy of every path).
    by_source: Vec<u32>,
    /// Reads an issue's records when first needed (None: every issue came with its records).
    loader: Option<Loader>,
    /// Issues whose records were read through the loader since the last trim.
    loads: std::cell::Cell<usize>,
    /// The issue to select once the whole list is there (the place of the last session, not
    /// among the first issues drawn).
    place_pending: Option<String>,
    /// Bumped whenever `issues` is replaced.
    issues_gen: u64,
    /// The issues the list shows, kept until what decides it changes: a frame is drawn at
    /// every keystroke, and a million-article archive has 125,000 issues to go through.
    shown: std::cell::RefCell<Option<(ShownKey, std::rc::Rc<Vec<usize>>)>>,
    /// Starred articles and articles per tag, kept until the marks change.
    counted: std::cell::RefCell<Option<(u64, std::rc::Rc<MarkCounts>)>>,
}

/// How many articles are starred, and how many bear each tag (by tag).
#[derive(Debug, Default)]
pub struct MarkCounts {
    pub starred: usize,
    pub tags: Vec<(String, usize)>,
}

/// What decides which issues the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ShownKey {
    issues_gen: u64,
    issues: usize,
    marks: u64,
    filter: String,
    hide_read: bool,
}

/// What only drawing knows: the screen size, how long the article is once wrapped, where its
/// matches fell, how far the help overlay can scroll.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Measured {
    pub width: u16,
    pub height: u16,
    /// The article shown: (lines once wrapped, lines in view, lines holding a match).
    pub reader: Option<(usize, usize, Vec<usize>)>,
    /// The furthest the help overlay can scroll, when it is shown and scrolls.
    pub help_scroll_max: Option<usize>,
}

/// Below this width the panes are shown one at a time.
pub const NARROW: u16 = 100;
/// From this width issues, articles and the reader are all shown.
pub const WIDE: u16 = 150;

use crate::model::sort_newest_first as sort_issues;

impl App {
    pub fn new(mut issues: Vec<Issue>, settings: Settings, archive_name: String) -> App {
        sort_issues(&mut issues);
        let views = issues.into_iter().map(IssueView::loaded).collect();
        App::with_views(views, None, settings, archive_name)
    }

    /// An app over the issues a catalog lists (newest first), their records read through
    /// `loader` when first needed.
    pub fn listed(
        issues: Vec<Listed>,
        loader: Loader,
        settings: Settings,
        archive_name: String,
    ) -> App {
        let views = issues.into_iter().map(IssueView::listed).collect();
        App::with_views(views, Some(loader), settings, archive_name)
    }

    fn with_views(
        issues: Vec<IssueView>,
        loader: Option<Loader>,
        settings: Settings,
        archive_name: String,
    ) -> App {
        App {
            issues,
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
            help_scroll: 0,
            keymap: Default::default(),
            config_path: String::new(),
            archive_name,
            triage: Default::default(),
            out: Vec::new(),
            parked: None,
            history: Vec::new(),
            saved: Vec::new(),
            folder_sel: None,
            issue_filter: String::new(),
            hide_read: false,
            prompt: None,
            indexing: None,
            by_source: Default::default(),
            loader,
            loads: Default::default(),
            issues_gen: 0,
            shown: Default::default(),
            counted: Default::default(),
            place_pending: None,
        }
        .indexed()
    }

    /// Build the path → position map.
    fn indexed(mut self) -> App {
        self.reindex();
        self
    }

    fn reindex(&mut self) {
        let mut by: Vec<u32> = (0..self.issues.len() as u32).collect();
        by.sort_by(|&a, &b| {
            self.issues[a as usize]
                .source()
                .cmp(self.issues[b as usize].source())
        });
        self.by_source = by;
    }

    /// The position in `issues` of the issue read from `source`.
    fn issue_of_source(&self, source: &str) -> Option<usize> {
        self.by_source
            .binary_search_by(|&i| self.issues[i as usize].source().cmp(source))
            .ok()
            .map(|k| self.by_source[k] as usize)
    }

    /// The records of issue `i` in reading order, read now if they were not yet.
    pub fn records(&self, i: usize) -> &[Record] {
        let Some(iv) = self.issues.get(i) else {
            return &[];
        };
        iv.records.get_or_init(|| match &self.loader {
            Some(load) => {
                self.loads.set(self.loads.get() + 1);
                load(iv.source()).unwrap_or_else(|e| {
                    log::error!("could not read the articles of {}: {e}", iv.source());
                    Vec::new()
                })
            }
            None => Vec::new(),
        })
    }

    /// Keep at most [`LOADED_MAX`] issues' records in memory: when more were read, drop all
    /// but the selected issue's (they are read again when needed).
    pub(crate) fn trim_loaded(&mut self) {
        if self.loader.is_none() || self.loads.get() <= LOADED_MAX {
            return;
        }
        for (i, iv) in self.issues.iter_mut().enumerate() {
            if i != self.issue_sel {
                iv.records.take();
            }
        }
        self.loads.set(0);
    }

    /// How many issues' records are in memory.
    pub fn loaded_issues(&self) -> usize {
        self.issues
            .iter()
            .filter(|iv| iv.records.get().is_some())
            .count()
    }

    /// Where the reader was, to open there next time: the selected issue's id, the view
    /// filter's name, whether read issues are hidden.
    pub fn place(&self) -> (String, String, bool) {
        (
            self.current_issue()
                .map(|i| i.id().to_string())
                .unwrap_or_default(),
            self.triage.view.name(),
            self.hide_read,
        )
    }

    /// Open where [`App::place`] said (what no longer exists is left as it is).
    pub fn restore_place(&mut self, issue: &str, view: &str, hide_read: bool) {
        match self.issues.iter().position(|i| i.id() == issue) {
            Some(i) => self.issue_sel = i,
            // not among the issues drawn first: selected when the whole list is there
            None if self.loader.is_some() && !issue.is_empty() => {
                self.place_pending = Some(issue.to_string())
            }
            None => {}
        }
        if let Some(v) = super::triage::View::from_name(view) {
            self.triage.view = v;
        }
        self.hide_read = hide_read;
        if !self.issue_shown(self.issue_sel) {
            self.hide_read = false;
        }
    }

    /// Where an article is: (issue, record) positions. The search results say which file a
    /// hit is in; otherwise the issues already read are looked through, then the catalog's
    /// article ids (reading the issue that has it).
    pub fn locate(&self, id: &str) -> Option<(usize, usize)> {
        let in_issue = |i: usize| {
            self.records(i)
                .iter()
                .position(|r| r.id == id)
                .map(|k| (i, k))
        };
        let hit_source = self
            .search
            .iter()
            .chain(self.parked.iter())
            .filter_map(|s| s.result.as_ref())
            .flat_map(|r| r.hits.iter().chain(r.also.iter()))
            .find(|h| h.id == id)
            .map(|h| h.source.as_str());
        if let Some(found) = hit_source
            .and_then(|s| self.issue_of_source(s))
            .and_then(in_issue)
        {
            return Some(found);
        }
        for (i, iv) in self.issues.iter().enumerate() {
            if let Some(k) = iv
                .records
                .get()
                .and_then(|rs| rs.iter().position(|r| r.id == id))
            {
                return Some((i, k));
            }
        }
        let i = self
            .issues
            .iter()
            .position(|iv| iv.article_ids().any(|a| a == id))?;
        in_issue(i)
    }

    /// An article by id.
    pub fn record(&self, id: &str) -> Option<&Record> {
        let (i, k) = self.locate(id)?;
        self.records(i).get(k)
    }

    /// Does issue `i` pass the issue list's filter and the hiding of read issues?
    pub fn issue_shown(&self, i: usize) -> bool {
        self.issue_passes(i, &crate::text::fold(&self.issue_filter))
    }

    /// [`App::issue_shown`] with the filter already folded (once for a whole list).
    fn issue_passes(&self, i: usize, f: &str) -> bool {
        let Some(iv) = self.issues.get(i) else {
            return false;
        };
        if self.hide_read && self.unread_count(i) == 0 {
            return false;
        }
        if f.is_empty() {
            return true;
        }
        [iv.date(), iv.paper(), iv.source(), iv.lead()]
            .iter()
            .any(|s| crate::text::fold(s).contains(f))
    }

    /// How many articles are starred and bear each tag (the folders above the issues).
    pub fn mark_counts(&self) -> std::rc::Rc<MarkCounts> {
        let v = self.triage.version();
        if let Some((k, c)) = &*self.counted.borrow() {
            if *k == v {
                return c.clone();
            }
        }
        let mut starred = 0;
        let mut tags: std::collections::BTreeMap<&str, usize> = Default::default();
        for m in self.triage.marks().values() {
            starred += m.starred as usize;
            for t in &m.tags {
                *tags.entry(t.as_str()).or_default() += 1;
            }
        }
        let c = std::rc::Rc::new(MarkCounts {
            starred,
            tags: tags.into_iter().map(|(t, n)| (t.to_string(), n)).collect(),
        });
        *self.counted.borrow_mut() = Some((v, c.clone()));
        c
    }

    /// The issues the list shows, as positions in `issues`.
    pub fn visible_issues(&self) -> std::rc::Rc<Vec<usize>> {
        let key = ShownKey {
            issues_gen: self.issues_gen,
            issues: self.issues.len(),
            marks: self.triage.version(),
            filter: self.issue_filter.clone(),
            hide_read: self.hide_read,
        };
        if let Some((k, v)) = &*self.shown.borrow() {
            if *k == key {
                return v.clone();
            }
        }
        let f = crate::text::fold(&self.issue_filter);
        let v = std::rc::Rc::new(
            (0..self.issues.len())
                .filter(|&i| self.issue_passes(i, &f))
                .collect::<Vec<usize>>(),
        );
        *self.shown.borrow_mut() = Some((key, v.clone()));
        v
    }

    /// After the issue list changed what it shows (filter, hidden read issues): select an issue
    /// row, the same issue if it is still shown, else the first shown. Returns the issues shown,
    /// and whether the selection moved.
    pub(crate) fn keep_shown_issue(&mut self) -> (std::rc::Rc<Vec<usize>>, bool) {
        self.folder_sel = None;
        let vis = self.visible_issues();
        let moved = match vis.first() {
            Some(&i) if !vis.contains(&self.issue_sel) => {
                self.issue_sel = i;
                self.article_sel = 0;
                true
            }
            _ => false,
        };
        (vis, moved)
    }

    /// The issue list's rows: folders, then the issues shown; and the selected row.
    pub fn issue_rows(&self) -> (Vec<super::parts::Folder>, std::rc::Rc<Vec<usize>>, usize) {
        let folders = self.folders();
        let vis = self.visible_issues();
        let row = match self.folder_sel {
            Some(f) => f.min(folders.len().saturating_sub(1)),
            None => folders.len() + vis.iter().position(|&i| i == self.issue_sel).unwrap_or(0),
        };
        (folders, vis, row)
    }

    /// Select row `row` of the issue list whose rows are `folders` folders then the issues `vis`.
    fn select_issue_row(&mut self, row: usize, folders: usize, vis: &[usize]) {
        if row < folders {
            self.folder_sel = Some(row);
        } else if let Some(&i) = vis.get(row - folders).or(vis.last()) {
            self.folder_sel = None;
            if i != self.issue_sel {
                self.issue_sel = i;
                self.article_sel = 0;
                self.reader = Reader::default();
            }
        } else {
            self.folder_sel = Some(folders.saturating_sub(1));
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
        let records = self.records(self.issue_sel);
        let mut v: Vec<&Record> = records
            .iter()
            .filter(|r| {
                r.kind == Kind::Article && self.triage.view.keeps(self.triage.marks().get(&r.id))
            })
            .collect();
        if self.show_fragments {
            v.extend(records.iter().filter(|r| r.kind == Kind::Fragment));
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
        if self.focus == Pane::Issues {
            let (folders, vis, row) = self.issue_rows();
            let rows = folders.len() + vis.len();
            let new = (row as isize + delta).clamp(0, rows as isize - 1) as usize;
            self.select_issue_row(new, folders.len(), &vis);
            return;
        }
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
            self.reader.scroll = self
                .triage
                .marks()
                .get(&id)
                .map_or(0, |m| m.position as usize);
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
    pub(crate) fn save_position(&mut self) {
        let Some((id, pos)) = self.reading_position() else {
            return;
        };
        let m = self.triage.marks_mut().entry(id.clone()).or_default();
        if m.position != pos {
            m.position = pos;
            self.emit(Command::Save(super::triage::Effect::Position(id, pos)));
        }
    }

    /// What the keymap needs to know to turn a key into an action.
    pub fn key_ctx(&self) -> super::keys::KeyCtx {
        super::keys::KeyCtx {
            prompt: self.prompt.is_some(),
            search: self.search.as_ref().is_some_and(|s| !s.in_list),
            help: self.help,
            shows_matches: !self.reader.match_lines.is_empty() && self.focus == Pane::Reader,
        }
    }

    /// Ask for something to be done later by the event loop.
    pub(crate) fn emit(&mut self, c: Command) {
        self.out.push(c);
    }

    /// Ask for a change of marks to be stored.
    pub(crate) fn emit_save(&mut self, e: super::triage::Effect) {
        self.out.push(Command::Save(e));
    }

    pub(crate) fn out_mut(&mut self) -> &mut Vec<Command> {
        &mut self.out
    }

    /// Take an action; returns what the event loop must do for it.
    pub fn apply(&mut self, a: Action) -> Vec<Command> {
        self.message.clear();
        self.trim_loaded();
        if self.help {
            self.apply_in_help(a);
        } else if self.prompt.is_some() && matches!(a, Action::Prompt(_)) {
            if let Action::Prompt(p) = a {
                self.apply_prompt(p);
            }
        } else if self.in_results() && !matches!(a, Action::App(AppAction::Resize(..))) {
            self.apply_in_results(a);
        } else {
            match a {
                Action::App(x) => self.apply_app(x),
                Action::Nav(n) => self.apply_nav(n),
                Action::Go(g) => self.apply_go(g),
                Action::Search(x) => self.apply_search(x),
                Action::Triage(t) => self.apply_triage(t),
                Action::Prompt(p) => self.apply_prompt(p),
            }
        }
        std::mem::take(&mut self.out)
    }

    /// With the help overlay open: it scrolls when the terminal is too short for it, and any
    /// other key closes it.
    fn apply_in_help(&mut self, a: Action) {
        match a {
            Action::App(AppAction::Resize(w, h)) => {
                self.width = w;
                self.height = h;
            }
            Action::App(AppAction::Quit) => self.emit(Command::Quit),
            Action::App(AppAction::Suspend) => self.emit(Command::Suspend),
            Action::Nav(Nav::Down | Nav::ScrollDown(_) | Nav::PageDown | Nav::HalfDown) => {
                self.help_scroll += 1
            }
            Action::Nav(Nav::Up | Nav::ScrollUp(_) | Nav::PageUp | Nav::HalfUp) => {
                self.help_scroll = self.help_scroll.saturating_sub(1)
            }
            Action::Nav(Nav::Top | Nav::Bottom)
            | Action::App(
                AppAction::ToggleHelp
                | AppAction::ToggleFragments
                | AppAction::Copy
                | AppAction::CopyCitation
                | AppAction::OpenPager
                | AppAction::Pipe
                | AppAction::JumpToDate
                | AppAction::FilterIssues
                | AppAction::DeleteSearch,
            )
            | Action::Go(_)
            | Action::Search(_)
            | Action::Triage(_)
            | Action::Prompt(_) => self.help = false,
        }
    }

    pub(crate) fn apply_app(&mut self, a: AppAction) {
        match a {
            AppAction::Resize(w, h) => {
                self.width = w;
                self.height = h;
            }
            AppAction::Quit => {
                self.save_position();
                self.emit(Command::Quit);
            }
            AppAction::Suspend => self.emit(Command::Suspend),
            AppAction::Copy => {
                self.with_article(|r| Command::Copy(crate::article::to_text(r), "article".into()))
            }
            AppAction::CopyCitation => {
                self.with_article(|r| Command::Copy(crate::article::citation(r), "citation".into()))
            }
            AppAction::OpenPager => {
                self.with_article(|r| Command::Pager(crate::article::to_text(r)))
            }
            AppAction::Pipe => match self.target_record().map(|r| r.id.clone()) {
                Some(id) => self.start_prompt(super::parts::PromptKind::Pipe(id), ""),
                None => self.message = "no article selected".into(),
            },
            AppAction::JumpToDate => self.start_prompt(super::parts::PromptKind::Date, ""),
            AppAction::FilterIssues => {
                let f = self.issue_filter.clone();
                self.focus = Pane::Issues;
                self.start_prompt(super::parts::PromptKind::Filter(f.clone()), &f)
            }
            AppAction::DeleteSearch => {
                let (folders, _, row) = self.issue_rows();
                match folders
                    .get(row)
                    .filter(|f| f.saved && self.focus == Pane::Issues)
                {
                    Some(f) => {
                        let q = f.query.clone();
                        self.saved.retain(|s| *s != q);
                        self.folder_sel = (row > 0).then(|| row - 1);
                        self.message = format!("deleted the saved search: {q}");
                        self.emit(Command::UnsaveSearch(q));
                    }
                    None => self.message = "select a saved search in the issue list".into(),
                }
            }
            AppAction::ToggleHelp => {
                self.help = true;
                self.help_scroll = 0;
            }
            AppAction::ToggleFragments => {
                self.show_fragments = !self.show_fragments;
                let n = self.current_issue().map(|i| i.n_fragments).unwrap_or(0);
                self.message = if self.show_fragments {
                    format!(
                        "showing {} (captions, boxes) after the articles",
                        crate::text::count(n, "fragment", "fragments")
                    )
                } else {
                    "fragments hidden".into()
                };
                self.article_sel = self.article_sel.min(self.list_len().saturating_sub(1));
            }
        }
    }

    /// The article an action on "the article" means: the hit selected in the results list, or
    /// the article selected or read.
    pub fn target_record(&self) -> Option<&Record> {
        match self.selected_hit_id() {
            Some(id) => self.record(&id),
            None if self.search.is_some() => None,
            None => self.current_record(),
        }
    }

    /// Ask for `f` of the selected article, or say there is none.
    fn with_article(&mut self, f: impl FnOnce(&Record) -> Command) {
        match self.target_record().map(f) {
            Some(c) => self.emit(c),
            None => self.message = "no article selected".into(),
        }
    }

    fn apply_nav(&mut self, n: Nav) {
        match n {
            Nav::Up => self.nav(-1),
            Nav::Down => self.nav(1),
            Nav::PageUp => self.nav(-(self.page() as isize)),
            Nav::PageDown => self.nav(self.page() as isize),
            Nav::HalfUp => self.nav(-(self.page() as isize / 2).max(1)),
            Nav::HalfDown => self.nav((self.page() as isize / 2).max(1)),
            Nav::ScrollUp(n) => self.nav(-(n as isize)),
            Nav::ScrollDown(n) => self.nav(n as isize),
            Nav::Top => match self.focus {
                Pane::Reader => self.reader.scroll = 0,
                // the first issue (the folders are above it: k reaches them)
                Pane::Issues => {
                    let (folders, vis, _) = self.issue_rows();
                    self.select_issue_row(folders.len(), folders.len(), &vis)
                }
                Pane::Articles => self.move_sel(-(self.list_len() as isize)),
            },
            Nav::Bottom => match self.focus {
                Pane::Reader => self.scroll(self.reader.total_lines as isize),
                Pane::Issues | Pane::Articles => self.move_sel(isize::MAX / 2),
            },
        }
    }

    fn apply_go(&mut self, g: Go) {
        match g {
            Go::Open => match self.focus {
                Pane::Issues if self.folder_sel.is_some() => {
                    let (folders, _, row) = self.issue_rows();
                    if let Some(f) = folders.get(row) {
                        let q = f.query.clone();
                        self.open_query(&q);
                    }
                }
                Pane::Issues => {
                    if !self.issues.is_empty() {
                        self.focus = Pane::Articles;
                        self.article_sel = self.article_sel.min(self.list_len().saturating_sub(1));
                    }
                }
                Pane::Articles => self.open_reader(),
                Pane::Reader => {}
            },
            Go::Back => match self.focus {
                Pane::Reader if self.parked.is_some() => {
                    self.save_position();
                    self.reader.terms.clear();
                    self.back_to_results();
                }
                Pane::Reader => {
                    self.save_position();
                    self.focus = Pane::Articles;
                    self.reader.terms.clear();
                }
                Pane::Articles => self.focus = Pane::Issues,
                Pane::Issues => {}
            },
            Go::NextPane => {
                self.focus = match self.focus {
                    Pane::Issues => Pane::Articles,
                    Pane::Articles if self.current_record().is_some() => Pane::Reader,
                    Pane::Articles => Pane::Issues,
                    Pane::Reader => Pane::Issues,
                };
            }
            Go::NextArticle | Go::PrevArticle => {
                self.save_position();
                let d = if g == Go::NextArticle { 1 } else { -1 };
                if self.focus == Pane::Reader && self.step_results(d) {
                    return;
                }
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
            Go::NextIssue | Go::PrevIssue => {
                self.save_position();
                let d: isize = if g == Go::NextIssue { 1 } else { -1 };
                let vis = self.visible_issues();
                let at = vis.iter().position(|&i| i == self.issue_sel);
                let to = at.map_or(0, |a| a as isize + d);
                match vis.get(to.max(0) as usize).filter(|_| to >= 0) {
                    Some(&i) => {
                        self.parked = None;
                        self.folder_sel = None;
                        self.issue_sel = i;
                        self.article_sel = 0;
                        self.reader = Reader::default();
                        if self.focus == Pane::Reader && self.current_record().is_none() {
                            self.focus = Pane::Articles;
                        }
                        self.message = format!("issue {}", self.issues[i].date_or_source());
                    }
                    None => {
                        self.message = if d > 0 {
                            "this is the oldest issue"
                        } else {
                            "this is the newest issue"
                        }
                        .into()
                    }
                }
            }
            Go::NextMatch | Go::PrevMatch => {
                let n = self.reader.match_lines.len();
                if n == 0 {
                    self.message = "no matches in this article".into();
                } else {
                    self.reader.current_match = if g == Go::NextMatch {
                        (self.reader.current_match + 1) % n
                    } else {
                        (self.reader.current_match + n - 1) % n
                    };
                    self.scroll_to_match();
                }
            }
        }
    }

    fn nav(&mut self, delta: isize) {
        if self.focus == Pane::Reader {
            self.scroll(delta);
        } else {
            self.move_sel(delta);
        }
    }

    /// Take in what drawing measured: the screen size, the article's wrapped length and match
    /// lines (a newly opened search hit scrolls to its first match), the help overlay's reach.
    /// Returns whether that changed what is shown (then the frame is drawn again, so that the
    /// status line, drawn from the state before, agrees).
    pub fn measured(&mut self, m: Measured) -> bool {
        // everything drawing can change that a frame shows
        let shown = |a: &App| {
            (
                a.width,
                a.height,
                a.reader.scroll,
                a.reader.current_match,
                a.reader.total_lines,
                a.reader.height,
                a.reader.match_lines.clone(),
                a.help_scroll,
            )
        };
        let before = shown(self);
        self.width = m.width;
        self.height = m.height;
        if let Some((total, height, match_lines)) = m.reader {
            self.reader.scroll = Self::scroll_within(
                self.reader.scroll,
                self.reader.current_match,
                &match_lines,
                total,
                height,
            );
            if self.reader.current_match == usize::MAX {
                self.reader.current_match = 0;
            }
            self.reader.total_lines = total;
            self.reader.height = height;
            self.reader.match_lines = match_lines;
        }
        if let Some(max) = m.help_scroll_max {
            self.help_scroll = self.help_scroll.min(max);
        }
        before != shown(self)
    }

    /// The scroll to show an article at: `scroll` kept within the text, or, for an article
    /// just opened from a search (`current_match` unset), its first match a third from the top.
    pub fn scroll_within(
        scroll: usize,
        current_match: usize,
        match_lines: &[usize],
        total: usize,
        height: usize,
    ) -> usize {
        let max = total.saturating_sub(height.max(1));
        match match_lines.first() {
            Some(&l) if current_match == usize::MAX => l.saturating_sub(height / 3).min(max),
            _ => scroll.min(max),
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

    /// The whole list from the catalog (after the first screen, or after the archive
    /// changed), newest first: selections kept on the same issue and article; records are
    /// read again when needed (they may have changed); `loader` reads them from now on.
    pub fn replace_listed(&mut self, issues: Vec<Listed>, loader: Loader) {
        self.loader = Some(loader);
        self.replace_views(issues.into_iter().map(IssueView::listed).collect());
    }

    fn replace_views(&mut self, views: Vec<IssueView>) {
        let cur_issue = self
            .place_pending
            .take()
            .or_else(|| self.current_issue().map(|i| i.id().to_string()));
        let cur_rec = self.current_record().map(|r| r.id.clone());
        self.issues = views;
        self.issues_gen += 1;
        self.loads.set(0);
        self.reindex();
        self.issue_sel = cur_issue
            .and_then(|id| self.issues.iter().position(|i| i.id() == id))
            .unwrap_or(0)
            .min(self.issues.len().saturating_sub(1));
        self.article_sel = cur_rec
            .and_then(|id| self.list_records().iter().position(|r| r.id == id))
            .unwrap_or(0);
        if self.current_record().is_none() && self.focus == Pane::Reader {
            self.focus = Pane::Articles;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IssueMeta;

    fn listed(id: &str, source: &str, date: &str, paper: &str, lead: &str, ids: &[&str]) -> Listed {
        Listed {
            meta: IssueMeta {
                id: id.into(),
                source: source.into(),
                paper: paper.into(),
                date: date.into(),
                page: "3".into(),
                title: "not kept".into(),
                encoding: "UTF-8".into(),
                size: 10,
                mtime: 20,
            },
            lead: lead.into(),
            articles: ids.join("\n"),
            fragments: 2,
        }
    }

    #[test]
    fn an_issue_view_gives_back_each_field_it_keeps() {
        let v = IssueView::listed(listed(
            "abc",
            "2024/滨江日报-01.txt",
            "2024-11-19",
            "滨江日报",
            "新区开工",
            &["a1", "b2-2", "c3"],
        ));
        assert_eq!(v.id(), "abc");
        assert_eq!(v.source(), "2024/滨江日报-01.txt");
        assert_eq!(v.date(), "2024-11-19");
        assert_eq!(v.paper(), "滨江日报");
        assert_eq!(v.lead(), "新区开工");
        assert_eq!(v.date_or_source(), "2024-11-19");
        assert_eq!(v.article_ids().collect::<Vec<_>>(), ["a1", "b2-2", "c3"]);
        assert_eq!((v.n_articles, v.n_fragments), (3, 2));
        // empty fields stay empty, and do not take their neighbours' text
        let e = IssueView::listed(listed("", "x.txt", "", "", "", &[]));
        assert_eq!(
            (e.id(), e.source(), e.date(), e.paper(), e.lead()),
            ("", "x.txt", "", "", "")
        );
        assert_eq!(e.article_ids().count(), 0);
        assert_eq!(e.date_or_source(), "x.txt");
        assert_eq!(e.n_articles, 0);
    }

    #[test]
    fn issues_are_found_by_their_file() {
        let issues: Vec<Listed> = ["c.txt", "a.txt", "b/z.txt", "b.txt"]
            .iter()
            .enumerate()
            .map(|(i, s)| listed(&format!("id{i}"), s, "", "", "", &[]))
            .collect();
        let mut app = App::new(Vec::new(), Settings::default(), "t".into());
        app.replace_listed(issues, std::sync::Arc::new(|_: &str| Ok(Vec::new())));
        for iv in 0..app.issues.len() {
            let s = app.issues[iv].source().to_string();
            assert_eq!(app.issue_of_source(&s), Some(iv), "{s}");
        }
        assert_eq!(app.issue_of_source("missing.txt"), None);
    }
}
