//! Settings: the API key (masked, show/hide, forget), the endpoint (DMXAPI sites or a custom
//! URL), the `X-DashScope-Async` switch, prices, notifications and the theme.
//!
//! The section folds away once it is set up: it opens by itself while no key is stored (or the
//! endpoint is not valid), and starts folded, with a one-line summary, once both are in place
//! (and in demo mode). The heading's button opens and closes it at any time (the APG disclosure
//! pattern: `aria-expanded` + `aria-controls`). It never folds under the user's hands: a key
//! typed in this visit leaves it open until the next load.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::msg::{text_with_code, Msg};
use super::theme_switch::ThemeSwitch;
use crate::domain::message::{text, text_with, text_with_each, Bilingual};
use crate::domain::settings::{
    fingerprint, key_shape_warning, normalise_key, CUSTOM, DEMO_ENDPOINT, PRESETS,
};
use crate::state::{use_app_state, use_i18n};

/// The id of the button that opens and closes the Settings section.
pub const SETTINGS_TOGGLE_ID: &str = "settings-toggle";
/// The id of the API key field.
pub const API_KEY_ID: &str = "api-key";
const BODY_ID: &str = "settings-body";
const SUMMARY_ID: &str = "settings-summary";

/// Opens the Settings section if it is folded and puts the focus in the API key field (the
/// first-run guide's "paste it in Settings" step). In demo mode, which has no key field, it only
/// opens the section.
pub fn focus_key_field() {
    let by_id = |id: &str| {
        document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    if let Some(toggle) = by_id(SETTINGS_TOGGLE_ID) {
        if toggle.get_attribute("aria-expanded").as_deref() != Some("true") {
            toggle.click();
        }
    }
    // The section unfolds in the next reactive tick; focus once it has.
    set_timeout(
        move || {
            if let Some(field) = by_id(API_KEY_ID) {
                let _ = field.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

/// True when the keyboard focus is inside the element `id`.
fn focus_inside(id: &str) -> bool {
    let active = document().active_element();
    document()
        .get_element_by_id(id)
        .zip(active)
        .is_some_and(|(el, active)| el.contains(Some(&active)))
}

/// The settings section.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    // Set up = nothing left to do here before generating.
    let set_up = Memo::new(move |_| {
        state.demo
            || (!state.key.with(String::is_empty) && state.settings.with(|s| s.endpoint().is_ok()))
    });
    let open = RwSignal::new(!set_up.get_untracked());
    // Whatever undoes the setup (a forgotten key, another tab, a broken custom URL) opens it.
    Effect::new(move |_| {
        if !set_up.get() && !open.get_untracked() {
            open.set(true);
        }
    });
    // The first task created in this visit proves the setup works: fold it away then, unless the
    // user is working in it right now.
    let submitted = Memo::new(move |_| {
        state.ledger.tasks().with(|t| {
            t.iter()
                .filter(|r| r.origin == crate::domain::task::Origin::Submitted)
                .count()
        })
    });
    let submitted_at_mount = submitted.get_untracked();
    Effect::new(move |_| {
        if submitted.get() > submitted_at_mount
            && set_up.get_untracked()
            && open.get_untracked()
            && !focus_inside(BODY_ID)
        {
            open.set(false);
        }
    });
    let summary = Memo::new(move |_| {
        let endpoint = state.settings.with(|s| s.endpoint().ok());
        state.key.with(|key| {
            (
                summary_template(state.demo, key.is_empty(), endpoint.as_deref()),
                key_tail(key),
            )
        })
    });
    let demo_note = text_with("settings.demo_note", &[("endpoint", DEMO_ENDPOINT)]);
    view! {
        <section class="panel settings" aria-labelledby="settings-h">
            <div class="settings-head">
                <h2 id="settings-h">
                    <button
                        type="button"
                        id=SETTINGS_TOGGLE_ID
                        class="settings-toggle"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=BODY_ID
                        aria-describedby=SUMMARY_ID
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        <span class="chevron" aria-hidden="true"></span>
                        {i18n.t("settings.title")}
                    </button>
                </h2>
                <p id=SUMMARY_ID class="settings-summary hint" hidden=move || open.get()>
                    {move || {
                        let (template, tail) = summary.get();
                        text_with_code(i18n.pick(&template), "key", &tail)
                    }}
                </p>
            </div>
            {state
                .demo
                .then(|| {
                    view! {
                        <div class="demo-banner" role="note">
                            <p>
                                <Msg text=demo_note.clone() />
                            </p>
                            <a href="./">{i18n.t("settings.leave_demo")}</a>
                        </div>
                    }
                })}
            <div id=BODY_ID class="settings-body" hidden=move || !open.get()>
                {(!state.demo).then(|| view! { <KeyField /> <EndpointField /> })}
                <AsyncSwitch />
                <PricingFields />
                <NotifyField />
                <ThemeSwitch />
            </div>
        </section>
    }
}

/// The one-line summary shown while Settings is folded: the endpoint, and `%{key}` where the
/// key's last four characters go (never more of the key; see [`key_tail`]).
fn summary_template(demo: bool, no_key: bool, endpoint: Option<&str>) -> Bilingual {
    if demo {
        return text("settings.summary_demo");
    }
    let endpoint = match endpoint {
        Some(url) if url.starts_with('/') => text_with("settings.summary_relay", &[("path", url)]),
        Some(url) => Bilingual::same(host_of(url)),
        None => text("settings.summary_bad_endpoint"),
    };
    // `%{key}` stays in the template: the view shows the key's tail as code.
    if no_key {
        text_with_each("settings.summary_no_key", &[("endpoint", &endpoint)])
    } else {
        text_with_each("settings.summary", &[("endpoint", &endpoint)])
    }
}

/// The masked fingerprint without its head: `…abcd` (only the last four characters), or `…`
/// for a key too short to show any.
fn key_tail(key: &str) -> String {
    let fp = fingerprint(key);
    match fp.find('…') {
        Some(i) => fp[i..].to_string(),
        None => "…".into(),
    }
}

/// The host (with port) of an absolute URL, or the URL itself when it has none.
fn host_of(url: &str) -> &str {
    url.split("//")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or(url)
}

/// The API key field with show/hide and forget.
#[component]
fn KeyField() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let (shown, set_shown) = signal(false);
    let (note, set_note) = signal(None::<Bilingual>);
    let warning = Memo::new(move |_| state.key.with(|k| key_shape_warning(k)));
    view! {
        <div class="field">
            <label for=API_KEY_ID>{i18n.t("settings.key_label")}</label>
            <div class="row">
                <input
                    id=API_KEY_ID
                    name="api-key"
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                    placeholder="sk-…"
                    aria-describedby="api-key-hint"
                    prop:value=move || state.key.get()
                    on:input=move |ev| {
                        let n = normalise_key(&event_target_value(&ev));
                        set_note.set(n.note);
                        state.set_key.run(n.key);
                    }
                />
                <button
                    type="button"
                    aria-pressed=move || shown.get().to_string()
                    aria-controls=API_KEY_ID
                    on:click=move |_| set_shown.update(|s| *s = !*s)
                >
                    {move || {
                        if shown.get() {
                            i18n.now("settings.hide_key")
                        } else {
                            i18n.now("settings.show_key")
                        }
                    }}
                </button>
                <button
                    type="button"
                    on:click=move |_| {
                        state.forget_key.run(());
                        set_note.set(None);
                        set_shown.set(false);
                    }
                >
                    {i18n.t("settings.forget_key")}
                </button>
            </div>
            <p id="api-key-hint" class="hint">
                {move || {
                    let key = state.key.get();
                    if key.is_empty() {
                        i18n.now("settings.key_hint_empty")
                    } else {
                        i18n.pick(
                            &text_with("settings.key_saved", &[("fingerprint", &fingerprint(&key))]),
                        )
                    }
                }}
            </p>
            {move || note.get().map(|n| view! { <p class="hint note" role="status"><Msg text=n /></p> })}
            <div class="check-row">
                <input
                    id="remember-key"
                    type="checkbox"
                    aria-describedby="remember-hint"
                    prop:checked=move || state.settings.with(|s| s.remember_key)
                    on:change=move |ev| state.set_remember_key.run(event_target_checked(&ev))
                />
                <label for="remember-key">{i18n.t("settings.remember_label")}</label>
            </div>
            <p id="remember-hint" class="hint">{i18n.t("settings.remember_hint")}</p>
            {move || warning.get().map(|w| view! { <p class="hint warn"><Msg text=w /></p> })}
        </div>
    }
}

/// Endpoint choice: the three DMXAPI sites or a custom URL.
#[component]
fn EndpointField() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let choice = Memo::new(move |_| state.settings.with(|s| s.endpoint_choice.clone()));
    let is_custom = move || choice.get() == CUSTOM;
    let endpoint_error = Memo::new(move |_| state.settings.with(|s| s.endpoint().err()));
    view! {
        <div class="field">
            <label for="endpoint">{i18n.t("settings.endpoint_label")}</label>
            <select
                id="endpoint"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.set_settings.update(|s| s.endpoint_choice = v);
                }
            >
                {PRESETS
                    .into_iter()
                    .map(|p| {
                        view! {
                            <option value=p.url selected=move || choice.get() == p.url>
                                {p.label}
                            </option>
                        }
                    })
                    .collect_view()}
                <option value=CUSTOM selected=is_custom>
                    {i18n.t("settings.custom_option")}
                </option>
            </select>
            <p class="hint">{i18n.t("settings.endpoint_hint")}</p>
            <p class="hint mode" role="status">
                {move || state.settings.with(|s| s.endpoint().ok()).map(|url| view! { <Msg text=mode_text(&url) /> })}
            </p>
        </div>
        <Show when=is_custom>
            <div class="field">
                <label for="custom-endpoint">{i18n.t("settings.custom_label")}</label>
                <input
                    id="custom-endpoint"
                    type="url"
                    inputmode="url"
                    spellcheck="false"
                    placeholder="https://…/v1/responses"
                    aria-invalid=move || endpoint_error.get().is_some().to_string()
                    aria-describedby="custom-endpoint-error"
                    prop:value=move || state.settings.with(|s| s.custom_endpoint.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        state.set_settings.update(|s| s.custom_endpoint = v);
                    }
                />
                <div id="custom-endpoint-error">
                    {move || {
                        endpoint_error
                            .get()
                            .map(|e| view! { <p class="field-error" role="alert"><Msg text=e /></p> })
                    }}
                </div>
            </div>
        </Show>
    }
}

/// The `X-DashScope-Async` switch.
#[component]
fn AsyncSwitch() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    view! {
        <div class="field check">
            <input
                id="async-header"
                type="checkbox"
                role="switch"
                prop:checked=move || state.settings.with(|s| s.async_header)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    state.set_settings.update(|s| s.async_header = on);
                }
            />
            <label for="async-header">
                {move || text_with_code(i18n.now("settings.async_label"), "header", "X-DashScope-Async")}
            </label>
            <p class="hint">
                {move || {
                    text_with_code(i18n.now("settings.async_hint"), "header", "X-DashScope-Async: enable")
                }}
            </p>
        </div>
    }
}

/// The price per second used for estimates.
#[component]
fn PricingFields() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let rate = move |f: fn(&crate::domain::history::Pricing) -> f64| {
        move || state.settings.with(|s| format!("{}", f(&s.pricing)))
    };
    let set_rate = move |f: fn(&mut crate::domain::history::Pricing, f64)| {
        move |ev: leptos::ev::Event| {
            if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                if v.is_finite() && v >= 0.0 {
                    state.set_settings.update(|s| f(&mut s.pricing, v));
                }
            }
        }
    };
    view! {
        <fieldset class="pricing">
            <legend>{i18n.t("settings.pricing_legend")}</legend>
            <div class="grid3">
                <div class="field">
                    <label for="rate-720">{i18n.t("settings.rate_720")}</label>
                    <input id="rate-720" type="number" min="0" step="0.01" inputmode="decimal"
                        prop:value=rate(|p| p.per_second_720p)
                        on:change=set_rate(|p, v| p.per_second_720p = v) />
                </div>
                <div class="field">
                    <label for="rate-1080">{i18n.t("settings.rate_1080")}</label>
                    <input id="rate-1080" type="number" min="0" step="0.01" inputmode="decimal"
                        prop:value=rate(|p| p.per_second_1080p)
                        on:change=set_rate(|p, v| p.per_second_1080p = v) />
                </div>
                <div class="field">
                    <label for="currency">{i18n.t("settings.currency")}</label>
                    <input id="currency" type="text" maxlength="8"
                        prop:value=move || state.settings.with(|s| s.pricing.currency.clone())
                        on:change=move |ev| {
                            let v = event_target_value(&ev).trim().to_string();
                            state.set_settings.update(|s| s.pricing.currency = v);
                        } />
                </div>
            </div>
            <p class="hint">{i18n.t("settings.pricing_hint")}</p>
        </fieldset>
    }
}

/// Permission for a notification when a task ends in a background tab.
#[component]
fn NotifyField() -> impl IntoView {
    use crate::state::notify::{ask_permission, notifications_allowed};
    let i18n = use_i18n();
    let (allowed, set_allowed) = signal(notifications_allowed());
    view! {
        <div class="field">
            <Show
                when=move || allowed.get()
                fallback=move || view! {
                    <button type="button" on:click=move |_| ask_permission(move |ok| set_allowed.set(ok))>
                        {i18n.t("settings.notify_button")}
                    </button>
                }
            >
                <p class="hint">{i18n.t("settings.notify_on")}</p>
            </Show>
        </div>
    }
}

/// Says plainly how calls travel: straight from the browser, or through this site's relay.
fn mode_text(url: &str) -> Bilingual {
    if url.starts_with('/') {
        text_with("settings.mode_relay", &[("url", url)])
    } else {
        text_with("settings.mode_direct", &[("host", host_of(url))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHWXYZ";

    fn summary(demo: bool, key: &str, endpoint: Option<&str>) -> Bilingual {
        let t = summary_template(demo, key.is_empty(), endpoint);
        let tail = key_tail(key);
        Bilingual::from_fn(|lang| crate::domain::message::fill(t.pick(lang), &[("key", &tail)]))
    }

    #[test]
    fn the_summary_shows_the_endpoint_and_only_the_last_four_characters() {
        let s = summary(false, KEY, Some("https://www.dmxapi.cn/v1/responses"));
        assert_eq!(s.en, "www.dmxapi.cn · key …WXYZ");
        assert_eq!(s.zh, "www.dmxapi.cn · 密钥 …WXYZ");
        for text in [&s.en, &s.zh] {
            assert!(!text.contains("sk-"), "{text}");
            assert!(!text.contains("HWXYZ"), "{text}");
        }
        let relay = summary(false, KEY, Some("/dmxapi/v1/responses"));
        assert_eq!(
            relay.en,
            "this site's relay /dmxapi/v1/responses · key …WXYZ"
        );
        let local = summary(false, KEY, Some("http://127.0.0.1:9090/v1/responses"));
        assert_eq!(local.en, "127.0.0.1:9090 · key …WXYZ");
    }

    #[test]
    fn the_summary_says_what_is_missing() {
        let s = summary(false, "", Some("https://www.dmxapi.cn/v1/responses"));
        assert_eq!(s.en, "www.dmxapi.cn · no key yet");
        assert!(!s.en.contains("%{"), "{}", s.en);
        let s = summary(false, KEY, None);
        assert_eq!(s.en, "endpoint needs fixing · key …WXYZ");
        assert_eq!(key_tail("short"), "…");
        assert_eq!(summary(true, "", None).en, "Demo mode: local simulator");
    }

    #[test]
    fn the_mode_names_the_host_or_the_relay_path() {
        assert!(mode_text("https://www.dmxapi.cn/v1/responses")
            .en
            .contains("Your browser calls www.dmxapi.cn itself"));
        assert!(mode_text("/dmxapi/v1/responses")
            .en
            .contains("The page calls /dmxapi/v1/responses on this site"));
    }
}
