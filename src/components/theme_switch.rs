//! The "Theme" select in Settings: system, light or dark (the state lives in `state::theme`).

use leptos::prelude::*;

use crate::state::theme::use_theme;
use crate::state::use_i18n;

/// The "Theme" select, for the Settings section.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let theme = use_theme();
    let option = move |value: &'static str, label: &'static str| {
        view! {
            <option value=value selected=move || theme.choice.get() == value>
                {i18n.t(label)}
            </option>
        }
    };
    view! {
        <div class="field">
            <label for="theme">{i18n.t("theme.label")}</label>
            <select
                id="theme"
                aria-describedby="theme-hint"
                on:change=move |ev| theme.set(&event_target_value(&ev))
            >
                {option("system", "theme.system")}
                {option("light", "theme.light")}
                {option("dark", "theme.dark")}
            </select>
            <p id="theme-hint" class="hint">
                {i18n.t("theme.hint")}
            </p>
        </div>
    }
}
