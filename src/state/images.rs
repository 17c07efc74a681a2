//! Pictures from the user's own machine, with the browser's own tools: decoded by
//! `createImageBitmap`, scaled and re-encoded on a canvas where `domain::image::plan` says so,
//! hashed with SHA-256 by `crypto.subtle`, kept in the database's media store under that hash,
//! and turned into a `data:` URL only when a request is sent.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::db::{Db, MediaRow};
use crate::domain::history::Picture;
use crate::domain::image::{
    has_alpha, local_hash, plan, shrink, source_format, Plan, MAX_ATTEMPTS,
};
use crate::domain::message::Msg;
use crate::domain::models::{Format, MediaLimits};
use crate::domain::request::ModelRequest;

thread_local! {
    static PREPARING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Held while a picture is being prepared and put into the draft: a picture already in the
/// database but not yet in the draft is not let go meanwhile (see [`preparing`]).
pub struct Preparing(());

impl Preparing {
    /// Starts holding.
    pub fn start() -> Preparing {
        PREPARING.with(|n| n.set(n.get() + 1));
        Preparing(())
    }
}

impl Drop for Preparing {
    fn drop(&mut self) {
        PREPARING.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// True while any picture of this page is being prepared.
pub fn preparing() -> bool {
    PREPARING.with(|n| n.get() > 0)
}

/// A picture ready for an input: kept in the database under `hash`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// Its hash (the input holds `local:<hash>`).
    pub hash: String,
    /// What was done to it, in words (scaled, flattened, re-encoded), if anything.
    pub notice: Option<Msg>,
}

/// Bytes of the first part of a file: enough for a PNG's chunks before its data.
const HEAD_BYTES: i32 = 65_536;

async fn promise<T: JsCast>(p: js_sys::Promise) -> Result<T, JsValue> {
    JsFuture::from(p).await?.dyn_into::<T>()
}

async fn bytes_of(blob: &web_sys::Blob) -> Result<Vec<u8>, JsValue> {
    let buffer: js_sys::ArrayBuffer = promise(blob.array_buffer()).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The SHA-256 of `bytes`, hex.
async fn sha256(bytes: &[u8]) -> Result<String, JsValue> {
    let subtle = web_sys::window().ok_or(JsValue::NULL)?.crypto()?.subtle();
    let digest: js_sys::ArrayBuffer =
        promise(subtle.digest_with_str_and_u8_array("SHA-256", bytes)?).await?;
    Ok(js_sys::Uint8Array::new(&digest)
        .to_vec()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A decoded picture, let go when dropped (whichever way the preparation ends).
struct Bitmap(web_sys::ImageBitmap);

impl Drop for Bitmap {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Draws `bitmap` at the plan's size (over white when flattening) and encodes it.
async fn encode(bitmap: &web_sys::ImageBitmap, plan: &Plan) -> Result<web_sys::Blob, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(plan.width);
    canvas.set_height(plan.height);
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
    let (w, h) = (f64::from(plan.width), f64::from(plan.height));
    if plan.flatten {
        ctx.set_fill_style_str("#fff");
        ctx.fill_rect(0.0, 0.0, w, h);
    }
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w, h)?;
    let format = plan.encode.unwrap_or(Format::Jpeg);
    let quality = JsValue::from_f64(f64::from(plan.quality) / 100.0);
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        let refused = reject.clone();
        let callback = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let _ = if blob.is_null() {
                reject.call0(&JsValue::NULL)
            } else {
                resolve.call1(&JsValue::NULL, &blob)
            };
        });
        if canvas
            .to_blob_with_type_and_encoder_options(
                callback.unchecked_ref(),
                format.mime(),
                &quality,
            )
            .is_err()
        {
            let _ = refused.call0(&JsValue::NULL);
        }
    });
    promise(done).await
}

/// Prepares `file` for an input with `limits`: refuses what is not a picture (a video or audio file
/// is told to go as a public link), too small or too elongated; scales, flattens and re-encodes as
/// the plan says until it fits the byte limit; keeps it in `db`.
pub async fn prepare(db: &Db, file: &web_sys::File, limits: &MediaLimits) -> Result<Prepared, Msg> {
    let mime = file.type_();
    if mime.starts_with("video/") || mime.starts_with("audio/") {
        return Err(Msg::new("form.error.local_video"));
    }
    let not_image = || Msg::new("form.error.not_image").with("name", file.name());
    if !mime.starts_with("image/") {
        return Err(not_image());
    }
    let head_blob = file
        .slice_with_i32_and_i32(0, HEAD_BYTES)
        .map_err(|_| not_image())?;
    let head = bytes_of(&head_blob).await.map_err(|_| not_image())?;
    let window = web_sys::window().ok_or_else(not_image)?;
    let bitmap = Bitmap(
        promise(
            window
                .create_image_bitmap_with_blob(file)
                .map_err(|_| not_image())?,
        )
        .await
        .map_err(|_| not_image())?,
    );
    let (width, height) = (bitmap.0.width(), bitmap.0.height());
    let bytes = file.size() as u64;
    let mut plan = plan(
        limits,
        source_format(&mime),
        width,
        height,
        bytes,
        has_alpha(&head),
    )?;
    let mut blob: web_sys::Blob = file.clone().into();
    let mut size = bytes;
    if plan.encode.is_some() {
        let mut attempts = 0;
        loop {
            blob = encode(&bitmap.0, &plan).await.map_err(|_| not_image())?;
            size = blob.size() as u64;
            attempts += 1;
            match shrink(limits, &plan, size) {
                Some(next) if next == plan => break,
                Some(next) if attempts < MAX_ATTEMPTS => plan = next,
                _ => {
                    return Err(Msg::new("form.error.image_heavy").with(
                        "max",
                        crate::domain::image::bytes_text(u64::from(limits.max_bytes)),
                    ))
                }
            }
        }
    }
    drop(bitmap);
    let content = bytes_of(&blob).await.map_err(|_| not_image())?;
    let hash = sha256(&content)
        .await
        .map_err(|_| Msg::new("form.error.image_hash"))?;
    db.put_media(&MediaRow {
        hash: hash.clone(),
        blob: blob.clone(),
        width: plan.width,
        height: plan.height,
    })
    .await
    .map_err(|e| match e {
        super::db::DbError::Quota => Msg::new("form.error.image_quota"),
        _ => Msg::new("form.error.image_store"),
    })?;
    let notice = plan.encode.map(|format| {
        let key = if plan.flatten {
            "form.image_flattened"
        } else {
            "form.image_reencoded"
        };
        Msg::new(key)
            .with("from", format!("{width}×{height}"))
            .with("to", format!("{}×{}", plan.width, plan.height))
            .with("format", format.label())
            .with("bytes", crate::domain::image::bytes_text(size))
    });
    Ok(Prepared { hash, notice })
}

/// The `data:` URL of the picture kept under `hash`.
pub async fn data_url(db: &Db, hash: &str) -> Option<String> {
    let row = db.media(hash).await.ok()??;
    let bytes = bytes_of(&row.blob).await.ok()?;
    Some(format!(
        "data:{};base64,{}",
        row.blob.type_(),
        STANDARD.encode(bytes)
    ))
}

/// A kept picture as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// Its object URL (let go when the owner is cleaned up).
    pub url: String,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Reads the picture kept under `hash` for showing: `None` while reading, then `Some(None)` when
/// it is not in this browser. The object URL lives as long as the calling owner.
pub fn use_kept_picture(db: Option<Db>, hash: String) -> RwSignal<Option<Option<Shown>>> {
    let row = RwSignal::new(None::<Option<Shown>>);
    spawn_local(async move {
        let found = match db {
            Some(db) => db.media(&hash).await.ok().flatten(),
            None => None,
        };
        let shown = found.and_then(|r| {
            Some(Shown {
                url: web_sys::Url::create_object_url_with_blob(&r.blob).ok()?,
                width: r.width,
                height: r.height,
                bytes: r.blob.size() as u64,
            })
        });
        // The owner may be gone already (removed while reading): then let the URL go.
        if row.try_set(Some(shown.clone())).is_some() {
            if let Some(p) = shown {
                let _ = web_sys::Url::revoke_object_url(&p.url);
            }
        }
    });
    on_cleanup(move || {
        if let Some(Some(Some(p))) = row.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&p.url);
        }
    });
    row
}

/// The picture kept under `hash` as an export file carries it.
pub async fn export_picture(db: &Db, hash: &str) -> Option<Picture> {
    Some(Picture {
        hash: hash.to_owned(),
        data: data_url(db, hash).await?,
    })
}

/// Keeps a picture from an imported file, when its bytes hash to its name and the browser decodes
/// them as a picture: `Ok(true)` when kept now, `Ok(false)` when it was here already.
pub async fn restore_picture(db: &Db, picture: &Picture) -> Result<bool, ()> {
    if db.media(&picture.hash).await.ok().flatten().is_some() {
        return Ok(false);
    }
    let (mime, body) = picture.parts().ok_or(())?;
    let bytes = STANDARD.decode(body).map_err(|_| ())?;
    if sha256(&bytes).await.map_err(|_| ())? != picture.hash {
        return Err(());
    }
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(|_| ())?;
    keep_picture_blob(db, &picture.hash, blob).await?;
    Ok(true)
}

/// Keeps `blob` (bytes already checked against `hash`) as a picture, when the browser decodes it
/// as one.
pub async fn keep_picture_blob(db: &Db, hash: &str, blob: web_sys::Blob) -> Result<(), ()> {
    let window = web_sys::window().ok_or(())?;
    let bitmap = Bitmap(
        promise(
            window
                .create_image_bitmap_with_blob(&blob)
                .map_err(|_| ())?,
        )
        .await
        .map_err(|_| ())?,
    );
    let (width, height) = (bitmap.0.width(), bitmap.0.height());
    drop(bitmap);
    db.put_media(&MediaRow {
        hash: hash.to_owned(),
        blob,
        width,
        height,
    })
    .await
    .map_err(|_| ())
}

/// `request` as the wire carries it: every `local:` picture as its `data:` URL. `None` when a
/// picture is no longer in this browser (storage cleared): it must be added again.
pub async fn resolve_local(db: Option<&Db>, mut request: ModelRequest) -> Option<ModelRequest> {
    for m in &mut request.media {
        if let Some(hash) = local_hash(&m.url) {
            m.url = data_url(db?, hash).await?;
        }
    }
    Some(request)
}
