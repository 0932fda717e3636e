//! `kanbao config [--path | --default]`: where the config file is, or a commented default.

use std::process::ExitCode;

pub fn print_default() -> anyhow::Result<ExitCode> {
    print!("{}", crate::config::DEFAULT);
    Ok(ExitCode::SUCCESS)
}

/// `--path`, or no flag: where the file is and (without `--path`) whether it exists.
pub fn where_is(config: &crate::config::Config, path_only: bool) -> anyhow::Result<ExitCode> {
    println!("{}", config.path.display());
    if !config.path.exists() && !path_only {
        eprintln!("kanbao: (not created yet; `kanbao config --default > FILE` writes one)");
    }
    Ok(ExitCode::SUCCESS)
}
