//! The polling driver: one loop per unfinished task, following the domain's schedule, writing
//! every answer to the ledger. It only ever queries; it never submits.
//!
//! Across tabs, each task is polled by exactly one: every tab asks for the Web Lock named after
//! the task, the first one polls, the others wait. If the polling tab closes, the lock passes to
//! a waiting tab, which carries on (or lets go at once if the task has ended meanwhile, or if it
//! has no key). Results reach every tab through the ledger's storage events.

use std::cell::RefCell;
use std::collections::HashSet;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::context::AppState;
use crate::api::{client, Phase};
use crate::domain::task::{next_poll_delay, PollFailure};

thread_local! {
    // Ids being polled by this page, so a task never gets two loops.
    static ACTIVE: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
}

/// Keeps every task that wants polling polled: now (after a reload, say) and whenever the
/// ledger changes (a task submitted or looked up in another tab).
pub fn follow(state: AppState) {
    Effect::new(move |_| {
        state.ledger.tasks().track();
        // A key entered later (this tab had none) resumes what was left waiting.
        state.key.track();
        resume_all(state);
    });
}

/// Starts polling every task in the ledger that still wants it.
pub fn resume_all(state: AppState) {
    let now = state.now_untracked();
    let ids: Vec<String> = state
        .ledger
        .tasks()
        .get_untracked()
        .into_iter()
        .filter(|r| r.wants_polling(now))
        .map(|r| r.id)
        .collect();
    for id in ids {
        start(state, id);
    }
}

/// Starts polling one task unless it is already being polled.
pub fn start(state: AppState, id: String) {
    let fresh = ACTIVE.with(|a| a.borrow_mut().insert(id.clone()));
    if !fresh {
        return;
    }
    spawn_local(async move {
        let lock = format!("wan-studio.poll.{id}");
        let task_id = id.clone();
        with_lock(&lock, async move { run(state, &task_id).await }).await;
        ACTIVE.with(|a| a.borrow_mut().remove(&id));
    });
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // navigator.locks is not in web-sys's stable API yet.
    type LockManager;
    #[wasm_bindgen::prelude::wasm_bindgen(method)]
    fn request(
        this: &LockManager,
        name: &str,
        callback: &wasm_bindgen::closure::Closure<
            dyn FnMut(wasm_bindgen::JsValue) -> js_sys::Promise,
        >,
    ) -> js_sys::Promise;
}

fn lock_manager() -> Option<LockManager> {
    use wasm_bindgen::JsCast;
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// Runs `work` while holding the Web Lock `name` (waiting for it first); without Web Locks
/// (old browsers, insecure contexts) it just runs.
async fn with_lock(name: &str, work: impl std::future::Future<Output = ()> + 'static) {
    let Some(locks) = lock_manager() else {
        work.await;
        return;
    };
    let mut work = Some(work);
    let callback = wasm_bindgen::closure::Closure::<
        dyn FnMut(wasm_bindgen::JsValue) -> js_sys::Promise,
    >::new(move |_lock| match work.take() {
        Some(w) => wasm_bindgen_futures::future_to_promise(async move {
            w.await;
            Ok(wasm_bindgen::JsValue::UNDEFINED)
        }),
        None => js_sys::Promise::resolve(&wasm_bindgen::JsValue::UNDEFINED),
    });
    let _ = wasm_bindgen_futures::JsFuture::from(locks.request(name, &callback)).await;
}

async fn run(state: AppState, id: &str) {
    let mut failure: Option<PollFailure> = None;
    let mut streak = 0u32;
    loop {
        let Some(record) = state.ledger.get_untracked(id) else {
            return;
        };
        let now = state.now_untracked();
        if !record.wants_polling(now) {
            return;
        }
        let Some(delay) = next_poll_delay(now - record.submitted_at_ms, failure) else {
            state.ledger.update(id, |r| r.paused = true);
            return;
        };
        TimeoutFuture::new(delay.min(u64::from(u32::MAX)) as u32).await;
        let Some(record) = state.ledger.get_untracked(id) else {
            return;
        };
        if !record.wants_polling(state.now_untracked()) {
            return;
        }
        let conn = state.connection_for(&record.endpoint);
        if conn.key.is_empty() {
            // This tab has no key (with "Remember key" off it lives only in the tab that has it):
            // asking would only earn a 401 and pause the task. Let go of the lock instead, so a
            // tab with the key polls it; this one resumes when a key is entered here.
            return;
        }
        match client::query(&conn, id).await {
            Ok(decoded) => {
                failure = None;
                streak = 0;
                state.ledger.update(id, |r| {
                    r.snapshot = decoded.snapshot;
                    r.problem = None;
                });
            }
            Err(err) => {
                streak += 1;
                let f = err.poll_failure(streak);
                failure = Some(f);
                state.ledger.update(id, |r| {
                    r.problem = Some(err.explain(Phase::Query));
                    if f == PollFailure::Permanent {
                        r.paused = true;
                    }
                });
            }
        }
    }
}
