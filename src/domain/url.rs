//! URLs as the browser reads them: one place for every URL the app checks (API endpoints, media
//! links, hosts shown to the user).
//!
//! Parsing is not re-implemented here. The checks take a [`UrlParser`]: in the page it is the
//! browser's own `URL` (`state::browser::BrowserUrl`), in native tests the WHATWG `url` crate,
//! which implements the same standard. So "same origin" means the parsed origin equals the
//! page's, a host is compared as the browser will call it (lower case, punycode), and anything
//! the two readings could disagree on (a backslash, a character outside printable ASCII, user
//! info, a fragment) is refused with a message that names it.

use super::message::Msg;

/// The parts of a parsed URL, as the WHATWG URL Standard (the browser's `URL` object) gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UrlParts {
    /// The whole URL, normalised (`https://www.dmxapi.cn/v1/responses`).
    pub href: String,
    /// The scheme with its colon (`https:`).
    pub protocol: String,
    /// User name (refused wherever it is not empty).
    pub username: String,
    /// Password (refused wherever it is not empty).
    pub password: String,
    /// The host as the browser calls it: lower case, punycode, IPv6 in brackets, no port.
    pub hostname: String,
    /// The port, empty for the scheme's default.
    pub port: String,
    /// The path (`/v1/responses`).
    pub pathname: String,
    /// The query with its `?`, or empty.
    pub search: String,
    /// The fragment with its `#`, or empty.
    pub hash: String,
    /// The origin (`https://www.dmxapi.cn`), `null` for opaque ones.
    pub origin: String,
}

impl UrlParts {
    /// Host and port (`127.0.0.1:9090`), as shown to the user.
    pub fn host(&self) -> String {
        if self.port.is_empty() {
            self.hostname.clone()
        } else {
            format!("{}:{}", self.hostname, self.port)
        }
    }
}

/// Something that parses URLs by the WHATWG rules (the browser's `URL`).
pub trait UrlParser {
    /// Parses `input`, relative to `base` when given; `None` when the browser would refuse it.
    fn parse(&self, input: &str, base: Option<&str>) -> Option<UrlParts>;
}

/// Where the page itself is: what same-origin paths resolve against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// The page's full URL (`location.href`).
    pub href: String,
    /// The page's origin (`location.origin`): `null` for `file://`.
    pub origin: String,
}

/// True for hosts that mean "this machine": exactly `localhost`, an IPv4 address in
/// 127.0.0.0/8 in the parser's dotted-decimal form, or `[::1]`. Never a prefix match:
/// `127.0.0.1.evil.example` is not loopback.
pub fn is_loopback_host(hostname: &str) -> bool {
    if hostname == "localhost" || hostname == "[::1]" {
        return true;
    }
    let octets: Vec<&str> = hostname.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets.iter().all(|o| {
            (1..=3).contains(&o.len())
                && o.bytes().all(|b| b.is_ascii_digit())
                && o.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// How an endpoint is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    /// The browser calls the endpoint's site itself (it must allow CORS).
    Direct,
    /// A path on the page's own site, which forwards the call (a relay).
    SameOrigin,
}

/// An endpoint that passed every check: where the browser will really send the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The absolute URL called (normalised by the parser).
    pub url: String,
    /// What to show: origin (punycode) + path + query, exactly what is called.
    pub shown: String,
    /// Host and port, for short labels.
    pub host: String,
    /// Direct or through the page's own site.
    pub kind: EndpointKind,
}

/// Names a character the way an error message should: `“ａ” (U+FF41)`, or the code point alone
/// for invisible ones.
pub fn describe_char(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if c.is_control() || c.is_whitespace() || is_invisible(c) {
        code
    } else {
        format!("“{c}” ({code})")
    }
}

/// Zero-width and other format characters that copy-paste brings along unseen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
    )
}

/// The first character of `raw` that is not printable ASCII, if any.
fn first_non_printable_ascii(raw: &str) -> Option<char> {
    raw.chars().find(|c| !(' '..='~').contains(c))
}

/// The host as typed in an absolute URL: between `://` and the first `/ ? #`, without user
/// info or port, lower case. Used to refuse URLs whose host the browser would read differently
/// from how it reads to a person (`127.1`, `%2E`, a trailing `@…`).
fn typed_host(raw: &str) -> Option<String> {
    let rest = raw.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host_port.starts_with('[') {
        host_port.split_inclusive(']').next().unwrap_or(host_port)
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    Some(host.to_ascii_lowercase())
}

/// Checks an endpoint as typed in Settings or given by a team's `config.json`, and says where the
/// browser will really call: `https://` anywhere, `http://` only to this machine, or a path on
/// the page's own site (`/dmxapi/v1/responses`, same origin by the parser's reading).
pub fn parse_endpoint(raw: &str, page: &Page, parser: &impl UrlParser) -> Result<Endpoint, Msg> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Msg::new("settings.error.endpoint"));
    }
    if let Some(c) = first_non_printable_ascii(raw) {
        return Err(Msg::new("url.error.character").with("char", describe_char(c)));
    }
    if raw.contains(' ') {
        return Err(Msg::new("url.error.character").with("char", "U+0020"));
    }
    if raw.contains('\\') {
        return Err(Msg::new("url.error.backslash"));
    }
    if raw.contains('#') {
        return Err(Msg::new("url.error.fragment"));
    }
    if raw.starts_with('/') && !raw.starts_with("//") {
        let parsed = parser
            .parse(raw, Some(&page.href))
            .ok_or_else(|| Msg::new("settings.error.endpoint"))?;
        let page_is_web = page.origin.starts_with("https://") || page.origin.starts_with("http://");
        if !page_is_web || parsed.origin != page.origin {
            return Err(Msg::new("url.error.not_same_origin"));
        }
        return Ok(Endpoint {
            shown: format!("{}{}{}", parsed.origin, parsed.pathname, parsed.search),
            host: parsed.host(),
            url: parsed.href,
            kind: EndpointKind::SameOrigin,
        });
    }
    let parsed = parser
        .parse(raw, None)
        .ok_or_else(|| Msg::new("settings.error.endpoint"))?;
    if !parsed.username.is_empty() || !parsed.password.is_empty() || raw.contains('@') {
        return Err(Msg::new("url.error.userinfo"));
    }
    let secure = parsed.protocol == "https:";
    let local_http = parsed.protocol == "http:" && is_loopback_host(&parsed.hostname);
    if parsed.hostname.is_empty() || !(secure || local_http) {
        return Err(Msg::new("settings.error.endpoint"));
    }
    if typed_host(raw).as_deref() != Some(parsed.hostname.as_str()) {
        return Err(Msg::new("url.error.host_differs").with("host", &parsed.hostname));
    }
    Ok(Endpoint {
        shown: format!("{}{}{}", parsed.origin, parsed.pathname, parsed.search),
        host: parsed.host(),
        url: parsed.href,
        kind: EndpointKind::Direct,
    })
}

/// A link from a relay that may become a `<video src>` or an Open link: `https://` anywhere or
/// `http://` to this machine, never with user info. Returns the parser's normalised URL.
pub fn media_url(raw: &str, parser: &impl UrlParser) -> Option<String> {
    let parsed = parser.parse(raw.trim(), None)?;
    let secure = parsed.protocol == "https:" && !parsed.hostname.is_empty();
    let local_http = parsed.protocol == "http:" && is_loopback_host(&parsed.hostname);
    let no_userinfo = parsed.username.is_empty() && parsed.password.is_empty();
    ((secure || local_http) && no_userinfo).then_some(parsed.href)
}

/// The host (and port) of an absolute URL as the browser reads it, for labels such as
/// "belongs to <host>"; the text itself, cut short, when it does not parse.
pub fn host_label(raw: &str, page: &Page, parser: &impl UrlParser) -> String {
    match parser.parse(raw.trim(), Some(&page.href)) {
        Some(p) if !p.hostname.is_empty() => p.host(),
        _ => raw.chars().take(60).collect(),
    }
}

#[doc(hidden)]
pub mod cases {
    //! The URL tables every parser must agree on: the native tests run them through the `url`
    //! crate, the browser tests through the browser's own `URL` (the page's parser), against a
    //! page at `https://team.example/tools/wan/`.

    /// What an endpoint case expects: `Ok((what is called, same origin?))` or `Err(a word the
    /// refusal must contain)`.
    pub type Expect = Result<(&'static str, bool), &'static str>;

    /// Endpoints as typed, and what each must give.
    pub const ENDPOINTS: &[(&str, Expect)] = &[
        (
            "https://www.dmxapi.cn/v1/responses",
            Ok(("https://www.dmxapi.cn/v1/responses", false)),
        ),
        (
            "HTTPS://WWW.DMXAPI.CN/v1/responses",
            Ok(("https://www.dmxapi.cn/v1/responses", false)),
        ),
        (
            "http://127.0.0.1:9090/v1/responses",
            Ok(("http://127.0.0.1:9090/v1/responses", false)),
        ),
        (
            "http://localhost:9090/v1/responses",
            Ok(("http://localhost:9090/v1/responses", false)),
        ),
        (
            "http://[::1]:9090/v1/responses",
            Ok(("http://[::1]:9090/v1/responses", false)),
        ),
        (
            "https://relay.example/v1/responses?group=a",
            Ok(("https://relay.example/v1/responses?group=a", false)),
        ),
        (
            "/dmxapi/v1/responses",
            Ok(("https://team.example/dmxapi/v1/responses", true)),
        ),
        (
            "  /dmxapi/v1/responses ",
            Ok(("https://team.example/dmxapi/v1/responses", true)),
        ),
        // `/\host` is `//host` to the parser: another origin.
        ("/\\evil.example/v1/responses", Err("backslash")),
        ("//evil.example/v1/responses", Err("https://")),
        ("https://evil.example#@www.dmxapi.cn", Err("#")),
        ("https://www.dmxapi.cn@evil.example/v1", Err("user")),
        ("https://user:pw@host.example/v1", Err("user")),
        (
            "https://www\u{ff0e}dmxapi\u{ff0e}cn/v1/responses",
            Err("U+FF0E"),
        ),
        ("https://www.dmx\u{430}pi.cn/v1/responses", Err("U+0430")),
        ("https://www.dmxapi.cn\u{200b}/v1/responses", Err("U+200B")),
        (
            "http://127.0.0.1.evil.example/v1/responses",
            Err("https://"),
        ),
        ("http://127.1:9090/v1/responses", Err("127.0.0.1")),
        ("http://0x7f.0.0.1:9090/v1/responses", Err("127.0.0.1")),
        ("https://www%2Edmxapi.cn/v1/responses", Err("www.dmxapi.cn")),
        ("http://www.dmxapi.cn/v1/responses", Err("https://")),
        ("http://192.168.1.2/v1/responses", Err("https://")),
        ("ftp://x/y", Err("https://")),
        ("javascript:alert(1)", Err("https://")),
        ("https://", Err("https://")),
        ("https://exa mple.com", Err("U+0020")),
        ("www.dmxapi.cn/v1/responses", Err("https://")),
        ("", Err("https://")),
    ];

    /// Every case `parser` reads differently from the tables (empty when it agrees).
    pub fn disagreements(parser: &impl super::UrlParser) -> Vec<String> {
        let page = super::Page {
            href: "https://team.example/tools/wan/".into(),
            origin: "https://team.example".into(),
        };
        let mut wrong = Vec::new();
        for (raw, want) in ENDPOINTS {
            let got = super::parse_endpoint(raw, &page, parser);
            let agrees = match (&got, want) {
                (Ok(e), Ok((shown, same_origin))) => {
                    e.shown == *shown
                        && e.url == *shown
                        && (e.kind == super::EndpointKind::SameOrigin) == *same_origin
                }
                (Err(e), Err(says)) => e.en().contains(says) && !e.zh().is_empty(),
                _ => false,
            };
            if !agrees {
                wrong.push(format!("endpoint {raw:?}: {got:?}"));
            }
        }
        for &(url, ok) in MEDIA {
            if super::media_url(url, parser).is_some() != ok {
                wrong.push(format!("media {url:?}: expected usable = {ok}"));
            }
        }
        wrong
    }

    /// Links a relay may send for a video: usable or not.
    pub const MEDIA: &[(&str, bool)] = &[
        (
            "https://x.aliyuncs.com/a.mp4?Expires=1&Signature=a%2Fb",
            true,
        ),
        ("http://127.0.0.1:9090/video/a.mp4", true),
        ("http://localhost/a.mp4", true),
        ("http://127.0.0.1.evil.example/a.mp4", false),
        ("http://127.0.0.1@evil.example/a.mp4", false),
        ("https://user:pw@x.example/a.mp4", false),
        ("http://example.com/a.mp4", false),
        ("javascript:alert(1)", false),
        ("data:video/mp4;base64,AAAA", false),
        ("https://", false),
        ("", false),
    ];
}

#[cfg(test)]
pub mod testing {
    //! The WHATWG `url` crate as a [`UrlParser`], for native tests (the page uses the browser's
    //! own `URL`; both implement the same standard, and a browser test compares them).

    use super::{UrlParser, UrlParts};

    /// Parses with the `url` crate.
    pub struct Whatwg;

    impl UrlParser for Whatwg {
        fn parse(&self, input: &str, base: Option<&str>) -> Option<UrlParts> {
            let u = match base {
                Some(b) => url::Url::parse(b).ok()?.join(input).ok()?,
                None => url::Url::parse(input).ok()?,
            };
            Some(UrlParts {
                href: u.as_str().to_string(),
                protocol: format!("{}:", u.scheme()),
                username: u.username().to_string(),
                password: u.password().unwrap_or("").to_string(),
                hostname: u.host_str().unwrap_or("").to_string(),
                port: u.port().map(|p| p.to_string()).unwrap_or_default(),
                pathname: u.path().to_string(),
                search: u.query().map(|q| format!("?{q}")).unwrap_or_default(),
                hash: u.fragment().map(|f| format!("#{f}")).unwrap_or_default(),
                origin: u.origin().ascii_serialization(),
            })
        }
    }

    /// A page served from `https://team.example/tools/wan/`.
    pub fn page() -> super::Page {
        super::Page {
            href: "https://team.example/tools/wan/".into(),
            origin: "https://team.example".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{page, Whatwg};
    use super::*;

    fn endpoint(raw: &str) -> Result<Endpoint, Msg> {
        parse_endpoint(raw, &page(), &Whatwg)
    }

    #[test]
    fn loopback_is_exactly_localhost_127_8_and_ipv6() {
        for (host, ok) in [
            ("localhost", true),
            ("127.0.0.1", true),
            ("127.255.0.9", true),
            ("[::1]", true),
            ("127.0.0.1.evil.example", false),
            ("127.evil.example", false),
            ("127.0.0.256", false),
            ("127.0.0", false),
            ("localhost.evil.example", false),
            ("128.0.0.1", false),
            ("::1", false),
            ("", false),
        ] {
            assert_eq!(is_loopback_host(host), ok, "{host}");
        }
    }

    #[test]
    fn endpoints_and_media_links_are_what_the_browser_calls() {
        let wrong = cases::disagreements(&Whatwg);
        assert!(wrong.is_empty(), "{wrong:#?}");
        assert_eq!(
            endpoint("  /dmxapi/v1/responses ").unwrap().kind,
            EndpointKind::SameOrigin
        );
    }

    #[test]
    fn same_origin_paths_need_a_web_page() {
        let file = Page {
            href: "file:///home/me/wan-studio.html".into(),
            origin: "null".into(),
        };
        assert!(parse_endpoint("/dmxapi/v1/responses", &file, &Whatwg).is_err());
        assert!(parse_endpoint("https://www.dmxapi.cn/v1/responses", &file, &Whatwg).is_ok());
    }

    #[test]
    fn media_urls_are_used_in_their_normalised_form() {
        // The normalised form is what gets used (punycode host, no stray characters).
        assert_eq!(
            media_url("https://BÜCHER.example/a.mp4", &Whatwg).as_deref(),
            Some("https://xn--bcher-kva.example/a.mp4")
        );
    }

    #[test]
    fn characters_are_named() {
        assert_eq!(describe_char('\u{200b}'), "U+200B");
        assert_eq!(describe_char('中'), "“中” (U+4E2D)");
        assert_eq!(describe_char('\n'), "U+000A");
        assert!(is_invisible('\u{feff}') && !is_invisible('a'));
    }

    #[test]
    fn hosts_are_labelled_as_called() {
        assert_eq!(
            host_label("https://EVIL.example:8443/v1", &page(), &Whatwg),
            "evil.example:8443"
        );
        assert_eq!(host_label("/relay/v1", &page(), &Whatwg), "team.example");
    }
}
