//! Wire types, field for field as DMXAPI sends and receives them (PROTOCOL.md §2–4), and the
//! decoding of a reply: HTTP status → relay error, envelope → inner JSON string → task.

use serde::{Deserialize, Serialize};

use super::error::{request_id_in, ApiError};
use crate::domain::form::ShotType;
use crate::domain::models::{Carriage, Family, InputShape, Ratio};
use crate::domain::redact::{excerpt, Redactor};
use crate::domain::request::{AudioSetting, ModelRequest, Output};
use crate::domain::task::{TaskSnapshot, TaskStatus};

/// The submit body of any mode: `{model, input, parameters}`, with `input` an object or (HappyHorse
/// 1.0) an array holding one object, media as named fields (wan2.6) or `input.media` items, and
/// only the parameters the mode's page lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelSubmit {
    /// The mode's submit model string.
    pub model: &'static str,
    /// Prompt and media.
    pub input: ModelInput,
    /// Generation parameters.
    pub parameters: ModelParameters,
}

/// `input` in the mode's shape.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ModelInput {
    /// `"input": {…}`.
    Object(InputFields),
    /// `"input": [{…}]` (HappyHorse 1.0).
    ArrayOfOne([InputFields; 1]),
}

/// The fields of `input`; each omitted when absent.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct InputFields {
    /// Prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Negative prompt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    /// wan2.6-i2v's first frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub img_url: Option<String>,
    /// wan2.6 and wan2.7-t2v's audio track.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_url: Option<String>,
    /// wan2.6-r2v's references.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_urls: Option<Vec<String>>,
    /// wan2.7 and HappyHorse media items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<Vec<MediaItem>>,
}

/// An item of `input.media`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MediaItem {
    /// `first_frame`, `reference_image`, …
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The URL.
    pub url: String,
    /// wan2.7-r2v's voice for this reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_voice: Option<String>,
}

/// `parameters`; each omitted when the mode has no such field.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ModelParameters {
    /// `W*H` (wan2.6 t2v/r2v).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// `720P` / `1080P`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<&'static str>,
    /// `16:9`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<&'static str>,
    /// Seconds (0: keep the input's length).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<u8>,
    /// `single` / `multi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shot_type: Option<&'static str>,
    /// Prompt extend.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompt_extend: Option<bool>,
    /// `auto` / `origin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audio_setting: Option<&'static str>,
    /// Watermark, always sent (its default differs by family).
    pub watermark: bool,
    /// Seed; omitted for random.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u32>,
}

impl From<&ModelRequest> for ModelSubmit {
    fn from(r: &ModelRequest) -> Self {
        let spec = r.mode.spec();
        let mut input = InputFields {
            prompt: (!r.prompt.is_empty() || spec.prompt.required).then(|| r.prompt.clone()),
            negative_prompt: r.negative_prompt.clone(),
            ..InputFields::default()
        };
        for m in &r.media {
            match spec.slot(m.slot).map(|s| s.carriage) {
                Some(Carriage::Field("img_url")) => input.img_url = Some(m.url.clone()),
                Some(Carriage::Field("audio_url")) => input.audio_url = Some(m.url.clone()),
                Some(Carriage::ListItem(_)) => input
                    .reference_urls
                    .get_or_insert_with(Vec::new)
                    .push(m.url.clone()),
                Some(Carriage::MediaItem(kind)) => {
                    input.media.get_or_insert_with(Vec::new).push(MediaItem {
                        kind,
                        url: m.url.clone(),
                        reference_voice: m.voice.clone(),
                    })
                }
                // Validation never lets a slot the mode lacks through (and the table names no
                // other field): nothing is sent for it.
                Some(Carriage::Field(_)) | None => {}
            }
        }
        let (size, resolution, ratio) = match r.output {
            Output::Size(size) => (Some(size.wire()), None, None),
            Output::Resolution { tier, ratio } => {
                (None, Some(tier.label()), ratio.map(Ratio::wire))
            }
        };
        ModelSubmit {
            model: spec.submit_model,
            input: match spec.input {
                InputShape::Object => ModelInput::Object(input),
                InputShape::ArrayOfOne => ModelInput::ArrayOfOne([input]),
            },
            parameters: ModelParameters {
                size,
                resolution,
                ratio,
                duration: r.duration,
                shot_type: r.shot_type.map(ShotType::wire),
                prompt_extend: r.prompt_extend,
                audio_setting: r.audio_setting.map(AudioSetting::wire),
                watermark: r.watermark,
                seed: r.seed,
            },
        }
    }
}

/// Query body: `{"model":"<family>-get","input":"<task id>"}` (`wan2.6-get`, `wan2.7-get`,
/// `happyhorse-get`; `input` is the bare id in every family).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QueryRequest {
    /// The family's query model.
    pub model: String,
    /// The task id.
    pub input: String,
}

impl QueryRequest {
    /// A query for one task of a family.
    pub fn new(task_id: &str, family: Family) -> Self {
        Self {
            model: family.query_model().into(),
            input: task_id.into(),
        }
    }
}

/// The OpenAI-Responses-shaped envelope of both calls.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Envelope {
    /// The relay's request id.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Output items; the first `output_text` carries the inner JSON string.
    #[serde(default)]
    pub output: Vec<OutputItem>,
    /// Some relays put an error object in a 200 reply.
    #[serde(default)]
    pub error: Option<RelayError>,
    /// `usage.total_tokens`: what the relay billed (on a submit's reply), if it says.
    #[serde(default, rename = "usage", deserialize_with = "billed_tokens")]
    pub billed: Option<u64>,
}

/// The most a reply is believed to bill: 10^12 units (10^8 CNY at 10 000 per CNY).
const BILLED_MAX: u64 = 1_000_000_000_000;

/// `usage.total_tokens` as a relay writes it: an integer, or a float (in the page the browser's
/// JSON reader hands numbers over as doubles). Anything else there (text, a negative or absurd
/// number, `usage` not an object) reads as "not said" and never fails the reply it is in: a
/// submit's reply must be read whatever its bill says.
fn billed_tokens<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
    /// Reads a count, or (`usage`) an object holding `total_tokens`.
    struct Lenient {
        usage: bool,
    }
    impl<'de> Visitor<'de> for Lenient {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a usage object")
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok((!self.usage && v <= BILLED_MAX).then_some(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            let v = u64::try_from(v).ok();
            Ok(v.filter(|&v| !self.usage && v <= BILLED_MAX))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            let whole = v.is_finite() && v >= 0.0 && v <= BILLED_MAX as f64;
            Ok((!self.usage && whole).then_some(v as u64))
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
            while s.next_element::<IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut found = None;
            while let Some(key) = m.next_key::<String>()? {
                if self.usage && key == "total_tokens" {
                    found = m.next_value_seed(Seed)?;
                } else {
                    m.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
    struct Seed;
    impl<'de> serde::de::DeserializeSeed<'de> for Seed {
        type Value = Option<u64>;
        fn deserialize<D2: serde::Deserializer<'de>>(
            self,
            d: D2,
        ) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(Lenient { usage: false })
        }
    }
    d.deserialize_any(Lenient { usage: true })
}

/// One `output` item.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OutputItem {
    /// Usually `message`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Content parts.
    #[serde(default)]
    pub content: Vec<ContentItem>,
}

/// One content part.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ContentItem {
    /// Usually `output_text`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The inner JSON string.
    #[serde(default)]
    pub text: Option<String>,
}

/// The object inside `text`: a task, or an upstream error.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TaskInner {
    /// Task id.
    #[serde(default)]
    pub task_id: Option<String>,
    /// Status string.
    #[serde(default)]
    pub task_status: Option<String>,
    /// China time text.
    #[serde(default)]
    pub submit_time: Option<String>,
    /// China time text.
    #[serde(default)]
    pub scheduled_time: Option<String>,
    /// China time text.
    #[serde(default)]
    pub end_time: Option<String>,
    /// The prompt as submitted.
    #[serde(default)]
    pub orig_prompt: Option<String>,
    /// Signed MP4 URL.
    #[serde(default)]
    pub video_url: Option<String>,
    /// Error code.
    #[serde(default)]
    pub code: Option<String>,
    /// Error message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Relay error body `{"error":{"message","type","code"}}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RelayErrorBody {
    /// The error.
    pub error: RelayError,
}

/// The relay's error object.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct RelayError {
    /// Human text, often ending in `(request id: …)`.
    #[serde(default)]
    pub message: Option<String>,
    /// e.g. `new_api_error`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// A string, number or null.
    #[serde(default)]
    pub code: RelayCode,
}

/// A relay's error code as text: a string, or an integer written as one (anything else: none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelayCode(pub Option<String>);

impl<'de> Deserialize<'de> for RelayCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = crate::json::Raw::deserialize(d)?;
        Ok(RelayCode(
            raw.decode::<String>()
                .ok()
                .or_else(|| raw.decode::<i64>().ok().map(|n| n.to_string()))
                .filter(|c| !c.is_empty()),
        ))
    }
}

impl RelayError {
    fn code_text(&self) -> Option<String> {
        self.code.0.clone()
    }
}

/// A decoded successful reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The task id the reply names.
    pub task_id: String,
    /// What the reply says about the task.
    pub snapshot: TaskSnapshot,
    /// The relay's request id.
    pub request_id: Option<String>,
    /// What the relay says it billed (`usage.total_tokens`), when it says a positive figure.
    pub billed_tokens: Option<u64>,
}

impl From<TaskInner> for TaskSnapshot {
    fn from(t: TaskInner) -> Self {
        TaskSnapshot {
            status: TaskStatus::parse(t.task_status.as_deref().unwrap_or("")),
            submit_time: t.submit_time,
            scheduled_time: t.scheduled_time,
            end_time: t.end_time,
            video_url: t.video_url,
            code: t.code,
            message: t.message,
            orig_prompt: t.orig_prompt,
        }
    }
}

/// Longest piece of an undecodable body kept for the user to see.
const SNIPPET: usize = 300;

impl TaskInner {
    /// Every text of the reply, redacted (a relay may echo the key in any of them, escaped so
    /// that a pass over the raw body misses it).
    fn redact(&mut self, r: &Redactor) {
        for field in [
            &mut self.task_id,
            &mut self.task_status,
            &mut self.submit_time,
            &mut self.scheduled_time,
            &mut self.end_time,
            &mut self.orig_prompt,
            &mut self.video_url,
            &mut self.code,
            &mut self.message,
        ] {
            r.clean_opt(field);
        }
    }
}

impl RelayError {
    fn redact(&mut self, r: &Redactor) {
        r.clean_opt(&mut self.message);
        r.clean_opt(&mut self.kind);
        r.clean_opt(&mut self.code.0);
    }
}

/// Decodes a reply from its HTTP status, body and `Retry-After` header. Every text taken from
/// the reply passes through `redactor` before it is cut or kept: the raw body first, then each
/// decoded field (JSON escapes could hide the key from the first pass).
pub fn decode_reply(
    status: u16,
    body: &str,
    retry_after: Option<&str>,
    redactor: &Redactor,
) -> Result<Decoded, ApiError> {
    let body = &redactor.clean(body);
    let snippet = |text: &str| excerpt(redactor, text, SNIPPET);
    let retry_after_s = retry_after.and_then(|v| v.trim().parse::<u64>().ok());
    let request_id_of = |message: &Option<String>| message.as_deref().and_then(request_id_in);
    if !(200..300).contains(&status) {
        return Err(match crate::json::from_str::<RelayErrorBody>(body) {
            Ok(RelayErrorBody { mut error }) => {
                error.redact(redactor);
                ApiError::Http {
                    status,
                    request_id: request_id_of(&error.message),
                    code: error.code_text(),
                    message: error.message,
                    retry_after_s,
                }
            }
            Err(_) => ApiError::Http {
                status,
                message: (!body.trim().is_empty() && !body.trim_start().starts_with('<'))
                    .then(|| snippet(body.trim())),
                code: None,
                request_id: None,
                retry_after_s,
            },
        });
    }
    let mut envelope: Envelope =
        crate::json::from_str(body).map_err(|e| ApiError::BadEnvelope {
            detail: format!("{e}; body starts: {}", snippet(body.trim())),
            request_id: None,
        })?;
    redactor.clean_opt(&mut envelope.request_id);
    if let Some(mut error) = envelope.error {
        error.redact(redactor);
        return Err(ApiError::Http {
            status,
            request_id: envelope
                .request_id
                .clone()
                .or_else(|| request_id_of(&error.message)),
            code: error.code_text(),
            message: error.message,
            retry_after_s,
        });
    }
    let request_id = envelope.request_id;
    let billed_tokens = envelope.billed.filter(|&t| t > 0);
    let contents = || envelope.output.iter().flat_map(|o| o.content.iter());
    let text = contents()
        .find(|c| c.kind.as_deref() == Some("output_text") && c.text.is_some())
        .or_else(|| contents().find(|c| c.text.is_some()))
        .and_then(|c| c.text.as_deref())
        .map(|t| redactor.clean(t))
        .ok_or_else(|| ApiError::BadEnvelope {
            detail: "the reply has no output text".into(),
            request_id: request_id.clone(),
        })?;
    let mut inner: TaskInner = crate::json::from_str(&text).map_err(|_| ApiError::BadInner {
        text: snippet(&text),
        request_id: request_id.clone(),
    })?;
    inner.redact(redactor);
    match (inner.task_id.clone(), inner.task_status.is_some()) {
        (Some(task_id), true) if !task_id.is_empty() => Ok(Decoded {
            task_id,
            snapshot: inner.into(),
            request_id,
            billed_tokens,
        }),
        _ => Err(ApiError::Upstream {
            code: inner.code,
            message: inner.message.or_else(|| Some(snippet(&text))),
            request_id,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{FormState, Size};
    use crate::domain::models::MODES;
    use crate::domain::request::MediaRef;

    fn decode_reply_plain(
        status: u16,
        body: &str,
        retry_after: Option<&str>,
    ) -> Result<Decoded, ApiError> {
        decode_reply(status, body, retry_after, &Redactor::new(KEY))
    }

    const KEY: &str = "sk-e2eTestKey0123456789abcdefghijklmnopqrstuvwxyzAB";

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/{name}", crate::domain::testing::root());
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A page's own request as a [`ModelRequest`], read with the model table (the reverse of
    /// what the wire layer does, for the round trip below).
    fn model_request_of(page: &serde_json::Value) -> ModelRequest {
        use crate::domain::models::{tier_from_resolution, MediaKind, Mode};
        let model = page["model"].as_str().unwrap();
        let input = match &page["input"] {
            serde_json::Value::Array(a) => a[0].clone(),
            other => other.clone(),
        };
        let params = &page["parameters"];
        let spec_of = |name: &str| {
            MODES
                .iter()
                .filter(|s| s.submit_model == model)
                .find_map(|s| s.slot(name))
                .unwrap_or_else(|| panic!("{model}: {name}"))
        };
        let mut media = Vec::new();
        for (key, value) in input.as_object().unwrap() {
            match key.as_str() {
                "prompt" | "negative_prompt" => {}
                "media" => {
                    for item in value.as_array().unwrap() {
                        let slot = spec_of(item["type"].as_str().unwrap());
                        media.push(MediaRef {
                            slot: slot.wire_name(),
                            kind: slot.kind,
                            url: item["url"].as_str().unwrap().into(),
                            voice: item["reference_voice"].as_str().map(Into::into),
                        });
                    }
                }
                "reference_urls" => {
                    for url in value.as_array().unwrap() {
                        let url = url.as_str().unwrap();
                        media.push(MediaRef {
                            slot: "reference_urls",
                            kind: MediaKind::of_listed_url(url),
                            url: url.into(),
                            voice: None,
                        });
                    }
                }
                name => {
                    let slot = spec_of(name);
                    media.push(MediaRef {
                        slot: slot.wire_name(),
                        kind: slot.kind,
                        url: value.as_str().unwrap().into(),
                        voice: None,
                    });
                }
            }
        }
        let items: Vec<_> = media.iter().map(|m| (m.slot, m.kind)).collect();
        let mode = Mode::detect(model, &items).expect("a mode");
        let text = |k: &str| params[k].as_str();
        let output = match text("size") {
            Some(size) => Output::Size(Size::from_wire(size).unwrap()),
            None => Output::Resolution {
                tier: tier_from_resolution(text("resolution").unwrap()).unwrap(),
                ratio: text("ratio").and_then(Ratio::from_wire),
            },
        };
        ModelRequest {
            mode,
            prompt: input["prompt"].as_str().unwrap_or("").into(),
            negative_prompt: input["negative_prompt"].as_str().map(Into::into),
            media,
            output,
            duration: params["duration"].as_u64().map(|d| d as u8),
            shot_type: text("shot_type").and_then(ShotType::from_wire),
            prompt_extend: params["prompt_extend"].as_bool(),
            watermark: params["watermark"].as_bool().unwrap(),
            audio_setting: text("audio_setting").map(|a| {
                if a == "origin" {
                    AudioSetting::Origin
                } else {
                    AudioSetting::Auto
                }
            }),
            seed: params["seed"].as_u64().map(|s| s as u32),
        }
    }

    /// Every model page's request, read into a [`ModelRequest`] and written back by the wire
    /// layer, is the page's request again: `input` as object or one-element array, named fields
    /// or media items (with voices), and exactly the page's parameters.
    #[test]
    fn every_model_page_request_round_trips_through_the_wire_layer() {
        let root = format!("{}/tests/fixtures/models", crate::domain::testing::root());
        let mut pages = 0;
        for entry in std::fs::read_dir(&root).unwrap() {
            let dir = entry.unwrap().path();
            if !dir.is_dir() {
                continue;
            }
            let text = std::fs::read_to_string(dir.join("submit-request.json")).unwrap();
            let page: serde_json::Value = serde_json::from_str(&text).unwrap();
            let request = model_request_of(&page);
            let written = serde_json::to_value(ModelSubmit::from(&request)).unwrap();
            assert_eq!(written, page, "{}", dir.display());
            pages += 1;
        }
        assert_eq!(pages, 18);
    }

    #[test]
    fn an_optional_prompt_left_empty_is_not_sent() {
        let request = ModelRequest {
            mode: crate::domain::models::Mode::Hh11I2v,
            prompt: String::new(),
            negative_prompt: None,
            media: vec![MediaRef {
                slot: "first_frame",
                kind: crate::domain::models::MediaKind::Image,
                url: "data:image/png;base64,AAAA".into(),
                voice: None,
            }],
            output: Output::Resolution {
                tier: crate::domain::form::Tier::P720,
                ratio: None,
            },
            duration: Some(5),
            shot_type: None,
            prompt_extend: None,
            watermark: true,
            audio_setting: None,
            seed: None,
        };
        let written = serde_json::to_value(ModelSubmit::from(&request)).unwrap();
        assert_eq!(
            written,
            serde_json::json!({
                "model": "happyhorse-1.1-i2v",
                "input": {"media": [{"type": "first_frame", "url": "data:image/png;base64,AAAA"}]},
                "parameters": {"resolution": "720P", "duration": 5, "watermark": true}
            })
        );
    }

    #[test]
    fn a_relay_code_is_text_or_an_integer_and_nothing_else() {
        for (code, want) in [
            ("503", Some("503")),
            ("\"quota\"", Some("quota")),
            ("null", None),
            ("\"\"", None),
            ("{\"a\":1}", None),
            ("[1]", None),
            ("1.5", None),
            ("true", None),
        ] {
            let body =
                format!(r#"{{"error":{{"message":"busy (request id: r-2)","code":{code}}}}}"#);
            match decode_reply_plain(503, &body, None) {
                Err(ApiError::Http {
                    code: got,
                    request_id,
                    ..
                }) => {
                    assert_eq!(got.as_deref(), want, "{code}");
                    assert_eq!(request_id.as_deref(), Some("r-2"));
                }
                other => panic!("{other:?}"),
            }
        }
    }

    /// Every model page's submit reply bills its `usage.total_tokens`; a reply whose bill is
    /// unreadable is still read, with no bill.
    #[test]
    fn billed_tokens_are_read_from_every_page_and_never_fail_a_reply() {
        let root = format!("{}/tests/fixtures/models", crate::domain::testing::root());
        let index: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{root}/index.json")).unwrap())
                .unwrap();
        for page in index.as_array().unwrap() {
            let dir = page["dir"].as_str().unwrap();
            let body =
                std::fs::read_to_string(format!("{root}/{dir}/submit-response.json")).unwrap();
            let d = decode_reply_plain(200, &body, None).unwrap();
            assert_eq!(d.billed_tokens, page["total_tokens"].as_u64(), "{dir}");
        }
        let inner = r#"{\"task_id\":\"t\",\"task_status\":\"PENDING\"}"#;
        for (usage, want) in [
            (r#"{"total_tokens":45000}"#, Some(45000)),
            (r#"{"total_tokens":45000.0}"#, Some(45000)),
            (
                r#"{"input_tokens":1,"total_tokens":7,"x":[1,{"y":2}]}"#,
                Some(7),
            ),
            (r#"{"total_tokens":0}"#, None),
            (r#"{"total_tokens":-5}"#, None),
            (r#"{"total_tokens":"45000"}"#, None),
            (r#"{"total_tokens":1e300}"#, None),
            (r#"{"total_tokens":null}"#, None),
            (r#"{"total_tokens":{"a":1}}"#, None),
            (r#""lots""#, None),
            (r#"[1,2]"#, None),
            (r#"12"#, None),
            ("null", None),
        ] {
            let body = format!(
                r#"{{"output":[{{"content":[{{"type":"output_text","text":"{inner}"}}]}}],"usage":{usage}}}"#
            );
            let d =
                decode_reply_plain(200, &body, None).unwrap_or_else(|e| panic!("{usage}: {e:?}"));
            assert_eq!(d.billed_tokens, want, "{usage}");
            assert_eq!(d.task_id, "t");
        }
    }

    #[test]
    fn submit_fixture_decodes_to_pending() {
        let d = decode_reply_plain(200, &fixture("submit-response.json"), None).unwrap();
        assert_eq!(d.task_id, "3a7d8355-ef78-48cd-863c-6cdb9707ba91");
        assert_eq!(d.snapshot.status, TaskStatus::Pending);
        assert_eq!(
            d.request_id.as_deref(),
            Some("9af01318-023e-4205-9093-806f523fbe32")
        );
    }

    #[test]
    fn query_fixture_decodes_with_unescaped_ampersands() {
        let d = decode_reply_plain(200, &fixture("query-succeeded-response.json"), None).unwrap();
        assert_eq!(d.snapshot.status, TaskStatus::Succeeded);
        let url = d.snapshot.video_url.as_deref().unwrap();
        assert!(url.contains("?Expires=1770874935&OSSAccessKeyId=LTAI5tPxpiCM2hjmWrFXrym1&Signature=eFkjP45eqYZDbRPLcwYQJNp%2FF8s%3D"), "{url}");
        assert!(!url.contains("\\u0026"));
        assert_eq!(
            d.snapshot.end_time.as_deref(),
            Some("2026-02-11 13:42:25.332")
        );
        assert_eq!(
            d.snapshot.scheduled_time.as_deref(),
            Some("2026-02-11 13:37:27.332")
        );
        assert_eq!(
            d.snapshot.submit_time.as_deref(),
            Some("2026-02-11 13:37:18.020")
        );
        assert!(d
            .snapshot
            .safe_video_url(&crate::domain::url::testing::Whatwg)
            .is_some());
    }

    #[test]
    fn fixture_form_serialises_to_the_seed_request() {
        let want: serde_json::Value =
            serde_json::from_str(&fixture("submit-request.json")).unwrap();
        let form = FormState {
            prompt: want["input"]["prompt"].as_str().unwrap().into(),
            audio_url: want["input"]["audio_url"].as_str().unwrap().into(),
            negative_prompt: String::new(),
            size: Size::S1920x1080,
            duration: "10".into(),
            shot_type: ShotType::Multi,
            prompt_extend: true,
            watermark: false,
            seed: "666".into(),
            ..FormState::default()
        };
        let got = serde_json::to_value(ModelSubmit::from(&form.validate().unwrap())).unwrap();
        let mut want_without_empty = want.clone();
        want_without_empty["input"]
            .as_object_mut()
            .unwrap()
            .remove("negative_prompt");
        assert_eq!(got, want_without_empty);
    }

    #[test]
    fn query_request_matches_the_fixture() {
        let want: serde_json::Value = serde_json::from_str(&fixture("query-request.json")).unwrap();
        let got = serde_json::to_value(QueryRequest::new(
            "3a7d8355-ef78-48cd-863c-6cdb9707ba91",
            Family::Wan26,
        ))
        .unwrap();
        assert_eq!(got, want);
    }

    #[test]
    fn random_seed_is_omitted() {
        let r = FormState {
            prompt: "x".into(),
            ..FormState::default()
        }
        .validate()
        .unwrap();
        let v = serde_json::to_value(ModelSubmit::from(&r)).unwrap();
        assert!(v["parameters"].get("seed").is_none());
        assert!(v["input"].get("negative_prompt").is_none());
        assert!(v["input"].get("audio_url").is_none());
    }

    #[test]
    fn relay_errors_become_http_errors_with_request_id() {
        let body = r#"{"error":{"message":"invalid token (request id: 2026021113371801)","type":"new_api_error","code":"invalid_api_key"}}"#;
        let e = decode_reply_plain(401, body, None).unwrap_err();
        assert_eq!(
            e,
            ApiError::Http {
                status: 401,
                message: Some("invalid token (request id: 2026021113371801)".into()),
                code: Some("invalid_api_key".into()),
                request_id: Some("2026021113371801".into()),
                retry_after_s: None,
            }
        );
        let e = decode_reply_plain(
            429,
            r#"{"error":{"message":"slow down","type":"x","code":null}}"#,
            Some("7"),
        )
        .unwrap_err();
        assert!(matches!(
            e,
            ApiError::Http {
                status: 429,
                retry_after_s: Some(7),
                code: None,
                ..
            }
        ));
    }

    #[test]
    fn html_error_pages_become_http_errors_without_message() {
        let e = decode_reply_plain(502, "<html><body>Bad Gateway</body></html>", None).unwrap_err();
        assert!(matches!(
            e,
            ApiError::Http {
                status: 502,
                message: None,
                ..
            }
        ));
        let e = decode_reply_plain(500, "upstream exploded", None).unwrap_err();
        assert!(
            matches!(e, ApiError::Http { status: 500, message: Some(ref m), .. } if m == "upstream exploded")
        );
    }

    #[test]
    fn undecodable_envelopes_and_texts() {
        assert!(matches!(
            decode_reply_plain(200, "<html>", None),
            Err(ApiError::BadEnvelope { .. })
        ));
        assert!(matches!(
            decode_reply_plain(200, r#"{"output":[]}"#, None),
            Err(ApiError::BadEnvelope { .. })
        ));
        let plain = r#"{"request_id":"r1","output":[{"type":"message","content":[{"type":"output_text","text":"upstream said no"}]}]}"#;
        assert_eq!(
            decode_reply_plain(200, plain, None).unwrap_err(),
            ApiError::BadInner {
                text: "upstream said no".into(),
                request_id: Some("r1".into())
            }
        );
        let upstream = r#"{"output":[{"type":"message","content":[{"type":"output_text","text":"{\"code\":\"InvalidApiKey\",\"message\":\"bad key\"}"}]}]}"#;
        assert_eq!(
            decode_reply_plain(200, upstream, None).unwrap_err(),
            ApiError::Upstream {
                code: Some("InvalidApiKey".into()),
                message: Some("bad key".into()),
                request_id: None
            }
        );
        let in_200 = r#"{"error":{"message":"quota (request id: abc)","type":"x","code":403}}"#;
        assert!(
            matches!(decode_reply_plain(200, in_200, None), Err(ApiError::Http { code: Some(ref c), request_id: Some(ref r), .. }) if c == "403" && r == "abc")
        );
    }

    #[test]
    fn falls_back_to_first_text_item_and_keeps_unknown_statuses() {
        let body = r#"{"output":[{"type":"message","content":[{"type":"refusal"},{"type":"text","text":"{\"task_id\":\"t\",\"task_status\":\"WEIRD\"}"}]}]}"#;
        let d = decode_reply_plain(200, body, None).unwrap();
        assert_eq!(d.snapshot.status, TaskStatus::Other("WEIRD".into()));
        let failed = r#"{"output":[{"content":[{"type":"output_text","text":"{\"task_id\":\"t\",\"task_status\":\"FAILED\",\"code\":\"DataInspectionFailed\",\"message\":\"m\"}"}]}]}"#;
        let d = decode_reply_plain(200, failed, None).unwrap();
        assert_eq!(d.snapshot.code.as_deref(), Some("DataInspectionFailed"));
    }

    #[test]
    fn an_empty_output_keeps_the_request_id() {
        assert_eq!(
            decode_reply_plain(200, r#"{"request_id":"r9","output":[]}"#, None).unwrap_err(),
            ApiError::BadEnvelope {
                detail: "the reply has no output text".into(),
                request_id: Some("r9".into())
            }
        );
    }

    /// Every place a relay can put the key in a task reply, plain or JSON-escaped: none of it
    /// survives decoding, and an excerpt cut past the key's start keeps none of its characters.
    #[test]
    fn an_echoed_key_is_redacted_in_every_field_before_anything_is_cut() {
        // Escaped twice for the inner JSON string, once for a plain JSON body.
        let escaped: String = KEY
            .chars()
            .map(|c| format!("\\\\u{:04x}", u32::from(c)))
            .collect();
        let escaped1: String = KEY
            .chars()
            .map(|c| format!("\\u{:04x}", u32::from(c)))
            .collect();
        let inner = format!(
            r#"{{\"task_id\":\"t-1\",\"task_status\":\"FAILED {KEY}\",\"submit_time\":\"{KEY}\",\"scheduled_time\":\"{escaped}\",\"end_time\":\"x\",\"orig_prompt\":\"p {KEY}\",\"video_url\":\"https://x.example/v.mp4?k={KEY}\",\"code\":\"{escaped}\",\"message\":\"token {escaped} bad\"}}"#
        );
        let body = format!(
            r#"{{"request_id":"{KEY}","output":[{{"type":"message","content":[{{"type":"output_text","text":"{inner}"}}]}}]}}"#
        );
        let d = decode_reply_plain(200, &body, None).unwrap();
        let all = format!("{d:?}");
        assert!(!all.contains(&KEY[3..15]), "{all}");
        assert!(all.contains("sk-…"));
        // Error bodies, plain-text bodies and undecodable texts alike.
        let relay = format!(
            r#"{{"error":{{"message":"invalid token {KEY} (request id: r1)","type":"{KEY}","code":"{escaped1}"}}}}"#
        );
        let e = decode_reply_plain(401, &relay, None).unwrap_err();
        assert!(!format!("{e:?}").contains(&KEY[3..15]), "{e:?}");
        // The key sits 10 characters before the 300-character cut.
        let long = format!("{}{KEY}{}", "x".repeat(290), "y".repeat(200));
        for e in [
            decode_reply_plain(500, &long, None).unwrap_err(),
            decode_reply_plain(200, &long, None).unwrap_err(),
            decode_reply_plain(
                200,
                &format!(
                    r#"{{"output":[{{"content":[{{"type":"output_text","text":"{long}"}}]}}]}}"#
                ),
                None,
            )
            .unwrap_err(),
        ] {
            let shown = format!("{e:?} {:?}", e.explain(crate::api::Phase::Submit));
            assert!(!shown.contains(&KEY[..8]), "{shown}");
        }
    }
}
