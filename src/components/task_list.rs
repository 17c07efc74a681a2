//! The tasks and their history: newest first, filter by status, delete with undo, clear finished,
//! look up an id, export/import, and the estimated spend.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::compare::{CompareSelection, CompareTakes};
use super::lookup_box::LookupBox;
use super::msg::Msg;
use super::task_card::TaskCard;
use crate::domain::history::{
    clear_finished, export_json, import_json, merge, restore, StatusFilter,
};
use crate::domain::message::{text_with, Bilingual};
use crate::domain::task::TaskRecord;
use crate::state::browser::{read_chosen_file, save_text};
use crate::state::{use_app_state, use_i18n};

/// How many cards are rendered at first; "Show more" adds as many again.
const PAGE: usize = 30;

/// Something that can be undone: the tasks removed and what to say.
#[derive(Clone)]
pub struct Undo {
    /// The removed tasks.
    pub removed: Vec<TaskRecord>,
    /// What happened.
    pub text: Bilingual,
}

/// The task section.
#[component]
pub fn TaskList() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let (filter, set_filter) = signal(StatusFilter::All);
    let (shown, set_shown) = signal(PAGE);
    let (undo, set_undo) = signal(None::<Undo>);
    let (note, set_note) = signal(None::<Bilingual>);
    provide_context(set_undo);
    provide_context(CompareSelection(RwSignal::new(Vec::new())));

    let matching = Memo::new(move |_| {
        let f = filter.get();
        let now = state.now_untracked();
        state.ledger.tasks().with(|t| {
            t.iter()
                .rev()
                .filter(|r| f.matches(r, now))
                .map(|r| r.id.clone())
                .collect::<Vec<_>>()
        })
    });
    let visible = Memo::new(move |_| {
        matching.with(|ids| ids.iter().take(shown.get()).cloned().collect::<Vec<_>>())
    });
    let total = Memo::new(move |_| state.ledger.tasks().with(Vec::len));
    let spend = move || {
        let pricing = state.settings.with(|s| s.pricing.clone());
        let sum = state.ledger.tasks().with(|t| pricing.total(t));
        text_with("tasks.spend", &[("amount", &pricing.format(sum))])
    };

    let clear = move |_| {
        let now = state.now_untracked();
        let removed = state.ledger.modify(|t| clear_finished(t, now));
        if !removed.is_empty() {
            let n = removed.len();
            set_undo.set(Some(Undo {
                removed,
                text: text_with("tasks.cleared", &[("n", &n.to_string())]),
            }));
        }
    };
    let do_undo = move |_| {
        if let Some(u) = undo.get_untracked() {
            state.ledger.modify(|t| restore(t, u.removed));
            set_undo.set(None);
        }
    };
    let export = move |_| {
        let text = state
            .ledger
            .tasks()
            .with_untracked(|t| export_json(t, state.now_untracked()));
        let day = crate::state::browser::local_date(state.now_untracked());
        save_text(
            &text,
            &format!("wan-studio-history-{day}.json"),
            "application/json",
        );
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = read_chosen_file(&input).await.unwrap_or_default();
            input.set_value("");
            set_note.set(Some(match import_json(&text) {
                Ok((tasks, skipped)) => {
                    let added = state.ledger.modify(|t| merge(t, tasks));
                    text_with(
                        "tasks.imported",
                        &[
                            ("added", &added.to_string()),
                            ("skipped", &skipped.to_string()),
                        ],
                    )
                }
                Err(e) => e,
            }));
        });
    };

    view! {
        <section class="panel tasks" aria-labelledby="tasks-h">
            <h2 id="tasks-h">{i18n.t("tasks.heading")}</h2>
            <LookupBox />
            <div class="toolbar">
                <div class="field">
                    <label for="task-filter">{i18n.t("tasks.filter.label")}</label>
                    <select
                        id="task-filter"
                        on:change=move |ev| {
                            set_filter.set(StatusFilter::from_value(&event_target_value(&ev)));
                            set_shown.set(PAGE);
                        }
                    >
                        {StatusFilter::ALL
                            .into_iter()
                            .map(|f| view! { <option value=f.value() prop:selected=move || filter.get() == f>{move || i18n.pick(&f.label())}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="button" on:click=clear disabled=move || total.get() == 0>{i18n.t("tasks.clear_finished")}</button>
                <button type="button" on:click=export disabled=move || total.get() == 0>{i18n.t("tasks.export")}</button>
                <label class="button file">
                    {i18n.t("tasks.import")}
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import />
                </label>
            </div>
            <p class="hint" role="status">
                {move || undo.get().map(|u| view! {
                    <Msg text=u.text.clone() />
                    " "
                    <button type="button" class="small" on:click=do_undo>{i18n.t("tasks.undo")}</button>
                })}
                {move || note.get().map(|n| view! { <Msg text=n /> })}
            </p>
            <Show
                when=move || { total.get() > 0 }
                fallback=move || view! { <p class="empty tasks-empty">{i18n.t("tasks.empty")}</p> }
            >
                <p class="hint">{move || view! { <Msg text=spend() /> }}</p>
                <CompareTakes />
                <For each=move || visible.get() key=|id| id.clone() let(id)>
                    <TaskCard id=id />
                </For>
                <Show when=move || { matching.with(Vec::len) > shown.get() }>
                    <button type="button" on:click=move |_| set_shown.update(|n| *n += PAGE)>
                        {move || {
                            let more = matching.with(Vec::len).saturating_sub(shown.get());
                            i18n.now_with("tasks.show_more", &[("n", &more.to_string())])
                        }}
                    </button>
                </Show>
                <Show when=move || matching.with(Vec::is_empty)>
                    <div class="empty tasks-no-match">
                        <p>{i18n.t("tasks.no_match")}</p>
                        <button
                            type="button"
                            class="small"
                            on:click=move |_| {
                                set_filter.set(StatusFilter::All);
                                set_shown.set(PAGE);
                            }
                        >
                            {i18n.t("tasks.no_match_clear")}
                        </button>
                    </div>
                </Show>
            </Show>
        </section>
    }
}
