//! The near-duplicate state: every article's MinHash signature, publish time and canonical copy,
//! kept beside the ledger so that the next run compares its articles with everything already
//! written, not only with its own.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, FixedSizeBinaryArray, Int64Array, UInt32Array};
use arrow_schema::{DataType, Field, Schema};
use lede_record::{DedupState, SIGNATURE_BYTES, Signature};

use super::StateFile;
use super::table::{self, TableReader};
use crate::WriteError;

/// Reads the state of `output`; `None` when it has none.
pub(crate) fn load(output: &Path) -> Result<Option<DedupState>, WriteError> {
    let Some(table) = TableReader::open(output, StateFile::Signatures)? else {
        return Ok(None);
    };
    let path = output.join(StateFile::Signatures.path());
    let mut state = DedupState::default();
    let rows = table.rows();
    state.keys.reserve_exact(rows);
    state.published.reserve_exact(rows);
    state.signatures.reserve_exact(rows);
    state.duplicate_of.reserve_exact(rows);
    table.for_each_batch(|batch| {
        state.keys.extend(batch.keys()?);
        state
            .published
            .extend(batch.get::<Int64Array>("published")?.values().iter());
        let signatures = batch.get::<FixedSizeBinaryArray>("signature")?;
        if signatures.value_length() != SIGNATURE_BYTES as i32 {
            return Err(WriteError::missing_column(
                StateFile::Signatures.what(),
                &path,
                "signature",
            ));
        }
        state.signatures.extend((0..batch.len()).map(|row| {
            Signature(
                signatures
                    .value(row)
                    .try_into()
                    .expect("the width was checked above"),
            )
        }));
        state
            .duplicate_of
            .extend(batch.get::<UInt32Array>("duplicate_of")?.values().iter());
        Ok(())
    })?;
    Ok(Some(state))
}

/// Writes `state` to `path` (a staged name; the commit renames it into place).
pub(crate) fn save(state: &DedupState, path: &Path) -> Result<(), WriteError> {
    let [key_hi, key_lo] = table::key_fields();
    let schema = Arc::new(Schema::new(vec![
        key_hi,
        key_lo,
        Field::new("published", DataType::Int64, false),
        Field::new(
            "signature",
            DataType::FixedSizeBinary(SIGNATURE_BYTES as i32),
            false,
        ),
        // The row of the canonical copy in this file; u32::MAX for a canonical article.
        Field::new("duplicate_of", DataType::UInt32, false),
    ]));
    table::save(path, schema, None, state.len(), |range| {
        let [hi, lo] = table::key_columns(state.keys[range.clone()].iter().copied());
        Ok(vec![
            hi,
            lo,
            Arc::new(Int64Array::from(state.published[range.clone()].to_vec())) as ArrayRef,
            Arc::new(
                FixedSizeBinaryArray::try_from_sparse_iter_with_size(
                    state.signatures[range.clone()].iter().map(|s| Some(s.0)),
                    SIGNATURE_BYTES as i32,
                )
                .map_err(WriteError::Arrow)?,
            ),
            Arc::new(UInt32Array::from(state.duplicate_of[range].to_vec())),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("_state")).unwrap();
        let mut state = DedupState::default();
        state.push(u128::MAX - 1, Some(-5), Signature([7; SIGNATURE_BYTES]));
        state.push(3, None, Signature([9; SIGNATURE_BYTES]));
        state.duplicate_of[1] = 0;
        save(&state, &dir.path().join(StateFile::Signatures.path())).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(state));
        assert_eq!(load(&dir.path().join("none")).unwrap(), None);
    }
}
