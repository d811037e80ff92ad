//! Bytes → text: the encoding is found, recorded, and every byte accounted for.

use encoding_rs::{BIG5, EUC_KR, Encoding, GBK, SHIFT_JIS, UTF_8};
use lede_record::{Warning, WarningKind};

use crate::ParseError;

mod stateful;

/// How far into a file a charset declaration is looked for, as browsers do.
const DECLARATION_WINDOW: usize = 4096;
/// How much of a file the detector sees; it runs at ~29 MB/s, so more only costs time.
const DETECTION_WINDOW: usize = 64 * 1024;
/// How much ASCII before the first other byte the detector sees, when it starts there.
const DETECTION_LEAD: usize = 1024;
/// The share of a declared charset's decode, in characters per thousand, that may be bad bytes
/// for the declaration to win anyway.
const MAX_REPLACED_PER_MILLE: usize = 10;
/// Fewer bytes above ASCII are too few to tell CJK text read as Latin from Latin text.
const MIN_MOJIBAKE_BYTES: usize = 16;

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
/// pages to UTF-8 and keep the old `<meta charset>`. A charset `transport` declared (the HTTP
/// `Content-Type` of an archived page) comes before those the bytes declare.
pub(crate) fn decode(bytes: &[u8], transport: Option<&str>) -> Result<Decoded, ParseError> {
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
    // Most archives are UTF-8: simdutf8 checks it ~10× faster than `std::str::from_utf8`, and
    // tells only that it is not (the other decoders find where).
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        let mut warnings = Vec::new();
        return Ok(Decoded {
            text: remove_nuls(normalize_newlines(text.to_owned()), &mut warnings),
            encoding: UTF_8.name(),
            warnings,
        });
    }
    let head = &bytes[..bytes.len().min(DECLARATION_WINDOW)];
    let mut declared: Vec<&'static Encoding> = transport
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .into_iter()
        .collect();
    declared.extend(declared_charsets(head));
    for &encoding in &declared {
        if encoding != UTF_8
            && encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some()
        {
            return Ok(finish(encoding, bytes, Vec::new()));
        }
    }
    // As browsers do: a declared charset that a few bad bytes break still wins, the bad bytes
    // replaced. Guessing instead reads the whole page wrong (a GBK page as windows-1252).
    for &encoding in &declared {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        let replaced = text
            .chars()
            .filter(|&c| c == char::REPLACEMENT_CHARACTER)
            .count();
        if replaced * 1000 <= text.chars().count() * MAX_REPLACED_PER_MILLE {
            return Ok(decoded(
                text.into_owned(),
                encoding.name(),
                true,
                Vec::new(),
            ));
        }
    }
    // The detector learns nothing from ASCII: when its window would hold nothing else (a head
    // of CSS and scripts), it reads from a little before the first byte that is not.
    let start = match bytes.iter().position(|b| !b.is_ascii()) {
        Some(at) if at >= DETECTION_WINDOW => at - DETECTION_LEAD,
        _ => 0,
    };
    let window = &bytes[start..bytes.len().min(start + DETECTION_WINDOW)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(window, start + window.len() == bytes.len());
    let guessed = detector.guess(None, chardetng::Utf8Detection::Allow);
    if let Some(cjk) = cjk_behind_latin(guessed, bytes) {
        let warnings = vec![Warning::new(
            WarningKind::EncodingGuessed,
            format!(
                "no usable charset declaration; detected {}, but the bytes are {} text read as Latin: read as {}",
                guessed.name(),
                cjk.name(),
                cjk.name()
            ),
        )];
        return Ok(finish(cjk, bytes, warnings));
    }
    let warnings = vec![Warning::new(
        WarningKind::EncodingGuessed,
        format!("no usable charset declaration; detected {}", guessed.name()),
    )];
    Ok(finish(guessed, bytes, warnings))
}

/// The CJK encoding a text guessed as a single-byte Latin one really is, where the evidence is
/// clear: nearly every byte above ASCII stands next to another (a CJK character takes two,
/// while Latin accents stand alone between ASCII letters), and the bytes decode without an
/// error into text whose non-ASCII characters are nearly all Han, Kana or Hangul.
fn cjk_behind_latin(guessed: &'static Encoding, bytes: &[u8]) -> Option<&'static Encoding> {
    if !guessed.is_single_byte() {
        return None;
    }
    let high = bytes.iter().filter(|b| !b.is_ascii()).count();
    let paired = bytes
        .iter()
        .enumerate()
        .filter(|&(i, b)| {
            !b.is_ascii()
                && (i > 0 && !bytes[i - 1].is_ascii()
                    || bytes.get(i + 1).is_some_and(|n| !n.is_ascii()))
        })
        .count();
    if high < MIN_MOJIBAKE_BYTES || paired * 100 < high * 95 {
        return None;
    }
    [GBK, BIG5, SHIFT_JIS, EUC_KR]
        .into_iter()
        .find(|candidate| {
            candidate
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some_and(|text| {
                    let wide: Vec<char> = text.chars().filter(|c| !c.is_ascii()).collect();
                    let cjk = wide.iter().filter(|&&c| is_cjk(c)).count();
                    cjk * 100 >= wide.len() * 90
                })
        })
}

/// Han, Kana, Hangul and CJK punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
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
    let mut breaks = memchr::memchr_iter(b'\r', text.as_bytes()).peekable();
    if breaks.peek().is_none() {
        return text;
    }
    // One pass: every CR becomes LF, and the LF of a CRLF goes.
    let mut normal = String::with_capacity(text.len());
    let mut from = 0;
    for cr in breaks {
        normal.push_str(&text[from..cr]);
        normal.push('\n');
        from = cr + 1;
        if text.as_bytes().get(from) == Some(&b'\n') {
            from += 1;
        }
    }
    normal.push_str(&text[from..]);
    normal
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
    let nuls = memchr::memchr_iter(0, head).count();
    if bytes[..bytes.len().min(HEADER)].contains(&0) || nuls * 100 > head.len() {
        return Err(ParseError::Binary {
            reason: "NUL bytes",
        });
    }
    Ok(())
}

/// Removes stray NULs (see [`reject_binary`]), saying how many.
fn remove_nuls(text: String, warnings: &mut Vec<Warning>) -> String {
    let count = memchr::memchr_iter(0, text.as_bytes()).count();
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
        let d = decode(b"\xef\xbb\xbfhello", None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("hello", "UTF-8"));
    }

    #[test]
    fn declared_charset_is_used_when_bytes_are_not_utf8() {
        let (bytes, _, _) = encoding_rs::GBK.encode("<meta charset=\"gb2312\"><p>中文新闻报道</p>");
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("中文新闻报道"));
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn a_transport_charset_comes_before_the_pages_own() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1251.encode("<meta charset=\"koi8-r\"><p>Новости дня</p>");
        let d = decode(&bytes, Some("windows-1251")).unwrap();
        assert_eq!(d.encoding, "windows-1251");
        assert!(d.text.contains("Новости дня") && d.warnings.is_empty());
        // Unknown labels are passed over.
        assert_eq!(decode(&bytes, Some("no-such")).unwrap().encoding, "KOI8-R");
    }

    #[test]
    fn second_declared_charset_wins_when_first_does_not_fit() {
        let page = "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>新华社北京电</p>";
        let (bytes, _, _) = encoding_rs::GBK.encode(page);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("新华社北京电"));
    }

    #[test]
    fn undeclared_shift_jis_is_detected_with_a_warning() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS
            .encode("羅生門　芥川龍之介　ある日の暮方の事である。一人の下人が、羅生門の下で雨やみを待っていた。");
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.encoding, "Shift_JIS");
        assert!(d.text.contains("羅生門"));
        assert_eq!(d.warnings[0].kind, WarningKind::EncodingGuessed);
    }

    #[test]
    fn crlf_and_lone_cr_line_ends_become_newlines() {
        assert_eq!(decode(b"a\r\nb\rc\n", None).unwrap().text, "a\nb\nc\n");
    }

    proptest::proptest! {
        /// The one pass agrees with replacing `\r\n`, then `\r`, on any mix of line ends.
        #[test]
        fn one_pass_newlines_agree_with_two_replaces(text in "[a\r\n\u{e9}]{0,40}") {
            let expected = text.replace("\r\n", "\n").replace('\r', "\n");
            proptest::prop_assert_eq!(normalize_newlines(text), expected);
        }
    }

    #[test]
    fn nul_bytes_are_binary() {
        assert!(matches!(
            decode(b"abc\0def", None),
            Err(ParseError::Binary { .. })
        ));
    }

    #[test]
    fn a_few_stray_nuls_deep_in_a_page_are_removed_with_a_warning() {
        let mut page = "<p>story</p>".repeat(100).into_bytes();
        page.extend_from_slice(b"<img alt=\"\">\0\0\0<p>more</p>");
        let d = decode(&page, None).unwrap();
        assert!(d.text.ends_with("<img alt=\"\"><p>more</p>"));
        assert_eq!(d.warnings[0].detail, "3 NUL bytes removed");
    }

    const XINHUA: &[u8] = include_bytes!("../tests/pages/zh-gb2312-xinhuanet-archived.html");
    const BIG5_NEWS: &[u8] = include_bytes!("../tests/pages/zh_tw-big5-news-no-charset.html");

    /// `page` with `bad` planted at a third, a half and two thirds of its length.
    fn planted(page: &[u8], bad: &[u8]) -> Vec<u8> {
        let mut out = page.to_vec();
        for at in [2 * page.len() / 3, page.len() / 2, page.len() / 3] {
            out.splice(at..at, bad.iter().copied());
        }
        out
    }

    /// `page` with `bytes` of ASCII (a stylesheet) put in right after its first `<head>`.
    fn with_ascii_head(page: &[u8], bytes: usize) -> Vec<u8> {
        let at = find(page, b"<head>").map_or(0, |p| p + 6);
        let css = "p.story{margin:0 auto;color:#333}\n".repeat(bytes / 34);
        let mut out = page[..at].to_vec();
        out.extend_from_slice(format!("<style>{css}</style>").as_bytes());
        out.extend_from_slice(&page[at..]);
        out
    }

    #[test]
    fn a_declared_charset_with_a_few_bad_bytes_still_wins() {
        let page = planted(XINHUA, b"\x80\xff");
        let d = decode(&page, None).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("话剧《约定无期限》河北各市巡演结束"));
        let kinds: Vec<_> = d.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [WarningKind::MalformedBytes], "{:?}", d.warnings);
    }

    #[test]
    fn a_page_full_of_bad_bytes_is_not_read_by_its_declaration() {
        // Every other character broken: the declaration does not describe these bytes.
        let page: Vec<u8> = b"<meta charset=\"gb2312\"><p>"
            .iter()
            .copied()
            .chain((0..400).flat_map(|i| {
                if i % 2 == 0 {
                    vec![0xd6, 0xd0]
                } else {
                    vec![0xff]
                }
            }))
            .collect();
        let d = decode(&page, None).unwrap();
        assert_eq!(
            d.warnings[0].kind,
            WarningKind::EncodingGuessed,
            "{:?}",
            d.warnings
        );
    }

    #[test]
    fn detection_reads_past_an_ascii_head() {
        let page = with_ascii_head(BIG5_NEWS, 2 * DETECTION_WINDOW);
        let d = decode(&page, None).unwrap();
        assert_eq!(d.encoding, "Big5", "{:?}", d.warnings);
        assert!(d.text.contains("台北看守所昨天抽查前總統陳水扁的房舍"));
    }

    #[test]
    fn cjk_read_as_latin_is_told_from_latin_text() {
        let (gbk, _, _) =
            GBK.encode("新华社北京电，国家统计局今天发布的数据显示，一季度经济运行总体平稳。");
        assert_eq!(cjk_behind_latin(encoding_rs::WINDOWS_1252, &gbk), Some(GBK));
        // French and German in windows-1252: accents stand alone, whatever GBK would make of them.
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(
            "Le théâtre était plein à craquer, et la première a été saluée. Müller führte über Größe.",
        );
        assert_eq!(cjk_behind_latin(encoding_rs::WINDOWS_1252, &latin), None);
        // A guess that is not a single-byte Latin one is left alone.
        assert_eq!(cjk_behind_latin(GBK, &gbk), None);
    }
}
