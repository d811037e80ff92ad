//! Bringing the near-duplicate state up to date at a commit: rows that left the dataset go, the
//! run's articles come in, everything is clustered again, and the `duplicate_of` values that
//! changed come out as [`Patches`].

use std::collections::HashSet;

use lede_record::DedupState;

use crate::part::splice::Patches;

/// A near-duplicate clustering: for each article of the state, the index of its canonical copy
/// or [`DedupState::CANONICAL`] (see `lede_dedup::Dedup::assign`).
pub type Clustering = Box<dyn Fn(&DedupState) -> Vec<u32> + Send>;

/// Removes the articles of `removed` from `state`, appends `fresh`, clusters, and returns the
/// `duplicate_of` values that differ from what the rows hold now. Without a clustering every
/// article is canonical.
pub(crate) fn recluster(
    state: &mut DedupState,
    removed: &HashSet<u128>,
    fresh: DedupState,
    clustering: Option<&Clustering>,
) -> Patches {
    if !state.is_empty() && !removed.is_empty() {
        state.remove_where(|key| removed.contains(&key));
    }
    state.append(fresh);
    let assigned = match clustering {
        Some(clustering) => clustering(state),
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

#[cfg(test)]
mod tests {
    use super::*;
    use lede_record::{SIGNATURE_BYTES, Signature};

    fn state(keys: &[u128]) -> DedupState {
        let mut state = DedupState::default();
        for &key in keys {
            state.push(key, Some(key as i64), Signature([0; SIGNATURE_BYTES]));
        }
        state
    }

    #[test]
    fn only_changed_values_become_patches() {
        // All one story: the first article is the canonical copy.
        let first_is_canonical: Clustering = Box::new(|state: &DedupState| {
            (0..state.len())
                .map(|i| if i == 0 { DedupState::CANONICAL } else { 0 })
                .collect()
        });
        let mut held = state(&[10, 20]);
        held.duplicate_of = vec![DedupState::CANONICAL, 0];
        // 20 is written again; 30 is new.
        let patches = recluster(
            &mut held,
            &HashSet::from([20]),
            state(&[20, 30]),
            Some(&first_is_canonical),
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
