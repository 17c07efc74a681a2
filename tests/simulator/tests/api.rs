//! End-to-end tests: start the simulator in-process on port 0 and talk to it
//! with a minimal HTTP/1.1 client over `TcpStream` (`Connection: close`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use dmxapi_sim::{start, Config, Handle, CLIP};
use serde_json::{json, Value};

const KEY: &str = "sk-test0123456789abcdefABCDEF0123456789abcdefABCDEF";
const SUBMIT_FIXTURE: &str = include_str!("../../fixtures/submit-request.json");

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Parses the envelope's output_text as the inner JSON object.
    fn inner(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text());
        let env = self.json();
        let text = env["output"][0]["content"][0]["text"]
            .as_str()
            .unwrap_or_else(|| panic!("no output_text: {env}"));
        serde_json::from_str(text).unwrap_or_else(|e| panic!("inner not JSON ({e}): {text}"))
    }
}

fn http(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read reply");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let resp = Resp {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    assert!(
        resp.header("transfer-encoding").is_none(),
        "unexpected chunked reply"
    );
    resp
}

fn sim(pending_ms: u64, running_ms: u64) -> Handle {
    sim_with(Config {
        pending_ms,
        running_ms,
        ..test_config()
    })
}

fn test_config() -> Config {
    Config {
        port: 0,
        quiet: true,
        ..Config::default()
    }
}

fn sim_with(config: Config) -> Handle {
    start(config).expect("start simulator")
}

fn post(h: &Handle, body: &str, auth: Option<&str>) -> Resp {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(a) = auth {
        headers.push(("Authorization", a));
    }
    http(h.addr(), "POST", "/v1/responses", &headers, body.as_bytes())
}

fn submit(h: &Handle, body: &str) -> Resp {
    post(h, body, Some(KEY))
}

fn query(h: &Handle, task_id: &str) -> Resp {
    post(
        h,
        &json!({"model": "wan2.6-get", "input": task_id}).to_string(),
        Some(KEY),
    )
}

fn control(h: &Handle, method: &str, path: &str, body: &Value) -> Resp {
    let body = body.to_string();
    http(h.addr(), method, path, &[], body.as_bytes())
}

fn add_faults(h: &Handle, faults: Value) {
    let r = control(h, "POST", "/__sim/faults", &faults);
    assert_eq!(r.status, 200, "{}", r.text());
}

fn submit_task(h: &Handle) -> String {
    let inner = submit(h, SUBMIT_FIXTURE).inner();
    inner["task_id"].as_str().unwrap().to_string()
}

/// Polls until the task reaches a terminal status (bounded).
fn wait_terminal(h: &Handle, id: &str) -> (Value, String) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = query(h, id);
        let inner = r.inner();
        let status = inner["task_status"].as_str().unwrap().to_string();
        if status != "PENDING" && status != "RUNNING" {
            return (inner, r.text());
        }
        assert!(Instant::now() < deadline, "task {id} never finished");
        thread::sleep(Duration::from_millis(15));
    }
}

fn is_uuid_v4(s: &str) -> bool {
    dmxapi_sim::ids::is_uuid_v4(s)
}

fn is_china_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 23
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 => c == b':',
            19 => c == b'.',
            _ => c.is_ascii_digit(),
        })
}

/// Milliseconds of the day of a `YYYY-MM-DD HH:MM:SS.mmm` time.
fn day_ms(s: &str) -> i64 {
    let h: i64 = s[11..13].parse().unwrap();
    let m: i64 = s[14..16].parse().unwrap();
    let sec: i64 = s[17..19].parse().unwrap();
    let ms: i64 = s[20..23].parse().unwrap();
    ((h * 60 + m) * 60 + sec) * 1000 + ms
}

fn assert_relay_error(r: &Resp, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(msg.contains(" (request id: "), "{msg}");
    assert_eq!(v["error"]["type"], "new_api_error");
    assert!(v["error"]["code"].is_string() || v["error"]["code"].is_null());
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    v
}

/// Path and query of an absolute URL served by `h`.
fn local_target(h: &Handle, url: &str) -> String {
    url.strip_prefix(h.base_url())
        .unwrap_or_else(|| panic!("{url} is not under {}", h.base_url()))
        .to_string()
}

fn succeeded_video_target(h: &Handle) -> (String, String) {
    let id = submit_task(h);
    let (inner, _) = wait_terminal(h, &id);
    assert_eq!(inner["task_status"], "SUCCEEDED");
    (id, local_target(h, inner["video_url"].as_str().unwrap()))
}

#[test]
fn submit_with_fixture_body_returns_pending_envelope() {
    let h = sim(60_000, 60_000);
    let r = submit(&h, SUBMIT_FIXTURE);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("Retry-After")
    );
    let env = r.json();
    assert!(is_uuid_v4(env["request_id"].as_str().unwrap()));
    assert_eq!(env["output"][0]["type"], "message");
    assert_eq!(env["output"][0]["content"][0]["type"], "output_text");
    assert_eq!(
        env["usage"],
        json!({"total_tokens": 100000, "input_tokens": 0,
               "input_tokens_details": {"cached_tokens": 0},
               "output_tokens": 100000,
               "output_tokens_details": {"reasoning_tokens": 0}})
    );
    let inner = r.inner();
    assert_eq!(inner.as_object().unwrap().len(), 2, "{inner}");
    assert_eq!(inner["task_status"], "PENDING");
    assert!(is_uuid_v4(inner["task_id"].as_str().unwrap()), "{inner}");
    // Same shape and key order as fixtures/submit-response.json.
    assert!(
        r.text().contains(r#""text":"{\"task_id\":\""#),
        "{}",
        r.text()
    );
    // Two submits give different ids.
    assert_ne!(submit_task(&h), inner["task_id"].as_str().unwrap());
}

#[test]
fn query_progresses_pending_running_succeeded() {
    let h = sim(700, 700);
    let id = submit_task(&h);
    let prompt = serde_json::from_str::<Value>(SUBMIT_FIXTURE).unwrap()["input"]["prompt"].clone();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut seen: Vec<String> = Vec::new();
    let last = loop {
        let inner = query(&h, &id).inner();
        let status = inner["task_status"].as_str().unwrap().to_string();
        assert_eq!(inner["task_id"], id.as_str());
        assert_eq!(inner["orig_prompt"], prompt);
        assert!(
            is_china_time(inner["submit_time"].as_str().unwrap()),
            "{inner}"
        );
        match status.as_str() {
            "PENDING" => {
                assert!(inner.get("scheduled_time").is_none(), "{inner}");
                assert!(inner.get("end_time").is_none());
                assert!(inner.get("video_url").is_none());
            }
            "RUNNING" => {
                assert!(is_china_time(inner["scheduled_time"].as_str().unwrap()));
                assert!(inner.get("end_time").is_none());
                assert!(inner.get("video_url").is_none());
            }
            "SUCCEEDED" => {}
            other => panic!("unexpected status {other}"),
        }
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "SUCCEEDED" {
            break inner;
        }
        assert!(Instant::now() < deadline, "no progress: {seen:?}");
        thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(seen, ["PENDING", "RUNNING", "SUCCEEDED"]);
    let submit_t = last["submit_time"].as_str().unwrap();
    let sched_t = last["scheduled_time"].as_str().unwrap();
    let end_t = last["end_time"].as_str().unwrap();
    assert!(is_china_time(end_t));
    let day = 86_400_000;
    assert_eq!((day_ms(sched_t) - day_ms(submit_t)).rem_euclid(day), 700);
    assert_eq!((day_ms(end_t) - day_ms(sched_t)).rem_euclid(day), 700);
    let keys: Vec<&String> = last.as_object().unwrap().keys().collect();
    let mut expected = vec![
        "end_time",
        "orig_prompt",
        "scheduled_time",
        "submit_time",
        "task_id",
        "task_status",
        "video_url",
    ];
    expected.sort();
    let mut keys: Vec<&str> = keys.iter().map(|s| s.as_str()).collect();
    keys.sort();
    assert_eq!(keys, expected);
}

#[test]
fn succeeded_body_escapes_ampersands_and_signs_the_link() {
    let h = sim(0, 0);
    let id = submit_task(&h);
    let r = query(&h, &id);
    let raw = r.text();
    assert!(raw.contains(r"\u0026OSSAccessKeyId="), "{raw}");
    assert!(raw.contains(r"\u0026Signature="), "{raw}");
    assert!(!raw.contains('&'), "raw & in {raw}");
    let env = r.json();
    assert_eq!(env["usage"]["input_tokens"], 100000);
    assert_eq!(env["usage"]["output_tokens"], 0);
    // The inner text keeps the escape too (it is what the client parses).
    let text = env["output"][0]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains(r"\u0026"));
    let inner = r.inner();
    assert_eq!(inner["task_status"], "SUCCEEDED");
    let url = inner["video_url"].as_str().unwrap();
    let prefix = format!("{}/video/{id}.mp4?Expires=", h.base_url());
    assert!(url.starts_with(&prefix), "{url}");
    let rest = &url[prefix.len()..];
    let (expires, tail) = rest.split_once('&').unwrap();
    let expires: u64 = expires.parse().unwrap();
    let now = dmxapi_sim::time::now_epoch_ms() / 1000;
    assert!(
        expires >= now + 86_400 - 5 && expires <= now + 86_400 + 1,
        "{expires} vs {now}"
    );
    let sig = tail
        .strip_prefix("OSSAccessKeyId=LTAIsimulator0000&Signature=")
        .unwrap_or_else(|| panic!("{url}"));
    assert!(!sig.is_empty() && sig.chars().all(|c| c.is_ascii_alphanumeric() || c == '%'));
    assert!(sig.ends_with("%3D"), "{sig}");
    // Stable across queries.
    assert_eq!(query(&h, &id).inner()["video_url"], url);
}

#[test]
fn auth_default_mode_accepts_sk_keys_only() {
    let h = sim(60_000, 0);
    let v = assert_relay_error(&post(&h, SUBMIT_FIXTURE, None), 401);
    assert!(v["error"]["message"].as_str().unwrap().contains("令牌"));
    let r = post(&h, SUBMIT_FIXTURE, Some(""));
    assert_relay_error(&r, 401);
    assert!(r.header("x-oneapi-request-id").is_some());
    for bad in ["sk-1234", "pk-12345678", "Bearer sk-1"] {
        assert_relay_error(&post(&h, SUBMIT_FIXTURE, Some(bad)), 401);
    }
    assert_eq!(post(&h, SUBMIT_FIXTURE, Some("sk-12345")).status, 200);
    assert_eq!(
        post(&h, SUBMIT_FIXTURE, Some(&format!("Bearer {KEY}"))).status,
        200
    );
    // Queries are authenticated too.
    let q = json!({"model": "wan2.6-get", "input": "x"}).to_string();
    assert_relay_error(&post(&h, &q, None), 401);
}

#[test]
fn auth_with_configured_keys() {
    let h = sim_with(Config {
        keys: vec!["sk-right-key-1".into(), "sk-right-key-2".into()],
        ..test_config()
    });
    assert_relay_error(&post(&h, SUBMIT_FIXTURE, Some(KEY)), 401);
    assert_relay_error(&post(&h, SUBMIT_FIXTURE, Some("Bearer sk-wrong-key")), 401);
    assert_eq!(post(&h, SUBMIT_FIXTURE, Some("sk-right-key-1")).status, 200);
    assert_eq!(
        post(&h, SUBMIT_FIXTURE, Some("Bearer sk-right-key-2")).status,
        200
    );
}

#[test]
fn bad_parameters_are_rejected_with_the_field_name() {
    let h = sim(60_000, 0);
    let base: Value = serde_json::from_str(SUBMIT_FIXTURE).unwrap();
    let with = |path: &[&str], v: Value| {
        let mut b = base.clone();
        let mut cur = &mut b;
        for p in &path[..path.len() - 1] {
            cur = &mut cur[*p];
        }
        cur[path[path.len() - 1]] = v;
        b.to_string()
    };
    let cases = [
        (
            with(&["parameters", "size"], json!("1920*1088")),
            "parameters.size",
        ),
        (
            with(&["parameters", "duration"], json!(16)),
            "parameters.duration",
        ),
        (
            with(&["parameters", "duration"], json!(1)),
            "parameters.duration",
        ),
        (with(&["input", "prompt"], json!("   ")), "input.prompt"),
        (
            with(&["input", "prompt"], json!("猫".repeat(1501))),
            "input.prompt",
        ),
        (
            with(&["input", "negative_prompt"], json!("x".repeat(501))),
            "input.negative_prompt",
        ),
        (
            with(&["input", "audio_url"], json!("file:///a.mp3")),
            "input.audio_url",
        ),
        (
            with(&["parameters", "shot_type"], json!("many")),
            "parameters.shot_type",
        ),
        (
            with(&["parameters", "watermark"], json!("no")),
            "parameters.watermark",
        ),
        (
            with(&["parameters", "seed"], json!(2_147_483_648_i64)),
            "parameters.seed",
        ),
    ];
    for (body, field) in cases {
        let v = assert_relay_error(&submit(&h, &body), 400);
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(msg.contains(field), "{field}: {msg}");
    }
    // Limits are inclusive and count characters, not bytes.
    let ok = with(&["input", "prompt"], json!("猫".repeat(1500)));
    assert_eq!(submit(&h, &ok).status, 200);
    // Unknown fields are ignored; another model's parameter is refused, naming it.
    let extra = with(&["parameters", "foo"], json!("1080P"));
    assert_eq!(submit(&h, &extra).status, 200);
    let other = with(&["parameters", "resolution"], json!("1080P"));
    let v = assert_relay_error(&submit(&h, &other), 400);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("parameters.resolution"));
    // Malformed JSON, unknown and missing model.
    assert_relay_error(&submit(&h, "{\"model\": "), 400);
    let v = assert_relay_error(
        &submit(&h, r#"{"model":"wan9-t2v","input":{"prompt":"x"}}"#),
        503,
    );
    assert!(v["error"]["message"].as_str().unwrap().contains("wan9-t2v"));
    assert_relay_error(&submit(&h, r#"{"input":{"prompt":"x"}}"#), 400);
    assert_relay_error(
        &submit(&h, r#"{"model":"wan2.6-get","input":{"task":"x"}}"#),
        400,
    );
}

#[test]
fn unknown_task_and_unknown_endpoint() {
    let h = sim(0, 0);
    let inner = query(&h, "3a7d8355-ef78-48cd-863c-6cdb9707ba91").inner();
    assert_eq!(
        inner,
        json!({"task_id": "3a7d8355-ef78-48cd-863c-6cdb9707ba91", "task_status": "UNKNOWN"})
    );
    assert_relay_error(&http(h.addr(), "GET", "/v1/responses", &[], b""), 404);
    assert_relay_error(
        &http(h.addr(), "POST", "/v1/chat/completions", &[], b"{}"),
        404,
    );
}

#[test]
fn preflight_lists_headers_and_echoes_origin() {
    let h = sim(0, 0);
    let r = http(
        h.addr(),
        "OPTIONS",
        "/v1/responses",
        &[
            ("Origin", "http://127.0.0.1:8080"),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization,content-type,x-dashscope-async,x-trace-id",
            ),
        ],
        b"",
    );
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080")
    );
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("GET, POST, OPTIONS")
    );
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("authorization, content-type, x-dashscope-async, x-trace-id")
    );
    assert_eq!(r.header("access-control-max-age"), Some("600"));
    assert!(r.body.is_empty());
    let r = http(h.addr(), "OPTIONS", "/anything", &[], b"");
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("authorization, content-type, x-dashscope-async")
    );
}

#[test]
fn video_supports_full_range_and_head_requests() {
    let h = sim(0, 0);
    let (_, target) = succeeded_video_target(&h);
    let len = CLIP.len();
    let r = http(h.addr(), "GET", &target, &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("video/mp4"));
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
    assert_eq!(r.header("content-length"), Some(len.to_string().as_str()));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r.body == CLIP);

    let r = http(h.addr(), "GET", &target, &[("Range", "bytes=100-199")], b"");
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 100-199/{len}").as_str())
    );
    assert_eq!(r.header("content-length"), Some("100"));
    assert!(r.body == CLIP[100..200]);

    let r = http(h.addr(), "GET", &target, &[("Range", "bytes=1000-")], b"");
    assert_eq!(r.status, 206);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 1000-{}/{len}", len - 1).as_str())
    );
    assert!(r.body == CLIP[1000..]);

    let r = http(h.addr(), "GET", &target, &[("Range", "bytes=0-1")], b"");
    assert_eq!((r.status, r.body.as_slice()), (206, &CLIP[..2]));

    let r = http(h.addr(), "GET", &target, &[("Range", "bytes=-16")], b"");
    assert_eq!(r.status, 206);
    assert!(r.body == CLIP[len - 16..]);

    let r = http(
        h.addr(),
        "GET",
        &target,
        &[("Range", &format!("bytes={len}-"))],
        b"",
    );
    assert_eq!(r.status, 416);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes */{len}").as_str())
    );

    let r = http(h.addr(), "HEAD", &target, &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-length"), Some(len.to_string().as_str()));
    assert_eq!(r.header("content-type"), Some("video/mp4"));
    assert!(r.body.is_empty());

    let r = http(h.addr(), "HEAD", &target, &[("Range", "bytes=0-9")], b"");
    assert_eq!(r.status, 206);
    assert_eq!(r.header("content-length"), Some("10"));
    assert!(r.body.is_empty());
}

#[test]
fn expired_or_unknown_video_links_are_refused() {
    let h = sim(0, 0);
    let (id, target) = succeeded_video_target(&h);
    let (path, query) = target.split_once('?').unwrap();
    let rest = query.split_once('&').unwrap().1;
    let r = http(
        h.addr(),
        "GET",
        &format!("{path}?Expires=1000&{rest}"),
        &[],
        b"",
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.header("content-type"), Some("application/xml"));
    let body = r.text();
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");
    assert!(
        body.contains("<Message>Request has expired.</Message>"),
        "{body}"
    );
    let r = http(h.addr(), "GET", path, &[], b"");
    assert_eq!(r.status, 403);

    let far = 4_000_000_000u64;
    let r = http(
        h.addr(),
        "GET",
        &format!("/video/no-such-task.mp4?Expires={far}"),
        &[],
        b"",
    );
    assert_eq!(r.status, 404);
    assert!(r.text().contains("<Code>NoSuchKey</Code>"));

    // Clock: a short link TTL makes new links expire.
    let r = control(
        &h,
        "POST",
        "/__sim/clock",
        &json!({"link_ttl_secs": 0, "running_ms": 0}),
    );
    assert_eq!(
        r.json(),
        json!({"pending_ms": 0, "running_ms": 0, "link_ttl_secs": 0})
    );
    let (_, short) = succeeded_video_target(&h);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = http(h.addr(), "GET", &short, &[], b"");
        if r.status == 403 {
            break;
        }
        assert_eq!(r.status, 200);
        assert!(Instant::now() < deadline, "link never expired");
        thread::sleep(Duration::from_millis(100));
    }
    // The first link is still fine.
    assert_eq!(http(h.addr(), "GET", &target, &[], b"").status, 200);
    assert!(target.contains(&id));
}

#[test]
fn video_of_unfinished_task_is_not_found() {
    let h = sim(60_000, 0);
    let id = submit_task(&h);
    let r = http(
        h.addr(),
        "GET",
        &format!("/video/{id}.mp4?Expires=4000000000"),
        &[],
        b"",
    );
    assert_eq!(r.status, 404);
}

#[test]
fn fault_429_with_retry_after_then_normal() {
    let h = sim(60_000, 0);
    add_faults(&h, json!({"on": "submit", "http": 429, "retry_after": 7}));
    let r = submit(&h, SUBMIT_FIXTURE);
    let v = assert_relay_error(&r, 429);
    assert_eq!(v["error"]["code"], "rate_limit_exceeded");
    assert_eq!(r.header("retry-after"), Some("7"));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("Retry-After")
    );
    assert_eq!(submit(&h, SUBMIT_FIXTURE).status, 200);

    // Custom message/code, times: 2, and only on the targeted call.
    add_faults(
        &h,
        json!([{"on": "query", "http": 504, "message": "upstream slow", "code": null, "times": 2}]),
    );
    assert_eq!(submit(&h, SUBMIT_FIXTURE).status, 200);
    for _ in 0..2 {
        let v = assert_relay_error(&query(&h, "x"), 504);
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("upstream slow (request id: "));
        assert!(v["error"]["code"].is_null());
    }
    assert_eq!(query(&h, "x").status, 200);
}

#[test]
fn task_fails_fault_ends_failed_with_code_and_message() {
    let h = sim(0, 50);
    add_faults(
        &h,
        json!({"on": "submit", "task_fails": {"code": "DataInspectionFailed", "message": "Output data may contain inappropriate content."}}),
    );
    let id = submit_task(&h);
    let (inner, _) = wait_terminal(&h, &id);
    assert_eq!(inner["task_status"], "FAILED");
    assert_eq!(inner["code"], "DataInspectionFailed");
    assert_eq!(
        inner["message"],
        "Output data may contain inappropriate content."
    );
    assert!(is_china_time(inner["end_time"].as_str().unwrap()));
    assert!(inner.get("video_url").is_none());
    let r = http(
        h.addr(),
        "GET",
        &format!("/video/{id}.mp4?Expires=4000000000"),
        &[],
        b"",
    );
    assert_eq!(r.status, 404);
    // The next task is fine.
    let (inner, _) = wait_terminal(&h, &submit_task(&h));
    assert_eq!(inner["task_status"], "SUCCEEDED");
}

#[test]
fn status_fault_overrides_reported_status() {
    let h = sim(0, 0);
    let id = submit_task(&h);
    add_faults(
        &h,
        json!([{"on": "query", "status": "CANCELED"}, {"on": "query", "status": "WEIRD_STATE", "times": 2}]),
    );
    let inner = query(&h, &id).inner();
    assert_eq!(inner["task_status"], "CANCELED");
    assert!(inner.get("video_url").is_none());
    assert_eq!(inner["task_id"], id.as_str());
    assert_eq!(query(&h, &id).inner()["task_status"], "WEIRD_STATE");
    assert_eq!(query(&h, "nope").inner()["task_status"], "WEIRD_STATE");
    assert_eq!(query(&h, &id).inner()["task_status"], "SUCCEEDED");
}

#[test]
fn requests_are_recorded_in_order_with_headers_and_body() {
    let h = sim(60_000, 0);
    let r = http(
        h.addr(),
        "OPTIONS",
        "/v1/responses",
        &[("Origin", "http://localhost:3000")],
        b"",
    );
    assert_eq!(r.status, 204);
    let r = http(
        h.addr(),
        "POST",
        "/v1/responses",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", KEY),
            ("X-DashScope-Async", "enable"),
        ],
        SUBMIT_FIXTURE.as_bytes(),
    );
    assert_eq!(r.status, 200);
    http(
        h.addr(),
        "GET",
        "/video/x.mp4?Expires=1&Signature=a%2F",
        &[],
        b"",
    );
    assert_eq!(
        control(&h, "GET", "/__sim/health", &json!(null)).text(),
        "ok"
    );
    let list = control(&h, "GET", "/__sim/requests", &json!(null)).json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3, "{list:?}");
    assert_eq!(list[0]["method"], "OPTIONS");
    assert_eq!(list[0]["headers"]["origin"], "http://localhost:3000");
    let post = &list[1];
    assert_eq!(post["method"], "POST");
    assert_eq!(post["path"], "/v1/responses");
    assert_eq!(post["query"], "");
    assert_eq!(post["headers"]["authorization"], KEY);
    assert_eq!(post["headers"]["x-dashscope-async"], "enable");
    assert_eq!(post["headers"]["content-type"], "application/json");
    assert_eq!(post["body"], SUBMIT_FIXTURE);
    assert_eq!(list[2]["method"], "GET");
    assert_eq!(list[2]["path"], "/video/x.mp4");
    assert_eq!(list[2]["query"], "Expires=1&Signature=a%2F");
    let at: Vec<u64> = list.iter().map(|r| r["at_ms"].as_u64().unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] <= w[1]), "{at:?}");
}

#[test]
fn reset_clears_requests_faults_tasks_and_clock() {
    let h = sim(60_000, 0);
    let id = submit_task(&h);
    add_faults(&h, json!({"on": "video", "http": 500, "times": 0}));
    control(&h, "POST", "/__sim/clock", &json!({"pending_ms": 5}));
    assert_eq!(
        control(&h, "GET", "/__sim/faults", &json!(null))
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let r = control(&h, "POST", "/__sim/reset", &json!(null));
    assert_eq!(r.status, 200);
    assert_eq!(
        control(&h, "GET", "/__sim/requests", &json!(null)).json(),
        json!([])
    );
    assert_eq!(
        control(&h, "GET", "/__sim/faults", &json!(null)).json(),
        json!([])
    );
    assert_eq!(
        control(&h, "GET", "/__sim/clock", &json!(null)).json()["pending_ms"],
        60_000
    );
    assert_eq!(query(&h, &id).inner()["task_status"], "UNKNOWN");
}

#[test]
fn raw_empty_output_text_and_cors_faults() {
    let h = sim(60_000, 0);
    add_faults(
        &h,
        json!([
            {"on": "submit", "raw": {"status": 502, "content_type": "text/html", "body": "<html><body>502 Bad Gateway</body></html>"}},
            {"on": "submit", "empty_output": true},
            {"on": "query", "text": "upstream error: Throttling.RateQuota"},
            {"on": "submit", "cors": false},
            {"on": "preflight", "cors": false}
        ]),
    );
    let r = submit(&h, SUBMIT_FIXTURE);
    assert_eq!(r.status, 502);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert_eq!(r.text(), "<html><body>502 Bad Gateway</body></html>");

    let r = submit(&h, SUBMIT_FIXTURE);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["output"], json!([]));

    let r = query(&h, "x");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json()["output"][0]["content"][0]["text"],
        "upstream error: Throttling.RateQuota"
    );

    let r = submit(&h, SUBMIT_FIXTURE);
    assert_eq!(r.status, 200);
    assert!(r
        .headers
        .iter()
        .all(|(k, _)| !k.to_ascii_lowercase().starts_with("access-control-")));

    let r = http(
        h.addr(),
        "OPTIONS",
        "/v1/responses",
        &[("Origin", "http://x")],
        b"",
    );
    assert_eq!(r.status, 204);
    assert!(r
        .headers
        .iter()
        .all(|(k, _)| !k.to_ascii_lowercase().starts_with("access-control-")));
    let r = http(
        h.addr(),
        "OPTIONS",
        "/v1/responses",
        &[("Origin", "http://x")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), Some("http://x"));
}

#[test]
fn bad_faults_are_rejected() {
    let h = sim(0, 0);
    for bad in [
        json!({"on": "submit"}),
        json!({"on": "submit", "http": 429, "text": "x"}),
        json!({"on": "moon", "http": 500}),
        json!({"on": "submit", "http": 500, "typo": 1}),
        json!(42),
    ] {
        let r = control(&h, "POST", "/__sim/faults", &bad);
        assert_relay_error(&r, 400);
    }
    let r = http(h.addr(), "POST", "/__sim/faults", &[], b"{not json");
    assert_relay_error(&r, 400);
    assert_eq!(
        control(&h, "GET", "/__sim/faults", &json!(null)).json(),
        json!([])
    );
}

#[test]
fn delayed_reply_does_not_block_other_requests() {
    let h = sim(60_000, 0);
    add_faults(&h, json!({"on": "submit", "delay_ms": 1500}));
    let addr = h.addr();
    let t0 = Instant::now();
    let slow = thread::spawn(move || {
        let r = http(
            addr,
            "POST",
            "/v1/responses",
            &[("Authorization", KEY)],
            SUBMIT_FIXTURE.as_bytes(),
        );
        (r.status, t0.elapsed())
    });
    // Wait until the slow submit has been received.
    let deadline = Instant::now() + Duration::from_secs(5);
    while control(&h, "GET", "/__sim/requests", &json!(null))
        .json()
        .as_array()
        .unwrap()
        .is_empty()
    {
        assert!(Instant::now() < deadline);
        thread::sleep(Duration::from_millis(10));
    }
    let t1 = Instant::now();
    assert_eq!(query(&h, "x").status, 200);
    assert!(
        t1.elapsed() < Duration::from_millis(1000),
        "query was blocked"
    );
    let (status, took) = slow.join().unwrap();
    assert_eq!(status, 200);
    assert!(took >= Duration::from_millis(1500), "{took:?}");
}

#[test]
fn forever_faults_and_clock_changes() {
    let h = sim(60_000, 0);
    let old = submit_task(&h);
    let r = control(
        &h,
        "POST",
        "/__sim/clock",
        &json!({"pending_ms": 0, "running_ms": 0}),
    );
    assert_eq!(r.status, 200);
    let new = submit_task(&h);
    assert_eq!(query(&h, &old).inner()["task_status"], "PENDING");
    assert_eq!(query(&h, &new).inner()["task_status"], "SUCCEEDED");
    add_faults(&h, json!({"on": "any", "http": 503, "times": 0}));
    for _ in 0..3 {
        assert_relay_error(&query(&h, &new), 503);
    }
    // Control endpoints are never faulted.
    assert_eq!(
        control(&h, "GET", "/__sim/health", &json!(null)).status,
        200
    );
    let faults = control(&h, "GET", "/__sim/faults", &json!(null)).json();
    assert_eq!(faults[0]["times"], 0);
    assert_relay_error(
        &control(&h, "POST", "/__sim/clock", &json!({"pending": 1})),
        400,
    );
}

#[test]
fn binary_prints_listening_line_and_never_logs_the_key() {
    let secret = "sk-secret-do-not-log-0123456789";
    let mut child = Command::new(env!("CARGO_BIN_EXE_dmxapi-sim"))
        .args([
            "--port",
            "0",
            "--key",
            secret,
            "--pending-ms",
            "0",
            "--running-ms",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dmxapi-sim");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim_end()
        .strip_prefix("dmxapi-sim listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("bad line {line:?}"));
    let port: u16 = url.parse().unwrap();
    assert_ne!(port, 0);
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let r = http(
        addr,
        "POST",
        "/v1/responses",
        &[("Authorization", &format!("Bearer {secret}"))],
        SUBMIT_FIXTURE.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = http(
        addr,
        "POST",
        "/v1/responses",
        &[("Authorization", secret)],
        b"{oops",
    );
    assert_eq!(r.status, 400);
    child.kill().unwrap();
    child.wait().unwrap();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(log.contains("POST /v1/responses -> 200"), "{log}");
    assert!(log.contains("POST /v1/responses -> 400"), "{log}");
    assert!(!log.contains(secret), "key leaked into the log: {log}");
    assert!(!log.contains("一幅"), "body leaked into the log: {log}");

    let help = Command::new(env!("CARGO_BIN_EXE_dmxapi-sim"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--pending-ms"));
}

/// This crate's directory, read when the test runs: a binary reused from another checkout (CI
/// shares the target directory) reads this checkout's fixtures.
fn crate_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into())
}

/// The examples of one model page (`tests/fixtures/models/<page>/`).
fn page(dir: &str, file: &str) -> String {
    let path = format!("{}/../fixtures/models/{dir}/{file}", crate_dir());
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every model page's own request is accepted and billed as its page shows; its task is found by
/// its family's `*-get` (and only by it), succeeds, and HappyHorse's reply has no `orig_prompt`.
#[test]
fn every_model_page_request_is_accepted_and_queried_with_its_family() {
    let h = sim(0, 0);
    let dirs = std::fs::read_dir(format!("{}/../fixtures/models", crate_dir()))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(dirs.len(), 18);
    for dir in dirs {
        let r = submit(&h, &page(&dir, "submit-request.json"));
        assert_eq!(r.status, 200, "{dir}: {}", r.text());
        let expected: Value = serde_json::from_str(&page(&dir, "submit-response.json")).unwrap();
        assert_eq!(
            r.json()["usage"]["total_tokens"],
            expected["usage"]["total_tokens"],
            "{dir}: billed"
        );
        let id = r.inner()["task_id"].as_str().unwrap().to_string();
        let get: Value = serde_json::from_str(&page(&dir, "query-request.json")).unwrap();
        let get_model = get["model"].as_str().unwrap();
        let q = post(
            &h,
            &json!({"model": get_model, "input": id}).to_string(),
            Some(KEY),
        );
        let inner = q.inner();
        assert_eq!(inner["task_status"], "SUCCEEDED", "{dir}: {inner}");
        assert_eq!(
            inner.get("orig_prompt").is_some(),
            !get_model.starts_with("happyhorse"),
            "{dir}"
        );
        let other = if get_model == "wan2.7-get" {
            "wan2.6-get"
        } else {
            "wan2.7-get"
        };
        let q = post(
            &h,
            &json!({"model": other, "input": id}).to_string(),
            Some(KEY),
        );
        assert_eq!(
            q.inner()["task_status"],
            "UNKNOWN",
            "{dir}: found by {other}"
        );
    }
}

/// Per-model checks as the pages state them, each a 400 relay error naming the field.
#[test]
fn every_model_is_checked_by_its_own_page() {
    let h = sim(60_000, 0);
    let edit = |dir: &str, f: &dyn Fn(&mut Value)| {
        let mut body: Value = serde_json::from_str(&page(dir, "submit-request.json")).unwrap();
        f(&mut body);
        body.to_string()
    };
    let r2v7 = "wan2.7-r2v-2026-06-12-multi-subject-reference-to-video";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            edit("wan2.7-t2v-2026-06-12-text-to-video", &|b| {
                b["parameters"]["ratio"] = json!("21:9")
            }),
            "parameters.ratio",
            "a HappyHorse ratio on wan2.7",
        ),
        (
            edit("wan2.7-t2v-2026-06-12-text-to-video", &|b| {
                b["parameters"]["size"] = json!("1920*1080")
            }),
            "parameters.size",
            "a wan2.6 size on wan2.7",
        ),
        (
            edit("wan2.6-r2v", &|b| b["parameters"]["duration"] = json!(11)),
            "parameters.duration",
            "wan2.6-r2v is 2-10 s",
        ),
        (
            edit(r2v7, &|b| b["parameters"]["duration"] = json!(12)),
            "parameters.duration",
            "wan2.7-r2v with a reference video is 2-10 s",
        ),
        (
            edit("happyhorse-1.1-t2v-text-to-video", &|b| {
                b["parameters"]["duration"] = json!(2)
            }),
            "parameters.duration",
            "HappyHorse is 3-15 s",
        ),
        (
            edit("wan2.7-videoedit-instruction-video-editing", &|b| {
                b["input"]["media"][0]["url"] = json!("data:video/mp4;base64,AAAA")
            }),
            "input.media",
            "a video as a data URL",
        ),
        (
            edit("wan2.6-r2v", &|b| {
                b["input"]["reference_urls"][2] = json!("data:image/png;base64,AAAA")
            }),
            "input.reference_urls",
            "wan2.6-r2v takes public URLs only",
        ),
        (
            edit("wan2.6-r2v", &|b| {
                b["input"]["reference_urls"]
                    .as_array_mut()
                    .unwrap()
                    .extend([
                        json!("https://a.example/1.png"),
                        json!("https://a.example/2.png"),
                    ])
            }),
            "input.reference_urls",
            "six references",
        ),
        (
            edit("happyhorse-1.1-r2v-reference-to-video", &|b| {
                let item = b["input"]["media"][0].clone();
                b["input"]["media"] = json!(vec![item; 10]);
            }),
            "input.media",
            "ten HappyHorse references",
        ),
        (
            edit("wan2.7-i2v-2026-04-25-video-continuation", &|b| {
                b["input"]["media"][1] =
                    json!({"type": "driving_audio", "url": "https://a.example/a.mp3"})
            }),
            "input.media",
            "first_clip + driving_audio is no legal set",
        ),
        (
            edit("happyhorse-1.0-t2v-text-to-video", &|b| {
                b["input"] = b["input"][0].clone()
            }),
            "input",
            "HappyHorse 1.0 takes an array",
        ),
        (
            edit("happyhorse-1.1-t2v-text-to-video", &|b| {
                b["input"] = json!([b["input"].clone()])
            }),
            "input",
            "HappyHorse 1.1 takes an object",
        ),
        (
            edit("happyhorse-1.0-t2v-text-to-video", &|b| {
                b["input"][0]["prompt"] = json!("猫".repeat(2501))
            }),
            "input.prompt",
            "2501 Chinese characters",
        ),
        (
            edit("wan2.7-videoedit-instruction-video-editing", &|b| {
                b["parameters"]["duration"] = json!(1)
            }),
            "parameters.duration",
            "videoedit is 0 or 2-10",
        ),
        (
            edit("wan2.7-videoedit-instruction-video-editing", &|b| {
                b["parameters"]["audio_setting"] = json!("mute")
            }),
            "parameters.audio_setting",
            "auto or origin",
        ),
        (
            edit(r2v7, &|b| {
                b["input"]["media"][2]["reference_voice"] = json!("data:audio/mp3;base64,AAAA")
            }),
            "input.media.reference_voice",
            "a voice as a data URL",
        ),
    ];
    for (body, field, why) in cases {
        let v = assert_relay_error(&submit(&h, &body), 400);
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(msg.contains(field), "{why}: {msg}");
    }
    // Limits hold at their edges.
    let ok = edit("happyhorse-1.0-t2v-text-to-video", &|b| {
        b["input"][0]["prompt"] = json!("猫".repeat(2500))
    });
    assert_eq!(submit(&h, &ok).status, 200);
    let ok = edit(r2v7, &|b| b["parameters"]["duration"] = json!(10));
    assert_eq!(submit(&h, &ok).status, 200);
    let keep = edit("wan2.7-videoedit-instruction-video-editing", &|b| {
        b["parameters"]["duration"] = json!(0)
    });
    assert_eq!(submit(&h, &keep).status, 200);
}

#[test]
fn an_account_running_limit_throttles_the_submit_beyond_it() {
    let h = sim(300, 300);
    let r = control(&h, "POST", "/__sim/clock", &json!({"running_limit": 2}));
    assert_eq!(r.status, 200, "{}", r.text());
    let first = submit_task(&h);
    submit_task(&h);
    let refused = submit(&h, SUBMIT_FIXTURE);
    assert_eq!(refused.status, 429, "{}", refused.text());
    assert!(refused.text().contains("Throttling"), "{}", refused.text());
    // Once one has ended there is room again.
    wait_terminal(&h, &first);
    submit_task(&h);
    // A reset lifts the limit.
    control(&h, "POST", "/__sim/reset", &json!({}));
    for _ in 0..3 {
        submit_task(&h);
    }
}
