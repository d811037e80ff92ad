//! Finding the inputs: every file under each root that the globs select, in path order. The
//! walk opens directories by paths of any length (see [`crate::files`]); follows links only
//! as `input.follow_symlinks` says, and never out of a root unless it says so; skips hidden
//! names unless `input.hidden`, and the output directory wherever it is; and turns everything
//! it meets but cannot walk or read (an unlistable directory, a FIFO, a dangling link, a link
//! loop) into a reject, so that nothing under a root is lost silently.

mod roots;

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::SyncSender;

use lede_record::SourcePath;
use rustix::fs::FileType;

pub(crate) use roots::{Root, plan};
pub use roots::{describe_inputs, no_input_files, source_of};

use crate::files::{self, DirId};
use crate::{FollowLinks, PipelineSettings, Progress};

/// One thing the walk found.
#[derive(Debug)]
pub(crate) enum Discovered {
    /// A file to read.
    File(SourcePath),
    /// Something under a root that could not be walked (permissions, a symlink loop, a FIFO):
    /// it is reported as a reject so that nothing is lost silently.
    Unwalkable { relative: String, error: String },
}

/// Paths are sent to the workers in chunks of this many: one channel operation per chunk
/// instead of per file keeps the walker and the workers off each other's locks.
pub(crate) const CHUNK: usize = 64;

/// Walks every root, sending what it finds in chunks; stops early when the run is cancelled or the
/// receiver is gone.
pub(crate) fn walk(
    roots: &[Root<'_>],
    settings: &PipelineSettings,
    tx: &SyncSender<Vec<Discovered>>,
    progress: &Progress,
) {
    let output = files::stat(&settings.output, true)
        .ok()
        .map(|s| files::id_of(&s));
    let mut walker = Walker {
        settings,
        output,
        tx,
        progress,
        chunk: Vec::with_capacity(CHUNK),
    };
    for root in roots {
        if walker.root(root).is_err() {
            return;
        }
    }
    if !walker.chunk.is_empty() {
        let _ = tx.send(std::mem::take(&mut walker.chunk));
    }
}

/// How many files a run over `settings` would read: the walk alone, nothing opened (what
/// `lede check` reports). Things that cannot be walked are not counted.
pub fn count_inputs(settings: &PipelineSettings) -> u64 {
    let (roots, _) = roots::plan(&settings.inputs);
    let progress = Progress::default();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Discovered>>(16);
    std::thread::scope(|scope| {
        let (roots, progress) = (&roots, &progress);
        scope.spawn(move || walk(roots, settings, &tx, progress));
        rx.iter()
            .flatten()
            .filter(|found| matches!(found, Discovered::File(_)))
            .count() as u64
    })
}

/// Whether a file or directory name is hidden: it starts with a dot (`.git`, `.draft.md`).
pub(crate) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_bytes().starts_with(b".")
}

/// The walk was stopped: cancelled, or nobody is listening any more.
struct Stopped;

struct Walker<'a> {
    settings: &'a PipelineSettings,
    /// The output directory: never walked, even when it is inside a root.
    output: Option<DirId>,
    tx: &'a SyncSender<Vec<Discovered>>,
    progress: &'a Progress,
    chunk: Vec<Discovered>,
}

/// A directory being walked: what is left of its entries.
struct Level {
    relative: PathBuf,
    id: DirId,
    entries: std::vec::IntoIter<(std::ffi::OsString, FileType)>,
}

impl Walker<'_> {
    fn root(&mut self, root: &Root<'_>) -> Result<(), Stopped> {
        if let Some(name) = &root.file {
            // A file given as a root is read whatever its name.
            return self.found(Discovered::File(root.source(Path::new(name))));
        }
        let mut stack = match files::list(&root.base, true) {
            Ok(listing) => vec![Level {
                relative: PathBuf::new(),
                id: listing.id,
                entries: listing.entries.into_iter(),
            }],
            Err(err) => {
                let relative = root.label.clone().unwrap_or_default();
                return self.found(Discovered::Unwalkable {
                    relative,
                    error: format!("cannot walk the input {}: {err}", root.base.display()),
                });
            }
        };
        while let Some(level) = stack.last_mut() {
            if self.progress.cancel.load(Ordering::Relaxed) {
                return Err(Stopped);
            }
            let Some((name, kind)) = level.entries.next() else {
                stack.pop();
                continue;
            };
            if !self.settings.hidden && is_hidden(&name) {
                continue;
            }
            let relative = level.relative.join(&name);
            let kind = match kind {
                FileType::Symlink => match self.through_link(root, &relative)? {
                    Some(kind) => kind,
                    None => continue,
                },
                kind => kind,
            };
            match kind {
                FileType::Directory => {
                    if let Some(level) = self.enter(root, &stack, relative)? {
                        stack.push(level);
                    }
                }
                FileType::RegularFile if root.input.wants(&relative) => {
                    self.found(Discovered::File(root.source(&relative)))?;
                }
                FileType::RegularFile => {}
                other if root.input.wants(&relative) => {
                    let error = format!(
                        "not a regular file but {}: lede reads regular files only",
                        files::describe(other)
                    );
                    self.unwalkable(root, &relative, error)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// What a link at `relative` leads to, if it is to be followed; `None` when it is not (it
    /// is counted) or is a reject (it is sent).
    fn through_link(
        &mut self,
        root: &Root<'_>,
        relative: &Path,
    ) -> Result<Option<FileType>, Stopped> {
        let path = root.base.join(relative);
        let not_followed = |walker: &mut Self| {
            walker
                .progress
                .links_not_followed
                .fetch_add(1, Ordering::Relaxed);
            Ok(None)
        };
        match self.settings.follow_links {
            FollowLinks::Never => return not_followed(self),
            FollowLinks::WithinInput => match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(&root.canonical) => {}
                // Dangling: the look below makes it a reject.
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                // Outside, or where it leads cannot be told: not followed.
                _ => return not_followed(self),
            },
            FollowLinks::Always => {}
        }
        match files::stat(&path, true) {
            Ok(target) => Ok(Some(FileType::from_raw_mode(target.st_mode))),
            Err(err) => {
                if root.input.wants(relative) {
                    self.unwalkable(
                        root,
                        relative,
                        format!("cannot read: the link leads nowhere: {err}"),
                    )?;
                }
                Ok(None)
            }
        }
    }

    /// Lists the directory at `relative`, unless it is the output, or an ancestor reached
    /// again through a link (a loop: a reject).
    fn enter(
        &mut self,
        root: &Root<'_>,
        stack: &[Level],
        relative: PathBuf,
    ) -> Result<Option<Level>, Stopped> {
        let follow = self.settings.follow_links != FollowLinks::Never;
        match files::list(&root.base.join(&relative), follow) {
            Ok(listing) if Some(listing.id) == self.output => Ok(None),
            Ok(listing) => {
                if let Some(ancestor) = stack.iter().find(|level| level.id == listing.id) {
                    let error = format!(
                        "cannot walk: symlink loop back to {}",
                        root.base.join(&ancestor.relative).display()
                    );
                    self.unwalkable(root, &relative, error)?;
                    return Ok(None);
                }
                Ok(Some(Level {
                    relative,
                    id: listing.id,
                    entries: listing.entries.into_iter(),
                }))
            }
            Err(err) => {
                self.unwalkable(root, &relative, format!("cannot walk: {err}"))?;
                Ok(None)
            }
        }
    }

    fn unwalkable(
        &mut self,
        root: &Root<'_>,
        relative: &Path,
        error: String,
    ) -> Result<(), Stopped> {
        let relative = root.source(relative).relative().to_owned();
        self.found(Discovered::Unwalkable { relative, error })
    }

    fn found(&mut self, found: Discovered) -> Result<(), Stopped> {
        self.progress.discovered.fetch_add(1, Ordering::Relaxed);
        self.chunk.push(found);
        if self.chunk.len() == CHUNK {
            let full = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
            self.tx.send(full).map_err(|_| Stopped)?;
        }
        Ok(())
    }
}
