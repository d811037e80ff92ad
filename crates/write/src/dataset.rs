//! The dataset on disk: part files written under `_staging/RUN_ID/`, then published into
//! `articles/` and `rejects/` by rename, so a reader never sees a partial file.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use jiff::Timestamp;
use lede_record::{Article, Reject};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

use crate::schema::{SCHEMA_VERSION, article_schema, columns, reject_schema};
use crate::{PartitionKey, WriteError, WriteSettings, batch};

/// Directory names under the output directory.
pub const ARTICLES_DIR: &str = "articles";
/// See [`ARTICLES_DIR`].
pub const REJECTS_DIR: &str = "rejects";
const STAGING_DIR: &str = "_staging";

struct OpenFile {
    writer: ArrowWriter<BufWriter<File>>,
    path: PathBuf,
    rows: usize,
}

/// What a commit published.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommitSummary {
    /// Article rows written.
    pub articles: u64,
    /// Reject rows written.
    pub rejects: u64,
    /// Parquet files published (articles and rejects).
    pub files: u64,
    /// Bytes of those files.
    pub bytes: u64,
    /// Files of earlier runs removed because this run replaced them.
    pub replaced_files: u64,
}

/// Writes one run's articles and rejects; nothing is visible to readers until [`commit`](Self::commit).
pub struct DatasetWriter {
    output: PathBuf,
    staging: PathBuf,
    run_id: String,
    ingested_at: Timestamp,
    settings: WriteSettings,
    open: HashMap<PartitionKey, OpenFile>,
    staged: Vec<PathBuf>,
    rejects: Option<OpenFile>,
    next_file: u32,
    summary: CommitSummary,
}

impl DatasetWriter {
    /// Starts a run writing under `output`.
    pub fn create(
        output: &Path,
        run_id: &str,
        ingested_at: Timestamp,
        settings: WriteSettings,
    ) -> Result<DatasetWriter, WriteError> {
        let staging = output.join(STAGING_DIR).join(run_id);
        fs::create_dir_all(&staging)
            .map_err(|source| WriteError::io("create the staging directory", &staging, source))?;
        Ok(DatasetWriter {
            output: output.to_owned(),
            staging,
            run_id: run_id.to_owned(),
            ingested_at,
            settings,
            open: HashMap::new(),
            staged: Vec::new(),
            rejects: None,
            next_file: 0,
            summary: CommitSummary::default(),
        })
    }

    /// Writes articles to their partitions.
    pub fn write_articles(&mut self, articles: &[Article]) -> Result<(), WriteError> {
        let mut by_partition: HashMap<PartitionKey, Vec<&Article>> = HashMap::new();
        for article in articles {
            by_partition
                .entry(PartitionKey::of(article.published_at))
                .or_default()
                .push(article);
        }
        let mut keys: Vec<PartitionKey> = by_partition.keys().copied().collect();
        keys.sort();
        for key in keys {
            let rows = &by_partition[&key];
            let batch = batch::articles(rows, self.ingested_at)?;
            self.write_partition(key, &batch)?;
        }
        self.summary.articles += articles.len() as u64;
        self.bound_memory()
    }

    /// Writes reject rows.
    pub fn write_rejects(&mut self, rejects: &[Reject]) -> Result<(), WriteError> {
        let batch = batch::rejects(rejects, self.ingested_at)?;
        let file = match self.rejects.take() {
            Some(file) => file,
            None => self.open_file(&self.staging.join(REJECTS_DIR), &batch)?,
        };
        let file = write_batch(file, &batch)?;
        self.rejects = Some(file);
        self.summary.rejects += rejects.len() as u64;
        Ok(())
    }

    fn write_partition(
        &mut self,
        key: PartitionKey,
        batch: &RecordBatch,
    ) -> Result<(), WriteError> {
        let file = match self.open.remove(&key) {
            Some(file) => file,
            None => {
                if self.open.len() >= self.settings.max_open_files {
                    self.close_largest()?;
                }
                let dir = self.staging.join(ARTICLES_DIR).join(key.to_string());
                self.open_file(&dir, batch)?
            }
        };
        let file = write_batch(file, batch)?;
        let size = (file.writer.bytes_written() + file.writer.in_progress_size()) as u64;
        if size >= self.settings.max_file_bytes {
            self.close(file)?;
        } else {
            self.open.insert(key, file);
        }
        Ok(())
    }

    /// Keeps the row groups buffered across all open files under the configured budget.
    fn bound_memory(&mut self) -> Result<(), WriteError> {
        loop {
            let buffered: usize = self
                .open
                .values()
                .map(|f| f.writer.in_progress_size())
                .sum();
            if buffered <= self.settings.max_buffered_bytes {
                return Ok(());
            }
            let Some(file) = self
                .open
                .values_mut()
                .max_by_key(|f| f.writer.in_progress_size())
            else {
                return Ok(());
            };
            let path = file.path.clone();
            file.writer
                .flush()
                .map_err(|source| WriteError::Parquet { path, source })?;
        }
    }

    fn close_largest(&mut self) -> Result<(), WriteError> {
        let largest = self
            .open
            .iter()
            .max_by_key(|(_, f)| f.rows)
            .map(|(k, _)| *k);
        if let Some(file) = largest.and_then(|k| self.open.remove(&k)) {
            self.close(file)?;
        }
        Ok(())
    }

    fn open_file(&mut self, dir: &Path, batch: &RecordBatch) -> Result<OpenFile, WriteError> {
        fs::create_dir_all(dir)
            .map_err(|source| WriteError::io("create a partition directory", dir, source))?;
        self.next_file += 1;
        let path = dir.join(format!(
            "part-{}-{:05}.parquet",
            self.run_id, self.next_file
        ));
        let file = File::create(&path)
            .map_err(|source| WriteError::io("create a part file", &path, source))?;
        let writer = ArrowWriter::try_new(
            BufWriter::new(file),
            batch.schema(),
            Some(self.properties()),
        )
        .map_err(|source| WriteError::Parquet {
            path: path.clone(),
            source,
        })?;
        Ok(OpenFile {
            writer,
            path,
            rows: 0,
        })
    }

    fn properties(&self) -> WriterProperties {
        let column = |name: &str| ColumnPath::from(name);
        let mut builder = WriterProperties::builder()
            .set_compression(Compression::ZSTD(self.settings.zstd_level))
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_max_row_group_row_count(Some(self.settings.max_row_group_rows))
            .set_created_by(format!("lede {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![
                KeyValue::new("lede.schema_version".to_owned(), SCHEMA_VERSION.to_owned()),
                KeyValue::new(
                    "lede.version".to_owned(),
                    env!("CARGO_PKG_VERSION").to_owned(),
                ),
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
        // Min/max of article bodies helps no query and bloats the footer.
        builder =
            builder.set_column_statistics_enabled(column(columns::TEXT), EnabledStatistics::None);
        builder.build()
    }

    fn close(&mut self, file: OpenFile) -> Result<(), WriteError> {
        let OpenFile { writer, path, .. } = file;
        let inner = writer.into_inner().map_err(|source| WriteError::Parquet {
            path: path.clone(),
            source,
        })?;
        let file = inner
            .into_inner()
            .map_err(|e| WriteError::io("flush a part file", &path, e.into_error()))?;
        file.sync_all()
            .map_err(|source| WriteError::io("sync a part file", &path, source))?;
        self.staged.push(path);
        Ok(())
    }

    /// Closes every file and publishes the run: each staged file is renamed into place, then the
    /// files of earlier runs are removed (each run rebuilds the dataset), then staging is removed.
    pub fn commit(mut self) -> Result<CommitSummary, WriteError> {
        if self.rejects.is_none() {
            // An empty rejects file keeps `read_parquet('OUT/rejects/*.parquet')` working.
            self.write_rejects(&[])?;
        }
        let open: Vec<OpenFile> = self
            .open
            .drain()
            .map(|(_, f)| f)
            .chain(self.rejects.take())
            .collect();
        for file in open {
            self.close(file)?;
        }
        let mut published = Vec::with_capacity(self.staged.len());
        for staged in &self.staged {
            let relative = staged
                .strip_prefix(&self.staging)
                .expect("staged files live under staging");
            let target = self.output.join(relative);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|source| {
                    WriteError::io("create a partition directory", parent, source)
                })?;
            }
            fs::rename(staged, &target)
                .map_err(|source| WriteError::io("publish a part file", &target, source))?;
            self.summary.bytes += fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
            published.push(target);
        }
        self.summary.files = published.len() as u64;
        for dir in [ARTICLES_DIR, REJECTS_DIR] {
            self.summary.replaced_files +=
                remove_other_parquet(&self.output.join(dir), &published)?;
        }
        fs::remove_dir_all(&self.staging).map_err(|source| {
            WriteError::io("remove the staging directory", &self.staging, source)
        })?;
        let _ = fs::remove_dir(self.output.join(STAGING_DIR));
        Ok(self.summary)
    }

    /// Gives up the run: staged files are removed and the published dataset is left as it was.
    pub fn abort(self) {
        drop(self.open);
        let _ = fs::remove_dir_all(&self.staging);
    }
}

fn write_batch(mut file: OpenFile, batch: &RecordBatch) -> Result<OpenFile, WriteError> {
    file.writer
        .write(batch)
        .map_err(|source| WriteError::Parquet {
            path: file.path.clone(),
            source,
        })?;
    file.rows += batch.num_rows();
    Ok(file)
}

/// Removes `.parquet` files under `dir` that are not in `keep`, and partition directories left
/// empty. Returns how many files were removed.
fn remove_other_parquet(dir: &Path, keep: &[PathBuf]) -> Result<u64, WriteError> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(0);
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            removed += remove_other_parquet(&path, keep)?;
            let _ = fs::remove_dir(&path); // only succeeds when empty
        } else if path.extension().is_some_and(|e| e == "parquet") && !keep.contains(&path) {
            fs::remove_file(&path)
                .map_err(|source| WriteError::io("remove a replaced part file", &path, source))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Schemas are fixed; exported for `lede schema` and for readers.
pub fn schemas() -> [(&'static str, arrow_schema::SchemaRef); 2] {
    [
        (ARTICLES_DIR, article_schema()),
        (REJECTS_DIR, reject_schema()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_record::{
        ArticleId, BodyFormat, FrontMatterFormat, Image, Link, SourcePath, Stage, Warning,
        WarningKind,
    };
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn article(path: &str, published_at: Option<&str>) -> Article {
        let source = SourcePath::new("/in", path);
        Article {
            id: ArticleId::of(&source),
            source_path: source.relative().to_owned(),
            encoding: "UTF-8",
            front_matter: FrontMatterFormat::Yaml,
            body_format: BodyFormat::Html,
            title: Some(format!("title of {path}")),
            author: None,
            url: Some("https://news.example/a".into()),
            site: Some("news.example".into()),
            published_at: published_at.map(|t| t.parse().unwrap()),
            date_source: None,
            categories: vec!["a".into(), "b".into()],
            tags: vec![],
            lead_image: None,
            images: vec![Image {
                url: "https://img.example/1.jpg".into(),
                alt: Some("one".into()),
            }],
            links: vec![Link {
                url: "https://x.example/".into(),
                text: None,
            }],
            text: "text".into(),
            lang: Some("en".into()),
            char_count: 4,
            word_count: 1,
            paragraph_count: 1,
            content_hash: "00".into(),
            extra: None,
            warnings: vec![Warning::new(WarningKind::DateUnparsed, "x")],
        }
    }

    fn read(path: &Path) -> Vec<RecordBatch> {
        let file = File::open(path).unwrap();
        ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn parquet_files(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(parquet_files(&path));
            } else if path.extension().is_some_and(|e| e == "parquet") {
                found.push(path);
            }
        }
        found.sort();
        found
    }

    #[test]
    fn articles_round_trip_through_partitioned_files() {
        let out = tempfile::tempdir().unwrap();
        let now: Timestamp = "2026-01-02T03:04:05Z".parse().unwrap();
        let mut writer =
            DatasetWriter::create(out.path(), "r1", now, WriteSettings::default()).unwrap();
        let articles = vec![
            article("a.md", Some("2021-04-24T02:56:28.687Z")),
            article("b.md", None),
            article("c.md", Some("2021-04-01T00:00:00Z")),
        ];
        writer.write_articles(&articles).unwrap();
        writer
            .write_rejects(&[Reject {
                source_path: "bad.md".into(),
                stage: Stage::Parse,
                error: "broken".into(),
            }])
            .unwrap();
        let summary = writer.commit().unwrap();
        assert_eq!(
            (summary.articles, summary.rejects, summary.files),
            (3, 1, 3)
        );

        let april = parquet_files(&out.path().join("articles/year=2021/month=04"));
        assert_eq!(april.len(), 1);
        let batches = read(&april[0]);
        let expected = batch::articles(&[&articles[0], &articles[2]], now).unwrap();
        assert_eq!(batches, vec![expected]);

        let undated = out
            .path()
            .join("articles/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__");
        assert_eq!(read(&parquet_files(&undated)[0])[0].num_rows(), 1);
        assert_eq!(
            read(&parquet_files(&out.path().join("rejects"))[0])[0].num_rows(),
            1
        );
        assert!(!out.path().join("_staging").exists());
    }

    #[test]
    fn files_roll_over_at_the_size_limit() {
        let out = tempfile::tempdir().unwrap();
        let settings = WriteSettings {
            max_file_bytes: 1,
            ..WriteSettings::default()
        };
        let mut writer =
            DatasetWriter::create(out.path(), "r1", Timestamp::UNIX_EPOCH, settings).unwrap();
        for name in ["a.md", "b.md", "c.md"] {
            writer.write_articles(&[article(name, None)]).unwrap();
        }
        writer.commit().unwrap();
        assert_eq!(parquet_files(&out.path().join("articles")).len(), 3);
    }

    #[test]
    fn an_aborted_run_leaves_the_published_dataset_alone() {
        let out = tempfile::tempdir().unwrap();
        let mut first = DatasetWriter::create(
            out.path(),
            "r1",
            Timestamp::UNIX_EPOCH,
            WriteSettings::default(),
        )
        .unwrap();
        first.write_articles(&[article("a.md", None)]).unwrap();
        first.commit().unwrap();
        let before = parquet_files(out.path());
        let mut second = DatasetWriter::create(
            out.path(),
            "r2",
            Timestamp::UNIX_EPOCH,
            WriteSettings::default(),
        )
        .unwrap();
        second.write_articles(&[article("b.md", None)]).unwrap();
        second.abort();
        assert_eq!(parquet_files(out.path()), before);
        assert!(!out.path().join("_staging/r2").exists());
    }

    #[test]
    fn file_metadata_carries_the_schema_and_lede_versions() {
        let out = tempfile::tempdir().unwrap();
        let mut writer = DatasetWriter::create(
            out.path(),
            "r1",
            Timestamp::UNIX_EPOCH,
            WriteSettings::default(),
        )
        .unwrap();
        writer.write_articles(&[article("a.md", None)]).unwrap();
        writer.commit().unwrap();
        let file = File::open(&parquet_files(&out.path().join("articles"))[0]).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let kv = builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .unwrap();
        let get = |key: &str| {
            kv.iter()
                .find(|e| e.key == key)
                .and_then(|e| e.value.clone())
        };
        assert_eq!(get("lede.schema_version").as_deref(), Some(SCHEMA_VERSION));
        assert_eq!(
            get("lede.version").as_deref(),
            Some(env!("CARGO_PKG_VERSION"))
        );
    }
}
