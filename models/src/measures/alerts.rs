//! Power outages and alerts: what the DNOs learnt of each fault and when, alert
//! copies by code, recipient and outcome, event windows, and the storm's effect on
//! On Demand traffic.

use serde::Serialize;
use sim::SimTime;

use super::RunOutput;
use crate::alert::{AlertCode, AlertOutcome, Recipient};
use crate::scenario::Scenario;

fn secs(t: SimTime) -> f64 {
    t.0 as f64 / 1e6
}

/// What the DNO learnt of one fault.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FaultReport {
    /// AD1s raised for it.
    pub ad1_raised: u64,
    /// The DNO copies of those AD1s, by outcome, in [`AlertOutcome::ALL`] order:
    /// every copy ends in exactly one, so they sum to `ad1_raised`.
    pub dno_copies: [u64; AlertOutcome::ALL.len()],
    /// Distinct premises whose AD1 reached the DNO.
    pub premises_reported: u64,
    /// From the fault's start to its first AD1 at the DNO, s.
    pub first_alert_at_dno_s: Option<f64>,
}

impl FaultReport {
    /// DNO copies that ended in any of `outcomes`.
    pub fn copies(&self, outcomes: &[AlertOutcome]) -> u64 {
        AlertOutcome::ALL.iter().zip(&self.dno_copies).filter(|(o, _)| outcomes.contains(o)).map(|(_, n)| n).sum()
    }

    /// AD1s that reached the DNO, alone or in a CSP event.
    pub fn at_dno(&self) -> u64 {
        self.copies(&[AlertOutcome::Delivered])
    }

    /// AD1s held back by design: discarded by DCC's storm protection or
    /// consolidated at the hub (their counts travel with a later alert).
    pub fn suppressed(&self) -> u64 {
        self.copies(&[AlertOutcome::Discarded, AlertOutcome::Consolidated, AlertOutcome::NotForwarded])
    }

    /// AD1s that never left or were lost: no WAN, no energy, or the WAN failed.
    pub fn lost(&self) -> u64 {
        self.copies(&[AlertOutcome::NoWan, AlertOutcome::NoEnergy, AlertOutcome::EnergyExhausted, AlertOutcome::Failed])
    }

    /// AD1s still on their way when the run ended.
    pub fn unfinished(&self) -> u64 {
        self.copies(&[AlertOutcome::Unfinished])
    }
}

/// Per fault, by id.
pub fn fault_reports(r: &RunOutput) -> Vec<FaultReport> {
    r.measures.alerts.fault_reports(&r.world)
}

/// Alert copies by code × recipient × outcome: counters indexed by the enums'
/// positions, mergeable across partitions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlertCopyCounts {
    copies: [[[u64; AlertOutcome::ALL.len()]; 2]; 2],
}

impl AlertCopyCounts {
    /// The codes, in counting order.
    const CODES: [AlertCode; 2] = [AlertCode::PowerOutage, AlertCode::SupplyRestored];
    /// The recipients, in counting order.
    const RECIPIENTS: [Recipient; 2] = [Recipient::ElectricityDistributor, Recipient::Supplier];

    /// Counts one copy.
    pub fn add(&mut self, code: AlertCode, recipient: Recipient, outcome: AlertOutcome) {
        let c = Self::CODES.iter().position(|&c| c == code).unwrap_or(0);
        let d = Self::RECIPIENTS.iter().position(|&d| d == recipient).unwrap_or(0);
        let o = AlertOutcome::ALL.iter().position(|&o| o == outcome).unwrap_or(0);
        self.copies[c][d][o] += 1;
    }

    /// Adds another partition's counts.
    pub fn merge(&mut self, other: &AlertCopyCounts) {
        let theirs = other.copies.iter().flatten().flatten();
        for (mine, t) in self.copies.iter_mut().flatten().flatten().zip(theirs) {
            *mine += t;
        }
    }

    /// Copies counted, all codes, recipients and outcomes.
    pub fn total(&self) -> u64 {
        self.copies.iter().flatten().flatten().sum()
    }

    /// One row per code and recipient with any copy, in code then recipient order.
    pub fn rows(&self) -> Vec<OutcomeRow> {
        let mut rows = Vec::new();
        for (c, code) in Self::CODES.iter().enumerate() {
            for (d, recipient) in Self::RECIPIENTS.iter().enumerate() {
                let counts = self.copies[c][d];
                if counts.iter().any(|&n| n > 0) {
                    rows.push(OutcomeRow {
                        alert_code: code.as_str().into(),
                        recipient_role: recipient.code().into(),
                        copies: AlertOutcome::ALL.iter().map(|o| o.as_str().to_string()).zip(counts).collect(),
                    });
                }
            }
        }
        rows
    }
}

/// Copies of one alert code by outcome.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutcomeRow {
    /// "AD1" or "8F36".
    pub alert_code: String,
    /// "ED" or "IS".
    pub recipient_role: String,
    /// Copies, by outcome in [`AlertOutcome::ALL`] order.
    pub copies: Vec<(String, u64)>,
}

/// On Demand requests in and out of the outage period, and prepayment top-ups.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cpm1Impact {
    /// The outage period: from the first fault to the last restoration (or the
    /// horizon), s.
    pub period_s: (f64, f64),
    /// CPM1 of On Demand requests submitted in the period, %.
    pub during_pct: Option<f64>,
    /// CPM1 of those submitted outside it, %.
    pub outside_pct: Option<f64>,
    /// CPM1 of prepayment top-ups (SRV 2.2) submitted in the period, %.
    pub top_ups_during_pct: Option<f64>,
    /// On Demand requests in the period that failed (most to premises off supply).
    pub failed_during: u64,
}

/// The alert figures of a run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlertSummary {
    /// Faults and firmware campaigns.
    pub faults: u64,
    /// Premises that lost supply at least once.
    pub premises_off: u64,
    /// How long customers were off supply: the tail past 1, 3 and 7 days.
    pub interruptions: super::interruptions::InterruptionSummary,
    /// Alerts the hubs raised (all codes).
    pub raised: u64,
    /// Copies by code, recipient and outcome.
    pub outcomes: Vec<OutcomeRow>,
    /// AD1 delivery latency to DNOs, raised to delivered, s: p50, p95, p99, max.
    pub dno_latency_s: [f64; 4],
    /// AD1 copies for DNOs delivered within the delivery-time target, %.
    pub dno_within_target_pct: Option<f64>,
    /// The delivery-time target, s.
    pub delivery_target_s: f64,
    /// The CSP's Power Outage Event Windows.
    pub events_isolated: u64,
    /// Events of more than the threshold.
    pub events_large: u64,
    /// Share of events with at most the threshold of hubs, %.
    pub events_isolated_pct: Option<f64>,
    /// AD1s received in isolated and in large events.
    pub event_alerts: (u64, u64),
    /// PM12.1 and PM12.2 style ratios: messages sent to DCC ÷ AD1s received, %.
    pub pm12_pct: (Option<f64>, Option<f64>),
    /// Faults with at least one AD1 at the DNO.
    pub faults_reported: u64,
    /// Median over faults of the time from the fault to its first AD1 at the DNO, s.
    pub first_alert_median_s: Option<f64>,
    /// Distinct premises whose AD1 reached the DNO ÷ distinct premises off supply
    /// for longer than the threshold, network faults only, %.
    pub premises_reported_pct: Option<f64>,
    /// The storm's effect on On Demand traffic.
    pub cpm1: Cpm1Impact,
}

fn pct(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| 100.0 * n as f64 / d as f64)
}

impl AlertSummary {
    /// Summarises the alerts of a run; `None` if the scenario has no outages.
    pub fn of(scenario: &Scenario, r: &RunOutput, reports: &[FaultReport]) -> Option<AlertSummary> {
        let world = &r.world;
        if world.outages.is_empty() {
            return None;
        }
        let tally = &r.measures.alerts;
        let latency = &tally.dno_latency;
        let pm = tally.windows.measure(&scenario.alerts);
        let mut firsts: Vec<f64> = reports.iter().filter_map(|f| f.first_alert_at_dno_s).collect();
        firsts.sort_by(f64::total_cmp);
        // Distinct premises: overlapping faults would count a premises twice.
        let threshold = scenario.alerts.power_outage_threshold;
        let network_fault = |f: u32| world.outages.faults[f as usize].level != crate::outage::FaultLevel::Firmware;
        let mut long_off: Vec<u32> = world
            .outages
            .cuts()
            .iter()
            .filter(|c| c.duration() > threshold && network_fault(c.fault))
            .map(|c| c.premises)
            .collect();
        long_off.dedup();
        let (affected, reported) = (long_off.len() as u64, tally.premises_reported(world));
        let mut premises_off: Vec<u32> = world.outages.cuts().iter().map(|c| c.premises).collect();
        premises_off.dedup();
        let c = &tally.cpm1;
        Some(AlertSummary {
            faults: world.outages.faults.len() as u64,
            premises_off: premises_off.len() as u64,
            interruptions: super::interruptions::InterruptionSummary::of(&world.outages, scenario.horizon),
            raised: world.alert_plan.alerts.len() as u64,
            outcomes: tally.copies.rows(),
            dno_latency_s: [
                latency.quantile_s(0.5),
                latency.quantile_s(0.95),
                latency.quantile_s(0.99),
                latency.max_s(),
            ],
            dno_within_target_pct: pct(tally.dno_within_target, tally.dno_counted),
            delivery_target_s: scenario.alerts.delivery_target.as_secs_f64(),
            events_isolated: pm.isolated_events,
            events_large: pm.large_events,
            events_isolated_pct: pm.isolated_share_pct(),
            event_alerts: (pm.isolated_alerts, pm.large_alerts),
            pm12_pct: (
                pct(pm.isolated_messages_sent, pm.isolated_alerts),
                pct(pm.large_messages_sent, pm.large_alerts),
            ),
            faults_reported: firsts.len() as u64,
            first_alert_median_s: (!firsts.is_empty()).then(|| firsts[firsts.len() / 2]),
            premises_reported_pct: pct(reported, affected),
            cpm1: Cpm1Impact {
                period_s: (secs(c.period.0), secs(c.period.1)),
                during_pct: pct(c.counts[0].1, c.counts[0].0),
                outside_pct: pct(c.counts[1].1, c.counts[1].0),
                top_ups_during_pct: pct(c.counts[2].1, c.counts[2].0),
                failed_during: c.failed_during,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_counts_merge_to_the_whole_and_every_copy_is_counted_once() {
        let mut whole = AlertCopyCounts::default();
        let mut parts = [AlertCopyCounts::default(); 3];
        let codes = AlertCopyCounts::CODES;
        let recipients = AlertCopyCounts::RECIPIENTS;
        for i in 0..90usize {
            let (code, to, outcome) = (codes[i % 2], recipients[i % 3 / 2], AlertOutcome::ALL[i % 9]);
            whole.add(code, to, outcome);
            parts[i % 3].add(code, to, outcome);
        }
        let mut merged = AlertCopyCounts::default();
        parts.iter().for_each(|p| merged.merge(p));
        assert_eq!(merged, whole);
        assert_eq!(whole.total(), 90);
        let rows = whole.rows();
        let in_rows: u64 = rows.iter().flat_map(|r| r.copies.iter().map(|(_, n)| n)).sum();
        assert_eq!(in_rows, 90, "the rows hold every copy");
        assert_eq!(rows[0].alert_code, "AD1");
        assert_eq!(rows[0].recipient_role, "ED");
    }
}
