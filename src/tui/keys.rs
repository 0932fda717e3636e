//! Keys to actions. Which keys do what depends on the mode: the lists and the reader, or a text
//! box (the search box, the tag editor). Every action has a name, and the keymap (defaults,
//! then `[keys]` and `[input_keys]` in the config, then `--bind`) binds keys to names; the help
//! overlay is generated from it. In a text box, keys bound to nothing type themselves.

use super::action::*;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

/// What deciding a key needs to know of the app: which mode it is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyCtx {
    /// A prompt (tags, date, filter, pipe) is open on the status line.
    pub prompt: bool,
    /// The search box is open and focused (not its list of results).
    pub search: bool,
    /// The help overlay is shown.
    pub help: bool,
    /// The reader shows an article with matches (N steps back through them).
    pub shows_matches: bool,
}

/// Keys to actions by the active [`Keymap`]. Ctrl-c and Ctrl-z work in every mode.
pub fn key(keymap: &Keymap, cx: KeyCtx, k: KeyEvent) -> Option<Action> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('c')) {
        return Some(Action::App(AppAction::Quit));
    }
    if ctrl && matches!(k.code, KeyCode::Char('z')) {
        return Some(Action::App(AppAction::Suspend));
    }
    let typed = match k.code {
        KeyCode::Char(c) if !ctrl => Some(c),
        _ => None,
    };
    if cx.prompt && !cx.help {
        return match keymap.input_name(&k) {
            Some("cancel") => Some(Action::Prompt(PromptAction::Cancel)),
            Some("submit") => Some(Action::Prompt(PromptAction::Submit)),
            Some("backspace") => Some(Action::Prompt(PromptAction::Backspace)),
            Some(_) => None,
            None => typed.map(|x| Action::Prompt(PromptAction::Input(x))),
        };
    }
    if cx.search && !cx.help {
        return match keymap.input_name(&k) {
            Some(name) => INPUT_ACTIONS
                .iter()
                .find(|a| a.0 == name)
                .map(|a| a.1.clone()),
            None => typed.map(|x| Action::Search(SearchAction::Input(x))),
        };
    }
    keymap.action(cx, k)
}

/// The actions of a text box (the search box; the tag editor uses cancel, submit and
/// backspace): name, action in the search box, default keys, help.
pub const INPUT_ACTIONS: &[(&str, Action, &[&str], &str)] = &[
    (
        "cancel",
        Action::Search(SearchAction::Close),
        &["Esc"],
        "close the box",
    ),
    (
        "submit",
        Action::Search(SearchAction::OpenResult),
        &["Enter"],
        "open the result (save tags)",
    ),
    (
        "prev_result",
        Action::Search(SearchAction::Up),
        &["Ctrl-p", "Ctrl-k"],
        "previous result",
    ),
    (
        "next_result",
        Action::Search(SearchAction::Down),
        &["Ctrl-n", "Ctrl-j"],
        "next result",
    ),
    (
        "to_results",
        Action::Search(SearchAction::ToResults),
        &["Tab"],
        "to the list of results (j k Enter; / back to the box)",
    ),
    (
        "history_prev",
        Action::Search(SearchAction::HistoryPrev),
        &["Up"],
        "an earlier query",
    ),
    (
        "history_next",
        Action::Search(SearchAction::HistoryNext),
        &["Down"],
        "a later query",
    ),
    (
        "history_search",
        Action::Search(SearchAction::HistorySearch),
        &["Ctrl-r"],
        "search earlier queries (again: older)",
    ),
    (
        "save_search",
        Action::Search(SearchAction::Save),
        &["Ctrl-s"],
        "save the query (listed above the issues)",
    ),
    (
        "left",
        Action::Search(SearchAction::Left),
        &["Left"],
        "caret left",
    ),
    (
        "right",
        Action::Search(SearchAction::Right),
        &["Right"],
        "caret right",
    ),
    (
        "home",
        Action::Search(SearchAction::Home),
        &["Home", "Ctrl-a"],
        "caret to the start",
    ),
    (
        "end",
        Action::Search(SearchAction::End),
        &["End", "Ctrl-e"],
        "caret to the end",
    ),
    (
        "backspace",
        Action::Search(SearchAction::Backspace),
        &["Backspace"],
        "delete before the caret",
    ),
    (
        "delete",
        Action::Search(SearchAction::Delete),
        &["Delete"],
        "delete at the caret",
    ),
    (
        "delete_word",
        Action::Search(SearchAction::DeleteWord),
        &["Ctrl-w"],
        "delete a word",
    ),
    (
        "clear_line",
        Action::Search(SearchAction::ClearLine),
        &["Ctrl-u"],
        "delete to the start",
    ),
];

pub fn mouse(m: MouseEvent) -> Option<Action> {
    match m.kind {
        MouseEventKind::ScrollDown => Some(Action::Nav(Nav::ScrollDown(3))),
        MouseEventKind::ScrollUp => Some(Action::Nav(Nav::ScrollUp(3))),
        _ => None,
    }
}

/// A key as the config writes it: `j`, `G`, `Ctrl-d`, `Alt-x`, `Enter`, `Space`, `F1`…
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

const NAMED: &[(&str, KeyCode)] = &[
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Space", KeyCode::Char(' ')),
];

impl Key {
    pub fn parse(s: &str) -> Result<Key, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("c-")) {
                ctrl = true;
                rest = &rest[rest.find('-').expect("has -") + 1..];
            } else if rest.len() > 1 && (lower.starts_with("alt-") || lower.starts_with("m-")) {
                alt = true;
                rest = &rest[rest.find('-').expect("has -") + 1..];
            } else {
                break;
            }
        }
        let code = if let Some((_, c)) = NAMED.iter().find(|(n, _)| n.eq_ignore_ascii_case(rest)) {
            *c
        } else if let Some(n) = rest
            .strip_prefix(['F', 'f'])
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=12).contains(n))
        {
            KeyCode::F(n)
        } else {
            let mut cs = rest.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) if !c.is_control() => {
                    KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
                }
                _ => {
                    return Err(format!(
                        "unknown key {s:?} (a character, Ctrl-x, Alt-x, F1–F12, or one of {})",
                        NAMED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" ")
                    ))
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }

    fn from_event(k: &KeyEvent) -> Key {
        let code = match k.code {
            KeyCode::Char(c) if k.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        Key {
            code,
            ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
            alt: k.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            c => match NAMED.iter().find(|(_, k)| *k == c) {
                Some((n, _)) => f.write_str(n),
                None => write!(f, "{c:?}"),
            },
        }
    }
}

/// Every action that keys can be bound to: its name in the config, the action, its default
/// keys, and what the help overlay says.
pub const ACTIONS: &[(&str, Action, &[&str], &str)] = &[
    (
        "down",
        Action::Nav(Nav::Down),
        &["j", "Down"],
        "move down (scroll in the reader)",
    ),
    (
        "up",
        Action::Nav(Nav::Up),
        &["k", "Up"],
        "move up (scroll in the reader)",
    ),
    (
        "top",
        Action::Nav(Nav::Top),
        &["g", "Home"],
        "first (top of the article)",
    ),
    (
        "bottom",
        Action::Nav(Nav::Bottom),
        &["G", "End"],
        "last (bottom of the article)",
    ),
    (
        "page_down",
        Action::Nav(Nav::PageDown),
        &["PageDown", "Space"],
        "page down",
    ),
    ("page_up", Action::Nav(Nav::PageUp), &["PageUp"], "page up"),
    (
        "half_page_down",
        Action::Nav(Nav::HalfDown),
        &["Ctrl-d"],
        "half a page down",
    ),
    (
        "half_page_up",
        Action::Nav(Nav::HalfUp),
        &["Ctrl-u"],
        "half a page up",
    ),
    (
        "open",
        Action::Go(Go::Open),
        &["Enter", "l", "Right"],
        "open the issue or article",
    ),
    (
        "back",
        Action::Go(Go::Back),
        &["Esc", "h", "Left", "Backspace"],
        "back",
    ),
    ("next_pane", Action::Go(Go::NextPane), &["Tab"], "next pane"),
    (
        "next_article",
        Action::Go(Go::NextArticle),
        &["]"],
        "next article while reading",
    ),
    (
        "prev_article",
        Action::Go(Go::PrevArticle),
        &["["],
        "previous article while reading",
    ),
    (
        "next_issue",
        Action::Go(Go::NextIssue),
        &["J"],
        "next (older) issue, also while reading",
    ),
    (
        "prev_issue",
        Action::Go(Go::PrevIssue),
        &["K"],
        "previous (newer) issue",
    ),
    (
        "search",
        Action::Search(SearchAction::Open),
        &["/"],
        "search as you type (back to the box from results)",
    ),
    (
        "save_search",
        Action::Search(SearchAction::Save),
        &["S"],
        "save the search shown (listed above the issues)",
    ),
    (
        "delete_search",
        Action::App(AppAction::DeleteSearch),
        &["D"],
        "delete the saved search selected",
    ),
    (
        "jump_to_date",
        Action::App(AppAction::JumpToDate),
        &[":"],
        "go to a date in the issue list (2024-05-28, 2024-05)",
    ),
    (
        "filter_issues",
        Action::App(AppAction::FilterIssues),
        &["F"],
        "filter the issue list as you type",
    ),
    (
        "next_match",
        Action::Go(Go::NextMatch),
        &["n"],
        "next match of the search in the article",
    ),
    (
        "prev_match",
        Action::Go(Go::PrevMatch),
        &["N"],
        "previous match of the search",
    ),
    (
        "next_unread",
        Action::Triage(TriageAction::NextUnread),
        &["N"],
        "next unread article, across issues",
    ),
    (
        "prev_unread",
        Action::Triage(TriageAction::PrevUnread),
        &["P"],
        "previous unread article, across issues",
    ),
    (
        "toggle_read",
        Action::Triage(TriageAction::ToggleRead),
        &["m"],
        "mark read / unread",
    ),
    (
        "toggle_star",
        Action::Triage(TriageAction::ToggleStar),
        &["s"],
        "star / unstar",
    ),
    (
        "edit_tags",
        Action::Triage(TriageAction::EditTags),
        &["t"],
        "edit tags (space between tags)",
    ),
    (
        "mark_issue_read",
        Action::Triage(TriageAction::MarkIssueRead),
        &["M", "A"],
        "mark the whole issue read (u undoes)",
    ),
    (
        "hide_read_issues",
        Action::Triage(TriageAction::ToggleHideRead),
        &["H"],
        "hide / show issues with nothing unread",
    ),
    (
        "undo",
        Action::Triage(TriageAction::Undo),
        &["u"],
        "undo the last mark",
    ),
    (
        "cycle_view",
        Action::Triage(TriageAction::CycleView),
        &["v"],
        "view: all → unread → starred → each tag",
    ),
    (
        "toggle_fragments",
        Action::App(AppAction::ToggleFragments),
        &["f"],
        "show or hide captions and boxes",
    ),
    (
        "copy",
        Action::App(AppAction::Copy),
        &["y"],
        "copy the article to the clipboard",
    ),
    (
        "copy_citation",
        Action::App(AppAction::CopyCitation),
        &["Y"],
        "copy a citation line",
    ),
    (
        "open_pager",
        Action::App(AppAction::OpenPager),
        &["o"],
        "open the article in $PAGER",
    ),
    (
        "pipe",
        Action::App(AppAction::Pipe),
        &["|"],
        "pipe the article to a command",
    ),
    (
        "help",
        Action::App(AppAction::ToggleHelp),
        &["?"],
        "this help",
    ),
    (
        "suspend",
        Action::App(AppAction::Suspend),
        &["Ctrl-z"],
        "suspend (fg resumes)",
    ),
    (
        "quit",
        Action::App(AppAction::Quit),
        &["q", "Ctrl-c"],
        "quit",
    ),
];

/// A key bound to two actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub key: Key,
    pub actions: [&'static str; 2],
    /// In text boxes (`[input_keys]`), not the lists and reader (`[keys]`).
    pub input: bool,
}

impl std::fmt::Display for Clash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [a, b] = self.actions;
        write!(f, "key {} is bound to both {a} and {b}", self.key)?;
        if self.input {
            f.write_str(" in text boxes")?;
        }
        Ok(())
    }
}

/// Keys to action names. A key may be bound to `prev_match` and `next_unread` at once: the
/// first applies while an article shows matches, the second otherwise.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// Action name → keys, in [`ACTIONS`] order.
    pub bindings: Vec<(&'static str, Vec<Key>)>,
    /// Text box action name → keys, in [`INPUT_ACTIONS`] order.
    pub input: Vec<(&'static str, Vec<Key>)>,
}

fn parse_all(keys: &[&str]) -> Vec<Key> {
    keys.iter()
        .map(|k| Key::parse(k).expect("default keys parse"))
        .collect()
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: ACTIONS
                .iter()
                .map(|(n, _, keys, _)| (*n, parse_all(keys)))
                .collect(),
            input: INPUT_ACTIONS
                .iter()
                .map(|(n, _, keys, _)| (*n, parse_all(keys)))
                .collect(),
        }
    }
}

impl Keymap {
    /// Rebind `name` to `keys` (replacing its defaults). Errors name the problem.
    pub fn bind(&mut self, name: &str, keys: &[String]) -> Result<(), String> {
        let Some(slot) = self.bindings.iter_mut().find(|(n, _)| *n == name) else {
            return Err(format!(
                "unknown action {name:?}; actions are: {}",
                ACTIONS.iter().map(|a| a.0).collect::<Vec<_>>().join(" ")
            ));
        };
        slot.1 = keys
            .iter()
            .map(|k| Key::parse(k))
            .collect::<Result<_, _>>()?;
        Ok(())
    }

    /// Rebind the text box action `name` to `keys`.
    pub fn bind_input(&mut self, name: &str, keys: &[String]) -> Result<(), String> {
        let Some(slot) = self.input.iter_mut().find(|(n, _)| *n == name) else {
            return Err(format!(
                "unknown text box action {name:?}; they are: {}",
                INPUT_ACTIONS
                    .iter()
                    .map(|a| a.0)
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        };
        let keys: Vec<Key> = keys
            .iter()
            .map(|k| Key::parse(k))
            .collect::<Result<_, _>>()?;
        if let Some(k) = keys
            .iter()
            .find(|k| !k.ctrl && !k.alt && matches!(k.code, KeyCode::Char(_)))
        {
            return Err(format!(
                "{name}: {k} is a character you type; in a text box bind keys such as Ctrl-x, Alt-x, Enter or arrows"
            ));
        }
        slot.1 = keys;
        Ok(())
    }

    /// The text box action `k` is bound to, if any.
    pub fn input_name(&self, k: &KeyEvent) -> Option<&'static str> {
        let key = Key::from_event(k);
        self.input
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(n, _)| *n)
    }

    /// A key bound to two actions (other than the prev_match/next_unread pair) is an error.
    pub fn check(&self) -> Result<(), String> {
        match self.clash() {
            None => Ok(()),
            Some(c) => Err(c.to_string()),
        }
    }

    /// The first key bound to two actions, if any.
    pub fn clash(&self) -> Option<Clash> {
        let mut seen: std::collections::HashMap<Key, &'static str> = Default::default();
        for (name, keys) in &self.input {
            for k in keys {
                if let Some(other) = seen.insert(*k, name) {
                    return Some(Clash {
                        key: *k,
                        actions: [other, name],
                        input: true,
                    });
                }
            }
        }
        seen.clear();
        for (name, keys) in &self.bindings {
            for k in keys {
                if let Some(other) = seen.insert(*k, name) {
                    let pair = [other, *name];
                    if pair != ["prev_match", "next_unread"] {
                        return Some(Clash {
                            key: *k,
                            actions: pair,
                            input: false,
                        });
                    }
                }
            }
        }
        None
    }

    fn action_of(name: &str) -> Action {
        ACTIONS
            .iter()
            .find(|a| a.0 == name)
            .map(|a| a.1.clone())
            .expect("known action")
    }

    /// What `k` does in the lists and the reader.
    pub fn action(&self, cx: KeyCtx, k: KeyEvent) -> Option<Action> {
        let key = Key::from_event(&k);
        let shows_matches = cx.shows_matches;
        let mut found = None;
        for (name, keys) in &self.bindings {
            if keys.contains(&key) {
                if *name == "prev_match" && !shows_matches {
                    continue;
                }
                found = Some(Self::action_of(name));
                break;
            }
        }
        found
    }

    /// The help overlay's rows: keys and what they do, from the active bindings; text box
    /// keys last, their help starting with "search box:".
    pub fn help_rows(&self) -> Vec<(String, String)> {
        let join = |keys: &[Key]| {
            keys.iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let help_of = |table: &[(&str, Action, &[&str], &'static str)], name: &str| {
            table
                .iter()
                .find(|a| a.0 == name)
                .map(|a| a.3)
                .unwrap_or("")
        };
        let mut rows: Vec<(String, String)> = self
            .bindings
            .iter()
            .filter(|(_, keys)| !keys.is_empty())
            .map(|(name, keys)| (join(keys), help_of(ACTIONS, name).to_string()))
            .collect();
        rows.extend(
            self.input
                .iter()
                .filter(|(_, keys)| !keys.is_empty())
                .map(|(name, keys)| {
                    (
                        join(keys),
                        format!("search box: {}", help_of(INPUT_ACTIONS, name)),
                    )
                }),
        );
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print() {
        for (s, shown) in [
            ("j", "j"),
            ("G", "G"),
            ("Ctrl-d", "Ctrl-d"),
            ("C-D", "Ctrl-d"),
            ("alt-x", "Alt-x"),
            ("Enter", "Enter"),
            ("space", "Space"),
            ("F5", "F5"),
            ("Down", "↓"),
            ("-", "-"),
            ("Ctrl--", "Ctrl--"),
        ] {
            assert_eq!(Key::parse(s).unwrap().to_string(), shown, "{s}");
        }
        for bad in ["", "jk", "Ctrl-", "F13", "Hyper-x", "\u{1b}"] {
            assert!(Key::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn the_default_keymap_is_consistent() {
        let m = Keymap::default();
        m.check().unwrap();
        assert_eq!(m.bindings.len(), ACTIONS.len());
        let mut m2 = m.clone();
        m2.bind("toggle_star", &["*".into()]).unwrap();
        m2.check().unwrap();
        m2.bind("undo", &["j".into()]).unwrap();
        assert!(m2
            .check()
            .unwrap_err()
            .contains("bound to both down and undo"));
        assert!(m
            .clone()
            .bind("fly", &["x".into()])
            .unwrap_err()
            .contains("unknown action"));
    }
}
