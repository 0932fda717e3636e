//! Character classes, display width and the small text utilities shared by layout analysis,
//! search and the TUI.

use unicode_width::UnicodeWidthChar;

/// The mark put where OCR lost characters (a run of spaces inside a line). U+3013 GETA MARK is
/// the typesetters' sign for a missing glyph; it is wide in every terminal.
pub const GAP_MARK: char = '〓';

/// Han ideograph (CJK Unified Ideographs and extensions, compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0x3007)
}

/// CJK text character for spacing decisions: Han, kana, hangul, CJK punctuation, full-width forms.
pub fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32,
            0x3000..=0x303F | 0x3040..=0x30FF | 0xAC00..=0xD7AF | 0xFF00..=0xFFEF | 0x2E80..=0x2FDF)
}

/// Letters and digits counted by the text-conservation property (Han, letters, digits).
pub fn is_content(c: char) -> bool {
    c.is_alphanumeric()
}

/// The letters, digits and Han characters of `s`, lower case: the text that identifies an
/// article whatever its white space, punctuation and line breaks.
pub fn content_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .filter(|c| is_content(*c))
        .flat_map(char::to_lowercase)
}

/// Display width of a character in terminal cells. `ambiguous` is 1 or 2: the width of East
/// Asian Ambiguous characters (“ ” … — · ■ and the like). Control characters count 0 here; the
/// renderer replaces them with visible marks before measuring.
pub fn char_width(c: char, ambiguous: u8) -> usize {
    if ambiguous >= 2 {
        c.width_cjk().unwrap_or(0)
    } else {
        c.width().unwrap_or(0)
    }
}

/// Display width of a string in terminal cells (see [`char_width`]).
pub fn str_width(s: &str, ambiguous: u8) -> usize {
    s.chars().map(|c| char_width(c, ambiguous)).sum()
}

/// Punctuation that ends a sentence (optionally followed by closing quotes or brackets).
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '…' | '．')
}

/// Closing quotes and brackets that may follow sentence-final punctuation.
pub fn is_closing(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '」' | '』' | '）' | ')' | '》' | '】' | '〕' | '"' | '\'' | '］' | ']'
    )
}

/// Does the text end a sentence (。 ！ ？ …, possibly followed by closing quotes)?
pub fn ends_sentence(s: &str) -> bool {
    let mut it = s.trim_end().chars().rev().peekable();
    while let Some(&c) = it.peek() {
        if is_closing(c) {
            it.next();
        } else {
            break;
        }
    }
    matches!(it.next(), Some(c) if is_sentence_end(c))
}

/// Punctuation of any kind (Unicode P* categories approximated, plus CJK symbols).
pub fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c as u32, 0x2000..=0x206F | 0x3000..=0x303F | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F)
        || matches!(c, '！'..='／' | '：'..='＠' | '［'..='｀' | '｛'..='･')
        || matches!(
            c,
            '·' | '■' | '□' | '●' | '○' | '◆' | '▲' | '★' | '☆' | '◇' | '※'
        )
}

/// Character bigrams of the content characters of `s` (runs broken at punctuation and spaces),
/// at most `limit` characters read. Used to match headlines with the bodies they belong to.
pub fn bigrams(s: &str, limit: usize) -> Vec<(char, char)> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for c in s.chars().take(limit) {
        if is_content(c) {
            let lc = c.to_lowercase().next().unwrap_or(c);
            if let Some(p) = prev {
                out.push((p, lc));
            }
            prev = Some(lc);
        } else {
            prev = None;
        }
    }
    out
}

/// Replace what must never reach a terminal (C0/C1 controls, DEL, bidi overrides and isolates,
/// other format characters) with visible stand-ins: control pictures (␛ for ESC) or U+FFFD.
/// Tabs become a space. Nothing else changes.
pub fn sanitize_for_terminal(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_replacing) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(visible_char).collect())
}

fn needs_replacing(c: char) -> bool {
    let u = c as u32;
    u < 0x20 || (0x7F..=0x9F).contains(&u) || is_format_char(c)
}

/// Bidi controls and other invisible format characters that could reorder or hide text.
pub fn is_format_char(c: char) -> bool {
    matches!(c as u32,
        0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF | 0x061C
        | 0xFFF9..=0xFFFB)
}

/// The visible stand-in for one character (see [`sanitize_for_terminal`]).
pub fn visible_char(c: char) -> char {
    let u = c as u32;
    match u {
        0x09 => ' ',
        0x00..=0x1F => char::from_u32(0x2400 + u).unwrap_or('\u{FFFD}'),
        0x7F => '␡',
        0x80..=0x9F => '\u{FFFD}',
        _ if is_format_char(c) => '\u{FFFD}',
        _ => c,
    }
}

/// Lower-case and NFKC-fold text the way search does (full-width ＡＢＣ１２３ → abc123).
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc().flat_map(|c| c.to_lowercase()).collect()
}

/// Pad or cut `s` to exactly `w` display cells, ambiguous-width characters counting
/// `ambiguous` (1 or 2) cells as the terminal shows them.
pub fn fit(s: &str, w: usize, ambiguous: u8) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c, ambiguous);
        if used + cw > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.extend(std::iter::repeat_n(' ', w - used));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(str_width("劳动abc", 1), 7);
        assert_eq!(str_width("“劳”", 1), 4);
        assert_eq!(str_width("“劳”", 2), 6);
    }

    #[test]
    fn sentence_end() {
        assert!(ends_sentence("他说。"));
        assert!(ends_sentence("“太贴心了！”"));
        assert!(!ends_sentence("他说，"));
        assert!(!ends_sentence("浦东新区"));
    }

    #[test]
    fn sanitize_replaces_controls() {
        let s = "a\u{1b}[31mb\u{9b}c\u{202e}d\u{7}";
        let out = sanitize_for_terminal(s);
        assert!(!out.chars().any(needs_replacing));
        assert!(out.contains('␛'));
        assert_eq!(sanitize_for_terminal("浦东"), "浦东");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("ＡＢＣ１２３"), "abc123");
        assert_eq!(fold("劳动，HR"), "劳动,hr");
    }

    #[test]
    fn fit_counts_ambiguous_characters_as_the_setting_says() {
        assert_eq!(fit("“你”ab", 6, 1), "“你”ab");
        assert_eq!(fit("“你”ab", 6, 2), "“你”");
        assert_eq!(fit("“你”ab", 7, 2), "“你”a");
        assert_eq!(fit("“你”", 8, 2), "“你”  ", "padded to the width");
        assert_eq!(
            fit("你好", 3, 1),
            "你 ",
            "a wide character never half shown"
        );
    }

    #[test]
    fn bigrams_break_at_punct() {
        let b = bigrams("浦东，新区", 100);
        assert_eq!(b, vec![('浦', '东'), ('新', '区')]);
    }
}
