//! Train the line labeller (see scripts/train_layout.sh).
//!
//!     cargo run --release --example train_layout -- OUT.crfsuite ITERATIONS GENERATED_DIR [ARCHIVE_DIR:WEIGHT ...]
//!
//! GENERATED_DIR holds `*.txt` pages with their `*.labels` (scripts/make_pages.py, the tune
//! part only). Each ARCHIVE_DIR (any archive folder, read recursively) adds its pages with
//! labels read off the rule-based analysis, weighted WEIGHT: only for pages whose rule-based
//! cut is known to be right (scored 1.00 against their reference).
use kanbao::layout::crf::TrainPage;
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
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // --fold K/N: leave out the generated pages i with i % N == K (a first reading for
    // cross-fitting); --stack M0,M1,…: train a second reading, generated page i stacked on
    // the labels of model i % N (trained without it), the other pages on M0's
    let mut take = |flag: &str| -> Option<String> {
        let at = args.iter().position(|a| a == flag)?;
        let v = args.get(at + 1).cloned();
        args.drain(at..(at + 2).min(args.len()));
        v
    };
    let fold: Option<(usize, usize)> = take("--fold").and_then(|v| {
        let (k, n) = v.split_once('/')?;
        Some((k.parse().ok()?, n.parse().ok()?))
    });
    let stack: Vec<Vec<u8>> = match take("--stack") {
        Some(v) => v.split(',').map(std::fs::read).collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let firsts: Vec<kanbao::layout::crf::Crf> = stack
        .iter()
        .map(|b| kanbao::layout::crf::Crf::from_bytes(b))
        .collect::<Result<_, _>>()?;
    if args.len() < 3 {
        eprintln!(
            "usage: train_layout OUT.crfsuite ITERATIONS GENERATED_DIR [ARCHIVE_DIR:WEIGHT ...] \\
             [--fold K/N] [--stack M0,M1,...]"
        );
        std::process::exit(2);
    }
    let out = PathBuf::from(&args[0]);
    let iterations: usize = args[1].parse().unwrap_or(150);
    let mut pages = Vec::new();
    let mut gen = Vec::new();
    files(Path::new(&args[2]), "txt", &mut gen);
    gen.sort();
    for (i, f) in gen.iter().enumerate() {
        if fold.is_some_and(|(k, n)| i % n.max(1) == k) {
            continue;
        }
        if let (Ok(text), Ok(labels)) = (
            std::fs::read_to_string(f),
            std::fs::read_to_string(f.with_extension("labels")),
        ) {
            let first = (!firsts.is_empty()).then(|| &firsts[i % firsts.len()]);
            pages.push(TrainPage {
                text,
                labels,
                weight: 1.0,
                first,
            });
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
            pages.push(TrainPage {
                text: d.text.clone(),
                labels: String::from_utf8_lossy(&labels).into_owned(),
                weight,
                first: firsts.first(),
            });
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
