//! The interface language: English or Simplified Chinese, remembered in local storage; the
//! browser's preferred languages pick it on the first visit. Also keeps `<html lang>` in step so
//! screen readers pronounce the page in the right language. Messages become words here, through
//! [`I18n::render`] (and the `Text` component), and nowhere else.
//!
//! Only the shown language's words are loaded: the boot script in `index.html` starts fetching that
//! language's catalog (`locales/<lang>.<hash>.json`, written by `scripts/catalog.mjs`) while the
//! wasm downloads, `main` awaits it before mounting (so the first paint is already in the right
//! language), and switching fetches the other one and swaps only once it has arrived (no flash of
//! keys or of the other language). The service worker keeps every catalog a page has loaded.

use std::cell::RefCell;
use std::sync::Arc;

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;
use wasm_bindgen::{JsCast, JsValue};

use super::browser::local_time;
use super::storage_keys::LANG_KEY;
use crate::domain::catalog::Catalog;
use crate::domain::message::{Lang, Msg, Segment};

/// A loaded catalog, shared; two are equal only if they are the same load (cheap to compare).
#[derive(Clone)]
struct Shown(Arc<Catalog>);

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The language in effect and the translator for it. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language shown (the language of the loaded catalog).
    pub lang: Signal<Lang>,
    /// True while the language the user chose could not be loaded (offline, never loaded here).
    pub unavailable: Signal<bool>,
    shown: Memo<Shown>,
    wanted: Memo<Lang>,
    other: LocalResource<Option<Result<Shown, ()>>>,
    set_stored: WriteSignal<String>,
}

impl I18n {
    /// `msg` in the current language (tracked when called in a reactive scope): the one render
    /// path of the page.
    pub fn render(self, msg: &Msg) -> String {
        self.shown.with(|c| msg.render(&c.0, &local_time))
    }

    /// `msg` in the current language as pieces of text and code (tracked), for the `Text`
    /// component.
    pub fn segments(self, msg: &Msg) -> Vec<Segment> {
        self.shown.with(|c| msg.segments(&c.0, &local_time))
    }

    /// Runs `f` with the catalog shown (tracked).
    pub fn with_catalog<R>(self, f: impl FnOnce(&Catalog) -> R) -> R {
        self.shown.with(|c| f(&c.0))
    }

    /// The catalog text under `key`, as a reactive closure for `view!` (text or attribute): it
    /// follows the language switch.
    pub fn t(self, key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.render(&Msg::new(key))
    }

    /// Switches the language and remembers the choice in this browser; choosing again a language
    /// that could not be loaded tries again.
    pub fn set(self, lang: Lang) {
        if lang == self.wanted.get_untracked() {
            if self.unavailable.get_untracked() {
                self.other.refetch();
            }
        } else {
            self.set_stored.set(lang.code().to_string());
        }
    }
}

thread_local! {
    static BOOT: RefCell<Option<Catalog>> = const { RefCell::new(None) };
}

/// Hands the catalog the page starts with to the app (from `main`, before mounting; browser tests
/// pass a built-in one).
pub fn preload(catalog: Catalog) {
    BOOT.with(|b| *b.borrow_mut() = Some(catalog));
}

/// The boot script's fetch of the shown language's catalog (`window.wanBoot`), or, if it failed,
/// one more try; `None` when the words cannot be had.
pub async fn load_boot_catalog() -> Option<Catalog> {
    let boot = js_sys::Reflect::get(&window(), &"wanBoot".into()).ok()?;
    let lang = js_sys::Reflect::get(&boot, &"lang".into())
        .ok()
        .and_then(|l| l.as_string())
        .and_then(|l| Lang::from_code(&l))
        .unwrap_or_default();
    let first = settled(js_sys::Reflect::get(&boot, &"text".into()))
        .await
        .and_then(|t| t.as_string())
        .and_then(|t| parse_catalog(lang, &t));
    match first {
        Some(c) => {
            if let Some(url) = catalog_url(lang) {
                super::offline::keep_offline(&url);
            }
            Some(c)
        }
        None => fetch_catalog(lang).await.ok(),
    }
}

/// The file name the build gave `lang`'s catalog (`window.wanCatalogs`, set by the boot script).
fn catalog_url(lang: Lang) -> Option<String> {
    let files = js_sys::Reflect::get(&window(), &"wanCatalogs".into()).ok()?;
    js_sys::Reflect::get(&files, &JsValue::from_str(lang.code()))
        .ok()?
        .as_string()
}

/// Resolves once the browser has shown the pre-drawn first screen (`window.wanShown`, from the
/// boot script; at once without it).
pub async fn first_screen_shown() {
    settled(js_sys::Reflect::get(&window(), &"wanShown".into())).await;
}

/// What a promise the boot script left resolves to; `None` if it is no promise or it failed.
async fn settled(value: Result<JsValue, JsValue>) -> Option<JsValue> {
    let promise = value.ok()?.dyn_into::<js_sys::Promise>().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()
}

/// Removes the first screen `index.html` draws before the wasm runs (`scripts/catalog.mjs`).
pub fn remove_first_screen() {
    if let Ok(drawn) = document().query_selector_all(".first-screen") {
        for i in 0..drawn.length() {
            if let Some(node) = drawn.item(i) {
                if let Some(parent) = node.parent_node() {
                    let _ = parent.remove_child(&node);
                }
            }
        }
    }
}

/// Shows, in both languages, that the page's words could not be loaded (instead of the app).
pub fn show_boot_failure() {
    if let Some(body) = document().body() {
        let p = document().create_element("p").ok();
        if let Some(p) = p {
            let _ = p.set_attribute("role", "alert");
            p.set_text_content(Some(
                "The page's words could not be loaded (network). Check the connection and reload. · \
                 无法加载页面文字（网络问题）。请检查网络后重新加载。",
            ));
            let _ = body.append_child(&p);
        }
    }
}

/// A catalog file's text (a JSON object of key → text), read by the browser's own JSON.
fn parse_catalog(lang: Lang, text: &str) -> Option<Catalog> {
    let value = js_sys::JSON::parse(text).ok()?;
    let object = value.dyn_ref::<js_sys::Object>()?;
    let entries = js_sys::Object::entries(object);
    let pairs = entries.iter().filter_map(|pair| {
        let pair: js_sys::Array = pair.unchecked_into();
        Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
    });
    Some(Catalog::new(lang, pairs))
}

/// Fetches `lang`'s catalog by the name the build gave it, and has the service worker keep it.
async fn fetch_catalog(lang: Lang) -> Result<Catalog, ()> {
    let url = catalog_url(lang).ok_or(())?;
    let reply = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|_| ())?;
    if !reply.ok() {
        return Err(());
    }
    let text = reply.text().await.map_err(|_| ())?;
    let catalog = parse_catalog(lang, &text).ok_or(())?;
    super::offline::keep_offline(&url);
    Ok(catalog)
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
    let wanted = Memo::new(move |_| stored.with(|s| Lang::from_code(s)).unwrap_or(fallback));
    let boot = Shown(Arc::new(
        BOOT.with(|b| b.borrow().clone())
            .unwrap_or_else(|| Catalog::new(wanted.get_untracked(), [])),
    ));
    let boot_lang = boot.0.lang();
    let other = LocalResource::new(move || {
        let want = wanted.get();
        async move {
            if want == boot_lang {
                None
            } else {
                Some(fetch_catalog(want).await.map(|c| Shown(Arc::new(c))))
            }
        }
    });
    let shown = Memo::new(move |prev: Option<&Shown>| {
        let want = wanted.get();
        if want == boot_lang {
            return boot.clone();
        }
        match other.get() {
            Some(Some(Ok(c))) if c.0.lang() == want => c,
            _ => prev.cloned().unwrap_or_else(|| boot.clone()),
        }
    });
    let lang = Memo::new(move |_| shown.with(|c| c.0.lang()));
    let unavailable = Memo::new(move |_| {
        wanted.get() != lang.get() && matches!(other.get(), Some(Some(Err(()))))
    });
    Effect::new(move |_| {
        let tag = lang.get().html_tag();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    let i18n = I18n {
        lang: lang.into(),
        unavailable: unavailable.into(),
        shown,
        wanted,
        other,
        set_stored,
    };
    provide_context(i18n);
    i18n
}

/// The language state from context (provided with the app state).
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
