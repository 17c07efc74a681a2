//! Every key this app uses in the browser's storage, in one place. The boot script in
//! `index.html` reads two of them before the wasm runs (theme and language); a test checks that
//! it names exactly these (see `tests/browser.rs`).

/// The API key (local storage, or session storage when "Remember key" is off).
pub const KEY_KEY: &str = "wan-studio.key.v1";
/// The connection settings.
pub const SETTINGS_KEY: &str = "wan-studio.settings.v1";
/// The form draft.
pub const FORM_KEY: &str = "wan-studio.form.v1";
/// The task ledger (format version 1, see `domain::history`).
pub const LEDGER_KEY: &str = "wan-studio.tasks.v1";
/// The language choice (`en` or `zh`); also read by the boot script.
pub const LANG_KEY: &str = "wan-studio.lang.v1";
/// A forced theme (`light` or `dark`); also read by the boot script.
pub const THEME_KEY: &str = "wan-studio.theme.v1";
/// Test hook: when this key holds a number of milliseconds (1 ms to 10 minutes), it replaces
/// both client time limits, so a test can meet a timeout in seconds. Only shortens waits.
pub const DEBUG_TIMEOUT_KEY: &str = "wan-studio.debug.timeout-ms";
/// Suffix of the key where unreadable text is kept aside: `<key>.unreadable`.
pub const ASIDE_SUFFIX: &str = ".unreadable";
/// Prefix of the Web Lock that lets one tab poll a task: `wan-studio.poll.<id>`.
pub const POLL_LOCK_PREFIX: &str = "wan-studio.poll.";

/// The keys the boot script in `index.html` reads, and what for.
pub const BOOT_SCRIPT_KEYS: [&str; 2] = [THEME_KEY, LANG_KEY];

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
        ];
        for (i, k) in keys.iter().enumerate() {
            assert!(k.starts_with("wan-studio.") && k.ends_with(".v1"), "{k}");
            assert!(!keys[i + 1..].contains(k), "{k} twice");
        }
    }
}
