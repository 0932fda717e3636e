//! Queries kept in the data folder: the search history (`history`, newest last) and the saved
//! searches (`searches`), one query per line, UTF-8.
//!
//! Two readers may run at once: the history is appended to with one `write` per line (O_APPEND,
//! so lines of two sessions interleave but never tear), and read back with duplicates removed
//! (the latest use wins). Saved searches are rewritten whole through a temporary file and a
//! rename, after re-reading the file, so a search saved by another session is kept.

use std::io::Write;
use std::path::{Path, PathBuf};

/// At most this many queries are read back from the history.
pub const HISTORY_MAX: usize = 1000;

pub fn history_path(data_dir: &Path) -> PathBuf {
    data_dir.join("history")
}

pub fn searches_path(data_dir: &Path) -> PathBuf {
    data_dir.join("searches")
}

/// A query as one line: control characters (line breaks included) become spaces, trimmed.
fn one_line(q: &str) -> String {
    q.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// The lines of `path`, oldest first, each once (its last occurrence kept); a missing file is
/// empty.
fn read_unique(path: &Path) -> std::io::Result<Vec<String>> {
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<String> = text
        .lines()
        .rev()
        .map(one_line)
        .filter(|l| !l.is_empty() && seen.insert(l.clone()))
        .collect();
    out.reverse();
    Ok(out)
}

/// The search history, oldest first, at most [`HISTORY_MAX`] queries, each once.
pub fn load_history(data_dir: &Path) -> std::io::Result<Vec<String>> {
    let mut h = read_unique(&history_path(data_dir))?;
    let extra = h.len().saturating_sub(HISTORY_MAX);
    h.drain(..extra);
    Ok(h)
}

/// Add a query to the history. When the file has grown to several times the limit it is
/// rewritten with each query once.
pub fn append_history(data_dir: &Path, q: &str) -> std::io::Result<()> {
    let q = one_line(q);
    if q.is_empty() {
        return Ok(());
    }
    let path = history_path(data_dir);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)?;
    f.write_all(format!("{q}\n").as_bytes())?;
    if f.metadata()?.len() > (HISTORY_MAX as u64) * 400 {
        let kept = load_history(data_dir)?;
        rewrite(&path, &kept)?;
    }
    Ok(())
}

fn rewrite(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = std::fs::File::create(&tmp)?;
        for l in lines {
            writeln!(f, "{l}")?;
        }
        f.sync_all()?;
    }
    std::fs::rename(tmp, path)
}

/// The saved searches, in the order they were saved.
pub fn load_saved(data_dir: &Path) -> std::io::Result<Vec<String>> {
    read_unique(&searches_path(data_dir))
}

/// Save a query (kept once); returns the saved searches after.
pub fn save(data_dir: &Path, q: &str) -> std::io::Result<Vec<String>> {
    let q = one_line(q);
    let mut all = load_saved(data_dir)?;
    if !q.is_empty() && !all.contains(&q) {
        all.push(q);
        rewrite(&searches_path(data_dir), &all)?;
    }
    Ok(all)
}

/// Forget a saved query; returns the saved searches after.
pub fn unsave(data_dir: &Path, q: &str) -> std::io::Result<Vec<String>> {
    let mut all = load_saved(data_dir)?;
    let before = all.len();
    all.retain(|s| s != q);
    if all.len() != before {
        rewrite(&searches_path(data_dir), &all)?;
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_each_query_once_latest_last() {
        let t = tempfile::tempdir().unwrap();
        for q in ["劳动", "浦东", "劳动", "  ", "a\nb"] {
            append_history(t.path(), q).unwrap();
        }
        assert_eq!(load_history(t.path()).unwrap(), vec!["浦东", "劳动", "a b"]);
        assert_eq!(save(t.path(), "is:starred").unwrap(), vec!["is:starred"]);
        assert_eq!(save(t.path(), "tag:x").unwrap().len(), 2);
        assert_eq!(save(t.path(), "is:starred").unwrap().len(), 2);
        assert_eq!(unsave(t.path(), "is:starred").unwrap(), vec!["tag:x"]);
        assert_eq!(load_saved(t.path()).unwrap(), vec!["tag:x"]);
    }
}
