//! Near-duplicates across runs: `duplicate_of` names the earliest copy, whatever order the
//! copies arrive in, and is kept right as copies come and go.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::json;

use crate::util::{TestDir, last_report, read_dataset, story};

fn article(date: &str, title: &str, text: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n---\n{text}\n")
}

/// source path → the source path of its canonical copy (or None).
fn canonical_of(out: &Path) -> BTreeMap<String, Option<String>> {
    let seen = read_dataset(out);
    let rows = seen["duckdb"]["rows"].as_array().expect("rows");
    let path_of: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| {
            (
                r["id"].as_str().expect("id"),
                r["source_path"].as_str().expect("source_path"),
            )
        })
        .collect();
    rows.iter()
        .map(|r| {
            let canonical = r["duplicate_of"].as_str().map(|id| {
                path_of
                    .get(id)
                    .unwrap_or_else(|| {
                        panic!("duplicate_of {id} is not an id of the dataset: {rows:#?}")
                    })
                    .to_string()
            });
            (
                r["source_path"].as_str().expect("source_path").to_owned(),
                canonical,
            )
        })
        .collect()
}

fn expect(pairs: &[(&str, Option<&str>)]) -> BTreeMap<String, Option<String>> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.map(str::to_owned)))
        .collect()
}

#[test]
fn copies_point_at_the_earliest_across_incremental_runs() {
    let t = TestDir::new();
    let text = format!("{}\n\n{}", story(1, 120), story(2, 120));
    t.write("in/a.md", article("2021-03-01", "Rates rise", &text));
    t.write(
        "in/b.md",
        article(
            "2021-03-05",
            "Rates rise again",
            &format!("{text}\n\nSubscribe to our newsletter for more stories like this."),
        ),
    );
    t.write(
        "in/other.md",
        article("2021-03-02", "Other", &story(3, 200)),
    );
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let out = t.path().join("out");
    assert_eq!(
        canonical_of(&out),
        expect(&[("a.md", None), ("b.md", Some("a.md")), ("other.md", None)])
    );
    assert_eq!(last_report(&out)["duplicates"], json!(1));

    // An earlier copy with a trimmed paragraph arrives: the rows already written follow it.
    let trimmed = format!("{}\n\n{}", story(1, 120), story(2, 90));
    t.write(
        "in/early.md",
        article("2021-02-01", "Rates to rise", &trimmed),
    );
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let report = last_report(&out);
    assert_eq!(
        (&report["written"], &report["duplicates"]),
        (&json!(1), &json!(2))
    );
    let incremental = canonical_of(&out);
    assert_eq!(
        incremental,
        expect(&[
            ("a.md", Some("early.md")),
            ("b.md", Some("early.md")),
            ("early.md", None),
            ("other.md", None)
        ])
    );
    t.lede(["run", "-i", "in", "-o", "full", "--full"])
        .success();
    assert_eq!(
        canonical_of(&t.path().join("full")),
        incremental,
        "incremental = rebuild"
    );

    // It goes again: the next earliest is canonical once more.
    std::fs::remove_file(t.path().join("in/early.md")).expect("remove");
    t.lede(["run", "-i", "in", "-o", "out", "--prune-deleted"])
        .success();
    assert_eq!(
        canonical_of(&out),
        expect(&[("a.md", None), ("b.md", Some("a.md")), ("other.md", None)])
    );
}

#[test]
fn the_answer_does_not_depend_on_threads_or_names() {
    let t = TestDir::new();
    for (i, name) in ["zeta", "alpha", "mid", "beta", "omega", "gamma"]
        .iter()
        .enumerate()
    {
        let text = format!(
            "{} {}",
            story(10 + (i % 2) as u64, 150),
            story(20 + i as u64, 10)
        );
        let date = ["2020-01-03", "2020-01-05", "2020-01-01"][i % 3];
        t.write(&format!("in/{name}.md"), article(date, name, &text));
    }
    t.lede(["run", "-i", "in", "-o", "one", "-j", "1"])
        .success();
    t.lede(["run", "-i", "in", "-o", "two", "-j", "2"])
        .success();
    let one = canonical_of(&t.path().join("one"));
    assert_eq!(one, canonical_of(&t.path().join("two")));
    // Two stories of three copies each; each cluster's earliest copy is canonical.
    assert_eq!(one.values().filter(|c| c.is_none()).count(), 2, "{one:?}");
    assert_eq!(one["omega.md"], Some("mid.md".to_owned()), "{one:?}");
    assert_eq!(one["alpha.md"], Some("gamma.md".to_owned()), "{one:?}");
}
