//! The form of every model and mode (its fields and limits from the model table,
//! [`super::models`]): the raw form state a user edits, and validation into a [`ModelRequest`]
//! that is always safe to send (PROTOCOL.md §2, MODELS.md).

use serde::{Deserialize, Serialize};

use super::image::{local_hash, LOCAL_PREFIX};
use super::message::Msg;
pub use super::models::{char_count, Size, Tier};
use super::models::{
    Carriage, DurationRule, Labels, MediaKind, MediaProblem, Mode, ModeSpec, Ratio, ShotControl,
    SizeControl, Slot,
};
pub use super::request::ShotType;
use super::request::{AudioSetting, MediaRef, ModelRequest, Output};

/// Largest seed the service accepts (2³¹ − 1).
pub const SEED_MAX: u32 = 2_147_483_647;
/// The default video length, in seconds, of every mode that has one.
pub const DURATION_DEFAULT: u8 = 5;
/// Longest single link accepted in a media field, in bytes (a `data:` URL of a 20 MB image is
/// ~27 MB; anything longer is not a link a person pasted).
const URL_MAX: usize = 30_000_000;

/// A size's orientation in words.
pub fn orientation(size: Size) -> Msg {
    let (w, h) = size.dimensions();
    match w.cmp(&h) {
        std::cmp::Ordering::Greater => Msg::new("form.orientation.landscape"),
        std::cmp::Ordering::Less => Msg::new("form.orientation.portrait"),
        std::cmp::Ordering::Equal => Msg::new("form.orientation.square"),
    }
}

/// What one media input holds, by the input's wire name: pictures from this computer (kept in
/// the browser's database, named here by their content hash) and the links typed (one per line),
/// in that order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaText {
    /// The slot's wire name (`first_frame`, `reference_urls`, …).
    pub slot: String,
    /// The text as typed.
    pub text: String,
    /// Pictures from this computer, by content hash (SHA-256, hex).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub local: Vec<String>,
}

/// What the user typed, field by field, before validation. Saved as a draft, so every field is
/// kept as entered (numbers as text) and nothing typed is lost to a failed parse or to switching
/// modes (each mode reads the fields it has).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormState {
    /// The model and mode.
    pub mode: Mode,
    /// Prompt text.
    pub prompt: String,
    /// Negative prompt text.
    pub negative_prompt: String,
    /// The optional audio track's URL (`audio_url`, or wan2.7's `driving_audio`).
    pub audio_url: String,
    /// The image and video inputs, by slot.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<MediaText>,
    /// Output size (modes with a `size` list).
    pub size: Size,
    /// Output resolution (modes with `resolution`).
    pub tier: Tier,
    /// Output aspect ratio (modes with `ratio`); `None`: the mode's default.
    pub ratio: Option<Ratio>,
    /// Duration in seconds, as typed (`0` keeps an edited video's length).
    pub duration: String,
    /// Shot type.
    pub shot_type: ShotType,
    /// Prompt extend switch.
    pub prompt_extend: bool,
    /// Watermark switch.
    pub watermark: bool,
    /// What an edit does with the input's sound.
    pub audio_setting: AudioSetting,
    /// Seed as typed; empty means random.
    pub seed: String,
    /// The take this form continues or edits (set by "Continue this take" / "Edit this take").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_take: Option<FromTake>,
    /// wan2.7-r2v: a voice (a public audio link) per reference, keyed by the reference as the
    /// input holds it (its link, or `local:<hash>`), so it follows the reference when others
    /// are added or removed.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub voices: std::collections::BTreeMap<String, String>,
}

/// How a take was made from another one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Derivation {
    /// A wan2.7 continuation of its video.
    Continues,
    /// A wan2.7 edit of its video.
    Edits,
}

/// The take a form (then its task) was made from, and the video link it was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FromTake {
    /// Continued or edited.
    pub how: Derivation,
    /// The take's record id.
    pub id: String,
    /// Its video link as put in the form.
    pub url: String,
}

impl Default for FormState {
    fn default() -> Self {
        Self {
            mode: Mode::Wan26T2v,
            prompt: String::new(),
            negative_prompt: String::new(),
            audio_url: String::new(),
            media: Vec::new(),
            size: Size::default(),
            tier: Tier::P1080,
            ratio: None,
            duration: DURATION_DEFAULT.to_string(),
            shot_type: ShotType::Single,
            prompt_extend: true,
            watermark: false,
            audio_setting: AudioSetting::Auto,
            seed: String::new(),
            from_take: None,
            voices: std::collections::BTreeMap::new(),
        }
    }
}

impl FormState {
    /// The hashes of every picture from this computer the draft holds, in any mode's input.
    pub fn local_media(&self) -> impl Iterator<Item = &str> {
        self.media
            .iter()
            .flat_map(|m| m.local.iter().map(String::as_str))
    }

    /// This form's mode's entry in the model table.
    pub fn spec(&self) -> &'static ModeSpec {
        self.mode.spec()
    }

    /// The text typed into the media input `slot`.
    pub fn media_text(&self, slot: &str) -> &str {
        self.media
            .iter()
            .find(|m| m.slot == slot)
            .map_or("", |m| m.text.as_str())
    }

    /// The voice typed for the reference `source` (empty when none).
    pub fn voice(&self, source: &str) -> &str {
        self.voices.get(source).map_or("", String::as_str)
    }

    /// Sets (or, when empty, removes) the voice of the reference `source`.
    pub fn set_voice(&mut self, source: &str, url: String) {
        if url.trim().is_empty() {
            self.voices.remove(source);
        } else {
            self.voices.insert(source.to_owned(), url);
        }
    }

    /// Sets the text of the media input `slot`.
    pub fn set_media_text(&mut self, slot: &str, text: String) {
        self.media_mut(slot).text = text;
    }

    /// The pictures from this computer in the media input `slot`, by hash.
    pub fn local_images(&self, slot: &str) -> &[String] {
        self.media
            .iter()
            .find(|m| m.slot == slot)
            .map_or(&[], |m| m.local.as_slice())
    }

    /// Adds a picture from this computer (by hash) to the media input `slot`; one the input
    /// already holds is not added twice.
    pub fn add_local_image(&mut self, slot: &str, hash: String) {
        let m = self.media_mut(slot);
        if !m.local.contains(&hash) {
            m.local.push(hash);
        }
    }

    /// Takes a picture from this computer out of the media input `slot`.
    pub fn remove_local_image(&mut self, slot: &str, hash: &str) {
        self.media_mut(slot).local.retain(|h| h != hash);
    }

    /// Whether any input holds a picture from this computer (a share link cannot carry it).
    pub fn has_local_images(&self) -> bool {
        self.media.iter().any(|m| !m.local.is_empty())
    }

    fn media_mut(&mut self, slot: &str) -> &mut MediaText {
        let at = match self.media.iter().position(|m| m.slot == slot) {
            Some(at) => at,
            None => {
                self.media.push(MediaText {
                    slot: slot.to_owned(),
                    ..MediaText::default()
                });
                self.media.len() - 1
            }
        };
        &mut self.media[at]
    }

    /// A form that continues the take `id` whose video is at `url` (wan2.7's continuation: the
    /// video is the first clip; the duration counts it too).
    pub fn continue_take(id: &str, url: &str) -> FormState {
        Self::from_take(
            Mode::Wan27Continue,
            "first_clip",
            id,
            url,
            Derivation::Continues,
        )
    }

    /// A form that edits the take `id` whose video is at `url` (wan2.7's edit by instruction,
    /// keeping the video's length).
    pub fn edit_take(id: &str, url: &str) -> FormState {
        let mut form = Self::from_take(Mode::Wan27Edit, "video", id, url, Derivation::Edits);
        form.duration = "0".into();
        form
    }

    fn from_take(mode: Mode, slot: &str, id: &str, url: &str, how: Derivation) -> FormState {
        let mut form = FormState {
            mode,
            watermark: mode.spec().watermark_default,
            from_take: Some(FromTake {
                how,
                id: id.to_owned(),
                url: url.to_owned(),
            }),
            ..FormState::default()
        };
        form.set_media_text(slot, url.to_owned());
        form
    }

    /// The take a request validated from this form was made from: the form's, while the request
    /// still carries that take's video (changing the mode or the link drops it).
    pub fn follows(&self, request: &ModelRequest) -> Option<FromTake> {
        self.from_take
            .clone()
            .filter(|t| request.media.iter().any(|m| m.url == t.url))
    }

    /// Switches to `mode`, keeping everything typed; the watermark takes the new family's
    /// default when the family changes (HappyHorse marks by default, Wan does not).
    pub fn switch_mode(&mut self, mode: Mode) {
        if mode.spec().family != self.spec().family {
            self.watermark = mode.spec().watermark_default;
        }
        self.mode = mode;
    }
}

/// The media inputs a mode shows: one per wire name, in the table's order, without the audio
/// track (its own field). wan2.6-r2v's one list of images and videos is one input.
pub fn media_inputs(spec: &ModeSpec) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for slot in spec.slots {
        let name = slot.wire_name();
        if slot.kind != MediaKind::Audio && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The wire name of the mode's audio track, if it has one.
pub fn audio_slot(spec: &ModeSpec) -> Option<&'static Slot> {
    spec.slots.iter().find(|s| s.kind == MediaKind::Audio)
}

/// The most items the media input `name` takes in `spec`.
pub fn media_max(spec: &ModeSpec, name: &str) -> u8 {
    let n: u32 = spec
        .slots
        .iter()
        .filter(|s| s.wire_name() == name)
        .map(|s| u32::from(s.max))
        .sum();
    let n = spec
        .references
        .map_or(n, |(_, most)| n.min(u32::from(most)));
    u8::try_from(n).unwrap_or(u8::MAX)
}

impl ModelRequest {
    /// Turns a request back into a form (for "re-run with these settings").
    pub fn to_form(&self) -> FormState {
        let spec = self.mode.spec();
        let mut form = FormState {
            mode: self.mode,
            prompt: self.prompt.clone(),
            negative_prompt: self.negative_prompt.clone().unwrap_or_default(),
            audio_url: self.audio_url().unwrap_or_default().to_owned(),
            duration: self.duration.unwrap_or(DURATION_DEFAULT).to_string(),
            shot_type: self.shot_type.unwrap_or_default(),
            prompt_extend: self.prompt_extend.unwrap_or(true),
            watermark: self.watermark,
            audio_setting: self.audio_setting.unwrap_or_default(),
            seed: self.seed.map(|s| s.to_string()).unwrap_or_default(),
            ..FormState::default()
        };
        match self.output {
            Output::Size(size) => form.size = size,
            Output::Resolution { tier, ratio } => {
                form.tier = tier;
                form.ratio = ratio;
            }
        }
        for name in media_inputs(spec) {
            let mut lines: Vec<&str> = Vec::new();
            for m in self.media.iter().filter(|m| m.slot == name) {
                if let Some(voice) = &m.voice {
                    form.set_voice(&m.url, voice.clone());
                }
                match local_hash(&m.url) {
                    Some(hash) => form.add_local_image(name, hash.to_owned()),
                    None => lines.push(m.url.as_str()),
                }
            }
            if !lines.is_empty() {
                form.set_media_text(name, lines.join("\n"));
            }
        }
        form
    }
}

/// One reference of a mode that names its references in the prompt: the token the model reads
/// (`character1`, `图1`, `视频2`, `[Image 3]`), the input it is in, and what it is (a link, or
/// `local:<hash>` for a picture from this computer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The token to write in the prompt.
    pub token: String,
    /// The input's wire name.
    pub slot: &'static str,
    /// The link, or `local:<hash>`.
    pub source: String,
    /// True where the model takes a voice for it (wan2.7-r2v).
    pub voice: bool,
}

/// The references of the form in the order the model numbers them, with their tokens: wan2.6-r2v
/// numbers its one list `character1…`; wan2.7-r2v numbers images `图1…` and videos `视频1…` apart;
/// HappyHorse r2v numbers its images `[Image 1]…`. Empty where the mode names no references.
pub fn references(form: &FormState) -> Vec<Reference> {
    let spec = form.spec();
    let items = |slot: &'static str| {
        let local = form
            .local_images(slot)
            .iter()
            .map(|h| format!("{LOCAL_PREFIX}{h}"));
        let typed = form
            .media_text(slot)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>();
        local.chain(typed).map(move |source| (slot, source))
    };
    let numbered = |slot: &'static str, token: &dyn Fn(usize) -> String| {
        items(slot)
            .enumerate()
            .map(|(i, (slot, source))| Reference {
                token: token(i + 1),
                slot,
                source,
                voice: spec.slot(slot).is_some_and(|s| s.voice.is_some()),
            })
            .collect::<Vec<_>>()
    };
    match spec.labels {
        Labels::Character => numbered("reference_urls", &|n| format!("character{n}")),
        Labels::ImageVideo => {
            let mut refs = numbered("reference_image", &|n| format!("图{n}"));
            refs.extend(numbered("reference_video", &|n| format!("视频{n}")));
            refs
        }
        Labels::BracketImage => numbered("reference_image", &|n| format!("[Image {n}]")),
        Labels::None | Labels::Undocumented => Vec::new(),
    }
}

/// `text` with `token` put in at `at`, a position in UTF-16 units (as a browser's text field
/// counts: an emoji is 2), with a space before and after where the neighbours are not spaces; and
/// the position just after it, in the same units. A position past the end appends.
pub fn insert_token(text: &str, at: u32, token: &str) -> (String, u32) {
    let mut units = 0u32;
    let split = text
        .char_indices()
        .find(|(_, c)| {
            let here = units;
            units += c.len_utf16() as u32;
            here >= at
        })
        .map_or(text.len(), |(i, _)| i);
    let (before, after) = text.split_at(split);
    let pad_before = !before.is_empty() && !before.ends_with(char::is_whitespace);
    let pad_after = !after.is_empty() && !after.starts_with(char::is_whitespace);
    let inserted = format!(
        "{}{token}{}",
        if pad_before { " " } else { "" },
        if pad_after { " " } else { "" }
    );
    let caret = before.encode_utf16().count() + inserted.trim_end().encode_utf16().count();
    (format!("{before}{inserted}{after}"), caret as u32)
}

/// The form's fields, for attaching errors to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Prompt.
    Prompt,
    /// Negative prompt.
    NegativePrompt,
    /// Audio URL.
    AudioUrl,
    /// A media input, by its wire name.
    Media(&'static str),
    /// Duration.
    Duration,
    /// Shot type.
    ShotType,
    /// Seed.
    Seed,
}

/// Validation problems, each attached to its field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<(Field, Msg)>);

impl Field {
    /// The fields of wan2.6-t2v, in form order.
    pub const ALL: [Field; 6] = [
        Field::Prompt,
        Field::NegativePrompt,
        Field::AudioUrl,
        Field::Duration,
        Field::ShotType,
        Field::Seed,
    ];
}

impl FieldErrors {
    /// The message for one field, if it has a problem.
    pub fn get(&self, field: Field) -> Option<&Msg> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| m)
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// True when the text has nothing visible: whitespace and zero-width characters only.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
    })
}

/// Checks the prompt against the mode's rule (also used live while typing).
pub fn check_prompt(spec: &ModeSpec, prompt: &str) -> Option<Msg> {
    let n = spec.prompt.length(prompt);
    let max = usize::from(spec.prompt.max);
    if is_blank(prompt) && spec.prompt.required {
        Some(Msg::new("form.error.prompt_empty"))
    } else if n > max {
        Some(
            Msg::new("form.error.prompt_long")
                .with("n", n.to_string())
                .with("max", max.to_string())
                .with("over", (n - max).to_string()),
        )
    } else {
        None
    }
}

/// Checks the negative prompt against the mode's limit (none where the mode has no such field).
pub fn check_negative_prompt(spec: &ModeSpec, negative: &str) -> Option<Msg> {
    let max = usize::from(spec.negative_prompt?);
    let n = char_count(negative);
    (n > max).then(|| {
        Msg::new("form.error.negative_long")
            .with("n", n.to_string())
            .with("max", max.to_string())
            .with("over", (n - max).to_string())
    })
}

/// True for an absolute `http`/`https` URL with a host and no spaces.
fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !url.chars().any(char::is_whitespace)
}

/// Checks an audio URL: empty is fine, otherwise an absolute `http`/`https` URL with a host and
/// no spaces.
pub fn check_audio_url(url: &str) -> Option<Msg> {
    let url = url.trim();
    (!url.is_empty() && !is_web_url(url)).then(|| Msg::new("form.error.audio_url"))
}

/// One link of a media input: a public `http(s)` URL, or a `data:` URL of an image where the slot
/// accepts one.
fn check_media_url(slot: &Slot, url: &str) -> Option<Msg> {
    if url.len() > URL_MAX {
        return Some(Msg::new("form.error.media_url"));
    }
    if url.starts_with(LOCAL_PREFIX) {
        return match local_hash(url) {
            Some(_) if slot.data_url => None,
            Some(_) => Some(Msg::new("form.error.media_public_only")),
            None => Some(Msg::new("form.error.media_url")),
        };
    }
    if url
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
    {
        let image = url
            .get(5..11)
            .is_some_and(|p| p.eq_ignore_ascii_case("image/"));
        return if slot.data_url && image && url.contains(";base64,") {
            None
        } else {
            Some(Msg::new("form.error.media_public_only"))
        };
    }
    (!is_web_url(url)).then(|| Msg::new("form.error.media_url"))
}

/// The duration range message of a mode.
fn duration_error(min: u8, max: u8, keep: bool) -> Msg {
    let key = if keep {
        "form.error.duration_or_keep"
    } else {
        "form.error.duration"
    };
    Msg::new(key)
        .with("min", min.to_string())
        .with("max", max.to_string())
}

/// Parses the duration field for a mode: whole seconds in its range (the range with a reference
/// video where that differs), `0` where the mode keeps the input's length; `None` where the mode
/// has no duration.
pub fn parse_duration(spec: &ModeSpec, text: &str, has_video: bool) -> Result<Option<u8>, Msg> {
    let Some((min, max)) = spec.duration_range(has_video) else {
        return Ok(None);
    };
    let keep = matches!(spec.duration, DurationRule::KeepOrCut { .. });
    let text = text.trim();
    match text.parse::<u8>() {
        Ok(d)
            if text.bytes().all(|b| b.is_ascii_digit())
                && ((min..=max).contains(&d) || (keep && d == 0)) =>
        {
            Ok(Some(d))
        }
        _ => Err(duration_error(min, max, keep)),
    }
}

/// Parses the seed field: empty means random.
pub fn parse_seed(text: &str) -> Result<Option<u32>, Msg> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let digits = !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<u64>() {
        Ok(s) if digits && s <= u64::from(SEED_MAX) => Ok(Some(s as u32)),
        _ => Err(Msg::new("form.error.seed").with("max", SEED_MAX.to_string())),
    }
}

/// The message shown when multi-shot is chosen without prompt extend.
pub fn multi_shot_needs_extend() -> Msg {
    Msg::new("form.error.multi_shot")
}

/// The links of the media inputs, checked one by one; problems go to `errors`.
fn media_refs(form: &FormState, errors: &mut Vec<(Field, Msg)>) -> Vec<MediaRef> {
    let spec = form.spec();
    let mut refs = Vec::new();
    for name in media_inputs(spec) {
        let local: Vec<String> = form
            .local_images(name)
            .iter()
            .map(|h| format!("{LOCAL_PREFIX}{h}"))
            .collect();
        let typed = form
            .media_text(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        for url in local.iter().map(String::as_str).chain(typed) {
            let Some(slot) = spec.slots.iter().find(|s| s.wire_name() == name) else {
                continue;
            };
            let kind = match slot.carriage {
                Carriage::ListItem(_) => MediaKind::of_listed_url(url),
                _ => slot.kind,
            };
            let slot = spec
                .slots
                .iter()
                .find(|s| s.wire_name() == name && s.kind == kind)
                .unwrap_or(slot);
            if let Some(e) = check_media_url(slot, url) {
                if errors.iter().all(|(f, _)| *f != Field::Media(name)) {
                    errors.push((Field::Media(name), e));
                }
                continue;
            }
            let voice = slot
                .voice
                .and_then(|_| form.voices.get(url))
                .map(|v| v.trim())
                .filter(|v| !v.is_empty());
            if voice.and_then(check_audio_url).is_some() {
                if errors.iter().all(|(f, _)| *f != Field::Media(name)) {
                    errors.push((Field::Media(name), Msg::new("form.error.voice_url")));
                }
                continue;
            }
            refs.push(MediaRef {
                slot: name,
                kind,
                url: url.to_owned(),
                voice: voice.map(str::to_owned),
            });
        }
    }
    if let Some(slot) = audio_slot(spec) {
        let url = form.audio_url.trim();
        match check_audio_url(url) {
            Some(e) => errors.push((Field::AudioUrl, e)),
            None if !url.is_empty() => refs.push(MediaRef {
                slot: slot.wire_name(),
                kind: MediaKind::Audio,
                url: url.to_owned(),
                voice: None,
            }),
            None => {}
        }
    }
    refs
}

/// The field and message of a media set the mode does not take.
fn media_problem(spec: &ModeSpec, problem: MediaProblem) -> (Field, Msg) {
    let first_reference = || {
        spec.slots
            .iter()
            .find(|s| s.reference)
            .map_or("reference_urls", |s| s.wire_name())
    };
    let label = |name: &str| Msg::new(&format!("form.media.{name}"));
    match problem {
        MediaProblem::Missing(name) => (
            Field::Media(name),
            Msg::new("form.error.media_missing").with("what", label(name)),
        ),
        MediaProblem::TooMany(name, max) => (
            Field::Media(name),
            Msg::new("form.error.media_too_many")
                .with("what", label(name))
                .with("max", max.to_string()),
        ),
        MediaProblem::NoReference => (
            Field::Media(first_reference()),
            Msg::new("form.error.no_reference"),
        ),
        MediaProblem::TooManyReferences(max) => (
            Field::Media(first_reference()),
            Msg::new("form.error.too_many_references").with("max", max.to_string()),
        ),
        // Only links typed into the mode's own inputs are read: never reached.
        MediaProblem::NotTaken(_) => (Field::Prompt, Msg::new("form.error.media_url")),
    }
}

impl FormState {
    /// Validates every field of the mode; on success returns the request to send.
    pub fn validate(&self) -> Result<ModelRequest, FieldErrors> {
        let spec = self.spec();
        let mut errors = Vec::new();
        if let Some(e) = check_prompt(spec, &self.prompt) {
            errors.push((Field::Prompt, e));
        }
        if let Some(e) = check_negative_prompt(spec, &self.negative_prompt) {
            errors.push((Field::NegativePrompt, e));
        }
        let media = media_refs(self, &mut errors);
        if errors.iter().all(|(f, _)| !matches!(f, Field::Media(_))) {
            let items: Vec<(&str, MediaKind)> = media.iter().map(|m| (m.slot, m.kind)).collect();
            for problem in spec.media_problems(&items) {
                let (field, msg) = media_problem(spec, problem);
                // One message per field: the first problem of each input.
                if errors.iter().all(|(f, _)| *f != field) {
                    errors.push((field, msg));
                }
            }
        }
        let has_video = media.iter().any(|m| m.kind == MediaKind::Video);
        let duration = parse_duration(spec, &self.duration, has_video)
            .map_err(|e| errors.push((Field::Duration, e)))
            .ok();
        let shot_type = match spec.shot {
            ShotControl::ShotType { needs_extend } => {
                if needs_extend && self.shot_type == ShotType::Multi && !self.prompt_extend {
                    errors.push((Field::ShotType, multi_shot_needs_extend()));
                }
                Some(self.shot_type)
            }
            ShotControl::Wording | ShotControl::None => None,
        };
        let seed = parse_seed(&self.seed)
            .map_err(|e| errors.push((Field::Seed, e)))
            .ok();
        let output = match spec.size {
            SizeControl::Sizes(sizes) => Output::Size(if sizes.contains(&self.size) {
                self.size
            } else {
                Size::default()
            }),
            SizeControl::Resolution => Output::Resolution {
                tier: self.tier,
                ratio: None,
            },
            SizeControl::ResolutionRatio { ratios, default } => Output::Resolution {
                tier: self.tier,
                ratio: self.ratio.filter(|r| ratios.contains(r)).or(default),
            },
        };
        match (errors.is_empty(), duration, seed) {
            (true, Some(duration), Some(seed)) => Ok(ModelRequest {
                mode: self.mode,
                prompt: if is_blank(&self.prompt) && !spec.prompt.required {
                    String::new()
                } else {
                    self.prompt.clone()
                },
                negative_prompt: spec
                    .negative_prompt
                    .and_then(|_| non_empty(&self.negative_prompt)),
                media,
                output,
                duration,
                shot_type,
                prompt_extend: spec.prompt_extend.then_some(self.prompt_extend),
                watermark: self.watermark,
                audio_setting: spec.audio_setting.then_some(self.audio_setting),
                seed,
            }),
            _ => Err(FieldErrors(errors)),
        }
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!is_blank(text)).then(|| text.to_string())
}

/// The errors to show next to the fields: every rule once the user has pressed Generate
/// (`attempted`), before that only what is already certain while typing (a prompt over its
/// limit, a negative prompt over its limit).
pub fn shown_errors(form: &FormState, attempted: bool) -> FieldErrors {
    if attempted {
        return form.validate().err().unwrap_or_default();
    }
    let spec = form.spec();
    let mut live = Vec::new();
    if spec.prompt.length(&form.prompt) > usize::from(spec.prompt.max) {
        live.extend(check_prompt(spec, &form.prompt).map(|e| (Field::Prompt, e)));
    }
    live.extend(
        check_negative_prompt(spec, &form.negative_prompt).map(|e| (Field::NegativePrompt, e)),
    );
    FieldErrors(live)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::models::{Family, MODES};

    const T2V: &ModeSpec = &MODES[0];

    fn valid() -> FormState {
        FormState {
            prompt: "a cat general on a cliff".into(),
            ..FormState::default()
        }
    }

    #[test]
    fn a_reference_speaks_with_its_own_voice_on_wan27_r2v_only() {
        let mut f = valid();
        f.switch_mode(Mode::Wan27References);
        f.set_media_text(
            "reference_image",
            "https://a.example/1.png\nhttps://a.example/2.png".into(),
        );
        f.set_media_text("reference_video", "https://a.example/v.mp4".into());
        let refs = references(&f);
        assert!(refs.iter().all(|r| r.voice));
        f.set_voice(
            "https://a.example/2.png",
            " https://a.example/two.mp3 ".into(),
        );
        f.set_voice(
            "https://a.example/v.mp4",
            "https://a.example/vid.mp3".into(),
        );
        f.set_voice(
            "https://a.example/gone.png",
            "https://a.example/x.mp3".into(),
        );
        let q = f.validate().expect("valid");
        // A re-run brings them back.
        assert_eq!(q.to_form().validate().as_ref(), Ok(&q));
        let voices: Vec<Option<&str>> = q.media.iter().map(|m| m.voice.as_deref()).collect();
        assert_eq!(
            voices,
            [
                None,
                Some("https://a.example/two.mp3"),
                Some("https://a.example/vid.mp3")
            ]
        );
        // An empty voice is no voice; a voice that is not a link is an error at its input.
        f.set_voice("https://a.example/2.png", "  ".into());
        assert!(!f.voices.contains_key("https://a.example/2.png"));
        f.set_voice("https://a.example/1.png", "voice.mp3".into());
        let errors = f.validate().unwrap_err();
        assert_eq!(
            errors.get(Field::Media("reference_image")),
            Some(&Msg::new("form.error.voice_url"))
        );
        // Another mode takes no voice: none is sent, whatever the draft holds.
        f.switch_mode(Mode::Hh11R2v);
        f.set_media_text("reference_image", "https://a.example/1.png".into());
        assert!(references(&f).iter().all(|r| !r.voice));
        assert!(f
            .validate()
            .unwrap()
            .media
            .iter()
            .all(|m| m.voice.is_none()));
    }

    #[test]
    fn defaults_match_the_protocol() {
        let f = FormState::default();
        assert_eq!(f.size.wire(), "1920*1080");
        assert_eq!(f.duration, "5");
        assert_eq!(f.shot_type, ShotType::Single);
        assert!(f.prompt_extend);
        assert!(!f.watermark);
        assert_eq!(f.seed, "");
    }

    #[test]
    fn sizes_round_trip_and_have_tiers_and_aspects() {
        let table = [
            ("1280*720", Tier::P720, "16:9"),
            ("720*1280", Tier::P720, "9:16"),
            ("960*960", Tier::P720, "1:1"),
            ("1088*832", Tier::P720, "4:3"),
            ("832*1088", Tier::P720, "3:4"),
            ("1920*1080", Tier::P1080, "16:9"),
            ("1080*1920", Tier::P1080, "9:16"),
            ("1440*1440", Tier::P1080, "1:1"),
            ("1632*1248", Tier::P1080, "4:3"),
            ("1248*1632", Tier::P1080, "3:4"),
        ];
        for (wire, tier, aspect) in table {
            let s = Size::from_wire(wire).expect(wire);
            assert_eq!(s.wire(), wire);
            assert_eq!(s.tier(), tier, "{wire}");
            assert_eq!(s.aspect(), aspect, "{wire}");
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{wire}\""));
        }
        assert_eq!(Size::from_wire("832*480"), None);
        assert_eq!(Size::ALL.len(), 10);
    }

    #[test]
    fn prompt_limits_count_scalar_values() {
        let cases: [(String, bool); 8] = [
            ("a".repeat(1500), true),
            ("a".repeat(1501), false),
            ("猫".repeat(1500), true),
            ("猫".repeat(1501), false),
            ("😀".repeat(1500), true), // 2 UTF-16 units each, still 1 character
            ("😀".repeat(1501), false),
            (format!("{}{}", "e\u{301}".repeat(750), ""), true), // combining marks count
            ("   \n\t".into(), false),
        ];
        // Combining marks and zero-width characters are scalar values too: each counts 1.
        let more: [(String, usize, bool); 8] = [
            ("e\u{301}".repeat(751), 1502, false),
            (format!("{}\u{200b}", "a".repeat(1499)), 1500, true),
            (format!("{}\u{200b}", "a".repeat(1500)), 1501, false),
            (format!("{}\u{200d}\u{feff}", "猫".repeat(1498)), 1500, true),
            ("👨\u{200d}👩\u{200d}👧".repeat(300), 1500, true), // a family emoji is 5 scalars
            ("👨\u{200d}👩\u{200d}👧".repeat(301), 1505, false),
            (format!("  {}  ", "a".repeat(1496)), 1500, true), // surrounding spaces count, as sent
            (format!("  {}  ", "a".repeat(1497)), 1501, false),
        ];
        for (prompt, n, ok) in more {
            assert_eq!(char_count(&prompt), n);
            let f = FormState { prompt, ..valid() };
            assert_eq!(f.validate().is_ok(), ok, "{n}");
        }
        // A prompt of only zero-width or other invisible characters is not blank to Rust's
        // trim, but a service would see no words: it is refused like a blank one.
        for invisible in ["\u{200b}\u{200b}", "\u{feff}", " \u{200d} "] {
            let f = FormState {
                prompt: invisible.into(),
                ..valid()
            };
            assert!(f.validate().is_err(), "{invisible:?}");
        }
        for (prompt, ok) in cases {
            let f = FormState {
                prompt: prompt.clone(),
                ..valid()
            };
            assert_eq!(f.validate().is_ok(), ok, "len {}", char_count(&prompt));
        }
        let err = check_prompt(T2V, &"猫".repeat(1501)).unwrap();
        assert!(err.en().contains("1500") && err.en().contains("1501"));
        assert!(err.zh().contains("1500"));
    }

    #[test]
    fn negative_prompt_limit() {
        for (n, ok) in [(0, true), (500, true), (501, false)] {
            let f = FormState {
                negative_prompt: "低".repeat(n),
                ..valid()
            };
            assert_eq!(f.validate().is_ok(), ok, "{n}");
        }
    }

    #[test]
    fn audio_url_rules() {
        let table = [
            ("", true),
            ("https://example.com/a.mp3", true),
            ("http://example.com/a.wav", true),
            ("  https://example.com/a.mp3  ", true),
            ("HTTPS://EXAMPLE.COM/A.MP3", true),
            ("ftp://example.com/a.mp3", false),
            ("javascript:alert(1)", false),
            ("data:audio/mp3;base64,AAAA", false),
            ("https://", false),
            ("https:///a.mp3", false),
            ("https://exa mple.com/a.mp3", false),
            ("example.com/a.mp3", false),
            ("JavaScript:alert(1)", false),
            ("file:///etc/passwd", false),
            ("https://exa\tmple.com/a.mp3", false),
            ("http://?x", false),
            ("https://#frag", false),
        ];
        for (url, ok) in table {
            assert_eq!(check_audio_url(url).is_none(), ok, "{url:?}");
        }
        let f = FormState {
            audio_url: "  https://example.com/a.mp3 ".into(),
            ..valid()
        };
        assert_eq!(
            f.validate().unwrap().audio_url(),
            Some("https://example.com/a.mp3")
        );
    }

    #[test]
    fn duration_rules() {
        let table = [
            ("2", Some(2)),
            ("5", Some(5)),
            ("15", Some(15)),
            (" 10 ", Some(10)),
            ("1", None),
            ("16", None),
            ("0", None),
            ("-5", None),
            ("5.5", None),
            ("", None),
            ("ten", None),
            ("+5", None),
        ];
        for (text, want) in table {
            assert_eq!(
                parse_duration(T2V, text, false).ok(),
                want.map(Some),
                "{text:?}"
            );
        }
    }

    #[test]
    fn seed_rules() {
        let table = [
            ("", Some(None)),
            ("  ", Some(None)),
            ("0", Some(Some(0))),
            ("666", Some(Some(666))),
            ("2147483647", Some(Some(2_147_483_647))),
            ("2147483648", None),
            ("99999999999999999999999", None),
            ("-1", None),
            ("1.5", None),
            ("abc", None),
            ("1e3", None),
            ("+5", None),
            ("007", Some(Some(7))),
            (" 42 ", Some(Some(42))),
            ("4 2", None),
            ("٣", None), // non-ASCII digits
            ("0x10", None),
        ];
        for (text, want) in table {
            assert_eq!(parse_seed(text).ok(), want, "{text:?}");
        }
        assert!(parse_seed("-1").unwrap_err().en().contains("2147483647"));
    }

    #[test]
    fn multi_shot_needs_prompt_extend() {
        let f = FormState {
            shot_type: ShotType::Multi,
            prompt_extend: false,
            ..valid()
        };
        let errs = f.validate().unwrap_err();
        assert!(errs
            .get(Field::ShotType)
            .unwrap()
            .en()
            .contains("Prompt extend"));
        let f = FormState {
            shot_type: ShotType::Multi,
            prompt_extend: true,
            ..valid()
        };
        assert_eq!(f.validate().unwrap().shot_type, Some(ShotType::Multi));
    }

    #[test]
    fn every_error_is_attached_to_its_field() {
        let f = FormState {
            prompt: String::new(),
            negative_prompt: "x".repeat(501),
            audio_url: "ftp://x".into(),
            duration: "99".into(),
            shot_type: ShotType::Multi,
            prompt_extend: false,
            seed: "-3".into(),
            ..FormState::default()
        };
        let errs = f.validate().unwrap_err();
        for field in Field::ALL {
            let m = errs.get(field).unwrap_or_else(|| panic!("{field:?}"));
            assert!(!m.en().is_empty() && !m.zh().is_empty());
        }
    }

    #[test]
    fn valid_form_becomes_a_request_and_back() {
        let f = FormState {
            prompt: "cat".into(),
            negative_prompt: "".into(),
            seed: "666".into(),
            duration: "10".into(),
            shot_type: ShotType::Multi,
            ..FormState::default()
        };
        let r = f.validate().unwrap();
        assert_eq!(r.negative_prompt, None);
        assert_eq!(r.audio_url(), None);
        assert_eq!(r.seed, Some(666));
        assert_eq!(r.duration, Some(10));
        assert_eq!(r.to_form(), f);
    }

    #[test]
    fn draft_with_missing_or_extra_fields_still_loads() {
        let f: FormState = serde_json::from_str(r#"{"prompt":"hi","future":1}"#).unwrap();
        assert_eq!(f.prompt, "hi");
        assert_eq!(f.duration, "5");
    }

    #[test]
    fn errors_show_live_only_when_certain_then_all_after_generate() {
        let empty = FormState::default();
        assert!(
            shown_errors(&empty, false).is_empty(),
            "an empty prompt is not an error yet"
        );
        assert!(shown_errors(&empty, true).get(Field::Prompt).is_some());
        let long = FormState {
            prompt: "x".repeat(1501),
            seed: "not a number".into(),
            ..FormState::default()
        };
        let live = shown_errors(&long, false);
        assert!(live.get(Field::Prompt).is_some());
        assert!(
            live.get(Field::Seed).is_none(),
            "the seed waits for Generate"
        );
        assert!(shown_errors(&long, true).get(Field::Seed).is_some());
        let negative = FormState {
            negative_prompt: "x".repeat(501),
            ..FormState::default()
        };
        assert!(shown_errors(&negative, false)
            .get(Field::NegativePrompt)
            .is_some());
    }

    fn in_mode(mode: Mode) -> FormState {
        FormState {
            mode,
            prompt: "a cat".into(),
            ..FormState::default()
        }
    }

    #[test]
    fn every_mode_validates_what_it_needs_and_sends_only_its_fields() {
        for spec in &MODES {
            let mut f = in_mode(spec.mode);
            // With nothing but a prompt, a mode that needs media says which.
            let needs_media = spec.slots.iter().any(|s| s.min > 0) || spec.references.is_some();
            match f.validate() {
                Ok(_) => assert!(!needs_media, "{:?} accepted no media", spec.mode),
                Err(e) => {
                    assert!(needs_media, "{:?}: {e:?}", spec.mode);
                    assert!(e.0.iter().all(|(f, _)| matches!(f, Field::Media(_))));
                    let m = &e.0[0].1;
                    assert!(
                        !m.en().contains("%{") && !m.zh().contains("%{"),
                        "{}",
                        m.en()
                    );
                }
            }
            for name in media_inputs(spec) {
                let slot = spec.slot(name).unwrap();
                let url = if slot.kind == MediaKind::Video {
                    "https://v.example/clip.mp4"
                } else {
                    "https://i.example/pic.png"
                };
                f.set_media_text(name, url.into());
            }
            let r = f
                .validate()
                .unwrap_or_else(|e| panic!("{:?}: {e:?}", spec.mode));
            assert_eq!(r.mode, spec.mode);
            assert_eq!(r.negative_prompt, None);
            assert_eq!(r.prompt_extend.is_some(), spec.prompt_extend);
            assert_eq!(r.audio_setting.is_some(), spec.audio_setting);
            assert_eq!(
                r.shot_type.is_some(),
                matches!(spec.shot, ShotControl::ShotType { .. })
            );
            assert_eq!(
                r.duration.is_some(),
                !matches!(spec.duration, DurationRule::None)
            );
            assert_eq!(
                matches!(r.output, Output::Size(_)),
                matches!(spec.size, SizeControl::Sizes(_))
            );
            // And back: re-run with these settings gives the same request.
            assert_eq!(r.to_form().validate().unwrap(), r, "{:?}", spec.mode);
        }
    }

    #[test]
    fn an_empty_submit_names_every_missing_input() {
        let mut f = in_mode(Mode::Wan27FirstLast);
        f.prompt = "a cat".into();
        let e = f.validate().unwrap_err();
        let fields: Vec<Field> = e.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [Field::Media("first_frame"), Field::Media("last_frame")]
        );
        f.set_media_text("first_frame", "https://i.example/a.png".into());
        let e = f.validate().unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert!(e.get(Field::Media("last_frame")).is_some());
    }

    #[test]
    fn media_links_are_checked_per_slot() {
        let mut f = in_mode(Mode::Wan27FirstLast);
        f.set_media_text("first_frame", "https://i.example/a.png".into());
        f.set_media_text("last_frame", "ftp://i.example/b.png".into());
        let e = f.validate().unwrap_err();
        assert!(e.get(Field::Media("last_frame")).is_some());
        // A data: URL of an image goes where the slot takes one; a video never.
        f.set_media_text("last_frame", "data:image/png;base64,AAAA".into());
        assert!(f.validate().is_ok());
        let mut edit = in_mode(Mode::Wan27Edit);
        edit.set_media_text("video", "data:video/mp4;base64,AAAA".into());
        let e = edit.validate().unwrap_err();
        assert!(e
            .get(Field::Media("video"))
            .unwrap()
            .en()
            .contains("public"));
        // wan2.6-r2v: one list of images and videos, 5 in all, at most 3 videos.
        let mut r2v = in_mode(Mode::Wan26R2v);
        let six = (0..6)
            .map(|i| format!("https://i.example/{i}.png"))
            .collect::<Vec<_>>();
        r2v.set_media_text("reference_urls", six.join("\n"));
        let e = r2v.validate().unwrap_err();
        assert!(e.get(Field::Media("reference_urls")).is_some());
        let four_videos = (0..4)
            .map(|i| format!("https://v.example/{i}.mp4"))
            .collect::<Vec<_>>();
        r2v.set_media_text("reference_urls", four_videos.join("\n"));
        let e = r2v.validate().unwrap_err();
        assert!(e
            .get(Field::Media("reference_urls"))
            .unwrap()
            .en()
            .contains('3'));
        r2v.set_media_text(
            "reference_urls",
            "https://v.example/a.mp4\n\n  https://i.example/b.png  \n".into(),
        );
        let r = r2v.validate().unwrap();
        assert_eq!(
            r.media.iter().map(|m| m.kind).collect::<Vec<_>>(),
            [MediaKind::Video, MediaKind::Image]
        );
        assert_eq!(r.media[1].url, "https://i.example/b.png");
    }

    #[test]
    fn durations_follow_the_mode() {
        let cases = [
            (Mode::Wan26R2v, "10", true),
            (Mode::Wan26R2v, "11", false),
            (Mode::Hh11T2v, "2", false),
            (Mode::Hh11T2v, "3", true),
            (Mode::Wan27Edit, "0", true),
            (Mode::Wan27Edit, "11", false),
            (Mode::Wan27T2v, "0", false),
        ];
        for (mode, text, ok) in cases {
            assert_eq!(
                parse_duration(mode.spec(), text, false).is_ok(),
                ok,
                "{mode:?} {text}"
            );
        }
        // wan2.7-r2v: 2–15 s, 2–10 with a reference video.
        let spec = Mode::Wan27References.spec();
        assert!(parse_duration(spec, "15", false).is_ok());
        assert!(parse_duration(spec, "15", true).is_err());
        // HappyHorse 1.0 edit has none: whatever the field says, none is sent.
        assert_eq!(
            parse_duration(Mode::Hh10Edit.spec(), "junk", false),
            Ok(None)
        );
        let e = parse_duration(Mode::Wan27Edit.spec(), "1", false).unwrap_err();
        assert!(e.en().contains("0 to keep"));
    }

    #[test]
    fn happyhorse_counts_chinese_double_and_needs_no_prompt_for_images() {
        let spec = Mode::Hh11T2v.spec();
        assert!(check_prompt(spec, &"猫".repeat(2500)).is_none());
        let e = check_prompt(spec, &"猫".repeat(2501)).unwrap();
        assert!(e.en().contains("5002"), "{}", e.en());
        let mut i2v = in_mode(Mode::Hh11I2v);
        i2v.prompt = "  ".into();
        i2v.set_media_text("first_frame", "https://i.example/a.png".into());
        let r = i2v.validate().unwrap();
        assert_eq!(r.prompt, "");
    }

    #[test]
    fn switching_family_takes_its_watermark_default_and_keeps_the_text() {
        let mut f = in_mode(Mode::Wan26T2v);
        f.switch_mode(Mode::Hh11T2v);
        assert!(f.watermark, "HappyHorse marks by default");
        f.watermark = false;
        f.switch_mode(Mode::Hh11I2v);
        assert!(!f.watermark, "same family: the user's choice stays");
        f.switch_mode(Mode::Wan27T2v);
        assert!(!f.watermark);
        assert_eq!(f.prompt, "a cat");
        assert_eq!(Mode::Wan27T2v.spec().family, Family::Wan27);
    }

    #[test]
    fn ratios_outside_the_mode_fall_back_to_its_default() {
        let mut f = in_mode(Mode::Wan27T2v);
        f.ratio = Some(Ratio::R21x9); // a HappyHorse ratio
        f.tier = Tier::P720;
        let r = f.validate().unwrap();
        assert_eq!(
            r.output,
            Output::Resolution {
                tier: Tier::P720,
                ratio: Some(Ratio::R16x9)
            }
        );
        assert_eq!(r.output_label(), "1280×720");
        f.ratio = Some(Ratio::R4x3);
        assert_eq!(f.validate().unwrap().output_label(), "1104×832");
        let mut edit = in_mode(Mode::Wan27Edit);
        edit.set_media_text("video", "https://v.example/a.mp4".into());
        let r = edit.validate().unwrap();
        assert_eq!(
            r.output,
            Output::Resolution {
                tier: Tier::P1080,
                ratio: None
            },
            "videoedit follows the input unless a ratio is chosen"
        );
    }

    #[test]
    fn pictures_from_this_computer_go_first_by_hash_and_come_back_on_re_run() {
        let hash = "ab".repeat(32);
        let mut f = in_mode(Mode::Hh11R2v);
        f.add_local_image("reference_image", hash.clone());
        f.add_local_image("reference_image", hash.clone());
        assert_eq!(
            f.local_images("reference_image").len(),
            1,
            "the same picture once"
        );
        f.set_media_text("reference_image", "https://i.example/b.png".into());
        let r = f.validate().unwrap();
        let urls: Vec<&str> = r.media.iter().map(|m| m.url.as_str()).collect();
        assert_eq!(
            urls,
            [format!("local:{hash}").as_str(), "https://i.example/b.png"]
        );
        let back = r.to_form();
        assert_eq!(
            back.local_images("reference_image"),
            std::slice::from_ref(&hash)
        );
        assert_eq!(
            back.media_text("reference_image"),
            "https://i.example/b.png"
        );
        assert!(back.has_local_images());
        f.remove_local_image("reference_image", &hash);
        assert!(!f.has_local_images());
        // A local picture where the model takes public links only (wan2.6-r2v) is refused.
        let mut r2v = in_mode(Mode::Wan26R2v);
        r2v.add_local_image("reference_urls", hash);
        let e = r2v.validate().unwrap_err();
        assert!(e
            .get(Field::Media("reference_urls"))
            .unwrap()
            .en()
            .contains("public"));
    }

    #[test]
    fn references_are_numbered_the_way_each_model_reads_them() {
        let mut r2v = in_mode(Mode::Wan26R2v);
        r2v.set_media_text(
            "reference_urls",
            "https://v.example/a.mp4\n\nhttps://i.example/b.png".into(),
        );
        let tokens: Vec<String> = references(&r2v).into_iter().map(|r| r.token).collect();
        assert_eq!(tokens, ["character1", "character2"]);
        let mut w7 = in_mode(Mode::Wan27References);
        w7.set_media_text("reference_video", "https://v.example/a.mp4".into());
        w7.set_media_text("reference_image", "https://i.example/b.png".into());
        w7.add_local_image("reference_image", "cd".repeat(32));
        let refs = references(&w7);
        let tokens: Vec<&str> = refs.iter().map(|r| r.token.as_str()).collect();
        assert_eq!(tokens, ["图1", "图2", "视频1"]);
        assert!(
            refs[0].source.starts_with("local:"),
            "pictures first, as sent"
        );
        let mut hh = in_mode(Mode::Hh10R2v);
        hh.set_media_text("reference_image", "https://i.example/a.png".into());
        assert_eq!(references(&hh)[0].token, "[Image 1]");
        assert!(references(&in_mode(Mode::Wan27EditWithImages)).is_empty());
    }

    #[test]
    fn a_token_goes_in_at_the_caret_with_spaces_where_needed() {
        assert_eq!(insert_token("", 0, "图1"), ("图1".into(), 2));
        assert_eq!(insert_token("a cat", 5, "图1"), ("a cat 图1".into(), 8));
        assert_eq!(insert_token("a cat", 0, "图1"), ("图1 a cat".into(), 2));
        assert_eq!(insert_token("a  cat", 2, "x"), ("a x cat".into(), 3));
        // UTF-16 positions: the emoji is 2 units.
        assert_eq!(
            insert_token("😀猫", 2, "[Image 1]"),
            ("😀 [Image 1] 猫".into(), 12)
        );
        assert_eq!(insert_token("abc", 99, "x"), ("abc x".into(), 5));
    }

    #[test]
    fn continuing_and_editing_a_take_prefill_wan27_and_follow_it_while_its_video_is_sent() {
        let url = "https://r.example/v.mp4?Expires=1";
        let mut f = FormState::continue_take("t-1", url);
        f.prompt = "then it rains".into();
        let r = f.validate().unwrap();
        assert_eq!(r.mode, Mode::Wan27Continue);
        assert_eq!(r.media_url("first_clip"), Some(url));
        assert_eq!(f.follows(&r).unwrap().id, "t-1");
        assert_eq!(f.follows(&r).unwrap().how, Derivation::Continues);
        // Another link: no longer that take's continuation.
        f.set_media_text("first_clip", "https://other.example/c.mp4".into());
        let r = f.validate().unwrap();
        assert_eq!(f.follows(&r), None);
        let mut e = FormState::edit_take("t-1", url);
        e.prompt = "make it snow".into();
        let r = e.validate().unwrap();
        assert_eq!((r.mode, r.duration), (Mode::Wan27Edit, Some(0)));
        assert_eq!(r.media_url("video"), Some(url));
        assert_eq!(e.follows(&r).unwrap().how, Derivation::Edits);
        let draft: FormState = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(draft, e);
    }
}
