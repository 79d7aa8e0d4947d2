//! Target Response Times: how many responses met the target, and the distribution.
//!
//! The TRT clock runs from receipt of the request at the DCC User Interface to the
//! Service Response being sent (DOMAIN §1.2, "TRT clock"). Each request is judged
//! against its own target. A request still unfinished at the end of the run counts
//! against the target: it was not answered within it. Requests the DSP rejected are
//! counted apart and left out of the TRT figures.

use crate::region::CspRegion;
use crate::service_request::{Outcome, ServiceRequestRecord};

/// TRT figures of a set of requests. Quantiles are exact (nearest rank).
#[derive(Debug, Clone, PartialEq)]
pub struct TrtFigures {
    /// Requests submitted.
    pub submitted: u64,
    /// Requests answered.
    pub responded: u64,
    /// Requests still open at the end.
    pub unfinished: u64,
    /// Requests rejected by the DSP.
    pub rejected: u64,
    /// Requests the WAN failed to deliver (they count against the target).
    pub failed: u64,
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
        let mut trts_us = Vec::new();
        let (mut submitted, mut unfinished, mut rejected, mut failed, mut within_target) =
            (0u64, 0u64, 0u64, 0u64, 0u64);
        for r in records {
            submitted += 1;
            match (r.outcome, r.trt()) {
                (Outcome::Responded, Some(trt)) => {
                    within_target += u64::from(trt <= r.target);
                    trts_us.push(trt.0);
                }
                (Outcome::Rejected, _) => rejected += 1,
                (Outcome::Failed, _) => failed += 1,
                _ => unfinished += 1,
            }
        }
        trts_us.sort_unstable();
        let n = trts_us.len();
        let quantile = |q: f64| -> f64 {
            if n == 0 {
                return 0.0;
            }
            let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
            trts_us[rank - 1] as f64 / 1e6
        };
        let total_us: u128 = trts_us.iter().map(|&t| u128::from(t)).sum();
        TrtFigures {
            submitted,
            responded: n as u64,
            unfinished,
            rejected,
            failed,
            within_target,
            mean_s: if n == 0 { 0.0 } else { total_us as f64 / n as f64 / 1e6 },
            p50_s: quantile(0.50),
            p95_s: quantile(0.95),
            p99_s: quantile(0.99),
            max_s: quantile(1.0),
        }
    }

    /// Share of requests (submitted and not rejected) answered within their target,
    /// in percent (100 when there were none: no request missed it).
    pub fn pct_within_target(&self) -> f64 {
        let judged = self.submitted - self.rejected;
        if judged == 0 { 100.0 } else { 100.0 * self.within_target as f64 / judged as f64 }
    }
}

/// TRT figures overall, per CSP region and per SR class.
#[derive(Debug, Clone, PartialEq)]
pub struct TrtSummary {
    /// All requests.
    pub overall: TrtFigures,
    /// Per region, indexed by [`CspRegion::index`].
    pub by_region: [TrtFigures; 3],
    /// Per SR class, "SRV mode" (e.g. "4.1.1 on_demand"), in class order.
    pub by_class: Vec<(String, TrtFigures)>,
}

impl TrtSummary {
    /// The summary of a run's records.
    pub fn of(records: &[ServiceRequestRecord]) -> TrtSummary {
        // Group by (SRV, mode) in one pass; classes are few, records many.
        let mut keys: Vec<(&str, crate::service_request::Mode)> = Vec::new();
        let mut class_index = Vec::with_capacity(records.len());
        for r in records {
            let key = (r.srv, r.mode);
            let i = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                keys.push(key);
                keys.len() - 1
            });
            class_index.push(i);
        }
        let mut by_class: Vec<(String, TrtFigures)> = keys
            .iter()
            .enumerate()
            .map(|(i, (srv, mode))| {
                let members = records.iter().zip(&class_index).filter(|(_, c)| **c == i).map(|(r, _)| r);
                (format!("{srv} {}", mode.as_str()), TrtFigures::of(members))
            })
            .collect();
        by_class.sort_by(|a, b| a.0.cmp(&b.0));
        TrtSummary {
            overall: TrtFigures::of(records.iter()),
            by_region: CspRegion::ALL.map(|region| TrtFigures::of(records.iter().filter(|r| r.region == region))),
            by_class,
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
    fn nearest_rank_quantiles_and_target_share() {
        let mut records: Vec<_> = (1..=100).map(|s| answered(s, s)).collect();
        records.push(record(101, None, Outcome::Unfinished));
        let f = TrtFigures::of(records.iter());
        assert_eq!((f.submitted, f.responded, f.unfinished, f.within_target), (101, 100, 1, 30));
        assert_eq!((f.p50_s, f.p95_s, f.p99_s, f.max_s), (50.0, 95.0, 99.0, 100.0));
        assert!((f.mean_s - 50.5).abs() < 1e-12);
        assert!((f.pct_within_target() - 3000.0 / 101.0).abs() < 1e-12);
    }

    #[test]
    fn a_response_exactly_at_the_target_meets_it() {
        let f = TrtFigures::of([answered(1, 30), answered(2, 31)].iter());
        assert_eq!(f.within_target, 1);
    }
}
