//! The wan2.6-t2v form: every field with a visible label, live character counters, errors next
//! to their fields, and the Generate button.

use leptos::prelude::*;

use super::check_field::CheckField;
use super::error_box::ErrorBox;
use super::share_box::ShareBox;
use super::text::Text;
use crate::api::Connection;
use crate::domain::form::{
    char_count, shown_errors, Field, FieldErrors, FormState, ShotType, Size, Tier, VideoRequest,
    DURATION_MAX, DURATION_MIN, NEGATIVE_PROMPT_MAX, PROMPT_MAX, SEED_MAX,
};
use crate::domain::generate::{field_dom_id, GenerateOutcome};
use crate::domain::history::{running_count, RUNNING_LIMIT};
use crate::domain::message::{Explanation, Msg};
use crate::domain::settings::check_key;
use crate::state::browser::{focus, random_seed};
use crate::state::disclosure::use_settings_disclosure;
use crate::state::gallery::use_gallery;
use crate::state::poller::use_poller;
use crate::state::submit::submit_task;
use crate::state::{use_app_state, use_i18n};

/// The errors shown next to the fields (see `domain::form::shown_errors`).
type Errors = Memo<FieldErrors>;

/// One field's error, for its `FieldError` and `aria-invalid`.
fn error_of(errors: Errors, field: Field) -> Signal<Option<Msg>> {
    Signal::derive(move || errors.with(|e| e.get(field).cloned()))
}

/// An input handler that stores the field's new text in the draft through `set`.
fn edit(set: fn(&mut FormState, String)) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    let state = use_app_state();
    move |ev| {
        let v = event_target_value(&ev);
        state.set_form.update(|f| set(f, v));
    }
}

/// What the last press of Generate was, before the submit's own answer.
#[derive(Clone, Debug, PartialEq)]
enum Attempt {
    /// Fields need fixing.
    Invalid(Vec<Field>),
    /// No connection (no key, a bad key or endpoint).
    NotReady { why: Msg, key: bool },
    /// Sent: the submit action has (or will have) the answer.
    Dispatched,
}

/// The form section: the fields, the estimate, Generate (or Ctrl/⌘+Enter), and what a submit
/// ran into, said in the Generate bar (always on screen).
#[component]
pub fn TaskForm() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let poller = use_poller();
    let gallery = use_gallery();
    // Errors show after the first Generate, then follow every edit; over-long texts show live.
    let attempt = RwSignal::new(None::<Attempt>);
    let errors: Errors = Memo::new(move |_| {
        let attempted = attempt.with(Option::is_some);
        state.form.with(|f| shown_errors(f, attempted))
    });
    let submit = Action::new_local(move |(conn, request): &(Connection, VideoRequest)| {
        // The key goes to this endpoint now, whatever the answer: it is the user's from here on.
        state.remember_endpoint(conn.endpoint());
        let (conn, request) = (conn.clone(), request.clone());
        async move {
            let result =
                submit_task(state.ledger, poller, conn, request, state.now_untracked()).await;
            if let Ok(id) = &result {
                gallery.show_new(id);
            }
            result
        }
    });
    let pending = submit.pending();
    let outcome = Memo::new(move |_| match attempt.get()? {
        Attempt::Invalid(fields) => Some(GenerateOutcome::Invalid(fields)),
        Attempt::NotReady { why, key } => Some(GenerateOutcome::NotReady { why, key }),
        Attempt::Dispatched if pending.get() => Some(GenerateOutcome::Submitting),
        Attempt::Dispatched => submit.value().get().map(|r| match r {
            Ok(id) => GenerateOutcome::Submitted(id),
            Err(e) => GenerateOutcome::Refused(e),
        }),
    });
    let running = Memo::new(move |_| {
        let now = state.now.get();
        state.ledger.tasks().with(|t| running_count(t, now))
    });
    let blocked = Signal::derive(move || {
        pending.get() || running.get() >= RUNNING_LIMIT || !state.online.get()
    });
    let on_submit = on_generate(attempt, blocked, move |args| {
        submit.dispatch(args);
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let on_keydown = submit_on_ctrl_enter(form_ref);
    let form = state.form;
    let set_form = state.set_form;
    view! {
        <section class="panel form" aria-labelledby="form-h">
            <h2 id="form-h">{i18n.t("form.heading")}</h2>
            <form node_ref=form_ref on:submit=on_submit on:keydown=on_keydown novalidate>
                <LimitedText
                    id="prompt"
                    label=Signal::derive(i18n.t("form.prompt"))
                    rows=6
                    placeholder=""
                    max=PROMPT_MAX
                    value=Signal::derive(move || form.with(|f| f.prompt.clone()))
                    on_input=Callback::new(move |v| set_form.update(|f| f.prompt = v))
                    error=error_of(errors, Field::Prompt)
                />
                <LimitedText
                    id="negative-prompt"
                    label=Signal::derive(i18n.t("form.negative_prompt"))
                    rows=2
                    placeholder=Signal::derive(i18n.t("form.negative_prompt_placeholder"))
                    max=NEGATIVE_PROMPT_MAX
                    value=Signal::derive(move || form.with(|f| f.negative_prompt.clone()))
                    on_input=Callback::new(move |v| set_form.update(|f| f.negative_prompt = v))
                    error=error_of(errors, Field::NegativePrompt)
                />
                <AudioField errors=errors />
                <SizePicker
                    value=Signal::derive(move || form.with(|f| f.size))
                    on_change=Callback::new(move |s| set_form.update(|f| f.size = s))
                />
                <div class="grid2">
                    <DurationField errors=errors />
                    <ShotTypeField errors=errors />
                    <SeedField errors=errors />
                </div>
                <FormSwitches />
                <Estimate />
                <GenerateBar outcome=outcome.into() blocked=blocked running=running.into() />
            </form>
            <ShareBox />
        </section>
    }
}

/// What pressing Generate (or Ctrl/⌘+Enter) does: nothing while `blocked`; fields to fix get the
/// focus; a missing or bad key or endpoint opens Settings there; otherwise the request goes to
/// `dispatch`. Each outcome is recorded in `attempt` for the Generate bar.
fn on_generate(
    attempt: RwSignal<Option<Attempt>>,
    blocked: Signal<bool>,
    dispatch: impl Fn((Connection, VideoRequest)) + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    let state = use_app_state();
    let disclosure = use_settings_disclosure();
    move |ev| {
        ev.prevent_default();
        if blocked.get_untracked() {
            return;
        }
        let request = match state.form.with_untracked(FormState::validate) {
            Ok(request) => request,
            Err(FieldErrors(errors)) => {
                let fields: Vec<Field> = errors.iter().map(|(f, _)| *f).collect();
                if let Some(first) = fields.first() {
                    focus(field_dom_id(*first));
                }
                attempt.set(Some(Attempt::Invalid(fields)));
                return;
            }
        };
        match state.connection() {
            Ok(conn) => {
                attempt.set(Some(Attempt::Dispatched));
                dispatch((conn, request));
            }
            Err(why) => {
                let key = !state.demo && state.key.with_untracked(|k| check_key(k).is_some());
                if key {
                    disclosure.open_at_key();
                } else {
                    disclosure.open_at_endpoint();
                }
                attempt.set(Some(Attempt::NotReady { why, key }));
            }
        }
    }
}

/// Ctrl+Enter / Cmd+Enter anywhere in the form submits it through the same path as the Generate
/// button (`requestSubmit` fires the submit event: validation first).
fn submit_on_ctrl_enter(
    form_ref: NodeRef<leptos::html::Form>,
) -> impl Fn(leptos::ev::KeyboardEvent) + 'static {
    move |ev| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && !ev.repeat() {
            ev.prevent_default();
            if let Some(f) = form_ref.get() {
                let _ = f.request_submit();
            }
        }
    }
}

/// The optional audio URL.
#[component]
fn AudioField(
    /// The form's errors.
    errors: Errors,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let error = error_of(errors, Field::AudioUrl);
    view! {
        <div class="field">
            <label for="audio-url">{i18n.t("form.audio_url")}</label>
            <input
                id="audio-url"
                type="url"
                inputmode="url"
                spellcheck="false"
                placeholder="https://…/sound.mp3"
                aria-describedby="audio-hint audio-error"
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || state.form.with(|f| f.audio_url.clone())
                on:input=edit(|f, v| f.audio_url = v)
            />
            <p id="audio-hint" class="hint">{i18n.t("form.audio_hint")}</p>
            <FieldError id="audio-error" error=error />
        </div>
    }
}

/// The duration in seconds.
#[component]
fn DurationField(
    /// The form's errors.
    errors: Errors,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let error = error_of(errors, Field::Duration);
    let unit = Msg::new("form.duration_unit")
        .with("min", DURATION_MIN.to_string())
        .with("max", DURATION_MAX.to_string());
    view! {
        <div class="field">
            <label for="duration">{i18n.t("form.duration")}</label>
            <div class="row">
                <input
                    id="duration"
                    type="number"
                    min=DURATION_MIN.to_string()
                    max=DURATION_MAX.to_string()
                    step="1"
                    inputmode="numeric"
                    aria-describedby="duration-hint duration-error"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || state.form.with(|f| f.duration.clone())
                    on:input=edit(|f, v| f.duration = v)
                />
                <span id="duration-hint" class="unit"><Text msg=unit /></span>
            </div>
            <FieldError id="duration-error" error=error />
        </div>
    }
}

/// Single or multi-shot.
#[component]
fn ShotTypeField(
    /// The form's errors.
    errors: Errors,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let error = error_of(errors, Field::ShotType);
    let option = move |shot: ShotType, label: &'static str| {
        view! {
            <option value=shot.wire() selected=move || state.form.with(|f| f.shot_type == shot)>
                {i18n.t(label)}
            </option>
        }
    };
    view! {
        <div class="field">
            <label for="shot-type">{i18n.t("form.shot_type")}</label>
            <select
                id="shot-type"
                aria-describedby="shot-hint shot-error"
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:change=move |ev| {
                    if let Some(s) = ShotType::from_wire(&event_target_value(&ev)) {
                        state.set_form.update(|f| f.shot_type = s);
                    }
                }
            >
                {option(ShotType::Single, "form.shot_single")}
                {option(ShotType::Multi, "form.shot_multi")}
            </select>
            <p id="shot-hint" class="hint">{i18n.t("form.shot_hint")}</p>
            <FieldError id="shot-error" error=error />
        </div>
    }
}

/// The seed, with a button that picks a random one.
#[component]
fn SeedField(
    /// The form's errors.
    errors: Errors,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let error = error_of(errors, Field::Seed);
    let hint = Msg::new("form.seed_hint").with("max", SEED_MAX.to_string());
    view! {
        <div class="field">
            <label for="seed">{i18n.t("form.seed")}</label>
            <div class="row">
                <input
                    id="seed"
                    type="text"
                    inputmode="numeric"
                    placeholder=i18n.t("form.seed_placeholder")
                    aria-describedby="seed-hint seed-error"
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    prop:value=move || state.form.with(|f| f.seed.clone())
                    on:input=edit(|f, v| f.seed = v)
                />
                <button
                    type="button"
                    on:click=move |_| state.set_form.update(|f| f.seed = random_seed(SEED_MAX).to_string())
                >
                    {i18n.t("form.seed_random")}
                </button>
            </div>
            <p id="seed-hint" class="hint"><Text msg=hint /></p>
            <FieldError id="seed-error" error=error />
        </div>
    }
}

/// Prompt extend and watermark.
#[component]
fn FormSwitches() -> impl IntoView {
    let state = use_app_state();
    let (form, set_form) = (state.form, state.set_form);
    view! {
        <div class="switches">
            <CheckField
                id="prompt-extend"
                label=Msg::new("form.prompt_extend")
                hint=Msg::new("form.prompt_extend_hint")
                checked=Signal::derive(move || form.with(|f| f.prompt_extend))
                on_change=Callback::new(move |on| set_form.update(|f| f.prompt_extend = on))
            />
            <CheckField
                id="watermark"
                label=Msg::new("form.watermark")
                hint=Msg::new("form.watermark_hint")
                checked=Signal::derive(move || form.with(|f| f.watermark))
                on_change=Callback::new(move |on| set_form.update(|f| f.watermark = on))
            />
        </div>
    }
}

/// The estimated cost and time of the form as it stands.
#[component]
fn Estimate() -> impl IntoView {
    let state = use_app_state();
    let estimate = move || {
        let request = state.form.with(|f| f.validate().ok())?;
        let eta = state.ledger.summary().with(|s| s.eta_ms(&request));
        Some(state.settings.with(|s| s.pricing.estimate(&request, eta)))
    };
    move || estimate().map(|e| view! { <p class="hint estimate"><Text msg=e /></p> })
}

/// The Generate bar, on screen at every width: the reason a submit was refused, Generate, and one
/// status line for whatever the last Generate did or what holds it back (offline, the running
/// limit), announced once.
#[component]
fn GenerateBar(
    /// What the last Generate did.
    outcome: Signal<Option<GenerateOutcome>>,
    /// True while Generate cannot be used.
    blocked: Signal<bool>,
    /// Tasks running now.
    running: Signal<usize>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let line = move || -> Option<(Msg, bool)> {
        if !state.online.get() {
            return Some((Msg::new("form.offline"), true));
        }
        if running.get() >= RUNNING_LIMIT
            && outcome.with(|o| !matches!(o, Some(GenerateOutcome::Submitting)))
        {
            let limit = Msg::new("form.running_limit").with("n", RUNNING_LIMIT.to_string());
            return Some((limit, true));
        }
        outcome.with(|o| o.as_ref().map(|o| (o.line(), o.needs_attention())))
    };
    let problem = move || {
        outcome.with(|o| match o {
            Some(GenerateOutcome::Refused(e)) => Some(e.clone()),
            Some(GenerateOutcome::NotReady { why, .. }) => Some(Explanation::plain(why.clone())),
            _ => None,
        })
    };
    view! {
        <div class="generate-bar">
            {move || problem().map(|e| view! { <ErrorBox explanation=e /> })}
            <div class="submit-row">
                <button
                    type="submit"
                    class="primary"
                    aria-keyshortcuts="Control+Enter Meta+Enter"
                    aria-describedby="generate-shortcut generate-status"
                    disabled=move || blocked.get()
                >
                    {i18n.t("form.generate")}
                </button>
                <span id="generate-shortcut" class="hint shortcut">
                    <kbd>"Ctrl"</kbd>"+"<kbd>"Enter"</kbd>" / "<kbd>"⌘"</kbd>"+"<kbd>"Enter"</kbd>
                </span>
            </div>
            <p
                id="generate-status"
                role="status"
                class=move || if line().is_some_and(|l| l.1) { "generate-status warn" } else { "generate-status" }
            >
                {move || line().map(|(m, _)| view! { <Text msg=m /> })}
            </p>
        </div>
    }
}

/// The size picker: a radio group ("Size") of the ten sizes, grouped by resolution tier. Each
/// option shows its shape at the true aspect ratio, the ratio and the pixel size; its accessible
/// name adds the orientation in words. The radios are native and share one `name`, so arrow
/// keys move between them; each radio's `value` is the wire value (`1280*720`).
#[component]
fn SizePicker(
    /// The selected size.
    value: Signal<Size>,
    /// Called with the size the user picks.
    on_change: Callback<Size>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="size-picker">
            <legend>{i18n.t("form.size")}</legend>
            {[Tier::P720, Tier::P1080]
                .into_iter()
                .map(|tier| {
                    view! {
                        <fieldset class="size-tier">
                            <legend>{tier.label()}</legend>
                            <div class="size-options">
                                {Size::ALL
                                    .into_iter()
                                    .filter(|s| s.tier() == tier)
                                    .map(|s| view! { <SizeOption size=s value=value on_change=on_change /> })
                                    .collect_view()}
                            </div>
                        </fieldset>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

/// One size in the [`SizePicker`]: a radio covering a tile that draws the size's shape.
#[component]
fn SizeOption(
    /// The size this option picks.
    size: Size,
    /// The selected size.
    value: Signal<Size>,
    /// Called with `size` when the user picks it.
    on_change: Callback<Size>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (w, h) = size.dimensions();
    let dimensions = format!("{w}×{h}");
    let ratio = size.aspect();
    // One class per shape: the stylesheet sets each one's exact aspect ratio (no inline styles:
    // the Content-Security-Policy allows only the stylesheet).
    let orientation = match w.cmp(&h) {
        std::cmp::Ordering::Greater => "landscape",
        std::cmp::Ordering::Less => "portrait",
        std::cmp::Ordering::Equal => "square",
    };
    let shape_class = format!("size-shape {orientation} ar-{}", ratio.replace(':', "x"));
    let name = {
        let dimensions = dimensions.clone();
        move || {
            i18n.render(
                &Msg::new("form.size_option")
                    .with("ratio", ratio)
                    .with("dimensions", &dimensions)
                    .with("orientation", crate::domain::form::orientation(size)),
            )
        }
    };
    let checked = move || value.get() == size;
    view! {
        <label class="size-option" class:selected=checked>
            <input
                type="radio"
                name="size"
                value=size.wire()
                aria-label=name
                prop:checked=checked
                on:change=move |ev| {
                    if event_target_checked(&ev) {
                        on_change.run(size);
                    }
                }
            />
            <span class="size-shape-box" aria-hidden="true">
                <span class=shape_class></span>
            </span>
            <span class="size-ratio" aria-hidden="true">{ratio}</span>
            <span class="size-dim" aria-hidden="true">{dimensions}</span>
        </label>
    }
}

/// A text area with a live `n / max` character counter (in Unicode scalar values) and its
/// validation message.
#[component]
fn LimitedText(
    /// Element id; the counter is `{id}-counter`, the error `{id}-error`.
    id: &'static str,
    /// Visible label (also the accessible name), in the current language.
    label: Signal<String>,
    /// Visible rows.
    rows: u32,
    /// Placeholder text, in the current language.
    #[prop(into)]
    placeholder: Signal<String>,
    /// The character limit.
    max: usize,
    /// Current text.
    value: Signal<String>,
    /// Called with the new text on every edit.
    on_input: Callback<String>,
    /// The field's validation message.
    error: Signal<Option<Msg>>,
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
    error: Signal<Option<Msg>>,
) -> impl IntoView {
    view! {
        <div id=id>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert"><Text msg=e /></p> })}
        </div>
    }
}
