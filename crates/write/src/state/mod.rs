//! Everything under `_state/`: the ledger (what the dataset holds, per source), the signature
//! table (near-duplicate state) and the commit journal. This module is the only one that names
//! these files, and the only one that knows how a run stages a new version of one beside it —
//! the commit and the recovery of a crashed commit both go through [`StateFile::staged`].

pub(crate) mod check;
pub(crate) mod journal;
pub(crate) mod ledger;
pub(crate) mod signatures;
pub(crate) mod table;

use std::fs;
use std::path::Path;

/// The directory of the state files, relative to the output.
const STATE_DIR: &str = "_state";

/// A file under `_state/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StateFile {
    /// `ledger.parquet`: one row per source.
    Ledger,
    /// `signatures.parquet`: one row per article with a signature.
    Signatures,
    /// `journal.json`: the steps of a commit being published.
    Journal,
}

impl StateFile {
    const ALL: [StateFile; 3] = [StateFile::Ledger, StateFile::Signatures, StateFile::Journal];

    fn file_name(self) -> &'static str {
        match self {
            StateFile::Ledger => "ledger.parquet",
            StateFile::Signatures => "signatures.parquet",
            StateFile::Journal => "journal.json",
        }
    }

    /// Its path relative to the output directory.
    pub(crate) fn path(self) -> String {
        format!("{STATE_DIR}/{}", self.file_name())
    }

    /// What it is called in messages.
    pub(crate) fn what(self) -> &'static str {
        match self {
            StateFile::Ledger => "the ledger",
            StateFile::Signatures => "the signature table",
            StateFile::Journal => "the commit journal",
        }
    }

    /// The path (relative to the output) run `run_id` writes its new version to before the
    /// commit renames it into place.
    pub(crate) fn staged(self, run_id: &str) -> String {
        format!("{}.{run_id}", self.path())
    }

    /// Which state file `name` (a file name in `_state/`) is a staged version of, if any.
    fn staged_of(name: &str) -> Option<StateFile> {
        StateFile::ALL.into_iter().find(|file| {
            name.strip_prefix(file.file_name())
                .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.'))
        })
    }
}

/// Removes the state files run `run_id` staged (its commit failed before it was journaled).
pub(crate) fn remove_staged(output: &Path, run_id: &str) {
    for file in StateFile::ALL {
        let _ = fs::remove_file(output.join(file.staged(run_id)));
    }
}

/// Removes staged state files of every run: what a crash before a commit's journal leaves.
pub(crate) fn remove_all_staged(output: &Path) {
    let Ok(entries) = fs::read_dir(output.join(STATE_DIR)) else {
        return;
    };
    for entry in entries.flatten() {
        if StateFile::staged_of(&entry.file_name().to_string_lossy()).is_some() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_names_are_recognised_and_published_ones_are_not() {
        for file in StateFile::ALL {
            let staged = file.staged("20260101T000000.000000Z");
            let name = staged.rsplit('/').next().unwrap();
            assert_eq!(StateFile::staged_of(name), Some(file), "{staged}");
            let published = file.path();
            assert_eq!(
                StateFile::staged_of(published.rsplit('/').next().unwrap()),
                None
            );
        }
        // What an earlier lede left: the journal's temporary name.
        assert_eq!(
            StateFile::staged_of("journal.json.tmp"),
            Some(StateFile::Journal)
        );
        assert_eq!(StateFile::staged_of("ledger.parquet."), None);
    }

    #[test]
    fn recovery_clears_every_staged_state_file() {
        let out = tempfile::tempdir().unwrap();
        fs::create_dir_all(out.path().join(STATE_DIR)).unwrap();
        for file in StateFile::ALL {
            fs::write(out.path().join(file.path()), "kept").unwrap();
            fs::write(out.path().join(file.staged("r1")), "staged").unwrap();
        }
        remove_all_staged(out.path());
        let left: Vec<String> = fs::read_dir(out.path().join(STATE_DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left.len(), 3, "{left:?}");
        assert!(left.iter().all(|name| StateFile::staged_of(name).is_none()));
    }
}
