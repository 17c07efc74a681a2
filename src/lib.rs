//! wan-studio: generate videos with Alibaba's Wan family (Wan 2.6, Wan 2.7, HappyHorse; every
//! model and mode of `crates/wan-models`) through DMXAPI, straight from the browser.
//!
//! Layers: [`api`] (HTTP and JSON only), [`domain`] (pure logic), [`state`] (reactive glue),
//! [`components`] (the page).

pub mod api;
pub mod components;
pub mod domain;
pub mod json;
pub mod state;

use leptos::prelude::*;

use components::demo_banner::DemoBanner;
use components::lang_switch::LangSwitch;
use components::later::Later;
use components::problems_banner::ProblemsBanner;
use components::settings_panel::SettingsPanel;
use components::task_form::TaskForm;
use components::task_list::TaskList;
use components::toast_area::ToastArea;
use components::welcome::Welcome;

/// The whole app: state in context, then the layout.
#[component]
pub fn App() -> impl IntoView {
    let state = state::provide_app_state();
    let i18n = state::use_i18n();
    state::disclosure::provide_settings_disclosure(state);
    state::gallery::provide_gallery();
    components::compare::CompareSelection::provide();
    let toasts = state::toast::provide_toasts(state.ledger, state.form, state.set_form);
    let keeper = state::keep::provide_keeper(state, toasts);
    state::poller::follow(state);
    // Once the database is open: let go of pictures a closed tab's Undo or an earlier build left.
    let ready = state.ledger.ready();
    Effect::new(move |_| {
        if ready.get() {
            toasts.sweep();
        }
    });
    state::offline::register_service_worker();
    state::site::apply_share_link(toasts);
    // A share link pasted into the address bar of this open page changes only the fragment, so
    // the page does not reload: apply it now.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        state::site::apply_share_link(toasts)
    });
    let site = RwSignal::new(domain::site_config::SiteConfig::default());
    provide_context(site);
    state::site::load_site_config(state, site);
    state::notify::follow_endings(
        state,
        i18n,
        Signal::derive(move || site.with(|s| s.site_name.clone())),
        keeper,
    );
    view! {
        <header class="top">
            <div class="brand">
                <h1>{move || site.with(|s| s.site_name.clone()).unwrap_or_else(|| "wan-studio".into())}</h1>
                <p class="tagline">{i18n.t("app.tagline")}</p>
            </div>
            <LangSwitch />
        </header>
        <DemoBanner />
        <ProblemsBanner />
        // The first mount in three tasks (components/later.rs): what the pre-drawn first screen
        // shows, then the second column, then the form, whose heading tells that all is in place.
        <main class="layout">
            <div class="col">
                <Welcome />
                <Later after=2>
                    <TaskForm />
                </Later>
            </div>
            <div class="col">
                <Later>
                    <TaskList />
                    <SettingsPanel />
                </Later>
            </div>
        </main>
        <ToastArea />
        <footer class="foot">
            <p>{i18n.t("app.footer")}</p>
        </footer>
    }
}
