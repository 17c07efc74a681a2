//! Comparing takes: the settings of 2–4 finished videos side by side, with what differs marked.

use super::card::{duration_text, mode_name};
use super::message::Msg;
use super::models::MediaKind;
use super::request::ModelRequest;

/// Most takes compared at once.
pub const MAX_TAKES: usize = 4;

/// One row of the comparison: a setting and its value in each take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffRow {
    /// The setting's name.
    pub label: Msg,
    /// Its value in each take, in order (`—` when unknown).
    pub values: Vec<Msg>,
    /// True when not every take has the same value.
    pub differs: bool,
}

/// The settings table for the given takes (`None` for a take whose settings are unknown).
pub fn settings_diff(takes: &[Option<&ModelRequest>]) -> Vec<DiffRow> {
    type Get = fn(&ModelRequest) -> Msg;
    let fields: [(Msg, Get); 11] = [
        (Msg::new("compare.field.model"), |r| mode_name(r.mode)),
        (Msg::new("compare.field.prompt"), |r| {
            Msg::verbatim(r.prompt.clone())
        }),
        (Msg::new("compare.field.negative_prompt"), |r| {
            Msg::verbatim(r.negative_prompt.clone().unwrap_or_default())
        }),
        (Msg::new("compare.field.audio_url"), |r| {
            Msg::verbatim(r.audio_url().unwrap_or_default())
        }),
        (Msg::new("compare.field.media"), |r| {
            let urls: Vec<&str> = r
                .media
                .iter()
                .filter(|m| m.kind != MediaKind::Audio)
                .map(|m| m.url.as_str())
                .collect();
            Msg::verbatim(urls.join("\n"))
        }),
        (Msg::new("compare.field.size"), |r| {
            Msg::verbatim(r.output_label())
        }),
        (Msg::new("compare.field.duration"), |r| {
            duration_text(r.duration)
        }),
        (Msg::new("compare.field.shot_type"), |r| match r.shot_type {
            Some(super::form::ShotType::Single) => Msg::new("compare.value.single"),
            Some(super::form::ShotType::Multi) => Msg::new("compare.value.multi"),
            None => Msg::verbatim("—"),
        }),
        (Msg::new("compare.field.prompt_extend"), |r| {
            r.prompt_extend.map_or_else(|| Msg::verbatim("—"), on_off)
        }),
        (Msg::new("compare.field.watermark"), |r| on_off(r.watermark)),
        (Msg::new("compare.field.seed"), |r| {
            r.seed
                .map(|s| Msg::verbatim(s.to_string()))
                .unwrap_or_else(|| Msg::new("compare.value.random"))
        }),
    ];
    fields
        .into_iter()
        .map(|(label, get)| {
            let values: Vec<Msg> = takes
                .iter()
                .map(|t| t.map(get).unwrap_or_else(|| Msg::verbatim("—")))
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

fn on_off(b: bool) -> Msg {
    Msg::new(if b {
        "compare.value.on"
    } else {
        "compare.value.off"
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{FormState, ShotType};

    fn req(seed: &str, shot: ShotType) -> ModelRequest {
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
            .map(|r| r.label.en())
            .collect();
        assert_eq!(differing, ["Shot type", "Seed"]);
        let seed = rows.iter().find(|r| r.label.en() == "Seed").unwrap();
        assert_eq!(seed.values, [Msg::verbatim("1"), Msg::verbatim("2")]);
        let shot = rows.iter().find(|r| r.label.en() == "Shot type").unwrap();
        assert_eq!(shot.values[1].zh(), "多镜头");
        assert_eq!(rows.len(), 11);
    }

    #[test]
    fn takes_of_other_models_show_the_model_and_their_inputs() {
        let a = req("1", ShotType::Single);
        let mut f = FormState {
            mode: crate::domain::models::Mode::Wan27FirstFrame,
            prompt: "a cat".into(),
            seed: "1".into(),
            ..FormState::default()
        };
        f.set_media_text("first_frame", "https://i.example/cat.png".into());
        let b = f.validate().unwrap();
        let rows = settings_diff(&[Some(&a), Some(&b)]);
        let model = &rows[0];
        assert!(model.differs);
        assert_eq!(model.values[1].en(), "Wan 2.7 · First frame → video");
        let inputs = rows.iter().find(|r| r.label.en() == "Inputs").unwrap();
        assert_eq!(inputs.values[1], Msg::verbatim("https://i.example/cat.png"));
        let shot = rows.iter().find(|r| r.label.en() == "Shot type").unwrap();
        assert_eq!(shot.values[1], Msg::verbatim("—"));
    }

    #[test]
    fn same_takes_differ_nowhere_and_unknown_settings_show_a_dash() {
        let a = req("", ShotType::Single);
        assert!(settings_diff(&[Some(&a), Some(&a), Some(&a)])
            .iter()
            .all(|r| !r.differs));
        let rows = settings_diff(&[Some(&a), None]);
        assert_eq!(rows[1].values, [Msg::verbatim("a cat"), Msg::verbatim("—")]);
        assert!(rows.iter().all(|r| r.differs || r.values[0].en() == "—"));
        let seed = &rows.iter().find(|r| r.label.en() == "Seed").unwrap().values[0];
        assert_eq!((seed.en().as_str(), seed.zh().as_str()), ("random", "随机"));
    }
}
