//! `kanbao [ARCHIVE]`: the reader (crate::tui).

use std::process::ExitCode;

pub fn run(ctx: &super::Ctx) -> anyhow::Result<ExitCode> {
    crate::archive::check_root(&ctx.archive)?;
    crate::tui::check_terminal()?;
    let data = ctx.global.data_dir()?;
    let (store, synced) =
        super::open::open_synced_status(&data, &ctx.archive, false, false, false)?;
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
    crate::tui::run(
        store,
        state,
        data.clone(),
        ctx.archive.clone(),
        name,
        look,
        !synced,
    )?;
    Ok(ExitCode::SUCCESS)
}
