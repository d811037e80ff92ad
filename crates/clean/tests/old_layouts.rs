//! Pages laid out as 2000s portals, government sites, forums and novel sites were (written for
//! lede in those styles, in their legacy encodings: `tests/fixtures/old-layouts/`, with what
//! each should give in `truth.json`): every paragraph of the story is kept, none of the
//! page's chrome is, and the headline and publish day are read.

use std::path::Path;

use lede_clean::{CleanSettings, clean};
use lede_parse::{ParseSettings, parse};
use lede_record::{RawFile, SourcePath};
use serde_json::Value;

#[test]
fn old_layouts_give_the_story_its_headline_and_its_day() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/old-layouts");
    let truth: serde_json::Map<String, Value> =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).expect("truth.json"))
            .expect("truth.json is an object");
    assert!(truth.len() >= 10);
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    for (name, want) in &truth {
        let raw = RawFile {
            source: SourcePath::new(&dir, name),
            bytes: std::fs::read(dir.join(name)).expect("page exists"),
            fetch: None,
        };
        let doc = parse(&raw, &ParseSettings::default()).expect("page parses");
        let article = clean(&doc, &CleanSettings::default()).expect("page cleans");
        let text = squeeze(&article.text);
        for paragraph in want["story"].as_array().expect("story") {
            let paragraph = squeeze(paragraph.as_str().expect("a paragraph"));
            assert!(text.contains(&paragraph), "{name}: lost {paragraph:?}");
        }
        for chrome in want["chrome"].as_array().expect("chrome") {
            let chrome = chrome.as_str().expect("a string");
            assert!(!article.text.contains(chrome), "{name}: kept {chrome:?}");
        }
        let title = want["title"].as_str().expect("title");
        assert_eq!(
            article.title.as_deref().map(squeeze),
            Some(squeeze(title)),
            "{name}"
        );
        let day = article.published_at.map(|t| t.to_string()[..10].to_owned());
        assert_eq!(day.as_deref(), want["day"].as_str(), "{name}");
    }
}
