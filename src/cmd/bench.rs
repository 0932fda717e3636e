//! `kanbao bench`: the benchmarks of docs/PERFORMANCE.md (crate::bench).

use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(
    o: crate::bench::Options,
    screen: bool,
    screen_archive: Option<PathBuf>,
    pinyin: Option<PathBuf>,
    fields: Option<(PathBuf, usize)>,
    layout: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    if let Some(a) = layout {
        crate::bench::layout_speed(&a, &o.out.join("layout"), &mut stdout)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some((a, sample)) = fields {
        crate::bench::fields(&a, &o.out.join("fields-data"), sample, &mut stdout)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(a) = pinyin {
        crate::bench::pinyin(&a, &o.out.join("pinyin-data"), o.queries, &mut stdout)?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(a) = screen_archive {
        let data = o.out.join("screen-data");
        crate::bench::screen(&a, &data, o.queries, &mut stdout)?;
        return Ok(ExitCode::SUCCESS);
    }
    crate::bench::run(&o, &mut stdout)?;
    if screen {
        crate::bench::screen(
            &o.out.join("archive"),
            &o.out.join("data"),
            o.queries,
            &mut stdout,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
