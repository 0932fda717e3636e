//! `kanbao completions SHELL`: shell completions from the clap definition.

use std::process::ExitCode;

pub fn run(shell: clap_complete::Shell) -> anyhow::Result<ExitCode> {
    clap_complete::generate(
        shell,
        &mut super::command(),
        "kanbao",
        &mut std::io::stdout(),
    );
    Ok(ExitCode::SUCCESS)
}
