//! Renders a bilingual message in the language the user chose, and translated text with a
//! technical token shown as code.

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

/// `template` with its `%{name}` placeholder shown as `<code>value</code>`: technical tokens
/// (header names, commands, the key's last characters) that read the same in every language.
/// A template without the placeholder is shown as it is.
pub fn text_with_code(template: String, name: &str, value: &str) -> AnyView {
    let placeholder = format!("%{{{name}}}");
    match template.split_once(&placeholder) {
        Some((before, after)) => {
            let (before, after, value) = (before.to_string(), after.to_string(), value.to_string());
            view! { {before} <code>{value}</code> {after} }.into_any()
        }
        None => template.into_any(),
    }
}
