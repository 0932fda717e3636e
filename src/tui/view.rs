//! Drawing: reads the [`App`] and renders it. The only state it writes back is what layout
//! measured (the reader's line count, match lines and height), which scrolling needs.

use super::app::{App, Measured, Pane, NARROW, WIDE};
use super::reader::lay_out;
use super::theme::Theme;
use crate::text::fit;
use crate::text::sanitize_for_terminal;
use crate::wrap::width as text_width;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::border;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

/// ASCII borders when ambiguous characters are two cells wide (box drawing is ambiguous).
fn border_set(ambiguous: u8) -> border::Set<'static> {
    if ambiguous >= 2 {
        border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    } else {
        border::PLAIN
    }
}

fn block<'a>(title: &str, focused: bool, app: &App, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(border_set(app.settings.ambiguous))
        .border_style(if focused {
            theme.border_focus
        } else {
            theme.border
        })
        .title(Span::styled(
            format!(" {} ", sanitize_for_terminal(title)),
            if focused { theme.title } else { theme.dim },
        ))
}

/// Blank a rectangle before drawing a popup over it, without leaving half a wide glyph at its
/// edges (ratatui#2526): a wide character cut by the popup's left or right edge is replaced by
/// a space.
pub fn clear_popup(buf: &mut Buffer, area: Rect) {
    let bounds = buf.area;
    for y in area.top()..area.bottom().min(bounds.bottom()) {
        if area.left() > bounds.left() {
            let x = area.left() - 1;
            if text_width(buf[(x, y)].symbol(), 1) > 1 {
                buf[(x, y)].set_symbol(" ");
            }
        }
        let r = area.right();
        if r < bounds.right() && buf[(r, y)].symbol().is_empty() {
            buf[(r, y)].set_symbol(" ");
        }
    }
    Clear.render_ref(area, buf);
}

trait RenderRef {
    fn render_ref(&self, area: Rect, buf: &mut Buffer);
}
impl RenderRef for Clear {
    fn render_ref(&self, area: Rect, buf: &mut Buffer) {
        use ratatui::widgets::Widget;
        Clear.render(area, buf);
    }
}

/// Where the caret of the search line is, for the terminal cursor (input methods follow it).
pub struct Drawn {
    /// Where the terminal cursor goes (a text box's caret).
    pub cursor: Option<(u16, u16)>,
    /// What laying out the frame found, for the app to take in ([`App::measured`]).
    pub measured: Measured,
}

/// Draw the app. Reads the state only; what layout measured comes back in [`Drawn`].
pub fn draw(f: &mut Frame, app: &App, theme: &Theme) -> Drawn {
    let area = f.area();
    let mut drawn = Drawn {
        cursor: None,
        measured: Measured {
            width: area.width,
            height: area.height,
            ..Default::default()
        },
    };
    if area.width < 2 || area.height < 2 {
        return drawn;
    }
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let panes: Vec<Pane> = if area.width >= WIDE {
        vec![Pane::Issues, Pane::Articles, Pane::Reader]
    } else if area.width >= NARROW {
        match app.focus {
            Pane::Issues => vec![Pane::Issues, Pane::Articles],
            _ => vec![Pane::Articles, Pane::Reader],
        }
    } else {
        vec![app.focus]
    };
    let constraints: Vec<Constraint> = panes
        .iter()
        .map(|p| match (p, panes.len()) {
            (Pane::Reader, 1) => Constraint::Fill(1),
            (Pane::Reader, _) => {
                Constraint::Min((app.settings.measure + 4).min(area.width as usize / 2) as u16)
            }
            (Pane::Issues, 3) => Constraint::Percentage(22),
            (Pane::Articles, 3) => Constraint::Percentage(28),
            (Pane::Issues, 2) => Constraint::Percentage(45),
            (Pane::Articles, 2) if panes[0] == Pane::Articles => Constraint::Percentage(38),
            _ => Constraint::Fill(1),
        })
        .collect();
    let rects = Layout::horizontal(constraints).split(main);
    for (p, r) in panes.iter().zip(rects.iter()) {
        match p {
            Pane::Issues => draw_issues(f, app, theme, *r),
            Pane::Articles => draw_articles(f, app, theme, *r),
            Pane::Reader => drawn.measured.reader = draw_reader(f, app, theme, *r),
        }
    }
    draw_status(f, app, theme, status);
    if app.search.is_some() {
        drawn.cursor = draw_search(f, app, theme, main);
    }
    if app.help {
        drawn.measured.help_scroll_max = draw_help(f, app, theme, main);
    }
    if let Some(p) = &app.prompt {
        let text = format!("{}{}", p.label(), p.text());
        let x = status.x
            + text_width(&text, app.settings.ambiguous).min(status.width.saturating_sub(1) as usize)
                as u16;
        drawn.cursor = Some((x, status.y));
    }
    drawn
}

fn visible_window(sel: usize, len: usize, height: usize) -> (usize, usize) {
    if height == 0 {
        return (0, 0);
    }
    let offset = if sel < height { 0 } else { sel + 1 - height };
    (offset, (offset + height).min(len))
}

fn draw_issues(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let focused = app.focus == Pane::Issues;
    let (folders, vis, row) = app.issue_rows();
    let mut title = format!(
        "{} · {}",
        app.archive_name,
        crate::text::count(vis.len(), "issue", "issues")
    );
    if !app.issue_filter.is_empty() {
        title.push_str(&format!(" · filter {:?}", app.issue_filter));
    }
    if app.hide_read {
        title.push_str(" · unread only");
    }
    let b = block(&title, focused, app, theme);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = inner.width as usize;
    let amb = app.settings.ambiguous;
    if app.issues.is_empty() {
        // said in full, wrapped to the pane
        let text = if app.indexing.is_some() {
            "reading the archive: its issues appear here once they are indexed"
        } else {
            "no issues: this folder has no .txt or .md files. Add issue files (one page \
             or issue of text each) and they appear here."
        };
        f.render_widget(
            Paragraph::new(Line::styled(text, theme.dim))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
        return;
    }
    let rows = folders.len() + vis.len();
    let (from, to) = visible_window(row, rows, inner.height as usize);
    let mut lines = Vec::new();
    for r in from..to {
        let sel = r == row;
        if let Some(fo) = folders.get(r) {
            let count = fo.count.map(|n| format!(" {n}")).unwrap_or_default();
            let text = format!("    {}{count}", sanitize_for_terminal(&fo.label));
            let style = if sel { theme.selected } else { theme.dim };
            lines.push(Line::styled(fit(&text, w, amb), style));
            continue;
        }
        let i = vis[r - folders.len()];
        let iv = &app.issues[i];
        let date = if iv.date().is_empty() {
            "—".to_string()
        } else {
            iv.date().to_string()
        };
        let n = iv.n_articles;
        let unread = app.unread_count(i);
        let new = if app.triage.new_issues.contains(iv.id()) {
            "new"
        } else {
            "   "
        };
        let head = sanitize_for_terminal(iv.lead()).into_owned();
        let paper = if iv.paper().is_empty() {
            String::new()
        } else {
            format!("{} ", iv.paper())
        };
        let left = format!("{new} {} {:>2}/{:<2} ", fit(&date, 10, amb), unread, n);
        let rest = w.saturating_sub(text_width(&left, 1));
        let text = format!(
            "{left}{}",
            fit(&sanitize_for_terminal(&format!("{paper}{head}")), rest, amb)
        );
        let style = if sel && app.folder_sel.is_none() {
            theme.selected
        } else if unread > 0 {
            theme.title
        } else {
            Style::default()
        };
        lines.push(Line::styled(fit(&text, w, amb), style));
    }
    if vis.is_empty() {
        lines.push(Line::styled(
            if app.issue_filter.is_empty() {
                "every issue is read (H shows them)"
            } else {
                "no issue matches the filter (F changes it, Esc in it clears)"
            },
            theme.dim,
        ));
    }
    f.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}

fn draw_articles(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let focused = app.focus == Pane::Articles;
    let records = app.list_records();
    let title = app
        .current_issue()
        .map(|iv| format!("{} {}", iv.date_or_source(), iv.paper()))
        .unwrap_or_default();
    let b = block(title.trim(), focused, app, theme);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = inner.width as usize;
    let per = 2usize;
    let (from, to) = visible_window(
        app.article_sel,
        records.len(),
        (inner.height as usize / per).max(1),
    );
    let mut lines = Vec::new();
    for (i, r) in records.iter().enumerate().take(to).skip(from) {
        let sel = i == app.article_sel;
        let frag = r.kind == crate::model::Kind::Fragment;
        let mut head = r.display_title();
        if !r.subtitle.is_empty() && !r.title.is_empty() {
            head = format!("{head}｜{}", r.subtitle);
        }
        if !r.kicker.is_empty() {
            head = format!("{}｜{head}", r.kicker);
        }
        let head = sanitize_for_terminal(&head).into_owned();
        let len = r.body_chars();
        let size = if len >= 1000 {
            format!("{:.1}k字", len as f64 / 1000.0)
        } else {
            format!("{len}字")
        };
        let marks = app.triage.marks().get(&r.id);
        let read = marks.is_some_and(|m| m.read);
        let base = if sel {
            theme
                .selected
                .patch(if read { Style::default() } else { theme.title })
        } else if frag {
            theme.dim
        } else if read {
            Style::default()
        } else {
            theme.title
        };
        // unread and starred are two marks, both shown
        let starred = marks.is_some_and(|m| m.starred);
        let flag = match (frag, read, starred) {
            (true, _, _) => "·  ",
            (false, false, true) => "●★ ",
            (false, false, false) => "●  ",
            (false, true, true) => " ★ ",
            (false, true, false) => "   ",
        };
        lines.push(Line::styled(
            fit(&format!("{flag}{head}"), w, app.settings.ambiguous),
            base,
        ));
        let by = sanitize_for_terminal(&r.byline).into_owned();
        let tags: String = marks
            .map(|m| m.tags.iter().map(|t| format!(" #{t}")).collect())
            .unwrap_or_default();
        let sub = format!("  {}  {}{}", size, by, sanitize_for_terminal(&tags));
        lines.push(Line::styled(
            fit(&sub, w, app.settings.ambiguous),
            if sel { theme.selected } else { theme.dim },
        ));
    }
    if records.is_empty() {
        lines.push(Line::styled("no articles", theme.dim));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn draw_reader(
    f: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
) -> Option<(usize, usize, Vec<usize>)> {
    let focused = app.focus == Pane::Reader;
    let Some(rec) = app.current_record().cloned() else {
        let b = block("", focused, app, theme);
        let inner = b.inner(area);
        f.render_widget(b, area);
        f.render_widget(
            Paragraph::new(Line::styled("select an article", theme.dim)),
            inner,
        );
        return None;
    };
    let n = app.list_records().len();
    let b = block(
        &format!("{}/{}", app.article_sel + 1, n),
        focused,
        app,
        theme,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let width = inner.width.saturating_sub(2) as usize;
    let laid = lay_out(&rec, width, &app.settings, &app.reader.terms, theme);
    let (total, height) = (laid.lines.len(), inner.height as usize);
    // the scroll this frame shows; the app takes the same measures afterwards
    let scroll = App::scroll_within(
        app.reader.scroll,
        app.reader.current_match,
        &laid.match_lines,
        total,
        height,
    );
    let text_area = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let visible: Vec<Line> = laid
        .lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .collect();
    f.render_widget(Paragraph::new(visible), text_area);
    Some((total, height, laid.match_lines))
}

fn draw_status(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if let Some(p) = &app.prompt {
        let line = format!("{}{}", p.label(), sanitize_for_terminal(&p.text()));
        f.render_widget(
            Paragraph::new(Line::styled(
                fit(&line, area.width as usize, app.settings.ambiguous),
                theme.status,
            )),
            area,
        );
        return;
    }
    let mut parts = Vec::new();
    if let Some(iv) = app.current_issue() {
        parts.push(if iv.date().is_empty() {
            iv.source().to_string()
        } else {
            format!("{} {}", iv.date(), iv.paper()).trim().to_string()
        });
    }
    let n = app.list_records().len();
    if app.focus != Pane::Issues && n > 0 {
        parts.push(format!("article {}/{}", app.article_sel + 1, n));
    }
    if app.focus == Pane::Reader {
        parts.push(format!("{}%", app.percent_read()));
        if !app.reader.match_lines.is_empty() {
            parts.push(format!(
                "match {}/{} (n/N)",
                app.reader
                    .current_match
                    .min(app.reader.match_lines.len() - 1)
                    + 1,
                app.reader.match_lines.len()
            ));
        }
    }
    if app.triage.view != super::triage::View::All {
        parts.insert(0, format!("view: {}", app.triage.view.name()));
    }
    match app.indexing {
        Some((_, 0)) => parts.insert(0, "checking the archive…".into()),
        Some((done, total)) => parts.insert(0, format!("indexing {done}/{total} files")),
        None => {}
    }
    let left = sanitize_for_terminal(&parts.join(" · ")).into_owned();
    let amb = app.settings.ambiguous;
    let w = area.width as usize;
    let lw = text_width(&left, amb);
    // a message is said in full when it can be (the place gives way); the key hints only where
    // they fit after the place, with a gap
    let right = if !app.message.is_empty() {
        sanitize_for_terminal(&app.message).into_owned()
    } else {
        ["? help  / search  q quit", "? help  q quit", "? help"]
            .into_iter()
            .find(|h| lw + 2 + text_width(h, 1) <= w)
            .unwrap_or("")
            .to_string()
    };
    let rw = text_width(&right, amb).min(w);
    let lroom = w.saturating_sub(rw + if rw > 0 { 2 } else { 0 });
    let text = format!(
        "{}{}{}",
        fit(&left, lroom, amb),
        if rw > 0 && lroom > 0 { "  " } else { "" },
        fit(
            &right,
            w - lroom - if rw > 0 && lroom > 0 { 2 } else { 0 },
            amb
        )
    );
    f.render_widget(Paragraph::new(Line::styled(text, theme.status)), area);
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_search(f: &mut Frame, app: &App, theme: &Theme, area: Rect) -> Option<(u16, u16)> {
    let s = app.search.as_ref()?;
    let popup = centered(
        area,
        (area.width * 9 / 10).max(20),
        (area.height * 9 / 10).max(6),
    );
    clear_popup(f.buffer_mut(), popup);
    let title = if s.in_list {
        "search · results: j k move, Enter opens, / edits, S saves, Esc closes"
    } else {
        "search · Tab to the results, ↑ ↓ earlier queries, Ctrl-R finds one"
    };
    let b = block(title, true, app, theme);
    let inner = b.inner(popup);
    f.render_widget(b, popup);
    if inner.height == 0 || inner.width < 4 {
        return None;
    }
    // the input line, scrolled so that the caret is visible
    let rprompt = s.rsearch.as_ref().map(|p| {
        format!(
            "(history) {}: ",
            sanitize_for_terminal(&p.iter().collect::<String>())
        )
    });
    let prompt = rprompt.as_deref().unwrap_or("/ ");
    let pw = text_width(prompt, app.settings.ambiguous);
    let avail = (inner.width as usize).saturating_sub(pw + 1);
    let before: String = s.input[..s.cursor].iter().collect();
    let mut skip = 0;
    while text_width(
        &before.chars().skip(skip).collect::<String>(),
        app.settings.ambiguous,
    ) > avail
    {
        skip += 1;
    }
    let shown: String = s.input.iter().skip(skip).collect();
    let shown_clean = sanitize_for_terminal(&shown).into_owned();
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(prompt, theme.title),
            Span::raw(shown_clean),
        ])),
        Rect { height: 1, ..inner },
    );
    let caret_x = inner.x
        + pw as u16
        + text_width(
            &before.chars().skip(skip).collect::<String>(),
            app.settings.ambiguous,
        ) as u16;
    let cursor = (!s.in_list).then_some((caret_x.min(inner.right().saturating_sub(1)), inner.y));
    if inner.height < 2 {
        return cursor;
    }
    let info = if let Some(e) = &s.error {
        Line::styled(format!("  {}", sanitize_for_terminal(e)), theme.error)
    } else if let Some(r) = &s.result {
        let pending = if s.shown < s.sent { " …" } else { "" };
        // a first answer: its count is an estimate, its hits the first found, not the best
        let count = if r.estimated {
            format!("≈{} hits, ranking", r.total)
        } else if r.unranked {
            format!("{}, ranking", crate::text::count(r.total, "hit", "hits"))
        } else {
            crate::text::count(r.total, "hit", "hits")
        };
        Line::styled(
            format!(
                "  {}{} · {:.1} ms{pending}",
                count,
                if r.also_total > 0 {
                    format!(" · {} more by pinyin or 繁简", r.also_total)
                } else {
                    String::new()
                },
                r.took_us as f64 / 1000.0
            ),
            theme.dim,
        )
    } else if s.input.is_empty() {
        Line::styled("  type to search: 劳动 关系 · \"a b\" · -x · a OR b · title: byline: issue: date:2023-11", theme.dim)
    } else {
        Line::styled("  searching…", theme.dim)
    };
    f.render_widget(
        Paragraph::new(info),
        Rect {
            y: inner.y + 1,
            height: 1,
            ..inner
        },
    );
    let mut list = Rect {
        y: inner.y + 2,
        height: inner.height.saturating_sub(2),
        ..inner
    };
    let Some(r) = &s.result else { return cursor };
    // wide: the selected hit's article beside the list, at its first match
    if list.width >= 110 && list.height >= 6 {
        let [l, p] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)]).areas(list);
        list = l;
        if let Some(rec) = r.hits.get(s.selected).and_then(|h| app.record(&h.id)) {
            draw_preview(f, app, theme, rec, &s.text(), p);
        }
    }
    let per = 3usize;
    let w = list.width as usize;
    let (from, to) = visible_window(
        s.selected,
        r.hits.len(),
        (list.height as usize / per).max(1),
    );
    let mut lines: Vec<Line> = Vec::new();
    for (i, h) in r.hits.iter().enumerate().take(to).skip(from) {
        let sel = i == s.selected;
        let base = if sel {
            theme.selected
        } else {
            Style::default()
        };
        let frag = if h.kind == "fragment" { "· " } else { "" };
        let via = h.mark();
        lines.push(Line::from(vec![
            Span::styled(via.clone(), if sel { base } else { theme.dim }),
            Span::styled(
                fit(
                    &sanitize_for_terminal(&format!("{frag}{}", h.title)),
                    w.saturating_sub(crate::wrap::width(&via, app.settings.ambiguous)),
                    app.settings.ambiguous,
                ),
                base.patch(theme.title),
            ),
        ]));
        let place = if h.date.is_empty() {
            h.source.clone()
        } else {
            format!("{}  {}", h.date, h.source)
        };
        lines.push(Line::styled(
            fit(
                &sanitize_for_terminal(&format!("  {place}")),
                w,
                app.settings.ambiguous,
            ),
            if sel { base } else { theme.dim },
        ));
        // the snippet, centred on its first match, every match in it highlighted
        let mut spans = vec![Span::raw("  ")];
        for (t, hl) in crate::text::snippet_window(
            &h.snippet,
            &h.highlights,
            w.saturating_sub(2),
            app.settings.ambiguous,
        ) {
            spans.push(Span::styled(t, if hl { theme.highlight } else { base }));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), list);
    cursor
}

/// The article of the selected hit, scrolled to its first match, matches highlighted.
fn draw_preview(
    f: &mut Frame,
    app: &App,
    theme: &Theme,
    rec: &crate::model::Record,
    query: &str,
    area: Rect,
) {
    let b = Block::default()
        .borders(Borders::LEFT)
        .border_set(border_set(app.settings.ambiguous))
        .border_style(theme.border);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let text_area = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(1),
        ..inner
    };
    let terms = crate::index::query::parse(query)
        .map(|q| q.highlight_terms())
        .unwrap_or_default();
    let laid = lay_out(rec, text_area.width as usize, &app.settings, &terms, theme);
    let h = text_area.height as usize;
    let scroll = App::scroll_within(0, usize::MAX, &laid.match_lines, laid.lines.len(), h);
    let visible: Vec<Line> = laid.lines.into_iter().skip(scroll).take(h).collect();
    f.render_widget(Paragraph::new(visible), text_area);
}

/// What the keymap does not hold: the mouse.
pub const FIXED_HELP: &[(&str, &str)] = &[("mouse wheel", "scroll")];

/// The help overlay's rows: the active keymap, then the fixed keys.
pub fn help_rows(app: &App) -> Vec<(String, String)> {
    let mut rows = app.keymap.help_rows();
    rows.extend(
        FIXED_HELP
            .iter()
            .map(|(k, h)| (k.to_string(), h.to_string())),
    );
    if !app.config_path.is_empty() {
        rows.push(("config".into(), app.config_path.clone()));
    }
    rows
}

/// Returns how far the overlay can scroll, when it scrolls.
fn draw_help(f: &mut Frame, app: &App, theme: &Theme, area: Rect) -> Option<usize> {
    let mut rows = help_rows(app);
    let room = area.height.saturating_sub(2) as usize;
    let scrolls = rows.len() > room && area.width < 100;
    let scroll_max = scrolls.then(|| rows.len().saturating_sub(room));
    if let Some(max) = scroll_max {
        rows.drain(..app.help_scroll.min(max));
    }
    // one column when it fits, else two side by side on a wider popup
    let two = rows.len() as u16 + 2 > area.height && area.width >= 100;
    let per_col = if two {
        rows.len().div_ceil(2)
    } else {
        rows.len()
    };
    let h = (per_col as u16 + 2).min(area.height);
    let popup = centered(area, if two { 140 } else { 72 }, h);
    clear_popup(f.buffer_mut(), popup);
    let title = if scrolls {
        "keys (j k scroll, any other key closes)"
    } else {
        "keys (any key closes)"
    };
    let b = block(title, true, app, theme);
    let inner = b.inner(popup);
    f.render_widget(b, popup);
    let cols: Vec<Rect> = if two {
        Layout::horizontal([Constraint::Ratio(1, 2), Constraint::Ratio(1, 2)])
            .split(inner)
            .to_vec()
    } else {
        vec![inner]
    };
    // the key column as wide as its longest entry (within reason), a space, the description;
    // two cells between columns
    let kw = rows
        .iter()
        .map(|(k, _)| crate::wrap::width(k, app.settings.ambiguous))
        .max()
        .unwrap_or(0)
        .clamp(6, 20)
        + 1;
    for (c, chunk) in cols.iter().zip(rows.chunks(per_col.max(1))) {
        let w = (c.width as usize).saturating_sub(if two { 2 } else { 0 });
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(k, d)| {
                Line::from(vec![
                    Span::styled(fit(k, kw, app.settings.ambiguous), theme.title),
                    Span::raw(fit(d, w.saturating_sub(kw), app.settings.ambiguous)),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), *c);
    }
    scroll_max
}
