//! One archive (a WARC, a JSON Lines file) through the stages: read once, in order, its records cleaned in
//! parallel batches. The archive is the unit of change: unchanged, every record it held is
//! kept without opening it; changed, all its records are read again and replace its old rows.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use lede_archive::{Archive, Bad, Item, Record};
use lede_record::{Fetch, FileStamp, RawFile, Reject, SourcePath, Stage};
use lede_write::Ledger;

use crate::process::{Outcome, examine, open_regular, process_raw};
use crate::{PipelineSettings, Progress};

/// Records are cleaned in batches of at most this many…
const BATCH_RECORDS: usize = 16;
/// …or this many bytes of payload…
const BATCH_BYTES: usize = 4 << 20;
/// …with at most this many batches per worker thread read and not yet cleaned: what bounds an
/// archive's records in memory while the reading goes on beside the cleaning.
const BATCHES_IN_FLIGHT_PER_THREAD: usize = 4;

/// Reads the archive `source` as `archive`, handing its outcomes to `send` in batches: one per
/// record (an article, a reject, or — the archive unchanged — a record kept), then
/// [`Outcome::ArchiveRead`]. The walk counted the archive as one input; `progress` is told
/// how many it held.
pub(crate) fn process_archive(
    source: &SourcePath,
    archive: Archive,
    settings: &PipelineSettings,
    ledger: Option<&Ledger>,
    progress: &Progress,
    send: &(dyn Fn(Vec<Outcome>) + Sync),
) {
    let key = source.key();
    let held = ledger.map_or(&[][..], |ledger| ledger.records_of(key));
    let previous = held
        .first()
        .and_then(|record| ledger.and_then(|l| l.get(*record)))
        .map(|entry| entry.stamp);
    let inputs = |records: usize| {
        // The walk counted the archive as one input; it is as many as it held.
        progress
            .discovered
            .fetch_add(records as u64, Ordering::Relaxed);
        progress.discovered.fetch_sub(1, Ordering::Relaxed);
    };
    let (size, modified_ns) = match examine(source, settings) {
        Ok(examined) => examined,
        Err(unreadable) => {
            inputs(1);
            return send(vec![unreadable.into_reject(source)]);
        }
    };
    let unchanged = |restamp: Option<FileStamp>| {
        held.iter()
            .map(|&key| Outcome::Unchanged { key, restamp })
            .collect::<Vec<_>>()
    };
    if previous.is_some_and(|p| p.same_metadata(size, modified_ns)) {
        inputs(held.len());
        return send(unchanged(None));
    }
    // The content hash first, in a pass of its own: a touched archive whose bytes did not
    // change is not cleaned again, and every record carries the archive's stamp.
    let content_hash = match open_regular(source, settings).and_then(hash) {
        Ok(hash) => hash,
        Err(unreadable) => {
            inputs(1);
            return send(vec![unreadable.into_reject(source)]);
        }
    };
    progress.bytes_read.fetch_add(size, Ordering::Relaxed);
    let stamp = FileStamp {
        size,
        modified_ns,
        content_hash,
    };
    if previous.is_some_and(|p| p != FileStamp::UNKNOWN && p.content_hash == content_hash) {
        inputs(held.len());
        return send(unchanged(Some(stamp)));
    }
    let file = match open_regular(source, settings) {
        Ok(file) => file,
        Err(unreadable) => {
            inputs(1);
            return send(vec![unreadable.into_reject(source)]);
        }
    };
    let items = archive.items(Box::new(file), settings.max_file_bytes, &settings.jsonl);
    let Some((records, skipped)) = clean_records(source, items, stamp, settings, progress, send)
    else {
        return;
    };
    inputs(records.len());
    send(vec![Outcome::ArchiveRead {
        archive: key,
        records,
        skipped,
    }]);
}

/// The articles and rejects of the archive `source` whose bytes were read elsewhere (by a
/// distributed engine's binary-file reader): what `lede run` makes of its records, in order.
/// Its skipped records are not outcomes; no size limit holds for the archive, only for each
/// record.
pub fn process_archive_bytes(
    source: &SourcePath,
    archive: Archive,
    bytes: Vec<u8>,
    settings: &PipelineSettings,
) -> Vec<Outcome> {
    let stamp = FileStamp {
        size: bytes.len() as u64,
        modified_ns: 0,
        content_hash: xxhash_rust::xxh3::xxh3_64(&bytes),
    };
    let items = archive.items(
        Box::new(std::io::Cursor::new(bytes)),
        settings.max_file_bytes,
        &settings.jsonl,
    );
    collected(|send| {
        clean_records(source, items, stamp, settings, &Progress::default(), send);
    })
}

/// The outcomes of the records of one archive that `read` hands to its `send`, gathered for
/// callers that return them whole: its [`Outcome::ArchiveRead`] left out, and the records
/// (cleaned in parallel, so in any order) in one fixed order — by line number, else by record
/// identity.
pub(crate) fn collected(read: impl FnOnce(&(dyn Fn(Vec<Outcome>) + Sync))) -> Vec<Outcome> {
    let gathered = Mutex::new(Vec::new());
    read(&|batch| {
        gathered
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(batch);
    });
    let mut outcomes = gathered.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.retain(|outcome| !matches!(outcome, Outcome::ArchiveRead { .. }));
    outcomes.sort_by_cached_key(|outcome| match outcome {
        Outcome::Article { article, .. } => record_number(&article.source_path),
        Outcome::Reject { reject, .. } => record_number(&reject.source_path),
        _ => (u64::MAX, String::new()),
    });
    outcomes
}

/// A sort key that puts records numbered by line (`items.jsonl#10`) in number order and the
/// rest by identity.
fn record_number(source_path: &str) -> (u64, String) {
    let id = source_path
        .rsplit_once('#')
        .map_or(source_path, |(_, id)| id);
    (id.parse().unwrap_or(u64::MAX), id.to_owned())
}

/// Cleans the records `items` of the archive `source`, stamped `stamp`, in parallel batches
/// handed to `send`; the keys of its records and its skipped records by why, or `None` when
/// the run was cancelled.
fn clean_records(
    source: &SourcePath,
    items: Box<dyn Iterator<Item = Item> + Send>,
    stamp: FileStamp,
    settings: &PipelineSettings,
    progress: &Progress,
    send: &(dyn Fn(Vec<Outcome>) + Sync),
) -> Option<(Vec<u128>, BTreeMap<String, u64>)> {
    let mut records = Vec::new();
    let mut skipped: BTreeMap<String, u64> = BTreeMap::new();
    let mut batch = Vec::new();
    let mut batch_bytes = 0;
    let in_flight = AtomicUsize::new(0);
    let most_in_flight = BATCHES_IN_FLIGHT_PER_THREAD * rayon::current_num_threads();
    let clean = |batch: Vec<(SourcePath, Result<Record, Bad>)>| {
        send(
            batch
                .into_iter()
                .map(|(record, found)| outcome(record, found, stamp, settings))
                .collect(),
        );
        in_flight.fetch_sub(1, Ordering::AcqRel);
    };
    // The reading goes on here while the batches read are cleaned on the pool's threads.
    let finished = rayon::scope(|scope| {
        let hand_over = |batch: Vec<(SourcePath, Result<Record, Bad>)>| {
            // Too much read and not yet cleaned: help clean instead of reading on (never block:
            // this thread may be one the cleaning needs).
            while in_flight.load(Ordering::Acquire) >= most_in_flight {
                if rayon::yield_now() != Some(rayon::Yield::Executed) {
                    std::thread::yield_now();
                }
            }
            in_flight.fetch_add(1, Ordering::AcqRel);
            let clean = &clean;
            scope.spawn(move |_| clean(batch));
        };
        for item in items {
            if progress.cancel.load(Ordering::Relaxed) {
                return false;
            }
            let found = match item {
                Item::Skipped(why) => {
                    *skipped.entry(why.reason()).or_default() += 1;
                    continue;
                }
                Item::Record(record) => Ok(record),
                Item::Bad(bad) => Err(bad),
            };
            let record = match &found {
                Ok(record) => {
                    batch_bytes += record.payload.len();
                    SourcePath::record(source, &record.id, record.extension)
                }
                Err(bad) => SourcePath::record(source, &bad.id, None),
            };
            records.push(record.key());
            batch.push((record, found));
            if batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
                hand_over(std::mem::take(&mut batch));
                batch_bytes = 0;
            }
        }
        if !batch.is_empty() {
            hand_over(batch);
        }
        true
    });
    if !finished {
        return None;
    }
    Some((records, skipped))
}

/// The xxh3 of everything `file` reads.
fn hash(mut file: std::fs::File) -> Result<u64, crate::process::Unreadable> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return Ok(hasher.digest()),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(crate::process::Unreadable::io(&err)),
        }
    }
}

/// What one item of an archive becomes.
fn outcome(
    record: SourcePath,
    found: Result<Record, Bad>,
    stamp: FileStamp,
    settings: &PipelineSettings,
) -> Outcome {
    match found {
        Ok(found) => process_raw(
            RawFile {
                source: record,
                bytes: found.payload,
                fetch: Some(Box::new(Fetch {
                    url: found.url,
                    fetched_at: found.fetched_at,
                    charset: found.charset,
                    truncated: found.truncated,
                    fields: found.fields,
                })),
            },
            stamp,
            settings,
        ),
        Err(bad) => Outcome::Reject {
            reject: Reject {
                source_path: record.relative().to_owned(),
                stage: Stage::Read,
                error: bad.error,
            },
            stamp,
        },
    }
}
