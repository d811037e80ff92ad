//! Which kind of body a file has: looked at, not guessed from the extension alone, because
//! exporters write HTML bodies into `.md` and `.txt` files and Markdown into `.txt`.

use lede_record::BodyFormat;

/// Returns the body format and whether the body is a whole HTML page.
pub(crate) fn sniff(body: &str, extension: Option<&str>) -> (BodyFormat, bool) {
    let lead = skip_comments(body.trim_start());
    if is_full_page(lead) {
        return (BodyFormat::Html, true);
    }
    let html_first = starts_with_tag(lead);
    let markdown = has_markdown_syntax(body);
    match extension {
        Some("html" | "htm" | "xhtml") => (BodyFormat::Html, false),
        _ if html_first && !markdown => (BodyFormat::Html, false),
        Some("md" | "markdown" | "mdown" | "mkd" | "mkdn") => (BodyFormat::Markdown, false),
        _ if markdown || html_first || has_tag(body) => (BodyFormat::Markdown, false),
        _ => (BodyFormat::Text, false),
    }
}

fn skip_comments(mut text: &str) -> &str {
    while let Some(rest) = text.strip_prefix("<!--") {
        match rest.find("-->") {
            Some(end) => text = rest[end + 3..].trim_start(),
            None => return "",
        }
    }
    text
}

/// Tags a saved page can open with before its `<html>`, when a tool cut or prepended to it.
const HEAD_TAGS: [&str; 8] = [
    "script", "style", "meta", "link", "title", "base", "noscript", "head",
];
/// How far into a body a saved page's `<head>` or `<body>` is looked for.
const DOCUMENT_TAG_WINDOW: usize = 64 * 1024;

fn is_full_page(lead: &str) -> bool {
    let head = lead
        .get(..lead.len().min(16))
        .unwrap_or("")
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml")
        || (opens_with_head_tag(lead) && has_document_tag(lead))
}

/// Whether the text opens with a tag that belongs in a page's head (`<script>`, `<style>`…).
fn opens_with_head_tag(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('<') else {
        return false;
    };
    let name_end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    HEAD_TAGS
        .iter()
        .any(|tag| rest[..name_end].eq_ignore_ascii_case(tag))
}

/// Whether a `<head>`, `<body>` or `<html>` tag comes early in the text.
fn has_document_tag(text: &str) -> bool {
    let window = &text.as_bytes()[..text.len().min(DOCUMENT_TAG_WINDOW)];
    window.windows(6).any(|w| {
        w[0] == b'<'
            && [&b"head"[..], b"body", b"html"]
                .iter()
                .any(|tag| w[1..5].eq_ignore_ascii_case(tag))
            && (w[5] == b'>' || w[5].is_ascii_whitespace())
    })
}

fn starts_with_tag(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some('<') && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
}

fn has_tag(text: &str) -> bool {
    const TAGS: [&str; 6] = ["<p>", "<p ", "<div", "<br", "<img ", "<a href"];
    TAGS.iter().any(|tag| text.contains(tag))
}

/// Markdown block syntax that plain text and HTML fragments do not have.
fn has_markdown_syntax(body: &str) -> bool {
    let mut previous_blank = true;
    for line in body.lines().take(400) {
        let t = line.trim_end();
        let is_underline =
            t.len() >= 3 && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '='));
        if (is_underline && !previous_blank)
            || t.starts_with("```")
            || t.starts_with("~~~")
            || is_atx_heading(t)
            || t.contains("](")
        {
            return true;
        }
        previous_blank = t.trim().is_empty();
    }
    false
}

fn is_atx_heading(line: &str) -> bool {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    (1..=6).contains(&hashes) && line[hashes..].starts_with(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_fragment_in_txt_is_html() {
        assert_eq!(
            sniff("\n<div>\n<p>x</p></div>", Some("txt")),
            (BodyFormat::Html, false)
        );
    }

    #[test]
    fn comment_then_markdown_link_and_setext_rule_is_markdown() {
        let body =
            "<!--1619281500000-->\n[Title](https://a.example/x)\n------\n\n<div><p>x</p></div>";
        assert_eq!(sniff(body, Some("txt")), (BodyFormat::Markdown, false));
    }

    #[test]
    fn plain_lines_are_text() {
        assert_eq!(
            sniff("Voters flock.\n\nVoting is under way.", Some("txt")),
            (BodyFormat::Text, false)
        );
    }

    #[test]
    fn whole_page_is_html_page() {
        assert_eq!(
            sniff("<!DOCTYPE html><html><body>x", Some("md")),
            (BodyFormat::Html, true)
        );
    }

    #[test]
    fn a_saved_page_opening_with_a_script_or_style_is_a_whole_page() {
        for lead in [
            "<script>var a = 1;</script>",
            "<STYLE>\n#x{}</STYLE>",
            "<meta charset=utf-8>",
        ] {
            let page =
                format!("{lead}\n<html><head><title>T</title></head><body><p>x</p></body></html>");
            assert_eq!(
                sniff(&page, Some("html")),
                (BodyFormat::Html, true),
                "{lead}"
            );
        }
        // A fragment that opens with a script but has no page around it stays a fragment.
        assert_eq!(
            sniff("<script>track()</script><p>Story.</p>", Some("html")),
            (BodyFormat::Html, false)
        );
        // A `<header>` is not a `<head>`.
        assert_eq!(
            sniff(
                "<style>p{}</style><header>x</header><p>Story.</p>",
                Some("html")
            ),
            (BodyFormat::Html, false)
        );
    }

    #[test]
    fn markdown_extension_without_syntax_stays_markdown() {
        assert_eq!(
            sniff("Just words.", Some("md")),
            (BodyFormat::Markdown, false)
        );
    }
}
