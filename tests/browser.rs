//! Browser tests (wasm-bindgen-test in headless Chromium): storage hooks, the ledger, and
//! components mounted into a fresh element. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown -p wan-studio`.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use wan_studio::domain::form::{FormState, VideoRequest};
use wan_studio::domain::redact::Redactor;
use wan_studio::domain::task::{Origin, TaskRecord, TaskSnapshot, TaskStatus};
use wan_studio::state::browser::BrowserUrl;
use wan_studio::state::ledger::Ledger;
use wan_studio::state::problems::Problems;
use wan_studio::state::storage_keys::{FORM_KEY, KEY_KEY, LANG_KEY, LEDGER_KEY, SETTINGS_KEY};

const LEDGER_ASIDE: &str = "wan-studio.tasks.v1.unreadable";
use wan_studio::App;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A fresh element to mount into, and clean storage.
fn fresh_root() -> HtmlElement {
    storage().clear().unwrap();
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
    let request: VideoRequest = FormState {
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
        ended_at_ms: None,
    }
}

#[wasm_bindgen_test]
fn ledger_round_trips_through_local_storage() {
    let _root = fresh_root();
    let owner = Owner::new();
    owner.with(|| {
        let problems = Problems::default();
        let ledger = Ledger::load(problems, &Redactor::default());
        assert!(ledger.tasks().get_untracked().is_empty());
        ledger.upsert(record("t-1"));
        // Written synchronously: on disk before anything else happens.
        let raw = storage().get_item(LEDGER_KEY).unwrap().unwrap();
        assert!(raw.starts_with("{\"version\":1,"), "{raw}");
        assert!(raw.contains("\"t-1\""));
        ledger.update("t-1", |r| r.paused = true);
        let again = Ledger::load(problems, &Redactor::default());
        let tasks = again.tasks().get_untracked();
        assert_eq!(tasks.len(), 1);
        assert!(tasks[0].paused);
        assert!(problems.list().get_untracked().is_empty());
        assert_eq!(again.remove("t-1").len(), 1);
        assert!(Ledger::load(problems, &Redactor::default())
            .tasks()
            .get_untracked()
            .is_empty());
    });
}

#[wasm_bindgen_test]
fn a_write_merges_with_what_another_tab_stored() {
    let _root = fresh_root();
    let owner = Owner::new();
    owner.with(|| {
        let problems = Problems::default();
        let this_tab = Ledger::load(problems, &Redactor::default());
        this_tab.upsert(record("mine"));
        // Another tab adds a task straight to storage; this tab has not seen it yet.
        let other_tab = Ledger::load(problems, &Redactor::default());
        other_tab.upsert(record("theirs"));
        this_tab.update("mine", |r| r.paused = true);
        let stored = Ledger::load(problems, &Redactor::default())
            .tasks()
            .get_untracked();
        let ids: Vec<_> = stored.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["mine", "theirs"]);
        assert!(stored[0].paused);
    });
}

#[wasm_bindgen_test]
fn the_early_bare_array_format_is_migrated() {
    let _root = fresh_root();
    let legacy = serde_json::to_string(&vec![record("old-1"), record("old-2")]).unwrap();
    storage().set_item(LEDGER_KEY, &legacy).unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let problems = Problems::default();
        let ledger = Ledger::load(problems, &Redactor::default());
        assert_eq!(ledger.tasks().get_untracked().len(), 2);
        assert!(problems.list().get_untracked().is_empty());
        let raw = storage().get_item(LEDGER_KEY).unwrap().unwrap();
        assert!(
            raw.starts_with("{\"version\":1,"),
            "rewritten in the current format: {raw}"
        );
    });
}

#[wasm_bindgen_test]
fn corrupt_ledger_is_kept_aside_and_reported() {
    let _root = fresh_root();
    storage().set_item(LEDGER_KEY, "{\"truncated\": [").unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let problems = Problems::default();
        let ledger = Ledger::load(problems, &Redactor::default());
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
    });
}

#[wasm_bindgen_test]
fn one_bad_record_does_not_cost_the_others() {
    let _root = fresh_root();
    let good = serde_json::to_value(record("good")).unwrap();
    let mixed = serde_json::json!({"version": 1, "tasks": [good, {"id": 42}]}).to_string();
    storage().set_item(LEDGER_KEY, &mixed).unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let problems = Problems::default();
        let ledger = Ledger::load(problems, &Redactor::default());
        assert_eq!(ledger.tasks().get_untracked()[0].id, "good");
        assert!(problems.list().get_untracked()[0]
            .text
            .en()
            .contains("1 task(s) were recovered"));
        assert_eq!(
            storage().get_item(LEDGER_ASIDE).unwrap().as_deref(),
            Some(mixed.as_str())
        );
    });
}

#[wasm_bindgen_test]
fn a_full_quota_is_reported_not_dropped() {
    let _root = fresh_root();
    // Fill local storage until the browser refuses more.
    let chunk = "x".repeat(512 * 1024);
    let mut i = 0;
    while storage().set_item(&format!("filler-{i}"), &chunk).is_ok() && i < 64 {
        i += 1;
    }
    let owner = Owner::new();
    owner.with(|| {
        let problems = Problems::default();
        let ledger = Ledger::load(problems, &Redactor::default());
        let big = TaskRecord {
            id: "big".into(),
            snapshot: TaskSnapshot {
                message: Some("m".repeat(600 * 1024)),
                ..TaskSnapshot::with_status(TaskStatus::Failed)
            },
            ..record("big")
        };
        ledger.upsert(big);
        // The page still shows the task, and says it could not be saved.
        assert_eq!(ledger.tasks().get_untracked().len(), 1);
        let list = problems.list().get_untracked();
        assert!(
            list.iter()
                .any(|p| p.text.en().starts_with("Saving failed")),
            "{list:?}"
        );
        // The next change builds on what the page holds: the unsaved task is not dropped.
        ledger.upsert(record("small"));
        let ids: Vec<_> = ledger
            .tasks()
            .get_untracked()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["big", "small"]);
    });
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn key_field_normalises_and_stores_the_key() {
    let root = fresh_root();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    let root = fresh_root();
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
    let _handle = leptos::mount::mount_to(root.clone(), App);
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
    let root = fresh_root();
    storage().set_item(SETTINGS_KEY, "not json at all").unwrap();
    storage().set_item(FORM_KEY, "[1,2,").unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    let root = fresh_root();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    let root = fresh_root();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    assert!(storage().get_item(LEDGER_KEY).unwrap().is_none());
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
    let root = fresh_root();
    let handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
    wait_for("Chinese after a reload", || generate().trim() == "生成").await;
    storage().remove_item(LANG_KEY).unwrap();
}

#[wasm_bindgen_test]
async fn multi_shot_without_prompt_extend_is_explained_at_the_field() {
    let root = fresh_root();
    storage()
        .set_item(
            FORM_KEY,
            r#"{"prompt":"a cat","shot_type":"multi","prompt_extend":false}"#,
        )
        .unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
    submit_form(&root);
    wait_for("the shot type error", || {
        root.query_selector("#shot-error [role=alert]")
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
        root.query_selector("#shot-error [role=alert]")
            .unwrap()
            .is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn five_running_tasks_block_a_sixth_with_a_warning() {
    let root = fresh_root();
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
    let _handle = leptos::mount::mount_to(root.clone(), App);
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
    let root = fresh_root();
    // No key: a valid form would stop at "enter your key", and nothing is ever sent.
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    assert!(
        storage().get_item(LEDGER_KEY).unwrap().is_none(),
        "nothing was submitted"
    );
}

#[wasm_bindgen_test]
async fn custom_endpoints_must_be_https_or_loopback() {
    let root = fresh_root();
    storage()
        .set_item(
            SETTINGS_KEY,
            r#"{"endpoint_choice":"custom","custom_endpoint":""}"#,
        )
        .unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    let root = fresh_root();
    storage()
        .set_item(SETTINGS_KEY, r#"{"endpoint_choice": 5}"#)
        .unwrap();
    storage().set_item(FORM_KEY, r#"["prompt"]"#).unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);
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
    let root = fresh_root();
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    session.clear().unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    let root = fresh_root();
    storage()
        .set_item(KEY_KEY, "sk-foldedfoldedfoldedfolded9876")
        .unwrap();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
    let root = fresh_root();
    let _handle = leptos::mount::mount_to(root.clone(), App);
    TimeoutFuture::new(0).await;
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
