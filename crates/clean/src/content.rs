//! The main content of a whole page: the subtree that holds the story, found by scoring text
//! blocks, with no knowledge of any site.
//!
//! Each block (`p`, `div`, `td`, a list, a heading…) is scored by the text it holds itself, not
//! counting nested blocks: a paragraph — long, or shorter but punctuated — with few links adds
//! its unlinked text; a link list, a short fragment, or any text inside page chrome (`nav`,
//! `footer`, `aside`, an ARIA landmark of the same kind) or inside a container named like
//! boilerplate (`sidebar`, `comments`, `related`, `menu`…) subtracts. The main content is the
//! element whose subtree sums highest: it takes in every paragraph of the story and stops where
//! taking in more would add more boilerplate than text. Lengths count a CJK character as three
//! Latin ones (about what a word and its space take), so the same thresholds hold for Chinese
//! and Japanese pages, which have no spaces to count words by. Inside the chosen root, link
//! lists and boilerplate-named containers are left out too.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};
use serde::Serialize;

use crate::elements::{
    is_ad, is_block, is_document_root, is_furniture, is_heading, is_hidden, is_never_text,
    is_page_chrome, is_visually_hidden,
};
use crate::text::{cjk_class, is_blank};

/// What a CJK character weighs against a Latin one.
const CJK_WEIGHT: f64 = 3.0;
/// Unlinked text, in weighted characters, that makes a block a paragraph on its own.
const PARAGRAPH_CHARS: f64 = 80.0;
/// Shorter text is a paragraph when it has a sentence mark (`.`, `,`, `。`, `，`…).
const SENTENCE_CHARS: f64 = 25.0;
/// A block whose text is more than this share link text is a link list.
const LINK_LIST_DENSITY: f64 = 0.5;
/// What a link list costs per character.
const LINK_COST: f64 = 0.5;
/// What a short fragment (a label, a byline, a button) costs per character.
const FRAGMENT_COST: f64 = 0.5;
/// Below this score no subtree is clearly the story: the whole page is read.
const MIN_ROOT_SCORE: f64 = 100.0;
/// The share of the best subtree's score an element named as the story's body needs to be
/// chosen instead.
const NAMED_BODY_SHARE: f64 = 0.4;
/// The share of the best subtree's score an `<article>` needs to be chosen instead.
const ARTICLE_SHARE: f64 = 0.9;
/// The share of a page's text a story container needs to shield its ancestors from
/// boilerplate names (a comment is an `<article>` too).
const STORY_CONTAINER_SHARE: f64 = 0.25;
/// The share of a page's text an element named like boilerplate needs to be a wrapper of
/// the page rather than boilerplate.
const WRAPPER_SHARE: f64 = 0.5;
/// How many candidates `lede inspect` shows.
const SHOWN_CANDIDATES: usize = 5;

/// Where the story is on a page, and what inside it is still left out.
#[derive(Debug)]
pub(crate) struct MainContent {
    pub(crate) root: NodeId,
    /// Elements that are not text: page chrome, ad slots, boilerplate-named containers and
    /// link lists.
    pub(crate) boilerplate: HashMap<NodeId, Boilerplate>,
    /// The best-scoring subtrees, best first.
    pub(crate) candidates: Vec<Candidate>,
    /// The element read, CSS-like: the chosen candidate, or the container it stands in.
    pub(crate) read: String,
}

/// Why an element is not text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Boilerplate {
    /// An ad slot.
    Ad,
    /// Page chrome, furniture around the story, a link list.
    Chrome,
}

/// One subtree that could hold the story, as `lede inspect` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The element and its nearest ancestors, CSS-like: `body > div#main > article.post`.
    pub element: String,
    /// The subtree's score: paragraph text in, boilerplate out.
    pub score: f64,
    /// Weighted characters of text in the subtree (a CJK character counts three).
    pub text_chars: f64,
    /// Share of that text inside links.
    pub link_density: f64,
    /// Whether this subtree was chosen.
    pub chosen: bool,
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    chars: f64,
    link_chars: f64,
    sentence_marks: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.chars += other.chars;
        self.link_chars += other.link_chars;
        self.sentence_marks += other.sentence_marks;
    }

    fn count(&mut self, text: &str, in_link: bool) {
        // A link that shows its address is a reference the story cites, not navigation.
        let trimmed = text.trim_start();
        let in_link = in_link
            && !["http://", "https://", "www."]
                .iter()
                .any(|scheme| trimmed.starts_with(scheme));
        for c in text.chars() {
            if is_blank(c) {
                continue;
            }
            let weight = if cjk_class(c).is_some() {
                CJK_WEIGHT
            } else {
                1.0
            };
            self.chars += weight;
            if in_link {
                self.link_chars += weight;
            }
            if matches!(
                c,
                '.' | ',' | '!' | '?' | ';' | '。' | '，' | '、' | '！' | '？' | '；' | '．'
            ) {
                self.sentence_marks += 1;
            }
        }
    }

    fn link_density(&self) -> f64 {
        if self.chars > 0.0 {
            self.link_chars / self.chars
        } else {
            0.0
        }
    }
}

/// One open element during the scoring walk.
struct Frame {
    id: NodeId,
    block: bool,
    /// Inside page chrome or a boilerplate-named container (this element or an ancestor).
    boilerplate: bool,
    in_link: bool,
    /// An `<article>` or `<main>`, or inside one: a `<header>` or `<footer>` there is the
    /// story's own.
    in_story: bool,
    /// The number of blocks scored when this element opened.
    first_block: usize,
    container: Container,
    /// Text of this element not inside a nested block.
    own: Tally,
    /// Text of the whole subtree, once closed.
    total: Tally,
    score: f64,
}

/// Finds the main content of a whole page; `None` when no subtree stands out (a short page,
/// a list page), and the whole page is read.
pub(crate) fn find(html: &Html) -> Option<MainContent> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut skipping: Option<NodeId> = None;
    let mut boilerplate = HashMap::new();
    let shielded = shielded(html);
    let mut scored: Vec<Scored> = Vec::new();
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(text) => {
                        if let Some(frame) = stack.last_mut() {
                            let in_link = frame.in_link;
                            frame.own.count(text, in_link);
                        }
                    }
                    Node::Element(el) => {
                        let name = el.name();
                        if is_unseen(el) {
                            skipping = Some(node.id());
                            continue;
                        }
                        let words = name_words(el);
                        let parent = stack.last();
                        let in_story = parent.is_some_and(|p| p.in_story);
                        let named = if shielded.story.contains(&node.id()) {
                            None
                        } else {
                            boilerplate_by_tag(el, in_story).or_else(|| {
                                boilerplate_by_words(el, words)
                                    .filter(|_| !shielded.wrappers.contains(&node.id()))
                            })
                        };
                        if let Some(kind) = named {
                            boilerplate.insert(node.id(), kind);
                        }
                        stack.push(Frame {
                            id: node.id(),
                            // A table is one block, so a table of results scores as text.
                            block: is_block(name) && name != "tr",
                            boilerplate: named.is_some() || parent.is_some_and(|p| p.boilerplate),
                            in_link: (name == "a" && el.attr("href").is_some())
                                || parent.is_some_and(|p| p.in_link),
                            first_block: scored.len(),
                            in_story: matches!(name, "article" | "main")
                                || parent.is_some_and(|p| p.in_story),
                            container: if is_named_story_body(el, words) {
                                Container::NamedBody
                            } else if name == "article" {
                                Container::Article
                            } else {
                                Container::Other
                            },
                            own: Tally::default(),
                            total: Tally::default(),
                            score: 0.0,
                        });
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() || !matches!(node.value(), Node::Element(_)) {
                    continue;
                }
                let Some(mut frame) = stack.pop() else {
                    continue;
                };
                if frame.block {
                    let nested = frame.score;
                    frame.score += block_score(&frame.own, frame.boilerplate);
                    frame.total.add(frame.own);
                    if !frame.boilerplate
                        && nested <= 0.0
                        && frame.total.chars > 0.0
                        && frame.total.link_density() > LINK_LIST_DENSITY
                    {
                        boilerplate.insert(frame.id, Boilerplate::Chrome);
                    }
                    scored.push(Scored {
                        id: frame.id,
                        score: frame.score,
                        total: frame.total,
                        container: frame.container,
                        first_block: frame.first_block,
                    });
                }
                if let Some(parent) = stack.last_mut() {
                    if !frame.block {
                        parent.own.add(frame.own);
                    }
                    parent.total.add(frame.total);
                    parent.score += frame.score;
                }
            }
        }
    }
    // Post-order: a deeper subtree comes before its ancestors and keeps a tie.
    let best = best_of(scored.iter())?;
    if best.score < MIN_ROOT_SCORE {
        return None;
    }
    // An element named as the story's body is the story when it holds a good part of the
    // best subtree's score: what else scores there is teasers and comments, as a rule. So is
    // an `<article>` that holds nearly all of it (comments and cards are `<article>`s too,
    // but never hold that much) inside the best subtree.
    // In post-order a subtree's blocks are the ones from its first block up to itself.
    let best_at = scored
        .iter()
        .position(|s| std::ptr::eq(s, best))
        .unwrap_or(0);
    let inside_best = |at: usize| (best.first_block..best_at).contains(&at);
    let picked = best_of(
        scored
            .iter()
            .enumerate()
            .filter(|(at, s)| match s.container {
                Container::NamedBody => s.score >= NAMED_BODY_SHARE * best.score,
                Container::Article => s.score >= ARTICLE_SHARE * best.score && inside_best(*at),
                Container::Other => false,
            })
            .map(|(_, s)| s),
    )
    .unwrap_or(best)
    .id;
    let root = picked;
    // A paragraph is not a story: the best subtree is one when link lists sit between the
    // story's paragraphs; its container is the story, and the walk leaves the lists out.
    let root = html
        .tree
        .get(root)
        .and_then(|node| {
            std::iter::once(node).chain(node.ancestors()).find(|n| {
                n.value()
                    .as_element()
                    .is_some_and(|el| !is_text_block(el.name()))
            })
        })
        .map_or(root, |n| n.id());
    let mut order: Vec<&Scored> = scored.iter().filter(|s| s.id != picked).collect();
    order.sort_by(|a, b| b.score.total_cmp(&a.score));
    let candidates = scored
        .iter()
        .filter(|s| s.id == picked)
        .chain(order.into_iter().take(SHOWN_CANDIDATES - 1))
        .map(|s| Candidate {
            element: describe(html, s.id),
            score: (s.score * 10.0).round() / 10.0,
            text_chars: s.total.chars,
            link_density: (s.total.link_density() * 1000.0).round() / 1000.0,
            chosen: s.id == picked,
        })
        .collect();
    let read = if root == picked {
        describe(html, root)
    } else {
        format!(
            "{}, the container of the chosen {}",
            describe(html, root),
            describe(html, picked)
        )
    };
    Some(MainContent {
        root,
        boilerplate,
        candidates,
        read,
    })
}

/// Blocks that hold text, not other blocks.
fn is_text_block(name: &str) -> bool {
    is_heading(name)
        || matches!(
            name,
            "p" | "pre" | "blockquote" | "ul" | "ol" | "dl" | "table" | "figure" | "figcaption"
        )
}

/// A scored block.
struct Scored {
    id: NodeId,
    score: f64,
    total: Tally,
    /// Where this block's subtree starts in the post-order list of scored blocks.
    first_block: usize,
    container: Container,
}

/// What an element says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    /// Named as a story's body (`itemprop="articleBody"`, `entry-content`…).
    NamedBody,
    /// An `<article>`.
    Article,
    Other,
}

/// The highest score; the first of equals (the deepest, in post-order).
fn best_of<'a>(scored: impl Iterator<Item = &'a Scored>) -> Option<&'a Scored> {
    scored.fold(None, |best: Option<&Scored>, s| match best {
        Some(b) if b.score >= s.score => Some(b),
        _ => Some(s),
    })
}

/// Elements readers do not see: scripts and the like, hidden and screen-reader-only ones,
/// `<noscript>` fallbacks.
fn is_unseen(el: &scraper::node::Element) -> bool {
    el.name() == "noscript" || is_never_text(el.name()) || is_hidden(el) || is_visually_hidden(el)
}

/// What a block's own text adds to its subtree.
fn block_score(own: &Tally, in_boilerplate: bool) -> f64 {
    if own.chars == 0.0 {
        return 0.0;
    }
    let unlinked = own.chars - own.link_chars;
    if in_boilerplate {
        -own.chars
    } else if own.link_density() > LINK_LIST_DENSITY {
        -LINK_COST * own.chars
    } else if unlinked >= PARAGRAPH_CHARS || (unlinked >= SENTENCE_CHARS && own.sentence_marks > 0)
    {
        unlinked - own.link_chars
    } else {
        -FRAGMENT_COST * own.chars
    }
}

/// Named as the body of a story: `itemprop="articleBody"` or a class or id of the body
/// containers of common publishing systems.
fn is_named_story_body(el: &scraper::node::Element, words: NameWords) -> bool {
    words.story_body || el.attr("itemprop") == Some("articleBody")
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
struct NameWords {
    story_body: bool,
    unlikely: bool,
    maybe_content: bool,
}

/// All three lists searched at once, ignoring ASCII case: this runs for every element of
/// every whole page.
fn name_words(el: &scraper::node::Element) -> NameWords {
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

/// Elements shielded from boilerplate names.
#[derive(Default)]
struct Shielded {
    /// Story containers (`<article>`, `<main>`, a named story body) that hold a good share of
    /// the page's text, and their ancestors: never boilerplate by name (a page wrapped in
    /// `Page-ad-margins`, an `<aside>` left open around `<main>`, `<div id="share-btn"
    /// class="post-content">`).
    story: HashSet<NodeId>,
    /// Wrappers named like boilerplate that hold as much (`with-sidebar-layout`): not
    /// boilerplate by those words (a `<footer>` stays page chrome).
    wrappers: HashSet<NodeId>,
}

fn shielded(html: &Html) -> Shielded {
    // Each container's text is the page's text at its close minus at its open: one addition per
    // text node, however deeply containers nest.
    let mut containers: Vec<(NodeId, f64, bool)> = Vec::new();
    let mut open: Vec<(NodeId, f64, bool)> = Vec::new();
    let mut page = Tally::default();
    let mut skipping: Option<NodeId> = None;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(text) => {
                    let mut tally = Tally::default();
                    tally.count(text, false);
                    page.add(tally);
                }
                Node::Element(el) if is_unseen(el) => skipping = Some(node.id()),
                Node::Element(el) => {
                    let words = name_words(el);
                    let is_wrapper = boilerplate_by_words(el, words).is_some();
                    if is_wrapper
                        || matches!(el.name(), "article" | "main")
                        || is_named_story_body(el, words)
                    {
                        open.push((node.id(), page.chars, is_wrapper));
                    }
                }
                _ => {}
            },
            Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
            Edge::Close(node) if open.last().is_some_and(|(id, ..)| *id == node.id()) => {
                containers.extend(
                    open.pop()
                        .map(|(id, before, is_wrapper)| (id, page.chars - before, is_wrapper)),
                );
            }
            _ => {}
        }
    }
    let mut shielded = Shielded::default();
    for (id, chars, is_wrapper) in containers {
        let Some(node) = html.tree.get(id) else {
            continue;
        };
        let share = if is_wrapper {
            WRAPPER_SHARE
        } else {
            STORY_CONTAINER_SHARE
        };
        if chars < share * page.chars {
            continue;
        }
        if is_wrapper {
            shielded.wrappers.insert(id);
        } else {
            // The set holds every ancestor of what it holds: the first one known ends the climb.
            for ancestor in std::iter::once(node).chain(node.ancestors()) {
                if !shielded.story.insert(ancestor.id()) {
                    break;
                }
            }
        }
    }
    shielded
}

/// Boilerplate by tag, ARIA role or lede's own furniture words: whatever it holds.
/// `in_story`: inside `<article>` or `<main>`, where `<header>` and `<footer>` are the
/// story's own, not the page's.
fn boilerplate_by_tag(el: &scraper::node::Element, in_story: bool) -> Option<Boilerplate> {
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
    let role = el.attr("role").map(str::to_ascii_lowercase);
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
fn boilerplate_by_words(el: &scraper::node::Element, words: NameWords) -> Option<Boilerplate> {
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

/// `body > div#main > article.post`: the element and up to two ancestors.
fn describe(html: &Html, id: NodeId) -> String {
    let Some(node) = html.tree.get(id) else {
        return String::new();
    };
    let mut parts: Vec<String> = std::iter::once(node)
        .chain(node.ancestors())
        .filter_map(|n| n.value().as_element())
        .take(3)
        .map(|el| {
            let mut part = el.name().to_owned();
            if let Some(id) = el.id() {
                part.push('#');
                part.push_str(id);
            }
            for class in el.classes().take(2) {
                part.push('.');
                part.push_str(class);
            }
            part
        })
        .collect();
    parts.reverse();
    parts.join(" > ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_text(page: &str) -> Option<String> {
        let html = Html::parse_document(page);
        let found = find(&html)?;
        let root = scraper::ElementRef::wrap(html.tree.get(found.root)?)?;
        Some(root.value().id().unwrap_or(root.value().name()).to_owned())
    }

    const PARAGRAPH: &str = "<p>The council voted on Tuesday to close the old bridge, which has carried traffic over the river since 1921, after engineers found cracks in two of its piers.</p>";
    const ZH_PARAGRAPH: &str = "<p>市政府周二宣布，这座自一九二一年以来承载过河交通的老桥将关闭，工程师在两个桥墩上发现了裂缝。</p>";

    fn page(story: &str) -> String {
        format!(
            "<html><body><div id=\"nav\"><ul><li><a href=\"/\">Home</a></li><li><a href=\"/news\">News</a></li><li><a href=\"/sport\">Sport</a></li></ul></div>\
             <div id=\"wrap\"><div id=\"story\">{story}</div>\
             <div class=\"sidebar\"><p>Most read: a long list of other stories, each one with a headline.</p></div></div>\
             <div id=\"foot\"><a href=\"/about\">About us</a> <a href=\"/privacy\">Privacy</a> Copyright 2024</div></body></html>"
        )
    }

    #[test]
    fn the_story_container_wins_over_the_page_around_it() {
        let story = PARAGRAPH.repeat(3);
        assert_eq!(root_text(&page(&story)).as_deref(), Some("story"));
        let zh = ZH_PARAGRAPH.repeat(3);
        assert_eq!(root_text(&page(&zh)).as_deref(), Some("story"));
    }

    #[test]
    fn a_page_with_too_little_text_has_no_main_content() {
        assert_eq!(root_text(&page("<p>Short note.</p>")), None);
    }

    #[test]
    fn link_lists_inside_the_story_are_boilerplate() {
        let story = format!(
            "{p}<ul id=\"more\"><li><a href=\"/a\">Another story about bridges</a></li><li><a href=\"/b\">And one about roads</a></li></ul>{p}",
            p = PARAGRAPH.repeat(2)
        );
        let html = Html::parse_document(&page(&story));
        let found = find(&html).unwrap();
        let more = html
            .select(&scraper::Selector::parse("#more").unwrap())
            .next()
            .unwrap();
        assert_eq!(
            found.boilerplate.get(&more.id()),
            Some(&Boilerplate::Chrome)
        );
        assert_eq!(found.candidates.len(), SHOWN_CANDIDATES);
        assert!(found.candidates[0].chosen);
        assert!(found.candidates[0].element.ends_with("div#story"));
    }

    #[test]
    fn comments_do_not_outweigh_the_story() {
        let comments = "<p>I completely disagree with the council, this bridge is a landmark and should be repaired, not closed.</p>".repeat(6);
        let story = format!(
            "<div id=\"body\">{}</div><div id=\"comments\">{comments}</div>",
            PARAGRAPH.repeat(2)
        );
        assert_eq!(root_text(&page(&story)).as_deref(), Some("body"));
    }

    #[test]
    fn a_story_split_into_sections_is_taken_whole() {
        let story = format!(
            "<section id=\"intro\">{p}</section><div class=\"ad-slot\">Advertisement</div><section id=\"rest\">{p}{p}</section>",
            p = PARAGRAPH
        );
        assert_eq!(root_text(&page(&story)).as_deref(), Some("story"));
    }

    #[test]
    fn a_chinese_portal_keeps_its_story_and_drops_related_links() {
        let related: String = (0..12)
            .map(|i| {
                format!("<li><a href=\"/n/{i}\">市政府就老桥关闭问题召开第{i}次新闻发布会</a></li>")
            })
            .collect();
        let story = format!(
            "<div id=\"article\">{zh}{zh}<ul id=\"xiangguan\">{related}</ul></div>",
            zh = ZH_PARAGRAPH
        );
        let html = Html::parse_document(&page(&story));
        let found = find(&html).unwrap();
        let root = scraper::ElementRef::wrap(html.tree.get(found.root).unwrap()).unwrap();
        assert_eq!(root.value().id(), Some("article"));
        let list = html
            .select(&scraper::Selector::parse("#xiangguan").unwrap())
            .next()
            .unwrap();
        assert_eq!(
            found.boilerplate.get(&list.id()),
            Some(&Boilerplate::Chrome)
        );
    }

    #[test]
    fn a_named_story_body_wins_over_teasers_beside_it() {
        let teasers = "<div class=\"teaser\"><a href=\"/x\">Another story</a><p>Residents of the east bank say the detour adds forty minutes to their daily drive, and shops report fewer customers.</p></div>".repeat(4);
        let story = format!(
            "<div id=\"col\"><div id=\"text\" class=\"entry-content\">{}</div>{teasers}</div>",
            PARAGRAPH.repeat(3)
        );
        assert_eq!(root_text(&page(&story)).as_deref(), Some("text"));
    }

    #[test]
    fn a_wrapper_named_like_a_sidebar_layout_is_not_boilerplate() {
        let story = format!(
            "<div id=\"layout\" class=\"with-sidebar-layout\"><div id=\"inner\">{}</div></div>",
            PARAGRAPH.repeat(3)
        );
        assert_eq!(root_text(&page(&story)).as_deref(), Some("inner"));
    }
}
