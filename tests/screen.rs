//! The to-the-screen harness (`kanbao::latency`) on the real reader: every key typed into the
//! search box is followed by a frame showing that query's hit count, and the last frame shows
//! the hits of the whole query. (Figures come from `kanbao bench`, not from here.)

mod common;

use common::*;
use std::time::Duration;

#[test]
fn every_keystroke_reaches_the_screen_with_its_hits() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    copy_samples(&arch);
    let (ok, _, err) = kanbao(&data, &arch, &["index"]);
    assert!(ok, "{err}");
    let store = kanbao::index::Store::open(&data, &arch, &mut Vec::new()).unwrap();
    let mut expect = |p: &str| {
        store
            .search(&kanbao::index::query::parse(p).unwrap(), 1)
            .unwrap()
            .total
    };
    let queries: Vec<String> = ["花园", "电子站牌", "记者"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // the real reader, with a budget for the index pages it keeps mapped (MB)
    let mut type_with_budget = |mb: &str| {
        let typed = kanbao::latency::type_queries(
            std::path::Path::new(env!("CARGO_BIN_EXE_kanbao")),
            &data,
            &arch,
            &[("KANBAO_MAPPED_BUDGET_MB", mb)],
            &queries,
            &mut expect,
        )
        .unwrap();
        assert!(typed.missed.is_empty(), "never shown: {:?}", typed.missed);
        typed
    };
    // no budget: nothing is given back until the reader is idle
    let typed = type_with_budget("100000");
    assert_eq!(typed.per_key.len(), 2 + 4 + 2);
    assert!(typed.rss_typing_max_kb > 0);
    assert!(typed.first_frame > Duration::ZERO && typed.rss_start_kb > 0);
    // the index's pages the searches mapped are given back once the reader is idle
    let index_kb = |by: &[(String, u64)]| -> u64 {
        by.iter()
            .filter(|(k, _)| {
                ["idx", "pos", "term", "store", "fast", "fieldnorm"].contains(&k.as_str())
            })
            .map(|(_, kb)| kb)
            .sum()
    };
    assert!(
        index_kb(&typed.mapped_end_kb) > 0,
        "{:?}",
        typed.mapped_end_kb
    );
    assert_eq!(
        index_kb(&typed.mapped_idle_kb),
        0,
        "{:?}",
        typed.mapped_idle_kb
    );
    assert!(typed.rss_idle_kb > 0 && typed.rss_idle_kb < typed.rss_end_kb);

    // with no budget for mapped files, the pages go back between keys, not only once idle:
    // none are left right after typing
    let lean = type_with_budget("0");
    assert_eq!(index_kb(&lean.mapped_end_kb), 0, "{:?}", lean.mapped_end_kb);
}

/// The final frame after typing shows the hits themselves, not only their count.
#[test]
fn the_settled_frame_shows_the_hits() {
    let t = tempfile::tempdir().unwrap();
    let (arch, data) = (t.path().join("a"), t.path().join("d"));
    copy_samples(&arch);
    assert!(kanbao(&data, &arch, &["index"]).0);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"));
    cmd.arg("--data-dir")
        .arg(&data)
        .arg(&arch)
        .env("TERM", "xterm-256color");
    let mut pty = kanbao::latency::PtyScreen::spawn(&mut cmd, 30, 120).unwrap();
    pty.wait_for(Duration::from_secs(30), &|s| s.contains(" issues"))
        .unwrap();
    pty.send("/电子站牌".as_bytes()).unwrap();
    let shown = pty.wait_for(Duration::from_secs(10), &|s| {
        kanbao::latency::shows_answer(s, "电子站牌", 1)
    });
    let screen = pty.text();
    assert!(shown.is_some(), "{screen}");
    assert!(
        screen.contains("公交新版电子站牌陆续启用"),
        "the hit's title:\n{screen}"
    );
    pty.send(b"\x1bq").unwrap();
}
