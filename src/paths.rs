//! Folders kanbao creates for itself (the data folder, the index).

use std::path::Path;

/// Create a folder (and its parents) readable by the owner only.
pub fn create_private_dir(p: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(p)
}
