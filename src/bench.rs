//! `kanbao bench`: speed figures measured in one run against baselines on the same data
//! (ripgrep over the files, SQLite FTS5 with the trigram tokenizer), reported as ratios.
//!
//! It writes an archive of generated issue files (by recombining real paragraphs from a source
//! folder of issue files and `.jsonl.gz` news items), indexes it, then types queries one
//! character at a time (every prefix is a query) and measures each keystroke.

use crate::index::{query, Store};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct Options {
    pub source: PathBuf,
    pub out: PathBuf,
    pub articles: usize,
    pub queries: usize,
    pub rg_queries: usize,
    /// Reuse the archive, index and FTS5 database of an earlier run (see `kanbao bench --reuse`).
    pub reuse: bool,
}

/// Deterministic xorshift, so that two runs generate the same archive.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Paragraphs and titles found in the source folder.
fn harvest(source: &Path) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let mut paras = Vec::new();
    let mut titles = Vec::new();
    for e in walkdir::WalkDir::new(source).follow_links(false) {
        let e = e?;
        let p = e.path();
        let name = p.to_string_lossy().to_string();
        if name.ends_with(".jsonl.gz") {
            let f = std::fs::File::open(p)?;
            let r = std::io::BufReader::new(flate2::read::GzDecoder::new(f));
            for line in r.lines() {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&line?) else {
                    continue;
                };
                if let Some(t) = v["title"].as_str() {
                    titles.push(t.to_string());
                }
                for x in v["paragraphs"].as_array().into_iter().flatten() {
                    if let Some(s) = x.as_str() {
                        if s.chars().count() >= 20 {
                            paras.push(s.to_string());
                        }
                    }
                }
            }
        } else if name.ends_with(".txt") || name.ends_with(".md") {
            let bytes = std::fs::read(p)?;
            let Some(d) = crate::archive::decode(&bytes) else {
                continue;
            };
            for r in crate::layout::analyze(&d.text, &Default::default()) {
                if !r.title.is_empty() {
                    titles.push(r.title.clone());
                }
                paras.extend(r.paragraphs.into_iter().filter(|p| p.chars().count() >= 20));
            }
        }
    }
    if paras.is_empty() || titles.is_empty() {
        anyhow::bail!("no paragraphs found under {}", source.display());
    }
    Ok((paras, titles))
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    if v.is_empty() {
        return Duration::ZERO;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Run the benchmark and print a Markdown report.
pub fn run(o: &Options, out: &mut impl Write) -> anyhow::Result<()> {
    let t = Instant::now();
    let (paras, titles) = harvest(&o.source)?;
    writeln!(
        out,
        "source: {} paragraphs, {} titles from {} ({:.1?})",
        paras.len(),
        titles.len(),
        o.source.display(),
        t.elapsed()
    )?;
    // 1. write the archive: issues of 8 articles, headline, dateline, 2–4 paragraphs each
    let archive = o.out.join("archive");
    if o.reuse {
        anyhow::ensure!(
            archive.is_dir(),
            "--reuse: no archive of an earlier run at {}",
            archive.display()
        );
    } else {
        if archive.exists() {
            std::fs::remove_dir_all(&archive)?;
        }
        std::fs::create_dir_all(&archive)?;
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let per_issue = 8;
    let issues = o.articles.div_ceil(per_issue);
    let mut bytes = 0u64;
    let mut plain: Vec<String> = Vec::with_capacity(o.articles); // for FTS5: one row per article
    for i in 0..issues {
        let mut page = String::new();
        for _ in 0..per_issue {
            let title = &titles[rng.below(titles.len())];
            let mut art = String::new();
            page.push_str(title);
            page.push_str("\n\n■本报记者 林一\n\n本报讯 ");
            art.push_str(title);
            for k in 0..2 + rng.below(3) {
                let p = &paras[rng.below(paras.len())];
                if k > 0 {
                    page.push_str("\n\n\u{3000}\u{3000}");
                }
                page.push_str(p);
                art.push('\n');
                art.push_str(p);
            }
            page.push_str("\n\n\n");
            plain.push(art);
        }
        let dir = archive.join(format!("{:04}", i / 1000));
        let file = dir.join(format!("issue-{i:06}.txt"));
        if o.reuse {
            // the same generator: the same pages (checked by size)
            anyhow::ensure!(
                std::fs::metadata(&file).is_ok_and(|m| m.len() == page.len() as u64),
                "--reuse: {} is not what this generator writes (other --source or --articles?)",
                file.display()
            );
        } else {
            std::fs::create_dir_all(&dir)?;
            std::fs::write(&file, &page)?;
        }
        bytes += page.len() as u64;
    }
    writeln!(
        out,
        "archive: {} issue files, {:.1} MB, {} articles written in {:.1?}",
        issues,
        bytes as f64 / 1e6,
        issues * per_issue,
        t.elapsed()
    )?;

    // 2. index build (analysis + indexing), from scratch
    let data = o.out.join("data");
    writeln!(out, "\n## Index build\n")?;
    writeln!(out, "| what | value |\n|---|---|")?;
    let store = if o.reuse {
        let store = Store::open(&data, &archive, &mut Vec::new())?;
        anyhow::ensure!(
            store.len() >= plain.len(),
            "--reuse: the index under {} holds {} records, the archive {} articles",
            data.display(),
            store.len(),
            plain.len()
        );
        writeln!(
            out,
            "| records indexed | {} (the index of an earlier run: --reuse) |",
            store.len()
        )?;
        store
    } else {
        if data.exists() {
            std::fs::remove_dir_all(&data)?;
        }
        let t = Instant::now();
        let mut store = Store::recreate(&data, &archive)?;
        let report = store.sync(&archive, &mut |_, _, _| {})?;
        // as `kanbao index` does last: the archive's words by pinyin, kept beside the index
        store.keep_pinyin_words();
        let build = t.elapsed();
        let records = report.records;
        writeln!(out, "| records indexed | {records} |")?;
        writeln!(out, "| time | {:.1} s |", build.as_secs_f64())?;
        writeln!(
            out,
            "| throughput | {:.1} MB/s, {:.0} articles/s |",
            bytes as f64 / 1e6 / build.as_secs_f64(),
            records as f64 / build.as_secs_f64()
        )?;
        store
    };
    let idx_size: u64 = walkdir::WalkDir::new(&store.dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    writeln!(
        out,
        "| index size | {:.1} MB ({:.2}× the text) |",
        idx_size as f64 / 1e6,
        idx_size as f64 / bytes as f64
    )?;
    // 3. queries: Han runs of 2–6 characters from the text, plus a few Latin/digit words
    let mut queries: Vec<String> = Vec::new();
    while queries.len() < o.queries {
        let p: Vec<char> = plain[rng.below(plain.len())].chars().collect();
        let at = rng.below(p.len().saturating_sub(8).max(1));
        let n = 2 + rng.below(5);
        let q: String = p[at..(at + n).min(p.len())].iter().collect();
        if q.chars().all(crate::text::is_han) && q.chars().count() >= 2 {
            queries.push(q);
        }
    }
    for q in ["2024", "GDP", "5G"] {
        queries.push(q.to_string());
    }
    let prefixes: Vec<String> = queries
        .iter()
        .flat_map(|q| {
            let c: Vec<char> = q.chars().collect();
            (1..=c.len()).map(move |k| c[..k].iter().collect::<String>())
        })
        .collect();
    // kanbao: what the reader runs at each keystroke: its first answer (ranked with the exact
    // count when that fits a frame, else the first hits with the exact or an estimated count),
    // and the full answer (20 best hits + the exact total) it runs once typing pauses
    let mut lat = Vec::with_capacity(prefixes.len());
    let mut first = Vec::with_capacity(prefixes.len());
    let mut ranked = 0;
    for _ in 0..2 {
        // warm the page cache once like a running TUI would be
        lat.clear();
        first.clear();
        ranked = 0;
        for p in &prefixes {
            let q = query::parse(p)?;
            let t = Instant::now();
            let f = store.search_first(&q, 20, crate::index::FIRST_ANSWER)?;
            first.push(t.elapsed());
            ranked += f.is_some_and(|f| !f.unranked) as usize;
            let t = Instant::now();
            let r = store.search(&q, 20)?;
            lat.push(t.elapsed());
            std::hint::black_box(r.total);
        }
    }
    let (k50, k99) = (
        percentile(&mut lat.clone(), 0.5),
        percentile(&mut lat, 0.99),
    );
    let (a50, a99) = (
        percentile(&mut first.clone(), 0.5),
        percentile(&mut first, 0.99),
    );
    // SQLite FTS5, trigram tokenizer (LIKE for queries shorter than 3 characters)
    let db_path = o.out.join("fts5.sqlite");
    let t = Instant::now();
    let db = if o.reuse {
        let db = rusqlite::Connection::open(&db_path)?;
        let rows: i64 = db.query_row("SELECT count(*) FROM a", [], |r| r.get(0))?;
        anyhow::ensure!(
            rows as usize == plain.len(),
            "--reuse: the FTS5 table holds {rows} rows, not {}",
            plain.len()
        );
        db
    } else {
        std::fs::remove_file(&db_path).ok();
        let db = rusqlite::Connection::open(&db_path)?;
        db.execute_batch("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; CREATE VIRTUAL TABLE a USING fts5(body, tokenize='trigram');")?;
        db
    };
    if !o.reuse {
        let tx = db.unchecked_transaction()?;
        {
            let mut st = tx.prepare("INSERT INTO a(body) VALUES (?1)")?;
            for art in &plain {
                st.execute([art])?;
            }
        }
        tx.commit()?;
    }
    let fts_build = t.elapsed();
    let mut flat = Vec::with_capacity(prefixes.len());
    for p in &prefixes {
        let t = Instant::now();
        let n: i64 = if p.chars().count() >= 3 {
            let m = format!("\"{}\"", p.replace('"', "\"\""));
            db.query_row("SELECT count(*) FROM a WHERE a MATCH ?1", [m], |r| r.get(0))?
        } else {
            db.query_row(
                "SELECT count(*) FROM a WHERE body LIKE ?1",
                [format!("%{p}%")],
                |r| r.get(0),
            )?
        };
        flat.push(t.elapsed());
        std::hint::black_box(n);
    }
    let (f50, f99) = (
        percentile(&mut flat.clone(), 0.5),
        percentile(&mut flat, 0.99),
    );
    // ripgrep: rg -F -c over the generated files, for the prefixes of the first queries
    let rg_prefixes: Vec<&String> = queries
        .iter()
        .take(o.rg_queries)
        .flat_map(|q| prefixes.iter().filter(move |p| q.starts_with(p.as_str())))
        .collect();
    let mut rlat = Vec::new();
    let rg_ok = std::process::Command::new("rg")
        .arg("--version")
        .output()
        .is_ok();
    if rg_ok {
        for p in &rg_prefixes {
            let t = Instant::now();
            let o = std::process::Command::new("rg")
                .args(["-F", "-c", "--no-messages", "--", p.as_str()])
                .arg(&archive)
                .output()?;
            rlat.push(t.elapsed());
            std::hint::black_box(o.stdout.len());
        }
    }
    let (r50, r99) = (
        percentile(&mut rlat.clone(), 0.5),
        percentile(&mut rlat, 0.99),
    );
    writeln!(
        out,
        "\n## Per keystroke ({} queries typed one character at a time: {} searches)\n",
        queries.len(),
        prefixes.len()
    )?;
    writeln!(
        out,
        "| engine | p50 | p99 | kanbao faster by (p50 / p99) |\n|---|---|---|---|"
    )?;
    writeln!(
        out,
        "| kanbao first answer (what the reader draws at each key; {ranked} of {} ranked with the exact count at once, the others the first hits with the exact or ≈ count) | {:.2} ms | {:.2} ms | — |",
        prefixes.len(),
        ms(a50),
        ms(a99)
    )?;
    writeln!(
        out,
        "| kanbao full answer (top 20 ranked + exact total; ratios below against this) | {:.2} ms | {:.2} ms | — |",
        ms(k50),
        ms(k99)
    )?;
    let built = if o.reuse {
        "reused".to_string()
    } else {
        format!("built in {:.1} s", fts_build.as_secs_f64())
    };
    writeln!(out, "| SQLite FTS5 trigram (count; LIKE under 3 chars), {built} | {:.2} ms | {:.2} ms | {:.0}× / {:.0}× |", ms(f50), ms(f99), ms(f50) / ms(k50).max(1e-6), ms(f99) / ms(k99).max(1e-6))?;
    if rg_ok {
        writeln!(
            out,
            "| ripgrep -F -c ({} searches) | {:.1} ms | {:.1} ms | {:.0}× / {:.0}× |",
            rg_prefixes.len(),
            ms(r50),
            ms(r99),
            ms(r50) / ms(k50).max(1e-6),
            ms(r99) / ms(k99).max(1e-6)
        )?;
    } else {
        writeln!(out, "| ripgrep | not installed | | |")?;
    }
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    writeln!(
        out,
        "\nTarget: per keystroke p50 ≤ 2 ms and p99 ≤ 10 ms, what the reader draws (first answer): {}",
        met(ms(a50) <= 2.0 && ms(a99) <= 10.0)
    )?;
    writeln!(
        out,
        "Target: the same for the full answer (ranked, exact count): {}",
        met(ms(k50) <= 2.0 && ms(k99) <= 10.0)
    )?;
    let fts = ms(f50) / ms(k50).max(1e-6);
    if rg_ok && !rlat.is_empty() {
        let rg = ms(r50) / ms(k50).max(1e-6);
        writeln!(
            out,
            "Target: at least 100× faster than FTS5 and ripgrep at p50 (full answer): {}",
            met(fts >= 100.0 && rg >= 100.0)
        )?;
    } else {
        writeln!(
            out,
            "Target: at least 100× faster than FTS5 at p50 (full answer; ripgrep not run): {}",
            met(fts >= 100.0)
        )?;
    }
    Ok(())
}

/// What a user sees: the real reader on a pty, the search box typed into one character at a
/// time, each key timed to the frame that shows its hits (see [`crate::latency`]). The archive
/// is indexed first as a user would (`kanbao index`, a whole process). Queries: the issue's
/// four, then runs of 2–4 Han characters taken from the archive's own text.
pub fn screen(
    archive: &Path,
    data: &Path,
    queries: usize,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let bin = std::env::current_exe()?;
    let t = Instant::now();
    let st = std::process::Command::new(&bin)
        .arg("--data-dir")
        .arg(data)
        .arg("--archive")
        .arg(archive)
        .arg("index")
        .stderr(std::process::Stdio::null())
        .status()?;
    anyhow::ensure!(st.success(), "kanbao index failed");
    let index_time = t.elapsed();
    let store = Store::open(data, archive, &mut Vec::new())?;
    let mut qs: Vec<String> = ["高质量发展", "劳动关系", "一带一路", "碳达峰"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let texts = store.sample_texts(queries * 4, 7)?;
    let mut tries = 0;
    while qs.len() < queries && !texts.is_empty() && tries < queries * 100 {
        tries += 1;
        let p: Vec<char> = texts[rng.below(texts.len())].chars().collect();
        if p.len() < 8 {
            continue;
        }
        let at = rng.below(p.len() - 6);
        let n = 2 + rng.below(3);
        let q: String = p[at..at + n].iter().collect();
        if q.chars().all(crate::text::is_han) && !qs.contains(&q) {
            qs.push(q);
        }
    }
    let mut expect = |prefix: &str| {
        query::parse(prefix)
            .ok()
            .and_then(|q| store.search(&q, 1).ok())
            .map(|r| r.total)
            .unwrap_or(0)
    };
    let typed = crate::latency::type_queries(&bin, data, archive, &[], &qs, &mut expect)?;
    let p = |x: f64| ms(crate::latency::percentile(&typed.per_key, x));
    writeln!(
        out,
        "\n## What the user sees ({} records; real reader on a 120×36 pty)\n",
        store.len()
    )?;
    writeln!(out, "| what | value |\n|---|---|")?;
    writeln!(
        out,
        "| `kanbao index` before it (whole process) | {:.1} s |",
        index_time.as_secs_f64()
    )?;
    writeln!(
        out,
        "| reader: process start to first frame | {:.0} ms |",
        typed.first_frame.as_secs_f64() * 1e3
    )?;
    writeln!(
        out,
        "| reader: RSS after first frame / settled / after typing | {:.0} MB / {:.0} MB / {:.0} MB |",
        typed.rss_start_kb as f64 / 1024.0,
        typed.rss_settled_kb as f64 / 1024.0,
        typed.rss_end_kb as f64 / 1024.0
    )?;
    writeln!(
        out,
        "| reader: RSS while typing, largest right after a key's answer | {:.0} MB |",
        typed.rss_typing_max_kb as f64 / 1024.0
    )?;
    writeln!(
        out,
        "| reader: of which heap (RssAnon), settled / after typing | {:.0} MB / {:.0} MB |",
        typed.anon_settled_kb as f64 / 1024.0,
        typed.anon_end_kb as f64 / 1024.0
    )?;
    writeln!(
        out,
        "| reader: RSS (heap) after typing and 3 s idle | {:.0} MB ({:.0} MB) |",
        typed.rss_idle_kb as f64 / 1024.0,
        typed.anon_idle_kb as f64 / 1024.0
    )?;
    let mapped: Vec<String> = typed
        .mapped_end_kb
        .iter()
        .take(6)
        .map(|(k, kb)| format!("{k} {:.0}", *kb as f64 / 1024.0))
        .collect();
    writeln!(
        out,
        "| reader: mapped files resident after typing, by kind (MB) | {} |",
        mapped.join(", ")
    )?;
    writeln!(
        out,
        "| keystroke to the frame showing its hits ({} queries, {} keys) | p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms |",
        qs.len(),
        typed.per_key.len(),
        p(50.0),
        p(99.0),
        p(100.0)
    )?;
    let mut slow: Vec<(Duration, &str)> = typed
        .per_key
        .iter()
        .copied()
        .zip(typed.keys.iter().map(String::as_str))
        .collect();
    slow.sort_by_key(|b| std::cmp::Reverse(b.0));
    writeln!(
        out,
        "| the slowest keys (query in the box after it) | {} |",
        slow.iter()
            .take(5)
            .map(|(d, k)| format!("{k} {:.1} ms", ms(*d)))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    writeln!(
        out,
        "| of those keys, answered first with the first hits unranked (count exact or ≈) | {} |",
        typed.estimated
    )?;
    writeln!(
        out,
        "| keys whose answer never showed (5 s) | {} {:?} |",
        typed.missed.len(),
        typed.missed
    )?;
    // a key typed while the full answer to the one before runs (after a short pause), and one
    // typed after the reader sat idle and gave back the index pages it had mapped
    for (pause, what) in [
        (
            160,
            "160 ms after the first's answer showed (its full answer running",
        ),
        (
            3000,
            "3 s after the first's answer showed (the reader idle, its index pages given back",
        ),
    ] {
        let keys = crate::latency::type_after_pause(
            &bin,
            data,
            archive,
            &qs[..qs.len().min(12)],
            Duration::from_millis(pause),
            &mut expect,
        )?;
        writeln!(
            out,
            "| a second character typed {what}; {} keys) | p50 {:.1} ms, max {:.1} ms |",
            keys.len(),
            ms(crate::latency::percentile(&keys, 50.0)),
            ms(crate::latency::percentile(&keys, 100.0))
        )?;
    }
    // the command line as a whole process: what a script pays per call
    let mut times = Vec::new();
    let mut peak = 0u64;
    for q in qs.iter().take(10) {
        let (took, rss, ok) = crate::latency::run_timed(
            std::process::Command::new(&bin)
                .arg("--data-dir")
                .arg(data)
                .arg("--archive")
                .arg(archive)
                .args(["search", "--limit", "20", q]),
        )?;
        anyhow::ensure!(ok, "kanbao search {q} failed");
        times.push(took);
        peak = peak.max(rss);
    }
    writeln!(
        out,
        "| `kanbao search Q` as a whole process ({} queries) | p50 {:.0} ms, max {:.0} ms, peak RSS {:.0} MB |",
        times.len(),
        ms(crate::latency::percentile(&times, 50.0)),
        ms(crate::latency::percentile(&times, 100.0)),
        peak as f64 / 1024.0
    )?;
    Ok(())
}

/// One query of the pinyin evaluation: a word from an article's title, typed as pinyin.
struct PinyinCase {
    word: String,
    /// Full pinyin of its first readings (`laodongguanxi`) and initials (`ldgx`).
    full: String,
    initials: String,
}

/// Words for the pinyin evaluation: from the titles of every `step`-th article starting at
/// `offset` (two disjoint sets: one looked at while tuning, one held out), 2–4 Han characters
/// as jieba cuts them, each character with one reading only (a polyphonic character has no
/// single intended spelling), at most `n` distinct words.
fn pinyin_cases(titles: &[String], offset: usize, step: usize, n: usize) -> Vec<PinyinCase> {
    let jieba = crate::layout::jieba();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for t in titles.iter().skip(offset).step_by(step) {
        for w in jieba.cut(t, false) {
            let w = w.word;
            let k = w.chars().count();
            if !(2..=4).contains(&k) || !w.chars().all(crate::text::is_han) {
                continue;
            }
            let reads: Vec<&[Box<str>]> =
                w.chars().map(crate::index::variants::readings_of).collect();
            if reads.iter().any(|r| r.len() != 1) || !seen.insert(w.to_string()) {
                continue;
            }
            out.push(PinyinCase {
                word: w.to_string(),
                full: reads.iter().map(|r| r[0].to_string()).collect(),
                initials: reads
                    .iter()
                    .map(|r| r[0].chars().next().unwrap_or('x'))
                    .collect(),
            });
            break;
        }
        if out.len() >= n {
            break;
        }
    }
    out
}

/// Pinyin precision and recall on an archive: for each word, the records holding it literally
/// are the ones meant; the pinyin query (full syllables, then initials) should put them first.
/// Reports precision@5 and recall@50 of the pinyin hits and the time per query, on a tuning set
/// and a held-out set of words.
pub fn pinyin(archive: &Path, data: &Path, n: usize, out: &mut impl Write) -> anyhow::Result<()> {
    let mut store = Store::open(data, archive, &mut Vec::new())?;
    store.sync(archive, &mut |_, _, _| {})?;
    // every record's searchable text, to know which records hold a word
    let records: Vec<(String, String, String)> = store
        .issues()?
        .into_iter()
        .flat_map(|i| i.records.into_iter())
        .map(|r| {
            let text = crate::text::fold(&r.text_fields().collect::<Vec<_>>().join("\n"));
            (r.id, r.title, text)
        })
        .collect();
    let titles: Vec<String> = records
        .iter()
        .map(|r| r.1.clone())
        .filter(|t| !t.is_empty())
        .collect();
    writeln!(
        out,
        "pinyin evaluation: {} titles in {}",
        titles.len(),
        archive.display()
    )?;
    writeln!(out, "| set | form | queries | P@5 | R@50 | p50 ms |")?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for (set, offset) in [("tune", 0usize), ("held-out", 1)] {
        let cases = pinyin_cases(&titles, offset, 7, n);
        for form in ["full", "initials"] {
            let (mut p5, mut r50) = (0.0f64, 0.0f64);
            let mut used = 0usize;
            let mut times = Vec::new();
            for c in &cases {
                let relevant: std::collections::HashSet<&String> = records
                    .iter()
                    .filter(|r| r.2.contains(&c.word))
                    .map(|r| &r.0)
                    .collect();
                if relevant.is_empty() {
                    continue;
                }
                let typed = if form == "full" { &c.full } else { &c.initials };
                let q = query::parse(typed)?;
                used += 1;
                let t0 = Instant::now();
                let r = store.search(&q, 50)?;
                times.push(t0.elapsed());
                let got: Vec<&String> = r.hits.iter().chain(&r.also).map(|h| &h.id).collect();
                let top5 = got
                    .iter()
                    .take(5)
                    .filter(|id| relevant.contains(*id))
                    .count();
                p5 += top5 as f64 / relevant.len().min(5) as f64;
                let all = got.iter().filter(|id| relevant.contains(*id)).count();
                r50 += all as f64 / relevant.len().min(50) as f64;
            }
            let d = used.max(1) as f64;
            writeln!(
                out,
                "| {set} | {form} | {used} | {:.3} | {:.3} | {:.1} |",
                p5 / d,
                r50 / d,
                ms(percentile(&mut times, 0.5))
            )?;
        }
    }
    Ok(())
}

/// What each field of the index costs, on an archive: bytes on disk and their share, of which
/// positions, and tokenizing time per MB of the field's own text on a sample of records.
pub fn fields(
    archive: &Path,
    data: &Path,
    sample: usize,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut store = Store::open(data, archive, &mut Vec::new())?;
    let t0 = Instant::now();
    store.sync(archive, &mut |_, _, _| {})?;
    let text: u64 = crate::archive::discover(archive)?
        .0
        .iter()
        .map(|f| f.size)
        .sum();
    let costs = store.field_costs(sample)?;
    let total: u64 = costs.iter().map(|c| c.index_bytes).sum();
    writeln!(
        out,
        "index of {} ({} records, {:.1} MB of text; synced in {:.1?}): {:.1} MB, {:.2}× the text",
        archive.display(),
        store.len(),
        text as f64 / 1e6,
        t0.elapsed(),
        total as f64 / 1e6,
        total as f64 / text.max(1) as f64
    )?;
    writeln!(
        out,
        "| field | on disk MB | share | of which positions MB | × the text | sample: value MB | tokens | tokenizing ms | MB/s |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    for c in &costs {
        let secs = c.tokenize.as_secs_f64();
        writeln!(
            out,
            "| {} | {:.1} | {:.1} % | {:.1} | {:.2} | {:.2} | {} | {:.0} | {} |",
            c.field,
            c.index_bytes as f64 / 1e6,
            100.0 * c.index_bytes as f64 / total.max(1) as f64,
            c.position_bytes as f64 / 1e6,
            c.index_bytes as f64 / text.max(1) as f64,
            c.value_bytes as f64 / 1e6,
            c.tokens,
            secs * 1000.0,
            if secs > 0.0 {
                format!("{:.1}", c.value_bytes as f64 / 1e6 / secs)
            } else {
                "–".into()
            }
        )?;
    }
    Ok(())
}

/// Layout analysis speed on one core, in MB of decoded text per second: the rules alone, the
/// line labeller alone, and what indexing runs (both, and the choice between them).
///
/// Also writes `choices.tsv` in `dir`: for each file, the coherence of each cut and the figures
/// the choice between them is made on (`layout::choice::features`), to fit the choice on pages
/// whose right cut is known (`scripts/fit_choice.py`).
pub fn layout_speed(archive: &Path, dir: &Path, out: &mut impl Write) -> anyhow::Result<()> {
    let (files, _) = crate::archive::discover(archive)?;
    let mut names = Vec::new();
    let texts: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let d = crate::archive::read_file(f).ok()?;
            names.push(f.source.clone());
            Some(d.text)
        })
        .collect();
    std::fs::create_dir_all(dir)?;
    let mut tsv = format!(
        "file\trules\tlabeller\thabit\trules_only\t{}\n",
        crate::layout::choice::NAMES.join("\t")
    );
    for (name, text) in names.iter().zip(&texts) {
        let lines = crate::layout::lines::classify(text);
        let r = crate::layout::segment::segment(&crate::layout::reflow::reflow(&lines));
        let (l, habit) =
            crate::layout::assemble::assemble_with_habit(&lines, &crate::layout::crf::tag(&lines));
        let (rs, ls) = (
            crate::layout::choice::summary(&r),
            crate::layout::choice::summary(&l),
        );
        tsv.push_str(&format!(
            "{name}\t{:.4}\t{:.4}\t{habit:?}\t{}",
            rs.coherence,
            ls.coherence,
            u8::from(crate::layout::rules_only(&lines))
        ));
        for x in crate::layout::choice::features(&lines, &rs, &ls) {
            tsv.push_str(&format!("\t{x:.5}"));
        }
        tsv.push('\n');
    }
    std::fs::write(dir.join("choices.tsv"), tsv)?;
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    writeln!(
        out,
        "layout analysis of {} files, {:.1} MB of text, one core:",
        texts.len(),
        bytes as f64 / 1e6
    )?;
    crate::layout::jieba();
    let mut taken = [0usize; 2];
    for (name, method) in [
        ("rules", Some("rules")),
        ("labeller", Some("labeller")),
        ("both, choosing (as indexed)", None),
    ] {
        let t = Instant::now();
        let mut records = 0usize;
        for text in &texts {
            let lines = crate::layout::lines::classify(text);
            let segs = match method {
                Some("rules") => {
                    crate::layout::segment::segment(&crate::layout::reflow::reflow(&lines))
                }
                Some(_) => {
                    crate::layout::assemble::assemble(&lines, &crate::layout::crf::tag(&lines))
                }
                None => {
                    let (s, m) = crate::layout::segments_with(&lines);
                    taken[(m == crate::layout::Method::Labeller) as usize] += 1;
                    s
                }
            };
            records += segs.len();
        }
        let secs = t.elapsed().as_secs_f64();
        writeln!(
            out,
            "  {name:<28} {:>7.2} MB/s  ({records} segments, {secs:.2} s)",
            bytes as f64 / 1e6 / secs
        )?;
    }
    writeln!(
        out,
        "  pages taken from the rules: {}, from the labeller: {}",
        taken[0], taken[1]
    )?;
    Ok(())
}
