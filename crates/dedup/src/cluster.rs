//! Signatures → candidate pairs (LSH banding) → verified pairs → clusters → canonical copies.
//! The banding and the choice of pairs to verify are public, so that a distributed engine
//! that shuffles by band key finds exactly the pairs this finds, and [`canonical_copies`]
//! turns its verified pairs into the same canonical copies.

use std::collections::HashMap;

use lede_record::{DedupState, SIGNATURE_BYTES, Signature};

use crate::similarity;

/// Signature bytes per band: articles that agree on all of them are candidates.
const BAND_BYTES: usize = 4;
/// Bands of a signature.
pub const BANDS: usize = SIGNATURE_BYTES / BAND_BYTES;
/// A bucket up to this size has every pair verified; in a larger one (boilerplate shared by
/// many texts) each member is verified against the bucket's canonical member only, so the work
/// stays linear.
const MAX_ALL_PAIRS: usize = 16;

/// The values of `signature`'s bands: two articles that agree on a band are candidates.
pub fn band_values(signature: &Signature) -> [u32; BANDS] {
    std::array::from_fn(|band| {
        let bytes: [u8; BAND_BYTES] = signature.0[band * BAND_BYTES..(band + 1) * BAND_BYTES]
            .try_into()
            .expect("a band is BAND_BYTES long");
        u32::from_le_bytes(bytes)
    })
}

/// One number for band `band` holding `value`, to shuffle by: the band in the high half.
pub fn band_key(band: usize, value: u32) -> u64 {
    ((band as u64) << 32) | u64::from(value)
}

/// The pairs of a bucket of `len` candidates (ordered earliest published first, then smallest
/// id) whose similarity is verified: every pair when the bucket is small, else each member
/// with the first.
pub fn bucket_pairs(len: usize) -> impl Iterator<Item = (usize, usize)> {
    let leaders = if len <= MAX_ALL_PAIRS { len } else { 1 };
    (0..leaders).flat_map(move |a| (a + 1..len).map(move |b| (a, b)))
}

/// An article as clustering orders it: its source key and `published` (µs,
/// [`DedupState::UNDATED`] when it has no date).
pub type Member = (u128, i64);

/// The canonical copy of every article that `verified` (pairs of duplicates) connects to an
/// earlier one: (article key, canonical key), the canonical copy of a cluster being its
/// earliest published member, then the smallest key — as [`Dedup::assign`] decides.
pub fn canonical_copies(verified: &[(Member, Member)]) -> Vec<(u128, u128)> {
    let mut index: HashMap<u128, u32> = HashMap::new();
    let mut members: Vec<Member> = Vec::new();
    let mut id = |member: Member| {
        *index.entry(member.0).or_insert_with(|| {
            members.push(member);
            (members.len() - 1) as u32
        })
    };
    let pairs: Vec<(u32, u32)> = verified.iter().map(|&(a, b)| (id(a), id(b))).collect();
    let mut components = UnionFind::new(members.len());
    for (a, b) in pairs {
        components.union(a, b);
    }
    let earlier = |a: u32, b: u32| {
        let (a, b) = (members[a as usize], members[b as usize]);
        (a.1, a.0) < (b.1, b.0)
    };
    let mut canonical = vec![u32::MAX; members.len()];
    for i in 0..members.len() as u32 {
        let root = components.find(i) as usize;
        if canonical[root] == u32::MAX || earlier(i, canonical[root]) {
            canonical[root] = i;
        }
    }
    let mut copies: Vec<(u128, u128)> = (0..members.len() as u32)
        .filter_map(|i| {
            let first = canonical[components.find(i) as usize];
            (first != i).then(|| (members[i as usize].0, members[first as usize].0))
        })
        .collect();
    copies.sort_unstable();
    copies
}

/// Near-duplicate clustering with a similarity threshold.
#[derive(Debug, Clone, Copy)]
pub struct Dedup {
    threshold: f64,
}

impl Dedup {
    /// Texts whose estimated Jaccard similarity reaches `threshold` (0 to 1) are duplicates.
    pub fn new(threshold: f64) -> Dedup {
        Dedup { threshold }
    }

    /// For each article of `state`, the index of its canonical copy, or
    /// [`DedupState::CANONICAL`] when it is one. A cluster is what duplicate pairs connect; its
    /// canonical copy is the earliest published member, then the smallest id. The answer depends
    /// only on the set of articles, not on their order in `state`.
    pub fn assign(&self, state: &DedupState) -> Vec<u32> {
        let n = state.len();
        let mut components = UnionFind::new(n);
        let earlier = |a: u32, b: u32| {
            let (a, b) = (a as usize, b as usize);
            (state.published[a], state.keys[a]) < (state.published[b], state.keys[b])
        };
        let mut bucket: Vec<(u32, u32)> = Vec::with_capacity(n);
        let mut members: Vec<u32> = Vec::new();
        let bands: Vec<[u32; BANDS]> = state.signatures.iter().map(band_values).collect();
        for band in 0..BANDS {
            bucket.clear();
            bucket.extend(
                bands
                    .iter()
                    .enumerate()
                    .map(|(i, values)| (values[band], i as u32)),
            );
            bucket.sort_unstable();
            for run in bucket.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
                members.clear();
                members.extend(run.iter().map(|(_, i)| *i));
                members.sort_unstable_by(|&a, &b| {
                    if earlier(a, b) {
                        std::cmp::Ordering::Less
                    } else {
                        std::cmp::Ordering::Greater
                    }
                });
                for (a, b) in bucket_pairs(members.len()) {
                    let (a, b) = (members[a], members[b]);
                    if components.find(a) != components.find(b)
                        && similarity(&state.signatures[a as usize], &state.signatures[b as usize])
                            >= self.threshold
                    {
                        components.union(a, b);
                    }
                }
            }
        }
        let mut canonical = vec![DedupState::CANONICAL; n];
        for i in 0..n as u32 {
            let root = components.find(i) as usize;
            if canonical[root] == DedupState::CANONICAL || earlier(i, canonical[root]) {
                canonical[root] = i;
            }
        }
        (0..n as u32)
            .map(|i| {
                let first = canonical[components.find(i) as usize];
                if first == i {
                    DedupState::CANONICAL
                } else {
                    first
                }
            })
            .collect()
    }
}

/// Disjoint sets over `0..n`, with path halving and union by size.
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signature;
    use proptest::prelude::*;

    fn paragraph(seed: usize) -> String {
        const WORDS: [&str; 24] = [
            "market",
            "rates",
            "bank",
            "inflation",
            "policy",
            "growth",
            "labour",
            "quarter",
            "trade",
            "election",
            "minister",
            "court",
            "ruling",
            "storm",
            "coast",
            "river",
            "vaccine",
            "trial",
            "season",
            "league",
            "budget",
            "deficit",
            "energy",
            "prices",
        ];
        (0..60)
            .map(|i| WORDS[(seed * 7919 + i * i * 31 + i * 17) % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn state_of(texts: &[(u128, Option<i64>, String)]) -> DedupState {
        let mut state = DedupState::default();
        for (key, published, text) in texts {
            state.push(*key, *published, signature(text).unwrap());
        }
        state
    }

    #[test]
    fn copies_point_at_the_earliest_then_the_smallest_id() {
        let story = format!("{} {}", paragraph(1), paragraph(2));
        let texts = vec![
            (10, Some(300), story.clone()),
            (11, None, format!("{story} subscribe now")),
            (12, Some(100), format!("{story} extra words here")),
            (13, Some(100), story.clone()),
            (14, Some(50), paragraph(9)),
        ];
        let assigned = Dedup::new(0.8).assign(&state_of(&texts));
        // 12 and 13 tie on the date; 12 has the smaller id.
        assert_eq!(
            assigned,
            vec![2, 2, DedupState::CANONICAL, 2, DedupState::CANONICAL]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]
        /// Shuffling the articles changes nothing but the indices.
        #[test]
        fn the_answer_does_not_depend_on_order(order in Just((0..12usize).collect::<Vec<_>>()).prop_shuffle()) {
            let texts: Vec<(u128, Option<i64>, String)> = (0..12)
                .map(|i| (i as u128, Some((i % 5) as i64), format!("{} {}", paragraph(i / 3), paragraph(i % 2))))
                .collect();
            let by_key = |texts: &[(u128, Option<i64>, String)]| {
                let assigned = Dedup::new(0.6).assign(&state_of(texts));
                let mut pairs: Vec<(u128, Option<u128>)> = texts.iter().zip(&assigned)
                    .map(|(t, &c)| (t.0, (c != DedupState::CANONICAL).then(|| texts[c as usize].0)))
                    .collect();
                pairs.sort();
                pairs
            };
            let shuffled: Vec<_> = order.iter().map(|&i| texts[i].clone()).collect();
            prop_assert_eq!(by_key(&texts), by_key(&shuffled));
        }

        /// An engine that shuffles by band key, verifies each bucket's pairs and hands the
        /// verified pairs to `canonical_copies` gets the canonical copies `assign` gives,
        /// buckets of more than MAX_ALL_PAIRS members included.
        #[test]
        fn shuffled_buckets_give_the_clusters_assign_gives(
            stories in proptest::collection::vec(0..4usize, 2..40),
            dates in proptest::collection::vec(proptest::option::of(0..6i64), 40),
        ) {
            let texts: Vec<(u128, Option<i64>, String)> = stories
                .iter()
                .enumerate()
                .map(|(i, &story)| (1000 - i as u128, dates[i], format!("{} {}", paragraph(story), paragraph(story + 7))))
                .collect();
            let state = state_of(&texts);
            let expected: Vec<(u128, u128)> = {
                let assigned = Dedup::new(0.6).assign(&state);
                let mut pairs: Vec<(u128, u128)> = assigned
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c != DedupState::CANONICAL)
                    .map(|(i, &c)| (state.keys[i], state.keys[c as usize]))
                    .collect();
                pairs.sort_unstable();
                pairs
            };
            // The engine's side: rows exploded by band key, grouped, each group's pairs verified.
            let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
            for (i, signature) in state.signatures.iter().enumerate() {
                for (band, value) in band_values(signature).into_iter().enumerate() {
                    buckets.entry(band_key(band, value)).or_default().push(i);
                }
            }
            let member = |i: usize| (state.keys[i], state.published[i]);
            let mut verified = Vec::new();
            for mut bucket in buckets.into_values().filter(|b| b.len() > 1) {
                bucket.sort_by_key(|&i| (state.published[i], state.keys[i]));
                for (a, b) in bucket_pairs(bucket.len()) {
                    let (a, b) = (bucket[a], bucket[b]);
                    if similarity(&state.signatures[a], &state.signatures[b]) >= 0.6 {
                        verified.push((member(a), member(b)));
                    }
                }
            }
            prop_assert_eq!(canonical_copies(&verified), expected);
        }
    }
}
