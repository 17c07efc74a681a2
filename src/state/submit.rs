//! Submitting a task: one call, never retried. The new id goes to the ledger (on disk first,
//! under `id#2`… if a relay repeated an id) before anything tells the user it was submitted,
//! then polling starts.

use super::images::resolve_local;
use super::ledger::Ledger;
use super::poller::Poller;
use crate::api::{client, Connection, Phase};
use crate::domain::form::FromTake;
use crate::domain::message::{Explanation, Msg};
use crate::domain::request::ModelRequest;
use crate::domain::task::{BatchTag, Origin, TaskRecord, TaskSnapshot, TaskStatus};

/// Creates a task at `conn` and records it in `ledger` (with the take it continues or edits, and its place in a batch) (stamped `submitted_at_ms`, this page's
/// clock), then has `poller` follow it; returns its record id, or the explained failure. The
/// caller remembers the endpoint as the user's before calling (the key goes there either way).
pub async fn submit_task(
    ledger: Ledger,
    poller: Poller,
    conn: Connection,
    request: ModelRequest,
    from_take: Option<FromTake>,
    batch: Option<BatchTag>,
    submitted_at_ms: i64,
) -> Result<String, Explanation> {
    let endpoint = conn.endpoint().url().to_string();
    // Pictures from this computer go as data: URLs; the record keeps their hashes.
    let Some(wire) = resolve_local(ledger.db().as_ref(), request.clone()).await else {
        return Err(Explanation::plain(Msg::new("form.error.image_gone")));
    };
    let mut billed = None;
    let (id, snapshot, problem, origin) = match client::submit(&conn, &wire).await {
        Ok(d) => {
            billed = d.billed_tokens;
            (d.task_id, d.snapshot, None, Origin::Submitted)
        }
        Err(e) => {
            let explanation = e.explain(Phase::Submit);
            if !explanation.maybe_created {
                return Err(explanation);
            }
            // Keep the settings and the doubt on record: the task may exist and be billed.
            (
                format!("unconfirmed-{submitted_at_ms}"),
                TaskSnapshot::with_status(TaskStatus::Unknown),
                Some(explanation),
                Origin::Unconfirmed,
            )
        }
    };
    let mut record = TaskRecord::new(
        id,
        Some(request),
        endpoint,
        submitted_at_ms,
        snapshot,
        origin,
    );
    record.problem = problem.clone();
    record.from_take = from_take;
    record.batch = batch;
    record.billed_tokens = billed;
    // On disk before anything says "submitted".
    let record_id = ledger.insert(record).await;
    match problem {
        Some(explanation) => Err(explanation),
        None => {
            poller.start(record_id.clone());
            Ok(record_id)
        }
    }
}
