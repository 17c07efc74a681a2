//! "Save library" and its import (issue 16): one `.zip` ([`crate::domain::archive`]) with the
//! history and every picture and kept video its tasks name, written a chunk at a time (a video
//! passes through the wasm 4 MiB at a time, the archive gathers in the browser's memory as a
//! `Blob`), and read back window by window: a video's bytes go from the chosen file to the
//! database as a slice of it, checked against their name's SHA-256 by the browser.

use std::collections::HashSet;
use std::io::Write;
use std::ops::Range;
use std::rc::Rc;

use leptos::prelude::GetUntracked;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::context::AppState;
use super::db::{Db, DbError, MediaRow};
use super::images::{keep_picture_blob, Preparing};
use super::keep::{sha256_of, Keeper};
use crate::domain::archive::{
    media_entry, ArchiveReader, ArchiveWriter, Step, Windows, HISTORY_ENTRY,
};
use crate::domain::history::{export_json, pictures_of, ImportFile, ImportReport};
use crate::domain::keep::MAX_VIDEO_BYTES;
use crate::domain::message::Msg;
use crate::domain::redact::Redactor;

/// How much of a video is read into the wasm at a time while it is written into the archive.
const CHUNK: f64 = 4.0 * 1024.0 * 1024.0;
/// How many bytes the archive gathers before it hands them to the browser.
const FLUSH: usize = 1 << 20;
/// The type every kept video is saved and restored as (whatever its host called it).
const VIDEO_TYPE: &str = "video/mp4";

/// What a saved library holds, to tell the user.
#[derive(Clone, Copy, Debug, Default)]
pub struct Saved {
    /// Tasks in its history.
    pub tasks: usize,
    /// Kept videos in it.
    pub videos: usize,
    /// Pictures in it.
    pub pictures: usize,
    /// Videos or pictures its tasks name that were no longer in this browser.
    pub missing: usize,
    /// Its size.
    pub bytes: u64,
}

impl Saved {
    /// The sentence shown once it is saved.
    pub fn message(&self) -> Msg {
        let n = |v: usize| v.to_string();
        let m = Msg::new("library.saved")
            .with("tasks", n(self.tasks))
            .with("videos", n(self.videos))
            .with("pictures", n(self.pictures))
            .with("size", crate::domain::image::bytes_text(self.bytes));
        match self.missing {
            0 => m,
            k => m.then(Msg::new("library.saved_missing").with("n", n(k))),
        }
    }
}

/// The archive's bytes as the browser's chunks (they stay out of the wasm's memory).
struct Parts {
    done: js_sys::Array,
    pending: Vec<u8>,
    bytes: u64,
}

impl Parts {
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            self.done
                .push(&js_sys::Uint8Array::from(&self.pending[..]).into());
            self.pending.clear();
        }
    }

    fn into_blob(mut self) -> Option<web_sys::Blob> {
        self.flush();
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/zip");
        web_sys::Blob::new_with_u8_array_sequence_and_options(&self.done, &options).ok()
    }
}

impl Write for Parts {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.bytes += buf.len() as u64;
        if self.pending.len() >= FLUSH {
            self.flush();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Parts::flush(self);
        Ok(())
    }
}

/// Writes the library: the history (redacted, as an export without pictures) and every picture
/// and kept video its tasks name that is in this browser.
pub async fn save_library(state: AppState) -> Result<(web_sys::Blob, Saved), Msg> {
    let failed = |_| Msg::new("library.save_failed");
    let tasks = state.ledger.all().await;
    let now = state.now_untracked();
    let redactor = Redactor::new(&state.key.get_untracked());
    let history = export_json(&tasks, &[], now, &redactor);
    let parts = Parts {
        done: js_sys::Array::new(),
        pending: Vec::with_capacity(FLUSH),
        bytes: 0,
    };
    let mut zip = ArchiveWriter::new(parts, now);
    zip.add(HISTORY_ENTRY, history.as_bytes()).map_err(failed)?;
    let mut saved = Saved {
        tasks: tasks.len(),
        ..Saved::default()
    };
    let mut seen = HashSet::new();
    let videos = tasks
        .iter()
        .filter_map(|t| t.kept.as_ref())
        .map(|k| k.hash.clone());
    let media: Vec<(String, bool)> = videos
        .map(|h| (h, true))
        .chain(pictures_of(&tasks).into_iter().map(|h| (h, false)))
        .filter(|(h, _)| seen.insert(h.clone()))
        .collect();
    let db = state.ledger.db();
    for (hash, video) in media {
        let row = match &db {
            Some(db) => db.media(&hash).await.ok().flatten(),
            None => None,
        };
        let Some(row) = row else {
            saved.missing += 1;
            continue;
        };
        let mime = if video {
            VIDEO_TYPE.to_owned()
        } else {
            row.blob.type_()
        };
        let mut entry = zip.entry(&media_entry(&hash, &mime)).map_err(failed)?;
        let size = row.blob.size();
        let mut at = 0.0;
        while at < size {
            let end = (at + CHUNK).min(size);
            let chunk = read(&row.blob, at, end)
                .await
                .ok_or_else(|| Msg::new("library.save_failed"))?;
            entry.write_all(&chunk).map_err(failed)?;
            at = end;
        }
        entry.finish().map_err(failed)?;
        match video {
            true => saved.videos += 1,
            false => saved.pictures += 1,
        }
    }
    let parts = zip.finish().map_err(failed)?;
    saved.bytes = parts.bytes;
    let blob = parts
        .into_blob()
        .ok_or_else(|| Msg::new("library.save_failed"))?;
    Ok((blob, saved))
}

/// True when `file` starts as a zip does (a library, not a history file).
pub async fn is_archive(file: &web_sys::Blob) -> bool {
    read(file, 0.0, 4.0_f64.min(file.size()))
        .await
        .is_some_and(|b| b.starts_with(b"PK"))
}

/// Imports a library: its history as an import does (tasks already here kept as they are), then
/// the pictures and kept videos its tasks name, each checked against its hash; tasks whose video
/// came back are marked kept.
pub async fn import_library(
    state: AppState,
    keeper: Keeper,
    file: web_sys::Blob,
    redactor: &Redactor,
    now_ms: i64,
) -> Result<ImportReport, Msg> {
    let unreadable = || Msg::new("library.unreadable");
    let windows = Rc::new(Windows::new(file.size() as u64));
    let tail = windows.tail();
    windows.add(
        tail.start,
        read_range(&file, &tail).await.ok_or_else(unreadable)?,
    );
    let reader = loop {
        match ArchiveReader::open(&windows)? {
            Step::Done(r) => break r,
            Step::Need(r) => {
                windows.add(r.start, read_range(&file, &r).await.ok_or_else(unreadable)?)
            }
        }
    };
    let listing = reader.list()?;
    let history = listing
        .history
        .ok_or_else(|| Msg::new("library.no_history"))?;
    let range = locate(&reader, &file, &history).await?;
    let bytes = read_range(&file, &range).await.ok_or_else(unreadable)?;
    let text = ArchiveReader::history_text(&history, bytes)?;
    let import = ImportFile::read(&text)?;
    let (pictures, videos) = import.named_media();
    let video_hashes: HashSet<&str> = videos.values().map(|k| k.hash.as_str()).collect();
    let mut report = state.ledger.import(import, redactor, now_ms).await;
    let Some(db) = state.ledger.db() else {
        return Ok(report);
    };
    // The bytes are in the database before the tasks name them: no sweep meanwhile.
    let _guard = Preparing::start();
    let mut back = HashSet::new();
    for m in &listing.media {
        let video = video_hashes.contains(m.hash.as_str());
        if !video && !pictures.contains(&m.hash) {
            continue;
        }
        let kept = restore(&db, &reader, &file, m, video).await;
        match (kept, video) {
            (Ok(blob), true) => {
                keeper.show(m.hash.clone(), &blob);
                back.insert(m.hash.clone());
                report.videos += 1;
            }
            (Ok(_), false) => report.pictures += 1,
            (Err(()), true) => report.videos_refused += 1,
            (Err(()), false) => report.pictures_refused += 1,
        }
    }
    let ids: Vec<String> = videos
        .iter()
        .filter(|(_, k)| back.contains(&k.hash))
        .map(|(id, _)| id.clone())
        .collect();
    state
        .ledger
        .change(&ids, &|r| {
            if r.kept.is_none() {
                r.kept = videos.get(&r.id).cloned();
            }
        })
        .await;
    keeper.refresh_figures();
    Ok(report)
}

/// Keeps one media entry of the archive (unless it is here already): its bytes, a slice of the
/// file, must hash to its name; a picture must decode as one.
async fn restore(
    db: &Db,
    reader: &ArchiveReader,
    file: &web_sys::Blob,
    m: &crate::domain::archive::MediaSpot,
    video: bool,
) -> Result<web_sys::Blob, ()> {
    if let Ok(Some(row)) = db.media(&m.hash).await {
        return Ok(row.blob);
    }
    if video && m.spot.size() > MAX_VIDEO_BYTES {
        return Err(());
    }
    let range = locate(reader, file, &m.spot).await.map_err(|_| ())?;
    let blob = slice(file, &range, m.mime).ok_or(())?;
    if sha256_of(&blob).await.as_deref() != Some(m.hash.as_str()) {
        return Err(());
    }
    if video {
        db.put_media(&MediaRow {
            hash: m.hash.clone(),
            blob: blob.clone(),
            width: 0,
            height: 0,
        })
        .await
        .map_err(|_: DbError| ())?;
    } else {
        keep_picture_blob(db, &m.hash, blob.clone()).await?;
    }
    Ok(blob)
}

/// Where the bytes of the entry at `spot` are, reading its header first if need be.
async fn locate(
    reader: &ArchiveReader,
    file: &web_sys::Blob,
    spot: &crate::domain::archive::Spot,
) -> Result<Range<u64>, Msg> {
    loop {
        match reader.data_range(spot)? {
            Step::Done(r) => return Ok(r),
            Step::Need(r) => {
                let bytes = read_range(file, &r)
                    .await
                    .ok_or_else(|| Msg::new("library.unreadable"))?;
                reader.add(r.start, bytes);
            }
        }
    }
}

/// `range` of `file` as a blob of type `mime` (no bytes copied).
fn slice(file: &web_sys::Blob, range: &Range<u64>, mime: &str) -> Option<web_sys::Blob> {
    file.slice_with_f64_and_f64_and_content_type(range.start as f64, range.end as f64, mime)
        .ok()
}

async fn read_range(file: &web_sys::Blob, range: &Range<u64>) -> Option<Vec<u8>> {
    read(file, range.start as f64, range.end as f64).await
}

/// The bytes `start..end` of `blob`.
async fn read(blob: &web_sys::Blob, start: f64, end: f64) -> Option<Vec<u8>> {
    let part = blob.slice_with_f64_and_f64(start, end).ok()?;
    let buffer: js_sys::ArrayBuffer = JsFuture::from(part.array_buffer())
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}
