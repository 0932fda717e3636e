//! Search as a place you come back to, and the keys of newsboat and notmuch users: the results
//! list as a view (Esc from a hit goes back to it), the preview, history (Up/Down, Ctrl-R),
//! saved searches and the folders above the issues, snippets that show the match at any width,
//! the prompt keys (: F |), J K P H, undo that says what it undid, and the smaller fixes of the
//! status line and the lists. TestBackend screens; the journeys that need the real binary are
//! in tests/tui_tmux.rs.

mod common;

use common::screen::{render, row, screen};
use common::*;
use kanbao::index::Store;
use kanbao::tui::action::*;
use kanbao::tui::app::{App, Command, Pane, Settings};
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

struct Fixture {
    store: Store,
    _data: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let dir = repo().join("samples");
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(data.path(), &dir, &mut Vec::new()).unwrap();
    store.sync(&dir, &mut |_, _, _| {}).unwrap();
    Fixture { store, _data: data }
}

fn app_of(fx: &Fixture) -> App {
    let mut a = App::new(
        fx.store.issues().unwrap(),
        Settings::default(),
        "samples".into(),
    );
    a.apply(Action::App(AppAction::Resize(120, 36)));
    a
}

/// How many hits the search shows.
fn hit_count(a: &App) -> usize {
    a.search
        .as_ref()
        .and_then(|s| s.result.as_ref())
        .map_or(0, |r| r.hits.len())
}

/// The app reading the first article of the newest issue.
fn reading(fx: &Fixture) -> App {
    let mut a = app_of(fx);
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Go(Go::Open));
    a
}

/// Carry out the queries the app asks for, as the worker would.
fn run(fx: &Fixture, a: &mut App, cmds: Vec<Command>) {
    for c in cmds {
        if let Command::Query(n, q, limit) = c {
            let sets = std::sync::Arc::new(kanbao::state::StateSets::from_marks(
                a.triage.marks().iter(),
            ));
            let r = kanbao::index::run_query_with(&fx.store, &q, limit, &mut || Ok(sets.clone()));
            a.search_result(n, r);
        }
    }
}

fn search(fx: &Fixture, a: &mut App, q: &str) {
    let mut cmds = a.apply(Action::Search(SearchAction::Open));
    for c in q.chars() {
        cmds.extend(a.apply(Action::Search(SearchAction::Input(c))));
    }
    run(fx, a, cmds);
}

/// The highlighted runs of row `y` (the theme without colour reverses and underlines them).
fn highlighted(b: &Buffer, y: u16) -> Vec<String> {
    let mut runs: Vec<String> = Vec::new();
    let mut open = false;
    let mut x = 0;
    while x < b.area.width {
        let c = &b[(x, y)];
        let hl = c.modifier.contains(Modifier::UNDERLINED);
        if hl {
            if !open {
                runs.push(String::new());
            }
            runs.last_mut().unwrap().push_str(c.symbol());
        }
        open = hl;
        x += kanbao::wrap::width(c.symbol(), 1).max(1) as u16;
    }
    runs
}

#[test]
fn esc_from_a_hit_goes_back_to_the_results_with_the_selection_kept() {
    let fx = fixture();
    let mut a = app_of(&fx);
    search(&fx, &mut a, "社区");
    let hits = hit_count(&a);
    assert!(hits >= 3, "社区 is in several sample articles: {hits}");
    // Tab to the list, j to the second hit, Enter opens it
    a.apply(Action::Search(SearchAction::ToResults));
    assert!(a.in_results());
    a.apply(Action::Nav(Nav::Down));
    let second = a.selected_hit_id().unwrap();
    a.apply(Action::Go(Go::Open));
    assert_eq!(a.focus, Pane::Reader);
    assert!(a.search.is_none());
    assert_eq!(a.current_record().unwrap().id, second);
    let s = screen(&render(&mut a, 120, 36));
    assert!(s.contains("社区"), "{s}");
    // Esc: the results again, the same hit selected
    a.apply(Action::Go(Go::Back));
    let srch = a.search.as_ref().expect("back to the results");
    assert!(srch.in_list && srch.selected == 1);
    assert_eq!(srch.text(), "社区");
    let s = screen(&render(&mut a, 120, 36));
    assert!(s.contains("results: j k move"), "{s}");
    // ] while reading a hit opens the next hit
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Go(Go::NextArticle));
    assert_eq!(a.parked.as_ref().unwrap().selected, 2);
    assert_eq!(a.message, format!("result 3/{hits}"));
    a.apply(Action::Go(Go::PrevArticle));
    assert_eq!(a.current_record().unwrap().id, second);
    // / while reading a hit: its query in the box, to change it
    a.apply(Action::Search(SearchAction::Open));
    let srch = a.search.as_ref().expect("the search is back");
    assert!(!srch.in_list && srch.text() == "社区" && srch.selected == 1);
    // Esc in the results closes the search, back to where the reader was
    a.apply(Action::Search(SearchAction::ToResults));
    a.apply(Action::Go(Go::Back));
    assert!(a.search.is_none());
    // / reopens the box
    a.apply(Action::Search(SearchAction::Open));
    assert!(a.search.is_some() && !a.in_results());
}

#[test]
fn the_selected_hit_is_previewed_beside_the_list_on_wide_terminals() {
    let fx = fixture();
    let mut a = app_of(&fx);
    search(&fx, &mut a, "花园");
    let hit = a.search.as_ref().unwrap().result.as_ref().unwrap().hits[0].clone();
    let rec = a.record(&hit.id).unwrap().clone();
    let body_start: String = rec.paragraphs[0].chars().take(6).collect();
    let wide = screen(&render(&mut a, 160, 40));
    let narrow = screen(&render(&mut a, 90, 30));
    // the article's text, wrapped beside the list, with the match highlighted
    let b = render(&mut a, 160, 40);
    let hl: Vec<String> = (0..40).flat_map(|y| highlighted(&b, y)).collect();
    assert!(
        hl.iter().filter(|h| h.contains("花园")).count() >= 2,
        "{hl:?}\n{wide}"
    );
    assert!(
        wide.contains(&body_start) || wide.contains(&rec.title[..rec.title.len().min(9)]),
        "preview at 160 columns:\n{wide}"
    );
    assert!(
        !narrow.contains('│') || !narrow.contains(&body_start),
        "{narrow}"
    );
}

#[test]
fn snippets_show_the_whole_match_at_60_80_and_120_columns() {
    let fx = fixture();
    // CJK, Latin and mixed queries over the samples
    for q in [
        "花园",
        "社区规划师",
        "共享花园",
        "2024",
        "Halvorsen",
        "ingrid halvorsen",
        "挪威 Halvorsen",
        "运动会 3月8日",
    ] {
        for w in [60u16, 80, 120] {
            let mut a = app_of(&fx);
            search(&fx, &mut a, q);
            let Some(res) = a.search.as_ref().unwrap().result.clone() else {
                panic!("{q}: no answer")
            };
            assert!(!res.hits.is_empty(), "{q}: every query finds something");
            let b = render(&mut a, w, 30);
            let terms: Vec<String> = q.split(' ').map(|t| t.to_lowercase()).collect();
            // each hit takes three rows (title, place, snippet): every snippet row on screen
            // holds a whole match, highlighted
            let snippet_rows: Vec<u16> = (0..30)
                .filter(|&y| row(&b, y).starts_with("│  ") || row(&b, y).starts_with("|  "))
                .filter(|&y| !highlighted(&b, y).is_empty())
                .collect();
            let shown = ((30 * 9 / 10 - 4) / 3).min(res.hits.len() as u16) as usize;
            let literal = res
                .hits
                .iter()
                .take(shown)
                .filter(|h| h.via.is_none())
                .count();
            assert!(
                snippet_rows.len() >= literal,
                "{q} at {w}: {} snippet rows show a match, {literal} literal hits on screen\n{}",
                snippet_rows.len(),
                screen(&b)
            );
            for y in snippet_rows {
                for h in highlighted(&b, y) {
                    let h = h.to_lowercase();
                    assert!(
                        terms.iter().any(|t| h.contains(t.as_str())),
                        "{q} at {w}: a cut match {h:?} in {:?}",
                        row(&b, y)
                    );
                }
            }
        }
    }
}

#[test]
fn history_up_down_and_ctrl_r() {
    let fx = fixture();
    let mut a = app_of(&fx);
    a.history = vec!["社区规划师".into(), "花园".into(), "观星".into()];
    a.apply(Action::Search(SearchAction::Open));
    for c in "田".chars() {
        a.apply(Action::Search(SearchAction::Input(c)));
    }
    let text = |a: &App| a.search.as_ref().unwrap().text();
    a.apply(Action::Search(SearchAction::HistoryPrev));
    assert_eq!(text(&a), "观星");
    let cmds = a.apply(Action::Search(SearchAction::HistoryPrev));
    assert_eq!(text(&a), "花园");
    assert!(
        matches!(&cmds[..], [Command::Query(_, q, _)] if q == "花园"),
        "recalling runs the query: {cmds:?}"
    );
    a.apply(Action::Search(SearchAction::HistoryNext));
    a.apply(Action::Search(SearchAction::HistoryNext));
    assert_eq!(text(&a), "田", "past the newest: what was typed");
    // Ctrl-R: type part of an old query
    a.apply(Action::Search(SearchAction::HistorySearch));
    a.apply(Action::Search(SearchAction::Input('规')));
    assert_eq!(text(&a), "社区规划师");
    let s = screen(&render(&mut a, 100, 30));
    assert!(s.contains("(history) 规: 社区规划师"), "{s}");
    // Enter takes it; Esc in another Ctrl-R gives back what was typed
    a.apply(Action::Search(SearchAction::OpenResult));
    assert_eq!(text(&a), "社区规划师");
    a.apply(Action::Search(SearchAction::HistorySearch));
    a.apply(Action::Search(SearchAction::Input('星')));
    assert_eq!(text(&a), "观星");
    a.apply(Action::Search(SearchAction::Close));
    assert_eq!(text(&a), "社区规划师");
    // opening a hit puts its query in the history, once, newest
    run(&fx, &mut a, vec![Command::Query(99, "花园".into(), 50)]);
    a.search.as_mut().unwrap().input = "花园".chars().collect();
    let cmds = a.apply(Action::Search(SearchAction::OpenResult));
    assert!(
        cmds.contains(&Command::RememberQuery("花园".into())),
        "{cmds:?}"
    );
    assert_eq!(a.history, vec!["社区规划师", "观星", "花园"]);
}

#[test]
fn saved_searches_and_archive_wide_folders_are_listed_with_the_issues() {
    let fx = fixture();
    let mut a = app_of(&fx);
    search(&fx, &mut a, "花园");
    let cmds = a.apply(Action::Search(SearchAction::Save));
    assert_eq!(cmds, vec![Command::SaveSearch("花园".into())]);
    a.saved = vec!["花园".into()]; // as the loop does once stored
    a.apply(Action::Search(SearchAction::Close));
    // star one article and tag another: the folders above the issues
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Triage(TriageAction::ToggleStar));
    let starred = a.current_record().unwrap().id.clone();
    a.apply(Action::Go(Go::Back));
    let s = screen(&render(&mut a, 120, 36));
    for label in ["● unread", "★ starred 1", "/ 花园"] {
        assert!(s.contains(label), "{label}:\n{s}");
    }
    // k from the first issue reaches the folders; Enter on ★ starred runs is:starred
    a.apply(Action::Nav(Nav::Top));
    a.apply(Action::Nav(Nav::Up));
    a.apply(Action::Nav(Nav::Up));
    assert_eq!(
        a.folder_sel,
        Some(1),
        "★ starred (below ● unread, above / 花园)"
    );
    let cmds = a.apply(Action::Go(Go::Open));
    assert!(
        matches!(&cmds[..], [Command::Query(_, q, 1000)] if q == "is:starred"),
        "{cmds:?}"
    );
    run(&fx, &mut a, cmds);
    assert!(a.in_results());
    assert_eq!(a.selected_hit_id().as_deref(), Some(starred.as_str()));
    a.apply(Action::Go(Go::Back));
    // D on the saved search deletes it
    a.apply(Action::Nav(Nav::Down));
    let cmds = a.apply(Action::App(AppAction::DeleteSearch));
    assert_eq!(cmds, vec![Command::UnsaveSearch("花园".into())]);
    assert!(a.saved.is_empty());
    // D elsewhere says what it needs
    a.apply(Action::Nav(Nav::Bottom));
    assert!(a.apply(Action::App(AppAction::DeleteSearch)).is_empty());
    assert!(a.message.contains("select a saved search"), "{}", a.message);
}

#[test]
fn saved_searches_and_history_are_kept_in_the_data_folder() {
    let t = tempfile::tempdir().unwrap();
    kanbao::queries::append_history(t.path(), "花园").unwrap();
    kanbao::queries::append_history(t.path(), "观星").unwrap();
    kanbao::queries::save(t.path(), "tag:劳动").unwrap();
    assert_eq!(
        kanbao::queries::load_history(t.path()).unwrap(),
        vec!["花园", "观星"]
    );
    assert_eq!(
        kanbao::queries::load_saved(t.path()).unwrap(),
        vec!["tag:劳动"]
    );
}

#[test]
fn next_and_previous_issue_while_reading() {
    let fx = fixture();
    let mut a = reading(&fx);
    let first = a.issue_sel;
    a.apply(Action::Go(Go::NextIssue));
    assert_eq!(a.issue_sel, first + 1);
    assert_eq!(
        a.focus,
        Pane::Reader,
        "still reading: the next issue's first article"
    );
    assert_eq!(a.article_sel, 0);
    a.apply(Action::Go(Go::PrevIssue));
    assert_eq!(a.issue_sel, first);
    a.apply(Action::Go(Go::PrevIssue));
    assert_eq!(a.message, "this is the newest issue");
}

#[test]
fn previous_unread_hide_read_issues_and_mark_all_read_with_undo() {
    let fx = fixture();
    let mut a = app_of(&fx);
    // read the whole first issue (M), then P from the second issue's first article goes back
    // to the last unread one before it: none in issue 1, so it wraps to the oldest issue
    a.apply(Action::Triage(TriageAction::MarkIssueRead));
    let n = a.issues[0].n_articles;
    assert_eq!(a.message, format!("{n} articles marked read (u undoes)"));
    let cmds = a.apply(Action::Triage(TriageAction::Undo));
    assert_eq!(cmds.len(), n, "each article unread again: {cmds:?}");
    assert_eq!(a.message, format!("undid marking {n} articles read"));
    a.apply(Action::Triage(TriageAction::MarkIssueRead));
    a.apply(Action::Go(Go::NextIssue));
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Nav(Nav::Down));
    a.apply(Action::Triage(TriageAction::NextUnread));
    let at = (a.issue_sel, a.article_sel);
    a.apply(Action::Triage(TriageAction::PrevUnread));
    assert_eq!(
        (a.issue_sel, a.article_sel),
        (at.0, at.1 - 1),
        "P: the one before"
    );
    // H hides the read first issue
    a.apply(Action::Go(Go::Back));
    a.apply(Action::Go(Go::Back));
    a.apply(Action::Triage(TriageAction::ToggleHideRead));
    assert!(!a.visible_issues().contains(&0));
    let s = screen(&render(&mut a, 120, 36));
    assert!(s.contains("unread only"), "{s}");
    // the list follows the marks while it hides: u makes the first issue's articles unread
    a.apply(Action::Triage(TriageAction::Undo));
    assert!(a.visible_issues().contains(&0), "shown again once unread");
    let s = screen(&render(&mut a, 120, 36));
    assert!(s.contains(a.issues[0].date()), "{s}");
    a.apply(Action::Triage(TriageAction::ToggleHideRead));
    assert!(a.visible_issues().contains(&0));
}

#[test]
fn jump_to_a_date_and_filter_the_issue_list_as_you_type() {
    let fx = fixture();
    let mut a = app_of(&fx);
    let dates: Vec<String> = a.issues.iter().map(|i| i.date().to_string()).collect();
    let target = dates[dates.len() / 2].clone();
    a.apply(Action::App(AppAction::JumpToDate));
    for c in target.chars() {
        a.apply(Action::Prompt(PromptAction::Input(c)));
    }
    let s = screen(&render(&mut a, 100, 30));
    assert!(s.contains(&format!("go to date: {target}")), "{s}");
    a.apply(Action::Prompt(PromptAction::Submit));
    assert_eq!(a.issues[a.issue_sel].date(), target);
    // a date with no issue: the nearest before it
    a.apply(Action::App(AppAction::JumpToDate));
    for c in "2099-01".chars() {
        a.apply(Action::Prompt(PromptAction::Input(c)));
    }
    a.apply(Action::Prompt(PromptAction::Submit));
    assert_eq!(a.issue_sel, 0);
    assert!(a.message.contains("the nearest is"), "{}", a.message);
    a.apply(Action::App(AppAction::JumpToDate));
    a.apply(Action::Prompt(PromptAction::Input('x')));
    a.apply(Action::Prompt(PromptAction::Submit));
    assert!(a.message.starts_with("not a date"), "{}", a.message);
    // F: each key narrows the list
    a.apply(Action::App(AppAction::FilterIssues));
    let all = a.visible_issues().len();
    a.apply(Action::Prompt(PromptAction::Input('2')));
    a.apply(Action::Prompt(PromptAction::Input('0')));
    a.apply(Action::Prompt(PromptAction::Input('2')));
    a.apply(Action::Prompt(PromptAction::Input('5')));
    let some = a.visible_issues();
    assert!(
        !some.is_empty() && some.len() < all,
        "{} of {all}",
        some.len()
    );
    assert!(some
        .iter()
        .all(|&i| a.issues[i].date().starts_with("2025") || a.issues[i].source().contains("2025")));
    assert!(
        some.contains(&a.issue_sel),
        "the selection is on a shown issue"
    );
    a.apply(Action::Prompt(PromptAction::Submit));
    let s = screen(&render(&mut a, 120, 36));
    assert!(s.contains("filter \"2025\""), "{s}");
    // Esc in the prompt gives back the list as it was
    a.apply(Action::App(AppAction::FilterIssues));
    a.apply(Action::Prompt(PromptAction::Input('x')));
    assert!(a.visible_issues().is_empty());
    a.apply(Action::Prompt(PromptAction::Cancel));
    assert_eq!(a.visible_issues(), some);
}

#[test]
fn pipe_sends_the_article_to_a_command() {
    let fx = fixture();
    let mut a = reading(&fx);
    a.apply(Action::App(AppAction::Pipe));
    for c in "wc -c".chars() {
        a.apply(Action::Prompt(PromptAction::Input(c)));
    }
    let cmds = a.apply(Action::Prompt(PromptAction::Submit));
    let r = a.current_record().unwrap();
    assert_eq!(
        cmds,
        vec![Command::Pipe("wc -c".into(), kanbao::article::to_text(r))]
    );
}

#[test]
fn undo_says_what_it_undid() {
    let fx = fixture();
    let mut a = app_of(&fx);
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Triage(TriageAction::ToggleStar));
    let title = a.current_record().unwrap().display_title();
    a.apply(Action::Nav(Nav::Down));
    a.apply(Action::Triage(TriageAction::ToggleRead));
    a.apply(Action::Triage(TriageAction::Undo));
    assert!(
        a.message.starts_with("undid marking read of 「"),
        "{}",
        a.message
    );
    // the star was on another article than the one selected: undo names it
    a.apply(Action::Triage(TriageAction::Undo));
    assert_eq!(a.message, format!("undid starring of 「{title}」"));
}

#[test]
fn star_in_the_issue_list_does_not_touch_an_article() {
    let fx = fixture();
    let mut a = app_of(&fx);
    assert_eq!(a.focus, Pane::Issues);
    let cmds = a.apply(Action::Triage(TriageAction::ToggleStar));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(a.triage.marks().values().all(|m| !m.starred));
    assert!(
        a.message.contains("select an article first"),
        "{}",
        a.message
    );
}

#[test]
fn a_starred_unread_article_shows_both_marks() {
    let fx = fixture();
    let mut a = app_of(&fx);
    a.apply(Action::Go(Go::Open));
    a.apply(Action::Triage(TriageAction::ToggleStar));
    let s = screen(&render(&mut a, 120, 36));
    assert!(s.contains("●★ "), "{s}");
    a.apply(Action::Triage(TriageAction::ToggleRead));
    let s = screen(&render(&mut a, 120, 36));
    assert!(s.contains(" ★ ") && !s.contains("●★"), "{s}");
}

#[test]
fn the_status_line_keeps_a_gap_before_the_key_hints_at_60_columns() {
    let fx = fixture();
    let mut a = reading(&fx);
    let b = render(&mut a, 60, 20);
    let status = row(&b, 19);
    assert!(kanbao::wrap::width(&status, 1) <= 60);
    let hint = ["? help  / search  q quit", "? help  q quit", "? help"]
        .into_iter()
        .find(|h| status.trim_end().ends_with(h));
    if let Some(h) = hint {
        let before = status.trim_end().strip_suffix(h).unwrap();
        assert!(before.ends_with("  "), "no gap: {status:?}");
    }
    assert!(status.contains("article 1/"), "{status:?}");
}

#[test]
fn the_empty_folder_message_is_shown_whole_at_any_width() {
    for w in [60u16, 120, 200] {
        let mut a = App::new(Vec::new(), Settings::default(), "empty".into());
        let b = render(&mut a, w, 20);
        // the issue pane: up to its top-right corner
        let right = (0..w).find(|&x| b[(x, 0)].symbol() == "┐").unwrap();
        let s: String = (1..19)
            .map(|y| (1..right).map(|x| b[(x, y)].symbol()).collect::<String>())
            .collect::<String>()
            .replace(' ', "");
        assert!(
            s.contains("noissues:thisfolderhasno.txtor.mdfiles.Addissuefiles(onepageorissueoftexteach)andtheyappearhere."),
            "{w}: {s}"
        );
    }
}

#[test]
fn the_issue_and_view_are_restored() {
    let fx = fixture();
    let mut a = app_of(&fx);
    a.apply(Action::Nav(Nav::Down));
    a.apply(Action::Nav(Nav::Down));
    a.apply(Action::Triage(TriageAction::CycleView));
    let (issue, view, hide) = a.place();
    let mut b = app_of(&fx);
    b.restore_place(&issue, &view, hide);
    assert_eq!(b.issue_sel, 2);
    assert_eq!(b.triage.view.name(), "unread");
}

/// Snippets are made for a screen of hits and some: moving the selection near the end of what
/// was loaded asks for the same query with twice as many, and the selection stays where it was.
#[test]
fn more_hits_are_asked_for_near_the_end_and_the_selection_stays() {
    let fx = fixture();
    let mut a = app_of(&fx);
    search(&fx, &mut a, "本报");
    let one = a.search.as_ref().unwrap().result.clone().unwrap();
    assert!(one.hits.len() >= 3);
    // pretend the archive holds 100 such records and the first answer brought 20 of them
    let fake = |n: usize| {
        let mut r = one.clone();
        r.total = 100;
        r.hits = (0..n)
            .map(|i| one.hits[i % one.hits.len()].clone())
            .collect();
        r
    };
    let sent = a.search.as_ref().unwrap().sent;
    a.search_result(sent, Ok(fake(20)));
    a.apply(Action::Search(SearchAction::ToResults));
    let mut asked = Vec::new();
    for _ in 0..16 {
        asked.extend(a.apply(Action::Nav(Nav::Down)));
    }
    assert_eq!(a.search.as_ref().unwrap().selected, 16);
    let [Command::Query(n, q, limit)] = &asked[..] else {
        panic!("one request for more: {asked:?}")
    };
    assert_eq!((q.as_str(), *limit), ("本报", 40));
    // the answer keeps the selection
    a.search_result(*n, Ok(fake(40)));
    assert_eq!(a.search.as_ref().unwrap().selected, 16);
    assert_eq!(hit_count(&a), 40);
    // a new query starts at its best hit
    let cmds = a.apply(Action::Search(SearchAction::Open));
    assert!(cmds.is_empty());
    let cmds = a.apply(Action::Search(SearchAction::Input('社')));
    let [Command::Query(n, _, limit)] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(*limit, 20);
    a.search_result(*n, Ok(fake(20)));
    assert_eq!(a.search.as_ref().unwrap().selected, 0);
}
