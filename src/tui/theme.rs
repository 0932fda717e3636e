//! Styles. The default reads on dark and light backgrounds: it leans on bold, dim and reverse
//! rather than colours; with NO_COLOR it uses no colour at all.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub subtitle: Style,
    pub subhead: Style,
    pub byline: Style,
    pub highlight: Style,
    pub gap: Style,
    pub selected: Style,
    pub border: Style,
    pub border_focus: Style,
    pub error: Style,
    pub status: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        let base = Style::default();
        let c = |s: Style, col: Color| if color { s.fg(col) } else { s };
        Theme {
            text: base,
            dim: base.add_modifier(Modifier::DIM),
            title: base.add_modifier(Modifier::BOLD),
            subtitle: base.add_modifier(Modifier::ITALIC),
            subhead: base.add_modifier(Modifier::BOLD),
            byline: base.add_modifier(Modifier::DIM | Modifier::ITALIC),
            highlight: if color {
                base.bg(Color::Yellow).fg(Color::Black)
            } else {
                base.add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
            },
            gap: c(
                base.add_modifier(Modifier::DIM | Modifier::UNDERLINED),
                Color::Red,
            ),
            selected: base.add_modifier(Modifier::REVERSED),
            border: base.add_modifier(Modifier::DIM),
            border_focus: c(base, Color::Cyan),
            error: c(base.add_modifier(Modifier::BOLD), Color::Red),
            status: base.add_modifier(Modifier::REVERSED),
        }
    }

    /// NO_COLOR (any value) turns colours off.
    pub fn from_env() -> Theme {
        Theme::new(std::env::var_os("NO_COLOR").is_none())
    }
}
