//! A finished video: the player, Open / Copy link / Download, and how long the link lives.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::text::Text;
use crate::api::client::fetch_video;
use crate::domain::message::Msg;
use crate::domain::time::{expiry_text, link_expiry_ms};
use crate::state::browser::{copy_text, open_in_new_tab, save_blob};
use crate::state::{use_app_state, use_i18n};

/// The video player and its actions. `url` must already be checked as safe.
#[component]
pub fn VideoResult(
    /// The signed video URL.
    url: String,
    /// The task id, for the file name.
    task_id: String,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let expires = link_expiry_ms(&url);
    let expired = move || expires.is_some_and(|e| e <= state.now.get());
    let (note, set_note) = signal(None::<Msg>);
    let (load_failed, set_load_failed) = signal(false);
    let copy = {
        let url = url.clone();
        move |_| {
            copy_text(&url);
            set_note.set(Some(Msg::new("video.link_copied")));
        }
    };
    let download = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            let name = format!("wan-{task_id}.mp4");
            set_note.set(Some(Msg::new("video.downloading")));
            spawn_local(async move {
                match fetch_video(&url).await.map(|blob| save_blob(&blob, &name)) {
                    Ok(true) => set_note.set(Some(Msg::new("video.saved").with("name", &name))),
                    Ok(false) | Err(_) => {
                        let opened = open_in_new_tab(&url);
                        set_note.set(Some(if opened {
                            Msg::new("video.opened_in_tab")
                        } else {
                            Msg::new("video.blocked")
                        }));
                    }
                }
            });
        }
    };
    let src = url.clone();
    view! {
        <div class="result">
            <Show
                when=move || !expired()
                fallback=move || view! {
                    <p class="explain" role="status">{i18n.t("video.expired")}</p>
                }
            >
                <video
                    controls
                    preload="metadata"
                    playsinline
                    src=src.clone()
                    on:error=move |_| set_load_failed.set(true)
                    on:loadeddata=move |_| set_load_failed.set(false)
                ></video>
            </Show>
            <Show when=move || load_failed.get() && !expired()>
                <div class="error" role="alert">
                    <p>{i18n.t("video.load_failed")}</p>
                </div>
            </Show>
            <div class="actions">
                <a class="button" href=url.clone() target="_blank" rel="noopener noreferrer">{i18n.t("video.open")}</a>
                <button type="button" on:click=copy.clone()>{i18n.t("video.copy_link")}</button>
                <button type="button" on:click=download.clone()>{i18n.t("video.download")}</button>
            </div>
            // Once expired, the message in place of the player says so (once).
            {move || {
                expires
                    .filter(|_| !expired())
                    .map(|e| view! { <p class="hint expiry"><Text msg=expiry_text(e, state.now.get()) /></p> })
            }}
            <p class="hint" role="status">{move || note.get().map(|n| view! { <Text msg=n /> })}</p>
        </div>
    }
}
