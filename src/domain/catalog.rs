//! The words of one language: the catalog a [`Msg`](super::message::Msg) is rendered with.
//!
//! The source is `locales/*.yml`: one entry per key, its English and Chinese text side by side, in
//! a strict subset of YAML (a `key:` line, then `  en: "…"` and `  zh: "…"`, double-quoted with
//! only `\"` and `\\` escapes; comments and `_version` lines). The release build turns it into one
//! JSON file per language (`scripts/catalog.mjs`, reading it with `scripts/lib/locales.mjs`, which
//! refuses anything else, as the e2e suite does), and the page loads only the language it shows
//! (`state::i18n`); [`parse_locales`] is the same reading in Rust, for the tests and
//! [`Catalog::builtin`].

use std::collections::HashMap;
use std::sync::OnceLock;

use super::lang::Lang;

/// The catalog texts of one language, by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalog {
    lang: Lang,
    texts: HashMap<String, String>,
}

impl Catalog {
    /// A catalog of `lang` from `(key, text)` pairs.
    pub fn new(lang: Lang, texts: impl IntoIterator<Item = (String, String)>) -> Catalog {
        Catalog {
            lang,
            texts: texts.into_iter().collect(),
        }
    }

    /// The language of these texts.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text (a template with `%{name}` placeholders) under `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// Every key and text (for the catalog tests).
    pub fn texts(&self) -> &HashMap<String, String> {
        &self.texts
    }

    /// The catalog of `lang` from the source files themselves, compiled into the binary that uses
    /// it: for tests and tools only. The page never calls it (so its wasm carries no catalog).
    pub fn builtin(lang: Lang) -> &'static Catalog {
        static BOTH: OnceLock<[Catalog; 2]> = OnceLock::new();
        let both = BOTH.get_or_init(|| {
            parse_locales(LOCALE_FILES.iter().map(|(_, text)| *text))
                .unwrap_or_else(|e| panic!("locales/: {e}"))
        });
        &both[lang as usize]
    }
}

/// The source files (`locales/*.yml`), by name; a test checks that none is missing.
pub const LOCALE_FILES: [(&str, &str); 6] = [
    ("app.yml", include_str!("../../locales/app.yml")),
    ("domain.yml", include_str!("../../locales/domain.yml")),
    ("errors.yml", include_str!("../../locales/errors.yml")),
    ("form.yml", include_str!("../../locales/form.yml")),
    ("settings.yml", include_str!("../../locales/settings.yml")),
    ("tasks.yml", include_str!("../../locales/tasks.yml")),
];

/// Reads the catalog files into one catalog per language (`[en, zh]`). Anything outside the
/// subset, a key given twice, or a language missing from a key is an error naming the line.
pub fn parse_locales<'a>(files: impl IntoIterator<Item = &'a str>) -> Result<[Catalog; 2], String> {
    let mut out = [Catalog::new(Lang::En, []), Catalog::new(Lang::Zh, [])];
    for file in files {
        let mut key: Option<&str> = None;
        for (n, line) in file.lines().enumerate() {
            let at = |why: &str| format!("line {}: {why}: {line}", n + 1);
            let trimmed = line.trim_end();
            if trimmed.is_empty() || trimmed.trim_start().starts_with('#') {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix("  ") {
                let k = key.ok_or_else(|| at("a text before its key"))?;
                let (code, value) = rest
                    .split_once(": ")
                    .ok_or_else(|| at("not `lang: \"text\"`"))?;
                let lang = Lang::from_code(code).ok_or_else(|| at("unknown language"))?;
                let text = unquote(value).ok_or_else(|| at("not a double-quoted text"))?;
                let catalog = &mut out[lang as usize];
                if catalog.texts.insert(k.to_string(), text).is_some() {
                    return Err(at("given twice"));
                }
            } else if trimmed.starts_with("_version:") {
                key = None;
            } else if let Some(k) = trimmed.strip_suffix(':') {
                if k.is_empty()
                    || !k
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                {
                    return Err(at("not a key"));
                }
                key = Some(k);
            } else {
                return Err(at("not understood"));
            }
        }
    }
    let [en, zh] = &out;
    if let Some(k) = en.texts.keys().find(|k| !zh.texts.contains_key(*k)) {
        return Err(format!("{k}: no zh text"));
    }
    if let Some(k) = zh.texts.keys().find(|k| !en.texts.contains_key(*k)) {
        return Err(format!("{k}: no en text"));
    }
    Ok(out)
}

/// `"…"` with `\"` and `\\` escapes, and nothing after the closing quote.
fn unquote(value: &str) -> Option<String> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                e @ ('"' | '\\') => out.push(e),
                _ => return None,
            },
            '"' => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_file_is_compiled_in() {
        let dir = format!("{}/locales", crate::domain::testing::root());
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("locales/ readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = LOCALE_FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, listed, "LOCALE_FILES lists every file of locales/");
    }

    #[test]
    fn the_subset_is_read_and_anything_else_refused() {
        let [en, zh] = parse_locales([
            "# note\n_version: 2\na.b:\n  en: \"say \\\"hi\\\" \\\\ %{n}\"\n  zh: \"你好\"\n",
        ])
        .unwrap();
        assert_eq!(en.get("a.b"), Some("say \"hi\" \\ %{n}"));
        assert_eq!(zh.get("a.b"), Some("你好"));
        assert_eq!((en.lang(), zh.lang()), (Lang::En, Lang::Zh));
        for bad in [
            "a:\n  en: 'single'\n  zh: \"x\"\n",
            "a:\n  en: \"x\"\n",
            "a:\n  en: \"x\\n\"\n  zh: \"x\"\n",
            "a:\n  fr: \"x\"\n",
            "  en: \"orphan\"\n",
            "a:\n  en: \"x\" # trailing\n  zh: \"x\"\n",
            "a:\n  en: \"x\"\n  en: \"y\"\n  zh: \"x\"\n",
            "a b:\n",
            "key: value\n",
        ] {
            assert!(parse_locales([bad]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_builtin_catalogs_load() {
        assert!(Catalog::builtin(Lang::En).texts().len() > 50);
        assert_eq!(
            Catalog::builtin(Lang::Zh).get("test.placeholder"),
            Some("%{n} 秒")
        );
    }
}
