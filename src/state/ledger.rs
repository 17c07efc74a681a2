//! The task ledger: every task this browser knows, kept in local storage under [`LEDGER_KEY`].
//!
//! Writes are synchronous and checked, so a task id is on disk before the page says "submitted",
//! and a full quota is reported instead of silently dropped. (The reactive storage hooks write in
//! a later effect and swallow failures: fine for settings, not for billed tasks.) Every change is
//! a read-modify-write against what is in storage at that moment, and other tabs' writes arrive
//! through `storage` events, so several open tabs never overwrite each other's tasks.

use leptos::prelude::*;

use super::problems::{storage, Problems};
use crate::domain::history::{decode_ledger, encode_ledger};
use crate::domain::message::{text, text_with};
use crate::domain::task::TaskRecord;

/// Storage key of the ledger (format version 1, see [`crate::domain::history`]).
pub const LEDGER_KEY: &str = "wan-studio.tasks.v1";

/// The reactive ledger.
#[derive(Clone, Copy)]
pub struct Ledger {
    tasks: RwSignal<Vec<TaskRecord>>,
    problems: Problems,
    /// The stored text `tasks` was read from or last written as: while storage still holds
    /// exactly this, no other tab has written and `tasks` is current, so a write needs no decode.
    synced: StoredValue<Option<String>>,
}

impl Ledger {
    /// Loads the ledger; unreadable data is kept aside and reported, never fatal. Also follows
    /// other tabs' changes.
    pub fn load(problems: Problems) -> Self {
        let mut synced = None;
        let tasks = match storage() {
            None => {
                problems.report(LEDGER_KEY, text("storage.unavailable"), None);
                Vec::new()
            }
            Some(s) => match s.get_item(LEDGER_KEY).ok().flatten() {
                None => Vec::new(),
                Some(raw) => {
                    let decoded = decode_ledger(&raw);
                    if decoded.lossy {
                        problems.keep_aside(
                            LEDGER_KEY,
                            &raw,
                            text_with(
                                "storage.ledger_partly_unreadable",
                                &[("n", &decoded.tasks.len().to_string())],
                            ),
                        );
                    }
                    if decoded.lossy || decoded.migrated {
                        let encoded = encode_ledger(&decoded.tasks);
                        if s.set_item(LEDGER_KEY, &encoded).is_ok() {
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
            synced: StoredValue::new(synced),
        };
        let listener = window_event_listener(leptos::ev::storage, move |ev| {
            if ev.key().as_deref() == Some(LEDGER_KEY) {
                ledger.reload();
            }
        });
        on_cleanup(move || listener.remove());
        ledger
    }

    /// Re-reads storage (after another tab wrote it).
    pub fn reload(&self) {
        if let Some(raw) = storage().and_then(|s| s.get_item(LEDGER_KEY).ok().flatten()) {
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

    /// Applies `f` to the freshest list (storage, else memory), writes storage first, then
    /// updates the page. Returns what `f` returned.
    pub fn modify<R>(&self, f: impl FnOnce(&mut Vec<TaskRecord>) -> R) -> R {
        // Decoding is the costly part with thousands of tasks: only when another tab wrote.
        let mut next = storage()
            .and_then(|s| s.get_item(LEDGER_KEY).ok().flatten())
            .filter(|raw| !self.is_synced(raw))
            .map(|raw| decode_ledger(&raw))
            .filter(|d| !d.lossy)
            .map(|d| d.tasks)
            .unwrap_or_else(|| self.tasks.get_untracked());
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

    fn is_synced(&self, raw: &str) -> bool {
        self.synced.with_value(|s| s.as_deref() == Some(raw))
    }

    fn persist(&self, tasks: &[TaskRecord]) {
        let Some(s) = storage() else { return };
        let encoded = encode_ledger(tasks);
        match s.set_item(LEDGER_KEY, &encoded) {
            Ok(()) => {
                self.synced.set_value(Some(encoded));
                self.problems.clear_quota();
            }
            // Storage keeps the older text, which no longer matches the page: the next write
            // builds on what the page holds (a task added meanwhile is not dropped).
            Err(_) => self.problems.report_quota(),
        }
    }
}
