//! One checkbox (or switch) with its label and an optional hint: the one markup for every
//! on/off choice of the page (prompt extend, watermark, the async header, remember key, compare
//! this take).

use leptos::prelude::*;

use super::text::Text;
use crate::domain::message::Msg;

/// A labelled checkbox; `switch` gives it the switch role (an on/off setting rather than a
/// choice in a form).
#[component]
pub fn CheckField(
    /// Element id of the input; the hint is `{id}-hint`.
    #[prop(into)]
    id: String,
    /// The visible label (also the accessible name).
    #[prop(into)]
    label: Msg,
    /// A sentence under it, if any (its accessible description).
    #[prop(optional, into)]
    hint: Option<Msg>,
    /// Whether it is checked.
    #[prop(into)]
    checked: Signal<bool>,
    /// Called with the new state when the user changes it.
    on_change: Callback<bool>,
    /// Announce it as a switch.
    #[prop(optional)]
    switch: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described = hint.is_some().then(|| hint_id.clone());
    view! {
        <div class="field check">
            <input
                id=id.clone()
                type="checkbox"
                role=switch.then_some("switch")
                aria-describedby=described
                prop:checked=move || checked.get()
                on:change=move |ev| on_change.run(event_target_checked(&ev))
            />
            <label for=id><Text msg=label /></label>
            {hint.map(|h| view! { <p id=hint_id class="hint"><Text msg=h /></p> })}
        </div>
    }
}
