//! Which of the dates a whole page gives is the day it was published.
//!
//! Metadata first (JSON-LD, meta tags), then `<time>`s, script state and the lines a reader
//! sees, then — when the page says nothing else — its last change. One exception: a date the
//! page shows by its headline, or marks as published, that is a day or more before the
//! metadata's is the day the story ran. A CMS writes its metadata when the record was last
//! (re)published — a migration, a re-save, a redesign — while the byline keeps the day the
//! story first ran; no page shows a publish day before its own.

use std::cell::Cell;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use lede_record::DateSource;
use serde_json::Value;

use super::found::Found;
use super::{is_dated, json_ld_object};
use crate::dates::{self, Dated};
use crate::entities::decode_leftovers;
use crate::text::fold_blanks;

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

/// Meta tags that carry the last modified time: a page's date when it gives no other.
const MODIFIED_META: [&str; 3] = ["article:modified_time", "og:updated_time", "datemodified"];

/// 1990-01-01: no web page was published before it, so a page's earlier date is not its own.
const WEB_BEGAN: Timestamp = Timestamp::constant(631_152_000, 0);

/// The furthest west of UTC any place keeps its clocks.
const WESTERNMOST_OFFSET: SignedDuration = SignedDuration::from_hours(12);

/// Two dates closer than this are one moment written twice (a meta tag in UTC, a `<time>` in
/// the newsroom's zone, a minute or two apart as CMSs stamp them).
const SAME_MOMENT: SignedDuration = SignedDuration::from_hours(1);

/// The page's publish date and where it came from, and the first date it gives that is
/// before the web began (passed over: an epoch-zero `1970-01-01` is a placeholder).
pub(super) fn published_at(
    found: &Found,
    article: Option<&Value>,
    headline: Option<&str>,
    zone: &TimeZone,
) -> (Option<(Dated, DateSource)>, Option<Dated>) {
    let pre_web = Cell::new(None);
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
    let marked_time = found
        .published_times
        .first()
        .and_then(|v| dates::parse_str(v, zone));
    // What a reader sees as the publish date: the page's one `<time>` marked published (of
    // several, the first may be a teaser's), or a byline by the headline. (A `<time>` holding
    // only text may be a related story's.)
    let byline_date = found.byline_date.or_else(|| found.pre_headline_date());
    let shown = marked_time
        .filter(|_| found.published_times.len() == 1)
        .map(|d| (d, DateSource::TimeElement))
        .or_else(|| byline_date.map(|d| (d, DateSource::PageText)))
        .filter(|(d, _)| d.at >= WEB_BEGAN);
    let metadata =
        json_ld_date(&["datePublished", "dateCreated"]).or_else(|| meta_date(&DATE_META));
    // A publish label on the metadata's day or later backs it against the byline line (which
    // may be a caption: `Letters to the Editor for Jan. 17, 2022` over `PUBLISHED: January 16,
    // 2023`).
    let label_backs = |meta: Dated| {
        found
            .labeled_date
            .is_some_and(|label| !days_before(label, meta, zone))
    };
    let chosen = match (metadata, shown) {
        (Some((meta, _)), Some(shown))
            if days_before(shown.0, meta, zone) && !label_backs(meta) =>
        {
            Some(shown)
        }
        (Some(meta), _) => Some(meta),
        (None, _) => marked_time
            .iter()
            .copied()
            .chain(
                [&found.headline_time, &found.time]
                    .into_iter()
                    .find_map(|v| v.as_deref().and_then(|v| dates::parse_str(v, zone))),
            )
            .chain(found.time_text)
            .find_map(on_the_web)
            .map(|ts| (ts, DateSource::TimeElement))
            .or_else(|| {
                found
                    .script_date
                    .or_else(|| own_record_date(found, headline))
                    .and_then(on_the_web)
                    .map(|ts| (ts, DateSource::ScriptState))
            })
            .or_else(|| {
                // An explicit label first; then what sits by the headline or the author's
                // name; then the first element named like a date, which may be a sidebar's.
                [
                    found.labeled_date,
                    found.headline_date,
                    found.pre_headline_date(),
                    found.author_date,
                    found.date_line,
                ]
                .into_iter()
                .flatten()
                .find_map(on_the_web)
                .map(|ts| (ts, DateSource::PageText))
            })
            .or_else(|| json_ld_date(&["dateModified"]))
            .or_else(|| meta_date(&MODIFIED_META))
            .or_else(|| {
                found
                    .updated_date
                    .and_then(on_the_web)
                    .map(|ts| (ts, DateSource::PageText))
            }),
    };
    let chosen = chosen.map(|(date, source)| (with_shown_zone(date, found, zone), source));
    (chosen, pre_web.get())
}

/// The `date` of the script state's record of this page: the one titled as the headline,
/// `og:title` or `<title>` is.
fn own_record_date(found: &Found, headline: Option<&str>) -> Option<Dated> {
    let titles: Vec<String> = [
        headline,
        found.meta("og:title"),
        found.document_title.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(folded_title)
    .collect();
    found
        .titled_dates
        .iter()
        .find(|record| titles.contains(&folded_title(&record.title)))
        .map(|record| record.date)
}

/// A title as compared: entities decoded, blanks folded, lower case.
fn folded_title(title: &str) -> String {
    fold_blanks(&decode_leftovers(title)).to_lowercase()
}

/// Whether `shown` is on a calendar day (in the zone it was written in) before any day
/// `meta` falls on anywhere on Earth: a date-only `December 9` shown for a meta tag's
/// `2021-12-10T02:17Z` is the same evening in New York, not an earlier day.
fn days_before(shown: Dated, meta: Dated, zone: &TimeZone) -> bool {
    let earliest_day = meta
        .at
        .checked_sub(WESTERNMOST_OFFSET)
        .map_or(jiff::civil::Date::MIN, |at| {
            at.to_zoned(TimeZone::UTC).date()
        });
    shown.local_day(zone) < earliest_day
}

/// A date written in UTC (or with no zone) takes the offset of a `<time>` that writes the
/// same moment in the newsroom's zone: WordPress writes `article:published_time` in UTC and
/// the byline's `<time datetime>` in local time, and the local day is the one readers saw.
fn with_shown_zone(date: Dated, found: &Found, zone: &TimeZone) -> Dated {
    if date.offset_minutes.is_some_and(|m| m != 0) {
        return date;
    }
    found
        .times()
        .filter_map(|v| dates::parse_str(v, zone))
        .find(|t| {
            t.offset_minutes.is_some_and(|m| m != 0)
                && t.at.duration_since(date.at).abs() <= SAME_MOMENT
        })
        .map_or(date, |t| Dated {
            at: date.at,
            offset_minutes: t.offset_minutes,
        })
}
