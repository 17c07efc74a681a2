//! "Kept videos" in Settings: when finished videos are kept in this browser, how many are kept and
//! their size, what the browser allows this site and whether it promised to keep it, and removing
//! kept copies (the oldest, or all) without removing their tasks.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::text::Text;
use crate::domain::keep::{kept_total, quota_line, KeepVideos};
use crate::domain::message::Msg;
use crate::state::keep::use_keeper;
use crate::state::toast::use_toasts;
use crate::state::{use_app_state, use_i18n};

/// The "Kept videos" group of Settings.
#[component]
pub fn KeptVideos() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let keeper = use_keeper();
    let toasts = use_toasts();
    let kept = Memo::new(move |_| state.ledger.summary().with(|s| (s.kept, s.kept_bytes)));
    // The browser's figures: read now, and again by the keeper after every keep or removal.
    keeper.refresh_figures();
    let (confirm_all, set_confirm_all) = signal(false);
    let busy = RwSignal::new(false);
    // Removes the kept copies of the oldest kept take (`all`: of every kept take).
    let remove = move |all: bool| {
        set_confirm_all.set(false);
        busy.set(true);
        spawn_local(async move {
            let mut takes: Vec<_> = state
                .ledger
                .all()
                .await
                .into_iter()
                .filter_map(|t| t.kept.as_ref().map(|k| (t.id.clone(), k.bytes)))
                .collect();
            if !all {
                takes.truncate(1);
            }
            let ids: Vec<String> = takes.iter().map(|(id, _)| id.clone()).collect();
            let freed: u64 = takes.iter().map(|(_, b)| b).sum();
            if keeper.forget(&ids).await {
                toasts.say(
                    Msg::new("keep.removed_n")
                        .with("n", ids.len().to_string())
                        .with("bytes", crate::domain::image::bytes_text(freed)),
                );
            } else {
                toasts.problem(Msg::new("keep.remove_failed"));
            }
            busy.set(false);
        });
    };
    let option = move |k: KeepVideos| {
        view! {
            <option
                value=k.as_str()
                selected=move || state.settings.with(|s| s.keep_videos == k)
            >
                {i18n.t(k.label())}
            </option>
        }
    };
    view! {
        <fieldset class="kept-videos">
            <legend>{i18n.t("keep.legend")}</legend>
            <div class="field">
                <label for="keep-videos">{i18n.t("keep.choice_legend")}</label>
                <select
                    id="keep-videos"
                    aria-describedby="keep-hint"
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some(k) = KeepVideos::ALL.into_iter().find(|k| k.as_str() == v) {
                            state.set_settings.update(|s| s.keep_videos = k);
                        }
                    }
                >
                    {KeepVideos::ALL.map(option)}
                </select>
                <p id="keep-hint" class="hint">{i18n.t("keep.hint")}</p>
            </div>
            <p class="kept-total" aria-live="polite">
                {move || {
                    let (n, bytes) = kept.get();
                    view! { <Text msg=kept_total(n, bytes) /> }
                }}
            </p>
            {move || {
                keeper
                    .figures()
                    .map(|(used, quota, persistent)| {
                        view! { <p class="hint"><Text msg=quota_line(used, quota, persistent) /></p> }
                    })
            }}
            <Show when=move || kept.with(|k| k.0 > 0)>
                <div class="row">
                    <button type="button" disabled=move || busy.get() on:click=move |_| remove(false)>
                        {i18n.t("keep.remove_oldest")}
                    </button>
                    <button
                        type="button"
                        class="danger"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            if confirm_all.get_untracked() {
                                remove(true);
                            } else {
                                set_confirm_all.set(true);
                            }
                        }
                    >
                        {move || {
                            if confirm_all.get() {
                                i18n.render(
                                    &Msg::new("keep.remove_all_confirm")
                                        .with("n", kept.get().0.to_string()),
                                )
                            } else {
                                i18n.render(&Msg::new("keep.remove_all"))
                            }
                        }}
                    </button>
                </div>
            </Show>
        </fieldset>
    }
}
