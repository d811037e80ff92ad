//! A [`ParsedDoc`] → a clean [`Article`]: plain text, images, links, dates, language, counts.
//!
//! `lede-clean` owns what an article *says*: Markdown is rendered to HTML and every HTML body goes
//! through one DOM walk that keeps paragraph structure and drops scripts, hidden elements, ad slots
//! and subscription promos; URLs are made absolute and unwrapped from proxies, redirectors and
//! tracking parameters by one rule; front matter is mapped onto columns and the rest kept in
//! `extra`. It reads no files; `lede-parse` comes before it and `lede-write` after.
//!
//! ```
//! use lede_clean::{clean, CleanSettings};
//! use lede_record::{Body, BodyFormat, FrontMatter, ParsedDoc, SourcePath};
//!
//! let doc = ParsedDoc {
//!     source: SourcePath::new("/in", "post.html"),
//!     encoding: "UTF-8",
//!     front_matter: FrontMatter::none(),
//!     body: Body {
//!         format: BodyFormat::Html,
//!         is_full_page: false,
//!         text: "<p>Hello&nbsp;world.</p><div class=\"ad-slot\">Buy!</div><p>Bye.</p>".into(),
//!     },
//!     warnings: vec![],
//!     fetch: None,
//! };
//! let article = clean(&doc, &CleanSettings::default()).unwrap();
//! assert_eq!(article.text, "Hello world.\n\nBye.");
//! assert_eq!(article.paragraph_count, 2);
//! ```
#![deny(missing_docs)]

mod content;
mod dates;
mod elements;
mod entities;
mod extract;
mod fields;
mod html;
mod lang;
mod markdown;
mod page;
mod reading_list;
mod rules;
#[cfg(all(test, not(debug_assertions)))]
mod scaling;
mod signature;
mod tables;
mod text;
mod url;

use std::sync::Arc;

pub use content::Candidate;
pub use html::DEFAULT_PARSE_STEPS;
pub use rules::{RuleError, SiteRule, SiteRuleSpec};

use jiff::tz::TimeZone;
use lede_record::{
    Article, ArticleId, BodyFormat, DateSource, ParsedDoc, Warning, WarningKind, chars, keys,
};

use crate::dates::Dated;

/// Knobs of the clean stage.
#[derive(Debug, Clone)]
pub struct CleanSettings {
    /// The zone naive dates are read in (`timezone`).
    pub timezone: TimeZone,
    /// The most steps html5ever's tree builder may take on one document
    /// (`limits.max_html_parse_steps`): past it, the text parsed so far is kept.
    pub max_html_parse_steps: u64,
    /// Site rules (`[[site]]`), applied on top of the built-in rules.
    pub site_rules: Arc<[SiteRule]>,
}

impl Default for CleanSettings {
    fn default() -> CleanSettings {
        CleanSettings {
            timezone: TimeZone::UTC,
            max_html_parse_steps: html::DEFAULT_PARSE_STEPS,
            site_rules: Arc::new([]),
        }
    }
}

/// Why a document could not become an article.
#[derive(Debug, thiserror::Error)]
pub enum CleanError {
    /// Nothing was left: no text, no image and no front matter.
    #[error(
        "nothing left after cleaning: no text, no image, no front matter ({format} body of {bytes} bytes)"
    )]
    NoContent {
        /// The body format.
        format: &'static str,
        /// The body size.
        bytes: usize,
    },
}

/// Paragraphs at the start of a body where a repeat of the title is dropped.
const HEADLINE_PARAGRAPHS: usize = 3;

/// Cleans one document. Pure: the same document and settings give the same article.
pub fn clean(doc: &ParsedDoc, settings: &CleanSettings) -> Result<Article, CleanError> {
    clean_with(doc, settings, &mut ())
}

/// [`clean`], and `reader` reads the clean text in the same pass as the counts and the
/// language's script counts (the near-duplicate shingles do: one decode of the text for all).
pub fn clean_with(
    doc: &ParsedDoc,
    settings: &CleanSettings,
    reader: &mut impl chars::Reader,
) -> Result<Article, CleanError> {
    let mut warnings: Vec<Warning> = doc.warnings.clone();
    let fetch = doc.fetch.as_deref();
    if let Some(why) = fetch.and_then(|f| f.truncated.as_deref()) {
        warnings.push(Warning::new(
            WarningKind::PayloadTruncated,
            format!(
                "the crawler cut the page short (WARC-Truncated: {why}); the text may end early"
            ),
        ));
    }
    let meta = fields::read(&doc.front_matter, &settings.timezone, &mut warnings);
    let base = meta.url.as_deref().and_then(|u| ::url::Url::parse(u).ok());
    let origin = extract::Origin {
        source_path: doc.source.relative(),
        author: meta.author.as_deref(),
        timezone: &settings.timezone,
        fetched_from: fetch.and_then(|f| f.url.as_deref()),
    };
    let mut extracted = match doc.body.format {
        BodyFormat::Text => {
            let paragraphs = text::plain_paragraphs(text::without_ebook_licence(&doc.body.text));
            extract::Extracted {
                leading_heading: text::plain_headline(&paragraphs).map(|text| {
                    extract::LeadingHeading {
                        text: text.to_owned(),
                        link: None,
                    }
                }),
                paragraphs,
                ..Default::default()
            }
        }
        BodyFormat::Markdown => html_body(
            &markdown::to_html(&doc.body.text),
            false,
            base.as_ref(),
            origin,
            settings,
            &mut warnings,
        ),
        BodyFormat::Html => html_body(
            &doc.body.text,
            doc.body.is_full_page,
            base.as_ref(),
            origin,
            settings,
            &mut warnings,
        ),
    };
    let heading = extracted.leading_heading;
    let mut page = std::mem::take(&mut extracted.page);
    let title = meta
        .title
        .or(page.title.take())
        .or_else(|| heading.as_ref().map(|h| h.text.clone()));
    let anchors = Anchors::new(&extracted.links);
    let mut paragraphs: Vec<String> = extracted
        .paragraphs
        .iter()
        .zip(
            extracted
                .held_promotion
                .iter()
                .chain(std::iter::repeat(&false)),
        )
        .map(|(p, &held)| without_promotions(&entities::decode_leftovers(p), &anchors, held))
        .filter(|p| !p.is_empty())
        .collect();
    // Feeds often open the body with the headline (a heading, or a link to the original):
    // it is the title, already in `title`, not text; a headline that links is the article URL.
    // So do a breadcrumb then the headline, or a feed snippet that is only the headline.
    let mut headline_link = None;
    if let Some(title) = &title {
        if paragraphs
            .first()
            .is_some_and(|first| text::same_words(title, first))
        {
            headline_link = heading.and_then(|h| h.link);
        }
        // Pages without paragraph markup put the headline on the first line of the first one.
        if let Some(first) = paragraphs.first_mut()
            && let Some((line, rest)) = first.split_once('\n')
            && text::same_words(title, line)
        {
            *first = rest.to_owned();
        }
        let mut position = 0;
        paragraphs.retain(|p| {
            position += 1;
            position > HEADLINE_PARAGRAPHS || !text::same_words(title, p)
        });
    }
    // A reading list that ends the story is the site's.
    if let Some(at) = reading_list::start(&paragraphs, |line| {
        anchors
            .longest_in(line)
            .is_some_and(|chars| chars * 2 >= line.chars().count())
    }) {
        paragraphs.truncate(at);
    }
    // So does a signature under a post.
    signature::take(&mut paragraphs);
    // A paragraph that is only a date or time, opening or closing the body, is the feed's
    // timestamp, not text: it leaves the text (and so the counts, the language and the
    // near-duplicate signature), and dates the article when nothing else does.
    let date_line = dates::take_date_lines(&mut paragraphs, &settings.timezone);
    let text = paragraphs.join("\n\n");
    if text.is_empty()
        && date_line.is_none()
        && title.is_none()
        && extracted.images.is_empty()
        && doc.front_matter.fields.is_empty()
    {
        return Err(CleanError::NoContent {
            format: doc.body.format.as_str(),
            bytes: doc.body.text.len(),
        });
    }
    let url = meta
        .url
        .or(page.canonical_url)
        .or_else(|| fetch.and_then(|f| f.url.clone()))
        .or(headline_link);
    // Front matter states its date; any other source's date after the page's fetch is passed
    // over for the next source's.
    let fetched_at = fetch.and_then(|f| f.fetched_at);
    let mut after_fetch = None;
    let mut by_fetch = |dated: Option<(Dated, DateSource)>| {
        dated.filter(|(date, _)| {
            let plausible = date.by_fetch(fetched_at);
            if !plausible {
                after_fetch.get_or_insert(*date);
            }
            plausible
        })
    };
    let (published_at, date_source) = meta
        .published_at
        .map(|ts| (ts, DateSource::FrontMatter))
        .or_else(|| by_fetch(page.published_at))
        .or_else(|| {
            by_fetch(
                dates::from_file_name(doc.source.file_name(), &settings.timezone)
                    .map(|ts| (ts, DateSource::FileName)),
            )
        })
        .or_else(|| {
            by_fetch(
                dates::from_body_marker(&doc.body.text)
                    .or(date_line)
                    .map(|ts| (ts, DateSource::Body)),
            )
        })
        .unzip();
    if published_at.is_none()
        && let Some(date) = page.pre_web_date
    {
        warnings.push(Warning::new(
            WarningKind::DateUnparsed,
            format!("the page's date {date} is before 1990, before any web page: not taken"),
        ));
    }
    if let (Some(date), Some(fetched)) = (after_fetch, fetched_at) {
        warnings.push(Warning::new(
            WarningKind::DateUnparsed,
            format!("the page's date {date} is after it was fetched ({fetched}): not taken"),
        ));
    }
    let mut pass = (
        text::Counting::default(),
        (lang::Scripts::default(), reader),
    );
    chars::read(&text, &mut pass);
    let (counting, (scripts, _)) = pass;
    let counts = counting.finish();
    // A text too short to tell is read together with its title.
    let detected = lang::detect_counted(&scripts.finish(), &text).or_else(|| {
        let title = title.as_deref()?;
        lang::detect(&format!("{title}\n\n{text}"))
    });
    let (declared_lang, declared_by) = match (meta.declared_lang, page.lang) {
        (Some(lang), _) => (Some(lang), "front matter"),
        (None, lang) => (lang, "the page's <html lang>"),
    };
    let lang = match (detected, declared_lang) {
        (Some(detected), Some(declared)) if detected != declared => {
            warnings.push(Warning::new(
                WarningKind::LangMismatch,
                format!("{declared_by} says lang {declared:?}, the text reads as {detected:?}"),
            ));
            Some(detected.to_owned())
        }
        (Some(detected), _) => Some(detected.to_owned()),
        (None, declared) => declared,
    };
    let lead_image = meta
        .lead_image
        .or(page.lead_image)
        .or_else(|| extracted.images.first().map(|i| i.url.clone()));
    // A page's own name for its outlet has no column: it joins the front matter's leftovers.
    let mut extra = meta.extra;
    if let Some(site_name) = page.site_name {
        extra
            .entry("site_name")
            .or_insert(serde_json::Value::String(site_name));
    }
    Ok(Article {
        id: ArticleId::of(&doc.source),
        source_path: doc.source.relative().to_owned(),
        encoding: doc.encoding,
        front_matter: doc.front_matter.format,
        body_format: doc.body.format,
        title,
        author: meta.author.or(page.author),
        site: url.as_deref().and_then(url::site),
        url,
        published_at: published_at.map(|date| date.at),
        published_utc_offset: published_at.and_then(|date| date.offset_minutes),
        date_source,
        fetched_at: fetch.and_then(|f| f.fetched_at),
        categories: meta.categories,
        tags: meta.tags,
        lead_image,
        images: extracted.images,
        dropped_images: extracted.dropped_images,
        links: extracted.links,
        lang,
        char_count: counts.chars,
        word_count: counts.words,
        paragraph_count: i64::try_from(paragraphs.len()).unwrap_or(i64::MAX),
        content_hash: text::content_hash(&text),
        signature: None,
        extra: (!extra.is_empty()).then(|| serde_json::Value::Object(extra).to_string()),
        text,
        warnings,
    })
}

/// How the text of a whole page was found, as `lede inspect` shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MainContentChoice {
    /// What was read: an element (CSS-like), or the whole page when no subtree stood out.
    pub read: String,
    /// The subtrees main-content scoring weighed, best first; `chosen` marks the one read
    /// (itself, or the container `read` names).
    pub candidates: Vec<Candidate>,
}

/// How main-content scoring found the text of a whole page: what `lede inspect` shows. `None`
/// when the body is not a whole page. A site rule's `content` selector, where one applies, is
/// used instead of the scoring's choice.
pub fn main_content_candidates(
    doc: &ParsedDoc,
    settings: &CleanSettings,
) -> Option<MainContentChoice> {
    if doc.body.format != BodyFormat::Html || !doc.body.is_full_page {
        return None;
    }
    let parsed = html::parse(&doc.body.text, settings.max_html_parse_steps);
    Some(
        match content::find(&parsed.html, &mut tables::Tables::default()) {
            Some(found) => MainContentChoice {
                read: found.read,
                candidates: found.candidates,
            },
            None => MainContentChoice {
                read: "the whole page: no subtree stood out".to_owned(),
                candidates: Vec::new(),
            },
        },
    )
}

/// The anchor texts of an article's links, to tell which a line contains. A line is searched
/// for all of them at once (Aho-Corasick), so an article of many promotion-like lines and many
/// links costs their total length, not their product.
struct Anchors<'a> {
    links: &'a [lede_record::Link],
    /// Built at the first line that asks: most articles have none.
    searcher: std::cell::OnceCell<Option<AnchorSearch>>,
}

struct AnchorSearch {
    matcher: aho_corasick::AhoCorasick,
    /// Characters of each pattern, by pattern id.
    chars: Vec<usize>,
    /// Whether a link has an empty anchor, which every line contains.
    empty: bool,
}

impl<'a> Anchors<'a> {
    fn new(links: &'a [lede_record::Link]) -> Anchors<'a> {
        Anchors {
            links,
            searcher: std::cell::OnceCell::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The characters of the longest anchor `line` contains, if it contains any.
    fn longest_in(&self, line: &str) -> Option<usize> {
        let search = self
            .searcher
            .get_or_init(|| {
                let anchors: Vec<&str> = self
                    .links
                    .iter()
                    .filter_map(|l| l.text.as_deref())
                    .collect();
                let empty = anchors.iter().any(|a| a.is_empty());
                let patterns: Vec<&str> = anchors.into_iter().filter(|a| !a.is_empty()).collect();
                let chars = patterns.iter().map(|a| a.chars().count()).collect();
                // An NFA: a DFA searches a little faster but takes far longer to build,
                // and most articles search a handful of short lines once.
                aho_corasick::AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
                    .build(&patterns)
                    .ok()
                    .map(|matcher| AnchorSearch {
                        matcher,
                        chars,
                        empty,
                    })
            })
            .as_ref()?;
        let longest = search
            .matcher
            .find_overlapping_iter(line)
            .map(|m| search.chars[m.pattern().as_usize()])
            .max();
        longest.or(search.empty.then_some(0))
    }
}

/// The paragraph without its promotion lines (a paragraph of one line goes whole).
/// `held_promotion`: a promotion link was left out of it, which links it as much as a kept link.
fn without_promotions(paragraph: &str, anchors: &Anchors<'_>, held_promotion: bool) -> String {
    if anchors.is_empty() && !held_promotion {
        // Nothing links away: no line can be a promotion.
        return paragraph.to_owned();
    }
    paragraph
        .lines()
        .filter(|line| !is_promotion(line, anchors, held_promotion))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A short call to subscribe that links somewhere, or a paragraph that is mostly a link and
/// asks for a click: a promotion or a way out, whatever the link's address.
fn is_promotion(paragraph: &str, anchors: &Anchors<'_>, held_promotion: bool) -> bool {
    let Some(call) = text::call_to_action(paragraph) else {
        return false;
    };
    if held_promotion && call == text::CallToAction::Subscribe {
        return true;
    }
    let Some(longest) = anchors.longest_in(paragraph) else {
        return false;
    };
    call == text::CallToAction::Subscribe || longest * 2 >= paragraph.chars().count()
}

fn html_body(
    source: &str,
    is_full_page: bool,
    base: Option<&::url::Url>,
    origin: extract::Origin<'_>,
    settings: &CleanSettings,
    warnings: &mut Vec<Warning>,
) -> extract::Extracted {
    let parsed = html::parse(source, settings.max_html_parse_steps);
    if let Some(offset) = parsed.truncated_at {
        warnings.push(Warning::new(
            WarningKind::HtmlBudgetExceeded,
            format!(
                "HTML parsing stopped after {} steps at byte {offset} of {} ({}); text is from the part parsed",
                settings.max_html_parse_steps,
                source.len(),
                keys::LIMITS_MAX_HTML_PARSE_STEPS
            ),
        ));
    }
    if parsed.attributes_dropped > 0 {
        warnings.push(Warning::new(
            WarningKind::HtmlBudgetExceeded,
            format!(
                "{} attributes dropped from tags with more than {} each",
                parsed.attributes_dropped,
                html::MAX_ATTRIBUTES
            ),
        ));
    }
    extract::extract(
        &parsed.html,
        base,
        is_full_page,
        &settings.site_rules,
        origin,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_record::{Body, FrontMatter, SourcePath};
    use proptest::prelude::*;

    fn doc(format: BodyFormat, body: &str) -> ParsedDoc {
        ParsedDoc {
            source: SourcePath::new("/in", "x.md"),
            encoding: "UTF-8",
            front_matter: FrontMatter::none(),
            body: Body {
                format,
                is_full_page: false,
                text: body.to_owned(),
            },
            warnings: vec![],
            fetch: None,
        }
    }

    #[test]
    fn a_leading_paragraph_that_repeats_the_title_is_dropped() {
        let mut d = doc(
            BodyFormat::Markdown,
            "[My Headline!](https://a.example/x)\n------\n\nBody text.\n\nMy headline again later.",
        );
        d.front_matter
            .fields
            .insert("title".into(), "My headline".into());
        let a = clean(&d, &CleanSettings::default()).unwrap();
        assert_eq!(a.text, "Body text.\n\nMy headline again later.");
    }

    #[test]
    fn a_page_date_after_the_fetch_is_passed_over_and_front_matter_is_believed() {
        let page = concat!(
            r#"<html><head><meta property="article:published_time" content="2021-05-01T00:00:00Z">"#,
            "</head><body><article><p>Body text of the story.</p>",
            "<p>2020-07-18T12:36:31Z</p></article></body></html>"
        );
        let fetched = |at: &str| {
            let mut d = doc(BodyFormat::Html, page);
            d.body.is_full_page = true;
            d.fetch = Some(Box::new(lede_record::Fetch {
                fetched_at: Some(at.parse().unwrap()),
                ..Default::default()
            }));
            d
        };
        // The meta tag's date is after the fetch: the body's date line dates the page.
        let a = clean(&fetched("2020-07-19T00:00:00Z"), &CleanSettings::default()).unwrap();
        assert_eq!(
            (a.published_at.map(|t| t.to_string()), a.date_source),
            (Some("2020-07-18T12:36:31Z".into()), Some(DateSource::Body))
        );
        let warning = a
            .warnings
            .iter()
            .find(|w| w.kind == WarningKind::DateUnparsed);
        assert!(
            warning.is_some_and(|w| w
                .detail
                .contains("2021-05-01T00:00:00Z is after it was fetched")),
            "{:?}",
            a.warnings
        );
        // Fetched before every date it gives: none is taken.
        let a = clean(&fetched("2019-01-01T00:00:00Z"), &CleanSettings::default()).unwrap();
        assert_eq!(a.published_at, None);
        // Within a day of the fetch: a date without its zone may be the newsroom's tomorrow.
        let a = clean(&fetched("2020-07-17T18:00:00Z"), &CleanSettings::default()).unwrap();
        assert_eq!(a.date_source, Some(DateSource::Body));
        // Front matter states its date: believed as written.
        let mut d = fetched("2019-01-01T00:00:00Z");
        d.front_matter
            .fields
            .insert("date".into(), "2020-07-18T12:36:31Z".into());
        let a = clean(&d, &CleanSettings::default()).unwrap();
        assert_eq!(a.date_source, Some(DateSource::FrontMatter));
    }

    #[test]
    fn a_plain_text_headline_is_the_title() {
        let a = clean(
            &doc(
                BodyFormat::Text,
                "Chelsea sack Mutu\n\nChelsea have sacked Adrian Mutu.\n",
            ),
            &CleanSettings::default(),
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Chelsea sack Mutu"));
        assert_eq!(a.text, "Chelsea have sacked Adrian Mutu.");
        let sentence = clean(
            &doc(BodyFormat::Text, "It rained today.\n\nThen it stopped.\n"),
            &CleanSettings::default(),
        )
        .unwrap();
        assert_eq!(sentence.title, None);
    }

    #[test]
    fn a_contradicting_front_matter_lang_is_a_warning() {
        let mut d = doc(
            BodyFormat::Markdown,
            "This release fixes several bugs and improves the performance of the garbage collector.",
        );
        d.front_matter.fields.insert("lang".into(), "de".into());
        let a = clean(&d, &CleanSettings::default()).unwrap();
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].kind, WarningKind::LangMismatch);
        let mut short = doc(BodyFormat::Markdown, "OK.");
        short
            .front_matter
            .fields
            .insert("lang".into(), "zh_CN".into());
        let a = clean(&short, &CleanSettings::default()).unwrap();
        assert_eq!(a.lang.as_deref(), Some("zh"));
    }

    #[test]
    fn script_only_body_is_no_content() {
        let err = clean(
            &doc(BodyFormat::Html, "<script>x()</script>"),
            &CleanSettings::default(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("nothing left after cleaning"));
    }

    #[test]
    fn markdown_template_residue_does_not_reach_text() {
        let a = clean(
            &doc(
                BodyFormat::Markdown,
                "# Head\n\n{% raw %}Text with {{ page.title }} here.\n{: .note}\n",
            ),
            &CleanSettings::default(),
        )
        .unwrap();
        assert_eq!(a.title.as_deref(), Some("Head"));
        assert_eq!(a.text, "Text with here.");
    }

    /// Whether a generated body has anything to read: in a plain text anything but blanks; in
    /// markup, anything outside its tags and scripts.
    fn readable(body: &str, format: BodyFormat) -> bool {
        let mut rest = body.replace("&nbsp;", " ");
        if format != BodyFormat::Text {
            while let Some(start) = rest.find("<script>") {
                let end = rest[start..]
                    .find("</script>")
                    .map_or(rest.len(), |at| start + at + "</script>".len());
                rest.replace_range(start..end, " ");
            }
            for tag in [
                "<p>",
                "<div>",
                "<a href=\"x\">",
                "<img src=\"y\">",
                "<br>",
                "<table>",
                "<td>",
                "</p>",
                "</div>",
                "</a>",
                "</td>",
                "</script>",
            ] {
                rest = rest.replace(tag, " ");
            }
        }
        rest.chars().any(|c| !c.is_whitespace())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        #[test]
        fn clean_never_panics_and_text_has_no_tags(body in "(<(p|div|a href=\"x\"|img src=\"y\"|br|table|td|script)>|</(p|div|a|td|script)>|&(amp|nbsp);|[a-z 中文\n]){0,60}") {
            for format in [BodyFormat::Html, BodyFormat::Markdown, BodyFormat::Text] {
                match clean(&doc(format, &body), &CleanSettings::default()) {
                    Ok(a) => {
                        prop_assert!(!a.text.contains("&nbsp;"));
                        prop_assert!(!a.text.starts_with(char::is_whitespace));
                        // Markup is gone: the body writes `<` and `>` only in its tags.
                        if format != BodyFormat::Text {
                            prop_assert!(!a.text.contains(['<', '>']), "{:?} → {:?}", body, a.text);
                        }
                    }
                    // The one error: nothing left, which only a body with nothing to read can be.
                    Err(CleanError::NoContent { .. }) => {
                        prop_assert!(!readable(&body, format), "{format:?} {body:?}");
                    }
                }
            }
        }

        #[test]
        fn cleaning_clean_text_is_a_no_op(words in proptest::collection::vec("[a-zA-Z中文]{1,8}", 1..20)) {
            let text = words.join(" ");
            let a = clean(&doc(BodyFormat::Text, &text), &CleanSettings::default()).unwrap();
            prop_assert_eq!(&a.text, &text);
            let again = clean(&doc(BodyFormat::Text, &a.text), &CleanSettings::default()).unwrap();
            prop_assert_eq!(again.text, a.text);
        }
    }
}
