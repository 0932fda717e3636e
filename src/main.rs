use clap::{CommandFactory, FromArgMatches};
use kanbao::cli::{Cli, Command, ShowFormat};
use kanbao::library;
use std::io::Write;
use std::process::ExitCode;

/// `kanbao --help` ends with where the config and data live.
fn command() -> clap::Command {
    let config = kanbao::config::default_path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no home folder)".into());
    Cli::command().after_help(format!(
        "Config file: {config} (see `kanbao config --default`)\nLog file: kanbao.log in the data folder"
    ))
}

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&command().get_matches()) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            log::error!("{e:#}");
            eprintln!("kanbao: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs go to DATA/kanbao.log (never to the screen); the file is rotated past 5 MB.
fn start_log(data: &std::path::Path, verbose: u8) {
    let level = match verbose {
        0 => log::LevelFilter::Info,
        1 => log::LevelFilter::Debug,
        _ => log::LevelFilter::Trace,
    };
    if kanbao::index::create_private_dir(data).is_err() {
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

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // commands that need nothing else
    match &cli.command {
        Some(Command::Completions { shell }) => {
            clap_complete::generate(*shell, &mut command(), "kanbao", &mut std::io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Man) => {
            clap_mangen::Man::new(command()).render(&mut std::io::stdout())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Config { default: true, .. }) => {
            print!("{}", kanbao::config::DEFAULT);
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let config = kanbao::config::load(cli.global.config.as_deref())?;
    if let Some(Command::Config { .. }) = &cli.command {
        // --path, or no flag: where the file is and whether it exists
        let exists = config.path.exists();
        println!("{}", config.path.display());
        if !exists && !matches!(cli.command, Some(Command::Config { path: true, .. })) {
            eprintln!("kanbao: (not created yet; `kanbao config --default > FILE` writes one)");
        }
        return Ok(ExitCode::SUCCESS);
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
    match cli.command {
        Some(Command::Completions { .. }) | Some(Command::Man) | Some(Command::Config { .. }) => {
            unreachable!("handled above")
        }
        Some(Command::Show { id, format }) => {
            let data = cli.global.data_dir()?;
            let store = kanbao::search_cli::open_synced(&data, &archive, false, true)?;
            let Some(r) = store.record(&id)? else {
                eprintln!("kanbao: unknown id: {id}");
                return Ok(ExitCode::from(1));
            };
            let text = match format {
                ShowFormat::Text => kanbao::article::to_text(&r),
                ShowFormat::Md => kanbao::article::to_markdown(&r),
            };
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Export) => {
            let lib = library::load(&archive)?;
            for w in &lib.warnings {
                eprintln!("kanbao: warning: {w}");
            }
            let stdout = std::io::stdout();
            kanbao::export::write_jsonl(&lib.issues, std::io::BufWriter::new(stdout.lock()))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::DebugLayout { file }) => {
            let bytes = std::fs::read(&file)?;
            let d = kanbao::archive::decode(&bytes).ok_or_else(|| anyhow::anyhow!("not text"))?;
            let lines = kanbao::layout::lines::classify(&d.text);
            if std::env::var_os("KANBAO_DEBUG_LINES").is_some() {
                let (h, w) = kanbao::layout::reflow::decide_headings(&lines);
                for (i, l) in lines.iter().enumerate() {
                    if !l.is_blank() {
                        println!(
                            "{i:4} {:?} w={} W={} h={} {}",
                            l.kind,
                            l.width,
                            w[i] as i64,
                            h[i],
                            l.text.chars().take(30).collect::<String>()
                        );
                    }
                }
            }
            for u in kanbao::layout::reflow::reflow(&lines) {
                match u {
                    kanbao::layout::reflow::Unit::Para(p) => println!(
                        "P{} t={} dl={:?} {}",
                        p.line,
                        p.terminal,
                        p.dateline,
                        p.text.chars().take(40).collect::<String>()
                    ),
                    other => println!("{other:?}"),
                }
            }
            println!("------");
            let meta = kanbao::model::IssueMeta::default();
            for r in kanbao::layout::analyze(&d.text, &meta) {
                println!(
                    "#{} {:?} k={:?} t={:?} s={:?} b={:?} sec={:?}",
                    r.seq, r.kind, r.kicker, r.title, r.subtitle, r.byline, r.section
                );
                for p in &r.paragraphs {
                    println!("    | {}", p.chars().take(50).collect::<String>());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Index { rebuild }) => {
            let data = cli.global.data_dir()?;
            let store =
                kanbao::search_cli::open_synced_with(&data, &archive, rebuild, true, false)?;
            eprintln!(
                "kanbao: {} records in the index at {}",
                store.len(),
                store.dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Search {
            query,
            limit,
            json,
            stdin,
        }) => {
            let data = cli.global.data_dir()?;
            let store = kanbao::search_cli::open_synced(&data, &archive, false, json || stdin)?;
            let ok =
                kanbao::search_cli::search(&store, &data, query.as_deref(), limit, json, stdin)?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some(Command::List {
            issues: _,
            articles,
            unread,
            starred,
            tag,
            orphans,
            json,
        }) => {
            let data = cli.global.data_dir()?;
            let store = kanbao::search_cli::open_synced(&data, &archive, false, true)?;
            let mut state = kanbao::state::State::open(&data)?;
            if orphans {
                kanbao::state_cli::list_orphans(&store, &state, json)?;
                return Ok(ExitCode::SUCCESS);
            }
            let f = kanbao::state_cli::Filter {
                unread,
                starred,
                tag,
            };
            kanbao::state_cli::list(&store, &mut state, articles, &f, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Mark {
            read,
            unread,
            star,
            unstar,
            tag,
            untag,
            ids,
        }) => {
            use kanbao::state_cli::Change;
            let change = if read {
                Change::Read(true)
            } else if unread {
                Change::Read(false)
            } else if star {
                Change::Star(true)
            } else if unstar {
                Change::Star(false)
            } else if let Some(t) = tag {
                Change::Tag(t)
            } else if let Some(t) = untag {
                Change::Untag(t)
            } else {
                unreachable!("clap requires one change")
            };
            let data = cli.global.data_dir()?;
            let store = kanbao::search_cli::open_synced(&data, &archive, false, true)?;
            let mut state = kanbao::state::State::open(&data)?;
            let unknown = kanbao::state_cli::mark(&store, &mut state, &change, &ids)?;
            if unknown.is_empty() {
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "kanbao: unknown id{}: {}",
                    if unknown.len() > 1 { "s" } else { "" },
                    unknown.join(" ")
                );
                Ok(ExitCode::from(1))
            }
        }
        Some(Command::Bench {
            source,
            out,
            articles,
            queries,
            rg_queries,
            screen,
            screen_archive,
        }) => {
            let mut stdout = std::io::stdout().lock();
            if let Some(a) = screen_archive {
                let data = out.join("screen-data");
                kanbao::bench::screen(&a, &data, queries, &mut stdout)?;
                return Ok(ExitCode::SUCCESS);
            }
            let o = kanbao::bench::Options {
                source,
                out: out.clone(),
                articles,
                queries,
                rg_queries,
            };
            kanbao::bench::run(&o, &mut stdout)?;
            if screen {
                kanbao::bench::screen(
                    &out.join("archive"),
                    &out.join("data"),
                    queries,
                    &mut stdout,
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        None => {
            kanbao::archive::check_root(&archive)?;
            kanbao::tui::check_terminal()?;
            let data = cli.global.data_dir()?;
            let (store, synced) =
                kanbao::search_cli::open_synced_status(&data, &archive, false, false, false)?;
            let settings = cli.global.settings(&config);
            let theme = kanbao::tui::theme::Theme::named(
                cli.global
                    .theme
                    .as_deref()
                    .or(config.theme.as_deref())
                    .unwrap_or("default"),
                kanbao::tui::theme::Depth::detect(),
            );
            let name = std::fs::canonicalize(&archive)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| archive.display().to_string());
            let state = kanbao::state::State::open(&data)?;
            let look = kanbao::tui::Look {
                settings,
                theme,
                keymap,
                config_path: config.path.display().to_string(),
            };
            kanbao::tui::run(
                store,
                state,
                data.clone(),
                archive.clone(),
                name,
                look,
                !synced,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Issues) => {
            let lib = library::load(&archive)?;
            for w in &lib.warnings {
                eprintln!("kanbao: warning: {w}");
            }
            let mut out = std::io::stdout().lock();
            for i in &lib.issues {
                writeln!(
                    out,
                    "{}  {:10}  {:3} articles  {}  {}",
                    i.meta.id,
                    i.meta.date,
                    i.articles().count(),
                    i.meta.source,
                    i.lead_headline()
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
