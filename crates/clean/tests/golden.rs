//! Golden snapshots: the cleaned `Article` of each fixture, as reviewed JSON.
//!
//! Fixtures are real articles (seeds and corpus files spanning the feeds, front matter styles,
//! body kinds, encodings and languages). A changed snapshot is a changed output: read the
//! `.snap.new` against its fixture before accepting it (`cargo insta review`).

use std::path::Path;

use lede_clean::{CleanSettings, clean};
use lede_parse::{ParseSettings, parse};
use lede_record::{RawFile, SourcePath};

fn golden(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let raw = RawFile {
        source: SourcePath::new(&dir, name),
        bytes: std::fs::read(dir.join(name)).expect("fixture exists"),
    };
    let doc = parse(&raw, &ParseSettings::default()).expect("fixture parses");
    let article = clean(&doc, &CleanSettings::default()).expect("fixture cleans");
    insta::assert_json_snapshot!(name, article);
}

macro_rules! golden_tests {
    ($($test:ident => $file:literal,)*) => {
        $(#[test] fn $test() { golden($file); })*
    };
}

golden_tests! {
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
}
