//! Connection settings: the endpoint (presets or custom) and the API key.

use serde::{Deserialize, Serialize};

use super::message::Msg;
use super::url::{
    describe_char, host_label, is_invisible, parse_endpoint, Endpoint, Page, UrlParser,
};

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

/// The result of cleaning a pasted (or typed) key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalisedKey {
    /// The key to store and send.
    pub key: String,
    /// What was changed, to tell the user.
    pub note: Option<Msg>,
}

/// Cleans a pasted or typed key: drops a `Bearer` prefix (the bare key is sent), whitespace and
/// the invisible characters copy-paste brings along (a zero-width space, a byte-order mark),
/// and says what it removed, naming invisible characters by code point. Visible characters
/// that a key cannot hold are kept, so [`check_key`] can name them.
pub fn normalise_key(raw: &str) -> NormalisedKey {
    let invisible: Vec<char> = raw.chars().filter(|c| is_invisible(*c)).collect();
    let visible: String = raw.chars().filter(|c| !is_invisible(*c)).collect();
    let start = visible.trim_start();
    // "Bearer sk-…" pasted, or typed: "Bearer" then a space (the field drops the space at once,
    // so the next keystrokes arrive as "Bearers…"), hence also "Bearer" directly before "sk-".
    let lower = start.to_ascii_lowercase();
    let after = lower
        .strip_prefix("bearer")
        .map(|_| &start["bearer".len()..]);
    let stripped = after.filter(|rest| {
        rest.starts_with(char::is_whitespace) || rest.trim_start().starts_with("sk-")
    });
    let key: String = stripped
        .unwrap_or(start)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let note = if stripped.is_some() {
        Some(Msg::new("settings.key.bearer_removed"))
    } else if !invisible.is_empty() {
        let mut named: Vec<String> = invisible.iter().map(|c| describe_char(*c)).collect();
        named.dedup();
        Some(Msg::new("settings.key.invisible_removed").with("chars", named.join(", ")))
    } else if key != raw {
        Some(Msg::new("settings.key.spaces_removed"))
    } else {
        None
    };
    NormalisedKey { key, note }
}

/// What is wrong with a key that cannot be sent: empty, or holding a character outside printable
/// ASCII (which an HTTP header cannot carry and no DMXAPI key contains), named with its position.
pub fn check_key(key: &str) -> Option<Msg> {
    if key.is_empty() {
        return Some(Msg::new("settings.error.no_key"));
    }
    key.chars()
        .enumerate()
        .find(|(_, c)| !('!'..='~').contains(c))
        .map(|(i, c)| {
            Msg::new("settings.key.bad_char")
                .with("char", describe_char(c))
                .with("position", (i + 1).to_string())
        })
}

/// A key that can go into an `Authorization` header: printable ASCII only (see [`check_key`]).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts a stored key, or says why it cannot be sent.
    pub fn parse(key: &str) -> Result<ApiKey, Msg> {
        match check_key(key) {
            None => Ok(ApiKey(key.to_string())),
            Some(why) => Err(why),
        }
    }

    /// The key itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKey {
    // Never print the key, even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({})", fingerprint(&self.0))
    }
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

/// A hint when a key does not look like a DMXAPI key (`sk-` + 48 alphanumerics); only a hint,
/// never a refusal (relays issue other shapes).
pub fn key_shape_warning(key: &str) -> Option<Msg> {
    let ok = key
        .strip_prefix("sk-")
        .is_some_and(|rest| rest.len() >= 20 && rest.chars().all(|c| c.is_ascii_alphanumeric()));
    (!key.is_empty() && !ok).then(|| Msg::new("settings.key.not_dmxapi"))
}

/// An endpoint the key may be sent to: the one chosen in Settings (or the team default the user
/// kept), or one the user has sent from this browser before. Only
/// [`ConnectionSettings::chosen`] and [`ConnectionSettings::route_task`] make one, so nothing
/// that arrives from outside (an imported task, a share link, `config.json`, a relay's reply)
/// can route the key anywhere else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenEndpoint(Endpoint);

impl ChosenEndpoint {
    /// Where the call goes.
    pub fn endpoint(&self) -> &Endpoint {
        &self.0
    }

    /// The absolute URL called.
    pub fn url(&self) -> &str {
        &self.0.url
    }
}

/// How many endpoints used earlier are remembered as the user's own.
pub const KNOWN_ENDPOINTS_MAX: usize = 8;

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
    pub pricing: super::cost::Pricing,
    /// Keep the key in local storage (on) or only for this tab's session (off).
    pub remember_key: bool,
    /// Endpoints (absolute URLs) this browser has sent the key to at the user's request: tasks
    /// there keep being polled after the user switches endpoints. Newest first.
    pub known_endpoints: Vec<String>,
    /// When finished videos are kept in this browser.
    pub keep_videos: super::keep::KeepVideos,
}

impl Default for ConnectionSettings {
    fn default() -> Self {
        Self {
            endpoint_choice: DEFAULT_ENDPOINT.into(),
            custom_endpoint: String::new(),
            async_header: true,
            pricing: super::cost::Pricing::default(),
            remember_key: true,
            known_endpoints: Vec::new(),
            keep_videos: super::keep::KeepVideos::Auto,
        }
    }
}

impl ConnectionSettings {
    /// The endpoint as chosen, before checking: a preset's URL or the custom text.
    pub fn endpoint_text(&self) -> &str {
        if self.endpoint_choice == CUSTOM {
            self.custom_endpoint.trim()
        } else {
            preset_for(&self.endpoint_choice).map_or(DEFAULT_ENDPOINT, |p| p.url)
        }
    }

    /// The endpoint in effect, after checking it the browser's way.
    pub fn endpoint(&self, page: &Page, parser: &impl UrlParser) -> Result<Endpoint, Msg> {
        parse_endpoint(self.endpoint_text(), page, parser)
    }

    /// The endpoint chosen in Settings, as one the key may go to.
    pub fn chosen(&self, page: &Page, parser: &impl UrlParser) -> Result<ChosenEndpoint, Msg> {
        self.endpoint(page, parser).map(ChosenEndpoint)
    }

    /// Every endpoint the key may go to: the chosen one first, then those used before.
    pub fn my_endpoints(&self, page: &Page, parser: &impl UrlParser) -> Vec<ChosenEndpoint> {
        let mut mine: Vec<ChosenEndpoint> = self.chosen(page, parser).into_iter().collect();
        for url in &self.known_endpoints {
            if let Ok(e) = parse_endpoint(url, page, parser) {
                if !mine.iter().any(|m| m.0.url == e.url) {
                    mine.push(ChosenEndpoint(e));
                }
            }
        }
        mine
    }

    /// Where a stored task may be checked with the key: its own endpoint only when it is one of
    /// the user's ([`Self::my_endpoints`]); otherwise the host it belongs to, for the user to
    /// decide. This is the one place that lets the key follow a task.
    pub fn route_task(
        &self,
        task_endpoint: &str,
        page: &Page,
        parser: &impl UrlParser,
    ) -> Result<ChosenEndpoint, String> {
        let Ok(theirs) = parse_endpoint(task_endpoint, page, parser) else {
            return Err(host_label(task_endpoint, page, parser));
        };
        self.my_endpoints(page, parser)
            .into_iter()
            .find(|mine| mine.0.url == theirs.url)
            .ok_or(theirs.host)
    }

    /// Remembers an endpoint the user has just sent with (newest first, at most
    /// [`KNOWN_ENDPOINTS_MAX`]).
    pub fn remember(&mut self, endpoint: &ChosenEndpoint) {
        let url = endpoint.url().to_string();
        self.known_endpoints.retain(|u| *u != url);
        self.known_endpoints.insert(0, url);
        self.known_endpoints.truncate(KNOWN_ENDPOINTS_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::url::testing::{page, Whatwg};

    #[test]
    fn presets_are_valid_endpoints() {
        for p in PRESETS {
            let e = parse_endpoint(p.url, &page(), &Whatwg).unwrap();
            assert_eq!(e.url, p.url);
            assert_eq!(preset_for(p.url), Some(p));
        }
        assert_eq!(preset_for(DEMO_ENDPOINT), None);
        assert!(parse_endpoint(DEMO_ENDPOINT, &page(), &Whatwg).is_ok());
    }

    #[test]
    fn connection_settings_pick_the_endpoint() {
        let at = |s: &ConnectionSettings| s.endpoint(&page(), &Whatwg).map(|e| e.url);
        let mut s = ConnectionSettings::default();
        assert!(s.async_header);
        assert_eq!(at(&s).unwrap(), DEFAULT_ENDPOINT);
        s.endpoint_choice = PRESETS[2].url.into();
        assert_eq!(at(&s).unwrap(), "https://ssvip.dmxapi.com/v1/responses");
        s.endpoint_choice = CUSTOM.into();
        assert!(at(&s).is_err());
        s.custom_endpoint = " http://127.0.0.1:9090/v1/responses ".into();
        assert_eq!(at(&s).unwrap(), "http://127.0.0.1:9090/v1/responses");
        s.custom_endpoint = "/\\evil.example/v1/responses".into();
        assert!(at(&s).is_err());
        s.endpoint_choice = "https://evil.example/v1".into();
        assert_eq!(at(&s).unwrap(), DEFAULT_ENDPOINT);
        let old: ConnectionSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(old, ConnectionSettings::default());
    }

    #[test]
    fn the_key_follows_a_task_only_to_the_users_own_endpoints() {
        let mut s = ConnectionSettings::default();
        let route = |s: &ConnectionSettings, url: &str| s.route_task(url, &page(), &Whatwg);
        assert_eq!(route(&s, DEFAULT_ENDPOINT).unwrap().url(), DEFAULT_ENDPOINT);
        // A task from a file names a host the user never chose: the key does not go there.
        assert_eq!(
            route(&s, "https://evil.example/v1/responses").unwrap_err(),
            "evil.example"
        );
        assert_eq!(
            route(&s, "https://evil.example:8443/steal").unwrap_err(),
            "evil.example:8443"
        );
        assert_eq!(route(&s, "/\\evil.example/x").unwrap_err(), "evil.example");
        assert_eq!(
            route(&s, "https://www.dmxapi.cn.evil.example/v1/responses").unwrap_err(),
            "www.dmxapi.cn.evil.example"
        );
        assert!(route(&s, "https://www.dmxapi.com/v1/responses").is_err());
        // Written differently but called the same: it is the same endpoint.
        assert!(route(&s, "HTTPS://WWW.DMXAPI.CN/v1/responses").is_ok());
        // An endpoint the user has sent with stays theirs after switching.
        let com = s.chosen(&page(), &Whatwg).unwrap();
        s.remember(&com);
        s.endpoint_choice = PRESETS[1].url.into();
        assert!(route(&s, DEFAULT_ENDPOINT).is_ok());
        assert!(route(&s, PRESETS[1].url).is_ok());
        assert_eq!(s.my_endpoints(&page(), &Whatwg).len(), 2);
        // Same-origin paths are compared as the browser resolves them.
        s.endpoint_choice = CUSTOM.into();
        s.custom_endpoint = "/dmxapi/v1/responses".into();
        assert!(route(&s, "https://team.example/dmxapi/v1/responses").is_ok());
        assert!(route(&s, "/dmxapi/v1/responses").is_ok());
        for i in 0..20 {
            let e = parse_endpoint(&format!("https://r{i}.example/v1"), &page(), &Whatwg).unwrap();
            s.remember(&ChosenEndpoint(e));
        }
        assert_eq!(s.known_endpoints.len(), KNOWN_ENDPOINTS_MAX);
        assert_eq!(s.known_endpoints[0], "https://r19.example/v1");
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
        assert!(n.note.unwrap().en().contains("Bearer"));
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
        assert_eq!(
            format!("{:?}", ApiKey::parse(k).unwrap()),
            "ApiKey(sk-…IJKL)"
        );
    }

    #[test]
    fn a_typed_bearer_prefix_is_removed_like_a_pasted_one() {
        // The field re-normalises on every keystroke: "Bearer", then "Bearer " (dropped at once),
        // then "Bearers", "Bearersk", "Bearersk-"…
        assert_eq!(normalise_key("Bearer").key, "Bearer");
        let n = normalise_key("Bearer ");
        assert_eq!(n.key, "");
        assert!(n.note.unwrap().en().contains("Bearer"));
        assert_eq!(normalise_key("Bearersk-abc").key, "sk-abc");
        assert_eq!(normalise_key("bearer   sk-abc").key, "sk-abc");
        assert_eq!(normalise_key("BEARERsk-abc").key, "sk-abc");
        // Not a prefix: a key that merely starts with the letters.
        assert_eq!(normalise_key("bearerish-key").key, "bearerish-key");
    }

    #[test]
    fn invisible_and_foreign_characters_are_named() {
        let k = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL";
        let n = normalise_key(&format!("{}\u{200b}{}", &k[..10], &k[10..]));
        assert_eq!(n.key, k);
        let note = n.note.unwrap();
        assert!(
            note.en().contains("U+200B") && note.zh().contains("U+200B"),
            "{}",
            note.en()
        );
        let n = normalise_key(&format!("\u{feff}{k}"));
        assert_eq!(n.key, k);
        assert!(n.note.unwrap().en().contains("U+FEFF"));
        // A visible character a key cannot hold stays, and is named with its place.
        let cjk = format!("{}中{}", &k[..5], &k[5..]);
        assert_eq!(normalise_key(&cjk).key, cjk);
        let why = check_key(&cjk).unwrap();
        assert!(
            why.en().contains("“中” (U+4E2D)") && why.en().contains("6"),
            "{}",
            why.en()
        );
        assert!(why.zh().contains("U+4E2D"));
        assert!(ApiKey::parse(&cjk).is_err());
        assert!(check_key("sk-a\nb").unwrap().en().contains("U+000A"));
        assert!(check_key("sk-é").unwrap().en().contains("U+00E9"));
        assert!(check_key("").unwrap().en().contains("Settings"));
        assert_eq!(check_key(k), None);
        assert_eq!(check_key("any-printable_ASCII.key~!"), None);
    }
}
