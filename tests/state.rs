//! State that went wrong behind lede's back — a part file deleted, truncated or corrupted, the
//! ledger or the signature table lost or damaged, a commit journal whose staging is gone, a
//! prune of an input that is not there — is noticed by the next run, which repairs it or stops
//! with advice that works. Never an exit 0 over a dataset that lost rows.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{TestDir, Wait, dataset, last_report, read_dataset, signal, story, wait};

const SOURCES: usize = 24;

/// 24 articles over four months in three feeds, and a reject.
fn write_tree(t: &TestDir, dir: &str) {
    for i in 0..SOURCES {
        t.write(
            &format!("{dir}/feed-{}/{i:03}.md", i % 3),
            format!(
                "---\ntitle: Story {i}\ndate: 2021-{:02}-10 08:00:00\n---\n{}\n",
                1 + i % 4,
                story(i as u64, 120)
            ),
        );
    }
    t.write(&format!("{dir}/broken.md"), b"\x89PNG\r\n\x1a\n\0\0binary");
}

/// Runs lede on `input` into `out` and expects `code`.
fn run(t: &TestDir, input: &str, out: &str, code: i32) -> crate::util::Run {
    t.lede(["run", "-i", input, "-o", out]).code(code)
}

/// The article part file of one month.
fn month_file(t: &TestDir, out: &str, month: u32) -> PathBuf {
    let files = lede_write::part_files(
        &t.path()
            .join(out)
            .join(format!("articles/year=2021/month={month}")),
    );
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

fn repairs(out: &Path) -> Vec<String> {
    let report = last_report(out);
    report["repairs"]
        .as_array()
        .expect("repairs")
        .iter()
        .map(|r| r.as_str().expect("str").to_owned())
        .collect()
}

fn discovered_and_skipped(out: &Path) -> (Value, Value) {
    let report = last_report(out);
    (report["discovered"].clone(), report["skipped"].clone())
}

/// A clean run of `input` into a fresh output: what every repaired dataset must equal.
fn reference(t: &TestDir, input: &str) -> (Vec<crate::util::Row>, Vec<String>) {
    // A new name each time: each call adds a directory.
    let out = format!("reference-{}", fs::read_dir(t.path()).expect("ls").count());
    run(t, input, &out, 0);
    dataset(&t.path().join(out))
}

#[test]
fn a_part_file_deleted_by_hand_has_its_sources_read_again() {
    let t = TestDir::new();
    write_tree(&t, "in");
    let expected = reference(&t, "in");
    run(&t, "in", "out", 0);
    fs::remove_file(month_file(&t, "out", 2)).expect("rm");

    let repaired = run(&t, "in", "out", 0);
    let out = t.path().join("out");
    assert!(
        repaired
            .stderr()
            .contains("is missing; its 6 sources are read again"),
        "{}",
        repaired.stderr()
    );
    assert_eq!(repairs(&out).len(), 1, "{:?}", repairs(&out));
    assert_eq!(dataset(&out), expected);
    // Repaired for good: the next run has nothing to do.
    run(&t, "in", "out", 0);
    assert!(repairs(&out).is_empty());
    let (discovered, skipped) = discovered_and_skipped(&out);
    assert_eq!(discovered, skipped);
}

#[test]
fn rows_lost_with_a_part_file_and_their_sources_end_in_exit_6() {
    let t = TestDir::new();
    write_tree(&t, "in");
    run(&t, "in", "out", 0);
    fs::remove_file(month_file(&t, "out", 2)).expect("rm");
    // Three of the six sources of that month are gone too.
    for i in [1, 5, 9] {
        fs::remove_file(t.path().join(format!("in/feed-{}/{i:03}.md", i % 3))).expect("rm");
    }
    let expected = reference(&t, "in");

    let lost = run(&t, "in", "out", 6);
    assert!(
        lost.stderr()
            .contains("3 rows were lost with damaged part files"),
        "{}",
        lost.stderr()
    );
    let out = t.path().join("out");
    assert_eq!(last_report(&out)["unrestored"], 3);
    assert_eq!(dataset(&out), expected);
    run(&t, "in", "out", 0);
}

#[test]
fn a_truncated_part_file_is_noticed_by_its_size_and_replaced() {
    let t = TestDir::new();
    write_tree(&t, "in");
    let expected = reference(&t, "in");
    run(&t, "in", "out", 0);
    let file = month_file(&t, "out", 3);
    let bytes = fs::read(&file).expect("read");
    fs::write(&file, &bytes[..bytes.len() / 2]).expect("truncate");

    let repaired = run(&t, "in", "out", 0);
    assert!(
        repaired.stderr().contains("it was changed or truncated"),
        "{}",
        repaired.stderr()
    );
    let out = t.path().join("out");
    assert_eq!(dataset(&out), expected);
    assert_eq!(
        read_dataset(&out)["duckdb"]["count"],
        SOURCES as u64,
        "readers see the dataset whole"
    );
}

#[test]
fn a_lost_or_truncated_signature_table_is_rebuilt() {
    let t = TestDir::new();
    write_tree(&t, "in");
    run(&t, "in", "out", 0);
    let signatures = t.path().join("out/_state/signatures.parquet");
    // Truncated: even a run that changes nothing notices and rebuilds it.
    let bytes = fs::read(&signatures).expect("read");
    fs::write(&signatures, &bytes[..bytes.len() / 3]).expect("truncate");
    let noticed = run(&t, "in", "out", 0);
    assert!(
        noticed
            .stderr()
            .contains("the signature table cannot be read"),
        "{}",
        noticed.stderr()
    );
    // Deleted: the next copy of a story still finds its earlier copy.
    fs::remove_file(&signatures).expect("rm");
    fs::copy(
        t.path().join("in/feed-2/005.md"),
        t.path().join("in/copy-of-5.md"),
    )
    .expect("copy");
    let rebuilt = run(&t, "in", "out", 0);
    assert!(
        rebuilt.stderr().contains("the signature table is missing"),
        "{}",
        rebuilt.stderr()
    );
    let expected = reference(&t, "in");
    let (rows, _) = dataset(&t.path().join("out"));
    let copy = rows
        .iter()
        .find(|r| r.source_path == "copy-of-5.md")
        .expect("the copy");
    let original = rows
        .iter()
        .find(|r| r.source_path == "feed-2/005.md")
        .expect("the original");
    assert_eq!(copy.duplicate_of.as_ref(), Some(&original.id));
    assert_eq!(dataset(&t.path().join("out")), expected);
}

#[test]
fn a_lost_or_truncated_ledger_is_rebuilt_from_the_part_files() {
    let t = TestDir::new();
    write_tree(&t, "in");
    let expected = reference(&t, "in");
    run(&t, "in", "out", 0);
    let out = t.path().join("out");
    let ledger = out.join("_state/ledger.parquet");

    let bytes = fs::read(&ledger).expect("read");
    fs::write(&ledger, &bytes[..bytes.len() / 2]).expect("truncate");
    let noticed = run(&t, "in", "out", 0);
    assert!(
        noticed.stderr().contains("the ledger cannot be read"),
        "{}",
        noticed.stderr()
    );
    assert_eq!(last_report(&out)["mode"], "incremental");
    assert_eq!(dataset(&out), expected);
    run(&t, "in", "out", 0);
    let (discovered, skipped) = discovered_and_skipped(&out);
    assert_eq!(discovered, skipped, "the rebuilt ledger is used");

    // Deleted, while a source is gone: its row stays, as on any incremental run.
    fs::remove_file(&ledger).expect("rm");
    fs::remove_file(t.path().join("in/feed-0/000.md")).expect("rm");
    let rebuilt = run(&t, "in", "out", 0);
    assert!(
        rebuilt.stderr().contains("the ledger is missing"),
        "{}",
        rebuilt.stderr()
    );
    assert_eq!(dataset(&out), expected);
}

#[test]
fn a_corrupt_part_file_says_what_to_do_and_the_advice_works() {
    let t = TestDir::new();
    write_tree(&t, "in");
    run(&t, "in", "out", 0);
    // Same size, pages overwritten: only reading it tells.
    let file = month_file(&t, "out", 1);
    let mut bytes = fs::read(&file).expect("read");
    let end = bytes.len() / 2;
    bytes[4..end].fill(0xa5);
    fs::write(&file, &bytes).expect("write");
    // A source of that month changes, so its row must be removed from the file.
    t.write(
        "in/feed-0/000.md",
        "---\ntitle: Story 0, corrected\ndate: 2021-01-10 08:00:00\n---\nA correction.\n",
    );
    let expected = reference(&t, "in");

    let failed = run(&t, "in", "out", 1);
    let stderr = failed.stderr();
    assert!(
        stderr.contains("cannot read part file")
            && stderr.contains("it is corrupt or truncated")
            && stderr.contains("move it out of the dataset and run again"),
        "{stderr}"
    );
    assert!(!stderr.contains("cannot write"), "{stderr}");
    // The advice.
    fs::rename(&file, t.path().join("corrupt.parquet")).expect("mv");
    run(&t, "in", "out", 0);
    assert_eq!(dataset(&t.path().join("out")), expected);
}

#[test]
fn a_journal_whose_staging_is_gone_is_given_up_by_a_full_run() {
    let t = TestDir::new();
    write_tree(&t, "in");
    run(&t, "in", "out", 0);
    t.write("in/added.md", "---\ntitle: Added\n---\nA new story.\n");
    let expected = reference(&t, "in");
    let pid = std::process::Command::new(env!("CARGO_BIN_EXE_lede"))
        .args(["run", "-i", "in", "-o", "out"])
        .current_dir(t.path())
        .env("LEDE_FAILPOINT", "after-journal")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("lede runs")
        .id();
    assert_eq!(wait(pid), Wait::Stopped);
    signal(pid, libc::SIGKILL);
    assert_eq!(wait(pid), Wait::Killed(libc::SIGKILL));
    fs::remove_dir_all(t.path().join("out/_staging")).expect("rm staging");

    let stuck = run(&t, "in", "out", 1);
    assert!(
        stuck
            .stderr()
            .contains("rebuild the dataset with `lede run --full`"),
        "{}",
        stuck.stderr()
    );
    // The advice works.
    let full = t.lede(["run", "-i", "in", "-o", "out", "--full"]).success();
    assert!(full.stderr().contains("given up"), "{}", full.stderr());
    let out = t.path().join("out");
    assert_eq!(dataset(&out), expected);
    assert!(!out.join("_state/journal.json").exists());
    run(&t, "in", "out", 0);
}

#[test]
fn a_prune_of_an_empty_input_is_refused_unless_forced() {
    let t = TestDir::new();
    write_tree(&t, "in");
    run(&t, "in", "out", 0);
    let out = t.path().join("out");
    let before = dataset(&out);
    fs::create_dir(t.path().join("unmounted")).expect("mkdir");

    let refused = t
        .lede(["run", "-i", "unmounted", "-o", "out", "--prune-deleted"])
        .code(1);
    let stderr = refused.stderr();
    assert!(
        stderr.contains("pruning would remove 25 of the dataset's 25 rows")
            && stderr.contains("run.max_prune_ratio")
            && stderr.contains("--force-prune"),
        "{stderr}"
    );
    assert_eq!(dataset(&out), before, "nothing published");

    // A few deletions are within the limit.
    fs::remove_file(t.path().join("in/feed-1/001.md")).expect("rm");
    t.lede(["run", "-i", "in", "-o", "out", "--prune-deleted"])
        .success();
    assert_eq!(dataset(&out).0.len(), SOURCES - 1);
    t.lede(["run", "-i", "unmounted", "-o", "out", "--force-prune"])
        .success();
    assert!(dataset(&out).0.is_empty());
}
