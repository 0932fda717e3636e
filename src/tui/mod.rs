//! The terminal reader. `app` holds the state and what keys do, `view` draws it, `reader` lays
//! articles out, `keys` maps keys to actions, `theme` holds the styles. This file runs the
//! event loop: terminal set-up and restoration (also on panic), the search worker thread, and
//! drawing only when something changed, inside synchronized updates.

pub mod app;
pub mod keys;
pub mod reader;
pub mod theme;
pub mod triage;
pub mod view;

use crate::index::{SearchResult, Store};
use app::{Action, App, Settings};
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
        eprintln!("kanbao crashed; the terminal has been restored and your marks are saved.");
        eprintln!("Please report this with the lines below:");
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
    f: impl FnOnce() -> T,
) -> anyhow::Result<T>
where
    B::Error: Send + Sync + 'static,
{
    restore_terminal();
    let out = f();
    enter_terminal()?;
    term.clear()?;
    Ok(out)
}

/// Ctrl-Z: stop like any job (SIGTSTP); `fg` continues here.
fn suspend<B: ratatui::backend::Backend>(term: &mut ratatui::Terminal<B>) -> anyhow::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    #[cfg(unix)]
    hand_over(term, || {
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)
    })??;
    Ok(())
}

/// Jobs for the worker thread, which owns the index.
enum Job {
    Query(u64, String, Option<std::sync::Arc<crate::index::StateSets>>),
    /// The archive changed on disk.
    Sync,
}

enum Reply {
    Search(u64, Result<SearchResult, String>),
    Issues(Vec<crate::model::Issue>, String),
}

fn worker(
    mut store: Store,
    archive: std::path::PathBuf,
    jobs: mpsc::Receiver<Job>,
    replies: mpsc::Sender<Reply>,
) {
    while let Ok(first) = jobs.recv() {
        // take everything pending: only the latest query matters, syncs merge
        let mut query = None;
        let mut sync = false;
        let handle = |j: Job, query: &mut Option<_>, sync: &mut bool| match j {
            Job::Query(n, q, s) => *query = Some((n, q, s)),
            Job::Sync => *sync = true,
        };
        handle(first, &mut query, &mut sync);
        if sync {
            // let a burst of file events settle (a copy in progress)
            std::thread::sleep(Duration::from_millis(400));
        }
        while let Ok(j) = jobs.try_recv() {
            handle(j, &mut query, &mut sync);
        }
        if sync {
            let msg = match store.sync(&archive, &mut |_, _, _| {}) {
                Ok(r) if r.indexed + r.removed == 0 => None,
                Ok(r) => Some(format!(
                    "archive changed: {} files (re)indexed, {} removed{}",
                    r.indexed,
                    r.removed,
                    r.warnings
                        .first()
                        .map(|w| format!(" ({w})"))
                        .unwrap_or_default()
                )),
                Err(e) => Some(format!("could not update the index: {e}")),
            };
            if let Some(msg) = msg {
                log::info!("{msg}");
                match store.issues() {
                    Ok(issues) => {
                        if replies.send(Reply::Issues(issues, msg)).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = replies.send(Reply::Issues(
                            Vec::new(),
                            format!("could not read the index: {e}"),
                        ));
                    }
                }
            }
        }
        if let Some((n, q, sets)) = query {
            let r = crate::search_cli::run_query_with(&store, &q, 50, &mut || {
                sets.clone()
                    .ok_or_else(|| "is: and tag: need the reader state".to_string())
            });
            if replies.send(Reply::Search(n, r)).is_err() {
                return;
            }
        }
    }
}

/// Write the marks the app changed to the reader state; say so when it fails.
fn store_effects(app: &mut App, state: &mut crate::state::State) {
    use triage::Effect;
    for e in std::mem::take(&mut app.effects) {
        let r = match &e {
            Effect::Read(id, r) => state.set_read(id, *r),
            Effect::Star(id, s) => state.set_starred(id, *s),
            Effect::Tags(id, t) => state.set_tags(id, t),
            Effect::ReadMany(ids, r) => state.set_read_many(ids, *r),
            Effect::Position(id, p) => state.set_position(id, *p),
        };
        if let Err(err) = r {
            log::error!("could not save {e:?}: {err}");
            app.message = format!("could not save the mark: {err}");
        }
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
    text: &str,
) -> anyhow::Result<Option<String>>
where
    B::Error: Send + Sync + 'static,
{
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less".into());
    let result = hand_over(term, || {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(&pager)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                if let Some(mut stdin) = child.stdin.take() {
                    // a pager quit early closes the pipe: not an error
                    let _ = stdin.write_all(text.as_bytes());
                }
                child.wait()
            })
    })?;
    Ok(match result {
        Ok(st) if st.success() => None,
        Ok(st) => Some(format!("pager `{pager}` ended with {st}")),
        Err(e) => Some(format!("cannot run pager `{pager}`: {e}")),
    })
}

/// Run the reader on an archive. Refuses when standard output is not a terminal.
pub fn run(
    store: Store,
    mut state: crate::state::State,
    archive: std::path::PathBuf,
    archive_name: String,
    look: Look,
) -> anyhow::Result<()> {
    check_terminal()?;
    let issues = store.issues()?;
    let session_prev = state.start_session()?;
    state.see_issues(&issues.iter().map(|i| i.meta.id.clone()).collect::<Vec<_>>())?;
    let mut app = App::new(issues, look.settings, archive_name);
    app.keymap = look.keymap;
    app.config_path = look.config_path;
    app.new_issues = state.issues_new_since(session_prev)?;
    app.marks = state.all_marks()?;
    let theme = look.theme;
    let in_tmux = std::env::var_os("TMUX").is_some();

    let (jtx, jrx) = mpsc::channel::<Job>();
    let (rtx, rrx) = mpsc::channel::<Reply>();
    let archive_w = archive.clone();
    std::thread::spawn(move || worker(store, archive_w, jrx, rtx));
    // watch the archive: new, changed and removed issue files show up without a restart
    let watch_tx = jtx.clone();
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
                let _ = watch_tx.send(Job::Sync);
            }
        }
    })
    .ok();
    if let Some(w) = watcher.as_mut() {
        use notify::Watcher;
        if let Err(e) = w.watch(&archive, notify::RecursiveMode::Recursive) {
            app.message = format!("not watching the archive for new issues: {e}");
        }
    }

    // SIGHUP (the SSH connection dropped), SIGTERM, SIGINT: leave the loop as `q` would
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let position = std::sync::Arc::new(std::sync::Mutex::new(None));
    #[cfg(unix)]
    watch_signals(stop.clone(), position.clone(), state.path.clone())?;
    let test_panic = std::env::var_os("KANBAO_TEST_PANIC").is_some();

    install_panic_hook();
    let _guard = Guard;
    enter_terminal()?;
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    let mut term = ratatui::Terminal::new(backend)?;
    let size = term.size()?;
    app.apply(Action::Resize(size.width, size.height));
    let mut dirty = true;
    loop {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            // the terminal may be gone: save and leave without drawing
            app.apply(Action::Quit);
            store_effects(&mut app, &mut state);
            break;
        }
        if app.suspend {
            app.suspend = false;
            suspend(&mut term)?;
            dirty = true;
        }
        if let Some((text, what)) = app.clipboard.take() {
            let (bytes, n) = osc52(&text, in_tmux);
            let mut out = std::io::stdout();
            let ok = out.write_all(&bytes).and_then(|_| out.flush()).is_ok();
            let total = text.chars().count();
            app.message = match (ok, n < total) {
                (false, _) => "could not write to the terminal".into(),
                (true, false) => format!("copied the {what} ({n} characters) to the clipboard"),
                (true, true) => format!(
                    "copied the first {n} of {total} characters of the {what} to the clipboard"
                ),
            };
            log::debug!("clipboard: {what}, {n} characters");
            dirty = true;
        }
        if let Some(text) = app.pager.take() {
            if let Some(msg) = page(&mut term, &text)? {
                app.message = msg;
            }
            dirty = true;
        }
        app.tick(std::time::Instant::now());
        if let Ok(mut p) = position.lock() {
            *p = app.reading_position();
        }
        if !app.effects.is_empty() {
            store_effects(&mut app, &mut state);
            dirty = true;
        }
        if dirty {
            execute!(std::io::stdout(), BeginSynchronizedUpdate)?;
            term.draw(|f| {
                let drawn = view::draw(f, &mut app, &theme);
                if let Some((x, y)) = drawn.cursor {
                    f.set_cursor_position((x, y));
                }
            })?;
            execute!(std::io::stdout(), EndSynchronizedUpdate)?;
            dirty = false;
        }
        if let Some((n, q)) = app.outbox.take() {
            let sets = crate::index::query::parse(&q)
                .ok()
                .filter(|p| p.uses_state())
                .map(|_| {
                    std::sync::Arc::new(crate::index::StateSets::from_marks(app.marks.iter()))
                });
            let _ = jtx.send(Job::Query(n, q, sets));
        }
        while let Ok(reply) = rrx.try_recv() {
            match reply {
                Reply::Search(n, r) => app.search_result(n, r),
                Reply::Issues(issues, msg) => {
                    if !issues.is_empty() {
                        let ids: Vec<String> = issues.iter().map(|i| i.meta.id.clone()).collect();
                        if let Err(e) = state.see_issues(&ids) {
                            app.message = format!("could not record new issues: {e}");
                        }
                        if let Ok(new) = state.issues_new_since(session_prev) {
                            app.new_issues = new;
                        }
                        app.replace_issues(issues);
                    }
                    app.message = msg;
                }
            }
            dirty = true;
        }
        let waiting = app.search.as_ref().is_some_and(|s| s.shown < s.sent);
        // a terminal that went away (EIO) counts as a hangup
        let ready = match event::poll(Duration::from_millis(if waiting { 15 } else { 250 })) {
            Ok(r) => r,
            Err(_) => {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
        };
        if ready {
            // take every pending event before drawing again: holding a key down over SSH
            // must not turn into one full redraw per repeat
            loop {
                let Ok(ev) = event::read() else {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    break;
                };
                if test_panic && matches!(ev, Event::Key(_)) {
                    panic!("KANBAO_TEST_PANIC is set: panicking on the first key, as asked");
                }
                let action = match ev {
                    Event::Key(k) => keys::key(&app, k),
                    Event::Mouse(m) => keys::mouse(m),
                    Event::Resize(w, h) => Some(Action::Resize(w, h)),
                    Event::Paste(s) if app.search.is_some() => Some(Action::SearchPaste(s)),
                    _ => None,
                };
                if let Some(a) = action {
                    if matches!(a, Action::Resize(..)) {
                        term.autoresize()?;
                    }
                    app.apply(a);
                    // store each change before handling the next key
                    store_effects(&mut app, &mut state);
                    dirty = true;
                }
                if app.quit
                    || app.suspend
                    || app.clipboard.is_some()
                    || app.pager.is_some()
                    || !event::poll(Duration::ZERO).unwrap_or(false)
                {
                    break;
                }
            }
        }
        if app.quit {
            break;
        }
    }
    drop(watcher);
    drop(term);
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
