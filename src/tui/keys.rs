//! Keys to actions. Which keys do what depends on the mode (search box open or not).

use super::app::{Action, App};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

pub fn key(app: &App, k: KeyEvent) -> Option<Action> {
    if k.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('c')) {
        return Some(Action::Quit);
    }
    if ctrl && matches!(k.code, KeyCode::Char('z')) {
        return Some(Action::Suspend);
    }
    if app.tag_edit.is_some() && !app.help {
        return Some(match k.code {
            KeyCode::Esc => Action::TagCancel,
            KeyCode::Enter => Action::TagSubmit,
            KeyCode::Backspace => Action::TagBackspace,
            KeyCode::Char(c) if !ctrl => Action::TagInput(c),
            _ => return None,
        });
    }
    if app.search.is_some() && !app.help {
        return Some(match (k.code, ctrl) {
            (KeyCode::Esc, _) => Action::SearchClose,
            (KeyCode::Enter, _) => Action::SearchOpenResult,
            (KeyCode::Backspace, _) => Action::SearchBackspace,
            (KeyCode::Delete, _) => Action::SearchDelete,
            (KeyCode::Left, _) => Action::SearchLeft,
            (KeyCode::Right, _) => Action::SearchRight,
            (KeyCode::Home, _) | (KeyCode::Char('a'), true) => Action::SearchHome,
            (KeyCode::End, _) | (KeyCode::Char('e'), true) => Action::SearchEnd,
            (KeyCode::Up, _) | (KeyCode::Char('p'), true) => Action::SearchUp,
            (KeyCode::Down, _) | (KeyCode::Char('n'), true) | (KeyCode::Tab, _) => {
                Action::SearchDown
            }
            (KeyCode::Char('w'), true) => Action::SearchDeleteWord,
            (KeyCode::Char('u'), true) => Action::SearchClearLine,
            (KeyCode::Char(c), false) => Action::SearchInput(c),
            _ => return None,
        });
    }
    Some(match (k.code, ctrl) {
        (KeyCode::Char('q'), false) => Action::Quit,
        (KeyCode::Char('j'), false) | (KeyCode::Down, _) => Action::Down,
        (KeyCode::Char('k'), false) | (KeyCode::Up, _) => Action::Up,
        (KeyCode::Char('g'), false) | (KeyCode::Home, _) => Action::Top,
        (KeyCode::Char('G'), _) | (KeyCode::End, _) => Action::Bottom,
        (KeyCode::PageDown, _) | (KeyCode::Char(' '), false) => Action::PageDown,
        (KeyCode::PageUp, _) => Action::PageUp,
        (KeyCode::Char('d'), true) => Action::HalfDown,
        (KeyCode::Char('u'), true) => Action::HalfUp,
        (KeyCode::Enter, _) | (KeyCode::Char('l'), false) | (KeyCode::Right, _) => Action::Open,
        (KeyCode::Esc, _)
        | (KeyCode::Char('h'), false)
        | (KeyCode::Left, _)
        | (KeyCode::Backspace, _) => Action::Back,
        (KeyCode::Tab, _) => Action::NextPane,
        (KeyCode::Char(']'), _) => Action::NextArticle,
        (KeyCode::Char('['), _) => Action::PrevArticle,
        (KeyCode::Char('?'), _) => Action::ToggleHelp,
        (KeyCode::Char('/'), _) => Action::SearchOpen,
        (KeyCode::Char('n'), false) => Action::NextMatch,
        // N: previous match while reading an article opened from a search, else next unread
        (KeyCode::Char('N'), _)
            if !app.reader.match_lines.is_empty() && app.focus == super::app::Pane::Reader =>
        {
            Action::PrevMatch
        }
        (KeyCode::Char('N'), _) => Action::NextUnread,
        (KeyCode::Char('f'), false) => Action::ToggleFragments,
        (KeyCode::Char('m'), false) => Action::ToggleRead,
        (KeyCode::Char('s'), false) => Action::ToggleStar,
        (KeyCode::Char('t'), false) => Action::EditTags,
        (KeyCode::Char('M'), _) => Action::MarkIssueRead,
        (KeyCode::Char('u'), false) => Action::Undo,
        (KeyCode::Char('v'), false) => Action::CycleView,
        _ => return None,
    })
}

pub fn mouse(m: MouseEvent) -> Option<Action> {
    match m.kind {
        MouseEventKind::ScrollDown => Some(Action::ScrollDown(3)),
        MouseEventKind::ScrollUp => Some(Action::ScrollUp(3)),
        _ => None,
    }
}
