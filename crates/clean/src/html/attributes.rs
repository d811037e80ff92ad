//! Tags with absurdly many attributes, cut down before html5ever sees them: its tokenizer
//! checks each new attribute's name against all the tag has so far, so one tag of 60,000
//! attributes is 1.8 billion comparisons. A tag keeps its first [`MAX_ATTRIBUTES`]; the rest
//! are dropped. The scan follows the tokenizer's states closely enough to count at least the
//! attributes it would: comments are skipped, and so is the text of the elements whose text
//! is not markup (`<script>`, `<style>`, `<title>`, …), where `i<n; j>0` is code — except
//! inside `<svg>` and `<math>`, where those are ordinary elements.

use memchr::memchr;

/// Attributes one tag keeps. Real pages stay far below (a few dozen at most).
pub(crate) const MAX_ATTRIBUTES: usize = 256;

/// `source` with the attributes of each tag past the first [`MAX_ATTRIBUTES`] removed, and how
/// many were; `None` when no tag has that many (the source is used as it is).
pub(super) fn capped(source: &str) -> Option<(String, usize)> {
    let cuts = over_the_cap(source.as_bytes());
    if cuts.is_empty() {
        return None;
    }
    let mut capped = String::with_capacity(source.len());
    let mut dropped = 0;
    let mut from = 0;
    for cut in cuts {
        capped.push_str(&source[from..cut.start]);
        from = cut.end;
        dropped += cut.attributes;
    }
    capped.push_str(&source[from..]);
    Some((capped, dropped))
}

/// A byte range to remove: the attributes of a tag past the cap, up to the tag's end.
struct Cut {
    start: usize,
    end: usize,
    attributes: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Data,
    TagName,
    BeforeName,
    Name,
    AfterName,
    BeforeValue,
    Quoted(u8),
    Unquoted,
}

/// Elements whose text the tokenizer reads as text, up to their end tag.
const RAW_TEXT: [&[u8]; 8] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
];

/// The cuts to make, in order. Every boundary is an ASCII byte, so the cuts fall between
/// characters.
fn over_the_cap(bytes: &[u8]) -> Vec<Cut> {
    let mut cuts = Vec::new();
    let mut state = State::Data;
    let mut attributes = 0;
    let mut cut_start = None;
    // The tag being read: where its name starts and ends, and whether it is an end tag.
    let mut name = (0, 0);
    let mut end_tag = false;
    // How deep in `<svg>` or `<math>` the scan is.
    let mut foreign = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match state {
            State::Data => {
                let Some(next) = memchr(b'<', &bytes[i..]) else {
                    break;
                };
                i += next;
                let rest = &bytes[i + 1..];
                if rest.starts_with(b"!--") {
                    i = skip_past(bytes, i + 4, b"-->");
                    continue;
                }
                match rest.first() {
                    Some(b'!' | b'?') => {
                        i = skip_past(bytes, i + 1, b">");
                        continue;
                    }
                    Some(b'/') => {
                        state = State::TagName;
                        end_tag = true;
                        i += 2;
                    }
                    Some(c) if c.is_ascii_alphabetic() => {
                        state = State::TagName;
                        end_tag = false;
                        i += 1;
                    }
                    _ => i += 1,
                }
                name = (i, i);
                attributes = 0;
                cut_start = None;
                continue;
            }
            State::TagName => match byte {
                b'>' => state = State::Data,
                b'/' => state = State::BeforeName,
                b if b.is_ascii_whitespace() => state = State::BeforeName,
                _ => name.1 = i + 1,
            },
            State::BeforeName | State::AfterName => match byte {
                b'>' => state = State::Data,
                b'=' if state == State::AfterName => state = State::BeforeValue,
                b'/' => state = State::BeforeName,
                b if b.is_ascii_whitespace() => {}
                _ => {
                    attributes += 1;
                    if attributes == MAX_ATTRIBUTES + 1 {
                        cut_start = Some(i);
                    }
                    state = State::Name;
                }
            },
            State::Name => match byte {
                b'>' => state = State::Data,
                b'=' => state = State::BeforeValue,
                b'/' => state = State::BeforeName,
                b if b.is_ascii_whitespace() => state = State::AfterName,
                _ => {}
            },
            State::BeforeValue => match byte {
                b'"' | b'\'' => state = State::Quoted(byte),
                b'>' => state = State::Data,
                b if b.is_ascii_whitespace() => {}
                _ => state = State::Unquoted,
            },
            State::Quoted(quote) => {
                if let Some(close) = memchr(quote, &bytes[i..]) {
                    i += close;
                    state = State::BeforeName;
                } else {
                    i = bytes.len();
                    continue;
                }
            }
            State::Unquoted => match byte {
                b'>' => state = State::Data,
                b if b.is_ascii_whitespace() => state = State::BeforeName,
                _ => {}
            },
        }
        if state == State::Data {
            if let Some(start) = cut_start.take() {
                cuts.push(Cut {
                    start,
                    end: i,
                    attributes: attributes - MAX_ATTRIBUTES,
                });
            }
            let tag = &bytes[name.0..name.1];
            if tag.eq_ignore_ascii_case(b"svg") || tag.eq_ignore_ascii_case(b"math") {
                foreign = if end_tag {
                    foreign.saturating_sub(1)
                } else {
                    foreign + 1
                };
            } else if !end_tag && foreign == 0 {
                if tag.eq_ignore_ascii_case(b"plaintext") {
                    break;
                }
                if let Some(raw) = RAW_TEXT.iter().find(|raw| tag.eq_ignore_ascii_case(raw)) {
                    // To the end tag, which the scan then reads as a tag.
                    i = end_tag_of(bytes, i + 1, raw);
                    name = (0, 0);
                    continue;
                }
            }
            name = (0, 0);
        }
        i += 1;
    }
    if let Some(start) = cut_start {
        // A tag left open at the end: its excess runs to the end.
        cuts.push(Cut {
            start,
            end: bytes.len(),
            attributes: attributes - MAX_ATTRIBUTES,
        });
    }
    cuts
}

/// Where the end tag `</name` (in any case) starts, at or after `from`; the input's end if none.
fn end_tag_of(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut at = from;
    while let Some(next) = bytes.get(at..).and_then(|rest| memchr(b'<', rest)) {
        at += next;
        let rest = &bytes[at + 1..];
        if rest.first() == Some(&b'/')
            && rest.len() > name.len()
            && rest[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

/// The index just past the first `end` at or after `from` (the input's end if none).
fn skip_past(bytes: &[u8], from: usize, end: &[u8]) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| memchr::memmem::find(rest, end))
        .map_or(bytes.len(), |at| from + at + end.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(attributes: usize, separator: &str) -> String {
        let names: Vec<String> = (0..attributes).map(|i| format!("a{i}=\"x>y\"")).collect();
        format!("<p>one</p><div {}>two</div>", names.join(separator))
    }

    #[test]
    fn a_tag_under_the_cap_is_left_alone() {
        assert!(capped(&tag(MAX_ATTRIBUTES, " ")).is_none());
        assert!(capped("<script>if (a < b) { c(); }</script><!-- <x a b c> -->").is_none());
    }

    #[test]
    fn code_in_a_script_is_not_a_tag_but_a_tag_in_svg_is() {
        // Minified JavaScript: `i<n` then hundreds of "words" before the next `>`.
        let code = format!("for(i=0;i<n{};i++){{}}", " x".repeat(MAX_ATTRIBUTES * 2));
        for element in ["script", "SCRIPT", "style", "title"] {
            let page = format!("<{element}>{code}</{element}><meta name=\"author\" content=\"A\">");
            assert!(capped(&page).is_none(), "{element}");
        }
        // Inside SVG a script is an ordinary element: a tag in it is a tag.
        let inside_svg = format!(
            "<svg><script>{}</script></svg>",
            tag(MAX_ATTRIBUTES + 5, " ")
        );
        assert_eq!(capped(&inside_svg).map(|(_, dropped)| dropped), Some(5));
    }

    #[test]
    fn a_tag_over_the_cap_keeps_its_first_attributes_and_the_text() {
        for separator in [" ", "\n", "/"] {
            let (capped, dropped) = capped(&tag(MAX_ATTRIBUTES + 10, separator)).unwrap();
            assert_eq!(dropped, 10, "{separator:?}");
            assert!(capped.contains(&format!("a{}=", MAX_ATTRIBUTES - 1)));
            assert!(!capped.contains(&format!("a{}=", MAX_ATTRIBUTES)));
            assert!(
                capped.ends_with(">two</div>"),
                "{}",
                &capped[capped.len() - 40..]
            );
            assert!(capped.starts_with("<p>one</p><div a0="));
        }
    }
}
