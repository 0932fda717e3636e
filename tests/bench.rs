//! `kanbao bench` end to end on a tiny archive made from `samples/`: the report has its rows,
//! and `--reuse` times the searches again on what the first run left, refusing a run it did
//! not leave. Nothing here is timed: the figures come from real runs (docs/PERFORMANCE.md).

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn bench(out: &std::path::Path, articles: &str, reuse: bool) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(["bench", "--source"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/samples"))
        .arg("--out")
        .arg(out)
        .args([
            "--articles",
            articles,
            "--queries",
            "4",
            "--rg-queries",
            "1",
        ]);
    if reuse {
        cmd.arg("--reuse");
    }
    cmd.output().expect("kanbao bench runs")
}

/// The report of a run that succeeded (else its report and errors, failing).
fn report_of(run: &std::process::Output) -> String {
    let report = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(
        run.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    report
}

#[test]
fn a_small_run_then_the_searches_again_on_what_it_left() {
    let out = tempfile::tempdir().unwrap();
    let report = report_of(&bench(out.path(), "400", false));
    for row in [
        "| time |",
        "| index size |",
        "| kanbao first answer",
        "| kanbao full answer",
        "| SQLite FTS5 trigram",
        "Target: per keystroke p50 ≤ 2 ms and p99 ≤ 10 ms",
    ] {
        assert!(report.contains(row), "no {row:?} in:\n{report}");
    }
    let files = walkdir::WalkDir::new(out.path().join("archive"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count();
    assert_eq!(files, 50, "400 articles, 8 to an issue file");
    let report = report_of(&bench(out.path(), "400", true));
    assert!(
        report.contains("(the index of an earlier run: --reuse)"),
        "{report}"
    );
    assert!(report.contains("reused"), "{report}");
    assert!(
        !report.contains("| time |"),
        "nothing is built again:\n{report}"
    );
    // another size is another archive: refused, not timed on the wrong data
    let other = bench(out.path(), "480", true);
    assert!(!other.status.success());
    assert!(
        String::from_utf8_lossy(&other.stderr).contains("--reuse"),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
}

/// `KANBAO_EMPTY_FIELDS` (for measuring what a field costs a build) leaves those fields out of
/// the documents: text found through them is found no more; without it, it is.
#[test]
fn empty_fields_leave_their_text_unsearchable() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let t = tempfile::tempdir().unwrap();
    let run = |data: &str, empty: &str, args: &[&str]| {
        let o = Command::new(BIN)
            .arg("--data-dir")
            .arg(t.path().join(data))
            .arg("--archive")
            .arg(&samples)
            .args(args)
            .env("KANBAO_EMPTY_FIELDS", empty)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    // a run of text from the body of the first article
    let export = run("full", "", &["export"]);
    let first: serde_json::Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
    let para = first["paragraphs"][0].as_str().unwrap();
    let needle: String = para
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(4)
        .collect();
    assert_eq!(needle.chars().count(), 4, "{para}");
    let total = |out: &str| -> u64 {
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        v["total"].as_u64().unwrap()
    };
    assert!(total(&run("full", "", &["search", "--json", &needle])) >= 1);
    let empty = "g_all,g_uni,g_title,g_byline,g_fold,words,title_words";
    run("empty", empty, &["index"]);
    assert_eq!(
        total(&run("empty", empty, &["search", "--json", &needle])),
        0,
        "{needle}"
    );
}
