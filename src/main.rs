use clap::Parser;
use kanbao::cli::{Cli, Command};
use kanbao::library;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kanbao: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let archive = cli.global.archive_dir(cli.path.as_ref());
    match cli.command {
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
            let store = kanbao::search_cli::open_synced(&data, &archive, rebuild, false)?;
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
            json,
        }) => {
            let data = cli.global.data_dir()?;
            let store = kanbao::search_cli::open_synced(&data, &archive, false, true)?;
            let mut state = kanbao::state::State::open(&data)?;
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
        }) => {
            let o = kanbao::bench::Options {
                source,
                out,
                articles,
                queries,
                rg_queries,
            };
            kanbao::bench::run(&o, &mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            kanbao::archive::check_root(&archive)?;
            kanbao::tui::check_terminal()?;
            let data = cli.global.data_dir()?;
            let store = kanbao::search_cli::open_synced(&data, &archive, false, false)?;
            let settings = kanbao::tui::app::Settings {
                ambiguous: cli.global.ambiguous_width,
                measure: cli.global.measure as usize * 2,
                indent: !cli.global.no_indent,
            };
            let name = std::fs::canonicalize(&archive)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| archive.display().to_string());
            let state = kanbao::state::State::open(&data)?;
            kanbao::tui::run(store, state, archive.clone(), name, settings)?;
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
