//! Inputs that are not one plain file per article: single compressed files (`page.html.gz`,
//! `post.md.zst`), WARC archives (warcio's, wget's) and JSON Lines files become the articles
//! their loose copies
//! are; a bomb, a broken stream or a broken record is a reject of its own alone; an archive is
//! the unit of change of incremental runs.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use crate::util::{
    TestDir, consumer, dataset, last_report, python_script, repo_root, warc_response,
};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// Copies every file under `from` to `to`, each compressed in turn as one gzip member, two
/// gzip members (as `cat a.gz b.gz` makes) or a zstd frame, with the suffix that says so.
fn pack(from: &Path, to: &Path) -> usize {
    let mut files: Vec<_> = walk(from);
    files.sort();
    for (n, file) in files.iter().enumerate() {
        let bytes = fs::read(file).expect("read");
        let relative = file.strip_prefix(from).expect("under from");
        let (suffix, packed) = match n % 3 {
            0 => ("gz", gzip(&bytes)),
            1 => {
                let (head, tail) = bytes.split_at(bytes.len() / 2);
                ("gz", [gzip(head), gzip(tail)].concat())
            }
            _ => ("zst", zstd::bulk::compress(&bytes, 3).expect("zstd")),
        };
        let target = to.join(format!("{}.{suffix}", relative.display()));
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::write(target, packed).expect("write");
    }
    files.len()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn compressed_files_become_the_articles_their_loose_copies_are() {
    let t = TestDir::new();
    t.copy_from_repo("data", "loose");
    let packed = pack(&repo_root().join("data"), &t.path().join("packed"));
    t.lede(["run", "-i", "loose", "-o", "out-loose", "-q"])
        .success();
    t.lede(["run", "-i", "packed", "-o", "out-packed", "-q"])
        .success();
    let (loose, compressed) = (
        last_report(&t.path().join("out-loose")),
        last_report(&t.path().join("out-packed")),
    );
    assert!(packed > 50, "{packed} files packed");
    for count in ["discovered", "written", "rejected"] {
        assert_eq!(loose[count], compressed[count], "{count}");
    }
    let same = consumer(
        "same_articles.py",
        &[
            &t.path().join("out-loose"),
            &t.path().join("out-packed"),
            Path::new("name"),
        ],
    );
    assert!(same["left"].as_u64().expect("count") > 40, "{same}");
    assert_eq!(same["left"], same["right"], "{same}");
    assert_eq!(same["only_left"], serde_json::json!([]), "{same}");
    assert_eq!(same["differences"], serde_json::json!([]), "{same}");

    // Unchanged compressed files are skipped by their stamp, as loose ones are.
    t.lede(["run", "-i", "packed", "-o", "out-packed", "-q"])
        .success();
    let again = last_report(&t.path().join("out-packed"));
    assert_eq!(again["skipped"], compressed["discovered"], "{again}");
}

#[test]
fn a_bomb_or_a_broken_stream_is_a_reject_of_its_file_alone() {
    let t = TestDir::new();
    let story = "---\ntitle: Packed\n---\nA story that was stored gzipped, as crawlers do.\n";
    t.write("in/good.md.gz", gzip(story.as_bytes()));
    t.write("in/bomb.html.gz", gzip(&vec![b' '; 3 << 20]));
    let page = gzip(b"<html><body><p>A page cut off in the middle.</p></body></html>");
    t.write("in/cut.html.gz", &page[..page.len() - 8]);
    let mut cut = zstd::bulk::compress(story.repeat(50).as_bytes(), 3).expect("zstd");
    cut.truncate(cut.len() / 2);
    t.write("in/cut.md.zst", cut);
    // Named compressed but not (an engine's reader, or a person, expanded it): read as it is.
    t.write("in/expanded.md.zst", story);
    t.write("lede.toml", "[limits]\nmax_file_mb = 1\n");
    t.lede(["run", "-c", "lede.toml", "-i", "in", "-o", "out", "-q"])
        .code(3);
    let report = last_report(&t.path().join("out"));
    assert_eq!(
        (report["written"].as_u64(), report["rejected"].as_u64()),
        (Some(2), Some(3)),
        "{report}"
    );
    let seen = crate::util::read_dataset(&t.path().join("out"));
    let rejects = seen["duckdb"]["rejects"].as_array().expect("rejects");
    let reason = |name: &str| {
        rejects
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("{name} is a reject: {rejects:?}"))
            .clone()
    };
    assert_eq!(reason("bomb.html.gz")[1], "read");
    assert!(
        reason("bomb.html.gz")[2]
            .as_str()
            .expect("error")
            .contains("expands to more than the limit of 1048576 bytes (limits.max_file_mb)")
    );
    assert!(
        reason("cut.html.gz")[2]
            .as_str()
            .expect("error")
            .starts_with("cannot read: the gzip data is corrupt or cut off")
    );
    assert!(
        reason("cut.md.zst")[2]
            .as_str()
            .expect("error")
            .starts_with("cannot read: the zstd data")
    );
}

fn counts(report: &serde_json::Value) -> [u64; 4] {
    ["discovered", "written", "rejected", "skipped"].map(|k| report[k].as_u64().expect(k))
}

/// The whole web pages of the clean stage's fixtures (14, three of them in legacy encodings),
/// copied to `to`; how many.
fn fixture_pages(t: &TestDir, to: &str) -> usize {
    let from = repo_root().join("crates/clean/tests/fixtures");
    let mut n = 0;
    for entry in fs::read_dir(&from).expect("the fixtures") {
        let page = entry.expect("entry").path();
        if page.extension().is_some_and(|e| e == "html") {
            let name = page
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            t.write(&format!("{to}/{name}"), fs::read(&page).expect("read"));
            n += 1;
        }
    }
    n
}

#[test]
fn a_warcio_warc_becomes_the_articles_of_its_pages_as_loose_files() {
    let t = TestDir::new();
    let pages = fixture_pages(&t, "loose");
    fs::create_dir(t.path().join("crawl")).expect("mkdir");
    let made = python_script(
        "tests/consumers/make_warc.py",
        &[
            &t.path().join("crawl/site.warc.gz"),
            &t.path().join("loose"),
        ],
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    t.lede(["run", "-i", "loose", "-o", "out-loose", "-q"])
        .success();
    t.lede(["run", "-i", "crawl", "-o", "out-warc", "-q"])
        .success();
    let report = last_report(&t.path().join("out-warc"));
    assert_eq!(
        counts(&report),
        [pages as u64, pages as u64, 0, 0],
        "{report}"
    );
    assert_eq!(
        report["skipped_records"],
        serde_json::json!({"request record": pages, "HTTP 404": 1, "not HTML": 1, "metadata record": 1})
    );
    let same = consumer(
        "same_articles.py",
        &[
            &t.path().join("out-loose"),
            &t.path().join("out-warc"),
            Path::new("content"),
        ],
    );
    assert_eq!(same["left"], pages, "{same}");
    assert_eq!(
        (&same["only_left"], &same["only_right"]),
        (&serde_json::json!([]), &serde_json::json!([])),
        "{same}"
    );
    // The crawler's address and time are kept.
    let seen = crate::util::read_dataset(&t.path().join("out-warc"));
    assert_eq!(seen["duckdb"]["count"], pages, "{seen}");
}

/// A WARC of three good pages and every kind of broken record between them.
fn broken_warc() -> Vec<u8> {
    let page = |n: u32| {
        warc_response(
            &n.to_string(),
            &format!("https://news.test/{n}"),
            &format!(
                "<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1><p>The {n}th story, told at length so that it is an article and not a stub of one.</p></article></body></html>"
            ),
        )
    };
    let mut corrupt = page(2);
    let middle = corrupt.len() / 2;
    corrupt[middle..middle + 6].copy_from_slice(b"\xff\xff\xff\xff\xff\xff");
    let lying = {
        let mut plain = Vec::new();
        flate2::read::MultiGzDecoder::new(&page(3)[..])
            .read_to_end(&mut plain)
            .expect("gunzip");
        let text = String::from_utf8(plain).expect("utf-8");
        // The WARC length says 40 bytes too many: it swallows the next record's start.
        let at = text.find("Content-Length: ").expect("length") + 16;
        let end = at + text[at..].find('\r').expect("line end");
        let length: usize = text[at..end].parse().expect("number");
        let lied = format!("{}{}{}", &text[..at], length + 40, &text[end..]);
        let mut member = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        member.write_all(lied.as_bytes()).expect("gzip");
        member.finish().expect("gzip")
    };
    let mut warc = page(1);
    warc.extend(corrupt);
    warc.extend(lying);
    warc.extend(page(4));
    let last = page(5);
    warc.extend(page(6));
    warc.extend(&last[..last.len() - 30]);
    warc
}

#[test]
fn broken_records_are_rejects_of_their_own_and_the_rest_is_read() {
    let t = TestDir::new();
    t.write("crawl/broken.warc.gz", broken_warc());
    t.lede(["run", "-i", "crawl", "-o", "out", "-q"]).code(3);
    let report = last_report(&t.path().join("out"));
    let [discovered, written, rejected, skipped] = counts(&report);
    assert_eq!((written, skipped), (3, 0), "{report}");
    assert_eq!(discovered, written + rejected, "{report}");
    let seen = crate::util::read_dataset(&t.path().join("out"));
    let rejects: Vec<String> = seen["duckdb"]["rejects"]
        .as_array()
        .expect("rejects")
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r[0].as_str().unwrap_or(""),
                r[1].as_str().unwrap_or(""),
                r[2].as_str().unwrap_or("")
            )
        })
        .collect();
    let has = |needle: &str| rejects.iter().any(|r| r.contains(needle));
    assert!(
        has("broken.warc.gz#offset-") && has("a corrupt gzip member"),
        "{rejects:#?}"
    );
    assert!(
        has("broken.warc.gz#urn:test:3 read its Content-Length"),
        "{rejects:#?}"
    );
    assert!(
        has("broken.warc.gz#urn:test:5 read the archive ends inside this record"),
        "{rejects:#?}"
    );
    let (rows, _) = dataset(&t.path().join("out"));
    let mut paths: Vec<&str> = rows.iter().map(|r| r.source_path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "broken.warc.gz#urn:test:1",
            "broken.warc.gz#urn:test:4",
            "broken.warc.gz#urn:test:6"
        ]
    );
}

fn story_page(n: u32, edition: u32) -> Vec<u8> {
    warc_response(
        &n.to_string(),
        &format!("https://news.test/{n}"),
        &format!(
            "<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1><p>Edition {edition} of story {n}, long enough to be an article.</p></article></body></html>"
        ),
    )
}

#[test]
fn an_archive_is_the_unit_of_change() {
    let t = TestDir::new();
    let write = |ids: &[u32], edition: u32| {
        t.write(
            "crawl/a.warc.gz",
            ids.iter()
                .flat_map(|&n| story_page(n, edition))
                .collect::<Vec<u8>>(),
        )
    };
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "-i", "crawl", "-o", "out", "-q"];
        args.extend(extra);
        t.lede(args).success();
        last_report(&t.path().join("out"))
    };
    let paths = || {
        let mut paths: Vec<String> = dataset(&t.path().join("out"))
            .0
            .into_iter()
            .map(|r| r.source_path)
            .collect();
        paths.sort();
        paths
    };
    write(&[1, 2, 3], 1);
    t.write("crawl/b.warc.gz", story_page(9, 1));
    assert_eq!(counts(&run(&[])), [4, 4, 0, 0]);

    // Unchanged: both archives kept unread.
    let report = run(&[]);
    assert_eq!(
        (counts(&report), report["bytes_read"].as_u64()),
        ([4, 0, 0, 4], Some(0)),
        "{report}"
    );

    // Touched, same bytes: kept, and stat-skipped from then on.
    let bytes = fs::read(t.path().join("crawl/a.warc.gz")).expect("read");
    fs::write(t.path().join("crawl/a.warc.gz"), &bytes).expect("touch");
    assert_eq!(counts(&run(&[])), [4, 0, 0, 4]);

    // Grown: its records are read again and replace their rows; a new one is added.
    write(&[1, 2, 3, 4], 2);
    let report = run(&[]);
    assert_eq!(counts(&report), [5, 4, 0, 1], "{report}");
    assert_eq!(
        (report["replaced"].as_u64(), report["added"].as_u64()),
        (Some(3), Some(1))
    );

    // Rewritten without records 1 and 2: their rows leave with them.
    write(&[3, 4], 3);
    let report = run(&[]);
    assert_eq!(
        (counts(&report), report["pruned"].as_u64()),
        ([3, 2, 0, 1], Some(2)),
        "{report}"
    );
    assert_eq!(
        paths(),
        [
            "a.warc.gz#urn:test:3",
            "a.warc.gz#urn:test:4",
            "b.warc.gz#urn:test:9"
        ]
    );

    // Deleted: its rows stay, unless pruning.
    fs::remove_file(t.path().join("crawl/b.warc.gz")).expect("rm");
    assert_eq!(counts(&run(&[])), [2, 0, 0, 2]);
    assert_eq!(paths().len(), 3);
    let report = run(&["--prune-deleted", "--force-prune"]);
    assert_eq!(report["pruned"].as_u64(), Some(1), "{report}");
    assert_eq!(paths(), ["a.warc.gz#urn:test:3", "a.warc.gz#urn:test:4"]);
}

/// The README's crawl, as written: `wget --warc-file` then `lede run`.
fn readme_crawl() -> String {
    let readme = fs::read_to_string(repo_root().join("README.md")).expect("README");
    let start = readme
        .find("\n## Archives")
        .expect("the README has the section");
    let block = readme[start..].split("```sh\n").nth(1).expect("a sh block");
    block.split("```").next().expect("closed").to_owned()
}

#[test]
fn the_readmes_wget_crawl_becomes_the_articles_of_its_pages_and_http_charsets_are_declarations() {
    let t = TestDir::new();
    fixture_pages(&t, "pages");
    fs::create_dir(t.path().join("work")).expect("mkdir");
    // Right charsets, a wrong one on UTF-8 bytes (valid UTF-8 wins, as for <meta>), and none.
    let charsets = serde_json::json!({
        "page-news-bbc.html": "utf-8",
        "page-news-de-heise.html": "iso-8859-1",
        "encoding-gb18030.html": "gb18030",
    });
    let lede_dir = Path::new(env!("CARGO_BIN_EXE_lede")).parent().expect("dir");
    let crawled = std::process::Command::new(crate::util::python())
        .arg(repo_root().join("tests/consumers/crawl_with_wget.py"))
        .arg(t.path().join("work"))
        .arg(t.path().join("pages"))
        .arg(charsets.to_string())
        .arg(readme_crawl())
        .env(
            "PATH",
            format!(
                "{}:{}",
                lede_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .expect("python runs");
    assert!(
        crawled.status.success(),
        "{}",
        String::from_utf8_lossy(&crawled.stderr)
    );
    t.lede(["run", "-i", "pages", "-o", "out-loose", "-q"])
        .success();
    let (loose, warc) = (
        last_report(&t.path().join("out-loose")),
        last_report(&t.path().join("work/out")),
    );
    let pages = loose["discovered"].as_u64().expect("count");
    assert_eq!(counts(&warc), [pages, pages, 0, 0], "{warc}");
    // wget records every request it makes, a retry too (a busy machine drops a connection now
    // and then): one per page at least, and none of them an input.
    let requests = warc["skipped_records"]["request record"].as_u64();
    assert!(requests.is_some_and(|n| n >= pages), "{warc}");
    assert_eq!(warc["skipped_records"]["warcinfo record"], 1, "{warc}");
    // The GB18030 page without a charset is guessed from the loose file, declared by its HTTP
    // header in the crawl: the same text, without the warning (and GB18030 named as declared,
    // where the guess says GBK, its subset).
    let guessed = |report: &serde_json::Value| {
        report["warnings_by_kind"]["encoding_guessed"]
            .as_u64()
            .unwrap_or(0)
    };
    assert!(guessed(&loose) >= 1, "{loose}");
    assert_eq!(guessed(&warc), guessed(&loose) - 1, "{warc}");
    let same = consumer(
        "same_articles.py",
        &[
            &t.path().join("out-loose"),
            &t.path().join("work/out"),
            Path::new("content"),
            Path::new("warnings,encoding"),
        ],
    );
    assert_eq!(
        (&same["only_left"], &same["only_right"]),
        (&serde_json::json!([]), &serde_json::json!([])),
        "{same}"
    );
}

#[test]
fn a_gzipped_json_lines_file_becomes_the_articles_of_its_pages() {
    let t = TestDir::new();
    // A JSON line holds text: the whole pages in UTF-8 (a file's front matter block is its own,
    // a JSON line's metadata is beside its page).
    fixture_pages(&t, "all");
    let mut names: Vec<_> = fs::read_dir(t.path().join("all"))
        .expect("pages")
        .map(|e| e.expect("entry").path())
        .filter(|page| {
            fs::read(page)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .is_some_and(|text| text.trim_start().starts_with('<'))
        })
        .collect();
    names.sort();
    let mut lines = String::new();
    for (n, page) in names.iter().enumerate() {
        let html = fs::read_to_string(page).expect("read");
        t.write(
            &format!(
                "loose/{}",
                page.file_name().expect("name").to_string_lossy()
            ),
            &html,
        );
        // Scrapy-like items; every third names its page `content` and carries a key of its own.
        let item = if n % 3 == 0 {
            serde_json::json!({"content": html, "spider": "pages"})
        } else {
            serde_json::json!({"html": html})
        };
        lines.push_str(&format!("{item}\n"));
        if n == 1 {
            lines.push_str("\n{\"html\": \"a line cut short\n");
            lines.push_str(&format!("{{\"html\": \"{}\"}}\n", "x".repeat(3 << 20)));
        }
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(lines.as_bytes()).expect("gzip");
    t.write("scraped/items.jsonl.gz", gz.finish().expect("gzip"));
    t.write("lede.toml", "[limits]\nmax_file_mb = 2\n");
    t.lede([
        "run",
        "-c",
        "lede.toml",
        "-i",
        "loose",
        "-o",
        "out-loose",
        "-q",
    ])
    .success();
    t.lede([
        "run",
        "-c",
        "lede.toml",
        "-i",
        "scraped",
        "-o",
        "out-jsonl",
        "-q",
    ])
    .code(3);
    let report = last_report(&t.path().join("out-jsonl"));
    let pages = names.len() as u64;
    assert_eq!(counts(&report), [pages + 2, pages, 2, 0], "{report}");
    assert_eq!(
        report["skipped_records"],
        serde_json::json!({"blank line": 1})
    );
    let seen = crate::util::read_dataset(&t.path().join("out-jsonl"));
    let rejects = seen["duckdb"]["rejects"].as_array().expect("rejects");
    assert_eq!(rejects[0][0], "items.jsonl.gz#4");
    assert!(
        rejects[0][2]
            .as_str()
            .expect("error")
            .starts_with("line 4 is not JSON"),
        "{rejects:?}"
    );
    assert_eq!(rejects[1][0], "items.jsonl.gz#5");
    assert!(
        rejects[1][2]
            .as_str()
            .expect("error")
            .contains("over the limit of 2097152"),
        "{rejects:?}"
    );
    // The same articles; a line's other keys are its front matter (`json`), leftovers in extra.
    let same = consumer(
        "same_articles.py",
        &[
            &t.path().join("out-loose"),
            &t.path().join("out-jsonl"),
            Path::new("content"),
            Path::new("front_matter,extra"),
        ],
    );
    assert_eq!(
        (&same["only_left"], &same["only_right"]),
        (&serde_json::json!([]), &serde_json::json!([])),
        "{same}"
    );
}
