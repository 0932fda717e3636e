//! The reader through a real SSH session to localhost: an sshd of the test's own on a free
//! loopback port, key-based login, the reader driven in tmux, and the bytes that cross the link
//! for 100 presses of `j` measured (the output of ssh is teed into a file). Needs sshd, ssh and
//! tmux; with KANBAO_REQUIRE_SSH=1 (CI) their absence fails the test.

mod common;

use common::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

struct Sshd(Child);
impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Session(String);
impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.0, "kill-server"])
            .status();
    }
}

fn keygen(path: &Path) {
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .unwrap();
    assert!(st.success());
}

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// Wait until the file stops growing for `quiet`.
fn settle(p: &Path, quiet: Duration) -> u64 {
    let mut last = size(p);
    let mut since = Instant::now();
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let s = size(p);
        if s != last {
            last = s;
            since = Instant::now();
        } else if since.elapsed() >= quiet || start.elapsed() > Duration::from_secs(30) {
            return s;
        }
    }
}

/// A running sshd of the test's own, and the reader started through `ssh -tt` in tmux, the
/// bytes that come back teed into `log`.
struct Link {
    _server: Sshd,
    _session: Session,
    sock: String,
    log: std::path::PathBuf,
    dir: std::path::PathBuf,
}

impl Link {
    /// None (a skip) when sshd, ssh or tmux is missing, unless KANBAO_REQUIRE_SSH=1.
    fn start(d: &Path, archive: &Path, w: u16, h: u16) -> Option<Link> {
        let sshd = Path::new("/usr/sbin/sshd");
        if !sshd.exists() || !have("ssh", "-V") || !have("tmux", "-V") {
            if std::env::var("KANBAO_REQUIRE_SSH").as_deref() == Ok("1") {
                panic!("KANBAO_REQUIRE_SSH=1 but sshd, ssh or tmux is missing");
            }
            eprintln!("note: sshd/ssh/tmux not installed; SSH test skipped");
            return None;
        }
        keygen(&d.join("host"));
        keygen(&d.join("id"));
        std::fs::copy(d.join("id.pub"), d.join("authorized_keys")).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        std::fs::create_dir_all("/run/sshd").ok();
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\nPidFile {pid}\n\
             StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nPrintMotd no\nAcceptEnv LANG LC_*\n",
            host = d.join("host").display(),
            auth = d.join("authorized_keys").display(),
            pid = d.join("sshd.pid").display(),
        );
        std::fs::write(d.join("sshd_config"), config).unwrap();
        let server = Sshd(
            Command::new(sshd)
                .args(["-D", "-e", "-f"])
                .arg(d.join("sshd_config"))
                .stderr(std::fs::File::create(d.join("sshd.log")).unwrap())
                .spawn()
                .unwrap(),
        );
        // ready when the port answers with sshd's banner, not merely accepts a connection (a
        // CI run once saw the client refused after a bare connect had succeeded; why is not
        // known, and the client also retries: ConnectionAttempts below)
        let banner = || -> bool {
            use std::io::Read;
            let Ok(mut c) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
                return false;
            };
            c.set_read_timeout(Some(Duration::from_secs(2))).ok();
            let mut b = [0u8; 4];
            c.read_exact(&mut b).is_ok() && &b == b"SSH-"
        };
        let start = Instant::now();
        while !banner() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "sshd did not start: {}",
                std::fs::read_to_string(d.join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string();
        let bin = env!("CARGO_BIN_EXE_kanbao");
        let data = d.join("data");
        let log = d.join("bytes.log");
        let remote = format!(
            "cd {} && TERM=xterm-256color {bin} --data-dir {} {}",
            repo().display(),
            data.display(),
            archive.display()
        );
        let cmd = format!(
            "ssh -tt -p {port} -i {id} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=VERBOSE \
             -o ConnectionAttempts=10 -E {ssh_log} {user}@127.0.0.1 '{remote}' | tee {log}; echo EXIT=$?; sleep 30",
            id = d.join("id").display(),
            log = log.display(),
            ssh_log = d.join("ssh.log").display(),
        );
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let sock = format!(
            "kanbao-ssh-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let session = Session(sock.clone());
        let st = Command::new("tmux")
            .args(["-L", &sock, "-f", "/dev/null", "new-session", "-d", "-x"])
            .arg(w.to_string())
            .arg("-y")
            .arg(h.to_string())
            .arg(cmd)
            .status()
            .unwrap();
        assert!(st.success());
        Some(Link {
            _server: server,
            _session: session,
            sock,
            log,
            dir: d.to_path_buf(),
        })
    }

    fn capture(&self) -> String {
        String::from_utf8_lossy(
            &Command::new("tmux")
                .args(["-L", &self.sock, "capture-pane", "-p", "-t", "0"])
                .output()
                .unwrap()
                .stdout,
        )
        .into_owned()
    }

    fn wait(&self, needle: &str) -> String {
        common::tmux::settled(&|| self.capture(), needle, Duration::from_secs(30)).unwrap_or_else(
            |s| {
                panic!(
                    "waiting for {needle:?}:\n{s}\nsshd: {}\nssh: {}",
                    std::fs::read_to_string(self.dir.join("sshd.log")).unwrap_or_default(),
                    std::fs::read_to_string(self.dir.join("ssh.log")).unwrap_or_default()
                )
            },
        )
    }

    fn send(&self, keys: &[&str]) {
        assert!(Command::new("tmux")
            .args(["-L", &self.sock, "send-keys", "-t", "0"])
            .args(keys)
            .status()
            .unwrap()
            .success());
    }
}

#[test]
fn reader_over_ssh_sends_few_bytes_per_keypress() {
    let t = tempfile::tempdir().unwrap();
    let Some(link) = Link::start(t.path(), Path::new("samples"), 120, 36) else {
        return;
    };
    let log = link.log.clone();
    let capture = || link.capture();
    let wait = |n: &str| link.wait(n);
    let send = |k: &[&str]| link.send(k);
    wait("samples · 6 issues");
    // the issue with the most articles, then its article list
    send(&["j", "j", "Enter"]);
    wait("article 1/");
    let before = settle(&log, Duration::from_millis(700));
    for _ in 0..10 {
        send(&["j", "j", "j", "j", "j", "j", "j", "j", "j", "j"]);
        std::thread::sleep(Duration::from_millis(30));
    }
    let after = settle(&log, Duration::from_millis(700));
    let bytes = after - before;
    let screen = capture();
    eprintln!(
        "SSH: 100 presses of j in the article list sent {bytes} bytes ({:.1} per press)",
        bytes as f64 / 100.0
    );
    std::fs::write(
        repo().join("target").join("ssh-bytes.txt"),
        format!("{bytes}\n"),
    )
    .ok();
    assert!(
        screen.contains("article 4/4"),
        "the selection reached the end:\n{screen}"
    );
    assert!(bytes > 0, "something was drawn");
    assert!(
        bytes < 100 * 600,
        "{bytes} bytes for 100 key presses: redraws are not incremental"
    );
    send(&["q"]);
    wait("EXIT=0");
}

/// The screen a terminal would show after `bytes`.
fn screen_after(bytes: &[u8], rows: u16, cols: u16) -> vt100::Screen {
    let mut p = vt100::Parser::new(
        std::num::NonZeroU16::new(rows).unwrap(),
        std::num::NonZeroU16::new(cols).unwrap(),
        0,
    );
    p.process(bytes);
    p.screen().clone()
}

/// A page-down through Chinese text in the reader, over SSH, on the seeds at 120×36: the bytes
/// sent are at most 1.5× what the change needs: the UTF-8 text of the cells that changed plus
/// the style sequences (SGR) the frame carries. Before kanbao's own backend a cursor move went
/// before every wide character (4.0× on this page).
#[test]
fn a_page_down_over_ssh_sends_little_more_than_its_text() {
    let Some(shared) = shared() else {
        return;
    };
    let t = tempfile::tempdir().unwrap();
    let seeds = shared.join("corpus").join("seeds");
    let Some(link) = Link::start(t.path(), &seeds, 120, 36) else {
        return;
    };
    link.wait("seeds · 5 issues");
    // the first issue, its first article, then the reader
    link.send(&["Enter"]);
    link.wait("article 1/");
    link.send(&["Enter"]);
    std::thread::sleep(Duration::from_millis(300));
    let before = settle(&link.log, Duration::from_millis(700));
    link.send(&["PageDown"]);
    let after = settle(&link.log, Duration::from_millis(700));
    let all = std::fs::read(&link.log).unwrap();
    let (a, b) = (before as usize, after as usize);
    let chunk = &all[a..b];
    let s0 = screen_after(&all[..a], 36, 120);
    let s1 = screen_after(&all[..b], 36, 120);
    let mut text = 0;
    let mut changed = 0;
    for row in 0..36 {
        for col in 0..120 {
            let (c0, c1) = (s0.cell(row, col).unwrap(), s1.cell(row, col).unwrap());
            if c0 != c1 {
                changed += 1;
                text += c1.contents().len().max(1);
            }
        }
    }
    // the style sequences in what was sent: ESC [ … m
    let s = String::from_utf8_lossy(chunk);
    let sgr: usize = s
        .split('\x1b')
        .filter_map(|p| {
            let params = p.strip_prefix('[')?;
            let end = params.find(|c: char| c.is_ascii_alphabetic())?;
            // ESC [ params m
            (params.as_bytes()[end] == b'm').then_some(2 + end + 1)
        })
        .sum();
    let need = text + sgr;
    let ratio = chunk.len() as f64 / need as f64;
    eprintln!(
        "SSH: a page-down sent {} bytes for {changed} changed cells ({text} bytes of text, {sgr} of \
         style): {ratio:.2}× what it needs",
        chunk.len()
    );
    std::fs::write(
        repo().join("target").join("ssh-pagedown.txt"),
        format!("{} {text} {sgr} {ratio:.2}\n", chunk.len()),
    )
    .ok();
    assert!(changed > 200, "the page moved: {changed} cells changed");
    assert!(ratio <= 1.5, "{ratio:.2}× the bytes needed");
    link.send(&["q"]);
    link.wait("EXIT=0");
}
