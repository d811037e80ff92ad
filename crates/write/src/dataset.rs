//! The dataset on disk: part files written under `_staging/RUN_ID/`, then published into
//! `articles/` and `rejects/` through the commit journal, so a reader never sees a partial file
//! and never sees an `id` twice.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{Array, BooleanArray, RecordBatch, StringArray};
use jiff::Timestamp;
use lede_record::{Article, ArticleId, DedupState, FileStamp, Reject, source_key};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterPropertiesBuilder};
use parquet::schema::types::ColumnPath;

use crate::journal::{Journal, Step};
use crate::ledger::{LEDGER_PATH, Ledger, Placement, typed_column};
use crate::patch::{Patches, splice_duplicate_of};
use crate::schema::{SCHEMA_VERSION, article_schema, columns, reject_schema};
use crate::signatures::{self, SIGNATURES_PATH};
use crate::{PartitionKey, WriteError, WriteSettings, batch, failpoint};

/// Directory names under the output directory.
pub const ARTICLES_DIR: &str = "articles";
/// See [`ARTICLES_DIR`].
pub const REJECTS_DIR: &str = "rejects";
const STAGING_DIR: &str = "_staging";

struct OpenFile {
    /// Made at the first row group: until then an open partition is only rows in memory, with
    /// no file descriptor, so many partitions can be open at once.
    writer: Option<ArrowWriter<BufWriter<File>>>,
    schema: arrow_schema::SchemaRef,
    /// Rows not handed to `writer` yet (see [`OpenFile::buffer`]).
    pending: Vec<RecordBatch>,
    pending_bytes: usize,
    /// Relative to the output (and to the staging directory).
    name: String,
    /// Its index in `DatasetWriter::names`.
    index: u32,
    /// The writer's batch counter when this file was last written to.
    last_write: u64,
}

impl OpenFile {
    /// Holds a batch until the file's row group is written. Handing batches to the Parquet
    /// writer as they come would keep a column writer per column open for the file's whole life,
    /// each with a zstd compressor and decompressor (~100 KB together): with 32 open files that
    /// was ~90 MB of the peak, more than the rows themselves.
    fn buffer(&mut self, batch: &RecordBatch) {
        self.pending_bytes += batch.get_array_memory_size();
        self.pending.push(batch.clone());
    }

    /// Bytes held in memory for this file: buffered rows and any row group in progress.
    fn buffered_bytes(&self) -> usize {
        self.pending_bytes + self.writer.as_ref().map_or(0, |w| w.in_progress_size())
    }

    /// Bytes in the file and in memory for it: what its size will be, roughly.
    fn size(&self) -> u64 {
        let written = self.writer.as_ref().map_or(0, |w| w.bytes_written());
        (written + self.buffered_bytes()) as u64
    }

    /// Writes the buffered rows as a row group; its column writers are gone afterwards.
    fn write_row_group(
        &mut self,
        staging: &Path,
        settings: &WriteSettings,
    ) -> Result<(), WriteError> {
        let path = staging.join(&self.name);
        let writer = match &mut self.writer {
            Some(writer) => writer,
            None => self
                .writer
                .insert(create_writer(&path, self.schema.clone(), settings)?),
        };
        let parquet = |source| WriteError::Parquet { path, source };
        for batch in self.pending.drain(..) {
            writer.write(&batch).map_err(parquet.clone())?;
        }
        self.pending_bytes = 0;
        writer.flush().map_err(parquet)?;
        release_freed_memory();
        Ok(())
    }
}

/// What a commit published.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CommitSummary {
    /// Article rows written.
    pub articles: u64,
    /// Reject rows written.
    pub rejects: u64,
    /// Of the rows written, those that replaced the row of an earlier version of their source.
    pub replaced: u64,
    /// Rows removed because their source was deleted (with pruning on).
    pub pruned: u64,
    /// Part files published: new ones and rewritten ones.
    pub files: u64,
    /// Bytes of those files.
    pub bytes: u64,
    /// Part files removed (emptied by replacements, or all of them on a full rebuild).
    pub removed_files: u64,
    /// Sources the dataset holds after the commit.
    pub sources: u64,
    /// Articles of the dataset that are near-duplicates of another (`duplicate_of` set).
    pub duplicates: u64,
}

/// How to commit.
#[derive(Debug)]
pub enum Base {
    /// Replace the whole dataset (first run, `--full`, or an outdated ledger).
    Rebuild,
    /// Add to the dataset described by this ledger.
    Incremental(Ledger),
}

/// Writes one run's articles and rejects; nothing is visible to readers until [`commit`](Self::commit).
pub struct DatasetWriter {
    output: PathBuf,
    staging: PathBuf,
    run_id: String,
    ingested_at: Timestamp,
    settings: WriteSettings,
    open: HashMap<PartitionKey, OpenFile>,
    rejects: Option<OpenFile>,
    /// Closed staged files, relative names.
    staged: Vec<String>,
    next_file: u32,
    /// Batches written so far: the clock of least-recently-used closing.
    writes: u64,
    /// Where each source written this run went: key, stamp, relative file name.
    /// Index into `names`: a number per row rather than a string keeps a million rows small.
    placements: Vec<Placement>,
    /// Relative names of the files this run created, indexed by `placements`.
    names: Vec<String>,
    /// New stamps of sources whose size or mtime changed but whose content did not.
    restamps: Vec<(u128, FileStamp)>,
    /// With pruning on: the sources seen unchanged (the others not written are gone).
    seen: Option<HashSet<u128>>,
    /// Signatures of the articles written this run.
    fresh: DedupState,
    /// How the commit clusters near-duplicates; without one every article is canonical.
    clustering: Option<Clustering>,
    summary: CommitSummary,
}

/// Patches `duplicate_of` from each job's source to its target, on every core.
fn splice_all(
    jobs: &[(PathBuf, PathBuf)],
    patches: &Patches,
    settings: &WriteSettings,
) -> Result<(), WriteError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = jobs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = jobs
            .chunks(per_thread)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk.iter().try_for_each(|(source, target)| {
                        splice_duplicate_of(source, target, patches, settings)
                    })
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|worker| worker.join().expect("a patch thread does not panic"))
    })
}

/// A near-duplicate clustering: for each article of the state, the index of its canonical copy
/// or [`DedupState::CANONICAL`] (see `lede_dedup::Dedup::assign`).
pub type Clustering = Box<dyn Fn(&DedupState) -> Vec<u32> + Send>;

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
        let mut settings = settings;
        settings.max_open_files = open_files_within(settings.max_open_files, open_file_limit());
        Ok(DatasetWriter {
            output: output.to_owned(),
            staging,
            run_id: run_id.to_owned(),
            ingested_at,
            settings,
            open: HashMap::new(),
            rejects: None,
            staged: Vec::new(),
            next_file: 0,
            writes: 0,
            placements: Vec::new(),
            names: Vec::new(),
            restamps: Vec::new(),
            seen: None,
            fresh: DedupState::default(),
            clustering: None,
            summary: CommitSummary::default(),
        })
    }

    /// Sets how the commit finds near-duplicates among everything the dataset holds.
    pub fn set_clustering(&mut self, clustering: Clustering) {
        self.clustering = Some(clustering);
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
            let name = self.write_partition(key, &batch)?;
            for i in rows {
                let article = &articles[i];
                let source = source_key(&article.source_path);
                self.placements.push((source, stamps[i], name));
                if let Some(signature) = article.signature {
                    let published = article.published_at.map(|t| t.as_microsecond());
                    self.fresh.push(source, published, signature);
                }
            }
        }
        self.summary.articles += articles.len() as u64;
        self.bound_memory()
    }

    /// Writes reject rows; `stamps[i]` is the stamp of `rejects[i]`'s source.
    pub fn write_rejects(
        &mut self,
        rejects: &[Reject],
        stamps: &[FileStamp],
    ) -> Result<(), WriteError> {
        assert_eq!(rejects.len(), stamps.len(), "one stamp per reject");
        let batch = batch::rejects(rejects, self.ingested_at)?;
        let file = match self.rejects.take() {
            Some(file) => file,
            None => self.open_file(REJECTS_DIR, &batch)?,
        };
        let mut file = file;
        file.buffer(&batch);
        for (reject, stamp) in rejects.iter().zip(stamps) {
            self.placements
                .push((source_key(&reject.source_path), *stamp, file.index));
        }
        self.rejects = Some(file);
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

    /// Makes the commit remove the rows of sources neither written nor kept unchanged in this
    /// run (their files are gone). Call before writing.
    pub fn prune_deleted(&mut self) {
        self.seen.get_or_insert_with(HashSet::new);
    }

    fn write_partition(
        &mut self,
        key: PartitionKey,
        batch: &RecordBatch,
    ) -> Result<u32, WriteError> {
        let file = match self.open.remove(&key) {
            Some(file) => file,
            None => {
                if self.open.len() >= self.settings.max_open_files {
                    self.close_least_recent()?;
                }
                self.open_file(&format!("{ARTICLES_DIR}/{key}"), batch)?
            }
        };
        let mut file = file;
        file.buffer(batch);
        self.writes += 1;
        file.last_write = self.writes;
        let name = file.index;
        if file.size() >= self.settings.max_file_bytes {
            self.close(file)?;
        } else {
            self.open.insert(key, file);
        }
        Ok(name)
    }

    /// Keeps the row groups buffered across all open files under the configured budget.
    fn bound_memory(&mut self) -> Result<(), WriteError> {
        loop {
            let buffered: usize = self.open.values().map(OpenFile::buffered_bytes).sum();
            if buffered <= self.settings.max_buffered_bytes {
                return Ok(());
            }
            let Some(file) = self.open.values_mut().max_by_key(|f| f.buffered_bytes()) else {
                return Ok(());
            };
            file.write_row_group(&self.staging, &self.settings)?;
        }
    }

    /// Closes the file written to least recently: archives arrive feed by feed, roughly in
    /// time order, so the partitions not written to for longest are the ones done with.
    fn close_least_recent(&mut self) -> Result<(), WriteError> {
        let least_recent = self
            .open
            .iter()
            .min_by_key(|(_, f)| f.last_write)
            .map(|(k, _)| *k);
        if let Some(file) = least_recent.and_then(|k| self.open.remove(&k)) {
            self.close(file)?;
        }
        Ok(())
    }

    fn open_file(&mut self, dir: &str, batch: &RecordBatch) -> Result<OpenFile, WriteError> {
        self.next_file += 1;
        let name = format!("{dir}/part-{}-{:05}.parquet", self.run_id, self.next_file);
        let index =
            u32::try_from(self.names.len()).expect("fewer than 4 billion part files per run");
        self.names.push(name.clone());
        Ok(OpenFile {
            writer: None,
            schema: batch.schema(),
            pending: Vec::new(),
            pending_bytes: 0,
            name,
            index,
            last_write: 0,
        })
    }

    fn close(&mut self, mut file: OpenFile) -> Result<(), WriteError> {
        file.write_row_group(&self.staging, &self.settings)?;
        let writer = file.writer.take().expect("a row group was written");
        finish_writer(writer, &self.staging.join(&file.name))?;
        self.staged.push(file.name);
        Ok(())
    }

    /// Publishes the run. Rows of sources written again and (after [`prune_deleted`](Self::prune_deleted)) of sources
    /// no longer found are removed from the files that hold them, by rewriting those files;
    /// then the commit journal is written and applied: rewritten files replace their originals,
    /// emptied files go, new files arrive, and the ledger is replaced. A crash at any point
    /// leaves either the previous dataset or, once the journal exists, one the next run
    /// completes.
    pub fn commit(self, base: Base, fingerprint: &str) -> Result<CommitSummary, WriteError> {
        let output = self.output.clone();
        let staged_ledger = self.staged_ledger();
        let staged_signatures = self.staged_signatures();
        self.try_commit(base, fingerprint).inspect_err(|_| {
            // Before the journal exists nothing is published: clear this run's files. After, they
            // are what the next run rolls forward with, so they stay.
            if !output.join(crate::journal::JOURNAL_PATH).exists() {
                let _ = fs::remove_file(output.join(&staged_ledger));
                let _ = fs::remove_file(output.join(&staged_signatures));
                remove_staging(&output);
            }
        })
    }

    fn staged_ledger(&self) -> String {
        format!("{LEDGER_PATH}.{}", self.run_id)
    }

    fn staged_signatures(&self) -> String {
        format!("{SIGNATURES_PATH}.{}", self.run_id)
    }

    /// Brings the dataset's near-duplicate state up to date (rows `removed` go, this run's
    /// articles come in), clusters it, and returns the `duplicate_of` values that change.
    fn cluster(
        &mut self,
        state: &mut DedupState,
        removed: &HashMap<String, HashSet<u128>>,
    ) -> Patches {
        if !state.is_empty() && !removed.is_empty() {
            let removed: HashSet<u128> = removed.values().flatten().copied().collect();
            state.remove_where(|key| removed.contains(&key));
        }
        state.append(std::mem::take(&mut self.fresh));
        let assigned = match &self.clustering {
            Some(clustering) => clustering(state),
            None => vec![DedupState::CANONICAL; state.len()],
        };
        let mut patches = Vec::new();
        for (i, (&now, &before)) in assigned.iter().zip(&state.duplicate_of).enumerate() {
            if now != before {
                let canonical = (now != DedupState::CANONICAL).then(|| state.keys[now as usize]);
                patches.push((state.keys[i], canonical));
            }
        }
        let patches = Patches::new(patches);
        state.duplicate_of = assigned;
        patches
    }

    fn try_commit(mut self, base: Base, fingerprint: &str) -> Result<CommitSummary, WriteError> {
        let rebuild = matches!(base, Base::Rebuild);
        let mut ledger = match base {
            Base::Rebuild => Ledger::default(),
            Base::Incremental(ledger) => ledger,
        };
        let has_rejects_file = !part_files(&self.output.join(REJECTS_DIR)).is_empty();
        if !rebuild
            && self.placements.is_empty()
            && self.restamps.is_empty()
            && self.seen.is_none()
            && has_rejects_file
        {
            // Nothing changed: the dataset and the ledger stay exactly as they are.
            self.summary.sources = ledger.len() as u64;
            drop(self.open);
            remove_staging(&self.output);
            return Ok(self.summary);
        }
        if self.rejects.is_none() && (rebuild || !has_rejects_file) {
            // An empty rejects file keeps `read_parquet('OUT/rejects/*.parquet')` working.
            self.write_rejects(&[], &[])?;
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

        let mut seen = self.seen.take();
        if let Some(seen) = seen.as_mut() {
            seen.extend(self.placements.iter().map(|(key, _, _)| *key));
        }
        let replaced = ledger.merge(std::mem::take(&mut self.placements), &self.names);
        self.summary.replaced += replaced.len() as u64;
        for (key, stamp) in std::mem::take(&mut self.restamps) {
            ledger.restamp(key, stamp);
        }
        let gone = seen.map_or_else(Vec::new, |seen| {
            ledger.remove_unless(|key| seen.contains(&key))
        });
        self.summary.pruned += gone.len() as u64;
        // The files that held rows replaced or gone are rewritten without them.
        let mut stale: HashMap<String, HashSet<u128>> = HashMap::new();
        for (key, entry) in replaced.into_iter().chain(gone) {
            stale
                .entry(ledger.file(&entry).to_owned())
                .or_default()
                .insert(key);
        }

        // Read only now: a run that changes nothing never needs the signatures.
        let mut dedup = if rebuild {
            DedupState::default()
        } else {
            signatures::load(&self.output)?
        };
        let patches = self.cluster(&mut dedup, &stale);
        let mut patched_new: BTreeSet<String> = BTreeSet::new();
        let new_files: HashSet<&str> = self.staged.iter().map(String::as_str).collect();
        for key in patches.keys() {
            let Some(entry) = ledger.get(key) else {
                continue;
            };
            let file = ledger.file(entry);
            if new_files.contains(file) {
                patched_new.insert(file.to_owned());
            } else {
                stale.entry(file.to_owned()).or_default();
            }
        }
        self.summary.duplicates = dedup
            .duplicate_of
            .iter()
            .filter(|&&c| c != DedupState::CANONICAL)
            .count() as u64;

        let mut steps = Vec::new();
        if rebuild {
            for dir in [ARTICLES_DIR, REJECTS_DIR] {
                for path in part_files(&self.output.join(dir)) {
                    steps.push(Step::Delete {
                        path: self.relative(&path),
                    });
                }
            }
        }
        let mut stale: Vec<(String, HashSet<u128>)> = stale.into_iter().collect();
        stale.sort_by(|a, b| a.0.cmp(&b.0));
        // Where only `duplicate_of` changes, the file is patched by copying the rest: this run's
        // staged files in place, published ones into staging. All at once, on every core.
        let mut splices: Vec<(PathBuf, PathBuf)> = patched_new
            .iter()
            .map(|file| {
                let staged = self.staging.join(file);
                (staged.clone(), self.staging.join(format!("{file}.patched")))
            })
            .collect();
        for (file, _) in stale.iter().filter(|(_, keys)| keys.is_empty()) {
            let target = self.staging.join(file);
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir)
                    .map_err(|err| WriteError::io("create a partition directory", dir, err))?;
            }
            splices.push((self.output.join(file), target));
        }
        splice_all(&splices, &patches, &self.settings)?;
        for (staged, patched) in &splices[..patched_new.len()] {
            fs::rename(patched, staged)
                .map_err(|err| WriteError::io("replace a patched part file", staged, err))?;
        }
        for (file, keys) in stale {
            let emptied = !keys.is_empty()
                && self.rewrite(
                    &self.output.join(&file),
                    &self.staging.join(&file),
                    &keys,
                    &patches,
                )? == 0;
            steps.push(if emptied {
                Step::Delete { path: file }
            } else {
                Step::Move {
                    from: self.staged_name(&file),
                    to: file,
                }
            });
        }
        self.summary.removed_files = steps
            .iter()
            .filter(|s| matches!(s, Step::Delete { .. }))
            .count() as u64;
        for name in &self.staged {
            steps.push(Step::Move {
                from: self.staged_name(name),
                to: name.clone(),
            });
        }
        self.summary.files = steps
            .iter()
            .filter(|s| matches!(s, Step::Move { .. }))
            .count() as u64;
        let staged_ledger = self.staged_ledger();
        ledger.save(&self.output.join(&staged_ledger), fingerprint)?;
        let staged_signatures = self.staged_signatures();
        signatures::save(&dedup, &self.output.join(&staged_signatures))?;
        steps.push(Step::Move {
            from: staged_signatures,
            to: SIGNATURES_PATH.to_owned(),
        });
        steps.push(Step::Move {
            from: staged_ledger,
            to: LEDGER_PATH.to_owned(),
        });
        self.summary.sources = ledger.len() as u64;

        sync_filesystem(&self.staging)?;
        failpoint("before-journal");
        let journal = Journal {
            run_id: self.run_id.clone(),
            steps,
        };
        journal.persist(&self.output)?;
        failpoint("after-journal");
        journal.apply(&self.output)?;
        failpoint("after-apply");
        for step in &journal.steps {
            if let Step::Move { to, .. } = step
                && to.ends_with(".parquet")
                && to != LEDGER_PATH
                && to != SIGNATURES_PATH
            {
                self.summary.bytes += fs::metadata(self.output.join(to))
                    .map(|m| m.len())
                    .unwrap_or(0);
            }
        }
        Journal::remove(&self.output)?;
        remove_staging(&self.output);
        Ok(self.summary)
    }

    fn staged_name(&self, name: &str) -> String {
        format!("{STAGING_DIR}/{}/{name}", self.run_id)
    }

    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.output)
            .expect("published files live under the output")
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Writes the part file `source` to `target` without the rows of the sources in `drop`,
    /// and with `duplicate_of` set as `patches` says for theirs; returns how many rows it kept.
    fn rewrite(
        &self,
        source: &Path,
        target: &Path,
        drop: &HashSet<u128>,
        patches: &Patches,
    ) -> Result<usize, WriteError> {
        let parquet = |source_path: &Path| {
            let path = source_path.to_owned();
            move |source| WriteError::Parquet { path, source }
        };
        let reader = File::open(source)
            .map_err(|err| WriteError::io("open a part file to rewrite", source, err))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(reader).map_err(parquet(source))?;
        let schema = reader.schema().clone();
        let duplicate_column = schema.index_of(columns::DUPLICATE_OF).ok();
        let mut writer = create_writer(target, schema, &self.settings)?;
        let mut kept = 0;
        for batch in reader.build().map_err(parquet(source))? {
            let mut batch = batch.map_err(|e| parquet(source)(e.into()))?;
            let paths = typed_column::<StringArray>(&batch, columns::SOURCE_PATH, source)?;
            let keys: Vec<u128> = (0..paths.len())
                .map(|i| source_key(paths.value(i)))
                .collect();
            if let Some(column) = duplicate_column
                && keys.iter().any(|key| patches.get(*key).is_some())
            {
                let current = typed_column::<StringArray>(&batch, columns::DUPLICATE_OF, source)?;
                let patched: StringArray = keys
                    .iter()
                    .enumerate()
                    .map(|(i, key)| match patches.get(*key) {
                        Some(canonical) => canonical.map(|c| ArticleId::from_key(c).to_string()),
                        None => current.is_valid(i).then(|| current.value(i).to_owned()),
                    })
                    .collect();
                let mut columns = batch.columns().to_vec();
                columns[column] = Arc::new(patched);
                batch = RecordBatch::try_new(batch.schema(), columns)?;
            }
            let keep: BooleanArray = keys.iter().map(|key| Some(!drop.contains(key))).collect();
            let filtered = arrow_select::filter::filter_record_batch(&batch, &keep)?;
            kept += filtered.num_rows();
            writer.write(&filtered).map_err(parquet(target))?;
        }
        finish_writer(writer, target)?;
        Ok(kept)
    }

    /// Gives up the run: staged files are removed and the published dataset is left as it was.
    pub fn abort(self) {
        drop(self.open);
        drop(self.rejects);
        let _ = fs::remove_dir_all(&self.staging);
        let _ = fs::remove_dir(self.output.join(STAGING_DIR)); // only when no other run's is left
    }
}

/// Finishes a commit a crashed run left half-applied (its journal exists), and clears staging
/// files of runs that died before committing. Returns the id of the run whose commit was
/// completed, if any. Call with the output lock held.
pub fn recover(output: &Path) -> Result<Option<String>, WriteError> {
    let finished = match Journal::load(output)? {
        Some(journal) => {
            journal.apply(output)?;
            Journal::remove(output)?;
            Some(journal.run_id)
        }
        None => None,
    };
    remove_staging(output);
    if let Ok(entries) = fs::read_dir(output.join("_state")) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("ledger.parquet.") || name == "journal.json.tmp" {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    Ok(finished)
}

fn remove_staging(output: &Path) {
    let _ = fs::remove_dir_all(output.join(STAGING_DIR));
}

fn create_writer(
    path: &Path,
    schema: arrow_schema::SchemaRef,
    settings: &WriteSettings,
) -> Result<ArrowWriter<BufWriter<File>>, WriteError> {
    let dir = path.parent().expect("a part file has a directory");
    fs::create_dir_all(dir)
        .map_err(|source| WriteError::io("create a partition directory", dir, source))?;
    let file =
        File::create(path).map_err(|source| WriteError::io("create a part file", path, source))?;
    ArrowWriter::try_new(BufWriter::new(file), schema, Some(properties(settings))).map_err(
        |source| WriteError::Parquet {
            path: path.to_owned(),
            source,
        },
    )
}

fn finish_writer(writer: ArrowWriter<BufWriter<File>>, path: &Path) -> Result<(), WriteError> {
    let inner = writer.into_inner().map_err(|source| WriteError::Parquet {
        path: path.to_owned(),
        source,
    })?;
    // Not synced here: one `syncfs` before the journal makes every staged file durable at once,
    // instead of an fsync per file that would stall the writer (and so the workers) each time.
    inner
        .into_inner()
        .map(drop)
        .map_err(|e| WriteError::io("flush a part file", path, e.into_error()))
}

/// File descriptors kept for everything but part files: inputs being read, the ledger, the lock,
/// standard streams.
const SPARE_DESCRIPTORS: usize = 64;

/// `wanted` open part files, lowered so that they fit in `limit` descriptors with some to spare:
/// a cron job's `ulimit -n` can be smaller than `output.max_open_files`, and running out of
/// descriptors halfway would fail the run.
fn open_files_within(wanted: usize, limit: Option<u64>) -> usize {
    let Some(limit) = limit else {
        return wanted;
    };
    let available = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_sub(SPARE_DESCRIPTORS);
    wanted.min(available).max(1)
}

/// The process's soft limit on open files, if it has one.
fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes the limit into the struct it is given, which lives for the call.
    let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    (known && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

/// Gives the memory just freed back to the system. A row group frees many megabytes that the
/// workers allocated, scattered over glibc's per-thread arenas, which keep it; trimming after
/// each one took peak RSS from ~177 to ~148 MB on the bulk tree and from 475 to 375 MB on a
/// million files, at no measurable cost.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only walks and releases glibc's own free lists; any thread may call it.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Makes everything written on the file system holding `dir` durable (Linux `syncfs`).
fn sync_filesystem(dir: &Path) -> Result<(), WriteError> {
    use std::os::fd::AsRawFd;
    let handle =
        File::open(dir).map_err(|source| WriteError::io("open for syncing", dir, source))?;
    // SAFETY: `syncfs` takes a file descriptor, which `handle` keeps open for the call.
    if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
        return Err(WriteError::io(
            "sync the file system of",
            dir,
            std::io::Error::last_os_error(),
        ));
    }
    Ok(())
}

fn properties(settings: &WriteSettings) -> WriterProperties {
    properties_builder(settings).build()
}

/// The encodings of every part file (see `properties`), open for more settings.
pub(crate) fn properties_builder(settings: &WriteSettings) -> WriterPropertiesBuilder {
    let column = |name: &str| ColumnPath::from(name);
    let mut builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(settings.zstd_level))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_max_row_group_row_count(Some(settings.max_row_group_rows))
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
    use crate::LoadedLedger;
    use lede_record::{
        ArticleId, BodyFormat, FrontMatterFormat, Image, Link, SourcePath, Stage, Warning,
        WarningKind,
    };
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

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
            part_files(&out.path().join("articles/year=2021/month=01")).len(),
            1
        );
        let b = SourcePath::new("/in", "b.md").key();
        assert_eq!(ledger(out.path()).get(b).unwrap().stamp, changed);
    }

    #[test]
    fn pruning_removes_rows_of_sources_not_seen() {
        let out = dataset_of_a_and_b();
        let mut second = writer(out.path(), "r2");
        second.prune_deleted();
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
            date_source: None,
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

    #[test]
    fn duplicate_of_is_patched_in_new_and_published_files_and_the_rest_is_unchanged() {
        let out = tempfile::tempdir().unwrap();
        let now: Timestamp = "2026-01-02T03:04:05Z".parse().unwrap();
        // Everything is one story: each article's canonical copy is the earliest.
        let earliest_first = |state: &DedupState| {
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
                .collect::<Vec<u32>>()
        };
        let signed = |path: &str, date: &str| Article {
            signature: Some(lede_record::Signature([1; lede_record::SIGNATURE_BYTES])),
            ..article(path, Some(date))
        };
        let mut first =
            DatasetWriter::create(out.path(), "r1", now, WriteSettings::default()).unwrap();
        first.set_clustering(Box::new(earliest_first));
        let articles = [
            signed("a.md", "2021-04-02T00:00:00Z"),
            signed("b.md", "2021-04-03T00:00:00Z"),
        ];
        first.write_articles(&articles, &[STAMP; 2]).unwrap();
        assert_eq!(first.commit(Base::Rebuild, "fp").unwrap().duplicates, 1);
        let april = part_files(&out.path().join("articles/year=2021/month=04"));
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
        second.set_clustering(Box::new(earliest_first));
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
        let after = read(&part_files(&out.path().join("articles/year=2021/month=04"))[0]);
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

        let april = part_files(&out.path().join("articles/year=2021/month=04"));
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
    fn open_files_fit_in_the_descriptor_limit() {
        assert_eq!(open_files_within(256, Some(1024)), 256);
        assert_eq!(open_files_within(256, Some(256)), 256 - SPARE_DESCRIPTORS);
        assert_eq!(open_files_within(256, Some(10)), 1);
        assert_eq!(open_files_within(256, None), 256);
        assert!(open_file_limit().is_none_or(|limit| limit > 0));
    }

    #[test]
    fn an_open_partition_makes_its_file_at_its_first_row_group() {
        let out = tempfile::tempdir().unwrap();
        let staged = |out: &Path| part_files(&out.join(STAGING_DIR)).len();
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
