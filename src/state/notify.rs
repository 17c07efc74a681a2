//! Telling the user when a task ends while the tab is in the background: the page title, and a
//! browser notification if they allowed it.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_use_document_visibility::use_document_visibility;

use super::context::AppState;
use crate::domain::message::tr;
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

fn set_title(title: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(title);
    }
}

/// Watches the ledger for tasks that end while the page is hidden.
pub fn watch_endings(state: AppState) {
    let i18n = super::use_i18n();
    let visibility = use_document_visibility();
    let hidden = move || visibility.get() == web_sys::VisibilityState::Hidden;
    let (ended, set_ended) = signal(0usize);
    let mut last: HashMap<String, bool> = state
        .ledger
        .tasks()
        .get_untracked()
        .iter()
        .map(|t| (t.id.clone(), t.snapshot.status.is_terminal()))
        .collect();
    Effect::new(move |_| {
        let tasks = state.ledger.tasks().get();
        for t in &tasks {
            let terminal = t.snapshot.status.is_terminal();
            let was = last.insert(t.id.clone(), terminal);
            if terminal && was == Some(false) && hidden() {
                set_ended.update(|n| *n += 1);
                if notifications_allowed() {
                    let lang = i18n.lang.get_untracked();
                    let (title, body) = match t.snapshot.status {
                        TaskStatus::Succeeded => (
                            tr(lang, "notify.ready_title"),
                            tr(lang, "notify.ready_body"),
                        ),
                        _ => (
                            tr(lang, "notify.ended_title"),
                            tr(lang, "notify.ended_body"),
                        ),
                    };
                    let options = web_sys::NotificationOptions::new();
                    options.set_body(&body);
                    // One notification per task, however many tabs see it end.
                    options.set_tag(&t.id);
                    let _ = web_sys::Notification::new_with_options(&title, &options);
                }
            }
        }
    });
    Effect::new(move |_| {
        if !hidden() {
            set_ended.set(0);
        }
        let lang = i18n.lang.get();
        let title = tr(lang, "app.title");
        match ended.get() {
            0 => set_title(&title),
            n => set_title(&format!(
                "({n}) ✓ {} · {title}",
                tr(lang, "notify.ended_title")
            )),
        }
    });
}
