//! Publishing a run. The commit merges the run's rows into the ledger, brings the
//! near-duplicate state up to date, builds a [`CommitPlan`](plan::CommitPlan) of what to edit,
//! delete and move, and carries it out through the journal; [`recover`] finishes a journaled
//! commit a crash interrupted.

mod cluster;
mod execute;
mod plan;
mod recover;

use std::collections::HashSet;
use std::path::Path;

use lede_record::DedupState;

pub use cluster::NearDuplicates;
pub use recover::{Recovery, recover};

use crate::part::{self, TABLES, part_files};
use crate::state::check::Repairs;
use crate::state::ledger::{Ledger, Placement};
use crate::state::{self, StateFile, signatures};
use crate::{WriteError, WriteSettings};
use execute::Workspace;
use plan::{CommitPlan, PlanInput};

/// What a commit published.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommitSummary {
    /// Article rows written.
    pub articles: u64,
    /// Reject rows written.
    pub rejects: u64,
    /// Of the rows written, those that replaced the row of an earlier version of their source.
    pub replaced: u64,
    /// Rows removed because their source was deleted (with pruning on).
    pub pruned: u64,
    /// Part files published: new ones and rewritten ones.
    pub files: u64,
    /// Bytes of those files.
    pub bytes: u64,
    /// Part files removed (emptied by replacements, or all of them on a full rebuild).
    pub removed_files: u64,
    /// Sources the dataset holds after the commit.
    pub sources: u64,
    /// Articles of the dataset that are near-duplicates of another (`duplicate_of` set).
    pub duplicates: u64,
    /// What was wrong with the dataset's state and what the commit did about it, one line
    /// each (see [`Repairs`]).
    pub repairs: Vec<String>,
    /// Rows lost with a damaged part file whose sources were not there to be read again.
    pub unrestored: u64,
}

/// How to commit.
#[derive(Debug)]
pub enum Base {
    /// Replace the whole dataset (first run, `--full`, or an outdated ledger).
    Rebuild,
    /// Add to the dataset described by this ledger.
    Incremental(Ledger),
}

/// Everything a run hands to its commit.
pub(crate) struct RunResult<'a> {
    pub(crate) output: &'a Path,
    pub(crate) staging: &'a Path,
    pub(crate) run_id: &'a str,
    pub(crate) settings: &'a WriteSettings,
    /// The run's part files, all closed.
    pub(crate) new_files: &'a [String],
    /// Where each source written went, indexing `new_files`.
    pub(crate) placements: Vec<Placement>,
    /// New stamps of sources touched but unchanged.
    pub(crate) restamps: Vec<(u128, lede_record::FileStamp)>,
    /// The archives read, each with the keys of the records it held.
    pub(crate) archives: Vec<(u128, Vec<u128>)>,
    /// With pruning on: every source seen (written or unchanged).
    pub(crate) seen: Option<HashSet<u128>>,
    /// Signatures of the articles written.
    pub(crate) fresh: DedupState,
    pub(crate) near_duplicates: Option<&'a dyn NearDuplicates>,
    /// With pruning on: the share of the dataset's rows a prune may remove at most (`None`:
    /// any share).
    pub(crate) max_prune_share: Option<f64>,
}

/// Whether a run changed nothing, so the commit has nothing to do.
pub(crate) fn changes_nothing(
    output: &Path,
    base: &Base,
    placements: &[Placement],
    more_to_do: bool,
) -> bool {
    matches!(base, Base::Incremental(ledger) if ledger.repairs().is_empty())
        && placements.is_empty()
        && !more_to_do
        && every_table_has_a_file(output)
}

/// Whether each table has a part file: one without is made readable by the next commit (see
/// [`CommitPlan`](plan::CommitPlan)), so a run that changes nothing else still commits.
fn every_table_has_a_file(output: &Path) -> bool {
    TABLES
        .iter()
        .all(|table| !part_files(&output.join(table)).is_empty())
}

/// Cleans up after a commit of run `run_id` failed. Before the journal exists nothing is
/// published: the run's staged files go. After, they are what the next run rolls forward
/// with, so they stay.
pub(crate) fn clean_up_failed(output: &Path, run_id: &str) {
    if !state::journal::Journal::exists(output) {
        state::remove_staged(output, run_id);
        part::remove_staging(output);
    }
}

/// Publishes a run (see [`DatasetWriter::commit`](crate::DatasetWriter::commit)). The run's
/// tables are moved out of `run`, not copied: at a million sources they are a large part of
/// the peak.
pub(crate) fn commit(
    mut run: RunResult<'_>,
    base: Base,
    fingerprint: &str,
    summary: &mut CommitSummary,
) -> Result<(), WriteError> {
    let (mut ledger, rebuild) = match base {
        Base::Rebuild => (Ledger::default(), true),
        Base::Incremental(ledger) => (ledger, false),
    };
    let repairs = ledger.take_repairs();
    let held = ledger.len();
    // Read only at the commit: a run that changes nothing never needs the signatures.
    let mut dedup = if rebuild {
        DedupState::default()
    } else {
        near_duplicate_state(&run, &ledger, &repairs, summary)?
    };

    let run = &mut run;
    let mut seen = run.seen.take();
    if let Some(seen) = seen.as_mut() {
        seen.extend(run.placements.iter().map(|(key, _, _)| *key));
    }
    let mut stale = ledger.merge(std::mem::take(&mut run.placements), run.new_files);
    summary.replaced += stale.len() as u64;
    for (key, stamp) in std::mem::take(&mut run.restamps) {
        ledger.restamp(key, stamp);
    }
    // Records an archive read again no longer holds are gone, pruning or not: the archive is
    // the unit of change.
    let dropped = ledger.adopt(std::mem::take(&mut run.archives));
    summary.pruned += dropped.len() as u64;
    stale.extend(dropped);
    if let Some(seen) = seen {
        let gone = ledger.remove_unless(|key| seen.contains(&key));
        if let Some(max_share) = run.max_prune_share
            && gone.len() as f64 > max_share * held as f64
        {
            return Err(WriteError::PruneRefused {
                pruned: gone.len(),
                held,
                max_share,
            });
        }
        summary.pruned += gone.len() as u64;
        stale.extend(gone);
    }
    summary.unrestored = repairs
        .forget
        .iter()
        .filter(|key| ledger.get(**key).is_none())
        .count() as u64;
    stale.extend(repairs.surplus);

    let mut removed: HashSet<u128> = stale.iter().map(|(key, _)| *key).collect();
    removed.extend(repairs.forget);
    let patches = cluster::recluster(
        &mut dedup,
        &removed,
        std::mem::take(&mut run.fresh),
        run.near_duplicates,
    );
    summary.duplicates = cluster::duplicates(&dedup);

    let published = part::published_part_files(run.output);
    let plan = CommitPlan::new(PlanInput {
        run_id: run.run_id,
        published: &published,
        rebuild,
        discard: &repairs.discard,
        new_files: run.new_files,
        ledger: &ledger,
        stale: &stale,
        patches: &patches,
    });
    let workspace = Workspace {
        output: run.output,
        staging: run.staging,
        run_id: run.run_id,
        settings: run.settings,
    };
    workspace.edit(&plan, &patches)?;
    workspace.stage_tables(&plan)?;
    summary.removed_files = plan.leaving.len() as u64;
    summary.files = plan.arriving.len() as u64;
    for file in &plan.arriving {
        let staged = run.staging.join(file);
        let bytes = std::fs::metadata(&staged)
            .map_err(|err| WriteError::io("look at the staged file", &staged, err))?
            .len();
        ledger.set_file_bytes(file, bytes);
        summary.bytes += bytes;
    }
    summary.sources = ledger.len() as u64;
    summary.repairs.extend(repairs.notes);
    workspace.publish(plan, &ledger, fingerprint, &dedup)?;
    part::remove_staging(run.output);
    Ok(())
}

/// The near-duplicate state of the dataset `ledger` describes: the signature table, or, when
/// loading found it lost or it cannot be read now, the state rebuilt from the rows.
fn near_duplicate_state(
    run: &RunResult<'_>,
    ledger: &Ledger,
    repairs: &Repairs,
    summary: &mut CommitSummary,
) -> Result<DedupState, WriteError> {
    if !repairs.rebuild_signatures {
        match signatures::load(run.output) {
            Ok(Some(state)) => return Ok(state),
            Ok(None) => summary.repairs.push(format!(
                "{} is missing; it is rebuilt from the part files",
                StateFile::Signatures.what()
            )),
            Err(err @ (WriteError::Corrupt { .. } | WriteError::MissingColumn { .. })) => {
                summary
                    .repairs
                    .push(format!("{err}; it is rebuilt from the part files instead"));
            }
            Err(err) => return Err(err),
        }
    }
    let rows = ledger.rows_per_file();
    let files: Vec<&str> = ledger
        .files()
        .iter()
        .zip(rows)
        .filter(|(name, rows)| *rows > 0 && !repairs.discard.contains(name))
        .map(|(name, _)| name.as_str())
        .collect();
    cluster::rebuild(
        run.output,
        &files,
        run.near_duplicates,
        run.settings.threads,
    )
}
