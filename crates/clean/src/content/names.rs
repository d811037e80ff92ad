//! What elements say they are by their class and id words, tags and ARIA roles.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::Boilerplate;
use crate::elements::{attr, is_ad, is_document_root, is_furniture, is_page_chrome};

/// Named as the body of a story: `itemprop="articleBody"` or a class or id of the body
/// containers of common publishing systems.
pub(super) fn is_named_story_body(el: &scraper::node::Element, words: NameWords) -> bool {
    words.story_body || attr(el, "itemprop") == Some("articleBody")
}

/// Class and id words of the body containers of common publishing systems.
const BODY_NAMES: [&str; 14] = [
    "articlebody",
    "article-body",
    "article_body",
    "article__body",
    "article-content",
    "article__content",
    "articlecontent",
    "article-text",
    "entry-content",
    "post-content",
    "post_content",
    "post-body",
    "story-body",
    "story-content",
];

/// Class and id words Readability.js has long used for page parts that are not the story.
const UNLIKELY: [&str; 31] = [
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];

/// Words of a content container, which overrule [`UNLIKELY`] (`article-comments-and-body`).
const MAYBE_CONTENT: [&str; 8] = [
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
];

/// Which of the word lists an element's class and id names contain.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct NameWords {
    pub(super) story_body: bool,
    pub(super) unlikely: bool,
    pub(super) maybe_content: bool,
}

/// All three lists searched at once, ignoring ASCII case: this runs for every element of
/// every whole page.
pub(super) fn name_words(el: &scraper::node::Element) -> NameWords {
    static WORDS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(BODY_NAMES.iter().chain(&UNLIKELY).chain(&MAYBE_CONTENT))
            .ok()
    });
    let mut found = NameWords::default();
    let Some(words) = WORDS.as_ref() else {
        return found;
    };
    for name in el.classes().chain(el.id()) {
        for hit in words.find_overlapping_iter(name) {
            let i = hit.pattern().as_usize();
            if i < BODY_NAMES.len() {
                found.story_body = true;
            } else if i < BODY_NAMES.len() + UNLIKELY.len() {
                found.unlikely = true;
            } else {
                found.maybe_content = true;
            }
        }
    }
    found
}

/// Boilerplate by tag, ARIA role or lede's own furniture words: whatever it holds.
/// `in_story`: inside `<article>` or `<main>`, where `<header>` and `<footer>` are the
/// story's own, not the page's.
pub(super) fn boilerplate_by_tag(
    el: &scraper::node::Element,
    in_story: bool,
) -> Option<Boilerplate> {
    const BOILERPLATE_ROLES: [&str; 8] = [
        "menu",
        "menubar",
        "complementary",
        "navigation",
        "alert",
        "alertdialog",
        "dialog",
        "contentinfo",
    ];
    let name = el.name();
    let chrome_tag = match name {
        "header" | "footer" => !in_story,
        _ => is_page_chrome(name),
    };
    let role = attr(el, "role").map(str::to_ascii_lowercase);
    (!is_document_root(name)
        && (chrome_tag
            || is_furniture(el)
            || role.is_some_and(|role| BOILERPLATE_ROLES.contains(&role.as_str()))))
    .then_some(Boilerplate::Chrome)
}

/// Boilerplate by looser class and id words: ad words, and the words Readability.js has long
/// used for page parts that are not the story, unless a word of a content container is there
/// too (`body-ad-wrapper`, `article-comments-and-body`). A wrapper so named that holds a good
/// part of the page (`with-sidebar-layout`) is not boilerplate; [`find`] checks that.
pub(super) fn boilerplate_by_words(
    el: &scraper::node::Element,
    words: NameWords,
) -> Option<Boilerplate> {
    if is_document_root(el.name()) {
        return None;
    }
    if words.maybe_content {
        None
    } else if is_ad(el) {
        Some(Boilerplate::Ad)
    } else {
        words.unlikely.then_some(Boilerplate::Chrome)
    }
}
