//! What a task card says, computed from the stored record and the clock: the elapsed time, the
//! phases the service reported, a one-line summary of the settings, how long the id stays
//! queryable, and which result to show. The card component only lays these out.

use super::form::{Derivation, FromTake, ShotType};
use super::history::eta_minutes;
use super::message::{Explanation, Msg};
use super::models::Mode;
use super::request::ModelRequest;
use super::task::{Origin, TaskRecord, TaskStatus, Watch};
use super::time::{clock, parse_china_time, span};

/// Longest prompt excerpt on a card, in characters.
pub const EXCERPT_CHARS: usize = 140;

/// The elapsed time to show (`4:58`): while it runs, the time since this page submitted it; once
/// it ended, the time until this page saw it end (so the clock never runs backwards), or the
/// service's queue plus run time for a task this page did not watch; nothing once it is past
/// its 24 h.
pub fn elapsed(record: &TaskRecord, now_ms: i64) -> Option<String> {
    let s = &record.snapshot;
    let server = |t: &Option<String>| t.as_deref().and_then(parse_china_time);
    let ms = if s.status.is_terminal() {
        match record.ended_at_ms {
            Some(end) => end.saturating_sub(record.submitted_at_ms),
            None => server(&s.end_time)? - server(&s.submit_time)?,
        }
    } else if record.is_finished(now_ms) {
        return None;
    } else {
        record.age_ms(now_ms)
    };
    Some(clock(ms))
}

/// "Accepted <time> · queued 9 s · ran 4 min 58 s", from the service's timestamps.
pub fn phases(record: &TaskRecord) -> Option<Msg> {
    let s = &record.snapshot;
    let t = |x: &Option<String>| x.as_deref().and_then(parse_china_time);
    let (submit, scheduled, end) = (t(&s.submit_time), t(&s.scheduled_time), t(&s.end_time));
    let mut parts = Vec::new();
    if let Some(a) = submit {
        parts.push(Msg::new("card.accepted").with_time("time", a));
    }
    if let (Some(a), Some(b)) = (submit, scheduled) {
        parts.push(Msg::new("card.queued").with("time", span(b - a)));
    }
    if let (Some(b), Some(c)) = (scheduled, end) {
        parts.push(Msg::new("card.ran").with("time", span(c - b)));
    }
    parts
        .into_iter()
        .reduce(|a, b| Msg::new("card.phase_join").with("a", a).with("b", b))
}

/// The prompt, cut to [`EXCERPT_CHARS`] characters (with `…` when cut).
pub fn prompt_excerpt(record: &TaskRecord) -> String {
    let prompt = record.prompt().unwrap_or("");
    let mut excerpt: String = prompt.chars().take(EXCERPT_CHARS).collect();
    if prompt.chars().count() > EXCERPT_CHARS {
        excerpt.push('…');
    }
    excerpt
}

/// "1920×1080 · 5 s · single shot · seed 7", or that the settings are unknown (looked up).
pub fn settings_summary(request: Option<&ModelRequest>) -> Msg {
    let Some(q) = request else {
        return Msg::new("card.settings_unknown");
    };
    let mut summary = Msg::new("card.settings")
        .with("model", mode_name(q.mode))
        .with("size", q.output_label())
        .with("duration", duration_text(q.duration));
    if let Some(shot) = q.shot_type {
        let shot = match shot {
            ShotType::Single => Msg::new("card.shot_single"),
            ShotType::Multi => Msg::new("card.shot_multi"),
        };
        summary = Msg::new("card.settings_shot")
            .with("settings", summary)
            .with("shot", shot);
    }
    match q.seed {
        Some(seed) => Msg::new("card.settings_seed")
            .with("settings", summary)
            .with("seed", seed.to_string()),
        None => summary,
    }
}

/// "Continues take 3a7d8355…" / "Edits take …": the take this one was made from.
pub fn chain(from: &FromTake) -> Msg {
    let key = match from.how {
        Derivation::Continues => "card.continues",
        Derivation::Edits => "card.edits",
    };
    Msg::new(key).with_code("id", &from.id)
}

/// A mode's name in words ("Wan 2.7 · First frame → video").
pub fn mode_name(mode: Mode) -> Msg {
    Msg::new(&format!("mode.{}", mode.key()))
}

/// A request's duration in words: seconds, "input's length" (`0` on an edit), or "follows the
/// input" where the mode has none.
pub fn duration_text(duration: Option<u8>) -> Msg {
    match duration {
        Some(0) => Msg::new("card.keep_length"),
        Some(s) => Msg::new("time.span_s").with("s", s.to_string()),
        None => Msg::new("card.follows_input"),
    }
}

/// How long the id stays queryable ("Queryable for another 23 h."), or `None` once past.
pub fn queryable(record: &TaskRecord, now_ms: i64) -> Option<Msg> {
    let left = span(record.queryable_for_ms(now_ms)?);
    Some(Msg::new("card.queryable").with("left", left))
}

/// While it runs: how long the id stays queryable, and the usual time to a video (`eta_ms`, from
/// the user's own finished tasks) when there is one.
pub fn timing(record: &TaskRecord, now_ms: i64, eta_ms: Option<i64>) -> Option<Msg> {
    if record.is_finished(now_ms) {
        return None;
    }
    let queryable = queryable(record, now_ms)?;
    // The card's one time estimate: from the user's own finished tasks, else the usual range.
    let estimate = match eta_ms {
        Some(ms) => Msg::new("card.usually_ready").with("min", eta_minutes(ms).to_string()),
        None => Msg::new("card.usually_range"),
    };
    Some(queryable.then(estimate))
}

/// The status chip's words: "Paused — needs you" when checking stopped on a problem, "May have
/// been created" for a submit whose reply never came, else the service's status.
pub fn status_label(record: &TaskRecord, watch: Option<&Watch>) -> Msg {
    if record.origin == Origin::Unconfirmed {
        Msg::new("card.maybe_created")
    } else if watch == Some(&Watch::Paused) {
        Msg::new("card.paused_chip")
    } else {
        record.snapshot.status.label()
    }
}

/// The task id to show: none for a submit whose reply never came (the record's own key is an
/// internal placeholder, not an id anyone can look up).
pub fn shown_id(record: &TaskRecord) -> Option<&str> {
    (record.origin != Origin::Unconfirmed).then(|| record.query_id())
}

/// The style class of a status chip ("paused" when checking stopped on a problem).
pub fn chip_class(record: &TaskRecord, watch: Option<&Watch>) -> &'static str {
    if watch == Some(&Watch::Paused) {
        "paused"
    } else {
        status_class(&record.snapshot.status)
    }
}

/// The style class of a status.
pub fn status_class(status: &TaskStatus) -> &'static str {
    match status {
        TaskStatus::Pending => "pending",
        TaskStatus::Running => "running",
        TaskStatus::Succeeded => "succeeded",
        TaskStatus::Failed => "failed",
        TaskStatus::Canceled => "canceled",
        TaskStatus::Unknown | TaskStatus::Other(_) => "unknown",
    }
}

/// What the card shows as the task's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A playable video at this (checked) URL.
    Video(String),
    /// A problem to explain (a failure, or a success without a usable link).
    Problem(Explanation),
    /// A sentence about the status (queued, running, canceled…).
    Note(Msg),
    /// Nothing (yet).
    Nothing,
}

/// The result to show, given the video URL as checked by the page's URL parser (`video`) and what
/// the page is doing about the task (`watch`): "it checks by itself" is said only while it
/// really is checked.
pub fn outcome(record: &TaskRecord, video: Option<String>, watch: &Watch) -> Outcome {
    if record.origin == Origin::Unconfirmed {
        return Outcome::Nothing;
    }
    match &record.snapshot.status {
        TaskStatus::Succeeded => match video {
            Some(url) => Outcome::Video(url),
            None => Outcome::Problem(Explanation::plain(Msg::new("task.no_video_link"))),
        },
        TaskStatus::Failed => Outcome::Problem(record.snapshot.failure()),
        other => match (watch, other.explain()) {
            (Watch::Checking | Watch::Finished, Some(note)) => Outcome::Note(note),
            _ => Outcome::Nothing,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{FormState, Size};
    use crate::domain::task::{TaskSnapshot, QUERYABLE_MS};

    fn record(status: TaskStatus, submitted_at_ms: i64) -> TaskRecord {
        crate::domain::testing::record("t-1", submitted_at_ms, status)
    }

    fn request(seed: &str, shot: ShotType) -> ModelRequest {
        FormState {
            prompt: "x".repeat(200),
            size: Size::S1280x720,
            duration: "5".into(),
            shot_type: shot,
            seed: seed.into(),
            ..FormState::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn elapsed_runs_while_polled_then_reads_the_service_times() {
        let now = 1_800_000_000_000;
        assert_eq!(
            elapsed(&record(TaskStatus::Running, now - 7_400), now).as_deref(),
            Some("0:07")
        );
        // A clock set back never shows a negative time.
        assert_eq!(
            elapsed(&record(TaskStatus::Running, now + 9_000), now).as_deref(),
            Some("0:00")
        );
        assert_eq!(
            elapsed(&record(TaskStatus::Running, now - QUERYABLE_MS), now),
            None
        );
        let mut done = record(TaskStatus::Succeeded, now - 60_000);
        assert_eq!(elapsed(&done, now), None, "no service times, no guess");
        done.snapshot.submit_time = Some("2026-02-11 13:00:00.000".into());
        done.snapshot.end_time = Some("2026-02-11 13:04:58.000".into());
        assert_eq!(elapsed(&done, now).as_deref(), Some("4:58"));
        // Watched to the end by this page: the clock stops where it was, never jumps back to the
        // service's shorter total (0:14 → 0:11).
        let mut watched = record(TaskStatus::Running, now - 14_000);
        assert_eq!(elapsed(&watched, now).as_deref(), Some("0:14"));
        let mut snap = TaskSnapshot::with_status(TaskStatus::Succeeded);
        snap.submit_time = Some("2026-02-11 13:00:00.000".into());
        snap.end_time = Some("2026-02-11 13:00:11.000".into());
        watched.record_reply(snap.clone(), now);
        assert_eq!(elapsed(&watched, now + 60_000).as_deref(), Some("0:14"));
        // A later reply does not move the stamp.
        watched.record_reply(snap, now + 5_000);
        assert_eq!(watched.ended_at_ms, Some(now));
    }

    #[test]
    fn phases_name_what_the_service_reported() {
        let mut r = record(TaskStatus::Succeeded, 0);
        assert_eq!(phases(&r), None);
        r.snapshot.submit_time = Some("2026-02-11 13:00:00.000".into());
        r.snapshot.scheduled_time = Some("2026-02-11 13:00:09.000".into());
        r.snapshot.end_time = Some("2026-02-11 13:04:58.000".into());
        let p = phases(&r).unwrap().en();
        assert!(
            p.contains("queued 9 s") && p.contains("ran 4 min 49 s"),
            "{p}"
        );
        assert_eq!(p.matches(" · ").count(), 2, "{p}");
    }

    #[test]
    fn summaries_and_excerpts() {
        let mut r = record(TaskStatus::Running, 0);
        r.request = Some(request("7", ShotType::Multi));
        let excerpt = prompt_excerpt(&r);
        assert_eq!(excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert!(excerpt.ends_with('…'));
        let s = settings_summary(r.request.as_ref()).en();
        assert!(
            s.contains("1280×720") && s.contains('7') && s.contains("multi"),
            "{s}"
        );
        let zh = settings_summary(Some(&request("", ShotType::Single))).zh();
        assert!(zh.contains("1280×720") && !zh.contains("%{"), "{zh}");
        assert!(settings_summary(None).en().contains("unknown"));
    }

    #[test]
    fn timing_only_while_running() {
        let now = 1_800_000_000_000;
        let r = record(TaskStatus::Running, now - 3_600_000);
        let t = timing(&r, now, Some(4 * 60_000)).unwrap().en();
        assert!(t.contains("23 h") && t.contains("~4 min"), "{t}");
        let no_eta = timing(&r, now, None).unwrap().en();
        assert!(
            !no_eta.contains('~') && no_eta.contains("1–5 min"),
            "{no_eta}"
        );
        assert_eq!(timing(&record(TaskStatus::Succeeded, now), now, None), None);
        assert_eq!(
            queryable(&r, now).unwrap().en(),
            "Queryable for another 23 h 0 min."
        );
        assert_eq!(queryable(&r, now + 23 * 3_600_000), None);
    }

    #[test]
    fn the_outcome_follows_status_and_watch() {
        let ok = record(TaskStatus::Succeeded, 0);
        assert_eq!(
            outcome(&ok, Some("https://v".into()), &Watch::Finished),
            Outcome::Video("https://v".into())
        );
        assert!(matches!(
            outcome(&ok, None, &Watch::Finished),
            Outcome::Problem(_)
        ));
        let queued = record(TaskStatus::Pending, 0);
        assert!(matches!(
            outcome(&queued, None, &Watch::Checking),
            Outcome::Note(_)
        ));
        // Not checked (paused, someone else's endpoint, no key): no "it checks by itself".
        assert_eq!(outcome(&queued, None, &Watch::Paused), Outcome::Nothing);
        assert_eq!(outcome(&queued, None, &Watch::NeedsKey), Outcome::Nothing);
        let mut unconfirmed = queued.clone();
        unconfirmed.origin = Origin::Unconfirmed;
        assert_eq!(
            outcome(&unconfirmed, None, &Watch::Finished),
            Outcome::Nothing
        );
        assert_eq!(
            status_label(&unconfirmed, None).key(),
            Some("card.maybe_created")
        );
        assert_eq!(shown_id(&unconfirmed), None);
        assert_eq!(shown_id(&queued), Some("t-1"));
        assert_eq!(
            status_label(&queued, Some(&Watch::Paused)).key(),
            Some("card.paused_chip")
        );
        assert_eq!(chip_class(&queued, Some(&Watch::Paused)), "paused");
        assert_eq!(status_label(&queued, Some(&Watch::Checking)).en(), "Queued");
        assert_eq!(status_class(&TaskStatus::Other("X".into())), "unknown");
    }
}
