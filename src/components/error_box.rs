//! An explained problem: cause and next step in both languages, the server's own words as
//! plain text, and a copyable request id.

use leptos::prelude::*;

use crate::domain::message::Msg;

use super::text::Text;
use crate::domain::message::Explanation;
use crate::state::browser::copy_text;
use crate::state::use_i18n;

/// Shows an [`Explanation`] as an alert.
#[component]
pub fn ErrorBox(
    /// What went wrong.
    explanation: Explanation,
) -> impl IntoView {
    let Explanation {
        text,
        request_id,
        detail,
        ..
    } = explanation;
    let i18n = use_i18n();
    let (copied, set_copied) = signal(false);
    view! {
        <div class="error" role="alert">
            <p>
                <Text msg=text />
            </p>
            {detail.map(|d| view! { <p class="detail"><code>{d}</code></p> })}
            {request_id
                .map(|id| {
                    let shown = id.clone();
                    view! {
                        <p class="request-id">
                            {i18n.t("error.box.request_id")}
                            " "
                            <code>{shown}</code>
                            " "
                            <button
                                type="button"
                                class="small"
                                on:click=move |_| {
                                    copy_text(&id);
                                    set_copied.set(true);
                                }
                            >
                                {move || {
                                    if copied.get() {
                                        i18n.render(&Msg::new("error.box.copied"))
                                    } else {
                                        i18n.render(&Msg::new("error.box.copy_request_id"))
                                    }
                                }}
                            </button>
                        </p>
                    }
                })}
        </div>
    }
}
