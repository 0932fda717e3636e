//! Train the line labeller (see scripts/train_layout.sh).
//!
//!     cargo run --release --example train_layout -- OUT.crfsuite ITERATIONS GENERATED_DIR [ARCHIVE_DIR:WEIGHT ...]
//!
//! GENERATED_DIR holds `*.txt` pages with their `*.labels` (scripts/make_pages.py, the tune
//! part only). Each ARCHIVE_DIR (any archive folder, read recursively) adds its pages with
//! labels read off the rule-based analysis, weighted WEIGHT: only for pages whose rule-based
//! cut is known to be right (scored 1.00 against their reference).
use std::path::{Path, PathBuf};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!(
            "usage: train_layout OUT.crfsuite ITERATIONS GENERATED_DIR [ARCHIVE_DIR:WEIGHT ...]"
        );
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[0]);
    let iterations: usize = args[1].parse().unwrap_or(150);
    let mut pages = Vec::new();
    let mut gen = Vec::new();
    files(Path::new(&args[2]), "txt", &mut gen);
    gen.sort();
    for f in gen {
        if let (Ok(t), Ok(l)) = (
            std::fs::read_to_string(&f),
            std::fs::read_to_string(f.with_extension("labels")),
        ) {
            pages.push((t, l, 1.0));
        }
    }
    for spec in &args[3..] {
        let (dir, weight) = spec.rsplit_once(':').unwrap_or((spec.as_str(), "1"));
        let weight: f64 = weight.parse().unwrap_or(1.0);
        let mut fs = Vec::new();
        files(Path::new(dir), "txt", &mut fs);
        fs.sort();
        for f in fs {
            let Ok(bytes) = std::fs::read(&f) else {
                continue;
            };
            let Some(d) = kanbao::archive::decode(&bytes) else {
                continue;
            };
            let lines = kanbao::layout::lines::classify(&d.text);
            let segs = kanbao::layout::segment::segment(&kanbao::layout::reflow::reflow(&lines));
            let labels = kanbao::layout::crf::labels_from_segments(&lines, &segs);
            // `classify` works on the decoded text: train on that text, so lines line up
            pages.push((
                d.text.clone(),
                String::from_utf8_lossy(&labels).into_owned(),
                weight,
            ));
        }
    }
    let t = std::time::Instant::now();
    let used = kanbao::layout::crf::train(&pages, &out, iterations)?;
    eprintln!(
        "trained on {used} of {} pages in {:.1}s: {}",
        pages.len(),
        t.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}
