//! `lede stats`: the report agrees with what DuckDB reads, and its HTML page renders its charts
//! in a real headless browser.

use serde_json::Value;

use crate::util::{TestDir, consumer, read_dataset};

#[test]
fn the_report_counts_what_duckdb_reads() {
    let t = TestDir::new();
    t.copy_from_repo("data", "in");
    t.write("in/broken.md", b"\x89PNG\r\n\x1a\n\0\0\0binary");
    t.lede(["run", "-i", "in", "-o", "out"]).code(0);
    let out = t.path().join("out");
    let seen = read_dataset(&out);
    let json: Value =
        serde_json::from_str(&t.lede(["stats", "out", "--json"]).success().stdout()).expect("JSON");
    let rows = seen["duckdb"]["rows"].as_array().expect("rows");
    assert_eq!(json["articles"], seen["duckdb"]["count"]);
    assert_eq!(json["rejects"], 1);
    assert_eq!(
        json["rejects_by_stage"]["decode"]
            .as_object()
            .map(|m| m.len()),
        Some(1)
    );
    let duplicates = rows.iter().filter(|r| !r["duplicate_of"].is_null()).count();
    assert_eq!(json["duplicates"], duplicates);
    let sum = |key: &str| -> u64 {
        json[key]
            .as_array()
            .expect("pairs")
            .iter()
            .map(|pair| pair[1].as_u64().expect("count"))
            .sum()
    };
    let articles = json["articles"].as_u64().expect("articles");
    assert_eq!(sum("by_lang"), articles);
    assert_eq!(sum("by_site"), articles);
    assert_eq!(sum("text_length_histogram"), articles);
    let undated = rows.iter().filter(|r| r["published_at"].is_null()).count() as f64;
    let rate = json["null_rate"]["published_at"].as_f64().expect("rate");
    assert!((rate - undated / articles as f64).abs() < 1e-9, "{rate}");
    assert_eq!(json["largest"].as_array().map(Vec::len), Some(10));

    let text = t.lede(["stats", "out"]).success().stdout();
    assert!(
        text.contains(&format!("{articles} articles, 1 rejects")),
        "{text}"
    );
    assert!(text.contains("Rejects by stage and reason"), "{text}");
}

#[test]
fn the_html_report_draws_its_charts_in_a_browser() {
    let t = TestDir::new();
    t.copy_from_repo("data", "in");
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let wrote = t.lede(["stats", "out", "--html", "report.html"]).success();
    assert_eq!(
        wrote.stdout(),
        "lede: wrote the HTML report to report.html\n"
    );
    let report = t.path().join("report.html");
    let html = std::fs::read_to_string(&report).expect("report written");
    for external in ["<script src", "<link", "url(", "@import"] {
        assert!(
            !html.contains(external),
            "the page loads nothing: found {external}"
        );
    }
    let screenshot = t.path().join("report.png");
    let seen = consumer("check_report.py", &[&report, &screenshot]);
    assert_eq!(seen["charts_rendered"], 4, "{seen}");
    // The sample is mostly Chinese and Japanese: its text must not be tofu boxes.
    assert_eq!(seen["cjk"], "glyphs", "{seen}");
    // Every nullable column's NULL rate, not the first twelve.
    assert!(seen["bars"]["nulls"].as_u64() > Some(12), "{seen}");
    for chart in ["months", "langs", "lengths", "nulls"] {
        assert!(
            seen["bars"][chart].as_u64().unwrap_or(0) > 2,
            "{chart}: {seen}"
        );
    }
    // The month axis is labelled, and no two labels run together (an 11-px "2021-03" is
    // about 45 px wide).
    assert!(seen["month_labels"].as_u64() > Some(5), "{seen}");
    assert!(seen["month_label_gap"].as_f64() >= Some(50.0), "{seen}");
    // A blank or unstyled page has a handful of colours; the charts bring dozens.
    assert!(
        seen["screenshot"]["colours"].as_u64().unwrap_or(0) > 50,
        "{seen}"
    );
}

#[test]
fn a_directory_without_a_dataset_is_an_error() {
    let t = TestDir::new();
    t.write("empty/readme.txt", "not a dataset");
    let run = t.lede(["stats", "empty"]).code(1);
    assert!(
        run.stderr().contains("is not a lede dataset"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_dataset_with_no_articles_reports_none_rather_than_rates_of_nothing() {
    let t = TestDir::new();
    t.write("in/.keep", "");
    t.lede(["run", "-i", "in", "-o", "out", "-q"]).success();
    let text = t.lede(["stats", "out"]).success().stdout();
    assert!(text.starts_with("out: 0 articles, 0 rejects"), "{text}");
    assert!(text.contains("Articles per site\n  none\n"), "{text}");
    assert!(
        text.contains("NULL rate per column\n  no articles\n"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&t.lede(["stats", "out", "--json"]).success().stdout()).unwrap();
    assert_eq!(json["articles"], 0);
    assert_eq!(json["null_rate"], serde_json::json!({}));
}
