//! Metadata a whole page carries: `<head>` meta tags, JSON-LD, `<h1>`, `<time>` and
//! `<html lang>`. Used where front matter is silent; front matter always wins.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use lede_record::DateSource;
use scraper::{ElementRef, Html};
use serde_json::{Map, Value};

use crate::dates::{self, Dated};
use crate::entities::decode_leftovers;
use crate::fields::{names, primary_lang};
use crate::text::fold_blanks;
use crate::url::canonical;

/// What a whole page says about itself.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    pub(crate) canonical_url: Option<String>,
    /// `<base href>`: what the page's relative URLs are relative to.
    pub(crate) base_href: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) published_at: Option<(Dated, DateSource)>,
    /// A date the page gives that is before the web began, passed over.
    pub(crate) pre_web_date: Option<Dated>,
    /// `og:site_name` or the JSON-LD publisher: the outlet's own name.
    pub(crate) site_name: Option<String>,
    /// `og:image`, `twitter:image` or the JSON-LD image.
    pub(crate) lead_image: Option<String>,
    /// `<html lang>`, as a two-letter code.
    pub(crate) lang: Option<String>,
}

/// JSON-LD `@type`s that describe the story itself.
const ARTICLE_TYPES: [&str; 12] = [
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "TechArticle",
    "ScholarlyArticle",
    "SocialMediaPosting",
    "LiveBlogPosting",
];

/// Meta tags (`name`, `property` or `itemprop`, lower-cased) that carry the publish time.
const DATE_META: [&str; 20] = [
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published",
    "published_time",
    "publication_date",
    "published-date",
    "citation_publication_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "date",
];

/// 1990-01-01: no web page was published before it, so a page's earlier date is not its own.
const WEB_BEGAN: Timestamp = Timestamp::constant(631_152_000, 0);

/// Keys of a page's script state that name the publish time, as sites' JavaScript writes them.
const SCRIPT_DATE_KEYS: [&str; 18] = [
    "datePublished",
    "publishedAt",
    "published_at",
    "publishDate",
    "publishedDate",
    "publish_date",
    "publishedOn",
    "published_on",
    "publishedTime",
    "firstPublishedAt",
    "first_published_at",
    "first_publication_date",
    "datePosted",
    "date_posted",
    "pubDate",
    "publicationDate",
    "publication_date",
    "displayDate",
];
static SCRIPT_DATE_MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| AhoCorasick::new(SCRIPT_DATE_KEYS).expect("the keys build a matcher"));

/// Meta tags that carry the last modified time: a page's date when it gives no other.
const MODIFIED_META: [&str; 3] = ["article:modified_time", "og:updated_time", "datemodified"];

/// Meta tags that name the author.
const AUTHOR_META: [&str; 6] = [
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
];

/// The most `<h1>`s looked at for the headline.
const MAX_HEADINGS: usize = 8;
/// The longest byline element text taken as an author.
const MAX_BYLINE_CHARS: usize = 80;
/// The most words in one name of a byline (`Dr. Maria de la Cruz`).
const MAX_NAME_WORDS: usize = 5;
/// Class and id words of a site's logo or name.
const LOGO_NAMES: [&str; 5] = ["logo", "site-title", "site-name", "brand", "masthead"];
/// Class and id words of elements that hold the author's name.
const AUTHOR_NAMES: [&str; 2] = ["author", "byline"];
/// The longest text of an element named like a date that is searched for one.
const MAX_DATE_LINE_CHARS: usize = 100;
/// How many elements after the headline are looked at for a line that holds its date
/// (`<div>By Jane Doe - Mar 27, 2024</div>`, `<span>Nov 21, 2018</span>`).
const HEADLINE_DATE_ELEMENTS: usize = 30;
/// The longest text of such a line, in bytes.
const MAX_HEADLINE_DATE_BYTES: usize = 120;
/// How many elements before the headline a line of nothing but a date may be
/// (`<h5>January 23, 2025</h5><h1>…`).
const PRE_HEADLINE_DATE_ELEMENTS: usize = 10;
/// The longest line of nothing but a date, in bytes.
const MAX_DATE_ONLY_BYTES: usize = 48;
/// The most nodes of an element read for a short line.
const MAX_LINE_NODES: usize = 64;

/// Everything read in one pass over the page.
#[derive(Default)]
struct Found {
    /// `name`/`property`/`itemprop` (lower-cased) → content, first of each.
    meta: HashMap<String, String>,
    document_title: Option<String>,
    headings: Vec<String>,
    json_ld: Vec<Value>,
    time: Option<String>,
    published_time: Option<String>,
    byline: Option<String>,
    /// The name in the first short element named like an author (`blog-author`).
    author_line: Option<String>,
    /// A date read from the first short element named like a date (`post-date`).
    date_line: Option<Dated>,
    /// The distinct `datePublished` microdata values of elements other than `<meta>` (two at
    /// most: with two, they date a list of items, not the page).
    item_dates: Vec<String>,
    /// A date read from a short line soon after the headline.
    headline_date: Option<Dated>,
    /// Elements seen since the first headline `<h1>`.
    after_headline: Option<usize>,
    /// Before the headline: the last line of nothing but a date, and the elements since.
    before_headline: Option<(Dated, usize)>,
    /// The text of a `<time>` without `datetime` (`<time>Published on June 4, 2025</time>`).
    time_text: Option<Dated>,
    /// The first publish-named key of a script's state that holds a date.
    script_date: Option<Dated>,
    canonical: Option<String>,
    base_href: Option<String>,
    lang: Option<String>,
}

impl Found {
    fn meta(&self, key: &str) -> Option<&str> {
        self.meta.get(key).map(String::as_str)
    }
}

pub(crate) fn page_meta(html: &Html, zone: &TimeZone) -> PageMeta {
    let found = read(html, zone);
    let article = found
        .json_ld
        .iter()
        .find_map(|v| json_ld_object(v, is_article));
    // People first: an organisation named as author is the publisher, a last resort.
    let json_ld_authors = article.and_then(|a| a.get("author"));
    let author = json_ld_authors
        .and_then(|a| people(a, false))
        .or_else(|| {
            AUTHOR_META
                .iter()
                .filter_map(|key| found.meta(key))
                .find_map(person)
        })
        .or_else(|| found.byline.as_deref().and_then(person))
        .or_else(|| found.author_line.clone())
        .or_else(|| json_ld_authors.and_then(|a| people(a, true)));
    // Published, else created, else — when a page says nothing else — last modified.
    // A page dated before the web began is a placeholder (an epoch-zero `1970-01-01`), not
    // the day it was published: such a date is passed over, and the first one remembered.
    let pre_web = std::cell::Cell::new(None);
    let on_the_web = |date: Dated| {
        if date.at >= WEB_BEGAN {
            return Some(date);
        }
        if pre_web.get().is_none() {
            pre_web.set(Some(date));
        }
        None
    };
    let json_ld_date = |keys: &[&str]| {
        article
            .into_iter()
            .chain(
                found
                    .json_ld
                    .iter()
                    .filter_map(|v| json_ld_object(v, is_dated)),
            )
            .flat_map(|object| keys.iter().filter_map(|k| object.get(*k)))
            .find_map(|v| dates::parse_value(v, zone).and_then(on_the_web))
            .map(|ts| (ts, DateSource::JsonLd))
    };
    let meta_date = |keys: &[&str]| {
        keys.iter()
            .filter_map(|key| found.meta(key))
            .find_map(|v| dates::parse_str(v, zone).and_then(on_the_web))
            .map(|ts| (ts, DateSource::MetaTag))
    };
    let published_at = json_ld_date(&["datePublished", "dateCreated"])
        .or_else(|| meta_date(&DATE_META))
        .or_else(|| {
            found
                .published_time
                .iter()
                .chain(&found.time)
                .find_map(|v| dates::parse_str(v, zone).and_then(on_the_web))
                .or_else(|| found.time_text.and_then(on_the_web))
                .map(|ts| (ts, DateSource::TimeElement))
        })
        .or_else(|| {
            found
                .script_date
                .and_then(on_the_web)
                .map(|ts| (ts, DateSource::ScriptState))
        })
        .or_else(|| {
            let before_headline = found
                .before_headline
                .filter(|(_, since)| {
                    found.after_headline.is_some() && *since <= PRE_HEADLINE_DATE_ELEMENTS
                })
                .map(|(date, _)| date);
            [found.date_line, found.headline_date, before_headline]
                .into_iter()
                .flatten()
                .find_map(on_the_web)
                .map(|ts| (ts, DateSource::PageText))
        })
        .or_else(|| json_ld_date(&["dateModified"]))
        .or_else(|| meta_date(&MODIFIED_META));
    let site_name = found
        .meta("og:site_name")
        .map(|t| decode_leftovers(&fold_blanks(t)))
        .or_else(|| {
            article
                .and_then(|a| a.get("publisher"))
                .and_then(|p| p.get("name"))
                .and_then(Value::as_str)
                .map(fold_blanks)
        })
        .filter(|s| !s.is_empty());
    let title = headline(&found, article, site_name.as_deref());
    let lead_image = [
        "og:image",
        "og:image:url",
        "twitter:image",
        "twitter:image:src",
    ]
    .iter()
    .filter_map(|key| found.meta(key))
    .chain(article.and_then(|a| a.get("image")).and_then(image_url))
    .find_map(|u| canonical(u, None).filter(|u| u.contains("://")));
    let canonical_url = found
        .canonical
        .clone()
        .or_else(|| found.meta("og:url").and_then(|u| canonical(u, None)))
        .filter(|u| u.contains("://"));
    PageMeta {
        title,
        canonical_url,
        base_href: found.base_href,
        author,
        published_at,
        pre_web_date: pre_web.get(),
        site_name,
        lead_image,
        lang: found.lang.as_deref().and_then(primary_lang),
    }
}

fn read(html: &Html, zone: &TimeZone) -> Found {
    let mut found = Found::default();
    for node in html.tree.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let v = el.value();
        match v.name() {
            "html" if found.lang.is_none() => found.lang = v.attr("lang").map(str::to_owned),
            "title" if found.document_title.is_none() => {
                found.document_title = Some(text_of(el)).filter(|t| !t.is_empty());
            }
            "base" if found.base_href.is_none() => {
                found.base_href = v
                    .attr("href")
                    .and_then(|h| canonical(h, None))
                    .filter(|u| u.contains("://"));
            }
            "link"
                if v.attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                found.canonical = v.attr("href").and_then(|h| canonical(h, None));
            }
            "meta" => {
                let key = v
                    .attr("property")
                    .or_else(|| v.attr("name"))
                    .or_else(|| v.attr("itemprop"));
                if let (Some(key), Some(content)) = (key, v.attr("content")) {
                    found
                        .meta
                        .entry(key.to_ascii_lowercase())
                        .or_insert_with(|| content.trim().to_owned());
                }
            }
            "script"
                if v.attr("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
            {
                let text: String = el.text().collect();
                if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                    found.json_ld.push(value);
                }
            }
            "script" if found.script_date.is_none() => {
                found.script_date = el.text().find_map(|text| script_state_date(text, zone));
            }
            "h1" if found.headings.len() < MAX_HEADINGS => {
                let text = text_of(el);
                // A site's logo is often an `<h1>`: `h1.logo`, `div.site-branding > h1`.
                let logo = std::iter::once(el)
                    .chain(el.ancestors().filter_map(ElementRef::wrap).take(2))
                    .any(|e| named_like(e.value(), &LOGO_NAMES));
                if !text.is_empty() && !logo {
                    found.headings.push(text);
                    found.after_headline.get_or_insert(0);
                }
            }
            "time" if v.attr("datetime").is_none() && found.time_text.is_none() => {
                found.time_text = bounded_spaced_text(el, MAX_HEADLINE_DATE_BYTES)
                    .and_then(|text| dates::find_in_text(&text, zone));
            }
            "time" => {
                if let Some(datetime) = v.attr("datetime") {
                    let published =
                        v.attr("itemprop") == Some("datePublished") || v.attr("pubdate").is_some();
                    if published && found.published_time.is_none() {
                        found.published_time = Some(datetime.to_owned());
                    } else if found.time.is_none() {
                        found.time = Some(datetime.to_owned());
                    }
                }
            }
            _ => {}
        }
        // Microdata on any element: `<span itemprop="datePublished" content="2022-01-14">`
        // (a `<meta>` is read above, a `<time>` as one).
        if !matches!(v.name(), "meta" | "time")
            && v.attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
            && let Some(value) = v.attr("content").map(str::trim)
            && found.item_dates.len() < 2
            && !found.item_dates.iter().any(|d| d == value)
        {
            found.item_dates.push(value.to_owned());
        }
        let is_byline = v.attr("rel") == Some("author") || v.attr("itemprop") == Some("author");
        if is_byline && found.byline.is_none() {
            found.byline = short_text(el, MAX_BYLINE_CHARS);
        }
        // The first element so named whose text is a name: `p.byline` that holds the date too
        // is not, `span.by-author` inside it is.
        if found.author_line.is_none() && named_like(v, &AUTHOR_NAMES) {
            let text = spaced_text(el);
            if text.chars().count() <= MAX_BYLINE_CHARS {
                // `By Jane Doe · March 3, 2025`: the part without the date.
                found.author_line = text
                    .split(['·', '|', '•', '—', '–'])
                    .filter(|part| dates::find_in_text(part, zone).is_none())
                    .find_map(person)
                    .filter(|name| reads_as_names(name));
            }
        }
        if found.after_headline.is_none() {
            if let Some((_, since)) = found.before_headline.as_mut() {
                *since += 1;
            }
            if let Some(date) = bounded_spaced_text(el, MAX_DATE_ONLY_BYTES)
                .and_then(|text| dates::date_line(&text, zone))
            {
                found.before_headline = Some((date, 0));
            }
        } else if let Some(seen) = found.after_headline.as_mut()
            && *seen < HEADLINE_DATE_ELEMENTS
            && found.headline_date.is_none()
        {
            *seen += 1;
            found.headline_date = bounded_spaced_text(el, MAX_HEADLINE_DATE_BYTES)
                .and_then(|text| dates::find_in_text(&text, zone));
        }
        if found.date_line.is_none() && named_like(v, &["date", "posted", "publish", "time"]) {
            let text = spaced_text(el);
            if text.chars().count() <= MAX_DATE_LINE_CHARS {
                found.date_line = dates::find_in_text(&text, zone);
            }
        }
    }
    if let [date] = found.item_dates.as_slice() {
        found
            .meta
            .entry("datepublished".to_owned())
            .or_insert_with(|| date.clone());
    }
    found
}

fn text_of(el: ElementRef<'_>) -> String {
    decode_leftovers(&fold_blanks(&el.text().collect::<String>()))
}

/// The element's text with its text nodes apart: `<div>Updated:</div><div>May 1, 2025</div>`.
fn spaced_text(el: ElementRef<'_>) -> String {
    decode_leftovers(&fold_blanks(&el.text().collect::<Vec<_>>().join(" ")))
}

/// The element's text with its text nodes apart, when it is at most `max` bytes in at most
/// [`MAX_LINE_NODES`] nodes: read no further than that, so that looking at a large element
/// costs no more than looking at a small one.
fn bounded_spaced_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let mut text = String::new();
    for (seen, node) in el.descendants().enumerate() {
        if seen >= MAX_LINE_NODES {
            return None;
        }
        if let Some(piece) = node.value().as_text() {
            if text.len() + piece.len() > max {
                return None;
            }
            text.push_str(piece);
            text.push(' ');
        }
    }
    Some(fold_blanks(&text))
}

/// The date of the first publish-named key in a script's text that holds one: JSON or a
/// JavaScript object (`"publishedAt":"2025-12-13"`, `publishedDate:"2019-08-16T00:00:00Z"`),
/// also inside a JSON string (`\"datePublished\":\"…\"`).
fn script_state_date(script: &str, zone: &TimeZone) -> Option<Dated> {
    let bytes = script.as_bytes();
    SCRIPT_DATE_MATCHER.find_iter(script).find_map(|key| {
        // A key on its own, not the end of a longer name.
        let before = key.start().checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        let rest = script[key.end()..].trim_start_matches(['"', '\\', '\'']);
        let rest = rest.trim_start().strip_prefix(':')?.trim_start();
        let value = rest
            .trim_start_matches(['"', '\\', '\''])
            .split(['"', '\\', '\'', ',', '}'])
            .next()?;
        (value.len() <= 40).then(|| dates::parse_str(value, zone))?
    })
}

/// The element's text when it is not empty and at most `max` characters long.
fn short_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let text = text_of(el);
    (!text.is_empty() && text.chars().count() <= max).then_some(text)
}

/// Whether a class or id of the element contains one of `words` (`post-date`, `blog-author`).
/// Runs for every element of a whole page: compares in place, without lower-cased copies.
fn named_like(el: &scraper::node::Element, words: &[&str]) -> bool {
    el.classes().chain(el.id()).any(|name| {
        words.iter().any(|w| {
            name.as_bytes()
                .windows(w.len())
                .any(|window| window.eq_ignore_ascii_case(w.as_bytes()))
        })
    })
}

/// The page's headline: an `<h1>` the title tags repeat, else the first `<h1>`, else
/// `og:title`, the JSON-LD headline or `<title>` without the site's name. An `<h1>` that is the
/// site's name or logo is not the headline.
fn headline(found: &Found, article: Option<&Value>, site_name: Option<&str>) -> Option<String> {
    let declared = found
        .meta("og:title")
        .map(|t| decode_leftovers(&fold_blanks(t)))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            article
                .and_then(|a| a.get("headline"))
                .and_then(Value::as_str)
                .map(|t| decode_leftovers(&fold_blanks(t)))
        })
        .or_else(|| found.document_title.clone());
    let Some(declared) = declared else {
        return found.headings.first().cloned();
    };
    let folded = declared.to_lowercase();
    let names_site = |heading: &str| site_name.is_some_and(|s| s.eq_ignore_ascii_case(heading));
    found
        .headings
        .iter()
        .find(|h| !names_site(h) && folded.contains(&h.to_lowercase()))
        .or_else(|| found.headings.iter().find(|h| !names_site(h)))
        .cloned()
        .or_else(|| Some(without_site_name(&declared).to_owned()))
}

/// `Story title | Site` → `Story title`: the longest part between title separators.
fn without_site_name(title: &str) -> &str {
    title_parts(title)
        .max_by_key(|p| p.chars().count())
        .unwrap_or(title)
}

/// The parts of a title between separators (`Story | Section | Site`).
fn title_parts(title: &str) -> impl Iterator<Item = &str> {
    const SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " @ "];
    let mut parts = vec![title];
    for separator in SEPARATORS {
        parts = parts.iter().flat_map(|p| p.split(separator)).collect();
    }
    parts
        .into_iter()
        .map(|p| p.trim().trim_end_matches("::").trim())
        .filter(|p| !p.is_empty())
}

/// The first JSON-LD object `wanted` accepts: at the top, in a list or in an `@graph`.
fn json_ld_object(value: &Value, wanted: fn(&Map<String, Value>) -> bool) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(|item| json_ld_object(item, wanted)),
        Value::Object(map) if wanted(map) => Some(value),
        Value::Object(map) => map
            .get("@graph")
            .and_then(|graph| json_ld_object(graph, wanted)),
        _ => None,
    }
}

/// Describes the story: one of the article types.
fn is_article(object: &Map<String, Value>) -> bool {
    match object.get("@type") {
        Some(Value::String(t)) => ARTICLE_TYPES.contains(&t.as_str()),
        Some(Value::Array(types)) => types
            .iter()
            .any(|t| t.as_str().is_some_and(|t| ARTICLE_TYPES.contains(&t))),
        _ => false,
    }
}

/// Carries a publish or modified date (a `WebPage` when no article is described).
fn is_dated(object: &Map<String, Value>) -> bool {
    object.contains_key("datePublished") || object.contains_key("dateModified")
}

/// JSON-LD authors: people, or with `organisations` only those typed `Organization`.
fn people(value: &Value, organisations: bool) -> Option<String> {
    let is_organisation = |v: &Value| {
        v.get("@type")
            .and_then(Value::as_str)
            .is_some_and(|t| t == "Organization" || t == "NewsMediaOrganization")
    };
    let list: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .filter(|v| is_organisation(v) == organisations)
            .filter_map(names)
            .collect(),
        single if is_organisation(single) == organisations => names(single).into_iter().collect(),
        _ => Vec::new(),
    };
    let list: Vec<String> = list.iter().filter_map(|n| person(n)).collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// An image value: a URL, an `ImageObject`, or a list of either.
fn image_url(value: &Value) -> Option<&str> {
    match value {
        Value::String(url) => Some(url),
        Value::Object(map) => map.get("url").and_then(Value::as_str),
        Value::Array(items) => items.first().and_then(image_url),
        _ => None,
    }
}

/// Whether a byline element's text reads as one or more names (`Ann Lee, Bo Chan and Kim
/// Park`), not as a headline that an author-named card happens to hold: every name has at most
/// [`MAX_NAME_WORDS`] words.
fn reads_as_names(text: &str) -> bool {
    text.split([',', '&', ';'])
        .flat_map(|part| part.split(" and "))
        .all(|name| name.split_whitespace().count() <= MAX_NAME_WORDS)
}

/// A person's name from a meta tag or byline: without a leading "By" or "Written by", not
/// a profile URL, a `@handle` or a login (`andrew.keaveney`: one lower-case word).
fn person(value: &str) -> Option<String> {
    const LEADS: [&str; 6] = [
        "written by ",
        "posted by ",
        "authored by ",
        "author:",
        "by:",
        "by ",
    ];
    let name = decode_leftovers(&fold_blanks(value));
    let name = LEADS
        .iter()
        .find_map(|lead| {
            let head = name.get(..lead.len())?;
            head.eq_ignore_ascii_case(lead).then(|| &name[lead.len()..])
        })
        .unwrap_or(&name)
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|' | ':'));
    let is_url = name.contains("://") || name.starts_with("www.");
    let is_login = name.starts_with('@')
        || (!name.contains(' ') && !name.chars().any(char::is_uppercase) && name.is_ascii());
    (!name.is_empty() && !is_url && !is_login).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(page: &str) -> PageMeta {
        page_meta(&Html::parse_document(page), &TimeZone::UTC)
    }

    #[test]
    fn head_tags_give_title_url_author_date_image_and_lang() {
        let m = meta_of(concat!(
            "<html lang=\"en-GB\"><head><title>Story - Site</title>",
            "<meta property=\"og:title\" content=\"Story\">",
            "<meta property=\"og:site_name\" content=\"The Site\">",
            "<meta property=\"og:image\" content=\"https://img.example/a.jpg\">",
            "<meta name=\"author\" content=\"Jane Doe\">",
            "<meta property=\"article:published_time\" content=\"2024-03-05T10:00:00+08:00\">",
            "<link rel=\"canonical\" href=\"https://news.example/story\"></head>",
            "<body><h1 class=\"logo\">The Site</h1><h1>Story</h1></body></html>"
        ));
        assert_eq!(m.title.as_deref(), Some("Story"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://news.example/story")
        );
        assert_eq!(m.author.as_deref(), Some("Jane Doe"));
        assert_eq!(
            m.published_at
                .map(|(date, source)| (date.to_string(), source)),
            Some(("2024-03-05T02:00:00Z".to_owned(), DateSource::MetaTag))
        );
        assert_eq!(m.site_name.as_deref(), Some("The Site"));
        assert_eq!(m.lead_image.as_deref(), Some("https://img.example/a.jpg"));
        assert_eq!(m.lang.as_deref(), Some("en"));
    }

    #[test]
    fn json_ld_wins_and_is_found_in_a_graph() {
        let m = meta_of(concat!(
            "<html><head><meta name=\"author\" content=\"Desk\">",
            "<script type=\"application/ld+json\">{\"@graph\": [{\"@type\": \"WebSite\"},",
            "{\"@type\": [\"NewsArticle\"], \"headline\": \"Big news\", ",
            "\"author\": [{\"@type\": \"Person\", \"name\": \"Ann Lee\"}, {\"name\": \"Bo Chan\"}],",
            "\"datePublished\": \"2023-11-02T08:30:00-05:00\", \"image\": {\"url\": \"https://img.example/b.png\"},",
            "\"publisher\": {\"name\": \"Daily\"}}]}</script>",
            "<title>Big news | Daily</title></head><body><p>x</p></body></html>"
        ));
        assert_eq!(m.title.as_deref(), Some("Big news"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee, Bo Chan"));
        assert_eq!(
            m.published_at
                .map(|(date, source)| (date.to_string(), source)),
            Some(("2023-11-02T13:30:00Z".to_owned(), DateSource::JsonLd))
        );
        assert_eq!(m.site_name.as_deref(), Some("Daily"));
        assert_eq!(m.lead_image.as_deref(), Some("https://img.example/b.png"));
    }

    #[test]
    fn an_undated_article_object_leaves_the_date_to_the_web_page_object() {
        let m = meta_of(concat!(
            "<html><head><script type=\"application/ld+json\">{\"@graph\": [",
            "{\"@type\": \"Article\", \"headline\": \"A\"},",
            "{\"@type\": \"WebPage\", \"datePublished\": \"2024-03-17T19:47:39+00:00\"}]}",
            "</script></head><body></body></html>"
        ));
        assert_eq!(
            m.published_at
                .map(|(date, source)| (date.to_string(), source)),
            Some(("2024-03-17T19:47:39Z".to_owned(), DateSource::JsonLd))
        );
    }

    #[test]
    fn body_bylines_and_time_elements_are_the_last_resort() {
        let m = meta_of(concat!(
            "<html><head><title>A walk in the hills — Hiking Blog</title></head><body>",
            "<span class=\"by\">By <a rel=\"author\" href=\"/u/kim\">Kim Park</a></span>",
            "<time datetime=\"2022-06-01\">June 1</time>",
            "<time itemprop=\"datePublished\" datetime=\"2022-05-30T09:00:00Z\">May 30</time>",
            "<p>x</p></body></html>"
        ));
        assert_eq!(m.title.as_deref(), Some("A walk in the hills"));
        assert_eq!(m.author.as_deref(), Some("Kim Park"));
        assert_eq!(
            m.published_at
                .map(|(date, source)| (date.to_string(), source)),
            Some(("2022-05-30T09:00:00Z".to_owned(), DateSource::TimeElement))
        );
    }

    #[test]
    fn an_author_named_card_holding_a_headline_is_not_a_byline() {
        let m = meta_of(concat!(
            "<html><body><div class=\"video-author\">Kim Park Readers share their feelings about the long election night</div>",
            "<span class=\"author\">Ann Lee, Bo Chan and Kim Park</span></body></html>"
        ));
        assert_eq!(m.author.as_deref(), Some("Ann Lee, Bo Chan and Kim Park"));
    }

    #[test]
    fn profile_urls_are_not_authors() {
        let m = meta_of(
            "<html><head><meta property=\"article:author\" content=\"https://www.facebook.com/someone\"></head><body></body></html>",
        );
        assert_eq!(m.author, None);
    }

    fn date_of(page: &str) -> Option<(String, DateSource)> {
        meta_of(page)
            .published_at
            .map(|(ts, source)| (ts.to_string(), source))
    }

    #[test]
    fn script_state_dates_are_read_by_publish_named_keys() {
        for script in [
            r#"<script type="application/json">{"props":{"post":{"title":"T","publishedAt":"2025-12-13"}}}</script>"#,
            r#"<script>window.__S={slug:"/x",publishedDate:"2025-12-13T00:00:00.000Z",date:"F j, Y"}</script>"#,
            r#"<script>self.__next_f.push([1,"{\"datePublished\":\"2025-12-13T00:00:00Z\"}"])</script>"#,
        ] {
            let page = format!("<html><body>{script}<h1>T</h1><p>x</p></body></html>");
            assert_eq!(
                date_of(&page),
                Some(("2025-12-13T00:00:00Z".into(), DateSource::ScriptState)),
                "{script}"
            );
        }
        // A longer name that ends in a key, a value that is no date: nothing.
        assert_eq!(
            date_of(
                r#"<html><body><script>{"lastPublishedAt":"2025-12-13","publishedAt":"soon"}</script></body></html>"#
            ),
            None
        );
    }

    #[test]
    fn a_line_of_only_a_date_next_to_the_headline_dates_the_page() {
        // After the headline, a short line that holds a date.
        let after = concat!(
            "<html><body><nav><a href=/>Home</a></nav><h1>The best tutoring franchises</h1>",
            "<div class=meta-line><a href=/a>Ann Lee</a> - Mar 27, 2024</div><p>x</p></body></html>"
        );
        assert_eq!(
            date_of(after),
            Some(("2024-03-27T00:00:00Z".into(), DateSource::PageText))
        );
        // Just before it, a line of nothing but a date.
        let before = "<html><body><h5>January 23, 2025</h5><h1>Launch</h1><p>x</p></body></html>";
        assert_eq!(
            date_of(before),
            Some(("2025-01-23T00:00:00Z".into(), DateSource::PageText))
        );
        // A date far from the headline, or on a page without one, is not its date.
        let mut far = String::from("<html><body><span>January 23, 2025</span>");
        far.push_str(&"<div><a href=/x>Link</a></div>".repeat(12));
        far.push_str("<h1>Launch</h1><p>x</p></body></html>");
        assert_eq!(date_of(&far), None);
        assert_eq!(
            date_of("<html><body><p>x</p><span>January 23, 2025</span></body></html>"),
            None
        );
    }

    #[test]
    fn a_time_element_without_datetime_is_read_by_its_text() {
        assert_eq!(
            date_of("<html><body><h1>T</h1><time>Published on June 04, 2025</time></body></html>"),
            Some(("2025-06-04T00:00:00Z".into(), DateSource::TimeElement))
        );
    }

    #[test]
    fn a_date_before_the_web_is_a_placeholder_and_the_next_source_dates_the_page() {
        let placeholder = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"1970-01-01T00:00:00"}</script>"#;
        let with_meta = format!(
            r#"<html><head>{placeholder}<meta property="article:published_time" content="2022-01-14T10:31:00Z"></head><body><p>x</p></body></html>"#
        );
        assert_eq!(
            date_of(&with_meta),
            Some(("2022-01-14T10:31:00Z".into(), DateSource::MetaTag))
        );
        let alone = meta_of(&format!(
            "<html><head>{placeholder}</head><body><p>x</p></body></html>"
        ));
        assert_eq!(alone.published_at, None);
        assert_eq!(
            alone.pre_web_date.map(|d| d.to_string()).as_deref(),
            Some("1970-01-01T00:00:00Z")
        );
    }

    #[test]
    fn microdata_on_any_element_is_a_meta_date() {
        assert_eq!(
            date_of(
                r#"<html><body><h1>T</h1><span itemprop="datePublished" content="2022-01-14 10:31:00">14. Januar</span><p>x</p></body></html>"#
            ),
            Some(("2022-01-14T10:31:00Z".into(), DateSource::MetaTag))
        );
    }

    #[test]
    fn microdata_dates_of_a_list_of_items_do_not_date_the_page() {
        let listing = r#"<html><body><h1>T</h1><p>x</p><span itemprop="datePublished" content="2026-03-13T12:00:00Z"></span><span itemprop="datePublished" content="2026-03-13T11:00:00Z"></span></body></html>"#;
        assert_eq!(date_of(listing), None);
    }
}
