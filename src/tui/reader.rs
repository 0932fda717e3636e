//! Laying an article out for the reader: headline block, then paragraphs wrapped at the
//! reading measure with Chinese line-breaking rules, search matches highlighted, OCR gaps
//! marked. Pure: the same record, width and settings give the same lines.

use super::app::Settings;
use super::theme::Theme;
use crate::model::Record;
use crate::text::{sanitize_for_terminal, GAP_MARK};
use crate::wrap::{width as text_width, wrap_ranges};
use ratatui::text::{Line, Span};

pub struct Laid {
    pub lines: Vec<Line<'static>>,
    /// Line index of every match, in order.
    pub match_lines: Vec<usize>,
}

/// Char ranges of `terms` (folded like search) in `text`.
pub fn match_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut folded = Vec::new();
    let mut origin = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let mut b = [0u8; 4];
        for f in crate::text::fold(c.encode_utf8(&mut b)).chars() {
            folded.push(f);
            origin.push(i);
        }
    }
    let mut out = Vec::new();
    for t in terms {
        let n: Vec<char> = crate::index::tokens::fold_chars(t);
        if n.is_empty() || n.len() > folded.len() {
            continue;
        }
        for at in 0..=folded.len() - n.len() {
            if folded[at..at + n.len()] == n[..] {
                out.push((origin[at], origin[at + n.len() - 1] + 1));
            }
        }
    }
    out.sort();
    out
}

/// Is this paragraph an in-article subhead (short, no sentence end)?
fn looks_like_subhead(p: &str) -> bool {
    p.chars().count() <= 30 && !crate::text::ends_sentence(p) && !p.ends_with('，')
}

fn styled_line(
    chars: &[char],
    range: std::ops::Range<usize>,
    matches: &[(usize, usize)],
    base: ratatui::style::Style,
    theme: &Theme,
    pad: usize,
    prefix: &str,
) -> (Line<'static>, bool) {
    let mut spans: Vec<Span<'static>> = Vec::new();
    if pad > 0 {
        spans.push(Span::raw(" ".repeat(pad)));
    }
    if !prefix.is_empty() {
        spans.push(Span::raw(prefix.to_string()));
    }
    let mut has_match = false;
    let mut cur = String::new();
    let mut cur_style = base;
    for i in range {
        let c = chars[i];
        let in_match = matches.iter().any(|&(s, e)| i >= s && i < e);
        has_match |= in_match;
        let style = if in_match {
            theme.highlight
        } else if c == GAP_MARK {
            theme.gap
        } else {
            base
        };
        if style != cur_style && !cur.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut cur), cur_style));
        }
        cur_style = style;
        cur.push(c);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(cur, cur_style));
    }
    (Line::from(spans), has_match)
}

/// Lay out `r` for a reader `width` cells wide.
pub fn lay_out(r: &Record, width: usize, s: &Settings, terms: &[String], theme: &Theme) -> Laid {
    let measure = s.measure.min(width).max(4);
    let pad = (width.saturating_sub(measure)) / 2;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut match_lines = Vec::new();
    let mut block =
        |text: &str, style: ratatui::style::Style, indent: bool, lines: &mut Vec<Line<'static>>| {
            let clean = sanitize_for_terminal(text).into_owned();
            let chars: Vec<char> = clean.chars().collect();
            let matches = match_ranges(&clean, terms);
            let prefix = if indent { "\u{3000}\u{3000}" } else { "" };
            let first = measure.saturating_sub(text_width(prefix, s.ambiguous));
            for (k, range) in wrap_ranges(&clean, measure, first, s.ambiguous)
                .into_iter()
                .enumerate()
            {
                let (line, hit) = styled_line(
                    &chars,
                    range,
                    &matches,
                    style,
                    theme,
                    pad,
                    if k == 0 { prefix } else { "" },
                );
                if hit {
                    match_lines.push(lines.len());
                }
                lines.push(line);
            }
        };
    if !r.section.is_empty() {
        block(&format!("【{}】", r.section), theme.dim, false, &mut lines);
    }
    if !r.kicker.is_empty() {
        block(&r.kicker, theme.dim, false, &mut lines);
    }
    let title = if r.title.is_empty() {
        r.display_title()
    } else {
        r.title.clone()
    };
    block(&title, theme.title, false, &mut lines);
    if !r.subtitle.is_empty() {
        block(&r.subtitle, theme.subtitle, false, &mut lines);
    }
    let credit: Vec<&str> = [r.dateline.as_str(), r.byline.as_str()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect();
    if !credit.is_empty() {
        block(&credit.join("  "), theme.byline, false, &mut lines);
    }
    lines.push(Line::raw(""));
    for p in &r.paragraphs {
        if looks_like_subhead(p) {
            block(p, theme.subhead, false, &mut lines);
        } else {
            block(p, theme.text, s.indent, &mut lines);
        }
        lines.push(Line::raw(""));
    }
    if lines.last().is_some_and(|l| l.width() == 0) {
        lines.pop();
    }
    Laid { lines, match_lines }
}
