//! `kanbao index` and `kanbao search`: the command-line faces of the index.

use crate::index::{query, SearchResult, Store};
use crate::text::sanitize_for_terminal;
use std::io::{BufRead, IsTerminal, Write};
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
    crate::index::create_private_dir(data_dir).map_err(|e| {
        anyhow::anyhow!("cannot create the data folder {}: {e}", data_dir.display())
    })?;
    let mut say = |m: String| {
        log::info!("{m}");
        eprintln!("kanbao: {m}");
    };
    let mut store = if rebuild {
        Store::recreate(data_dir, archive)?
    } else {
        Store::open_with(data_dir, archive, &mut say)?
    };
    if store.rebuilding() {
        // marks made by an older kanbao: keep what their articles said before the old index goes
        let mut state = crate::state::State::open(data_dir)?;
        crate::follow::save_legacy(&store, &mut state)?;
    }
    let tty = std::io::stderr().is_terminal() && !quiet;
    let t0 = std::time::Instant::now();
    let mut last = std::time::Instant::now() - std::time::Duration::from_secs(1);
    let mut progress = |done: usize, total: usize, name: &str| {
        if quiet {
            return;
        }
        if tty {
            if last.elapsed().as_millis() < 80 && done < total {
                return;
            }
            last = std::time::Instant::now();
            let width = 30;
            let fill = (done * width).checked_div(total).unwrap_or(width);
            let name: String = sanitize_for_terminal(name).chars().take(40).collect();
            eprint!(
                "\r\x1b[2Kindexing [{}{}] {done}/{total} {name}",
                "#".repeat(fill),
                "-".repeat(width - fill)
            );
            if done == total {
                eprintln!();
            }
        } else if !name.is_empty() && (done.is_multiple_of(100) || done + 1 == total) {
            eprintln!(
                "indexing {}/{total} {}",
                done + 1,
                sanitize_for_terminal(name)
            );
        }
    };
    let synced = if wait {
        store.sync(archive, &mut progress).map(Some)
    } else {
        store.try_sync(archive, &mut progress)
    };
    let dir = store.dir.display().to_string();
    let report = match synced
        .map_err(|e| anyhow::anyhow!("could not update the search index in {dir}: {e}"))?
    {
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
            "kanbao: index: {} files indexed ({} records), {} unchanged, {} removed in {:.1?}",
            report.indexed,
            report.records,
            report.unchanged,
            report.removed,
            t0.elapsed()
        );
    }
    Ok((store, true))
}

/// The JSON line answering one query.
pub fn json_line(q: &str, r: Result<SearchResult, String>) -> String {
    match r {
        Ok(res) => {
            let mut v = serde_json::json!({
                "query": q,
                "total": res.total,
                "took_us": res.took_us,
                "hits": res.hits,
            });
            // matches through pinyin or the other script: apart, so that `hits` and `total`
            // stay exactly the records containing the query
            if !res.also.is_empty() || res.also_total > 0 {
                v["also_total"] = res.also_total.into();
                v["also"] = serde_json::to_value(&res.also).unwrap_or_default();
            }
            v.to_string()
        }
        Err(e) => serde_json::json!({ "query": q, "error": e }).to_string(),
    }
}

pub fn run_query(store: &Store, q: &str, limit: usize) -> Result<SearchResult, String> {
    run_query_with(store, q, limit, &mut || {
        Err("is: and tag: need the reader state".into())
    })
}

/// Run a query; `sets` is asked for the reader state only when the query uses is: or tag:.
pub fn run_query_with(
    store: &Store,
    q: &str,
    limit: usize,
    sets: &mut dyn FnMut() -> Result<std::sync::Arc<crate::index::StateSets>, String>,
) -> Result<SearchResult, String> {
    let parsed = query::parse(q).map_err(|e| e.to_string())?;
    if parsed.is_empty() {
        return Err("empty query: type the words to find".into());
    }
    let s = if parsed.uses_state() {
        Some(sets()?)
    } else {
        None
    };
    let r = store
        .search_with(&parsed, limit, s.as_deref())
        .map_err(|e| format!("search failed: {e}"));
    match &r {
        Ok(res) => log::debug!("query {q:?}: {} hits in {} µs", res.total, res.took_us),
        Err(e) => log::debug!("query {q:?}: {e}"),
    }
    r
}

/// The reader state of `data_dir` as id sets (for is: and tag: in `kanbao search`).
pub fn state_sets(
    data_dir: &std::path::Path,
) -> Result<std::sync::Arc<crate::index::StateSets>, String> {
    let st = crate::state::State::open(data_dir).map_err(|e| e.to_string())?;
    let marks = st.all_marks().map_err(|e| e.to_string())?;
    Ok(std::sync::Arc::new(crate::index::StateSets::from_marks(
        marks.iter(),
    )))
}

/// Pad or cut `s` to exactly `w` display cells.
pub fn fit(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = crate::text::char_width(c, 1);
        if used + cw > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.extend(std::iter::repeat_n(' ', w - used));
    out
}

/// Human-readable listing: date, title and place aligned by display width, then the snippet
/// with matches highlighted (on a terminal).
pub fn print_listing(out: &mut impl Write, res: &SearchResult, color: bool) -> std::io::Result<()> {
    writeln!(
        out,
        "{} hits ({:.1} ms)",
        res.total,
        res.took_us as f64 / 1000.0
    )?;
    if res.also_total > 0 {
        writeln!(
            out,
            "{} more by pinyin or traditional/simplified characters, listed after these",
            res.also_total
        )?;
    }
    for h in res.hits.iter().chain(&res.also) {
        let title = sanitize_for_terminal(&h.title);
        let place = format!("{}#{}", h.source, h.seq);
        let date = if h.date.is_empty() {
            "----------".to_string()
        } else {
            h.date.clone()
        };
        let (b, r) = if color {
            ("\x1b[1m", "\x1b[0m")
        } else {
            ("", "")
        };
        let mark = h.mark();
        writeln!(
            out,
            "{date}  {mark}{b}{}{r}  {}",
            fit(&title, 40),
            sanitize_for_terminal(&place)
        )?;
        let chars: Vec<char> = sanitize_for_terminal(&h.snippet).chars().collect();
        let mut line = String::from("            ");
        let mut pos = 0;
        for [s, e] in &h.highlights {
            let (s, e) = ((*s).min(chars.len()), (*e).min(chars.len()));
            line.extend(&chars[pos.min(s)..s]);
            if color {
                line.push_str("\x1b[7m");
            }
            line.extend(&chars[s..e]);
            if color {
                line.push_str("\x1b[0m");
            }
            pos = e;
        }
        line.extend(&chars[pos.min(chars.len())..]);
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `kanbao search`.
pub fn search(
    store: &Store,
    data_dir: &std::path::Path,
    query: Option<&str>,
    limit: usize,
    json: bool,
    stdin: bool,
) -> anyhow::Result<bool> {
    let mut cached: Option<std::sync::Arc<crate::index::StateSets>> = None;
    let mut sets = || -> Result<std::sync::Arc<crate::index::StateSets>, String> {
        if let Some(c) = &cached {
            return Ok(c.clone());
        }
        let s = state_sets(data_dir)?;
        cached = Some(s.clone());
        Ok(s)
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if stdin {
        for line in std::io::stdin().lock().lines() {
            let line = line?;
            let q = line.trim_end_matches('\r');
            let r = run_query_with(store, q, limit, &mut sets);
            if json {
                writeln!(out, "{}", json_line(q, r))?;
            } else {
                match r {
                    Ok(res) => print_listing(&mut out, &res, false)?,
                    Err(e) => writeln!(out, "error: {e}")?,
                }
            }
            out.flush()?;
        }
        return Ok(true);
    }
    let Some(q) = query else {
        anyhow::bail!("give a query, or --stdin to read queries from standard input");
    };
    let r = run_query_with(store, q, limit, &mut sets);
    let ok = r.is_ok();
    if json {
        writeln!(out, "{}", json_line(q, r))?;
    } else {
        match r {
            Ok(res) => print_listing(
                &mut out,
                &res,
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            )?,
            Err(e) => {
                out.flush()?;
                eprintln!("kanbao: {e}");
            }
        }
    }
    out.flush()?;
    Ok(ok)
}
