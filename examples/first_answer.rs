//! Time the first answer and the full answer of every prefix of some queries (one per line on
//! standard input) on an existing index: `cargo run --release --example first_answer DATA ARCHIVE`.
//! Prints the slowest prefixes; the figures of docs/PERFORMANCE.md come from `kanbao bench`.
use std::io::BufRead;
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (data, archive) = (
        std::path::PathBuf::from(&args[1]),
        std::path::PathBuf::from(&args[2]),
    );
    let store = kanbao::index::Store::open(&data, &archive, &mut Vec::new())?;
    let mut rows = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let q: Vec<char> = line?.trim().chars().collect();
        for k in 1..=q.len() {
            let p: String = q[..k].iter().collect();
            let parsed = kanbao::index::query::parse(&p).map_err(|e| anyhow::anyhow!("{e}"))?;
            let t = Instant::now();
            let first = store.search_first(&parsed, 20, Duration::from_millis(3))?;
            let t_first = t.elapsed();
            let t = Instant::now();
            let full = store.search(&parsed, 20)?;
            let t_full = t.elapsed();
            rows.push((first.is_some(), t_first, t_full, p, full.total));
        }
    }
    // what a key costs: the first answer when there is one, else the first scan and the full search
    rows.sort_by_key(|r| std::cmp::Reverse(if r.0 { r.1 } else { r.1 + r.2 }));
    for (has_first, tf, tfull, p, total) in rows.iter().take(15) {
        println!(
            "{p}\ttotal {total}\tfirst {}\tscan {:.1} ms\tfull {:.1} ms",
            if *has_first { "yes" } else { "no" },
            tf.as_secs_f64() * 1e3,
            tfull.as_secs_f64() * 1e3
        );
    }
    Ok(())
}
