//! wan-models: the Wan family on DMXAPI's endpoint, as data: one entry per model and mode (the 18 model pages
//! of DMXAPI, distilled in the team's `MODELS.md`). Each entry says which model strings go on the
//! wire, which fields the mode sends and their limits, which media it takes (kinds, counts, limits,
//! whether a local image may go as a `data:` URL), how the output size is chosen, the duration
//! rule, the shot control, the reference-label syntax and the list price.
//!
//! The form, validation, the wire request, the cost, the share codec and the simulator's checks
//! derive from this table: adding a model is one entry here plus its fixtures
//! (`tests/fixtures/models/` of the repository, checked against every entry by this crate's tests).
//!
//! A crate of its own, with no dependency but `serde`, so that the app (`src/domain/models.rs`
//! re-exports it) and the DMXAPI simulator (`tests/simulator`) read the same table.
//!
//! Where the pages disagree or say nothing (MODELS.md §9), the choice is written beside the entry.

use serde::{Deserialize, Serialize};

use Carriage::{Field, ListItem, MediaItem};
use MediaKind::{Audio, Image, Video};

/// Counts characters the way the service does: one per Unicode scalar value.
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// Resolution tier of a size; it sets the list price per second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// 720P sizes.
    P720,
    /// 1080P sizes.
    P1080,
}

impl Tier {
    /// The tier's name as the vendor writes it.
    pub fn label(self) -> &'static str {
        match self {
            Tier::P720 => "720P",
            Tier::P1080 => "1080P",
        }
    }
}

/// One of the ten output sizes wan2.6-t2v accepts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Size {
    /// 1280*720, 16:9.
    #[serde(rename = "1280*720")]
    S1280x720,
    /// 720*1280, 9:16.
    #[serde(rename = "720*1280")]
    S720x1280,
    /// 960*960, 1:1.
    #[serde(rename = "960*960")]
    S960x960,
    /// 1088*832, 4:3.
    #[serde(rename = "1088*832")]
    S1088x832,
    /// 832*1088, 3:4.
    #[serde(rename = "832*1088")]
    S832x1088,
    /// 1920*1080, 16:9 (the default).
    #[default]
    #[serde(rename = "1920*1080")]
    S1920x1080,
    /// 1080*1920, 9:16.
    #[serde(rename = "1080*1920")]
    S1080x1920,
    /// 1440*1440, 1:1.
    #[serde(rename = "1440*1440")]
    S1440x1440,
    /// 1632*1248, 4:3.
    #[serde(rename = "1632*1248")]
    S1632x1248,
    /// 1248*1632, 3:4.
    #[serde(rename = "1248*1632")]
    S1248x1632,
}

impl Size {
    /// All sizes, 720P first, in the vendor's order.
    pub const ALL: [Size; 10] = [
        Size::S1280x720,
        Size::S720x1280,
        Size::S960x960,
        Size::S1088x832,
        Size::S832x1088,
        Size::S1920x1080,
        Size::S1080x1920,
        Size::S1440x1440,
        Size::S1632x1248,
        Size::S1248x1632,
    ];

    /// Width and height in pixels.
    pub fn dimensions(self) -> (u32, u32) {
        match self {
            Size::S1280x720 => (1280, 720),
            Size::S720x1280 => (720, 1280),
            Size::S960x960 => (960, 960),
            Size::S1088x832 => (1088, 832),
            Size::S832x1088 => (832, 1088),
            Size::S1920x1080 => (1920, 1080),
            Size::S1080x1920 => (1080, 1920),
            Size::S1440x1440 => (1440, 1440),
            Size::S1632x1248 => (1632, 1248),
            Size::S1248x1632 => (1248, 1632),
        }
    }

    /// The value sent on the wire, e.g. `1920*1080`.
    pub fn wire(self) -> String {
        let (w, h) = self.dimensions();
        format!("{w}*{h}")
    }

    /// Parses a wire value such as `1920*1080`.
    pub fn from_wire(value: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|s| s.wire() == value)
    }

    /// The resolution tier.
    pub fn tier(self) -> Tier {
        match self {
            Size::S1280x720
            | Size::S720x1280
            | Size::S960x960
            | Size::S1088x832
            | Size::S832x1088 => Tier::P720,
            _ => Tier::P1080,
        }
    }

    /// Aspect ratio as people say it, e.g. `16:9`.
    pub fn aspect(self) -> &'static str {
        // The vendor's names: 1088*832 is not exactly 4:3, but that is what it is called.
        match self {
            Size::S1280x720 | Size::S1920x1080 => "16:9",
            Size::S720x1280 | Size::S1080x1920 => "9:16",
            Size::S960x960 | Size::S1440x1440 => "1:1",
            Size::S1088x832 | Size::S1632x1248 => "4:3",
            Size::S832x1088 | Size::S1248x1632 => "3:4",
        }
    }
}

/// One model and mode a user can pick: the 18 model pages. Stored, shared and configured by its
/// [`Mode::key`] (`wan2.6-t2v`, `wan2.7-first-last`, …).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Mode {
    /// Wan 2.6, text → video (`wan2.6-t2v`, the default).
    #[default]
    Wan26T2v,
    /// Wan 2.6, first frame → video (`wan2.6-i2v`).
    Wan26I2v,
    /// Wan 2.6, references → video (`wan2.6-r2v`).
    Wan26R2v,
    /// Wan 2.7, text → video.
    Wan27T2v,
    /// Wan 2.7, first frame → video.
    Wan27FirstFrame,
    /// Wan 2.7, first and last frame → video.
    Wan27FirstLast,
    /// Wan 2.7, continue a clip (optionally towards a last frame).
    Wan27Continue,
    /// Wan 2.7, references (images, videos, an optional first frame) → video.
    Wan27References,
    /// Wan 2.7, one storyboard grid image → video.
    Wan27Storyboard,
    /// Wan 2.7, edit a video by instruction.
    Wan27Edit,
    /// Wan 2.7, edit a video with reference images.
    Wan27EditWithImages,
    /// HappyHorse 1.0, text → video.
    Hh10T2v,
    /// HappyHorse 1.0, first frame → video.
    Hh10I2v,
    /// HappyHorse 1.0, reference images → video.
    Hh10R2v,
    /// HappyHorse 1.0, edit a video (flat price).
    Hh10Edit,
    /// HappyHorse 1.1, text → video.
    Hh11T2v,
    /// HappyHorse 1.1, first frame → video.
    Hh11I2v,
    /// HappyHorse 1.1, reference images → video.
    Hh11R2v,
}

/// The model family: it fixes the query model and the generation of the model strings. Stored by
/// its query model string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    /// Wan 2.6 (`wan2.6-get`).
    #[serde(rename = "wan2.6-get")]
    Wan26,
    /// Wan 2.7 (`wan2.7-get`).
    #[serde(rename = "wan2.7-get")]
    Wan27,
    /// HappyHorse 1.0 and 1.1 (`happyhorse-get`).
    #[serde(rename = "happyhorse-get")]
    HappyHorse,
}

impl Family {
    /// The model string that queries this family's tasks.
    pub const fn query_model(self) -> &'static str {
        match self {
            Family::Wan26 => "wan2.6-get",
            Family::Wan27 => "wan2.7-get",
            Family::HappyHorse => "happyhorse-get",
        }
    }

    /// Every family, in the order a task id of unknown family is looked up: wan2.6 (the app's
    /// default and every older task) first.
    pub const ALL: [Family; 3] = [Family::Wan26, Family::Wan27, Family::HappyHorse];

    /// The order to look a task id up in: the family it is known to be of first (wan2.6 when
    /// none is known), then the others in [`Family::ALL`]'s order.
    pub fn lookup_order(known: Option<Family>) -> [Family; 3] {
        let first = known.unwrap_or(Family::Wan26);
        let mut order = Family::ALL;
        // Stable: the known family moves to the front, the others keep their order.
        order.sort_by_key(|f| *f != first);
        order
    }

    /// The family of a query model string.
    pub fn from_query_model(model: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.query_model() == model)
    }
}

/// The JSON shape of a submit's `input`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputShape {
    /// `"input": {…}` (Wan, HappyHorse 1.1).
    Object,
    /// `"input": [{…}]`: an array holding one object (HappyHorse 1.0, all four models).
    ArrayOfOne,
}

/// How a prompt's length is counted against its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counting {
    /// One per character (Unicode scalar value), whatever the script.
    Chars,
    /// HappyHorse's "5000 non-Chinese or 2500 Chinese characters": how mixed text counts is not
    /// stated (MODELS.md §9.18), so a CJK character counts 2 and anything else 1, against 5000.
    CjkDouble,
}

/// The prompt's rule in one mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PromptRule {
    /// The most the service reads (it truncates beyond).
    pub max: u16,
    /// How the length is counted.
    pub counting: Counting,
    /// Whether a prompt must be given.
    pub required: bool,
}

impl PromptRule {
    /// The length of `text` as this mode counts it.
    pub fn length(&self, text: &str) -> usize {
        match self.counting {
            Counting::Chars => char_count(text),
            Counting::CjkDouble => text.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum(),
        }
    }
}

/// Han ideographs and CJK punctuation and full-width forms: what "Chinese characters" means for a
/// weighted count.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

/// A kind of media.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// A still image.
    Image,
    /// A video clip.
    Video,
    /// An audio track.
    Audio,
}

impl MediaKind {
    /// The kind of an item in wan2.6-r2v's `reference_urls`, a plain list of images and videos
    /// that leaves the kind to the file: a `data:video/` URL or a `.mp4`/`.mov` path is a video,
    /// anything else an image.
    pub fn of_listed_url(url: &str) -> MediaKind {
        let lower = url.to_ascii_lowercase();
        let path = lower.split(['?', '#']).next().unwrap_or(&lower);
        if lower.starts_with("data:video/") || path.ends_with(".mp4") || path.ends_with(".mov") {
            MediaKind::Video
        } else {
            MediaKind::Image
        }
    }
}

/// A file format a page lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// JPEG (`.jpg`, `.jpeg`).
    Jpeg,
    /// PNG.
    Png,
    /// BMP (Wan only).
    Bmp,
    /// WebP.
    Webp,
    /// MP4.
    Mp4,
    /// QuickTime MOV.
    Mov,
    /// WAV.
    Wav,
    /// MP3.
    Mp3,
}

impl Format {
    /// Its name as people write it (`JPEG`, `MP4`).
    pub fn label(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Bmp => "BMP",
            Format::Webp => "WEBP",
            Format::Mp4 => "MP4",
            Format::Mov => "MOV",
            Format::Wav => "WAV",
            Format::Mp3 => "MP3",
        }
    }

    /// The MIME type a browser reports for it.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Bmp => "image/bmp",
            Format::Webp => "image/webp",
            Format::Mp4 => "video/mp4",
            Format::Mov => "video/quicktime",
            Format::Wav => "audio/wav",
            Format::Mp3 => "audio/mpeg",
        }
    }

    /// The format of a MIME type (`image/jpg` and `audio/x-wav` included).
    pub fn from_mime(mime: &str) -> Option<Format> {
        let mime = mime.trim().to_ascii_lowercase();
        match mime.as_str() {
            "image/jpg" | "image/pjpeg" => Some(Format::Jpeg),
            "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => Some(Format::Wav),
            "audio/mp3" => Some(Format::Mp3),
            _ => ALL_FORMATS.into_iter().find(|f| f.mime() == mime),
        }
    }
}

const ALL_FORMATS: [Format; 8] = [
    Format::Jpeg,
    Format::Png,
    Format::Bmp,
    Format::Webp,
    Format::Mp4,
    Format::Mov,
    Format::Wav,
    Format::Mp3,
];

/// One megabyte as the pages' limits are read: 1 000 000 bytes, the stricter reading of "MB", so
/// that nothing the page could refuse is sent.
pub const MB: u32 = 1_000_000;

/// The limits on one media input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MediaLimits {
    /// Formats accepted.
    pub formats: &'static [Format],
    /// Whether an image may have an alpha channel (a PNG with one is flattened where not).
    pub alpha: bool,
    /// Smallest width and height (the short side), in pixels; 0 when not stated.
    pub min_side: u16,
    /// Largest width and height (the long side), in pixels; `None` when not stated.
    pub max_side: Option<u16>,
    /// Most elongated aspect allowed, long side over short side in tenths (`80` = 1:8 to 8:1);
    /// `None` when not stated.
    pub max_aspect_tenths: Option<u16>,
    /// Largest file, in bytes.
    pub max_bytes: u32,
    /// Length range in seconds (video and audio), when stated.
    pub seconds: Option<(u8, u8)>,
}

impl MediaLimits {
    /// Whether `width`×`height` pixels are within the side and aspect limits.
    pub fn fits_pixels(&self, width: u32, height: u32) -> bool {
        let (short, long) = (width.min(height), width.max(height));
        short >= u32::from(self.min_side)
            && self.max_side.is_none_or(|m| long <= u32::from(m))
            && self
                .max_aspect_tenths
                .is_none_or(|a| u64::from(long) * 10 <= u64::from(short) * u64::from(a))
    }
}

const WAN_IMAGE_FORMATS: &[Format] = &[Format::Jpeg, Format::Png, Format::Bmp, Format::Webp];
const HH_IMAGE_FORMATS: &[Format] = &[Format::Jpeg, Format::Png, Format::Webp];
const VIDEO_FORMATS: &[Format] = &[Format::Mp4, Format::Mov];
const AUDIO_FORMATS: &[Format] = &[Format::Wav, Format::Mp3];

const fn image(
    formats: &'static [Format],
    alpha: bool,
    min_side: u16,
    max_side: Option<u16>,
    max_aspect_tenths: Option<u16>,
    mb: u32,
) -> MediaLimits {
    MediaLimits {
        formats,
        alpha,
        min_side,
        max_side,
        max_aspect_tenths,
        max_bytes: mb * MB,
        seconds: None,
    }
}

const fn clip(
    formats: &'static [Format],
    min_side: u16,
    max_side: u16,
    max_aspect_tenths: Option<u16>,
    mb: u32,
    seconds: (u8, u8),
) -> MediaLimits {
    MediaLimits {
        formats,
        alpha: true,
        min_side,
        max_side: Some(max_side),
        max_aspect_tenths,
        max_bytes: mb * MB,
        seconds: Some(seconds),
    }
}

const fn audio(seconds: (u8, u8)) -> MediaLimits {
    MediaLimits {
        formats: AUDIO_FORMATS,
        alpha: true,
        min_side: 0,
        max_side: None,
        max_aspect_tenths: None,
        max_bytes: 15 * MB,
        seconds: Some(seconds),
    }
}

/// wan2.6-i2v's first frame: 360–2000 px, ≤ 10 MB, no alpha.
const W6_FRAME: MediaLimits = image(WAN_IMAGE_FORMATS, false, 360, Some(2000), None, 10);
/// wan2.6-r2v's reference image: 240–5000 px, ≤ 10 MB, no alpha.
const W6_REF_IMAGE: MediaLimits = image(WAN_IMAGE_FORMATS, false, 240, Some(5000), None, 10);
/// wan2.6-r2v's reference video: MP4/MOV, 1–30 s, ≤ 100 MB (no pixel limits stated).
const W6_REF_VIDEO: MediaLimits = MediaLimits {
    formats: VIDEO_FORMATS,
    alpha: true,
    min_side: 0,
    max_side: None,
    max_aspect_tenths: None,
    max_bytes: 100 * MB,
    seconds: Some((1, 30)),
};
/// wan2.6's `audio_url`: wav/mp3, 3–30 s, ≤ 15 MB (the i2v page; the t2v page states nothing and
/// PROTOCOL gives the same from Alibaba). wan2.7's 2 s minimum is not carried over (§9.6).
const W6_AUDIO: MediaLimits = audio((3, 30));
/// W7-IMG: 240–8000 px, 1:8–8:1, ≤ 20 MB, no alpha.
const W7_IMAGE: MediaLimits = image(WAN_IMAGE_FORMATS, false, 240, Some(8000), Some(80), 20);
/// W7-VID as a reference video: 1–30 s.
const W7_REF_VIDEO: MediaLimits = clip(VIDEO_FORMATS, 240, 4096, Some(80), 100, (1, 30));
/// W7-VID as a clip to continue or to edit: 2–10 s.
const W7_CLIP: MediaLimits = clip(VIDEO_FORMATS, 240, 4096, Some(80), 100, (2, 10));
/// W7-AUD as `audio_url` or `driving_audio`: 2–30 s.
const W7_AUDIO: MediaLimits = audio((2, 30));
/// W7-AUD as a `reference_voice`: 1–10 s.
const W7_VOICE: MediaLimits = audio((1, 10));
/// HappyHorse first frame and edit reference: ≥ 300 px, 1:2.5–2.5:1, ≤ 20 MB. No page forbids
/// alpha on HappyHorse, so it is kept.
const HH_FRAME: MediaLimits = image(HH_IMAGE_FORMATS, true, 300, None, Some(25), 20);
/// HappyHorse 1.0 reference image: short side ≥ 300 px (no aspect limit stated).
const HH10_REF: MediaLimits = image(HH_IMAGE_FORMATS, true, 300, None, None, 20);
/// HappyHorse 1.1 reference image: short side ≥ 400 px.
const HH11_REF: MediaLimits = image(HH_IMAGE_FORMATS, true, 400, None, None, 20);
/// HappyHorse 1.0 edit video: 3–60 s, short side ≥ 360, long side ≤ 4096, 1:2.5–2.5:1, ≤ 100 MB.
const HH_EDIT_VIDEO: MediaLimits = clip(VIDEO_FORMATS, 360, 4096, Some(25), 100, (3, 60));

/// Where a media input goes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carriage {
    /// A named string field of `input` (wan2.6: `img_url`, `audio_url`).
    Field(&'static str),
    /// One string of a named list field of `input` (wan2.6-r2v: `reference_urls`).
    ListItem(&'static str),
    /// An item `{"type": …, "url": …}` of `input.media` (wan2.7, HappyHorse).
    MediaItem(&'static str),
}

/// One media input of a mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Where it goes on the wire.
    pub carriage: Carriage,
    /// What it is.
    pub kind: MediaKind,
    /// Fewest items.
    pub min: u8,
    /// Most items.
    pub max: u8,
    /// Limits on each item.
    pub limits: MediaLimits,
    /// Whether a local file may be sent as a `data:` URL (images only, where the page says so).
    pub data_url: bool,
    /// Whether the slot counts toward the mode's shared reference total ([`ModeSpec::references`]).
    pub reference: bool,
    /// wan2.7-r2v: an optional voice (`reference_voice`, a public audio URL) on each item.
    pub voice: Option<MediaLimits>,
}

impl Slot {
    const fn new(
        carriage: Carriage,
        kind: MediaKind,
        min: u8,
        max: u8,
        limits: MediaLimits,
    ) -> Slot {
        Slot {
            carriage,
            kind,
            min,
            max,
            limits,
            data_url: false,
            reference: false,
            voice: None,
        }
    }

    /// The same slot, where a local image may go as a `data:` URL.
    const fn data(mut self) -> Slot {
        self.data_url = true;
        self
    }

    /// The same slot, counted in the mode's reference total.
    const fn reference(mut self) -> Slot {
        self.reference = true;
        self
    }

    /// The wire name: the field, the list field or the media item's `type`.
    pub fn wire_name(&self) -> &'static str {
        match self.carriage {
            Carriage::Field(n) | Carriage::ListItem(n) | Carriage::MediaItem(n) => n,
        }
    }
}

/// An output aspect ratio. Stored by its wire value (`16:9`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ratio {
    /// 16:9.
    #[serde(rename = "16:9")]
    R16x9,
    /// 9:16.
    #[serde(rename = "9:16")]
    R9x16,
    /// 1:1.
    #[serde(rename = "1:1")]
    R1x1,
    /// 4:3.
    #[serde(rename = "4:3")]
    R4x3,
    /// 3:4.
    #[serde(rename = "3:4")]
    R3x4,
    /// 4:5 (HappyHorse).
    #[serde(rename = "4:5")]
    R4x5,
    /// 5:4 (HappyHorse).
    #[serde(rename = "5:4")]
    R5x4,
    /// 9:21 (HappyHorse).
    #[serde(rename = "9:21")]
    R9x21,
    /// 21:9 (HappyHorse).
    #[serde(rename = "21:9")]
    R21x9,
}

impl Ratio {
    /// Every ratio, in HappyHorse's order (wan2.7's five first).
    pub const ALL: [Ratio; 9] = [
        Ratio::R16x9,
        Ratio::R9x16,
        Ratio::R1x1,
        Ratio::R4x3,
        Ratio::R3x4,
        Ratio::R4x5,
        Ratio::R5x4,
        Ratio::R9x21,
        Ratio::R21x9,
    ];

    /// The wire value, e.g. `16:9`.
    pub fn wire(self) -> &'static str {
        match self {
            Ratio::R16x9 => "16:9",
            Ratio::R9x16 => "9:16",
            Ratio::R1x1 => "1:1",
            Ratio::R4x3 => "4:3",
            Ratio::R3x4 => "3:4",
            Ratio::R4x5 => "4:5",
            Ratio::R5x4 => "5:4",
            Ratio::R9x21 => "9:21",
            Ratio::R21x9 => "21:9",
        }
    }

    /// Parses a wire value.
    pub fn from_wire(value: &str) -> Option<Ratio> {
        Ratio::ALL.into_iter().find(|r| r.wire() == value)
    }
}

const WAN27_RATIOS: &[Ratio] = &[
    Ratio::R16x9,
    Ratio::R9x16,
    Ratio::R1x1,
    Ratio::R4x3,
    Ratio::R3x4,
];
const HH_RATIOS: &[Ratio] = &Ratio::ALL;

/// How a mode chooses its output size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeControl {
    /// `parameters.size` `"W*H"`, one of these (wan2.6-t2v and r2v).
    Sizes(&'static [Size]),
    /// `parameters.resolution` only; the aspect follows the input image or clip.
    Resolution,
    /// `parameters.resolution` and `parameters.ratio`.
    ResolutionRatio {
        /// The ratios offered.
        ratios: &'static [Ratio],
        /// The page's default; `None`: omitted means "follow the input" (wan2.7-videoedit).
        default: Option<Ratio>,
    },
}

/// The duration rule of a mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DurationRule {
    /// Whole seconds in `min..=max`, default `default`; with a reference video at most
    /// `max_with_video` (wan2.7-r2v).
    Range {
        /// Shortest.
        min: u8,
        /// Longest.
        max: u8,
        /// Default.
        default: u8,
        /// Longest when a reference video is among the media.
        max_with_video: Option<u8>,
        /// The duration is the whole output's, the input clip included (wan2.7 continuation).
        includes_clip: bool,
    },
    /// `0` keeps the input video's length, or cut at `min..=max` seconds (wan2.7-videoedit).
    KeepOrCut {
        /// Shortest cut.
        min: u8,
        /// Longest cut.
        max: u8,
    },
    /// No duration field (HappyHorse 1.0 edit: the output follows the input, 3–15 s).
    None,
}

const fn range(min: u8, max: u8) -> DurationRule {
    DurationRule::Range {
        min,
        max,
        default: 5,
        max_with_video: None,
        includes_clip: false,
    }
}

/// How the user controls shots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShotControl {
    /// `parameters.shot_type` `single`/`multi`; `needs_extend`: it only works with
    /// `prompt_extend` on.
    ShotType {
        /// Whether multi-shot needs prompt extend.
        needs_extend: bool,
    },
    /// By the prompt's wording (wan2.7: `生成单镜头视频` / `生成多镜头视频`, timed shot lines).
    Wording,
    /// None documented.
    None,
}

/// How the prompt names the references, in media order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Labels {
    /// No references.
    None,
    /// `character1`, `character2`, … over all references (wan2.6-r2v; lowercase, §9.10).
    Character,
    /// `图1`/`视频1` (or `Image 1`/`Video 1` in English), images and videos numbered separately
    /// (wan2.7-r2v).
    ImageVideo,
    /// `[Image 1]`, `[Image 2]`, … — mandatory (HappyHorse r2v; §9.1: the field comment wins over
    /// the 1.0 intro's `character1`).
    BracketImage,
    /// Not documented (the edit modes): the references are shown in order, no token is offered.
    Undocumented,
}

/// The list price, in DMXAPI's billing units (`usage.total_tokens`; 10 000 = 1 CNY is an inference
/// from the pages, MODELS.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Price {
    /// Per output second, by tier; `None` where no page shows that tier's figure.
    PerSecond {
        /// At 720P.
        p720: Option<u32>,
        /// At 1080P.
        p1080: Option<u32>,
    },
    /// One figure per video, whatever its length or resolution (HappyHorse 1.0 edit: 13.5 CNY).
    Flat(u32),
}

impl Price {
    /// The billed units for `seconds` of output at `tier`; `None` when the tier's price is not known.
    pub fn units(&self, tier: Tier, seconds: u8) -> Option<u32> {
        match *self {
            Price::PerSecond { p720, p1080 } => {
                let per = if tier == Tier::P720 { p720 } else { p1080 }?;
                Some(per * u32::from(seconds))
            }
            Price::Flat(units) => Some(units),
        }
    }
}

/// Everything about one mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModeSpec {
    /// Which mode.
    pub mode: Mode,
    /// The family (query model, input conventions).
    pub family: Family,
    /// The exact submit model string (never built from parts: dates and suffixes vary).
    pub submit_model: &'static str,
    /// `input`'s shape.
    pub input: InputShape,
    /// The prompt.
    pub prompt: PromptRule,
    /// The negative prompt's limit, where the page lists the field.
    pub negative_prompt: Option<u16>,
    /// The media inputs.
    pub slots: &'static [Slot],
    /// The shared count of the slots marked `reference`: (fewest, most).
    pub references: Option<(u8, u8)>,
    /// How the output size is chosen.
    pub size: SizeControl,
    /// The duration.
    pub duration: DurationRule,
    /// Shots.
    pub shot: ShotControl,
    /// Whether `parameters.prompt_extend` exists (default true where it does).
    pub prompt_extend: bool,
    /// The watermark's default (false on Wan, true on HappyHorse); always sent explicitly.
    pub watermark_default: bool,
    /// Whether `parameters.audio_setting` (`auto`/`origin`) exists.
    pub audio_setting: bool,
    /// How the prompt names references.
    pub labels: Labels,
    /// List price.
    pub price: Price,
}

impl ModeSpec {
    /// The model string that queries this mode's tasks.
    pub fn query_model(&self) -> &'static str {
        self.family.query_model()
    }

    /// The slot sent under this wire name, if the mode has one.
    pub fn slot(&self, wire_name: &str) -> Option<&'static Slot> {
        self.slots.iter().find(|s| s.wire_name() == wire_name)
    }

    /// The allowed duration range, given whether a reference video is among the media. `None`
    /// where the mode has no duration.
    pub fn duration_range(&self, has_video: bool) -> Option<(u8, u8)> {
        match self.duration {
            DurationRule::Range {
                min,
                max,
                max_with_video,
                ..
            } => Some((
                min,
                if has_video {
                    max_with_video.unwrap_or(max)
                } else {
                    max
                },
            )),
            DurationRule::KeepOrCut { min, max } => Some((min, max)),
            DurationRule::None => None,
        }
    }

    /// The parameter names this mode sends (besides `seed`, sent when fixed).
    pub fn parameters(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        match self.size {
            SizeControl::Sizes(_) => names.push("size"),
            SizeControl::Resolution => names.push("resolution"),
            SizeControl::ResolutionRatio { .. } => names.extend(["resolution", "ratio"]),
        }
        if !matches!(self.duration, DurationRule::None) {
            names.push("duration");
        }
        if matches!(self.shot, ShotControl::ShotType { .. }) {
            names.push("shot_type");
        }
        if self.prompt_extend {
            names.push("prompt_extend");
        }
        if self.audio_setting {
            names.push("audio_setting");
        }
        names.extend(["watermark", "seed"]);
        names
    }

    /// Checks the media a request carries (`(wire name, kind)` per item, in order) against the
    /// mode's slots and counts: the first of [`ModeSpec::media_problems`].
    pub fn check_media(&self, items: &[(&str, MediaKind)]) -> Result<(), MediaProblem> {
        match self.media_problems(items).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every way the media a request carries do not fit the mode, in the order of its slots
    /// (items the mode does not take first; then each slot's count; then the references in all).
    pub fn media_problems(&self, items: &[(&str, MediaKind)]) -> Vec<MediaProblem> {
        let mut problems: Vec<MediaProblem> = items
            .iter()
            .filter(|&&(name, kind)| {
                !self
                    .slots
                    .iter()
                    .any(|s| s.wire_name() == name && s.kind == kind)
            })
            .map(|&(name, _)| MediaProblem::NotTaken(name.to_owned()))
            .collect();
        let mut total = 0u8;
        for slot in self.slots {
            let n = items
                .iter()
                .filter(|&&(name, kind)| name == slot.wire_name() && kind == slot.kind)
                .count();
            let n = u8::try_from(n).unwrap_or(u8::MAX);
            if n < slot.min {
                problems.push(MediaProblem::Missing(slot.wire_name()));
            }
            if n > slot.max {
                problems.push(MediaProblem::TooMany(slot.wire_name(), slot.max));
            }
            if slot.reference {
                total = total.saturating_add(n);
            }
        }
        if let Some((min, max)) = self.references {
            if total < min {
                problems.push(MediaProblem::NoReference);
            }
            if total > max {
                problems.push(MediaProblem::TooManyReferences(max));
            }
        }
        problems
    }
}

/// Why a set of media does not fit a mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MediaProblem {
    /// This input is not one the mode takes.
    NotTaken(String),
    /// A required input is missing.
    Missing(&'static str),
    /// More items than the slot takes.
    TooMany(&'static str, u8),
    /// No reference given.
    NoReference,
    /// More references than the mode takes in all.
    TooManyReferences(u8),
}

const fn prompt(max: u16, required: bool) -> PromptRule {
    PromptRule {
        max,
        counting: Counting::Chars,
        required,
    }
}

const HH_PROMPT: PromptRule = PromptRule {
    max: 5000,
    counting: Counting::CjkDouble,
    required: true,
};
const HH_PROMPT_OPTIONAL: PromptRule = PromptRule {
    required: false,
    ..HH_PROMPT
};

const WAN26_PRICE: Price = Price::PerSecond {
    p720: Some(6000),
    p1080: Some(10000),
};
/// wan2.7: 6000/s at 720P in every example, 10000/s at 1080P in the t2v one; the 1080P figure is
/// taken for every wan2.7 mode (no other 1080P example exists).
const WAN27_PRICE: Price = WAN26_PRICE;
/// HappyHorse 1.0: 9000/s at 720P; no 1080P example, so no 1080P list price (editable in Settings).
const HH10_PRICE: Price = Price::PerSecond {
    p720: Some(9000),
    p1080: None,
};

const W7_RESOLUTION_RATIO: SizeControl = SizeControl::ResolutionRatio {
    ratios: WAN27_RATIOS,
    default: Some(Ratio::R16x9),
};
const HH_RESOLUTION_RATIO: SizeControl = SizeControl::ResolutionRatio {
    ratios: HH_RATIOS,
    default: Some(Ratio::R16x9),
};

const fn wan26(mode: Mode, submit_model: &'static str) -> ModeSpec {
    ModeSpec {
        mode,
        family: Family::Wan26,
        submit_model,
        input: InputShape::Object,
        // Required on t2v (PROTOCOL) and r2v (its references are named in it); i2v overrides.
        prompt: prompt(1500, true),
        negative_prompt: Some(500),
        slots: &[],
        references: None,
        size: SizeControl::Sizes(&Size::ALL),
        duration: range(2, 15),
        shot: ShotControl::ShotType { needs_extend: true },
        prompt_extend: true,
        watermark_default: false,
        audio_setting: false,
        labels: Labels::None,
        price: WAN26_PRICE,
    }
}

const fn wan27(mode: Mode, submit_model: &'static str, slots: &'static [Slot]) -> ModeSpec {
    ModeSpec {
        mode,
        family: Family::Wan27,
        submit_model,
        input: InputShape::Object,
        prompt: prompt(5000, false),
        negative_prompt: None,
        slots,
        references: None,
        size: SizeControl::Resolution,
        duration: range(2, 15),
        shot: ShotControl::None,
        prompt_extend: true,
        watermark_default: false,
        audio_setting: false,
        labels: Labels::None,
        price: WAN27_PRICE,
    }
}

const fn hh(mode: Mode, submit_model: &'static str, slots: &'static [Slot]) -> ModeSpec {
    let v10 = matches!(
        mode,
        Mode::Hh10T2v | Mode::Hh10I2v | Mode::Hh10R2v | Mode::Hh10Edit
    );
    ModeSpec {
        mode,
        family: Family::HappyHorse,
        submit_model,
        input: if v10 {
            InputShape::ArrayOfOne
        } else {
            InputShape::Object
        },
        prompt: HH_PROMPT,
        negative_prompt: None,
        slots,
        references: None,
        size: HH_RESOLUTION_RATIO,
        duration: range(3, 15),
        shot: ShotControl::None,
        prompt_extend: false,
        watermark_default: true,
        audio_setting: false,
        labels: Labels::None,
        price: HH10_PRICE,
    }
}

const W7_FIRST_FRAME: Slot = Slot::new(MediaItem("first_frame"), Image, 1, 1, W7_IMAGE).data();
const W7_LAST_FRAME: Slot = Slot::new(MediaItem("last_frame"), Image, 1, 1, W7_IMAGE).data();
const W7_DRIVING_AUDIO: Slot = Slot::new(MediaItem("driving_audio"), Audio, 0, 1, W7_AUDIO);
const W7_EDIT_VIDEO: Slot = Slot::new(MediaItem("video"), Video, 1, 1, W7_CLIP);

/// The table: every mode, `wan2.6-t2v` first (the default).
pub const MODES: [ModeSpec; 18] = [
    ModeSpec {
        slots: &[Slot::new(Field("audio_url"), Audio, 0, 1, W6_AUDIO)],
        // The t2v page states no watermark default; the i2v page and PROTOCOL say false (§9.13).
        ..wan26(Mode::Wan26T2v, "wan2.6-t2v")
    },
    ModeSpec {
        slots: &[
            Slot::new(Field("img_url"), Image, 1, 1, W6_FRAME).data(),
            Slot::new(Field("audio_url"), Audio, 0, 1, W6_AUDIO),
        ],
        prompt: prompt(1500, false),
        size: SizeControl::Resolution,
        ..wan26(Mode::Wan26I2v, "wan2.6-i2v")
    },
    ModeSpec {
        // Images 0–5 and videos 0–3 in one list, 1–5 in all; public URLs only (no data URL).
        slots: &[
            Slot::new(ListItem("reference_urls"), Image, 0, 5, W6_REF_IMAGE).reference(),
            Slot::new(ListItem("reference_urls"), Video, 0, 3, W6_REF_VIDEO).reference(),
        ],
        references: Some((1, 5)),
        duration: range(2, 10),
        // The page names no prompt_extend (and no condition on shot_type): neither is sent (§9.14).
        shot: ShotControl::ShotType {
            needs_extend: false,
        },
        prompt_extend: false,
        labels: Labels::Character,
        ..wan26(Mode::Wan26R2v, "wan2.6-r2v")
    },
    ModeSpec {
        prompt: prompt(5000, true),
        negative_prompt: Some(500),
        slots: &[Slot::new(Field("audio_url"), Audio, 0, 1, W7_AUDIO)],
        size: W7_RESOLUTION_RATIO,
        shot: ShotControl::Wording,
        ..wan27(Mode::Wan27T2v, "wan2.7-t2v-2026-06-12", &[])
    },
    // wan2.7-i2v: the six legal media sets of the page are the union of these three modes;
    // negative_prompt is on none of the i2v pages, so it is not sent (§9.15).
    wan27(
        Mode::Wan27FirstFrame,
        "wan2.7-i2v-2026-04-25",
        &[W7_FIRST_FRAME, W7_DRIVING_AUDIO],
    ),
    wan27(
        Mode::Wan27FirstLast,
        "wan2.7-i2v-2026-04-25",
        &[W7_FIRST_FRAME, W7_LAST_FRAME, W7_DRIVING_AUDIO],
    ),
    ModeSpec {
        // The continuation page labels last_frame "first frame image URL" (§9.9): W7-IMG limits.
        // first_clip + driving_audio is not a legal set (§9.15).
        duration: DurationRule::Range {
            min: 2,
            max: 15,
            default: 5,
            max_with_video: None,
            includes_clip: true,
        },
        ..wan27(
            Mode::Wan27Continue,
            "wan2.7-i2v-2026-04-25",
            &[
                Slot::new(MediaItem("first_clip"), Video, 1, 1, W7_CLIP),
                Slot {
                    min: 0,
                    ..W7_LAST_FRAME
                },
            ],
        )
    },
    ModeSpec {
        prompt: prompt(5000, true),
        negative_prompt: Some(500),
        references: Some((1, 5)),
        size: W7_RESOLUTION_RATIO,
        // 2–10 s with a reference video, else 2–15; the ratio is ignored with a first frame.
        duration: DurationRule::Range {
            min: 2,
            max: 15,
            default: 5,
            max_with_video: Some(10),
            includes_clip: false,
        },
        shot: ShotControl::Wording,
        labels: Labels::ImageVideo,
        ..wan27(
            Mode::Wan27References,
            "wan2.7-r2v-2026-06-12",
            &[
                Slot {
                    voice: Some(W7_VOICE),
                    ..Slot::new(MediaItem("reference_image"), Image, 0, 5, W7_IMAGE)
                        .data()
                        .reference()
                },
                Slot {
                    voice: Some(W7_VOICE),
                    ..Slot::new(MediaItem("reference_video"), Video, 0, 5, W7_REF_VIDEO).reference()
                },
                // Its limits and URL forms are not stated (§9.16): W7-IMG, and no data URL.
                Slot::new(MediaItem("first_frame"), Image, 0, 1, W7_IMAGE),
            ],
        )
    },
    ModeSpec {
        prompt: prompt(5000, true),
        negative_prompt: Some(500),
        size: W7_RESOLUTION_RATIO,
        shot: ShotControl::Wording,
        labels: Labels::ImageVideo,
        ..wan27(
            Mode::Wan27Storyboard,
            "wan2.7-r2v-2026-06-12",
            &[Slot::new(MediaItem("reference_image"), Image, 1, 1, W7_IMAGE).data()],
        )
    },
    ModeSpec {
        negative_prompt: Some(500),
        size: SizeControl::ResolutionRatio {
            ratios: WAN27_RATIOS,
            default: None,
        },
        duration: DurationRule::KeepOrCut { min: 2, max: 10 },
        audio_setting: true,
        ..wan27(Mode::Wan27Edit, "wan2.7-videoedit", &[W7_EDIT_VIDEO])
    },
    ModeSpec {
        negative_prompt: Some(500),
        size: SizeControl::ResolutionRatio {
            ratios: WAN27_RATIOS,
            default: None,
        },
        duration: DurationRule::KeepOrCut { min: 2, max: 10 },
        audio_setting: true,
        // How the prompt names several images is not documented (§9.17).
        labels: Labels::Undocumented,
        ..wan27(
            Mode::Wan27EditWithImages,
            "wan2.7-videoedit",
            &[
                W7_EDIT_VIDEO,
                Slot::new(MediaItem("reference_image"), Image, 1, 4, W7_IMAGE).data(),
            ],
        )
    },
    hh(Mode::Hh10T2v, "happyhorse-1.0-t2v", &[]),
    ModeSpec {
        prompt: HH_PROMPT_OPTIONAL,
        size: SizeControl::Resolution,
        ..hh(
            Mode::Hh10I2v,
            "happyhorse-1.0-i2v",
            &[Slot::new(MediaItem("first_frame"), Image, 1, 1, HH_FRAME).data()],
        )
    },
    ModeSpec {
        labels: Labels::BracketImage,
        ..hh(
            Mode::Hh10R2v,
            "happyhorse-1.0-r2v",
            &[Slot::new(MediaItem("reference_image"), Image, 1, 9, HH10_REF).data()],
        )
    },
    ModeSpec {
        size: SizeControl::Resolution,
        duration: DurationRule::None,
        audio_setting: true,
        labels: Labels::Undocumented,
        price: Price::Flat(135_000),
        ..hh(
            Mode::Hh10Edit,
            // The page is filed as "video-edit"; the model string has "-15s" (§9.4).
            "happyhorse-1.0-video-edit-15s",
            &[
                Slot::new(MediaItem("video"), Video, 1, 1, HH_EDIT_VIDEO),
                Slot::new(MediaItem("reference_image"), Image, 0, 5, HH_FRAME).data(),
            ],
        )
    },
    ModeSpec {
        // 12000/s at 1080P in the t2v example; 720P taken as 1.0's 9000 (the i2v example's figure).
        price: Price::PerSecond {
            p720: Some(9000),
            p1080: Some(12000),
        },
        ..hh(Mode::Hh11T2v, "happyhorse-1.1-t2v", &[])
    },
    ModeSpec {
        prompt: HH_PROMPT_OPTIONAL,
        size: SizeControl::Resolution,
        price: Price::PerSecond {
            p720: Some(9000),
            p1080: Some(12000),
        },
        ..hh(
            Mode::Hh11I2v,
            "happyhorse-1.1-i2v",
            &[Slot::new(MediaItem("first_frame"), Image, 1, 1, HH_FRAME).data()],
        )
    },
    ModeSpec {
        labels: Labels::BracketImage,
        // The r2v example bills 12000/s at 720P (1.1-i2v: 9000): a price step or a slip (§5);
        // the example's figure is the list price here.
        price: Price::PerSecond {
            p720: Some(12000),
            p1080: Some(12000),
        },
        ..hh(
            Mode::Hh11R2v,
            "happyhorse-1.1-r2v",
            &[Slot::new(MediaItem("reference_image"), Image, 1, 9, HH11_REF).data()],
        )
    },
];

impl Mode {
    /// This mode's entry in [`MODES`].
    pub fn spec(self) -> &'static ModeSpec {
        MODES.iter().find(|s| s.mode == self).unwrap_or(&MODES[0])
    }

    /// The stable name this mode is stored, shared and configured by (also its catalog key
    /// `mode.<key>`); the submit model string where one mode has it alone.
    pub const fn key(self) -> &'static str {
        match self {
            Mode::Wan26T2v => "wan2.6-t2v",
            Mode::Wan26I2v => "wan2.6-i2v",
            Mode::Wan26R2v => "wan2.6-r2v",
            Mode::Wan27T2v => "wan2.7-t2v",
            Mode::Wan27FirstFrame => "wan2.7-first-frame",
            Mode::Wan27FirstLast => "wan2.7-first-last",
            Mode::Wan27Continue => "wan2.7-continue",
            Mode::Wan27References => "wan2.7-r2v",
            Mode::Wan27Storyboard => "wan2.7-storyboard",
            Mode::Wan27Edit => "wan2.7-edit",
            Mode::Wan27EditWithImages => "wan2.7-edit-images",
            Mode::Hh10T2v => "happyhorse-1.0-t2v",
            Mode::Hh10I2v => "happyhorse-1.0-i2v",
            Mode::Hh10R2v => "happyhorse-1.0-r2v",
            Mode::Hh10Edit => "happyhorse-1.0-edit",
            Mode::Hh11T2v => "happyhorse-1.1-t2v",
            Mode::Hh11I2v => "happyhorse-1.1-i2v",
            Mode::Hh11R2v => "happyhorse-1.1-r2v",
        }
    }

    /// The mode stored under `key`.
    pub fn from_key(key: &str) -> Option<Mode> {
        MODES.iter().map(|s| s.mode).find(|m| m.key() == key)
    }
}

impl From<Mode> for &'static str {
    fn from(mode: Mode) -> &'static str {
        mode.key()
    }
}

impl TryFrom<String> for Mode {
    type Error = String;

    fn try_from(key: String) -> Result<Mode, String> {
        Mode::from_key(&key).ok_or_else(|| format!("unknown mode {key:?}"))
    }
}

impl Mode {
    /// The mode a request was made in, from its submit model string and the media it carries
    /// (`(wire name, kind)` per item): the first mode of that model whose slots and counts the
    /// media fit. Old tasks with no model read as `wan2.6-t2v`.
    pub fn detect(submit_model: &str, media: &[(&str, MediaKind)]) -> Option<Mode> {
        MODES
            .iter()
            .filter(|s| s.submit_model == submit_model)
            .find(|s| s.check_media(media).is_ok())
            .map(|s| s.mode)
    }
}

/// The pixel size of an output, where the pages give it: wan2.6 sizes are explicit; wan2.7's
/// `ratio` table (4:3 is 1104×832, not wan2.6's 1088×832); HappyHorse gives no table.
pub fn ratio_pixels(family: Family, tier: Tier, ratio: Ratio) -> Option<(u32, u32)> {
    if family != Family::Wan27 {
        return None;
    }
    let (w, h) = match (ratio, tier) {
        (Ratio::R16x9, Tier::P720) => (1280, 720),
        (Ratio::R16x9, Tier::P1080) => (1920, 1080),
        (Ratio::R9x16, Tier::P720) => (720, 1280),
        (Ratio::R9x16, Tier::P1080) => (1080, 1920),
        (Ratio::R1x1, Tier::P720) => (960, 960),
        (Ratio::R1x1, Tier::P1080) => (1440, 1440),
        (Ratio::R4x3, Tier::P720) => (1104, 832),
        (Ratio::R4x3, Tier::P1080) => (1648, 1248),
        (Ratio::R3x4, Tier::P720) => (832, 1104),
        (Ratio::R3x4, Tier::P1080) => (1248, 1648),
        _ => return None,
    };
    Some((w, h))
}

/// The tier named by a `resolution` value (`720P`, `1080P`).
pub fn tier_from_resolution(value: &str) -> Option<Tier> {
    [Tier::P720, Tier::P1080]
        .into_iter()
        .find(|t| t.label() == value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::path::PathBuf;

    /// The fixture directory of each mode: its DMXAPI page's examples.
    const PAGES: [(Mode, &str); 18] = [
        (Mode::Wan26T2v, "wan2.6-t2v"),
        (Mode::Wan26I2v, "wan2.6-i2v"),
        (Mode::Wan26R2v, "wan2.6-r2v"),
        (Mode::Wan27T2v, "wan2.7-t2v-2026-06-12-text-to-video"),
        (
            Mode::Wan27FirstFrame,
            "wan2.7-i2v-2026-04-25-first-frame-to-video",
        ),
        (
            Mode::Wan27FirstLast,
            "wan2.7-i2v-2026-04-25-first-last-frame-to-video",
        ),
        (
            Mode::Wan27Continue,
            "wan2.7-i2v-2026-04-25-video-continuation",
        ),
        (
            Mode::Wan27References,
            "wan2.7-r2v-2026-06-12-multi-subject-reference-to-video",
        ),
        (
            Mode::Wan27Storyboard,
            "wan2.7-r2v-2026-06-12-single-image-storyboard-to-video",
        ),
        (
            Mode::Wan27Edit,
            "wan2.7-videoedit-instruction-video-editing",
        ),
        (
            Mode::Wan27EditWithImages,
            "wan2.7-videoedit-instruction-reference-image-editing",
        ),
        (Mode::Hh10T2v, "happyhorse-1.0-t2v-text-to-video"),
        (Mode::Hh10I2v, "happyhorse-1.0-i2v-image-to-video"),
        (Mode::Hh10R2v, "happyhorse-1.0-r2v-reference-to-video"),
        (Mode::Hh10Edit, "happyhorse-1.0-video-edit-video-editing"),
        (Mode::Hh11T2v, "happyhorse-1.1-t2v-text-to-video"),
        (Mode::Hh11I2v, "happyhorse-1.1-i2v-image-to-video"),
        (Mode::Hh11R2v, "happyhorse-1.1-r2v-reference-to-video"),
    ];

    fn fixture(dir: &str, file: &str) -> Value {
        // Read when the test runs: a binary reused from another checkout (CI shares the target
        // directory) reads this checkout's fixtures.
        let root = std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
        let path: PathBuf = [root.as_str(), "../../tests/fixtures/models", dir, file]
            .iter()
            .collect();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
    }

    /// The inner JSON of a reply envelope (`output[0].content[0].text`).
    fn inner(reply: &Value) -> Value {
        let text = reply["output"][0]["content"][0]["text"]
            .as_str()
            .expect("an inner text");
        serde_json::from_str(text).expect("inner JSON")
    }

    /// The media of a submit's `input`, as `(wire name, kind, url)`, and checks each item's
    /// `data:` use and voice against the mode.
    fn media_of(
        spec: &ModeSpec,
        input: &serde_json::Map<String, Value>,
    ) -> Vec<(String, MediaKind)> {
        let mut items = Vec::new();
        for (key, value) in input {
            match key.as_str() {
                "prompt" => {}
                "negative_prompt" => assert!(
                    spec.negative_prompt.is_some(),
                    "{:?}: negative_prompt is not a field of this mode",
                    spec.mode
                ),
                "media" => {
                    for item in value.as_array().expect("media is an array") {
                        let name = item["type"].as_str().expect("a media type");
                        let url = item["url"].as_str().expect("a media url");
                        let slot = spec
                            .slot(name)
                            .unwrap_or_else(|| panic!("{:?}: no slot {name}", spec.mode));
                        assert!(matches!(slot.carriage, MediaItem(_)));
                        assert!(
                            !url.starts_with("data:") || slot.data_url,
                            "{name}: data URL"
                        );
                        if let Some(voice) = item.get("reference_voice") {
                            assert!(slot.voice.is_some(), "{name}: reference_voice");
                            assert!(voice.as_str().is_some_and(|v| v.starts_with("http")));
                        }
                        items.push((name.to_owned(), slot.kind));
                    }
                }
                name => {
                    let slot = spec
                        .slot(name)
                        .unwrap_or_else(|| panic!("{:?}: input.{name} is not a field", spec.mode));
                    match slot.carriage {
                        Field(_) => {
                            let url = value.as_str().expect("a URL string");
                            assert!(!url.starts_with("data:") || slot.data_url);
                            items.push((name.to_owned(), slot.kind));
                        }
                        ListItem(_) => {
                            for url in value.as_array().expect("a list") {
                                let url = url.as_str().expect("a URL string");
                                assert!(!url.starts_with("data:"), "{name}: no data URL");
                                items.push((name.to_owned(), MediaKind::of_listed_url(url)));
                            }
                        }
                        MediaItem(_) => panic!("{name} belongs in media"),
                    }
                }
            }
        }
        items
    }

    #[test]
    fn every_mode_has_one_entry_and_one_page() {
        for (i, spec) in MODES.iter().enumerate() {
            assert_eq!(
                MODES.iter().filter(|s| s.mode == spec.mode).count(),
                1,
                "{:?}",
                spec.mode
            );
            assert_eq!(PAGES[i].0, spec.mode, "PAGES follows MODES' order");
            assert_eq!(spec.mode.spec(), spec);
        }
        assert_eq!(
            MODES[0].submit_model, "wan2.6-t2v",
            "the default comes first"
        );
    }

    /// Every entry against its page's examples: the request the page sends is one the table
    /// allows (model string, input shape, fields, media and counts, values within limits), the
    /// query uses the table's query model, and the billed units are the table's list price.
    #[test]
    fn every_entry_matches_its_page() {
        for (mode, dir) in PAGES {
            let spec = mode.spec();
            let request = fixture(dir, "submit-request.json");
            assert_eq!(request["model"], spec.submit_model, "{dir}");

            let input = match (&request["input"], spec.input) {
                (Value::Object(o), InputShape::Object) => o.clone(),
                (Value::Array(a), InputShape::ArrayOfOne) if a.len() == 1 => {
                    a[0].as_object().expect("an object in the array").clone()
                }
                (other, shape) => panic!("{dir}: input {other} is not {shape:?}"),
            };
            let prompt = input.get("prompt").and_then(Value::as_str).unwrap_or("");
            assert!(
                spec.prompt.length(prompt) <= usize::from(spec.prompt.max),
                "{dir}: prompt too long"
            );
            assert!(!spec.prompt.required || !prompt.is_empty(), "{dir}: prompt");
            if let Some(negative) = input.get("negative_prompt").and_then(Value::as_str) {
                assert!(negative.chars().count() <= usize::from(spec.negative_prompt.unwrap()));
            }

            let media = media_of(spec, &input);
            let refs: Vec<(&str, MediaKind)> =
                media.iter().map(|(n, k)| (n.as_str(), *k)).collect();
            assert_eq!(spec.check_media(&refs), Ok(()), "{dir}");
            let detected = Mode::detect(spec.submit_model, &refs).expect("a mode");
            assert_eq!(detected.spec().submit_model, spec.submit_model);
            if mode != Mode::Wan27Storyboard {
                // A storyboard is one reference image on the wire: it reads as references.
                assert_eq!(detected, mode, "{dir}");
            }
            let has_video = refs.iter().any(|&(_, k)| k == Video);

            let parameters = request["parameters"].as_object().expect("parameters");
            let allowed = spec.parameters();
            let mut tier = Tier::P1080;
            let mut seconds = match spec.duration {
                DurationRule::Range { default, .. } => default,
                _ => 0,
            };
            for (key, value) in parameters {
                assert!(allowed.contains(&key.as_str()), "{dir}: parameters.{key}");
                match key.as_str() {
                    "size" => {
                        let size = Size::from_wire(value.as_str().unwrap()).expect("a size");
                        let SizeControl::Sizes(sizes) = spec.size else {
                            panic!()
                        };
                        assert!(sizes.contains(&size));
                        tier = size.tier();
                    }
                    "resolution" => tier = tier_from_resolution(value.as_str().unwrap()).unwrap(),
                    "ratio" => {
                        let ratio = Ratio::from_wire(value.as_str().unwrap()).expect("a ratio");
                        let SizeControl::ResolutionRatio { ratios, .. } = spec.size else {
                            panic!()
                        };
                        assert!(ratios.contains(&ratio), "{dir}: ratio");
                    }
                    "duration" => {
                        let d = u8::try_from(value.as_u64().unwrap()).unwrap();
                        let (min, max) = spec.duration_range(has_video).unwrap();
                        let keep =
                            matches!(spec.duration, DurationRule::KeepOrCut { .. }) && d == 0;
                        assert!(keep || (min..=max).contains(&d), "{dir}: duration {d}");
                        seconds = d;
                    }
                    "shot_type" => assert!(["single", "multi"].contains(&value.as_str().unwrap())),
                    "audio_setting" => {
                        assert!(["auto", "origin"].contains(&value.as_str().unwrap()))
                    }
                    "prompt_extend" | "watermark" => assert!(value.is_boolean()),
                    "seed" => assert!(value.as_u64().is_some_and(|s| s <= 2_147_483_647)),
                    _ => unreachable!(),
                }
            }

            let query = fixture(dir, "query-request.json");
            assert_eq!(query["model"], spec.query_model(), "{dir}");
            assert!(
                query["input"].is_string(),
                "{dir}: the query input is the bare task id"
            );

            let reply = fixture(dir, "submit-response.json");
            let billed = reply["usage"]["total_tokens"]
                .as_u64()
                .expect("total_tokens");
            assert_eq!(
                spec.price.units(tier, seconds).map(u64::from),
                Some(billed),
                "{dir}: list price"
            );
            let first = inner(&reply);
            assert!(
                ["PENDING", "RUNNING"].contains(&first["task_status"].as_str().unwrap()),
                "{dir}"
            );
            assert!(first["task_id"].is_string());
            let done = fixture(dir, "query-response.json");
            assert!(inner(&done)["task_status"].is_string(), "{dir}");
        }
    }

    #[test]
    fn query_models_name_their_family() {
        for spec in &MODES {
            assert_eq!(
                Family::from_query_model(spec.query_model()),
                Some(spec.family)
            );
        }
        assert_eq!(Family::from_query_model("wan2.6-t2v"), None);
    }

    #[test]
    fn a_listed_url_is_a_video_by_its_file() {
        for (url, kind) in [
            ("https://a.example/x/role1.mp4", Video),
            ("https://a.example/x/ROLE1.MOV?Expires=1#t", Video),
            ("data:video/mp4;base64,AAAA", Video),
            ("https://a.example/x/object4.png", Image),
            ("https://a.example/x/clip.mp4.png", Image),
            ("data:image/png;base64,AAAA", Image),
        ] {
            assert_eq!(MediaKind::of_listed_url(url), kind, "{url}");
        }
    }

    #[test]
    fn a_task_id_is_looked_up_in_its_own_family_first() {
        use Family::*;
        assert_eq!(Family::lookup_order(None), [Wan26, Wan27, HappyHorse]);
        assert_eq!(
            Family::lookup_order(Some(HappyHorse)),
            [HappyHorse, Wan26, Wan27]
        );
        assert_eq!(
            Family::lookup_order(Some(Wan26)),
            [Wan26, Wan27, HappyHorse]
        );
    }

    #[test]
    fn a_family_is_stored_as_its_query_model() {
        assert_eq!(
            serde_json::to_string(&Family::Wan27).unwrap(),
            "\"wan2.7-get\""
        );
        let read: Family = serde_json::from_str("\"happyhorse-get\"").unwrap();
        assert_eq!(read, Family::HappyHorse);
        assert!(serde_json::from_str::<Family>("\"Wan27\"").is_err());
    }

    #[test]
    fn wan27_i2v_takes_exactly_the_six_media_sets_of_its_pages() {
        let m = "wan2.7-i2v-2026-04-25";
        let (ff, lf, da, fc) = (
            ("first_frame", Image),
            ("last_frame", Image),
            ("driving_audio", Audio),
            ("first_clip", Video),
        );
        let legal: [(&[(&str, MediaKind)], Mode); 6] = [
            (&[ff], Mode::Wan27FirstFrame),
            (&[ff, da], Mode::Wan27FirstFrame),
            (&[ff, lf], Mode::Wan27FirstLast),
            (&[ff, lf, da], Mode::Wan27FirstLast),
            (&[fc], Mode::Wan27Continue),
            (&[fc, lf], Mode::Wan27Continue),
        ];
        for (media, mode) in legal {
            assert_eq!(Mode::detect(m, media), Some(mode), "{media:?}");
        }
        for media in [
            &[][..],
            &[lf],
            &[da],
            &[fc, da],
            &[ff, fc],
            &[ff, ff],
            &[ff, lf, lf],
            &[("reference_image", Image)],
        ] {
            assert_eq!(Mode::detect(m, media), None, "{media:?}");
        }
    }

    #[test]
    fn reference_counts_are_enforced() {
        let r2v = Mode::Wan26R2v.spec();
        let img = ("reference_urls", Image);
        let vid = ("reference_urls", Video);
        assert_eq!(r2v.check_media(&[]), Err(MediaProblem::NoReference));
        let flf = Mode::Wan27FirstLast.spec();
        assert_eq!(
            flf.media_problems(&[]),
            [
                MediaProblem::Missing("first_frame"),
                MediaProblem::Missing("last_frame")
            ],
            "every missing input, not only the first"
        );
        assert_eq!(
            flf.media_problems(&[("first_frame", Image), ("last_frame", Image)]),
            []
        );
        assert_eq!(r2v.check_media(&[img; 5]), Ok(()));
        assert_eq!(r2v.check_media(&[img, img, vid, vid, vid]), Ok(()));
        assert_eq!(
            r2v.check_media(&[vid; 4]),
            Err(MediaProblem::TooMany("reference_urls", 3))
        );
        assert_eq!(
            r2v.check_media(&[img, img, img, vid, vid, vid]),
            Err(MediaProblem::TooManyReferences(5))
        );
        let w7 = Mode::Wan27References.spec();
        let (ri, rv, ff) = (
            ("reference_image", Image),
            ("reference_video", Video),
            ("first_frame", Image),
        );
        assert_eq!(w7.check_media(&[ff]), Err(MediaProblem::NoReference));
        assert_eq!(w7.check_media(&[ri, rv, ri, ri, ri, ff]), Ok(()));
        assert_eq!(
            w7.check_media(&[ri, rv, ff, ff]),
            Err(MediaProblem::TooMany("first_frame", 1))
        );
        assert_eq!(
            w7.check_media(&[("video", Video)]),
            Err(MediaProblem::NotTaken("video".into()))
        );
        let hh = Mode::Hh11R2v.spec();
        assert_eq!(hh.check_media(&[("reference_image", Image); 9]), Ok(()));
        assert_eq!(
            hh.check_media(&[("reference_image", Image); 10]),
            Err(MediaProblem::TooMany("reference_image", 9))
        );
    }

    #[test]
    fn durations_follow_the_mode_and_its_media() {
        assert_eq!(Mode::Wan26T2v.spec().duration_range(false), Some((2, 15)));
        assert_eq!(Mode::Wan26R2v.spec().duration_range(true), Some((2, 10)));
        let r2v = Mode::Wan27References.spec();
        assert_eq!(r2v.duration_range(false), Some((2, 15)));
        assert_eq!(r2v.duration_range(true), Some((2, 10)));
        assert_eq!(Mode::Hh11T2v.spec().duration_range(false), Some((3, 15)));
        assert_eq!(Mode::Wan27Edit.spec().duration_range(false), Some((2, 10)));
        assert_eq!(Mode::Hh10Edit.spec().duration_range(false), None);
        assert!(!Mode::Hh10Edit.spec().parameters().contains(&"duration"));
        assert!(matches!(
            Mode::Wan27Continue.spec().duration,
            DurationRule::Range {
                includes_clip: true,
                ..
            }
        ));
    }

    #[test]
    fn only_the_pages_fields_are_sent() {
        for (mode, expected) in [
            (
                Mode::Wan26T2v,
                "size duration shot_type prompt_extend watermark seed",
            ),
            (Mode::Wan26R2v, "size duration shot_type watermark seed"),
            (
                Mode::Wan27T2v,
                "resolution ratio duration prompt_extend watermark seed",
            ),
            (
                Mode::Wan27FirstFrame,
                "resolution duration prompt_extend watermark seed",
            ),
            (
                Mode::Wan27Edit,
                "resolution ratio duration prompt_extend audio_setting watermark seed",
            ),
            (Mode::Hh10T2v, "resolution ratio duration watermark seed"),
            (Mode::Hh10Edit, "resolution audio_setting watermark seed"),
        ] {
            assert_eq!(mode.spec().parameters().join(" "), expected, "{mode:?}");
        }
        assert_eq!(Mode::Wan27FirstFrame.spec().negative_prompt, None);
        assert!(MODES
            .iter()
            .all(|s| s.watermark_default == (s.family == Family::HappyHorse)));
    }

    #[test]
    fn prompts_count_the_way_each_family_says() {
        let wan = Mode::Wan26T2v.spec().prompt;
        assert_eq!(wan.length("小猫 cat!"), 7);
        let hh = Mode::Hh10T2v.spec().prompt;
        assert_eq!(hh.length("小猫 cat!"), 9, "CJK counts 2, the rest 1");
        assert_eq!(
            hh.length(&"猫".repeat(2500)),
            5000,
            "2500 Chinese characters fill it"
        );
        assert_eq!(hh.length("，。"), 4, "CJK punctuation counts as Chinese");
        assert!(Mode::Hh11I2v.spec().prompt.max == 5000 && !Mode::Hh11I2v.spec().prompt.required);
    }

    #[test]
    fn media_limits_check_pixels_and_aspect() {
        assert!(W7_IMAGE.fits_pixels(240, 1920));
        assert!(!W7_IMAGE.fits_pixels(239, 1000));
        assert!(!W7_IMAGE.fits_pixels(8001, 2000));
        assert!(W7_IMAGE.fits_pixels(8000, 1000), "8:1 is allowed");
        assert!(!W7_IMAGE.fits_pixels(8000, 999), "beyond 8:1");
        assert!(HH_FRAME.fits_pixels(750, 300), "2.5:1");
        assert!(!HH_FRAME.fits_pixels(751, 300));
        assert!(HH11_REF.fits_pixels(4000, 400) && !HH11_REF.fits_pixels(4000, 399));
        assert!(W6_FRAME.fits_pixels(2000, 360) && !W6_FRAME.fits_pixels(2001, 1000));
        let frame = |m: Mode, name| m.spec().slot(name).unwrap().limits;
        assert!(!frame(Mode::Wan26I2v, "img_url").alpha, "Wan refuses alpha");
        assert!(frame(Mode::Hh10I2v, "first_frame").alpha);
        assert!(
            !HH_IMAGE_FORMATS.contains(&Format::Bmp),
            "no BMP on HappyHorse"
        );
        assert_eq!(W7_IMAGE.max_bytes, 20_000_000);
    }

    #[test]
    fn data_urls_only_for_images_where_the_page_allows() {
        for spec in &MODES {
            for slot in spec.slots {
                assert!(!slot.data_url || slot.kind == Image, "{:?}", spec.mode);
            }
        }
        assert!(Mode::Wan26I2v.spec().slot("img_url").unwrap().data_url);
        assert!(!Mode::Wan26R2v.spec().slots.iter().any(|s| s.data_url));
        assert!(
            !Mode::Wan27References
                .spec()
                .slot("first_frame")
                .unwrap()
                .data_url
        );
    }

    #[test]
    fn formats_read_from_mime_types() {
        assert_eq!(Format::from_mime("image/jpg"), Some(Format::Jpeg));
        assert_eq!(Format::from_mime("IMAGE/PNG"), Some(Format::Png));
        assert_eq!(Format::from_mime("video/quicktime"), Some(Format::Mov));
        assert_eq!(Format::from_mime("audio/x-wav"), Some(Format::Wav));
        assert_eq!(
            Format::from_mime("image/gif"),
            None,
            "GIF is in no format list (§9.12)"
        );
    }

    #[test]
    fn wan27_sizes_differ_from_wan26_at_4_3() {
        assert_eq!(
            ratio_pixels(Family::Wan27, Tier::P720, Ratio::R4x3),
            Some((1104, 832))
        );
        assert_eq!(
            ratio_pixels(Family::Wan27, Tier::P1080, Ratio::R3x4),
            Some((1248, 1648))
        );
        assert_eq!(Size::S1088x832.dimensions(), (1088, 832));
        assert_eq!(ratio_pixels(Family::Wan27, Tier::P720, Ratio::R21x9), None);
        assert_eq!(
            ratio_pixels(Family::HappyHorse, Tier::P720, Ratio::R16x9),
            None
        );
    }

    #[test]
    fn prices_per_second_or_per_video() {
        assert_eq!(
            Mode::Wan26T2v.spec().price.units(Tier::P1080, 10),
            Some(100_000)
        );
        assert_eq!(
            Mode::Hh10Edit.spec().price.units(Tier::P1080, 15),
            Some(135_000)
        );
        assert_eq!(
            Mode::Hh10T2v.spec().price.units(Tier::P1080, 5),
            None,
            "no 1080P figure"
        );
    }
}
