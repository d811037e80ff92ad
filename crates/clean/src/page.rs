//! Metadata a whole page carries: `<head>` meta tags, JSON-LD, `<time>` and `<html lang>`.

use scraper::ElementRef;

use crate::text::fold_blanks;
use crate::url::canonical;

/// Metadata a whole page carries in its `<head>`; used where front matter is silent.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    pub(crate) canonical_url: Option<String>,
    /// `<base href>`: what the page's relative URLs are relative to.
    pub(crate) base_href: Option<String>,
}

pub(crate) fn page_meta(html: &scraper::Html) -> PageMeta {
    let mut meta = PageMeta::default();
    let mut og_title = None;
    let mut og_url = None;
    for node in html.tree.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let v = el.value();
        match v.name() {
            "title" if meta.title.is_none() => {
                let t = fold_blanks(&el.text().collect::<String>());
                meta.title = (!t.is_empty()).then_some(t);
            }
            "base" if meta.base_href.is_none() => {
                meta.base_href = v
                    .attr("href")
                    .and_then(|h| canonical(h, None))
                    .filter(|u| u.contains("://"));
            }
            "link"
                if v.attr("rel")
                    .is_some_and(|r| r.eq_ignore_ascii_case("canonical")) =>
            {
                meta.canonical_url = v.attr("href").and_then(|h| canonical(h, None));
            }
            "meta" => match v.attr("property").or_else(|| v.attr("name")) {
                Some("og:title") => og_title = v.attr("content").map(fold_blanks),
                Some("og:url") => og_url = v.attr("content").and_then(|h| canonical(h, None)),
                _ => {}
            },
            "body" => break,
            _ => {}
        }
    }
    meta.title = og_title.filter(|t| !t.is_empty()).or(meta.title);
    meta.canonical_url = meta.canonical_url.or(og_url).filter(|u| u.contains("://"));
    meta
}
