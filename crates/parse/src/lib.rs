//! Bytes of one file → a [`ParsedDoc`]: decoding, front matter, and the kind of body.
//!
//! `lede-parse` owns everything up to the body text: which encoding the bytes are in (BOM, then
//! UTF-8 validity, then a declared charset, then detection), where the front matter block is and
//! what it says (YAML with a resource budget, TOML, or line-by-line recovery when an exporter wrote
//! something a strict parser refuses), and whether the body is HTML, Markdown or plain text. It
//! does not clean anything; that is `lede-clean`.
//!
//! ```
//! use lede_parse::{parse, ParseSettings};
//! use lede_record::{BodyFormat, FrontMatterFormat, RawFile, SourcePath};
//!
//! let raw = RawFile {
//!     source: SourcePath::new("/in", "post.md"),
//!     bytes: b"---\ntitle: Hello\ntags: [a, b]\n---\n# Hi\n\nSome *text*.\n".to_vec(),
//!     fetch: None,
//! };
//! let doc = parse(&raw, &ParseSettings::default()).unwrap();
//! assert_eq!(doc.front_matter.format, FrontMatterFormat::Yaml);
//! assert_eq!(doc.front_matter.fields["title"], "Hello");
//! assert_eq!(doc.body.format, BodyFormat::Markdown);
//! ```
#![deny(missing_docs)]

mod body;
mod decode;
mod front_matter;
mod recover;
mod written;

use lede_record::{Body, FrontMatter, FrontMatterFormat, ParsedDoc, RawFile, Stage};

/// Limits and knobs of the parse stage.
#[derive(Debug, Clone)]
pub struct ParseSettings {
    /// Largest front matter block parsed, in bytes (`limits.max_front_matter_kb`).
    pub max_front_matter_bytes: usize,
}

impl Default for ParseSettings {
    fn default() -> ParseSettings {
        ParseSettings {
            max_front_matter_bytes: 64 * 1024,
        }
    }
}

/// Why a file could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The bytes are in an encoding lede recognises but cannot decode.
    #[error("the file is in {name}, which lede cannot decode: {reason}")]
    UnsupportedEncoding {
        /// The encoding.
        name: &'static str,
        /// Why not, and what to do.
        reason: &'static str,
    },
    /// The bytes are not text.
    #[error("file looks binary ({reason}), not an article")]
    Binary {
        /// What gave it away.
        reason: &'static str,
    },
    /// The file is empty or holds only white space.
    #[error("file is empty")]
    Empty,
    /// A front matter fence is opened and never closed.
    #[error("front matter opened with `{fence}` on line {line} is never closed")]
    UnterminatedFence {
        /// `---` or `+++`.
        fence: &'static str,
        /// 1-based line of the opening fence.
        line: usize,
    },
    /// The front matter block is over the limit.
    #[error(
        "front matter is {size} bytes, over the limit of {limit} ({})",
        lede_record::keys::LIMITS_MAX_FRONT_MATTER_KB
    )]
    FrontMatterTooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The front matter could be read neither strictly nor line by line.
    #[error("{format} front matter cannot be read: {reason}")]
    FrontMatterUnreadable {
        /// `YAML` or `TOML`.
        format: &'static str,
        /// What the strict parser said.
        reason: String,
    },
}

impl ParseError {
    /// The stage this error is reported under.
    pub fn stage(&self) -> Stage {
        match self {
            ParseError::Binary { .. } | ParseError::UnsupportedEncoding { .. } => Stage::Decode,
            _ => Stage::Parse,
        }
    }
}

/// Parses one file. Pure: the same bytes and settings give the same document.
pub fn parse(raw: &RawFile, settings: &ParseSettings) -> Result<ParsedDoc, ParseError> {
    let declared = raw.fetch.as_ref().and_then(|f| f.charset.as_deref());
    let decoded = decode::decode(&raw.bytes, declared)?;
    let mut warnings = decoded.warnings;
    // A page from a JSON line has its metadata beside it, not in a block of its own.
    let (body_text, front_matter) = match raw.fetch.as_ref().and_then(|f| f.fields.clone()) {
        Some(fields) => (
            decoded.text.as_str(),
            FrontMatter {
                format: FrontMatterFormat::Json,
                fields,
                written: serde_json::Map::new(),
            },
        ),
        None => {
            let split = front_matter::split(&decoded.text)?;
            let front_matter = front_matter::read(&split, settings, &mut warnings)?;
            (split.body, front_matter)
        }
    };
    let extension = raw.source.extension();
    let (format, is_full_page) = body::sniff(body_text, extension.as_deref());
    if body_text.trim().is_empty() && front_matter.fields.is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(ParsedDoc {
        source: raw.source.clone(),
        encoding: decoded.encoding,
        front_matter,
        body: Body {
            format,
            is_full_page,
            text: body_text.to_owned(),
        },
        warnings,
        fetch: raw.fetch.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_record::{BodyFormat, FrontMatterFormat, SourcePath};
    use proptest::prelude::*;

    fn parse_bytes(name: &str, bytes: &[u8]) -> Result<ParsedDoc, ParseError> {
        let raw = RawFile {
            source: SourcePath::new("/in", name),
            bytes: bytes.to_vec(),
            fetch: None,
        };
        parse(&raw, &ParseSettings::default())
    }

    #[test]
    fn empty_file_is_a_reject() {
        assert!(matches!(
            parse_bytes("a.md", b" \n\n"),
            Err(ParseError::Empty)
        ));
    }

    #[test]
    fn unterminated_fence_is_a_reject() {
        let err = parse_bytes("a.md", b"---\ntitle: x\n\nbody\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "front matter opened with `---` on line 1 is never closed"
        );
        assert_eq!(err.stage(), Stage::Parse);
    }

    #[test]
    fn png_renamed_md_is_a_decode_reject() {
        let err = parse_bytes("a.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err();
        assert_eq!(err.stage(), Stage::Decode);
    }

    #[test]
    fn toml_front_matter_with_datetime() {
        let doc = parse_bytes(
            "p.md",
            b"+++\ntitle = \"Announcing\"\ndate = 2024-02-08T00:00:00Z\nauthors = [\"Team\"]\n[extra]\nrelease = true\n+++\n\nBody text.\n",
        )
        .unwrap();
        assert_eq!(doc.front_matter.format, FrontMatterFormat::Toml);
        let f = &doc.front_matter.fields;
        assert_eq!(f["title"], "Announcing");
        assert_eq!(f["date"], "2024-02-08T00:00:00Z");
        assert_eq!(f["extra"]["release"], true);
        assert_eq!(doc.body.format, BodyFormat::Markdown);
    }

    #[test]
    fn a_json_lines_page_has_its_lines_other_keys_as_front_matter() {
        let mut fields = serde_json::Map::new();
        fields.insert("title".into(), "From a scraper".into());
        let raw = RawFile {
            source: SourcePath::new("/in", "items.jsonl"),
            // A fence in the body is the body's: the metadata is beside it.
            bytes: b"---\nnot: front matter\n---\n<p>Body.</p>".to_vec(),
            fetch: Some(Box::new(lede_record::Fetch {
                fields: Some(fields),
                ..Default::default()
            })),
        };
        let doc = parse(&raw, &ParseSettings::default()).unwrap();
        assert_eq!(doc.front_matter.format, FrontMatterFormat::Json);
        assert_eq!(doc.front_matter.fields["title"], "From a scraper");
        assert!(doc.body.text.starts_with("---\nnot: front matter"));
    }

    #[test]
    fn only_front_matter_is_kept() {
        let doc = parse_bytes("a.md", b"---\ntitle: Only a title\n---\n").unwrap();
        assert_eq!(doc.front_matter.fields["title"], "Only a title");
        assert_eq!(doc.body.text, "");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse_bytes("x.md", &bytes);
        }

        #[test]
        fn parse_never_panics_on_fenced_text(s in "(---|\\+\\+\\+)\n[a-z:\\[\\]'\" \n-]{0,200}(---|\\+\\+\\+)?\n.{0,50}") {
            let _ = parse_bytes("x.md", s.as_bytes());
        }
    }
}
