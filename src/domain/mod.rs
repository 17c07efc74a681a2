//! Pure product logic: no Leptos, no web APIs, no HTTP. Everything here is tested natively.
//!
//! - [`compare`]: the settings table of compared takes.
//! - [`form`]: the wan2.6-t2v form, its allowed values and validation.
//! - [`history`]: the stored ledger format, filters, ETA, cost, export/import.
//! - [`task`]: task statuses, snapshots, the stored task record and the poll schedule.
//! - [`settings`]: endpoint presets and checks, API-key normalisation and masking.
//! - [`share`]: the share-link codec.
//! - [`site_config`]: the optional team `config.json`.
//! - [`time`]: China-time timestamps, link expiry and human durations.
//! - [`message`]: bilingual (English/Chinese) user-facing messages.

pub mod compare;
pub mod form;
pub mod history;
pub mod message;
pub mod settings;
pub mod share;
pub mod site_config;
pub mod task;
pub mod time;
