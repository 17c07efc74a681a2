//! "Spend by day and month": per model, what the relay billed at submit beside the estimate at
//! your prices. Read from every stored task only while it is open (never on load).

use leptos::prelude::*;

use super::text::Text;
use crate::domain::card::mode_name;
use crate::domain::cost::units_cny;
use crate::domain::message::Msg;
use crate::domain::spend::{spend, Period};
use crate::state::browser::local_date;
use crate::state::{use_app_state, use_i18n};

/// The spend disclosure of the task list.
#[component]
pub fn SpendTable() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let period = RwSignal::new(Period::Month);
    let rows = LocalResource::new(move || {
        let (open, period) = (open.get(), period.get());
        let pricing = state.settings.with(|s| s.pricing.clone());
        // Read again after every change of the history.
        state.ledger.summary().track();
        async move {
            if !open {
                return Vec::new();
            }
            let tasks = state.ledger.all().await;
            spend(&tasks, &pricing, period, local_date)
        }
    });
    let choice = move |p: Period, key: &'static str| {
        view! {
            <label class="chip" class:selected=move || period.get() == p>
                <input
                    type="radio"
                    name="spend-period"
                    prop:checked=move || period.get() == p
                    on:change=move |_| period.set(p)
                />
                <span>{i18n.t(key)}</span>
            </label>
        }
    };
    let table = move || {
        let rows = rows.get().unwrap_or_default();
        if rows.is_empty() {
            return view! { <p class="hint">{i18n.t("spend.none")}</p> }.into_any();
        }
        let pricing = state.settings.with_untracked(|s| s.pricing.clone());
        let body = rows
            .into_iter()
            .map(|r| {
                let model = match r.mode {
                    Some(m) => mode_name(m),
                    None => Msg::new("spend.all_models"),
                };
                let billed = if r.not_billed > 0 {
                    Msg::new("spend.billed_partly")
                        .with("cost", units_cny(r.billed_units))
                        .with("n", r.not_billed.to_string())
                } else {
                    Msg::verbatim(units_cny(r.billed_units))
                };
                view! {
                    <tr class:total=r.mode.is_none()>
                        <th scope="row">{r.period}</th>
                        <td><Text msg=model /></td>
                        <td class="num">{r.tasks}</td>
                        <td class="num"><Text msg=billed /></td>
                        <td class="num">{pricing.format(r.estimate_milli)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="spend-table">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t("spend.period")}</th>
                            <th scope="col">{i18n.t("spend.model")}</th>
                            <th scope="col">{i18n.t("spend.tasks")}</th>
                            <th scope="col">{i18n.t("spend.billed")}</th>
                            <th scope="col">{i18n.t("spend.estimate")}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <details
            class="spend"
            on:toggle=move |ev| {
                let details: web_sys::HtmlDetailsElement = event_target(&ev);
                open.set(details.open());
            }
        >
            <summary>{i18n.t("spend.title")}</summary>
            <p class="hint">
                <Text msg=Msg::new("spend.hint").with_code("field", "usage.total_tokens") />
            </p>
            <fieldset class="chips-row">
                <legend>{i18n.t("spend.group_by")}</legend>
                {choice(Period::Month, "spend.by_month")}
                {choice(Period::Day, "spend.by_day")}
            </fieldset>
            <Show when=move || open.get()>{table}</Show>
        </details>
    }
}
