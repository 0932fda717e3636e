//! `kanbao export`: one JSON object per article or fragment, in reading order.

use crate::model::Issue;
use std::io::Write;

/// Write the records of `issues` as JSON Lines.
pub fn write_jsonl<W: Write>(issues: &[Issue], mut out: W) -> std::io::Result<()> {
    for issue in issues {
        for r in &issue.records {
            serde_json::to_writer(&mut out, r)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()
}
