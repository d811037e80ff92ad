//! Near-duplicate detection: MinHash signatures of article text, LSH banding to find candidate
//! pairs, and clusters whose canonical copy is the earliest published article.
//!
//! `lede-dedup` owns the rule that says two articles are the same story: their texts share at
//! least `threshold` of their shingles (Jaccard similarity). Shingles are CJK-aware: a Han, Kana
//! or Hangul character is a token of its own, a run of letters or digits elsewhere is one
//! (lower-cased), and a shingle is [`SHINGLE_TOKENS`] consecutive tokens. A signature is 64
//! one-byte MinHash values (one-permutation hashing with densification, b-bit), 64 bytes per
//! article; candidates are articles that agree on all four bytes of one of 16 bands, and a
//! candidate pair is a duplicate when its estimated similarity reaches the threshold.
//!
//! ```
//! use lede_dedup::{Dedup, signature};
//! use lede_record::DedupState;
//!
//! let story = "The central bank raised interest rates by a quarter point on Tuesday, \
//!              citing persistent inflation and a strong labour market in the third quarter.";
//! let edited = format!("{story} Subscribe to our newsletter.");
//! let other = "A new species of frog was found in the rainforest of Borneo by a team of biologists.";
//! let mut state = DedupState::default();
//! state.push(1, Some(200), signature(story).unwrap());
//! state.push(2, Some(100), signature(&edited).unwrap());
//! state.push(3, None, signature(other).unwrap());
//! let canonical = Dedup::new(0.7).assign(&state);
//! // The earlier-published edit is the canonical copy; the other story stands alone.
//! assert_eq!(canonical, vec![1, DedupState::CANONICAL, DedupState::CANONICAL]);
//! ```
#![deny(missing_docs)]

mod cluster;
mod shingle;

pub use cluster::{BANDS, Dedup, Member, band_key, band_values, bucket_pairs, canonical_copies};
pub use shingle::{SHINGLE_TOKENS, Shingles, signature, similarity};
