//! Storage problems: unreadable data kept aside (downloadable), a full quota, no storage at all.
//! The page always starts; these are shown in a banner.

use leptos::prelude::*;

use super::storage_keys::{Place, ASIDE_SUFFIX};
use crate::domain::message::Msg;

/// Local storage, if the browser allows it.
pub fn storage() -> Option<web_sys::Storage> {
    Place::Real.storage()
}

/// One problem to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The storage key it concerns.
    pub key: String,
    /// What happened and what to do.
    pub text: Msg,
    /// Where the unreadable raw text was kept, if anywhere.
    pub aside_key: Option<String>,
}

const QUOTA: &str = "quota";

/// The reactive list of problems, and where unreadable text is kept aside.
#[derive(Clone, Copy)]
pub struct Problems(RwSignal<Vec<Problem>>, Place);

impl Problems {
    /// An empty list, for data kept in `place`.
    pub fn new(place: Place) -> Self {
        Self(RwSignal::new(Vec::new()), place)
    }

    /// Where the data these problems are about is kept.
    pub fn place(&self) -> Place {
        self.1
    }

    /// The problems to show.
    pub fn list(&self) -> Signal<Vec<Problem>> {
        self.0.into()
    }

    /// Adds (or replaces) the problem for `key`.
    pub fn report(&self, key: &str, text: Msg, aside_key: Option<String>) {
        let p = Problem {
            key: key.into(),
            text,
            aside_key,
        };
        self.0.update(|list| {
            list.retain(|x| x.key != p.key);
            list.push(p);
        });
    }

    /// Keeps unreadable `raw` text of `key` aside under `<key>.unreadable` and reports it.
    pub fn keep_aside(&self, key: &str, raw: &str, text: Msg) {
        let aside = format!("{key}{ASIDE_SUFFIX}");
        let saved = self
            .1
            .storage()
            .is_some_and(|s| s.set_item(&aside, raw).is_ok());
        self.report(key, text, saved.then_some(aside));
    }

    /// Reports that a write failed for lack of space.
    pub fn report_quota(&self) {
        self.report(QUOTA, Msg::new("storage.quota"), None);
    }

    /// Clears the quota problem after a successful write.
    pub fn clear_quota(&self) {
        if self.0.with_untracked(|l| l.iter().any(|p| p.key == QUOTA)) {
            self.dismiss(QUOTA);
        }
    }

    /// Hides a problem.
    pub fn dismiss(&self, key: &str) {
        self.0.update(|l| l.retain(|p| p.key != key));
    }
}

impl Default for Problems {
    fn default() -> Self {
        Self::new(Place::Real)
    }
}
