//! The ledger: what the dataset holds, per source. One entry per input ever ingested (article or
//! reject): its stamp (size, mtime, content hash) and the part file holding its row. It makes
//! runs incremental (an unchanged source is skipped without being read) and lets a changed or
//! deleted source's old row be removed, so no `id` is ever in the dataset twice.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Int64Array, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use lede_record::FileStamp;
use parquet::file::metadata::KeyValue;

use super::StateFile;
use super::check::{self, Repairs};
use super::table::{self, TableReader};
use crate::WriteError;
use crate::part::{LEDE_VERSION, PartReader, published_part_files};
use crate::schema::SCHEMA_VERSION;

const FINGERPRINT_KEY: &str = "lede.settings_fingerprint";

/// One source's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerEntry {
    /// How the source looked when its row was written (for a record of an archive: how the
    /// archive looked).
    pub stamp: FileStamp,
    /// Index into the ledger's file table.
    pub(crate) file: u32,
    /// For a record of an archive, index into the ledger's archive table; else [`NO_ARCHIVE`].
    /// (It fits beside `file` in the padding of the stamp: entries stay 48 bytes.)
    pub(crate) archive: u32,
}

/// [`LedgerEntry::archive`] of a source that is a file of its own.
const NO_ARCHIVE: u32 = u32::MAX;

/// A source written this run: its key, stamp, and the index of its part file among the run's
/// file names.
pub(crate) type Placement = (u128, FileStamp, u32);

/// The sources a dataset holds.
#[derive(Debug, Default)]
pub struct Ledger {
    /// One entry per source, sorted by key. Keys are uniform hashes, so a binary search finds
    /// one in a few cache misses, and a sorted vector takes half the memory of a hash map (no
    /// empty buckets): 48 bytes a source, which is what a million-source dataset is made of.
    entries: Vec<(u128, LedgerEntry)>,
    files: Vec<String>,
    /// The size of each file of `files` when it was published, where known: a file of another
    /// size was changed or truncated behind lede's back.
    file_bytes: Vec<Option<u64>>,
    file_index: HashMap<String, u32>,
    /// The archives whose records are sources (boxed: most datasets have none).
    archives: Box<Archives>,
    /// What loading found wrong with the dataset's state, for this run to repair (boxed: it is
    /// almost always empty).
    repairs: Box<Repairs>,
}

/// The archives of a ledger.
#[derive(Debug, Default)]
struct Archives {
    /// Their keys, indexed by [`LedgerEntry::archive`].
    keys: Vec<u128>,
    index: HashMap<u128, u32>,
    /// The records of each, by its key: what an unchanged archive keeps. Built when the
    /// ledger is loaded.
    records: HashMap<u128, Vec<u128>>,
}

/// What was found on disk.
#[derive(Debug)]
pub enum LoadedLedger {
    /// There was none: a first run.
    Missing,
    /// It was written with other settings, another lede version or another schema, so every
    /// source is read again (the cleaned rows could differ).
    Outdated(Outdated),
    /// It can be used.
    Current(Ledger),
}

/// What made a dataset's ledger outdated: the run report's `rebuild_reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outdated {
    /// Its part files have another schema version.
    Schema {
        /// The version they name, if any.
        found: Option<String>,
    },
    /// Another version of lede wrote it.
    Version {
        /// That version.
        found: String,
    },
    /// The settings that shape rows changed (see the pipeline's fingerprint).
    Settings,
}

impl Outdated {
    /// Why the ledger of the dataset in `output`, written with another fingerprint, is
    /// outdated, as far as its first part file tells.
    fn of(output: &Path) -> Outdated {
        let reader = published_part_files(output)
            .first()
            .and_then(|file| PartReader::open(&output.join(file)).ok());
        let Some(reader) = reader else {
            return Outdated::Settings;
        };
        if reader.schema_version() != Some(SCHEMA_VERSION) {
            Outdated::Schema {
                found: reader.schema_version().map(str::to_owned),
            }
        } else {
            match reader.lede_version() {
                Some(found) if found != LEDE_VERSION => Outdated::Version {
                    found: found.to_owned(),
                },
                _ => Outdated::Settings,
            }
        }
    }
}

impl fmt::Display for Outdated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outdated::Schema { found } => write!(
                f,
                "the dataset has schema version {}; this lede writes version {SCHEMA_VERSION}",
                found.as_deref().unwrap_or("(none)")
            ),
            Outdated::Version { found } => write!(
                f,
                "lede {found} wrote the dataset; this is lede {LEDE_VERSION}"
            ),
            Outdated::Settings => f.write_str("settings that shape rows changed"),
        }
    }
}

impl Ledger {
    /// The entry of the source with `key`, if it is in the dataset.
    pub fn get(&self, key: u128) -> Option<&LedgerEntry> {
        self.position(key).ok().map(|i| &self.entries[i].1)
    }

    /// The keys of the records of the archive with `key` that the dataset holds.
    pub fn records_of(&self, key: u128) -> &[u128] {
        self.archives.records.get(&key).map_or(&[], Vec::as_slice)
    }

    fn position(&self, key: u128) -> Result<usize, usize> {
        self.entries.binary_search_by_key(&key, |(k, _)| *k)
    }

    /// Sources in the dataset.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the dataset holds no source.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The part file (relative to the output) of an entry.
    pub(crate) fn file(&self, entry: &LedgerEntry) -> &str {
        &self.files[entry.file as usize]
    }

    /// The file table: every part file an entry may name, by index.
    pub(crate) fn files(&self) -> &[String] {
        &self.files
    }

    /// The size `file` (an index into [`files`](Self::files)) had when it was published.
    pub(crate) fn file_bytes(&self, file: u32) -> Option<u64> {
        self.file_bytes[file as usize]
    }

    /// Records the size `name` is published with.
    pub(crate) fn set_file_bytes(&mut self, name: &str, bytes: u64) {
        let index = self.intern(name);
        self.file_bytes[index as usize] = Some(bytes);
    }

    /// What loading found wrong, and what this run does about it (see [`Repairs`]).
    pub fn repairs(&self) -> &Repairs {
        &self.repairs
    }

    /// Takes the repairs out, for the commit to carry out.
    pub(crate) fn take_repairs(&mut self) -> Repairs {
        *std::mem::take(&mut self.repairs)
    }

    pub(crate) fn repairs_mut(&mut self) -> &mut Repairs {
        &mut self.repairs
    }

    /// Removes the entries of the sources in the files `lost` (indices into the file table):
    /// their rows are gone, so their sources are read again as new. Returns their keys.
    pub(crate) fn forget_files(&mut self, lost: &std::collections::HashSet<u32>) -> Vec<u128> {
        let mut forgotten = Vec::new();
        self.entries.retain(|(key, entry)| {
            let keep = !lost.contains(&entry.file);
            if !keep {
                forgotten.push(*key);
            }
            keep
        });
        forgotten
    }

    /// Adds an entry of a source found in `file` (a reconstruction); call [`sort`](Self::sort)
    /// after the last.
    pub(crate) fn push(&mut self, key: u128, stamp: FileStamp, file: &str) {
        let file = self.intern(file);
        self.entries.push((
            key,
            LedgerEntry {
                stamp,
                file,
                archive: NO_ARCHIVE,
            },
        ));
    }

    /// Sorts the entries pushed by key; of a key pushed twice the first stays, and the others
    /// are returned (their rows are surplus).
    pub(crate) fn sort(&mut self) -> Vec<(u128, LedgerEntry)> {
        self.entries.sort_by_key(|(key, _)| *key);
        let mut surplus = Vec::new();
        self.entries.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                surplus.push(*later);
            }
            same
        });
        surplus
    }

    /// How many sources each file of the file table holds, by its index.
    pub(crate) fn rows_per_file(&self) -> Vec<u32> {
        let mut rows = vec![0; self.files.len()];
        for (_, entry) in &self.entries {
            rows[entry.file as usize] += 1;
        }
        rows
    }

    /// Takes in a run's placements (`names` are the run's file names they index), in the order
    /// they were written; returns the entries they replace. A key placed twice in one run (the
    /// same relative path under two inputs) ends with its later placement, the earlier one
    /// among the replaced.
    pub(crate) fn merge(
        &mut self,
        mut placements: Vec<Placement>,
        names: &[String],
    ) -> Vec<(u128, LedgerEntry)> {
        let files: Vec<u32> = names.iter().map(|name| self.intern(name)).collect();
        // Stable: the placements of one key stay in the order they were written.
        placements.sort_by_key(|(key, _, _)| *key);
        let mut replaced = Vec::new();
        // Same size and alignment as a placement, so this reuses the placements' memory.
        let mut placed: Vec<(u128, LedgerEntry)> = placements
            .into_iter()
            .map(|(key, stamp, file)| {
                let file = files[file as usize];
                let entry = LedgerEntry {
                    stamp,
                    file,
                    archive: NO_ARCHIVE,
                };
                (key, entry)
            })
            .collect();
        placed.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                replaced.push(*earlier);
                *earlier = *later;
            }
            same
        });
        if self.entries.is_empty() {
            self.entries = placed;
            return replaced;
        }
        let old = std::mem::take(&mut self.entries);
        let mut merged = Vec::with_capacity(old.len() + placed.len());
        let mut old = old.into_iter().peekable();
        for new in placed {
            while let Some(before) = old.next_if(|(key, _)| *key < new.0) {
                merged.push(before);
            }
            if let Some(before) = old.next_if(|(key, _)| *key == new.0) {
                replaced.push(before);
            }
            merged.push(new);
        }
        merged.extend(old);
        self.entries = merged;
        replaced
    }

    /// Takes in the archives read this run, each with the keys of the records it held (merged
    /// in before): they are its records now. Returns the entries removed: records an archive
    /// held before and no longer does, and an archive's own reject from a run that could not
    /// read it.
    pub(crate) fn adopt(&mut self, read: Vec<(u128, Vec<u128>)>) -> Vec<(u128, LedgerEntry)> {
        if read.is_empty() {
            return Vec::new();
        }
        let mut archive_of: HashMap<u128, u32> = HashMap::new();
        let mut reread = std::collections::HashSet::new();
        let mut archives = std::collections::HashSet::new();
        for (archive, records) in read {
            let index = self.intern_archive(archive);
            reread.insert(index);
            archives.insert(archive);
            archive_of.extend(records.into_iter().map(|record| (record, index)));
        }
        let mut gone = Vec::new();
        self.entries.retain_mut(|(key, entry)| {
            if let Some(&archive) = archive_of.get(key) {
                entry.archive = archive;
                true
            } else if reread.contains(&entry.archive) || archives.contains(key) {
                // A record it no longer holds, or the reject of the archive as a whole from a
                // run that could not open it.
                gone.push((*key, *entry));
                false
            } else {
                true
            }
        });
        gone
    }

    fn intern_archive(&mut self, key: u128) -> u32 {
        let archives = &mut self.archives;
        if let Some(&index) = archives.index.get(&key) {
            return index;
        }
        let index = u32::try_from(archives.keys.len()).expect("fewer than 4 billion archives");
        archives.keys.push(key);
        archives.index.insert(key, index);
        index
    }

    /// Indexes the records of each archive (see [`records_of`](Self::records_of)).
    fn index_records(&mut self) {
        let archives = &mut self.archives;
        archives.records.clear();
        for (key, entry) in &self.entries {
            if entry.archive != NO_ARCHIVE {
                archives
                    .records
                    .entry(archives.keys[entry.archive as usize])
                    .or_default()
                    .push(*key);
            }
        }
    }

    /// Gives `key` a new stamp, keeping its file (a touched but unchanged source).
    pub(crate) fn restamp(&mut self, key: u128, stamp: FileStamp) {
        if let Ok(i) = self.position(key) {
            self.entries[i].1.stamp = stamp;
        }
    }

    /// Removes the entries whose key `keep` rejects, returning them.
    pub(crate) fn remove_unless(
        &mut self,
        keep: impl Fn(u128) -> bool,
    ) -> Vec<(u128, LedgerEntry)> {
        let mut removed = Vec::new();
        self.entries.retain(|&(key, entry)| {
            keep(key) || {
                removed.push((key, entry));
                false
            }
        });
        removed
    }

    fn intern(&mut self, file: &str) -> u32 {
        if let Some(&index) = self.file_index.get(file) {
            return index;
        }
        let index = u32::try_from(self.files.len()).expect("fewer than 4 billion part files");
        self.files.push(file.to_owned());
        self.file_bytes.push(None);
        self.file_index.insert(file.to_owned(), index);
        index
    }

    /// Reads the ledger of `output`; `fingerprint` names the settings and version that shape rows.
    /// What the dataset relies on is checked on the way (see [`Repairs`]): a ledger that cannot
    /// be read, or is missing beside part files, is rebuilt from them; part files missing or
    /// not of the size they were published with are dropped, their sources read again; a
    /// missing or unreadable signature table is rebuilt at the commit.
    pub fn load(output: &Path, fingerprint: &str) -> Result<LoadedLedger, WriteError> {
        let mut ledger = match Ledger::read(output, fingerprint) {
            Ok(Some(LoadedLedger::Current(ledger))) => ledger,
            Ok(Some(other)) => return Ok(other),
            Ok(None) => match check::reconstruct(output, "the ledger is missing".to_owned())? {
                Some(LoadedLedger::Current(ledger)) => ledger,
                Some(other) => return Ok(other),
                None => return Ok(LoadedLedger::Missing),
            },
            Err(err @ (WriteError::Corrupt { .. } | WriteError::MissingColumn { .. })) => {
                let why = format!("the ledger cannot be read ({err})");
                match check::reconstruct(output, why)? {
                    Some(LoadedLedger::Current(ledger)) => ledger,
                    Some(other) => return Ok(other),
                    None => return Ok(LoadedLedger::Missing),
                }
            }
            Err(err) => return Err(err),
        };
        check::verify(output, &mut ledger)?;
        Ok(LoadedLedger::Current(ledger))
    }

    /// The ledger as stored; `None` when there is none.
    fn read(output: &Path, fingerprint: &str) -> Result<Option<LoadedLedger>, WriteError> {
        let Some(table) = TableReader::open(output, StateFile::Ledger)? else {
            return Ok(None);
        };
        if table.metadata_value(FINGERPRINT_KEY) != Some(fingerprint) {
            return Ok(Some(LoadedLedger::Outdated(Outdated::of(output))));
        }
        let mut ledger = Ledger::default();
        ledger.entries.reserve_exact(table.rows());
        table.for_each_batch(|batch| {
            let keys = batch.keys()?;
            let size = batch.get::<UInt64Array>("size")?;
            let hash = batch.get::<UInt64Array>("content_hash")?;
            let modified = batch.get::<Int64Array>("modified_ns")?;
            let files = batch.get::<StringArray>("file")?;
            let file_bytes = batch.get::<UInt64Array>("file_bytes")?;
            let archive_hi = batch.get::<UInt64Array>("archive_hi")?;
            let archive_lo = batch.get::<UInt64Array>("archive_lo")?;
            for (row, key) in keys.into_iter().enumerate() {
                let archive = if archive_hi.is_valid(row) && archive_lo.is_valid(row) {
                    ledger.intern_archive(
                        (u128::from(archive_hi.value(row)) << 64)
                            | u128::from(archive_lo.value(row)),
                    )
                } else {
                    NO_ARCHIVE
                };
                let file = ledger.intern(files.value(row));
                if file_bytes.is_valid(row) {
                    ledger.file_bytes[file as usize] = Some(file_bytes.value(row));
                }
                let stamp = FileStamp {
                    size: size.value(row),
                    modified_ns: modified.value(row),
                    content_hash: hash.value(row),
                };
                let entry = LedgerEntry {
                    stamp,
                    file,
                    archive,
                };
                ledger.entries.push((key, entry));
            }
            Ok(())
        })?;
        // Saved in key order; a ledger of an earlier version was not.
        ledger.entries.sort_unstable_by_key(|(key, _)| *key);
        ledger.index_records();
        Ok(Some(LoadedLedger::Current(ledger)))
    }

    /// Writes the ledger to `path` (a staged name; the commit renames it into place).
    pub(crate) fn save(&self, path: &Path, fingerprint: &str) -> Result<(), WriteError> {
        let [key_hi, key_lo] = table::key_fields();
        let schema = Arc::new(Schema::new(vec![
            key_hi,
            key_lo,
            Field::new("size", DataType::UInt64, false),
            Field::new("modified_ns", DataType::Int64, false),
            Field::new("content_hash", DataType::UInt64, false),
            Field::new("file", DataType::Utf8, false),
            Field::new("file_bytes", DataType::UInt64, true),
            Field::new("archive_hi", DataType::UInt64, true),
            Field::new("archive_lo", DataType::UInt64, true),
        ]));
        let metadata = vec![KeyValue::new(
            FINGERPRINT_KEY.to_owned(),
            fingerprint.to_owned(),
        )];
        table::save(path, schema, Some(metadata), self.entries.len(), |range| {
            let chunk = &self.entries[range];
            let [hi, lo] = table::key_columns(chunk.iter().map(|(key, _)| *key));
            let stamps = || chunk.iter().map(|(_, e)| e.stamp);
            let archives = || {
                chunk.iter().map(|(_, e)| {
                    (e.archive != NO_ARCHIVE).then(|| self.archives.keys[e.archive as usize])
                })
            };
            Ok(vec![
                hi,
                lo,
                Arc::new(stamps().map(|s| s.size).collect::<UInt64Array>()) as ArrayRef,
                Arc::new(stamps().map(|s| s.modified_ns).collect::<Int64Array>()),
                Arc::new(stamps().map(|s| s.content_hash).collect::<UInt64Array>()),
                Arc::new(
                    chunk
                        .iter()
                        .map(|(_, e)| Some(self.file(e)))
                        .collect::<StringArray>(),
                ),
                Arc::new(
                    chunk
                        .iter()
                        .map(|(_, e)| self.file_bytes(e.file))
                        .collect::<UInt64Array>(),
                ),
                Arc::new(
                    archives()
                        .map(|a| a.map(|a| (a >> 64) as u64))
                        .collect::<UInt64Array>(),
                ),
                Arc::new(
                    archives()
                        .map(|a| a.map(|a| a as u64))
                        .collect::<UInt64Array>(),
                ),
            ])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_settings() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::default();
        let stamp = FileStamp {
            size: 10,
            modified_ns: -5,
            content_hash: 7,
        };
        let names = [
            "articles/year=2021/month=4/part-1.parquet".to_owned(),
            "rejects/part-1.parquet".to_owned(),
        ];
        ledger.merge(
            vec![(u128::MAX - 3, stamp, 0), (42, FileStamp::UNKNOWN, 1)],
            &names,
        );
        ledger
            .save(&dir.path().join(StateFile::Ledger.path()), "v1")
            .unwrap();
        let Some(LoadedLedger::Current(loaded)) = Ledger::read(dir.path(), "v1").unwrap() else {
            panic!("current")
        };
        assert_eq!(loaded.len(), 2);
        let entry = loaded.get(u128::MAX - 3).unwrap();
        assert_eq!(
            (entry.stamp, loaded.file(entry)),
            (stamp, "articles/year=2021/month=4/part-1.parquet")
        );
        assert!(matches!(
            Ledger::load(dir.path(), "v2").unwrap(),
            LoadedLedger::Outdated(Outdated::Settings)
        ));
        assert!(
            Ledger::read(&dir.path().join("none"), "v1")
                .unwrap()
                .is_none()
        );
        assert!(matches!(
            Ledger::load(&dir.path().join("none"), "v1").unwrap(),
            LoadedLedger::Missing
        ));
    }

    fn stamp(content_hash: u64) -> FileStamp {
        FileStamp {
            size: 1,
            modified_ns: 1,
            content_hash,
        }
    }

    #[test]
    fn an_archive_read_again_holds_its_records_now_and_its_own_reject_goes() {
        let mut ledger = Ledger::default();
        let names = ["a.parquet".to_owned(), "rejects.parquet".to_owned()];
        // Archive 100: records 1 and 2; archive 200 could not be read: its own reject.
        ledger.merge(
            vec![(1, stamp(1), 0), (2, stamp(1), 0), (200, stamp(1), 1)],
            &names,
        );
        assert!(ledger.adopt(vec![(100, vec![1, 2])]).is_empty());
        // Read again: 100 holds only 2 now; 200 is readable and holds 3.
        ledger.merge(vec![(2, stamp(2), 0), (3, stamp(2), 0)], &names);
        let mut gone: Vec<u128> = ledger
            .adopt(vec![(100, vec![2]), (200, vec![3])])
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        gone.sort();
        assert_eq!(gone, vec![1, 200]);
        let keys: Vec<u128> = ledger.entries.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, vec![2, 3]);
        ledger.index_records();
        assert_eq!(
            (ledger.records_of(100), ledger.records_of(200)),
            (&[2][..], &[3][..])
        );
    }

    #[test]
    fn merging_replaces_entries_and_keeps_keys_sorted_and_unique() {
        let mut ledger = Ledger::default();
        let first = ["a.parquet".to_owned()];
        assert!(
            ledger
                .merge(
                    vec![(30, stamp(1), 0), (10, stamp(1), 0), (20, stamp(1), 0)],
                    &first
                )
                .is_empty()
        );
        let second = ["b.parquet".to_owned()];
        // 20 is written again; 25 is new, and written twice (two inputs, one relative path).
        let mut replaced = ledger.merge(
            vec![(25, stamp(2), 0), (20, stamp(2), 0), (25, stamp(3), 0)],
            &second,
        );
        replaced.sort_by_key(|(key, entry)| (*key, entry.stamp.content_hash));
        let replaced: Vec<(u128, u64, &str)> = replaced
            .iter()
            .map(|(key, entry)| (*key, entry.stamp.content_hash, ledger.file(entry)))
            .collect();
        assert_eq!(replaced, vec![(20, 1, "a.parquet"), (25, 2, "b.parquet")]);
        let keys: Vec<u128> = ledger.entries.iter().map(|(key, _)| *key).collect();
        assert_eq!(keys, vec![10, 20, 25, 30]);
        let entry = ledger.get(25).unwrap();
        assert_eq!((entry.stamp, ledger.file(entry)), (stamp(3), "b.parquet"));
        assert_eq!(ledger.file(ledger.get(10).unwrap()), "a.parquet");
        assert!(ledger.get(15).is_none());

        ledger.restamp(10, stamp(9));
        assert_eq!(ledger.get(10).unwrap().stamp, stamp(9));
        let removed = ledger.remove_unless(|key| key != 20 && key != 30);
        assert_eq!(
            removed.iter().map(|(key, _)| *key).collect::<Vec<_>>(),
            vec![20, 30]
        );
        assert_eq!(ledger.len(), 2);
        assert!(ledger.get(25).is_some() && ledger.get(30).is_none());
    }
}
