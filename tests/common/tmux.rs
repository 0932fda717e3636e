//! A tmux server per test: start a command in a pane of a given size, send keys, read the
//! screen back.

use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    pub socket: String,
    _data: tempfile::TempDir,
}

impl Tmux {
    pub fn start(w: u16, h: u16, args: &str) -> Option<Tmux> {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().to_path_buf();
        Self::start_in(w, h, args, &dir, data)
    }

    /// Run `cmd` (a shell command line) in a fresh tmux server, `w`×`h` cells.
    pub fn start_cmd(w: u16, h: u16, cmd: &str, keep: tempfile::TempDir) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            if std::env::var("KANBAO_REQUIRE_TMUX").as_deref() == Ok("1") {
                panic!("KANBAO_REQUIRE_TMUX=1 but tmux is not installed");
            }
            eprintln!("note: tmux not installed; end-to-end test skipped");
            return None;
        }
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "kanbao-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let ok = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x"])
            .arg(w.to_string())
            .arg("-y")
            .arg(h.to_string())
            .arg(cmd)
            .env("TERM", "xterm-256color")
            .status()
            .unwrap();
        assert!(ok.success());
        Some(Tmux {
            socket,
            _data: keep,
        })
    }

    pub fn start_in(
        w: u16,
        h: u16,
        args: &str,
        data_dir: &std::path::Path,
        keep: tempfile::TempDir,
    ) -> Option<Tmux> {
        let bin = env!("CARGO_BIN_EXE_kanbao");
        let cmd = format!(
            "cd {} && {bin} --data-dir {} {args}; echo EXIT=$?; sleep 30",
            super::repo().display(),
            data_dir.display()
        );
        Self::start_cmd(w, h, &cmd, keep)
    }

    pub fn send(&self, keys: &[&str]) {
        let st = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "0"])
            .args(keys)
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Send literal text (one character at a time, like typing).
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            let st = Command::new("tmux")
                .args([
                    "-L",
                    &self.socket,
                    "send-keys",
                    "-t",
                    "0",
                    "-l",
                    &c.to_string(),
                ])
                .status()
                .unwrap();
            assert!(st.success());
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    pub fn capture(&self) -> String {
        let o = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    pub fn display(&self, what: &str) -> String {
        let o = Command::new("tmux")
            .args(["-L", &self.socket, "display-message", "-p", "-t", "0", what])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    /// The screen once it shows `needle` and has settled (two captures alike).
    pub fn wait_for(&self, needle: &str) -> String {
        settled(&|| self.capture(), needle, Duration::from_secs(20))
            .unwrap_or_else(|s| panic!("timed out waiting for {needle:?}; screen:\n{s}"))
    }
}

/// Capture a screen until it shows `needle` and has settled: a frame can be caught half drawn
/// (tmux takes the bytes as they come), so a screen is handed back only once a second look a
/// moment later shows the same (or the time is up by then). `Err` holds the last screen when
/// `needle` never showed within `limit`.
pub fn settled(
    capture: &dyn Fn() -> String,
    needle: &str,
    limit: Duration,
) -> Result<String, String> {
    let t = Instant::now();
    loop {
        let s = capture();
        if s.contains(needle) {
            std::thread::sleep(Duration::from_millis(40));
            if capture() == s || t.elapsed() > limit {
                return Ok(s);
            }
            continue;
        }
        if t.elapsed() > limit {
            return Err(s);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}
