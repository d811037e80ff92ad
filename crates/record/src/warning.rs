//! What went wrong: per-article warnings (the article is kept) and rejects (it is not).

use std::fmt;

/// The kinds of things lede recovers from while keeping the article; counted per run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// The bytes were not UTF-8 and had no usable declaration, so the encoding was guessed.
    EncodingGuessed,
    /// Some bytes could not be decoded and were replaced with U+FFFD.
    MalformedBytes,
    /// A strict parser rejected the front matter; its keys were recovered line by line.
    FrontMatterRecovered,
    /// Front matter that was neither a mapping nor recoverable was ignored.
    FrontMatterIgnored,
    /// A front matter key was given twice; the last value is the one read.
    FrontMatterRepeatedKey,
    /// A date value did not parse, or is outside the years lede takes for a publish date.
    DateUnparsed,
    /// The HTML was too deep or too slow to parse in full; text was taken from what parsed.
    HtmlBudgetExceeded,
    /// The front matter's `lang` contradicts the language the text is written in.
    LangMismatch,
    /// The crawler that archived the page cut it short (`WARC-Truncated`).
    PayloadTruncated,
}

impl WarningKind {
    /// The stable name used in the run report and as the prefix of each warning string.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::EncodingGuessed => "encoding_guessed",
            WarningKind::MalformedBytes => "malformed_bytes",
            WarningKind::FrontMatterRecovered => "front_matter_recovered",
            WarningKind::FrontMatterIgnored => "front_matter_ignored",
            WarningKind::FrontMatterRepeatedKey => "front_matter_repeated_key",
            WarningKind::DateUnparsed => "date_unparsed",
            WarningKind::HtmlBudgetExceeded => "html_budget_exceeded",
            WarningKind::LangMismatch => "lang_mismatch",
            WarningKind::PayloadTruncated => "payload_truncated",
        }
    }
}

/// Something recovered from while keeping the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What kind of recovery this was.
    pub kind: WarningKind,
    /// What exactly, for a person reading the `warnings` column.
    pub detail: String,
}

impl Warning {
    /// A warning of `kind` saying `detail`.
    pub fn new(kind: WarningKind, detail: impl Into<String>) -> Warning {
        Warning {
            kind,
            detail: detail.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.detail)
    }
}

/// The stage at which an input was given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// Walking or reading the file.
    Read,
    /// Turning bytes into text.
    Decode,
    /// Splitting and parsing front matter and body.
    Parse,
    /// Cleaning the body into an article.
    Clean,
    /// Writing the article out.
    Write,
}

impl Stage {
    /// The `stage` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Decode => "decode",
            Stage::Parse => "parse",
            Stage::Clean => "clean",
            Stage::Write => "write",
        }
    }
}

/// An input that could not become an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The `/`-separated path relative to its input root.
    pub source_path: String,
    /// Where it was given up.
    pub stage: Stage,
    /// Why, in words a person can act on.
    pub error: String,
}

/// Serializes warnings as the strings of the `warnings` column.
pub(crate) fn serialize_all<S: serde::Serializer>(
    warnings: &[Warning],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(warnings.iter().map(ToString::to_string))
}
