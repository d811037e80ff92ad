use super::*;

fn meta_of(page: &str) -> PageMeta {
    page_meta(&Html::parse_document(page), &TimeZone::UTC)
}

#[test]
fn head_tags_give_title_url_author_date_image_and_lang() {
    let m = meta_of(concat!(
        "<html lang=\"en-GB\"><head><title>Story - Site</title>",
        "<meta property=\"og:title\" content=\"Story\">",
        "<meta property=\"og:site_name\" content=\"The Site\">",
        "<meta property=\"og:image\" content=\"https://img.example/a.jpg\">",
        "<meta name=\"author\" content=\"Jane Doe\">",
        "<meta property=\"article:published_time\" content=\"2024-03-05T10:00:00+08:00\">",
        "<link rel=\"canonical\" href=\"https://news.example/story\"></head>",
        "<body><h1 class=\"logo\">The Site</h1><h1>Story</h1></body></html>"
    ));
    assert_eq!(m.title.as_deref(), Some("Story"));
    assert_eq!(
        m.canonical_url.as_deref(),
        Some("https://news.example/story")
    );
    assert_eq!(m.author.as_deref(), Some("Jane Doe"));
    assert_eq!(
        m.published_at
            .map(|(date, source)| (date.to_string(), source)),
        Some(("2024-03-05T02:00:00Z".to_owned(), DateSource::MetaTag))
    );
    assert_eq!(m.site_name.as_deref(), Some("The Site"));
    assert_eq!(m.lead_image.as_deref(), Some("https://img.example/a.jpg"));
    assert_eq!(m.lang.as_deref(), Some("en"));
}

#[test]
fn json_ld_wins_and_is_found_in_a_graph() {
    let m = meta_of(concat!(
        "<html><head><meta name=\"author\" content=\"Desk\">",
        "<script type=\"application/ld+json\">{\"@graph\": [{\"@type\": \"WebSite\"},",
        "{\"@type\": [\"NewsArticle\"], \"headline\": \"Big news\", ",
        "\"author\": [{\"@type\": \"Person\", \"name\": \"Ann Lee\"}, {\"name\": \"Bo Chan\"}],",
        "\"datePublished\": \"2023-11-02T08:30:00-05:00\", \"image\": {\"url\": \"https://img.example/b.png\"},",
        "\"publisher\": {\"name\": \"Daily\"}}]}</script>",
        "<title>Big news | Daily</title></head><body><p>x</p></body></html>"
    ));
    assert_eq!(m.title.as_deref(), Some("Big news"));
    assert_eq!(m.author.as_deref(), Some("Ann Lee, Bo Chan"));
    assert_eq!(
        m.published_at
            .map(|(date, source)| (date.to_string(), source)),
        Some(("2023-11-02T13:30:00Z".to_owned(), DateSource::JsonLd))
    );
    assert_eq!(m.site_name.as_deref(), Some("Daily"));
    assert_eq!(m.lead_image.as_deref(), Some("https://img.example/b.png"));
}

#[test]
fn an_undated_article_object_leaves_the_date_to_the_web_page_object() {
    let m = meta_of(concat!(
        "<html><head><script type=\"application/ld+json\">{\"@graph\": [",
        "{\"@type\": \"Article\", \"headline\": \"A\"},",
        "{\"@type\": \"WebPage\", \"datePublished\": \"2024-03-17T19:47:39+00:00\"}]}",
        "</script></head><body></body></html>"
    ));
    assert_eq!(
        m.published_at
            .map(|(date, source)| (date.to_string(), source)),
        Some(("2024-03-17T19:47:39Z".to_owned(), DateSource::JsonLd))
    );
}

#[test]
fn body_bylines_and_time_elements_are_the_last_resort() {
    let m = meta_of(concat!(
        "<html><head><title>A walk in the hills — Hiking Blog</title></head><body>",
        "<span class=\"by\">By <a rel=\"author\" href=\"/u/kim\">Kim Park</a></span>",
        "<time datetime=\"2022-06-01\">June 1</time>",
        "<time itemprop=\"datePublished\" datetime=\"2022-05-30T09:00:00Z\">May 30</time>",
        "<p>x</p></body></html>"
    ));
    assert_eq!(m.title.as_deref(), Some("A walk in the hills"));
    assert_eq!(m.author.as_deref(), Some("Kim Park"));
    assert_eq!(
        m.published_at
            .map(|(date, source)| (date.to_string(), source)),
        Some(("2022-05-30T09:00:00Z".to_owned(), DateSource::TimeElement))
    );
}

#[test]
fn an_author_named_card_holding_a_headline_is_not_a_byline() {
    let m = meta_of(concat!(
        "<html><body><div class=\"video-author\">Kim Park Readers share their feelings about the long election night</div>",
        "<span class=\"author\">Ann Lee, Bo Chan and Kim Park</span></body></html>"
    ));
    assert_eq!(m.author.as_deref(), Some("Ann Lee, Bo Chan and Kim Park"));
}

#[test]
fn profile_urls_are_not_authors() {
    let m = meta_of(
        "<html><head><meta property=\"article:author\" content=\"https://www.facebook.com/someone\"></head><body></body></html>",
    );
    assert_eq!(m.author, None);
}

fn date_of(page: &str) -> Option<(String, DateSource)> {
    meta_of(page)
        .published_at
        .map(|(ts, source)| (ts.to_string(), source))
}

#[test]
fn script_state_dates_are_read_by_publish_named_keys() {
    for script in [
        r#"<script type="application/json">{"props":{"post":{"title":"T","publishedAt":"2025-12-13"}}}</script>"#,
        r#"<script>window.__S={slug:"/x",publishedDate:"2025-12-13T00:00:00.000Z",date:"F j, Y"}</script>"#,
        r#"<script>self.__next_f.push([1,"{\"datePublished\":\"2025-12-13T00:00:00Z\"}"])</script>"#,
    ] {
        let page = format!("<html><body>{script}<h1>T</h1><p>x</p></body></html>");
        assert_eq!(
            date_of(&page),
            Some(("2025-12-13T00:00:00Z".into(), DateSource::ScriptState)),
            "{script}"
        );
    }
    // A longer name that ends in a key, a value that is no date: nothing.
    assert_eq!(
        date_of(
            r#"<html><body><script>{"lastPublishedAt":"2025-12-13","publishedAt":"soon"}</script></body></html>"#
        ),
        None
    );
}

#[test]
fn a_line_of_only_a_date_next_to_the_headline_dates_the_page() {
    // After the headline, a short line that holds a date.
    let after = concat!(
        "<html><body><nav><a href=/>Home</a></nav><h1>The best tutoring franchises</h1>",
        "<div class=meta-line><a href=/a>Ann Lee</a> - Mar 27, 2024</div><p>x</p></body></html>"
    );
    assert_eq!(
        date_of(after),
        Some(("2024-03-27T00:00:00Z".into(), DateSource::PageText))
    );
    // Just before it, a line of nothing but a date.
    let before = "<html><body><h5>January 23, 2025</h5><h1>Launch</h1><p>x</p></body></html>";
    assert_eq!(
        date_of(before),
        Some(("2025-01-23T00:00:00Z".into(), DateSource::PageText))
    );
    // Beside an icon.
    let icon = "<html><body><div><svg><use href=/i.svg#cal></use></svg> Dec 12, 2025 </div><h1>Launch</h1><p>x</p></body></html>";
    assert_eq!(
        date_of(icon),
        Some(("2025-12-12T00:00:00Z".into(), DateSource::PageText))
    );
    // A date far from the headline, or on a page without one, is not its date.
    let mut far = String::from("<html><body><span>January 23, 2025</span>");
    far.push_str(&"<div><a href=/x>Link</a></div>".repeat(12));
    far.push_str("<h1>Launch</h1><p>x</p></body></html>");
    assert_eq!(date_of(&far), None);
    assert_eq!(
        date_of("<html><body><p>x</p><span>January 23, 2025</span></body></html>"),
        None
    );
}

#[test]
fn a_time_element_without_datetime_is_read_by_its_text() {
    assert_eq!(
        date_of("<html><body><h1>T</h1><time>Published on June 04, 2025</time></body></html>"),
        Some(("2025-06-04T00:00:00Z".into(), DateSource::TimeElement))
    );
}

#[test]
fn a_date_before_the_web_is_a_placeholder_and_the_next_source_dates_the_page() {
    let placeholder = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"1970-01-01T00:00:00"}</script>"#;
    let with_meta = format!(
        r#"<html><head>{placeholder}<meta property="article:published_time" content="2022-01-14T10:31:00Z"></head><body><p>x</p></body></html>"#
    );
    assert_eq!(
        date_of(&with_meta),
        Some(("2022-01-14T10:31:00Z".into(), DateSource::MetaTag))
    );
    let alone = meta_of(&format!(
        "<html><head>{placeholder}</head><body><p>x</p></body></html>"
    ));
    assert_eq!(alone.published_at, None);
    assert_eq!(
        alone.pre_web_date.map(|d| d.to_string()).as_deref(),
        Some("1970-01-01T00:00:00Z")
    );
}

#[test]
fn microdata_on_any_element_is_a_meta_date() {
    assert_eq!(
        date_of(
            r#"<html><body><h1>T</h1><span itemprop="datePublished" content="2022-01-14 10:31:00">14. Januar</span><p>x</p></body></html>"#
        ),
        Some(("2022-01-14T10:31:00Z".into(), DateSource::MetaTag))
    );
}

#[test]
fn microdata_dates_of_a_list_of_items_do_not_date_the_page() {
    let listing = r#"<html><body><h1>T</h1><p>x</p><span itemprop="datePublished" content="2026-03-13T12:00:00Z"></span><span itemprop="datePublished" content="2026-03-13T11:00:00Z"></span></body></html>"#;
    assert_eq!(date_of(listing), None);
}

#[test]
fn pages_without_markup_give_labelled_authors_and_dates_and_bold_headlines() {
    let m = meta_of(concat!(
        "<html><head><title>我市举办首届农民工技能大赛_新闻中心_东方热线</title></head><body>",
        "<table><tr><td><font size=4><b>我市举办首届农民工技能大赛</b></font></td></tr>",
        "<tr><td><span>来源：东方日报　作者：记者李明　</span><span>发布时间：</span>",
        "<span>2006-4-12 9:35:21</span></td></tr></table></body></html>"
    ));
    assert_eq!(m.title.as_deref(), Some("我市举办首届农民工技能大赛"));
    assert_eq!(m.author.as_deref(), Some("李明"));
    assert_eq!(
        m.published_at
            .map(|(date, source)| (date.to_string(), source)),
        Some(("2006-04-12T09:35:21Z".to_owned(), DateSource::PageText))
    );
}

#[test]
fn unspaced_separators_beside_cjk_split_titles_and_spaced_ones_come_first() {
    fn parts(title: &str) -> Vec<&str> {
        title_parts(title).collect()
    }
    assert_eq!(
        parts("标题_新闻中心_某某网"),
        ["标题", "新闻中心", "某某网"]
    );
    assert_eq!(parts("武汉的声音-新华网"), ["武汉的声音", "新华网"]);
    assert_eq!(
        parts("新竹尖石_美樹營地賞楓 @ 史蒂文的家"),
        ["新竹尖石_美樹營地賞楓", "史蒂文的家"]
    );
    assert_eq!(parts("snake_case-explained"), ["snake_case-explained"]);
    // The longest part by weight: a CJK character counts three.
    assert_eq!(
        without_site_name("川西十二日自助游经验分享 - Powered by Discuz!"),
        "川西十二日自助游经验分享"
    );
}

#[test]
fn a_byline_day_before_the_metadata_day_is_the_day_the_story_ran() {
    let page = |byline: &str| {
        format!(
            concat!(
                r#"<html><head><script type="application/ld+json">{{"@type":"BlogPosting","#,
                r#""datePublished":"2025-06-24T00:00:00Z"}}</script></head><body><h1>Icing</h1>"#,
                "<div class=byline>Shauna Mitchell</div><div>{}</div><p>x</p></body></html>"
            ),
            byline
        )
    };
    // Republished in a CMS a year after it ran: the byline keeps the day.
    assert_eq!(
        date_of(&page("August 25, 2024")),
        Some(("2024-08-25T00:00:00Z".into(), DateSource::PageText))
    );
    // The same day, or a later one (an update shown by the headline), leaves the metadata.
    for shown in ["June 24, 2025", "July 1, 2025"] {
        assert_eq!(
            date_of(&page(shown)),
            Some(("2025-06-24T00:00:00Z".into(), DateSource::JsonLd)),
            "{shown}"
        );
    }
    // A caption by the headline does not outvote a publish label that agrees with the metadata.
    let caption = concat!(
        r#"<html><head><meta property="article:published_time" content="2023-01-17T00:30:41Z">"#,
        "</head><body><h1>Letters</h1><p>East Bay Times Letters to the Editor for Jan. 17, 2022</p>",
        "<p>By Letters | PUBLISHED: January 16, 2023 at 4:30 p.m.</p><p>x</p></body></html>"
    );
    assert_eq!(
        date_of(caption),
        Some(("2023-01-17T00:30:41Z".into(), DateSource::MetaTag))
    );
    // The evening before in New York is the same moment, not an earlier day.
    let evening = concat!(
        r#"<html><head><meta property="article:published_time" content="2021-12-10T02:17:00+00:00">"#,
        "</head><body><h1>T</h1><time class=entry-time>December 9, 2021</time></body></html>"
    );
    assert_eq!(
        date_of(evening),
        Some(("2021-12-10T02:17:00Z".into(), DateSource::MetaTag))
    );
}

#[test]
fn a_utc_date_takes_the_zone_of_a_time_element_that_writes_the_same_moment() {
    let page = |time: &str| {
        meta_of(&format!(
            concat!(
                r#"<html><head><meta property="article:published_time" content="2025-12-19T03:05:00+00:00">"#,
                r#"</head><body><h1>T</h1><time datetime="{}">Dec 18</time></body></html>"#
            ),
            time
        ))
        .published_at
        .map(|(date, _)| (date.to_string(), date.offset_minutes))
    };
    assert_eq!(
        page("2025-12-18T19:05:00-08:00"),
        Some(("2025-12-19T03:05:00Z".into(), Some(-480)))
    );
    // Another moment (a comment's time, a related story's) leaves UTC as written.
    assert_eq!(
        page("2025-12-17T19:05:00-08:00"),
        Some(("2025-12-19T03:05:00Z".into(), Some(0)))
    );
}

#[test]
fn a_last_updated_label_dates_a_page_that_gives_nothing_else() {
    let updated =
        "<html><body><h1>Parks</h1><p>x</p><p>Last updated: November 13, 2025</p></body></html>";
    assert_eq!(
        date_of(updated),
        Some(("2025-11-13T00:00:00Z".into(), DateSource::PageText))
    );
    let published = concat!(
        r#"<html><head><meta property="article:published_time" content="2024-01-02T10:00:00Z">"#,
        "</head><body><h1>Parks</h1><p>x</p><p>Last updated: November 13, 2025</p></body></html>"
    );
    assert_eq!(
        date_of(published),
        Some(("2024-01-02T10:00:00Z".into(), DateSource::MetaTag))
    );
}

#[test]
fn microdata_without_content_is_read_by_its_text() {
    assert_eq!(
        date_of(concat!(
            r#"<html><body><p>x</p><span itemprop="datePublished" class="ml-2">December 7, 2020</span>"#,
            "<span>Today: March 13, 2026</span></body></html>"
        )),
        Some(("2020-12-07T00:00:00Z".into(), DateSource::MetaTag))
    );
}

#[test]
fn an_indented_date_line_and_an_author_box_date_the_page() {
    let indented = "<html><body><h5 class=pre>\n                    January 23, 2025\n          </h5>\n   <h1>Solar</h1><p>x</p></body></html>";
    assert_eq!(
        date_of(indented),
        Some(("2025-01-23T00:00:00Z".into(), DateSource::PageText))
    );
    let author_box = concat!(
        "<html><body><div class=resource-author-details><p>Luke Kim</p>",
        "<small>December 17, 2025</small></div><p>x</p></body></html>"
    );
    assert_eq!(
        date_of(author_box),
        Some(("2025-12-17T00:00:00Z".into(), DateSource::PageText))
    );
}

#[test]
fn a_byline_name_is_the_words_before_its_date() {
    let author = |byline: &str| {
        meta_of(&format!(
            "<html><body><h1>T</h1><div class=post-author>{byline}</div><p>x</p></body></html>"
        ))
        .author
    };
    assert_eq!(
        author("By: FlowGuard EMEA on 04-ago-2021 5:11:10").as_deref(),
        Some("FlowGuard EMEA")
    );
    assert_eq!(
        author("Written By: Tom May Updated Mar 3, 2025").as_deref(),
        Some("Tom May")
    );
    assert_eq!(author("Sat, 20 Dec, 2025 - 06:36"), None);
}

#[test]
fn indented_bylines_and_a_time_within_the_line_by_the_headline_are_read() {
    let indented = concat!(
        "<html><body><h1>Story</h1>\n      <div class=\"blog-post__author\">\n                By: \n",
        "                <a href=/a>\n                  FlowGuard EMEA\n                </a> on 04-ago-2021 5:11:10\n",
        "              </div><p>x</p></body></html>"
    );
    let m = meta_of(indented);
    assert_eq!(m.author.as_deref(), Some("FlowGuard EMEA"));
    assert_eq!(
        m.published_at.map(|(d, s)| (d.to_string(), s)),
        Some(("2021-08-04T00:00:00Z".into(), DateSource::PageText))
    );
    // The first line by the headline names three authors; the `<time>` within it is the
    // byline's date, and it outweighs the metadata's later day.
    let within = concat!(
        r#"<html><head><script type="application/ld+json">{"@type":"BlogPosting","#,
        r#""datePublished":"2025-12-01T05:10:15Z"}</script></head><body><h1>The information bottleneck method</h1>"#,
        "<div><p>Naftali Tishby, Fernando C. Pereira, William Bialek</p>",
        "<time datetime=\"4/24/2000 12:00:00 AM\">24 Apr 2000 <span>•</span> 3 min read</time></div>",
        "<p>x</p></body></html>"
    );
    assert_eq!(
        date_of(within),
        Some(("2000-04-24T00:00:00Z".into(), DateSource::PageText))
    );
}

#[test]
fn a_hidden_update_time_in_a_byline_is_not_its_date() {
    let page = concat!(
        r#"<html><head><script type="application/ld+json">{"@type":"BlogPosting","#,
        r#""datePublished":"2022-12-25T11:00:02Z"}</script></head><body><h1>HIV</h1>"#,
        "<div class=fusion-meta>Isabell Angele",
        r#"<span class="updated rich-snippet-hidden">2022-12-07T10:10:52+01:00</span>"#,
        "<span>25. Dezember 2022</span></div><p>x</p></body></html>"
    );
    assert_eq!(
        date_of(page),
        Some(("2022-12-25T11:00:02Z".into(), DateSource::JsonLd))
    );
    // WordPress names the published time `entry-date published updated`: that is read.
    let wordpress = concat!(
        r#"<html><head><script type="application/ld+json">{"@type":"BlogPosting","#,
        r#""datePublished":"2025-06-24T00:00:00Z"}</script></head><body><h1>Icing</h1>"#,
        r#"<div><span class="entry-date published updated">August 25, 2024</span></div><p>x</p></body></html>"#
    );
    assert_eq!(
        date_of(wordpress),
        Some(("2024-08-25T00:00:00Z".into(), DateSource::PageText))
    );
}

#[test]
fn the_script_record_titled_as_the_headline_dates_the_page() {
    // A headless WordPress page: its own post and the related posts, each a record with a
    // title and a `date`.
    let page = |title: &str| {
        format!(
            concat!(
                "<html><head><title>{} | Agency</title></head><body><h1>{}</h1><p>x</p>",
                r#"<script id="__NEXT_DATA__" type="application/json">{{"props":{{"post":{{"#,
                r#""title":"How Apps Are Made","date":"2024-04-08T06:59:34","status":"publish"}},"#,
                r#""related":[{{"title":"HR Software \u0026 You","date":"2025-12-16T03:51:21"}}]}}}}"#,
                "</script></body></html>"
            ),
            title, title
        )
    };
    assert_eq!(
        date_of(&page("How Apps Are Made")),
        Some(("2024-04-08T06:59:34Z".into(), DateSource::ScriptState))
    );
    assert_eq!(
        date_of(&page("HR Software &amp; You")),
        Some(("2025-12-16T03:51:21Z".into(), DateSource::ScriptState))
    );
    // A page whose headline is no record's title is not dated by them.
    assert_eq!(date_of(&page("Another Story")), None);
    // A brace inside a string does not end a record; a nested record keeps its own title.
    let mut out = Vec::new();
    script_state::titled_dates(
        r#"{"a":{"title":"T {x}","author":{"title":"Dr","name":"N"},"date":"2020-01-02"},'}'}"#,
        &TimeZone::UTC,
        &mut out,
    );
    assert_eq!(
        out.iter()
            .map(|r| (r.title.as_str(), r.date.to_string()))
            .collect::<Vec<_>>(),
        [("T {x}", "2020-01-02T00:00:00Z".to_owned())]
    );
    // A bad escape before a multi-byte character spoils its record alone; an unclosed
    // string ends the script. No panic.
    let mut out = Vec::new();
    script_state::titled_dates(
        r#"{"title":"\é","date":"2020-01-02"} {"title":"A","date":"2020-01-03"} {"title":"é\"#,
        &TimeZone::UTC,
        &mut out,
    );
    assert_eq!(
        out.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(),
        ["A"]
    );
}

#[test]
fn json_ld_written_into_a_meta_tag_is_json_ld() {
    let m = meta_of(concat!(
        r#"<html><head><meta name="script:ld+json" content="{&quot;@type&quot;:&quot;Article&quot;,"#,
        r#"&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;}"></head>"#,
        "<body><h1>Full EV cars</h1><p>x</p></body></html>"
    ));
    assert_eq!(
        m.published_at
            .map(|(date, source)| (date.to_string(), source)),
        Some(("2025-11-17T14:00:00Z".to_owned(), DateSource::JsonLd))
    );
}

#[test]
fn a_paragraph_repeating_the_title_is_the_headline_unless_it_is_the_site() {
    // A site builder's page: no `<h1>`, the headline a styled `<p>`, then the author and date.
    let built = concat!(
        "<html><head><title>Top 5 HR Tools in 2026 | DianaHR</title>",
        r#"<meta property="og:title" content="Top 5 HR Tools in 2026 | DianaHR"></head><body>"#,
        "<div><p>Top 5 HR Tools in 2026</p></div><div><p>DianaHR Team</p></div>",
        "<div><p>Feb 16, 2026</p></div><p>Text of the story.</p></body></html>"
    );
    assert_eq!(
        date_of(built),
        Some(("2026-02-16T00:00:00Z".into(), DateSource::PageText))
    );
    // `Site - Story`: the lead is the site's name, as the shared title shows; its banner
    // paragraph is not the headline.
    let m = meta_of(concat!(
        "<html><head><title>The Objective Dad - Local DNS for My Homelab</title>",
        r#"<meta property="og:title" content="Local DNS for My Homelab"></head><body>"#,
        "<p>The Objective Dad</p><p>Tech and family</p><p>Text of the story.</p></body></html>"
    ));
    assert_eq!(m.title.as_deref(), Some("Local DNS for My Homelab"));
}

#[test]
fn a_time_by_the_headline_outranks_a_sidebar_time_before_it() {
    let page = concat!(
        "<html><body><aside><h4><a href=/a>Older story</a></h4>",
        r#"<time datetime="2025-01-31T12:00:00Z">01/31/2025</time></aside>"#,
        "<h1><span>Candidate experience</span></h1><div class=node__meta>",
        r#"<time datetime="2017-03-01T12:00:00Z">03/01/2017</time> by Agatha</div>"#,
        "<p>Text of the story.</p></body></html>"
    );
    assert_eq!(
        date_of(page),
        Some(("2017-03-01T12:00:00Z".into(), DateSource::TimeElement))
    );
}

#[test]
fn of_several_times_marked_published_the_first_does_not_outvote_the_metadata() {
    let page = |teasers: usize| {
        let teaser = |day: usize| {
            format!(
                r#"<h3>Other</h3><time itemprop="datePublished" datetime="2015-12-0{day}T09:32:03-05:00">Dec {day}</time>"#
            )
        };
        format!(
            concat!(
                r#"<html><head><meta property="article:published_time" content="2023-05-30T18:24:00+00:00">"#,
                "</head><body><h1>Event planners</h1><p>Text.</p>{}</body></html>"
            ),
            (1..=teasers).map(teaser).collect::<String>()
        )
    };
    // Related posts, each marked published: a list, not the page's own day.
    assert_eq!(
        date_of(&page(3)),
        Some(("2023-05-30T18:24:00Z".into(), DateSource::MetaTag))
    );
    // One marked time a day or more before the metadata is the day the story ran.
    assert_eq!(
        date_of(&page(1)),
        Some(("2015-12-01T14:32:03Z".into(), DateSource::TimeElement))
    );
}
