//! The banner shown after opening a share link: what happened, with undo.

use leptos::prelude::*;

use super::text::Text;
use crate::domain::message::Msg;
use crate::state::site::SharedLink;
use crate::state::{use_app_state, use_i18n};

/// Shows the outcome of the latest share link: the one the page was opened with, or one pasted
/// into the address bar of the open page later.
#[component]
pub fn SharedBanner(
    /// What opening the latest link did (`None` until there is one).
    outcome: Signal<Option<SharedLink>>,
) -> impl IntoView {
    // A new link makes a new notice (with its own undo).
    move || outcome.get().map(|o| view! { <SharedNotice outcome=o /> })
}

/// One share link's outcome, with undo (for a loaded link) and dismiss.
#[component]
fn SharedNotice(
    /// What opening the link did.
    outcome: SharedLink,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let (open, set_open) = signal(true);
    let (undone, set_undone) = signal(false);
    let dismiss = move |_| set_open.set(false);
    let notice = move || match outcome.clone() {
        SharedLink::Loaded { previous } => view! {
            <div class="notice banner" role="status">
                <p>
                    {move || {
                        let key = if undone.get() { "shared.restored" } else { "shared.loaded" };
                        view! { <Text msg=Msg::new(key) /> }
                    }}
                </p>
                <div class="actions">
                    <Show when=move || !undone.get()>
                        <button type="button" on:click={
                            let previous = previous.clone();
                            move |_| {
                                state.set_form.set(previous.clone());
                                set_undone.set(true);
                            }
                        }>{i18n.t("shared.undo")}</button>
                    </Show>
                    <button type="button" on:click=dismiss>{i18n.t("shared.dismiss")}</button>
                </div>
            </div>
        }
        .into_any(),
        SharedLink::Broken(why) => view! {
            <div class="error banner" role="alert">
                <p><Text msg=why /></p>
                <button type="button" on:click=dismiss>{i18n.t("shared.dismiss")}</button>
            </div>
        }
        .into_any(),
    };
    view! { <Show when=move || open.get()>{notice.clone()}</Show> }
}
