//! The HTTP client (gloo-net): submit and query, with time limits. The key goes only into the
//! `Authorization` header of requests to the chosen endpoint.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use web_sys::AbortController;

use super::error::ApiError;
use super::wire::{decode_reply, Decoded, QueryRequest, SubmitRequest};
use crate::domain::form::VideoRequest;

/// A submit can take tens of seconds; it is never retried, so wait long (PROTOCOL.md §5).
pub const SUBMIT_TIMEOUT_S: u32 = 120;
/// A query is cheap and retried by the poller.
pub const QUERY_TIMEOUT_S: u32 = 30;

/// Where and how to call: endpoint URL, key, and whether to send `X-DashScope-Async`.
#[derive(Clone, PartialEq, Eq)]
pub struct Connection {
    /// The endpoint URL (or same-origin path).
    pub endpoint: String,
    /// The bare API key.
    pub key: String,
    /// Send `X-DashScope-Async: enable` on submit.
    pub async_header: bool,
    /// Replaces both time limits (ms); only tests set it (see `state::context`).
    pub timeout_override_ms: Option<u32>,
}

impl std::fmt::Debug for Connection {
    // Never print the key, even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("endpoint", &self.endpoint)
            .field("async_header", &self.async_header)
            .field("timeout_override_ms", &self.timeout_override_ms)
            .finish_non_exhaustive()
    }
}

/// A created task.
pub type Submitted = Decoded;

/// Creates a task. Billed: callers must never retry this automatically.
pub async fn submit(conn: &Connection, request: &VideoRequest) -> Result<Submitted, ApiError> {
    let body = serde_json::to_string(&SubmitRequest::from(request)).map_err(|e| {
        ApiError::BadEnvelope {
            detail: e.to_string(),
            request_id: None,
        }
    })?;
    post(conn, body, conn.async_header, SUBMIT_TIMEOUT_S * 1_000).await
}

/// Asks for a task's status.
pub async fn query(conn: &Connection, task_id: &str) -> Result<Decoded, ApiError> {
    let body =
        serde_json::to_string(&QueryRequest::new(task_id)).map_err(|e| ApiError::BadEnvelope {
            detail: e.to_string(),
            request_id: None,
        })?;
    post(conn, body, false, QUERY_TIMEOUT_S * 1_000).await
}

async fn post(
    conn: &Connection,
    body: String,
    async_header: bool,
    timeout_ms: u32,
) -> Result<Decoded, ApiError> {
    let timeout_ms = conn.timeout_override_ms.unwrap_or(timeout_ms);
    let result = post_unredacted(conn, body, async_header, timeout_ms).await;
    result.map_err(|e| e.redact(&conn.key))
}

async fn post_unredacted(
    conn: &Connection,
    body: String,
    async_header: bool,
    timeout_ms: u32,
) -> Result<Decoded, ApiError> {
    let timeout_s = timeout_ms.div_ceil(1_000);
    let controller = AbortController::new()
        .map_err(|_| ApiError::Network("AbortController unavailable".into()))?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let controller = controller.clone();
        let timed_out = timed_out.clone();
        Timeout::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let mut builder = Request::post(&conn.endpoint)
        .header("Content-Type", "application/json")
        .header("Authorization", &conn.key)
        .abort_signal(Some(&controller.signal()));
    if async_header {
        builder = builder.header("X-DashScope-Async", "enable");
    }
    let request = builder
        .body(body)
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let fail = |e: gloo_net::Error| {
        if timed_out.get() {
            ApiError::Timeout(timeout_s)
        } else {
            ApiError::Network(e.to_string())
        }
    };
    let response = request.send().await.map_err(fail)?;
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    let text = response.text().await.map_err(fail)?;
    decode_reply(status, &text, retry_after.as_deref())
}

/// Fetches a video as a blob (works only if the storage server allows cross-origin reads), so
/// the caller can save it as a file; on an error the caller falls back to opening the link.
pub async fn fetch_video(url: &str) -> Result<web_sys::Blob, ApiError> {
    use wasm_bindgen::JsCast;
    let response = get_ok(url).await?;
    let raw: web_sys::Response = response.into();
    let unreadable = || ApiError::Network("could not read the video".into());
    let promise = raw.blob().map_err(|_| unreadable())?;
    Ok(wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| unreadable())?
        .unchecked_into())
}

/// Reads a small text file from this site (e.g. the team's `config.json`); `Ok(None)` when it
/// is not there.
pub async fn fetch_site_file(path: &str) -> Result<Option<String>, ApiError> {
    let response = match get_ok(path).await {
        Err(ApiError::Http { status: 404, .. }) => return Ok(None),
        other => other?,
    };
    response
        .text()
        .await
        .map(Some)
        .map_err(|e| ApiError::Network(e.to_string()))
}

/// A plain GET (no key: these are not API calls); an error status becomes [`ApiError::Http`].
async fn get_ok(url: &str) -> Result<gloo_net::http::Response, ApiError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        Ok(response)
    } else {
        Err(ApiError::Http {
            status: response.status(),
            message: None,
            code: None,
            request_id: None,
            retry_after_s: None,
        })
    }
}
