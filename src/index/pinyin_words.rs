//! The archive's own words by their pinyin: what a pinyin query finds (nothing is indexed by
//! pinyin). A query such as `ldgx` or `laodongguanxi` means a word (劳动关系), not a run of
//! characters across words that happens to spell it (力的高新). The words are the jieba words
//! of the index's `words` field (its term dictionary), each under its full pinyin (syllables
//! joined) and its initials, every reading of polyphonic characters included (at most
//! [`MAX_SPELLINGS`] per word). Built once per set of segments and kept in the index folder
//! ([`FILE`]) for the next process.

use super::variants::{initials_of, readings_of, PinyinQuery};
use std::collections::HashMap;
use std::path::Path;
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

/// The words and their spellings, in one string (no allocation per word: the table of a
/// million-article archive is read from disk in a few milliseconds).
#[derive(Debug, Default)]
pub struct PinyinWords {
    /// The words, then every spelling, one after another.
    text: String,
    /// Each word's span in `text`.
    words: Vec<[u32; 2]>,
    /// Documents holding each word.
    freq: Vec<u32>,
    /// (span of a full spelling, word), sorted by spelling: for prefix scans.
    full: Vec<[u32; 3]>,
    /// (span of the initials, word), sorted by initials.
    initials: Vec<[u32; 3]>,
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

/// First bytes of the file the words are kept in (the number is the format's version).
const MAGIC: &[u8] = b"kanbao pinyin words 1\n";
/// The file, in the index folder.
pub const FILE: &str = "pinyin-words.bin";

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
        let mut words: Vec<(String, u32)> = freq.into_iter().collect();
        words.sort_unstable();
        PinyinWords::from_words(words)
    }

    /// From (word, documents holding it).
    pub fn from_words(list: Vec<(String, u32)>) -> PinyinWords {
        let mut pw = PinyinWords::default();
        let span = |text: &mut String, s: &str| -> [u32; 2] {
            let a = text.len() as u32;
            text.push_str(s);
            [a, text.len() as u32]
        };
        for (w, f) in &list {
            let sp = span(&mut pw.text, w);
            pw.words.push(sp);
            pw.freq.push(*f);
        }
        for (i, (w, _)) in list.iter().enumerate() {
            let chars: Vec<char> = w.chars().collect();
            for s in spellings(&chars, readings_of, MAX_SPELLINGS) {
                let [a, b] = span(&mut pw.text, &s);
                pw.full.push([a, b, i as u32]);
            }
            for s in spellings(&chars, initials_of, MAX_SPELLINGS) {
                let [a, b] = span(&mut pw.text, &s);
                pw.initials.push([a, b, i as u32]);
            }
        }
        let text = std::mem::take(&mut pw.text);
        for v in [&mut pw.full, &mut pw.initials] {
            let at = |e: &[u32; 3]| &text[e[0] as usize..e[1] as usize];
            v.sort_unstable_by(|x, y| at(x).cmp(at(y)).then(x[2].cmp(&y[2])));
            v.dedup_by(|x, y| x[2] == y[2] && at(x) == at(y));
        }
        pw.text = text;
        pw
    }

    fn at(&self, a: u32, b: u32) -> &str {
        self.text.get(a as usize..b as usize).unwrap_or("")
    }

    fn word(&self, i: u32) -> &str {
        let [a, b] = self.words[i as usize];
        self.at(a, b)
    }

    /// The entries of `table` whose spelling starts with `t`, in order of spelling.
    fn starting_with<'a>(
        &'a self,
        table: &'a [[u32; 3]],
        t: &'a str,
    ) -> impl Iterator<Item = (&'a str, u32)> + 'a {
        let start = table.partition_point(|e| self.at(e[0], e[1]) < t);
        table[start..]
            .iter()
            .map(|e| (self.at(e[0], e[1]), e[2]))
            .take_while(move |(s, _)| s.starts_with(t))
    }

    /// The words whose spelling in `table` is exactly `t`.
    fn exactly(&self, table: &[[u32; 3]], t: &str) -> Vec<u32> {
        self.starting_with(table, t)
            .take_while(|(s, _)| *s == t)
            .map(|(_, i)| i)
            .collect()
    }

    /// The table as bytes, under `key` (the segments it was built from).
    pub fn to_bytes(&self, key: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 16 * self.full.len() + 64);
        out.extend_from_slice(MAGIC);
        let put_bytes = |out: &mut Vec<u8>, b: &[u8]| {
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        };
        put_bytes(&mut out, key.as_bytes());
        put_bytes(&mut out, self.text.as_bytes());
        let put = |out: &mut Vec<u8>, v: &[u32]| {
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            for x in v {
                out.extend_from_slice(&x.to_le_bytes());
            }
        };
        put(&mut out, self.words.as_flattened());
        put(&mut out, &self.freq);
        put(&mut out, self.full.as_flattened());
        put(&mut out, self.initials.as_flattened());
        out
    }

    /// A table written by [`Self::to_bytes`] under `key`; None when the bytes are of another
    /// key or format, or damaged (every span and word number is checked).
    pub fn from_bytes(b: &[u8], key: &str) -> Option<PinyinWords> {
        let u32_at = |b: &[u8], at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(
                b.get(at..at.checked_add(4)?)?.try_into().ok()?,
            ))
        };
        let mut pos = 0usize;
        let body = b.strip_prefix(MAGIC)?;
        let bytes = |pos: &mut usize| -> Option<&[u8]> {
            let n = u32_at(body, *pos)? as usize;
            let v = body.get(*pos + 4..(*pos + 4).checked_add(n)?)?;
            *pos += 4 + n;
            Some(v)
        };
        if bytes(&mut pos)? != key.as_bytes() {
            return None;
        }
        let text = std::str::from_utf8(bytes(&mut pos)?).ok()?.to_string();
        let ints = |pos: &mut usize| -> Option<Vec<u32>> {
            let n = u32_at(body, *pos)? as usize;
            let v = body.get(*pos + 4..(*pos + 4).checked_add(n.checked_mul(4)?)?)?;
            *pos += 4 + 4 * n;
            Some(
                v.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            )
        };
        let pairs = |v: Vec<u32>| -> Option<Vec<[u32; 2]>> {
            v.len()
                .is_multiple_of(2)
                .then(|| v.chunks_exact(2).map(|c| [c[0], c[1]]).collect())
        };
        let triples = |v: Vec<u32>| -> Option<Vec<[u32; 3]>> {
            v.len()
                .is_multiple_of(3)
                .then(|| v.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect())
        };
        let words = pairs(ints(&mut pos)?)?;
        let freq = ints(&mut pos)?;
        let full = triples(ints(&mut pos)?)?;
        let initials = triples(ints(&mut pos)?)?;
        if pos != body.len() || freq.len() != words.len() {
            return None;
        }
        let span_ok = |a: u32, b: u32| a <= b && text.get(a as usize..b as usize).is_some();
        let n = words.len() as u32;
        if !words.iter().all(|w| span_ok(w[0], w[1]))
            || !full
                .iter()
                .chain(&initials)
                .all(|e| span_ok(e[0], e[1]) && e[2] < n)
        {
            return None;
        }
        Some(PinyinWords {
            text,
            words,
            freq,
            full,
            initials,
        })
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
            .map(|i| (self.word(i).to_string(), self.freq[i as usize]))
            .collect()
    }

    /// Words whose full pinyin is the query (or, while it is being typed or when no word is
    /// spelled so, starts with it).
    pub fn by_full(&self, q: &PinyinQuery) -> Vec<(String, u32)> {
        let t: String = q.initials.concat();
        let prefix_ok = q.full.iter().any(|g| g.last_is_prefix);
        if q.full.is_empty() {
            return Vec::new();
        }
        let mut exact = Vec::new();
        let mut longer = Vec::new();
        for (s, i) in self.starting_with(&self.full, &t) {
            if s == t {
                exact.push(i);
            } else if prefix_ok || longer.len() < 4 * MAX_WORDS {
                longer.push(i);
            }
            if exact.len() + longer.len() > 64 * MAX_WORDS {
                break;
            }
        }
        // a finished query means the words it spells (found inside longer words too: 劳动 in
        // 劳动模范); one still being typed, or spelling no word, also the words it starts
        if !exact.is_empty() && !prefix_ok {
            return self.top(exact);
        }
        self.exact_then_longer(exact, longer, MAX_WORDS)
    }

    /// The most frequent of the words spelled exactly (`exact`), then the most frequent of
    /// those whose spelling is longer, `n` in all.
    fn exact_then_longer(&self, exact: Vec<u32>, longer: Vec<u32>, n: usize) -> Vec<(String, u32)> {
        let mut out = self.top(exact);
        out.truncate(n);
        for w in self.top(longer) {
            if out.len() >= n {
                break;
            }
            if !out.contains(&w) {
                out.push(w);
            }
        }
        out
    }

    /// Words whose full pinyin is exactly `s`.
    fn exact_full(&self, s: &str) -> Vec<(String, u32)> {
        self.top(self.exactly(&self.full, s))
    }

    /// Two consecutive words that together spell the query by full syllables (劳动 关系 for
    /// `laodongguanxi` when the archive has no word 劳动关系), split at syllable boundaries;
    /// the [`PAIR_WORDS`] most frequent words spelled by the left part, and the most frequent
    /// words spelled by the right part or starting with it (while typing, `laodongguan`: 关系).
    /// Each pair comes with the smaller of the two words' frequencies.
    pub fn pairs_full(&self, q: &PinyinQuery) -> Vec<([String; 2], u32)> {
        let t: String = q.initials.concat();
        let mut cuts: Vec<usize> = Vec::new();
        for g in &q.full {
            let mut at = 0;
            for s in &g.syllables[..g.syllables.len().saturating_sub(1)] {
                at += s.len();
                cuts.push(at);
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        self.pairs(&t, &cuts, |s| self.exact_full(s), |s| self.full_from(s))
    }

    /// Words spelled `s` by full syllables, then words whose spelling starts with `s`: the
    /// most frequent of each, [`PAIR_WORDS`] × 2 in all.
    fn full_from(&self, s: &str) -> Vec<(String, u32)> {
        let (mut exact, mut longer) = (Vec::new(), Vec::new());
        for (sp, i) in self.starting_with(&self.full, s).take(64 * MAX_WORDS) {
            if sp == s {
                exact.push(i);
            } else {
                longer.push(i);
            }
        }
        self.exact_then_longer(exact, longer, PAIR_WORDS * 2)
    }

    /// Two consecutive words whose initials together are the query's letters (劳动 关系 for
    /// `ldgx`).
    pub fn pairs_initials(&self, q: &PinyinQuery) -> Vec<([String; 2], u32)> {
        let t: String = q.initials.concat();
        let cuts: Vec<usize> = (2..t.len().saturating_sub(1)).collect();
        let by = |s: &str| self.top(self.exactly(&self.initials, s));
        self.pairs(&t, &cuts, by, by)
    }

    fn pairs(
        &self,
        t: &str,
        cuts: &[usize],
        left: impl Fn(&str) -> Vec<(String, u32)>,
        right: impl Fn(&str) -> Vec<(String, u32)>,
    ) -> Vec<([String; 2], u32)> {
        let mut out = Vec::new();
        for &c in cuts {
            let left = left(&t[..c]);
            if left.is_empty() {
                continue;
            }
            let right = right(&t[c..]);
            for (a, fa) in left.iter().take(PAIR_WORDS) {
                for (b, fb) in right.iter().take(PAIR_WORDS * 2) {
                    out.push(([a.clone(), b.clone()], (*fa).min(*fb)));
                }
            }
        }
        out.sort_by_key(|p| std::cmp::Reverse(p.1));
        out.truncate(MAX_PAIRS);
        out
    }

    /// What the pinyin `p` spells in the archive, in the order a reader expects them: one
    /// word or two in a row by full syllables, then one word by initials, then two words by
    /// initials; each with the number of documents holding it (of two words, the rarer).
    pub fn spelled(&self, p: &PinyinQuery) -> [Vec<(Vec<String>, u32)>; 3] {
        let mut full: Vec<(Vec<String>, u32)> = Vec::new();
        full.extend(self.by_full(p).into_iter().map(|(w, f)| (vec![w], f)));
        full.extend(self.pairs_full(p).into_iter().map(|(w, f)| (w.to_vec(), f)));
        let mut init: Vec<(Vec<String>, u32)> = Vec::new();
        init.extend(self.by_initials(p).into_iter().map(|(w, f)| (vec![w], f)));
        let mut init2: Vec<(Vec<String>, u32)> = Vec::new();
        init2.extend(
            self.pairs_initials(p)
                .into_iter()
                .map(|(w, f)| (w.to_vec(), f)),
        );
        init.retain(|w| !full.iter().any(|f| f.0 == w.0));
        init2.retain(|w| !full.iter().any(|f| f.0 == w.0));
        [full, init, init2]
    }

    /// Words whose initials are the query's letters.
    pub fn by_initials(&self, q: &PinyinQuery) -> Vec<(String, u32)> {
        let t: String = q.initials.concat();
        self.top(self.exactly(&self.initials, &t))
    }
}

/// The words of one index, for its current segments: read from [`FILE`] in the index folder
/// when it was written for those segments, else built (once, by the first query that needs
/// them, or in the background: a reader must not stall on the first pinyin query) and written
/// there for the next process.
#[derive(Debug, Clone, Default)]
pub struct Cache(Arc<Mutex<CacheState>>);

#[derive(Debug, Default)]
struct CacheState {
    /// The segments the words were (or are being) built from.
    key: String,
    words: Option<Arc<PinyinWords>>,
    building: bool,
}

/// The segments of `searcher`, as the key of their words.
fn key_of(searcher: &tantivy::Searcher) -> String {
    let mut ids: Vec<String> = searcher
        .segment_readers()
        .iter()
        .map(|s| s.segment_id().uuid_string())
        .collect();
    ids.sort_unstable();
    ids.join(",")
}

impl Cache {
    /// The words for `searcher`'s segments. When they are not in memory: with `wait`, read or
    /// build them now; without, do that on another thread and answer None meanwhile.
    pub fn get(
        &self,
        searcher: &tantivy::Searcher,
        field: tantivy::schema::Field,
        wait: bool,
        dir: &Path,
    ) -> Option<Arc<PinyinWords>> {
        let key = key_of(searcher);
        let mut st = self.0.lock().unwrap_or_else(|e| e.into_inner());
        while st.key == key {
            if let Some(w) = &st.words {
                return Some(w.clone());
            }
            if !st.building {
                break;
            }
            if !wait {
                return None;
            }
            // being read or built on another thread: wait for it rather than build it twice
            drop(st);
            std::thread::sleep(std::time::Duration::from_millis(5));
            st = self.0.lock().unwrap_or_else(|e| e.into_inner());
        }
        st.key = key.clone();
        st.words = None;
        if wait {
            st.building = true;
            drop(st);
            let w = Arc::new(read_or_build(searcher, field, dir, &key));
            let mut st = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if st.key == key {
                st.words = Some(w.clone());
                st.building = false;
            }
            return Some(w);
        }
        st.building = true;
        let (cache, searcher, dir) = (self.clone(), searcher.clone(), dir.to_path_buf());
        std::thread::spawn(move || {
            let w = Arc::new(read_or_build(&searcher, field, &dir, &key));
            let mut st = cache.0.lock().unwrap_or_else(|e| e.into_inner());
            if st.key == key {
                st.words = Some(w);
                st.building = false;
            }
        });
        None
    }
}

/// The words of [`FILE`] in `dir` when it was written for `key`; else built from `searcher`
/// and written there (replacing the file whole: a reader never sees half of one; a folder
/// this process may not write to only costs the next process the same build).
fn read_or_build(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    dir: &Path,
    key: &str,
) -> PinyinWords {
    let t0 = std::time::Instant::now();
    let path = dir.join(FILE);
    if let Some(w) = std::fs::read(&path)
        .ok()
        .and_then(|b| PinyinWords::from_bytes(&b, key))
    {
        log::debug!("pinyin of {} words read in {:.1?}", w.len(), t0.elapsed());
        return w;
    }
    let w = PinyinWords::build(searcher, field);
    log::debug!("pinyin of {} words built in {:.1?}", w.len(), t0.elapsed());
    let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
    let written = std::fs::write(&tmp, w.to_bytes(key)).and_then(|_| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        log::debug!("pinyin words not kept in {}: {e}", dir.display());
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_survives_the_disk_and_refuses_other_or_damaged_bytes() {
        let list = vec![
            ("劳动".to_string(), 5),
            ("银行".to_string(), 9),
            ("老东".to_string(), 1),
            ("关系".to_string(), 7),
        ];
        let pw = PinyinWords::from_words(list);
        let q = crate::index::variants::pinyin_query("ldgx").unwrap();
        let pairs = pw.pairs_initials(&q);
        assert_eq!(pairs[0].0, ["劳动".to_string(), "关系".to_string()]);
        let b = pw.to_bytes("seg-a,seg-b");
        let back = PinyinWords::from_bytes(&b, "seg-a,seg-b").expect("read back");
        for t in ["yinhang", "yinxing", "laodong", "ld", "yh", "lao", "x"] {
            let Some(q) = crate::index::variants::pinyin_query(t) else {
                continue;
            };
            assert_eq!(pw.by_full(&q), back.by_full(&q), "{t}");
            assert_eq!(pw.by_initials(&q), back.by_initials(&q), "{t}");
        }
        // 老东 and 劳动 both read laodong: the more frequent first
        let q = crate::index::variants::pinyin_query("laodong").unwrap();
        assert_eq!(back.by_full(&q)[0].0, "劳动");
        assert!(
            PinyinWords::from_bytes(&b, "seg-a").is_none(),
            "another key"
        );
        for cut in [0, 10, b.len() / 2, b.len() - 1] {
            assert!(PinyinWords::from_bytes(&b[..cut], "seg-a,seg-b").is_none());
        }
        let mut bad = b.clone();
        let n = bad.len();
        bad[n - 2] = 0xff; // a word number far out of range
        assert!(PinyinWords::from_bytes(&bad, "seg-a,seg-b").is_none());
    }

    #[test]
    fn spellings_cover_polyphonic_characters() {
        let s = spellings(&['银', '行'], readings_of, 16);
        assert!(s.contains(&"yinhang".to_string()) && s.contains(&"yinxing".to_string()));
        assert_eq!(spellings(&['劳', '动'], initials_of, 16), vec!["ld"]);
        assert!(spellings(&['a', '动'], readings_of, 16).is_empty());
    }
}
