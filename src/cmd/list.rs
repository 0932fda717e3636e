//! `kanbao list [--articles] [--unread] [--starred] [--tag T] [--orphans] [--json]`.

use crate::index::Store;
use crate::model::Kind;
use crate::state::{Marks, State};
use crate::text::{fit, sanitize_for_terminal};
use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;

/// One article as `list --articles` and `list --orphans` print it: id, unread ● and star ★,
/// title (40 cells), file, #tags.
struct ArticleLine<'a, T: Iterator<Item = &'a String>> {
    id: &'a str,
    read: bool,
    starred: bool,
    title: &'a str,
    source: &'a str,
    tags: T,
}

impl<'a, T: Iterator<Item = &'a String>> ArticleLine<'a, T> {
    fn write(self, out: &mut impl Write, ambiguous: u8) -> std::io::Result<()> {
        let flags = format!(
            "{}{}",
            if self.read { ' ' } else { '●' },
            if self.starred { '★' } else { ' ' }
        );
        let tags = self
            .tags
            .map(|t| format!("#{t}"))
            .collect::<Vec<_>>()
            .join(" ");
        writeln!(
            out,
            "{}  {flags} {}  {}  {}",
            self.id,
            fit(&sanitize_for_terminal(self.title), 40, ambiguous),
            sanitize_for_terminal(self.source),
            sanitize_for_terminal(&tags)
        )
    }
}

pub fn run(
    ctx: &super::Ctx,
    f: &Filter,
    articles: bool,
    orphans: bool,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let data = ctx.data_dir()?;
    let store = super::open::open_checked(&data, &ctx.archive, true)?;
    let mut state = State::open(&data)?;
    let ambiguous = ctx.global.settings(&ctx.config).ambiguous;
    if orphans {
        list_orphans(&store, &state, json, ambiguous)?;
    } else {
        list(&store, &mut state, articles, f, json, ambiguous)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub struct Filter {
    pub unread: bool,
    pub starred: bool,
    pub tag: Option<String>,
}

impl Filter {
    pub fn keeps(&self, m: Option<&Marks>) -> bool {
        let read = m.is_some_and(|m| m.read);
        let starred = m.is_some_and(|m| m.starred);
        (!self.unread || !read)
            && (!self.starred || starred)
            && self
                .tag
                .as_ref()
                .is_none_or(|t| m.is_some_and(|m| m.tags.contains(t)))
    }
}

/// Issue ids that appeared since the previous reader session.
pub fn new_issue_ids(state: &mut State, ids: &[String]) -> anyhow::Result<HashSet<String>> {
    state.see_issues(ids)?;
    let prev = state.previous_session()?;
    state.issues_new_since(prev)
}

/// Every issue from the index's catalog, newest first like the reader; with `articles`, one
/// line per article instead (each issue's records read from the index in turn, never the
/// whole archive at once).
pub fn list(
    store: &Store,
    state: &mut State,
    articles: bool,
    f: &Filter,
    json: bool,
    ambiguous: u8,
) -> anyhow::Result<()> {
    let issues = store.listed(None)?;
    let marks = state.all_marks()?;
    let ids: Vec<String> = issues.iter().map(|l| l.meta.id.clone()).collect();
    let new = new_issue_ids(state, &ids)?;
    let shelf = store.shelf();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for iv in &issues {
        if articles {
            let records = shelf.records_of_source(&iv.meta.source)?;
            for r in records.iter().filter(|r| r.kind == Kind::Article) {
                let m = marks.get(&r.id);
                if !f.keeps(m) {
                    continue;
                }
                let (read, starred) = (m.is_some_and(|m| m.read), m.is_some_and(|m| m.starred));
                let tags: Vec<&String> = m.map(|m| m.tags.iter().collect()).unwrap_or_default();
                if json {
                    let v = serde_json::json!({
                        "id": r.id, "title": r.display_title(), "source": r.source, "issue": r.issue,
                        "seq": r.seq, "date": r.date, "read": read, "starred": starred, "tags": tags,
                    });
                    writeln!(out, "{v}")?;
                } else {
                    let line = ArticleLine {
                        id: &r.id,
                        read,
                        starred,
                        title: &r.display_title(),
                        source: &r.source,
                        tags: tags.into_iter(),
                    };
                    line.write(&mut out, ambiguous)?;
                }
            }
        } else {
            let arts: Vec<&str> = iv.article_ids().collect();
            let kept = arts.iter().filter(|id| f.keeps(marks.get(**id))).count();
            if (f.unread || f.starred || f.tag.is_some()) && kept == 0 {
                continue;
            }
            let unread = arts
                .iter()
                .filter(|id| !marks.get(**id).is_some_and(|m| m.read))
                .count();
            let is_new = new.contains(&iv.meta.id);
            if json {
                let v = serde_json::json!({
                    "id": iv.meta.id, "title": iv.lead, "source": iv.meta.source, "date": iv.meta.date,
                    "paper": iv.meta.paper, "articles": arts.len(), "unread": unread, "new": is_new,
                    "read": unread == 0, "starred": arts.iter().any(|id| marks.get(*id).is_some_and(|m| m.starred)),
                    "tags": arts.iter().flat_map(|id| marks.get(*id).map(|m| m.tags.clone()).unwrap_or_default()).collect::<std::collections::BTreeSet<_>>(),
                });
                writeln!(out, "{v}")?;
            } else {
                writeln!(
                    out,
                    "{}  {} {:10} {:3}/{:<3} {}  {}",
                    iv.meta.id,
                    if is_new { "new" } else { "   " },
                    iv.meta.date,
                    unread,
                    arts.len(),
                    sanitize_for_terminal(&iv.meta.source),
                    sanitize_for_terminal(&iv.lead)
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// `kanbao list --orphans`: marks whose article is gone, with what it said.
pub fn list_orphans(store: &Store, state: &State, json: bool, ambiguous: u8) -> anyhow::Result<()> {
    let marks = state.all_marks()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for a in state.anchors(&crate::follow::archive_key(store))? {
        let Some(when) = a.orphaned else { continue };
        let m = marks.get(&a.id).cloned().unwrap_or_default();
        if json {
            let v = serde_json::json!({
                "id": a.id, "title": a.title, "source": a.source, "issue": a.issue,
                "text": a.text, "orphaned": when, "read": m.read, "starred": m.starred,
                "position": m.position, "tags": m.tags,
            });
            writeln!(out, "{v}")?;
        } else {
            let line = ArticleLine {
                id: &a.id,
                read: m.read,
                starred: m.starred,
                title: &a.title,
                source: &a.source,
                tags: m.tags.iter(),
            };
            line.write(&mut out, ambiguous)?;
        }
    }
    out.flush()?;
    Ok(())
}
