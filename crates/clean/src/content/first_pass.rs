//! The pass over a whole page before scoring: which containers hold enough of its text to be
//! shielded from boilerplate names, and which short texts it repeats as its template.

use std::collections::{HashMap, HashSet};

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};
use xxhash_rust::xxh3::Xxh3Builder;

use super::names::{boilerplate_by_words, is_named_story_body, name_words};
use super::{STORY_CONTAINER_SHARE, Tally, WRAPPER_SHARE, is_unseen};

/// How often a short text must recur on a page to be the site's template.
const TEMPLATE_REPEATS: usize = 3;
/// The least weighted characters of such a text: four CJK characters, a few words (`Reply`,
/// a date, a number are not template).
const MIN_TEMPLATE_CHARS: f64 = 12.0;
/// The longest such text, in bytes: a line, not a paragraph.
const MAX_TEMPLATE_BYTES: usize = 200;

/// What a first pass over the page finds: elements shielded from boilerplate names, and the
/// page's template text.
#[derive(Default)]
pub(super) struct FirstPass<'a> {
    /// Short texts the page repeats [`TEMPLATE_REPEATS`] times or more — a forum's
    /// `只看该作者` and signature under every post, `Reply · Report` under every comment: the
    /// site's template, weighed like link text.
    pub(super) repeated: HashSet<&'a str, Xxh3Builder>,
    /// Story containers (`<article>`, `<main>`, a named story body) that hold a good share of
    /// the page's text, and their ancestors: never boilerplate by name (a page wrapped in
    /// `Page-ad-margins`, an `<aside>` left open around `<main>`, `<div id="share-btn"
    /// class="post-content">`).
    pub(super) story: HashSet<NodeId>,
    /// Wrappers named like boilerplate that hold as much (`with-sidebar-layout`): not
    /// boilerplate by those words (a `<footer>` stays page chrome).
    pub(super) wrappers: HashSet<NodeId>,
}

impl FirstPass<'_> {
    /// Whether `text` is the page's template.
    pub(super) fn is_template(&self, text: &str) -> bool {
        let trimmed = text.trim();
        !self.repeated.is_empty()
            && trimmed.len() <= MAX_TEMPLATE_BYTES
            && self.repeated.contains(trimmed)
    }
}

pub(super) fn first_pass(html: &Html) -> FirstPass<'_> {
    // Each container's text is the page's text at its close minus at its open: one addition per
    // text node, however deeply containers nest.
    let mut containers: Vec<(NodeId, f64, bool)> = Vec::new();
    let mut open: Vec<(NodeId, f64, bool)> = Vec::new();
    let mut page = Tally::default();
    let mut skipping: Option<NodeId> = None;
    // xxh3, not SipHash: this counts every short text of every whole page.
    let mut texts: HashMap<&str, usize, Xxh3Builder> = HashMap::default();
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(text) => {
                    let mut tally = Tally::default();
                    tally.count(text, false);
                    page.add(tally);
                    let trimmed = text.trim();
                    if tally.chars >= MIN_TEMPLATE_CHARS && trimmed.len() <= MAX_TEMPLATE_BYTES {
                        *texts.entry(trimmed).or_default() += 1;
                    }
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
    let mut found = FirstPass {
        repeated: texts
            .into_iter()
            .filter(|&(_, n)| n >= TEMPLATE_REPEATS)
            .map(|(text, _)| text)
            .collect(),
        ..FirstPass::default()
    };
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
            found.wrappers.insert(id);
        } else {
            // The set holds every ancestor of what it holds: the first one known ends the climb.
            for ancestor in std::iter::once(node).chain(node.ancestors()) {
                if !found.story.insert(ancestor.id()) {
                    break;
                }
            }
        }
    }
    found
}
