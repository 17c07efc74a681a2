//! The references of a mode that names them in the prompt, in the model's order and words
//! (`character1`, `图1`/`视频1`, `[Image 1]`), each with a button that writes its token into the
//! prompt at the caret.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::text::Text;
use crate::domain::form::{insert_token, references};
use crate::domain::image::local_hash;
use crate::domain::message::Msg;
use crate::state::{use_app_state, use_i18n};

/// Writes `token` into the prompt where its caret is (at the end when it has none), then puts the
/// caret after it.
fn insert_into_prompt(token: &str) {
    let state = use_app_state();
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("prompt"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
    let at = field
        .as_ref()
        .and_then(|f| f.selection_start().ok().flatten())
        .unwrap_or(u32::MAX);
    let mut caret = 0;
    state.set_form.update(|f| {
        let (text, after) = insert_token(&f.prompt, at, token);
        f.prompt = text;
        caret = after;
    });
    if let Some(f) = field {
        // The new text reaches the field on the next render: the caret is set after it.
        request_animation_frame(move || {
            let _ = f.focus();
            let _ = f.set_selection_range(caret, caret);
        });
    }
}

/// The references list, when the mode names references and the form has some.
#[component]
pub fn ReferenceList() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let refs = Memo::new(move |_| state.form.with(references));
    move || {
        let list = refs.get();
        (!list.is_empty()).then(|| {
            let voices = list.iter().any(|r| r.voice);
            let rows = list
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let what = match local_hash(&r.source) {
                        Some(_) => Msg::new("form.reference_local")
                            .with("what", Msg::new(&format!("form.media.{}", r.slot))),
                        None => Msg::verbatim(r.source.clone()),
                    };
                    let token = r.token.clone();
                    let label = {
                        let token = token.clone();
                        move || {
                            i18n.render(
                                &Msg::new("form.reference_insert").with_code("token", &token),
                            )
                        }
                    };
                    // wan2.7-r2v: the voice this reference speaks with, if any.
                    let voice = r.voice.then(|| {
                        let id = format!("voice-{}", i + 1);
                        let name = Msg::new("form.reference_voice").with_code("token", &r.token);
                        let source = r.source.clone();
                        let value = {
                            let source = source.clone();
                            move || state.form.with(|f| f.voice(&source).to_owned())
                        };
                        view! {
                            <span class="ref-voice">
                                <label for=id.clone()><Text msg=name /></label>
                                <input
                                    id=id
                                    type="url"
                                    inputmode="url"
                                    spellcheck="false"
                                    placeholder="https://….mp3"
                                    aria-describedby="references-voice-hint"
                                    prop:value=value
                                    on:input=move |ev| {
                                        let v = event_target_value(&ev);
                                        state.set_form.update(|f| f.set_voice(&source, v));
                                    }
                                />
                            </span>
                        }
                    });
                    view! {
                        <li>
                            <code>{r.token.clone()}</code>
                            <span class="ref-source"><Text msg=what /></span>
                            <button
                                type="button"
                                class="small"
                                aria-label=label
                                on:click=move |_| insert_into_prompt(&token)
                            >
                                {i18n.t("form.reference_insert_short")}
                            </button>
                            {voice}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="field references">
                    <p class="label" id="references-h">{i18n.t("form.references")}</p>
                    <ol aria-labelledby="references-h">{rows}</ol>
                    <p class="hint">{i18n.t("form.references_hint")}</p>
                    {voices.then(|| view! { <p class="hint" id="references-voice-hint">{i18n.t("form.reference_voice_hint")}</p> })}
                </div>
            }
        })
    }
}
