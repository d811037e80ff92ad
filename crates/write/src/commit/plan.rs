//! The commit as a plan: from what a run wrote and the ledger it leaves, which part files are
//! written anew (without some rows, or with `duplicate_of` patched), which published files the
//! new tables keep and which they lose, and the journal's steps that publish it all: each table
//! that changes is staged whole (new and edited files, hard links to the kept ones) and swapped
//! in at once. Pure: it touches no file, so every case is testable here, and the journal it ends
//! in is what recovery replays.

use std::collections::{BTreeMap, HashSet};

use crate::part::splice::Patches;
use crate::part::{TABLES, placeholder_name, staged_name};
use crate::state::StateFile;
use crate::state::journal::Step;
use crate::state::ledger::{Ledger, LedgerEntry};

/// What the plan is made from.
pub(crate) struct PlanInput<'a> {
    pub(crate) run_id: &'a str,
    /// Every part file published now.
    pub(crate) published: &'a [String],
    /// Whether the run replaces the whole dataset: no published file is kept.
    pub(crate) rebuild: bool,
    /// Damaged part files to drop (their entries are gone from the ledger).
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
    /// Published: the edited copy is staged under the same name and replaces it.
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
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct CommitPlan {
    /// Done first, into staging.
    pub(crate) edits: Vec<Edit>,
    /// Files this run staged that hold no row in the end (their rows were placed again later
    /// in the run): removed from staging.
    pub(crate) emptied: Vec<String>,
    /// Published files a changed table keeps as they are: linked into its staged directory.
    pub(crate) kept: Vec<String>,
    /// Files the new tables have that the published ones do not, or have anew.
    pub(crate) arriving: Vec<String>,
    /// Published files the new tables no longer have.
    pub(crate) leaving: Vec<String>,
    /// Empty part files to write into staging (also in `arriving`): one for each table that
    /// would be left without a file.
    pub(crate) placeholders: Vec<String>,
    /// Then journaled and carried out: a swap per changed table, then the state files; the
    /// ledger last.
    pub(crate) steps: Vec<Step>,
}

/// The table (top directory) a part file is in.
pub(crate) fn table_of(file: &str) -> &str {
    file.split('/').next().unwrap_or(file)
}

impl CommitPlan {
    pub(crate) fn new(input: PlanInput<'_>) -> CommitPlan {
        let ledger = input.ledger;
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
        let mut plan = CommitPlan::default();
        let mut replaced: HashSet<&str> = HashSet::new();
        for (file, (index, drop)) in touched {
            let origin = if new_files.contains(file) {
                Origin::New
            } else {
                Origin::Published
            };
            let empty = rows_left.get(index as usize).is_none_or(|&rows| rows == 0);
            match (origin, empty) {
                (Origin::Published, true) => plan.leaving.push(file.to_owned()),
                (Origin::New, true) => plan.emptied.push(file.to_owned()),
                (origin, false) => {
                    if origin == Origin::Published {
                        replaced.insert(file);
                        plan.arriving.push(file.to_owned());
                    }
                    plan.edits.push(Edit {
                        file: file.to_owned(),
                        origin,
                        drop,
                    });
                }
            }
        }
        let emptied: HashSet<&str> = plan.emptied.iter().map(String::as_str).collect();
        plan.arriving.extend(
            input
                .new_files
                .iter()
                .filter(|f| !emptied.contains(f.as_str()))
                .cloned(),
        );
        let discard: HashSet<&str> = input.discard.iter().map(String::as_str).collect();
        for file in input.published {
            if input.rebuild || discard.contains(file.as_str()) {
                plan.leaving.push(file.clone());
            }
        }
        let changed = plan.changed_tables();
        let leaving: HashSet<&str> = plan.leaving.iter().map(String::as_str).collect();
        plan.kept = input
            .published
            .iter()
            .filter(|f| {
                changed.contains(&table_of(f))
                    && !leaving.contains(f.as_str())
                    && !replaced.contains(f.as_str())
            })
            .cloned()
            .collect();
        let holding: HashSet<&str> = ledger
            .files()
            .iter()
            .zip(&rows_left)
            .filter(|(_, rows)| **rows > 0)
            .map(|(file, _)| file.as_str())
            .collect();
        plan.keep_tables_readable(&input, &holding);
        plan.leaving.sort();
        plan.leaving.dedup();
        plan.arriving.sort();
        for table in plan.changed_tables() {
            plan.steps.push(Step::Swap {
                staged: staged_name(input.run_id, table),
                published: table.to_owned(),
            });
        }
        // The ledger last: until it is replaced, the previous run's ledger describes the files.
        for state in [StateFile::Signatures, StateFile::Ledger] {
            plan.steps.push(Step::Move {
                from: state.staged(input.run_id),
                to: state.path(),
            });
        }
        plan
    }

    /// The tables with a file arriving or leaving, in [`TABLES`] order.
    fn changed_tables(&self) -> Vec<&'static str> {
        TABLES
            .into_iter()
            .filter(|table| {
                self.arriving
                    .iter()
                    .chain(&self.leaving)
                    .any(|f| table_of(f) == *table)
            })
            .collect()
    }

    /// Keeps every table readable: a reader's `read_parquet('out/articles/**/*.parquet')`
    /// fails on a table with no file (a first run over no input, or a prune of every source),
    /// so such a table gets an empty one; and a table that changes and holds rows again loses
    /// the empty files it kept. `holding`: the files that hold rows after the commit.
    fn keep_tables_readable(&mut self, input: &PlanInput<'_>, holding: &HashSet<&str>) {
        let changed = self.changed_tables();
        for table in TABLES {
            let in_table = |f: &&String| table_of(f) == table;
            let files_after: Vec<&String> = if changed.contains(&table) {
                self.kept
                    .iter()
                    .chain(&self.arriving)
                    .filter(in_table)
                    .collect()
            } else {
                input.published.iter().filter(in_table).collect()
            };
            if files_after.is_empty() {
                let placeholder = placeholder_name(table, input.run_id);
                self.arriving.push(placeholder.clone());
                self.placeholders.push(placeholder);
            } else if changed.contains(&table)
                && files_after.iter().any(|f| holding.contains(f.as_str()))
            {
                let (empty, kept): (Vec<String>, Vec<String>) = std::mem::take(&mut self.kept)
                    .into_iter()
                    .partition(|f| table_of(f) == table && !holding.contains(f.as_str()));
                self.kept = kept;
                self.leaving.extend(empty);
            }
        }
    }

    /// The tables the plan swaps.
    pub(crate) fn swapped_tables(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|step| match step {
            Step::Swap { published, .. } => Some(published.as_str()),
            Step::Move { .. } => None,
        })
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

    fn names(files: &[&str]) -> Vec<String> {
        files.iter().map(|f| (*f).to_owned()).collect()
    }

    /// A ledger whose sources 1..=4 are in `old-a` (1, 2) and `old-b` (3, 4); the dataset also
    /// has an empty rejects file.
    fn dataset() -> (Ledger, Vec<String>) {
        let mut ledger = Ledger::default();
        let published = names(&[
            "articles/old-a.parquet",
            "articles/old-b.parquet",
            "rejects/empty.parquet",
        ]);
        ledger.merge(
            vec![
                (1, stamp(), 0),
                (2, stamp(), 0),
                (3, stamp(), 1),
                (4, stamp(), 1),
            ],
            &published[..2],
        );
        (ledger, published)
    }

    /// The plan of a run that changes no `duplicate_of` and discards no damaged file.
    fn plan_of(
        published: &[String],
        rebuild: bool,
        new_files: &[String],
        ledger: &Ledger,
        stale: &[(u128, LedgerEntry)],
    ) -> CommitPlan {
        CommitPlan::new(PlanInput {
            run_id: RUN,
            published,
            rebuild,
            discard: &[],
            new_files,
            ledger,
            stale,
            patches: &Patches::default(),
        })
    }

    fn swap(table: &str) -> Step {
        Step::Swap {
            staged: format!("_staging/r2/{table}"),
            published: table.into(),
        }
    }

    fn state_moves() -> [Step; 2] {
        [
            Step::Move {
                from: "_state/signatures.parquet.r2".into(),
                to: "_state/signatures.parquet".into(),
            },
            Step::Move {
                from: "_state/ledger.parquet.r2".into(),
                to: "_state/ledger.parquet".into(),
            },
        ]
    }

    #[test]
    fn a_replaced_row_rewrites_its_file_and_a_file_left_empty_leaves() {
        let (mut ledger, published) = dataset();
        let new = names(&["articles/new.parquet"]);
        // 1 and 3 are written again; 4's source is gone (pruned).
        let mut stale = ledger.merge(vec![(1, stamp(), 0), (3, stamp(), 0)], &new);
        stale.extend(ledger.remove_unless(|key| key != 4));
        let plan = plan_of(&published, false, &new, &ledger, &stale);
        assert_eq!(
            plan.edits,
            vec![Edit {
                file: "articles/old-a.parquet".into(),
                origin: Origin::Published,
                drop: HashSet::from([1]),
            }]
        );
        assert_eq!(
            plan.arriving,
            names(&["articles/new.parquet", "articles/old-a.parquet"])
        );
        assert_eq!(plan.leaving, names(&["articles/old-b.parquet"]));
        assert!(plan.kept.is_empty(), "{:?}", plan.kept);
        let mut expected = vec![swap("articles")];
        expected.extend(state_moves());
        assert_eq!(plan.steps, expected, "rejects did not change");
    }

    #[test]
    fn a_changed_duplicate_of_splices_published_and_new_files_and_keeps_the_rest() {
        let (mut ledger, published) = dataset();
        let new = names(&["articles/new.parquet"]);
        let stale = ledger.merge(vec![(5, stamp(), 0)], &new);
        assert!(stale.is_empty());
        // 5 arrives as the earliest copy of 2's story: both rows change.
        let patches = Patches::new(vec![(2, Some(5)), (5, None)]);
        let plan = CommitPlan::new(PlanInput {
            run_id: RUN,
            published: &published,
            rebuild: false,
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
        assert_eq!(plan.kept, names(&["articles/old-b.parquet"]));
        assert!(plan.leaving.is_empty());
    }

    #[test]
    fn a_rebuild_keeps_nothing_and_a_source_placed_twice_keeps_its_later_row() {
        let (_, published) = dataset();
        let mut ledger = Ledger::default();
        let new = names(&[
            "articles/one.parquet",
            "articles/two.parquet",
            "rejects/new.parquet",
        ]);
        // Source 7 went to `one`, then again to `two`; `one` holds nothing else.
        let stale = ledger.merge(vec![(7, stamp(), 0), (7, stamp(), 1)], &new);
        let plan = plan_of(&published, true, &new, &ledger, &stale);
        assert!(plan.edits.is_empty() && plan.kept.is_empty());
        assert_eq!(plan.emptied, names(&["articles/one.parquet"]));
        assert_eq!(
            plan.arriving,
            names(&["articles/two.parquet", "rejects/new.parquet"])
        );
        assert_eq!(plan.leaving, published);
        assert_eq!(
            plan.swapped_tables().collect::<Vec<_>>(),
            vec!["articles", "rejects"]
        );
    }

    #[test]
    fn a_damaged_file_leaves_and_its_table_is_swapped() {
        let (ledger, published) = dataset();
        let plan = CommitPlan::new(PlanInput {
            run_id: RUN,
            published: &published,
            rebuild: false,
            discard: &names(&["articles/old-b.parquet"]),
            new_files: &[],
            ledger: &ledger,
            stale: &[],
            patches: &Patches::default(),
        });
        assert_eq!(plan.leaving, names(&["articles/old-b.parquet"]));
        assert_eq!(plan.kept, names(&["articles/old-a.parquet"]));
        assert_eq!(plan.swapped_tables().collect::<Vec<_>>(), vec!["articles"]);
    }

    #[test]
    fn a_table_left_without_a_file_gets_an_empty_one_and_loses_it_when_rows_arrive() {
        let (_, published) = dataset();
        // A rebuild over no input: both tables would be left without a file.
        let plan = plan_of(&published, true, &[], &Ledger::default(), &[]);
        let placeholders = names(&[
            "articles/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/part-r2-empty.parquet",
            "rejects/part-r2-empty.parquet",
        ]);
        assert_eq!(plan.placeholders, placeholders);
        assert_eq!(plan.arriving, placeholders);
        assert_eq!(plan.leaving, published);
        assert_eq!(
            plan.swapped_tables().collect::<Vec<_>>(),
            vec!["articles", "rejects"]
        );

        // Rejects arrive: the table's empty file goes; articles did not change.
        let (mut ledger, published) = dataset();
        let new = names(&["rejects/new.parquet"]);
        let stale = ledger.merge(vec![(9, stamp(), 0)], &new);
        let plan = plan_of(&published, false, &new, &ledger, &stale);
        assert!(plan.placeholders.is_empty());
        assert_eq!(plan.arriving, new);
        assert_eq!(plan.leaving, names(&["rejects/empty.parquet"]));
        assert!(plan.kept.is_empty(), "{:?}", plan.kept);
        assert_eq!(plan.swapped_tables().collect::<Vec<_>>(), vec!["rejects"]);
    }
}
