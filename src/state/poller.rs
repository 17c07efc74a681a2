//! The polling driver: one loop per unfinished task, following the domain's schedule, writing
//! every answer to the ledger. It only ever queries; it never submits.

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

/// Starts polling every task in the ledger that still wants it (after a reload, say).
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
        run(state, &id).await;
        ACTIVE.with(|a| a.borrow_mut().remove(&id));
    });
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
