//! What every run checks of the dataset's state before relying on it, cheaply (a `stat` per
//! part file, the signature table's footer), and what it does about what is wrong: a ledger
//! that cannot be read is rebuilt from the part files, a part file that is missing or not of
//! the size it was published with has its sources read again, a signature table that is
//! missing or cannot be read is rebuilt. Each finding is a line of [`Repairs::notes`], which the
//! run report carries.

use std::collections::HashSet;
use std::path::Path;

use arrow_array::{Array, StringArray};
use lede_record::{FileStamp, source_key};

use super::StateFile;
use super::ledger::{Ledger, LedgerEntry, LoadedLedger, Outdated};
use super::table::TableReader;
use crate::WriteError;
use crate::part::{PartReader, published_part_files};
use crate::schema::{SCHEMA_VERSION, columns, typed_column};

/// What loading found wrong with a dataset's state, and what the run does about it.
#[derive(Debug, Default)]
pub struct Repairs {
    /// One line per finding: what was wrong, and what this run does.
    pub notes: Vec<String>,
    /// Sources whose rows were lost with their part file: they are read again as new, and
    /// leave the near-duplicate state until they are.
    pub(crate) forget: Vec<u128>,
    /// Damaged part files the commit deletes.
    pub(crate) discard: Vec<String>,
    /// Rows a file holds that the ledger has in another file: the commit removes them.
    pub(crate) surplus: Vec<(u128, LedgerEntry)>,
    /// Whether the commit rebuilds the signature table from the part files.
    pub(crate) rebuild_signatures: bool,
}

impl Repairs {
    /// Whether nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// Sources whose rows were lost with a damaged part file.
    pub fn forgotten(&self) -> &[u128] {
        &self.forget
    }
}

/// Checks the part files `ledger` names and the signature table, noting in its repairs what is
/// wrong.
pub(crate) fn verify(output: &Path, ledger: &mut Ledger) -> Result<(), WriteError> {
    let rows = ledger.rows_per_file();
    let mut lost = HashSet::new();
    let mut notes = Vec::new();
    let mut discard = Vec::new();
    for (index, name) in ledger.files().iter().enumerate() {
        if rows[index] == 0 {
            continue;
        }
        let index = index as u32;
        let path = output.join(name);
        let recorded = ledger.file_bytes(index);
        let problem = match std::fs::metadata(&path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => "is missing".to_owned(),
            Err(err) => return Err(WriteError::io("look at the part file", &path, err)),
            Ok(meta) if recorded.is_some_and(|bytes| bytes != meta.len()) => {
                discard.push(name.clone());
                format!(
                    "is {} bytes but was published with {}: it was changed or truncated",
                    meta.len(),
                    recorded.unwrap_or_default()
                )
            }
            Ok(_) => continue,
        };
        lost.insert(index);
        notes.push(format!(
            "part file {name} {problem}; its {} sources are read again",
            rows[index as usize]
        ));
    }
    let forgotten = if lost.is_empty() {
        Vec::new()
    } else {
        ledger.forget_files(&lost)
    };
    let signatures = match TableReader::open(output, StateFile::Signatures) {
        Ok(Some(_)) => None,
        Ok(None) => Some("is missing".to_owned()),
        Err(err @ (WriteError::Corrupt { .. } | WriteError::MissingColumn { .. })) => {
            Some(format!("cannot be read ({err})"))
        }
        Err(err) => return Err(err),
    };
    let repairs = ledger.repairs_mut();
    repairs.notes.extend(notes);
    repairs.forget.extend(forgotten);
    repairs.discard.extend(discard);
    if let Some(problem) = signatures
        && !repairs.rebuild_signatures
    {
        repairs.notes.push(format!(
            "{} {problem}; it is rebuilt from the part files",
            StateFile::Signatures.what()
        ));
        repairs.rebuild_signatures = true;
    }
    Ok(())
}

/// Rebuilds the ledger of `output` from its part files, because of `why`. Stamps are unknown,
/// so every source still there is read again and its row replaced; rows of sources gone stay,
/// as on any incremental run. `None` when there are no part files (a first run); outdated when
/// a part file has another schema version.
pub(crate) fn reconstruct(output: &Path, why: String) -> Result<Option<LoadedLedger>, WriteError> {
    let files = published_part_files(output);
    if files.is_empty() {
        return Ok(None);
    }
    let mut ledger = Ledger::default();
    let mut notes = Vec::new();
    let mut discard = Vec::new();
    for name in &files {
        let path = output.join(name);
        let reader = match PartReader::open(&path) {
            Ok(reader) => reader,
            Err(err @ WriteError::Corrupt { .. }) => {
                notes.push(format!("{err}: it is removed"));
                discard.push(name.clone());
                continue;
            }
            Err(err) => return Err(err),
        };
        if reader.schema_version() != Some(SCHEMA_VERSION) {
            return Ok(Some(LoadedLedger::Outdated(Outdated::Schema {
                found: reader.schema_version().map(str::to_owned),
            })));
        }
        let bytes = std::fs::metadata(reader.path())
            .map_err(|err| WriteError::io("look at the part file", &path, err))?
            .len();
        let mut keys = Vec::new();
        let read = reader.for_each_batch(&[columns::SOURCE_PATH], |batch| {
            let paths =
                typed_column::<StringArray>(batch, columns::SOURCE_PATH, "part file", &path)?;
            keys.extend((0..paths.len()).map(|i| source_key(paths.value(i))));
            Ok(())
        });
        match read {
            Ok(()) => {
                for key in keys {
                    ledger.push(key, FileStamp::UNKNOWN, name);
                }
                ledger.set_file_bytes(name, bytes);
            }
            Err(err @ (WriteError::Corrupt { .. } | WriteError::MissingColumn { .. })) => {
                notes.push(format!("{err}: it is removed"));
                discard.push(name.clone());
            }
            Err(err) => return Err(err),
        }
    }
    let surplus = ledger.sort();
    let repairs = ledger.repairs_mut();
    repairs.notes.push(format!(
        "{why}; it is rebuilt from the {} part files, and every source is read again",
        files.len()
    ));
    repairs.notes.extend(notes);
    if !surplus.is_empty() {
        repairs.notes.push(format!(
            "{} rows are in more than one part file; the extra copies are removed",
            surplus.len()
        ));
    }
    repairs.surplus = surplus;
    repairs.discard = discard;
    repairs.rebuild_signatures = true;
    Ok(Some(LoadedLedger::Current(ledger)))
}
