//! The skeleton the state tables share: a Parquet file under `_state/` keyed by source key
//! (`key_hi`, `key_lo`), read whole at the start of a run and written whole, in chunks, to its
//! staged name at the commit.

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};

use arrow_array::{Array, ArrayRef, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use super::StateFile;
use crate::WriteError;
use crate::schema::typed_column;

/// Rows per batch when writing.
const CHUNK: usize = 64 * 1024;

/// The two columns a 128-bit source key is stored in.
pub(crate) fn key_fields() -> [Field; 2] {
    [
        Field::new("key_hi", DataType::UInt64, false),
        Field::new("key_lo", DataType::UInt64, false),
    ]
}

/// `keys` as the two key columns.
pub(crate) fn key_columns(keys: impl Iterator<Item = u128> + Clone) -> [ArrayRef; 2] {
    [
        std::sync::Arc::new(
            keys.clone()
                .map(|k| (k >> 64) as u64)
                .collect::<UInt64Array>(),
        ),
        std::sync::Arc::new(keys.map(|k| k as u64).collect::<UInt64Array>()),
    ]
}

/// A state table opened for reading: its footer is read and checked.
pub(crate) struct TableReader {
    file: StateFile,
    path: PathBuf,
    builder: ParquetRecordBatchReaderBuilder<File>,
}

impl TableReader {
    /// Opens `file` of the dataset in `output`; `None` when there is none.
    pub(crate) fn open(output: &Path, file: StateFile) -> Result<Option<TableReader>, WriteError> {
        let path = output.join(file.path());
        let handle = match File::open(&path) {
            Ok(handle) => handle,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(WriteError::io("open", &path, source)),
        };
        let builder = ParquetRecordBatchReaderBuilder::try_new(handle)
            .map_err(|source| WriteError::corrupt_state(file, &path, source))?;
        Ok(Some(TableReader {
            file,
            path,
            builder,
        }))
    }

    /// A value of the file's key-value metadata.
    pub(crate) fn metadata_value(&self, key: &str) -> Option<&str> {
        self.builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .and_then(|kv| kv.iter().find(|e| e.key == key))
            .and_then(|e| e.value.as_deref())
    }

    /// Rows in the table, as its footer says.
    pub(crate) fn rows(&self) -> usize {
        usize::try_from(self.builder.metadata().file_metadata().num_rows()).unwrap_or(0)
    }

    /// Calls `each` with every batch and a way to get its columns; stops at the first error.
    pub(crate) fn for_each_batch(
        self,
        mut each: impl FnMut(&Columns<'_>) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        let (file, path) = (self.file, self.path);
        let corrupt = |source| WriteError::corrupt_state(file, &path, source);
        for batch in self.builder.build().map_err(corrupt)? {
            let batch = batch.map_err(|e| corrupt(e.into()))?;
            each(&Columns {
                batch: &batch,
                file,
                path: &path,
            })?;
        }
        Ok(())
    }
}

/// One batch of a state table being read.
pub(crate) struct Columns<'a> {
    batch: &'a RecordBatch,
    file: StateFile,
    path: &'a Path,
}

impl Columns<'_> {
    pub(crate) fn len(&self) -> usize {
        self.batch.num_rows()
    }

    /// The column `name`, as the array type `A`.
    pub(crate) fn get<A: Array + Clone + 'static>(&self, name: &str) -> Result<A, WriteError> {
        typed_column(self.batch, name, self.file.what(), self.path)
    }

    /// The source keys of the batch's rows.
    pub(crate) fn keys(&self) -> Result<Vec<u128>, WriteError> {
        let (hi, lo) = (
            self.get::<UInt64Array>("key_hi")?,
            self.get::<UInt64Array>("key_lo")?,
        );
        Ok((0..self.len())
            .map(|row| (u128::from(hi.value(row)) << 64) | u128::from(lo.value(row)))
            .collect())
    }
}

/// Writes a table of `rows` rows to `path` (a staged name), `CHUNK` rows a batch, each batch's
/// columns made by `columns` from its range of rows; synced before it returns.
pub(crate) fn save(
    path: &Path,
    schema: SchemaRef,
    metadata: Option<Vec<KeyValue>>,
    rows: usize,
    columns: impl Fn(Range<usize>) -> Result<Vec<ArrayRef>, WriteError>,
) -> Result<(), WriteError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|source| WriteError::io("create the state directory", parent, source))?;
    }
    let file = File::create(path).map_err(|source| WriteError::io("create", path, source))?;
    let properties = WriterProperties::builder()
        .set_key_value_metadata(metadata)
        .build();
    let write = |source| WriteError::parquet_write(path, source);
    let mut writer = ArrowWriter::try_new(file, std::sync::Arc::clone(&schema), Some(properties))
        .map_err(write)?;
    for start in (0..rows).step_by(CHUNK) {
        let batch = RecordBatch::try_new(
            std::sync::Arc::clone(&schema),
            columns(start..(start + CHUNK).min(rows))?,
        )?;
        writer.write(&batch).map_err(write)?;
    }
    let file = writer.into_inner().map_err(write)?;
    file.sync_all()
        .map_err(|source| WriteError::io("sync", path, source))
}
