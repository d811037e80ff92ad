//! One run's writing: articles and rejects go to staged part files as they come, with what the
//! commit needs to know about each (where its row went, its stamp, its signature); nothing is
//! visible to readers until [`DatasetWriter::commit`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use lede_record::{Article, DedupState, FileStamp, Reject, source_key};

use crate::commit::{self, Base, CommitSummary, NearDuplicates, RunResult};
use crate::part::pool::PartPool;
use crate::part::{self, staging_dir};
use crate::state::ledger::Placement;
use crate::{PartitionKey, WriteError, WriteSettings, batch};

/// Writes one run's articles and rejects; nothing is visible to readers until [`commit`](Self::commit).
pub struct DatasetWriter {
    output: PathBuf,
    staging: PathBuf,
    run_id: String,
    ingested_at: Timestamp,
    pool: PartPool,
    /// Where each source written this run went: key, stamp, index of its file in the pool.
    placements: Vec<Placement>,
    /// New stamps of sources whose size or mtime changed but whose content did not.
    restamps: Vec<(u128, FileStamp)>,
    /// The archives read, each with the keys of the records it held.
    archives: Vec<(u128, Vec<u128>)>,
    /// With pruning on: the sources seen unchanged (the others not written are gone).
    seen: Option<HashSet<u128>>,
    /// Signatures of the articles written this run.
    fresh: DedupState,
    /// How the commit clusters near-duplicates; without one every article is canonical.
    near_duplicates: Option<Box<dyn NearDuplicates>>,
    /// With pruning on, the share of rows a prune may remove at most (see
    /// [`prune_deleted`](Self::prune_deleted)).
    max_prune_share: Option<f64>,
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
        let staging = staging_dir(output, run_id);
        std::fs::create_dir_all(&staging)
            .map_err(|source| WriteError::io("create the staging directory", &staging, source))?;
        Ok(DatasetWriter {
            output: output.to_owned(),
            pool: PartPool::new(staging.clone(), run_id, settings),
            staging,
            run_id: run_id.to_owned(),
            ingested_at,
            placements: Vec::new(),
            restamps: Vec::new(),
            archives: Vec::new(),
            seen: None,
            fresh: DedupState::default(),
            near_duplicates: None,
            max_prune_share: None,
            summary: CommitSummary::default(),
        })
    }

    /// Sets how the commit finds near-duplicates among everything the dataset holds.
    pub fn set_near_duplicates(&mut self, near_duplicates: Box<dyn NearDuplicates>) {
        self.near_duplicates = Some(near_duplicates);
    }

    /// Writes articles to their partitions; `stamps[i]` is the stamp of `articles[i]`'s source.
    pub fn write_articles(
        &mut self,
        articles: &[Article],
        stamps: &[FileStamp],
    ) -> Result<(), WriteError> {
        assert_eq!(articles.len(), stamps.len(), "one stamp per article");
        let mut by_partition: BTreeMap<PartitionKey, Vec<usize>> = BTreeMap::new();
        for (i, article) in articles.iter().enumerate() {
            by_partition
                .entry(PartitionKey::of(article.published_at))
                .or_default()
                .push(i);
        }
        for (key, rows) in by_partition {
            let batch = batch::articles(
                &rows.iter().map(|&i| &articles[i]).collect::<Vec<_>>(),
                self.ingested_at,
            )?;
            let file = self.pool.write_articles(key, &batch)?;
            for i in rows {
                let article = &articles[i];
                let source = source_key(&article.source_path);
                self.placements.push((source, stamps[i], file));
                if let Some(signature) = article.signature {
                    let published = article.published_at.map(|t| t.as_microsecond());
                    self.fresh.push(source, published, signature);
                }
            }
        }
        self.summary.articles += articles.len() as u64;
        self.pool.bound_memory()
    }

    /// Writes reject rows; `stamps[i]` is the stamp of `rejects[i]`'s source.
    pub fn write_rejects(
        &mut self,
        rejects: &[Reject],
        stamps: &[FileStamp],
    ) -> Result<(), WriteError> {
        assert_eq!(rejects.len(), stamps.len(), "one stamp per reject");
        let batch = batch::rejects(rejects, self.ingested_at)?;
        let file = self.pool.write_rejects(&batch);
        for (reject, stamp) in rejects.iter().zip(stamps) {
            self.placements
                .push((source_key(&reject.source_path), *stamp, file));
        }
        self.summary.rejects += rejects.len() as u64;
        Ok(())
    }

    /// Records a source found unchanged: its row stays where it is. `restamp` is its new stamp
    /// when its size or mtime changed but its content did not.
    pub fn keep_unchanged(&mut self, key: u128, restamp: Option<FileStamp>) {
        if let Some(stamp) = restamp {
            self.restamps.push((key, stamp));
        }
        if let Some(seen) = self.seen.as_mut() {
            seen.insert(key);
        }
    }

    /// Records that the archive with key `archive` was read and held the records with keys
    /// `records` (each also written, as an article or a reject): the dataset keeps no other
    /// record of it.
    pub fn archive_read(&mut self, archive: u128, records: Vec<u128>) {
        self.archives.push((archive, records));
    }

    /// Makes the commit remove the rows of sources neither written nor kept unchanged in this
    /// run (their files are gone). Call before writing. The commit fails instead when that
    /// would remove more than `max_share` of the dataset's rows (an input that is empty or not
    /// mounted looks like every source deleted); `None` allows any share.
    pub fn prune_deleted(&mut self, max_share: Option<f64>) {
        self.seen.get_or_insert_with(HashSet::new);
        self.max_prune_share = max_share;
    }

    /// Publishes the run. Rows of sources written again and (after [`prune_deleted`](Self::prune_deleted)) of sources
    /// no longer found are removed from the files that hold them, by rewriting those files;
    /// then the commit journal is written and applied: rewritten files replace their originals,
    /// emptied files go, new files arrive, and the ledger is replaced. A crash at any point
    /// leaves either the previous dataset or, once the journal exists, one the next run
    /// completes.
    pub fn commit(self, base: Base, fingerprint: &str) -> Result<CommitSummary, WriteError> {
        let (output, run_id) = (self.output.clone(), self.run_id.clone());
        self.try_commit(base, fingerprint)
            .inspect_err(|_| commit::clean_up_failed(&output, &run_id))
    }

    fn try_commit(mut self, base: Base, fingerprint: &str) -> Result<CommitSummary, WriteError> {
        let pruning = self.seen.is_some();
        if commit::changes_nothing(
            &self.output,
            &base,
            &self.placements,
            pruning || !self.restamps.is_empty() || !self.archives.is_empty(),
        ) {
            // Nothing changed: the dataset and the ledger stay exactly as they are.
            if let Base::Incremental(ledger) = &base {
                self.summary.sources = ledger.len() as u64;
            }
            part::remove_staging(&self.output);
            return Ok(self.summary);
        }
        self.pool.close_all()?;
        let run = RunResult {
            output: &self.output,
            staging: &self.staging,
            run_id: &self.run_id,
            settings: self.pool.settings(),
            new_files: self.pool.names(),
            placements: std::mem::take(&mut self.placements),
            restamps: std::mem::take(&mut self.restamps),
            archives: std::mem::take(&mut self.archives),
            seen: self.seen.take(),
            fresh: std::mem::take(&mut self.fresh),
            near_duplicates: self.near_duplicates.as_deref(),
            max_prune_share: self.max_prune_share,
        };
        let mut summary = std::mem::take(&mut self.summary);
        commit::commit(run, base, fingerprint, &mut summary)?;
        Ok(summary)
    }

    /// Gives up the run: staged files are removed and the published dataset is left as it was.
    pub fn abort(self) {
        drop(self.pool);
        part::remove_run_staging(&self.output, &self.run_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::part::{ARTICLES_DIR, part_files};
    use crate::schema::{SCHEMA_VERSION, columns};
    use crate::{Ledger, LoadedLedger};
    use arrow_array::{Array, RecordBatch, StringArray};
    use lede_record::{
        ArticleId, BodyFormat, FrontMatterFormat, Image, Link, SourcePath, Stage, Warning,
        WarningKind,
    };
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::basic::Compression;
    use std::fs::File;

    const STAMP: FileStamp = FileStamp {
        size: 1,
        modified_ns: 1,
        content_hash: 1,
    };

    fn ledger(out: &Path) -> Ledger {
        match Ledger::load(out, "fp").unwrap() {
            LoadedLedger::Current(ledger) => ledger,
            other => panic!("expected a current ledger, got {other:?}"),
        }
    }

    /// Ids in all published article files, sorted, with repeats.
    fn ids(out: &Path) -> Vec<String> {
        let mut ids = Vec::new();
        for file in part_files(&out.join(ARTICLES_DIR)) {
            for batch in read(&file) {
                let col = batch
                    .column_by_name("id")
                    .unwrap()
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .unwrap()
                    .clone();
                ids.extend((0..col.len()).map(|i| col.value(i).to_owned()));
            }
        }
        ids.sort();
        ids
    }

    fn writer(out: &Path, run: &str) -> DatasetWriter {
        DatasetWriter::create(out, run, Timestamp::UNIX_EPOCH, WriteSettings::default()).unwrap()
    }

    /// A dataset holding a.md and b.md, undated.
    fn dataset_of_a_and_b() -> tempfile::TempDir {
        let out = tempfile::tempdir().unwrap();
        let mut first = writer(out.path(), "r1");
        first
            .write_articles(&[article("a.md", None), article("b.md", None)], &[STAMP; 2])
            .unwrap();
        first.commit(Base::Rebuild, "fp").unwrap();
        out
    }

    #[test]
    fn a_changed_source_replaces_its_row_and_an_unchanged_one_keeps_it() {
        let out = dataset_of_a_and_b();
        let before = ids(out.path());

        // b.md changed (and moved to a dated partition); a.md is unchanged.
        let mut second = writer(out.path(), "r2");
        let changed = FileStamp { size: 2, ..STAMP };
        second
            .write_articles(&[article("b.md", Some("2021-01-01T00:00:00Z"))], &[changed])
            .unwrap();
        second.keep_unchanged(SourcePath::new("/in", "a.md").key(), None);
        let summary = second
            .commit(Base::Incremental(ledger(out.path())), "fp")
            .unwrap();
        assert_eq!(
            (summary.articles, summary.replaced, summary.sources),
            (1, 1, 2)
        );
        assert_eq!(ids(out.path()), before, "same ids, each once");
        assert_eq!(
            part_files(&out.path().join("articles/year=2021/month=1")).len(),
            1
        );
        let b = SourcePath::new("/in", "b.md").key();
        assert_eq!(ledger(out.path()).get(b).unwrap().stamp, changed);
    }

    #[test]
    fn an_archive_read_again_keeps_only_the_records_it_holds_now() {
        let out = tempfile::tempdir().unwrap();
        let warc = SourcePath::new("/in", "crawl.warc");
        let record = |id: &str| SourcePath::record(&warc, id, Some("html"));
        let mut first = writer(out.path(), "r1");
        let articles: Vec<Article> = ["1", "2", "3"]
            .iter()
            .map(|id| article(record(id).relative(), None))
            .collect();
        first.write_articles(&articles, &[STAMP; 3]).unwrap();
        first.archive_read(
            warc.key(),
            ["1", "2", "3"].map(|id| record(id).key()).to_vec(),
        );
        first.commit(Base::Rebuild, "fp").unwrap();
        let held = ledger(out.path());
        let mut records = held.records_of(warc.key()).to_vec();
        records.sort();
        let mut want = ["1", "2", "3"].map(|id| record(id).key()).to_vec();
        want.sort();
        assert_eq!(records, want);

        // The archive changed: record 3 is gone from it, 2 is read again.
        let mut second = writer(out.path(), "r2");
        second
            .write_articles(&[article(record("2").relative(), None)], &[STAMP])
            .unwrap();
        second.archive_read(warc.key(), vec![record("1").key(), record("2").key()]);
        second.keep_unchanged(record("1").key(), None);
        let summary = second.commit(Base::Incremental(held), "fp").unwrap();
        assert_eq!(
            (summary.replaced, summary.pruned, summary.sources),
            (1, 1, 2)
        );
        let mut want: Vec<String> = ["1", "2"]
            .iter()
            .map(|id| ArticleId::of(&record(id)).to_string())
            .collect();
        want.sort();
        assert_eq!(ids(out.path()), want);
        assert_eq!(ledger(out.path()).records_of(warc.key()).len(), 2);
    }

    #[test]
    fn pruning_removes_rows_of_sources_not_seen() {
        let out = dataset_of_a_and_b();
        let mut second = writer(out.path(), "r2");
        second.prune_deleted(None);
        second.keep_unchanged(SourcePath::new("/in", "a.md").key(), None);
        let summary = second
            .commit(Base::Incremental(ledger(out.path())), "fp")
            .unwrap();
        assert_eq!((summary.pruned, summary.sources), (1, 1));
        assert_eq!(
            ids(out.path()),
            vec![ArticleId::of(&SourcePath::new("/in", "a.md")).to_string()]
        );
    }

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
            published_utc_offset: published_at.map(|_| 480),
            date_source: None,
            fetched_at: None,
            categories: vec!["a".into(), "b".into()],
            tags: vec![],
            lead_image: None,
            images: vec![Image {
                url: "https://img.example/1.jpg".into(),
                alt: Some("one".into()),
                caption: Some("a caption".into()),
            }],
            dropped_images: Default::default(),
            signature: None,
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

    /// Everything is one story: each article's canonical copy is the earliest.
    struct OneStory;

    impl NearDuplicates for OneStory {
        fn signature(&self, _: &str) -> Option<lede_record::Signature> {
            Some(lede_record::Signature([1; lede_record::SIGNATURE_BYTES]))
        }

        fn assign(&self, state: &DedupState) -> Vec<u32> {
            let first = (0..state.len())
                .min_by_key(|&i| (state.published[i], state.keys[i]))
                .map_or(DedupState::CANONICAL, |i| i as u32);
            (0..state.len() as u32)
                .map(|i| {
                    if i == first {
                        DedupState::CANONICAL
                    } else {
                        first
                    }
                })
                .collect()
        }
    }

    #[test]
    fn duplicate_of_is_patched_in_new_and_published_files_and_the_rest_is_unchanged() {
        let out = tempfile::tempdir().unwrap();
        let now: Timestamp = "2026-01-02T03:04:05Z".parse().unwrap();

        let signed = |path: &str, date: &str| Article {
            signature: Some(lede_record::Signature([1; lede_record::SIGNATURE_BYTES])),
            ..article(path, Some(date))
        };
        let mut first =
            DatasetWriter::create(out.path(), "r1", now, WriteSettings::default()).unwrap();
        first.set_near_duplicates(Box::new(OneStory));
        let articles = [
            signed("a.md", "2021-04-02T00:00:00Z"),
            signed("b.md", "2021-04-03T00:00:00Z"),
        ];
        first.write_articles(&articles, &[STAMP; 2]).unwrap();
        assert_eq!(first.commit(Base::Rebuild, "fp").unwrap().duplicates, 1);
        let april = part_files(&out.path().join("articles/year=2021/month=4"));
        let before = read(&april[0]);
        let column = |batches: &[RecordBatch], name: &str| -> Vec<Option<String>> {
            batches
                .iter()
                .flat_map(|b| {
                    let c = b
                        .column_by_name(name)
                        .unwrap()
                        .as_any()
                        .downcast_ref::<StringArray>()
                        .unwrap()
                        .clone();
                    (0..c.len()).map(move |i| c.is_valid(i).then(|| c.value(i).to_owned()))
                })
                .collect()
        };
        let id = |path: &str| {
            Some(ArticleId::of(&lede_record::SourcePath::new("/in", path)).to_string())
        };
        assert_eq!(
            column(&before, columns::DUPLICATE_OF),
            vec![None, id("a.md")]
        );

        // An earlier copy arrives: the published file is patched to point at it.
        let LoadedLedger::Current(ledger) = Ledger::load(out.path(), "fp").unwrap() else {
            panic!("current ledger")
        };
        let mut second =
            DatasetWriter::create(out.path(), "r2", now, WriteSettings::default()).unwrap();
        second.set_near_duplicates(Box::new(OneStory));
        second
            .write_articles(&[signed("early.md", "2021-03-01T00:00:00Z")], &[STAMP])
            .unwrap();
        assert_eq!(
            second
                .commit(Base::Incremental(ledger), "fp")
                .unwrap()
                .duplicates,
            2
        );
        let after = read(&part_files(&out.path().join("articles/year=2021/month=4"))[0]);
        assert_eq!(
            column(&after, columns::DUPLICATE_OF),
            vec![id("early.md"), id("early.md")]
        );
        for name in [
            columns::ID,
            columns::TEXT,
            columns::TITLE,
            columns::SOURCE_PATH,
        ] {
            assert_eq!(column(&after, name), column(&before, name), "{name}");
        }
        assert_eq!(after[0].schema(), before[0].schema());
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
        writer.write_articles(&articles, &[STAMP; 3]).unwrap();
        writer
            .write_rejects(
                &[Reject {
                    source_path: "bad.md".into(),
                    stage: Stage::Parse,
                    error: "broken".into(),
                }],
                &[STAMP],
            )
            .unwrap();
        let summary = writer.commit(Base::Rebuild, "fp").unwrap();
        assert_eq!(
            (
                summary.articles,
                summary.rejects,
                summary.files,
                summary.sources
            ),
            (3, 1, 3, 4)
        );

        let april = part_files(&out.path().join("articles/year=2021/month=4"));
        assert_eq!(april.len(), 1);
        let batches = read(&april[0]);
        let expected = batch::articles(&[&articles[0], &articles[2]], now).unwrap();
        assert_eq!(batches, vec![expected]);

        let undated = out
            .path()
            .join("articles/year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__");
        assert_eq!(read(&part_files(&undated)[0])[0].num_rows(), 1);
        assert_eq!(
            read(&part_files(&out.path().join("rejects"))[0])[0].num_rows(),
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
            writer
                .write_articles(&[article(name, None)], &[STAMP])
                .unwrap();
        }
        writer.commit(Base::Rebuild, "fp").unwrap();
        assert_eq!(part_files(&out.path().join("articles")).len(), 3);
    }

    #[test]
    fn an_open_partition_makes_its_file_at_its_first_row_group() {
        let out = tempfile::tempdir().unwrap();
        let staged = |out: &Path| part_files(&out.join("_staging")).len();
        let mut writer = writer(out.path(), "r1");
        writer
            .write_articles(&[article("a.md", Some("2021-04-01T00:00:00Z"))], &[STAMP])
            .unwrap();
        assert_eq!(staged(out.path()), 0, "rows are only buffered");
        let settings = WriteSettings {
            max_buffered_bytes: 1,
            ..WriteSettings::default()
        };
        let mut tight =
            DatasetWriter::create(out.path(), "r2", Timestamp::UNIX_EPOCH, settings).unwrap();
        tight
            .write_articles(&[article("b.md", Some("2021-04-01T00:00:00Z"))], &[STAMP])
            .unwrap();
        assert_eq!(
            staged(out.path()),
            1,
            "over the budget, a row group is written"
        );
        tight.abort();
        writer.commit(Base::Rebuild, "fp").unwrap();
        assert_eq!(
            ids(out.path()),
            vec![ArticleId::of(&SourcePath::new("/in", "a.md")).to_string()]
        );
    }

    #[test]
    fn an_aborted_run_leaves_the_published_dataset_alone() {
        let out = tempfile::tempdir().unwrap();
        let mut first = writer(out.path(), "r1");
        first
            .write_articles(&[article("a.md", None)], &[STAMP])
            .unwrap();
        first.commit(Base::Rebuild, "fp").unwrap();
        let before = part_files(out.path());
        let mut second = writer(out.path(), "r2");
        second
            .write_articles(&[article("b.md", None)], &[STAMP])
            .unwrap();
        second.abort();
        assert_eq!(part_files(out.path()), before);
        assert!(!out.path().join("_staging/r2").exists());
    }

    /// The reader of the one part file a one-article run publishes.
    fn one_article_part_file() -> ParquetRecordBatchReaderBuilder<File> {
        let out = tempfile::tempdir().unwrap();
        let mut first = writer(out.path(), "r1");
        first
            .write_articles(&[article("a.md", None)], &[STAMP])
            .unwrap();
        first.commit(Base::Rebuild, "fp").unwrap();
        let file = File::open(&part_files(&out.path().join("articles"))[0]).unwrap();
        ParquetRecordBatchReaderBuilder::try_new(file).unwrap()
    }

    #[test]
    fn file_metadata_carries_the_schema_and_lede_versions() {
        let builder = one_article_part_file();
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

    #[test]
    fn closed_set_columns_are_stored_uncompressed_and_the_rest_zstd() {
        let builder = one_article_part_file();
        let row_group = builder.metadata().row_group(0);
        let codec = |name: &str| {
            row_group
                .columns()
                .iter()
                .find(|c| c.column_path().string() == name)
                .map(|c| c.compression())
                .unwrap()
        };
        assert_eq!(codec(columns::LANG), Compression::UNCOMPRESSED);
        assert_eq!(codec(columns::BODY_FORMAT), Compression::UNCOMPRESSED);
        assert!(matches!(codec(columns::TEXT), Compression::ZSTD(_)));
        assert!(matches!(codec(columns::AUTHOR), Compression::ZSTD(_)));
    }
}
