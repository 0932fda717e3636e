//! Per-line accuracy of a line-labeller model on labelled generated pages.
//!
//!     cargo run --release --example eval_layout -- MODEL PAGES_DIR [SECOND_MODEL]
use std::collections::BTreeMap;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bytes = std::fs::read(&args[0])?;
    let dir = PathBuf::from(&args[1]);
    let bytes2 = args.get(2).map(std::fs::read).transpose()?;
    let model = kanbao::layout::crf::Crf::new(&bytes, bytes2.as_deref())?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    // (gold, predicted) -> count
    let mut conf: BTreeMap<(char, char), usize> = BTreeMap::new();
    let (mut ok, mut all) = (0usize, 0usize);
    let t = std::time::Instant::now();
    let mut bytes_in = 0usize;
    for f in files {
        let text = std::fs::read_to_string(&f)?;
        let labels = std::fs::read_to_string(f.with_extension("labels"))?;
        bytes_in += text.len();
        let lines = kanbao::layout::lines::classify(&text);
        let Some(gold) = kanbao::layout::crf::align_labels(&lines, &labels) else {
            continue;
        };
        let pred = kanbao::layout::crf::tag_with(Some(&model), &lines);
        for (g, p) in gold.iter().zip(&pred) {
            if *g == b'-' {
                continue;
            }
            all += 1;
            ok += (g == p) as usize;
            *conf.entry((*g as char, *p as char)).or_default() += 1;
        }
    }
    println!(
        "lines {all}, accuracy {:.4}, {:.1} MB/s",
        ok as f64 / all as f64,
        bytes_in as f64 / 1e6 / t.elapsed().as_secs_f64()
    );
    let labels: Vec<char> = "APCHhSsYyF".chars().collect();
    print!("gold\\pred");
    for p in &labels {
        print!("{p:>7}");
    }
    println!("  recall");
    for g in &labels {
        print!("{g:>9}");
        let row: usize = labels
            .iter()
            .map(|p| conf.get(&(*g, *p)).copied().unwrap_or(0))
            .sum();
        for p in &labels {
            print!("{:>7}", conf.get(&(*g, *p)).copied().unwrap_or(0));
        }
        println!(
            "  {:.3}",
            conf.get(&(*g, *g)).copied().unwrap_or(0) as f64 / row.max(1) as f64
        );
    }
    Ok(())
}
