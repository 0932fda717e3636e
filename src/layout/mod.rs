//! Layout analysis: from the raw text of an OCR page to articles and fragments.
//!
//! Three passes: [`lines`] classifies each line (heading, byline, credit, box label, text) and
//! estimates the column width around it; [`reflow`] joins the lines the columns broke into
//! paragraphs and picks out headings; [`segment`] groups paragraphs into articles and attaches
//! each headline to its article by content. Every letter, digit and Han character of the page
//! ends up in exactly one record.

pub mod assemble;
pub mod choice;
pub mod crf;
pub mod lines;
pub mod reflow;
pub mod script;
pub mod segment;
pub mod tagger;

use crate::model::{IssueMeta, Kind, Record};
use crate::text::{GAP_MARK, GAP_SPACE};
use std::sync::{Arc, OnceLock};

/// The shared jieba instance (loading the dictionary takes ~100 ms, so it is loaded once).
pub fn jieba() -> Arc<jieba_rs::Jieba> {
    static J: OnceLock<Arc<jieba_rs::Jieba>> = OnceLock::new();
    J.get_or_init(|| Arc::new(jieba_rs::Jieba::new())).clone()
}

/// A table of [`recent`]: a slot for each of as many keys, empty or a key and its answer.
pub(crate) type Recent<K, V> = std::cell::RefCell<Vec<Option<(K, V)>>>;

/// A thread's last answers, in a table where a key has one slot, the one its hash picks (the
/// table's length is its initializer's): `compute`'s answer for `key`, computed again only when
/// another key has taken the slot since. A small table stays in a core's cache; a large one
/// that also kept older answers made the analysis of new pages slower, not faster.
pub(crate) fn recent<K, Q, V>(
    table: &'static std::thread::LocalKey<Recent<K, V>>,
    key: &Q,
    compute: impl FnOnce() -> V,
) -> V
where
    K: std::borrow::Borrow<Q>,
    Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
    V: Copy,
{
    use std::hash::BuildHasher;
    let hash = rustc_hash::FxBuildHasher.hash_one(key) as usize;
    let known = table.with(|t| {
        let t = t.borrow();
        match t.get(hash % t.len().max(1)) {
            Some(Some((k, answer))) if k.borrow() == key => Some(*answer),
            _ => None,
        }
    });
    if let Some(answer) = known {
        return answer;
    }
    let answer = compute();
    table.with(|t| {
        let mut t = t.borrow_mut();
        let n = t.len();
        if let Some(slot) = t.get_mut(hash % n.max(1)) {
            *slot = Some((key.to_owned(), answer));
        }
    });
    answer
}

/// How many characters at the end of jieba's tagging of a text are persons' names: words
/// tagged `nr` or `nrfg` (jieba's tags for Chinese names) of at most four characters, and a
/// surname jieba split off its given name (a one-character `nr` word followed by a word of one
/// or two characters, whatever its tag: `夏/nr 平平/a`, `侯/nr 利文/n`). Transliterated names
/// (`nrt`) are not counted: bylines are Chinese names, headlines often end in a foreign one.
pub fn name_chars_at_end(tags: &[jieba_rs::Tag<'_>]) -> usize {
    let is_name = |t: &jieba_rs::Tag<'_>| matches!(t.tag, "nr" | "nrfg");
    let len = |t: &jieba_rs::Tag<'_>| t.word.chars().count();
    let mut n = 0;
    let mut k = tags.len();
    while k > 0 {
        let last = &tags[k - 1];
        if is_name(last) && len(last) <= 4 {
            n += len(last);
            k -= 1;
        } else if k >= 2 && len(last) <= 2 && tags[k - 2].tag == "nr" && len(&tags[k - 2]) == 1 {
            n += 1 + len(last);
            k -= 2;
        } else {
            break;
        }
    }
    n
}

/// Analyse the decoded text of one issue into records in reading order.
pub fn analyze(text: &str, meta: &IssueMeta) -> Vec<Record> {
    // a page in traditional characters is read in simplified ones, and its records written
    // back in its own (`script`)
    let simplified = script::simplified(text);
    let mut restore = simplified.as_deref().map(|s| script::Restore::new(text, s));
    let lines = lines::classify(simplified.as_deref().unwrap_or(text));
    let segs = segments(&lines);
    // where the analysis marked characters lost (`GAP_MARK`, put where a line has a run of
    // spaces or a column piece a gap), the records say it as the page does: a page whose OCR
    // writes the mark itself keeps it; on any other the page had white space there, and the
    // records keep white space (`GAP_SPACE`): nothing goes into the text that the page lacks
    let keep_mark = text.contains(GAP_MARK);
    let mut fix = |s: String| {
        let s = match &mut restore {
            Some(r) => r.restore(&s),
            None => s,
        };
        if !keep_mark && s.contains(GAP_MARK) {
            s.replace(GAP_MARK, GAP_SPACE.encode_utf8(&mut [0; 4]))
        } else {
            s
        }
    };
    let mut out = Vec::with_capacity(segs.len());
    for (i, s) in segs.into_iter().enumerate() {
        let kind = if s.fragment {
            Kind::Fragment
        } else {
            Kind::Article
        };
        let (kicker, title, subtitle) = headline_fields(&s.heads);
        let byline = s
            .bylines
            .iter()
            .map(|b| b.1.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let dateline = s
            .paras
            .iter()
            .filter(|p| !p.dateline.is_empty())
            .map(|p| p.dateline.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let paragraphs: Vec<String> = s
            .paras
            .into_iter()
            .map(|p| p.text)
            .filter(|t| !t.is_empty())
            .collect();
        out.push(Record {
            id: String::new(),
            issue: meta.id.clone(),
            source: meta.source.clone(),
            seq: i + 1,
            kind,
            section: fix(s.section),
            kicker: fix(kicker),
            title: fix(title),
            subtitle: fix(subtitle),
            byline: fix(byline),
            dateline: fix(dateline),
            paragraphs: paragraphs.into_iter().map(&mut fix).collect(),
            date: meta.date.clone(),
        });
    }
    assign_ids(&mut out);
    out
}

/// Bumped whenever the rules, the assembly or the features change how pages are cut. The
/// models and the choice's weights (and its gate's) need no bump: [`stamp`] reads them.
/// 11: the assembly's habit of leads above headlines, and the choice's guard against a cut
/// without articles (2026-11-28). 12: a page's indent of ASCII spaces, tabs and no-break
/// spaces read as indents, a page's padding of its line ends as nothing lost, and the credit of
/// a `记者…报道：` dateline (2026-11-28, later). 13: bylines that name their paper before the
/// role (中国青年报·中青在线记者 X). 14: news sites' datelines with longer names and 消息 for 电.
/// 15: lines set wholly in Markdown's strong emphasis read without its markers. 16: and no
/// longer taken for indented by them. 17: the line shapes of web pages saved as text (bylines
/// in brackets or set apart by ｜, writers named before 文, a site's line of facts, editors'
/// credits, trails of sections, rules between articles, letter-spaced headlines) and other
/// papers' and stations' datelines. 18: a page's sign before its headlines (▶ ◆ …) read as no
/// text, and signs alone on a line as a blank line. 19: a page's numbering of its headlines
/// (1、2、3、) read past when their shape is judged. 20: a sign alone on its line above the
/// page's first headline marks its headlines. 21: the rules take no line ending in a note
/// (`…。（编辑：X）`, or a credit's end broken onto it) for a headline. 22: pages in
/// traditional characters read in simplified ones (`script`). 23: a page with every line
/// break doubled set single again. 24: lines set in by three ideographic spaces or six ASCII
/// ones are centred (no indent, nothing lost), unless the page indents its paragraphs so. 25:
/// and on a page that indents by two ideographic spaces (or one), a line set in by the other.
/// 26: a folio above the first body text is no headline (`crf::tag`).
const CUT_REVISION: u32 = 26;

/// What identifies this version's layout analysis (its revision, the models' bytes and the
/// choice's weights, hashed). An index records the stamp of the analysis that cut its pages;
/// `kanbao index` cuts them all again when it differs.
pub fn stamp() -> &'static str {
    static STAMP: OnceLock<String> = OnceLock::new();
    STAMP.get_or_init(compute_stamp)
}

fn compute_stamp() -> String {
    // FNV-1a: the same bytes give the same stamp in every build and Rust version
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(&CUT_REVISION.to_le_bytes());
    for m in crf::model_bytes() {
        eat(&(m.len() as u64).to_le_bytes());
        eat(m);
    }
    let gate = choice::GATE_WEIGHTS.iter();
    let biases = [&choice::BIAS, &choice::GATE_BIAS, &choice::GATE_MARGIN];
    for w in choice::WEIGHTS.iter().chain(gate).chain(biases) {
        eat(&w.to_bits().to_le_bytes());
    }
    format!("{CUT_REVISION}-{h:016x}")
}

/// Which analysis reads a page: the labeller runs, the rules too unless the labeller's cut is
/// surely the better one, and [`choice`] takes the cut more likely right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The hand-written rules ([`reflow`] + [`segment`]).
    Rules,
    /// The line labeller ([`crf`]) + [`assemble`].
    Labeller,
}

/// How many levels of Markdown headings a page has.
pub fn markdown_levels(lines: &[lines::Line]) -> usize {
    let mut seen = [false; 7];
    for l in lines {
        if let lines::LineKind::Md(n) = l.kind {
            seen[usize::from(n).min(6)] = true;
        }
    }
    seen.iter().filter(|&&s| s).count()
}

/// Whether the rules read a page whatever the choice: Markdown headings of two levels or more
/// are explicit structure (headline and subhead, section and article), nothing to guess.
/// Headings of one level say only "a heading", headline or subhead: as on any page, the
/// choice decides.
pub fn rules_only(lines: &[lines::Line]) -> bool {
    markdown_levels(lines) >= 2
}

/// Cut a page into segments with both analyses and keep the cut [`choice`] prefers (the rules
/// are not run where the labeller's cut alone is surely the better one: its gate); pages
/// with Markdown headings of two levels or more are read by the rules. `KANBAO_LAYOUT=rules|labeller`
/// forces one (for measuring each alone).
pub fn segments(lines: &[lines::Line]) -> Vec<segment::Seg> {
    segments_with(lines).0
}

/// [`segments`], and which method it took.
pub fn segments_with(lines: &[lines::Line]) -> (Vec<segment::Seg>, Method) {
    let forced = std::env::var("KANBAO_LAYOUT").ok();
    let rules = || segment::segment(&reflow::reflow(lines));
    let labeller = || assemble::assemble(lines, &crf::tag(lines));
    match forced.as_deref() {
        Some("rules") => return (rules(), Method::Rules),
        Some("labeller") => return (labeller(), Method::Labeller),
        _ => {}
    }
    if rules_only(lines) {
        return (rules(), Method::Rules);
    }
    let b = labeller();
    let ls = choice::summary(&b);
    // where the labeller's cut alone says it is surely the better one, the rules are not run
    // (they are a quarter of the analysis): the gate, fitted with the choice
    if !choice::rules_needed(lines, &ls) {
        return (b, Method::Labeller);
    }
    let a = rules();
    if choice::prefer_labeller(lines, &a, &ls) {
        (b, Method::Labeller)
    } else {
        (a, Method::Rules)
    }
}

/// Give each record of one issue its id ([`record_id`]); records with the same key get `-2`,
/// `-3`… in reading order.
pub fn assign_ids(records: &mut [Record]) {
    let mut seen = std::collections::HashSet::new();
    for r in records.iter_mut() {
        let base = record_id(r);
        let mut id = base.clone();
        let mut n = 2;
        while !seen.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        r.id = id;
    }
}

/// How many content characters of an article's text make its id key.
pub const ID_KEY_CHARS: usize = 48;

/// Stable id of a record, from what identifies it to a reader: its issue and the start of its
/// text. The key is the first [`ID_KEY_CHARS`] letters, digits and Han characters of the body
/// (lower case; white space, punctuation and line breaks do not count), topped up from the
/// headline, byline and section when the body is shorter. Neither the record's position nor
/// the number of records on the page, nor its headline (unless the body is tiny), nor where
/// its paragraphs break, nor whether it is an article or a fragment changes it. Two records of
/// one issue with the same key get `-2`, `-3`… in reading order (done by [`analyze`]).
pub fn record_id(r: &Record) -> String {
    let key = id_key(r);
    let mut h = blake3::Hasher::new();
    h.update(r.issue.as_bytes());
    h.update(b"\0");
    h.update(key.as_bytes());
    h.finalize().to_hex()[..16].to_string()
}

/// The text an id is derived from (see [`record_id`]).
pub fn id_key(r: &Record) -> String {
    let mut key: Vec<char> = Vec::with_capacity(ID_KEY_CHARS);
    let body = r.paragraphs.iter().map(|s| s.as_str());
    let rest = [&r.title, &r.kicker, &r.subtitle, &r.byline, &r.section]
        .into_iter()
        .map(|s| s.as_str());
    for f in body.chain(rest) {
        if key.len() >= ID_KEY_CHARS {
            break;
        }
        key.extend(crate::text::content_chars(f).take(ID_KEY_CHARS - key.len()));
    }
    key.into_iter().collect()
}

/// Split heading lines into kicker (引题), title and subtitle (副题).
fn headline_fields(heads: &[segment::HeadLine]) -> (String, String, String) {
    if heads.is_empty() {
        return (String::new(), String::new(), String::new());
    }
    let mut kicker = Vec::new();
    let mut rest: Vec<&segment::HeadLine> = Vec::new();
    for (i, h) in heads.iter().enumerate() {
        let last = i + 1 == heads.len();
        let t = h.text.trim();
        let kickerish =
            t.ends_with('—') || ((t.ends_with('：') || t.ends_with(':')) && rest.is_empty());
        if !last && rest.is_empty() && kickerish {
            kicker.push(t.to_string());
        } else {
            rest.push(h);
        }
    }
    // Markdown: the shallowest heading is the title; anything before it is the kicker.
    if rest.iter().any(|h| h.md > 0) {
        let top = rest
            .iter()
            .filter(|h| h.md > 0)
            .map(|h| h.md)
            .min()
            .unwrap_or(1);
        let pos = rest.iter().position(|h| h.md == top).unwrap_or(0);
        for h in &rest[..pos] {
            kicker.push(h.text.clone());
        }
        let title = rest[pos].text.clone();
        let sub: Vec<String> = rest[pos + 1..].iter().map(|h| h.text.clone()).collect();
        return (kicker.join(" "), title, sub.join(" "));
    }
    let title = rest.first().map(|h| h.text.clone()).unwrap_or_default();
    let sub: Vec<String> = rest.iter().skip(1).map(|h| h.text.clone()).collect();
    (kicker.join(" "), title, sub.join(" "))
}

/// Count the letters, digits and Han characters of a text (the conservation property).
pub fn content_counts<'a>(
    texts: impl Iterator<Item = &'a str>,
) -> std::collections::HashMap<char, usize> {
    let mut m = std::collections::HashMap::new();
    for t in texts {
        for c in t.chars().filter(|c| crate::text::is_content(*c)) {
            *m.entry(c).or_insert(0) += 1;
        }
    }
    m
}
