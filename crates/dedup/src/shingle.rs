//! Text → shingles → a 64-byte b-bit MinHash signature.

use lede_record::{SIGNATURE_BYTES, Signature, chars};
use xxhash_rust::xxh3::xxh3_64;

/// Tokens per shingle.
pub const SHINGLE_TOKENS: usize = 3;

const BINS: usize = SIGNATURE_BYTES;
/// The top bits of a shingle hash choose its bin.
const BIN_SHIFT: u32 = 64 - BINS.trailing_zeros();

/// A 64-bit finalizer (splitmix64): spreads a combined value over all bits.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The signature of `text`, or `None` when it has no token at all. A text shorter than a
/// shingle is one shingle of all its tokens.
pub fn signature(text: &str) -> Option<Signature> {
    let mut shingles = Shingles::default();
    chars::read(text, &mut shingles);
    shingles.signature()
}

/// A text's shingles as a [`chars::Reader`], so that they are taken in the same pass over the
/// clean text as its counts (`lede_clean::clean_with`). Tokens are a CJK character, or a
/// lower-cased run of letters and digits.
///
/// ```
/// use lede_dedup::{Shingles, signature};
/// use lede_record::chars;
///
/// let mut shingles = Shingles::default();
/// chars::read("One story, told once.", &mut shingles);
/// assert_eq!(shingles.signature(), signature("one story told once"));
/// ```
pub struct Shingles {
    /// The word being read, lower-cased.
    word: String,
    /// The last tokens' hashes, the newest last.
    window: [u64; SHINGLE_TOKENS],
    /// Tokens read.
    seen: usize,
    minimums: [u64; BINS],
}

impl Default for Shingles {
    fn default() -> Shingles {
        Shingles {
            word: String::new(),
            window: [0; SHINGLE_TOKENS],
            seen: 0,
            minimums: [u64::MAX; BINS],
        }
    }
}

impl chars::Reader for Shingles {
    fn char(&mut self, c: char, class: chars::Class) {
        if class.cjk().is_some() {
            self.end_word();
            // Tagged so that no character's hash equals a word's by construction.
            self.token(mix(u64::from(c) | 1 << 40));
        } else if c.is_ascii_alphanumeric() {
            self.word.push(c.to_ascii_lowercase());
        } else if class.is_alphanumeric() {
            self.word.extend(c.to_lowercase());
        } else {
            self.end_word();
        }
    }
}

impl Shingles {
    fn end_word(&mut self) {
        if !self.word.is_empty() {
            self.token(xxh3_64(self.word.as_bytes()));
            self.word.clear();
        }
    }

    fn token(&mut self, token: u64) {
        self.window.rotate_left(1);
        self.window[SHINGLE_TOKENS - 1] = token;
        self.seen += 1;
        if self.seen >= SHINGLE_TOKENS {
            self.add(shingle_hash(&self.window));
        }
    }

    fn add(&mut self, shingle: u64) {
        let bin = (shingle >> BIN_SHIFT) as usize;
        // The low bits order shingles within a bin.
        let value = shingle << (64 - BIN_SHIFT);
        if value < self.minimums[bin] {
            self.minimums[bin] = value;
        }
    }

    /// The signature of the text read, or `None` when it had no token at all. A text shorter
    /// than a shingle is one shingle of all its tokens.
    pub fn signature(mut self) -> Option<Signature> {
        self.end_word();
        match self.seen {
            0 => return None,
            short if short < SHINGLE_TOKENS => {
                let shingle = shingle_hash(&self.window[SHINGLE_TOKENS - short..]);
                self.add(shingle);
            }
            _ => {}
        }
        Some(densify(&self.minimums))
    }
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

    /// The tokens' hashes as the standard library splits the text: each CJK character, and
    /// every lower-cased run of alphanumeric characters.
    fn token_hashes(text: &str) -> Vec<u64> {
        let mut hashes = Vec::new();
        let mut word = String::new();
        for c in text.chars().chain([' ']) {
            if chars::cjk(c).is_some() || !c.is_alphanumeric() {
                if !word.is_empty() {
                    hashes.push(xxh3_64(std::mem::take(&mut word).as_bytes()));
                }
                if chars::cjk(c).is_some() {
                    hashes.push(mix(u64::from(c) | 1 << 40));
                }
            } else {
                word.extend(c.to_lowercase());
            }
        }
        hashes
    }

    fn exact_jaccard(a: &str, b: &str) -> f64 {
        let set = |t: &str| {
            token_hashes(t)
                .windows(SHINGLE_TOKENS)
                .map(shingle_hash)
                .collect::<std::collections::HashSet<_>>()
        };
        let (a, b) = (set(a), set(b));
        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
    }

    /// The signature is the minimum of the shingles of the standard library's tokens in each
    /// bin, whatever the text's scripts.
    #[test]
    fn the_pass_takes_the_tokens_the_standard_library_splits() {
        let texts = [
            STORY,
            "Ⅻ ÉCOLE straße İstanbul 東京タワー 한국어 𠀋 don't 3.14 snake_case",
            "short",
            "",
        ];
        for text in texts {
            let hashes = token_hashes(text);
            let mut expected = Shingles::default();
            match hashes.len() {
                0 => {}
                short if short < SHINGLE_TOKENS => expected.add(shingle_hash(&hashes)),
                _ => hashes
                    .windows(SHINGLE_TOKENS)
                    .for_each(|window| expected.add(shingle_hash(window))),
            }
            let expected = (!hashes.is_empty()).then(|| densify(&expected.minimums));
            assert_eq!(signature(text), expected, "{text}");
        }
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
