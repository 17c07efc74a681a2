//! The banner that marks demo mode while it is active: what it is, that the real key, settings
//! and history are untouched, and the way out (which leaves nothing of the demo behind).

use leptos::prelude::*;

use super::text::Text;
use crate::domain::message::Msg;
use crate::domain::settings::DEMO_ENDPOINT;
use crate::state::storage_keys::clear_demo;
use crate::state::{use_app_state, use_i18n};

/// Shown at the top of the page in demo mode (`?demo`); nothing otherwise.
#[component]
pub fn DemoBanner() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let note = Msg::new("settings.demo_note").with("endpoint", DEMO_ENDPOINT);
    state.demo.then(|| {
        view! {
            <div class="demo-banner banner" role="note" aria-label=i18n.t("settings.summary_demo")>
                <p><Text msg=note /></p>
                // The link leaves (to the page without ?demo); the demo's tasks, settings and
                // draft are removed first.
                <a class="button" href="./" on:click=move |_| clear_demo()>{i18n.t("settings.leave_demo")}</a>
            </div>
        }
    })
}
