//! Issue 11: the same page always gives the same articles, and marks follow their article
//! through any re-cut (a new version of the analysis, an edited or moved file); several kanbao
//! processes at once never fail or lose a mark.

mod common;

use common::*;
use kanbao::follow;
use kanbao::index::Store;
use kanbao::model::{IssueMeta, Kind, Record};
use kanbao::state::{Marks, State};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Pages to analyse: samples, the shared corpus and news day files (when shared is there).
fn pages() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(repo().join("samples")).sort_by_file_name() {
        let p = e.unwrap().into_path();
        if p.extension().is_some_and(|x| x == "txt" || x == "md") {
            let text = kanbao::archive::decode(&std::fs::read(&p).unwrap())
                .unwrap()
                .text;
            out.push((p.display().to_string(), text));
        }
    }
    out.extend(shared_pages().unwrap_or_default());
    out.extend(news_days(300).unwrap_or_default());
    out
}

fn export(text: &str) -> String {
    let meta = IssueMeta {
        id: kanbao::archive::issue_id(text),
        ..Default::default()
    };
    let recs = kanbao::layout::analyze(text, &meta);
    recs.iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every page analysed again and again, on four threads at once, gives the same records,
/// byte for byte. (Hash maps are seeded anew for every map, so iteration-order dependence
/// shows up within one process.)
#[test]
fn analysis_is_deterministic_across_runs_and_threads() {
    let pages = pages();
    assert!(pages.len() >= 6);
    let reference: Vec<String> = pages.iter().map(|(_, t)| export(t)).collect();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for round in 0..3 {
                    for ((name, text), want) in pages.iter().zip(&reference) {
                        assert!(
                            export(text) == *want,
                            "{name}: analysis differs in round {round}"
                        );
                    }
                }
            });
        }
    });
}

/// A record's id depends on its issue and the start of its text only.
#[test]
fn ids_come_from_the_issue_and_the_start_of_the_text() {
    let r = |title: &str, paras: &[&str], seq| Record {
        id: String::new(),
        issue: "i1".into(),
        source: "a.txt".into(),
        seq,
        kind: Kind::Article,
        section: String::new(),
        kicker: String::new(),
        title: title.into(),
        subtitle: String::new(),
        byline: String::new(),
        dateline: String::new(),
        paragraphs: paras.iter().map(|s| s.to_string()).collect(),
        date: String::new(),
    };
    let long =
        "市图书馆延长夜间开放时间，自下月起周五和周六的闭馆时间延长至晚上十点，读者可凭证入馆。\
                馆方表示，此举是为了方便白天上班的读者。";
    let a = kanbao::layout::record_id(&r("标题", &[long], 1));
    // retitled, moved to another position, paragraphs broken elsewhere, text appended: same id
    assert_eq!(a, kanbao::layout::record_id(&r("新标题", &[long], 7)));
    let (p1, p2) = long.split_at(long.char_indices().nth(20).unwrap().0);
    assert_eq!(
        a,
        kanbao::layout::record_id(&r("标题", &[p1, p2, "又一段。"], 1))
    );
    // another start: another id; another issue: another id
    assert_ne!(
        a,
        kanbao::layout::record_id(&r("标题", &["另一篇文章的开头。"], 1))
    );
    let mut other = r("标题", &[long], 1);
    other.issue = "i2".into();
    assert_ne!(a, kanbao::layout::record_id(&other));
    // the same start twice in one issue: -2
    let mut two = vec![r("甲", &[long], 1), r("乙", &[long], 2)];
    kanbao::layout::assign_ids(&mut two);
    assert_eq!(two[1].id, format!("{}-2", two[0].id));
}

/// Another version of the analysis: the same pages cut differently. Of every five articles:
/// one is merged with the next, one split in two, one retitled, one has its headline glued
/// onto its first paragraph (so the start of its text changes), one is left alone.
fn recut(text: &str, meta: &IssueMeta) -> Vec<Record> {
    let recs = kanbao::layout::analyze(text, meta);
    let mut out: Vec<Record> = Vec::new();
    let mut k = 0;
    let mut it = recs.into_iter().peekable();
    while let Some(mut r) = it.next() {
        if r.kind != Kind::Article {
            out.push(r);
            continue;
        }
        k += 1;
        match k % 5 {
            0 if it.peek().is_some_and(|n| n.kind == Kind::Article) => {
                let n = it.next().unwrap();
                let mut all = vec![n.title.clone()];
                all.retain(|t| !t.is_empty());
                r.paragraphs.extend(all);
                r.paragraphs.extend(n.paragraphs);
                if !n.byline.is_empty() {
                    r.byline = format!("{} {}", r.byline, n.byline).trim().to_string();
                }
                for f in [n.kicker, n.subtitle, n.section, n.dateline] {
                    if !f.is_empty() {
                        r.paragraphs.push(f);
                    }
                }
                out.push(r);
            }
            2 => {
                let mut second = r.clone();
                second.kicker.clear();
                second.title.clear();
                second.subtitle.clear();
                second.byline.clear();
                second.section.clear();
                second.dateline.clear();
                if r.paragraphs.len() >= 2 {
                    let half = r.paragraphs.len() / 2;
                    second.paragraphs = r.paragraphs.split_off(half);
                } else if let Some(p) = r.paragraphs.first().cloned() {
                    let n = p.chars().count() / 2;
                    let cut = p.char_indices().nth(n).map(|x| x.0).unwrap_or(p.len());
                    r.paragraphs = vec![p[..cut].to_string()];
                    second.paragraphs = vec![p[cut..].to_string()];
                } else {
                    second.paragraphs.clear();
                }
                out.push(r);
                if second.paragraphs.iter().any(|p| !p.is_empty()) {
                    out.push(second);
                }
            }
            3 => {
                r.title = format!("（改）{}", r.title);
                out.push(r);
            }
            4 if !r.title.is_empty() => {
                let t = std::mem::take(&mut r.title);
                r.paragraphs.insert(0, t);
                out.push(r);
            }
            _ => out.push(r),
        }
    }
    for (i, r) in out.iter_mut().enumerate() {
        r.seq = i + 1;
    }
    kanbao::layout::assign_ids(&mut out);
    out
}

fn content(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn write_archive(dir: &Path) {
    copy_samples(dir);
    for (name, text) in shared_pages().unwrap_or_default() {
        let p = dir.join("shared").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    for (name, text) in news_days(40).unwrap_or_default() {
        let p = dir.join("news").join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// The marks a test sets on article number `i`.
fn marks_for(i: usize) -> Marks {
    let mut m = Marks {
        read: i.is_multiple_of(2),
        starred: i.is_multiple_of(3),
        position: if i.is_multiple_of(7) {
            3 + i as u32 % 5
        } else {
            0
        },
        tags: BTreeSet::new(),
    };
    if i.is_multiple_of(5) {
        m.tags.insert(format!("t{}", i % 4));
    }
    m
}

fn all_records(store: &Store) -> Vec<Record> {
    store
        .issues()
        .unwrap()
        .into_iter()
        .flat_map(|i| i.records)
        .collect()
}

struct Tally {
    marked: usize,
    kept: usize,
    moved: usize,
    orphans: usize,
}

/// Every old mark is on an article of its issue that holds its text start (same id or not), or
/// its id is listed as an orphan with the mark kept. Returns the counts.
fn check_marks_followed(
    before: &[(Record, Marks)],
    store: &Store,
    state: &State,
    what: &str,
) -> Tally {
    let now = all_records(store);
    let archive = follow::archive_key(store);
    let orphans: BTreeSet<String> = state
        .anchors(&archive)
        .unwrap()
        .into_iter()
        .filter(|a| a.orphaned.is_some())
        .map(|a| a.id)
        .collect();
    let mut t = Tally {
        marked: before.len(),
        kept: 0,
        moved: 0,
        orphans: 0,
    };
    for (old, m) in before {
        let start: String = content(&old.paragraphs.concat()).chars().take(16).collect();
        if orphans.contains(&old.id) {
            assert_eq!(
                &state.marks(&old.id).unwrap(),
                m,
                "{what}: orphan keeps its marks"
            );
            t.orphans += 1;
            continue;
        }
        // where the article's text now starts (the same source, maybe a new issue id)
        let holders: Vec<&Record> = now
            .iter()
            .filter(|r| r.source == old.source)
            .filter(|r| content(&r.text_fields().collect::<String>()).contains(&start))
            .collect();
        let carried = holders.iter().any(|r| {
            let have = state.marks(&r.id).unwrap();
            (!m.starred || have.starred)
                && (!m.read || have.read)
                && m.tags.is_subset(&have.tags)
                && (m.position == 0 || have.position > 0)
        });
        if !carried {
            let with: Vec<String> = now
                .iter()
                .filter(|r| r.source == old.source && state.marks(&r.id).unwrap() == *m)
                .map(|r| {
                    format!(
                        "{} {:?} {}",
                        r.id,
                        r.display_title(),
                        content(&r.paragraphs.concat())
                            .chars()
                            .take(30)
                            .collect::<String>()
                    )
                })
                .collect();
            let hold: Vec<String> = holders
                .iter()
                .map(|r| {
                    format!(
                        "{} {:?} {:?}",
                        r.id,
                        r.display_title(),
                        state.marks(&r.id).unwrap()
                    )
                })
                .collect();
            panic!(
                "{what}: marks {m:?} of {} ({:?}, starting {start}) are on no article holding its \
                 text, and it is not an orphan; records with these marks: {with:#?}; holders: {hold:#?}",
                old.id,
                old.display_title()
            );
        }
        if now.iter().any(|r| r.id == old.id) {
            t.kept += 1;
        } else {
            t.moved += 1;
        }
    }
    t
}

/// Mark articles on the samples, the seeds, the real pages and news day files; cut every page
/// differently (a new analysis), rebuild: no mark is lost. Then back to the first analysis.
#[test]
fn marks_follow_their_article_through_a_recut() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    write_archive(&arch);
    let mut store = Store::open(&data, &arch, &mut Vec::new()).unwrap();
    store.sync(&arch, &mut |_, _, _| {}).unwrap();
    let mut state = State::open(&data).unwrap();
    let archive = follow::archive_key(&store);
    let arts: Vec<Record> = all_records(&store)
        .into_iter()
        .filter(|r| r.kind == Kind::Article)
        .collect();
    assert!(arts.len() > 50, "{} articles", arts.len());
    let mut before = Vec::new();
    for (i, r) in arts.iter().enumerate() {
        let m = marks_for(i);
        if m == Marks::default() {
            continue;
        }
        state
            .atomically(|st| {
                follow::remember(st, &archive, [r])?;
                st.set_read(&r.id, m.read)?;
                st.set_starred(&r.id, m.starred)?;
                st.set_position(&r.id, m.position)?;
                st.set_tags(&r.id, &m.tags)
            })
            .unwrap();
        before.push((r.clone(), m));
    }
    // a new version of the analysis, applied by a rebuild
    let mut store = Store::recreate(&data, &arch).unwrap();
    store.set_analyzer(recut);
    store.sync(&arch, &mut |_, _, _| {}).unwrap();
    let c = follow::carry_marks(&store, &mut state).unwrap();
    let tally = check_marks_followed(&before, &store, &state, "recut");
    eprintln!(
        "recut: {} marked articles: {} kept their id, {} followed to a new id, {} orphans \
         (carry_marks: {c:?})",
        tally.marked, tally.kept, tally.moved, tally.orphans
    );
    assert!(tally.moved > 10, "the recut changed ids: {}", tally.moved);
    assert_eq!(tally.kept + tally.moved + tally.orphans, tally.marked);
    // nothing to do again until something changes
    let again = follow::carry_marks(&store, &mut state).unwrap();
    assert_eq!((again.moved, again.orphaned), (0, 0));
    // back to the real analysis: the marks follow again; the old ids come back with them
    let mut store = Store::recreate(&data, &arch).unwrap();
    store.sync(&arch, &mut |_, _, _| {}).unwrap();
    follow::carry_marks(&store, &mut state).unwrap();
    let back = check_marks_followed(&before, &store, &state, "back");
    assert_eq!(back.orphans, 0);
    eprintln!(
        "back: {} marked articles: {} on their old id again, {} elsewhere",
        back.marked, back.kept, back.moved
    );
}

/// The ids `kanbao list --articles --json [extra…]` prints.
fn listed_ids(data: &Path, arch: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["list", "--articles", "--json"];
    args.extend_from_slice(extra);
    ids_json(data, arch, &args)
        .into_iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

fn ids_json(data: &Path, arch: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let (ok, out, err) = kanbao(data, arch, args);
    assert!(ok, "{args:?}: {err}");
    jsonl(&out)
}

/// As a user loses them: mark from the command line, then edit the file (a paragraph added, a
/// typo fixed), move it, delete it, bring it back.
#[test]
fn marks_follow_edits_and_moves_and_orphans_are_listed() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    copy_samples(&arch);
    let file = "2025/xiangcun-2025-01-06-p2.txt";
    let arts: Vec<serde_json::Value> = ids_json(&data, &arch, &["list", "--articles", "--json"])
        .into_iter()
        .filter(|v| v["source"] == file)
        .collect();
    assert!(arts.len() >= 2, "{arts:?}");
    let ids: Vec<String> = arts
        .iter()
        .map(|v| v["id"].as_str().unwrap().into())
        .collect();
    let titles: BTreeSet<String> = arts
        .iter()
        .map(|v| v["title"].as_str().unwrap().into())
        .collect();
    let mut args = vec!["mark", "--star"];
    args.extend(ids.iter().map(|s| s.as_str()));
    assert!(kanbao(&data, &arch, &args).0);
    assert!(kanbao(&data, &arch, &["mark", "--tag", "劳动", &ids[0]]).0);
    let starred = |data: &Path, arch: &Path| -> BTreeSet<String> {
        ids_json(data, arch, &["list", "--articles", "--starred", "--json"])
            .into_iter()
            .map(|v| v["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(starred(&data, &arch), titles);
    // the start of each starred article's text, and the texts of the starred articles now
    let show = |id: &str| {
        let (ok, out, err) = kanbao(&data, &arch, &["show", id]);
        assert!(ok, "{err}");
        content(&out)
    };
    let exported = ids_json(&data, &arch, &["export"]);
    let starts: Vec<String> = ids
        .iter()
        .map(|id| {
            let r = exported.iter().find(|v| v["id"] == id.as_str()).unwrap();
            let body: String = r["paragraphs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            // past the first letters, where the "typo" goes
            content(&body).chars().skip(6).take(10).collect()
        })
        .collect();
    let starred_hold_every_start = |what: &str| {
        let texts: Vec<String> = listed_ids(&data, &arch, &["--starred"])
            .iter()
            .map(|id| show(id))
            .collect();
        for s in &starts {
            assert!(
                texts.iter().any(|t| t.contains(s.as_str())),
                "{what}: no starred article holds {s}"
            );
        }
    };
    // edit: fix a "typo" in the first article's opening words and add a paragraph to it
    let path = arch.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let first_body = kanbao::layout::analyze(&text, &IssueMeta::default())
        .into_iter()
        .find(|r| r.kind == Kind::Article)
        .unwrap()
        .paragraphs[0]
        .clone();
    // the first two letters in a row of its body, as printed in the file
    let chars: Vec<char> = first_body.chars().collect();
    let at = chars
        .windows(2)
        .filter(|w| w.iter().all(|c| c.is_alphanumeric()))
        .find_map(|w| text.find(&w.iter().collect::<String>()))
        .expect("first body in the file");
    let ch = text[at..].chars().next().unwrap();
    let edited = format!(
        "{}{}{}",
        &text[..at],
        if ch == '改' { '动' } else { '改' },
        &text[at + ch.len_utf8()..]
    );
    std::fs::write(
        &path,
        format!("{edited}\n补充一段新的内容，记者后来又了解到更多情况。\n"),
    )
    .unwrap();
    let (ok, _, err) = kanbao(&data, &arch, &["index"]);
    assert!(ok, "{err}");
    assert!(err.contains("followed their article"), "{err}");
    starred_hold_every_start("edited");
    let tagged = ids_json(
        &data,
        &arch,
        &["list", "--articles", "--tag", "劳动", "--json"],
    );
    assert_eq!(tagged.len(), 1);
    assert!(
        !ids.contains(&tagged[0]["id"].as_str().unwrap().to_string()),
        "the edited article has a new id"
    );
    // move it: the issue id is the same, so are the article ids
    std::fs::create_dir_all(arch.join("moved")).unwrap();
    std::fs::rename(&path, arch.join("moved/x.txt")).unwrap();
    starred_hold_every_start("moved");
    // delete it: the marks are orphans, listed, and nothing is dropped
    let saved = std::fs::read(arch.join("moved/x.txt")).unwrap();
    std::fs::remove_file(arch.join("moved/x.txt")).unwrap();
    assert!(starred(&data, &arch).is_empty());
    let orphans = ids_json(&data, &arch, &["list", "--orphans", "--json"]);
    assert!(
        !orphans.is_empty() && orphans.len() <= ids.len(),
        "{orphans:?}"
    );
    assert!(orphans.iter().all(|o| o["starred"] == true));
    for s in &starts {
        assert!(
            orphans
                .iter()
                .any(|o| o["text"].as_str().unwrap().contains(s.as_str())),
            "no orphan holds {s}: {orphans:?}"
        );
    }
    assert!(orphans.iter().any(|o| o["tags"][0] == "劳动"));
    let (ok, out, _) = kanbao(&data, &arch, &["list", "--orphans"]);
    assert!(ok && out.lines().count() == orphans.len(), "{out}");
    // it comes back: so do the marks
    std::fs::write(arch.join("moved/x.txt"), saved).unwrap();
    starred_hold_every_start("back");
    assert!(ids_json(&data, &arch, &["list", "--orphans", "--json"]).is_empty());
}

/// Eight processes marking while a ninth rebuilds the index, twenty times: no command fails,
/// and every acknowledged mark is there at the end of each trial.
#[test]
fn eight_markers_and_a_rebuild_at_once() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    copy_samples(&arch);
    let ids = listed_ids(&data, &arch, &[]);
    assert!(ids.len() >= 16);
    let bin = env!("CARGO_BIN_EXE_kanbao");
    let run = |args: Vec<String>| {
        std::process::Command::new(bin)
            .arg("--data-dir")
            .arg(&data)
            .arg("--archive")
            .arg(&arch)
            .args(args)
            .output()
            .unwrap()
    };
    let mut failures = Vec::new();
    for trial in 0..20 {
        let mut starred_now: BTreeMap<String, bool> = BTreeMap::new();
        std::thread::scope(|s| {
            let rebuild = s.spawn(|| run(vec!["index".into(), "--rebuild".into()]));
            let markers: Vec<_> = (0..8)
                .map(|p| {
                    let ids = &ids;
                    let run = &run;
                    s.spawn(move || {
                        let mut outs = Vec::new();
                        for k in 0..2 {
                            // sixteen ids, each marked by one process in a trial
                            let id = &ids[(p * 2 + k + trial) % ids.len()];
                            let star = (trial + k) % 2 == 0;
                            let flag = if star { "--star" } else { "--unstar" };
                            outs.push((
                                id.clone(),
                                star,
                                run(vec!["mark".into(), flag.into(), id.clone()]),
                            ));
                        }
                        outs
                    })
                })
                .collect();
            for m in markers {
                for (id, star, o) in m.join().unwrap() {
                    if !o.status.success() {
                        failures.push(format!(
                            "trial {trial}: mark {id}: {}",
                            String::from_utf8_lossy(&o.stderr)
                        ));
                    } else {
                        starred_now.insert(id, star);
                    }
                }
            }
            let o = rebuild.join().unwrap();
            if !o.status.success() {
                failures.push(format!(
                    "trial {trial}: rebuild: {}",
                    String::from_utf8_lossy(&o.stderr)
                ));
            }
        });
        let starred: BTreeSet<String> = listed_ids(&data, &arch, &["--starred"])
            .into_iter()
            .collect();
        for (id, star) in &starred_now {
            // each id is marked by one process per trial, so its last state is known
            assert_eq!(starred.contains(id), *star, "trial {trial}: {id}");
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The reader says once, in its status line, that marked articles were lost.
#[test]
fn the_reader_tells_of_orphans_once() {
    let keep = tempfile::tempdir().unwrap();
    let (arch, data) = (keep.path().join("a"), keep.path().join("d"));
    copy_samples(&arch);
    let file = "2025/xiangcun-2025-01-06-p2.txt";
    let ids: Vec<String> = ids_json(&data, &arch, &["list", "--articles", "--json"])
        .into_iter()
        .filter(|v| v["source"] == file)
        .map(|v| v["id"].as_str().unwrap().to_string())
        .take(2)
        .collect();
    assert!(kanbao(&data, &arch, &["mark", "--star", &ids[0], &ids[1]]).0);
    std::fs::remove_file(arch.join(file)).unwrap();
    told_then_not(
        &arch,
        &data,
        ("2 marked articles gone", "kanbao list --orphans"),
        || {},
        ("a · 5 issues", "articles gone"),
    );
    drop(keep);
}

/// Open the reader on `arch` in tmux and wait for `said.0` (with `said.1` on the same screen),
/// quit, run `between`, open it again: once `then.0` shows, `then.1` is nowhere on screen.
/// Nothing is checked without tmux (KANBAO_REQUIRE_TMUX makes that fail).
fn told_then_not(
    arch: &Path,
    data: &Path,
    said: (&str, &str),
    between: impl FnOnce(),
    then: (&str, &str),
) {
    let args = format!("--archive {}", arch.display());
    let open = |keep| common::tmux::Tmux::start_in(120, 30, &args, data, keep);
    let Some(t) = open(tempfile::tempdir().unwrap()) else {
        return;
    };
    let screen = t.wait_for(said.0);
    assert!(screen.contains(said.1), "{screen}");
    t.send(&["q"]);
    t.wait_for("EXIT=0");
    between();
    let t = open(tempfile::tempdir().unwrap()).unwrap();
    let screen = t.wait_for(then.0);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let screen2 = t.capture();
    assert!(
        !screen2.contains(then.1),
        "told again:\n{screen}\n{screen2}"
    );
    t.send(&["q"]);
}

/// While another process holds the index's write lock: reading and marking go on at once with
/// the last committed index and say so; `kanbao index` waits, says so, and finishes after.
#[test]
fn a_writer_at_work_neither_blocks_readers_nor_is_trampled() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    copy_samples(&arch);
    let ids = listed_ids(&data, &arch, &[]);
    let dir = kanbao::index::index_dir(&data, &arch);
    let lock = kanbao::index::lock::WriteLock::try_acquire(&dir)
        .unwrap()
        .expect("nobody holds it");
    // a new file: there is work to do, but the lock is taken
    std::fs::write(
        arch.join("new.txt"),
        "新文章标题\n\n本报讯 新的内容在这里。\n",
    )
    .unwrap();
    let t0 = std::time::Instant::now();
    let (ok, out, err) = kanbao(&data, &arch, &["search", "--json", "本报"]);
    assert!(ok && !out.is_empty(), "{err}");
    assert!(err.contains("another kanbao is updating"), "{err}");
    let (ok, _, err) = kanbao(&data, &arch, &["mark", "--star", &ids[0]]);
    assert!(ok, "{err}");
    assert!(
        t0.elapsed() < std::time::Duration::from_secs(20),
        "they did not wait"
    );
    let bin = env!("CARGO_BIN_EXE_kanbao");
    let child = std::process::Command::new(bin)
        .arg("--data-dir")
        .arg(&data)
        .arg("--archive")
        .arg(&arch)
        .arg("index")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    drop(lock);
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("waiting for another kanbao"), "{err}");
    assert!(
        err.contains("index: 1 file"),
        "it did the work after: {err}"
    );
    let starred = ids_json(&data, &arch, &["list", "--articles", "--starred", "--json"]);
    assert_eq!(starred.len(), 1);
}

/// Upgrading from a kanbao whose ids differ (and which kept no anchors): the index of the old
/// version is rebuilt, and before it goes the marked articles' text is read from it, so the marks
/// follow their articles to the new ids.
#[test]
fn marks_of_an_older_version_follow_through_the_upgrade_rebuild() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    let (old, live) = indexed_as_before(&data, &arch);
    let state = State::open(&data).unwrap();
    let marked: Vec<&Record> = old.iter().step_by(3).collect();
    for r in &marked {
        // as an old kanbao marked: the id only, no anchor
        state.set_starred(&r.id, true).unwrap();
    }
    // its index says it is of another schema version
    rusqlite::Connection::open(live.join("catalog.sqlite"))
        .unwrap()
        .execute(
            "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    let store = kanbao::cmd::open::open_synced(&data, &arch, false, true).unwrap();
    let now = all_records(&store);
    let moved = stars_followed(&State::open(&data).unwrap(), &marked, &now);
    assert!(moved > 0, "some ids changed with the version");
}

/// The samples copied to `arch` and indexed with [`recut`] (another cut, so other ids), as an
/// older kanbao left them: its articles, and the live index folder.
fn indexed_as_before(data: &Path, arch: &Path) -> (Vec<Record>, std::path::PathBuf) {
    copy_samples(arch);
    let mut store = Store::open(data, arch, &mut Vec::new()).unwrap();
    store.set_analyzer(recut);
    store.sync(arch, &mut |_, _, _| {}).unwrap();
    let old = all_records(&store)
        .into_iter()
        .filter(|r| r.kind == Kind::Article)
        .collect();
    (old, store.live_dir().to_path_buf())
}

/// Each star of `marked` is on an article of `now` holding a piece of its text (the start of
/// its longest paragraph: a glued-on headline is short). Returns how many moved to another id.
fn stars_followed(state: &State, marked: &[&Record], now: &[Record]) -> usize {
    let mut moved = 0;
    for r in marked {
        let longest = r
            .paragraphs
            .iter()
            .max_by_key(|p| p.chars().count())
            .unwrap();
        let piece: String = content(longest).chars().take(16).collect();
        let holder = now
            .iter()
            .filter(|n| content(&n.paragraphs.concat()).contains(&piece))
            .find(|n| state.marks(&n.id).unwrap().starred);
        assert!(
            holder.is_some(),
            "the star of {:?} is on no article holding it",
            r.display_title()
        );
        moved += usize::from(holder.unwrap().id != r.id);
    }
    moved
}

#[test]
fn kanbao_index_cuts_again_what_an_older_analysis_cut_and_marks_follow() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    // pages cut by "an older analysis": another cut, and the index says so (below)
    let (old, live) = indexed_as_before(&data, &arch);
    assert!(
        !kanbao::index::cut_by_older_analysis(&live),
        "a new index has this analysis' stamp"
    );
    let marked: Vec<&Record> = old.iter().step_by(3).collect();
    // marked as a user marks (the mark keeps what its article says)
    let mut args = vec!["mark", "--star"];
    args.extend(marked.iter().map(|r| r.id.as_str()));
    let (ok, _, err) = kanbao(&data, &arch, &args);
    assert!(ok, "{err}");
    rusqlite::Connection::open(live.join("catalog.sqlite"))
        .unwrap()
        .execute("UPDATE meta SET value = 'old' WHERE key = 'analysis'", [])
        .unwrap();
    assert!(kanbao::index::cut_by_older_analysis(&live));
    // reading commands use the index as it is, and say nothing about it
    let (ok, _, err) = kanbao(&data, &arch, &["list"]);
    assert!(ok && !err.contains("older version"), "{err}");
    let (ok, _, err) = kanbao(&data, &arch, &["index"]);
    assert!(ok, "{err}");
    assert!(
        err.contains("older version of the layout analysis"),
        "{err}"
    );
    assert!(!kanbao::index::cut_by_older_analysis(&live));
    // now cut as this version cuts them: the same records as a fresh index
    let store = Store::open(&data, &arch, &mut Vec::new()).unwrap();
    let now = all_records(&store);
    let fresh_dir = t.path().join("fresh");
    let mut fresh = Store::open(&fresh_dir, &arch, &mut Vec::new()).unwrap();
    fresh.sync(&arch, &mut |_, _, _| {}).unwrap();
    let ids = |rs: &[Record]| {
        rs.iter()
            .filter(|r| r.kind == Kind::Article)
            .map(|r| r.id.clone())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(ids(&now), ids(&all_records(&fresh)));
    assert_ne!(ids(&now), ids(&old), "the older cut had other ids");
    assert!(stars_followed(&State::open(&data).unwrap(), &marked, &now) > 0);
    // once is enough: the next `kanbao index` only checks the archive
    let (ok, _, err) = kanbao(&data, &arch, &["index"]);
    assert!(ok && !err.contains("older version"), "{err}");
}

/// The reader says when the index's pages were cut by an older analysis (re-cutting a large
/// archive is minutes of work: `kanbao index` does it), and says nothing once they are not.
#[test]
fn the_reader_tells_of_pages_cut_by_an_older_analysis() {
    let keep = tempfile::tempdir().unwrap();
    let (arch, data) = (keep.path().join("a"), keep.path().join("d"));
    copy_samples(&arch);
    assert!(kanbao(&data, &arch, &["index"]).0);
    let live = kanbao::index::index_dir(&data, &arch);
    rusqlite::Connection::open(live.join("catalog.sqlite"))
        .unwrap()
        .execute("UPDATE meta SET value = 'old' WHERE key = 'analysis'", [])
        .unwrap();
    told_then_not(
        &arch,
        &data,
        ("pages cut by an older kanbao", "`kanbao index`"),
        || assert!(kanbao(&data, &arch, &["index"]).0),
        ("a · 6 issues", "older kanbao"),
    );
    drop(keep);
}
