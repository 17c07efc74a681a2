//! Comparing takes: the settings of 2–4 finished videos side by side, with what differs marked.

use super::form::VideoRequest;

/// Most takes compared at once.
pub const MAX_TAKES: usize = 4;

/// One row of the comparison: a setting and its value in each take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffRow {
    /// The setting's name.
    pub label: &'static str,
    /// Its value in each take, in order (`—` when unknown).
    pub values: Vec<String>,
    /// True when not every take has the same value.
    pub differs: bool,
}

/// The settings table for the given takes (`None` for a take whose settings are unknown).
pub fn settings_diff(takes: &[Option<&VideoRequest>]) -> Vec<DiffRow> {
    type Get = fn(&VideoRequest) -> String;
    let fields: [(&'static str, Get); 9] = [
        ("Prompt", |r| r.prompt.clone()),
        ("Negative prompt", |r| {
            r.negative_prompt.clone().unwrap_or_default()
        }),
        ("Audio URL", |r| r.audio_url.clone().unwrap_or_default()),
        ("Size", |r| r.size.wire()),
        ("Duration", |r| format!("{} s", r.duration)),
        ("Shot type", |r| r.shot_type.wire().to_string()),
        ("Prompt extend", |r| on_off(r.prompt_extend)),
        ("Watermark", |r| on_off(r.watermark)),
        ("Seed", |r| {
            r.seed
                .map(|s| s.to_string())
                .unwrap_or_else(|| "random".into())
        }),
    ];
    fields
        .into_iter()
        .map(|(label, get)| {
            let values: Vec<String> = takes
                .iter()
                .map(|t| t.map(get).unwrap_or_else(|| "—".into()))
                .collect();
            let differs = values.windows(2).any(|w| w[0] != w[1]);
            DiffRow {
                label,
                values,
                differs,
            }
        })
        .collect()
}

fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{FormState, ShotType};

    fn req(seed: &str, shot: ShotType) -> VideoRequest {
        FormState {
            prompt: "a cat".into(),
            seed: seed.into(),
            shot_type: shot,
            ..FormState::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn marks_exactly_the_settings_that_differ() {
        let a = req("1", ShotType::Single);
        let b = req("2", ShotType::Multi);
        let rows = settings_diff(&[Some(&a), Some(&b)]);
        let differing: Vec<_> = rows.iter().filter(|r| r.differs).map(|r| r.label).collect();
        assert_eq!(differing, ["Shot type", "Seed"]);
        let seed = rows.iter().find(|r| r.label == "Seed").unwrap();
        assert_eq!(seed.values, ["1", "2"]);
        assert_eq!(rows.len(), 9);
    }

    #[test]
    fn same_takes_differ_nowhere_and_unknown_settings_show_a_dash() {
        let a = req("", ShotType::Single);
        assert!(settings_diff(&[Some(&a), Some(&a), Some(&a)])
            .iter()
            .all(|r| !r.differs));
        let rows = settings_diff(&[Some(&a), None]);
        assert_eq!(rows[0].values, ["a cat", "—"]);
        assert!(rows.iter().all(|r| r.differs || r.values[0] == "—"));
        assert_eq!(
            rows.iter().find(|r| r.label == "Seed").unwrap().values[0],
            "random"
        );
    }
}
