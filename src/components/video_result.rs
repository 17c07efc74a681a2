//! A finished video: the player, Open / Copy link / Download, and how long the link lives.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::msg::Msg;
use crate::api::client::fetch_video;
use crate::domain::message::Bilingual;
use crate::domain::time::{expiry_text, link_expiry_ms};
use crate::state::browser::{copy_text, open_in_new_tab, save_blob};
use crate::state::use_app_state;

/// The video player and its actions. `url` must already be checked as safe.
#[component]
pub fn VideoResult(
    /// The signed video URL.
    url: String,
    /// The task id, for the file name.
    task_id: String,
) -> impl IntoView {
    let state = use_app_state();
    let expires = link_expiry_ms(&url);
    let expired = move || expires.is_some_and(|e| e <= state.now.get());
    let (note, set_note) = signal(None::<Bilingual>);
    let (load_failed, set_load_failed) = signal(false);
    let copy = {
        let url = url.clone();
        move |_| {
            copy_text(&url);
            set_note.set(Some(Bilingual::new("Link copied.", "链接已复制。")));
        }
    };
    let download = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            let name = format!("wan-{task_id}.mp4");
            set_note.set(Some(Bilingual::new("Downloading…", "正在下载…")));
            spawn_local(async move {
                match fetch_video(&url).await.map(|blob| save_blob(&blob, &name)) {
                    Ok(true) => set_note.set(Some(Bilingual::new(
                        format!("Saved as {name}."),
                        format!("已保存为 {name}。"),
                    ))),
                    Ok(false) | Err(_) => {
                        let opened = open_in_new_tab(&url);
                        set_note.set(Some(if opened {
                            Bilingual::new(
                                "The storage server does not allow direct downloads, so the video opened in a new tab: save it from there.",
                                "存储服务器不允许直接下载，视频已在新标签页打开，请在那里保存。",
                            )
                        } else {
                            Bilingual::new(
                                "The browser blocked the download and the new tab. Use Open, then save the video from the player.",
                                "浏览器阻止了下载和新标签页。请点击“Open”，然后在播放器中保存视频。",
                            )
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
                fallback=|| view! {
                    <p class="explain" role="status">
                        <Msg text=Bilingual::new(
                            "The video link has expired (links live 24 hours). Generate the video again to get a new one.",
                            "视频链接已过期（有效期 24 小时）。请重新生成以获得新链接。",
                        ) />
                    </p>
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
                    <p>
                        <Msg text=Bilingual::new(
                            "The video could not be loaded: the link may have expired or been removed, or the network blocked it. Try Open; if that fails too, use Re-run with these settings.",
                            "视频无法加载：链接可能已过期或被删除，或网络被拦截。请尝试“Open”；如仍失败，请使用“Re-run with these settings”重新生成。",
                        ) />
                    </p>
                </div>
            </Show>
            <div class="actions">
                <a class="button" href=url.clone() target="_blank" rel="noopener noreferrer">"Open"</a>
                <button type="button" on:click=copy.clone()>"Copy link"</button>
                <button type="button" on:click=download.clone()>"Download"</button>
            </div>
            {move || expires.map(|e| view! { <p class="hint expiry"><Msg text=expiry_text(e, state.now.get()) /></p> })}
            <p class="hint" role="status">{move || note.get().map(|n| view! { <Msg text=n /> })}</p>
        </div>
    }
}
