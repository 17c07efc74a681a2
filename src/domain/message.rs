//! User-facing text in two languages. The words live in data files (`locales/*.yml`, one key
//! with its English and Simplified Chinese text per entry; the page loads one language's
//! [`Catalog`]); code refers to them by key through one type, [`Msg`], and they become words in
//! one place, [`Msg::segments`]. Every message a user can meet names the cause and the next step.

use serde::{Deserialize, Serialize};

use super::catalog::Catalog;
pub use super::lang::Lang;

/// One catalog text by key (the template, placeholders unfilled). A key missing from the
/// catalog shows the key itself (the catalog tests keep that from shipping).
fn template(catalog: &Catalog, key: &str) -> String {
    catalog.get(key).unwrap_or(key).to_string()
}

/// A user-facing message as data: which catalog text, and the values that go into it. Domain and
/// api code return it, the ledger stores it (never rendered text, so a corrected translation
/// reaches stored tasks), and the page renders it in the language shown through one function,
/// [`Msg::segments`] (`state::i18n::I18n::render` and the `Text` component call it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Msg {
    /// A catalog text (`locales/*.yml`) and the values of its `%{name}` placeholders.
    Text {
        /// The catalog key, e.g. `error.http_401`.
        key: String,
        /// Placeholder values, by name.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        args: Vec<(String, Arg)>,
    },
    /// Words that are not ours to translate (a server's own text, a status it invented).
    Verbatim(String),
    /// Messages shown one after the other (joined by a space in English, directly in Chinese).
    Join(Vec<Msg>),
}

/// The value of one placeholder.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Arg {
    /// Text that reads the same in every language (a number, a name, a server's words).
    Plain(String),
    /// A technical token shown as code (a header name, a command, the key's last characters).
    Code(String),
    /// Another message, in the same language (a duration, a status).
    Msg(Box<Msg>),
    /// A moment, ms since the epoch, shown as a local date and time in the language shown.
    Time(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Plain(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Plain(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Plain(s.clone())
    }
}

impl From<&Msg> for Arg {
    fn from(m: &Msg) -> Self {
        Arg::Msg(Box::new(m.clone()))
    }
}

impl From<Msg> for Arg {
    fn from(m: Msg) -> Self {
        Arg::Msg(Box::new(m))
    }
}

/// A piece of rendered text: plain, or a technical token to show as code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// True for a [`Arg::Code`] value.
    pub code: bool,
}

impl Msg {
    /// The catalog text under `key`.
    pub fn new(key: &str) -> Msg {
        Msg::Text {
            key: key.to_string(),
            args: Vec::new(),
        }
    }

    /// Words shown as they are, in every language.
    pub fn verbatim(text: impl Into<String>) -> Msg {
        Msg::Verbatim(text.into())
    }

    /// Sets the placeholder `name` (text, a number as text, or another message).
    pub fn with(mut self, name: &str, value: impl Into<Arg>) -> Msg {
        if let Msg::Text { args, .. } = &mut self {
            args.push((name.to_string(), value.into()));
        }
        self
    }

    /// Sets the placeholder `name` to a technical token shown as code.
    pub fn with_code(self, name: &str, token: &str) -> Msg {
        self.with(name, Arg::Code(token.to_string()))
    }

    /// Sets the placeholder `name` to a moment (ms since the epoch), shown as local time.
    pub fn with_time(self, name: &str, ms: i64) -> Msg {
        self.with(name, Arg::Time(ms))
    }

    /// This message, then `next`.
    pub fn then(self, next: Msg) -> Msg {
        match self {
            Msg::Join(mut parts) => {
                parts.push(next);
                Msg::Join(parts)
            }
            first => Msg::Join(vec![first, next]),
        }
    }

    /// The catalog key, for a catalog text.
    pub fn key(&self) -> Option<&str> {
        match self {
            Msg::Text { key, .. } => Some(key),
            _ => None,
        }
    }

    /// The message in the catalog's language, as pieces of text and code; `time` formats
    /// [`Arg::Time`] values. This is the one place messages become words.
    pub fn segments(&self, catalog: &Catalog, time: &dyn Fn(i64, Lang) -> String) -> Vec<Segment> {
        let mut out = Vec::new();
        self.push_segments(catalog, time, &mut out);
        out
    }

    fn push_segments(
        &self,
        catalog: &Catalog,
        time: &dyn Fn(i64, Lang) -> String,
        out: &mut Vec<Segment>,
    ) {
        let lang = catalog.lang();
        let plain = |text: String| Segment { text, code: false };
        match self {
            Msg::Verbatim(text) => out.push(plain(text.clone())),
            Msg::Join(parts) => {
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 && lang == Lang::En {
                        out.push(plain(" ".into()));
                    }
                    part.push_segments(catalog, time, out);
                }
            }
            Msg::Text { key, args } => {
                let mut rest = template(catalog, key);
                while let Some(at) = rest.find("%{") {
                    let Some(len) = rest[at..].find('}') else {
                        break;
                    };
                    let name = &rest[at + 2..at + len];
                    let Some((_, value)) = args.iter().find(|(n, _)| n == name) else {
                        // Not given: left as written (the catalog tests keep this from shipping).
                        out.push(plain(rest[..at + len + 1].to_string()));
                        rest = rest[at + len + 1..].to_string();
                        continue;
                    };
                    out.push(plain(rest[..at].to_string()));
                    match value {
                        Arg::Plain(v) => out.push(plain(v.clone())),
                        Arg::Code(v) => out.push(Segment {
                            text: v.clone(),
                            code: true,
                        }),
                        Arg::Msg(m) => m.push_segments(catalog, time, out),
                        Arg::Time(ms) => out.push(plain(time(*ms, lang))),
                    }
                    rest = rest[at + len + 1..].to_string();
                }
                out.push(plain(rest));
            }
        }
        out.retain(|s| !s.text.is_empty());
    }

    /// The message in the catalog's language as plain text.
    pub fn render(&self, catalog: &Catalog, time: &dyn Fn(i64, Lang) -> String) -> String {
        self.segments(catalog, time)
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    /// The message in English from the source catalog, times as raw milliseconds: for tests
    /// only (the page has no English catalog when it shows Chinese).
    pub fn en(&self) -> String {
        self.render(Catalog::builtin(Lang::En), &|ms, _| ms.to_string())
    }

    /// The message in Chinese from the source catalog, times as raw milliseconds: for tests.
    pub fn zh(&self) -> String {
        self.render(Catalog::builtin(Lang::Zh), &|ms, _| ms.to_string())
    }

    /// Redacts every text that may hold a relay's words (verbatim parts and argument values).
    pub fn redact(&mut self, r: &super::redact::Redactor) {
        match self {
            Msg::Verbatim(text) => r.clean_in_place(text),
            Msg::Join(parts) => parts.iter_mut().for_each(|p| p.redact(r)),
            Msg::Text { args, .. } => {
                for (_, value) in args {
                    match value {
                        Arg::Plain(v) | Arg::Code(v) => r.clean_in_place(v),
                        Arg::Msg(m) => m.redact(r),
                        Arg::Time(_) => {}
                    }
                }
            }
        }
    }
}

/// An explained problem: what happened and what to do, plus details worth copying.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Cause and next step.
    pub text: Msg,
    /// The relay's request id, when the reply carried one (users quote it to support).
    pub request_id: Option<String>,
    /// The raw detail from the server (status line, upstream code and message), shown as text.
    pub detail: Option<String>,
    /// True when a submit failed in a way that may still have created (and billed) a task.
    pub maybe_created: bool,
}

impl Explanation {
    /// Redacts the texts that may hold a relay's words.
    pub fn redact(&mut self, r: &super::redact::Redactor) {
        self.text.redact(r);
        r.clean_opt(&mut self.request_id);
        r.clean_opt(&mut self.detail);
    }

    /// An explanation with no details.
    pub fn plain(text: Msg) -> Self {
        Self {
            text,
            request_id: None,
            detail: None,
            maybe_created: false,
        }
    }
}

/// An explanation as builds before the message model stored it: its text already rendered in
/// both languages. Read from old ledgers only; see [`LegacyExplanation::upgrade`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct LegacyExplanation {
    /// The relay's request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// The server's own words.
    #[serde(default)]
    pub detail: Option<String>,
    /// True when a submit may have created a task.
    #[serde(default)]
    pub maybe_created: bool,
}

impl LegacyExplanation {
    /// The explanation as a message value: the rendered text cannot be traced back to its key,
    /// so it becomes a general "problem recorded earlier" message; the server's words and the
    /// request id are kept.
    pub fn upgrade(self) -> Explanation {
        Explanation {
            text: Msg::new(if self.maybe_created {
                "error.legacy_maybe_created"
            } else {
                "error.legacy"
            }),
            request_id: self.request_id,
            detail: self.detail,
            maybe_created: self.maybe_created,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn catalog(lang: Lang) -> BTreeMap<String, String> {
        Catalog::builtin(lang)
            .texts()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.match_indices("%{")
            .filter_map(|(i, _)| {
                let rest = &s[i + 2..];
                rest.find('}').map(|end| rest[..end].to_string())
            })
            .collect()
    }

    /// The missing-translation test: every key has both languages, non-empty, with the same
    /// placeholders.
    #[test]
    fn every_key_exists_in_both_languages() {
        let en = catalog(Lang::En);
        let zh = catalog(Lang::Zh);
        assert!(
            en.len() > 50,
            "the catalog loaded ({} English keys)",
            en.len()
        );
        let en_keys: BTreeSet<_> = en.keys().collect();
        let zh_keys: BTreeSet<_> = zh.keys().collect();
        let no_zh: Vec<_> = en_keys.difference(&zh_keys).collect();
        let no_en: Vec<_> = zh_keys.difference(&en_keys).collect();
        assert!(no_zh.is_empty(), "keys without Chinese: {no_zh:?}");
        assert!(no_en.is_empty(), "keys without English: {no_en:?}");
        for (key, en_text) in &en {
            let zh_text = &zh[key];
            assert!(!en_text.trim().is_empty(), "{key}: empty English");
            assert!(!zh_text.trim().is_empty(), "{key}: empty Chinese");
            assert_eq!(
                placeholders(en_text),
                placeholders(zh_text),
                "{key}: the two languages use different placeholders"
            );
        }
    }

    /// Every key written as a literal in the source (`Msg::new("…")`, `.t("…")`) exists in both
    /// languages, and every key in the files is used.
    #[test]
    fn every_key_used_in_the_source_exists() {
        let en = catalog(Lang::En);
        let zh = catalog(Lang::Zh);
        let mut used = BTreeSet::new();
        let mut all_source = String::new();
        let mut stack = vec![std::path::PathBuf::from(format!(
            "{}/src",
            crate::domain::testing::root()
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let src = std::fs::read_to_string(&path).expect("source readable");
                    used.extend(keys_in(&src));
                    all_source.push_str(&src);
                }
            }
        }
        assert!(
            used.len() > 50,
            "found the keys in the source ({})",
            used.len()
        );
        let missing: Vec<_> = used
            .iter()
            .filter(|k| !en.contains_key(*k) || !zh.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty(),
            "keys used but not translated: {missing:?}"
        );
        // And no stale translations: every key in the files is named somewhere in the source.
        let stale: Vec<_> = en
            .keys()
            .filter(|k| !all_source.contains(&format!("\"{k}\"")) && !dynamic(k))
            .collect();
        assert!(stale.is_empty(), "translations no code uses: {stale:?}");
    }

    /// The keys the page builds from the model table (`mode.<key>`, `mode_hint.<key>`,
    /// `form.media.<wire name>`): `k` is one of them.
    fn dynamic(k: &str) -> bool {
        use crate::domain::models::{Mode, MODES};
        let mode = |prefix: &str| {
            k.strip_prefix(prefix)
                .is_some_and(|m| Mode::from_key(m).is_some())
        };
        let slot = k.strip_prefix("form.media.").is_some_and(|name| {
            MODES
                .iter()
                .any(|s| s.slots.iter().any(|slot| slot.wire_name() == name))
        });
        mode("mode.") || mode("mode_hint.") || slot
    }

    /// Every mode has its name and hint, every media input its label, in both languages.
    #[test]
    fn every_mode_and_media_input_has_its_words() {
        use crate::domain::models::MODES;
        let (en, zh) = (catalog(Lang::En), catalog(Lang::Zh));
        let mut keys = Vec::new();
        for spec in &MODES {
            keys.push(format!("mode.{}", spec.mode.key()));
            keys.push(format!("mode_hint.{}", spec.mode.key()));
            for name in crate::domain::form::media_inputs(spec) {
                keys.push(format!("form.media.{name}"));
            }
        }
        for k in keys {
            assert!(en.contains_key(&k) && zh.contains_key(&k), "{k}");
        }
    }

    /// Literal keys after the call patterns we use.
    fn keys_in(src: &str) -> Vec<String> {
        const CALLS: [&str; 2] = ["Msg::new(\"", ".t(\""];
        let mut keys = Vec::new();
        for call in CALLS {
            for (i, _) in src.match_indices(call) {
                let rest = &src[i + call.len()..];
                if let Some(end) = rest.find('"') {
                    let key = &rest[..end];
                    if !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                    {
                        keys.push(key.to_string());
                    }
                }
            }
        }
        keys
    }

    fn plain_time(ms: i64, lang: Lang) -> String {
        format!("<{ms} {}>", lang.code())
    }

    /// `m` in `lang` from the source catalog, times as `<ms lang>`.
    fn words(m: &Msg, lang: Lang) -> String {
        m.render(Catalog::builtin(lang), &plain_time)
    }

    #[test]
    fn placeholders_are_filled_in_both_languages() {
        let m = Msg::new("test.placeholder").with("n", "7");
        assert_eq!(words(&m, Lang::En), "7 seconds");
        assert_eq!(words(&m, Lang::Zh), "7 秒");
        // A nested message takes the same language; a time is formatted per language.
        let nested =
            Msg::new("test.placeholder").with("n", Msg::new("test.placeholder").with("n", "2"));
        assert_eq!(words(&nested, Lang::Zh), "2 秒 秒");
        let at = Msg::new("test.placeholder").with_time("n", 5);
        assert_eq!(words(&at, Lang::En), "<5 en> seconds");
        assert_eq!(words(&at, Lang::Zh), "<5 zh> 秒");
        // A missing value is left as written.
        assert_eq!(
            words(&Msg::new("test.placeholder"), Lang::En),
            "%{n} seconds"
        );
        // Code is a segment of its own.
        let code = Msg::new("test.placeholder").with_code("n", "X-Header");
        assert_eq!(
            code.segments(Catalog::builtin(Lang::En), &plain_time),
            vec![
                Segment {
                    text: "X-Header".into(),
                    code: true
                },
                Segment {
                    text: " seconds".into(),
                    code: false
                }
            ]
        );
    }

    #[test]
    fn messages_survive_storage_as_values() {
        let m = Msg::new("test.placeholder")
            .with("n", Msg::verbatim("x"))
            .then(Msg::verbatim("done"));
        let stored = serde_json::to_string(&m).unwrap();
        assert!(
            !stored.contains("seconds"),
            "no rendered text is stored: {stored}"
        );
        let back: Msg = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, m);
        assert_eq!(words(&back, Lang::En), "x seconds done");
        assert_eq!(words(&back, Lang::Zh), "x 秒done");
    }

    #[test]
    fn old_rendered_explanations_are_upgraded_to_values() {
        let old = r#"{"text":{"en":"The API key was not accepted.","zh":"密钥无效。"},"request_id":"r1","detail":"HTTP 401","maybe_created":false}"#;
        let legacy: LegacyExplanation = serde_json::from_str(old).unwrap();
        let e = legacy.upgrade();
        assert_eq!(e.text.key(), Some("error.legacy"));
        assert_eq!(
            (e.request_id.as_deref(), e.detail.as_deref()),
            (Some("r1"), Some("HTTP 401"))
        );
        assert!(!words(&e.text, Lang::Zh).is_empty());
    }

    #[test]
    fn browser_preferences_pick_the_default_language() {
        assert_eq!(Lang::from_preferences(&["zh-CN", "en"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(&["zh-TW"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(&["zh"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(&["en-US", "zh-CN"]), Lang::En);
        assert_eq!(Lang::from_preferences(&["fr-FR", "zh-CN"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(&["fr-FR", "de"]), Lang::En);
        assert_eq!(Lang::from_preferences::<&str>(&[]), Lang::En);
        assert_eq!(Lang::from_code("zh"), Some(Lang::Zh));
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::Zh.html_tag(), "zh-CN");
    }

    #[test]
    fn messages_join_per_language() {
        let j = Msg::verbatim("Failed.").then(Msg::verbatim("Try again."));
        assert_eq!(words(&j, Lang::En), "Failed. Try again.");
        assert_eq!(words(&j, Lang::Zh), "Failed.Try again.");
    }
}
