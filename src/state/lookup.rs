//! Looking up a task id (the seed's second script): query it once, add it to the ledger, and
//! keep polling it if it is still running. Never submits.

use super::context::AppState;
use super::poller;
use crate::api::{client, Phase};
use crate::domain::message::{text, Explanation};
use crate::domain::task::{Origin, TaskRecord, TaskStatus};
use crate::domain::time::parse_china_time;

/// Queries `id` and records it; returns its status, or the explained failure.
pub async fn lookup_task(state: AppState, id: String) -> Result<TaskStatus, Explanation> {
    let id = id.trim().to_string();
    if id.is_empty() || id.chars().any(char::is_whitespace) || id.len() > 128 {
        return Err(Explanation::plain(text("lookup.bad_id")));
    }
    let conn = state.connection().map_err(Explanation::plain)?;
    let decoded = client::query(&conn, &id)
        .await
        .map_err(|e| e.explain(Phase::Query))?;
    let status = decoded.snapshot.status.clone();
    let created = decoded
        .snapshot
        .submit_time
        .as_deref()
        .and_then(parse_china_time);
    match state.ledger.get_untracked(&id) {
        Some(_) => state.ledger.update(&id, |r| {
            r.snapshot = decoded.snapshot;
            r.problem = None;
            r.paused = false;
        }),
        None => state.ledger.upsert(TaskRecord {
            id: id.clone(),
            request: None,
            endpoint: conn.endpoint,
            submitted_at_ms: created.unwrap_or_else(|| state.now_untracked()),
            snapshot: decoded.snapshot,
            problem: None,
            paused: false,
            origin: Origin::LookedUp,
        }),
    }
    poller::start(state, id);
    Ok(status)
}
