//! What ends a post but is not its text: a signature — a rule line (`----------`, `-- `,
//! `______`) and a few short lines after it, as forums and mailing lists put under every post
//! (`签名：行万里路，读万卷书。`) — and an editor's credit in brackets (`（责任编辑：张三）`), as
//! Chinese news sites put under every story.

use crate::text::weight;

/// The most lines after the rule.
const MAX_SIGNATURE_LINES: usize = 3;
/// The most text after the rule, in weighted characters (a CJK character counts three): a
/// motto, a name, a link — not a section of the story.
const MAX_SIGNATURE_WEIGHT: usize = 200;
/// The fewest characters of a rule line (`--` alone is the mail convention and counts too).
const MIN_RULE_CHARS: usize = 4;

/// Words of an editor's credit.
const EDITOR_WORDS: [&str; 5] = ["责任编辑", "責任編輯", "编辑", "編輯", "责编"];
/// The longest credit line, in characters.
const MAX_CREDIT_CHARS: usize = 40;

/// Whether a paragraph is an editor's credit: short, in brackets, naming an editor.
fn is_credit(paragraph: &str) -> bool {
    let line = paragraph.trim();
    let bracketed = [('（', '）'), ('(', ')'), ('【', '】'), ('[', ']')]
        .iter()
        .any(|&(open, close)| line.starts_with(open) && line.ends_with(close));
    bracketed
        && line.chars().count() <= MAX_CREDIT_CHARS
        && EDITOR_WORDS.iter().any(|word| line.contains(word))
}

/// Whether a line is only a rule: `----`, `____`, `====`, `————`, `--`.
fn is_rule(line: &str) -> bool {
    let line = line.trim();
    let chars = line.chars().count();
    (line == "--" || chars >= MIN_RULE_CHARS)
        && line
            .chars()
            .all(|c| matches!(c, '-' | '_' | '=' | '—' | '─' | '━' | '~' | '*'))
}

/// Takes a trailing editor's credit and signature off `paragraphs` (each a run of lines): the
/// last rule line with at most [`MAX_SIGNATURE_LINES`] short lines after it. A text that is
/// nothing but a signature is left as it is.
pub(crate) fn take(paragraphs: &mut Vec<String>) {
    if paragraphs.len() > 1 && paragraphs.last().is_some_and(|p| is_credit(p)) {
        paragraphs.pop();
    }
    let mut after = 0;
    let mut after_weight = 0;
    for at in (0..paragraphs.len()).rev() {
        let lines: Vec<&str> = paragraphs[at].lines().collect();
        for (line_at, line) in lines.iter().enumerate().rev() {
            if line.trim().is_empty() {
                continue;
            }
            if is_rule(line) {
                let before: Vec<&str> = lines[..line_at].to_vec();
                let kept = before.join("\n").trim_end().to_owned();
                if at == 0 && kept.is_empty() {
                    return;
                }
                paragraphs.truncate(at + 1);
                if kept.is_empty() {
                    paragraphs.pop();
                } else {
                    paragraphs[at] = kept;
                }
                return;
            }
            after += 1;
            after_weight += weight(line);
            if after > MAX_SIGNATURE_LINES || after_weight > MAX_SIGNATURE_WEIGHT {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(list: &[&str]) -> Vec<String> {
        let mut paragraphs: Vec<String> = list.iter().map(|p| (*p).to_owned()).collect();
        take(&mut paragraphs);
        paragraphs
    }

    #[test]
    fn a_rule_and_short_lines_ending_a_post_are_its_signature() {
        assert_eq!(
            taken(&[
                "第一段。",
                "最后一段。\n----------------------------\n签名：行万里路，读万卷书。"
            ]),
            ["第一段。", "最后一段。"]
        );
        assert_eq!(
            taken(&["Post text.", "--", "Jane\nhttps://jane.example"]),
            ["Post text."]
        );
        assert_eq!(taken(&["Post text.", "________"]), ["Post text."]);
    }

    #[test]
    fn an_editors_credit_in_brackets_ends_a_story_and_not_its_text() {
        assert_eq!(taken(&["正文。", "（责任编辑：张三）"]), ["正文。"]);
        assert_eq!(taken(&["正文。", "[編輯:李四]"]), ["正文。"]);
        assert_eq!(
            taken(&["正文。", "编辑部的故事很长。"]),
            ["正文。", "编辑部的故事很长。"]
        );
    }

    #[test]
    fn a_rule_before_more_of_the_story_or_a_long_tail_stays() {
        let section = "A new section of the story, longer than a motto under a name: it goes on about the bridge, the river and the council's vote. ".repeat(3);
        assert_eq!(
            taken(&["Intro.", "----", &section]),
            ["Intro.", "----", &section]
        );
        assert_eq!(
            taken(&["Intro.", "----", "one", "two", "three", "four"]).len(),
            6
        );
        // Dashes inside a line, and a text that is only a signature, stay.
        assert_eq!(taken(&["a -- b"]), ["a -- b"]);
        assert_eq!(taken(&["----\nsig"]), ["----\nsig"]);
    }
}
