//! Test harness: a temp dir, the real `lede` binary, and the Python readers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    pub(crate) fn new() -> TestDir {
        TestDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        fs::write(&path, bytes).expect("write");
        path
    }

    /// Copies a directory (e.g. `data`) or a file (`pipeline.toml`) of the repository to `to`.
    pub(crate) fn copy_from_repo(&self, from: &str, to: &str) {
        let from = repo_root().join(from);
        if from.is_dir() {
            copy_dir(&from, &self.path().join(to));
        } else {
            fs::copy(&from, self.path().join(to)).expect("copy a file of the repository");
        }
    }

    /// Runs `lede` with `args` in this directory.
    pub(crate) fn lede<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lede"));
        cmd.args(args).current_dir(self.path());
        let description = format!("{cmd:?}");
        let output = cmd.output().expect("lede runs");
        Run {
            description,
            output,
        }
    }
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

pub(crate) struct Run {
    description: String,
    pub(crate) output: Output,
}

impl Run {
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts the exit code, printing everything about the run when it differs.
    pub(crate) fn code(self, expected: i32) -> Run {
        assert_eq!(
            self.output.status.code(),
            Some(expected),
            "command: {}\nstatus: {}\nstdout:\n{}\nstderr:\n{}",
            self.description,
            self.output.status,
            self.stdout(),
            self.stderr()
        );
        self
    }

    pub(crate) fn success(self) -> Run {
        self.code(0)
    }
}

/// The Python that has duckdb, pandas and pyarrow: `$LEDE_TEST_PYTHON`, else the repository's
/// `.venv` made by `scripts/test.sh`.
pub(crate) fn python() -> PathBuf {
    let path = std::env::var_os("LEDE_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(".venv/bin/python"));
    assert!(
        path.exists(),
        "no Python with duckdb/pandas/pyarrow at {}: run scripts/test.sh (it makes .venv) or set LEDE_TEST_PYTHON",
        path.display()
    );
    path
}

/// What DuckDB and pandas read from the dataset under `out` (see tests/consumers/read_dataset.py).
pub(crate) fn read_dataset(out: &Path) -> serde_json::Value {
    consumer("read_dataset.py", &[out])
}

/// Runs `tests/consumers/SCRIPT` with `args` in the test Python; what it printed, as JSON.
pub(crate) fn consumer(script: &str, args: &[&Path]) -> serde_json::Value {
    let output = python_script(&format!("tests/consumers/{script}"), args);
    assert!(
        output.status.success(),
        "{script} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("{script} prints JSON: {err}"))
}

/// Runs the repository's Python `script` (a path from the repository root) with `args`.
pub(crate) fn python_script(script: &str, args: &[&Path]) -> std::process::Output {
    Command::new(python())
        .arg(repo_root().join(script))
        .args(args)
        .output()
        .expect("python runs")
}

/// The run report of the newest run under `out`.
pub(crate) fn last_report(out: &Path) -> serde_json::Value {
    let mut reports: Vec<PathBuf> = fs::read_dir(out.join("_runs"))
        .expect("_runs exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    reports.sort();
    let newest = reports.last().expect("a run report");
    serde_json::from_slice(&fs::read(newest).expect("read report")).expect("report is JSON")
}

/// A text of `words` pseudo-words (two syllables each, from a seeded generator): texts of
/// different seeds share almost no shingles.
pub(crate) fn story(seed: u64, words: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "be", "do", "fu", "gi", "ha", "jo", "pe",
        "zu",
    ];
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..words)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!(
                "{}{}",
                SYLLABLES[(state & 15) as usize],
                SYLLABLES[((state >> 4) & 15) as usize]
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One article row as the tests compare datasets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Row {
    pub(crate) id: String,
    pub(crate) source_path: String,
    pub(crate) content_hash: String,
    pub(crate) duplicate_of: Option<String>,
}

/// What a reader globbing `articles/**` and `rejects/*` sees of the dataset under `out`: its
/// article rows sorted (repeats kept), and its reject paths sorted.
pub(crate) fn dataset(out: &Path) -> (Vec<Row>, Vec<String>) {
    use arrow_array::{Array, StringArray};
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    let mut files = lede_write::part_files(&out.join("articles"));
    let articles = files.len();
    files.extend(lede_write::part_files(&out.join("rejects")));
    for (n, file) in files.iter().enumerate() {
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            fs::File::open(file).expect("open"),
        )
        .unwrap_or_else(|err| panic!("{} is not Parquet: {err}", file.display()));
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
            let paths = column("source_path");
            if n < articles {
                let (ids, hashes, copies) =
                    (column("id"), column("content_hash"), column("duplicate_of"));
                rows.extend((0..ids.len()).map(|i| Row {
                    id: ids.value(i).to_owned(),
                    source_path: paths.value(i).to_owned(),
                    content_hash: hashes.value(i).to_owned(),
                    duplicate_of: copies.is_valid(i).then(|| copies.value(i).to_owned()),
                }));
            } else {
                rejects.extend((0..paths.len()).map(|i| paths.value(i).to_owned()));
            }
        }
    }
    rows.sort();
    rejects.sort();
    (rows, rejects)
}

/// How a child ended or paused, as `waitpid` tells (`WUNTRACED`: a stop is reported too).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    Stopped,
    Killed(i32),
    Exited(i32),
}

pub(crate) fn wait(pid: u32) -> Wait {
    let pid = i32::try_from(pid).expect("pid");
    let mut status = 0;
    // SAFETY: waiting on our own child; `status` outlives the call.
    let waited = unsafe { libc::waitpid(pid, &mut status, libc::WUNTRACED) };
    assert_eq!(waited, pid, "waitpid");
    if libc::WIFSTOPPED(status) {
        Wait::Stopped
    } else if libc::WIFSIGNALED(status) {
        Wait::Killed(libc::WTERMSIG(status))
    } else {
        Wait::Exited(libc::WEXITSTATUS(status))
    }
}

pub(crate) fn signal(pid: u32, signal: i32) {
    // SAFETY: signalling our own child.
    assert_eq!(
        unsafe { libc::kill(i32::try_from(pid).expect("pid"), signal) },
        0
    );
}

/// One WARC `response` record of a 200 page holding `html`, fetched from `uri`, as one gzip
/// member (as wget and warcio write `.warc.gz`).
pub(crate) fn warc_response(id: &str, uri: &str, html: &str) -> Vec<u8> {
    use std::io::Write;
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let record = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:test:{id}>\r\nWARC-Date: 2024-05-01T10:20:30Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http}\r\n\r\n",
        http.len()
    );
    let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    member.write_all(record.as_bytes()).expect("gzip");
    member.finish().expect("gzip")
}
