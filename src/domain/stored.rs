//! How the ledger is kept in the browser's database: one record per task, with the few fields the
//! database indexes (its shelf and its place in time), and a [`Summary`] that every write keeps up
//! to date (how many tasks, how many succeeded, seconds of video per tier, recent run times), so
//! the page shows counts, the spend and an ETA without reading every task.

use serde::{Deserialize, Serialize};

use super::cost::{PricePart, Pricing};
use super::form::Tier;
use super::models::{Family, Mode, Price};
use super::request::ModelRequest;
use super::task::{Origin, TaskRecord, TaskStatus};

/// The database's schema version (see `state::db`).
pub const DB_VERSION: u32 = 2;

/// How many recent run times the summary keeps per kind of request (for the ETA).
pub const RUNS_KEPT: usize = 25;

/// Where a task sits, as the database indexes it. A task that is still alive stays on `Active`
/// until a write moves it; one that outlived its 24 h window without a final status is
/// finished all the same (see [`TaskRecord::is_finished`]), which the page works out from the
/// few active tasks it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shelf {
    /// Not final yet (queued, running, or a status this app does not know).
    Active,
    /// Finished with a video.
    Succeeded,
    /// Failed, canceled, unknown, or a submit that may not exist (unconfirmed).
    Problem,
}

impl Shelf {
    /// Every shelf.
    pub const ALL: [Shelf; 3] = [Shelf::Active, Shelf::Succeeded, Shelf::Problem];

    /// Where `t` belongs.
    pub fn of(t: &TaskRecord) -> Shelf {
        match t.snapshot.status {
            _ if t.origin == Origin::Unconfirmed => Shelf::Problem,
            TaskStatus::Succeeded => Shelf::Succeeded,
            ref s if s.is_terminal() => Shelf::Problem,
            _ => Shelf::Active,
        }
    }

    /// The value stored in the record (and in the index).
    pub fn as_str(self) -> &'static str {
        match self {
            Shelf::Active => "active",
            Shelf::Succeeded => "ok",
            Shelf::Problem => "problem",
        }
    }
}

/// One run time of a succeeded task, for the ETA.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// The task's id (so deleting the task takes its sample away).
    pub id: String,
    /// The kind of request ([`eta_key`]).
    pub key: String,
    /// Queue plus run time, ms.
    pub ms: i64,
}

/// What the page needs about all tasks at once, kept beside them and updated by every write.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Tasks stored.
    #[serde(default)]
    pub tasks: u64,
    /// Of which succeeded.
    #[serde(default)]
    pub succeeded: u64,
    /// Seconds of succeeded 720P video.
    #[serde(default)]
    pub seconds_720: u64,
    /// Seconds of succeeded 1080P video.
    #[serde(default)]
    pub seconds_1080: u64,
    /// List price of the succeeded tasks of other families than wan2.6, in thousandths.
    #[serde(default)]
    pub list_milli: u64,
    /// Recent run times, oldest first, at most [`RUNS_KEPT`] per key.
    #[serde(default)]
    pub runs: Vec<Run>,
    /// Succeeded output per model and mode outside wan2.6, so the spend follows the prices
    /// set in Settings (a summary of earlier builds has none: see [`Summary::predates_uses`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<ModeUse>,
    /// Videos kept in this browser.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub kept: u64,
    /// Their size in bytes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub kept_bytes: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// What one model and mode outside wan2.6 made that succeeded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModeUse {
    /// The mode.
    pub mode: Mode,
    /// Seconds at 720P.
    pub s720: u64,
    /// Seconds at 1080P.
    pub s1080: u64,
    /// Videos (a mode priced per video).
    pub videos: u64,
}

/// The kind of request an ETA is asked for: tier, duration and shot type (`1080P/5/single`, as
/// older builds wrote it), and the mode where it is not wan2.6-t2v.
pub fn eta_key(r: &ModelRequest) -> String {
    let shot = r.shot_type.map_or("-", |s| s.wire());
    let base = format!("{}/{}/{shot}", r.tier().label(), r.duration.unwrap_or(0));
    match r.mode {
        super::models::Mode::Wan26T2v => base,
        mode => format!("{}/{base}", mode.key()),
    }
}

impl Summary {
    /// The summary of `tasks`, as if each was written in turn.
    pub fn of<'a>(tasks: impl IntoIterator<Item = &'a TaskRecord>) -> Summary {
        let mut s = Summary::default();
        for t in tasks {
            s.apply(None, Some(t));
        }
        s
    }

    /// Takes a write into account: `old` is what the database held under the id (if anything),
    /// `new` what it holds now (nothing for a delete).
    pub fn apply(&mut self, old: Option<&TaskRecord>, new: Option<&TaskRecord>) {
        if let Some(t) = old {
            self.count(t, false);
        }
        if let Some(t) = new {
            self.count(t, true);
        }
    }

    fn count(&mut self, t: &TaskRecord, add: bool) {
        let step = |n: &mut u64, by: u64| {
            *n = if add {
                n.saturating_add(by)
            } else {
                n.saturating_sub(by)
            }
        };
        step(&mut self.tasks, 1);
        if let Some(k) = &t.kept {
            step(&mut self.kept, 1);
            step(&mut self.kept_bytes, k.bytes);
        }
        if t.snapshot.status != TaskStatus::Succeeded || t.origin == Origin::Unconfirmed {
            return;
        }
        step(&mut self.succeeded, 1);
        let Some(r) = &t.request else { return };
        if r.mode.spec().family == Family::Wan26 {
            let seconds = u64::from(r.duration.unwrap_or(0));
            match r.tier() {
                Tier::P720 => step(&mut self.seconds_720, seconds),
                Tier::P1080 => step(&mut self.seconds_1080, seconds),
            }
        } else {
            if let Some(milli) = super::cost::list_milli(r) {
                step(&mut self.list_milli, milli);
            }
            let i = match self.uses.iter().position(|u| u.mode == r.mode) {
                Some(i) => i,
                None => {
                    self.uses.push(ModeUse {
                        mode: r.mode,
                        ..ModeUse::default()
                    });
                    self.uses.len() - 1
                }
            };
            let u = &mut self.uses[i];
            match (r.mode.spec().price, r.duration.filter(|s| *s > 0), r.tier()) {
                (Price::Flat(_), ..) => step(&mut u.videos, 1),
                (Price::PerSecond { .. }, Some(s), Tier::P720) => step(&mut u.s720, u64::from(s)),
                (Price::PerSecond { .. }, Some(s), Tier::P1080) => step(&mut u.s1080, u64::from(s)),
                (Price::PerSecond { .. }, None, _) => {}
            }
            if *u
                == (ModeUse {
                    mode: r.mode,
                    ..ModeUse::default()
                })
            {
                self.uses.remove(i);
            }
        }
        self.runs.retain(|run| run.id != t.id);
        if !add {
            return;
        }
        if let Some(ms) = t.total_ms().filter(|ms| *ms > 0) {
            let key = eta_key(r);
            if self.runs.iter().filter(|run| run.key == key).count() >= RUNS_KEPT {
                if let Some(i) = self.runs.iter().position(|run| run.key == key) {
                    self.runs.remove(i);
                }
            }
            self.runs.push(Run {
                id: t.id.clone(),
                key,
                ms,
            });
        }
    }

    /// The estimated spend over succeeded tasks, in thousandths (see [`Pricing::total`]).
    pub fn spend(&self, pricing: &Pricing) -> u64 {
        let wan26 = u64::from(pricing.per_second_720p.0)
            .saturating_mul(self.seconds_720)
            .saturating_add(
                u64::from(pricing.per_second_1080p.0).saturating_mul(self.seconds_1080),
            );
        if self.predates_uses() {
            return wan26.saturating_add(self.list_milli);
        }
        self.uses.iter().fold(wan26, |sum, u| {
            let at = |part, n: u64| {
                pricing
                    .price(u.mode, part)
                    .map_or(0, |r| u64::from(r.0).saturating_mul(n))
            };
            sum.saturating_add(at(PricePart::PerSecond(Tier::P720), u.s720))
                .saturating_add(at(PricePart::PerSecond(Tier::P1080), u.s1080))
                .saturating_add(at(PricePart::PerVideo, u.videos))
        })
    }

    /// True for a summary written before [`Summary::uses`] was kept: its spend outside wan2.6 is
    /// the list price only, until it is built again from the tasks.
    pub fn predates_uses(&self) -> bool {
        self.list_milli > 0 && self.uses.is_empty()
    }

    /// Typical time to a finished video for requests like `request`: the median of the recent
    /// runs of the same kind, in ms (see [`super::history::eta_ms`]).
    pub fn eta_ms(&self, request: &ModelRequest) -> Option<i64> {
        let key = eta_key(request);
        let mut samples: Vec<i64> = self
            .runs
            .iter()
            .filter(|r| r.key == key)
            .map(|r| r.ms)
            .collect();
        super::history::median(&mut samples)
    }
}

/// How long a deleted task's pictures and kept video are held for its Undo, which may be shown in
/// another tab that this tab cannot ask: 30 minutes, after which nothing can bring them back.
pub const HOLD_MS: i64 = 30 * 60 * 1000;

/// At most this many hashes are held at once (a stored list is never trusted to be small).
pub const MAX_HOLDS: usize = 2_000;

/// The media that deleted tasks used, held until a time so that an Undo (in this tab or another)
/// can bring the tasks back with them; a sweep of unused media leaves them alone. Kept in local
/// storage (every tab reads it at once), one `hash until_ms` per line, written before the
/// deletion's toast is shown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holds(Vec<(String, i64)>);

impl Holds {
    /// Reads the stored text, dropping ended holds and any line that is not a hash and a time,
    /// and clamping each end to at most [`HOLD_MS`] from `now`: bad data never holds media
    /// forever.
    pub fn parse(text: &str, now: i64) -> Self {
        let mut holds = Holds::default();
        for (hash, until) in text.lines().filter_map(|l| l.split_once(' ')) {
            let Ok(until) = until.trim().parse::<i64>() else {
                continue;
            };
            let until = until.min(now.saturating_add(HOLD_MS));
            if until > now && is_hash(hash) && holds.0.len() < MAX_HOLDS {
                holds.0.push((hash.to_owned(), until));
            }
        }
        holds
    }

    /// The text to store (see [`Holds::parse`]).
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|(h, until)| format!("{h} {until}\n"))
            .collect()
    }

    /// Holds `hashes` (the media of task records) for [`HOLD_MS`] from `now` (a hold already
    /// there is renewed).
    pub fn hold(&mut self, hashes: &[String], now: i64) {
        let until = now.saturating_add(HOLD_MS);
        for hash in hashes {
            let room = self.0.len() < MAX_HOLDS;
            match self.0.iter_mut().find(|(h, _)| h == hash) {
                Some((_, end)) => *end = until,
                None if room => self.0.push((hash.to_owned(), until)),
                None => {}
            }
        }
    }

    /// Lets go of `hashes` (their Undo is gone).
    pub fn release(&mut self, hashes: &[String]) {
        for hash in hashes {
            self.0.retain(|(h, _)| h != hash);
        }
    }

    /// The hashes held at `now`.
    pub fn held(&self, now: i64) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(_, until)| *until > now)
            .map(|(h, _)| h.as_str())
    }
}

/// A media key: 64 lower-case hex digits (a SHA-256).
fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{ShotType, Size};
    use crate::domain::history::eta_ms;
    use crate::domain::testing::{record, request};

    fn done(id: &str, at: i64, size: Size, secs: &str, run_s: i64) -> TaskRecord {
        let mut t = record(id, at, TaskStatus::Succeeded);
        t.request = Some(request(size, secs, ShotType::Single));
        t.snapshot.submit_time = Some("2025-01-01 10:00:00.000".into());
        t.snapshot.end_time = Some(format!(
            "2025-01-01 10:{:02}:{:02}.000",
            run_s / 60,
            run_s % 60
        ));
        t
    }

    #[test]
    fn shelves_follow_the_status_and_origin() {
        let mut t = record("a", 1, TaskStatus::Running);
        assert_eq!(Shelf::of(&t), Shelf::Active);
        t.snapshot.status = TaskStatus::Other("THINKING".into());
        assert_eq!(Shelf::of(&t), Shelf::Active);
        for (s, want) in [
            (TaskStatus::Succeeded, Shelf::Succeeded),
            (TaskStatus::Failed, Shelf::Problem),
            (TaskStatus::Canceled, Shelf::Problem),
            (TaskStatus::Unknown, Shelf::Problem),
        ] {
            t.snapshot.status = s;
            assert_eq!(Shelf::of(&t), want);
        }
        t.snapshot.status = TaskStatus::Pending;
        t.origin = Origin::Unconfirmed;
        assert_eq!(Shelf::of(&t), Shelf::Problem);
        let names: Vec<_> = Shelf::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(names, ["active", "ok", "problem"]);
    }

    #[test]
    fn the_summary_counts_spend_and_runs_like_the_whole_list_does() {
        let tasks = vec![
            done("a", 1, Size::S1280x720, "5", 120),
            done("b", 2, Size::S1920x1080, "10", 240),
            done("c", 3, Size::S1280x720, "5", 180),
            record("d", 4, TaskStatus::Failed),
            record("e", 5, TaskStatus::Running),
        ];
        let s = Summary::of(&tasks);
        assert_eq!((s.tasks, s.succeeded), (5, 3));
        assert_eq!((s.seconds_720, s.seconds_1080), (10, 10));
        let pricing = Pricing::default();
        assert_eq!(s.spend(&pricing), pricing.total(&tasks));
        for t in &tasks[..3] {
            let r = t.request.as_ref().unwrap();
            assert_eq!(s.eta_ms(r), eta_ms(&tasks, r), "{}", t.id);
        }
        let never = request(Size::S1920x1080, "3", ShotType::Multi);
        assert_eq!(s.eta_ms(&never), None);
    }

    #[test]
    fn updates_and_deletes_undo_exactly_what_the_old_record_added() {
        let mut running = done("a", 1, Size::S1920x1080, "10", 200);
        running.snapshot.status = TaskStatus::Running;
        let finished = done("a", 1, Size::S1920x1080, "10", 200);
        let other = done("b", 2, Size::S1280x720, "5", 100);
        let mut s = Summary::of([&other]);
        s.apply(None, Some(&running));
        s.apply(Some(&running), Some(&finished));
        assert_eq!(s, Summary::of([&other, &finished]));
        // The same final record written twice (another tab, a retry) counts once.
        s.apply(Some(&finished), Some(&finished));
        assert_eq!(s, Summary::of([&other, &finished]));
        s.apply(Some(&finished), None);
        assert_eq!(s, Summary::of([&other]));
        s.apply(Some(&other), None);
        assert_eq!(s, Summary::default());
    }

    #[test]
    fn kept_videos_are_counted_and_let_go() {
        let plain = done("a", 1, Size::S1280x720, "5", 100);
        let mut kept = plain.clone();
        kept.kept = Some(crate::domain::keep::KeptVideo {
            hash: "h".into(),
            bytes: 3_000_000,
        });
        let mut s = Summary::of([&plain]);
        s.apply(Some(&plain), Some(&kept));
        assert_eq!((s.kept, s.kept_bytes), (1, 3_000_000));
        assert_eq!(s.seconds_720, 5, "keeping does not count the video twice");
        s.apply(Some(&kept), Some(&plain));
        assert_eq!(s, Summary::of([&plain]));
        assert!(!crate::json::to_string(&s).unwrap().contains("kept"));
        assert_eq!(kept.media_in_use(), vec!["h".to_string()]);
        assert!(
            kept.local_media().is_empty(),
            "an export's pictures are pictures only"
        );
    }

    #[test]
    fn unconfirmed_submits_and_failures_are_not_spend() {
        let mut t = done("a", 1, Size::S1280x720, "5", 60);
        t.origin = Origin::Unconfirmed;
        let mut failed = done("b", 1, Size::S1280x720, "5", 60);
        failed.snapshot.status = TaskStatus::Failed;
        let s = Summary::of([&t, &failed]);
        assert_eq!((s.tasks, s.succeeded, s.seconds_720), (2, 0, 0));
        assert!(s.runs.is_empty());
    }

    #[test]
    fn only_the_latest_runs_of_each_kind_are_kept() {
        let tasks: Vec<_> = (0..40)
            .map(|i| done(&format!("t{i}"), i, Size::S1280x720, "5", 60 + i))
            .collect();
        let s = Summary::of(&tasks);
        assert_eq!(s.runs.len(), RUNS_KEPT);
        assert_eq!(s.runs[0].id, "t15");
        assert_eq!(s.succeeded, 40);
        // The median of the 25 latest: 60 + 27 s.
        let r = tasks[0].request.as_ref().unwrap();
        assert_eq!(s.eta_ms(r), Some(87_000));
    }

    #[test]
    fn a_summary_reads_back_from_what_older_or_newer_builds_stored() {
        let s: Summary = serde_json::from_str(r#"{"tasks":3,"later_field":1}"#).unwrap();
        assert_eq!((s.tasks, s.succeeded, s.runs.len()), (3, 0, 0));
    }

    impl Holds {
        fn holds(&self, hash: &str, now: i64) -> bool {
            self.held(now).any(|h| h == hash)
        }
    }

    #[test]
    fn a_hold_keeps_media_for_its_time_and_goes_when_released() {
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let mut holds = Holds::default();
        holds.hold(&[a.clone(), b.clone(), "not-a-hash".into()], 1_000);
        assert!(holds.holds(&a, 1_000 + HOLD_MS - 1));
        assert!(!holds.holds(&a, 1_000 + HOLD_MS));
        // Held here, never read back from storage.
        assert!(holds.holds("not-a-hash", 1_000));
        holds = Holds::parse(&holds.text(), 1_000);
        assert!(!holds.holds("not-a-hash", 1_000));
        holds.release(std::slice::from_ref(&a));
        assert!(!holds.holds(&a, 2_000));
        assert!(holds.holds(&b, 2_000));
        assert_eq!(Holds::parse(&holds.text(), 2_000), holds);
        assert_eq!(holds.held(2_000).collect::<Vec<_>>(), [b.as_str()]);
    }

    #[test]
    fn stored_holds_are_read_as_hostile() {
        let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
        let now = 10_000;
        let text = format!(
            "{a} 1000000000000000\n{b} 9999\n{c} soon\n{upper} 20000\n../x 20000\n{a}\n\n",
            upper = "A".repeat(64)
        );
        let holds = Holds::parse(&text, now);
        // a: forever, cut to HOLD_MS; b: ended; c: no time; the rest: not hashes.
        assert_eq!(holds.text(), format!("{a} {}\n", now + HOLD_MS));
        let many: String = (0..MAX_HOLDS + 10)
            .map(|i| format!("{i:064x} 20000\n"))
            .collect();
        assert_eq!(Holds::parse(&many, now).held(now).count(), MAX_HOLDS);
    }
}
