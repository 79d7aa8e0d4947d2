//! Code Performance Measures (PMM-2018, DOMAIN §2): CPM1 On Demand, CPM2 Future
//! Dated and CPM3 alerts, per calendar month and for the whole run.
//!
//! The counts are a bounded aggregate, [`CpmCounts`]: one tally per month × CSP
//! region × DCC User × SRV for requests, one per month for alerts. Partitions count
//! their own and merge in partition order; because the tallies are integers the
//! merged figures do not depend on how the work was split.

pub use crate::scenario::ServiceLevels;
use std::collections::BTreeMap;

use sim::SimTime;

use crate::calendar::Date;
use crate::region::CspRegion;
use crate::service_request::{Mode, Outcome, ServiceRequestRecord};

/// A Code Performance Measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cpm {
    /// On Demand Service Requests.
    Cpm1,
    /// Future Dated Service Requests.
    Cpm2,
    /// Alerts DCC should have delivered.
    Cpm3,
}

impl Cpm {
    /// Every measure, in output order.
    pub const ALL: [Cpm; 3] = [Cpm::Cpm1, Cpm::Cpm2, Cpm::Cpm3];

    /// Its name in every output: "CPM1", "CPM2" or "CPM3".
    pub fn as_str(self) -> &'static str {
        match self {
            Cpm::Cpm1 => "CPM1",
            Cpm::Cpm2 => "CPM2",
            Cpm::Cpm3 => "CPM3",
        }
    }
}

/// A calendar month, ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    /// Year, e.g. 2026.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
}

impl Month {
    /// The month of simulated time `at` for a run starting on `start`.
    pub fn of(start: Date, at: SimTime) -> Month {
        let d = start.plus(at);
        Month { year: d.year, month: d.month }
    }

    /// "YYYY-MM".
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// Counted, and of them within the target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests (or alert copies) counted.
    pub counted: u64,
    /// Of them, answered (delivered) within their target.
    pub within_target: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.counted += other.counted;
        self.within_target += other.within_target;
    }
}

/// What request tallies are kept by: (month, CSP region, User index, SRV).
pub type RequestKey = (Month, CspRegion, u16, &'static str);

/// The counts behind the Code Performance Measures; merge partitions in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CpmCounts {
    /// `start` of the run: months are calendar months from it.
    start: Option<Date>,
    /// CPM1 and CPM2 tallies per key.
    requests: BTreeMap<RequestKey, [Tally; 2]>,
    /// CPM3 tallies per month.
    alerts: BTreeMap<Month, Tally>,
}

impl CpmCounts {
    /// No counts yet, for a run starting on `start`.
    pub fn new(start: Date) -> CpmCounts {
        CpmCounts { start: Some(start), ..CpmCounts::default() }
    }

    fn start(&self) -> Date {
        self.start.unwrap_or(Date::EPOCH)
    }

    /// Counts one request: On Demand in CPM1, Future Dated in CPM2, each in the
    /// month its TRT clock started: receipt for On Demand, the execution date-time
    /// for Future Dated (DOMAIN §1.2), however long before it was sent. Rejected (by
    /// the DSP or the device) and Scheduled requests, those DCC never received
    /// (`refused`), and those not yet due at the end are not counted.
    pub fn add_request(&mut self, r: &ServiceRequestRecord) {
        let slot = match (r.mode, r.outcome) {
            (_, Outcome::Rejected | Outcome::DeviceRejected | Outcome::Refused | Outcome::NotYetDue)
            | (Mode::Scheduled, _) => return,
            (Mode::OnDemand, _) => 0,
            (Mode::FutureDated, _) => 1,
        };
        let clock = r.execution.or(r.received).unwrap_or(r.submitted);
        let key = (Month::of(self.start(), clock), r.region, r.user, r.srv);
        let tally = Tally { counted: 1, within_target: u64::from(r.within_target()) };
        self.requests.entry(key).or_default()[slot].add(tally);
    }

    /// Counts alert copies raised at `raised` in CPM3. A zero tally still makes the
    /// month a reporting period.
    pub fn add_alerts(&mut self, raised: SimTime, tally: Tally) {
        self.alerts.entry(Month::of(self.start(), raised)).or_default().add(tally);
    }

    /// Adds another partition's counts.
    pub fn merge(&mut self, other: &CpmCounts) {
        if self.start.is_none() {
            self.start = other.start;
        }
        for (key, tallies) in &other.requests {
            let mine = self.requests.entry(*key).or_default();
            for (m, t) in mine.iter_mut().zip(tallies) {
                m.add(*t);
            }
        }
        for (month, t) in &other.alerts {
            self.alerts.entry(*month).or_default().add(*t);
        }
    }

    /// The request tallies, by (month, region, User, SRV): CPM1 then CPM2.
    pub fn requests(&self) -> impl Iterator<Item = (&RequestKey, &[Tally; 2])> {
        self.requests.iter()
    }

    /// Each measure per calendar month (in time order), then for the whole run.
    pub fn measures(&self, levels: ServiceLevels) -> Vec<MeasureResult> {
        let mut months: BTreeMap<Month, [Tally; 3]> = BTreeMap::new();
        for ((month, ..), [on_demand, future_dated]) in &self.requests {
            let m = months.entry(*month).or_default();
            m[0].add(*on_demand);
            m[1].add(*future_dated);
        }
        for (month, t) in &self.alerts {
            months.entry(*month).or_default()[2].add(*t);
        }
        let mut run = [Tally::default(); 3];
        let mut out = Vec::with_capacity(3 * (months.len() + 1));
        for (month, tallies) in &months {
            for (m, t) in tallies.iter().enumerate() {
                run[m].add(*t);
                out.push(MeasureResult::new(month.label(), Cpm::ALL[m], *t, levels));
            }
        }
        for (m, t) in run.into_iter().enumerate() {
            out.push(MeasureResult::new("run".to_string(), Cpm::ALL[m], t, levels));
        }
        out
    }
}

/// One Code Performance Measure over one reporting period.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureResult {
    /// "YYYY-MM" for a calendar month, or "run" for the whole run.
    pub period: String,
    /// "CPM1" (On Demand), "CPM2" (Future Dated) or "CPM3" (alerts).
    pub measure: &'static str,
    /// Responses (and requests left unanswered) counted.
    pub counted: u64,
    /// Of them, answered within their TRT.
    pub within_target: u64,
    /// `within_target / counted`, %; None with nothing counted.
    pub value_pct: Option<f64>,
    /// The levels judged against.
    pub levels: ServiceLevels,
}

impl MeasureResult {
    fn new(period: String, measure: Cpm, t: Tally, levels: ServiceLevels) -> MeasureResult {
        MeasureResult {
            period,
            measure: measure.as_str(),
            counted: t.counted,
            within_target: t.within_target,
            value_pct: (t.counted > 0).then(|| 100.0 * t.within_target as f64 / t.counted as f64),
            levels,
        }
    }

    /// "met", "below_target", "below_minimum", or "no_data".
    pub fn status(&self) -> &'static str {
        match self.value_pct {
            None => "no_data",
            Some(v) if v >= self.levels.target_pct => "met",
            Some(v) if v >= self.levels.minimum_pct => "below_target",
            Some(_) => "below_minimum",
        }
    }
}

/// The Code Performance Measures of `records` and of alert copies given as
/// `(time raised, counted, within the delivery-time target)`.
pub fn code_performance_measures(
    records: &[ServiceRequestRecord],
    alerts: &[(SimTime, u64, u64)],
    start: Date,
    levels: ServiceLevels,
) -> Vec<MeasureResult> {
    let mut counts = CpmCounts::new(start);
    records.iter().for_each(|r| counts.add_request(r));
    for &(raised, counted, within_target) in alerts {
        counts.add_alerts(raised, Tally { counted, within_target });
    }
    counts.measures(levels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::trt::tests::record;

    const DAY: u64 = 86_400;
    const LEVELS: ServiceLevels = ServiceLevels { target_pct: 99.0, minimum_pct: 96.0 };

    #[test]
    fn cpm3_counts_alert_copies_in_the_month_raised() {
        let start = Date::parse("2026-01-31").unwrap();
        let t = |d: u64| SimTime::from_secs(d * DAY);
        let alerts = [(t(0), 1, 1), (t(0), 1, 0), (t(1), 2, 2)];
        let results = code_performance_measures(&[], &alerts, start, LEVELS);
        let cpm3: Vec<_> = results.iter().filter(|r| r.measure == "CPM3").collect();
        assert_eq!(cpm3.iter().map(|r| r.period.as_str()).collect::<Vec<_>>(), ["2026-01", "2026-02", "run"]);
        assert_eq!((cpm3[0].counted, cpm3[0].within_target, cpm3[0].status()), (2, 1, "below_minimum"));
        assert_eq!((cpm3[1].counted, cpm3[1].within_target, cpm3[1].status()), (2, 2, "met"));
        assert_eq!((cpm3[2].counted, cpm3[2].within_target), (4, 3));
    }

    #[test]
    fn months_split_at_the_calendar_and_levels_judge_them() {
        // From 30 January: days 0-1 are January, days 2+ February.
        let start = Date::parse("2026-01-30").unwrap();
        let mut records = vec![record(0, Some(10), Outcome::Responded), record(DAY, Some(40), Outcome::Responded)];
        records.extend((2..102).map(|d| record(d * DAY, Some(5), Outcome::Responded)));
        records.push(record(102 * DAY, None, Outcome::Unfinished));
        records.push(record(103 * DAY, Some(1), Outcome::Rejected));
        let results = code_performance_measures(&records, &[], start, LEVELS);
        let cpm1: Vec<_> = results.iter().filter(|r| r.measure == "CPM1").collect();
        let periods: Vec<&str> = cpm1.iter().map(|r| r.period.as_str()).collect();
        assert_eq!(periods, ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "run"]);
        assert_eq!((cpm1[0].counted, cpm1[0].within_target, cpm1[0].status()), (2, 1, "below_minimum"));
        assert_eq!(cpm1[1].status(), "met");
        let run = cpm1.last().unwrap();
        // 103 counted (the rejected one is not), 101 within.
        assert_eq!((run.counted, run.within_target), (103, 101));
        assert_eq!(run.status(), "below_target");
        assert!(results.iter().filter(|r| r.measure != "CPM1").all(|r| r.status() == "no_data"));
    }

    /// A Future Dated request sent on 28 February for execution on 2 March counts
    /// in March's CPM2, the month its TRT clock starts.
    #[test]
    fn future_dated_requests_count_in_the_month_they_execute() {
        let start = Date::parse("2026-02-28").unwrap();
        let mut fd = record(3_600, Some(5), Outcome::Responded);
        fd.mode = Mode::FutureDated;
        fd.execution = Some(SimTime::from_secs(2 * DAY + 3_600));
        fd.responded = Some(SimTime::from_secs(2 * DAY + 3_605));
        let results = code_performance_measures(&[fd], &[], start, LEVELS);
        let cpm2: Vec<_> = results.iter().filter(|r| r.measure == "CPM2").collect();
        assert_eq!(cpm2.iter().map(|r| r.period.as_str()).collect::<Vec<_>>(), ["2026-03", "run"]);
        assert_eq!((cpm2[0].counted, cpm2[0].within_target), (1, 1));
    }

    #[test]
    fn counts_split_over_partitions_merge_to_the_counts_of_the_whole() {
        let start = Date::parse("2026-03-30").unwrap();
        let mut records: Vec<_> = (0..40).map(|d| record(d * DAY / 3, Some(d % 45), Outcome::Responded)).collect();
        for (i, r) in records.iter_mut().enumerate() {
            r.user = (i % 3) as u16;
            r.region = CspRegion::ALL[i % 3];
        }
        let mut whole = CpmCounts::new(start);
        records.iter().for_each(|r| whole.add_request(r));
        let mut merged = CpmCounts::new(start);
        for part in records.chunks(7) {
            let mut p = CpmCounts::new(start);
            part.iter().for_each(|r| p.add_request(r));
            merged.merge(&p);
        }
        assert_eq!(merged, whole);
        let run = whole.measures(LEVELS).into_iter().find(|m| m.period == "run" && m.measure == "CPM1").unwrap();
        // TRTs are 0..=39 s against 30 s: 31 within.
        assert_eq!((run.counted, run.within_target), (40, 31));
        let per_user: u64 = whole.requests().filter(|((_, _, u, _), _)| *u == 1).map(|(_, t)| t[0].counted).sum();
        assert_eq!(per_user, 13, "users 0, 1, 2 in turn over 40 requests");
    }
}
