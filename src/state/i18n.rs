//! The interface language: English or Simplified Chinese, remembered in local storage; the
//! browser's preferred languages pick it on the first visit. Also keeps `<html lang>` in step so
//! screen readers pronounce the page in the right language. Messages become words here, through
//! [`I18n::render`] (and the `Text` component), and nowhere else.

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;

use super::browser::local_time;
use super::storage_keys::LANG_KEY;
use crate::domain::message::{Lang, Msg, Segment};

/// The language in effect and the translator for it. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language shown.
    pub lang: Signal<Lang>,
    set_stored: WriteSignal<String>,
}

impl I18n {
    /// `msg` in the current language (tracked when called in a reactive scope): the one render
    /// path of the page.
    pub fn render(self, msg: &Msg) -> String {
        msg.render(self.lang.get(), &local_time)
    }

    /// `msg` in the current language as pieces of text and code (tracked), for the `Text`
    /// component.
    pub fn segments(self, msg: &Msg) -> Vec<Segment> {
        msg.segments(self.lang.get(), &local_time)
    }

    /// The catalog text under `key`, as a reactive closure for `view!` (text or attribute): it
    /// follows the language switch.
    pub fn t(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.render(&Msg::new(key))
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
