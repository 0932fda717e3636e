//! Reader state: read / unread, starred, tags and reading position per article, and when each
//! issue was first seen. SQLite (WAL) in the data folder, apart from the index, keyed by the
//! content-derived ids: a rebuilt index, a renamed or moved file, or a re-export keeps every
//! mark. Two sessions may use it at once: each change is one short transaction, writers wait
//! for each other (busy timeout), and nothing acknowledged is lost.

use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Schema migrations, applied in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    // 1: marks, tags, issues seen, sessions
    "CREATE TABLE marks (
        id TEXT PRIMARY KEY,
        read INTEGER NOT NULL DEFAULT 0,
        starred INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0
     );
     CREATE TABLE tags (
        id TEXT NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (id, tag)
     );
     CREATE INDEX tags_by_tag ON tags(tag);
     CREATE TABLE issues_seen (
        issue TEXT PRIMARY KEY,
        first_seen INTEGER NOT NULL
     );
     CREATE TABLE sessions (
        started INTEGER NOT NULL
     );",
];

/// One article's marks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    pub read: bool,
    pub starred: bool,
    pub position: u32,
    pub tags: BTreeSet<String>,
}

pub struct State {
    conn: Connection,
    pub path: PathBuf,
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A tag is one word: no white space or commas, at most 64 characters.
pub fn valid_tag(t: &str) -> Result<String, String> {
    let t = t.trim();
    if t.is_empty() {
        return Err("empty tag".into());
    }
    if t.chars().count() > 64
        || t.chars()
            .any(|c| c.is_whitespace() || c == ',' || c.is_control())
    {
        return Err(format!("a tag is one word without spaces or commas: {t:?}"));
    }
    Ok(t.to_string())
}

impl State {
    /// Open (creating and migrating) the state database in `data_dir`.
    pub fn open(data_dir: &Path) -> anyhow::Result<State> {
        crate::index::create_private_dir(data_dir).map_err(|e| {
            anyhow::anyhow!("cannot create the data folder {}: {e}", data_dir.display())
        })?;
        let path = data_dir.join("state.sqlite");
        let conn = Connection::open(&path)
            .map_err(|e| anyhow::anyhow!("cannot open the reader state {}: {e}", path.display()))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut s = State { conn, path };
        s.migrate()?;
        Ok(s)
    }

    fn migrate(&mut self) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let v: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if v as usize > MIGRATIONS.len() {
            anyhow::bail!(
                "the reader state {} was written by a newer kanbao (schema {v}); this one knows {}",
                self.path.display(),
                MIGRATIONS.len()
            );
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(v as usize) {
            tx.execute_batch(m)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn schema_version(&self) -> i64 {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap_or(0)
    }

    fn upsert(&self, id: &str, column: &str, value: i64) -> anyhow::Result<()> {
        // column names come from this module only
        let sql = format!(
            "INSERT INTO marks (id, {column}, updated) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated"
        );
        self.conn.execute(&sql, params![id, value, now()])?;
        Ok(())
    }

    pub fn set_read(&self, id: &str, read: bool) -> anyhow::Result<()> {
        self.upsert(id, "read", read as i64)
    }

    pub fn set_starred(&self, id: &str, starred: bool) -> anyhow::Result<()> {
        self.upsert(id, "starred", starred as i64)
    }

    pub fn set_position(&self, id: &str, line: u32) -> anyhow::Result<()> {
        self.upsert(id, "position", line as i64)
    }

    /// Mark many articles read (or unread) in one transaction.
    pub fn set_read_many(&mut self, ids: &[String], read: bool) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut st = tx.prepare(
                "INSERT INTO marks (id, read, updated) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET read = excluded.read, updated = excluded.updated",
            )?;
            for id in ids {
                st.execute(params![id, read as i64, now()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn add_tag(&self, id: &str, tag: &str) -> anyhow::Result<()> {
        let tag = valid_tag(tag).map_err(|e| anyhow::anyhow!(e))?;
        self.conn.execute(
            "INSERT OR IGNORE INTO tags (id, tag) VALUES (?1, ?2)",
            params![id, tag],
        )?;
        Ok(())
    }

    pub fn remove_tag(&self, id: &str, tag: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "DELETE FROM tags WHERE id = ?1 AND tag = ?2",
            params![id, tag.trim()],
        )?;
        Ok(())
    }

    /// Replace the tags of an article.
    pub fn set_tags(&mut self, id: &str, tags: &BTreeSet<String>) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM tags WHERE id = ?1", params![id])?;
        for t in tags {
            tx.execute(
                "INSERT OR IGNORE INTO tags (id, tag) VALUES (?1, ?2)",
                params![id, t],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn marks(&self, id: &str) -> anyhow::Result<Marks> {
        let mut m = self
            .conn
            .query_row(
                "SELECT read, starred, position FROM marks WHERE id = ?1",
                params![id],
                |r| {
                    Ok(Marks {
                        read: r.get::<_, i64>(0)? != 0,
                        starred: r.get::<_, i64>(1)? != 0,
                        position: r.get::<_, i64>(2)? as u32,
                        tags: BTreeSet::new(),
                    })
                },
            )
            .optional()?
            .unwrap_or_default();
        let mut st = self
            .conn
            .prepare("SELECT tag FROM tags WHERE id = ?1 ORDER BY tag")?;
        m.tags = st
            .query_map(params![id], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        Ok(m)
    }

    /// The marks of every article that has any.
    pub fn all_marks(&self) -> anyhow::Result<HashMap<String, Marks>> {
        let mut out: HashMap<String, Marks> = HashMap::new();
        let mut st = self
            .conn
            .prepare("SELECT id, read, starred, position FROM marks")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)? != 0,
                r.get::<_, i64>(2)? != 0,
                r.get::<_, i64>(3)? as u32,
            ))
        })?;
        for row in rows {
            let (id, read, starred, position) = row?;
            out.insert(
                id,
                Marks {
                    read,
                    starred,
                    position,
                    tags: BTreeSet::new(),
                },
            );
        }
        let mut st = self.conn.prepare("SELECT id, tag FROM tags")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, tag) = row?;
            out.entry(id).or_default().tags.insert(tag);
        }
        Ok(out)
    }

    pub fn ids_read(&self) -> anyhow::Result<HashSet<String>> {
        self.ids("SELECT id FROM marks WHERE read = 1", params![])
    }

    pub fn ids_starred(&self) -> anyhow::Result<HashSet<String>> {
        self.ids("SELECT id FROM marks WHERE starred = 1", params![])
    }

    pub fn ids_tagged(&self, tag: &str) -> anyhow::Result<HashSet<String>> {
        self.ids("SELECT id FROM tags WHERE tag = ?1", params![tag])
    }

    fn ids(&self, sql: &str, p: &[&dyn rusqlite::ToSql]) -> anyhow::Result<HashSet<String>> {
        let mut st = self.conn.prepare(sql)?;
        let rows = st.query_map(p, |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Record that these issues exist; those never seen before get `first_seen = now`.
    pub fn see_issues(&mut self, issues: &[String]) -> anyhow::Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut st = tx
                .prepare("INSERT OR IGNORE INTO issues_seen (issue, first_seen) VALUES (?1, ?2)")?;
            let t = now();
            for i in issues {
                st.execute(params![i, t])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// When the previous session started (0 when there was none).
    pub fn previous_session(&self) -> anyhow::Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(started), 0) FROM sessions", [], |r| {
                r.get(0)
            })?)
    }

    /// Start a session: returns when the previous one started.
    pub fn start_session(&self) -> anyhow::Result<i64> {
        let prev = self.previous_session()?;
        self.conn
            .execute("INSERT INTO sessions (started) VALUES (?1)", params![now()])?;
        Ok(prev)
    }

    /// Issues first seen after `since`: the new ones.
    pub fn issues_new_since(&self, since: i64) -> anyhow::Result<HashSet<String>> {
        self.ids(
            "SELECT issue FROM issues_seen WHERE first_seen > ?1",
            params![since],
        )
    }

    /// Issues first seen at or after `since`, for an issue list computed within a session.
    pub fn first_seen(&self) -> anyhow::Result<HashMap<String, i64>> {
        let mut st = self
            .conn
            .prepare("SELECT issue, first_seen FROM issues_seen")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_round_trip_and_migrations() {
        let d = tempfile::tempdir().unwrap();
        let mut s = State::open(d.path()).unwrap();
        assert_eq!(s.schema_version(), MIGRATIONS.len() as i64);
        s.set_read("a", true).unwrap();
        s.set_starred("a", true).unwrap();
        s.add_tag("a", "劳动").unwrap();
        s.add_tag("a", "劳动").unwrap();
        assert!(s.add_tag("a", "two words").is_err());
        let m = s.marks("a").unwrap();
        assert!(m.read && m.starred);
        assert_eq!(m.tags.iter().collect::<Vec<_>>(), vec!["劳动"]);
        s.set_read("a", false).unwrap();
        assert!(!s.marks("a").unwrap().read);
        assert!(
            s.marks("a").unwrap().starred,
            "one mark does not touch another"
        );
        s.set_read_many(&["b".into(), "c".into()], true).unwrap();
        assert_eq!(s.ids_read().unwrap().len(), 2);
        assert_eq!(s.ids_tagged("劳动").unwrap().len(), 1);
        drop(s);
        // reopening keeps everything and does not migrate again
        let s = State::open(d.path()).unwrap();
        assert!(s.marks("a").unwrap().starred);
        assert_eq!(s.schema_version(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn newer_schema_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let s = State::open(d.path()).unwrap();
        s.conn.pragma_update(None, "user_version", 99).unwrap();
        drop(s);
        let e = State::open(d.path()).err().unwrap().to_string();
        assert!(e.contains("newer kanbao"), "{e}");
    }

    #[test]
    fn new_issues_since_the_last_session() {
        let d = tempfile::tempdir().unwrap();
        let mut s = State::open(d.path()).unwrap();
        s.see_issues(&["old".into()]).unwrap();
        s.conn
            .execute("UPDATE issues_seen SET first_seen = 100", [])
            .unwrap();
        s.conn
            .execute("INSERT INTO sessions (started) VALUES (200)", [])
            .unwrap();
        let prev = s.start_session().unwrap();
        assert_eq!(prev, 200);
        s.see_issues(&["old".into(), "fresh".into()]).unwrap();
        let new = s.issues_new_since(prev).unwrap();
        assert!(new.contains("fresh") && !new.contains("old"));
    }
}
