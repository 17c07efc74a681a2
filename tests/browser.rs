//! Browser tests (wasm-bindgen-test in headless Chromium): storage hooks, the ledger, and
//! components mounted into a fresh element. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p wan-studio`.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use wan_studio::domain::catalog::Catalog;
use wan_studio::domain::form::FormState;
use wan_studio::domain::message::Lang;
use wan_studio::domain::redact::Redactor;
use wan_studio::domain::request::ModelRequest;
use wan_studio::domain::task::{Origin, TaskRecord, TaskSnapshot, TaskStatus};
use wan_studio::state::browser::BrowserUrl;
use wan_studio::state::db::Db;
use wan_studio::state::ledger::Ledger;
use wan_studio::state::problems::Problems;
use wan_studio::state::storage_keys::{
    DB_NAME, FORM_KEY, KEY_KEY, LANG_KEY, LEDGER_KEY, SETTINGS_KEY,
};

const LEDGER_ASIDE: &str = "wan-studio.tasks.v1.unreadable";
use wan_studio::App;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh element to mount into, clean storage (and no task database), and the English words the
/// page's boot script would have fetched.
async fn fresh_root() -> HtmlElement {
    wan_studio::state::i18n::preload(Catalog::builtin(Lang::En).clone());
    // What the boot script names: each language's catalog file (here as data: URLs).
    let files = js_sys::Object::new();
    for lang in Lang::ALL {
        let json = serde_json::to_string(Catalog::builtin(lang).texts()).unwrap();
        let url = format!(
            "data:application/json;charset=utf-8,{}",
            js_sys::encode_uri_component(&json)
        );
        js_sys::Reflect::set(&files, &lang.code().into(), &url.into()).unwrap();
    }
    js_sys::Reflect::set(&web_sys::window().unwrap(), &"wanCatalogs".into(), &files).unwrap();
    storage().clear().unwrap();
    Db::delete(DB_NAME).await.unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Waits until `f` holds, checking every 20 ms, for at most 2 s.
async fn wait_for(what: &str, f: impl Fn() -> bool) {
    for _ in 0..100 {
        if f() {
            return;
        }
        TimeoutFuture::new(20).await;
    }
    panic!("timed out waiting for {what}");
}

/// Mounts the app and waits until its last part, the form, is in place (the first mount spans a
/// few tasks: components/later.rs). Keep the handle: dropping it unmounts the app.
async fn mount_app(root: &HtmlElement) -> impl Sized {
    let handle = leptos::mount::mount_to(root.clone(), App);
    wait_for("the app mounted", || {
        root.query_selector("#prompt").ok().flatten().is_some()
    })
    .await;
    handle
}

fn by_id<T: JsCast>(root: &HtmlElement, id: &str) -> T {
    root.query_selector(&format!("#{id}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no #{id}"))
        .unchecked_into()
}

fn type_into(el: &HtmlElement, value: &str) {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
    }
    let ev = web_sys::Event::new_with_event_init_dict("input", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    el.dispatch_event(&ev).unwrap();
}

/// Submits the page's form as pressing Generate does.
fn submit_form(root: &HtmlElement) {
    let form: web_sys::HtmlFormElement = root
        .query_selector("form")
        .unwrap()
        .unwrap()
        .unchecked_into();
    form.request_submit().unwrap();
}

fn record(id: &str) -> TaskRecord {
    let request: ModelRequest = FormState {
        prompt: "a cat".into(),
        ..FormState::default()
    }
    .validate()
    .unwrap();
    TaskRecord {
        id: id.into(),
        service_id: None,
        request: Some(request),
        endpoint: "http://127.0.0.1:1/v1/responses".into(),
        submitted_at_ms: 1_770_000_000_000,
        snapshot: TaskSnapshot::with_status(TaskStatus::Succeeded),
        problem: None,
        legacy_problem: None,
        paused: false,
        origin: Origin::Submitted,
        family: None,
        billed_tokens: None,
        from_take: None,
        ended_at_ms: None,
        kept: None,
        downloaded: false,
        batch: None,
    }
}

/// A ledger on a fresh database (after `fresh_root`), once it has read what is stored.
async fn ready_ledger(owner: &Owner, problems: Problems) -> Ledger {
    let ledger = owner.with(|| Ledger::load(problems, &Redactor::default()));
    let ready = ledger.ready();
    wait_for("the ledger to read the database", || ready.get_untracked()).await;
    ledger
}

fn held_ids(ledger: &Ledger) -> Vec<String> {
    ledger
        .tasks()
        .get_untracked()
        .into_iter()
        .map(|r| r.id)
        .collect()
}

/// Waits until the database holds (or no longer holds) `id`.
async fn wait_stored(id: &str, present: bool) -> TaskRecord {
    let db = Db::open(DB_NAME).await.unwrap();
    for _ in 0..100 {
        let got = db.get(id).await.unwrap();
        if got.is_some() == present {
            db.close();
            return got.unwrap_or_else(|| record(id));
        }
        TimeoutFuture::new(20).await;
    }
    panic!("{id} never {}", if present { "stored" } else { "deleted" });
}

/// How many tasks the database holds.
async fn stored_count() -> u64 {
    let db = Db::open(DB_NAME).await.unwrap();
    let n = db.summary().await.unwrap().tasks;
    db.close();
    n
}

#[wasm_bindgen_test]
async fn ledger_round_trips_through_the_database() {
    let _root = fresh_root().await;
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let ledger = ready_ledger(&owner, problems).await;
    assert!(ledger.tasks().get_untracked().is_empty());
    // A submit's record: on disk when `insert` returns.
    let id = ledger.insert(record("t-1")).await;
    assert_eq!(id, "t-1");
    let db = Db::open(DB_NAME).await.unwrap();
    assert!(db.get("t-1").await.unwrap().is_some());
    // A relay repeating the id never overwrites the first (billed) task.
    assert_eq!(ledger.insert(record("t-1")).await, "t-1#2");
    ledger.update("t-1", |r| r.paused = true);
    assert!(wait_stored("t-1", true).await.paused);
    let again = ready_ledger(&owner, problems).await;
    assert_eq!(held_ids(&again), ["t-1", "t-1#2"]);
    assert!(again.tasks().get_untracked()[0].paused);
    assert_eq!(again.summary().get_untracked().tasks, 2);
    assert!(problems.list().get_untracked().is_empty());
    assert_eq!(again.remove(&["t-1".into()]).len(), 1);
    wait_stored("t-1", false).await;
    db.close();
}

#[wasm_bindgen_test]
async fn every_ledger_hears_of_another_ones_writes() {
    let _root = fresh_root().await;
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let this_tab = ready_ledger(&owner, problems).await;
    let other_tab = ready_ledger(&owner, problems).await;
    this_tab.insert(record("mine")).await;
    other_tab.insert(record("theirs")).await;
    wait_for("each to see both", || {
        held_ids(&this_tab).len() == 2 && held_ids(&other_tab).len() == 2
    })
    .await;
    other_tab.remove(&["mine".into()]);
    wait_for("the removal to reach this tab", || {
        held_ids(&this_tab) == ["theirs"]
    })
    .await;
    assert_eq!(this_tab.summary().get_untracked().tasks, 1);
}

#[wasm_bindgen_test]
async fn a_late_update_in_one_tab_never_brings_back_a_task_another_tab_deleted() {
    let _root = fresh_root().await;
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let this_tab = ready_ledger(&owner, problems).await;
    let other_tab = ready_ledger(&owner, problems).await;
    this_tab.insert(record("late")).await;
    this_tab.insert(record("kept")).await;
    wait_for("each to see both", || held_ids(&other_tab).len() == 2).await;
    // The other tab deletes it; a poll answer lands here before this tab hears of it.
    other_tab.remove(&["late".into()]);
    this_tab.update("late", |r| r.paused = true);
    wait_for("both tabs to let it go", || {
        held_ids(&this_tab) == ["kept"] && held_ids(&other_tab) == ["kept"]
    })
    .await;
    wait_stored("late", false).await;
    assert_eq!(stored_count().await, 1);
    assert_eq!(this_tab.summary().get_untracked().tasks, 1);
    assert!(problems.list().get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn a_local_storage_ledger_moves_into_the_database_once() {
    let _root = fresh_root().await;
    // The early bare array format and today's envelope both move.
    let legacy = serde_json::to_string(&vec![record("old-1"), record("old-2")]).unwrap();
    storage().set_item(LEDGER_KEY, &legacy).unwrap();
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let ledger = ready_ledger(&owner, problems).await;
    assert_eq!(held_ids(&ledger), ["old-1", "old-2"]);
    assert!(problems.list().get_untracked().is_empty());
    assert!(
        storage().get_item(LEDGER_KEY).unwrap().is_none(),
        "moved, not copied"
    );
    wait_stored("old-2", true).await;
    let again = ready_ledger(&owner, problems).await;
    assert_eq!(again.summary().get_untracked().tasks, 2, "once");
}

#[wasm_bindgen_test]
async fn corrupt_ledger_is_kept_aside_and_reported() {
    let _root = fresh_root().await;
    storage().set_item(LEDGER_KEY, "{\"truncated\": [").unwrap();
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let ledger = ready_ledger(&owner, problems).await;
    assert!(ledger.tasks().get_untracked().is_empty());
    let list = problems.list().get_untracked();
    assert_eq!(list.len(), 1);
    assert!(list[0].text.en().contains("could not be read"));
    assert!(!list[0].text.zh().is_empty());
    assert_eq!(list[0].aside_key.as_deref(), Some(LEDGER_ASIDE));
    assert_eq!(
        storage().get_item(LEDGER_ASIDE).unwrap().as_deref(),
        Some("{\"truncated\": [")
    );
}

#[wasm_bindgen_test]
async fn one_bad_record_does_not_cost_the_others() {
    let _root = fresh_root().await;
    let good = serde_json::to_value(record("good")).unwrap();
    let mixed = serde_json::json!({"version": 1, "tasks": [good, {"id": 42}]}).to_string();
    storage().set_item(LEDGER_KEY, &mixed).unwrap();
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let ledger = ready_ledger(&owner, problems).await;
    assert_eq!(held_ids(&ledger), ["good"]);
    assert!(problems.list().get_untracked()[0]
        .text
        .en()
        .contains("1 task(s) were recovered"));
    assert_eq!(
        storage().get_item(LEDGER_ASIDE).unwrap().as_deref(),
        Some(mixed.as_str())
    );
}

#[wasm_bindgen(inline_js = "
export async function put_raw_row(row) {
  const db = await new Promise((ok, no) => { const r = indexedDB.open('wan-studio'); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
  await new Promise((ok, no) => { const tx = db.transaction('tasks', 'readwrite'); tx.objectStore('tasks').put(row); tx.oncomplete = ok; tx.onerror = () => no(tx.error); });
  db.close();
}
export function refuse_writes(on) {
  const put = IDBObjectStore.prototype.put;
  if (!globalThis.__put) globalThis.__put = put;
  IDBObjectStore.prototype.put = on
    ? function () { throw new DOMException('full', 'QuotaExceededError'); }
    : globalThis.__put;
}
")]
extern "C" {
    async fn put_raw_row(row: JsValue);
    fn refuse_writes(on: bool);
}

#[wasm_bindgen_test]
async fn a_record_that_no_longer_reads_is_kept_aside_once_and_the_rest_shown() {
    let _root = fresh_root().await;
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let first = ready_ledger(&owner, problems).await;
    first.insert(record("good")).await;
    // A record as a newer build might write it.
    let row = js_sys::JSON::parse(
        r#"{"id":"future","neg":-1,"shelf":"ok","task":"{\"id\":\"future\",\"v\":9}"}"#,
    )
    .unwrap();
    put_raw_row(row).await;
    let ledger = ready_ledger(&owner, problems).await;
    assert_eq!(held_ids(&ledger), ["good"]);
    let aside = "wan-studio.tasks.db.unreadable";
    wait_for("the report", || {
        problems
            .list()
            .get_untracked()
            .iter()
            .any(|p| p.aside_key.as_deref() == Some(aside))
    })
    .await;
    let list = problems.list().get_untracked();
    let p = list
        .iter()
        .find(|p| p.aside_key.as_deref() == Some(aside))
        .unwrap();
    assert!(
        p.text.en().starts_with("1 saved task(s) could not be read"),
        "{}",
        p.text.en()
    );
    let kept: Vec<String> =
        serde_json::from_str(&storage().get_item(aside).unwrap().unwrap()).unwrap();
    assert_eq!(kept, [r#"{"id":"future","v":9}"#]);
    // Taken out of the database, so it is reported once.
    let db = Db::open(DB_NAME).await.unwrap();
    let mut left = 1;
    for _ in 0..100 {
        left = db.all(None).await.unwrap().unreadable.len();
        if left == 0 {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert_eq!(left, 0, "still in the database");
    assert_eq!(db.resummarise().await.unwrap().tasks, 1);
    db.close();
}

#[wasm_bindgen_test]
async fn a_full_disk_is_reported_and_the_task_kept_in_the_page() {
    let _root = fresh_root().await;
    let owner = Owner::new();
    let problems = owner.with(Problems::default);
    let ledger = ready_ledger(&owner, problems).await;
    refuse_writes(true);
    let id = ledger.insert(record("big")).await;
    refuse_writes(false);
    // The page still shows the task, and says it could not be saved.
    assert_eq!(id, "big");
    assert_eq!(held_ids(&ledger), ["big"]);
    let list = problems.list().get_untracked();
    assert!(
        list.iter()
            .any(|p| p.text.en().starts_with("Saving failed")),
        "{list:?}"
    );
    // Reading the database again (here after another tab's write) keeps it on the page.
    let other_tab = ready_ledger(&owner, problems).await;
    other_tab.insert(record("theirs")).await;
    wait_for("the other tab's task", || {
        held_ids(&ledger).contains(&"theirs".to_string())
    })
    .await;
    assert!(held_ids(&ledger).contains(&"big".to_string()));
    // The next write that succeeds clears the report.
    ledger.upsert(record("small"));
    wait_stored("small", true).await;
    wait_for("the report to clear", || {
        !problems
            .list()
            .get_untracked()
            .iter()
            .any(|p| p.text.en().starts_with("Saving failed"))
    })
    .await;
}

#[wasm_bindgen_test]
async fn key_field_normalises_and_stores_the_key() {
    let root = fresh_root().await;
    let _handle = mount_app(&root).await;
    let key = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL";
    let input: HtmlElement = by_id(&root, "api-key");
    assert_eq!(input.get_attribute("type").as_deref(), Some("password"));
    type_into(&input, &format!("  Bearer {key} "));
    wait_for("the key in storage", || {
        storage().get_item(KEY_KEY).unwrap().as_deref() == Some(key)
    })
    .await;
    wait_for("the Bearer note", || {
        root.text_content()
            .unwrap_or_default()
            .contains("Removed the \"Bearer \" prefix")
    })
    .await;
    // The page shows only a fingerprint, never the key itself.
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("sk-…IJKL"));
    assert!(!text.contains(key));
}

#[wasm_bindgen_test]
async fn stored_settings_and_draft_are_restored() {
    let root = fresh_root().await;
    storage()
        .set_item(KEY_KEY, "sk-restoredrestoredrestored1234")
        .unwrap();
    storage()
        .set_item(
            SETTINGS_KEY,
            r#"{"endpoint_choice":"custom","custom_endpoint":"http://127.0.0.1:9/v1/responses","async_header":false}"#,
        )
        .unwrap();
    storage()
        .set_item(FORM_KEY, r#"{"prompt":"saved draft","seed":"42"}"#)
        .unwrap();
    let _handle = mount_app(&root).await;
    let key: HtmlInputElement = by_id(&root, "api-key");
    wait_for("restored key", || {
        key.value() == "sk-restoredrestoredrestored1234"
    })
    .await;
    let custom: HtmlInputElement = by_id(&root, "custom-endpoint");
    assert_eq!(custom.value(), "http://127.0.0.1:9/v1/responses");
    let switch: HtmlInputElement = by_id(&root, "async-header");
    assert!(!switch.checked());
    let prompt: HtmlTextAreaElement = by_id(&root, "prompt");
    assert_eq!(prompt.value(), "saved draft");
    let seed: HtmlInputElement = by_id(&root, "seed");
    assert_eq!(seed.value(), "42");
    let counter: HtmlElement = by_id(&root, "prompt-counter");
    assert_eq!(counter.text_content().as_deref(), Some("11 / 1500"));
}

#[wasm_bindgen_test]
async fn corrupt_settings_do_not_brick_the_page() {
    let root = fresh_root().await;
    storage().set_item(SETTINGS_KEY, "not json at all").unwrap();
    storage().set_item(FORM_KEY, "[1,2,").unwrap();
    let _handle = mount_app(&root).await;
    let prompt: HtmlTextAreaElement = by_id(&root, "prompt");
    assert_eq!(prompt.value(), "");
    let duration: HtmlInputElement = by_id(&root, "duration");
    assert_eq!(duration.value(), "5");
    let switch: HtmlInputElement = by_id(&root, "async-header");
    assert!(switch.checked());
    // The unreadable texts are kept aside, and the page says so with a download offer.
    assert_eq!(
        storage()
            .get_item(&format!("{SETTINGS_KEY}.unreadable"))
            .unwrap()
            .as_deref(),
        Some("not json at all")
    );
    assert_eq!(
        storage()
            .get_item(&format!("{FORM_KEY}.unreadable"))
            .unwrap()
            .as_deref(),
        Some("[1,2,")
    );
    wait_for("the banner", || {
        root.text_content()
            .unwrap_or_default()
            .contains("could not be read, so defaults are used")
    })
    .await;
    assert!(root
        .text_content()
        .unwrap()
        .contains("Download the unreadable data"));
}

#[wasm_bindgen_test]
async fn over_long_prompt_is_flagged_live_and_blocks_generate() {
    let root = fresh_root().await;
    let _handle = mount_app(&root).await;
    let prompt: HtmlElement = by_id(&root, "prompt");
    type_into(&prompt, &"猫".repeat(1501));
    let counter: HtmlElement = by_id(&root, "prompt-counter");
    wait_for("counter 1501", || {
        counter.text_content().as_deref() == Some("1501 / 1500")
    })
    .await;
    assert!(counter.class_name().contains("over"));
    wait_for("the prompt error", || {
        root.query_selector("#prompt-error [role=alert]")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(
        prompt.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    let alert = root
        .query_selector("#prompt-error")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(alert.contains("1500") && alert.contains("1501"));
}

#[wasm_bindgen_test]
async fn generate_without_a_key_explains_what_to_do() {
    let root = fresh_root().await;
    let _handle = mount_app(&root).await;
    assert!(root.text_content().unwrap().contains("Start here"));
    let prompt: HtmlElement = by_id(&root, "prompt");
    type_into(&prompt, "a cat");
    TimeoutFuture::new(0).await;
    submit_form(&root);
    wait_for("the key message", || {
        root.text_content()
            .unwrap_or_default()
            .contains("Enter your DMXAPI API key in Settings first")
    })
    .await;
    assert_eq!(stored_count().await, 0, "nothing was submitted");
    // The same message in Chinese once the language switch says so.
    choose(&root, "lang", "zh");
    wait_for("the Chinese key message", || {
        root.text_content()
            .unwrap_or_default()
            .contains("请先在设置中填写")
    })
    .await;
    assert!(!root
        .text_content()
        .unwrap()
        .contains("Enter your DMXAPI API key in Settings first"));
}

/// Picks `value` in the select `#id` and fires its change event.
fn choose(root: &HtmlElement, id: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = by_id(root, id);
    select.set_value(value);
    let ev = web_sys::Event::new_with_event_init_dict("change", &{
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    })
    .unwrap();
    select.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn the_language_switch_translates_the_page_and_is_remembered() {
    let root = fresh_root().await;
    let handle = mount_app(&root).await;
    let html = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    let generate = || {
        root.query_selector("button[type=submit]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    choose(&root, "lang", "en");
    wait_for("English", || {
        html.get_attribute("lang").as_deref() == Some("en")
    })
    .await;
    assert_eq!(generate().trim(), "Generate");
    choose(&root, "lang", "zh");
    wait_for("<html lang> in Chinese", || {
        html.get_attribute("lang").as_deref() == Some("zh-CN")
    })
    .await;
    wait_for("the button in Chinese", || generate().trim() == "生成").await;
    assert_eq!(
        storage().get_item(LANG_KEY).unwrap().as_deref(),
        Some("zh"),
        "the choice is stored"
    );
    // A new page (a remount) starts in the stored language.
    drop(handle);
    root.set_inner_html("");
    let _handle = mount_app(&root).await;
    wait_for("Chinese after a reload", || generate().trim() == "生成").await;
    storage().remove_item(LANG_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn multi_shot_without_prompt_extend_is_explained_at_the_field() {
    let root = fresh_root().await;
    storage()
        .set_item(
            FORM_KEY,
            r#"{"prompt":"a cat","shot_type":"multi","prompt_extend":false}"#,
        )
        .unwrap();
    let _handle = mount_app(&root).await;
    submit_form(&root);
    wait_for("the shot type error", || {
        root.query_selector("#shot-type-error [role=alert]")
            .unwrap()
            .is_some()
    })
    .await;
    let shot: HtmlElement = by_id(&root, "shot-type");
    assert_eq!(shot.get_attribute("aria-invalid").as_deref(), Some("true"));
    // Turning prompt extend on clears it.
    let extend: HtmlInputElement = by_id(&root, "prompt-extend");
    extend.click();
    wait_for("the error to clear", || {
        root.query_selector("#shot-type-error [role=alert]")
            .unwrap()
            .is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn five_running_tasks_block_a_sixth_with_a_warning() {
    let root = fresh_root().await;
    let now = js_sys::Date::now() as i64;
    let tasks: Vec<TaskRecord> = (0..5)
        .map(|i| TaskRecord {
            submitted_at_ms: now,
            snapshot: TaskSnapshot::with_status(TaskStatus::Running),
            ..record(&format!("run-{i}"))
        })
        .collect();
    storage()
        .set_item(
            LEDGER_KEY,
            &serde_json::json!({"version": 1, "tasks": tasks}).to_string(),
        )
        .unwrap();
    storage()
        .set_item(FORM_KEY, r#"{"prompt":"a cat"}"#)
        .unwrap();
    // The tasks' own endpoint is the user's (else they would be shown as another host's).
    storage()
        .set_item(
            SETTINGS_KEY,
            r#"{"endpoint_choice":"custom","custom_endpoint":"http://127.0.0.1:1/v1/responses"}"#,
        )
        .unwrap();
    let _handle = mount_app(&root).await;
    wait_for("the limit warning", || {
        root.text_content()
            .unwrap_or_default()
            .contains("5 tasks are already queued or running")
    })
    .await;
    let generate: web_sys::HtmlButtonElement = root
        .query_selector(".generate-bar button[type=submit]")
        .unwrap()
        .expect("the Generate button")
        .unchecked_into();
    wait_for("Generate to be disabled", || generate.disabled()).await;
    // Each running task (waiting for a key here) shows how long its id stays queryable.
    wait_for("the queryable time on every take", || {
        root.text_content()
            .unwrap_or_default()
            .matches("Queryable for another 23 h")
            .count()
            == 5
    })
    .await;
}

/// Types `value` into the field `id`, presses Generate, and says whether the field got an error.
async fn field_rejects(root: &HtmlElement, id: &str, error_id: &str, value: &str) -> bool {
    let el: HtmlElement = by_id(root, id);
    type_into(&el, value);
    submit_form(root);
    // Let the reactive updates the submit scheduled run (executor ticks, not a timer; the
    // error goes through a memo, a derived signal and a render effect), then read the field.
    for _ in 0..8 {
        leptos::task::tick().await;
    }
    root.query_selector(&format!("#{error_id} [role=alert]"))
        .unwrap()
        .is_some()
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_at_its_field() {
    let root = fresh_root().await;
    // No key: a valid form would stop at "enter your key", and nothing is ever sent.
    let _handle = mount_app(&root).await;
    let prompt_rows: [(String, bool); 8] = [
        ("😀".repeat(1500), false),
        ("😀".repeat(1501), true),
        (format!("{}\u{200b}", "猫".repeat(1500)), true),
        ("e\u{301}".repeat(751), true),
        ("\u{200b}\u{200b}".into(), true),
        ("   ".into(), true),
        ("  a cat  ".into(), false),
        ("<script>alert(1)</script>".into(), false),
    ];
    for (value, rejected) in prompt_rows {
        assert_eq!(
            field_rejects(&root, "prompt", "prompt-error", &value).await,
            rejected,
            "prompt {:?}…: {:?}",
            value.chars().take(8).collect::<String>(),
            root.query_selector("#prompt-error")
                .unwrap()
                .and_then(|e| e.text_content())
        );
    }
    type_into(&by_id(&root, "prompt"), "a cat");
    for (value, rejected) in [
        ("", false),
        ("12", false),
        ("abc", true),
        ("-1", true),
        ("1.5", true),
        ("2147483647", false),
        ("2147483648", true),
        ("1e9", true),
    ] {
        assert_eq!(
            field_rejects(&root, "seed", "seed-error", value).await,
            rejected,
            "seed {value:?}"
        );
    }
    type_into(&by_id(&root, "seed"), "");
    for (value, rejected) in [
        ("", false),
        ("https://example.com/a.mp3", false),
        ("javascript:alert(1)", true),
        ("data:audio/mp3;base64,AA", true),
        ("ftp://example.com/a.mp3", true),
        ("https://exa mple.com/a.mp3", true),
        ("https://", true),
    ] {
        assert_eq!(
            field_rejects(&root, "audio-url", "audio-error", value).await,
            rejected,
            "audio {value:?}"
        );
    }
    type_into(&by_id(&root, "audio-url"), "");
    for (value, rejected) in [
        ("1", true),
        ("2", false),
        ("15", false),
        ("16", true),
        ("5.5", true),
        ("", true),
    ] {
        assert_eq!(
            field_rejects(&root, "duration", "duration-error", value).await,
            rejected,
            "duration {value:?}"
        );
    }
    assert_eq!(stored_count().await, 0, "nothing was submitted");
}

#[wasm_bindgen_test]
async fn custom_endpoints_must_be_https_or_loopback() {
    let root = fresh_root().await;
    storage()
        .set_item(
            SETTINGS_KEY,
            r#"{"endpoint_choice":"custom","custom_endpoint":""}"#,
        )
        .unwrap();
    let _handle = mount_app(&root).await;
    let field: HtmlElement = by_id(&root, "custom-endpoint");
    for (value, ok) in [
        ("https://relay.example/v1/responses", true),
        ("http://127.0.0.1:9090/v1/responses", true),
        ("/dmxapi/v1/responses", true),
        ("http://relay.example/v1/responses", false),
        ("not a url", false),
        ("javascript:alert(1)", false),
    ] {
        type_into(&field, value);
        TimeoutFuture::new(20).await;
        assert_eq!(
            field.get_attribute("aria-invalid").as_deref() == Some("false"),
            ok,
            "{value}"
        );
    }
}

#[wasm_bindgen_test]
async fn foreign_json_in_settings_is_kept_aside() {
    let root = fresh_root().await;
    storage()
        .set_item(SETTINGS_KEY, r#"{"endpoint_choice": 5}"#)
        .unwrap();
    storage().set_item(FORM_KEY, r#"["prompt"]"#).unwrap();
    let _handle = mount_app(&root).await;
    wait_for("the banner", || {
        root.text_content()
            .unwrap_or_default()
            .contains("could not be read, so defaults are used")
    })
    .await;
    assert_eq!(
        storage()
            .get_item(&format!("{SETTINGS_KEY}.unreadable"))
            .unwrap()
            .as_deref(),
        Some(r#"{"endpoint_choice": 5}"#)
    );
    let endpoint: web_sys::HtmlSelectElement = by_id(&root, "endpoint");
    assert_eq!(endpoint.value(), "https://www.dmxapi.cn/v1/responses");
}

#[wasm_bindgen_test]
async fn a_key_not_remembered_lives_only_in_this_tab() {
    let root = fresh_root().await;
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    session.clear().unwrap();
    let _handle = mount_app(&root).await;
    let key = "sk-sessiononlysessiononlysessiononly12";
    type_into(&by_id(&root, "api-key"), key);
    wait_for("the key in local storage", || {
        storage().get_item(KEY_KEY).unwrap().as_deref() == Some(key)
    })
    .await;
    let remember: HtmlInputElement = by_id(&root, "remember-key");
    assert!(remember.checked());
    remember.click();
    wait_for("the key moved to session storage", || {
        storage().get_item(KEY_KEY).unwrap().is_none()
            && session.get_item(KEY_KEY).unwrap().as_deref() == Some(key)
    })
    .await;
    let field: HtmlInputElement = by_id(&root, "api-key");
    assert_eq!(field.value(), key, "still usable in this tab");
    remember.click();
    wait_for("the key back in local storage", || {
        storage().get_item(KEY_KEY).unwrap().as_deref() == Some(key)
            && session.get_item(KEY_KEY).unwrap().is_none()
    })
    .await;
    session.clear().unwrap();
}

#[wasm_bindgen_test]
async fn settings_fold_once_a_key_and_an_endpoint_are_stored() {
    let root = fresh_root().await;
    storage()
        .set_item(KEY_KEY, "sk-foldedfoldedfoldedfolded9876")
        .unwrap();
    let _handle = mount_app(&root).await;
    let toggle: HtmlElement = by_id(&root, "settings-toggle");
    let body: HtmlElement = by_id(&root, "settings-body");
    let summary: HtmlElement = by_id(&root, "settings-summary");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    assert!(body.hidden(), "the fields are folded away");
    assert!(!summary.hidden(), "a one-line summary instead");
    let text = summary.text_content().unwrap_or_default();
    assert!(
        text.contains("www.dmxapi.cn") && text.contains("…9876"),
        "{text}"
    );
    assert!(!text.contains("sk-") && !text.contains("d9876"), "{text}");
    // The heading's button opens and folds it.
    toggle.click();
    wait_for("Settings to open", || {
        toggle.get_attribute("aria-expanded").as_deref() == Some("true") && !body.hidden()
    })
    .await;
    assert!(summary.hidden());
    toggle.click();
    wait_for("Settings to fold", || body.hidden()).await;
}

#[wasm_bindgen_test]
async fn the_first_run_guide_opens_settings_at_the_key_field() {
    let root = fresh_root().await;
    let _handle = mount_app(&root).await;
    let toggle: HtmlElement = by_id(&root, "settings-toggle");
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true"),
        "open while no key is set"
    );
    let steps = root.query_selector_all(".welcome ol > li").unwrap();
    assert_eq!(steps.length(), 4, "four steps");
    // Folded by hand, then the guide's step 3 opens it and puts the cursor in the key field.
    toggle.click();
    wait_for("Settings to fold", || {
        toggle.get_attribute("aria-expanded").as_deref() == Some("false")
    })
    .await;
    let go: HtmlElement = root
        .query_selector(".welcome .step-action")
        .unwrap()
        .expect("the step 3 button")
        .unchecked_into();
    go.click();
    let document = web_sys::window().unwrap().document().unwrap();
    wait_for("the focus in the key field", || {
        document
            .active_element()
            .is_some_and(|e| e.id() == "api-key" && root.contains(Some(&e)))
    })
    .await;
    assert_eq!(
        toggle.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
}

/// The page parses URLs with the browser's own `URL`: it must read every endpoint and media link
/// of the shared table exactly as the native tests (the WHATWG `url` crate) do, attacks included
/// (`/\\host`, `#@`, user info, look-alike characters, `127.0.0.1.evil.example`).
#[wasm_bindgen_test]
fn the_browser_reads_every_url_as_the_native_tests_do() {
    let wrong = wan_studio::domain::url::cases::disagreements(&BrowserUrl);
    assert!(wrong.is_empty(), "{wrong:#?}");
}
