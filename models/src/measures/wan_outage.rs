//! CSP regional outages (`[[wan_outages]]`) and what they did: per outage, how the
//! requests sent to premises of its region while it lasted ended, how long after
//! it the last of them was answered, and how the other regions' requests fared
//! meanwhile.
//!
//! Counted from each finished request as it streams ([`WanOutageTally::add`]): a
//! fixed-size tally per outage.

use sim::SimTime;

use crate::region::CspRegion;
use crate::scenario::wan_outages::WanOutages;
use crate::service_request::{Outcome, ServiceRequestRecord};

/// Requests of one group: how they ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Ended {
    /// Sent.
    pub sent: u64,
    /// Answered.
    pub responded: u64,
    /// Ended failed (for the outage's region: mostly commands the CSP gave up on).
    pub failed: u64,
    /// Open at the end of the run.
    pub unfinished: u64,
    /// Judged: received and not rejected.
    pub judged: u64,
    /// Answered within target.
    pub within_target: u64,
}

impl Ended {
    fn add(&mut self, r: &ServiceRequestRecord) {
        self.sent += 1;
        match r.outcome {
            Outcome::Responded => self.responded += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Unfinished => self.unfinished += 1,
            Outcome::Rejected | Outcome::DeviceRejected | Outcome::Refused | Outcome::NotYetDue => {}
        }
        if !matches!(r.outcome, Outcome::Rejected | Outcome::DeviceRejected | Outcome::Refused | Outcome::NotYetDue) {
            self.judged += 1;
            self.within_target += u64::from(r.within_target());
        }
    }

    /// Share of those judged answered within target, %; `None` with none judged.
    pub fn within_target_pct(&self) -> Option<f64> {
        (self.judged > 0).then(|| 100.0 * self.within_target as f64 / self.judged as f64)
    }
}

/// One outage's counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutageTally {
    /// The region.
    pub region: CspRegion,
    /// The cells went down.
    pub start: SimTime,
    /// They came back.
    pub end: SimTime,
    /// Requests to premises of the region sent while it lasted.
    pub in_region: Ended,
    /// Requests to premises of other regions sent meanwhile.
    pub elsewhere: Ended,
    /// The last of the region's requests answered.
    pub last_responded: Option<SimTime>,
}

/// Every outage's counts, in the file's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WanOutageTally {
    outages: Vec<OutageTally>,
}

impl WanOutageTally {
    /// No counts yet, for `outages`.
    pub fn new(outages: &WanOutages) -> WanOutageTally {
        let outages = outages
            .specs
            .iter()
            .map(|o| OutageTally {
                region: o.region,
                start: o.start,
                end: o.end(),
                in_region: Ended::default(),
                elsewhere: Ended::default(),
                last_responded: None,
            })
            .collect();
        WanOutageTally { outages }
    }

    /// Counts one finished request.
    pub fn add(&mut self, r: &ServiceRequestRecord) {
        for o in self.outages.iter_mut().filter(|o| o.start <= r.submitted && r.submitted < o.end) {
            if r.region == o.region {
                o.in_region.add(r);
                if r.outcome == Outcome::Responded {
                    o.last_responded = o.last_responded.max(r.responded);
                }
            } else {
                o.elsewhere.add(r);
            }
        }
    }

    /// The outages' counts, in the file's order.
    pub fn outages(&self) -> &[OutageTally] {
        &self.outages
    }
}

/// One outage in `summary.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct OutageRow {
    /// The `[[wan_outages]]` entry, from 0.
    pub outage: u32,
    /// "north", "central" or "south".
    pub region: &'static str,
    /// The cells went down, s.
    pub start_s: f64,
    /// They came back, s.
    pub end_s: f64,
    /// Share of the region's cells taken down.
    pub cell_share: f64,
    /// Requests to the region's premises sent while it lasted.
    pub in_region: Ended,
    /// Their share answered within target, %.
    pub in_region_within_target_pct: Option<f64>,
    /// From the cells' return to the last of them answered, s.
    pub answered_by_s: Option<f64>,
    /// Requests to other regions sent meanwhile.
    pub elsewhere: Ended,
    /// Their share answered within target, %.
    pub elsewhere_within_target_pct: Option<f64>,
}

/// CSP regional outages in `summary.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WanOutageSummary {
    /// The calendar day of time zero, "YYYY-MM-DD" (for clock times).
    pub start_date: String,
    /// Messages that found their cell down and waited for it (each time).
    pub held: u64,
    /// Commands the CSP gave up on before their cell came back.
    pub commands_given_up: u64,
    /// Each outage.
    pub outages: Vec<OutageRow>,
}

impl WanOutageSummary {
    /// The summary of a run, if it had WAN outages.
    pub fn of(result: &super::RunOutput) -> Option<WanOutageSummary> {
        let specs = &result.world.scenario.wan_outages.specs;
        if specs.is_empty() {
            return None;
        }
        let outages =
            result.measures.wan_outages.outages().iter().zip(specs).enumerate().map(|(i, (t, spec))| OutageRow {
                outage: i as u32,
                region: t.region.key(),
                start_s: t.start.as_secs_f64(),
                end_s: t.end.as_secs_f64(),
                cell_share: spec.cell_share.get(),
                in_region: t.in_region,
                in_region_within_target_pct: t.in_region.within_target_pct(),
                answered_by_s: t.last_responded.map(|at| at.as_secs_f64() - t.end.as_secs_f64()),
                elsewhere: t.elsewhere,
                elsewhere_within_target_pct: t.elsewhere.within_target_pct(),
            });
        let held = &result.measures.wan_held;
        Some(WanOutageSummary {
            start_date: result.world.scenario.measurement.start_date.to_string(),
            held: held.held,
            commands_given_up: held.commands_given_up,
            outages: outages.collect(),
        })
    }
}
