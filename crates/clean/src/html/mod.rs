//! HTML → DOM within a deterministic work budget. html5ever's tree builder is O(depth²) on deep
//! nesting (100k nested `<div>` take ~40 s) and its tokenizer O(n²) in one tag's attributes, so
//! neither time nor input size bounds the work. Instead the tree builder's steps are counted
//! ([`sink`]: every element it looks at on its stack of open elements, every node it makes or
//! moves), input is fed in slices, and parsing stops once the steps pass the budget; the tree
//! built so far is kept and the caller told. A tag's attributes past the first
//! [`attributes::MAX_ATTRIBUTES`] are dropped before parsing ([`attributes`]). The same input
//! gives the same DOM on any machine at any load.

mod attributes;
mod sink;

pub(crate) use attributes::MAX_ATTRIBUTES;

use std::borrow::Cow;

use html5ever::tendril::{StrTendril, TendrilSink};

/// Input is fed in slices of about this many bytes between budget checks: small enough that
/// one slice cannot take long past the budget (a slice holds at most ~1,000 tags).
const SLICE_BYTES: usize = 4 * 1024;

/// The default of `limits.max_html_parse_steps`: about 100 times the most any page of the
/// extraction benchmarks takes (see `budget_fits_real_pages`), and a second or so of parsing.
pub const DEFAULT_PARSE_STEPS: u64 = 50_000_000;

/// A parsed document, and what the limits cut from it.
pub(crate) struct Parsed {
    pub(crate) html: scraper::Html,
    /// The byte where the step budget stopped the parse.
    pub(crate) truncated_at: Option<usize>,
    /// Attributes dropped from tags that had more than [`attributes::MAX_ATTRIBUTES`].
    pub(crate) attributes_dropped: usize,
    /// Steps the tree builder took.
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "what the tests measure the budget by")
    )]
    pub(crate) steps: u64,
}

pub(crate) fn parse(source: &str, max_steps: u64) -> Parsed {
    let (source, attributes_dropped) = match attributes::capped(source) {
        Some((capped, dropped)) => (Cow::Owned(capped), dropped),
        None => (Cow::Borrowed(source), 0),
    };
    // A tag opens at each `<` and text lies between tags: about one node per `<`.
    let tags = memchr::memchr_iter(b'<', source.as_bytes()).count();
    let sink = sink::CountingSink::new(tags + tags / 4 + 16);
    let steps = sink.steps();
    // As a browser without JavaScript: `<noscript>` holds elements (often the only copy of a
    // lazy-loaded image), not raw text.
    let options = html5ever::ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut parser = html5ever::parse_document(sink, options);
    let mut offset = 0;
    let mut truncated_at = None;
    while offset < source.len() {
        if steps.get() > max_steps {
            truncated_at = Some(offset);
            break;
        }
        let end = crate::lang::floor_char_boundary(&source, offset + SLICE_BYTES);
        let end = if end <= offset {
            source.len().min(offset + SLICE_BYTES + 4)
        } else {
            end
        };
        let end = ceil_char_boundary(&source, end);
        parser.process(StrTendril::from_slice(&source[offset..end]));
        offset = end;
    }
    let html = parser.finish();
    Parsed {
        html,
        truncated_at,
        attributes_dropped,
        steps: steps.get(),
    }
}

fn ceil_char_boundary(text: &str, at: usize) -> usize {
    (at..=text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_cut_off_by_the_budget_at_the_same_byte_every_time() {
        let depth = 100_000;
        let source = format!("{}deep{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let parsed = parse(&source, DEFAULT_PARSE_STEPS);
        // Stopped part-way: the budget, not the input's end, ended the parse.
        let stopped = parsed.truncated_at.expect("the budget stops the parse");
        assert!(stopped < source.len());
        assert_eq!(
            parse(&source, DEFAULT_PARSE_STEPS).truncated_at,
            Some(stopped)
        );
        assert!(parsed.steps < DEFAULT_PARSE_STEPS * 2, "{}", parsed.steps);
    }

    #[test]
    fn normal_page_parses_whole() {
        let parsed = parse("<p>a</p><p>b</p>", DEFAULT_PARSE_STEPS);
        assert_eq!(parsed.truncated_at, None);
        assert_eq!(parsed.attributes_dropped, 0);
        assert!(parsed.html.html().contains("<p>b</p>"));
    }

    #[test]
    fn text_before_a_tag_of_60000_attributes_is_kept_and_so_is_text_after() {
        let attributes: Vec<String> = (0..60_000).map(|i| format!("a{i}=\"v\"")).collect();
        let source = format!(
            "<p>Before.</p><div {}>Inside.</div><p>After.</p>",
            attributes.join(" ")
        );
        let parsed = parse(&source, DEFAULT_PARSE_STEPS);
        assert_eq!(parsed.truncated_at, None);
        assert_eq!(
            parsed.attributes_dropped,
            60_000 - attributes::MAX_ATTRIBUTES
        );
        let html = parsed.html.html();
        for text in ["Before.", "Inside.", "After."] {
            assert!(html.contains(text), "{text}");
        }
    }

    /// The budget is far above what real pages take: every page of the test fixtures parses
    /// whole, taking at most a hundredth of it. (Of the 892 pages of the ScrapingHub and WCXB
    /// benchmarks the most is 166,863 steps, a 600 KB page: a three-hundredth.)
    #[test]
    fn budget_fits_real_pages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut most = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let parsed = parse(&text, DEFAULT_PARSE_STEPS);
            assert_eq!(parsed.truncated_at, None, "{}", path.display());
            most = most.max(parsed.steps);
        }
        assert!(most > 0 && most * 100 < DEFAULT_PARSE_STEPS, "{most}");
    }
}
