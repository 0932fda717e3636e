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
        Some(Command::Issues) | None => {
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
