//! Articles and rejects → a Hive-partitioned Parquet dataset.
//!
//! `lede-write` owns the schema (column names, types, the schema version in every file's
//! metadata), the `Article` → Arrow `RecordBatch` build, and the files on disk: zstd-compressed
//! part files under `articles/year=YYYY/month=M/` (articles without a date under
//! `__HIVE_DEFAULT_PARTITION__`, which readers load as NULL) and `rejects/`, written under
//! `_staging/` and published by rename so that readers never see a partial file. Arrow appears
//! in no other lede crate.
//!
//! ```
//! use lede_write::{Base, DatasetWriter, WriteSettings, article_schema};
//!
//! let out = tempfile::tempdir().unwrap();
//! let now = jiff::Timestamp::now();
//! let writer = DatasetWriter::create(out.path(), "run1", now, WriteSettings::default()).unwrap();
//! let summary = writer.commit(Base::Rebuild, "settings-v1").unwrap();
//! assert_eq!((summary.articles, summary.rejects), (0, 0));
//! assert!(out.path().join("rejects").read_dir().unwrap().next().is_some());
//! assert_eq!(article_schema().field(0).name(), "id");
//! ```
#![deny(missing_docs)]

mod batch;
mod commit;
mod cores;
mod part;
mod partition;
mod schema;
mod state;
mod sys;
mod writer;

use std::path::{Path, PathBuf};

pub use batch::{articles as article_batch, rejects as reject_batch};
pub use commit::{Base, CommitSummary, NearDuplicates, Recovery, recover};
pub use parquet::basic::ZstdLevel;
pub use part::{ARTICLES_DIR, REJECTS_DIR, part_files, schemas};
pub use partition::{NULL_PARTITION, PartitionKey};
pub use schema::{
    SCHEMA_VERSION, article_schema, columns, read_file_schema, reject_schema, schema_diff,
};
pub use state::check::Repairs;
pub use state::ledger::{Ledger, LedgerEntry, LoadedLedger, Outdated};
pub use writer::DatasetWriter;

/// Sizes and encodings of the files written.
#[derive(Debug, Clone)]
pub struct WriteSettings {
    /// A part file is closed once it reaches this many bytes (`output.max_file_mb`).
    pub max_file_bytes: u64,
    /// Rows per row group at most (`output.row_group_rows`).
    pub max_row_group_rows: usize,
    /// Row-group bytes buffered across all open files before the largest is flushed
    /// (`output.max_buffered_mb`): what bounds the writer's memory.
    pub max_buffered_bytes: usize,
    /// Partitions with an open part file at once; past it the least recently written is
    /// closed (`output.max_open_files`).
    pub max_open_files: usize,
    /// zstd level of every column.
    pub zstd_level: parquet::basic::ZstdLevel,
    /// Threads the commit's own steps (encoding the buffered part files, editing staged
    /// files, reading signatures back) spread over: the run's thread count (`run.threads`).
    pub threads: usize,
}

impl Default for WriteSettings {
    fn default() -> WriteSettings {
        WriteSettings {
            max_file_bytes: 128 * 1024 * 1024,
            max_row_group_rows: 50_000,
            max_buffered_bytes: 64 * 1024 * 1024,
            max_open_files: 256,
            zstd_level: parquet::basic::ZstdLevel::try_new(3).expect("3 is a valid zstd level"),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// Why writing failed. Every variant names the file involved.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file system operation failed.
    #[error("cannot {action} {}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The Parquet writer failed.
    #[error("cannot write Parquet file {}", path.display())]
    ParquetWrite {
        /// The file being written.
        path: PathBuf,
        /// The writer's error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A file lede wrote cannot be read back.
    #[error("cannot read {what} {}: it is corrupt or truncated; {advice}", path.display())]
    Corrupt {
        /// What the file is.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What the user can do.
        advice: &'static str,
        /// The reader's error.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A file lede wrote lacks a column lede writes in it.
    #[error("{what} {} has no usable `{column}` column: it was not written by this lede, or is damaged; rebuild with `lede run --full`", path.display())]
    MissingColumn {
        /// What the file is.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// Records did not fit the schema (a bug in lede).
    #[error("articles do not fit the dataset schema")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// The commit journal cannot be read.
    #[error("the commit journal {} cannot be read ({reason}); rebuild the dataset with `lede run --full`", path.display())]
    CorruptJournal {
        /// The journal.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// `--prune-deleted` would remove more of the dataset than allowed.
    #[error("pruning would remove {pruned} of the dataset's {held} rows ({:.1}%), over {} ({:.1}%): are the inputs all there (mounted, the right paths)? Nothing was published; if the sources really are gone, run again with --force-prune", *pruned as f64 * 100.0 / *held as f64, lede_record::keys::RUN_MAX_PRUNE_RATIO, max_share * 100.0)]
    PruneRefused {
        /// Rows the prune would remove.
        pruned: usize,
        /// Rows the dataset holds.
        held: usize,
        /// The most it may remove, as a share of `held`.
        max_share: f64,
    },
    /// A staged file named in the journal is gone and its target is missing too.
    #[error("the commit journal names {}, which is gone, so the interrupted commit cannot be finished; rebuild the dataset with `lede run --full`", path.display())]
    JournalStepLost {
        /// The staged file.
        path: PathBuf,
    },
}

/// The points of a run where a test can freeze it, in the order a run passes them: when the
/// writer gets its first result, before the commit; in the commit after the first edit of
/// a published or new part file (a rewrite or a `duplicate_of` splice), after all edits, after
/// the state tables are staged, before and after the journal is written, after its first step,
/// after all of it.
pub const FAILPOINTS: [&str; 9] = [
    "after-first-result",
    "before-commit",
    "mid-edits",
    "after-edits",
    "after-state",
    "before-journal",
    "after-journal",
    "mid-apply",
    "after-apply",
];

/// Fault injection for the crash tests: when `LEDE_FAILPOINT` names this point (one of
/// [`FAILPOINTS`]), the process stops itself here (`SIGSTOP`), the first time it passes, so
/// that the test can look at the dataset as a reader would at that moment and then kill the
/// run — or let it go on with `SIGCONT`.
#[doc(hidden)]
pub fn failpoint(name: &str) {
    static PASSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    debug_assert!(FAILPOINTS.contains(&name), "{name} is listed");
    if std::env::var_os("LEDE_FAILPOINT").is_some_and(|v| v == name)
        && !PASSED.swap(true, std::sync::atomic::Ordering::SeqCst)
    {
        // SAFETY: `raise` sends a signal to this process; SIGSTOP cannot be caught, so no
        // handler runs.
        unsafe {
            libc::raise(libc::SIGSTOP);
        }
    }
}

impl WriteError {
    fn io(action: &'static str, path: &Path, source: std::io::Error) -> WriteError {
        WriteError::Io {
            action,
            path: path.to_owned(),
            source,
        }
    }

    fn parquet_write(path: &Path, source: parquet::errors::ParquetError) -> WriteError {
        WriteError::ParquetWrite {
            path: path.to_owned(),
            source,
        }
    }

    /// A published part file that cannot be read.
    fn corrupt_part(path: &Path, source: parquet::errors::ParquetError) -> WriteError {
        WriteError::Corrupt {
            what: "part file",
            path: path.to_owned(),
            advice: "move it out of the dataset and run again: lede then reads its sources again",
            source,
        }
    }

    /// A state table that cannot be read.
    fn corrupt_state(
        file: state::StateFile,
        path: &Path,
        source: parquet::errors::ParquetError,
    ) -> WriteError {
        WriteError::Corrupt {
            what: file.what(),
            path: path.to_owned(),
            advice: "rebuild the dataset with `lede run --full`",
            source,
        }
    }

    fn missing_column(what: &'static str, path: &Path, column: &str) -> WriteError {
        WriteError::MissingColumn {
            what,
            path: path.to_owned(),
            column: column.to_owned(),
        }
    }
}
