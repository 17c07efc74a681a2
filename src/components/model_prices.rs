//! Settings: the price of each model outside wan2.6, for the estimates — the model table's list
//! price unless the user sets their own (their relay may charge differently). Drawn only when
//! opened: fifteen models' fields are not part of the first screen.

use leptos::prelude::*;

use super::text::Text;
use crate::domain::card::mode_name;
use crate::domain::cost::{list_price, price_parts, PricePart, Rate};
use crate::domain::form::Tier;
use crate::domain::message::Msg;
use crate::domain::models::{Family, Mode, MODES};
use crate::state::{use_app_state, use_i18n};

/// "Prices of the other models": a disclosure with one group of fields per model and mode.
#[component]
pub fn ModelPrices() -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    view! {
        <details
            class="model-prices"
            on:toggle=move |ev| {
                let details: web_sys::HtmlDetailsElement = event_target(&ev);
                open.set(details.open());
            }
        >
            <summary>{i18n.t("settings.model_prices")}</summary>
            <p class="hint">{i18n.t("settings.model_prices_hint")}</p>
            <Show when=move || open.get()>
                {MODES
                    .iter()
                    .map(|s| s.mode)
                    .filter(|m| m.spec().family != Family::Wan26)
                    .map(|mode| view! { <ModePrice mode=mode /> })
                    .collect_view()}
            </Show>
        </details>
    }
}

/// One model and mode: a field per part of its price, empty for the list price.
#[component]
fn ModePrice(
    /// The model and mode.
    mode: Mode,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let fields = price_parts(mode)
        .iter()
        .map(|&part| {
            let (key, tag) = match part {
                PricePart::PerSecond(Tier::P720) => ("settings.price_720", "720"),
                PricePart::PerSecond(Tier::P1080) => ("settings.price_1080", "1080"),
                PricePart::PerVideo => ("settings.price_video", "video"),
            };
            let id = format!("price-{}-{tag}", mode.key());
            let hint_id = format!("{id}-hint");
            let list = match list_price(mode, part) {
                Some(r) => Msg::new("settings.price_list").with("price", r.to_string()),
                None => Msg::new("settings.price_no_list"),
            };
            let own = move || {
                state
                    .settings
                    .with(|s| s.pricing.own(mode, part))
                    .map(|r| r.to_string())
                    .unwrap_or_default()
            };
            view! {
                <div class="field">
                    <label for=id.clone()>{i18n.t(key)}</label>
                    <input
                        id=id
                        type="number"
                        min="0"
                        step="0.01"
                        inputmode="decimal"
                        aria-describedby=hint_id.clone()
                        prop:value=own
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            let rate = if text.trim().is_empty() { Some(None) } else { Rate::parse(&text).map(Some) };
                            match rate {
                                Some(rate) => state.set_settings.update(|s| s.pricing.set_own(mode, part, rate)),
                                // Not a price: the field shows what is kept.
                                None => {
                                    let input: web_sys::HtmlInputElement = event_target(&ev);
                                    input.set_value(&own());
                                }
                            }
                        }
                    />
                    <p id=hint_id class="hint"><Text msg=list /></p>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="mode-price">
            <legend>{move || i18n.render(&mode_name(mode))}</legend>
            <div class="grid3">{fields}</div>
        </fieldset>
    }
}
