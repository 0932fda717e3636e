//! The TUI without a terminal: actions on the state, and screens rendered into ratatui's
//! TestBackend at several sizes (CJK and ambiguous-width text included).

mod common;

use common::screen::{render, row, screen};
use common::*;
use kanbao::model::{Issue, IssueMeta, Kind, Record};
use kanbao::tui::action::*;
use kanbao::tui::app::{App, Command, Pane, Settings};
use kanbao::tui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

fn sample_issues() -> Vec<Issue> {
    load(&repo().join("samples"))
}

fn app(settings: Settings) -> App {
    App::new(sample_issues(), settings, "samples".into())
}

/// Every row that has the pane's left border has its right border in the same column, and no
/// cell there is the tail of a wide character.
fn assert_borders_aligned(b: &Buffer, vertical: &str) {
    let h = b.area.height;
    let mut cols: Option<Vec<u16>> = None;
    for y in 1..h.saturating_sub(2) {
        let xs: Vec<u16> = (0..b.area.width)
            .filter(|&x| b[(x, y)].symbol() == vertical)
            .collect();
        if xs.is_empty() {
            continue;
        }
        match &cols {
            None => cols = Some(xs),
            Some(c) => assert_eq!(&xs, c, "row {y} borders moved:\n{}", screen(b)),
        }
    }
    assert!(cols.is_some(), "no bordered rows:\n{}", screen(b));
}

#[test]
fn issues_sorted_newest_first() {
    let a = app(Settings::default());
    let dates: Vec<&str> = a.issues.iter().map(|i| i.date()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(dates, sorted);
}

#[test]
fn navigation_and_reading() {
    let mut a = app(Settings::default());
    a.apply(Action::App(AppAction::Resize(80, 24)));
    a.apply(Action::Nav(Nav::Down));
    assert_eq!(a.issue_sel, 1);
    a.apply(Action::Nav(Nav::Top));
    assert_eq!(a.issue_sel, 0);
    a.apply(Action::Nav(Nav::Bottom));
    assert_eq!(a.issue_sel, a.issues.len() - 1);
    a.apply(Action::Go(Go::Open));
    assert_eq!(a.focus, Pane::Articles);
    a.apply(Action::Go(Go::Open));
    assert_eq!(a.focus, Pane::Reader);
    let first = a.current_record().unwrap().id.clone();
    a.apply(Action::Go(Go::NextArticle));
    assert_ne!(a.current_record().unwrap().id, first);
    a.apply(Action::Go(Go::PrevArticle));
    assert_eq!(a.current_record().unwrap().id, first);
    a.apply(Action::Go(Go::PrevArticle));
    assert!(a.message.contains("first"));
    a.apply(Action::Go(Go::Back));
    a.apply(Action::Go(Go::Back));
    assert_eq!(a.focus, Pane::Issues);
    a.apply(Action::App(AppAction::ToggleHelp));
    assert!(a.help);
    a.apply(Action::Nav(Nav::Down)); // scrolls the help
    assert!(a.help);
    a.apply(Action::Go(Go::Back)); // any other key closes it
    assert!(!a.help);
    assert_eq!(a.apply(Action::App(AppAction::Quit)), vec![Command::Quit]);
}

#[test]
fn fragments_reachable_but_out_of_the_way() {
    let mut a = app(Settings::default());
    let idx = a.issues.iter().position(|i| i.n_fragments > 0).unwrap();
    a.issue_sel = idx;
    a.focus = Pane::Articles;
    let n = a.list_records().len();
    assert!(a.list_records().iter().all(|r| r.kind == Kind::Article));
    a.apply(Action::App(AppAction::ToggleFragments));
    assert!(a.list_records().len() > n);
    assert_eq!(a.list_records().last().unwrap().kind, Kind::Fragment);
}

#[test]
fn search_box_editing_and_stale_results() {
    let mut a = app(Settings::default());
    assert!(a.apply(Action::Search(SearchAction::Open)).is_empty());
    let mut sent = Vec::new();
    for c in "社区x".chars() {
        sent.extend(a.apply(Action::Search(SearchAction::Input(c))));
    }
    // every keystroke sends its query, numbered
    assert_eq!(
        sent,
        vec![
            Command::Query(1, "社".into(), kanbao::tui::app_search::LIMIT_TYPING),
            Command::Query(2, "社区".into(), kanbao::tui::app_search::LIMIT_TYPING),
            Command::Query(3, "社区x".into(), kanbao::tui::app_search::LIMIT_TYPING)
        ]
    );
    a.apply(Action::Search(SearchAction::Backspace));
    assert_eq!(a.search.as_ref().unwrap().text(), "社区");
    a.apply(Action::Search(SearchAction::Left));
    a.apply(Action::Search(SearchAction::Input('新')));
    assert_eq!(a.search.as_ref().unwrap().text(), "社新区");
    a.apply(Action::Search(SearchAction::End));
    a.apply(Action::Search(SearchAction::Paste(" 公园\n".into())));
    assert_eq!(a.search.as_ref().unwrap().text(), "社新区 公园");
    a.apply(Action::Search(SearchAction::DeleteWord));
    assert_eq!(a.search.as_ref().unwrap().text(), "社新区 ");
    a.apply(Action::Search(SearchAction::ClearLine));
    assert_eq!(a.search.as_ref().unwrap().text(), "");
    // a malformed query shows an error and sends nothing
    let cmds = a.apply(Action::Search(SearchAction::Input('"')));
    assert!(a
        .search
        .as_ref()
        .unwrap()
        .error
        .as_ref()
        .unwrap()
        .contains("quote"));
    assert!(cmds.is_empty(), "{cmds:?}");
    // an answer to an older query never replaces a newer one
    let s = a.search.as_mut().unwrap();
    s.sent = 5;
    s.shown = 4;
    let res = |n| kanbao::index::SearchResult {
        total: n,
        took_us: 1,
        hits: vec![],
        also_total: 0,
        also: vec![],
        estimated: false,
        unranked: false,
        also_pending: false,
    };
    a.search_result(5, Ok(res(2)));
    a.search_result(3, Ok(res(9)));
    assert_eq!(a.search.as_ref().unwrap().result.as_ref().unwrap().total, 2);
    a.apply(Action::Search(SearchAction::Close));
    assert!(a.search.is_none());
}

#[test]
fn opening_a_result_scrolls_to_the_match() {
    let dir = repo().join("samples");
    let data = tempfile::tempdir().unwrap();
    let mut store = kanbao::index::Store::open(data.path(), &dir, &mut Vec::new()).unwrap();
    store.sync(&dir, &mut |_, _, _| {}).unwrap();
    let mut a = App::new(
        store.issues().unwrap(),
        Settings::default(),
        "samples".into(),
    );
    a.apply(Action::Search(SearchAction::Open));
    let Some(Command::Query(n, q, _)) = a
        .apply(Action::Search(SearchAction::Paste("观星".into())))
        .pop()
    else {
        panic!("the query is sent");
    };
    a.search_result(n, kanbao::index::run_query(&store, &q, 50));
    a.apply(Action::Search(SearchAction::OpenResult));
    assert_eq!(a.focus, Pane::Reader);
    let buf = render(&mut a, 100, 20);
    assert!(!a.reader.match_lines.is_empty());
    assert!(screen(&buf).contains("观星"), "{}", screen(&buf));
    let first = a.reader.match_lines[0];
    assert!(
        first >= a.reader.scroll && first < a.reader.scroll + a.reader.height,
        "the first match is in view"
    );
    a.apply(Action::Go(Go::NextMatch));
    assert!(a.message.is_empty() || a.reader.match_lines.len() == 1);
}

#[test]
fn screens_at_two_sizes() {
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut a = app(Settings::default());
        let b = render(&mut a, w, h);
        let s = screen(&b);
        assert!(s.contains("samples · 6 issues"), "{s}");
        assert!(s.contains("2025-12-02"), "{s}");
        assert_borders_aligned(&b, "│");
        // article list, then the reader
        a.apply(Action::Go(Go::Open));
        let b = render(&mut a, w, h);
        assert!(screen(&b).contains("青年创新创业大赛落幕"));
        assert_borders_aligned(&b, "│");
        a.apply(Action::Go(Go::Open));
        let b = render(&mut a, w, h);
        let s = screen(&b);
        assert!(s.contains("第十届青年创新创业大赛"), "{s}");
        assert!(s.contains("１２０个团队"), "{s}");
        assert!(s.contains("article 1/2"), "{s}");
        assert_borders_aligned(&b, "│");
        // the search popup and the help overlay
        a.apply(Action::Search(SearchAction::Open));
        a.apply(Action::Search(SearchAction::Paste("“社区".into())));
        let b = render(&mut a, w, h);
        assert!(screen(&b).contains("/ “社区"));
        a.apply(Action::Search(SearchAction::Close));
        a.apply(Action::App(AppAction::ToggleHelp));
        let b = render(&mut a, w, h);
        let s = screen(&b);
        assert!(s.contains("next article while reading"), "{s}");
        assert!(s.contains("] "), "keys come from the keymap: {s}");
        // every binding can be reached: scroll to the end on a small screen
        for _ in 0..40 {
            a.apply(Action::Nav(Nav::Down));
        }
        let b = render(&mut a, w, h);
        let s = screen(&b);
        assert!(s.contains("q Ctrl-c") && s.contains("quit"), "{s}");
        assert!(a.help, "scrolling keeps the overlay open");
        a.apply(Action::Go(Go::Open));
        assert!(!a.help, "any other key closes it");
    }
}

#[test]
fn narrow_wide_and_tiny_terminals() {
    let mut a = app(Settings::default());
    // narrow: one pane at a time
    let b = render(&mut a, 60, 20);
    assert!(!screen(&b).contains("┐┌"), "one pane:\n{}", screen(&b));
    // wide: three panes
    let b = render(&mut a, 200, 40);
    assert_eq!(screen(&b).lines().next().unwrap().matches('┌').count(), 3);
    // usable at 40x12, no panic down to 1x1, and a storm of resizes
    let b = render(&mut a, 40, 12);
    assert!(screen(&b).contains("2025"));
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 2),
        (3, 3),
        (0, 0),
        (300, 5),
        (5, 300),
        (40, 12),
    ] {
        render(&mut a, w.max(1), h.max(1));
    }
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Search(SearchAction::Open));
    for w in 1..60u16 {
        render(&mut a, w, (w % 13) + 1);
    }
}

#[test]
fn ambiguous_width_two_uses_ascii_borders_and_keeps_alignment() {
    let mut a = app(Settings {
        ambiguous: 2,
        ..Settings::default()
    });
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Go(Go::Open));
    let b = render(&mut a, 160, 30);
    let s = screen(&b);
    assert!(
        !s.contains('│') && !s.contains('┌'),
        "box drawing is ambiguous-width:\n{s}"
    );
    assert!(s.contains('|'));
    assert_borders_aligned(&b, "|");
}

#[test]
fn popup_leaves_no_half_wide_glyph() {
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 10, 1));
    buf.set_string(0, 0, "劳动关系", ratatui::style::Style::default());
    // a popup starting at x=3 cuts 动 (cells 2-3); one ending before x=7 cuts 系 (cells 6-7)
    kanbao::tui::view::clear_popup(&mut buf, ratatui::layout::Rect::new(3, 0, 3, 1));
    assert_eq!(
        buf[(2, 0)].symbol(),
        " ",
        "left half of a cut glyph blanked"
    );
    assert_eq!(buf[(6, 0)].symbol(), "系", "untouched glyph stays");
    let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 10, 1));
    buf.set_string(0, 0, "劳动关系", ratatui::style::Style::default());
    kanbao::tui::view::clear_popup(&mut buf, ratatui::layout::Rect::new(2, 0, 3, 1));
    assert_eq!(
        buf[(5, 0)].symbol(),
        " ",
        "right half of a cut glyph blanked"
    );
}

#[test]
fn archive_text_cannot_reach_the_terminal_as_control_codes() {
    let nasty = "标题\u{1b}]52;c;aGk=\u{7}\u{1b}[31m红\u{9b}2J\u{202e}abc";
    let r = Record {
        id: "x".into(),
        issue: "i".into(),
        source: "a.txt".into(),
        seq: 1,
        kind: Kind::Article,
        section: String::new(),
        kicker: String::new(),
        title: nasty.into(),
        subtitle: String::new(),
        byline: nasty.into(),
        dateline: String::new(),
        paragraphs: vec![nasty.into()],
        date: String::new(),
    };
    let issue = Issue {
        meta: IssueMeta {
            source: nasty.into(),
            ..Default::default()
        },
        records: vec![r],
    };
    let mut a = App::new(vec![issue], Settings::default(), nasty.into());
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Go(Go::Open));
    let b = render(&mut a, 120, 20);
    for cell in b.content() {
        for c in cell.symbol().chars() {
            let u = c as u32;
            assert!(
                !(u < 0x20 || (0x7f..=0x9f).contains(&u) || (0x202a..=0x202e).contains(&u)),
                "control {u:#x} on screen"
            );
        }
    }
    assert!(screen(&b).contains('␛'), "shown as a visible stand-in");
}

#[test]
fn terminal_cursor_stands_at_the_search_caret() {
    use ratatui::backend::Backend;
    let mut a = app(Settings::default());
    a.apply(Action::Search(SearchAction::Open));
    a.apply(Action::Search(SearchAction::Paste("劳动ab".into())));
    a.apply(Action::Search(SearchAction::Left));
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    a.apply(Action::App(AppAction::Resize(100, 30)));
    let theme = Theme::new(false);
    let mut expected = None;
    t.draw(|f| {
        let d = kanbao::tui::view::draw(f, &a, &theme);
        expected = d.cursor;
        f.set_cursor_position(d.cursor.unwrap());
    })
    .unwrap();
    let (x, y) = expected.unwrap();
    let pos = t.backend_mut().get_cursor_position().unwrap();
    assert_eq!((pos.x, pos.y), (x, y));
    // the caret is after 劳动a: the prompt "/ " then 2+2+1 cells
    let b = t.backend().buffer().clone();
    let line = row(&b, y);
    let prompt_col = line
        .find("/ ")
        .map(|i| kanbao::wrap::width(&line[..i], 1))
        .unwrap() as u16;
    assert_eq!(x, prompt_col + 2 + 5);
}

#[test]
fn text_box_keys_come_from_the_keymap_too() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use kanbao::tui::keys::key;
    let ev = |c: KeyCode, m: KeyModifiers| KeyEvent::new(c, m);
    let mut a = app(Settings::default());
    a.apply(Action::Search(SearchAction::Open));
    // defaults: Esc closes, Ctrl-w deletes a word, letters type themselves
    assert_eq!(
        key(&a.keymap, a.key_ctx(), ev(KeyCode::Esc, KeyModifiers::NONE)),
        Some(Action::Search(SearchAction::Close))
    );
    assert_eq!(
        key(
            &a.keymap,
            a.key_ctx(),
            ev(KeyCode::Char('w'), KeyModifiers::CONTROL)
        ),
        Some(Action::Search(SearchAction::DeleteWord))
    );
    assert_eq!(
        key(
            &a.keymap,
            a.key_ctx(),
            ev(KeyCode::Char('q'), KeyModifiers::NONE)
        ),
        Some(Action::Search(SearchAction::Input('q')))
    );
    // rebound: Ctrl-g cancels, Esc does nothing now
    a.keymap.bind_input("cancel", &["Ctrl-g".into()]).unwrap();
    a.keymap.check().unwrap();
    assert_eq!(
        key(
            &a.keymap,
            a.key_ctx(),
            ev(KeyCode::Char('g'), KeyModifiers::CONTROL)
        ),
        Some(Action::Search(SearchAction::Close))
    );
    assert_eq!(
        key(&a.keymap, a.key_ctx(), ev(KeyCode::Esc, KeyModifiers::NONE)),
        None
    );
    // the help lists the text box keys as bound
    let rows = a.keymap.help_rows();
    assert!(
        rows.iter()
            .any(|(k, h)| k == "Ctrl-g" && h == "search box: close the box"),
        "{rows:?}"
    );
    // a plain character cannot be bound in a text box: it would stop being typed
    assert!(a.keymap.bind_input("submit", &["x".into()]).is_err());
    // Ctrl-c quits and Ctrl-z suspends from inside the box
    assert_eq!(
        key(
            &a.keymap,
            a.key_ctx(),
            ev(KeyCode::Char('c'), KeyModifiers::CONTROL)
        ),
        Some(Action::App(AppAction::Quit))
    );
    assert_eq!(
        key(
            &a.keymap,
            a.key_ctx(),
            ev(KeyCode::Char('z'), KeyModifiers::CONTROL)
        ),
        Some(Action::App(AppAction::Suspend))
    );
}

#[test]
fn the_status_line_shows_indexing_progress() {
    let mut a = app(Settings::default());
    a.indexing = Some((120, 5078));
    let b = render(&mut a, 100, 20);
    assert!(
        row(&b, 19).contains("indexing 120/5078 files"),
        "{}",
        screen(&b)
    );
    a.indexing = None;
    let b = render(&mut a, 100, 20);
    assert!(!row(&b, 19).contains("indexing"), "{}", screen(&b));
}

/// An app over a catalog's list reads an issue's records only when it shows them, reads each
/// issue once, keeps few in memory however far one scrolls, and shows the same screen as an
/// app given every record.
#[test]
fn an_app_over_the_catalog_reads_only_the_issues_it_shows() {
    use kanbao::index::catalog::Listed;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // many issues: the samples, each many times over under other paths
    let base = sample_issues();
    let mut issues = Vec::new();
    for k in 0..200 {
        for i in &base {
            let mut i = i.clone();
            i.meta.source = format!("{k:03}/{}", i.meta.source);
            i.meta.id = format!("{k:03}-{}", i.meta.id);
            for r in &mut i.records {
                r.source = i.meta.source.clone();
            }
            issues.push(i);
        }
    }
    kanbao::model::sort_newest_first(&mut issues);
    let by_source: std::collections::HashMap<String, Vec<Record>> = issues
        .iter()
        .map(|i| (i.meta.source.clone(), i.records.clone()))
        .collect();
    let reads = Arc::new(AtomicUsize::new(0));
    let r2 = reads.clone();
    let loader: kanbao::tui::app::Loader = Arc::new(move |source: &str| {
        r2.fetch_add(1, Ordering::SeqCst);
        Ok(by_source.get(source).cloned().unwrap_or_default())
    });
    let listed: Vec<Listed> = issues.iter().map(Listed::of).collect();
    let mut lazy = App::listed(listed, loader, Settings::default(), "many".into());
    let mut full = App::new(issues.clone(), Settings::default(), "many".into());
    assert_eq!(
        reads.load(Ordering::SeqCst),
        0,
        "nothing read before drawing"
    );
    assert_eq!(lazy.loaded_issues(), 0);
    let (s_lazy, s_full) = (
        screen(&render(&mut lazy, 160, 40)),
        screen(&render(&mut full, 160, 40)),
    );
    assert_eq!(s_lazy, s_full);
    // the issue list's counts come from the catalog; only the selected issue was read
    assert_eq!(lazy.loaded_issues(), 1, "{}", reads.load(Ordering::SeqCst));
    // walk down the whole list, drawing each step: each issue read once, few kept
    let n = lazy.issues.len();
    for _ in 0..n {
        for a in [&mut lazy, &mut full] {
            a.apply(Action::Nav(Nav::Down));
        }
        let _ = render(&mut lazy, 160, 40);
        assert!(lazy.loaded_issues() <= 300, "{}", lazy.loaded_issues());
    }
    assert_eq!(lazy.issue_sel, n - 1);
    assert!(reads.load(Ordering::SeqCst) <= n + 1);
    assert_eq!(
        screen(&render(&mut lazy, 160, 40)),
        screen(&render(&mut full, 160, 40))
    );
    // jumping to the top reads the first issue again if it was dropped, and shows it
    for a in [&mut lazy, &mut full] {
        a.apply(Action::Nav(Nav::Top));
    }
    assert_eq!(
        screen(&render(&mut lazy, 160, 40)),
        screen(&render(&mut full, 160, 40))
    );
}
