//! Cost estimates: a per-second rate by resolution tier, in the user's currency (list price by
//! default, editable in Settings), for one request and over the succeeded history.
//!
//! Money is integers: rates in thousandths of the currency unit per second, sums in thousandths,
//! shown rounded to hundredths. No float is formatted or parsed (that machinery alone is ~15 KB of
//! wasm; issue 14), and sums are exact.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::form::Tier;
use super::history::eta_text;
use super::message::Msg;
use super::models::{Family, Mode, Price};
use super::request::ModelRequest;
use super::task::{TaskRecord, TaskStatus};

/// The list price of a request outside wan2.6, in thousandths of a CNY, from the model table
/// (DMXAPI's units: 10 000 = 1 CNY, an inference from the pages). `None` when the tier has no
/// list price or the length is not known before the task runs (an edit that keeps its input's
/// length).
pub fn list_milli(request: &ModelRequest) -> Option<u64> {
    let price = request.mode.spec().price;
    let seconds = match (price, request.duration) {
        (Price::Flat(_), _) => 0,
        (Price::PerSecond { .. }, Some(s)) if s > 0 => s,
        (Price::PerSecond { .. }, _) => return None,
    };
    price
        .units(request.tier(), seconds)
        .map(|units| u64::from(units) / 10)
}

/// The relay's units per CNY: `usage.total_tokens` ÷ 10 000 = CNY is an inference from DMXAPI's
/// pages (every example bills the list price in CNY × 10 000), not a documented rate.
pub const UNITS_PER_CNY: u64 = 10_000;

/// Billing units as CNY, rounded half up to hundredths: `5.00 CNY` for 50 000.
pub fn units_cny(units: u64) -> String {
    let cents = units.saturating_mul(100).saturating_add(UNITS_PER_CNY / 2) / UNITS_PER_CNY;
    format!("{}.{:02} CNY", cents / 100, cents % 100)
}

/// What a task cost as the relay billed it, beside the list-price estimate: "Billed by the relay:
/// 5.00 CNY (50000 units; …inferred) · estimate 5.00 CNY". `None` when the relay said nothing.
pub fn billed(record: &TaskRecord, pricing: &Pricing) -> Option<Msg> {
    let units = record.billed_tokens?;
    let said = Msg::new("card.billed")
        .with("cost", units_cny(units))
        .with("units", units.to_string());
    let estimate = record.request.as_ref().and_then(|r| pricing.cost(r));
    Some(match estimate {
        Some(milli) => Msg::new("card.billed_and_estimate")
            .with("billed", said)
            .with("estimate", pricing.format(milli)),
        None => said,
    })
}

/// A price per second of video in thousandths of the currency unit (`Rate(600)` = 0.6 per second).
/// Stored as decimal text (`"0.6"`); an older stored number (`0.6`) is still read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rate(pub u32);

impl Rate {
    /// The largest rate kept: 1 000 000 currency units per second.
    pub const MAX: u32 = 1_000_000_000;

    /// Reads a rate as typed: digits with at most one `.` (or `,`) and any number of decimals,
    /// rounded half up to thousandths. `None` for anything else (signs, exponents, empty) or above
    /// [`Rate::MAX`].
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (whole, fraction) = text.split_once(['.', ',']).unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return None;
        }
        let mut milli: u64 = 0;
        for b in whole.bytes() {
            milli = milli * 10 + u64::from(b - b'0');
            if milli > u64::from(Self::MAX) {
                return None;
            }
        }
        let mut frac = fraction.bytes().map(|b| u64::from(b - b'0'));
        let mut scale = 100;
        milli *= 1000;
        for _ in 0..3 {
            milli += frac.next().unwrap_or(0) * scale;
            scale /= 10;
        }
        if frac.next().is_some_and(|d| d >= 5) {
            milli += 1;
        }
        u32::try_from(milli)
            .ok()
            .filter(|&m| m <= Self::MAX)
            .map(Self)
    }

    /// From an older stored float; negative, not finite or too large → `None`.
    fn from_units(v: f64) -> Option<Self> {
        let milli = (v * 1000.0).round();
        (v.is_finite() && v >= 0.0 && milli <= f64::from(Self::MAX)).then_some(Self(milli as u32))
    }
}

impl std::fmt::Display for Rate {
    /// The shortest decimal text: `0.6`, `1`, `0.015`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, mut frac) = (self.0 / 1000, self.0 % 1000);
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let mut width = 3;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        write!(f, "{whole}.{frac:0width$}")
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Rate;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a price per second")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Rate, E> {
                Rate::parse(v).ok_or_else(|| E::custom("not a price per second"))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Rate, E> {
                Rate::from_units(v).ok_or_else(|| E::custom("not a price per second"))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Rate, E> {
                u32::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(1000))
                    .filter(|&m| m <= Rate::MAX)
                    .map(Rate)
                    .ok_or_else(|| E::custom("not a price per second"))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Rate, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom("not a price per second"))
                    .and_then(|v| self.visit_u64(v))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Price per second of video, by tier, in the user's currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pricing {
    /// Per second at 720P (wan2.6).
    pub per_second_720p: Rate,
    /// Per second at 1080P (wan2.6).
    pub per_second_1080p: Rate,
    /// Currency label, e.g. `CNY`.
    pub currency: String,
    /// The user's own prices for models outside wan2.6, in place of the table's list price.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<ModelPrice>,
}

/// A price the user set for one model and mode outside wan2.6; each part left unset stays the
/// table's list price.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelPrice {
    /// The model and mode.
    pub mode: Mode,
    /// Per second at 720P.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_second_720p: Option<Rate>,
    /// Per second at 1080P.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_second_1080p: Option<Rate>,
    /// Per video (a mode priced per video).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_video: Option<Rate>,
}

/// Which part of a model's price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PricePart {
    /// Per second at a tier.
    PerSecond(Tier),
    /// Per video.
    PerVideo,
}

impl ModelPrice {
    fn part_mut(&mut self, part: PricePart) -> &mut Option<Rate> {
        match part {
            PricePart::PerSecond(Tier::P720) => &mut self.per_second_720p,
            PricePart::PerSecond(Tier::P1080) => &mut self.per_second_1080p,
            PricePart::PerVideo => &mut self.per_video,
        }
    }
}

/// The parts of a mode's price, as Settings offers them: per second by tier, or per video.
pub fn price_parts(mode: Mode) -> &'static [PricePart] {
    match mode.spec().price {
        Price::Flat(_) => &[PricePart::PerVideo],
        Price::PerSecond { .. } => &[
            PricePart::PerSecond(Tier::P720),
            PricePart::PerSecond(Tier::P1080),
        ],
    }
}

/// The table's list price of one part, in thousandths of a CNY (`None`: no page says it).
pub fn list_price(mode: Mode, part: PricePart) -> Option<Rate> {
    let units = match (mode.spec().price, part) {
        (Price::Flat(units), PricePart::PerVideo) => Some(units),
        (Price::PerSecond { p720, .. }, PricePart::PerSecond(Tier::P720)) => p720,
        (Price::PerSecond { p1080, .. }, PricePart::PerSecond(Tier::P1080)) => p1080,
        _ => None,
    }?;
    Some(Rate(units / 10))
}

impl Default for Pricing {
    /// Alibaba's mainland list price.
    fn default() -> Self {
        Self {
            per_second_720p: Rate(600),
            per_second_1080p: Rate(1000),
            currency: "CNY".into(),
            models: Vec::new(),
        }
    }
}

impl Pricing {
    /// The price of one part of `mode`'s price, in thousandths: wan2.6 at the two rates above,
    /// another model at the user's own price for it, else its list price.
    pub fn price(&self, mode: Mode, part: PricePart) -> Option<Rate> {
        if mode.spec().family == Family::Wan26 {
            return match part {
                PricePart::PerSecond(Tier::P720) => Some(self.per_second_720p),
                PricePart::PerSecond(Tier::P1080) => Some(self.per_second_1080p),
                PricePart::PerVideo => None,
            };
        }
        self.own(mode, part).or_else(|| list_price(mode, part))
    }

    /// The user's own price for one part of `mode`'s price, if set.
    pub fn own(&self, mode: Mode, part: PricePart) -> Option<Rate> {
        let m = self.models.iter().find(|m| m.mode == mode)?;
        match part {
            PricePart::PerSecond(Tier::P720) => m.per_second_720p,
            PricePart::PerSecond(Tier::P1080) => m.per_second_1080p,
            PricePart::PerVideo => m.per_video,
        }
    }

    /// Sets (or, with `None`, clears back to the list price) one part of `mode`'s price.
    pub fn set_own(&mut self, mode: Mode, part: PricePart, rate: Option<Rate>) {
        let i = match self.models.iter().position(|m| m.mode == mode) {
            Some(i) => i,
            None => {
                self.models.push(ModelPrice {
                    mode,
                    ..ModelPrice::default()
                });
                self.models.len() - 1
            }
        };
        *self.models[i].part_mut(part) = rate;
        self.models.retain(|m| {
            m.per_second_720p.is_some() || m.per_second_1080p.is_some() || m.per_video.is_some()
        });
    }

    /// Estimated cost of one request, in thousandths of the currency unit ([`Pricing::price`]).
    /// `None` where it cannot be known before the task runs (see [`list_milli`]).
    pub fn cost(&self, request: &ModelRequest) -> Option<u64> {
        let mode = request.mode;
        match mode.spec().price {
            Price::Flat(_) => self
                .price(mode, PricePart::PerVideo)
                .map(|r| u64::from(r.0)),
            Price::PerSecond { .. } => {
                let seconds = request.duration.filter(|s| *s > 0)?;
                let rate = self.price(mode, PricePart::PerSecond(request.tier()))?;
                Some(u64::from(rate.0) * u64::from(seconds))
            }
        }
    }

    /// Estimated spend over succeeded tasks (failed tasks are not charged), in thousandths.
    pub fn total(&self, tasks: &[TaskRecord]) -> u64 {
        tasks
            .iter()
            .filter(|t| t.snapshot.status == TaskStatus::Succeeded)
            .filter_map(|t| t.request.as_ref())
            .filter_map(|r| self.cost(r))
            .fold(0, u64::saturating_add)
    }

    /// "Estimated cost: 5.00 CNY (list price…). Usually ready in ~4 min", shown before
    /// submitting; `eta_ms` is the usual time from the user's own finished tasks. Where the cost
    /// depends on what the task will find (an edit keeping its input's length, a tier with no
    /// list price), it says so.
    pub fn estimate(&self, request: &ModelRequest, eta_ms: Option<i64>) -> Msg {
        let cost = match self.cost(request) {
            Some(milli) => Msg::new("form.estimate").with("cost", self.format(milli)),
            None => Msg::new("form.estimate_unknown"),
        };
        cost.then(eta_text(eta_ms))
    }

    /// `1.23 CNY` for 1 230 thousandths (rounded half up to hundredths).
    pub fn format(&self, milli: u64) -> String {
        let cents = milli.saturating_add(5) / 10;
        format!("{}.{:02} {}", cents / 100, cents % 100, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{ShotType, Size};
    use crate::domain::testing::{record, request as req};

    fn task(id: &str, status: TaskStatus, request: ModelRequest) -> TaskRecord {
        TaskRecord {
            request: Some(request),
            ..record(id, 0, status)
        }
    }

    /// A valid request in `mode` at `duration` seconds (its default output otherwise).
    fn in_mode(mode: Mode, duration: &str, tier: Tier) -> ModelRequest {
        let mut form = crate::domain::form::FormState::default();
        form.switch_mode(mode);
        form.prompt = "a horse".into();
        form.duration = duration.into();
        form.tier = tier;
        for slot in mode.spec().slots.iter().filter(|s| s.min > 0) {
            let links: Vec<String> = (0..slot.min)
                .map(|i| {
                    let ext = match slot.kind {
                        crate::domain::models::MediaKind::Image => "png",
                        crate::domain::models::MediaKind::Video => "mp4",
                        crate::domain::models::MediaKind::Audio => "mp3",
                    };
                    format!("https://example.com/{i}.{ext}")
                })
                .collect();
            form.set_media_text(slot.wire_name(), links.join("\n"));
        }
        form.validate().expect("a valid form")
    }

    #[test]
    fn other_models_cost_their_list_price_until_the_user_sets_their_own() {
        let mut p = Pricing::default();
        let hh = in_mode(Mode::Hh10T2v, "5", Tier::P720);
        let hh_hd = in_mode(Mode::Hh10T2v, "5", Tier::P1080);
        let edit = in_mode(Mode::Hh10Edit, "", Tier::P1080);
        // 9000 units/s = 0.9 CNY/s; no 1080P list price; 13.5 CNY per edit.
        assert_eq!(p.cost(&hh), Some(4_500));
        assert_eq!(p.cost(&hh_hd), None);
        assert_eq!(p.cost(&edit), Some(13_500));
        assert_eq!(price_parts(Mode::Hh10Edit), &[PricePart::PerVideo]);
        p.set_own(
            Mode::Hh10T2v,
            PricePart::PerSecond(Tier::P1080),
            Rate::parse("1.2"),
        );
        p.set_own(Mode::Hh10Edit, PricePart::PerVideo, Rate::parse("10"));
        assert_eq!(p.cost(&hh), Some(4_500), "720P still the list price");
        assert_eq!(p.cost(&hh_hd), Some(6_000));
        assert_eq!(p.cost(&edit), Some(10_000));
        // wan2.6 follows the two rates, whatever is set per model.
        p.set_own(
            Mode::Wan26T2v,
            PricePart::PerSecond(Tier::P720),
            Rate::parse("9"),
        );
        assert_eq!(
            p.price(Mode::Wan26T2v, PricePart::PerSecond(Tier::P720)),
            Some(Rate(600))
        );
        // Cleared parts go back to the list price, and an entry with nothing set goes.
        p.set_own(Mode::Hh10Edit, PricePart::PerVideo, None);
        assert_eq!(p.cost(&edit), Some(13_500));
        assert!(p.models.iter().all(|m| m.mode != Mode::Hh10Edit));
        // Kept through storage.
        let text = crate::json::to_string(&p).unwrap();
        assert_eq!(crate::json::from_str::<Pricing>(&text).unwrap(), p);
        assert!(!crate::json::to_string(&Pricing::default())
            .unwrap()
            .contains("models"));

        // The stored summary's spend is the same sum, at any price.
        let tasks = vec![
            task("1", TaskStatus::Succeeded, hh.clone()),
            task("2", TaskStatus::Succeeded, hh_hd.clone()),
            task("3", TaskStatus::Succeeded, edit.clone()),
            task("4", TaskStatus::Failed, edit.clone()),
            task(
                "5",
                TaskStatus::Succeeded,
                req(Size::S1280x720, "10", ShotType::Single),
            ),
        ];
        let summary = crate::domain::stored::Summary::of(&tasks);
        for pricing in [Pricing::default(), p.clone()] {
            assert_eq!(summary.spend(&pricing), pricing.total(&tasks));
        }
        assert_eq!(summary.spend(&p), 4_500 + 6_000 + 13_500 + 6_000);
        // A summary of an earlier build (list price only) says so, and still counts it.
        let mut old = summary.clone();
        old.uses.clear();
        assert!(old.predates_uses() && !summary.predates_uses());
        assert_eq!(old.spend(&p), 6_000 + old.list_milli);
    }

    #[test]
    fn cost_uses_tier_rates_and_counts_only_successes() {
        let p = Pricing::default();
        let table = [
            (Size::S1920x1080, "10", 10_000),
            (Size::S1280x720, "10", 6_000),
            (Size::S1440x1440, "2", 2_000),
            (Size::S832x1088, "15", 9_000),
        ];
        for (size, d, want) in table {
            assert_eq!(
                p.cost(&req(size, d, ShotType::Single)),
                Some(want),
                "{size:?} {d}"
            );
        }
        let hd = req(Size::S1920x1080, "5", ShotType::Single);
        let tasks = vec![
            task("1", TaskStatus::Succeeded, hd.clone()),
            task("2", TaskStatus::Failed, hd.clone()),
            task("3", TaskStatus::Running, hd),
        ];
        assert_eq!(p.total(&tasks), 5_000);
        assert_eq!(p.format(p.total(&[])), "0.00 CNY");
        assert_eq!(p.format(5_000), "5.00 CNY");
        // Sums are exact: ten 0.1-per-second seconds are 1.00, not 0.9999….
        let custom = Pricing {
            per_second_720p: Rate::parse("0.1").unwrap(),
            ..Pricing::default()
        };
        let sd = req(Size::S1280x720, "5", ShotType::Single);
        let two = vec![
            task("1", TaskStatus::Succeeded, sd.clone()),
            task("2", TaskStatus::Succeeded, sd),
        ];
        assert_eq!(custom.format(custom.total(&two)), "1.00 CNY");
        assert_eq!(p.format(1_235), "1.24 CNY");
        assert_eq!(p.format(1_234), "1.23 CNY");
        assert!(p.format(u64::MAX).ends_with(" CNY"));
    }

    #[test]
    fn the_relay_bill_is_shown_beside_the_estimate_with_the_inference_said() {
        let p = Pricing::default();
        let mut t = task(
            "1",
            TaskStatus::Succeeded,
            req(Size::S1920x1080, "5", ShotType::Single),
        );
        assert_eq!(billed(&t, &p), None, "nothing said, nothing shown");
        t.billed_tokens = Some(50_000);
        let m = billed(&t, &p).unwrap();
        assert!(m.en().contains("5.00 CNY (50000 units"), "{}", m.en());
        assert!(m.en().contains("inferred") && m.en().contains("estimate 5.00 CNY"));
        assert!(m.zh().contains("推断"));
        t.billed_tokens = Some(12_345);
        assert!(billed(&t, &p).unwrap().en().contains("1.23 CNY"));
        t.request = None;
        assert!(!billed(&t, &p).unwrap().en().contains("estimate"));
    }

    #[test]
    fn rates_are_read_as_typed_and_shown_shortest() {
        for (text, milli) in [
            ("0.6", 600),
            ("1", 1000),
            (" 1.0 ", 1000),
            ("0,6", 600),
            (".5", 500),
            ("2.", 2000),
            ("0.015", 15),
            ("0.0155", 16),
            ("0.0154", 15),
            ("1000000", Rate::MAX),
        ] {
            assert_eq!(Rate::parse(text), Some(Rate(milli)), "{text:?}");
        }
        for bad in [
            "",
            ".",
            "-1",
            "+1",
            "1e3",
            "abc",
            "1.2.3",
            "1000000.001",
            "99999999999999999999",
            "NaN",
            "inf",
        ] {
            assert_eq!(Rate::parse(bad), None, "{bad:?}");
        }
        for (milli, text) in [
            (600, "0.6"),
            (1000, "1"),
            (15, "0.015"),
            (1250, "1.25"),
            (0, "0"),
        ] {
            assert_eq!(Rate(milli).to_string(), text);
            assert_eq!(Rate::parse(text), Some(Rate(milli)));
        }
    }

    #[test]
    fn rates_are_stored_as_text_and_older_numbers_still_read() {
        let p = Pricing::default();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"per_second_720p":"0.6","per_second_1080p":"1","currency":"CNY"}"#
        );
        assert_eq!(serde_json::from_str::<Pricing>(&json).unwrap(), p);
        // What earlier releases stored: floats.
        let old: Pricing = serde_json::from_str(
            r#"{"per_second_720p":0.6,"per_second_1080p":1.0,"currency":"USD"}"#,
        )
        .unwrap();
        assert_eq!(
            (old.per_second_720p, old.per_second_1080p),
            (Rate(600), Rate(1000))
        );
        for bad in [
            r#"{"per_second_720p":-1}"#,
            r#"{"per_second_720p":"x"}"#,
            r#"{"per_second_720p":1e300}"#,
        ] {
            assert!(serde_json::from_str::<Pricing>(bad).is_err(), "{bad}");
        }
    }
}
