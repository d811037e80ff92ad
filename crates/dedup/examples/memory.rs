//! Resident bytes per article of near-duplicate detection at scale: builds the state of N
//! articles (random signatures, one in ten a copy of another) and clusters it, reading the
//! process's resident set from /proc (Linux) before, after building, and at the peak.
//!
//!     cargo run --release -p lede-dedup --example memory -- 1000000
#![allow(clippy::print_stdout)] // a command-line program: its result is its output

use lede_dedup::Dedup;
use lede_record::{DedupState, SIGNATURE_BYTES, Signature};

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let before = status_kib("VmRSS:");
    let mut state = DedupState::default();
    state.keys.reserve_exact(n);
    state.published.reserve_exact(n);
    state.signatures.reserve_exact(n);
    state.duplicate_of.reserve_exact(n);
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let signature = if i % 10 == 9 {
            state.signatures[(next() % i as u64) as usize]
        } else {
            let mut bytes = [0u8; SIGNATURE_BYTES];
            for chunk in bytes.chunks_mut(8) {
                chunk.copy_from_slice(&next().to_le_bytes());
            }
            Signature(bytes)
        };
        state.push(u128::from(next()), Some(i as i64), signature);
    }
    let built = status_kib("VmRSS:");
    let started = std::time::Instant::now();
    let assigned = Dedup::new(0.7).assign(&state);
    let seconds = started.elapsed().as_secs_f64();
    let peak = status_kib("VmHWM:");
    let duplicates = assigned
        .iter()
        .filter(|&&c| c != DedupState::CANONICAL)
        .count();
    let per = |kib: u64| kib as f64 * 1024.0 / n as f64;
    println!("articles: {n}, duplicates found: {duplicates}, clustering: {seconds:.2} s");
    println!(
        "state resident: {:.0} B/article; peak while clustering: {:.0} B/article (RSS {} MiB)",
        per(built - before),
        per(peak - before),
        peak / 1024
    );
}
