//! Measuring what the user sees: the real reader runs on a pseudo-terminal, keys are typed into
//! it, and everything it writes is fed to a terminal emulator (vt100) as it arrives. A key's
//! latency is the time from writing it to the arrival of the output that makes the emulated
//! screen show its answer (for a search: the query in the box and the hit count of that query,
//! not marked pending). Used by `kanbao bench` and by the tests.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A program running on a pseudo-terminal of its own, its output parsed as a terminal would.
pub struct PtyScreen {
    master: std::fs::File,
    child: Child,
    chunks: mpsc::Receiver<(Instant, Vec<u8>)>,
    parser: vt100::Parser,
    /// Every byte the program wrote.
    pub bytes: usize,
    /// When the program was started.
    pub started: Instant,
}

impl PtyScreen {
    /// Start `cmd` on a new pty of `rows`×`cols` (as its controlling terminal).
    pub fn spawn(cmd: &mut Command, rows: u16, cols: u16) -> std::io::Result<PtyScreen> {
        let (mut m, mut s) = (-1, -1);
        let ws = libc::winsize {
            ws_row: rows,
            ws_col: cols,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors we then own; the pointers are valid.
        let r =
            unsafe { libc::openpty(&mut m, &mut s, std::ptr::null_mut(), std::ptr::null(), &ws) };
        if r != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: both descriptors were just created by openpty and are owned here only.
        let (master, slave) = unsafe { (OwnedFd::from_raw_fd(m), OwnedFd::from_raw_fd(s)) };
        // The program gets the pty as its controlling terminal in a session of its own. Through
        // util-linux's `setsid --ctty` where there is one: the program is then started with
        // `posix_spawn` (no copy of this process's page tables: a bench holding gigabytes of
        // maps took tens of milliseconds to fork, counted in the reader's first frame), and
        // `setsid` execs it in place (same pid). Else `setsid` and `TIOCSCTTY` after a fork.
        let mut wrapped = setsid_ctty().map(|setsid| {
            let mut w = Command::new(setsid);
            w.arg("--ctty").arg(cmd.get_program()).args(cmd.get_args());
            for (k, v) in cmd.get_envs() {
                match v {
                    Some(v) => w.env(k, v),
                    None => w.env_remove(k),
                };
            }
            if let Some(d) = cmd.get_current_dir() {
                w.current_dir(d);
            }
            w
        });
        let cmd = match wrapped.as_mut() {
            Some(w) => w,
            None => {
                // SAFETY: only async-signal-safe calls between fork and exec.
                unsafe {
                    use std::os::unix::process::CommandExt;
                    cmd.pre_exec(|| {
                        if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                            return Err(std::io::Error::last_os_error());
                        }
                        Ok(())
                    });
                }
                cmd
            }
        };
        cmd.stdin(Stdio::from(slave.try_clone()?))
            .stdout(Stdio::from(slave.try_clone()?))
            .stderr(Stdio::from(slave));
        let started = Instant::now();
        let child = cmd.spawn()?;
        let master = std::fs::File::from(master);
        let mut reader = master.try_clone()?;
        let (tx, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        Ok(PtyScreen {
            master,
            child,
            chunks,
            parser: vt100::Parser::new(
                std::num::NonZeroU16::new(rows.max(1)).expect("at least 1"),
                std::num::NonZeroU16::new(cols.max(1)).expect("at least 1"),
                0,
            ),
            bytes: 0,
            started,
        })
    }

    /// The screen as text, row by row.
    pub fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Type `bytes`; returns when they were written.
    pub fn send(&mut self, bytes: &[u8]) -> std::io::Result<Instant> {
        self.master.write_all(bytes)?;
        self.master.flush()?;
        Ok(Instant::now())
    }

    /// Feed output until `done(screen text)` holds after a chunk; returns when that chunk
    /// arrived, or None after `timeout`.
    pub fn wait_for(&mut self, timeout: Duration, done: &dyn Fn(&str) -> bool) -> Option<Instant> {
        let end = Instant::now() + timeout;
        if done(&self.text()) {
            return Some(Instant::now());
        }
        loop {
            let left = end.checked_duration_since(Instant::now())?;
            let (at, chunk) = self.chunks.recv_timeout(left).ok()?;
            self.bytes += chunk.len();
            self.parser.process(&chunk);
            // take what else already arrived, as one frame may come in several reads
            while let Ok((_, more)) = self.chunks.try_recv() {
                self.bytes += more.len();
                self.parser.process(&more);
            }
            if done(&self.text()) {
                return Some(at);
            }
        }
    }

    /// Feed whatever arrives until nothing has come for `quiet`.
    pub fn settle(&mut self, quiet: Duration) {
        while let Ok((_, chunk)) = self.chunks.recv_timeout(quiet) {
            self.bytes += chunk.len();
            self.parser.process(&chunk);
        }
    }

    /// Resident memory of the program, in kilobytes (Linux).
    pub fn rss_kb(&self) -> Option<u64> {
        self.status_kb("VmRSS:")
    }

    /// Of that, the anonymous memory (the heap: what the program allocated), not the pages
    /// of the index it maps, which the page cache shares with every other process.
    pub fn rss_anon_kb(&self) -> Option<u64> {
        self.status_kb("RssAnon:")
    }

    /// CPU time the program has used, in clock ticks (user + system, from /proc).
    pub fn cpu_ticks(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .ok()
            .and_then(|s| {
                // the fields after the command name, which is in parentheses
                let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
                Some(rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?)
            })
            .unwrap_or(0)
    }

    /// The resident pages of files the program maps, summed by the file name's extension
    /// (the index's parts: `idx` postings, `pos` positions, `term` dictionaries, `store`…),
    /// largest first, in kilobytes (Linux `smaps`).
    pub fn mapped_kb_by_kind(&self) -> Vec<(String, u64)> {
        let s =
            std::fs::read_to_string(format!("/proc/{}/smaps", self.child.id())).unwrap_or_default();
        let mut by: std::collections::BTreeMap<String, u64> = Default::default();
        let mut kind: Option<String> = None;
        for l in s.lines() {
            if let Some(m) = crate::memory::mapping(l) {
                kind = m.path.map(|p| match p.rsplit_once('.') {
                    Some((_, e)) if !e.contains('/') => e.to_string(),
                    _ => "other".to_string(),
                });
            } else if let Some(kb) = l.strip_prefix("Rss:") {
                let kb = kb.trim().trim_end_matches("kB").trim().parse::<u64>();
                if let (Some(k), Ok(kb)) = (&kind, kb) {
                    *by.entry(k.clone()).or_default() += kb;
                }
            }
        }
        let mut v: Vec<(String, u64)> = by.into_iter().filter(|(_, kb)| *kb > 0).collect();
        v.sort_by_key(|(_, kb)| std::cmp::Reverse(*kb));
        v
    }

    fn status_kb(&self, key: &str) -> Option<u64> {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        s.lines()
            .find(|l| l.starts_with(key))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    }

    /// Wait for the program to end (after `q`, say); kill it after `timeout`.
    pub fn finish(mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let end = Instant::now() + timeout;
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st);
            }
            if Instant::now() > end {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return None;
            }
            while self.chunks.try_recv().is_ok() {}
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for PtyScreen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Does the screen show the settled answer to `query`: the query in the search box and the hit
/// count `total` on a line not marked pending (`…`)?
pub fn shows_answer(screen: &str, query: &str, total: usize) -> bool {
    let hits = format!("  {}", crate::text::count(total, "hit", "hits"));
    screen.contains(query)
        && screen.lines().any(|l| {
            (l.contains(&hits) || shows_estimate(l)) && l.contains(" ms") && !l.contains('…')
        })
}

/// Does this line of the search window give a first answer: the first hits, unranked, and an
/// estimated count (`≈N hits, ranking`), for the query in the box (not marked pending)? (An
/// exact count with unranked hits, `N hits, ranking`, is checked against the engine's count.)
pub fn shows_estimate(line: &str) -> bool {
    line.contains("  ≈") && line.contains(" hits, ranking")
}

/// A first answer of either kind (`hits, ranking`).
pub fn shows_first_answer(line: &str) -> bool {
    line.contains(" hits, ranking") || line.contains(" hit, ranking")
}

/// util-linux's `setsid`, when it can give the program its terminal (`--ctty`).
fn setsid_ctty() -> Option<&'static Path> {
    ["/usr/bin/setsid", "/bin/setsid"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
}

/// Figures of one run of [`type_queries`].
#[derive(Debug, Default)]
pub struct Typed {
    /// Keystroke to the frame showing its hits, one per key.
    pub per_key: Vec<Duration>,
    /// The query in the box after each of those keys (same order).
    pub keys: Vec<String>,
    /// Keys whose answer never showed within the timeout.
    pub missed: Vec<String>,
    /// Process start to the first frame (the issue list drawn).
    pub first_frame: Duration,
    /// Resident memory after the first frame, once the reader settled (the whole list read,
    /// the first check and the pinyin words done: nothing drawn for 3 s), and after typing,
    /// kilobytes; and the anonymous part of the last two.
    pub rss_start_kb: u64,
    pub rss_settled_kb: u64,
    pub rss_end_kb: u64,
    pub anon_settled_kb: u64,
    pub anon_end_kb: u64,
    /// The largest resident memory seen right after a key's answer showed, kilobytes.
    pub rss_typing_max_kb: u64,
    /// After typing: the resident pages of mapped files by kind (see
    /// [`PtyScreen::mapped_kb_by_kind`]).
    pub mapped_end_kb: Vec<(String, u64)>,
    /// Resident memory, and its anonymous part, after typing and 3 s with no key (the reader
    /// idle: see [`crate::memory`]).
    pub rss_idle_kb: u64,
    pub anon_idle_kb: u64,
    pub mapped_idle_kb: Vec<(String, u64)>,
    /// Keys whose first answer gave the first hits unranked (and the count, or an estimate of
    /// it): ranked (and counted) after.
    pub estimated: usize,
}

/// Start the reader (`bin --data-dir DATA ARCHIVE`) on a 120×36 pty; returns it once the first
/// frame (the issue list) is drawn, with when that was.
fn start_reader(
    bin: &Path,
    data: &Path,
    archive: &Path,
    env: &[(&str, &str)],
) -> anyhow::Result<(PtyScreen, Instant)> {
    let mut cmd = Command::new(bin);
    cmd.arg("--data-dir")
        .arg(data)
        .arg(archive)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied());
    let mut pty = PtyScreen::spawn(&mut cmd, 36, 120)?;
    let first = pty
        .wait_for(Duration::from_secs(120), &|s| s.contains(" issues"))
        .ok_or_else(|| anyhow::anyhow!("the reader drew nothing in 120 s:\n{}", pty.text()))?;
    Ok((pty, first))
}

/// Open the search box (`/`) and wait for it.
fn open_search(pty: &mut PtyScreen) -> anyhow::Result<()> {
    pty.send(b"/")?;
    pty.wait_for(Duration::from_secs(10), &|s| s.contains("type to search"))
        .ok_or_else(|| anyhow::anyhow!("no search box:\n{}", pty.text()))?;
    Ok(())
}

/// Close the search box and quit the reader.
fn quit(mut pty: PtyScreen) -> anyhow::Result<()> {
    pty.send(b"\x1b")?;
    pty.settle(Duration::from_millis(100));
    pty.send(b"q")?;
    pty.finish(Duration::from_secs(5));
    Ok(())
}

/// Start the reader (`bin --data-dir DATA ARCHIVE`, with `env` added to its environment) on a
/// pty, open the search box, type each query one character at a time (clearing the box in
/// between), timing every key to the frame that shows its answer. `expect(prefix)` gives the
/// hit count the engine gives that prefix.
pub fn type_queries(
    bin: &Path,
    data: &Path,
    archive: &Path,
    env: &[(&str, &str)],
    queries: &[String],
    expect: &mut dyn FnMut(&str) -> usize,
) -> anyhow::Result<Typed> {
    let (mut pty, first) = start_reader(bin, data, archive, env)?;
    let mut out = Typed {
        first_frame: first - pty.started,
        rss_start_kb: pty.rss_kb().unwrap_or(0),
        ..Default::default()
    };
    // let the background work finish (at most a minute) before measuring what stays
    let t = Instant::now();
    loop {
        let cpu0 = pty.cpu_ticks();
        pty.settle(Duration::from_millis(1000));
        if pty.cpu_ticks().saturating_sub(cpu0) < 5 || t.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    out.rss_settled_kb = pty.rss_kb().unwrap_or(0);
    out.anon_settled_kb = pty.rss_anon_kb().unwrap_or(0);
    open_search(&mut pty)?;
    for q in queries {
        let chars: Vec<char> = q.chars().collect();
        for k in 1..=chars.len() {
            let prefix: String = chars[..k].iter().collect();
            let total = expect(&prefix);
            let mut b = [0u8; 4];
            let t0 = pty.send(chars[k - 1].encode_utf8(&mut b).as_bytes())?;
            let p = prefix.clone();
            match pty.wait_for(Duration::from_secs(5), &move |s| shows_answer(s, &p, total)) {
                Some(t) => {
                    out.per_key.push(t.saturating_duration_since(t0));
                    out.keys.push(prefix);
                    // (read after the timed frame, so not timed)
                    out.rss_typing_max_kb = out.rss_typing_max_kb.max(pty.rss_kb().unwrap_or(0));
                    if pty.text().lines().any(shows_first_answer) {
                        out.estimated += 1;
                    }
                }
                None => out.missed.push(prefix),
            }
        }
        // Ctrl-U clears the box; wait for the empty box before the next query
        pty.send(b"\x15")?;
        pty.wait_for(Duration::from_secs(5), &|s| s.contains("type to search"));
        pty.settle(Duration::from_millis(20));
    }
    out.rss_end_kb = pty.rss_kb().unwrap_or(0);
    out.anon_end_kb = pty.rss_anon_kb().unwrap_or(0);
    out.mapped_end_kb = pty.mapped_kb_by_kind();
    // then idle, as a user reading the results: the reader gives back what it no longer needs
    pty.settle(Duration::from_millis(3000));
    out.rss_idle_kb = pty.rss_kb().unwrap_or(0);
    out.anon_idle_kb = pty.rss_anon_kb().unwrap_or(0);
    out.mapped_idle_kb = pty.mapped_kb_by_kind();
    quit(pty)?;
    Ok(out)
}

/// Keys typed after a pause: the reader on a pty, for each query its first character, then,
/// once that answer shows, a pause of `pause` (long enough for the reader to start the full
/// answer to it: it does once typing pauses 120 ms), then the second character, timed to the
/// frame that shows its answer. What a user waits for who types again while a full answer runs.
pub fn type_after_pause(
    bin: &Path,
    data: &Path,
    archive: &Path,
    queries: &[String],
    pause: Duration,
    expect: &mut dyn FnMut(&str) -> usize,
) -> anyhow::Result<Vec<Duration>> {
    let (mut pty, _) = start_reader(bin, data, archive, &[])?;
    pty.settle(Duration::from_millis(2000));
    open_search(&mut pty)?;
    let mut out = Vec::new();
    for q in queries {
        let c: Vec<char> = q.chars().take(2).collect();
        if c.len() < 2 {
            continue;
        }
        let (one, two): (String, String) = (c[..1].iter().collect(), c.iter().collect());
        // the counts first: nothing of the harness's own runs between the pause and the key
        let (n1, n2) = (expect(&one), expect(&two));
        let mut b = [0u8; 4];
        pty.send(c[0].encode_utf8(&mut b).as_bytes())?;
        pty.wait_for(Duration::from_secs(5), &move |s| shows_answer(s, &one, n1));
        std::thread::sleep(pause);
        let t0 = pty.send(c[1].encode_utf8(&mut b).as_bytes())?;
        if let Some(t) = pty.wait_for(Duration::from_secs(5), &move |s| shows_answer(s, &two, n2)) {
            out.push(t.saturating_duration_since(t0));
        }
        pty.send(b"\x15")?;
        pty.wait_for(Duration::from_secs(5), &|s| s.contains("type to search"));
        // every answer to the first character is over before the next query
        pty.settle(Duration::from_millis(400));
    }
    quit(pty)?;
    Ok(out)
}

/// The p-th percentile (0–100) of some durations.
pub fn percentile(v: &[Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    let mut s = v.to_vec();
    s.sort();
    let i = ((p / 100.0) * (s.len() - 1) as f64).round() as usize;
    s[i.min(s.len() - 1)]
}

/// Run `cmd` to its end with its output discarded: the whole process's wall time, its peak
/// RSS in KB, and whether it succeeded. The peak is the last `VmHWM` read from /proc while it
/// runs (polled every millisecond): `wait4`'s `ru_maxrss` would count the pages of this
/// process, which the child shares between fork and exec.
pub fn run_timed(cmd: &mut std::process::Command) -> std::io::Result<(Duration, u64, bool)> {
    use std::process::Stdio;
    let t = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    let st = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))?
                .split_whitespace()
                .nth(1)?
                .parse::<u64>()
                .ok()
        }) {
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    Ok((t.elapsed(), peak, st.success()))
}
