//! The gallery's own state: which takes are opened (they span the gallery with the player and
//! every detail), and the take just made (brought into view and highlighted).

use std::collections::HashSet;

use leptos::prelude::*;

/// The id of a take's card in the page (`take-` + the task id, with anything but letters,
/// digits and `-` replaced), for scrolling to it.
pub fn dom_id(task_id: &str) -> String {
    let safe: String = task_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("take-{safe}")
}

/// Opened takes and the newest one. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct Gallery {
    open: RwSignal<HashSet<String>>,
    fresh: RwSignal<Option<String>>,
}

impl Gallery {
    /// True while the take shows its player and details (tracked).
    pub fn is_open(self, id: &str) -> bool {
        self.open.with(|o| o.contains(id))
    }

    /// Opens or closes a take.
    pub fn toggle(self, id: &str) {
        self.open.update(|o| {
            if !o.remove(id) {
                o.insert(id.to_string());
            }
        });
    }

    /// True for the take just made (tracked).
    pub fn is_fresh(self, id: &str) -> bool {
        self.fresh.with(|f| f.as_deref() == Some(id))
    }

    /// A take was just made: open it, mark it, and bring it into view (on phones too, where it
    /// sits below the form).
    pub fn show_new(self, id: &str) {
        self.open.update(|o| {
            o.insert(id.to_string());
        });
        self.fresh.set(Some(id.to_string()));
        let target = dom_id(id);
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&target) {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
}

/// Creates the gallery state and provides it as context (once, in `App`).
pub fn provide_gallery() -> Gallery {
    let gallery = Gallery {
        open: RwSignal::new(HashSet::new()),
        fresh: RwSignal::new(None),
    };
    provide_context(gallery);
    gallery
}

/// The gallery state from context.
pub fn use_gallery() -> Gallery {
    expect_context::<Gallery>()
}

#[cfg(test)]
mod tests {
    use super::dom_id;

    #[test]
    fn card_ids_are_safe_in_the_page() {
        assert_eq!(dom_id("3a7d8355-ef78"), "take-3a7d8355-ef78");
        assert_eq!(dom_id("dup-1#2"), "take-dup-1_2");
        assert_eq!(dom_id("a\"b<c"), "take-a_b_c");
    }
}
