//! Styles. The default theme reads on dark and light backgrounds: it keeps the terminal's own
//! foreground and background and leans on bold, dim and reverse, with a few of the 16 basic
//! colours that every terminal has. `rich` adds softer 256-colour accents where the terminal
//! has them and degrades to the default where it has only 16. `mono`, or NO_COLOR, uses no
//! colour at all.

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

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    None,
    Basic16,
    Indexed256,
    TrueColor,
}

/// The theme names `theme =` and `--theme` accept.
pub const THEMES: &[&str] = &["default", "rich", "mono"];

impl Depth {
    /// From the environment: NO_COLOR, COLORTERM and TERM.
    pub fn detect() -> Depth {
        let var = |k| std::env::var(k).unwrap_or_default().to_ascii_lowercase();
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            return Depth::None;
        }
        let (ct, term) = (var("COLORTERM"), var("TERM"));
        if ct == "truecolor" || ct == "24bit" || term.contains("direct") {
            Depth::TrueColor
        } else if term.contains("256") {
            Depth::Indexed256
        } else {
            Depth::Basic16
        }
    }
}

impl Theme {
    /// The default theme with colours (`true`) or without.
    pub fn new(color: bool) -> Theme {
        Theme::named("default", if color { Depth::Basic16 } else { Depth::None })
    }

    /// A theme by name (see [`THEMES`]; unknown names are refused by the config) for a terminal
    /// of the given colour depth.
    pub fn named(name: &str, depth: Depth) -> Theme {
        let depth = if name == "mono" { Depth::None } else { depth };
        let color = depth > Depth::None;
        let base = Style::default();
        let c = |s: Style, col: Color| if color { s.fg(col) } else { s };
        let mut t = Theme {
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
        };
        if name == "rich" && depth >= Depth::Indexed256 {
            // a warm highlight and a calm accent, legible on black and on white
            t.highlight = base.bg(Color::Indexed(222)).fg(Color::Indexed(16));
            t.border_focus = base.fg(Color::Indexed(37));
            t.title = t.title.fg(Color::Indexed(31));
            t.byline = t.byline.fg(Color::Indexed(244));
        }
        t
    }

    /// NO_COLOR (any value) turns colours off.
    pub fn from_env() -> Theme {
        Theme::named("default", Depth::detect())
    }

    /// Every style, for checks.
    pub fn styles(&self) -> [Style; 13] {
        [
            self.text,
            self.dim,
            self.title,
            self.subtitle,
            self.subhead,
            self.byline,
            self.highlight,
            self.gap,
            self.selected,
            self.border,
            self.border_focus,
            self.error,
            self.status,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours(t: &Theme) -> Vec<Color> {
        t.styles()
            .iter()
            .flat_map(|s| [s.fg, s.bg])
            .flatten()
            .collect()
    }

    #[test]
    fn themes_degrade_to_the_terminal() {
        for name in THEMES {
            assert!(
                colours(&Theme::named(name, Depth::None)).is_empty(),
                "{name}"
            );
            for c in colours(&Theme::named(name, Depth::Basic16)) {
                assert!(
                    !matches!(c, Color::Indexed(_) | Color::Rgb(..)),
                    "{name} uses {c:?} on a 16-colour terminal"
                );
            }
        }
        assert!(colours(&Theme::named("rich", Depth::Indexed256))
            .iter()
            .any(|c| matches!(c, Color::Indexed(_))));
        assert!(colours(&Theme::named("mono", Depth::TrueColor)).is_empty());
        // never a fixed background for body text: it keeps the terminal's, dark or light
        for name in THEMES {
            let t = Theme::named(name, Depth::TrueColor);
            assert_eq!((t.text.fg, t.text.bg), (None, None));
        }
    }
}
