//! Pictures from the user's own machine: what to do with one before it is sent, decided from its
//! format, pixel size, bytes and whether it has an alpha channel, against the limits of the input
//! it goes to (`models::MediaLimits`). The browser decodes, scales and re-encodes (its own
//! `createImageBitmap` and canvas); this module only decides, so every rule is tested natively.

use super::message::Msg;
use super::models::{Format, MediaLimits};

/// The prefix of a media URL that names a picture kept in this browser by its content hash
/// (`local:<sha-256 hex>`); it becomes a `data:` URL only when the request is sent.
pub const LOCAL_PREFIX: &str = "local:";

/// The hash of a `local:` URL, if it is one.
pub fn local_hash(url: &str) -> Option<&str> {
    url.strip_prefix(LOCAL_PREFIX)
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Every `local:<hash>` named anywhere in `text` (a stored record's JSON, even one that no longer
/// reads), in order, repeats removed: the pictures it may still need.
pub fn hashes_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (at, _) in text.match_indices(LOCAL_PREFIX) {
        let rest = &text[at..];
        let end = (LOCAL_PREFIX.len() + 64).min(rest.len());
        if let Some(hash) = rest.get(..end).and_then(local_hash) {
            let hash = hash.to_ascii_lowercase();
            if !found.contains(&hash) {
                found.push(hash);
            }
        }
    }
    found
}

/// Largest number of re-encodings tried to get under an input's byte limit.
pub const MAX_ATTEMPTS: u8 = 6;

/// What to do with a picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Width to send.
    pub width: u32,
    /// Height to send.
    pub height: u32,
    /// The format to re-encode to; `None`: send the file as it is.
    pub encode: Option<Format>,
    /// Paint it over white first (its alpha channel is refused).
    pub flatten: bool,
    /// The JPEG quality to ask for, in hundredths.
    pub quality: u8,
}

/// Why a picture cannot be used.
fn too_small(width: u32, height: u32, min: u16) -> Msg {
    Msg::new("form.error.image_small")
        .with("size", format!("{width}×{height}"))
        .with("min", min.to_string())
}

/// Whether a file's first bytes say it has an alpha channel: a PNG of colour type 4 or 6 or with a
/// `tRNS` chunk, a WebP with its alpha flag, any GIF (it may have a transparent colour). Other
/// formats (JPEG, BMP as the browser encodes it) have none.
pub fn has_alpha(head: &[u8]) -> bool {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        if matches!(head.get(25), Some(4 | 6)) {
            return true;
        }
        // Chunks after IHDR, up to the image data: a tRNS chunk makes a colour transparent.
        let mut at = 8usize;
        while let Some(chunk) = head.get(at..at + 8) {
            let len = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]) as usize;
            match &chunk[4..8] {
                b"tRNS" => return true,
                b"IDAT" | b"IEND" => return false,
                _ => at = at.saturating_add(12).saturating_add(len),
            }
        }
        return false;
    }
    if head.starts_with(b"GIF8") {
        return true;
    }
    if head.len() >= 30 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return match &head[12..16] {
            b"VP8X" => head[20] & 0x10 != 0,
            // Lossless: the "alpha is used" bit follows the 14-bit width and height.
            b"VP8L" => head[24] & 0x10 != 0,
            _ => false,
        };
    }
    false
}

/// The format of a file from its MIME type, as far as the inputs know it.
pub fn source_format(mime: &str) -> Option<Format> {
    Format::from_mime(mime).filter(|f| f.mime().starts_with("image/"))
}

/// Decides what to do with a `width`×`height` picture of `bytes` bytes in `source` format (`None`:
/// a format no input takes, such as GIF or AVIF), `alpha` when it has an alpha channel, for an
/// input with `limits`: refused when too small or too elongated; scaled down to the longest side
/// allowed; flattened over white where alpha is refused; re-encoded where the format is not
/// taken, something changed, or it is over the byte limit.
pub fn plan(
    limits: &MediaLimits,
    source: Option<Format>,
    width: u32,
    height: u32,
    bytes: u64,
    alpha: bool,
) -> Result<Plan, Msg> {
    if width == 0 || height == 0 {
        return Err(Msg::new("form.error.not_image"));
    }
    let (short, long) = (width.min(height), width.max(height));
    if short < u32::from(limits.min_side) {
        return Err(too_small(width, height, limits.min_side));
    }
    if let Some(tenths) = limits.max_aspect_tenths {
        if u64::from(long) * 10 > u64::from(short) * u64::from(tenths) {
            return Err(Msg::new("form.error.image_aspect")
                .with("size", format!("{width}×{height}"))
                .with("ratio", aspect_words(tenths)));
        }
    }
    let (mut w, mut h) = (width, height);
    if let Some(max) = limits.max_side.map(u32::from) {
        if long > max {
            // Round to the nearest pixel, keeping the long side exactly at the limit.
            let scale = |side: u32| {
                ((u64::from(side) * u64::from(max) + u64::from(long) / 2) / u64::from(long)) as u32
            };
            (w, h) = (scale(width).max(1), scale(height).max(1));
            if w.min(h) < u32::from(limits.min_side) {
                return Err(Msg::new("form.error.image_fit")
                    .with("size", format!("{width}×{height}"))
                    .with("max", max.to_string())
                    .with("min", limits.min_side.to_string()));
            }
        }
    }
    let flatten = alpha && !limits.alpha;
    let taken = source.is_some_and(|f| limits.formats.contains(&f));
    let scaled = (w, h) != (width, height);
    let over = bytes > u64::from(limits.max_bytes);
    let encode = if !taken || scaled || flatten || over {
        // Keep a picture's transparency where it is allowed and PNG is taken; JPEG otherwise
        // (every image input takes it, and it is the smallest for photographs).
        let png = alpha && !flatten && limits.formats.contains(&Format::Png);
        Some(if png { Format::Png } else { Format::Jpeg })
    } else {
        None
    };
    Ok(Plan {
        width: w,
        height: h,
        encode,
        flatten,
        quality: 92,
    })
}

/// "1:8 to 8:1" from tenths (`80`), "1:2.5 to 2.5:1" (`25`).
fn aspect_words(tenths: u16) -> String {
    let n = if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    format!("1:{n} – {n}:1")
}

/// The next attempt after an encoding of `plan` came out at `bytes`, over `limits.max_bytes`: a
/// lower quality first (JPEG), then smaller sides (never under the input's smallest side). `None`
/// when nothing smaller is allowed.
pub fn shrink(limits: &MediaLimits, plan: &Plan, bytes: u64) -> Option<Plan> {
    if bytes <= u64::from(limits.max_bytes) {
        return Some(*plan);
    }
    let mut next = *plan;
    if next.encode == Some(Format::Jpeg) && next.quality > 75 {
        next.quality = 75;
        return Some(next);
    }
    next.width = next.width * 4 / 5;
    next.height = next.height * 4 / 5;
    next.encode = Some(next.encode.unwrap_or(Format::Jpeg));
    (next.width.min(next.height) >= u32::from(limits.min_side).max(1)).then_some(next)
}

/// `1.2 MB`, `340 KB` (decimal, as the pages' limits are read).
pub fn bytes_text(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        let tenths = (bytes + 50_000_000) / 100_000_000;
        format!("{}.{} GB", tenths / 10, tenths % 10)
    } else if bytes >= 1_000_000 {
        let tenths = (bytes + 50_000) / 100_000;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::models::{Mode, MODES};

    #[test]
    fn hashes_are_found_in_any_text() {
        let a = "a".repeat(64);
        let b = "B".repeat(64);
        let text = format!(
            r#"{{"media":[{{"url":"local:{a}"}},{{"url":"local:{b}"}},{{"url":"local:{a}"}}],"x":"local:12","y":"local:"}}"#
        );
        assert_eq!(hashes_in(&text), vec![a, b.to_ascii_lowercase()]);
        assert!(hashes_in("https://example.com/local:abc").is_empty());
        // A cut record still names what it held whole.
        assert!(hashes_in(&format!("{{\"url\":\"local:{}", &"c".repeat(63))).is_empty());
    }

    fn limits(mode: Mode, slot: &str) -> MediaLimits {
        mode.spec().slot(slot).unwrap().limits
    }

    #[test]
    fn alpha_is_read_from_the_file_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
        assert!(has_alpha(&png), "colour type 6: RGBA");
        png[25] = 2;
        assert!(!has_alpha(&png), "RGB");
        // An RGB PNG with a transparent colour (tRNS) before its data.
        png.extend_from_slice(&[0, 0, 0, 0]); // IHDR's CRC
        let plain = png.clone();
        png.extend_from_slice(b"\0\0\0\x06tRNS\0\0\0\0\0\0\0\0\0\0");
        assert!(has_alpha(&png));
        let mut with_data = plain;
        with_data.extend_from_slice(b"\0\0\0\x02IDAT\0\0\0\0\0\0\0\0\0\x06tRNS");
        assert!(
            !has_alpha(&with_data),
            "a tRNS after the data does not count"
        );
        assert!(has_alpha(b"GIF89a"));
        assert!(!has_alpha(b"\xff\xd8\xff\xe0"), "JPEG");
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x10\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
        assert!(has_alpha(&webp));
        webp[20] = 0;
        assert!(!has_alpha(&webp));
        assert!(!has_alpha(b""));
    }

    #[test]
    fn a_picture_within_limits_goes_as_it_is() {
        let l = limits(Mode::Wan26I2v, "img_url");
        let p = plan(&l, Some(Format::Jpeg), 1280, 720, 400_000, false).unwrap();
        assert_eq!(
            (p.width, p.height, p.encode, p.flatten),
            (1280, 720, None, false)
        );
    }

    #[test]
    fn a_large_photo_is_scaled_to_the_longest_side_and_re_encoded() {
        // wan2.6-i2v: 360–2000 px.
        let l = limits(Mode::Wan26I2v, "img_url");
        let p = plan(&l, Some(Format::Jpeg), 4000, 3000, 3_000_000, false).unwrap();
        assert_eq!(
            (p.width, p.height, p.encode),
            (2000, 1500, Some(Format::Jpeg))
        );
        let p = plan(&l, Some(Format::Jpeg), 3001, 2000, 3_000_000, false).unwrap();
        assert_eq!((p.width, p.height), (2000, 1333));
        // Too heavy but not too large: re-encoded at the same size.
        let p = plan(&l, Some(Format::Png), 1800, 1200, 12_000_000, false).unwrap();
        assert_eq!(
            (p.width, p.height, p.encode),
            (1800, 1200, Some(Format::Jpeg))
        );
    }

    #[test]
    fn transparency_is_flattened_where_refused_and_kept_where_allowed() {
        let wan = limits(Mode::Wan27FirstFrame, "first_frame");
        let p = plan(&wan, Some(Format::Png), 800, 800, 100_000, true).unwrap();
        assert!(p.flatten);
        assert_eq!(p.encode, Some(Format::Jpeg));
        let hh = limits(Mode::Hh11I2v, "first_frame");
        let p = plan(&hh, Some(Format::Png), 800, 800, 100_000, true).unwrap();
        assert!(!p.flatten);
        assert_eq!(
            p.encode, None,
            "HappyHorse keeps a transparent PNG as it is"
        );
    }

    #[test]
    fn formats_no_input_takes_are_re_encoded() {
        let wan = limits(Mode::Wan27FirstFrame, "first_frame");
        let gif = plan(&wan, None, 800, 600, 50_000, true).unwrap();
        assert_eq!((gif.encode, gif.flatten), (Some(Format::Jpeg), true));
        // BMP is a Wan format but not a HappyHorse one.
        let hh = limits(Mode::Hh11I2v, "first_frame");
        let bmp = plan(&hh, Some(Format::Bmp), 800, 600, 50_000, false).unwrap();
        assert_eq!(bmp.encode, Some(Format::Jpeg));
        assert_eq!(source_format("image/jpg"), Some(Format::Jpeg));
        assert_eq!(source_format("video/mp4"), None);
    }

    #[test]
    fn too_small_and_too_elongated_pictures_are_refused_with_their_size() {
        let l = limits(Mode::Wan26I2v, "img_url");
        let e = plan(&l, Some(Format::Png), 300, 200, 1_000, false).unwrap_err();
        assert!(
            e.en().contains("300×200") && e.en().contains("360"),
            "{}",
            e.en()
        );
        assert!(e.zh().contains("360"));
        let w7 = limits(Mode::Wan27FirstFrame, "first_frame");
        let e = plan(&w7, Some(Format::Png), 8000, 900, 1_000, false).unwrap_err();
        assert!(e.en().contains("1:8"), "{}", e.en());
        assert!(plan(&w7, Some(Format::Png), 7200, 900, 1_000, false).is_ok());
        assert!(plan(&l, Some(Format::Png), 0, 10, 1, false).is_err());
    }

    #[test]
    fn shrinking_lowers_quality_then_size_and_stops_at_the_smallest_side() {
        let l = limits(Mode::Wan26I2v, "img_url");
        let p = plan(&l, Some(Format::Jpeg), 2000, 1500, 11_000_000, false).unwrap();
        let q = shrink(&l, &p, 11_000_000).unwrap();
        assert_eq!((q.quality, q.width), (75, 2000));
        let s = shrink(&l, &q, 11_000_000).unwrap();
        assert_eq!((s.width, s.height), (1600, 1200));
        assert_eq!(shrink(&l, &s, 1_000), Some(s), "under the limit: done");
        let tiny = Plan {
            width: 400,
            height: 380,
            ..s
        };
        assert_eq!(shrink(&l, &tiny, 11_000_000), None);
    }

    #[test]
    fn local_urls_carry_a_sha256_and_nothing_else() {
        let h = "a".repeat(64);
        assert_eq!(local_hash(&format!("local:{h}")), Some(h.as_str()));
        assert_eq!(local_hash("local:abc"), None);
        assert_eq!(local_hash(&format!("local:{}", "g".repeat(64))), None);
        assert_eq!(local_hash("https://x"), None);
        assert_eq!(bytes_text(1_234_567), "1.2 MB");
        assert_eq!(bytes_text(340_001), "341 KB");
        // Every image input that takes a local picture takes JPEG.
        for spec in &MODES {
            for slot in spec.slots.iter().filter(|s| s.data_url) {
                assert!(
                    slot.limits.formats.contains(&Format::Jpeg),
                    "{:?}",
                    spec.mode
                );
            }
        }
    }
}
