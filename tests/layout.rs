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

/// Run the shared Python yardstick on an export of the seeds and enforce the floors.
#[test]
fn seeds_meet_the_segmentation_floors() {
    let Some(shared) = shared() else { return };
    let seeds = shared.join("corpus").join("seeds");
    let issues = load(&seeds);
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export.jsonl");
    kanbao::export::write_jsonl(&issues, std::fs::File::create(&export).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(shared.join("eval").join("score_segmentation.py"))
        .arg("--truth")
        .arg(shared.join("eval").join("seeds-truth.json"))
        .arg("--pred")
        .arg(&export)
        .args([
            "--min-recall",
            "0.90",
            "--min-precision",
            "0.85",
            "--min-titles",
            "0.85",
        ])
        .args([
            "--min-bylines",
            "0.85",
            "--min-joins",
            "0.95",
            "--min-starts",
            "0.80",
        ])
        .args(["--min-subheads", "0.80", "--verbose"])
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
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
    let floors = [0.90, 0.85, 0.85, 0.85, 0.95, 0.80, 0.80];
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

#[test]
fn fragments_keep_captions_boxes_and_orphans() {
    let recs = records(&repo().join("samples"));
    let frags: Vec<_> = recs.iter().filter(|r| r.kind == Kind::Fragment).collect();
    let all: String = frags.iter().flat_map(|r| r.text_fields()).collect();
    assert!(all.contains("阅读提示"), "box kept as fragment");
    assert!(all.contains("受访者供图"), "caption kept as fragment");
    assert!(all.contains("钱丽"), "orphan byline kept as fragment");
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
