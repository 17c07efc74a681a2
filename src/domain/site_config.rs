//! The optional team `config.json` beside `index.html`: site name, default endpoint, default
//! form values (the default model among them), the models the team offers, and prompt presets per
//! model. Anything missing or invalid falls back to the built-in
//! defaults; the user's own stored settings always win.

use std::collections::BTreeMap;

use crate::json::{self, Raw};

use super::cost::Rate;
use super::form::FormState;
use super::models::{Mode, MODES};
use super::settings::{preset_for, ConnectionSettings, CUSTOM};
use super::url::{parse_endpoint, Page, UrlParser};

/// One preset of the "Presets" menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromptPreset {
    /// What the menu shows.
    pub title: String,
    /// The form it fills (fields left out take the built-in defaults).
    pub settings: FormState,
}

/// The parsed config.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteConfig {
    /// Shown as the page's name.
    pub site_name: Option<String>,
    /// The endpoint for users who have not chosen one.
    pub default_endpoint: Option<String>,
    /// The form for users who have no draft yet.
    pub defaults: Option<FormState>,
    /// The "Presets" menu. A preset's form names its model and mode (`settings.mode`, the
    /// default model when left out).
    pub presets: Vec<PromptPreset>,
    /// The models and modes the team offers, in the table's order (`None`: every one).
    pub models: Option<Vec<Mode>>,
    /// The team's monthly budget in thousandths of a CNY: a submit that would cross it is warned of.
    pub monthly_budget: Option<u64>,
}

/// Reads a config file, field by field: a field (or one preset, or one form value) that is
/// invalid is dropped with a warning and the rest is kept. Only a file that is not a JSON object
/// at all is refused.
pub fn parse(
    text: &str,
    page: &Page,
    parser: &impl UrlParser,
) -> Result<(SiteConfig, Vec<String>), String> {
    let file: Raw =
        json::from_str(text).map_err(|e| format!("config.json is not valid JSON: {e}"))?;
    let Some(fields) = object(&file) else {
        return Err("config.json must be a JSON object".into());
    };
    let mut config = SiteConfig::default();
    let mut warnings = Vec::new();
    for (name, value) in fields {
        match name.as_str() {
            "site_name" => match short_text(&value) {
                Some(n) => config.site_name = Some(n),
                None => warnings
                    .push("config.json: site_name must be text of 1–80 characters; ignored".into()),
            },
            "default_endpoint" => match value.decode::<String>() {
                Ok(url) => match parse_endpoint(&url, page, parser) {
                    Ok(_) => config.default_endpoint = Some(url.trim().to_string()),
                    Err(why) => warnings.push(format!(
                        "config.json: default_endpoint {url:?} ignored: {}",
                        why.key().unwrap_or("not a usable endpoint")
                    )),
                },
                Err(_) => {
                    warnings.push("config.json: default_endpoint must be text; ignored".into())
                }
            },
            "defaults" => {
                config.defaults = Some(form_fields(&value, "defaults", &mut warnings));
            }
            "presets" => match value.decode::<Vec<Raw>>() {
                Ok(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let item = object(item).unwrap_or_default();
                        match item.get("title").and_then(short_text) {
                            Some(title) => {
                                let settings = item
                                    .get("settings")
                                    .map(|v| form_fields(v, &format!("presets[{i}].settings"), &mut warnings))
                                    .unwrap_or_default();
                                config.presets.push(PromptPreset { title, settings });
                            }
                            None => warnings.push(format!(
                                "config.json: presets[{i}] has no title (1–80 characters); that preset was ignored"
                            )),
                        }
                    }
                }
                Err(_) => warnings.push("config.json: presets must be a list; ignored".into()),
            },
            "models" => match value.decode::<Vec<Raw>>() {
                Ok(items) => {
                    let mut offered = Vec::new();
                    for item in items {
                        match item.decode::<String>().ok().and_then(|k| Mode::from_key(&k)) {
                            Some(m) => offered.push(m),
                            None => warnings.push(format!(
                                "config.json: models: {} is not a model and mode wan-studio knows; ignored",
                                item.text()
                            )),
                        }
                    }
                    // In the table's order, each once.
                    let offered: Vec<Mode> = MODES
                        .iter()
                        .map(|s| s.mode)
                        .filter(|m| offered.contains(m))
                        .collect();
                    if offered.is_empty() {
                        warnings.push("config.json: models names no model wan-studio knows; every model is offered".into());
                    } else {
                        config.models = Some(offered);
                    }
                }
                Err(_) => warnings
                    .push("config.json: models must be a list of model keys; ignored".into()),
            },
            "monthly_budget" => match value.decode::<Rate>() {
                Ok(r) if r.0 > 0 => config.monthly_budget = Some(u64::from(r.0)),
                _ => warnings.push(
                    "config.json: monthly_budget must be a positive amount in CNY (\"100\" or 100); ignored".into(),
                ),
            },
            other => warnings.push(format!("config.json: unknown field {other:?} ignored")),
        }
    }
    config.settle(&mut warnings);
    Ok((config, warnings))
}

/// The fields of a JSON object, in name order (none for anything else).
fn object(value: &Raw) -> Option<BTreeMap<String, Raw>> {
    value.is_object().then(|| value.decode().ok()).flatten()
}

/// Text of 1–80 characters, trimmed.
fn short_text(value: &Raw) -> Option<String> {
    let text = value.decode::<String>().ok()?;
    let text = text.trim();
    (!text.is_empty() && text.chars().count() <= 80).then(|| text.to_string())
}

/// A form from a config object, one field at a time: each field that the form accepts is kept,
/// each one it does not is named in a warning (the built-in default stays).
fn form_fields(value: &Raw, at: &str, warnings: &mut Vec<String>) -> FormState {
    let Some(fields) = object(value) else {
        warnings.push(format!("config.json: {at} must be an object; ignored"));
        return FormState::default();
    };
    // The form's own field names, from what it writes.
    let mut known = json::to_string(&FormState::default())
        .ok()
        .and_then(|t| object(&json::from_str(&t).ok()?))
        .unwrap_or_default();
    // Left out of the default form's text because it is empty there.
    if let Ok(empty) = json::from_str::<Raw>("[]") {
        known.entry("media".into()).or_insert(empty);
    }
    // Checked through the same JSON text decoder the stored draft uses (one decoder in the wasm):
    // the fields kept so far plus this one, the rest taking the form's defaults.
    let decode = |kept: &[(String, String)]| {
        let members: Vec<String> = kept
            .iter()
            .map(|(name, v)| format!("{}:{v}", json::to_string(name).unwrap_or_default()))
            .collect();
        json::from_str::<FormState>(&format!("{{{}}}", members.join(","))).ok()
    };
    let mut kept: Vec<(String, String)> = Vec::new();
    for (name, v) in fields {
        let known_name = known.contains_key(&name);
        kept.push((name, v.text()));
        if !(known_name && decode(&kept).is_some()) {
            if let Some((name, v)) = kept.pop() {
                warnings.push(format!(
                    "config.json: {at}.{name} = {v} is not a valid value; ignored"
                ));
            }
        }
    }
    let mut form = decode(&kept).unwrap_or_default();
    // A picture "from this computer" names a file only the user's own browser has.
    if form.local_media().next().is_some() {
        warnings.push(format!(
            "config.json: {at} names pictures from a computer (local:…); only public links can come from a config"
        ));
        for m in &mut form.media {
            m.local.clear();
        }
    }
    form
}

impl SiteConfig {
    /// True when the team offers `mode`.
    pub fn offers(&self, mode: Mode) -> bool {
        self.models.as_ref().is_none_or(|m| m.contains(&mode))
    }

    /// The mode a new draft starts in: the defaults' mode, or the first the team offers.
    pub fn default_mode(&self) -> Mode {
        let wanted = self.defaults.as_ref().map_or(Mode::default(), |d| d.mode);
        match &self.models {
            Some(m) if !m.contains(&wanted) => m.first().copied().unwrap_or(wanted),
            _ => wanted,
        }
    }

    /// Makes the parts agree once all are read: a default or preset in a model the team does not
    /// offer is moved to (defaults) or dropped (presets), with a warning.
    fn settle(&mut self, warnings: &mut Vec<String>) {
        let mode = self.default_mode();
        if let Some(d) = &mut self.defaults {
            if d.mode != mode {
                warnings.push(format!(
                    "config.json: defaults.mode {} is not among models; {} is the default",
                    d.mode.key(),
                    mode.key()
                ));
                d.switch_mode(mode);
            }
        }
        let SiteConfig {
            presets, models, ..
        } = self;
        presets.retain(|p| {
            let offered = models.as_ref().is_none_or(|m| m.contains(&p.settings.mode));
            if !offered {
                warnings.push(format!(
                    "config.json: preset {:?} is for {}, which models does not offer; ignored",
                    p.title,
                    p.settings.mode.key()
                ));
            }
            offered
        });
    }

    /// Connection settings for a user who has none stored.
    pub fn connection_defaults(&self) -> Option<ConnectionSettings> {
        let url = self.default_endpoint.as_deref()?.trim();
        let mut s = ConnectionSettings::default();
        match preset_for(url) {
            Some(p) => s.endpoint_choice = p.url.into(),
            None => {
                s.endpoint_choice = CUSTOM.into();
                s.custom_endpoint = url.into();
            }
        }
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{ShotType, Size};
    use crate::domain::url::testing::{page, Whatwg};

    fn parse(text: &str) -> Result<(SiteConfig, Vec<String>), String> {
        super::parse(text, &page(), &Whatwg)
    }

    #[test]
    fn a_full_config_parses() {
        let text = r#"{
            "site_name": "Team Video Lab",
            "default_endpoint": "/dmxapi/v1/responses",
            "defaults": {"size": "1280*720", "duration": "10", "watermark": true},
            "presets": [
                {"title": "Cat general", "settings": {"prompt": "一只小猫将军", "shot_type": "multi", "seed": "666"}},
                {"title": "Empty"}
            ]
        }"#;
        let (c, warnings) = parse(text).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(c.site_name.as_deref(), Some("Team Video Lab"));
        let d = c.defaults.clone().unwrap();
        assert_eq!(
            (d.size, d.duration.as_str(), d.watermark, d.prompt_extend),
            (Size::S1280x720, "10", true, true)
        );
        assert_eq!(c.presets.len(), 2);
        assert_eq!(c.presets[0].settings.shot_type, ShotType::Multi);
        assert_eq!(c.presets[1].settings, FormState::default());
        let s = c.connection_defaults().unwrap();
        assert_eq!(
            (s.endpoint_choice.as_str(), s.custom_endpoint.as_str()),
            (CUSTOM, "/dmxapi/v1/responses")
        );
    }

    #[test]
    fn preset_sites_are_chosen_as_presets() {
        let (c, _) =
            parse(r#"{"default_endpoint": "https://www.dmxapi.com/v1/responses"}"#).unwrap();
        assert_eq!(
            c.connection_defaults().unwrap().endpoint_choice,
            "https://www.dmxapi.com/v1/responses"
        );
        assert_eq!(SiteConfig::default().connection_defaults(), None);
    }

    #[test]
    fn bad_parts_are_ignored_with_warnings_and_bad_files_rejected() {
        let (c, warnings) = parse(r#"{"default_endpoint": "http://evil.example/v1", "site_name": "  ", "presets": [{"title": ""}], "unknown": 1}"#).unwrap();
        assert_eq!(c, SiteConfig::default());
        assert_eq!(warnings.len(), 4);
        for bad in ["", "<html>404</html>", "[1,2]", "\"text\""] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let (c, warnings) = parse(r#"{"presets": 5, "site_name": "Lab"}"#).unwrap();
        assert_eq!((c.site_name.as_deref(), warnings.len()), (Some("Lab"), 1));
    }

    #[test]
    fn a_team_offers_some_models_with_a_default_and_presets_per_model() {
        let hash = "a".repeat(64);
        let text = format!(
            r#"{{
            "models": ["wan2.7-first-frame", "happyhorse-1.1-t2v", "wan2.7-t2v", "sora-2", 7],
            "defaults": {{"mode": "wan2.6-t2v", "prompt": "x"}},
            "presets": [
                {{"title": "Rain", "settings": {{"mode": "wan2.7-t2v", "prompt": "rain"}}}},
                {{"title": "Horse", "settings": {{"mode": "happyhorse-1.1-t2v", "prompt": "a horse"}}}},
                {{"title": "Old", "settings": {{"prompt": "wan2.6 default"}}}},
                {{"title": "Mine", "settings": {{"mode": "wan2.7-first-frame", "media": [{{"slot": "first_frame", "text": "https://example.com/a.png", "local": ["{hash}"]}}]}}}}
            ]
        }}"#
        );
        let (c, warnings) = parse(&text).unwrap();
        // In the table's order, unknown ones named.
        let keys: Vec<&str> = c.models.iter().flatten().map(|m| m.key()).collect();
        assert_eq!(
            keys,
            ["wan2.7-t2v", "wan2.7-first-frame", "happyhorse-1.1-t2v"]
        );
        assert!(
            warnings.iter().any(|w| w.contains("sora-2")),
            "{warnings:#?}"
        );
        assert!(warnings.iter().any(|w| w.contains(" 7 ")), "{warnings:#?}");
        // The default model is not offered: the first offered one is, and the prompt stays.
        assert_eq!(c.default_mode().key(), "wan2.7-t2v");
        let d = c.defaults.clone().unwrap();
        assert_eq!((d.mode.key(), d.prompt.as_str()), ("wan2.7-t2v", "x"));
        assert!(c.offers(Mode::from_key("wan2.7-first-frame").unwrap()));
        assert!(!c.offers(Mode::default()));
        let titles: Vec<&str> = c.presets.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Rain", "Horse", "Mine"]);
        assert!(
            warnings.iter().any(|w| w.contains("\"Old\"")),
            "{warnings:#?}"
        );
        // A config cannot hand out pictures from someone's computer; its links stay.
        let mine = &c.presets[2].settings;
        assert_eq!(mine.local_media().count(), 0);
        assert_eq!(mine.media_text("first_frame"), "https://example.com/a.png");
        assert!(
            warnings.iter().any(|w| w.contains("local:")),
            "{warnings:#?}"
        );
        // Without a list, every model is offered.
        let (all, _) = parse(r#"{"models": ["nope"]}"#).unwrap();
        assert_eq!((all.default_mode(), all.models), (Mode::default(), None));
    }

    #[test]
    fn a_monthly_budget_is_a_positive_amount() {
        let budget = |v: &str| parse(&format!(r#"{{"monthly_budget": {v}}}"#)).unwrap();
        assert_eq!(budget(r#""100""#).0.monthly_budget, Some(100_000));
        assert_eq!(budget("12.5").0.monthly_budget, Some(12_500));
        for bad in [r#""-1""#, "0", r#""lots""#, "[1]"] {
            let (c, warnings) = budget(bad);
            assert_eq!((c.monthly_budget, warnings.len()), (None, 1), "{bad}");
        }
    }

    #[test]
    fn the_example_config_reads_without_a_warning() {
        let (c, warnings) = parse(include_str!("../../config.example.json")).unwrap();
        assert_eq!(warnings, Vec::<String>::new());
        assert_eq!(c.presets.len(), 3);
        assert_eq!(c.models.map(|m| m.len()), Some(7));
    }

    #[test]
    fn the_shipped_empty_config_changes_nothing_and_warns_of_nothing() {
        let shipped = include_str!("../../public/config.json");
        assert_eq!(parse(shipped).unwrap(), (SiteConfig::default(), vec![]));
    }

    #[test]
    fn one_bad_preset_or_value_drops_only_itself() {
        let text = r#"{
            "site_name": "Team Video Lab",
            "default_endpoint": "/\\evil.example/v1/responses",
            "defaults": {"size": "1280*720", "duration": 10, "watermark": "yes", "seed": "7"},
            "presets": [
                {"title": "Good", "settings": {"prompt": "a cat"}},
                {"title": 5, "settings": {"prompt": "no title"}},
                {"title": "Half good", "settings": {"prompt": "a dog", "size": "1*1", "shot_type": "multi"}},
                "junk"
            ]
        }"#;
        let (c, warnings) = parse(text).unwrap();
        assert_eq!(c.site_name.as_deref(), Some("Team Video Lab"));
        // The path that is really another host is refused, with the reason.
        assert_eq!(c.default_endpoint, None);
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("default_endpoint") && w.contains("backslash")),
            "{warnings:?}"
        );
        let d = c.defaults.unwrap();
        assert_eq!(
            (d.size, d.duration.as_str(), d.watermark, d.seed.as_str()),
            (Size::S1280x720, "5", false, "7")
        );
        let titles: Vec<&str> = c.presets.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Good", "Half good"]);
        assert_eq!(c.presets[1].settings.prompt, "a dog");
        assert_eq!(c.presets[1].settings.shot_type, ShotType::Multi);
        assert_eq!(c.presets[1].settings.size, Size::default());
        assert_eq!(warnings.len(), 6, "{warnings:#?}");
    }
}
