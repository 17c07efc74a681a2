//! Look up any task id: the app queries it and adds it to the history.

use leptos::prelude::*;

use crate::domain::message::Msg;

use super::error_box::ErrorBox;
use crate::state::lookup::lookup_task;
use crate::state::poller::use_poller;
use crate::state::{use_app_state, use_i18n};

/// The lookup field and button.
#[component]
pub fn LookupBox() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let (id, set_id) = signal(String::new());
    let poller = use_poller();
    let lookup = Action::new_local(move |id: &String| lookup_task(state, poller, id.clone()));
    let pending = lookup.pending();
    view! {
        <form
            class="lookup"
            on:submit=move |ev| {
                ev.prevent_default();
                lookup.dispatch(id.get_untracked());
            }
        >
            <div class="field">
                <label for="lookup-id">{i18n.t("lookup.label")}</label>
                <div class="row">
                    <input
                        id="lookup-id"
                        type="text"
                        spellcheck="false"
                        autocomplete="off"
                        placeholder="3a7d8355-ef78-48cd-863c-6cdb9707ba91"
                        prop:value=move || id.get()
                        on:input=move |ev| set_id.set(event_target_value(&ev))
                    />
                    <button type="submit" disabled=move || pending.get()>
                        {i18n.t("lookup.button")}
                    </button>
                </div>
            </div>
            {move || {
                lookup
                    .value()
                    .get()
                    .map(|r| match r {
                        Ok(status) => {
                            let found = status.label();
                            view! {
                                <p class="hint" role="status">
                                    {move || {
                                        i18n.render(&Msg::new("lookup.found").with("status", &found))
                                    }}
                                </p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox explanation=e /> }.into_any(),
                    })
            }}
        </form>
    }
}
