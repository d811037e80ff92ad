//! Finishing what a crashed run left: a journaled commit is completed, staged files of runs
//! that died before their journal are removed.

use std::path::Path;

use crate::WriteError;
use crate::part::remove_staging;
use crate::state::journal::Journal;
use crate::state::remove_all_staged;

/// Finishes a commit a crashed run left half-applied (its journal exists), and clears staging
/// files of runs that died before committing. Returns the id of the run whose commit was
/// completed, if any. Call with the output lock held.
pub fn recover(output: &Path) -> Result<Option<String>, WriteError> {
    let finished = match Journal::load(output)? {
        Some(journal) => {
            journal.apply(output)?;
            Journal::remove(output)?;
            Some(journal.run_id)
        }
        None => None,
    };
    remove_staging(output);
    remove_all_staged(output);
    Ok(finished)
}
