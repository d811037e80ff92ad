//! Signature and clustering throughput.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lede_dedup::{Dedup, signature};
use lede_record::DedupState;

fn text(seed: usize) -> String {
    (0..400)
        .map(|i| format!("w{}", (seed * 31 + i * 7) % 997))
        .collect::<Vec<_>>()
        .join(" ")
        + "中文新闻报道的内容在这里继续展开，包括更多的细节和背景。"
}

fn benches(c: &mut Criterion) {
    let sample = text(1);
    let mut group = c.benchmark_group("dedup");
    group.throughput(Throughput::Bytes(sample.len() as u64));
    group.bench_function("signature", |b| b.iter(|| signature(&sample)));
    let mut state = DedupState::default();
    for i in 0..10_000 {
        state.push(
            i as u128,
            Some(i),
            signature(&text(i as usize % 4000)).expect("a text"),
        );
    }
    group.throughput(Throughput::Elements(state.len() as u64));
    group.sample_size(10);
    group.bench_function("assign 10k", |b| b.iter(|| Dedup::new(0.7).assign(&state)));
    group.finish();
}

criterion_group!(dedup, benches);
criterion_main!(dedup);
