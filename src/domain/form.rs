//! The wan2.6-t2v form (its limits from the model table, [`super::models`]): allowed values, the
//! raw form state a user edits, and validation into a [`VideoRequest`] that is always safe to send
//! (PROTOCOL.md §2).

use serde::{Deserialize, Serialize};

use super::message::Msg;
pub use super::models::{char_count, Size, Tier};
use super::models::{DurationRule, ModeSpec, MODES};

/// The mode this form makes: `wan2.6-t2v`, the table's first entry; its limits come from there.
const T2V: &ModeSpec = &MODES[0];
/// Longest prompt, in Unicode scalar values.
pub const PROMPT_MAX: usize = T2V.prompt.max as usize;
/// Longest negative prompt, in Unicode scalar values.
pub const NEGATIVE_PROMPT_MAX: usize = match T2V.negative_prompt {
    Some(max) => max as usize,
    None => 0,
};
/// Shortest video, longest and default, in seconds.
const DURATIONS: (u8, u8, u8) = match T2V.duration {
    DurationRule::Range {
        min, max, default, ..
    } => (min, max, default),
    _ => panic!("wan2.6-t2v has a duration range"),
};
/// Shortest video, in seconds.
pub const DURATION_MIN: u8 = DURATIONS.0;
/// Longest video, in seconds.
pub const DURATION_MAX: u8 = DURATIONS.1;
/// Default video length, in seconds.
pub const DURATION_DEFAULT: u8 = DURATIONS.2;
/// Largest seed the service accepts (2³¹ − 1).
pub const SEED_MAX: u32 = 2_147_483_647;

/// A size's orientation in words.
pub fn orientation(size: Size) -> Msg {
    let (w, h) = size.dimensions();
    match w.cmp(&h) {
        std::cmp::Ordering::Greater => Msg::new("form.orientation.landscape"),
        std::cmp::Ordering::Less => Msg::new("form.orientation.portrait"),
        std::cmp::Ordering::Equal => Msg::new("form.orientation.square"),
    }
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

/// What the user typed, field by field, before validation. Saved as a draft, so every field is
/// kept as entered (numbers as text) and nothing typed is lost to a failed parse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FormState {
    /// Prompt text.
    pub prompt: String,
    /// Negative prompt text.
    pub negative_prompt: String,
    /// Optional audio URL.
    pub audio_url: String,
    /// Output size.
    pub size: Size,
    /// Duration in seconds, as typed.
    pub duration: String,
    /// Shot type.
    pub shot_type: ShotType,
    /// Prompt extend switch.
    pub prompt_extend: bool,
    /// Watermark switch.
    pub watermark: bool,
    /// Seed as typed; empty means random.
    pub seed: String,
}

impl Default for FormState {
    fn default() -> Self {
        Self {
            prompt: String::new(),
            negative_prompt: String::new(),
            audio_url: String::new(),
            size: Size::default(),
            duration: DURATION_DEFAULT.to_string(),
            shot_type: ShotType::Single,
            prompt_extend: true,
            watermark: false,
            seed: String::new(),
        }
    }
}

/// A validated request: every value is within the service's limits and no combination is
/// silently ineffective.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoRequest {
    /// Prompt, non-blank, at most [`PROMPT_MAX`] characters.
    pub prompt: String,
    /// Negative prompt, omitted when empty.
    pub negative_prompt: Option<String>,
    /// Audio URL (http/https), omitted when empty.
    pub audio_url: Option<String>,
    /// Output size.
    pub size: Size,
    /// Seconds, 2–15.
    pub duration: u8,
    /// Shot type; `Multi` only with `prompt_extend`.
    pub shot_type: ShotType,
    /// Prompt extend.
    pub prompt_extend: bool,
    /// Watermark.
    pub watermark: bool,
    /// Seed, or `None` for random.
    pub seed: Option<u32>,
}

impl VideoRequest {
    /// Turns a request back into a form (for "re-run with these settings").
    pub fn to_form(&self) -> FormState {
        FormState {
            prompt: self.prompt.clone(),
            negative_prompt: self.negative_prompt.clone().unwrap_or_default(),
            audio_url: self.audio_url.clone().unwrap_or_default(),
            size: self.size,
            duration: self.duration.to_string(),
            shot_type: self.shot_type,
            prompt_extend: self.prompt_extend,
            watermark: self.watermark,
            seed: self.seed.map(|s| s.to_string()).unwrap_or_default(),
        }
    }
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
    /// Every field, in form order.
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

/// Checks the prompt (also used live while typing).
pub fn check_prompt(prompt: &str) -> Option<Msg> {
    let n = char_count(prompt);
    if is_blank(prompt) {
        Some(Msg::new("form.error.prompt_empty"))
    } else if n > PROMPT_MAX {
        Some(
            Msg::new("form.error.prompt_long")
                .with("n", n.to_string())
                .with("max", PROMPT_MAX.to_string())
                .with("over", (n - PROMPT_MAX).to_string()),
        )
    } else {
        None
    }
}

/// Checks the negative prompt.
pub fn check_negative_prompt(negative: &str) -> Option<Msg> {
    let n = char_count(negative);
    (n > NEGATIVE_PROMPT_MAX).then(|| {
        Msg::new("form.error.negative_long")
            .with("n", n.to_string())
            .with("max", NEGATIVE_PROMPT_MAX.to_string())
            .with("over", (n - NEGATIVE_PROMPT_MAX).to_string())
    })
}

/// Checks an audio URL: empty is fine, otherwise an absolute `http`/`https` URL with a host and
/// no spaces.
pub fn check_audio_url(url: &str) -> Option<Msg> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let ok = match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(char::is_whitespace)
        }
        None => false,
    };
    (!ok).then(|| Msg::new("form.error.audio_url"))
}

/// Parses the duration field.
pub fn parse_duration(text: &str) -> Result<u8, Msg> {
    let bad = || {
        Msg::new("form.error.duration")
            .with("min", DURATION_MIN.to_string())
            .with("max", DURATION_MAX.to_string())
    };
    let text = text.trim();
    match text.parse::<u8>() {
        Ok(d)
            if text.bytes().all(|b| b.is_ascii_digit())
                && (DURATION_MIN..=DURATION_MAX).contains(&d) =>
        {
            Ok(d)
        }
        _ => Err(bad()),
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

impl FormState {
    /// Validates every field; on success returns the request to send.
    pub fn validate(&self) -> Result<VideoRequest, FieldErrors> {
        let mut errors = Vec::new();
        if let Some(e) = check_prompt(&self.prompt) {
            errors.push((Field::Prompt, e));
        }
        if let Some(e) = check_negative_prompt(&self.negative_prompt) {
            errors.push((Field::NegativePrompt, e));
        }
        if let Some(e) = check_audio_url(&self.audio_url) {
            errors.push((Field::AudioUrl, e));
        }
        let duration = parse_duration(&self.duration)
            .map_err(|e| errors.push((Field::Duration, e)))
            .ok();
        if self.shot_type == ShotType::Multi && !self.prompt_extend {
            errors.push((Field::ShotType, multi_shot_needs_extend()));
        }
        let seed = parse_seed(&self.seed)
            .map_err(|e| errors.push((Field::Seed, e)))
            .ok();
        match (errors.is_empty(), duration, seed) {
            (true, Some(duration), Some(seed)) => Ok(VideoRequest {
                prompt: self.prompt.clone(),
                negative_prompt: non_empty(&self.negative_prompt),
                audio_url: non_empty(self.audio_url.trim()),
                size: self.size,
                duration,
                shot_type: self.shot_type,
                prompt_extend: self.prompt_extend,
                watermark: self.watermark,
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
    let mut live = Vec::new();
    if char_count(&form.prompt) > PROMPT_MAX {
        live.extend(check_prompt(&form.prompt).map(|e| (Field::Prompt, e)));
    }
    live.extend(check_negative_prompt(&form.negative_prompt).map(|e| (Field::NegativePrompt, e)));
    FieldErrors(live)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> FormState {
        FormState {
            prompt: "a cat general on a cliff".into(),
            ..FormState::default()
        }
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
        let err = check_prompt(&"猫".repeat(1501)).unwrap();
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
            f.validate().unwrap().audio_url.as_deref(),
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
            assert_eq!(parse_duration(text).ok(), want, "{text:?}");
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
        assert_eq!(f.validate().unwrap().shot_type, ShotType::Multi);
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
        assert_eq!(r.audio_url, None);
        assert_eq!(r.seed, Some(666));
        assert_eq!(r.duration, 10);
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
            prompt: "x".repeat(PROMPT_MAX + 1),
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
            negative_prompt: "x".repeat(NEGATIVE_PROMPT_MAX + 1),
            ..FormState::default()
        };
        assert!(shown_errors(&negative, false)
            .get(Field::NegativePrompt)
            .is_some());
    }
}
