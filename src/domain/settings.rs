//! Connection settings: the endpoint (presets or custom) and the API key.

use serde::{Deserialize, Serialize};

use super::message::{text, Bilingual};

/// The default endpoint, from the seed page.
pub const DEFAULT_ENDPOINT: &str = "https://www.dmxapi.cn/v1/responses";

/// The endpoint and fake key used by demo mode (`?demo`): the local simulator only.
pub const DEMO_ENDPOINT: &str = "http://127.0.0.1:9090/v1/responses";
/// A throwaway key for demo mode; it is not a secret and works only with the simulator.
pub const DEMO_KEY: &str = "sk-demo-local-simulator";

/// A DMXAPI site. A key works only on the site that issued it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// What the user sees.
    pub label: &'static str,
    /// The full endpoint URL.
    pub url: &'static str,
}

/// The three DMXAPI sites.
pub const PRESETS: [Preset; 3] = [
    Preset {
        label: "www.dmxapi.cn (CNY)",
        url: DEFAULT_ENDPOINT,
    },
    Preset {
        label: "www.dmxapi.com (USD)",
        url: "https://www.dmxapi.com/v1/responses",
    },
    Preset {
        label: "ssvip.dmxapi.com (USD)",
        url: "https://ssvip.dmxapi.com/v1/responses",
    },
];

/// The preset an endpoint URL matches, if any.
pub fn preset_for(url: &str) -> Option<Preset> {
    PRESETS.into_iter().find(|p| p.url == url)
}

/// Checks a custom endpoint URL: `https://` with a host, or `http://` only to this machine
/// (loopback), or a same-origin path starting with `/` (for a relay on the hosting server).
pub fn check_endpoint(url: &str) -> Result<(), Bilingual> {
    let url = url.trim();
    let bad = || text("settings.error.endpoint");
    if url.chars().any(char::is_whitespace) || url.is_empty() {
        return Err(bad());
    }
    if url.starts_with('/') && !url.starts_with("//") {
        return Ok(());
    }
    let lower = url.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(bad());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        // user:password@host URLs would put credentials in the URL.
        return Err(bad());
    }
    let host = host_of(authority);
    if host.is_empty() {
        return Err(bad());
    }
    if secure || is_loopback(host) {
        Ok(())
    } else {
        Err(bad())
    }
}

fn host_of(authority: &str) -> &str {
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

/// True for hosts that mean "this machine".
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "::1" || host.starts_with("127.")
}

/// The result of cleaning a pasted key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalisedKey {
    /// The key to store and send.
    pub key: String,
    /// What was changed, to tell the user.
    pub note: Option<Bilingual>,
}

/// Cleans a pasted key: trims whitespace and drops a `Bearer ` prefix (the bare key is sent).
pub fn normalise_key(raw: &str) -> NormalisedKey {
    let trimmed = raw.trim();
    let stripped = trimmed
        .strip_prefix("Bearer ")
        .or_else(|| trimmed.strip_prefix("bearer "))
        .map(str::trim);
    let key: String = stripped
        .unwrap_or(trimmed)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let note = if stripped.is_some() {
        Some(text("settings.key.bearer_removed"))
    } else if key != raw {
        Some(text("settings.key.spaces_removed"))
    } else {
        None
    };
    NormalisedKey { key, note }
}

/// A masked fingerprint of a key for display, e.g. `sk-…abcd`.
pub fn fingerprint(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 8 {
        return "…".into();
    }
    let head: String = chars.iter().take(3).collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// A warning when a key does not look like a DMXAPI key (`sk-` + 48 alphanumerics).
pub fn key_shape_warning(key: &str) -> Option<Bilingual> {
    let ok = key
        .strip_prefix("sk-")
        .is_some_and(|rest| rest.len() >= 20 && rest.chars().all(|c| c.is_ascii_alphanumeric()));
    (!key.is_empty() && !ok).then(|| text("settings.key.not_dmxapi"))
}

/// The value of the endpoint choice that means "type your own URL".
pub const CUSTOM: &str = "custom";

/// Stored connection settings (everything but the key, which is stored on its own).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConnectionSettings {
    /// A preset's URL, or [`CUSTOM`].
    pub endpoint_choice: String,
    /// The URL typed for [`CUSTOM`].
    pub custom_endpoint: String,
    /// Send `X-DashScope-Async: enable` on submit (the seed does).
    pub async_header: bool,
    /// Price per second used for cost estimates.
    pub pricing: super::history::Pricing,
    /// Keep the key in local storage (on) or only for this tab's session (off).
    pub remember_key: bool,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        Self {
            endpoint_choice: DEFAULT_ENDPOINT.into(),
            custom_endpoint: String::new(),
            async_header: true,
            pricing: super::history::Pricing::default(),
            remember_key: true,
        }
    }
}

impl ConnectionSettings {
    /// The endpoint in effect, after checking it.
    pub fn endpoint(&self) -> Result<String, Bilingual> {
        if self.endpoint_choice == CUSTOM {
            let url = self.custom_endpoint.trim();
            check_endpoint(url).map(|()| url.to_string())
        } else {
            match preset_for(&self.endpoint_choice) {
                Some(p) => Ok(p.url.to_string()),
                None => Ok(DEFAULT_ENDPOINT.to_string()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_rules() {
        let table = [
            ("https://www.dmxapi.cn/v1/responses", true),
            ("https://ssvip.dmxapi.com/v1/responses", true),
            ("http://127.0.0.1:9090/v1/responses", true),
            ("http://localhost:9090/v1/responses", true),
            ("http://[::1]:9090/v1/responses", true),
            ("/dmxapi/v1/responses", true),
            ("http://www.dmxapi.cn/v1/responses", false),
            ("http://192.168.1.2/v1/responses", false),
            ("ftp://x/y", false),
            ("javascript:alert(1)", false),
            ("https://", false),
            ("//evil.example/v1", false),
            ("https://user:pw@host/v1", false),
            ("https://exa mple.com", false),
            ("", false),
            ("www.dmxapi.cn/v1/responses", false),
        ];
        for (url, ok) in table {
            assert_eq!(check_endpoint(url).is_ok(), ok, "{url}");
        }
        for p in PRESETS {
            assert!(check_endpoint(p.url).is_ok());
            assert_eq!(preset_for(p.url), Some(p));
        }
        assert_eq!(preset_for(DEMO_ENDPOINT), None);
    }

    #[test]
    fn connection_settings_pick_the_endpoint() {
        let mut s = ConnectionSettings::default();
        assert!(s.async_header);
        assert_eq!(s.endpoint().unwrap(), DEFAULT_ENDPOINT);
        s.endpoint_choice = PRESETS[2].url.into();
        assert_eq!(
            s.endpoint().unwrap(),
            "https://ssvip.dmxapi.com/v1/responses"
        );
        s.endpoint_choice = CUSTOM.into();
        assert!(s.endpoint().is_err());
        s.custom_endpoint = " http://127.0.0.1:9090/v1/responses ".into();
        assert_eq!(s.endpoint().unwrap(), "http://127.0.0.1:9090/v1/responses");
        s.endpoint_choice = "https://evil.example/v1".into();
        assert_eq!(s.endpoint().unwrap(), DEFAULT_ENDPOINT);
        let old: ConnectionSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(old, ConnectionSettings::default());
    }

    #[test]
    fn keys_are_normalised_and_masked() {
        let k = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL";
        assert_eq!(
            normalise_key(k),
            NormalisedKey {
                key: k.into(),
                note: None
            }
        );
        let n = normalise_key(&format!("  Bearer {k}\n"));
        assert_eq!(n.key, k);
        assert!(n.note.unwrap().en.contains("Bearer"));
        let n = normalise_key(&format!(" {k} "));
        assert_eq!(n.key, k);
        assert!(n.note.is_some());
        assert_eq!(fingerprint(k), "sk-…IJKL");
        assert_eq!(fingerprint("short"), "…");
        assert!(!fingerprint(k).contains("abcdefgh"));
        assert_eq!(key_shape_warning(k), None);
        assert_eq!(key_shape_warning(""), None);
        assert!(key_shape_warning("abc").is_some());
        assert!(key_shape_warning("sk-has-dashes-aaaaaaaaaaaaaaaaaaaa").is_some());
    }
}
