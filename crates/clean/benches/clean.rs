//! Throughput of `clean` per body kind: HTML fragments, Markdown, plain text, a whole page.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede_clean::{CleanSettings, clean};
use lede_parse::{ParseSettings, parse};
use lede_record::{ParsedDoc, RawFile, SourcePath};

fn doc(name: &str) -> ParsedDoc {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let raw = RawFile {
        source: SourcePath::new(&dir, name),
        bytes: std::fs::read(dir.join(name)).expect("fixture"),
        fetch: None,
    };
    parse(&raw, &ParseSettings::default()).expect("fixture parses")
}

fn bench(c: &mut Criterion) {
    let settings = CleanSettings::default();
    let kinds = [
        (
            "html_fragment",
            vec![
                "000_29ff98356d721b9a.txt",
                "001_b52d17c1e9286dcb.txt",
                "002_eb782ffb301c7b85.txt",
            ],
        ),
        (
            "markdown",
            vec![
                "004_4a58305540e6b57a.txt",
                "ruanyf-weekly.md",
                "rust-blog.md",
                "ruby-en.md",
            ],
        ),
        (
            "plain_text",
            vec!["003_c7add430a2f9eace.txt", "bbc-tech.txt"],
        ),
        ("full_page", vec!["readability-lazy-image.html"]),
    ];
    let mut group = c.benchmark_group("clean");
    for (kind, names) in kinds {
        let docs: Vec<ParsedDoc> = names.into_iter().map(doc).collect();
        group.throughput(Throughput::Bytes(
            docs.iter().map(|d| d.body.text.len() as u64).sum(),
        ));
        group.bench_function(kind, |b| {
            b.iter(|| docs.iter().filter_map(|d| clean(d, &settings).ok()).count())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
