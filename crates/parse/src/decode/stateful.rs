//! Encodings that look like something else: UTF-32, whose little-endian BOM starts with
//! UTF-16's, and the stateful 7-bit encodings (ISO-2022-JP, ISO-2022-KR, ISO-2022-CN, HZ), whose
//! bytes are all valid ASCII — read as UTF-8 they come out as escape-sequence garbage with no
//! error. ISO-2022-JP is encoding_rs's; the others shift 7-bit pairs into a double-byte
//! charset, so they are unshifted here and decoded as EUC-KR or GBK.

use encoding_rs::{EUC_KR, Encoding, GBK, ISO_2022_JP};

use super::{Decoded, decoded, finish};
use crate::ParseError;

const ESC: u8 = 0x1b;
/// Shift out (into the double-byte set) and shift in (back to ASCII), in ISO-2022-KR and -CN.
const SHIFT_OUT: u8 = 0x0e;
const SHIFT_IN: u8 = 0x0f;

/// `bytes` decoded as UTF-32, if they start with its BOM.
pub(super) fn utf32(bytes: &[u8]) -> Option<Decoded> {
    let (name, little) = if bytes.starts_with(&[0xff, 0xfe, 0, 0]) {
        ("UTF-32LE", true)
    } else if bytes.starts_with(&[0, 0, 0xfe, 0xff]) {
        ("UTF-32BE", false)
    } else {
        return None;
    };
    let body = &bytes[4..];
    let mut text = String::with_capacity(body.len() / 4);
    let mut had_errors = !body.len().is_multiple_of(4);
    for unit in body.chunks_exact(4) {
        let unit: [u8; 4] = unit.try_into().expect("chunks of four");
        let value = if little {
            u32::from_le_bytes(unit)
        } else {
            u32::from_be_bytes(unit)
        };
        text.push(char::from_u32(value).unwrap_or_else(|| {
            had_errors = true;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if !body.len().is_multiple_of(4) {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    Some(decoded(text, name, had_errors, Vec::new()))
}

/// `bytes` decoded from a stateful 7-bit encoding, if they are in one: all seven-bit, with its
/// escape sequences (or HZ's `~{ … ~}` runs, all of them well formed).
pub(super) fn seven_bit(bytes: &[u8]) -> Result<Option<Decoded>, ParseError> {
    if !bytes.is_ascii() {
        return Ok(None);
    }
    let has = |sequence: &[u8]| bytes.windows(sequence.len()).any(|w| w == sequence);
    if bytes.contains(&ESC) {
        if [&b"\x1b$B"[..], b"\x1b$@", b"\x1b(J", b"\x1b(I"]
            .iter()
            .any(|s| has(s))
        {
            return Ok(Some(finish(ISO_2022_JP, bytes, Vec::new())));
        }
        if has(b"\x1b$)C") {
            return Ok(Some(shifted(bytes, b"\x1b$)C", EUC_KR, "ISO-2022-KR")));
        }
        if has(b"\x1b$)G") || has(b"\x1b$*H") {
            return Err(ParseError::UnsupportedEncoding {
                name: "ISO-2022-CN (CNS 11643)",
                reason: "no decoder for CNS 11643 is at hand; convert the file to UTF-8",
            });
        }
        if has(b"\x1b$)A") {
            return Ok(Some(shifted(bytes, b"\x1b$)A", GBK, "ISO-2022-CN")));
        }
        return Ok(None);
    }
    Ok(hz(bytes).map(|(unshifted, had_errors)| {
        let (text, errors) = GBK.decode_without_bom_handling(&unshifted);
        decoded(
            text.into_owned(),
            "HZ-GB-2312",
            had_errors || errors,
            Vec::new(),
        )
    }))
}

/// ISO-2022-KR and -CN: after the `designator`, SO … SI runs are pairs of 7-bit bytes of a
/// double-byte set, which with their high bits set are `target` (EUC-KR, GBK).
fn shifted(
    bytes: &[u8],
    designator: &[u8],
    target: &'static Encoding,
    name: &'static str,
) -> Decoded {
    let mut unshifted = Vec::with_capacity(bytes.len());
    let mut shifted_out = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(designator) {
            i += designator.len();
            continue;
        }
        match bytes[i] {
            SHIFT_OUT => shifted_out = true,
            SHIFT_IN | b'\n' => {
                shifted_out = false;
                if bytes[i] == b'\n' {
                    unshifted.push(b'\n');
                }
            }
            byte if shifted_out && (0x21..=0x7e).contains(&byte) => unshifted.push(byte | 0x80),
            byte => unshifted.push(byte),
        }
        i += 1;
    }
    let (text, had_errors) = target.decode_without_bom_handling(&unshifted);
    decoded(text.into_owned(), name, had_errors, Vec::new())
}

/// HZ (RFC 1843): `~{` … `~}` runs of GB2312 pairs written with their high bits clear, `~~`
/// for a tilde, `~` at a line's end to join lines. The GBK bytes and whether any pair was odd;
/// `None` unless there is a run and every `~` is one of these (else it is plain text with
/// tildes).
fn hz(bytes: &[u8]) -> Option<(Vec<u8>, bool)> {
    if !bytes.windows(2).any(|w| w == b"~{") {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_gb = false;
    let mut runs = 0;
    let mut odd = false;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if in_gb {
            if bytes[i..].starts_with(b"~}") {
                in_gb = false;
                i += 2;
                continue;
            }
            if byte == b'\n' {
                // A run must close on its line.
                return None;
            }
            match bytes.get(i + 1) {
                Some(&second)
                    if (0x21..=0x7e).contains(&byte) && (0x21..=0x7e).contains(&second) =>
                {
                    out.extend_from_slice(&[byte | 0x80, second | 0x80]);
                    i += 2;
                }
                _ => {
                    odd = true;
                    i += 1;
                }
            }
            continue;
        }
        if byte == b'~' {
            match bytes.get(i + 1) {
                Some(b'~') => out.push(b'~'),
                Some(b'{') => {
                    in_gb = true;
                    runs += 1;
                }
                Some(b'\n') => {}
                _ => return None,
            }
            i += 2;
            continue;
        }
        out.push(byte);
        i += 1;
    }
    (runs > 0 && !in_gb).then_some((out, odd))
}

#[cfg(test)]
mod tests {
    use super::super::decode;

    const JAPANESE: &str = "ある日の暮方の事である。一人の下人が、羅生門の下で雨やみを待っていた。";
    const KOREAN: &str = "서울 시청 앞 광장에서 시민들이 모여 새해를 맞이했습니다.";
    const CHINESE: &str = "中国制造的领军者，航天科技集团推动中国航天进入太空行走时代。";

    /// A 7-bit encoding of `text` by the double-byte `set`, shifted as ISO-2022-KR/-CN do.
    fn iso2022(set: &'static encoding_rs::Encoding, designator: &[u8], text: &str) -> Vec<u8> {
        let mut out = designator.to_vec();
        let (bytes, _, _) = set.encode(text);
        let mut shifted_out = false;
        for &byte in bytes.iter() {
            if byte >= 0x80 && !shifted_out {
                out.push(0x0e);
                shifted_out = true;
            } else if byte < 0x80 && shifted_out {
                out.push(0x0f);
                shifted_out = false;
            }
            out.push(byte & 0x7f);
        }
        if shifted_out {
            out.push(0x0f);
        }
        out
    }

    #[test]
    fn iso_2022_jp_is_decoded_not_read_as_ascii() {
        let (bytes, _, _) = encoding_rs::ISO_2022_JP.encode(JAPANESE);
        assert!(bytes.is_ascii());
        let d = decode(&bytes, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (JAPANESE, "ISO-2022-JP"));
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn iso_2022_kr_and_cn_are_unshifted_and_decoded() {
        let d = decode(&iso2022(encoding_rs::EUC_KR, b"\x1b$)C", KOREAN), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (KOREAN, "ISO-2022-KR"));
        let d = decode(&iso2022(encoding_rs::GBK, b"\x1b$)A", CHINESE), None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (CHINESE, "ISO-2022-CN"));
        let cns = decode(b"\x1b$)G\x0e\x21\x21\x0f", None).unwrap_err();
        assert!(cns.to_string().contains("CNS 11643"), "{cns}");
    }

    #[test]
    fn hz_is_decoded_and_tildes_in_plain_text_are_left_alone() {
        let (gb, _, _) = encoding_rs::GBK.encode(CHINESE);
        let mut hz = b"News: ~{".to_vec();
        hz.extend(gb.iter().map(|b| b & 0x7f));
        hz.extend_from_slice(b"~} ~~ok");
        let d = decode(&hz, None).unwrap();
        assert_eq!(d.encoding, "HZ-GB-2312");
        assert_eq!(d.text, format!("News: {CHINESE} ~ok"));
        let plain = decode(b"home is ~/notes and ~{braces}? ~x", None).unwrap();
        assert_eq!(plain.encoding, "UTF-8");
    }

    #[test]
    fn utf32_with_a_bom_is_not_read_as_utf16() {
        for (bom, little) in [
            (&[0xff, 0xfe, 0, 0][..], true),
            (&[0, 0, 0xfe, 0xff][..], false),
        ] {
            let mut bytes = bom.to_vec();
            for c in "Héllo 世界".chars() {
                let unit = c as u32;
                bytes.extend(if little {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            let d = decode(&bytes, None).unwrap();
            assert_eq!(d.text, "Héllo 世界");
            assert_eq!(d.encoding, if little { "UTF-32LE" } else { "UTF-32BE" });
        }
    }
}
