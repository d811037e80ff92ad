//! Dates in a page's script state: the JSON and JavaScript objects a site renders its stories
//! from (`__NEXT_DATA__`, `window.__INITIAL_STATE__`, Nuxt payloads, inline CMS records).

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use jiff::tz::TimeZone;
use memchr::memchr2;

use crate::dates::{self, Dated};

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

/// The longest value read as a date.
const MAX_DATE_BYTES: usize = 40;

/// The date of the first publish-named key in a script's text that holds one: JSON or a
/// JavaScript object (`"publishedAt":"2025-12-13"`, `publishedDate:"2019-08-16T00:00:00Z"`),
/// also inside a JSON string (`\"datePublished\":\"…\"`).
pub(super) fn publish_named_date(script: &str, zone: &TimeZone) -> Option<Dated> {
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
        (value.len() <= MAX_DATE_BYTES).then(|| dates::parse_str(value, zone))?
    })
}

/// A record of a script's state with a `title` and a `date`: how CMSs hand a post to the
/// page's JavaScript (WordPress's REST and GraphQL posts, headless CMSs), where `date` is the
/// day it was published. A page holds many (related posts, menus); the one whose title is the
/// page's headline is the page's own.
#[derive(Debug)]
pub(super) struct TitledDate {
    pub(super) title: String,
    pub(super) date: Dated,
}

/// The most records kept from one page.
const MAX_TITLED_DATES: usize = 64;
/// The deepest nesting followed; a script nested deeper is not read further.
const MAX_DEPTH: usize = 256;

/// Adds the records of a script's JSON (or JavaScript with quoted keys) that hold both a
/// string `title` and a string `date` to `out`, in the order they close.
pub(super) fn titled_dates(script: &str, zone: &TimeZone, out: &mut Vec<TitledDate>) {
    if out.len() >= MAX_TITLED_DATES || !script.contains("\"date\"") {
        return;
    }
    let bytes = script.as_bytes();
    // Each open object's `title` and `date` values; `None` for an array.
    let mut open: Vec<Option<(Option<&str>, Option<&str>)>> = Vec::new();
    let mut key: Option<&str> = None;
    let mut at = 0;
    while let Some(skip) = bytes[at..]
        .iter()
        .position(|b| matches!(b, b'"' | b'\'' | b'{' | b'}' | b'[' | b']' | b','))
    {
        at += skip;
        match bytes[at] {
            quote @ (b'"' | b'\'') => {
                // The closing quote, past escapes; an unclosed string runs to the end. Both
                // ends are ASCII, so the string is whole characters.
                let start = at + 1;
                let mut end = start;
                while let Some(next) = bytes
                    .get(end..)
                    .and_then(|rest| memchr2(quote, b'\\', rest))
                {
                    end += next;
                    if bytes[end] == quote {
                        break;
                    }
                    end += 2;
                }
                let end = if bytes.get(end) == Some(&quote) {
                    end
                } else {
                    bytes.len()
                };
                let string = &script[start..end];
                at = end;
                let is_key = bytes[(end + 1).min(bytes.len())..]
                    .iter()
                    .find(|b| !b.is_ascii_whitespace())
                    == Some(&b':');
                if is_key {
                    key = Some(string);
                } else if let (Some(Some((title, date))), Some(name)) =
                    (open.last_mut(), key.take())
                {
                    match name {
                        "title" => *title = Some(string),
                        "date" => *date = Some(string),
                        _ => {}
                    }
                }
            }
            b'{' | b'[' => {
                if open.len() == MAX_DEPTH {
                    return;
                }
                open.push((bytes[at] == b'{').then_some((None, None)));
                key = None;
            }
            b'}' | b']' => {
                if let Some(Some((Some(title), Some(date)))) = open.pop()
                    && let Some(title) = unescaped(title)
                    && let Some(date) = (date.len() <= MAX_DATE_BYTES)
                        .then(|| dates::parse_str(date, zone))
                        .flatten()
                {
                    out.push(TitledDate { title, date });
                    if out.len() == MAX_TITLED_DATES {
                        return;
                    }
                }
                key = None;
            }
            _ => key = None,
        }
        at += 1;
        if at >= bytes.len() {
            break;
        }
    }
}

/// A JSON string's text without its escapes (`\u0026`, `\"`).
fn unescaped(string: &str) -> Option<String> {
    if !string.contains('\\') {
        return Some(string.to_owned());
    }
    serde_json::from_str(&format!("\"{string}\"")).ok()
}
