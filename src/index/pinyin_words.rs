//! The archive's own words by their pinyin, for ranking pinyin matches: a query such as `ldgx`
//! or `laodongguanxi` means a word (劳动关系) far more often than a run of characters across
//! words that happens to spell it (力的高新). The words are the jieba words of the index's
//! `words` field (its term dictionary), each under its full pinyin (syllables joined) and its
//! initials, every reading of polyphonic characters included (at most [`MAX_SPELLINGS`] per
//! word). Built once per set of segments, on the first pinyin query, and shared.

use super::variants::{initials_of, readings_of, PinyinQuery};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Words of this many Han characters are listed.
const WORD_CHARS: std::ops::RangeInclusive<usize> = 2..=6;
/// At most this many spellings (combinations of readings) per word.
pub const MAX_SPELLINGS: usize = 16;
/// At most this many words per query term (the most frequent ones).
pub const MAX_WORDS: usize = 48;
/// Two-word spellings: this many words on each side of a cut, this many pairs in all.
pub const PAIR_WORDS: usize = 4;
pub const MAX_PAIRS: usize = 24;

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

    /// The most frequent of `ids`, at most [`MAX_WORDS`], as (word, documents holding it).
    fn top(&self, mut ids: Vec<u32>) -> Vec<(String, u32)> {
        ids.sort_unstable();
        ids.dedup();
        ids.sort_by_key(|&i| std::cmp::Reverse(self.freq[i as usize]));
        ids.truncate(MAX_WORDS);
        ids.into_iter()
            .map(|i| (self.words[i as usize].to_string(), self.freq[i as usize]))
            .collect()
    }

    /// Words whose full pinyin is the query (or, while it is being typed, starts with it).
    pub fn by_full(&self, q: &PinyinQuery) -> Vec<(String, u32)> {
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

    /// Words whose full pinyin is exactly `s`.
    fn exact_full(&self, s: &str) -> Vec<(String, u32)> {
        let start = self.full.partition_point(|(f, _)| **f < *s);
        let ids: Vec<u32> = self.full[start..]
            .iter()
            .take_while(|(f, _)| **f == *s)
            .map(|(_, i)| *i)
            .collect();
        self.top(ids)
    }

    /// Two consecutive words that together spell the query by full syllables (劳动 关系 for
    /// `laodongguanxi` when the archive has no word 劳动关系), split at syllable boundaries of
    /// complete readings; the [`PAIR_WORDS`] most frequent words on each side. Each pair
    /// comes with the smaller of the two words' frequencies.
    pub fn pairs_full(&self, q: &PinyinQuery) -> Vec<([String; 2], u32)> {
        let t: String = q.initials.concat();
        let mut cuts: Vec<usize> = Vec::new();
        for g in q.full.iter().filter(|g| !g.last_is_prefix) {
            let mut at = 0;
            for s in &g.syllables[..g.syllables.len().saturating_sub(1)] {
                at += s.len();
                cuts.push(at);
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        self.pairs(&t, &cuts, |s| self.exact_full(s))
    }

    /// Two consecutive words whose initials together are the query's letters (劳动 关系 for
    /// `ldgx`).
    pub fn pairs_initials(&self, q: &PinyinQuery) -> Vec<([String; 2], u32)> {
        let t: String = q.initials.concat();
        let cuts: Vec<usize> = (2..t.len().saturating_sub(1)).collect();
        self.pairs(&t, &cuts, |s| {
            self.initials
                .get(s)
                .map(|ids| self.top(ids.clone()))
                .unwrap_or_default()
        })
    }

    fn pairs(
        &self,
        t: &str,
        cuts: &[usize],
        words: impl Fn(&str) -> Vec<(String, u32)>,
    ) -> Vec<([String; 2], u32)> {
        let mut out = Vec::new();
        for &c in cuts {
            let left = words(&t[..c]);
            if left.is_empty() {
                continue;
            }
            let right = words(&t[c..]);
            for (a, fa) in left.iter().take(PAIR_WORDS) {
                for (b, fb) in right.iter().take(PAIR_WORDS) {
                    out.push(([a.clone(), b.clone()], (*fa).min(*fb)));
                }
            }
        }
        out.sort_by_key(|p| std::cmp::Reverse(p.1));
        out.truncate(MAX_PAIRS);
        out
    }

    /// Words whose initials are the query's letters.
    pub fn by_initials(&self, q: &PinyinQuery) -> Vec<(String, u32)> {
        let t: String = q.initials.concat();
        self.initials
            .get(t.as_str())
            .map(|ids| self.top(ids.clone()))
            .unwrap_or_default()
    }
}

/// The words of one index, built for its current segments: once, by the first query that
/// needs them, or in the background (a reader must not stall on the first pinyin query).
#[derive(Debug, Clone, Default)]
pub struct Cache(Arc<Mutex<CacheState>>);

#[derive(Debug, Default)]
struct CacheState {
    /// The segments the words were (or are being) built from.
    key: Vec<tantivy::index::SegmentId>,
    words: Option<Arc<PinyinWords>>,
    building: bool,
}

impl Cache {
    /// The words for `searcher`'s segments. When they are not built: with `wait`, build them
    /// now; without, start building them on another thread and answer None meanwhile.
    pub fn get(
        &self,
        searcher: &tantivy::Searcher,
        field: tantivy::schema::Field,
        wait: bool,
    ) -> Option<Arc<PinyinWords>> {
        let key: Vec<tantivy::index::SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        let mut st = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if st.key == key {
            if let Some(w) = &st.words {
                return Some(w.clone());
            }
            if st.building && !wait {
                return None;
            }
        }
        st.key = key.clone();
        st.words = None;
        if wait {
            drop(st);
            let w = Arc::new(build_logged(searcher, field));
            let mut st = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if st.key == key {
                st.words = Some(w.clone());
            }
            return Some(w);
        }
        st.building = true;
        let (cache, searcher) = (self.clone(), searcher.clone());
        std::thread::spawn(move || {
            let w = Arc::new(build_logged(&searcher, field));
            let mut st = cache.0.lock().unwrap_or_else(|e| e.into_inner());
            if st.key == key {
                st.words = Some(w);
                st.building = false;
            }
        });
        None
    }
}

fn build_logged(searcher: &tantivy::Searcher, field: tantivy::schema::Field) -> PinyinWords {
    let t0 = std::time::Instant::now();
    let w = PinyinWords::build(searcher, field);
    log::debug!("pinyin of {} words in {:.1?}", w.len(), t0.elapsed());
    w
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
