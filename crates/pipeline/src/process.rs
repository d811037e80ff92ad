//! One file through read → parse → clean, where any error or panic becomes a reject, and a file
//! the ledger already holds unchanged is not read at all.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lede_record::{Article, FileStamp, RawFile, Reject, SourcePath, Stage, keys};
use lede_write::LedgerEntry;

use rustix::fs::FileType;

use crate::{FollowLinks, PipelineSettings, files};

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// It is an article.
    Article {
        /// The clean article.
        article: Box<Article>,
        /// Its source's stamp.
        stamp: FileStamp,
    },
    /// It is not.
    Reject {
        /// Why.
        reject: Reject,
        /// Its source's stamp.
        stamp: FileStamp,
    },
    /// The dataset already holds it as it is: its row stays.
    Unchanged {
        /// The source's key.
        key: u128,
        /// Its new stamp, when its size or mtime changed but its content did not.
        restamp: Option<FileStamp>,
    },
    /// An archive was read (after the outcomes of its records): the records it holds now.
    ArchiveRead {
        /// The archive's key.
        archive: u128,
        /// The keys of its records, each written as an article or a reject.
        records: Vec<u128>,
        /// Its records that are not inputs, counted by why (`request record`, `HTTP 404`).
        skipped: BTreeMap<String, u64>,
    },
}

impl Outcome {
    /// Bytes of the source read for this outcome (0 when it was not read).
    pub fn bytes_read(&self) -> u64 {
        match self {
            Outcome::Article { stamp, .. } => stamp.size,
            Outcome::Reject { stamp, .. } if *stamp != FileStamp::UNKNOWN => stamp.size,
            Outcome::Unchanged {
                restamp: Some(stamp),
                ..
            } => stamp.size,
            _ => 0,
        }
    }
}

fn reject(source: &SourcePath, stage: Stage, error: String, stamp: FileStamp) -> Outcome {
    Outcome::Reject {
        reject: Reject {
            source_path: source.relative().to_owned(),
            stage,
            error,
        },
        stamp,
    }
}

/// Runs one stage, turning a panic into an error message so one bad file cannot end the run.
fn guarded<T>(stage: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(stage)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        format!("internal error (a bug in lede, please report it with this file): {message}")
    })
}

/// Fault injection for the tests: with `LEDE_FAILPOINT=panic-in-<stage>`, that stage panics on
/// every input whose name contains `panic`, as a bug in it would.
fn injected_panic(stage: &str, source: &SourcePath) {
    static WANTED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let wanted = WANTED.get_or_init(|| {
        std::env::var("LEDE_FAILPOINT")
            .ok()
            .and_then(|v| v.strip_prefix("panic-in-").map(str::to_owned))
    });
    if wanted.as_deref() == Some(stage) && source.file_name().contains("panic") {
        panic!("a panic injected in the {stage} stage");
    }
}

/// How the text of a whole-page file was found: what was read and the candidates, best first
/// (see [`lede_clean::main_content_candidates`]); `None` when it is not a whole page or cannot
/// be read.
pub fn main_content_candidates(
    source: &SourcePath,
    settings: &PipelineSettings,
) -> Option<lede_clean::MainContentChoice> {
    let ReadOutcome::Bytes(raw, _) = read(source, settings, None) else {
        return None;
    };
    let raw = expanded(raw, settings).ok()?;
    let doc = lede_parse::parse(&raw, &settings.parse).ok()?;
    lede_clean::main_content_candidates(&doc, &settings.clean)
}

/// Reads, parses and cleans one file; `previous` is its ledger entry from earlier runs.
pub fn process_file(
    source: SourcePath,
    settings: &PipelineSettings,
    previous: Option<&LedgerEntry>,
) -> Outcome {
    let (raw, stamp) = match read(&source, settings, previous) {
        ReadOutcome::Unchanged => {
            return Outcome::Unchanged {
                key: source.key(),
                restamp: None,
            };
        }
        ReadOutcome::Failed(unreadable) => return unreadable.into_reject(&source),
        ReadOutcome::Bytes(raw, stamp) => (raw, stamp),
    };
    if previous.is_some_and(|p| {
        p.stamp != FileStamp::UNKNOWN && p.stamp.content_hash == stamp.content_hash
    }) {
        return Outcome::Unchanged {
            key: source.key(),
            restamp: Some(stamp),
        };
    }
    process_raw(raw, stamp, settings)
}

/// Parses and cleans the bytes of one input that were read elsewhere — by a distributed
/// engine's binary-file reader, say: the same stages, and the same article or reject, as
/// [`process_file`] gives for the file. Limits hold as for a file: more than
/// `limits.max_file_mb` is a reject.
pub fn process_bytes(source: SourcePath, bytes: Vec<u8>, settings: &PipelineSettings) -> Outcome {
    let stamp = FileStamp {
        size: bytes.len() as u64,
        modified_ns: 0,
        content_hash: xxhash_rust::xxh3::xxh3_64(&bytes),
    };
    let limit = settings.max_file_bytes;
    if stamp.size > limit {
        return reject(
            &source,
            Stage::Read,
            over_the_limit(stamp.size, limit),
            stamp,
        );
    }
    process_raw(
        RawFile {
            source,
            bytes,
            fetch: None,
        },
        stamp,
        settings,
    )
}

/// Every outcome of the input `source` whose bytes were read elsewhere: the records of an
/// archive (see [`process_archive_bytes`](crate::process_archive_bytes)), else the one of the
/// file (see [`process_bytes`]).
pub fn process_input_bytes(
    source: SourcePath,
    bytes: Vec<u8>,
    settings: &PipelineSettings,
) -> Vec<Outcome> {
    match lede_archive::Archive::of_name(source.file_name()) {
        Some(archive) => crate::process_archive_bytes(&source, archive, bytes, settings),
        None => vec![process_bytes(source, bytes, settings)],
    }
}

/// Every outcome of the input file `source`, read as a first run reads it: the records of an
/// archive, else the one of the file.
pub fn process_input_file(source: SourcePath, settings: &PipelineSettings) -> Vec<Outcome> {
    let Some(archive) = lede_archive::Archive::of_name(source.file_name()) else {
        return vec![process_file(source, settings, None)];
    };
    crate::archive::collected(|send| {
        let progress = crate::Progress::default();
        crate::archive::process_archive(&source, archive, settings, None, &progress, send);
    })
}

fn over_the_limit(size: u64, limit: u64) -> String {
    format!(
        "file is {size} bytes, over the limit of {limit} ({})",
        keys::LIMITS_MAX_FILE_MB
    )
}

/// `raw` with a compressed file's bytes expanded (within `limits.max_file_mb`).
fn expanded(raw: RawFile, settings: &PipelineSettings) -> Result<RawFile, String> {
    let Some(compression) = raw.source.compression() else {
        return Ok(raw);
    };
    let bytes = lede_archive::expand(compression, &raw.bytes, settings.max_file_bytes)?;
    Ok(RawFile { bytes, ..raw })
}

/// Expand, parse and clean, each stage guarded so that an error or a panic is a reject.
pub(crate) fn process_raw(raw: RawFile, stamp: FileStamp, settings: &PipelineSettings) -> Outcome {
    let source = raw.source.clone();
    let raw = match expanded(raw, settings) {
        Ok(raw) => raw,
        Err(error) => return reject(&source, Stage::Read, error, stamp),
    };
    let doc = match guarded(|| {
        injected_panic("parse", &source);
        lede_parse::parse(&raw, &settings.parse)
    }) {
        Ok(Ok(doc)) => doc,
        Ok(Err(err)) => return reject(&source, err.stage(), err.to_string(), stamp),
        Err(panic) => return reject(&source, Stage::Parse, panic, stamp),
    };
    drop(raw);
    match guarded(|| {
        injected_panic("clean", &source);
        // The shingles are read in the clean text's one pass, when near-duplicates are looked for.
        let mut shingles = settings
            .dedup_threshold
            .map(|_| lede_dedup::Shingles::default());
        lede_clean::clean_with(&doc, &settings.clean, &mut shingles).map(|mut article| {
            article.signature = shingles.and_then(lede_dedup::Shingles::signature);
            article
        })
    }) {
        Ok(Ok(article)) => Outcome::Article {
            article: Box::new(article),
            stamp,
        },
        Ok(Err(err)) => reject(&source, Stage::Clean, err.to_string(), stamp),
        Err(panic) => reject(&source, Stage::Clean, panic, stamp),
    }
}

enum ReadOutcome {
    Unchanged,
    Bytes(RawFile, FileStamp),
    Failed(Unreadable),
}

/// A source that cannot be read: why, and its stamp.
pub(crate) struct Unreadable {
    pub(crate) error: String,
    pub(crate) stamp: FileStamp,
}

impl Unreadable {
    pub(crate) fn io(err: &std::io::Error) -> Unreadable {
        Unreadable {
            error: format!("cannot read: {err}"),
            stamp: FileStamp::UNKNOWN,
        }
    }

    fn not_regular(kind: FileType) -> Unreadable {
        Unreadable {
            error: format!(
                "not a regular file but {}: lede reads regular files only",
                files::describe(kind)
            ),
            stamp: FileStamp::UNKNOWN,
        }
    }

    pub(crate) fn into_reject(self, source: &SourcePath) -> Outcome {
        reject(source, Stage::Read, self.error, self.stamp)
    }
}

/// The size and modification time (nanoseconds since the epoch) of the regular file
/// `source`, from one `stat` (through a link at its end only if links are followed):
/// enough to tell an unchanged file without opening it.
pub(crate) fn examine(
    source: &SourcePath,
    settings: &PipelineSettings,
) -> Result<(u64, i64), Unreadable> {
    let follow = settings.follow_links != FollowLinks::Never;
    let metadata = files::stat(source.absolute(), follow).map_err(|e| Unreadable::io(&e))?;
    match FileType::from_raw_mode(metadata.st_mode) {
        FileType::RegularFile => {}
        other => return Err(Unreadable::not_regular(other)),
    }
    let size = u64::try_from(metadata.st_size).unwrap_or(0);
    // Nanoseconds since the epoch; 0 for a time before it (as the stamp has always had).
    let modified_ns = Some(metadata.st_mtime)
        .filter(|seconds| *seconds >= 0)
        .and_then(|seconds| seconds.checked_mul(1_000_000_000))
        .and_then(|ns| ns.checked_add(i64::try_from(metadata.st_mtime_nsec).ok()?))
        .unwrap_or(0);
    Ok((size, modified_ns))
}

/// Opens the file `source` for reading, refusing what is not a regular file once opened
/// (a file swapped for a FIFO after [`examine`]).
pub(crate) fn open_regular(
    source: &SourcePath,
    settings: &PipelineSettings,
) -> Result<std::fs::File, Unreadable> {
    let follow = settings.follow_links != FollowLinks::Never;
    let file =
        files::open_for_reading(source.absolute(), follow).map_err(|e| Unreadable::io(&e))?;
    match file.metadata() {
        Ok(opened) if opened.is_file() => Ok(file),
        Ok(opened) => Err(Unreadable::not_regular(FileType::from_raw_mode(
            std::os::unix::fs::MetadataExt::mode(&opened),
        ))),
        Err(err) => Err(Unreadable::io(&err)),
    }
}

/// Reads `source` (through a link at its end only if `follow`), unless it is unchanged since
/// `previous`; anything but a regular file is refused without being read.
fn read(
    source: &SourcePath,
    settings: &PipelineSettings,
    previous: Option<&LedgerEntry>,
) -> ReadOutcome {
    let limit = settings.max_file_bytes;
    // One `stat` decides an unchanged file: it is not opened at all.
    let (size, modified_ns) = match examine(source, settings) {
        Ok(examined) => examined,
        Err(unreadable) => return ReadOutcome::Failed(unreadable),
    };
    if previous.is_some_and(|p| p.stamp.same_metadata(size, modified_ns)) {
        return ReadOutcome::Unchanged;
    }
    // Without the content, the stamp of a file rejected for its size is its metadata alone:
    // it is skipped while it stays that size, and looked at again when it changes.
    let unread = FileStamp {
        size,
        modified_ns,
        content_hash: 0,
    };
    if size > limit {
        return ReadOutcome::Failed(Unreadable {
            error: over_the_limit(size, limit),
            stamp: unread,
        });
    }
    let file = match open_regular(source, settings) {
        Ok(file) => file,
        Err(unreadable) => return ReadOutcome::Failed(unreadable),
    };
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Read one byte past the limit so a file that grows while being read is still caught.
    if let Err(err) = file.take(limit + 1).read_to_end(&mut bytes) {
        return ReadOutcome::Failed(Unreadable::io(&err));
    }
    if bytes.len() as u64 > limit {
        return ReadOutcome::Failed(Unreadable {
            error: format!(
                "file grew past the limit of {limit} bytes while being read ({})",
                keys::LIMITS_MAX_FILE_MB
            ),
            stamp: FileStamp::UNKNOWN,
        });
    }
    let stamp = FileStamp {
        size,
        modified_ns,
        content_hash: xxhash_rust::xxh3::xxh3_64(&bytes),
    };
    ReadOutcome::Bytes(
        RawFile {
            source: source.clone(),
            bytes,
            fetch: None,
        },
        stamp,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InputRoot;

    #[test]
    fn a_file_gone_between_walk_and_read_is_a_read_reject() {
        let dir = tempfile::tempdir().unwrap();
        let settings =
            PipelineSettings::new(vec![InputRoot::all(dir.path())], dir.path().join("out"));
        let outcome = process_file(SourcePath::new(dir.path(), "vanished.md"), &settings, None);
        let Outcome::Reject { reject, stamp } = outcome else {
            panic!("expected a reject, got {outcome:?}")
        };
        assert_eq!((reject.stage, stamp), (Stage::Read, FileStamp::UNKNOWN));
        assert!(
            reject.error.starts_with("cannot read: No such file"),
            "{}",
            reject.error
        );
    }
}
