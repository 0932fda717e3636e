//! Assemble pages from line labels and print their articles as JSON Lines that
//! `score_segmentation.py` reads: the labels written by the page generator (how well assembly
//! does when every label is right), or a model's.
//!
//!     cargo run --release --example assemble_labels -- PAGES_DIR [MODEL [SECOND_MODEL]] > e.jsonl
//!     python3 ../shared/eval/score_segmentation.py --truth PAGES_DIR.json --pred e.jsonl
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: assemble_labels PAGES_DIR [MODEL [SECOND_MODEL]]");
        std::process::exit(2);
    };
    let bytes = args.get(1).map(std::fs::read).transpose()?;
    let bytes2 = args.get(2).map(std::fs::read).transpose()?;
    let model = bytes
        .as_deref()
        .map(|b| kanbao::layout::crf::Crf::new(b, bytes2.as_deref()))
        .transpose()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let lines = kanbao::layout::lines::classify(&text);
        let labels = match &model {
            Some(m) => kanbao::layout::crf::tag_with(Some(m), &lines),
            None => {
                let given = std::fs::read_to_string(f.with_extension("labels"))?;
                let Some(l) = kanbao::layout::crf::align_labels(&lines, &given) else {
                    eprintln!("{}: labels do not line up, skipped", f.display());
                    continue;
                };
                l
            }
        };
        let source = f.file_name().unwrap_or_default().to_string_lossy();
        for s in kanbao::layout::assemble::assemble(&lines, &labels) {
            let join = |v: Vec<&str>| v.join(" ");
            let title = join(s.heads.iter().map(|h| h.text.as_str()).collect());
            let byline = join(s.bylines.iter().map(|b| b.1.as_str()).collect());
            let paragraphs: Vec<&str> = s
                .paras
                .iter()
                .map(|p| p.text.as_str())
                .filter(|t| !t.is_empty())
                .collect();
            let kind = if s.fragment { "fragment" } else { "article" };
            println!(
                "{}",
                serde_json::json!({"source": source, "kind": kind, "title": title,
                    "byline": byline, "paragraphs": paragraphs})
            );
        }
    }
    Ok(())
}
