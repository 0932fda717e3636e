//! Loading a whole archive: discover files, decode, analyse. Files that cannot be used give one
//! warning each; the rest of the archive loads.

use crate::archive::{self, IssueFile};
use crate::layout;
use crate::model::Issue;
use std::path::Path;

/// An archive loaded into memory.
#[derive(Debug, Default)]
pub struct Library {
    pub issues: Vec<Issue>,
    pub warnings: Vec<String>,
}

/// What turns an issue's text into records: [`layout::analyze`], or (in tests) another
/// version of the analysis.
pub type Analyzer = fn(&str, &crate::model::IssueMeta) -> Vec<crate::model::Record>;

/// Read and analyse one file. Err is the warning to show.
pub fn load_file(f: &IssueFile, warnings: &mut Vec<String>) -> Result<Issue, String> {
    load_file_with(f, warnings, layout::analyze)
}

/// [`load_file`] with another analysis.
pub fn load_file_with(
    f: &IssueFile,
    warnings: &mut Vec<String>,
    analyze: Analyzer,
) -> Result<Issue, String> {
    let decoded = archive::read_file(f).map_err(|e| e.to_string())?;
    let meta = archive::issue_meta(f, &decoded, warnings);
    let records = analyze(&decoded.text, &meta);
    Ok(Issue { meta, records })
}

/// Load every issue under `root`, in path order.
pub fn load(root: &Path) -> anyhow::Result<Library> {
    let (files, mut warnings) = archive::discover(root)?;
    let mut issues = Vec::with_capacity(files.len());
    for f in &files {
        match load_file(f, &mut warnings) {
            Ok(i) => issues.push(i),
            Err(w) => warnings.push(w),
        }
    }
    Ok(Library { issues, warnings })
}
