//! Hostile and broken input: every file ends as exactly one article or one reject with its stage
//! and a reason, nothing crashes, and no one file stalls the run. Files are generated here.

use std::os::unix::ffi::OsStrExt;

use serde_json::{Value, json};

use crate::util::{TestDir, last_report, read_dataset};

fn billion_laughs() -> String {
    let mut yaml = String::from("---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        yaml.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    yaml + "---\nbody\n"
}

fn encoded(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    encoding.encode(text).0.into_owned()
}

/// Writes every hostile case under `in/` and returns (file name, expected outcome), where the
/// outcome is `article` or the reject stage.
fn write_cases(t: &TestDir) -> Vec<(String, &'static str)> {
    let mut cases: Vec<(String, &'static str)> = Vec::new();
    let mut case = |name: &str, bytes: Vec<u8>, outcome: &'static str| {
        t.write(&format!("in/{name}"), bytes);
        cases.push((name.to_owned(), outcome));
    };
    case(
        "invalid-utf8.txt",
        b"Caf\xe9 cr\xe8me: une histoire fran\xe7aise tr\xe8s longue \xff\xfe.".to_vec(),
        "article",
    );
    case(
        "gb18030.txt",
        encoded(
            encoding_rs::GB18030,
            "中国制造的领军者，航天科技集团推动中国航天进入太空行走时代。",
        ),
        "article",
    );
    case(
        "big5.txt",
        encoded(
            encoding_rs::BIG5,
            "臺灣新聞報導：立法院今日通過預算案，行政院長表示將全力執行。",
        ),
        "article",
    );
    case(
        "shift_jis.txt",
        encoded(
            encoding_rs::SHIFT_JIS,
            "ある日の暮方の事である。一人の下人が、羅生門の下で雨やみを待っていた。",
        ),
        "article",
    );
    case(
        "euc-kr.txt",
        encoded(
            encoding_rs::EUC_KR,
            "서울 시청 앞 광장에서 시민들이 모여 새해를 맞이했습니다. 날씨가 좋았습니다.",
        ),
        "article",
    );
    case("empty.md", Vec::new(), "parse");
    case("blank.md", b"\n \n\t\n".to_vec(), "parse");
    case(
        "png-renamed.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec(),
        "decode",
    );
    case(
        "gzip-renamed.md",
        b"\x1f\x8b\x08\0\0\0\0\0\0\x03\xcb\x48\xcd\xc9\xc9\x07\0".to_vec(),
        "decode",
    );
    case(
        "nul-bytes.txt",
        b"some\0text\0with\0nuls".to_vec(),
        "decode",
    );
    case(
        "only-front-matter.md",
        b"---\ntitle: Only a title\ndate: 2024-01-01\n---\n".to_vec(),
        "article",
    );
    case(
        "unterminated-fence.md",
        b"---\ntitle: never closed\nauthor: x\n\nbody\n".to_vec(),
        "parse",
    );
    case(
        "malformed-yaml.md",
        b"---\ntitle: 'broken' quote' here\nauthor: @someone\n---\ntext\n".to_vec(),
        "article",
    );
    case(
        "garbage-toml.md",
        b"+++\n[[[ }}} = = =\n+++\ntext\n".to_vec(),
        "parse",
    );
    case("billion-laughs.md", billion_laughs().into_bytes(), "parse");
    case(
        "deep-yaml.md",
        format!(
            "---\na: {}{}\n---\nx\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        )
        .into_bytes(),
        "parse",
    );
    case("deep-aliases.md", b"---\na: &a [x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\nx\n".to_vec(), "parse");
    case(
        "deep-html.html",
        format!(
            "<p>start</p>{}deep{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        )
        .into_bytes(),
        "article",
    );
    // A whole page of story containers nested 20,000 deep: parsing stops at the step budget
    // (~4,300 levels), and what was parsed is scored. (That scoring is linear in the depth is
    // checked by instruction count in lede-clean's `scaling` test.)
    case(
        "deep-story-page.html",
        format!(
            "<!DOCTYPE html><html><body>{}deep{}</body></html>",
            "<article class=\"entry-content\"><p>A sentence, with a comma.</p>".repeat(20_000),
            "</article>".repeat(20_000)
        )
        .into_bytes(),
        "article",
    );
    // One tag of 60,000 attributes (1.8 billion name comparisons in html5ever's tokenizer): the
    // tag keeps 256, and the text before and after it stays.
    case(
        "many-attributes.html",
        format!(
            "<p>The story before the tag.</p><div {}>The story inside.</div><p>And after.</p>",
            (0..60_000)
                .map(|i| format!("a{i}=\"v\""))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        "article",
    );
    case(
        "long-line.txt",
        "word ".repeat(200_000).into_bytes(),
        "article",
    );
    case(
        "big-front-matter.md",
        format!("---\ntitle: {}\n---\nx\n", "t".repeat(100 * 1024)).into_bytes(),
        "parse",
    );
    case(
        "with space and 'quotes' and \"dq\".md",
        b"plain words here\n".to_vec(),
        "article",
    );
    case(
        "new\nline.md",
        b"a file name with a newline\n".to_vec(),
        "article",
    );
    case(
        "日本語の名前.md",
        b"non-ASCII file name\n".to_vec(),
        "article",
    );
    cases
}

#[test]
fn every_hostile_input_is_one_row_or_one_reject_with_a_reason() {
    let t = TestDir::new();
    let mut cases = write_cases(&t);
    // A file over limits.max_file_mb (lowered for the test) is rejected unread.
    t.write("in/too-large.txt", vec![b'a'; 3 * 1024 * 1024]);
    cases.push(("too-large.txt".into(), "read"));
    // A name that is not UTF-8.
    let bad_name = std::ffi::OsStr::from_bytes(b"bad-\xff-name.md");
    std::fs::write(
        t.path().join("in").join(bad_name),
        "invalid UTF-8 in the file name\n",
    )
    .expect("write");
    cases.push(("bad-\u{fffd}FF-name.md".into(), "article"));
    // A symlink loop, followed since links inside the input are.
    std::fs::create_dir_all(t.path().join("in/loop")).expect("mkdir");
    std::os::unix::fs::symlink(t.path().join("in"), t.path().join("in/loop/back"))
        .expect("symlink");
    cases.push(("loop/back".into(), "read"));

    t.write(
        "pipeline.toml",
        "[input]\npaths = [\"in\"]\ninclude = [\"**/*\"]\nfollow_symlinks = \"within_input\"\n[output]\ndir = \"out\"\n[limits]\nmax_file_mb = 2\nmax_front_matter_kb = 64\n",
    );
    t.lede(["run"]).code(3); // many rejects, by design
    let out = t.path().join("out");
    let seen = read_dataset(&out);
    let report = last_report(&out);
    assert_eq!(report["discovered"], json!(cases.len()), "{report:#}");
    assert_eq!(
        report["written"].as_u64().unwrap() + report["rejected"].as_u64().unwrap(),
        cases.len() as u64
    );

    let rejects: Vec<&Value> = seen["duckdb"]["rejects"]
        .as_array()
        .expect("rejects")
        .iter()
        .collect();
    let rows = seen["duckdb"]["rows"].as_array().expect("rows");
    for (name, outcome) in &cases {
        let reject = rejects.iter().find(|r| r[0] == json!(name));
        let row = rows.iter().find(|r| r["source_path"] == json!(name));
        match (*outcome, reject, row) {
            ("article", None, Some(_)) => {}
            (stage, Some(r), None) if stage != "article" => {
                assert_eq!(r[1], json!(stage), "{name}: {r}");
                assert!(
                    r[2].as_str().is_some_and(|e| e.len() > 10),
                    "{name}: reason too thin: {r}"
                );
            }
            _ => panic!(
                "{name}: expected {outcome}, got reject {reject:?} row {}",
                row.is_some()
            ),
        }
    }
    let reason = |name: &str| {
        rejects
            .iter()
            .find(|r| r[0] == json!(name))
            .map(|r| r[2].as_str().expect("str").to_owned())
    };
    assert!(
        reason("too-large.txt")
            .expect("reject")
            .contains("limits.max_file_mb")
    );
    assert!(
        reason("big-front-matter.md")
            .expect("reject")
            .contains("limits.max_front_matter_kb")
    );
    assert!(
        reason("billion-laughs.md")
            .expect("reject")
            .contains("resource budget")
    );
    assert!(
        reason("loop/back")
            .expect("reject")
            .contains("symlink loop")
    );
    assert!(
        reason("empty.md")
            .expect("reject")
            .contains("file is empty")
    );

    let row = |name: &str| {
        rows.iter()
            .find(|r| r["source_path"] == json!(name))
            .expect("row")
    };
    assert!(
        row("deep-html.html")["warnings"]
            .to_string()
            .contains("html_budget_exceeded")
    );
    for name in ["deep-story-page.html", "many-attributes.html"] {
        assert!(
            row(name)["warnings"]
                .to_string()
                .contains("html_budget_exceeded"),
            "{name}"
        );
    }
    assert_eq!(
        row("many-attributes.html")["text"],
        json!("The story before the tag.\n\nThe story inside.\n\nAnd after.")
    );
    assert!(
        row("malformed-yaml.md")["warnings"]
            .to_string()
            .contains("front_matter_recovered")
    );
    assert_eq!(row("only-front-matter.md")["title"], json!("Only a title"));
    assert_eq!(row("gb18030.txt")["lang"], json!("zh"));
    assert_eq!(row("shift_jis.txt")["lang"], json!("ja"));
    assert_eq!(row("euc-kr.txt")["lang"], json!("ko"));
    assert!(
        row("big5.txt")["text"]
            .as_str()
            .expect("text")
            .contains("臺灣新聞報導")
    );
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_previous_dataset_stays() {
    let t = TestDir::new();
    t.copy_from_repo("data/seeds", "in");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let before = read_dataset(&t.path().join("out"));
    // Enough incompressible text that a part file outgrows the limit below.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..200 {
        let words: Vec<String> = (0..400)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                format!("{state:x}")
            })
            .collect();
        t.write(
            &format!("in/more/{i}.md"),
            format!("---\ntitle: {i}\n---\n{}\n", words.join(" ")),
        );
    }
    // RLIMIT_FSIZE of 256 KiB stands in for a full disk: writes past it fail with EFBIG.
    let lede = env!("CARGO_BIN_EXE_lede");
    let output = std::process::Command::new("bash")
        .args([
            "-c",
            &format!("ulimit -f 256 && exec '{lede}' run -i in -o out"),
        ])
        .current_dir(t.path())
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("lede: error: the run failed"), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert!(
        !t.path().join("out/_staging").exists(),
        "staging cleaned up"
    );
    assert_eq!(
        read_dataset(&t.path().join("out"))["duckdb"]["rows"],
        before["duckdb"]["rows"],
        "previous dataset intact"
    );
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    assert_eq!(
        read_dataset(&t.path().join("out"))["duckdb"]["count"],
        json!(205)
    );
}

#[test]
fn an_unreadable_file_is_a_read_reject() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestDir::new();
    t.write("in/readable.md", "text\n");
    let secret = t.write("in/secret.md", "text\n");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    for dir in [t.path().to_owned(), t.path().join("in")] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    }
    let output = lede_unprivileged(&t, &["run", "-i", "in", "-o", "out"]);
    assert_eq!(
        output.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen = read_dataset(&t.path().join("out"));
    assert_eq!(seen["duckdb"]["count"], json!(1));
    let reject = &seen["duckdb"]["rejects"][0];
    assert_eq!(
        (&reject[0], &reject[1]),
        (&json!("secret.md"), &json!("read"))
    );
    assert!(
        reject[2]
            .as_str()
            .expect("reason")
            .contains("Permission denied"),
        "{reject}"
    );
}

/// Runs lede in `t` as `nobody` when the suite runs as root (root bypasses file permissions,
/// which these tests are about), else as the current user.
fn lede_unprivileged(t: &TestDir, args: &[&str]) -> std::process::Output {
    let lede = env!("CARGO_BIN_EXE_lede");
    // SAFETY: geteuid has no preconditions and cannot fail.
    let mut cmd = if unsafe { libc::geteuid() } == 0 {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", lede]);
        c
    } else {
        std::process::Command::new(lede)
    };
    cmd.args(args)
        .current_dir(t.path())
        .output()
        .expect("lede runs")
}

#[test]
fn an_unwritable_output_directory_is_a_clear_error_and_the_dataset_stays() {
    use std::os::unix::fs::PermissionsExt;
    let t = TestDir::new();
    t.write("in/a.md", "text\n");
    std::fs::set_permissions(t.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let first = lede_unprivileged(&t, &["run", "-i", "in", "-o", "out"]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = read_dataset(&t.path().join("out"));
    t.write("in/b.md", "more text\n");
    std::fs::set_permissions(t.path().join("out"), std::fs::Permissions::from_mode(0o555))
        .expect("chmod");
    let output = lede_unprivileged(&t, &["run", "-i", "in", "-o", "out"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("lede: error: "), "{stderr}");
    assert!(stderr.contains("Permission denied"), "{stderr}");
    std::fs::set_permissions(t.path().join("out"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    assert_eq!(
        read_dataset(&t.path().join("out"))["duckdb"]["rows"],
        before["duckdb"]["rows"]
    );
}

#[test]
fn a_panic_in_a_stage_is_a_reject_at_that_stage_and_the_run_goes_on() {
    for stage in ["parse", "clean"] {
        let t = TestDir::new();
        t.write("in/ok.md", "A plain story that cleans.\n");
        t.write("in/will-panic.md", "A story that meets a bug.\n");
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_lede"))
            .args(["run", "-i", "in", "-o", "out"])
            .current_dir(t.path())
            .env("LEDE_FAILPOINT", format!("panic-in-{stage}"))
            .output()
            .expect("lede runs");
        assert_eq!(output.status.code(), Some(3), "{stage}: 1 of 2 rejected");
        let seen = read_dataset(&t.path().join("out"));
        assert_eq!(
            seen["duckdb"]["count"],
            json!(1),
            "{stage}: the run went on"
        );
        let reject = &seen["duckdb"]["rejects"][0];
        assert_eq!(
            (&reject[0], &reject[1]),
            (&json!("will-panic.md"), &json!(stage))
        );
        assert!(
            reject[2].as_str().is_some_and(|e| e.starts_with(
                "internal error (a bug in lede, please report it with this file): a panic injected"
            )),
            "{reject}"
        );
    }
}
