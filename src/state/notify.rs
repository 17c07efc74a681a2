//! Telling the user when a task ends while the tab is in the background: the page title (see
//! [`page_title`]) and a browser notification if they allowed it.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use leptos_use_document_visibility::use_document_visibility;

use super::context::AppState;
use super::i18n::I18n;
use crate::domain::catalog::Catalog;
use crate::domain::message::Msg;
use crate::domain::task::TaskStatus;

/// True when the browser supports notifications and the user allowed them.
pub fn notifications_allowed() -> bool {
    web_sys::Notification::permission() == web_sys::NotificationPermission::Granted
}

/// Asks for permission to notify (call from a click).
pub fn ask_permission(done: impl Fn(bool) + 'static) {
    if let Ok(promise) = web_sys::Notification::request_permission() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            done(notifications_allowed());
        });
    }
}

/// The page title: the team's site name (or the app's own title), with the number of tasks that
/// ended while the page was in the background in front of it.
pub fn page_title(catalog: &Catalog, site_name: Option<&str>, ended_while_hidden: usize) -> String {
    let words = |m: Msg| m.render(catalog, &|ms, _| ms.to_string());
    let title = match site_name {
        Some(name) => format!("{name} · wan-studio"),
        None => words(Msg::new("app.title")),
    };
    match ended_while_hidden {
        0 => title,
        n => format!(
            "({n}) ✓ {} · {title}",
            words(Msg::new("notify.ended_title"))
        ),
    }
}

/// Follows tasks that end while the page is hidden: sends a notification for each (if allowed),
/// and keeps the tab title (the one writer of `document.title`) showing how many ended unseen.
/// Also tells of links about to die (see [`follow_expiry`]).
pub fn follow_endings(
    state: AppState,
    i18n: I18n,
    site_name: Signal<Option<String>>,
    keeper: super::keep::Keeper,
) {
    let visibility = use_document_visibility();
    follow_expiry(keeper, i18n, visibility);
    let hidden = move || visibility.get() == web_sys::VisibilityState::Hidden;
    // Derived from its own previous value: the tasks already ended when the page was hidden,
    // and how many more have ended since (0 while the page is visible).
    let ended = Memo::new(move |prev: Option<&(HashSet<String>, usize)>| {
        let terminal: HashSet<String> = state.ledger.tasks().with(|tasks| {
            tasks
                .iter()
                .filter(|t| t.snapshot.status.is_terminal())
                .map(|t| t.id.clone())
                .collect()
        });
        if !hidden() {
            return (terminal, 0);
        }
        let before = prev.map_or_else(|| terminal.clone(), |(seen, _)| seen.clone());
        let n = terminal.difference(&before).count();
        (before, n)
    });
    let title = Memo::new(move |_| {
        let n = ended.with(|(_, n)| *n);
        site_name.with(|name| i18n.with_catalog(|c| page_title(c, name.as_deref(), n)))
    });
    // Syncs the document's title with the derived one; writes no signal.
    Effect::new(move |_| document().set_title(&title.get()));

    // Notifications: the browser's, one per task that ends while hidden (tagged with its id, so
    // several tabs seeing it end still make one). The statuses seen last live in the effect.
    let mut last: HashMap<String, bool> = state.ledger.tasks().with_untracked(|tasks| {
        tasks
            .iter()
            .map(|t| (t.id.clone(), t.snapshot.status.is_terminal()))
            .collect()
    });
    Effect::new(move |_| {
        state.ledger.tasks().with(|tasks| {
            for t in tasks {
                let terminal = t.snapshot.status.is_terminal();
                let was = last.insert(t.id.clone(), terminal);
                if terminal && was == Some(false) && untrack(hidden) && notifications_allowed() {
                    let (title, body) = match t.snapshot.status {
                        TaskStatus::Succeeded => ("notify.ready_title", "notify.ready_body"),
                        _ => ("notify.ended_title", "notify.ended_body"),
                    };
                    let words = |key: &str| untrack(|| i18n.render(&Msg::new(key)));
                    let options = web_sys::NotificationOptions::new();
                    options.set_body(&words(body));
                    options.set_tag(&t.id);
                    let _ = web_sys::Notification::new_with_options(&words(title), &options);
                }
            }
        });
    });
}

/// While the page is hidden, says with a notification (if allowed) when takes' links are about to
/// die with nothing of them kept or downloaded: one notification, tagged, replaced as the count
/// changes (so several tabs make one). A take already seen on the visible page is not told again.
fn follow_expiry(
    keeper: super::keep::Keeper,
    i18n: I18n,
    visibility: Signal<web_sys::VisibilityState>,
) {
    let expiring = keeper.expiring();
    // The takes already told about (or seen); lives in the effect.
    let mut told: HashSet<String> = HashSet::new();
    Effect::new(move |_| {
        let hidden = visibility.get() == web_sys::VisibilityState::Hidden;
        expiring.with(|ids| {
            let fresh = ids.iter().any(|id| !told.contains(id));
            if fresh && hidden && notifications_allowed() {
                if let Some(body) = crate::domain::keep::reminder(ids.len()) {
                    let options = web_sys::NotificationOptions::new();
                    options.set_body(&untrack(|| i18n.render(&body)));
                    options.set_tag(EXPIRY_TAG);
                    let title = untrack(|| i18n.render(&Msg::new("keep.expiring_title")));
                    let _ = web_sys::Notification::new_with_options(&title, &options);
                }
            }
            // Told now, or seen on the page: either way not again.
            if fresh {
                told.extend(ids.iter().cloned());
            }
        });
    });
}

/// The tag of the expiry notification (one at a time, replaced).
pub const EXPIRY_TAG: &str = "wan-studio.expiring";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::message::Lang;

    #[test]
    fn the_title_keeps_the_site_name_in_every_language_and_counts_endings() {
        assert_eq!(
            page_title(Catalog::builtin(Lang::En), None, 0),
            "wan-studio · Wan video"
        );
        assert_eq!(
            page_title(Catalog::builtin(Lang::Zh), Some("Team Lab"), 0),
            "Team Lab · wan-studio"
        );
        assert_eq!(
            page_title(Catalog::builtin(Lang::En), Some("Team Lab"), 2),
            "(2) ✓ Task ended · Team Lab · wan-studio"
        );
        assert!(page_title(Catalog::builtin(Lang::Zh), Some("Team Lab"), 1)
            .ends_with("Team Lab · wan-studio"));
    }
}
