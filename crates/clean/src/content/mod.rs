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

use std::collections::HashMap;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use lede_record::chars;
use scraper::{Html, Node};
use serde::Serialize;

use crate::elements::{
    attr, is_block, is_cell, is_heading, is_hidden, is_never_text, is_visually_hidden,
};
use crate::tables::Tables;
use crate::text::{self, is_blank};

use first_pass::first_pass;
use names::{boilerplate_by_tag, boilerplate_by_words, is_named_story_body, name_words};

mod first_pass;
mod names;
#[cfg(test)]
mod tests;
mod thread;

/// What a CJK character weighs against a Latin one (the weight every page rule shares).
const CJK_WEIGHT: f64 = text::CJK_WEIGHT as f64;
/// Unlinked text, in weighted characters, that makes a block a paragraph on its own.
const PARAGRAPH_CHARS: f64 = 80.0;
/// Shorter text is a paragraph when it has a sentence mark (`.`, `,`, `。`, `，`…).
const SENTENCE_CHARS: f64 = 25.0;
/// A block whose text is more than this share link text is a link list.
const LINK_LIST_DENSITY: f64 = 0.5;
/// The longest item of a menu written as text, in weighted characters (ten CJK ones).
const MENU_ITEM_CHARS: f64 = 30.0;
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
    /// Text of the page's template (see `FirstPass::repeated`), not in links: it counts against
    /// a block as link text does, but does not make the block a link list.
    template_chars: f64,
    /// Weighted characters of CJK text.
    cjk_chars: f64,
    /// `|` separators: menus written as text (`新浪简介 | About Sina | 广告服务`).
    bars: u32,
    sentence_marks: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.chars += other.chars;
        self.link_chars += other.link_chars;
        self.template_chars += other.template_chars;
        self.cjk_chars += other.cjk_chars;
        self.bars += other.bars;
        self.sentence_marks += other.sentence_marks;
    }

    fn count(&mut self, text: &str, in_link: bool) {
        // A link that shows its address is a reference the story cites, not navigation.
        let trimmed = text.trim_start();
        let in_link = in_link
            && !["http://", "https://", "www."]
                .iter()
                .any(|scheme| trimmed.starts_with(scheme));
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if is_blank(c) {
                continue;
            }
            let weight = if chars::cjk(c).is_some() {
                self.cjk_chars += CJK_WEIGHT;
                CJK_WEIGHT
            } else {
                1.0
            };
            self.chars += weight;
            if in_link {
                self.link_chars += weight;
            }
            if matches!(c, '|' | '｜') {
                self.bars += 1;
            }
            // `5.0`, `1,000`: a number's, not a sentence's.
            let in_number =
                matches!(c, '.' | ',') && chars.peek().is_some_and(char::is_ascii_digit);
            if !in_number
                && matches!(
                    c,
                    '.' | ',' | '!' | '?' | ';' | '。' | '，' | '、' | '！' | '？' | '；' | '．'
                )
            {
                self.sentence_marks += 1;
            }
        }
    }

    /// Counts template text: in `chars` and `template_chars`.
    fn count_template(&mut self, text: &str) {
        let mut tally = Tally::default();
        tally.count(text, false);
        tally.template_chars = tally.chars;
        self.add(tally);
    }

    /// A menu written as text: three items or more between `|`s, each short.
    fn is_menu(&self) -> bool {
        self.bars >= 2 && self.chars <= MENU_ITEM_CHARS * f64::from(self.bars + 1)
    }

    /// Chinese or Japanese prose of a paragraph's length always has a comma or a full stop:
    /// CJK text without one (`主办：… 地址：… 电话：…`) is labels, not a paragraph.
    fn mostly_cjk(&self) -> bool {
        self.cjk_chars * 2.0 > self.chars
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
pub(crate) fn find(html: &Html, tables: &mut Tables) -> Option<MainContent> {
    let mut stack: Vec<Frame> = Vec::new();
    // The open tables, innermost last, and whether each lays the page out: a layout table's
    // cells are blocks, a table of data is one.
    let mut open_tables: Vec<bool> = Vec::new();
    let mut skipping: Option<NodeId> = None;
    let mut boilerplate = HashMap::new();
    let first = first_pass(html);
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
                            if !in_link && first.is_template(text) {
                                frame.own.count_template(text);
                            } else {
                                frame.own.count(text, in_link);
                            }
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
                        let named = if first.story.contains(&node.id()) {
                            None
                        } else {
                            boilerplate_by_tag(el, in_story).or_else(|| {
                                boilerplate_by_words(el, words)
                                    .filter(|_| !first.wrappers.contains(&node.id()))
                            })
                        };
                        if let Some(kind) = named {
                            boilerplate.insert(node.id(), kind);
                        }
                        if name == "table" {
                            open_tables.push(tables.is_layout(node));
                        }
                        let in_layout_table = open_tables.last() == Some(&true);
                        stack.push(Frame {
                            id: node.id(),
                            // A table of data is one block, so a table of results scores as
                            // text; a layout table's cells are blocks.
                            block: (is_block(name) && (name != "tr" || in_layout_table))
                                || (is_cell(name) && in_layout_table),
                            boilerplate: named.is_some() || parent.is_some_and(|p| p.boilerplate),
                            in_link: (name == "a" && attr(el, "href").is_some())
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
                if node
                    .value()
                    .as_element()
                    .is_some_and(|el| el.name() == "table")
                {
                    open_tables.pop();
                }
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
    let best = thread::opening_post(html, &scored, best).unwrap_or(best);
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
                n.value().as_element().is_some_and(|el| {
                    !is_text_block(el.name()) || (el.name() == "table" && tables.is_layout(*n))
                })
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
    let unlinked = own.chars - own.link_chars - own.template_chars;
    if in_boilerplate {
        -own.chars
    } else if own.link_density() > LINK_LIST_DENSITY || own.is_menu() {
        -LINK_COST * own.chars
    } else if (unlinked >= PARAGRAPH_CHARS && (own.sentence_marks > 0 || !own.mostly_cjk()))
        || (unlinked >= SENTENCE_CHARS && own.sentence_marks > 0)
    {
        unlinked - own.link_chars - own.template_chars
    } else {
        -FRAGMENT_COST * own.chars
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
