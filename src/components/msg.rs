//! Renders a bilingual message in the language the user chose.

use leptos::prelude::*;

use crate::domain::message::Bilingual;
use crate::state::use_i18n;

/// One message, in the current language (it follows the language switch).
#[component]
pub fn Msg(
    /// The message.
    text: Bilingual,
) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="msg">{move || i18n.pick(&text)}</span> }
}
