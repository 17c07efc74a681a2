//! Settings: the API key (masked, show/hide, forget), the endpoint (DMXAPI sites or a custom
//! URL) and the `X-DashScope-Async` switch.

use leptos::prelude::*;

use super::msg::Msg;
use super::theme_switch::ThemeSwitch;
use crate::domain::message::Bilingual;
use crate::domain::settings::{
    fingerprint, key_shape_warning, normalise_key, CUSTOM, DEMO_ENDPOINT, PRESETS,
};
use crate::state::use_app_state;

/// The settings section.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let state = use_app_state();
    view! {
        <section class="panel settings" aria-labelledby="settings-h">
            <h2 id="settings-h">"Settings"</h2>
            {if state.demo {
                view! {
                    <div class="demo-banner" role="note">
                        <p>
                            <Msg text=Bilingual::new(
                                format!("Demo mode: this page talks to the local simulator at {DEMO_ENDPOINT} with a throwaway key. Your saved key and endpoint are not used or changed."),
                                format!("演示模式：本页使用临时密钥连接本地模拟器 {DEMO_ENDPOINT}，不会使用或修改你保存的密钥和接口地址。"),
                            ) />
                        </p>
                        <a href="./">"Leave demo mode / 退出演示"</a>
                    </div>
                }
                    .into_any()
            } else {
                view! { <KeyField /> <EndpointField /> }.into_any()
            }}
            <AsyncSwitch />
            <PricingFields />
            <NotifyField />
            <ThemeSwitch />
        </section>
    }
}

/// The API key field with show/hide and forget.
#[component]
fn KeyField() -> impl IntoView {
    let state = use_app_state();
    let (shown, set_shown) = signal(false);
    let (note, set_note) = signal(None::<Bilingual>);
    let warning = Memo::new(move |_| state.key.with(|k| key_shape_warning(k)));
    view! {
        <div class="field">
            <label for="api-key">"API key"</label>
            <div class="row">
                <input
                    id="api-key"
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
                    aria-controls="api-key"
                    on:click=move |_| set_shown.update(|s| *s = !*s)
                >
                    {move || if shown.get() { "Hide key" } else { "Show key" }}
                </button>
                <button
                    type="button"
                    on:click=move |_| {
                        state.forget_key.run(());
                        set_note.set(None);
                        set_shown.set(false);
                    }
                >
                    "Forget key"
                </button>
            </div>
            <p id="api-key-hint" class="hint">
                {move || {
                    let key = state.key.get();
                    if key.is_empty() {
                        view! {
                            <Msg text=Bilingual::new(
                                "Stored only in this browser's local storage; sent only to the endpoint below.",
                                "仅保存在此浏览器的本地存储中，只发送到下方的接口地址。",
                            ) />
                        }
                            .into_any()
                    } else {
                        view! {
                            <Msg text=Bilingual::new(
                                format!("Saved on this device: {}", fingerprint(&key)),
                                format!("已保存在本设备：{}", fingerprint(&key)),
                            ) />
                        }
                            .into_any()
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
                <label for="remember-key">"Remember key on this device"</label>
            </div>
            <p id="remember-hint" class="hint">
                <Msg text=Bilingual::new(
                    "On: kept in this browser's local storage. Off: kept only for this tab and forgotten when it closes.",
                    "开启：保存在此浏览器的本地存储中。关闭：仅在此标签页中保留，关闭后即忘记。",
                ) />
            </p>
            {move || warning.get().map(|w| view! { <p class="hint warn"><Msg text=w /></p> })}
        </div>
    }
}

/// Endpoint choice: the three DMXAPI sites or a custom URL.
#[component]
fn EndpointField() -> impl IntoView {
    let state = use_app_state();
    let choice = Memo::new(move |_| state.settings.with(|s| s.endpoint_choice.clone()));
    let is_custom = move || choice.get() == CUSTOM;
    let endpoint_error = Memo::new(move |_| state.settings.with(|s| s.endpoint().err()));
    view! {
        <div class="field">
            <label for="endpoint">"API endpoint"</label>
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
                    "Custom URL"
                </option>
            </select>
            <p class="hint">
                <Msg text=Bilingual::new(
                    "A key works only on the DMXAPI site that issued it.",
                    "密钥只能在签发它的 DMXAPI 站点使用。",
                ) />
            </p>
            <p class="hint mode" role="status">
                {move || state.settings.with(|s| s.endpoint().ok()).map(|url| view! { <Msg text=mode_text(&url) /> })}
            </p>
        </div>
        <Show when=is_custom>
            <div class="field">
                <label for="custom-endpoint">"Custom endpoint URL"</label>
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
            <label for="async-header">"Send X-DashScope-Async header"</label>
            <p class="hint">
                <Msg text=Bilingual::new(
                    "The seed example sends X-DashScope-Async: enable; newer DMXAPI docs omit it. Turn off if your relay rejects it.",
                    "官方示例会发送 X-DashScope-Async: enable，较新的 DMXAPI 文档已省略。如转发服务拒绝该请求头，请关闭。",
                ) />
            </p>
        </div>
    }
}

/// The price per second used for estimates.
#[component]
fn PricingFields() -> impl IntoView {
    let state = use_app_state();
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
            <legend>"Price per second of video (for estimates)"</legend>
            <div class="grid3">
                <div class="field">
                    <label for="rate-720">"720P rate"</label>
                    <input id="rate-720" type="number" min="0" step="0.01" inputmode="decimal"
                        prop:value=rate(|p| p.per_second_720p)
                        on:change=set_rate(|p, v| p.per_second_720p = v) />
                </div>
                <div class="field">
                    <label for="rate-1080">"1080P rate"</label>
                    <input id="rate-1080" type="number" min="0" step="0.01" inputmode="decimal"
                        prop:value=rate(|p| p.per_second_1080p)
                        on:change=set_rate(|p, v| p.per_second_1080p = v) />
                </div>
                <div class="field">
                    <label for="currency">"Currency"</label>
                    <input id="currency" type="text" maxlength="8"
                        prop:value=move || state.settings.with(|s| s.pricing.currency.clone())
                        on:change=move |ev| {
                            let v = event_target_value(&ev).trim().to_string();
                            state.set_settings.update(|s| s.pricing.currency = v);
                        } />
                </div>
            </div>
            <p class="hint">
                <Msg text=Bilingual::new(
                    "Defaults are Alibaba's list price (0.6 CNY/s at 720P, 1.0 CNY/s at 1080P); your provider's price may differ. Failed tasks are not charged.",
                    "默认值为阿里云标价（720P 0.6 元/秒，1080P 1.0 元/秒），服务商实际价格可能不同。失败的任务不计费。",
                ) />
            </p>
        </fieldset>
    }
}

/// Permission for a notification when a task ends in a background tab.
#[component]
fn NotifyField() -> impl IntoView {
    use crate::state::notify::{ask_permission, notifications_allowed};
    let (allowed, set_allowed) = signal(notifications_allowed());
    view! {
        <div class="field">
            <Show
                when=move || allowed.get()
                fallback=move || view! {
                    <button type="button" on:click=move |_| ask_permission(move |ok| set_allowed.set(ok))>
                        "Notify me when a task ends"
                    </button>
                }
            >
                <p class="hint">
                    <Msg text=Bilingual::new(
                        "Notifications are on: you will be told when a task ends while this tab is in the background.",
                        "通知已开启：此标签页在后台时，任务结束会通知你。",
                    ) />
                </p>
            </Show>
        </div>
    }
}

/// Says plainly how calls travel: straight from the browser, or through this site's relay.
fn mode_text(url: &str) -> Bilingual {
    if url.starts_with('/') {
        Bilingual::new(
            format!("Mode: same-origin relay. The page calls {url} on this site, which forwards to DMXAPI; no CORS permission is needed, and your key passes through this site's server."),
            format!("模式：同源转发。页面调用本站的 {url}，由本站服务器转发到 DMXAPI；无需 CORS 许可，密钥会经过本站服务器。"),
        )
    } else {
        let host = url
            .split("//")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or(url);
        Bilingual::new(
            format!("Mode: direct. Your browser calls {host} itself; that site must allow calls from web pages (CORS). If it does not, use a same-origin relay path."),
            format!("模式：直连。浏览器直接调用 {host}；该站点需允许网页调用（CORS）。如不允许，请使用同源转发路径。"),
        )
    }
}
