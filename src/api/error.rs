//! What can go wrong talking to the endpoint, and how each case is explained to the user
//! (PROTOCOL.md §6). Explanations never contain the API key.

use thiserror::Error;

use crate::domain::message::{Explanation, Msg};
use crate::domain::redact::Redactor;
use crate::domain::task::PollFailure;

/// Everything that can go wrong with one call.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The browser could not reach the endpoint (offline, DNS, refused, blocked by CORS).
    #[error("the browser could not reach the endpoint: {0}")]
    Network(String),
    /// No reply within the client's time limit (seconds).
    #[error("no reply within {0} s")]
    Timeout(u32),
    /// An HTTP error status, with the relay's `error` body when it sent one.
    #[error("HTTP {status}")]
    Http {
        /// HTTP status.
        status: u16,
        /// The relay's message (or a plain-text body).
        message: Option<String>,
        /// The relay's error code.
        code: Option<String>,
        /// The relay's request id, parsed from the message.
        request_id: Option<String>,
        /// `Retry-After`, in seconds.
        retry_after_s: Option<u64>,
    },
    /// A 2xx reply that is not the expected envelope (or has no output text).
    #[error("the reply could not be read: {detail}")]
    BadEnvelope {
        /// What was wrong.
        detail: String,
        /// The relay's request id, when the envelope had one.
        request_id: Option<String>,
    },
    /// The envelope's text is not JSON (a plain-text upstream message).
    #[error("the reply text is not a task: {text}")]
    BadInner {
        /// The text, shortened.
        text: String,
        /// The relay's request id.
        request_id: Option<String>,
    },
    /// The text is an upstream error object (`code`/`message`) instead of a task.
    #[error("the service returned an error: {code:?} {message:?}")]
    Upstream {
        /// Upstream code, e.g. `InvalidApiKey`.
        code: Option<String>,
        /// Upstream message.
        message: Option<String>,
        /// The relay's request id.
        request_id: Option<String>,
    },
}

/// Which call failed: a failed submit may still have created a billed task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Creating a task.
    Submit,
    /// Checking a task.
    Query,
}

/// Finds `request id: XXX` in a relay message.
pub fn request_id_in(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    let at = lower.find("request id")?;
    let rest = &message[at + "request id".len()..];
    let rest = rest.trim_start_matches([':', '：', ' ']);
    let id: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!id.is_empty()).then_some(id)
}

impl ApiError {
    /// How polling should react to this error.
    pub fn poll_failure(&self, streak: u32) -> PollFailure {
        match self {
            ApiError::Http {
                status: 429,
                retry_after_s,
                ..
            } => PollFailure::RateLimited {
                retry_after_s: *retry_after_s,
            },
            ApiError::Http {
                status: 400 | 401 | 403 | 404 | 413,
                ..
            } => PollFailure::Permanent,
            ApiError::Upstream { code: Some(c), .. }
                if matches!(
                    c.as_str(),
                    "InvalidApiKey" | "Arrearage" | "AccessDenied" | "ModelNotFound"
                ) =>
            {
                PollFailure::Permanent
            }
            _ => PollFailure::Transient { streak },
        }
    }

    /// True when a submit that failed like this may still have created (and billed) a task.
    pub fn submit_may_have_created(&self) -> bool {
        matches!(
            self,
            ApiError::Network(_)
                | ApiError::Timeout(_)
                | ApiError::BadEnvelope { .. }
                | ApiError::BadInner { .. }
                | ApiError::Http {
                    status: 500 | 502 | 504 | 524,
                    ..
                }
        )
    }

    /// The user-facing explanation: cause and next step in English and Chinese, plus the
    /// request id and the server's own words where there are some.
    pub fn explain(&self, phase: Phase) -> Explanation {
        let maybe_created = phase == Phase::Submit && self.submit_may_have_created();
        let (mut text, request_id, detail) = match self {
            ApiError::Network(detail) => (Msg::new("error.network"), None, Some(detail.clone())),
            ApiError::Timeout(secs) => (
                Msg::new("error.timeout").with("secs", secs.to_string()),
                None,
                None,
            ),
            ApiError::Http {
                status,
                message,
                code,
                request_id,
                ..
            } => {
                // The request id gets a line of its own (with a copy button): not twice.
                let message = message
                    .as_deref()
                    .map(|m| without_request_id(m, request_id.as_deref()));
                let detail = match (code, message) {
                    (Some(c), Some(m)) => Some(format!("HTTP {status} · {c}: {m}")),
                    (None, Some(m)) => Some(format!("HTTP {status}: {m}")),
                    (Some(c), None) => Some(format!("HTTP {status} · {c}")),
                    (None, None) => Some(format!("HTTP {status}")),
                };
                let text = match (phase, status) {
                    // On a submit nothing is polled: say what to do instead.
                    (Phase::Submit, 429) => Msg::new("error.http_429_submit"),
                    _ => http_text(*status),
                };
                (text, request_id.clone(), detail)
            }
            ApiError::BadEnvelope { detail, request_id } => (
                Msg::new("error.bad_envelope"),
                request_id.clone(),
                Some(detail.clone()),
            ),
            ApiError::BadInner {
                text: body,
                request_id,
            } => (
                Msg::new("error.bad_inner"),
                request_id.clone(),
                Some(body.clone()),
            ),
            ApiError::Upstream {
                code,
                message,
                request_id,
            } => (
                upstream_text(code.as_deref()),
                request_id.clone(),
                Some(
                    [code.clone(), message.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": "),
                ),
            ),
        };
        if maybe_created {
            text = text.then(Msg::new("error.maybe_created"));
        }
        Explanation {
            text,
            request_id,
            detail,
            maybe_created,
        }
    }

    /// Passes every text of the error through `r`, so a server that echoes the key back cannot
    /// make the app display or store it.
    pub fn redact(self, r: &Redactor) -> ApiError {
        let c = |s: String| r.clean(&s);
        let co = |s: Option<String>| s.map(|s| r.clean(&s));
        match self {
            ApiError::Network(d) => ApiError::Network(c(d)),
            ApiError::Timeout(s) => ApiError::Timeout(s),
            ApiError::Http {
                status,
                message,
                code,
                request_id,
                retry_after_s,
            } => ApiError::Http {
                status,
                message: co(message),
                code: co(code),
                request_id: co(request_id),
                retry_after_s,
            },
            ApiError::BadEnvelope { detail, request_id } => ApiError::BadEnvelope {
                detail: c(detail),
                request_id: co(request_id),
            },
            ApiError::BadInner { text, request_id } => ApiError::BadInner {
                text: c(text),
                request_id: co(request_id),
            },
            ApiError::Upstream {
                code,
                message,
                request_id,
            } => ApiError::Upstream {
                code: co(code),
                message: co(message),
                request_id: co(request_id),
            },
        }
    }
}

/// `message` without its trailing `(request id: …)` when that id is shown on its own line.
fn without_request_id(message: &str, request_id: Option<&str>) -> String {
    let Some(id) = request_id else {
        return message.to_string();
    };
    let lower = message.to_ascii_lowercase();
    match lower.rfind("(request id") {
        Some(at) if message[at..].contains(id) => message[..at].trim_end().to_string(),
        _ => message.to_string(),
    }
}

fn http_text(status: u16) -> Msg {
    match status {
        400 => Msg::new("error.http_400"),
        401 => Msg::new("error.http_401"),
        403 => Msg::new("error.http_403"),
        404 => Msg::new("error.http_404"),
        413 => Msg::new("error.http_413"),
        429 => Msg::new("error.http_429"),
        500 => Msg::new("error.http_500"),
        502 => Msg::new("error.http_502"),
        503 => Msg::new("error.http_503"),
        504 | 524 => Msg::new("error.http_gateway_timeout").with("status", status.to_string()),
        s if s >= 500 => Msg::new("error.http_5xx").with("status", s.to_string()),
        s => Msg::new("error.http_other").with("status", s.to_string()),
    }
}

fn upstream_text(code: Option<&str>) -> Msg {
    match code.unwrap_or("") {
        "InvalidApiKey" => http_text(401),
        "Arrearage" => Msg::new("error.arrearage"),
        "AccessDenied" => http_text(403),
        "ModelNotFound" | "ModelUnavailable" => http_text(503),
        c if c.starts_with("Throttling") => http_text(429),
        c if c.starts_with("InvalidParameter") => http_text(400),
        _ => Msg::new("error.upstream_other"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16) -> ApiError {
        ApiError::Http {
            status,
            message: Some(format!("boom (request id: req-{status})")),
            code: None,
            request_id: Some(format!("req-{status}")),
            retry_after_s: None,
        }
    }

    #[test]
    fn request_ids_are_found() {
        assert_eq!(
            request_id_in("x (request id: 2026abc-1)").as_deref(),
            Some("2026abc-1")
        );
        assert_eq!(request_id_in("Request ID：XYZ").as_deref(), Some("XYZ"));
        assert_eq!(request_id_in("nothing here"), None);
    }

    #[test]
    fn every_http_status_has_a_distinct_bilingual_message() {
        let table: [(u16, &str, &str); 11] = [
            (400, "parameter", "参数"),
            (401, "API key", "密钥"),
            (403, "quota", "额度"),
            (404, "/v1/responses", "接口地址"),
            (413, "Shorten", "缩短"),
            (429, "backs off", "限流"),
            (500, "internal", "内部"),
            (502, "upstream", "上游"),
            (503, "unavailable", "不可用"),
            (504, "timed out", "超时"),
            (524, "timed out", "超时"),
        ];
        for (status, en, zh) in table {
            let e = http(status).explain(Phase::Query);
            assert!(e.text.en().contains(en), "{status}: {}", e.text.en());
            assert!(e.text.zh().contains(zh), "{status}: {}", e.text.zh());
            assert_eq!(e.request_id, Some(format!("req-{status}")));
            let detail = e.detail.unwrap();
            assert!(detail.contains(&format!("HTTP {status}")));
            assert!(
                !detail.contains("request id"),
                "the id is shown once: {detail}"
            );
            assert!(!e.maybe_created);
        }
    }

    #[test]
    fn uncertain_submits_say_the_task_may_exist() {
        for (err, maybe) in [
            (ApiError::Network("TypeError: Failed to fetch".into()), true),
            (ApiError::Timeout(120), true),
            (http(504), true),
            (http(524), true),
            (http(502), true),
            (http(401), false),
            (http(429), false),
            (http(400), false),
        ] {
            let e = err.explain(Phase::Submit);
            assert_eq!(e.maybe_created, maybe, "{err:?}");
            assert_eq!(e.text.en().contains("may have been created"), maybe);
            assert_eq!(e.text.zh().contains("可能已创建"), maybe);
            assert!(!err.explain(Phase::Query).maybe_created);
        }
    }

    #[test]
    fn network_and_decode_errors_are_explained() {
        let e = ApiError::Network("TypeError: Failed to fetch".into()).explain(Phase::Query);
        assert!(e.text.en().contains("CORS") && e.text.zh().contains("CORS"));
        let e = ApiError::BadInner {
            text: "upstream said no".into(),
            request_id: Some("r".into()),
        }
        .explain(Phase::Query);
        assert_eq!(e.detail.as_deref(), Some("upstream said no"));
        assert_eq!(e.request_id.as_deref(), Some("r"));
        let e = ApiError::BadEnvelope {
            detail: "x".into(),
            request_id: Some("rid".into()),
        }
        .explain(Phase::Query);
        assert_eq!(e.request_id.as_deref(), Some("rid"));
        assert!(e.text.en().contains("not a DMXAPI reply"));
        let e = ApiError::Upstream {
            code: Some("InvalidApiKey".into()),
            message: None,
            request_id: None,
        }
        .explain(Phase::Query);
        assert!(e.text.en().contains("API key"));
    }

    #[test]
    fn polling_reacts_to_errors() {
        assert_eq!(http(401).poll_failure(1), PollFailure::Permanent);
        assert_eq!(http(403).poll_failure(1), PollFailure::Permanent);
        assert_eq!(
            http(503).poll_failure(2),
            PollFailure::Transient { streak: 2 }
        );
        let e = ApiError::Http {
            status: 429,
            message: None,
            code: None,
            request_id: None,
            retry_after_s: Some(3),
        };
        assert_eq!(
            e.poll_failure(1),
            PollFailure::RateLimited {
                retry_after_s: Some(3)
            }
        );
        assert_eq!(
            ApiError::Timeout(30).poll_failure(1),
            PollFailure::Transient { streak: 1 }
        );
    }

    #[test]
    fn redaction_removes_the_key_everywhere() {
        let key = "sk-secretsecretsecret";
        let e = ApiError::Http {
            status: 401,
            message: Some(format!("bad token {key} (request id: 1)")),
            code: Some(key.into()),
            request_id: None,
            retry_after_s: None,
        }
        .redact(&Redactor::new(key));
        let shown = format!("{e:?} {:?}", e.explain(Phase::Submit));
        assert!(!shown.contains(key));
        assert!(shown.contains("sk-…"));
    }
}
