//! The tasks of this browser, newest first.

use leptos::prelude::*;

use super::task_card::TaskCard;
use crate::state::use_app_state;

/// The task section; hidden until there is a task.
#[component]
pub fn TaskList() -> impl IntoView {
    let state = use_app_state();
    let ids = Memo::new(move |_| {
        state
            .ledger
            .tasks()
            .with(|t| t.iter().rev().map(|r| r.id.clone()).collect::<Vec<_>>())
    });
    view! {
        <Show when=move || ids.with(|i| !i.is_empty())>
            <section class="panel tasks" aria-labelledby="tasks-h">
                <h2 id="tasks-h">"Task"</h2>
                <For each=move || ids.get() key=|id| id.clone() let(id)>
                    <TaskCard id=id />
                </For>
            </section>
        </Show>
    }
}
