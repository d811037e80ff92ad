//! What near-duplicate detection keeps per article, between runs.

/// Bytes in a [`Signature`].
pub const SIGNATURE_BYTES: usize = 64;

/// A MinHash signature of an article's text: one byte of each of 64 minimums (b-bit MinHash),
/// so that two signatures agree in about the share of bytes that their texts share shingles.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u8; SIGNATURE_BYTES]);

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for byte in &self.0[..8] {
            write!(f, "{byte:02x}")?;
        }
        f.write_str("…")
    }
}

/// Every article with a signature in the dataset, as parallel columns (92 bytes per article,
/// with no padding): its source key, publish time, signature, and the row of its canonical copy
/// as the dataset's `duplicate_of` column holds it now.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DedupState {
    /// Source keys (see [`crate::SourcePath::key`]); the article id is their hex.
    pub keys: Vec<u128>,
    /// `published_at` in microseconds, [`DedupState::UNDATED`] when NULL (so it sorts last).
    pub published: Vec<i64>,
    /// The signatures.
    pub signatures: Vec<Signature>,
    /// Index of the canonical copy in these columns, or [`DedupState::CANONICAL`].
    pub duplicate_of: Vec<u32>,
}

impl DedupState {
    /// `published` of an article without a date.
    pub const UNDATED: i64 = i64::MAX;
    /// `duplicate_of` of an article that is its own canonical copy.
    pub const CANONICAL: u32 = u32::MAX;
    /// `duplicate_of` of an article whose row names a canonical copy that was removed: its row
    /// must be rewritten whatever the next clustering says.
    pub const GONE: u32 = u32::MAX - 1;

    /// Articles held.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no article is held.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Adds an article whose row has no `duplicate_of` yet.
    pub fn push(&mut self, key: u128, published: Option<i64>, signature: Signature) {
        self.keys.push(key);
        self.published
            .push(published.unwrap_or(DedupState::UNDATED));
        self.signatures.push(signature);
        self.duplicate_of.push(DedupState::CANONICAL);
    }

    /// Adds `other`'s articles after these. When this state is empty, `other` is moved in whole:
    /// a cold run's million signatures are not copied while the originals are still held.
    pub fn append(&mut self, mut other: DedupState) {
        if self.is_empty() {
            *self = other;
            return;
        }
        self.keys.append(&mut other.keys);
        self.published.append(&mut other.published);
        self.signatures.append(&mut other.signatures);
        self.duplicate_of.append(&mut other.duplicate_of);
    }

    /// Drops the articles whose key `remove` says, keeping the others' `duplicate_of` pointing
    /// at the same articles (or at [`DedupState::GONE`], when their canonical copy went).
    pub fn remove_where(&mut self, remove: impl Fn(u128) -> bool) {
        let mut new_index = vec![DedupState::CANONICAL; self.len()];
        let mut kept = 0u32;
        for (i, key) in self.keys.iter().enumerate() {
            if !remove(*key) {
                new_index[i] = kept;
                kept += 1;
            }
        }
        let mut next = 0;
        for i in 0..self.len() {
            if new_index[i] == DedupState::CANONICAL {
                continue;
            }
            self.keys[next] = self.keys[i];
            self.published[next] = self.published[i];
            self.signatures[next] = self.signatures[i];
            let canonical = self.duplicate_of[i];
            self.duplicate_of[next] = match canonical {
                DedupState::CANONICAL | DedupState::GONE => canonical,
                _ => match new_index[canonical as usize] {
                    DedupState::CANONICAL => DedupState::GONE,
                    moved => moved,
                },
            };
            next += 1;
        }
        self.keys.truncate(next);
        self.published.truncate(next);
        self.signatures.truncate(next);
        self.duplicate_of.truncate(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appending_keeps_both_in_order() {
        let state_of = |keys: std::ops::Range<u128>| {
            let mut state = DedupState::default();
            for key in keys {
                state.push(key, None, Signature([key as u8; SIGNATURE_BYTES]));
            }
            state
        };
        let mut state = DedupState::default();
        state.append(state_of(0..2));
        state.append(state_of(2..4));
        assert_eq!(state.keys, vec![0, 1, 2, 3]);
        assert_eq!(state.signatures[3].0[0], 3);
        assert_eq!(state.published, vec![DedupState::UNDATED; 4]);
        assert_eq!(state.duplicate_of.len(), 4);
    }

    #[test]
    fn removal_keeps_references_to_the_articles_that_stay() {
        let mut state = DedupState::default();
        for key in 0..4u128 {
            state.push(
                key,
                Some(key as i64),
                Signature([key as u8; SIGNATURE_BYTES]),
            );
        }
        // 1 and 3 are copies of 2; 0 is a copy of 1.
        state.duplicate_of = vec![1, 2, DedupState::CANONICAL, 2];
        state.remove_where(|key| key == 1);
        assert_eq!(state.keys, vec![0, 2, 3]);
        assert_eq!(
            state.duplicate_of,
            vec![DedupState::GONE, DedupState::CANONICAL, 1]
        );
        assert_eq!(state.signatures[2].0[0], 3);
    }
}
