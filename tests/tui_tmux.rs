//! End to end: the real binary in tmux on samples/, driven with send-keys and read with
//! capture-pane, as a person would use it. Needs tmux (CI installs it; with
//! KANBAO_REQUIRE_TMUX=1 a missing tmux fails instead of skipping).

mod common;

use common::tmux::Tmux;
use common::*;
use std::process::Command;
use std::time::Duration;

/// Display columns of every border character on each line: the right border of every bordered
/// line must stand in the same column (CJK text must not push it).
fn assert_aligned(screen: &str) {
    let lines: Vec<&str> = screen.lines().collect();
    // a popup (search, help) is a box of its own: its rows are checked among themselves
    let top = lines
        .iter()
        .position(|l| l.contains("┌ search") || l.contains("┌ keys"));
    if let Some(top) = top {
        let bottom = (top + 1..lines.len())
            .find(|&i| lines[i].contains('└') && lines[i].contains('┘'))
            .unwrap_or(lines.len());
        let inside: Vec<&str> = lines[top + 1..bottom].to_vec();
        let outside: Vec<&str> = lines[..top]
            .iter()
            .chain(&lines[bottom + 1..])
            .copied()
            .collect();
        assert_rows_aligned(&inside, screen);
        assert_rows_aligned(&outside, screen);
    } else {
        assert_rows_aligned(&lines[1..lines.len().saturating_sub(2)], screen);
    }
}

fn assert_rows_aligned(lines: &[&str], screen: &str) {
    let mut cols: Option<Vec<usize>> = None;
    for l in lines {
        let mut col = 0;
        let mut xs = Vec::new();
        // ASCII borders (ambiguous width 2) are `|`; with box drawing a `|` is text (the pipe key)
        let bar = if l.contains('│') { "│" } else { "|" };
        for g in unicode_segmentation::UnicodeSegmentation::graphemes(*l, true) {
            if g == bar {
                xs.push(col);
            }
            col += kanbao::wrap::width(g, 1);
        }
        if xs.len() < 2 {
            continue;
        }
        match &cols {
            None => cols = Some(xs),
            Some(c) => assert_eq!(&xs, c, "misaligned line {l:?} in:\n{screen}"),
        }
    }
    assert!(cols.is_some(), "no bordered lines:\n{screen}");
}

#[test]
fn browse_read_search_and_quit() {
    let Some(t) = Tmux::start(120, 36, "samples") else {
        return;
    };
    let s = t.wait_for("samples · 6 issues");
    assert_aligned(&s);
    // open the second issue and its second article
    t.send(&["j", "Enter"]);
    t.send(&["j", "Enter"]);
    let s = t.wait_for("article 2/4");
    assert!(s.contains("田间课堂"), "{s}");
    assert_aligned(&s);
    // scroll and next article
    t.send(&["]"]);
    let s = t.wait_for("article 3/4");
    assert!(s.contains("职工暖心行动"), "{s}");
    assert_aligned(&s);
    // incremental search, typed one character at a time
    t.send(&["/"]);
    t.wait_for("type to search");
    t.type_text("社");
    let s1 = t.wait_for("hits");
    t.type_text("区规");
    let s2 = t.wait_for("1 hit ");
    assert_ne!(s1, s2, "results change at every keystroke");
    assert!(s2.contains("首批“社区规划师”正式上岗"), "{s2}");
    assert_aligned(&s2);
    t.send(&["Enter"]);
    let s = t.wait_for("match 1/");
    assert!(s.contains("社区规划师"), "{s}");
    assert_aligned(&s);
    // help overlay
    t.send(&["?"]);
    t.wait_for("keys (");
    let s = t.wait_for("search box: close the box");
    assert!(s.contains("next match of the search"), "{s}");
    assert_aligned(&s);
    t.send(&["Escape"]);
    // quit: the terminal is restored
    t.send(&["q"]);
    t.wait_for("EXIT=0");
    assert_eq!(t.display("#{alternate_on}"), "0", "alternate screen left");
    assert_eq!(t.display("#{cursor_flag}"), "1", "cursor shown");
}

#[test]
fn narrow_terminal_drills_down() {
    let Some(t) = Tmux::start(60, 20, "samples") else {
        return;
    };
    let s = t.wait_for("6 issues");
    assert_eq!(
        s.lines().next().unwrap().matches('┌').count(),
        1,
        "one pane:\n{s}"
    );
    t.send(&["Enter"]);
    t.wait_for("青年创新创业大赛落幕");
    t.send(&["Enter"]);
    let s = t.wait_for("article 1/2");
    assert!(s.contains("第十届青年创新创业"), "{s}");
    assert_aligned(&s);
    t.send(&["Escape", "Escape", "q"]);
    t.wait_for("EXIT=0");
}

#[test]
fn reader_refuses_without_a_terminal() {
    let data = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .arg("--data-dir")
        .arg(data.path())
        .arg(repo().join("samples"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_file_copied_into_the_archive_shows_up_marked_new() {
    let t = tempfile::tempdir().unwrap();
    let arch = t.path().join("arch");
    std::fs::create_dir_all(arch.join("2024")).unwrap();
    for f in [
        "riverside-20241119-p1.txt",
        "riverside-20241119-p1.toml",
        "metro-2024-05-20-a3.md",
    ] {
        std::fs::copy(
            repo().join("samples/2024").join(f),
            arch.join("2024").join(f),
        )
        .unwrap();
    }
    let data = t.path().join("data");
    // a first session: what is there now is not new next time
    {
        let Some(s) = Tmux::start_in(
            120,
            30,
            &arch.display().to_string(),
            &data,
            tempfile::tempdir().unwrap(),
        ) else {
            return;
        };
        s.wait_for("arch · 2 issues");
        s.send(&["q"]);
        s.wait_for("EXIT=0");
    }
    std::thread::sleep(Duration::from_millis(1100)); // sessions are recorded to the second
    let Some(s) = Tmux::start_in(
        120,
        30,
        &arch.display().to_string(),
        &data,
        tempfile::tempdir().unwrap(),
    ) else {
        return;
    };
    let screen = s.wait_for("arch · 2 issues");
    assert!(
        !screen.contains("new 2024"),
        "nothing is new in the second session:\n{screen}"
    );
    std::fs::copy(
        repo().join("samples/2025/youth-2025-12-02.txt"),
        arch.join("youth-2025-12-02.txt"),
    )
    .unwrap();
    let screen = s.wait_for("arch · 3 issues");
    let line = screen.lines().find(|l| l.contains("2025-12-02")).unwrap();
    assert!(
        line.contains("new 2025-12-02"),
        "the new issue is marked new:\n{screen}"
    );
    assert!(
        screen.lines().filter(|l| l.contains("new 20")).count() == 1,
        "{screen}"
    );
    // a removed file leaves the list; its marks are kept for if it returns
    std::fs::remove_file(arch.join("2024/metro-2024-05-20-a3.md")).unwrap();
    s.wait_for("arch · 2 issues");
    s.send(&["q"]);
    s.wait_for("EXIT=0");
}

/// The search workflow with the real binary: results stay after opening a hit (Esc goes back
/// to them, selection kept), the article pipes to a command (`|`), and the next session opens
/// on the same issue and view with the query in its history (Up) and the saved search listed.
#[test]
fn results_history_saved_searches_and_place_survive_a_restart() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("data");
    let out = t.path().join("piped.txt");
    {
        let Some(s) = Tmux::start_in(150, 36, "samples", &data, tempfile::tempdir().unwrap())
        else {
            return;
        };
        s.wait_for("samples · 6 issues");
        s.send(&["/"]);
        s.type_text("社区");
        s.wait_for(" hits · ");
        // Tab to the list, the second hit, open it
        s.send(&["Tab"]);
        s.wait_for("results: j k move");
        s.send(&["j", "Enter"]);
        let screen = s.wait_for("match 1/");
        assert!(!screen.contains("results: j k move"), "{screen}");
        // Esc: the results again, the second hit still selected (the list's 5th row)
        s.send(&["Escape"]);
        let screen = s.wait_for("results: j k move");
        let title = screen.lines().nth(6).unwrap_or_default().to_string();
        assert!(title.contains('│'), "{screen}");
        // save the search; Esc closes it
        s.send(&["S"]);
        s.wait_for("saved: 社区");
        s.send(&["Escape"]);
        s.wait_for("/ 社区");
        // pipe the article read to a command
        s.send(&["Enter", "Enter", "|"]);
        s.wait_for("pipe to:");
        s.type_text(&format!("cat > {}", out.display()));
        s.send(&["Enter"]);
        s.wait_for("press Enter to return");
        s.send(&["Enter"]);
        s.wait_for("piped the article to");
        let piped = std::fs::read_to_string(&out).unwrap();
        assert!(piped.chars().count() > 20, "{piped}");
        // a view and an issue further down, then quit
        // one key at a time: Escape and the next key at once read as Alt-key
        for k in ["Escape", "Escape", "J", "J", "v"] {
            s.send(&[k]);
            std::thread::sleep(Duration::from_millis(150));
        }
        s.wait_for("view: unread");
        s.send(&["q"]);
        s.wait_for("EXIT=0");
    }
    let Some(s) = Tmux::start_in(150, 36, "samples", &data, tempfile::tempdir().unwrap()) else {
        return;
    };
    let screen = s.wait_for("samples · 6 issues");
    assert!(
        screen.contains("view: unread"),
        "the view is kept:\n{screen}"
    );
    assert!(
        screen.contains("/ 社区"),
        "the saved search is listed:\n{screen}"
    );
    s.send(&["/", "Up"]);
    s.wait_for("/ 社区");
    let screen = s.wait_for(" hits · ");
    assert!(screen.contains("社区"), "{screen}");
    s.send(&["Escape"]);
    s.wait_for("? help");
    s.send(&["q"]);
    s.wait_for("EXIT=0");
}

/// The reader draws the issues the index holds at once and checks the archive in the
/// background: with 3,000 new files waiting, the first screen already lists the indexed issues
/// while the status line counts the files being indexed; the new issues follow.
#[test]
fn the_reader_opens_at_once_and_indexes_new_files_in_the_background() {
    let t = tempfile::tempdir().unwrap();
    let arch = t.path().join("a");
    let data = t.path().join("d");
    many_issues(&arch, 0..10);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .arg("--data-dir")
        .arg(&data)
        .args(["index", "--archive"])
        .arg(&arch)
        .output()
        .unwrap();
    assert!(o.status.success());
    many_issues(&arch, 10..3010);
    let Some(s) = Tmux::start_in(
        120,
        30,
        &arch.display().to_string(),
        &data,
        tempfile::tempdir().unwrap(),
    ) else {
        return;
    };
    let screen = s.wait_for("indexing ");
    assert!(
        screen.contains("a · 10 issues"),
        "the indexed issues are on screen while the new ones are indexed:\n{screen}"
    );
    s.wait_for("a · 3010 issues");
    s.send(&["q"]);
    s.wait_for("EXIT=0");
}
