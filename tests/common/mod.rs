//! Helpers shared by the integration tests: loading archives, a Rust port of the reference
//! segmentation scorer (`../shared/eval/score_segmentation.py`), and locating the shared corpus.
#![allow(dead_code)]

pub mod screen;
pub mod tmux;

use kanbao::model::{Kind, Record};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` next to the repository, or None. With KANBAO_REQUIRE_SHARED=1 a missing folder
/// is a test failure, not a skip.
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("..").join("shared");
    if p.join("corpus").join("seeds").is_dir() {
        return Some(p);
    }
    if std::env::var("KANBAO_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!("KANBAO_REQUIRE_SHARED=1 but {} is missing", p.display());
    }
    eprintln!(
        "note: {} not found; test skipped (set KANBAO_REQUIRE_SHARED=1 to fail instead)",
        p.display()
    );
    None
}

pub fn load(dir: &Path) -> Vec<kanbao::model::Issue> {
    let lib = kanbao::library::load(dir).expect("archive loads");
    assert!(lib.warnings.is_empty(), "warnings: {:?}", lib.warnings);
    lib.issues
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Score {
    pub refs: usize,
    pub preds: usize,
    pub neutral: usize,
    pub matched: usize,
    pub titles: usize,
    pub bylines: usize,
    pub bylines_total: usize,
    pub joins: usize,
    pub joins_total: usize,
    pub starts: usize,
    pub starts_total: usize,
    pub subheads: usize,
    pub subheads_total: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl Score {
    pub fn recall(&self) -> f64 {
        ratio(self.matched, self.refs)
    }
    pub fn precision(&self) -> f64 {
        ratio(self.matched, self.preds - self.neutral)
    }
    pub fn summary(&self) -> [(&'static str, f64); 7] {
        [
            ("recall", self.recall()),
            ("precision", self.precision()),
            ("titles", ratio(self.titles, self.refs)),
            ("bylines", ratio(self.bylines, self.bylines_total)),
            ("joins", ratio(self.joins, self.joins_total)),
            ("starts", ratio(self.starts, self.starts_total)),
            ("subheads", ratio(self.subheads, self.subheads_total)),
        ]
    }
}

impl std::ops::AddAssign for Score {
    fn add_assign(&mut self, c: Score) {
        self.refs += c.refs;
        self.preds += c.preds;
        self.neutral += c.neutral;
        self.matched += c.matched;
        self.titles += c.titles;
        self.bylines += c.bylines;
        self.bylines_total += c.bylines_total;
        self.joins += c.joins;
        self.joins_total += c.joins_total;
        self.starts += c.starts;
        self.starts_total += c.starts_total;
        self.subheads += c.subheads;
        self.subheads_total += c.subheads_total;
    }
}

const EDGE: usize = 150;

/// Score records against a reference file in the format of seeds-truth.json; the same rules as
/// the Python yardstick. Returns the totals and the list of misses.
pub fn score(truth: &serde_json::Value, records: &[Record]) -> (Score, Vec<String>) {
    let mut by_file: HashMap<String, Vec<&Record>> = HashMap::new();
    for r in records.iter().filter(|r| r.kind == Kind::Article) {
        let base = r.source.rsplit('/').next().unwrap_or(&r.source).to_string();
        by_file.entry(base).or_default().push(r);
    }
    let mut total = Score::default();
    let mut misses = Vec::new();
    let issues = truth["issues"].as_object().expect("issues");
    for (name, t) in issues {
        let preds = by_file.get(name).cloned().unwrap_or_default();
        let refs = t["articles"].as_array().expect("articles");
        let frags: Vec<String> = t["fragments"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| squeeze(f.as_str().unwrap_or("")))
                    .collect()
            })
            .unwrap_or_default();
        let texts: Vec<String> = preds
            .iter()
            .map(|p| squeeze(&p.paragraphs.concat()))
            .collect();
        let mut used = vec![false; preds.len()];
        let mut pairs = Vec::new();
        for r in refs {
            let s = squeeze(r["start"].as_str().unwrap_or(""));
            let e = squeeze(r["end"].as_str().unwrap_or(""));
            let mut hit = None;
            for (k, t) in texts.iter().enumerate() {
                if used[k] {
                    continue;
                }
                let (i, j) = (t.find(&s), t.rfind(&e));
                if let (Some(i), Some(j)) = (i, j) {
                    let i_chars = t[..i].chars().count();
                    let after = t[j + e.len()..].chars().count();
                    if i_chars <= EDGE && after <= EDGE {
                        hit = Some(k);
                        break;
                    }
                }
            }
            if let Some(k) = hit {
                used[k] = true;
            }
            pairs.push((r, hit));
        }
        let mut c = Score {
            refs: refs.len(),
            preds: preds.len(),
            ..Default::default()
        };
        for (k, p) in preds.iter().enumerate() {
            if used[k] {
                continue;
            }
            let whole = squeeze(&format!("{}{}{}", p.kicker, p.title, p.subtitle)) + &texts[k];
            if whole.chars().count() <= 400
                && frags
                    .iter()
                    .any(|f| !f.is_empty() && whole.contains(f.as_str()))
            {
                c.neutral += 1;
            }
        }
        for (r, k) in pairs {
            let list = |key: &str| -> Vec<String> {
                r[key]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|x| x.as_str().unwrap_or("").to_string())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let byline = r["byline"].as_str().unwrap_or("");
            if !byline.is_empty() {
                c.bylines_total += 1;
            }
            c.joins_total += list("joins").len();
            c.starts_total += list("para_starts").len();
            c.subheads_total += list("subheads").len();
            let Some(k) = k else {
                misses.push(format!("{name}: no article spans {}", r["start"]));
                continue;
            };
            let p = preds[k];
            c.matched += 1;
            let t = squeeze(r["title"].as_str().unwrap_or(""));
            let h = squeeze(&format!("{}{}{}", p.kicker, p.title, p.subtitle));
            if !t.is_empty() && h.contains(&t) && h.chars().count() <= 3 * t.chars().count() + 30 {
                c.titles += 1;
            } else {
                misses.push(format!("{name}: title {t:?}, exported {h:?}"));
            }
            if !byline.is_empty() {
                if squeeze(&p.byline).contains(&squeeze(byline)) {
                    c.bylines += 1;
                } else {
                    misses.push(format!(
                        "{name}: byline {byline:?}, exported {:?}",
                        p.byline
                    ));
                }
            }
            let paras: Vec<String> = p.paragraphs.iter().map(|x| collapse(x)).collect();
            for j in list("joins") {
                if paras.iter().any(|x| x.contains(&collapse(&j))) {
                    c.joins += 1;
                } else {
                    misses.push(format!("{name}: join not inside one paragraph: {j}"));
                }
            }
            let sq: Vec<String> = paras.iter().map(|x| squeeze(x)).collect();
            for s in list("para_starts") {
                if sq.iter().any(|x| x.starts_with(&squeeze(&s))) {
                    c.starts += 1;
                } else {
                    misses.push(format!("{name}: no paragraph starts with {s}"));
                }
            }
            for s in list("subheads") {
                if sq.contains(&squeeze(&s)) {
                    c.subheads += 1;
                } else {
                    misses.push(format!("{name}: subhead not a paragraph: {s}"));
                }
            }
        }
        total += c;
    }
    (total, misses)
}

/// Assert that every letter, digit and Han character of `text` appears in `records` exactly as
/// many times.
pub fn assert_conserved(text: &str, records: &[Record], what: &str) {
    let want = kanbao::layout::content_counts(std::iter::once(text));
    let got = kanbao::layout::content_counts(records.iter().flat_map(|r| r.text_fields()));
    if want != got {
        let mut diff: Vec<String> = want
            .keys()
            .chain(got.keys())
            .filter(|c| want.get(c) != got.get(c))
            .take(10)
            .map(|c| {
                format!(
                    "{c:?}: file {} export {}",
                    want.get(c).unwrap_or(&0),
                    got.get(c).unwrap_or(&0)
                )
            })
            .collect();
        diff.sort();
        panic!("{what}: text not conserved: {diff:?}");
    }
}

/// Run the binary with a data dir and an archive: (success, stdout, stderr).
pub fn kanbao(data: &Path, archive: &Path, args: &[&str]) -> (bool, String, String) {
    let (code, out, err) = kanbao_status(data, archive, args);
    (code == 0, out, err)
}

/// Like [`kanbao`], with the exit status.
pub fn kanbao_status(data: &Path, archive: &Path, args: &[&str]) -> (i32, String, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kanbao"))
        .arg("--data-dir")
        .arg(data)
        .arg("--archive")
        .arg(archive)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

pub fn jsonl(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Copy samples/ into `to`.
pub fn copy_samples(to: &Path) {
    for e in walkdir::WalkDir::new(repo().join("samples")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo().join("samples")).unwrap();
        let dst = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
        } else {
            std::fs::copy(e.path(), &dst).unwrap();
        }
    }
}

/// The shared news items written out as day files, as `scripts/news_days.py` does: one issue
/// per date (headline, blank line, paragraphs, blank line per item), the first `days` dates.
/// None when the shared corpus is missing (see [`shared`]).
pub fn news_days(days: usize) -> Option<Vec<(String, String)>> {
    use std::io::BufRead;
    let path = shared()?
        .join("corpus")
        .join("news")
        .join("xwlb-2012-2026.jsonl.gz");
    let f = std::fs::File::open(&path).expect("news items");
    let mut by_day: std::collections::BTreeMap<String, String> = Default::default();
    for line in std::io::BufReader::new(flate2::read::GzDecoder::new(f)).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let date = v["date"].as_str().unwrap_or("").to_string();
        if by_day.len() >= days && !by_day.contains_key(&date) {
            continue;
        }
        let page = by_day.entry(date).or_default();
        page.push_str(v["title"].as_str().unwrap_or("").trim());
        page.push_str("\n\n");
        for p in v["paragraphs"].as_array().into_iter().flatten() {
            page.push_str(p.as_str().unwrap_or("").trim());
            page.push('\n');
        }
        page.push('\n');
    }
    Some(
        by_day
            .into_iter()
            .take(days)
            .map(|(d, t)| (format!("{d}.txt"), t))
            .collect(),
    )
}

/// Every page of the shared corpus (seeds, real pages, the OCR page) as (name, text).
pub fn shared_pages() -> Option<Vec<(String, String)>> {
    let s = shared()?;
    let mut out = Vec::new();
    for sub in ["seeds", "real", "ocr"] {
        let mut files: Vec<_> = std::fs::read_dir(s.join("corpus").join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
            .filter(|p| !p.ends_with("README.md"))
            .collect();
        files.sort();
        for p in files {
            let bytes = std::fs::read(&p).unwrap();
            let text = kanbao::archive::decode(&bytes).unwrap().text;
            out.push((
                format!("{sub}/{}", p.file_name().unwrap().to_string_lossy()),
                text,
            ));
        }
    }
    Some(out)
}

/// One-article issues numbered `range` in `dir` (500 to a subfolder), each with a word of its
/// own (编号甲{i}乙).
pub fn many_issues(dir: &Path, range: std::ops::Range<usize>) {
    for i in range {
        let p = dir.join(format!("{:02}/{i:05}.txt", i / 500));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let body = "浦东新区召开大会，表彰先进企业和个人，会议要求进一步优化营商环境。".repeat(12);
        std::fs::write(p, format!("第{i}号通讯\n\n本报讯 编号甲{i}乙。{body}\n")).unwrap();
    }
}
