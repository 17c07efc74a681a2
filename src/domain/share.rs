//! Share links: the form's settings in the URL fragment (`#share=1.<base64url>`), compact, safe
//! in chat apps (only `A–Z a–z 0–9 - _ .`), versioned, and never carrying an API key.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::form::{FormState, MediaText, ShotType, Size, Tier};
use super::message::Msg;
use super::models::{Mode, Ratio};
use super::request::AudioSetting;

/// The fragment key: `#share=…`.
pub const FRAGMENT_KEY: &str = "share=";
/// The version written for a wan2.6-t2v form (what every build reads).
pub const SHARE_VERSION: u32 = 1;
/// The version written for any other mode: a build that knows only wan2.6-t2v says the link is
/// newer instead of opening it as a wan2.6-t2v form.
pub const SHARE_VERSION_MODES: u32 = 2;

/// Versions 1 and 2: short field names; empty texts and default switches left out. Version 2 adds
/// the mode and its fields.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct V1 {
    #[serde(skip_serializing_if = "Option::is_none")]
    m: Option<Mode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    u: Vec<MediaText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    z: Option<Tier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    o: Option<Ratio>,
    #[serde(skip_serializing_if = "Option::is_none")]
    g: Option<AudioSetting>,
    #[serde(skip_serializing_if = "String::is_empty")]
    p: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    n: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    a: String,
    s: String,
    d: String,
    t: String,
    e: bool,
    w: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    r: String,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    v: std::collections::BTreeMap<String, String>,
}

/// True for text that contains something shaped like an API key (`sk-` + a long token).
pub fn looks_like_key(text: &str) -> bool {
    text.match_indices("sk-").any(|(i, _)| {
        text[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count()
            >= 20
    })
}

/// Builds the fragment (without `#`) for a form, or refuses when a field looks like a key.
pub fn encode(form: &FormState) -> Result<String, Msg> {
    let fields = [
        &form.prompt,
        &form.negative_prompt,
        &form.audio_url,
        &form.seed,
    ];
    let media = form.media.iter().map(|m| &m.text);
    let voices = form.voices.iter().flat_map(|(k, v)| [k, v]);
    if fields
        .into_iter()
        .chain(media)
        .chain(voices)
        .any(|f| looks_like_key(f))
    {
        return Err(Msg::new("share.error.has_key"));
    }
    // A picture from this computer travels as a data: URL, too big for a link (and not the
    // sharer's to publish by accident): the link carries links only.
    if form.has_local_images()
        || form
            .media
            .iter()
            .any(|m| m.text.to_ascii_lowercase().contains("data:"))
    {
        return Err(Msg::new("share.error.local_media"));
    }
    let modes = form.mode != Mode::Wan26T2v;
    let v1 = V1 {
        m: modes.then_some(form.mode),
        u: if modes {
            form.media
                .iter()
                .filter(|m| !m.text.trim().is_empty())
                .cloned()
                .collect()
        } else {
            Vec::new()
        },
        z: modes.then_some(form.tier),
        o: form.ratio.filter(|_| modes),
        g: modes.then_some(form.audio_setting),
        p: form.prompt.clone(),
        n: form.negative_prompt.clone(),
        a: form.audio_url.clone(),
        s: form.size.wire(),
        d: form.duration.clone(),
        t: form.shot_type.wire().into(),
        e: form.prompt_extend,
        w: form.watermark,
        r: form.seed.clone(),
        // Only the voices of references the link carries.
        v: if modes {
            form.voices
                .iter()
                .filter(|(k, v)| {
                    !v.trim().is_empty()
                        && form
                            .media
                            .iter()
                            .any(|m| m.text.lines().any(|l| l.trim() == k.as_str()))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        } else {
            Default::default()
        },
    };
    let json = crate::json::to_string(&v1).map_err(|_| damaged())?;
    let version = if modes {
        SHARE_VERSION_MODES
    } else {
        SHARE_VERSION
    };
    Ok(format!(
        "{FRAGMENT_KEY}{version}.{}",
        URL_SAFE_NO_PAD.encode(json)
    ))
}

fn damaged() -> Msg {
    Msg::new("share.error.damaged")
}

/// Reads a fragment (with or without `#`). `Ok(None)` when it is not a share link.
pub fn decode(fragment: &str) -> Result<Option<FormState>, Msg> {
    let Some(payload) = fragment.trim_start_matches('#').strip_prefix(FRAGMENT_KEY) else {
        return Ok(None);
    };
    let (version, data) = payload.split_once('.').ok_or_else(damaged)?;
    match version {
        "1" | "2" => {
            let bytes = URL_SAFE_NO_PAD
                .decode(data.trim_end_matches('='))
                .map_err(|_| damaged())?;
            // As text, not bytes: the one JSON reader the rest of the page uses (a second reader
            // type would be a second copy of the parser in the wasm).
            let text = String::from_utf8(bytes).map_err(|_| damaged())?;
            let v: V1 = crate::json::from_str(&text).map_err(|_| damaged())?;
            let defaults = FormState::default();
            Ok(Some(FormState {
                mode: v.m.unwrap_or_default(),
                media: v.u,
                tier: v.z.unwrap_or(defaults.tier),
                ratio: v.o,
                audio_setting: v.g.unwrap_or_default(),
                prompt: v.p,
                negative_prompt: v.n,
                audio_url: v.a,
                size: Size::from_wire(&v.s).unwrap_or(defaults.size),
                duration: if v.d.is_empty() {
                    defaults.duration
                } else {
                    v.d
                },
                shot_type: ShotType::from_wire(&v.t).unwrap_or(defaults.shot_type),
                prompt_extend: v.e,
                watermark: v.w,
                seed: v.r,
                voices: v.v,
                // A shared link is a new take of its own.
                from_take: None,
            }))
        }
        _ => Err(Msg::new("share.error.newer")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FormState {
        FormState {
            prompt: "一只小猫将军 \"quotes\" & <b>tags</b> 😀\nline two".into(),
            negative_prompt: "低分辨率".into(),
            audio_url: "https://example.com/a%20b.mp3?x=1&y=2".into(),
            size: Size::S832x1088,
            duration: "12".into(),
            shot_type: ShotType::Multi,
            prompt_extend: true,
            watermark: true,
            seed: "666".into(),
            ..FormState::default()
        }
    }

    #[test]
    fn a_mode_and_its_links_travel_and_local_pictures_do_not() {
        let mut form = FormState {
            mode: Mode::Wan27FirstLast,
            prompt: "a door opens".into(),
            tier: Tier::P720,
            ratio: Some(Ratio::R4x3),
            audio_setting: AudioSetting::Origin,
            ..FormState::default()
        };
        form.set_media_text("first_frame", "https://i.example/a.png".into());
        form.set_media_text("last_frame", "https://i.example/b.png".into());
        let frag = encode(&form).unwrap();
        assert!(frag.starts_with("share=2."), "{frag}");
        assert_eq!(decode(&frag).unwrap(), Some(form.clone()));
        let mut local = form.clone();
        local.add_local_image("first_frame", "ab".repeat(32));
        assert!(encode(&local).unwrap_err().en().contains("computer"));
        form.set_media_text("last_frame", "data:image/png;base64,AAAA".into());
        let err = encode(&form).unwrap_err();
        assert!(
            err.en().contains("computer") && !err.zh().is_empty(),
            "{}",
            err.en()
        );
        form.set_media_text(
            "last_frame",
            "https://i.example/sk-abcdefghijklmnopqrstuvwxyz0123456789".into(),
        );
        assert!(encode(&form).unwrap_err().en().contains("API key"));
    }

    #[test]
    fn voices_travel_with_their_references() {
        let mut form = FormState {
            mode: Mode::Wan27References,
            prompt: "图1 sings".into(),
            ..FormState::default()
        };
        form.set_media_text("reference_image", "https://i.example/a.png".into());
        form.set_voice("https://i.example/a.png", "https://i.example/a.mp3".into());
        form.set_voice(
            "https://i.example/gone.png",
            "https://i.example/g.mp3".into(),
        );
        let back = decode(&encode(&form).unwrap()).unwrap().unwrap();
        assert_eq!(
            back.voice("https://i.example/a.png"),
            "https://i.example/a.mp3"
        );
        assert_eq!(
            back.voices.len(),
            1,
            "only the voices of references the link carries"
        );
        form.set_voice(
            "https://i.example/a.png",
            "https://i.example/sk-abcdefghijklmnopqrstuvwxyz0123456789.mp3".into(),
        );
        assert!(encode(&form).unwrap_err().en().contains("API key"));
    }

    #[test]
    fn round_trips_every_field() {
        for form in [
            sample(),
            FormState::default(),
            FormState {
                prompt: "x".repeat(1500),
                ..FormState::default()
            },
        ] {
            let frag = encode(&form).unwrap();
            assert_eq!(decode(&frag).unwrap(), Some(form.clone()));
            assert_eq!(decode(&format!("#{frag}")).unwrap(), Some(form));
        }
    }

    #[test]
    fn links_use_only_chat_safe_characters() {
        let frag = encode(&sample()).unwrap();
        assert!(frag.starts_with("share=1."));
        assert!(
            frag["share=".len()..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'),
            "{frag}"
        );
    }

    #[test]
    fn keys_are_refused() {
        let key = "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL";
        for field in 0..4 {
            let mut f = sample();
            let slot = match field {
                0 => &mut f.prompt,
                1 => &mut f.negative_prompt,
                2 => &mut f.audio_url,
                _ => &mut f.seed,
            };
            slot.push_str(&format!(" {key}"));
            let err = encode(&f).unwrap_err();
            assert!(err.en().contains("API key") && err.zh().contains("密钥"));
        }
        assert!(looks_like_key(key));
        assert!(!looks_like_key("ask-me about sk-short"));
        assert!(!looks_like_key("risk-free"));
    }

    #[test]
    fn damaged_foreign_and_newer_links_are_explained() {
        assert_eq!(decode("").unwrap(), None);
        assert_eq!(decode("#section-2").unwrap(), None);
        let frag = encode(&sample()).unwrap();
        let cut = &frag[..frag.len() / 2];
        assert!(decode(cut).unwrap_err().en().contains("damaged"));
        assert!(decode("share=1.!!!").is_err());
        assert!(decode("share=nodot").is_err());
        assert!(decode("share=9.abc")
            .unwrap_err()
            .en()
            .contains("newer version"));
        // Unknown sizes or shot types fall back to defaults instead of failing.
        let odd = format!(
            "share=1.{}",
            URL_SAFE_NO_PAD.encode(br#"{"p":"hi","s":"1*1","t":"zoom","d":"","e":true}"#)
        );
        let f = decode(&odd).unwrap().unwrap();
        assert_eq!(
            (f.prompt.as_str(), f.size, f.shot_type, f.duration.as_str()),
            ("hi", Size::S1920x1080, ShotType::Single, "5")
        );
    }
}
