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
use crate::domain::message::Bilingual;
use crate::domain::task::TaskRecord;
use crate::state::browser::{read_chosen_file, save_text};
use crate::state::use_app_state;

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
        Bilingual::new(
            format!("Estimated spend on succeeded videos: {} (list price; your provider's price may differ).", pricing.format(sum)),
            format!("已完成视频的预估花费：{}（按标价估算，实际价格以服务商为准）。", pricing.format(sum)),
        )
    };

    let clear = move |_| {
        let now = state.now_untracked();
        let removed = state.ledger.modify(|t| clear_finished(t, now));
        if !removed.is_empty() {
            let n = removed.len();
            set_undo.set(Some(Undo {
                removed,
                text: Bilingual::new(
                    format!("Cleared {n} finished task(s)."),
                    format!("已清除 {n} 个已结束的任务。"),
                ),
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
                    Bilingual::new(
                        format!("Imported {added} task(s); {skipped} unreadable record(s) skipped; tasks already here were kept as they are."),
                        format!("已导入 {added} 个任务；跳过 {skipped} 条无法读取的记录；已有的任务保持不变。"),
                    )
                }
                Err(e) => e,
            }));
        });
    };

    view! {
        <section class="panel tasks" aria-labelledby="tasks-h">
            <h2 id="tasks-h">"Tasks"</h2>
            <LookupBox />
            <div class="toolbar">
                <div class="field">
                    <label for="task-filter">"Show"</label>
                    <select
                        id="task-filter"
                        on:change=move |ev| {
                            set_filter.set(StatusFilter::from_value(&event_target_value(&ev)));
                            set_shown.set(PAGE);
                        }
                    >
                        {StatusFilter::ALL
                            .into_iter()
                            .map(|f| view! { <option value=f.value() selected=move || filter.get() == f>{f.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <button type="button" on:click=clear disabled=move || total.get() == 0>"Clear finished"</button>
                <button type="button" on:click=export disabled=move || total.get() == 0>"Export history"</button>
                <label class="button file">
                    "Import history"
                    <input type="file" accept="application/json,.json" class="visually-hidden" on:change=import />
                </label>
            </div>
            <p class="hint" role="status">
                {move || undo.get().map(|u| view! {
                    <Msg text=u.text.clone() />
                    " "
                    <button type="button" class="small" on:click=do_undo>"Undo"</button>
                })}
                {move || note.get().map(|n| view! { <Msg text=n /> })}
            </p>
            <Show
                when=move || { total.get() > 0 }
                fallback=|| view! {
                    <p class="empty">
                        <Msg text=Bilingual::new(
                            "No tasks yet. Fill in the form and press Generate, or look up a task ID. Every task you make is kept here (in this browser) until you delete it.",
                            "暂无任务。填写表单并点击 Generate，或查询任务 ID。你创建的每个任务都会保存在这里（本浏览器中），直到你删除。",
                        ) />
                    </p>
                }
            >
                <p class="hint">{move || view! { <Msg text=spend() /> }}</p>
                <CompareTakes />
                <For each=move || visible.get() key=|id| id.clone() let(id)>
                    <TaskCard id=id />
                </For>
                <Show when=move || { matching.with(Vec::len) > shown.get() }>
                    <button type="button" on:click=move |_| set_shown.update(|n| *n += PAGE)>
                        {move || format!("Show more ({} more) / 显示更多", matching.with(Vec::len) - shown.get())}
                    </button>
                </Show>
                <Show when=move || matching.with(Vec::is_empty)>
                    <p class="empty">"No tasks match this filter. / 没有符合筛选条件的任务。"</p>
                </Show>
            </Show>
        </section>
    }
}
