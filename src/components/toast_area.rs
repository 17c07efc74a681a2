//! The toast area: fixed in the viewport (so it is seen wherever the action happened), one message
//! at a time, announced once, with Undo when the action can be undone and a way to close it.

use leptos::prelude::*;

use super::text::Text;
use crate::state::toast::use_toasts;
use crate::state::use_i18n;

/// The page's toast area (empty while there is nothing to say).
#[component]
pub fn ToastArea() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    view! {
        <div class="toast-area" aria-live="polite">
            {move || toasts.current().map(|t| view! {
                <div class=if t.alert { "toast error" } else { "toast" } role=if t.alert { "alert" } else { "status" }>
                    <p><Text msg=t.text /></p>
                    {t.undo.is_some().then(|| view! {
                        <button type="button" on:click=move |_| toasts.undo()>{i18n.t("shared.undo")}</button>
                    })}
                    <button
                        type="button"
                        class="icon"
                        aria-label=i18n.t("toast.close")
                        title=i18n.t("toast.close")
                        on:click=move |_| toasts.dismiss()
                    >"×"</button>
                </div>
            })}
        </div>
    }
}
