//! The terminal backend: ratatui's crossterm backend, except that drawing knows where the
//! terminal's cursor is after each character. ratatui-crossterm 0.1.2 moves the cursor before
//! every cell that is not at x + 1 of the previous one, so after every wide (Chinese) character,
//! where the cursor already stands at x + 2, it sends a cursor-position sequence: about 8 bytes
//! for every 3 bytes of text. Here a move is sent only where the cursor is not already (the rule
//! of ratatui PR #2721, merged upstream, not yet released), with the width the terminal gives the
//! character: ambiguous-width characters count as the `ambiguous` setting says.

use crossterm::cursor::MoveTo;
use crossterm::queue;
use crossterm::style::{
    Attribute as CAttr, Color as CColor, Colors, Print, SetAttribute, SetBackgroundColor,
    SetColors, SetForegroundColor,
};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, IntoCrossterm, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};

pub struct LeanBackend<W: Write> {
    inner: CrosstermBackend<W>,
    ambiguous: u8,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(writer: W, ambiguous: u8) -> Self {
        LeanBackend {
            inner: CrosstermBackend::new(writer),
            ambiguous,
        }
    }
}

/// Write the attribute changes from one modifier set to another (as ratatui-crossterm does).
fn queue_modifiers(w: &mut impl Write, from: Modifier, to: Modifier) -> io::Result<()> {
    let removed = from - to;
    if removed.contains(Modifier::REVERSED) {
        queue!(w, SetAttribute(CAttr::NoReverse))?;
    }
    let reset_intensity = removed.contains(Modifier::BOLD) || removed.contains(Modifier::DIM);
    if reset_intensity {
        queue!(w, SetAttribute(CAttr::NormalIntensity))?;
        if to.contains(Modifier::DIM) {
            queue!(w, SetAttribute(CAttr::Dim))?;
        }
        if to.contains(Modifier::BOLD) {
            queue!(w, SetAttribute(CAttr::Bold))?;
        }
    }
    for (m, off) in [
        (Modifier::ITALIC, CAttr::NoItalic),
        (Modifier::UNDERLINED, CAttr::NoUnderline),
        (Modifier::CROSSED_OUT, CAttr::NotCrossedOut),
        (Modifier::HIDDEN, CAttr::NoHidden),
    ] {
        if removed.contains(m) {
            queue!(w, SetAttribute(off))?;
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        queue!(w, SetAttribute(CAttr::NoBlink))?;
    }
    let added = to - from;
    for (m, on) in [
        (Modifier::REVERSED, CAttr::Reverse),
        (Modifier::ITALIC, CAttr::Italic),
        (Modifier::UNDERLINED, CAttr::Underlined),
        (Modifier::CROSSED_OUT, CAttr::CrossedOut),
        (Modifier::HIDDEN, CAttr::Hidden),
        (Modifier::SLOW_BLINK, CAttr::SlowBlink),
        (Modifier::RAPID_BLINK, CAttr::RapidBlink),
    ] {
        if added.contains(m) {
            queue!(w, SetAttribute(on))?;
        }
    }
    if !reset_intensity {
        if added.contains(Modifier::BOLD) {
            queue!(w, SetAttribute(CAttr::Bold))?;
        }
        if added.contains(Modifier::DIM) {
            queue!(w, SetAttribute(CAttr::Dim))?;
        }
    }
    Ok(())
}

/// Write `content` (ratatui's changed cells, in order) to `w`, moving the cursor only where the
/// terminal's cursor is not already. `ambiguous`: the cell width of East Asian Ambiguous
/// characters in this terminal.
pub fn draw_cells<'a>(
    w: &mut impl Write,
    content: impl Iterator<Item = (u16, u16, &'a Cell)>,
    ambiguous: u8,
) -> io::Result<()> {
    let (mut fg, mut bg) = (Color::Reset, Color::Reset);
    let mut modifier = Modifier::empty();
    // where the terminal's cursor stands after what was printed
    let mut cursor: Option<(u16, u16)> = None;
    for (x, y, cell) in content {
        if cursor != Some((x, y)) {
            queue!(w, MoveTo(x, y))?;
        }
        if cell.modifier != modifier {
            queue_modifiers(w, modifier, cell.modifier)?;
            modifier = cell.modifier;
        }
        if cell.fg != fg || cell.bg != bg {
            queue!(
                w,
                SetColors(Colors::new(
                    cell.fg.into_crossterm(),
                    cell.bg.into_crossterm()
                ))
            )?;
            fg = cell.fg;
            bg = cell.bg;
        }
        let symbol = cell.symbol();
        queue!(w, Print(symbol))?;
        let width = crate::wrap::width(symbol, ambiguous) as u16;
        // a zero-width symbol leaves the cursor where it was, which is not where the next
        // cell is: move then
        cursor = (width > 0).then(|| (x.saturating_add(width), y));
    }
    queue!(
        w,
        SetForegroundColor(CColor::Reset),
        SetBackgroundColor(CColor::Reset),
        SetAttribute(CAttr::Reset),
    )
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let amb = self.ambiguous;
        // the crossterm backend is itself a writer to the terminal
        draw_cells(&mut self.inner, content, amb)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn bytes_for(lines: &[&str], ambiguous: u8) -> (Vec<u8>, usize) {
        let area = Rect::new(0, 0, 40, lines.len() as u16);
        // a screen that differs everywhere, so that every cell is sent
        let mut prev = Buffer::empty(area);
        for y in 0..area.height {
            prev.set_string(0, y, "x".repeat(40), Style::default());
        }
        let mut next = Buffer::empty(area);
        for (y, l) in lines.iter().enumerate() {
            next.set_string(0, y as u16, l, Style::default());
        }
        let diff = prev.diff(&next);
        let mut out = Vec::new();
        draw_cells(&mut out, diff.into_iter(), ambiguous).unwrap();
        (out, lines.iter().map(|l| l.len()).sum())
    }

    fn moves(bytes: &[u8]) -> usize {
        // CSI row ; col H
        let s = String::from_utf8_lossy(bytes);
        s.matches('H').count()
    }

    #[test]
    fn no_move_after_a_wide_character() {
        let (b, text) = bytes_for(&["浦东新区召开会议，研究部署工作。"], 1);
        assert_eq!(moves(&b), 1, "{:?}", String::from_utf8_lossy(&b));
        // the text, one move, and the final reset: nothing else
        assert!(b.len() < text + 30, "{} bytes for {text}", b.len());
    }

    #[test]
    fn mixed_text_and_lines() {
        let (b, _) = bytes_for(&["GDP增长5%，ok", "第二行：劳动关系 and more"], 1);
        assert_eq!(
            moves(&b),
            2,
            "one move per line: {:?}",
            String::from_utf8_lossy(&b)
        );
        let s = String::from_utf8_lossy(&b);
        assert!(
            s.contains("GDP增长5%，ok") && s.contains("劳动关系 and more"),
            "{s}"
        );
    }

    #[test]
    fn ambiguous_width_follows_the_setting() {
        // “ is ambiguous: one cell at setting 1; at setting 2 the terminal advances two cells
        // while ratatui's buffer puts the next character in the next cell, so a move is needed
        let (b1, _) = bytes_for(&["“你好”abc"], 1);
        assert_eq!(moves(&b1), 1);
        let (b2, _) = bytes_for(&["“你好”abc"], 2);
        assert!(moves(&b2) > 1, "{:?}", String::from_utf8_lossy(&b2));
    }
}
