//! Command-line interface (clap): global options and subcommands.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "kanbao",
    version,
    about = "看报 kanbao: read and search an archive of Chinese newspaper pages in the terminal",
    long_about = "看报 kanbao: read and search an archive of Chinese newspaper pages (OCR text) in the terminal.\n\nWithout a subcommand, opens the reader on ARCHIVE (or --archive, or the current folder).",
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    /// Archive folder to open (same as --archive).
    #[arg(value_name = "ARCHIVE")]
    pub path: Option<PathBuf>,

    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Archive folder (default: the current folder). Never written to.
    #[arg(long, global = true, value_name = "DIR")]
    pub archive: Option<PathBuf>,

    /// Where kanbao keeps its index and reader state (default: the platform data folder).
    #[arg(long, global = true, value_name = "DIR", env = "KANBAO_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Width of East Asian Ambiguous characters (“ ” … — · ■) in your terminal: 1 or 2.
    #[arg(long, global = true, value_name = "1|2", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub ambiguous_width: u8,

    /// Reading measure in Chinese characters.
    #[arg(long, global = true, value_name = "CHARS", default_value_t = 38, value_parser = clap::value_parser!(u16).range(10..=200))]
    pub measure: u16,

    /// Do not indent the first line of paragraphs.
    #[arg(long, global = true)]
    pub no_indent: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print every article and fragment as JSON Lines, in reading order.
    Export,
    /// List the issues of the archive.
    Issues,
    /// Bring the search index in line with the archive (new, changed and removed files).
    Index {
        /// Throw the index away and build it again from the archive.
        #[arg(long)]
        rebuild: bool,
    },
    /// Search the archive. Query syntax: see docs/GUIDE.md (劳动 关系, "a b", -x, a OR b,
    /// title:, byline:, issue:, date:2023-11).
    Search {
        /// The query (omit with --stdin).
        query: Option<String>,
        /// At most this many hits per query.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON object per query, on one line.
        #[arg(long)]
        json: bool,
        /// Read one query per line from standard input; answer each on its own line, in order.
        #[arg(long)]
        stdin: bool,
    },
    /// List issues (default) or articles with their marks, for scripts.
    List {
        /// List issues (the default).
        #[arg(long, conflicts_with = "articles")]
        issues: bool,
        /// List articles.
        #[arg(long)]
        articles: bool,
        /// Only unread articles (issues with unread articles).
        #[arg(long)]
        unread: bool,
        /// Only starred articles (issues with starred articles).
        #[arg(long)]
        starred: bool,
        /// Only articles with this tag (issues with such articles).
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// JSON Lines.
        #[arg(long)]
        json: bool,
    },
    /// Change the marks of articles (by id, as `list --articles` or `export` print them).
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(false)))]
    Mark {
        #[arg(long, group = "change")]
        read: bool,
        #[arg(long, group = "change")]
        unread: bool,
        #[arg(long, group = "change")]
        star: bool,
        #[arg(long, group = "change")]
        unstar: bool,
        #[arg(long, group = "change", value_name = "TAG")]
        tag: Option<String>,
        #[arg(long, group = "change", value_name = "TAG")]
        untag: Option<String>,
        /// Article ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Measure indexing and per-keystroke search against ripgrep and SQLite FTS5 on a generated
    /// archive (see docs/PERFORMANCE.md).
    Bench {
        /// Folder of issue files and/or .jsonl.gz news items to take paragraphs from.
        #[arg(long, default_value = "../shared/corpus")]
        source: PathBuf,
        /// Where to write the generated archive, index and database.
        #[arg(long, default_value = "target/bench")]
        out: PathBuf,
        /// Number of articles to generate.
        #[arg(long, default_value_t = 200_000)]
        articles: usize,
        /// Number of queries to type.
        #[arg(long, default_value_t = 60)]
        queries: usize,
        /// Number of those queries also run through ripgrep (each prefix is one rg run).
        #[arg(long, default_value_t = 12)]
        rg_queries: usize,
    },
    /// Show how layout analysis reads one file (units and records), for debugging.
    #[command(hide = true)]
    DebugLayout { file: PathBuf },
}

impl Global {
    /// The archive folder to use: --archive, else the positional path, else the current folder.
    pub fn archive_dir(&self, positional: Option<&PathBuf>) -> PathBuf {
        self.archive
            .clone()
            .or_else(|| positional.cloned())
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The data folder: --data-dir / KANBAO_DATA_DIR, else the `directories` data dir.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(d) = &self.data_dir {
            return Ok(d.clone());
        }
        directories::ProjectDirs::from("", "", "kanbao")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or_else(|| anyhow::anyhow!("no home folder: give --data-dir or KANBAO_DATA_DIR"))
    }
}
