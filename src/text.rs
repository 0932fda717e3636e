//! Character classes, display width and the small text utilities shared by layout analysis,
//! search and the TUI.

use unicode_width::UnicodeWidthChar;

/// The mark put where OCR lost characters (a run of spaces inside a line). U+3013 GETA MARK is
/// the typesetters' sign for a missing glyph; it is wide in every terminal.
pub const GAP_MARK: char = '〓';

/// What a record has where characters were lost on a page whose OCR left white space there
/// (`layout::analyze`): one ideographic space. The reader underlines it, as it does [`GAP_MARK`].
pub const GAP_SPACE: char = '\u{3000}';

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
    // the same as `is_alphanumeric` (tested over every char), answered without Unicode's
    // tables for what a Chinese page is mostly made of: ASCII, Han, and the punctuation
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c as u32 {
        // the CJK unified ideographs and extension A (every one assigned)
        0x4E00..=0x9FFF | 0x3400..=0x4DBF => true,
        // general punctuation (“ ” — …), CJK punctuation (、。〈〉「」【】〔〕), full-width
        // punctuation (，：；！？（）)
        0x2000..=0x206F
        | 0x3000..=0x3004
        | 0x3008..=0x3020
        | 0x3030
        | 0x303D..=0x303F
        | 0xFF00..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65 => false,
        _ => c.is_alphanumeric(),
    }
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
    bigram_iter(s, limit).collect()
}

/// The pairs [`bigrams`] gives, one at a time (no vector).
pub fn bigram_iter(s: &str, limit: usize) -> impl Iterator<Item = (char, char)> + '_ {
    bigrams_of(s.chars().take(limit))
}

/// The pairs [`bigram_iter`] gives, of any run of characters (a text read across several
/// values without joining them).
pub fn bigrams_of(chars: impl Iterator<Item = char>) -> impl Iterator<Item = (char, char)> {
    let mut prev: Option<char> = None;
    chars.filter_map(move |c| {
        // Han first: most characters of a page, and neither a case nor a slow table lookup
        if is_han(c) || is_content(c) {
            let lc = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else if is_han(c) {
                c
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
            let pair = prev.map(|p| (p, lc));
            prev = Some(lc);
            pair
        } else {
            prev = None;
            None
        }
    })
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

/// `1 hit`, `2 hits`, `0 hits`: a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The part of a snippet that fits `cells` display cells, as runs of (text, highlighted).
///
/// The window is centred on the first highlighted range (`hl`: character offsets, sorted, not
/// overlapping), keeps that match whole even when it alone is wider than the middle, cuts at
/// characters and never inside a highlighted range (a match that would be cut is left out
/// with the text around it), and marks each cut end with `…`. Control characters are shown
/// as their visible stand-ins.
pub fn snippet_window(
    snippet: &str,
    hl: &[[usize; 2]],
    cells: usize,
    ambiguous: u8,
) -> Vec<(String, bool)> {
    let chars: Vec<char> = snippet.chars().map(visible_char).collect();
    // a snippet's own ellipses are replaced by ours where we cut
    let n = chars.len();
    let w: Vec<usize> = chars.iter().map(|&c| char_width(c, ambiguous)).collect();
    let total: usize = w.iter().sum();
    let in_match = |i: usize| hl.iter().any(|r| i >= r[0] && i < r[1].min(n));
    let (mut a, mut b) = (0usize, n);
    if total > cells {
        let [ms, me] = hl
            .first()
            .map(|r| [r[0].min(n), r[1].min(n)])
            .unwrap_or([0, 0]);
        // grow from the first match outwards, one character each side in turn, leaving a cell
        // for each ellipsis
        a = ms;
        b = me.max(ms);
        let mut used: usize = w[a..b].iter().sum();
        let room = cells.saturating_sub(2);
        let mut left_turn = true;
        loop {
            let can_left = a > 0 && used + w[a - 1] <= room;
            let can_right = b < n && used + w[b] <= room;
            if !can_left && !can_right {
                break;
            }
            if (left_turn && can_left) || !can_right {
                a -= 1;
                used += w[a];
            } else {
                used += w[b];
                b += 1;
            }
            left_turn = !left_turn;
        }
        // one end reached: give the other its cell back
        if a == 0 && b < n && used + w[b] <= cells.saturating_sub(1) {
            used += w[b];
            b += 1;
        }
        if b == n && a > 0 && used + w[a - 1] <= cells.saturating_sub(1) {
            a -= 1;
        }
        // never start or end inside a match
        while a < b && a > 0 && in_match(a) && in_match(a - 1) {
            a += 1;
        }
        while b > a && b < n && in_match(b - 1) && in_match(b) {
            b -= 1;
        }
    }
    let mut runs: Vec<(String, bool)> = Vec::new();
    let push = |t: char, h: bool, runs: &mut Vec<(String, bool)>| match runs.last_mut() {
        Some((s, lh)) if *lh == h => s.push(t),
        _ => runs.push((t.to_string(), h)),
    };
    if a > 0 && chars.get(a) != Some(&'…') {
        push('…', false, &mut runs);
    }
    for (i, &c) in chars.iter().enumerate().take(b).skip(a) {
        push(c, in_match(i), &mut runs);
    }
    if b < n && (b == 0 || chars[b - 1] != '…') {
        push('…', false, &mut runs);
    }
    runs
}

#[cfg(test)]
mod tests {

    #[test]
    fn is_content_is_is_alphanumeric_for_every_char() {
        for u in 0..=0x10FFFFu32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(is_content(c), c.is_alphanumeric(), "U+{u:04X}");
            }
        }
    }

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

    fn shown(runs: &[(String, bool)]) -> (String, Vec<String>) {
        let text = runs.iter().map(|r| r.0.as_str()).collect();
        let hl = runs.iter().filter(|r| r.1).map(|r| r.0.clone()).collect();
        (text, hl)
    }

    #[test]
    fn snippet_window_centres_the_match_and_never_cuts_it() {
        let snip = format!("{}劳动关系{}", "前".repeat(40), "后".repeat(40));
        let hl = [[40, 44]];
        for cells in [10, 20, 29, 30, 57, 80, 200] {
            let runs = snippet_window(&snip, &hl, cells, 1);
            let (text, h) = shown(&runs);
            assert!(str_width(&text, 1) <= cells.max(8 + 2), "{cells}: {text}");
            assert_eq!(h, vec!["劳动关系".to_string()], "{cells}: {text}");
            if cells < 168 {
                let before = text.split("劳动关系").next().unwrap().chars().count();
                let after = text.split("劳动关系").nth(1).unwrap().chars().count();
                assert!(before.abs_diff(after) <= 1, "{cells}: centred: {text}");
                assert!(text.starts_with('…') && text.ends_with('…'), "{text}");
            }
        }
        // a second match at the edge is left out whole, never half shown
        let snip = format!(
            "{}花园{}花园{}",
            "甲".repeat(10),
            "乙".repeat(5),
            "丙".repeat(20)
        );
        for cells in 10..40 {
            let runs = snippet_window(&snip, &[[10, 12], [17, 19]], cells, 1);
            for (t, h) in &runs {
                if *h {
                    assert_eq!(t, "花园", "{cells}: {runs:?}");
                }
            }
        }
        // Latin and mixed text, a match near the start and near the end
        let snip = "GDP growth of the economy in 2024 reached 5 percent, said the office";
        let at = snip.find("office").unwrap();
        let (text, h) = shown(&snippet_window(snip, &[[at, at + 6]], 30, 1));
        assert_eq!(h, vec!["office"]);
        assert!(text.ends_with("office") && text.starts_with('…'), "{text}");
        let (text, _) = shown(&snippet_window(snip, &[[0, 3]], 30, 1));
        assert!(text.starts_with("GDP") && text.ends_with('…'), "{text}");
        assert!(str_width(&text, 1) <= 30);
        // nothing panics, whatever the ranges and the room
        for cells in 0..12 {
            for hl in [[0, 0], [3, 1], [9, 99], [100, 200], [0, 2]] {
                let runs = snippet_window("劳动关系abc", &[hl], cells, 2);
                let text: String = runs.iter().map(|r| r.0.as_str()).collect();
                assert!(text.chars().count() <= 9, "{cells} {hl:?}: {text}");
            }
            let _ = snippet_window("", &[[0, 1]], cells, 1);
        }
        // control characters never come through
        let (text, _) = shown(&snippet_window("a\x1b[2Jb", &[], 30, 1));
        assert!(!text.contains('\x1b'));
    }
}
