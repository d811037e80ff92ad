//! Front matter → article metadata. Each column reads the first of its keys that holds a usable
//! value; that key is consumed, and every key not consumed is kept in `extra`.

use jiff::tz::TimeZone;
use serde_json::{Map, Value};

use crate::dates::{self, Dated};
use crate::{text::fold_blanks, url};
use lede_record::{FrontMatter, Warning, WarningKind};

const TITLE_KEYS: [&str; 2] = ["title", "headline"];
const AUTHOR_KEYS: [&str; 5] = ["author", "authors", "creator", "byline", "writer"];
const URL_KEYS: [&str; 9] = [
    "from",
    "link",
    "url",
    "permalink",
    "source_url",
    "canonical_url",
    "canonical",
    "original_url",
    "source",
];
const DATE_KEYS: [&str; 11] = [
    "date",
    "published",
    "published_at",
    "publishdate",
    "publish_date",
    // news-please's JSON.
    "date_publish",
    "pubdate",
    "datepublished",
    "date_published",
    "created",
    "created_at",
];
/// Keys whose value is a path or URL that may carry the date (`2022/02/15/slug`).
const DATED_PATH_KEYS: [&str; 5] = ["path", "permalink", "url", "link", "slug"];
const LANG_KEYS: [&str; 3] = ["lang", "language", "locale"];
const CATEGORY_KEYS: [&str; 2] = ["categories", "category"];
const TAG_KEYS: [&str; 3] = ["tags", "tag", "keywords"];
const IMAGE_KEYS: [&str; 12] = [
    "headimg",
    "thumbnail",
    "image",
    "cover",
    "cover_image",
    "featured_image",
    "feature_image",
    "lead_image",
    "og_image",
    "banner",
    "hero_image",
    "img",
];

/// The metadata columns read from front matter.
#[derive(Debug, Default)]
pub(crate) struct Metadata {
    pub(crate) title: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) published_at: Option<Dated>,
    pub(crate) categories: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) lead_image: Option<String>,
    /// The ISO 639-1 part of a `lang` / `language` / `locale` key (`zh_CN` → `zh`), checked
    /// against the text; the key itself stays in `extra`.
    pub(crate) declared_lang: Option<String>,
    pub(crate) extra: Map<String, Value>,
}

/// Reads the columns from `front_matter`. A column read as text (title, author, URL, image,
/// categories, tags, language, a dated path) reads the value as written (`title: No` is "No",
/// not the boolean YAML makes of it); `extra` keeps what YAML made of the rest.
pub(crate) fn read(
    front_matter: &FrontMatter,
    zone: &TimeZone,
    warnings: &mut Vec<Warning>,
) -> Metadata {
    let fields = &front_matter.fields;
    let written = &front_matter.written;
    let mut rest = fields.clone();
    let title = take_first(&mut rest, written, &TITLE_KEYS, scalar_text);
    let author = take_first(&mut rest, written, &AUTHOR_KEYS, names);
    let url = take_first(&mut rest, written, &URL_KEYS, |v| {
        scalar_text(v)
            .and_then(|s| url::canonical(&s, None))
            .filter(|u| u.contains("://"))
    });
    let base = url.as_deref().and_then(|u| ::url::Url::parse(u).ok());
    let lead_image = take_first(&mut rest, written, &IMAGE_KEYS, |v| {
        scalar_text(v).and_then(|s| url::canonical(&s, base.as_ref()))
    });
    let text_of = |key: &str| {
        let (found, typed) = fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
        written.get(found).unwrap_or(typed).as_str()
    };
    let published_at = take_date(&mut rest, zone, warnings).or_else(|| {
        // Read, not taken: the path stays in `extra` (or is the `url` column already).
        DATED_PATH_KEYS
            .iter()
            .find_map(|key| dates::from_path(text_of(key)?, zone))
    });
    let declared_lang = LANG_KEYS.iter().find_map(|key| primary_lang(text_of(key)?));
    let categories =
        take_first(&mut rest, written, &CATEGORY_KEYS, |v| list(v, false)).unwrap_or_default();
    let tags = take_first(&mut rest, written, &TAG_KEYS, |v| list(v, true)).unwrap_or_default();
    Metadata {
        title,
        author,
        url,
        published_at,
        categories,
        tags,
        lead_image,
        declared_lang,
        extra: rest,
    }
}

/// Removes and returns the first of `keys` (matched case-insensitively) whose value — as
/// written, where `written` has it — `read` accepts.
fn take_first<T>(
    rest: &mut Map<String, Value>,
    written: &Map<String, Value>,
    keys: &[&str],
    read: impl Fn(&Value) -> Option<T>,
) -> Option<T> {
    for key in keys {
        let Some(found) = rest.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned() else {
            continue;
        };
        if let Some(value) = read(written.get(&found).unwrap_or(&rest[&found])) {
            rest.shift_remove(&found);
            return Some(value);
        }
    }
    None
}

/// Like [`take_first`] for dates, warning with the raw value of every date key that does not parse.
fn take_date(
    rest: &mut Map<String, Value>,
    zone: &TimeZone,
    warnings: &mut Vec<Warning>,
) -> Option<Dated> {
    let present: Vec<String> = DATE_KEYS
        .iter()
        .filter_map(|key| rest.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned())
        .collect();
    for key in present {
        let value = &rest[&key];
        if value.is_null() || value.as_str().is_some_and(|s| s.trim().is_empty()) {
            continue;
        }
        match dates::parse_value(value, zone) {
            Some(ts) => {
                rest.shift_remove(&key);
                return Some(ts);
            }
            None => warnings.push(Warning::new(
                WarningKind::DateUnparsed,
                format!(
                    "front matter `{key}` is not a date lede can read, or not between 1800 and 2199: {value}"
                ),
            )),
        }
    }
    None
}

/// The two-letter primary language of a tag such as `zh_CN` or `en-US`.
pub(crate) fn primary_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?;
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| primary.to_ascii_lowercase())
}

fn scalar_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => fold_blanks(s),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// An author value: a name, a list of names, or a mapping with a `name`.
pub(crate) fn names(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(names).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        Value::Object(map) => map.get("name").and_then(scalar_text),
        _ => scalar_text(value).filter(|name| !is_placeholder_name(name)),
    }
}

/// Author values that feed exporters write when they know none: no author at all.
fn is_placeholder_name(name: &str) -> bool {
    const PLACEHOLDERS: [&str; 8] = [
        "unknown",
        "unknown author",
        "anonymous",
        "n/a",
        "none",
        "null",
        "佚名",
        "匿名",
    ];
    PLACEHOLDERS.iter().any(|p| name.eq_ignore_ascii_case(p))
}

/// A list value; a scalar is a one-item list, or for tags a comma-separated one.
fn list(value: &Value, split_commas: bool) -> Option<Vec<String>> {
    let items: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
        Value::String(s) if split_commas => s
            .split([',', '，'])
            .map(fold_blanks)
            .filter(|s| !s.is_empty())
            .collect(),
        _ => scalar_text(value).into_iter().collect(),
    };
    (!items.is_empty()).then_some(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read_json(value: Value) -> (Metadata, Vec<Warning>) {
        let mut warnings = Vec::new();
        let Value::Object(map) = value else {
            panic!("test input is an object")
        };
        let front_matter = FrontMatter {
            format: lede_record::FrontMatterFormat::Yaml,
            fields: map,
            written: Map::new(),
        };
        (read(&front_matter, &TimeZone::UTC, &mut warnings), warnings)
    }

    #[test]
    fn hexo_front_matter_maps_and_keeps_the_rest() {
        let (m, warnings) = read_json(json!({
            "title": "腾讯", "categories": ["新媒体", "cnBeta"], "author": "cnBeta", "comments": false,
            "headimg": "https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/a.jpg",
            "thumbnail": "https://x.example/t.jpg", "date": "Sun, 14 Nov 2021 01:13:25 GMT",
        }));
        assert!(warnings.is_empty());
        assert_eq!(m.title.as_deref(), Some("腾讯"));
        assert_eq!(
            m.lead_image.as_deref(),
            Some("http://zkres1.myzaker.com/a.jpg")
        );
        assert_eq!(m.published_at.unwrap().to_string(), "2021-11-14T01:13:25Z");
        assert_eq!(
            m.extra,
            json!({"comments": false, "thumbnail": "https://x.example/t.jpg"})
                .as_object()
                .unwrap()
                .clone()
        );
    }

    #[test]
    fn non_url_source_stays_in_extra_and_bad_date_warns() {
        let (m, warnings) =
            read_json(json!({"source": "Reuters", "date": "someday", "Tags": "a, b"}));
        assert_eq!(m.url, None);
        assert_eq!(m.published_at, None);
        assert_eq!(m.tags, vec!["a", "b"]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].detail.contains("\"someday\""));
        assert!(m.extra.contains_key("source") && m.extra.contains_key("date"));
    }

    #[test]
    fn a_dated_permalink_is_the_date_when_there_is_no_date_key() {
        let (m, _) = read_json(json!({"path": "2022/02/15/Rust-Survey-2021", "title": "t"}));
        assert_eq!(m.published_at.unwrap().to_string(), "2022-02-15T00:00:00Z");
        assert!(m.extra.contains_key("path"));
    }

    #[test]
    fn author_lists_and_objects() {
        let (m, _) = read_json(json!({"authors": ["The Rust Release Team", {"name": "Ann"}]}));
        assert_eq!(m.author.as_deref(), Some("The Rust Release Team, Ann"));
    }
}
