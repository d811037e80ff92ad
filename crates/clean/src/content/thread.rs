//! A thread of posts — a forum topic, a guestbook — is a run of containers of one shape: the
//! opening post, then the replies. When the best-scoring subtree is such a run and the first
//! post holds by far the most text, the first post is the story and the replies are not.

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{Html, Node};

use super::{Scored, best_of};
use crate::dates;
use crate::elements::is_heading;
use jiff::tz::TimeZone;

/// The fewest posts of one shape that make a thread.
const MIN_POSTS: usize = 3;
/// How many times the best of the other posts the opening post must score: a thread's first
/// post is its story, a run of like sections of one story is not a thread.
const OPENING_LEAD: f64 = 2.0;
/// The least share of the best subtree's score the opening post holds: a thread's story is
/// a good part of the page, not a caption that heads a run of cards.
const OPENING_SHARE: f64 = 0.3;
/// The least share of it the whole run holds: the posts are what the subtree is made of.
const THREAD_SHARE: f64 = 0.5;
/// How many of a post's first texts are read for the time it was posted.
const MAX_POST_TEXTS: usize = 64;
/// The longest of those texts read, in bytes: a header line, not the post.
const MAX_DATE_TEXT_BYTES: usize = 200;
/// How far below the best subtree the run of posts is looked for (a thread sits in a wrapper
/// or two).
const MAX_DEPTH: usize = 4;

/// The best subtree inside a thread's opening post, when `best` holds a thread.
pub(super) fn opening_post<'a>(
    html: &Html,
    scored: &'a [Scored],
    best: &'a Scored,
) -> Option<&'a Scored> {
    let at: HashMap<NodeId, usize> = scored
        .iter()
        .enumerate()
        .map(|(at, s)| (s.id, at))
        .collect();
    let mut node = html.tree.get(best.id)?;
    for _ in 0..MAX_DEPTH {
        let children: Vec<(NodeRef<'_, Node>, &Scored)> = block_children(node, &at)
            .into_iter()
            .map(|(child, i)| (child, &scored[i]))
            .collect();
        // A post carries the board's chrome — who wrote it, buttons —, blocks that score below
        // nothing and are not headings, or is a table or a row of one (a board's poster
        // beside post); and it says when it was posted. A section of a story does neither.
        let is_post = |post: &Scored| {
            let Some(post_node) = html.tree.get(post.id) else {
                return false;
            };
            let is_table = post_node
                .value()
                .as_element()
                .is_some_and(|el| matches!(el.name(), "table" | "tr"));
            let chrome = is_table
                || at.get(&post.id).is_some_and(|&end| {
                    scored[post.first_block..end].iter().any(|block| {
                        block.score < 0.0
                            && html
                                .tree
                                .get(block.id)
                                .and_then(|n| n.value().as_element())
                                .is_some_and(|el| !is_heading(el.name()))
                    })
                });
            chrome && is_dated(post_node)
        };
        if let Some(post) = thread_opening(&children, best.score, is_post) {
            let post_at = at.get(&post.id).copied()?;
            return best_of(scored[post.first_block..=post_at].iter());
        }
        // Down into the child that holds the most.
        let (child, _) = children
            .iter()
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score))?;
        node = *child;
    }
    None
}

/// Whether one of the first short texts of `post` is a date (`发表于：2006-3-2 20:15:33`,
/// `發表於: 2005-11-02 14:22`, `Posted on March 3, 2024`).
fn is_dated(post: NodeRef<'_, Node>) -> bool {
    post.descendants()
        .filter_map(|n| n.value().as_text())
        .map(|t| t.trim())
        .filter(|t| !t.is_empty() && t.len() <= MAX_DATE_TEXT_BYTES)
        .take(MAX_POST_TEXTS)
        .any(|t| {
            dates::labeled_date(t, &TimeZone::UTC)
                .or_else(|| dates::find_in_text(t, &TimeZone::UTC))
                .is_some()
        })
}

/// The nearest scored blocks under `node`, in document order, looking through elements that
/// are not blocks (`<tbody>`, `<span>`, `<form>`).
fn block_children<'a>(
    node: NodeRef<'a, Node>,
    at: &HashMap<NodeId, usize>,
) -> Vec<(NodeRef<'a, Node>, usize)> {
    let mut found = Vec::new();
    let mut pending: Vec<NodeRef<'a, Node>> = node.children().rev().collect();
    while let Some(child) = pending.pop() {
        match at.get(&child.id()) {
            Some(&i) => found.push((child, i)),
            None if child.value().is_element() => pending.extend(child.children().rev()),
            None => {}
        }
    }
    found
}

/// The first of a run of at least [`MIN_POSTS`] siblings of one shape that are all posts,
/// when it scores [`OPENING_LEAD`] times the best of the others and the run and its first post
/// hold their shares of `page` (the best subtree's score).
fn thread_opening<'a>(
    children: &[(NodeRef<'_, Node>, &'a Scored)],
    page: f64,
    is_post: impl Fn(&Scored) -> bool,
) -> Option<&'a Scored> {
    // Runs in the order they start, so that the first run that qualifies is the one taken.
    let mut runs: Vec<(String, Vec<&Scored>)> = Vec::new();
    for (child, scored) in children {
        let Some(shape) = shape(*child) else {
            continue;
        };
        match runs.iter_mut().find(|(s, _)| *s == shape) {
            Some((_, posts)) => posts.push(scored),
            None => runs.push((shape, vec![scored])),
        }
    }
    // Members that score nothing are not posts: a header row, a row of buttons, a spacer.
    runs.into_iter()
        .map(|(_, run)| {
            run.into_iter()
                .filter(|p| p.score > 0.0)
                .collect::<Vec<_>>()
        })
        .filter(|posts| posts.len() >= MIN_POSTS)
        .find_map(|posts| {
            let (first, replies) = posts.split_first()?;
            let best_reply = replies.iter().map(|r| r.score).fold(0.0, f64::max);
            let run: f64 = posts.iter().map(|p| p.score).sum();
            (first.score >= OPENING_SHARE * page
                && run >= THREAD_SHARE * page
                && first.score >= OPENING_LEAD * best_reply
                && posts.iter().all(|p| is_post(p)))
            .then_some(*first)
        })
}

/// A container's shape: its tag and attributes but its id and name (`<div id="post_123">`,
/// `<table class="t_msg" width="98%">`), which a site's template repeats for every post.
/// Paragraphs, headings, lists and quotes are a story's own blocks, and `<section>`s its
/// parts: never posts.
fn shape(node: NodeRef<'_, Node>) -> Option<String> {
    let el = node.value().as_element()?;
    if !matches!(el.name(), "div" | "table" | "tr" | "li") {
        return None;
    }
    let mut attrs: Vec<(&str, &str)> = el
        .attrs()
        .filter(|(name, _)| !matches!(*name, "id" | "name"))
        .collect();
    attrs.sort_unstable();
    Some(format!("{}{attrs:?}", el.name()))
}
