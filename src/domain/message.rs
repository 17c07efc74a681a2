//! User-facing text in two languages. The words live in data files (`locales/*.yml`, one key
//! with its English and Simplified Chinese text per entry, loaded at compile time by
//! `rust-i18n`); code refers to them by key. Every message a user can meet names the cause and
//! the next step.

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages, in the order the switch lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code stored in settings and used by the translation files: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The BCP 47 tag for the document's `lang` attribute.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// Parses a stored code; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The default for a browser's preferred languages (`navigator.languages`, best first): the
    /// first that is Chinese or English wins; English when neither appears.
    pub fn from_preferences<S: AsRef<str>>(preferred: &[S]) -> Lang {
        preferred
            .iter()
            .find_map(|tag| {
                let primary = tag.as_ref().split(['-', '_']).next()?.to_ascii_lowercase();
                match primary.as_str() {
                    "zh" => Some(Lang::Zh),
                    "en" => Some(Lang::En),
                    _ => None,
                }
            })
            .unwrap_or_default()
    }
}

/// One translated string by key, in one language. A key missing from the data files shows
/// the English text (and is caught by the catalog tests before it ships).
pub fn tr(lang: Lang, key: &str) -> String {
    crate::_rust_i18n_translate(lang.code(), key).into_owned()
}

/// A message in English and Simplified Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    /// English text.
    pub en: String,
    /// Simplified Chinese text.
    pub zh: String,
}

impl Bilingual {
    /// Builds a message from its two texts (for text that is not ours to translate, such as a
    /// server's own words, pass the same text twice).
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// A message made for each language by `f`.
    pub fn from_fn(f: impl Fn(Lang) -> String) -> Self {
        Self {
            en: f(Lang::En),
            zh: f(Lang::Zh),
        }
    }

    /// The same text in both languages (numbers, names, a server's own words).
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            en: text.clone(),
            zh: text,
        }
    }

    /// The text in `lang`.
    pub fn pick(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// Joins two messages with a space (English) or nothing (Chinese).
    pub fn then(&self, next: &Bilingual) -> Bilingual {
        Bilingual {
            en: join_en(&self.en, &next.en),
            zh: format!("{}{}", self.zh, next.zh),
        }
    }
}

fn join_en(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a} {b}"),
    }
}

/// The message under `key` in both languages.
pub fn text(key: &str) -> Bilingual {
    text_with(key, &[])
}

/// `template` with each `%{name}` replaced by its value (placeholders not named stay as they are).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(template.to_string(), |s, (name, value)| {
        s.replace(&format!("%{{{name}}}"), value)
    })
}

/// The message under `key` in both languages, with each `%{name}` replaced by its value.
pub fn text_with(key: &str, args: &[(&str, &str)]) -> Bilingual {
    Bilingual::from_fn(|lang| fill(&tr(lang, key), args))
}

/// The message under `key` with values that differ by language (a duration, a date, another
/// message): each `%{name}` gets the value's text in the same language.
pub fn text_with_each(key: &str, args: &[(&str, &Bilingual)]) -> Bilingual {
    Bilingual::from_fn(|lang| {
        let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.pick(lang))).collect();
        fill(&tr(lang, key), &args)
    })
}

/// An explained problem: what happened and what to do, plus details worth copying.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Cause and next step.
    pub text: Bilingual,
    /// The relay's request id, when the reply carried one (users quote it to support).
    pub request_id: Option<String>,
    /// The raw detail from the server (status line, upstream code and message), shown as text.
    pub detail: Option<String>,
    /// True when a submit failed in a way that may still have created (and billed) a task.
    pub maybe_created: bool,
}

impl Explanation {
    /// An explanation with no details.
    pub fn plain(text: Bilingual) -> Self {
        Self {
            text,
            request_id: None,
            detail: None,
            maybe_created: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn catalog(lang: Lang) -> BTreeMap<String, String> {
        crate::_rust_i18n_backend()
            .messages_for_locale(lang.code())
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
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

    /// Every key written as a literal in the source (`text("…")`, `text_with("…"`,
    /// `text_with_each("…"`, `tr(…, "…")`, `.t("…")`, `.now("…")`, `.now_with("…"`) exists in both
    /// languages.
    #[test]
    fn every_key_used_in_the_source_exists() {
        let en = catalog(Lang::En);
        let zh = catalog(Lang::Zh);
        let mut used = BTreeSet::new();
        let mut all_source = String::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
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
            .filter(|k| !all_source.contains(&format!("\"{k}\"")))
            .collect();
        assert!(stale.is_empty(), "translations no code uses: {stale:?}");
    }

    /// Literal keys after the call patterns we use.
    fn keys_in(src: &str) -> Vec<String> {
        const CALLS: [&str; 7] = [
            "text(\"",
            "text_with(\"",
            "text_with_each(\"",
            ".t(\"",
            ".now(\"",
            ".now_with(\"",
            "tr(lang, \"",
        ];
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

    #[test]
    fn placeholders_are_filled_in_both_languages() {
        let m = text_with("test.placeholder", &[("n", "7")]);
        assert_eq!(m.en, "7 seconds");
        assert_eq!(m.zh, "7 秒");
        let each = text_with_each("test.placeholder", &[("n", &Bilingual::new("seven", "七"))]);
        assert_eq!(
            (each.en.as_str(), each.zh.as_str()),
            ("seven seconds", "七 秒")
        );
        assert_eq!(fill("%{a} and %{b}", &[("a", "1")]), "1 and %{b}");
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
        let a = Bilingual::new("Failed.", "失败。");
        let b = Bilingual::new("Try again.", "请重试。");
        let j = a.then(&b);
        assert_eq!(j.en, "Failed. Try again.");
        assert_eq!(j.zh, "失败。请重试。");
    }
}
