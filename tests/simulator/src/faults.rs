//! Injected faults: the JSON format accepted by `POST /__sim/faults` and
//! `--fault`, validation, and the ordered queue that hands the first matching
//! fault to each request.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Which requests a fault targets (`"on"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultTarget {
    /// `POST /v1/responses` with any model other than `wan2.6-get`.
    Submit,
    /// `POST /v1/responses` with model `wan2.6-get`.
    Query,
    /// Every recorded request, preflights and video downloads included.
    Any,
    /// `GET`/`HEAD /video/...`.
    Video,
    /// `OPTIONS` (CORS preflight) on any path.
    Preflight,
}

/// What kind of request the simulator received (for fault matching).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// CORS preflight.
    Preflight,
    /// Task submission.
    Submit,
    /// Task query.
    Query,
    /// Video download.
    Video,
    /// Anything else (unknown endpoint).
    Other,
}

/// `task_fails`: the task ends FAILED with this code and message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFailure {
    /// DashScope error code, e.g. `DataInspectionFailed`.
    #[serde(default = "default_fail_code")]
    pub code: String,
    /// Human message.
    #[serde(default = "default_fail_message")]
    pub message: String,
}

fn default_fail_code() -> String {
    "InternalError".into()
}

fn default_fail_message() -> String {
    "Simulated task failure.".into()
}

/// `raw`: a reply sent exactly as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReply {
    /// HTTP status.
    pub status: u16,
    /// Content-Type header (default `text/plain; charset=utf-8`).
    #[serde(default = "default_raw_type")]
    pub content_type: String,
    /// Body text.
    #[serde(default)]
    pub body: String,
}

fn default_raw_type() -> String {
    "text/plain; charset=utf-8".into()
}

fn default_times() -> u32 {
    1
}

/// Keeps an explicit `null` as `Some(Value::Null)` (absent stays `None`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// One fault, as written in JSON. See the README for the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Which requests it applies to.
    pub on: FaultTarget,
    /// How many requests it applies to; 0 means forever.
    #[serde(default = "default_times")]
    pub times: u32,
    /// Reply with a relay error of this HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<u16>,
    /// Message for `http` (default depends on the status).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Code for `http` (string or null; default depends on the status).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<Value>,
    /// Adds a `Retry-After: <secs>` header (with `http` or `raw`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Waits this long before handling (combines with any other effect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Submit succeeds but the task ends FAILED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_fails: Option<TaskFailure>,
    /// Query reports this `task_status` verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Reply exactly this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawReply>,
    /// 200 envelope with `"output": []`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty_output: Option<bool>,
    /// 200 envelope whose `output_text` is this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `false`: reply without any `Access-Control-*` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cors: Option<bool>,
}

/// The main effect of a fault (`delay_ms` and `cors` are modifiers).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Relay error reply.
    Http {
        /// HTTP status.
        status: u16,
        /// Message text (request id is appended).
        message: String,
        /// `error.code`.
        code: Value,
    },
    /// Exact reply.
    Raw(RawReply),
    /// `"output": []`.
    EmptyOutput,
    /// Non-JSON `output_text`.
    Text(String),
    /// Task ends FAILED.
    TaskFails(TaskFailure),
    /// Query status override.
    Status(String),
    /// Normal handling (only modifiers).
    Normal,
}

impl Fault {
    /// Checks the fault is well-formed: exactly one main effect (or only
    /// modifiers), and that the effect can apply to its target.
    pub fn validate(&self) -> Result<(), String> {
        let main = [
            self.http.is_some(),
            self.task_fails.is_some(),
            self.status.is_some(),
            self.raw.is_some(),
            self.empty_output == Some(true),
            self.text.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        let modifiers =
            usize::from(self.delay_ms.is_some()) + usize::from(self.cors == Some(false));
        if main > 1 {
            return Err("a fault takes one effect among http, task_fails, status, raw, empty_output, text (delay_ms and cors:false may be added)".into());
        }
        if main + modifiers == 0 {
            return Err("a fault needs an effect: http, delay_ms, task_fails, status, raw, empty_output:true, text or cors:false".into());
        }
        if let Some(s) = self.http {
            if !(200..=599).contains(&s) {
                return Err(format!("http status {s} is out of range 200..=599"));
            }
        } else if self.message.is_some() || self.code.is_some() {
            return Err("message and code only apply to http faults".into());
        }
        if self.retry_after.is_some() && self.http.is_none() && self.raw.is_none() {
            return Err("retry_after only applies to http or raw faults".into());
        }
        if let Some(raw) = &self.raw {
            if !(200..=599).contains(&raw.status) {
                return Err(format!(
                    "raw status {} is out of range 200..=599",
                    raw.status
                ));
            }
        }
        if let Some(Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_)) =
            &self.code
        {
            return Err("code must be a string or null".into());
        }
        let on = self.on;
        let api_only = self.empty_output == Some(true) || self.text.is_some();
        if self.task_fails.is_some() && !matches!(on, FaultTarget::Submit | FaultTarget::Any) {
            return Err("task_fails needs on: submit (or any)".into());
        }
        if self.status.is_some() && !matches!(on, FaultTarget::Query | FaultTarget::Any) {
            return Err("status needs on: query (or any)".into());
        }
        if api_only && matches!(on, FaultTarget::Video | FaultTarget::Preflight) {
            return Err("empty_output and text need on: submit, query or any".into());
        }
        Ok(())
    }

    /// True if this fault applies to a request of `kind`: the target matches
    /// and the main effect makes sense for it (`task_fails` only on submits,
    /// `status` only on queries, `empty_output`/`text` only on API calls).
    pub fn matches(&self, kind: RequestKind) -> bool {
        let target = match self.on {
            FaultTarget::Any => true,
            FaultTarget::Submit => kind == RequestKind::Submit,
            FaultTarget::Query => kind == RequestKind::Query,
            FaultTarget::Video => kind == RequestKind::Video,
            FaultTarget::Preflight => kind == RequestKind::Preflight,
        };
        let api = matches!(kind, RequestKind::Submit | RequestKind::Query);
        target
            && match self.effect() {
                Effect::TaskFails(_) => kind == RequestKind::Submit,
                Effect::Status(_) => kind == RequestKind::Query,
                Effect::EmptyOutput | Effect::Text(_) => api,
                _ => true,
            }
    }

    /// The main effect.
    pub fn effect(&self) -> Effect {
        if let Some(status) = self.http {
            let (message, code) = crate::relay::default_error(status);
            return Effect::Http {
                status,
                message: self.message.clone().unwrap_or_else(|| message.into()),
                code: self.code.clone().unwrap_or(code),
            };
        }
        if let Some(raw) = &self.raw {
            return Effect::Raw(raw.clone());
        }
        if self.empty_output == Some(true) {
            return Effect::EmptyOutput;
        }
        if let Some(text) = &self.text {
            return Effect::Text(text.clone());
        }
        if let Some(f) = &self.task_fails {
            return Effect::TaskFails(f.clone());
        }
        if let Some(s) = &self.status {
            return Effect::Status(s.clone());
        }
        Effect::Normal
    }

    /// True if the reply must carry no `Access-Control-*` headers.
    pub fn no_cors(&self) -> bool {
        self.cors == Some(false)
    }
}

/// Parses one fault object or an array of them, validating each.
pub fn parse_faults(value: &Value) -> Result<Vec<Fault>, String> {
    let items: Vec<&Value> = match value {
        Value::Array(a) => a.iter().collect(),
        Value::Object(_) => vec![value],
        _ => return Err("expected a fault object or an array of fault objects".into()),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let f: Fault =
                serde_json::from_value(v.clone()).map_err(|e| format!("fault #{i}: {e}"))?;
            f.validate().map_err(|e| format!("fault #{i}: {e}"))?;
            Ok(f)
        })
        .collect()
}

/// Parses fault JSON text (see [`parse_faults`]).
pub fn parse_faults_str(text: &str) -> Result<Vec<Fault>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid fault JSON: {e}"))?;
    parse_faults(&v)
}

/// Ordered queue of faults with remaining use counts.
#[derive(Debug, Default, Clone)]
pub struct FaultQueue {
    items: Vec<Fault>,
}

impl FaultQueue {
    /// Appends faults in order.
    pub fn extend(&mut self, faults: impl IntoIterator<Item = Fault>) {
        self.items.extend(faults);
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// The queued faults; `times` shows the remaining count (0 = forever).
    pub fn items(&self) -> &[Fault] {
        &self.items
    }

    /// Takes the first fault matching `kind`, decrementing its count and
    /// dropping it when used up.
    pub fn take(&mut self, kind: RequestKind) -> Option<Fault> {
        let i = self.items.iter().position(|f| f.matches(kind))?;
        let fault = self.items[i].clone();
        match self.items[i].times {
            0 => {}
            1 => {
                self.items.remove(i);
            }
            _ => self.items[i].times -= 1,
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_object_and_array() {
        let one = parse_faults(&json!({"on": "submit", "http": 429, "retry_after": 3})).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].times, 1);
        let many = parse_faults(&json!([
            {"on": "query", "status": "CANCELED", "times": 0},
            {"on": "any", "delay_ms": 50, "cors": false},
            {"on": "video", "raw": {"status": 502, "content_type": "text/html", "body": "<h1>x</h1>"}}
        ]))
        .unwrap();
        assert_eq!(many.len(), 3);
    }

    #[test]
    fn rejects_bad_faults() {
        for bad in [
            json!({"on": "submit"}),
            json!({"on": "submit", "http": 429, "text": "x"}),
            json!({"on": "nowhere", "http": 500}),
            json!({"on": "submit", "htp": 500}),
            json!({"on": "query", "task_fails": {"code": "X"}}),
            json!({"on": "submit", "status": "X"}),
            json!({"on": "video", "text": "x"}),
            json!({"on": "submit", "message": "x"}),
            json!({"on": "submit", "http": 42}),
            json!({"on": "submit", "http": 500, "code": 5}),
            json!("text"),
        ] {
            assert!(parse_faults(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn http_defaults_and_null_code() {
        let f = &parse_faults(&json!({"on": "any", "http": 503, "code": null})).unwrap()[0];
        match f.effect() {
            Effect::Http {
                status,
                code,
                message,
            } => {
                assert_eq!(status, 503);
                assert_eq!(code, Value::Null);
                assert!(message.contains("channel"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn queue_order_counts_and_applicability() {
        let mut q = FaultQueue::default();
        q.extend(
            parse_faults(&json!([
                {"on": "any", "task_fails": {"code": "C", "message": "M"}},
                {"on": "query", "http": 500, "times": 2},
                {"on": "any", "http": 429, "times": 0}
            ]))
            .unwrap(),
        );
        // task_fails waits for a submit; the preflight gets the forever 429.
        assert_eq!(q.take(RequestKind::Preflight).unwrap().http, Some(429));
        assert_eq!(q.take(RequestKind::Query).unwrap().http, Some(500));
        assert_eq!(q.take(RequestKind::Query).unwrap().http, Some(500));
        assert_eq!(q.take(RequestKind::Query).unwrap().http, Some(429));
        assert!(q.take(RequestKind::Submit).unwrap().task_fails.is_some());
        assert_eq!(q.take(RequestKind::Submit).unwrap().http, Some(429));
        assert_eq!(q.items().len(), 1);
        q.clear();
        assert!(q.take(RequestKind::Submit).is_none());
    }
}
