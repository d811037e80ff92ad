//! Inputs the walk meets that are not plain files in one plain tree: several roots with the
//! same relative paths, names that are not UTF-8, FIFOs, links out of the input, paths over
//! `PATH_MAX`, upper-case extensions, hidden directories, absurd thread counts. Each ends as a
//! row, a reject, or a count in the report — never lost silently, never a hang.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::time::{Duration, Instant};

use crate::util::{TestDir, dataset, last_report};

fn article(title: &str) -> String {
    format!("---\ntitle: {title}\n---\nThe story of {title}, told in a few words.\n")
}

fn source_paths(t: &TestDir, out: &str) -> Vec<String> {
    dataset(&t.path().join(out))
        .0
        .into_iter()
        .map(|row| row.source_path)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn the_same_relative_path_under_two_inputs_is_two_sources() {
    let t = TestDir::new();
    t.write("2024/news/n/x.md", article("one"));
    t.write("2025/news/n/x.md", article("two"));
    t.write("blogs/n/x.md", article("three"));
    let args = [
        "run",
        "-i",
        "2024/news",
        "-i",
        "2025/news",
        "-i",
        "blogs",
        "-o",
        "out",
    ];
    t.lede(args).success();
    assert_eq!(
        source_paths(&t, "out"),
        vec!["2024/news/n/x.md", "2025/news/n/x.md", "blogs/n/x.md"]
    );
    // Stable: the next run finds all three unchanged, on every run.
    t.lede(args).success();
    let report = last_report(&t.path().join("out"));
    assert_eq!(
        (report["skipped"].as_u64(), report["written"].as_u64()),
        (Some(3), Some(0))
    );
    t.write("two.toml", "[input]\npaths = [\"2024/news\", \"blogs\"]\n");
    let check = t.lede(["check", "-c", "two.toml"]).success();
    assert!(
        check
            .stdout()
            .contains("its files' source_path starts with `blogs/`"),
        "{}",
        check.stdout()
    );
}

#[test]
fn an_input_given_twice_or_inside_another_is_read_once() {
    let t = TestDir::new();
    t.write("in/a.md", article("a"));
    t.write("in/sub/b.md", article("b"));
    let twice = t
        .lede([
            "run",
            "-i",
            "in",
            "-i",
            "in",
            "-i",
            "in/sub/b.md",
            "-o",
            "out",
        ])
        .success();
    assert!(
        twice
            .stderr()
            .contains("is the same as input in: it is read once")
            && twice.stderr().contains("is inside input in"),
        "{}",
        twice.stderr()
    );
    // One root left: today's source paths, no label.
    assert_eq!(source_paths(&t, "out"), vec!["a.md", "sub/b.md"]);
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    assert_eq!(last_report(&t.path().join("out"))["skipped"], 2);
}

#[test]
fn names_differing_only_in_invalid_bytes_are_two_sources() {
    let t = TestDir::new();
    std::fs::create_dir(t.path().join("in")).expect("mkdir");
    for byte in [0xfe_u8, 0xff] {
        let name = [b"bad-".as_slice(), &[byte], b".md"].concat();
        std::fs::write(
            t.path().join("in").join(OsStr::from_bytes(&name)),
            article("bad"),
        )
        .expect("write");
    }
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    assert_eq!(
        source_paths(&t, "out"),
        vec!["bad-\u{fffd}FE.md", "bad-\u{fffd}FF.md"]
    );
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    assert_eq!(last_report(&t.path().join("out"))["skipped"], 2);
}

#[test]
fn a_fifo_is_a_reject_and_never_blocks_the_run() {
    let t = TestDir::new();
    t.write("in/a.md", article("a"));
    let fifo = t.path().join("in/pipe.md");
    let path = std::ffi::CString::new(fifo.as_os_str().as_bytes()).expect("path");
    // SAFETY: mkfifo reads a NUL-terminated path that lives for the call.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
    let started = Instant::now();
    let run = t.lede(["run", "-i", "in", "-o", "out"]).code(3);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{run:?}",
        run = run.stderr()
    );
    let (rows, rejects) = dataset(&t.path().join("out"));
    assert_eq!((rows.len(), rejects), (1, vec!["pipe.md".to_owned()]));
    let seen = crate::util::read_dataset(&t.path().join("out"));
    let reason = seen["duckdb"]["rejects"][0][2]
        .as_str()
        .expect("reason")
        .to_owned();
    assert!(reason.contains("not a regular file but a FIFO"), "{reason}");
}

#[test]
fn links_are_not_followed_by_default_and_never_out_of_the_input_unless_asked() {
    let t = TestDir::new();
    t.write(
        "secret/passwords.txt",
        "root:hunter2, and other things no analyst should read\n",
    );
    t.write("in/a.md", article("a"));
    t.write("in/real/b.md", article("b"));
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(t.path().join(target), t.path().join(name)).expect("link")
    };
    link("secret/passwords.txt", "in/leak.txt");
    link("in/real", "in/alias");

    t.lede(["run", "-i", "in", "-o", "never"]).success();
    assert_eq!(source_paths(&t, "never"), vec!["a.md", "real/b.md"]);
    assert_eq!(
        last_report(&t.path().join("never"))["links_not_followed"],
        2
    );

    t.write(
        "within.toml",
        "[input]\npaths = [\"in\"]\nfollow_symlinks = \"within_input\"\n[output]\ndir = \"within\"\n",
    );
    t.lede(["run", "-c", "within.toml"]).success();
    assert_eq!(
        source_paths(&t, "within"),
        vec!["a.md", "alias/b.md", "real/b.md"]
    );
    assert_eq!(
        last_report(&t.path().join("within"))["links_not_followed"],
        1
    );

    t.write(
        "always.toml",
        "[input]\npaths = [\"in\"]\nfollow_symlinks = \"always\"\n[output]\ndir = \"always\"\n",
    );
    t.lede(["run", "-c", "always.toml"]).success();
    assert!(source_paths(&t, "always").contains(&"leak.txt".to_owned()));
}

#[test]
fn paths_longer_than_path_max_are_read() {
    let t = TestDir::new();
    // 24 levels of 200-byte names: the deepest files' paths are ~4.9 KB, past PATH_MAX.
    let mut dir = String::from("in");
    let mut files = 0;
    for level in 0..24 {
        dir.push_str(&format!("/{level:02}{}", "n".repeat(198)));
        for i in 0..25 {
            let relative = format!("{dir}/{i}.md");
            write_long(&t, &relative, &article(&format!("{level}-{i}")));
            files += 1;
        }
    }
    assert!(dir.len() > 4096);
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let report = last_report(&t.path().join("out"));
    assert_eq!(report["discovered"], files);
    assert_eq!(report["written"], files);
}

/// Writes a file at a path of any length (`std::fs` cannot past PATH_MAX): one directory at a
/// time, relative to the last.
fn write_long(t: &TestDir, relative: &str, text: &str) {
    let mut dir = std::fs::File::open(t.path()).expect("open");
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len() - 1] {
        let name = std::ffi::CString::new(*part).expect("name");
        use std::os::fd::{AsRawFd, FromRawFd};
        // SAFETY: plain *at calls on a descriptor this function owns, with NUL-terminated names.
        unsafe {
            libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o755);
            let next = libc::openat(
                dir.as_raw_fd(),
                name.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY,
            );
            assert!(next >= 0, "open {part}");
            dir = std::fs::File::from_raw_fd(next);
        }
    }
    let name = std::ffi::CString::new(parts[parts.len() - 1]).expect("name");
    use std::os::fd::{AsRawFd, FromRawFd};
    // SAFETY: as above.
    let mut file = unsafe {
        let fd = libc::openat(
            dir.as_raw_fd(),
            name.as_ptr(),
            libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
            0o644,
        );
        assert!(fd >= 0, "create {relative}");
        std::fs::File::from_raw_fd(fd)
    };
    std::io::Write::write_all(&mut file, text.as_bytes()).expect("write");
}

#[test]
fn extensions_match_in_any_case_and_hidden_directories_are_skipped() {
    let t = TestDir::new();
    t.write("in/POST.MD", article("upper"));
    t.write(
        "in/Page.Html",
        "<p>A page in mixed case, with a story in it.</p>",
    );
    t.write("in/.git/notes.md", article("git internals"));
    t.write("in/.draft.md", article("hidden draft"));
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    assert_eq!(source_paths(&t, "out"), vec!["POST.MD", "Page.Html"]);

    t.write(
        "hidden.toml",
        "[input]\npaths = [\"in\"]\nhidden = true\n[output]\ndir = \"hidden\"\n",
    );
    t.lede(["run", "-c", "hidden.toml"]).success();
    assert_eq!(
        source_paths(&t, "hidden"),
        vec![".draft.md", ".git/notes.md", "POST.MD", "Page.Html"]
    );
}

#[test]
fn an_absurd_thread_count_is_refused_at_once() {
    let t = TestDir::new();
    t.write("in/a.md", article("a"));
    let started = Instant::now();
    let refused = t
        .lede(["run", "-i", "in", "-o", "out", "-j", "100000"])
        .code(1);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        refused
            .stderr()
            .contains("--threads is 100000; at most 1024"),
        "{}",
        refused.stderr()
    );
}

#[test]
fn an_output_inside_the_input_is_refused_by_run_and_check() {
    let t = TestDir::new();
    t.write("data/a.md", article("a"));
    for (input, output) in [
        ("data", "data/out"),
        ("data", "data"),
        ("data/a.md", "data"),
    ] {
        let run = t.lede(["run", "-i", input, "-o", output]).code(1);
        t.write(
            "overlap.toml",
            format!("[input]\npaths = [\"{input}\"]\n[output]\ndir = \"{output}\"\n"),
        );
        let check = t.lede(["check", "-c", "overlap.toml"]).code(1);
        for refused in [run, check] {
            assert!(
                refused
                    .stderr()
                    .contains("choose an output outside every input"),
                "-i {input} -o {output}: {}",
                refused.stderr()
            );
        }
    }
    assert!(!t.path().join("data/out").exists());
}
