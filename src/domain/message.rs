//! Bilingual user-facing text. Every message a user can meet exists in English and Chinese and
//! names the cause and the next step.

use serde::{Deserialize, Serialize};

/// A message in English and Simplified Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    /// English text.
    pub en: String,
    /// Simplified Chinese text.
    pub zh: String,
}

impl Bilingual {
    /// Builds a message from its two texts.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// An explained problem: what happened and what to do, plus details worth copying.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    /// Cause and next step.
    pub text: Bilingual,
    /// The relay's request id, when the reply carried one (users quote it to support).
    pub request_id: Option<String>,
    /// The raw detail from the server (status line, upstream code and message), shown as text.
    pub detail: Option<String>,
    /// True when a submit failed in a way that may still have created (and billed) a task.
    pub maybe_created: bool,
}

impl Explanation {
    /// An explanation with no details.
    pub fn plain(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Self {
            text: Bilingual::new(en, zh),
            request_id: None,
            detail: None,
            maybe_created: false,
        }
    }
}
