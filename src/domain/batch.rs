//! Variations ("Make N takes", issue 16): the current form sent 2–4 times, each take with its own
//! seed, one at a time and only while the account has room (the running limit), never re-sent
//! after a failure; the takes are one batch in history and open in the compare view when done.

use std::collections::HashSet;

use super::form::SEED_MAX;
use super::request::ModelRequest;
pub use super::task::MAX_TAKES;
use super::task::{BatchTag, TaskRecord};

/// The requests of a batch of `n` takes of `request` (`n` clamped to 1..=[`MAX_TAKES`]). One take
/// is the request as it is. Several take seeds in a row from the form's own seed (wrapping at
/// the largest), or from `random` when the form leaves it random: each take differs.
pub fn batch_requests(
    request: &ModelRequest,
    n: u8,
    mut random: impl FnMut() -> u32,
) -> Vec<ModelRequest> {
    let n = n.clamp(1, MAX_TAKES);
    if n == 1 {
        return vec![request.clone()];
    }
    let mut seen = HashSet::new();
    let seeds: Vec<u32> = match request.seed {
        Some(s) => (0..u32::from(n))
            .map(|i| ((u64::from(s) + u64::from(i)) % (u64::from(SEED_MAX) + 1)) as u32)
            .collect(),
        None => std::iter::repeat_with(|| random().min(SEED_MAX))
            .filter(|s| seen.insert(*s))
            .take(usize::from(n))
            .collect(),
    };
    seeds
        .into_iter()
        .map(|seed| ModelRequest {
            seed: Some(seed),
            ..request.clone()
        })
        .collect()
}

/// The batch tags of a batch of `n` started at `at_ms` (none for a single take).
pub fn batch_tags(at_ms: i64, n: usize) -> Vec<Option<BatchTag>> {
    let of = u8::try_from(n).unwrap_or(MAX_TAKES).min(MAX_TAKES);
    (0..n)
        .map(|i| {
            (of > 1).then(|| BatchTag {
                at_ms,
                take: u8::try_from(i + 1).unwrap_or(of),
                of,
            })
        })
        .collect()
}

/// The ids of the takes of the batch `tag` belongs to, in take order.
pub fn batch_members(tasks: &[TaskRecord], at_ms: i64) -> Vec<String> {
    let mut members: Vec<(u8, String)> = tasks
        .iter()
        .filter_map(|t| {
            let b = t.batch.filter(BatchTag::is_sane)?;
            (b.at_ms == at_ms).then(|| (b.take, t.id.clone()))
        })
        .collect();
    members.sort();
    members.into_iter().map(|(_, id)| id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::ShotType;
    use crate::domain::form::Size;
    use crate::domain::testing::request as req;

    #[test]
    fn each_take_gets_its_own_seed() {
        let mut r = req(Size::S1920x1080, "5", ShotType::Single);
        r.seed = None;
        assert_eq!(
            batch_requests(&r, 1, || 7),
            vec![r.clone()],
            "one take: as it is"
        );
        let mut next = [5u32, 5, 9, 5, 11, 12].into_iter();
        let takes = batch_requests(&r, 3, || next.next().unwrap());
        let seeds: Vec<_> = takes.iter().map(|t| t.seed).collect();
        assert_eq!(
            seeds,
            [Some(5), Some(9), Some(11)],
            "random, never twice the same"
        );
        assert!(takes.iter().all(|t| t.prompt == r.prompt));

        r.seed = Some(SEED_MAX - 1);
        let seeds: Vec<_> = batch_requests(&r, 9, || 0).iter().map(|t| t.seed).collect();
        assert_eq!(
            seeds,
            [Some(SEED_MAX - 1), Some(SEED_MAX), Some(0), Some(1)],
            "from the form's seed, wrapping; at most four"
        );
    }

    #[test]
    fn a_batch_is_tagged_and_found_again() {
        assert_eq!(batch_tags(5, 1), vec![None]);
        let tags = batch_tags(5, 3);
        assert_eq!(
            tags[2],
            Some(BatchTag {
                at_ms: 5,
                take: 3,
                of: 3
            })
        );
        let mut tasks: Vec<TaskRecord> = ["c", "a", "b", "x"]
            .iter()
            .map(|id| {
                TaskRecord::new(
                    *id,
                    None,
                    "e",
                    1,
                    crate::domain::task::TaskSnapshot::with_status(
                        crate::domain::task::TaskStatus::Succeeded,
                    ),
                    crate::domain::task::Origin::Submitted,
                )
            })
            .collect();
        tasks[0].batch = tags[2];
        tasks[1].batch = tags[0];
        tasks[2].batch = tags[1];
        tasks[3].batch = Some(BatchTag {
            at_ms: 5,
            take: 9,
            of: 3,
        });
        assert_eq!(
            batch_members(&tasks, 5),
            ["a", "b", "c"],
            "in take order; nonsense left out"
        );
        assert_eq!(batch_members(&tasks, 6), Vec::<String>::new());
    }
}
