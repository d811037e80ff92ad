//! The sample data through `lede run`, read back by DuckDB and pandas.

use serde_json::{Value, json};

use crate::util::{TestDir, last_report, read_dataset};

/// Runs lede over a copy of `data/` and returns the readers' view and the run report.
fn sample_run() -> (TestDir, Value, Value) {
    let t = TestDir::new();
    t.copy_from_repo("data", "in");
    t.lede(["run", "--input", "in", "--output", "out"])
        .success();
    let out = t.path().join("out");
    let seen = read_dataset(&out);
    let report = last_report(&out);
    (t, seen, report)
}

fn row<'a>(seen: &'a Value, source_path: &str) -> &'a Value {
    seen["duckdb"]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["source_path"] == source_path)
        .unwrap_or_else(|| panic!("no row for {source_path}"))
}

fn data_file_count() -> u64 {
    fn count(dir: &std::path::Path) -> u64 {
        std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").path())
            .map(|p| {
                if p.is_dir() {
                    count(&p)
                } else {
                    u64::from(p.extension().is_some_and(|e| e != "tsv"))
                }
            })
            .sum()
    }
    count(&crate::util::repo_root().join("data"))
}

#[test]
fn every_sample_file_becomes_one_row_read_by_duckdb_and_pandas() {
    let (_t, seen, report) = sample_run();
    let files = data_file_count();
    assert_eq!(report["discovered"], json!(files));
    assert_eq!(report["written"], json!(files), "{report:#}");
    assert_eq!(report["rejected"], json!(0));
    assert_eq!(seen["duckdb"]["count"], json!(files));
    assert_eq!(seen["duckdb"]["distinct_ids"], json!(files));
    assert_eq!(seen["pandas"]["count"], json!(files));
    assert_eq!(seen["duckdb"]["rejects"], json!([]));
}

#[test]
fn column_types_as_documented() {
    let (_t, seen, _) = sample_run();
    let duck = &seen["duckdb"]["types"];
    let expected = [
        ("id", "VARCHAR"),
        ("published_at", "TIMESTAMP WITH TIME ZONE"),
        ("published_utc_offset", "INTEGER"),
        ("fetched_at", "TIMESTAMP WITH TIME ZONE"),
        ("ingested_at", "TIMESTAMP WITH TIME ZONE"),
        ("categories", "VARCHAR[]"),
        ("tags", "VARCHAR[]"),
        ("warnings", "VARCHAR[]"),
        (
            "images",
            "STRUCT(url VARCHAR, alt VARCHAR, caption VARCHAR)[]",
        ),
        ("links", "STRUCT(url VARCHAR, \"text\" VARCHAR)[]"),
        ("char_count", "BIGINT"),
        ("word_count", "BIGINT"),
        ("paragraph_count", "BIGINT"),
        ("year", "BIGINT"),
        ("month", "BIGINT"),
    ];
    for (column, ty) in expected {
        assert_eq!(duck[column], json!(ty), "DuckDB type of {column}");
    }
    // Unpadded `month=4` folders: every reader infers integer partitions with no hint.
    assert_eq!(
        seen["inferred"],
        json!({
            "duckdb": {"year": "BIGINT", "month": "BIGINT"},
            "pyarrow": {"year": "int32", "month": "int32"},
            "polars": {"year": "Int64", "month": "Int64"},
        })
    );
    let arrow = &seen["pandas"]["arrow_types"];
    assert_eq!(arrow["published_at"], json!("timestamp[us, tz=UTC]"));
    assert_eq!(
        arrow["images"],
        json!("list<item: struct<url: string not null, alt: string, caption: string>>")
    );
    assert_eq!(arrow["year"], json!("int32"));
    assert_eq!(arrow["month"], json!("int32"));
    assert_eq!(
        seen["pandas"]["dtypes"]["published_at"],
        json!("datetime64[us, UTC]")
    );
    assert_eq!(
        seen["pandas"]["file_metadata"]["lede.schema_version"],
        json!("4")
    );
    assert_eq!(
        seen["pandas"]["file_metadata"]["lede.version"],
        json!(env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn undated_articles_land_in_the_null_partition() {
    let (_t, seen, _) = sample_run();
    let undated = &seen["duckdb"]["null_published_rows"];
    assert!(undated.as_u64().expect("count") > 0);
    assert_eq!(&seen["duckdb"]["null_year_rows"], undated);
    assert_eq!(&seen["pandas"]["null_year_rows"], undated);
    let seed3 = row(&seen, "seeds/003_c7add430a2f9eace.txt");
    assert_eq!(
        (&seed3["year"], &seed3["month"]),
        (&Value::Null, &Value::Null)
    );
}

#[test]
fn seed_values_hold() {
    let (_t, seen, _) = sample_run();
    let s0 = row(&seen, "seeds/000_29ff98356d721b9a.txt");
    assert_eq!(
        s0["title"],
        json!("腾讯和抖音要互联互通了 巨头间的高墙拆了？")
    );
    assert_eq!(s0["categories"], json!(["新媒体", "cnBeta", "最新"]));
    assert_eq!(s0["author"], json!("cnBeta"));
    assert_eq!(s0["published_at"], json!("2021-11-14T01:13:25+00:00"));
    assert_eq!(s0["lang"], json!("zh"));
    assert_eq!((&s0["year"], &s0["month"]), (&json!(2021), &json!(11)));

    let s1 = row(&seen, "seeds/001_b52d17c1e9286dcb.txt");
    assert_eq!(
        s1["lead_image"],
        json!("http://zkres1.myzaker.com/202111/6192775bb15ec006cf65495f_1024.jpg")
    );
    let urls = s1["image_urls"].as_array().expect("image urls");
    assert!(!urls.is_empty());
    assert!(
        urls.iter()
            .all(|u| !u.as_str().expect("url").contains("workers.dev")),
        "{urls:?}"
    );

    let s3 = row(&seen, "seeds/003_c7add430a2f9eace.txt");
    assert_eq!(
        (&s3["lang"], &s3["title"], &s3["published_at"]),
        (&json!("en"), &Value::Null, &Value::Null)
    );

    let s4 = row(&seen, "seeds/004_4a58305540e6b57a.txt");
    assert_eq!(
        s4["url"],
        json!("https://www.zaobao.com/realtime/china/story20210424-1141819")
    );
    assert_eq!(s4["site"], json!("zaobao.com"));
    assert_eq!(
        s4["published_at"],
        json!("2021-04-24T02:56:28.687000+00:00")
    );
    assert_eq!(s4["date_source"], json!("front_matter"));
    assert_eq!(s4["tags"], json!(["联合早报"]));
    let text = s4["text"].as_str().expect("text");
    for trace in [
        "dfp-ad",
        "innity",
        "subscribe",
        "promotion",
        "99 cents",
        "imu",
    ] {
        assert!(!text.contains(trace), "seed 004 text contains {trace}");
    }
    let images = s4["image_urls"].as_array().expect("image urls");
    assert!(
        images
            .iter()
            .all(|u| !u.as_str().expect("url").contains("freemium")),
        "{images:?}"
    );
}

#[test]
fn no_text_has_a_tag_or_an_undecoded_entity() {
    let (_t, seen, _) = sample_run();
    let tag = regex_lite_tag();
    for r in seen["duckdb"]["rows"].as_array().expect("rows") {
        let text = r["text"].as_str().expect("text");
        assert!(
            !tag(text),
            "{} has an HTML tag in its text",
            r["source_path"]
        );
        for entity in [
            "&nbsp;", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#x27;", "&hellip;", "&mdash;",
        ] {
            assert!(
                !text.contains(entity),
                "{} has {entity} in its text",
                r["source_path"]
            );
        }
    }
}

/// Whether `text` holds a tag of the elements article bodies are made of.
fn regex_lite_tag() -> impl Fn(&str) -> bool {
    const NAMES: [&str; 16] = [
        "p", "div", "span", "img", "a", "br", "strong", "em", "script", "style", "section",
        "iframe", "figure", "li", "ul", "table",
    ];
    |text: &str| {
        text.match_indices('<').any(|(i, _)| {
            let rest = &text[i + 1..];
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            NAMES
                .iter()
                .any(|n| rest.starts_with(n) && rest[n.len()..].starts_with(['>', ' ', '/']))
        })
    }
}

#[test]
fn broken_front_matter_keeps_its_title_with_a_warning() {
    let (_t, seen, report) = sample_run();
    let cases = [
        (
            "corpus/rsshub-社交媒体/おしごと🎀-7e7fc0f7.md",
            "おしごと🎀",
        ),
        (
            "corpus/rsshub-新媒体/EssenceGlobal：广告业2030-a10e79d8.md",
            "EssenceGlobal：广告业2030",
        ),
        (
            "corpus/rsshub-二次元/NaNO_NaNaNの投稿イラスト-13c897cd.md",
            "NaNO_NaNaNの投稿イラスト",
        ),
        (
            "corpus/rsshub-传统媒体/We are not the virus__ Hundreds rally against anti-Asian rac-74b6f90c.md",
            "'We are not the virus'_ Hundreds rally against anti-Asian racism in Atlanta",
        ),
    ];
    for (path, title) in cases {
        let r = row(&seen, path);
        assert_eq!(r["title"], json!(title), "{path}");
        let warnings = r["warnings"].as_array().expect("warnings");
        assert!(
            warnings.iter().any(|w| w
                .as_str()
                .expect("str")
                .starts_with("front_matter_recovered: ")),
            "{path}: {warnings:?}"
        );
    }
    assert!(report["warnings_by_kind"]["front_matter_recovered"].as_u64() >= Some(4));
}

#[test]
fn legacy_encodings_are_decoded_and_recorded() {
    let (t, _, _) = sample_run();
    let inspect = |file: &str| -> Value {
        let run = t
            .lede(["inspect", &format!("in/encodings/{file}")])
            .success();
        serde_json::from_str(&run.stdout()).expect("inspect prints JSON")
    };
    let cases = [
        ("zh-gb18030-sina-no-charset.html", "GBK", "zh"),
        ("ja-shift_jis-rashomon-gutenberg.txt", "Shift_JIS", "ja"),
        ("ko-euc-kr-wikipedia.txt", "EUC-KR", "ko"),
    ];
    for (file, encoding, lang) in cases {
        let a = inspect(file);
        assert_eq!(
            (&a["encoding"], &a["lang"]),
            (&json!(encoding), &json!(lang)),
            "{file}"
        );
        assert!(
            !a["text"].as_str().expect("text").contains('\u{fffd}'),
            "{file} has replacement characters"
        );
    }
}

#[test]
fn a_second_run_over_the_same_tree_writes_nothing() {
    let t = TestDir::new();
    t.copy_from_repo("data/seeds", "in");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let out = t.path().join("out");
    let first = read_dataset(&out);
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let report = last_report(&out);
    assert_eq!(
        (
            &report["mode"],
            &report["discovered"],
            &report["skipped"],
            &report["written"],
            &report["bytes_read"]
        ),
        (
            &json!("incremental"),
            &json!(5),
            &json!(5),
            &json!(0),
            &json!(0)
        ),
        "{report:#}"
    );
    let second = read_dataset(&out);
    assert_eq!(
        first["duckdb"]["rows"], second["duckdb"]["rows"],
        "the dataset is unchanged"
    );
    assert!(!out.join("_staging").exists());
}

#[test]
fn new_and_changed_files_are_added_and_replaced_never_duplicated() {
    let t = TestDir::new();
    t.copy_from_repo("data/seeds", "in");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    t.write(
        "in/new.md",
        "---\ntitle: New\ndate: 2022-05-01\n---\nA new article.\n",
    );
    // A changed date moves the article to another partition; its old row must go.
    let seed3 = t.path().join("in/003_c7add430a2f9eace.txt");
    let text = std::fs::read_to_string(&seed3).expect("seed");
    std::fs::write(&seed3, format!("---\ndate: 2023-01-02\n---\n{text}")).expect("edit");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let out = t.path().join("out");
    let report = last_report(&out);
    assert_eq!(
        (&report["added"], &report["replaced"], &report["skipped"]),
        (&json!(1), &json!(1), &json!(4)),
        "{report:#}"
    );
    let seen = read_dataset(&out);
    assert_eq!(
        (&seen["duckdb"]["count"], &seen["duckdb"]["distinct_ids"]),
        (&json!(6), &json!(6))
    );
    let seed3 = row(&seen, "003_c7add430a2f9eace.txt");
    assert_eq!(
        (&seed3["published_at"], &seed3["year"]),
        (&json!("2023-01-02T00:00:00+00:00"), &json!(2023))
    );
    assert_eq!(row(&seen, "new.md")["title"], json!("New"));
}

#[test]
fn deleted_inputs_keep_their_rows_unless_pruned() {
    let t = TestDir::new();
    t.copy_from_repo("data/seeds", "in");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    std::fs::remove_file(t.path().join("in/000_29ff98356d721b9a.txt")).expect("rm");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    assert_eq!(
        read_dataset(&t.path().join("out"))["duckdb"]["count"],
        json!(5)
    );
    t.lede(["run", "-i", "in", "-o", "out", "--prune-deleted"])
        .success();
    let out = t.path().join("out");
    assert_eq!(last_report(&out)["pruned"], json!(1));
    assert_eq!(read_dataset(&out)["duckdb"]["count"], json!(4));
}

#[test]
fn full_rebuilds_from_scratch() {
    let t = TestDir::new();
    t.copy_from_repo("data/seeds", "in");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    t.lede(["run", "-i", "in", "-o", "out", "--full"]).success();
    let out = t.path().join("out");
    let report = last_report(&out);
    assert_eq!(
        (
            &report["mode"],
            &report["rebuild_reason"],
            &report["written"]
        ),
        (&json!("rebuild"), &json!("--full"), &json!(5))
    );
    assert!(report["files_removed"].as_u64() > Some(0));
    let (commit, wall) = (
        report["commit_seconds"].as_f64().expect("commit_seconds"),
        report["wall_seconds"].as_f64().expect("wall_seconds"),
    );
    assert!(
        0.0 < commit && commit <= wall,
        "commit {commit} s of {wall} s"
    );
    let (cpu, peak) = (
        report["cpu_seconds"].as_f64().expect("cpu_seconds"),
        report["peak_rss_mb"].as_f64().expect("peak_rss_mb"),
    );
    // A real process: it used some CPU, and it holds more than 1 MB and less than 1 GB.
    assert!(
        cpu > 0.0 && (1.0..1000.0).contains(&peak),
        "{cpu} s, {peak} MB"
    );
    let seen = read_dataset(&out);
    assert_eq!(
        (&seen["duckdb"]["count"], &seen["duckdb"]["distinct_ids"]),
        (&json!(5), &json!(5))
    );
}

#[test]
fn bad_inputs_are_rejects_with_stage_and_reason() {
    let t = TestDir::new();
    t.write("in/good.md", "---\ntitle: Good\n---\nSome text.\n");
    t.write("in/empty.md", "");
    t.write("in/image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    t.write("in/open-fence.md", "---\ntitle: never closed\n\nbody\n");
    t.write("in/bomb.md", billion_laughs());
    t.write("in/with space and 'quotes'.md", "plain words here\n");
    t.write("in/nul.txt", b"text\0with nul");
    t.lede(["run", "-i", "in", "-o", "out", "-v"]).code(3);
    let seen = read_dataset(&t.path().join("out"));
    let rejects: Vec<(String, String)> = seen["duckdb"]["rejects"]
        .as_array()
        .expect("rejects")
        .iter()
        .map(|r| {
            (
                r[0].as_str().expect("path").to_owned(),
                r[1].as_str().expect("stage").to_owned(),
            )
        })
        .collect();
    let expected = [
        ("bomb.md", "parse"),
        ("empty.md", "parse"),
        ("image.md", "decode"),
        ("nul.txt", "decode"),
        ("open-fence.md", "parse"),
    ];
    assert_eq!(
        rejects,
        expected.map(|(p, s)| (p.to_owned(), s.to_owned())).to_vec()
    );
    assert_eq!(seen["duckdb"]["count"], json!(2));
    let report = last_report(&t.path().join("out"));
    assert_eq!(report["discovered"], json!(7));
    assert_eq!(report["rejects_by_stage"], json!({"decode": 2, "parse": 3}));
}

fn billion_laughs() -> String {
    let mut yaml = String::from("---\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..9 {
        let prev = level - 1;
        let refs = vec![format!("*a{prev}"); 9].join(", ");
        yaml.push_str(&format!("a{level}: &a{level} [{refs}]\n"));
    }
    yaml + "---\nbody\n"
}

#[test]
fn the_sample_data_has_no_residue_in_its_texts() {
    // scripts/quality_check.py: no HTML tag, undecoded entity, template residue, ad or promo line
    // in any text, and no proxied image URL, over the README's sample run (default config).
    let t = TestDir::new();
    t.copy_from_repo("data", "data");
    t.copy_from_repo("pipeline.toml", "pipeline.toml");
    t.lede(["run"]).success();
    let (out, data) = (t.path().join("out"), t.path().join("data"));
    let output = crate::util::python_script(
        "scripts/quality_check.py",
        &[&out, std::path::Path::new("--input"), &data],
    );
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("52 articles checked"), "{report}");
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_owned()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                found.push(path.strip_prefix(dir).expect("under").to_owned());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_rows_do_not_depend_on_threads_root_names_or_creation_order() {
    let t = TestDir::new();
    let data = crate::util::repo_root().join("data");
    let files = files_under(&data);
    // The same files under two roots of other names, created in opposite orders (so that
    // directories list them differently), run with one thread and with three.
    for (root, order) in [("a/in", false), ("b/archive/elsewhere", true)] {
        let mut ordered = files.clone();
        if order {
            ordered.reverse();
        }
        for relative in &ordered {
            t.write(
                &format!("{root}/{}", relative.display()),
                std::fs::read(data.join(relative)).expect("read"),
            );
        }
    }
    t.lede(["run", "-i", "a/in", "-o", "one", "-j", "1"])
        .success();
    t.lede(["run", "-i", "b/archive/elsewhere", "-o", "three", "-j", "3"])
        .success();
    let one = crate::util::consumer("all_rows.py", &[&t.path().join("one")]);
    let three = crate::util::consumer("all_rows.py", &[&t.path().join("three")]);
    let inputs = files
        .iter()
        .filter(|f| {
            f.extension().is_some_and(|e| {
                ["md", "markdown", "txt", "text", "html", "htm", "xhtml"]
                    .contains(&e.to_string_lossy().to_lowercase().as_str())
            })
        })
        .count();
    let count = |seen: &Value, what: &str| seen[what].as_array().map_or(0, Vec::len);
    assert_eq!(count(&one, "rows") + count(&one, "rejects"), inputs);
    assert!(one == three, "the datasets differ");
}

#[test]
fn the_readmes_reading_examples_run_as_written() {
    let t = TestDir::new();
    t.copy_from_repo("data", "data");
    t.copy_from_repo("pipeline.toml", "pipeline.toml");
    t.lede(["run", "-o", "out"]).success();
    let readme = crate::util::repo_root().join("README.md");
    let ran = crate::util::consumer("readme_snippets.py", &[&readme, t.path()]);
    let ran = ran.as_array().expect("a list of blocks");
    let count = |language: &str| ran.iter().filter(|b| b["language"] == language).count();
    assert_eq!((count("sql"), count("python")), (4, 2), "{ran:?}");
    for block in ran.iter().filter(|b| b["language"] == "python") {
        assert!(block["rows"].as_u64() > Some(40), "{ran:?}");
    }
    assert!(ran[0]["rows"].as_u64() > Some(5), "{ran:?}");
    // The local-day example finds the articles whose source wrote a zone.
    assert!(ran[2]["rows"].as_u64() > Some(30), "{ran:?}");
}

#[test]
fn a_dataset_an_older_lede_wrote_is_rebuilt_in_todays_layout() {
    let t = TestDir::new();
    t.copy_from_repo("data/seeds", "in");
    // Written over a copy of data/seeds with schema version 2 (see tests/fixtures/README.md).
    t.copy_from_repo("tests/fixtures/dataset-schema-2", "out");
    let out = t.path().join("out");
    let month_dirs = || -> Vec<String> {
        lede_write::part_files(&out.join("articles"))
            .iter()
            .filter_map(|f| {
                let dir = f.parent()?.strip_prefix(out.join("articles")).ok()?;
                Some(dir.to_string_lossy().into_owned())
            })
            .collect()
    };
    assert!(month_dirs().contains(&"year=2021/month=04".to_owned()));
    t.lede(["run", "-i", "in", "-o", "out", "-q"]).success();
    let report = last_report(&out);
    assert_eq!(report["mode"], "rebuild");
    assert_eq!(
        report["rebuild_reason"],
        "the dataset has schema version 2; this lede writes version 4"
    );
    let mut dirs = month_dirs();
    dirs.sort();
    assert_eq!(
        dirs,
        [
            "year=2021/month=11",
            "year=2021/month=4",
            "year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__",
        ]
    );
    // The rows are what a first run of today's lede writes; the next run changes nothing.
    t.lede(["run", "-i", "in", "-o", "fresh", "-q"]).success();
    let upgraded = crate::util::consumer("all_rows.py", &[&out]);
    assert!(
        upgraded == crate::util::consumer("all_rows.py", &[&t.path().join("fresh")]),
        "the upgraded dataset differs from a fresh one"
    );
    t.lede(["run", "-i", "in", "-o", "out", "-q"]).success();
    assert_eq!(last_report(&out)["mode"], "incremental");
    assert_eq!(last_report(&out)["skipped"], 5);
}
