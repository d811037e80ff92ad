//! Where an input came from: the path to open and the stable relative name the dataset shows.

use std::path::{Path, PathBuf};

/// An input file: its absolute path, and its path relative to the input root it was found under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourcePath {
    absolute: PathBuf,
    relative: String,
}

impl SourcePath {
    /// A source found under `root` at `relative` (`/`-separated; any platform separator is
    /// normalised, and a name that is not UTF-8 is shown with U+FFFD in place of bad bytes).
    pub fn new(root: impl AsRef<Path>, relative: impl AsRef<Path>) -> SourcePath {
        let relative = relative.as_ref();
        let shown = match relative.to_str() {
            // The common case, as the walk gives it: already a `/`-separated UTF-8 path.
            Some(text)
                if std::path::MAIN_SEPARATOR == '/'
                    && !text.starts_with("./")
                    && !text.contains("//") =>
            {
                text.to_owned()
            }
            _ => relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        };
        SourcePath {
            absolute: root.as_ref().join(relative),
            relative: shown,
        }
    }

    /// The path to open.
    pub fn absolute(&self) -> &Path {
        &self.absolute
    }

    /// The `/`-separated path relative to the input root: the `source_path` column.
    pub fn relative(&self) -> &str {
        &self.relative
    }

    /// A 128-bit hash of the relative path: the key lede tracks a source by across runs.
    pub fn key(&self) -> u128 {
        source_key(&self.relative)
    }

    /// The file name, without directories.
    pub fn file_name(&self) -> &str {
        self.relative.rsplit('/').next().unwrap_or(&self.relative)
    }

    /// The file extension, lowercased, if any.
    pub fn extension(&self) -> Option<String> {
        let name = self.file_name();
        let (stem, ext) = name.rsplit_once('.')?;
        (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
    }
}

/// The key of the source at `relative` (see [`SourcePath::key`]).
pub fn source_key(relative: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(relative.as_bytes())
}

/// What a source looked like when it was read: enough to tell next time whether it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified_ns: i64,
    /// xxh3-64 of the content.
    pub content_hash: u64,
}

impl FileStamp {
    /// The stamp of something that could not be examined (a walk error): it never matches a
    /// real file, so the source is looked at again on every run.
    pub const UNKNOWN: FileStamp = FileStamp {
        size: u64::MAX,
        modified_ns: i64::MIN,
        content_hash: 0,
    };

    /// Whether a file with this size and modification time can be taken as unchanged without
    /// reading it.
    pub fn same_metadata(&self, size: u64, modified_ns: i64) -> bool {
        *self != FileStamp::UNKNOWN && self.size == size && self.modified_ns == modified_ns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_path_is_slash_separated_and_extension_lowercased() {
        let s = SourcePath::new("/in", Path::new("a").join("b").join("Post.MD"));
        assert_eq!(s.relative(), "a/b/Post.MD");
        assert_eq!(s.file_name(), "Post.MD");
        assert_eq!(s.extension().as_deref(), Some("md"));
        assert_eq!(s.absolute(), Path::new("/in/a/b/Post.MD"));
    }

    #[test]
    fn dotfile_has_no_extension() {
        assert_eq!(SourcePath::new("/", ".hidden").extension(), None);
    }
}
