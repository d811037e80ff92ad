//! Throughput of `parse` (decode, front matter, body sniffing) on the golden fixtures.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede_parse::{ParseSettings, parse};
use lede_record::{RawFile, SourcePath};

fn fixtures() -> Vec<RawFile> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../clean/tests/fixtures");
    let mut files: Vec<RawFile> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| {
            let path = e.expect("entry").path();
            RawFile {
                source: SourcePath::new(&dir, path.file_name().expect("name")),
                bytes: std::fs::read(&path).expect("read"),
                fetch: None,
            }
        })
        .collect();
    files.sort_by(|a, b| a.source.relative().cmp(b.source.relative()));
    files
}

fn bench(c: &mut Criterion) {
    let files = fixtures();
    let settings = ParseSettings::default();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(
        files.iter().map(|f| f.bytes.len() as u64).sum(),
    ));
    group.bench_function("fixtures", |b| {
        b.iter(|| files.iter().filter(|f| parse(f, &settings).is_ok()).count())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
