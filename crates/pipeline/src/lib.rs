//! The run: walk → read → parse → clean → batch → write, in parallel, with bounded memory.
//!
//! `lede-pipeline` is the only crate that knows the order of the stages. One thread walks the
//! input roots into a bounded channel; a rayon pool reads, parses and cleans each file (a stage's
//! error or panic becomes a [`Reject`](lede_record::Reject)); one thread batches the results into
//! the [`DatasetWriter`](lede_write::DatasetWriter), whose commit clusters near-duplicates with
//! [`lede_dedup`] over everything the dataset holds. Channels are bounded, so memory stays flat
//! however large the tree is. Every discovered input ends as exactly one article or one reject.
//!
//! ```no_run
//! use lede_pipeline::{InputRoot, PipelineSettings, Progress, run};
//!
//! let settings = PipelineSettings::new(vec![InputRoot::all("data")], "out".into());
//! let report = run(&settings, &Progress::default()).unwrap();
//! assert_eq!(report.discovered, report.written + report.rejected + report.skipped);
//! ```
#![deny(missing_docs)]

mod archive;
mod driver;
mod files;
mod lock;
mod process;
mod progress;
mod report;
mod settings;
mod walk;

pub use archive::process_archive_bytes;
pub use driver::run;
pub use process::{
    Outcome, main_content_candidates, process_bytes, process_file, process_input_bytes,
    process_input_file,
};
pub use progress::Progress;
pub use report::RunReport;
pub use settings::{
    DEFAULT_DEDUP_THRESHOLD, DEFAULT_MAX_PRUNE_SHARE, FollowLinks, InputRoot, PipelineSettings,
};
pub use walk::{count_inputs, describe_inputs, no_input_files, source_of};

use std::path::PathBuf;

/// Why a run could not complete. Per-file problems are rejects, never this.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Another run holds the output's lock.
    #[error("another lede run is writing to {} (lock file {})", output.display(), lock.display())]
    Locked {
        /// The output directory.
        output: PathBuf,
        /// Its lock file.
        lock: PathBuf,
    },
    /// The output directory cannot be created or written.
    #[error("cannot {action} {}", path.display())]
    Output {
        /// What was being done.
        action: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Writing the dataset failed; the previous dataset is left as it was.
    #[error("writing the dataset failed; the previous dataset is left as it was")]
    Write(#[from] lede_write::WriteError),
    /// The run was asked to stop; nothing was published.
    #[error("the run was cancelled before it finished; nothing was published")]
    Cancelled,
    /// A worker thread could not be started.
    #[error("cannot start {threads} worker threads")]
    Threads {
        /// How many were asked for.
        threads: usize,
        /// Why not.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}
