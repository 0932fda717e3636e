//! `kanbao export`: every record of the archive as JSON Lines (docs/EXPORT.md).

use std::process::ExitCode;

pub fn run(ctx: &super::Ctx) -> anyhow::Result<ExitCode> {
    let lib = crate::library::load(&ctx.archive)?;
    for w in &lib.warnings {
        eprintln!("kanbao: warning: {w}");
    }
    let stdout = std::io::stdout();
    crate::export::write_jsonl(&lib.issues, std::io::BufWriter::new(stdout.lock()))?;
    Ok(ExitCode::SUCCESS)
}
