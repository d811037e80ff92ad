//! The open part files of a run: one per partition being filled, plus the rejects file. Rows are
//! buffered per file and written a row group at a time; the buffered bytes across all files are
//! kept under `output.max_buffered_mb`, and the files open at once under `output.max_open_files`
//! (and the process's descriptor limit).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;

use super::{ARTICLES_DIR, REJECTS_DIR, create_writer, finish_writer, new_part_name};
use crate::cores;
use crate::sys::{open_file_limit, open_files_within, release_freed_memory};
use crate::{PartitionKey, WriteError, WriteSettings};

/// A part file being filled.
struct OpenFile {
    /// Made at the first row group: until then an open partition is only rows in memory, with
    /// no file descriptor, so many partitions can be open at once.
    writer: Option<ArrowWriter<BufWriter<File>>>,
    schema: arrow_schema::SchemaRef,
    /// Rows not handed to `writer` yet (see [`OpenFile::buffer`]).
    pending: Vec<RecordBatch>,
    pending_bytes: usize,
    /// Its index in [`PartPool::names`].
    index: u32,
    /// The pool's batch counter when this file was last written to.
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
}

/// The part files of one run, staged under its staging directory.
pub(crate) struct PartPool {
    staging: PathBuf,
    run_id: String,
    settings: WriteSettings,
    open: HashMap<PartitionKey, OpenFile>,
    rejects: Option<OpenFile>,
    /// Relative names of every file this run made, in the order made; rows name their file by
    /// its index here (a number per row rather than a string keeps a million rows small).
    names: Vec<String>,
    /// Batches written so far: the clock of least-recently-used closing.
    writes: u64,
}

impl PartPool {
    pub(crate) fn new(staging: PathBuf, run_id: &str, settings: WriteSettings) -> PartPool {
        let mut settings = settings;
        settings.max_open_files = open_files_within(settings.max_open_files, open_file_limit());
        PartPool {
            staging,
            run_id: run_id.to_owned(),
            settings,
            open: HashMap::new(),
            rejects: None,
            names: Vec::new(),
            writes: 0,
        }
    }

    pub(crate) fn settings(&self) -> &WriteSettings {
        &self.settings
    }

    /// Relative names of the files this run made, indexed as [`write_articles`](Self::write_articles)
    /// and [`write_rejects`](Self::write_rejects) return them.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// Adds a batch of articles of partition `key`; returns the index of the file it went to.
    pub(crate) fn write_articles(
        &mut self,
        key: PartitionKey,
        batch: &RecordBatch,
    ) -> Result<u32, WriteError> {
        let mut file = match self.open.remove(&key) {
            Some(file) => file,
            None => {
                if self.open.len() >= self.settings.max_open_files {
                    self.close_least_recent()?;
                }
                self.new_file(&format!("{ARTICLES_DIR}/{key}"), batch)
            }
        };
        file.buffer(batch);
        self.writes += 1;
        file.last_write = self.writes;
        let index = file.index;
        if file.size() >= self.settings.max_file_bytes {
            self.close(file)?;
        } else {
            self.open.insert(key, file);
        }
        Ok(index)
    }

    /// Adds a batch of rejects; returns the index of the rejects file.
    pub(crate) fn write_rejects(&mut self, batch: &RecordBatch) -> u32 {
        let mut file = match self.rejects.take() {
            Some(file) => file,
            None => self.new_file(REJECTS_DIR, batch),
        };
        file.buffer(batch);
        let index = file.index;
        self.rejects = Some(file);
        index
    }

    /// Keeps the row groups buffered across all open files under the configured budget.
    pub(crate) fn bound_memory(&mut self) -> Result<(), WriteError> {
        loop {
            let buffered: usize = self.open.values().map(OpenFile::buffered_bytes).sum();
            if buffered <= self.settings.max_buffered_bytes {
                return Ok(());
            }
            let Some(file) = self.open.values_mut().max_by_key(|f| f.buffered_bytes()) else {
                return Ok(());
            };
            write_row_group(file, &self.names, &self.staging, &self.settings)?;
            release_freed_memory();
        }
    }

    /// Closes every open file, on every core: at the commit most partitions are still rows in
    /// memory (a month's articles rarely fill a file), and encoding them is the commit's
    /// largest step. The largest go first, so no thread is left with one at the end.
    pub(crate) fn close_all(&mut self) -> Result<(), WriteError> {
        let mut open: Vec<OpenFile> = self
            .open
            .drain()
            .map(|(_, f)| f)
            .chain(self.rejects.take())
            .collect();
        open.sort_by_key(|file| (std::cmp::Reverse(file.buffered_bytes()), file.index));
        let (names, staging, settings) = (&self.names, &self.staging, &self.settings);
        cores::map(open, settings.threads, |file| {
            close(file, names, staging, settings)
        })?;
        // Once, not after each file: the commit closes hundreds of small files (332 on the
        // bulk tree, median 6 rows), and a trim after each walked every arena and unmapped
        // pages the next file faulted in again, for memory the next file reused anyway.
        release_freed_memory();
        Ok(())
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

    fn new_file(&mut self, dir: &str, batch: &RecordBatch) -> OpenFile {
        let index =
            u32::try_from(self.names.len()).expect("fewer than 4 billion part files per run");
        self.names.push(new_part_name(dir, &self.run_id, index + 1));
        OpenFile {
            writer: None,
            schema: batch.schema(),
            pending: Vec::new(),
            pending_bytes: 0,
            index,
            last_write: 0,
        }
    }

    fn close(&mut self, file: OpenFile) -> Result<(), WriteError> {
        close(file, &self.names, &self.staging, &self.settings)?;
        release_freed_memory();
        Ok(())
    }
}

/// Writes a file's last row group and its footer.
fn close(
    mut file: OpenFile,
    names: &[String],
    staging: &std::path::Path,
    settings: &WriteSettings,
) -> Result<(), WriteError> {
    write_row_group(&mut file, names, staging, settings)?;
    let writer = file.writer.take().expect("a row group was written");
    finish_writer(writer, &staging.join(&names[file.index as usize]))
}

/// Writes a file's buffered rows as a row group; its column writers are gone afterwards.
fn write_row_group(
    file: &mut OpenFile,
    names: &[String],
    staging: &std::path::Path,
    settings: &WriteSettings,
) -> Result<(), WriteError> {
    let path = staging.join(&names[file.index as usize]);
    let writer = match &mut file.writer {
        Some(writer) => writer,
        None => file
            .writer
            .insert(create_writer(&path, file.schema.clone(), settings)?),
    };
    for batch in file.pending.drain(..) {
        writer
            .write(&batch)
            .map_err(|source| WriteError::parquet_write(&path, source))?;
    }
    file.pending_bytes = 0;
    writer
        .flush()
        .map_err(|source| WriteError::parquet_write(&path, source))?;
    Ok(())
}
