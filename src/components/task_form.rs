//! The form of every model and mode: the mode picker, then only that mode's fields, each with a
//! visible label, its limits and hints from the model table, live character counters, errors
//! next to their fields, and the Generate button.

use leptos::prelude::*;

use super::check_field::CheckField;
use super::compare::CompareSelection;
use super::error_box::ErrorBox;
use super::field_error::{error_of, Errors, FieldError};
use super::media_field::MediaField;
use super::reference_list::ReferenceList;
use super::share_box::ShareBox;
use super::text::Text;
use crate::api::Connection;
use crate::domain::batch::{batch_members, batch_tags, Takes, MAX_TAKES};
use crate::domain::card::mode_name;
use crate::domain::form::{
    audio_slot, char_count, media_inputs, shown_errors, Field, FieldErrors, FormState, FromTake,
    ShotType, Size, Tier, SEED_MAX,
};
use crate::domain::generate::{field_dom_id, GenerateOutcome};
use crate::domain::history::{running_count, RUNNING_LIMIT};
use crate::domain::message::{Explanation, Msg};
use crate::domain::models::{
    ratio_pixels, Counting, DurationRule, Labels, Mode, Ratio, ShotControl, SizeControl, MODES,
};
use crate::domain::request::{AudioSetting, ModelRequest};
use crate::domain::settings::check_key;
use crate::domain::site_config::SiteConfig;
use crate::domain::spend::{budget_warning, month_spend_milli};
use crate::state::browser::{focus, local_month_start, random_seed, BrowserUrl};
use crate::state::context::AppState;
use crate::state::disclosure::use_settings_disclosure;
use crate::state::gallery::use_gallery;
use crate::state::poller::use_poller;
use crate::state::submit::submit_task;
use crate::state::{use_app_state, use_i18n};

/// An input handler that stores the field's new text in the draft through `set`.
fn edit(set: fn(&mut FormState, String)) -> impl Fn(leptos::ev::Event) + Clone + 'static {
    let state = use_app_state();
    move |ev| {
        let v = event_target_value(&ev);
        state.set_form.update(|f| set(f, v));
    }
}

/// What Generate sends: where, what (one request per take), and the take it continues or edits.
type Dispatch = (Connection, Vec<ModelRequest>, Option<FromTake>);

/// What a press of Generate created, and why it stopped early if it did.
#[derive(Clone)]
struct Sent {
    ids: Vec<String>,
    of: u8,
    stopped: Option<Stopped>,
}

/// Why a press of Generate sent fewer takes than asked.
#[derive(Clone)]
enum Stopped {
    Refused(Explanation),
    Canceled,
}

impl Sent {
    fn outcome(&self) -> GenerateOutcome {
        let sent = u8::try_from(self.ids.len()).unwrap_or(MAX_TAKES);
        match (&self.stopped, self.of) {
            (Some(Stopped::Refused(e)), 1) => GenerateOutcome::Refused(e.clone()),
            (None, 1) => GenerateOutcome::Submitted(self.ids.first().cloned().unwrap_or_default()),
            (None, of) => GenerateOutcome::SubmittedBatch(of),
            (Some(Stopped::Refused(e)), of) => GenerateOutcome::BatchStopped {
                sent,
                of,
                explanation: e.clone(),
            },
            (Some(Stopped::Canceled), of) => GenerateOutcome::BatchCanceled { sent, of },
        }
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
    // How many takes Generate makes, and how they differ (never remembered: each take is billed).
    let takes = RwSignal::new(Takes::default());
    let count = Memo::new(move |_| {
        let t = takes.get();
        state.form.with(|f| t.count(&f.prompt))
    });
    let too_many = move || count.get() > usize::from(MAX_TAKES);
    // The take of a batch being sent: (take, of, waiting for room); written by the submit only.
    let progress = RwSignal::new(None::<(u8, u8, bool)>);
    // Stop sending the rest of a batch (the Stop button asks; the submit reads it between takes).
    let stop = StoredValue::new(false);
    let compare = expect_context::<CompareSelection>();
    let submit = Action::new_local(move |(conn, requests, from): &Dispatch| {
        // The key goes to this endpoint now, whatever the answer: it is the user's from here on.
        state.remember_endpoint(conn.endpoint());
        let (conn, requests, from) = (conn.clone(), requests.clone(), from.clone());
        stop.set_value(false);
        async move {
            let of = u8::try_from(requests.len()).unwrap_or(MAX_TAKES);
            let started = state.now_untracked();
            let tags = batch_tags(started, requests.len());
            let mut sent = Sent {
                ids: Vec::new(),
                of,
                stopped: None,
            };
            for (i, (request, tag)) in requests.into_iter().zip(tags).enumerate() {
                let take = u8::try_from(i + 1).unwrap_or(of);
                // One at a time, and never beyond the account's running limit: the next take
                // waits for a task to end (this page polls them).
                loop {
                    if i > 0 && stop.get_value() {
                        sent.stopped = Some(Stopped::Canceled);
                        progress.set(None);
                        return sent;
                    }
                    let now = state.now_untracked();
                    let running = state
                        .ledger
                        .tasks()
                        .with_untracked(|t| running_count(t, now));
                    if i == 0 || (running < RUNNING_LIMIT && state.online.get_untracked()) {
                        break;
                    }
                    progress.set(Some((take, of, true)));
                    gloo_timers::future::TimeoutFuture::new(500).await;
                }
                progress.set(Some((take, of, false)));
                let now = state.now_untracked();
                match submit_task(
                    state.ledger,
                    poller,
                    conn.clone(),
                    request,
                    from.clone(),
                    tag,
                    now,
                )
                .await
                {
                    Ok(id) => {
                        gallery.show_new(&id);
                        sent.ids.push(id);
                    }
                    Err(e) => {
                        // Never sent again by itself: the rest of the batch stays unsent.
                        sent.stopped = Some(Stopped::Refused(e));
                        break;
                    }
                }
            }
            progress.set(None);
            if of > 1 && !sent.ids.is_empty() {
                leptos::task::spawn_local(compare_when_done(state, compare, started));
            }
            sent
        }
    });
    let pending = submit.pending();
    let outcome = Memo::new(move |_| match attempt.get()? {
        // What needs fixing now (the errors follow every edit, and a switch of mode): the line
        // never names another mode's fields, and goes once all is fixed.
        Attempt::Invalid(_) => {
            let fields: Vec<Field> = errors.with(|e| e.0.iter().map(|(f, _)| *f).collect());
            (!fields.is_empty()).then_some(GenerateOutcome::Invalid(fields))
        }
        Attempt::NotReady { why, key } => Some(GenerateOutcome::NotReady { why, key }),
        Attempt::Dispatched if pending.get() => Some(match progress.get() {
            Some((take, of, waiting)) if of > 1 => GenerateOutcome::Sending { take, of, waiting },
            _ => GenerateOutcome::Submitting,
        }),
        Attempt::Dispatched => submit.value().with(|v| v.as_ref().map(Sent::outcome)),
    });
    let running = Memo::new(move |_| {
        let now = state.now.get();
        state.ledger.tasks().with(|t| running_count(t, now))
    });
    let blocked = Signal::derive(move || {
        pending.get() || running.get() >= RUNNING_LIMIT || !state.online.get() || too_many()
    });
    let on_submit = on_generate(attempt, blocked, move |(conn, requests, from)| {
        let choice = takes.get_untracked();
        let requests = requests
            .first()
            .map(|r| choice.requests(r, || random_seed(SEED_MAX)))
            .unwrap_or_default();
        submit.dispatch((conn, requests, from));
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let on_keydown = submit_on_ctrl_enter(form_ref);
    let form = state.form;
    let set_form = state.set_form;
    // The mode decides which fields exist; each block below is rebuilt only when it changes.
    let mode = Memo::new(move |_| form.with(|f| f.mode));
    let prompt_count = Memo::new(move |_| form.with(|f| f.spec().prompt.length(&f.prompt)));
    let negative_count = Memo::new(move |_| form.with(|f| char_count(&f.negative_prompt)));
    view! {
        <section class="panel form" aria-labelledby="form-h">
            <h2 id="form-h">{i18n.t("form.heading")}</h2>
            <form node_ref=form_ref on:submit=on_submit on:keydown=on_keydown novalidate>
                <ModePicker />
                <LimitedText
                    id="prompt"
                    label=Signal::derive(i18n.t("form.prompt"))
                    rows=6
                    placeholder=""
                    max=Signal::derive(move || usize::from(mode.get().spec().prompt.max))
                    count=prompt_count.into()
                    value=Signal::derive(move || form.with(|f| f.prompt.clone()))
                    on_input=Callback::new(move |v| set_form.update(|f| f.prompt = v))
                    error=error_of(errors, Field::Prompt)
                />
                {move || prompt_hints(mode.get())}
                {move || {
                    mode.get().spec().negative_prompt.map(|max| view! {
                        <LimitedText
                            id="negative-prompt"
                            label=Signal::derive(i18n.t("form.negative_prompt"))
                            rows=2
                            placeholder=Signal::derive(i18n.t("form.negative_prompt_placeholder"))
                            max=Signal::stored(usize::from(max))
                            count=negative_count.into()
                            value=Signal::derive(move || form.with(|f| f.negative_prompt.clone()))
                            on_input=Callback::new(move |v| set_form.update(|f| f.negative_prompt = v))
                            error=error_of(errors, Field::NegativePrompt)
                        />
                    })
                }}
                {move || {
                    let m = mode.get();
                    media_inputs(m.spec())
                        .into_iter()
                        .map(|name| view! { <MediaField mode=m name=name errors=errors /> })
                        .collect_view()
                }}
                <ReferenceList />
                {move || audio_slot(mode.get().spec()).map(|_| view! { <AudioField errors=errors mode=mode.get() /> })}
                {move || match mode.get().spec().size {
                    SizeControl::Sizes(_) => view! {
                        <SizePicker
                            value=Signal::derive(move || form.with(|f| f.size))
                            on_change=Callback::new(move |s| set_form.update(|f| f.size = s))
                        />
                    }
                    .into_any(),
                    _ => view! { <OutputPicker mode=mode.get() /> }.into_any(),
                }}
                <div class="grid2">
                    {move || {
                        let m = mode.get();
                        (!matches!(m.spec().duration, DurationRule::None))
                            .then(|| view! { <DurationField errors=errors mode=m /> })
                    }}
                    {move || {
                        matches!(mode.get().spec().shot, ShotControl::ShotType { .. })
                            .then(|| view! { <ShotTypeField errors=errors mode=mode.get() /> })
                    }}
                    <SeedField errors=errors />
                </div>
                {move || view! { <FormSwitches mode=mode.get() /> }}
                <Estimate takes=Signal::derive(move || u8::try_from(count.get()).unwrap_or(MAX_TAKES).min(MAX_TAKES)) />
                <GenerateBar
                    outcome=outcome.into()
                    blocked=blocked
                    running=running.into()
                    takes=takes
                    count=count.into()
                    sending_batch=Signal::derive(move || {
                        pending.get() && progress.with(|p| p.is_some_and(|p| p.1 > 1))
                    })
                    on_stop=Callback::new(move |_| stop.set_value(true))
                />
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
    dispatch: impl Fn(Dispatch) + 'static,
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
                let from = state.form.with_untracked(|f| f.follows(&request));
                dispatch((conn, vec![request], from));
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

/// Opens the comparison of the batch started at `at_ms` once every take of it has ended (with two
/// or more that play); gives up when its takes are gone or after a day.
async fn compare_when_done(state: AppState, compare: CompareSelection, at_ms: i64) {
    const DAY_MS: i64 = 24 * 3_600_000;
    loop {
        gloo_timers::future::TimeoutFuture::new(1_000).await;
        let now = state.now_untracked();
        let Some(done) = state.ledger.tasks().try_with_untracked(|tasks| {
            let members = batch_members(tasks, at_ms);
            let takes: Vec<_> = tasks.iter().filter(|t| members.contains(&t.id)).collect();
            if takes.is_empty() || now - at_ms > DAY_MS {
                return Some(Vec::new());
            }
            takes.iter().all(|t| t.is_finished(now)).then(|| {
                members
                    .iter()
                    .filter(|id| {
                        takes.iter().any(|t| {
                            &&t.id == id && (t.has_live_video(now, &BrowserUrl) || t.kept.is_some())
                        })
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            })
        }) else {
            // The page is gone.
            return;
        };
        if let Some(playing) = done {
            if playing.len() >= 2 {
                compare.show(playing);
            }
            return;
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

/// The model and mode: one list, grouped by model. Switching keeps everything typed; each mode
/// reads the fields it has.
#[component]
fn ModePicker() -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let groups = ["Wan 2.6", "Wan 2.7", "HappyHorse 1.0", "HappyHorse 1.1"];
    let site = use_context::<RwSignal<SiteConfig>>();
    // What the team offers, and the draft's own mode if it is not among them (a re-run of an older
    // take): the list always shows what is chosen.
    let listed = Memo::new(move |_| {
        let current = state.form.with(|f| f.mode);
        MODES
            .iter()
            .map(|s| s.mode)
            .filter(|m| *m == current || site.is_none_or(|s| s.with(|c| c.offers(*m))))
            .collect::<Vec<Mode>>()
    });
    view! {
        <div class="field">
            <label for="mode">{i18n.t("form.mode")}</label>
            <select
                id="mode"
                aria-describedby="mode-hint"
                on:change=move |ev| {
                    if let Some(m) = Mode::from_key(&event_target_value(&ev)) {
                        state.set_form.update(|f| f.switch_mode(m));
                    }
                }
            >
                {move || {
                    let shown = listed.get();
                    groups
                    .into_iter()
                    .filter(|group| shown.iter().any(|m| model_group(*m) == *group))
                    .map(|group| {
                        view! {
                            <optgroup label=group>
                                {shown
                                    .iter()
                                    .filter(|m| model_group(**m) == group)
                                    .map(|m| {
                                        let m = *m;
                                        view! {
                                            <option
                                                value=m.key()
                                                selected=move || state.form.with(|f| f.mode == m)
                                            >
                                                {move || i18n.render(&mode_name(m))}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </optgroup>
                        }
                    })
                    .collect_view()
                }}
            </select>
            <p id="mode-hint" class="hint">
                {move || i18n.render(&Msg::new(&format!("mode_hint.{}", state.form.with(|f| f.mode.key()))))}
            </p>
        </div>
    }
}

/// The group a mode is listed under: its model and version.
fn model_group(mode: Mode) -> &'static str {
    let key = mode.key();
    if key.starts_with("wan2.6") {
        "Wan 2.6"
    } else if key.starts_with("wan2.7") {
        "Wan 2.7"
    } else if key.starts_with("happyhorse-1.0") {
        "HappyHorse 1.0"
    } else {
        "HappyHorse 1.1"
    }
}

/// What a mode's prompt needs besides its limit: how it is counted, how shots and references are
/// written.
fn prompt_hints(mode: Mode) -> impl IntoView {
    let i18n = use_i18n();
    let spec = mode.spec();
    let mut keys = Vec::new();
    if spec.prompt.counting == Counting::CjkDouble {
        keys.push("form.prompt_weighted");
    }
    if !spec.prompt.required {
        keys.push("form.prompt_optional");
    }
    if spec.shot == ShotControl::Wording {
        keys.push("form.shot_wording");
    }
    keys.push(match spec.labels {
        Labels::Character => "form.labels_character",
        Labels::ImageVideo => "form.labels_image_video",
        Labels::BracketImage => "form.labels_bracket",
        Labels::None | Labels::Undocumented => "",
    });
    keys.into_iter()
        .filter(|k| !k.is_empty())
        .map(|k| view! { <p class="hint">{i18n.t(k)}</p> })
        .collect_view()
}

/// The optional audio track (`audio_url`, or wan2.7's `driving_audio`).
#[component]
fn AudioField(
    /// The form's errors.
    errors: Errors,
    /// The mode (its audio limits).
    mode: Mode,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let error = error_of(errors, Field::AudioUrl);
    let seconds = audio_slot(mode.spec())
        .and_then(|s| s.limits.seconds)
        .unwrap_or((3, 30));
    let hint = Msg::new("form.audio_hint")
        .with("min", seconds.0.to_string())
        .with("max", seconds.1.to_string());
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
            <p id="audio-hint" class="hint"><Text msg=hint /></p>
            <FieldError id="audio-error" error=error />
        </div>
    }
}

/// The duration in seconds.
#[component]
fn DurationField(
    /// The form's errors.
    errors: Errors,
    /// The mode (its range and rule).
    mode: Mode,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let error = error_of(errors, Field::Duration);
    let spec = mode.spec();
    let (min, max) = spec.duration_range(false).unwrap_or((2, 15));
    let key = match spec.duration {
        DurationRule::KeepOrCut { .. } => "form.duration_unit_keep",
        DurationRule::Range {
            includes_clip: true,
            ..
        } => "form.duration_unit_total",
        DurationRule::Range {
            max_with_video: Some(_),
            ..
        } => "form.duration_unit_video",
        _ => "form.duration_unit",
    };
    let unit = Msg::new(key)
        .with("min", min.to_string())
        .with("max", max.to_string())
        .with(
            "video_max",
            spec.duration_range(true).map_or(max, |r| r.1).to_string(),
        );
    let lowest = if key == "form.duration_unit_keep" {
        0
    } else {
        min
    };
    view! {
        <div class="field">
            <label for="duration">{i18n.t("form.duration")}</label>
            <div class="row">
                <input
                    id="duration"
                    type="number"
                    min=lowest.to_string()
                    max=max.to_string()
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
    /// The mode (whether multi-shot needs prompt extend).
    mode: Mode,
) -> impl IntoView {
    let state = use_app_state();
    let hint = match mode.spec().shot {
        ShotControl::ShotType {
            needs_extend: false,
        } => "form.shot_hint_free",
        _ => "form.shot_hint",
    };
    view! {
        <ChoiceField
            id="shot-type"
            label="form.shot_type"
            hint=hint
            choices=&[("single", "form.shot_single"), ("multi", "form.shot_multi")]
            chosen=Signal::derive(move || state.form.with(|f| f.shot_type.wire()))
            on_choose=Callback::new(move |v: String| {
                if let Some(s) = ShotType::from_wire(&v) {
                    state.set_form.update(|f| f.shot_type = s);
                }
            })
            error=error_of(errors, Field::ShotType)
        />
    }
}

/// A labelled list of a few fixed choices, with a hint and the field's error.
#[component]
fn ChoiceField(
    /// Element id; the hint is `{id}-hint`, the error `{id}-error`.
    id: &'static str,
    /// The label's catalog key.
    label: &'static str,
    /// The hint's catalog key.
    hint: &'static str,
    /// Each choice's value and its catalog key.
    choices: &'static [(&'static str, &'static str)],
    /// The chosen value.
    chosen: Signal<&'static str>,
    /// Called with the value the user chooses.
    on_choose: Callback<String>,
    /// The field's validation message.
    error: Signal<Option<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    view! {
        <div class="field">
            <label for=id>{i18n.t(label)}</label>
            <select
                id=id
                aria-describedby=format!("{hint_id} {error_id}")
                aria-invalid=move || error.with(Option::is_some).to_string()
                on:change=move |ev| on_choose.run(event_target_value(&ev))
            >
                {choices
                    .iter()
                    .map(|&(value, key)| {
                        view! {
                            <option value=value selected=move || chosen.get() == value>
                                {i18n.t(key)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p id=hint_id class="hint">{i18n.t(hint)}</p>
            <FieldError id=error_id error=error />
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

/// Prompt extend (where the mode has it), watermark, and what an edit does with the sound.
#[component]
fn FormSwitches(
    /// The mode.
    mode: Mode,
) -> impl IntoView {
    let state = use_app_state();
    let (form, set_form) = (state.form, state.set_form);
    let spec = mode.spec();
    let audio_setting = spec.audio_setting.then(|| {
        view! {
            <ChoiceField
                id="audio-setting"
                label="form.audio_setting"
                hint="form.audio_setting_hint"
                choices=&[("auto", "form.audio_setting_auto"), ("origin", "form.audio_setting_origin")]
                chosen=Signal::derive(move || form.with(|f| f.audio_setting.wire()))
                on_choose=Callback::new(move |v: String| {
                    let origin = v == AudioSetting::Origin.wire();
                    set_form.update(|f| {
                        f.audio_setting = if origin { AudioSetting::Origin } else { AudioSetting::Auto };
                    });
                })
                error=Signal::stored(None)
            />
        }
    });
    view! {
        {audio_setting}
        <div class="switches">
            {spec.prompt_extend.then(|| view! {
                <CheckField
                    id="prompt-extend"
                    label=Msg::new("form.prompt_extend")
                    hint=Msg::new("form.prompt_extend_hint")
                    checked=Signal::derive(move || form.with(|f| f.prompt_extend))
                    on_change=Callback::new(move |on| set_form.update(|f| f.prompt_extend = on))
                />
            })}
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
fn Estimate(
    /// How many takes Generate makes.
    takes: Signal<u8>,
) -> impl IntoView {
    let state = use_app_state();
    // Validated once per edit, for the estimate and the budget both.
    let request = Memo::new(move |_| state.form.with(|f| f.validate().ok()));
    let estimate = move || {
        request.with(|r| {
            let r = r.as_ref()?;
            let eta = state.ledger.summary().with(|s| s.eta_ms(r));
            let n = takes.get();
            Some(state.settings.with(|s| {
                let one = s.pricing.estimate(r, eta);
                match s.pricing.cost(r) {
                    Some(cost) if n > 1 => one.then(
                        Msg::new("form.takes_estimate")
                            .with("n", n.to_string())
                            .with("amount", s.pricing.format(cost * u64::from(n))),
                    ),
                    _ => one,
                }
            }))
        })
    };
    // The team's monthly budget, if its config sets one: this month's tasks, read again after
    // every change of the history (only on sites with a budget).
    let budget = use_context::<RwSignal<SiteConfig>>()
        .map(|site| Memo::new(move |_| site.with(|c| c.monthly_budget)));
    let spent = LocalResource::new(move || {
        let budget = budget.and_then(|b| b.get());
        if budget.is_some() {
            state.ledger.summary().track();
        }
        let pricing = state.settings.with_untracked(|s| s.pricing.clone());
        let since = local_month_start(state.now_untracked());
        async move {
            budget?;
            Some(month_spend_milli(
                &state.ledger.since(since).await,
                &pricing,
            ))
        }
    });
    let warning = move || {
        let budget = budget.and_then(|b| b.get())?;
        let spent = spent.get().flatten()?;
        let next = request.with(|r| {
            r.as_ref()
                .and_then(|r| state.settings.with(|s| s.pricing.cost(r)))
                .map(|c| c * u64::from(takes.get()))
        });
        state
            .settings
            .with(|s| budget_warning(spent, next, budget, &s.pricing))
    };
    view! {
        {move || estimate().map(|e| view! { <p class="hint estimate"><Text msg=e /></p> })}
        {move || warning().map(|w| view! { <p class="budget-warning" role="status"><Text msg=w /></p> })}
    }
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
    /// How many takes Generate makes and how they differ (the bar's own choice).
    takes: RwSignal<Takes>,
    /// How many takes that makes of the form as it stands.
    count: Signal<usize>,
    /// True while a batch is being sent (Stop is offered).
    sending_batch: Signal<bool>,
    /// Stops sending the rest of the batch.
    on_stop: Callback<()>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let line = move || -> Option<(Msg, bool)> {
        if !state.online.get() {
            return Some((Msg::new("form.offline"), true));
        }
        if count.get() > usize::from(MAX_TAKES) {
            let over = Msg::new("form.lines_over")
                .with("n", count.get().to_string())
                .with("max", MAX_TAKES.to_string());
            return Some((over, true));
        }
        if running.get() >= RUNNING_LIMIT {
            let limit = Msg::new("form.running_limit").with("n", RUNNING_LIMIT.to_string());
            return Some(outcome.with(|o| match o {
                Some(o @ (GenerateOutcome::Submitting | GenerateOutcome::Sending { .. })) => {
                    (o.line(), false)
                }
                // How the batch ended, then why Generate waits.
                Some(
                    o @ (GenerateOutcome::BatchStopped { .. }
                    | GenerateOutcome::BatchCanceled { .. }),
                ) => (o.line().then(limit), true),
                _ => (limit, true),
            }));
        }
        outcome.with(|o| o.as_ref().map(|o| (o.line(), o.needs_attention())))
    };
    let problem = move || {
        outcome.with(|o| match o {
            Some(
                GenerateOutcome::Refused(e) | GenerateOutcome::BatchStopped { explanation: e, .. },
            ) => Some(e.clone()),
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
                    {move || match count.get().min(usize::from(MAX_TAKES)) {
                        1 => i18n.render(&Msg::new("form.generate")),
                        n => i18n.render(&Msg::new("form.generate_takes").with("n", n.to_string())),
                    }}
                </button>
                <label class="takes">
                    {i18n.t("form.takes")}
                    <select
                        aria-describedby="takes-hint"
                        prop:value=move || takes.get().value()
                        on:change=move |ev| takes.set(Takes::parse(&event_target_value(&ev)))
                    >
                        {(1..=MAX_TAKES)
                            .map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> })
                            .collect_view()}
                        <option value=Takes::Lines.value()>{i18n.t("form.takes_lines")}</option>
                    </select>
                </label>
                <span id="takes-hint" class="visually-hidden">{i18n.t("form.takes_hint")}</span>
                <Show when=move || sending_batch.get()>
                    <button type="button" on:click=move |_| on_stop.run(())>{i18n.t("form.stop_batch")}</button>
                </Show>
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

/// The output of a mode without a `size` list: the resolution, and the aspect ratio where the
/// mode has one (a radio group of tiles drawing each ratio, with its pixel size where the model's
/// page gives one: wan2.7's 4:3 is 1104×832), or a note that the aspect follows the input.
#[component]
fn OutputPicker(
    /// The mode.
    mode: Mode,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let spec = mode.spec();
    let family = spec.family;
    let tier = Memo::new(move |_| state.form.with(|f| f.tier));
    let tiers = [Tier::P720, Tier::P1080].map(|t| {
        view! {
            <label class="size-option tier-option" class:selected=move || tier.get() == t>
                <input
                    type="radio"
                    name="resolution"
                    value=t.label()
                    prop:checked=move || tier.get() == t
                    on:change=move |ev| {
                        if event_target_checked(&ev) {
                            state.set_form.update(|f| f.tier = t);
                        }
                    }
                />
                <span class="size-ratio">{t.label()}</span>
            </label>
        }
    });
    let ratios = match spec.size {
        SizeControl::ResolutionRatio { ratios, default } => {
            let chosen = Memo::new(move |_| {
                state
                    .form
                    .with(|f| f.ratio.filter(|r| ratios.contains(r)).or(default))
            });
            let follow = default.is_none().then(|| {
                view! {
                    <label class="size-option" class:selected=move || chosen.get().is_none()>
                        <input
                            type="radio"
                            name="ratio"
                            value=""
                            prop:checked=move || chosen.get().is_none()
                            on:change=move |ev| {
                                if event_target_checked(&ev) {
                                    state.set_form.update(|f| f.ratio = None);
                                }
                            }
                        />
                        <span class="size-ratio">{i18n.t("form.ratio_follow")}</span>
                    </label>
                }
            });
            let tiles = ratios
                .iter()
                .map(|&r| {
                    view! {
                        <RatioOption
                            ratio=r
                            dims=Signal::derive(move || ratio_pixels(family, tier.get(), r))
                            checked=Signal::derive(move || chosen.get() == Some(r))
                        />
                    }
                })
                .collect_view();
            Some(view! {
                <fieldset class="size-tier">
                    <legend>{i18n.t("form.ratio")}</legend>
                    <div class="size-options">{follow}{tiles}</div>
                </fieldset>
            })
        }
        _ => None,
    };
    let follows = ratios
        .is_none()
        .then(|| view! { <p class="hint">{i18n.t("form.aspect_follows")}</p> });
    view! {
        <fieldset class="size-picker">
            <legend>{i18n.t("form.output")}</legend>
            <fieldset class="size-tier">
                <legend>{i18n.t("form.resolution")}</legend>
                <div class="size-options">{tiers}</div>
            </fieldset>
            {ratios}
            {follows}
        </fieldset>
    }
}

/// One aspect ratio in the [`OutputPicker`]: a radio covering a tile that draws the shape.
#[component]
fn RatioOption(
    /// The ratio this option picks.
    ratio: Ratio,
    /// Its pixel size at the chosen resolution, where the model's page gives one.
    dims: Signal<Option<(u32, u32)>>,
    /// Whether it is the chosen ratio.
    checked: Signal<bool>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let wire = ratio.wire();
    let (a, b) = wire.split_once(':').unwrap_or(("1", "1"));
    let (a, b) = (a.parse::<u32>().unwrap_or(1), b.parse::<u32>().unwrap_or(1));
    let orientation = match a.cmp(&b) {
        std::cmp::Ordering::Greater => "landscape",
        std::cmp::Ordering::Less => "portrait",
        std::cmp::Ordering::Equal => "square",
    };
    // wan2.7's 4:3 and 3:4 are drawn at their own pixels (1104×832), not wan2.6's (1088×832).
    let shape_class = move || {
        let own = matches!(
            dims.get(),
            Some((1104, 832) | (1648, 1248) | (832, 1104) | (1248, 1648))
        );
        format!(
            "size-shape {orientation} ar-{}{}",
            wire.replace(':', "x"),
            if own { "w" } else { "" }
        )
    };
    let dim_text = move || dims.get().map(|(w, h)| format!("{w}×{h}"));
    let name = move || {
        let words = i18n.render(&Msg::new(&format!("form.orientation.{orientation}")));
        match dim_text() {
            Some(d) => format!("{wire} · {d} · {words}"),
            None => format!("{wire} · {words}"),
        }
    };
    view! {
        <label class="size-option" class:selected=move || checked.get()>
            <input
                type="radio"
                name="ratio"
                value=wire
                aria-label=name
                prop:checked=move || checked.get()
                on:change=move |ev| {
                    if event_target_checked(&ev) {
                        state.set_form.update(|f| f.ratio = Some(ratio));
                    }
                }
            />
            <span class="size-shape-box" aria-hidden="true">
                <span class=shape_class></span>
            </span>
            <span class="size-ratio" aria-hidden="true">{wire}</span>
            <span class="size-dim" aria-hidden="true">{dim_text}</span>
        </label>
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
    max: Signal<usize>,
    /// The text's length as the mode counts it.
    count: Signal<usize>,
    /// Current text.
    value: Signal<String>,
    /// Called with the new text on every edit.
    on_input: Callback<String>,
    /// The field's validation message.
    error: Signal<Option<Msg>>,
) -> impl IntoView {
    let counter_id = format!("{id}-counter");
    let error_id = format!("{id}-error");
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
                class=move || { if count.get() > max.get() { "counter over" } else { "counter" } }
            >
                {move || format!("{} / {}", count.get(), max.get())}
            </p>
            <FieldError id=error_id error=error />
        </div>
    }
}
