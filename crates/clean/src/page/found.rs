//! The one pass over a whole page that gathers what [`page_meta`](super::page_meta) chooses
//! from: meta tags, JSON-LD, headings, `<time>`s, script state, bylines and date lines.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use ego_tree::NodeRef;
use jiff::tz::TimeZone;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;

use super::script_state::{self, TitledDate};
use super::{person, reads_as_names, title_parts};
use crate::dates::{self, Dated, Label};
use crate::elements::{attr, is_never_text};
use crate::entities::decode_leftovers;
use crate::text::fold_blanks;
use crate::url::canonical;

/// The most `<h1>`s looked at for the headline.
const MAX_HEADINGS: usize = 8;
/// The longest byline element text taken as an author.
const MAX_BYLINE_CHARS: usize = 80;

/// Class and id words of a site's logo or name.
const LOGO_NAMES: [&str; 5] = ["logo", "site-title", "site-name", "brand", "masthead"];
/// Class and id words of elements that hold the last change's date.
const CHANGE_NAMES: [&str; 2] = ["updated", "modified"];
/// Class and id words of elements that hold a date.
const DATE_NAMES: [&str; 4] = ["date", "posted", "publish", "time"];
/// Class and id words of elements that hold the author's name.
const AUTHOR_NAMES: [&str; 2] = ["author", "byline"];
/// The longest text of an element named like a date that is searched for one.
const MAX_DATE_LINE_CHARS: usize = 100;
/// How many elements after the headline are looked at for a line that holds its date
/// (`<div>By Jane Doe - Mar 27, 2024</div>`, `<span>Nov 21, 2018</span>`).
const HEADLINE_DATE_ELEMENTS: usize = 30;
/// The longest text of such a line, in bytes.
const MAX_HEADLINE_DATE_BYTES: usize = 120;
/// The longest line by the headline whose date outweighs the metadata's: a byline, with
/// the author's name, role and reading time (`January 31, 2024 Written By Miguel Zabludovsky`).
const MAX_BYLINE_DATE_CHARS: usize = 60;
/// How many elements before the headline a line of nothing but a date may be
/// (`<h5>January 23, 2025</h5><h1>…`).
const PRE_HEADLINE_DATE_ELEMENTS: usize = 10;
/// The longest line of nothing but a date, in bytes.
const MAX_DATE_ONLY_BYTES: usize = 48;
/// How many times its folded length a line's text may be before its blanks are folded.
const MAX_INDENT_FACTOR: usize = 4;
/// The most bytes read for such a line before its blanks are folded.
const MAX_INDENTED_DATE_BYTES: usize = MAX_INDENT_FACTOR * MAX_DATE_ONLY_BYTES;
/// The longest text read for a publish label and its date, in bytes: a line, not a paragraph.
const MAX_LABELED_TEXT_BYTES: usize = 240;
/// The most nodes of an element read for a short line.
const MAX_LINE_NODES: usize = 64;

/// Everything read in one pass over the page.
#[derive(Default)]
pub(super) struct Found {
    /// `name`/`property`/`itemprop` (lower-cased) → content, first of each.
    pub(super) meta: HashMap<String, String>,
    pub(super) document_title: Option<String>,
    pub(super) headings: Vec<String>,
    /// On a page without `<h1>`: a bold, big or paragraph element whose text is a part of
    /// `<title>`.
    pub(super) title_line: Option<String>,
    /// The first part of a `<title>` of two parts or more (`Story` of `Story - Site`).
    title_lead: Option<String>,
    pub(super) json_ld: Vec<Value>,
    /// The first `<time datetime>`'s value.
    pub(super) time: Option<String>,
    /// The first `<time datetime>` soon after the headline: the story's, where the page's
    /// first may be a sidebar's.
    pub(super) headline_time: Option<String>,
    /// The distinct values of `<time>`s marked published (`itemprop="datePublished"`,
    /// `pubdate`), two at most: with two, they may date a list of teasers or comments.
    pub(super) published_times: Vec<String>,
    pub(super) byline: Option<String>,
    /// The name in the first short element named like an author (`blog-author`).
    pub(super) author_line: Option<String>,
    /// A date read from the first short element named like an author (`author-details`).
    pub(super) author_date: Option<Dated>,
    /// A date read from the first short element named like a date (`post-date`).
    pub(super) date_line: Option<Dated>,
    /// The distinct `datePublished` microdata values of elements other than `<meta>` (two at
    /// most: with two, they date a list of items, not the page).
    pub(super) item_dates: Vec<String>,
    /// A date read from a short line soon after the headline.
    pub(super) headline_date: Option<Dated>,
    /// The date of that line or of a line within it that is a byline's length, not a
    /// caption's (`By Ann Lee · Mar 27, 2024`, not `Letters to the Editor for Jan. 17, 2022`).
    pub(super) byline_date: Option<Dated>,
    /// Elements seen since the first headline `<h1>`.
    pub(super) after_headline: Option<usize>,
    /// Before the headline: the last line of nothing but a date, and the elements since.
    pub(super) before_headline: Option<(Dated, usize)>,
    /// The text of a `<time>` without `datetime` (`<time>Published on June 4, 2025</time>`).
    pub(super) time_text: Option<Dated>,
    /// The date after the first publish label in a short visible text (`发布时间：2006-4-12`).
    pub(super) labeled_date: Option<Dated>,
    /// The date after the first change label in a short visible text (`Last updated: …`): the
    /// page's date only when it gives no other.
    pub(super) updated_date: Option<Dated>,
    /// The name after the first author label in a short visible text (`作者：李明`).
    pub(super) labeled_author: Option<String>,
    /// The label of the last text read named the publish date, and the date did not follow it
    /// there (`<span>Posted on</span> <span>March 3, 2024</span>`).
    label_pending: bool,
    /// The first publish-named key of a script's state that holds a date.
    pub(super) script_date: Option<Dated>,
    /// The records of the script state that have a title and a date.
    pub(super) titled_dates: Vec<TitledDate>,
    pub(super) canonical: Option<String>,
    pub(super) base_href: Option<String>,
    pub(super) lang: Option<String>,
}

impl Found {
    /// Reads a visible text for a publish label and the date after it.
    fn read_label(&mut self, node: NodeRef<'_, Node>, text: &str, zone: &TimeZone) {
        let visible = node
            .parent()
            .and_then(|p| p.value().as_element().map(|el| el.name()))
            .is_some_and(|name| !is_never_text(name));
        if !visible || text.trim().is_empty() {
            return;
        }
        if std::mem::take(&mut self.label_pending) {
            self.labeled_date = dates::opening_date(text, zone);
            if self.labeled_date.is_some() {
                return;
            }
        }
        if self.labeled_author.is_none() {
            self.labeled_author = labeled_author(text);
        }
        match dates::date_label(text) {
            Some(Label::Published(after)) => {
                self.labeled_date = dates::opening_date(after, zone);
                self.label_pending = self.labeled_date.is_none() && after.trim().is_empty();
            }
            Some(Label::Changed(after)) if self.updated_date.is_none() => {
                self.updated_date = dates::opening_date(after, zone);
            }
            _ => {}
        }
    }

    /// The values of the `<time datetime>`s read, marked published first.
    pub(super) fn times(&self) -> impl Iterator<Item = &str> {
        self.published_times
            .iter()
            .chain(&self.headline_time)
            .chain(&self.time)
            .map(String::as_str)
    }

    pub(super) fn meta(&self, key: &str) -> Option<&str> {
        self.meta.get(key).map(String::as_str)
    }

    /// The line of nothing but a date just before the headline, when there is a headline.
    pub(super) fn pre_headline_date(&self) -> Option<Dated> {
        self.before_headline
            .filter(|(_, since)| {
                self.after_headline.is_some() && *since <= PRE_HEADLINE_DATE_ELEMENTS
            })
            .map(|(date, _)| date)
    }
}

pub(super) fn read(html: &Html, zone: &TimeZone) -> Found {
    let mut found = Found::default();
    // The element of the first line after the headline that holds a date.
    let mut headline_line = None;
    // Elements seen since the headline (`after_headline` counts only those read for a date).
    let mut since_headline = 0;
    for node in html.tree.root().descendants() {
        if let Node::Text(text) = node.value() {
            if found.labeled_date.is_none() && text.len() <= MAX_LABELED_TEXT_BYTES {
                found.read_label(node, text, zone);
            }
            continue;
        }
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let v = el.value();
        if found.after_headline.is_some() {
            since_headline += 1;
        }
        match v.name() {
            "html" if found.lang.is_none() => found.lang = attr(v, "lang").map(str::to_owned),
            "title" if found.document_title.is_none() => {
                found.document_title = Some(text_of(el)).filter(|t| !t.is_empty());
                found.title_lead = found.document_title.as_deref().and_then(|title| {
                    let mut parts = title_parts(title);
                    let lead = parts.next()?;
                    parts.next().map(|_| lead.to_owned())
                });
            }
            "base" if found.base_href.is_none() => {
                found.base_href = attr(v, "href")
                    .and_then(|h| canonical(h, None))
                    .filter(|u| u.contains("://"));
            }
            "link" if attr(v, "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) => {
                found.canonical = attr(v, "href").and_then(|h| canonical(h, None));
            }
            "meta" => {
                let key = attr(v, "property")
                    .or_else(|| attr(v, "name"))
                    .or_else(|| attr(v, "itemprop"));
                if let (Some(key), Some(content)) = (key, attr(v, "content")) {
                    // JSON-LD written into a meta tag (`<meta name="script:ld+json"
                    // content="{&quot;@type&quot;:&quot;Article&quot;…}">`, as a misused
                    // Next.js metadata API renders it) is JSON-LD all the same.
                    if key.ends_with("ld+json")
                        && let Ok(value) = serde_json::from_str::<Value>(content.trim())
                    {
                        found.json_ld.push(value);
                    }
                    found
                        .meta
                        .entry(key.to_ascii_lowercase())
                        .or_insert_with(|| content.trim().to_owned());
                }
            }
            "script"
                if attr(v, "type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
            {
                let text: String = el.text().collect();
                if let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
                    found.json_ld.push(value);
                }
            }
            "script" => {
                for text in el.text() {
                    if found.script_date.is_none() {
                        found.script_date = script_state::publish_named_date(text, zone);
                    }
                    script_state::titled_dates(text, zone, &mut found.titled_dates);
                }
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
            // Pages without `<h1>` set the headline in bold, a big font or a paragraph of its
            // own (site builders style a `<p>`): when such an element repeats the first part
            // of `<title>` (`春天的陽明山 - 小林的旅行筆記`, the story before the site as titles
            // go), that part is the headline.
            "b" | "strong" | "font" | "big" | "h2" | "h3" | "p"
                if found.headings.is_empty() && found.title_line.is_none() =>
            {
                if let Some(lead) = &found.title_lead
                    // `Site - Story` titles put the site first: a lead the shared title
                    // (`og:title`) does not open with is the site's name.
                    && found
                        .meta("og:title")
                        .is_none_or(|shared| fold_blanks(shared).starts_with(lead.as_str()))
                    && let Some(text) = bounded_spaced_text(el, MAX_HEADLINE_DATE_BYTES)
                    && *lead == text
                {
                    found.title_line = Some(text);
                    found.after_headline.get_or_insert(0);
                }
            }
            "time" if attr(v, "datetime").is_none() && found.time_text.is_none() => {
                found.time_text = bounded_spaced_text(el, MAX_HEADLINE_DATE_BYTES)
                    .and_then(|text| dates::find_in_text(&text, zone));
            }
            "time" => {
                if let Some(datetime) = attr(v, "datetime") {
                    let published = attr(v, "itemprop") == Some("datePublished")
                        || attr(v, "pubdate").is_some();
                    if found.headline_time.is_none()
                        && found.after_headline.is_some()
                        && since_headline <= HEADLINE_DATE_ELEMENTS
                    {
                        found.headline_time = Some(datetime.to_owned());
                    }
                    if !published {
                        found.time.get_or_insert_with(|| datetime.to_owned());
                    } else if found.published_times.len() < 2
                        && !found.published_times.iter().any(|t| t == datetime)
                    {
                        found.published_times.push(datetime.to_owned());
                    }
                }
            }
            _ => {}
        }
        // Microdata on any element: `<span itemprop="datePublished" content="2022-01-14">`,
        // or without `content` its text (a `<meta>` is read above, a `<time>` as one).
        if !matches!(v.name(), "meta" | "time")
            && attr(v, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
            && found.item_dates.len() < 2
            && let Some(value) = attr(v, "content")
                .map(|c| c.trim().to_owned())
                .or_else(|| bounded_spaced_text(el, MAX_DATE_ONLY_BYTES))
            && !found.item_dates.contains(&value)
        {
            found.item_dates.push(value);
        }
        let is_byline = attr(v, "rel") == Some("author") || attr(v, "itemprop") == Some("author");
        if is_byline && found.byline.is_none() {
            found.byline = short_text(el, MAX_BYLINE_CHARS);
        }
        // The first element so named whose text is a name: `p.byline` that holds the date too
        // is not, `span.by-author` inside it is.
        if found.author_line.is_none() && named_like(v, &AUTHOR_NAMES) {
            let text = spaced_text(el);
            if text.chars().count() <= MAX_BYLINE_CHARS {
                // `By Jane Doe · March 3, 2025`: the part without the date; `Jane Doe on
                // 04-ago-2021`: the words before it.
                found.author_line = text
                    .split(['·', '|', '•', '—', '–'])
                    .map(|part| match dates::before_date(part, zone) {
                        Some(before) => Cow::Owned(without_connector(&before).to_owned()),
                        None => Cow::Borrowed(part),
                    })
                    .find_map(|part| person(&part))
                    .filter(|name| reads_as_names(name));
            }
        }
        // `<div class="author-details"><p>Luke Kim</p><small>December 17, 2025</small></div>`.
        if found.author_date.is_none() && named_like(v, &AUTHOR_NAMES) {
            found.author_date = bounded_spaced_text(el, MAX_HEADLINE_DATE_BYTES)
                .filter(|text| text.chars().count() <= MAX_BYLINE_CHARS)
                .and_then(|text| dates::find_in_text(&text, zone));
        }
        if found.after_headline.is_none() {
            if let Some((_, since)) = found.before_headline.as_mut() {
                *since += 1;
            }
            if let Some(date) = date_only_text(el).and_then(|text| dates::date_line(&text, zone)) {
                found.before_headline = Some((date, 0));
            }
        } else if let Some(seen) = found.after_headline.as_mut()
            && *seen < HEADLINE_DATE_ELEMENTS
            && found.byline_date.is_none()
            // Once a line holds the date, only a `<time>` or date-named element within it is
            // read for a shorter one (`<div><p>Naftali Tishby, Fernando C. Pereira, William
            // Bialek</p><time>24 Apr 2000 • 3 min read</time></div>`).
            && headline_line.is_none_or(|line| {
                (v.name() == "time" || named_like(v, &DATE_NAMES))
                    && el.ancestors().any(|a| a.id() == line)
            })
        {
            *seen += 1;
            if let Some(text) = bounded_spaced_text(el, MAX_HEADLINE_DATE_BYTES)
                && let Some(date) = dates::find_in_text(&text, zone)
            {
                headline_line.get_or_insert(el.id());
                found.headline_date.get_or_insert(date);
                if text.chars().count() <= MAX_BYLINE_DATE_CHARS {
                    found.byline_date = Some(date);
                }
            }
        }
        if found.date_line.is_none() && named_like(v, &DATE_NAMES) {
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

/// Labels that name what follows them as the author, with their colon: `作者：李明`.
const AUTHOR_LABELS: [&str; 11] = [
    "作者",
    "记者",
    "記者",
    "撰文",
    "投稿者",
    "張貼者",
    "张贴者",
    "发帖人",
    "發文者",
    "작성자",
    "글쓴이",
];
/// The longest name after an author label, in characters.
const MAX_LABELED_NAME_CHARS: usize = 20;

static AUTHOR_LABEL_MATCHER: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(AUTHOR_LABELS).ok());

/// The name an author label introduces in a short text: `来源：东方日报　作者：李明　发布时间：…`
/// → `李明`. The name ends at a blank or a separator.
fn labeled_author(text: &str) -> Option<String> {
    AUTHOR_LABEL_MATCHER
        .as_ref()?
        .find_iter(text)
        .find_map(|hit| {
            let after = text[hit.end()..].strip_prefix(['：', ':'])?.trim_start();
            let name: String = after
                .chars()
                .take_while(|&c| {
                    !c.is_whitespace()
                        && !matches!(c, ',' | '，' | '|' | '/' | '、' | '）' | ')' | '【' | '[')
                })
                .collect();
            // `作者：记者王敬照`: the role is not the name.
            let name = ["记者", "記者", "通讯员", "通訊員"]
                .iter()
                .find_map(|role| name.strip_prefix(role))
                .filter(|rest| rest.chars().count() >= 2)
                .map_or(name.clone(), str::to_owned);
            let length = name.chars().count();
            (2..=MAX_LABELED_NAME_CHARS)
                .contains(&length)
                .then(|| person(&name))
                .flatten()
        })
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
/// costs no more than looking at a small one. Text in an element named as the last change
/// (`<span class="updated">`, not WordPress's `entry-date published updated`) is left out: a
/// byline's hidden update time is not its date.
fn bounded_spaced_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let mut text = String::new();
    // Templates indent their lines: blanks count once folded, but the raw text read is
    // bounded too.
    let mut raw = 0;
    for (seen, node) in el.descendants().enumerate() {
        if seen >= MAX_LINE_NODES {
            return None;
        }
        if let Some(piece) = node.value().as_text() {
            let in_change = node
                .ancestors()
                .take_while(|a| a.id() != el.id())
                .chain(std::iter::once(*el))
                .filter_map(|a| a.value().as_element())
                .any(|e| named_like(e, &CHANGE_NAMES) && !named_like(e, &["publish"]));
            if in_change {
                continue;
            }
            raw += piece.len();
            if raw > MAX_INDENT_FACTOR * max {
                return None;
            }
            for word in piece.split_whitespace() {
                text.push_str(word);
                text.push(' ');
            }
            if text.len() > max + 1 {
                return None;
            }
        }
    }
    Some(fold_blanks(&text))
}

/// The text of an element that holds only text (and maybe an icon: `<svg>`, `<img>`, `<i>`),
/// when it is short and has a digit: what a line of nothing but a date can be. Every element
/// before the headline is asked, so the answer is no for nearly all of them without building
/// a string or reading a subtree (a wrapper's date is its child's).
fn date_only_text(el: ElementRef<'_>) -> Option<String> {
    let mut text = String::new();
    for child in el.children() {
        match child.value() {
            scraper::Node::Text(piece) => {
                // Templates indent the date on a line of its own: blanks count once folded.
                if text.len() + piece.len() > MAX_INDENTED_DATE_BYTES {
                    return None;
                }
                text.push_str(piece);
            }
            scraper::Node::Element(icon) if matches!(icon.name(), "svg" | "img" | "i" | "br") => {}
            scraper::Node::Comment(_) => {}
            _ => return None,
        }
    }
    let text = fold_blanks(&text);
    (text.len() <= MAX_DATE_ONLY_BYTES
        && text.contains(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)))
    .then_some(text)
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

/// Words that may stand between a byline's name and its date: connectors (`Jane Doe on`,
/// `Max Muster am`, `at`), labels (`Updated`, `Published`, `Stand`) and weekdays (`Sat,`).
const BEFORE_DATE_WORDS: [&str; 47] = [
    "on",
    "am",
    "um",
    "at",
    "le",
    "el",
    "il",
    "em",
    "op",
    "updated",
    "published",
    "posted",
    "last",
    "modified",
    "written",
    "by",
    "stand",
    "veröffentlicht",
    "aktualisiert",
    "publié",
    "publicado",
    "pubblicato",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mo",
    "di",
    "fr",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "sonnabend",
];

/// A name's words without the words between it and a date after it: those above, a time
/// (`10:08`) and separators (`/`, `»`).
fn without_connector(words: &str) -> &str {
    let mut words = words.trim();
    while let Some(last) = words.split_whitespace().next_back() {
        let word = last.trim_end_matches([',', '.', ':']).to_lowercase();
        let joins =
            BEFORE_DATE_WORDS.contains(&word.as_str()) || !word.chars().any(char::is_alphabetic);
        if !joins {
            break;
        }
        words = words[..words.len() - last.len()].trim_end();
    }
    words.trim_start_matches(|c: char| !c.is_alphanumeric())
}
