//! Whether the Settings section is open or folded: one value, derived from what the page knows,
//! with the user's own choice (the heading's button, the first-run guide) taking precedence.
//!
//! - While nothing is set up (no usable key, or an endpoint that needs fixing), it is open; it
//!   can still be folded by hand (to see the form first), and it opens again if the setup breaks
//!   after that.
//! - Set up on arrival: folded. Set up during this visit: open until the first task is created,
//!   then folded, but never while the keyboard focus is inside it (it folds once the user leaves).
//! - Opened or folded by hand: stays so for the visit (unless the setup breaks).

use leptos::prelude::*;

use super::browser::{page, BrowserUrl};
use super::context::AppState;
use crate::domain::settings::check_key;
use crate::domain::task::Origin;

/// The disclosure state of Settings. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct SettingsDisclosure {
    /// True when the section is open (derived).
    pub open: Memo<bool>,
    /// True when the key and the endpoint are usable (derived).
    pub set_up: Memo<bool>,
    /// The user's choice, and whether the setup was usable when they made it.
    choice: RwSignal<Option<(bool, bool)>>,
    focus_inside: RwSignal<bool>,
    /// The API key field, for the guide's "paste it here" step.
    pub key_field: NodeRef<leptos::html::Input>,
}

impl SettingsDisclosure {
    /// Opens it if folded, folds it if open (the heading's button).
    pub fn toggle(self) {
        self.choose(!self.open.get_untracked());
    }

    fn choose(self, open: bool) {
        self.choice.set(Some((open, self.set_up.get_untracked())));
    }

    /// Opens it and puts the cursor in the key field (once it is shown).
    pub fn open_at_key(self) {
        self.choose(true);
        let field = self.key_field;
        request_animation_frame(move || {
            if let Some(input) = field.get_untracked() {
                let _ = input.focus();
            }
        });
    }

    /// Opens it and puts the cursor in the endpoint choice (the endpoint needs fixing).
    pub fn open_at_endpoint(self) {
        self.choose(true);
        request_animation_frame(move || {
            let field = document()
                .get_element_by_id("custom-endpoint")
                .or_else(|| document().get_element_by_id("endpoint"));
            if let Some(el) =
                field.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        });
    }

    /// Follows the keyboard focus into and out of the section (its `focusin`/`focusout`).
    pub fn set_focus_inside(self, inside: bool) {
        if self.focus_inside.get_untracked() != inside {
            self.focus_inside.set(inside);
        }
    }
}

/// Creates the disclosure state and provides it as context (once, in `App`).
pub fn provide_settings_disclosure(state: AppState) -> SettingsDisclosure {
    let set_up = Memo::new(move |_| {
        state.demo
            || (state.key.with(|k| check_key(k).is_none())
                && state
                    .settings
                    .with(|s| s.endpoint(&page(), &BrowserUrl).is_ok()))
    });
    let submitted = Memo::new(move |_| {
        state
            .ledger
            .tasks()
            .with(|t| t.iter().filter(|r| r.origin == Origin::Submitted).count())
    });
    let set_up_on_arrival = set_up.get_untracked();
    let submitted_on_arrival = submitted.get_untracked();
    let choice = RwSignal::new(None::<(bool, bool)>);
    let focus_inside = RwSignal::new(false);
    let open = Memo::new(move |_| {
        let set_up_now = set_up.get();
        match choice.get() {
            // A setup that broke since the choice reopens it.
            Some((_, true)) if !set_up_now => return true,
            Some((chosen, _)) => return chosen,
            None if !set_up_now => return true,
            None => {}
        }
        let proven = submitted.get() > submitted_on_arrival;
        !set_up_on_arrival && (!proven || focus_inside.get())
    });
    let disclosure = SettingsDisclosure {
        open,
        set_up,
        choice,
        focus_inside,
        key_field: NodeRef::new(),
    };
    provide_context(disclosure);
    disclosure
}

/// The disclosure state from context.
pub fn use_settings_disclosure() -> SettingsDisclosure {
    expect_context::<SettingsDisclosure>()
}
