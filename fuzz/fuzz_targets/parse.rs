//! Any bytes through `lede_parse::parse`: it must return, never panic or hang.
#![no_main]

use lede_parse::{ParseSettings, parse};
use lede_record::{RawFile, SourcePath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let raw = RawFile { source: SourcePath::new("/fuzz", "input.md"), bytes: bytes.to_vec() };
    let _ = parse(&raw, &ParseSettings::default());
});
