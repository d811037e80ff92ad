//! Markdown → HTML, so that one HTML cleaner serves both. Template residue that static-site
//! generators leave in sources (Liquid `{% … %}` and `{{ … }}`, kramdown `{: … }`) is removed
//! first: it is markup, never article text.

use pulldown_cmark::{Options, Parser, html};

pub(crate) fn to_html(markdown: &str) -> String {
    let source = strip_template_residue(markdown);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(&source, options));
    out
}

/// Longest template tag removed; a longer "tag" is more likely text that happens to hold `{{`.
const MAX_TAG_LEN: usize = 1024;

fn strip_template_residue(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let close = if candidate.starts_with("{%") {
            Some("%}")
        } else if candidate.starts_with("{{") {
            Some("}}")
        } else if candidate.starts_with("{:") {
            Some("}")
        } else {
            None
        };
        let end = close.and_then(|close| {
            let window = &candidate[..crate::lang::floor_char_boundary(candidate, MAX_TAG_LEN)];
            window.find(close).map(|i| i + close.len())
        });
        match end {
            Some(end) => {
                rest = &candidate[end..];
                // `<{{ release.url }}>` was an autolink around the tag: drop its brackets too.
                if out.ends_with('<') && rest.starts_with('>') {
                    out.pop();
                    rest = &rest[1..];
                }
            }
            None => {
                out.push('{');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_and_kramdown_residue_is_removed() {
        let s = strip_template_residue(
            "a {% include x.html %} b {{ site.url }} c\n{: .class}\nd {not a tag}",
        );
        assert_eq!(s, "a  b  c\n\nd {not a tag}");
    }

    #[test]
    fn setext_heading_and_raw_html_pass_through() {
        let html = to_html("[Title](https://a.example)\n------\n\n<div>\n<p>x</p></div>");
        assert!(
            html.contains("<h2><a href=\"https://a.example\">Title</a></h2>"),
            "{html}"
        );
        assert!(html.contains("<p>x</p>"));
    }
}
