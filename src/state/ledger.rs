//! The task ledger: every task this browser knows, kept in local storage under
//! `wan-studio.tasks.v1` (demo mode: its own, in the tab's session storage; see `Place`).
//!
//! Writes are synchronous and checked, so a task id is on disk before the page says "submitted",
//! and a full quota is reported instead of silently dropped. (The reactive storage hooks write in
//! a later effect and swallow failures: fine for settings, not for billed tasks.) Every change is
//! a read-modify-write against what is in storage at that moment, and other tabs' writes arrive
//! through `storage` events, so several open tabs never overwrite each other's tasks.

use leptos::prelude::*;

use super::problems::Problems;
use super::storage_keys::Place;
use crate::domain::history::{
    admit_imported, decode_ledger, encode_ledger, new_tasks, restore, ImportFile, ImportReport,
    EARLIEST_MS, LATEST_MS,
};
use crate::domain::message::Msg;
use crate::domain::redact::Redactor;
use crate::domain::task::TaskRecord;

/// Records decoded (and checked) between two yields to the browser during an import.
const IMPORT_CHUNK: usize = 2_000;

/// The reactive ledger.
#[derive(Clone, Copy)]
pub struct Ledger {
    tasks: RwSignal<Vec<TaskRecord>>,
    problems: Problems,
    /// Where it is kept (local storage, or the demo's session storage).
    place: Place,
    /// The stored text `tasks` was read from or last written as: while storage still holds
    /// exactly this, no other tab has written and `tasks` is current, so a write needs no decode.
    synced: StoredValue<Option<String>>,
}

impl Ledger {
    /// Loads the ledger; unreadable data is kept aside and reported, never fatal. Records kept by
    /// older builds are cleaned on the way in (an echoed key redacted, an absurd submit time
    /// clamped) and written back. Also follows other tabs' changes.
    pub fn load(problems: Problems, redactor: &Redactor) -> Self {
        let place = problems.place();
        let key = place.ledger_key();
        let mut synced = None;
        let tasks = match place.storage() {
            None => {
                problems.report(key, Msg::new("storage.unavailable"), None);
                Vec::new()
            }
            Some(s) => match s.get_item(key).ok().flatten() {
                None => Vec::new(),
                Some(raw) => {
                    let mut decoded = decode_ledger(&raw);
                    let mut cleaned = false;
                    for t in &mut decoded.tasks {
                        let before = t.clone();
                        t.redact(redactor);
                        t.clamp_submit_time(EARLIEST_MS, LATEST_MS);
                        cleaned |= *t != before;
                    }
                    if decoded.lossy {
                        problems.keep_aside(
                            key,
                            &raw,
                            Msg::new("storage.ledger_partly_unreadable")
                                .with("n", decoded.tasks.len().to_string()),
                        );
                    }
                    if decoded.lossy || decoded.migrated || cleaned {
                        let encoded = encode_ledger(&decoded.tasks);
                        if s.set_item(key, &encoded).is_ok() {
                            synced = Some(encoded);
                        }
                    } else {
                        synced = Some(raw);
                    }
                    decoded.tasks
                }
            },
        };
        let ledger = Self {
            tasks: RwSignal::new(tasks),
            problems,
            place,
            synced: StoredValue::new(synced),
        };
        let listener = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().as_deref() == Some(key) {
                ledger.reload();
            }
        });
        on_cleanup(move || listener.remove());
        ledger
    }

    /// Re-reads storage (after another tab wrote it).
    pub fn reload(&self) {
        if let Some(raw) = self.read() {
            if self.is_synced(&raw) {
                return;
            }
            let decoded = decode_ledger(&raw);
            if !decoded.lossy {
                if decoded.tasks != self.tasks.get_untracked() {
                    self.tasks.set(decoded.tasks);
                }
                self.synced.set_value(Some(raw));
            }
        }
    }

    /// All tasks, oldest first.
    pub fn tasks(&self) -> Signal<Vec<TaskRecord>> {
        self.tasks.into()
    }

    /// One task by id (untracked).
    pub fn get_untracked(&self, id: &str) -> Option<TaskRecord> {
        self.tasks
            .with_untracked(|t| t.iter().find(|r| r.id == id).cloned())
    }

    /// The freshest list: what another tab stored since, else what the page holds.
    fn freshest(&self) -> Vec<TaskRecord> {
        // Decoding is the costly part with thousands of tasks: only when another tab wrote.
        self.read()
            .filter(|raw| !self.is_synced(raw))
            .map(|raw| decode_ledger(&raw))
            .filter(|d| !d.lossy)
            .map(|d| d.tasks)
            .unwrap_or_else(|| self.tasks.get_untracked())
    }

    /// Applies `f` to the freshest list (storage, else memory), writes storage first, then
    /// updates the page. Returns what `f` returned.
    pub fn modify<R>(&self, f: impl FnOnce(&mut Vec<TaskRecord>) -> R) -> R {
        let mut next = self.freshest();
        let before = next.clone();
        let out = f(&mut next);
        if next != before {
            self.persist(&next);
        }
        if next != self.tasks.get_untracked() {
            self.tasks.set(next);
        }
        out
    }

    /// Adds a task or replaces the one with the same id.
    pub fn upsert(&self, record: TaskRecord) {
        self.modify(|tasks| match tasks.iter_mut().find(|r| r.id == record.id) {
            Some(slot) => *slot = record,
            None => tasks.push(record),
        });
    }

    /// Changes one task, if it is there.
    pub fn update(&self, id: &str, f: impl FnOnce(&mut TaskRecord)) {
        self.modify(|tasks| {
            if let Some(r) = tasks.iter_mut().find(|r| r.id == id) {
                f(r);
            }
        });
    }

    /// Removes one task; returns it (for undo).
    pub fn remove(&self, id: &str) -> Vec<TaskRecord> {
        self.modify(|tasks| {
            let (gone, keep): (Vec<_>, Vec<_>) = tasks.drain(..).partition(|r| r.id == id);
            *tasks = keep;
            gone
        })
    }

    /// The stored text, if any.
    fn read(&self) -> Option<String> {
        let s = self.place.storage()?;
        s.get_item(self.place.ledger_key()).ok().flatten()
    }

    fn is_synced(&self, raw: &str) -> bool {
        self.synced.with_value(|s| s.as_deref() == Some(raw))
    }

    fn persist(&self, tasks: &[TaskRecord]) {
        if !self.try_persist(tasks) {
            // Storage keeps the older text, which no longer matches the page: the next write
            // builds on what the page holds (a task added meanwhile is not dropped).
            self.problems.report_quota();
        }
    }

    /// Writes the ledger; false when storage refused (full, or none).
    fn try_persist(&self, tasks: &[TaskRecord]) -> bool {
        let Some(s) = self.place.storage() else {
            return false;
        };
        let encoded = encode_ledger(tasks);
        let ok = s.set_item(self.place.ledger_key(), &encoded).is_ok();
        if ok {
            self.synced.set_value(Some(encoded));
            self.problems.clear_quota();
        }
        ok
    }

    /// Imports a history file: decodes it a chunk at a time (yielding to the browser between
    /// chunks, so 100 000 records never freeze the page), redacts and clamps every record, adds
    /// the tasks not already here in one linear pass, and writes only what storage can hold:
    /// if everything does not fit, the newest tasks that do are kept and the rest reported.
    pub async fn import(&self, file: ImportFile, redactor: &Redactor, now_ms: i64) -> ImportReport {
        let mut report = ImportReport::default();
        let mut incoming = Vec::with_capacity(file.len());
        let mut start = 0;
        while start < file.len() {
            let (mut tasks, unreadable) = file.decode(start..start + IMPORT_CHUNK);
            report.unreadable += unreadable;
            for t in &mut tasks {
                if admit_imported(t, redactor, now_ms) {
                    report.clamped += 1;
                }
            }
            incoming.extend(tasks);
            start += IMPORT_CHUNK;
            yield_to_browser().await;
        }
        let current = self.freshest();
        let offered = incoming.len();
        let mut fresh = new_tasks(&current, incoming);
        report.already_here = offered - fresh.len();
        if fresh.is_empty() {
            return report;
        }
        // Newest first, so what does not fit is the oldest.
        fresh.sort_by_key(|t| std::cmp::Reverse(t.submitted_at_ms));
        let with = |n: usize| {
            let mut next = current.clone();
            restore(&mut next, fresh[..n].to_vec());
            next
        };
        // The largest n whose ledger storage accepts: all of them, else a binary search (each
        // step is one real write, so the quota is what the browser says, not a guess).
        let mut best = None;
        let all = with(fresh.len());
        if self.try_persist(&all) {
            best = Some((fresh.len(), all));
        } else {
            let (mut lo, mut hi) = (0usize, fresh.len() - 1);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                let next = with(mid);
                if self.try_persist(&next) {
                    lo = mid;
                    best = Some((mid, next));
                } else {
                    hi = mid - 1;
                }
                yield_to_browser().await;
            }
        }
        let (added, next) = best.unwrap_or((0, current));
        report.added = added;
        report.added_ids = fresh[..added].iter().map(|t| t.id.clone()).collect();
        report.did_not_fit = fresh.len() - added;
        if report.did_not_fit > 0 {
            self.problems.report_quota();
        }
        if next != self.tasks.get_untracked() {
            self.tasks.set(next);
        }
        report
    }
}

/// Lets the browser paint and handle input before the next chunk of work.
async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
