//! Keeping finished videos in this browser (issue 16): the video's bytes go into the database's
//! media store under their SHA-256 (hashed by the browser, never copied into the wasm), the task
//! record names them ([`KeptVideo`]), and the card plays them from an object URL once the link has
//! died. Which video hosts refuse a page's read (CORS) is learnt once per host and remembered in
//! local storage; such a host is said once, and its takes offer a download instead.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::browser::BrowserUrl;
use super::context::AppState;
use super::db::{DbError, MediaRow};
use super::images::Preparing;
use super::storage_keys::VIDEO_HOSTS_KEY;
use super::toast::Toasts;
use crate::api::client::{fetch_video, host_answers};
use crate::api::ApiError;
use crate::domain::keep::{
    expiring_at, video_origin, KeepState, KeepVideos, KeptVideo, VideoHosts, MAX_VIDEO_BYTES,
};
use crate::domain::message::Msg;
use crate::domain::task::TaskRecord;

/// Keeps videos; one per page, in context.
#[derive(Clone, Copy)]
pub struct Keeper {
    state: AppState,
    toasts: Toasts,
    /// What is known of video hosts (the stored answers).
    hosts: RwSignal<VideoHosts>,
    /// Tasks whose video is being kept right now.
    busy: RwSignal<HashSet<String>>,
    /// The shown takes whose link dies soon with nothing of it safe (see [`expiring_at`]).
    expiring: Memo<Vec<String>>,
    /// Object URLs of the kept videos read so far, by hash (one per video for the page's life,
    /// shared by its card and the compare view; let go when its copy is removed).
    urls: RwSignal<HashMap<String, String>>,
    /// The browser's figures for this site's storage (see [`storage_figures`]), read when
    /// Settings shows them and again after every keep or removal.
    figures: RwSignal<Option<(u64, u64, bool)>>,
    /// Kept copies a record names that were not found in this browser (evicted or cleared).
    missing: RwSignal<HashSet<String>>,
}

/// Why a video was not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refused {
    /// The host does not let a page read its files.
    Cors(String),
    /// Anything that a later try may not meet: the user is told `Msg`.
    Said(Msg),
}

/// Makes the page's keeper and puts it in context.
pub fn provide_keeper(state: AppState, toasts: Toasts) -> Keeper {
    let stored = storage()
        .and_then(|s| s.get_item(VIDEO_HOSTS_KEY).ok().flatten())
        .map(|t| VideoHosts::parse(&t))
        .unwrap_or_default();
    let hosts = RwSignal::new(stored);
    let missing = RwSignal::new(HashSet::<String>::new());
    let expiring = Memo::new(move |_| {
        let now = state.now.get();
        hosts.with(|h| {
            missing.with(|m| {
                state.ledger.tasks().with(|tasks| {
                    tasks
                        .iter()
                        .filter(|t| expiring_at(t, now, h, &BrowserUrl, gone(m, t)).is_some())
                        .map(|t| t.id.clone())
                        .collect()
                })
            })
        })
    });
    let keeper = Keeper {
        state,
        toasts,
        hosts,
        busy: RwSignal::new(HashSet::new()),
        expiring,
        urls: RwSignal::new(HashMap::new()),
        figures: RwSignal::new(None),
        missing,
    };
    provide_context(keeper);
    keeper
}

/// The page's keeper.
pub fn use_keeper() -> Keeper {
    expect_context::<Keeper>()
}

/// True when the kept copy `t` names is among `missing` (no longer in this browser).
fn gone(missing: &HashSet<String>, t: &TaskRecord) -> bool {
    t.kept.as_ref().is_some_and(|k| missing.contains(&k.hash))
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl Keeper {
    /// True where videos can be kept at all (tracked: the database opens after the first
    /// render): the tasks are in the database (not demo mode, not a browser without one).
    pub fn available(self) -> bool {
        self.state.ledger.ready().get() && self.state.ledger.db().is_some()
    }

    /// Where `t` stands (tracked: hosts learnt, and the clock).
    pub fn state_of(self, t: &TaskRecord) -> KeepState {
        let now = self.state.now.get();
        let gone = self.missing.with(|m| gone(m, t));
        self.hosts
            .with(|h| KeepState::at(t, now, h, &BrowserUrl, gone))
    }

    /// The shown takes whose link dies within hours with nothing of it kept or downloaded
    /// (tracked).
    pub fn expiring(self) -> Memo<Vec<String>> {
        self.expiring
    }

    /// The browser's figures for this site's storage (tracked): used, allowed, persistent.
    pub fn figures(self) -> Option<(u64, u64, bool)> {
        self.figures.get()
    }

    /// Reads the browser's figures again.
    pub fn refresh_figures(self) {
        spawn_local(async move {
            let f = storage_figures().await;
            let _ = self.figures.try_set(f);
        });
    }

    /// Where the kept video under `hash` plays from (tracked): `None` until it has been read
    /// ([`Keeper::load`]), or when it is not in this browser.
    pub fn kept_url(self, hash: &str) -> Option<String> {
        self.urls.with(|u| u.get(hash).cloned())
    }

    /// Reads the kept video under `hash` for playing, once per page (a card or the compare view
    /// showing it asks).
    pub fn load(self, hash: String) {
        if self.urls.with_untracked(|u| u.contains_key(&hash)) {
            return;
        }
        let Some(db) = self.state.ledger.db() else {
            return;
        };
        spawn_local(async move {
            match db.media(&hash).await {
                Ok(Some(row)) => self.show(hash, &row.blob),
                // The browser let the bytes go (space ran low, or site data was cleared).
                Ok(None) => {
                    let _ = self.missing.try_update(|m| m.insert(hash));
                }
                Err(_) => {}
            }
        });
    }

    /// Makes `blob` playable as the kept video under `hash`.
    pub(crate) fn show(self, hash: String, blob: &web_sys::Blob) {
        let _ = self.missing.try_update(|m| m.remove(&hash));
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) {
            // The page may be gone meanwhile (then there is nothing to play it).
            if self
                .urls
                .try_update(|u| u.insert(hash, url.clone()))
                .is_none()
            {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    }

    /// True while the video of task `id` is being kept (tracked).
    pub fn is_busy(self, id: &str) -> bool {
        self.busy.with(|b| b.contains(id))
    }

    /// Called when a task has just succeeded in this tab: keeps its video when Settings say so.
    pub fn on_success(self, id: &str) {
        let auto = self
            .state
            .settings
            .with_untracked(|s| s.keep_videos == KeepVideos::Auto);
        if auto && self.state.ledger.db().is_some() {
            self.keep(id.to_owned(), false);
        }
    }

    /// Keeps the video of task `id`. `asked`: the user pressed Keep (a success is said; an
    /// automatic keep says only what went wrong).
    pub fn keep(self, id: String, asked: bool) {
        let Some(record) = self.state.ledger.get_untracked(&id) else {
            return;
        };
        // A host known to refuse is tried again only when the user asks.
        let worth = match untrack(|| self.state_of(&record)) {
            KeepState::CanKeep | KeepState::Evicted { can_keep: true } => true,
            KeepState::Unreadable => asked,
            _ => false,
        };
        if !worth || self.busy.with_untracked(|b| b.contains(&id)) {
            return;
        }
        let Some(url) = record.snapshot.safe_video_url(&BrowserUrl) else {
            return;
        };
        self.busy.update(|b| {
            b.insert(id.clone());
        });
        spawn_local(async move {
            // The bytes are in the database before the task names them: no sweep meanwhile.
            let guard = Preparing::start();
            let result = self.fetch_and_store(&url).await;
            match result {
                Ok((kept, blob)) => {
                    let bytes = kept.bytes;
                    self.show(kept.hash.clone(), &blob);
                    let ids = [id.clone()];
                    self.state
                        .ledger
                        .change(&ids, &|r| r.kept = Some(kept.clone()))
                        .await;
                    if asked {
                        self.toasts.say(
                            Msg::new("keep.done")
                                .with("bytes", crate::domain::image::bytes_text(bytes)),
                        );
                    }
                    ask_persistence();
                    self.refresh_figures();
                }
                Err(Refused::Cors(origin)) => {
                    let first = self
                        .hosts
                        .with_untracked(|h| h.readable(&origin) != Some(false));
                    self.learn(&origin, false);
                    if first || asked {
                        self.toasts
                            .problem(Msg::new("keep.refused_host").with("host", origin));
                    }
                }
                Err(Refused::Said(m)) => self.toasts.problem(m),
            }
            drop(guard);
            self.busy.update(|b| {
                b.remove(&id);
            });
        });
    }

    async fn fetch_and_store(self, url: &str) -> Result<(KeptVideo, web_sys::Blob), Refused> {
        let origin = video_origin(url, &BrowserUrl);
        let blob = match fetch_video(url).await {
            Ok(blob) => blob,
            Err(ApiError::Network(_)) => {
                // Refused, or no network: a read the page cannot see into tells which.
                return Err(match origin {
                    Some(o) if host_answers(url).await => Refused::Cors(o),
                    _ => Refused::Said(Msg::new("keep.failed_network")),
                });
            }
            Err(_) => return Err(Refused::Said(Msg::new("keep.failed_network"))),
        };
        if let Some(o) = origin {
            self.learn(&o, true);
        }
        let bytes = blob.size() as u64;
        if bytes > MAX_VIDEO_BYTES {
            return Err(Refused::Said(
                Msg::new("keep.failed_large")
                    .with("max", crate::domain::image::bytes_text(MAX_VIDEO_BYTES)),
            ));
        }
        let hash = sha256_of(&blob)
            .await
            .ok_or_else(|| Refused::Said(Msg::new("keep.failed_network")))?;
        let db = self
            .state
            .ledger
            .db()
            .ok_or_else(|| Refused::Said(Msg::new("keep.failed_store")))?;
        db.put_media(&MediaRow {
            hash: hash.clone(),
            blob: blob.clone(),
            width: 0,
            height: 0,
        })
        .await
        .map_err(|e| {
            Refused::Said(Msg::new(match e {
                DbError::Quota => "keep.failed_quota",
                _ => "keep.failed_store",
            }))
        })?;
        Ok((KeptVideo { hash, bytes }, blob))
    }

    fn learn(self, origin: &str, readable: bool) {
        if self.hosts.with_untracked(|h| h.readable(origin)) == Some(readable) {
            return;
        }
        self.hosts.update(|h| h.learn(origin, readable));
        if let Some(s) = storage() {
            // Not remembered (storage full) is asked again next time: nothing is lost.
            let _ = s.set_item(
                VIDEO_HOSTS_KEY,
                &self.hosts.with_untracked(VideoHosts::to_text),
            );
        }
    }

    /// Lets go of the kept copies of these tasks (the tasks stay), and of their bytes once no
    /// task names them. False when the database refused.
    pub async fn forget(self, ids: &[String]) -> bool {
        let mut hashes = Vec::new();
        for id in ids {
            if let Some(k) = self.state.ledger.get(id).await.and_then(|t| t.kept) {
                hashes.push(k.hash);
            }
        }
        let done = self.state.ledger.change(ids, &|r| r.kept = None).await;
        // Another task may keep the same bytes: its player reads them again.
        self.urls.update(|u| {
            for h in &hashes {
                if let Some(url) = u.remove(h) {
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
            }
        });
        self.toasts.sweep();
        self.refresh_figures();
        done
    }
}

impl Keeper {
    /// The ids of `records` whose video this browser can keep now (tracked).
    pub fn keepable(self, records: &[TaskRecord]) -> Vec<String> {
        if !self.available() {
            return Vec::new();
        }
        records
            .iter()
            .filter(|t| {
                matches!(
                    self.state_of(t),
                    KeepState::CanKeep
                        | KeepState::Unreadable
                        | KeepState::Evicted { can_keep: true }
                )
            })
            .map(|t| t.id.clone())
            .collect()
    }

    /// Saves the videos of `records` as files, one after another (the browser asks once whether
    /// the page may save several files): each from its kept copy, else its live link.
    pub fn save_all(self, records: &[TaskRecord]) {
        let now = self.state.now_untracked();
        let chosen: Vec<_> = records
            .iter()
            .map(|t| {
                let live = t
                    .has_live_video(now, &BrowserUrl)
                    .then(|| t.snapshot.safe_video_url(&BrowserUrl))
                    .flatten();
                (t.id.clone(), t.kept.clone(), live)
            })
            .collect();
        spawn_local(async move {
            for (id, kept, url) in chosen {
                self.save_video(id, kept, url).await;
            }
        });
    }

    /// Saves the video of task `id` as a file: its kept copy when there is one (here even when the
    /// link has died or the network is off), else read from `url` (the task is then marked
    /// downloaded: no reminder before its link dies), else the link opened in a new tab.
    pub async fn save_video(self, id: String, kept: Option<KeptVideo>, url: Option<String>) {
        use super::browser::{open_in_new_tab, save_blob};
        let toasts = self.toasts;
        if kept.is_none() && url.is_none() {
            return;
        }
        let name = format!("wan-{id}.mp4");
        toasts.say(Msg::new("video.downloading"));
        if let Some(blob) = match kept {
            Some(k) => kept_blob(self.state, &k.hash).await,
            None => None,
        } {
            if save_blob(&blob, &name) {
                toasts.say(Msg::new("video.saved").with("name", name));
                return;
            }
        }
        let Some(url) = url else {
            toasts.problem(Msg::new("video.expired"));
            return;
        };
        match fetch_video(&url).await.map(|blob| save_blob(&blob, &name)) {
            Ok(true) => {
                self.state.ledger.update(&id, |r| r.downloaded = true);
                toasts.say(Msg::new("video.saved").with("name", name))
            }
            Ok(false) | Err(_) => {
                let opened = open_in_new_tab(&url);
                toasts.say(Msg::new(if opened {
                    "video.opened_in_tab"
                } else {
                    "video.blocked"
                }));
            }
        }
    }
}

/// The SHA-256 of a blob, hex, computed by the browser (the bytes never enter the wasm).
pub(crate) async fn sha256_of(blob: &web_sys::Blob) -> Option<String> {
    let buffer: js_sys::ArrayBuffer = JsFuture::from(blob.array_buffer())
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let subtle = web_sys::window()?.crypto().ok()?.subtle();
    let digest: js_sys::ArrayBuffer = JsFuture::from(
        subtle
            .digest_with_str_and_buffer_source("SHA-256", &buffer)
            .ok()?,
    )
    .await
    .ok()?
    .dyn_into()
    .ok()?;
    Some(
        js_sys::Uint8Array::new(&digest)
            .to_vec()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// Asks the browser to keep this site's storage when space runs low (it may say no, or ask the
/// user; either way the kept video is there now).
fn ask_persistence() {
    if let Some(w) = web_sys::window() {
        let storage = w.navigator().storage();
        if let Ok(p) = storage.persist() {
            spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }
}

/// What the browser says of this site's storage: bytes used, bytes allowed, and whether it is
/// persistent. `None` where the browser does not say.
async fn storage_figures() -> Option<(u64, u64, bool)> {
    let storage = web_sys::window()?.navigator().storage();
    let estimate = JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let field = |k: &str| {
        js_sys::Reflect::get(&estimate, &JsValue::from_str(k))
            .ok()
            .and_then(|v| v.as_f64())
            .map(|n| n.max(0.0) as u64)
    };
    let persisted = match storage.persisted() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    };
    Some((field("usage")?, field("quota")?, persisted))
}

/// The bytes of the video kept under `hash`, if they are in this browser.
pub async fn kept_blob(state: AppState, hash: &str) -> Option<web_sys::Blob> {
    let db = state.ledger.db()?;
    Some(db.media(hash).await.ok()??.blob)
}
