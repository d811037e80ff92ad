//! JSON Lines (`.jsonl`, `.ndjson`): one JSON object per line, as Scrapy feed exports and most
//! scrapers write them. One key holds the page (HTML, Markdown or text); the others are its
//! metadata, read as front matter is.

use std::io::{self, BufRead, BufReader, Read};

use crate::stream::Losses;
use crate::{Bad, Item, Record, Skipped};

/// Which keys of a line say what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonFields {
    /// The keys that may hold the page, in order: the first present with text is its body.
    pub body: Vec<String>,
    /// Keys renamed before the rest is read as front matter: `(front matter key, key in the
    /// line)`, as `title = "headline_text"` in `input.jsonl_fields`.
    pub renames: Vec<(String, String)>,
}

impl Default for JsonFields {
    fn default() -> JsonFields {
        JsonFields {
            body: DEFAULT_BODY_KEYS.iter().map(|&k| k.to_owned()).collect(),
            renames: Vec::new(),
        }
    }
}

/// Where scrapers put the page: Scrapy items (`html`, `content`, `body`, `text`), news-please
/// (`maintext`), Markdown exports (`markdown`), web-text corpora (`raw_content`).
pub const DEFAULT_BODY_KEYS: [&str; 8] = [
    "html",
    "raw_html",
    "content",
    "body",
    "markdown",
    "maintext",
    "text",
    "raw_content",
];

/// The extension a body under `key` has: HTML and Markdown keys say so; other bodies are
/// told by their content.
fn extension_of(key: &str) -> Option<&'static str> {
    match key {
        "html" | "raw_html" | "content_html" | "body_html" => Some("html"),
        "markdown" | "md" => Some("md"),
        _ => None,
    }
}

/// The lines of one JSON Lines stream, in order; line `N` (1-based) is record `N`.
pub(crate) struct JsonLines {
    input: BufReader<Box<dyn Read + Send>>,
    fields: JsonFields,
    line: u64,
    limit: u64,
    losses: Losses,
    reported: usize,
    done: bool,
}

impl JsonLines {
    pub(crate) fn new(
        input: Box<dyn Read + Send>,
        limit: u64,
        fields: JsonFields,
        losses: Losses,
    ) -> JsonLines {
        JsonLines {
            input: BufReader::with_capacity(256 * 1024, input),
            fields,
            line: 0,
            limit,
            losses,
            reported: 0,
            done: false,
        }
    }

    /// The next line, without its end, if it is within the limit; `Err(length)` for a longer
    /// one, which is skipped unread.
    fn next_line(&mut self) -> io::Result<Option<Result<Vec<u8>, u64>>> {
        let mut line = Vec::new();
        (&mut self.input)
            .take(self.limit + 1)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Ok(None);
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(Ok(line)));
        }
        if (line.len() as u64) <= self.limit {
            // The last line, without an end.
            return Ok(Some(Ok(line)));
        }
        // Over the limit: skip to its end without keeping it.
        let mut length = line.len() as u64;
        drop(line);
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            match memchr::memchr(b'\n', buf) {
                Some(end) => {
                    length += end as u64;
                    self.input.consume(end + 1);
                    break;
                }
                None => {
                    let n = buf.len();
                    length += n as u64;
                    self.input.consume(n);
                }
            }
        }
        Ok(Some(Err(length)))
    }

    fn item(&self, line: &[u8]) -> Item {
        let id = self.line.to_string();
        let bad = |error: String| {
            Item::Bad(Bad {
                id: id.clone(),
                error,
            })
        };
        let value: serde_json::Value = match serde_json::from_slice(line) {
            Ok(value) => value,
            Err(err) => return bad(format!("line {} is not JSON: {err}", self.line)),
        };
        let serde_json::Value::Object(mut object) = value else {
            return bad(format!("line {} is JSON but not an object", self.line));
        };
        let Some(key) = self
            .fields
            .body
            .iter()
            .find(|key| {
                object
                    .get(key.as_str())
                    .is_some_and(serde_json::Value::is_string)
            })
            .cloned()
        else {
            return bad(format!(
                "line {} has none of the keys that hold a page ({}: {})",
                self.line,
                self.fields.body.join(", "),
                lede_record::keys::INPUT_JSONL_BODY
            ));
        };
        let Some(serde_json::Value::String(body)) = object.remove(&key) else {
            unreachable!("the key was found holding text");
        };
        for (to, from) in &self.fields.renames {
            if let Some(value) = object.remove(from) {
                object.insert(to.clone(), value);
            }
        }
        Item::Record(Record {
            id,
            payload: body.into_bytes(),
            extension: extension_of(&key),
            url: None,
            fetched_at: None,
            charset: None,
            truncated: None,
            fields: Some(object),
        })
    }
}

impl Iterator for JsonLines {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        {
            let losses = self.losses.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(loss) = losses.get(self.reported).cloned() {
                drop(losses);
                self.reported += 1;
                return Some(Item::Bad(Bad {
                    id: format!("offset-{}", loss.at),
                    error: format!(
                        "the file has {} at byte {}; the lines it held are lost",
                        loss.error, loss.at
                    ),
                }));
            }
        }
        if self.done {
            return None;
        }
        let line = match self.next_line() {
            Ok(Some(line)) => line,
            Ok(None) => {
                self.done = true;
                // Losses noted at the very end are reported before stopping.
                return self.next();
            }
            Err(err) => {
                self.done = true;
                return Some(Item::Bad(Bad {
                    id: format!("line-{}", self.line + 1),
                    error: format!("cannot read past line {}: {err}", self.line),
                }));
            }
        };
        self.line += 1;
        Some(match line {
            Ok(line) if line.iter().all(u8::is_ascii_whitespace) => {
                Item::Skipped(Skipped::BlankLine)
            }
            Ok(line) => self.item(&line),
            Err(length) => Item::Bad(Bad {
                id: self.line.to_string(),
                error: format!(
                    "line {} is {length} bytes, over the limit of {} ({})",
                    self.line,
                    self.limit,
                    lede_record::keys::LIMITS_MAX_FILE_MB
                ),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Archive, Item, JsonFields};

    fn items(lines: &str, limit: u64, fields: &JsonFields) -> Vec<Item> {
        Archive::of_name("items.jsonl")
            .expect("a JSON Lines name")
            .items(
                Box::new(std::io::Cursor::new(lines.as_bytes().to_vec())),
                limit,
                fields,
            )
            .collect()
    }

    #[test]
    fn each_line_is_a_record_and_bad_lines_are_bad_alone() {
        let lines = concat!(
            r#"{"url": "https://a.test/1", "title": "One", "html": "<p>One.</p>"}"#,
            "\n",
            "\n",
            r##"{"markdown": "# Two\n\nText.", "tags": ["x"]}"##,
            "\r\n",
            "{not json\n",
            "[1, 2]\n",
            r#"{"title": "no body"}"#,
            "\n",
            r#"{"text": "Plain words.", "date": "2024-05-01"}"#,
        );
        let got = items(lines, 1 << 20, &JsonFields::default());
        let summary: Vec<String> = got
            .iter()
            .map(|item| match item {
                Item::Record(r) => format!(
                    "{} {:?} {} {}",
                    r.id,
                    r.extension,
                    String::from_utf8_lossy(&r.payload),
                    serde_json::Value::Object(r.fields.clone().unwrap_or_default())
                ),
                Item::Skipped(why) => why.reason(),
                Item::Bad(bad) => format!("{} bad: {}", bad.id, bad.error),
            })
            .collect();
        assert_eq!(
            summary[0],
            r#"1 Some("html") <p>One.</p> {"url":"https://a.test/1","title":"One"}"#
        );
        assert_eq!(summary[1], "blank line");
        assert_eq!(
            summary[2],
            "3 Some(\"md\") # Two\n\nText. {\"tags\":[\"x\"]}"
        );
        assert!(
            summary[3].starts_with("4 bad: line 4 is not JSON"),
            "{}",
            summary[3]
        );
        assert_eq!(summary[4], "5 bad: line 5 is JSON but not an object");
        assert!(
            summary[5]
                .starts_with("6 bad: line 6 has none of the keys that hold a page (html, raw_html"),
            "{}",
            summary[5]
        );
        assert_eq!(summary[6], r#"7 None Plain words. {"date":"2024-05-01"}"#);
        assert_eq!(summary.len(), 7);
    }

    #[test]
    fn a_line_of_fifty_megabytes_is_a_record_within_the_default_limit() {
        let page = format!("<p>{}</p>", "word ".repeat(10 << 20));
        let lines = format!(
            "{}\n{{\"html\": \"<p>next</p>\"}}\n",
            serde_json::json!({ "html": page })
        );
        let got = items(&lines, 64 << 20, &JsonFields::default());
        let Item::Record(record) = &got[0] else {
            panic!("a record")
        };
        assert_eq!(record.payload.len(), page.len());
        assert!(matches!(&got[1], Item::Record(r) if r.id == "2"));
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_unread_and_keys_can_be_renamed() {
        let big = "x".repeat(5000);
        let lines = format!(
            "{{\"html\": \"{big}\"}}\n{{\"story\": \"<p>Kept.</p>\", \"headline_text\": \"Kept\"}}\n"
        );
        let fields = JsonFields {
            body: vec!["story".to_owned(), "html".to_owned()],
            renames: vec![("title".to_owned(), "headline_text".to_owned())],
        };
        let got = items(&lines, 1000, &fields);
        let Item::Bad(bad) = &got[0] else {
            panic!("{got:?}")
        };
        assert_eq!(
            bad.error,
            "line 1 is 5012 bytes, over the limit of 1000 (limits.max_file_mb)"
        );
        let Item::Record(record) = &got[1] else {
            panic!("{got:?}")
        };
        assert_eq!(
            (record.id.as_str(), record.payload.as_slice()),
            ("2", &b"<p>Kept.</p>"[..])
        );
        assert_eq!(record.fields.as_ref().unwrap()["title"], "Kept");
        assert_eq!(got.len(), 2);
    }
}
