//! Laying an article out for the reader: headline block, then paragraphs wrapped at the
//! reading measure with Chinese line-breaking rules, search matches highlighted, OCR gaps
//! marked. Pure: the same record, width and settings give the same lines.

use super::app::Settings;
use super::theme::Theme;
use crate::model::Record;
use crate::text::{sanitize_for_terminal, GAP_MARK, GAP_SPACE};
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

/// Char ranges where `terms` match `text` other than literally: in simplified characters, or
/// by pinyin (for an article that search found that way).
pub fn variant_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    use crate::index::variants;
    let simplified = variants::to_simplified(text);
    let mut out = match_ranges(
        &simplified,
        &terms
            .iter()
            .map(|t| variants::to_simplified(t))
            .collect::<Vec<_>>(),
    );
    let chars: Vec<char> = simplified.chars().collect();
    for q in terms.iter().filter_map(|t| variants::pinyin_query(t)) {
        out.extend(variants::find_pinyin(&chars, &q));
    }
    out.sort();
    out.dedup();
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
        } else if c == GAP_MARK || c == GAP_SPACE {
            // lost characters: the page's own mark, or the blank its OCR left
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

/// At most this many characters of one paragraph are laid out; a page that OCR turned into one
/// endless line stays readable (and the rest is still in `kanbao show` / export).
pub const MAX_SHOWN_CHARS: usize = 100_000;

/// The first [`MAX_SHOWN_CHARS`] characters of `text` and how many were left out.
fn shown(text: &str) -> (&str, usize) {
    match text.char_indices().nth(MAX_SHOWN_CHARS) {
        Some((i, _)) => (&text[..i], text[i..].chars().count()),
        None => (text, 0),
    }
}

/// Lay out `r` for a reader `width` cells wide.
pub fn lay_out(r: &Record, width: usize, s: &Settings, terms: &[String], theme: &Theme) -> Laid {
    let measure = s.measure.min(width).max(4);
    // an article that search found through pinyin or the other script has no literal match:
    // highlight what it was found by instead
    let variants = !terms.is_empty()
        && r.text_fields()
            .all(|t| match_ranges(shown(t).0, terms).is_empty());
    let pad = (width.saturating_sub(measure)) / 2;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut match_lines = Vec::new();
    let mut block =
        |text: &str, style: ratatui::style::Style, indent: bool, lines: &mut Vec<Line<'static>>| {
            let (text, hidden) = shown(text);
            let mut clean = sanitize_for_terminal(text).into_owned();
            if hidden > 0 {
                clean.push_str(&format!(" …〔{hidden} more characters not shown〕"));
            }
            let chars: Vec<char> = clean.chars().collect();
            let matches = if variants {
                variant_ranges(&clean, terms)
            } else {
                match_ranges(&clean, terms)
            };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Record};

    #[test]
    fn articles_found_by_pinyin_or_script_show_what_matched() {
        let ranges = variant_ranges("深化勞動關係改革", &["ldgx".into()]);
        assert_eq!(ranges, [(2, 6)]);
        assert_eq!(
            variant_ranges("深化勞動關係改革", &["劳动".into()]),
            [(2, 4)]
        );
        assert!(match_ranges("深化勞動關係改革", &["劳动".into()]).is_empty());
    }

    #[test]
    fn lost_characters_are_shown_as_gaps() {
        let theme = Theme::new(false);
        let r = Record {
            id: "x".into(),
            title: "标题".into(),
            paragraphs: vec!["花园改造提案\u{3000}份，月〓日开放。".into()],
            ..Default::default()
        };
        let laid = lay_out(&r, 80, &Settings::default(), &[], &theme);
        let gaps: Vec<&str> = laid
            .lines
            .iter()
            .flat_map(|l| &l.spans)
            .filter(|s| s.style == theme.gap)
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(gaps, ["\u{3000}", "〓"]);
    }

    #[test]
    fn an_endless_paragraph_is_cut_with_a_note() {
        let long = "浦东新区召开会议，".repeat(40_000); // 360,000 chars
        let r = Record {
            id: "x".into(),
            issue: "i".into(),
            source: "i.txt".into(),
            seq: 1,
            kind: Kind::Article,
            section: String::new(),
            kicker: String::new(),
            title: "标题".into(),
            subtitle: String::new(),
            byline: String::new(),
            dateline: String::new(),
            paragraphs: vec![long, "第二段。".into()],
            date: String::new(),
        };
        let laid = lay_out(&r, 80, &Settings::default(), &[], &Theme::new(false));
        let text: Vec<String> = laid
            .lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        let all: String = text.concat().split_whitespace().collect();
        assert!(all.contains("260000morecharactersnotshown"), "{all:.200}");
        assert!(
            text.iter().any(|l| l.contains("第二段")),
            "the next paragraph still shows"
        );
        // 100,000 chars at 38 columns of 2 cells = 19 chars a line
        assert!(
            laid.lines.len() < 100_000 / 19 + 20,
            "{} lines",
            laid.lines.len()
        );
    }
}
