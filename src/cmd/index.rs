//! `kanbao index [--rebuild]`: bring the index in line with the archive (waiting for another
//! writer), or build it anew.

use std::process::ExitCode;

pub fn run(ctx: &super::Ctx, rebuild: bool) -> anyhow::Result<ExitCode> {
    let data = ctx.data_dir()?;
    let store = super::open::open_synced_with(&data, &ctx.archive, rebuild, true, false)?;
    // the archive's words by pinyin, kept for the commands and readers that come next
    store.keep_pinyin_words();
    eprintln!(
        "kanbao: {} in the index at {}",
        crate::text::count(store.len(), "record", "records"),
        store.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
