//! The language switch in the page header: English or 中文. Its label names both languages, so
//! whoever cannot read the current one still finds it. A language whose words could not be
//! loaded (offline, never loaded in this browser) is said so; choosing it again tries again.

use leptos::prelude::*;

use crate::domain::message::Lang;
use crate::state::use_i18n;

/// A select of the interface language; the choice is remembered in this browser.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="lang-switch">
            <label for="lang">{i18n.t("lang.label")}</label>
            <select
                id="lang"
                on:change=move |ev| {
                    if let Some(lang) = Lang::from_code(&event_target_value(&ev)) {
                        i18n.set(lang);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.code() lang=l.html_tag() selected=move || i18n.lang.get() == l>
                                {l.own_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <Show when=move || i18n.unavailable.get()>
                <p class="error" role="alert">{i18n.t("lang.unavailable")}</p>
            </Show>
        </div>
    }
}
