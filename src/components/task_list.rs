//! The tasks and their history: newest first, filter by status, delete with undo, clear finished,
//! look up an id, export/import, save and import the library, and the estimated spend.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::compare::CompareTakes;
use super::lookup_box::LookupBox;
use super::spend_table::SpendTable;
use super::task_card::TaskCard;
use super::text::Text;
use crate::domain::history::{export_json, pictures_of, ImportFile, StatusFilter};
use crate::domain::keep::reminder;
use crate::domain::message::Msg;
use crate::domain::redact::Redactor;
use crate::state::browser::{chosen_file, local_date, read_text, save_blob, save_text};
use crate::state::images::export_picture;
use crate::state::keep::use_keeper;
use crate::state::ledger::{View, PAGE};
use crate::state::library::{import_library, is_archive, save_library};
use crate::state::toast::use_toasts;
use crate::state::{use_app_state, use_i18n};

/// The task section.
#[component]
pub fn TaskList() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let total = Memo::new(move |_| state.ledger.summary().with(|s| s.tasks));
    // One count per clock tick for the chips and the gallery.
    let counts = Memo::new(move |_| state.ledger.counts(state.now.get()));
    let spend = move || {
        let pricing = state.settings.with(|s| s.pricing.clone());
        let sum = state.ledger.summary().with(|s| s.spend(&pricing));
        Msg::new("tasks.spend").with("amount", pricing.format(sum))
    };
    // Takes whose links die within hours with nothing of them safe.
    let keeper = use_keeper();
    let expiring = keeper.expiring();
    let reminder = Memo::new(move |_| expiring.with(|ids| reminder(ids.len())));
    let dying = move || {
        expiring.with_untracked(|ids| {
            ids.iter()
                .filter_map(|id| state.ledger.get_untracked(id))
                .collect::<Vec<_>>()
        })
    };
    // The dying takes this browser can keep (tracked: a keep in flight or a host learnt moves it).
    let keepable = Memo::new(move |_| {
        expiring.track();
        keeper.keepable(&dying())
    });
    view! {
        <section class="panel tasks" aria-labelledby="tasks-h">
            <h2 id="tasks-h" tabindex="-1">{i18n.t("tasks.heading")}</h2>
            <LookupBox />
            <Toolbar total=total.into() />
            <Show
                when=move || { total.get() > 0 }
                fallback=move || {
                    let ready = state.ledger.ready();
                    move || ready.get().then(|| view! { <p class="empty tasks-empty">{i18n.t("tasks.empty")}</p> })
                }
            >
                <p class="hint">{move || view! { <Text msg=spend() /> }}</p>
                <SpendTable />
                <div class="notice expiring-all" hidden=move || reminder.with(Option::is_none)>
                    <p role="status">{move || reminder.get().map(|m| view! { <Text msg=m /> })}</p>
                    <Show when=move || keepable.with(|k| !k.is_empty())>
                        <button type="button" on:click=move |_| {
                            for id in keepable.get_untracked() {
                                keeper.keep(id, true);
                            }
                        }>{i18n.t("keep.expiring_keep")}</button>
                    </Show>
                    <button type="button" on:click=move |_| keeper.save_all(&dying())>
                        {i18n.t("keep.expiring_save")}
                    </button>
                </div>
                <FilterChips counts=counts />
                <CompareTakes />
                <History counts=counts />
            </Show>
        </section>
    }
}

/// Clear finished, Export and Import.
#[component]
fn Toolbar(
    /// How many tasks there are.
    total: Signal<u64>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let keeper = use_keeper();
    let clear = move |_| {
        leptos::task::spawn_local(async move {
            let removed = state.ledger.clear_finished(state.now_untracked()).await;
            let text = Msg::new("tasks.cleared").with("n", removed.len().to_string());
            toasts.removed(removed, text);
        });
    };
    let with_pictures = RwSignal::new(true);
    let export = move |_| {
        leptos::task::spawn_local(async move {
            let tasks = state.ledger.all().await;
            let mut pictures = Vec::new();
            if let (true, Some(db)) = (with_pictures.get_untracked(), state.ledger.db()) {
                for hash in pictures_of(&tasks) {
                    pictures.extend(export_picture(&db, &hash).await);
                }
            }
            let redactor = Redactor::new(&state.key.get_untracked());
            let now = state.now_untracked();
            let text = export_json(&tasks, &pictures, now, &redactor);
            let day = local_date(now);
            save_text(
                &text,
                &format!("wan-studio-history-{day}.json"),
                "application/json",
            );
        });
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = chosen_file(&input) else {
            return;
        };
        input.set_value("");
        leptos::task::spawn_local(async move {
            toasts.say(Msg::new("tasks.importing"));
            let redactor = Redactor::new(&state.key.get_untracked());
            let now = state.now_untracked();
            let report = if is_archive(&file).await {
                import_library(state, keeper, file.into(), &redactor, now).await
            } else {
                let contents = read_text(&file).await.unwrap_or_default();
                match ImportFile::read(&contents) {
                    Ok(file) => Ok(state.ledger.import(file, &redactor, now).await),
                    Err(e) => Err(e),
                }
            };
            match report {
                Ok(report) => {
                    let text = report.message();
                    toasts.added(report.added_ids, text);
                }
                Err(e) => toasts.say(e),
            }
        });
    };
    let saving = RwSignal::new(false);
    let save = move |_| {
        saving.set(true);
        toasts.say(Msg::new("library.saving"));
        leptos::task::spawn_local(async move {
            match save_library(state).await {
                Ok((blob, saved)) => {
                    let day = local_date(state.now_untracked());
                    save_blob(&blob, &format!("wan-studio-library-{day}.zip"));
                    toasts.say(saved.message());
                }
                Err(e) => toasts.problem(e),
            }
            let _ = saving.try_set(false);
        });
    };
    view! {
        <div class="toolbar">
            <button type="button" class="danger" on:click=clear disabled=move || total.get() == 0>{i18n.t("tasks.clear_finished")}</button>
            <button type="button" on:click=export disabled=move || total.get() == 0 aria-describedby="export-pictures-hint">{i18n.t("tasks.export")}</button>
            <label class="inline-check">
                <input
                    type="checkbox"
                    prop:checked=move || with_pictures.get()
                    on:change=move |ev| with_pictures.set(event_target_checked(&ev))
                    aria-describedby="export-pictures-hint"
                />
                {i18n.t("tasks.export_pictures")}
            </label>
            <span id="export-pictures-hint" class="visually-hidden">{i18n.t("tasks.export_pictures_hint")}</span>
            <button
                type="button"
                on:click=save
                disabled=move || total.get() == 0 || saving.get()
                aria-describedby="save-library-hint"
            >
                {i18n.t("library.save")}
            </button>
            <span id="save-library-hint" class="visually-hidden">{i18n.t("library.save_hint")}</span>
            <label class="button file">
                {i18n.t("tasks.import")}
                <input
                    type="file"
                    accept="application/json,.json,application/zip,.zip"
                    class="visually-hidden"
                    on:change=import
                />
            </label>
        </div>
    }
}

/// "Show": one chip per filter, with how many tasks it shows.
#[component]
fn FilterChips(
    /// How many tasks each filter shows, in `StatusFilter::ALL`'s order.
    counts: Memo<[usize; 4]>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let filter = move || state.ledger.view().with(|v| v.filter);
    view! {
        <fieldset class="chips">
            <legend>{i18n.t("tasks.filter.label")}</legend>
            {StatusFilter::ALL
                .into_iter()
                .enumerate()
                .map(|(i, f)| view! {
                    <label class="chip" class:selected=move || filter() == f>
                        <input
                            type="radio"
                            name="task-filter"
                            value=f.value()
                            prop:checked=move || filter() == f
                            on:change=move |_| state.ledger.show(View { filter: f, shown: PAGE })
                        />
                        <span>{move || i18n.render(&f.label())}</span>
                        " "
                        <span class="count">{move || counts.with(|c| c[i])}</span>
                    </label>
                })
                .collect_view()}
        </fieldset>
    }
}

/// The cards the filter shows, newest first, a page at a time.
#[component]
fn History(
    /// How many tasks each filter shows, in `StatusFilter::ALL`'s order.
    counts: Memo<[usize; 4]>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let ledger = state.ledger;
    let visible = Memo::new(move |_| ledger.shown_ids(state.now_untracked()));
    let view = ledger.view();
    let matching = move || {
        let v = view.get();
        let i = StatusFilter::ALL
            .iter()
            .position(|f| *f == v.filter)
            .unwrap_or(0);
        counts.with(|c| c[i])
    };
    let more = move || matching().saturating_sub(view.with(|v| v.shown));
    let show = move |filter, shown| ledger.show(View { filter, shown });
    view! {
        <div class="gallery">
            <For each=move || visible.get() key=|id| id.clone() let(id)>
                <TaskCard id=id />
            </For>
        </div>
        <Show when=move || { more() > 0 }>
            <button
                type="button"
                on:click=move |_| view.with_untracked(|v| show(v.filter, v.shown + PAGE))
            >
                {move || i18n.render(&Msg::new("tasks.show_more").with("n", more().to_string()))}
            </button>
        </Show>
        <Show when=move || matching() == 0>
            <div class="empty tasks-no-match">
                <p>{i18n.t("tasks.no_match")}</p>
                <button
                    type="button"
                    class="small"
                    on:click=move |_| show(StatusFilter::All, PAGE)
                >
                    {i18n.t("tasks.no_match_clear")}
                </button>
            </div>
        </Show>
    }
}
