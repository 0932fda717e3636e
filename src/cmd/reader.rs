//! `kanbao [ARCHIVE]`: the reader (crate::tui).

use std::process::ExitCode;

pub fn run(ctx: &super::Ctx) -> anyhow::Result<ExitCode> {
    crate::archive::check_root(&ctx.archive)?;
    crate::tui::check_terminal()?;
    let data = ctx.global.data_dir()?;
    // drawn from the index as last committed, at once; the archive is checked in the background
    // (progress in the status line), and what changed shows up when it is indexed
    let store = super::open::open_unsynced(&data, &ctx.archive, false)?;
    let settings = ctx.global.settings(&ctx.config);
    let theme = crate::tui::theme::Theme::named(
        ctx.global
            .theme
            .as_deref()
            .or(ctx.config.theme.as_deref())
            .unwrap_or("default"),
        crate::tui::theme::Depth::detect(),
    );
    let name = std::fs::canonicalize(&ctx.archive)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| ctx.archive.display().to_string());
    let state = crate::state::State::open(&data)?;
    let look = crate::tui::Look {
        settings,
        theme,
        keymap: ctx.keymap.clone(),
        config_path: ctx.config.path.display().to_string(),
    };
    crate::tui::run(store, state, data.clone(), ctx.archive.clone(), name, look)?;
    Ok(ExitCode::SUCCESS)
}
