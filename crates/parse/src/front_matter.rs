//! Finding the front matter block and reading it strictly, with line-by-line recovery as fallback.

use lede_record::{FrontMatter, FrontMatterFormat, Warning, WarningKind};
use serde_json::{Map, Value};

use crate::{ParseError, ParseSettings, recover};

/// A decoded file cut into its front matter block (if any) and its body.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    pub(crate) format: FrontMatterFormat,
    pub(crate) block: &'a str,
    pub(crate) body: &'a str,
}

/// Finds a `---` (YAML) or `+++` (TOML) block at the top of `text`, after any BOM and blank lines.
/// A `---` that is never closed and is not followed by a `key: value` line is a Markdown rule,
/// not front matter.
pub(crate) fn split(text: &str) -> Result<Split<'_>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let none = Split {
        format: FrontMatterFormat::None,
        block: "",
        body: text,
    };
    let mut lines = Lines::new(text);
    let Some((opening_line, first)) = lines.by_ref().find(|(_, line)| !line.trim().is_empty())
    else {
        return Ok(none);
    };
    let (format, fence, closers): (_, _, &[&str]) = match first.trim_end() {
        "---" => (FrontMatterFormat::Yaml, "---", &["---", "..."]),
        "+++" => (FrontMatterFormat::Toml, "+++", &["+++"]),
        _ => return Ok(none),
    };
    let block_start = lines.offset;
    for (_, line) in lines.by_ref() {
        if closers.contains(&line.trim_end()) {
            let block_end = lines.offset - line.len() - lines.last_terminator_len;
            return Ok(Split {
                format,
                block: &text[block_start..block_end.max(block_start)],
                body: &text[lines.offset..],
            });
        }
    }
    let rest = &text[block_start..];
    let next = rest.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if format == FrontMatterFormat::Yaml && !recover::looks_like_key_line(next, ':') {
        return Ok(none);
    }
    Err(ParseError::UnterminatedFence {
        fence,
        line: opening_line,
    })
}

/// Line iterator that tracks the byte offset just past each line and its terminator.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
    line_no: usize,
    last_terminator_len: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            offset: 0,
            line_no: 0,
            last_terminator_len: 0,
        }
    }
}

impl<'a> Iterator for Lines<'a> {
    /// (1-based line number, line without its `\n`; a `\r` stays and is trimmed by callers)
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        if self.offset >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.offset..];
        let (line, terminator) = match rest.find('\n') {
            Some(end) => (&rest[..end], 1),
            None => (rest, 0),
        };
        self.offset += line.len() + terminator;
        self.last_terminator_len = terminator;
        self.line_no += 1;
        Some((self.line_no, line))
    }
}

/// Reads the block found by [`split`] into a mapping.
pub(crate) fn read(
    split: &Split<'_>,
    settings: &ParseSettings,
    warnings: &mut Vec<Warning>,
) -> Result<FrontMatter, ParseError> {
    if split.format == FrontMatterFormat::None {
        return Ok(FrontMatter::none());
    }
    if split.block.len() > settings.max_front_matter_bytes {
        return Err(ParseError::FrontMatterTooLarge {
            size: split.block.len(),
            limit: settings.max_front_matter_bytes,
        });
    }
    let (format_name, separator, strict) = match split.format {
        FrontMatterFormat::Toml => ("TOML", '=', read_toml(split.block)),
        _ => ("YAML", ':', read_yaml(split.block)?),
    };
    let mut written = Map::new();
    let fields = match strict {
        Ok(fields) => {
            if split.format == FrontMatterFormat::Yaml {
                for key in repeated_keys(split.block) {
                    warnings.push(Warning::new(
                        WarningKind::FrontMatterRepeatedKey,
                        format!(
                            "front matter key `{key}` is given more than once; the last is read"
                        ),
                    ));
                }
                written = crate::written::as_written(split.block, &fields, yaml_options())
                    .unwrap_or_default();
            }
            fields
        }
        Err(reason) => match recover::recover(split.block, separator) {
            Some(fields) => {
                let keys = fields
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                warnings.push(Warning::new(
                    WarningKind::FrontMatterRecovered,
                    format!("{format_name} front matter is invalid ({reason}); recovered line by line: {keys}"),
                ));
                fields
            }
            None => {
                return Err(ParseError::FrontMatterUnreadable {
                    format: format_name,
                    reason,
                });
            }
        },
    };
    Ok(FrontMatter {
        format: split.format,
        fields,
        written,
    })
}

type Strict = Result<Map<String, Value>, String>;

/// Strict YAML. A resource-limit breach (billion laughs, deep nesting) is a reject, not something
/// to recover from: the block is hostile, and line recovery would only keep its debris.
fn read_yaml(block: &str) -> Result<Strict, ParseError> {
    match serde_saphyr::from_str_with_options::<Value>(block, yaml_options()) {
        Ok(Value::Object(map)) => Ok(Ok(map)),
        Ok(Value::Null) => Ok(Ok(Map::new())),
        Ok(other) => Ok(Err(format!(
            "expected a mapping, found {}",
            json_kind(&other)
        ))),
        Err(err) if is_resource_limit(&err) => Err(ParseError::FrontMatterUnreadable {
            format: "YAML",
            reason: format!("over the resource budget: {}", first_line(&err.to_string())),
        }),
        Err(err) => Ok(Err(first_line(&err.to_string()))),
    }
}

/// How YAML front matter is read: within a tight resource budget (billion laughs, deep
/// nesting), the last of repeated keys winning (with a warning, see [`repeated_keys`]).
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_nodes: 10_000,
            max_depth: 32,
            max_aliases: 1_000,
            max_events: 100_000,
        },
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
    }
}

/// Top-level keys written more than once in a YAML block, in the order first repeated. A
/// top-level key is a line that starts at its first column with `key:` (quoted or not).
fn repeated_keys(block: &str) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut repeated = Vec::new();
    for line in block.lines() {
        if line.starts_with([' ', '\t', '#', '-', '?', '[', '{', '}', ']']) {
            continue;
        }
        let key = match line.chars().next() {
            Some(quote @ ('"' | '\'')) => line[1..]
                .split_once(quote)
                .filter(|(_, rest)| rest.trim_start().starts_with(':'))
                .map(|(key, _)| key),
            _ => line
                .find(": ")
                .map(|at| &line[..at])
                .or_else(|| line.trim_end().strip_suffix(':')),
        };
        let Some(key) = key.map(str::trim).filter(|k| !k.is_empty()) else {
            continue;
        };
        if !seen.insert(key) && !repeated.iter().any(|r| r == key) {
            repeated.push(key.to_owned());
        }
    }
    repeated
}

fn is_resource_limit(err: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    let mut inner = err;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    // The scanner's own nesting guard arrives as a plain message, not a variant.
    let message = inner.to_string();
    matches!(
        inner,
        E::Budget { .. }
            | E::AliasReplayCounterOverflow { .. }
            | E::AliasReplayLimitExceeded { .. }
            | E::AliasExpansionLimitExceeded { .. }
            | E::AliasReplayStackDepthExceeded { .. }
    ) || message.contains("recursion limit")
        || message.contains("nesting limit")
}

fn read_toml(block: &str) -> Strict {
    match toml::from_str::<toml::Table>(block) {
        Ok(table) => match toml_to_json(toml::Value::Table(table)) {
            Value::Object(map) => Ok(map),
            _ => unreachable!("a TOML table converts to a JSON object"),
        },
        Err(err) => Err(first_line(&err.to_string())),
    }
}

/// TOML datetimes have no JSON form; they become their RFC 3339 text, like YAML dates.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_block(text: &str) -> (Result<FrontMatter, ParseError>, Vec<Warning>) {
        let split = split(text).unwrap();
        let mut warnings = Vec::new();
        let fm = read(&split, &ParseSettings::default(), &mut warnings);
        (fm, warnings)
    }

    #[test]
    fn blank_lines_bom_and_crlf_before_the_fence_are_tolerated() {
        let s = split("\u{feff}\r\n\n---\r\ntitle: x\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(s.format, FrontMatterFormat::Yaml);
        assert_eq!(s.block, "title: x\r\n");
        assert_eq!(s.body, "body\r\n");
    }

    #[test]
    fn markdown_rule_at_top_is_not_front_matter() {
        let s = split("---\n\nJust a rule, then text.\n").unwrap();
        assert_eq!(s.format, FrontMatterFormat::None);
    }

    #[test]
    fn hexo_block_lists_and_jekyll_flow_lists() {
        let (fm, warnings) = read_block(
            "---\ntitle: '腾讯'\ncategories: \n - 新媒体\n - cnBeta\ntags: [ 联合早报 ]\ncomments: false\n---\n",
        );
        let fm = fm.unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            fm.fields["categories"],
            serde_json::json!(["新媒体", "cnBeta"])
        );
        assert_eq!(fm.fields["tags"], serde_json::json!(["联合早报"]));
        assert_eq!(fm.fields["comments"], false);
    }

    #[test]
    fn stray_quote_runs_are_recovered_with_a_warning() {
        let (fm, warnings) =
            read_block("---\ntitle: \"\"\"\"\"\"\"'おしごと🎀'\"\"\"\"\"\"\"\nauthor: 755\n---\n");
        let fm = fm.unwrap();
        assert_eq!(fm.fields["title"], "おしごと🎀");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, WarningKind::FrontMatterRecovered);
        assert!(
            warnings[0].detail.contains("title, author"),
            "{}",
            warnings[0].detail
        );
    }

    #[test]
    fn fields_read_as_text_keep_what_was_written() {
        let (fm, warnings) = read_block(
            "---\ntitle: No\nauthor: 1.10\ntags: [No, keep, 010, 0x1F]\ncomments: false\nslug: plain\n---\n",
        );
        let fm = fm.unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        // Typed as YAML reads it, for settings kept in `extra`…
        assert_eq!(fm.fields["title"], false);
        assert_eq!(fm.fields["comments"], false);
        // …and as written, for fields read as text.
        assert_eq!(fm.written["title"], "No");
        assert_eq!(fm.written["author"], "1.10");
        assert_eq!(
            fm.written["tags"],
            serde_json::json!(["No", "keep", "010", "0x1F"])
        );
        assert_eq!(fm.written["comments"], "false");
        assert_eq!(fm.written["slug"], "plain");
        let (plain, _) = read_block("---\ntitle: Only text\n---\n");
        assert!(
            plain.unwrap().written.is_empty(),
            "nothing typed, nothing kept"
        );
    }

    #[test]
    fn a_repeated_key_is_a_warning_and_the_last_wins() {
        let (fm, warnings) = read_block(
            "---\ntitle: first\ndate: 2024-01-01\n\"title\": second\nnested:\n  title: x\n---\n",
        );
        assert_eq!(fm.unwrap().fields["title"], "second");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].kind, WarningKind::FrontMatterRepeatedKey);
        assert!(
            warnings[0].detail.contains("`title`"),
            "{}",
            warnings[0].detail
        );
    }

    #[test]
    fn billion_laughs_is_rejected_quickly() {
        let mut yaml = String::from(
            "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            yaml.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        yaml.push_str("---\n");
        let (fm, _) = read_block(&yaml);
        let err = fm.unwrap_err();
        assert!(err.to_string().contains("resource budget"), "{err}");
    }

    #[test]
    fn ten_thousand_nested_lists_are_rejected_not_recovered() {
        let yaml = format!(
            "---\na: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let (fm, _) = read_block(&yaml);
        assert!(fm.unwrap_err().to_string().contains("resource budget"));
    }

    #[test]
    fn oversized_front_matter_names_the_limit() {
        let yaml = format!("---\ntitle: {}\n---\n", "x".repeat(70_000));
        let (fm, _) = read_block(&yaml);
        assert!(
            fm.unwrap_err()
                .to_string()
                .contains("limits.max_front_matter_kb")
        );
    }
}
