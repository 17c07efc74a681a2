//! Every key this app uses in the browser's storage, in one place. The boot script in
//! `index.html` reads two of them before the wasm runs (theme and language); a test checks that
//! it names exactly these (see `tests/browser.rs`).

/// The API key (local storage, or session storage when "Remember key" is off).
pub const KEY_KEY: &str = "wan-studio.key.v1";
/// The connection settings.
pub const SETTINGS_KEY: &str = "wan-studio.settings.v1";
/// The form draft.
pub const FORM_KEY: &str = "wan-studio.form.v1";
/// Where earlier builds kept the task ledger (format version 1, see `domain::history`); moved
/// into the database on first load.
pub const LEDGER_KEY: &str = "wan-studio.tasks.v1";
/// What this browser learnt about video hosts: which let a page read their files (see
/// `domain::keep::VideoHosts`).
pub const VIDEO_HOSTS_KEY: &str = "wan-studio.video-hosts.v1";
/// The pictures and kept videos of deleted tasks held for an Undo in any tab (see
/// `domain::stored::Holds`).
pub const MEDIA_HOLDS_KEY: &str = "wan-studio.media-holds.v1";
/// The language choice (`en` or `zh`); also read by the boot script.
pub const LANG_KEY: &str = "wan-studio.lang.v1";
/// A forced theme (`light` or `dark`); also read by the boot script.
pub const THEME_KEY: &str = "wan-studio.theme.v1";
/// Test hook: when this key holds a number of milliseconds (1 ms to 10 minutes), it replaces
/// both client time limits, so a test can meet a timeout in seconds. Only shortens waits.
pub const DEBUG_TIMEOUT_KEY: &str = "wan-studio.debug.timeout-ms";
/// Suffix of the key where unreadable text is kept aside: `<key>.unreadable`.
pub const ASIDE_SUFFIX: &str = ".unreadable";
/// The browser database holding the task ledger and media (see `state::db`).
pub const DB_NAME: &str = "wan-studio";
/// The `BroadcastChannel` on which tabs say that the ledger changed.
pub const LEDGER_CHANNEL: &str = "wan-studio.ledger";
/// Prefix of the Web Lock that lets one tab poll a task: `wan-studio.poll.<id>`.
pub const POLL_LOCK_PREFIX: &str = "wan-studio.poll.";

/// The keys the boot script in `index.html` reads: the theme and the language to apply, and
/// whether a key is stored at all (its value is never used there), to leave out the first-run
/// guide of the pre-drawn first screen.
pub const BOOT_SCRIPT_KEYS: [&str; 3] = [THEME_KEY, LANG_KEY, KEY_KEY];

/// Prefix of demo mode's keys (in the tab's session storage).
pub const DEMO_PREFIX: &str = "wan-studio.demo.";
/// Demo mode's connection settings.
pub const DEMO_SETTINGS_KEY: &str = "wan-studio.demo.settings.v1";
/// Demo mode's form draft.
pub const DEMO_FORM_KEY: &str = "wan-studio.demo.form.v1";

/// Where the app keeps what a user makes: the browser's local storage under the normal keys (and
/// the task database), or, in demo mode, this tab's session storage under `wan-studio.demo.*` keys
/// for settings and the draft, and the page alone for tasks, so the demo never mixes with the real
/// thing and nothing of it outlives the tab ("Leave demo mode" clears it at once).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// The real thing.
    Real,
    /// Demo mode (`?demo`).
    Demo,
}

impl Place {
    /// The storage area.
    pub fn storage(self) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match self {
            Place::Real => window.local_storage(),
            Place::Demo => window.session_storage(),
        }
        .ok()
        .flatten()
    }

    /// The settings' key.
    pub fn settings_key(self) -> &'static str {
        match self {
            Place::Real => SETTINGS_KEY,
            Place::Demo => DEMO_SETTINGS_KEY,
        }
    }

    /// The draft's key.
    pub fn form_key(self) -> &'static str {
        match self {
            Place::Real => FORM_KEY,
            Place::Demo => DEMO_FORM_KEY,
        }
    }
}

/// Removes everything demo mode stored (when the user leaves it).
pub fn clear_demo() {
    let Some(session) = Place::Demo.storage() else {
        return;
    };
    let keys: Vec<String> = (0..session.length().unwrap_or(0))
        .filter_map(|i| session.key(i).ok().flatten())
        .filter(|k| k.starts_with(DEMO_PREFIX))
        .collect();
    for k in keys {
        let _ = session.remove_item(&k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The boot script in `index.html` runs before the wasm and cannot import these constants:
    /// it must name exactly the keys the app uses for the theme and the language.
    #[test]
    fn the_boot_script_reads_the_same_keys() {
        let html = include_str!("../../index.html");
        let mut read: Vec<&str> = html
            .match_indices("localStorage.getItem('")
            .filter_map(|(i, m)| html[i + m.len()..].split('\'').next())
            .collect();
        read.sort_unstable();
        let mut want = BOOT_SCRIPT_KEYS.to_vec();
        want.sort_unstable();
        assert_eq!(read, want);
    }

    #[test]
    fn every_key_is_distinct_and_versioned() {
        let keys = [
            KEY_KEY,
            SETTINGS_KEY,
            FORM_KEY,
            LEDGER_KEY,
            LANG_KEY,
            THEME_KEY,
            DEMO_SETTINGS_KEY,
            DEMO_FORM_KEY,
        ];
        for (i, k) in keys.iter().enumerate() {
            assert!(k.starts_with("wan-studio.") && k.ends_with(".v1"), "{k}");
            assert!(!keys[i + 1..].contains(k), "{k} twice");
            assert_eq!(k.starts_with(DEMO_PREFIX), k.contains(".demo."), "{k}");
        }
        for place in [Place::Real, Place::Demo] {
            let demo = place == Place::Demo;
            for k in [place.settings_key(), place.form_key()] {
                assert_eq!(k.starts_with(DEMO_PREFIX), demo, "{k}");
            }
        }
    }
}
