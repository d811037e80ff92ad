//! What an element is, by name, class, id and attributes: never text, hidden, an ad slot,
//! furniture around a story, page chrome, an image and where it really points, a caption.

/// The value of an HTML attribute. scraper's `Element::attr` interns the name first (a hash
/// and a table lookup on every call, ~3% of a run); an element has a handful of attributes,
/// so reading them by name is cheaper. html5ever keeps one attribute of each name, so the
/// answer is the same.
pub(crate) fn attr<'a>(el: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|(key, _)| {
            key.prefix.is_none() && key.ns == markup5ever::ns!() && &*key.local == name
        })
        .map(|(_, value)| &**value)
}

/// Elements whose content is never article text.
pub(crate) fn is_never_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
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
pub(crate) fn is_page_chrome(name: &str) -> bool {
    matches!(name, "nav" | "header" | "footer" | "aside")
}

/// Elements that hold the whole document: their classes describe the page (`ads-enabled`),
/// not themselves.
pub(crate) fn is_document_root(name: &str) -> bool {
    matches!(name, "html" | "body" | "main" | "article")
}

pub(crate) fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// The longest heading that can open a "Subscribe" section (`## 欢迎订阅`, `Newsletter`).
pub(crate) const MAX_SUBSCRIBE_HEADING_CHARS: usize = 24;

pub(crate) fn is_block(name: &str) -> bool {
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
            | "legend"
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

/// A table cell.
pub(crate) fn is_cell(name: &str) -> bool {
    matches!(name, "td" | "th")
}

/// Whether one id or class token marks an ad slot (`ad`, `ads-top`, `dfp-ad-imu1`,
/// `innity-in-post`, `o-ads`, `m-interstitial__ad`, `adsbygoogle`, `recommend_bottom`…).
pub(crate) fn is_ad_token(token: &str) -> bool {
    let t = Token(token);
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
    EXACT.iter().any(|e| t.is(e))
        || PREFIXES.iter().any(|p| t.starts_with(p))
        || SUFFIXES.iter().any(|s| t.ends_with(s))
        || t.contains("-ad-")
        || t.contains("_ad_")
        || t.starts_with("recommend")
}

/// A class or id token, compared ignoring ASCII case without making a lower-cased copy: the
/// classifiers run on every token of every element.
#[derive(Clone, Copy)]
struct Token<'a>(&'a str);

impl Token<'_> {
    fn is(self, word: &str) -> bool {
        self.0.eq_ignore_ascii_case(word)
    }

    fn starts_with(self, prefix: &str) -> bool {
        let bytes = self.0.as_bytes();
        bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
    }

    fn ends_with(self, suffix: &str) -> bool {
        let bytes = self.0.as_bytes();
        bytes.len() >= suffix.len()
            && bytes[bytes.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    }

    fn contains(self, part: &str) -> bool {
        self.0
            .as_bytes()
            .windows(part.len())
            .any(|window| window.eq_ignore_ascii_case(part.as_bytes()))
    }
}

pub(crate) fn is_ad(el: &scraper::node::Element) -> bool {
    el.id().is_some_and(is_ad_token) || el.classes().any(is_ad_token)
}

/// Whether one id or class token marks the furniture around a story rather than the story:
/// share bars, post metadata (byline, categories, dates: these are columns), related-article
/// lists, newsletter sign-ups, comment sections, post navigation.
pub(crate) fn is_furniture_token(token: &str) -> bool {
    let t = Token(token);
    const EXACT: [&str; 24] = [
        "share",
        "shares",
        "sharing",
        "sharedaddy",
        "addthis",
        "byline",
        "entry-meta",
        "entry-footer",
        "entry-utility",
        "post-meta",
        "postmeta",
        "article-meta",
        "cat-links",
        "tags-links",
        "tag-links",
        "posted-on",
        "published-on",
        "related",
        "comments",
        "comment-list",
        "commentlist",
        "comments-area",
        "comment-respond",
        "disqus_thread",
    ];
    const PREFIXES: [&str; 10] = [
        "share-",
        "sharing-",
        "social-share",
        "related-",
        "jp-relatedposts",
        "yarpp",
        "newsletter",
        "breadcrumb",
        "post-navigation",
        "nav-links",
    ];
    const SUFFIXES: [&str; 5] = ["-share", "-sharing", "-related", "-newsletter", "-signup"];
    EXACT.iter().any(|e| t.is(e))
        || PREFIXES.iter().any(|p| t.starts_with(p))
        || SUFFIXES.iter().any(|s| t.ends_with(s))
        || t.contains("subscribe")
        || t.contains("optin")
        || t.contains("opt-in")
        || t.contains("share-button")
}

pub(crate) fn is_furniture(el: &scraper::node::Element) -> bool {
    el.id().is_some_and(is_furniture_token) || el.classes().any(is_furniture_token)
}

pub(crate) fn is_hidden(el: &scraper::node::Element) -> bool {
    // React's streaming server rendering sends a page's content in `<div hidden id="S:0">`
    // and a script moves it into place: what readers see.
    let streamed = el.id().is_some_and(|id| id.starts_with("S:"));
    if (attr(el, "hidden").is_some() && !streamed) || attr(el, "aria-hidden") == Some("true") {
        return true;
    }
    attr(el, "style").is_some_and(|style| {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        let style = style.to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    })
}

/// Lazy-load attributes first: their `src` is usually a placeholder.
pub(crate) const IMAGE_SOURCE_ATTRS: [&str; 9] = [
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

pub(crate) fn image_source(el: &scraper::node::Element) -> Option<&str> {
    IMAGE_SOURCE_ATTRS
        .iter()
        .filter_map(|name| {
            let value = attr(el, name)?.trim();
            if name.ends_with("srcset") {
                largest_in_srcset(value)
            } else {
                Some(value)
            }
        })
        .chain(attr(el, "src").map(str::trim))
        .find(|v| !v.is_empty() && !v.starts_with("data:"))
}

/// The candidate with the largest `w`/`x` descriptor, or the last one.
pub(crate) fn largest_in_srcset(srcset: &str) -> Option<&str> {
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

pub(crate) fn is_tracking_pixel(el: &scraper::node::Element) -> bool {
    let tiny = |name| {
        attr(el, name).map(|v| {
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

/// Text meant for screen readers only (`Image caption`, `Share this`): hidden from sighted
/// readers by a utility class.
pub(crate) fn is_visually_hidden(el: &scraper::node::Element) -> bool {
    el.classes().any(|c| {
        let c = Token(c);
        // Also as part of generated class names (`ssrcss-oyqyoe-VisuallyHidden`).
        [
            "visuallyhidden",
            "visually-hidden",
            "sr-only",
            "screen-reader",
            "screenreader",
        ]
        .iter()
        .any(|mark| c.contains(mark))
            || [
                "off-screen",
                "offscreen",
                "sr-text",
                "element-invisible",
                "a11y-hidden",
            ]
            .iter()
            .any(|word| c.is(word))
    })
}

/// How a block right after an image may describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaptionKind {
    /// `<figcaption>` or a class naming a caption: taken whatever its length.
    Caption,
    /// A centered block: a caption only if it is short.
    Centered,
    /// A photo credit (`class="…copyright…"`, `…credit…`).
    Credit,
}

/// The longest centered block read as a caption, in characters.
pub(crate) const MAX_CENTERED_CAPTION_CHARS: usize = 140;

pub(crate) fn caption_kind(el: &scraper::node::Element) -> Option<CaptionKind> {
    let name = el.name();
    if name == "figcaption" {
        return Some(CaptionKind::Caption);
    }
    let mut kind = None;
    for class in el.classes() {
        let class = class.to_ascii_lowercase();
        // `has-caption` / `no-caption` describe a container that holds the image itself.
        if class.contains("caption") && !class.starts_with("has-") && !class.starts_with("no-") {
            return Some(CaptionKind::Caption);
        }
        if class.contains("copyright") || class.contains("credit") {
            kind = Some(CaptionKind::Credit);
        }
    }
    let centered = name == "center"
        || attr(el, "align").is_some_and(|a| a.eq_ignore_ascii_case("center"))
        || attr(el, "style").is_some_and(|style| {
            let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            style.to_ascii_lowercase().contains("text-align:center")
        });
    kind.or(
        (centered && matches!(name, "p" | "div" | "center" | "span"))
            .then_some(CaptionKind::Centered),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_classified_whatever_their_ascii_case() {
        for ad in [
            "AD",
            "Ads_top",
            "div-gpt-ad-123",
            "sidebar-Ad",
            "x-AD-y",
            "Recommended",
        ] {
            assert!(is_ad_token(ad), "{ad}");
        }
        for not_ad in ["adjust", "header", "lead", "shadow"] {
            assert!(!is_ad_token(not_ad), "{not_ad}");
        }
        for furniture in ["Byline", "SHARE-bar", "post-Related", "nl-Subscribe-box"] {
            assert!(is_furniture_token(furniture), "{furniture}");
        }
        assert!(!is_furniture_token("article-body"));
        let token = Token("ssrcss-oyqyoe-VisuallyHidden");
        assert!(
            token.contains("visuallyhidden")
                && token.starts_with("SSRCSS")
                && token.ends_with("hidden")
        );
        assert!(!Token("ad").contains("ads") && !Token("é").starts_with("e"));
    }
}
