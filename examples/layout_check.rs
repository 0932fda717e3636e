//! Layout analysis on the `.txt` pages of a folder, as indexing runs it (both analyses and the
//! choice), for work on the analysis:
//!
//!     cargo run --release --example layout_check -- DIR [REPS]      speed (MB/s, one core; for
//!                                                                   profiling under `perf`)
//!     DUMP=FILE cargo run --release --example layout_check -- DIR    every page's cut, to compare
//!                                                                   before and after a change
//!                                                                   that must not change cuts
//!     LABELS=NAME cargo run --release --example layout_check -- DIR  the labeller's label and the
//!                                                                   line kind of each line of the
//!                                                                   pages whose name has NAME,
//!                                                                   and the segments taken
//!
//! The figures of docs/LAYOUT.md come from `kanbao bench --layout`.
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .collect();
    if let Ok(f) = std::env::var("LABELS") {
        for (p, t) in paths.iter().zip(&texts) {
            if !p.to_string_lossy().contains(&f) {
                continue;
            }
            let lines = kanbao::layout::lines::classify(t);
            let labels = kanbao::layout::crf::tag(&lines);
            let (segs, m) = kanbao::layout::segments_with(&lines);
            println!("{m:?}");
            for (l, lab) in lines.iter().zip(&labels) {
                println!("{} {:?} {}", *lab as char, l.kind, l.text);
            }
            for s in segs {
                println!(
                    "SEG heads={:?} bylines={:?} first={:?}",
                    s.heads.iter().map(|h| &h.text).collect::<Vec<_>>(),
                    s.bylines,
                    s.paras
                        .first()
                        .map(|p| p.text.chars().take(20).collect::<String>())
                );
            }
        }
        return;
    }
    if let Ok(out) = std::env::var("DUMP") {
        let mut s = String::new();
        for t in &texts {
            let lines = kanbao::layout::lines::classify(t);
            let (segs, m) = kanbao::layout::segments_with(&lines);
            s.push_str(&format!("{m:?} {segs:?}\n"));
        }
        std::fs::write(out, s).unwrap();
        return;
    }
    kanbao::layout::jieba();
    let reps: usize = std::env::args().nth(2).map_or(5, |s| s.parse().unwrap());
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..reps {
        for text in &texts {
            let lines = kanbao::layout::lines::classify(text);
            n += kanbao::layout::segments(&lines).len();
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum::<usize>() * reps;
    eprintln!(
        "{n} segs, {:.2} MB/s",
        bytes as f64 / 1e6 / t.elapsed().as_secs_f64()
    );
}
