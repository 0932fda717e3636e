//! What a key (or the mouse, or a resize) asks the reader to do. Split by concern so that each
//! part of the app handles its own kind exhaustively: a new variant is a compile error wherever
//! it is not handled, never swallowed by a catch-all.

/// Moving within the focused list or the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfUp,
    HalfDown,
    /// The mouse wheel: lines.
    ScrollUp(usize),
    ScrollDown(usize),
}

/// Going somewhere: into and out of panes, to the next article or match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Go {
    /// Enter / l: open the selection.
    Open,
    /// Esc / h: go back.
    Back,
    NextPane,
    NextArticle,
    PrevArticle,
    NextMatch,
    PrevMatch,
    /// J: the next (older) issue; while reading, its first article.
    NextIssue,
    /// K: the previous (newer) issue.
    PrevIssue,
}

/// The reader as a program: leaving, suspending, the terminal, overlays, handing text out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppAction {
    Quit,
    /// Ctrl-Z: stop like any job; `fg` resumes.
    Suspend,
    Resize(u16, u16),
    ToggleHelp,
    ToggleFragments,
    /// y: copy the article to the local clipboard (OSC 52).
    Copy,
    /// Y: copy a citation line.
    CopyCitation,
    /// o: open the article in $PAGER.
    OpenPager,
    /// |: pipe the article to a command (asks which).
    Pipe,
    /// : jump to a date in the issue list (asks which).
    JumpToDate,
    /// F: filter the issue list as you type.
    FilterIssues,
    /// D: delete the saved search selected in the issue list.
    DeleteSearch,
}

/// The search box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchAction {
    Open,
    Input(char),
    Paste(String),
    Backspace,
    Delete,
    DeleteWord,
    ClearLine,
    Left,
    Right,
    Home,
    End,
    Up,
    Down,
    /// Enter in the search box: open the selected result.
    OpenResult,
    Close,
    /// Up / Down in the box: older and newer queries from the history.
    HistoryPrev,
    HistoryNext,
    /// Ctrl-R: search the history (again: the next older match).
    HistorySearch,
    /// Tab: from the box to the list of results (j k Enter there; / back to the box).
    ToResults,
    /// Ctrl-S (S in the list): save the query; it is listed with the issues.
    Save,
}

/// Reader state: read, starred, tags, views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TriageAction {
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
    /// P: the previous unread article, across issues.
    PrevUnread,
    /// H: hide issues with nothing unread (again: show them).
    ToggleHideRead,
    /// v: all → unread → starred → each tag → all.
    CycleView,
}

/// A one-line prompt on the status line: tags, a date to jump to, the issue filter, a command
/// to pipe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptAction {
    Input(char),
    Backspace,
    Submit,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Nav(Nav),
    Go(Go),
    App(AppAction),
    Search(SearchAction),
    Triage(TriageAction),
    Prompt(PromptAction),
}
