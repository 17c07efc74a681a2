//! Small browser services for components: clipboard, new tabs, local time, randomness.

use wasm_bindgen_futures::JsFuture;

use crate::domain::message::Lang;
use crate::domain::url::{Page, UrlParser, UrlParts};

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

/// Formats epoch milliseconds as a local date and time in `lang`'s conventions (the browser's own
/// English variant, or mainland Chinese): the formatter of `Arg::Time` message values.
pub fn local_time(ms: i64, lang: Lang) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let format = |locale: &str| {
        date.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED)
            .as_string()
            .unwrap_or_default()
    };
    // English in the browser's own English variant (en-GB, en-US…), Chinese as in mainland China.
    let browser = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    match lang {
        Lang::En if browser.starts_with("en") => format(&browser),
        Lang::En => format("en"),
        Lang::Zh => format("zh-CN"),
    }
}

/// A uniformly random seed in 0..=max.
pub fn random_seed(max: u32) -> u32 {
    (js_sys::Math::random() * (f64::from(max) + 1.0)).floor() as u32
}

/// Saves a blob as a file by clicking a temporary `download` link. False if the page could not.
pub fn save_blob(blob: &web_sys::Blob, file_name: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Ok(object_url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return false;
    };
    let saved = (|| {
        let document = web_sys::window()?.document()?;
        let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&object_url);
        a.set_download(file_name);
        document.body()?.append_child(&a).ok()?;
        a.click();
        a.remove();
        Some(())
    })();
    // Release the blob once the download has surely started.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&object_url);
    })
    .forget();
    saved.is_some()
}

/// Saves text as a file.
pub fn save_text(text: &str, file_name: &str, mime: &str) -> bool {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map(|b| save_blob(&b, file_name))
        .unwrap_or(false)
}

/// The first file chosen in a file input.
pub fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    input.files()?.get(0)
}

/// A file's contents as text.
pub async fn read_text(file: &web_sys::Blob) -> Option<String> {
    JsFuture::from(file.text()).await.ok()?.as_string()
}

/// Today's local date as `YYYY-MM-DD`, for file names.
pub fn local_date(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// The start of the local month that `ms` falls in, in ms since the epoch.
pub fn local_month_start(ms: i64) -> i64 {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let start = js_sys::Date::new_with_year_month_day(d.get_full_year(), d.get_month() as i32, 1);
    start.get_time() as i64
}

/// Moves keyboard focus to the element with this id and scrolls it into view.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.scroll_into_view();
        let _ = el.focus();
    }
}

/// The browser's own URL parser (`new URL(input, base)`) as the domain's [`UrlParser`].
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserUrl;

impl UrlParser for BrowserUrl {
    fn parse(&self, input: &str, base: Option<&str>) -> Option<UrlParts> {
        let url = match base {
            Some(b) => web_sys::Url::new_with_base(input, b),
            None => web_sys::Url::new(input),
        }
        .ok()?;
        Some(UrlParts {
            href: url.href(),
            protocol: url.protocol(),
            username: url.username(),
            password: url.password(),
            hostname: url.hostname(),
            port: url.port(),
            pathname: url.pathname(),
            search: url.search(),
            hash: url.hash(),
            origin: url.origin(),
        })
    }
}

/// Where this page is (`location.href` and `location.origin`).
pub fn page() -> Page {
    let location = web_sys::window().map(|w| w.location());
    Page {
        href: location
            .as_ref()
            .and_then(|l| l.href().ok())
            .unwrap_or_default(),
        origin: location
            .as_ref()
            .and_then(|l| l.origin().ok())
            .unwrap_or_default(),
    }
}
