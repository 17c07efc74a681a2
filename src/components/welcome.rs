//! The first-run guide: four short steps from no key to a first video (get a key, limit it,
//! paste it, generate), where the key goes, and how to try everything without one.

use leptos::prelude::*;

use super::text::Text;
use crate::domain::message::Msg;
use crate::domain::url::is_loopback_host;
use crate::state::disclosure::use_settings_disclosure;
use crate::state::{use_app_state, use_i18n};

/// Shown while no key is set (and not in demo mode).
#[component]
pub fn Welcome() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let disclosure = use_settings_disclosure();
    let local = web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .is_some_and(|h| is_loopback_host(&h));
    let show = move || !state.demo && state.key.with(String::is_empty);
    view! {
        <Show when=show>
            <aside class="welcome" aria-labelledby="welcome-h">
                <h2 id="welcome-h">{i18n.t("welcome.title")}</h2>
                <p>{i18n.t("welcome.intro")}</p>
                <ol class="steps">
                    <li>
                        <strong>{i18n.t("welcome.step_get_title")}</strong>
                        {i18n.t("welcome.step_get")}
                    </li>
                    <li>
                        <strong>{i18n.t("welcome.step_limit_title")}</strong>
                        {i18n.t("welcome.step_limit")}
                    </li>
                    <li>
                        <strong>{i18n.t("welcome.step_paste_title")}</strong>
                        <button type="button" class="step-action" on:click=move |_| disclosure.open_at_key()>
                            {i18n.t("welcome.step_paste_button")}
                        </button>
                    </li>
                    <li>
                        <strong>{i18n.t("welcome.step_generate_title")}</strong>
                    </li>
                </ol>
                <p>{i18n.t("welcome.privacy")}</p>
                // Only where someone runs the project themselves (the page is on this machine): a
                // visitor of a hosted copy cannot run a shell command there.
                {local.then(|| view! {
                    <p class="hint">
                        <Text msg=Msg::new("welcome.demo").with_code("command", "./scripts/start.sh --demo") />
                    </p>
                })}
            </aside>
        </Show>
    }
}
