//! The terminal reader. `app` holds the state and what keys do, `view` draws it, `reader` lays
//! articles out, `keys` maps keys to actions, `theme` holds the styles. This file runs the
//! event loop: terminal set-up and restoration (also on panic), the search worker thread, and
//! drawing only when something changed, inside synchronized updates.

pub mod app;
pub mod keys;
pub mod reader;
pub mod theme;
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

/// A panic anywhere restores the terminal first, then prints a short report.
fn install_panic_hook() {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        eprintln!("kanbao crashed; the terminal has been restored. Please report this:");
        prev(info);
    }));
}

/// Run the reader on an archive. Refuses when standard output is not a terminal.
pub fn run(store: Store, archive_name: String, settings: Settings) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("the reader needs a terminal; in scripts use `kanbao issues`, `kanbao export` or `kanbao search`");
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        anyhow::bail!("TERM=dumb cannot show the reader; use `kanbao issues`, `kanbao export` or `kanbao search`");
    }
    let issues = store.issues()?;
    let mut app = App::new(issues, settings, archive_name);
    let theme = theme::Theme::from_env();

    // search worker: answers only the latest query
    let (qtx, qrx) = mpsc::channel::<(u64, String)>();
    let (rtx, rrx) = mpsc::channel::<(u64, Result<SearchResult, String>)>();
    std::thread::spawn(move || {
        while let Ok(mut job) = qrx.recv() {
            while let Ok(j) = qrx.try_recv() {
                job = j;
            }
            let r = crate::search_cli::run_query(&store, &job.1, 50);
            if rtx.send((job.0, r)).is_err() {
                break;
            }
        }
    });

    install_panic_hook();
    terminal::enable_raw_mode()?;
    let _guard = Guard;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    let backend = ratatui::backend::CrosstermBackend::new(std::io::stdout());
    let mut term = ratatui::Terminal::new(backend)?;
    let size = term.size()?;
    app.apply(Action::Resize(size.width, size.height));
    let mut dirty = true;
    loop {
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
        if let Some(job) = app.outbox.take() {
            let _ = qtx.send(job);
        }
        while let Ok((n, r)) = rrx.try_recv() {
            app.search_result(n, r);
            dirty = true;
        }
        let waiting = app.search.as_ref().is_some_and(|s| s.shown < s.sent);
        if event::poll(Duration::from_millis(if waiting { 15 } else { 250 }))? {
            // take every pending event before drawing again: holding a key down over SSH
            // must not turn into one full redraw per repeat
            loop {
                let action = match event::read()? {
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
                    dirty = true;
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if app.quit {
            break;
        }
    }
    drop(term);
    Ok(())
}
