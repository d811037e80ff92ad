//! DOM → paragraphs, images and links, skipping what is not article text: scripts and styles,
//! hidden elements, ad slots, subscription promos, and page chrome around a whole page.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};
use url::Url;

use crate::text::{Paragraphs, fold_blanks};
use crate::url::{canonical, is_promotion};
use lede_record::{Image, Link};

/// What the body holds.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub(crate) paragraphs: Vec<String>,
    pub(crate) images: Vec<Image>,
    pub(crate) links: Vec<Link>,
    pub(crate) page: PageMeta,
}

/// Metadata a whole page carries in its `<head>`; used where front matter is silent.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    pub(crate) canonical_url: Option<String>,
}

/// Elements whose content is never article text.
fn is_never_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "template"
            | "svg"
            | "math"
            | "head"
            | "object"
            | "embed"
            | "button"
            | "select"
            | "input"
            | "textarea"
            | "canvas"
            | "video"
            | "audio"
            | "map"
            | "dialog"
    )
}

/// Elements that are page chrome when the body is a whole page (in a fragment they are content).
fn is_page_chrome(name: &str) -> bool {
    matches!(name, "nav" | "header" | "footer" | "aside")
}

/// Elements that hold the whole document: their classes describe the page (`ads-enabled`),
/// not themselves.
fn is_document_root(name: &str) -> bool {
    matches!(name, "html" | "body" | "main" | "article")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "caption"
            | "tr"
            | "ul"
            | "body"
    )
}

/// Whether one id or class token marks an ad slot (`ad`, `ads-top`, `dfp-ad-imu1`,
/// `innity-in-post`, `o-ads`, `m-interstitial__ad`, `adsbygoogle`, `recommend_bottom`…).
fn is_ad_token(token: &str) -> bool {
    let t = token.to_ascii_lowercase();
    const EXACT: [&str; 8] = [
        "ad",
        "ads",
        "advert",
        "adverts",
        "advertisement",
        "sponsored",
        "adsbygoogle",
        "article_bottom",
    ];
    const PREFIXES: [&str; 14] = [
        "ad-",
        "ad_",
        "ads-",
        "ads_",
        "adv-",
        "advert",
        "dfp-",
        "dfp_",
        "gpt-ad",
        "div-gpt-ad",
        "innity",
        "o-ads",
        "taboola",
        "outbrain",
    ];
    const SUFFIXES: [&str; 4] = ["-ad", "_ad", "__ad", "-ads"];
    EXACT.contains(&t.as_str())
        || PREFIXES.iter().any(|p| t.starts_with(p))
        || SUFFIXES.iter().any(|s| t.ends_with(s))
        || t.contains("-ad-")
        || t.contains("_ad_")
        || t.starts_with("recommend")
}

fn is_ad(el: &scraper::node::Element) -> bool {
    el.id().is_some_and(is_ad_token) || el.classes().any(is_ad_token)
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    el.attr("style").is_some_and(|style| {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        let style = style.to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Lazy-load attributes first: their `src` is usually a placeholder.
const IMAGE_SOURCE_ATTRS: [&str; 9] = [
    "data-original",
    "data-src",
    "data-lazy-src",
    "data-actualsrc",
    "data-original-src",
    "data-lazyload",
    "_src",
    "data-srcset",
    "srcset",
];

fn image_source(el: &scraper::node::Element) -> Option<&str> {
    IMAGE_SOURCE_ATTRS
        .iter()
        .filter_map(|name| {
            let value = el.attr(name)?.trim();
            if name.ends_with("srcset") {
                largest_in_srcset(value)
            } else {
                Some(value)
            }
        })
        .chain(el.attr("src").map(str::trim))
        .find(|v| !v.is_empty() && !v.starts_with("data:"))
}

/// The candidate with the largest `w`/`x` descriptor, or the last one.
fn largest_in_srcset(srcset: &str) -> Option<&str> {
    srcset
        .split(',')
        .filter_map(|candidate| {
            let mut parts = candidate.split_whitespace();
            let url = parts.next()?;
            let size = parts
                .next()
                .and_then(|d| d.trim_end_matches(['w', 'x']).parse::<f64>().ok())
                .unwrap_or(0.0);
            Some((url, size))
        })
        .fold(None, |best: Option<(&str, f64)>, (url, size)| match best {
            Some((_, best_size)) if best_size > size => best,
            _ => Some((url, size)),
        })
        .map(|(url, _)| url)
}

fn is_tracking_pixel(el: &scraper::node::Element) -> bool {
    let tiny = |name| {
        el.attr(name).map(|v| {
            v.trim()
                .trim_end_matches("px")
                .parse::<f64>()
                .is_ok_and(|n| n <= 1.0)
        })
    };
    matches!(
        (tiny("width"), tiny("height")),
        (Some(true), Some(true)) | (Some(true), None) | (None, Some(true))
    )
}

pub(crate) fn extract(html: &scraper::Html, base: Option<&Url>, is_full_page: bool) -> Extracted {
    let page = if is_full_page {
        page_meta(html)
    } else {
        PageMeta::default()
    };
    let base = page
        .canonical_url
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .filter(|_| base.is_none())
        .or_else(|| base.cloned());
    let mut walker = Walker {
        base: base.as_ref(),
        is_full_page,
        text: Paragraphs::default(),
        images: Vec::new(),
        links: Vec::new(),
        open_link: None,
        pre_depth: 0,
    };
    walker.walk(html);
    Extracted {
        paragraphs: walker.text.finish(),
        images: walker.images,
        links: walker.links,
        page,
    }
}

struct Walker<'a> {
    base: Option<&'a Url>,
    is_full_page: bool,
    text: Paragraphs,
    images: Vec<Image>,
    links: Vec<Link>,
    /// The outermost open `<a>`: its node, target and anchor text so far.
    open_link: Option<(ego_tree::NodeId, String, String)>,
    pre_depth: usize,
}

impl Walker<'_> {
    /// Iterative (open/close edges), so 100k-deep documents cannot overflow the stack.
    fn walk(&mut self, html: &scraper::Html) {
        let mut skipping: Option<ego_tree::NodeId> = None;
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(text) => self.push_text(text),
                        Node::Element(el) => {
                            if self.skips(el) {
                                skipping = Some(node.id());
                            } else {
                                self.open(node.id(), el);
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skipping == Some(node.id()) {
                        skipping = None;
                    } else if skipping.is_none()
                        && let Node::Element(el) = node.value()
                    {
                        self.close(node.id(), el.name());
                    }
                }
            }
        }
    }

    fn skips(&self, el: &scraper::node::Element) -> bool {
        let name = el.name();
        is_never_text(name)
            || (self.is_full_page && is_page_chrome(name))
            || is_hidden(el)
            || (!is_document_root(name) && is_ad(el))
            || (name == "a"
                && el
                    .attr("href")
                    .and_then(|href| canonical(href, self.base))
                    .is_some_and(|url| is_promotion(&url)))
    }

    fn push_text(&mut self, text: &str) {
        if self.pre_depth > 0 {
            self.text.push_preformatted(text);
        } else {
            self.text.push_text(text);
        }
        if let Some((_, _, anchor)) = self.open_link.as_mut() {
            anchor.push_str(text);
        }
    }

    fn open(&mut self, id: ego_tree::NodeId, el: &scraper::node::Element) {
        let name = el.name();
        match name {
            // A list is one paragraph with an item per line.
            "br" | "li" => self.text.line_break(),
            "td" | "th" => self.text.cell_break(),
            "pre" => self.pre_depth += 1,
            "img" => self.image(el),
            "a" if self.open_link.is_none() => {
                if let Some(url) = el.attr("href").and_then(|href| canonical(href, self.base)) {
                    self.open_link = Some((id, url, String::new()));
                }
            }
            _ => {}
        }
        if is_block(name) {
            self.text.end_paragraph();
        }
    }

    fn close(&mut self, id: ego_tree::NodeId, name: &str) {
        if name == "pre" {
            self.pre_depth = self.pre_depth.saturating_sub(1);
        }
        if self
            .open_link
            .as_ref()
            .is_some_and(|(open, _, _)| *open == id)
            && let Some((_, url, anchor)) = self.open_link.take()
        {
            let text = fold_blanks(&anchor);
            self.links.push(Link {
                url,
                text: (!text.is_empty()).then_some(text),
            });
        }
        if is_block(name) {
            self.text.end_paragraph();
        }
    }

    fn image(&mut self, el: &scraper::node::Element) {
        if is_tracking_pixel(el) {
            return;
        }
        let Some(url) = image_source(el).and_then(|src| canonical(src, self.base)) else {
            return;
        };
        if self.images.iter().any(|i| i.url == url) {
            return;
        }
        let alt = el.attr("alt").map(fold_blanks).filter(|a| !a.is_empty());
        self.images.push(Image { url, alt });
    }
}

fn page_meta(html: &scraper::Html) -> PageMeta {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str) -> Extracted {
        extract(&scraper::Html::parse_document(source), None, false)
    }

    #[test]
    fn blocks_become_paragraphs_and_br_a_newline() {
        let e =
            run("<div>intro<br>line two<p>para &amp; more</p><ul><li>a</li><li>b</li></ul></div>");
        assert_eq!(e.paragraphs, vec!["intro\nline two", "para & more", "a\nb"]);
    }

    #[test]
    fn scripts_ads_hidden_and_promos_are_dropped() {
        let e = run(concat!(
            "<p>kept</p><script>var x</script><style>p{}</style><!-- c -->",
            "<div id=\"dfp-ad-imu1\">AD</div><div class=\"o-ads\">AD</div>",
            "<div class=\"m-interstitial__ad\">AD</div><div style=\"display: none\">hidden</div>",
            "<a href=\"https://subscribe.sph.com.sg/promotions/x/?utm_campaign=c\"><img data-src=\"https://s.example/promo.jpg\"></a>",
        ));
        assert_eq!(e.paragraphs, vec!["kept"]);
        assert!(e.images.is_empty());
        assert!(e.links.is_empty());
    }

    #[test]
    fn page_level_ad_classes_do_not_drop_the_page() {
        let e = run(
            "<html class=\"ads-enabled\"><body class=\"bbccom_adsense ad-slot\"><p>story</p></body></html>",
        );
        assert_eq!(e.paragraphs, vec!["story"]);
    }

    #[test]
    fn lazy_images_win_over_placeholders_and_pixels_are_dropped() {
        let e = run(concat!(
            "<img data-original=\"https://a.example/real.jpg\" src=\"https://a.example/thumb.jpg\" alt=\" A cat \">",
            "<img src=\"data:image/gif;base64,R0l\"><img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\">",
            "<img srcset=\"https://a.example/s.jpg 320w, https://a.example/l.jpg 1024w\" src=\"x.gif\">",
        ));
        let urls: Vec<_> = e.images.iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            vec!["https://a.example/real.jpg", "https://a.example/l.jpg"]
        );
        assert_eq!(e.images[0].alt.as_deref(), Some("A cat"));
    }

    #[test]
    fn links_keep_anchor_text_and_tables_their_cells() {
        let e = run(
            "<p>see <a href=\"https://x.example/a?utm_source=feed\">the <b>report</b></a></p><table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
        );
        assert_eq!(
            e.links,
            vec![Link {
                url: "https://x.example/a".into(),
                text: Some("the report".into())
            }]
        );
        assert_eq!(e.paragraphs, vec!["see the report", "a\tb", "c\td"]);
    }

    #[test]
    fn whole_page_drops_chrome_and_reads_head() {
        let page = "<html><head><title>Story - Site</title><meta property=\"og:title\" content=\"Story\"><link rel=\"canonical\" href=\"https://news.example/story\"></head><body><nav>Home</nav><article><p>Body</p></article><footer>(c)</footer></body></html>";
        let e = extract(&scraper::Html::parse_document(page), None, true);
        assert_eq!(e.paragraphs, vec!["Body"]);
        assert_eq!(e.page.title.as_deref(), Some("Story"));
        assert_eq!(
            e.page.canonical_url.as_deref(),
            Some("https://news.example/story")
        );
    }
}
