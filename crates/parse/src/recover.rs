//! Line-by-line recovery of front matter that real exporters wrote and strict parsers refuse:
//! unbalanced or doubled quotes, plain scalars starting with `@`, titles broken over lines.

use serde_json::{Map, Value};

/// Whether `line` starts a top-level `key<separator> value` entry.
pub(crate) fn looks_like_key_line(line: &str, separator: char) -> bool {
    key_and_rest(line, separator).is_some()
}

fn key_and_rest(line: &str, separator: char) -> Option<(&str, &str)> {
    if line.starts_with(char::is_whitespace) {
        return None;
    }
    let (key, rest) = line.split_once(separator)?;
    let key = key.trim();
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '));
    // `key:value` without a space is a URL or a time, not an entry (YAML requires `: `).
    let spaced = separator != ':' || rest.is_empty() || rest.starts_with(char::is_whitespace);
    (ok && spaced).then_some((key, rest))
}

enum Pending {
    Scalar(String),
    List(Vec<Value>),
}

/// Recovers a flat mapping from `block`, reading `key: value` (or `key = value`) lines, block
/// lists (`- item`), flow lists (`[a, b]`) and indented continuation lines. Returns `None` when
/// no line looks like an entry, so that garbage is rejected rather than kept as an empty mapping.
pub(crate) fn recover(block: &str, separator: char) -> Option<Map<String, Value>> {
    let mut fields = Map::new();
    let mut current: Option<(String, Pending)> = None;
    for raw in block.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some((key, rest)) = key_and_rest(line, separator) {
            finish(&mut fields, current.take());
            let rest = rest.trim();
            let pending = match flow_list(rest) {
                Some(items) => Pending::List(items),
                None => Pending::Scalar(unquote(rest).to_owned()),
            };
            current = Some((key.to_owned(), pending));
        } else if let Some(item) = trimmed
            .strip_prefix('-')
            .filter(|r| r.is_empty() || r.starts_with(' '))
        {
            if let Some((_, pending)) = current.as_mut() {
                let item = scalar(unquote(item.trim()));
                match pending {
                    Pending::List(items) => items.push(item),
                    Pending::Scalar(s) if s.is_empty() => *pending = Pending::List(vec![item]),
                    Pending::Scalar(_) => {}
                }
            }
        } else if let Some((_, Pending::Scalar(s))) = current.as_mut() {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(unquote(trimmed));
        }
    }
    finish(&mut fields, current);
    (!fields.is_empty()).then_some(fields)
}

fn finish(fields: &mut Map<String, Value>, entry: Option<(String, Pending)>) {
    if let Some((key, pending)) = entry {
        let value = match pending {
            Pending::Scalar(s) => scalar(&s),
            Pending::List(items) => Value::Array(items),
        };
        fields.insert(key, value);
    }
}

fn flow_list(value: &str) -> Option<Vec<Value>> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    Some(
        inner
            .split(',')
            .map(|item| unquote(item.trim()))
            .filter(|item| !item.is_empty())
            .map(scalar)
            .collect(),
    )
}

/// Typed like YAML's core schema would type it, so recovered and strict mappings agree.
fn scalar(value: &str) -> Value {
    match value {
        "" | "~" | "null" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => value
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(value.to_owned())),
    }
}

/// Strips the quote runs around a value when it both opens and closes with quotes
/// (`"""'title'"""` → `title`); a value that only starts with a quote keeps it, since the quote
/// is then part of the text (`'We are not the virus'_ Hundreds rally…`).
fn unquote(value: &str) -> &str {
    let is_quote = |c: char| c == '"' || c == '\'';
    let inner = value.trim_start_matches(is_quote);
    if inner.len() == value.len() {
        return value;
    }
    let stripped = inner.trim_end_matches(is_quote);
    if !inner.is_empty() && stripped.len() == inner.len() {
        value
    } else {
        stripped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unbalanced_leading_quote_is_kept() {
        let m = recover(
            "title: 'We are not the virus'_ Hundreds rally\ncategories: \n    - a\n    - b\n",
            ':',
        )
        .unwrap();
        assert_eq!(m["title"], "'We are not the virus'_ Hundreds rally");
        assert_eq!(m["categories"], json!(["a", "b"]));
    }

    #[test]
    fn at_sign_scalar_and_continuation_lines() {
        let m = recover(
            "author: @someone\ntitle: first\n  second\n\n  third\ntags: [x, 'y']\n",
            ':',
        )
        .unwrap();
        assert_eq!(m["author"], "@someone");
        assert_eq!(m["title"], "first second third");
        assert_eq!(m["tags"], json!(["x", "y"]));
    }

    #[test]
    fn empty_quotes_are_null_and_urls_are_values() {
        let m = recover("thumbnail: ''\nlink: https://a.example/x?y=1\n", ':').unwrap();
        assert_eq!(m["thumbnail"], Value::Null);
        assert_eq!(m["link"], "https://a.example/x?y=1");
    }

    #[test]
    fn toml_style_lines() {
        let m = recover("title = \"Hello\nauthors = [\"A\", \"B\"]\n", '=').unwrap();
        assert_eq!(m["authors"], json!(["A", "B"]));
    }

    #[test]
    fn garbage_recovers_nothing() {
        assert_eq!(recover("}}}{{{\n  - - -\n", ':'), None);
    }
}
