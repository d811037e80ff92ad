//! Carrying out a [`CommitPlan`]: the edits into staging, on every core; each changed table
//! staged whole (hard links to the files it keeps); the state tables staged; one sync; then
//! the journal, written and applied.

use std::path::Path;

use lede_record::DedupState;

use super::plan::{CommitPlan, Edit, Origin, table_of};
use crate::part::rewrite::rewrite;
use crate::part::splice::{Patches, splice_duplicate_of};
use crate::part::write_empty;
use crate::state::StateFile;
use crate::state::journal::{Journal, swap_marker};
use crate::state::ledger::Ledger;
use crate::state::signatures;
use crate::sys::sync_filesystem;
use crate::{WriteError, WriteSettings, cores, failpoint};

/// Where the commit works.
pub(crate) struct Workspace<'a> {
    pub(crate) output: &'a Path,
    pub(crate) staging: &'a Path,
    pub(crate) run_id: &'a str,
    pub(crate) settings: &'a WriteSettings,
}

impl Workspace<'_> {
    /// Writes every edit of `plan` into staging.
    pub(crate) fn edit(&self, plan: &CommitPlan, patches: &Patches) -> Result<(), WriteError> {
        cores::map(plan.edits.iter().collect(), self.settings.threads, |edit| {
            self.edit_one(edit, patches)
        })?;
        failpoint("after-edits");
        Ok(())
    }

    fn edit_one(&self, edit: &Edit, patches: &Patches) -> Result<(), WriteError> {
        let staged = self.staging.join(&edit.file);
        let (source, target) = match edit.origin {
            Origin::Published => (self.output.join(&edit.file), staged.clone()),
            Origin::New => (
                staged.clone(),
                self.staging.join(format!("{}.edited", edit.file)),
            ),
        };
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|err| WriteError::io("create a partition directory", dir, err))?;
        }
        if edit.drop.is_empty() {
            splice_duplicate_of(&source, &target, patches, self.settings)?;
        } else {
            rewrite(&source, &target, &edit.drop, patches, self.settings)?;
        }
        failpoint("mid-edits");
        if edit.origin == Origin::New {
            std::fs::rename(&target, &staged)
                .map_err(|err| WriteError::io("replace an edited part file", &staged, err))?;
        }
        Ok(())
    }

    /// Makes the staged directory of each table the plan swaps a whole table: files emptied by
    /// the run go, empty files keep a table without rows readable, the published files it
    /// keeps are linked in, and it gets its swap marker.
    pub(crate) fn stage_tables(&self, plan: &CommitPlan) -> Result<(), WriteError> {
        for file in &plan.emptied {
            let path = self.staging.join(file);
            std::fs::remove_file(&path)
                .map_err(|err| WriteError::io("remove an emptied part file", &path, err))?;
        }
        for file in &plan.placeholders {
            write_empty(&self.staging.join(file), table_of(file), self.settings)?;
        }
        for table in plan.swapped_tables() {
            let dir = self.staging.join(table);
            std::fs::create_dir_all(&dir)
                .map_err(|err| WriteError::io("create the staged table", &dir, err))?;
            let marker = dir.join(swap_marker(self.run_id));
            std::fs::write(&marker, b"")
                .map_err(|err| WriteError::io("mark the staged table", &marker, err))?;
        }
        for file in &plan.kept {
            let (published, staged) = (self.output.join(file), self.staging.join(file));
            if let Some(dir) = staged.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|err| WriteError::io("create a partition directory", dir, err))?;
            }
            // A link costs nothing; a file system without links gets a copy.
            std::fs::hard_link(&published, &staged)
                .or_else(|_| std::fs::copy(&published, &staged).map(drop))
                .map_err(|err| WriteError::io("keep a part file", &published, err))?;
        }
        Ok(())
    }

    /// Stages the new ledger and signature table, makes everything staged durable, and
    /// publishes the plan through the journal.
    pub(crate) fn publish(
        &self,
        plan: CommitPlan,
        ledger: &Ledger,
        fingerprint: &str,
        dedup: &DedupState,
    ) -> Result<(), WriteError> {
        ledger.save(
            &self.output.join(StateFile::Ledger.staged(self.run_id)),
            fingerprint,
        )?;
        signatures::save(
            dedup,
            &self.output.join(StateFile::Signatures.staged(self.run_id)),
        )?;
        failpoint("after-state");
        sync_filesystem(self.staging)?;
        failpoint("before-journal");
        let journal = Journal {
            run_id: self.run_id.to_owned(),
            steps: plan.steps,
        };
        journal.persist(self.output)?;
        failpoint("after-journal");
        journal.apply(self.output)?;
        failpoint("after-apply");
        Journal::remove(self.output)
    }
}
