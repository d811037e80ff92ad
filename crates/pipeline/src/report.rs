//! The run report: `OUT/_runs/RUN_ID.json`, what one run did, for people and for monitoring.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lede_record::DroppedImages;
use serde::Serialize;

use crate::PipelineError;

/// What one run did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// `YYYYMMDDTHHMMSS.ffffffZ`, the start time: sortable.
    pub run_id: String,
    /// lede's version.
    pub lede_version: String,
    /// When the run started (RFC 3339, UTC); also every row's `ingested_at`.
    pub started_at: String,
    /// Input roots.
    pub inputs: Vec<PathBuf>,
    /// Output directory.
    pub output: PathBuf,
    /// Worker threads.
    pub threads: usize,
    /// `incremental` (added to the dataset) or `rebuild` (replaced it).
    pub mode: &'static str,
    /// Why the run rebuilt: `first run`, `--full`, or what made the dataset outdated (see
    /// [`lede_write::Outdated`]).
    pub rebuild_reason: Option<String>,
    /// A crashed run whose commit this run finished first.
    pub recovered_commit: Option<String>,
    /// Inputs not walked as given: a repeat, or one inside another (each is read once).
    pub input_notes: Vec<String>,
    /// Symbolic links under the inputs that were not followed (`input.follow_symlinks`).
    pub links_not_followed: u64,
    /// What was found wrong with the dataset's state (a part file or state table missing,
    /// truncated or unreadable; an interrupted commit that could not be finished) and what
    /// this run did about it, one line each. Empty on a healthy dataset.
    pub repairs: Vec<String>,
    /// Rows lost with a damaged part file whose sources were not there to be read again:
    /// gone from the dataset for good.
    pub unrestored: u64,
    /// Inputs found.
    pub discovered: u64,
    /// Inputs written as articles.
    pub written: u64,
    /// Inputs written as rejects.
    pub rejected: u64,
    /// Inputs unchanged since the last run (not read, or read and found identical).
    pub skipped: u64,
    /// Rows written for sources that were new to the dataset.
    pub added: u64,
    /// Rows written for sources whose earlier row they replaced.
    pub replaced: u64,
    /// Rows removed because their source is gone (`--prune-deleted`).
    pub pruned: u64,
    /// Sources the dataset holds after this run.
    pub sources: u64,
    /// Articles of the dataset that are near-duplicates of another (`duplicate_of` set).
    pub duplicates: u64,
    /// Rejects per stage.
    pub rejects_by_stage: BTreeMap<String, u64>,
    /// Records of archives that are not inputs, by why: `request record`, `HTTP 404`,
    /// `not HTML`, … (not rejects: a crawl holds them by design).
    pub skipped_records: BTreeMap<String, u64>,
    /// Article warnings per kind.
    pub warnings_by_kind: BTreeMap<String, u64>,
    /// Body images kept in `images` by the articles written.
    pub images_kept: u64,
    /// Body `<img>` elements of those articles that were dropped, by reason.
    pub images_dropped: DroppedImages,
    /// Bytes of input read.
    pub bytes_read: u64,
    /// Parquet files published.
    pub files_written: u64,
    /// Bytes of Parquet published.
    pub bytes_written: u64,
    /// Part files removed (emptied by replacements, or all on a rebuild).
    pub files_removed: u64,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
    /// Of them, the commit's: near-duplicate clustering over the whole dataset, patching
    /// `duplicate_of`, rewriting files that held replaced rows, the ledger, publishing.
    pub commit_seconds: f64,
    /// CPU seconds the process used, user and system, all threads: over `wall_seconds`, how
    /// busy the cores were.
    pub cpu_seconds: f64,
    /// Peak resident memory of the process, in MB (10⁶ bytes).
    pub peak_rss_mb: f64,
    /// Inputs per second (articles and rejects).
    pub articles_per_second: f64,
    /// Input megabytes (10⁶ bytes) per second.
    pub mb_per_second: f64,
}

impl RunReport {
    /// Share of inputs rejected, 0 when there were none.
    pub fn reject_ratio(&self) -> f64 {
        if self.discovered == 0 {
            0.0
        } else {
            self.rejected as f64 / self.discovered as f64
        }
    }

    /// CPU use over the run, in percent of one core (200 is two cores busy throughout).
    pub fn cpu_percent(&self) -> f64 {
        if self.wall_seconds > 0.0 {
            100.0 * self.cpu_seconds / self.wall_seconds
        } else {
            0.0
        }
    }

    pub(crate) fn save(&self, output: &Path) -> Result<PathBuf, PipelineError> {
        let dir = output.join("_runs");
        let fail = |action, path: &Path| {
            let path = path.to_owned();
            move |source| PipelineError::Output {
                action,
                path,
                source,
            }
        };
        std::fs::create_dir_all(&dir).map_err(fail("create the run report directory", &dir))?;
        let path = dir.join(format!("{}.json", self.run_id));
        let tmp = dir.join(format!(".{}.json.tmp", self.run_id));
        let json = serde_json::to_string_pretty(self).expect("a run report always serializes");
        std::fs::write(&tmp, json + "\n").map_err(fail("write the run report", &tmp))?;
        std::fs::rename(&tmp, &path).map_err(fail("publish the run report", &path))?;
        Ok(path)
    }
}

/// CPU seconds (user + system) and peak resident bytes of this process so far.
pub(crate) fn resource_usage() -> (f64, u64) {
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `getrusage` fills the struct it is given, which lives for the call.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return (0.0, 0);
    }
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    // Linux reports the peak in KiB.
    let peak = u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024;
    (seconds(usage.ru_utime) + seconds(usage.ru_stime), peak)
}
