//! Pure product logic: no Leptos, no web APIs, no HTTP. Everything here is tested natively.
//!
//! - [`archive`]: the library archive (a zip of the history and its media).
//! - [`batch`]: variations: several takes of one form, each with its own seed or prompt line.
//! - [`card`]: what a task card says (elapsed time, phases, summary, result).
//! - [`catalog`]: the words of one language (from `locales/*.yml`).
//! - [`compare`]: the settings table of compared takes.
//! - [`cost`]: cost estimates from per-second rates.
//! - [`form`]: the form of every model and mode, its allowed values and validation.
//! - [`generate`]: what pressing Generate did, in one line.
//! - [`image`]: what to do with a picture from the user's machine before it is sent.
//! - [`keep`]: kept videos (keep or not, hosts that let a page read, what a card says).
//! - [`lang`]: the languages of the interface.
//! - [`models`]: the Wan family as data: every model and mode, its fields, media, limits, price.
//! - [`request`]: a request of any model and mode (what the wire layer sends).
//! - [`history`]: the stored ledger format, filters, ETA, cost, export/import.
//! - [`task`]: task statuses, snapshots, the stored task record and the poll schedule.
//! - [`settings`]: endpoint presets and checks, API-key normalisation and masking.
//! - [`share`]: the share-link codec.
//! - [`stored`]: how tasks are kept in the browser's database (shelves, the running summary).
//! - [`site_config`]: the optional team `config.json`.
//! - [`time`]: China-time timestamps, link expiry and human durations.
//! - [`message`]: bilingual (English/Chinese) user-facing messages.
//! - [`redact`]: the one redaction pass for texts from a relay or a file.
//! - [`url`]: URLs as the browser reads them (endpoints, media links, hosts).

pub mod archive;
pub mod batch;
pub mod card;
pub mod catalog;
pub mod compare;
pub mod cost;
pub mod form;
pub mod generate;
pub mod history;
pub mod image;
pub mod keep;
pub mod lang;
pub mod message;
pub mod models;
pub mod redact;
pub mod request;
pub mod settings;
pub mod share;
pub mod site_config;
pub mod spend;
pub mod stored;
pub mod task;
pub mod time;
pub mod url;

#[cfg(test)]
pub mod testing {
    //! Builders shared by the domain's tests.

    use super::form::{FormState, ShotType, Size};
    use super::request::ModelRequest;
    use super::task::{Origin, TaskRecord, TaskSnapshot, TaskStatus};

    /// The project's root, read when the test runs: a test binary reused from another checkout
    /// (CI shares the target directory) reads this checkout's files, never the other's.
    pub fn root() -> String {
        std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())
    }

    /// A valid request ("cat") of this size, duration and shot type.
    pub fn request(size: Size, duration: &str, shot: ShotType) -> ModelRequest {
        FormState {
            prompt: "cat".into(),
            size,
            duration: duration.into(),
            shot_type: shot,
            ..FormState::default()
        }
        .validate()
        .expect("a valid form")
    }

    /// A submitted task with only a status.
    pub fn record(id: &str, submitted_at_ms: i64, status: TaskStatus) -> TaskRecord {
        TaskRecord::new(
            id,
            None,
            "",
            submitted_at_ms,
            TaskSnapshot::with_status(status),
            Origin::Submitted,
        )
    }
}
