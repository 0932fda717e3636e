//! Segmentation: group the units of a page into articles and fragments, and attach every
//! headline to the article it belongs to, by content (shared characters between headline and
//! the article's lead), not by position alone.

use super::reflow::{Para, Unit};
use crate::text::{bigram_iter, bigrams};
use rustc_hash::FxHashMap as HashMap;

/// One heading line with the group (chunk) it was printed in.
#[derive(Debug, Clone)]
pub struct HeadLine {
    pub text: String,
    pub line: usize,
    pub group: usize,
    pub md: u8,
}

#[derive(Debug, Clone, Default)]
pub struct BodyPara {
    pub text: String,
    pub line: usize,
    pub terminal: bool,
    pub subhead: bool,
    pub dateline: String,
}

#[derive(Debug, Clone, Default)]
pub struct Seg {
    pub heads: Vec<HeadLine>,
    pub paras: Vec<BodyPara>,
    pub bylines: Vec<(usize, String)>,
    pub section: String,
    pub md_level: Option<u8>,
    pub fragment: bool,
    /// Closed: the next body text starts a new segment.
    pub closed: bool,
    pub photo: bool,
    /// First line of the page this segment covers (for reading order).
    pub line: usize,
}

impl Seg {
    fn titled(&self) -> bool {
        !self.heads.is_empty()
    }
    fn has_body(&self) -> bool {
        self.paras.iter().any(|p| !p.subhead)
    }
    /// Nothing left in it: no headline, paragraph or byline.
    fn is_empty(&self) -> bool {
        self.heads.is_empty() && self.paras.is_empty() && self.bylines.is_empty()
    }
    fn body_paras(&self) -> usize {
        self.paras.iter().filter(|p| !p.subhead).count()
    }
    /// Reading-order position: the first body line, else the first line of anything.
    pub fn order_line(&self) -> usize {
        self.paras
            .iter()
            .map(|p| p.line)
            .chain(self.bylines.iter().map(|b| b.0))
            .min()
            .or_else(|| self.heads.iter().map(|h| h.line).min())
            .unwrap_or(self.line)
    }
}

/// Bigram weights of a page: rare bigrams (in few paragraphs) weigh more. The labeller's
/// assembly uses them too.
pub(super) struct Weights {
    /// for each bigram of the page (by [`pair_key`]): how many paragraphs have it, and the
    /// last paragraph that counted it (while counting)
    df: HashMap<u64, (u32, u32)>,
    /// the weight of a bigram `d` paragraphs have, `ln(1 + n / (1 + d))` for `n` paragraphs
    /// (computed once for each `d`, read many times; `by_df[0]` for a bigram no paragraph has)
    by_df: Vec<f64>,
}

/// A character pair as one integer (a smaller key to hash and store than the two chars).
fn pair_key(b: &(char, char)) -> u64 {
    (b.0 as u64) << 32 | b.1 as u64
}

impl Weights {
    fn new(units: &[Unit]) -> Weights {
        Weights::from_texts(units.iter().filter_map(|u| match u {
            Unit::Para(p) => Some(p.text.as_str()),
            _ => None,
        }))
    }
    /// Weights from the paragraphs of a page.
    pub(super) fn from_texts<'a>(texts: impl Iterator<Item = &'a str>) -> Weights {
        // paragraphs that have each pair: a pair counts once per paragraph, the first time
        // it is seen there
        let texts: Vec<&str> = texts.collect();
        // sized once for the page's distinct pairs (at most about one per character)
        let chars = texts.iter().map(|t| t.len() / 3).sum();
        let mut df: HashMap<u64, (u32, u32)> =
            HashMap::with_capacity_and_hasher(chars, Default::default());
        let mut n = 0u32;
        for t in texts {
            n += 1;
            for b in bigram_iter(t, 4000) {
                let e = df.entry(pair_key(&b)).or_insert((0, 0));
                if e.1 != n {
                    *e = (e.0 + 1, n);
                }
            }
        }
        let paras = n;
        let n = f64::max(n as f64, 1.0);
        let by_df = (0..=paras)
            .map(|d| (1.0 + n / (1.0 + d as f64)).ln())
            .collect();
        Weights { df, by_df }
    }
    fn w(&self, b: &(char, char)) -> f64 {
        let d = self.df.get(&pair_key(b)).map_or(0, |v| v.0);
        self.by_df[d as usize]
    }
    /// A headline's pairs and their weights, for matching it against texts ([`HeadPairs`]).
    pub(super) fn head(&self, head: &str) -> HeadPairs {
        let hb = pair_set(head, 400);
        let w: Vec<f64> = hb.iter().map(|b| self.w(b)).collect();
        let mut den = 0.0;
        let mut mask = 0u64;
        for (b, w) in hb.iter().zip(&w) {
            den += w;
            mask |= pair_bit(b);
        }
        HeadPairs { hb, w, den, mask }
    }
}

/// The distinct character pairs of the first `limit` characters of `text`, sorted (to match
/// headlines against with [`HeadPairs::sim_set`]).
pub(super) fn pair_set(text: &str, limit: usize) -> Vec<(char, char)> {
    let mut v = bigrams(text, limit);
    v.sort_unstable();
    v.dedup();
    v
}

/// A bit of a 64-bit filter for a pair: a pair whose bit a headline lacks is not among its
/// pairs (most of a text's pairs are told apart without a search).
fn pair_bit(b: &(char, char)) -> u64 {
    1 << (((b.0 as u32).wrapping_mul(31) ^ b.1 as u32) % 64)
}

/// A headline's distinct character pairs (sorted) with their weights on the page, read once
/// for all the texts it is matched against.
///
/// The weights are summed in a fixed order (sorted pairs): floating-point addition is not
/// associative, and summing in a hash set's iteration order made near-ties between candidate
/// articles fall differently from one run to the next.
pub(super) struct HeadPairs {
    hb: Vec<(char, char)>,
    w: Vec<f64>,
    /// the sum of `w`, in order
    den: f64,
    /// [`pair_bit`] of every pair
    mask: u64,
}

impl HeadPairs {
    /// Weighted share of the headline's pairs found in `text` (the first 600 characters).
    fn sim(&self, text: &str) -> f64 {
        self.sim_prefix(text, 600)
    }
    /// [`HeadPairs::sim`] against the first `chars` characters of `text` (at most 600).
    fn sim_prefix(&self, text: &str, chars: usize) -> f64 {
        self.sim_chars(text.chars().take(chars.min(600)))
    }
    /// [`HeadPairs::sim`] against a run of characters (at most 600 are read).
    fn sim_chars(&self, text: impl Iterator<Item = char>) -> f64 {
        if self.hb.is_empty() {
            return 0.0;
        }
        let pairs = crate::text::bigrams_of(text.take(600));
        let mut at = pairs.filter_map(|b| {
            if self.mask & pair_bit(&b) == 0 {
                return None;
            }
            self.hb.binary_search(&b).ok()
        });
        // which of the headline's pairs the text has: bits for a headline of up to 64 pairs
        // (most), else one flag each
        if self.hb.len() <= 64 {
            let found = at.fold(0u64, |m, i| m | 1 << i);
            self.share(|i, _| found >> i & 1 == 1)
        } else {
            let mut found = vec![false; self.hb.len()];
            for i in at.by_ref() {
                found[i] = true;
            }
            self.share(|i, _| found[i])
        }
    }
    /// Weighted share of the headline's pairs found in a text's pairs ([`pair_set`]).
    pub(super) fn sim_set(&self, tb: &[(char, char)]) -> f64 {
        self.share(|_, b| tb.binary_search(b).is_ok())
    }
    /// Weighted share of the pairs for which `found` holds.
    fn share(&self, found: impl Fn(usize, &(char, char)) -> bool) -> f64 {
        if self.hb.is_empty() {
            return 0.0;
        }
        let mut num = 0.0;
        for (i, (b, w)) in self.hb.iter().zip(&self.w).enumerate() {
            if found(i, b) {
                num += w;
            }
        }
        if self.den == 0.0 {
            0.0
        } else {
            num / self.den
        }
    }
}

/// Text of a segment's body from paragraph `from`: at most two paragraphs, about 300
/// characters (a short lead is read together with the paragraph after it).
fn window(seg: &Seg, from: usize) -> impl Iterator<Item = char> + '_ {
    seg.paras
        .iter()
        .skip(from)
        .filter(|p| !p.subhead)
        .take(2)
        .flat_map(|p| p.text.chars())
        .take(300)
}

fn group_text(g: &[HeadLine]) -> String {
    g.iter()
        .map(|h| h.text.as_str())
        .collect::<Vec<_>>()
        .join("")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Sub,
    /// Headline of the segment before the run (of the part split off it when `inner`).
    Trailing(bool),
    Leading,
    Other(usize),
}

struct Walker<'a> {
    units: &'a [Unit],
    w: Weights,
    segs: Vec<Seg>,
    cur: Option<usize>,
    floating: Vec<Vec<HeadLine>>,
    section: Option<(String, u8)>,
    section_unused: Option<String>,
    next_group: usize,
    /// The page starts its articles with bylines or datelines: a heading without one inside
    /// an article is a subhead.
    marked_page: bool,
}

impl<'a> Walker<'a> {
    fn new_seg(&mut self, line: usize) -> usize {
        // the label goes to the first article printed under it (text is never duplicated)
        let section = self.section_unused.take().unwrap_or_default();
        self.segs.push(Seg {
            line,
            section,
            ..Default::default()
        });
        self.cur = Some(self.segs.len() - 1);
        self.segs.len() - 1
    }

    fn cur_open(&self) -> Option<usize> {
        self.cur.filter(|&c| !self.segs[c].closed)
    }

    /// Text of the body that follows unit `from` (up to the next heading), for matching.
    fn text_after(&self, from: usize) -> String {
        let mut s = String::new();
        for u in &self.units[from..] {
            match u {
                Unit::Para(p) => {
                    s.push_str(&p.text);
                    if s.chars().count() >= 300 {
                        break;
                    }
                }
                Unit::Head { .. } => break,
                _ => {}
            }
        }
        s.chars().take(300).collect()
    }

    /// Is unit `from` the start of a photo item: 1–3 paragraphs and then a credit?
    fn photo_item_at(&self, from: usize) -> bool {
        let mut paras = 0;
        for u in &self.units[from..] {
            match u {
                Unit::Para(p) if p.dateline.is_empty() => paras += 1,
                Unit::Credit { .. } => return (1..=3).contains(&paras),
                _ => return false,
            }
            if paras > 3 {
                return false;
            }
        }
        false
    }

    /// How well headline `g` matches segment `k`: (score at its start, best score at any
    /// sentence-initial paragraph, that paragraph).
    fn best_start(&self, g: &HeadPairs, k: usize) -> (f64, f64, usize) {
        let s = &self.segs[k];
        let at0 = self.score_at(g, k, 0);
        let mut best = (at0, 0usize);
        for pj in 1..s.paras.len() {
            let (p, q) = (&s.paras[pj - 1], &s.paras[pj]);
            if !p.terminal || p.subhead || q.subhead || !q.dateline.is_empty() {
                continue;
            }
            let v = self.score_at(g, k, pj);
            if v > best.0 {
                best = (v, pj);
            }
        }
        (at0, best.0, best.1)
    }

    /// Keep a label that no article took as a fragment of its own.
    fn label_fragment(&mut self, label: String, line: usize) {
        self.headline_fragment(vec![HeadLine {
            text: label,
            line,
            group: usize::MAX,
            md: 1,
        }]);
    }

    /// Keep headlines that no article took as a fragment of their own.
    fn headline_fragment(&mut self, heads: Vec<HeadLine>) {
        let line = heads.first().map(|h| h.line).unwrap_or(0);
        self.segs.push(Seg {
            line,
            heads,
            fragment: true,
            closed: true,
            ..Default::default()
        });
    }

    /// Does segment `k` start with a byline or a dateline?
    fn established(&self, k: usize) -> bool {
        let s = &self.segs[k];
        let second = s
            .paras
            .iter()
            .filter(|p| !p.subhead)
            .nth(1)
            .map(|p| p.line)
            .unwrap_or(usize::MAX);
        s.paras.iter().any(|p| !p.dateline.is_empty()) || s.bylines.iter().any(|b| b.0 < second)
    }

    /// Split segment `k` before paragraph `pj`; the new segment (returned) gets the tail.
    fn split(&mut self, k: usize, pj: usize) -> usize {
        let split_line = self.segs[k].paras[pj].line;
        let tail_paras = self.segs[k].paras.split_off(pj);
        let (keep, moved): (Vec<_>, Vec<_>) = self.segs[k]
            .bylines
            .drain(..)
            .partition(|b| b.0 < split_line);
        self.segs[k].bylines = keep;
        self.segs.push(Seg {
            paras: tail_paras,
            bylines: moved,
            line: split_line,
            closed: self.segs[k].closed,
            ..Default::default()
        });
        self.segs[k].closed = true;
        let t = self.segs.len() - 1;
        if self.cur == Some(k) {
            self.cur = Some(t);
        }
        t
    }

    /// Match of headline `g` with the article that would start at paragraph `j` of segment
    /// `k`: its first paragraph counts fully, what follows a little less.
    fn score_at(&self, g: &HeadPairs, k: usize, j: usize) -> f64 {
        let s = &self.segs[k];
        let first = s
            .paras
            .iter()
            .skip(j)
            .find(|p| !p.subhead)
            .map(|p| p.text.as_str())
            .unwrap_or("");
        f64::max(g.sim_prefix(first, 300), 0.8 * g.sim_chars(window(s, j)))
    }

    /// Does heading `g` have the shape of a subhead already in segment `s` (紧急响应：… after
    /// 温情善后：…, 聚焦… after 聚焦…)? Subheads of one article come in series.
    fn continues_series(&self, s: Option<usize>, g: &str) -> bool {
        let Some(c) = s else { return false };
        let key = series_key(g);
        self.segs[c].paras.iter().filter(|p| p.subhead).any(|p| {
            let k = series_key(&p.text);
            let all_han = |t: &str| t.chars().all(crate::text::is_han);
            let (a, b) = (p.text.chars().count(), g.chars().count());
            (k.0.is_some() && k.0 == key.0)
                || (k.1.len() >= 2 && k.1 == key.1)
                || (all_han(&p.text) && all_han(g) && a.abs_diff(b) <= 1 && a <= 10)
        })
    }

    fn best_other(&self, g: &HeadPairs, except: Option<usize>) -> (f64, Option<usize>) {
        let mut best = (0.0, None);
        for (k, s) in self.segs.iter().enumerate() {
            if Some(k) == except || s.titled() || !s.has_body() || s.fragment {
                continue;
            }
            let v = g.sim_chars(window(s, 0));
            if v > best.0 {
                best = (v, Some(k));
            }
        }
        best
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.units.len() {
            match &self.units[i] {
                Unit::Head { .. } => {
                    let mut j = i;
                    while j < self.units.len() && matches!(self.units[j], Unit::Head { .. }) {
                        j += 1;
                    }
                    self.header_run(i, j);
                    i = j;
                    continue;
                }
                Unit::Para(p) => self.para(p, i),
                Unit::Byline {
                    text,
                    line,
                    trailing,
                } => self.byline(text, *line, *trailing),
                Unit::Credit { text, line } => self.credit(text, *line),
                Unit::Box { label, paras, line } => {
                    let k = self.segs.len();
                    self.segs.push(Seg {
                        line: *line,
                        fragment: true,
                        closed: true,
                        heads: vec![HeadLine {
                            text: label.clone(),
                            line: *line,
                            group: usize::MAX,
                            md: 0,
                        }],
                        paras: paras
                            .iter()
                            .map(|t| BodyPara {
                                text: t.clone(),
                                line: *line,
                                terminal: true,
                                ..Default::default()
                            })
                            .collect(),
                        ..Default::default()
                    });
                    let _ = k;
                }
            }
            i += 1;
        }
    }

    fn para(&mut self, p: &Para, idx: usize) {
        let caption = super::lines::is_inline_caption(&p.text);
        if caption {
            let mut seg = Seg {
                line: p.line,
                fragment: true,
                closed: true,
                ..Default::default()
            };
            add_para(&mut seg, p);
            self.segs.push(seg);
            return;
        }
        let next_is_credit = matches!(self.units.get(idx + 1), Some(Unit::Credit { .. }));
        let cur = match self.cur_open() {
            Some(c) if !p.dateline.is_empty() && self.segs[c].has_body() => self.new_seg(p.line),
            Some(c) => c,
            None => self.new_seg(p.line),
        };
        let _ = next_is_credit;
        add_para(&mut self.segs[cur], p);
    }

    fn byline(&mut self, text: &str, line: usize, trailing: bool) {
        if trailing {
            match self.cur_open() {
                Some(c) if self.segs[c].has_body() => {
                    self.segs[c].bylines.push((line, text.to_string()));
                    self.segs[c].closed = true;
                }
                _ => {
                    let k = self.new_seg(line);
                    self.segs[k].bylines.push((line, text.to_string()));
                    self.segs[k].closed = true;
                }
            }
            return;
        }
        let attach = match self.cur_open() {
            Some(c) => {
                let s = &self.segs[c];
                if !s.has_body() {
                    true
                } else {
                    s.bylines.is_empty()
                        && s.body_paras() == 1
                        && s.paras
                            .iter()
                            .map(|p| p.text.chars().count())
                            .sum::<usize>()
                            <= 200
                        && !s.titled()
                }
            }
            None => false,
        };
        let k = if attach {
            self.cur.unwrap_or(0)
        } else {
            self.new_seg(line)
        };
        self.segs[k].bylines.push((line, text.to_string()));
    }

    fn credit(&mut self, text: &str, line: usize) {
        if let Some(c) = self.cur_open() {
            let s = &self.segs[c];
            let photo = s.titled()
                && (1..=3).contains(&s.body_paras())
                && s.bylines.is_empty()
                && s.paras.iter().all(|p| !p.subhead);
            if photo {
                let s = &mut self.segs[c];
                s.bylines.push((line, text.to_string()));
                s.photo = true;
                s.closed = true;
                return;
            }
            if s.paras.last().is_some_and(|p| !p.subhead) {
                let p = self.segs[c].paras.pop().expect("checked");
                self.segs.push(Seg {
                    line: p.line,
                    fragment: true,
                    closed: true,
                    paras: vec![p],
                    bylines: vec![(line, text.to_string())],
                    ..Default::default()
                });
                return;
            }
        }
        self.segs.push(Seg {
            line,
            fragment: true,
            closed: true,
            bylines: vec![(line, text.to_string())],
            ..Default::default()
        });
    }

    /// Units i..j are headings (no body between them): decide what each group is.
    fn header_run(&mut self, i: usize, j: usize) {
        // Group heading lines: a Markdown heading starts a group of its own; layout headings
        // group by the blank-separated chunk they were printed in.
        let mut groups: Vec<Vec<HeadLine>> = Vec::new();
        let mut last_chunk = None;
        for u in &self.units[i..j] {
            if let Unit::Head {
                text,
                line,
                chunk,
                md,
            } = u
            {
                let h = HeadLine {
                    text: text.clone(),
                    line: *line,
                    group: 0,
                    md: *md,
                };
                // a subtitle (`——…`) goes with the Markdown heading right above it
                let subtitle = text.trim_start().starts_with("——")
                    && groups.last().is_some_and(|g| g[0].md > 0 && g.len() == 1);
                let same = *md == 0
                    && (subtitle
                        || last_chunk == Some(*chunk)
                            && groups.last().is_some_and(|g| g[0].md == 0));
                if same {
                    groups.last_mut().expect("nonempty").push(h);
                } else {
                    groups.push(vec![h]);
                }
                last_chunk = Some(*chunk);
            }
        }
        for g in groups.iter_mut() {
            let id = self.next_group;
            self.next_group += 1;
            for h in g.iter_mut() {
                h.group = id;
            }
        }
        if groups.iter().any(|g| g[0].md > 0) {
            self.md_run(groups, j);
            return;
        }
        let next = self.units.get(j);
        if next.is_none() {
            self.floating.extend(groups);
            return;
        }
        let lead_marker = match next {
            Some(Unit::Byline {
                trailing: false, ..
            }) => true,
            Some(Unit::Para(p)) => !p.dateline.is_empty() || self.photo_item_at(j),
            _ => false,
        };
        let s = self.cur_open();
        let s_body = s.is_some_and(|c| self.segs[c].has_body());
        let s_titled = s.is_some_and(|c| self.segs[c].titled());
        let next_win = self.text_after(j);
        let mut roles = Vec::new();
        let mut seen_leading = false;
        // A headline printed after its article may start inside the current segment: where.
        let mut split_at: Option<usize> = None;
        for g in &groups {
            let gt = group_text(g);
            let gp = self.w.head(&gt);
            let (at0, best_in_s, best_j) = match s {
                Some(c) if s_body => self.best_start(&gp, c),
                _ => (0.0, 0.0, 0),
            };
            let inner_split = best_j > 0
                && clear_split(best_in_s, at0, s.is_some_and(|c| self.established(c)))
                && split_at.is_none()
                && !(self.marked_page && s_titled);
            let s_prev = if inner_split { best_in_s } else { at0 };
            let s_next = gp.sim(&next_win);
            let (s_other, other) = self.best_other(&gp, s);
            let role = if lead_marker {
                if s_body
                    && (!s_titled || inner_split)
                    && !seen_leading
                    && s_prev >= 0.25
                    && s_prev > s_next
                {
                    Role::Trailing(inner_split)
                } else if s_other >= 0.5 && s_other > s_next + 0.2 {
                    Role::Other(other.expect("found"))
                } else {
                    Role::Leading
                }
            } else if !s_body {
                if s_other >= 0.5 && s_other > s_next + 0.2 {
                    Role::Other(other.expect("found"))
                } else {
                    Role::Leading
                }
            } else if s_titled && !inner_split {
                if s_next >= 0.5 && s_next >= s_other && !self.marked_page {
                    Role::Leading
                } else if s_other >= 0.5 {
                    Role::Other(other.expect("found"))
                } else {
                    Role::Sub
                }
            } else if self.continues_series(s, &gt) {
                Role::Sub
            } else {
                let best = s_prev.max(s_next).max(s_other);
                // subheads are single lines: a kicker+title group needs less evidence
                let trail_min = if g.len() >= 2 { 0.2 } else { 0.4 };
                if s_prev >= best && s_prev >= trail_min && !seen_leading {
                    Role::Trailing(inner_split)
                } else if s_next >= best && s_next >= 0.25 {
                    Role::Leading
                } else if s_other >= best && s_other >= 0.5 {
                    Role::Other(other.expect("found"))
                } else {
                    Role::Sub
                }
            };
            let role = if seen_leading && matches!(role, Role::Trailing(_)) {
                Role::Leading
            } else {
                role
            };
            if std::env::var_os("KANBAO_DEBUG_SEG").is_some() {
                eprintln!(
                    "group {gt:?}: at0={at0:.2} inner={best_in_s:.2}@{best_j} next={s_next:.2} other={s_other:.2} titled={s_titled} lead_marker={lead_marker} -> {role:?}"
                );
            }
            if role == Role::Trailing(true) {
                split_at = Some(best_j);
            }
            seen_leading |= role == Role::Leading;
            roles.push(role);
        }
        // The trailing headline's article starts inside the segment: split it there.
        let tail = match (s, split_at) {
            (Some(c), Some(j)) if roles.contains(&Role::Trailing(true)) => Some(self.split(c, j)),
            _ => None,
        };
        // Subheads only make sense when every group of the run is one.
        if roles.iter().all(|r| *r == Role::Sub) {
            let c = s.expect("subheads need an open segment");
            for g in groups {
                for h in g {
                    self.segs[c].paras.push(BodyPara {
                        text: h.text,
                        line: h.line,
                        terminal: false,
                        subhead: true,
                        dateline: String::new(),
                    });
                }
            }
            return;
        }
        for k in 0..roles.len() {
            if roles[k] == Role::Sub {
                // a lone subhead-like group inside a headline run belongs with its neighbour
                roles[k] = roles[k + 1..]
                    .iter()
                    .chain(roles[..k].iter().rev())
                    .copied()
                    .find(|r| *r != Role::Sub)
                    .unwrap_or(Role::Leading);
            }
        }
        let mut leading: Vec<HeadLine> = Vec::new();
        for (g, role) in groups.into_iter().zip(roles) {
            match role {
                Role::Trailing(inner) => {
                    let c = if inner { tail } else { s }.expect("trailing needs a segment");
                    self.segs[c].heads.extend(g);
                }
                Role::Other(k) => self.segs[k].heads.extend(g),
                Role::Leading | Role::Sub => leading.extend(g),
            }
        }
        for c in [s, tail].into_iter().flatten() {
            self.segs[c].closed = true;
        }
        if !leading.is_empty() {
            let line = leading[0].line;
            let k = self.new_seg(line);
            self.segs[k].heads = leading;
        }
    }

    fn md_run(&mut self, groups: Vec<Vec<HeadLine>>, j: usize) {
        let mut pending: Vec<HeadLine> = Vec::new();
        let mut after_label = false;
        let n = groups.len();
        let md_levels: Vec<u8> = groups.iter().map(|g| g[0].md).collect();
        for (gi, g) in groups.into_iter().enumerate() {
            let h = &g[0];
            let level = h.md;
            if level == 0 {
                // a layout heading among Markdown ones: part of the headline being built
                pending.extend(g);
                continue;
            }
            let is_kicker = h.text.ends_with('—');
            let followed_by_head = gi + 1 < n && md_levels[gi + 1] > 0;
            if is_kicker {
                pending.extend(g);
                continue;
            }
            if followed_by_head && pending.is_empty() {
                // a column/section label: 口述实录, 记者手记
                if let Some(old) = self.section_unused.take() {
                    self.label_fragment(old, h.line);
                }
                self.section = Some((h.text.clone(), level));
                self.section_unused = Some(h.text.clone());
                if let Some(c) = self.cur_open() {
                    self.segs[c].closed = true;
                }
                after_label = true;
                continue;
            }
            let cur = self.cur_open();
            let sub = !after_label
                && pending.is_empty()
                && cur.is_some_and(|c| {
                    let s = &self.segs[c];
                    s.has_body() && s.md_level.is_some_and(|l| level > l)
                });
            if sub {
                let c = cur.expect("checked");
                for h in g {
                    self.segs[c].paras.push(BodyPara {
                        text: h.text,
                        line: h.line,
                        subhead: true,
                        ..Default::default()
                    });
                }
                continue;
            }
            if !after_label {
                if let Some((_, sl)) = &self.section {
                    if level <= *sl {
                        self.section = None;
                    }
                }
            }
            if let Some(c) = self.cur_open() {
                self.segs[c].closed = true;
            }
            pending.extend(g);
            let line = pending[0].line;
            let k = self.new_seg(line);
            self.segs[k].heads = std::mem::take(&mut pending);
            self.segs[k].md_level = Some(level);
            after_label = false;
        }
        if !pending.is_empty() {
            if self.units.get(j).is_none() {
                self.floating.push(pending);
            } else {
                let line = pending[0].line;
                let k = self.new_seg(line);
                self.segs[k].heads = pending;
            }
        }
    }

    /// Attach the headlines gathered at the end of the page, splitting a segment where a
    /// headline clearly starts inside it.
    fn place_floating(&mut self) {
        let mut pending = std::mem::take(&mut self.floating);
        // each group's pairs, read once (the page's weights do not change)
        let mut pending_pairs: Vec<HeadPairs> = pending
            .iter()
            .map(|g| self.w.head(&group_text(g)))
            .collect();
        while !pending.is_empty() {
            // score every group against every possible start; take the most certain first
            let mut best: Option<(f64, usize, usize, usize, f64)> = None; // (score, group, seg, para, score_at_0)
            for (gi, gp) in pending_pairs.iter().enumerate() {
                for k in 0..self.segs.len() {
                    let s = &self.segs[k];
                    if s.fragment || !s.has_body() {
                        continue;
                    }
                    let (at0, b, bj) = self.best_start(gp, k);
                    // the start of a segment is a likelier start than a sentence inside it
                    let cand = if at0 + 0.1 >= b {
                        (at0 + 0.1, 0)
                    } else {
                        (b, bj)
                    };
                    if best.is_none_or(|x| cand.0 > x.0) {
                        best = Some((cand.0, gi, k, cand.1, at0));
                    }
                }
            }
            let Some((score, gi, k, pj, at0)) = best else {
                // nothing to attach to: keep the headlines as fragments
                for g in pending.drain(..) {
                    self.headline_fragment(g);
                }
                break;
            };
            let g = pending.remove(gi);
            pending_pairs.remove(gi);
            if std::env::var_os("KANBAO_DEBUG_SEG").is_some() {
                eprintln!(
                    "floating {:?}: score={score:.2} seg={k} para={pj} at0={at0:.2}",
                    group_text(&g)
                );
            }
            if score < 0.12 {
                self.headline_fragment(g);
                continue;
            }
            if pj > 0 && clear_split(score, at0, self.established(k)) {
                let t = self.split(k, pj);
                self.segs[t].heads = g;
                self.segs[t].closed = true;
            } else {
                self.segs[k].heads.extend(g);
            }
        }
    }
}

/// Is a headline's match `inner` with a sentence inside a segment clearly better than its
/// match `at0` with the segment's start, so that its article starts there?
/// A segment that starts with a byline or a dateline is an established article: it is only
/// split when the headline matches inside it far better than at its start.
fn clear_split(inner: f64, at0: f64, established: bool) -> bool {
    if established {
        return inner >= 0.5 && inner >= at0 + 0.4;
    }
    (inner >= 0.4 && inner > at0 + 0.15) || (inner >= 0.25 && inner > at0 + 0.25)
}

/// Shape of a heading for series detection: (count of Han characters before its first
/// punctuation mark or space, with that mark), and its first two characters.
fn series_key(s: &str) -> (Option<(usize, char)>, String) {
    let mut n = 0;
    let mut mark = None;
    for c in s.chars() {
        if crate::text::is_han(c) {
            n += 1;
        } else {
            mark = Some(c);
            break;
        }
    }
    let shape = mark
        .filter(|m| matches!(m, '：' | ':' | ' ' | '　' | '，' | '|' | '丨'))
        .map(|m| (n, m));
    (shape.filter(|_| n >= 2), s.chars().take(2).collect())
}

/// Add a paragraph to a segment, with the credit of its dateline as a byline.
fn add_para(seg: &mut Seg, p: &Para) {
    if !p.dateline_byline.is_empty() {
        seg.bylines.push((p.line, p.dateline_byline.clone()));
    }
    seg.paras.push(body(p));
}

fn body(p: &Para) -> BodyPara {
    BodyPara {
        text: p.text.clone(),
        line: p.line,
        terminal: p.terminal,
        subhead: false,
        dateline: p.dateline.clone(),
    }
}

/// Segment the units of a page.
pub fn segment(units: &[Unit]) -> Vec<Seg> {
    let mut w = Walker {
        units,
        w: Weights::new(units),
        segs: Vec::new(),
        cur: None,
        floating: Vec::new(),
        section: None,
        section_unused: None,
        next_group: 0,
        marked_page: units
            .iter()
            .filter(|u| match u {
                Unit::Byline {
                    trailing: false, ..
                } => true,
                Unit::Para(p) => !p.dateline.is_empty(),
                _ => false,
            })
            .count()
            >= 2,
    };
    w.run();
    w.place_floating();
    if let Some(label) = w.section_unused.take() {
        // a section label with no article after it is kept as a fragment
        let line = units.last().map(|u| u.line()).unwrap_or(0);
        w.label_fragment(label, line);
    }
    let mut segs = w.segs;
    for s in segs.iter_mut() {
        s.heads.sort_by_key(|h| h.line);
        s.paras.sort_by_key(|p| p.line);
        s.bylines.sort_by_key(|b| b.0);
        if !s.fragment {
            let chars: usize = s
                .paras
                .iter()
                .filter(|p| !p.subhead)
                .map(|p| p.text.chars().count())
                .sum();
            if !s.has_body() || (!s.titled() && chars < 40) {
                s.fragment = true;
            }
        }
    }
    segs.retain(|s| !s.is_empty());
    segs.sort_by_key(|s| s.order_line());
    bylines_above_headlines(&mut segs);
    segs
}

/// A byline left on its own right above a headed article that has none (pages that print the
/// byline above the headline): the article's. Its section label, if any, goes with it when
/// the article has none (else the byline stays where it is: no text is dropped).
fn bylines_above_headlines(segs: &mut Vec<Seg>) {
    let mut moved = false;
    for i in 1..segs.len() {
        let (before, after) = segs.split_at_mut(i);
        let (alone, next) = (&mut before[i - 1], &mut after[0]);
        let is_alone =
            alone.heads.is_empty() && alone.paras.is_empty() && !alone.bylines.is_empty();
        let last_name = alone.bylines.iter().map(|b| b.0).max().unwrap_or(0);
        let takes = !next.fragment
            && next.titled()
            && next.has_body()
            && next.bylines.is_empty()
            && next.heads.iter().all(|h| h.line > last_name)
            && (alone.section.is_empty() || next.section.is_empty());
        if is_alone && takes {
            next.bylines = std::mem::take(&mut alone.bylines);
            if next.section.is_empty() {
                next.section = std::mem::take(&mut alone.section);
            }
            moved = true;
        }
    }
    if moved {
        // a byline that moved took its section label along: nothing is left in its segment
        segs.retain(|s| !s.is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The weighted share as first written: every pair of the headline looked up in the text's
    /// pairs, no filter, weights read from the table each time.
    fn plain_share(w: &Weights, head: &str, text: &[(char, char)]) -> f64 {
        let hb = pair_set(head, 400);
        if hb.is_empty() {
            return 0.0;
        }
        let (mut num, mut den) = (0.0, 0.0);
        for b in &hb {
            den += w.w(b);
            if text.contains(b) {
                num += w.w(b);
            }
        }
        if den == 0.0 {
            0.0
        } else {
            num / den
        }
    }

    proptest! {
        /// Matching through [`HeadPairs`] (pairs read once, a bit filter before each search)
        /// gives exactly the share computed pair by pair, for texts and prefixes of any size.
        #[test]
        fn head_pairs_agree_with_a_plain_count(
            paras in proptest::collection::vec("[甲乙丙丁戊己a-cＡ1，。 ]{0,40}", 0..6),
            // short headlines, and long ones of up to a hundred or so distinct pairs
            head in "[甲乙丙丁戊己庚辛壬癸a-c1，]{0,12}|[甲乙丙丁戊己庚辛壬癸a-c1]{60,160}",
            text in "[甲乙丙丁戊己庚辛壬癸a-cA1，。 ]{0,400}",
            chars in 0usize..700,
        ) {
            let w = Weights::from_texts(paras.iter().map(|s| s.as_str()));
            let h = w.head(&head);
            let prefix: String = text.chars().take(chars.min(600)).collect();
            let want = plain_share(&w, &head, &bigrams(&prefix, 600));
            prop_assert_eq!(h.sim_prefix(&text, chars).to_bits(), want.to_bits());
            let set = pair_set(&text, 600);
            prop_assert_eq!(h.sim_set(&set).to_bits(), plain_share(&w, &head, &set).to_bits());
        }

        /// A segment's window read as characters is the text of its first two paragraphs that
        /// are not subheads from `from` on, joined and cut at 300 characters.
        #[test]
        fn a_window_is_two_paragraphs_cut_at_300_characters(
            paras in proptest::collection::vec(("[甲乙a，]{0,400}", proptest::bool::ANY), 0..5),
            from in 0usize..6,
        ) {
            let seg = Seg {
                paras: paras
                    .iter()
                    .map(|(t, sub)| BodyPara { text: t.clone(), subhead: *sub, ..Default::default() })
                    .collect(),
                ..Default::default()
            };
            let mut want = String::new();
            for p in seg.paras.iter().skip(from).filter(|p| !p.subhead).take(2) {
                want.push_str(&p.text);
                if want.chars().count() >= 300 {
                    break;
                }
            }
            let want: String = want.chars().take(300).collect();
            prop_assert_eq!(window(&seg, from).collect::<String>(), want);
        }
    }
}
