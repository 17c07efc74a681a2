//! The banner shown after opening a share link: what happened, with undo.

use leptos::prelude::*;

use super::msg::Msg;
use crate::domain::message::Bilingual;
use crate::state::site::SharedLink;
use crate::state::use_app_state;

/// Shows the outcome of a share link, if the page was opened with one.
#[component]
pub fn SharedBanner(
    /// What opening the link did.
    outcome: Option<SharedLink>,
) -> impl IntoView {
    let state = use_app_state();
    let (open, set_open) = signal(outcome.is_some());
    let (undone, set_undone) = signal(false);
    outcome.map(|outcome| {
        view! {
            <Show when=move || open.get()>
                {match outcome.clone() {
                    SharedLink::Loaded { previous } => view! {
                        <div class="notice banner" role="status">
                            <p>
                                {move || if undone.get() {
                                    view! { <Msg text=Bilingual::new("Your previous form is back.", "已恢复你之前的表单。") /> }
                                } else {
                                    view! { <Msg text=Bilingual::new(
                                        "Settings loaded from a shared link. Only the form was changed; your key, endpoint and other settings are untouched.",
                                        "已从分享链接载入设置。只更改了表单；你的密钥、接口地址和其他设置保持不变。",
                                    ) /> }
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
                                    }>"Undo"</button>
                                </Show>
                                <button type="button" on:click=move |_| set_open.set(false)>"Dismiss / 关闭"</button>
                            </div>
                        </div>
                    }
                        .into_any(),
                    SharedLink::Broken(why) => view! {
                        <div class="error banner" role="alert">
                            <p><Msg text=why /></p>
                            <button type="button" on:click=move |_| set_open.set(false)>"Dismiss / 关闭"</button>
                        </div>
                    }
                        .into_any(),
                }}
            </Show>
        }
    })
}
