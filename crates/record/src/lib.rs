//! The records that cross lede's stage boundaries, and nothing else: no I/O, no parsing.
//!
//! A file moves through the pipeline as [`RawFile`] (bytes on disk) → [`ParsedDoc`] (decoded,
//! front matter split off, body kind known) → [`Article`] (clean text and metadata), or ends as
//! a [`Reject`] naming the [`Stage`] that gave up. Stage crates depend on this crate, never on
//! each other, so what two stages share beyond records lives here too: the character classes
//! ([`chars`]) that cleaning and the near-duplicate signatures read text by.
//!
//! ```
//! use lede_record::{ArticleId, SourcePath, Stage};
//!
//! let source = SourcePath::new("/archive", "feeds/zh/2021-11-14-post.md");
//! assert_eq!(source.relative(), "feeds/zh/2021-11-14-post.md");
//! // The id depends only on the relative path, so it is the same on every machine.
//! assert_eq!(ArticleId::of(&source), ArticleId::of(&SourcePath::new("/elsewhere", "feeds/zh/2021-11-14-post.md")));
//! assert_eq!(Stage::Parse.as_str(), "parse");
//! ```
#![deny(missing_docs)]

mod article;
pub mod chars;
mod dedup;
mod doc;
pub mod keys;
mod source;
mod warning;

pub use article::{Article, ArticleId, DateSource, DroppedImages, Image, Link};
pub use dedup::{DedupState, SIGNATURE_BYTES, Signature};
pub use doc::{Body, BodyFormat, Fetch, FrontMatter, FrontMatterFormat, ParsedDoc, RawFile};
pub use source::{Compression, FileStamp, SourcePath, source_key};
pub use warning::{Reject, Stage, Warning, WarningKind};
