//! Property tests (fuzzing with proptest) of the query parser and the line wrapper. Layout
//! analysis has its own in tests/layout.rs. Cases: KANBAO_PROPTEST_CASES (CI: 100,000).

use kanbao::index::query::{self, Atom};
use kanbao::wrap::{width, wrap_ranges};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn cases() -> u32 {
    std::env::var("KANBAO_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512)
}

/// Queries made of the parser's own syntax, words and noise.
fn arb_query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("-".to_string()),
        Just(":".to_string()),
        Just(" OR ".to_string()),
        Just("OR".to_string()),
        Just(" ".to_string()),
        Just("title:".to_string()),
        Just("byline:".to_string()),
        Just("issue:".to_string()),
        Just("date:".to_string()),
        Just("date:2023-11".to_string()),
        Just("date:2023-02-30..2024".to_string()),
        Just("is:".to_string()),
        Just("is:starred".to_string()),
        Just("tag:".to_string()),
        Just("(".to_string()),
        Just("\u{3000}".to_string()),
        Just("“劳动”".to_string()),
        "[\\u{4e00}-\\u{4e40}]{1,6}",
        "[a-zA-Z0-9.]{1,8}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// Text for the wrapper: CJK, Latin words, spaces, punctuation that must not start or end a
/// line, wide and ambiguous-width symbols, combining marks, emoji sequences, controls.
fn arb_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[\\u{4e00}-\\u{4e40}]{1,12}",
        "[a-zA-Z]{1,15}",
        "[0-9]{1,6}",
        Just(" ".to_string()),
        Just("   ".to_string()),
        Just("\u{3000}".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("（".to_string()),
        Just("）".to_string()),
        Just("——".to_string()),
        Just("…".to_string()),
        Just("■".to_string()),
        Just("e\u{301}".to_string()),
        Just("👩\u{200d}👩\u{200d}👧".to_string()),
        Just("\u{200b}".to_string()),
        Just("\t".to_string()),
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// The parser never panics; what it accepts is well formed; what it refuses says why.
    #[test]
    fn query_parser_accepts_or_explains(q in arb_query()) {
        match query::parse(&q) {
            Ok(parsed) => {
                for c in &parsed.clauses {
                    prop_assert!(!c.alts.is_empty());
                    prop_assert!(!(c.negated && c.alts.len() > 1), "negated OR in {q:?}");
                    for a in &c.alts {
                        match a {
                            Atom::Text { text, .. } => prop_assert!(!text.trim().is_empty(), "empty term from {q:?}"),
                            Atom::Date { lo, hi } => prop_assert!(lo <= hi, "date range {lo}..{hi} from {q:?}"),
                            Atom::Tag(t) => prop_assert!(!t.is_empty()),
                            Atom::Is(_) => {}
                        }
                    }
                }
                let _ = parsed.highlight_terms();
                let _ = parsed.uses_state();
            }
            Err(e) => prop_assert!(!e.0.trim().is_empty(), "an error without a message for {q:?}"),
        }
    }

    /// Plain words (no syntax) are taken as they are: one clause per word, nothing lost.
    #[test]
    fn plain_words_are_terms(words in prop::collection::vec("[\\u{4e00}-\\u{4e40}a-z0-9]{1,6}", 0..6)) {
        let words: Vec<String> = words.into_iter().filter(|w| w != "or").collect();
        let q = words.join(" ");
        let parsed = query::parse(&q).unwrap();
        let terms: Vec<String> = parsed.clauses.iter().flat_map(|c| c.alts.iter()).filter_map(|a| match a {
            Atom::Text { text, .. } => Some(text.clone()),
            _ => None,
        }).collect();
        prop_assert_eq!(terms.concat().to_lowercase(), words.concat().to_lowercase());
    }

    /// Wrapped lines keep every visible character once and in order, and fit the width
    /// unless one grapheme alone is wider than the line.
    #[test]
    fn wrapping_keeps_text_and_fits(text in arb_text(), w in 1usize..60, first in 0usize..60, amb in 1u8..=2) {
        let chars: Vec<char> = text.chars().collect();
        let lines = wrap_ranges(&text, w, first, amb);
        let mut last_end = 0;
        for (i, r) in lines.iter().enumerate() {
            prop_assert!(r.start >= last_end && r.start <= r.end && r.end <= chars.len(), "range {r:?} after {last_end}");
            last_end = r.end;
            let s: String = chars[r.clone()].iter().collect();
            let limit = if i == 0 { first } else { w }.max(1);
            prop_assert!(width(&s, amb) <= limit || s.graphemes(true).count() == 1,
                "line {i} {s:?} is {} cells, limit {limit}", width(&s, amb));
            let blank = |g: &str| g.chars().all(char::is_whitespace);
            prop_assert!(!s.graphemes(true).next().is_some_and(blank), "line {i} starts with a space: {s:?}");
            prop_assert!(!s.graphemes(true).next_back().is_some_and(blank), "line {i} ends with a space: {s:?}");
        }
        let kept: String = lines.iter().map(|r| chars[r.clone()].iter().collect::<String>()).collect();
        let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        prop_assert_eq!(visible(&kept), visible(&text));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 10))]

    /// The words by pinyin and pinyin matching never panic on any text (every CJK character,
    /// rare readings like 欸 ê included) and stay in bounds; the table read back from any
    /// bytes never panics either.
    #[test]
    fn pinyin_never_panics(text in "[\\u{3400}-\\u{9fff}a-z ，\\u{1f}]{0,40}", q in "[a-zA-Z]{0,12}", junk in proptest::collection::vec(any::<u8>(), 0..200)) {
        use kanbao::index::pinyin_words::PinyinWords;
        use kanbao::index::variants::{find_pinyin, pinyin_query};
        let words: Vec<(String, u32)> = text
            .split(|c: char| !('\u{3400}'..='\u{9fff}').contains(&c))
            .filter(|w| !w.is_empty())
            .enumerate()
            .map(|(i, w)| (w.to_string(), i as u32))
            .collect();
        let pw = PinyinWords::from_words(words);
        let bytes = pw.to_bytes("k");
        let back = PinyinWords::from_bytes(&bytes, "k");
        prop_assert!(back.is_some());
        let mut damaged = bytes.clone();
        damaged.extend_from_slice(&junk);
        let _ = PinyinWords::from_bytes(&junk, "k");
        prop_assert!(junk.is_empty() || PinyinWords::from_bytes(&damaged, "k").is_none());
        if let Some(pq) = pinyin_query(&q) {
            for list in pw.spelled(&pq) {
                for (w, _) in list {
                    prop_assert!(!w.is_empty() && w.len() <= 2);
                }
            }
        }
        if let Some(pq) = pinyin_query(&q) {
            let chars: Vec<char> = text.chars().collect();
            for (a, b) in find_pinyin(&chars, &pq) {
                prop_assert!(a < b && b <= chars.len());
            }
        }
    }
}
