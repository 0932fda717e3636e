fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let what = std::env::args().nth(2).unwrap_or("tag".into());
    let mut texts = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "txt") {
            texts.push(std::fs::read_to_string(e.path()).unwrap());
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..3 {
        for x in &texts {
            let lines = kanbao::layout::lines::classify(x);
            n += match what.as_str() {
                "classify" => lines.len(),
                "features" => kanbao::layout::crf::features(&lines).1.len(),
                _ => kanbao::layout::crf::tag(&lines).len(),
            };
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!("{what}: {:.2} MB/s ({n})", 3.0 * bytes as f64 / 1e6 / s);
}
