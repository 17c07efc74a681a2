//! The interface language: English or Simplified Chinese, remembered in local storage; the
//! browser's preferred languages pick it on the first visit. Also keeps `<html lang>` in step so
//! screen readers pronounce the page in the right language.

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;

use crate::domain::message::{fill, tr, Bilingual, Lang};

/// Local-storage key of the language choice (`en` or `zh`).
pub const LANG_KEY: &str = "wan-studio.lang.v1";

/// The language in effect and the translator for it. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language shown.
    pub lang: Signal<Lang>,
    set_stored: WriteSignal<String>,
}

impl I18n {
    /// The text under `key` in the current language, as a reactive closure for `view!` (text or
    /// attribute): it follows the language switch.
    pub fn t(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || tr(self.lang.get(), key)
    }

    /// The text under `key` in the current language, now (tracked when called in a reactive
    /// scope).
    pub fn now(self, key: &str) -> String {
        tr(self.lang.get(), key)
    }

    /// [`I18n::now`] with each `%{name}` replaced by its value.
    pub fn now_with(self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&tr(self.lang.get(), key), args)
    }

    /// A bilingual message in the current language (tracked).
    pub fn pick(self, text: &Bilingual) -> String {
        text.pick(self.lang.get()).to_string()
    }

    /// Switches the language and remembers the choice in this browser.
    pub fn set(self, lang: Lang) {
        self.set_stored.set(lang.code().to_string());
    }
}

fn browser_preference() -> Lang {
    let languages: Vec<String> = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default();
    Lang::from_preferences(&languages)
}

/// Creates the language state and provides it as context (once, from the app state).
pub fn provide_i18n() -> I18n {
    let (stored, set_stored, _) = use_local_storage::<String, FromToStringCodec>(LANG_KEY);
    let fallback = browser_preference();
    let lang = Memo::new(move |_| stored.with(|s| Lang::from_code(s)).unwrap_or(fallback));
    Effect::new(move |_| {
        let tag = lang.get().html_tag();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    let i18n = I18n {
        lang: lang.into(),
        set_stored,
    };
    provide_context(i18n);
    i18n
}

/// The language state from context (provided with the app state).
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
