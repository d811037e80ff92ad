//! Golden snapshots: the cleaned `Article` of each fixture, as reviewed JSON.
//!
//! Fixtures are real articles (seeds and corpus files spanning the feeds, front matter styles,
//! body kinds, encodings and languages) and whole saved pages (`page-*.html`: a news page, a
//! blog, a Chinese page and a page with comments; sources in `tests/FIXTURES.md`). A changed snapshot is a changed output: read the
//! `.snap.new` against its fixture before accepting it (`cargo insta review`).

use std::path::Path;
use std::sync::Arc;

use lede_clean::{CleanSettings, SiteRule, SiteRuleSpec, clean};
use lede_parse::{ParseSettings, parse};
use lede_record::{Article, DateSource, RawFile, SourcePath};

fn golden(name: &str) {
    insta::assert_json_snapshot!(name, cleaned(name));
}

fn cleaned(name: &str) -> Article {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let raw = RawFile {
        source: SourcePath::new(&dir, name),
        bytes: std::fs::read(dir.join(name)).expect("fixture exists"),
        fetch: None,
    };
    let doc = parse(&raw, &ParseSettings::default()).expect("fixture parses");
    let settings = CleanSettings {
        site_rules: shipped_site_rules(),
        ..CleanSettings::default()
    };
    clean(&doc, &settings).expect("fixture cleans")
}

/// On a whole page the story is kept whole and nothing else: not the reader comments below it
/// (46 on one page, 15 on the other), not the site's navigation, not the other articles in its
/// sidebar.
#[test]
fn a_page_with_comments_is_its_story_only() {
    let article = cleaned("page-comments-alistapart.html");
    assert!(
        article
            .text
            .starts_with("We get better design when we understand our medium.")
    );
    assert!(
        article
            .text
            .ends_with("then let us not cry for web design, but for those who cannot see.")
    );
    for elsewhere in ["Is this nothing more than a rant?", "Skip to", "Topics"] {
        assert!(
            !article.text.contains(elsewhere),
            "{elsewhere:?} is not the story"
        );
    }
    assert_eq!(article.title.as_deref(), Some("Understanding Web Design"));
    assert_eq!(article.author.as_deref(), Some("Jeffrey Zeldman"));
    assert_eq!(article.date_source, Some(DateSource::MetaTag));
    let blog = cleaned("page-comments-prusa.html");
    assert!(blog.text.ends_with("use the OCL for your own creations."));
    assert!(!blog.text.contains("This makes me really happy"));
    assert_eq!(blog.author.as_deref(), Some("Josef Průša"));
    assert_eq!(blog.date_source, Some(DateSource::JsonLd));
}

/// The `[[site]]` rules of the repository's `pipeline.toml`: snapshots show what users get.
/// Pages laid out with tables, as 2000s portals, forums and blogs are (written for lede in that
/// style): the story's cell, not the menus, login box, link bars, board chrome or comments; the
/// headline, author and date from the labelled lines such pages write.
#[test]
fn old_table_layouts_keep_the_story_without_the_chrome() {
    let portal = cleaned("page-zh-old-portal.html");
    assert!(portal.text.starts_with("本报讯 4月11日上午"));
    assert!(portal.text.ends_with("并逐步扩大比赛工种的范围。"));
    assert_eq!(portal.paragraph_count, 5);
    for chrome in [
        "首页",
        "用户名",
        "您现在的位置",
        "热点新闻",
        "打印本页",
        "上一篇",
        "相关新闻",
        "版权所有",
        "发布时间",
    ] {
        assert!(!portal.text.contains(chrome), "{chrome:?} is the portal's");
    }
    assert_eq!(portal.title.as_deref(), Some("我市举办首届农民工技能大赛"));
    assert_eq!(portal.author.as_deref(), Some("李明"));
    assert_eq!(
        portal.published_at.map(|t| t.to_string()).as_deref(),
        Some("2006-04-12T09:35:21Z")
    );
    assert_eq!(portal.encoding, "GBK");

    let forum = cleaned("page-zh-old-forum.html");
    assert!(forum.text.starts_with("各位驴友好！"));
    assert!(forum.text.ends_with("我知道的都会回答。"));
    for chrome in [
        "积分",
        "只看该作者",
        "签名",
        "沙发",
        "谢谢楼主分享",
        "回复",
        "Powered by",
    ] {
        assert!(!forum.text.contains(chrome), "{chrome:?} is the board's");
    }
    assert_eq!(forum.title.as_deref(), Some("川西十二日自助游经验分享"));
    assert_eq!(
        forum.published_at.map(|t| t.to_string()).as_deref(),
        Some("2006-05-12T10:23:00Z")
    );

    let blog = cleaned("page-zh-old-blog.html");
    assert!(blog.text.starts_with("三月中旬"));
    assert_eq!(blog.paragraph_count, 5);
    for elsewhere in [
        "小林的旅行筆記",
        "2007年3月18日",
        "阿美",
        "月曆",
        "最新文章",
        "Copyright",
    ] {
        assert!(
            !blog.text.contains(elsewhere),
            "{elsewhere:?} is not the post"
        );
    }
    assert_eq!(blog.title.as_deref(), Some("春天的陽明山"));
    assert_eq!(blog.author.as_deref(), Some("小林"));
    assert_eq!(
        blog.published_at.map(|t| t.to_string()).as_deref(),
        Some("2007-03-18T00:00:00Z")
    );
    assert_eq!(blog.encoding, "Big5");
}

fn shipped_site_rules() -> Arc<[SiteRule]> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pipeline.toml");
    let config: toml::Table = std::fs::read_to_string(path)
        .expect("pipeline.toml exists")
        .parse()
        .expect("pipeline.toml is TOML");
    let strings = |site: &toml::Table, key: &str| -> Vec<String> {
        site.get(key)
            .and_then(toml::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let text =
        |site: &toml::Table, key: &str| site.get(key).and_then(|v| v.as_str().map(str::to_owned));
    config
        .get("site")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table)
        .map(|site| {
            SiteRule::new(SiteRuleSpec {
                hosts: strings(site, "hosts"),
                paths: strings(site, "paths"),
                authors: strings(site, "authors"),
                drop: strings(site, "drop"),
                content: text(site, "content"),
                base_url: text(site, "base_url"),
            })
            .expect("shipped rules compile")
        })
        .collect()
}

macro_rules! golden_tests {
    ($($test:ident => $file:literal,)*) => {
        $(#[test] fn $test() { golden($file); })*
    };
}

golden_tests! {
    page_news_bbc => "page-news-bbc.html",
    page_news_de_heise => "page-news-de-heise.html",
    page_news_fr_lemonde => "page-news-fr-lemonde.html",
    page_cjk_ja_hukumusume => "page-ja-hukumusume.html",
    page_blog_medium => "page-blog-medium.html",
    page_cjk_gmw => "page-zh-gmw.html",
    page_with_comments_alistapart => "page-comments-alistapart.html",
    page_with_comments_prusa => "page-comments-prusa.html",
    page_zh_old_portal => "page-zh-old-portal.html",
    page_zh_old_forum => "page-zh-old-forum.html",
    page_zh_old_blog => "page-zh-old-blog.html",
    seed_000_hexo_cnbeta => "000_29ff98356d721b9a.txt",
    seed_001_hexo_zaker_proxied_images => "001_b52d17c1e9286dcb.txt",
    seed_002_hexo_huxiu => "002_eb782ffb301c7b85.txt",
    seed_003_plain_text => "003_c7add430a2f9eace.txt",
    seed_004_jekyll_markdown_with_ads => "004_4a58305540e6b57a.txt",
    bbc_plain_text => "bbc-tech.txt",
    jekyll_reuters_html => "news1-reuters.html",
    jekyll_zaobao => "oped2-联合早报.md",
    jekyll_solidot => "oped2-Solidot.md",
    jekyll_voa => "oped2-美国之音.md",
    jekyll_english_in_chinese_feed => "oped2-中参馆.md",
    rsshub_nyt_english => "rsshub-新媒体.md",
    rsshub_wechat_notice => "rsshub-编程.md",
    rsshub_broken_yaml_quotes => "rsshub-broken-yaml.md",
    markdown_without_front_matter => "ruanyf-weekly.md",
    ruby_news_en => "ruby-en.md",
    ruby_news_ja => "ruby-ja.md",
    ruby_news_ko => "ruby-ko.md",
    ruby_news_ru => "ruby-ru.md",
    rust_blog_toml => "rust-blog.md",
    full_page_lazy_images => "readability-lazy-image.html",
    gb18030_page_without_charset => "encoding-gb18030.html",
    // One article of each feed of the corpus not covered above.
    feed_bbc_business => "bbc-business/353.txt",
    feed_bbc_politics => "bbc-politics/255.txt",
    feed_news0_rss => "news0-rss/2020-05-04-16-31-51-8-9.md",
    feed_news1_bbc => "news1-bbc/2020-07-09-BBC-bbc请专家盘点成功职业生涯的十大软技能.html",
    feed_oped2_bbc => "oped2-BBC/1048172_维生素K为何突然备受关注的几大原因.md",
    feed_oped2_huli => "oped2-Huli/2020-08-13-考資工所我覺得是一個最穩健的做法，一來是學校已經是個幫你搜集好一定程度資訊的地方，二來是那個-b33bedb6.md",
    feed_oped2_matters => "oped2-Matters/2020-10-13-[臺灣小事]連「亂黨匪首」的名字都會搞錯，很難讓人信任你的情搜能力耶.md",
    feed_oped2_rti => "oped2-RTI/2020-07-22-[生活] 各地持續炎熱北市達38度 午後中南部較大雨勢.md",
    feed_oped2_iyouport => "oped2-iYouPort/2018-11-25-‘Twitter 禁止我，没有理由，但最终他们会失败’ - iYouPort.md",
    feed_oped2_rfi => "oped2-法广/1047320_去年日本外国需签证游客基本是中国人-eac47f1e.md",
    feed_oped2_initium => "oped2-端傳媒/2020-07-30-李蔚：李登輝，「中華民國在台灣」監造人.md",
    feed_oped2_nytimes_cn => "oped2-纽约时报/1048149_多家科技巨头暂停处理港府索取用户数据请求.md",
    feed_oped2_weiquanwang => "oped2-维权网/2020-07-31-湖北疫情趋稳，黄石冤民倪碧玉到法院提交诉讼状遭拒-6c0bee36.md",
    feed_oped2_caa_ins => "oped2-网络社会研究所/2019-01-12-第三届网络社会年会-智慧都市网络（IUF）报告人  若林干夫：购物中心与湾区：就东京都会区对当代的-725ff4f8.md",
    feed_rsshub_acg => "rsshub-二次元/2021年03月29日 割引終了がち百合ちゃんと嘘つきの俺1.md",
    feed_rsshub_traditional_media => "rsshub-传统媒体/_World_ Afghanistan_ US Defence Secretary Lloyd Austin on unannounced Kabul visit.md",
    feed_rsshub_social_media => "rsshub-社交媒体/等我两分钟，快画完了-c1b3624a.md",
    feed_ruby_de => "ruby-de/2016-11-09-ruby-2-4-0-preview3-released.md",
    feed_ruby_es => "ruby-es/2021-11-24-ruby-2-7-5-released.md",
    feed_ruby_fa => "ruby-fa/2019-05-30-ruby-2-7-0-preview1-released.md",
    feed_ruby_it => "ruby-it/2013-11-22-rilasciato-ruby-2-1-0-preview2.md",
    feed_ruby_pl => "ruby-pl/2014-10-27-changing-default-settings-of-ext-openssl.md",
    feed_ruby_pt => "ruby-pt/2018-06-20-suporte-do-ruby-2-2-acabou.md",
    feed_ruby_zh_cn => "ruby-zh_cn/2019-05-30-ruby-2-7-0-preview1-released.md",
}
