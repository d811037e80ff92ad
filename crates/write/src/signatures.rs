//! The near-duplicate state: every article's MinHash signature, publish time and canonical copy,
//! kept beside the ledger so that the next run compares its articles with everything already
//! written, not only with its own.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, FixedSizeBinaryArray, Int64Array, RecordBatch, UInt32Array, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use lede_record::{DedupState, SIGNATURE_BYTES, Signature};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::WriteError;
use crate::ledger::typed_column;

/// Where the state lives, relative to the output directory.
pub(crate) const SIGNATURES_PATH: &str = "_state/signatures.parquet";

/// Rows per batch when writing.
const CHUNK: usize = 64 * 1024;

/// Reads the state of `output`; a dataset written before it existed has none.
pub(crate) fn load(output: &Path) -> Result<DedupState, WriteError> {
    let path = output.join(SIGNATURES_PATH);
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(DedupState::default());
        }
        Err(source) => return Err(WriteError::io("open the signature state", &path, source)),
    };
    let parquet = |source| WriteError::Parquet {
        path: path.clone(),
        source,
    };
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(parquet)?;
    let mut state = DedupState::default();
    let rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    state.keys.reserve_exact(rows);
    state.published.reserve_exact(rows);
    state.signatures.reserve_exact(rows);
    state.duplicate_of.reserve_exact(rows);
    for batch in builder.build().map_err(parquet)? {
        let batch = batch.map_err(|e| parquet(e.into()))?;
        let hi = typed_column::<UInt64Array>(&batch, "key_hi", &path)?;
        let lo = typed_column::<UInt64Array>(&batch, "key_lo", &path)?;
        let published = typed_column::<Int64Array>(&batch, "published", &path)?;
        let signatures = typed_column::<FixedSizeBinaryArray>(&batch, "signature", &path)?;
        let duplicate_of = typed_column::<UInt32Array>(&batch, "duplicate_of", &path)?;
        for row in 0..batch.num_rows() {
            state
                .keys
                .push((u128::from(hi.value(row)) << 64) | u128::from(lo.value(row)));
            state.published.push(published.value(row));
            let bytes: [u8; SIGNATURE_BYTES] =
                signatures
                    .value(row)
                    .try_into()
                    .map_err(|_| WriteError::CorruptLedger {
                        path: path.clone(),
                        column: "signature".into(),
                    })?;
            state.signatures.push(Signature(bytes));
            state.duplicate_of.push(duplicate_of.value(row));
        }
    }
    Ok(state)
}

/// Writes `state` to `path` (a staging path; the commit renames it into place).
pub(crate) fn save(state: &DedupState, path: &Path) -> Result<(), WriteError> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("key_hi", DataType::UInt64, false),
        Field::new("key_lo", DataType::UInt64, false),
        Field::new("published", DataType::Int64, false),
        Field::new(
            "signature",
            DataType::FixedSizeBinary(SIGNATURE_BYTES as i32),
            false,
        ),
        // The row of the canonical copy in this file; u32::MAX for a canonical article.
        Field::new("duplicate_of", DataType::UInt32, false),
    ]));
    let parquet = |source| WriteError::Parquet {
        path: path.to_owned(),
        source,
    };
    let file = File::create(path)
        .map_err(|source| WriteError::io("create the signature state", path, source))?;
    let mut writer = ArrowWriter::try_new(file, Arc::clone(&schema), None).map_err(parquet)?;
    for start in (0..state.len()).step_by(CHUNK) {
        let range = start..(start + CHUNK).min(state.len());
        let keys = &state.keys[range.clone()];
        let columns: Vec<ArrayRef> = vec![
            Arc::new(
                keys.iter()
                    .map(|k| (k >> 64) as u64)
                    .collect::<UInt64Array>(),
            ),
            Arc::new(keys.iter().map(|k| *k as u64).collect::<UInt64Array>()),
            Arc::new(Int64Array::from(state.published[range.clone()].to_vec())),
            Arc::new(
                FixedSizeBinaryArray::try_from_iter(
                    state.signatures[range.clone()].iter().map(|s| s.0),
                )
                .map_err(WriteError::Arrow)?,
            ),
            Arc::new(UInt32Array::from(state.duplicate_of[range].to_vec())),
        ];
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns)?;
        writer.write(&batch).map_err(parquet)?;
    }
    let file = writer.into_inner().map_err(parquet)?;
    file.sync_all()
        .map_err(|source| WriteError::io("sync the signature state", path, source))
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
        save(&state, &dir.path().join(SIGNATURES_PATH)).unwrap();
        assert_eq!(load(dir.path()).unwrap(), state);
        assert_eq!(
            load(&dir.path().join("none")).unwrap(),
            DedupState::default()
        );
    }
}
