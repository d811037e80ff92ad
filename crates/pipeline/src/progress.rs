//! Live counters of a run, for a progress display; updated with relaxed atomics.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Counters the pipeline updates while it runs.
#[derive(Debug, Default)]
pub struct Progress {
    /// Inputs found so far.
    pub discovered: AtomicU64,
    /// Inputs that became articles.
    pub written: AtomicU64,
    /// Inputs that became rejects.
    pub rejected: AtomicU64,
    /// Inputs found unchanged since the last run.
    pub skipped: AtomicU64,
    /// Bytes read.
    pub bytes_read: AtomicU64,
    /// Symbolic links the walk met and did not follow (`input.follow_symlinks`).
    pub links_not_followed: AtomicU64,
    /// Set (by a signal handler, say) to ask the run to stop; nothing is published then, unless
    /// the commit had already begun, which is always finished.
    pub cancel: Arc<AtomicBool>,
}

impl Progress {
    /// Inputs finished: articles, rejects and skipped together.
    pub fn done(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
            + self.rejected.load(Ordering::Relaxed)
            + self.skipped.load(Ordering::Relaxed)
    }
}
