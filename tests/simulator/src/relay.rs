//! The DMXAPI / new-api wire format: the OpenAI-Responses style envelope whose
//! `output_text` carries the DashScope payload as a JSON *string*, the relay
//! error body, and validation of a `wan2.6-t2v` submit body.

use serde::Serialize;
use serde_json::Value;

/// Model name of the text-to-video submit call.
pub const T2V_MODEL: &str = "wan2.6-t2v";
/// Model name of the task query call.
pub const GET_MODEL: &str = "wan2.6-get";

/// The ten output sizes wan2.6-t2v accepts.
pub const SIZES: [&str; 10] = [
    "1280*720",
    "720*1280",
    "960*960",
    "1088*832",
    "832*1088",
    "1920*1080",
    "1080*1920",
    "1440*1440",
    "1632*1248",
    "1248*1632",
];

/// Maximum prompt length in Unicode scalar values.
pub const MAX_PROMPT_CHARS: usize = 1500;
/// Maximum negative prompt length in Unicode scalar values.
pub const MAX_NEGATIVE_PROMPT_CHARS: usize = 500;
/// Largest accepted seed.
pub const MAX_SEED: i64 = 2_147_483_647;

/// Escapes characters the way Go's `encoding/json` does by default
/// (`&`, `<`, `>`, U+2028, U+2029). Only valid on already-serialized JSON:
/// those characters can only occur inside strings, where `\uXXXX` is legal.
pub fn go_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        match ch {
            '&' => out.push_str("\\u0026"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Serializes a flat object with keys in sorted order (as Go marshals a map,
/// matching the fixtures) and Go-style escaping, independent of serde_json's
/// `preserve_order` feature.
pub fn inner_json(mut fields: Vec<(&str, Value)>) -> String {
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}:{}",
                Value::String((*k).to_string()),
                serde_json::to_string(v).unwrap_or_else(|_| "null".into())
            )
        })
        .collect();
    go_escape(&format!("{{{}}}", parts.join(",")))
}

/// Token counts reported in `usage` (their meaning is undocumented).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// `usage.input_tokens`.
    pub input: u64,
    /// `usage.output_tokens`.
    pub output: u64,
}

impl Usage {
    /// What a submit reply reports (fixtures/submit-response.json).
    pub const SUBMIT: Usage = Usage {
        input: 0,
        output: 100_000,
    };
    /// What a query reply reports (fixtures/query-succeeded-response.json).
    pub const QUERY: Usage = Usage {
        input: 100_000,
        output: 0,
    };
}

#[derive(Serialize)]
struct Envelope {
    request_id: String,
    output: Vec<OutputMessage>,
    usage: UsageBody,
}

#[derive(Serialize)]
struct OutputMessage {
    #[serde(rename = "type")]
    kind: &'static str,
    content: Vec<OutputText>,
}

#[derive(Serialize)]
struct OutputText {
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct UsageBody {
    total_tokens: u64,
    input_tokens: u64,
    input_tokens_details: CachedTokens,
    output_tokens: u64,
    output_tokens_details: ReasoningTokens,
}

#[derive(Serialize)]
struct CachedTokens {
    cached_tokens: u64,
}

#[derive(Serialize)]
struct ReasoningTokens {
    reasoning_tokens: u64,
}

/// Builds the reply envelope. `text = None` gives `"output": []`.
pub fn envelope(request_id: &str, text: Option<String>, usage: Usage) -> Vec<u8> {
    let output = text
        .map(|text| {
            vec![OutputMessage {
                kind: "message",
                content: vec![OutputText {
                    kind: "output_text",
                    text,
                }],
            }]
        })
        .unwrap_or_default();
    let env = Envelope {
        request_id: request_id.to_string(),
        output,
        usage: UsageBody {
            total_tokens: 100_000,
            input_tokens: usage.input,
            input_tokens_details: CachedTokens { cached_tokens: 0 },
            output_tokens: usage.output,
            output_tokens_details: ReasoningTokens {
                reasoning_tokens: 0,
            },
        },
    };
    go_escape(&serde_json::to_string(&env).unwrap_or_default()).into_bytes()
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorInner<'a>,
}

#[derive(Serialize)]
struct ErrorInner<'a> {
    message: String,
    #[serde(rename = "type")]
    kind: &'a str,
    code: &'a Value,
}

/// The new-api error body:
/// `{"error":{"message":"<text> (request id: <id>)","type":"new_api_error","code":<code>}}`.
pub fn error_body(message: &str, request_id: &str, code: &Value) -> Vec<u8> {
    let body = ErrorBody {
        error: ErrorInner {
            message: format!("{message} (request id: {request_id})"),
            kind: "new_api_error",
            code,
        },
    };
    go_escape(&serde_json::to_string(&body).unwrap_or_default()).into_bytes()
}

/// Default message and code for a relay error status (used by `http` faults).
pub fn default_error(status: u16) -> (&'static str, Value) {
    let (message, code) = match status {
        400 => (
            "bad request: the request body is malformed",
            Some("invalid_request"),
        ),
        401 => ("无效的令牌 (invalid token)", Some("invalid_api_key")),
        403 => (
            "用户额度不足 (token quota exhausted or group disabled)",
            Some("insufficient_user_quota"),
        ),
        404 => ("Invalid URL (POST /v1/responses)", None),
        413 => ("request body too large", Some("request_too_large")),
        429 => (
            "rate limit exceeded, please retry later",
            Some("rate_limit_exceeded"),
        ),
        500 => ("internal server error", Some("internal_error")),
        502 => (
            "bad gateway: upstream returned an invalid response",
            Some("bad_gateway"),
        ),
        503 => (
            "no available channel for model wan2.6-t2v under group default (distributor)",
            Some("model_not_found"),
        ),
        504 => (
            "gateway timeout: upstream did not respond in time",
            Some("gateway_timeout"),
        ),
        524 => (
            "a timeout occurred: upstream connection timed out",
            Some("timeout"),
        ),
        _ => ("simulated relay error", None),
    };
    (
        message,
        code.map_or(Value::Null, |c| Value::String(c.into())),
    )
}

/// A validated submit body (the fields the simulator uses plus the rest, for
/// completeness).
#[derive(Debug, Clone, PartialEq)]
pub struct SubmitRequest {
    /// `input.prompt`.
    pub prompt: String,
    /// `input.negative_prompt`.
    pub negative_prompt: Option<String>,
    /// `input.audio_url`.
    pub audio_url: Option<String>,
    /// `parameters.size` (default `1920*1080`).
    pub size: String,
    /// `parameters.duration` (default 5).
    pub duration: u32,
    /// `parameters.shot_type` (default `single`).
    pub shot_type: String,
    /// `parameters.prompt_extend` (default true).
    pub prompt_extend: bool,
    /// `parameters.watermark` (default false).
    pub watermark: bool,
    /// `parameters.seed`.
    pub seed: Option<i64>,
}

/// A parameter violation: the offending field and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// Dotted field path, e.g. `parameters.size`.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

impl ParamError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }

    /// The text used in the relay error body.
    pub fn text(&self) -> String {
        format!("InvalidParameter: {}: {}", self.field, self.message)
    }
}

/// `obj[key]`, treating an explicit `null` as absent.
fn get<'a>(obj: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

fn opt_string(
    obj: &serde_json::Map<String, Value>,
    key: &str,
    field: &'static str,
) -> Result<Option<String>, ParamError> {
    match get(obj, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ParamError::new(
            field,
            format!("must be a string, got {other}"),
        )),
    }
}

fn opt_bool(
    obj: &serde_json::Map<String, Value>,
    key: &str,
    field: &'static str,
) -> Result<Option<bool>, ParamError> {
    match get(obj, key) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(ParamError::new(
            field,
            format!("must be a boolean, got {other}"),
        )),
    }
}

fn opt_int(
    obj: &serde_json::Map<String, Value>,
    key: &str,
    field: &'static str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, ParamError> {
    match get(obj, key) {
        None => Ok(None),
        Some(v) => {
            let n = v.as_i64().ok_or_else(|| {
                ParamError::new(
                    field,
                    format!(
                        "must be an integer from {} to {}, got {v}",
                        range.start(),
                        range.end()
                    ),
                )
            })?;
            if range.contains(&n) {
                Ok(Some(n))
            } else {
                Err(ParamError::new(
                    field,
                    format!(
                        "must be an integer from {} to {}, got {n}",
                        range.start(),
                        range.end()
                    ),
                ))
            }
        }
    }
}

/// Validates a `wan2.6-t2v` body the way DashScope does; unknown fields are
/// accepted and ignored.
pub fn validate_submit(body: &Value) -> Result<SubmitRequest, ParamError> {
    let input = match body.get("input") {
        Some(Value::Object(o)) => o,
        None | Some(Value::Null) => return Err(ParamError::new("input", "is required")),
        Some(_) => return Err(ParamError::new("input", "must be an object")),
    };
    let prompt = opt_string(input, "prompt", "input.prompt")?
        .ok_or_else(|| ParamError::new("input.prompt", "is required"))?;
    if prompt.trim().is_empty() {
        return Err(ParamError::new("input.prompt", "must not be blank"));
    }
    let n = prompt.chars().count();
    if n > MAX_PROMPT_CHARS {
        return Err(ParamError::new(
            "input.prompt",
            format!("is {n} characters long, the limit is {MAX_PROMPT_CHARS}"),
        ));
    }
    let negative_prompt = opt_string(input, "negative_prompt", "input.negative_prompt")?;
    if let Some(np) = &negative_prompt {
        let n = np.chars().count();
        if n > MAX_NEGATIVE_PROMPT_CHARS {
            return Err(ParamError::new(
                "input.negative_prompt",
                format!("is {n} characters long, the limit is {MAX_NEGATIVE_PROMPT_CHARS}"),
            ));
        }
    }
    let audio_url = opt_string(input, "audio_url", "input.audio_url")?;
    if let Some(url) = &audio_url {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(ParamError::new(
                "input.audio_url",
                "must be a public http:// or https:// URL",
            ));
        }
    }

    let empty = serde_json::Map::new();
    let params = match body.get("parameters") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ParamError::new("parameters", "must be an object")),
    };
    let size = opt_string(params, "size", "parameters.size")?.unwrap_or_else(|| "1920*1080".into());
    if !SIZES.contains(&size.as_str()) {
        return Err(ParamError::new(
            "parameters.size",
            format!(
                "\"{size}\" is not supported, use one of {}",
                SIZES.join(", ")
            ),
        ));
    }
    let duration = opt_int(params, "duration", "parameters.duration", 2..=15)?.unwrap_or(5) as u32;
    let shot_type =
        opt_string(params, "shot_type", "parameters.shot_type")?.unwrap_or_else(|| "single".into());
    if shot_type != "single" && shot_type != "multi" {
        return Err(ParamError::new(
            "parameters.shot_type",
            format!("\"{shot_type}\" is not supported, use single or multi"),
        ));
    }
    let prompt_extend =
        opt_bool(params, "prompt_extend", "parameters.prompt_extend")?.unwrap_or(true);
    let watermark = opt_bool(params, "watermark", "parameters.watermark")?.unwrap_or(false);
    let seed = opt_int(params, "seed", "parameters.seed", 0..=MAX_SEED)?;
    Ok(SubmitRequest {
        prompt,
        negative_prompt,
        audio_url,
        size,
        duration,
        shot_type,
        prompt_extend,
        watermark,
        seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(params: Value) -> Value {
        json!({"model": T2V_MODEL, "input": {"prompt": "a cat"}, "parameters": params})
    }

    #[test]
    fn defaults() {
        let s = validate_submit(&json!({"input": {"prompt": "x"}})).unwrap();
        assert_eq!(s.size, "1920*1080");
        assert_eq!(s.duration, 5);
        assert_eq!(s.shot_type, "single");
        assert!(s.prompt_extend);
        assert!(!s.watermark);
        assert_eq!(s.seed, None);
    }

    #[test]
    fn fixture_body_is_valid() {
        let text = include_str!("../../fixtures/submit-request.json");
        let s = validate_submit(&serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(s.duration, 10);
        assert_eq!(s.seed, Some(666));
        assert_eq!(s.negative_prompt.as_deref(), Some(""));
    }

    #[test]
    fn violations_name_the_field() {
        let cases = [
            (body(json!({"size": "1280*721"})), "parameters.size"),
            (body(json!({"size": 1280})), "parameters.size"),
            (body(json!({"duration": 16})), "parameters.duration"),
            (body(json!({"duration": 1})), "parameters.duration"),
            (body(json!({"duration": 5.5})), "parameters.duration"),
            (body(json!({"duration": "5"})), "parameters.duration"),
            (body(json!({"shot_type": "triple"})), "parameters.shot_type"),
            (
                body(json!({"prompt_extend": "yes"})),
                "parameters.prompt_extend",
            ),
            (body(json!({"watermark": 1})), "parameters.watermark"),
            (body(json!({"seed": -1})), "parameters.seed"),
            (body(json!({"seed": 2_147_483_648_i64})), "parameters.seed"),
            (body(json!([])), "parameters"),
            (json!({"input": {"prompt": "  \n"}}), "input.prompt"),
            (json!({"input": {}}), "input.prompt"),
            (json!({"input": "text"}), "input"),
            (json!({}), "input"),
            (
                json!({"input": {"prompt": "x", "audio_url": "ftp://a/b.mp3"}}),
                "input.audio_url",
            ),
            (
                json!({"input": {"prompt": "x", "negative_prompt": 3}}),
                "input.negative_prompt",
            ),
        ];
        for (b, field) in cases {
            let err = validate_submit(&b).expect_err(&b.to_string());
            assert_eq!(err.field, field, "{b}");
            assert!(err.text().contains(field));
        }
    }

    #[test]
    fn lengths_count_scalar_values() {
        let ok = "猫".repeat(MAX_PROMPT_CHARS);
        assert!(validate_submit(&json!({"input": {"prompt": ok}})).is_ok());
        let long = "猫".repeat(MAX_PROMPT_CHARS + 1);
        let err = validate_submit(&json!({"input": {"prompt": long}})).unwrap_err();
        assert_eq!(err.field, "input.prompt");
        let np = "🐱".repeat(MAX_NEGATIVE_PROMPT_CHARS);
        assert!(validate_submit(&json!({"input": {"prompt": "x", "negative_prompt": np}})).is_ok());
        let np = "🐱".repeat(MAX_NEGATIVE_PROMPT_CHARS + 1);
        assert!(
            validate_submit(&json!({"input": {"prompt": "x", "negative_prompt": np}})).is_err()
        );
    }

    #[test]
    fn unknown_fields_and_nulls_are_ignored() {
        let b = json!({"input": {"prompt": "x", "foo": 1, "audio_url": null},
                       "parameters": {"bar": true, "seed": null, "size": "960*960"}});
        let s = validate_submit(&b).unwrap();
        assert_eq!(s.size, "960*960");
        assert_eq!(s.audio_url, None);
    }

    #[test]
    fn inner_json_sorts_and_escapes() {
        let s = inner_json(vec![
            ("task_status", json!("SUCCEEDED")),
            ("task_id", json!("t")),
            ("video_url", json!("http://h/v.mp4?a=1&b=<2>")),
        ]);
        assert_eq!(
            s,
            r#"{"task_id":"t","task_status":"SUCCEEDED","video_url":"http://h/v.mp4?a=1\u0026b=\u003c2\u003e"}"#
        );
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["video_url"], "http://h/v.mp4?a=1&b=<2>");
    }

    #[test]
    fn envelope_matches_fixture_shape() {
        let fixture: Value =
            serde_json::from_str(include_str!("../../fixtures/submit-response.json")).unwrap();
        let text = fixture["output"][0]["content"][0]["text"]
            .as_str()
            .unwrap()
            .to_string();
        let ours: Value = serde_json::from_slice(&envelope(
            fixture["request_id"].as_str().unwrap(),
            Some(text),
            Usage::SUBMIT,
        ))
        .unwrap();
        assert_eq!(ours, fixture);
    }

    #[test]
    fn error_body_shape() {
        let v: Value =
            serde_json::from_slice(&error_body("bad & worse", "rid", &json!("c"))).unwrap();
        assert_eq!(v["error"]["message"], "bad & worse (request id: rid)");
        assert_eq!(v["error"]["type"], "new_api_error");
        assert_eq!(v["error"]["code"], "c");
    }
}
