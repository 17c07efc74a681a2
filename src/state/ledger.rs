//! The task ledger: every task this browser knows, one record each in the browser's database
//! (`state::db`), with a summary kept beside them. The page holds only what it shows: every task
//! still active (the poller and the running limit need them) and the newest tasks of the chosen
//! filter, as many as the gallery shows; counts, the spend and the ETA come from the summary. So
//! opening the page costs the same with ten tasks or ten thousand.
//!
//! A submit's record is on disk before the page says "submitted" ([`Ledger::insert`] waits for
//! the browser's word); other changes show at once and are written behind, a full disk
//! reported. Every tab hears of every write through a `BroadcastChannel` and re-reads what it
//! shows. A ledger left in local storage by earlier builds moves into the database once, on
//! first load, and unreadable records are kept aside for download, never dropped silently.
//!
//! Demo mode, and a browser without a database, keep tasks in the page only.

use std::collections::HashSet;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::db::{Db, DbError};
use super::problems::Problems;
use super::storage_keys::{Place, DB_NAME, LEDGER_CHANNEL, LEDGER_KEY};
use crate::domain::history::{
    admit_imported, decode_ledger, matching_ids, new_tasks, pictures_of, restore, ImportFile,
    ImportReport, StatusFilter, EARLIEST_MS, LATEST_MS,
};
use crate::domain::message::Msg;
use crate::domain::redact::Redactor;
use crate::domain::stored::{Shelf, Summary};
use crate::domain::task::TaskRecord;

/// Records decoded (and checked) between two yields to the browser during an import.
const IMPORT_CHUNK: usize = 2_000;
/// Records written per transaction by an import: if the disk fills, what came before stays.
const WRITE_CHUNK: usize = 500;
/// How many cards the gallery shows at first; "Show more" adds as many again.
pub const PAGE: usize = 30;
/// Where unreadable records found in the database are kept aside (`<this>.unreadable`).
const ASIDE_KEY: &str = "wan-studio.tasks.db";

/// Background work of the ledger.
enum Job {
    /// Open the database (and move an older ledger in).
    Open(Redactor),
    /// Read again what the page shows.
    Refresh,
    /// Write these records and delete these ids; `true`: only over records still stored.
    Write(Vec<TaskRecord>, Vec<String>, bool),
}

/// What the gallery shows: a filter and how many cards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct View {
    /// Which tasks.
    pub filter: StatusFilter,
    /// How many, newest first.
    pub shown: usize,
}

/// The reactive ledger. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct Ledger {
    held: RwSignal<Vec<TaskRecord>>,
    summary: RwSignal<Summary>,
    view: RwSignal<View>,
    ready: RwSignal<bool>,
    db: StoredValue<Option<Db>, LocalStorage>,
    channel: StoredValue<Option<web_sys::BroadcastChannel>, LocalStorage>,
    /// The owner the ledger was made under: its reads and writes run (and are dropped) with it.
    owner: StoredValue<Option<Owner>, LocalStorage>,
    /// Counts the page's own changes: a read that began before one is stale and read again.
    changes: StoredValue<u64>,
    /// Records the database refused (a full disk): kept on the page, whatever it reads again,
    /// until a later write of them succeeds or they are deleted.
    unsaved: StoredValue<Vec<TaskRecord>>,
    problems: Problems,
}

impl Ledger {
    /// Opens the ledger: the page starts at once, and the tasks arrive as soon as the database
    /// answers (moving an older local-storage ledger in first, once).
    pub fn load(problems: Problems, redactor: &Redactor) -> Self {
        let ledger = Self {
            held: RwSignal::new(Vec::new()),
            summary: RwSignal::new(Summary::default()),
            view: RwSignal::new(View {
                filter: StatusFilter::All,
                shown: PAGE,
            }),
            ready: RwSignal::new(false),
            db: StoredValue::new_local(None),
            channel: StoredValue::new_local(None),
            changes: StoredValue::new(0),
            unsaved: StoredValue::new(Vec::new()),
            owner: StoredValue::new_local(Owner::current()),
            problems,
        };
        ledger.spawn(Job::Open(redactor.clone()));
        ledger
    }

    /// Runs `job` under the ledger's owner; it stops if the page (or a test) disposes of it.
    /// (One kind of future for all of the ledger's background work: each kind costs code.)
    fn spawn(self, job: Job) {
        if let Some(Some(owner)) = self.owner.try_get_value() {
            owner.with(|| leptos::task::spawn_local_scoped_with_cancellation(self.run(job)));
        }
    }

    async fn run(self, job: Job) {
        match job {
            Job::Open(redactor) => self.open(redactor).await,
            Job::Refresh => self.refresh().await,
            Job::Write(records, gone, replace) => self.write_now(records, gone, replace).await,
        }
    }

    async fn open(self, redactor: Redactor) {
        if self.problems.place() == Place::Real {
            match Db::open(DB_NAME).await {
                Ok(db) => {
                    self.db.set_value(Some(db.clone()));
                    self.migrate(&db, &redactor).await;
                    self.listen();
                }
                Err(_) => self
                    .problems
                    .report(DB_NAME, Msg::new("storage.unavailable"), None),
            }
        }
        self.refresh().await;
        self.ready.set(true);
    }

    /// Moves a ledger kept in local storage by earlier builds into the database, then removes
    /// it there; if the database refuses, it stays where it was and is tried again next time.
    async fn migrate(self, db: &Db, redactor: &Redactor) {
        let Some(storage) = Place::Real.storage() else {
            return;
        };
        let key = LEDGER_KEY;
        let Some(raw) = storage.get_item(key).ok().flatten() else {
            return;
        };
        let mut decoded = decode_ledger(&raw);
        for t in &mut decoded.tasks {
            t.redact(redactor);
            t.clamp_submit_time(EARLIEST_MS, LATEST_MS);
        }
        if decoded.lossy {
            self.problems.keep_aside(
                key,
                &raw,
                Msg::new("storage.ledger_partly_unreadable")
                    .with("n", decoded.tasks.len().to_string()),
            );
        }
        match db.put(&decoded.tasks).await {
            Ok(_) => {
                let _ = storage.remove_item(key);
            }
            Err(e) => self.failed(&e),
        }
    }

    /// Re-reads what the page shows when another tab wrote.
    fn listen(self) {
        let Ok(channel) = web_sys::BroadcastChannel::new(LEDGER_CHANNEL) else {
            return;
        };
        let on_message = Closure::<dyn Fn()>::new(move || {
            self.spawn(Job::Refresh);
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // Lives as long as the page (the ledger is created once, in `App`).
        on_message.forget();
        self.channel.set_value(Some(channel));
    }

    /// Tells the other tabs that the ledger changed.
    fn announce(self) {
        self.channel.with_value(|c| {
            if let Some(c) = c {
                let _ = c.post_message(&JsValue::from_str("changed"));
            }
        });
    }

    /// Reads again the summary, the active tasks and the page shown.
    async fn refresh(self) {
        while !self.read_view().await {
            // Let the change's own write reach the database before reading again.
            yield_to_browser().await;
        }
    }

    /// One read of what the page shows; false when the page changed something meanwhile (what
    /// was read may predate it: read again), true otherwise (done, nothing to read, or failed).
    async fn read_view(self) -> bool {
        let Some(db) = self.db.get_value() else {
            // In the page only: it holds every task.
            let s = self.held.with_untracked(|h| Summary::of(h));
            self.summary.set(s);
            return true;
        };
        let before = self.changes.get_value();
        let view = self.view.get_untracked();
        let shown = u32::try_from(view.shown).unwrap_or(u32::MAX);
        let page = match view.filter {
            StatusFilter::All => Some(None),
            // Every active task is read anyway.
            StatusFilter::Active => None,
            StatusFilter::Succeeded => Some(Some(Shelf::Succeeded)),
            StatusFilter::Problems => Some(Some(Shelf::Problem)),
        };
        match db.view(page, shown).await {
            Ok((mut summary, page)) => {
                // Written by an earlier build: built again once, so the spend follows Settings.
                if summary.predates_uses() {
                    if let Ok(rebuilt) = db.resummarise().await {
                        summary = rebuilt;
                    }
                }
                let unreadable = page.unreadable;
                let mut held = Vec::new();
                restore(&mut held, page.tasks);
                self.unsaved.with_value(|u| keep_unsaved(&mut held, u));
                if !unreadable.is_empty() {
                    self.set_aside(&db, unreadable).await;
                }
                if self.changes.get_value() != before {
                    // The page changed something meanwhile: what was read may predate it.
                    return false;
                }
                if self.summary.get_untracked() != summary {
                    self.summary.set(summary);
                }
                if self.held.with_untracked(|h| *h != held) {
                    self.held.set(held);
                }
                true
            }
            Err(e) => {
                self.failed(&e);
                true
            }
        }
    }

    /// Keeps unreadable records aside (with any kept before), for download, and takes them out
    /// of the database so they are reported once.
    async fn set_aside(self, db: &Db, unreadable: Vec<(String, String)>) {
        let aside = format!("{ASIDE_KEY}{}", super::storage_keys::ASIDE_SUFFIX);
        let earlier = Place::Real
            .storage()
            .and_then(|s| s.get_item(&aside).ok().flatten())
            .and_then(|t| t.strip_prefix('[')?.strip_suffix(']').map(str::to_string))
            .filter(|t| !t.trim().is_empty());
        let n = unreadable.len();
        let (ids, texts): (Vec<String>, Vec<String>) = unreadable.into_iter().unzip();
        let mut all: Vec<String> = earlier.into_iter().collect();
        // Each as a JSON string: what was stored, whatever it was.
        all.extend(
            texts
                .iter()
                .map(|t| crate::json::to_string(t).unwrap_or_default()),
        );
        let text = format!("[{}]", all.join(","));
        self.problems.keep_aside(
            ASIDE_KEY,
            &text,
            Msg::new("storage.records_unreadable").with("n", n.to_string()),
        );
        let kept = Place::Real
            .storage()
            .and_then(|s| s.get_item(&aside).ok().flatten())
            .is_some_and(|t| t == text);
        if kept && db.delete_tasks(&ids).await.is_ok() {
            let _ = db.resummarise().await;
        }
    }

    fn failed(self, e: &DbError) {
        match e {
            DbError::Quota => self.problems.report_quota(),
            _ => self
                .problems
                .report(DB_NAME, Msg::new("storage.unavailable"), None),
        }
    }

    /// The open database, once it is (pictures for the image inputs are kept there too).
    pub fn db(&self) -> Option<Db> {
        self.db.get_value()
    }

    /// The tasks the page holds, oldest first: every active task and the newest of the view.
    pub fn tasks(&self) -> ReadSignal<Vec<TaskRecord>> {
        self.held.read_only()
    }

    /// Counts, spend and run times over every stored task.
    pub fn summary(&self) -> ReadSignal<Summary> {
        self.summary.read_only()
    }

    /// False until the tasks are read (the page says nothing about them until then).
    pub fn ready(&self) -> ReadSignal<bool> {
        self.ready.read_only()
    }

    /// What the gallery shows.
    pub fn view(&self) -> ReadSignal<View> {
        self.view.read_only()
    }

    /// Shows another filter or more cards (reads them from the database).
    pub fn show(&self, view: View) {
        if self.view.get_untracked() == view {
            return;
        }
        self.view.set(view);
        self.spawn(Job::Refresh);
    }

    /// How many tasks each filter shows, in [`StatusFilter::ALL`]'s order.
    pub fn counts(&self, now_ms: i64) -> [usize; 4] {
        let s = self.summary.get();
        let active = self.held.with(|h| {
            h.iter()
                .filter(|t| StatusFilter::Active.matches(t, now_ms))
                .count()
        });
        let all = usize::try_from(s.tasks).unwrap_or(usize::MAX);
        let ok = usize::try_from(s.succeeded).unwrap_or(usize::MAX);
        [
            all,
            active,
            ok,
            all.saturating_sub(ok).saturating_sub(active),
        ]
    }

    /// The ids the view shows, newest first (at most `shown`).
    pub fn shown_ids(&self, now_ms: i64) -> Vec<String> {
        let view = self.view.get();
        self.held.with(|h| {
            let mut ids = matching_ids(h, view.filter, now_ms);
            ids.truncate(view.shown);
            ids
        })
    }

    /// One held task by id (untracked).
    pub fn get_untracked(&self, id: &str) -> Option<TaskRecord> {
        self.held
            .with_untracked(|t| t.iter().find(|r| r.id == id).cloned())
    }

    /// One task by id, held or stored.
    pub async fn get(&self, id: &str) -> Option<TaskRecord> {
        if let Some(t) = self.get_untracked(id) {
            return Some(t);
        }
        let db = self.db.get_value()?;
        db.get(id).await.ok().flatten()
    }

    /// Records a new task and waits until it is on disk; returns its id (`id#2`… when a relay
    /// repeated an id, never overwriting the earlier, billed task). A refused write is reported
    /// and the task kept in the page.
    pub async fn insert(&self, record: TaskRecord) -> String {
        let record = match self.db.get_value() {
            Some(db) => match db.insert(record.clone()).await {
                Ok((id, summary)) => {
                    self.summary.set(summary);
                    self.announce();
                    let mut stored = record;
                    if stored.id != id {
                        stored.service_id = Some(stored.id.clone());
                        stored.id = id;
                    }
                    stored
                }
                Err(e) => {
                    self.failed(&e);
                    let record = self.unused_id(record);
                    self.note(None, Some(&record));
                    self.unsaved
                        .update_value(|u| keep_unsaved(u, std::slice::from_ref(&record)));
                    record
                }
            },
            None => self.unused_id(record),
        };
        let id = record.id.clone();
        self.changes.update_value(|n| *n += 1);
        self.held.update(|h| restore(h, vec![record]));
        self.after_memory_write();
        id
    }

    fn unused_id(&self, mut record: TaskRecord) -> TaskRecord {
        let base = record.id.clone();
        let mut n = 2;
        while self.get_untracked(&record.id).is_some() {
            record.id = format!("{base}#{n}");
            record.service_id = Some(base.clone());
            n += 1;
        }
        record
    }

    /// In the page only, the summary follows the held list.
    fn after_memory_write(&self) {
        if self.db.with_value(Option::is_none) {
            let s = self.held.with_untracked(|h| Summary::of(h));
            self.summary.set(s);
        }
    }

    /// Writes records behind the page: reported if refused.
    fn write(self, records: Vec<TaskRecord>, gone: Vec<String>, replace: bool) {
        self.changes.update_value(|n| *n += 1);
        self.after_memory_write();
        if self.db.with_value(Option::is_some) {
            self.spawn(Job::Write(records, gone, replace));
        }
    }

    async fn write_now(self, records: Vec<TaskRecord>, gone: Vec<String>, replace: bool) {
        let Some(db) = self.db.get_value() else {
            return;
        };
        let result = if !gone.is_empty() {
            db.delete_tasks(&gone).await
        } else if replace {
            self.replaced(db.replace(&records).await)
        } else {
            db.put(&records).await
        };
        let saved = result.is_ok();
        self.unsaved.update_value(|u| {
            if saved || !gone.is_empty() {
                u.retain(|r| !gone.contains(&r.id) && !records.iter().any(|x| x.id == r.id));
            } else {
                keep_unsaved(u, &records);
            }
        });
        match result {
            Ok(summary) => {
                self.problems.clear_quota();
                self.summary.set(summary);
                self.announce();
            }
            Err(e) => self.failed(&e),
        }
    }

    /// Adds a task or replaces the one with the same id.
    pub fn upsert(&self, record: TaskRecord) {
        self.put_held(record, false);
    }

    /// Puts `record` in the page and writes it; `replace`: on disk only over a stored copy.
    fn put_held(&self, record: TaskRecord, replace: bool) {
        self.note(self.get_untracked(&record.id).as_ref(), Some(&record));
        self.held
            .update(|h| match h.iter_mut().find(|r| r.id == record.id) {
                Some(slot) => *slot = record.clone(),
                None => restore(h, vec![record.clone()]),
            });
        self.write(vec![record], Vec::new(), replace);
    }

    /// Changes one held task, if it is there (and, on disk, only if it is still stored: another
    /// tab may have deleted it while this one polled it).
    pub fn update(&self, id: &str, f: impl FnOnce(&mut TaskRecord)) {
        let Some(mut record) = self.get_untracked(id) else {
            return;
        };
        f(&mut record);
        self.put_held(record, true);
    }

    /// The summary of a [`Db::replace`]; when a record was no longer stored (deleted in another
    /// tab), the page reads again and lets it go.
    fn replaced(self, result: Result<(Summary, bool), DbError>) -> Result<Summary, DbError> {
        result.map(|(summary, all)| {
            if !all {
                self.spawn(Job::Refresh);
            }
            summary
        })
    }

    /// Removes tasks; returns the held ones removed (for undo).
    pub fn remove(&self, ids: &[String]) -> Vec<TaskRecord> {
        let mut gone = Vec::new();
        self.held.update(|h| {
            let (out, keep): (Vec<_>, Vec<_>) = h.drain(..).partition(|r| ids.contains(&r.id));
            *h = keep;
            gone = out;
        });
        for r in &gone {
            self.note(Some(r), None);
        }
        self.write(Vec::new(), ids.to_vec(), false);
        gone
    }

    /// Counts a change at once (the database's own count follows when the write is done), so
    /// what the page shows never waits for the disk: the gallery stays while the last task is
    /// deleted and put back.
    fn note(&self, old: Option<&TaskRecord>, new: Option<&TaskRecord>) {
        if self.db.with_value(Option::is_some) {
            self.summary.update(|s| s.apply(old, new));
        }
    }

    /// Puts removed tasks back (undo).
    pub fn restore(&self, removed: Vec<TaskRecord>) {
        for r in &removed {
            if self.get_untracked(&r.id).is_none() {
                self.note(None, Some(r));
            }
        }
        self.held.update(|h| restore(h, removed.clone()));
        self.write(removed, Vec::new(), false);
        self.spawn(Job::Refresh);
    }

    /// Changes the tasks with these ids, shown or only stored, and waits until the change is on
    /// disk (so what follows, a sweep of unused media, sees it). False when the database refused
    /// (reported); the page keeps the change either way.
    pub async fn change(&self, ids: &[String], f: &dyn Fn(&mut TaskRecord)) -> bool {
        let mut changed = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(mut t) = self.get(id).await {
                f(&mut t);
                changed.push(t);
            }
        }
        self.held.update(|h| {
            for t in h.iter_mut() {
                if let Some(c) = changed.iter().find(|c| c.id == t.id) {
                    *t = c.clone();
                }
            }
        });
        self.changes.update_value(|n| *n += 1);
        let Some(db) = self.db.get_value() else {
            self.after_memory_write();
            return true;
        };
        match self.replaced(db.replace(&changed).await) {
            Ok(summary) => {
                self.summary.set(summary);
                self.announce();
                true
            }
            Err(e) => {
                self.failed(&e);
                self.unsaved.update_value(|u| keep_unsaved(u, &changed));
                false
            }
        }
    }

    /// Every stored task, oldest first (for an export, or clearing finished ones).
    pub async fn all(&self) -> Vec<TaskRecord> {
        let Some(db) = self.db.get_value() else {
            return self.held.get_untracked();
        };
        match db.all(None).await {
            Ok(mut page) => {
                page.tasks.reverse();
                page.tasks
            }
            Err(e) => {
                self.failed(&e);
                self.held.get_untracked()
            }
        }
    }

    /// The tasks submitted at or after `ms` (this month's, for a budget).
    pub async fn since(&self, ms: i64) -> Vec<TaskRecord> {
        let Some(db) = self.db.get_value() else {
            return self.held.with_untracked(|h| {
                h.iter()
                    .filter(|t| t.submitted_at_ms >= ms)
                    .cloned()
                    .collect()
            });
        };
        match db.since(ms).await {
            Ok(page) => page.tasks,
            Err(e) => {
                self.failed(&e);
                Vec::new()
            }
        }
    }

    /// Removes every finished task; returns them (for undo).
    pub async fn clear_finished(&self, now_ms: i64) -> Vec<TaskRecord> {
        let finished: Vec<TaskRecord> = self
            .all()
            .await
            .into_iter()
            .filter(|t| t.is_finished(now_ms))
            .collect();
        let ids: Vec<String> = finished.iter().map(|t| t.id.clone()).collect();
        for t in &finished {
            if self.get_untracked(&t.id).is_none() {
                self.note(Some(t), None);
            }
        }
        self.remove(&ids);
        finished
    }

    /// Imports a history file: decodes it a chunk at a time (yielding to the browser between
    /// chunks, so 100 000 records never freeze the page), redacts and clamps every record, and
    /// adds the tasks not already here, newest first, a few hundred per write: if the disk fills,
    /// the newest that fit are kept and the rest reported.
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
        let offered = incoming.len();
        let wanted: HashSet<String> = pictures_of(&incoming).into_iter().collect();
        let known = self.all().await.into_iter().map(|t| t.id).collect();
        let mut fresh = new_tasks(&known, incoming);
        report.already_here = offered - fresh.len();
        // Newest first, so what does not fit is the oldest.
        fresh.sort_by_key(|t| std::cmp::Reverse(t.submitted_at_ms));
        let mut added = 0;
        if let Some(db) = self.db.get_value() {
            for chunk in fresh.chunks(WRITE_CHUNK) {
                match db.put(chunk).await {
                    Ok(summary) => {
                        added += chunk.len();
                        self.summary.set(summary);
                    }
                    Err(e) => {
                        self.failed(&e);
                        break;
                    }
                }
                yield_to_browser().await;
            }
        } else {
            added = fresh.len();
            self.held.update(|h| restore(h, fresh.clone()));
        }
        report.added = added;
        report.added_ids = fresh[..added].iter().map(|t| t.id.clone()).collect();
        report.did_not_fit = fresh.len() - added;
        // After the tasks, so a sweep meanwhile sees the tasks that use them.
        if let Some(db) = self.db.get_value() {
            let (pictures, unreadable) = file.pictures();
            report.pictures_refused = unreadable;
            for p in pictures.iter().filter(|p| wanted.contains(&p.hash)) {
                match super::images::restore_picture(&db, p).await {
                    Ok(true) => report.pictures += 1,
                    Ok(false) => {}
                    Err(()) => report.pictures_refused += 1,
                }
            }
        }
        if added > 0 {
            self.after_memory_write();
            self.announce();
            self.refresh().await;
        }
        report
    }
}

/// Puts `unsaved` records into `list` (replacing older copies), keeping it ordered by submit time.
fn keep_unsaved(list: &mut Vec<TaskRecord>, unsaved: &[TaskRecord]) {
    for r in unsaved {
        match list.iter_mut().find(|x| x.id == r.id) {
            Some(slot) => *slot = r.clone(),
            None => restore(list, vec![r.clone()]),
        }
    }
}

/// Lets the browser paint and handle input before the next chunk of work.
async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}
