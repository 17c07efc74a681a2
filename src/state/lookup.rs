//! Looking up a task id (the seed's second script): query it (with each family's query model in
//! turn until one knows it), add it to the ledger, and keep polling it if it is still running.
//! Never submits.

use super::context::AppState;
use super::poller::Poller;
use crate::api::{client, Phase};
use crate::domain::message::{Explanation, Msg};
use crate::domain::models::Family;
use crate::domain::task::{check_task_id, Origin, TaskRecord, TaskStatus};

/// Queries `id` at the endpoint chosen in Settings and records it; returns its status, or the
/// explained failure.
pub async fn lookup_task(
    state: AppState,
    poller: Poller,
    id: String,
) -> Result<TaskStatus, Explanation> {
    let id = check_task_id(&id).map_err(Explanation::plain)?;
    let conn = state.connection().map_err(Explanation::plain)?;
    state.remember_endpoint(conn.endpoint());
    let stored = state.ledger.get(&id).await;
    // A task id does not say which model made it: ask each family's query model in turn (its own
    // first, when the ledger knows it) until one knows the id. Queries are free; an error stops.
    let [first, others @ ..] = Family::lookup_order(stored.as_ref().map(TaskRecord::family));
    let ask = |family| client::query(&conn, &id, family);
    // The first family's answer stands unless another one knows the id.
    let mut found = (
        first,
        ask(first).await.map_err(|e| e.explain(Phase::Query))?,
    );
    for family in others {
        if found.1.snapshot.status != TaskStatus::Unknown {
            break;
        }
        let decoded = ask(family).await.map_err(|e| e.explain(Phase::Query))?;
        if decoded.snapshot.status != TaskStatus::Unknown {
            found = (family, decoded);
        }
    }
    let (family, decoded) = found;
    let family = (family != Family::Wan26).then_some(family);
    let status = decoded.snapshot.status.clone();
    if status == TaskStatus::Unknown && stored.is_none() {
        // Nothing to follow: say so instead of adding an entry that only says "unknown".
        return Err(Explanation::plain(Msg::new("lookup.unknown")));
    }
    match stored {
        // Looked up by the user at their endpoint: that is where it is checked from now on.
        Some(mut r) => {
            r.endpoint = conn.endpoint().url().to_string();
            if status != TaskStatus::Unknown {
                r.family = family;
            }
            r.record_reply(decoded.snapshot, state.now_untracked());
            r.paused = false;
            state.ledger.upsert(r);
        }
        // The page's own clock: the 24 h window never rests on a relay's time (a reply can claim
        // the year 2999); the relay's time is shown as the creation time.
        None => state.ledger.upsert(TaskRecord {
            family,
            ..TaskRecord::new(
                id.clone(),
                None,
                conn.endpoint().url(),
                state.now_untracked(),
                decoded.snapshot,
                Origin::LookedUp,
            )
        }),
    }
    poller.start(id);
    Ok(status)
}
