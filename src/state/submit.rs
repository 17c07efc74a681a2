//! Submitting a task: one call, never retried. The new id goes to the ledger (storage first)
//! before anything tells the user it was submitted, then polling starts.

use super::context::AppState;
use super::poller;
use crate::api::{client, Connection, Phase};
use crate::domain::form::VideoRequest;
use crate::domain::message::Explanation;
use crate::domain::task::{Origin, TaskRecord, TaskSnapshot, TaskStatus};

/// Creates a task and records it; returns its id, or the explained failure.
pub async fn submit_task(
    state: AppState,
    conn: Connection,
    request: VideoRequest,
) -> Result<String, Explanation> {
    let submitted_at_ms = state.now_untracked();
    let decoded = match client::submit(&conn, &request).await {
        Ok(d) => d,
        Err(e) => {
            let explanation = e.explain(Phase::Submit);
            if explanation.maybe_created {
                // Keep the settings and the doubt on record: the task may exist and be billed.
                state.ledger.upsert(TaskRecord {
                    id: format!("unconfirmed-{submitted_at_ms}"),
                    request: Some(request),
                    endpoint: conn.endpoint,
                    submitted_at_ms,
                    snapshot: TaskSnapshot::with_status(TaskStatus::Unknown),
                    problem: Some(explanation.clone()),
                    paused: false,
                    origin: Origin::Unconfirmed,
                });
            }
            return Err(explanation);
        }
    };
    let id = decoded.task_id.clone();
    state.ledger.upsert(TaskRecord {
        id: id.clone(),
        request: Some(request),
        endpoint: conn.endpoint,
        submitted_at_ms,
        snapshot: decoded.snapshot,
        problem: None,
        paused: false,
        origin: Origin::Submitted,
    });
    poller::start(state, id.clone());
    Ok(id)
}
