//! One task: id, status, elapsed time, queue and run times, and its result or problem.

use leptos::prelude::*;

use super::error_box::ErrorBox;
use super::msg::Msg;
use super::task_list::Undo;
use super::video_result::VideoResult;
use crate::domain::form::ShotType;
use crate::domain::history::{eta_minutes, eta_ms};
use crate::domain::message::{text, text_with, text_with_each, Bilingual};
use crate::domain::task::{Origin, TaskStatus};
use crate::domain::time::{clock, parse_china_time, span};
use crate::state::browser::{copy_text, focus, local_time};
use crate::state::{poller, use_app_state, use_i18n};

/// A task card, following the ledger entry with this id.
#[component]
pub fn TaskCard(
    /// The task id.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let record = {
        let id = id.clone();
        Memo::new(move |_| {
            state
                .ledger
                .tasks()
                .with(|t| t.iter().find(|r| r.id == id).cloned())
        })
    };
    let status = Memo::new(move |_| record.with(|r| r.as_ref().map(|r| r.snapshot.status.clone())));
    let elapsed = move || {
        record.with(|r| {
            let r = r.as_ref()?;
            let s = &r.snapshot;
            let server = |t: &Option<String>| t.as_deref().and_then(parse_china_time);
            let ms = if s.status.is_terminal() {
                match (server(&s.submit_time), server(&s.end_time)) {
                    (Some(a), Some(b)) => b - a,
                    _ => return None,
                }
            } else {
                state.now.get() - r.submitted_at_ms
            };
            Some(clock(ms))
        })
    };
    let phases = move || {
        record.with(|r| {
            let s = &r.as_ref()?.snapshot;
            let t = |x: &Option<String>| x.as_deref().and_then(parse_china_time);
            let (submit, scheduled, end) =
                (t(&s.submit_time), t(&s.scheduled_time), t(&s.end_time));
            let mut parts = Vec::new();
            if let Some(a) = submit {
                let at = local_time(a);
                parts.push(text_with_each("card.accepted", &[("time", &at)]));
            }
            if let (Some(a), Some(b)) = (submit, scheduled) {
                let q = span(b - a);
                parts.push(text_with_each("card.queued", &[("time", &q)]));
            }
            if let (Some(b), Some(c)) = (scheduled, end) {
                let run = span(c - b);
                parts.push(text_with_each("card.ran", &[("time", &run)]));
            }
            (!parts.is_empty()).then(|| {
                Bilingual::from_fn(|lang| {
                    parts
                        .iter()
                        .map(|p| p.pick(lang))
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
            })
        })
    };
    let check_again = {
        let id = id.clone();
        move |_| {
            state.ledger.update(&id, |r| {
                r.paused = false;
                r.problem = None;
            });
            poller::start(state, id.clone());
        }
    };
    let set_undo = use_context::<WriteSignal<Option<Undo>>>();
    let summary = move || {
        record.with(|r| {
            let r = r.as_ref()?;
            let prompt: String = r.prompt().unwrap_or("").chars().take(140).collect();
            let more = r.prompt().is_some_and(|p| p.chars().count() > 140);
            let settings = match r.request.as_ref() {
                Some(q) => {
                    let (w, h) = q.size.dimensions();
                    let size = Bilingual::same(format!("{w}×{h}"));
                    let duration = Bilingual::same(q.duration.to_string());
                    let shot = match q.shot_type {
                        ShotType::Single => text("card.shot_single"),
                        ShotType::Multi => text("card.shot_multi"),
                    };
                    let args = [("size", &size), ("duration", &duration), ("shot", &shot)];
                    match q.seed {
                        Some(s) => {
                            let seed = Bilingual::same(s.to_string());
                            let mut args = args.to_vec();
                            args.push(("seed", &seed));
                            text_with_each("card.settings_seed", &args)
                        }
                        None => text_with_each("card.settings", &args),
                    }
                }
                None => text("card.settings_unknown"),
            };
            Some((
                format!("{prompt}{}", if more { "…" } else { "" }),
                settings,
                local_time(r.created_ms()),
            ))
        })
    };
    let timing = move || {
        record.with(|r| {
            let r = r.as_ref()?;
            let now = state.now.get();
            if r.is_finished(now) {
                return None;
            }
            let left = span(r.queryable_for_ms(now)?);
            let eta = r
                .request
                .as_ref()
                .and_then(|q| state.ledger.tasks().with(|t| eta_ms(t, q)));
            let queryable = text_with_each("card.queryable", &[("left", &left)]);
            Some(match eta {
                Some(ms) => queryable.then(&text_with(
                    "card.usually_ready",
                    &[("min", &eta_minutes(ms).to_string())],
                )),
                None => queryable,
            })
        })
    };
    let rerun = move |_| {
        if let Some(q) = record.with_untracked(|r| r.as_ref().and_then(|r| r.request.clone())) {
            state.set_form.set(q.to_form());
            focus("prompt");
        }
    };
    let copy_settings = move |_| {
        if let Some(q) = record.with_untracked(|r| r.as_ref().and_then(|r| r.request.clone())) {
            if let Ok(text) = serde_json::to_string_pretty(&q) {
                copy_text(&text);
            }
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let removed = state.ledger.remove(&id);
            if let (Some(set_undo), false) = (set_undo, removed.is_empty()) {
                set_undo.set(Some(Undo {
                    removed,
                    text: text_with("card.deleted", &[("id", &id)]),
                }));
            }
        }
    };
    let compare = use_context::<super::compare::CompareSelection>().map(|c| c.0);
    let comparable = move || {
        record.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.has_live_video(state.now.get()))
        })
    };
    let compare_id = id.clone();
    let chosen = move || compare.is_some_and(|c| c.with(|ids| ids.contains(&compare_id)));
    let toggle_id = id.clone();
    let toggle_compare = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        if let Some(c) = compare {
            c.update(|ids| {
                ids.retain(|x| x != &toggle_id);
                if on && ids.len() < crate::domain::compare::MAX_TAKES {
                    ids.push(toggle_id.clone());
                }
            });
        }
    };
    let compare_box_id = format!("compare-{id}");
    let has_request = move || record.with(|r| r.as_ref().is_some_and(|r| r.request.is_some()));
    let unconfirmed =
        move || record.with(|r| r.as_ref().is_some_and(|r| r.origin == Origin::Unconfirmed));
    let label = text_with("card.aria", &[("id", &id)]);
    view! {
        <article class="task" aria-label=move || i18n.pick(&label)>
            <dl class="facts">
                <div>
                    <dt>{i18n.t("card.task_id")}</dt>
                    <dd><code>{id.clone()}</code></dd>
                </div>
                <div>
                    <dt>{i18n.t("card.status")}</dt>
                    <dd>
                        <span
                            role="status"
                            class=move || format!("status status-{}", status.get().map(|s| status_class(&s)).unwrap_or("unknown"))
                        >
                            {move || {
                                if unconfirmed() {
                                    Some(i18n.now("card.maybe_created"))
                                } else {
                                    status.get().map(|s| i18n.pick(&s.label()))
                                }
                            }}
                        </span>
                    </dd>
                </div>
                <div>
                    <dt>{i18n.t("card.elapsed")}</dt>
                    <dd class="elapsed">{move || elapsed().unwrap_or_else(|| "—".into())}</dd>
                </div>
            </dl>
            {move || summary().map(|(prompt, settings, created)| view! {
                <p class="prompt-excerpt">{prompt}</p>
                <p class="hint"><Msg text=settings /> " · " <Msg text=created /></p>
            })}
            {move || phases().map(|p| view! { <p class="hint"><Msg text=p /></p> })}
            {move || timing().map(|t| view! { <p class="hint"><Msg text=t /></p> })}
            {move || {
                record
                    .get()
                    .filter(|r| r.origin != Origin::Unconfirmed)
                    .map(|r| {
                        let s = r.snapshot.clone();
                        match &s.status {
                            TaskStatus::Succeeded => match s.safe_video_url() {
                                Some(url) => view! { <VideoResult url=url.to_string() task_id=r.id.clone() /> }.into_any(),
                                None => view! {
                                    <ErrorBox explanation=crate::domain::message::Explanation::plain(crate::domain::message::text("task.no_video_link")) />
                                }.into_any(),
                            },
                            TaskStatus::Failed => view! { <ErrorBox explanation=s.failure() /> }.into_any(),
                            other => other
                                .explain()
                                .map(|e| view! { <p class="explain"><Msg text=e /></p> })
                                .into_any(),
                        }
                    })
            }}
            {move || record.get().and_then(|r| r.problem).map(|p| view! { <ErrorBox explanation=p /> })}
            <Show when=move || record.with(|r| r.as_ref().is_some_and(|r| r.paused && !r.snapshot.status.is_terminal()))>
                <button type="button" on:click=check_again.clone()>
                    {i18n.t("card.check_again")}
                </button>
            </Show>
            <Show when=comparable>
                <div class="check-row">
                    <input
                        id=compare_box_id.clone()
                        type="checkbox"
                        prop:checked=chosen.clone()
                        on:change=toggle_compare.clone()
                    />
                    <label for=compare_box_id.clone()>{i18n.t("card.compare")}</label>
                </div>
            </Show>
            <div class="actions card-actions">
                <Show when=has_request>
                    <button type="button" on:click=rerun>{i18n.t("card.rerun")}</button>
                    <button type="button" on:click=copy_settings>{i18n.t("card.copy_settings")}</button>
                </Show>
                <button type="button" on:click=delete.clone()>{i18n.t("card.delete")}</button>
            </div>
        </article>
    }
}

fn status_class(s: &TaskStatus) -> &'static str {
    match s {
        TaskStatus::Pending => "pending",
        TaskStatus::Running => "running",
        TaskStatus::Succeeded => "succeeded",
        TaskStatus::Failed => "failed",
        TaskStatus::Canceled => "canceled",
        TaskStatus::Unknown | TaskStatus::Other(_) => "unknown",
    }
}
