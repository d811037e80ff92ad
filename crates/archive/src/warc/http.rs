//! The HTTP response a `response` record holds, as the crawler received it: status line,
//! header fields, and a body that may still be chunked and compressed.

use std::io::Read;

use crate::Skipped;
use crate::expand;

/// What a response record held.
pub(super) enum Response {
    /// A 200 response: its body, decoded, and its `Content-Type`.
    Page {
        body: Vec<u8>,
        content_type: Option<String>,
    },
    /// Anything else.
    Skipped(Skipped),
}

/// Reads the HTTP response in `block`; an error is a response that cannot be read (a broken
/// chunk, a body that does not decompress, over `limit` bytes once decoded).
pub(super) fn response(block: Vec<u8>, limit: u64) -> Result<Response, String> {
    let Some(head_end) = head_end(&block) else {
        return Err("the HTTP response has no end of header".to_owned());
    };
    let head = String::from_utf8_lossy(&block[..head_end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.split_whitespace();
    let (Some(protocol), Some(status)) = (parts.next(), parts.next()) else {
        return Err(format!("the HTTP status line is not one: {status_line:?}"));
    };
    if !protocol.starts_with("HTTP/") {
        return Err(format!("the HTTP status line is not one: {status_line:?}"));
    }
    let Ok(status) = status.parse::<u16>() else {
        return Err(format!("the HTTP status is not a number: {status_line:?}"));
    };
    if status != 200 {
        return Ok(Response::Skipped(Skipped::Status(status)));
    }
    let mut content_type = None;
    let mut transfer = Vec::new();
    let mut encodings = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.to_owned()),
            "transfer-encoding" => transfer.extend(codings(value)),
            "content-encoding" => encodings.extend(codings(value)),
            _ => {}
        }
    }
    let mut body = block[head_end.1..].to_vec();
    drop(block);
    // Transfer codings were applied last, so they come off first; then content codings, the
    // last applied first.
    for coding in transfer.iter().rev() {
        body = match coding.as_str() {
            "chunked" => dechunk(&body)?,
            other => decode(other, &body, limit)?,
        };
    }
    for coding in encodings.iter().rev() {
        body = decode(coding, &body, limit)?;
    }
    Ok(Response::Page { body, content_type })
}

fn codings(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
}

/// Where the header ends: its length without the blank line, and where the body starts.
fn head_end(block: &[u8]) -> Option<(usize, usize)> {
    let crlf = memchr::memmem::find(block, b"\r\n\r\n").map(|at| (at, at + 4));
    let lf = memchr::memmem::find(block, b"\n\n").map(|at| (at, at + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn decode(coding: &str, body: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    let bounded = |reader: &mut dyn Read| -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(body.len() * 4);
        reader
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|err| format!("the HTTP body does not decode as {coding} ({err})"))?;
        if out.len() as u64 > limit {
            return Err(format!(
                "the HTTP body decodes to more than the limit of {limit} bytes ({})",
                lede_record::keys::LIMITS_MAX_FILE_MB
            ));
        }
        Ok(out)
    };
    match coding {
        "gzip" | "x-gzip" => expand::expand(lede_record::Compression::Gzip, body, limit)
            .map_err(|err| format!("the HTTP body: {err}")),
        // `deflate` is zlib-wrapped by the standard and raw by some servers.
        "deflate" => bounded(&mut flate2::read::ZlibDecoder::new(body))
            .or_else(|_| bounded(&mut flate2::read::DeflateDecoder::new(body))),
        "br" => bounded(&mut brotli_decompressor::Decompressor::new(body, 64 * 1024)),
        "zstd" => expand::expand(lede_record::Compression::Zstd, body, limit)
            .map_err(|err| format!("the HTTP body: {err}")),
        other => Err(format!(
            "the HTTP body is in an encoding lede cannot decode: {other}"
        )),
    }
}

/// Joins the chunks of a chunked body. A body cut before its last chunk keeps what it has
/// (crawlers store what arrived); a chunk size that is not hex is an error.
fn dechunk(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let Some(line_end) = memchr::memchr(b'\n', rest) else {
            return Ok(out);
        };
        let line = String::from_utf8_lossy(&rest[..line_end]);
        let size = line.split(';').next().unwrap_or_default().trim();
        let Ok(size) = usize::from_str_radix(size, 16) else {
            return Err(format!(
                "a chunk of the HTTP body has no size: {:?}",
                line.trim()
            ));
        };
        rest = &rest[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

/// Whether a payload of `content_type` is a web page, and the charset the type declares. A
/// payload without a type is a page when it opens with markup.
pub(crate) fn media_type(content_type: Option<&str>, payload: &[u8]) -> (bool, Option<String>) {
    let Some(content_type) = content_type else {
        let lead = payload.iter().position(|b| !b.is_ascii_whitespace());
        return (lead.is_some_and(|at| payload[at] == b'<'), None);
    };
    let mut params = content_type.split(';');
    let media = params
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let charset = params.find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_owned())
            .filter(|value| !value.is_empty())
    });
    (
        matches!(media.as_str(), "text/html" | "application/xhtml+xml"),
        charset,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(block: &[u8]) -> (Vec<u8>, Option<String>) {
        match response(block.to_vec(), 1 << 20) {
            Ok(Response::Page { body, content_type }) => (body, content_type),
            Ok(Response::Skipped(why)) => panic!("skipped: {why:?}"),
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn a_chunked_gzipped_body_is_decoded() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<p>Hello, chunks.</p>").unwrap();
        let gz = gz.finish().unwrap();
        let (a, b) = gz.split_at(10);
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=\"GBK\"\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        for chunk in [a, b] {
            block.extend(format!("{:x}; ext=1\r\n", chunk.len()).bytes());
            block.extend(chunk);
            block.extend(b"\r\n");
        }
        block.extend(b"0\r\n\r\n");
        let (body, content_type) = page(&block);
        assert_eq!(body, b"<p>Hello, chunks.</p>");
        assert_eq!(
            media_type(content_type.as_deref(), &body),
            (true, Some("GBK".to_owned()))
        );
    }

    #[test]
    fn a_brotli_body_is_decoded() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x0b\x02\x80hello\x03";
        assert_eq!(page(block).0, b"hello");
    }

    #[test]
    fn other_statuses_are_skipped_and_broken_bodies_are_errors() {
        assert!(matches!(
            response(b"HTTP/1.1 404 Not Found\r\n\r\nnope".to_vec(), 100),
            Ok(Response::Skipped(Skipped::Status(404)))
        ));
        let err = response(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08 not gzip".to_vec(),
            100,
        )
        .err()
        .unwrap();
        assert!(err.contains("gzip data is corrupt"), "{err}");
        // A crawler that stored the body decoded and kept the header: read as it is.
        assert_eq!(
            page(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<p>decoded</p>").0,
            b"<p>decoded</p>"
        );
        let err = response(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc".to_vec(),
            100,
        )
        .err()
        .unwrap();
        assert!(err.contains("no size"), "{err}");
        let err = response(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\n\r\nx".to_vec(),
            100,
        )
        .err()
        .unwrap();
        assert!(err.contains("cannot decode: compress"), "{err}");
        assert!(response(b"<html>no status line".to_vec(), 100).is_err());
    }

    #[test]
    fn media_types() {
        assert_eq!(media_type(Some("TEXT/HTML"), b""), (true, None));
        assert_eq!(
            media_type(Some("application/xhtml+xml;charset=utf-8"), b""),
            (true, Some("utf-8".to_owned()))
        );
        assert_eq!(media_type(Some("image/png"), b"<x"), (false, None));
        assert_eq!(media_type(None, b"  <!doctype html>"), (true, None));
        assert_eq!(media_type(None, b"%PDF"), (false, None));
    }
}
