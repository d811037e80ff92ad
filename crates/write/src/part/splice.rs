//! Setting `duplicate_of` in a written part file without re-encoding the rest: every other
//! column chunk is copied byte for byte (with its statistics and page index), and only the
//! `duplicate_of` chunk of each row group is encoded anew. Near-duplicates are known only once
//! a run's articles are all in, so many part files need this at commit; copying is what keeps
//! it near the cost of reading the files once.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, StringArray};
use lede_record::{ArticleId, source_key};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::arrow_writer::{ArrowRowGroupWriterFactory, compute_leaves};
use parquet::column::writer::ColumnCloseResult;
use parquet::errors::ParquetError;
use parquet::file::metadata::PageIndexPolicy;
use parquet::file::writer::SerializedFileWriter;

use crate::schema::columns;
use crate::{WriteError, WriteSettings};

/// New `duplicate_of` values by source key: the canonical copy's key, or `None` for NULL.
/// Kept sorted by key: a tree of copies can change most of a million rows, and a sorted vector
/// holds them in half the memory of a hash map.
#[derive(Debug, Default)]
pub(crate) struct Patches(Vec<(u128, Option<u128>)>);

impl Patches {
    /// The patches of distinct keys, in any order.
    pub(crate) fn new(mut patches: Vec<(u128, Option<u128>)>) -> Patches {
        patches.sort_unstable_by_key(|(key, _)| *key);
        Patches(patches)
    }

    /// The new value of `key`'s row, if it changes.
    pub(crate) fn get(&self, key: u128) -> Option<Option<u128>> {
        self.0
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| self.0[i].1)
    }

    /// The keys whose rows change.
    pub(crate) fn keys(&self) -> impl Iterator<Item = u128> + '_ {
        self.0.iter().map(|(key, _)| *key)
    }

    /// The `duplicate_of` value of `key`'s row, which now holds `current`.
    pub(crate) fn value(&self, key: u128, current: Option<&str>) -> Option<String> {
        match self.get(key) {
            Some(canonical) => canonical.map(|c| ArticleId::from_key(c).to_string()),
            None => current.map(str::to_owned),
        }
    }
}

/// Writes `source` to `target` with `duplicate_of` set as `patches` says for the rows of the
/// sources it names; every other value is copied unchanged.
pub(crate) fn splice_duplicate_of(
    source: &Path,
    target: &Path,
    patches: &Patches,
    settings: &WriteSettings,
) -> Result<(), WriteError> {
    let unreadable = |err: ParquetError| WriteError::corrupt_part(source, err);
    let fail = |err: ParquetError| WriteError::parquet_write(target, err);
    let input = File::open(source)
        .map_err(|err| WriteError::io("open a part file to patch", source, err))?;
    let options = ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Optional);
    let reader_metadata = ArrowReaderMetadata::load(&input, options).map_err(unreadable)?;
    let metadata = Arc::clone(reader_metadata.metadata());
    let arrow_schema = Arc::clone(reader_metadata.schema());
    let parquet_schema = reader_metadata.parquet_schema();
    let leaf = |name: &str| {
        parquet_schema
            .columns()
            .iter()
            .position(|c| c.path().string() == name)
            .ok_or_else(|| WriteError::missing_column("part file", source, name))
    };
    let (path_leaf, duplicate_leaf) = (leaf(columns::SOURCE_PATH)?, leaf(columns::DUPLICATE_OF)?);
    let duplicate_field = arrow_schema
        .field_with_name(columns::DUPLICATE_OF)
        .map_err(WriteError::Arrow)?
        .clone();

    let properties = super::properties_builder(settings)
        .set_key_value_metadata(metadata.file_metadata().key_value_metadata().cloned())
        .build();
    let output = File::create(target)
        .map_err(|err| WriteError::io("create a patched part file", target, err))?;
    let mut writer = SerializedFileWriter::new(
        BufWriter::new(output),
        parquet_schema.root_schema_ptr(),
        Arc::new(properties),
    )
    .map_err(fail)?;
    let factory = ArrowRowGroupWriterFactory::new(&writer, Arc::clone(&arrow_schema));
    let page_index = metadata.page_index();

    for (group, row_group) in metadata.row_groups().iter().enumerate() {
        let values = patched_values(
            &input,
            &reader_metadata,
            group,
            path_leaf,
            duplicate_leaf,
            patches,
        )
        .map_err(unreadable)?;
        let mut column_writers = factory.create_column_writers(group).map_err(fail)?;
        let mut duplicate_writer = column_writers.swap_remove(duplicate_leaf);
        drop(column_writers);
        for leaf in compute_leaves(&duplicate_field, &values).map_err(fail)? {
            duplicate_writer.write(&leaf).map_err(fail)?;
        }
        let mut encoded = Some(duplicate_writer.close().map_err(fail)?);
        let mut out = writer.next_row_group().map_err(fail)?;
        for (index, column) in row_group.columns().iter().enumerate() {
            if index == duplicate_leaf {
                if let Some(chunk) = encoded.take() {
                    chunk.append_to_row_group(&mut out).map_err(fail)?;
                }
                continue;
            }
            let copied = ColumnCloseResult {
                bytes_written: column.compressed_size() as u64,
                rows_written: row_group.num_rows() as u64,
                metadata: column.clone(),
                bloom_filter: None,
                column_index: page_index
                    .and_then(|p| p.column_index(group, index))
                    .cloned(),
                offset_index: page_index
                    .and_then(|p| p.offset_index(group, index))
                    .cloned(),
            };
            out.append_column(&input, copied).map_err(fail)?;
        }
        out.close().map_err(fail)?;
    }
    let output = writer.into_inner().map_err(fail)?;
    output
        .into_inner()
        .map(drop)
        .map_err(|e| WriteError::io("flush a patched part file", target, e.into_error()))
}

/// The `duplicate_of` column of row group `group`, patched.
fn patched_values(
    input: &File,
    metadata: &ArrowReaderMetadata,
    group: usize,
    path_leaf: usize,
    duplicate_leaf: usize,
    patches: &Patches,
) -> Result<ArrayRef, ParquetError> {
    let input = input.try_clone()?;
    let mask = ProjectionMask::leaves(metadata.parquet_schema(), [path_leaf, duplicate_leaf]);
    let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata.clone())
        .with_row_groups(vec![group])
        .with_projection(mask)
        .build()?;
    let mut values: Vec<Option<String>> = Vec::new();
    for batch in reader {
        let batch = batch?;
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .and_then(|c| c.as_any().downcast_ref::<StringArray>())
                .cloned()
                .ok_or_else(|| ParquetError::General(format!("no utf8 column {name}")))
        };
        let (paths, current) = (
            column(columns::SOURCE_PATH)?,
            column(columns::DUPLICATE_OF)?,
        );
        values.extend((0..batch.num_rows()).map(|i| {
            let now = current.is_valid(i).then(|| current.value(i));
            patches.value(source_key(paths.value(i)), now)
        }));
    }
    Ok(Arc::new(StringArray::from(values)))
}
