//! The HTTP client (fetch through gloo-net): submit and query, with time limits. The key goes
//! only into the `Authorization` header of requests to an endpoint the user chose (a
//! [`Connection`] cannot be made otherwise), and every reply passes through one redaction pass.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use gloo_timers::callback::Timeout;
use web_sys::AbortController;

use super::error::ApiError;
use super::wire::{decode_reply, Decoded, ModelSubmit, QueryRequest};
use crate::domain::models::Family;
use crate::domain::redact::Redactor;
use crate::domain::request::ModelRequest;
use crate::domain::settings::{ApiKey, ChosenEndpoint};

/// A submit can take tens of seconds; it is never retried, so wait long (PROTOCOL.md §5).
pub const SUBMIT_TIMEOUT_S: u32 = 120;
/// A query is cheap and retried by the poller.
pub const QUERY_TIMEOUT_S: u32 = 30;

/// Where and how to call: an endpoint the user chose, a key that can go into a header, and
/// whether to send `X-DashScope-Async`. Made only from [`ChosenEndpoint`] and [`ApiKey`], so no
/// other endpoint can ever receive the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Connection {
    endpoint: ChosenEndpoint,
    key: ApiKey,
    async_header: bool,
    timeout_override_ms: Option<u32>,
}

impl std::fmt::Debug for Connection {
    // Never print the key, even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("endpoint", &self.endpoint.url())
            .field("async_header", &self.async_header)
            .field("timeout_override_ms", &self.timeout_override_ms)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// A connection to `endpoint` with `key`. `timeout_override_ms` replaces both time limits
    /// (only tests set it, see `state::context`).
    pub fn new(
        endpoint: ChosenEndpoint,
        key: ApiKey,
        async_header: bool,
        timeout_override_ms: Option<u32>,
    ) -> Self {
        Self {
            endpoint,
            key,
            async_header,
            timeout_override_ms,
        }
    }

    /// Where the calls go.
    pub fn endpoint(&self) -> &ChosenEndpoint {
        &self.endpoint
    }

    /// The redaction pass for everything this connection's replies say.
    pub fn redactor(&self) -> Redactor {
        Redactor::new(self.key.expose())
    }
}

/// A created task.
pub type Submitted = Decoded;

/// Creates a task. Billed: callers must never retry this automatically.
pub async fn submit(conn: &Connection, request: &ModelRequest) -> Result<Submitted, ApiError> {
    let body =
        crate::json::to_string(&ModelSubmit::from(request)).map_err(|e| ApiError::BadEnvelope {
            detail: e.to_string(),
            request_id: None,
        })?;
    post(conn, body, conn.async_header, SUBMIT_TIMEOUT_S * 1_000).await
}

/// Asks for a task's status, with its family's query model.
pub async fn query(conn: &Connection, task_id: &str, family: Family) -> Result<Decoded, ApiError> {
    let body = crate::json::to_string(&QueryRequest::new(task_id, family)).map_err(|e| {
        ApiError::BadEnvelope {
            detail: e.to_string(),
            request_id: None,
        }
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
    let redactor = conn.redactor();
    let reply = send_post(conn, body, async_header, timeout_ms).await;
    let reply = reply.map_err(|e| e.redact(&redactor))?;
    decode_reply(reply.0, &reply.1, reply.2.as_deref(), &redactor)
}

/// The headers of an API call. Built with the fallible `Headers::set` (gloo's `header()` throws
/// an uncaught error on a value the browser refuses), so a bad key is an error, never a crash.
fn api_headers(conn: &Connection, async_header: bool) -> Result<web_sys::Headers, ApiError> {
    let refused = |what: &str| ApiError::Network(format!("the browser refused the {what} header"));
    let headers = web_sys::Headers::new().map_err(|_| refused("request"))?;
    headers
        .set("Content-Type", "application/json")
        .map_err(|_| refused("Content-Type"))?;
    headers
        .set("Authorization", conn.key.expose())
        .map_err(|_| refused("Authorization"))?;
    if async_header {
        headers
            .set("X-DashScope-Async", "enable")
            .map_err(|_| refused("X-DashScope-Async"))?;
    }
    Ok(headers)
}

/// Sends one POST and reads the whole reply: status, body, `Retry-After`.
async fn send_post(
    conn: &Connection,
    body: String,
    async_header: bool,
    timeout_ms: u32,
) -> Result<(u16, String, Option<String>), ApiError> {
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
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&api_headers(conn, async_header)?.into());
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    init.set_signal(Some(&controller.signal()));
    let request = new_request(conn.endpoint.url(), &init)?;
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
    Ok((status, text, retry_after))
}

/// A request for `url` exactly as given: gloo's builder re-writes a URL that has a query
/// (it appends a stray `&`, which can break a signed link), so the request is made directly.
fn new_request(url: &str, init: &web_sys::RequestInit) -> Result<Request, ApiError> {
    web_sys::Request::new_with_str_and_init(url, init)
        .map(Request::from)
        .map_err(|_| ApiError::Network("the browser refused to make this request".into()))
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

/// True when `url`'s host answers a request the page may not read (`no-cors`): after a read was
/// refused, this tells a host that does not allow reading (CORS) from no network at all. The
/// body is not downloaded: the request is let go as soon as the answer's head arrives.
pub async fn host_answers(url: &str) -> bool {
    let Ok(controller) = web_sys::AbortController::new() else {
        return false;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_mode(web_sys::RequestMode::NoCors);
    init.set_signal(Some(&controller.signal()));
    let Ok(request) = new_request(url, &init) else {
        return false;
    };
    let answered = request.send().await.is_ok();
    controller.abort();
    answered
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
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let response = new_request(url, &init)?
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
