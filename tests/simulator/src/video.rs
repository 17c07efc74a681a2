//! The video download endpoint: an embedded, really playable H.264 MP4 served
//! with byte-range support, behind OSS-like expiry checks.

use crate::server::Reply;
use crate::time::format_utc_iso;

/// The clip served for every succeeded task: H.264 constrained baseline,
/// 320x180, 30 fps, 2 s, faststart, silent AAC (see the README for the
/// ffmpeg command).
pub const CLIP: &[u8] = include_bytes!("../assets/clip.mp4");

/// Outcome of interpreting a `Range` header against a body length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeSpec {
    /// No usable range: send everything (200).
    Full,
    /// Inclusive byte range `start..=end` (206).
    Partial(u64, u64),
    /// The range cannot be satisfied (416).
    Unsatisfiable,
}

/// Interprets a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`). Malformed
/// headers and multi-range requests are ignored (full body), as RFC 9110 allows.
pub fn parse_range(header: Option<&str>, len: u64) -> RangeSpec {
    let Some(h) = header else {
        return RangeSpec::Full;
    };
    let h = h.trim();
    let Some(spec) = h
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case("bytes="))
        .map(|_| h[6..].trim())
    else {
        return RangeSpec::Full;
    };
    if spec.contains(',') {
        return RangeSpec::Full;
    }
    let Some((a, b)) = spec.split_once('-') else {
        return RangeSpec::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    let num = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            None
        } else {
            s.parse().ok()
        }
    };
    match (a.is_empty(), b.is_empty()) {
        (true, true) => RangeSpec::Full,
        (true, false) => match num(b) {
            None => RangeSpec::Full,
            Some(0) => RangeSpec::Unsatisfiable,
            Some(_) if len == 0 => RangeSpec::Unsatisfiable,
            Some(n) => RangeSpec::Partial(len - n.min(len), len - 1),
        },
        (false, _) => {
            let Some(start) = num(a) else {
                return RangeSpec::Full;
            };
            let end = if b.is_empty() {
                len.saturating_sub(1)
            } else {
                match num(b) {
                    Some(e) if e >= start => e.min(len.saturating_sub(1)),
                    _ => return RangeSpec::Full,
                }
            };
            if start >= len {
                RangeSpec::Unsatisfiable
            } else {
                RangeSpec::Partial(start, end)
            }
        }
    }
}

/// Extracts the task id from `/video/<task_id>.mp4`.
pub fn task_id_from_path(path: &str) -> Option<&str> {
    let id = path.strip_prefix("/video/")?.strip_suffix(".mp4")?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

/// Value of query parameter `name` (no percent-decoding; not needed here).
pub fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn oss_error(status: u16, code: &str, message: &str, extra: &str, now_ms: u64) -> Reply {
    let request_id = format!("{:024X}", now_ms as u128 * 0x1_0000 + 0x5157);
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>{code}</Code>\n  <Message>{message}</Message>\n  <RequestId>{request_id}</RequestId>\n  <HostId>dashscope-result-sim.oss-cn-beijing.aliyuncs.com</HostId>\n{extra}</Error>\n"
    );
    Reply::new(status, body.into_bytes())
        .header("Content-Type", "application/xml")
        .header("x-oss-request-id", &request_id)
}

/// OSS-style 403 for a link past its `Expires`.
pub fn expired(expires: u64, now_ms: u64) -> Reply {
    let extra = format!(
        "  <Expires>{}</Expires>\n  <ServerTime>{}</ServerTime>\n",
        format_utc_iso(expires * 1000),
        format_utc_iso(now_ms)
    );
    oss_error(403, "AccessDenied", "Request has expired.", &extra, now_ms)
}

/// OSS-style 403 for a link without a usable `Expires`.
pub fn unsigned(now_ms: u64) -> Reply {
    oss_error(
        403,
        "AccessDenied",
        "You have no right to access this object because of bucket acl.",
        "",
        now_ms,
    )
}

/// OSS-style 404 for an unknown (or not yet produced) video.
pub fn not_found(key: &str, now_ms: u64) -> Reply {
    let extra = format!("  <Key>{key}</Key>\n");
    oss_error(
        404,
        "NoSuchKey",
        "The specified key does not exist.",
        &extra,
        now_ms,
    )
}

/// Serves the clip, honouring `Range`. The body is always attached; for HEAD
/// the HTTP layer sends headers only (with the right Content-Length).
pub fn serve_clip(range: Option<&str>) -> Reply {
    let len = CLIP.len() as u64;
    let reply = match parse_range(range, len) {
        RangeSpec::Full => Reply::new(200, CLIP.to_vec()),
        RangeSpec::Partial(start, end) => {
            Reply::new(206, CLIP[start as usize..=end as usize].to_vec())
                .header("Content-Range", &format!("bytes {start}-{end}/{len}"))
        }
        RangeSpec::Unsatisfiable => {
            return Reply::new(416, Vec::new())
                .header("Content-Range", &format!("bytes */{len}"))
                .header("Accept-Ranges", "bytes");
        }
    };
    reply
        .header("Content-Type", "video/mp4")
        .header("Accept-Ranges", "bytes")
        .header("ETag", &format!("\"sim-clip-{len}\""))
        .header("Last-Modified", "Wed, 11 Feb 2026 05:42:25 GMT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use RangeSpec::*;
        assert_eq!(parse_range(None, 100), Full);
        assert_eq!(parse_range(Some("bytes=0-9"), 100), Partial(0, 9));
        assert_eq!(parse_range(Some("bytes=90-"), 100), Partial(90, 99));
        assert_eq!(parse_range(Some("bytes=90-500"), 100), Partial(90, 99));
        assert_eq!(parse_range(Some("bytes=-10"), 100), Partial(90, 99));
        assert_eq!(parse_range(Some("bytes=-1000"), 100), Partial(0, 99));
        assert_eq!(parse_range(Some("bytes=100-"), 100), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 100), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=5-1"), 100), Full);
        assert_eq!(parse_range(Some("bytes=0-1,5-6"), 100), Full);
        assert_eq!(parse_range(Some("items=0-1"), 100), Full);
        assert_eq!(parse_range(Some("bytes=x-1"), 100), Full);
        assert_eq!(parse_range(Some("BYTES= 0-0"), 100), Partial(0, 0));
    }

    #[test]
    fn paths_and_queries() {
        assert_eq!(task_id_from_path("/video/abc.mp4"), Some("abc"));
        assert_eq!(task_id_from_path("/video/.mp4"), None);
        assert_eq!(task_id_from_path("/video/a/b.mp4"), None);
        assert_eq!(task_id_from_path("/videos/a.mp4"), None);
        let q = "Expires=12&OSSAccessKeyId=LTAI&Signature=a%2Fb%3D";
        assert_eq!(query_param(q, "Expires"), Some("12"));
        assert_eq!(query_param(q, "Signature"), Some("a%2Fb%3D"));
        assert_eq!(query_param(q, "Nope"), None);
    }

    #[test]
    fn clip_is_an_mp4_with_faststart() {
        assert!(CLIP.len() < 40 * 1024);
        assert_eq!(&CLIP[4..8], b"ftyp");
        let ftyp_len = u32::from_be_bytes(CLIP[0..4].try_into().unwrap()) as usize;
        assert_eq!(&CLIP[ftyp_len + 4..ftyp_len + 8], b"moov");
    }
}
