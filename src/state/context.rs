//! The app-wide state, provided once as context: stored settings, the form draft, the ledger,
//! a ticking clock, and demo mode.

use codee::string::{FromToStringCodec, JsonSerdeCodec};
use codee::CodecError;
use leptos::prelude::*;
use leptos_use_interval_fn::use_interval_fn;
use leptos_use_storage::{
    use_local_storage, use_local_storage_with_options, use_session_storage, UseStorageError,
    UseStorageOptions,
};
use serde::{de::DeserializeOwned, Serialize};

use super::ledger::Ledger;
use super::problems::{storage, Problems};
use crate::api::Connection;
use crate::domain::form::FormState;
use crate::domain::message::{text, text_with, Bilingual};
use crate::domain::settings::{ConnectionSettings, DEMO_ENDPOINT, DEMO_KEY};

/// Storage key of the API key.
pub const KEY_KEY: &str = "wan-studio.key.v1";
/// Storage key of the connection settings.
pub const SETTINGS_KEY: &str = "wan-studio.settings.v1";
/// Storage key of the form draft.
pub const FORM_KEY: &str = "wan-studio.form.v1";
/// Test hook: when this key holds a number of milliseconds, it replaces both client time limits
/// (so a test can meet a timeout in seconds, not minutes). Only shortens waits; nothing else.
pub const DEBUG_TIMEOUT_KEY: &str = "wan-studio.debug.timeout-ms";

fn timeout_override_ms() -> Option<u32> {
    storage()?
        .get_item(DEBUG_TIMEOUT_KEY)
        .ok()
        .flatten()?
        .trim()
        .parse()
        .ok()
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
    pub set_settings: WriteSignal<ConnectionSettings>,
    /// The form draft, kept across reloads.
    pub form: Signal<FormState>,
    /// Sets the form draft.
    pub set_form: WriteSignal<FormState>,
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
    /// The connection in effect, or why there is none.
    pub fn connection(&self) -> Result<Connection, Bilingual> {
        if self.demo {
            return Ok(Connection {
                endpoint: DEMO_ENDPOINT.into(),
                key: DEMO_KEY.into(),
                async_header: true,
                timeout_override_ms: timeout_override_ms(),
            });
        }
        let settings = self.settings.get_untracked();
        let endpoint = settings.endpoint()?;
        let key = self.key.get_untracked();
        if key.is_empty() {
            return Err(text("settings.error.no_key"));
        }
        Ok(Connection {
            endpoint,
            key,
            async_header: settings.async_header,
            timeout_override_ms: timeout_override_ms(),
        })
    }

    /// The connection for an existing task: its own endpoint, with the current key.
    pub fn connection_for(&self, endpoint: &str) -> Connection {
        let key = if self.demo {
            DEMO_KEY.into()
        } else {
            self.key.get_untracked()
        };
        Connection {
            endpoint: endpoint.into(),
            key,
            async_header: false,
            timeout_override_ms: timeout_override_ms(),
        }
    }

    /// Current time in ms (untracked; for event handlers and the poller).
    pub fn now_untracked(&self) -> i64 {
        now_ms()
    }
}

/// A JSON value in local storage through leptos-use. Unreadable stored text is kept aside and
/// reported (then the default is used); failed writes are reported as a full quota.
fn stored_json<T>(key: &'static str, problems: Problems) -> (Signal<T>, WriteSignal<T>)
where
    T: Clone + Default + PartialEq + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    let options = UseStorageOptions::<T, serde_json::Error, serde_json::Error>::default().on_error(
        move |e| match e {
            UseStorageError::ItemCodecError(CodecError::Decode(_)) => {
                if let Some(raw) = storage().and_then(|s| s.get_item(key).ok().flatten()) {
                    problems.keep_aside(
                        key,
                        &raw,
                        text_with("storage.unreadable", &[("key", key)]),
                    );
                }
            }
            UseStorageError::SetItemFailed(_) => problems.report_quota(),
            _ => {}
        },
    );
    let (value, set_value, _) = use_local_storage_with_options::<T, JsonSerdeCodec>(key, options);
    (value, set_value)
}

/// Creates the state and provides it as context. Call once, in `App`.
pub fn provide_app_state() -> AppState {
    super::i18n::provide_i18n();
    let problems = Problems::new();
    let (settings, set_settings) = stored_json::<ConnectionSettings>(SETTINGS_KEY, problems);
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
    let (form, set_form) = stored_json::<FormState>(FORM_KEY, problems);
    let (now, set_now) = signal(now_ms());
    let _ = use_interval_fn(move || set_now.set(now_ms()), 1_000);
    let demo = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| {
            q.trim_start_matches('?')
                .split('&')
                .any(|p| p == "demo" || p.starts_with("demo="))
        });
    let state = AppState {
        key,
        set_key,
        forget_key,
        set_remember_key,
        settings,
        set_settings,
        form,
        set_form,
        ledger: Ledger::load(problems),
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
