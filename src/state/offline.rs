//! The installable offline shell: registering the service worker (written by `scripts/pwa.mjs`
//! for release builds), and whether the browser is online.

use leptos::prelude::*;

/// Registers `sw.js` next to the page, where service workers are possible (http(s), not
/// `file://`). A missing worker (development builds) is ignored.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "https:" && protocol != "http:" {
        return;
    }
    let container = window.navigator().service_worker();
    let promise = container.register("sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// Asks the service worker to keep one of this build's language catalogs (a file the page has just
/// loaded) for offline use; the worker takes only names of its own build's catalogs, from the HTTP
/// cache where it can. No-op without a worker.
pub fn keep_offline(catalog_url: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "https:" && protocol != "http:" {
        return;
    }
    let Ok(ready) = window.navigator().service_worker().ready() else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"catalog".into(), &catalog_url.into());
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(registration) = wasm_bindgen_futures::JsFuture::from(ready).await {
            let registration: web_sys::ServiceWorkerRegistration =
                wasm_bindgen::JsCast::unchecked_into(registration);
            if let Some(worker) = registration.active() {
                let _ = worker.post_message(&message);
            }
        }
    });
}

/// True while the browser says it is online; follows the `online`/`offline` events.
pub fn use_online() -> Signal<bool> {
    let now = || {
        web_sys::window()
            .map(|w| w.navigator().on_line())
            .unwrap_or(true)
    };
    let (online, set_online) = signal(now());
    let a = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let b = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        a.remove();
        b.remove();
    });
    online.into()
}
