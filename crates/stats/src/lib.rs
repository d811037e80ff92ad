//! A data-quality report over a written dataset: what is in it, what is missing, what was
//! rejected, at a glance.
//!
//! `lede-stats` reads a dataset the way a consumer does (the Parquet files, never lede's state)
//! and aggregates it in one streaming pass over the columns it needs, so memory stays flat
//! however many articles there are: counts per site, author, language and month, NULL rates per
//! column (from the files' statistics), duplicates, warnings by kind, rejects by stage and
//! reason, the largest and smallest texts. [`Stats::render_text`] is for a terminal,
//! serde_json for machines, and [`Stats::render_html`] a self-contained page with charts.
//!
//! ```
//! let out = tempfile::tempdir().unwrap();
//! std::fs::create_dir(out.path().join("articles")).unwrap();
//! let stats = lede_stats::collect(out.path()).unwrap();
//! assert_eq!(stats.articles, 0);
//! assert!(stats.render_text().contains("0 articles"));
//! ```
#![deny(missing_docs)]

mod collect;
mod html;
mod text;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

/// Why the report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// The directory holds no lede dataset.
    #[error("{} is not a lede dataset (no articles/ or rejects/ directory)", path.display())]
    NotADataset {
        /// The directory given.
        path: PathBuf,
    },
    /// A part file could not be read.
    #[error("cannot read {}", path.display())]
    Parquet {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// A part file lacks a column lede writes.
    #[error("{} has no usable `{column}` column (written by another version of lede?)", path.display())]
    Column {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// A file could not be opened.
    #[error("cannot open {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// One article in a size ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextSize {
    /// Characters of `text` (`char_count`).
    pub chars: i64,
    /// The article's id.
    pub id: String,
    /// Its title, if any.
    pub title: Option<String>,
    /// Its source path.
    pub source_path: String,
}

/// The report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// The dataset directory.
    pub dataset: PathBuf,
    /// Article rows.
    pub articles: u64,
    /// Reject rows.
    pub rejects: u64,
    /// Articles per site (`site`; `(none)` for NULL), largest first.
    pub by_site: Vec<(String, u64)>,
    /// Articles per author, largest first (the first 50).
    pub by_author: Vec<(String, u64)>,
    /// Articles per language (`(none)` for NULL), largest first.
    pub by_lang: Vec<(String, u64)>,
    /// Articles per month of `published_at` (`YYYY-MM`; `undated` for NULL), in order.
    pub by_month: BTreeMap<String, u64>,
    /// Articles per month and site, for the sites of [`Stats::CHART_SITES`] largest (others
    /// under `other`).
    pub by_month_and_site: BTreeMap<String, BTreeMap<String, u64>>,
    /// Share of NULL values per nullable column, and of empty lists per list column (empty
    /// when there are no articles).
    pub null_rate: BTreeMap<String, f64>,
    /// Articles whose `duplicate_of` is set.
    pub duplicates: u64,
    /// Distinct canonical copies those point at.
    pub duplicate_clusters: u64,
    /// `duplicates / articles`.
    pub duplicate_rate: f64,
    /// Warnings per kind.
    pub warnings_by_kind: BTreeMap<String, u64>,
    /// Rejects per stage, then per reason (the error up to its first `:`).
    pub rejects_by_stage: BTreeMap<String, BTreeMap<String, u64>>,
    /// Articles per text length bucket, in order of [`Stats::LENGTH_BUCKETS`].
    pub text_length_histogram: Vec<(String, u64)>,
    /// The ten largest texts.
    pub largest: Vec<TextSize>,
    /// The ten smallest texts.
    pub smallest: Vec<TextSize>,
}

impl Stats {
    /// Sites that get a series of their own in the month chart.
    pub const CHART_SITES: usize = 8;
    /// Upper bounds (exclusive, in characters) of the text length buckets; the last is open.
    pub const LENGTH_BUCKETS: [i64; 9] =
        [1, 100, 500, 1_000, 2_000, 5_000, 10_000, 50_000, i64::MAX];
    /// Entries kept in each size ranking.
    pub const RANKED: usize = 10;
}

pub use collect::collect;
