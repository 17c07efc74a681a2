//! Storage problems: what happened, a download of any unreadable data kept aside, dismiss.

use leptos::prelude::*;

use super::text::Text;
use crate::state::browser::save_text;
use crate::state::problems::storage;
use crate::state::{use_app_state, use_i18n};

/// The banner; empty when all is well.
#[component]
pub fn ProblemsBanner() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    view! {
        <For each=move || state.problems.list().get() key=|p| (p.key.clone(), p.text.clone()) let(p)>
            <div class="error banner" role="alert">
                <p><Text msg=p.text.clone() /></p>
                <div class="actions">
                    {p.aside_key.clone().map(|aside| {
                        let file = format!("{aside}.txt");
                        view! {
                            <button type="button" on:click=move |_| {
                                if let Some(raw) = storage().and_then(|s| s.get_item(&aside).ok().flatten()) {
                                    save_text(&raw, &file, "text/plain");
                                }
                            }>
                                {i18n.t("problems.download")}
                            </button>
                        }
                    })}
                    <button type="button" on:click={
                        let key = p.key.clone();
                        move |_| state.problems.dismiss(&key)
                    }>
                        {i18n.t("problems.dismiss")}
                    </button>
                </div>
            </div>
        </For>
    }
}
