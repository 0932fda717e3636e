//! Snippets built from the stored text (not tantivy's SnippetGenerator, which counts bytes and
//! highlights only terms the query reports): a window of characters around the first match,
//! with every match of every term in it given as character offsets.

use super::tokens::SEP;

/// Fold each character the way the index does (NFKC, lower case), remembering for every folded
/// character the index of the original character it came from.
fn fold_map(chars: &[char]) -> (Vec<char>, Vec<usize>) {
    let mut folded = Vec::with_capacity(chars.len());
    let mut origin = Vec::with_capacity(chars.len());
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() && c != SEP {
            if !prev_space {
                folded.push(' ');
                origin.push(i);
            }
            prev_space = true;
            continue;
        }
        prev_space = false;
        if let Some(f) = fold_plain(c) {
            folded.push(f);
            origin.push(i);
            continue;
        }
        let mut buf = [0u8; 4];
        for f in crate::text::fold(c.encode_utf8(&mut buf)).chars() {
            folded.push(f);
            origin.push(i);
        }
    }
    (folded, origin)
}

/// What [`crate::text::fold`] makes of the most common characters, without its allocation:
/// ASCII (lower case) and the CJK unified ideographs (as they are); `None` for the others.
fn fold_plain(c: char) -> Option<char> {
    if c.is_ascii() {
        Some(c.to_ascii_lowercase())
    } else if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF) {
        Some(c)
    } else {
        None
    }
}

fn find_all(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| hay[i..i + needle.len()] == *needle)
        .collect()
}

/// Make a snippet of about `width` characters from `text` (field values separated by SEP)
/// around the first match of any of `terms`. Returns the snippet and the highlighted ranges.
pub fn make(text: &str, terms: &[String], width: usize) -> (String, Vec<[usize; 2]>) {
    let needles: Vec<Vec<char>> = terms
        .iter()
        .map(|t| super::tokens::fold_chars(t))
        .filter(|n| !n.is_empty())
        .collect();
    make_with(text, width, &|folded: &[char]| find_terms(folded, &needles))
}

/// Every occurrence of every needle in `hay`, as (start, end) ranges.
pub fn find_terms(hay: &[char], needles: &[Vec<char>]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    for n in needles {
        for at in find_all(hay, n) {
            ranges.push((at, at + n.len()));
        }
    }
    ranges
}

/// Finds matches in a value's folded characters: (start, end) ranges.
pub type Finder<'a> = dyn Fn(&[char]) -> Vec<(usize, usize)> + 'a;

/// A snippet around what `find` finds: it gets a value's folded characters and returns match
/// ranges in them (start, end exclusive); they are mapped back to the original characters.
pub fn make_with(text: &str, width: usize, find: &Finder<'_>) -> (String, Vec<[usize; 2]>) {
    let values: Vec<&str> = text.split(SEP).collect();
    // the first value with a match; else the first paragraph-like value
    type Chosen = (Vec<char>, Vec<(usize, usize)>);
    let mut chosen: Option<Chosen> = None;
    for v in &values {
        // what is searchable of a value is what a snippet may show
        let chars: Vec<char> = v.chars().take(super::tokens::MAX_INDEXED_CHARS).collect();
        let (folded, origin) = fold_map(&chars);
        let mut ranges = Vec::new();
        for (a, b) in find(&folded) {
            if a < b && b <= folded.len() {
                ranges.push((origin[a], origin[b - 1] + 1));
            }
        }
        if !ranges.is_empty() {
            ranges.sort();
            chosen = Some((chars, ranges));
            break;
        }
    }
    let (chars, ranges) = chosen.unwrap_or_else(|| {
        let v = values.first().copied().unwrap_or("");
        (v.chars().take(width * 2).collect(), Vec::new())
    });
    // the first match in the middle, so that a screen of any width can centre it
    let (first, first_end) = ranges.first().copied().unwrap_or((0, 0));
    let start = first.saturating_sub(width.saturating_sub(first_end - first) / 2);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let mut snippet: String = chars[start..end].iter().collect();
    let mut shift = 0;
    if start > 0 {
        snippet.insert(0, '…');
        shift = 1;
    }
    if end < chars.len() {
        snippet.push('…');
    }
    let mut hl: Vec<[usize; 2]> = Vec::new();
    for (s, e) in ranges {
        if s >= start && e <= end {
            let r = [s - start + shift, e - start + shift];
            if hl.last().is_some_and(|l| l[1] > r[0]) {
                let l = hl.last_mut().expect("checked");
                l[1] = l[1].max(r[1]);
            } else {
                hl.push(r);
            }
        }
    }
    (snippet, hl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shortcut_folds_as_fold_does() {
        let mut plain = 0;
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            if let Some(f) = fold_plain(c) {
                plain += 1;
                let mut buf = [0u8; 4];
                assert_eq!(
                    crate::text::fold(c.encode_utf8(&mut buf)),
                    f.to_string(),
                    "{c:?}"
                );
            }
        }
        // ASCII and the two blocks of ideographs
        assert_eq!(plain, 128 + 0x4DBF - 0x3400 + 1 + 0x9FFF - 0x4E00 + 1);
    }

    #[test]
    fn char_offsets_not_bytes() {
        let text = format!("标题{SEP}这是第一段。浦东新区召开大会，浦东的企业参加。");
        let (s, hl) = make(&text, &["浦东".to_string()], 80);
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(hl.len(), 2);
        for h in &hl {
            assert_eq!(chars[h[0]..h[1]].iter().collect::<String>(), "浦东");
        }
    }

    #[test]
    fn folded_match_maps_back_to_original() {
        let (s, hl) = make("来自ＡＢＣ公司的代表", &["abc".to_string()], 80);
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(
            chars[hl[0][0]..hl[0][1]].iter().collect::<String>(),
            "ＡＢＣ"
        );
    }

    #[test]
    fn window_around_a_late_match() {
        let long = "一".repeat(500) + "浦东" + &"二".repeat(500);
        let (s, hl) = make(&long, &["浦东".to_string()], 40);
        assert!(s.starts_with('…') && s.ends_with('…'));
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(chars[hl[0][0]..hl[0][1]].iter().collect::<String>(), "浦东");
        assert!(chars.len() <= 42);
    }
}
