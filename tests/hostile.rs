//! Hostile and broken input, generated here: everything loads that can, one warning per file
//! that cannot, and nothing panics in analysis, indexing, search or rendering. What the reader
//! writes to a real pty carries none of the archive's control sequences.

mod common;

use common::*;
use std::path::Path;

const ESCAPES: &str = "标题\u{1b}[38;5;201mPWNED\u{1b}]52;c;aGVsbG8=\u{7}\u{1b}]8;;http://evil\u{1b}\\链接\u{1b}]8;;\u{1b}\\\u{9b}31m\u{202e}olleh\u{200b}零宽\u{feff}。";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn utf16le(s: &str, bom: bool) -> Vec<u8> {
    let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
    for u in s.encode_utf16() {
        v.extend_from_slice(&u.to_le_bytes());
    }
    v
}

/// A corpus of bad files; returns how many are unusable (binary).
fn corpus(dir: &Path, huge: bool) -> usize {
    let page = "浦东新区召开会议\n\n本报讯（记者 李四）浦东新区召开大会，表彰先进企业。\n";
    write(dir, "ok.txt", page.as_bytes());
    let mut bad_utf8 = page.repeat(4).as_bytes().to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, b'\n']);
    bad_utf8.extend_from_slice("后面的文字。".as_bytes());
    write(dir, "invalid-utf8.txt", &bad_utf8);
    let (gb, _, _) = encoding_rs::GB18030.encode(page);
    write(dir, "gb18030.txt", &gb);
    write(dir, "utf16-bom.txt", &utf16le(page, true));
    write(
        dir,
        "utf16-nobom.md",
        &utf16le("Plain ASCII in UTF-16 without a BOM.\n", false),
    );
    // an unpaired surrogate in UTF-16
    let mut lone = vec![0xFF, 0xFE];
    lone.extend_from_slice(&0xD800u16.to_le_bytes());
    lone.extend_from_slice(&utf16le("之后", false));
    write(dir, "utf16-lone-surrogate.txt", &lone);
    write(dir, "nul-bytes.txt", "浦东\0新区\0召开会议。\n".as_bytes());
    write(dir, "empty.txt", b"");
    // rare readings (欸 誒: ê), traditional characters, 〇
    write(dir, "rare.txt", "欸，誒？勞動關係。〇\n".as_bytes());
    write(dir, "blank.txt", "   \n\n\t\r\n\u{3000}\n".as_bytes());
    write(
        dir,
        "escapes.txt",
        format!("{ESCAPES}\n\n{ESCAPES}\n").as_bytes(),
    );
    write(
        dir,
        "marks.txt",
        "e\u{301}\u{301}\u{301} 👩\u{200d}👩\u{200d}👧\u{200d}👦 汉\u{20dd}字。\n".as_bytes(),
    );
    // binary files: refused with a warning each
    let bin: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write(dir, "binary.txt", &bin);
    write(dir, "zeros.md", &vec![0u8; 4096]);
    // very long paths and a file name that is not UTF-8
    let deep: String = (0..12)
        .map(|i| format!("{}层目录/", "很长的".repeat(8) + &i.to_string()))
        .collect();
    write(
        dir,
        &format!("{deep}{}.txt", "长".repeat(60)),
        page.as_bytes(),
    );
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe-name.txt");
        std::fs::write(dir.join(name), page).unwrap();
    }
    if huge {
        // 54 MB in one line
        write(
            dir,
            "huge-one-line.txt",
            "浦东新区召开会议，表彰先进企业"
                .repeat(1_200_000)
                .as_bytes(),
        );
    }
    2
}

#[test]
fn hostile_files_load_index_search_and_render() {
    let t = tempfile::tempdir().unwrap();
    let arch = t.path().join("a");
    let binary = corpus(&arch, true);
    let lib = kanbao::library::load(&arch).unwrap();
    assert_eq!(
        lib.warnings.len(),
        binary,
        "one warning per unusable file: {:?}",
        lib.warnings
    );
    assert!(
        lib.warnings
            .iter()
            .all(|w| w.contains("binary") || w.contains("decoded")),
        "{:?}",
        lib.warnings
    );
    assert!(lib.warnings.iter().any(|w| w.contains("binary.txt")));
    let sources: Vec<&str> = lib.issues.iter().map(|i| i.meta.source.as_str()).collect();
    for must in [
        "ok.txt",
        "invalid-utf8.txt",
        "gb18030.txt",
        "utf16-bom.txt",
        "utf16-nobom.md",
        "nul-bytes.txt",
        "empty.txt",
        "escapes.txt",
        "huge-one-line.txt",
    ] {
        assert!(sources.contains(&must), "{must} not loaded: {sources:?}");
    }
    assert!(
        sources.iter().any(|s| s.contains("bad-")),
        "non-UTF-8 name loaded (lossy)"
    );
    assert!(
        sources.iter().any(|s| s.starts_with("很长的")),
        "deep path loaded"
    );
    let gb = lib
        .issues
        .iter()
        .find(|i| i.meta.source == "gb18030.txt")
        .unwrap();
    assert!(
        gb.records.iter().any(|r| r.title.contains("浦东新区")),
        "GB18030 decoded"
    );
    let inv = lib
        .issues
        .iter()
        .find(|i| i.meta.source == "invalid-utf8.txt")
        .unwrap();
    assert!(inv
        .records
        .iter()
        .flat_map(|r| r.text_fields())
        .any(|t| t.contains("后面的文字")));
    // text conservation holds on everything that loaded
    let (files, _) = kanbao::archive::discover(&arch).unwrap();
    for f in &files {
        if let Ok(d) = kanbao::archive::read_file(f) {
            let meta = kanbao::archive::issue_meta(f, &d, &mut Vec::new());
            assert_conserved(&d.text, &kanbao::layout::analyze(&d.text, &meta), &f.source);
        }
    }
    // index and search
    let data = t.path().join("d");
    let mut store = kanbao::index::Store::open(&data, &arch, &mut Vec::new()).unwrap();
    let rep = store.sync(&arch, &mut |_, _, _| {}).unwrap();
    assert_eq!(rep.warnings.len(), binary);
    for q in [
        "浦东",
        "PWNED",
        "零宽",
        "表彰先进",
        "\u{1b}",
        "a",
        "👩",
        "e\u{301}",
    ] {
        let parsed = kanbao::index::query::parse(q).unwrap();
        let r = store.search(&parsed, 10).unwrap();
        for h in &r.hits {
            let n = h.snippet.chars().count();
            assert!(h.highlights.iter().all(|[a, b]| a <= b && *b <= n));
        }
    }
    // the rare file is found by pinyin and by the other script
    let find = |q: &str| {
        store
            .search(&kanbao::index::query::parse(q).unwrap(), 10)
            .unwrap()
    };
    assert!(find("ldgx").also.iter().any(|h| h.source == "rare.txt"));
    assert!(find("laodongguanxi")
        .also
        .iter()
        .any(|h| h.source == "rare.txt"));
    assert!(find("劳动").also.iter().any(|h| h.source == "rare.txt"));
    let r = find("PWNED");
    assert_eq!(
        r.total, 1,
        "escape sequences do not hide the text around them"
    );
    // render every record in the reader
    use kanbao::tui::action::*;
    use kanbao::tui::app::{App, Settings};
    let issues = store.issues().unwrap();
    let mut app = App::new(issues, Settings::default(), "hostile".into());
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    let theme = kanbao::tui::theme::Theme::new(true);
    app.apply(Action::App(AppAction::Resize(100, 30)));
    for i in 0..app.issues.len() {
        app.issue_sel = i;
        app.focus = kanbao::tui::app::Pane::Reader;
        for a in 0..app.list_records().len().max(1) {
            app.article_sel = a;
            term.draw(|f| {
                kanbao::tui::view::draw(f, &app, &theme);
            })
            .unwrap();
            for cell in term.backend().buffer().content() {
                for c in cell.symbol().chars() {
                    let u = c as u32;
                    assert!(
                        !(u < 0x20
                            || (0x7f..=0x9f).contains(&u)
                            || (0x202a..=0x202e).contains(&u)
                            || (0x2066..=0x2069).contains(&u)),
                        "control {u:#x} reached the screen"
                    );
                }
            }
        }
    }
}

#[test]
fn ten_thousand_tiny_files() {
    let t = tempfile::tempdir().unwrap();
    let arch = t.path().join("a");
    for i in 0..10_000 {
        write(
            &arch,
            &format!("{:03}/{i:05}.txt", i / 100),
            format!("第{i}号简讯\n\n本报讯 今天发布第{i}号简讯。\n").as_bytes(),
        );
    }
    let data = t.path().join("d");
    let mut store = kanbao::index::Store::open(&data, &arch, &mut Vec::new()).unwrap();
    let rep = store.sync(&arch, &mut |_, _, _| {}).unwrap();
    assert_eq!(rep.indexed, 10_000);
    let r = store
        .search(&kanbao::index::query::parse("第9999号").unwrap(), 5)
        .unwrap();
    assert_eq!(r.total, 1);
    let again = store.sync(&arch, &mut |_, _, _| {}).unwrap();
    assert_eq!((again.indexed, again.unchanged), (0, 10_000));
}

/// The reader in a real pty (Python's pty module): the raw bytes it writes must not contain
/// the archive's escape sequences, while the text around them is shown.
#[test]
fn no_archive_control_sequence_reaches_the_pty() {
    let t = tempfile::tempdir().unwrap();
    let arch = t.path().join("a");
    write(
        &arch,
        "escapes.txt",
        format!("{ESCAPES}\n\n{ESCAPES}\n").as_bytes(),
    );
    let script = r#"
import os, pty, sys, time, select
bin, data, arch, out = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    import fcntl, termios, struct
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    os.environ["TERM"] = "xterm-256color"
    os.execv(bin, [bin, "--data-dir", data, arch])
buf = b""
def pump(secs):
    global buf
    end = time.time() + secs
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                return
pump(2.0)
for k in [b"\r", b"\r", b"j", b"k", b"/", "标".encode(), b"\x1b", b"q"]:
    os.write(fd, k)
    pump(0.4)
pump(1.0)
open(out, "wb").write(buf)
os.waitpid(pid, 0)
"#;
    let out = t.path().join("raw.bin");
    let st = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_kanbao"))
        .arg(t.path().join("d"))
        .arg(&arch)
        .arg(&out)
        .status()
        .expect("python3");
    assert!(st.success());
    let raw = std::fs::read(&out).unwrap();
    let text = String::from_utf8_lossy(&raw);
    assert!(
        text.contains("PWNED"),
        "the text is shown: {} bytes",
        raw.len()
    );
    for bad in [
        "\u{1b}[38;5;201m",
        "\u{1b}]52;",
        "\u{1b}]8;;http",
        "\u{9b}",
        "\u{202e}",
        "\u{7}",
    ] {
        assert!(
            !text.contains(bad),
            "archive sequence {bad:?} reached the terminal"
        );
    }
    assert!(
        text.contains("\u{1b}[?1049l"),
        "alternate screen left at the end"
    );
}
