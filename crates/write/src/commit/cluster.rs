//! Bringing the near-duplicate state up to date at a commit: rows that left the dataset go, the
//! run's articles come in, everything is clustered again, and the `duplicate_of` values that
//! changed come out as [`Patches`]. When the signature table was lost, the state is rebuilt
//! from the rows first.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use arrow_array::{Array, StringArray, TimestampMicrosecondArray};
use lede_record::{DedupState, Signature, source_key};

use crate::part::splice::Patches;
use crate::part::{ARTICLES_DIR, PartReader};
use crate::schema::{columns, typed_column};
use crate::{WriteError, cores};

/// How a dataset's near-duplicates are found (`lede_dedup::Dedup` is what lede uses): the
/// commit clusters with it, and rebuilds a lost signature table from the rows' text with it.
pub trait NearDuplicates: Send + Sync {
    /// The signature of an article's text: what the article's `signature` holds.
    fn signature(&self, text: &str) -> Option<Signature>;

    /// For each article of `state`, the index of its canonical copy, or
    /// [`DedupState::CANONICAL`].
    fn assign(&self, state: &DedupState) -> Vec<u32>;
}

/// Removes the articles of `removed` from `state`, appends `fresh`, clusters, and returns the
/// `duplicate_of` values that differ from what the rows hold now. Without a clustering every
/// article is canonical.
pub(crate) fn recluster(
    state: &mut DedupState,
    removed: &HashSet<u128>,
    fresh: DedupState,
    clustering: Option<&dyn NearDuplicates>,
) -> Patches {
    if !state.is_empty() && !removed.is_empty() {
        state.remove_where(|key| removed.contains(&key));
    }
    state.append(fresh);
    let assigned = match clustering {
        Some(clustering) => clustering.assign(state),
        None => vec![DedupState::CANONICAL; state.len()],
    };
    let mut patches = Vec::new();
    for (i, (&now, &before)) in assigned.iter().zip(&state.duplicate_of).enumerate() {
        if now != before {
            let canonical = (now != DedupState::CANONICAL).then(|| state.keys[now as usize]);
            patches.push((state.keys[i], canonical));
        }
    }
    state.duplicate_of = assigned;
    Patches::new(patches)
}

/// Articles of `state` that are near-duplicates of another.
pub(crate) fn duplicates(state: &DedupState) -> u64 {
    state
        .duplicate_of
        .iter()
        .filter(|&&c| c != DedupState::CANONICAL)
        .count() as u64
}

/// The state of the articles in the part files `files` (relative to `output`), computed anew
/// from their rows: what a lost or unreadable signature table is rebuilt from. `duplicate_of`
/// is what the rows hold, so that the next clustering patches only what changes.
pub(crate) fn rebuild(
    output: &Path,
    files: &[&str],
    near: Option<&dyn NearDuplicates>,
    threads: usize,
) -> Result<DedupState, WriteError> {
    let mut state = DedupState::default();
    let Some(near) = near else {
        return Ok(state);
    };
    let files: Vec<&str> = files
        .iter()
        .copied()
        .filter(|f| f.starts_with(ARTICLES_DIR))
        .collect();
    let parts = cores::map(files, threads, |file| read_rows(output, file, near))?;
    let mut canonical_keys = Vec::new();
    for (key, published, signature, canonical) in parts.into_iter().flatten() {
        state.push(key, published, signature);
        canonical_keys.push(canonical);
    }
    let index: HashMap<u128, u32> = state
        .keys
        .iter()
        .enumerate()
        .map(|(i, key)| (*key, i as u32))
        .collect();
    for (slot, canonical) in state.duplicate_of.iter_mut().zip(canonical_keys) {
        if let Some(canonical) = canonical {
            *slot = index.get(&canonical).copied().unwrap_or(DedupState::GONE);
        }
    }
    Ok(state)
}

/// An article's key, publish time, signature and canonical copy's key.
type Row = (u128, Option<i64>, Signature, Option<u128>);

fn read_rows(output: &Path, file: &str, near: &dyn NearDuplicates) -> Result<Vec<Row>, WriteError> {
    let mut rows = Vec::new();
    let path = output.join(file);
    let wanted = [
        columns::SOURCE_PATH,
        columns::TEXT,
        columns::PUBLISHED_AT,
        columns::DUPLICATE_OF,
    ];
    PartReader::open(&path)?.for_each_batch(&wanted, |batch| {
        let column = |name| typed_column::<StringArray>(batch, name, "part file", &path);
        let (paths, texts, canonical) = (
            column(columns::SOURCE_PATH)?,
            column(columns::TEXT)?,
            column(columns::DUPLICATE_OF)?,
        );
        let published = typed_column::<TimestampMicrosecondArray>(
            batch,
            columns::PUBLISHED_AT,
            "part file",
            &path,
        )?;
        for i in 0..batch.num_rows() {
            let Some(signature) = near.signature(texts.value(i)) else {
                continue;
            };
            rows.push((
                source_key(paths.value(i)),
                published.is_valid(i).then(|| published.value(i)),
                signature,
                canonical
                    .is_valid(i)
                    .then(|| u128::from_str_radix(canonical.value(i), 16).ok())
                    .flatten(),
            ));
        }
        Ok(())
    })?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lede_record::SIGNATURE_BYTES;

    fn state(keys: &[u128]) -> DedupState {
        let mut state = DedupState::default();
        for &key in keys {
            state.push(key, Some(key as i64), Signature([0; SIGNATURE_BYTES]));
        }
        state
    }

    /// All one story: the first article is the canonical copy.
    struct FirstIsCanonical;

    impl NearDuplicates for FirstIsCanonical {
        fn signature(&self, _: &str) -> Option<Signature> {
            None
        }

        fn assign(&self, state: &DedupState) -> Vec<u32> {
            (0..state.len())
                .map(|i| if i == 0 { DedupState::CANONICAL } else { 0 })
                .collect()
        }
    }

    #[test]
    fn only_changed_values_become_patches() {
        let mut held = state(&[10, 20]);
        held.duplicate_of = vec![DedupState::CANONICAL, 0];
        // 20 is written again; 30 is new.
        let patches = recluster(
            &mut held,
            &HashSet::from([20]),
            state(&[20, 30]),
            Some(&FirstIsCanonical),
        );
        assert_eq!(held.keys, vec![10, 20, 30]);
        // 20's row is new, so it needs its value; 30 too; 10 is unchanged.
        assert_eq!(patches.keys().collect::<Vec<_>>(), vec![20, 30]);
        assert_eq!(patches.get(30), Some(Some(10)));
        assert_eq!(duplicates(&held), 2);

        let patches = recluster(&mut held, &HashSet::new(), DedupState::default(), None);
        assert_eq!(
            patches.get(20),
            Some(None),
            "without clustering, all canonical"
        );
        assert_eq!(duplicates(&held), 0);
    }
}
