//! The search index against brute force: query forms, malformed input, syncing with the
//! archive, rebuilding a damaged index, and the shared search oracle.

mod common;

use common::*;
use kanbao::index::{query, Store};
use std::path::Path;

/// A small archive of our own in a temp folder.
fn archive<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = d.path().join(name.as_ref());
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text.as_ref()).unwrap();
    }
    d
}

const A: &str = "浦东新区推进劳动关系和谐\n\n■本报记者 章晓\n\n本报讯 浦东新区召开和谐劳动关系大会，表彰先进企业。\n\n\u{3000}\u{3000}来自ＡＢＣ公司的HR代表发言。\n";
const B: &str = "黄浦江畔科学游园会\n\n■本报记者 林一\n\n本报讯 科学游园会在滨江举行，劳动模范到场。\n\n来自挪威的Piotr Lobodzinski获得冠军。\n";

fn open(data: &Path, arch: &Path) -> Store {
    let mut msgs = Vec::new();
    let mut s = Store::open(data, arch, &mut msgs).unwrap();
    s.sync(arch, &mut |_, _, _| {}).unwrap();
    s
}

fn ids(s: &Store, q: &str) -> Vec<String> {
    let r = s.search(&query::parse(q).unwrap(), 1000).unwrap();
    assert_eq!(r.total, r.hits.len(), "total counts every match for {q}");
    let mut v: Vec<String> = r.hits.into_iter().map(|h| h.title).collect();
    v.sort();
    v
}

#[test]
fn query_forms() {
    let a = archive(&[("2023/x-20231118.txt", A), ("2024/y-20240105.txt", B)]);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    let t1 = "浦东新区推进劳动关系和谐".to_string();
    let t2 = "黄浦江畔科学游园会".to_string();
    // substring semantics while typing
    assert_eq!(ids(&s, "劳"), vec![t1.clone(), t2.clone()]);
    assert_eq!(ids(&s, "劳动"), vec![t1.clone(), t2.clone()]);
    assert_eq!(ids(&s, "劳动关"), vec![t1.clone()]);
    // AND, phrase with a space, exclusion, OR
    assert_eq!(ids(&s, "劳动 游园"), vec![t2.clone()]);
    assert_eq!(ids(&s, "\"Piotr Lobodzinski\""), vec![t2.clone()]);
    assert_eq!(
        ids(&s, "\"Piotr  lobodzinski\""),
        vec![t2.clone()],
        "white space and case fold"
    );
    assert_eq!(ids(&s, "劳动 -游园"), vec![t1.clone()]);
    assert_eq!(ids(&s, "章晓 OR 林一"), vec![t1.clone(), t2.clone()]);
    assert_eq!(
        ids(&s, "-浦东"),
        vec![t2.clone()],
        "a purely negative query excludes from everything"
    );
    // fields
    assert_eq!(ids(&s, "title:科学"), vec![t2.clone()]);
    assert_eq!(ids(&s, "title:劳动模范"), Vec::<String>::new());
    assert_eq!(ids(&s, "byline:章晓"), vec![t1.clone()]);
    assert_eq!(ids(&s, "issue:2024/"), vec![t2.clone()]);
    assert_eq!(ids(&s, "date:2023-11"), vec![t1.clone()]);
    assert_eq!(ids(&s, "date:2024-01..2024-06"), vec![t2.clone()]);
    assert_eq!(ids(&s, "劳动 date:2024"), vec![t2.clone()]);
    // NFKC: full-width ＡＢＣ finds abc, and the other way round
    assert_eq!(ids(&s, "abc"), vec![t1.clone()]);
    assert_eq!(ids(&s, "ＡＢＣ"), vec![t1.clone()]);
    assert_eq!(ids(&s, "hr"), vec![t1.clone()]);
    // no match across fields (谐 ends the title, 本报 starts the byline) or paragraphs
    assert_eq!(ids(&s, "谐本报"), Vec::<String>::new());
    assert_eq!(ids(&s, "企业。来自"), Vec::<String>::new());
    assert_eq!(ids(&s, "企业。"), vec![t1.clone()]);
    // the issue id as issue:
    let issue = kanbao::archive::issue_id(A);
    assert_eq!(ids(&s, &format!("issue:{issue}")), vec![t1.clone()]);
}

#[test]
fn titles_rank_above_bodies_and_snippets_count_characters() {
    let a = archive(&[
        (
            "a.txt",
            "游园会上的故事\n\n本报讯 今天很多市民去了公园，大家都很开心。\n",
        ),
        (
            "b.txt",
            "公园新闻\n\n本报讯 滨江举行游园会，市民参加游园会的热情很高。\n",
        ),
    ]);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    let r = s.search(&query::parse("游园会").unwrap(), 10).unwrap();
    assert_eq!(r.hits[0].title, "游园会上的故事", "title hit ranks first");
    let h = &r.hits[1];
    let chars: Vec<char> = h.snippet.chars().collect();
    assert!(!h.highlights.is_empty());
    for [s, e] in &h.highlights {
        assert_eq!(chars[*s..*e].iter().collect::<String>(), "游园会");
    }
}

#[test]
fn malformed_queries_are_errors_not_empty_answers() {
    for q in [
        "\"劳动",
        "-",
        "foo:bar",
        "title:",
        "OR 劳动",
        "劳动 OR",
        "date:2023-13",
        "\"\"",
    ] {
        let e = query::parse(q).expect_err(q);
        assert!(e.to_string().len() > 10, "{q}: message {e}");
    }
    let json = kanbao::cmd::search::json_line("\"劳动", Err("unbalanced quote".into()));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["query"], "\"劳动");
    assert!(v["error"].as_str().unwrap().contains("unbalanced"));
    assert!(v.get("hits").is_none(), "an error carries no hits");
}

#[test]
fn sync_follows_the_archive() {
    let a = archive(&[("a.txt", A), ("b.txt", B)]);
    let data = tempfile::tempdir().unwrap();
    let mut msgs = Vec::new();
    let mut s = Store::open(data.path(), a.path(), &mut msgs).unwrap();
    let r = s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert_eq!((r.indexed, r.unchanged, r.removed), (2, 0, 0));
    // unchanged files are skipped
    let r = s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert_eq!((r.indexed, r.unchanged, r.removed), (0, 2, 0));
    // a changed file is re-indexed, its old records dropped
    std::fs::write(
        a.path().join("a.txt"),
        A.replace("表彰先进企业", "表彰优秀单位"),
    )
    .unwrap();
    let r = s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert_eq!((r.indexed, r.unchanged), (1, 1));
    assert!(ids(&s, "先进企业").is_empty());
    assert_eq!(ids(&s, "优秀单位").len(), 1);
    // a touched but identical file is not re-analysed into duplicates
    let text = std::fs::read(a.path().join("b.txt")).unwrap();
    std::fs::write(a.path().join("b.txt"), &text).unwrap();
    let before = s.len();
    s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert_eq!(s.len(), before);
    // a renamed file keeps its records once; a removed file's records go
    std::fs::rename(a.path().join("b.txt"), a.path().join("c.txt")).unwrap();
    let r = s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert_eq!(r.removed, 1);
    assert_eq!(ids(&s, "游园会").len(), 1);
    std::fs::remove_file(a.path().join("c.txt")).unwrap();
    s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert!(ids(&s, "游园会").is_empty());
    // the index gives back the issues with their records and metadata
    let issues = s.issues().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].meta.source, "a.txt");
    assert!(!issues[0].records.is_empty());
    // nothing was written into the archive
    let names: Vec<_> = std::fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn damaged_or_old_index_is_rebuilt_with_a_message() {
    let a = archive(&[("a.txt", A)]);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    let dir = s.dir.clone();
    drop(s);
    // older schema version in the catalog
    rusqlite::Connection::open(dir.join("catalog.sqlite"))
        .unwrap()
        .execute(
            "UPDATE meta SET value = '0' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    let mut msgs = Vec::new();
    let mut s = Store::open(data.path(), a.path(), &mut msgs).unwrap();
    assert!(
        msgs.iter().any(|m| m.contains("another version")),
        "{msgs:?}"
    );
    s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert_eq!(ids(&s, "劳动").len(), 1);
    drop(s);
    // garble every segment file
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".idx")
            || name.ends_with(".pos")
            || name.ends_with(".term")
            || name.ends_with(".store")
        {
            let len = std::fs::metadata(&p).unwrap().len();
            std::fs::write(&p, vec![0xAB; (len / 2) as usize]).unwrap();
        }
    }
    let mut msgs = Vec::new();
    let mut s = Store::open(data.path(), a.path(), &mut msgs).unwrap();
    assert!(msgs.iter().any(|m| m.contains("rebuilding")), "{msgs:?}");
    s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    assert_eq!(ids(&s, "劳动").len(), 1);
    // a missing catalog with index files present is rebuilt too
    drop(s);
    std::fs::remove_file(dir.join("catalog.sqlite")).unwrap();
    let mut msgs = Vec::new();
    Store::open(data.path(), a.path(), &mut msgs).unwrap();
    assert!(!msgs.is_empty());
}

/// Brute-force check in Rust on our samples (every 1–4 character Han substring of titles and
/// the first paragraph of each record, and Latin/digit words).
#[test]
fn samples_search_matches_brute_force() {
    let dir = repo().join("samples");
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), &dir);
    let recs: Vec<kanbao::model::Record> = load(&dir).into_iter().flat_map(|i| i.records).collect();
    let fields = |r: &kanbao::model::Record| -> Vec<String> {
        let mut v: Vec<String> = [&r.title, &r.kicker, &r.subtitle, &r.byline]
            .iter()
            .map(|x| x.to_string())
            .collect();
        v.extend(r.paragraphs.iter().cloned());
        v.into_iter()
            .filter(|x| !x.is_empty())
            .map(|x| kanbao::text::fold(&x))
            .collect()
    };
    let mut queries = std::collections::BTreeSet::new();
    for r in &recs {
        for f in fields(r).iter().take(2) {
            let chars: Vec<char> = f.chars().filter(|c| kanbao::text::is_han(*c)).collect();
            for k in 1..=4 {
                for w in chars.windows(k).step_by(7) {
                    queries.insert(w.iter().collect::<String>());
                }
            }
        }
    }
    queries.insert("ingrid".into());
    queries.insert("2024".into());
    assert!(queries.len() > 200);
    for q in &queries {
        let want: std::collections::BTreeSet<String> = recs
            .iter()
            .filter(|r| fields(r).iter().any(|f| f.contains(q.as_str())))
            .map(|r| r.id.clone())
            .collect();
        let res = s.search(&query::parse(q).unwrap(), 100_000).unwrap();
        let got: std::collections::BTreeSet<String> = res.hits.into_iter().map(|h| h.id).collect();
        assert_eq!(got, want, "query {q:?}");
        assert_eq!(res.total, want.len());
    }
}

/// The shared oracle, through the real binary, on the seeds and on the samples.
#[test]
fn search_oracle_on_seeds_and_samples() {
    let Some(shared) = shared() else { return };
    let bin = env!("CARGO_BIN_EXE_kanbao");
    for archive in [shared.join("corpus").join("seeds"), repo().join("samples")] {
        let data = tempfile::tempdir().unwrap();
        let export = data.path().join("export.jsonl");
        let out = std::process::Command::new(bin)
            .arg("--archive")
            .arg(&archive)
            .arg("export")
            .output()
            .unwrap();
        assert!(out.status.success());
        std::fs::write(&export, &out.stdout).unwrap();
        let cmd = format!(
            "{bin} --archive {} --data-dir {} search --json --stdin --limit 100000",
            archive.display(),
            data.path().display()
        );
        let o = std::process::Command::new("python3")
            .arg(shared.join("eval").join("search_oracle.py"))
            .arg("--export")
            .arg(&export)
            .args(["--queries", "600", "--cmd", &cmd, "--verbose"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        eprintln!("{}: {text}", archive.display());
        assert!(
            o.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(text.contains("recall=1.0000 precision=1.0000"), "{text}");
    }
}

/// Pinyin for users without a Chinese input method, measured on the real seeds: every 2–4
/// character Han word sampled from the text (jieba words) is found by its full pinyin and by
/// its initials, among the marked matches after the literal ones.
#[test]
fn pinyin_finds_every_sampled_word_on_the_seeds() {
    let Some(shared) = shared() else { return };
    let seeds = shared.join("corpus").join("seeds");
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), &seeds);
    let issues = s.issues().unwrap();
    let jieba = kanbao::layout::jieba();
    // every distinct 2–4 character Han word, each with one record it occurs in
    let mut words: std::collections::BTreeMap<String, String> = Default::default();
    for r in issues.iter().flat_map(|i| &i.records) {
        // the searchable fields (as the oracle counts them)
        let fields = [&r.kicker, &r.title, &r.subtitle, &r.byline]
            .into_iter()
            .chain(&r.paragraphs);
        for t in fields {
            for w in jieba.cut(t, false) {
                let w = w.word;
                let n = w.chars().count();
                if (2..=4).contains(&n) && w.chars().all(kanbao::text::is_cjk) {
                    words.entry(w.to_string()).or_insert_with(|| r.id.clone());
                }
            }
        }
    }
    // a fixed sample spread over the whole list
    let all: Vec<(&String, &String)> = words.iter().collect();
    let step = (all.len() / 400).max(1);
    let sample: Vec<_> = all.iter().step_by(step).collect();
    assert!(sample.len() >= 300, "{} words sampled", sample.len());
    let (mut full_ok, mut init_ok) = (0, 0);
    let mut misses = Vec::new();
    for (word, id) in &sample {
        let read: Vec<Vec<String>> = word
            .chars()
            .map(kanbao::index::variants::readings)
            .collect();
        let full: String = read.iter().map(|r| r[0].clone()).collect();
        let init: String = read.iter().map(|r| r[0][..1].to_string()).collect();
        for (q, ok) in [(full, &mut full_ok), (init, &mut init_ok)] {
            let r = s.search(&query::parse(&q).unwrap(), 100_000).unwrap();
            let found = r.hits.iter().chain(&r.also).any(|h| &h.id == *id);
            if found {
                *ok += 1;
            } else {
                misses.push(format!("{word} as {q}"));
            }
            assert!(r.also.iter().all(|h| h.via.is_some()), "marked");
        }
    }
    eprintln!(
        "pinyin recall on the seeds: {} words, full {full_ok}/{n}, initials {init_ok}/{n}",
        sample.len(),
        n = sample.len()
    );
    assert!(misses.is_empty(), "not found: {misses:?}");
}

#[test]
fn pinyin_and_script_matches_come_after_literal_ones_and_are_marked() {
    let a = archive(&[
        ("a.txt", A),
        ("b.txt", B),
        ("c.txt", "勞動關係研討會\n\n本報訊 專家學者討論勞動關係。\n"),
        (
            "d.txt",
            "Laodong Weekly\n\n本报讯 The laodong column returns.\n",
        ),
    ]);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    let search = |q: &str| s.search(&query::parse(q).unwrap(), 100).unwrap();
    // simplified finds traditional, and back, marked 繁简
    let r = search("劳动关系");
    assert_eq!(r.total, 1, "literal: only a.txt");
    assert_eq!(r.also.len(), 1);
    assert_eq!(r.also[0].source, "c.txt");
    assert_eq!(r.also[0].via, Some(kanbao::index::Via::Script));
    let snip: Vec<char> = r.also[0].snippet.chars().collect();
    let [x, y] = r.also[0].highlights[0];
    assert_eq!(
        snip[x..y].iter().collect::<String>(),
        "勞動關係",
        "the original characters are highlighted"
    );
    let r = search("勞動");
    assert_eq!(
        r.hits.iter().map(|h| h.source.as_str()).collect::<Vec<_>>(),
        ["c.txt"]
    );
    let mut also: Vec<&str> = r.also.iter().map(|h| h.source.as_str()).collect();
    also.sort();
    assert_eq!(also, ["a.txt", "b.txt"]);
    // Latin: the literal English match first, then pinyin (a, b and c have 劳动)
    let r = search("laodong");
    assert!(!r.hits.is_empty() && r.hits.iter().all(|h| h.source == "d.txt"));
    assert_eq!(r.also_total, 3);
    assert!(r
        .also
        .iter()
        .all(|h| h.via == Some(kanbao::index::Via::Pinyin)));
    for q in ["ldgx", "laodongguanxi", "laodongguan", "LaoDongGuanXi"] {
        let r = search(q);
        let mut got: Vec<&str> = r.also.iter().map(|h| h.source.as_str()).collect();
        got.sort();
        assert_eq!(got, ["a.txt", "c.txt"], "{q}");
    }
    // a negated term stays literal: -laodong drops the English page, not the Chinese ones
    let r = search("本报 -laodong");
    let got: Vec<&str> = r.hits.iter().map(|h| h.source.as_str()).collect();
    assert!(got.contains(&"a.txt") && !got.contains(&"d.txt"), "{got:?}");
    // numbers are not pinyin; a Latin name still finds itself first
    assert_eq!(search("2023").also_total, 0);
    let r = search("piotr");
    assert_eq!((r.total, r.hits[0].source.as_str()), (1, "b.txt"));
    // the JSON keeps `hits` and `total` literal, the rest apart
    let bin = env!("CARGO_BIN_EXE_kanbao");
    let o = std::process::Command::new(bin)
        .arg("--archive")
        .arg(a.path())
        .arg("--data-dir")
        .arg(data.path())
        .args(["search", "--json", "laodong"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["total"], search("laodong").total);
    assert_eq!(v["also_total"], 3);
    assert_eq!(v["also"][0]["via"], "pinyin");
    assert!(v["hits"][0].get("via").is_none());
}

/// Pinyin finds the archive's words, not chance runs across words: an article full of 力的高新
/// (l-d-g-x across four words) is not an article about 劳动关系, nor two words with punctuation
/// between them; capitals are an acronym, not initials.
#[test]
fn pinyin_puts_words_before_chance_runs() {
    let chance = "记者从会上获悉，产业发展的动力的高新技术企业不断增加，".repeat(12);
    let a = archive::<&str, &str>(&[
        ("2024-01-01.txt", &format!("动力的高新\n\n{chance}\n")),
        (
            "2024-01-02.txt",
            &format!("高新动力的高新\n\n{chance}{chance}\n"),
        ),
        (
            "2024-01-03.txt",
            "会议综述\n\n会议指出，要推动经济社会发展，完善社会保障制度，构建和谐劳动关系，\
             促进就业，维护职工合法权益，加强基层治理，改善人民生活。\n",
        ),
        (
            "2024-01-04.txt",
            "GDP增长\n\n今年GDP增长百分之五。国家电网加快建设。\n",
        ),
        // the two words with punctuation between them spell nothing
        ("2024-01-05.txt", &"加强劳动，关系到大家。".repeat(20)),
    ]);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    for q in ["ldgx", "laodongguanxi", "laodongguan"] {
        let r = s
            .search(&kanbao::index::query::parse(q).unwrap(), 10)
            .unwrap();
        let got: Vec<&str> = r.also.iter().map(|h| h.source.as_str()).collect();
        // 力的高新 spells l-d-g-x across four words: a run of characters, not the archive's
        // words, so it is not what the query means (an index of every character's pinyin
        // found it and, by BM25, ranked it first)
        assert_eq!(got, ["2024-01-03.txt"], "{q}");
        assert_eq!(r.also_total, 1, "{q}");
    }
    // GDP is itself: no pinyin (国电 = g-d… would otherwise follow)
    let r = s
        .search(&kanbao::index::query::parse("GDP").unwrap(), 10)
        .unwrap();
    assert_eq!((r.total, r.also_total), (1, 0));
    let r = s
        .search(&kanbao::index::query::parse("gdp").unwrap(), 10)
        .unwrap();
    assert_eq!(r.total, 1, "lower case finds the text too");
}

/// The catalog lists what the index holds, newest first, without reading any record; the
/// folder check sees a file added, and a command after it finds the new text.
#[test]
fn the_catalog_lists_issues_and_the_folder_check_sees_new_files() {
    let a = archive(&[("2023/x-20231118.txt", A), ("2024/y-20240105.txt", B)]);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    let listed = s.listed(None).unwrap();
    let sources: Vec<&str> = listed.iter().map(|l| l.meta.source.as_str()).collect();
    assert_eq!(sources, ["2024/y-20240105.txt", "2023/x-20231118.txt"]);
    assert_eq!(s.listed(Some(1)).unwrap().len(), 1);
    // the catalog's article ids are the records' ids, in reading order
    let shelf = s.shelf();
    for l in &listed {
        let recs = shelf.records_of_source(&l.meta.source).unwrap();
        let arts: Vec<&str> = recs
            .iter()
            .filter(|r| r.kind == kanbao::model::Kind::Article)
            .map(|r| r.id.as_str())
            .collect();
        assert!(!arts.is_empty());
        assert_eq!(l.article_ids().collect::<Vec<_>>(), arts);
        assert!(!l.lead.is_empty());
    }
    // folders changed within 2 s of the check count as changed (the same tick of a clock)
    assert!(s.archive_changed(a.path()).unwrap());
    drop(s);
    // a new issue in a new folder: the root's mtime changes
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let s = open(data.path(), a.path());
    assert!(!s.archive_changed(a.path()).unwrap(), "settled after 2 s");
    drop(s);
    std::fs::create_dir_all(a.path().join("2025")).unwrap();
    std::fs::write(
        a.path().join("2025/z-20250101.txt"),
        "新年音乐会在东方艺术中心上演\n\n■本报记者 王五\n\n本报讯 新年音乐会昨晚上演。\n",
    )
    .unwrap();
    let mut msgs = Vec::new();
    let s = Store::open(data.path(), a.path(), &mut msgs).unwrap();
    assert!(s.archive_changed(a.path()).unwrap());
    drop(s);
    // a command that reads syncs because a folder changed, and finds the new text
    let s = kanbao::cmd::open::open_checked(data.path(), a.path(), true).unwrap();
    assert_eq!(ids(&s, "音乐会").len(), 1);
    assert_eq!(s.listed(None).unwrap().len(), 3);
    // and a file removed is gone from the catalog
    drop(s);
    std::fs::remove_file(a.path().join("2023/x-20231118.txt")).unwrap();
    let s = kanbao::cmd::open::open_checked(data.path(), a.path(), true).unwrap();
    assert_eq!(s.listed(None).unwrap().len(), 2);
    assert!(ids(&s, "浦东").is_empty());
}

/// A first answer to a keystroke: when the scan runs out of time it gives the first matches
/// (each holding the query) and an estimated count marked as such; when it does not, it gives
/// nothing and the full search answers.
#[test]
fn a_first_answer_gives_real_matches_and_an_estimate_marked_as_one() {
    let files: Vec<(String, String)> = (0..150)
        .map(|i| {
            (
                format!("p{i:03}.txt"),
                format!(
                    "第{i}号新闻标题\n\n■本报记者 林一\n\n本报讯 经济工作会议第{i}次召开，发展是第一要务。\n"
                ),
            )
        })
        .collect();
    let a = archive(&files);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    // three characters: a phrase, counted by finding its matches
    let q = query::parse("经济工").unwrap();
    let first = s
        .search_first(&q, 20, std::time::Duration::ZERO)
        .unwrap()
        .expect("no time at all: cut after the first matches");
    assert!(first.estimated && first.unranked);
    assert_eq!(first.hits.len(), 20);
    assert!(first.hits.iter().all(|h| h.snippet.contains("经济工")));
    let full = s.search(&q, 20).unwrap();
    assert!(!full.estimated);
    assert_eq!(full.total, 150);
    assert!(
        first.total >= 20 && first.total <= 150 * 3,
        "{}",
        first.total
    );
    // with time enough, the scan finishes: few matches are ranked there, as the full search
    // ranks them, with the exact count
    let whole = s
        .search_first(&q, 20, std::time::Duration::from_secs(10))
        .unwrap()
        .expect("an answer");
    assert!(!whole.estimated && !whole.unranked);
    assert_eq!(whole.total, full.total);
    let ids = |r: &kanbao::index::SearchResult| -> Vec<(String, String)> {
        r.hits
            .iter()
            .map(|h| (h.id.clone(), format!("{:.4}", h.score)))
            .collect()
    };
    assert_eq!(ids(&whole), ids(&full));
    // and for a rarer query, and one of two terms
    for text in ["第7号", "经济 要务", "\"第一要务\""] {
        let q = query::parse(text).unwrap();
        let whole = s
            .search_first(&q, 20, std::time::Duration::from_secs(10))
            .unwrap()
            .unwrap();
        let full = s.search(&q, 20).unwrap();
        assert_eq!(whole.total, full.total, "{text}");
        assert_eq!(ids(&whole), ids(&full), "{text}");
    }
    // one or two characters are one term of the index: cut as early, the count is exact
    for text in ["经济", "济"] {
        let q = query::parse(text).unwrap();
        let cut = s
            .search_first(&q, 20, std::time::Duration::ZERO)
            .unwrap()
            .unwrap();
        assert!(cut.unranked && !cut.estimated, "{text}");
        assert_eq!(cut.total, 150, "{text}");
        assert_eq!(cut.hits.len(), 20);
    }
    // the estimate is said as one in JSON too
    let json = serde_json::to_string(&first).unwrap();
    assert!(json.contains("\"estimated\":true"));
    assert!(!serde_json::to_string(&full).unwrap().contains("estimated"));
}

/// A query of one term with more matches than a first answer ranks: only the first hits are
/// looked for, the count comes from the index, exact; once a record is deleted (its file
/// changed) the index's figure would count it still, and the matches are counted again.
#[test]
fn a_first_answer_to_one_term_counts_from_the_index_until_records_are_deleted() {
    let n = kanbao::index::RANK_AT_ONCE as usize + 5;
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("d{}/p{i:05}.txt", i / 1000),
                format!("第{i}号标题\n\n本报讯 会议第{i}次召开，发展是第一要务。\n"),
            )
        })
        .collect();
    let a = archive(&files);
    let data = tempfile::tempdir().unwrap();
    let mut s = open(data.path(), a.path());
    let q = query::parse("要务").unwrap();
    let long = std::time::Duration::from_secs(10);
    let first = s.search_first(&q, 20, long).unwrap().unwrap();
    assert!(first.unranked && !first.estimated);
    assert_eq!(first.total, n);
    assert_eq!(first.hits.len(), 20);
    assert!(first.hits.iter().all(|h| h.snippet.contains("要务")));
    assert_eq!(s.search(&q, 20).unwrap().total, n);
    // one record loses the word: the index keeps its old document until a merge
    std::fs::write(
        a.path().join("d0/p00000.txt"),
        "第0号标题\n\n本报讯 会议召开。\n",
    )
    .unwrap();
    s.sync(a.path(), &mut |_, _, _| {}).unwrap();
    let after = s.search_first(&q, 20, long).unwrap().unwrap();
    assert_eq!(after.total, n - 1);
    assert_eq!(s.search(&q, 20).unwrap().total, n - 1);
}

/// A search the reader no longer wants (a newer query was sent) gives up and says so, rather
/// than return a partial answer; one still wanted answers as the plain search does.
#[test]
fn a_search_gives_up_when_told_and_only_then() {
    let a = archive(&[("2023/x-20231118.txt", A), ("2024/y-20240105.txt", B)]);
    let data = tempfile::tempdir().unwrap();
    let s = open(data.path(), a.path());
    let q = query::parse("劳动").unwrap();
    let plain = s.search(&q, 20).unwrap();
    assert!(plain.total > 0);
    let stop = kanbao::index::cancel::Until::new(std::sync::Arc::new(|| true));
    assert!(s.search_until(&q, 20, None, Some(&stop)).unwrap().is_none());
    assert!(stop.stopped());
    let go_on = kanbao::index::cancel::Until::new(std::sync::Arc::new(|| false));
    let r = s
        .search_until(&q, 20, None, Some(&go_on))
        .unwrap()
        .expect("not stopped");
    assert!(!go_on.stopped());
    assert_eq!(r.total, plain.total);
    let ids = |r: &kanbao::index::SearchResult| -> Vec<String> {
        r.hits.iter().map(|h| h.id.clone()).collect()
    };
    assert_eq!(ids(&r), ids(&plain));
}
