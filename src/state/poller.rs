//! The polling driver: one loop per unfinished task, following the domain's schedule, writing
//! every answer to the ledger. It only ever queries; it never submits.
//!
//! Across tabs, each task is polled by exactly one: every tab asks for the Web Lock named after
//! the task, the first one polls, the others wait. If the polling tab closes, the lock passes to
//! a waiting tab, which carries on (or lets go at once if the task has ended meanwhile, if it
//! has no key, or if the task's endpoint is not one of the user's). Results reach every tab
//! through the ledger's storage events.

use std::collections::HashSet;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_use_interval_fn::use_interval_fn;

use super::context::AppState;
use super::storage_keys::POLL_LOCK_PREFIX;
use crate::api::{client, Phase};
use crate::domain::task::{next_poll_delay, PollFailure, TaskStatus};

/// How often every task is looked at again even when nothing changed: a clock that jumped ahead
/// (the 24 h window looked over) and then back resumes polling by itself.
const RECHECK_MS: u64 = 15_000;

/// The polling driver: which ids this page is polling (so a task never gets two loops), and
/// how to start more. Owned by the app's reactive owner: when the app is torn down its state is
/// disposed, and every loop ends at its next step. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct Poller {
    state: AppState,
    /// Keeps a take's video when this tab sees it succeed.
    keeper: Option<super::keep::Keeper>,
    active: StoredValue<HashSet<String>>,
}

impl Poller {
    /// Marks `id` as polled; false when it already was (or the app is gone).
    fn claim(self, id: &str) -> bool {
        self.active
            .try_update_value(|a| a.insert(id.to_string()))
            .unwrap_or(false)
    }

    fn release(self, id: &str) {
        let _ = self.active.try_update_value(|a| a.remove(id));
    }

    /// False once the app has been torn down.
    fn alive(self) -> bool {
        self.active.try_with_value(|_| ()).is_some()
    }

    /// Starts polling every task in the ledger that still wants it (and may be checked with
    /// the key from here).
    pub fn resume_all(self) {
        let state = self.state;
        let now = state.now_untracked();
        let ids: Vec<String> = state
            .ledger
            .tasks()
            .get_untracked()
            .into_iter()
            .filter(|r| r.wants_polling(now) && state.connection_for_task(r).is_ok())
            .map(|r| r.id)
            .collect();
        for id in ids {
            self.start(id);
        }
    }

    /// Starts polling one task unless it is already being polled.
    pub fn start(self, id: String) {
        if !self.claim(&id) {
            return;
        }
        let claim = Claim {
            poller: self,
            id: id.clone(),
        };
        spawn_local(async move {
            let lock = format!("{POLL_LOCK_PREFIX}{id}");
            with_lock(&lock, async move {
                self.run(&id).await;
                drop(claim);
            })
            .await;
        });
    }
}

/// Releases a claimed id however the loop ends.
struct Claim {
    poller: Poller,
    id: String,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.poller.release(&self.id);
    }
}

/// Creates the poller, provides it as context, and keeps every task that wants polling polled:
/// now (after a reload, say), whenever the ledger, the key or the settings change (a task
/// submitted in another tab, a key entered, an endpoint made the user's own), and every
/// [`RECHECK_MS`] (a clock jump).
pub fn follow(state: AppState) -> Poller {
    let poller = Poller {
        state,
        keeper: use_context::<super::keep::Keeper>(),
        active: StoredValue::new(HashSet::new()),
    };
    provide_context(poller);
    // Starts network loops (the outside world); writes no signal itself.
    Effect::new(move |_| {
        state.ledger.tasks().track();
        state.key.track();
        state.settings.track();
        poller.resume_all();
    });
    let _ = use_interval_fn(move || poller.resume_all(), RECHECK_MS);
    poller
}

/// The poller from context.
pub fn use_poller() -> Poller {
    expect_context::<Poller>()
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

impl Poller {
    async fn run(self, id: &str) {
        let state = self.state;
        let mut failure: Option<PollFailure> = None;
        let mut streak = 0u32;
        loop {
            if !self.alive() {
                return;
            }
            let Some(record) = state.ledger.get_untracked(id) else {
                return;
            };
            let now = state.now_untracked();
            // A task whose endpoint is not the user's, or a tab without a usable key: nothing is
            // asked and the lock is let go (another tab may have the key); `follow` resumes it when
            // that changes.
            if !record.wants_polling(now) || state.connection_for_task(&record).is_err() {
                return;
            }
            let Some(delay) = next_poll_delay(record.age_ms(now), failure) else {
                return;
            };
            TimeoutFuture::new(delay.min(u64::from(u32::MAX)) as u32).await;
            if !self.alive() {
                return;
            }
            let Some(record) = state.ledger.get_untracked(id) else {
                return;
            };
            if !record.wants_polling(state.now_untracked()) {
                return;
            }
            let Ok(conn) = state.connection_for_task(&record) else {
                return;
            };
            match client::query(&conn, record.query_id(), record.family()).await {
                Ok(decoded) => {
                    failure = None;
                    streak = 0;
                    let now = state.now_untracked();
                    let succeeded = decoded.snapshot.status == TaskStatus::Succeeded;
                    state
                        .ledger
                        .update(id, |r| r.record_reply(decoded.snapshot, now));
                    // This tab saw it end: it keeps the video (when Settings say so).
                    if succeeded {
                        if let Some(keeper) = self.keeper {
                            keeper.on_success(id);
                        }
                    }
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
}
