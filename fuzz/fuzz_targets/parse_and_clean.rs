//! Any bytes through parse and then clean, as each file goes through `lede run`; HTML and
//! Markdown bodies reach the cleaner whatever the extension, since the body kind is sniffed.
#![no_main]

use lede_clean::{CleanSettings, clean};
use lede_parse::{ParseSettings, parse};
use lede_record::{RawFile, SourcePath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for name in ["input.md", "input.html", "input.txt"] {
        let raw = RawFile { source: SourcePath::new("/fuzz", name), bytes: bytes.to_vec() };
        if let Ok(doc) = parse(&raw, &ParseSettings::default()) {
            if let Ok(article) = clean(&doc, &CleanSettings::default()) {
                assert!(!article.text.starts_with(char::is_whitespace), "text is trimmed");
            }
        }
    }
});
