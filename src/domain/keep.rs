//! Kept videos: a finished take's video saved in this browser, so it plays, downloads and compares
//! after its 24-hour link has died, offline too. What is decided here: whether to keep (the user's
//! choice), what a kept copy is in the task record, which video hosts let a page read their files
//! (learnt once per host), and what a card says about it.

use serde::{Deserialize, Serialize};

use super::message::Msg;
pub use super::task::KeptVideo;
use super::task::{TaskRecord, TaskStatus};
use super::url::UrlParser;

/// When a finished take's video is saved into this browser.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeepVideos {
    /// As soon as it succeeds (the default: a video not kept dies with its link).
    #[default]
    Auto,
    /// The card offers "Keep in this browser".
    Ask,
    /// Never by itself (the card's menu still offers it).
    Never,
}

impl KeepVideos {
    /// Every choice, in the order Settings shows them.
    pub const ALL: [KeepVideos; 3] = [KeepVideos::Auto, KeepVideos::Ask, KeepVideos::Never];

    /// The catalog key of its label.
    pub fn label(self) -> &'static str {
        match self {
            KeepVideos::Auto => "keep.choice_auto",
            KeepVideos::Ask => "keep.choice_ask",
            KeepVideos::Never => "keep.choice_never",
        }
    }

    /// Its value in the page (radio values).
    pub fn as_str(self) -> &'static str {
        match self {
            KeepVideos::Auto => "auto",
            KeepVideos::Ask => "ask",
            KeepVideos::Never => "never",
        }
    }
}

/// The largest video a page keeps (a 15 s 1080P take is about 30 MB): anything bigger is not what
/// the service sends, and is not read into memory.
pub const MAX_VIDEO_BYTES: u64 = 512 * 1024 * 1024;

/// How many video hosts are remembered (the oldest answers go first).
pub const HOSTS_KEPT: usize = 32;

/// What this browser learnt about video hosts: whether a page may read their files (CORS). The
/// video plays either way; only keeping it needs its bytes. Stored in local storage as lines of
/// `1 <origin>` (readable) or `0 <origin>` (refused); anything else there is forgotten, never
/// trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VideoHosts(Vec<(String, bool)>);

impl VideoHosts {
    /// Reads the stored text. Only origins as the browser writes them are kept, each once, at
    /// most [`HOSTS_KEPT`].
    pub fn parse(text: &str) -> VideoHosts {
        let mut hosts = VideoHosts::default();
        for line in text.lines() {
            let readable = match line.split_once(' ') {
                Some(("1", o)) => (o, true),
                Some(("0", o)) => (o, false),
                _ => continue,
            };
            if hosts.0.len() < HOSTS_KEPT && hosts.readable(readable.0).is_none() {
                hosts.learn(readable.0, readable.1);
            }
        }
        hosts
    }

    /// The text to store.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|(o, r)| format!("{} {o}\n", u8::from(*r)))
            .collect()
    }

    /// What is known of `origin`: `Some(false)` when it refused a read.
    pub fn readable(&self, origin: &str) -> Option<bool> {
        self.0.iter().find(|(o, _)| o == origin).map(|(_, r)| *r)
    }

    /// Records an answer (the earliest learnt goes when full).
    pub fn learn(&mut self, origin: &str, readable: bool) {
        if !is_origin(origin) {
            return;
        }
        self.0.retain(|(o, _)| o != origin);
        if self.0.len() >= HOSTS_KEPT {
            self.0.remove(0);
        }
        self.0.push((origin.to_owned(), readable));
    }
}

/// `https://host[:port]` or `http://…`, nothing else (no path, no user info).
fn is_origin(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && r.len() <= 255
            && r.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    })
}

/// Where a finished take's video stands in this browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeepState {
    /// Not a take with a video (yet).
    NoVideo,
    /// Kept: plays from the browser.
    Kept(KeptVideo),
    /// Its link is alive and its host lets the page read it (or that is not known yet).
    CanKeep,
    /// Its link is alive but its host does not let a page read it: download it before it dies.
    Unreadable,
    /// Its link has died and nothing was kept.
    Lost,
    /// The record names a kept copy that is no longer in this browser (its storage was cleared);
    /// `can_keep`: the link still lives, so it can be kept again.
    Evicted {
        /// The link still lives (and its host was not seen to refuse).
        can_keep: bool,
    },
}

impl KeepState {
    /// Where `t` stands at `now_ms`, with what is known of video hosts.
    pub fn of(
        t: &TaskRecord,
        now_ms: i64,
        hosts: &VideoHosts,
        parser: &impl UrlParser,
    ) -> KeepState {
        if let Some(k) = &t.kept {
            return KeepState::Kept(k.clone());
        }
        if t.snapshot.status != TaskStatus::Succeeded {
            return KeepState::NoVideo;
        }
        let Some(url) = t.snapshot.safe_video_url(parser) else {
            return KeepState::NoVideo;
        };
        if !t.has_live_video(now_ms, parser) {
            return KeepState::Lost;
        }
        match video_origin(&url, parser).and_then(|o| hosts.readable(&o)) {
            Some(false) => KeepState::Unreadable,
            _ => KeepState::CanKeep,
        }
    }
}

/// How long before an un-kept, un-downloaded link dies its take is flagged (and a notification
/// sent): "3 videos expire within 2 h".
pub const REMIND_BEFORE_MS: i64 = 2 * 3_600_000;

impl KeepState {
    /// Where `t` stands: [`KeepState::evicted`] when `gone` (its kept copy is no longer in this
    /// browser), else [`KeepState::of`].
    pub fn at(
        t: &TaskRecord,
        now_ms: i64,
        hosts: &VideoHosts,
        parser: &impl UrlParser,
        gone: bool,
    ) -> KeepState {
        match gone && t.kept.is_some() {
            true => KeepState::evicted(t, now_ms, hosts, parser),
            false => KeepState::of(t, now_ms, hosts, parser),
        }
    }
}

/// When `t`'s link dies, if that is within [`REMIND_BEFORE_MS`] and nothing of it is safe yet:
/// a finished take whose video is neither kept in this browser nor downloaded. `gone`: the kept
/// copy `t` names is no longer in this browser (it counts as not kept).
pub fn expiring_at(
    t: &TaskRecord,
    now_ms: i64,
    hosts: &VideoHosts,
    parser: &impl UrlParser,
    gone: bool,
) -> Option<i64> {
    if t.downloaded {
        return None;
    }
    match KeepState::at(t, now_ms, hosts, parser, gone) {
        KeepState::CanKeep | KeepState::Unreadable | KeepState::Evicted { .. } => {}
        _ => return None,
    }
    let expiry = t.link_expiry_ms()?;
    (expiry > now_ms && expiry - now_ms <= REMIND_BEFORE_MS).then_some(expiry)
}

/// The reminder for `n` takes whose links die soon (none for 0).
pub fn reminder(n: usize) -> Option<Msg> {
    (n > 0).then(|| {
        Msg::new("keep.expiring_n")
            .with("n", n.to_string())
            .with("hours", (REMIND_BEFORE_MS / 3_600_000).to_string())
    })
}

impl KeepState {
    /// Where `t` stands when the kept copy it names turned out not to be in this browser.
    pub fn evicted(
        t: &TaskRecord,
        now_ms: i64,
        hosts: &VideoHosts,
        parser: &impl UrlParser,
    ) -> Self {
        let mut without = t.clone();
        without.kept = None;
        KeepState::Evicted {
            can_keep: KeepState::of(&without, now_ms, hosts, parser) == KeepState::CanKeep,
        }
    }
}

/// The origin of a video link, as the browser reads it.
pub fn video_origin(url: &str, parser: &impl UrlParser) -> Option<String> {
    parser
        .parse(url, None)
        .map(|p| p.origin)
        .filter(|o| is_origin(o))
}

/// What a card says about its kept copy.
pub fn kept_line(k: &KeptVideo) -> Msg {
    Msg::new("keep.kept").with("bytes", super::image::bytes_text(k.bytes))
}

/// How many videos are kept and their size, in words.
pub fn kept_total(count: u64, bytes: u64) -> Msg {
    Msg::new("keep.total")
        .with("n", count.to_string())
        .with("bytes", super::image::bytes_text(bytes))
}

/// The browser's own figures for this site's storage, in words: what is used of what it allows,
/// and whether it promised to keep it (persistent storage).
pub fn quota_line(usage: u64, quota: u64, persistent: bool) -> Msg {
    let m = Msg::new("keep.quota")
        .with("used", super::image::bytes_text(usage))
        .with("quota", super::image::bytes_text(quota));
    m.then(Msg::new(if persistent {
        "keep.persistent"
    } else {
        "keep.not_persistent"
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testing::record;
    use crate::domain::url::testing::Whatwg;

    #[test]
    fn the_choice_reads_its_stored_words_and_defaults_to_keeping() {
        for k in KeepVideos::ALL {
            let text = crate::json::to_string(&k).unwrap();
            assert_eq!(text, format!("\"{}\"", k.as_str()));
            assert_eq!(crate::json::from_str::<KeepVideos>(&text).unwrap(), k);
        }
        assert_eq!(KeepVideos::default(), KeepVideos::Auto);
    }

    #[test]
    fn hosts_are_learnt_once_and_bad_data_is_forgotten() {
        let mut h = VideoHosts::parse("not a host list");
        assert_eq!(h, VideoHosts::default());
        h.learn("https://oss.example.com", false);
        h.learn("javascript:alert(1)", true);
        h.learn("https://a.example/path", true);
        assert_eq!(h.readable("https://oss.example.com"), Some(false));
        assert_eq!(h.readable("https://other.example"), None);
        let text = h.to_text();
        assert_eq!(text, "0 https://oss.example.com\n");
        assert_eq!(VideoHosts::parse(&text), h);
        let hostile = VideoHosts::parse(
            "1 https://ok.example\n0 data:x\n2 https://b.example\n1 https://ok.example\nx",
        );
        assert_eq!(hostile.readable("https://ok.example"), Some(true));
        assert_eq!(hostile.readable("data:x"), None);
        assert_eq!(hostile.readable("https://b.example"), None);
        assert_eq!(hostile.to_text(), "1 https://ok.example\n");
        h.learn("https://oss.example.com", true);
        assert_eq!(
            h.to_text(),
            "1 https://oss.example.com\n",
            "an answer replaces the last"
        );
        for i in 0..HOSTS_KEPT + 5 {
            h.learn(&format!("https://h{i:03}.example"), true);
        }
        assert_eq!(h.0.len(), HOSTS_KEPT);
        assert_eq!(
            h.readable("https://h000.example"),
            None,
            "the earliest went"
        );
        assert_eq!(VideoHosts::parse(&h.to_text()), h);
    }

    #[test]
    fn a_take_is_kept_keepable_unreadable_or_lost() {
        let p = Whatwg;
        let url = "https://v.example.com/a.mp4?Expires=2000&Signature=x";
        let mut t = record("a", 1, TaskStatus::Running);
        let hosts = VideoHosts::default();
        assert_eq!(KeepState::of(&t, 0, &hosts, &p), KeepState::NoVideo);
        t.snapshot.status = TaskStatus::Succeeded;
        assert_eq!(KeepState::of(&t, 0, &hosts, &p), KeepState::NoVideo);
        t.snapshot.video_url = Some(url.into());
        assert_eq!(KeepState::of(&t, 1_000, &hosts, &p), KeepState::CanKeep);
        let mut refused = VideoHosts::default();
        refused.learn("https://v.example.com", false);
        assert_eq!(
            KeepState::of(&t, 1_000, &refused, &p),
            KeepState::Unreadable
        );
        assert_eq!(KeepState::of(&t, 2_000_001, &hosts, &p), KeepState::Lost);
        let k = KeptVideo {
            hash: "ab".repeat(32),
            bytes: 3_200_000,
        };
        t.kept = Some(k.clone());
        assert_eq!(
            KeepState::of(&t, 2_000_001, &hosts, &p),
            KeepState::Kept(k.clone())
        );
        assert_eq!(
            KeepState::evicted(&t, 1_000, &hosts, &p),
            KeepState::Evicted { can_keep: true }
        );
        assert_eq!(
            KeepState::evicted(&t, 1_000, &refused, &p),
            KeepState::Evicted { can_keep: false }
        );
        assert_eq!(
            KeepState::evicted(&t, 2_000_001, &hosts, &p),
            KeepState::Evicted { can_keep: false }
        );
        assert_eq!(
            video_origin(url, &p).as_deref(),
            Some("https://v.example.com")
        );
        assert!(kept_line(&k).en().contains("3.2 MB"));
    }

    #[test]
    fn a_take_is_flagged_hours_before_its_link_dies_unless_kept_or_downloaded() {
        let p = Whatwg;
        let expires_s = 100_000;
        let mut t = record("a", 1, TaskStatus::Succeeded);
        t.snapshot.video_url = Some(format!(
            "https://v.example.com/a.mp4?Expires={expires_s}&Signature=x"
        ));
        let hosts = VideoHosts::default();
        let expiry = expires_s * 1000;
        let at = |now: i64, t: &TaskRecord| expiring_at(t, now, &hosts, &p, false);
        assert_eq!(at(expiry - REMIND_BEFORE_MS - 1, &t), None, "not yet");
        assert_eq!(at(expiry - REMIND_BEFORE_MS, &t), Some(expiry));
        assert_eq!(at(expiry - 1, &t), Some(expiry));
        assert_eq!(at(expiry, &t), None, "dead already: nothing to remind");
        let mut refused = VideoHosts::default();
        refused.learn("https://v.example.com", false);
        assert_eq!(
            expiring_at(&t, expiry - 1, &refused, &p, false),
            Some(expiry)
        );
        let mut downloaded = t.clone();
        downloaded.downloaded = true;
        assert_eq!(at(expiry - 1, &downloaded), None);
        let mut kept = t.clone();
        kept.kept = Some(KeptVideo::default());
        assert_eq!(at(expiry - 1, &kept), None);
        let gone = |now: i64| expiring_at(&kept, now, &hosts, &p, true);
        assert_eq!(
            gone(expiry - 1),
            Some(expiry),
            "a kept copy the browser let go"
        );
        assert_eq!(gone(expiry - REMIND_BEFORE_MS - 1), None, "not yet");
        assert_eq!(gone(expiry), None, "dead already");
        assert_eq!(reminder(0), None);
        let m = reminder(3).unwrap();
        assert!(m.en().contains('3') && m.en().contains("2 h"), "{}", m.en());
    }

    #[test]
    fn totals_and_the_quota_are_said_in_words() {
        assert!(kept_total(2, 5_000_000).en().contains("5.0 MB"));
        let q = quota_line(1_500_000_000, 10_000_000_000, true);
        assert!(q.en().contains("1.5 GB"), "{}", q.en());
        assert!(q.en().contains("10.0 GB"));
        assert!(q.zh().contains("1.5 GB"));
        assert_ne!(q.en(), quota_line(1, 2, false).en());
    }
}
