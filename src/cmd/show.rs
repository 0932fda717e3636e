//! `kanbao show ID [--format md]`: one article as text or Markdown.

use crate::cli::ShowFormat;
use std::io::Write;
use std::process::ExitCode;

pub fn run(ctx: &super::Ctx, id: &str, format: ShowFormat) -> anyhow::Result<ExitCode> {
    let data = ctx.data_dir()?;
    let store = super::open::open_checked(&data, &ctx.archive, true)?;
    let Some(r) = store.record(id)? else {
        eprintln!("kanbao: unknown id: {id}");
        return Ok(ExitCode::from(1));
    };
    let text = match format {
        ShowFormat::Text => crate::article::to_text(&r),
        ShowFormat::Md => crate::article::to_markdown(&r),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
