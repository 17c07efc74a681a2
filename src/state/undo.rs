//! The latest action that can be undone (deleting tasks, clearing finished ones): one slot for
//! the whole page, offered by whoever acts and shown by the task list.

use leptos::prelude::*;

use super::ledger::Ledger;
use crate::domain::history::restore;
use crate::domain::message::Msg;
use crate::domain::task::TaskRecord;

/// Something that can be undone: the tasks removed and what to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undo {
    /// The removed tasks.
    pub removed: Vec<TaskRecord>,
    /// What happened.
    pub text: Msg,
}

/// The page's undo slot. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct UndoSlot(RwSignal<Option<Undo>>);

impl UndoSlot {
    /// Offers `undo` (replacing any earlier offer); nothing when no task was removed.
    pub fn offer(self, undo: Undo) {
        if !undo.removed.is_empty() {
            self.0.set(Some(undo));
        }
    }

    /// What can be undone now (tracked).
    pub fn current(self) -> Option<Undo> {
        self.0.get()
    }

    /// Puts the removed tasks back into `ledger` and empties the slot.
    pub fn undo(self, ledger: Ledger) {
        if let Some(u) = self.0.get_untracked() {
            ledger.modify(|t| restore(t, u.removed));
            self.0.set(None);
        }
    }
}

/// Creates the slot and provides it as context (once, in `App`).
pub fn provide_undo() -> UndoSlot {
    let slot = UndoSlot(RwSignal::new(None));
    provide_context(slot);
    slot
}

/// The undo slot from context.
pub fn use_undo() -> UndoSlot {
    expect_context::<UndoSlot>()
}
