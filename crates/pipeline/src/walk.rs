//! Finding the inputs: every file under each root that the globs select, in path order.

use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;

use lede_record::SourcePath;

use crate::{InputRoot, Progress};

/// One thing the walk found.
#[derive(Debug)]
pub(crate) enum Discovered {
    /// A file to read.
    File(SourcePath),
    /// Something under a root that could not be walked (permissions, a symlink loop): it is
    /// reported as a reject so that nothing is lost silently.
    Unwalkable { relative: String, error: String },
}

/// Paths are sent to the workers in chunks of this many: one channel operation per chunk
/// instead of per file keeps the walker and the workers off each other's locks.
pub(crate) const CHUNK: usize = 64;

/// Walks every root, sending what it finds in chunks; stops early when the run is cancelled or the
/// receiver is gone.
pub(crate) fn walk(roots: &[InputRoot], tx: &SyncSender<Vec<Discovered>>, progress: &Progress) {
    let mut chunk = Vec::with_capacity(CHUNK);
    for root in roots {
        // Sorted, so runs are repeatable and dated file names arrive in time order (which keeps
        // a partition's part file open while it is being filled). Siblings share their parent,
        // so comparing whole paths orders them by name without parsing a name per comparison.
        let walker = walkdir::WalkDir::new(&root.path)
            .follow_links(true)
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()));
        for entry in walker {
            if progress.cancel.load(Ordering::Relaxed) {
                return;
            }
            let found = match entry {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) => {
                    let relative = entry
                        .path()
                        .strip_prefix(&root.path)
                        .unwrap_or(entry.path());
                    let relative = if relative.as_os_str().is_empty() {
                        std::path::Path::new(entry.file_name())
                    } else {
                        relative
                    };
                    if !root.wants(relative) {
                        continue;
                    }
                    let root_dir = if entry.path() == root.path {
                        root.path.parent().unwrap_or(&root.path)
                    } else {
                        &root.path
                    };
                    Discovered::File(SourcePath::new(root_dir, relative))
                }
                Err(err) => {
                    let path = err.path().unwrap_or(&root.path);
                    let relative = path.strip_prefix(&root.path).unwrap_or(path);
                    if !relative.as_os_str().is_empty()
                        && !root.wants(relative)
                        && err.loop_ancestor().is_none()
                        && !path.is_dir()
                    {
                        continue;
                    }
                    let message = match err.loop_ancestor() {
                        Some(ancestor) => format!("symlink loop back to {}", ancestor.display()),
                        None => err
                            .io_error()
                            .map_or_else(|| err.to_string(), ToString::to_string),
                    };
                    Discovered::Unwalkable {
                        relative: SourcePath::new(&root.path, relative).relative().to_owned(),
                        error: format!("cannot walk: {message}"),
                    }
                }
            };
            progress.discovered.fetch_add(1, Ordering::Relaxed);
            chunk.push(found);
            if chunk.len() == CHUNK
                && tx
                    .send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))
                    .is_err()
            {
                return;
            }
        }
    }
    if !chunk.is_empty() {
        let _ = tx.send(chunk);
    }
}
