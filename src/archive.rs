//! Reading an archive: find the issue files under a folder, decode them whatever their
//! encoding, give each a content-derived id, and read optional `NAME.toml` sidecars.
//! Nothing here ever writes into the archive.

use crate::model::IssueMeta;
use std::path::{Path, PathBuf};

/// Largest issue file read, in bytes. Bigger files are skipped with a warning.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One issue file found in the archive, before it is read.
#[derive(Debug, Clone)]
pub struct IssueFile {
    pub path: PathBuf,
    /// Relative to the archive root, `/`-separated, lossy for non-UTF-8 names.
    pub source: String,
    pub size: u64,
    pub mtime: i64,
}

/// A decoded issue file.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Why a file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}: looks binary (not text), skipped")]
    Binary(String),
    #[error("{0}: cannot be decoded as UTF-8, UTF-16 or GB18030, skipped")]
    Undecodable(String),
    #[error("{0}: larger than {1} bytes, skipped")]
    TooLarge(String, u64),
}

/// List the issue files (`.txt`, `.md`, any case) below `root`, sorted by relative path.
/// Unreadable folders produce warnings, not errors. Symbolic links are not followed.
/// The archive must be a folder we can list. An unreadable root is an error, not an empty
/// archive: taking it for one would drop every issue from the index.
pub fn check_root(root: &Path) -> anyhow::Result<()> {
    let meta = std::fs::metadata(root)
        .map_err(|e| anyhow::anyhow!("archive {}: {}", root.display(), e))?;
    if !meta.is_dir() {
        anyhow::bail!("archive {} is not a folder", root.display());
    }
    std::fs::read_dir(root)
        .map_err(|e| anyhow::anyhow!("archive {}: cannot list it: {}", root.display(), e))?;
    Ok(())
}

pub fn discover(root: &Path) -> anyhow::Result<(Vec<IssueFile>, Vec<String>)> {
    discover_with_dirs(root).map(|(f, _, w)| (f, w))
}

/// [`discover`], also giving every folder walked (relative, `/`-separated; "" for the root)
/// with its mtime, taken before its entries are read.
#[allow(clippy::type_complexity)]
pub fn discover_with_dirs(
    root: &Path,
) -> anyhow::Result<(Vec<IssueFile>, Vec<(String, i64)>, Vec<String>)> {
    check_root(root)?;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    let mut warnings = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                warnings.push(format!("skipped: {e}"));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            if let Ok(m) = entry.metadata() {
                dirs.push((relative(root, entry.path()), mtime_of(&m)));
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let p = entry.path();
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if ext != "txt" && ext != "md" {
            continue;
        }
        let source = relative(root, p);
        let (size, mtime) = match entry.metadata() {
            Ok(m) => (m.len(), mtime_of(&m)),
            Err(e) => {
                warnings.push(format!("skipped {source}: {e}"));
                continue;
            }
        };
        files.push(IssueFile {
            path: p.to_path_buf(),
            source,
            size,
            mtime,
        });
    }
    files.sort_by(|a, b| a.source.cmp(&b.source));
    Ok((files, dirs, warnings))
}

/// `p` relative to `root`, `/`-separated, lossy for non-UTF-8 names ("" for the root).
fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Modification time in nanoseconds since the epoch (0 when unknown): seconds alone would miss
/// an edit that keeps the size within the same second.
pub fn mtime_of(m: &std::fs::Metadata) -> i64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos().min(i64::MAX as u128) as i64)
        .unwrap_or(0)
}

/// Read and decode one issue file.
pub fn read_file(f: &IssueFile) -> Result<Decoded, ReadError> {
    if f.size > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(f.source.clone(), MAX_FILE_BYTES));
    }
    let bytes = std::fs::read(&f.path).map_err(|e| ReadError::Io(f.source.clone(), e))?;
    decode(&bytes).ok_or_else(|| {
        if looks_binary(&bytes) {
            ReadError::Binary(f.source.clone())
        } else {
            ReadError::Undecodable(f.source.clone())
        }
    })
}

/// Decode bytes: BOM first (UTF-8, UTF-16LE/BE), then strict UTF-8, then UTF-16 without BOM
/// (recognised by its zero bytes), then the encoding chardetng guesses (GB18030 for Chinese
/// legacy files). Returns None for binary data or text that decodes to mostly garbage. Line
/// ends are normalised to `\n`.
pub fn decode(bytes: &[u8]) -> Option<Decoded> {
    use encoding_rs::{Encoding, GB18030};
    if bytes.is_empty() {
        return Some(Decoded {
            text: String::new(),
            encoding: "UTF-8",
        });
    }
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors && enc == encoding_rs::UTF_8 {
            // fall through to the guessers below on broken UTF-8 with a BOM
        } else {
            return finish(&text, enc.name());
        }
    }
    // UTF-16 without a BOM first: ASCII-heavy UTF-16 is also "valid UTF-8" full of NULs.
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        if let Some(d) = finish(&text, enc.name()) {
            return Some(d);
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return finish(s, "UTF-8");
    }
    // UTF-8 with a few broken bytes is UTF-8: replace them rather than guess another encoding
    {
        let lossy = String::from_utf8_lossy(bytes);
        let total = lossy.chars().count().max(1);
        let bad = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
        let multibyte = lossy
            .chars()
            .filter(|c| !c.is_ascii() && *c != '\u{FFFD}')
            .count();
        if bad * 50 < total && multibyte > bad * 4 {
            return finish(&lossy, "UTF-8 (with invalid bytes replaced)");
        }
    }
    if looks_binary(bytes) {
        return None;
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let mut enc = det.guess(None, chardetng::Utf8Detection::Allow);
    // GBK and GB2312 files are decoded with their superset GB18030.
    if enc == encoding_rs::GBK {
        enc = GB18030;
    }
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        // Mostly valid UTF-8 with a few broken bytes decodes better as lossy UTF-8.
        let lossy = String::from_utf8_lossy(bytes);
        let bad = lossy.chars().filter(|&c| c == '\u{FFFD}').count();
        if bad * 50 < lossy.chars().count().max(1) {
            return finish(&lossy, "UTF-8 (with invalid bytes replaced)");
        }
    }
    finish(&text, enc.name())
}

fn finish(text: &str, encoding: &'static str) -> Option<Decoded> {
    let total = text.chars().count();
    if total > 0 {
        let bad = text
            .chars()
            .filter(|&c| c == '\u{FFFD}' || (c < ' ' && c != '\n' && c != '\r' && c != '\t'))
            .count();
        // Text whose characters are mostly replacement marks or controls is not text.
        if bad * 3 > total && total > 16 {
            return None;
        }
    }
    Some(Decoded {
        text: normalize_newlines(text),
        encoding,
    })
}

/// CRLF and lone CR become LF; NUL bytes are dropped.
pub fn normalize_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\r' => {
                if it.peek() == Some(&'\n') {
                    it.next();
                }
                out.push('\n');
            }
            '\0' => {}
            _ => out.push(c),
        }
    }
    out
}

fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let pairs = sample.len() / 2;
    let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // ASCII-heavy UTF-16: one byte of most pairs is zero.
    if odd_zero * 10 > pairs * 4 && even_zero * 10 < pairs {
        return Some(encoding_rs::UTF_16LE);
    }
    if even_zero * 10 > pairs * 4 && odd_zero * 10 < pairs {
        return Some(encoding_rs::UTF_16BE);
    }
    None
}

/// Heuristic: many NUL bytes or other control bytes in the first 8 KiB.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    let ctrl = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B))
        .count();
    ctrl * 10 > sample.len()
}

/// Stable id of an issue: a hash of its decoded text with all white space removed, so that a
/// rename, a move, a re-encoding or a change of line ends keeps the id.
pub fn issue_id(text: &str) -> String {
    let mut h = blake3::Hasher::new();
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        h.update(c.encode_utf8(&mut buf).as_bytes());
    }
    h.finalize().to_hex()[..16].to_string()
}

/// Sidecar metadata (`NAME.toml` next to `NAME.txt`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    pub paper: Option<String>,
    pub date: Option<toml::Value>,
    pub page: Option<toml::Value>,
    pub title: Option<String>,
}

/// Read the sidecar of an issue file if there is one. A broken sidecar is a warning.
pub fn read_sidecar(path: &Path) -> Result<Option<Sidecar>, String> {
    let side = path.with_extension("toml");
    if !side.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&side).map_err(|e| format!("{}: {e}", side.display()))?;
    toml::from_str::<Sidecar>(&text)
        .map(Some)
        .map_err(|e| format!("{}: {}", side.display(), e.to_string().trim()))
}

fn value_to_string(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}

/// Build the metadata of an issue: sidecar first, then what the file name and the first lines
/// of the text offer.
pub fn issue_meta(f: &IssueFile, decoded: &Decoded, warnings: &mut Vec<String>) -> IssueMeta {
    let mut meta = IssueMeta {
        id: issue_id(&decoded.text),
        source: f.source.clone(),
        encoding: decoded.encoding.to_string(),
        size: f.size,
        mtime: f.mtime,
        ..Default::default()
    };
    match read_sidecar(&f.path) {
        Ok(Some(s)) => {
            meta.paper = s.paper.unwrap_or_default();
            meta.title = s.title.unwrap_or_default();
            meta.page = s.page.as_ref().map(value_to_string).unwrap_or_default();
            if let Some(d) = s.date.as_ref().map(value_to_string) {
                meta.date = parse_date(&d).unwrap_or(d);
            }
        }
        Ok(None) => {}
        Err(e) => warnings.push(format!("sidecar ignored: {e}")),
    }
    if meta.date.is_empty() {
        let name = f.source.rsplit('/').next().unwrap_or(&f.source);
        meta.date = parse_date(name)
            .or_else(|| {
                let head: String = decoded.text.lines().take(8).collect::<Vec<_>>().join("\n");
                parse_date(&head)
            })
            .unwrap_or_default();
    }
    meta
}

/// Find a date in `s`: 2023年11月18日, 2023-11-18, 2023.11.18, 20231118, 2023_11_18.
/// Returns YYYY-MM-DD.
pub fn parse_date(s: &str) -> Option<String> {
    use std::sync::OnceLock;
    static RES: OnceLock<[regex::Regex; 2]> = OnceLock::new();
    let res = RES.get_or_init(|| {
        [
            regex::Regex::new(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").unwrap(),
            regex::Regex::new(
                r"(?:^|[^0-9])((?:19|20)\d{2})[-_./]?(\d{2})[-_./]?(\d{2})(?:[^0-9]|$)",
            )
            .unwrap(),
        ]
    });
    for re in res {
        if let Some(c) = re.captures(s) {
            let y: u32 = c[1].parse().ok()?;
            let m: u32 = c[2].parse().ok()?;
            let d: u32 = c[3].parse().ok()?;
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gb18030() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("本报讯（记者 黄静）浦东新区召开会议，表彰先进企业。");
        let d = decode(&bytes).expect("decodes");
        assert!(d.text.contains("浦东新区"), "{} {}", d.encoding, d.text);
    }

    #[test]
    fn decodes_utf16_with_and_without_bom() {
        let s = "浦东新区\r\nHR 2023\r\n";
        let mut le = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, "浦东新区\nHR 2023\n");
        let ascii = "Hello kanbao, plain ASCII in UTF-16\n";
        let mut be = Vec::new();
        for u in ascii.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().text, ascii);
    }

    #[test]
    fn utf8_bom_and_cr() {
        let d = decode("\u{feff}一\r二\r\n三".as_bytes()).unwrap();
        assert_eq!(d.text, "一\n二\n三");
    }

    #[test]
    fn binary_is_refused() {
        let bytes: Vec<u8> = (0..4000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(decode(&bytes).is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2023年11月18日 星期六").as_deref(),
            Some("2023-11-18")
        );
        assert_eq!(
            parse_date("xmwb_20231118_A05.txt").as_deref(),
            Some("2023-11-18")
        );
        assert_eq!(parse_date("2020-09-14.txt").as_deref(), Some("2020-09-14"));
        assert_eq!(parse_date("003_98f8bf98f93ad044.txt"), None);
    }

    #[test]
    fn issue_id_ignores_whitespace_and_line_ends() {
        assert_eq!(issue_id("浦东\n新区"), issue_id("浦东\r\n 新区 "));
        assert_ne!(issue_id("浦东"), issue_id("新区"));
    }
}
