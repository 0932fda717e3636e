//! Crashes, signals, lost connections, kill -9, damaged files and a hostile environment: each
//! case of docs/RELIABILITY.md that is not in tests/hostile.rs. The reader runs in a real pty
//! (tests/pty_driver.py) or in tmux; the CLI runs as a child process.

mod common;

use common::tmux::Tmux;
use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

/// Run the binary in a pty through tests/pty_driver.py; see there for the steps.
/// The command line that opens the reader.
fn reader(data: &Path, archive: &Path) -> Vec<String> {
    [
        BIN.as_ref(),
        "--data-dir".as_ref(),
        data.as_os_str(),
        archive.as_os_str(),
    ]
    .iter()
    .map(|s: &&std::ffi::OsStr| s.to_string_lossy().into_owned())
    .collect()
}

fn pty(argv: &[String], env: Value, steps: Value) -> Value {
    pty_sized(argv, env, steps, 30)
}

fn pty_sized(argv: &[String], env: Value, steps: Value, rows: u16) -> Value {
    let t = tempfile::tempdir().unwrap();
    let cfg = t.path().join("cfg.json");
    let res = t.path().join("res.json");
    std::fs::write(
        &cfg,
        json!({"argv": argv, "env": env, "steps": steps, "rows": rows}).to_string(),
    )
    .unwrap();
    let st = Command::new("python3")
        .arg(repo().join("tests/pty_driver.py"))
        .arg(&cfg)
        .arg(&res)
        .status()
        .expect("python3 is needed for the pty tests");
    assert!(st.success(), "pty driver failed");
    serde_json::from_str(&std::fs::read_to_string(&res).unwrap()).unwrap()
}

fn starred(data: &Path, archive: &Path) -> usize {
    let (ok, out, err) = kanbao(
        data,
        archive,
        &["list", "--articles", "--starred", "--json"],
    );
    assert!(ok, "{err}");
    jsonl(&out).len()
}

fn samples_copy(t: &Path) -> PathBuf {
    let a = t.join("archive");
    copy_samples(&a);
    a
}

/// What a restored terminal gets at the end: alternate screen left, cursor shown; and the pty
/// is back in canonical mode with echo.
fn assert_restored(r: &Value) {
    let out = r["out"].as_str().unwrap();
    let enter = out.find("\u{1b}[?1049h").expect("alternate screen entered");
    let leave = out.rfind("\u{1b}[?1049l").expect("alternate screen left");
    assert!(leave > enter);
    assert!(
        out[leave..].contains("\u{1b}[?25h")
            || out[..leave].rfind("\u{1b}[?25h").is_some_and(|s| s > enter),
        "cursor shown again"
    );
    assert_eq!(r["canon_after"], true, "raw mode off after exit");
    assert_eq!(r["echo_after"], true, "echo on after exit");
}

#[test]
fn a_panic_restores_the_terminal_and_reports() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let r = pty(
        &reader(&data, &repo().join("samples")),
        json!({"KANBAO_TEST_PANIC": "1", "RUST_BACKTRACE": "0"}),
        json!([
            ["wait", 2.0],
            ["probe", "running"],
            ["keys", "j"],
            ["wait", 1.0]
        ]),
    );
    assert_eq!(r["probes"]["running"], true, "the reader was in raw mode");
    assert_eq!(r["code"], 101, "{r}");
    assert_restored(&r);
    let out = r["out"].as_str().unwrap();
    let leave = out.rfind("\u{1b}[?1049l").unwrap();
    let report = &out[leave..];
    assert!(
        report.contains("kanbao crashed; the terminal has been restored"),
        "{report}"
    );
    assert!(
        report.contains("KANBAO_TEST_PANIC"),
        "the panic message is in the report: {report}"
    );
}

#[test]
fn sigterm_saves_and_exits_clean() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let arch = samples_copy(t.path());
    let r = pty(
        &reader(&data, &arch),
        json!({}),
        // open the first issue, star its first article, then SIGTERM
        json!([
            ["wait", 2.0],
            ["keys", "\r"],
            ["keys", "s"],
            ["wait", 0.5],
            ["signal", "TERM"],
            ["wait", 1.0]
        ]),
    );
    assert_eq!(r["code"], 0, "clean exit: {}", r["out"]);
    assert_restored(&r);
    assert_eq!(starred(&data, &arch), 1, "the star was saved");
    // the index is consistent: no rebuild needed, search works
    let (ok, _, err) = kanbao(&data, &arch, &["search", "本报"]);
    assert!(ok && !err.contains("rebuilding"), "{err}");
}

#[test]
fn a_dropped_connection_saves_and_exits() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let arch = samples_copy(t.path());
    let r = pty_sized(
        &reader(&data, &arch),
        json!({}),
        // star two articles, read the second a few lines down; then, like sshd when the
        // connection drops, close the master side (the kernel sends SIGHUP)
        json!([
            ["wait", 2.0],
            ["keys", "\r"],
            ["keys", "s"],
            ["keys", "j"],
            ["keys", "s"],
            ["keys", "\r"],
            ["keys", "j"],
            ["keys", "j"],
            ["keys", "j"],
            ["wait", 0.5],
            ["hangup", null],
            ["wait", 0.5]
        ]),
        8,
    );
    assert_eq!(r["code"], 0, "exits by itself, cleanly: {r}");
    assert_eq!(starred(&data, &arch), 2);
    let marks = kanbao::state::State::open(&data)
        .unwrap()
        .all_marks()
        .unwrap();
    assert!(
        marks.values().any(|m| m.position > 0),
        "the reading position was saved: {marks:?}"
    );
    let (ok, _, err) = kanbao(&data, &arch, &["search", "本报"]);
    assert!(ok && !err.contains("rebuilding"), "{err}");
}

#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path().to_path_buf();
    let Some(t) = Tmux::start_cmd(
        100,
        30,
        "env PS1='SHELL$ ' bash --norc --noprofile -i",
        data,
    ) else {
        return;
    };
    t.wait_for("SHELL$");
    t.send(&[
        &format!(
            "{BIN} --data-dir {} {}",
            d.display(),
            repo().join("samples").display()
        ),
        "Enter",
    ]);
    let before = t.wait_for("samples · 6 issues");
    t.send(&["C-z"]);
    let s = t.wait_for("Stopped");
    assert!(
        !s.contains("samples · 6 issues"),
        "the shell has the screen back:\n{s}"
    );
    t.send(&["fg", "Enter"]);
    let after = t.wait_for("samples · 6 issues");
    assert!(
        !after.contains("Stopped") && !after.contains("SHELL$"),
        "redrawn in full:\n{after}"
    );
    assert_eq!(after.lines().count(), before.lines().count());
    t.send(&["j"]);
    t.send(&["q"]);
    t.wait_for("SHELL$");
}

#[test]
fn kill_9_during_indexing_keeps_the_last_commit_and_finishes() {
    let t = tempfile::tempdir().unwrap();
    let arch = t.path().join("a");
    let data = t.path().join("d");
    let n = 6000;
    many_issues(&arch, 0..n);
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(&data)
        .args(["index", "--archive"])
        .arg(&arch)
        // a checkpoint every 2000 files (by default every 32,000 files or 256 MB)
        .env("KANBAO_COMMIT_EVERY_FILES", "2000")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // past the first checkpoint (2000 files), kill it without warning. Progress is shown on a
    // terminal only, so watch the catalog each checkpoint writes.
    let dir = kanbao::index::index_dir(&data, &arch);
    let committed = || -> usize {
        [
            dir.join("catalog.sqlite"),
            dir.with_extension("new").join("catalog.sqlite"),
        ]
        .iter()
        .filter(|p| p.exists())
        .filter_map(|p| {
            let c = rusqlite::Connection::open_with_flags(
                p,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .ok()?;
            c.query_row("SELECT count(*) FROM files", [], |r| r.get::<_, i64>(0))
                .ok()
        })
        .max()
        .unwrap_or(0) as usize
    };
    let t0 = std::time::Instant::now();
    let mut killed_at = 0;
    while t0.elapsed() < std::time::Duration::from_secs(300) {
        let done = committed();
        if done > 2000 {
            killed_at = done;
            child.kill().unwrap(); // SIGKILL
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait().unwrap();
    assert!(
        killed_at > 2000 && killed_at < n,
        "killed mid-run at {killed_at}"
    );
    // the next start opens what was committed without a rebuild
    let mut msgs = Vec::new();
    let store = kanbao::index::Store::open(&data, &arch, &mut msgs).unwrap();
    assert!(msgs.is_empty(), "no rebuild: {msgs:?}");
    let kept = store.len();
    assert!(
        kept >= 2000 && kept < n,
        "the last commit survived: {kept} records"
    );
    drop(store);
    // and finishes the job
    let (ok, _, err) = kanbao(&data, &arch, &["index"]);
    assert!(ok, "{err}");
    assert!(err.contains(&format!("{n} records in the index")), "{err}");
    for i in [0, 1999, 2000, 4321, n - 1] {
        let (ok, out, _) = kanbao(&data, &arch, &["search", "--json", &format!("编号甲{i}乙")]);
        assert!(ok);
        let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        assert_eq!(v["total"], 1, "issue {i} indexed exactly once: {v}");
    }
}

/// Child mode: mark ids one by one and print each id once SQLite has acknowledged it.
fn child_acks() -> bool {
    let Ok(dir) = std::env::var("KANBAO_ACK_DATA") else {
        return false;
    };
    let st = kanbao::state::State::open(Path::new(&dir)).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let id = format!("article-{i}");
        st.set_starred(&id, true).unwrap();
        use std::io::Write;
        writeln!(out, "{id}").unwrap();
        out.flush().unwrap();
    }
    true
}

#[test]
fn kill_9_while_marking_loses_no_acknowledged_mark() {
    if child_acks() {
        return;
    }
    let t = tempfile::tempdir().unwrap();
    for round in 0..3 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kill_9_while_marking_loses_no_acknowledged_mark",
                "--nocapture",
            ])
            .env("KANBAO_ACK_DATA", t.path())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut acked = Vec::new();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for l in lines.by_ref() {
            let l = l.unwrap();
            if l.starts_with("article-") {
                acked.push(l);
            }
            if acked.len() == 150 + round * 70 {
                child.kill().unwrap();
                break;
            }
        }
        child.wait().unwrap();
        let st = kanbao::state::State::open(t.path()).unwrap();
        let marks = st.all_marks().unwrap();
        for id in &acked {
            assert!(
                marks.get(id).is_some_and(|m| m.starred),
                "round {round}: acknowledged {id} lost"
            );
        }
    }
}

#[test]
fn a_garbled_index_is_rebuilt_and_marks_stay() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let arch = samples_copy(t.path());
    let ids: Vec<String> = jsonl(&kanbao(&data, &arch, &["list", "--articles", "--json"]).1)
        .iter()
        .take(3)
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    let mut args = vec!["mark", "--star"];
    args.extend(ids.iter().map(|s| s.as_str()));
    assert!(kanbao(&data, &arch, &args).0);
    // answers without their timing
    let answers = |out: &str| {
        let mut v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("took_us");
        v
    };
    let before = answers(&kanbao(&data, &arch, &["search", "--json", "本报"]).1);
    let dir = kanbao::index::index_dir(&data, &arch);
    type Damage = fn(&Path);
    let damages: [(&str, Damage); 3] = [
        ("segment files cut in half", |dir| {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| {
                    ["idx", "pos", "term", "store", "fast"].contains(&x.to_str().unwrap())
                }) {
                    let len = std::fs::metadata(&p).unwrap().len();
                    std::fs::OpenOptions::new()
                        .write(true)
                        .open(&p)
                        .unwrap()
                        .set_len(len / 2)
                        .unwrap();
                }
            }
        }),
        ("meta.json garbled", |dir| {
            std::fs::write(dir.join("meta.json"), b"{\"segments\": [\x00\x01").unwrap()
        }),
        ("catalog.sqlite garbled", |dir| {
            let m = dir.join("catalog.sqlite");
            let len = std::fs::metadata(&m).unwrap().len() as usize;
            let _ = std::fs::remove_file(dir.join("catalog.sqlite-wal"));
            let _ = std::fs::remove_file(dir.join("catalog.sqlite-shm"));
            std::fs::write(&m, vec![0x5a; len / 3]).unwrap();
        }),
    ];
    for (what, damage) in damages {
        damage(&dir);
        let (ok, out, err) = kanbao(&data, &arch, &["search", "--json", "本报"]);
        assert!(ok, "{what}: {err}");
        assert!(
            err.contains("rebuilding the search index"),
            "{what}: told: {err}"
        );
        assert_eq!(
            answers(&out),
            before,
            "{what}: same answers after the rebuild"
        );
        assert_eq!(starred(&data, &arch), 3, "{what}: marks untouched");
    }
}

#[test]
fn environment_faults_give_one_clear_message() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    // archive missing, or a file instead of a folder
    for (arch, says) in [
        (t.path().join("nope"), "nope"),
        (repo().join("Cargo.toml"), "Cargo.toml"),
    ] {
        for args in [&["index"][..], &["search", "x"], &["export"], &[]] {
            let (ok, out, err) = kanbao(&data, &arch, args);
            assert!(!ok, "{args:?}");
            assert!(out.is_empty());
            assert_eq!(err.lines().count(), 1, "one line: {err}");
            assert!(
                err.starts_with("kanbao: ") && err.contains(says) && !err.contains("panicked"),
                "{args:?}: {err}"
            );
        }
    }
    // the data dir is private
    let arch = samples_copy(t.path());
    assert!(kanbao(&data, &arch, &["index"]).0);
    use std::os::unix::fs::PermissionsExt;
    for p in [
        data.clone(),
        data.join("index"),
        kanbao::index::index_dir(&data, &arch),
    ] {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", p.display());
    }
    // stdout piped: the reader refuses, the CLI works
    let (ok, _, err) = kanbao(&data, &arch, &[]);
    assert!(!ok && err.contains("needs a terminal"), "{err}");
    let (ok, out, _) = kanbao(&data, &arch, &["search", "本报"]);
    assert!(
        ok && !out.is_empty() && !out.contains('\u{1b}'),
        "no colour codes into a pipe"
    );
}

fn euid() -> u32 {
    // no libc dependency: the owner of /proc/self is who we are
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(0)
}

/// `kanbao ARGS` as user nobody (via setpriv) when root, else as ourselves.
fn kanbao_unprivileged(args: &[&str]) -> (bool, String) {
    // root reads everything: drop to user nobody to meet a permission error
    let mut c = if euid() == 0 {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        Command::new(BIN)
    };
    // a home of its own: ours may not be readable by that user
    let o = c
        .args(args)
        .env("HOME", "/nonexistent-kanbao-home")
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn unreadable_archive_and_unwritable_data_dir() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    std::fs::set_permissions(t.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let arch = samples_copy(t.path());
    // an archive folder nobody may read
    let locked = t.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("a.txt"), "标题\n\n正文。\n").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let scratch = t.path().join("scratch");
    std::fs::create_dir(&scratch).unwrap();
    std::fs::set_permissions(&scratch, std::fs::Permissions::from_mode(0o777)).unwrap();
    let (ok, err) = kanbao_unprivileged(&[
        "--data-dir",
        scratch.join("d").to_str().unwrap(),
        "index",
        "--archive",
        locked.to_str().unwrap(),
    ]);
    assert!(
        !ok && err.lines().count() == 1 && err.contains("Permission denied"),
        "{err}"
    );
    // a data folder that cannot be written
    let ro = t.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    for args in [&["index"][..], &["search", "本报"], &["list"]] {
        let mut a = vec![
            "--data-dir",
            ro.to_str().unwrap(),
            "--archive",
            arch.to_str().unwrap(),
        ];
        a.extend_from_slice(args);
        let (ok, err) = kanbao_unprivileged(&a);
        assert!(!ok, "{args:?}");
        assert!(
            err.lines().count() == 1
                && err.contains("cannot create")
                && err.contains("Permission denied"),
            "{args:?}: {err}"
        );
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Mount a small tmpfs (root only); None when that is not possible here.
struct Tmpfs(PathBuf);
impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }
}
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_stops_with_a_message_and_loses_nothing() {
    let t = tempfile::tempdir().unwrap();
    let arch = samples_copy(t.path());
    let data = t.path().join("d");
    // a data dir on a 3 MB disk when we may mount one, else a 3 MB file-size limit
    let fs = Tmpfs::mount(&data, "8m");
    let limit = if fs.is_some() { "unlimited" } else { "2000" };
    let run = |args: &[&str]| -> (bool, String, String) {
        let mut line = format!(
            "ulimit -f {limit}; trap '' XFSZ; exec {BIN} --data-dir {} --archive {}",
            data.display(),
            arch.display()
        );
        for a in args {
            line.push_str(&format!(" '{a}'"));
        }
        let o = Command::new("bash").arg("-c").arg(line).output().unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let ids: Vec<String> = jsonl(&run(&["list", "--articles", "--json"]).1)
        .iter()
        .take(2)
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(run(&["mark", "--star", &ids[0], &ids[1]]).0);
    // a big new issue arrives: indexing it does not fit
    // ~6 MB of varied Han text: its index is several times larger than the disk
    let mut x: u32 = 12345;
    let body: String = (0..2_000_000)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            if i % 80 == 79 {
                '\n'
            } else {
                char::from_u32(0x4e00 + (x >> 16) % 3000).unwrap()
            }
        })
        .collect();
    std::fs::write(arch.join("big.txt"), format!("大文件\n\n{body}")).unwrap();
    let (ok, _, err) = run(&["index"]);
    assert!(!ok, "cannot go on when the disk is full");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.lines().filter(|l| l.starts_with("kanbao:")).count() == 1,
        "{err}"
    );
    assert!(
        err.contains("No space left") || err.contains("File too large") || err.contains("space"),
        "says why: {err}"
    );
    // nothing lost: without the big file everything works as before, marks included
    std::fs::remove_file(arch.join("big.txt")).unwrap();
    let (ok, out, err) = run(&["list", "--articles", "--starred", "--json"]);
    assert!(ok, "{err}");
    assert_eq!(jsonl(&out).len(), 2);
    let (ok, out, err) = run(&["search", "--json", "本报"]);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0);
    drop(fs);
}

#[test]
fn a_second_writer_is_told_who_holds_the_lock() {
    let t = tempfile::tempdir().unwrap();
    let arch = samples_copy(t.path());
    let data = t.path().join("d");
    assert!(kanbao(&data, &arch, &["index"]).0);
    // another kanbao is writing the index (holds tantivy's writer lock)
    let index = tantivy::Index::open_in_dir(kanbao::index::index_dir(&data, &arch)).unwrap();
    let writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    // reading still works
    let (ok, _, err) = kanbao(&data, &arch, &["search", "本报"]);
    assert!(ok, "{err}");
    // a change that needs the writer gets one clear message and a non-zero exit
    std::fs::write(arch.join("new.txt"), "新标题\n\n本报讯 新的一天。\n").unwrap();
    let (ok, _, err) = kanbao(&data, &arch, &["index"]);
    assert!(!ok);
    let said: Vec<&str> = err.lines().filter(|l| l.starts_with("kanbao:")).collect();
    assert_eq!(said.len(), 1, "{err}");
    assert!(said[0].contains("being updated by another kanbao"), "{err}");
    drop(writer);
    let (ok, _, err) = kanbao(&data, &arch, &["search", "新的一天"]);
    assert!(ok, "after the other one is done: {err}");
}

#[test]
fn dumb_terminal_and_no_color() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let samples = repo().join("samples");
    let argv = reader(&data, &samples);
    let r = pty(&argv, json!({"TERM": "dumb"}), json!([["wait", 1.5]]));
    assert_eq!(r["code"], 2);
    let out = r["out"].as_str().unwrap();
    assert!(
        out.contains("TERM=dumb") && !out.contains('\u{1b}'),
        "{out:?}"
    );
    let colours = |out: &str| out.contains("\u{1b}[38;") || out.contains("\u{1b}[48;");
    let quit = json!([
        ["wait", 2.0],
        ["keys", "\r"],
        ["wait", 0.5],
        ["keys", "q"],
        ["keys", "q"]
    ]);
    let r = pty(&argv, json!({}), quit.clone());
    assert!(colours(r["out"].as_str().unwrap()), "colour by default");
    let r = pty(&argv, json!({"NO_COLOR": "1"}), quit);
    let out = r["out"].as_str().unwrap();
    assert!(out.contains("samples"), "the reader ran");
    assert!(!colours(out), "NO_COLOR: no colour codes at all");
}
