//! Part files: the Parquet files readers see under `articles/` and `rejects/`, and the staging
//! directory each run writes them in first. This module owns their names, where a run stages
//! them, and the encodings every one of them is written with; its submodules write them
//! ([`pool`]), rewrite them without some rows ([`rewrite`]) and patch their `duplicate_of`
//! column in place of a rewrite ([`splice`]).

pub(crate) mod pool;
pub(crate) mod rewrite;
pub(crate) mod splice;

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use parquet::schema::types::ColumnPath;

use crate::partition::PartitionKey;
use crate::schema::{SCHEMA_VERSION, article_schema, columns, reject_schema};
use crate::{WriteError, WriteSettings};

/// Directory names under the output directory.
pub const ARTICLES_DIR: &str = "articles";
/// See [`ARTICLES_DIR`].
pub const REJECTS_DIR: &str = "rejects";
/// Every table of a dataset.
pub(crate) const TABLES: [&str; 2] = [ARTICLES_DIR, REJECTS_DIR];
/// Where runs write their part files before the commit publishes them.
const STAGING_DIR: &str = "_staging";
/// The key of every part file's metadata that holds [`SCHEMA_VERSION`].
const SCHEMA_VERSION_KEY: &str = "lede.schema_version";
/// The key of every part file's metadata that holds the version of lede that wrote it.
const LEDE_VERSION_KEY: &str = "lede.version";
/// This lede's version, as part files record it.
pub(crate) const LEDE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The directory run `run_id` stages its files in.
pub(crate) fn staging_dir(output: &Path, run_id: &str) -> PathBuf {
    output.join(STAGING_DIR).join(run_id)
}

/// A staged file's name relative to the output: the part file `name` of run `run_id`.
pub(crate) fn staged_name(run_id: &str, name: &str) -> String {
    format!("{STAGING_DIR}/{run_id}/{name}")
}

/// Removes every run's staging directory (their files were never published).
pub(crate) fn remove_staging(output: &Path) {
    let _ = fs::remove_dir_all(output.join(STAGING_DIR));
}

/// Removes one run's staging directory, and the staging root when no other run's is left.
pub(crate) fn remove_run_staging(output: &Path, run_id: &str) {
    let _ = fs::remove_dir_all(staging_dir(output, run_id));
    let _ = fs::remove_dir(output.join(STAGING_DIR));
}

/// The name of a new part file: `DIR/part-RUN-NNNNN.parquet`, unique in the dataset because the
/// run id is.
pub(crate) fn new_part_name(dir: &str, run_id: &str, number: u32) -> String {
    format!("{dir}/part-{run_id}-{number:05}.parquet")
}

/// The name of the empty part file that keeps table `table` readable when it has no rows (see
/// [`write_empty`]): articles' in the NULL partition, so that readers see the partition columns.
pub(crate) fn placeholder_name(table: &str, run_id: &str) -> String {
    let dir = if table == ARTICLES_DIR {
        format!("{table}/{}", PartitionKey::of(None))
    } else {
        table.to_owned()
    };
    format!("{dir}/part-{run_id}-empty.parquet")
}

/// Writes a part file of table `table` with no rows at `path`: what a reader needs to see the
/// table's columns.
pub(crate) fn write_empty(
    path: &Path,
    table: &str,
    settings: &WriteSettings,
) -> Result<(), WriteError> {
    let (_, schema) = schemas()
        .into_iter()
        .find(|(name, _)| *name == table)
        .expect("a table of the dataset");
    finish_writer(create_writer(path, schema, settings)?, path)
}

/// `.parquet` files under `dir`, recursively, sorted.
pub fn part_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(part_files(&path));
        } else if path.extension().is_some_and(|e| e == "parquet") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Every published part file of the dataset in `output`, as `/`-separated names relative to it.
pub(crate) fn published_part_files(output: &Path) -> Vec<String> {
    TABLES
        .iter()
        .flat_map(|dir| part_files(&output.join(dir)))
        .map(|path| relative_name(output, &path))
        .collect()
}

/// `path` relative to `output`, `/`-separated: how the ledger and the journal name files.
pub(crate) fn relative_name(output: &Path, path: &Path) -> String {
    path.strip_prefix(output)
        .expect("published files live under the output")
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A published part file opened for reading only some of its columns.
pub(crate) struct PartReader {
    path: PathBuf,
    builder: ParquetRecordBatchReaderBuilder<File>,
}

impl PartReader {
    /// Opens the part file at `path` and reads its footer.
    pub(crate) fn open(path: &Path) -> Result<PartReader, WriteError> {
        let file =
            File::open(path).map_err(|source| WriteError::io("open a part file", path, source))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|source| WriteError::corrupt_part(path, source))?;
        Ok(PartReader {
            path: path.to_owned(),
            builder,
        })
    }

    /// The schema version lede wrote the file with, if it says.
    pub(crate) fn schema_version(&self) -> Option<&str> {
        self.metadata_value(SCHEMA_VERSION_KEY)
    }

    /// The version of lede that wrote the file, if it says.
    pub(crate) fn lede_version(&self) -> Option<&str> {
        self.metadata_value(LEDE_VERSION_KEY)
    }

    fn metadata_value(&self, key: &str) -> Option<&str> {
        self.builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .and_then(|kv| kv.iter().find(|e| e.key == key))
            .and_then(|e| e.value.as_deref())
    }

    /// Calls `each` with every batch of the columns `names` (those the file has).
    pub(crate) fn for_each_batch(
        self,
        names: &[&str],
        mut each: impl FnMut(&RecordBatch) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        let path = self.path;
        let corrupt = |source| WriteError::corrupt_part(&path, source);
        let mask = ProjectionMask::columns(self.builder.parquet_schema(), names.iter().copied());
        for batch in self
            .builder
            .with_projection(mask)
            .build()
            .map_err(corrupt)?
        {
            each(&batch.map_err(|e| corrupt(e.into()))?)?;
        }
        Ok(())
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

/// Schemas are fixed; exported for `lede schema` and for readers.
pub fn schemas() -> [(&'static str, arrow_schema::SchemaRef); 2] {
    [
        (ARTICLES_DIR, article_schema()),
        (REJECTS_DIR, reject_schema()),
    ]
}

/// Starts a part file at `path` (its directory is made if needed).
pub(crate) fn create_writer(
    path: &Path,
    schema: arrow_schema::SchemaRef,
    settings: &WriteSettings,
) -> Result<ArrowWriter<BufWriter<File>>, WriteError> {
    let dir = path.parent().expect("a part file has a directory");
    fs::create_dir_all(dir)
        .map_err(|source| WriteError::io("create a partition directory", dir, source))?;
    let file =
        File::create(path).map_err(|source| WriteError::io("create a part file", path, source))?;
    ArrowWriter::try_new(
        BufWriter::new(file),
        schema,
        Some(properties_builder(settings).build()),
    )
    .map_err(|source| WriteError::parquet_write(path, source))
}

/// Writes a part file's footer and flushes it.
pub(crate) fn finish_writer(
    writer: ArrowWriter<BufWriter<File>>,
    path: &Path,
) -> Result<(), WriteError> {
    let inner = writer
        .into_inner()
        .map_err(|source| WriteError::parquet_write(path, source))?;
    // Not synced here: one `syncfs` before the journal makes every staged file durable at once.
    inner
        .into_inner()
        .map(drop)
        .map_err(|e| WriteError::io("flush a part file", path, e.into_error()))
}

/// The encodings of every part file, open for more settings.
pub(crate) fn properties_builder(settings: &WriteSettings) -> WriterPropertiesBuilder {
    let column = |name: &str| ColumnPath::from(name);
    let mut builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(settings.zstd_level))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_max_row_group_row_count(Some(settings.max_row_group_rows))
        .set_created_by(format!("lede {LEDE_VERSION}"))
        .set_key_value_metadata(Some(vec![
            KeyValue::new(SCHEMA_VERSION_KEY.to_owned(), SCHEMA_VERSION.to_owned()),
            KeyValue::new(LEDE_VERSION_KEY.to_owned(), LEDE_VERSION.to_owned()),
        ]));
    // Unique per row: a dictionary only costs time and falls back anyway.
    for name in [
        columns::ID,
        columns::SOURCE_PATH,
        columns::TEXT,
        columns::CONTENT_HASH,
        columns::EXTRA,
        columns::URL,
    ] {
        builder = builder.set_column_dictionary_enabled(column(name), false);
    }
    // Values from a small closed set: a dictionary of a few entries and run-length indices
    // are all there is to compress, so zstd only adds a frame (these chunks came out 25% larger
    // with it on the bulk tree) and the cost of its contexts, made per column chunk.
    for name in [
        columns::ENCODING,
        columns::FRONT_MATTER,
        columns::BODY_FORMAT,
        columns::DATE_SOURCE,
        columns::LANG,
        columns::INGESTED_AT,
    ] {
        builder = builder.set_column_compression(column(name), Compression::UNCOMPRESSED);
    }
    // Min/max of article bodies helps no query and bloats the footer.
    builder.set_column_statistics_enabled(column(columns::TEXT), EnabledStatistics::None)
}
