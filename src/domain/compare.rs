//! Comparing takes: the settings of 2–4 finished videos side by side, with what differs marked.

use super::form::VideoRequest;
use super::message::{text, text_with, Bilingual};

/// Most takes compared at once.
pub const MAX_TAKES: usize = 4;

/// One row of the comparison: a setting and its value in each take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffRow {
    /// The setting's name.
    pub label: Bilingual,
    /// Its value in each take, in order (`—` when unknown).
    pub values: Vec<Bilingual>,
    /// True when not every take has the same value.
    pub differs: bool,
}

/// The settings table for the given takes (`None` for a take whose settings are unknown).
pub fn settings_diff(takes: &[Option<&VideoRequest>]) -> Vec<DiffRow> {
    type Get = fn(&VideoRequest) -> Bilingual;
    let fields: [(Bilingual, Get); 9] = [
        (text("compare.field.prompt"), |r| {
            Bilingual::same(r.prompt.clone())
        }),
        (text("compare.field.negative_prompt"), |r| {
            Bilingual::same(r.negative_prompt.clone().unwrap_or_default())
        }),
        (text("compare.field.audio_url"), |r| {
            Bilingual::same(r.audio_url.clone().unwrap_or_default())
        }),
        (text("compare.field.size"), |r| {
            Bilingual::same(r.size.wire())
        }),
        (text("compare.field.duration"), |r| {
            text_with("time.span_s", &[("s", &r.duration.to_string())])
        }),
        (text("compare.field.shot_type"), |r| match r.shot_type {
            super::form::ShotType::Single => text("compare.value.single"),
            super::form::ShotType::Multi => text("compare.value.multi"),
        }),
        (text("compare.field.prompt_extend"), |r| {
            on_off(r.prompt_extend)
        }),
        (text("compare.field.watermark"), |r| on_off(r.watermark)),
        (text("compare.field.seed"), |r| {
            r.seed
                .map(|s| Bilingual::same(s.to_string()))
                .unwrap_or_else(|| text("compare.value.random"))
        }),
    ];
    fields
        .into_iter()
        .map(|(label, get)| {
            let values: Vec<Bilingual> = takes
                .iter()
                .map(|t| t.map(get).unwrap_or_else(|| Bilingual::same("—")))
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

fn on_off(b: bool) -> Bilingual {
    text(if b {
        "compare.value.on"
    } else {
        "compare.value.off"
    })
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
        let differing: Vec<_> = rows
            .iter()
            .filter(|r| r.differs)
            .map(|r| r.label.en.as_str())
            .collect();
        assert_eq!(differing, ["Shot type", "Seed"]);
        let seed = rows.iter().find(|r| r.label.en == "Seed").unwrap();
        assert_eq!(seed.values, [Bilingual::same("1"), Bilingual::same("2")]);
        let shot = rows.iter().find(|r| r.label.en == "Shot type").unwrap();
        assert_eq!(shot.values[1].zh, "多镜头");
        assert_eq!(rows.len(), 9);
    }

    #[test]
    fn same_takes_differ_nowhere_and_unknown_settings_show_a_dash() {
        let a = req("", ShotType::Single);
        assert!(settings_diff(&[Some(&a), Some(&a), Some(&a)])
            .iter()
            .all(|r| !r.differs));
        let rows = settings_diff(&[Some(&a), None]);
        assert_eq!(
            rows[0].values,
            [Bilingual::same("a cat"), Bilingual::same("—")]
        );
        assert!(rows.iter().all(|r| r.differs || r.values[0].en == "—"));
        let seed = &rows.iter().find(|r| r.label.en == "Seed").unwrap().values[0];
        assert_eq!((seed.en.as_str(), seed.zh.as_str()), ("random", "随机"));
    }
}
