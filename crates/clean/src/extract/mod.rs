//! DOM → paragraphs, images and links, skipping what is not article text: scripts and styles,
//! hidden elements, ad slots, subscription promos, and page chrome around a whole page.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Node, Selector};
use url::Url;

use crate::content::{self, Boilerplate};
use crate::elements::{
    CaptionKind, MAX_CENTERED_CAPTION_CHARS, MAX_SUBSCRIBE_HEADING_CHARS, attr, caption_kind,
    is_ad, is_block, is_cell, is_document_root, is_furniture, is_heading, is_hidden, is_never_text,
    is_page_chrome, is_visually_hidden,
};
use crate::page::{PageMeta, page_meta};
use crate::rules::{Applied, SiteRule};
use crate::tables::Tables;
use crate::text::{CallToAction, Paragraphs, call_to_action, fold_blanks, is_blank, same_words};
use crate::url::{canonical, leads_away};
use lede_record::{DroppedImages, Image, Link};

mod images;

/// What the body holds.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub(crate) paragraphs: Vec<String>,
    /// Per paragraph: it held a promotion link that was left out.
    pub(crate) held_promotion: Vec<bool>,
    pub(crate) images: Vec<Image>,
    pub(crate) dropped_images: DroppedImages,
    pub(crate) links: Vec<Link>,
    /// The body's opening heading, when it comes before any paragraph.
    pub(crate) leading_heading: Option<LeadingHeading>,
    pub(crate) page: PageMeta,
}

/// A heading that opens the body: the headline, when front matter has none.
#[derive(Debug, PartialEq)]
pub(crate) struct LeadingHeading {
    pub(crate) text: String,
    /// The target when the heading is one link (`[Title](https://…)`): the article URL.
    pub(crate) link: Option<String>,
}

/// Why an element's subtree is left out.
#[derive(Debug, Clone, Copy)]
enum Skip {
    /// `<noscript>`: its text speaks to readers without JavaScript, but its images are often
    /// the only copy of a lazy-loaded image, so they are kept.
    Noscript,
    Hidden,
    Ad,
    PageChrome,
}

/// Who an article is from, for choosing its site rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin<'a> {
    pub(crate) source_path: &'a str,
    pub(crate) author: Option<&'a str>,
    /// The zone a page's naive dates are read in.
    pub(crate) timezone: &'a TimeZone,
    /// The address a crawler fetched the page from, if it was archived.
    pub(crate) fetched_from: Option<&'a str>,
}

pub(crate) fn extract(
    html: &scraper::Html,
    base: Option<&Url>,
    is_full_page: bool,
    rules: &[SiteRule],
    origin: Origin<'_>,
) -> Extracted {
    let page = if is_full_page {
        page_meta(html, origin.timezone)
    } else {
        PageMeta::default()
    };
    // Relative URLs resolve against the page's <base href>, else the article URL (front matter,
    // else the page's canonical URL, else where a crawler fetched it), else a site rule's base
    // URL.
    let article_url = base.cloned().or_else(|| {
        page.canonical_url
            .as_deref()
            .or(origin.fetched_from)
            .and_then(|u| Url::parse(u).ok())
    });
    let applied = Applied::of(
        rules,
        article_url.as_ref().and_then(Url::host_str),
        origin.source_path,
        origin.author,
    );
    let base = page
        .base_href
        .as_deref()
        .and_then(|u| Url::parse(u).ok())
        .or(article_url)
        .or_else(|| applied.base_url().cloned());
    // A site rule's content root wins; else, on a whole page, the main content scoring's.
    let mut tables = Tables::default();
    let main_content = (is_full_page && applied.content().is_none())
        .then(|| content::find(html, &mut tables))
        .flatten();
    let roots = match &main_content {
        Some(found) => html.tree.get(found.root).into_iter().collect(),
        None => content_roots(html, applied.content()),
    };
    let mut walker = Walker {
        boilerplate: main_content.map(|found| found.boilerplate),
        applied,
        base: base.as_ref(),
        is_full_page,
        text: Paragraphs::default(),
        images: Vec::new(),
        image_index: HashMap::new(),
        dropped_images: DroppedImages::default(),
        links: Vec::new(),
        open_link: None,
        pre_depth: 0,
        tables,
        open_tables: Vec::new(),
        awaiting_caption: None,
        caption: None,
        credits: Vec::new(),
        in_subscribe_section: false,
        paragraphs_before_heading: 0,
        noscript_parent: None,
        last_image_ancestors: Vec::new(),
        heading: None,
        leading_heading: None,
    };
    for root in roots {
        walker.walk(root);
    }
    for (index, credit) in walker.credits {
        let caption = &mut walker.images[index].caption;
        *caption = Some(match caption.take() {
            Some(caption) => format!("{caption} ({credit})"),
            None => credit,
        });
    }
    let (paragraphs, held_promotion) = walker.text.finish_with_marks();
    Extracted {
        paragraphs,
        held_promotion,
        images: walker.images,
        dropped_images: walker.dropped_images,
        links: walker.links,
        leading_heading: walker.leading_heading,
        page,
    }
}

/// Where the walk starts: the elements a site rule's content selector picks (outermost ones
/// only), or the whole document when there is no such rule or it matches nothing.
fn content_roots<'a>(
    html: &'a scraper::Html,
    content: Option<&Selector>,
) -> Vec<ego_tree::NodeRef<'a, Node>> {
    let picked: Vec<ego_tree::NodeRef<'a, Node>> = content
        .map(|selector| html.select(selector).map(|e| *e).collect())
        .unwrap_or_default();
    // One pass over the document, not an ancestor walk per pick: picks nested 10,000 deep
    // stay linear.
    let picked: std::collections::HashSet<ego_tree::NodeId> =
        picked.iter().map(|p| p.id()).collect();
    let mut outermost = Vec::new();
    let mut inside: Option<ego_tree::NodeId> = None;
    if !picked.is_empty() {
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) if inside.is_none() && picked.contains(&node.id()) => {
                    inside = Some(node.id());
                    outermost.push(node);
                }
                Edge::Close(node) if inside == Some(node.id()) => inside = None,
                _ => {}
            }
        }
    }
    if outermost.is_empty() {
        vec![html.tree.root()]
    } else {
        outermost
    }
}

/// A caption being read: the element, the image it describes and its text so far.
struct OpenCaption {
    node: ego_tree::NodeId,
    kind: CaptionKind,
    image: usize,
    text: String,
}

struct Walker<'a> {
    applied: Applied<'a>,
    /// On a whole page where main content scoring found the story: what it found is not text.
    boilerplate: Option<HashMap<ego_tree::NodeId, Boilerplate>>,
    base: Option<&'a Url>,
    is_full_page: bool,
    text: Paragraphs,
    images: Vec<Image>,
    /// The index of each image of `images` by URL: a repeat is found without a scan, so a
    /// page of 100,000 images takes 100,000 steps, not 5 billion.
    image_index: HashMap<String, usize>,
    dropped_images: DroppedImages,
    links: Vec<Link>,
    /// The outermost open `<a>`: its node, target and anchor text so far.
    open_link: Option<(ego_tree::NodeId, String, String)>,
    pre_depth: usize,
    /// Which tables lay the page out, and the open tables, innermost last: whether each one
    /// does. Inside a table of data a row is a line; a layout table's cells are blocks.
    tables: Tables,
    open_tables: Vec<bool>,
    /// The last image, while no text has followed it: a caption block may still describe it.
    awaiting_caption: Option<usize>,
    caption: Option<OpenCaption>,
    /// The parent of the `<noscript>` being read, and the nearest ancestors of the last image:
    /// a fallback image in the same container as the image before it is that image's original.
    noscript_parent: Option<ego_tree::NodeId>,
    last_image_ancestors: Vec<ego_tree::NodeId>,
    /// Under a "Subscribe" heading, up to the next heading: how to follow the site, not text.
    in_subscribe_section: bool,
    /// Finished paragraphs when the last heading opened: the heading's own is the next one.
    paragraphs_before_heading: usize,
    /// Photo credits by image index, added to the captions at the end.
    credits: Vec<(usize, String)>,
    /// A heading that opened before any paragraph: its node and the links seen before it.
    heading: Option<(ego_tree::NodeId, usize)>,
    leading_heading: Option<LeadingHeading>,
}

impl Walker<'_> {
    /// Iterative (open/close edges), so 100k-deep documents cannot overflow the stack.
    fn walk(&mut self, root: ego_tree::NodeRef<'_, Node>) {
        let mut skipping: Option<(ego_tree::NodeId, Skip)> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if let Some((_, why)) = skipping {
                        if let Node::Element(el) = node.value()
                            && el.name() == "img"
                        {
                            match why {
                                Skip::Noscript => self.noscript_image(node, el),
                                _ => self.count_skipped_image(why),
                            }
                        }
                        continue;
                    }
                    match node.value() {
                        Node::Text(text) => self.push_text(text),
                        Node::Element(el) => {
                            // A link's target, made canonical once: it says both whether the
                            // link is a promotion and where it points.
                            let target = (el.name() == "a")
                                .then(|| attr(el, "href").and_then(|h| canonical(h, self.base)))
                                .flatten();
                            if let Some(why) = self.skips(node, el, target.as_deref()) {
                                match (el.name(), why) {
                                    ("img", _) => self.count_skipped_image(why),
                                    ("a", Skip::Ad) => self.text.mark(),
                                    _ => {}
                                }
                                if matches!(why, Skip::Noscript) {
                                    self.noscript_parent = node.parent().map(|p| p.id());
                                }
                                skipping = Some((node.id(), why));
                            } else {
                                self.open(node, el, target);
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skipping.is_some_and(|(id, _)| id == node.id()) {
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

    /// Why `el` is left out, if it is; `target` is its canonical link target (`<a>` only).
    fn skips(
        &self,
        node: ego_tree::NodeRef<'_, Node>,
        el: &scraper::node::Element,
        target: Option<&str>,
    ) -> Option<Skip> {
        let name = el.name();
        if ElementRef::wrap(node).is_some_and(|e| self.applied.drops(e)) {
            Some(Skip::Hidden)
        } else if name == "noscript" {
            Some(Skip::Noscript)
        } else if is_never_text(name) || is_hidden(el) || is_visually_hidden(el) {
            Some(Skip::Hidden)
        } else if let Some(kind) = self.named_boilerplate(node, el) {
            Some(match kind {
                Boilerplate::Ad => Skip::Ad,
                Boilerplate::Chrome => Skip::PageChrome,
            })
        } else if target.is_some_and(leads_away) {
            Some(Skip::Ad)
        } else {
            None
        }
    }

    /// Boilerplate by name, tag or link density: main content scoring decides on a whole page
    /// where it found the story; elsewhere the names alone do.
    fn named_boilerplate(
        &self,
        node: ego_tree::NodeRef<'_, Node>,
        el: &scraper::node::Element,
    ) -> Option<Boilerplate> {
        if let Some(found) = &self.boilerplate {
            return found.get(&node.id()).copied();
        }
        let name = el.name();
        if (self.is_full_page && is_page_chrome(name))
            || (!is_document_root(name) && is_furniture(el))
        {
            Some(Boilerplate::Chrome)
        } else if !is_document_root(name) && is_ad(el) {
            Some(Boilerplate::Ad)
        } else {
            None
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some((_, _, anchor)) = self.open_link.as_mut() {
            anchor.push_str(text);
        }
        if let Some(caption) = self.caption.as_mut() {
            caption.text.push_str(text);
            return;
        }
        if self.in_subscribe_section {
            return;
        }
        if self.pre_depth > 0 {
            self.text.push_preformatted(text);
        } else {
            self.text.push_text(text);
        }
        if !text.chars().all(is_blank) {
            self.awaiting_caption = None;
        }
    }

    /// A boundary inside a paragraph-like unit: a space while reading a caption.
    fn break_with(&mut self, paragraphs: impl FnOnce(&mut Paragraphs)) {
        match self.caption.as_mut() {
            Some(caption) => caption.text.push(' '),
            None => paragraphs(&mut self.text),
        }
    }

    fn open(
        &mut self,
        node: ego_tree::NodeRef<'_, Node>,
        el: &scraper::node::Element,
        target: Option<String>,
    ) {
        let id = node.id();
        let name = el.name();
        if self.caption.is_none()
            && let Some(image) = self.awaiting_caption
            && let Some(kind) = caption_kind(el)
        {
            self.text.end_paragraph();
            self.caption = Some(OpenCaption {
                node: id,
                kind,
                image,
                text: String::new(),
            });
            return;
        }
        let in_data_table = self.in_data_table();
        match name {
            // A list is one paragraph with an item per line, a table one with a row per line.
            "li" => self.break_with(Paragraphs::line_break),
            "tr" if in_data_table => self.break_with(Paragraphs::line_break),
            // Two line breaks in a row end a paragraph, as they end one on screen.
            "br" if in_data_table || self.pre_depth > 0 => {
                self.break_with(Paragraphs::line_break);
            }
            "br" => self.break_with(Paragraphs::line_break_or_end),
            "td" | "th" if in_data_table => self.break_with(Paragraphs::cell_break),
            "pre" => self.pre_depth += 1,
            "table" => {
                let layout = self.tables.is_layout(node);
                self.open_tables.push(layout);
            }
            "img" => self.image(el, node),
            "a" if self.open_link.is_none() => {
                if let Some(url) = target {
                    self.open_link = Some((id, url, String::new()));
                }
            }
            "h1" | "h2" | "h3" if self.heading.is_none() && self.text.is_empty() => {
                self.heading = Some((id, self.links.len()));
            }
            _ => {}
        }
        if is_heading(name) {
            self.in_subscribe_section = false;
            self.paragraphs_before_heading = self.text.count();
        }
        if is_block(name) || is_cell(name) {
            self.block_boundary(name);
        }
    }

    /// Whether the innermost open table is one of data.
    fn in_data_table(&self) -> bool {
        self.open_tables.last() == Some(&false)
    }

    /// Blocks end paragraphs, except inside a table of data (a row is a line) or a caption.
    /// The cells of a layout table are blocks.
    fn block_boundary(&mut self, name: &str) {
        let in_data_table = self.in_data_table();
        if in_data_table && !matches!(name, "table" | "tr") {
            if !is_cell(name) {
                self.break_with(|p| p.push_text(" "));
            }
        } else if !in_data_table || name == "table" {
            self.break_with(Paragraphs::end_paragraph);
        }
    }

    fn close(&mut self, id: ego_tree::NodeId, name: &str) {
        match name {
            "pre" => self.pre_depth = self.pre_depth.saturating_sub(1),
            "table" => {
                self.open_tables.pop();
            }
            _ => {}
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
        if self.caption.as_ref().is_some_and(|c| c.node == id) {
            self.close_caption();
            return;
        }
        if is_block(name) || is_cell(name) {
            self.block_boundary(name);
        }
        if self.heading.is_some_and(|(open, _)| open == id) {
            self.close_heading();
        }
        if is_heading(name)
            && self.text.count() == self.paragraphs_before_heading + 1
            && self.text.last().is_some_and(|heading| {
                heading.chars().count() <= MAX_SUBSCRIBE_HEADING_CHARS
                    && call_to_action(heading) == Some(CallToAction::Subscribe)
            })
        {
            self.text.pop();
            self.in_subscribe_section = true;
        }
    }

    fn close_heading(&mut self) {
        let Some((_, links_before)) = self.heading else {
            return;
        };
        if self.text.count() != 1 {
            return;
        }
        let Some(text) = self.text.first().map(str::to_owned) else {
            return;
        };
        let link = match &self.links[links_before..] {
            [only] if only.text.as_deref().is_some_and(|t| same_words(t, &text)) => {
                Some(only.url.clone())
            }
            _ => None,
        };
        self.leading_heading = Some(LeadingHeading { text, link });
    }
}

#[cfg(test)]
static UTC: TimeZone = TimeZone::UTC;

#[cfg(test)]
impl Default for Origin<'_> {
    fn default() -> Self {
        Origin {
            source_path: "",
            author: None,
            timezone: &UTC,
            fetched_from: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> scraper::Html {
        crate::html::parse(source, crate::html::DEFAULT_PARSE_STEPS).html
    }

    pub(super) fn run(source: &str) -> Extracted {
        extract(&parse(source), None, false, &[], Origin::default())
    }

    #[test]
    fn blocks_become_paragraphs_and_br_a_newline() {
        let e =
            run("<div>intro<br>line two<p>para &amp; more</p><ul><li>a</li><li>b</li></ul></div>");
        assert_eq!(e.paragraphs, vec!["intro\nline two", "para & more", "a\nb"]);
        // A fieldset's `<legend>` is a line of its own, as browsers lay it out.
        let e = run("<fieldset><legend>Week 2</legend>20 December 2025<div>text</div></fieldset>");
        assert_eq!(e.paragraphs, vec!["Week 2", "20 December 2025", "text"]);
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
    fn links_keep_anchor_text_and_tables_their_cells() {
        let e = run(
            "<p>see <a href=\"https://x.example/a?utm_source=feed\">the <b>report</b></a></p><table><tr><th>a</th><th>b</th></tr><tr><td>c</td><td>d</td></tr></table>",
        );
        assert_eq!(
            e.links,
            vec![Link {
                url: "https://x.example/a".into(),
                text: Some("the report".into())
            }]
        );
        assert_eq!(e.paragraphs, vec!["see the report", "a\tb\nc\td"]);
    }

    #[test]
    fn a_layout_tables_cells_are_blocks_and_two_line_breaks_end_a_paragraph() {
        let story = "本报讯 4月11日上午，首届农民工职业技能大赛在市职业技术学院开幕，来自全市各县区的三百多名农民工参加了电工、焊工、车工、厨师等八个工种的比赛。";
        let e = run(&format!(
            "<table><tr><td>{story}<br><br>　　据悉，这项赛事将每两年举办一次。<br>（完）</td></tr>\
             <tr><td><p>第一段。</p><p>第二段。</p></td></tr></table>"
        ));
        assert_eq!(
            e.paragraphs,
            [
                story,
                "据悉，这项赛事将每两年举办一次。\n（完）",
                "第一段。",
                "第二段。"
            ]
        );
    }

    #[test]
    fn a_table_is_one_paragraph_whatever_its_cells_hold() {
        let e = run(concat!(
            "<table><caption>Results</caption><tr><th>Team</th><th>Score</th></tr>",
            "<tr><td><p>Red</p><p>(home)</p></td><td><div>3</div></td></tr></table><p>after</p>"
        ));
        assert_eq!(
            e.paragraphs,
            vec!["Results\nTeam\tScore\nRed (home)\t3", "after"]
        );
    }

    #[test]
    fn a_subscribe_section_is_dropped_up_to_the_next_heading() {
        let e = run(concat!(
            "<h2>本周金句</h2><p>人生就像玻璃窗上的苍蝇。</p>",
            "<h2>欢迎订阅</h2><p>这个专栏会同步更新在我的<a href=\"https://a.example/\">个人网站</a>。</p>",
            "<h3></h3><p>Subscribe to our newsletter</p><h2>Next</h2><p>kept</p>",
        ));
        assert_eq!(
            e.paragraphs,
            vec![
                "本周金句",
                "人生就像玻璃窗上的苍蝇。",
                "Subscribe to our newsletter",
                "Next",
                "kept"
            ]
        );
    }

    #[test]
    fn an_opening_heading_is_the_headline_and_its_link_the_url() {
        let e = run(
            "<h2><a href=\"https://news.example/story?utm_source=rss\">The Story</a></h2><p>Body.</p>",
        );
        assert_eq!(
            e.leading_heading,
            Some(LeadingHeading {
                text: "The Story".into(),
                link: Some("https://news.example/story".into())
            })
        );
        let later = run("<p>Intro.</p><h1>Not a headline</h1>");
        assert_eq!(later.leading_heading, None);
    }

    #[test]
    fn site_rules_pick_the_content_root_and_drop_on_top_of_the_built_in_rules() {
        let rules = [crate::SiteRule::new(crate::SiteRuleSpec {
            hosts: vec!["*.news.example".into()],
            drop: vec![".story-credit".into(), "p.kicker".into()],
            content: Some("div.story".into()),
            ..Default::default()
        })
        .unwrap()];
        let page = concat!(
            "<div class=\"menu\">Home | World</div><div class=\"story\"><p class=\"kicker\">EXCLUSIVE</p>",
            "<p>First.</p><img src=\"/a.jpg\"><span class=\"story-credit\">Reuters</span>",
            "<div class=\"ad-slot\">Buy</div><p>Second.</p></div>",
        );
        let base = Url::parse("https://www.news.example/2021/x").unwrap();
        let ruled = extract(&parse(page), Some(&base), false, &rules, Origin::default());
        assert_eq!(ruled.paragraphs, vec!["First.", "Second."]);
        assert_eq!(ruled.images[0].caption, None);
        let elsewhere = Url::parse("https://other.example/x").unwrap();
        let unruled = extract(
            &parse(page),
            Some(&elsewhere),
            false,
            &rules,
            Origin::default(),
        );
        assert_eq!(unruled.paragraphs[0], "Home | World");
        // By feed instead of host; a content selector that matches nothing keeps the whole body.
        let by_feed = [crate::SiteRule::new(crate::SiteRuleSpec {
            paths: vec!["feeds/news/**".into()],
            content: Some("article.none".into()),
            drop: vec![".menu".into()],
            ..Default::default()
        })
        .unwrap()];
        let origin = Origin {
            source_path: "feeds/news/a.html",
            ..Origin::default()
        };
        let e = extract(&parse(page), None, false, &by_feed, origin);
        assert_eq!(e.paragraphs[0], "EXCLUSIVE");
    }

    proptest::proptest! {
        /// Every `<img>` element of the DOM is kept or counted as dropped, whatever surrounds it.
        #[test]
        fn every_image_is_accounted_for(parts in proptest::collection::vec(proptest::sample::select(vec![
            "<img src=\"https://a.example/1.jpg\">",
            "<img src=\"https://a.example/2.jpg\" alt=\"x\">",
            "<img src=\"data:image/png;base64,AA\">",
            "<img src=\"\">",
            "<img>",
            "<img src=\"https://t.example/p.gif\" width=\"1\" height=\"1\">",
            "<div class=\"ad-slot\">", "<div hidden>", "<nav>", "<noscript>", "<figure>", "<figcaption>",
            "<p style=\"text-align:center\">", "<span class=\"credit\">", "<table><tr><td>",
            "<a href=\"https://subscribe.example.com/promotions/x\">",
            "</div>", "</nav>", "</noscript>", "</figure>", "</figcaption>", "</p>", "</span>", "</a>",
            "caption text", "a paragraph of text.",
        ]), 0..40), full_page in proptest::bool::ANY) {
            let source = parts.concat();
            let html = parse(&source);
            let img = scraper::Selector::parse("img").unwrap();
            let in_dom = html.select(&img).count() as u64;
            let e = extract(&html, None, full_page, &[], Origin::default());
            proptest::prop_assert_eq!(e.images.len() as u64 + e.dropped_images.total(), in_dom);
        }
    }

    #[test]
    fn whole_page_drops_chrome_and_reads_head() {
        let page = "<html><head><title>Story - Site</title><meta property=\"og:title\" content=\"Story\"><link rel=\"canonical\" href=\"https://news.example/story\"></head><body><nav>Home</nav><article><p>Body</p></article><footer>(c)</footer></body></html>";
        let e = extract(
            &scraper::Html::parse_document(page),
            None,
            true,
            &[],
            Origin::default(),
        );
        assert_eq!(e.paragraphs, vec!["Body"]);
        assert_eq!(e.page.title.as_deref(), Some("Story"));
        assert_eq!(
            e.page.canonical_url.as_deref(),
            Some("https://news.example/story")
        );
    }
}
