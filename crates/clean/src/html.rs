//! HTML → DOM within a time budget. html5ever's tree builder is O(depth²) on deep nesting
//! (100k nested `<div>` take ~40 s), so input is fed in slices and parsing stops when the budget
//! is spent; the tree built so far is kept and the caller is told.

use std::time::{Duration, Instant};

use html5ever::tendril::{StrTendril, TendrilSink};

/// Input is fed in slices of about this many bytes between deadline checks.
const SLICE_BYTES: usize = 16 * 1024;

/// A parsed document, and whether the budget cut it short.
pub(crate) struct Parsed {
    pub(crate) html: scraper::Html,
    pub(crate) truncated_at: Option<usize>,
}

pub(crate) fn parse(source: &str, budget: Duration) -> Parsed {
    let deadline = Instant::now() + budget;
    let sink = scraper::HtmlTreeSink::new(scraper::Html::new_document());
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
        if Instant::now() > deadline {
            truncated_at = Some(offset);
            break;
        }
        let end = crate::lang::floor_char_boundary(source, offset + SLICE_BYTES);
        let end = if end <= offset {
            source.len().min(offset + SLICE_BYTES + 4)
        } else {
            end
        };
        let end = ceil_char_boundary(source, end);
        parser.process(StrTendril::from_slice(&source[offset..end]));
        offset = end;
    }
    Parsed {
        html: parser.finish(),
        truncated_at,
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
    fn deep_nesting_is_cut_off_by_the_budget() {
        let depth = 100_000;
        let source = format!("{}deep{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let parsed = parse(&source, Duration::from_millis(200));
        // Stopped part-way: the budget, not the input's end, ended the parse.
        let stopped = parsed.truncated_at.expect("the budget stops the parse");
        assert!(stopped < source.len());
    }

    #[test]
    fn normal_page_parses_whole() {
        let parsed = parse("<p>a</p><p>b</p>", Duration::from_secs(1));
        assert_eq!(parsed.truncated_at, None);
        assert!(parsed.html.html().contains("<p>b</p>"));
    }
}
