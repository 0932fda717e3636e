//! `kanbao search QUERY [--json] [--stdin] [--limit N]`.

use crate::index::{run_query_with, SearchResult, Store};
use crate::text::{fit, sanitize_for_terminal};
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
    let store = super::open::open_synced(&data, &ctx.archive, false, json || stdin)?;
    let ambiguous = ctx.global.settings(&ctx.config).ambiguous;
    let ok = search(&store, &data, query, limit, json, stdin, ambiguous)?;
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

/// Human-readable listing: date, title and place aligned by display width, then the snippet
/// with matches highlighted (on a terminal).
/// `ambiguous`: the cell width of ambiguous-width characters in this terminal (the setting).
pub fn print_listing(
    out: &mut impl Write,
    res: &SearchResult,
    color: bool,
    ambiguous: u8,
) -> std::io::Result<()> {
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
            fit(&title, 40, ambiguous),
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
    ambiguous: u8,
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
                match r {
                    Ok(res) => print_listing(&mut out, &res, false, ambiguous)?,
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
                ambiguous,
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
