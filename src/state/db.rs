//! The browser's database (IndexedDB, through the `idb` crate): where tasks live, one record
//! each, and where the next issues keep media. The only code that knows its layout.
//!
//! Layout (version [`DB_VERSION`]):
//! - `tasks`, keyed by the task's id: `{ id, neg, shelf, task }`, where `task` is the
//!   [`TaskRecord`]'s JSON text, `neg` is minus its submit time (so ascending order is
//!   newest first) and `shelf` is [`Shelf::as_str`]. Indexes: `order` (`[neg, id]`) and `shelf`
//!   (`[shelf, neg, id]`), so a page of the newest tasks, all or of one shelf, is one request.
//! - `meta`: the [`Summary`]'s JSON text under `summary`, written in the same transaction as every task.
//! - `media`: blobs keyed by the hash of their content (used by the image inputs and kept videos),
//!   `{ hash, blob, width, height }`. A task row lists the hashes its request sends under
//!   `media`, a multi-entry index of the same name (version 2), so a picture no task uses is found
//!   without reading the tasks ([`Db::sweep_media`]).
//!
//! A record that no longer reads (another build's, or damaged) costs only itself, and is handed
//! back as its text to be kept aside.

use std::rc::Rc;

use std::collections::HashSet;

use idb::{
    Database, Factory, IndexParams, KeyPath, KeyRange, ObjectStore, ObjectStoreParams, Query,
    TransactionMode,
};
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::image::hashes_in;
use crate::domain::stored::{Shelf, Summary, DB_VERSION};
use crate::domain::task::TaskRecord;

const TASKS: &str = "tasks";
const META: &str = "meta";
const MEDIA: &str = "media";
const SUMMARY: &str = "summary";
/// The tasks' field (and index) listing the pictures a task sends.
const USES: &str = "media";

/// Why the database could not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    /// The browser offers no database here (blocked, or a private mode without one).
    #[error("no database")]
    Unavailable,
    /// The browser's storage quota is used up.
    #[error("quota")]
    Quota,
    /// Anything else (the browser's own words, for the console only; no user data in them).
    #[error("{0}")]
    Failed(String),
}

impl From<idb::Error> for DbError {
    fn from(e: idb::Error) -> Self {
        use idb::Error as E;
        // Where the browser's own exception is: a refused request, or a failed transaction.
        let name = match &e {
            E::DomException(d) => Some(d.name()),
            E::AddFailed(v) | E::UpdateFailed(v) | E::TransactionCommitError(v) => v
                .dyn_ref::<web_sys::DomException>()
                .map(web_sys::DomException::name),
            _ => None,
        };
        match name.as_deref() {
            Some("QuotaExceededError") => DbError::Quota,
            Some(n) => DbError::Failed(n.into()),
            None => DbError::Failed("idb".into()),
        }
    }
}

/// A page of tasks, newest first.
#[derive(Debug, Default)]
pub struct Page {
    /// The records that read.
    pub tasks: Vec<TaskRecord>,
    /// Records that did not: their ids and the JSON text they hold.
    pub unreadable: Vec<(String, String)>,
}

/// A picture kept for the image inputs: its bytes and what the page shows of it.
#[derive(Clone, Debug)]
pub struct MediaRow {
    /// SHA-256 of the bytes, hex.
    pub hash: String,
    /// The bytes, with their MIME type.
    pub blob: web_sys::Blob,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
}

/// An open database. Cheap to clone.
#[derive(Clone)]
pub struct Db(Rc<Database>);

impl Db {
    /// Opens (creating or upgrading) the database called `name`.
    pub async fn open(name: &str) -> Result<Db, DbError> {
        let factory = Factory::new().map_err(|_| DbError::Unavailable)?;
        let mut request = factory
            .open(name, Some(DB_VERSION))
            .map_err(|_| DbError::Unavailable)?;
        request.on_upgrade_needed(|event| {
            use idb::{DatabaseEvent, Event, Request};
            let Ok(db) = event.database() else { return };
            let old = event.old_version().unwrap_or(0);
            let tasks = if old < 1 {
                let mut by_id = ObjectStoreParams::new();
                by_id.key_path(Some(KeyPath::new_single("id")));
                let Ok(tasks) = db.create_object_store(TASKS, by_id) else {
                    return;
                };
                let _ = tasks.create_index("order", KeyPath::new_array(["neg", "id"]), None);
                let _ =
                    tasks.create_index("shelf", KeyPath::new_array(["shelf", "neg", "id"]), None);
                let _ = db.create_object_store(META, ObjectStoreParams::new());
                let mut by_hash = ObjectStoreParams::new();
                by_hash.key_path(Some(KeyPath::new_single("hash")));
                let _ = db.create_object_store(MEDIA, by_hash);
                tasks
            } else {
                let Some(Ok(tasks)) = event
                    .target()
                    .ok()
                    .and_then(|r| r.transaction())
                    .map(|tx| tx.object_store(TASKS))
                else {
                    return;
                };
                tasks
            };
            if old < 2 {
                // Version 2: which pictures each task sends, so a picture no task uses can go.
                let mut many = IndexParams::new();
                many.multi_entry(true);
                let _ = tasks.create_index(USES, KeyPath::new_single(USES), Some(many));
                if old == 1 {
                    // Rows written by version 1 name their pictures only in their text: the
                    // upgrade's own transaction adds the list (the open waits for it).
                    wasm_bindgen_futures::spawn_local(async move {
                        let Ok(request) = tasks.get_all(None, None) else {
                            return;
                        };
                        let Ok(rows) = request.await else { return };
                        for row in rows {
                            let text = js_sys::Reflect::get(&row, &JsValue::from_str("task"))
                                .ok()
                                .and_then(|v| v.as_string())
                                .unwrap_or_default();
                            let hashes = hashes_in(&text);
                            if !hashes.is_empty() {
                                let _ = js_sys::Reflect::set(
                                    &row,
                                    &JsValue::from_str(USES),
                                    &hash_list(hashes.iter().map(String::as_str)),
                                );
                                let _ = tasks.put(&row, None);
                            }
                        }
                    });
                }
            }
        });
        let mut db = request.await?;
        // Another tab upgrading or deleting the database waits for this connection: let it go.
        db.on_version_change(|event| {
            if let Some(Ok(db)) = event.target().map(Database::try_from) {
                db.close();
            }
        });
        Ok(Db(Rc::new(db)))
    }

    /// Deletes the database called `name` (demo mode's, when leaving it).
    pub async fn delete(name: &str) -> Result<(), DbError> {
        let factory = Factory::new().map_err(|_| DbError::Unavailable)?;
        factory.delete(name)?.await?;
        Ok(())
    }

    /// Closes this connection (so the database can be deleted).
    pub fn close(&self) {
        self.0.close();
    }

    /// The summary of every stored task.
    pub async fn summary(&self) -> Result<Summary, DbError> {
        let tx = self.0.transaction(&[META], TransactionMode::ReadOnly)?;
        let meta = tx.object_store(META)?;
        read_summary(&meta).await
    }

    /// One task by id.
    pub async fn get(&self, id: &str) -> Result<Option<TaskRecord>, DbError> {
        let tx = self.0.transaction(&[TASKS], TransactionMode::ReadOnly)?;
        let tasks = tx.object_store(TASKS)?;
        let row = tasks.get(Query::Key(JsValue::from_str(id)))?.await?;
        Ok(row.and_then(|r| decode(&r).ok()))
    }

    /// The `n` newest tasks, of one shelf or of all.
    pub async fn newest(&self, shelf: Option<Shelf>, n: u32) -> Result<Page, DbError> {
        let tx = self.0.transaction(&[TASKS], TransactionMode::ReadOnly)?;
        let tasks = tx.object_store(TASKS)?;
        let rows = match shelf {
            None => tasks.index("order")?.get_all(None, Some(n))?.await?,
            Some(s) => {
                let range = shelf_range(s)?;
                tasks
                    .index("shelf")?
                    .get_all(Some(Query::KeyRange(range)), Some(n))?
                    .await?
            }
        };
        Ok(decode_page(rows))
    }

    /// What the page shows, read at one moment: the summary, and every active task followed by
    /// the `n` newest of `page` (a shelf, or all; `None`: no page). Asked for at once: one round
    /// trip.
    pub async fn view(
        &self,
        page: Option<Option<Shelf>>,
        n: u32,
    ) -> Result<(Summary, Page), DbError> {
        let tx = self
            .0
            .transaction(&[TASKS, META], TransactionMode::ReadOnly)?;
        let tasks = tx.object_store(TASKS)?;
        let meta = tx.object_store(META)?;
        let summary = meta.get(Query::Key(JsValue::from_str(SUMMARY)))?;
        let shelves = tasks.index("shelf")?;
        let active = shelves.get_all(Some(Query::KeyRange(shelf_range(Shelf::Active)?)), None)?;
        let shown = match page {
            None => None,
            Some(None) => Some(tasks.index("order")?.get_all(None, Some(n))?),
            Some(Some(s)) => {
                Some(shelves.get_all(Some(Query::KeyRange(shelf_range(s)?)), Some(n))?)
            }
        };
        let summary = summary.await?;
        let mut rows = active.await?;
        if let Some(shown) = shown {
            rows.extend(shown.await?);
        }
        Ok((parse_summary(summary), decode_page(rows)))
    }

    /// The tasks submitted at or after `ms`, newest first (one request on the time index).
    pub async fn since(&self, ms: i64) -> Result<Page, DbError> {
        let tx = self.0.transaction(&[TASKS], TransactionMode::ReadOnly)?;
        let tasks = tx.object_store(TASKS)?;
        // `order` is `[neg, id]`: every key up to `[-ms, []]` (an array sorts after every id).
        let upper = js_sys::Array::of2(&JsValue::from_f64(-(ms as f64)), &js_sys::Array::new());
        let range = KeyRange::upper_bound(&upper, Some(false))?;
        let rows = tasks
            .index("order")?
            .get_all(Some(Query::KeyRange(range)), None)?
            .await?;
        Ok(decode_page(rows))
    }

    /// Every task, newest first (for an export, or clearing a shelf), without holding the page
    /// while the browser reads: one request.
    pub async fn all(&self, shelf: Option<Shelf>) -> Result<Page, DbError> {
        self.newest(shelf, u32::MAX).await
    }

    /// Writes `records` (new or replacing the stored ones with their ids) and the summary, in one
    /// transaction; returns the new summary once the browser says it is on disk.
    pub async fn put(&self, records: &[TaskRecord]) -> Result<Summary, DbError> {
        Ok(self.write(records, &[], false).await?.0)
    }

    /// Writes `records` over the stored ones with their ids, leaving out any that is no longer
    /// stored: a late update (a poll, a kept video) never brings back a task deleted meanwhile,
    /// maybe in another tab. Returns the new summary and whether every record was written.
    pub async fn replace(&self, records: &[TaskRecord]) -> Result<(Summary, bool), DbError> {
        self.write(records, &[], true).await
    }

    /// Deletes the tasks with these ids; returns the new summary.
    pub async fn delete_tasks(&self, ids: &[String]) -> Result<Summary, DbError> {
        Ok(self.write(&[], ids, false).await?.0)
    }

    /// Adds `record` under its id, or, when that id is taken (a relay repeated a task id), under
    /// `id#2`, `id#3`…, never overwriting an earlier (billed) task. Returns the id used and the
    /// new summary, once on disk.
    pub async fn insert(&self, mut record: TaskRecord) -> Result<(String, Summary), DbError> {
        let tx = self
            .0
            .transaction(&[TASKS, META], TransactionMode::ReadWrite)?;
        let tasks = tx.object_store(TASKS)?;
        let meta = tx.object_store(META)?;
        let base = record.id.clone();
        let mut n = 2;
        while tasks
            .count(Some(Query::Key(JsValue::from_str(&record.id))))?
            .await?
            > 0
        {
            record.id = format!("{base}#{n}");
            n += 1;
        }
        if record.id != base && record.service_id.is_none() {
            record.service_id = Some(base);
        }
        let mut summary = read_summary(&meta).await?;
        summary.apply(None, Some(&record));
        tasks.put(&encode(&record), None)?.await?;
        meta.put(&summary_value(&summary), Some(&JsValue::from_str(SUMMARY)))?
            .await?;
        finish(tx).await?;
        Ok((record.id, summary))
    }

    async fn write(
        &self,
        records: &[TaskRecord],
        gone: &[String],
        replace: bool,
    ) -> Result<(Summary, bool), DbError> {
        let tx = self
            .0
            .transaction(&[TASKS, META], TransactionMode::ReadWrite)?;
        let tasks = tx.object_store(TASKS)?;
        let meta = tx.object_store(META)?;
        let mut summary = read_summary(&meta).await?;
        // Every read is asked for before the first answer is awaited: one round trip, not n.
        let mut olds = Vec::with_capacity(records.len() + gone.len());
        for id in records
            .iter()
            .map(|r| r.id.as_str())
            .chain(gone.iter().map(String::as_str))
        {
            olds.push(tasks.get(Query::Key(JsValue::from_str(id)))?);
        }
        let mut old_rows = Vec::with_capacity(olds.len());
        for request in olds {
            old_rows.push(request.await?);
        }
        let old_records: Vec<Option<TaskRecord>> = old_rows
            .iter()
            .map(|row| row.as_ref().and_then(|r| decode(r).ok()))
            .collect();
        let (old_written, old_gone) = old_records.split_at(records.len());
        let mut all = true;
        for (record, (old, row)) in records.iter().zip(old_written.iter().zip(&old_rows)) {
            if replace && row.is_none() {
                all = false;
                continue;
            }
            summary.apply(old.as_ref(), Some(record));
            let _ = tasks.put(&encode(record), None)?;
        }
        for (id, old) in gone.iter().zip(old_gone) {
            summary.apply(old.as_ref(), None);
            let _ = tasks.delete(Query::Key(JsValue::from_str(id)))?;
        }
        let _ = meta.put(&summary_value(&summary), Some(&JsValue::from_str(SUMMARY)))?;
        finish(tx).await?;
        Ok((summary, all))
    }

    /// Keeps a picture under its hash (the same bytes are stored once).
    pub async fn put_media(&self, row: &MediaRow) -> Result<(), DbError> {
        let tx = self.0.transaction(&[MEDIA], TransactionMode::ReadWrite)?;
        let media = tx.object_store(MEDIA)?;
        let value = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| {
            let _ = js_sys::Reflect::set(&value, &JsValue::from_str(k), v);
        };
        set("hash", &JsValue::from_str(&row.hash));
        set("blob", &row.blob);
        set("width", &JsValue::from(row.width));
        set("height", &JsValue::from(row.height));
        let _ = media.put(&value, None)?;
        finish(tx).await
    }

    /// The picture kept under `hash`, if any (a row another build wrote wrongly reads as none).
    pub async fn media(&self, hash: &str) -> Result<Option<MediaRow>, DbError> {
        let tx = self.0.transaction(&[MEDIA], TransactionMode::ReadOnly)?;
        let media = tx.object_store(MEDIA)?;
        let Some(row) = media.get(Query::Key(JsValue::from_str(hash)))?.await? else {
            return Ok(None);
        };
        let get = |k: &str| js_sys::Reflect::get(&row, &JsValue::from_str(k)).ok();
        let side = |k: &str| get(k).and_then(|v| v.as_f64()).map_or(0, |n| n as u32);
        Ok(get("blob")
            .and_then(|b| b.dyn_into::<web_sys::Blob>().ok())
            .map(|blob| MediaRow {
                hash: hash.to_owned(),
                blob,
                width: side("width"),
                height: side("height"),
            }))
    }

    /// Lets go of every kept picture that no task sends and `keep` does not name (the draft's, an
    /// undo's); returns how many went. One transaction: a task written meanwhile waits for it.
    pub async fn sweep_media(&self, keep: &HashSet<String>) -> Result<usize, DbError> {
        let tx = self
            .0
            .transaction(&[TASKS, MEDIA], TransactionMode::ReadWrite)?;
        let uses = tx.object_store(TASKS)?.index(USES)?;
        let media = tx.object_store(MEDIA)?;
        let mut asked = Vec::new();
        for key in media.get_all_keys(None, None)?.await? {
            if key.as_string().is_some_and(|h| !keep.contains(&h)) {
                let count = uses.count(Some(Query::Key(key.clone())))?;
                asked.push((key, count));
            }
        }
        let mut gone = 0;
        for (key, count) in asked {
            if count.await? == 0 {
                let _ = media.delete(Query::Key(key))?;
                gone += 1;
            }
        }
        finish(tx).await?;
        Ok(gone)
    }

    /// Rebuilds the summary from every record (after reading found one the summary may not know).
    pub async fn resummarise(&self) -> Result<Summary, DbError> {
        let tx = self
            .0
            .transaction(&[TASKS, META], TransactionMode::ReadWrite)?;
        let tasks = tx.object_store(TASKS)?;
        let meta = tx.object_store(META)?;
        let rows = tasks.get_all(None, None)?.await?;
        let page = decode_page(rows);
        let summary = Summary::of(&page.tasks);
        let _ = meta.put(&summary_value(&summary), Some(&JsValue::from_str(SUMMARY)))?;
        finish(tx).await?;
        Ok(summary)
    }
}

/// Waits for a read-write transaction to be on disk; an abort (quota, or a failed request) is
/// an error.
async fn finish(tx: idb::Transaction) -> Result<(), DbError> {
    let result = tx.commit()?.await?;
    if result.is_committed() {
        Ok(())
    } else {
        Err(DbError::Failed("aborted".into()))
    }
}

async fn read_summary(meta: &ObjectStore) -> Result<Summary, DbError> {
    let value = meta.get(Query::Key(JsValue::from_str(SUMMARY)))?.await?;
    Ok(parse_summary(value))
}

/// The stored summary (none yet, or unreadable: empty).
fn parse_summary(value: Option<JsValue>) -> Summary {
    value
        .and_then(|v| v.as_string())
        .and_then(|s| crate::json::from_str(&s).ok())
        .unwrap_or_default()
}

/// The summary as stored: its JSON text.
fn summary_value(summary: &Summary) -> JsValue {
    JsValue::from_str(&crate::json::to_string(summary).unwrap_or_default())
}

/// The key range of one shelf in the `shelf` index (`[shelf, neg, id]`): from `[shelf]` up to
/// `[shelf, []]` (an array sorts after every number).
fn shelf_range(s: Shelf) -> Result<KeyRange, DbError> {
    let name = JsValue::from_str(s.as_str());
    let lower = js_sys::Array::of1(&name);
    let upper = js_sys::Array::of2(&name, &js_sys::Array::new());
    Ok(KeyRange::bound(&lower, &upper, Some(false), Some(false))?)
}

/// The stored row of `t` (the record itself as JSON text: read back with serde, no copy into
/// JavaScript objects and out again).
fn encode(t: &TaskRecord) -> JsValue {
    let row = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&row, &JsValue::from_str(k), v);
    };
    set("id", &JsValue::from_str(&t.id));
    // As a double: ms times fit exactly.
    set("neg", &JsValue::from_f64(-(t.submitted_at_ms as f64)));
    set("shelf", &JsValue::from_str(Shelf::of(t).as_str()));
    set(
        USES,
        &hash_list(t.media_in_use().iter().map(String::as_str)),
    );
    set(
        "task",
        &JsValue::from_str(&crate::json::to_string(t).unwrap_or_default()),
    );
    row.into()
}

/// Reads a stored row; on failure, its id and the text it held.
fn decode(row: &JsValue) -> Result<TaskRecord, (String, String)> {
    let field = |k: &str| {
        js_sys::Reflect::get(row, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let text = field("task");
    match crate::json::from_str::<TaskRecord>(&text) {
        Ok(mut t) => {
            t.upgrade();
            Ok(t)
        }
        Err(_) => Err((field("id"), text)),
    }
}

/// A list of hashes as the `media` index reads it.
fn hash_list<'a>(hashes: impl Iterator<Item = &'a str>) -> JsValue {
    hashes
        .map(JsValue::from_str)
        .collect::<js_sys::Array>()
        .into()
}

fn decode_page(rows: Vec<JsValue>) -> Page {
    let mut page = Page::default();
    for row in rows {
        match decode(&row) {
            Ok(t) => page.tasks.push(t),
            Err(bad) => page.unreadable.push(bad),
        }
    }
    page
}
