//! The `kanbao` binary: parse the command line, run it (`kanbao::cmd`), report an error.

use clap::FromArgMatches;
use kanbao::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&kanbao::cmd::command().get_matches()) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match kanbao::cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            log::error!("{e:#}");
            eprintln!("kanbao: {e:#}");
            ExitCode::from(2)
        }
    }
}
