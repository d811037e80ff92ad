//! Metadata a whole page carries: `<head>` meta tags, JSON-LD, microdata, `<h1>`, `<time>`,
//! script state, date lines near the headline and `<html lang>`, read in one pass
//! ([`found`]). Used where front matter is silent; front matter always wins.

mod found;
mod published;
mod script_state;
#[cfg(test)]
mod tests;

use jiff::tz::TimeZone;
use lede_record::{DateSource, chars};
use scraper::Html;
use serde_json::{Map, Value};

use crate::dates::Dated;
use crate::entities::decode_leftovers;
use crate::fields::{names, primary_lang};
use crate::text::fold_blanks;
use crate::url::canonical;
use found::{Found, read};

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

/// Meta tags that name the author.
const AUTHOR_META: [&str; 6] = [
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
];

/// The most words in one name of a byline (`Dr. Maria de la Cruz`).
const MAX_NAME_WORDS: usize = 5;

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
        .or_else(|| found.labeled_author.clone())
        .or_else(|| json_ld_authors.and_then(|a| people(a, true)));
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
    let (published_at, pre_web_date) =
        published::published_at(&found, article, title.as_deref(), zone);
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
        pre_web_date,
        site_name,
        lead_image,
        lang: found.lang.as_deref().and_then(primary_lang),
    }
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
        .or(found.title_line.as_ref())
        .cloned()
        .or_else(|| Some(without_site_name(&declared).to_owned()))
}

/// `Story title | Site` → `Story title`: the longest part between title separators, a CJK
/// character counting three (`川西自助游经验分享 - Powered by Discuz!`).
fn without_site_name(title: &str) -> &str {
    title_parts(title)
        .max_by_key(|p| {
            p.chars()
                .map(|c| if chars::cjk(c).is_some() { 3 } else { 1 })
                .sum::<usize>()
        })
        .unwrap_or(title)
}

/// The parts of a title between separators (`Story | Section | Site`; Chinese sites write
/// them unspaced next to CJK text: `标题_新闻中心_某某网`, `标题-新华网`).
fn title_parts(title: &str) -> impl Iterator<Item = &str> {
    const SEPARATORS: [&str; 9] = [
        " | ", " -- ", " - ", " – ", " — ", " :: ", " · ", " » ", " @ ",
    ];
    let mut parts = vec![title];
    for separator in SEPARATORS {
        parts = parts.iter().flat_map(|p| p.split(separator)).collect();
    }
    // Unspaced ones only when no spaced one is there: `新竹尖石_美樹營地賞楓 @ 史蒂文的家` keeps
    // its underscore.
    if let [single] = parts.as_slice() {
        parts = split_at_cjk_separators(single);
    }
    parts
        .into_iter()
        .map(|p| p.trim().trim_end_matches("::").trim())
        .filter(|p| !p.is_empty())
}

/// Splits at `_`, `|`, `-` (and their full-width forms) written unspaced beside a CJK
/// character.
fn split_at_cjk_separators(title: &str) -> Vec<&str> {
    const UNSPACED: [char; 6] = ['_', '|', '-', '－', '｜', '＿'];
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &(at, c)) in chars.iter().enumerate() {
        let beside_cjk = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| chars.get(j))
            .any(|&(_, n)| chars::cjk(n).is_some());
        if UNSPACED.contains(&c) && beside_cjk {
            parts.push(&title[start..at]);
            start = at + c.len_utf8();
        }
    }
    parts.push(&title[start..]);
    parts
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
    const LEADS: [&str; 14] = [
        "written by:",
        "written by ",
        "posted by ",
        "published by ",
        "authored by ",
        "author:",
        "autor:",
        "by:",
        "by ",
        "beitrag von ",
        "von ",
        "par ",
        "por ",
        "door ",
    ];
    let name = decode_leftovers(&fold_blanks(value));
    let after_lead = LEADS.iter().find_map(|lead| {
        let head = name.get(..lead.len())?;
        head.eq_ignore_ascii_case(lead).then(|| &name[lead.len()..])
    });
    let name = after_lead.unwrap_or(&name).trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '|' | ':' | '-' | '–')
    });
    let is_url = name.contains("://") || name.starts_with("www.");
    // A lone lower-case word is a login in a meta tag, but a blog's byline (`von gizzmo`)
    // names its author that way.
    let is_login = name.starts_with('@')
        || (after_lead.is_none()
            && !name.contains(' ')
            && !name.chars().any(char::is_uppercase)
            && name.is_ascii());
    (!name.is_empty() && !is_url && !is_login).then(|| name.to_owned())
}
