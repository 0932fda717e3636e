//! `kanbao search QUERY [--json] [--stdin] [--limit N]`.

use crate::index::{run_query_with, SearchResult, Store};
use crate::text::sanitize_for_terminal;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

pub fn run(
    ctx: &super::Ctx,
    query: Option<&str>,
    limit: usize,
    json: bool,
    stdin: bool,
) -> anyhow::Result<ExitCode> {
    let data = ctx.data_dir()?;
    let store = super::open::open_checked(&data, &ctx.archive, json || stdin)?;
    let ok = search(&store, &data, query, limit, json, stdin)?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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

/// The hit lines of `kanbao search` without `--json`: one line per hit, five fields separated by
/// tabs, documented in the guide and the manual page:
///
/// `ID  DATE  TITLE  SNIPPET  MATCH`
///
/// ID is what `show`, `mark` and `list` take; DATE is `YYYY-MM-DD` or `-`; MATCH is `text` for
/// records holding the query as written, `pinyin` or `script` (traditional/simplified) for the
/// ones found otherwise, which come after them. No field holds a tab or a line break (control
/// characters are shown as their visible stand-ins). With `color` (a terminal) the title is
/// bold and matches in the snippet are shown in reverse video.
pub fn print_listing(out: &mut impl Write, res: &SearchResult, color: bool) -> std::io::Result<()> {
    let (b, r, rev) = if color {
        ("\x1b[1m", "\x1b[0m", "\x1b[7m")
    } else {
        ("", "", "")
    };
    for h in res.hits.iter().chain(&res.also) {
        let title = sanitize_for_terminal(&h.title);
        let date = if h.date.is_empty() { "-" } else { &h.date };
        let via = match h.via {
            None => "text",
            Some(crate::index::Via::Pinyin) => "pinyin",
            Some(crate::index::Via::Script) => "script",
        };
        let mut snippet = String::new();
        for (t, hl) in crate::text::snippet_window(&h.snippet, &h.highlights, usize::MAX, 1) {
            if hl {
                snippet.push_str(rev);
            }
            snippet.push_str(&t);
            if hl {
                snippet.push_str(r);
            }
        }
        writeln!(
            out,
            "{}\t{date}\t{b}{title}{r}\t{snippet}\t{via}",
            sanitize_for_terminal(&h.id)
        )?;
    }
    Ok(())
}

/// The summary of one answer, for a person: `3 hits · 2 more by pinyin or 繁简 (1.2 ms)`.
pub fn summary(res: &SearchResult) -> String {
    let mut s = crate::text::count(res.total, "hit", "hits");
    if res.also_total > 0 {
        s.push_str(&format!(" · {} more by pinyin or 繁简", res.also_total));
    }
    format!("{s} ({:.1} ms)", res.took_us as f64 / 1000.0)
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
    let mut cached: Option<std::sync::Arc<crate::state::StateSets>> = None;
    let mut sets = || -> Result<std::sync::Arc<crate::state::StateSets>, String> {
        if let Some(c) = &cached {
            return Ok(c.clone());
        }
        let s = crate::state::sets_of(data_dir)?;
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
                // each answer after a line naming its query
                match r {
                    Ok(res) => {
                        writeln!(out, "# {}\t{}", sanitize_for_terminal(q), summary(&res))?;
                        print_listing(&mut out, &res, false)?
                    }
                    Err(e) => writeln!(out, "# {}\terror: {e}", sanitize_for_terminal(q))?,
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
            Ok(res) => {
                let tty = std::io::stdout().is_terminal();
                print_listing(
                    &mut out,
                    &res,
                    tty && std::env::var_os("NO_COLOR").is_none(),
                )?;
                out.flush()?;
                // how many, for a person; scripts read the lines
                if std::io::stderr().is_terminal() {
                    eprintln!("{}", summary(&res));
                }
            }
            Err(e) => {
                out.flush()?;
                eprintln!("kanbao: {e}");
            }
        }
    }
    out.flush()?;
    Ok(ok)
}
