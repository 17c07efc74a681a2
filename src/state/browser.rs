//! Small browser services for components: clipboard, new tabs, local time, randomness.

use wasm_bindgen_futures::JsFuture;

/// Copies text to the clipboard (fire and forget; the browser may refuse without a gesture).
pub fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let promise = w.navigator().clipboard().write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Opens a URL in a new tab without giving it access to this page. False if blocked.
pub fn open_in_new_tab(url: &str) -> bool {
    web_sys::window()
        .and_then(|w| {
            w.open_with_url_and_target_and_features(url, "_blank", "noopener,noreferrer")
                .ok()
        })
        .is_some()
}

/// Formats epoch milliseconds as a local date and time, in the browser's locale.
pub fn local_time(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

/// A uniformly random seed in 0..=max.
pub fn random_seed(max: u32) -> u32 {
    (js_sys::Math::random() * (f64::from(max) + 1.0)).floor() as u32
}
