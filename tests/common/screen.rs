//! Rendering the reader into ratatui's TestBackend and reading the screen back as text.

use kanbao::tui::action::{Action, AppAction};
use kanbao::tui::app::App;
use kanbao::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

/// Draw `app` at `w`×`h` as the event loop does (the terminal cursor at the caret, what drawing
/// measured handed back to the app).
pub fn render(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.apply(Action::App(AppAction::Resize(w, h)));
    let theme = Theme::new(false);
    let mut measured = None;
    t.draw(|f| {
        let d = kanbao::tui::view::draw(f, app, &theme);
        if let Some(p) = d.cursor {
            f.set_cursor_position(p);
        }
        measured = Some(d.measured);
    })
    .unwrap();
    let _ = app.measured(measured.unwrap());
    t.backend().buffer().clone()
}

/// A row as text: the cell after a wide character (its right half) is skipped.
pub fn row(b: &Buffer, y: u16) -> String {
    let mut s = String::new();
    let mut x = 0;
    while x < b.area.width {
        let sym = b[(x, y)].symbol();
        s.push_str(sym);
        x += kanbao::wrap::width(sym, 1).max(1) as u16;
    }
    s
}

pub fn screen(b: &Buffer) -> String {
    (0..b.area.height)
        .map(|y| row(b, y))
        .collect::<Vec<_>>()
        .join("\n")
}
