//! One task: id, status, elapsed time, queue and run times, and its result or problem. What it
//! says comes from `domain::card`; these components lay it out.

use leptos::prelude::*;

use super::check_field::CheckField;
use super::error_box::ErrorBox;
use super::text::Text;
use super::video_result::VideoResult;
use crate::domain::card::{self, Outcome};
use crate::domain::history::eta_ms;
use crate::domain::message::Msg;
use crate::domain::settings::check_key;
use crate::domain::task::{TaskRecord, Watch};
use crate::state::browser::{copy_text, focus, BrowserUrl};
use crate::state::poller::use_poller;
use crate::state::site::share_url;
use crate::state::toast::use_toasts;
use crate::state::{use_app_state, use_i18n};

/// The ledger entry a card follows (`None` once deleted).
type Record = Memo<Option<TaskRecord>>;

/// A task card, following the ledger entry with this id.
#[component]
pub fn TaskCard(
    /// The task's id in the ledger.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let record: Record = {
        let id = id.clone();
        Memo::new(move |_| {
            state
                .ledger
                .tasks()
                .with(|t| t.iter().find(|r| r.id == id).cloned())
        })
    };
    // What the page really does about this task (checking, paused, someone else's endpoint…),
    // from the same rule the poller follows.
    let watch = Memo::new(move |_| {
        record.with(|r| {
            let r = r.as_ref()?;
            let route = state.route_task(&r.endpoint).map(|_| ());
            let key_ok = state.demo || state.key.with(|k| check_key(k).is_none());
            Some(Watch::of(r, state.now.get(), route, key_ok))
        })
    });
    let label = Msg::new("card.aria").with("id", &id);
    view! {
        <article class="task" aria-label=move || i18n.render(&label)>
            <CardFacts record=record watch=watch />
            <CardSummary record=record />
            <CardWatch id=id.clone() record=record watch=watch />
            <CardOutcome record=record watch=watch />
            <CompareToggle id=id.clone() record=record />
            <CardActions id=id record=record />
        </article>
    }
}

/// Task ID, status chip and elapsed time.
#[component]
fn CardFacts(
    /// The task.
    record: Record,
    /// What the page does about it.
    watch: Memo<Option<Watch>>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let class = move || {
        let class =
            watch.with(|w| record.with(|r| r.as_ref().map(|r| card::chip_class(r, w.as_ref()))));
        format!("status status-{}", class.unwrap_or("unknown"))
    };
    view! {
        <dl class="facts">
            <div>
                <dt>{i18n.t("card.task_id")}</dt>
                <dd>
                    {move || match record.with(|r| r.as_ref().map(|r| card::shown_id(r).map(str::to_string))) {
                        Some(Some(id)) => view! { <code>{id}</code> }.into_any(),
                        _ => view! { <span class="hint">{i18n.t("card.id_unknown")}</span> }.into_any(),
                    }}
                </dd>
            </div>
            <div>
                <dt>{i18n.t("card.status")}</dt>
                <dd>
                    <span role="status" class=class>
                        {move || {
                            watch.with(|w| {
                                record.with(|r| r.as_ref().map(|r| i18n.render(&card::status_label(r, w.as_ref()))))
                            })
                        }}
                    </span>
                </dd>
            </div>
            <div>
                <dt>{i18n.t("card.elapsed")}</dt>
                <dd class="elapsed">
                    {move || {
                        record
                            .with(|r| r.as_ref().and_then(|r| card::elapsed(r, state.now.get())))
                            .unwrap_or_else(|| "—".into())
                    }}
                </dd>
            </div>
        </dl>
    }
}

/// Prompt excerpt, settings, creation time, the service's phases and how long it stays
/// queryable.
#[component]
fn CardSummary(
    /// The task.
    record: Record,
) -> impl IntoView {
    let state = use_app_state();
    let timing = move || {
        record.with(|r| {
            let r = r.as_ref()?;
            let eta = r
                .request
                .as_ref()
                .and_then(|q| state.ledger.tasks().with(|t| eta_ms(t, q)));
            card::timing(r, state.now.get(), eta)
        })
    };
    view! {
        {move || record.with(|r| r.as_ref().map(|r| {
            let settings = card::settings_summary(r.request.as_ref());
            let created = Msg::new("time.moment").with_time("time", r.created_ms());
            view! {
                <p class="prompt-excerpt">{card::prompt_excerpt(r)}</p>
                <p class="hint"><Text msg=settings /> " · " <Text msg=created /></p>
            }
        }))}
        {move || record.with(|r| r.as_ref().and_then(card::phases)).map(|p| view! { <p class="hint"><Text msg=p /></p> })}
        {move || timing().map(|t| view! { <p class="hint"><Text msg=t /></p> })}
    }
}

/// What the page is doing about it when that is not plain checking: paused (with the problem
/// and Check again), someone else's endpoint, no key, past its 24 h.
#[component]
fn CardWatch(
    /// The task's id in the ledger.
    id: String,
    /// The task.
    record: Record,
    /// What the page does about it.
    watch: Memo<Option<Watch>>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let poller = use_poller();
    let check_again = {
        let id = id.clone();
        move |_| {
            state.ledger.update(&id, |r| {
                r.paused = false;
                r.problem = None;
            });
            poller.start(id.clone());
        }
    };
    view! {
        {move || match watch.get() {
            Some(Watch::Foreign(host)) => view! { <ForeignTask id=id.clone() host=host /> }.into_any(),
            other => other
                .and_then(|w| w.explain())
                .map(|e| view! { <p class="explain watch" role="status"><Text msg=e /></p> })
                .into_any(),
        }}
        {move || record.get().and_then(|r| r.problem).map(|p| view! { <ErrorBox explanation=p /> })}
        <Show when=move || watch.get() == Some(Watch::Paused)>
            <button type="button" on:click=check_again.clone()>
                {i18n.t("card.check_again")}
            </button>
        </Show>
    }
}

/// The result: the video, a failure explained, or a note about the status.
#[component]
fn CardOutcome(
    /// The task.
    record: Record,
    /// What the page does about it.
    watch: Memo<Option<Watch>>,
) -> impl IntoView {
    let outcome = Memo::new(move |_| {
        record.with(|r| {
            let r = r.as_ref()?;
            let video = r.snapshot.safe_video_url(&BrowserUrl);
            Some((r.id.clone(), card::outcome(r, video, &watch.get()?)))
        })
    });
    move || {
        outcome.get().map(|(id, o)| match o {
            Outcome::Video(url) => view! { <VideoResult url=url task_id=id /> }.into_any(),
            Outcome::Problem(e) => view! { <ErrorBox explanation=e /> }.into_any(),
            Outcome::Note(m) => view! { <p class="explain"><Text msg=m /></p> }.into_any(),
            Outcome::Nothing => ().into_any(),
        })
    }
}

/// "Compare this take", for a finished video whose link still works.
#[component]
fn CompareToggle(
    /// The task's id in the ledger.
    id: String,
    /// The task.
    record: Record,
) -> impl IntoView {
    let state = use_app_state();
    let selection = use_context::<super::compare::CompareSelection>().map(|c| c.0);
    let comparable = move || {
        record.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.has_live_video(state.now.get(), &BrowserUrl))
        })
    };
    let chosen = {
        let id = id.clone();
        Signal::derive(move || selection.is_some_and(|c| c.with(|ids| ids.contains(&id))))
    };
    let toggle = {
        let id = id.clone();
        Callback::new(move |on: bool| {
            if let Some(c) = selection {
                c.update(|ids| {
                    ids.retain(|x| *x != id);
                    if on && ids.len() < crate::domain::compare::MAX_TAKES {
                        ids.push(id.clone());
                    }
                });
            }
        })
    };
    let box_id = format!("compare-{id}");
    view! {
        <Show when=comparable>
            <CheckField id=box_id.clone() label=Msg::new("card.compare") checked=chosen on_change=toggle />
        </Show>
    }
}

/// Re-run with these settings, copy them, delete (with undo).
#[component]
fn CardActions(
    /// The task's id in the ledger.
    id: String,
    /// The task.
    record: Record,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let request = move || record.with_untracked(|r| r.as_ref().and_then(|r| r.request.clone()));
    let rerun = move |_| {
        if let Some(q) = request() {
            toasts.replace_draft(q.to_form(), Msg::new("toast.rerun_loaded"));
            focus("prompt");
        }
    };
    // A share link: what the app itself accepts back (open it, or paste it into the address bar).
    let copy_settings = move |_| {
        if let Some(q) = request() {
            match share_url(&q.to_form()) {
                Ok(url) => {
                    copy_text(&url);
                    toasts.say(Msg::new("toast.settings_link_copied"));
                }
                Err(why) => toasts.problem(why),
            }
        }
    };
    let delete = move |_| {
        let removed = state.ledger.remove(&id);
        toasts.removed(removed, Msg::new("card.deleted").with("id", &id));
    };
    let has_request = move || record.with(|r| r.as_ref().is_some_and(|r| r.request.is_some()));
    view! {
        <div class="actions card-actions">
            <Show when=has_request>
                <button type="button" on:click=rerun>{i18n.t("card.rerun")}</button>
                <button type="button" on:click=copy_settings>{i18n.t("card.copy_settings")}</button>
            </Show>
            <button type="button" on:click=delete>{i18n.t("card.delete")}</button>
        </div>
    }
}

/// A task whose endpoint is not one of the user's (an imported one, say): it is not checked,
/// because the key goes only to endpoints the user chose. The user may check it at one of their
/// own endpoints instead.
#[component]
fn ForeignTask(
    /// The task's id in the ledger.
    id: String,
    /// The host its endpoint names.
    host: String,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let poller = use_poller();
    let mine = Memo::new(move |_| state.my_endpoints());
    let (chosen, set_chosen) = signal(0usize);
    let select_id = format!("foreign-{id}");
    let text = Msg::new("card.foreign").with("host", &host);
    let check_here = move |_| {
        let Some(endpoint) = mine.with_untracked(|m| m.get(chosen.get_untracked()).cloned()) else {
            return;
        };
        state.ledger.update(&id, |r| {
            r.endpoint = endpoint.url().to_string();
            r.paused = false;
            r.problem = None;
        });
        poller.start(id.clone());
    };
    view! {
        <div class="notice foreign" role="status">
            <p><Text msg=text /></p>
            <Show
                when=move || mine.with(|m| !m.is_empty())
                fallback=move || view! { <p class="hint">{i18n.t("card.foreign_none")}</p> }
            >
                <div class="row">
                    <label for=select_id.clone()>{i18n.t("card.foreign_choose")}</label>
                    <select
                        id=select_id.clone()
                        on:change=move |ev| set_chosen.set(event_target_value(&ev).parse().unwrap_or(0))
                    >
                        {move || {
                            mine.get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, e)| view! { <option value=i.to_string()>{e.endpoint().shown.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                    <button type="button" on:click=check_here.clone()>{i18n.t("card.foreign_check")}</button>
                </div>
            </Show>
        </div>
    }
}
