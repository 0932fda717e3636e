//! Marks follow their article. An article's id comes from its issue and the start of its text
//! (`layout::record_id`), so a re-cut page (a new version of the analysis, an edited issue
//! file) can give an article a new id. Whenever an article is marked, what it says is kept
//! with its marks (a [`state::Anchor`]); after the index changes, every mark whose id the index
//! no longer holds is carried to the article of the same issue (or, for an edited file, the
//! same file) that now holds its text, or kept as an orphan that `kanbao list --orphans` lists.
//! Nothing is dropped.

use crate::index::Store;
use crate::model::Record;
use crate::state::{Anchor, State};
use crate::text::content_chars as content;
use std::collections::HashMap;

/// How many content characters (letters, digits, Han) of an article its anchor keeps.
pub const ANCHOR_CHARS: usize = 240;

/// The share of an anchor's character pairs an article must hold to take its marks.
pub const MIN_CONTAINMENT: f64 = 0.6;

/// Enough for an article that holds the anchor's first characters (the first part of an article
/// split in two holds its start and maybe a small share of the rest).
pub const MIN_WITH_START: f64 = 0.1;

/// The key of an archive in the reader state: the name of its index folder.
pub fn archive_key(store: &Store) -> String {
    store
        .live_dir()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The anchor of a record: its body's first [`ANCHOR_CHARS`] content characters (the headline
/// and byline when it has no body).
pub fn anchor_of(archive: &str, r: &Record) -> Anchor {
    let mut text: String = r
        .paragraphs
        .iter()
        .flat_map(|p| content(p))
        .take(ANCHOR_CHARS)
        .collect();
    if text.is_empty() {
        text = r
            .text_fields()
            .flat_map(content)
            .take(ANCHOR_CHARS)
            .collect();
    }
    Anchor {
        id: r.id.clone(),
        archive: archive.to_string(),
        issue: r.issue.clone(),
        source: r.source.clone(),
        title: r.display_title(),
        text,
        orphaned: None,
        moved_to: None,
    }
}

/// Remember what these (just marked) articles say.
pub fn remember<'a>(
    state: &mut State,
    archive: &str,
    records: impl IntoIterator<Item = &'a Record>,
) -> anyhow::Result<()> {
    let anchors: Vec<Anchor> = records.into_iter().map(|r| anchor_of(archive, r)).collect();
    state.anchor_many(&anchors)
}

fn pairs(chars: &[char]) -> Vec<(char, char)> {
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// How many of the anchor's first characters make its start.
const START_CHARS: usize = 16;

/// How well `r` holds the anchor's text: the share of the anchor's character pairs found in
/// it, plus one if it holds the anchor's first characters in a row (the start of the article:
/// of the pieces of a split article, the one it starts in takes the marks, however short). `None` when it holds less than
/// [`MIN_CONTAINMENT`] of it, unless it holds its start and at least [`MIN_WITH_START`].
fn score(anchor: &[char], anchor_pairs: &[(char, char)], r: &Record) -> Option<f64> {
    let text: Vec<char> = r.text_fields().flat_map(content).collect();
    if anchor.is_empty() || text.is_empty() {
        return None;
    }
    let have = pairs(&text);
    let share = if anchor_pairs.is_empty() {
        // a one-character anchor: is the character there?
        text.contains(&anchor[0]) as u8 as f64
    } else {
        let found = anchor_pairs
            .iter()
            .filter(|p| have.binary_search(p).is_ok())
            .count();
        found as f64 / anchor_pairs.len() as f64
    };
    let head = &anchor[..anchor.len().min(START_CHARS)];
    let starts = text.windows(head.len()).any(|w| w == head);
    if share < MIN_CONTAINMENT && !(starts && share >= MIN_WITH_START) {
        return None;
    }
    Some(share + if starts { 1.0 } else { 0.0 })
}

/// The record of `candidates` that best holds the anchor's text, if any holds enough of it.
/// Ties go to the first in reading order.
pub fn best_match<'r>(a: &Anchor, candidates: &'r [Record]) -> Option<&'r Record> {
    let chars: Vec<char> = a.text.chars().collect();
    let ap = pairs(&chars);
    let mut best: Option<(f64, &Record)> = None;
    for r in candidates {
        if let Some(s) = score(&chars, &ap, r) {
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, r));
            }
        }
    }
    best.map(|(_, r)| r)
}

/// What [`carry_marks`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// Marked articles whose marks went to the article now holding their text.
    pub moved: usize,
    /// Marked articles found gone this time, kept as orphans.
    pub orphaned: usize,
    /// Orphans whose article is back.
    pub restored: usize,
}

fn meta_key(archive: &str) -> String {
    format!("carried:{archive}")
}

/// Before a rebuild replaces the live index: remember the text of marked articles that have no
/// anchor yet (marks made by an older kanbao) from the index being replaced, whatever version
/// made it, so that [`carry_marks`] can carry them once the rebuilt index is in.
pub fn save_legacy(store: &Store, state: &mut State) -> anyhow::Result<usize> {
    let ids = state.marked_without_anchor()?;
    let records = crate::index::records_by_id_any_version(store.live_dir(), &ids);
    remember(state, &archive_key(store), &records)?;
    Ok(records.len())
}

/// Carry marks to their articles after the index changed (nothing to do when it did not
/// change since the last time). Marks made before anchors existed are anchored first from
/// this index.
pub fn carry_marks(store: &Store, state: &mut State) -> anyhow::Result<Carried> {
    let archive = archive_key(store);
    // read before the anchors: an article marked meanwhile makes the next call look again
    let token = format!("{}|{}", store.version_token(), state.anchors_version()?);
    if state.meta(&meta_key(&archive))?.as_deref() == Some(token.as_str()) {
        return Ok(Carried::default());
    }
    let mut out = Carried::default();
    // marks without an anchor whose article this index holds: anchor them now
    let bare = state.marked_without_anchor()?;
    if !bare.is_empty() {
        let present = store.ids_present(&bare)?;
        let mut recs = Vec::new();
        for id in bare.iter().filter(|i| present.contains(*i)) {
            if let Some(r) = store.record(id)? {
                recs.push(r);
            }
        }
        remember(state, &archive, &recs)?;
    }
    let anchors = state.anchors(&archive)?;
    let ids: Vec<String> = anchors.iter().map(|a| a.id.clone()).collect();
    let present = store.ids_present(&ids)?;
    let mut by_issue: HashMap<(String, String), Vec<Record>> = HashMap::new();
    let anchored: std::collections::HashSet<&str> = anchors.iter().map(|a| a.id.as_str()).collect();
    for a in &anchors {
        if present.contains(&a.id) {
            if a.orphaned.is_some() {
                state.set_orphaned(&a.id, None)?;
                out.restored += 1;
            }
            if a.moved_to.is_some() {
                state.clear_moved(&a.id)?;
                out.restored += 1;
            }
            continue;
        }
        if a.moved_to.as_deref().is_some_and(|t| anchored.contains(t)) {
            // carried before: the article that took its marks answers for them (it is there,
            // or is carried on, or listed as an orphan itself)
            continue;
        }
        let key = (a.issue.clone(), a.source.clone());
        if !by_issue.contains_key(&key) {
            // the same issue (a moved file keeps its issue id); else the same file (edited)
            let mut c = store.records_of(Some(&a.issue), None)?;
            if c.is_empty() {
                c = store.records_of(None, Some(&a.source))?;
            }
            by_issue.insert(key.clone(), c);
        }
        match best_match(a, &by_issue[&key]) {
            Some(r) => {
                state.move_marks(&a.id, &anchor_of(&archive, r))?;
                out.moved += 1;
            }
            None => {
                if a.orphaned.is_none() {
                    state.set_orphaned(&a.id, Some(crate::state::now()))?;
                    out.orphaned += 1;
                }
            }
        }
    }
    state.set_meta(&meta_key(&archive), &token)?;
    if out.moved + out.orphaned + out.restored > 0 {
        log::info!(
            "marks: {} carried to their article's new id, {} newly orphaned, {} back",
            out.moved,
            out.orphaned,
            out.restored
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn rec(id: &str, seq: usize, paras: &[&str]) -> Record {
        Record {
            id: id.into(),
            issue: "i".into(),
            source: "a.txt".into(),
            seq,
            kind: Kind::Article,
            section: String::new(),
            kicker: String::new(),
            title: format!("标题{seq}"),
            subtitle: String::new(),
            byline: String::new(),
            dateline: String::new(),
            paragraphs: paras.iter().map(|s| s.to_string()).collect(),
            date: String::new(),
        }
    }

    #[test]
    fn merged_split_and_missing() {
        let a = rec(
            "a",
            1,
            &["上海市图书馆延长夜间开放时间，周五周六开到晚上十点。"],
        );
        let b = rec(
            "b",
            2,
            &["浦东新区新建三所学校，明年九月开学，招收新生两千名。"],
        );
        let anchor_a = anchor_of("x", &a);
        let anchor_b = anchor_of("x", &b);
        // merged: both texts in one article, it takes both
        let merged = rec("m", 1, &[&a.paragraphs[0], &b.paragraphs[0]]);
        let other = rec("o", 2, &["完全无关的一篇文章，讲天气。"]);
        let cands = vec![merged.clone(), other.clone()];
        assert_eq!(best_match(&anchor_a, &cands).unwrap().id, "m");
        assert_eq!(best_match(&anchor_b, &cands).unwrap().id, "m");
        // split in two: the part holding the start wins
        let first = rec("f", 1, &["上海市图书馆延长夜间开放时间，周五"]);
        let second = rec("s", 2, &["周六开到晚上十点。"]);
        let cands = vec![second, first];
        assert_eq!(best_match(&anchor_a, &cands).unwrap().id, "f");
        // gone: nothing holds enough of it
        assert!(best_match(&anchor_a, &[other]).is_none());
    }
}
