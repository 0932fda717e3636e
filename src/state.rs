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
    // 2: what each marked article said (so that its marks can follow it when analysis re-cuts
    // the page and its id changes), and small facts about the state itself
    "CREATE TABLE anchors (
        id TEXT PRIMARY KEY,
        archive TEXT NOT NULL,
        issue TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        orphaned INTEGER,
        notified INTEGER NOT NULL DEFAULT 0,
        moved_to TEXT
     );
     CREATE INDEX anchors_by_archive ON anchors(archive);
     CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
     );",
];

/// What a marked article said, kept with its marks: the archive (index key) it belongs to, its
/// issue id and file, its title and the start of its text (letters, digits and Han characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchor {
    pub id: String,
    pub archive: String,
    pub issue: String,
    pub source: String,
    pub title: String,
    pub text: String,
    /// When the article was found gone with nothing holding its text (seconds), if it was.
    pub orphaned: Option<i64>,
    /// The article its marks were carried to when it went (its own marks stay under its id, so
    /// that they are its again if a later analysis brings it back).
    pub moved_to: Option<String>,
}

/// Record what an article says (`?1`–`?6`: id, archive, issue, source, title, text). The article
/// is there: it is no orphan, and no longer counts as carried elsewhere.
const UPSERT_ANCHOR: &str =
    "INSERT INTO anchors (id, archive, issue, source, title, text, orphaned)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)
     ON CONFLICT(id) DO UPDATE SET archive = excluded.archive, issue = excluded.issue,
       source = excluded.source, title = excluded.title, text = excluded.text,
       orphaned = NULL, notified = 0, moved_to = NULL";

/// Count a change to the anchors (see [`State::anchors_version`]).
fn bump_anchors_version(c: &Connection) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT INTO meta (key, value) VALUES ('anchors_version', '1')
         ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        [],
    )
}

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
    /// Inside `atomically`: its transaction holds every write.
    in_atomic: bool,
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
        crate::paths::create_private_dir(data_dir).map_err(|e| {
            anyhow::anyhow!("cannot create the data folder {}: {e}", data_dir.display())
        })?;
        let path = data_dir.join("state.sqlite");
        let conn = Connection::open(&path)
            .map_err(|e| anyhow::anyhow!("cannot open the reader state {}: {e}", path.display()))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut s = State {
            conn,
            path,
            in_atomic: false,
        };
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

    /// Run `f` in a write transaction: BEGIN IMMEDIATE (so writers queue on the busy timeout
    /// instead of failing on a lock upgrade), or inside the one [`State::atomically`] opened.
    fn tx<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> anyhow::Result<T> {
        if self.in_atomic {
            return Ok(f(&self.conn)?);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(&self.conn) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e.into())
            }
        }
    }

    /// Run `f` as one transaction: marks and what the marked articles say are written together,
    /// so that a process carrying marks to new ids never sees the one without the other.
    pub fn atomically<T>(
        &mut self,
        f: impl FnOnce(&mut State) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        self.in_atomic = true;
        let r = f(self);
        self.in_atomic = false;
        match r {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
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
        self.tx(|tx| {
            {
                let mut st = tx.prepare(
                    "INSERT INTO marks (id, read, updated) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET read = excluded.read, updated = excluded.updated",
                )?;
                for id in ids {
                    st.execute(params![id, read as i64, now()])?;
                }
            }
            Ok(())
        })
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
        self.tx(|tx| {
            tx.execute("DELETE FROM tags WHERE id = ?1", params![id])?;
            for t in tags {
                tx.execute(
                    "INSERT OR IGNORE INTO tags (id, tag) VALUES (?1, ?2)",
                    params![id, t],
                )?;
            }
            Ok(())
        })
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

    /// Remember what these articles say (see [`Anchor`]); done whenever they are marked.
    pub fn anchor_many(&mut self, anchors: &[Anchor]) -> anyhow::Result<()> {
        if anchors.is_empty() {
            return Ok(());
        }
        self.tx(|tx| {
            {
                let mut st = tx.prepare(UPSERT_ANCHOR)?;
                for a in anchors {
                    st.execute(params![a.id, a.archive, a.issue, a.source, a.title, a.text])?;
                }
            }
            bump_anchors_version(tx)?;
            Ok(())
        })
    }

    /// A number that changes whenever an article is anchored (marked): with the index's version
    /// it tells whether marks need carrying again.
    pub fn anchors_version(&self) -> anyhow::Result<String> {
        Ok(self.meta("anchors_version")?.unwrap_or_default())
    }

    /// Marked ids whose text was never recorded (marks made before anchors existed).
    pub fn marked_without_anchor(&self) -> anyhow::Result<Vec<String>> {
        let mut v: Vec<String> = self
            .ids(
                "SELECT id FROM (SELECT id FROM marks WHERE read = 1 OR starred = 1 OR position > 0
                                 UNION SELECT id FROM tags)
                 WHERE id NOT IN (SELECT id FROM anchors)",
                params![],
            )?
            .into_iter()
            .collect();
        v.sort();
        Ok(v)
    }

    /// The anchors of the marked articles of one archive, by id.
    pub fn anchors(&self, archive: &str) -> anyhow::Result<Vec<Anchor>> {
        let mut st = self.conn.prepare(
            "SELECT id, archive, issue, source, title, text, orphaned, moved_to FROM anchors
             WHERE archive = ?1 AND id IN (SELECT id FROM marks WHERE read = 1 OR starred = 1
                                            OR position > 0 UNION SELECT id FROM tags)
             ORDER BY id",
        )?;
        let rows = st.query_map(params![archive], |r| {
            Ok(Anchor {
                id: r.get(0)?,
                archive: r.get(1)?,
                issue: r.get(2)?,
                source: r.get(3)?,
                title: r.get(4)?,
                text: r.get(5)?,
                orphaned: r.get(6)?,
                moved_to: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Carry every mark of article `from` to article `to` (whose text now holds `from`'s), in
    /// one transaction: a star or a read mark on either stays, tags are joined, the reading
    /// position is `to`'s if it has one, else `from`'s. `from` keeps its own marks, noted as
    /// moved to `to`: should `from` come back (another re-cut), they are its again.
    pub fn move_marks(&mut self, from: &str, to: &Anchor) -> anyhow::Result<()> {
        self.tx(|tx| {
            tx.execute(
                "INSERT INTO marks (id, read, starred, position, updated)
                 SELECT ?2, read, starred, position, ?3 FROM marks WHERE id = ?1
                 ON CONFLICT(id) DO UPDATE SET read = MAX(marks.read, excluded.read),
                   starred = MAX(marks.starred, excluded.starred),
                   position = CASE WHEN marks.position > 0 THEN marks.position
                                   ELSE excluded.position END,
                   updated = excluded.updated",
                params![from, to.id, now()],
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO tags (id, tag) SELECT ?2, tag FROM tags WHERE id = ?1",
                params![from, to.id],
            )?;
            tx.execute(
                UPSERT_ANCHOR,
                params![to.id, to.archive, to.issue, to.source, to.title, to.text],
            )?;
            tx.execute(
                "UPDATE anchors SET moved_to = ?2, orphaned = NULL WHERE id = ?1",
                params![from, to.id],
            )?;
            Ok(())
        })
    }

    /// An article whose marks were carried elsewhere is back: its marks are its own again.
    pub fn clear_moved(&self, id: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE anchors SET moved_to = NULL WHERE id = ?1",
            params![id],
        )?;
        Ok(())
    }

    /// Say that a marked article is gone (`Some(time)`) or back (`None`).
    pub fn set_orphaned(&self, id: &str, when: Option<i64>) -> anyhow::Result<()> {
        self.conn.execute(
            "UPDATE anchors SET orphaned = ?2, notified = CASE WHEN ?2 IS NULL THEN 0 ELSE notified END
             WHERE id = ?1",
            params![id, when],
        )?;
        Ok(())
    }

    /// Orphans of this archive nobody was told about yet; they count as told from now on.
    pub fn take_unnotified_orphans(&self, archive: &str) -> anyhow::Result<usize> {
        let n = self.conn.execute(
            "UPDATE anchors SET notified = 1
             WHERE archive = ?1 AND orphaned IS NOT NULL AND notified = 0",
            params![archive],
        )?;
        Ok(n)
    }

    pub fn meta(&self, key: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Record that these issues exist; those never seen before get `first_seen = now`.
    pub fn see_issues(&mut self, issues: &[String]) -> anyhow::Result<()> {
        self.see_issues_at(issues, now())
    }

    /// Record issues as first seen at `t` (unless seen before): the reader's first check of the
    /// archive, in the background, counts its issues as seen when the session started.
    pub fn see_issues_at(&mut self, issues: &[String], t: i64) -> anyhow::Result<()> {
        self.tx(|tx| {
            {
                let mut st = tx.prepare(
                    "INSERT OR IGNORE INTO issues_seen (issue, first_seen) VALUES (?1, ?2)",
                )?;
                for i in issues {
                    st.execute(params![i, t])?;
                }
            }
            Ok(())
        })
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
        Ok(self.start_session_at()?.0)
    }

    /// Start a session: (when the previous one started, when this one starts).
    pub fn start_session_at(&self) -> anyhow::Result<(i64, i64)> {
        let prev = self.previous_session()?;
        let t = now();
        self.conn
            .execute("INSERT INTO sessions (started) VALUES (?1)", params![t])?;
        Ok((prev, t))
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

/// Article ids by reader state, for is: and tag: in queries.
#[derive(Debug, Clone, Default)]
pub struct StateSets {
    pub read: std::collections::HashSet<String>,
    pub starred: std::collections::HashSet<String>,
    pub tags: std::collections::HashMap<String, std::collections::HashSet<String>>,
}

impl StateSets {
    pub fn from_marks<'a>(marks: impl IntoIterator<Item = (&'a String, &'a Marks)>) -> StateSets {
        let mut s = StateSets::default();
        for (id, m) in marks {
            if m.read {
                s.read.insert(id.clone());
            }
            if m.starred {
                s.starred.insert(id.clone());
            }
            for t in &m.tags {
                s.tags.entry(t.clone()).or_default().insert(id.clone());
            }
        }
        s
    }
}

/// The reader state of `data_dir` as id sets (for is: and tag: in `kanbao search`).
pub fn sets_of(data_dir: &std::path::Path) -> Result<std::sync::Arc<StateSets>, String> {
    let st = State::open(data_dir).map_err(|e| e.to_string())?;
    let marks = st.all_marks().map_err(|e| e.to_string())?;
    Ok(std::sync::Arc::new(StateSets::from_marks(marks.iter())))
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
