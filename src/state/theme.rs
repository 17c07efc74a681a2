//! The colour theme: follow the system (default), or force light or dark. Stored in this
//! browser's local storage and applied as `data-theme` on `<html>`, which the stylesheet honours
//! over the `prefers-color-scheme` media query (the boot script in `index.html` applies it before
//! the first paint; this keeps it in step afterwards).

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_storage::use_local_storage;

use super::storage_keys::THEME_KEY;

/// The stored value mapped to a theme: `Some("light" | "dark")`, or `None` for the system's.
pub fn forced_theme(stored: &str) -> Option<&'static str> {
    match stored {
        "light" => Some("light"),
        "dark" => Some("dark"),
        _ => None,
    }
}

/// The theme choice and its setter. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct Theme {
    /// `system`, `light` or `dark`.
    pub choice: Signal<&'static str>,
    set_stored: WriteSignal<String>,
}

impl Theme {
    /// Chooses `system`, `light` or `dark` (anything else means `system`) and remembers it.
    pub fn set(self, choice: &str) {
        self.set_stored
            .set(forced_theme(choice).unwrap_or("system").to_string());
    }
}

/// Creates the theme state, keeps `<html data-theme>` in step with it, and provides it as
/// context (once, from the app state).
pub fn provide_theme() -> Theme {
    let (stored, set_stored, _) = use_local_storage::<String, FromToStringCodec>(THEME_KEY);
    let forced = Memo::new(move |_| stored.with(|t| forced_theme(t)));
    // Syncs the document with the choice (the outside world); writes no signal.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = match forced.get() {
                Some(t) => root.set_attribute("data-theme", t),
                None => root.remove_attribute("data-theme"),
            };
        }
    });
    let theme = Theme {
        choice: Signal::derive(move || forced.get().unwrap_or("system")),
        set_stored,
    };
    provide_context(theme);
    theme
}

/// The theme state from context.
pub fn use_theme() -> Theme {
    expect_context::<Theme>()
}

#[cfg(test)]
mod tests {
    use super::forced_theme;

    #[test]
    fn only_light_and_dark_are_forced() {
        assert_eq!(forced_theme("light"), Some("light"));
        assert_eq!(forced_theme("dark"), Some("dark"));
        assert_eq!(forced_theme("system"), None);
        assert_eq!(forced_theme(""), None);
        assert_eq!(forced_theme("purple"), None);
    }
}
