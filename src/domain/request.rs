//! A request of any model and mode of the model table ([`super::models`]): the prompt, the media
//! by slot, the output size, the duration and the switches, each present only where the mode has
//! it. The wire layer turns it into the model's submit body (`api::wire::ModelSubmit`); the ledger
//! keeps it with its task (a record of an older build, with no `mode`, reads as `wan2.6-t2v`).

use serde::{Deserialize, Serialize};

use super::models::{ratio_pixels, Carriage, MediaKind, Mode, Ratio, Size, SizeControl, Tier};

/// One media input: which slot of the mode it fills, and its URL (`http(s)://…`, or a
/// `data:image/…` URL where the slot allows one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaRef {
    /// The slot's wire name (`img_url`, `reference_urls`, `first_frame`, …).
    pub slot: &'static str,
    /// Image, video or audio (wan2.6-r2v's one list holds both images and videos).
    pub kind: MediaKind,
    /// The URL sent.
    pub url: String,
    /// wan2.7-r2v: a voice for this reference (a public audio URL).
    pub voice: Option<String>,
}

/// Single- or multi-shot narrative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShotType {
    /// One continuous shot (the default).
    #[default]
    Single,
    /// Several shots; only takes effect with prompt extend on.
    Multi,
}

impl ShotType {
    /// The value sent on the wire.
    pub fn wire(self) -> &'static str {
        match self {
            ShotType::Single => "single",
            ShotType::Multi => "multi",
        }
    }

    /// Parses a wire value.
    pub fn from_wire(value: &str) -> Option<ShotType> {
        match value {
            "single" => Some(ShotType::Single),
            "multi" => Some(ShotType::Multi),
            _ => None,
        }
    }
}

/// How the output size is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// `size` `"W*H"` (wan2.6 t2v and r2v).
    Size(Size),
    /// `resolution`, with a `ratio` where the mode has one and it is set.
    Resolution {
        /// The tier.
        tier: Tier,
        /// The ratio, if sent.
        ratio: Option<Ratio>,
    },
}

impl Output {
    /// The price tier of this output.
    pub fn tier(self) -> Tier {
        match self {
            Output::Size(size) => size.tier(),
            Output::Resolution { tier, .. } => tier,
        }
    }
}

/// What the edit models do with the input's sound.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AudioSetting {
    /// The model decides from the prompt (the default).
    #[default]
    Auto,
    /// Keep the input video's sound.
    Origin,
}

impl AudioSetting {
    /// The wire value.
    pub fn wire(self) -> &'static str {
        match self {
            AudioSetting::Auto => "auto",
            AudioSetting::Origin => "origin",
        }
    }
}

/// A request in one mode, with only the fields that mode has. Stored as [`StoredRequest`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredRequest", into = "StoredRequest")]
pub struct ModelRequest {
    /// The model and mode.
    pub mode: Mode,
    /// The prompt; empty means "not sent" where the mode's prompt is optional.
    pub prompt: String,
    /// The negative prompt, where the mode has one and it is set.
    pub negative_prompt: Option<String>,
    /// The media, in order (the order numbers the references).
    pub media: Vec<MediaRef>,
    /// The output size.
    pub output: Output,
    /// Seconds; `Some(0)` keeps the input's length (wan2.7 edit); `None` where the mode has none.
    pub duration: Option<u8>,
    /// Shot type, where the mode has it.
    pub shot_type: Option<ShotType>,
    /// Prompt extend, where the mode has it.
    pub prompt_extend: Option<bool>,
    /// Watermark (always sent: the default differs by family).
    pub watermark: bool,
    /// What the edit models do with the input's sound, where the mode has it.
    pub audio_setting: Option<AudioSetting>,
    /// Seed, or `None` for random.
    pub seed: Option<u32>,
}

impl ModelRequest {
    /// The price tier of the output.
    pub fn tier(&self) -> Tier {
        self.output.tier()
    }

    /// The URL of the first media item in `slot`, if any.
    pub fn media_url(&self, slot: &str) -> Option<&str> {
        self.media
            .iter()
            .find(|m| m.slot == slot)
            .map(|m| m.url.as_str())
    }

    /// The output size as shown: `1920×1080` where the pixels are known (wan2.6 sizes, wan2.7's
    /// ratio table), else `1080P · 16:9`, or `1080P` when the aspect follows the input.
    pub fn output_label(&self) -> String {
        match self.output {
            Output::Size(size) => {
                let (w, h) = size.dimensions();
                format!("{w}×{h}")
            }
            Output::Resolution { tier, ratio } => {
                let family = self.mode.spec().family;
                match ratio.map(|r| (r, ratio_pixels(family, tier, r))) {
                    Some((_, Some((w, h)))) => format!("{w}×{h}"),
                    Some((r, None)) => format!("{} · {}", tier.label(), r.wire()),
                    None => tier.label().to_owned(),
                }
            }
        }
    }

    /// The pictures from this computer it sends, with their inputs' wire names, in order.
    pub fn local_inputs(&self) -> Vec<(&'static str, String)> {
        self.media
            .iter()
            .filter_map(|m| Some((m.slot, super::image::local_hash(&m.url)?.to_owned())))
            .collect()
    }

    /// The hashes of the pictures from this computer it sends (`local:<hash>` items), in order.
    pub fn local_media(&self) -> impl Iterator<Item = &str> {
        self.media
            .iter()
            .filter_map(|m| super::image::local_hash(&m.url))
    }

    /// The audio track (`audio_url` or `driving_audio`), if one is sent.
    pub fn audio_url(&self) -> Option<&str> {
        self.media
            .iter()
            .find(|m| m.kind == MediaKind::Audio)
            .map(|m| m.url.as_str())
    }
}

/// A request as the ledger keeps it: every field a mode may have, each optional, so one shape
/// holds every mode. A wan2.6-t2v request is written exactly as builds before the other models
/// wrote it (no `mode`, the audio as `audio_url`), so older builds and exports read it unchanged.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredRequest {
    /// The mode; absent for wan2.6-t2v.
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<Mode>,
    prompt: String,
    negative_prompt: Option<String>,
    /// wan2.6-t2v's audio track (`null` when none; other modes keep theirs among the media).
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_url: Option<Option<String>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    media: Vec<StoredMedia>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<Size>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolution: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio: Option<Ratio>,
    duration: Option<u8>,
    shot_type: Option<ShotType>,
    prompt_extend: Option<bool>,
    watermark: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    audio_setting: Option<AudioSetting>,
    seed: Option<u32>,
}

/// One media item as stored: its slot's wire name and URL (the kind follows from the mode).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredMedia {
    slot: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    voice: Option<String>,
}

impl From<ModelRequest> for StoredRequest {
    fn from(r: ModelRequest) -> StoredRequest {
        let (size, resolution, ratio) = match r.output {
            Output::Size(size) => (Some(size), None, None),
            Output::Resolution { tier, ratio } => (None, Some(tier), ratio),
        };
        let legacy = r.mode == Mode::Wan26T2v;
        let (audio, media): (Vec<MediaRef>, Vec<MediaRef>) = r
            .media
            .into_iter()
            .partition(|m| legacy && m.slot == "audio_url");
        StoredRequest {
            mode: (!legacy).then_some(r.mode),
            prompt: r.prompt,
            negative_prompt: r.negative_prompt,
            audio_url: legacy.then(|| audio.into_iter().next().map(|m| m.url)),
            media: media
                .into_iter()
                .map(|m| StoredMedia {
                    slot: m.slot.to_owned(),
                    url: m.url,
                    voice: m.voice,
                })
                .collect(),
            size,
            resolution,
            ratio,
            duration: r.duration,
            shot_type: r.shot_type,
            prompt_extend: r.prompt_extend,
            watermark: r.watermark,
            audio_setting: r.audio_setting,
            seed: r.seed,
        }
    }
}

impl TryFrom<StoredRequest> for ModelRequest {
    type Error = String;

    fn try_from(s: StoredRequest) -> Result<ModelRequest, String> {
        let mode = s.mode.unwrap_or_default();
        let spec = mode.spec();
        let legacy_audio = s.audio_url.flatten().map(|url| StoredMedia {
            slot: "audio_url".into(),
            url,
            voice: None,
        });
        let media = s
            .media
            .into_iter()
            .chain(legacy_audio)
            .map(|m| {
                let slot = spec
                    .slot(&m.slot)
                    .ok_or_else(|| format!("{} takes no {}", mode.key(), m.slot))?;
                let kind = match slot.carriage {
                    Carriage::ListItem(_) => MediaKind::of_listed_url(&m.url),
                    _ => slot.kind,
                };
                Ok(MediaRef {
                    slot: slot.wire_name(),
                    kind,
                    url: m.url,
                    voice: m.voice,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let output = match spec.size {
            SizeControl::Sizes(_) => Output::Size(s.size.ok_or("no size")?),
            SizeControl::Resolution | SizeControl::ResolutionRatio { .. } => Output::Resolution {
                tier: s.resolution.ok_or("no resolution")?,
                ratio: s.ratio,
            },
        };
        Ok(ModelRequest {
            mode,
            prompt: s.prompt,
            negative_prompt: s.negative_prompt,
            media,
            output,
            duration: s.duration,
            shot_type: s.shot_type,
            prompt_extend: s.prompt_extend,
            watermark: s.watermark,
            audio_setting: s.audio_setting,
            seed: s.seed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_of_an_older_build_reads_as_wan26_t2v() {
        let old = r#"{"prompt":"p","negative_prompt":"n","audio_url":"https://a.example/x.mp3","size":"1280*720","duration":5,"shot_type":"multi","prompt_extend":true,"watermark":false,"seed":7}"#;
        let r: ModelRequest = serde_json::from_str(old).unwrap();
        assert_eq!(r.mode, Mode::Wan26T2v);
        assert_eq!(r.output, Output::Size(Size::S1280x720));
        assert_eq!(r.audio_url(), Some("https://a.example/x.mp3"));
        assert_eq!(r.media[0].slot, "audio_url");
        assert_eq!(r.media[0].kind, MediaKind::Audio);
        assert_eq!(
            (r.duration, r.shot_type, r.prompt_extend, r.seed),
            (Some(5), Some(ShotType::Multi), Some(true), Some(7))
        );
        assert_eq!(r.negative_prompt.as_deref(), Some("n"));
        // Written back, it is what the older build wrote, field for field.
        let written: serde_json::Value = serde_json::to_value(&r).unwrap();
        let old: serde_json::Value = serde_json::from_str(old).unwrap();
        assert_eq!(written, old);
        let none = r#"{"prompt":"p","negative_prompt":null,"audio_url":null,"size":"1280*720","duration":5,"shot_type":"single","prompt_extend":true,"watermark":false,"seed":null}"#;
        let r: ModelRequest = serde_json::from_str(none).unwrap();
        assert_eq!(r.audio_url(), None);
        let none: serde_json::Value = serde_json::from_str(none).unwrap();
        assert_eq!(serde_json::to_value(&r).unwrap(), none);
    }

    #[test]
    fn every_mode_round_trips_through_storage() {
        for spec in &super::super::models::MODES {
            let media = spec
                .slots
                .iter()
                .map(|s| MediaRef {
                    slot: s.wire_name(),
                    kind: s.kind,
                    url: match s.kind {
                        MediaKind::Video => "https://v.example/c.mp4".into(),
                        _ => "https://i.example/p.png".into(),
                    },
                    voice: s.voice.map(|_| "https://a.example/v.mp3".into()),
                })
                .collect();
            let output = match spec.size {
                SizeControl::Sizes(_) => Output::Size(Size::S1088x832),
                _ => Output::Resolution {
                    tier: Tier::P720,
                    ratio: Some(Ratio::R4x3),
                },
            };
            let r = ModelRequest {
                mode: spec.mode,
                prompt: "p".into(),
                negative_prompt: None,
                media,
                output,
                duration: Some(4),
                shot_type: None,
                prompt_extend: Some(false),
                watermark: true,
                audio_setting: Some(AudioSetting::Origin),
                seed: None,
            };
            let text = serde_json::to_string(&r).unwrap();
            assert_eq!(
                text.contains(&format!("\"mode\":\"{}\"", spec.mode.key())),
                spec.mode != Mode::Wan26T2v,
                "{text}"
            );
            let back: ModelRequest = serde_json::from_str(&text).unwrap();
            assert_eq!(back, r, "{text}");
        }
    }

    #[test]
    fn stored_media_a_mode_does_not_take_is_refused() {
        let bad = r#"{"mode":"wan2.6-t2v","prompt":"p","media":[{"slot":"first_frame","url":"https://x.example/a.png"}],"size":"1280*720","watermark":false}"#;
        assert!(serde_json::from_str::<ModelRequest>(bad).is_err());
        let no_size = r#"{"mode":"wan2.6-t2v","prompt":"p","watermark":false}"#;
        assert!(serde_json::from_str::<ModelRequest>(no_size).is_err());
        let unknown = r#"{"mode":"wan9-x","prompt":"p","size":"1280*720","watermark":false}"#;
        assert!(serde_json::from_str::<ModelRequest>(unknown).is_err());
    }
}
