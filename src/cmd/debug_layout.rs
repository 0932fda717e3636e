//! `kanbao debug-layout FILE`: how layout analysis sees one page (lines with
//! `KANBAO_DEBUG_LINES`, paragraphs, records), for working on the analysis.

use std::process::ExitCode;

pub fn run(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file)?;
    let d = crate::archive::decode(&bytes).ok_or_else(|| anyhow::anyhow!("not text"))?;
    let lines = crate::layout::lines::classify(&d.text);
    if std::env::var_os("KANBAO_DEBUG_LINES").is_some() {
        let (h, w) = crate::layout::reflow::decide_headings(&lines);
        for (i, l) in lines.iter().enumerate() {
            if !l.is_blank() {
                println!(
                    "{i:4} {:?} w={} W={} h={} {}",
                    l.kind,
                    l.width,
                    w[i] as i64,
                    h[i],
                    l.text.chars().take(30).collect::<String>()
                );
            }
        }
    }
    for u in crate::layout::reflow::reflow(&lines) {
        match u {
            crate::layout::reflow::Unit::Para(p) => println!(
                "P{} t={} dl={:?} {}",
                p.line,
                p.terminal,
                p.dateline,
                p.text.chars().take(40).collect::<String>()
            ),
            other => println!("{other:?}"),
        }
    }
    println!("------");
    let meta = crate::model::IssueMeta::default();
    for r in crate::layout::analyze(&d.text, &meta) {
        println!(
            "#{} {:?} k={:?} t={:?} s={:?} b={:?} sec={:?}",
            r.seq, r.kind, r.kicker, r.title, r.subtitle, r.byline, r.section
        );
        for p in &r.paragraphs {
            println!("    | {}", p.chars().take(50).collect::<String>());
        }
    }
    Ok(ExitCode::SUCCESS)
}
