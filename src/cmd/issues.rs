//! `kanbao issues`: one line per issue file, analysed afresh (no index).

use std::io::Write;
use std::process::ExitCode;

pub fn run(ctx: &super::Ctx) -> anyhow::Result<ExitCode> {
    let lib = crate::library::load(&ctx.archive)?;
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
