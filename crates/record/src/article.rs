//! The cleaned article: one row of the dataset.

use std::fmt;

use serde::Serialize;

use crate::{BodyFormat, FrontMatterFormat, Signature, SourcePath, Warning};

/// The stable id of an article: a hash of its source path relative to its input root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct ArticleId(String);

impl ArticleId {
    /// The id of the article read from `source`: 128-bit xxh3 of the relative path, in hex.
    pub fn of(source: &SourcePath) -> ArticleId {
        ArticleId::from_key(source.key())
    }

    /// The id of the source with this key.
    pub fn from_key(key: u128) -> ArticleId {
        ArticleId(format!("{key:032x}"))
    }

    /// The hex string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where `published_at` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A front matter key such as `date`.
    FrontMatter,
    /// A Jekyll-style `YYYY-MM-DD-` file name.
    FileName,
    /// A marker in the body, such as a leading `<!--1619281500000-->` comment.
    Body,
    /// A whole page's JSON-LD `datePublished`.
    JsonLd,
    /// A whole page's meta tag, such as `article:published_time`.
    MetaTag,
    /// A whole page's `<time datetime>` element.
    TimeElement,
    /// A publish-named key in a whole page's script state (`"publishedAt": "…"` in Next.js
    /// data, `window.__INITIAL_STATE__`, a `datePublished` outside JSON-LD).
    ScriptState,
    /// A date written in a whole page's date or byline line (`Jun 08, 2023 • 11 min read`).
    PageText,
}

impl DateSource {
    /// The `date_source` column value.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::FrontMatter => "front_matter",
            DateSource::FileName => "file_name",
            DateSource::Body => "body",
            DateSource::JsonLd => "json_ld",
            DateSource::MetaTag => "meta_tag",
            DateSource::TimeElement => "time_element",
            DateSource::ScriptState => "script_state",
            DateSource::PageText => "page_text",
        }
    }
}

/// An image of the article body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    /// The real, absolute URL: lazy-load attribute preferred, proxy wrappers removed.
    pub url: String,
    /// The alt text, if any.
    pub alt: Option<String>,
    /// The caption: a `<figcaption>`, or a short caption-like or centered block right after the
    /// image, with a photo credit in parentheses.
    pub caption: Option<String>,
}

/// Body `<img>` elements that did not become an [`Image`], by reason. Every `<img>` of a body
/// ends as one image or one count here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DroppedImages {
    /// An inline `data:` URI.
    pub data_uri: u64,
    /// A 1×1 (or smaller) tracking pixel.
    pub tracking_pixel: u64,
    /// Inside an ad slot or a promotion link.
    pub ad: u64,
    /// Inside a hidden element, a script-like element or a site rule's drop selector.
    pub hidden: u64,
    /// Inside navigation, header, footer or sidebar of a whole page.
    pub page_chrome: u64,
    /// No usable `src` (empty, or not a URL).
    pub no_source: u64,
    /// The same URL as an earlier image of the article.
    pub duplicate: u64,
    /// A lazy-load placeholder, replaced by the original in the `<noscript>` after it.
    pub placeholder: u64,
    /// A relative URL with nothing to resolve it against (no `<base>`, article URL or site
    /// rule `base_url`).
    pub unresolved: u64,
}

impl DroppedImages {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &DroppedImages) {
        self.data_uri += other.data_uri;
        self.tracking_pixel += other.tracking_pixel;
        self.ad += other.ad;
        self.hidden += other.hidden;
        self.page_chrome += other.page_chrome;
        self.no_source += other.no_source;
        self.duplicate += other.duplicate;
        self.placeholder += other.placeholder;
        self.unresolved += other.unresolved;
    }

    /// All dropped images.
    pub fn total(&self) -> u64 {
        self.data_uri
            + self.tracking_pixel
            + self.ad
            + self.hidden
            + self.page_chrome
            + self.no_source
            + self.duplicate
            + self.placeholder
            + self.unresolved
    }
}

/// A link of the article body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The target, with redirect wrappers and tracking parameters removed.
    pub url: String,
    /// The anchor text, if any.
    pub text: Option<String>,
}

/// A clean article: the output of `lede-clean`, one row of `articles`.
///
/// `ingested_at` is not here: it belongs to the run, and the writer stamps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// Stable id, see [`ArticleId::of`].
    pub id: ArticleId,
    /// Path relative to the input root.
    pub source_path: String,
    /// The encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// The front matter syntax.
    pub front_matter: FrontMatterFormat,
    /// The body syntax.
    pub body_format: BodyFormat,
    /// The headline.
    pub title: Option<String>,
    /// The author or outlet.
    pub author: Option<String>,
    /// The canonical article URL.
    pub url: Option<String>,
    /// The host of `url`.
    pub site: Option<String>,
    /// When the article was published.
    pub published_at: Option<jiff::Timestamp>,
    /// The UTC offset, in minutes east, that the source wrote `published_at` with; `None` when
    /// it wrote no zone (and `run.timezone` was assumed) or a count of seconds.
    pub published_utc_offset: Option<i32>,
    /// Where `published_at` came from.
    pub date_source: Option<DateSource>,
    /// When a crawler fetched the page (a WARC record's `WARC-Date`); `None` for a plain file.
    pub fetched_at: Option<jiff::Timestamp>,
    /// Categories, in front matter order.
    pub categories: Vec<String>,
    /// Tags, in front matter order.
    pub tags: Vec<String>,
    /// The lead image URL, unwrapped like body images.
    pub lead_image: Option<String>,
    /// Body images in document order, without repeats.
    pub images: Vec<Image>,
    /// Body `<img>` elements that were not kept, by reason (reported per run, not a column).
    pub dropped_images: DroppedImages,
    /// Body links in document order.
    pub links: Vec<Link>,
    /// Clean plain text: paragraphs separated by a blank line.
    pub text: String,
    /// ISO 639-1 language code.
    pub lang: Option<String>,
    /// Non-whitespace characters of `text`.
    pub char_count: i64,
    /// Words of `text`, each Han, Kana or Hangul character counting as one.
    pub word_count: i64,
    /// Paragraphs of `text`.
    pub paragraph_count: i64,
    /// Hex hash of `text`.
    pub content_hash: String,
    /// The MinHash signature of `text` for near-duplicate detection (None for a text too short
    /// to shingle); the writer keeps it in the dataset state, not in a column.
    #[serde(skip)]
    pub signature: Option<Signature>,
    /// Front matter keys not mapped to a column, as a JSON object.
    pub extra: Option<String>,
    /// What was recovered or could not be read.
    #[serde(serialize_with = "crate::warning::serialize_all")]
    pub warnings: Vec<Warning>,
}
