//! Entities left after HTML parsing: feeds often escape twice (`&amp;nbsp;`), so one decode
//! leaves `&nbsp;` in the text. A second pass decodes what is still entity-shaped.

use crate::text::{Paragraphs, is_blank};

/// Decodes `&name;`, `&#123;` and `&#x1F600;` left in `text`; anything else is kept verbatim.
pub(crate) fn decode_leftovers(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let candidate = &rest[amp..];
        match decode_one(candidate) {
            Some((decoded, len)) => {
                out.push_str(&decoded);
                rest = &candidate[len..];
            }
            None => {
                out.push('&');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    if out
        .chars()
        .any(|c| is_blank(c) && c != ' ' && c != '\n' && c != '\t')
    {
        // A decoded `&nbsp;` is a blank like any other: fold it per line.
        return out
            .split('\n')
            .filter_map(|line| {
                let mut p = Paragraphs::default();
                p.push_text(line);
                p.finish().pop()
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    out
}

fn decode_one(candidate: &str) -> Option<(String, usize)> {
    let semi = candidate[..crate::lang::floor_char_boundary(candidate, 40)].find(';')?;
    let body = &candidate[1..semi];
    let decoded = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code).filter(|c| *c != '\0')?.to_string()
    } else {
        if body.is_empty() || !body.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let (first, second) = *markup5ever::data::NAMED_ENTITIES.get(&candidate[1..=semi])?;
        let mut s = String::new();
        s.push(char::from_u32(first)?);
        if second != 0 {
            s.push(char::from_u32(second)?);
        }
        s
    };
    Some((decoded, semi + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_escaped_entities_are_decoded() {
        assert_eq!(
            decode_leftovers("a&nbsp;b &amp; c&#8217;s &#x4e2d;"),
            "a b & c’s 中"
        );
    }

    #[test]
    fn ampersands_that_are_not_entities_stay() {
        assert_eq!(
            decode_leftovers("AT&T; R&D & more &bogus;"),
            "AT&T; R&D & more &bogus;"
        );
    }
}
