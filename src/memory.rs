//! Giving back what an idle reader holds and does not need.
//!
//! The index is read through memory maps (tantivy's `MmapDirectory`): every page a search
//! touches stays mapped into the reader, and the kernel maps pages around each one it faults in
//! (64 KB at a time), so after some typing on a million articles the reader's resident set
//! counts hundreds of megabytes of index pages. They are the page cache's, shared with every
//! other process and dropped by the kernel under pressure, but they show as the reader's
//! memory in `top`, and a host with many readers is judged by it. Once the reader is idle,
//! [`release`] unmaps those pages from the reader (they stay in the page cache: the next
//! search maps them again with minor faults, without reading the disk) and hands the heap's
//! free pages back to the system.

use std::path::Path;

/// What [`release`] gave back, in bytes (mapped ranges advised, whatever of them was resident).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Released {
    /// Bytes of read-only file mappings under the folder, advised as not needed.
    pub mapped: u64,
    /// Whether the heap was trimmed.
    pub trimmed: bool,
}

/// Drop this process's resident pages of the read-only files it maps under `dir` (they are
/// read again from the page cache when next touched) and, with `trim`, return the heap's free
/// pages to the system. Linux only; elsewhere it does nothing.
pub fn release(dir: &Path, trim: bool) -> Released {
    let mut out = Released::default();
    #[cfg(target_os = "linux")]
    {
        if let Ok(maps) = std::fs::read_to_string("/proc/self/maps") {
            for (start, end) in mapped_under(&maps, dir) {
                // SAFETY: the range is a whole mapping of this process, read-only and backed by
                // a file (checked by `mapped_under`). MADV_DONTNEED on such a mapping only drops
                // its page-table entries: a later read faults the same bytes in again from the
                // file (the page cache). Nothing is written through it, so nothing is lost, and
                // a thread reading it meanwhile merely faults.
                let r = unsafe {
                    libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED)
                };
                if r == 0 {
                    out.mapped += (end - start) as u64;
                }
            }
        }
    }
    if trim {
        out.trimmed = trim_heap();
    }
    out
}

/// Return the heap's free pages to the system (glibc keeps what a burst of work freed, such
/// as a check of a large archive, until told); whether it could. Linux with glibc only.
pub fn trim_heap() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only returns free memory of glibc's arenas to the system.
        unsafe { libc::malloc_trim(0) };
        true
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// Bytes of files this process has resident in memory (its `RssFile` and `RssShmem`: the
/// mapped index pages, the binary, the libraries), from `/proc/self/statm`; `None` where there
/// is no such file.
pub fn resident_file_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    statm_shared_bytes(&statm, page_size())
}

/// The third field of `statm` (resident shared pages) in bytes.
fn statm_shared_bytes(statm: &str, page: u64) -> Option<u64> {
    let pages: u64 = statm.split_whitespace().nth(2)?.parse().ok()?;
    Some(pages * page)
}

fn page_size() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: sysconf only reads a system constant.
        let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if p > 0 {
            return p as u64;
        }
    }
    4096
}

/// One line of `/proc/PID/maps` (or a mapping's header line in `smaps`).
#[derive(Debug, PartialEq, Eq)]
pub struct Mapping<'a> {
    pub start: usize,
    pub end: usize,
    /// `r-xp`, `r--s`…
    pub perms: &'a str,
    /// The file mapped, `" (deleted)"` taken off; `None` for anonymous and special mappings.
    pub path: Option<&'a str>,
}

/// Read one line of `/proc/PID/maps`: `start-end perms offset dev inode [path]` (the path may
/// hold spaces). `None` for any other line (the `Field: value` lines of `smaps`).
pub fn mapping(line: &str) -> Option<Mapping<'_>> {
    let mut f = line.splitn(6, ' ');
    let (range, perms) = (f.next()?, f.next()?);
    let (a, b) = range.split_once('-')?;
    let (start, end) = (
        usize::from_str_radix(a, 16).ok()?,
        usize::from_str_radix(b, 16).ok()?,
    );
    let (_offset, _dev, _inode) = (f.next()?, f.next()?, f.next()?);
    let path = f
        .next()
        .map(str::trim_start)
        .filter(|p| p.starts_with('/'))
        .map(|p| p.strip_suffix(" (deleted)").unwrap_or(p));
    Some(Mapping {
        start,
        end,
        perms,
        path,
    })
}

/// The ranges of the read-only, non-executable file mappings in `maps` (the text of
/// `/proc/PID/maps`) whose file lies under `dir`.
fn mapped_under(maps: &str, dir: &Path) -> Vec<(usize, usize)> {
    maps.lines()
        .filter_map(mapping)
        .filter(|m| m.path.is_some_and(|p| Path::new(p).starts_with(dir)))
        .filter(|m| m.perms.starts_with("r--") && m.end > m.start)
        .map(|m| (m.start, m.end))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statm_gives_the_resident_shared_pages() {
        assert_eq!(
            statm_shared_bytes("61372 40310 5188 2745 0 37283 0\n", 4096),
            Some(5188 * 4096)
        );
        assert_eq!(statm_shared_bytes("61372 40310", 4096), None);
        assert_eq!(statm_shared_bytes("a b c", 4096), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_has_files_resident() {
        // its own code at least
        let b = resident_file_bytes().expect("statm");
        assert!(b > 0, "{b}");
    }

    #[test]
    fn only_read_only_file_mappings_under_the_folder_are_taken() {
        let maps = "\
55d0a000-55d0b000 r-xp 00000000 08:01 1234 /usr/bin/kanbao
7f0000000000-7f0000100000 r--s 00000000 08:01 99 /data/index/abc/seg.idx
7f0000100000-7f0000200000 r--p 00000000 08:01 98 /data/index/abc/seg with space.term (deleted)
7f0000200000-7f0000300000 rw-s 00000000 08:01 97 /data/index/abc/writable
7f0000300000-7f0000400000 r--s 00000000 08:01 96 /data/indexer/other
7f0000400000-7f0000500000 rw-p 00000000 00:00 0 
7f0000500000-7f0000600000 r--p 00000000 00:00 0                          [vvar]
";
        let got = mapped_under(maps, Path::new("/data/index"));
        assert_eq!(
            got,
            vec![
                (0x7f00_0000_0000, 0x7f00_0010_0000),
                (0x7f00_0010_0000, 0x7f00_0020_0000)
            ]
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn released_pages_are_read_again_unchanged() {
        use std::io::Write;
        let t = tempfile::tempdir().unwrap();
        let p = t.path().join("f.bin");
        let bytes: Vec<u8> = (0..(1 << 20)).map(|i: u32| (i % 251) as u8).collect();
        std::fs::File::create(&p)
            .unwrap()
            .write_all(&bytes)
            .unwrap();
        let dir = tantivy::directory::MmapDirectory::open(t.path()).unwrap();
        use tantivy::Directory;
        let h = dir.get_file_handle(Path::new("f.bin")).unwrap();
        let sum = |h: &dyn tantivy::directory::FileHandle| -> u64 {
            h.read_bytes(0..bytes.len())
                .unwrap()
                .as_slice()
                .iter()
                .map(|&b| b as u64)
                .sum()
        };
        // the file's resident kilobytes in this process
        let resident = || -> u64 {
            let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
            let mut on = false;
            let mut kb = 0;
            for l in smaps.lines() {
                // a mapping's header line, or one of its `Field: value` lines
                if let Some(m) = mapping(l) {
                    on = m.path.is_some_and(|p| p.ends_with("/f.bin"));
                } else if on && l.starts_with("Rss:") {
                    kb += l.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap();
                }
            }
            kb
        };
        let before = sum(&*h);
        assert!(resident() >= 1024, "read, the file is resident");
        let r = release(&t.path().canonicalize().unwrap(), true);
        assert!(r.mapped >= bytes.len() as u64, "{r:?}");
        assert_eq!(resident(), 0, "released, none of it is");
        assert_eq!(sum(&*h), before);
        assert_eq!(before, bytes.iter().map(|&b| b as u64).sum::<u64>());
    }
}
