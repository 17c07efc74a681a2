//! Tasks: statuses, what a query tells us, the record kept in storage, and when to poll next.

use serde::{Deserialize, Serialize};

use super::message::{Explanation, LegacyExplanation, Msg};
use super::models::Family;
use super::redact::Redactor;
use super::request::ModelRequest;
use super::time::{link_expiry_ms, parse_china_time};
use super::url::{media_url, UrlParser};

/// A task's status as the service reports it (PROTOCOL.md §4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskStatus {
    /// Queued.
    Pending,
    /// Generating.
    Running,
    /// Done; a video URL is available.
    Succeeded,
    /// Ended with an error code and message.
    Failed,
    /// Canceled on the service side.
    Canceled,
    /// The service does not know the id (wrong id, or older than 24 h).
    Unknown,
    /// A status string this app does not know; treated as still alive and shown verbatim.
    Other(String),
}

impl TaskStatus {
    /// Parses the service's `task_status` string.
    pub fn parse(s: &str) -> TaskStatus {
        match s {
            "PENDING" => TaskStatus::Pending,
            "RUNNING" => TaskStatus::Running,
            "SUCCEEDED" => TaskStatus::Succeeded,
            "FAILED" => TaskStatus::Failed,
            "CANCELED" | "CANCELLED" => TaskStatus::Canceled,
            "UNKNOWN" => TaskStatus::Unknown,
            other => TaskStatus::Other(other.to_string()),
        }
    }

    /// True when the task will not change any more, so polling stops.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskStatus::Succeeded | TaskStatus::Failed | TaskStatus::Canceled | TaskStatus::Unknown
        )
    }

    /// A short label.
    pub fn label(&self) -> Msg {
        match self {
            TaskStatus::Pending => Msg::new("status.pending"),
            TaskStatus::Running => Msg::new("status.running"),
            TaskStatus::Succeeded => Msg::new("status.succeeded"),
            TaskStatus::Failed => Msg::new("status.failed"),
            TaskStatus::Canceled => Msg::new("status.canceled"),
            TaskStatus::Unknown => Msg::new("status.unknown"),
            TaskStatus::Other(s) => Msg::verbatim(s.clone()),
        }
    }

    /// What the status means for the user, where a label is not enough.
    pub fn explain(&self) -> Option<Msg> {
        match self {
            TaskStatus::Pending => Some(Msg::new("status.pending_hint")),
            TaskStatus::Running => Some(Msg::new("status.running_hint")),
            TaskStatus::Canceled => Some(Msg::new("status.canceled_hint")),
            TaskStatus::Unknown => Some(Msg::new("status.unknown_hint")),
            TaskStatus::Other(s) => Some(Msg::new("status.other_hint").with("status", s)),
            TaskStatus::Succeeded | TaskStatus::Failed => None,
        }
    }
}

/// What one query (or the submit reply) told us about a task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSnapshot {
    /// Status.
    pub status: TaskStatus,
    /// When the service accepted the task (China time text, as sent).
    pub submit_time: Option<String>,
    /// When it started running (China time text).
    pub scheduled_time: Option<String>,
    /// When it ended (China time text).
    pub end_time: Option<String>,
    /// The signed video URL, on success.
    pub video_url: Option<String>,
    /// Error code, on failure.
    pub code: Option<String>,
    /// Error message, on failure.
    pub message: Option<String>,
    /// The prompt as the service received it (known for looked-up tasks).
    #[serde(default)]
    pub orig_prompt: Option<String>,
}

impl TaskSnapshot {
    /// A snapshot with only a status.
    pub fn with_status(status: TaskStatus) -> Self {
        Self {
            status,
            submit_time: None,
            scheduled_time: None,
            end_time: None,
            video_url: None,
            code: None,
            message: None,
            orig_prompt: None,
        }
    }

    /// The video URL if it is safe to put into `<video src>` and links (`https:` anywhere, or
    /// `http:` on this machine only, never with user info), as the browser normalises it.
    pub fn safe_video_url(&self, parser: &impl UrlParser) -> Option<String> {
        self.video_url.as_deref().and_then(|u| media_url(u, parser))
    }

    /// Redacts every text of the snapshot (they all come from the relay).
    pub fn redact(&mut self, r: &Redactor) {
        for field in [
            &mut self.submit_time,
            &mut self.scheduled_time,
            &mut self.end_time,
            &mut self.video_url,
            &mut self.code,
            &mut self.message,
            &mut self.orig_prompt,
        ] {
            r.clean_opt(field);
        }
        if let TaskStatus::Other(s) = &mut self.status {
            r.clean_in_place(s);
        }
    }

    /// Explains a FAILED task's code and message in plain words.
    pub fn failure(&self) -> Explanation {
        let code = self.code.clone().unwrap_or_default();
        let message = self.message.clone().unwrap_or_default();
        let text = match code.as_str() {
            "DataInspectionFailed" => Msg::new("failed.moderation"),
            "InvalidParameter.DataInspection" => Msg::new("failed.audio"),
            "InvalidParameter" => Msg::new("failed.invalid_parameter"),
            "Arrearage" => Msg::new("failed.arrearage"),
            c if c.starts_with("Throttling") => Msg::new("failed.throttling"),
            "InternalError" | "ModelUnavailable" => Msg::new("failed.internal"),
            _ => Msg::new("failed.other"),
        };
        let detail = match (code.is_empty(), message.is_empty()) {
            (true, true) => None,
            (false, true) => Some(code),
            (true, false) => Some(message),
            (false, false) => Some(format!("{code}: {message}")),
        };
        Explanation {
            text,
            request_id: None,
            detail,
            maybe_created: false,
        }
    }
}

/// Checks a task id typed or pasted for a lookup, before anything is asked: DMXAPI's ids are
/// UUIDs (`3a7d8355-ef78-48cd-863c-6cdb9707ba91`). Returns it trimmed and in lower case.
pub fn check_task_id(raw: &str) -> Result<String, Msg> {
    let id = raw.trim().to_ascii_lowercase();
    let groups: Vec<&str> = id.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    let uuid = groups.len() == lens.len()
        && groups
            .iter()
            .zip(lens)
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()));
    if uuid {
        Ok(id)
    } else if id.is_empty() {
        Err(Msg::new("lookup.bad_id"))
    } else {
        Err(Msg::new("lookup.not_an_id"))
    }
}

/// How a task came into the ledger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// Created by this app's Generate.
    #[default]
    Submitted,
    /// Added by looking up a task id.
    LookedUp,
    /// A submit whose reply never arrived: the task may exist (and be billed) but its id is unknown.
    Unconfirmed,
}

/// A task as kept in storage: its id, what was asked, where, when, and the latest news.
/// The API key is never part of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// The record's key in the ledger: the service's task id, except for an
    /// [`Origin::Unconfirmed`] submit (a local placeholder) and for a second task the relay gave
    /// the same id (then [`TaskRecord::service_id`] holds the id).
    pub id: String,
    /// The service's task id when it differs from `id` (see there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// The validated request that created it; unknown for looked-up tasks.
    #[serde(default)]
    pub request: Option<ModelRequest>,
    /// The endpoint it was submitted to.
    pub endpoint: String,
    /// Local clock at submit (or lookup), ms since the epoch.
    #[serde(deserialize_with = "super::time::lenient_ms")]
    pub submitted_at_ms: i64,
    /// The latest snapshot.
    pub snapshot: TaskSnapshot,
    /// The latest problem while checking it (cleared by the next good reply), as a message value.
    /// Stored as `issue`: builds before the message model stored rendered text under `problem`.
    #[serde(default, rename = "issue", skip_serializing_if = "Option::is_none")]
    pub problem: Option<Explanation>,
    /// A problem as older builds stored it (rendered text); read only, and turned into
    /// [`TaskRecord::problem`] by [`TaskRecord::upgrade`].
    #[serde(default, rename = "problem", skip_serializing)]
    pub legacy_problem: Option<LegacyExplanation>,
    /// True when polling stopped for a reason other than a terminal status (the user can resume).
    #[serde(default)]
    pub paused: bool,
    /// How it got here.
    #[serde(default)]
    pub origin: Origin,
    /// The model family whose `*-get` finds the task, when it is not wan2.6 (absent: wan2.6, as
    /// every task of older builds). Stored as the query model string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<Family>,
    /// What the relay said it billed for the submit (`usage.total_tokens`), when it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed_tokens: Option<u64>,
    /// The take this one continues or edits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_take: Option<super::form::FromTake>,
    /// This page's clock when it first saw the task in a final state (for an elapsed time that
    /// never runs backwards).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::time::lenient_ms_opt"
    )]
    pub ended_at_ms: Option<i64>,
    /// The video, kept in this browser (its bytes are in the media store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<KeptVideo>,
    /// The user saved the video as a file (no reminder before its link dies).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub downloaded: bool,
    /// Its place in a batch of takes made together ("Make N takes").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchTag>,
}

/// The most takes one press of Generate makes (the compare view shows as many).
pub const MAX_TAKES: u8 = 4;

/// A take's place in a batch: the batch is named by the time its first take was sent (numbers
/// only: nothing a file could smuggle text through).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BatchTag {
    /// When the batch started (this page's clock, ms): the batch's name.
    pub at_ms: i64,
    /// This take's number, from 1.
    pub take: u8,
    /// How many takes the batch asked for.
    pub of: u8,
}

impl BatchTag {
    /// True when it reads as a batch (a file may hold anything).
    pub fn is_sane(&self) -> bool {
        (2..=MAX_TAKES).contains(&self.of) && (1..=self.of).contains(&self.take)
    }
}

/// A video kept in this browser: its bytes are in the database's media store under `hash`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptVideo {
    /// SHA-256 of the file, hex (the media store's key).
    pub hash: String,
    /// Its size in bytes.
    #[serde(default)]
    pub bytes: u64,
}

impl TaskRecord {
    /// The hashes of the pictures from this computer its request sent (the media it keeps in use).
    pub fn local_media(&self) -> Vec<String> {
        self.request
            .iter()
            .flat_map(|r| r.local_media().map(str::to_owned))
            .collect()
    }

    /// Every piece of media in this browser the task keeps in use: its pictures and its kept video.
    pub fn media_in_use(&self) -> Vec<String> {
        let mut all = self.local_media();
        all.extend(self.kept.iter().map(|k| k.hash.clone()));
        all
    }

    /// A record with no problem, not paused.
    pub fn new(
        id: impl Into<String>,
        request: Option<ModelRequest>,
        endpoint: impl Into<String>,
        submitted_at_ms: i64,
        snapshot: TaskSnapshot,
        origin: Origin,
    ) -> TaskRecord {
        TaskRecord {
            id: id.into(),
            service_id: None,
            endpoint: endpoint.into(),
            submitted_at_ms,
            snapshot,
            problem: None,
            legacy_problem: None,
            paused: false,
            family: request
                .as_ref()
                .map(|r| r.mode.spec().family)
                .filter(|f| *f != Family::Wan26),
            request,
            origin,
            billed_tokens: None,
            from_take: None,
            ended_at_ms: None,
            kept: None,
            downloaded: false,
            batch: None,
        }
    }

    /// Takes in what a query (or lookup) said at `now_ms`: the snapshot replaces the old one, the
    /// last problem is cleared, and the first final status seen is stamped.
    pub fn record_reply(&mut self, snapshot: TaskSnapshot, now_ms: i64) {
        if snapshot.status.is_terminal() && self.ended_at_ms.is_none() {
            self.ended_at_ms = Some(now_ms);
        }
        self.snapshot = snapshot;
        self.problem = None;
    }

    /// Brings a record read from an older build up to date: a problem stored as rendered text
    /// becomes a message value. True when something changed (the ledger is written back).
    pub fn upgrade(&mut self) -> bool {
        match self.legacy_problem.take() {
            Some(old) => {
                if self.problem.is_none() {
                    self.problem = Some(old.upgrade());
                }
                true
            }
            None => false,
        }
    }

    /// The family whose query model finds this task.
    pub fn family(&self) -> Family {
        self.family.unwrap_or(Family::Wan26)
    }

    /// The id the service knows the task by (what a query sends).
    pub fn query_id(&self) -> &str {
        self.service_id.as_deref().unwrap_or(&self.id)
    }

    /// Time since this page submitted (or looked up) the task, never negative: a clock set back
    /// reads as "just now" rather than as a task from the future, so polling carries on.
    pub fn age_ms(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(self.submitted_at_ms).max(0)
    }

    /// True while the app should keep polling it.
    pub fn wants_polling(&self, now_ms: i64) -> bool {
        self.origin != Origin::Unconfirmed
            && !self.snapshot.status.is_terminal()
            && !self.paused
            && self.age_ms(now_ms) < QUERYABLE_MS
    }

    /// True once nothing about it will change (terminal, unconfirmed, or past the 24 h window).
    pub fn is_finished(&self, now_ms: i64) -> bool {
        self.origin == Origin::Unconfirmed
            || self.snapshot.status.is_terminal()
            || self.age_ms(now_ms) >= QUERYABLE_MS
    }

    /// Redacts every text that came from a relay or a file (snapshot, problem, and the request's
    /// texts too, so an export never carries a key).
    pub fn redact(&mut self, r: &Redactor) {
        r.clean_in_place(&mut self.id);
        r.clean_opt(&mut self.service_id);
        self.snapshot.redact(r);
        if let Some(p) = &mut self.problem {
            p.redact(r);
        }
        if let Some(q) = &mut self.request {
            r.clean_in_place(&mut q.prompt);
            r.clean_opt(&mut q.negative_prompt);
            for m in &mut q.media {
                r.clean_in_place(&mut m.url);
                r.clean_opt(&mut m.voice);
            }
        }
    }

    /// Brings a submit time from storage or a file into `[lo, hi]` (ms since the epoch); true
    /// when it had to be moved. Guards the 24 h window against times such as the year 2999,
    /// ±1e18 or `i64::MIN`.
    pub fn clamp_submit_time(&mut self, lo: i64, hi: i64) -> bool {
        let clamped = self.submitted_at_ms.clamp(lo, hi.max(lo));
        let moved = clamped != self.submitted_at_ms;
        self.submitted_at_ms = clamped;
        moved
    }

    /// When the service created it (server clock), else when this browser submitted it.
    pub fn created_ms(&self) -> i64 {
        self.snapshot
            .submit_time
            .as_deref()
            .and_then(parse_china_time)
            .unwrap_or(self.submitted_at_ms)
    }

    /// Queue plus run time from the service's timestamps, once ended; `None` when the times
    /// are missing or make no sense (negative, or longer than the 24 h a task can live).
    pub fn total_ms(&self) -> Option<i64> {
        let t = |x: &Option<String>| x.as_deref().and_then(parse_china_time);
        let total = t(&self.snapshot.end_time)? - t(&self.snapshot.submit_time)?;
        (0..=QUERYABLE_MS).contains(&total).then_some(total)
    }

    /// When the video link expires, if there is one.
    pub fn link_expiry_ms(&self) -> Option<i64> {
        self.snapshot.video_url.as_deref().and_then(link_expiry_ms)
    }

    /// True when the task has a playable video whose link has not expired (what can be compared).
    pub fn has_live_video(&self, now_ms: i64, parser: &impl UrlParser) -> bool {
        self.snapshot.safe_video_url(parser).is_some()
            && self.link_expiry_ms().is_none_or(|e| e > now_ms)
    }

    /// How long the id stays queryable (24 h from submit), or `None` once past.
    pub fn queryable_for_ms(&self, now_ms: i64) -> Option<i64> {
        let left = QUERYABLE_MS - self.age_ms(now_ms);
        (left > 0).then_some(left)
    }

    /// The prompt to show: the one submitted, else the one the service reported.
    pub fn prompt(&self) -> Option<&str> {
        self.request
            .as_ref()
            .map(|r| r.prompt.as_str())
            .or(self.snapshot.orig_prompt.as_deref())
    }
}

/// What the page is doing about a task, so a card never claims to be checking while nothing is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Watch {
    /// Polled on schedule (by this tab or another).
    Checking,
    /// Polling stopped on a problem that needs the user ("Check again").
    Paused,
    /// Its endpoint is not one of the user's: the host it belongs to. The key is not sent there.
    Foreign(String),
    /// This tab has no key that can be sent; checking resumes once there is one.
    NeedsKey,
    /// Not terminal, but past the 24 h its id can be queried: no longer checked.
    Expired,
    /// Nothing about it will change any more.
    Finished,
}

impl Watch {
    /// The state of `record` at `now`, given where it may be checked (`route`: `Err(host)` when
    /// its endpoint is not the user's) and whether a usable key is at hand.
    pub fn of(record: &TaskRecord, now_ms: i64, route: Result<(), String>, key_ok: bool) -> Watch {
        if record.origin != Origin::Unconfirmed
            && !record.snapshot.status.is_terminal()
            && record.age_ms(now_ms) >= QUERYABLE_MS
        {
            Watch::Expired
        } else if record.is_finished(now_ms) {
            Watch::Finished
        } else if let Err(host) = route {
            Watch::Foreign(host)
        } else if record.paused {
            Watch::Paused
        } else if !key_ok {
            Watch::NeedsKey
        } else {
            Watch::Checking
        }
    }

    /// What the card says about it, where a status label is not enough.
    pub fn explain(&self) -> Option<Msg> {
        match self {
            Watch::Checking | Watch::Finished => None,
            Watch::Paused => Some(Msg::new("card.paused")),
            Watch::Foreign(host) => Some(Msg::new("card.foreign").with("host", host)),
            Watch::NeedsKey => Some(Msg::new("card.needs_key")),
            Watch::Expired => Some(Msg::new("card.expired")),
        }
    }
}

/// How long a task id stays queryable.
pub const QUERYABLE_MS: i64 = 24 * 3_600_000;

/// Why the last poll did not give a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollFailure {
    /// HTTP 429; the service may say how long to wait.
    RateLimited {
        /// `Retry-After`, in seconds, when present.
        retry_after_s: Option<u64>,
    },
    /// A fault worth retrying (network, timeout, 5xx, undecodable reply); `streak` counts
    /// consecutive failures, starting at 1.
    Transient {
        /// Consecutive failures so far.
        streak: u32,
    },
    /// A fault that retrying will not fix (bad key, quota, wrong endpoint): stop and ask the user.
    Permanent,
}

/// Poll every 5 s in the first minute.
pub const FAST_POLL_MS: u64 = 5_000;
/// Then every 15 s (Alibaba's advice).
pub const SLOW_POLL_MS: u64 = 15_000;
/// Longest wait between polls after failures.
pub const MAX_BACKOFF_MS: u64 = 120_000;

/// When to poll next, in ms from now, given the time since submit and the last failure;
/// `None` means stop polling.
pub fn next_poll_delay(since_submit_ms: i64, failure: Option<PollFailure>) -> Option<u64> {
    if since_submit_ms >= QUERYABLE_MS {
        return None;
    }
    let base = if since_submit_ms < 60_000 {
        FAST_POLL_MS
    } else {
        SLOW_POLL_MS
    };
    match failure {
        None => Some(base),
        Some(PollFailure::Permanent) => None,
        Some(PollFailure::RateLimited {
            retry_after_s: Some(s),
        }) => Some((s * 1_000).clamp(base, MAX_BACKOFF_MS * 5)),
        Some(PollFailure::RateLimited {
            retry_after_s: None,
        }) => Some(30_000),
        Some(PollFailure::Transient { streak }) => {
            let factor = 1u64 << streak.saturating_sub(1).min(5);
            Some((base * factor).min(MAX_BACKOFF_MS))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::url::testing::Whatwg;

    #[test]
    fn statuses_parse_and_terminate() {
        let table = [
            ("PENDING", TaskStatus::Pending, false),
            ("RUNNING", TaskStatus::Running, false),
            ("SUCCEEDED", TaskStatus::Succeeded, true),
            ("FAILED", TaskStatus::Failed, true),
            ("CANCELED", TaskStatus::Canceled, true),
            ("UNKNOWN", TaskStatus::Unknown, true),
            ("SUSPENDED", TaskStatus::Other("SUSPENDED".into()), false),
        ];
        for (s, status, terminal) in table {
            let parsed = TaskStatus::parse(s);
            assert_eq!(parsed, status);
            assert_eq!(parsed.is_terminal(), terminal, "{s}");
            assert!(!parsed.label().en().is_empty());
        }
        assert!(TaskStatus::Other("X".into())
            .explain()
            .unwrap()
            .en()
            .contains("\"X\""));
        assert!(TaskStatus::Unknown
            .explain()
            .unwrap()
            .en()
            .contains("24 hours"));
        assert!(TaskStatus::Canceled
            .explain()
            .unwrap()
            .zh()
            .contains("取消"));
    }

    #[test]
    fn schedule_is_5s_then_15s_and_stops_after_24h() {
        let table = [
            (0, None, Some(5_000)),
            (59_999, None, Some(5_000)),
            (60_000, None, Some(15_000)),
            (3_600_000, None, Some(15_000)),
            (QUERYABLE_MS, None, None),
            (10_000, Some(PollFailure::Permanent), None),
            (
                10_000,
                Some(PollFailure::RateLimited {
                    retry_after_s: Some(2),
                }),
                Some(5_000),
            ),
            (
                10_000,
                Some(PollFailure::RateLimited {
                    retry_after_s: Some(40),
                }),
                Some(40_000),
            ),
            (
                10_000,
                Some(PollFailure::RateLimited {
                    retry_after_s: None,
                }),
                Some(30_000),
            ),
            (
                10_000,
                Some(PollFailure::Transient { streak: 1 }),
                Some(5_000),
            ),
            (
                10_000,
                Some(PollFailure::Transient { streak: 2 }),
                Some(10_000),
            ),
            (
                90_000,
                Some(PollFailure::Transient { streak: 3 }),
                Some(60_000),
            ),
            (
                90_000,
                Some(PollFailure::Transient { streak: 30 }),
                Some(MAX_BACKOFF_MS),
            ),
        ];
        for (since, failure, want) in table {
            assert_eq!(next_poll_delay(since, failure), want, "{since} {failure:?}");
        }
    }

    #[test]
    fn failures_are_explained() {
        let mk = |code: &str, msg: &str| TaskSnapshot {
            code: Some(code.into()),
            message: Some(msg.into()),
            ..TaskSnapshot::with_status(TaskStatus::Failed)
        };
        let e = mk(
            "DataInspectionFailed",
            "Input data may contain inappropriate content.",
        )
        .failure();
        assert!(e.text.en().contains("moderation") && e.text.zh().contains("审核"));
        assert_eq!(
            e.detail.as_deref(),
            Some("DataInspectionFailed: Input data may contain inappropriate content.")
        );
        assert!(mk("InvalidParameter.DataInspection", "")
            .failure()
            .text
            .en()
            .contains("audio"));
        assert!(mk("InvalidParameter", "The size is not match")
            .failure()
            .detail
            .unwrap()
            .contains("size"));
        assert!(mk("Throttling.RateQuota", "")
            .failure()
            .text
            .en()
            .contains("rate"));
        assert!(mk("Weird", "boom")
            .failure()
            .text
            .en()
            .contains("message below"));
    }

    #[test]
    fn only_safe_media_urls_are_used() {
        let table = [
            ("https://x.aliyuncs.com/a.mp4?Expires=1", true),
            ("http://127.0.0.1:9090/video/a.mp4", true),
            ("http://localhost/a.mp4", true),
            ("http://127.0.0.1.evil.example/a.mp4", false),
            ("http://127.0.0.1@evil.example/a.mp4", false),
            ("http://example.com/a.mp4", false),
            ("javascript:alert(1)", false),
            ("data:video/mp4;base64,AAAA", false),
            ("https://", false),
        ];
        for (url, ok) in table {
            let s = TaskSnapshot {
                video_url: Some(url.into()),
                ..TaskSnapshot::with_status(TaskStatus::Succeeded)
            };
            assert_eq!(s.safe_video_url(&Whatwg).is_some(), ok, "{url}");
        }
    }

    fn record(submitted_at_ms: i64, status: TaskStatus) -> TaskRecord {
        crate::domain::testing::record("t", submitted_at_ms, status)
    }

    #[test]
    fn the_24h_window_survives_clock_jumps_and_absurd_times() {
        let now = 1_800_000_000_000;
        let t = record(now - 60_000, TaskStatus::Running);
        assert!(t.wants_polling(now));
        // The clock jumps 25 h ahead: the window looks over, and polling pauses…
        assert!(!t.wants_polling(now + 25 * 3_600_000));
        // …and comes back by itself when the clock does (nothing was stored).
        assert!(t.wants_polling(now));
        // Set back 48 h: the task reads as just submitted, still polled, queryable for 24 h at most.
        assert!(t.wants_polling(now - 48 * 3_600_000));
        assert_eq!(t.queryable_for_ms(now - 48 * 3_600_000), Some(QUERYABLE_MS));
        // Absurd stored times never overflow and never keep a task alive forever once clamped.
        for at in [
            i64::MIN,
            i64::MAX,
            -1_000_000_000_000_000,
            1_000_000_000_000_000_000,
        ] {
            let mut t = record(at, TaskStatus::Running);
            let _ = t.wants_polling(now);
            let _ = t.is_finished(now);
            let _ = t.queryable_for_ms(now);
            assert!(t.clamp_submit_time(1_700_000_000_000, now));
            assert!((1_700_000_000_000..=now).contains(&t.submitted_at_ms));
        }
        let mut fine = record(now - 1, TaskStatus::Running);
        assert!(!fine.clamp_submit_time(1_700_000_000_000, now));
    }

    #[test]
    fn lookups_take_only_task_ids() {
        assert_eq!(
            check_task_id(" 3A7D8355-EF78-48CD-863C-6CDB9707BA91\n").as_deref(),
            Ok("3a7d8355-ef78-48cd-863c-6cdb9707ba91")
        );
        for bad in [
            "no-such-task",
            "3a7d8355ef7848cd863c6cdb9707ba91",
            "3a7d8355-ef78-48cd-863c-6cdb9707ba9g",
            "sk-abc",
            "3a7d8355-ef78-48cd-863c-6cdb9707ba91 x",
        ] {
            assert_eq!(
                check_task_id(bad).unwrap_err().key(),
                Some("lookup.not_an_id"),
                "{bad}"
            );
        }
        assert_eq!(
            check_task_id("  ").unwrap_err().key(),
            Some("lookup.bad_id")
        );
    }

    #[test]
    fn the_card_says_what_the_page_really_does() {
        let now = 1_800_000_000_000;
        let running = record(now - 1_000, TaskStatus::Running);
        assert_eq!(Watch::of(&running, now, Ok(()), true), Watch::Checking);
        assert_eq!(Watch::of(&running, now, Ok(()), false), Watch::NeedsKey);
        let foreign = Watch::of(&running, now, Err("evil.example".into()), true);
        assert_eq!(foreign, Watch::Foreign("evil.example".into()));
        assert!(foreign.explain().unwrap().en().contains("evil.example"));
        let mut paused = running.clone();
        paused.paused = true;
        assert_eq!(Watch::of(&paused, now, Ok(()), true), Watch::Paused);
        // A foreign task says so even when it was paused (imported as paused).
        assert!(matches!(
            Watch::of(&paused, now, Err("h".into()), true),
            Watch::Foreign(_)
        ));
        let old = record(now - QUERYABLE_MS, TaskStatus::Running);
        assert_eq!(Watch::of(&old, now, Ok(()), true), Watch::Expired);
        assert!(Watch::Expired
            .explain()
            .unwrap()
            .en()
            .contains("No longer checked"));
        let done = record(now, TaskStatus::Succeeded);
        assert_eq!(
            Watch::of(&done, now, Err("h".into()), false),
            Watch::Finished
        );
        assert_eq!(Watch::Checking.explain(), None);
    }

    #[test]
    fn totals_from_relay_times_must_make_sense() {
        let mut t = record(0, TaskStatus::Succeeded);
        t.snapshot.submit_time = Some("2026-02-11 13:00:00.000".into());
        t.snapshot.end_time = Some("2026-02-11 13:04:00.000".into());
        assert_eq!(t.total_ms(), Some(240_000));
        t.snapshot.end_time = Some("2026-02-11 12:00:00.000".into());
        assert_eq!(t.total_ms(), None);
        t.snapshot.end_time = Some("2999-02-11 12:00:00.000".into());
        assert_eq!(t.total_ms(), None);
    }

    #[test]
    fn every_relay_text_of_a_record_is_redacted() {
        let key = "sk-e2eTestKey0123456789abcdefghijklmnopqrstuvwxyzAB";
        let r = Redactor::new(key);
        let mut t = record(0, TaskStatus::Other(format!("WEIRD {key}")));
        t.snapshot = TaskSnapshot {
            status: TaskStatus::Other(format!("WEIRD {key}")),
            submit_time: Some(key.into()),
            scheduled_time: Some(key.into()),
            end_time: Some(key.into()),
            video_url: Some(format!("https://x.example/v.mp4?t={key}")),
            code: Some(key.into()),
            message: Some(format!("bad {key}")),
            orig_prompt: Some(format!("prompt {key}")),
        };
        t.problem = Some(Explanation {
            text: Msg::verbatim(format!("status {key}")),
            request_id: Some(key.into()),
            detail: Some(key.into()),
            maybe_created: false,
        });
        t.redact(&r);
        let all = format!("{t:?}");
        assert!(!all.contains(&key[3..20]), "{all}");
        assert!(all.contains("sk-…"));
    }

    #[test]
    fn a_record_keeps_its_family_and_an_older_one_is_wan26() {
        let mut r = crate::domain::testing::record("t", 1, TaskStatus::Running);
        let old = serde_json::to_string(&r).unwrap();
        assert!(
            !old.contains("family"),
            "a wan2.6 record is written as before: {old}"
        );
        assert_eq!(r.family(), Family::Wan26);
        r.family = Some(Family::HappyHorse);
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains(r#""family":"happyhorse-get""#), "{text}");
        let back: TaskRecord = serde_json::from_str(&text).unwrap();
        assert_eq!(back.family(), Family::HappyHorse);
        let older: TaskRecord = serde_json::from_str(&old).unwrap();
        assert_eq!(older.family, None);
    }

    #[test]
    fn a_live_video_is_safe_and_not_expired() {
        let with_url = |url: Option<&str>| TaskRecord {
            id: "t".into(),
            service_id: None,
            request: None,
            endpoint: String::new(),
            submitted_at_ms: 0,
            snapshot: TaskSnapshot {
                video_url: url.map(Into::into),
                ..TaskSnapshot::with_status(TaskStatus::Succeeded)
            },
            problem: None,
            legacy_problem: None,
            paused: false,
            origin: Origin::Submitted,
            family: None,
            billed_tokens: None,
            from_take: None,
            ended_at_ms: None,
            kept: None,
            downloaded: false,
            batch: None,
        };
        // Expires=1000 s after the epoch.
        let signed = with_url(Some("https://x.aliyuncs.com/a.mp4?Expires=1000"));
        assert!(signed.has_live_video(999_999, &Whatwg));
        assert!(!signed.has_live_video(1_000_000, &Whatwg));
        assert!(
            with_url(Some("http://127.0.0.1:9090/video/a.mp4")).has_live_video(i64::MAX, &Whatwg)
        );
        assert!(!with_url(Some("http://example.com/a.mp4")).has_live_video(0, &Whatwg));
        assert!(!with_url(None).has_live_video(0, &Whatwg));
    }
}
