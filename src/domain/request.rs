//! A request of any model and mode of the model table ([`super::models`]): the prompt, the media
//! by slot, the output size, the duration and the switches, each present only where the mode has
//! it. The wire layer turns it into the model's submit body (`api::wire::ModelSubmit`).

use super::form::{ShotType, Size, Tier};
use super::models::{MediaKind, Mode, Ratio};

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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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

/// A request in one mode, with only the fields that mode has.
#[derive(Clone, Debug, PartialEq, Eq)]
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
