//! The terminal reader. `app` holds the state and what keys do, `view` draws it, `reader` lays
//! articles out, `keys` maps keys to actions, `theme` holds the styles. This file runs the
//! event loop: terminal set-up and restoration (also on panic), the search worker thread, and
//! drawing only when something changed, inside synchronized updates.

pub mod action;
pub mod app;
pub mod app_search;
pub mod app_triage;
pub mod backend;
pub mod keys;
pub mod parts;
pub mod prompt;
pub mod reader;
pub mod theme;
pub mod triage;
pub mod view;

use crate::index::{SearchResult, Store};
use action::*;
use app::{App, Command, Settings};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::terminal::{
    self, BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen,
    LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use std::io::{IsTerminal, Write};
use std::sync::mpsc;
use std::time::Duration;

/// Put the terminal back: raw mode off, alternate screen left, mouse and paste modes off,
/// cursor shown. Safe to call more than once.
pub fn restore_terminal() {
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

struct Guard;
impl Drop for Guard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// A panic anywhere (any thread) restores the terminal first, prints a short report and ends
/// the process: a reader whose worker died must not go on half alive. Reader state needs no
/// flushing: every mark is committed to SQLite when it is made.
fn install_panic_hook() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        // not eprintln!: it panics (inside the hook: an abort) when the terminal is gone
        let _ = writeln!(
            std::io::stderr(),
            "kanbao crashed; the terminal has been restored and your marks are saved.\n\
             Please report this with the lines below:"
        );
        prev(info);
        std::process::exit(101);
    }));
}

/// Enter the reader's terminal mode: raw, alternate screen, mouse and bracketed paste.
fn enter_terminal() -> std::io::Result<()> {
    terminal::enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
}

/// Give the terminal back while `f` runs (a shell after Ctrl-Z, a pager), then take it again
/// and draw everything anew: whatever ran meanwhile has written over the screen.
fn hand_over<B: ratatui::backend::Backend, T>(
    term: &mut ratatui::Terminal<B>,
    input: &Input,
    f: impl FnOnce() -> T,
) -> anyhow::Result<T>
where
    B::Error: Send + Sync + 'static,
{
    // the input thread must not read the keys meant for the pager or the shell
    input.pause();
    restore_terminal();
    let out = f();
    enter_terminal()?;
    term.clear()?;
    input.resume();
    Ok(out)
}

/// Ctrl-Z: stop like any job (SIGTSTP); `fg` continues here.
fn suspend<B: ratatui::backend::Backend>(
    term: &mut ratatui::Terminal<B>,
    input: &Input,
) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    #[cfg(unix)]
    hand_over(term, input, || {
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
    })??;
    Ok(())
}

/// Everything the event loop waits for, on one channel: terminal events (from the input
/// thread) and the worker's replies. The loop wakes for each, handles all that is pending, and
/// draws before it waits again: a search result is on screen in the frame after it arrives.
enum Msg {
    Term(Event),
    /// The terminal is gone (reading it failed): leave as after a hangup.
    TermGone,
    Reply(Reply),
}

/// The input thread: reads terminal events and forwards them to the loop. It can be paused
/// while the terminal belongs to someone else (the pager, the shell after Ctrl-Z).
struct Input {
    pause: std::sync::Arc<std::sync::atomic::AtomicBool>,
    paused: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Input {
    fn spawn(tx: mpsc::Sender<Msg>) -> Input {
        use std::sync::atomic::Ordering::SeqCst;
        let pause = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let paused = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (p, pd) = (pause.clone(), paused.clone());
        std::thread::spawn(move || loop {
            if p.load(SeqCst) {
                pd.store(true, SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            pd.store(false, SeqCst);
            // a short poll, so that a pause is seen within 50 ms
            let msg = match event::poll(Duration::from_millis(50)) {
                Ok(false) => continue,
                Ok(true) if p.load(SeqCst) => continue,
                Ok(true) => match event::read() {
                    Ok(ev) => Msg::Term(ev),
                    Err(_) => Msg::TermGone,
                },
                Err(_) => Msg::TermGone,
            };
            let gone = matches!(msg, Msg::TermGone);
            if tx.send(msg).is_err() || gone {
                return;
            }
        });
        Input { pause, paused }
    }

    /// Stop reading the terminal; returns once the thread is not reading it.
    fn pause(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        self.pause.store(true, SeqCst);
        let t0 = std::time::Instant::now();
        while !self.paused.load(SeqCst) && t0.elapsed() < Duration::from_secs(1) {
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn resume(&self) {
        self.pause.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Jobs for the worker thread, which owns the index.
enum Job {
    /// A query: its number, text, how many hits, the reader state it may need.
    Query(
        u64,
        String,
        usize,
        Option<std::sync::Arc<crate::state::StateSets>>,
    ),
    /// Check the archive: at start (at once), or because it changed on disk (after letting a
    /// burst of file events settle: `true`).
    Sync(bool),
}

/// The whole issue list from the catalog, with what reads its records and which issues are
/// new this session.
struct Listing {
    issues: Vec<crate::index::catalog::Listed>,
    shelf: crate::index::Shelf,
    new: std::collections::HashSet<String>,
}

enum Reply {
    Search(u64, Result<SearchResult, String>),
    /// The whole list, read after the first screen was drawn.
    Listed(Listing),
    /// The issues after a sync (or an error), a message, and whether marks moved to other ids.
    Issues(Option<Listing>, String, bool),
    /// A sync's progress: files read, of how many.
    Progress(usize, usize),
    /// A check of the archive is over (after its issues, if it changed anything).
    Checked,
    /// Something to say on the status line.
    Note(String),
}

/// The session's times: when the previous one started (issues first seen after it are new)
/// and when this one did (what the first check finds was there then).
#[derive(Clone, Copy)]
struct Times {
    prev: i64,
    start: i64,
}

/// The whole list from the catalog; its issues recorded as seen (`at`: when; None: now).
fn listing(
    shelf: crate::index::Shelf,
    state: Option<&mut crate::state::State>,
    times: Times,
    at: Option<i64>,
) -> anyhow::Result<Listing> {
    let issues = shelf.listed(None)?;
    let mut new = Default::default();
    if let Some(st) = state {
        let ids: Vec<String> = issues.iter().map(|l| l.meta.id.clone()).collect();
        match at {
            Some(t) => st.see_issues_at(&ids, t)?,
            None => st.see_issues(&ids)?,
        }
        new = st.issues_new_since(times.prev)?;
    }
    Ok(Listing { issues, shelf, new })
}

/// Read the whole list once the first screen is drawn, on a thread of its own (the worker
/// answers keys meanwhile), and send it to the loop.
fn list_all(
    shelf: crate::index::Shelf,
    data_dir: std::path::PathBuf,
    times: Times,
    replies: mpsc::Sender<Msg>,
) {
    std::thread::spawn(move || {
        let mut state = crate::state::State::open(&data_dir)
            .map_err(|e| log::error!("could not open the reader state: {e}"))
            .ok();
        match listing(shelf, state.as_mut(), times, Some(times.start)) {
            Ok(l) => {
                let _ = replies.send(Msg::Reply(Reply::Listed(l)));
            }
            Err(e) => log::error!("could not read the catalog: {e}"),
        }
    });
}

fn worker(
    mut store: Store,
    archive: std::path::PathBuf,
    data_dir: std::path::PathBuf,
    times: Times,
    jobs: mpsc::Receiver<Job>,
    replies: mpsc::Sender<Msg>,
    latest: std::sync::Arc<std::sync::atomic::AtomicU64>,
) {
    let mut state = match crate::state::State::open(&data_dir) {
        Ok(s) => Some(s),
        Err(e) => {
            log::error!("could not open the reader state: {e}");
            None
        }
    };
    // what the first check finds was there when the session started
    let mut seen_at = Some(times.start);
    // the archive's words by pinyin are read (or built) in the background from the first
    // check on, after the first frame, and again after a check that changed the index: a
    // keystroke's first answer never waits for them, a full answer only while they are read
    let mut warmed = false;
    // a sync that found another kanbao writing the index is tried again every second
    let mut retry = false;
    // a job that came while a query's full answer was due (it replaces that answer)
    let mut backlog: Option<Job> = None;
    // something was searched or checked since memory was last given back
    let mut held = true;
    let budget = mapped_budget();
    loop {
        let first = if let Some(j) = backlog.take() {
            Some(j)
        } else if retry {
            match jobs.recv_timeout(Duration::from_secs(1)) {
                Ok(j) => Some(j),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else if held {
            match jobs.try_recv() {
                Ok(j) => Some(j),
                Err(mpsc::TryRecvError::Disconnected) => return,
                Err(mpsc::TryRecvError::Empty) => {
                    give_back_over(&store, budget);
                    // idle for a while after searching or checking: give back the index
                    // pages and heap it no longer needs (see `crate::memory`)
                    match jobs.recv_timeout(IDLE_RELEASE) {
                        Ok(j) => Some(j),
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            let r = store.release_memory(true);
                            log::debug!("idle: released {r:?}");
                            held = false;
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
            }
        } else {
            match jobs.recv() {
                Ok(j) => Some(j),
                Err(_) => return,
            }
        };
        held = true;
        // take everything pending: only the latest query matters, syncs merge
        let mut query = None;
        let mut sync = std::mem::take(&mut retry);
        let mut settle = false;
        let handle = |j: Job, query: &mut Option<_>, sync: &mut bool, settle: &mut bool| match j {
            Job::Query(n, q, l, s) => *query = Some((n, q, l, s)),
            Job::Sync(s) => {
                *sync = true;
                *settle |= s;
            }
        };
        if let Some(first) = first {
            handle(first, &mut query, &mut sync, &mut settle);
        }
        if settle {
            // let a burst of file events settle (a copy in progress)
            std::thread::sleep(Duration::from_millis(400));
        }
        while let Ok(j) = jobs.try_recv() {
            handle(j, &mut query, &mut sync, &mut settle);
        }
        // a query waiting is answered before a check of the archive starts: first with what
        // can be found within a frame when it matches too much to rank and count that fast,
        // then in full, unless another key came meanwhile
        if let Some((n, q, limit, sets)) = query.take() {
            let first = crate::index::query::parse(&q)
                .ok()
                .filter(|p| !p.is_empty())
                .and_then(|p| {
                    store
                        .search_first(&p, limit, crate::index::FIRST_ANSWER)
                        .ok()
                        .flatten()
                });
            let mut full = true;
            if let Some(f) = first {
                // ranked and counted already (few matches, nothing through pinyin or the
                // other script to look for): nothing follows
                full = f.unranked || f.also_pending;
                if replies.send(Msg::Reply(Reply::Search(n, Ok(f)))).is_err() {
                    return;
                }
                // while the answer is drawn and read
                give_back_over(&store, budget);
                // the full answer only once typing pauses: a search of a million records
                // cannot be interrupted, and the next key must not wait for it
                if full {
                    match jobs.recv_timeout(TYPING_PAUSE) {
                        Ok(j) => {
                            // a newer query replaces this one's full answer
                            full = !matches!(j, Job::Query(..));
                            backlog = Some(j);
                        }
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
            }
            if full {
                // given up as soon as a newer query is sent: the next key must not wait for
                // a full answer nobody will see
                let newer = latest.clone();
                let until = crate::index::cancel::Until::new(std::sync::Arc::new(move || {
                    newer.load(std::sync::atomic::Ordering::Relaxed) != n
                }));
                let r = crate::index::run_query_until(
                    &store,
                    &q,
                    limit,
                    &mut || {
                        sets.clone()
                            .ok_or_else(|| "is: and tag: need the reader state".to_string())
                    },
                    Some(&until),
                );
                // stopped (`Ok(None)`): nothing to send, the newer query is answered next
                if let Some(r) = r.transpose() {
                    if replies.send(Msg::Reply(Reply::Search(n, r))).is_err() {
                        return;
                    }
                }
            }
        }
        if sync {
            if !std::mem::replace(&mut warmed, true) {
                store.warm_pinyin();
            }
            let mut carried = false;
            // the status line shows how far a sync is, a few times a second
            let mut shown = std::time::Instant::now();
            let mut tell = |done: usize, total: usize, _: &str| {
                if done == total || shown.elapsed() >= Duration::from_millis(200) {
                    shown = std::time::Instant::now();
                    let _ = replies.send(Msg::Reply(Reply::Progress(done, total)));
                }
            };
            let synced = store.try_sync(&archive, &mut tell);
            if matches!(&synced, Ok(Some(r)) if r.indexed + r.removed > 0) {
                store.warm_pinyin();
            }
            // over, unless it waits for another writer: said after the issues it found
            let checked = !matches!(synced, Ok(None));
            let msg = match synced {
                Ok(None) => {
                    retry = true;
                    None
                }
                Ok(Some(r)) if r.indexed + r.removed == 0 => None,
                Ok(Some(r)) => {
                    let carry = match state.as_mut() {
                        Some(st) => crate::follow::carry_marks(&store, st),
                        None => crate::state::State::open(&data_dir)
                            .and_then(|mut st| crate::follow::carry_marks(&store, &mut st)),
                    };
                    match carry {
                        Ok(c) => carried = c.moved + c.orphaned + c.restored > 0,
                        Err(e) => log::error!("could not carry marks to their articles: {e}"),
                    }
                    Some(format!(
                        "archive changed: {} (re)indexed, {} removed{}",
                        crate::text::count(r.indexed, "file", "files"),
                        r.removed,
                        r.warnings
                            .first()
                            .map(|w| format!(" ({w})"))
                            .unwrap_or_default()
                    ))
                }
                Err(e) => Some(format!("could not update the index: {e}")),
            };
            let at = if checked { seen_at.take() } else { seen_at };
            if let Some(msg) = msg {
                log::info!("{msg}");
                let reply = match listing(store.shelf(), state.as_mut(), times, at) {
                    Ok(l) => Reply::Issues(Some(l), msg, carried),
                    Err(e) => Reply::Issues(None, format!("could not read the index: {e}"), false),
                };
                if replies.send(Msg::Reply(reply)).is_err() {
                    return;
                }
            }
            if checked && replies.send(Msg::Reply(Reply::Checked)).is_err() {
                return;
            }
            // what the check read and compared (a manifest of every file) is free now: give
            // it back at once rather than when the reader next idles (not after a sync that
            // only found another writer, which is tried again every second)
            if checked {
                crate::memory::trim_heap();
            }
        }
    }
}

/// Where the reader's session stands, for taking in a worker's reply.
struct Session<'a> {
    state: &'a mut crate::state::State,
    archive_key: &'a str,
    /// A sync has sent the whole list (the one read at start is older).
    synced_list: &'a mut bool,
}

/// What reads an issue's records for the app: the index through `shelf`.
fn loader(shelf: crate::index::Shelf) -> app::Loader {
    std::sync::Arc::new(move |source: &str| shelf.records_of_source(source))
}

/// Take a worker's reply into the app.
fn handle_reply(reply: Reply, app: &mut App, sess: Session<'_>) {
    let state = sess.state;
    match reply {
        Reply::Search(n, r) => app.search_result(n, r),
        Reply::Progress(done, total) => app.indexing = (done < total).then_some((done, total)),
        Reply::Note(m) => app.message = m,
        Reply::Checked => {
            // the first check is over, whatever it found
            app.indexing = None;
        }
        Reply::Listed(l) => {
            // read at start: older than a list a sync already sent
            if !*sess.synced_list {
                app.triage.new_issues = l.new;
                app.replace_listed(l.issues, loader(l.shelf));
            }
        }
        Reply::Issues(listing, msg, carried) => {
            app.indexing = None;
            let mut msg = msg;
            if carried {
                match state.all_marks() {
                    Ok(m) => app.triage.set_marks(m),
                    Err(e) => log::error!("could not reload marks: {e}"),
                }
                // marks whose article is gone, said once
                if let Ok(n) = state.take_unnotified_orphans(sess.archive_key) {
                    if n > 0 {
                        msg = format!(
                            "{n} marked article{} gone: kanbao list --orphans",
                            if n == 1 { "" } else { "s" }
                        );
                    }
                }
            }
            if let Some(l) = listing {
                *sess.synced_list = true;
                app.triage.new_issues = l.new;
                app.replace_listed(l.issues, loader(l.shelf));
            }
            app.message = msg;
        }
    }
}

/// Write the marks the app changed to the reader state, with what the marked articles say
/// (so that the marks follow them through a re-cut); say so when it fails.
fn store_effects(
    app: &mut App,
    state: &mut crate::state::State,
    archive_key: &str,
    effects: Vec<triage::Effect>,
) {
    use triage::Effect;
    let ids: std::collections::HashSet<&str> = effects
        .iter()
        .flat_map(|e| match e {
            Effect::Read(id, _)
            | Effect::Star(id, _)
            | Effect::Tags(id, _)
            | Effect::Position(id, _) => vec![id.as_str()],
            Effect::ReadMany(ids, _) => ids.iter().map(|i| i.as_str()).collect(),
        })
        .collect();
    let records: Vec<crate::model::Record> = ids
        .iter()
        .filter_map(|id| app.record(id).cloned())
        .collect();
    let records = records.iter();
    let r = state.atomically(|state| {
        crate::follow::remember(state, archive_key, records)?;
        for e in &effects {
            match e {
                Effect::Read(id, r) => state.set_read(id, *r)?,
                Effect::Star(id, s) => state.set_starred(id, *s)?,
                Effect::Tags(id, t) => state.set_tags(id, t)?,
                Effect::ReadMany(ids, r) => state.set_read_many(ids, *r)?,
                Effect::Position(id, p) => state.set_position(id, *p)?,
            }
        }
        Ok(())
    });
    if let Err(err) = r {
        log::error!("could not save {effects:?}: {err}");
        app.message = format!("could not save the mark: {err}");
    }
}

/// Turn SIGHUP, SIGTERM and SIGINT into a request to leave, which the event loop answers
/// within a quarter of a second. When the terminal is gone, crossterm's reader can spin
/// inside `event::read` and never come back to the loop; so if the process is still there a
/// second later, this thread saves the reading position itself, restores what can be restored
/// and exits. Marks need nothing: each one is committed when it is made.
#[cfg(unix)]
fn watch_signals(
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    position: std::sync::Arc<std::sync::Mutex<Option<(String, u32)>>>,
    state_path: std::path::PathBuf,
) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_none() {
            return;
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(1000));
        let last = position.lock().ok().and_then(|p| p.clone());
        if let (Some((id, pos)), Some(dir)) = (last, state_path.parent()) {
            if let Ok(st) = crate::state::State::open(dir) {
                let _ = st.set_position(&id, pos);
            }
        }
        restore_terminal();
        std::process::exit(0);
    });
    Ok(())
}

/// The reader needs a real terminal on standard input and output, and not `TERM=dumb`.
pub fn check_terminal() -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("the reader needs a terminal; in scripts use `kanbao issues`, `kanbao export` or `kanbao search`");
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        anyhow::bail!("TERM=dumb cannot show the reader; use `kanbao issues`, `kanbao export` or `kanbao search`");
    }
    Ok(())
}

/// How the reader looks and what its keys do: settings, theme, keymap (config + CLI).
pub struct Look {
    pub settings: Settings,
    pub theme: theme::Theme,
    pub keymap: keys::Keymap,
    pub config_path: String,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            settings: Settings::default(),
            theme: theme::Theme::from_env(),
            keymap: Default::default(),
            config_path: String::new(),
        }
    }
}

/// At most this much text goes to the clipboard: terminals limit OSC 52 payloads.
pub const CLIPBOARD_MAX_BYTES: usize = 64 * 1024;

/// The escape sequences that put `text` on the local clipboard: OSC 52 (through SSH, and
/// through tmux with `set-clipboard on`), and inside tmux the same wrapped for passthrough
/// (`allow-passthrough on`). Returns the bytes and how many characters were copied. The text is
/// base64, so nothing in it can act as a control sequence.
pub fn osc52(text: &str, in_tmux: bool) -> (Vec<u8>, usize) {
    use base64::Engine;
    let mut end = text.len().min(CLIPBOARD_MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let part = &text[..end];
    let b64 = base64::engine::general_purpose::STANDARD.encode(part);
    let mut out = format!("\x1b]52;c;{b64}\x07").into_bytes();
    if in_tmux {
        out.extend_from_slice(format!("\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\").as_bytes());
    }
    (out, part.chars().count())
}

/// Show `text` in $PAGER (default `less`), the terminal handed over meanwhile.
fn page<B: ratatui::backend::Backend>(
    term: &mut ratatui::Terminal<B>,
    input: &Input,
    text: &str,
) -> anyhow::Result<Option<String>>
where
    B::Error: Send + Sync + 'static,
{
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less".into());
    let result = hand_over(term, input, || run_with_input(&pager, text))?;
    Ok(match result {
        Ok(st) if st.success() => None,
        Ok(st) => Some(format!("pager `{pager}` ended with {st}")),
        Err(e) => Some(format!("cannot run pager `{pager}`: {e}")),
    })
}

/// Run `cmd` through `sh -c` with `text` on its standard input, and wait for it.
fn run_with_input(cmd: &str, text: &str) -> std::io::Result<std::process::ExitStatus> {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                // a command that stops reading early (a pager quit) closes the pipe: not an error
                let _ = stdin.write_all(text.as_bytes());
            }
            child.wait()
        })
}

/// The saved searches after saving or deleting one.
fn saved_searches(app: &mut App, r: std::io::Result<Vec<String>>) {
    match r {
        Ok(all) => app.saved = all,
        Err(e) => app.message = format!("could not store the saved searches: {e}"),
    }
}

/// Run `cmd` (through `sh -c`) with `text` on its standard input, the terminal handed over;
/// then wait for Enter so that its output can be read. Returns what the status line says.
fn pipe<B: ratatui::backend::Backend>(
    term: &mut ratatui::Terminal<B>,
    input: &Input,
    cmd: &str,
    text: &str,
) -> anyhow::Result<String>
where
    B::Error: Send + Sync + 'static,
{
    let result = hand_over(term, input, || {
        let st = run_with_input(cmd, text);
        print!("\n[kanbao: press Enter to return]");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        st
    })?;
    Ok(match result {
        Ok(st) if st.success() => format!("piped the article to `{cmd}`"),
        Ok(st) => format!("`{cmd}` ended with {st}"),
        Err(e) => format!("cannot run `{cmd}`: {e}"),
    })
}

/// Watch `archive` for changed issue files (asking the worker for a sync) until `end` says
/// the reader is done; a watch that cannot be set up is said on the status line.
fn watch(
    archive: std::path::PathBuf,
    watch_tx: mpsc::Sender<Job>,
    replies: mpsc::Sender<Msg>,
    end: mpsc::Receiver<()>,
) {
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if let Ok(ev) = ev {
            let relevant = ev.paths.iter().any(|p| {
                p.extension()
                    .map(|e| {
                        matches!(
                            e.to_string_lossy().to_ascii_lowercase().as_str(),
                            "txt" | "md"
                        )
                    })
                    .unwrap_or(false)
            });
            if relevant && !matches!(ev.kind, notify::EventKind::Access(_)) {
                let _ = watch_tx.send(Job::Sync(true));
            }
        }
    })
    .ok();
    if let Some(w) = watcher.as_mut() {
        use notify::Watcher;
        if let Err(e) = w.watch(&archive, notify::RecursiveMode::Recursive) {
            let _ = replies.send(Msg::Reply(Reply::Note(format!(
                "not watching the archive for new issues: {e}"
            ))));
        }
    }
    // until the loop ends (its sender dropped)
    let _ = end.recv();
    drop(watcher);
}

/// How long the loop waits, after sending a query, for its answer before drawing the frame
/// without it (a first answer is usually ready within a millisecond; a frame takes about as
/// long to draw).
const ANSWER_WAIT: Duration = Duration::from_millis(2);

/// After a first answer, the full one waits for typing to pause this long.
const TYPING_PAUSE: Duration = Duration::from_millis(120);

/// How long the worker waits, with nothing asked of it, before giving back the index pages and
/// heap it no longer needs: long enough that typing and reading results do not pay for mapping
/// the same pages again, short enough that an idle reader soon looks as small as it is.
const IDLE_RELEASE: Duration = Duration::from_secs(2);

/// Bytes of files the reader may keep resident (index pages, its own code and libraries)
/// before it gives the index pages back between keys rather than when idle.
const MAPPED_BUDGET: u64 = 32 << 20;

/// Searching a large index maps more of it with every key: past `budget` bytes of files
/// resident, give the index pages back (the next search maps what it needs again, from the
/// page cache). Called by the worker once an answer is sent and when nothing waits.
fn give_back_over(store: &Store, budget: u64) {
    if crate::memory::resident_file_bytes().is_some_and(|b| b > budget) {
        let t = std::time::Instant::now();
        let r = store.release_memory(false);
        log::debug!("over the budget: released {r:?} in {:?}", t.elapsed());
    }
}

/// [`MAPPED_BUDGET`], or `KANBAO_MAPPED_BUDGET_MB` megabytes (for measuring and testing).
fn mapped_budget() -> u64 {
    std::env::var("KANBAO_MAPPED_BUDGET_MB")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(MAPPED_BUDGET, |mb| mb << 20)
}

/// Issues drawn from the catalog before the first frame: more than any screen shows.
const FIRST_ROWS: usize = 300;

/// Run the reader on an archive. Refuses when standard output is not a terminal.
pub fn run(
    store: Store,
    mut state: crate::state::State,
    data_dir: std::path::PathBuf,
    archive: std::path::PathBuf,
    archive_name: String,
    look: Look,
) -> anyhow::Result<()> {
    check_terminal()?;
    // the first screen from the first rows of the catalog; the rest is read meanwhile
    let first = store.listed(Some(FIRST_ROWS))?;
    let (session_prev, session_start) = state.start_session_at()?;
    let times = Times {
        prev: session_prev,
        start: session_start,
    };
    state.see_issues_at(
        &first.iter().map(|l| l.meta.id.clone()).collect::<Vec<_>>(),
        session_start,
    )?;
    let mut app = App::listed(first, loader(store.shelf()), look.settings, archive_name);
    app.keymap = look.keymap;
    app.config_path = look.config_path;
    app.triage.new_issues = state.issues_new_since(session_prev)?;
    app.triage.set_marks(state.all_marks()?);
    let place_key = format!("reader.place.{}", crate::follow::archive_key(&store));
    if let Some(p) = state.meta(&place_key)? {
        let mut f = p.splitn(3, '\t');
        let (issue, view, hide) = (f.next(), f.next(), f.next());
        app.restore_place(
            issue.unwrap_or(""),
            view.unwrap_or("all"),
            hide == Some("hide-read"),
        );
    }
    let theme = look.theme;
    let in_tmux = std::env::var_os("TMUX").is_some();

    let (jtx, jrx) = mpsc::channel::<Job>();
    let (rtx, rrx) = mpsc::channel::<Msg>();
    let archive_w = archive.clone();
    let archive_key = crate::follow::archive_key(&store);
    let orphans = state.take_unnotified_orphans(&archive_key)?;
    let mut first_message = String::new();
    if orphans > 0 {
        first_message = format!(
            "{orphans} marked article{} gone: kanbao list --orphans",
            if orphans == 1 { "" } else { "s" }
        );
    } else if store.cut_by_older_analysis() {
        // re-cutting a large archive takes minutes of both cores: said, not done behind the
        // reader's back (searches would wait for it)
        first_message =
            "pages cut by an older kanbao: `kanbao index` cuts them again (marks follow)".into();
    }
    // check the archive at once, in the background; the status line says so until it is done
    app.indexing = Some((0, 0));
    let rtx_input = rtx.clone();
    let data_dir_ui = data_dir.clone();
    app.history = crate::queries::load_history(&data_dir).unwrap_or_default();
    app.saved = crate::queries::load_saved(&data_dir).unwrap_or_default();
    let list_shelf = store.shelf();
    let list_data = data_dir.clone();
    let list_tx = rtx.clone();
    let watch_replies = rtx.clone();
    // the number of the query sent last: a full answer to another one gives way to it (a new
    // search box numbers its queries from 1 again, so "another", not "older")
    let latest = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let latest_w = latest.clone();
    std::thread::spawn(move || worker(store, archive_w, data_dir, times, jrx, rtx, latest_w));
    // watch the archive: new, changed and removed issue files show up without a restart.
    // Setting the watch up walks the whole archive (one inotify watch per folder, every entry
    // looked at: 0.6 s at 125,000 files), so a thread of its own does it, after the first
    // frame, and keeps the watcher until the loop ends
    let (watch_stop, watch_end) = mpsc::channel::<()>();
    let (watch_tx, watch_archive) = (jtx.clone(), archive.clone());
    // started once the first frame is drawn: nothing competes with it for the cores
    let mut background = Some(move || {
        let _ = watch_tx.send(Job::Sync(false));
        list_all(list_shelf, list_data, times, list_tx);
        std::thread::spawn(move || watch(watch_archive, watch_tx, watch_replies, watch_end));
    });

    // SIGHUP (the SSH connection dropped), SIGTERM, SIGINT: leave the loop as `q` would
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let position = std::sync::Arc::new(std::sync::Mutex::new(None));
    #[cfg(unix)]
    watch_signals(stop.clone(), position.clone(), state.path.clone())?;
    let test_panic = std::env::var_os("KANBAO_TEST_PANIC").is_some();

    install_panic_hook();
    let _guard = Guard;
    enter_terminal()?;
    let backend = backend::LeanBackend::new(std::io::stdout(), app.settings.ambiguous);
    let mut term = ratatui::Terminal::new(backend)?;
    let input = Input::spawn(rtx_input);
    let size = term.size()?;
    let _ = app.apply(Action::App(AppAction::Resize(size.width, size.height)));
    // said after the first action, which clears the status line
    app.message = first_message;
    let mut dirty = true;
    let mut synced_list = false;
    // what the app asked for and the loop has not done yet
    let mut todo: Vec<Command> = Vec::new();
    let mut quit = false;
    // when the last query was sent (see ANSWER_WAIT), and a message that came meanwhile
    let mut query_sent: Option<std::time::Instant> = None;
    let mut early: Option<Msg> = None;
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            // the terminal may be gone: save and leave without drawing
            todo.extend(app.apply(Action::App(AppAction::Quit)));
            let saves = todo.drain(..).filter_map(|c| match c {
                Command::Save(e) => Some(e),
                _ => None,
            });
            store_effects(&mut app, &mut state, &archive_key, saves.collect());
            break;
        }
        todo.extend(app.tick(std::time::Instant::now()));
        // carry out what the app asked for, in order
        let mut saves = Vec::new();
        for c in std::mem::take(&mut todo) {
            match c {
                Command::Quit => quit = true,
                Command::Suspend => suspend(&mut term, &input)?,
                Command::Copy(text, what) => {
                    let (bytes, n) = osc52(&text, in_tmux);
                    let mut out = std::io::stdout();
                    let ok = out.write_all(&bytes).and_then(|_| out.flush()).is_ok();
                    let total = text.chars().count();
                    app.message = match (ok, n < total) {
                        (false, _) => "could not write to the terminal".into(),
                        (true, false) => {
                            format!("copied the {what} ({n} characters) to the clipboard")
                        }
                        (true, true) => format!(
                            "copied the first {n} of {total} characters of the {what} to the clipboard"
                        ),
                    };
                    log::debug!("clipboard: {what}, {n} characters");
                }
                Command::Pager(text) => {
                    if let Some(msg) = page(&mut term, &input, &text)? {
                        app.message = msg;
                    }
                }
                Command::Query(n, q, limit) => {
                    let sets = crate::index::query::parse(&q)
                        .ok()
                        .filter(|p| p.uses_state())
                        .map(|_| {
                            std::sync::Arc::new(crate::state::StateSets::from_marks(
                                app.triage.marks().iter(),
                            ))
                        });
                    latest.store(n, std::sync::atomic::Ordering::Relaxed);
                    let _ = jtx.send(Job::Query(n, q, limit, sets));
                    query_sent = Some(std::time::Instant::now());
                }
                Command::RememberQuery(q) => {
                    if let Err(e) = crate::queries::append_history(&data_dir_ui, &q) {
                        log::warn!("could not add to the search history: {e}");
                    }
                }
                Command::SaveSearch(q) => {
                    saved_searches(&mut app, crate::queries::save(&data_dir_ui, &q))
                }
                Command::UnsaveSearch(q) => {
                    saved_searches(&mut app, crate::queries::unsave(&data_dir_ui, &q))
                }
                Command::Pipe(cmd, text) => {
                    app.message = pipe(&mut term, &input, &cmd, &text)?;
                }
                Command::Save(e) => saves.push(e),
            }
            dirty = true;
        }
        if !saves.is_empty() {
            store_effects(&mut app, &mut state, &archive_key, saves);
        }
        if quit {
            break;
        }
        if let Ok(mut p) = position.lock() {
            *p = app.reading_position();
        }
        // a query just sent is usually answered within a millisecond: wait that long for the
        // answer (or the next key) so that one frame shows the key and its answer, instead of
        // a frame for the key the answer's frame must then wait behind
        if dirty && early.is_none() {
            if let Some(left) = query_sent
                .take()
                .and_then(|t| ANSWER_WAIT.checked_sub(t.elapsed()))
            {
                early = rrx.recv_timeout(left).ok();
            }
        }
        if dirty && early.is_none() {
            let drawing = std::time::Instant::now();
            execute!(std::io::stdout(), BeginSynchronizedUpdate)?;
            // a second pass when layout changed the state (an article's length, where its
            // first match is): the status line of the first pass was drawn before it knew
            for _ in 0..2 {
                let mut measured = None;
                term.draw(|f| {
                    let drawn = view::draw(f, &app, &theme);
                    if let Some((x, y)) = drawn.cursor {
                        f.set_cursor_position((x, y));
                    }
                    measured = Some(drawn.measured);
                })?;
                if !measured.is_some_and(|m| app.measured(m)) {
                    break;
                }
            }
            execute!(std::io::stdout(), EndSynchronizedUpdate)?;
            log::trace!("frame drawn in {:?}", drawing.elapsed());
            dirty = false;
            if let Some(start) = background.take() {
                start();
            }
        }
        // wait for the next thing to happen: a key, a reply, or the tick that drives timed
        // behaviour (an article counts as read after a moment) and notices signals
        let first = match early
            .take()
            .map_or_else(|| rrx.recv_timeout(Duration::from_millis(250)), Ok)
        {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
        };
        // then everything else already pending, before drawing once: holding a key down over
        // SSH must not turn into one full redraw per repeat
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Msg::TermGone => {
                    // a terminal that went away (EIO) counts as a hangup
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    break;
                }
                Msg::Reply(reply) => {
                    let sess = Session {
                        state: &mut state,
                        archive_key: &archive_key,
                        synced_list: &mut synced_list,
                    };
                    handle_reply(reply, &mut app, sess);
                    dirty = true;
                }
                Msg::Term(ev) => {
                    if test_panic && matches!(ev, Event::Key(_)) {
                        panic!("KANBAO_TEST_PANIC is set: panicking on the first key, as asked");
                    }
                    let action = match ev {
                        Event::Key(k) => keys::key(&app.keymap, app.key_ctx(), k),
                        Event::Mouse(m) => keys::mouse(m),
                        Event::Resize(w, h) => Some(Action::App(AppAction::Resize(w, h))),
                        Event::Paste(s) if app.search.is_some() => {
                            Some(Action::Search(SearchAction::Paste(s)))
                        }
                        _ => None,
                    };
                    if let Some(a) = action {
                        if matches!(a, Action::App(AppAction::Resize(..))) {
                            term.autoresize()?;
                        }
                        let cmds = app.apply(a);
                        // store each change before handling the next key
                        let (saves, rest): (Vec<Command>, Vec<Command>) = cmds
                            .into_iter()
                            .partition(|c| matches!(c, Command::Save(_)));
                        let saves = saves
                            .into_iter()
                            .filter_map(|c| match c {
                                Command::Save(e) => Some(e),
                                _ => None,
                            })
                            .collect::<Vec<_>>();
                        if !saves.is_empty() {
                            store_effects(&mut app, &mut state, &archive_key, saves);
                        }
                        todo.extend(rest);
                        dirty = true;
                    }
                }
            }
            // what hands the terminal over (or leaves) is done before any further key
            if !todo.is_empty() {
                break;
            }
            next = rrx.try_recv().ok();
        }
    }
    drop(watch_stop);
    let (issue, view, hide) = app.place();
    let place = format!(
        "{issue}\t{view}\t{}",
        if hide { "hide-read" } else { "all" }
    );
    if let Err(e) = state.set_meta(&place_key, &place) {
        log::warn!("could not keep where the reader was: {e}");
    }
    if stop.load(std::sync::atomic::Ordering::Relaxed) {
        // the terminal may be gone (a hangup): ratatui's Terminal, dropped, would try to show
        // the cursor and report the failure on standard error, which panics when that is the
        // dead terminal too. The guard restores what can be restored, ignoring errors.
        std::mem::forget(term);
    } else {
        drop(term);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn payload(bytes: &[u8]) -> String {
        let s = String::from_utf8(bytes.to_vec()).unwrap();
        let b64 = s
            .strip_prefix("\x1b]52;c;")
            .unwrap()
            .split('\x07')
            .next()
            .unwrap();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        String::from_utf8(raw).unwrap()
    }

    #[test]
    fn osc52_carries_the_text_as_base64_and_cuts_at_a_character() {
        let text = "标题\u{1b}]52;c;evil\u{7}\n正文。";
        let (bytes, n) = osc52(text, false);
        assert_eq!(payload(&bytes), text);
        assert_eq!(n, text.chars().count());
        assert_eq!(
            bytes.iter().filter(|&&b| b == 0x1b).count(),
            1,
            "only our own ESC"
        );
        // inside tmux: the plain sequence and the passthrough one
        let (bytes, _) = osc52("a", true);
        let s = String::from_utf8(bytes).unwrap();
        assert!(
            s.ends_with("\x1bPtmux;\x1b\x1b]52;c;YQ==\x07\x1b\\"),
            "{s:?}"
        );
        // too long: cut on a character boundary
        let long = "汉".repeat(CLIPBOARD_MAX_BYTES);
        let (bytes, n) = osc52(&long, false);
        let got = payload(&bytes);
        assert_eq!(got.chars().count(), n);
        assert!(got.len() <= CLIPBOARD_MAX_BYTES && n < long.chars().count());
    }
}
