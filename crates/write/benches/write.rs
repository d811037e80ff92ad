//! Throughput of the write stage: Arrow batches built from articles and written as zstd Parquet
//! part files, committed.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede_clean::{CleanSettings, clean};
use lede_parse::{ParseSettings, parse};
use lede_record::{Article, FileStamp, RawFile, SourcePath};
use lede_write::{Base, DatasetWriter, WriteSettings};

/// The golden fixtures, cleaned, repeated under distinct paths to make a batch of `n`.
fn articles(n: usize) -> Vec<Article> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../clean/tests/fixtures");
    let base: Vec<Article> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(|e| {
            let path = e.expect("entry").path();
            let raw = RawFile {
                source: SourcePath::new(&dir, path.file_name()?),
                bytes: std::fs::read(&path).ok()?,
                fetch: None,
            };
            clean(
                &parse(&raw, &ParseSettings::default()).ok()?,
                &CleanSettings::default(),
            )
            .ok()
        })
        .collect();
    (0..n)
        .map(|i| {
            let mut a = base[i % base.len()].clone();
            a.source_path = format!("copy-{i}/{}", a.source_path);
            a
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let articles = articles(1024);
    let stamps = vec![
        FileStamp {
            size: 1,
            modified_ns: 1,
            content_hash: 1
        };
        articles.len()
    ];
    let mut group = c.benchmark_group("write");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(
        articles.iter().map(|a| a.text.len() as u64).sum(),
    ));
    group.bench_function("1024_articles_to_parquet", |b| {
        b.iter(|| {
            let out = tempfile::tempdir().expect("temp dir");
            let mut writer = DatasetWriter::create(
                out.path(),
                "bench",
                jiff::Timestamp::UNIX_EPOCH,
                WriteSettings::default(),
            )
            .expect("writer");
            writer.write_articles(&articles, &stamps).expect("write");
            writer.commit(Base::Rebuild, "bench").expect("commit").bytes
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
