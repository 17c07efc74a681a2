//! Request handling: recording, fault injection, the DMXAPI endpoints
//! (`/v1/responses`, `/video/...`, CORS preflight) and the `/__sim/` control API.

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::faults::{parse_faults, Effect, Fault, FaultQueue, RequestKind, TaskFailure};
use crate::ids::{oss_signature, relay_request_id, uuid_v4};
use crate::relay::{envelope, error_body, inner_json, validate_submit, Usage};
use crate::time::{format_china_time, now_epoch_ms};
use crate::{video, Timing};
use wan_models::{Family, MODES};

/// Fake OSS access key id put in video URLs.
pub(crate) const OSS_ACCESS_KEY_ID: &str = "LTAIsimulator0000";

/// Headers always allowed by the preflight reply.
const ALLOWED_HEADERS: [&str; 3] = ["authorization", "content-type", "x-dashscope-async"];

/// A reply under construction.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    /// Add `Access-Control-Allow-Origin: *` and `-Expose-Headers: Retry-After`.
    pub(crate) simple_cors: bool,
}

impl Reply {
    pub(crate) fn new(status: u16, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body,
            simple_cors: true,
        }
    }

    pub(crate) fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    fn json(status: u16, body: Vec<u8>) -> Self {
        Self::new(status, body).header("Content-Type", "application/json")
    }

    fn text(status: u16, body: &str) -> Self {
        Self::new(status, body.as_bytes().to_vec())
            .header("Content-Type", "text/plain; charset=utf-8")
    }

    /// Removes every `Access-Control-*` header.
    fn strip_cors(&mut self) {
        self.simple_cors = false;
        self.headers
            .retain(|(k, _)| !k.to_ascii_lowercase().starts_with("access-control-"));
    }

    fn into_response(self) -> tiny_http::Response<Cursor<Vec<u8>>> {
        let mut headers = self.headers;
        if self.simple_cors {
            headers.push(("Access-Control-Allow-Origin".into(), "*".into()));
            headers.push(("Access-Control-Expose-Headers".into(), "Retry-After".into()));
        }
        let mut response = tiny_http::Response::from_data(self.body)
            .with_status_code(self.status)
            // Always send Content-Length (never chunked): media stacks like it.
            .with_chunked_threshold(usize::MAX);
        for (k, v) in headers {
            if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
                response.add_header(h);
            }
        }
        response
    }
}

/// A relay (new-api) error reply with a fresh request id.
fn relay_error(status: u16, message: &str, code: &Value) -> Reply {
    let request_id = relay_request_id(now_epoch_ms());
    Reply::json(status, error_body(message, &request_id, code))
        .header("X-Oneapi-Request-Id", &request_id)
}

fn code(s: &str) -> Value {
    Value::String(s.into())
}

/// A 200 envelope reply.
fn envelope_reply(text: Option<String>, usage: Usage) -> Reply {
    Reply::json(200, envelope(&uuid_v4(), text, usage))
        .header("X-Oneapi-Request-Id", &relay_request_id(now_epoch_ms()))
}

/// One recorded request, as returned by `GET /__sim/requests`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RecordedRequest {
    method: String,
    path: String,
    query: String,
    headers: BTreeMap<String, String>,
    body: String,
    at_ms: u64,
}

/// The parts of a request the handlers need, read up front.
struct Incoming {
    method: String,
    path: String,
    query: String,
    /// Lower-cased names, in arrival order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Incoming {
    fn read(request: &mut tiny_http::Request) -> Self {
        let method = request.method().as_str().to_ascii_uppercase();
        let url = request.url().to_string();
        let (path, query) = match url.split_once('?') {
            Some((p, q)) => (p.to_string(), q.to_string()),
            None => (url, String::new()),
        };
        let headers = request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_ascii_lowercase(),
                    h.value.as_str().to_string(),
                )
            })
            .collect();
        let mut body = Vec::new();
        let _ = request.as_reader().read_to_end(&mut body);
        Self {
            method,
            path,
            query,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn record(&self, at_ms: u64) -> RecordedRequest {
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in &self.headers {
            headers
                .entry(k.clone())
                .and_modify(|old| {
                    old.push_str(", ");
                    old.push_str(v);
                })
                .or_insert_with(|| v.clone());
        }
        RecordedRequest {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers,
            body: String::from_utf8_lossy(&self.body).into_owned(),
            at_ms,
        }
    }
}

/// A generation task.
#[derive(Debug, Clone)]
struct Task {
    id: String,
    prompt: String,
    /// The model family: its `*-get` finds the task, and HappyHorse replies carry no `orig_prompt`.
    family: Family,
    /// What the submit was billed (`usage.total_tokens`).
    units: u64,
    created: Instant,
    submit_ms: u64,
    timing: Timing,
    failure: Option<TaskFailure>,
}

impl Task {
    fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.created.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn ended(&self) -> bool {
        self.elapsed_ms()
            >= self
                .timing
                .pending_ms
                .saturating_add(self.timing.running_ms)
    }

    fn succeeded(&self) -> bool {
        self.failure.is_none() && self.ended()
    }

    fn end_ms(&self) -> u64 {
        self.submit_ms + self.timing.pending_ms + self.timing.running_ms
    }

    fn video_url(&self, base: &str) -> String {
        let expires = self.end_ms() / 1000 + self.timing.link_ttl_secs;
        format!(
            "{base}/video/{}.mp4?Expires={expires}&OSSAccessKeyId={OSS_ACCESS_KEY_ID}&Signature={}",
            self.id,
            oss_signature(&self.id, expires)
        )
    }

    /// The inner query object's fields at this moment.
    fn fields(&self, base: &str) -> Vec<(&'static str, Value)> {
        let elapsed = self.elapsed_ms();
        let scheduled_ms = self.submit_ms + self.timing.pending_ms;
        let mut f = vec![
            ("task_id", json!(self.id)),
            ("submit_time", json!(format_china_time(self.submit_ms))),
        ];
        if self.family != Family::HappyHorse {
            f.push(("orig_prompt", json!(self.prompt)));
        }
        let status = if elapsed < self.timing.pending_ms {
            "PENDING"
        } else if !self.ended() {
            f.push(("scheduled_time", json!(format_china_time(scheduled_ms))));
            "RUNNING"
        } else {
            f.push(("scheduled_time", json!(format_china_time(scheduled_ms))));
            f.push(("end_time", json!(format_china_time(self.end_ms()))));
            match &self.failure {
                Some(fail) => {
                    f.push(("code", json!(fail.code)));
                    f.push(("message", json!(fail.message)));
                    "FAILED"
                }
                None => {
                    f.push(("video_url", json!(self.video_url(base))));
                    "SUCCEEDED"
                }
            }
        };
        f.push(("task_status", json!(status)));
        f
    }
}

struct State {
    requests: Vec<(u64, RecordedRequest)>,
    faults: FaultQueue,
    tasks: HashMap<String, Task>,
    timing: Timing,
    /// See [`ClockUpdate::running_limit`].
    running_limit: usize,
}

/// State shared by all request threads.
pub(crate) struct Shared {
    /// `http://host:port`, used in video URLs.
    base_url: String,
    keys: Vec<String>,
    quiet: bool,
    started: Instant,
    initial_timing: Timing,
    state: Mutex<State>,
}

/// `POST /__sim/clock` body.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockUpdate {
    pending_ms: Option<u64>,
    running_ms: Option<u64>,
    link_ttl_secs: Option<u64>,
    /// The account's limit of tasks queued or running at once (0: none, the default); a submit
    /// beyond it is refused with `Throttling`, as the account limit of the pages.
    running_limit: Option<usize>,
}

impl Shared {
    pub(crate) fn new(
        base_url: String,
        keys: Vec<String>,
        quiet: bool,
        timing: Timing,
        faults: Vec<Fault>,
    ) -> Self {
        let mut queue = FaultQueue::default();
        queue.extend(faults);
        Self {
            base_url,
            keys,
            quiet,
            started: Instant::now(),
            initial_timing: timing,
            state: Mutex::new(State {
                requests: Vec::new(),
                faults: queue,
                tasks: HashMap::new(),
                timing,
                running_limit: 0,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Milliseconds since the simulator started.
    pub(crate) fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Handles one request end to end (runs on its own thread).
    pub(crate) fn handle(&self, mut request: tiny_http::Request, seq: u64, at_ms: u64) {
        let t0 = Instant::now();
        let incoming = Incoming::read(&mut request);
        let control = incoming.path == "/__sim" || incoming.path.starts_with("/__sim/");
        let reply = if control {
            self.control(&incoming)
        } else {
            {
                let mut st = self.lock();
                let pos = st.requests.partition_point(|(s, _)| *s < seq);
                st.requests.insert(pos, (seq, incoming.record(at_ms)));
            }
            self.api(&incoming)
        };
        if !self.quiet {
            // Never log header values or bodies (the key must not leak).
            eprintln!(
                "dmxapi-sim: {} {} -> {} ({} ms)",
                incoming.method,
                incoming.path,
                reply.status,
                t0.elapsed().as_millis()
            );
        }
        let _ = request.respond(reply.into_response());
    }

    fn classify(req: &Incoming, parsed: Option<&Result<Value, serde_json::Error>>) -> RequestKind {
        match req.method.as_str() {
            "OPTIONS" => RequestKind::Preflight,
            "POST" if req.path == "/v1/responses" => match parsed {
                Some(Ok(v))
                    if v.get("model")
                        .and_then(Value::as_str)
                        .and_then(Family::from_query_model)
                        .is_some() =>
                {
                    RequestKind::Query
                }
                _ => RequestKind::Submit,
            },
            "GET" | "HEAD" if req.path.starts_with("/video/") => RequestKind::Video,
            _ => RequestKind::Other,
        }
    }

    /// Recorded (non-control) requests: faults first, then normal handling.
    fn api(&self, req: &Incoming) -> Reply {
        let parsed = (req.method == "POST" && req.path == "/v1/responses")
            .then(|| serde_json::from_slice::<Value>(&req.body));
        let kind = Self::classify(req, parsed.as_ref());
        let fault = self.lock().faults.take(kind);
        if let Some(ms) = fault.as_ref().and_then(|f| f.delay_ms) {
            thread::sleep(Duration::from_millis(ms));
        }
        let effect = fault.as_ref().map_or(Effect::Normal, Fault::effect);
        let usage = if kind == RequestKind::Query {
            Usage::QUERY
        } else {
            Usage::SUBMIT
        };
        let mut reply = match effect {
            Effect::Http {
                status,
                message,
                code,
            } => relay_error(status, &message, &code),
            Effect::Raw(raw) => Reply::new(raw.status, raw.body.into_bytes())
                .header("Content-Type", &raw.content_type),
            Effect::EmptyOutput => envelope_reply(None, usage),
            Effect::Text(text) => envelope_reply(Some(text), usage),
            other => self.normal(kind, req, parsed, &other),
        };
        if let Some(f) = &fault {
            if let Some(secs) = f.retry_after {
                reply = reply.header("Retry-After", &secs.to_string());
            }
            if f.no_cors() {
                reply.strip_cors();
            }
        }
        reply
    }

    fn normal(
        &self,
        kind: RequestKind,
        req: &Incoming,
        parsed: Option<Result<Value, serde_json::Error>>,
        effect: &Effect,
    ) -> Reply {
        match kind {
            RequestKind::Preflight => preflight(req),
            RequestKind::Video => self.video(req),
            RequestKind::Submit | RequestKind::Query => self.responses(req, parsed, effect),
            RequestKind::Other => relay_error(
                404,
                &format!("Invalid URL ({} {})", req.method, req.path),
                &Value::Null,
            ),
        }
    }

    fn authorize(&self, req: &Incoming) -> Result<(), Reply> {
        let raw = req.header("authorization").map(str::trim).unwrap_or("");
        let key = raw
            .strip_prefix("Bearer ")
            .or_else(|| raw.strip_prefix("bearer "))
            .unwrap_or(raw)
            .trim();
        if key.is_empty() {
            return Err(relay_error(
                401,
                "未提供令牌 (no token: send the key in the Authorization header)",
                &code("invalid_api_key"),
            ));
        }
        let valid = if self.keys.is_empty() {
            key.starts_with("sk-") && key.chars().count() >= 8
        } else {
            self.keys.iter().any(|k| k == key)
        };
        if valid {
            Ok(())
        } else {
            Err(relay_error(
                401,
                "无效的令牌 (invalid token)",
                &code("invalid_api_key"),
            ))
        }
    }

    fn responses(
        &self,
        req: &Incoming,
        parsed: Option<Result<Value, serde_json::Error>>,
        effect: &Effect,
    ) -> Reply {
        if let Err(reply) = self.authorize(req) {
            return reply;
        }
        let body = match parsed {
            Some(Ok(v)) => v,
            Some(Err(e)) => {
                return relay_error(
                    400,
                    &format!("invalid request body: {e}"),
                    &code("invalid_request"),
                )
            }
            None => return relay_error(400, "missing request body", &code("invalid_request")),
        };
        if !body.is_object() {
            return relay_error(
                400,
                "invalid request body: expected a JSON object",
                &code("invalid_request"),
            );
        }
        match body.get("model") {
            Some(Value::String(m)) if MODES.iter().any(|s| s.submit_model == m) => {
                self.submit(&body, effect)
            }
            Some(Value::String(m)) if Family::from_query_model(m).is_some() => {
                self.query(&body, effect)
            }
            Some(Value::String(m)) => relay_error(
                503,
                &format!("no available channel for model {m} under group default (distributor)"),
                &code("model_not_found"),
            ),
            _ => relay_error(400, "model is required", &code("invalid_request")),
        }
    }

    fn submit(&self, body: &Value, effect: &Effect) -> Reply {
        let request = match validate_submit(body) {
            Ok(r) => r,
            Err(e) => return relay_error(400, &e.text(), &code("InvalidParameter")),
        };
        let id = uuid_v4();
        {
            let mut st = self.lock();
            let running = st.tasks.values().filter(|t| !t.ended()).count();
            if st.running_limit > 0 && running >= st.running_limit {
                return relay_error(
                    429,
                    &format!(
                        "Throttling: Requests throttling triggered: {running} tasks are running for this account (limit {})",
                        st.running_limit
                    ),
                    &code("Throttling"),
                );
            }
            let task = Task {
                id: id.clone(),
                prompt: request.prompt,
                family: request.mode.spec().family,
                units: request.units,
                created: Instant::now(),
                submit_ms: now_epoch_ms(),
                timing: st.timing,
                failure: match effect {
                    Effect::TaskFails(f) => Some(f.clone()),
                    _ => None,
                },
            };
            st.tasks.insert(id.clone(), task);
        }
        let inner = inner_json(vec![
            ("task_id", json!(id)),
            ("task_status", json!("PENDING")),
        ]);
        envelope_reply(
            Some(inner),
            Usage {
                input: 0,
                output: request.units,
            },
        )
    }

    fn query(&self, body: &Value, effect: &Effect) -> Reply {
        let Some(id) = body.get("input").and_then(Value::as_str) else {
            return relay_error(
                400,
                "InvalidParameter: input: must be the task id string",
                &code("InvalidParameter"),
            );
        };
        let family = body
            .get("model")
            .and_then(Value::as_str)
            .and_then(Family::from_query_model);
        // A task is found only by its own family's query model (the simulator's choice: the
        // pages never say what another family's *-get answers).
        let (mut fields, usage) = match self.lock().tasks.get(id) {
            Some(task) if Some(task.family) == family => (
                task.fields(&self.base_url),
                // wan2.6 repeats the billed amount as input_tokens; wan2.7 and HappyHorse report 0.
                Usage {
                    input: if task.family == Family::Wan26 {
                        task.units
                    } else {
                        0
                    },
                    output: 0,
                },
            ),
            _ => (
                vec![("task_id", json!(id)), ("task_status", json!("UNKNOWN"))],
                Usage::QUERY,
            ),
        };
        if let Effect::Status(status) = effect {
            fields.retain(|(k, _)| match *k {
                "video_url" => status == "SUCCEEDED",
                "code" | "message" => status == "FAILED",
                _ => true,
            });
            for (k, v) in fields.iter_mut() {
                if *k == "task_status" {
                    *v = json!(status);
                }
            }
        }
        envelope_reply(Some(inner_json(fields)), usage)
    }

    fn video(&self, req: &Incoming) -> Reply {
        let now = now_epoch_ms();
        let key = req.path.trim_start_matches('/');
        let Some(id) = video::task_id_from_path(&req.path) else {
            return video::not_found(key, now);
        };
        let Some(expires) =
            video::query_param(&req.query, "Expires").and_then(|v| v.parse::<u64>().ok())
        else {
            return video::unsigned(now);
        };
        if now / 1000 > expires {
            return video::expired(expires, now);
        }
        let ready = self.lock().tasks.get(id).is_some_and(Task::succeeded);
        if !ready {
            return video::not_found(key, now);
        }
        video::serve_clip(req.header("range"))
    }

    /// The `/__sim/` control API (not recorded, no faults).
    fn control(&self, req: &Incoming) -> Reply {
        let bad = |msg: String| relay_error(400, &msg, &code("invalid_request"));
        match (req.method.as_str(), req.path.as_str()) {
            ("OPTIONS", _) => preflight(req),
            ("GET", "/__sim/health") => Reply::text(200, "ok"),
            ("GET", "/__sim/requests") => {
                let st = self.lock();
                let list: Vec<&RecordedRequest> = st.requests.iter().map(|(_, r)| r).collect();
                Reply::json(200, serde_json::to_vec(&list).unwrap_or_default())
            }
            ("POST", "/__sim/reset") => {
                let mut st = self.lock();
                st.requests.clear();
                st.faults.clear();
                st.tasks.clear();
                st.timing = self.initial_timing;
                st.running_limit = 0;
                Reply::json(200, br#"{"ok":true}"#.to_vec())
            }
            ("GET", "/__sim/faults") => {
                let st = self.lock();
                Reply::json(
                    200,
                    serde_json::to_vec(st.faults.items()).unwrap_or_default(),
                )
            }
            ("POST", "/__sim/faults") => {
                let value: Value = match serde_json::from_slice(&req.body) {
                    Ok(v) => v,
                    Err(e) => return bad(format!("invalid fault JSON: {e}")),
                };
                match parse_faults(&value) {
                    Ok(faults) => {
                        let n = faults.len();
                        let mut st = self.lock();
                        st.faults.extend(faults);
                        let body = json!({"queued": n, "total": st.faults.items().len()});
                        Reply::json(200, body.to_string().into_bytes())
                    }
                    Err(e) => bad(e),
                }
            }
            ("GET", "/__sim/clock") => {
                let timing = self.lock().timing;
                Reply::json(200, serde_json::to_vec(&timing).unwrap_or_default())
            }
            ("POST", "/__sim/clock") => {
                let update: ClockUpdate = if req.body.iter().all(u8::is_ascii_whitespace) {
                    ClockUpdate::default()
                } else {
                    match serde_json::from_slice(&req.body) {
                        Ok(u) => u,
                        Err(e) => return bad(format!("invalid clock JSON: {e}")),
                    }
                };
                let mut st = self.lock();
                if let Some(v) = update.pending_ms {
                    st.timing.pending_ms = v;
                }
                if let Some(v) = update.running_ms {
                    st.timing.running_ms = v;
                }
                if let Some(v) = update.link_ttl_secs {
                    st.timing.link_ttl_secs = v;
                }
                if let Some(v) = update.running_limit {
                    st.running_limit = v;
                }
                Reply::json(200, serde_json::to_vec(&st.timing).unwrap_or_default())
            }
            (method, path) => {
                relay_error(404, &format!("Invalid URL ({method} {path})"), &Value::Null)
            }
        }
    }
}

/// CORS preflight reply, like new-api's: 204, origin echoed, headers listed.
fn preflight(req: &Incoming) -> Reply {
    let origin = req.header("origin").unwrap_or("*");
    let mut allowed: Vec<String> = ALLOWED_HEADERS.iter().map(|s| s.to_string()).collect();
    if let Some(requested) = req.header("access-control-request-headers") {
        for name in requested.split(',') {
            let name = name.trim().to_ascii_lowercase();
            if !name.is_empty() && !allowed.contains(&name) {
                allowed.push(name);
            }
        }
    }
    let mut reply = Reply::new(204, Vec::new())
        .header("Access-Control-Allow-Origin", origin)
        .header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        .header("Access-Control-Allow-Headers", &allowed.join(", "))
        .header("Access-Control-Max-Age", "600")
        .header("Vary", "Origin, Access-Control-Request-Headers");
    reply.simple_cors = false;
    reply
}
