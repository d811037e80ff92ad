//! Crash safety: `lede run` killed at many points (SIGKILL after a spread of delays, an abort at
//! each commit step, SIGTERM), then run again with no flags, ends with exactly the dataset of one
//! uninterrupted run: the same ids, each once, with the same content.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use arrow_array::{Array, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::util::{TestDir, copy_dir};

/// Articles in the generated tree; enough that a run takes a while in a debug build.
const FILES: usize = 1500;

/// A tree of articles over 24 monthly partitions, with a few rejects among them.
fn write_tree(t: &TestDir, dir: &str, version: u32) {
    for i in 0..FILES {
        let path = format!("{dir}/feed-{}/{i:05}.md", i % 7);
        if i % 97 == 0 {
            t.write(&path, b"\x89PNG\r\n\x1a\n\0\0binary");
            continue;
        }
        // Version 2 edits every 10th article and its date; the rest stay byte-identical.
        let edited = version > 1 && i % 10 == 0;
        let month = 1 + (i + usize::from(edited)) % 12;
        let year = 2020 + (i / 12) % 2;
        let body = if i % 2 == 0 {
            format!(
                "<p>Article {i} body.</p><div class=\"ad-slot\">ad</div><p>Second paragraph {version}.</p>"
            )
        } else {
            format!(
                "Article {i} in *Markdown*.\n\nSecond paragraph, version {}.",
                if edited { version } else { 1 }
            )
        };
        let text = format!(
            "---\ntitle: Article {i}\ndate: {year}-{month:02}-15 10:00:00\ntags: [t{}]\n---\n{body}\n",
            i % 5
        );
        t.write(&path, text);
    }
    if version > 1 {
        t.write(
            &format!("{dir}/added/new.md"),
            "---\ntitle: Added later\n---\nNew text.\n",
        );
    }
}

/// (id, content_hash) of every article row, sorted, repeats kept; and the reject paths.
fn dataset(out: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    for file in parquet_files(out) {
        let relative = file.strip_prefix(out).expect("under out");
        let first = relative
            .components()
            .next()
            .expect("a component")
            .as_os_str()
            .to_owned();
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&file).expect("open"))
            .expect("parquet");
        for batch in reader.build().expect("reader") {
            let batch = batch.expect("batch");
            let column = |name: &str| {
                batch
                    .column_by_name(name)
                    .expect("column")
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .expect("utf8")
                    .clone()
            };
            if first == "articles" {
                let (ids, hashes) = (column("id"), column("content_hash"));
                rows.extend(
                    (0..ids.len()).map(|i| (ids.value(i).to_owned(), hashes.value(i).to_owned())),
                );
            } else if first == "rejects" {
                let paths = column("source_path");
                rejects.extend((0..paths.len()).map(|i| paths.value(i).to_owned()));
            }
        }
    }
    rows.sort();
    rejects.sort();
    (rows, rejects)
}

/// Parquet files a reader globbing `articles/**` or `rejects/*` would see.
fn parquet_files(out: &Path) -> Vec<std::path::PathBuf> {
    let mut found = lede_write::part_files(&out.join("articles"));
    found.extend(lede_write::part_files(&out.join("rejects")));
    found
}

fn spawn(t: &TestDir, input: &str, out: &str, failpoint: Option<&str>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lede"));
    cmd.args(["run", "-i", input, "-o", out])
        .current_dir(t.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(point) = failpoint {
        cmd.env("LEDE_FAILPOINT", point);
    }
    cmd.spawn().expect("lede starts")
}

/// Runs to completion and checks the result equals `expected`, with nothing left behind.
fn finish_and_compare(
    t: &TestDir,
    input: &str,
    out: &str,
    expected: &(Vec<(String, String)>, Vec<String>),
    case: &str,
) {
    t.lede(["run", "-i", input, "-o", out]).success();
    let got = dataset(&t.path().join(out));
    let ids: BTreeSet<&String> = got.0.iter().map(|(id, _)| id).collect();
    assert_eq!(ids.len(), got.0.len(), "{case}: an id appears twice");
    assert_eq!(got.0.len(), expected.0.len(), "{case}: row count");
    assert!(
        got == *expected,
        "{case}: dataset differs from an uninterrupted run"
    );
    let out = t.path().join(out);
    assert!(
        !out.join("_staging").exists(),
        "{case}: staging left behind"
    );
    assert!(
        !out.join("_state/journal.json").exists(),
        "{case}: journal left behind"
    );
}

#[test]
fn killed_runs_recover_to_the_uninterrupted_dataset() {
    let t = TestDir::new();
    write_tree(&t, "v1", 1);
    t.lede(["run", "-i", "v1", "-o", "reference"]).success();
    let reference = dataset(&t.path().join("reference"));
    assert_eq!(reference.0.len() + reference.1.len(), FILES);
    let mut kill_points = 0;
    // A debug-build run over the tree takes about 1.4 s here: most delays land mid-run, the last
    // ones after it (where the kill must change nothing).
    for delay_ms in [10, 40, 80, 150, 250, 400, 550, 700, 900, 1100, 1400, 2200] {
        let out = format!("kill-{delay_ms}");
        let mut child = spawn(&t, "v1", &out, None);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL; the run may already have finished
        let _ = child.wait();
        t.lede(["run", "-i", "v1", "-o", &out]).success();
        let got = dataset(&t.path().join(&out));
        let ids: BTreeSet<&String> = got.0.iter().map(|(id, _)| id).collect();
        assert_eq!(
            ids.len(),
            got.0.len(),
            "SIGKILL after {delay_ms} ms: an id appears twice"
        );
        assert!(
            got == reference,
            "SIGKILL after {delay_ms} ms: dataset differs from an uninterrupted run"
        );
        assert!(!t.path().join(&out).join("_staging").exists());
        kill_points += 1;
    }
    assert_eq!(kill_points, 12);
}

#[test]
fn an_abort_at_each_commit_step_is_recovered_on_an_incremental_run() {
    let t = TestDir::new();
    write_tree(&t, "tree", 1);
    t.lede(["run", "-i", "tree", "-o", "base"]).success();
    write_tree(&t, "tree", 2);
    t.lede(["run", "-i", "tree", "-o", "reference", "--full"])
        .success();
    let reference = dataset(&t.path().join("reference"));
    for point in [
        "before-journal",
        "after-journal",
        "mid-apply",
        "after-apply",
    ] {
        // Each case starts from the dataset of version 1, then crashes ingesting version 2.
        let out = format!("crash-{point}");
        copy_dir(&t.path().join("base"), &t.path().join(&out));
        let status = spawn(&t, "tree", &out, Some(point)).wait().expect("wait");
        assert!(!status.success(), "{point}: the failpoint did not fire");
        let before = dataset(&t.path().join(&out));
        let ids: BTreeSet<&String> = before.0.iter().map(|(id, _)| id).collect();
        assert_eq!(
            ids.len(),
            before.0.len(),
            "{point}: a reader of the crashed dataset sees an id twice"
        );
        finish_and_compare(&t, "tree", &out, &reference, point);
    }
}

#[test]
fn sigterm_stops_without_publishing_and_the_next_run_completes() {
    let t = TestDir::new();
    write_tree(&t, "v1", 1);
    t.lede(["run", "-i", "v1", "-o", "reference"]).success();
    let reference = dataset(&t.path().join("reference"));
    let mut child = spawn(&t, "v1", "out", None);
    std::thread::sleep(Duration::from_millis(150));
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = child.wait().expect("wait");
    match status.code() {
        Some(5) => assert!(
            parquet_files(&t.path().join("out")).is_empty(),
            "nothing published on a stop"
        ),
        Some(0) => {} // it had finished (or was committing) when the signal came
        other => panic!("unexpected exit {other:?}"),
    }
    finish_and_compare(&t, "v1", "out", &reference, "after SIGTERM");
}
