//! Wall-clock helpers: epoch milliseconds and the civil-date conversion used to
//! print DashScope-style timestamps (China time, UTC+8, no zone suffix) and the
//! ISO-8601 UTC times found in OSS error bodies. No date crate needed.

use std::time::{SystemTime, UNIX_EPOCH};

/// Offset of China Standard Time from UTC, in milliseconds (UTC+8, no DST).
pub const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// Milliseconds since the Unix epoch according to the system clock.
pub fn now_epoch_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Converts a count of days since 1970-01-01 into a proleptic Gregorian
/// `(year, month, day)` (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // March-based month, [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Broken-down civil time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    milli: u32,
}

fn civil_from_ms(ms: i64) -> Civil {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: (in_day / 3_600_000) as u32,
        minute: (in_day / 60_000 % 60) as u32,
        second: (in_day / 1000 % 60) as u32,
        milli: (in_day % 1000) as u32,
    }
}

/// Formats epoch milliseconds as DashScope prints task times: China time,
/// `YYYY-MM-DD HH:MM:SS.mmm`, without a zone.
pub fn format_china_time(epoch_ms: u64) -> String {
    let c = civil_from_ms(epoch_ms as i64 + CHINA_OFFSET_MS);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.milli
    )
}

/// Formats epoch milliseconds as compact China time `YYYYMMDDHHMMSS`
/// (the prefix of new-api request ids).
pub fn format_china_compact(epoch_ms: u64) -> String {
    let c = civil_from_ms(epoch_ms as i64 + CHINA_OFFSET_MS);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Formats epoch milliseconds as ISO-8601 UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn format_utc_iso(epoch_ms: u64) -> String {
    let c = civil_from_ms(epoch_ms as i64);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.milli
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
    }

    #[test]
    fn china_time_matches_fixture() {
        // end_time in fixtures/query-succeeded-response.json.
        assert_eq!(
            format_china_time(1_770_788_545_332),
            "2026-02-11 13:42:25.332"
        );
        assert_eq!(format_china_time(0), "1970-01-01 08:00:00.000");
        assert_eq!(format_china_compact(1_770_788_545_332), "20260211134225");
    }

    #[test]
    fn utc_iso() {
        assert_eq!(format_utc_iso(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
