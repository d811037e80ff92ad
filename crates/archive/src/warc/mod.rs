//! WARC 1.0 and 1.1 (ISO 28500), read record by record from a stream: what wget
//! `--warc-file`, Heritrix, Browsertrix, warcio and Common Crawl write.
//!
//! A record is a version line, named header fields, a blank line, `Content-Length` bytes of
//! block, and two CRLFs. A record whose `Content-Length` lies is a bad record, and reading goes
//! on at the next version line: inside the block when the length says too much, after it when
//! it says too little.

mod http;

use std::io::{self, BufRead, BufReader, Read};

use crate::stream::Losses;
use crate::{Bad, Item, Record, Skipped};

/// Header blocks larger than this are not a WARC record's.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The records of one WARC stream, in order.
pub(crate) struct WarcRecords {
    input: Pushback,
    /// How many records were begun: the identity of a record without a `WARC-Record-ID`.
    ordinal: u64,
    /// Largest block read into memory; a larger record is skipped over and is a bad record.
    limit: u64,
    losses: Losses,
    /// Losses already reported.
    reported: usize,
    /// After a bad record, bytes up to the next version line are its own, not junk.
    after_bad: bool,
    done: bool,
}

impl WarcRecords {
    pub(crate) fn new(input: Box<dyn Read + Send>, limit: u64, losses: Losses) -> WarcRecords {
        WarcRecords {
            input: Pushback {
                pending: Vec::new(),
                input: BufReader::with_capacity(256 * 1024, input),
                offset: 0,
            },
            ordinal: 0,
            limit,
            losses,
            reported: 0,
            after_bad: false,
            done: false,
        }
    }

    fn next_loss(&mut self) -> Option<Item> {
        let losses = self.losses.lock().unwrap_or_else(|e| e.into_inner());
        let loss = losses.get(self.reported)?.clone();
        drop(losses);
        self.reported += 1;
        Some(Item::Bad(Bad {
            id: format!("offset-{}", loss.at),
            error: format!(
                "the archive has {} at byte {}; what it held is lost",
                loss.error, loss.at
            ),
        }))
    }

    fn read_record(&mut self) -> io::Result<Option<Item>> {
        // Find the version line; what comes before it (other than blank lines) is junk.
        let start = self.input.offset;
        let mut junk = 0u64;
        let version = loop {
            let Some(line) = self.input.line(MAX_HEADER_BYTES)? else {
                if junk > 0 && !self.after_bad {
                    return Ok(Some(junk_item(start, junk)));
                }
                return Ok(None);
            };
            if line.starts_with(b"WARC/") {
                break line;
            }
            if !line.iter().all(|b| b.is_ascii_whitespace()) {
                junk += line.len() as u64;
            }
        };
        if junk > 0 && !std::mem::replace(&mut self.after_bad, false) {
            self.input.unread(&version);
            return Ok(Some(junk_item(start, junk)));
        }
        self.after_bad = false;
        self.ordinal += 1;
        let mut headers = Headers::default();
        let mut header_bytes = 0;
        loop {
            let Some(line) = self.input.line(MAX_HEADER_BYTES)? else {
                return Ok(Some(self.bad(
                    &headers,
                    "the archive ends inside a record's header".to_owned(),
                )));
            };
            header_bytes += line.len();
            if header_bytes > MAX_HEADER_BYTES {
                return Ok(Some(
                    self.bad(&headers, "a record's header is over 64 KiB".to_owned()),
                ));
            }
            let line = trim_line_end(&line);
            if line.is_empty() {
                break;
            }
            headers.push(line);
        }
        let Some(length) = headers
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok())
        else {
            return Ok(Some(self.bad(
                &headers,
                "the record has no valid Content-Length".to_owned(),
            )));
        };
        if length > self.limit {
            let skipped = self.input.skip(length)?;
            if skipped < length {
                return Ok(Some(self.bad(
                    &headers,
                    format!(
                        "the archive ends inside this record ({skipped} of its {length} bytes)"
                    ),
                )));
            }
            return Ok(Some(self.bad(
                &headers,
                format!(
                    "the record is {length} bytes, over the limit of {} ({})",
                    self.limit,
                    lede_record::keys::LIMITS_MAX_FILE_MB
                ),
            )));
        }
        let mut block = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        self.input.read_exact_or_less(&mut block, length)?;
        if (block.len() as u64) < length {
            return Ok(Some(self.bad(
                &headers,
                format!(
                    "the archive ends inside this record ({} of its {length} bytes)",
                    block.len()
                ),
            )));
        }
        if !self.input.at_record_end()? {
            // The length lied. Too long: the next record starts inside the block.
            if let Some(next) = find_next_record(&block) {
                self.input.unread(&block[next..]);
                return Ok(Some(self.bad(
                    &headers,
                    format!("its Content-Length ({length}) runs past the record's end (the next record starts {next} bytes into the block)"),
                )));
            }
            return Ok(Some(self.bad(
                &headers,
                format!("its Content-Length ({length}) ends before the record does"),
            )));
        }
        Ok(Some(self.item(&headers, block)))
    }

    fn id(&self, headers: &Headers) -> String {
        headers
            .get("warc-record-id")
            .map(|id| {
                id.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| format!("record-{}", self.ordinal))
    }

    fn bad(&mut self, headers: &Headers, error: String) -> Item {
        self.after_bad = true;
        Item::Bad(Bad {
            id: self.id(headers),
            error,
        })
    }

    fn item(&mut self, headers: &Headers, block: Vec<u8>) -> Item {
        let id = self.id(headers);
        let kind = headers
            .get("warc-type")
            .map(|t| t.trim().to_ascii_lowercase());
        let (payload, content_type) = match kind.as_deref() {
            Some("response") => match http::response(block, self.limit) {
                Ok(http::Response::Page { body, content_type }) => (body, content_type),
                Ok(http::Response::Skipped(reason)) => return Item::Skipped(reason),
                Err(error) => return Item::Bad(Bad { id, error }),
            },
            Some("resource") => (block, headers.get("content-type").map(str::to_owned)),
            Some(other) => return Item::Skipped(Skipped::Type(other.to_owned())),
            None => {
                return Item::Bad(Bad {
                    id,
                    error: "the record has no WARC-Type".to_owned(),
                });
            }
        };
        let (is_html, charset) = http::media_type(content_type.as_deref(), &payload);
        if !is_html {
            return Item::Skipped(Skipped::NotHtml);
        }
        Item::Record(Record {
            id,
            payload,
            extension: Some("html"),
            url: headers.get("warc-target-uri").map(|u| {
                // WARC 1.0 examples wrap the URI in angle brackets; 1.1 does not.
                u.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            }),
            fetched_at: headers
                .get("warc-date")
                .and_then(|date| date.trim().parse::<jiff::Timestamp>().ok()),
            charset,
            truncated: headers
                .get("warc-truncated")
                .map(|why| why.trim().to_owned()),
            fields: None,
        })
    }
}

fn junk_item(start: u64, junk: u64) -> Item {
    Item::Bad(Bad {
        id: format!("offset-{start}"),
        error: format!("{junk} bytes at byte {start} are not a WARC record"),
    })
}

/// Where the next record starts inside `block` (after the two CRLFs that end this one).
fn find_next_record(block: &[u8]) -> Option<usize> {
    memchr::memmem::find_iter(block, b"\r\n\r\nWARC/1.")
        .next()
        .map(|at| at + 4)
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

impl Iterator for WarcRecords {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if let Some(loss) = self.next_loss() {
            return Some(loss);
        }
        if self.done {
            return None;
        }
        match self.read_record() {
            Ok(Some(item)) => Some(item),
            Ok(None) => {
                self.done = true;
                self.next_loss()
            }
            Err(err) => {
                self.done = true;
                Some(Item::Bad(Bad {
                    id: format!("offset-{}", self.input.offset),
                    error: format!(
                        "cannot read the archive past byte {}: {err}",
                        self.input.offset
                    ),
                }))
            }
        }
    }
}

/// A record's named fields, in order; names compared in any case.
#[derive(Default)]
struct Headers(Vec<(String, String)>);

impl Headers {
    fn push(&mut self, line: &[u8]) {
        let line = String::from_utf8_lossy(line);
        if let Some((name, value)) = line.split_once(':') {
            self.0
                .push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A buffered stream that can take bytes back, so that a record found inside a lying block is
/// read again; counts the bytes it has handed out.
struct Pushback {
    /// Bytes handed back, read before `input` (in reverse order: the next byte is the last).
    pending: Vec<u8>,
    input: BufReader<Box<dyn Read + Send>>,
    offset: u64,
}

impl Pushback {
    fn unread(&mut self, bytes: &[u8]) {
        self.pending.extend(bytes.iter().rev());
        self.offset -= bytes.len() as u64;
    }

    /// One line with its end, at most `max` bytes (a longer one is cut there); `None` at the end.
    fn line(&mut self, max: usize) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        while let Some(byte) = self.pending.pop() {
            line.push(byte);
            self.offset += 1;
            if byte == b'\n' || line.len() >= max {
                return Ok(Some(line));
            }
        }
        let before = line.len();
        (&mut self.input)
            .take((max - line.len()) as u64)
            .read_until(b'\n', &mut line)?;
        self.offset += (line.len() - before) as u64;
        Ok((!line.is_empty()).then_some(line))
    }

    /// Reads `length` bytes into `into`, fewer only at the end of the stream.
    fn read_exact_or_less(&mut self, into: &mut Vec<u8>, length: u64) -> io::Result<()> {
        while (into.len() as u64) < length {
            let Some(byte) = self.pending.pop() else {
                break;
            };
            into.push(byte);
            self.offset += 1;
        }
        let want = length - into.len() as u64;
        let got = (&mut self.input).take(want).read_to_end(into)?;
        self.offset += got as u64;
        Ok(())
    }

    /// Skips `length` bytes without keeping them; how many there were.
    fn skip(&mut self, length: u64) -> io::Result<u64> {
        let mut skipped = 0;
        while skipped < length && self.pending.pop().is_some() {
            skipped += 1;
        }
        skipped += io::copy(
            &mut (&mut self.input).take(length - skipped),
            &mut io::sink(),
        )?;
        self.offset += skipped;
        Ok(skipped)
    }

    fn next_byte(&mut self) -> io::Result<Option<u8>> {
        let byte = match self.pending.pop() {
            Some(byte) => Some(byte),
            None => {
                let mut one = [0u8];
                match self.input.read(&mut one)? {
                    0 => None,
                    _ => Some(one[0]),
                }
            }
        };
        self.offset += u64::from(byte.is_some());
        Ok(byte)
    }

    /// After a block: whether line ends follow it, then the next version line or the end. The
    /// line ends are consumed; otherwise nothing is.
    fn at_record_end(&mut self) -> io::Result<bool> {
        let mut seen = Vec::new();
        loop {
            match self.next_byte()? {
                None => return Ok(true),
                Some(byte @ (b'\r' | b'\n')) => seen.push(byte),
                Some(byte) => {
                    let ends = seen.len();
                    seen.push(byte);
                    self.read_exact_or_less(&mut seen, ends as u64 + 5)?;
                    let found = ends > 0 && seen[ends..].starts_with(b"WARC/");
                    self.unread(if found { &seen[ends..] } else { &seen });
                    return Ok(found);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
