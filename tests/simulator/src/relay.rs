//! The DMXAPI / new-api wire format: the OpenAI-Responses style envelope whose
//! `output_text` carries the DashScope payload as a JSON *string*, the relay
//! error body, and validation of a submit body of every model in the model table
//! (`crates/wan-models`, the app's own table): fields, media and limits as the model's page states.

use serde::Serialize;
use serde_json::Value;
use wan_models::{
    tier_from_resolution, Carriage, DurationRule, Family, MediaKind, MediaProblem, Mode, ModeSpec,
    Ratio, ShotControl, Size, SizeControl, Tier, MODES,
};

/// Model name of the default submit call (the model table's first entry).
pub const T2V_MODEL: &str = MODES[0].submit_model;
/// Model name of the default task query call.
pub const GET_MODEL: &str = Family::Wan26.query_model();
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
            total_tokens: usage.input + usage.output,
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

/// One media input of a submit: its wire name (field or `media[].type`), kind and URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaInput {
    /// `img_url`, `reference_urls`, `first_frame`, …
    pub name: String,
    /// Image, video or audio.
    pub kind: MediaKind,
    /// The URL as sent (`http(s)://…` or `data:image/…`).
    pub url: String,
}

/// A validated submit body (the fields the simulator uses plus the rest, for completeness).
#[derive(Debug, Clone, PartialEq)]
pub struct SubmitRequest {
    /// The mode the request was made in (from its model string and media).
    pub mode: Mode,
    /// `input.prompt` (empty where optional and absent).
    pub prompt: String,
    /// `input.negative_prompt`.
    pub negative_prompt: Option<String>,
    /// The media, in order.
    pub media: Vec<MediaInput>,
    /// `parameters.size` (wan2.6 t2v/r2v; default `1920*1080`).
    pub size: Option<String>,
    /// `parameters.resolution` (default `1080P`) where the mode has it.
    pub resolution: Option<Tier>,
    /// `parameters.ratio` where the mode has it (its default when absent, if it has one).
    pub ratio: Option<Ratio>,
    /// `parameters.duration` (the mode's default when absent; 0 = keep the input's length).
    pub duration: u32,
    /// `parameters.shot_type` (default `single`) where the mode has it.
    pub shot_type: Option<String>,
    /// `parameters.prompt_extend` (default true) where the mode has it.
    pub prompt_extend: Option<bool>,
    /// `parameters.watermark` (the model's default when absent).
    pub watermark: bool,
    /// `parameters.audio_setting` (default `auto`) where the mode has it.
    pub audio_setting: Option<String>,
    /// `parameters.seed`.
    pub seed: Option<i64>,
    /// What the relay bills (`usage.total_tokens`): the table's list price for this output.
    pub units: u64,
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

/// One of two words; the first when absent.
fn opt_choice(
    obj: &serde_json::Map<String, Value>,
    key: &str,
    field: &'static str,
    [default, other]: [&str; 2],
) -> Result<String, ParamError> {
    let value = opt_string(obj, key, field)?.unwrap_or_else(|| default.into());
    if value == default || value == other {
        Ok(value)
    } else {
        Err(ParamError::new(
            field,
            format!("\"{value}\" is not supported, use {default} or {other}"),
        ))
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

/// Checks one media URL: a public http(s) URL, or a `data:image/…;base64,` URL where the page
/// allows one.
fn check_url(
    url: &str,
    kind: MediaKind,
    data_ok: bool,
    field: &'static str,
) -> Result<(), ParamError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Ok(());
    }
    if lower.starts_with("data:") {
        if kind != MediaKind::Image {
            return Err(ParamError::new(
                field,
                "a video or audio input must be a public http:// or https:// URL (no Base64 data URL)",
            ));
        }
        if !data_ok {
            return Err(ParamError::new(
                field,
                "this input takes a public http:// or https:// URL only (no Base64 data URL)",
            ));
        }
        if !(lower.starts_with("data:image/") && lower.contains(";base64,")) {
            return Err(ParamError::new(
                field,
                "must be data:{MIME_type};base64,{base64_data}",
            ));
        }
        return Ok(());
    }
    Err(ParamError::new(
        field,
        "must be a public http:// or https:// URL",
    ))
}

/// The media a submit's `input` carries, for the modes of one model string.
fn read_media(
    specs: &[&'static ModeSpec],
    input: &serde_json::Map<String, Value>,
) -> Result<Vec<MediaInput>, ParamError> {
    let slot_of = |name: &str, kind: Option<MediaKind>| {
        specs
            .iter()
            .flat_map(|s| s.slots.iter())
            .find(|slot| slot.wire_name() == name && kind.is_none_or(|k| slot.kind == k))
    };
    let mut media = Vec::new();
    for (key, value) in input {
        if value.is_null() || matches!(key.as_str(), "prompt" | "negative_prompt") {
            continue;
        }
        if key == "media" {
            let items = value
                .as_array()
                .ok_or_else(|| ParamError::new("input.media", "must be an array"))?;
            for item in items {
                let name = item.get("type").and_then(Value::as_str).ok_or_else(|| {
                    ParamError::new("input.media", "each item needs a string type")
                })?;
                let url = item.get("url").and_then(Value::as_str).ok_or_else(|| {
                    ParamError::new("input.media", "each item needs a string url")
                })?;
                let slot = slot_of(name, None)
                    .filter(|s| matches!(s.carriage, Carriage::MediaItem(_)))
                    .ok_or_else(|| {
                        ParamError::new(
                            "input.media",
                            format!("type \"{name}\" is not supported by this model"),
                        )
                    })?;
                check_url(url, slot.kind, slot.data_url, "input.media.url")?;
                if let Some(voice) = item.get("reference_voice").filter(|v| !v.is_null()) {
                    let voice = voice.as_str().ok_or_else(|| {
                        ParamError::new("input.media.reference_voice", "must be a string")
                    })?;
                    if slot.voice.is_none() {
                        return Err(ParamError::new(
                            "input.media.reference_voice",
                            format!("is not accepted on a {name} item"),
                        ));
                    }
                    check_url(
                        voice,
                        MediaKind::Audio,
                        false,
                        "input.media.reference_voice",
                    )?;
                }
                media.push(MediaInput {
                    name: name.to_owned(),
                    kind: slot.kind,
                    url: url.to_owned(),
                });
            }
            continue;
        }
        // A named field (wan2.6); anything else is ignored, as DashScope does.
        let Some(slot) = slot_of(key, None) else {
            continue;
        };
        match slot.carriage {
            Carriage::Field(name) => {
                let url = value
                    .as_str()
                    .ok_or_else(|| ParamError::new(field_name(name), "must be a string"))?;
                check_url(url, slot.kind, slot.data_url, field_name(name))?;
                media.push(MediaInput {
                    name: name.to_owned(),
                    kind: slot.kind,
                    url: url.to_owned(),
                });
            }
            Carriage::ListItem(name) => {
                let field = "input.reference_urls";
                let urls = value
                    .as_array()
                    .ok_or_else(|| ParamError::new(field, "must be an array of URLs"))?;
                for url in urls {
                    let url = url
                        .as_str()
                        .ok_or_else(|| ParamError::new(field, "must be an array of URLs"))?;
                    let kind = MediaKind::of_listed_url(url);
                    let data_ok = slot_of(name, Some(kind)).is_some_and(|s| s.data_url);
                    check_url(url, kind, data_ok, field)?;
                    media.push(MediaInput {
                        name: name.to_owned(),
                        kind,
                        url: url.to_owned(),
                    });
                }
            }
            Carriage::MediaItem(name) => {
                return Err(ParamError::new(
                    "input.media",
                    format!("{name} goes in input.media, not in input.{name}"),
                ))
            }
        }
    }
    Ok(media)
}

/// The dotted path of a named `input` field, for messages.
fn field_name(name: &'static str) -> &'static str {
    match name {
        "img_url" => "input.img_url",
        "audio_url" => "input.audio_url",
        _ => "input",
    }
}

/// Why a set of media fits none of a model's modes, in the relay's words.
fn media_error(model: &str, specs: &[&'static ModeSpec], media: &[MediaInput]) -> ParamError {
    let items: Vec<(&str, MediaKind)> = media.iter().map(|m| (m.name.as_str(), m.kind)).collect();
    let problems: Vec<MediaProblem> = specs
        .iter()
        .filter_map(|s| s.check_media(&items).err())
        .collect();
    let only = (specs.len() == 1).then(|| problems.first()).flatten();
    let message = match only.or_else(|| {
        problems.iter().find(|p| {
            matches!(
                p,
                MediaProblem::TooMany(..) | MediaProblem::TooManyReferences(_)
            )
        })
    }) {
        Some(MediaProblem::TooMany(name, max)) => format!("at most {max} {name} item(s)"),
        Some(MediaProblem::TooManyReferences(max)) => format!("at most {max} references in all"),
        Some(MediaProblem::NoReference) => "at least one reference is required".to_owned(),
        Some(MediaProblem::Missing(name)) => format!("{name} is required"),
        Some(MediaProblem::NotTaken(name)) => format!("{name} is not accepted by {model}"),
        None => {
            let types: Vec<&str> = media.iter().map(|m| m.name.as_str()).collect();
            format!(
                "this combination of media is not accepted by {model}: [{}]",
                types.join(", ")
            )
        }
    };
    let field = match specs[0].slots.first().map(|slot| slot.carriage) {
        Some(Carriage::ListItem(_)) => "input.reference_urls",
        Some(Carriage::Field(_)) => match only {
            Some(MediaProblem::Missing(name) | MediaProblem::TooMany(name, _)) => field_name(name),
            _ => "input",
        },
        _ => "input.media",
    };
    ParamError::new(field, message)
}

/// Validates a submit body the way the model's page describes it (the model table's entry for its
/// model string and media); unknown fields are accepted and ignored, but a parameter the mode does
/// not have (`size` on wan2.7, `ratio` on wan2.6, …) is refused, so that a client sending another
/// model's fields is caught. A body without `model` is read as `wan2.6-t2v`.
pub fn validate_submit(body: &Value) -> Result<SubmitRequest, ParamError> {
    let model = body
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or(T2V_MODEL);
    let specs: Vec<&'static ModeSpec> = MODES.iter().filter(|s| s.submit_model == model).collect();
    let Some(first) = specs.first() else {
        return Err(ParamError::new(
            "model",
            format!("{model} is not a video model"),
        ));
    };
    let input = match (body.get("input"), first.input) {
        (None | Some(Value::Null), _) => return Err(ParamError::new("input", "is required")),
        (Some(Value::Object(o)), wan_models::InputShape::Object) => o,
        (Some(Value::Array(a)), wan_models::InputShape::ArrayOfOne) => match a.as_slice() {
            [Value::Object(o)] => o,
            _ => {
                return Err(ParamError::new(
                    "input",
                    "must be an array holding one object",
                ))
            }
        },
        (Some(_), wan_models::InputShape::Object) => {
            return Err(ParamError::new("input", "must be an object"))
        }
        (Some(_), wan_models::InputShape::ArrayOfOne) => {
            return Err(ParamError::new(
                "input",
                "must be an array holding one object",
            ))
        }
    };
    let media = read_media(&specs, input)?;
    let items: Vec<(&str, MediaKind)> = media.iter().map(|m| (m.name.as_str(), m.kind)).collect();
    let mode = Mode::detect(model, &items).ok_or_else(|| media_error(model, &specs, &media))?;
    let spec = mode.spec();

    let prompt = opt_string(input, "prompt", "input.prompt")?;
    let prompt = match prompt {
        Some(p) if p.trim().is_empty() && spec.prompt.required => {
            return Err(ParamError::new("input.prompt", "must not be blank"))
        }
        Some(p) => p,
        None if spec.prompt.required => return Err(ParamError::new("input.prompt", "is required")),
        None => String::new(),
    };
    let n = spec.prompt.length(&prompt);
    if n > usize::from(spec.prompt.max) {
        return Err(ParamError::new(
            "input.prompt",
            format!(
                "is {n} characters long as {model} counts them, the limit is {}",
                spec.prompt.max
            ),
        ));
    }
    let negative_prompt = opt_string(input, "negative_prompt", "input.negative_prompt")?;
    if let (Some(np), Some(max)) = (&negative_prompt, spec.negative_prompt) {
        let n = np.chars().count();
        if n > usize::from(max) {
            return Err(ParamError::new(
                "input.negative_prompt",
                format!("is {n} characters long, the limit is {max}"),
            ));
        }
    }

    let empty = serde_json::Map::new();
    let params = match body.get("parameters") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ParamError::new("parameters", "must be an object")),
    };
    let known = spec.parameters();
    for (name, field) in [
        ("size", "parameters.size"),
        ("resolution", "parameters.resolution"),
        ("ratio", "parameters.ratio"),
        ("duration", "parameters.duration"),
        ("shot_type", "parameters.shot_type"),
        ("prompt_extend", "parameters.prompt_extend"),
        ("audio_setting", "parameters.audio_setting"),
    ] {
        if get(params, name).is_some() && !known.contains(&name) {
            return Err(ParamError::new(
                field,
                format!("is not a parameter of {model}"),
            ));
        }
    }

    let tier;
    let mut size = None;
    let mut resolution = None;
    let mut ratio = None;
    match spec.size {
        SizeControl::Sizes(sizes) => {
            let s = opt_string(params, "size", "parameters.size")?
                .unwrap_or_else(|| "1920*1080".into());
            let parsed = Size::from_wire(&s)
                .filter(|z| sizes.contains(z))
                .ok_or_else(|| {
                    let all: Vec<String> = sizes.iter().map(|z| z.wire()).collect();
                    ParamError::new(
                        "parameters.size",
                        format!("\"{s}\" is not supported, use one of {}", all.join(", ")),
                    )
                })?;
            tier = parsed.tier();
            size = Some(s);
        }
        SizeControl::Resolution | SizeControl::ResolutionRatio { .. } => {
            let r = opt_string(params, "resolution", "parameters.resolution")?
                .unwrap_or_else(|| "1080P".into());
            tier = tier_from_resolution(&r).ok_or_else(|| {
                ParamError::new(
                    "parameters.resolution",
                    format!("\"{r}\" is not supported, use 720P or 1080P"),
                )
            })?;
            resolution = Some(tier);
            if let SizeControl::ResolutionRatio { ratios, default } = spec.size {
                ratio = match opt_string(params, "ratio", "parameters.ratio")? {
                    Some(r) => Some(
                        Ratio::from_wire(&r)
                            .filter(|x| ratios.contains(x))
                            .ok_or_else(|| {
                                let all: Vec<&str> = ratios.iter().map(|x| x.wire()).collect();
                                ParamError::new(
                                    "parameters.ratio",
                                    format!(
                                        "\"{r}\" is not supported, use one of {}",
                                        all.join(", ")
                                    ),
                                )
                            })?,
                    ),
                    None => default,
                };
            }
        }
    }

    let has_video = media
        .iter()
        .any(|m| m.kind == MediaKind::Video && m.name.starts_with("reference"));
    let duration = match spec.duration {
        DurationRule::Range { default, .. } => {
            let (min, max) = spec.duration_range(has_video).unwrap_or((default, default));
            opt_int(
                params,
                "duration",
                "parameters.duration",
                i64::from(min)..=i64::from(max),
            )?
            .unwrap_or(i64::from(default))
        }
        DurationRule::KeepOrCut { min, max } => {
            let d = opt_int(
                params,
                "duration",
                "parameters.duration",
                0..=i64::from(max),
            )?
            .unwrap_or(0);
            if d != 0 && d < i64::from(min) {
                return Err(ParamError::new(
                    "parameters.duration",
                    format!("must be 0 (keep the input's length) or from {min} to {max}, got {d}"),
                ));
            }
            d
        }
        DurationRule::None => 0,
    } as u32;

    let shot_type = match spec.shot {
        ShotControl::ShotType { .. } => Some(opt_choice(
            params,
            "shot_type",
            "parameters.shot_type",
            ["single", "multi"],
        )?),
        _ => None,
    };
    let prompt_extend = if spec.prompt_extend {
        Some(opt_bool(params, "prompt_extend", "parameters.prompt_extend")?.unwrap_or(true))
    } else {
        None
    };
    let watermark =
        opt_bool(params, "watermark", "parameters.watermark")?.unwrap_or(spec.watermark_default);
    let audio_setting = if spec.audio_setting {
        Some(opt_choice(
            params,
            "audio_setting",
            "parameters.audio_setting",
            ["auto", "origin"],
        )?)
    } else {
        None
    };
    let seed = opt_int(params, "seed", "parameters.seed", 0..=MAX_SEED)?;

    // The simulator's billing: the table's list price; a kept length (0) is billed as 5 s, and a
    // tier with no list price at the 720P figure (the pages show no other).
    let seconds = u8::try_from(if duration == 0 { 5 } else { duration }).unwrap_or(u8::MAX);
    let units = spec
        .price
        .units(tier, seconds)
        .or_else(|| spec.price.units(Tier::P720, seconds))
        .map_or(0, u64::from);
    Ok(SubmitRequest {
        mode,
        prompt,
        negative_prompt,
        media,
        size,
        resolution,
        ratio,
        duration,
        shot_type,
        prompt_extend,
        watermark,
        audio_setting,
        seed,
        units,
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
        assert_eq!(s.mode, Mode::Wan26T2v);
        assert_eq!(s.size.as_deref(), Some("1920*1080"));
        assert_eq!(s.duration, 5);
        assert_eq!(s.shot_type.as_deref(), Some("single"));
        assert_eq!(s.prompt_extend, Some(true));
        assert!(!s.watermark);
        assert_eq!(s.seed, None);
        assert_eq!(s.units, 50_000, "5 s at 1080P");
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
        let ok = "猫".repeat(1500);
        assert!(validate_submit(&json!({"input": {"prompt": ok}})).is_ok());
        let long = "猫".repeat(1501);
        let err = validate_submit(&json!({"input": {"prompt": long}})).unwrap_err();
        assert_eq!(err.field, "input.prompt");
        let np = "🐱".repeat(500);
        assert!(validate_submit(&json!({"input": {"prompt": "x", "negative_prompt": np}})).is_ok());
        let np = "🐱".repeat(501);
        assert!(
            validate_submit(&json!({"input": {"prompt": "x", "negative_prompt": np}})).is_err()
        );
    }

    #[test]
    fn unknown_fields_and_nulls_are_ignored() {
        let b = json!({"input": {"prompt": "x", "foo": 1, "audio_url": null},
                       "parameters": {"bar": true, "seed": null, "size": "960*960"}});
        let s = validate_submit(&b).unwrap();
        assert_eq!(s.size.as_deref(), Some("960*960"));
        assert!(s.media.is_empty());
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
