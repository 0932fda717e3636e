//! Pages set in traditional characters (papers of Hong Kong, Taiwan, Macao and overseas, older
//! pages). Everything the analysis knows is said in simplified characters: the shapes of
//! bylines and datelines (本報記者 is 本报记者), the labeller's model, jieba's dictionary. So a
//! page in traditional characters is read in simplified ones ([`simplified`]: `fast2s`,
//! character by character, so that every character keeps its place), and the records it gives
//! are written back in the page's own characters ([`Restore`]): what a user reads, searches and
//! exports is the page as it was printed.

use crate::text::is_han;
use std::collections::{HashMap, HashSet};

/// How many Han characters from the start of a page tell its script.
const SAMPLE: usize = 2000;

/// The page in simplified characters when it is set in traditional ones: a twentieth or more of
/// its first [`SAMPLE`] Han characters change (a page in simplified characters changes a few in
/// a thousand at most: 乾隆, 捍卫, names). `None` for any other page, which is read as it is.
pub fn simplified(text: &str) -> Option<String> {
    // the sample: the text up to its SAMPLE-th Han character
    let mut han = 0;
    let mut end = text.len();
    for (k, c) in text.char_indices() {
        if is_han(c) {
            han += 1;
            if han == SAMPLE {
                end = k + c.len_utf8();
                break;
            }
        }
    }
    let sample = &text[..end];
    let folded = fast2s::convert(sample);
    let changed = sample
        .chars()
        .zip(folded.chars())
        .filter(|(a, b)| a != b)
        .count();
    if changed < 3 || changed * 20 < han {
        return None;
    }
    let all = if end == text.len() {
        folded
    } else {
        fast2s::convert(text)
    };
    // the conversion keeps every character's length; should it ever not, the page is read as
    // it is rather than written back wrong
    (all.len() == text.len() && all.chars().count() == text.chars().count()).then_some(all)
}

/// Writes strings cut from the simplified page back in the original page's characters.
pub struct Restore {
    original: Vec<char>,
    /// The simplified page without white space (which the analysis drops and adds), each
    /// character with its place in `original`.
    flat: Vec<(usize, char)>,
    /// For each simplified character the page changes somewhere, the first form the page has
    /// it in: given where a character of a string finds no place of its own (which a string
    /// the analysis cut from the page never leaves).
    first_form: HashMap<char, char>,
    /// Places of `flat` already given to a string: every character of a page goes into one
    /// record's field at most once, so a place taken is not found again (a page with the same
    /// words in both scripts gives each form back as often as it has it).
    used: Vec<bool>,
    /// The places of `flat` of each character, in order, and how many of them at the front
    /// are known to be taken.
    at: HashMap<char, (Vec<usize>, usize)>,
    /// Where the last string's walk ended: the next string is most often right after it.
    cursor: usize,
}

/// Characters the analysis adds or drops freely: white space and the mark of characters lost.
fn skipped(c: char) -> bool {
    c.is_whitespace() || c == crate::text::GAP_MARK
}

/// The characters of `chars` that are not [`skipped`], each with its place.
fn kept(chars: &[char]) -> Vec<(usize, char)> {
    chars
        .iter()
        .enumerate()
        .filter(|(_, &c)| !skipped(c))
        .map(|(k, &c)| (k, c))
        .collect()
}

impl Restore {
    /// `original` and `simplified` are the page and [`simplified`]'s answer for it.
    pub fn new(original: &str, simplified: &str) -> Restore {
        let original: Vec<char> = original.chars().collect();
        let folded: Vec<char> = simplified.chars().collect();
        let changed: HashSet<char> = original
            .iter()
            .zip(&folded)
            .filter(|(o, f)| o != f)
            .map(|(_, &f)| f)
            .collect();
        let mut first_form: HashMap<char, char> = HashMap::new();
        for (&o, &f) in original.iter().zip(&folded) {
            if changed.contains(&f) {
                first_form.entry(f).or_insert(o);
            }
        }
        let flat = kept(&folded);
        let used = vec![false; flat.len()];
        let mut at: HashMap<char, (Vec<usize>, usize)> = HashMap::new();
        for (p, &(_, c)) in flat.iter().enumerate() {
            at.entry(c).or_default().0.push(p);
        }
        Restore {
            original,
            flat,
            first_form,
            used,
            at,
            cursor: 0,
        }
    }

    /// `s` (cut from the simplified page) in the page's own characters: each character as the
    /// page has it at its place. The strings of a page are each given once (the places they
    /// take are not found again).
    pub fn restore(&mut self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let places = self.places(&chars);
        chars
            .iter()
            .zip(places)
            .map(|(&c, place)| match place {
                Some(k) => self.original[k],
                None => self.first_form.get(&c).copied().unwrap_or(c),
            })
            .collect()
    }

    /// The place in the page of each character of `chars` (white space and gap marks have
    /// none), found by walking the page along with them: a string the analysis cut from the
    /// page runs through it in order, apart from white space, the gap marks it adds and the few
    /// characters it drops (signs, markers of emphasis); where the walk loses its way, the rest
    /// of the string is looked for again, first ahead, then anywhere.
    fn places(&mut self, chars: &[char]) -> Vec<Option<usize>> {
        let mut out = vec![None; chars.len()];
        let want = kept(chars);
        let mut q = 0;
        let mut p = self.cursor;
        while q < want.len() {
            if p < self.flat.len() && !self.used[p] && self.flat[p].1 == want[q].1 {
                out[want[q].0] = Some(self.flat[p].0);
                self.used[p] = true;
                p += 1;
                q += 1;
                continue;
            }
            // the next characters, eight, four, two of them or this one alone, ahead first,
            // then anywhere: the analysis conserves the simplified page, so each character it
            // gives has a place of its own left (and the original forms are given back as
            // many times each as the page has them)
            let key: Vec<char> = want[q..].iter().take(8).map(|&(_, c)| c).collect();
            let found = [8, 4, 2, 1].iter().find_map(|&m| {
                let k = &key[..m.min(key.len())];
                self.find(k, p).or_else(|| self.find(k, 0))
            });
            match found {
                Some(at) => p = at,
                // not in the page as it is: this character gets the page's first form of it
                // (or keeps its own)
                None => q += 1,
            }
        }
        self.cursor = p;
        out
    }

    /// The first place at or after `from` where `key` runs in the flattened page, on places
    /// not yet taken.
    fn find(&mut self, key: &[char], from: usize) -> Option<usize> {
        let (flat, used) = (&self.flat, &self.used);
        let (list, taken) = self.at.get_mut(key.first()?)?;
        // the places at the front already taken are skipped once for all
        while list.get(*taken).is_some_and(|&p| used[p]) {
            *taken += 1;
        }
        let start = list.partition_point(|&p| p < from).max(*taken);
        list[start..].iter().copied().find(|&p| {
            p + key.len() <= flat.len()
                && key
                    .iter()
                    .enumerate()
                    .all(|(j, &c)| !used[p + j] && flat[p + j].1 == c)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_pages_are_read_as_they_are() {
        assert_eq!(
            simplified("本报讯（记者 黄静）乾隆年间的捍卫者在这里发现了头发。"),
            None
        );
        assert_eq!(simplified(""), None);
        let page = "本報訊（記者 黃靜）浦東新區召開會議，表彰先進企業。";
        assert_eq!(
            simplified(page).as_deref(),
            Some("本报讯（记者 黄静）浦东新区召开会议，表彰先进企业。")
        );
    }

    #[test]
    fn records_are_written_back_in_the_pages_characters() {
        // 发 from 發 and from 髮, 后 from 後 and from 后 (皇后), 里 from 裡 and 里
        let page = "他後來在這裡發現了皇后的頭髮，\n走了三公里。\n　　發現者說：頭髮很長。";
        let s = simplified(page).unwrap();
        let mut r = Restore::new(page, &s);
        assert_eq!(
            r.restore("他后来在这里发现了皇后的头发，走了三公里。"),
            "他後來在這裡發現了皇后的頭髮，走了三公里。"
        );
        assert_eq!(r.restore("发现者说：头发很长。"), "發現者說：頭髮很長。");
        // a place is given once: the same words again are not in the page
        assert_eq!(r.restore("发现者说"), "發現者說");
        // marks of characters lost and spaces the analysis adds change nothing
        let mut r = Restore::new(page, &s);
        assert_eq!(r.restore("发现者说〓头发 很长"), "發現者說〓頭髮 很長");
        // the same words in both scripts: each form given back as often as the page has it
        let both = "本報訊（記者 李四）\n本报讯（记者 李四）\n本報訊（記者 李四）";
        let mut r = Restore::new(both, &simplified(both).unwrap());
        let back: Vec<String> = (0..3).map(|_| r.restore("本报讯（记者 李四）")).collect();
        let trad = back.iter().filter(|b| *b == "本報訊（記者 李四）").count();
        assert_eq!((trad, back.len() - trad), (2, 1), "{back:?}");
        // a simplified character the page has in one form only takes that form; one the page
        // never changed keeps its own
        let mut r = Restore::new(page, &s);
        assert_eq!(r.restore("头"), "頭");
        assert_eq!(r.restore("书"), "书");
    }
}
