//! Site-level inputs that arrive with the page: the team's `config.json` and a share link in the
//! URL fragment.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::browser::{page, BrowserUrl};
use super::context::AppState;
use super::storage_keys::Place;
use super::toast::Toasts;
use crate::api::client::fetch_site_file;
use crate::domain::form::FormState;
use crate::domain::message::Msg;
use crate::domain::share;
use crate::domain::site_config::{parse, SiteConfig};

fn warn(text: &str) {
    web_sys::console::warn_1(&format!("wan-studio: {text}").into());
}

fn stored(place: Place, key: &str) -> bool {
    place
        .storage()
        .is_some_and(|s| s.get_item(key).ok().flatten().is_some())
}

/// Loads `config.json` (if the host put one beside the page) into `site`, and applies its
/// defaults where the user has nothing of their own. Never breaks the page.
pub fn load_site_config(state: AppState, site: RwSignal<SiteConfig>) {
    // Read before anything is written: the user's own choices win over the site's.
    let place = state.problems.place();
    let had_settings = stored(place, place.settings_key());
    let had_form = stored(place, place.form_key());
    spawn_local(async move {
        let text = match fetch_site_file("config.json").await {
            Ok(Some(text)) => text,
            Ok(None) => return,
            Err(e) => {
                warn(&format!(
                    "config.json could not be loaded ({e}); using built-in defaults"
                ));
                return;
            }
        };
        match parse(&text, &page(), &BrowserUrl) {
            Ok((config, warnings)) => {
                for w in warnings {
                    warn(&w);
                }
                if !had_settings && !state.demo {
                    if let Some(s) = config.connection_defaults() {
                        state.set_settings.set(s);
                    }
                }
                if !had_form && state.form.with_untracked(|f| *f == FormState::default()) {
                    if let Some(d) = config.defaults.clone() {
                        state.set_form.set(d);
                    }
                }
                // A draft in a model the team does not offer (any more) moves to its default,
                // keeping what was typed.
                if !state.form.with_untracked(|f| config.offers(f.mode)) {
                    let mode = config.default_mode();
                    state.set_form.update(|f| f.switch_mode(mode));
                }
                site.set(config);
            }
            Err(e) => warn(&format!("{e}; using built-in defaults")),
        }
    });
}

/// Applies a `#share=…` fragment to the form (only the form: never the endpoint or any other
/// setting) and says so in a toast with Undo (or says why the link cannot be used), then removes
/// the fragment so a reload does not apply it again.
pub fn apply_share_link(toasts: Toasts) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(hash) = window.location().hash() else {
        return;
    };
    match share::decode(&hash) {
        Ok(None) => return,
        Ok(Some(form)) => toasts.replace_draft(form, Msg::new("shared.loaded")),
        Err(why) => toasts.problem(why),
    }
    if let (Ok(history), Ok(path), Ok(search)) = (
        window.history(),
        window.location().pathname(),
        window.location().search(),
    ) {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// The link that opens this page with `form` filled in, or why it cannot be made.
pub fn share_url(form: &FormState) -> Result<String, Msg> {
    let fragment = share::encode(form)?;
    let location = web_sys::window().map(|w| w.location());
    let base = location
        // Origin and path only: no query (e.g. `?demo`) and never anything from settings.
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default();
    Ok(format!("{base}#{fragment}"))
}
