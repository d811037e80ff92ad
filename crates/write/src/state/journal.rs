//! The commit journal: the steps that publish a run, written down before any is taken. Each
//! table (`articles/`, `rejects/`) is published by swapping its directory for the run's staged
//! one in a single rename, so a reader sees the previous run's table or this run's, never a
//! mix; then the state files are renamed into place. A run killed while publishing is finished
//! by the next one (roll forward): every step can be taken again.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StateFile;
use crate::WriteError;
use crate::sys::{exchange, sync_dir};

/// One step of a commit; paths are relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Step {
    /// Swap the staged directory of a table for the published one (which then sits where the
    /// staged one was, to be removed with the staging).
    Swap { staged: String, published: String },
    /// Rename a staged file into place (replacing a file of the same name atomically).
    Move { from: String, to: String },
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub(crate) run_id: String,
    pub(crate) steps: Vec<Step>,
}

/// The file a table directory staged by run `run_id` holds, which tells, once published, that
/// the swap was made. Hidden: readers (DuckDB, pyarrow, Spark) skip names starting with `.`.
pub(crate) fn swap_marker(run_id: &str) -> String {
    format!(".lede-run-{run_id}")
}

impl Journal {
    /// Makes the journal durable: written beside, synced, renamed into place, directory synced.
    pub(crate) fn persist(&self, output: &Path) -> Result<(), WriteError> {
        let path = output.join(StateFile::Journal.path());
        let dir = path.parent().expect("the journal path has a directory");
        fs::create_dir_all(dir)
            .map_err(|source| WriteError::io("create the state directory", dir, source))?;
        let tmp = output.join(StateFile::Journal.staged(&self.run_id));
        let json = serde_json::to_vec_pretty(self).expect("a journal always serializes");
        let file = fs::File::create(&tmp)
            .map_err(|source| WriteError::io("write the commit journal", &tmp, source))?;
        std::io::Write::write_all(&mut &file, &json)
            .map_err(|source| WriteError::io("write the commit journal", &tmp, source))?;
        file.sync_all()
            .map_err(|source| WriteError::io("sync the commit journal", &tmp, source))?;
        fs::rename(&tmp, &path)
            .map_err(|source| WriteError::io("publish the commit journal", &path, source))?;
        sync_dir(dir)
    }

    /// Carries out every step. Idempotent: a step already done is skipped, so a journal can be
    /// applied again after a crash part-way through.
    pub(crate) fn apply(&self, output: &Path) -> Result<(), WriteError> {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Swap { staged, published } => {
                    let (staged, published) = (output.join(staged), output.join(published));
                    if published.join(swap_marker(&self.run_id)).exists() {
                        continue;
                    }
                    if !staged.exists() {
                        return Err(WriteError::JournalStepLost { path: staged });
                    }
                    exchange(&staged, &published)
                        .map_err(|source| WriteError::io("publish", &published, source))?;
                    sync_dir(output)?;
                }
                Step::Move { from, to } => {
                    let (from, to) = (output.join(from), output.join(to));
                    if from.exists() {
                        fs::rename(&from, &to)
                            .map_err(|source| WriteError::io("publish", &to, source))?;
                        sync_dir(to.parent().expect("a state file has a directory"))?;
                    } else if !to.exists() {
                        return Err(WriteError::JournalStepLost { path: from });
                    }
                }
            }
            if i == 0 {
                crate::failpoint("mid-apply");
            }
        }
        Ok(())
    }

    /// Whether `output` has a journal (a commit is being published, or was when a run died).
    pub(crate) fn exists(output: &Path) -> bool {
        output.join(StateFile::Journal.path()).exists()
    }

    pub(crate) fn remove(output: &Path) -> Result<(), WriteError> {
        let path = output.join(StateFile::Journal.path());
        fs::remove_file(&path)
            .map_err(|source| WriteError::io("remove the commit journal", &path, source))?;
        sync_dir(path.parent().expect("the journal path has a directory"))
    }

    pub(crate) fn load(output: &Path) -> Result<Option<Journal>, WriteError> {
        let path = output.join(StateFile::Journal.path());
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(WriteError::io("read the commit journal", &path, source)),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|err| WriteError::CorruptJournal {
                path,
                reason: err.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applying_twice_is_the_same_as_once() {
        let out = tempfile::tempdir().unwrap();
        let o = out.path();
        let staged_marker = format!("_staging/r/articles/{}", swap_marker("r"));
        for (path, text) in [
            ("articles/p/old.parquet", "old"),
            ("_staging/r/articles/p/new.parquet", "new"),
            (staged_marker.as_str(), ""),
            ("_state/ledger.parquet.r", "ledger"),
        ] {
            fs::create_dir_all(o.join(path).parent().unwrap()).unwrap();
            fs::write(o.join(path), text).unwrap();
        }
        let journal = Journal {
            run_id: "r".into(),
            steps: vec![
                Step::Swap {
                    staged: "_staging/r/articles".into(),
                    published: "articles".into(),
                },
                Step::Swap {
                    staged: "_staging/r/rejects".into(),
                    published: "rejects".into(),
                },
                Step::Move {
                    from: "_state/ledger.parquet.r".into(),
                    to: "_state/ledger.parquet".into(),
                },
            ],
        };
        // A table the run did not stage is lost: the journal says so.
        assert!(matches!(
            journal.apply(o),
            Err(WriteError::JournalStepLost { .. })
        ));
        fs::create_dir_all(o.join("_staging/r/rejects")).unwrap();
        fs::write(o.join("_staging/r/rejects").join(swap_marker("r")), "").unwrap();
        journal.persist(o).unwrap();
        let loaded = Journal::load(o).unwrap().unwrap();
        loaded.apply(o).unwrap();
        loaded.apply(o).unwrap();
        assert_eq!(
            fs::read_to_string(o.join("articles/p/new.parquet")).unwrap(),
            "new"
        );
        assert!(!o.join("articles/p/old.parquet").exists());
        assert!(
            o.join("_staging/r/articles/p/old.parquet").exists(),
            "swapped out"
        );
        assert_eq!(
            fs::read_to_string(o.join("_state/ledger.parquet")).unwrap(),
            "ledger"
        );
        Journal::remove(o).unwrap();
        assert!(Journal::load(o).unwrap().is_none());
    }
}
