//! One redaction pass for every text that comes from a relay (or from an older ledger or a
//! history file): the API key, and anything shaped like one, is replaced before the text is cut,
//! shown, stored or exported. A relay that echoes the key inside a task reply (a FAILED message,
//! a status, a video link, a timestamp, the prompt) cannot make the page display or keep it.

/// What a key is replaced with.
pub const MASK: &str = "sk-…";

/// Shortest run after `sk-` treated as a key wherever it appears (DMXAPI keys have 48).
const KEY_LIKE_MIN: usize = 16;

/// Removes one key (and every key-shaped token) from texts.
#[derive(Clone, Default)]
pub struct Redactor {
    key: String,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redactor")
    }
}

impl Redactor {
    /// A redactor for `key` (the bare key in use). Any key-shaped token is masked too.
    pub fn new(key: &str) -> Self {
        Self {
            key: key.trim().to_string(),
        }
    }

    /// The text with the key, its body without `sk-`, and every `sk-` + 16 or more letters and
    /// digits replaced by [`MASK`].
    pub fn clean(&self, text: &str) -> String {
        let mut out = text.to_string();
        if self.key.chars().count() >= 8 {
            out = out.replace(&self.key, MASK);
            if let Some(body) = self.key.strip_prefix("sk-") {
                if body.chars().count() >= KEY_LIKE_MIN {
                    out = out.replace(body, MASK);
                }
            }
        }
        mask_key_like(&out)
    }

    /// [`Redactor::clean`] in place.
    pub fn clean_in_place(&self, text: &mut String) {
        let cleaned = self.clean(text);
        if cleaned != *text {
            *text = cleaned;
        }
    }

    /// [`Redactor::clean`] for an optional text.
    pub fn clean_opt(&self, text: &mut Option<String>) {
        if let Some(t) = text {
            self.clean_in_place(t);
        }
    }
}

/// Replaces every `sk-` followed by at least 16 ASCII letters or digits with [`MASK`].
fn mask_key_like(text: &str) -> String {
    if !text.contains("sk-") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sk-") {
        let after = &rest[at + 3..];
        let run = after.bytes().take_while(u8::is_ascii_alphanumeric).count();
        out.push_str(&rest[..at]);
        if run >= KEY_LIKE_MIN {
            out.push_str(MASK);
            rest = &after[run..];
        } else {
            out.push_str("sk-");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Cuts a text to at most `max` characters (adding `…`), after redacting it: the order matters,
/// or a key that sits across the cut would leave its first characters behind.
pub fn excerpt(redactor: &Redactor, text: &str, max: usize) -> String {
    let clean = redactor.clean(text);
    if clean.chars().count() <= max {
        return clean;
    }
    let mut cut: String = clean.chars().take(max).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk-e2eTestKey0123456789abcdefghijklmnopqrstuvwxyzAB";

    #[test]
    fn the_key_and_key_shapes_are_masked() {
        let r = Redactor::new(KEY);
        assert_eq!(r.clean(&format!("token {KEY} bad")), "token sk-… bad");
        // The key's body alone (a relay that strips the prefix).
        assert_eq!(
            r.clean(&format!("token {} bad", &KEY[3..])),
            "token sk-… bad"
        );
        // Any other key-shaped token, e.g. a truncated echo of 20 characters.
        assert_eq!(r.clean(&format!("t={}", &KEY[..23])), "t=sk-…");
        assert_eq!(r.clean("sk-short is fine"), "sk-short is fine");
        assert_eq!(r.clean("ask-me sk-"), "ask-me sk-");
        // In a URL, a status, a time: everywhere.
        assert_eq!(
            r.clean(&format!("https://x.example/v.mp4?k={KEY}&a=1")),
            "https://x.example/v.mp4?k=sk-…&a=1"
        );
        // Without a key in use, key shapes are still masked.
        assert_eq!(Redactor::default().clean(&format!("{KEY}!")), "sk-…!");
        // Multibyte text around it survives.
        assert_eq!(r.clean(&format!("密钥{KEY}无效")), "密钥sk-…无效");
    }

    #[test]
    fn excerpts_are_cut_after_redaction() {
        let r = Redactor::new(KEY);
        // The key starts 10 characters before the cut: cutting first would leave 10 of its
        // characters behind.
        let text = format!("{}{KEY}{}", "x".repeat(290), "y".repeat(100));
        let cut = excerpt(&r, &text, 300);
        assert!(!cut.contains(&KEY[..10]), "{cut}");
        assert!(cut.contains("sk-…"));
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(&r, "short", 300), "short");
    }
}
