//! Wrapping text by display width with the line-breaking rules of Chinese typesetting
//! (ratatui's Paragraph only breaks at spaces: ratatui#1199).
//!
//! - a line may break between any two CJK characters, and at spaces between Latin words;
//! - no line starts with closing punctuation (，。、；：？！）」』》”’…— and the like) and none
//!   ends with opening punctuation (（「『《“‘): they travel with their neighbour;
//! - Latin words and numbers stay whole unless longer than a line; graphemes (combining marks,
//!   emoji sequences) are never split;
//! - widths in terminal cells, East Asian Ambiguous characters counted 1 or 2 (setting).

use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Display width of a grapheme: the same measure ratatui uses (unicode-width), ambiguous
/// characters as set.
pub fn grapheme_width(g: &str, ambiguous: u8) -> usize {
    if ambiguous >= 2 {
        g.width_cjk()
    } else {
        g.width()
    }
}

/// Display width of a string, grapheme by grapheme.
pub fn width(s: &str, ambiguous: u8) -> usize {
    s.graphemes(true)
        .map(|g| grapheme_width(g, ambiguous))
        .sum()
}

/// Characters that must not start a line.
pub fn is_closing_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '〕'
            | '”'
            | '’'
            | '…'
            | '—'
            | '·'
            | '．'
            | '％'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '%'
            | '〗'
            | '〙'
            | 'ー'
            | '～'
    )
}

/// Characters that must not end a line.
pub fn is_opening_punct(c: char) -> bool {
    matches!(
        c,
        '（' | '「' | '『' | '《' | '〈' | '【' | '〔' | '“' | '‘' | '(' | '[' | '{' | '〖' | '〘'
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Space,
    Word,
    Cjk,
}

#[derive(Debug, Clone)]
struct Unit {
    kind: Kind,
    /// char range in the source
    chars: Range<usize>,
    width: usize,
    /// grapheme boundaries (char offsets) inside, with widths, for hard breaks
    graphemes: Vec<(usize, usize, usize)>,
}

fn units(text: &str, ambiguous: u8) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut pos = 0usize;
    let mut glue_next = false;
    for g in text.graphemes(true) {
        let n = g.chars().count();
        let c = g.chars().next().unwrap_or(' ');
        let w = grapheme_width(g, ambiguous);
        // a space carrying a combining mark is a visible grapheme, not a space
        let kind = if g.chars().all(char::is_whitespace) {
            Kind::Space
        } else if crate::text::is_cjk(c) || is_closing_punct(c) || is_opening_punct(c) || w >= 2 {
            Kind::Cjk
        } else {
            Kind::Word
        };
        let gr = (pos, pos + n, w);
        let attach_prev = kind != Kind::Space
            && (glue_next
                || is_closing_punct(c)
                || (kind == Kind::Word && out.last().is_some_and(|u| u.kind == Kind::Word)));
        match out.last_mut() {
            Some(u) if attach_prev && u.kind != Kind::Space => {
                u.chars.end = pos + n;
                u.width += w;
                u.graphemes.push(gr);
                if u.kind == Kind::Word && kind == Kind::Cjk {
                    u.kind = Kind::Cjk;
                }
            }
            _ => out.push(Unit {
                kind,
                chars: pos..pos + n,
                width: w,
                graphemes: vec![gr],
            }),
        }
        glue_next = kind != Kind::Space && is_opening_punct(c);
        pos += n;
    }
    out
}

/// Wrap `text` into lines of at most `width` cells (`first` cells for the first line).
/// Returns the char range of each line in `text`; spaces at line edges are left out.
pub fn wrap_ranges(text: &str, width: usize, first: usize, ambiguous: u8) -> Vec<Range<usize>> {
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut cur: Option<Range<usize>> = None;
    // end of the last non-space piece on the current line: spaces after it are trimmed
    let mut solid = 0usize;
    let mut used = 0usize;
    let limit = |lines: &Vec<Range<usize>>| if lines.is_empty() { first } else { width }.max(1);
    for u in units(text, ambiguous) {
        if u.kind == Kind::Space {
            if let Some(c) = cur.as_mut() {
                if used + u.width <= limit(&lines) {
                    // keep inner spaces; trailing ones are trimmed when the line is closed
                    c.end = u.chars.end;
                    used += u.width;
                } else {
                    // a space that does not fit ends the line (even before a zero-width char)
                    let c = cur.take().expect("checked");
                    lines.push(c.start..solid);
                    used = 0;
                }
            }
            continue;
        }
        if cur.is_some() && used + u.width > limit(&lines) {
            let c = cur.take().expect("checked");
            lines.push(c.start..solid);
            used = 0;
        }
        if u.width > limit(&lines) {
            // longer than a line: break between graphemes
            for &(s, e, w) in &u.graphemes {
                if cur.is_some() && used + w > limit(&lines) {
                    let c = cur.take().expect("checked");
                    lines.push(c.start..solid);
                    used = 0;
                }
                match cur.as_mut() {
                    Some(c) => c.end = e,
                    None => cur = Some(s..e),
                }
                solid = e;
                used += w;
            }
            continue;
        }
        match cur.as_mut() {
            Some(c) => c.end = u.chars.end,
            None => cur = Some(u.chars.clone()),
        }
        solid = u.chars.end;
        used += u.width;
    }
    if let Some(c) = cur {
        lines.push(c.start..solid);
    }
    lines
}

/// Wrap into strings.
pub fn wrap(text: &str, width: usize, first: usize, ambiguous: u8) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    wrap_ranges(text, width, first, ambiguous)
        .into_iter()
        .map(|r| chars[r].iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_rules(lines: &[String], w: usize) {
        for (i, l) in lines.iter().enumerate() {
            assert!(
                width(l, 1) <= w || l.chars().count() == 1,
                "line {i} too wide: {l:?}"
            );
            if i > 0 {
                let c = l.chars().next().unwrap();
                assert!(!is_closing_punct(c), "line starts with {c}: {lines:?}");
            }
            let c = l.chars().last().unwrap();
            assert!(!is_opening_punct(c), "line ends with {c}: {lines:?}");
        }
    }

    #[test]
    fn cjk_breaks_anywhere_but_respects_kinsoku() {
        let t = "浦东新区深化改革、大胆创新、率先突破，在全国率先探索综窗联合受理和“劳动维权一件事”信息平台。";
        for w in 4..30 {
            let lines = wrap(t, w, w, 1);
            check_rules(&lines, w + 4); // a closing mark may hang onto a full line
            assert_eq!(lines.concat(), t, "nothing lost at width {w}");
        }
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let t = "来自波兰的Piotr Lobodzinski获得了冠军，成绩是18分04秒。";
        let lines = wrap(t, 16, 16, 1);
        assert!(lines.iter().any(|l| l.contains("Lobodzinski")), "{lines:?}");
        assert!(lines.iter().all(|l| !l.ends_with("Lobo")), "{lines:?}");
        let joined: String = lines.join("");
        assert_eq!(joined.replace(' ', ""), t.replace(' ', ""));
    }

    #[test]
    fn no_gaps_and_widths_exact() {
        let t = "一二三四五六七八九十";
        assert_eq!(wrap(t, 6, 6, 1), vec!["一二三", "四五六", "七八九", "十"]);
        // a first-line indent shortens only the first line
        assert_eq!(wrap(t, 6, 2, 1), vec!["一", "二三四", "五六七", "八九十"]);
    }

    #[test]
    fn ambiguous_width_setting() {
        let t = "“劳动”“关系”";
        assert_eq!(width(t, 1), 12);
        assert_eq!(width(t, 2), 16);
        for l in wrap(t, 8, 8, 2) {
            assert!(width(&l, 2) <= 8 + 2);
        }
    }

    #[test]
    fn graphemes_are_not_split_and_tiny_widths_terminate() {
        let t = "e\u{301}👩\u{200d}💻汉字";
        for w in 0..4 {
            let lines = wrap(t, w, w, 1);
            assert_eq!(lines.concat(), t);
        }
    }

    #[test]
    fn very_long_word_is_hard_broken() {
        let t = "x".repeat(50);
        let lines = wrap(&t, 10, 10, 1);
        assert_eq!(lines.len(), 5);
    }
}
