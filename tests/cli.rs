//! The command line: help, schema, config errors, exit codes, quiet cron runs.

use crate::util::{TestDir, read_dataset};

#[test]
fn cron_run_is_silent_on_success() {
    let t = TestDir::new();
    t.write("in/a.md", "---\ntitle: A\n---\ntext\n");
    let run = t.lede(["run", "-i", "in", "-o", "out"]).success();
    assert_eq!((run.stdout(), run.stderr()), (String::new(), String::new()));
}

#[test]
fn verbose_prints_one_summary_line() {
    let t = TestDir::new();
    t.write("in/a.md", "---\ntitle: A\n---\ntext\n");
    let run = t
        .lede(["run", "-i", "in", "-o", "out", "--verbose"])
        .success();
    let stderr = run.stderr();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(
            "lede: 1 inputs → 1 articles, 0 rejects, 0 unchanged (1 new, 0 replaced) in "
        ),
        "{stderr}"
    );
    // A run of one file says nothing of speed: no rates, no CPU share.
    assert!(
        !stderr.contains("% CPU") && !stderr.contains("inputs/s"),
        "{stderr}"
    );
    assert_eq!(run.stdout(), "");
    // The report's CPU is the run's own: at most the threads' share of its wall time.
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::fs::read_dir(t.path().join("out/_runs"))
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path(),
        )
        .unwrap(),
    )
    .unwrap();
    let (cpu, wall) = (
        report["cpu_seconds"].as_f64(),
        report["wall_seconds"].as_f64(),
    );
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    assert!(cpu.unwrap() <= wall.unwrap() * threads + 0.002, "{report}");
}

#[test]
fn default_config_is_read_from_the_working_directory() {
    let t = TestDir::new();
    t.write("articles/a.md", "---\ntitle: A\n---\ntext\n");
    t.write(
        "pipeline.toml",
        "[input]\npaths = [\"articles\"]\n[output]\ndir = \"dataset\"\n",
    );
    t.lede(["run"]).success();
    assert!(t.path().join("dataset/articles").is_dir());
}

#[test]
fn unknown_config_key_is_a_fatal_error_naming_it() {
    let t = TestDir::new();
    t.write("pipeline.toml", "[run]\nthreds = 2\n");
    let run = t.lede(["run"]).code(1);
    let stderr = run.stderr();
    assert!(
        stderr.starts_with("lede: error: invalid config file pipeline.toml"),
        "{stderr}"
    );
    assert!(stderr.contains("threds"), "{stderr}");
}

#[test]
fn missing_input_is_a_fatal_error() {
    let t = TestDir::new();
    let run = t.lede(["run", "-i", "nowhere", "-o", "out"]).code(1);
    assert!(
        run.stderr().contains("input nowhere does not exist"),
        "{}",
        run.stderr()
    );
    assert!(!t.path().join("out").exists());
}

#[test]
fn unwritable_output_is_a_fatal_error() {
    let t = TestDir::new();
    t.write("in/a.md", "text\n");
    t.write("out", "a file where the output directory should be");
    let run = t.lede(["run", "-i", "in", "-o", "out"]).code(1);
    assert!(
        run.stderr().contains("cannot create the output directory"),
        "{}",
        run.stderr()
    );
}

#[test]
fn too_many_rejects_exit_3_but_the_dataset_is_written() {
    let t = TestDir::new();
    t.write("in/good.md", "text\n");
    t.write("in/bad.md", b"\x89PNG\r\n\x1a\n");
    let run = t.lede(["run", "-i", "in", "-o", "out"]).code(3);
    assert!(
        run.stderr().contains("1 of 2 inputs rejected (50.0%)"),
        "{}",
        run.stderr()
    );
    assert!(t.path().join("out/articles").is_dir());
}

#[test]
fn a_second_concurrent_run_exits_4() {
    let t = TestDir::new();
    t.write("in/a.md", "text\n");
    std::fs::create_dir(t.path().join("out")).expect("mkdir");
    let lock = std::fs::File::create(t.path().join("out/.lede.lock")).expect("lock file");
    lock.try_lock().expect("test takes the lock");
    let run = t.lede(["run", "-i", "in", "-o", "out"]).code(4);
    assert!(
        run.stderr().contains("another run is writing to out"),
        "{}",
        run.stderr()
    );
    drop(lock);
    t.lede(["run", "-i", "in", "-o", "out"]).success();
}

#[test]
fn schema_lists_every_column() {
    let t = TestDir::new();
    let out = t.lede(["schema"]).success().stdout();
    for column in [
        "id",
        "source_path",
        "encoding",
        "front_matter",
        "body_format",
        "title",
        "author",
        "url",
        "site",
        "published_at",
        "date_source",
        "categories",
        "tags",
        "lead_image",
        "images",
        "links",
        "text",
        "lang",
        "char_count",
        "word_count",
        "paragraph_count",
        "content_hash",
        "extra",
        "warnings",
        "ingested_at",
        "stage",
        "error",
    ] {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(&format!("{column} "))),
            "{column} missing:\n{out}"
        );
    }
}

#[test]
fn help_names_the_exit_codes() {
    let t = TestDir::new();
    for help in [["--help"].as_slice(), &["run", "--help"], &["run", "-h"]] {
        let out = t.lede(help).success().stdout();
        assert!(out.contains("Exit codes:\n  0  done"), "{out}");
        assert!(
            out.contains("  3  done and published, but more inputs rejected"),
            "{out}"
        );
    }
}

#[test]
fn every_config_problem_is_reported_at_once() {
    let t = TestDir::new();
    t.write(
        "pipeline.toml",
        "[output]\nzstd_levl = 3\n[ouput]\ndir = \"x\"\n[run]\nthreads = \"two\"\n",
    );
    let stderr = t.lede(["run"]).code(1).stderr();
    for needle in [
        "3 problems",
        "unknown key output.zstd_levl; did you mean zstd_level?",
        "unknown table [ouput]; did you mean output?",
        "run.threads: invalid type: string \"two\", expected usize",
    ] {
        assert!(stderr.contains(needle), "{needle} missing from: {stderr}");
    }
}

#[test]
fn a_missing_input_names_the_flag() {
    let t = TestDir::new();
    let stderr = t.lede(["run", "-o", "out"]).code(1).stderr();
    assert!(
        stderr.contains("no input: give --input DIR (or set input.paths in pipeline.toml)"),
        "{stderr}"
    );
    assert!(!stderr.contains("configuration has"), "{stderr}");
}

#[test]
fn inspect_prints_the_article_and_a_reject_is_an_error() {
    let t = TestDir::new();
    t.write(
        "a.md",
        "---\ntitle: Hello\ndate: 2024-01-02\n---\n# Hi\n\nBody *text*.\n",
    );
    let a: serde_json::Value =
        serde_json::from_str(&t.lede(["inspect", "a.md"]).success().stdout()).expect("JSON");
    assert_eq!(a["title"], "Hello");
    assert_eq!(a["published_at"], "2024-01-02T00:00:00Z");
    assert_eq!(a["text"], "Hi\n\nBody text.");
    t.write("b.md", "");
    let run = t.lede(["inspect", "b.md"]).code(1);
    assert!(
        run.stderr()
            .contains("b.md is rejected at the parse stage: file is empty"),
        "{}",
        run.stderr()
    );
}

#[test]
fn inspect_shows_how_the_story_of_a_whole_page_was_found() {
    let t = TestDir::new();
    let paragraph = "<p>The council voted on Tuesday to close the old bridge, which has carried traffic over the river since 1921, after engineers found cracks in two of its piers.</p>";
    t.write(
        "page.html",
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Bridge closes | Town News</title>\
             <meta name=\"author\" content=\"Ann Lee\"></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
             <div id=\"story\"><h1>Bridge closes</h1>{p}{p}</div>\
             <div id=\"comments\"><p>I disagree with every word of this, the bridge is fine and always was.</p></div>\
             </body></html>",
            p = paragraph
        ),
    );
    let a: serde_json::Value =
        serde_json::from_str(&t.lede(["inspect", "page.html"]).success().stdout()).expect("JSON");
    assert_eq!(a["title"], "Bridge closes");
    assert_eq!(a["author"], "Ann Lee");
    assert!(
        a["text"]
            .as_str()
            .is_some_and(|text| text.starts_with("The council voted")
                && !text.contains("Home")
                && !text.contains("disagree"))
    );
    let candidates = a["main_content_candidates"].as_array().expect("candidates");
    assert!(candidates.len() > 1);
    assert_eq!(candidates[0]["element"], "html > body > div#story");
    assert_eq!(candidates[0]["chosen"], true);
    assert_eq!(a["main_content_read"], "html > body > div#story");
    // The story in one paragraph of a table cell: the cell is read, the paragraph is chosen.
    t.write(
        "cell.html",
        format!(
            "<!DOCTYPE html><html><head><title>T</title></head><body>\
             <table><tr><td><a href=\"/a\">Menu one</a> <a href=\"/b\">Menu two</a></td></tr>\
             <tr><td>{p}</td></tr></table></body></html>",
            p = paragraph.repeat(3).replace("</p><p>", " ")
        ),
    );
    let cell: serde_json::Value =
        serde_json::from_str(&t.lede(["inspect", "cell.html"]).success().stdout()).expect("JSON");
    let cell_candidates = cell["main_content_candidates"]
        .as_array()
        .expect("candidates");
    assert_eq!(cell_candidates[0]["chosen"], true, "{cell}");
    assert_eq!(
        cell_candidates
            .iter()
            .filter(|c| c["chosen"] == true)
            .count(),
        1
    );
    assert!(
        cell["main_content_read"]
            .as_str()
            .is_some_and(|read| read.ends_with(", the container of the chosen tr > td > p")),
        "{cell}"
    );
    // Too little text for any subtree to stand out: the whole page is read, and said so.
    t.write(
        "short.html",
        "<!DOCTYPE html><html><head><title>T</title></head><body><p>Hi.</p></body></html>",
    );
    let short: serde_json::Value =
        serde_json::from_str(&t.lede(["inspect", "short.html"]).success().stdout()).expect("JSON");
    assert_eq!(
        short["main_content_read"], "the whole page: no subtree stood out",
        "{short}"
    );
    assert_eq!(short["main_content_candidates"], serde_json::json!([]));
    assert!(candidates[0]["score"].as_f64() > candidates[1]["score"].as_f64());
    // A fragment has no candidates to show.
    t.write("frag.html", paragraph);
    let f: serde_json::Value =
        serde_json::from_str(&t.lede(["inspect", "frag.html"]).success().stdout()).expect("JSON");
    assert!(f.get("main_content_candidates").is_none());
}

#[test]
fn check_validates_without_running() {
    let t = TestDir::new();
    t.write("data/a.md", "---\ntitle: A\n---\ntext\n");
    t.write("pipeline.toml", "[input]\npaths = [\"data\"]\n");
    let out = t.lede(["check"]).success().stdout();
    assert_eq!(
        out,
        "lede: the configuration is valid; the inputs hold 1 file to read\n"
    );
    // Globs that match nothing: valid, but said.
    t.write(
        "none.toml",
        "[input]\npaths = [\"data\"]\ninclude = [\"*.rst\"]\n",
    );
    let none = t.lede(["check", "-c", "none.toml"]).success();
    assert!(
        none.stderr().starts_with(
            "lede: warning: no input files: nothing under ./data matches input.include"
        ),
        "{}",
        none.stderr()
    );
    assert!(none.stdout().ends_with("hold 0 files to read\n"));
    assert!(!t.path().join("out").exists(), "check does not run");
    t.write(
        "bad.toml",
        "[input]\npaths = [\"nowhere\"]\n[run]\ntimezone = \"Nowhere/City\"\n",
    );
    let run = t.lede(["check", "-c", "bad.toml"]).code(1);
    assert!(run.stderr().contains("2 problems"), "{}", run.stderr());
}

#[test]
fn check_sample_runs_and_checks_rejects() {
    let t = TestDir::new();
    t.copy_from_repo("data/seeds", "sample");
    let out = t.lede(["check", "--sample", "sample"]).success().stdout();
    assert!(
        out.contains("the sample (5 inputs → 5 articles, 0 rejects) matches schema version 4"),
        "{out}"
    );
    t.write("sample/broken.md", b"\x89PNG\r\n\x1a\n");
    let run = t.lede(["check", "--sample", "sample"]).code(1);
    assert!(
        run.stderr().contains("1 of 6 sample inputs rejected"),
        "{}",
        run.stderr()
    );
}

#[test]
fn schema_json_matches_the_text() {
    let t = TestDir::new();
    let json: serde_json::Value =
        serde_json::from_str(&t.lede(["schema", "--json"]).success().stdout()).expect("JSON");
    assert_eq!(json["schema_version"], "4");
    assert_eq!(
        json["articles"][0],
        serde_json::json!({"name": "id", "type": "Utf8", "nullable": false})
    );
    assert_eq!(json["articles"].as_array().expect("fields").len(), 28);
    assert_eq!(json["rejects"].as_array().expect("fields").len(), 4);
}

#[test]
fn json_logs_are_one_object_per_line() {
    let t = TestDir::new();
    t.write("in/a.md", "text\n");
    let run = t
        .lede(["run", "-i", "in", "-o", "out", "-v", "--log-format", "json"])
        .success();
    let line: serde_json::Value =
        serde_json::from_str(run.stderr().trim()).expect("one JSON object");
    assert_eq!(
        (&line["level"], &line["report"]["written"]),
        (&serde_json::json!("info"), &serde_json::json!(1))
    );
    let run = t
        .lede(["run", "-i", "nowhere", "-o", "out", "--log-format", "json"])
        .code(1);
    let line: serde_json::Value =
        serde_json::from_str(run.stderr().trim()).expect("one JSON object");
    assert_eq!(line["level"], "error");
}

#[test]
fn site_rules_in_the_config_apply_by_host_and_by_feed() {
    let t = TestDir::new();
    t.write(
        "in/wire/a.md",
        "---\ntitle: A\nurl: https://www.news.example/a\n---\n<div class=\"menu\">Home</div><div class=\"story\"><p>Story.</p><p class=\"sig\">Follow us</p></div>\n",
    );
    t.write(
        "in/blog/b.md",
        "---\ntitle: B\n---\n<p>Post.</p><div class=\"related\">More posts</div><p class=\"sig\">Follow us</p>\n",
    );
    t.write(
        "lede.toml",
        "[input]\npaths = [\"in\"]\n[output]\ndir = \"out\"\n\n[[site]]\nhosts = [\"*.news.example\"]\ncontent = \".story\"\n\n[[site]]\npaths = [\"blog/**\"]\ndrop = [\"p.sig\"]\n",
    );
    t.lede(["run", "-c", "lede.toml"]).success();
    let seen = read_dataset(&t.path().join("out"));
    let texts: Vec<(&str, &str)> = seen["duckdb"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["source_path"].as_str().expect("path"),
                r["text"].as_str().expect("text"),
            )
        })
        .collect();
    // The host rule keeps only the story root; the feed rule drops the signature; the built-in
    // rules still drop the related list.
    assert_eq!(
        texts,
        vec![("blog/b.md", "Post."), ("wire/a.md", "Story.\n\nFollow us")]
    );
}

#[test]
fn zero_inputs_are_a_warning_cron_sees_and_a_dataset_readers_can_query() {
    let t = TestDir::new();
    t.write("empty/.keep", "");
    t.write("posts/a.rst", "not an article by the default globs\n");
    for input in ["empty", "posts"] {
        let run = t.lede(["run", "-i", input, "-o", "out", "-q"]).success();
        assert!(
            run.stderr().contains(&format!(
                "lede: warning: no input files: nothing under {input} matches input.include and not input.exclude"
            )),
            "{}",
            run.stderr()
        );
    }
    // Every reading example of the README runs on the empty dataset and finds no row.
    let readme = crate::util::repo_root().join("README.md");
    let ran = crate::util::consumer("readme_snippets.py", &[&readme, t.path()]);
    let ran = ran.as_array().expect("a list of blocks");
    assert_eq!(ran.len(), 6, "{ran:?}");
    assert!(ran.iter().all(|block| block["rows"] == 0), "{ran:?}");

    // Files found: no such warning, and the empty files go once their tables have rows.
    let empty_files = |t: &TestDir| {
        ["articles", "rejects"]
            .iter()
            .flat_map(|table| lede_write::part_files(&t.path().join("out").join(table)))
            .filter(|f| f.to_string_lossy().ends_with("-empty.parquet"))
            .count()
    };
    assert_eq!(empty_files(&t), 2);
    t.write("posts/b.md", "---\ntitle: B\n---\ntext\n");
    t.write("posts/c.md", "");
    t.write("lede.toml", "[run]\nmax_reject_ratio = 1.0\n");
    let run = t
        .lede(["run", "-c", "lede.toml", "-i", "posts", "-o", "out", "-q"])
        .success();
    assert!(!run.stderr().contains("no input files"), "{}", run.stderr());
    assert_eq!(empty_files(&t), 0);
}

#[test]
fn inspect_shows_the_row_lede_run_writes_for_every_sample_file() {
    let t = TestDir::new();
    t.copy_from_repo("data", "data");
    t.copy_from_repo("pipeline.toml", "pipeline.toml");
    t.lede(["run", "-o", "out"]).success();
    let dataset = crate::util::consumer("all_rows.py", &[&t.path().join("out")]);
    let rows = dataset["rows"].as_array().expect("rows");
    assert!(rows.len() > 40, "{}", rows.len());
    let urls = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .map(|items| items.iter().map(|i| i["url"].to_string()).collect())
            .unwrap_or_default()
    };
    for row in rows {
        let path = row["source_path"].as_str().expect("source_path");
        let inspected = t.lede(["inspect", &format!("data/{path}")]).success();
        let record: serde_json::Value =
            serde_json::from_str(&inspected.stdout()).expect("inspect prints JSON");
        for key in ["id", "source_path", "content_hash", "title", "lang", "url"] {
            assert_eq!(record[key], row[key], "{key} of {path}");
        }
        for key in ["images", "links"] {
            assert_eq!(urls(&record[key]), urls(&row[key]), "{key} of {path}");
        }
        assert!(
            inspected.stderr().contains(&format!(
                "{path} read as `lede run` reads it, under input ./data"
            )),
            "{}",
            inspected.stderr()
        );
    }
}

#[test]
fn completions_load_in_their_shell_and_know_the_flags() {
    let t = TestDir::new();
    let bash = t.lede(["completions", "bash"]).success().stdout();
    t.write("lede.bash", &bash);
    // Sourced by a real bash: the function is defined and bound to `lede`.
    let loaded = std::process::Command::new("bash")
        .args(["-c", "source ./lede.bash && complete -p lede"])
        .current_dir(t.path())
        .output()
        .expect("bash runs");
    assert!(
        String::from_utf8_lossy(&loaded.stdout).contains("lede"),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(bash.contains("--prune-deleted") && bash.contains("completions"));
    assert!(
        t.lede(["completions", "zsh"])
            .success()
            .stdout()
            .starts_with("#compdef lede")
    );
    assert!(
        t.lede(["completions", "fish"])
            .success()
            .stdout()
            .contains("complete -c lede")
    );
    t.lede(["completions", "tcsh"]).code(2);
}

#[test]
fn man_pages_for_lede_and_each_subcommand() {
    let t = TestDir::new();
    let page = t.lede(["man"]).success().stdout();
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(
        page.contains(".TH lede 1") && page.contains("Exit codes:"),
        "{page}"
    );
    let run = t.lede(["man", "run"]).success().stdout();
    assert!(
        run.contains(".TH lede-run 1") && run.contains("prune\\-deleted"),
        "{run}"
    );
    let missing = t.lede(["man", "nope"]).code(1);
    assert!(
        missing
            .stderr()
            .contains("no subcommand nope; the subcommands are run,"),
        "{}",
        missing.stderr()
    );
}

#[test]
fn the_readmes_shell_examples_run_as_written() {
    let t = TestDir::new();
    t.copy_from_repo("data", "data");
    t.lede(["run", "-i", "data", "-o", "out"]).success();
    let readme = std::fs::read_to_string(crate::util::repo_root().join("README.md")).unwrap();
    let lede_dir = std::path::Path::new(env!("CARGO_BIN_EXE_lede"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        lede_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for heading in ["\n## Seeing the data", "\n## Running it nightly"] {
        let start = readme.find(heading).expect("the README has the section");
        let end = readme[start + 1..]
            .find("\n## ")
            .map_or(readme.len(), |e| start + 1 + e);
        for block in readme[start..end].split("```sh\n").skip(1) {
            let script = block.split("```").next().unwrap();
            let done = std::process::Command::new("bash")
                .args(["-euo", "pipefail", "-c", script])
                .env("PATH", &path)
                .current_dir(t.path())
                .output()
                .expect("bash runs");
            assert!(
                done.status.success() && !done.stdout.is_empty(),
                "{script}\n{}",
                String::from_utf8_lossy(&done.stderr)
            );
            ran += 1;
        }
    }
    assert_eq!(ran, 2);
    assert!(t.path().join("report.html").is_file());
}

/// The fenced block of `language` in `readme`, from the first line that opens one.
fn readme_block<'a>(readme: &'a str, language: &str) -> &'a str {
    let start = readme
        .find(&format!("```{language}\n"))
        .unwrap_or_else(|| panic!("the README has a {language} block"))
        + language.len()
        + 4;
    &readme[start..start + readme[start..].find("```").expect("the block closes")]
}

#[test]
fn the_readmes_cron_line_and_ci_step_run_as_written() {
    let t = TestDir::new();
    t.copy_from_repo("data", "data");
    t.copy_from_repo("pipeline.toml", "pipeline.toml");
    let readme = std::fs::read_to_string(crate::util::repo_root().join("README.md")).unwrap();
    let lede = env!("CARGO_BIN_EXE_lede");

    // The crontab line, with the project's directory and the installed binary standing in for
    // its example paths, in the environment cron gives: no terminal, a bare PATH, no stdin.
    let line = readme_block(&readme, "cron")
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .expect("a crontab line");
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert!(
        fields[..5]
            .iter()
            .all(|f| f.chars().all(|c| c.is_ascii_digit() || "*/,-".contains(c))),
        "five schedule fields: {line}"
    );
    let command = line
        .splitn(6, char::is_whitespace)
        .filter(|f| !f.is_empty())
        .nth(5)
        .map(str::trim)
        .expect("a command after the schedule");
    let command = command
        .replace("/srv/lede", &t.path().display().to_string())
        .replace("/usr/local/bin/lede", lede);
    for night in 1..=2 {
        let done = std::process::Command::new("/bin/sh")
            .args(["-c", &command])
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", t.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("sh runs");
        assert!(done.status.success(), "night {night}: {done:?}");
        assert!(
            done.stdout.is_empty() && done.stderr.is_empty(),
            "night {night}: cron would mail {done:?}"
        );
    }
    assert!(!lede_write::part_files(&t.path().join("out/articles")).is_empty());

    // The CI step: its install is the README's install command, and its check passes.
    let step = readme_block(&readme, "yaml")
        .trim()
        .strip_prefix("- run: ")
        .expect("a run step");
    let (install, check) = step.split_once(" && ").expect("install && check");
    assert!(
        readme.contains(&format!("\n{install} ")),
        "the CI step installs as the README says: {install}"
    );
    let lede_dir = std::path::Path::new(lede).parent().unwrap();
    let done = std::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", check])
        .env("PATH", format!("{}:/usr/bin:/bin", lede_dir.display()))
        .current_dir(t.path())
        .output()
        .expect("bash runs");
    assert!(done.status.success(), "{check}: {done:?}");
}
