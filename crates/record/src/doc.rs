//! The records before cleaning: raw bytes, then a decoded document split into front matter and body.

use serde::Serialize;

use crate::{SourcePath, Warning};

/// The bytes of one input file, as read from disk.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// Where the bytes came from.
    pub source: SourcePath,
    /// The whole file.
    pub bytes: Vec<u8>,
    /// What the crawler noted beside a page it archived; `None` for a plain file.
    pub fetch: Option<Box<Fetch>>,
}

/// What a crawler or scraper noted beside a page it archived (a WARC record's header and HTTP
/// response, the other keys of a JSON line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fetch {
    /// The address the page was fetched from: the article's `url` when the page names none.
    pub url: Option<String>,
    /// When it was fetched: the `fetched_at` column.
    pub fetched_at: Option<jiff::Timestamp>,
    /// The charset the HTTP `Content-Type` declared: read after a BOM, before `<meta>`.
    pub charset: Option<String>,
    /// Why the crawler cut the page short, if it did.
    pub truncated: Option<String>,
    /// What a scraper wrote beside the page (the other keys of its JSON line): the page's
    /// front matter.
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// The syntax of a file's front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontMatterFormat {
    /// `---` fenced YAML (Hexo, Jekyll).
    Yaml,
    /// `+++` fenced TOML (Hugo, Zola).
    Toml,
    /// The other keys of a JSON line that holds the page (a scraper's export).
    Json,
    /// No front matter.
    None,
}

impl FrontMatterFormat {
    /// The `front_matter` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            FrontMatterFormat::Yaml => "yaml",
            FrontMatterFormat::Toml => "toml",
            FrontMatterFormat::Json => "json",
            FrontMatterFormat::None => "none",
        }
    }
}

/// Front matter as a JSON-like mapping; keys are kept exactly as written.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// Which syntax the block was written in.
    pub format: FrontMatterFormat,
    /// The top-level keys and their values (TOML datetimes become strings).
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The values of `fields` that hold a YAML scalar typed as a boolean or a number, with
    /// every scalar as the block writes it (`No`, `1.10`, `010`): a field read as text (a
    /// title, a tag) is read from here, so that it keeps what was written. Empty when nothing
    /// was typed.
    pub written: serde_json::Map<String, serde_json::Value>,
}

impl FrontMatter {
    /// A file without front matter.
    pub fn none() -> FrontMatter {
        FrontMatter {
            format: FrontMatterFormat::None,
            fields: serde_json::Map::new(),
            written: serde_json::Map::new(),
        }
    }
}

/// How a body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyFormat {
    /// An HTML fragment or a whole HTML document.
    Html,
    /// Markdown, possibly with raw HTML inside.
    Markdown,
    /// Plain text.
    Text,
}

impl BodyFormat {
    /// The `body_format` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyFormat::Html => "html",
            BodyFormat::Markdown => "markdown",
            BodyFormat::Text => "text",
        }
    }
}

/// The body of a document after the front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// How the body is written.
    pub format: BodyFormat,
    /// Whether the body is a whole HTML page (`<html>…`) rather than an article fragment.
    pub is_full_page: bool,
    /// The decoded body text.
    pub text: String,
}

/// One decoded document: the output of `lede-parse`, the input of `lede-clean`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDoc {
    /// Where the document came from.
    pub source: SourcePath,
    /// The WHATWG name of the encoding the bytes were decoded from (`UTF-8`, `Shift_JIS`, …).
    pub encoding: &'static str,
    /// The front matter, or [`FrontMatter::none`].
    pub front_matter: FrontMatter,
    /// What follows the front matter.
    pub body: Body,
    /// What parsing had to recover from.
    pub warnings: Vec<Warning>,
    /// What the crawler noted beside it, for an archived page.
    pub fetch: Option<Box<Fetch>>,
}
