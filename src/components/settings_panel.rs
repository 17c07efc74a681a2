//! Settings: the API key (masked, show/hide, forget), the endpoint (DMXAPI sites or a custom
//! URL), the `X-DashScope-Async` switch, prices, notifications and the theme.
//!
//! The section folds away once it is set up (the rule is `state::disclosure`'s): the heading's
//! button opens and closes it at any time (the APG disclosure pattern: `aria-expanded` +
//! `aria-controls`), and a one-line summary stands in for it while folded.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::check_field::CheckField;
use super::kept_videos::KeptVideos;
use super::model_prices::ModelPrices;
use super::text::Text;
use super::theme_switch::ThemeSwitch;
use crate::domain::cost::{Pricing, Rate};
use crate::domain::message::Msg;
use crate::domain::settings::{
    check_key, fingerprint, key_shape_warning, normalise_key, CUSTOM, PRESETS,
};
use crate::domain::url::{Endpoint, EndpointKind};
use crate::state::browser::{page, BrowserUrl};
use crate::state::disclosure::use_settings_disclosure;
use crate::state::{use_app_state, use_i18n};

/// The id of the button that opens and closes the Settings section.
const SETTINGS_TOGGLE_ID: &str = "settings-toggle";
/// The id of the API key field.
const API_KEY_ID: &str = "api-key";
const BODY_ID: &str = "settings-body";
const SUMMARY_ID: &str = "settings-summary";

/// The settings section.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let disclosure = use_settings_disclosure();
    let open = disclosure.open;
    let summary = Memo::new(move |_| {
        let endpoint = state
            .settings
            .with(|s| s.endpoint(&page(), &BrowserUrl).ok());
        state
            .key
            .with(|key| summary_text(state.demo, key, endpoint.as_ref()))
    });
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
                        on:click=move |_| disclosure.toggle()
                    >
                        <span class="chevron" aria-hidden="true"></span>
                        {i18n.t("settings.title")}
                    </button>
                </h2>
                <p id=SUMMARY_ID class="settings-summary hint" hidden=move || open.get()>
                    {move || view! { <Text msg=summary.get() /> }}
                </p>
            </div>
            <div
                id=BODY_ID
                class="settings-body"
                hidden=move || !open.get()
                on:focusin=move |_| disclosure.set_focus_inside(true)
                on:focusout=move |ev| {
                    // Still inside when the focus moves to another field of the section.
                    let next = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    let current = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    let inside = current.zip(next).is_some_and(|(c, n)| c.contains(Some(&n)));
                    disclosure.set_focus_inside(inside);
                }
            >
                {(!state.demo).then(|| view! { <KeyField /> <EndpointField /> })}
                <AsyncSwitch />
                <PricingFields />
                {(!state.demo).then(|| view! { <KeptVideos /> })}
                <NotifyField />
                <ThemeSwitch />
            </div>
        </section>
    }
}

/// The one-line summary shown while Settings is folded: the endpoint, and `%{key}` where the
/// key's last four characters go (never more of the key; see [`key_tail`]).
fn summary_text(demo: bool, key: &str, endpoint: Option<&Endpoint>) -> Msg {
    if demo {
        return Msg::new("settings.summary_demo");
    }
    let endpoint = match endpoint {
        Some(e) if e.kind == EndpointKind::SameOrigin => {
            Msg::new("settings.summary_relay").with("path", &e.shown)
        }
        Some(e) => Msg::verbatim(e.host.clone()),
        None => Msg::new("settings.summary_bad_endpoint"),
    };
    if key.is_empty() {
        Msg::new("settings.summary_no_key").with("endpoint", endpoint)
    } else {
        Msg::new("settings.summary")
            .with("endpoint", endpoint)
            .with_code("key", &key_tail(key))
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

/// The API key field with show/hide and forget.
#[component]
fn KeyField() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let (shown, set_shown) = signal(false);
    let (note, set_note) = signal(None::<Msg>);
    let warning = Memo::new(move |_| state.key.with(|k| key_shape_warning(k)));
    // A key that cannot be sent (a character a header cannot carry), named: shown as an error.
    let unusable = Memo::new(move |_| {
        state
            .key
            .with(|k| (!k.is_empty()).then(|| check_key(k)).flatten())
    });
    view! {
        <div class="field">
            <label for=API_KEY_ID>{i18n.t("settings.key_label")}</label>
            <div class="row">
                <input
                    node_ref=use_settings_disclosure().key_field
                    id=API_KEY_ID
                    name="api-key"
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete="off"
                    spellcheck="false"
                    autocapitalize="off"
                    placeholder="sk-…"
                    aria-describedby="api-key-hint api-key-error"
                    aria-invalid=move || unusable.with(Option::is_some).to_string()
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
                            i18n.render(&Msg::new("settings.hide_key"))
                        } else {
                            i18n.render(&Msg::new("settings.show_key"))
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
                        i18n.render(&Msg::new("settings.key_hint_empty"))
                    } else {
                        i18n.render(
                            &Msg::new("settings.key_saved").with("fingerprint", fingerprint(&key)),
                        )
                    }
                }}
            </p>
            {move || note.get().map(|n| view! { <p class="hint note" role="status"><Text msg=n /></p> })}
            <div id="api-key-error">
                {move || unusable.get().map(|e| view! { <p class="field-error" role="alert"><Text msg=e /></p> })}
            </div>
            <CheckField
                id="remember-key"
                label=Msg::new("settings.remember_label")
                hint=Msg::new("settings.remember_hint")
                checked=Signal::derive(move || state.settings.with(|s| s.remember_key))
                on_change=state.set_remember_key
            />
            {move || warning.get().map(|w| view! { <p class="hint warn"><Text msg=w /></p> })}
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
    let endpoint = Memo::new(move |_| state.settings.with(|s| s.endpoint(&page(), &BrowserUrl)));
    let endpoint_error = Memo::new(move |_| endpoint.with(|e| e.as_ref().err().cloned()));
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
                {move || endpoint.get().ok().map(|e| view! { <Text msg=mode_text(&e) /> })}
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
                            .map(|e| view! { <p class="field-error" role="alert"><Text msg=e /></p> })
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

    view! {
        <CheckField
            id="async-header"
            switch=true
            label=Msg::new("settings.async_label").with_code("header", "X-DashScope-Async")
            hint=Msg::new("settings.async_hint").with_code("header", "X-DashScope-Async: enable")
            checked=Signal::derive(move || state.settings.with(|s| s.async_header))
            on_change=Callback::new(move |on| state.set_settings.update(|s| s.async_header = on))
        />
    }
}

/// The price per second used for estimates.
#[component]
fn PricingFields() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    view! {
        <fieldset class="pricing">
            <legend>{i18n.t("settings.pricing_legend")}</legend>
            <div class="grid3">
                <RateField id="rate-720" label="settings.rate_720" get=|p| p.per_second_720p set=|p, v| p.per_second_720p = v />
                <RateField id="rate-1080" label="settings.rate_1080" get=|p| p.per_second_1080p set=|p, v| p.per_second_1080p = v />
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
            <ModelPrices />
        </fieldset>
    }
}

/// One per-second rate; only a non-negative decimal number is kept.
#[component]
fn RateField(
    /// Element id.
    id: &'static str,
    /// The label's catalog key.
    label: &'static str,
    /// Reads the rate.
    get: fn(&Pricing) -> Rate,
    /// Writes the rate.
    set: fn(&mut Pricing, Rate),
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{i18n.t(label)}</label>
            <input id=id type="number" min="0" step="0.01" inputmode="decimal"
                prop:value=move || state.settings.with(|s| get(&s.pricing).to_string())
                on:change=move |ev| {
                    if let Some(v) = Rate::parse(&event_target_value(&ev)) {
                        state.set_settings.update(|s| set(&mut s.pricing, v));
                    }
                } />
        </div>
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

/// Says plainly how calls travel, naming exactly what the browser calls (origin in punycode,
/// path): straight from the browser, or through this site's relay.
fn mode_text(endpoint: &Endpoint) -> Msg {
    match endpoint.kind {
        EndpointKind::SameOrigin => Msg::new("settings.mode_relay").with("url", &endpoint.shown),
        EndpointKind::Direct => Msg::new("settings.mode_direct").with("host", &endpoint.shown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::url::parse_endpoint;
    use crate::domain::url::testing::{page, Whatwg};

    const KEY: &str = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHWXYZ";

    fn at(url: &str) -> Endpoint {
        parse_endpoint(url, &page(), &Whatwg).unwrap()
    }

    fn summary(demo: bool, key: &str, endpoint: Option<&str>) -> Msg {
        let endpoint = endpoint.map(at);
        summary_text(demo, key, endpoint.as_ref())
    }

    #[test]
    fn the_summary_shows_the_endpoint_and_only_the_last_four_characters() {
        let s = summary(false, KEY, Some("https://www.dmxapi.cn/v1/responses"));
        assert_eq!(s.en(), "www.dmxapi.cn · key …WXYZ");
        assert_eq!(s.zh(), "www.dmxapi.cn · 密钥 …WXYZ");
        for text in [&s.en(), &s.zh()] {
            assert!(!text.contains("sk-"), "{text}");
            assert!(!text.contains("HWXYZ"), "{text}");
        }
        let relay = summary(false, KEY, Some("/dmxapi/v1/responses"));
        assert_eq!(
            relay.en(),
            "this site's relay https://team.example/dmxapi/v1/responses · key …WXYZ"
        );
        let local = summary(false, KEY, Some("http://127.0.0.1:9090/v1/responses"));
        assert_eq!(local.en(), "127.0.0.1:9090 · key …WXYZ");
    }

    #[test]
    fn the_summary_says_what_is_missing() {
        let s = summary(false, "", Some("https://www.dmxapi.cn/v1/responses"));
        assert_eq!(s.en(), "www.dmxapi.cn · no key yet");
        assert!(!s.en().contains("%{"), "{}", s.en());
        let s = summary(false, KEY, None);
        assert_eq!(s.en(), "endpoint needs fixing · key …WXYZ");
        assert_eq!(key_tail("short"), "…");
        assert_eq!(summary(true, "", None).en(), "Demo mode: local simulator");
    }

    #[test]
    fn the_mode_names_what_is_really_called() {
        assert!(mode_text(&at("HTTPS://WWW.DMXAPI.CN/v1/responses"))
            .en()
            .contains("Your browser calls https://www.dmxapi.cn/v1/responses itself"));
        assert!(mode_text(&at("/dmxapi/v1/responses"))
            .en()
            .contains("The page calls https://team.example/dmxapi/v1/responses on this site"));
    }
}
