//! Values that used to change on the way in: YAML 1.1 scalars in fields read as text,
//! repeated front matter keys, stateful 7-bit encodings and UTF-32, dates outside any
//! plausible range. Files are generated here; the dataset is read back by DuckDB.

use serde_json::{Value, json};

use crate::util::{TestDir, read_dataset};

fn row<'a>(rows: &'a [Value], path: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["source_path"] == json!(path))
        .unwrap_or_else(|| panic!("no row for {path}"))
}

#[test]
fn fields_read_as_text_keep_what_the_front_matter_writes() {
    let t = TestDir::new();
    t.write(
        "in/no.md",
        "---\ntitle: No\ntags: [No, keep]\ncategories: [1.10, 010, 0x1F]\nlang: no\ncomments: false\n---\nNorsk tekst om været i dag, og om vinden.\n",
    );
    t.write(
        "in/version.md",
        "---\ntitle: 1.10\nauthor: 010\n---\nRelease notes for the version.\n",
    );
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let seen = read_dataset(&t.path().join("out"));
    let rows = seen["duckdb"]["rows"].as_array().expect("rows");
    let no = row(rows, "no.md");
    assert_eq!(no["title"], json!("No"));
    assert_eq!(no["tags"], json!(["No", "keep"]));
    assert_eq!(no["categories"], json!(["1.10", "010", "0x1F"]));
    let version = row(rows, "version.md");
    assert_eq!(
        (&version["title"], &version["author"]),
        (&json!("1.10"), &json!("010"))
    );
}

#[test]
fn a_repeated_front_matter_key_is_a_warning() {
    let t = TestDir::new();
    t.write(
        "in/twice.md",
        "---\ntitle: The first title\ntitle: The second title\n---\nA story told once.\n",
    );
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let seen = read_dataset(&t.path().join("out"));
    let twice = &seen["duckdb"]["rows"][0];
    assert_eq!(twice["title"], json!("The second title"));
    assert!(
        twice["warnings"].to_string().contains(
            "front_matter_repeated_key: front matter key `title` is given more than once"
        ),
        "{}",
        twice["warnings"]
    );
}

#[test]
fn stateful_seven_bit_encodings_and_utf32_are_decoded() {
    let t = TestDir::new();
    let japanese = "ある日の暮方の事である。一人の下人が、羅生門の下で雨やみを待っていた。";
    let (iso2022, _, _) = encoding_rs::ISO_2022_JP.encode(japanese);
    t.write("in/iso-2022-jp.txt", &iso2022);
    let mut utf32 = vec![0xff, 0xfe, 0, 0];
    for c in "Le café du matin, écrit en UTF-32.".chars() {
        utf32.extend((c as u32).to_le_bytes());
    }
    t.write("in/utf32.txt", utf32);
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let seen = read_dataset(&t.path().join("out"));
    let rows = seen["duckdb"]["rows"].as_array().expect("rows");
    assert_eq!(row(rows, "iso-2022-jp.txt")["text"], json!(japanese));
    assert_eq!(row(rows, "iso-2022-jp.txt")["lang"], json!("ja"));
    assert_eq!(
        row(rows, "utf32.txt")["text"],
        json!("Le café du matin, écrit en UTF-32.")
    );
}

#[test]
fn dates_outside_1800_to_2199_are_no_date_and_year_stays_an_integer() {
    let t = TestDir::new();
    for (name, date) in [
        ("year-1.md", "0001-01-01"),
        ("year-9999.md", "9999-12-31T23:59:59Z"),
        ("epoch.md", "-99999999999"),
        ("fine.md", "2021-04-24"),
    ] {
        t.write(
            &format!("in/{name}"),
            format!("---\ntitle: {name}\ndate: {date}\n---\nA story with a date of {date}.\n"),
        );
    }
    t.lede(["run", "-i", "in", "-o", "out"]).success();
    let seen = read_dataset(&t.path().join("out"));
    assert_eq!(seen["duckdb"]["types"]["year"], json!("BIGINT"));
    let rows = seen["duckdb"]["rows"].as_array().expect("rows");
    for name in ["year-1.md", "year-9999.md", "epoch.md"] {
        let r = row(rows, name);
        assert_eq!(r["published_at"], Value::Null, "{name}");
        assert!(
            r["warnings"]
                .to_string()
                .contains("not between 1800 and 2199"),
            "{name}: {}",
            r["warnings"]
        );
    }
    assert_eq!(row(rows, "fine.md")["year"], json!(2021));
}
