//! The toast: one message at a time in an area fixed in the viewport, for what an action did,
//! with Undo for everything that can be undone (deleting tasks, clearing finished ones,
//! importing a history, a re-run, preset or share link replacing the draft).

use std::collections::HashSet;

use leptos::prelude::*;

use super::context::StoredWrite;
use super::gallery::dom_id;
use super::ledger::Ledger;
use super::storage_keys::MEDIA_HOLDS_KEY;
use crate::domain::form::FormState;
use crate::domain::message::Msg;
use crate::domain::stored::Holds;
use crate::domain::task::TaskRecord;

/// What undoing puts back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UndoAction {
    /// Tasks that were removed: they come back.
    Restore(Vec<TaskRecord>),
    /// Tasks that were added (an import): they go again.
    Remove(Vec<String>),
    /// The draft before it was replaced.
    Draft(Box<FormState>),
}

/// What the toast says, and what its Undo puts back (if anything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toast {
    /// What happened.
    pub text: Msg,
    /// What Undo does; `None` for a toast without Undo.
    pub undo: Option<UndoAction>,
    /// True for a problem (announced at once, shown as an error).
    pub alert: bool,
    /// Tells one toast from the next (a new toast with the same text is announced again).
    pub serial: u32,
}

/// The page's toast. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct Toasts {
    current: RwSignal<Option<Toast>>,
    ledger: Ledger,
    form: Signal<FormState>,
    set_form: StoredWrite<FormState>,
}

impl Toasts {
    /// Shows a toast. The media its Undo would bring back are held (for every tab) before it is
    /// shown, and so before a deletion is on disk; the replaced toast's are let go.
    fn show(self, text: Msg, undo: Option<UndoAction>, alert: bool) {
        let now = js_sys::Date::now() as i64;
        let holds = change_holds(&restorable(undo.as_ref()), &self.current_media(), now);
        self.put(text, undo, alert);
        self.sweep_with(&holds, now);
    }

    /// The media the current toast's Undo would bring back with its tasks.
    fn current_media(self) -> Vec<String> {
        self.current
            .with_untracked(|c| restorable(c.as_ref().and_then(|t| t.undo.as_ref())))
    }

    /// Shows a toast in place of the current one (whose Undo, if any, is gone with it).
    fn put(self, text: Msg, undo: Option<UndoAction>, alert: bool) {
        let serial = self
            .current
            .with_untracked(|c| c.as_ref().map_or(0, |t| t.serial + 1));
        self.current.set(Some(Toast {
            text,
            undo,
            alert,
            serial,
        }));
    }

    /// Lets go of the kept pictures and videos nothing needs any more: no task uses them, the draft does not
    /// hold them and the current toast's Undo cannot bring them back. Not while a picture is being
    /// prepared (it is in the database before it is in the draft).
    pub fn sweep(self) {
        let now = js_sys::Date::now() as i64;
        self.sweep_with(&change_holds(&[], &[], now), now);
    }

    /// The sweep, keeping what `holds` hold for an Undo in any tab (see `domain::stored::Holds`; a
    /// tab that closes with its Undo shown leaves them held for their time).
    fn sweep_with(self, holds: &Holds, now: i64) {
        let Some(db) = self.ledger.db() else { return };
        if super::images::preparing() {
            return;
        }
        let mut keep: HashSet<String> = self
            .form
            .with_untracked(|f| f.local_media().map(str::to_owned).collect());
        keep.extend(holds.held(now).map(str::to_owned));
        self.current
            .with_untracked(|c| match c.as_ref().and_then(|t| t.undo.as_ref()) {
                Some(UndoAction::Restore(records)) => {
                    keep.extend(records.iter().flat_map(TaskRecord::media_in_use));
                }
                Some(UndoAction::Draft(form)) => keep.extend(form.local_media().map(str::to_owned)),
                Some(UndoAction::Remove(_)) | None => {}
            });
        leptos::task::spawn_local(async move {
            // Not done now is done next time: the pictures stay until then.
            let _ = db.sweep_media(&keep).await;
        });
    }

    /// Says what happened, without Undo.
    pub fn say(self, text: Msg) {
        self.show(text, None, false);
    }

    /// Says what went wrong.
    pub fn problem(self, text: Msg) {
        self.show(text, None, true);
    }

    /// Tasks were removed: says so, with Undo that puts them back (nothing when none were).
    pub fn removed(self, removed: Vec<TaskRecord>, text: Msg) {
        if !removed.is_empty() {
            self.show(text, Some(UndoAction::Restore(removed)), false);
        }
    }

    /// Tasks were added (an import): says so, with Undo that removes them again.
    pub fn added(self, ids: Vec<String>, text: Msg) {
        let undo = (!ids.is_empty()).then_some(UndoAction::Remove(ids));
        self.show(text, undo, false);
    }

    /// Replaces the draft with `next` (a re-run, a preset, a share link) and says so, with Undo
    /// that brings the old draft back (no Undo when nothing changed).
    pub fn replace_draft(self, next: FormState, text: Msg) {
        let previous = self.form.get_untracked();
        let undo = (previous != next).then(|| UndoAction::Draft(Box::new(previous)));
        self.set_form.set(next);
        self.show(text, undo, false);
    }

    /// The toast shown now (tracked).
    pub fn current(self) -> Option<Toast> {
        self.current.get()
    }

    /// Undoes what the current toast offers, and closes it.
    pub fn undo(self) {
        let Some(action) = self.current.get_untracked().and_then(|t| t.undo) else {
            return;
        };
        // Where the focus goes once the toast's Undo button is gone: what came back.
        let (done, focus) = match action {
            UndoAction::Restore(removed) => {
                let first = removed.first().map(|t| dom_id(&t.id));
                self.ledger.restore(removed);
                ("toast.restored", first.unwrap_or_else(|| "tasks-h".into()))
            }
            UndoAction::Remove(ids) => {
                self.ledger.remove(&ids);
                ("toast.import_undone", "tasks-h".into())
            }
            UndoAction::Draft(previous) => {
                self.set_form.set(*previous);
                ("shared.restored", "prompt".into())
            }
        };
        // Not a sweep: what came back may not be written yet.
        self.put(Msg::new(done), None, false);
        request_animation_frame(move || super::browser::focus(&focus));
    }

    /// Closes the toast.
    pub fn dismiss(self) {
        let gone = self.current_media();
        self.current.set(None);
        let now = js_sys::Date::now() as i64;
        self.sweep_with(&change_holds(&[], &gone, now), now);
    }
}

/// Creates the toast state and provides it as context (once, in `App`).
pub fn provide_toasts(
    ledger: Ledger,
    form: Signal<FormState>,
    set_form: StoredWrite<FormState>,
) -> Toasts {
    let toasts = Toasts {
        current: RwSignal::new(None),
        ledger,
        form,
        set_form,
    };
    provide_context(toasts);
    toasts
}

/// The toast state from context.
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// The media an Undo would bring back with its tasks (none for other Undos).
fn restorable(undo: Option<&UndoAction>) -> Vec<String> {
    match undo {
        Some(UndoAction::Restore(records)) => {
            records.iter().flat_map(TaskRecord::media_in_use).collect()
        }
        _ => Vec::new(),
    }
}

/// Holds `hold` and lets go of `release` among the media held for an Undo (shared by every tab
/// through local storage); returns the holds.
/// Where local storage is refused or full, nothing is held beyond this tab's own Undo.
fn change_holds(hold: &[String], release: &[String], now: i64) -> Holds {
    let storage = super::problems::storage();
    let text = storage
        .as_ref()
        .and_then(|s| s.get_item(MEDIA_HOLDS_KEY).ok().flatten())
        .unwrap_or_default();
    let mut holds = Holds::parse(&text, now);
    holds.release(release);
    holds.hold(hold, now);
    let next = holds.text();
    if let Some(s) = storage.filter(|_| next != text) {
        let _ = match next.is_empty() {
            true => s.remove_item(MEDIA_HOLDS_KEY),
            false => s.set_item(MEDIA_HOLDS_KEY, &next),
        };
    }
    holds
}
