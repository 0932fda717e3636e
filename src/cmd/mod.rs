//! The command line: one file per subcommand (yazi's layout); `main` only parses and calls
//! [`run`]. What several commands share: opening and syncing the index ([`open`]).

pub mod bench;
pub mod completions;
pub mod config;
pub mod debug_layout;
pub mod export;
pub mod index;
pub mod issues;
pub mod list;
pub mod man;
pub mod mark;
pub mod open;
pub mod reader;
pub mod search;
pub mod show;

use crate::cli::{Cli, Command, Global};
use std::path::PathBuf;
use std::process::ExitCode;

/// What every command that reads an archive has: the global options, the config, the keymap
/// (checked for every command, like the config) and the archive folder.
pub struct Ctx {
    pub global: Global,
    pub config: crate::config::Config,
    pub keymap: crate::tui::keys::Keymap,
    pub archive: PathBuf,
}

impl Ctx {
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        self.global.data_dir()
    }
}

/// The clap command, with where the config and the data live at the end of `--help`.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let config = crate::config::default_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no home folder)".into());
    Cli::command().after_help(format!(
        "Config file: {config} (see `kanbao config --default`)\nLog file: kanbao.log in the data folder"
    ))
}

/// Logs go to DATA/kanbao.log (never to the screen); the file is rotated past 5 MB.
fn start_log(data: &std::path::Path, verbose: u8) {
    let level = match verbose {
        0 => log::LevelFilter::Info,
        1 => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    };
    if crate::paths::create_private_dir(data).is_err() {
        return;
    }
    let path = data.join("kanbao.log");
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > 5 << 20) {
        let _ = std::fs::rename(&path, data.join("kanbao.log.1"));
    }
    if let Ok(f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let cfg = simplelog::ConfigBuilder::new()
            .set_time_format_rfc3339()
            .build();
        let _ = simplelog::WriteLogger::init(level, cfg, f);
    }
}

/// Run one command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // commands that need nothing else
    match &cli.command {
        Some(Command::Completions { shell }) => return completions::run(*shell),
        Some(Command::Man) => return man::run(),
        Some(Command::Config { default: true, .. }) => return config::print_default(),
        _ => {}
    }
    let config = crate::config::load(cli.global.config.as_deref())?;
    if let Some(Command::Config { path, .. }) = &cli.command {
        return config::where_is(&config, *path);
    }
    // bad --bind options are refused whatever the command, like a bad config
    let keymap = cli.global.keymap(&config)?;
    let archive = cli.global.archive_dir(cli.path.as_ref(), &config.archives);
    if let Ok(data) = cli.global.data_dir() {
        start_log(&data, cli.global.verbose);
    }
    log::info!(
        "kanbao {} {:?} archive={} config={}",
        env!("CARGO_PKG_VERSION"),
        cli.command
            .as_ref()
            .map(|c| format!("{c:?}"))
            .unwrap_or_else(|| "reader".into()),
        archive.display(),
        config.path.display()
    );
    let ctx = Ctx {
        global: cli.global,
        config,
        keymap,
        archive,
    };
    match cli.command {
        Some(Command::Completions { .. }) | Some(Command::Man) | Some(Command::Config { .. }) => {
            unreachable!("handled above")
        }
        Some(Command::Show { id, format }) => show::run(&ctx, &id, format),
        Some(Command::Export) => export::run(&ctx),
        Some(Command::DebugLayout { file }) => debug_layout::run(&file),
        Some(Command::Index { rebuild }) => index::run(&ctx, rebuild),
        Some(Command::Search {
            query,
            limit,
            json,
            stdin,
        }) => search::run(&ctx, query.as_deref(), limit, json, stdin),
        Some(Command::List {
            issues: _,
            articles,
            unread,
            starred,
            tag,
            orphans,
            json,
        }) => list::run(
            &ctx,
            &list::Filter {
                unread,
                starred,
                tag,
            },
            articles,
            orphans,
            json,
        ),
        Some(Command::Mark {
            read,
            unread,
            star,
            unstar,
            tag,
            untag,
            ids,
        }) => {
            let change = if read {
                mark::Change::Read(true)
            } else if unread {
                mark::Change::Read(false)
            } else if star {
                mark::Change::Star(true)
            } else if unstar {
                mark::Change::Star(false)
            } else if let Some(t) = tag {
                mark::Change::Tag(t)
            } else if let Some(t) = untag {
                mark::Change::Untag(t)
            } else {
                unreachable!("clap requires one change")
            };
            mark::run(&ctx, &change, &ids)
        }
        Some(Command::Bench {
            source,
            out,
            articles,
            queries,
            rg_queries,
            screen,
            screen_archive,
            pinyin,
            fields,
            sample,
            layout,
            reuse,
        }) => bench::run(
            crate::bench::Options {
                source,
                out,
                articles,
                queries,
                rg_queries,
                reuse,
            },
            screen,
            screen_archive,
            pinyin,
            fields.map(|f| (f, sample)),
            layout,
        ),
        Some(Command::Issues) => issues::run(&ctx),
        None => reader::run(&ctx),
    }
}
