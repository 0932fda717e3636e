//! `kanbao debug-layout FILE`: how layout analysis sees one page (each line with the label the
//! line labeller gives it, then the records), for working on the analysis.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

pub fn run(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file)?;
    let d = crate::archive::decode(&bytes).ok_or_else(|| anyhow::anyhow!("not text"))?;
    // a page in traditional characters is read in simplified ones (`layout::script`): shown
    // as the analysis reads it; the records below are in the page's own characters
    let simplified = crate::layout::script::simplified(&d.text);
    let lines = crate::layout::lines::classify(simplified.as_deref().unwrap_or(&d.text));
    let labels = crate::layout::crf::tag(&lines);
    // archive text is untrusted: built into one string, made safe for a terminal, written once
    // (a closed pipe, as with `| head`, ends the output quietly)
    let mut out = String::new();
    if simplified.is_some() {
        let _ = writeln!(
            out,
            "------ a page in traditional characters: read in simplified ones"
        );
    }
    for (i, l) in lines.iter().enumerate() {
        if !l.is_blank() {
            let _ = writeln!(
                out,
                "{i:4} {} {:?} w={} {}",
                labels[i] as char,
                l.kind,
                l.width,
                l.text.chars().take(40).collect::<String>()
            );
        }
    }
    let rules = crate::layout::segment::segment(&crate::layout::reflow::reflow(&lines));
    let lab = crate::layout::assemble::assemble(&lines, &labels);
    use crate::layout::choice;
    let (rs, ls) = (choice::summary(&rules), choice::summary(&lab));
    let features = choice::features(&lines, &rs, &ls);
    let _ = writeln!(
        out,
        "------ coherence: rules {:.2}, labeller {:.2}; log-odds that the labeller's cut is better {:.2}; taken: {:?}",
        rs.coherence,
        ls.coherence,
        choice::log_odds(&features),
        crate::layout::segments_with(&lines).1
    );
    let _ = writeln!(
        out,
        "------ gate: log-odds from the labeller's cut alone {:.2} (the rules are not run above {:.1}): {}",
        choice::gate_log_odds(&lines, &ls),
        choice::GATE_MARGIN,
        if choice::rules_needed(&lines, &ls) {
            "rules run"
        } else {
            "rules not run"
        }
    );
    if crate::layout::rules_only(&lines) {
        let _ = writeln!(
            out,
            "------ Markdown headings of {} levels: the rules read the page whatever the figures",
            crate::layout::markdown_levels(&lines)
        );
    }
    let _ = writeln!(
        out,
        "------ choice figures: {}",
        choice::NAMES
            .iter()
            .zip(features)
            .map(|(n, x)| format!("{n}={x:.2}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let meta = crate::model::IssueMeta::default();
    for r in crate::layout::analyze(&d.text, &meta) {
        let _ = writeln!(
            out,
            "#{} {:?} k={:?} t={:?} s={:?} b={:?} sec={:?}",
            r.seq, r.kind, r.kicker, r.title, r.subtitle, r.byline, r.section
        );
        for p in &r.paragraphs {
            let _ = writeln!(out, "    | {}", p.chars().take(50).collect::<String>());
        }
    }
    let safe: String = out
        .split('\n')
        .map(crate::text::sanitize_for_terminal)
        .collect::<Vec<_>>()
        .join("\n");
    let _ = std::io::stdout().lock().write_all(safe.as_bytes());
    Ok(ExitCode::SUCCESS)
}
