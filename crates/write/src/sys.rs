//! The system calls the writer makes beyond plain reads and writes: durability (`syncfs`,
//! directory syncs), the descriptor limit, and handing freed memory back to the system. Each is
//! one small function so that the rest of the crate reads as file operations.

use std::fs::File;
use std::path::Path;

use crate::WriteError;

/// Makes a directory's entries (renames, creations, removals in it) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), WriteError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|source| WriteError::io("sync a directory", dir, source))
}

/// Makes everything written on the file system holding `dir` durable (Linux `syncfs`): one call
/// for every staged file at once, instead of an `fsync` per file that would stall the writer.
pub(crate) fn sync_filesystem(dir: &Path) -> Result<(), WriteError> {
    use std::os::fd::AsRawFd;
    let handle =
        File::open(dir).map_err(|source| WriteError::io("open for syncing", dir, source))?;
    // SAFETY: `syncfs` takes a file descriptor, which `handle` keeps open for the call.
    if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
        return Err(WriteError::io(
            "sync the file system of",
            dir,
            std::io::Error::last_os_error(),
        ));
    }
    Ok(())
}

/// Swaps the directories `staged` and `published` in one rename (`renameat2` with
/// `RENAME_EXCHANGE`), so that a reader sees one or the other, never neither; a `published`
/// that does not exist yet is simply renamed into. Where the file system cannot exchange, the
/// published directory is first moved aside into `staged`'s place — a moment in which it is
/// missing.
pub(crate) fn exchange(staged: &Path, published: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    if !published.exists() {
        return std::fs::rename(staged, published);
    }
    match renameat_with(CWD, staged, CWD, published, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(err)
            if err == rustix::io::Errno::INVAL
                || err == rustix::io::Errno::NOSYS
                || err == rustix::io::Errno::OPNOTSUPP =>
        {
            let aside = staged.with_extension("previous");
            std::fs::rename(published, &aside)?;
            std::fs::rename(staged, published)
        }
        Err(err) => Err(err.into()),
    }
}

/// File descriptors kept for everything but part files: inputs being read, the ledger, the lock,
/// standard streams.
pub(crate) const SPARE_DESCRIPTORS: usize = 64;

/// `wanted` open part files, lowered so that they fit in `limit` descriptors with some to spare:
/// a cron job's `ulimit -n` can be smaller than `output.max_open_files`, and running out of
/// descriptors halfway would fail the run.
pub(crate) fn open_files_within(wanted: usize, limit: Option<u64>) -> usize {
    let Some(limit) = limit else {
        return wanted;
    };
    let available = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_sub(SPARE_DESCRIPTORS);
    wanted.min(available).max(1)
}

/// The process's soft limit on open files, if it has one.
pub(crate) fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes the limit into the struct it is given, which lives for the call.
    let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    (known && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

/// Gives the memory just freed back to the system. A row group frees many megabytes that the
/// workers allocated, scattered over glibc's per-thread arenas, which keep it; trimming after
/// each one written while the workers run took peak RSS from ~177 to ~148 MB on the bulk tree
/// and from 475 to 375 MB on a million files. Each trim walks every arena and unmaps pages
/// that are faulted in again, so the commit's closing of the remaining files trims once.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks and releases glibc's own free lists; any thread may call it.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_files_fit_in_the_descriptor_limit() {
        assert_eq!(open_files_within(256, Some(1024)), 256);
        assert_eq!(open_files_within(256, Some(256)), 256 - SPARE_DESCRIPTORS);
        assert_eq!(open_files_within(256, Some(10)), 1);
        assert_eq!(open_files_within(256, None), 256);
        assert!(open_file_limit().is_none_or(|limit| limit > 0));
    }
}
