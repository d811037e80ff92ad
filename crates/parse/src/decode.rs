//! Bytes → text: the encoding is found, recorded, and every byte accounted for.

use encoding_rs::{Encoding, UTF_8};
use lede_record::{Warning, WarningKind};

use crate::ParseError;

mod stateful;

/// How far into a file a charset declaration is looked for, as browsers do.
const DECLARATION_WINDOW: usize = 4096;
/// How much of a file the detector sees; it runs at ~29 MB/s, so more only costs time.
const DETECTION_WINDOW: usize = 64 * 1024;

#[derive(Debug)]
pub(crate) struct Decoded {
    pub(crate) text: String,
    /// The encoding's name, as the `encoding` column shows it.
    pub(crate) encoding: &'static str,
    pub(crate) warnings: Vec<Warning>,
}

/// Decodes `bytes`: BOM (UTF-32's before UTF-16's, whose BOM starts UTF-32LE's), then the
/// stateful 7-bit encodings (ISO-2022-JP, -KR, -CN, HZ), whose text is also valid ASCII, then
/// UTF-8 validity, then the first declared charset that decodes without errors, then
/// chardetng's guess. Valid UTF-8 wins over a declaration because archives often re-encode
/// pages to UTF-8 and keep the old `<meta charset>`.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ParseError> {
    if let Some(decoded) = stateful::utf32(bytes) {
        return Ok(decoded);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(finish(encoding, &bytes[bom_len..], Vec::new()));
    }
    reject_binary(bytes)?;
    if let Some(decoded) = stateful::seven_bit(bytes)? {
        return Ok(decoded);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let mut warnings = Vec::new();
        return Ok(Decoded {
            text: remove_nuls(normalize_newlines(text.to_owned()), &mut warnings),
            encoding: UTF_8.name(),
            warnings,
        });
    }
    let head = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    for encoding in declared_charsets(head) {
        if encoding != UTF_8
            && encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some()
        {
            return Ok(finish(encoding, bytes, Vec::new()));
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(
        &bytes[..bytes.len().min(DETECTION_WINDOW)],
        bytes.len() <= DETECTION_WINDOW,
    );
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let warnings = vec![Warning::new(
        WarningKind::EncodingGuessed,
        format!(
            "no usable charset declaration; detected {}",
            encoding.name()
        ),
    )];
    Ok(finish(encoding, bytes, warnings))
}

fn finish(encoding: &'static Encoding, bytes: &[u8], warnings: Vec<Warning>) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    decoded(text.into_owned(), encoding.name(), had_errors, warnings)
}

/// The text decoded from `name`, with a warning when `had_errors` (bytes replaced).
fn decoded(
    text: String,
    name: &'static str,
    had_errors: bool,
    mut warnings: Vec<Warning>,
) -> Decoded {
    if had_errors {
        warnings.push(Warning::new(
            WarningKind::MalformedBytes,
            format!("bytes invalid in {name} were replaced with U+FFFD"),
        ));
    }
    Decoded {
        text: remove_nuls(normalize_newlines(text), &mut warnings),
        encoding: name,
        warnings,
    }
}

/// `\r\n` (Windows) and lone `\r` (classic Mac OS) line ends become `\n`, so that later stages
/// see one kind of line.
fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Binary formats announce themselves in their first bytes, or carry NULs early and often;
/// text in the encodings lede reads (BOM-less UTF-16 aside) has none, except the stray NUL a
/// broken exporter leaves in an otherwise good page, which is removed with a warning instead.
fn reject_binary(bytes: &[u8]) -> Result<(), ParseError> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\x1f\x8b", "gzip data"),
        (b"GIF8", "GIF image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"PK\x03\x04", "zip archive"),
        (b"%PDF-", "PDF document"),
        (b"\x7fELF", "ELF executable"),
        (b"\x28\xb5\x2f\xfd", "zstd data"),
    ];
    /// Binary headers put NULs in their first bytes.
    const HEADER: usize = 512;
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(ParseError::Binary { reason: what });
    }
    let head = &bytes[..bytes.len().min(DETECTION_WINDOW)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if bytes[..bytes.len().min(HEADER)].contains(&0) || nuls * 100 > head.len() {
        return Err(ParseError::Binary {
            reason: "NUL bytes",
        });
    }
    Ok(())
}

/// Removes stray NULs (see [`reject_binary`]), saying how many.
fn remove_nuls(text: String, warnings: &mut Vec<Warning>) -> String {
    let count = text.bytes().filter(|&b| b == 0).count();
    if count == 0 {
        return text;
    }
    warnings.push(Warning::new(
        WarningKind::MalformedBytes,
        format!("{count} NUL bytes removed"),
    ));
    text.replace('\0', "")
}

/// Charsets named in `<meta charset=…>`, `<meta http-equiv … content="…charset=…">` or an XML
/// declaration's `encoding="…"`, in order of appearance.
fn declared_charsets(head: &[u8]) -> Vec<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut found = Vec::new();
    for needle in [&b"charset"[..], &b"encoding"[..]] {
        let mut from = 0;
        while let Some(pos) = find(&lower[from..], needle) {
            let after = from + pos + needle.len();
            from = after;
            let rest = &lower[after..];
            let rest = trim_start(rest);
            let Some(rest) = rest.strip_prefix(b"=") else {
                continue;
            };
            let rest = trim_start(rest);
            let rest = rest
                .strip_prefix(b"\"")
                .or_else(|| rest.strip_prefix(b"'"))
                .unwrap_or(rest);
            let end = rest
                .iter()
                .position(|b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                })
                .unwrap_or(rest.len());
            if let Some(encoding) = Encoding::for_label(&rest[..end]) {
                found.push((after, encoding));
            }
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    found.into_iter().map(|(_, e)| e).collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_stripped() {
        let d = decode(b"\xef\xbb\xbfhello").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("hello", "UTF-8"));
    }

    #[test]
    fn declared_charset_is_used_when_bytes_are_not_utf8() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<meta charset=\"gb2312\"><p>中文新闻报道</p>");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("中文新闻报道"));
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn second_declared_charset_wins_when_first_does_not_fit() {
        let page = "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>新华社北京电</p>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("新华社北京电"));
    }

    #[test]
    fn undeclared_shift_jis_is_detected_with_a_warning() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("羅生門　芥川龍之介　ある日の暮方の事である。一人の下人が、羅生門の下で雨やみを待っていた。");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "Shift_JIS");
        assert!(d.text.contains("羅生門"));
        assert_eq!(d.warnings[0].kind, WarningKind::EncodingGuessed);
    }

    #[test]
    fn crlf_and_lone_cr_line_ends_become_newlines() {
        assert_eq!(decode(b"a\r\nb\rc\n").unwrap().text, "a\nb\nc\n");
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert!(matches!(
            decode(b"abc\0def"),
            Err(ParseError::Binary { .. })
        ));
    }

    #[test]
    fn a_few_stray_nuls_deep_in_a_page_are_removed_with_a_warning() {
        let mut page = "<p>story</p>".repeat(100).into_bytes();
        page.extend_from_slice(b"<img alt=\"\">\0\0\0<p>more</p>");
        let d = decode(&page).unwrap();
        assert!(d.text.ends_with("<img alt=\"\"><p>more</p>"));
        assert_eq!(d.warnings[0].detail, "3 NUL bytes removed");
    }
}
