//! Empirical distributions of the Target Response Time, per CSP region and per SR
//! class, from the run's TRT histograms, cut down to a few hundred quantiles so
//! that a plot of a run of any size stays small.

use super::trt::{SrClass, TrtCounts, TrtTally};
use crate::region::CspRegion;

/// Points kept of each distribution.
pub const CDF_POINTS: usize = 400;

/// A point of a cumulative distribution: a share `probability` of the values are at
/// or below `value_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CdfPoint {
    /// The value, s.
    pub value_s: f64,
    /// Share of values at or below it, 0 to 1.
    pub probability: f64,
}

/// The TRT distribution of one group of requests.
#[derive(Debug, Clone, PartialEq)]
pub struct TrtCurve {
    /// The group, e.g. "north" or "4.1.1 on_demand".
    pub label: String,
    /// Requests submitted.
    pub submitted: u64,
    /// Requests answered; the CDF is over these.
    pub responded: u64,
    /// The CDF of the TRT of answered requests, at most [`CDF_POINTS`] quantiles,
    /// each value within 0.1 % (see [`sim::stats::LatencyHistogram::cdf`]).
    pub points: Vec<CdfPoint>,
    /// The 99.9th percentile TRT of answered requests, s (0 if none).
    pub p999_s: f64,
}

impl TrtCurve {
    fn of(label: String, tally: &TrtTally) -> TrtCurve {
        let points = tally
            .trts
            .cdf(CDF_POINTS)
            .into_iter()
            .map(|(value_s, probability)| CdfPoint { value_s, probability })
            .collect();
        TrtCurve {
            label,
            submitted: tally.submitted,
            responded: tally.responded,
            points,
            p999_s: tally.trts.quantile_s(0.999),
        }
    }

    /// Share of submitted requests that were answered, 0 to 1 (1 if none submitted).
    /// Scaling the CDF by it gives the share of submitted requests answered within a
    /// time, the measure the TRT target is set on.
    pub fn answered_share(&self) -> f64 {
        if self.submitted == 0 { 1.0 } else { self.responded as f64 / self.submitted as f64 }
    }
}

/// TRT curves per CSP region, in region order.
pub fn by_region(counts: &TrtCounts) -> Vec<TrtCurve> {
    CspRegion::ALL.iter().map(|&region| TrtCurve::of(region.key().into(), &counts.by_region[region.index()])).collect()
}

/// The label of a class: SRV, mode and whether it is critical, e.g.
/// "4.1.1 on_demand" or "8.1.1 on_demand critical".
pub fn class_label((srv, mode): SrClass, critical: bool) -> String {
    format!("{srv} {mode}{}", if critical { " critical" } else { "" })
}

/// TRT curves per SR class present in the run, in (SRV, mode) order.
pub fn by_class(counts: &TrtCounts) -> Vec<TrtCurve> {
    counts.by_class.iter().map(|(class, c)| TrtCurve::of(class_label(*class, c.critical), &c.tally)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service_request::ServiceRequestRecord;

    #[test]
    fn classes_are_srv_mode_and_criticality() {
        use crate::service_request::{Mode, Outcome, UserRole};
        use sim::SimTime;
        let record = |sr_id, srv, critical| ServiceRequestRecord {
            sr_id,
            srv,
            user_role: UserRole::ImportSupplier,
            user: 0,
            mode: Mode::OnDemand,
            critical,
            premises: 0,
            region: CspRegion::North,
            submitted: SimTime::ZERO,
            received: Some(SimTime::ZERO),
            refusals: 0,
            refused_by: None,
            stream: 0,
            quarantined: false,
            smets1: false,
            responded: Some(SimTime::from_secs(sr_id)),
            target: sim::SimDuration::from_secs(30),
            user_signing: sim::SimDuration::ZERO,
            execution: None,
            outcome: Outcome::Responded,
        };
        let records = [record(1, "4.1.1", false), record(2, "8.1.1", true), record(3, "4.1.1", false)];
        let curves = by_class(&TrtCounts::of(&records));
        let labels: Vec<&str> = curves.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["4.1.1 on_demand", "8.1.1 on_demand critical"]);
        assert_eq!((curves[0].submitted, curves[0].points.last().unwrap().value_s), (2, 3.0));
        let probabilities: Vec<f64> = curves[0].points.iter().map(|p| p.probability).collect();
        assert_eq!(probabilities, [0.0, 0.5, 1.0], "a small class keeps every value");
        let north = &by_region(&TrtCounts::of(&records))[0];
        assert_eq!((north.label.as_str(), north.responded), ("north", 3));
    }
}
