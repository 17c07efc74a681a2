//! The app-wide state, provided once as context: stored settings, the form draft, the ledger,
//! a ticking clock, and demo mode.

use codee::string::FromToStringCodec;
use leptos::prelude::*;
use leptos_use_interval_fn::use_interval_fn;
use leptos_use_storage::{
    use_local_storage, use_session_storage, use_storage_with_options, StorageType, UseStorageError,
    UseStorageOptions,
};
use serde::{de::DeserializeOwned, Serialize};

use super::browser::{page, BrowserUrl};
use super::ledger::Ledger;
use super::problems::{storage, Problems};
use super::storage_keys::{Place, DEBUG_TIMEOUT_KEY, KEY_KEY};
use crate::api::Connection;
use crate::domain::form::FormState;
use crate::domain::message::Msg;
use crate::domain::redact::Redactor;
use crate::domain::settings::{
    ApiKey, ChosenEndpoint, ConnectionSettings, CUSTOM, DEMO_ENDPOINT, DEMO_KEY,
};
use crate::domain::task::TaskRecord;

/// The test hook's value: 1 ms to 10 minutes; anything else (0, negative, text) is ignored, so
/// the hook can only shorten waits, never disable them.
fn timeout_override_ms() -> Option<u32> {
    storage()?
        .get_item(DEBUG_TIMEOUT_KEY)
        .ok()
        .flatten()?
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|ms| (1..=600_000).contains(ms))
}

/// Why a stored task is not being checked with the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRouted {
    /// The task's endpoint is not one of the user's: the host it belongs to. Checking it needs
    /// the user to pick one of their own endpoints.
    Foreign(String),
    /// No key that can be sent (missing, or holding a character a header cannot carry).
    NoKey(Msg),
}

/// Everything components share. `Copy`: pass it around freely.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The stored API key (bare), from local or session storage per "Remember key".
    pub key: Signal<String>,
    /// Stores the API key where "Remember key" says.
    pub set_key: Callback<String>,
    /// Removes the key from both storages.
    pub forget_key: Callback<()>,
    /// Moves the key between local storage (true) and this tab's session storage (false).
    pub set_remember_key: Callback<bool>,
    /// Endpoint choice and switches.
    pub settings: Signal<ConnectionSettings>,
    /// Sets the connection settings.
    pub set_settings: StoredWrite<ConnectionSettings>,
    /// The form draft, kept across reloads.
    pub form: Signal<FormState>,
    /// Sets the form draft.
    pub set_form: StoredWrite<FormState>,
    /// The task ledger.
    pub ledger: Ledger,
    /// Storage problems to show.
    pub problems: Problems,
    /// Wall clock in ms since the epoch, ticking every second.
    pub now: Signal<i64>,
    /// True while the browser is online.
    pub online: Signal<bool>,
    /// True when the page was opened with `?demo`: talk to the local simulator with a throwaway
    /// key, leaving the stored settings alone.
    pub demo: bool,
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

impl AppState {
    /// The connection settings in effect (tracked): the stored ones, or demo mode's.
    pub fn settings_in_effect(&self) -> ConnectionSettings {
        if self.demo {
            demo_settings()
        } else {
            self.settings.get()
        }
    }

    fn key_untracked(&self) -> String {
        if self.demo {
            DEMO_KEY.into()
        } else {
            self.key.get_untracked()
        }
    }

    /// The connection for a new submit or lookup: the endpoint chosen in Settings, or why there
    /// is none (no key, a key that cannot be sent, an endpoint that needs fixing).
    pub fn connection(&self) -> Result<Connection, Msg> {
        let settings = untrack(|| self.settings_in_effect());
        let endpoint = settings.chosen(&page(), &BrowserUrl)?;
        let key = ApiKey::parse(&self.key_untracked())?;
        Ok(Connection::new(
            endpoint,
            key,
            settings.async_header,
            timeout_override_ms(),
        ))
    }

    /// Where a stored task may be checked (tracked: follows Settings): one of the user's own
    /// endpoints, or the host it belongs to.
    pub fn route_task(&self, task_endpoint: &str) -> Result<ChosenEndpoint, String> {
        self.settings_in_effect()
            .route_task(task_endpoint, &page(), &BrowserUrl)
    }

    /// The connection for checking an existing task: its own endpoint, only when that is one of
    /// the user's (see [`ConnectionSettings::route_task`]), with the current key.
    pub fn connection_for_task(&self, record: &TaskRecord) -> Result<Connection, NotRouted> {
        let endpoint = untrack(|| self.route_task(&record.endpoint)).map_err(NotRouted::Foreign)?;
        let key = ApiKey::parse(&self.key_untracked()).map_err(NotRouted::NoKey)?;
        Ok(Connection::new(endpoint, key, false, timeout_override_ms()))
    }

    /// The user's own endpoints (tracked): the chosen one first, then those used before.
    pub fn my_endpoints(&self) -> Vec<ChosenEndpoint> {
        self.settings_in_effect().my_endpoints(&page(), &BrowserUrl)
    }

    /// Remembers that the user sent with this endpoint, so its tasks stay theirs after they
    /// switch (not in demo mode, whose settings are not stored).
    pub fn remember_endpoint(&self, endpoint: &ChosenEndpoint) {
        let known = self.settings.with_untracked(|s| {
            s.known_endpoints.first().map(String::as_str) == Some(endpoint.url())
        });
        if !self.demo && !known {
            self.set_settings.update(|s| s.remember(endpoint));
        }
    }

    /// Current time in ms (untracked; for event handlers and the poller).
    pub fn now_untracked(&self) -> i64 {
        now_ms()
    }
}

/// Demo mode's settings: the local simulator, nothing stored.
fn demo_settings() -> ConnectionSettings {
    ConnectionSettings {
        endpoint_choice: CUSTOM.into(),
        custom_endpoint: DEMO_ENDPOINT.into(),
        ..ConnectionSettings::default()
    }
}

/// Writes one value that is kept in storage as JSON text (see [`stored_json`]). `Copy`.
pub struct StoredWrite<T: Send + Sync + 'static> {
    text: WriteSignal<String>,
    value: Signal<T>,
}

impl<T: Send + Sync + 'static> Clone for StoredWrite<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for StoredWrite<T> {}

impl<T: Clone + Serialize + Send + Sync + 'static> StoredWrite<T> {
    /// Replaces the value (and its stored text).
    pub fn set(&self, value: T) {
        if let Ok(text) = crate::json::to_string(&value) {
            self.text.set(text);
        }
    }

    /// Changes the value in place.
    pub fn update(&self, change: impl FnOnce(&mut T)) {
        let mut value = self.value.get_untracked();
        change(&mut value);
        self.set(value);
    }
}

/// A JSON value in storage (local, or the tab's session storage in demo mode) through leptos-use,
/// which keeps it in sync with other tabs. Every value goes through leptos-use's one `String`
/// instance and is decoded here: its code is in the wasm once rather than once per stored type
/// (issue 14). Unreadable stored text is kept aside and reported once, at load (then the default is
/// used); failed writes are reported as a full quota.
fn stored_json<T>(
    key: &'static str,
    not_saved: &'static str,
    problems: Problems,
) -> (Signal<T>, StoredWrite<T>)
where
    T: Clone + Default + PartialEq + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    let options = UseStorageOptions::default().on_error(move |e| {
        if let UseStorageError::SetItemFailed(_) = e {
            problems.report(key, Msg::new(not_saved), None);
        }
    });
    let storage = match problems.place() {
        Place::Real => StorageType::Local,
        Place::Demo => StorageType::Session,
    };
    let (text, set_text, _) =
        use_storage_with_options::<String, FromToStringCodec>(storage, key, options);
    let stored = text.get_untracked();
    if !stored.is_empty() && crate::json::from_str::<T>(&stored).is_err() {
        problems.keep_aside(
            key,
            &stored,
            Msg::new("storage.unreadable").with("key", key),
        );
    }
    let value: Signal<T> =
        Memo::new(move |_| text.with(|t| crate::json::from_str(t).unwrap_or_default())).into();
    (
        value,
        StoredWrite {
            text: set_text,
            value,
        },
    )
}

/// Creates the state and provides it as context. Call once, in `App`.
pub fn provide_app_state() -> AppState {
    super::i18n::provide_i18n();
    super::theme::provide_theme();
    let demo = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| {
            q.trim_start_matches('?')
                .split('&')
                .any(|p| p == "demo" || p.starts_with("demo="))
        });
    let place = if demo { Place::Demo } else { Place::Real };
    let problems = Problems::new(place);
    let (settings, set_settings) = stored_json::<ConnectionSettings>(
        place.settings_key(),
        "storage.settings_not_saved",
        problems,
    );
    let (local_key, set_local_key, remove_local_key) =
        use_local_storage::<String, FromToStringCodec>(KEY_KEY);
    let (session_key, set_session_key, remove_session_key) =
        use_session_storage::<String, FromToStringCodec>(KEY_KEY);
    let remember = Memo::new(move |_| settings.with(|s| s.remember_key));
    let key = Signal::derive(move || {
        if remember.get() {
            local_key.get()
        } else {
            session_key.get()
        }
    });
    let set_key = Callback::new(move |k: String| {
        if remember.get_untracked() {
            set_local_key.set(k);
        } else {
            set_session_key.set(k);
        }
    });
    let forget_key = {
        let (remove_local_key, remove_session_key) =
            (remove_local_key.clone(), remove_session_key.clone());
        Callback::new(move |()| {
            remove_local_key();
            remove_session_key();
        })
    };
    let set_remember_key = Callback::new(move |on: bool| {
        let current = key.get_untracked();
        set_settings.update(|s| s.remember_key = on);
        if on {
            remove_session_key();
            if !current.is_empty() {
                set_local_key.set(current);
            }
        } else {
            remove_local_key();
            if !current.is_empty() {
                set_session_key.set(current);
            }
        }
    });
    let (form, set_form) =
        stored_json::<FormState>(place.form_key(), "storage.draft_not_saved", problems);
    let (now, set_now) = signal(now_ms());
    let _ = use_interval_fn(move || set_now.set(now_ms()), 1_000);
    let state = AppState {
        key,
        set_key,
        forget_key,
        set_remember_key,
        settings,
        set_settings,
        form,
        set_form,
        ledger: Ledger::load(problems, &Redactor::new(&key.get_untracked())),
        problems,
        now: now.into(),
        online: super::offline::use_online(),
        demo,
    };
    provide_context(state);
    state
}

/// The app state from context.
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}
