//! Looking at and opening inputs by paths of any length: a path over the kernel's limit
//! (`PATH_MAX`, 4096 bytes on Linux) is opened a piece at a time, each piece relative to the
//! directory the last one opened. Nothing here blocks on a FIFO or a device, and a link is
//! followed only when asked.

use std::ffi::OsStr;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags, Stat};

/// Paths shorter than this go to the kernel whole; longer ones in pieces of at most this many
/// bytes (well under `PATH_MAX`, whatever the platform's).
const PIECE: usize = 2048;

/// A path made short enough: `rest`, relative to `dir` (or as it is, without one).
struct Located {
    dir: Option<OwnedFd>,
    rest: PathBuf,
}

impl Located {
    fn dir(&self) -> BorrowedFd<'_> {
        self.dir.as_ref().map_or(CWD, AsFd::as_fd)
    }
}

/// Opens the directories of a long `path` a piece at a time, leaving a last piece short
/// enough to hand to the kernel.
fn locate(path: &Path) -> io::Result<Located> {
    if path.as_os_str().len() < PIECE {
        return Ok(Located {
            dir: None,
            rest: path.to_owned(),
        });
    }
    let mut located = Located {
        dir: None,
        rest: PathBuf::new(),
    };
    let components: Vec<Component<'_>> = path.components().collect();
    for (i, component) in components.iter().enumerate() {
        let name = component.as_os_str();
        let full = located.rest.as_os_str().len() + name.len() + 1 > PIECE;
        if full && i + 1 < components.len() && !located.rest.as_os_str().is_empty() {
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let dir = rustix::fs::openat(located.dir(), &located.rest, flags, Mode::empty())?;
            located = Located {
                dir: Some(dir),
                rest: PathBuf::new(),
            };
        }
        located.rest.push(name);
    }
    Ok(located)
}

/// The status of `path`, of the link itself unless `follow`.
pub(crate) fn stat(path: &Path, follow: bool) -> io::Result<Stat> {
    let located = locate(path)?;
    let flags = if follow {
        AtFlags::empty()
    } else {
        AtFlags::SYMLINK_NOFOLLOW
    };
    Ok(rustix::fs::statat(located.dir(), &located.rest, flags)?)
}

/// Opens `path` for reading without blocking (a FIFO opens at once, and is then refused by
/// its type); a link at the end is opened only if `follow`.
pub(crate) fn open_for_reading(path: &Path, follow: bool) -> io::Result<File> {
    let mut flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let located = locate(path)?;
    let fd = rustix::fs::openat(located.dir(), &located.rest, flags, Mode::empty())?;
    Ok(File::from(fd))
}

/// A directory's identity: device and inode.
pub(crate) type DirId = (u64, u64);

/// The identity of the file `stat` describes.
pub(crate) fn id_of(stat: &Stat) -> DirId {
    (stat.st_dev, stat.st_ino)
}

/// What a directory holds.
pub(crate) struct Listing {
    /// The directory's own identity.
    pub(crate) id: DirId,
    /// Its entries, by name in byte order.
    pub(crate) entries: Vec<(std::ffi::OsString, FileType)>,
}

/// Lists the directory at `path` (a link to one only if `follow`).
pub(crate) fn list(path: &Path, follow: bool) -> io::Result<Listing> {
    let mut flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    if !follow {
        flags |= OFlags::NOFOLLOW;
    }
    let located = locate(path)?;
    let fd = rustix::fs::openat(located.dir(), &located.rest, flags, Mode::empty())?;
    let id = id_of(&rustix::fs::fstat(&fd)?);
    let mut dir = rustix::fs::Dir::read_from(&fd)?;
    let mut entries = Vec::new();
    while let Some(entry) = dir.read() {
        let entry = entry?;
        let name = OsStr::from_bytes(entry.file_name().to_bytes());
        if name == "." || name == ".." {
            continue;
        }
        let kind = match entry.file_type() {
            FileType::Unknown => FileType::from_raw_mode(
                rustix::fs::statat(&fd, name, AtFlags::SYMLINK_NOFOLLOW)?.st_mode,
            ),
            kind => kind,
        };
        entries.push((name.to_owned(), kind));
    }
    entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(Listing { id, entries })
}

/// What to call a file type in a message.
pub(crate) fn describe(kind: FileType) -> &'static str {
    match kind {
        FileType::RegularFile => "a regular file",
        FileType::Directory => "a directory",
        FileType::Symlink => "a symbolic link",
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::Socket => "a socket",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Unknown => "a file of unknown type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_over_path_max_is_opened_in_pieces() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_owned();
        // 30 levels of 200 bytes: about 6 KB, past PATH_MAX.
        for level in 0..30 {
            deep.push(format!("{level:03}{}", "d".repeat(197)));
        }
        let mut made = dir.path().to_owned();
        for component in deep.strip_prefix(dir.path()).unwrap().components() {
            rustix::fs::mkdirat(
                File::open(&made)
                    .or_else(|_| open_for_reading(&made, true))
                    .unwrap(),
                component.as_os_str(),
                Mode::from_bits_truncate(0o755),
            )
            .unwrap();
            made.push(component);
        }
        assert!(deep.as_os_str().len() > 4096);
        assert!(std::fs::metadata(&deep).is_err(), "too long for one call");
        let listing = list(deep.parent().unwrap(), false).unwrap();
        assert_eq!(listing.entries.len(), 1);
        assert_eq!(listing.entries[0].1, FileType::Directory);
        assert!(stat(&deep, false).is_ok());
        assert!(open_for_reading(&deep.join("missing.md"), false).is_err());
    }
}
