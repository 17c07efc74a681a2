//! Cost estimates: a per-second rate by resolution tier, in the user's currency (list price by
//! default, editable in Settings), for one request and over the succeeded history.

use serde::{Deserialize, Serialize};

use super::form::{Tier, VideoRequest};
use super::history::eta_text;
use super::message::Msg;
use super::task::{TaskRecord, TaskStatus};

/// Price per second of video, by tier, in the user's currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pricing {
    /// Per second at 720P.
    pub per_second_720p: f64,
    /// Per second at 1080P.
    pub per_second_1080p: f64,
    /// Currency label, e.g. `CNY`.
    pub currency: String,
}

impl Default for Pricing {
    /// Alibaba's mainland list price.
    fn default() -> Self {
        Self {
            per_second_720p: 0.6,
            per_second_1080p: 1.0,
            currency: "CNY".into(),
        }
    }
}

impl Pricing {
    /// Estimated cost of one request.
    pub fn cost(&self, request: &VideoRequest) -> f64 {
        let rate = match request.size.tier() {
            Tier::P720 => self.per_second_720p,
            Tier::P1080 => self.per_second_1080p,
        };
        rate.max(0.0) * f64::from(request.duration)
    }

    /// Estimated spend over succeeded tasks (failed tasks are not charged).
    pub fn total(&self, tasks: &[TaskRecord]) -> f64 {
        tasks
            .iter()
            .filter(|t| t.snapshot.status == TaskStatus::Succeeded)
            .filter_map(|t| t.request.as_ref())
            .map(|r| self.cost(r))
            .sum::<f64>()
            // An empty float sum is -0.0, which would print as "-0.00".
            + 0.0
    }

    /// "Estimated cost: 5.00 CNY (list price…). Usually ready in ~4 min", shown before
    /// submitting; `eta_ms` is the usual time from the user's own finished tasks.
    pub fn estimate(&self, request: &VideoRequest, eta_ms: Option<i64>) -> Msg {
        let cost = self.format(self.cost(request));
        Msg::new("form.estimate")
            .with("cost", cost)
            .then(eta_text(eta_ms))
    }

    /// `1.23 CNY`.
    pub fn format(&self, amount: f64) -> String {
        format!("{amount:.2} {}", self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::form::{ShotType, Size};
    use crate::domain::testing::{record, request as req};

    fn task(id: &str, status: TaskStatus, request: VideoRequest) -> TaskRecord {
        TaskRecord {
            request: Some(request),
            ..record(id, 0, status)
        }
    }

    #[test]
    fn cost_uses_tier_rates_and_counts_only_successes() {
        let p = Pricing::default();
        let table = [
            (Size::S1920x1080, "10", 10.0),
            (Size::S1280x720, "10", 6.0),
            (Size::S1440x1440, "2", 2.0),
            (Size::S832x1088, "15", 9.0),
        ];
        for (size, d, want) in table {
            let c = p.cost(&req(size, d, ShotType::Single));
            assert!((c - want).abs() < 1e-9, "{size:?} {d}: {c}");
        }
        let hd = req(Size::S1920x1080, "5", ShotType::Single);
        let tasks = vec![
            task("1", TaskStatus::Succeeded, hd.clone()),
            task("2", TaskStatus::Failed, hd.clone()),
            task("3", TaskStatus::Running, hd),
        ];
        assert!((p.total(&tasks) - 5.0).abs() < 1e-9);
        assert_eq!(p.format(p.total(&[])), "0.00 CNY");
        assert_eq!(p.format(5.0), "5.00 CNY");
        let custom = Pricing {
            per_second_720p: 0.1,
            per_second_1080p: -3.0,
            currency: "USD".into(),
        };
        assert_eq!(
            custom.cost(&req(Size::S1920x1080, "5", ShotType::Single)),
            0.0
        );
    }
}
