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
        let shown = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
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
