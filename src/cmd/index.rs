//! `kanbao index [--rebuild]`: bring the index in line with the archive (waiting for another
//! writer), or build it anew.

use std::process::ExitCode;

pub fn run(ctx: &super::Ctx, rebuild: bool) -> anyhow::Result<ExitCode> {
    let data = ctx.data_dir()?;
    // pages cut by an older analysis are all cut again (readers keep the old index meanwhile)
    let live = crate::index::index_dir(&data, &ctx.archive);
    let recut = !rebuild && crate::index::cut_by_older_analysis(&live);
    if recut {
        eprintln!(
            "kanbao: the index's pages were cut into articles by an older version of the layout \
             analysis: building it again (readers keep using the old one until it is done; \
             marks follow their articles)"
        );
    }
    let store = super::open::open_synced_with(&data, &ctx.archive, rebuild || recut, true, false)?;
    // the archive's words by pinyin, kept for the commands and readers that come next
    store.keep_pinyin_words();
    eprintln!(
        "kanbao: {} in the index at {}",
        crate::text::count(store.len(), "record", "records"),
        store.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
