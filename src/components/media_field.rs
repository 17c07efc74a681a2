//! One media input of a mode: public links (one per line where it takes several), and where the
//! model takes a picture as data, pictures from this computer — chosen, dropped or pasted —
//! checked, scaled and re-encoded by the browser, shown as thumbnails with their final size.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::field_error::{error_of, Errors, FieldError};
use super::text::Text;
use crate::domain::form::{media_max, Field};
use crate::domain::image::bytes_text;
use crate::domain::message::Msg;
use crate::domain::models::{MediaKind, Mode};
use crate::state::images::{prepare, use_kept_picture};
use crate::state::{use_app_state, use_i18n};

/// The files of a list (a file input's, a drop's or a paste's).
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// One media input: its label, the pictures from this computer, the links, the limits, and what
/// a picture or a link ran into.
#[component]
pub fn MediaField(
    /// The mode.
    mode: Mode,
    /// The input's wire name (also its element id).
    name: &'static str,
    /// The form's errors.
    errors: Errors,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let spec = mode.spec();
    let max = media_max(spec, name);
    let slots = || spec.slots.iter().filter(move |s| s.wire_name() == name);
    let formats: Vec<&str> = slots()
        .flat_map(|s| s.limits.formats.iter().map(|f| f.label()))
        .collect();
    // The image slot that takes a picture as data, if this input has one.
    let local_slot = slots()
        .find(|s| s.data_url && s.kind == MediaKind::Image)
        .copied();
    let limits = slots().next().map(|s| s.limits);
    let required = slots().any(|s| s.min > 0);
    let key = match (max > 1, local_slot.is_some()) {
        (true, true) => "form.media_hint_many_local",
        (true, false) => "form.media_hint_many",
        (false, true) => "form.media_hint_one_local",
        (false, false) => "form.media_hint_one",
    };
    let hint = Msg::new(key)
        .with("max", max.to_string())
        .with("formats", formats.join(", "))
        .with(
            "mb",
            limits.map_or(0, |l| l.max_bytes / 1_000_000).to_string(),
        );
    let hint = if required {
        hint
    } else {
        Msg::new("form.media_optional").then(hint)
    };
    let label = Msg::new(&format!("form.media.{name}"));
    let (hint_id, error_id, status_id) = (
        format!("{name}-hint"),
        format!("{name}-error"),
        format!("{name}-status"),
    );
    // What the last picture ran into (refused, scaled…): this field's own, not the form's.
    let refused = RwSignal::new(None::<Msg>);
    let notice = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let invalid_link = error_of(errors, Field::Media(name));
    let error = Signal::derive(move || refused.get().or_else(|| invalid_link.get()));

    let add_files = move |files: Vec<web_sys::File>| {
        if files.is_empty() {
            return;
        }
        refused.set(None);
        notice.set(None);
        let Some(slot) = local_slot else {
            let video = files.iter().any(|f| {
                let t = f.type_();
                t.starts_with("video/") || t.starts_with("audio/")
            });
            refused.set(Some(Msg::new(if video {
                "form.error.local_video"
            } else {
                "form.error.media_public_only"
            })));
            return;
        };
        let Some(db) = state.ledger.db() else {
            // Still opening (the first moments of a visit), or no database in this browser.
            let key = if state.ledger.ready().get_untracked() {
                "form.error.image_store"
            } else {
                "form.error.image_wait"
            };
            refused.set(Some(Msg::new(key)));
            return;
        };
        busy.set(true);
        let held = crate::state::images::Preparing::start();
        spawn_local(async move {
            // One picture where the input takes one: the newest replaces it.
            let files = if max > 1 {
                files
            } else {
                files.into_iter().take(1).collect()
            };
            for file in files {
                match prepare(&db, &file, &slot.limits).await {
                    Ok(p) => {
                        state.set_form.update(|f| {
                            if max == 1 {
                                for old in f.local_images(name).to_vec() {
                                    f.remove_local_image(name, &old);
                                }
                            }
                            f.add_local_image(name, p.hash);
                        });
                        notice.set(p.notice);
                    }
                    Err(why) => refused.set(Some(why)),
                }
            }
            busy.set(false);
            drop(held);
        });
    };

    let value = move || state.form.with(|f| f.media_text(name).to_owned());
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        state.set_form.update(|f| f.set_media_text(name, v));
    };
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let files = files_of(ev.clipboard_data().and_then(|d| d.files()));
        if !files.is_empty() {
            ev.prevent_default();
            add_files(files);
        }
    };
    let describedby = format!("{hint_id} {status_id} {error_id}");
    let invalid = move || error.with(Option::is_some).to_string();
    let input = if max > 1 {
        view! {
            <textarea
                id=name
                rows="3"
                spellcheck="false"
                placeholder="https://…"
                aria-describedby=describedby
                aria-invalid=invalid
                prop:value=value
                on:input=on_input
                on:paste=on_paste
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=name
                type="url"
                inputmode="url"
                spellcheck="false"
                placeholder="https://…"
                aria-describedby=describedby
                aria-invalid=invalid
                prop:value=value
                on:input=on_input
                on:paste=on_paste
            />
        }
        .into_any()
    };
    let picker = local_slot.map(|slot| {
        let accept = slot
            .limits
            .formats
            .iter()
            .map(|f| f.mime())
            .collect::<Vec<_>>()
            .join(",");
        let pick_label = {
            let label = label.clone();
            move || i18n.render(&Msg::new("form.media_pick").with("what", label.clone()))
        };
        view! {
            <label class="button pick">
                {i18n.t("form.media_pick_short")}
                <input
                    type="file"
                    class="visually-hidden"
                    accept=accept
                    multiple={max > 1}
                    aria-label=pick_label
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        add_files(files_of(input.files()));
                        input.set_value("");
                    }
                />
            </label>
        }
    });
    // Thumbnails once the database is open (after a reload the draft names pictures before it is).
    let thumbs = move || {
        let ready = state.ledger.ready().get();
        state
            .form
            .with(|f| {
                if ready {
                    f.local_images(name).to_vec()
                } else {
                    Vec::new()
                }
            })
            .into_iter()
            .enumerate()
            .map(|(i, hash)| view! { <LocalThumb name=name n=i + 1 hash=hash /> })
            .collect_view()
    };
    let status = move || {
        if busy.get() {
            Some(Msg::new("form.image_busy"))
        } else {
            notice.get()
        }
    };
    view! {
        <div
            class="field media-field"
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=move |ev: leptos::ev::DragEvent| {
                let files = files_of(ev.data_transfer().and_then(|d| d.files()));
                if !files.is_empty() {
                    ev.prevent_default();
                    add_files(files);
                }
            }
        >
            <label for=name>{
                let label = label.clone();
                move || i18n.render(&label)
            }</label>
            <div class="thumbs">{thumbs}</div>
            {input}
            {picker}
            <p id=hint_id class="hint"><Text msg=hint /></p>
            <p id=status_id class="hint" role="status">
                {move || status().map(|m| view! { <Text msg=m /> })}
            </p>
            <FieldError id=error_id error=error />
        </div>
    }
}

/// A picture from this computer in a media input: its thumbnail, final size and bytes, and a
/// button that takes it out.
#[component]
fn LocalThumb(
    /// The input's wire name.
    name: &'static str,
    /// Its place in the input, from 1.
    n: usize,
    /// Its content hash.
    hash: String,
) -> impl IntoView {
    let state = use_app_state();
    let toasts = crate::state::toast::use_toasts();
    let i18n = use_i18n();
    let row = use_kept_picture(state.ledger.db(), hash.clone());
    let what = Msg::new(&format!("form.media.{name}"));
    let caption = move || {
        row.get().flatten().map(|p| {
            Msg::new("form.image_caption")
                .with("n", n.to_string())
                .with("size", format!("{}×{}", p.width, p.height))
                .with("bytes", bytes_text(p.bytes))
        })
    };
    let missing = move || row.get().is_some_and(|r| r.is_none());
    let alt = {
        let what = what.clone();
        move || {
            let caption = caption().unwrap_or_else(|| Msg::verbatim(""));
            i18n.render(
                &Msg::new("form.image_alt")
                    .with("what", what.clone())
                    .with("caption", caption),
            )
        }
    };
    let remove_label = move || {
        i18n.render(
            &Msg::new("form.image_remove")
                .with("n", n.to_string())
                .with("what", what.clone()),
        )
    };
    view! {
        <figure class="thumb">
            {move || {
                row.get().flatten().map(|p| view! { <img src=p.url alt=alt.clone() /> })
            }}
            <figcaption>
                {move || caption().map(|m| view! { <Text msg=m /> })}
                {move || missing().then(|| view! { <Text msg=Msg::new("form.image_missing") /> })}
            </figcaption>
            <button
                type="button"
                aria-label=remove_label
                on:click=move |_| {
                    let hash = hash.clone();
                    state.set_form.update(|f| f.remove_local_image(name, &hash));
                    toasts.sweep();
                }
            >
                {i18n.t("form.image_remove_short")}
            </button>
        </figure>
    }
}
