use super::*;

fn root_text(page: &str) -> Option<String> {
    let html = Html::parse_document(page);
    let found = find(&html, &mut Tables::default())?;
    let root = scraper::ElementRef::wrap(html.tree.get(found.root)?)?;
    Some(root.value().id().unwrap_or(root.value().name()).to_owned())
}

/// `n` paragraphs of a story, each its own (a text a page repeats is its template).
fn paragraphs(n: usize) -> String {
    paragraphs_from(1, n)
}

/// `n` paragraphs numbered from `first`.
fn paragraphs_from(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("<p>The council voted on Tuesday to close the old bridge ({i}), which has carried traffic over the river since 1921, after engineers found cracks in two of its piers.</p>"))
        .collect()
}

fn zh_paragraphs(n: usize) -> String {
    (1..=n)
        .map(|i| format!("<p>市政府周二宣布（{i}），这座自一九二一年以来承载过河交通的老桥将关闭，工程师在两个桥墩上发现了裂缝。</p>"))
        .collect()
}

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
    let story = paragraphs(3);
    assert_eq!(root_text(&page(&story)).as_deref(), Some("story"));
    let zh = zh_paragraphs(3);
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
        p = paragraphs(2)
    );
    let html = Html::parse_document(&page(&story));
    let found = find(&html, &mut Tables::default()).unwrap();
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
        paragraphs(2)
    );
    assert_eq!(root_text(&page(&story)).as_deref(), Some("body"));
}

#[test]
fn a_story_split_into_sections_is_taken_whole() {
    let story = format!(
        "<section id=\"intro\">{}</section><div class=\"ad-slot\">Advertisement</div><section id=\"rest\">{}</section>",
        paragraphs(1),
        paragraphs(2)
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
        "<div id=\"article\">{}<ul id=\"xiangguan\">{related}</ul></div>",
        zh_paragraphs(2)
    );
    let html = Html::parse_document(&page(&story));
    let found = find(&html, &mut Tables::default()).unwrap();
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
        paragraphs(3)
    );
    assert_eq!(root_text(&page(&story)).as_deref(), Some("text"));
}

#[test]
fn a_wrapper_named_like_a_sidebar_layout_is_not_boilerplate() {
    let story = format!(
        "<div id=\"layout\" class=\"with-sidebar-layout\"><div id=\"inner\">{}</div></div>",
        paragraphs(3)
    );
    assert_eq!(root_text(&page(&story)).as_deref(), Some("inner"));
}

/// A forum thread of tables: poster beside post, a header, a row of buttons.
fn thread(opening: &str, replies: &[&str]) -> String {
    let post = |id: usize, user: &str, body: &str| {
        format!(
            "<table id=\"pid{id}\" width=\"98%\" cellspacing=\"1\"><tr><td rowspan=\"2\">{user}<br>帖子 {id}37<br>积分 {id}12</td>\
             <td>发表于 2006-5-1{id} 10:2{id} | <a href=\"?author={id}\">只看该作者</a></td></tr>\
             <tr><td id=\"message{id}\">{body}</td></tr>\
             <tr><td></td><td><a href=\"reply\">回复</a> <a href=\"quote\">引用</a></td></tr></table>"
        )
    };
    let mut page = String::from(
        "<html><body><table><tr><td><a href=\"/\">论坛</a> » <a href=\"/f\">旅游</a></td></tr></table>",
    );
    page.push_str(&post(1, "老张", opening));
    for (i, reply) in replies.iter().enumerate() {
        page.push_str(&post(i + 2, "网友", reply));
    }
    page.push_str("</body></html>");
    page
}

#[test]
fn a_threads_opening_post_is_the_story_and_the_replies_are_not() {
    let opening = zh_paragraphs(4)
        .replace("<p>", "")
        .replace("</p>", "<br><br>");
    let replies = [
        "谢谢楼主分享，收藏了，准备十一的时候去。",
        "请问楼主，包车的话一般从哪里找司机比较靠谱？",
        "顶一下，写得很详细，很有用。",
    ];
    assert_eq!(
        root_text(&thread(&opening, &replies)).as_deref(),
        Some("message1")
    );
    // Replies as long as the opening post make a discussion, read whole.
    let long = zh_paragraphs(3).replace("<p>", "").replace("</p>", "<br>");
    let discussion = thread(&opening, &[&long, &long, &long]);
    assert_ne!(root_text(&discussion).as_deref(), Some("message1"));
}

#[test]
fn a_story_in_like_sections_is_not_a_thread() {
    let story = format!(
        "<div id=\"story\"><div class=\"part\"><h2>One</h2>{}</div><div class=\"part\"><h2>Two</h2>{}</div><div class=\"part\"><h2>Three</h2>{}</div></div>",
        paragraphs(6),
        paragraphs_from(7, 2),
        paragraphs_from(9, 1)
    );
    assert_eq!(root_text(&page(&story)).as_deref(), Some("story"));
}

#[test]
fn cjk_labels_without_a_comma_or_stop_are_not_a_paragraph() {
    let labels = Tally::default();
    let mut footer = labels;
    footer.count("主办：市人民政府办公室　承办：市信息中心　地址：人民路1号　邮编：100001　电话：0000-1234567", false);
    assert!(block_score(&footer, false) < 0.0);
    let mut prose = Tally::default();
    prose.count(
        "市政府周二宣布，这座自一九二一年以来承载过河交通的老桥将关闭。",
        false,
    );
    assert!(block_score(&prose, false) > 0.0);
}
