//! Plain-text rules shared by every body kind: white space, paragraphs, counts and the hash.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use lede_record::chars;

/// What a CJK character weighs in [`weight`]: about what a word and its space take in Latin
/// text, so one length threshold holds for Chinese, Japanese and Latin text alike.
pub(crate) const CJK_WEIGHT: u8 = 3;

/// The weight of a text, the measure of length the page rules share: a CJK character counts
/// [`CJK_WEIGHT`], other characters one, blanks nothing.
pub(crate) fn weight(text: &str) -> usize {
    text.chars()
        .filter(|&c| !is_blank(c))
        .map(|c| match chars::cjk(c) {
            Some(_) => usize::from(CJK_WEIGHT),
            None => 1,
        })
        .sum()
}

/// White space as readers see it: ASCII blanks, NBSP, the ideographic space and the other
/// Unicode spaces.
pub(crate) fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// Characters that carry nothing and are dropped: zero-width spaces and joiners outside emoji,
/// and control characters (a stray DEL in a caption) other than line breaks and tabs.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    ) || (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

/// The byte where the first blank or invisible character of `text` starts, or its length.
/// Read by bytes: ASCII stops only at controls and the space, and of the other characters only
/// those whose UTF-8 starts with one of five lead bytes can be blank or invisible (U+0080–00BF,
/// U+1680, U+2000–2FFF, U+3000–3FFF, U+FEFF); the rest, CJK among them, are stepped over
/// without being decoded.
fn run_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            if byte <= b' ' || byte == 0x7f {
                return at;
            }
            at += 1;
            continue;
        }
        if matches!(byte, 0xc2 | 0xe1 | 0xe2 | 0xe3 | 0xef)
            && text[at..]
                .chars()
                .next()
                .is_some_and(|c| is_blank(c) || is_invisible(c))
        {
            return at;
        }
        at += match byte {
            0xf0.. => 4,
            0xe0.. => 3,
            _ => 2,
        };
    }
    text.len()
}

/// Collects inline text into paragraphs, folding white space as a browser does.
#[derive(Debug, Default)]
pub(crate) struct Paragraphs {
    done: Vec<String>,
    current: String,
    /// Per finished paragraph, whether it was marked (see [`Paragraphs::mark`]).
    marks: Vec<bool>,
    current_marked: bool,
}

impl Paragraphs {
    /// Appends text, folding every run of blanks into one space.
    pub(crate) fn push_text(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            // Copy the run up to the next blank or invisible character in one go.
            let end = run_end(rest);
            self.current.push_str(&rest[..end]);
            rest = &rest[end..];
            let Some(c) = rest.chars().next() else { break };
            if is_blank(c) && !self.current.is_empty() && !self.current.ends_with([' ', '\n', '\t'])
            {
                self.current.push(' ');
            }
            rest = &rest[c.len_utf8()..];
        }
    }

    /// Appends preformatted text: line breaks kept, other blanks folded per line.
    pub(crate) fn push_preformatted(&mut self, text: &str) {
        let mut lines = text.split('\n');
        if let Some(first) = lines.next() {
            self.push_text(first);
        }
        for line in lines {
            self.line_break();
            self.push_text(line);
        }
    }

    /// A `<br>`: a new line inside the paragraph.
    pub(crate) fn line_break(&mut self) {
        self.current.push('\n');
    }

    /// A `<br>`: a line break, or the end of the paragraph when the line it ends is blank (the
    /// second of two in a row, how pages without `<p>` separate paragraphs).
    pub(crate) fn line_break_or_end(&mut self) {
        let line_start = self.current.rfind('\n').map(|i| i + 1);
        match line_start {
            Some(start) if self.current[start..].chars().all(is_blank) => self.end_paragraph(),
            _ => self.current.push('\n'),
        }
    }

    /// A table cell boundary.
    pub(crate) fn cell_break(&mut self) {
        let line_start = self.current.rfind('\n').map_or(0, |i| i + 1);
        if !self.current[line_start..].trim().is_empty() {
            self.current.push('\t');
        }
    }

    /// Marks the current paragraph (it held a promotion link that was left out).
    pub(crate) fn mark(&mut self) {
        self.current_marked = true;
    }

    /// Ends the current paragraph (a block element opened or closed).
    pub(crate) fn end_paragraph(&mut self) {
        let marked = std::mem::take(&mut self.current_marked);
        if self.current.is_empty() {
            return;
        }
        let mut paragraph = String::with_capacity(self.current.len());
        for line in self.current.split('\n') {
            let line = line
                .split('\t')
                .map(str::trim)
                .filter(|cell| !cell.is_empty())
                .collect::<Vec<_>>()
                .join("\t");
            if !line.is_empty() {
                if !paragraph.is_empty() {
                    paragraph.push('\n');
                }
                paragraph.push_str(&line);
            }
        }
        self.current.clear();
        if !paragraph.is_empty() {
            self.done.push(paragraph);
            self.marks.push(marked);
        }
    }

    /// Whether nothing has been collected yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.done.is_empty() && self.current.trim().is_empty()
    }

    /// The last finished paragraph.
    pub(crate) fn last(&self) -> Option<&str> {
        self.done.last().map(String::as_str)
    }

    /// Removes the last finished paragraph.
    pub(crate) fn pop(&mut self) {
        self.done.pop();
        self.marks.pop();
    }

    /// Finished paragraphs so far.
    pub(crate) fn count(&self) -> usize {
        self.done.len()
    }

    /// The first finished paragraph.
    pub(crate) fn first(&self) -> Option<&str> {
        self.done.first().map(String::as_str)
    }

    /// The paragraphs so far, ending the current one.
    pub(crate) fn finish(self) -> Vec<String> {
        self.finish_with_marks().0
    }

    /// The paragraphs so far and, for each, whether it was marked.
    pub(crate) fn finish_with_marks(mut self) -> (Vec<String>, Vec<bool>) {
        self.end_paragraph();
        (self.done, self.marks)
    }
}

/// The text of a Project Gutenberg ebook without the licence header and footer around it: what
/// follows the line that ends the header (`*** START OF THE PROJECT GUTENBERG EBOOK …`, or
/// `*END*THE SMALL PRINT!…*END*` in older etexts) up to the footer (`*** END OF …`, `End of
/// the Project Gutenberg EBook …`). Any other text is returned whole.
pub(crate) fn without_ebook_licence(body: &str) -> &str {
    let header_end = body.lines().find(|line| {
        let upper = line.to_ascii_uppercase();
        (upper.contains("*** START OF") && upper.contains("PROJECT GUTENBERG"))
            || upper.contains("*END*THE SMALL PRINT!")
    });
    let Some(header_end) = header_end else {
        return body;
    };
    let start = header_end.as_ptr() as usize - body.as_ptr() as usize + header_end.len();
    let rest = &body[start..];
    let footer = rest.lines().find(|line| {
        let upper = line.to_ascii_uppercase();
        (upper.contains("*** END OF") && upper.contains("PROJECT GUTENBERG"))
            || upper
                .trim_start()
                .starts_with("END OF THE PROJECT GUTENBERG")
            || upper.trim_start().starts_with("END OF PROJECT GUTENBERG")
    });
    match footer {
        Some(line) => &rest[..line.as_ptr() as usize - rest.as_ptr() as usize],
        None => rest,
    }
}

/// Paragraphs of a plain-text body: blocks separated by blank lines; a text with no blank line
/// at all has one paragraph per line (as feeds that strip `<p>` write it).
pub(crate) fn plain_paragraphs(body: &str) -> Vec<String> {
    let has_blank_line = body.lines().any(|l| l.trim().is_empty())
        && body.trim().lines().any(|l| l.trim().is_empty());
    let mut out = Paragraphs::default();
    for line in body.lines() {
        if line.chars().all(is_blank) {
            out.end_paragraph();
            continue;
        }
        out.push_text(line);
        if has_blank_line {
            out.line_break();
        } else {
            out.end_paragraph();
        }
    }
    out.finish()
}

/// The longest paragraph that can be a call to action.
const MAX_CALL_TO_ACTION_CHARS: usize = 200;

/// What a short paragraph asks of the reader, if anything: to subscribe (`（欢迎点击此处订阅
/// NYT简报…）`, `Sign up for our newsletter`), or to click through (`点击查看本文英文版`,
/// `Read more`). Whether it is a promotion also depends on its links (see `clean`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallToAction {
    Subscribe,
    ClickThrough,
}

/// Marks of a call to subscribe, lower case (their letters that have case are ASCII).
const SUBSCRIBE: [&str; 18] = [
    "subscribe",
    "sign up",
    "newsletter",
    "become a member",
    "付費會員",
    "付费会员",
    "成為會員",
    "成为会员",
    "订阅",
    "訂閱",
    "購読",
    "구독",
    "abonnez",
    "abonnieren",
    "suscríbete",
    "inscreva-se",
    "会員登録",
    "회원가입",
];

/// Marks of a call to click through.
const CLICK: [&str; 9] = [
    "click here",
    "read more",
    "continue reading",
    "点击",
    "點擊",
    "阅读原文",
    "閱讀原文",
    "阅读全文",
    "閱讀全文",
];

/// Whether `text` has `least..=most` characters, told by its length in bytes where that is
/// enough (a character is one to four bytes): the rules that take only short lines rule out
/// most paragraphs without counting their characters.
pub(crate) fn has_chars_within(text: &str, least: usize, most: usize) -> bool {
    if text.len() < least || text.len() > most * 4 {
        return false;
    }
    (least..=most).contains(&text.chars().count())
}

pub(crate) fn call_to_action(paragraph: &str) -> Option<CallToAction> {
    // Both lists in one automaton, ignoring ASCII case: this runs for every short line.
    static MARKS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(SUBSCRIBE.iter().chain(&CLICK))
            .ok()
    });
    if !has_chars_within(paragraph, 0, MAX_CALL_TO_ACTION_CHARS) {
        return None;
    }
    let mut found = None;
    for hit in MARKS.as_ref()?.find_overlapping_iter(paragraph) {
        if hit.pattern().as_usize() < SUBSCRIBE.len() {
            return Some(CallToAction::Subscribe);
        }
        found = Some(CallToAction::ClickThrough);
    }
    found
}

/// The longest first line of a plain text read as its headline, in characters.
const MAX_HEADLINE_CHARS: usize = 150;

/// The headline of a plain text with no metadata: a first paragraph of one short line that
/// does not end a sentence (`Chelsea sack Mutu`), followed by more text.
pub(crate) fn plain_headline(paragraphs: &[String]) -> Option<&str> {
    let [first, _, ..] = paragraphs else {
        return None;
    };
    let ends_sentence =
        first.ends_with(['.', ',', ';', ':', '。', '，', '；', '：', '、', '…', '-']);
    (!first.contains('\n') && first.chars().count() <= MAX_HEADLINE_CHARS && !ends_sentence)
        .then_some(first.as_str())
}

/// The counts of the `char_count`, `word_count` and `paragraph_count` columns.
pub(crate) struct Counts {
    pub(crate) chars: i64,
    pub(crate) words: i64,
}

/// Counts characters and words as a [`chars::Reader`] of the clean text's one pass. A word is
/// a run of letters and digits, joined across an apostrophe, `.` or `:` between letters and
/// `.` `,` `;` `'` between digits, and across `_` — UAX #29's word rules as they apply to
/// article text — while each Han, Kana and Hangul character is a word of its own.
#[derive(Default)]
pub(crate) struct Counting {
    chars: usize,
    words: usize,
    /// In a segment that can still become (or already is) a word; whether it has been counted.
    in_segment: bool,
    counted: bool,
    /// Whether the character before is alphabetic, and numeric.
    previous: (bool, bool),
    /// A punctuation mark inside a segment, with what came before it: whether it joins the
    /// segment is known at the next character.
    joiner: Option<(char, (bool, bool))>,
}

impl chars::Reader for Counting {
    fn char(&mut self, c: char, class: chars::Class) {
        if let Some((joiner, (alphabetic, numeric))) = self.joiner {
            self.joiner = None;
            let joins_letters = matches!(joiner, '\'' | '\u{2019}' | '.' | ':' | '\u{b7}')
                && alphabetic
                && class.is_alphabetic()
                && class.cjk().is_none();
            let joins_digits = matches!(joiner, '\'' | '\u{2019}' | '.' | ',' | ';')
                && numeric
                && class.is_numeric();
            self.in_segment = joins_letters || joins_digits;
        }
        if !(class.is_whitespace() || c == '\u{feff}') {
            self.chars += 1;
        }
        if class.cjk().is_some() {
            self.words += 1;
            self.in_segment = false;
        } else if class.is_alphanumeric() || c == '_' {
            if !self.in_segment {
                (self.in_segment, self.counted) = (true, false);
            }
            if c != '_' && !self.counted {
                self.words += 1;
                self.counted = true;
            }
        } else if self.in_segment {
            self.joiner = Some((c, self.previous));
        }
        self.previous = (class.is_alphabetic(), class.is_numeric());
    }
}

impl Counting {
    pub(crate) fn finish(self) -> Counts {
        Counts {
            chars: i64::try_from(self.chars).unwrap_or(i64::MAX),
            words: i64::try_from(self.words).unwrap_or(i64::MAX),
        }
    }
}

/// Whether two strings hold the same words, ignoring case, punctuation and white space
/// (`"My Headline!"` and `"my headline"`).
/// Compared as they are read, so a long paragraph that differs early costs its first words.
pub(crate) fn same_words(a: &str, b: &str) -> bool {
    fn words(s: &str) -> impl Iterator<Item = char> + '_ {
        s.chars()
            .filter(|&c| chars::is_alphanumeric(c))
            .flat_map(char::to_lowercase)
    }
    let mut a = words(a).peekable();
    a.peek().is_some() && a.eq(words(b))
}

/// Hex xxh3-128 of the text.
pub(crate) fn content_hash(text: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

/// Folds blanks in a metadata value (a title broken over lines, NBSP in an author).
pub(crate) fn fold_blanks(value: &str) -> String {
    let mut p = Paragraphs::default();
    p.push_text(value);
    p.current.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character: `run_end` stops exactly where a search for a blank or invisible
    /// character would.
    #[test]
    fn runs_end_at_every_blank_and_invisible_character_and_nowhere_else() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            let expected = text
                .find(|c: char| is_blank(c) || is_invisible(c))
                .unwrap_or(text.len());
            assert_eq!(run_end(&text), expected, "{:#x}", u32::from(c));
        }
    }

    #[test]
    fn calls_to_action_in_any_case_and_script_subscribe_first() {
        assert_eq!(
            call_to_action("Sign Up for our NEWSLETTER"),
            Some(CallToAction::Subscribe)
        );
        assert_eq!(
            call_to_action("点击此处订阅"),
            Some(CallToAction::Subscribe)
        );
        assert_eq!(
            call_to_action("Suscríbete hoy"),
            Some(CallToAction::Subscribe)
        );
        assert_eq!(
            call_to_action("阅读原文 / Read More"),
            Some(CallToAction::ClickThrough)
        );
        assert_eq!(call_to_action("A paragraph about reading."), None);
        let long = format!("{} subscribe", "word ".repeat(60));
        assert_eq!(call_to_action(&long), None);
    }

    #[test]
    fn blanks_fold_and_cells_tab() {
        let mut p = Paragraphs::default();
        p.push_text("  a\u{a0}\u{3000} b\n\t c ");
        p.line_break();
        p.cell_break();
        p.push_text("x");
        p.cell_break();
        p.push_text(" y ");
        p.end_paragraph();
        p.end_paragraph();
        assert_eq!(p.finish(), vec!["a b c\nx\ty"]);
    }

    #[test]
    fn cjk_characters_weigh_three_and_blanks_nothing() {
        assert_eq!(weight("漢字 and\u{3000}한글\u{feff}\u{a0}x"), 16);
    }

    fn counts(text: &str) -> Counts {
        let mut counting = Counting::default();
        chars::read(text, &mut counting);
        counting.finish()
    }

    #[test]
    fn cjk_characters_count_as_words() {
        let c = counts("我们昨天发布了新版本 and 오늘 날씨");
        assert_eq!(c.words, 10 + 1 + 4);
        assert_eq!(c.chars, 10 + 3 + 4);
    }

    #[test]
    fn word_rules_follow_uax29_on_article_text() {
        assert_eq!(
            counts("don't stop: 3.14, 1,000 and e.g. a:b snake_case").words,
            8
        );
        assert_eq!(counts("end. Next").words, 2);
        assert_eq!(counts("東京タワー").words, 5);
    }

    proptest::proptest! {
        /// The one-pass count agrees with unicode-segmentation's UAX #29 words on Latin text.
        #[test]
        fn word_count_matches_uax29(text in "[a-zA-Z0-9 .,;:'_!?()-]{0,80}") {
            use unicode_segmentation::UnicodeSegmentation;
            proptest::prop_assert_eq!(counts(&text).words as usize, text.unicode_words().count());
        }
    }

    #[test]
    fn ebook_licence_header_and_footer_are_not_text() {
        let book = "The Project Gutenberg EBook of X\n\nsubscribe to our newsletter\n*** START OF THIS PROJECT GUTENBERG EBOOK X ***\n\nChapter 1\n\nIt was night.\n\n*** END OF THIS PROJECT GUTENBERG EBOOK X ***\nlicence";
        assert_eq!(
            without_ebook_licence(book).trim(),
            "Chapter 1\n\nIt was night."
        );
        let old = "Etext header\n*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\nRASHOMON\n\nText.";
        assert_eq!(without_ebook_licence(old).trim(), "RASHOMON\n\nText.");
        assert_eq!(without_ebook_licence("Just a text."), "Just a text.");
    }

    #[test]
    fn plain_text_without_blank_lines_is_one_paragraph_per_line() {
        assert_eq!(plain_paragraphs("one.\ntwo.\n"), vec!["one.", "two."]);
        assert_eq!(
            plain_paragraphs("Title\n\nline a\nline b\n\nlast"),
            vec!["Title", "line a\nline b", "last"]
        );
    }
}
