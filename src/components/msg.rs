//! Renders a bilingual message: English, then Simplified Chinese.

use leptos::prelude::*;

use crate::domain::message::Bilingual;

/// One message in both languages, as two inline spans.
#[component]
pub fn Msg(
    /// The message.
    text: Bilingual,
) -> impl IntoView {
    view! {
        <span class="msg">
            <span lang="en">{text.en}</span>
            " "
            <span lang="zh-CN" class="zh">{text.zh}</span>
        </span>
    }
}
