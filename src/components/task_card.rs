//! One take in the gallery: a compact card (poster frame or status visual, status chip, prompt
//! excerpt, settings, the one line that matters now, the primary action, Details and a menu of
//! the rest). Opened, it spans the gallery with the player and every detail. What it says comes
//! from `domain::card`; these components lay it out.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::check_field::CheckField;
use super::error_box::ErrorBox;
use super::input_thumbs::InputThumbs;
use super::text::Text;
use crate::domain::batch::batch_members;
use crate::domain::card::{self, Outcome};
use crate::domain::cost::billed;
use crate::domain::form::{Derivation, FormState};
use crate::domain::keep::{kept_line, KeepState, KeepVideos};
use crate::domain::message::Msg;
use crate::domain::settings::check_key;
use crate::domain::task::{BatchTag, TaskRecord, TaskStatus, Watch};
use crate::domain::time::{expiry_text, link_expiry_ms};
use crate::state::browser::{copy_text, focus, BrowserUrl};
use crate::state::gallery::{dom_id, use_gallery};
use crate::state::keep::use_keeper;
use crate::state::poller::use_poller;
use crate::state::site::share_url;
use crate::state::toast::use_toasts;
use crate::state::{use_app_state, use_i18n};

/// The ledger entry a card follows (`None` once deleted).
type Record = Memo<Option<TaskRecord>>;

/// What a card knows, shared by its parts.
#[derive(Clone, Copy)]
struct Take {
    /// The task's id in the ledger.
    id: StoredValue<String>,
    /// The task.
    record: Record,
    /// What the page does about it.
    watch: Memo<Option<Watch>>,
    /// The video's link, while it lives.
    video: Memo<Option<String>>,
    /// What the player plays: the kept copy (an object URL) when there is one, else the live link.
    playable: Memo<Option<String>>,
    /// True when the player could not load the video.
    load_failed: RwSignal<bool>,
    /// The id of the prompt excerpt: the description of the card's buttons.
    excerpt_id: StoredValue<String>,
}

/// A take, following the ledger entry with this id.
#[component]
pub fn TaskCard(
    /// The task's id in the ledger.
    id: String,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let gallery = use_gallery();
    let record: Record = {
        let id = id.clone();
        Memo::new(move |_| {
            state
                .ledger
                .tasks()
                .with(|t| t.iter().find(|r| r.id == id).cloned())
        })
    };
    // What the page really does about this task (checking, paused, someone else's endpoint…),
    // from the same rule the poller follows.
    let watch = Memo::new(move |_| {
        record.with(|r| {
            let r = r.as_ref()?;
            let route = state.route_task(&r.endpoint).map(|_| ());
            let key_ok = state.demo || state.key.with(|k| check_key(k).is_none());
            Some(Watch::of(r, state.now.get(), route, key_ok))
        })
    });
    let video = Memo::new(move |_| {
        record.with(|r| {
            let r = r.as_ref()?;
            r.has_live_video(state.now.get(), &BrowserUrl)
                .then(|| r.snapshot.safe_video_url(&BrowserUrl))
                .flatten()
        })
    });
    let keeper = use_keeper();
    let kept_hash = Memo::new(move |_| {
        record.with(|r| {
            r.as_ref()
                .and_then(|r| r.kept.as_ref().map(|k| k.hash.clone()))
        })
    });
    if let Some(h) = kept_hash.get_untracked() {
        keeper.load(h);
    }
    // The kept copy when it has been read (its link may be dead), else the live link.
    let playable = Memo::new(move |_| {
        kept_hash
            .with(|h| h.as_deref().and_then(|h| keeper.kept_url(h)))
            .or_else(|| video.get())
    });
    let dom = dom_id(&id);
    let take = Take {
        id: StoredValue::new(id.clone()),
        record,
        watch,
        video,
        playable,
        load_failed: RwSignal::new(false),
        excerpt_id: StoredValue::new(format!("{dom}-prompt")),
    };
    let open = {
        let id = id.clone();
        Signal::derive(move || gallery.is_open(&id))
    };
    let fresh = {
        let id = id.clone();
        move || gallery.is_fresh(&id)
    };
    let label = Msg::new("card.aria").with("id", &id);
    // Its own memo: a poll's news does not read the pictures again.
    let pictures = Memo::new(move |_| {
        record.with(|r| {
            r.as_ref()
                .and_then(|r| r.request.as_ref())
                .map(|q| q.local_inputs())
                .unwrap_or_default()
        })
    });
    view! {
        <article
            class="take"
            class:open=move || open.get()
            class:fresh=fresh
            id=dom
            tabindex="-1"
            aria-label=move || i18n.render(&label)
        >
            <TakeMedia take=take open=open />
            <div class="take-body">
                <TakeHead take=take />
                <p class="prompt-excerpt" id=take.excerpt_id.get_value()>
                    {move || record.with(|r| r.as_ref().map(card::prompt_excerpt))}
                </p>
                {move || record.with(|r| r.as_ref().map(|r| {
                    let settings = card::settings_summary(r.request.as_ref());
                    let created = Msg::new("time.moment").with_time("time", r.created_ms());
                    let chain = r.from_take.as_ref().map(card::chain);
                    let batch = r.batch.filter(BatchTag::is_sane).map(|b| {
                        Msg::new("card.batch_take")
                            .with("take", b.take.to_string())
                            .with("of", b.of.to_string())
                    });
                    view! {
                        <p class="hint take-meta"><Text msg=settings /> " · " <Text msg=created /></p>
                        {chain.map(|m| view! { <p class="hint take-chain"><Text msg=m /></p> })}
                        {batch.map(|m| view! { <p class="hint take-batch"><Text msg=m /></p> })}
                    }
                }))}
                {move || view! { <InputThumbs pictures=pictures.get() /> }}
                <TakeNow take=take />
                <TakeActions take=take open=open />
            </div>
            <Show when=move || open.get()>
                <TakeDetails take=take />
            </Show>
        </article>
    }
}

/// The poster frame (the player itself once the take is opened), or a status visual.
#[component]
fn TakeMedia(
    /// The take.
    take: Take,
    /// True while the take is opened.
    open: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || {
        take.record.with(|r| {
            let excerpt = r.as_ref().map(card::prompt_excerpt).unwrap_or_default();
            i18n.render(&Msg::new("card.video_label").with("prompt", excerpt))
        })
    };
    let visual = move || {
        take.watch.with(|w| {
            take.record.with(|r| {
                r.as_ref().map(|r| {
                    (
                        card::chip_class(r, w.as_ref()),
                        card::status_label(r, w.as_ref()),
                    )
                })
            })
        })
    };
    move || {
        match take.playable.get() {
        Some(url) => view! {
            <div class="take-media">
                <video
                    src=url
                    preload="metadata"
                    playsinline
                    prop:muted=move || !open.get()
                    controls=move || open.get()
                    aria-label=label
                    on:error=move |_| take.load_failed.set(true)
                    on:loadeddata=move |_| take.load_failed.set(false)
                ></video>
            </div>
        }
        .into_any(),
        None => view! {
            <div class=move || format!("take-media visual status-{}", visual().map(|v| v.0).unwrap_or("unknown")) aria-hidden="true">
                <span class="visual-word">{move || visual().map(|v| i18n.render(&v.1))}</span>
            </div>
        }
        .into_any(),
    }
    }
}

/// The status chip and the elapsed time.
#[component]
fn TakeHead(
    /// The take.
    take: Take,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let chip = move || {
        take.watch.with(|w| {
            take.record.with(|r| {
                r.as_ref().map(|r| {
                    (
                        card::chip_class(r, w.as_ref()),
                        i18n.render(&card::status_label(r, w.as_ref())),
                    )
                })
            })
        })
    };
    // Memos: the clock ticks every second, the text changes far less often (a finished take's
    // never), and only a change may rebuild the view.
    let elapsed = Memo::new(move |_| {
        take.record
            .with(|r| r.as_ref().and_then(|r| card::elapsed(r, state.now.get())))
    });
    view! {
        <div class="take-head">
            <span role="status" class=move || format!("status status-{}", chip().map(|c| c.0).unwrap_or("unknown"))>
                {move || chip().map(|c| c.1)}
            </span>
            {move || elapsed.get().map(|e| view! {
                <span class="elapsed" title=i18n.t("card.elapsed")>
                    <span class="visually-hidden">{i18n.t("card.elapsed")} " "</span>
                    {e}
                </span>
            })}
        </div>
    }
}

/// The one line that matters now: whose task it is, why it is paused, how long it runs or lives.
#[component]
fn TakeNow(
    /// The take.
    take: Take,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let keeper = use_keeper();
    // Its link dies within hours with nothing of it kept or downloaded: flagged.
    let expiring = Memo::new(move |_| {
        let id = take.id.get_value();
        keeper.expiring().with(|ids| ids.contains(&id))
    });
    let line = Memo::new(move |_| -> Option<Msg> {
        let now = state.now.get();
        take.record.with(|r| {
            let r = r.as_ref()?;
            let watch = take.watch.get()?;
            if let Some(why) = watch.explain() {
                // Waiting for a key: the user also needs to know how long they have.
                return Some(match (watch, card::queryable(r, now)) {
                    (Watch::NeedsKey, Some(left)) => why.then(left),
                    _ => why,
                });
            }

            if keeper.available() {
                if keeper.is_busy(&r.id) {
                    return Some(Msg::new("keep.keeping"));
                }
                match keeper.state_of(r) {
                    KeepState::Kept(k) => return Some(kept_line(&k)),
                    KeepState::Evicted { .. } => return Some(Msg::new("keep.evicted")),
                    KeepState::Unreadable => {
                        let expiry = take
                            .video
                            .get()
                            .and_then(|u| link_expiry_ms(&u))
                            .map(|e| expiry_text(e, now));
                        let why = Msg::new("keep.unreadable");
                        let expiry = match expiring.get() {
                            true => expiry.map(|e| Msg::new("keep.expiring_card").then(e)),
                            false => expiry,
                        };
                        return Some(match expiry {
                            Some(e) => e.then(why),
                            None => why,
                        });
                    }
                    _ => {}
                }
            }
            if let Some(url) = take.video.get() {
                let left = link_expiry_ms(&url).map(|e| expiry_text(e, now));
                return match expiring.get() {
                    true => left.map(|l| Msg::new("keep.expiring_card").then(l)),
                    false => left,
                };
            }
            match &r.snapshot.status {
                TaskStatus::Succeeded if r.link_expiry_ms().is_some_and(|e| e <= now) => {
                    return Some(Msg::new("video.expired"));
                }
                TaskStatus::Failed => return Some(r.snapshot.failure().text),
                TaskStatus::Canceled | TaskStatus::Unknown => return r.snapshot.status.explain(),
                _ => {}
            }
            let eta = r
                .request
                .as_ref()
                .and_then(|q| state.ledger.summary().with(|s| s.eta_ms(q)));
            card::timing(r, now, eta)
        })
    });
    // "Ask on each video": a take that can be kept offers it.
    let offer = Memo::new(move |_| {
        keeper.available()
            && state.settings.with(|s| s.keep_videos == KeepVideos::Ask)
            && take.record.with(|r| {
                r.as_ref().is_some_and(|r| {
                    !keeper.is_busy(&r.id) && keeper.state_of(r) == KeepState::CanKeep
                })
            })
    });
    view! {
        {move || match take.watch.get() {
            Some(Watch::Foreign(host)) => view! { <ForeignTask id=take.id.get_value() host=host /> }.into_any(),
            _ => line
                .get()
                .map(|m| view! { <p class="take-now" class:expiring=move || expiring.get()><Text msg=m /></p> })
                .into_any(),
        }}
        {move || offer.get().then(|| view! {
            <p class="take-now keep-offer">
                <Text msg=Msg::new("keep.offer") />
                " "
                <button type="button" aria-describedby=take.excerpt_id.get_value() on:click=move |_| keeper.keep(take.id.get_value(), true)>
                    {i18n.t("keep.button")}
                </button>
            </p>
        })}
        {move || take.load_failed.get().then(|| view! {
            <p class="take-now error" role="alert"><Text msg=Msg::new("video.load_failed") /></p>
        })}
        {move || take.watch.with(|w| *w == Some(Watch::Paused)).then(|| {
            take.record.with(|r| r.as_ref().and_then(|r| r.problem.clone())).map(|p| view! {
                <p class="take-now reason"><Text msg=p.text /></p>
            })
        })}
    }
}

/// The primary action, Details, Compare, and the menu of the rest.
#[component]
fn TakeActions(
    /// The take.
    take: Take,
    /// True while the take is opened.
    open: Signal<bool>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let gallery = use_gallery();
    let poller = use_poller();
    let toasts = use_toasts();
    let id = take.id;
    let described = take.excerpt_id.get_value();
    let details_id = format!("{}-details", dom_id(&id.get_value()));
    let request = move || {
        take.record
            .with_untracked(|r| r.as_ref().and_then(|r| r.request.clone()))
    };
    let check_again = move |_| {
        state.ledger.update(&id.get_value(), |r| {
            r.paused = false;
            r.problem = None;
        });
        poller.start(id.get_value());
    };
    let rerun = Callback::new(move |()| {
        if let Some(q) = request() {
            toasts.replace_draft(q.to_form(), Msg::new("toast.rerun_loaded"));
            focus("prompt");
        }
    });
    let download = move |_| {
        let kept = take
            .record
            .with_untracked(|r| r.as_ref().and_then(|r| r.kept.clone()));
        let url = take.video.get_untracked();
        spawn_local(use_keeper().save_video(id.get_value(), kept, url));
    };
    let ended = Memo::new(move |_| {
        take.record
            .with(|r| r.as_ref().is_some_and(|r| r.is_finished(state.now.get())))
    });
    let primary = move || {
        let paused = take.watch.with(|w| *w == Some(Watch::Paused));
        let has_request = take
            .record
            .with(|r| r.as_ref().is_some_and(|r| r.request.is_some()));
        let ended = ended.get();
        if paused {
            Some(view! { <button type="button" class="primary-action" aria-describedby=described.clone() on:click=check_again>{i18n.t("card.check_again")}</button> }.into_any())
        } else if take.playable.with(Option::is_some) {
            Some(view! { <button type="button" class="primary-action" aria-describedby=described.clone() on:click=download>{i18n.t("video.download")}</button> }.into_any())
        } else if ended && has_request {
            Some(view! { <button type="button" class="primary-action" aria-describedby=described.clone() on:click=move |_| rerun.run(())>{i18n.t("card.rerun")}</button> }.into_any())
        } else {
            None
        }
    };
    view! {
        <div class="take-actions">
            {primary}
            <button
                type="button"
                aria-expanded=move || open.get().to_string()
                aria-controls=details_id
                aria-describedby=take.excerpt_id.get_value()
                on:click=move |_| gallery.toggle(&id.get_value())
            >
                {move || if open.get() { i18n.render(&Msg::new("card.hide_details")) } else { i18n.render(&Msg::new("card.details")) }}
            </button>
            <CompareToggle take=take />
            <TakeMenu take=take rerun=rerun />
        </div>
    }
}

/// "More": re-run, copy a settings link, the video's link, delete.
#[component]
fn TakeMenu(
    /// The take.
    take: Take,
    /// Loads the take's settings into the form.
    rerun: Callback<()>,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let id = take.id;
    let described = take.excerpt_id.get_value();
    let request = move || {
        take.record
            .with_untracked(|r| r.as_ref().and_then(|r| r.request.clone()))
    };
    let has_request = move || {
        take.record
            .with(|r| r.as_ref().is_some_and(|r| r.request.is_some()))
    };
    // A share link: what the app itself accepts back (open it, or paste it into the address bar).
    let copy_settings = move |_| {
        if let Some(q) = request() {
            match share_url(&q.to_form()) {
                Ok(url) => {
                    copy_text(&url);
                    toasts.say(Msg::new("toast.settings_link_copied"));
                }
                Err(why) => toasts.problem(why),
            }
        }
    };
    let copy_link = move |_| {
        if let Some(url) = take.video.get_untracked() {
            copy_text(&url);
            toasts.say(Msg::new("video.link_copied"));
        }
    };
    // Continue or edit this take with wan2.7: the form takes its video link (alive: it is shown).
    let derive = move |how: Derivation| {
        if let Some(url) = take.video.get_untracked() {
            let id = id.get_value();
            let (form, said) = match how {
                Derivation::Continues => {
                    (FormState::continue_take(&id, &url), "toast.continue_loaded")
                }
                Derivation::Edits => (FormState::edit_take(&id, &url), "toast.edit_loaded"),
            };
            toasts.replace_draft(form, Msg::new(said));
            focus("prompt");
        }
    };
    let keeper = use_keeper();
    // Keep (any setting: "never" means never by itself), or let the kept copy go.
    let keep_state = Memo::new(move |_| {
        take.record
            .with(|r| r.as_ref().map(|r| keeper.state_of(r)))
            .filter(|_| keeper.available())
    });
    let forget = move |_| {
        spawn_local(async move {
            if keeper.forget(&[id.get_value()]).await {
                toasts.say(Msg::new("keep.removed_one"));
            } else {
                toasts.problem(Msg::new("keep.remove_failed"));
            }
        });
    };
    // The takes of this one's batch that play (link alive, or kept), in take order.
    let batch_playing = Memo::new(move |_| {
        let at = take
            .record
            .with(|r| r.as_ref()?.batch.filter(BatchTag::is_sane))?
            .at_ms;
        let now = state.now.get();
        let ids = state.ledger.tasks().with(|tasks| {
            batch_members(tasks, at)
                .into_iter()
                .filter(|id| {
                    tasks.iter().any(|t| {
                        &t.id == id && (t.has_live_video(now, &BrowserUrl) || t.kept.is_some())
                    })
                })
                .collect::<Vec<_>>()
        });
        (ids.len() >= 2).then_some(ids)
    });
    let compare = use_context::<super::compare::CompareSelection>();
    let compare_batch = move |_| {
        if let (Some(c), Some(ids)) = (compare, batch_playing.get_untracked()) {
            c.show(ids);
        }
    };
    let delete = move |_| {
        let removed = state.ledger.remove(&[id.get_value()]);
        toasts.removed(removed, Msg::new("card.deleted").with("id", id.get_value()));
        focus("tasks-h");
    };
    view! {
        <details class="menu">
            <summary aria-describedby=described.clone()>{i18n.t("card.more")}</summary>
            <div class="menu-items">
                <Show when=has_request>
                    <button type="button" on:click=move |_| rerun.run(())>{i18n.t("card.rerun")}</button>
                    <button type="button" on:click=copy_settings>{i18n.t("card.copy_settings")}</button>
                </Show>
                {move || take.video.get().map(|url| view! {
                    <a class="button" href=url target="_blank" rel="noopener noreferrer">{i18n.t("video.open")}</a>
                    <button type="button" on:click=copy_link>{i18n.t("video.copy_link")}</button>
                    <button type="button" on:click=move |_| derive(Derivation::Continues)>{i18n.t("card.continue_take")}</button>
                    <button type="button" on:click=move |_| derive(Derivation::Edits)>{i18n.t("card.edit_take")}</button>
                })}
                {move || match keep_state.get() {
                    Some(
                        KeepState::CanKeep
                        | KeepState::Unreadable
                        | KeepState::Evicted { can_keep: true },
                    ) => Some(view! {
                        <button type="button" on:click=move |_| keeper.keep(id.get_value(), true)>{i18n.t("keep.button")}</button>
                    }.into_any()),
                    Some(KeepState::Kept(_)) => Some(view! {
                        <button type="button" on:click=forget>{i18n.t("keep.remove_one")}</button>
                    }.into_any()),
                    _ => None,
                }}
                <Show when=move || batch_playing.with(Option::is_some)>
                    <button type="button" on:click=compare_batch>{i18n.t("card.compare_batch")}</button>
                </Show>
                <button type="button" class="danger" on:click=delete>{i18n.t("card.delete")}</button>
            </div>
        </details>
    }
}

/// "Compare this take", for a finished video whose link still works.
#[component]
fn CompareToggle(
    /// The take.
    take: Take,
) -> impl IntoView {
    let selection = use_context::<super::compare::CompareSelection>().map(|c| c.ids);
    let id = take.id;
    let chosen = Signal::derive(move || {
        selection.is_some_and(|c| c.with(|ids| id.with_value(|id| ids.contains(id))))
    });
    let toggle = Callback::new(move |on: bool| {
        if let Some(c) = selection {
            let id = id.get_value();
            c.update(|ids| {
                ids.retain(|x| *x != id);
                if on && ids.len() < crate::domain::compare::MAX_TAKES {
                    ids.push(id);
                }
            });
        }
    });
    let box_id = format!("compare-{}", dom_id(&id.get_value()));
    view! {
        <Show when=move || take.playable.with(Option::is_some)>
            <CheckField id=box_id.clone() label=Msg::new("card.compare") checked=chosen on_change=toggle />
        </Show>
    }
}

/// Everything else, once opened: the id, the times the service reported, the whole prompt, the
/// problem and the result explained.
#[component]
fn TakeDetails(
    /// The take.
    take: Take,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let outcome = Memo::new(move |_| {
        take.record.with(|r| {
            let r = r.as_ref()?;
            let video = r.snapshot.safe_video_url(&BrowserUrl);
            Some(card::outcome(r, video, &take.watch.get()?))
        })
    });
    let details_id = format!("{}-details", dom_id(&take.id.get_value()));
    let record = take.record;
    view! {
        <div class="take-details" id=details_id>
            <dl class="facts">
                <div>
                    <dt>{i18n.t("card.task_id")}</dt>
                    <dd>
                        {move || match record.with(|r| r.as_ref().map(|r| card::shown_id(r).map(str::to_string))) {
                            Some(Some(id)) => view! { <code>{id}</code> }.into_any(),
                            _ => view! { <span class="hint">{i18n.t("card.id_unknown")}</span> }.into_any(),
                        }}
                    </dd>
                </div>
            </dl>
            {move || record.with(|r| {
                let r = r.as_ref()?;
                let prompt = r.prompt()?.to_string();
                (prompt.chars().count() > card::EXCERPT_CHARS).then(|| view! { <p class="prompt-full">{prompt}</p> })
            })}
            {move || record.with(|r| r.as_ref().and_then(card::phases)).map(|p| view! { <p class="hint"><Text msg=p /></p> })}
            // What the relay billed, beside the estimate (in the details: a compact card stays short).
            {move || {
                let bill = record.with(|r| state.settings.with(|s| billed(r.as_ref()?, &s.pricing)));
                bill.map(|m| view! { <p class="hint take-billed"><Text msg=m /></p> })
            }}
            {move || record.get().and_then(|r| r.problem).map(|p| view! { <ErrorBox explanation=p /> })}
            {move || outcome.get().map(|o| match o {
                Outcome::Problem(e) => view! { <ErrorBox explanation=e /> }.into_any(),
                Outcome::Note(m) => view! { <p class="explain"><Text msg=m /></p> }.into_any(),
                Outcome::Video(_) | Outcome::Nothing => ().into_any(),
            })}
        </div>
    }
}

/// A task whose endpoint is not one of the user's (an imported one, say): it is not checked,
/// because the key goes only to endpoints the user chose. The user may check it at one of their
/// own endpoints instead.
#[component]
fn ForeignTask(
    /// The task's id in the ledger.
    id: String,
    /// The host its endpoint names.
    host: String,
) -> impl IntoView {
    let state = use_app_state();
    let i18n = use_i18n();
    let poller = use_poller();
    let mine = Memo::new(move |_| state.my_endpoints());
    let (chosen, set_chosen) = signal(0usize);
    let select_id = format!("foreign-{}", dom_id(&id));
    let text = Msg::new("card.foreign").with("host", &host);
    let check_here = move |_| {
        let Some(endpoint) = mine.with_untracked(|m| m.get(chosen.get_untracked()).cloned()) else {
            return;
        };
        state.ledger.update(&id, |r| {
            r.endpoint = endpoint.url().to_string();
            r.paused = false;
            r.problem = None;
        });
        poller.start(id.clone());
    };
    view! {
        <div class="notice foreign" role="status">
            <p><Text msg=text /></p>
            <Show
                when=move || mine.with(|m| !m.is_empty())
                fallback=move || view! { <p class="hint">{i18n.t("card.foreign_none")}</p> }
            >
                <div class="row">
                    <label for=select_id.clone()>{i18n.t("card.foreign_choose")}</label>
                    <select
                        id=select_id.clone()
                        on:change=move |ev| set_chosen.set(event_target_value(&ev).parse().unwrap_or(0))
                    >
                        {move || {
                            mine.get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, e)| view! { <option value=i.to_string()>{e.endpoint().shown.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                    <button type="button" on:click=check_here.clone()>{i18n.t("card.foreign_check")}</button>
                </div>
            </Show>
        </div>
    }
}
