//! The command line chains: `search` prints one line per hit whose id every other command
//! takes, in a stable tab-separated format; progress is shown only on a terminal and only when
//! there is work; `list` is in the reader's order (newest first); counts have the right number.

mod common;

use common::*;
use kanbao::latency::PtyScreen;
use std::process::Command;
use std::time::Duration;

#[test]
fn search_lines_carry_ids_that_show_mark_and_list_take() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let samples = repo().join("samples");
    let (ok, out, _) = kanbao(&data, &samples, &["search", "社区"]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() >= 3, "{out}");
    let (ok, js, _) = kanbao(&data, &samples, &["search", "--json", "社区"]);
    assert!(ok);
    let hits = jsonl(&js)[0]["hits"].as_array().unwrap().clone();
    assert_eq!(
        lines.len(),
        hits.len(),
        "one line per hit, nothing else:\n{out}"
    );
    for (l, h) in lines.iter().zip(&hits) {
        let f: Vec<&str> = l.split('\t').collect();
        assert_eq!(f.len(), 5, "ID DATE TITLE SNIPPET MATCH: {l:?}");
        assert_eq!(f[0], h["id"].as_str().unwrap());
        assert!(
            f[1] == "-" || (f[1].len() == 10 && f[1].as_bytes()[4] == b'-'),
            "{l}"
        );
        assert_eq!(f[2], h["title"].as_str().unwrap());
        assert!(f[3].contains("社区"), "the snippet shows the match: {l}");
        assert_eq!(f[4], "text");
    }
    // the first field is what show and mark take
    let id = lines[0].split('\t').next().unwrap();
    let (ok, text, err) = kanbao(&data, &samples, &["show", id]);
    assert!(ok && text.contains("社区"), "{err}");
    let (ok, _, err) = kanbao(&data, &samples, &["mark", "--star", id]);
    assert!(ok, "{err}");
    let (ok, starred, _) = kanbao(&data, &samples, &["list", "--articles", "--starred"]);
    assert!(ok && starred.starts_with(id), "{starred}");
    // hits by pinyin come after, marked as such
    let (ok, out, _) = kanbao(&data, &samples, &["search", "shequ"]);
    assert!(ok);
    assert!(
        out.lines().all(|l| l.split('\t').nth(4) == Some("pinyin")),
        "{out}"
    );
    assert!(!out.is_empty());
}

#[test]
fn progress_only_on_a_terminal_and_only_with_work() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let samples = repo().join("samples");
    // piped: no bar, even the first time
    let (ok, _, err) = kanbao(&data, &samples, &["search", "社区"]);
    assert!(ok);
    assert!(!err.contains("indexing"), "{err}");
    // on a terminal: a bar when files are indexed, nothing when nothing changed
    let run = |data: &std::path::Path| -> String {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kanbao"));
        cmd.arg("--data-dir")
            .arg(data)
            .arg("--archive")
            .arg(&samples)
            .args(["search", "社区"]);
        let mut p = PtyScreen::spawn(&mut cmd, 30, 150).unwrap();
        p.wait_for(Duration::from_secs(30), &|s| s.contains(" hits ("))
            .expect("the summary comes last");
        p.settle(Duration::from_millis(200));
        p.text()
    };
    let fresh = t.path().join("d2");
    let first = run(&fresh);
    assert!(
        first.contains("indexing ["),
        "a bar while indexing:\n{first}"
    );
    let again = run(&fresh);
    assert!(!again.contains("indexing"), "no work, no bar:\n{again}");
    assert!(
        again.contains(" hits ("),
        "the count, for a person:\n{again}"
    );
}

#[test]
fn list_is_newest_first_like_the_reader() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let samples = repo().join("samples");
    let (ok, out, _) = kanbao(&data, &samples, &["list", "--json"]);
    assert!(ok);
    let dates: Vec<String> = jsonl(&out)
        .iter()
        .map(|v| v["date"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert!(dates.len() >= 2 && dates[0] > dates[dates.len() - 1]);
}

#[test]
fn counts_have_the_right_number() {
    let t = tempfile::tempdir().unwrap();
    let arch = t.path().join("a");
    std::fs::create_dir_all(&arch).unwrap();
    std::fs::copy(
        repo().join("samples/2025/youth-2025-12-02.txt"),
        arch.join("youth-2025-12-02.txt"),
    )
    .unwrap();
    let data = t.path().join("d");
    let (ok, _, err) = kanbao(&data, &arch, &["index"]);
    assert!(ok);
    assert!(err.contains("index: 1 file indexed ("), "{err}");
    assert!(
        !err.contains("1 files") && !err.contains(" 1 records"),
        "{err}"
    );
    assert_eq!(kanbao::text::count(1, "hit", "hits"), "1 hit");
    assert_eq!(kanbao::text::count(0, "hit", "hits"), "0 hits");
}
