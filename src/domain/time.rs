//! Time: the service's China-time timestamps, signed-link expiry, and durations in words.

use super::message::Msg;

/// Reads a time in ms from any JSON number, brought into `i64`'s range (fractions dropped): a
/// file may hold one written as a float (`1e18`), and in the page the browser's JSON reader hands
/// every number over as a double, exact only up to 2^53, which an integer reader would refuse.
/// What the time means is checked afterwards (e.g. [`super::history::admit_imported`]).
pub fn lenient_ms<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    struct Ms;
    impl serde::de::Visitor<'_> for Ms {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a time in milliseconds")
        }
        fn visit_i64<E>(self, v: i64) -> Result<i64, E> {
            Ok(v)
        }
        fn visit_u64<E>(self, v: u64) -> Result<i64, E> {
            Ok(i64::try_from(v).unwrap_or(i64::MAX))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<i64, E> {
            if v.is_nan() {
                return Err(E::invalid_type(serde::de::Unexpected::Float(v), &self));
            }
            // `as` saturates at i64's bounds.
            Ok(v as i64)
        }
    }
    d.deserialize_any(Ms)
}

/// [`lenient_ms`] for an optional time (`null` or absent: none).
pub fn lenient_ms_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Ms(#[serde(deserialize_with = "lenient_ms")] i64);
    Ok(<Option<Ms> as serde::Deserialize>::deserialize(d)?.map(|m| m.0))
}

/// Offset of the service's timestamps (China Standard Time, UTC+8), in milliseconds.
const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

/// Parses a service timestamp such as `2026-02-11 13:42:25.332` (China time, no zone) into
/// milliseconds since the Unix epoch.
pub fn parse_china_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_once([' ', 'T'])?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, mo, da) = (d.next()??, d.next()??, d.next()??);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (h, mi, s) = (t.next()??, t.next()??, t.next()??);
    // Years outside 2000–2100 are a relay's nonsense (2999, -1e15…), not a task's time.
    if !(2000..=2100).contains(&y)
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&da)
        || h > 23
        || mi > 59
        || s > 60
    {
        return None;
    }
    let ms = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(3).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        format!("{digits:0<3}").parse::<i64>().ok()?
    };
    let days = days_from_civil(y, mo, da);
    Some(((days * 86_400 + h * 3_600 + mi * 60 + s) * 1_000 + ms) - CHINA_OFFSET_MS)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads the `Expires` query parameter (Unix seconds) of a signed video URL, in milliseconds.
pub fn link_expiry_ms(url: &str) -> Option<i64> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "Expires")
        .and_then(|(_, v)| v.parse::<i64>().ok())
        .map(|secs| secs * 1_000)
}

/// A clock duration for elapsed time: `0:07`, `4:58`, `1:02:03`.
pub fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1_000;
    let (h, m, s) = (s / 3_600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A rounded duration in words, e.g. `4 min 58 s`, `23 h 59 min`.
pub fn span(ms: i64) -> Msg {
    let s = ms.max(0) / 1_000;
    let (h, m, sec) = (s / 3_600, (s / 60) % 60, s % 60);
    if h > 0 {
        Msg::new("time.span_h")
            .with("h", h.to_string())
            .with("m", m.to_string())
    } else if m > 0 {
        Msg::new("time.span_m")
            .with("m", m.to_string())
            .with("s", sec.to_string())
    } else {
        Msg::new("time.span_s").with("s", sec.to_string())
    }
}

/// How long until a signed link expires, or that it has expired.
pub fn expiry_text(expires_ms: i64, now_ms: i64) -> Msg {
    let left = expires_ms - now_ms;
    if left <= 0 {
        Msg::new("time.link_expired")
    } else {
        let s = span(left);
        Msg::new("time.link_expires").with("span", &s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_from_any_number_and_brought_into_range() {
        #[derive(serde::Deserialize)]
        struct T {
            #[serde(deserialize_with = "lenient_ms")]
            at: i64,
            #[serde(default, deserialize_with = "lenient_ms_opt")]
            end: Option<i64>,
        }
        let read = |text: &str| serde_json::from_str::<T>(text).map(|t| (t.at, t.end));
        assert_eq!(
            read(r#"{"at":1770788545332}"#).unwrap(),
            (1_770_788_545_332, None)
        );
        assert_eq!(
            read(r#"{"at":1e18,"end":null}"#).unwrap(),
            (1_000_000_000_000_000_000, None)
        );
        assert_eq!(
            read(r#"{"at":-9.2e18,"end":7.9}"#).unwrap(),
            (-9_200_000_000_000_000_000, Some(7))
        );
        assert_eq!(read(r#"{"at":1e300}"#).unwrap().0, i64::MAX);
        assert_eq!(read(r#"{"at":18446744073709551615}"#).unwrap().0, i64::MAX);
        assert_eq!(read(r#"{"at":-1e300}"#).unwrap().0, i64::MIN);
        for bad in [
            r#"{"at":"1"}"#,
            r#"{"at":null}"#,
            r#"{}"#,
            r#"{"at":1,"end":"x"}"#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn china_time_is_utc_plus_8() {
        // 2026-02-11 13:42:25.332 +08:00 == 2026-02-11T05:42:25.332Z == 1770788545332
        assert_eq!(
            parse_china_time("2026-02-11 13:42:25.332"),
            Some(1_770_788_545_332)
        );
        assert_eq!(
            parse_china_time("2000-01-01 08:00:00"),
            Some(946_684_800_000)
        );
        assert_eq!(
            parse_china_time("2026-02-11 13:42:25.3"),
            Some(1_770_788_545_300)
        );
        assert!(parse_china_time("2024-02-29 00:00:00.000").is_some());
        for bad in [
            "",
            "2026-02-11",
            "2026-13-01 00:00:00",
            "x-y-z 1:2:3",
            "2026-02-11 25:00:00",
            "2026-02-11 13:42:25.3a",
            "2999-01-01 00:00:00",
            "1970-01-01 08:00:00",
            "-1000000000000000-01-01 00:00:00",
            "99999999999999999999-01-01 00:00:00",
        ] {
            assert_eq!(parse_china_time(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn fixture_expires_is_end_time_plus_24h() {
        let url =
            "https://x.aliyuncs.com/a.mp4?Expires=1770874935&OSSAccessKeyId=LTAI&Signature=e%2F";
        let expires = link_expiry_ms(url).unwrap();
        let end = parse_china_time("2026-02-11 13:42:25.332").unwrap();
        let diff = expires - end;
        // The fixture is 10 s short of exactly 24 h; within a minute proves the UTC+8 reading.
        assert!((diff - 86_400_000).abs() < 60_000, "{diff}");
        assert_eq!(link_expiry_ms("https://x/a.mp4"), None);
        assert_eq!(link_expiry_ms("https://x/a.mp4?Expires=abc"), None);
        assert_eq!(
            link_expiry_ms("https://x/a.mp4?a=1&Expires=5#f"),
            Some(5_000)
        );
    }

    #[test]
    fn durations_in_words() {
        assert_eq!(clock(7_400), "0:07");
        assert_eq!(clock(298_000), "4:58");
        assert_eq!(clock(3_723_000), "1:02:03");
        assert_eq!(clock(-5), "0:00");
        assert_eq!(span(298_000).en(), "4 min 58 s");
        assert_eq!(span(86_340_000).en(), "23 h 59 min");
        assert_eq!(span(9_000).zh(), "9 秒");
    }

    #[test]
    fn expiry_messages() {
        assert!(expiry_text(10_000, 0)
            .en()
            .starts_with("Link expires in 10 s"));
        assert!(expiry_text(0, 10).en().contains("expired"));
        assert!(expiry_text(0, 10).zh().contains("过期"));
    }
}
