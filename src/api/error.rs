//! What can go wrong talking to the endpoint, and how each case is explained to the user
//! (PROTOCOL.md §6). Explanations never contain the API key.

use thiserror::Error;

use crate::domain::message::{Bilingual, Explanation};
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
            ApiError::Network(detail) => (
                Bilingual::new(
                    "The browser could not reach the endpoint (offline, blocked, or CORS). Check your connection and the API endpoint in Settings; if the endpoint refuses calls from browsers, use a same-origin relay path.",
                    "浏览器无法连接到接口地址（离线、被拦截或 CORS 限制）。请检查网络和设置中的接口地址；如果该接口不允许浏览器直接调用，请使用同源转发路径。",
                ),
                None,
                Some(detail.clone()),
            ),
            ApiError::Timeout(secs) => (
                Bilingual::new(
                    format!("The endpoint did not answer within {secs} s. Check your connection; the service may be slow right now."),
                    format!("接口在 {secs} 秒内没有响应。请检查网络；服务可能暂时较慢。"),
                ),
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
                let detail = match (code, message) {
                    (Some(c), Some(m)) => Some(format!("HTTP {status} · {c}: {m}")),
                    (None, Some(m)) => Some(format!("HTTP {status}: {m}")),
                    (Some(c), None) => Some(format!("HTTP {status} · {c}")),
                    (None, None) => Some(format!("HTTP {status}")),
                };
                (http_text(*status), request_id.clone(), detail)
            }
            ApiError::BadEnvelope { detail, request_id } => (
                Bilingual::new(
                    "The endpoint answered with something that is not a DMXAPI reply. Check that the API endpoint in Settings is a DMXAPI /v1/responses URL, then try again.",
                    "接口返回的内容不是 DMXAPI 的响应格式。请确认设置中的接口地址是 DMXAPI 的 /v1/responses 地址，然后重试。",
                ),
                request_id.clone(),
                Some(detail.clone()),
            ),
            ApiError::BadInner { text, request_id } => (
                Bilingual::new(
                    "The service answered with a message instead of a task (shown below). Read it, adjust what it names, and try again later.",
                    "服务返回了一条消息而不是任务（见下方）。请根据提示调整后稍后重试。",
                ),
                request_id.clone(),
                Some(text.clone()),
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
            text = Bilingual::new(
                format!("{} The task may have been created (and billed) even so: check the usage log in your DMXAPI console before generating again. Nothing is re-sent automatically.", text.en),
                format!("{}但任务仍可能已创建（并计费）：重新生成前请先查看 DMXAPI 控制台的使用记录。本应用不会自动重新提交。", text.zh),
            );
        }
        Explanation {
            text,
            request_id,
            detail,
            maybe_created,
        }
    }

    /// Replaces every occurrence of `key` in the error's texts, so a server that echoes the key
    /// back cannot make the app display or store it.
    pub fn redact(self, key: &str) -> ApiError {
        if key.len() < 4 {
            return self;
        }
        let r = |s: String| s.replace(key, "sk-…");
        let ro = |s: Option<String>| s.map(r);
        match self {
            ApiError::Network(d) => ApiError::Network(r(d)),
            ApiError::Timeout(s) => ApiError::Timeout(s),
            ApiError::Http {
                status,
                message,
                code,
                request_id,
                retry_after_s,
            } => ApiError::Http {
                status,
                message: ro(message),
                code: ro(code),
                request_id: ro(request_id),
                retry_after_s,
            },
            ApiError::BadEnvelope { detail, request_id } => ApiError::BadEnvelope {
                detail: r(detail),
                request_id: ro(request_id),
            },
            ApiError::BadInner { text, request_id } => ApiError::BadInner {
                text: r(text),
                request_id: ro(request_id),
            },
            ApiError::Upstream {
                code,
                message,
                request_id,
            } => ApiError::Upstream {
                code: ro(code),
                message: ro(message),
                request_id: ro(request_id),
            },
        }
    }
}

fn http_text(status: u16) -> Bilingual {
    match status {
        400 => Bilingual::new(
            "The service rejected the request as malformed or with a bad parameter (HTTP 400). Fix the setting its message names and try again.",
            "服务认为请求格式错误或参数无效（HTTP 400）。请按提示修改相应设置后重试。",
        ),
        401 => Bilingual::new(
            "The API key was not accepted (HTTP 401). Check the API key in Settings, and that the endpoint is the DMXAPI site that issued it (.cn, .com and ssvip keys work only on their own site).",
            "API 密钥未被接受（HTTP 401）。请检查设置中的 API 密钥，并确认接口地址是签发该密钥的 DMXAPI 站点（.cn、.com 与 ssvip 的密钥只能在各自站点使用）。",
        ),
        403 => Bilingual::new(
            "The key is not allowed to do this (HTTP 403): its quota may be used up or its group disabled. Raise the key's quota or check its model permissions in the DMXAPI console.",
            "该密钥无权执行此操作（HTTP 403）：额度可能已用完或分组被禁用。请在 DMXAPI 控制台提高额度或检查模型权限。",
        ),
        404 => Bilingual::new(
            "The endpoint URL was not found (HTTP 404). Check the API endpoint in Settings: it should end in /v1/responses.",
            "接口地址不存在（HTTP 404）。请检查设置中的接口地址，应以 /v1/responses 结尾。",
        ),
        413 => Bilingual::new(
            "The request is too large (HTTP 413). Shorten the prompt or the negative prompt and try again.",
            "请求过大（HTTP 413）。请缩短提示词或反向提示词后重试。",
        ),
        429 => Bilingual::new(
            "Too many requests (HTTP 429): the service is rate limiting. Wait a moment; while checking a task the app backs off and continues by itself.",
            "请求过多（HTTP 429），服务正在限流。请稍候；查询任务时本应用会自动放慢并继续。",
        ),
        500 => Bilingual::new(
            "The relay had an internal error (HTTP 500). Try again in a few minutes.",
            "转发服务内部错误（HTTP 500）。请几分钟后重试。",
        ),
        502 => Bilingual::new(
            "The relay got a bad answer from upstream (HTTP 502). Try again in a few minutes.",
            "转发服务收到了上游的错误响应（HTTP 502）。请几分钟后重试。",
        ),
        503 => Bilingual::new(
            "The model is unavailable right now: no channel serves it (HTTP 503). Try again later.",
            "模型暂不可用，没有可用渠道（HTTP 503）。请稍后重试。",
        ),
        504 | 524 => Bilingual::new(
            format!("The gateway timed out waiting for the service (HTTP {status}). Try again in a few minutes."),
            format!("网关等待服务超时（HTTP {status}）。请几分钟后重试。"),
        ),
        s if s >= 500 => Bilingual::new(
            format!("The service had an error (HTTP {s}). Try again in a few minutes."),
            format!("服务出错（HTTP {s}）。请几分钟后重试。"),
        ),
        s => Bilingual::new(
            format!("The endpoint refused the request (HTTP {s}). Check the API endpoint and key in Settings."),
            format!("接口拒绝了请求（HTTP {s}）。请检查设置中的接口地址和密钥。"),
        ),
    }
}

fn upstream_text(code: Option<&str>) -> Bilingual {
    match code.unwrap_or("") {
        "InvalidApiKey" => http_text(401),
        "Arrearage" => Bilingual::new(
            "The provider's account is overdue. Top up your DMXAPI balance, then try again.",
            "服务商账户欠费。请为 DMXAPI 账户充值后重试。",
        ),
        "AccessDenied" => http_text(403),
        "ModelNotFound" | "ModelUnavailable" => http_text(503),
        c if c.starts_with("Throttling") => http_text(429),
        c if c.starts_with("InvalidParameter") => http_text(400),
        _ => Bilingual::new(
            "The service returned an error instead of a task (shown below). Adjust what it names and try again.",
            "服务返回了错误而不是任务（见下方）。请根据提示调整后重试。",
        ),
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
            assert!(e.text.en.contains(en), "{status}: {}", e.text.en);
            assert!(e.text.zh.contains(zh), "{status}: {}", e.text.zh);
            assert_eq!(e.request_id, Some(format!("req-{status}")));
            assert!(e.detail.unwrap().contains(&format!("HTTP {status}")));
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
            assert_eq!(e.text.en.contains("may have been created"), maybe);
            assert_eq!(e.text.zh.contains("可能已创建"), maybe);
            assert!(!err.explain(Phase::Query).maybe_created);
        }
    }

    #[test]
    fn network_and_decode_errors_are_explained() {
        let e = ApiError::Network("TypeError: Failed to fetch".into()).explain(Phase::Query);
        assert!(e.text.en.contains("CORS") && e.text.zh.contains("CORS"));
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
        assert!(e.text.en.contains("not a DMXAPI reply"));
        let e = ApiError::Upstream {
            code: Some("InvalidApiKey".into()),
            message: None,
            request_id: None,
        }
        .explain(Phase::Query);
        assert!(e.text.en.contains("API key"));
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
        .redact(key);
        let shown = format!("{e:?} {:?}", e.explain(Phase::Submit));
        assert!(!shown.contains(key));
        assert!(shown.contains("sk-…"));
    }
}
