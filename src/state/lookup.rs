//! Looking up a task id (the seed's second script): query it once, add it to the ledger, and
//! keep polling it if it is still running. Never submits.

use super::context::AppState;
use super::poller::Poller;
use crate::api::{client, Phase};
use crate::domain::message::{Explanation, Msg};
use crate::domain::task::{Origin, TaskRecord, TaskStatus};

/// Queries `id` at the endpoint chosen in Settings and records it; returns its status, or the
/// explained failure.
pub async fn lookup_task(
    state: AppState,
    poller: Poller,
    id: String,
) -> Result<TaskStatus, Explanation> {
    let id = id.trim().to_string();
    if id.is_empty() || id.chars().any(char::is_whitespace) || id.len() > 128 {
        return Err(Explanation::plain(Msg::new("lookup.bad_id")));
    }
    let conn = state.connection().map_err(Explanation::plain)?;
    state.remember_endpoint(conn.endpoint());
    let decoded = client::query(&conn, &id)
        .await
        .map_err(|e| e.explain(Phase::Query))?;
    let status = decoded.snapshot.status.clone();
    match state.ledger.get_untracked(&id) {
        // Looked up by the user at their endpoint: that is where it is checked from now on.
        Some(_) => state.ledger.update(&id, |r| {
            r.endpoint = conn.endpoint().url().to_string();
            r.snapshot = decoded.snapshot;
            r.problem = None;
            r.paused = false;
        }),
        // The page's own clock: the 24 h window never rests on a relay's time (a reply can claim
        // the year 2999); the relay's time is shown as the creation time.
        None => state.ledger.upsert(TaskRecord::new(
            id.clone(),
            None,
            conn.endpoint().url(),
            state.now_untracked(),
            decoded.snapshot,
            Origin::LookedUp,
        )),
    }
    poller.start(id);
    Ok(status)
}
