//! The archive's own words by their pinyin, for ranking pinyin matches: a query such as `ldgx`
//! or `laodongguanxi` means a word (劳动关系) far more often than a run of characters across
//! words that happens to spell it (力的高新). The words are the jieba words of the index's
//! `words` field (its term dictionary), each under its full pinyin (syllables joined) and its
//! initials, every reading of polyphonic characters included (at most [`MAX_SPELLINGS`] per
//! word). Built once per set of segments, on the first pinyin query, and shared.

use super::variants::{initials_of, readings_of, PinyinQuery};
use std::collections::HashMap;

/// Words of this many Han characters are listed.
const WORD_CHARS: std::ops::RangeInclusive<usize> = 2..=6;
/// At most this many spellings (combinations of readings) per word.
pub const MAX_SPELLINGS: usize = 16;
/// At most this many words per query term (the most frequent ones).
pub const MAX_WORDS: usize = 48;

#[derive(Debug, Default)]
pub struct PinyinWords {
    /// Full pinyin → (word, documents holding it), sorted by pinyin for prefix scans.
    full: Vec<(Box<str>, u32)>,
    /// The words, by index from `full`.
    words: Vec<Box<str>>,
    /// Initials → word indexes.
    initials: HashMap<Box<str>, Vec<u32>>,
    /// Document frequency per word index.
    freq: Vec<u32>,
}

/// Every spelling of `word` by `of` (readings or initials of each character), at most `max`.
fn spellings(word: &[char], of: fn(char) -> &'static [Box<str>], max: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for &c in word {
        let rs = of(c);
        if rs.is_empty() {
            return Vec::new();
        }
        let mut next = Vec::new();
        'all: for s in &out {
            for r in rs {
                next.push(format!("{s}{r}"));
                if next.len() >= max {
                    break 'all;
                }
            }
        }
        out = next;
    }
    out
}

impl PinyinWords {
    /// From the terms of `field` in every segment of `searcher`.
    pub fn build(searcher: &tantivy::Searcher, field: tantivy::schema::Field) -> PinyinWords {
        let mut freq: HashMap<String, u32> = HashMap::new();
        for seg in searcher.segment_readers() {
            let Ok(inv) = seg.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inv.terms().stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(w) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let n = w.chars().count();
                if !WORD_CHARS.contains(&n) || !w.chars().all(crate::text::is_han) {
                    continue;
                }
                *freq.entry(w.to_string()).or_default() += stream.value().doc_freq;
            }
        }
        let mut pw = PinyinWords::default();
        let mut full: Vec<(Box<str>, u32)> = Vec::new();
        for (w, f) in freq {
            let chars: Vec<char> = w.chars().collect();
            let i = pw.words.len() as u32;
            for s in spellings(&chars, readings_of, MAX_SPELLINGS) {
                full.push((s.into_boxed_str(), i));
            }
            for s in spellings(&chars, initials_of, MAX_SPELLINGS) {
                pw.initials.entry(s.into_boxed_str()).or_default().push(i);
            }
            pw.words.push(w.into_boxed_str());
            pw.freq.push(f);
        }
        full.sort_unstable();
        full.dedup();
        pw.full = full;
        pw
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The most frequent of `ids`, at most [`MAX_WORDS`], as words.
    fn top(&self, mut ids: Vec<u32>) -> Vec<String> {
        ids.sort_unstable();
        ids.dedup();
        ids.sort_by_key(|&i| std::cmp::Reverse(self.freq[i as usize]));
        ids.truncate(MAX_WORDS);
        ids.into_iter()
            .map(|i| self.words[i as usize].to_string())
            .collect()
    }

    /// Words whose full pinyin is the query (or, while it is being typed, starts with it).
    pub fn by_full(&self, q: &PinyinQuery) -> Vec<String> {
        let t: String = q.initials.concat();
        let prefix_ok = q.full.iter().any(|g| g.last_is_prefix);
        if q.full.is_empty() {
            return Vec::new();
        }
        let start = self.full.partition_point(|(s, _)| **s < *t);
        let mut exact = Vec::new();
        let mut longer = Vec::new();
        for (s, i) in &self.full[start..] {
            if !s.starts_with(t.as_str()) {
                break;
            }
            if **s == *t {
                exact.push(*i);
            } else if prefix_ok || longer.len() < 4 * MAX_WORDS {
                longer.push(*i);
            }
            if exact.len() + longer.len() > 64 * MAX_WORDS {
                break;
            }
        }
        // a finished query means its words; one still being typed also the words it starts
        if !exact.is_empty() && !prefix_ok {
            return self.top(exact);
        }
        let mut all = self.top(exact);
        for w in self.top(longer) {
            if all.len() >= MAX_WORDS {
                break;
            }
            if !all.contains(&w) {
                all.push(w);
            }
        }
        all
    }

    /// Words whose initials are the query's letters.
    pub fn by_initials(&self, q: &PinyinQuery) -> Vec<String> {
        let t: String = q.initials.concat();
        self.initials
            .get(t.as_str())
            .map(|ids| self.top(ids.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_cover_polyphonic_characters() {
        let s = spellings(&['银', '行'], readings_of, 16);
        assert!(s.contains(&"yinhang".to_string()) && s.contains(&"yinxing".to_string()));
        assert_eq!(spellings(&['劳', '动'], initials_of, 16), vec!["ld"]);
        assert!(spellings(&['a', '动'], readings_of, 16).is_empty());
    }
}
