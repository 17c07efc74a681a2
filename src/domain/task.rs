//! Tasks: statuses, what a query tells us, the record kept in storage, and when to poll next.

use serde::{Deserialize, Serialize};

use super::form::VideoRequest;
use super::message::{text, text_with, Bilingual, Explanation};
use super::time::{link_expiry_ms, parse_china_time};

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
    pub fn label(&self) -> Bilingual {
        match self {
            TaskStatus::Pending => text("status.pending"),
            TaskStatus::Running => text("status.running"),
            TaskStatus::Succeeded => text("status.succeeded"),
            TaskStatus::Failed => text("status.failed"),
            TaskStatus::Canceled => text("status.canceled"),
            TaskStatus::Unknown => text("status.unknown"),
            TaskStatus::Other(s) => Bilingual::same(s.clone()),
        }
    }

    /// What the status means for the user, where a label is not enough.
    pub fn explain(&self) -> Option<Bilingual> {
        match self {
            TaskStatus::Pending => Some(text("status.pending_hint")),
            TaskStatus::Running => Some(text("status.running_hint")),
            TaskStatus::Canceled => Some(text("status.canceled_hint")),
            TaskStatus::Unknown => Some(text("status.unknown_hint")),
            TaskStatus::Other(s) => Some(text_with("status.other_hint", &[("status", s)])),
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

    /// The video URL if it is safe to put into `<video src>` and links: `https:` anywhere, or
    /// `http:` on this machine only.
    pub fn safe_video_url(&self) -> Option<&str> {
        self.video_url.as_deref().filter(|u| is_safe_media_url(u))
    }

    /// Explains a FAILED task's code and message in plain words.
    pub fn failure(&self) -> Explanation {
        let code = self.code.clone().unwrap_or_default();
        let message = self.message.clone().unwrap_or_default();
        let text = match code.as_str() {
            "DataInspectionFailed" => text("failed.moderation"),
            "InvalidParameter.DataInspection" => text("failed.audio"),
            "InvalidParameter" => text("failed.invalid_parameter"),
            "Arrearage" => text("failed.arrearage"),
            c if c.starts_with("Throttling") => text("failed.throttling"),
            "InternalError" | "ModelUnavailable" => text("failed.internal"),
            _ => text("failed.other"),
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

/// True for URLs that may be used as media sources or link targets.
pub fn is_safe_media_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") {
        return lower.len() > "https://".len();
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = if let Some(v6) = authority.strip_prefix('[') {
            v6.split(']').next().unwrap_or("")
        } else {
            authority.split(':').next().unwrap_or("")
        };
        return super::settings::is_loopback(host);
    }
    false
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
    /// The service's task id (for [`Origin::Unconfirmed`], a local placeholder).
    pub id: String,
    /// The validated request that created it; unknown for looked-up tasks.
    #[serde(default)]
    pub request: Option<VideoRequest>,
    /// The endpoint it was submitted to.
    pub endpoint: String,
    /// Local clock at submit (or lookup), ms since the epoch.
    pub submitted_at_ms: i64,
    /// The latest snapshot.
    pub snapshot: TaskSnapshot,
    /// The latest problem while checking it (cleared by the next good reply).
    #[serde(default)]
    pub problem: Option<Explanation>,
    /// True when polling stopped for a reason other than a terminal status (the user can resume).
    #[serde(default)]
    pub paused: bool,
    /// How it got here.
    #[serde(default)]
    pub origin: Origin,
}

impl TaskRecord {
    /// True while the app should keep polling it.
    pub fn wants_polling(&self, now_ms: i64) -> bool {
        self.origin != Origin::Unconfirmed
            && !self.snapshot.status.is_terminal()
            && !self.paused
            && now_ms - self.submitted_at_ms < QUERYABLE_MS
    }

    /// True once nothing about it will change (terminal, unconfirmed, or past the 24 h window).
    pub fn is_finished(&self, now_ms: i64) -> bool {
        self.origin == Origin::Unconfirmed
            || self.snapshot.status.is_terminal()
            || now_ms - self.submitted_at_ms >= QUERYABLE_MS
    }

    /// When the service created it (server clock), else when this browser submitted it.
    pub fn created_ms(&self) -> i64 {
        self.snapshot
            .submit_time
            .as_deref()
            .and_then(parse_china_time)
            .unwrap_or(self.submitted_at_ms)
    }

    /// Queue plus run time from the service's timestamps, once ended.
    pub fn total_ms(&self) -> Option<i64> {
        let t = |x: &Option<String>| x.as_deref().and_then(parse_china_time);
        Some(t(&self.snapshot.end_time)? - t(&self.snapshot.submit_time)?)
    }

    /// When the video link expires, if there is one.
    pub fn link_expiry_ms(&self) -> Option<i64> {
        self.snapshot.video_url.as_deref().and_then(link_expiry_ms)
    }

    /// True when the task has a playable video whose link has not expired (what can be compared).
    pub fn has_live_video(&self, now_ms: i64) -> bool {
        self.snapshot.safe_video_url().is_some() && self.link_expiry_ms().is_none_or(|e| e > now_ms)
    }

    /// How long the id stays queryable (24 h from submit), or `None` once past.
    pub fn queryable_for_ms(&self, now_ms: i64) -> Option<i64> {
        let left = self.submitted_at_ms + QUERYABLE_MS - now_ms;
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
            assert!(!parsed.label().en.is_empty());
        }
        assert!(TaskStatus::Other("X".into())
            .explain()
            .unwrap()
            .en
            .contains("\"X\""));
        assert!(TaskStatus::Unknown
            .explain()
            .unwrap()
            .en
            .contains("24 hours"));
        assert!(TaskStatus::Canceled.explain().unwrap().zh.contains("取消"));
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
        assert!(e.text.en.contains("moderation") && e.text.zh.contains("审核"));
        assert_eq!(
            e.detail.as_deref(),
            Some("DataInspectionFailed: Input data may contain inappropriate content.")
        );
        assert!(mk("InvalidParameter.DataInspection", "")
            .failure()
            .text
            .en
            .contains("audio"));
        assert!(mk("InvalidParameter", "The size is not match")
            .failure()
            .detail
            .unwrap()
            .contains("size"));
        assert!(mk("Throttling.RateQuota", "")
            .failure()
            .text
            .en
            .contains("rate"));
        assert!(mk("Weird", "boom")
            .failure()
            .text
            .en
            .contains("message below"));
    }

    #[test]
    fn only_safe_media_urls_are_used() {
        let table = [
            ("https://x.aliyuncs.com/a.mp4?Expires=1", true),
            ("http://127.0.0.1:9090/video/a.mp4", true),
            ("http://localhost/a.mp4", true),
            ("http://example.com/a.mp4", false),
            ("javascript:alert(1)", false),
            ("data:video/mp4;base64,AAAA", false),
            ("https://", false),
        ];
        for (url, ok) in table {
            assert_eq!(is_safe_media_url(url), ok, "{url}");
            let s = TaskSnapshot {
                video_url: Some(url.into()),
                ..TaskSnapshot::with_status(TaskStatus::Succeeded)
            };
            assert_eq!(s.safe_video_url().is_some(), ok);
        }
    }

    #[test]
    fn a_live_video_is_safe_and_not_expired() {
        let with_url = |url: Option<&str>| TaskRecord {
            id: "t".into(),
            request: None,
            endpoint: String::new(),
            submitted_at_ms: 0,
            snapshot: TaskSnapshot {
                video_url: url.map(Into::into),
                ..TaskSnapshot::with_status(TaskStatus::Succeeded)
            },
            problem: None,
            paused: false,
            origin: Origin::Submitted,
        };
        // Expires=1000 s after the epoch.
        let signed = with_url(Some("https://x.aliyuncs.com/a.mp4?Expires=1000"));
        assert!(signed.has_live_video(999_999));
        assert!(!signed.has_live_video(1_000_000));
        assert!(with_url(Some("http://127.0.0.1:9090/video/a.mp4")).has_live_video(i64::MAX));
        assert!(!with_url(Some("http://example.com/a.mp4")).has_live_video(0));
        assert!(!with_url(None).has_live_video(0));
    }
}
