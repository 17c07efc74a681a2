//! Prints a stored task ledger of N finished tasks, built with the app's own types and written with
//! the app's own encoder, for the benchmark's "history at scale" (scripts/bench.mjs seeds local
//! storage with it):
//!
//! ```sh
//! cargo run --release --example seed_ledger -- --count 1000 [--now-ms 1767225600000]
//! ```
//!
//! Task i (0 = newest) was submitted 2 days + i × 7 min before `--now-ms` (default: now), so every
//! link has expired and nothing is polled; 80 % succeeded, 15 % failed, 5 % canceled. The output is
//! exactly what the app stores under `wan-studio.tasks.v1`, oldest task first.
//!
//! Records are built from a form as a user fills it (validated by the app) and with struct update
//! syntax from a base record, so fields the app gains later take their defaults here without an edit.

use wan_studio::domain::form::{FormState, ShotType, Size};
use wan_studio::domain::history::encode_ledger;
use wan_studio::domain::request::ModelRequest;
use wan_studio::domain::task::{Origin, TaskRecord, TaskSnapshot, TaskStatus};

const DAY_MS: i64 = 86_400_000;
const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;
const ENDPOINT: &str = "https://www.dmxapi.cn/v1/responses";

fn main() {
    let (count, now_ms) = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("seed_ledger: {message}\nusage: seed_ledger --count N [--now-ms MS]");
            std::process::exit(2);
        }
    };
    let base = base_record();
    let tasks: Vec<TaskRecord> = (0..count).rev().map(|i| task(&base, i, now_ms)).collect();
    println!("{}", encode_ledger(&tasks));
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(u32, i64), String> {
    let mut count = None;
    let mut now_ms = None;
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        let bad = |e: std::num::ParseIntError| format!("{arg} {value}: {e}");
        match arg.as_str() {
            "--count" => count = Some(value.parse().map_err(bad)?),
            "--now-ms" => now_ms = Some(value.parse().map_err(bad)?),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let now_ms = match now_ms {
        Some(ms) => ms,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_millis() as i64,
    };
    Ok((count.ok_or("--count is required")?, now_ms))
}

/// A record with only what every stored record has; the other fields get the values the app gives
/// them when it reads a record that lacks them (serde defaults).
fn base_record() -> TaskRecord {
    serde_json::from_value(serde_json::json!({
        "id": "",
        "endpoint": ENDPOINT,
        "submitted_at_ms": 0,
        "snapshot": TaskSnapshot::with_status(TaskStatus::Pending),
    }))
    .expect("a record with an id, an endpoint, a time and a snapshot is readable")
}

/// The request a user would have sent for task `i`, validated by the app's form.
fn request(i: u32) -> ModelRequest {
    FormState {
        prompt: format!(
            "Bench task {i}: a paper boat drifts down a rain-soaked street at dusk, neon signs \
             reflected in the puddles, slow dolly shot, shallow depth of field, cinematic colour grading."
        ),
        negative_prompt: if i % 3 == 0 { "blurry, low quality".into() } else { String::new() },
        size: if i % 2 == 1 { Size::S1920x1080 } else { Size::S1280x720 },
        duration: (5 + i % 11).to_string(),
        shot_type: ShotType::Single,
        prompt_extend: true,
        watermark: false,
        seed: if i % 4 == 0 { i.to_string() } else { String::new() },
        ..FormState::default()
    }
    .validate()
    .expect("the bench form is valid")
}

/// Finished task `i`.
fn task(base: &TaskRecord, i: u32, now_ms: i64) -> TaskRecord {
    let n = u64::from(i);
    let hex = |x: u64, width: usize| {
        let s = format!("{:0width$x}", x & 0xffff_ffff, width = width);
        s[s.len() - width..].to_string()
    };
    let id = format!(
        "{}-{}-4{}-a{}-{}",
        hex(n.wrapping_mul(2_654_435_761), 8),
        hex(n, 4),
        hex(n * 7, 3),
        hex(n * 13, 3),
        hex(n * 40_503, 12),
    );
    let submitted = now_ms - 2 * DAY_MS - i64::from(i) * 7 * 60_000;
    let scheduled = submitted + 15_000;
    let end = scheduled + 95_000;
    let status = match i % 20 {
        0..=15 => TaskStatus::Succeeded,
        16..=18 => TaskStatus::Failed,
        _ => TaskStatus::Canceled,
    };
    let failed = status == TaskStatus::Failed;
    let video_url = (status == TaskStatus::Succeeded).then(|| {
        format!(
            "http://127.0.0.1:9/video/{id}.mp4?Expires={}&OSSAccessKeyId=LTAIsimulator0000&Signature=bench%3D",
            end / 1_000 + 86_400
        )
    });
    TaskRecord {
        request: Some(request(i)),
        submitted_at_ms: submitted,
        snapshot: TaskSnapshot {
            submit_time: Some(china_time(submitted)),
            scheduled_time: Some(china_time(scheduled)),
            end_time: Some(china_time(end)),
            video_url,
            code: failed.then(|| "DataInspectionFailed".to_string()),
            message: failed.then(|| "Output data may contain inappropriate content.".to_string()),
            ..TaskSnapshot::with_status(status)
        },
        origin: Origin::Submitted,
        id,
        ..base.clone()
    }
}

/// China time text (`YYYY-MM-DD HH:MM:SS.mmm`, UTC+8), as the service sends its timestamps.
fn china_time(ms: i64) -> String {
    let local = ms + CHINA_OFFSET_MS;
    let (days, ms_of_day) = (local.div_euclid(DAY_MS), local.rem_euclid(DAY_MS));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let s = ms_of_day / 1_000;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{:03}",
        s / 3_600,
        s / 60 % 60,
        s % 60,
        ms_of_day % 1_000
    )
}

// Native only: the wasm32 test run (wasm-bindgen-test-runner) has nothing to add here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use wan_studio::domain::history::decode_ledger;
    use wan_studio::domain::time::parse_china_time;

    #[test]
    fn china_time_round_trips_through_the_apps_parser() {
        // The app reads only years 2000–2100 (a relay's 1970 or 2999 is nonsense).
        for ms in [
            946_684_800_000,
            1_767_225_600_123,
            1_709_164_800_000,
            951_782_400_999,
        ] {
            assert_eq!(
                parse_china_time(&china_time(ms)),
                Some(ms),
                "{}",
                china_time(ms)
            );
        }
    }

    #[test]
    fn the_app_reads_every_seeded_task() {
        let base = base_record();
        let now = 1_767_225_600_000;
        let tasks: Vec<TaskRecord> = (0..40).rev().map(|i| task(&base, i, now)).collect();
        let decoded = decode_ledger(&encode_ledger(&tasks));
        assert!(!decoded.lossy && !decoded.migrated);
        assert_eq!(decoded.tasks, tasks);
        assert!(tasks
            .iter()
            .all(|t| t.is_finished(now) && !t.wants_polling(now)));
    }
}
