//! Reactive glue between the domain and the page: stored settings and drafts, the task ledger,
//! the polling driver and the app-wide context.

pub mod browser;
pub mod context;
pub mod db;
pub mod disclosure;
pub mod gallery;
pub mod i18n;
pub mod images;
pub mod keep;
pub mod ledger;
pub mod library;
pub mod lookup;
pub mod notify;
pub mod offline;
pub mod poller;
pub mod problems;
pub mod site;
pub mod storage_keys;
pub mod submit;
pub mod theme;
pub mod toast;

pub use context::{provide_app_state, use_app_state, AppState};
pub use i18n::{use_i18n, I18n};
