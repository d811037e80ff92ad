//! Crash safety: `lede run` killed with SIGKILL at many points — spread over an incremental
//! run by time, and at every failpoint of the run and its commit (the duplicate re-pointing
//! splice included), on incremental and full runs — leaves a dataset in which a reader sees
//! each table as the previous run left it or as this run makes it, nothing in between; and the
//! next plain run ends with exactly the dataset of one uninterrupted run. The tree holds a WARC
//! whose records change between the versions, so the kills land on archives too. SIGTERM stops a run
//! without publishing, or, once the commit has begun, lets it finish.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Row, TestDir, Wait, copy_dir, dataset, signal, story, wait, warc_response};

/// Articles in the generated tree; enough that a run takes a while in a debug build.
const FILES: usize = 800;
/// Records of the WARC in the tree.
const RECORDS: usize = 60;

type Dataset = (Vec<Row>, Vec<String>);

/// A tree of articles over 24 monthly partitions, with rejects among them and pairs of
/// near-duplicates. Version 2 edits every 10th article and its date, and adds for each pair an
/// earlier copy, which becomes canonical: published rows are re-pointed at the commit.
fn write_tree(t: &TestDir, dir: &str, version: u32) {
    for i in 0..FILES {
        let path = format!("{dir}/feed-{}/{i:05}.md", i % 7);
        if i % 97 == 0 {
            t.write(&path, b"\x89PNG\r\n\x1a\n\0\0binary");
            continue;
        }
        let edited = version > 1 && i % 10 == 5;
        let month = 1 + (i + usize::from(edited)) % 12;
        let year = 2020 + (i / 12) % 2;
        // Articles 0 and 1 of every ten tell one story.
        let seed = if i % 10 < 2 {
            (i / 10) as u64
        } else {
            1_000 + i as u64
        };
        let body = format!(
            "{}{}",
            story(seed, 40),
            if edited { " Corrected." } else { "" }
        );
        t.write(
            &path,
            format!("---\ntitle: Article {i}\ndate: {year}-{month:02}-15 10:00:00\n---\n{body}\n"),
        );
    }
    // A crawl: version 2 drops every 7th record, edits every 10th, and adds ten.
    let mut warc = Vec::new();
    for n in 0..RECORDS + if version > 1 { 10 } else { 0 } {
        if version > 1 && n % 7 == 3 {
            continue;
        }
        let edition = if version > 1 && n % 10 == 5 { 2 } else { 1 };
        let html = format!(
            "<html><head><title>Crawled {n}</title><meta property=\"article:published_time\" content=\"2021-{:02}-10T08:00:00Z\"></head><body><article><h1>Crawled {n}</h1><p>{} Edition {edition}.</p></article></body></html>",
            1 + n % 12,
            story(5_000 + n as u64, 30)
        );
        warc.extend(warc_response(
            &n.to_string(),
            &format!("https://crawl.test/{n}"),
            &html,
        ));
    }
    t.write(&format!("{dir}/crawl/site.warc.gz"), warc);
    if version > 1 {
        for group in (0..FILES / 10).step_by(3) {
            t.write(
                &format!("{dir}/added/early-{group}.md"),
                format!(
                    "---\ntitle: Early {group}\ndate: 2019-06-01\n---\n{}\n",
                    story(group as u64, 40)
                ),
            );
        }
    }
}

/// The datasets before and after version 2: `base` holds version 1's, the tree version 2.
struct Versions {
    t: TestDir,
    old: Dataset,
    new: Dataset,
}

fn versions() -> Versions {
    let t = TestDir::new();
    write_tree(&t, "tree", 1);
    t.lede(["run", "-i", "tree", "-o", "base"]).success();
    let old = dataset(&t.path().join("base"));
    write_tree(&t, "tree", 2);
    t.lede(["run", "-i", "tree", "-o", "reference", "--full"])
        .success();
    let new = dataset(&t.path().join("reference"));
    assert!(
        new.0.iter().any(|r| r.duplicate_of.is_some())
            && old
                .0
                .iter()
                .zip(&new.0)
                .any(|(a, b)| a.id == b.id && a.duplicate_of != b.duplicate_of),
        "version 2 re-points duplicates"
    );
    Versions { t, old, new }
}

impl Versions {
    /// A copy of version 1's dataset to run version 2 over.
    fn fresh_copy(&self, out: &str) {
        copy_dir(&self.t.path().join("base"), &self.t.path().join(out));
    }

    fn spawn(&self, out: &str, full: bool, failpoint: Option<&str>) -> u32 {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lede"));
        cmd.args(["run", "-i", "tree", "-o", out])
            .current_dir(self.t.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if full {
            cmd.arg("--full");
        }
        if let Some(point) = failpoint {
            cmd.env("LEDE_FAILPOINT", point);
        }
        cmd.spawn().expect("lede starts").id()
    }

    /// What a reader sees of `out` must be, table by table, version 1's or version 2's.
    fn assert_old_or_new(&self, out: &str, case: &str) {
        let (articles, rejects) = dataset(&self.t.path().join(out));
        assert!(
            articles == self.old.0 || articles == self.new.0,
            "{case}: a reader sees articles that are neither the old nor the new ({} rows; old {}, new {})",
            articles.len(),
            self.old.0.len(),
            self.new.0.len()
        );
        assert!(
            rejects == self.old.1 || rejects == self.new.1,
            "{case}: a reader sees rejects that are neither the old nor the new"
        );
    }

    /// Runs to completion and checks the result equals version 2's, with nothing left behind.
    fn finish(&self, out: &str, case: &str) {
        self.t.lede(["run", "-i", "tree", "-o", out]).success();
        let out = self.t.path().join(out);
        assert!(
            dataset(&out) == self.new,
            "{case}: differs from an uninterrupted run"
        );
        assert!(
            !out.join("_staging").exists(),
            "{case}: staging left behind"
        );
        assert!(
            !out.join("_state/journal.json").exists(),
            "{case}: journal left behind"
        );
    }
}

#[test]
fn sigkill_at_every_failpoint_leaves_the_old_or_the_new_dataset() {
    let v = versions();
    for full in [false, true] {
        for point in lede_write::FAILPOINTS {
            // A full run rewrites nothing: it has no edit to stop in.
            if full && point == "mid-edits" {
                continue;
            }
            let case = format!("{point}{}", if full { " (--full)" } else { "" });
            let out = format!("stop-{point}-{full}");
            v.fresh_copy(&out);
            let pid = v.spawn(&out, full, Some(point));
            assert_eq!(wait(pid), Wait::Stopped, "{case}: the run did not reach it");
            v.assert_old_or_new(&out, &case);
            signal(pid, libc::SIGKILL);
            assert_eq!(wait(pid), Wait::Killed(libc::SIGKILL), "{case}");
            v.assert_old_or_new(&out, &format!("{case}, killed"));
            v.finish(&out, &case);
        }
    }
}

#[test]
fn sigkill_spread_over_an_incremental_run_leaves_the_old_or_the_new_dataset() {
    let v = versions();
    // How long an uninterrupted incremental run takes here (the faster of two): the kills
    // land at fractions of it, so each lands while the run is running.
    let took = (0..2)
        .map(|i| {
            let out = format!("timing-{i}");
            v.fresh_copy(&out);
            let started = Instant::now();
            v.t.lede(["run", "-i", "tree", "-o", &out]).success();
            started.elapsed()
        })
        .min()
        .expect("two timings");
    for percent in [3, 10, 20, 30, 40, 50, 60] {
        let case = format!("SIGKILL at {percent}% of {took:?}");
        let out = format!("kill-{percent}");
        v.fresh_copy(&out);
        let pid = v.spawn(&out, false, None);
        std::thread::sleep(took * percent / 100);
        signal(pid, libc::SIGKILL);
        assert_eq!(
            wait(pid),
            Wait::Killed(libc::SIGKILL),
            "{case}: the kill did not land (the run had ended)"
        );
        v.assert_old_or_new(&out, &case);
        v.finish(&out, &case);
    }
}

#[test]
fn sigterm_before_the_commit_publishes_nothing_and_during_it_lets_it_finish() {
    let v = versions();
    for (point, expected) in [("after-first-result", 5), ("after-state", 0)] {
        let out = format!("term-{point}");
        v.fresh_copy(&out);
        let pid = v.spawn(&out, false, Some(point));
        assert_eq!(wait(pid), Wait::Stopped, "{point}");
        signal(pid, libc::SIGTERM);
        signal(pid, libc::SIGCONT);
        let started = Instant::now();
        assert_eq!(wait(pid), Wait::Exited(expected), "SIGTERM at {point}");
        assert!(started.elapsed() < Duration::from_secs(60));
        let got = dataset(&v.t.path().join(&out));
        if expected == 5 {
            assert!(got == v.old, "stopped before the commit: nothing published");
        } else {
            assert!(
                got == v.new,
                "stopped in the commit: the commit was finished"
            );
        }
        v.finish(&out, point);
    }
}
