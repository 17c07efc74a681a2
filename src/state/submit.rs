//! Submitting a task: one call, never retried. The new id goes to the ledger (storage first)
//! before anything tells the user it was submitted, then polling starts.

use super::context::AppState;
use super::poller;
use crate::api::{client, Connection, Phase};
use crate::domain::form::VideoRequest;
use crate::domain::message::Explanation;
use crate::domain::task::TaskRecord;

/// Creates a task and records it; returns its id, or the explained failure.
pub async fn submit_task(
    state: AppState,
    conn: Connection,
    request: VideoRequest,
) -> Result<String, Explanation> {
    let submitted_at_ms = state.now_untracked();
    let decoded = client::submit(&conn, &request)
        .await
        .map_err(|e| e.explain(Phase::Submit))?;
    let id = decoded.task_id.clone();
    state.ledger.upsert(TaskRecord {
        id: id.clone(),
        request,
        endpoint: conn.endpoint,
        submitted_at_ms,
        snapshot: decoded.snapshot,
        problem: None,
        paused: false,
    });
    poller::start(state, id.clone());
    Ok(id)
}
