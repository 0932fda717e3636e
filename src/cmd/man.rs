//! `kanbao man`: the manual page (roff) from the clap definition.

use std::process::ExitCode;

pub fn run() -> anyhow::Result<ExitCode> {
    clap_mangen::Man::new(super::command()).render(&mut std::io::stdout())?;
    Ok(ExitCode::SUCCESS)
}
