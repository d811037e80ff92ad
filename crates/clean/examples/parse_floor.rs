//! The read+parse floor of the whole-run benchmark: read every file under a directory and parse
//! it as an HTML document with the parser lede uses (html5ever via scraper), in parallel, and
//! nothing else. lede's throughput is reported against this.
//!
//! `cargo run --release -p lede-clean --example parse_floor -- DIR [THREADS]`
#![allow(clippy::print_stdout)] // a command-line program: its result is its output

use std::time::Instant;

use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: parse_floor DIR [THREADS]");
    let threads = args
        .next()
        .map_or(2, |t| t.parse().expect("THREADS is a number"));
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
        .expect("thread pool");
    let started = Instant::now();
    let files: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let (bytes, nodes) = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            let html = scraper::Html::parse_document(&text);
            (bytes.len() as u64, html.tree.nodes().count() as u64)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let seconds = started.elapsed().as_secs_f64();
    let line = serde_json::json!({
        "files": files.len(), "bytes": bytes, "dom_nodes": nodes, "seconds": seconds,
        "files_per_s": files.len() as f64 / seconds, "mb_per_s": bytes as f64 / 1e6 / seconds,
    });
    println!("{line}");
}
