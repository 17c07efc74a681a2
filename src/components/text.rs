//! Renders a message in the language the user chose: text, with technical tokens (header names,
//! commands, the key's last characters) shown as code.

use leptos::prelude::*;

use crate::domain::message::Msg;
use crate::state::use_i18n;

/// One message, in the current language (it follows the language switch).
#[component]
pub fn Text(
    /// The message.
    #[prop(into)]
    msg: Msg,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="msg">
            {move || {
                i18n.segments(&msg)
                    .into_iter()
                    .map(|s| if s.code {
                        view! { <code>{s.text}</code> }.into_any()
                    } else {
                        s.text.into_any()
                    })
                    .collect_view()
            }}
        </span>
    }
}
