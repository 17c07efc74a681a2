//! The optional team `config.json` beside `index.html`: site name, default endpoint, default
//! form values and prompt presets. Anything missing or invalid falls back to the built-in
//! defaults; the user's own stored settings always win.

use serde::Deserialize;

use super::form::FormState;
use super::settings::{check_endpoint, preset_for, ConnectionSettings, CUSTOM};

/// One preset of the "Presets" menu.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PromptPreset {
    /// What the menu shows.
    pub title: String,
    /// The form it fills (fields left out take the built-in defaults).
    #[serde(default)]
    pub settings: FormState,
}

/// The parsed config.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
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

/// Reads a config file. Returns the usable config and warnings for what was ignored.
pub fn parse(text: &str) -> Result<(SiteConfig, Vec<String>), String> {
    let mut config: SiteConfig =
        serde_json::from_str(text).map_err(|e| format!("config.json is not valid: {e}"))?;
    let mut warnings = Vec::new();
    if let Some(url) = &config.default_endpoint {
        if check_endpoint(url).is_err() {
            warnings.push(format!("config.json: default_endpoint {url:?} is not an https (or loopback, or same-origin path) URL; ignored"));
            config.default_endpoint = None;
        }
    }
    if let Some(name) = &config.site_name {
        if name.trim().is_empty() || name.chars().count() > 80 {
            warnings.push("config.json: site_name must be 1–80 characters; ignored".into());
            config.site_name = None;
        }
    }
    config.presets.retain(|p| {
        let ok = !p.title.trim().is_empty();
        if !ok {
            warnings.push("config.json: a preset without a title was ignored".into());
        }
        ok
    });
    Ok((config, warnings))
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
        assert_eq!(warnings.len(), 3);
        for bad in ["", "<html>404</html>", "[1,2]", r#"{"presets": 5}"#] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
