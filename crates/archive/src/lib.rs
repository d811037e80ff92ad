//! Archives of many pages in one file, read as a stream of records: WARC (`.warc`,
//! `.warc.gz`, `.warc.zst`) and JSON Lines (`.jsonl`, `.ndjson`, also compressed); and single
//! compressed files (`page.html.gz`) expanded.
//!
//! `lede-archive` owns the formats crawlers write. It turns an archive's bytes into
//! [`Item`]s, in order, holding one record in memory at a time: a page to clean
//! ([`Record`]), a record that is not a page and is only counted ([`Skipped`]), or a record
//! that is broken ([`Bad`], which becomes a reject). It reads no files itself and knows
//! nothing of the stages after it.
//!
//! ```
//! use lede_archive::{Archive, Item, JsonFields};
//!
//! let warc = b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
//! WARC-Target-URI: https://example.com/a\r\nContent-Type: text/html\r\n\
//! Content-Length: 11\r\n\r\n<p>Hello</p\r\n\r\n";
//! let archive = Archive::of_name("crawl.warc").unwrap();
//! let items: Vec<Item> = archive.items(Box::new(&warc[..]), 1 << 20, &JsonFields::default()).collect();
//! let Item::Record(record) = &items[0] else { panic!() };
//! assert_eq!((record.id.as_str(), record.url.as_deref()), ("urn:uuid:1", Some("https://example.com/a")));
//! ```
#![deny(missing_docs)]

mod expand;
mod jsonl;
mod stream;
mod warc;

use std::io::Read;

use lede_record::Compression;

pub use expand::expand;
pub use jsonl::{DEFAULT_BODY_KEYS, JsonFields};

/// A kind of archive file, told by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Archive {
    format: Format,
    compression: Option<Compression>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Warc,
    JsonLines,
}

impl Archive {
    /// The archive `name` is (`crawl.warc`, `crawl.warc.gz`, `CC-MAIN-….warc.zst`,
    /// `items.jsonl`, `feed.ndjson.gz`), if any.
    pub fn of_name(name: &str) -> Option<Archive> {
        let (compression, inner) = match Compression::of_name(name.as_bytes()) {
            Some((compression, inner)) => (Some(compression), &name[..inner]),
            None => (None, name),
        };
        let (stem, extension) = inner.rsplit_once('.')?;
        let format = match extension.to_ascii_lowercase().as_str() {
            _ if stem.is_empty() => return None,
            "warc" => Format::Warc,
            "jsonl" | "ndjson" => Format::JsonLines,
            _ => return None,
        };
        Some(Archive {
            format,
            compression,
        })
    }

    /// The items of the archive whose bytes `file` reads, in order. Records over `limit` bytes
    /// (as stored, and once decoded) are [`Bad`]; `fields` says which keys of a JSON line
    /// hold what.
    pub fn items(
        self,
        file: Box<dyn Read + Send>,
        limit: u64,
        fields: &JsonFields,
    ) -> Box<dyn Iterator<Item = Item> + Send> {
        let losses = stream::Losses::default();
        let expanded = stream::expanded(file, self.compression, &losses);
        match self.format {
            Format::Warc => Box::new(warc::WarcRecords::new(expanded, limit, losses)),
            Format::JsonLines => Box::new(jsonl::JsonLines::new(
                expanded,
                limit,
                fields.clone(),
                losses,
            )),
        }
    }
}

/// One record of an archive.
#[derive(Debug)]
pub enum Item {
    /// A page.
    Record(Record),
    /// A record that is not a page: counted by why, not an input.
    Skipped(Skipped),
    /// A record that cannot be read: a reject.
    Bad(Bad),
}

/// A page an archive holds, and what the crawler noted about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Its identity in the archive (the `WARC-Record-ID` without its angle brackets, else
    /// `record-N`): what follows `#` in its `source_path`.
    pub id: String,
    /// The page's bytes, transfer and content codings removed.
    pub payload: Vec<u8>,
    /// The extension a file of this payload would have (`html`).
    pub extension: Option<&'static str>,
    /// The address it was fetched from (`WARC-Target-URI`).
    pub url: Option<String>,
    /// When it was fetched (`WARC-Date`).
    pub fetched_at: Option<jiff::Timestamp>,
    /// The charset the HTTP `Content-Type` declares.
    pub charset: Option<String>,
    /// Why the crawler cut the payload short (`WARC-Truncated`: `length`, `time`, …).
    pub truncated: Option<String>,
    /// What a JSON line says beside the page (its other keys): read as front matter.
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Why a record is not an input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skipped {
    /// A record of another type than `response` or `resource` (`request`, `metadata`,
    /// `revisit`, `warcinfo`, `conversion`, …).
    Type(String),
    /// A response with another HTTP status than 200.
    Status(u16),
    /// A payload that is not HTML.
    NotHtml,
    /// A blank line of a JSON Lines file.
    BlankLine,
}

impl Skipped {
    /// The reason as the run report counts it: `request record`, `HTTP 404`, `not HTML`.
    pub fn reason(&self) -> String {
        match self {
            Skipped::Type(kind) => format!("{kind} record"),
            Skipped::Status(status) => format!("HTTP {status}"),
            Skipped::NotHtml => "not HTML".to_owned(),
            Skipped::BlankLine => "blank line".to_owned(),
        }
    }
}

/// A record that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    /// Its identity (as [`Record::id`]; `offset-N` for bytes that are not a record).
    pub id: String,
    /// What is wrong with it.
    pub error: String,
}
