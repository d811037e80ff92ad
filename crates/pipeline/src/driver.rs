//! Wiring the stages: a walker thread, a rayon pool, and the writer on the calling thread,
//! joined by bounded channels.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use jiff::Timestamp;
use lede_archive::Archive;
use lede_record::{Article, DroppedImages, FileStamp, Reject};
use lede_write::{Base, DatasetWriter, Ledger, LoadedLedger, Recovery, WriteSettings};
use rayon::iter::{ParallelBridge, ParallelIterator};

use crate::archive::process_archive;
use crate::process::{Outcome, process_file};
use crate::walk::{self, Discovered, walk};
use crate::{PipelineError, PipelineSettings, Progress, RunReport, lock};

/// How many chunks of walked paths may wait for a worker.
const WALK_QUEUE: usize = 16;
/// How many chunks of finished articles may wait for the writer, per worker thread.
const RESULT_QUEUE_PER_THREAD: usize = 2;
/// At most this many chunks wait for the writer, however many threads there are: what bounds
/// the rows in flight.
const MAX_RESULT_QUEUE: usize = 64;
/// Rejects are small; they are written in batches of this many.
const REJECT_BATCH: usize = 1024;

/// Runs the pipeline once. Every input under `settings.inputs` ends as one article row, one
/// reject row, or (unchanged since the last run) is skipped with its row kept; the run report is
/// saved to `OUT/_runs/`. A failure leaves the previous dataset as it was.
pub fn run(settings: &PipelineSettings, progress: &Progress) -> Result<RunReport, PipelineError> {
    let started = Instant::now();
    // CPU is counted over the run alone, as the wall time is: what the process spent before
    // (in a host such as Python, or on the config) is not the run's.
    let (cpu_before, _) = crate::report::resource_usage();
    let output = &settings.output;
    std::fs::create_dir_all(output).map_err(|source| PipelineError::Output {
        action: "create the output directory",
        path: output.clone(),
        source,
    })?;
    let _lock = lock::acquire(output)?;
    let mut repairs = Vec::new();
    let recovered_commit = match lede_write::recover(output, settings.full)? {
        Recovery::Clean => None,
        Recovery::Finished(run_id) => Some(run_id),
        Recovery::Discarded(reason) => {
            repairs.push(format!(
                "{reason} (given up: this run rebuilds the dataset)"
            ));
            None
        }
    };
    let (roots, input_notes) = walk::plan(&settings.inputs);
    let fingerprint = settings.fingerprint(roots.len() > 1);
    let (base, rebuild_reason) = if settings.full {
        (Base::Rebuild, Some("--full".to_owned()))
    } else {
        match Ledger::load(output, &fingerprint)? {
            LoadedLedger::Current(ledger) => (Base::Incremental(ledger), None),
            LoadedLedger::Missing => (Base::Rebuild, Some("first run".to_owned())),
            LoadedLedger::Outdated(why) => (Base::Rebuild, Some(why.to_string())),
        }
    };
    let started_at = Timestamp::now();
    let run_id = run_id(started_at);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .thread_name(|i| format!("lede-worker-{i}"))
        .build()
        .map_err(|source| PipelineError::Threads {
            threads: settings.threads,
            source,
        })?;
    let mut writer = DatasetWriter::create(
        output,
        &run_id,
        started_at,
        WriteSettings {
            threads: settings.threads,
            ..settings.write.clone()
        },
    )?;
    if settings.prune_deleted {
        writer.prune_deleted(settings.max_prune_share);
    }
    if let Some(threshold) = settings.dedup_threshold {
        writer.set_near_duplicates(Box::new(NearDuplicates(lede_dedup::Dedup::new(threshold))));
    }
    let mut tally = Tally::default();
    let ledger = match &base {
        Base::Incremental(ledger) => Some(ledger),
        Base::Rebuild => None,
    };

    let written = std::thread::scope(|scope| {
        let (walk_tx, walk_rx) = sync_channel::<Vec<Discovered>>(WALK_QUEUE);
        let (result_tx, result_rx) = sync_channel::<Vec<Outcome>>(
            (RESULT_QUEUE_PER_THREAD * settings.threads.max(1)).min(MAX_RESULT_QUEUE),
        );
        let roots = &roots;
        scope.spawn(move || {
            walk(roots, settings, &walk_tx, progress);
        });
        scope.spawn(move || {
            pool.install(|| {
                walk_rx
                    .into_iter()
                    .par_bridge()
                    .for_each_with(result_tx, |tx, chunk| {
                        if progress.cancel.load(Ordering::Relaxed) {
                            return;
                        }
                        let mut outcomes = Vec::with_capacity(chunk.len());
                        for found in chunk {
                            match found {
                                Discovered::File(source) => {
                                    if let Some(archive) = Archive::of_name(source.file_name()) {
                                        process_archive(
                                            &source,
                                            archive,
                                            settings,
                                            ledger,
                                            progress,
                                            &|batch| {
                                                let _ = tx.send(batch);
                                            },
                                        );
                                        continue;
                                    }
                                    let previous = ledger.and_then(|l| l.get(source.key()));
                                    let outcome = process_file(source, settings, previous);
                                    progress
                                        .bytes_read
                                        .fetch_add(outcome.bytes_read(), Ordering::Relaxed);
                                    outcomes.push(outcome);
                                }
                                Discovered::Unwalkable { relative, error } => {
                                    outcomes.push(Outcome::Reject {
                                        reject: Reject {
                                            source_path: relative,
                                            stage: lede_record::Stage::Read,
                                            error,
                                        },
                                        stamp: FileStamp::UNKNOWN,
                                    });
                                }
                            }
                        }
                        let _ = tx.send(outcomes);
                    });
            });
        });
        let result = write_all(
            &mut writer,
            result_rx,
            settings.batch_rows,
            &mut tally,
            progress,
        );
        if result.is_err() {
            progress.cancel.store(true, Ordering::Relaxed);
        }
        result
    });
    if let Err(err) = written {
        writer.abort();
        return Err(err);
    }
    if progress.cancel.load(Ordering::Relaxed) {
        writer.abort();
        return Err(PipelineError::Cancelled);
    }
    let mode = match base {
        Base::Incremental(_) => "incremental",
        Base::Rebuild => "rebuild",
    };
    lede_write::failpoint("before-commit");
    let commit_started = Instant::now();
    let summary = writer.commit(base, &fingerprint)?;
    repairs.extend(summary.repairs);
    let commit_seconds = commit_started.elapsed().as_secs_f64();
    let wall_seconds = started.elapsed().as_secs_f64();
    let (cpu_after, peak_rss) = crate::report::resource_usage();
    let cpu_seconds = cpu_after - cpu_before;
    let discovered = progress.discovered.load(Ordering::Relaxed);
    let bytes_read = progress.bytes_read.load(Ordering::Relaxed);
    let report = RunReport {
        run_id,
        lede_version: env!("CARGO_PKG_VERSION").to_owned(),
        started_at: started_at.to_string(),
        inputs: settings.inputs.iter().map(|i| i.path.clone()).collect(),
        output: output.clone(),
        threads: settings.threads,
        mode,
        rebuild_reason,
        recovered_commit,
        input_notes,
        links_not_followed: progress.links_not_followed.load(Ordering::Relaxed),
        repairs,
        unrestored: summary.unrestored,
        discovered,
        written: summary.articles,
        rejected: summary.rejects,
        skipped: progress.skipped.load(Ordering::Relaxed),
        added: summary.articles + summary.rejects - summary.replaced,
        replaced: summary.replaced,
        pruned: summary.pruned,
        sources: summary.sources,
        duplicates: summary.duplicates,
        rejects_by_stage: tally.rejects_by_stage,
        skipped_records: tally.skipped_records,
        warnings_by_kind: tally.warnings_by_kind,
        images_kept: tally.images_kept,
        images_dropped: tally.images_dropped,
        bytes_read,
        files_written: summary.files,
        bytes_written: summary.bytes,
        files_removed: summary.removed_files,
        wall_seconds,
        commit_seconds,
        cpu_seconds,
        peak_rss_mb: peak_rss as f64 / 1e6,
        articles_per_second: per_second(discovered as f64, wall_seconds),
        mb_per_second: per_second(bytes_read as f64 / 1e6, wall_seconds),
    };
    report.save(output)?;
    Ok(report)
}

/// lede's near-duplicate detection, as the writer's commit uses it.
struct NearDuplicates(lede_dedup::Dedup);

impl lede_write::NearDuplicates for NearDuplicates {
    fn signature(&self, text: &str) -> Option<lede_record::Signature> {
        lede_dedup::signature(text)
    }

    fn assign(&self, state: &lede_record::DedupState) -> Vec<u32> {
        self.0.assign(state)
    }
}

#[derive(Default)]
struct Tally {
    rejects_by_stage: BTreeMap<String, u64>,
    skipped_records: BTreeMap<String, u64>,
    warnings_by_kind: BTreeMap<String, u64>,
    images_kept: u64,
    images_dropped: DroppedImages,
}

/// Batches of one kind of row, flushed to the writer when full.
struct Pending<T> {
    rows: Vec<T>,
    stamps: Vec<FileStamp>,
    limit: usize,
}

impl<T> Pending<T> {
    fn new(limit: usize) -> Pending<T> {
        Pending {
            rows: Vec::with_capacity(limit),
            stamps: Vec::with_capacity(limit),
            limit,
        }
    }

    /// Adds a row; returns true when the batch is full.
    fn push(&mut self, row: T, stamp: FileStamp) -> bool {
        self.rows.push(row);
        self.stamps.push(stamp);
        self.rows.len() >= self.limit
    }

    fn flush(
        &mut self,
        write: impl FnOnce(&[T], &[FileStamp]) -> Result<(), lede_write::WriteError>,
        counter: &std::sync::atomic::AtomicU64,
    ) -> Result<(), PipelineError> {
        if !self.rows.is_empty() {
            write(&self.rows, &self.stamps)?;
            counter.fetch_add(self.rows.len() as u64, Ordering::Relaxed);
            self.rows.clear();
            self.stamps.clear();
        }
        Ok(())
    }
}

/// The writer loop: batches outcomes and hands them to the dataset writer.
fn write_all(
    writer: &mut DatasetWriter,
    results: std::sync::mpsc::Receiver<Vec<Outcome>>,
    batch_rows: usize,
    tally: &mut Tally,
    progress: &Progress,
) -> Result<(), PipelineError> {
    let mut articles: Pending<Article> = Pending::new(batch_rows);
    let mut rejects: Pending<Reject> = Pending::new(REJECT_BATCH);
    for outcome in results.into_iter().flatten() {
        lede_write::failpoint("after-first-result");
        match outcome {
            Outcome::Article { article, stamp } => {
                for warning in &article.warnings {
                    *tally
                        .warnings_by_kind
                        .entry(warning.kind.as_str().to_owned())
                        .or_default() += 1;
                }
                tally.images_kept += article.images.len() as u64;
                tally.images_dropped.add(&article.dropped_images);
                if articles.push(*article, stamp) {
                    articles.flush(|a, s| writer.write_articles(a, s), &progress.written)?;
                }
            }
            Outcome::Reject { reject, stamp } => {
                *tally
                    .rejects_by_stage
                    .entry(reject.stage.as_str().to_owned())
                    .or_default() += 1;
                if rejects.push(reject, stamp) {
                    rejects.flush(|r, s| writer.write_rejects(r, s), &progress.rejected)?;
                }
            }
            Outcome::Unchanged { key, restamp } => {
                writer.keep_unchanged(key, restamp);
                progress.skipped.fetch_add(1, Ordering::Relaxed);
            }
            Outcome::ArchiveRead {
                archive,
                records,
                skipped,
            } => {
                writer.archive_read(archive, records);
                for (reason, count) in skipped {
                    *tally.skipped_records.entry(reason).or_default() += count;
                }
            }
        }
    }
    articles.flush(|a, s| writer.write_articles(a, s), &progress.written)?;
    rejects.flush(|r, s| writer.write_rejects(r, s), &progress.rejected)?;
    Ok(())
}

fn per_second(amount: f64, seconds: f64) -> f64 {
    if seconds > 0.0 { amount / seconds } else { 0.0 }
}

/// The start time to the microsecond: sortable, and unique per output since runs on one
/// output never overlap (the lock).
fn run_id(started_at: Timestamp) -> String {
    started_at.strftime("%Y%m%dT%H%M%S%.6fZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InputRoot;
    use proptest::prelude::*;

    fn settings(input: &std::path::Path, output: &std::path::Path) -> PipelineSettings {
        let mut s = PipelineSettings::new(vec![InputRoot::all(input)], output.to_owned());
        s.threads = 2;
        s.batch_rows = 3;
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        /// Whatever the bytes, every input ends as one article or one reject — and on the next
        /// run, after some files changed, as one article, one reject or one unchanged input.
        #[test]
        fn written_plus_rejected_plus_skipped_is_discovered(files in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..300),
                "(---\n(title|date|tags): [^\n]{0,20}\n){0,3}(---\n)?[a-z<>/ \n]{0,80}".prop_map(String::into_bytes),
            ],
            1..12,
        ), changed in proptest::collection::vec(any::<bool>(), 12)) {
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join("in");
            std::fs::create_dir(&input).unwrap();
            for (i, bytes) in files.iter().enumerate() {
                std::fs::write(input.join(format!("{i}.md")), bytes).unwrap();
            }
            let settings = settings(&input, &dir.path().join("out"));
            let report = run(&settings, &Progress::default()).unwrap();
            prop_assert_eq!(report.discovered, files.len() as u64);
            prop_assert_eq!(report.written + report.rejected, report.discovered);
            prop_assert_eq!(report.skipped, 0);
            prop_assert_eq!(report.rejects_by_stage.values().sum::<u64>(), report.rejected);

            let mut edits = 0;
            for (i, bytes) in files.iter().enumerate() {
                if changed[i] {
                    let mut edited = bytes.clone();
                    edited.extend_from_slice(b"\nedited");
                    std::fs::write(input.join(format!("{i}.md")), edited).unwrap();
                    edits += 1;
                }
            }
            let again = run(&settings, &Progress::default()).unwrap();
            prop_assert_eq!(again.discovered, files.len() as u64);
            prop_assert_eq!(again.skipped, (files.len() - edits) as u64);
            prop_assert_eq!(again.written + again.rejected + again.skipped, again.discovered);
            prop_assert_eq!(again.replaced, edits as u64);
        }
    }

    #[test]
    fn walk_errors_are_rejects_not_losses() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(input.join("sub")).unwrap();
        std::fs::write(input.join("a.md"), "text").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&input, input.join("sub/loop")).unwrap();
        let mut settings = settings(&input, &dir.path().join("out"));
        settings.follow_links = crate::FollowLinks::Always;
        let report = run(&settings, &Progress::default()).unwrap();
        assert_eq!(report.written, 1);
        if cfg!(unix) {
            assert_eq!(report.rejects_by_stage.get("read"), Some(&1), "{report:?}");
        }
        assert_eq!(
            report.discovered,
            report.written + report.rejected + report.skipped
        );
    }
}
