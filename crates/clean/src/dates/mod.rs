//! Publish dates as archives write them, read into UTC. A time without a zone is read in the
//! configured zone; a string that matches no form is the caller's warning, never a silent NULL.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use jiff::civil::DateTime;
use jiff::fmt::strtime;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};

use crate::text::has_chars_within;

mod months;

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

/// How far after a page's fetch its date may fall: a date without a zone is read in
/// `run.timezone`, up to a day from the newsroom's.
const FETCH_SLACK: jiff::SignedDuration = jiff::SignedDuration::from_hours(26);

impl Dated {
    /// Whether the date can be a publish date of a page fetched at `fetched_at` (a WARC
    /// record's `WARC-Date`): no page was published after it was fetched, so a later date is a
    /// template's, a placeholder's or misread.
    pub(crate) fn by_fetch(self, fetched_at: Option<Timestamp>) -> bool {
        fetched_at
            .and_then(|fetched| fetched.checked_add(FETCH_SLACK).ok())
            .is_none_or(|latest| self.at <= latest)
    }

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
/// `Posted on 12 March 2024` or `2021年4月24日`: runs of one to five words, longest first,
/// each read by [`parse_str`].
pub(crate) fn find_in_text(text: &str, zone: &TimeZone) -> Option<Dated> {
    first_date(&words(text), zone).map(|(_, date)| date)
}

/// The words of a short text before its first date (`FlowGuard EMEA on 04-ago-2021` →
/// `FlowGuard EMEA on`), or `None` when it holds no date.
pub(crate) fn before_date(text: &str, zone: &TimeZone) -> Option<String> {
    let words = words(text);
    first_date(&words, zone).map(|(start, _)| words[..start].join(" "))
}

/// The first date among `words`, and the word it starts at.
fn first_date(words: &[&str], zone: &TimeZone) -> Option<(usize, Dated)> {
    (0..words.len()).find_map(|start| Some((start, date_at(&words[start..], zone)?)))
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

/// A date that `words` open with: one to five of them (`12 de marzo de 2024`), the longest
/// run first.
fn date_at(words: &[&str], zone: &TimeZone) -> Option<Dated> {
    // A date needs a year: four digits (a CJK date's too). A run without one is not read,
    // and nor is any shorter run of it: most runs are not dates, and cost one scan.
    let has_year = |run: &[&str]| {
        run.iter().any(|w| {
            w.as_bytes()
                .windows(4)
                .any(|d| d.iter().all(u8::is_ascii_digit))
        })
    };
    (1..=5.min(words.len()))
        .rev()
        .take_while(|&len| has_year(&words[..len]))
        .find_map(|len| {
            parse_str(
                words[..len].join(" ").trim_end_matches([',', '.', ';']),
                zone,
            )
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
/// Words that make the label after them name the last change (`Last update date:`).
const CHANGE_WORDS: [&str; 5] = ["updat", "modif", "revis", "更新", "修改"];

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

/// Both kinds of label, publish first, found in one pass over a text.
static LABEL_MATCHER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(PUBLISH_LABELS.iter().chain(&CHANGE_LABELS))
        .ok()
});

/// What a label in a text says follows it.
pub(crate) enum Label<'a> {
    /// The publish date: what follows a publish label.
    Published(&'a str),
    /// The last change: what follows a change label, when the text has no publish label.
    Changed(&'a str),
}

/// The first publish label of a text (one not after a change word: `Last update date:`), else
/// its first change label, and what follows it.
pub(crate) fn date_label(text: &str) -> Option<Label<'_>> {
    let mut changed = None;
    for hit in LABEL_MATCHER.as_ref()?.find_iter(text) {
        let rest = after_label(&text[hit.end()..]);
        if hit.pattern().as_usize() >= PUBLISH_LABELS.len() {
            changed.get_or_insert(rest);
            continue;
        }
        let before = text[..hit.start()].to_lowercase();
        let before = before.trim_end();
        let tail = before
            .char_indices()
            .rev()
            .nth(12)
            .map_or(before, |(at, _)| &before[at..]);
        if !CHANGE_WORDS.iter().any(|w| tail.contains(w)) {
            return Some(Label::Published(rest));
        }
    }
    changed.map(Label::Changed)
}

/// Where a text names the publish date: what follows a publish label, or `None`.
pub(crate) fn after_publish_label(text: &str) -> Option<&str> {
    match date_label(text)? {
        Label::Published(rest) => Some(rest),
        Label::Changed(_) => None,
    }
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
    let s = months::in_english(&s).into_owned();
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
    if !has_chars_within(line, 8, 40) {
        return None;
    }
    let digit_runs = line
        .split(|c: char| !c.is_ascii_digit() && !('０'..='９').contains(&c))
        .filter(|run| !run.is_empty())
        .count();
    if line.contains('\n') || digit_runs < 2 {
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
    if !has_chars_within(line, 0, MAX_DATELINE_CHARS) {
        return None;
    }
    let sentence =
        line.contains(['。', '，', '！', '？', '；']) || line.ends_with(['.', '!', '?', ';']);
    if line.contains('\n') || sentence {
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
        .filter(|(_, p)| has_chars_within(p, 0, MAX_LABELED_LINE_CHARS) && !p.contains('\n'))
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
mod tests;
