//! The optional team `config.json` beside `index.html`: site name, default endpoint, default
//! form values and prompt presets. Anything missing or invalid falls back to the built-in
//! defaults; the user's own stored settings always win.

use std::collections::BTreeMap;

use crate::json::{self, Raw};

use super::form::FormState;
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
    /// The "Presets" menu.
    pub presets: Vec<PromptPreset>,
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
            other => warnings.push(format!("config.json: unknown field {other:?} ignored")),
        }
    }
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
    let known = json::to_string(&FormState::default())
        .ok()
        .and_then(|t| object(&json::from_str(&t).ok()?))
        .unwrap_or_default();
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
    decode(&kept).unwrap_or_default()
}

impl SiteConfig {
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
