//! The colour theme: follow the system (default), or force light or dark. Stored in this
//! browser's local storage and applied as `data-theme` on `<html>`, which the stylesheet honours
//! over the `prefers-color-scheme` media query.

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;

use crate::state::use_i18n;

/// Local-storage key of the theme choice.
pub const THEME_KEY: &str = "wan-studio.theme.v1";

/// The stored value mapped to a theme: `Some("light" | "dark")`, or `None` for the system's.
pub fn forced_theme(stored: &str) -> Option<&'static str> {
    match stored {
        "light" => Some("light"),
        "dark" => Some("dark"),
        _ => None,
    }
}

/// The "Theme" select, for the Settings section.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let (theme, set_theme, _) = use_local_storage::<String, FromToStringCodec>(THEME_KEY);
    Effect::new(move |_| {
        let forced = theme.with(|t| forced_theme(t));
        if let Some(root) = document().document_element() {
            let _ = match forced {
                Some(t) => root.set_attribute("data-theme", t),
                None => root.remove_attribute("data-theme"),
            };
        }
    });
    let current = move || theme.with(|t| forced_theme(t).unwrap_or("system"));
    view! {
        <div class="field">
            <label for="theme">{i18n.t("theme.label")}</label>
            <select
                id="theme"
                aria-describedby="theme-hint"
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    set_theme.set(forced_theme(&v).unwrap_or("system").to_string());
                }
            >
                <option value="system" selected=move || current() == "system">
                    {i18n.t("theme.system")}
                </option>
                <option value="light" selected=move || current() == "light">
                    {i18n.t("theme.light")}
                </option>
                <option value="dark" selected=move || current() == "dark">
                    {i18n.t("theme.dark")}
                </option>
            </select>
            <p id="theme-hint" class="hint">
                {i18n.t("theme.hint")}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::forced_theme;

    #[test]
    fn only_light_and_dark_are_forced() {
        assert_eq!(forced_theme("light"), Some("light"));
        assert_eq!(forced_theme("dark"), Some("dark"));
        assert_eq!(forced_theme("system"), None);
        assert_eq!(forced_theme(""), None);
        assert_eq!(forced_theme("purple"), None);
    }
}
