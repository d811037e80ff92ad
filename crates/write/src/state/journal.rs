//! The commit journal: the renames and deletions that publish a run, written down before any is
//! made. A run killed while publishing is finished by the next one (roll forward), so the
//! dataset always ends as either the previous run's or this run's, never a mix.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StateFile;
use crate::WriteError;
use crate::sys::sync_dir;

/// One step of a commit; paths are relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Step {
    /// Rename a staged file into place (replacing a file of the same name atomically).
    Move { from: String, to: String },
    /// Remove a published file.
    Delete { path: String },
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub(crate) run_id: String,
    pub(crate) steps: Vec<Step>,
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
        let mut touched: BTreeSet<PathBuf> = BTreeSet::new();
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Move { from, to } => {
                    let (from, to) = (output.join(from), output.join(to));
                    if from.exists() {
                        let parent = to.parent().expect("a published file has a directory");
                        fs::create_dir_all(parent).map_err(|source| {
                            WriteError::io("create a partition directory", parent, source)
                        })?;
                        fs::rename(&from, &to)
                            .map_err(|source| WriteError::io("publish a part file", &to, source))?;
                        touched.insert(parent.to_owned());
                    } else if !to.exists() {
                        return Err(WriteError::JournalStepLost { path: from });
                    }
                }
                Step::Delete { path } => {
                    let path = output.join(path);
                    match fs::remove_file(&path) {
                        Ok(()) => {
                            if let Some(parent) = path.parent() {
                                touched.insert(parent.to_owned());
                            }
                        }
                        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                        Err(source) => {
                            return Err(WriteError::io(
                                "remove a replaced part file",
                                &path,
                                source,
                            ));
                        }
                    }
                }
            }
            if i == 0 {
                crate::failpoint("mid-apply");
            }
        }
        for dir in &touched {
            sync_dir(dir)?;
        }
        for dir in touched.iter().rev() {
            // Partition directories left empty go; only succeeds when empty.
            let _ = fs::remove_dir(dir);
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
        fs::create_dir_all(o.join("_staging/r/articles/p")).unwrap();
        fs::create_dir_all(o.join("articles/old")).unwrap();
        fs::write(o.join("_staging/r/articles/p/new.parquet"), "new").unwrap();
        fs::write(o.join("articles/old/gone.parquet"), "old").unwrap();
        let journal = Journal {
            run_id: "r".into(),
            steps: vec![
                Step::Delete {
                    path: "articles/old/gone.parquet".into(),
                },
                Step::Move {
                    from: "_staging/r/articles/p/new.parquet".into(),
                    to: "articles/p/new.parquet".into(),
                },
            ],
        };
        journal.persist(o).unwrap();
        let loaded = Journal::load(o).unwrap().unwrap();
        loaded.apply(o).unwrap();
        loaded.apply(o).unwrap();
        assert_eq!(
            fs::read_to_string(o.join("articles/p/new.parquet")).unwrap(),
            "new"
        );
        assert!(!o.join("articles/old").exists());
        Journal::remove(o).unwrap();
        assert!(Journal::load(o).unwrap().is_none());
    }
}
