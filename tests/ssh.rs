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

#[test]
fn reader_over_ssh_sends_few_bytes_per_keypress() {
    let sshd = Path::new("/usr/sbin/sshd");
    if !sshd.exists() || !have("ssh", "-V") || !have("tmux", "-V") {
        if std::env::var("KANBAO_REQUIRE_SSH").as_deref() == Ok("1") {
            panic!("KANBAO_REQUIRE_SSH=1 but sshd, ssh or tmux is missing");
        }
        eprintln!("note: sshd/ssh/tmux not installed; SSH test skipped");
        return;
    }
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
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
    let _server = Sshd(
        Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(d.join("sshd_config"))
            .stderr(std::fs::File::create(d.join("sshd.log")).unwrap())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
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
        "cd {} && TERM=xterm-256color {bin} --data-dir {} samples",
        repo().display(),
        data.display()
    );
    let cmd = format!(
        "ssh -tt -p {port} -i {id} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
         {user}@127.0.0.1 '{remote}' | tee {log}; echo EXIT=$?; sleep 30",
        id = d.join("id").display(),
        log = log.display(),
    );
    let sock = format!("kanbao-ssh-{}", std::process::id());
    let _s = Session(sock.clone());
    let st = Command::new("tmux")
        .args([
            "-L",
            &sock,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "36",
        ])
        .arg(cmd)
        .status()
        .unwrap();
    assert!(st.success());
    let capture = || {
        String::from_utf8_lossy(
            &Command::new("tmux")
                .args(["-L", &sock, "capture-pane", "-p", "-t", "0"])
                .output()
                .unwrap()
                .stdout,
        )
        .into_owned()
    };
    let wait = |needle: &str| {
        let t0 = Instant::now();
        loop {
            let s = capture();
            if s.contains(needle) {
                return s;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "waiting for {needle:?}:\n{s}\nsshd: {}",
                std::fs::read_to_string(d.join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let send = |keys: &[&str]| {
        assert!(Command::new("tmux")
            .args(["-L", &sock, "send-keys", "-t", "0"])
            .args(keys)
            .status()
            .unwrap()
            .success());
    };
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
