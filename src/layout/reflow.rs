//! Reflow: decide which text lines are headings and join the rest into paragraphs, across the
//! breaks the page's columns made (also across blank lines and across boxes set in the middle
//! of a sentence). The result is a flat list of units in page order.

use super::lines::{column_widths, is_inline_caption, is_person_line, Line, LineKind, LONG_MODE};
use crate::text::{ends_sentence, is_han, GAP_MARK};
use regex::Regex;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    Para(Para),
    /// A heading line; `md` is its Markdown level (0 when recognised from layout).
    Head {
        text: String,
        line: usize,
        chunk: usize,
        md: u8,
    },
    Byline {
        text: String,
        line: usize,
        trailing: bool,
    },
    Credit {
        text: String,
        line: usize,
    },
    /// A box (阅读提示…): its label and text, kept out of the article flow.
    Box {
        label: String,
        paras: Vec<String>,
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Para {
    pub text: String,
    pub line: usize,
    pub last_line: usize,
    /// Ends a sentence.
    pub terminal: bool,
    /// Dateline prefix (本报讯…) cut from the start of the text, and the credit in its brackets.
    pub dateline: String,
    pub dateline_byline: String,
    /// The exact text cut off as the dateline (restored when the paragraph is not an article's).
    pub dateline_raw: String,
    /// Lines joined across blank lines / lines joined directly (layout style of the block).
    pub joins_blank: u32,
    pub joins_tight: u32,
}

impl Unit {
    pub fn line(&self) -> usize {
        match self {
            Unit::Para(p) => p.line,
            Unit::Head { line, .. }
            | Unit::Byline { line, .. }
            | Unit::Credit { line, .. }
            | Unit::Box { line, .. } => *line,
        }
    }
}

/// Characters a headline does not end with (function words): a line ending with one of them,
/// standing as a word of its own (与 but not 参与), continues on the next line.
fn ends_with_function_char(s: &str) -> bool {
    if !ends_with_function_char_raw(s) {
        return false;
    }
    let tail: String = s
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let words = crate::layout::jieba().cut(&tail, false);
    words.last().is_none_or(|w| w.word.chars().count() == 1)
}

fn ends_with_function_char_raw(s: &str) -> bool {
    matches!(
        s.chars().last(),
        Some(
            '的' | '了'
                | '在'
                | '和'
                | '与'
                | '及'
                | '以'
                | '将'
                | '对'
                | '为'
                | '把'
                | '被'
                | '从'
                | '向'
                | '并'
                | '而'
                | '或'
                | '其'
                | '之'
                | '于'
                | '让'
                | '使'
                | '给'
                | '是'
                | '等'
                | '由'
                | '经'
                | '就'
                | '都'
                | '也'
                | '还'
                | '又'
                | '所'
                | '着'
                | '过'
                | '到'
        )
    )
}

/// A line that ends as a paragraph does though it ends in a parenthesis: a sentence and a note
/// after it (`…合作与交流。（编辑：李睿）`, `…。（完）`), or the end of a note opened on the line
/// above (`常浩博、许冰娜）` under `…祝福。（责编：`). No headline has either shape.
fn ends_in_a_note(s: &str) -> bool {
    let Some(last) = s.chars().last() else {
        return false;
    };
    if !matches!(last, '）' | ')') {
        return false;
    }
    let opened = s.chars().filter(|c| matches!(c, '（' | '(')).count();
    let closed = s.chars().filter(|c| matches!(c, '）' | ')')).count();
    if closed > opened {
        return true;
    }
    s.rfind(['（', '('])
        .and_then(|k| s[..k].chars().last())
        .is_some_and(crate::text::is_sentence_end)
}

fn ends_soft(s: &str) -> bool {
    matches!(
        s.chars().last(),
        Some(
            '，' | '、'
                | '；'
                | ','
                | ';'
                | '“'
                | '《'
                | '（'
                | '('
                | '「'
                | '『'
                | '‘'
                | '·'
                | '-'
                | '/'
        )
    )
}

/// Does a dictionary word span the join of `a` and `b`? Then `b` continues `a`. Both analyses
/// ask it of the same pairs of lines, so the last answers are kept (per thread, in a table of
/// [`JOINS_KEPT`] slots).
pub fn word_spans_join(a: &str, b: &str) -> bool {
    // the last three characters of `a` from the first Han among them, the first Han run of
    // `b` (up to three); both must meet at Han characters
    let mut last = ['\0'; 3];
    let mut n = 0;
    for c in a.chars().rev().take(3) {
        last[n] = c;
        n += 1;
    }
    last[..n].reverse();
    let tail: &[char] = match last[..n].iter().position(|&c| is_han(c)) {
        Some(from) => &last[from..n],
        None => &[],
    };
    let mut first = ['\0'; 3];
    let mut m = 0;
    for c in b.chars().take(3).take_while(|&c| is_han(c)) {
        first[m] = c;
        m += 1;
    }
    let head = &first[..m];
    if !tail.last().is_some_and(|&c| is_han(c)) || head.is_empty() {
        return false;
    }
    /// the join's last characters (padded), its first ones, how many of the last ones
    type Join = ([char; 3], [char; 3], u8);
    thread_local! {
        static LAST: crate::layout::Recent<Join, bool> =
            std::cell::RefCell::new(vec![None; JOINS_KEPT]);
    }
    let mut key_tail = ['\0'; 3];
    key_tail[..tail.len()].copy_from_slice(tail);
    let key: Join = (key_tail, first, tail.len() as u8);
    crate::layout::recent(&LAST, &key, || cut_spans(tail, head))
}

/// How many answers of [`word_spans_join`] a thread keeps: the labeller asks about every join
/// of a page, the rules then about some of the same (one table of 100,000, which also kept
/// joins of earlier pages, made new pages slower).
const JOINS_KEPT: usize = 1024;

/// Whether jieba's cut of `tail` and `head` together has a word across the two.
fn cut_spans(tail: &[char], head: &[char]) -> bool {
    let joined: String = tail.iter().chain(head).collect();
    let cut_at: usize = tail.iter().map(|c| c.len_utf8()).sum();
    let mut pos = 0;
    for w in crate::layout::jieba().cut(&joined, false) {
        let end = pos + w.word.len();
        if pos < cut_at && end > cut_at && w.word.chars().count() >= 2 {
            return true;
        }
        pos = end;
    }
    false
}

/// The forms of a dateline [`split_dateline`] reads.
fn dateline_regex() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"^(本报讯|\p{Han}{2,6}[报网]讯|本报[\p{Han}\d]{0,12}电|本报\p{Han}{0,6}\d{1,2}月\d{1,2}日讯|新华社[\p{Han}\d]{0,14}电|中新社[\p{Han}\d]{0,14}电|\p{Han}{1,5}[网社台]\p{Han}{0,6}\d{1,2}月\d{1,2}日(?:电|消息))\s*(?:[（(]([^（()）]{0,60})[）)]|((?:记者|通讯员)[^，。；：:（()）]{1,40}?)报道[：:])?\s*",
        )
        .expect("valid regex")
    })
}

/// Dateline at the start of a paragraph: 本报讯（记者 X）, another paper's or site's …报讯
/// or …网讯, 本报北京11月18日电, 新华社…电, a news site's, agency's or station's
/// …网北京11月18日电, …社北京11月18日电 or …日消息, 本报…讯 记者X报道：. Returns the dateline, its
/// credit (in parentheses or `记者…报道：`; empty when it has none) and where the text after
/// them begins.
pub fn split_dateline(s: &str) -> Option<(String, String, usize)> {
    // every form below starts with 本报, 新华社 or 中新社, or has 报讯 or 网讯 within its first
    // eight characters, or 网, 社 or 台 as its second to sixth character and a digit soon after
    // (a date): most lines have none of that (社会, 电视台…), and are answered without the regex
    let early = || {
        let mut prev = ' ';
        let mut agency = false;
        for (i, c) in s.chars().take(14).enumerate() {
            if i < 8 && c == '讯' && matches!(prev, '报' | '网') {
                return true;
            }
            if (1..6).contains(&i) && matches!(c, '网' | '社' | '台') {
                agency = true;
            }
            // (any digit the regex's \d takes: full-width ones too)
            if agency && c.is_numeric() {
                return true;
            }
            prev = c;
        }
        false
    };
    if !(s.starts_with("本报") || s.starts_with("新华社") || s.starts_with("中新社") || early())
    {
        return None;
    }
    dateline_of(s)
}

/// [`split_dateline`] without the early answer.
fn dateline_of(s: &str) -> Option<(String, String, usize)> {
    let r = dateline_regex();
    let c = r.captures(s)?;
    let whole = c.get(0)?.end();
    // another paper's or site's 讯 is set apart from the text (河畔报讯 今天, 河畔报讯（记者…）):
    // 接到报讯后 is a sentence
    let dl = &c[1];
    if dl.ends_with('讯')
        && !dl.starts_with("本报")
        && !s[dl.len()..].starts_with(char::is_whitespace)
        && !s[dl.len()..].starts_with(['（', '('])
    {
        return None;
    }
    // the credit in parentheses, or said before the text (`记者…报道：`)
    let credit = c
        .get(2)
        .or_else(|| c.get(3))
        .map(|m| m.as_str().trim().to_string())
        .unwrap_or_default();
    Some((c[1].to_string(), credit, whole))
}

impl Para {
    /// A dateline cut off the first line without its credit, as the line broke inside it
    /// (`本报兰州2月17日电（记` / `者 史宁兰）……`): cut again off the whole paragraph.
    fn recut_dateline(&mut self) {
        if self.dateline.is_empty() || !self.dateline_byline.is_empty() {
            return;
        }
        let whole = format!("{}{}", self.dateline_raw, self.text);
        if let Some((dl, credit, end)) = split_dateline(&whole) {
            if !credit.is_empty() && end < whole.len() && end > self.dateline_raw.len() {
                self.dateline = dl;
                self.dateline_byline = credit;
                self.dateline_raw = whole[..end].to_string();
                self.text = whole[end..].to_string();
            }
        }
    }
}

struct Builder {
    p: Para,
    last_text: String,
}

impl Builder {
    fn start(line: &Line, idx: usize, lead_gap: bool) -> Builder {
        let mut text = String::new();
        if lead_gap {
            text.push(GAP_MARK);
        }
        text.push_str(&line.text);
        let mut p = Para {
            line: idx,
            last_line: idx,
            ..Default::default()
        };
        if let Some((dl, credit, end)) = split_dateline(&text) {
            p.dateline = dl;
            p.dateline_byline = credit;
            p.dateline_raw = text[..end].to_string();
            text = text[end..].to_string();
        }
        p.text = text;
        Builder {
            p,
            last_text: line.text.clone(),
        }
    }

    fn append(&mut self, line: &Line, idx: usize, prev_trail_gap: bool, across_blank: bool) {
        let a = self.p.text.chars().last();
        let b = line.text.chars().next();
        if prev_trail_gap || line.lead_gap {
            self.p.text.push(GAP_MARK);
        } else if let (Some(a), Some(b)) = (a, b) {
            if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() {
                self.p.text.push(' ');
            }
        }
        self.p.text.push_str(&line.text);
        self.p.last_line = idx;
        self.last_text = line.text.clone();
        if across_blank {
            self.p.joins_blank += 1;
        } else {
            self.p.joins_tight += 1;
        }
    }
}

/// Decide which text lines are headings. Returns the flags and the column width estimate of
/// every line.
pub fn decide_headings(lines: &[Line]) -> (Vec<bool>, Vec<usize>) {
    let widths = column_widths(lines);
    let loose = loose_style(lines);
    let n = lines.len();
    let next_nonblank = |i: usize| (i + 1..n).find(|&j| !lines[j].is_blank());
    let prev_nonblank = |i: usize| (0..i).rev().find(|&j| !lines[j].is_blank());
    let long_mode = |i: usize| widths[i] == usize::MAX || widths[i] > LONG_MODE;
    let has_inner_punct = |t: &str| {
        t.chars()
            .any(|c| matches!(c, '，' | '；' | '。' | '、' | ',' | ';'))
    };

    // Width of the column a line sits over: the median width of the text lines after it.
    let below: Vec<usize> = (0..n)
        .map(|i| {
            let mut ws: Vec<usize> = (i + 1..n.min(i + 14))
                .filter(|&j| lines[j].kind == LineKind::Text)
                .take(6)
                .map(|j| lines[j].width)
                .collect();
            if ws.len() < 2 {
                return widths[i];
            }
            ws.sort_unstable();
            ws[ws.len() / 2]
        })
        .collect();
    // The wider of the next two text lines (a paragraph's first line lost its indent in OCR).
    let near2: Vec<usize> = (0..n)
        .map(|i| {
            (i + 1..n.min(i + 5))
                .filter(|&j| lines[j].kind == LineKind::Text)
                .take(2)
                .map(|j| lines[j].width)
                .max()
                .unwrap_or(usize::MAX)
        })
        .collect();
    let mut heading = vec![false; n];
    // The line itself looks like a heading (context aside).
    let candidate = |i: usize| -> bool {
        let l = &lines[i];
        if l.kind != LineKind::Text || l.indent || l.width > 100 {
            return false;
        }
        let t = l.shape_text();
        if is_inline_caption(t) {
            return false;
        }
        if is_person_line(t)
            && prev_nonblank(i).is_some_and(|p| matches!(lines[p].kind, LineKind::Md(_)))
        {
            return false;
        }
        if t.ends_with('—') {
            return true; // kicker ending with ——
        }
        if (t.ends_with('：') || t.ends_with(':')) && !long_mode(i) && l.width + 8 <= near2[i] {
            return true; // kicker ending with a colon over a wider title line
        }
        if (l.terminal && !t.ends_with("……"))
            || ends_soft(t)
            || ends_with_function_char(t)
            || ends_in_a_note(t)
        {
            return false;
        }
        if t.starts_with(GAP_MARK) || l.lead_gap || l.trail_gap {
            return false;
        }
        if let Some(j) = next_nonblank(i) {
            let latin_split = t.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
                && lines[j]
                    .text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic());
            if lines[j].kind == LineKind::Text
                && (latin_split || lines[j].lead_gap || word_spans_join(t, &lines[j].text))
            {
                return false;
            }
        }
        if long_mode(i) {
            let inner_stop = t
                .char_indices()
                .any(|(k, c)| matches!(c, '。' | '！' | '？') && k + c.len_utf8() < t.len());
            !inner_stop && l.width <= if has_inner_punct(t) { 44 } else { 80 }
        } else if has_inner_punct(t) {
            l.width + 10 <= below[i] && l.width.saturating_add(6) <= near2[i]
        } else {
            (l.width + 8 <= below[i] && l.width.saturating_add(6) <= near2[i])
                || l.width >= below[i] + 3
        }
    };
    for i in 0..n {
        if lines[i].kind != LineKind::Text {
            continue;
        }
        let prev = prev_nonblank(i);
        let after_boundary = match prev {
            None => true,
            Some(p) => match lines[p].kind {
                LineKind::Text => heading[p] || lines[p].terminal,
                _ => true,
            },
        };
        // 1. The last line of a chunk that starts with a heading line is part of the headline
        //    when it is clearly not a full column line or what follows is a heading too.
        let same_chunk_heading =
            prev.is_some_and(|p| p + 1 == i && heading[p] && lines[p].chunk == lines[i].chunk);
        if same_chunk_heading {
            let l = &lines[i];
            let t = &l.text;
            let last_of_chunk = i + 1 >= n || lines[i + 1].is_blank();
            let next = next_nonblank(i);
            let basic = last_of_chunk
                && !l.terminal
                && !ends_in_a_note(t)
                && !ends_soft(t)
                && l.width <= 100
                && !ends_with_function_char(t)
                && !next.is_some_and(|j| {
                    lines[j].kind == LineKind::Text && word_spans_join(t, &lines[j].text)
                });
            let shape = long_mode(i)
                || l.width >= below[i] + 3
                || l.width + 7 <= below[i]
                || match next {
                    None => true,
                    Some(j) => lines[j].kind != LineKind::Text || candidate(j),
                };
            if basic && shape {
                heading[i] = true;
                continue;
            }
        }
        // 2. A heading-like line after a paragraph end, the top of the page or a heading.
        //    In a tightly set column, a line standing alone between blank lines right after
        //    body text is a column break, not a heading.
        let isolated = |k: usize| {
            (k == 0 || lines[k - 1].is_blank()) && (k + 1 >= n || lines[k + 1].is_blank())
        };
        let after_body = prev.is_some_and(|p| lines[p].kind == LineKind::Text && !heading[p]);
        if !long_mode(i) && isolated(i) && after_body && !lines[i].text.ends_with('—') && !loose[i]
        {
            continue;
        }
        if after_boundary && candidate(i) {
            heading[i] = true;
        }
    }
    // 3. Short lines just before a byline or a dateline are headlines.
    for i in 0..n {
        let anchor = match lines[i].kind {
            LineKind::Byline { trailing: false } => true,
            LineKind::Text => !heading[i] && split_dateline(&lines[i].text).is_some(),
            _ => false,
        };
        if !anchor {
            continue;
        }
        let mut j = i;
        for _ in 0..3 {
            let Some(p) = prev_nonblank(j) else { break };
            let l = &lines[p];
            let t = &l.text;
            let ok = l.kind == LineKind::Text
                && l.width <= 100
                && (!l.terminal || t.ends_with("……"))
                && !ends_in_a_note(t)
                && !ends_soft(t);
            if !ok {
                break;
            }
            heading[p] = true;
            j = p;
        }
    }
    // 4. The block of headlines gathered at the end of a page.
    let mut chunks: Vec<(usize, usize)> = Vec::new(); // [start, end) of non-blank chunks
    let mut i = 0;
    while i < n {
        if lines[i].is_blank() {
            i += 1;
            continue;
        }
        let s = i;
        while i < n && !lines[i].is_blank() {
            i += 1;
        }
        chunks.push((s, i));
    }
    for &(s, e) in chunks.iter().rev() {
        let ok = e - s <= 4
            && (s..e).all(|k| {
                let l = &lines[k];
                let last = k + 1 == e;
                match l.kind {
                    LineKind::Text => {
                        l.width <= 100
                            && !is_inline_caption(&l.text)
                            && (!l.terminal || l.text.ends_with("……"))
                            && !(last && ends_soft(&l.text))
                            && !(last && ends_with_function_char(&l.text))
                    }
                    LineKind::Byline { .. } | LineKind::Credit => true,
                    _ => false,
                }
            });
        if !ok {
            break;
        }
        for (k, h) in heading.iter_mut().enumerate().take(e).skip(s) {
            if lines[k].kind == LineKind::Text {
                *h = true;
            }
        }
    }

    (heading, widths)
}

/// For each line: is the text around it set loosely (most lines stand alone between blank
/// lines, as some OCR tools print every line)? In a tight setting blank lines mark breaks.
pub fn loose_style(lines: &[Line]) -> Vec<bool> {
    let n = lines.len();
    let isolated =
        |k: usize| (k == 0 || lines[k - 1].is_blank()) && (k + 1 >= n || lines[k + 1].is_blank());
    let text: Vec<usize> = (0..n)
        .filter(|&k| lines[k].kind == LineKind::Text)
        .collect();
    let iso: Vec<bool> = text.iter().map(|&k| isolated(k)).collect();
    let mut out = vec![false; n];
    for (t, &k) in text.iter().enumerate() {
        let lo = t.saturating_sub(12);
        let hi = (t + 13).min(text.len());
        let total = hi - lo - 1;
        let count = (lo..hi).filter(|&u| u != t && iso[u]).count();
        out[k] = total > 0 && count * 10 >= total * 6;
    }
    out
}

/// Does text line i end its paragraph by itself (sentence end on a short line, or one paragraph
/// per line)?
fn para_end_at(lines: &[Line], widths: &[usize], loose: &[bool], i: usize) -> bool {
    let l = &lines[i];
    if !l.terminal {
        return false;
    }
    if widths[i] == usize::MAX || widths[i] > LONG_MODE || l.width + 3 <= widths[i] {
        return true;
    }
    let Some(j) = (i + 1..lines.len()).find(|&j| !lines[j].is_blank()) else {
        return true;
    };
    if lines[j].indent || lines[j].kind != LineKind::Text {
        return true;
    }
    // a sentence end followed by a blank line in a tightly set column
    if j > i + 1 && !loose[i] {
        return true;
    }
    // a sentence end followed by a short unfinished line: the first line of a paragraph that
    // lost its indent in OCR (column lines are justified: only first and last lines are short)
    if !lines[j].terminal && lines[j].width + 3 <= widths[j].min(l.width) {
        return true;
    }
    // A sentence that ends a full line, followed by a column of another width: a new block.
    let mut next: Vec<usize> = (j..lines.len().min(j + 10))
        .filter(|&k| lines[k].kind == LineKind::Text)
        .take(5)
        .map(|k| lines[k].width)
        .collect();
    if next.len() >= 3 {
        next.sort_unstable();
        let m = next[next.len() / 2];
        if m + 6 <= l.width.min(widths[i]) {
            return true;
        }
    }
    false
}

/// A box label that never got its text is kept as an empty box.
fn flush_empty_box(box_label: &mut Option<(String, usize)>, units: &mut Vec<Unit>) {
    if let Some((label, line)) = box_label.take() {
        units.push(Unit::Box {
            label,
            paras: Vec::new(),
            line,
        });
    }
}

/// Turn classified lines into units.
pub fn reflow(lines: &[Line]) -> Vec<Unit> {
    let (heading, widths) = decide_headings(lines);
    let n = lines.len();
    let loose = loose_style(lines);
    let para_end = |i: usize| para_end_at(lines, &widths, &loose, i);
    // Assemble units.
    let mut units: Vec<Unit> = Vec::new();
    let mut cur: Option<Builder> = None;
    let mut suspended: Option<Builder> = None;
    let mut box_label: Option<(String, usize)> = None;
    let mut last_line_trail_gap = false;
    let mut blank_since_last = false;

    fn close(
        cur: &mut Option<Builder>,
        suspended: &mut Option<Builder>,
        box_label: &mut Option<(String, usize)>,
        units: &mut Vec<Unit>,
    ) {
        if let Some(mut b) = cur.take() {
            b.p.terminal = ends_sentence(&b.p.text) || ends_sentence(&b.last_text);
            b.p.recut_dateline();
            if let Some((label, line)) = box_label.take() {
                let text = format!("{}{}", b.p.dateline_raw, b.p.text);
                units.push(Unit::Box {
                    label,
                    paras: vec![text],
                    line,
                });
                *cur = suspended.take();
            } else {
                units.push(Unit::Para(b.p));
            }
        }
    }

    let mut prev_kind_head = false;
    for i in 0..n {
        let l = &lines[i];
        match l.kind {
            LineKind::Blank => {
                blank_since_last = true;
                continue;
            }
            LineKind::Md(level) => {
                close(&mut cur, &mut suspended, &mut box_label, &mut units);
                units.push(Unit::Head {
                    text: l.text.clone(),
                    line: i,
                    chunk: l.chunk,
                    md: level,
                });
                prev_kind_head = true;
            }
            LineKind::Byline { trailing } => {
                close(&mut cur, &mut suspended, &mut box_label, &mut units);
                units.push(Unit::Byline {
                    text: l.text.clone(),
                    line: i,
                    trailing,
                });
                prev_kind_head = false;
            }
            LineKind::Credit => {
                close(&mut cur, &mut suspended, &mut box_label, &mut units);
                units.push(Unit::Credit {
                    text: l.text.clone(),
                    line: i,
                });
                prev_kind_head = false;
            }
            LineKind::BoxLabel => {
                let open_unfinished = cur
                    .as_ref()
                    .is_some_and(|b| !ends_sentence(&b.last_text) && box_label.is_none());
                if open_unfinished {
                    suspended = cur.take();
                } else {
                    close(&mut cur, &mut suspended, &mut box_label, &mut units);
                }
                // a label whose box never got any text stays a box of its own
                flush_empty_box(&mut box_label, &mut units);
                box_label = Some((l.text.clone(), i));
                prev_kind_head = false;
            }
            LineKind::Text => {
                if heading[i] {
                    close(&mut cur, &mut suspended, &mut box_label, &mut units);
                    units.push(Unit::Head {
                        text: l.text.clone(),
                        line: i,
                        chunk: l.chunk,
                        md: 0,
                    });
                    prev_kind_head = true;
                } else if prev_kind_head && cur.is_none() && is_person_line(&l.text) {
                    // 周辰 / 王峥(…主任) printed under a headline
                    units.push(Unit::Byline {
                        text: l.text.clone(),
                        line: i,
                        trailing: false,
                    });
                    prev_kind_head = false;
                } else {
                    prev_kind_head = false;
                    match cur.as_mut() {
                        Some(b) => b.append(l, i, last_line_trail_gap, blank_since_last),
                        None => {
                            let gap = l.lead_gap;
                            cur = Some(Builder::start(l, i, gap));
                        }
                    }
                    // a box holds one paragraph: it ends at its first sentence end
                    if para_end(i) || (box_label.is_some() && l.terminal) {
                        close(&mut cur, &mut suspended, &mut box_label, &mut units);
                    }
                }
            }
        }
        last_line_trail_gap = l.trail_gap && !l.terminal;
        blank_since_last = false;
    }
    close(&mut cur, &mut suspended, &mut box_label, &mut units);
    // closing a box resumes the paragraph it interrupted: close that too
    close(&mut cur, &mut suspended, &mut box_label, &mut units);
    flush_empty_box(&mut box_label, &mut units);
    if let Some(b) = suspended.take() {
        units.push(Unit::Para(b.p));
    }
    units
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// Lines no dateline form can start are ruled out before the regex: the answer is
        /// the regex's own, on lines made of the forms' pieces.
        #[test]
        fn datelines_ruled_out_early_are_the_regexs_misses(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "本", "报", "讯", "新华社", "中新社", "网", "央视", "人民", "北京", "电", "3", "12",
                "月", "日", "（", "）", "记者", " ", "，", "今天", "A", "报道", "：", "通讯员", "消息", "新闻",
                "台", "社", "京", "晚", "河畔", "１２", "３",
            ]), 0..12)
        ) {
            let s: String = parts.concat();
            proptest::prop_assert_eq!(super::split_dateline(&s), super::dateline_of(&s), "{}", s);
        }
    }

    use super::super::lines::classify;
    use super::*;

    fn paras(text: &str) -> Vec<String> {
        reflow(&classify(text))
            .into_iter()
            .filter_map(|u| match u {
                Unit::Para(p) => Some(p.text),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_line_ending_in_a_note_is_no_headline() {
        assert!(ends_in_a_note("与中国的合作与交流。（编辑：李睿）"));
        assert!(ends_in_a_note("常浩博、许冰娜）"));
        assert!(ends_in_a_note("离去。(完)"));
        assert!(!ends_in_a_note("沙特等四国对卡塔尔“最后通牒”到期（图）"));
        assert!(!ends_in_a_note("国务院常务会议（全文）"));
        assert!(!ends_in_a_note("习近平会见孟加拉国总理"));
        // the last line of a paragraph that ends in its editor's credit, or in the end of a
        // credit broken across lines, then a headline and a dateline: only the headlines are
        let page = "河畔新村的居民们今年春天在社区花园\n里种下了第一批月季和蔷薇，到了五月\n花园里已经开满了各色花朵，引来许多\n市民前来观赏和拍照留念。（编辑：李睿）\n\n\
                    交通部门推出便民服务\n\n本报讯（记者 苏宇冰）全国铁路预计今\n日发送旅客一千万人次，交通部门全方\n位做好服务，确保广大旅客安全出行。\n\n\
                    铁路部门在做好服务的同时，也满足旅\n客个性化的需求，各地车站为旅客印制\n电子服务指南，方便旅客。（责编：\n常浩博、许冰娜）\n\n\
                    湖畔公园今日重新开放\n\n本报讯（记者 王芳）湖畔公园经过半年\n的整修，今天重新向市民开放，园内新\n增了步道和座椅，受到市民欢迎。\n";
        let lines = classify(page);
        let (heading, _) = decide_headings(&lines);
        let heads: Vec<&str> = (0..lines.len())
            .filter(|&i| heading[i])
            .map(|i| lines[i].text.as_str())
            .collect();
        assert_eq!(heads, ["交通部门推出便民服务", "湖畔公园今日重新开放"]);
    }

    #[test]
    fn joins_column_lines_across_blank_lines() {
        let t = "今年春天，河畔新村的居民们\n\n在社区花园里种下了第一批\n\n月季和蔷薇。\n\n到了五月，花园里已经开满\n\n了各色花朵，引来许多市民。\n";
        let p = paras(t);
        assert_eq!(
            p,
            vec![
                "今年春天，河畔新村的居民们在社区花园里种下了第一批月季和蔷薇。",
                "到了五月，花园里已经开满了各色花朵，引来许多市民。"
            ]
        );
    }

    #[test]
    fn latin_words_split_across_lines_get_one_space() {
        let t = "来自挪威的选手Ingrid\nHalvorsen获得了女子组的冠军，成绩是\n一小时零五分。\n";
        assert_eq!(
            paras(t),
            vec!["来自挪威的选手Ingrid Halvorsen获得了女子组的冠军，成绩是一小时零五分。"]
        );
    }

    #[test]
    fn long_lines_broken_mid_sentence_are_joined() {
        let long1 = "会上，街道负责人介绍了今年以来老旧小区加装电梯的进展情况，并就下一步如何加快审批、优化流程、做好居民协商工作提出了要";
        let long2 = "求。与会代表围绕资金筹措、施工安全和后期维护等问题展开了讨论，大家一致认为要把好事办好、实事办实。";
        let t = format!("{long1}\n\n{long2}\n");
        assert_eq!(paras(&t), vec![format!("{long1}{long2}")]);
    }

    #[test]
    fn other_papers_and_stations_datelines_are_cut_with_their_credit() {
        for (s, dl, credit) in [
            ("河畔晚报讯（记者 林晓岚）今天", "河畔晚报讯", "记者 林晓岚"),
            (
                "河畔报讯 (记者林晓岚 实习生周文)今天",
                "河畔报讯",
                "记者林晓岚 实习生周文",
            ),
            ("河畔网讯 今天", "河畔网讯", ""),
            (
                "河畔社长沙3月5日电 （记者林晓岚）今天",
                "河畔社长沙3月5日电",
                "记者林晓岚",
            ),
            (
                "河畔台北京3月5日消息（记者林晓岚）今天",
                "河畔台北京3月5日消息",
                "记者林晓岚",
            ),
        ] {
            let (d, c, end) = split_dateline(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!((d.as_str(), c.as_str()), (dl, credit), "{s}");
            assert_eq!(&s[end..], "今天", "{s}");
        }
        // a sentence about a report is not a dateline
        assert!(split_dateline("接到报讯后，民警赶到").is_none());
        assert!(split_dateline("河畔社区3月5日举行").is_none());
    }

    #[test]
    fn dateline_is_cut_from_the_paragraph() {
        let (dl, credit, _) = split_dateline("本报讯（记者 黄静）日前，").unwrap();
        assert_eq!(dl, "本报讯");
        assert_eq!(credit, "记者 黄静");
        assert!(split_dateline("本报北京11月18日电 记者").is_some());
        assert!(split_dateline("本报记者近日").is_none());
        // other papers' datelines: 讯 for 电, a news site's
        let (dl, credit, end) = split_dateline("本报河畔3月5日讯 记者林晓岚报道：今天").unwrap();
        assert_eq!(
            (dl.as_str(), credit.as_str()),
            ("本报河畔3月5日讯", "记者林晓岚")
        );
        assert_eq!(end, "本报河畔3月5日讯 记者林晓岚报道：".len());
        let (_, credit, _) = split_dateline("本报讯 记者林晓岚 通讯员周文报道：今天").unwrap();
        assert_eq!(credit, "记者林晓岚 通讯员周文");
        // a reporter who found something out is not a credit
        let (_, credit, end) = split_dateline("本报讯 记者从河畔街道获悉，今天").unwrap();
        assert_eq!((credit.as_str(), end), ("", "本报讯 ".len()));
        let (dl, credit, _) = split_dateline("河畔网长沙11月11日电（记者 林晓岚）今天").unwrap();
        assert_eq!(
            (dl.as_str(), credit.as_str()),
            ("河畔网长沙11月11日电", "记者 林晓岚")
        );
        assert!(split_dateline("河畔网友说，").is_none());
        // a site's name of up to five characters, and its 消息 for 电
        let (dl, credit, _) =
            split_dateline("河畔新闻网长沙11月11日电（记者 林晓岚）今天").unwrap();
        assert_eq!(
            (dl.as_str(), credit.as_str()),
            ("河畔新闻网长沙11月11日电", "记者 林晓岚")
        );
        let (dl, credit, _) = split_dateline("河畔广播网北京1月3日消息（记者林晓岚）今天").unwrap();
        assert_eq!(
            (dl.as_str(), credit.as_str()),
            ("河畔广播网北京1月3日消息", "记者林晓岚")
        );
        // a word with 讯 or 电 in it is not a dateline
        assert!(split_dateline("本报通讯员林晓岚报道，").is_none());
        assert!(split_dateline("中国网络电视台记者林晓岚").is_none());
        // a line that breaks inside the credit: cut off the whole paragraph
        let t = "本报河畔3月5日电（记\n者 黄静）日前，河畔街道居民议事会收到提案。\n";
        let p: Vec<Para> = reflow(&classify(t))
            .into_iter()
            .filter_map(|u| match u {
                Unit::Para(p) => Some(p),
                _ => None,
            })
            .collect();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            (p[0].dateline.as_str(), p[0].dateline_byline.as_str()),
            ("本报河畔3月5日电", "记者 黄静")
        );
        assert_eq!(p[0].text, "日前，河畔街道居民议事会收到提案。");
    }

    #[test]
    fn box_in_the_middle_of_a_sentence() {
        let a = "委员们建议在各级专班中相应考虑增设工会参与方式，包括在管理机制上，市级层面、区级层面同步优化统";
        let b =
            "在研究和编制规划期间，委员们参与大量调研，围绕职工技能素质提升等领域积极建言献策。";
        let c = "筹等；在建设运行机制上，落实工会与牵头部门的工作对接等。";
        let t = format!("{a}\n\n阅读提示\n\n{b}\n\n{c}\n");
        let units = reflow(&classify(&t));
        let texts: Vec<String> = units
            .iter()
            .map(|u| match u {
                Unit::Para(p) => format!("P:{}", p.text),
                Unit::Box { label, paras, .. } => format!("B:{label}:{}", paras.join("")),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(texts, vec![format!("B:阅读提示:{b}"), format!("P:{a}{c}")]);
    }

    #[test]
    fn word_span() {
        assert!(word_spans_join("一大批具备高素", "质、高技能的劳动者"));
        assert!(!word_spans_join("启航前行", "三家公园党群服务站启用"));
    }
}
