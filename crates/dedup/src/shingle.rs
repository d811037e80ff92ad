//! Text → shingles → a 64-byte b-bit MinHash signature.

use lede_record::{SIGNATURE_BYTES, Signature, chars};
use xxhash_rust::xxh3::xxh3_64;

/// Tokens per shingle.
pub const SHINGLE_TOKENS: usize = 3;

const BINS: usize = SIGNATURE_BYTES;
/// The top bits of a shingle hash choose its bin.
const BIN_SHIFT: u32 = 64 - BINS.trailing_zeros();

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF | 0xFF66..=0xFF9D | 0x20000..=0x3134F)
}

/// A 64-bit finalizer (splitmix64): spreads a combined value over all bits.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Calls `each` with the hash of every token: a CJK character, or a lower-cased run of letters
/// and digits.
fn tokens(text: &str, mut each: impl FnMut(u64)) {
    let mut word = String::new();
    let flush = |word: &mut String, each: &mut dyn FnMut(u64)| {
        if !word.is_empty() {
            each(xxh3_64(word.as_bytes()));
            word.clear();
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush(&mut word, &mut each);
            // Tagged so that no character's hash equals a word's by construction.
            each(mix(u64::from(c) | 1 << 40));
        } else if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if chars::is_alphanumeric(c) {
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut each);
        }
    }
    flush(&mut word, &mut each);
}

/// The signature of `text`, or `None` when it has no token at all. A text shorter than a
/// shingle is one shingle of all its tokens.
pub fn signature(text: &str) -> Option<Signature> {
    let mut minimums = [u64::MAX; BINS];
    let mut window = [0u64; SHINGLE_TOKENS];
    let mut seen = 0usize;
    let mut add = |shingle: u64| {
        let bin = (shingle >> BIN_SHIFT) as usize;
        // The low bits order shingles within a bin.
        let value = shingle << (64 - BIN_SHIFT);
        if value < minimums[bin] {
            minimums[bin] = value;
        }
    };
    tokens(text, |token| {
        window.rotate_left(1);
        window[SHINGLE_TOKENS - 1] = token;
        seen += 1;
        if seen >= SHINGLE_TOKENS {
            add(shingle_hash(&window));
        }
    });
    match seen {
        0 => return None,
        short if short < SHINGLE_TOKENS => add(shingle_hash(&window[SHINGLE_TOKENS - short..])),
        _ => {}
    }
    Some(densify(&minimums))
}

fn shingle_hash(tokens: &[u64]) -> u64 {
    tokens
        .iter()
        .fold(0x9e37_79b9_7f4a_7c15u64, |h, t| mix(h.rotate_left(17) ^ t))
}

/// Fills each empty bin from the nearest filled bin to its right (wrapping), salted with the
/// distance, so that two texts agree on an empty bin about as often as on a filled one
/// (Shrivastava and Li's rotation densification); then keeps one byte of each.
fn densify(minimums: &[u64; BINS]) -> Signature {
    let mut bytes = [0u8; BINS];
    for (i, byte) in bytes.iter_mut().enumerate() {
        let (distance, value) = (0..BINS)
            .map(|d| (d, minimums[(i + d) % BINS]))
            .find(|(_, v)| *v != u64::MAX)
            .expect("a text with a token fills at least one bin");
        *byte = mix(value ^ (distance as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)) as u8;
    }
    Signature(bytes)
}

/// The estimated Jaccard similarity of the texts behind two signatures. One-byte values agree
/// by chance once in 256, which the estimate takes out.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    let agree = a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count() as f64 / BINS as f64;
    let chance = 1.0 / 256.0;
    ((agree - chance) / (1.0 - chance)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_jaccard(a: &str, b: &str) -> f64 {
        let set = |t: &str| {
            let mut toks = Vec::new();
            tokens(t, |h| toks.push(h));
            toks.windows(SHINGLE_TOKENS)
                .map(shingle_hash)
                .collect::<std::collections::HashSet<_>>()
        };
        let (a, b) = (set(a), set(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    const STORY: &str = "美国驻成都总领事馆开馆于1985年10月16日，1993年8月2日由锦江宾馆迁入位于成都市中心的南边领事馆路4号的现馆舍。\
        中美两国互相关闭领事馆，标志着两国关系进一步恶化。外交部发言人在例行记者会上表示，中方的做法是对美方无理行径的正当和必要反应。";

    #[test]
    fn identical_texts_have_identical_signatures() {
        assert_eq!(signature(STORY), signature(STORY));
        assert_eq!(
            similarity(&signature(STORY).unwrap(), &signature(STORY).unwrap()),
            1.0
        );
    }

    #[test]
    fn case_and_punctuation_do_not_matter_and_empty_text_has_none() {
        assert_eq!(
            signature("Hello, World! Again."),
            signature("hello world again")
        );
        assert_eq!(signature("  ... !!! "), None);
        assert!(signature("短").is_some());
    }

    #[test]
    fn similarity_tracks_jaccard() {
        let edited =
            format!("{STORY}（欢迎点击此处订阅简报，我们将在每个工作日发送最新内容至您的邮箱。）");
        let trimmed = &STORY[..STORY.len() / 2];
        let unrelated = "Chelsea have sacked Adrian Mutu after he failed a drugs test. The 25-year-old tested positive for a banned substance in October.";
        for other in [edited.as_str(), trimmed, unrelated] {
            let estimate = similarity(&signature(STORY).unwrap(), &signature(other).unwrap());
            let exact = exact_jaccard(STORY, other);
            assert!(
                (estimate - exact).abs() < 0.2,
                "estimate {estimate} vs exact {exact}"
            );
        }
    }
}
