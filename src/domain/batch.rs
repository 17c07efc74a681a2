//! Variations ("Make N takes", issue 16): the current form sent 2–4 times, each take with its own
//! seed or its own line of a prompt list, one at a time and only while the account has room (the
//! running limit), never re-sent after a failure; the takes are one batch in history and open in
//! the compare view when done.

use std::collections::HashSet;

use super::form::SEED_MAX;
use super::request::ModelRequest;
pub use super::task::MAX_TAKES;
use super::task::{BatchTag, TaskRecord};

/// How Generate varies its takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    /// This many takes of the form (1..=[`MAX_TAKES`]), each with its own seed.
    Seeds(u8),
    /// One take per line of the prompt (a prompt list), each with the form's seed.
    Lines,
}

impl Default for Takes {
    fn default() -> Self {
        Takes::Seeds(1)
    }
}

impl Takes {
    /// The choice's value in the Takes list.
    pub fn value(self) -> String {
        match self {
            Takes::Seeds(n) => n.to_string(),
            Takes::Lines => "lines".to_owned(),
        }
    }

    /// The choice a value of the Takes list names (one take for anything else).
    pub fn parse(value: &str) -> Takes {
        match value {
            "lines" => Takes::Lines,
            n => Takes::Seeds(n.parse().unwrap_or(1).clamp(1, MAX_TAKES)),
        }
    }

    /// How many takes this choice makes of `prompt` (more than [`MAX_TAKES`] for a prompt list
    /// too long to send; at least one).
    pub fn count(self, prompt: &str) -> usize {
        match self {
            Takes::Seeds(n) => usize::from(n.clamp(1, MAX_TAKES)),
            Takes::Lines => prompt_lines(prompt).len().max(1),
        }
    }

    /// The requests this choice makes of the validated `request` (at most [`MAX_TAKES`]).
    pub fn requests(
        self,
        request: &ModelRequest,
        random: impl FnMut() -> u32,
    ) -> Vec<ModelRequest> {
        match self {
            Takes::Seeds(n) => batch_requests(request, n, random),
            Takes::Lines => match prompt_lines(&request.prompt) {
                lines if lines.len() < 2 => vec![request.clone()],
                lines => lines
                    .into_iter()
                    .take(usize::from(MAX_TAKES))
                    .map(|line| ModelRequest {
                        prompt: line.to_owned(),
                        ..request.clone()
                    })
                    .collect(),
            },
        }
    }
}

/// The lines of a prompt list: each line trimmed, empty ones left out.
pub fn prompt_lines(prompt: &str) -> Vec<&str> {
    prompt
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

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
    fn a_prompt_list_makes_one_take_per_line() {
        let mut r = req(Size::S1920x1080, "5", ShotType::Single);
        r.seed = Some(42);
        r.prompt = "  A fox in snow. \n\n A fox in rain.\r\nA fox in fog.\n".into();
        assert_eq!(Takes::Lines.count(&r.prompt), 3);
        let takes = Takes::Lines.requests(&r, || unreachable!("the form's seed is kept"));
        let prompts: Vec<_> = takes.iter().map(|t| t.prompt.as_str()).collect();
        assert_eq!(
            prompts,
            ["A fox in snow.", "A fox in rain.", "A fox in fog."]
        );
        assert!(takes
            .iter()
            .all(|t| t.seed == Some(42) && t.output == r.output));

        r.prompt = "one line\n".into();
        assert_eq!(Takes::Lines.count(&r.prompt), 1);
        assert_eq!(Takes::Lines.requests(&r, || 0), vec![r.clone()], "as it is");
        assert_eq!(Takes::Lines.count(""), 1, "an empty prompt is one take");

        r.prompt = "a\nb\nc\nd\ne\nf".into();
        assert_eq!(Takes::Lines.count(&r.prompt), 6, "said, not cut");
        assert_eq!(
            Takes::Lines.requests(&r, || 0).len(),
            4,
            "never more than four"
        );
    }

    #[test]
    fn the_takes_list_reads_back_what_it_shows() {
        for t in [Takes::Seeds(1), Takes::Seeds(4), Takes::Lines] {
            assert_eq!(Takes::parse(&t.value()), t);
        }
        assert_eq!(Takes::parse("9"), Takes::Seeds(MAX_TAKES));
        assert_eq!(Takes::parse("x"), Takes::Seeds(1));
        assert_eq!(Takes::default().count("a\nb"), 1);
        assert_eq!(Takes::Seeds(3).count("a\nb"), 3);
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
