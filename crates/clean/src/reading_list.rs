//! A reading list that ends a story — a heading such as "Related", "Read more" or "相关阅读",
//! then a few short teasers that link to other stories — is the site's, not the story's; the
//! readers' comments under a heading such as "Comments" or "回應" are theirs. Told by words and
//! structure, whatever the page's class names: the same rule for fragments, Markdown and whole
//! pages.

use crate::text::weight;

/// Headings that open a reading list, lower-cased, without a trailing colon.
const HEADINGS: [&str; 36] = [
    "related",
    "related articles",
    "related stories",
    "related posts",
    "related news",
    "related reading",
    "related content",
    "related coverage",
    "read more",
    "read next",
    "read also",
    "more stories",
    "more on this story",
    "more on this topic",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "recommended reading",
    "further reading",
    "相关阅读",
    "延伸阅读",
    "推荐阅读",
    "相关文章",
    "相关新闻",
    "更多阅读",
    "猜你喜欢",
    "相關閱讀",
    "延伸閱讀",
    "推薦閱讀",
    "相關文章",
    "相關新聞",
    "関連記事",
    "あわせて読みたい",
    "관련 기사",
    "관련기사",
];
/// A heading that starts so and is short is one too: "More from Reuters".
const HEADING_PREFIX: &str = "more from ";
/// The longest such heading, in characters.
const MAX_HEADING_CHARS: usize = 40;
/// The most teaser lines a reading list has.
const MAX_TEASER_LINES: usize = 30;
/// The longest teaser line — a headline, a source, a date, a first sentence — in characters,
/// a CJK one counting three (about what a word and its space take), as the main-content
/// scores count them: 66 Chinese characters are a paragraph of the story, not a teaser.
const MAX_TEASER_WEIGHT: usize = 200;

/// Headings of the readers' comments under a post, lower-cased, without a trailing colon.
const COMMENT_HEADINGS: [&str; 14] = [
    "comments",
    "responses",
    "reader comments",
    "回應",
    "回应",
    "评论",
    "評論",
    "网友评论",
    "網友評論",
    "读者评论",
    "留言",
    "コメント",
    "댓글",
    "kommentare",
];
/// The most lines of comments after such a heading.
const MAX_COMMENT_LINES: usize = 60;
/// The longest line of a comment, weighted as [`MAX_TEASER_WEIGHT`] is.
const MAX_COMMENT_WEIGHT: usize = 600;

/// What a heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opens {
    ReadingList,
    Comments,
}

/// What a line opens, if it is a heading of a reading list or of comments.
fn heading(line: &str) -> Option<Opens> {
    let text = line.trim().trim_end_matches([':', '：']).trim_end();
    if text.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    let lower = text.to_lowercase();
    if HEADINGS.contains(&lower.as_str()) || lower.starts_with(HEADING_PREFIX) {
        Some(Opens::ReadingList)
    } else if COMMENT_HEADINGS.contains(&lower.as_str()) {
        Some(Opens::Comments)
    } else {
        None
    }
}

/// Where the trailing reading list or comments start, if the paragraphs end with them: a
/// heading (not opening the text), on its own or as the first line of its paragraph, followed
/// by short lines — for a reading list at most [`MAX_TEASER_LINES`], at least a quarter of
/// which `links` says hold a link to another story (a teaser card is a source, a date, a
/// linked headline and a first sentence); for comments at most [`MAX_COMMENT_LINES`].
pub(crate) fn start(paragraphs: &[String], links: impl Fn(&str) -> bool) -> Option<usize> {
    // The lines after the heading, last first; which of them link is asked only when a
    // reading list's heading is found (asking costs a search of the page's anchors).
    let mut lines: Vec<&str> = Vec::new();
    let mut heaviest = 0;
    for at in (0..paragraphs.len()).rev() {
        let paragraph: Vec<&str> = paragraphs[at]
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        for (line_at, line) in paragraph.iter().enumerate().rev() {
            let opens = (line_at == 0 && at > 0).then(|| heading(line)).flatten();
            let ends_here = match opens {
                Some(Opens::ReadingList) => {
                    lines.len() <= MAX_TEASER_LINES
                        && heaviest <= MAX_TEASER_WEIGHT
                        && lines.iter().filter(|l| links(l)).count() * 4 >= lines.len()
                }
                Some(Opens::Comments) => {
                    lines.len() <= MAX_COMMENT_LINES && heaviest <= MAX_COMMENT_WEIGHT
                }
                None => {
                    lines.push(line);
                    heaviest = heaviest.max(weight(line));
                    if lines.len() > MAX_COMMENT_LINES || heaviest > MAX_COMMENT_WEIGHT {
                        return None;
                    }
                    continue;
                }
            };
            return (ends_here && !lines.is_empty()).then_some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn a_heading_and_linked_teasers_at_the_end_are_the_reading_list() {
        let story = paragraphs(&[
            "The story's first paragraph, long enough to be one.",
            "Its second.",
            "Related",
            "Headline of another story",
            "多国请求债务减免，全球最大官方债权人中国要怎么做？",
        ]);
        assert_eq!(start(&story, |line| line != "Its second."), Some(2));
        // Cards: a source, a date, a linked headline, a first sentence.
        let cards = paragraphs(&[
            "Text.",
            "Related",
            "财新周刊",
            "May 9 · 2016",
            "芬太尼为何物？第三代毒品较量",
            "新型化学合成毒品的出现比进入管制目录还快",
        ]);
        assert_eq!(start(&cards, |line| line.starts_with("芬太尼")), Some(1));
        let chinese = paragraphs(&["正文。", "相关阅读：", "标题一\n标题二\n标题三"]);
        assert_eq!(start(&chinese, |_| true), Some(1));
        assert_eq!(
            start(
                &paragraphs(&["Text.", "More from Reuters", "A headline"]),
                |_| true
            ),
            Some(1)
        );
    }

    #[test]
    fn comments_under_a_post_and_a_heading_atop_its_lines_end_the_story_too() {
        let blog = paragraphs(&[
            "三月中旬，聽說陽明山的櫻花開了。",
            "回應\n阿美 說：好漂亮的櫻花！明年我也要去。\n大雄 說：請問公車是從哪一站坐的？",
        ]);
        assert_eq!(start(&blog, |_| false), Some(1));
        let portal = paragraphs(&[
            "正文。",
            "相关新闻\n·全省农民工培训工作会议召开 (2006-3-28)",
        ]);
        assert_eq!(start(&portal, |_| true), Some(1));
        // A story whose last section is headed "Comments" and runs long is the story.
        let long = "The minister's comments were measured, and the council answered each of them at length in a statement. ".repeat(7);
        assert_eq!(
            start(&paragraphs(&["Intro.", "Comments", &long]), |_| false),
            None
        );
    }

    #[test]
    fn a_heading_the_story_goes_on_after_or_lines_that_link_nowhere_are_text() {
        // The story goes on: a long paragraph after the heading.
        let long = "a sentence of the story that goes on and on. ".repeat(6);
        let goes_on = paragraphs(&["Intro.", "Related", &long]);
        assert_eq!(start(&goes_on, |_| true), None);
        // A Chinese paragraph of the story is short in characters, not in what it says.
        let chinese = "沙特国有石油巨头上周六在发给买家的通知中称，该公司将下调大部分产品价格，同时准备提高原油产量。周日晚纽约市场重新开市后，油价下跌，衡量全球油价的布伦特原油下跌约百分之二十九。";
        let digest = paragraphs(&["正文。", "Related", "另一篇报道的标题", chinese]);
        assert_eq!(start(&digest, |_| true), None);
        // The word is the story's own (a search operator, explained line by line).
        let explained = paragraphs(&[
            "Operators:",
            "related",
            "shows sites like a URL",
            "no other terms",
        ]);
        assert_eq!(start(&explained, |_| false), None);
        // A heading that opens the text is not a list after a story.
        assert_eq!(
            start(&paragraphs(&["Related", "A headline"]), |_| true),
            None
        );
    }
}
