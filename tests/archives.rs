//! Inputs that are not one plain file per article: single compressed files (`page.html.gz`,
//! `post.md.zst`) become the articles their loose copies are; a bomb or a broken stream is a
//! reject of its file alone.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::util::{TestDir, consumer, last_report, repo_root};

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
    t.write("in/fake.md.zst", "not zstd at all");
    t.write("lede.toml", "[limits]\nmax_file_mb = 1\n");
    t.lede(["run", "-c", "lede.toml", "-i", "in", "-o", "out", "-q"])
        .code(3);
    let report = last_report(&t.path().join("out"));
    assert_eq!(
        (report["written"].as_u64(), report["rejected"].as_u64()),
        (Some(1), Some(3)),
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
        reason("fake.md.zst")[2]
            .as_str()
            .expect("error")
            .starts_with("cannot read: the zstd data")
    );
}
