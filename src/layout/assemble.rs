//! From labelled lines ([`super::crf`]) to articles: paragraphs are joined, headline groups
//! and bylines are attached to their article (by content, with the page's own habit of
//! printing headlines before or after their articles as the tie-breaker), and whatever belongs
//! to no article is kept as a fragment. Every non-blank line ends up in exactly one segment.

use super::lines::{Line, LineKind};
use super::reflow::split_dateline;
use super::segment::{pair_set, BodyPara, HeadLine, HeadPairs, Seg, Weights};
use crate::text::{ends_sentence, GAP_MARK};
use rustc_hash::FxHashMap as HashMap;

/// What a run of lines is, in page order.
#[derive(Debug)]
enum Block {
    /// Body of an article (paragraphs and subheads), starting a new article when `starts`.
    Para {
        p: BodyPara,
        starts: bool,
        credit: String,
    },
    Head(Vec<HeadLine>),
    Byline {
        text: String,
        line: usize,
        /// its last line (a name may be set over several)
        last: usize,
        trailing: bool,
    },
    Frag(Vec<(usize, String)>),
}

fn join_line(buf: &mut String, prev: Option<&Line>, line: &Line) {
    let a = buf.chars().last();
    let b = line.text.chars().next();
    if prev.is_some_and(|p| p.trail_gap) || line.lead_gap {
        buf.push(GAP_MARK);
    } else if let (Some(a), Some(b)) = (a, b) {
        if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() {
            buf.push(' ');
        }
    }
    buf.push_str(&line.text);
}

/// A paragraph begun by this line (its dateline is cut once it is whole: [`cut_datelines`]).
fn start_para(line: &Line, idx: usize, subhead: bool) -> BodyPara {
    let mut text = String::new();
    if line.lead_gap {
        text.push(GAP_MARK);
    }
    text.push_str(&line.text);
    BodyPara {
        line: idx,
        subhead,
        text,
        ..Default::default()
    }
}

/// Cut the dateline off each whole body paragraph that starts with one (its credit becomes the
/// paragraph's byline): on the whole paragraph, since a line may break inside the dateline or
/// its credit, as in `本报兰州2月17日电（记` / `者 史宁兰）央视……`.
fn cut_datelines(blocks: &mut [Block]) {
    for b in blocks {
        let Block::Para { p, credit, .. } = b else {
            continue;
        };
        if p.subhead {
            continue;
        }
        if let Some((dl, c, end)) = split_dateline(&p.text) {
            if end < p.text.len() {
                p.dateline = dl;
                *credit = c;
                p.text = p.text[end..].to_string();
            }
        }
    }
}

/// Is `l` the next piece of a vertical headline whose text so far is `sofar`? (Every piece is
/// one or two characters; the first piece may be the start of the run.)
fn tiny_run(sofar: &str, l: &Line) -> bool {
    l.kind == LineKind::Text
        && sofar.chars().count() >= 1
        && !sofar.contains(' ')
        && {
            let n = sofar.chars().count();
            n <= 2 || sofar.chars().all(|c| !c.is_ascii_punctuation())
        }
        && l.text.chars().count() <= 2
}

fn md_level(l: &Line) -> u8 {
    match l.kind {
        LineKind::Md(n) => n,
        _ => 0,
    }
}

/// Cut the labelled lines into blocks.
fn blocks(lines: &[Line], labels: &[u8]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut prev: Option<usize> = None; // previous non-blank line
    let mut group = 0usize;
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() {
            continue;
        }
        let lab = labels.get(i).copied().unwrap_or(b'C');
        let prev_lab = prev.map(|j| labels[j]);
        let prev_line = prev.map(|j| &lines[j]);
        prev = Some(i);
        match lab {
            b'A' | b'P' => {
                let p = start_para(l, i, false);
                let starts = lab == b'A'
                    || !out.iter().any(|b| matches!(b, Block::Para { .. }))
                        && !matches!(out.last(), Some(Block::Para { .. }));
                out.push(Block::Para {
                    p,
                    starts,
                    credit: String::new(),
                });
            }
            b'C' | b's' => {
                let cont = matches!(
                    (prev_lab, lab),
                    (Some(b'A' | b'P' | b'C'), b'C') | (Some(b'S' | b's'), b's')
                );
                if let (true, Some(Block::Para { p, .. })) = (cont, out.last_mut()) {
                    join_line(&mut p.text, prev_line, l);
                } else {
                    out.push(Block::Para {
                        p: start_para(l, i, lab == b's'),
                        starts: false,
                        credit: String::new(),
                    });
                }
            }
            // a name set one or two characters a line, its last piece taken for a subhead
            b'S' if l.text.chars().count() <= 2
                && matches!(out.last(), Some(Block::Byline { .. }))
                && prev_line.is_some_and(|p| p.text.chars().count() <= 2) =>
            {
                if let Some(Block::Byline { text, last, .. }) = out.last_mut() {
                    text.push_str(&l.text);
                    *last = i;
                }
            }
            b'S' => {
                out.push(Block::Para {
                    p: start_para(l, i, true),
                    starts: false,
                    credit: String::new(),
                });
            }
            b'H' | b'h' => {
                let h = HeadLine {
                    text: l.text.clone(),
                    line: i,
                    group,
                    md: md_level(l),
                };
                let tiny = |t: &str| t.chars().count() <= 2;
                match out.last_mut() {
                    // a headline set vertically, one or two characters a line: one line
                    Some(Block::Head(g))
                        if lab == b'h'
                            && tiny(&l.text)
                            && g.last().is_some_and(|x| tiny_run(&x.text, l)) =>
                    {
                        if let Some(x) = g.last_mut() {
                            x.text.push_str(&l.text);
                        }
                    }
                    Some(Block::Head(g)) if lab == b'h' => g.push(h),
                    _ => {
                        group += 1;
                        out.push(Block::Head(vec![HeadLine { group, ..h }]));
                    }
                }
            }
            b'Y' | b'y' => {
                let trailing = lab == b'y';
                match out.last_mut() {
                    Some(Block::Byline {
                        text,
                        last,
                        trailing: t,
                        ..
                    }) if *t == trailing => {
                        *last = i;
                        let short = l.text.chars().count() <= 2
                            && text
                                .rsplit(' ')
                                .next()
                                .is_some_and(|w| w.chars().count() <= 2);
                        if !short {
                            text.push(' ');
                        }
                        text.push_str(&l.text);
                    }
                    _ => out.push(Block::Byline {
                        text: l.text.clone(),
                        line: i,
                        last: i,
                        trailing,
                    }),
                }
            }
            _ => match out.last_mut() {
                Some(Block::Frag(f)) if prev_lab == Some(b'F') => f.push((i, l.text.clone())),
                _ => out.push(Block::Frag(vec![(i, l.text.clone())])),
            },
        }
    }
    cut_datelines(&mut out);
    out
}

struct Art {
    seg: Seg,
    /// the pairs of its lead ([`pair_set`])
    lead: Vec<(char, char)>,
}

/// Body text that follows a headline group (with or without a byline between) starts an
/// article, whichever way the page prints headlines (before: headline, byline, body; after:
/// body, headline, byline, next body); except when the labeller reads it as a paragraph going
/// on (`P`) and the body above the headline is an article's first paragraph alone: that is a
/// lead printed above its own headline (as a PDF's text layer may order a lead set beside the
/// headline), and the text goes on with it. On a page that prints its leads that way, the
/// text under such a group goes on with the lead even when the labeller reads it as an
/// article's start (`A`): a headline that does not name its lead leaves the labeller only the
/// page's habit to go by. The habit: three headline groups at least (with two, one misread
/// lead would make it), and three of four or more with a lead alone as the last body block
/// above them ([`leads_alone`]).
fn starts_after_heads(blocks: &mut [Block], labels: &[u8]) {
    let alone = leads_alone(blocks, labels);
    // the page's habit: of its headline groups (headlines with only bylines between them are
    // one), how many have a lead alone as the last body block above them
    let habit = {
        let (mut groups, mut lone) = (0usize, 0usize);
        let (mut in_group, mut last) = (false, false);
        for (i, b) in blocks.iter().enumerate() {
            match b {
                Block::Head(_) => {
                    if !in_group {
                        groups += 1;
                        lone += last as usize;
                    }
                    in_group = true;
                }
                Block::Para { .. } => {
                    in_group = false;
                    last = alone[i];
                }
                _ => {}
            }
        }
        groups >= 3 && lone * 4 >= groups * 3
    };
    let mut after_head = false;
    // whether the last body block before the headline group opened its article, and whether
    // it is a lead alone
    let (mut lone_lead, mut last_alone) = (false, false);
    for (i, b) in blocks.iter_mut().enumerate() {
        match b {
            Block::Head(_) => after_head = true,
            Block::Para { p, starts, .. } => {
                let label = labels.get(p.line).copied();
                let goes_on = (label == Some(b'P') && lone_lead)
                    || (habit && last_alone && label == Some(b'A'));
                if after_head && !p.subhead {
                    *starts = !goes_on;
                }
                lone_lead = *starts && !p.subhead && label == Some(b'A');
                last_alone = alone[i];
                after_head = false;
            }
            _ => {}
        }
    }
}

/// For each block, whether it is a lead alone: body text the labeller reads as an article's
/// first paragraph (`A`) with no headline or byline right above it.
fn leads_alone(blocks: &[Block], labels: &[u8]) -> Vec<bool> {
    let mut out = vec![false; blocks.len()];
    let mut opened = false;
    for (i, b) in blocks.iter().enumerate() {
        match b {
            Block::Head(_) | Block::Byline { .. } => opened = true,
            Block::Para { p, .. } => {
                out[i] = !opened && !p.subhead && labels.get(p.line) == Some(&b'A');
                opened = false;
            }
            _ => {}
        }
    }
    out
}

/// A headline gathered at the end of the page (with at least one more) whose text matches the
/// start of a paragraph inside an article far better than any article's lead (by half of its
/// character pairs' weight, and at least half of it matched) marks where a missed article
/// begins.
fn split_by_headlines(blocks: &mut [Block], w: &Weights) {
    let para_idx: Vec<usize> = (0..blocks.len())
        .filter(|&b| matches!(&blocks[b], Block::Para { p, .. } if !p.subhead))
        .collect();
    // only headlines with no body text after them (gathered at the end of the page): a
    // headline between articles already marks a start
    let last_para = para_idx.last().copied().unwrap_or(0);
    let heads: Vec<String> = blocks
        .iter()
        .enumerate()
        .filter_map(|(b, blk)| match blk {
            Block::Head(g) if b > last_para => Some(g.iter().map(|h| h.text.as_str()).collect()),
            _ => None,
        })
        .collect();
    // one group alone there is the last article's own headline, printed after it (as print
    // pages do): it marks no other start
    if heads.len() < 2 {
        return;
    }
    // lead text of each paragraph block: it and the next one, up to 300 characters
    let leads: Vec<Vec<(char, char)>> = para_idx
        .iter()
        .enumerate()
        .map(|(k, _)| {
            let mut s = String::new();
            for &b in &para_idx[k..(k + 2).min(para_idx.len())] {
                if let Block::Para { p, .. } = &blocks[b] {
                    s.push_str(&p.text);
                }
            }
            pair_set(&s, 300)
        })
        .collect();
    let mut split = Vec::new();
    for h in &heads {
        let h = w.head(h);
        let mut best_start = 0.0f64;
        let mut best_inner = (0.0f64, None);
        for (k, &b) in para_idx.iter().enumerate() {
            let s = h.sim_set(&leads[k]);
            let Block::Para { starts, .. } = &blocks[b] else {
                continue;
            };
            if *starts || k == 0 {
                best_start = best_start.max(s);
            } else if s > best_inner.0 {
                best_inner = (s, Some(b));
            }
        }
        if let (s, Some(b)) = best_inner {
            if s >= 0.5 && s > best_start + 0.5 {
                split.push(b);
            }
        }
    }
    for b in split {
        if let Block::Para { starts, .. } = &mut blocks[b] {
            *starts = true;
        }
    }
}

/// Build the segments of a page from its labelled lines.
pub fn assemble(lines: &[Line], labels: &[u8]) -> Vec<Seg> {
    assemble_with_habit(lines, labels).0
}

/// How a page prints its headlines, as [`assemble`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Habit {
    /// Headlines before their articles (or no headline between two articles to tell).
    Before,
    /// Headlines after their articles (print-extraction order).
    After,
}

/// A headline set one character a line with the author's name set the same way right under
/// it (as print pages do beside a column) is one run of one-character lines, and where the
/// labeller puts the seam between headline (`H` `h`…) and byline (`Y`…) is a guess from shapes
/// alone: the name's first character taken into the headline, or the headline's last into the
/// name. jieba (its dictionary and its model of unknown words) reads the run as words; when
/// it ends in persons' names ([`super::name_chars_at_end`]: two to four characters in all, or
/// more for several names)
/// and at least two characters are left for the headline, the seam goes before the first of
/// them. Runs the labeller reads as a headline followed by a byline are touched; a run it
/// reads as headline alone only when it is long (six lines or more), stands right over body
/// text or at the page's end, and leaves four characters or more for the headline.
/// Gives the corrected labels when any moved.
fn seat_vertical_names(lines: &[Line], labels: &[u8]) -> Option<Vec<u8>> {
    let single = |i: usize| {
        let mut cs = lines[i].text.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if crate::text::is_han(c))
    };
    let n = lines.len().min(labels.len());
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < n {
        if labels[i] != b'H' || !single(i) {
            i += 1;
            continue;
        }
        // the run: H h… Y…, every line one Han character
        let mut j = i + 1;
        while j < n && labels[j] == b'h' && single(j) {
            j += 1;
        }
        let seam = j;
        while j < n && labels[j] == b'Y' && single(j) {
            j += 1;
        }
        // no byline in the run: only a long run right over body text or at the page's end, its
        // name read by jieba alone, with at least four characters left for the headline
        let bare = j == seam;
        let over_body = || {
            (j..n)
                .find(|&k| !lines[k].is_blank())
                .is_none_or(|k| matches!(labels[k], b'A' | b'P') && !single(k))
        };
        if (bare && (seam - i < 6 || !over_body())) || seam - i < 2 {
            i = j.max(i + 1);
            continue;
        }
        let run: String = (i..j).map(|k| lines[k].text.as_str()).collect();
        let jieba = super::jieba();
        let tags = jieba.tag(&run, true);
        // the names at the end (two authors' names may follow each other)
        let name_len = super::name_chars_at_end(&tags);
        let len = j - i;
        let left = if bare { 4 } else { 2 };
        if name_len >= 2 && len >= name_len + left && i + len - name_len != seam {
            let at = i + len - name_len;
            let fixed = out.get_or_insert_with(|| labels.to_vec());
            for (k, l) in fixed.iter_mut().enumerate().take(j).skip(i + 1) {
                *l = if k < at { b'h' } else { b'Y' };
            }
        }
        i = j;
    }
    out
}

/// A one-line "headline" set tight between a body line that breaks off inside a sentence (it
/// ends in a character, a comma-like mark, an opening quote or bracket, or a closing quote with
/// no sentence end before it; not a closing bracket, as an author's note ends) and a body line under
/// it is a line of that sentence the labeller took for a headline (a short line where a column
/// breaks): it and the line under it continue the paragraph. Gives the corrected labels when
/// any changed.
fn headlines_inside_sentences(lines: &[Line], labels: &[u8]) -> Option<Vec<u8>> {
    let n = lines.len().min(labels.len());
    let mut out: Option<Vec<u8>> = None;
    for i in 1..n.saturating_sub(1) {
        // (blank lines are labelled `-`: the three lines are set tight)
        if labels[i] != b'H'
            || !matches!(labels[i - 1], b'A' | b'P' | b'C')
            || !matches!(labels[i + 1], b'A' | b'P' | b'C')
        {
            continue;
        }
        let above = &lines[i - 1];
        let breaks_off = above.text.trim_end().chars().last().is_some_and(|c| {
            crate::text::is_han(c)
                || matches!(
                    c,
                    '，' | '、' | '；' | '：' | '“' | '‘' | '《' | '（' | '「'
                )
                || matches!(c, '”' | '’' | '」' | '』' | '》') && !ends_sentence(&above.text)
        });
        if breaks_off {
            let fixed = out.get_or_insert_with(|| labels.to_vec());
            fixed[i] = b'C';
            fixed[i + 1] = b'C';
        }
    }
    out
}

/// [`assemble`], and the page's habit of printing headlines before or after their articles.
pub fn assemble_with_habit(lines: &[Line], labels: &[u8]) -> (Vec<Seg>, Habit) {
    let seated = seat_vertical_names(lines, labels);
    let labels = seated.as_deref().unwrap_or(labels);
    let mended = headlines_inside_sentences(lines, labels);
    let labels = mended.as_deref().unwrap_or(labels);
    let mut blocks = blocks(lines, labels);
    starts_after_heads(&mut blocks, labels);
    // the page's bigram weights, over every paragraph (splitting articles changes none)
    let w = Weights::from_texts(blocks.iter().filter_map(|b| match b {
        Block::Para { p, .. } => Some(p.text.as_str()),
        _ => None,
    }));
    split_by_headlines(&mut blocks, &w);
    // articles from body blocks
    let mut arts: Vec<Art> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; blocks.len()];
    for (b, blk) in blocks.iter().enumerate() {
        if let Block::Para { p, starts, credit } = blk {
            if *starts || arts.is_empty() {
                arts.push(Art {
                    seg: Seg {
                        line: p.line,
                        ..Default::default()
                    },
                    lead: Vec::new(),
                });
            }
            let a = arts.last_mut().expect("an article");
            if !credit.is_empty() {
                a.seg.bylines.push((p.line, credit.clone()));
            }
            a.seg.paras.push(p.clone());
            owner[b] = Some(arts.len() - 1);
        }
    }
    for a in &mut arts {
        let mut lead = String::new();
        for p in a.seg.paras.iter().filter(|p| !p.subhead) {
            lead.push_str(&p.text);
            if lead.chars().count() >= 400 {
                break;
            }
        }
        a.lead = pair_set(&lead, 400);
    }
    // neighbours of every block: the article before it and the article after it
    let prev_art = |b: usize| (0..b).rev().find_map(|k| owner[k]);
    let next_art = |b: usize| (b + 1..blocks.len()).find_map(|k| owner[k]);
    // the page's habit: do headlines come before or after their articles?
    let heads: Vec<(usize, HeadPairs)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(b, blk)| match blk {
            Block::Head(g) => Some((
                b,
                w.head(&g.iter().map(|h| h.text.as_str()).collect::<String>()),
            )),
            _ => None,
        })
        .collect();
    let mut vote = 0.0f64;
    for (b, text) in &heads {
        let sp = prev_art(*b).map(|a| text.sim_set(&arts[a].lead));
        let sn = next_art(*b).map(|a| text.sim_set(&arts[a].lead));
        match (sp, sn) {
            (Some(p), Some(n)) => vote += (n - p).clamp(-1.0, 1.0),
            (None, Some(_)) => vote += 0.5,
            (Some(_), None) => vote -= 0.25,
            _ => {}
        }
    }
    let before = vote >= 0.0;
    let habit = if before { Habit::Before } else { Habit::After };
    // assign each headline group an article; an article takes one group (the best)
    let mut head_of: Vec<Option<(usize, f64)>> = vec![None; arts.len()];
    let mut head_target: HashMap<usize, usize> = HashMap::default();
    let mut cands: Vec<(f64, usize, usize)> = Vec::new(); // (score, head block, article)
    for (b, text) in &heads {
        let p = prev_art(*b);
        let n = next_art(*b);
        let (near, far) = if before { (n, p) } else { (p, n) };
        for (a, prior) in [(near, 0.35), (far, 0.0)] {
            if let Some(a) = a {
                cands.push((text.sim_set(&arts[a].lead) + prior, *b, a));
            }
        }
        // past the last article (headlines gathered at the end): any article
        if n.is_none() {
            for (a, art) in arts.iter().enumerate() {
                if Some(a) != p {
                    cands.push((text.sim_set(&art.lead), *b, a));
                }
            }
        }
    }
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    // two groups with nothing but bylines between them are one headline printed in two
    // pieces (a title and its subtitle set apart by a blank line)
    let adjacent = |x: usize, y: usize| {
        let (lo, hi) = (x.min(y), x.max(y));
        (lo + 1..hi).all(|k| matches!(blocks[k], Block::Byline { .. }))
    };
    // headlines gathered past the last article
    let gathered: Vec<usize> = heads
        .iter()
        .map(|(b, _)| *b)
        .filter(|&b| next_art(b).is_none())
        .collect();
    for (s, b, a) in cands {
        if head_target.contains_key(&b) || s < 0.2 {
            continue;
        }
        match head_of[a] {
            None => {
                head_target.insert(b, a);
                head_of[a] = Some((b, s));
            }
            // (a gathered one is first given a chance of an article of its own, below)
            Some((b2, _)) if adjacent(b, b2) && !gathered.contains(&b) => {
                head_target.insert(b, a);
            }
            Some(_) => {}
        }
    }
    // gathered headlines are printed in the order of their articles: one no article took by
    // content goes to the first article without a headline between the articles of the
    // gathered headlines taken before and after it; failing that, with a group next to it
    // that an article took (one headline printed in two pieces), as on the rest of the page
    for (i, &b) in gathered.iter().enumerate() {
        if head_target.contains_key(&b) {
            continue;
        }
        let lo = gathered[..i]
            .iter()
            .rev()
            .find_map(|g| head_target.get(g).copied());
        let hi = gathered[i + 1..]
            .iter()
            .find_map(|g| head_target.get(g).copied())
            .unwrap_or(arts.len());
        let from = lo.map_or(0, |a| a + 1);
        if let Some(a) = (from..hi.min(arts.len())).find(|&a| head_of[a].is_none()) {
            head_target.insert(b, a);
            head_of[a] = Some((b, 0.0));
        }
    }
    for &b in &gathered {
        if head_target.contains_key(&b) {
            continue;
        }
        let piece_of = gathered
            .iter()
            .filter(|&&g| g != b && adjacent(b, g))
            .find_map(|g| head_target.get(g).copied());
        if let Some(a) = piece_of {
            head_target.insert(b, a);
        }
    }
    for (b, _) in &heads {
        if !head_target.contains_key(b) {
            // no article would take it: the nearest one without a headline, else a fragment
            let (near, far) = if before {
                (next_art(*b), prev_art(*b))
            } else {
                (prev_art(*b), next_art(*b))
            };
            // (left unassigned, it becomes a fragment below)
            if let Some(a) = [near, far]
                .into_iter()
                .flatten()
                .find(|a| head_of[*a].is_none())
            {
                head_target.insert(*b, a);
                head_of[a] = Some((*b, 0.0));
            }
        }
    }
    // bylines: with the headline group next to them, else before/after by their kind
    let leads_with_byline = blocks
        .iter()
        .find(|b| !matches!(b, Block::Frag(_)))
        .is_some_and(|b| matches!(b, Block::Byline { .. }));
    // a blank line between two lines of the page
    let apart = |a: usize, b: usize| (a + 1..b).any(|k| lines.get(k).is_some_and(|l| l.is_blank()));
    let mut byline_target: HashMap<usize, usize> = HashMap::default();
    for (b, blk) in blocks.iter().enumerate() {
        let Block::Byline {
            trailing,
            line,
            last,
            ..
        } = blk
        else {
            continue;
        };
        let head_before = b.checked_sub(1).and_then(|k| head_target.get(&k).copied());
        let head_after = head_target.get(&(b + 1)).copied();
        // between a headline group above and a body below, a byline set close to one and
        // apart from the other goes with that one (the page's layout says so, whatever its
        // habit)
        let closer = match (b.checked_sub(1).map(|k| &blocks[k]), blocks.get(b + 1)) {
            (Some(Block::Head(g)), Some(Block::Para { p, .. })) => {
                let above = g.last().is_some_and(|h| apart(h.line, *line));
                let below = apart(*last, p.line);
                match (above, below) {
                    (true, false) => next_art(b),
                    (false, true) => head_before,
                    _ => None,
                }
            }
            _ => None,
        };
        // between an article's body and a headline that has a byline of its own right under
        // it, a byline goes with neither: an orphan (a credit left over, or the article
        // above's said again)
        let orphan = !*trailing
            && b > 0
            && matches!(blocks[b - 1], Block::Para { .. })
            && matches!(blocks.get(b + 1), Some(Block::Head(_)))
            && matches!(
                blocks.get(b + 2),
                Some(Block::Byline {
                    trailing: false,
                    ..
                })
            );
        let target = if orphan {
            None
        } else if *trailing {
            prev_art(b).or(next_art(b))
        } else if let Some(a) = head_after {
            Some(a)
        } else if let Some(a) = closer {
            Some(a)
        } else if let (Some(a), false) = (head_before, leads_with_byline) {
            Some(a)
        } else {
            next_art(b).or(prev_art(b))
        };
        if let Some(a) = target {
            byline_target.insert(b, a);
        }
    }
    // put it together
    let mut frags: Vec<Seg> = Vec::new();
    for (b, blk) in blocks.into_iter().enumerate() {
        match blk {
            Block::Head(g) => match head_target.get(&b) {
                Some(&a) => arts[a].seg.heads.extend(g),
                None => frags.push(Seg {
                    line: g.first().map(|h| h.line).unwrap_or(0),
                    heads: g,
                    fragment: true,
                    ..Default::default()
                }),
            },
            Block::Byline { text, line, .. } => match byline_target.get(&b) {
                Some(&a) => arts[a].seg.bylines.push((line, text)),
                None => frags.push(Seg {
                    line,
                    paras: vec![BodyPara {
                        text,
                        line,
                        ..Default::default()
                    }],
                    fragment: true,
                    ..Default::default()
                }),
            },
            Block::Frag(ls) => {
                let line = ls.first().map(|x| x.0).unwrap_or(0);
                frags.push(Seg {
                    line,
                    paras: ls
                        .into_iter()
                        .map(|(line, text)| BodyPara {
                            terminal: ends_sentence(&text),
                            text,
                            line,
                            ..Default::default()
                        })
                        .collect(),
                    fragment: true,
                    ..Default::default()
                });
            }
            Block::Para { .. } => {}
        }
    }
    let mut segs: Vec<Seg> = arts
        .into_iter()
        .map(|mut a| {
            for p in &mut a.seg.paras {
                p.terminal = ends_sentence(&p.text);
            }
            a.seg.heads.sort_by_key(|h| h.line);
            a.seg.bylines.sort_by_key(|b| b.0);
            a.seg
        })
        .collect();
    segs.extend(frags);
    segs.sort_by_key(|s| s.order_line());
    (segs, habit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::lines::classify;

    /// A vertical headline and a vertical name under it, with the labeller's seam `seam`
    /// characters into the run: the page's lines and labels.
    fn vertical(head: &str, name: &str, seam: usize) -> (Vec<Line>, Vec<u8>) {
        let mut text = String::from("正文最后一句话在这里结束了。\n");
        let mut labels = vec![b'C'];
        for (k, c) in head.chars().chain(name.chars()).enumerate() {
            text.push(c);
            text.push('\n');
            labels.push(match k {
                0 => b'H',
                _ if k < seam => b'h',
                _ => b'Y',
            });
        }
        text.push_str("下一篇文章从这里开始说起。");
        labels.push(b'A');
        let lines = classify(&text);
        assert_eq!(lines.len(), labels.len(), "one line each");
        (lines, labels)
    }

    #[test]
    fn a_vertical_name_is_seated_where_jieba_reads_a_name() {
        for (seam, moved) in [(8, true), (6, true), (7, false)] {
            let (lines, labels) = vertical("春风吹绿江南岸", "王小明", seam);
            let fixed = seat_vertical_names(&lines, &labels);
            assert_eq!(fixed.is_some(), moved, "seam {seam}");
            let labels = fixed.unwrap_or(labels);
            assert_eq!(&labels, b"CHhhhhhhYYYA", "seam {seam}");
            let segs = assemble(&lines, &labels);
            let heads: Vec<&str> = segs
                .iter()
                .flat_map(|s| s.heads.iter().map(|h| h.text.as_str()))
                .collect();
            assert_eq!(heads.concat(), "春风吹绿江南岸", "seam {seam}");
            let names: String = segs
                .iter()
                .flat_map(|s| s.bylines.iter().map(|b| b.1.replace(' ', "")))
                .collect();
            assert_eq!(names, "王小明", "seam {seam}");
        }
        // two names in a row: the seam goes before the first
        let (lines, labels) = vertical("春风吹绿江南岸", "王小明李华", 9);
        let fixed = seat_vertical_names(&lines, &labels).expect("moved");
        assert_eq!(&fixed, b"CHhhhhhhYYYYYA");
    }

    #[test]
    fn a_vertical_run_without_a_name_at_its_end_is_left_alone() {
        // no person's name at the end of the run: the labeller's seam stays
        let (lines, labels) = vertical("春风吹绿江南", "岸", 6);
        assert_eq!(seat_vertical_names(&lines, &labels), None);
        // a run with no byline in it over a headline of its own (not body text) is not touched
        let (lines, mut labels) = vertical("春风吹绿江南岸王小明", "", 99);
        *labels.last_mut().unwrap() = b'H';
        assert_eq!(seat_vertical_names(&lines, &labels), None);
        // nor one too short to leave four characters of headline before a name
        let (lines, labels) = vertical("春风吹王小明", "", 99);
        assert_eq!(seat_vertical_names(&lines, &labels), None);
    }

    #[test]
    fn a_vertical_name_the_labeller_took_into_the_headline_is_seated_over_body_text() {
        // the whole run read as headline (`H` `h`…), right over the next article's body
        let (lines, labels) = vertical("春风吹绿江南岸王小明", "", 99);
        let fixed = seat_vertical_names(&lines, &labels).expect("moved");
        assert_eq!(&fixed, b"CHhhhhhhYYYA");
        // and at the end of the page (print order: the headline after its article)
        let (mut lines, mut labels) = vertical("春风吹绿江南岸王小明", "", 99);
        lines.pop();
        labels.pop();
        let fixed = seat_vertical_names(&lines, &labels).expect("moved");
        assert_eq!(&fixed, b"CHhhhhhhYYY");
    }

    fn run(page: &[(&str, u8)]) -> Vec<Seg> {
        let text: String = page.iter().map(|(t, _)| format!("{t}\n")).collect();
        let lines = classify(&text);
        let mut labels: Vec<u8> = page.iter().map(|(_, l)| *l).collect();
        labels.resize(lines.len(), b'-');
        assemble(&lines, &labels)
    }

    /// The titles of a labelled page's articles, in order (fragments left out).
    fn article_titles(page: &[(&str, u8)]) -> Vec<String> {
        run(page)
            .iter()
            .filter(|s| !s.fragment)
            .map(title)
            .collect()
    }

    fn title(s: &Seg) -> String {
        s.heads
            .iter()
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>()
            .join("|")
    }

    const BODY1: &[(&str, u8)] = &[
        ("河畔街道的居民议事会今年", b'A'),
        ("共收到花园改造提案四十余份。", b'C'),
        ("花园建成后，孩子们放学都", b'P'),
        ("愿意在这里玩耍。", b'C'),
    ];
    const BODY2: &[(&str, u8)] = &[
        ("市图书馆自下月起延长夜间", b'A'),
        ("开放时间，方便读者自习。", b'C'),
    ];

    #[test]
    fn a_dateline_broken_over_two_lines_is_cut_with_its_credit() {
        let mut page: Vec<(&str, u8)> = vec![
            ("河畔花园开放", b'H'),
            ("本报河畔3月5日电（记", b'A'),
            ("者 林岚）河畔街道的居民议事会", b'C'),
            ("今年共收到提案四十余份。", b'C'),
        ];
        page.extend(BODY2.iter().copied());
        let segs = run(&page);
        assert_eq!(segs.len(), 2, "{segs:?}");
        let a = &segs[0];
        assert_eq!(a.paras[0].dateline, "本报河畔3月5日电");
        assert_eq!(a.bylines, vec![(1, "记者 林岚".to_string())]);
        assert!(
            a.paras[0].text.starts_with("河畔街道"),
            "{:?}",
            a.paras[0].text
        );
        // and on one line, as before
        let segs = run(&[
            ("本报讯（记者 林岚）河畔街道的居民议事会", b'A'),
            ("今年共收到提案。", b'C'),
        ]);
        assert_eq!(segs[0].bylines, vec![(0, "记者 林岚".to_string())]);
        assert_eq!(
            segs[0].paras[0].text,
            "河畔街道的居民议事会今年共收到提案。"
        );
    }

    #[test]
    fn a_byline_between_a_headline_and_a_body_goes_with_the_one_it_is_set_close_to() {
        // headlines after their articles; the name under the second headline is set apart
        // from it by a blank line and right above the next body: the next article's byline
        // (the other way round, it is the article above's)
        for (apart_above, next_gets_it) in [(true, true), (false, false)] {
            let mut page: Vec<(&str, u8)> = BODY1.to_vec();
            page.push(("河畔花园议事会", b'H'));
            page.push(("", b'-'));
            page.push(("林岚", b'Y'));
            page.extend(BODY2.iter().copied());
            page.push(("", b'-'));
            page.push(("图书馆延长夜间开放时间", b'H'));
            if !apart_above {
                // the blank line moves from above the name to below it
                page.remove(BODY1.len() + 1);
                page.insert(BODY1.len() + 2, ("", b'-'));
            }
            let segs = run(&page);
            let arts: Vec<&Seg> = segs.iter().filter(|s| !s.fragment).collect();
            assert_eq!(arts.len(), 2, "{segs:?}");
            let names: Vec<Vec<&str>> = arts
                .iter()
                .map(|a| a.bylines.iter().map(|b| b.1.as_str()).collect())
                .collect();
            let want: Vec<Vec<&str>> = if next_gets_it {
                vec![vec![], vec!["林岚"]]
            } else {
                vec![vec!["林岚"], vec![]]
            };
            assert_eq!(names, want, "name set apart above: {apart_above}");
            assert_eq!(title(arts[0]), "河畔花园议事会");
            assert_eq!(title(arts[1]), "图书馆延长夜间开放时间");
        }
    }

    #[test]
    fn print_order_headline_and_name_after_the_body_go_with_the_article_above() {
        let mut page: Vec<(&str, u8)> = BODY1.to_vec();
        page.push(("（作者为河畔大学教授）", b'P'));
        for (k, c) in ["花", "园", "议", "事"].into_iter().enumerate() {
            page.push((c, if k == 0 { b'H' } else { b'h' }));
        }
        page.extend([("林", b'Y'), ("岚", b'Y')]);
        page.extend(BODY2.iter().copied());
        page.push(("图书馆延长夜间开放时间", b'H'));
        page.push(("陈默", b'Y'));
        let segs = run(&page);
        let arts: Vec<&Seg> = segs.iter().filter(|s| !s.fragment).collect();
        assert_eq!(arts.len(), 2, "{segs:#?}");
        assert_eq!(
            title(arts[0]),
            "花园议事",
            "a vertical headline is one line"
        );
        assert_eq!(
            arts[0].bylines[0].1, "林岚",
            "a name split over lines is one name"
        );
        assert_eq!(arts[0].paras.len(), 3);
        assert!(arts[0].paras[0]
            .text
            .starts_with("河畔街道的居民议事会今年共收到"));
        assert_eq!(title(arts[1]), "图书馆延长夜间开放时间");
        assert_eq!(arts[1].bylines[0].1, "陈默");
    }

    #[test]
    fn headlines_before_their_articles_go_with_the_article_below() {
        let mut page: Vec<(&str, u8)> =
            vec![("河畔新村建起共享花园", b'H'), ("本报记者 林晓岚", b'Y')];
        page.extend(BODY1.iter().copied());
        page.push(("市图书馆延长夜间开放", b'H'));
        page.extend(BODY2.iter().copied());
        let segs = run(&page);
        let arts: Vec<&Seg> = segs.iter().filter(|s| !s.fragment).collect();
        assert_eq!(arts.len(), 2, "{segs:#?}");
        assert_eq!(title(arts[0]), "河畔新村建起共享花园");
        assert!(arts[0].bylines[0].1.contains("林晓岚"));
        assert_eq!(title(arts[1]), "市图书馆延长夜间开放");
    }

    #[test]
    fn a_byline_above_a_headline_with_its_own_byline_is_an_orphan() {
        let mut page: Vec<(&str, u8)> =
            vec![("河畔新村建起共享花园", b'H'), ("本报记者 林晓岚", b'Y')];
        page.extend(BODY1.iter().copied());
        page.extend([
            ("■记者 钱丽", b'Y'),
            ("市图书馆延长夜间开放", b'H'),
            ("■记者 吴晓峰", b'Y'),
        ]);
        page.extend(BODY2.iter().copied());
        let segs = run(&page);
        let arts: Vec<&Seg> = segs.iter().filter(|s| !s.fragment).collect();
        assert_eq!(arts.len(), 2, "{segs:#?}");
        let bylines = |a: &Seg| a.bylines.iter().map(|b| b.1.clone()).collect::<Vec<_>>();
        assert_eq!(bylines(arts[1]), ["记者 吴晓峰"], "{segs:#?}");
        assert!(
            !bylines(arts[0]).iter().any(|b| b.contains("钱丽")),
            "{segs:#?}"
        );
        assert!(segs
            .iter()
            .any(|s| s.fragment && s.paras.iter().any(|p| p.text.contains("钱丽"))));
        // without a byline under the headline, the one above it is the headline's
        page.retain(|(t, _)| !t.contains("吴晓峰"));
        let segs = run(&page);
        let arts: Vec<&Seg> = segs.iter().filter(|s| !s.fragment).collect();
        assert_eq!(bylines(arts[1]), ["记者 钱丽"], "{segs:#?}");
    }

    #[test]
    fn a_lead_printed_above_its_own_headline_stays_with_its_article() {
        // lead, headline and byline, then the article goes on (`P`): one article
        let mut page: Vec<(&str, u8)> = vec![
            ("河畔街道的居民议事会今年", b'A'),
            ("共收到花园改造提案四十余份。", b'C'),
            ("河畔新村建起共享花园", b'H'),
            ("本报记者 林晓岚", b'Y'),
            ("花园建成后，孩子们放学都", b'P'),
            ("愿意在这里玩耍。", b'C'),
        ];
        let arts = run(&page);
        assert_eq!(arts.len(), 1, "{arts:#?}");
        assert_eq!(title(&arts[0]), "河畔新村建起共享花园");
        assert_eq!(arts[0].paras.len(), 2);
        // the same lines with the text under the headline starting an article (`A`): two
        page[4].1 = b'A';
        assert_eq!(run(&page).len(), 2);
        // and after an article of two paragraphs, the headline's text starts one even when
        // labelled `P` (a headline printed after its article: body, headline, next body)
        let mut page: Vec<(&str, u8)> = BODY1.to_vec();
        page.extend([
            ("河畔新村建起共享花园", b'H'),
            ("市图书馆自下月起延长夜间", b'P'),
        ]);
        page.push(("开放时间，方便读者自习。", b'C'));
        assert_eq!(run(&page).len(), 2);
    }

    /// A page that prints every lead above its headline: the text under each headline goes on
    /// with the lead above it even where the labeller reads it as an article's start; with
    /// two such articles only, or one lead alone above four headlines, it starts one.
    #[test]
    fn on_a_page_of_leads_above_headlines_the_text_under_each_goes_on_with_its_lead() {
        let page: Vec<(&str, u8)> = vec![
            ("河畔街道的居民议事会今年", b'A'),
            ("共收到花园改造提案四十余份。", b'C'),
            ("河畔新村建起共享花园", b'H'),
            ("本报记者 林晓岚", b'Y'),
            ("花园建成后，孩子们放学都", b'A'),
            ("愿意在这里玩耍。", b'C'),
            ("市图书馆自下月起延长夜间", b'A'),
            ("开放时间，方便读者自习。", b'C'),
            ("夜读有了新去处", b'H'),
            ("读者可以通过小程序预约", b'A'),
            ("座位，每晚开放到十点。", b'C'),
            ("老城区的公交线路本月调整，", b'A'),
            ("三条线路延伸到新区。", b'C'),
            ("出行更方便", b'H'),
            ("调整后，新区居民到老城", b'A'),
            ("只需换乘一次。", b'C'),
        ];
        let arts: Vec<Seg> = run(&page).into_iter().filter(|s| !s.fragment).collect();
        assert_eq!(arts.len(), 3, "{arts:#?}");
        assert_eq!(title(&arts[0]), "河畔新村建起共享花园");
        assert_eq!(title(&arts[1]), "夜读有了新去处");
        assert_eq!(title(&arts[2]), "出行更方便");
        assert!(arts.iter().all(|a| a.paras.len() == 2), "{arts:#?}");
        assert!(arts[1].paras[0].text.starts_with("市图书馆"), "{arts:#?}");
        assert!(arts[1].paras[1].text.starts_with("读者可以"), "{arts:#?}");
        // two such articles only: one lead misread would make the habit, so each text under
        // a headline read as a start starts an article
        let two = &page[..11];
        let arts: Vec<Seg> = run(two).into_iter().filter(|s| !s.fragment).collect();
        assert_eq!(arts.len(), 4, "{arts:#?}");
        // the second lead set under a headline of its own: one group of four has a lead
        // alone above it, not a habit
        let mut page = page;
        page.insert(6, ("图书馆延长开放", b'H'));
        let arts: Vec<Seg> = run(&page).into_iter().filter(|s| !s.fragment).collect();
        assert_eq!(arts.len(), 6, "{arts:#?}");
    }

    /// Headlines gathered at the end of a page, one a line after a blank line each.
    fn gather<'a>(page: &mut Vec<(&'a str, u8)>, heads: &[&'a str]) {
        for h in heads {
            page.extend([("", b'-'), (*h, b'H')]);
        }
    }

    #[test]
    fn headlines_gathered_at_the_end_go_to_the_articles_they_match() {
        let mut page: Vec<(&str, u8)> = BODY1.to_vec();
        page.extend(BODY2.iter().copied());
        gather(&mut page, &["图书馆夜间开放", "居民议事会改造花园"]);
        assert_eq!(
            article_titles(&page),
            ["居民议事会改造花园", "图书馆夜间开放"]
        );
    }

    #[test]
    fn gathered_headlines_no_article_matches_keep_the_articles_order() {
        // three articles, their headlines gathered at the end in the same order; the middle
        // one says nothing its article says (a rubric-like title): it goes to the article
        // between the two that the others matched, not to the last one nor to a fragment
        let mut page: Vec<(&str, u8)> = BODY1.to_vec();
        page.extend([
            ("老城区的公交线路本月调整，", b'A'),
            ("新增三条社区接驳线。", b'C'),
        ]);
        page.extend(BODY2.iter().copied());
        gather(
            &mut page,
            &["居民议事会改造花园", "本地快讯", "图书馆夜间开放"],
        );
        assert_eq!(
            article_titles(&page),
            ["居民议事会改造花园", "本地快讯", "图书馆夜间开放"]
        );
    }

    #[test]
    fn only_a_block_of_gathered_headlines_splits_an_article_where_one_matches() {
        // an article whose third paragraph starts what a headline says (and its lead does not)
        let head = "老城区公交线路本月调整";
        let body: &[(&str, u8)] = &[
            ("河畔街道的居民议事会今年", b'A'),
            ("共收到花园改造提案四十余份。", b'C'),
            ("花园建成后，孩子们放学都", b'P'),
            ("愿意在这里玩耍。", b'C'),
            ("老城区的公交线路本月调整，", b'P'),
            ("新增三条社区接驳线。", b'C'),
        ];
        // alone after the last article (print order: the article's own headline, after it)
        let mut page: Vec<(&str, u8)> = body.to_vec();
        page.extend([("", b'-'), (head, b'H'), ("林岚", b'Y')]);
        assert_eq!(article_titles(&page), [head]);
        // one of several gathered at the end of the page: where a missed article starts
        let mut page: Vec<(&str, u8)> = body.to_vec();
        page.extend(BODY2.iter().copied());
        gather(&mut page, &["居民议事会改造花园", head, "图书馆夜间开放"]);
        assert_eq!(
            article_titles(&page),
            ["居民议事会改造花园", head, "图书馆夜间开放"]
        );
    }

    #[test]
    fn a_short_line_inside_a_sentence_taken_for_a_headline_stays_in_its_paragraph() {
        // a column breaks "……从“站起来”" / "“富起来”走向" / "“强起来”……": the middle line
        // labelled a headline and the next an article's start
        let mut page: Vec<(&str, u8)> = BODY1.to_vec();
        page.extend([
            ("随着河畔街道从“建起来”", b'P'),
            ("“用起来”走向", b'H'),
            ("“管起来”，居民议事会功不可没。", b'A'),
        ]);
        let segs = run(&page);
        let arts: Vec<&Seg> = segs.iter().filter(|s| !s.fragment).collect();
        assert_eq!(arts.len(), 1, "{segs:#?}");
        assert!(arts[0].heads.is_empty(), "{segs:#?}");
        assert!(arts[0]
            .paras
            .iter()
            .any(|p| p.text.contains("“建起来”“用起来”走向“管起来”")));
        // the same line after a sentence's end (or an author's note) is a headline
        for above in ["花园建成了。", "（作者为河畔大学教授）"] {
            let mut page: Vec<(&str, u8)> = BODY1.to_vec();
            page.extend([(above, b'P'), ("“用起来”走向", b'H')]);
            page.extend(BODY2.iter().copied());
            assert_eq!(
                run(&page).iter().filter(|s| !s.fragment).count(),
                2,
                "after {above}"
            );
        }
    }

    #[test]
    fn every_character_is_kept_whatever_the_labels() {
        let mut page: Vec<(&str, u8)> = BODY1.to_vec();
        page.extend([
            ("阅读提示", b'F'),
            ("两行", b's'),
            ("Ingrid", b'C'),
            ("Halvorsen", b'C'),
            ("孤立", b'y'),
        ]);
        page.extend(BODY2.iter().copied());
        let text: String = page.iter().map(|(t, _)| format!("{t}\n")).collect();
        let segs = run(&page);
        let mut got = String::new();
        for s in &segs {
            for h in &s.heads {
                got.push_str(&h.text);
            }
            for p in &s.paras {
                got.push_str(&p.dateline);
                got.push_str(&p.text);
            }
            for b in &s.bylines {
                got.push_str(&b.1);
            }
        }
        let count = |s: &str| crate::layout::content_counts(std::iter::once(s));
        assert_eq!(count(&got), count(&text));
        assert!(
            got.contains("Ingrid Halvorsen"),
            "Latin words joined with a space"
        );
    }
}
