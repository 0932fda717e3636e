//! The data every other module passes around: issues and the records (articles and fragments)
//! that layout analysis makes of them.

use serde::{Deserialize, Serialize};

/// What a record is: a real article, or a piece that belongs to no article (caption, box,
/// orphan byline…), kept so that nothing of the page is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Article,
    /// (What a record that cannot be read is taken for.)
    #[default]
    Fragment,
}

/// One article or fragment of an issue, in the shape `kanbao export` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Record {
    /// Stable id, derived from the issue id and the record's own text.
    pub id: String,
    /// Id of the issue it comes from.
    pub issue: String,
    /// Path of the issue file relative to the archive root (`/`-separated).
    pub source: String,
    /// 1-based position in its issue, in reading order.
    pub seq: usize,
    pub kind: Kind,
    /// Column or section label the article was printed under (e.g. 口述实录), "" if none.
    #[serde(default)]
    pub section: String,
    pub kicker: String,
    pub title: String,
    pub subtitle: String,
    pub byline: String,
    /// Dateline such as 本报讯, "" if none.
    #[serde(default)]
    pub dateline: String,
    pub paragraphs: Vec<String>,
    /// Issue date (YYYY-MM-DD) when known, "" otherwise.
    #[serde(default)]
    pub date: String,
}

impl Record {
    /// The headline as one line: kicker, title and subtitle joined.
    pub fn headline(&self) -> String {
        let parts: Vec<&str> = [&self.kicker, &self.title, &self.subtitle]
            .into_iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        parts.join(" ")
    }

    /// A title to show in lists: the title, else the kicker or subtitle, else the start of the text.
    pub fn display_title(&self) -> String {
        for s in [&self.title, &self.subtitle, &self.kicker] {
            if !s.is_empty() {
                return s.clone();
            }
        }
        let first = self.paragraphs.first().map(|s| s.as_str()).unwrap_or("");
        let t: String = first.chars().take(24).collect();
        if t.is_empty() {
            String::from("（无标题）")
        } else if first.chars().count() > 24 {
            format!("{t}…")
        } else {
            t
        }
    }

    /// Number of characters of body text.
    pub fn body_chars(&self) -> usize {
        self.paragraphs.iter().map(|p| p.chars().count()).sum()
    }

    /// Every text field, in display order (used by the conservation check and the index).
    pub fn text_fields(&self) -> impl Iterator<Item = &str> {
        [
            &self.section,
            &self.kicker,
            &self.title,
            &self.subtitle,
            &self.byline,
            &self.dateline,
        ]
        .into_iter()
        .map(|s| s.as_str())
        .chain(self.paragraphs.iter().map(|s| s.as_str()))
    }
}

/// Metadata of one issue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IssueMeta {
    /// Stable id derived from the decoded content.
    pub id: String,
    /// Path relative to the archive root, `/`-separated.
    pub source: String,
    pub paper: String,
    /// YYYY-MM-DD, or YYYY-MM, or "".
    pub date: String,
    pub page: String,
    pub title: String,
    /// Encoding the file was decoded from.
    pub encoding: String,
    /// Size in bytes and modification time (nanoseconds since the epoch) of the file when read.
    pub size: u64,
    pub mtime: i64,
}

/// An issue: its metadata and its records in reading order.
#[derive(Debug, Clone)]
pub struct Issue {
    pub meta: IssueMeta,
    pub records: Vec<Record>,
}

/// The order issues are shown in, by the reader and by `kanbao list`: newest first; undated
/// issues last, by file.
pub fn sort_newest_first(issues: &mut [Issue]) {
    issues.sort_by(|a, b| {
        a.meta
            .date
            .is_empty()
            .cmp(&b.meta.date.is_empty())
            .then_with(|| b.meta.date.cmp(&a.meta.date))
            .then_with(|| a.meta.source.cmp(&b.meta.source))
    });
}

impl Issue {
    pub fn articles(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(|r| r.kind == Kind::Article)
    }
    pub fn fragments(&self) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(|r| r.kind == Kind::Fragment)
    }
    /// The headline of the first article, for issue lists.
    pub fn lead_headline(&self) -> String {
        if !self.meta.title.is_empty() {
            return self.meta.title.clone();
        }
        self.articles()
            .next()
            .map(|r| r.display_title())
            .unwrap_or_default()
    }
}
