//! Compare takes: 2–4 finished videos side by side, played, paused and seeked together, with a
//! table of their settings where what differs is marked; the chosen takes can also be kept in this
//! browser or saved as files together.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::text::Text;
use crate::domain::compare::{settings_diff, MAX_TAKES};
use crate::domain::message::Msg;
use crate::domain::task::TaskRecord;
use crate::state::browser::BrowserUrl;
use crate::state::{use_app_state, use_i18n};

/// The takes chosen for comparison, and whether the comparison is open (provided for the whole
/// page: the cards choose, a finished batch opens it).
#[derive(Clone, Copy)]
pub struct CompareSelection {
    /// The ids chosen, at most [`MAX_TAKES`].
    pub ids: RwSignal<Vec<String>>,
    /// The comparison dialog is open.
    pub open: RwSignal<bool>,
}

impl CompareSelection {
    /// Makes the page's selection and puts it in context.
    pub fn provide() {
        provide_context(CompareSelection {
            ids: RwSignal::new(Vec::new()),
            open: RwSignal::new(false),
        });
    }

    /// Compares these takes (the first [`MAX_TAKES`]) now.
    pub fn show(self, mut ids: Vec<String>) {
        ids.truncate(MAX_TAKES);
        self.ids.set(ids);
        self.open.set(true);
    }
}

fn videos() -> Vec<web_sys::HtmlMediaElement> {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return Vec::new();
    };
    let Ok(list) = doc.query_selector_all(".compare video") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlMediaElement>().ok())
        .collect()
}

/// Resolves once `video` can play (at once when it already can), or after 15 s at the latest.
async fn ready(video: &web_sys::HtmlMediaElement) {
    // HAVE_FUTURE_DATA: enough to start playing.
    if video.ready_state() >= 3 {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = video.add_event_listener_with_callback_and_add_event_listener_options(
            "canplay", &resolve, &options,
        );
        let _ = web_sys::window()
            .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 15_000));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The comparison panel; shown when two or more takes are chosen. With fewer, a hint says how
/// to choose them (once there are at least two videos to compare).
#[component]
pub fn CompareTakes() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let CompareSelection {
        ids: selected,
        open,
    } = expect_context::<CompareSelection>();
    let takes = Memo::new(move |_| {
        let ids = selected.get();
        state.ledger.tasks().with(|tasks| {
            ids.iter()
                .filter_map(|id| tasks.iter().find(|t| &t.id == id).cloned())
                .filter(|t| t.snapshot.safe_video_url(&BrowserUrl).is_some())
                .collect::<Vec<_>>()
        })
    });
    // Finished videos that play (link alive, or kept): the ones with a "Compare this take" box.
    let comparable = Memo::new(move |_| {
        let now = state.now.get();
        state.ledger.tasks().with(|tasks| {
            tasks
                .iter()
                .filter(|t| t.has_live_video(now, &BrowserUrl) || t.kept.is_some())
                .count()
        })
    });
    let hint = Memo::new(move |_| -> Option<Msg> {
        let max = MAX_TAKES.to_string();
        match takes.with(Vec::len) {
            1 => Some(Msg::new("compare.hint_one").with("max", &max)),
            0 if comparable.get() >= 2 => Some(Msg::new("compare.hint_none").with("max", &max)),
            _ => None,
        }
    });
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    // Syncs the dialog element with `open` (the outside world); writes no signal.
    Effect::new(move |_| {
        if let Some(d) = dialog.get() {
            if open.get() && !d.open() {
                let _ = d.show_modal();
            } else if !open.get() && d.open() {
                d.close();
            }
        }
    });
    let count = move || takes.with(Vec::len);
    // The chosen takes this browser can keep now, and saving them all as files.
    let keeper = crate::state::keep::use_keeper();
    let keepable = Memo::new(move |_| takes.with(|ts| keeper.keepable(ts)));
    let keep_these = move |_| {
        for id in keepable.get_untracked() {
            keeper.keep(id, true);
        }
    };
    let save_these = move |_| takes.with_untracked(|ts| keeper.save_all(ts));
    view! {
        <Show
            when=move || { count() >= 2 }
            fallback=move || {
                hint.get()
                    .map(|h| view! { <p class="hint compare-hint" aria-live="polite"><Text msg=h /></p> })
            }
        >
            <div class="compare-bar">
                <button type="button" class="primary" on:click=move |_| open.set(true)>
                    {move || i18n.render(&Msg::new("compare.open").with("n", count().to_string()))}
                </button>
                <Show when=move || keepable.with(|k| !k.is_empty())>
                    <button type="button" on:click=keep_these>
                        {move || i18n.render(&Msg::new("compare.keep").with("n", keepable.with(Vec::len).to_string()))}
                    </button>
                </Show>
                <button type="button" on:click=save_these>
                    {move || i18n.render(&Msg::new("compare.save").with("n", count().to_string()))}
                </button>
                <button type="button" on:click=move |_| selected.set(Vec::new())>{i18n.t("compare.clear")}</button>
            </div>
        </Show>
        <dialog node_ref=dialog class="compare" aria-labelledby="compare-h" on:close=move |_| open.set(false)>
            <Show when=move || { open.get() && count() >= 2 }>
                <h2 id="compare-h">{i18n.t("compare.heading")}</h2>
                <CompareVideos takes=takes />
                <CompareControls />
                <CompareTable takes=takes />
                <button type="button" on:click=move |_| open.set(false)>{i18n.t("compare.close")}</button>
            </Show>
        </dialog>
    }
}

/// The chosen takes side by side, muted, with their seeds.
#[component]
fn CompareVideos(
    /// The takes.
    takes: Memo<Vec<TaskRecord>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="compare-grid">
            <For each=move || takes.get() key=|t| t.id.clone() let(t)>
                <figure>
                    <video
                        src=compare_source(&t)
                        muted
                        playsinline
                        preload="auto"
                    ></video>
                    <figcaption>
                        {
                            let seed = t.request.as_ref().and_then(|r| r.seed);
                            move || match seed {
                                Some(s) => i18n.render(&Msg::new("compare.seed").with("seed", s.to_string())),
                                None => i18n.render(&Msg::new("compare.seed_random")),
                            }
                        }
                        " · "
                        <code>{t.id.chars().take(8).collect::<String>()}</code>
                    </figcaption>
                </figure>
            </For>
        </div>
    }
}

/// Where a compared take plays from: its kept copy in this browser when there is one (the link
/// may have died), else its link.
fn compare_source(t: &TaskRecord) -> Signal<String> {
    let keeper = crate::state::keep::use_keeper();
    let link = t.snapshot.safe_video_url(&BrowserUrl).unwrap_or_default();
    let hash = t.kept.as_ref().map(|k| k.hash.clone());
    if let Some(h) = &hash {
        keeper.load(h.clone());
    }
    Signal::derive(move || {
        hash.as_deref()
            .and_then(|h| keeper.kept_url(h))
            .unwrap_or_else(|| link.clone())
    })
}

/// Play all, Pause all, and one position for every take.
#[component]
fn CompareControls() -> impl IntoView {
    let i18n = use_i18n();
    let (position, set_position) = signal(0u32);
    // Waits until every take can play (each loads at its own pace), lines them up at the same
    // position, then starts them together.
    let play_all = move |_| {
        spawn_local(async move {
            let all = videos();
            for v in &all {
                ready(v).await;
            }
            let at = all.first().map(|v| v.current_time()).unwrap_or(0.0);
            for v in &all {
                v.set_current_time(at);
            }
            for v in &all {
                let _ = v.play();
            }
        });
    };
    let pause_all = move |_| {
        for v in videos() {
            let _ = v.pause();
        }
    };
    let seek_all = move |ev: leptos::ev::Event| {
        let per_mille: u32 = event_target_value(&ev).parse().unwrap_or(0);
        set_position.set(per_mille);
        for v in videos() {
            let d = v.duration();
            if d.is_finite() && d > 0.0 {
                v.set_current_time(d * f64::from(per_mille) / 1000.0);
            }
        }
    };
    view! {
        <div class="row compare-controls">
            <button type="button" on:click=play_all>{i18n.t("compare.play_all")}</button>
            <button type="button" on:click=pause_all>{i18n.t("compare.pause_all")}</button>
            <label for="compare-position">{i18n.t("compare.position")}</label>
            <input
                id="compare-position"
                type="range"
                min="0"
                max="1000"
                prop:value=move || position.get().to_string()
                on:input=seek_all
            />
        </div>
    }
}

/// The takes' settings, what differs marked.
#[component]
fn CompareTable(
    /// The takes.
    takes: Memo<Vec<TaskRecord>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || {
        takes.with(|takes| {
            let requests: Vec<_> = takes.iter().map(|t| t.request.as_ref()).collect();
            settings_diff(&requests)
        })
    };
    view! {
        // On a phone the takes' columns scroll sideways under their labels; a region the keyboard
        // can reach and scroll.
        <div class="diff-scroll" role="region" tabindex="0" aria-labelledby="compare-caption">
        <table class="diff">
            <caption id="compare-caption">{i18n.t("compare.caption")}</caption>
            <tbody>
                {move || {
                    rows()
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr class:differs=row.differs>
                                    <th scope="row"><Text msg=row.label /> {row.differs.then_some(" ≠")}</th>
                                    {row.values.into_iter().map(|v| view! { <td><Text msg=v /></td> }).collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
        </div>
    }
}
