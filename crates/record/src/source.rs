//! Where an input came from: the path to open and the stable relative name the dataset shows.

use std::path::{Path, PathBuf};

/// An input file: its absolute path, and its path relative to the input root it was found under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourcePath {
    absolute: PathBuf,
    relative: String,
    /// For a record of an archive: where its identity starts in `relative`, and the extension
    /// a file of its payload would have.
    record: Option<(usize, Option<&'static str>)>,
}

impl SourcePath {
    /// A source found under `root` at `relative`, shown `/`-separated (any platform separator
    /// is normalised). A name that is not UTF-8 is shown with U+FFFD and the byte's two hex
    /// digits in place of each bad byte (`bad-\xff.md` is `bad-�FF.md`), and a U+FFFD in a
    /// valid name is doubled, so two names never show alike: the shown path is the source's
    /// identity.
    pub fn new(root: impl AsRef<Path>, relative: impl AsRef<Path>) -> SourcePath {
        SourcePath::labelled(root, None, relative)
    }

    /// A source of an input root shown as `label` (when a run has several roots, each has a
    /// label, so that the same relative path under two of them is two sources): its shown path
    /// is `label/relative`.
    pub fn labelled(
        root: impl AsRef<Path>,
        label: Option<&str>,
        relative: impl AsRef<Path>,
    ) -> SourcePath {
        let relative = relative.as_ref();
        let mut shown = String::with_capacity(relative.as_os_str().len() + 16);
        if let Some(label) = label {
            shown.push_str(label);
        }
        for component in relative.components() {
            if !matches!(component, std::path::Component::Normal(_)) {
                continue;
            }
            if !shown.is_empty() {
                shown.push('/');
            }
            show_name(component.as_os_str(), &mut shown);
        }
        SourcePath {
            absolute: root.as_ref().join(relative),
            relative: shown,
            record: None,
        }
    }

    /// The record `id` of the archive at `archive`, whose payload is what a file with
    /// `extension` holds: shown as `archive#id`, opened as the archive.
    pub fn record(archive: &SourcePath, id: &str, extension: Option<&'static str>) -> SourcePath {
        let relative = format!("{}#{id}", archive.relative);
        SourcePath {
            absolute: archive.absolute.clone(),
            record: Some((archive.relative.len() + 1, extension)),
            relative,
        }
    }

    /// For a record of an archive, the key of the archive (see [`key`](Self::key)).
    pub fn archive_key(&self) -> Option<u128> {
        let (id_at, _) = self.record?;
        Some(source_key(&self.relative[..id_at - 1]))
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

    /// The file name, without directories; a record's identity in its archive.
    pub fn file_name(&self) -> &str {
        if let Some((id_at, _)) = self.record {
            return &self.relative[id_at..];
        }
        self.relative.rsplit('/').next().unwrap_or(&self.relative)
    }

    /// How the file is compressed, as its name says (`page.html.gz`, `post.md.zst`); never
    /// for a record, whose payload the archive's reader expanded.
    pub fn compression(&self) -> Option<Compression> {
        if self.record.is_some() {
            return None;
        }
        Compression::of_name(self.file_name().as_bytes()).map(|(compression, _)| compression)
    }

    /// The extension of what the file holds, lowercased, if any: a compressed file's is that
    /// of the name without its compression suffix (`html` for `page.HTML.gz`); a record's is
    /// the one its archive gave it.
    pub fn extension(&self) -> Option<String> {
        if let Some((_, extension)) = self.record {
            return extension.map(str::to_owned);
        }
        let name = self.file_name();
        let name = match Compression::of_name(name.as_bytes()) {
            Some((_, inner)) => &name[..inner],
            None => name,
        };
        let (stem, ext) = name.rsplit_once('.')?;
        (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
    }
}

/// A compression a single input file can be in, told by the last suffix of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// `.gz`: gzip, one member or several.
    Gzip,
    /// `.zst`: Zstandard, one frame or several.
    Zstd,
}

impl Compression {
    /// The compression `name` says, and the length of the name without its suffix; `None`
    /// for a name without one (or that is nothing but the suffix, as `.gz` is).
    pub fn of_name(name: &[u8]) -> Option<(Compression, usize)> {
        let suffixed = |suffix: &[u8]| {
            let cut = name
                .len()
                .checked_sub(suffix.len())
                .filter(|&cut| cut > 0)?;
            name[cut..].eq_ignore_ascii_case(suffix).then_some(cut)
        };
        suffixed(b".gz")
            .map(|cut| (Compression::Gzip, cut))
            .or_else(|| suffixed(b".zst").map(|cut| (Compression::Zstd, cut)))
    }

    /// Its name, for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// Appends `name` to `shown` as [`SourcePath::new`] says: one-to-one, so that no two names
/// show alike.
fn show_name(name: &std::ffi::OsStr, shown: &mut String) {
    let mut bytes = name.as_encoded_bytes();
    loop {
        match std::str::from_utf8(bytes) {
            Ok(text) => return push_doubling_replacement(text, shown),
            Err(err) => {
                let (valid, rest) = bytes.split_at(err.valid_up_to());
                push_doubling_replacement(
                    std::str::from_utf8(valid).expect("valid up to here"),
                    shown,
                );
                let bad = err.error_len().unwrap_or(rest.len());
                for byte in &rest[..bad] {
                    shown.push(char::REPLACEMENT_CHARACTER);
                    shown.push_str(&format!("{byte:02X}"));
                }
                bytes = &rest[bad..];
            }
        }
    }
}

fn push_doubling_replacement(text: &str, shown: &mut String) {
    for (i, part) in text.split(char::REPLACEMENT_CHARACTER).enumerate() {
        if i > 0 {
            shown.push(char::REPLACEMENT_CHARACTER);
            shown.push(char::REPLACEMENT_CHARACTER);
        }
        shown.push_str(part);
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
    fn names_that_are_not_utf8_show_their_bytes_and_never_alike() {
        use std::os::unix::ffi::OsStrExt;
        let name = |bytes: &[u8]| {
            SourcePath::new("/in", std::ffi::OsStr::from_bytes(bytes))
                .relative()
                .to_owned()
        };
        assert_eq!(name(b"bad-\xff-name.md"), "bad-\u{fffd}FF-name.md");
        assert_ne!(name(b"a\xff.md"), name(b"a\xfe.md"));
        // A valid name that looks like the escape is still another name.
        assert_ne!(name("a\u{fffd}FF.md".as_bytes()), name(b"a\xff.md"));
        assert_eq!(name("x\u{fffd}.md".as_bytes()), "x\u{fffd}\u{fffd}.md");
        assert_eq!(name(b"ok/./plain.md"), "ok/plain.md");
    }

    #[test]
    fn a_label_prefixes_the_shown_path_but_not_the_path_opened() {
        let s = SourcePath::labelled("/mnt/b", Some("b"), "n/x.md");
        assert_eq!(s.relative(), "b/n/x.md");
        assert_eq!(s.absolute(), Path::new("/mnt/b/n/x.md"));
        assert_ne!(s.key(), SourcePath::new("/mnt/a", "n/x.md").key());
    }

    #[test]
    fn a_compressed_file_has_the_extension_of_what_it_holds() {
        let page = SourcePath::new("/in", "pages/0001.HTML.Gz");
        assert_eq!(page.compression(), Some(Compression::Gzip));
        assert_eq!(page.extension().as_deref(), Some("html"));
        let post = SourcePath::new("/in", "post.md.zst");
        assert_eq!(post.compression(), Some(Compression::Zstd));
        assert_eq!(post.extension().as_deref(), Some("md"));
        assert_eq!(SourcePath::new("/in", "dump.gz").extension(), None);
        assert_eq!(SourcePath::new("/in", ".gz").compression(), None);
        assert_eq!(SourcePath::new("/in", "a.md").compression(), None);
    }

    #[test]
    fn a_record_is_shown_after_its_archive_and_tracked_by_its_own_key() {
        let archive = SourcePath::new("/in", "crawls/2024-05.warc.gz");
        let record = SourcePath::record(&archive, "urn:uuid:1", Some("html"));
        assert_eq!(record.relative(), "crawls/2024-05.warc.gz#urn:uuid:1");
        assert_eq!(record.absolute(), archive.absolute());
        assert_eq!(record.file_name(), "urn:uuid:1");
        assert_eq!(record.extension().as_deref(), Some("html"));
        assert_eq!(record.compression(), None);
        assert_eq!(record.archive_key(), Some(archive.key()));
        assert_eq!(archive.archive_key(), None);
        assert_ne!(record.key(), archive.key());
    }

    #[test]
    fn dotfile_has_no_extension() {
        assert_eq!(SourcePath::new("/", ".hidden").extension(), None);
    }
}
