//! How a query finds text that does not contain it literally, for users without a Chinese input
//! method or with the other script:
//!
//! - **Pinyin.** A query term in Latin letters also matches Han text by full pinyin without
//!   tones (`laodongguanxi` → 劳动关系; the last syllable may be unfinished while typing,
//!   `laodongg`) and by initials (`ldgx`). Every reading of a polyphonic character counts
//!   (行: xing, hang); ü may be typed `v` or `u` (`lvse`, `luse` → 绿色).
//! - **Traditional and simplified characters** fold together: both sides are converted to
//!   simplified with `fast2s` (character by character, with its few context rules; lengths
//!   never change, so highlights map back to the original text).
//!
//! These matches come after the literal ones and are marked with how they were found. Nothing
//! is indexed by pinyin: a pinyin query is spelled out into the archive's own words (one
//! word, or two in a row: `pinyin_words.rs`), which are then searched as text.

use pinyin::ToPinyinMulti;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Traditional → simplified, length-preserving.
pub fn to_simplified(s: &str) -> String {
    fast2s::convert(s)
}

/// Readings and initials of every character of the CJK blocks, computed once: the words by
/// pinyin and the highlighting of pinyin matches ask for them at every character.
struct Table {
    readings: Vec<Box<[Box<str>]>>,
    initials: Vec<Box<[Box<str>]>>,
}

const BLOCKS: [(u32, u32); 2] = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF)];

fn slot(c: char) -> Option<usize> {
    let u = c as u32;
    let mut base = 0usize;
    for (lo, hi) in BLOCKS {
        if (lo..=hi).contains(&u) {
            return Some(base + (u - lo) as usize);
        }
        base += (hi - lo + 1) as usize;
    }
    None
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut readings = Vec::new();
        let mut initials = Vec::new();
        for (lo, hi) in BLOCKS {
            for u in lo..=hi {
                let r = char::from_u32(u).map(compute_readings).unwrap_or_default();
                let mut i: Vec<Box<str>> = Vec::new();
                for x in &r {
                    let first: Box<str> = x[..1].into();
                    if !i.contains(&first) {
                        i.push(first);
                    }
                }
                readings.push(r.into_iter().map(|s| s.into_boxed_str()).collect());
                initials.push(i.into_boxed_slice());
            }
        }
        Table { readings, initials }
    })
}

/// Readings of `c` (see [`readings`]) without allocating; empty for non-Han.
pub fn readings_of(c: char) -> &'static [Box<str>] {
    slot(c).map(|i| &*table().readings[i]).unwrap_or(&[])
}

/// Initials of `c` (see [`initials`]) without allocating.
pub fn initials_of(c: char) -> &'static [Box<str>] {
    slot(c).map(|i| &*table().initials[i]).unwrap_or(&[])
}

/// The toneless readings of a character in ASCII letters (ü written both `v` and `u`, ê as
/// `e`); empty for non-Han.
pub fn readings(c: char) -> Vec<String> {
    match slot(c) {
        Some(_) => readings_of(c).iter().map(|s| s.to_string()).collect(),
        None => compute_readings(c),
    }
}

fn compute_readings(c: char) -> Vec<String> {
    let Some(m) = c.to_pinyin_multi() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for p in m {
        for f in typed_forms(p.plain()) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
    }
    out
}

/// What can be typed on any keyboard of a toneless reading: ü as v and as u, ê (欸) as e;
/// nothing for a reading in other letters.
fn typed_forms(plain: &str) -> Vec<String> {
    let plain = plain.replace('ê', "e");
    let forms: Vec<String> = if plain.contains('ü') {
        vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
    } else {
        vec![plain]
    };
    forms
        .into_iter()
        .filter(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_lowercase()))
        .collect()
}

/// The first letters of a character's readings (zh, ch, sh count as z, c, s).
pub fn initials(c: char) -> Vec<String> {
    if slot(c).is_some() {
        return initials_of(c).iter().map(|s| s.to_string()).collect();
    }
    let mut out: Vec<String> = Vec::new();
    for r in readings(c) {
        let i = r[..1].to_string();
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Every toneless syllable (with ü as v and u).
fn syllables() -> &'static BTreeSet<String> {
    static S: OnceLock<BTreeSet<String>> = OnceLock::new();
    // from the readings as the pinyin crate keeps them (a few hundred distinct ones), not
    // from [`table`]: a command that only reads a query as pinyin need not build that
    S.get_or_init(|| {
        let mut seen: std::collections::HashSet<&'static str> = Default::default();
        let mut out = BTreeSet::new();
        for (lo, hi) in BLOCKS {
            for m in (lo..=hi).filter_map(|u| char::from_u32(u)?.to_pinyin_multi()) {
                for p in m {
                    if seen.insert(p.plain()) {
                        out.extend(typed_forms(p.plain()));
                    }
                }
            }
        }
        out
    })
}

fn is_syllable(s: &str) -> bool {
    syllables().contains(s)
}

fn is_syllable_prefix(s: &str) -> bool {
    syllables()
        .range(s.to_string()..)
        .next()
        .is_some_and(|x| x.starts_with(s))
}

/// One reading of a Latin query as syllables; the last may be unfinished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmentation {
    pub syllables: Vec<String>,
    pub last_is_prefix: bool,
}

/// What a Latin query term means in pinyin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinyinQuery {
    /// Each letter the initial of one character (`ldgx`).
    pub initials: Vec<String>,
    /// Ways to read it as full syllables, fewest syllables first (at most [`MAX_READINGS`]).
    pub full: Vec<Segmentation>,
}

/// At most this many ways to split a query into syllables are searched.
pub const MAX_READINGS: usize = 8;

/// Split `s` into syllables: all complete splits; if there is none, splits whose last piece is
/// the start of a syllable (the user is still typing).
fn segment(s: &str) -> Vec<Segmentation> {
    /// Depth-first over split points. `dead` remembers positions from which no split reaches
    /// the end, so that a query with many ways to start and none to finish (`nananana…x`)
    /// takes polynomial time, not exponential.
    fn go(
        s: &str,
        at: usize,
        cur: &mut Vec<String>,
        out: &mut Vec<Segmentation>,
        prefix: bool,
        dead: &mut Vec<bool>,
    ) {
        if out.len() >= 64 || dead[at] {
            return;
        }
        if at == s.len() {
            out.push(Segmentation {
                syllables: cur.clone(),
                last_is_prefix: false,
            });
            return;
        }
        let before = out.len();
        for end in (at + 1..=(at + 6).min(s.len())).rev() {
            let piece = &s[at..end];
            if is_syllable(piece) {
                cur.push(piece.to_string());
                go(s, end, cur, out, prefix, dead);
                cur.pop();
            } else if prefix && end == s.len() && is_syllable_prefix(piece) {
                cur.push(piece.to_string());
                out.push(Segmentation {
                    syllables: cur.clone(),
                    last_is_prefix: true,
                });
                cur.pop();
            }
        }
        if out.len() == before {
            dead[at] = true;
        }
    }
    let mut out = Vec::new();
    go(
        s,
        0,
        &mut Vec::new(),
        &mut out,
        false,
        &mut vec![false; s.len() + 1],
    );
    if out.is_empty() {
        go(
            s,
            0,
            &mut Vec::new(),
            &mut out,
            true,
            &mut vec![false; s.len() + 1],
        );
    }
    out.sort_by_key(|g| g.syllables.len());
    out.dedup();
    out.truncate(MAX_READINGS);
    out
}

/// The pinyin meaning of a query term: only for terms of 2–40 ASCII letters, not all capitals.
pub fn pinyin_query(text: &str) -> Option<PinyinQuery> {
    let t = text.trim();
    // an acronym typed in capitals (GDP, WTO) means itself, not the initials of Chinese words
    if t.len() >= 2 && t.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let t = t.to_ascii_lowercase();
    if t.len() < 2 || t.len() > 40 || !t.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    Some(PinyinQuery {
        initials: t.chars().map(|c| c.to_string()).collect(),
        full: segment(&t),
    })
}

/// Where `q` matches in `chars` (already folded): ranges of characters whose readings spell
/// the query, by full pinyin or by initials. For snippets and highlights.
pub fn find_pinyin(chars: &[char], q: &PinyinQuery) -> Vec<(usize, usize)> {
    find_pinyin_by(chars, q)
        .into_iter()
        .map(|(a, b, _)| (a, b))
        .collect()
}

/// [`find_pinyin`], saying of each match whether it spells the query by full syllables
/// (true) or by initials (false).
pub fn find_pinyin_by(chars: &[char], q: &PinyinQuery) -> Vec<(usize, usize, bool)> {
    let mut out: Vec<(usize, usize, bool)> = Vec::new();
    let read: Vec<&[Box<str>]> = chars.iter().map(|&c| readings_of(c)).collect();
    let n = chars.len();
    for i in 0..n {
        if read[i].is_empty() {
            continue;
        }
        let mut best = None;
        for g in &q.full {
            let k = g.syllables.len();
            if i + k > n {
                continue;
            }
            let ok = g.syllables.iter().enumerate().all(|(j, s)| {
                let last = j + 1 == k && g.last_is_prefix;
                read[i + j].iter().any(|r| {
                    if last {
                        r.starts_with(s.as_str())
                    } else {
                        &**r == s.as_str()
                    }
                })
            });
            if ok {
                best = Some((i + k, true));
                break;
            }
        }
        if best.is_none() && i + q.initials.len() <= n {
            let ok = q
                .initials
                .iter()
                .enumerate()
                .all(|(j, l)| read[i + j].iter().any(|r| r.starts_with(l.as_str())));
            if ok {
                best = Some((i + q.initials.len(), false));
            }
        }
        if let Some((e, full)) = best {
            if out.last().is_none_or(|&(_, pe, _)| pe <= i) {
                out.push((i, e, full));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_syllables_are_every_reading_of_every_character() {
        let every: BTreeSet<String> = table()
            .readings
            .iter()
            .flat_map(|r| r.iter().map(|s| s.to_string()))
            .collect();
        assert!(every.len() > 400, "{}", every.len());
        assert_eq!(*syllables(), every);
    }

    #[test]
    fn readings_and_initials() {
        assert_eq!(readings('劳'), ["lao"]);
        assert!(readings('行').contains(&"xing".to_string()));
        assert!(readings('行').contains(&"hang".to_string()));
        assert!(readings('绿').contains(&"lv".to_string()));
        assert!(readings('绿').contains(&"lu".to_string()));
        assert_eq!(initials('长'), ["z", "c"]);
        assert!(readings('a').is_empty() && readings('，').is_empty());
        assert!(readings('欸').contains(&"e".to_string()), "ê is typed e");
        for c in ['欸', '誒', '女', '〇'] {
            assert!(readings(c)
                .iter()
                .all(|r| r.bytes().all(|b| b.is_ascii_lowercase())));
        }
    }

    #[test]
    fn queries_split_into_syllables() {
        let q = pinyin_query("LaoDongGuanXi").unwrap();
        assert_eq!(q.initials.concat(), "laodongguanxi");
        assert!(q
            .full
            .iter()
            .any(|g| g.syllables == ["lao", "dong", "guan", "xi"]));
        let q = pinyin_query("laodongg").unwrap();
        assert!(
            q.full
                .iter()
                .any(|g| g.syllables == ["lao", "dong", "g"] && g.last_is_prefix),
            "{q:?}"
        );
        assert!(pinyin_query("x").is_none());
        // many ways to start, none to finish: answered at once (a test that would hang
        // without the memo of dead ends)
        let hard = format!("{}v", "nan".repeat(13));
        let q = pinyin_query(&hard).unwrap();
        assert!(q.full.len() <= MAX_READINGS);
        let hard = format!("{}q", "a".repeat(39));
        assert!(pinyin_query(&hard).unwrap().full.len() <= MAX_READINGS);
        assert!(pinyin_query("ai2").is_none());
        assert!(pinyin_query("劳动").is_none());
        // xian: one syllable first, then xi+an
        let q = pinyin_query("xian").unwrap();
        assert_eq!(q.full[0].syllables, ["xian"]);
        assert!(q.full.iter().any(|g| g.syllables == ["xi", "an"]));
    }

    #[test]
    fn find_in_text() {
        let chars: Vec<char> = "深化劳动关系改革".chars().collect();
        assert_eq!(
            find_pinyin(&chars, &pinyin_query("laodongguanxi").unwrap()),
            [(2, 6)]
        );
        assert_eq!(
            find_pinyin(&chars, &pinyin_query("ldgx").unwrap()),
            [(2, 6)]
        );
        assert_eq!(
            find_pinyin(&chars, &pinyin_query("laodongg").unwrap()),
            [(2, 5)]
        );
        assert!(find_pinyin(&chars, &pinyin_query("zzzz").unwrap()).is_empty());
    }

    #[test]
    fn traditional_folds_to_simplified_length_kept() {
        assert_eq!(to_simplified("勞動關係"), "劳动关系");
    }
}
