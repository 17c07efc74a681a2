//! What was spent, by day or by month and by model: what the relay billed at submit
//! (`usage.total_tokens`; 10 000 units = 1 CNY is an inference from DMXAPI's pages) beside the
//! estimate at the user's prices (succeeded videos only: failed ones are not charged).

use super::cost::Pricing;
use super::message::Msg;
use super::models::{Mode, MODES};
use super::task::{TaskRecord, TaskStatus};

/// How the spend is grouped in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// By local day (`2026-12-02`).
    Day,
    /// By local month (`2026-12`).
    Month,
}

impl Period {
    /// The period of a local date `YYYY-MM-DD`.
    fn of(self, date: &str) -> String {
        match self {
            Period::Day => date.to_owned(),
            Period::Month => date.get(..7).unwrap_or(date).to_owned(),
        }
    }
}

/// The spend of one model and mode in one period (or of every model: `mode` is `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpendRow {
    /// The day or month.
    pub period: String,
    /// The model and mode; `None` for the period's total.
    pub mode: Option<Mode>,
    /// Tasks submitted.
    pub tasks: u32,
    /// What the relay billed for them, in its units.
    pub billed_units: u64,
    /// Of the tasks, those whose submit reply said nothing of a bill.
    pub not_billed: u32,
    /// The estimate over the succeeded ones, in thousandths of the pricing's currency.
    pub estimate_milli: u64,
}

impl SpendRow {
    fn add(&mut self, t: &TaskRecord, pricing: &Pricing) {
        self.tasks += 1;
        match t.billed_tokens {
            Some(units) => self.billed_units = self.billed_units.saturating_add(units),
            None => self.not_billed += 1,
        }
        if t.snapshot.status == TaskStatus::Succeeded {
            if let Some(milli) = t.request.as_ref().and_then(|r| pricing.cost(r)) {
                self.estimate_milli = self.estimate_milli.saturating_add(milli);
            }
        }
    }
}

/// The spend of `tasks` by `period` (newest first), each period's models in the table's order
/// followed by the period's total. Only tasks that were submitted (with a request) count;
/// `date_of` gives a submit time's local date as `YYYY-MM-DD`.
pub fn spend(
    tasks: &[TaskRecord],
    pricing: &Pricing,
    period: Period,
    date_of: impl Fn(i64) -> String,
) -> Vec<SpendRow> {
    let mut periods: Vec<(String, Vec<SpendRow>)> = Vec::new();
    for t in tasks {
        let Some(mode) = t.request.as_ref().map(|r| r.mode) else {
            continue;
        };
        let key = period.of(&date_of(t.submitted_at_ms));
        let i = match periods.iter().position(|(p, _)| *p == key) {
            Some(i) => i,
            None => {
                periods.push((key.clone(), Vec::new()));
                periods.len() - 1
            }
        };
        let rows = &mut periods[i].1;
        let j = match rows.iter().position(|r| r.mode == Some(mode)) {
            Some(j) => j,
            None => {
                rows.push(SpendRow {
                    period: key,
                    mode: Some(mode),
                    ..SpendRow::default()
                });
                rows.len() - 1
            }
        };
        rows[j].add(t, pricing);
    }
    periods.sort_by(|a, b| b.0.cmp(&a.0));
    let place = |m: Option<Mode>| MODES.iter().position(|s| Some(s.mode) == m);
    let mut out = Vec::new();
    for (key, mut rows) in periods {
        rows.sort_by_key(|r| place(r.mode));
        let mut total = SpendRow {
            period: key,
            ..SpendRow::default()
        };
        for r in &rows {
            total.tasks += r.tasks;
            total.billed_units = total.billed_units.saturating_add(r.billed_units);
            total.not_billed += r.not_billed;
            total.estimate_milli = total.estimate_milli.saturating_add(r.estimate_milli);
        }
        out.extend(rows);
        out.push(total);
    }
    out
}

/// What this month's tasks cost so far, in thousandths of a CNY: what the relay billed where it
/// said, else the estimate (a task that failed without a bill costs nothing).
pub fn month_spend_milli(tasks: &[TaskRecord], pricing: &Pricing) -> u64 {
    tasks
        .iter()
        .filter_map(|t| match t.billed_tokens {
            // 10 000 units = 1 CNY (inferred): 10 units are a thousandth.
            Some(units) => Some(units / 10),
            None if t.snapshot.status == TaskStatus::Failed => None,
            None => t.request.as_ref().and_then(|r| pricing.cost(r)),
        })
        .fold(0, u64::saturating_add)
}

/// The warning of a team's monthly budget (thousandths of a CNY) for a submit costing `next`
/// (`None`: not known before it runs): none while this month stays within it.
pub fn budget_warning(
    spent: u64,
    next: Option<u64>,
    budget: u64,
    pricing: &Pricing,
) -> Option<Msg> {
    let after = spent.saturating_add(next.unwrap_or(0));
    let key = if spent >= budget {
        "budget.reached"
    } else if after > budget {
        "budget.would_cross"
    } else {
        return None;
    };
    Some(
        Msg::new(key)
            .with("spent", pricing.format(spent))
            .with("after", pricing.format(after))
            .with("budget", pricing.format(budget)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cost::units_cny;
    use crate::domain::form::{FormState, ShotType, Size, Tier};
    use crate::domain::task::{Origin, TaskSnapshot};
    use crate::domain::testing::request as req;

    const DAY: i64 = 86_400_000;
    /// 2026-11-30 00:00 UTC.
    const NOV30: i64 = 1_795_996_800_000;

    /// The local date of the test's times (two days are enough to group by).
    fn utc_date(ms: i64) -> String {
        if ms < NOV30 + DAY {
            "2026-11-30"
        } else {
            "2026-12-01"
        }
        .to_owned()
    }

    fn made(id: &str, at: i64, status: TaskStatus, mode: Mode, billed: Option<u64>) -> TaskRecord {
        let request = if mode == Mode::Wan26T2v {
            req(Size::S1920x1080, "5", ShotType::Single)
        } else {
            let mut f = FormState::default();
            f.switch_mode(mode);
            f.prompt = "a horse".into();
            f.tier = Tier::P720;
            f.validate().unwrap()
        };
        let mut t = TaskRecord::new(
            id,
            Some(request),
            "",
            at,
            TaskSnapshot::with_status(status),
            Origin::Submitted,
        );
        t.billed_tokens = billed;
        t
    }

    #[test]
    fn spend_is_grouped_by_period_and_model_with_a_total_per_period() {
        let tasks = vec![
            made(
                "a",
                NOV30 + 1_000,
                TaskStatus::Succeeded,
                Mode::Wan26T2v,
                Some(50_000),
            ),
            made(
                "b",
                NOV30 + 2_000,
                TaskStatus::Failed,
                Mode::Wan26T2v,
                Some(50_000),
            ),
            made(
                "c",
                NOV30 + DAY,
                TaskStatus::Succeeded,
                Mode::Hh10T2v,
                Some(45_000),
            ),
            made(
                "d",
                NOV30 + DAY + 5,
                TaskStatus::Succeeded,
                Mode::Wan26T2v,
                None,
            ),
        ];
        let p = Pricing::default();
        let days = spend(&tasks, &p, Period::Day, utc_date);
        type Shape<'a> = (&'a str, Option<Mode>, u32, u64, u32, u64);
        let shape: Vec<Shape> = days
            .iter()
            .map(|r| {
                let period = r.period.as_str();
                (
                    period,
                    r.mode,
                    r.tasks,
                    r.billed_units,
                    r.not_billed,
                    r.estimate_milli,
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("2026-12-01", Some(Mode::Wan26T2v), 1, 0, 1, 5_000),
                ("2026-12-01", Some(Mode::Hh10T2v), 1, 45_000, 0, 4_500),
                ("2026-12-01", None, 2, 45_000, 1, 9_500),
                // The failed task was billed at submit, and is not in the estimate.
                ("2026-11-30", Some(Mode::Wan26T2v), 2, 100_000, 0, 5_000),
                ("2026-11-30", None, 2, 100_000, 0, 5_000),
            ]
        );
        let months = spend(&tasks, &p, Period::Month, utc_date);
        let totals: Vec<(&str, u64)> = months
            .iter()
            .filter(|r| r.mode.is_none())
            .map(|r| (r.period.as_str(), r.billed_units))
            .collect();
        assert_eq!(totals, vec![("2026-12", 45_000), ("2026-11", 100_000)]);
        // A looked-up task (no request) is not part of it.
        let mut found = made("e", NOV30, TaskStatus::Succeeded, Mode::Wan26T2v, None);
        found.request = None;
        assert!(spend(&[found], &p, Period::Day, utc_date).is_empty());
        assert_eq!(units_cny(45_000), "4.50 CNY");
        assert_eq!(units_cny(12_345), "1.23 CNY");
        assert!(units_cny(u64::MAX).ends_with(" CNY"));
    }

    #[test]
    fn a_monthly_budget_warns_before_a_submit_would_cross_it() {
        let p = Pricing::default();
        let tasks = vec![
            made(
                "a",
                NOV30,
                TaskStatus::Succeeded,
                Mode::Wan26T2v,
                Some(50_000),
            ),
            made("b", NOV30, TaskStatus::Failed, Mode::Wan26T2v, None),
            made("c", NOV30, TaskStatus::Running, Mode::Hh10T2v, None),
        ];
        // 5.00 billed + 4.50 estimated for the running one; the failed one without a bill is free.
        let spent = month_spend_milli(&tasks, &p);
        assert_eq!(spent, 9_500);
        assert_eq!(budget_warning(spent, Some(500), 10_000, &p), None);
        let w = budget_warning(spent, Some(5_000), 10_000, &p).unwrap();
        assert_eq!(w.key(), Some("budget.would_cross"));
        assert!(
            w.en().contains("14.50 CNY") && w.en().contains("10.00 CNY"),
            "{}",
            w.en()
        );
        let w = budget_warning(10_000, None, 10_000, &p).unwrap();
        assert_eq!(w.key(), Some("budget.reached"));
    }
}
