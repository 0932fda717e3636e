//! The line labeller: a linear-chain CRF (the `crfs` crate) that says what each non-blank line
//! of a page is, from the shape of the line and of its neighbours.
//!
//! Labels: `A` first line of an article's body, `P` first line of another paragraph, `C` a line
//! that continues a paragraph, `H`/`h` first/other line of a headline group (series label,
//! kicker, title, subtitle), `S`/`s` first/other line of a subhead, `Y` byline that goes with
//! its headline or the article below, `y` byline closing the article above, `F` a line of no
//! article (page header, rubric, box, caption, credit).
//!
//! The model is trained on generated pages (`scripts/make_pages.py`, tune part only) by
//! `scripts/train_layout.sh`, and committed as `src/layout/model.crfsuite`. Features describe
//! shapes (width against the local column, end and start punctuation, blank lines around,
//! indent, byline/dateline shapes, whether a word continues across the break, position on the
//! page), where else on the page the line's character pairs occur (echo), whether the text
//! goes on with what is above it (cohesion), and the page's manner; never a corpus's words.

use super::lines::{self, Line, LineKind};
use super::reflow;
pub use super::tagger::Crf;
use super::tagger::Scores;
use crate::text::{ends_sentence, is_han};
use crfs::Attribute;
use std::sync::OnceLock;

/// A page's lines as character pairs (none for a byline), each pair numbered on the page (the
/// same pair, the same number; numbers from 0 up to the count of distinct pairs), so that
/// windows and sets of pairs are arrays indexed by number rather than hash tables.
struct Pairs {
    /// every line's pairs, one line after the other
    all: Vec<u32>,
    /// where each line's pairs start in `all` (and, last, where they end)
    start: Vec<usize>,
    distinct: usize,
}

impl Pairs {
    fn new(lines: &[Line], idx: &[usize]) -> Pairs {
        // sized for a page's distinct pairs at once (about one per character of its text)
        let chars: usize = idx.iter().map(|&i| lines[i].text.len() / 3).sum();
        let mut number: rustc_hash::FxHashMap<(char, char), u32> =
            rustc_hash::FxHashMap::with_capacity_and_hasher(chars, Default::default());
        let mut all = Vec::with_capacity(chars);
        let mut start = Vec::with_capacity(idx.len() + 1);
        for &i in idx {
            start.push(all.len());
            if matches!(lines[i].kind, LineKind::Byline { .. }) {
                // a byline's pairs are a role and names, not what the page is about: a
                // reporter who signs every article on the page would otherwise echo
                // everywhere and read as page furniture or a headline
                continue;
            }
            all.extend(crate::text::bigram_iter(&lines[i].text, 200).map(|p| {
                let next = number.len() as u32;
                *number.entry(p).or_insert(next)
            }));
        }
        start.push(all.len());
        Pairs {
            all,
            start,
            distinct: number.len(),
        }
    }

    /// How many lines.
    fn len(&self) -> usize {
        self.start.len() - 1
    }

    /// Line `k`'s pairs.
    fn line(&self, k: usize) -> &[u32] {
        &self.all[self.start[k]..self.start[k + 1]]
    }

    /// The pairs of lines `a..b`, one line after the other.
    fn lines(&self, a: usize, b: usize) -> &[u32] {
        &self.all[self.start[a]..self.start[b]]
    }
}

/// Every label the model gives, in a fixed order.
pub const LABELS: &[u8] = b"APCHhSsYyF";

/// The committed models: the first reading, and the second that also sees the first's labels
/// and the cut they make (stacking; empty when there is none).
static MODEL_BYTES: &[u8] = include_bytes!("model.crfsuite");
static MODEL2_BYTES: &[u8] = include_bytes!("model2.crfsuite");

/// The committed models' bytes (for [`super::stamp`]).
pub fn model_bytes() -> [&'static [u8]; 2] {
    [MODEL_BYTES, MODEL2_BYTES]
}

/// The committed models, both readings (None if they do not load).
pub fn model() -> Option<&'static Crf> {
    static M: OnceLock<Option<Crf>> = OnceLock::new();
    M.get_or_init(|| {
        let second = (!MODEL2_BYTES.is_empty()).then_some(MODEL2_BYTES);
        Crf::new(MODEL_BYTES, second).ok()
    })
    .as_ref()
}

/// Label every line (blank lines get `b'-'`) with the committed models. Without a usable model
/// every non-blank line is body text continuing a paragraph (nothing is lost, nothing guessed).
pub fn tag(lines: &[Line]) -> Vec<u8> {
    let mut labels = tag_with(model(), lines);
    folios_are_no_headlines(lines, &mut labels);
    labels
}

/// A page's folio above its first body text (`江城日报　2019-06-29　星期二　第8版`,
/// [`lines::is_folio`]) is no headline, whatever the model reads it as: taken for one, it leads
/// the assembly to read the page as one that prints its headlines above their articles.
fn folios_are_no_headlines(lines: &[Line], labels: &mut [u8]) {
    for (i, l) in lines.iter().enumerate() {
        match labels[i] {
            b'A' | b'P' | b'C' => break,
            b'H' | b'h' if l.kind == LineKind::Text && lines::is_folio(&l.text) => {
                labels[i] = b'F';
            }
            _ => {}
        }
    }
}

/// Label every line with a model's first reading, then, when it has one, with its second,
/// which also sees the first one's labels ([`stacked`]).
pub fn tag_with(model: Option<&Crf>, lines: &[Line]) -> Vec<u8> {
    let idx = non_blank(lines);
    let labels = match model {
        None => Vec::new(),
        Some(m) => {
            // the page's features are named once, and summed for both readings
            let mut scores = m.scores(idx.len());
            let pairs = page(lines, &idx, &mut scores);
            let first = m.best(&mut scores, 0);
            if m.readings() < 2 || first.is_empty() {
                first
            } else {
                scores.second_only();
                stacked(&pairs, &first, &mut scores);
                m.best(&mut scores, 1)
            }
        }
    };
    let mut out = vec![b'-'; lines.len()];
    for (k, &i) in idx.iter().enumerate() {
        out[i] = labels.get(k).copied().unwrap_or(b'C');
    }
    out
}

/// The indices of a page's non-blank lines (the lines the model labels).
fn non_blank(lines: &[Line]) -> Vec<usize> {
    (0..lines.len()).filter(|&i| !lines[i].is_blank()).collect()
}

/// Where the features of a page's lines go: kept by name (to train on, [`Names`]), or summed
/// at once into a model's scores (to tag, [`Scores`]).
trait Sink {
    /// Line `k` (counted over the non-blank lines) has the attribute `name`.
    fn put(&mut self, k: usize, name: &str);
}

/// Attribute names, line by line.
struct Names(Vec<Vec<Attribute>>);

impl Sink for Names {
    fn put(&mut self, k: usize, name: &str) {
        if self.0.len() <= k {
            self.0.resize_with(k + 1, Vec::new);
        }
        self.0[k].push(Attribute::new(name, 1.0));
    }
}

impl Sink for Scores<'_> {
    fn put(&mut self, k: usize, name: &str) {
        Scores::put(self, k, name);
    }
}

impl<A: Sink, B: Sink> Sink for (A, B) {
    fn put(&mut self, k: usize, name: &str) {
        self.0.put(k, name);
        self.1.put(k, name);
    }
}

impl<S: Sink> Sink for Option<S> {
    fn put(&mut self, k: usize, name: &str) {
        if let Some(s) = self {
            s.put(k, name);
        }
    }
}

/// Names attributes into a [`Sink`], formatting them in one reused buffer.
struct Feats<'s, S> {
    sink: &'s mut S,
    buf: String,
}

impl<S: Sink> Feats<'_, S> {
    fn put(&mut self, k: usize, name: &str) {
        self.sink.put(k, name);
    }

    /// The attribute named by `parts` put together.
    fn cat(&mut self, k: usize, parts: &[&str]) {
        self.buf.clear();
        for p in parts {
            self.buf.push_str(p);
        }
        self.sink.put(k, &self.buf);
    }
}

/// An ASCII byte as a one-character string (`?` for anything else).
fn ascii(b: u8) -> &'static str {
    const ALL: &str = "\0\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f";
    let i = b as usize;
    ALL.get(i..i + 1).unwrap_or("?")
}

/// Features for the second reading: the first's ([`page`]), plus the first reading's
/// labels around the line, how well the text from the line on goes with the whole article
/// the first reading puts above it, and the page's habits in the first reading (do its
/// headlines come with bylines, do its articles start under a headline). `pairs` are the
/// lines' character pairs, as [`page`] read them; the first reading's features are already in
/// `sink`, these are added.
fn stacked(pairs: &Pairs, first: &[u8], sink: &mut impl Sink) {
    let n = pairs.len().min(first.len());
    // a label as text (labels are ASCII letters; anything else reads as `?`)
    let lab = |k: isize| -> &'static str {
        if k < 0 || k as usize >= n {
            "^"
        } else {
            ascii(first[k as usize])
        }
    };
    // habits: headline groups followed by a byline; body starts right under a headline group
    // or a byline
    let (mut heads, mut by) = (0usize, 0usize);
    let (mut starts, mut under) = (0usize, 0usize);
    for k in 0..n {
        match first[k] {
            b'H' => {
                heads += 1;
                let mut j = k + 1;
                while j < n && first[j] == b'h' {
                    j += 1;
                }
                by += (j < n && first[j] == b'Y') as usize;
            }
            b'A' => {
                starts += 1;
                under += (k > 0 && matches!(first[k - 1], b'H' | b'h' | b'Y')) as usize;
            }
            _ => {}
        }
    }
    let share = |a: usize, b: usize| match (a * 4).checked_div(b) {
        None => "none",
        Some(0) => "lo",
        Some(1..=2) => "mid",
        _ => "hi",
    };
    let habit_by = share(by, heads);
    let habit_under = share(under, starts);
    // the balance of article starts and headline groups in the first reading: more headlines
    // than starts says an article's start was missed (taken for a paragraph), more starts
    // than headlines that a headline was (taken for a subhead, or for text)
    let balance = match starts as isize - heads as isize {
        isize::MIN..=-2 => "bal=H>>A",
        -1 => "bal=H>A",
        0 => "bal=A=H",
        1 => "bal=A>H",
        _ => "bal=A>>H",
    };
    let matched = headline_matches(pairs, &first[..n]);
    // the page's habit of printing a lead above its headline: of the headline groups that
    // match a start, how many match the one right above them; and the starts that stand right
    // above a headline group (only their paragraph's lines between), where such a lead would be
    let (mut lead_above, mut placed, mut lead_below) = (0usize, 0usize, 0usize);
    for m in matched.under_group.iter().flatten() {
        placed += 1;
        lead_above += (m.place == "a") as usize;
        lead_below += (m.place == "b") as usize;
    }
    let habit_lead = share(lead_above, placed);
    // and of printing it right under its headline (a headline-first page): there a heading
    // whose text turns away from the article above opens an article, where a page of essays
    // in sections (headlines after their articles) sets such headings as subheads
    let habit_below = share(lead_below, placed);
    let mut over_group = vec![false; n];
    for g in (1..n).filter(|&g| first[g] == b'H') {
        if let Some(s) = (0..g).rev().find(|&x| first[x] != b'C') {
            if matches!(first[s], b'A' | b'P') {
                over_group[s] = true;
            }
        }
    }
    let mut o = Feats {
        sink,
        buf: String::new(),
    };
    // the article so far, as the set of its character pairs (its first 1,500 or so): from the
    // first reading's last article start above (a pair is in it when its stamp is the
    // article's number)
    let mut stamp = vec![0u32; pairs.distinct];
    let mut article = 1u32;
    let mut held = 0usize;
    // how far the first reading's article has gone: character pairs and paragraphs since its
    // start
    let (mut since, mut paras) = (0usize, 0usize);
    // whether that article started under a headline group or byline, and its subheads so far
    let (mut headed, mut subs) = (false, 0usize);
    // lines from each line to the next article start or headline group of the first reading
    let mut next_start = vec![usize::MAX; n];
    for k in (0..n.saturating_sub(1)).rev() {
        next_start[k] = if matches!(first[k + 1], b'A' | b'H') {
            1
        } else {
            next_start[k + 1].saturating_add(1)
        };
    }
    for (k, &label) in first.iter().enumerate().take(n) {
        let l0 = lab(k as isize);
        o.cat(k, &["L0=", l0]);
        for (off, name) in [(-2isize, "L-2="), (-1, "L-1="), (1, "L+1="), (2, "L+2=")] {
            o.cat(k, &[name, lab(k as isize + off)]);
        }
        o.cat(k, &["L3=", lab(k as isize - 1), l0, lab(k as isize + 1)]);
        if over_group[k] {
            o.cat(k, &["og=", habit_lead, "|", l0]);
        }
        o.cat(k, &["hb=", habit_by, "|", l0]);
        o.cat(k, &["hu=", habit_under, "|", l0]);
        // the text from here on against the article above it (from the last article start)
        let mut total = 0usize;
        let mut shared = 0usize;
        for &b in pairs.lines(k, n).iter().take(200) {
            total += 1;
            shared += (stamp[b as usize] == article) as usize;
        }
        let ac = if held < 40 || total < 20 {
            "none"
        } else {
            ["<.05", "<.1", "<.15", "<.25", "<.4", ">.4"][share_step(shared, total)]
        };
        o.cat(k, &["ac=", ac]);
        o.cat(k, &["ac=", ac, "|", l0]);
        o.cat(k, &["sb=", habit_below, "|", ac, "|", l0]);
        o.cat(k, &[balance, "|", l0]);
        let far = match since {
            0..=199 => "sa<200",
            200..=499 => "sa<500",
            500..=999 => "sa<1000",
            1000..=1999 => "sa<2000",
            _ => "sa>2000",
        };
        o.cat(k, &[far, "|", l0]);
        let nth = ["pi=0", "pi=1", "pi=2", "pi<6", "pi<6", "pi<6", "pi>5"][paras.min(6)];
        o.cat(k, &[nth, "|", l0]);
        o.cat(k, &[far, "|", nth, "|", ac]);
        o.cat(k, &[if headed { "ah=1|" } else { "ah=0|" }, l0]);
        o.cat(k, &[["sn=0|", "sn=1|", "sn>1|"][subs.min(2)], l0]);
        let nx = match next_start[k] {
            1 => "nx=1|",
            2 => "nx=2|",
            3..=5 => "nx<6|",
            6..=10 => "nx<11|",
            usize::MAX => "nx=none|",
            _ => "nx>10|",
        };
        o.cat(k, &[nx, l0]);
        match matched.at_start[k] {
            Some(m) => o.cat(k, &["hm=", m.place, "|", m.share, "|", m.margin, "|", l0]),
            None => o.cat(k, &["hm=none|", l0]),
        }
        // under a headline group: where that group's best match is (a lead printed above its
        // headline takes the match from the text under it, which then goes on with the lead)
        if let Some(m) = matched.under_group[k] {
            o.cat(k, &["hg=", m.place, "|", m.margin, "|", l0]);
            o.cat(
                k,
                &["hg=", m.place, "|", m.share, "|", lab(k as isize - 1), l0],
            );
        }
        // an article start opens a new article (its own feature was measured against the
        // article above)
        if label == b'A' {
            article += 1;
            held = 0;
            since = 0;
            paras = 0;
            subs = 0;
            headed = k > 0 && matches!(first[k - 1], b'H' | b'h' | b'Y');
        }
        subs += (label == b'S') as usize;
        since += pairs.line(k).len();
        paras += (label == b'P') as usize;
        if held < 1500 {
            held += pairs.line(k).len();
            for &b in pairs.line(k) {
                stamp[b as usize] = article;
            }
        }
    }
}

/// For every paragraph start of the first reading (`A` or `P`), whether a headline group of
/// the first reading (`H` and its `h` lines) matches its text best of all paragraph starts on
/// the page: how much (the share of the group's distinct character pairs found in the first
/// 100 pairs of its paragraph, those of the next paragraph at half weight, before any headline
/// group), by how much more than the next best start, and where the
/// group stands (right above the start, right below it, inside an article next to it, or
/// elsewhere: gathered at the end of the page). A headline far from its article still names
/// where that article starts.
fn headline_matches(pairs: &Pairs, first: &[u8]) -> HeadMatches {
    let n = first.len();
    let mut out = HeadMatches {
        at_start: vec![None; n],
        under_group: vec![None; n],
    };
    let starts: Vec<usize> = (0..n)
        .filter(|&k| matches!(first[k], b'A' | b'P'))
        .collect();
    if starts.len() < 2 {
        return out;
    }
    // the share of the best group for each start
    let mut best_of: Vec<f64> = vec![-1.0; n];
    let mut mark = vec![0u32; pairs.distinct];
    let mut seen = vec![0u32; pairs.distinct];
    let (mut group_no, mut look) = (0u32, 0u32);
    let mut k = 0;
    while k < n {
        if first[k] != b'H' {
            k += 1;
            continue;
        }
        let mut j = k + 1;
        while j < n && first[j] == b'h' {
            j += 1;
        }
        group_no += 1;
        let mut size = 0usize;
        for &b in pairs.lines(k, j) {
            if mark[b as usize] != group_no {
                mark[b as usize] = group_no;
                size += 1;
            }
        }
        if size >= 3 {
            let (mut s1, mut s2, mut at) = (0.0f64, 0.0f64, usize::MAX);
            for &c in &starts {
                look += 1;
                // its paragraph, and the next one at half weight (a short lead is read with
                // the paragraph after it), up to 100 pairs and the next headline group
                let (mut found, mut taken, mut paras) = (0.0f64, 0usize, 0);
                for (x, &label) in first.iter().enumerate().skip(c) {
                    if matches!(label, b'H' | b'h') || taken >= 100 {
                        break;
                    }
                    if matches!(label, b'A' | b'P') {
                        paras += 1;
                        if paras > 2 {
                            break;
                        }
                    }
                    let weight = if paras == 1 { 1.0 } else { 0.5 };
                    for &b in pairs.line(x).iter().take(100 - taken) {
                        taken += 1;
                        let b = b as usize;
                        if mark[b] == group_no && seen[b] != look {
                            seen[b] = look;
                            found += weight;
                        }
                    }
                }
                let share = found / size as f64;
                if share > s1 {
                    (s2, s1, at) = (s1, share, c);
                } else if share > s2 {
                    s2 = share;
                }
            }
            if at != usize::MAX {
                // the start right under the group (past bylines), or the one right above it
                let mut below = j;
                while below < n && matches!(first[below], b'Y' | b'y') {
                    below += 1;
                }
                // the articles next to the group: from the last article start above it, and
                // from the line under it to the next article start or headline group
                let above = (0..k).rev().find(|&x| first[x] == b'A').unwrap_or(0);
                let next = (below + 1..n)
                    .find(|&x| matches!(first[x], b'A' | b'H'))
                    .unwrap_or(n);
                let place = if at == below {
                    "b"
                } else if at < k && starts.iter().rev().find(|&&c| c < k) == Some(&at) {
                    "a"
                } else if (above..k).contains(&at) || (below..next).contains(&at) {
                    // inside an article next to it: a headline printed after its article
                    // matches that article's text anywhere, which marks no start
                    "n"
                } else {
                    "f"
                };
                let share = match s1 {
                    x if x < 0.2 => "s0",
                    x if x < 0.4 => "s1",
                    x if x < 0.6 => "s2",
                    _ => "s3",
                };
                let margin = match s1 - s2 {
                    x if x < 0.1 => "m0",
                    x if x < 0.3 => "m1",
                    _ => "m2",
                };
                let m = HeadMatch {
                    place,
                    share,
                    margin,
                };
                if s1 > best_of[at] {
                    best_of[at] = s1;
                    out.at_start[at] = Some(m);
                }
                if below < n {
                    out.under_group[below] = Some(m);
                }
            }
        }
        k = j;
    }
    out
}

/// What [`headline_matches`] finds, by line: at each paragraph start the headline group that
/// matches it best of all starts (`at_start`), and at the line right under each headline group
/// (past its bylines) where that group's own best match is (`under_group`: `b` when it is that
/// line; `a` when it is the start right above the group, as for a lead printed above its own
/// headline).
struct HeadMatches {
    at_start: Vec<Option<HeadMatch>>,
    under_group: Vec<Option<HeadMatch>>,
}

/// What [`headline_matches`] says of a paragraph start, as the parts of its feature's name
/// (`hm=PLACE|SHARE|MARGIN|`): where the group stands (`b` right below it, `a` right above, `n`
/// inside an article next to the group, `f` elsewhere), how much of the group the start has
/// (`s0`–`s3`), by how much more than the next best start (`m0`–`m2`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct HeadMatch {
    place: &'static str,
    share: &'static str,
    margin: &'static str,
}

fn ratio_bucket(w: usize, col: usize) -> &'static str {
    if col == usize::MAX || col == 0 {
        return "r=none";
    }
    let r = w as f64 / col as f64;
    match r {
        x if x < 0.15 => "r<.15",
        x if x < 0.3 => "r<.3",
        x if x < 0.5 => "r<.5",
        x if x < 0.7 => "r<.7",
        x if x < 0.85 => "r<.85",
        x if x < 0.95 => "r<.95",
        x if x < 1.05 => "r~1",
        x if x < 1.3 => "r<1.3",
        x if x < 2.0 => "r<2",
        _ => "r>2",
    }
}

fn len_bucket(n: usize) -> &'static str {
    match n {
        0 => "n=0",
        1 => "n=1",
        2 => "n=2",
        3..=4 => "n<5",
        5..=8 => "n<9",
        9..=12 => "n<13",
        13..=18 => "n<19",
        19..=30 => "n<31",
        _ => "n>30",
    }
}

fn end_class(s: &str) -> &'static str {
    let t = s.trim_end();
    let Some(c) = t.chars().last() else {
        return "e=none";
    };
    if t.ends_with("——") || t.ends_with("--") {
        return "e=dash";
    }
    if ends_sentence(t) {
        return "e=sent";
    }
    match c {
        '，' | ',' | '、' | '；' | ';' => "e=comma",
        '：' | ':' => "e=colon",
        '）' | ')' | '》' | '】' | '”' | '’' | '」' => "e=close",
        '（' | '(' | '《' | '“' | '‘' => "e=open",
        c if is_han(c) => "e=han",
        c if c.is_ascii_digit() => "e=digit",
        c if c.is_ascii_alphabetic() => "e=latin",
        _ => "e=other",
    }
}

fn start_class(s: &str) -> &'static str {
    let Some(c) = s.chars().next() else {
        return "s=none";
    };
    if s.starts_with("——") || s.starts_with("--") {
        return "s=dash";
    }
    match c {
        '【' | '[' => "s=lbr",
        '（' | '(' => "s=paren",
        '“' | '"' | '「' => "s=quote",
        '《' => "s=book",
        c if c.is_ascii_digit() => "s=digit",
        c if c.is_ascii_alphabetic() => "s=latin",
        c if is_han(c) => "s=han",
        _ => "s=other",
    }
}

fn inner_punct(s: &str) -> &'static str {
    let n = s
        .chars()
        .filter(|c| matches!(c, '，' | '。' | '、' | '；' | '？' | '！' | ',' | ';'))
        .count();
    match n {
        0 => "p=0",
        1 => "p=1",
        2..=3 => "p<4",
        _ => "p>3",
    }
}

fn kind_name(k: LineKind) -> &'static str {
    match k {
        LineKind::Blank => "k=blank",
        LineKind::Md(1) => "k=md1",
        LineKind::Md(_) => "k=md2",
        LineKind::Byline { trailing: false } => "k=by",
        LineKind::Byline { trailing: true } => "k=byT",
        LineKind::Credit => "k=credit",
        LineKind::BoxLabel => "k=box",
        LineKind::Text => "k=text",
    }
}

fn cmp_width(a: usize, b: usize) -> &'static str {
    if a + 2 < b {
        "<"
    } else if a > b + 2 {
        ">"
    } else {
        "="
    }
}

/// The shape of one line, as attribute names (shared by the line and, prefixed, its neighbours).
fn shape(l: &Line, col: usize) -> [&'static str; 6] {
    let t = l.shape_text();
    let n = t.chars().count();
    [
        kind_name(l.kind),
        ratio_bucket(l.width, col),
        len_bucket(n),
        end_class(t),
        start_class(t),
        inner_punct(t),
    ]
}

/// Features of every non-blank line: (indices of those lines, their attributes).
pub fn features(lines: &[Line]) -> (Vec<usize>, Vec<Vec<Attribute>>) {
    let idx = non_blank(lines);
    let mut names = Names(vec![Vec::new(); idx.len()]);
    page(lines, &idx, &mut names);
    (idx, names.0)
}

/// Name the features of a page's non-blank lines (`idx`) into `sink`; gives back the lines'
/// character pairs (read once, for the features and for the second reading).
fn page(lines: &[Line], idx: &[usize], sink: &mut impl Sink) -> Pairs {
    let widths = lines::column_widths(lines);
    let shapes: Vec<[&'static str; 6]> = idx.iter().map(|&i| shape(&lines[i], widths[i])).collect();
    // widths of column-like text: the page's widest common body width (long-line pages)
    let n = idx.len();
    // does a word continue across the break between line k-1 and line k? (once per pair)
    let joins: Vec<bool> = (0..n)
        .map(|k| k > 0 && reflow::word_spans_join(&lines[idx[k - 1]].text, &lines[idx[k]].text))
        .collect();
    // the text of each line as character pairs, to see where the topic changes: how much of
    // what follows a line (it and the next two) the six lines before it already said
    let pairs = Pairs::new(lines, idx);
    // the six lines before line k, as counts of their character pairs (a window slid down the
    // page: each line's pairs added once and taken out once)
    let mut window = PairWindow::new(pairs.distinct);
    let topic: Vec<&'static str> = (0..n)
        .map(|k| {
            if k > 0 {
                window.add(pairs.line(k - 1));
            }
            if k > 6 {
                window.take(pairs.line(k - 7));
            }
            let after = pairs.lines(k, (k + 3).min(n)).iter();
            let total = after.clone().count();
            if window.is_empty() || total == 0 {
                return "t=none";
            }
            let shared = after.filter(|b| window.has(b)).count();
            match shared * 20 / total {
                0 => "t<.05",
                1..=2 => "t<.15",
                3..=5 => "t<.3",
                _ => "t>.3",
            }
        })
        .collect();
    let mut echo = Echo::new(&pairs);
    let cohesion = cohesion(&pairs);
    let echoes: Vec<[&'static str; 3]> = (0..n).map(|k| echo.of(k)).collect();
    let marks: Vec<[bool; 5]> = idx
        .iter()
        .map(|&i| {
            let t = &lines[i].text;
            [
                lines[i].indent,
                reflow::split_dateline(t).is_some(),
                lines::is_person_line(t),
                names_by_jieba(t),
                lines::is_lead_formula(t),
            ]
        })
        .collect();
    // the page's manner, to let the model weigh a shape differently on each: one paragraph a
    // line, lines set apart by blank lines, or a plain column
    let blanks = lines.iter().filter(|l| l.is_blank()).count();
    let spaced = blanks * 5 >= lines.len() * 2;
    let gaps = gap_levels(idx);
    // how many blank lines the page has for each line of text
    let density = match blanks * 20 / n.max(1) {
        _ if blanks == 0 => "bd=0",
        0..=1 => "bd<.1",
        2..=7 => "bd<.4",
        _ => "bd>.4",
    };
    let mut o = Feats {
        sink,
        buf: String::new(),
    };
    for (k, &i) in idx.iter().enumerate() {
        let l = &lines[i];
        o.put(k, "bias");
        for s in shapes[k] {
            o.put(k, s);
        }
        // combinations the labels hinge on
        o.cat(k, &[shapes[k][1], "|", shapes[k][3]]);
        o.cat(k, &[shapes[k][2], "|", shapes[k][3]]);
        let blank_before = i == 0 || lines[i - 1].is_blank();
        let blank_after = i + 1 >= lines.len() || lines[i + 1].is_blank();
        if blank_before {
            o.put(k, "bb");
        }
        if blank_after {
            o.put(k, "ba");
        }
        let bb = if blank_before { "bb1" } else { "bb0" };
        let ba = if blank_after { "ba1" } else { "ba0" };
        o.cat(k, &[bb, ba, "|", shapes[k][3]]);
        // the blank lines above the line, against the page's other gaps: where articles are
        // set further apart than paragraphs, the wider gap opens an article
        let gap = gaps[k];
        let gap_after = gaps.get(k + 1).copied().unwrap_or("g=end");
        o.put(k, gap);
        o.cat(k, &[gap, "|", density]);
        o.cat(k, &[gap, "|", shapes[k][3]]);
        o.cat(k, &[gap, "|+", gap_after]);
        o.cat(k, &[gap, "|+", gap_after, "|", shapes[k][1]]);
        if l.lead_gap {
            o.put(k, "leadgap");
        }
        // indent, dateline and person's name, of the line and of the two lines on each side
        // (a headline group ends where a name, a dateline or an indented lead follows)
        for (off, tag) in [
            (0isize, ""),
            (-2, "-2:"),
            (-1, "-1:"),
            (1, "+1:"),
            (2, "+2:"),
        ] {
            let Some(m) = (k as isize + off)
                .try_into()
                .ok()
                .and_then(|j: usize| marks.get(j))
            else {
                continue;
            };
            for (on, name) in m
                .iter()
                .zip(["indent", "dateline", "person", "jname", "leadf"])
            {
                if *on {
                    o.cat(k, &[tag, name]);
                }
            }
        }
        if lines::is_inline_caption(&l.text) {
            o.put(k, "caption");
        }
        if l.text.starts_with(['（', '(']) && l.text.ends_with(['）', ')']) {
            o.put(k, "paren_line");
        }
        if l.text.contains(' ') || l.text.contains('\u{3000}') {
            o.put(k, "inner_space");
        }
        // position on the page
        match k {
            0..=2 => o.put(k, "top3"),
            _ if k + 1 == n => o.put(k, "last"),
            _ => {}
        }
        o.put(
            k,
            [
                "pos=0", "pos=1", "pos=2", "pos=3", "pos=4", "pos=5", "pos=6", "pos=7", "pos=8",
                "pos=9",
            ][(k * 10 / n.max(1)).min(9)],
        );
        // where else on the page the line's character pairs are said: a headline's in the
        // lead below it (or the article above it, or anywhere when set apart), a body line's
        // mostly nowhere
        let [next, prev, far] = echoes[k];
        o.cat(k, &["en=", next]);
        o.cat(k, &["ep=", prev]);
        o.cat(k, &["ef=", far]);
        o.cat(k, &["en=", next, "|", shapes[k][3]]);
        o.cat(k, &["en=", next, "|ep=", prev]);
        let mode = if widths[i] != usize::MAX && widths[i] >= lines::LONG_MODE {
            "mL"
        } else if spaced {
            "mB"
        } else {
            "mC"
        };
        o.put(k, mode);
        o.cat(k, &[mode, "|", shapes[k][1], "|", shapes[k][3]]);
        o.cat(k, &[mode, "|", shapes[k][2], "|", shapes[k][3]]);
        o.cat(k, &[mode, "|", shapes[k][5], "|", shapes[k][3]]);
        o.cat(k, &[mode, "|en=", next, "|", shapes[k][3]]);
        o.cat(k, &[mode, "|ep=", prev, "|ef=", far]);
        o.put(k, cohesion[k]);
        o.cat(
            k,
            &[
                cohesion[k],
                "|",
                k.checked_sub(1).map_or("e=none", |j| shapes[j][3]),
            ],
        );
        o.cat(k, &[cohesion[k], "|", shapes[k][3], "|", shapes[k][1]]);
        o.put(k, topic[k]);
        o.cat(
            k,
            &[
                topic[k],
                "|",
                k.checked_sub(1).map_or("e=none", |j| shapes[j][3]),
            ],
        );
        // only short, unfinished lines from here to the end of the page (headlines gathered
        // at the end), or for the next few lines
        let col = widths[i];
        let shortish = |j: usize| {
            let o = &lines[idx[j]];
            !o.terminal && (col == usize::MAX || o.width * 10 < col * 9)
        };
        if (k..n).all(shortish) {
            o.put(k, "tail_short");
        } else if (k..(k + 4).min(n)).all(shortish) {
            o.put(k, "next4_short");
        }
        // neighbours
        for (off, tag) in [(-2isize, "-2"), (-1, "-1"), (1, "+1"), (2, "+2")] {
            let j = k as isize + off;
            if j < 0 || j >= n as isize {
                o.cat(k, &[tag, ":none"]);
                continue;
            }
            let j = j as usize;
            let sh = &shapes[j];
            let near = off.abs() == 1;
            for (m, s) in sh.iter().enumerate() {
                if near || m == 1 || m == 3 {
                    o.cat(k, &[tag, ":", s]);
                }
            }
            if near {
                // what the neighbour says again, and whether the text goes on across it: a
                // headline above the line echoes in it, a subhead's section goes on with the
                // article
                let [nn, _, _] = echoes[j];
                o.cat(k, &[tag, ":en=", nn]);
                o.cat(k, &[tag, ":", cohesion[j]]);
                let nb = &lines[idx[j]];
                o.cat(k, &[tag, ":w", cmp_width(l.width, nb.width)]);
                o.cat(k, &[tag, ":", sh[3], "|", shapes[k][1]]);
            }
        }
        // does a word continue across the break from the line above?
        if k > 0 {
            if joins[k] {
                o.put(k, "wordjoin");
            }
            o.cat(k, &["pe:", shapes[k - 1][3], "|", shapes[k][4]]);
        }
        if k + 1 < n && joins[k + 1] {
            o.put(k, "wordjoin+");
        }
        // a run of very short lines (vertical headlines, names split over lines)
        let short = |j: usize| lines[idx[j]].text.chars().count() <= 2;
        if short(k) && ((k > 0 && short(k - 1)) || (k + 1 < n && short(k + 1))) {
            o.put(k, "shortrun");
        }
    }
    pairs
}

/// How far each non-blank line (`idx`) is set apart from the line above, against the page's
/// other gaps: `g=0` none; on a page whose gaps are all alike `g=1`; where some gaps are wider
/// than the page's usual one (articles set further apart than paragraphs), `g=lo` for the
/// usual width or less and `g=hi` for a wider one. The page's first line has `g=top`.
fn gap_levels(idx: &[usize]) -> Vec<&'static str> {
    let runs: Vec<usize> = idx
        .iter()
        .enumerate()
        .map(|(k, &i)| if k == 0 { 0 } else { i - idx[k - 1] - 1 })
        .collect();
    // the usual gap: the most common run of blank lines between two lines of text
    let mut counts = [0usize; 4];
    for &r in runs.iter().filter(|&&r| r > 0) {
        counts[r.min(3)] += 1;
    }
    let usual = (1..4)
        .max_by_key(|&r| (counts[r], usize::MAX - r))
        .unwrap_or(1);
    let wider = (usual + 1..4).any(|r| counts[r] > 0);
    runs.iter()
        .enumerate()
        .map(|(k, &r)| match r {
            _ if k == 0 => "g=top",
            0 => "g=0",
            _ if !wider => "g=1",
            r if r.min(3) > usual => "g=hi",
            _ => "g=lo",
        })
        .collect()
}

/// Whether a short line is persons' names and nothing else, as jieba reads it (its dictionary
/// and its model of unknown words read each part as names: [`super::name_chars_at_end`]): one
/// name, or several set apart by white space or a gap. Names of two to four characters each.
fn names_by_jieba(t: &str) -> bool {
    // at most four names of four characters (three bytes each) and the gaps between them
    if t.len() > 64 {
        return false;
    }
    let parts = || {
        t.split(|c: char| c.is_whitespace() || c == crate::text::GAP_MARK)
            .filter(|p| !p.is_empty())
    };
    let name_shaped =
        |p: &str| (2..=4).contains(&p.chars().count()) && p.chars().all(|c| is_han(c) || c == '·');
    let n = parts().count();
    if n == 0 || n > 4 || !parts().all(name_shaped) {
        return false;
    }
    parts().all(is_name_by_jieba)
}

/// Whether jieba reads a short run of characters as a person's name, all of it. Remembered
/// per thread (the same names and short headings come back page after page), in a table of
/// [`NAMES_KEPT`] slots.
fn is_name_by_jieba(p: &str) -> bool {
    thread_local! {
        static SEEN: super::Recent<String, bool> =
            std::cell::RefCell::new(vec![None; NAMES_KEPT]);
    }
    super::recent(&SEEN, p, || {
        super::name_chars_at_end(&super::jieba().tag(p, true)) == p.chars().count()
    })
}

/// How many of jieba's answers on names a thread keeps (one table of 100,000 was no faster on
/// new pages, `examples/layout_check`).
const NAMES_KEPT: usize = 8192;

/// Whether the text goes on with what came before it, at each line: the share of the
/// character pairs of the [`COHESION_AFTER`] characters from the line on that the
/// [`COHESION_BEFORE`] characters above it also have (a window slid down the page). Within an
/// article the two share names and terms; across the start of another article, little.
fn cohesion(pairs: &Pairs) -> Vec<&'static str> {
    let n = pairs.len();
    let mut window = PairWindow::new(pairs.distinct);
    let (mut from, mut held) = (0usize, 0usize);
    (0..n)
        .map(|k| {
            if k > 0 {
                window.add(pairs.line(k - 1));
                held += pairs.line(k - 1).len();
            }
            while held > COHESION_BEFORE && from + 1 < k {
                window.take(pairs.line(from));
                held -= pairs.line(from).len();
                from += 1;
            }
            if held < 40 {
                return "c=none";
            }
            let (mut shared, mut total) = (0usize, 0usize);
            for b in pairs.lines(k, n).iter().take(COHESION_AFTER) {
                total += 1;
                shared += window.has(b) as usize;
            }
            if total < 20 {
                return "c=none";
            }
            ["c<.05", "c<.1", "c<.15", "c<.25", "c<.4", "c>.4"][share_step(shared, total)]
        })
        .collect()
}

/// The character pairs of a run of lines slid down the page, counted (a pair stays while any
/// line in the run has it).
struct PairWindow {
    /// how many lines in the run have each pair (by its number on the page)
    count: Vec<u32>,
    /// how many pairs have a count
    live: usize,
}

impl PairWindow {
    fn new(distinct: usize) -> Self {
        PairWindow {
            count: vec![0; distinct],
            live: 0,
        }
    }

    fn add(&mut self, pairs: &[u32]) {
        for &b in pairs {
            let c = &mut self.count[b as usize];
            self.live += (*c == 0) as usize;
            *c += 1;
        }
    }

    /// Take out a line's pairs that [`PairWindow::add`] put in.
    fn take(&mut self, pairs: &[u32]) {
        for &b in pairs {
            let c = &mut self.count[b as usize];
            if *c > 0 {
                *c -= 1;
                self.live -= (*c == 0) as usize;
            }
        }
    }

    fn has(&self, b: &u32) -> bool {
        self.count[*b as usize] > 0
    }

    fn is_empty(&self) -> bool {
        self.live == 0
    }
}

/// Which of six steps a share of shared character pairs falls in (under 0.05, 0.1, 0.15, 0.25,
/// 0.4, above): the buckets of [`cohesion`] and of the second reading's article cohesion.
fn share_step(shared: usize, total: usize) -> usize {
    match (shared * 20).checked_div(total).unwrap_or(0) {
        0 => 0,
        1 => 1,
        2 => 2,
        3..=4 => 3,
        5..=7 => 4,
        _ => 5,
    }
}

const COHESION_BEFORE: usize = 500;
const COHESION_AFTER: usize = 200;

/// How much of each line's text the page says again elsewhere: for the line's distinct
/// character pairs (its first [`Echo::PAIRS`]), the share found in the [`Echo::NEAR`] characters
/// after the line, in as many before it, and anywhere else on the page.
struct Echo<'a> {
    pairs: &'a Pairs,
    /// where on the page each pair is: pair `p`'s places (counted in pairs over the page),
    /// in order, are `places[first[p]..first[p + 1]]`
    first: Vec<u32>,
    places: Vec<u32>,
    /// the mark of the last call each pair was counted in, and the last mark given
    seen: Vec<u32>,
    marks: u32,
}

impl<'a> Echo<'a> {
    const PAIRS: usize = 30;
    const NEAR: u32 = 200;

    fn new(pairs: &'a Pairs) -> Self {
        // how often each pair comes, then where each one's places begin
        let mut first = vec![0u32; pairs.distinct + 1];
        for &p in &pairs.all {
            first[p as usize + 1] += 1;
        }
        for p in 1..first.len() {
            first[p] += first[p - 1];
        }
        let mut fill = first.clone();
        let mut places = vec![0u32; pairs.all.len()];
        for (pos, &p) in pairs.all.iter().enumerate() {
            let f = &mut fill[p as usize];
            places[*f as usize] = pos as u32;
            *f += 1;
        }
        Echo {
            pairs,
            first,
            places,
            seen: vec![0; pairs.distinct],
            marks: 0,
        }
    }

    /// The places of pair `p` on the page, in order.
    fn at(&self, p: u32) -> Option<&[u32]> {
        let p = p as usize;
        let (a, b) = (*self.first.get(p)?, *self.first.get(p + 1)?);
        self.places.get(a as usize..b as usize)
    }

    fn bucket(found: usize, total: usize) -> &'static str {
        if total < 3 {
            return "few";
        }
        match found * 10 / total {
            0 if found == 0 => "0",
            0..=1 => "<.2",
            2..=3 => "<.4",
            4..=5 => "<.6",
            6..=7 => "<.8",
            _ => "hi",
        }
    }

    /// [after, before, elsewhere] buckets of line `k`.
    fn of(&mut self, k: usize) -> [&'static str; 3] {
        let (s, e) = (self.pairs.start[k] as u32, self.pairs.start[k + 1] as u32);
        // a pair counts once per line: a mark of its own for each call
        self.marks += 1;
        let mark = self.marks;
        let (mut t, mut next, mut prev, mut far) = (0, 0, 0, 0);
        for &p in self.pairs.line(k).iter().take(Self::PAIRS) {
            let Some(seen) = self.seen.get_mut(p as usize) else {
                continue;
            };
            if *seen == mark {
                continue;
            }
            *seen = mark;
            t += 1;
            let Some(ps) = self.at(p) else {
                continue;
            };
            // the pair's places after the line and before it; near ones within NEAR of it
            let after = ps.partition_point(|&x| x < e);
            let before = ps.partition_point(|&x| x < s);
            let near_after = ps.get(after).is_some_and(|&x| x < e + Self::NEAR);
            let near_before = before > 0 && ps[before - 1] + Self::NEAR >= s;
            let far_after = ps.last().is_some_and(|&x| x >= e + Self::NEAR);
            let far_before = ps.first().is_some_and(|&x| x + Self::NEAR < s);
            next += near_after as usize;
            prev += near_before as usize;
            far += (far_after || far_before) as usize;
        }
        [
            Self::bucket(next, t),
            Self::bucket(prev, t),
            Self::bucket(far, t),
        ]
    }
}

/// Read labels written by the page generator for a page (`-` for blank lines), aligned with
/// [`lines::classify`] of its text. None when they do not line up.
pub fn align_labels(lines: &[Line], labels: &str) -> Option<Vec<u8>> {
    let labels = labels.trim_end().as_bytes();
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let lab = labels.get(i).copied().unwrap_or(b'-');
        if l.is_blank() {
            out.push(b'-');
        } else if lab == b'-' {
            return None;
        } else {
            out.push(lab);
        }
    }
    Some(out)
}

/// A page to train on: its text, the label of every line, its weight, and for a second
/// reading the model whose labels (its first reading's) it stacks on (see [`stacked`]).
pub struct TrainPage<'m> {
    pub text: String,
    pub labels: String,
    pub weight: f64,
    pub first: Option<&'m Crf>,
}

/// Train a model on pages and write it to `out`.
pub fn train(
    pages: &[TrainPage<'_>],
    out: &std::path::Path,
    iterations: usize,
) -> std::io::Result<usize> {
    let mut trainer = crfs::Trainer::lbfgs()
        .with_c1(0.05)?
        .with_c2(0.01)?
        .with_max_iterations(iterations)?;
    trainer.verbose(true);
    let mut used = 0;
    for p in pages {
        let lines = lines::classify(&p.text);
        let Some(lab) = align_labels(&lines, &p.labels) else {
            continue;
        };
        let idx = non_blank(&lines);
        let n = idx.len();
        // the features by name, and the first reading's scores when it is stacked on
        let mut sink = (Names(vec![Vec::new(); n]), p.first.map(|m| m.scores(n)));
        let pairs = page(&lines, &idx, &mut sink);
        let (mut names, first) = sink;
        if let (Some(m), Some(mut s)) = (p.first, first) {
            stacked(&pairs, &m.best(&mut s, 0), &mut names);
        }
        let xs = names.0;
        let ys: Vec<String> = idx.iter().map(|&i| (lab[i] as char).to_string()).collect();
        if xs.is_empty() {
            continue;
        }
        trainer.append_with_weight(&xs, &ys, p.weight)?;
        used += 1;
    }
    trainer.train(out)?;
    Ok(used)
}

/// Line labels read off the segments of another analysis (used to add pages whose right
/// cut is known from that analysis to the training set): headline groups `H`/`h`, bylines `Y`
/// (`y` after the body), the first line of the first body paragraph `A`, of other paragraphs
/// `P`, of subheads `S`, fragments `F`; every other line continues what is above it.
pub fn labels_from_segments(lines: &[Line], segs: &[super::segment::Seg]) -> Vec<u8> {
    let mut out = vec![0u8; lines.len()];
    for s in segs {
        let set = |out: &mut Vec<u8>, i: usize, l: u8| {
            if let Some(x) = out.get_mut(i) {
                if *x == 0 {
                    *x = l;
                }
            }
        };
        if s.fragment {
            for p in &s.paras {
                set(&mut out, p.line, b'F');
            }
            for h in &s.heads {
                set(&mut out, h.line, b'F');
            }
            for b in &s.bylines {
                set(&mut out, b.0, b'F');
            }
            continue;
        }
        let mut group = usize::MAX;
        for h in &s.heads {
            set(&mut out, h.line, if h.group != group { b'H' } else { b'h' });
            group = h.group;
        }
        let first_body = s.paras.iter().filter(|p| !p.subhead).map(|p| p.line).min();
        let last_body = s.paras.iter().filter(|p| !p.subhead).map(|p| p.line).max();
        for p in &s.paras {
            let l = if p.subhead {
                b'S'
            } else if Some(p.line) == first_body {
                b'A'
            } else {
                b'P'
            };
            set(&mut out, p.line, l);
        }
        for b in &s.bylines {
            let after = last_body.is_some_and(|x| b.0 > x) && first_body.is_some_and(|x| b.0 > x);
            set(&mut out, b.0, if after { b'y' } else { b'Y' });
        }
    }
    let mut prev = b'C';
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            out[i] = b'-';
            continue;
        }
        if out[i] == 0 {
            out[i] = match prev {
                b'A' | b'P' | b'C' => b'C',
                b'S' | b's' => b's',
                b'H' | b'h' => b'h',
                b'Y' => b'Y',
                b'y' => b'y',
                _ => b'F',
            };
        }
        prev = out[i];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::lines::classify;

    #[test]
    fn a_folio_above_the_first_body_text_is_no_headline() {
        let page = "江城日报　2024-03-05　星期二　第8版　要闻\n河畔花园今日开放\n\
                    本报讯 河畔街道的居民议事会今年共收到花园改造提案四十余份。\n第3版\n";
        let lines = lines::classify(page);
        let mut labels = b"HHAH-".to_vec();
        folios_are_no_headlines(&lines, &mut labels);
        // the folio at the top is not a headline; the headline is; a folio under body text is
        // left to the model
        assert_eq!(labels, b"FHAH-");
        assert!(lines::is_folio("第3版"));
        assert!(!lines::is_folio("（下转第5版）"));
        assert!(!lines::is_folio("星期日，河畔花园开放了。"));
    }

    #[test]
    fn lines_of_names_are_told_by_jieba() {
        // the surnames split off: `夏/nr 平平/a`, `侯/nr 利文/n`
        for t in ["王小明", "王小明〓李华", "王小明 李华", "夏平平", "侯利文"] {
            assert!(names_by_jieba(t), "{t}");
        }
        for t in [
            "春风吹绿",
            "王小明说",
            "王小明〓春风吹绿",
            "王",
            "",
            "河畔街道的居民议事会今年共收到花园改造提案四十余份",
        ] {
            assert!(!names_by_jieba(t), "{t}");
        }
    }

    #[test]
    fn the_committed_models_load() {
        let m = model().expect("src/layout/model*.crfsuite are CRFsuite models");
        assert_eq!(m.num_labels(), LABELS.len());
        assert_eq!(m.readings(), 2);
    }

    /// What `crfs`'s own tagger gives for a page with the committed models: the features by
    /// name, looked up in the model's hash database, both readings.
    fn crfs_labels(lines: &[Line]) -> Vec<u8> {
        let m1 = crfs::Model::new(MODEL_BYTES).unwrap();
        let m2 = crfs::Model::new(MODEL2_BYTES).unwrap();
        let (idx, xs) = features(lines);
        let mut out = vec![b'-'; lines.len()];
        if idx.is_empty() {
            return out;
        }
        let first: Vec<u8> = m1
            .tagger()
            .unwrap()
            .tag(&xs)
            .unwrap()
            .iter()
            .map(|l| l.as_bytes()[0])
            .collect();
        let mut names = Names(xs);
        let pairs = page(lines, &idx, &mut Names(vec![Vec::new(); idx.len()]));
        stacked(&pairs, &first, &mut names);
        let t2 = m2.tagger().unwrap();
        let second = t2.tag(&names.0).unwrap();
        for (k, &i) in idx.iter().enumerate() {
            out[i] = second[k].as_bytes()[0];
        }
        out
    }

    /// The tables tag exactly as `crfs` does with the same models: every page of `samples/`,
    /// cut into pieces of every size, and odd inputs.
    #[test]
    fn tagging_agrees_with_crfs() {
        let mut texts: Vec<String> = Vec::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        for year in std::fs::read_dir(&dir).unwrap().flatten() {
            for f in std::fs::read_dir(year.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let p = f.path();
                if p.extension().is_some_and(|x| x == "txt" || x == "md") {
                    texts.push(String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned());
                }
            }
        }
        assert!(texts.len() >= 5, "samples/ pages read: {}", texts.len());
        let mut pieces: Vec<String> = Vec::new();
        for t in &texts {
            let ls: Vec<&str> = t.lines().collect();
            for size in [1, 3, 7, 20] {
                for chunk in ls.chunks(size) {
                    pieces.push(chunk.join("\n"));
                }
            }
            pieces.push(t.clone());
        }
        pieces.extend(["", "\n\n", "一", "a\n\n\u{3000}\n——\n（）\n#\n■\n1\n"].map(String::from));
        let mut lines_tagged = 0;
        for p in &pieces {
            let lines = classify(p);
            let ours = tag(&lines);
            assert_eq!(ours, crfs_labels(&lines), "{p:?}");
            lines_tagged += ours.iter().filter(|&&b| b != b'-').count();
        }
        assert!(lines_tagged > 500, "{lines_tagged} lines tagged");
    }

    /// An invented page in the most common layout: headline, byline, indented paragraphs.
    #[test]
    fn a_plain_page_gets_headline_byline_and_paragraph_labels() {
        let page = "河畔新村建起共享花园\n\n■本报记者 林晓岚\n\n　　去年以来，河畔街道在辖区六个小区推行\n“居民提案、专业设计、共同施工”的花园建\n设办法，先后收到居民提案四十余份，其中\n十二份已经落地。\n　　河畔新村是街道里房龄最老的小区之一。\n过去，小区中央的空地长期堆放杂物，雨天\n积水，夏天蚊虫多，居民意见很大。\n";
        let lines = classify(page);
        let labels = tag(&lines);
        let got: String = lines
            .iter()
            .zip(&labels)
            .filter(|(l, _)| !l.is_blank())
            .map(|(_, &b)| b as char)
            .collect();
        assert_eq!(got, "HYACCCPCC", "labels of the non-blank lines");
    }

    /// A page's lines, the first reading's features of its non-blank lines, and their pairs.
    fn read(text: &str) -> (Vec<Line>, Names, Pairs) {
        let lines = classify(text);
        let idx = non_blank(&lines);
        let mut names = Names(vec![Vec::new(); idx.len()]);
        let pairs = page(&lines, &idx, &mut names);
        (lines, names, pairs)
    }

    /// The names of line `k`'s features that start with `prefix`.
    fn named<'a>(names: &'a Names, k: usize, prefix: &str) -> Vec<&'a str> {
        names.0[k]
            .iter()
            .map(|a| a.name.as_str())
            .filter(|n| n.starts_with(prefix))
            .collect()
    }

    /// Where articles are set further apart than paragraphs, the wider gap is `g=hi` and the
    /// usual one `g=lo`; where every gap is alike, each is `g=1`.
    #[test]
    fn wider_gaps_between_articles_are_told_from_paragraph_gaps() {
        let two_levels = "甲地新建公园\n\u{3000}公园今天开放。\n\n\u{3000}市民前来游览。\n\n\n乙地修通公路\n\u{3000}公路今天通车。\n\n\u{3000}沿线村民受益。\n";
        let lines = classify(two_levels);
        let idx = non_blank(&lines);
        assert_eq!(
            gap_levels(&idx),
            ["g=top", "g=0", "g=lo", "g=hi", "g=0", "g=lo"]
        );
        let (_, names, _) = read(two_levels);
        let has = |k: usize, name: &str| names.0[k].iter().any(|a| a.name == name);
        assert!(has(3, "g=hi|+g=0"), "{:?}", names.0[3]);
        // the same page with one blank line everywhere: no gap is wider than another
        let one_level = two_levels.replace("\n\n\n", "\n\n");
        let lines = classify(&one_level);
        assert_eq!(
            gap_levels(&non_blank(&lines)),
            ["g=top", "g=0", "g=1", "g=1", "g=0", "g=1"]
        );
        // and where most gaps are wide and one narrower, no gap is wider than the usual one
        let mostly_wide = "甲\n\n\n乙\n\n\n丙\n\n\n丁\n\n戊\n";
        let lines = classify(mostly_wide);
        assert_eq!(
            gap_levels(&non_blank(&lines)),
            ["g=top", "g=1", "g=1", "g=1", "g=1"]
        );
    }

    /// Headlines gathered at the end of a page name the paragraph starts their articles begin
    /// at, wherever those are; a start no headline matches best gets nothing.
    #[test]
    fn gathered_headlines_mark_the_starts_they_match() {
        let text = "市政府今天召开会议部署防汛工作。\n会议要求各区加强值守。\n图书馆延长夜间开放时间方便读者。\n读者可以提前预约座位。\n公交公司新开三条夜班线路。\n夜班线路覆盖主要商圈。\n\n市政府会议部署防汛工作\n\n图书馆延长夜间开放\n";
        let (_, _, pairs) = read(text);
        let m = headline_matches(&pairs, b"APPPAPHH").at_start;
        assert_eq!(m.len(), 8);
        // both headlines are gathered away from their articles (`f`), each matched well and
        // far better than any other start: the second where the first reading missed a start
        let far = Some(HeadMatch {
            place: "f",
            share: "s3",
            margin: "m2",
        });
        assert_eq!(m[0], far, "{m:?}");
        assert_eq!(m[2], far, "{m:?}");
        assert!([1, 3, 4, 5, 6, 7].iter().all(|&k| m[k].is_none()), "{m:?}");
        // inside the article right above the group (a headline printed after its article
        // matches its text anywhere): `n`
        let m = headline_matches(&pairs, b"APPPPPHH").at_start;
        assert_eq!(m[2], far.map(|f| HeadMatch { place: "n", ..f }), "{m:?}");
        // a headline right above the start it matches is `b`
        let m = headline_matches(&pairs, b"PPHAPPPH").at_start;
        assert!(m[3].is_some_and(|s| s.place == "b"), "{m:?}");
        // one start on the page: nothing to tell apart
        assert!(headline_matches(&pairs, b"ACCCCCHH")
            .at_start
            .iter()
            .all(Option::is_none));
    }

    /// The line under a headline group hears where the group's best match is: `a` when the
    /// group matches the start right above it best (a lead printed above its own headline),
    /// `b` when it matches that line itself.
    #[test]
    fn the_line_under_a_headline_group_hears_where_the_group_points() {
        let text = "市政府今天召开会议部署防汛工作。\n市政府会议部署防汛工作\n会议要求各区加强值守。\n图书馆延长夜间开放时间方便读者。\n读者可以提前预约座位。\n";
        let (_, _, pairs) = read(text);
        let m = headline_matches(&pairs, b"AHPAP");
        let under = m.under_group[2].expect("a match under the group");
        assert_eq!((under.place, under.share), ("a", "s3"), "{under:?}");
        assert!([0, 1, 3, 4].iter().all(|&k| m.under_group[k].is_none()));
        // the second reading: the start right above the group gets the page's habit of
        // printing leads above their headlines (here the one group does: `hi`)
        let mut names = Names(vec![Vec::new(); 5]);
        stacked(&pairs, b"AHPAP", &mut names);
        let og = |k: usize| named(&names, k, "og=");
        assert_eq!(og(0), ["og=hi|A"]);
        assert!([1, 2, 3, 4].iter().all(|&k| og(k).is_empty()));
        // the same headline over the lead it names: `b`
        let text = "市政府会议部署防汛工作\n市政府今天召开会议部署防汛工作。\n会议要求各区加强值守。\n图书馆延长夜间开放时间方便读者。\n";
        let (_, _, pairs) = read(text);
        let m = headline_matches(&pairs, b"HAPA");
        assert_eq!(m.under_group[1].map(|u| u.place), Some("b"));
    }

    /// Every line hears the page's habit of printing an article right under its headline (a
    /// headline-first page), with how its text goes on with the article above: there a heading
    /// that turns away from its article opens another, where pages of essays in sections set
    /// such headings as subheads.
    #[test]
    fn every_line_hears_whether_the_page_prints_articles_under_their_headlines() {
        let habit = |text: &str, first: &[u8]| -> Vec<String> {
            let (_, _, pairs) = read(text);
            let mut names = Names(vec![Vec::new(); first.len()]);
            stacked(&pairs, first, &mut names);
            (0..first.len())
                .map(|k| {
                    let sb = named(&names, k, "sb=");
                    assert_eq!(sb.len(), 1, "{sb:?}");
                    sb[0].to_string()
                })
                .collect()
        };
        // the one headline group matches the start right under it: `hi` on every line, with
        // the line's own label last
        let under = "市政府会议部署防汛工作\n市政府今天召开会议部署防汛工作。\n会议要求各区加强值守。\n夜间开放\n图书馆延长夜间开放时间方便读者。\n";
        let got = habit(under, b"HAPSP");
        assert!(got.iter().all(|n| n.starts_with("sb=hi|")), "{got:?}");
        assert!(got[3].ends_with("|S") && got[0].ends_with("|H"), "{got:?}");
        // the group printed under the lead it matches: `lo`
        let over = "市政府今天召开会议部署防汛工作。\n市政府会议部署防汛工作\n会议要求各区加强值守。\n夜间开放\n图书馆延长夜间开放时间方便读者。\n";
        let got = habit(over, b"AHPSP");
        assert!(got.iter().all(|n| n.starts_with("sb=lo|")), "{got:?}");
        // no headline group: nothing to go on
        let got = habit(over, b"APPSP");
        assert!(got.iter().all(|n| n.starts_with("sb=none|")), "{got:?}");
    }

    /// The second reading adds the first reading's labels and what they imply to every line's
    /// features, whatever labels it is given (too few, unknown ones).
    #[test]
    fn stacked_features_extend_every_line_and_take_any_first_reading() {
        let text = "河畔新村建起共享花园\n\n■本报记者 林晓岚\n\n　　去年以来，河畔街道在辖区六个小区推行\n花园建设办法，先后收到居民提案四十余份。\n　　河畔新村是街道里房龄最老的小区之一。\n";
        let (lines, names, pairs) = read(text);
        let idx = non_blank(&lines);
        let before: Vec<usize> = names.0.iter().map(|a| a.len()).collect();
        let one = Crf::from_bytes(MODEL_BYTES).unwrap();
        let first: Vec<u8> = tag_with(Some(&one), &lines)
            .into_iter()
            .filter(|&b| b != b'-')
            .collect();
        assert_eq!(first.len(), idx.len());
        let mut got = Names(names.0.clone());
        stacked(&pairs, &first, &mut got);
        for (k, a) in got.0.iter().enumerate() {
            assert!(a.len() > before[k], "line {k} got no stacked features");
            let l0 = format!("L0={}", first[k] as char);
            assert!(a.iter().any(|x| x.name == l0), "line {k} lacks {l0}");
            for kind in ["bal=", "sa", "pi=", "ah=", "sn", "nx"] {
                assert!(
                    a.iter()
                        .any(|x| x.name.starts_with(kind) && x.name.ends_with(&l0[3..])),
                    "line {k} lacks {kind}…|{}",
                    &l0[3..]
                );
            }
        }
        // the page has one headline group and one article start: balanced
        let bal = named(&got, 0, "bal=");
        assert_eq!(bal, [format!("bal=A=H|{}", first[0] as char)]);
        for odd in [&b""[..], b"A", b"zzzzzzzzzzzzzzzzzzzz"] {
            let mut got = Names(names.0.clone());
            stacked(&pairs, odd, &mut got);
            assert_eq!(got.0.len(), names.0.len());
        }
    }

    /// A reporter who signs every article on a page (a columnist's page, a special report)
    /// makes the page read as it does with a reporter for each article: a byline's words are
    /// not what the page is about, so they count in no line's echo, topic or cohesion.
    #[test]
    fn one_reporter_on_every_article_reads_like_a_reporter_each() {
        let heads = [
            "河畔新村建起共享花园",
            "市图书馆延长夜间开放时间",
            "滨江半程马拉松鸣枪开跑",
            "湿地公园里的少年科学营",
        ];
        let bodies = [
            "去年以来，河畔街道在辖区六个小区推行花园建设办法，先后收到居民提案四十余份。",
            "自下月起，市图书馆将把周五和周六的闭馆时间推迟到晚上十点，借还书自助机同步运行。",
            "昨天上午八点，伴随着发令枪声，来自二十个国家和地区的八千名选手从滨江广场出发。",
            "一群初中生手拿放大镜和记录本，在湿地公园的栈道上观察水鸟，记下它们的数量和习性。",
        ];
        let page = |names: [&str; 4]| {
            let mut t = String::new();
            for k in 0..4 {
                t += &format!(
                    "{}\n\n■本报记者 {}\n\n本报讯 {}\n\n　　{}\n\n\n",
                    heads[k],
                    names[k],
                    bodies[k],
                    bodies[(k + 1) % 4]
                );
            }
            let lines = classify(&t);
            let (_, feats) = features(&lines);
            let named: Vec<Vec<String>> = feats
                .iter()
                .map(|a| a.iter().map(|x| x.name.clone()).collect())
                .collect();
            (named, tag(&lines))
        };
        let (one, one_labels) = page(["林晓岚", "林晓岚", "林晓岚", "林晓岚"]);
        let (each, each_labels) = page(["林晓岚", "陈立新", "周明远", "宋海燕"]);
        assert_eq!(one.len(), each.len());
        for (k, (a, b)) in one.iter().zip(&each).enumerate() {
            assert_eq!(a, b, "line {k}: features differ");
        }
        assert_eq!(one_labels, each_labels);
    }

    #[test]
    fn ascii_gives_each_ascii_byte_as_text() {
        for b in 0u8..128 {
            assert_eq!(ascii(b), (b as char).to_string());
        }
        assert_eq!(ascii(200), "?");
    }

    /// A model of one reading tags as `crfs` does with that model alone.
    #[test]
    fn one_reading_tags_as_the_first_model_alone() {
        let page = "河畔新村建起共享花园\n\n■本报记者 林晓岚\n\n　　去年以来，河畔街道推行花园建设办法。\n小区里的空地有了新用处。\n";
        let lines = classify(page);
        let one = Crf::from_bytes(MODEL_BYTES).unwrap();
        assert_eq!(one.readings(), 1);
        let m1 = crfs::Model::new(MODEL_BYTES).unwrap();
        let (idx, xs) = features(&lines);
        let t1 = m1.tagger().unwrap();
        let want: Vec<u8> = t1
            .tag(&xs)
            .unwrap()
            .iter()
            .map(|l| l.as_bytes()[0])
            .collect();
        let got = tag_with(Some(&one), &lines);
        let got: Vec<u8> = idx.iter().map(|&i| got[i]).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn features_and_tags_cover_every_non_blank_line_and_never_panic() {
        for page in [
            "",
            "\n\n",
            "一",
            "a\n\n\u{3000}\n——\n（）\n#\n■\n1\n",
            &"长".repeat(5000),
        ] {
            let lines = classify(page);
            let labels = tag(&lines);
            assert_eq!(labels.len(), lines.len());
            for (l, b) in lines.iter().zip(&labels) {
                assert_eq!(l.is_blank(), *b == b'-', "{page:?}");
                assert!(*b == b'-' || LABELS.contains(b));
            }
        }
    }
}
