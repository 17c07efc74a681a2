//! Browser tests of the task database (IndexedDB in headless Chromium): pages newest first, one
//! shelf at a time, the summary kept by every write, ids never overwritten, damaged records kept
//! out of the way. Each test opens a database of its own.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

use wan_studio::domain::form::{FormState, Size};
use wan_studio::domain::stored::{Shelf, Summary};
use wan_studio::domain::task::{Origin, TaskRecord, TaskSnapshot, TaskStatus};
use wan_studio::state::db::Db;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
export async function put_raw(name, row) {
  const db = await new Promise((ok, no) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
  await new Promise((ok, no) => { const tx = db.transaction('tasks', 'readwrite'); tx.objectStore('tasks').put(row); tx.oncomplete = ok; tx.onerror = () => no(tx.error); });
  db.close();
}
")]
extern "C" {
    async fn put_raw(name: &str, row: JsValue);
}

fn task(id: &str, at: i64, status: TaskStatus, size: Size) -> TaskRecord {
    let request = FormState {
        prompt: format!("prompt of {id}"),
        size,
        ..FormState::default()
    }
    .validate()
    .unwrap();
    TaskRecord::new(
        id,
        Some(request),
        "http://127.0.0.1:1/v1/responses",
        at,
        TaskSnapshot::with_status(status),
        Origin::Submitted,
    )
}

async fn fresh(name: &str) -> Db {
    Db::delete(name).await.unwrap();
    Db::open(name).await.unwrap()
}

fn ids(tasks: &[TaskRecord]) -> Vec<&str> {
    tasks.iter().map(|t| t.id.as_str()).collect()
}

#[wasm_bindgen_test]
async fn pages_come_newest_first_by_shelf_and_the_summary_follows_every_write() {
    let db = fresh("test-pages").await;
    let all = vec![
        task("a", 1_000, TaskStatus::Succeeded, Size::S1280x720),
        task("b", 3_000, TaskStatus::Failed, Size::S1280x720),
        task("c", 2_000, TaskStatus::Running, Size::S1920x1080),
        task("d", 4_000, TaskStatus::Succeeded, Size::S1920x1080),
    ];
    let summary = db.put(&all).await.unwrap();
    assert_eq!(summary, Summary::of(&all));
    assert_eq!(db.summary().await.unwrap(), summary);

    let page = db.newest(None, 3).await.unwrap();
    assert_eq!(ids(&page.tasks), ["d", "b", "c"]);
    assert!(page.unreadable.is_empty());
    let ok = db.newest(Some(Shelf::Succeeded), 10).await.unwrap();
    assert_eq!(ids(&ok.tasks), ["d", "a"]);
    let active = db.newest(Some(Shelf::Active), 10).await.unwrap();
    assert_eq!(ids(&active.tasks), ["c"]);
    let problems = db.newest(Some(Shelf::Problem), 10).await.unwrap();
    assert_eq!(ids(&problems.tasks), ["b"]);

    // The running task finishes: it moves shelf, and the summary counts it once.
    let mut c = all[2].clone();
    c.snapshot.status = TaskStatus::Succeeded;
    let summary = db.put(std::slice::from_ref(&c)).await.unwrap();
    let now: Vec<TaskRecord> = vec![all[0].clone(), all[1].clone(), c.clone(), all[3].clone()];
    assert_eq!(summary, Summary::of(&now));
    assert!(db
        .newest(Some(Shelf::Active), 10)
        .await
        .unwrap()
        .tasks
        .is_empty());
    assert_eq!(db.get("c").await.unwrap(), Some(c));

    let summary = db.delete_tasks(&["a".into(), "zzz".into()]).await.unwrap();
    assert_eq!(summary, Summary::of(&now[1..]));
    assert_eq!(db.get("a").await.unwrap(), None);
    assert_eq!(ids(&db.all(None).await.unwrap().tasks), ["d", "b", "c"]);
}

#[wasm_bindgen_test]
async fn a_late_update_never_brings_back_a_task_deleted_meanwhile() {
    let db = fresh("test-replace").await;
    let a = task("a", 1_000, TaskStatus::Running, Size::S1280x720);
    let b = task("b", 2_000, TaskStatus::Running, Size::S1280x720);
    db.put(&[a.clone(), b.clone()]).await.unwrap();
    // Another tab deletes a while this one polls both; both polls come back done.
    db.delete_tasks(&["a".into()]).await.unwrap();
    let (mut a2, mut b2) = (a.clone(), b.clone());
    a2.snapshot.status = TaskStatus::Succeeded;
    b2.snapshot.status = TaskStatus::Succeeded;
    let (summary, all) = db.replace(&[a2, b2.clone()]).await.unwrap();
    assert!(!all, "a was no longer stored");
    assert_eq!(db.get("a").await.unwrap(), None);
    assert_eq!(db.get("b").await.unwrap(), Some(b2.clone()));
    assert_eq!(summary, Summary::of(std::slice::from_ref(&b2)));
    assert_eq!(db.summary().await.unwrap(), summary);
    // Every record still stored: all written.
    let (_, all) = db.replace(std::slice::from_ref(&b2)).await.unwrap();
    assert!(all);
}

#[wasm_bindgen_test]
async fn a_repeated_task_id_never_overwrites_the_earlier_task() {
    let db = fresh("test-insert").await;
    let first = task("t1", 1_000, TaskStatus::Pending, Size::S1280x720);
    let (id, _) = db.insert(first.clone()).await.unwrap();
    assert_eq!(id, "t1");
    let (id2, _) = db
        .insert(task("t1", 2_000, TaskStatus::Pending, Size::S1280x720))
        .await
        .unwrap();
    let (id3, summary) = db
        .insert(task("t1", 3_000, TaskStatus::Pending, Size::S1280x720))
        .await
        .unwrap();
    assert_eq!((id2.as_str(), id3.as_str()), ("t1#2", "t1#3"));
    assert_eq!(summary.tasks, 3);
    assert_eq!(db.get("t1").await.unwrap(), Some(first));
    let second = db.get("t1#2").await.unwrap().unwrap();
    assert_eq!(second.query_id(), "t1");
}

#[wasm_bindgen_test]
async fn a_damaged_record_costs_only_itself_and_is_handed_back_as_text() {
    let db = fresh("test-damaged").await;
    let good = task("good", 1_000, TaskStatus::Succeeded, Size::S1280x720);
    db.put(std::slice::from_ref(&good)).await.unwrap();
    let row = js_sys::JSON::parse(r#"{"id":"bad","neg":-2000,"shelf":"ok","task":"{\"id\":5}"}"#)
        .unwrap();
    put_raw("test-damaged", row).await;
    let page = db.newest(None, 10).await.unwrap();
    assert_eq!(ids(&page.tasks), ["good"]);
    assert_eq!(page.unreadable.len(), 1);
    let (id, text) = &page.unreadable[0];
    assert_eq!(id, "bad");
    assert_eq!(text, r#"{"id":5}"#);
    assert_eq!(db.get("bad").await.unwrap(), None);
    // Deleting it still works, and the summary never went below zero.
    let summary = db.delete_tasks(&["bad".into()]).await.unwrap();
    assert_eq!(summary, Summary::of([&good]));
}

/// A wan2.7 first-frame task sending the picture kept under `hash`.
fn with_picture(id: &str, hash: &str) -> TaskRecord {
    let mut form = FormState::default();
    form.switch_mode(wan_studio::domain::models::Mode::Wan27FirstFrame);
    form.prompt = "a door opens".into();
    form.add_local_image("first_frame", hash.to_owned());
    let mut t = task(id, 5_000, TaskStatus::Succeeded, Size::S1280x720);
    t.request = Some(form.validate().unwrap());
    t
}

async fn keep(db: &Db, hash: &str) {
    let blob =
        web_sys::Blob::new_with_str_sequence(&js_sys::Array::of1(&JsValue::from_str("x"))).unwrap();
    db.put_media(&wan_studio::state::db::MediaRow {
        hash: hash.to_owned(),
        blob,
        width: 1,
        height: 1,
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn a_picture_goes_only_when_no_task_and_nothing_kept_names_it() {
    use std::collections::HashSet;
    let db = fresh("test-sweep").await;
    let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    for h in [&a, &b, &c] {
        keep(&db, h).await;
    }
    db.put(&[
        with_picture("t1", &a),
        with_picture("t2", &a),
        with_picture("t3", &b),
    ])
    .await
    .unwrap();
    // c: no task, but the draft (or an Undo) holds it.
    let draft: HashSet<String> = [c.clone()].into();
    assert_eq!(db.sweep_media(&draft).await.unwrap(), 0);
    db.delete_tasks(&["t1".into(), "t3".into()]).await.unwrap();
    // a: t2 still sends it. b: nothing does. c: held.
    assert_eq!(db.sweep_media(&draft).await.unwrap(), 1);
    assert!(db.media(&a).await.unwrap().is_some());
    assert!(db.media(&b).await.unwrap().is_none());
    assert!(db.media(&c).await.unwrap().is_some());
    assert_eq!(db.sweep_media(&HashSet::new()).await.unwrap(), 1);
    assert!(db.media(&c).await.unwrap().is_none());
    db.delete_tasks(&["t2".into()]).await.unwrap();
    assert_eq!(db.sweep_media(&HashSet::new()).await.unwrap(), 1);
    assert!(db.media(&a).await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_kept_video_stays_while_its_task_names_it_and_goes_after() {
    use std::collections::HashSet;
    let db = fresh("test-kept-video").await;
    let v = "d".repeat(64);
    keep(&db, &v).await;
    let mut t = task("v1", 6_000, TaskStatus::Succeeded, Size::S1280x720);
    t.kept = Some(wan_studio::domain::keep::KeptVideo {
        hash: v.clone(),
        bytes: 1,
    });
    let summary = db.put(std::slice::from_ref(&t)).await.unwrap();
    assert_eq!((summary.kept, summary.kept_bytes), (1, 1));
    assert_eq!(db.sweep_media(&HashSet::new()).await.unwrap(), 0);
    assert!(db.media(&v).await.unwrap().is_some());
    // The kept copy let go (the task stays): the bytes go with the next sweep.
    t.kept = None;
    let summary = db.put(std::slice::from_ref(&t)).await.unwrap();
    assert_eq!((summary.kept, summary.kept_bytes, summary.tasks), (0, 0, 1));
    assert_eq!(db.sweep_media(&HashSet::new()).await.unwrap(), 1);
    assert!(db.media(&v).await.unwrap().is_none());
}
