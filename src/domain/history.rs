//! The history of tasks: the stored ledger format (versioned, tolerant of bad records), filters,
//! ETA from the user's own finished tasks, cost estimates, and export/import.

use serde::{Deserialize, Serialize};

use super::form::{ShotType, Tier, VideoRequest};
use super::message::{text, text_with, Bilingual};
use super::task::{TaskRecord, TaskStatus};

/// The ledger format version written by this build.
pub const LEDGER_VERSION: u32 = 1;

/// The ledger as stored: `{"version":1,"tasks":[…]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLedger {
    /// Format version.
    pub version: u32,
    /// Tasks, oldest first.
    pub tasks: Vec<TaskRecord>,
}

/// What reading a stored ledger gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedLedger {
    /// The tasks that could be read.
    pub tasks: Vec<TaskRecord>,
    /// True when some or all of the text could not be read (the caller keeps the raw text aside).
    pub lossy: bool,
    /// True when the text was in an older format and should be written back in the current one.
    pub migrated: bool,
}

/// Reads a stored ledger. Accepts the current envelope and the bare array written by early
/// builds (migrated); reads each task on its own so one bad record never costs the others.
pub fn decode_ledger(raw: &str) -> DecodedLedger {
    let value: serde_json::Value = match serde_json::from_str(raw) {
        Ok(v) => v,
        Err(_) => {
            return DecodedLedger {
                tasks: Vec::new(),
                lossy: true,
                migrated: false,
            }
        }
    };
    let (items, migrated, mut lossy) = match value {
        serde_json::Value::Array(items) => (items, true, false),
        serde_json::Value::Object(mut o) => {
            let version = o.get("version").and_then(serde_json::Value::as_u64);
            match (version, o.remove("tasks")) {
                (Some(v), Some(serde_json::Value::Array(items)))
                    if v <= u64::from(LEDGER_VERSION) =>
                {
                    (items, v < u64::from(LEDGER_VERSION), false)
                }
                // A newer version (written by a newer build) or a foreign object: keep it aside.
                _ => (Vec::new(), false, true),
            }
        }
        _ => (Vec::new(), false, true),
    };
    let mut tasks = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in items {
        match serde_json::from_value::<TaskRecord>(item) {
            Ok(t) if seen.insert(t.id.clone()) => tasks.push(t),
            Ok(_) => {}
            Err(_) => lossy = true,
        }
    }
    DecodedLedger {
        tasks,
        lossy,
        migrated,
    }
}

/// Writes the ledger in the current format.
pub fn encode_ledger(tasks: &[TaskRecord]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        tasks: &'a [TaskRecord],
    }
    serde_json::to_string(&Out {
        version: LEDGER_VERSION,
        tasks,
    })
    .unwrap_or_else(|_| "{\"version\":1,\"tasks\":[]}".into())
}

/// Which tasks to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Everything.
    #[default]
    All,
    /// Still queued or running.
    Active,
    /// Finished with a video.
    Succeeded,
    /// Failed, canceled, unknown or unconfirmed.
    Problems,
}

impl StatusFilter {
    /// All filters, in menu order.
    pub const ALL: [StatusFilter; 4] = [
        StatusFilter::All,
        StatusFilter::Active,
        StatusFilter::Succeeded,
        StatusFilter::Problems,
    ];

    /// Value used in the select.
    pub fn value(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Active => "active",
            StatusFilter::Succeeded => "succeeded",
            StatusFilter::Problems => "problems",
        }
    }

    /// Parses a select value.
    pub fn from_value(v: &str) -> StatusFilter {
        StatusFilter::ALL
            .into_iter()
            .find(|f| f.value() == v)
            .unwrap_or_default()
    }

    /// Label in the select.
    pub fn label(self) -> Bilingual {
        match self {
            StatusFilter::All => text("history.filter.all"),
            StatusFilter::Active => text("history.filter.active"),
            StatusFilter::Succeeded => text("history.filter.succeeded"),
            StatusFilter::Problems => text("history.filter.problems"),
        }
    }

    /// True when the task belongs in this view.
    pub fn matches(self, t: &TaskRecord, now_ms: i64) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Active => !t.is_finished(now_ms),
            StatusFilter::Succeeded => t.snapshot.status == TaskStatus::Succeeded,
            StatusFilter::Problems => {
                t.is_finished(now_ms) && t.snapshot.status != TaskStatus::Succeeded
            }
        }
    }
}

/// The account-wide limit of tasks running at once for wan2.6-t2v.
pub const RUNNING_LIMIT: usize = 5;

/// How many tasks this browser knows to be queued or running.
pub fn running_count(tasks: &[TaskRecord], now_ms: i64) -> usize {
    tasks.iter().filter(|t| t.wants_polling(now_ms)).count()
}

/// Removes finished tasks; returns what was removed (for undo).
pub fn clear_finished(tasks: &mut Vec<TaskRecord>, now_ms: i64) -> Vec<TaskRecord> {
    let (finished, keep): (Vec<_>, Vec<_>) = tasks.drain(..).partition(|t| t.is_finished(now_ms));
    *tasks = keep;
    finished
}

/// Puts removed tasks back (undo), keeping the list ordered by submit time and ids unique.
pub fn restore(tasks: &mut Vec<TaskRecord>, removed: Vec<TaskRecord>) {
    for r in removed {
        if !tasks.iter().any(|t| t.id == r.id) {
            tasks.push(r);
        }
    }
    tasks.sort_by_key(|t| t.submitted_at_ms);
}

/// Typical time to a finished video for requests like `request`, from the user's own
/// succeeded tasks of the same tier, duration and shot type: the median, in ms.
pub fn eta_ms(tasks: &[TaskRecord], request: &VideoRequest) -> Option<i64> {
    let key = |r: &VideoRequest| (r.size.tier(), r.duration, r.shot_type);
    let want: (Tier, u8, ShotType) = key(request);
    let mut samples: Vec<i64> = tasks
        .iter()
        .filter(|t| t.snapshot.status == TaskStatus::Succeeded)
        .filter(|t| t.request.as_ref().map(key) == Some(want))
        .filter_map(TaskRecord::total_ms)
        .filter(|ms| *ms > 0)
        .collect();
    if samples.is_empty() {
        return None;
    }
    samples.sort_unstable();
    let n = samples.len();
    Some(if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2
    })
}

/// An ETA in whole minutes, at least 1.
pub fn eta_minutes(ms: i64) -> i64 {
    ((ms as f64) / 60_000.0).round().max(1.0) as i64
}

/// The ETA sentence shown before submitting.
pub fn eta_text(eta: Option<i64>) -> Bilingual {
    match eta {
        Some(ms) => text_with("history.eta", &[("min", &eta_minutes(ms).to_string())]),
        None => text("history.eta_none"),
    }
}

/// Price per second of video, by tier, in the user's currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pricing {
    /// Per second at 720P.
    pub per_second_720p: f64,
    /// Per second at 1080P.
    pub per_second_1080p: f64,
    /// Currency label, e.g. `CNY`.
    pub currency: String,
}

impl Default for Pricing {
    /// Alibaba's mainland list price.
    fn default() -> Self {
        Self {
            per_second_720p: 0.6,
            per_second_1080p: 1.0,
            currency: "CNY".into(),
        }
    }
}

impl Pricing {
    /// Estimated cost of one request.
    pub fn cost(&self, request: &VideoRequest) -> f64 {
        let rate = match request.size.tier() {
            Tier::P720 => self.per_second_720p,
            Tier::P1080 => self.per_second_1080p,
        };
        rate.max(0.0) * f64::from(request.duration)
    }

    /// Estimated spend over succeeded tasks (failed tasks are not charged).
    pub fn total(&self, tasks: &[TaskRecord]) -> f64 {
        tasks
            .iter()
            .filter(|t| t.snapshot.status == TaskStatus::Succeeded)
            .filter_map(|t| t.request.as_ref())
            .map(|r| self.cost(r))
            .sum()
    }

    /// `1.23 CNY`.
    pub fn format(&self, amount: f64) -> String {
        format!("{amount:.2} {}", self.currency)
    }
}

/// Export file format name.
pub const EXPORT_FORMAT: &str = "wan-studio-history";

#[derive(Serialize, Deserialize)]
struct ExportFile {
    format: String,
    version: u32,
    exported_at_ms: i64,
    tasks: Vec<serde_json::Value>,
}

/// The export file: the history only (no key, no settings), pretty-printed.
pub fn export_json(tasks: &[TaskRecord], now_ms: i64) -> String {
    let file = ExportFile {
        format: EXPORT_FORMAT.into(),
        version: LEDGER_VERSION,
        exported_at_ms: now_ms,
        tasks: tasks
            .iter()
            .filter_map(|t| serde_json::to_value(t).ok())
            .collect(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// Reads an export file (or a bare stored ledger). Returns the readable tasks and how many
/// records were skipped.
pub fn import_json(text: &str) -> Result<(Vec<TaskRecord>, usize), Bilingual> {
    let bad = || super::message::text("history.import_not_export");
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| bad())?;
    let items = match value {
        serde_json::Value::Object(mut o) => {
            let known = o.get("format").and_then(|f| f.as_str()) == Some(EXPORT_FORMAT)
                || o.contains_key("version");
            match (known, o.remove("tasks")) {
                (true, Some(serde_json::Value::Array(items))) => items,
                _ => return Err(bad()),
            }
        }
        serde_json::Value::Array(items) => items,
        _ => return Err(bad()),
    };
    let total = items.len();
    let tasks: Vec<TaskRecord> = items
        .into_iter()
        .filter_map(|i| serde_json::from_value(i).ok())
        .collect();
    Ok((tasks.clone(), total - tasks.len()))
}

/// Adds imported tasks that are not already there; returns how many were added.
pub fn merge(tasks: &mut Vec<TaskRecord>, incoming: Vec<TaskRecord>) -> usize {
    let before = tasks.len();
    restore(tasks, incoming);
    tasks.len() - before
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{FormState, Size};
    use crate::domain::task::{Origin, TaskSnapshot, QUERYABLE_MS};

    fn req(size: Size, duration: &str, shot: ShotType) -> VideoRequest {
        FormState {
            prompt: "cat".into(),
            size,
            duration: duration.into(),
            shot_type: shot,
            ..FormState::default()
        }
        .validate()
        .unwrap()
    }

    fn task(id: &str, at: i64, status: TaskStatus) -> TaskRecord {
        TaskRecord {
            id: id.into(),
            request: Some(req(Size::S1920x1080, "5", ShotType::Single)),
            endpoint: "https://www.dmxapi.cn/v1/responses".into(),
            submitted_at_ms: at,
            snapshot: TaskSnapshot::with_status(status),
            problem: None,
            paused: false,
            origin: Origin::Submitted,
        }
    }

    fn done(id: &str, request: VideoRequest, minutes: i64) -> TaskRecord {
        let mut t = task(id, 0, TaskStatus::Succeeded);
        t.request = Some(request);
        t.snapshot.submit_time = Some("2026-02-11 13:00:00.000".into());
        t.snapshot.end_time = Some(format!("2026-02-11 13:{minutes:02}:00.000"));
        t
    }

    #[test]
    fn ledger_round_trips_and_migrates_the_bare_array() {
        let tasks = vec![
            task("a", 1, TaskStatus::Pending),
            task("b", 2, TaskStatus::Succeeded),
        ];
        let raw = encode_ledger(&tasks);
        assert!(raw.starts_with("{\"version\":1,"));
        assert_eq!(
            decode_ledger(&raw),
            DecodedLedger {
                tasks: tasks.clone(),
                lossy: false,
                migrated: false
            }
        );
        let legacy = serde_json::to_string(&tasks).unwrap();
        assert_eq!(
            decode_ledger(&legacy),
            DecodedLedger {
                tasks: tasks.clone(),
                lossy: false,
                migrated: true
            }
        );
        // Records written before `origin` and optional `request` existed still load.
        let old = r#"[{"id":"x","request":{"prompt":"p","negative_prompt":null,"audio_url":null,"size":"1280*720","duration":5,"shot_type":"single","prompt_extend":true,"watermark":false,"seed":null},"endpoint":"e","submitted_at_ms":5,"snapshot":{"status":"Running","submit_time":null,"scheduled_time":null,"end_time":null,"video_url":null,"code":null,"message":null}}]"#;
        let d = decode_ledger(old);
        assert!(!d.lossy && d.migrated);
        assert_eq!(d.tasks[0].origin, Origin::Submitted);
        assert_eq!(d.tasks[0].snapshot.status, TaskStatus::Running);
    }

    #[test]
    fn bad_data_is_flagged_and_good_records_survive() {
        let good = serde_json::to_value(task("ok", 1, TaskStatus::Pending)).unwrap();
        let mixed =
            serde_json::json!({"version": 1, "tasks": [good, {"id": 5}, "junk"]}).to_string();
        let d = decode_ledger(&mixed);
        assert!(d.lossy);
        assert_eq!(d.tasks.len(), 1);
        for raw in [
            "",
            "{",
            "null",
            "42",
            "{\"foo\":1}",
            "{\"version\":99,\"tasks\":[]}",
        ] {
            let d = decode_ledger(raw);
            assert!(d.lossy, "{raw:?}");
            assert!(d.tasks.is_empty());
        }
        let dup = serde_json::to_string(&vec![
            task("a", 1, TaskStatus::Pending),
            task("a", 2, TaskStatus::Pending),
        ])
        .unwrap();
        assert_eq!(decode_ledger(&dup).tasks.len(), 1);
    }

    #[test]
    fn filters_sort_tasks_into_views() {
        let now = 10_000;
        let mut unconfirmed = task("u", 5, TaskStatus::Pending);
        unconfirmed.origin = Origin::Unconfirmed;
        let table = [
            (
                task("p", 1, TaskStatus::Pending),
                [true, true, false, false],
            ),
            (
                task("r", 1, TaskStatus::Running),
                [true, true, false, false],
            ),
            (
                task("s", 1, TaskStatus::Succeeded),
                [true, false, true, false],
            ),
            (task("f", 1, TaskStatus::Failed), [true, false, false, true]),
            (
                task("c", 1, TaskStatus::Canceled),
                [true, false, false, true],
            ),
            (
                task("old", now - QUERYABLE_MS, TaskStatus::Running),
                [true, false, false, true],
            ),
            (unconfirmed, [true, false, false, true]),
        ];
        for (t, want) in table {
            for (f, w) in StatusFilter::ALL.into_iter().zip(want) {
                assert_eq!(f.matches(&t, now), w, "{} {:?}", t.id, f);
            }
        }
        for f in StatusFilter::ALL {
            assert_eq!(StatusFilter::from_value(f.value()), f);
        }
    }

    #[test]
    fn running_count_and_clear_finished_with_undo() {
        let mut tasks = vec![
            task("a", 1, TaskStatus::Succeeded),
            task("b", 2, TaskStatus::Running),
            task("c", 3, TaskStatus::Failed),
            task("d", 4, TaskStatus::Pending),
        ];
        assert_eq!(running_count(&tasks, 10), 2);
        let removed = clear_finished(&mut tasks, 10);
        assert_eq!(
            removed.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["a", "c"]
        );
        assert_eq!(
            tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["b", "d"]
        );
        restore(&mut tasks, removed);
        assert_eq!(
            tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
    }

    #[test]
    fn eta_is_the_median_of_matching_finished_tasks() {
        let hd = req(Size::S1920x1080, "5", ShotType::Single);
        let hd_multi = req(Size::S1440x1440, "5", ShotType::Multi);
        let sd = req(Size::S1280x720, "5", ShotType::Single);
        assert_eq!(eta_ms(&[], &hd), None);
        let tasks = vec![
            done("1", hd.clone(), 3),
            done("2", hd.clone(), 5),
            done("3", hd.clone(), 4),
            done("4", sd.clone(), 1),
            done("5", hd_multi.clone(), 9),
            task("6", 0, TaskStatus::Running),
        ];
        assert_eq!(eta_ms(&tasks, &hd), Some(4 * 60_000));
        assert_eq!(eta_ms(&tasks, &sd), Some(60_000));
        // Same tier (1080P), different size: still counts; different shot type: does not.
        assert_eq!(
            eta_ms(&tasks, &req(Size::S1080x1920, "5", ShotType::Single)),
            Some(4 * 60_000)
        );
        assert_eq!(
            eta_ms(&tasks, &req(Size::S1920x1080, "5", ShotType::Multi)),
            Some(9 * 60_000)
        );
        assert_eq!(
            eta_ms(&tasks, &req(Size::S1920x1080, "10", ShotType::Single)),
            None
        );
        assert!(eta_text(Some(4 * 60_000)).en.contains("~4 min"));
        assert!(eta_text(None).en.contains("No estimate yet"));
        let even = vec![done("1", sd.clone(), 2), done("2", sd.clone(), 4)];
        assert_eq!(eta_ms(&even, &sd), Some(3 * 60_000));
    }

    #[test]
    fn cost_uses_tier_rates_and_counts_only_successes() {
        let p = Pricing::default();
        let table = [
            (Size::S1920x1080, "10", 10.0),
            (Size::S1280x720, "10", 6.0),
            (Size::S1440x1440, "2", 2.0),
            (Size::S832x1088, "15", 9.0),
        ];
        for (size, d, want) in table {
            let c = p.cost(&req(size, d, ShotType::Single));
            assert!((c - want).abs() < 1e-9, "{size:?} {d}: {c}");
        }
        let tasks = vec![
            done("1", req(Size::S1920x1080, "5", ShotType::Single), 3),
            task("2", 0, TaskStatus::Failed),
            task("3", 0, TaskStatus::Running),
        ];
        assert!((p.total(&tasks) - 5.0).abs() < 1e-9);
        assert_eq!(p.format(5.0), "5.00 CNY");
        let custom = Pricing {
            per_second_720p: 0.1,
            per_second_1080p: -3.0,
            currency: "USD".into(),
        };
        assert_eq!(
            custom.cost(&req(Size::S1920x1080, "5", ShotType::Single)),
            0.0
        );
    }

    #[test]
    fn export_import_round_trips_and_merges() {
        let tasks = vec![
            task("a", 1, TaskStatus::Succeeded),
            task("b", 2, TaskStatus::Failed),
        ];
        let text = export_json(&tasks, 99);
        assert!(text.contains(EXPORT_FORMAT));
        assert!(!text.contains("sk-"));
        let (back, skipped) = import_json(&text).unwrap();
        assert_eq!((back.clone(), skipped), (tasks.clone(), 0));
        let mut mine = vec![
            task("b", 2, TaskStatus::Failed),
            task("c", 3, TaskStatus::Running),
        ];
        assert_eq!(merge(&mut mine, back), 1);
        assert_eq!(
            mine.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert!(import_json("{}").is_err());
        assert!(import_json("not json").is_err());
        assert!(import_json("{\"format\":\"other\",\"tasks\":[]}").is_err());
        let partial = serde_json::json!({"format": EXPORT_FORMAT, "version": 1, "tasks": [serde_json::to_value(&tasks[0]).unwrap(), {"bad": true}]}).to_string();
        assert_eq!(import_json(&partial).unwrap().1, 1);
    }
}
