//! Publish dates as archives write them, read into UTC. A time without a zone is read in the
//! configured zone; a string that matches no form is the caller's warning, never a silent NULL.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use jiff::civil::DateTime;
use jiff::fmt::strtime;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};

/// A date as its source wrote it: the instant, and the UTC offset written with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dated {
    pub(crate) at: Timestamp,
    /// Minutes east of UTC; `None` when the source wrote no zone (and the configured one was
    /// assumed) or wrote a count of seconds.
    pub(crate) offset_minutes: Option<i32>,
}

/// The instant, in UTC (what `published_at` holds).
impl std::fmt::Display for Dated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.at.fmt(f)
    }
}

impl Dated {
    fn written(at: Timestamp, offset: Offset) -> Dated {
        Dated {
            at,
            offset_minutes: Some(offset.seconds() / 60),
        }
    }

    /// The calendar day in the zone the date was written in (the configured one when none was).
    pub(crate) fn local_day(self, zone: &TimeZone) -> jiff::civil::Date {
        match self
            .offset_minutes
            .and_then(|m| Offset::from_seconds(m * 60).ok())
        {
            Some(offset) => offset.to_datetime(self.at).date(),
            None => self.at.to_zoned(zone.clone()).date(),
        }
    }

    fn assumed(at: Timestamp) -> Dated {
        Dated {
            at,
            offset_minutes: None,
        }
    }
}

/// Forms that carry their own offset.
const ZONED_FORMATS: [&str; 7] = [
    "%Y-%m-%d %H:%M:%S%.f %:z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y/%m/%d %H:%M:%S %z",
];

/// Forms without an offset, read in the configured zone.
const CIVIL_FORMATS: [&str; 12] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%B %d, %Y %H:%M",
    "%b %d, %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
];

/// Date-only forms: midnight in the configured zone.
const DATE_FORMATS: [&str; 13] = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    // Day first with dots is how German, Russian, Polish… pages write dates, never month first.
    "%d.%m.%Y",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%d %b, %Y",
    "%B %d %Y",
    "%b %d %Y",
];

/// The publish dates lede takes, from 1800 up to (not including) 2200: wide enough for
/// digitised archives and posts dated ahead, narrow enough that a typo (year 2610), a
/// placeholder (year 1, year 9999, epoch -99999999999) is not taken for a date — and so that
/// every `year` partition has four digits, which readers type as an integer. One rule, applied
/// to every date lede reads, from front matter, a page, a path or a file name: outside it, the
/// value is not a date.
const EARLIEST: Timestamp = Timestamp::constant(-5_364_662_400, 0);
/// See [`EARLIEST`].
const LATEST: Timestamp = Timestamp::constant(7_258_118_400, 0);

/// `date` if it is within [`EARLIEST`]..[`LATEST`].
fn plausible(date: Dated) -> Option<Dated> {
    (EARLIEST..LATEST).contains(&date.at).then_some(date)
}

/// Reads a front matter date value: a string in any supported form, or epoch seconds or
/// milliseconds as a number.
pub(crate) fn parse_value(value: &serde_json::Value, zone: &TimeZone) -> Option<Dated> {
    match value {
        serde_json::Value::String(s) => parse_str(s, zone),
        serde_json::Value::Number(n) => n.as_i64().and_then(from_epoch),
        _ => None,
    }
}

pub(crate) fn parse_str(raw: &str, zone: &TimeZone) -> Option<Dated> {
    any_str(raw, zone).and_then(plausible)
}

/// A date in any supported form, whatever its year.
fn any_str(raw: &str, zone: &TimeZone) -> Option<Dated> {
    let s = normalize(raw);
    let s = s.as_str();
    if s.is_empty() {
        return None;
    }
    if s.len() >= 10 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok().and_then(from_epoch);
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        // RFC 3339 always has an offset: `Z` (UTC) or a number.
        let offset = match Pieces::parse(s).ok().and_then(|p| p.offset()) {
            Some(PiecesOffset::Numeric(numeric)) => numeric.offset(),
            _ => Offset::UTC,
        };
        return Some(Dated::written(ts, offset));
    }
    // RFC 9557 `2024-03-05T10:00:00+08:00[Asia/Shanghai]`.
    if let Ok(zoned) = s.parse::<Zoned>() {
        return Some(Dated::written(zoned.timestamp(), zoned.offset()));
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(s) {
        return Some(Dated::written(zoned.timestamp(), zoned.offset()));
    }
    if let Some(date) = ZONED_FORMATS.iter().find_map(|f| {
        let parsed = strtime::parse(f, s).ok()?;
        Some(Dated::written(
            parsed.to_timestamp().ok()?,
            parsed.offset()?,
        ))
    }) {
        return Some(date);
    }
    let civil = CIVIL_FORMATS
        .iter()
        .find_map(|f| strtime::parse(f, s).ok()?.to_datetime().ok())
        .or_else(|| {
            DATE_FORMATS.iter().find_map(|f| {
                Some(
                    strtime::parse(f, s)
                        .ok()?
                        .to_date()
                        .ok()?
                        .to_datetime(jiff::civil::Time::midnight()),
                )
            })
        })
        .or_else(|| slashed_day(s).flatten())?;
    in_zone(civil, zone)
}

/// `2/24/2026` (American) or `24/2/2026` (most elsewhere): `Some(date)` when only one of the
/// two orders is a date, `Some(None)` when both are (`3/4/2026` could be either, and is not
/// read), `None` when `s` is not of that form.
fn slashed_day(s: &str) -> Option<Option<DateTime>> {
    let mut parts = s.split('/');
    let (a, b, year) = (parts.next()?, parts.next()?, parts.next()?);
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !short(a) || !short(b) || year.len() != 4 {
        return None;
    }
    let (a, b, year): (i8, i8, i16) = (a.parse().ok()?, b.parse().ok()?, year.parse().ok()?);
    let date = |month: i8, day: i8| {
        jiff::civil::Date::new(year, month, day)
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    };
    match (date(a, b), date(b, a)) {
        (Some(_), Some(_)) if a != b => Some(None),
        (Some(one), _) | (None, Some(one)) => Some(Some(one)),
        (None, None) => None,
    }
}

fn in_zone(civil: DateTime, zone: &TimeZone) -> Option<Dated> {
    plausible(Dated::assumed(
        civil.to_zoned(zone.clone()).ok()?.timestamp(),
    ))
}

/// The first date written in a short visible text such as `Jun 08, 2023 • 11 min read`,
/// `Posted on 12 March 2024` or `2021年4月24日`: runs of one to four words, longest first,
/// each read by [`parse_str`].
pub(crate) fn find_in_text(text: &str, zone: &TimeZone) -> Option<Dated> {
    let words = words(text);
    (0..words.len()).find_map(|start| date_at(&words[start..], zone))
}

/// A short text's words, as dates are read from them.
fn words(text: &str) -> Vec<&str> {
    // A full-width colon glues a label to its date (`名無しさん：2005/03/02`), never a time.
    text.split(|c: char| c.is_whitespace() || matches!(c, '•' | '|' | '·' | '(' | ')' | '：'))
        // `Feb. 27, 2025`: abbreviations lose their period.
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// A date that `words` open with: one to four of them, the longest run first.
fn date_at(words: &[&str], zone: &TimeZone) -> Option<Dated> {
    (1..=4.min(words.len())).rev().find_map(|len| {
        let run = words[..len].join(" ");
        let run = run.trim_end_matches([',', '.', ';']);
        // A date needs a year: four digits, or a CJK date.
        let has_year = run
            .as_bytes()
            .windows(4)
            .any(|w| w.iter().all(u8::is_ascii_digit));
        if has_year { parse_str(run, zone) } else { None }
    })
}

/// Labels that name what follows them as the publish date, as pages without markup write
/// it: `发布时间：2006-4-12 9:35`, `發表於 2008-03-01`, `Posted on March 3, 2024`. Generic
/// words (`时间`, `date`) only with their colon.
const PUBLISH_LABELS: [&str; 30] = [
    "发布时间",
    "發佈時間",
    "發布時間",
    "发表时间",
    "發表時間",
    "发布日期",
    "發佈日期",
    "發布日期",
    "发表日期",
    "發表日期",
    "发表于",
    "發表於",
    "发布于",
    "發佈於",
    "时间：",
    "時間：",
    "日期：",
    "投稿日",
    "公開日",
    "掲載日",
    "게시일",
    "등록일",
    "작성일",
    "posted on",
    "published on",
    "posted:",
    "published:",
    "date:",
    "publication date",
    "date published",
];
static PUBLISH_LABEL_MATCHER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(PUBLISH_LABELS)
        .ok()
});

/// Words that make the label after them name the last change (`Last update date:`).
const CHANGE_WORDS: [&str; 5] = ["updat", "modif", "revis", "更新", "修改"];

/// Where a text names the publish date: what follows a publish label, or `None`.
pub(crate) fn after_publish_label(text: &str) -> Option<&str> {
    let hit = PUBLISH_LABEL_MATCHER
        .as_ref()?
        .find_iter(text)
        .find(|hit| {
            let before = text[..hit.start()].to_lowercase();
            let before = before.trim_end();
            let tail = before
                .char_indices()
                .rev()
                .nth(12)
                .map_or(before, |(at, _)| &before[at..]);
            !CHANGE_WORDS.iter().any(|w| tail.contains(w))
        })?;
    Some(after_label(&text[hit.end()..]))
}

/// Labels that name what follows them as the last change: `Last updated: November 13, 2025`.
const CHANGE_LABELS: [&str; 11] = [
    "last updated",
    "updated on",
    "updated:",
    "last modified",
    "modified on",
    "更新时间",
    "更新時間",
    "更新日期",
    "最終更新",
    "수정일",
    "업데이트",
];
static CHANGE_LABEL_MATCHER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(CHANGE_LABELS)
        .ok()
});

/// Where a text names the last change: what follows a change label, or `None`.
pub(crate) fn after_change_label(text: &str) -> Option<&str> {
    let hit = CHANGE_LABEL_MATCHER.as_ref()?.find(text)?;
    Some(after_label(&text[hit.end()..]))
}

/// What follows a label, without its colon or dash and a leading `the` (`Posted on the
/// 15/12/2025`).
fn after_label(rest: &str) -> &str {
    let rest =
        rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | '-' | '|'));
    match rest.get(..4) {
        Some(the) if the.eq_ignore_ascii_case("the ") => &rest[4..],
        _ => rest,
    }
}

/// The date a text opens with (after a publish label, say): `2006-4-12 9:35:21　点击数：1024`.
pub(crate) fn opening_date(text: &str, zone: &TimeZone) -> Option<Dated> {
    date_at(&words(text), zone)
}

/// The publish date a short line names with a label: `来源：东方日报 发布时间：2006-4-12`.
pub(crate) fn labeled_date(line: &str, zone: &TimeZone) -> Option<Dated> {
    opening_date(after_publish_label(line)?, zone)
}

/// Epoch seconds or, past year 5138 in seconds, milliseconds.
fn from_epoch(n: i64) -> Option<Dated> {
    let ts = if n.abs() >= 100_000_000_000 {
        Timestamp::from_millisecond(n).ok()
    } else {
        Timestamp::from_second(n).ok()
    };
    ts.map(Dated::assumed).and_then(plausible)
}

/// Rewrites CJK and loose forms into ones the format lists know: `2021年4月24日 10时30分` →
/// `2021-4-24 10:30`, full-width digits → ASCII, `GMT+8`-style suffixes and `UTC` → offsets.
/// `September 1st, 2023` → `September 1, 2023`: a day's ordinal suffix off.
fn without_ordinals(s: &str) -> String {
    s.split(' ')
        .map(|word| {
            let (day, rest) = word.split_at(
                word.find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(word.len()),
            );
            let suffix = rest.trim_end_matches(',');
            if (1..=2).contains(&day.len())
                && ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|o| suffix.eq_ignore_ascii_case(o))
            {
                format!("{day}{}", &rest[suffix.len()..])
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn normalize(raw: &str) -> String {
    let mut s = String::with_capacity(raw.len());
    for c in raw.trim().chars() {
        match c {
            '０'..='９' => s.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '年' | '月' | '／' => s.push(if c == '／' { '/' } else { '-' }),
            '日' => s.push(' '),
            '时' | '時' | '点' | '：' => s.push(':'),
            '分' | '秒' => s.push(':'),
            _ => s.push(c),
        }
    }
    let mut s = without_ordinals(s.trim().trim_end_matches(':').trim());
    if s.contains('-') && s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        s = pad_date_fields(&s);
    }
    for suffix in [" UTC", " GMT", " Z"] {
        if let Some(stripped) = s.strip_suffix(suffix)
            && !s.contains(',')
        {
            s = format!("{stripped} +0000");
        }
    }
    s
}

/// `2021-4-9 8:05` → `2021-04-09 08:05`: strptime wants two-digit fields.
fn pad_date_fields(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    let mut field = String::new();
    let flush = |field: &mut String, out: &mut String| {
        if field.len() == 1 {
            out.push('0');
        }
        out.push_str(field);
        field.clear();
    };
    for c in s.chars() {
        if c.is_ascii_digit() {
            field.push(c);
        } else {
            flush(&mut field, &mut out);
            out.push(c);
        }
    }
    flush(&mut field, &mut out);
    out
}

/// A Jekyll-style `YYYY-MM-DD-slug` file name, read as midnight in the configured zone.
pub(crate) fn from_file_name(name: &str, zone: &TimeZone) -> Option<Dated> {
    let prefix = name.get(..11)?;
    if !prefix.ends_with('-') {
        return None;
    }
    let date: jiff::civil::Date = prefix[..10].parse().ok()?;
    in_zone(date.to_datetime(jiff::civil::Time::midnight()), zone)
}

/// A `YYYY/MM/DD` run of path segments, as in a permalink (`2022/02/15/Rust-Survey-2021`).
pub(crate) fn from_path(path: &str, zone: &TimeZone) -> Option<Dated> {
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(3).find_map(|w| {
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(w[0], 4) && digits(w[1], 2) && digits(w[2], 2)) {
            return None;
        }
        let date =
            jiff::civil::Date::new(w[0].parse().ok()?, w[1].parse().ok()?, w[2].parse().ok()?)
                .ok()?;
        in_zone(date.to_datetime(jiff::civil::Time::midnight()), zone)
    })
}

/// The date of a paragraph that holds nothing but a date (and maybe a time), as feeds put
/// above or below a story: `2020-07-18T12:36:31.360Z`, `2021-04-24 10:30`, `2021年4月24日`.
pub(crate) fn date_line(paragraph: &str, zone: &TimeZone) -> Option<Dated> {
    let line = paragraph.trim();
    // Shorter is a year or a number; longer is a sentence that may hold a date. A date has a
    // day and a year at least: two runs of digits (`nav 1234` is not one, and is not parsed).
    let digit_runs = line
        .split(|c: char| !c.is_ascii_digit() && !('０'..='９').contains(&c))
        .filter(|run| !run.is_empty())
        .count();
    if !(8..=40).contains(&line.chars().count()) || line.contains('\n') || digit_runs < 2 {
        return None;
    }
    parse_str(line, zone)
}

/// The longest dateline: a date and a few words after it.
const MAX_DATELINE_CHARS: usize = 40;

/// The date of a short line that holds one and says nothing in sentences, as blogs and old
/// portals put under a headline: `2007年3月18日 星期日 天氣：晴`, `文/清风 2003年5月20日`,
/// `更新日期:2005/07/18 08:45`, `March 3, 2024 · 5 min read`.
/// `Some(None)`: a dateline whose date could be read two ways (`05/06/2020 - 23:05`).
fn dateline(paragraph: &str, zone: &TimeZone) -> Option<Option<Dated>> {
    let line = paragraph.trim();
    let sentence =
        line.contains(['。', '，', '！', '？', '；']) || line.ends_with(['.', '!', '?', ';']);
    if line.contains('\n') || sentence || line.chars().count() > MAX_DATELINE_CHARS {
        return None;
    }
    // A label glued to the date by an ASCII colon (`日期:2005/07/18`) is a word apart.
    let date = find_in_text(line, zone).or_else(|| find_in_text(&line.replace(':', " "), zone));
    if date.is_some() {
        return Some(date);
    }
    words(line)
        .iter()
        .any(|w| slashed_day(w) == Some(None))
        .then_some(None)
}

/// The longest line near the start that names the publish date with a label and is taken
/// for the article's metadata (`来源：东方日报 作者：李明 发布时间：2006-4-12 点击数：1024`).
const MAX_LABELED_LINE_CHARS: usize = 160;
/// How far from the start such a line may be, in paragraphs (after a standfirst, a photo
/// caption).
const LABELED_LINE_PARAGRAPHS: usize = 3;

/// Takes the paragraphs that are only a date off the start and the end of `paragraphs`, and a
/// short line near the start that names the publish date with a label; the date of the first
/// one taken, if any.
pub(crate) fn take_date_lines(paragraphs: &mut Vec<String>, zone: &TimeZone) -> Option<Dated> {
    let mut found = None;
    while let Some(date) = paragraphs
        .first()
        .and_then(|p| date_line(p, zone).map(Some).or_else(|| dateline(p, zone)))
    {
        if let Some(date) = date {
            found.get_or_insert(date);
        }
        paragraphs.remove(0);
    }
    if let Some((at, date)) = paragraphs
        .iter()
        .take(LABELED_LINE_PARAGRAPHS)
        .enumerate()
        .filter(|(_, p)| p.chars().count() <= MAX_LABELED_LINE_CHARS && !p.contains('\n'))
        .find_map(|(at, p)| Some((at, labeled_date(p, zone)?)))
    {
        found.get_or_insert(date);
        paragraphs.remove(at);
    }
    while let Some(date) = paragraphs.last().and_then(|p| date_line(p, zone)) {
        found.get_or_insert(date);
        paragraphs.pop();
    }
    found
}

/// A leading `<!--1619281500000-->` comment holding epoch milliseconds (or seconds).
pub(crate) fn from_body_marker(body: &str) -> Option<Dated> {
    let inner = body.trim_start().strip_prefix("<!--")?;
    let digits = inner[..inner.find("-->")?].trim();
    if !(10..=13).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    from_epoch(digits.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<String> {
        parse_str(s, &TimeZone::UTC).map(|t| t.to_string())
    }

    #[test]
    fn dates_are_found_in_short_visible_texts() {
        let find = |s: &str| find_in_text(s, &TimeZone::UTC).map(|t| t.to_string());
        assert_eq!(
            find("Jun 08, 2023 • 11 Minute Read").as_deref(),
            Some("2023-06-08T00:00:00Z")
        );
        assert_eq!(
            find("Posted on 12 March 2024 by Kim").as_deref(),
            Some("2024-03-12T00:00:00Z")
        );
        assert_eq!(
            find("发布于 2021年4月24日").as_deref(),
            Some("2021-04-24T00:00:00Z")
        );
        assert_eq!(
            find("Last updated on: October 1, 2025").as_deref(),
            Some("2025-10-01T00:00:00Z")
        );
        assert_eq!(
            find("Updated Feb. 27, 2025").as_deref(),
            Some("2025-02-27T00:00:00Z")
        );
        assert_eq!(
            find("19 Dec, 2025").as_deref(),
            Some("2025-12-19T00:00:00Z")
        );
        assert_eq!(find("11 min read"), None);
        assert_eq!(find("Top 10 of 2024"), None);
    }

    #[test]
    fn archive_forms_parse_to_utc() {
        let cases = [
            ("Sun, 14 Nov 2021 01:13:25 GMT", "2021-11-14T01:13:25Z"),
            ("2021-04-24T02:56:28.687Z", "2021-04-24T02:56:28.687Z"),
            (
                "2020-03-17 20:23:22.000000000 +08:00",
                "2020-03-17T12:23:22Z",
            ),
            ("2020-03-31 12:00:00 +0000", "2020-03-31T12:00:00Z"),
            ("2021-03-22 04:50:45", "2021-03-22T04:50:45Z"),
            ("2021-04-24", "2021-04-24T00:00:00Z"),
            ("2021年4月24日", "2021-04-24T00:00:00Z"),
            ("2021年04月24日 10:30", "2021-04-24T10:30:00Z"),
            ("2024-02-08T00:00:00+00:00", "2024-02-08T00:00:00Z"),
            (
                "2024-03-05T10:00:00+08:00[Asia/Shanghai]",
                "2024-03-05T02:00:00Z",
            ),
            ("1619281500000", "2021-04-24T16:25:00Z"),
            ("March 5, 2024", "2024-03-05T00:00:00Z"),
            ("2019-02-22 00:00:00 UTC", "2019-02-22T00:00:00Z"),
        ];
        for (input, want) in cases {
            assert_eq!(utc(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn naive_times_use_the_configured_zone() {
        let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
        assert_eq!(
            parse_str("2021-03-22 12:00:00", &shanghai)
                .unwrap()
                .to_string(),
            "2021-03-22T04:00:00Z"
        );
    }

    #[test]
    fn slashed_dates_are_read_only_when_one_order_is_a_date() {
        let zone = TimeZone::UTC;
        let day = |raw: &str| parse_str(raw, &zone).map(|d| d.to_string());
        assert_eq!(day("2/24/2026").as_deref(), Some("2026-02-24T00:00:00Z"));
        assert_eq!(day("24/2/2026").as_deref(), Some("2026-02-24T00:00:00Z"));
        assert_eq!(day("5/5/2026").as_deref(), Some("2026-05-05T00:00:00Z"));
        assert_eq!(day("3/4/2026"), None);
        assert_eq!(day("13/14/2026"), None);
        assert_eq!(day("2/30/2026"), None);
        assert_eq!(day("1/2/3/2026"), None);
        // Datelines leave the text either way; only the readable one dates the article.
        let mut rfi = vec!["30/06/2020 - 23:05".to_owned(), "正文。".to_owned()];
        assert_eq!(
            take_date_lines(&mut rfi, &zone)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2020-06-30T00:00:00Z")
        );
        assert_eq!(rfi, ["正文。"]);
        let mut ambiguous = vec!["05/06/2020 - 23:05".to_owned(), "正文。".to_owned()];
        assert_eq!(take_date_lines(&mut ambiguous, &zone), None);
        assert_eq!(ambiguous, ["正文。"]);
    }

    #[test]
    fn a_publish_label_names_the_date_after_it_and_a_change_label_does_not() {
        let zone = TimeZone::UTC;
        let at = |line: &str| labeled_date(line, &zone).map(|d| d.to_string());
        assert_eq!(
            at("来源：东方日报　作者：李明　发布时间：2006-4-12 9:35:21　点击数：1024").as_deref(),
            Some("2006-04-12T09:35:21Z")
        );
        assert_eq!(
            at("發表於 2008-03-01").as_deref(),
            Some("2008-03-01T00:00:00Z")
        );
        assert_eq!(
            at("Posted on March 3, 2024 by Jane").as_deref(),
            Some("2024-03-03T00:00:00Z")
        );
        assert_eq!(
            at("Posted on the 15/12/2025 at 19:00 by @gomez").as_deref(),
            Some("2025-12-15T00:00:00Z")
        );
        // The date must follow the label; a change is not a publish date.
        assert_eq!(at("发布时间：见下文 2006-4-12"), None);
        assert_eq!(at("Last update date: 2024-03-01"), None);
        assert_eq!(at("Posted in News"), None);
        // A change label names the last change.
        let changed = |line: &str| {
            after_change_label(line)
                .and_then(|rest| opening_date(rest, &zone))
                .map(|d| d.to_string())
        };
        assert_eq!(
            changed("Last updated: November 13, 2025").as_deref(),
            Some("2025-11-13T00:00:00Z")
        );
        assert_eq!(
            changed("更新时间：2006-8-21 20:31:05").as_deref(),
            Some("2006-08-21T20:31:05Z")
        );
        assert_eq!(changed("Posted on March 3, 2024"), None);
    }

    #[test]
    fn datelines_and_labelled_lines_at_the_start_leave_the_text() {
        let zone = TimeZone::UTC;
        let mut blog = vec![
            "2007年3月18日 星期日 天氣：晴".to_owned(),
            "三月中旬，聽說陽明山的櫻花開了。".to_owned(),
        ];
        assert_eq!(
            take_date_lines(&mut blog, &zone)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2007-03-18T00:00:00Z")
        );
        assert_eq!(blog, ["三月中旬，聽說陽明山的櫻花開了。"]);
        let mut portal = vec![
            "导语。".to_owned(),
            "来源：东方日报 发布时间：2006-4-12 9:35:21 点击数：1024".to_owned(),
            "正文。".to_owned(),
        ];
        assert!(take_date_lines(&mut portal, &zone).is_some());
        assert_eq!(portal, ["导语。", "正文。"]);
        let mut homepage = vec!["文/清风　2003年5月20日".to_owned(), "小时候。".to_owned()];
        assert!(take_date_lines(&mut homepage, &zone).is_some());
        assert_eq!(homepage, ["小时候。"]);
        // A sentence that opens with a date is the story's.
        let mut story = vec!["2020年3月1日，武汉的方舱医院开始陆续休舱。".to_owned()];
        assert_eq!(take_date_lines(&mut story, &zone), None);
        assert_eq!(story.len(), 1);
    }

    #[test]
    fn dates_outside_1800_to_2199_are_not_dates_wherever_they_are_read() {
        let zone = TimeZone::UTC;
        for raw in [
            "0001-01-01",
            "9999-12-31T23:59:59Z",
            "-99999999999",
            "2610-05-01",
            "1799-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_str(raw, &zone), None, "{raw}");
        }
        assert_eq!(
            parse_value(&serde_json::json!(-99_999_999_999_i64), &zone),
            None
        );
        assert_eq!(from_file_name("0001-01-01-post.md", &zone), None);
        assert_eq!(from_path("9999/12/31/post", &zone), None);
        for raw in ["1800-01-01", "2199-12-31T23:59:59Z", "1851-09-18"] {
            assert!(parse_str(raw, &zone).is_some(), "{raw}");
        }
    }

    #[test]
    fn nonsense_does_not_parse() {
        assert_eq!(utc("last Tuesday"), None);
        assert_eq!(utc(""), None);
    }

    #[test]
    fn the_offset_a_date_was_written_with_is_kept() {
        let offset = |s: &str| parse_str(s, &TimeZone::UTC).map(|d| d.offset_minutes);
        assert_eq!(
            offset("2020-03-26 09:23:14.000000000 +08:00"),
            Some(Some(480))
        );
        assert_eq!(offset("2015-05-04T13:36:31+02:00"), Some(Some(120)));
        assert_eq!(offset("2024-03-05T10:00:00-05:30"), Some(Some(-330)));
        assert_eq!(
            offset("2024-03-05T10:00:00+08:00[Asia/Shanghai]"),
            Some(Some(480))
        );
        assert_eq!(offset("Sun, 14 Nov 2021 01:13:25 GMT"), Some(Some(0)));
        assert_eq!(offset("2021-04-24T02:56:28.687Z"), Some(Some(0)));
        assert_eq!(offset("2022-05-05T22:12:00 UTC"), Some(Some(0)));
        // No zone written (the configured one is assumed), or a count of seconds: unknown.
        assert_eq!(offset("2021-04-24 10:30"), Some(None));
        assert_eq!(offset("2021年4月24日"), Some(None));
        assert_eq!(offset("1619281500000"), Some(None));
        let shanghai = TimeZone::get("Asia/Shanghai").unwrap();
        let naive = parse_str("2021-04-24 10:30", &shanghai).unwrap();
        assert_eq!(
            (naive.at.to_string(), naive.offset_minutes),
            ("2021-04-24T02:30:00Z".into(), None)
        );
    }

    #[test]
    fn ordinal_days_and_day_first_dotted_dates_read() {
        for (raw, day) in [
            ("September 1st, 2023", "2023-09-01"),
            ("December 19th, 2025", "2025-12-19"),
            ("22nd March 2024", "2024-03-22"),
            ("17.05.2021", "2021-05-17"),
        ] {
            assert_eq!(utc(raw), Some(format!("{day}T00:00:00Z")), "{raw}");
        }
        // A model name or a version is not a date.
        assert_eq!(utc("1st 2023"), None);
        assert_eq!(utc("31.13.2021"), None);
    }

    #[test]
    fn paragraphs_of_only_a_date_leave_the_start_and_end_and_date_the_text() {
        let mut paragraphs: Vec<String> = [
            "2020-07-18T12:36:31.360Z",
            "2021年4月24日",
            "Shares fell 3% on 2020-07-18, the lowest since March.",
            "2020",
            "Posted 2021-04-24 10:30",
            "2021-04-24 10:30",
        ]
        .map(String::from)
        .to_vec();
        let date = take_date_lines(&mut paragraphs, &TimeZone::UTC);
        assert_eq!(
            date.map(|d| d.to_string()).as_deref(),
            Some("2020-07-18T12:36:31.36Z")
        );
        // A date inside a sentence, a bare year and a labelled date stay text.
        assert_eq!(
            paragraphs,
            [
                "Shares fell 3% on 2020-07-18, the lowest since March.",
                "2020",
                "Posted 2021-04-24 10:30"
            ]
        );
        let mut only = vec!["2019-01-01".to_owned()];
        assert!(take_date_lines(&mut only, &TimeZone::UTC).is_some() && only.is_empty());
    }

    #[test]
    fn file_name_and_body_marker_fallbacks() {
        assert_eq!(
            from_file_name("2017-12-21-rust-in-2017.md", &TimeZone::UTC)
                .unwrap()
                .to_string(),
            "2017-12-21T00:00:00Z"
        );
        assert_eq!(from_file_name("1.94.1-release.md", &TimeZone::UTC), None);
        assert_eq!(
            from_body_marker("<!--1619281500000-->\n[x](y)")
                .unwrap()
                .to_string(),
            "2021-04-24T16:25:00Z"
        );
        assert_eq!(from_body_marker("<!-- note -->"), None);
        assert_eq!(
            from_path("2022/02/15/Rust-Survey-2021", &TimeZone::UTC)
                .unwrap()
                .to_string(),
            "2022-02-15T00:00:00Z"
        );
        assert_eq!(
            from_path("https://a.example/2020/13/01/x", &TimeZone::UTC),
            None
        );
        assert_eq!(from_path("releases/1.94.1", &TimeZone::UTC), None);
    }
}
