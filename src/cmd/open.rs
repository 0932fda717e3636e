//! Opening an archive's index for a command: sync it with the archive (with a progress bar
//! on a terminal), or use the last committed state while another process writes it; then carry
//! marks to their articles if the index changed.

use crate::index::Store;
use crate::text::sanitize_for_terminal;
use std::io::IsTerminal;
use std::path::Path;

/// Open the archive's index and sync it, reporting progress on standard error, then carry
/// marks to their articles if the index changed.
///
/// `rebuild` starts the index anew. Only one process writes an index at a time: when another
/// one is writing, a command that must write (`kanbao index`, `wait`) waits for it with a
/// message; one that only reads or marks uses the last committed index at once.
pub fn open_synced(
    data_dir: &Path,
    archive: &Path,
    rebuild: bool,
    quiet: bool,
) -> anyhow::Result<Store> {
    open_synced_with(data_dir, archive, rebuild, rebuild, quiet)
}

/// Open the archive's index as last committed, without looking at the archive (the reader
/// checks it in the background): create the data folder, open or create the index (saying
/// why a rebuild starts), and keep what marked articles said before an old index goes.
pub fn open_unsynced(data_dir: &Path, archive: &Path, rebuild: bool) -> anyhow::Result<Store> {
    crate::paths::create_private_dir(data_dir).map_err(|e| {
        anyhow::anyhow!("cannot create the data folder {}: {e}", data_dir.display())
    })?;
    let mut say = |m: String| {
        log::info!("{m}");
        eprintln!("kanbao: {m}");
    };
    let store = if rebuild {
        Store::recreate_with(data_dir, archive, &mut say)?
    } else {
        Store::open_with(data_dir, archive, &mut say)?
    };
    if store.rebuilding() {
        // marks made by an older kanbao: keep what their articles said before the old index goes
        let mut state = crate::state::State::open(data_dir)?;
        crate::follow::save_legacy(&store, &mut state)?;
    }
    Ok(store)
}

/// [`open_synced`], choosing whether to wait for another writer (`wait`).
pub fn open_synced_with(
    data_dir: &Path,
    archive: &Path,
    rebuild: bool,
    wait: bool,
    quiet: bool,
) -> anyhow::Result<Store> {
    open_synced_status(data_dir, archive, rebuild, wait, quiet).map(|(s, _)| s)
}

/// [`open_synced_with`], also saying whether the index was brought in line with the archive
/// (false: another process was writing it, so this is its last committed state).
pub fn open_synced_status(
    data_dir: &Path,
    archive: &Path,
    rebuild: bool,
    wait: bool,
    quiet: bool,
) -> anyhow::Result<(Store, bool)> {
    let store = open_unsynced(data_dir, archive, rebuild)?;
    sync_opened(store, data_dir, archive, wait, quiet)
}

/// For commands that read the index (search, show, list, mark): the index as last committed
/// when none of the archive's folders changed since the last full check
/// ([`Store::archive_changed`]: one `stat` per folder, not per file), else
/// [`open_synced`]. A file rewritten in place is seen by the next full check (`kanbao index`,
/// the reader).
pub fn open_checked(data_dir: &Path, archive: &Path, quiet: bool) -> anyhow::Result<Store> {
    let store = open_unsynced(data_dir, archive, false)?;
    if !store.rebuilding() && !store.archive_changed(archive).unwrap_or(true) {
        log::debug!("archive folders unchanged since the last check: index used as it is");
        return Ok(store);
    }
    sync_opened(store, data_dir, archive, false, quiet).map(|(s, _)| s)
}

fn sync_opened(
    mut store: Store,
    data_dir: &Path,
    archive: &Path,
    wait: bool,
    quiet: bool,
) -> anyhow::Result<(Store, bool)> {
    let say = |m: String| {
        log::info!("{m}");
        eprintln!("kanbao: {m}");
    };
    let tty = std::io::stderr().is_terminal() && !quiet;
    let t0 = std::time::Instant::now();
    // progress is for a person watching: on a terminal only, and only called when files are
    // read at all; files per second and the time left, from indicatif
    let bar = if tty {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "indexing [{bar:30}] {pos}/{len} files · {rate} · {eta} left {wide_msg}",
        )
        .expect("a valid template")
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} files/s", s.per_sec());
            },
        )
        .progress_chars("#>-"),
    );
    let mut progress = |done: usize, total: usize, name: &str| {
        if bar.length() != Some(total as u64) {
            bar.set_length(total as u64);
            bar.reset_eta();
        }
        bar.set_position(done as u64);
        let name: String = sanitize_for_terminal(name).chars().take(40).collect();
        bar.set_message(name);
        if done == total {
            bar.finish_with_message("");
        }
    };
    let mut synced = store.try_sync(archive, &mut progress);
    if wait && matches!(synced, Ok(None)) {
        say("waiting for another kanbao to finish updating the search index".into());
        synced = store.sync(archive, &mut progress).map(Some);
    }
    let dir = store.dir.display().to_string();
    let report = match synced.map_err(|e| {
        // tantivy's worker threads lose the io error that stopped them ("an index writer was
        // killed"): when the disk is the trouble, say what the disk says
        match disk_trouble(&store.dir) {
            Some(disk) => anyhow::anyhow!("could not update the search index in {dir}: {disk}"),
            None => anyhow::anyhow!("could not update the search index in {dir}: {e}"),
        }
    })? {
        Some(r) => r,
        None => {
            say(
                "another kanbao is updating the search index: using its last committed state"
                    .into(),
            );
            return Ok((store, false));
        }
    };
    let mut state = crate::state::State::open(data_dir)?;
    let carried = crate::follow::carry_marks(&store, &mut state)?;
    if carried.moved + carried.orphaned > 0 {
        say(format!(
            "marks: {} followed their article to its new id{}",
            carried.moved,
            if carried.orphaned > 0 {
                format!(
                    "; {} lost their article (kanbao list --orphans)",
                    carried.orphaned
                )
            } else {
                String::new()
            }
        ));
    }
    for w in &report.warnings {
        log::warn!("{w}");
        eprintln!("kanbao: warning: {}", sanitize_for_terminal(w));
    }
    log::info!(
        "index {}: {} indexed ({} records), {} unchanged, {} removed in {:.1?}",
        store.dir.display(),
        report.indexed,
        report.records,
        report.unchanged,
        report.removed,
        t0.elapsed()
    );
    if !quiet && (report.indexed > 0 || report.removed > 0) {
        eprintln!(
            "kanbao: index: {} indexed ({}), {} unchanged, {} removed in {:.1?}",
            crate::text::count(report.indexed, "file", "files"),
            crate::text::count(report.records, "record", "records"),
            report.unchanged,
            report.removed,
            t0.elapsed()
        );
    }
    Ok((store, true))
}

/// After a failed index update: can the index folder still take what an update writes?
/// Returns the io error of a probe file of up to 16 MB (no space left, file too large,
/// read-only…), written a megabyte at a time and removed at once.
fn disk_trouble(dir: &std::path::Path) -> Option<String> {
    use std::io::Write;
    let probe = dir.join(".kanbao-space-probe");
    let res = std::fs::File::create(&probe).and_then(|mut f| {
        let mb = vec![0u8; 1 << 20];
        for _ in 0..16 {
            f.write_all(&mb)?;
        }
        f.sync_all()
    });
    let _ = std::fs::remove_file(&probe);
    res.err().map(|e| e.to_string())
}
