//! One writer at a time per index: an advisory lock file beside the index folder
//! (`DATA/index/<key>.lock`). Whoever syncs, rebuilds or repairs the index holds it; readers
//! never take it, they open the last committed index. The lock goes with the process (the
//! kernel releases it on exit, `kill -9` included), so a crash never leaves it stuck.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// The write lock of one index, held until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

fn lock_path(index_dir: &Path) -> PathBuf {
    super::sibling(index_dir, ".lock")
}

fn lock_file(index_dir: &Path) -> std::io::Result<File> {
    if let Some(parent) = index_dir.parent() {
        crate::paths::create_private_dir(parent).map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot create {}: {e}", parent.display()))
        })?;
    }
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(index_dir))
}

impl WriteLock {
    /// Take the lock if nobody holds it; `None` when another process (or handle) does.
    pub fn try_acquire(index_dir: &Path) -> std::io::Result<Option<WriteLock>> {
        let f = lock_file(index_dir)?;
        match f.try_lock() {
            Ok(()) => Ok(Some(WriteLock { _file: f })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }

    /// Wait for the lock. `waiting` is called once if it has to wait (to say so).
    pub fn acquire(index_dir: &Path, waiting: &mut dyn FnMut()) -> std::io::Result<WriteLock> {
        if let Some(l) = Self::try_acquire(index_dir)? {
            return Ok(l);
        }
        waiting();
        let f = lock_file(index_dir)?;
        f.lock()?;
        Ok(WriteLock { _file: f })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("index").join("abc");
        let a = WriteLock::try_acquire(&dir).unwrap();
        assert!(a.is_some());
        assert!(WriteLock::try_acquire(&dir).unwrap().is_none());
        drop(a);
        let mut waited = false;
        let b = WriteLock::acquire(&dir, &mut || waited = true).unwrap();
        assert!(!waited);
        drop(b);
        assert!(lock_path(&dir).ends_with("abc.lock"));
    }
}
