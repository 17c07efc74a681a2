//! Browser tests of the page's JSON codec (src/json.rs: the browser's `JSON` with
//! serde-wasm-bindgen): it prints what serde_json prints for everything we store and send, reads
//! it back to the same values, and reads the vendor's replies, an old ledger, import files and a
//! team config as the native tests (serde_json) do.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

use wan_studio::api::wire::{decode_reply, ModelSubmit, QueryRequest};
use wan_studio::domain::form::{FormState, ShotType, Size};
use wan_studio::domain::history::{decode_ledger, export_json, ImportFile};
use wan_studio::domain::message::{Explanation, Msg};
use wan_studio::domain::models::Family;
use wan_studio::domain::redact::Redactor;
use wan_studio::domain::share;
use wan_studio::domain::site_config;
use wan_studio::domain::stored::{ModeUse, Run, Summary};
use wan_studio::domain::task::{Origin, TaskRecord, TaskSnapshot, TaskStatus};
use wan_studio::domain::url::Page;
use wan_studio::json;
use wan_studio::state::browser::BrowserUrl;

wasm_bindgen_test_configure!(run_in_browser);

fn form() -> FormState {
    FormState {
        prompt: "一只小猫 \"quoted\" \\ slash / tab\t line\nend 😀".into(),
        negative_prompt: "blur".into(),
        size: Size::S1920x1080,
        shot_type: ShotType::Multi,
        seed: "42".into(),
        ..FormState::default()
    }
}

fn record() -> TaskRecord {
    let mut snapshot = TaskSnapshot::with_status(TaskStatus::Failed);
    snapshot.code = Some("DataInspectionFailed".into());
    snapshot.video_url = Some("https://example.com/v.mp4?a=1&b=%2F".into());
    let mut t = TaskRecord::new(
        "3a7d8355-ef78-48cd-863c-6cdb9707ba91",
        Some(form().validate().unwrap()),
        "https://www.dmxapi.cn/v1/responses",
        1_770_874_935_123,
        snapshot,
        Origin::Submitted,
    );
    t.problem = Some(Explanation {
        text: Msg::new("api.network")
            .with("detail", "timed out")
            .with("inner", Msg::new("api.retry")),
        request_id: Some("r-1".into()),
        detail: None,
        maybe_created: true,
    });
    t.ended_at_ms = Some(1_770_874_999_000);
    t.kept = Some(wan_studio::domain::keep::KeptVideo {
        hash: "e3".repeat(32),
        bytes: 36_186,
    });
    t.downloaded = true;
    t
}

fn summary() -> Summary {
    Summary {
        tasks: 3,
        succeeded: 1,
        seconds_720: 5,
        seconds_1080: 10,
        list_milli: 2_700,
        runs: vec![Run {
            id: "a".into(),
            key: "720p-5-single".into(),
            ms: 61_000,
        }],
        uses: vec![ModeUse {
            mode: wan_studio::domain::models::Mode::Hh10Edit,
            s720: 0,
            s1080: 0,
            videos: 2,
        }],
        kept: 1,
        kept_bytes: 36_186,
    }
}

#[wasm_bindgen_test]
fn everything_we_store_and_send_prints_as_serde_json_prints_it_and_reads_back() {
    fn same<T>(value: &T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let ours = json::to_string(value).unwrap();
        assert_eq!(ours, serde_json::to_string(value).unwrap());
        assert_eq!(
            json::to_string_pretty(value).unwrap(),
            serde_json::to_string_pretty(value).unwrap()
        );
        assert_eq!(&json::from_str::<T>(&ours).unwrap(), value);
    }
    same(&record());
    same(&form());
    same(&FormState::default());
    same(&summary());
    let mut pricing = wan_studio::domain::cost::Pricing::default();
    pricing.set_own(
        wan_studio::domain::models::Mode::Hh10T2v,
        wan_studio::domain::cost::PricePart::PerVideo,
        wan_studio::domain::cost::Rate::parse("1.25"),
    );
    same(&pricing);
    same(&Msg::new("share.error.damaged"));
    same(&vec![record(), record()]);
    same(&"a \u{1} control and a \u{7f}".to_string());
    // Every shape a submit takes: wan2.6's named fields, media items, HappyHorse 1.0's `input`
    // as a one-element array.
    let mut happyhorse = FormState {
        mode: wan_studio::domain::models::Mode::Hh10R2v,
        prompt: "[Image 1] runs".into(),
        ..FormState::default()
    };
    happyhorse.set_media_text("reference_image", "https://i.example/a.png".into());
    let wan27 = FormState {
        mode: wan_studio::domain::models::Mode::Wan27T2v,
        prompt: "p".into(),
        ratio: Some(wan_studio::domain::models::Ratio::R4x3),
        ..FormState::default()
    };
    for form in [form(), happyhorse, wan27] {
        let request = form.validate().unwrap();
        assert_eq!(
            json::to_string(&ModelSubmit::from(&request)).unwrap(),
            serde_json::to_string(&ModelSubmit::from(&request)).unwrap()
        );
        same(&request);
        same(&form);
    }
    let mut of_another_family = record();
    of_another_family.family = Some(Family::Wan27);
    same(&of_another_family);
    let query = QueryRequest::new("3a7d8355-ef78-48cd-863c-6cdb9707ba91", Family::HappyHorse);
    assert_eq!(
        json::to_string(&query).unwrap(),
        serde_json::to_string(&query).unwrap()
    );
}

#[wasm_bindgen_test]
fn bad_text_is_an_error_with_a_short_reason() {
    for bad in [
        "",
        "{",
        "not json",
        "[1,]",
        "{\"a\":1} trailing",
        "'single'",
    ] {
        let e = json::from_str::<serde_json::Value>(bad).unwrap_err();
        let text = e.to_string();
        assert!(
            !text.is_empty() && text.chars().count() <= 200,
            "{bad:?}: {text}"
        );
    }
    let long = format!("[{}x]", "1,".repeat(10_000));
    assert!(
        json::from_str::<Vec<u8>>(&long)
            .unwrap_err()
            .to_string()
            .chars()
            .count()
            <= 200
    );
    // Valid JSON of the wrong shape is an error too.
    assert!(json::from_str::<Summary>("\"text\"").is_err());
    assert!(json::from_str::<TaskRecord>("[1,2]").is_err());
    assert!(json::from_str::<Summary>(r#"{"tasks":-1}"#).is_err());
    assert!(json::from_str::<Summary>(r#"{"tasks":1.5}"#).is_err());
    // Unknown fields are ignored, missing defaulted ones take their defaults.
    let s: Summary = json::from_str(r#"{"tasks":3,"later_field":1}"#).unwrap();
    assert_eq!((s.tasks, s.runs.len()), (3, 0));
}

#[wasm_bindgen_test]
fn the_vendor_replies_decode_as_natively() {
    let redactor = Redactor::new("sk-e2eTestKey0123456789abcdefghijklmnopqrstuvwxyzAB");
    let d = decode_reply(
        200,
        include_str!("fixtures/submit-response.json"),
        None,
        &redactor,
    )
    .unwrap();
    assert_eq!(
        (d.task_id.as_str(), d.snapshot.status),
        ("3a7d8355-ef78-48cd-863c-6cdb9707ba91", TaskStatus::Pending)
    );
    // The bill, as the browser's JSON hands numbers over (doubles), and one it cannot read.
    let hh = include_str!("fixtures/models/happyhorse-1.1-t2v-text-to-video/submit-response.json");
    assert_eq!(
        decode_reply(200, hh, None, &redactor)
            .unwrap()
            .billed_tokens,
        Some(60_000)
    );
    let odd = hh.replace("\"total_tokens\": 60000", "\"total_tokens\": \"60000\"");
    assert_ne!(odd, hh);
    let d = decode_reply(200, &odd, None, &redactor).unwrap();
    assert_eq!(
        (d.billed_tokens, d.snapshot.status),
        (None, TaskStatus::Pending)
    );
    let d = decode_reply(
        200,
        include_str!("fixtures/query-succeeded-response.json"),
        None,
        &redactor,
    )
    .unwrap();
    assert_eq!(d.snapshot.status, TaskStatus::Succeeded);
    assert!(d
        .snapshot
        .video_url
        .unwrap()
        .contains("?Expires=1770874935&OSSAccessKeyId="));
    // A relay's error with a numeric code and one with a text code.
    for (body, code) in [
        (
            r#"{"error":{"message":"busy (request id: r-1)","type":"x","code":503}}"#,
            "503",
        ),
        (r#"{"error":{"message":"no","code":"quota"}}"#, "quota"),
    ] {
        let e = decode_reply(503, body, None, &redactor).unwrap_err();
        assert!(
            format!("{e:?}").contains(&format!("code: Some(\"{code}\")")),
            "{e:?}"
        );
    }
    // Any other code is no code; the error itself is still read.
    for code in ["null", "\"\"", "{\"a\":1}", "[1]", "1e30", "true"] {
        let body = format!(r#"{{"error":{{"message":"busy (request id: r-2)","code":{code}}}}}"#);
        let e = format!(
            "{:?}",
            decode_reply(503, &body, None, &redactor).unwrap_err()
        );
        assert!(e.contains("code: None") && e.contains("r-2"), "{code}: {e}");
    }
}

#[wasm_bindgen_test]
fn an_old_ledger_and_import_files_read_record_by_record() {
    let old = decode_ledger(include_str!("fixtures/ledger-local-storage-2c1b31b.json"));
    assert_eq!((old.tasks.len(), old.lossy), (3, false));
    let tasks = vec![record()];
    let good = json::to_string(&tasks[0]).unwrap();
    let mixed = format!(r#"{{"version":1,"tasks":[{good},{{"id":5}},"junk"]}}"#);
    let decoded = decode_ledger(&mixed);
    assert_eq!((decoded.tasks, decoded.lossy), (tasks.clone(), true));
    let export = export_json(&tasks, &[], 1_770_874_999_000, &Redactor::new("sk-none"));
    let file = ImportFile::read(&export).unwrap();
    assert_eq!(file.decode(0..10), (tasks.clone(), 0));
    let file = ImportFile::read(&format!("[{good},{{\"bad\":true}},{good}]")).unwrap();
    assert_eq!((file.len(), file.decode(1..3).1), (3, 1));
    // Times beyond 2^53 ms (a double's exact integers) are read, not refused: the import then
    // brings them into range and says so.
    let huge = good
        .replace("1770874935123", "1e18")
        .replace("1770874999000", "-9.2e18");
    let file = ImportFile::read(&format!("[{huge}]")).unwrap();
    let (read, skipped) = file.decode(0..1);
    assert_eq!(
        (read[0].submitted_at_ms, read[0].ended_at_ms, skipped),
        (
            1_000_000_000_000_000_000,
            Some(-9_200_000_000_000_000_000),
            0
        )
    );
    assert!(ImportFile::read("{\"tasks\":[]}").is_err());
    assert!(ImportFile::read("not json").is_err());
}

#[wasm_bindgen_test]
fn share_links_and_team_configs_read_as_natively() {
    let link = share::encode(&form()).unwrap();
    assert_eq!(share::decode(&link).unwrap().unwrap().prompt, form().prompt);
    let location = web_sys::window().unwrap().location();
    let page = Page {
        href: location.href().unwrap(),
        origin: location.origin().unwrap(),
    };
    let text = r#"{
        "site_name": "Team Video Lab",
        "defaults": {"size": "1280*720", "duration": 10, "watermark": "yes", "seed": "7"},
        "presets": [{"title": "Good", "settings": {"prompt": "a cat", "shot_type": "multi"}}, "junk"]
    }"#;
    let (config, warnings) = site_config::parse(text, &page, &BrowserUrl).unwrap();
    let d = config.defaults.unwrap();
    assert_eq!(
        (d.size, d.duration.as_str(), d.watermark, d.seed.as_str()),
        (Size::S1280x720, "5", false, "7")
    );
    assert_eq!(config.presets[0].settings.shot_type, ShotType::Multi);
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("defaults.duration = 10")),
        "{warnings:?}"
    );
    assert!(site_config::parse("[1,2]", &page, &BrowserUrl).is_err());
}
