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

    /// Width of East Asian Ambiguous characters (“ ” … — · ■) in your terminal: 1 or 2
    /// [default: 1].
    #[arg(long, global = true, value_name = "1|2", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub ambiguous_width: Option<u8>,

    /// Reading measure in Chinese characters [default: 38].
    #[arg(long, global = true, value_name = "CHARS", value_parser = clap::value_parser!(u16).range(10..=200))]
    pub measure: Option<u16>,

    /// Do not indent the first line of paragraphs.
    #[arg(long, global = true, conflicts_with = "indent")]
    pub no_indent: bool,

    /// Indent the first line of paragraphs (the default).
    #[arg(long, global = true)]
    pub indent: bool,

    /// Theme: default, rich (256 colours), mono (no colour).
    #[arg(long, global = true, value_parser = clap::builder::PossibleValuesParser::new(crate::tui::theme::THEMES))]
    pub theme: Option<String>,

    /// Bind keys to an action for this run, like `[keys]` in the config: `--bind
    /// toggle_star='*,s'` (keys separated by commas; repeatable); `input.NAME=KEYS` for the
    /// search box, like `[input_keys]`.
    #[arg(long, global = true, value_name = "ACTION=KEYS")]
    pub bind: Vec<String>,

    /// Config file (default: config.toml in the platform config folder; see below).
    #[arg(long, global = true, value_name = "FILE", env = "KANBAO_CONFIG")]
    pub config: Option<PathBuf>,

    /// Log more to kanbao.log in the data folder (-v debug, -vv trace). Never to the screen.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
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
    /// Search the archive. Query syntax: QUERY SYNTAX in `kanbao man` (劳动 关系, "a b", -x, a OR b,
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
        /// Marks whose article is gone (its text is in no article of the archive any more),
        /// with what the article said.
        #[arg(long, conflicts_with_all = ["issues", "articles", "unread", "starred", "tag"])]
        orphans: bool,
        /// JSON Lines.
        #[arg(long)]
        json: bool,
    },
    /// Change the marks of articles (by id, as `list --articles` or `export` print them).
    #[command(group(clap::ArgGroup::new("change").required(true).multiple(false)))]
    Mark {
        /// Mark them read.
        #[arg(long, group = "change")]
        read: bool,
        /// Mark them unread.
        #[arg(long, group = "change")]
        unread: bool,
        /// Star them.
        #[arg(long, group = "change")]
        star: bool,
        /// Take their star away.
        #[arg(long, group = "change")]
        unstar: bool,
        /// Add this tag.
        #[arg(long, group = "change", value_name = "TAG")]
        tag: Option<String>,
        /// Remove this tag.
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
        /// Also time what the user sees: the real reader on a pty, keystroke to the frame that
        /// shows the hits.
        #[arg(long)]
        screen: bool,
        /// Only the screen measurement, on this existing archive (indexed first, in the data
        /// folder under --out).
        #[arg(long, value_name = "DIR")]
        screen_archive: Option<PathBuf>,
        /// Only the pinyin ranking evaluation (precision@5, recall@50), on this archive
        /// (indexed in the data folder under --out), with words from its titles.
        #[arg(long, value_name = "DIR")]
        pinyin: Option<PathBuf>,
        /// Only what each index field costs (bytes on disk, tokenizing time on a sample of
        /// --sample records), on this archive (indexed in the data folder under --out).
        #[arg(long, value_name = "DIR")]
        fields: Option<PathBuf>,
        /// Only layout analysis speed (MB/s on one core: the rules, the line labeller, and
        /// both with the choice between them, as indexing runs it), on the issue files of DIR.
        #[arg(long, value_name = "DIR")]
        layout: Option<PathBuf>,
        /// Records sampled for tokenizing times (--fields).
        #[arg(long, default_value_t = 5000)]
        sample: usize,
        /// Time the searches again on what an earlier run with the same --source and
        /// --articles left under --out (archive, index, FTS5 database): nothing is written or
        /// built; the build and size rows are those of the index found.
        #[arg(long)]
        reuse: bool,
    },
    /// Print one article (by id) as text or Markdown, for scripts and pagers.
    Show {
        /// Article id, as `list --articles`, `search` or `export` print it.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output: `kanbao man | man -l -`.
    Man,
    /// Show the configuration: where the file is, or a commented default file.
    Config {
        /// Print a commented default config.toml.
        #[arg(long)]
        default: bool,
        /// Print the path of the config file.
        #[arg(long, conflicts_with = "default")]
        path: bool,
    },
    /// Show how layout analysis reads one file (each line's label, both cuts' coherence, the
    /// figures the choice between them is made on and its log-odds, the records), for debugging.
    #[command(hide = true)]
    DebugLayout { file: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    Text,
    Md,
}

impl Global {
    /// The archive folder to use: --archive, else the positional path (or the name of an
    /// archive in the config), else the config's first archive, else the current folder.
    pub fn archive_dir(&self, positional: Option<&PathBuf>, configured: &[PathBuf]) -> PathBuf {
        if let Some(a) = &self.archive {
            return a.clone();
        }
        if let Some(p) = positional {
            if !p.exists() {
                if let Some(c) = configured
                    .iter()
                    .find(|c| c.file_name() == Some(p.as_os_str()))
                {
                    return c.clone();
                }
            }
            return p.clone();
        }
        configured
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// The config's keymap with the `--bind` options applied on top.
    pub fn keymap(&self, c: &crate::config::Config) -> anyhow::Result<crate::tui::keys::Keymap> {
        let mut k = c.keymap.clone();
        for b in &self.bind {
            let (action, keys) = b
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("--bind {b}: expected ACTION=KEYS"))?;
            let keys: Vec<String> = if keys == "," {
                vec![",".into()]
            } else {
                keys.split(',').map(|s| s.to_string()).collect()
            };
            let action = action.trim();
            match action.strip_prefix("input.") {
                Some(name) => k.bind_input(name, &keys),
                None => k.bind(action, &keys),
            }
            .map_err(|e| anyhow::anyhow!("--bind {b}: {e}"))?;
        }
        k.check().map_err(|e| anyhow::anyhow!("--bind: {e}"))?;
        Ok(k)
    }

    /// Reader settings: command line, else config, else defaults.
    pub fn settings(&self, c: &crate::config::Config) -> crate::tui::app::Settings {
        crate::tui::app::Settings {
            ambiguous: self.ambiguous_width.or(c.ambiguous_width).unwrap_or(1),
            measure: self.measure.or(c.measure).unwrap_or(38) as usize * 2,
            indent: if self.no_indent {
                false
            } else if self.indent {
                true
            } else {
                c.indent.unwrap_or(true)
            },
        }
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
