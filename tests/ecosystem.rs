//! Fitting the terminal ecosystem: config file and keymap, `show`, completions, man page,
//! logs, OSC 52 copy and the pager, end to end.

mod common;

use common::tmux::Tmux;
use common::*;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_kanbao");

fn run(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = Command::new(BIN);
    c.args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn first_article(data: &std::path::Path, arch: &std::path::Path) -> serde_json::Value {
    let (ok, out, err) = kanbao(data, arch, &["list", "--articles", "--json"]);
    assert!(ok, "{err}");
    jsonl(&out).into_iter().next().unwrap()
}

#[test]
fn show_prints_an_article_as_text_or_markdown() {
    let t = tempfile::tempdir().unwrap();
    let (data, arch) = (t.path().join("d"), repo().join("samples"));
    let a = first_article(&data, &arch);
    let id = a["id"].as_str().unwrap();
    let (ok, text, err) = kanbao(&data, &arch, &["show", id]);
    assert!(ok, "{err}");
    let title = a["title"].as_str().unwrap();
    assert!(text.contains(title) && text.contains(id), "{text}");
    let (ok, md, _) = kanbao(&data, &arch, &["show", id, "--format", "md"]);
    assert!(ok);
    assert!(md.contains(&format!("# {title}")), "{md}");
    assert!(md.contains(&format!("- id: {id}")));
    let (code, _, err) = kanbao_status(&data, &arch, &["show", "nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown id: nope"), "{err}");
}

#[test]
fn completions_and_man_page_come_from_the_cli() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(&["completions", shell], &[]);
        assert_eq!(code, 0, "{err}");
        for word in ["kanbao", "search", "show", "ambiguous-width"] {
            assert!(out.contains(word), "{shell} completions lack {word}");
        }
    }
    let (code, _, err) = run(&["completions", "tcsh"], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("invalid value"), "{err}");
    let (code, man, _) = run(&["man"], &[]);
    assert_eq!(code, 0);
    assert!(
        man.starts_with(".ie") || man.contains(".TH kanbao"),
        "{}",
        &man[..200]
    );
    for word in [
        ".SH COMMANDS",
        ".SH KEYS",
        ".SH QUERY SYNTAX",
        ".SH SEARCH OUTPUT",
        ".SH FILES",
        ".SH ENVIRONMENT",
        ".SH EXAMPLES",
        "kanbao search",
        "\\-\\-measure",
        "config.toml",
        "KANBAO_DATA_DIR",
        "is:unread",
        "ldgx",
    ] {
        assert!(man.contains(word), "man page lacks {word}");
    }
    // one page: no references to pages that do not exist (kanbao-search(1))
    assert!(
        !man.contains("kanbao\\-search(1)") && !man.contains("kanbao-search"),
        "{man}"
    );
    // every key of the keymap, as the help overlay shows it
    for (keys, help) in kanbao::tui::keys::Keymap::default().help_rows() {
        let help = help.replace('-', "\\-");
        assert!(man.contains(&help), "man page lacks the key {keys}: {help}");
    }
    // --help names the config file
    let (code, help, _) = run(
        &["--help"],
        &[("HOME", "/home/someone"), ("XDG_CONFIG_HOME", "")],
    );
    assert_eq!(code, 0);
    assert!(
        help.contains("Config file: /home/someone/.config/kanbao/config.toml"),
        "{help}"
    );
}

#[test]
fn config_file_defaults_errors_and_overrides() {
    let t = tempfile::tempdir().unwrap();
    // the commented default file is valid as it is
    let (code, default, _) = run(&["config", "--default"], &[]);
    assert_eq!(code, 0);
    let cfg = t.path().join("config.toml");
    std::fs::write(&cfg, &default).unwrap();
    let c = kanbao::config::load(Some(&cfg)).unwrap();
    assert!(c.archives.is_empty());
    // `kanbao config` says where the file is
    let (code, out, _) = run(
        &["--config", cfg.to_str().unwrap(), "config", "--path"],
        &[],
    );
    assert_eq!((code, out.trim()), (0, cfg.to_str().unwrap()));
    // a bad value: one message naming file and line, exit 2, nothing else runs
    std::fs::write(&cfg, "measure = 38\n\ntheme = \"neon\"\n").unwrap();
    let data = t.path().join("d");
    let (code, out, err) = run(
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
            "search",
            "x",
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        format!(
            "kanbao: {}:3: unknown theme \"neon\"; themes are: default rich mono",
            cfg.display()
        )
    );
    assert!(!data.exists(), "nothing ran");
    // KANBAO_CONFIG works like --config; a missing explicit file is an error
    let (code, _, err) = run(
        &["issues"],
        &[("KANBAO_CONFIG", "/nonexistent/kanbao.toml")],
    );
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/kanbao.toml"), "{err}");
    // the archive from the config, by default and by name
    let samples = repo().join("samples");
    std::fs::write(
        &cfg,
        format!(
            "archive = [\"/nonexistent/first\", {:?}]\n",
            samples.display().to_string()
        ),
    )
    .unwrap();
    let (code, _, err) = run(&["--config", cfg.to_str().unwrap(), "issues"], &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("/nonexistent/first"),
        "the first archive is the default: {err}"
    );
    let (code, out, err) = run(
        &["--config", cfg.to_str().unwrap(), "samples", "issues"],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 6, "{out}");
}

#[test]
fn the_command_line_wins_over_the_config() {
    use clap::Parser;
    let c = kanbao::config::parse(
        "measure = 30\nambiguous_width = 2\nindent = false\n",
        std::path::Path::new("c.toml"),
    )
    .unwrap();
    let cli = kanbao::cli::Cli::parse_from(["kanbao"]);
    let s = cli.global.settings(&c);
    assert_eq!((s.measure, s.ambiguous, s.indent), (60, 2, false));
    let cli = kanbao::cli::Cli::parse_from([
        "kanbao",
        "--measure",
        "40",
        "--ambiguous-width",
        "1",
        "--indent",
    ]);
    let s = cli.global.settings(&c);
    assert_eq!((s.measure, s.ambiguous, s.indent), (80, 1, true));
    let s = cli.global.settings(&kanbao::config::Config::default());
    assert_eq!(s.measure, 80);
    let s = kanbao::cli::Cli::parse_from(["kanbao"])
        .global
        .settings(&Default::default());
    assert_eq!(
        (s.measure, s.ambiguous, s.indent),
        (76, 1, true),
        "built-in defaults"
    );
}

#[test]
fn keys_can_be_bound_on_the_command_line() {
    use clap::Parser;
    let c = kanbao::config::parse(
        "[keys]\ntoggle_star = \"*\"\n",
        std::path::Path::new("c.toml"),
    )
    .unwrap();
    let cli = kanbao::cli::Cli::parse_from([
        "kanbao",
        "--bind",
        "toggle_star=x,s",
        "--bind",
        "quit=Ctrl-q",
    ]);
    let rows = cli.global.keymap(&c).unwrap().help_rows();
    assert!(
        rows.iter().any(|(k, h)| k == "x s" && h.contains("star")),
        "{rows:?}"
    );
    assert!(rows.iter().any(|(k, h)| k == "Ctrl-q" && *h == "quit"));
    for (bad, says) in [
        ("fly=x", "unknown action"),
        ("undo", "ACTION=KEYS"),
        ("undo=j", "bound to both"),
    ] {
        let (code, _, err) = run(&["--bind", bad, "issues", "--archive", "/nonexistent"], &[]);
        assert_eq!(code, 2);
        assert!(
            err.starts_with("kanbao: --bind") && err.contains(says),
            "{bad}: {err}"
        );
    }
}

#[test]
fn logs_go_to_the_data_dir_not_the_screen() {
    let t = tempfile::tempdir().unwrap();
    let data = t.path().join("d");
    let samples = repo().join("samples");
    let (code, out, err) = kanbao_status(&data, &samples, &["search", "本报"]);
    assert_eq!(code, 0);
    assert!(!out.contains("INFO") && !err.contains("INFO"));
    let log = std::fs::read_to_string(data.join("kanbao.log")).unwrap();
    assert!(
        log.contains("[INFO]") && log.contains("6 indexed (24 records)"),
        "{log}"
    );
    assert!(!log.contains("[DEBUG]"));
    // -v raises the level; the TUI's own debug lines then show up in the file
    let (code, _, _) = kanbao_status(&data, &samples, &["-v", "search", "本报"]);
    assert_eq!(code, 0);
    let log = std::fs::read_to_string(data.join("kanbao.log")).unwrap();
    assert!(log.lines().count() >= 4, "appended: {log}");
    assert!(
        log.contains("[DEBUG]") && log.contains("query \"本报\": 9 hits"),
        "{log}"
    );
}

/// The reader in tmux with a config that rebinds keys: the help shows the new keys, `*` stars,
/// `y` and `Y` reach tmux's clipboard through OSC 52, `o` pipes the article to $PAGER and the
/// reader comes back drawn in full.
#[test]
fn keymap_clipboard_and_pager_in_tmux() {
    let keep = tempfile::tempdir().unwrap();
    let d = keep.path().to_path_buf();
    let cfg = d.join("config.toml");
    std::fs::write(
        &cfg,
        "theme = \"rich\"\n[keys]\ntoggle_star = [\"*\"]\ncopy = [\"y\", \"c\"]\n",
    )
    .unwrap();
    let paged = d.join("paged.txt");
    let cmd = format!(
        "cd {} && PAGER='cat > {}' {BIN} --config {} --data-dir {} samples; echo EXIT=$?; sleep 30",
        repo().display(),
        paged.display(),
        cfg.display(),
        d.join("data").display()
    );
    let Some(t) = Tmux::start_cmd(120, 36, &cmd, keep) else {
        return;
    };
    let tmux = |args: &[&str]| {
        let o = Command::new("tmux")
            .args(["-L", &t.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    tmux(&["set-option", "-g", "set-clipboard", "on"]);
    t.wait_for("samples · 6 issues");
    t.send(&["?"]);
    t.wait_for("keys (");
    let s = t.wait_for("star / unstar");
    assert!(
        s.lines()
            .any(|l| l.contains("*") && l.contains("star / unstar")),
        "{s}"
    );
    assert!(
        s.lines()
            .any(|l| l.contains("y c") && l.contains("clipboard")),
        "{s}"
    );
    assert!(
        s.contains(&cfg.display().to_string()),
        "the help names the config file: {s}"
    );
    // one key at a time: Escape and Enter at once read as Alt-Enter
    t.send(&["Escape"]);
    t.wait_for("? help");
    t.send(&["Enter"]);
    t.wait_for("article 1/2");
    t.send(&["*"]);
    t.wait_for("starred ★");
    t.send(&["y"]);
    t.wait_for("to the clipboard");
    let buf = tmux(&["show-buffer"]);
    assert!(
        buf.contains("青年创新创业大赛落幕") && buf.contains("第十届青年创新创业大赛"),
        "article copied: {buf}"
    );
    t.send(&["Y"]);
    t.wait_for("copied the citation");
    let buf = tmux(&["show-buffer"]);
    assert!(
        buf.contains("《青年创新创业大赛落幕》") && buf.contains("kanbao "),
        "citation copied: {buf}"
    );
    assert_eq!(buf.lines().count(), 1);
    t.send(&["o"]);
    let start = std::time::Instant::now();
    while !paged.exists() && start.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let s = t.wait_for("article 1/2");
    let text = std::fs::read_to_string(&paged).unwrap();
    assert!(
        text.starts_with("青年创新创业大赛落幕") || text.contains("\n青年创新创业大赛落幕"),
        "{text}"
    );
    assert!(
        s.contains("samples") || s.contains("2025-12-02"),
        "redrawn after the pager: {s}"
    );
    // pinyin in the search box, without an input method: marked matches
    t.send(&["/"]);
    t.wait_for("type to search");
    t.type_text("cxcy");
    let s = t.wait_for("0 hits · 1 more by pinyin or 繁简");
    assert!(s.contains("[拼音] 青年创新创业大赛落幕"), "{s}");
    // opened, it scrolls to and highlights what pinyin matched
    t.send(&["Enter"]);
    t.wait_for("match 1/");
    t.send(&["q"]);
    t.wait_for("EXIT=0");
}
