//! The commit as a plan: from what a run wrote and the ledger it leaves, which part files are
//! written anew (without some rows, or with `duplicate_of` patched), which are deleted, and the
//! journal's steps that publish it all. Pure: it touches no file, so every case is testable
//! here, and the journal it ends in is what recovery replays.

use std::collections::{BTreeMap, HashSet};

use crate::part::splice::Patches;
use crate::part::staged_name;
use crate::state::StateFile;
use crate::state::journal::Step;
use crate::state::ledger::{Ledger, LedgerEntry};

/// What the plan is made from.
pub(crate) struct PlanInput<'a> {
    pub(crate) run_id: &'a str,
    /// Every part file published now: on a rebuild, all of them go.
    pub(crate) rebuild_over: Option<Vec<String>>,
    /// Damaged part files to delete (their entries are gone from the ledger).
    pub(crate) discard: &'a [String],
    /// The part files this run made, staged.
    pub(crate) new_files: &'a [String],
    /// The ledger after this run's rows were merged in and pruned sources removed.
    pub(crate) ledger: &'a Ledger,
    /// Entries that left the ledger: replaced by this run's rows, or of sources gone. Their
    /// files still hold their rows.
    pub(crate) stale: &'a [(u128, LedgerEntry)],
    /// `duplicate_of` values that change, by source key.
    pub(crate) patches: &'a Patches,
}

/// Where a file to edit is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Published: the edited copy is staged and replaces it at the commit.
    Published,
    /// Made by this run, still staged: edited in place before the journal.
    New,
}

/// A part file written anew.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    /// Relative to the output (and to the staging directory).
    pub(crate) file: String,
    pub(crate) origin: Origin,
    /// Sources whose rows leave the file; empty when only `duplicate_of` changes (a splice).
    pub(crate) drop: HashSet<u128>,
}

/// What a commit does.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CommitPlan {
    /// Done first, into staging.
    pub(crate) edits: Vec<Edit>,
    /// Then journaled and carried out: the last step replaces the ledger.
    pub(crate) steps: Vec<Step>,
}

impl CommitPlan {
    pub(crate) fn new(input: PlanInput<'_>) -> CommitPlan {
        let ledger = input.ledger;
        let mut steps = Vec::new();
        for file in input.rebuild_over.iter().flatten().chain(input.discard) {
            steps.push(Step::Delete { path: file.clone() });
        }
        // Each file touched, by its index in the ledger's file table, with the rows it loses.
        let mut touched: BTreeMap<&str, (u32, HashSet<u128>)> = BTreeMap::new();
        for (key, entry) in input.stale {
            touched
                .entry(ledger.file(entry))
                .or_insert_with(|| (entry.file, HashSet::new()))
                .1
                .insert(*key);
        }
        for key in input.patches.keys() {
            if let Some(entry) = ledger.get(key) {
                touched
                    .entry(ledger.file(entry))
                    .or_insert_with(|| (entry.file, HashSet::new()));
            }
        }
        let new_files: HashSet<&str> = input.new_files.iter().map(String::as_str).collect();
        let rows_left = ledger.rows_per_file();
        let mut emptied_new: HashSet<&str> = HashSet::new();
        let mut edits = Vec::new();
        for (file, (index, drop)) in touched {
            let origin = if new_files.contains(file) {
                Origin::New
            } else {
                Origin::Published
            };
            let empty = rows_left.get(index as usize).is_none_or(|&rows| rows == 0);
            match (origin, empty) {
                (Origin::Published, true) => steps.push(Step::Delete {
                    path: file.to_owned(),
                }),
                (Origin::New, true) => {
                    emptied_new.insert(file);
                }
                (Origin::Published, false) => {
                    steps.push(Step::Move {
                        from: staged_name(input.run_id, file),
                        to: file.to_owned(),
                    });
                    edits.push(Edit {
                        file: file.to_owned(),
                        origin,
                        drop,
                    });
                }
                (Origin::New, false) => edits.push(Edit {
                    file: file.to_owned(),
                    origin,
                    drop,
                }),
            }
        }
        for file in input.new_files {
            if !emptied_new.contains(file.as_str()) {
                steps.push(Step::Move {
                    from: staged_name(input.run_id, file),
                    to: file.clone(),
                });
            }
        }
        // The ledger last: until it is replaced, the previous run's ledger describes the files.
        for state in [StateFile::Signatures, StateFile::Ledger] {
            steps.push(Step::Move {
                from: state.staged(input.run_id),
                to: state.path(),
            });
        }
        CommitPlan { edits, steps }
    }

    /// Part files the plan publishes (new, rewritten or patched): staged name, published name.
    pub(crate) fn published_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.steps.iter().filter_map(|step| match step {
            Step::Move { from, to } if !StateFile::is_state_path(to) => {
                Some((from.as_str(), to.as_str()))
            }
            _ => None,
        })
    }

    /// Part files the plan deletes.
    pub(crate) fn deleted_files(&self) -> usize {
        self.steps
            .iter()
            .filter(|step| matches!(step, Step::Delete { .. }))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_record::FileStamp;

    const RUN: &str = "r2";

    fn stamp() -> FileStamp {
        FileStamp {
            size: 1,
            modified_ns: 1,
            content_hash: 1,
        }
    }

    /// A ledger whose sources 1..=4 are in `old-a` (1, 2) and `old-b` (3, 4).
    fn ledger() -> Ledger {
        let mut ledger = Ledger::default();
        let names = [
            "articles/old-a.parquet".to_owned(),
            "articles/old-b.parquet".to_owned(),
        ];
        ledger.merge(
            vec![
                (1, stamp(), 0),
                (2, stamp(), 0),
                (3, stamp(), 1),
                (4, stamp(), 1),
            ],
            &names,
        );
        ledger
    }

    fn moved(from: &str, to: &str) -> Step {
        Step::Move {
            from: from.into(),
            to: to.into(),
        }
    }

    fn state_moves() -> [Step; 2] {
        [
            moved("_state/signatures.parquet.r2", "_state/signatures.parquet"),
            moved("_state/ledger.parquet.r2", "_state/ledger.parquet"),
        ]
    }

    #[test]
    fn a_replaced_row_rewrites_its_file_and_a_file_left_empty_goes() {
        let mut ledger = ledger();
        let new = ["articles/new.parquet".to_owned()];
        // 1 and 3 are written again; 4's source is gone (pruned).
        let mut stale = ledger.merge(vec![(1, stamp(), 0), (3, stamp(), 0)], &new);
        stale.extend(ledger.remove_unless(|key| key != 4));
        let plan = CommitPlan::new(PlanInput {
            run_id: RUN,
            rebuild_over: None,
            discard: &[],
            new_files: &new,
            ledger: &ledger,
            stale: &stale,
            patches: &Patches::default(),
        });
        assert_eq!(
            plan.edits,
            vec![Edit {
                file: "articles/old-a.parquet".into(),
                origin: Origin::Published,
                drop: HashSet::from([1]),
            }]
        );
        let mut expected = vec![
            moved(
                "_staging/r2/articles/old-a.parquet",
                "articles/old-a.parquet",
            ),
            Step::Delete {
                path: "articles/old-b.parquet".into(),
            },
            moved("_staging/r2/articles/new.parquet", "articles/new.parquet"),
        ];
        expected.extend(state_moves());
        assert_eq!(plan.steps, expected);
        assert_eq!(plan.deleted_files(), 1);
        assert_eq!(
            plan.published_files().map(|(_, to)| to).collect::<Vec<_>>(),
            vec!["articles/old-a.parquet", "articles/new.parquet"]
        );
    }

    #[test]
    fn a_changed_duplicate_of_splices_published_and_new_files() {
        let mut ledger = ledger();
        let new = ["articles/new.parquet".to_owned()];
        let stale = ledger.merge(vec![(5, stamp(), 0)], &new);
        assert!(stale.is_empty());
        // 5 arrives as the earliest copy of 2's story: both rows change.
        let patches = Patches::new(vec![(2, Some(5)), (5, None)]);
        let plan = CommitPlan::new(PlanInput {
            run_id: RUN,
            rebuild_over: None,
            discard: &[],
            new_files: &new,
            ledger: &ledger,
            stale: &stale,
            patches: &patches,
        });
        let files: Vec<(&str, Origin, usize)> = plan
            .edits
            .iter()
            .map(|e| (e.file.as_str(), e.origin, e.drop.len()))
            .collect();
        assert_eq!(
            files,
            vec![
                ("articles/new.parquet", Origin::New, 0),
                ("articles/old-a.parquet", Origin::Published, 0)
            ]
        );
        assert_eq!(plan.deleted_files(), 0);
    }

    #[test]
    fn a_source_placed_twice_in_one_run_keeps_its_later_row_only() {
        let mut ledger = Ledger::default();
        let new = [
            "articles/one.parquet".to_owned(),
            "articles/two.parquet".to_owned(),
        ];
        // Source 7 went to `one`, then again to `two`; `one` holds nothing else.
        let stale = ledger.merge(vec![(7, stamp(), 0), (7, stamp(), 1)], &new);
        let plan = CommitPlan::new(PlanInput {
            run_id: RUN,
            rebuild_over: Some(vec!["articles/before.parquet".into()]),
            discard: &[],
            new_files: &new,
            ledger: &ledger,
            stale: &stale,
            patches: &Patches::default(),
        });
        assert!(plan.edits.is_empty());
        let mut expected = vec![
            Step::Delete {
                path: "articles/before.parquet".into(),
            },
            moved("_staging/r2/articles/two.parquet", "articles/two.parquet"),
        ];
        expected.extend(state_moves());
        assert_eq!(plan.steps, expected);
    }
}
