//! Finishing what a crashed run left: a journaled commit is completed, staged files of runs
//! that died before their journal are removed.

use std::path::Path;

use crate::WriteError;
use crate::part::remove_staging;
use crate::state::journal::Journal;
use crate::state::remove_all_staged;

/// What [`recover`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// No commit was interrupted.
    Clean,
    /// The interrupted commit of this run was finished.
    Finished(String),
    /// An interrupted commit could not be finished and was given up, as asked; the dataset is
    /// between two runs until it is rebuilt. Says why.
    Discarded(String),
}

/// Finishes a commit a crashed run left half-applied (its journal exists), and clears staging
/// files of runs that died before committing. Call with the output lock held.
///
/// A journal that cannot be carried out (it is damaged, or names a staged file that is gone)
/// is an error, unless `discard_unfinishable`: a run that rebuilds the whole dataset anyway
/// (`lede run --full`) gives it up and goes on.
pub fn recover(output: &Path, discard_unfinishable: bool) -> Result<Recovery, WriteError> {
    let recovery = match Journal::load(output).and_then(|journal| {
        let Some(journal) = journal else {
            return Ok(Recovery::Clean);
        };
        journal.apply(output)?;
        Journal::remove(output)?;
        Ok(Recovery::Finished(journal.run_id))
    }) {
        Ok(recovery) => recovery,
        Err(err @ (WriteError::CorruptJournal { .. } | WriteError::JournalStepLost { .. }))
            if discard_unfinishable =>
        {
            let reason = format!("{err}");
            Journal::remove(output)?;
            Recovery::Discarded(reason)
        }
        Err(err) => return Err(err),
    };
    remove_staging(output);
    remove_all_staged(output);
    Ok(recovery)
}
