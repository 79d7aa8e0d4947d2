//! What the alert figures need, counted copy by copy as the run goes: a bounded
//! aggregate whose size follows the fault plan (one bit per planned alert) and the
//! CSPs' event windows, never the traffic.

use sim::SimTime;
use sim::stats::LatencyHistogram;

use super::alerts::{AlertCopyCounts, FaultReport};
use super::cpm::{CpmCounts, Tally};
use crate::alert::event_window::Pm12Windows;
use crate::alert::{AlertCode, AlertOutcome, AlertRecord, Recipient};
use crate::outage::FaultLevel;
use crate::service_request::{Mode, Outcome, ServiceRequestRecord};
use crate::world::World;

/// One bit per planned alert.
#[derive(Debug, Clone, Default, PartialEq)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    /// Sets bit `i`; returns whether it was set already.
    fn set(&mut self, i: usize) -> bool {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let was = self.0[word] & bit != 0;
        self.0[word] |= bit;
        was
    }

    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & (1u64 << (i % 64)) != 0
    }
}

/// On Demand requests in and out of the outage period, and prepayment top-ups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cpm1Tally {
    /// The outage period: from the first fault to the last restoration (or the horizon).
    pub period: (SimTime, SimTime),
    /// (counted, within target): during the period, outside it, top-ups (SRV 2.2)
    /// during it.
    pub counts: [(u64, u64); 3],
    /// On Demand requests submitted in the period that failed.
    pub failed_during: u64,
}

impl Cpm1Tally {
    fn add(&mut self, r: &ServiceRequestRecord) {
        if r.mode != Mode::OnDemand || matches!(r.outcome, Outcome::Rejected | Outcome::DeviceRejected) {
            return;
        }
        let during = r.submitted >= self.period.0 && r.submitted < self.period.1;
        let within = u64::from(r.within_target());
        let slot = &mut self.counts[usize::from(!during)];
        *slot = (slot.0 + 1, slot.1 + within);
        if during && r.srv == "2.2" {
            self.counts[2] = (self.counts[2].0 + 1, self.counts[2].1 + within);
        }
        self.failed_during += u64::from(during && r.outcome == Outcome::Failed);
    }
}

/// Alert copies and what they mean for the DNOs, counted one record at a time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AlertTally {
    /// Copies by code × recipient × outcome.
    pub copies: AlertCopyCounts,
    /// AD1 latency to DNOs, raised to delivered.
    pub dno_latency: LatencyHistogram,
    /// AD1 copies for DNOs delivered within the delivery-time target.
    pub dno_within_target: u64,
    /// AD1 copies for DNOs DCC should have delivered (delivered, failed or unfinished).
    pub dno_counted: u64,
    /// The CSPs' event windows.
    pub windows: Pm12Windows,
    /// Per fault: AD1s raised and the first at the DNO (premises reported are
    /// counted in [`AlertTally::fault_reports`]).
    faults: Vec<FaultReport>,
    /// Planned alerts whose DNO copy was delivered.
    delivered_to_dno: Bits,
    /// Copies recorded, two bits per planned alert (DNO, supplier).
    recorded: Bits,
    /// On Demand requests against the outage period.
    pub cpm1: Cpm1Tally,
}

impl AlertTally {
    /// An empty tally for the faults and alerts of `world`.
    pub fn new(world: &World) -> AlertTally {
        let faults = &world.outages.faults;
        let start = faults.iter().map(|f| f.start).min().unwrap_or(SimTime::ZERO);
        let end = faults.iter().map(|f| f.restore).max().unwrap_or(SimTime::ZERO).min(world.scenario.horizon);
        let planned = world.alert_plan.alerts.len();
        AlertTally {
            faults: vec![FaultReport::default(); faults.len()],
            delivered_to_dno: Bits::new(planned),
            recorded: Bits::new(2 * planned),
            cpm1: Cpm1Tally { period: (start, end), ..Cpm1Tally::default() },
            ..AlertTally::default()
        }
    }

    /// Counts one request against the outage period.
    pub fn add_request(&mut self, r: &ServiceRequestRecord) {
        self.cpm1.add(r);
    }

    /// Counts one alert copy, and in CPM3 (`cpm`) if DCC should have delivered it.
    /// Panics if the copy was counted before: every copy ends exactly once.
    pub fn add(&mut self, a: &AlertRecord, world: &World, cpm: &mut CpmCounts) {
        let id = a.alert_id as usize;
        let p = &world.alert_plan.alerts[id];
        let slot = 2 * id + usize::from(a.recipient == Recipient::Supplier);
        assert!(!self.recorded.set(slot), "alert {} copy to {:?} ended twice", a.alert_id, a.recipient);
        self.copies.add(p.code, a.recipient, a.outcome);
        let should_deliver =
            matches!(a.outcome, AlertOutcome::Delivered | AlertOutcome::Failed | AlertOutcome::Unfinished);
        let target = world.scenario.alerts.delivery_target;
        let latency = a.latency(p);
        let within = latency.is_some_and(|l| l <= target);
        if should_deliver {
            cpm.add_alerts(p.raised, Tally { counted: 1, within_target: u64::from(within) });
        }
        if p.code != AlertCode::PowerOutage || a.recipient != Recipient::ElectricityDistributor {
            return;
        }
        if let Some(l) = latency {
            self.dno_latency.record(l);
            self.dno_within_target += u64::from(within);
        }
        self.dno_counted += u64::from(should_deliver);
        if let Some(received) = a.csp_received {
            let pop = &world.population;
            let (region, area) = (pop.region_of(p.premises).index() as u8, pop.area_of(p.premises) as u8);
            self.windows.add(&world.scenario.alerts, region, received, area, a.aggregated);
        }
        let fault = &mut self.faults[p.fault as usize];
        fault.ad1_raised += 1;
        fault.dno_copies[AlertOutcome::ALL.iter().position(|&o| o == a.outcome).unwrap_or(0)] += 1;
        if let (AlertOutcome::Delivered, Some(at)) = (a.outcome, a.delivered) {
            self.delivered_to_dno.set(id);
            let since = (at - world.outages.faults[p.fault as usize].start).as_secs_f64();
            fault.first_alert_at_dno_s = Some(fault.first_alert_at_dno_s.map_or(since, |x: f64| x.min(since)));
        }
    }

    /// The copies of planned alerts no partition recorded: those decided at the hub
    /// (no WAN, no energy, consolidated), with their planned fate, or still on their
    /// way. In (alert, recipient) order.
    pub fn unrecorded(&self, world: &World) -> Vec<AlertRecord> {
        let mut out = Vec::new();
        for (id, a) in world.alert_plan.alerts.iter().enumerate() {
            for (k, recipient) in [Recipient::ElectricityDistributor, Recipient::Supplier].into_iter().enumerate() {
                if k < usize::from(a.copies) && !self.recorded.get(2 * id + k) {
                    out.push(AlertRecord {
                        alert_id: id as u32,
                        recipient,
                        outcome: a.fate.unwrap_or(AlertOutcome::Unfinished),
                        csp_received: None,
                        delivered: None,
                        throttled_count: a.carried,
                        aggregated: false,
                    });
                }
            }
        }
        out
    }

    /// What the DNO learnt of each fault, by fault id.
    pub fn fault_reports(&self, world: &World) -> Vec<FaultReport> {
        let mut reports = self.faults.clone();
        for (fault, _) in self.reported(world, |_| true) {
            reports[fault as usize].premises_reported += 1;
        }
        reports
    }

    /// Distinct (fault, premises) whose AD1 reached the DNO, for faults `keep` keeps,
    /// sorted.
    fn reported(&self, world: &World, keep: impl Fn(u32) -> bool) -> Vec<(u32, u32)> {
        let plan = &world.alert_plan.alerts;
        let mut pairs: Vec<(u32, u32)> = (0..plan.len())
            .filter(|&id| self.delivered_to_dno.get(id) && keep(plan[id].fault))
            .map(|id| (plan[id].fault, plan[id].premises))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    /// Distinct premises whose AD1 reached the DNO for a network fault (firmware
    /// campaigns left out).
    pub fn premises_reported(&self, world: &World) -> u64 {
        let network_fault = |f: u32| world.outages.faults[f as usize].level != FaultLevel::Firmware;
        let mut premises: Vec<u32> = self.reported(world, network_fault).into_iter().map(|(_, p)| p).collect();
        premises.sort_unstable();
        premises.dedup();
        premises.len() as u64
    }
}
