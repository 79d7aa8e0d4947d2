//! Target Response Times: how many responses met the target, and the distribution.
//!
//! The TRT clock runs from receipt of the request at the DCC User Interface to the
//! Service Response being sent (DOMAIN §1.2, "TRT clock"). Each request is judged
//! against its own target. A request still unfinished at the end of the run counts
//! against the target: it was not answered within it. Requests the DSP rejected, and
//! requests DCC never received because the User Gateway was down (`refused`), are
//! counted apart and left out of the TRT figures.

use std::collections::BTreeMap;

use sim::stats::LatencyHistogram;

use crate::service_request::{Outcome, ServiceRequestRecord};

/// TRT figures of a set of requests. Quantiles come from a histogram: never below
/// the exact nearest-rank value and at most 0.1 % above it; the mean and the longest
/// TRT are exact.
#[derive(Debug, Clone, PartialEq)]
pub struct TrtFigures {
    /// Requests submitted.
    pub submitted: u64,
    /// Requests answered.
    pub responded: u64,
    /// Requests still open at the end.
    pub unfinished: u64,
    /// Requests rejected by the DSP, or refused by the device (a Change of
    /// Supplier not yet, or already, done).
    pub rejected: u64,
    /// Requests the WAN failed to deliver (they count against the target).
    pub failed: u64,
    /// Requests DCC never received: the User Gateway was down (not judged).
    pub refused: u64,
    /// Future Dated requests due after the run's end (not judged).
    pub not_yet_due: u64,
    /// Requests answered within the target.
    pub within_target: u64,
    /// Mean TRT of answered requests, in seconds.
    pub mean_s: f64,
    /// Median TRT, in seconds.
    pub p50_s: f64,
    /// 95th percentile, in seconds.
    pub p95_s: f64,
    /// 99th percentile, in seconds.
    pub p99_s: f64,
    /// Longest TRT, in seconds.
    pub max_s: f64,
}

impl TrtFigures {
    /// Figures of `records`, each against its own target.
    pub fn of<'a>(records: impl Iterator<Item = &'a ServiceRequestRecord>) -> TrtFigures {
        let mut tally = TrtTally::default();
        records.for_each(|r| tally.add(r));
        TrtFigures::new(&tally)
    }

    /// Figures of a group's counts.
    pub fn new(tally: &TrtTally) -> TrtFigures {
        let t = &tally.trts;
        TrtFigures {
            submitted: tally.submitted,
            responded: tally.responded,
            unfinished: tally.unfinished,
            rejected: tally.rejected,
            failed: tally.failed,
            refused: tally.refused,
            not_yet_due: tally.not_yet_due,
            within_target: tally.within_target,
            mean_s: t.mean_s(),
            p50_s: t.quantile_s(0.50),
            p95_s: t.quantile_s(0.95),
            p99_s: t.quantile_s(0.99),
            max_s: t.max_s(),
        }
    }

    /// Share of requests received, not rejected and due answered within their
    /// target, in percent; `None` when there were none to judge (all rejected,
    /// refused or not yet due, or none sent).
    pub fn pct_within_target(&self) -> Option<f64> {
        let judged = self.submitted - self.rejected - self.refused - self.not_yet_due;
        (judged > 0).then(|| 100.0 * self.within_target as f64 / judged as f64)
    }
}

/// Counts and TRT distribution of a group of requests: a bounded aggregate that
/// partitions (or windows) count apart and merge.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrtTally {
    /// Requests submitted.
    pub submitted: u64,
    /// Requests answered.
    pub responded: u64,
    /// Requests still open at the end.
    pub unfinished: u64,
    /// Requests rejected by the DSP.
    pub rejected: u64,
    /// Requests the WAN failed to deliver.
    pub failed: u64,
    /// Requests DCC never received: the User Gateway was down.
    pub refused: u64,
    /// Future Dated requests due after the run's end.
    pub not_yet_due: u64,
    /// Requests answered within their target.
    pub within_target: u64,
    /// TRTs of answered requests (exact sum and maximum, quantiles within 0.1 %).
    pub trts: LatencyHistogram,
}

impl TrtTally {
    /// Counts `r`.
    pub fn add(&mut self, r: &ServiceRequestRecord) {
        self.submitted += 1;
        match (r.outcome, r.trt()) {
            (Outcome::Responded, Some(trt)) => {
                self.responded += 1;
                self.within_target += u64::from(trt <= r.target);
                self.trts.record(trt);
            }
            (Outcome::Rejected | Outcome::DeviceRejected, _) => self.rejected += 1,
            (Outcome::Failed, _) => self.failed += 1,
            (Outcome::Refused, _) => self.refused += 1,
            (Outcome::NotYetDue, _) => self.not_yet_due += 1,
            _ => self.unfinished += 1,
        }
    }

    /// Adds another group's counts.
    pub fn merge(&mut self, o: &TrtTally) {
        self.submitted += o.submitted;
        self.responded += o.responded;
        self.unfinished += o.unfinished;
        self.rejected += o.rejected;
        self.failed += o.failed;
        self.refused += o.refused;
        self.not_yet_due += o.not_yet_due;
        self.within_target += o.within_target;
        self.trts.merge(&o.trts);
    }
}

/// An SR class: (SRV, mode name), e.g. ("4.1.1", "on_demand").
pub type SrClass = (&'static str, &'static str);

/// A class's counts and whether its SRV is Critical (the catalogue decides, so all
/// of a class agree).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassTally {
    /// Whether the SRV is a Critical Service Request.
    pub critical: bool,
    /// The counts.
    pub tally: TrtTally,
}

/// TRT counts overall, per CSP region, per meter generation and per SR class: a
/// bounded aggregate (regions are three, classes the catalogue's).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrtCounts {
    /// All requests.
    pub overall: TrtTally,
    /// Per region, indexed by [`crate::region::CspRegion::index`].
    pub by_region: [TrtTally; 3],
    /// SMETS2 premises, then migrated SMETS1 ones.
    pub by_generation: [TrtTally; 2],
    /// Per SR class.
    pub by_class: BTreeMap<SrClass, ClassTally>,
}

impl TrtCounts {
    /// Counts one request.
    pub fn add(&mut self, r: &ServiceRequestRecord) {
        self.overall.add(r);
        self.by_region[r.region.index()].add(r);
        self.by_generation[usize::from(r.smets1)].add(r);
        let class = self.by_class.entry((r.srv, r.mode.as_str())).or_default();
        class.critical = r.critical;
        class.tally.add(r);
    }

    /// The counts of `records`.
    pub fn of(records: &[ServiceRequestRecord]) -> TrtCounts {
        let mut counts = TrtCounts::default();
        records.iter().for_each(|r| counts.add(r));
        counts
    }

    /// Adds another group's counts.
    pub fn merge(&mut self, o: &TrtCounts) {
        self.overall.merge(&o.overall);
        for (mine, theirs) in
            self.by_region.iter_mut().zip(&o.by_region).chain(self.by_generation.iter_mut().zip(&o.by_generation))
        {
            mine.merge(theirs);
        }
        for (class, t) in &o.by_class {
            let mine = self.by_class.entry(*class).or_default();
            mine.critical = t.critical;
            mine.tally.merge(&t.tally);
        }
    }
}

/// TRT figures overall, per CSP region and per SR class.
#[derive(Debug, Clone, PartialEq)]
pub struct TrtSummary {
    /// All requests.
    pub overall: TrtFigures,
    /// Per region, indexed by [`crate::region::CspRegion::index`].
    pub by_region: [TrtFigures; 3],
    /// SMETS2 premises, then migrated SMETS1 ones.
    pub by_generation: [TrtFigures; 2],
    /// Per SR class, "SRV mode" (e.g. "4.1.1 on_demand"), in class order.
    pub by_class: Vec<(String, TrtFigures)>,
}

impl TrtSummary {
    /// The summary of a run's records.
    pub fn of(records: &[ServiceRequestRecord]) -> TrtSummary {
        TrtSummary::new(&TrtCounts::of(records))
    }

    /// The summary of a run's merged counts.
    pub fn new(counts: &TrtCounts) -> TrtSummary {
        let mut classes: Vec<(String, TrtFigures)> = counts
            .by_class
            .iter()
            .map(|(class, c)| (format!("{} {}", class.0, class.1), TrtFigures::new(&c.tally)))
            .collect();
        // Ordered by the label, as every output lists them.
        classes.sort_by(|a, b| a.0.cmp(&b.0));
        TrtSummary {
            overall: TrtFigures::new(&counts.overall),
            by_region: std::array::from_fn(|i| TrtFigures::new(&counts.by_region[i])),
            by_generation: std::array::from_fn(|i| TrtFigures::new(&counts.by_generation[i])),
            by_class: classes,
        }
    }
}

/// The SR class of a record: "SRV mode", e.g. "4.1.1 on_demand".
pub fn class_of(r: &ServiceRequestRecord) -> String {
    format!("{} {}", r.srv, r.mode.as_str())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::region::CspRegion;
    use crate::service_request::{Mode, UserRole};
    use sim::{SimDuration, SimTime};

    /// An On Demand 4.1.1 record submitted at `submitted_s`, answered `trt_s` later (or
    /// not), with a 30 s target.
    pub(crate) fn record(submitted_s: u64, trt_s: Option<u64>, outcome: Outcome) -> ServiceRequestRecord {
        let submitted = SimTime::from_secs(submitted_s);
        ServiceRequestRecord {
            sr_id: submitted_s,
            srv: "4.1.1",
            user_role: UserRole::ImportSupplier,
            user: 0,
            mode: Mode::OnDemand,
            critical: false,
            premises: 0,
            region: CspRegion::South,
            submitted,
            received: (outcome != Outcome::Refused).then_some(submitted),
            refusals: 0,
            refused_by: None,
            stream: 0,
            quarantined: false,
            smets1: false,
            responded: trt_s.map(|s| submitted + SimDuration::from_secs(s)),
            target: SimDuration::from_secs(30),
            user_signing: SimDuration::ZERO,
            execution: None,
            outcome,
        }
    }

    fn answered(sr_id: u64, trt_s: u64) -> ServiceRequestRecord {
        record(sr_id, Some(trt_s), Outcome::Responded)
    }

    #[test]
    fn quantiles_within_a_thousandth_of_nearest_rank_and_target_share() {
        let mut records: Vec<_> = (1..=100).map(|s| answered(s, s)).collect();
        records.push(record(101, None, Outcome::Unfinished));
        let f = TrtFigures::of(records.iter());
        assert_eq!((f.submitted, f.responded, f.unfinished, f.within_target), (101, 100, 1, 30));
        for (got, exact) in [(f.p50_s, 50.0), (f.p95_s, 95.0), (f.p99_s, 99.0)] {
            assert!(got >= exact && got <= exact * 1.001, "{got} for {exact}");
        }
        assert_eq!(f.max_s, 100.0, "the longest TRT is exact");
        assert!((f.mean_s - 50.5).abs() < 1e-12);
        assert!((f.pct_within_target().unwrap() - 3000.0 / 101.0).abs() < 1e-12);
    }

    #[test]
    fn a_response_exactly_at_the_target_meets_it() {
        let f = TrtFigures::of([answered(1, 30), answered(2, 31)].iter());
        assert_eq!(f.within_target, 1);
    }

    #[test]
    fn counts_merged_from_partitions_give_the_summary_of_the_whole() {
        let mut records: Vec<_> = (1..=60).map(|s| answered(s, s % 50)).collect();
        records.push(record(61, None, Outcome::Unfinished));
        records.push(record(62, Some(1), Outcome::Rejected));
        for (i, r) in records.iter_mut().enumerate() {
            r.region = CspRegion::ALL[i % 3];
            r.srv = ["4.1.1", "2.2"][i % 2];
        }
        let mut merged = TrtCounts::default();
        for part in records.chunks(9) {
            merged.merge(&TrtCounts::of(part));
        }
        assert_eq!(merged, TrtCounts::of(&records));
        let whole = TrtSummary::new(&merged);
        assert_eq!(whole.overall, TrtFigures::of(records.iter()));
        assert_eq!(
            whole.by_class.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
            ["2.2 on_demand", "4.1.1 on_demand"]
        );
        let north = TrtFigures::of(records.iter().filter(|r| r.region == CspRegion::North));
        assert_eq!(whole.by_region[0], north);
        let t = &merged.overall;
        assert_eq!((t.submitted, t.responded, t.unfinished, t.rejected), (62, 60, 1, 1));
        assert_eq!(t.submitted, t.responded + t.unfinished + t.rejected + t.failed, "every request has one outcome");
    }
}
