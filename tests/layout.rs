//! Layout analysis against references: our own samples (always), the real seed pages
//! (`../shared/corpus/seeds`, scored by the shared yardstick), and the text-conservation property.

mod common;

use common::*;
use kanbao::model::Kind;
use proptest::prelude::*;

fn records(dir: &std::path::Path) -> Vec<kanbao::model::Record> {
    load(dir).into_iter().flat_map(|i| i.records).collect()
}

#[test]
fn samples_score_full_recall() {
    let dir = repo().join("samples");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("truth.json")).unwrap()).unwrap();
    let (s, misses) = score(&truth, &records(&dir));
    eprintln!("samples: {:?}", s.summary());
    assert!(s.refs >= 20, "reference too small: {}", s.refs);
    assert_eq!(s.recall(), 1.0, "misses: {misses:#?}");
    for (name, v) in s.summary() {
        assert!(v >= 0.95, "{name} = {v:.2}; misses: {misses:#?}");
    }
}

#[test]
fn samples_have_at_least_six_issues_with_every_encoding() {
    let issues = load(&repo().join("samples"));
    assert!(issues.len() >= 6, "{} issues", issues.len());
    let encs: Vec<&str> = issues.iter().map(|i| i.meta.encoding.as_str()).collect();
    for e in ["UTF-8", "GB18030", "UTF-16LE"] {
        assert!(
            encs.iter().any(|x| x.eq_ignore_ascii_case(e)),
            "no sample decoded as {e}: {encs:?}"
        );
    }
    // the sidecar gives paper, date and page
    let side = issues
        .iter()
        .find(|i| i.meta.source.ends_with("riverside-20241119-p1.txt"))
        .unwrap();
    assert_eq!(side.meta.paper, "滨江日报");
    assert_eq!(side.meta.date, "2024-11-19");
    assert_eq!(side.meta.page, "1");
}

/// Export the issues of `dir`, run the shared Python yardstick against `truth` with the given
/// floors (`--min-recall 0.9` …), and fail with every miss listed when a figure is below.
fn python_floors(
    shared: &std::path::Path,
    dir: &std::path::Path,
    truth: &std::path::Path,
    floors: &[(&str, f64)],
) -> String {
    let issues = load(dir);
    assert!(!issues.is_empty(), "no issues in {}", dir.display());
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export.jsonl");
    kanbao::export::write_jsonl(&issues, std::fs::File::create(&export).unwrap()).unwrap();
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(shared.join("eval").join("score_segmentation.py"))
        .arg("--truth")
        .arg(truth)
        .arg("--pred")
        .arg(&export)
        .arg("--verbose");
    for (name, v) in floors {
        cmd.arg(format!("--min-{name}")).arg(v.to_string());
    }
    let out = cmd.output().expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("{text}");
    assert!(
        out.status.success(),
        "below the floors:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("segmentation: recall="),
        "no summary line: {text}"
    );
    text
}

/// The seed pages: every figure at 0.95 or more (docs/LAYOUT.md lists what still misses).
#[test]
fn seeds_meet_the_segmentation_floors() {
    let Some(shared) = shared() else { return };
    let floors = [
        ("recall", 0.95),
        ("precision", 0.95),
        ("titles", 0.95),
        ("bylines", 0.95),
        ("joins", 0.90),
        ("starts", 0.95),
        ("subheads", 0.95),
    ];
    python_floors(
        &shared,
        &shared.join("corpus").join("seeds"),
        &shared.join("eval").join("seeds-truth.json"),
        &floors,
    );
}

/// The floors of the real pages (`real_pages_meet_the_segmentation_floors`).
const REAL_FLOORS: [(&str, f64); 5] = [
    ("recall", 0.97),
    ("precision", 0.97),
    ("titles", 0.97),
    ("bylines", 0.91),
    ("joins", 0.89),
];

/// Real pages of another paper, in print-extraction order (headline after its article,
/// vertical headlines). The analysis finds all 32 articles and their titles since the models
/// trained with 1,200 pages of the second maker (1.00 / 1.00 / 1.00 / 0.94 / 0.92,
/// docs/LAYOUT.md, "More pages of the second maker"); the floors are an article's worth (0.03)
/// under that, above the issue's target (0.85), so a regression fails.
#[test]
fn real_pages_meet_the_segmentation_floors() {
    let Some(shared) = shared() else { return };
    python_floors(
        &shared,
        &shared.join("corpus").join("real"),
        &shared.join("eval").join("real-truth.json"),
        &REAL_FLOORS,
    );
}

/// The real pages with every line break doubled (as files whose `\r\r\n` line ends read as two
/// are): set single again before they are read, they are cut as the pages as they come (23 of
/// 32 articles found before; docs/LAYOUT.md, "Pages with every line break doubled"). The same
/// floors as the pages as they come.
#[test]
fn real_pages_with_every_line_break_doubled_meet_the_same_floors() {
    let Some(shared) = shared() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let mut pages = 0;
    for e in std::fs::read_dir(shared.join("corpus").join("real")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap().replace('\n', "\n\n");
        std::fs::write(tmp.path().join(p.file_name().unwrap()), text).unwrap();
        pages += 1;
    }
    assert_eq!(pages, 8);
    python_floors(
        &shared,
        tmp.path(),
        &shared.join("eval").join("real-truth.json"),
        &REAL_FLOORS,
    );
}

/// The real pages with their headlines centred by ideographic spaces, as a tool that writes a
/// page out as text centres them (`(column − width) / 2` cells before each headline line, the
/// column the longer lines' width): 0.78 / 0.83 / 0.69 / 0.56 / 0.71 when such lines read as
/// indented, 0.84 / 0.87 / 0.81 / 0.69 / 0.79 once lines set in that deep are centred
/// (docs/LAYOUT.md, "Headlines centred by spaces"; headlines centred by one or two spaces still
/// read as indented). The floors are 0.03 under that.
#[test]
fn real_pages_with_centred_headlines_meet_their_floors() {
    let Some(shared) = shared() else { return };
    let truth_path = shared.join("eval").join("real-truth.json");
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&truth_path).unwrap()).unwrap();
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let tmp = tempfile::tempdir().unwrap();
    let issues = truth["issues"].as_object().unwrap();
    for (name, issue) in issues {
        let titles: Vec<String> = issue["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| squeeze(a["title"].as_str().unwrap_or("")))
            .filter(|t| !t.is_empty())
            .collect();
        let text = std::fs::read_to_string(shared.join("corpus").join("real").join(name)).unwrap();
        let width = |l: &str| kanbao::text::str_width(l.trim(), 1);
        let mut widths: Vec<usize> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(width)
            .collect();
        widths.sort_unstable();
        let column = widths[widths.len() * 3 / 4];
        let centred: Vec<String> = text
            .lines()
            .map(|l| {
                let x = squeeze(l);
                if x.chars().count() >= 4 && titles.iter().any(|t| t.contains(&x)) {
                    let cells = column.saturating_sub(width(l)) / 2;
                    format!("{}{}", "\u{3000}".repeat(cells / 2), l.trim())
                } else {
                    l.to_string()
                }
            })
            .collect();
        std::fs::write(tmp.path().join(name), centred.join("\n")).unwrap();
    }
    assert_eq!(issues.len(), 8);
    let floors = [
        ("recall", 0.81),
        ("precision", 0.84),
        ("titles", 0.78),
        ("bylines", 0.66),
        ("joins", 0.76),
    ];
    python_floors(&shared, tmp.path(), &truth_path, &floors);
}

/// Pages laid out of the shared news items by one of our page makers (`scripts/SCRIPT` with
/// `args`, in a temporary folder), the part `part` of them (a folder, with its reference
/// `part.json`) scored by the shared yardstick against `floors`. Only the pages stay in the
/// archive: the page labels are for training.
fn made_pages_meet_floors(
    shared: &std::path::Path,
    script: &str,
    args: &[&str],
    part: &str,
    floors: &[(&str, f64)],
) {
    let tmp = run_page_maker(shared, script, args);
    for e in std::fs::read_dir(tmp.path().join(part)).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "labels") {
            std::fs::remove_file(p).unwrap();
        }
    }
    python_floors(
        shared,
        &tmp.path().join(part),
        &tmp.path().join(format!("{part}.json")),
        floors,
    );
}

/// Run `scripts/SCRIPT NEWS TMP args…` on the shared news items; the folder it wrote.
fn run_page_maker(shared: &std::path::Path, script: &str, args: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("python3")
        .arg(repo().join("scripts").join(script))
        .arg(
            shared
                .join("corpus")
                .join("news")
                .join("xwlb-2012-2026.jsonl.gz"),
        )
        .arg(tmp.path())
        .args(args)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "{script} failed");
    tmp
}

/// A fixed generated subset: held-out pages of `scripts/make_pages.py` with a seed the model
/// was not trained on (seed 7; training uses the tune part of seed 1, and held-out pages are
/// made of news items no tune page holds). The analysis reaches 0.93 / 0.94 / 0.93 / 0.92 /
/// 0.92 on these 60 pages (263 of 282 articles with the models trained with 1,200 pages of the
/// second maker; 267 before them, docs/LAYOUT.md); the floors were set 0.03 under 0.95 / 0.96 /
/// 0.94 / 0.93 / 0.94, about two pages' worth, so that a retraining's spread passes and a
/// regression does not.
#[test]
fn generated_heldout_pages_meet_the_segmentation_floors() {
    let Some(shared) = shared() else { return };
    made_pages_meet_floors(
        &shared,
        "make_pages.py",
        &["--pages", "240", "--seed", "7", "--only", "heldout"],
        "heldout",
        &[
            ("recall", 0.92),
            ("precision", 0.93),
            ("titles", 0.91),
            ("bylines", 0.90),
            ("joins", 0.91),
        ],
    );
}

/// Pages of the second page maker (`scripts/make_pages_b.py`: habits of its own, news items of
/// the held-out part, a seed no page it trains on has): the floors of a layout the labeller sees
/// less of (1,200 of its training pages are of that maker, seed 2). Kanbao scored 0.65 / 0.82 /
/// 0.57 / 0.44 / 0.69 on these pages before it learnt from any, 0.92 / 0.95 / 0.91 / 0.88 /
/// 0.93 with its 1,200 pages, and 0.91 / 0.95 / 0.89 / 0.95 / 0.93 since its pages' indents of
/// ASCII spaces are read as indents and the credits of their datelines as bylines
/// (docs/LAYOUT.md); the floors were set 0.03 under the figures of the time (bylines under the
/// latest).
#[test]
fn second_makers_pages_meet_their_floors() {
    let Some(shared) = shared() else { return };
    made_pages_meet_floors(
        &shared,
        "make_pages_b.py",
        &["--pages", "80", "--seed", "7"],
        "b",
        &[
            ("recall", 0.89),
            ("precision", 0.92),
            ("titles", 0.88),
            ("bylines", 0.92),
            ("joins", 0.90),
        ],
    );
}

/// Pages of the third page maker (`scripts/make_pages_c.py`: web pages saved as text, habits
/// neither other maker has; news items of the held-out part). Nothing is trained or fitted on
/// its pages: its floors stand for pages of a layout kanbao has never learnt from. These 80
/// pages of seed 7 scored 0.81 / 0.88 / 0.68 / 0.46 / 0.83 before the line shapes of web
/// pages were read (bylines such as 记者｜X and X/文, a site's line of facts, rules between
/// articles, other papers' …报讯), 0.84 / 0.89 / 0.78 / 0.87 / 0.84 after (docs/LAYOUT.md, "A
/// third page maker"), 0.86 / 0.89 / 0.86 / 0.89 / 0.89 once a page's marked and numbered
/// headlines were read ("Headlines a page marks or numbers"), 0.88 / 0.92 / 0.87 / 0.91 / 0.92
/// once lines ending in a note were no headlines ("Lines that end in a note"); the floors are
/// 0.02–0.03 under that.
#[test]
fn third_makers_pages_meet_their_floors() {
    let Some(shared) = shared() else { return };
    made_pages_meet_floors(
        &shared,
        "make_pages_c.py",
        &["--pages", "80", "--seed", "7"],
        "c",
        &[
            ("recall", 0.86),
            ("precision", 0.90),
            ("titles", 0.85),
            ("bylines", 0.88),
            ("joins", 0.89),
        ],
    );
}

/// The page makers are deterministic: the same arguments give the same bytes.
#[test]
fn page_generator_is_deterministic() {
    let Some(shared) = shared() else { return };
    let run = |script: &str, parts: &[&str]| {
        let tmp = run_page_maker(&shared, script, &["--pages", "12", "--seed", "3"]);
        let mut all = Vec::new();
        for &part in parts {
            let mut files: Vec<_> = std::fs::read_dir(tmp.path().join(part))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            for f in files {
                all.push((
                    f.file_name().unwrap().to_owned(),
                    std::fs::read(&f).unwrap(),
                ));
            }
            all.push((
                part.into(),
                std::fs::read(tmp.path().join(format!("{part}.json"))).unwrap(),
            ));
        }
        all
    };
    let parts = ["tune", "heldout"];
    let a = run("make_pages.py", &parts);
    assert_eq!(
        a.len(),
        12 * 2 + 2,
        "9 tune + 3 held-out pages, each with labels, and 2 references"
    );
    assert!(
        a == run("make_pages.py", &parts),
        "two runs with the same seed differ"
    );
    let b = run("make_pages_b.py", &["b"]);
    assert_eq!(b.len(), 12 * 2 + 1, "12 pages with labels and a reference");
    assert!(
        b == run("make_pages_b.py", &["b"]),
        "the second maker's runs differ"
    );
    let c = run("make_pages_c.py", &["c"]);
    assert_eq!(c.len(), 12 + 1, "12 pages and a reference");
    assert!(
        c == run("make_pages_c.py", &["c"]),
        "the third maker's runs differ"
    );
}

/// The same floors with the Rust port of the scorer (keeps the two scorers honest).
#[test]
fn seeds_rust_scorer_agrees() {
    let Some(shared) = shared() else { return };
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("eval").join("seeds-truth.json")).unwrap(),
    )
    .unwrap();
    let (s, misses) = score(&truth, &records(&shared.join("corpus").join("seeds")));
    let floors = [0.95, 0.95, 0.95, 0.95, 0.90, 0.95, 0.95];
    for ((name, v), floor) in s.summary().into_iter().zip(floors) {
        assert!(v >= floor, "{name} = {v:.2} < {floor}; misses: {misses:#?}");
    }
}

fn check_dir_conserves(dir: &std::path::Path) {
    let (files, _) = kanbao::archive::discover(dir).unwrap();
    assert!(!files.is_empty());
    for f in files {
        let d = kanbao::archive::read_file(&f).unwrap();
        let meta = kanbao::archive::issue_meta(&f, &d, &mut Vec::new());
        let recs = kanbao::layout::analyze(&d.text, &meta);
        assert_conserved(&d.text, &recs, &f.source);
        // ids are unique and seq is 1-based in order
        let mut ids: Vec<&str> = recs.iter().map(|r| r.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), recs.len(), "{}: duplicate ids", f.source);
        for (i, r) in recs.iter().enumerate() {
            assert_eq!(r.seq, i + 1);
            assert!(
                r.paragraphs.iter().all(|p| !p.contains('\n')),
                "{}: line break in a paragraph",
                f.source
            );
        }
    }
}

#[test]
fn samples_conserve_text() {
    check_dir_conserves(&repo().join("samples"));
}

#[test]
fn seeds_and_ocr_page_conserve_text() {
    let Some(shared) = shared() else { return };
    check_dir_conserves(&shared.join("corpus").join("seeds"));
    check_dir_conserves(&shared.join("corpus").join("ocr"));
}

#[test]
fn ids_are_stable_across_renames_and_line_ends() {
    let text =
        std::fs::read_to_string(repo().join("samples/2024/riverside-20241119-p1.txt")).unwrap();
    let m1 = kanbao::model::IssueMeta {
        id: kanbao::archive::issue_id(&text),
        source: "a.txt".into(),
        ..Default::default()
    };
    let crlf = text.replace('\n', "\r\n");
    let norm = kanbao::archive::normalize_newlines(&crlf);
    let m2 = kanbao::model::IssueMeta {
        id: kanbao::archive::issue_id(&norm),
        source: "moved/b.txt".into(),
        ..Default::default()
    };
    assert_eq!(m1.id, m2.id);
    let a: Vec<String> = kanbao::layout::analyze(&text, &m1)
        .into_iter()
        .map(|r| r.id)
        .collect();
    let b: Vec<String> = kanbao::layout::analyze(&norm, &m2)
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(a, b);
}

/// Where OCR lost characters the records say so as the page does: white space stays white
/// space (one ideographic space), and a page that marks lost characters with `〓` itself keeps
/// the mark, for its own and for its runs of spaces alike.
#[test]
fn lost_characters_are_written_as_the_page_writes_them() {
    let body = |gap: &str| {
        format!(
            "河畔花园开放\n\n　　本报讯 河畔街道的居民议事会今年共收到花园改造提案{gap}份，\n\
             花园建成后，孩子们放学都愿意在这里玩耍。\n"
        )
    };
    let texts = |page: &str| -> Vec<String> {
        let meta = kanbao::model::IssueMeta {
            id: kanbao::archive::issue_id(page),
            ..Default::default()
        };
        kanbao::layout::analyze(page, &meta)
            .into_iter()
            .flat_map(|r| r.paragraphs)
            .collect()
    };
    let spaces = texts(&body("  "));
    assert!(
        spaces.iter().any(|p| p.contains("提案\u{3000}份")),
        "{spaces:?}"
    );
    assert!(!spaces.concat().contains('〓'), "{spaces:?}");
    let marked = texts(&format!("{}月〓日，花园举行开放仪式。\n", body("  ")));
    assert!(marked.concat().contains("提案〓份"), "{marked:?}");
    assert!(marked.concat().contains("月〓日"), "{marked:?}");
}

/// A page that sets its paragraphs in by two ASCII spaces: its articles keep the bylines of
/// their datelines, and no paragraph opens with a mark of characters lost.
#[test]
fn a_page_indented_by_spaces_keeps_its_datelines_bylines() {
    let page = "河畔花园开放\n  本报讯（记者林岚 通讯员周文）河畔街道的居民议事会今年\n\
                共收到花园改造提案四十余份，其中二十份已经落实。\n\
                \x20 花园建成后，孩子们放学都愿意在这里玩耍，老人们也常来。\n\
                \x20 明年，街道还要再听一次居民的意见。\n\
                \n\
                江畔码头改造完工\n  本报江畔3月5日讯 记者周文报道：江畔码头改造今天完工，\n\
                新的候船厅可容纳三百人。\n\
                \x20 码头管理处说，夏季航班将增加一倍。\n";
    let meta = kanbao::model::IssueMeta {
        id: kanbao::archive::issue_id(page),
        ..Default::default()
    };
    let recs = kanbao::layout::analyze(page, &meta);
    let arts: Vec<_> = recs
        .iter()
        .filter(|r| r.kind == kanbao::model::Kind::Article)
        .collect();
    assert_eq!(arts.len(), 2, "{recs:#?}");
    assert!(arts[0].byline.contains("林岚"), "{:?}", arts[0]);
    assert!(arts[1].byline.contains("周文"), "{:?}", arts[1]);
    for r in &arts {
        for p in &r.paragraphs {
            assert!(!p.starts_with(['\u{3000}', '〓']), "{p:?}");
        }
    }
}

/// A page whose every line is padded with spaces (as some tools write text to a fixed width):
/// its paragraphs are joined as on any page, with no mark of characters lost at each break.
#[test]
fn a_page_padded_with_spaces_joins_its_lines_cleanly() {
    let page = "河畔花园开放\n本报讯（记者林岚）河畔街道的居民议事会今年\n\
                共收到花园改造提案四十余份，其中二十份已经落实。\n\
                花园建成后，孩子们放学都愿意在这里玩耍。\n"
        .lines()
        .map(|l| format!("{l:<40}\n"))
        .collect::<String>();
    let meta = kanbao::model::IssueMeta {
        id: kanbao::archive::issue_id(&page),
        ..Default::default()
    };
    let recs = kanbao::layout::analyze(&page, &meta);
    let text: String = recs.iter().flat_map(|r| r.paragraphs.clone()).collect();
    assert!(text.contains("今年共收到"), "{recs:#?}");
    assert!(!text.contains(['\u{3000}', '〓']), "{recs:#?}");
}

/// Bylines of many papers' shapes, each under its headline, open their articles and are their
/// bylines; among them a role said with its paper's name, as long as that name is.
#[test]
fn bylines_of_many_papers_open_their_articles() {
    let bylines = [
        "光明日报记者 林岚",
        "经济日报记者 林岚 周文",
        "本报特约记者 林岚",
        "记者 林岚 实习生 周文",
        "文/林岚 图/周文",
        "本报记者 林岚 通讯员 周文",
        "新华社记者 林岚 周文",
        "中国青年报·中青在线记者 林岚",
        "□本报记者 林岚",
    ];
    let mut page = String::new();
    for (k, b) in bylines.iter().enumerate() {
        page.push_str(&format!(
            "河畔第{n}号公园开放\n{b}\n　　河畔街道第{n}个居民议事会今年共收到花园改造提案四十余份，其中二十份已经落实。\n　　花园建成后，孩子们放学都愿意在这里玩耍，老人们也常来散步。\n\n",
            n = k + 1
        ));
    }
    let meta = kanbao::model::IssueMeta {
        id: kanbao::archive::issue_id(&page),
        ..Default::default()
    };
    let recs = kanbao::layout::analyze(&page, &meta);
    let arts: Vec<_> = recs
        .iter()
        .filter(|r| r.kind == kanbao::model::Kind::Article)
        .collect();
    assert_eq!(arts.len(), bylines.len(), "{recs:#?}");
    for (a, b) in arts.iter().zip(bylines) {
        assert!(
            b.contains(a.byline.as_str()) && a.byline.contains("林岚"),
            "{a:?}"
        );
    }
}

/// Headlines set in Markdown's strong emphasis (as tools writing pages out as Markdown set
/// them): the articles' titles, without the markers.
#[test]
fn headlines_in_strong_emphasis_are_titles_without_markers() {
    let page = "**河畔花园开放**\n\n本报讯（记者林岚）河畔街道的居民议事会今年共收到花园改造提案四十余份，其中二十份已经落实。\n\n\
                **江畔码头改造完工**\n\n本报讯（记者周文）江畔码头改造今天完工，新的候船厅可容纳三百人。\n";
    let meta = kanbao::model::IssueMeta {
        id: kanbao::archive::issue_id(page),
        ..Default::default()
    };
    let titles: Vec<String> = kanbao::layout::analyze(page, &meta)
        .into_iter()
        .filter(|r| r.kind == kanbao::model::Kind::Article)
        .map(|r| r.title)
        .collect();
    assert_eq!(titles, ["河畔花园开放", "江畔码头改造完工"]);
}

#[test]
fn fragments_keep_captions_boxes_and_orphans() {
    let recs = records(&repo().join("samples"));
    let frags: Vec<_> = recs.iter().filter(|r| r.kind == Kind::Fragment).collect();
    let all: String = frags.iter().flat_map(|r| r.text_fields()).collect();
    assert!(all.contains("阅读提示"), "box kept as fragment");
    assert!(all.contains("受访者供图"), "caption kept as fragment");
    assert!(all.contains("钱丽"), "orphan byline kept as fragment");
}

/// A page set in traditional characters (as papers of Hong Kong, Taiwan and overseas print)
/// is read as its simplified twin (`layout::script`): the same articles, bylines and datelines;
/// and its records are in the page's own characters, the forms that fold together (發 and 髮,
/// 後 and 后, 裡 and 里) each where the page has it.
#[test]
fn a_page_in_traditional_characters_is_read_as_its_simplified_twin() {
    let page = "河畔花園開放\n\n本報訊（記者 林嵐）河畔街道的居民議事會今年共收到花園改造提案四十餘份，\n\
                其中二十份已經落實。後來，居民在這裡發現了一棵百年老樹。\n\
                \u{3000}\u{3000}花園建成後，孩子們放學都願意在這裡玩耍，老人們也常來理髮、下棋。\n\
                \n\
                江畔碼頭改造完工\n\n新華社江畔3月5日電（記者 周文）江畔碼頭改造今天完工，新的候船廳\n\
                可容納三百人，皇后碼頭的舊鐘樓保留下來。\n\
                \u{3000}\u{3000}碼頭管理處說，夏季航班將增加一倍，票價不變。\n";
    let analyse = |text: &str| {
        let meta = kanbao::model::IssueMeta {
            id: kanbao::archive::issue_id(text),
            ..Default::default()
        };
        kanbao::layout::analyze(text, &meta)
    };
    let recs = analyse(page);
    let arts: Vec<_> = recs
        .iter()
        .filter(|r| r.kind == kanbao::model::Kind::Article)
        .collect();
    assert_eq!(arts.len(), 2, "{recs:#?}");
    assert_eq!(arts[0].title, "河畔花園開放");
    assert_eq!(arts[0].byline, "記者 林嵐");
    assert_eq!(arts[1].title, "江畔碼頭改造完工");
    assert_eq!(arts[1].byline, "記者 周文");
    assert!(arts[1].dateline.contains("新華社"), "{:?}", arts[1]);
    let body: String = arts
        .iter()
        .flat_map(|r| r.paragraphs.iter().cloned())
        .collect();
    for part in ["後來，居民在這裡發現", "理髮", "皇后碼頭", "花園建成後"] {
        assert!(body.contains(part), "{part}: {body}");
    }
    assert_conserved(page, &recs, "traditional page");
    // its simplified twin is cut the same way
    let twin = analyse(&kanbao::index::variants::to_simplified(page));
    let shape = |rs: &[kanbao::model::Record]| -> Vec<(usize, usize)> {
        rs.iter()
            .map(|r| (r.paragraphs.len(), r.title.chars().count()))
            .collect()
    };
    assert_eq!(shape(&recs), shape(&twin));
}

fn arb_page() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("浦东新区召开会议，".to_string()),
        Just("。".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("    ".to_string()),
        Just(" ".to_string()),
        Just("■本报记者 张三\n".to_string()),
        Just("本报讯（记者 李四）".to_string()),
        Just("# 标题\n".to_string()),
        Just("### 小标题\n".to_string()),
        Just("阅读提示\n".to_string()),
        Just("本报记者 王五 摄\n".to_string()),
        Just("（受访者供图）".to_string()),
        Just("引题——\n".to_string()),
        Just("Piotr\nLobodzinski".to_string()),
        Just("ＡＢＣ１２３".to_string()),
        Just("本報訊（記者 李四）".to_string()),
        Just("後來在這裡發現頭髮乾了，幹部回臺灣。".to_string()),
        "[國發会會後后裡里发髮乾幹干台臺說说記報]{1,30}",
        Just("\u{1b}[31m\u{7}\u{0}\u{202e}".to_string()),
        "[\\u{4e00}-\\u{4e80}]{1,30}",
        "[a-zA-Z0-9 ]{1,12}",
        "\\PC{0,20}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("KANBAO_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]
    /// Analysis never panics and keeps every letter, digit and Han character exactly once.
    #[test]
    fn analysis_conserves_text(text in arb_page()) {
        let text = kanbao::archive::normalize_newlines(&text);
        let meta = kanbao::model::IssueMeta { id: kanbao::archive::issue_id(&text), ..Default::default() };
        let recs = kanbao::layout::analyze(&text, &meta);
        assert_conserved(&text, &recs, "generated page");
    }
}

/// What `kanbao debug-layout FILE` prints (it must succeed).
fn debug_layout(file: &std::path::Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .arg("debug-layout")
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `kanbao debug-layout FILE` shows the choice between the two cuts: the figures it is made
/// on, the log-odds, and a decision that follows its sign (pages with Markdown headings of two
/// levels go to the rules: `only_pages_with_two_markdown_levels_are_left_to_the_rules`).
#[test]
fn debug_layout_shows_the_choice_and_follows_it() {
    let mut seen = 0;
    for e in walkdir::WalkDir::new(repo().join("samples")).sort_by_file_name() {
        let p = e.unwrap().into_path();
        if p.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let text = debug_layout(&p);
        let line = text
            .lines()
            .find(|l| l.starts_with("------ coherence:"))
            .unwrap_or_else(|| panic!("no choice line for {}:\n{text}", p.display()));
        let odds: f64 = line
            .split("is better ")
            .nth(1)
            .and_then(|r| r.split(';').next())
            .and_then(|x| x.parse().ok())
            .unwrap_or_else(|| panic!("no log-odds in {line:?}"));
        let taken = if odds > 0.0 { "Labeller" } else { "Rules" };
        assert!(line.ends_with(&format!("taken: {taken}")), "{line}");
        let figures = text
            .lines()
            .find(|l| l.starts_with("------ choice figures:"))
            .unwrap();
        for name in kanbao::layout::choice::NAMES {
            assert!(figures.contains(&format!(" {name}=")), "{name}: {figures}");
        }
        seen += 1;
    }
    assert!(seen >= 4, "sample pages seen: {seen}");
}

/// Two short articles' bodies for the Markdown pages below.
const GARDEN: &str = "　　河畔街道的居民议事会今年共收到花园改造提案四十余份，\n花园上月建成，孩子们放学都愿意在这里玩耍。\n";
const LIBRARY: &str = "　　市图书馆自下月起延长夜间开放时间，方便读者自习。\n";

/// The records of a Markdown page, and its articles among them.
fn markdown_articles(text: &str) -> (Vec<kanbao::model::Record>, Vec<kanbao::model::Record>) {
    let meta = kanbao::model::IssueMeta {
        source: "md.md".into(),
        ..Default::default()
    };
    let recs = kanbao::layout::analyze(text, &meta);
    let arts = recs
        .iter()
        .filter(|r| r.kind == kanbao::model::Kind::Article)
        .cloned()
        .collect();
    (recs, arts)
}

/// A subtitle (`——…`) under a Markdown heading, a blank line between them, is the heading's
/// subtitle, not the title of an article of its own.
#[test]
fn a_subtitle_under_a_markdown_heading_stays_with_it() {
    let text = format!("# 河畔花园向居民开放\n\n——街道议事会收到提案四十余份\n\n{GARDEN}\n# 市图书馆延长夜间开放\n\n{LIBRARY}");
    let (recs, arts) = markdown_articles(&text);
    assert_eq!(arts.len(), 2, "{recs:#?}");
    assert_eq!(arts[0].title, "河畔花园向居民开放");
    assert_eq!(arts[0].subtitle, "——街道议事会收到提案四十余份");
    assert_eq!(arts[1].title, "市图书馆延长夜间开放");
}

/// A byline printed above its Markdown heading (byline, heading, body) is the article's, not
/// a fragment of its own; a byline under the heading is too, as before.
#[test]
fn a_byline_above_a_markdown_heading_goes_with_its_article() {
    let text = format!("本报记者 林岚\n\n# 河畔花园向居民开放\n\n{GARDEN}\n本报记者 陈默\n\n# 市图书馆延长夜间开放\n\n{LIBRARY}");
    let (recs, arts) = markdown_articles(&text);
    assert_eq!(arts.len(), 2, "{recs:#?}");
    assert_eq!(recs.len(), 2, "no byline left on its own: {recs:#?}");
    assert_eq!(arts[0].title, "河畔花园向居民开放");
    assert_eq!(arts[0].byline, "本报记者 林岚");
    assert_eq!(arts[1].title, "市图书馆延长夜间开放");
    assert_eq!(arts[1].byline, "本报记者 陈默");
}

/// Markdown headings of two levels or more are read by the rules (their levels say what is a
/// headline and what a subhead); headings of one level go through the choice like any page,
/// and `kanbao debug-layout` says which.
#[test]
fn only_pages_with_two_markdown_levels_are_left_to_the_rules() {
    use kanbao::layout::{lines::classify, markdown_levels, rules_only};
    let body = "　　河畔街道的居民议事会今年共收到花园改造提案四十余份。\n";
    let one = format!("# 河畔花园向居民开放\n\n{body}\n# 市图书馆延长夜间开放\n\n{body}");
    let two = format!("# 河畔花园向居民开放\n\n{body}\n## 孩子们有了去处\n\n{body}");
    let plain = format!("河畔花园向居民开放\n\n{body}");
    for (text, levels) in [(&one, 1), (&two, 2), (&plain, 0)] {
        let lines = classify(text);
        assert_eq!(markdown_levels(&lines), levels, "{text}");
        assert_eq!(rules_only(&lines), levels >= 2, "{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, text, said) in [("one.md", &one, false), ("two.md", &two, true)] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let text = debug_layout(&p);
        assert_eq!(
            text.contains("the rules read the page whatever the figures"),
            said,
            "{name}:\n{text}"
        );
        if said {
            assert!(text.contains("taken: Rules"), "{text}");
        }
    }
}
