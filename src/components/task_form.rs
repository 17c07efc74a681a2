//! The wan2.6-t2v form: every field with a visible label, live character counters, errors next
//! to their fields, and the Generate button.

use leptos::prelude::*;

use super::error_box::ErrorBox;
use super::msg::Msg;
use super::share_box::ShareBox;
use crate::domain::form::{
    char_count, check_negative_prompt, check_prompt, Field, FieldErrors, FormState, ShotType, Size,
    Tier, NEGATIVE_PROMPT_MAX, PROMPT_MAX, SEED_MAX,
};
use crate::domain::history::{eta_ms, eta_text, running_count, RUNNING_LIMIT};
use crate::domain::message::{Bilingual, Explanation};
use crate::state::browser::random_seed;
use crate::state::submit::submit_task;
use crate::state::use_app_state;

/// The form section.
#[component]
pub fn TaskForm() -> impl IntoView {
    let state = use_app_state();
    let form = state.form;
    let set_form = state.set_form;
    // Errors show after the first Generate, then follow every edit; over-long texts show live.
    let (attempted, set_attempted) = signal(false);
    let errors = Memo::new(move |_| {
        if attempted.get() {
            form.with(|f| f.validate().err().unwrap_or_default())
        } else {
            let mut live = Vec::new();
            form.with(|f| {
                if char_count(&f.prompt) > PROMPT_MAX {
                    live.extend(check_prompt(&f.prompt).map(|e| (Field::Prompt, e)));
                }
                live.extend(
                    check_negative_prompt(&f.negative_prompt).map(|e| (Field::NegativePrompt, e)),
                );
            });
            FieldErrors(live)
        }
    });
    let (connection_error, set_connection_error) = signal(None::<Explanation>);
    let submit = Action::new_local(
        move |(conn, request): &(crate::api::Connection, crate::domain::form::VideoRequest)| {
            submit_task(state, conn.clone(), request.clone())
        },
    );
    let pending = submit.pending();
    let running = Memo::new(move |_| {
        let now = state.now.get();
        state.ledger.tasks().with(|t| running_count(t, now))
    });
    let at_limit = move || running.get() >= RUNNING_LIMIT;
    let estimate = move || {
        let request = form.with(|f| f.validate().ok())?;
        let pricing = state.settings.with(|s| s.pricing.clone());
        let cost = pricing.format(pricing.cost(&request));
        let eta = eta_text(state.ledger.tasks().with(|t| eta_ms(t, &request)));
        Some(Bilingual::new(
            format!(
                "Estimated cost: {cost} (list price; your provider's price may differ). {}",
                eta.en
            ),
            format!(
                "预估费用：{cost}（按标价估算，实际价格以服务商为准）。{}",
                eta.zh
            ),
        ))
    };
    let submit_error = move || {
        connection_error
            .get()
            .or_else(|| submit.value().get().and_then(Result::err))
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || at_limit() || !state.online.get_untracked() {
            return;
        }
        set_attempted.set(true);
        set_connection_error.set(None);
        let Ok(request) = form.with_untracked(FormState::validate) else {
            return;
        };
        match state.connection() {
            Ok(conn) => {
                submit.dispatch((conn, request));
            }
            Err(why) => set_connection_error.set(Some(Explanation::plain(why))),
        }
    };

    // Ctrl+Enter / Cmd+Enter anywhere in the form submits it through the same path as the
    // Generate button (requestSubmit fires the submit event: validation first).
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && !ev.repeat() {
            ev.prevent_default();
            if let Some(f) = form_ref.get() {
                let _ = f.request_submit();
            }
        }
    };

    let update = move |f: fn(&mut FormState, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set_form.update(|s| f(s, v));
        }
    };
    let error_of = move |field: Field| move || errors.with(|e| e.get(field).cloned());
    let invalid = move |field: Field| move || errors.with(|e| e.get(field).is_some()).to_string();

    view! {
        <section class="panel form" aria-labelledby="form-h">
            <h2 id="form-h">"New video"</h2>
            <form node_ref=form_ref on:submit=on_submit on:keydown=on_keydown novalidate>
                <LimitedText
                    id="prompt"
                    label="Prompt"
                    rows=6
                    placeholder=""
                    max=PROMPT_MAX
                    value=Signal::derive(move || form.with(|f| f.prompt.clone()))
                    on_input=Callback::new(move |v| set_form.update(|f| f.prompt = v))
                    error=Signal::derive(error_of(Field::Prompt))
                />
                <LimitedText
                    id="negative-prompt"
                    label="Negative prompt"
                    rows=2
                    placeholder="低分辨率、错误、最差质量… / low resolution, extra fingers…"
                    max=NEGATIVE_PROMPT_MAX
                    value=Signal::derive(move || form.with(|f| f.negative_prompt.clone()))
                    on_input=Callback::new(move |v| set_form.update(|f| f.negative_prompt = v))
                    error=Signal::derive(error_of(Field::NegativePrompt))
                />
                <div class="field">
                    <label for="audio-url">"Audio URL"</label>
                    <input
                        id="audio-url"
                        type="url"
                        inputmode="url"
                        spellcheck="false"
                        placeholder="https://…/sound.mp3"
                        aria-describedby="audio-hint audio-error"
                        aria-invalid=invalid(Field::AudioUrl)
                        prop:value=move || form.with(|f| f.audio_url.clone())
                        on:input=update(|s, v| s.audio_url = v)
                    />
                    <p id="audio-hint" class="hint">
                        <Msg text=Bilingual::new(
                            "Optional. A public http(s) link to a wav or mp3, 3–30 s, at most 15 MB. Longer audio is cut; without audio the model makes its own sound.",
                            "可选。公开的 http(s) 链接，wav 或 mp3，3–30 秒，不超过 15 MB。超出视频时长的部分会被截断；不填则由模型自动配音。",
                        ) />
                    </p>
                    <FieldError id="audio-error" error=Signal::derive(error_of(Field::AudioUrl)) />
                </div>
                <div class="grid2">
                    <div class="field">
                        <label for="size">"Size"</label>
                        <select
                            id="size"
                            on:change=move |ev| {
                                if let Some(s) = Size::from_wire(&event_target_value(&ev)) {
                                    set_form.update(|f| f.size = s);
                                }
                            }
                        >
                            {[Tier::P720, Tier::P1080]
                                .into_iter()
                                .map(|tier| {
                                    view! {
                                        <optgroup label=tier.label()>
                                            {Size::ALL
                                                .into_iter()
                                                .filter(|s| s.tier() == tier)
                                                .map(|s| {
                                                    let (w, h) = s.dimensions();
                                                    view! {
                                                        <option
                                                            value=s.wire()
                                                            selected=move || form.with(|f| f.size == s)
                                                        >
                                                            {format!("{w}×{h} · {} {}", s.aspect(), s.orientation().en)}
                                                        </option>
                                                    }
                                                })
                                                .collect_view()}
                                        </optgroup>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="duration">"Duration"</label>
                        <div class="row">
                            <input
                                id="duration"
                                type="number"
                                min="2"
                                max="15"
                                step="1"
                                inputmode="numeric"
                                aria-describedby="duration-hint duration-error"
                                aria-invalid=invalid(Field::Duration)
                                prop:value=move || form.with(|f| f.duration.clone())
                                on:input=update(|s, v| s.duration = v)
                            />
                            <span id="duration-hint" class="unit">"seconds (2–15) / 秒"</span>
                        </div>
                        <FieldError id="duration-error" error=Signal::derive(error_of(Field::Duration)) />
                    </div>
                </div>
                <div class="grid2">
                    <div class="field">
                        <label for="shot-type">"Shot type"</label>
                        <select
                            id="shot-type"
                            aria-describedby="shot-hint shot-error"
                            aria-invalid=invalid(Field::ShotType)
                            on:change=move |ev| {
                                if let Some(s) = ShotType::from_wire(&event_target_value(&ev)) {
                                    set_form.update(|f| f.shot_type = s);
                                }
                            }
                        >
                            <option value="single" selected=move || form.with(|f| f.shot_type == ShotType::Single)>
                                "Single shot"
                            </option>
                            <option value="multi" selected=move || form.with(|f| f.shot_type == ShotType::Multi)>
                                "Multi-shot"
                            </option>
                        </select>
                        <p id="shot-hint" class="hint">
                            <Msg text=Bilingual::new(
                                "Multi-shot takes effect only with Prompt extend on.",
                                "多镜头仅在开启智能改写时生效。",
                            ) />
                        </p>
                        <FieldError id="shot-error" error=Signal::derive(error_of(Field::ShotType)) />
                    </div>
                    <div class="field">
                        <label for="seed">"Seed"</label>
                        <div class="row">
                            <input
                                id="seed"
                                type="text"
                                inputmode="numeric"
                                placeholder="random / 随机"
                                aria-describedby="seed-hint seed-error"
                                aria-invalid=invalid(Field::Seed)
                                prop:value=move || form.with(|f| f.seed.clone())
                                on:input=update(|s, v| s.seed = v)
                            />
                            <button
                                type="button"
                                on:click=move |_| set_form.update(|f| f.seed = random_seed(SEED_MAX).to_string())
                            >
                                "Random"
                            </button>
                        </div>
                        <p id="seed-hint" class="hint">
                            <Msg text=Bilingual::new(
                                format!("Empty = random. 0–{SEED_MAX}; the same seed makes similar, not identical, videos."),
                                format!("留空为随机。0–{SEED_MAX}；相同种子生成的视频相似但不保证完全一致。"),
                            ) />
                        </p>
                        <FieldError id="seed-error" error=Signal::derive(error_of(Field::Seed)) />
                    </div>
                </div>
                <div class="switches">
                    <div class="field check">
                        <input
                            id="prompt-extend"
                            type="checkbox"
                            aria-describedby="extend-hint"
                            prop:checked=move || form.with(|f| f.prompt_extend)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set_form.update(|f| f.prompt_extend = on);
                            }
                        />
                        <label for="prompt-extend">"Prompt extend"</label>
                        <p id="extend-hint" class="hint">
                            <Msg text=Bilingual::new(
                                "An LLM rewrites the prompt for richer videos.",
                                "智能改写：由大模型润色提示词。",
                            ) />
                        </p>
                    </div>
                    <div class="field check">
                        <input
                            id="watermark"
                            type="checkbox"
                            aria-describedby="watermark-hint"
                            prop:checked=move || form.with(|f| f.watermark)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set_form.update(|f| f.watermark = on);
                            }
                        />
                        <label for="watermark">"Watermark"</label>
                        <p id="watermark-hint" class="hint">
                            <Msg text=Bilingual::new("Adds \"AI生成\" at the bottom right.", "在右下角添加“AI生成”水印。") />
                        </p>
                    </div>
                </div>
                {move || estimate().map(|e| view! { <p class="hint estimate"><Msg text=e /></p> })}
                <Show when=at_limit>
                    <p class="hint warn" role="status">
                        <Msg text=Bilingual::new(
                            format!("{RUNNING_LIMIT} tasks are already queued or running: that is the account-wide limit, so another one would fail. Wait for one to finish."),
                            format!("已有 {RUNNING_LIMIT} 个任务在排队或生成中，已达账户并发上限，再提交会失败。请等待其中一个完成。"),
                        ) />
                    </p>
                </Show>
                <Show when=move || !state.online.get()>
                    <p class="hint warn" role="status">
                        <Msg text=Bilingual::new(
                            "You are offline: generating is disabled until the connection is back. Your history is still here.",
                            "你已离线：恢复联网前无法生成视频。历史记录仍然可以查看。",
                        ) />
                    </p>
                </Show>
                <div class="submit-row">
                    <button
                        type="submit"
                        class="primary"
                        aria-keyshortcuts="Control+Enter Meta+Enter"
                        aria-describedby="generate-shortcut"
                        disabled=move || pending.get() || at_limit() || !state.online.get()
                    >
                        "Generate"
                    </button>
                    <span id="generate-shortcut" class="hint shortcut">
                        <kbd>"Ctrl"</kbd>"+"<kbd>"Enter"</kbd>" / "<kbd>"⌘"</kbd>"+"<kbd>"Enter"</kbd>
                    </span>
                    <span role="status" class="submit-status">
                        {move || pending.get().then(|| view! { <Msg text=Bilingual::new("Submitting… (billed once; never re-sent)", "正在提交…（仅计费一次，不会自动重发）") /> })}
                    </span>
                </div>
                {move || submit_error().map(|e| view! { <ErrorBox explanation=e /> })}
            </form>
            <ShareBox />
        </section>
    }
}

/// A text area with a live `n / max` character counter (in Unicode scalar values) and its
/// validation message.
#[component]
fn LimitedText(
    /// Element id; the counter is `{id}-counter`, the error `{id}-error`.
    id: &'static str,
    /// Visible label (also the accessible name).
    label: &'static str,
    /// Visible rows.
    rows: u32,
    /// Placeholder text.
    placeholder: &'static str,
    /// The character limit.
    max: usize,
    /// Current text.
    value: Signal<String>,
    /// Called with the new text on every edit.
    on_input: Callback<String>,
    /// The field's validation message.
    error: Signal<Option<Bilingual>>,
) -> impl IntoView {
    let counter_id = format!("{id}-counter");
    let error_id = format!("{id}-error");
    let count = Memo::new(move |_| value.with(|v| char_count(v)));
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea
                id=id
                rows=rows
                placeholder=placeholder
                aria-describedby=format!("{counter_id} {error_id}")
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || value.get()
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
            <p
                id=counter_id.clone()
                data-testid=counter_id
                class=move || { if count.get() > max { "counter over" } else { "counter" } }
            >
                {move || format!("{} / {max}", count.get())}
            </p>
            <FieldError id=error_id error=error />
        </div>
    }
}

/// A field's validation message, if any.
#[component]
fn FieldError(
    /// Element id (for aria-describedby).
    #[prop(into)]
    id: String,
    /// The message.
    error: Signal<Option<Bilingual>>,
) -> impl IntoView {
    view! {
        <div id=id>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert"><Msg text=e /></p> })}
        </div>
    }
}
