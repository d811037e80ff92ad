//! Rewriting a part file without the rows of some sources (their files changed or are gone),
//! with `duplicate_of` patched on the way; what a splice cannot do, since rows go.

use std::collections::HashSet;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, BooleanArray, RecordBatch, StringArray};
use lede_record::source_key;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::splice::Patches;
use super::{create_writer, finish_writer};
use crate::schema::{columns, typed_column};
use crate::{WriteError, WriteSettings};

/// Writes the part file `source` to `target` without the rows of the sources in `drop`, and
/// with `duplicate_of` set as `patches` says for theirs; returns how many rows it kept.
pub(crate) fn rewrite(
    source: &Path,
    target: &Path,
    drop: &HashSet<u128>,
    patches: &Patches,
    settings: &WriteSettings,
) -> Result<usize, WriteError> {
    let unreadable = |err| WriteError::corrupt_part(source, err);
    let reader = File::open(source)
        .map_err(|err| WriteError::io("open a part file to rewrite", source, err))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(reader).map_err(unreadable)?;
    let schema = reader.schema().clone();
    let duplicate_column = schema.index_of(columns::DUPLICATE_OF).ok();
    let mut writer = create_writer(target, schema, settings)?;
    let mut kept = 0;
    for batch in reader.build().map_err(unreadable)? {
        let mut batch = batch.map_err(|e| unreadable(e.into()))?;
        let paths = typed_column::<StringArray>(&batch, columns::SOURCE_PATH, "part file", source)?;
        let keys: Vec<u128> = (0..paths.len())
            .map(|i| source_key(paths.value(i)))
            .collect();
        if let Some(column) = duplicate_column
            && keys.iter().any(|key| patches.get(*key).is_some())
        {
            let current =
                typed_column::<StringArray>(&batch, columns::DUPLICATE_OF, "part file", source)?;
            let patched: StringArray = keys
                .iter()
                .enumerate()
                .map(|(i, key)| patches.value(*key, current.is_valid(i).then(|| current.value(i))))
                .collect();
            let mut columns = batch.columns().to_vec();
            columns[column] = Arc::new(patched);
            batch = RecordBatch::try_new(batch.schema(), columns)?;
        }
        let keep: BooleanArray = keys.iter().map(|key| Some(!drop.contains(key))).collect();
        let filtered = arrow_select::filter::filter_record_batch(&batch, &keep)?;
        kept += filtered.num_rows();
        writer
            .write(&filtered)
            .map_err(|source| WriteError::parquet_write(target, source))?;
    }
    finish_writer(writer, target)?;
    Ok(kept)
}
