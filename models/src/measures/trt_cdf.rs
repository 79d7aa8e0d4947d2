//! Empirical distributions of the Target Response Time, per CSP region and per SR
//! class, cut down to a few hundred quantiles so that a plot of a run of any size
//! stays small.

use std::collections::BTreeSet;

use crate::region::CspRegion;
use crate::service_request::ServiceRequestRecord;

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

/// The empirical CDF of `sorted` (ascending) cut down to at most `max_points`
/// quantiles, plus a first point at probability 0 on the smallest value.
///
/// Point `j` of `k = min(n, max_points)` is the nearest-rank quantile `j/k`: the
/// value of rank `⌈j·n/k⌉`, at probability rank/n, which is exact. The last point is
/// the largest value at probability 1. Empty input gives no points.
pub fn cdf_points(sorted: &[f64], max_points: usize) -> Vec<CdfPoint> {
    debug_assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "input must be sorted");
    let n = sorted.len();
    if n == 0 || max_points == 0 {
        return Vec::new();
    }
    let k = n.min(max_points);
    let mut points = Vec::with_capacity(k + 1);
    points.push(CdfPoint { value_s: sorted[0], probability: 0.0 });
    for j in 1..=k {
        let rank = (j * n).div_ceil(k);
        points.push(CdfPoint { value_s: sorted[rank - 1], probability: rank as f64 / n as f64 });
    }
    points
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
    /// The CDF of the TRT of answered requests.
    pub points: Vec<CdfPoint>,
    /// The 99.9th percentile TRT of answered requests, s (0 if none).
    pub p999_s: f64,
}

impl TrtCurve {
    fn of<'a>(label: String, records: impl Iterator<Item = &'a ServiceRequestRecord>) -> TrtCurve {
        let mut submitted = 0u64;
        let mut trts_us = Vec::new();
        for r in records {
            submitted += 1;
            if let Some(trt) = r.trt() {
                trts_us.push(trt.0);
            }
        }
        trts_us.sort_unstable();
        let trts_s: Vec<f64> = trts_us.into_iter().map(|us| us as f64 / 1e6).collect();
        let p999_s = match trts_s.len() {
            0 => 0.0,
            n => trts_s[((0.999 * n as f64).ceil() as usize).clamp(1, n) - 1],
        };
        TrtCurve { label, submitted, responded: trts_s.len() as u64, points: cdf_points(&trts_s, CDF_POINTS), p999_s }
    }

    /// Share of submitted requests that were answered, 0 to 1 (1 if none submitted).
    /// Scaling the CDF by it gives the share of submitted requests answered within a
    /// time, the measure the TRT target is set on.
    pub fn answered_share(&self) -> f64 {
        if self.submitted == 0 { 1.0 } else { self.responded as f64 / self.submitted as f64 }
    }
}

/// TRT curves per CSP region, in region order.
pub fn by_region(records: &[ServiceRequestRecord]) -> Vec<TrtCurve> {
    CspRegion::ALL
        .iter()
        .map(|&region| TrtCurve::of(region.key().into(), records.iter().filter(|r| r.region == region)))
        .collect()
}

/// What makes a request's class: SRV, mode and whether it is critical.
type ClassKey = (&'static str, &'static str, bool);

fn class_key(r: &ServiceRequestRecord) -> ClassKey {
    (r.srv, r.mode.as_str(), r.critical)
}

/// The class of a request: SRV, mode and whether it is critical, e.g.
/// "4.1.1 on_demand" or "8.1.1 on_demand critical".
pub fn sr_class(r: &ServiceRequestRecord) -> String {
    let (srv, mode, critical) = class_key(r);
    format!("{srv} {mode}{}", if critical { " critical" } else { "" })
}

/// TRT curves per SR class present in the run, in (SRV, mode, critical) order.
/// One pass per class, so memory stays that of one class's TRTs.
pub fn by_class(records: &[ServiceRequestRecord]) -> Vec<TrtCurve> {
    let classes: BTreeSet<ClassKey> = records.iter().map(class_key).collect();
    classes
        .into_iter()
        .map(|key| {
            let mut members = records.iter().filter(|r| class_key(r) == key).peekable();
            let label = members.peek().map(|r| sr_class(r)).unwrap_or_default();
            TrtCurve::of(label, members)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_monotone(points: &[CdfPoint]) -> bool {
        points.windows(2).all(|w| w[0].value_s <= w[1].value_s && w[0].probability < w[1].probability)
    }

    #[test]
    fn downsampled_cdf_hits_the_exact_quantiles_of_a_uniform_sample() {
        // 0.1 s, 0.2 s, …, 100 s: the q-quantile is 100·q s.
        let values: Vec<f64> = (1..=1000).map(|i| i as f64 / 10.0).collect();
        let points = cdf_points(&values, 200);
        assert_eq!(points.len(), 201, "a start point and 200 quantiles");
        assert!(is_monotone(&points));
        assert_eq!(points[0], CdfPoint { value_s: 0.1, probability: 0.0 });
        assert_eq!(points[100], CdfPoint { value_s: 50.0, probability: 0.5 });
        assert_eq!(points[190], CdfPoint { value_s: 95.0, probability: 0.95 });
        assert_eq!(*points.last().unwrap(), CdfPoint { value_s: 100.0, probability: 1.0 });
    }

    #[test]
    fn a_small_sample_keeps_every_value_and_a_large_one_stays_light() {
        let small = cdf_points(&[1.0, 2.0, 4.0], 400);
        let probabilities: Vec<f64> = small.iter().map(|p| p.probability).collect();
        assert_eq!(probabilities, [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]);
        let large: Vec<f64> = (0..1_000_003).map(|i| (i / 7) as f64).collect();
        let points = cdf_points(&large, CDF_POINTS);
        assert_eq!(points.len(), CDF_POINTS + 1);
        assert!(is_monotone(&points));
        assert_eq!(points.last().unwrap().probability, 1.0);
        assert_eq!(points.last().unwrap().value_s, (1_000_002 / 7) as f64, "the largest value");
    }

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
            responded: Some(SimTime::from_secs(sr_id)),
            target: sim::SimDuration::from_secs(30),
            user_signing: sim::SimDuration::ZERO,
            execution: None,
            outcome: Outcome::Responded,
        };
        let records = [record(1, "4.1.1", false), record(2, "8.1.1", true), record(3, "4.1.1", false)];
        let curves = by_class(&records);
        let labels: Vec<&str> = curves.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["4.1.1 on_demand", "8.1.1 on_demand critical"]);
        assert_eq!((curves[0].submitted, curves[0].points.last().unwrap().value_s), (2, 3.0));
    }

    #[test]
    fn ties_give_equal_values_at_rising_probabilities() {
        let points = cdf_points(&[5.0; 10], 4);
        assert!(is_monotone(&points));
        assert!(points.iter().all(|p| p.value_s == 5.0));
        assert_eq!(points.last().unwrap().probability, 1.0);
        assert!(cdf_points(&[], 10).is_empty());
    }
}
