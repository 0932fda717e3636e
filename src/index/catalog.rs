//! The catalog of an index: one SQLite file (`catalog.sqlite`) in the index folder that says
//! which files the index holds (size and mtime as indexed, so that a check reads only what
//! changed), each issue's metadata, lead headline and article ids in reading order, and the
//! mtimes of the archive's folders at the last full check.
//!
//! Lists are drawn from it, not from the index's document store: the reader draws its first
//! screen from one indexed `LIMIT` query and reads the rest of the list meanwhile, and an
//! article's text is read from the store only when its issue is opened. It lives in the index
//! folder, so a rebuild (built aside, swapped in whole) brings its own; it is written after
//! each commit of the index, in one transaction, so it never names a file the committed index
//! lacks (a file committed but not yet in the catalog is indexed again).

use crate::model::IssueMeta;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

pub const FILE: &str = "catalog.sqlite";

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS files (
        source TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime INTEGER NOT NULL,
        issue TEXT NOT NULL,
        paper TEXT NOT NULL,
        date TEXT NOT NULL,
        page TEXT NOT NULL,
        title TEXT NOT NULL,
        encoding TEXT NOT NULL,
        lead TEXT NOT NULL,
        articles TEXT NOT NULL,
        fragments INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS files_newest_first ON files (date = '', date DESC, source);
    CREATE TABLE IF NOT EXISTS dirs (path TEXT PRIMARY KEY, mtime INTEGER NOT NULL);
";

/// The order of the reader and of `kanbao list` (see [`crate::model::sort_newest_first`]).
const NEWEST_FIRST: &str = "ORDER BY date = '', date DESC, source";

/// One file of the index as listed: its issue, lead headline and article ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listed {
    pub meta: IssueMeta,
    /// The headline shown for the issue ([`crate::model::Issue::lead_headline`]).
    pub lead: String,
    /// Ids of the issue's articles (not fragments) in reading order, one per line.
    pub articles: String,
    pub fragments: usize,
}

impl Listed {
    pub fn of(issue: &crate::model::Issue) -> Listed {
        Listed {
            meta: issue.meta.clone(),
            lead: issue.lead_headline(),
            articles: issue
                .articles()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            fragments: issue.fragments().count(),
        }
    }

    pub fn article_ids(&self) -> impl Iterator<Item = &str> {
        article_ids(&self.articles)
    }
}

/// The ids of a catalog row's `articles` (one per line).
pub fn article_ids(articles: &str) -> impl Iterator<Item = &str> {
    articles.split('\n').filter(|s| !s.is_empty())
}

/// What a check compares a file on disk with.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub size: u64,
    pub mtime: i64,
    pub issue: String,
}

/// A change waiting for the next commit of the index.
#[derive(Debug, Clone)]
pub enum Change {
    /// The file was (re)indexed as this issue.
    Put(Box<Listed>),
    /// The file's size or mtime changed, not what it holds.
    Touch(Box<IssueMeta>),
    Remove(String),
}

pub struct Catalog {
    conn: Mutex<Connection>,
}

fn open_conn(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}

fn listed(r: &rusqlite::Row<'_>) -> rusqlite::Result<Listed> {
    Ok(Listed {
        meta: IssueMeta {
            source: r.get(0)?,
            size: r.get::<_, i64>(1)? as u64,
            mtime: r.get(2)?,
            id: r.get(3)?,
            paper: r.get(4)?,
            date: r.get(5)?,
            page: r.get(6)?,
            title: r.get(7)?,
            encoding: r.get(8)?,
        },
        lead: r.get(9)?,
        articles: r.get(10)?,
        fragments: r.get::<_, i64>(11)? as usize,
    })
}

const COLUMNS: &str =
    "source, size, mtime, issue, paper, date, page, title, encoding, lead, articles, fragments";

impl Catalog {
    pub fn exists(dir: &Path) -> bool {
        dir.join(FILE).exists()
    }

    /// A new, empty catalog in `dir` (any old one is replaced).
    pub fn create(dir: &Path, meta: &[(&str, &str)]) -> anyhow::Result<Catalog> {
        let path = dir.join(FILE);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let conn = open_conn(&path)?;
        conn.execute_batch(SCHEMA)?;
        let c = Catalog {
            conn: Mutex::new(conn),
        };
        for (k, v) in meta {
            c.set_meta(k, v)?;
        }
        Ok(c)
    }

    /// The catalog in `dir`; an error says why it cannot be used.
    pub fn open(dir: &Path) -> Result<Catalog, String> {
        let path = dir.join(FILE);
        if !path.exists() {
            return Err("it has no catalog".into());
        }
        let conn = open_conn(&path).map_err(|e| format!("its catalog is unreadable ({e})"))?;
        let has: bool = conn
            .query_row(
                "SELECT count(*) = 2 FROM sqlite_master WHERE name IN ('meta', 'files')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| format!("its catalog is damaged ({e})"))?;
        if !has {
            return Err("its catalog is incomplete".into());
        }
        Ok(Catalog {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn meta(&self, key: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> anyhow::Result<()> {
        self.conn().execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    /// Every file the index holds, by path: what a check compares the archive with.
    pub fn known(&self) -> anyhow::Result<HashMap<String, Known>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT source, size, mtime, issue FROM files")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Known {
                    size: r.get::<_, i64>(1)? as u64,
                    mtime: r.get(2)?,
                    issue: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Number of files listed.
    pub fn count(&self) -> anyhow::Result<usize> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM files", [], |r| r.get::<_, i64>(0))?
            as usize)
    }

    /// Write `changes` in one transaction.
    pub fn apply(&self, changes: &[Change]) -> anyhow::Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut put = tx.prepare(&format!(
                "INSERT OR REPLACE INTO files ({COLUMNS}) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ))?;
            let mut touch = tx.prepare(
                "UPDATE files SET size = ?2, mtime = ?3, paper = ?4, date = ?5, page = ?6, \
                 title = ?7, encoding = ?8 WHERE source = ?1",
            )?;
            let mut remove = tx.prepare("DELETE FROM files WHERE source = ?1")?;
            for c in changes {
                match c {
                    Change::Put(l) => {
                        let m = &l.meta;
                        put.execute(params![
                            m.source,
                            m.size as i64,
                            m.mtime,
                            m.id,
                            m.paper,
                            m.date,
                            m.page,
                            m.title,
                            m.encoding,
                            l.lead,
                            l.articles,
                            l.fragments as i64
                        ])?;
                    }
                    Change::Touch(m) => {
                        touch.execute(params![
                            m.source,
                            m.size as i64,
                            m.mtime,
                            m.paper,
                            m.date,
                            m.page,
                            m.title,
                            m.encoding
                        ])?;
                    }
                    Change::Remove(s) => {
                        remove.execute([s])?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The issues newest first (the reader's order), the first `limit` of them or all.
    pub fn issues(&self, limit: Option<usize>) -> anyhow::Result<Vec<Listed>> {
        list(&self.conn(), limit)
    }

    /// Issue metadata by file path.
    pub fn metas(&self) -> anyhow::Result<HashMap<String, IssueMeta>> {
        Ok(self
            .issues(None)?
            .into_iter()
            .map(|l| (l.meta.source.clone(), l.meta))
            .collect())
    }

    /// The archive's folders and their mtimes at the last full check.
    pub fn dirs(&self) -> anyhow::Result<Vec<(String, i64)>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT path, mtime FROM dirs")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn set_dirs(&self, dirs: &[(String, i64)]) -> anyhow::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM dirs", [])?;
        {
            let mut st = tx.prepare("INSERT OR REPLACE INTO dirs (path, mtime) VALUES (?1, ?2)")?;
            for (p, m) in dirs {
                st.execute(params![p, m])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Fold the write-ahead log into the database file: before the folder is moved (a rebuild
    /// swapped in), so that everything is in the one file.
    pub fn checkpoint(&self) {
        let _ = self
            .conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }
}

fn list(conn: &Connection, limit: Option<usize>) -> anyhow::Result<Vec<Listed>> {
    let lim = limit.map_or(-1, |l| l as i64);
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM files {NEWEST_FIRST} LIMIT ?1"
    ))?;
    let rows = st.query_map([lim], listed)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The issues of the catalog in `dir`, read through a connection of its own (the reader's
/// loop, while the worker thread holds the store).
pub fn issues_in(dir: &Path, limit: Option<usize>) -> anyhow::Result<Vec<Listed>> {
    let conn = Connection::open_with_flags(
        dir.join(FILE),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    list(&conn, limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: &str, date: &str, ids: &[&str]) -> Listed {
        Listed {
            meta: IssueMeta {
                id: format!("id-{source}"),
                source: source.into(),
                date: date.into(),
                size: 10,
                mtime: 5,
                ..Default::default()
            },
            lead: format!("lead of {source}"),
            articles: ids.join("\n"),
            fragments: 1,
        }
    }

    #[test]
    fn lists_newest_first_and_applies_changes_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let c = Catalog::create(dir.path(), &[("archive", "/a")]).unwrap();
        assert_eq!(c.meta("archive").unwrap().as_deref(), Some("/a"));
        c.apply(&[
            Change::Put(Box::new(entry("b.txt", "2024-01-02", &["x1", "x2"]))),
            Change::Put(Box::new(entry("a.txt", "", &[]))),
            Change::Put(Box::new(entry("c.txt", "2024-01-02", &["y"]))),
            Change::Put(Box::new(entry("d.txt", "2025-03", &["z"]))),
            Change::Put(Box::new(entry("e.txt", "2023-12-31", &[]))),
            Change::Remove("e.txt".into()),
        ])
        .unwrap();
        let all = c.issues(None).unwrap();
        let order: Vec<&str> = all.iter().map(|l| l.meta.source.as_str()).collect();
        assert_eq!(order, ["d.txt", "b.txt", "c.txt", "a.txt"]);
        // the same order as the in-memory sort of the reader and `kanbao list`
        let mut issues: Vec<crate::model::Issue> = all
            .iter()
            .rev()
            .map(|l| crate::model::Issue {
                meta: l.meta.clone(),
                records: Vec::new(),
            })
            .collect();
        crate::model::sort_newest_first(&mut issues);
        let sorted: Vec<&str> = issues.iter().map(|i| i.meta.source.as_str()).collect();
        assert_eq!(sorted, order);
        assert_eq!(all[1].article_ids().collect::<Vec<_>>(), ["x1", "x2"]);
        assert_eq!(all[3].article_ids().count(), 0);
        assert_eq!(c.issues(Some(2)).unwrap().len(), 2);
        // a touch changes size and mtime, not the articles
        let mut m = all[1].meta.clone();
        m.size = 99;
        c.apply(&[Change::Touch(Box::new(m))]).unwrap();
        let k = c.known().unwrap();
        assert_eq!(k["b.txt"].size, 99);
        assert_eq!(k.len(), 4);
        assert_eq!(issues_in(dir.path(), None).unwrap()[1].articles, "x1\nx2");
        // reopened: the same
        drop(c);
        let c = Catalog::open(dir.path()).unwrap();
        assert_eq!(c.count().unwrap(), 4);
        c.set_dirs(&[("".into(), 1), ("sub".into(), 2)]).unwrap();
        assert_eq!(c.dirs().unwrap().len(), 2);
    }

    #[test]
    fn a_missing_or_foreign_file_is_not_a_catalog() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Catalog::open(dir.path()).is_err());
        std::fs::write(dir.path().join(FILE), b"not a database at all, not at all").unwrap();
        assert!(Catalog::open(dir.path()).is_err());
    }
}
