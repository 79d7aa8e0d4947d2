//! DCC Users suspended (`[[user_suspensions]]`): per suspension, the requests
//! refused, and for refused top-ups (SRV 2.2) the prepayment customers' fallback to
//! a UTRN typed into the in-home display or meter: how many did so and how late,
//! how many missed their top-up, and how many customers that leaves at risk of
//! going without supply ([`crate::scenario::suspensions`]).
//!
//! Counted from each refused request as it streams ([`SuspensionTally::add`]). A
//! customer's UTRN is drawn from the request's own stream, so the figures do not
//! depend on the order requests end in.

use sim::stats::LatencyHistogram;

use crate::scenario::suspensions::SuspensionSpec;
use crate::service_request::{Refusal, ServiceRequestRecord};
use crate::streams::{Purpose, Streams};

/// The SRV of a prepayment top-up (DOMAIN §1.1: 2.2 "Top Up Device").
const TOP_UP: &str = "2.2";

/// One suspension's counts.
#[derive(Debug, Clone)]
pub struct SuspensionCounts {
    /// Requests of the User refused.
    pub refused: u64,
    /// Of them, top-ups.
    pub top_ups_refused: u64,
    /// Top-ups whose customer typed in a UTRN instead.
    pub utrn_used: u64,
    /// From the refused top-up to the UTRN typed in.
    pub utrn_delay: LatencyHistogram,
    /// Top-ups missed: no UTRN.
    pub missed: u64,
    /// Premises with a missed top-up, one bit each: made at the first miss, so a
    /// suspension that leaves no one at risk costs nothing.
    at_risk: Vec<u64>,
    /// The premises of the run (the bits to make).
    premises: u32,
}

impl SuspensionCounts {
    /// Distinct customers with a missed top-up.
    pub fn customers_at_risk(&self) -> u64 {
        self.at_risk.iter().map(|w| u64::from(w.count_ones())).sum()
    }
}

/// Every suspension's counts, in the file's order.
#[derive(Debug, Clone)]
pub struct SuspensionTally {
    specs: Vec<SuspensionSpec>,
    streams: Streams,
    counts: Vec<SuspensionCounts>,
}

impl SuspensionTally {
    /// No counts yet, for `specs` in a run of `premises` with `streams`.
    pub fn new(specs: &[SuspensionSpec], premises: u32, streams: Streams) -> SuspensionTally {
        let counts = specs
            .iter()
            .map(|_| SuspensionCounts {
                refused: 0,
                top_ups_refused: 0,
                utrn_used: 0,
                utrn_delay: LatencyHistogram::default(),
                missed: 0,
                at_risk: Vec::new(),
                premises,
            })
            .collect();
        SuspensionTally { specs: specs.to_vec(), streams, counts }
    }

    /// Counts one finished request.
    pub fn add(&mut self, r: &ServiceRequestRecord) {
        if r.refused_by != Some(Refusal::UserSuspended) {
            return;
        }
        let Some(i) = self
            .specs
            .iter()
            .position(|s| s.holds(r.user, r.submitted))
            .or_else(|| self.specs.iter().position(|s| s.user_index == r.user && s.start <= r.submitted))
        else {
            return;
        };
        let (spec, c) = (&self.specs[i], &mut self.counts[i]);
        c.refused += 1;
        if r.srv != TOP_UP {
            return;
        }
        c.top_ups_refused += 1;
        let mut rng = self.streams.stream(r.sr_id, Purpose::Utrn, 0);
        if rng.unit_f64() < spec.utrn_share.get() {
            c.utrn_used += 1;
            c.utrn_delay.record(spec.utrn_delay.sample(&mut rng));
        } else {
            c.missed += 1;
            if c.at_risk.is_empty() {
                c.at_risk = vec![0; (c.premises as usize).div_ceil(64)];
            }
            c.at_risk[r.premises as usize / 64] |= 1 << (r.premises % 64);
        }
    }

    /// The suspensions with their counts, in the file's order.
    pub fn suspensions(&self) -> impl Iterator<Item = (&SuspensionSpec, &SuspensionCounts)> {
        self.specs.iter().zip(&self.counts)
    }
}

/// One suspension in `summary.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SuspensionRow {
    /// The User.
    pub user: String,
    /// Suspended from, s.
    pub start_s: f64,
    /// To, s.
    pub end_s: f64,
    /// Its requests refused.
    pub refused: u64,
    /// Of them, prepayment top-ups.
    pub top_ups_refused: u64,
    /// Top-ups replaced by a UTRN typed in.
    pub utrn_used: u64,
    /// Their delay: median, 95th percentile and longest, s (none without any).
    pub utrn_delay_s: Option<[f64; 3]>,
    /// Top-ups missed.
    pub top_ups_missed: u64,
    /// Distinct customers with a missed top-up: at risk of going without supply.
    pub customers_at_risk: u64,
}

impl SuspensionRow {
    /// The rows of a run's suspensions.
    pub fn of(tally: &SuspensionTally) -> Vec<SuspensionRow> {
        tally
            .suspensions()
            .map(|(s, c)| SuspensionRow {
                user: s.user.clone(),
                start_s: s.start.as_secs_f64(),
                end_s: (s.start + s.duration).as_secs_f64(),
                refused: c.refused,
                top_ups_refused: c.top_ups_refused,
                utrn_used: c.utrn_used,
                utrn_delay_s: (c.utrn_used > 0)
                    .then(|| [c.utrn_delay.quantile_s(0.5), c.utrn_delay.quantile_s(0.95), c.utrn_delay.max_s()]),
                top_ups_missed: c.missed,
                customers_at_risk: c.customers_at_risk(),
            })
            .collect()
    }
}
