//! `alerts.parquet` and `outages.parquet`, and the alert figures of the summary.
//!
//! `alerts.parquet`, one row per alert copy (an alert has one copy for the
//! Electricity Distributor and one more for an opted-in supplier):
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `alert_id` | u32 | the alert, in order of raising; its copies share it |
//! | `alert_code` | string | "AD1" (Power Outage Alert) or "8F36" (restoration) |
//! | `premises_id` | u32 | the premises whose hub raised it |
//! | `fault_id` | u32 | the fault (row of `outages.parquet`) behind it |
//! | `dno` | string | DNO licence area key |
//! | `substation_id` | u32 | secondary substation supplying the premises |
//! | `csp_region` | string | "north", "central" or "south" |
//! | `power_lost_s` | f64 | supply lost at the premises, s from start |
//! | `raised_s` | f64 | the hub raised it, s |
//! | `csp_received_s` | f64, null | the CSP received it from the cell, s |
//! | `delivered_s` | f64, null | the recipient got it, s |
//! | `recipient_role` | string | "ED" (the DNO) or "IS" (the supplier) |
//! | `latency_s` | f64, null | `delivered_s − raised_s` |
//! | `throttled_count` | u32 | identical alerts this copy stands for besides itself |
//! | `aggregated` | bool | delivered inside a CSP power outage event |
//! | `outcome` | string | see [`AlertOutcome::as_str`] |
//!
//! `outages.parquet`, one row per fault or firmware campaign: see [`write_outages`].

use std::path::Path;

use models::alert::event_window::Pm12;
use models::alert::{AlertCode, AlertOutcome, AlertRecord, Recipient};
use models::network::RunResult;
use models::scenario::Scenario;
use models::service_request::{Mode, Outcome};
use models::topology::DNO_AREAS;
use polars::prelude::*;
use serde::Serialize;
use sim::SimTime;
use sim::stats::LatencyHistogram;

use crate::ReportError;

fn secs(t: SimTime) -> f64 {
    t.0 as f64 / 1e6
}

/// Writes `alerts.parquet`.
pub fn write_alerts(path: &Path, r: &RunResult) -> Result<(), ReportError> {
    let plan = &r.alert_plan.alerts;
    let pop = &r.population;
    let rows = &r.alerts;
    let planned = |a: &AlertRecord| &plan[a.alert_id as usize];
    let strs = |name: &str, f: &dyn Fn(&AlertRecord) -> &'static str| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<&str>>())
    };
    let d = pop.distribution();
    let columns = vec![
        Column::new("alert_id".into(), rows.iter().map(|a| a.alert_id).collect::<Vec<u32>>()),
        strs("alert_code", &|a| planned(a).code.as_str()),
        Column::new("premises_id".into(), rows.iter().map(|a| planned(a).premises).collect::<Vec<u32>>()),
        Column::new("fault_id".into(), rows.iter().map(|a| planned(a).fault).collect::<Vec<u32>>()),
        strs("dno", &|a| DNO_AREAS[pop.area_of(planned(a).premises)].key),
        Column::new(
            "substation_id".into(),
            rows.iter().map(|a| d.secondary_of(d.feeder_of(planned(a).premises))).collect::<Vec<u32>>(),
        ),
        strs("csp_region", &|a| pop.region_of(planned(a).premises).key()),
        Column::new("power_lost_s".into(), rows.iter().map(|a| secs(planned(a).power_lost)).collect::<Vec<f64>>()),
        Column::new("raised_s".into(), rows.iter().map(|a| secs(planned(a).raised)).collect::<Vec<f64>>()),
        Column::new(
            "csp_received_s".into(),
            rows.iter().map(|a| a.csp_received.map(secs)).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("delivered_s".into(), rows.iter().map(|a| a.delivered.map(secs)).collect::<Vec<Option<f64>>>()),
        strs("recipient_role", &|a| a.recipient.code()),
        Column::new(
            "latency_s".into(),
            rows.iter().map(|a| a.latency(planned(a)).map(|l| l.as_secs_f64())).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("throttled_count".into(), rows.iter().map(|a| a.throttled_count).collect::<Vec<u32>>()),
        Column::new("aggregated".into(), rows.iter().map(|a| a.aggregated).collect::<Vec<bool>>()),
        strs("outcome", &|a| a.outcome.as_str()),
    ];
    let mut df = DataFrame::new(rows.len(), columns)?;
    crate::write_parquet(path, &mut df)
}

/// What the DNO learnt of one fault.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FaultReport {
    /// AD1s raised for it.
    pub ad1_raised: u64,
    /// Distinct premises whose AD1 reached the DNO.
    pub premises_reported: u64,
    /// From the fault's start to its first AD1 at the DNO, s.
    pub first_alert_at_dno_s: Option<f64>,
}

/// Per fault, by id.
pub fn fault_reports(r: &RunResult) -> Vec<FaultReport> {
    let plan = &r.alert_plan.alerts;
    let mut reports = vec![FaultReport::default(); r.outages.faults.len()];
    let mut reported: Vec<(u32, u32)> = Vec::new();
    for a in &r.alerts {
        let p = &plan[a.alert_id as usize];
        if p.code != AlertCode::PowerOutage || a.recipient != Recipient::ElectricityDistributor {
            continue;
        }
        let f = &mut reports[p.fault as usize];
        f.ad1_raised += 1;
        if let (AlertOutcome::Delivered, Some(at)) = (a.outcome, a.delivered) {
            reported.push((p.fault, p.premises));
            let since = secs(at) - secs(r.outages.faults[p.fault as usize].start);
            f.first_alert_at_dno_s = Some(f.first_alert_at_dno_s.map_or(since, |x: f64| x.min(since)));
        }
    }
    reported.sort_unstable();
    reported.dedup();
    for (fault, _) in reported {
        reports[fault as usize].premises_reported += 1;
    }
    reports
}

/// Writes `outages.parquet`: `fault_id`, `level` (feeder, secondary, primary, area,
/// firmware), `cause` (fault, storm, firmware), `node` (its id at its level), `dno`
/// (area key, null for a firmware campaign), `start_s`, `restore_s`,
/// `longest_interruption_s`, `interruptions`, `premises_affected`, `ad1_raised`,
/// `premises_reported` (distinct premises whose AD1 reached the DNO),
/// `reported_share` (of the premises affected) and `first_alert_at_dno_s` (from the
/// fault's start; null if none arrived).
pub fn write_outages(path: &Path, r: &RunResult, reports: &[FaultReport]) -> Result<(), ReportError> {
    let f = &r.outages.faults;
    let columns = vec![
        Column::new("fault_id".into(), f.iter().map(|x| x.id).collect::<Vec<u32>>()),
        Column::new("level".into(), f.iter().map(|x| x.level.as_str()).collect::<Vec<&str>>()),
        Column::new("cause".into(), f.iter().map(|x| x.cause.as_str()).collect::<Vec<&str>>()),
        Column::new("node".into(), f.iter().map(|x| x.node).collect::<Vec<u32>>()),
        Column::new("dno".into(), f.iter().map(|x| x.area.map(|a| DNO_AREAS[a].key)).collect::<Vec<Option<&str>>>()),
        Column::new("start_s".into(), f.iter().map(|x| secs(x.start)).collect::<Vec<f64>>()),
        Column::new("restore_s".into(), f.iter().map(|x| secs(x.restore)).collect::<Vec<f64>>()),
        Column::new(
            "longest_interruption_s".into(),
            f.iter().map(|x| x.longest_interruption().as_secs_f64()).collect::<Vec<f64>>(),
        ),
        Column::new("interruptions".into(), f.iter().map(|x| x.intervals.len() as u32).collect::<Vec<u32>>()),
        Column::new("premises_affected".into(), f.iter().map(|x| x.premises_affected).collect::<Vec<u32>>()),
        Column::new("ad1_raised".into(), reports.iter().map(|x| x.ad1_raised).collect::<Vec<u64>>()),
        Column::new("premises_reported".into(), reports.iter().map(|x| x.premises_reported).collect::<Vec<u64>>()),
        Column::new(
            "reported_share".into(),
            f.iter()
                .zip(reports)
                .map(|(x, rep)| {
                    (x.premises_affected > 0).then(|| rep.premises_reported as f64 / f64::from(x.premises_affected))
                })
                .collect::<Vec<Option<f64>>>(),
        ),
        Column::new(
            "first_alert_at_dno_s".into(),
            reports.iter().map(|x| x.first_alert_at_dno_s).collect::<Vec<Option<f64>>>(),
        ),
    ];
    let mut df = DataFrame::new(f.len(), columns)?;
    crate::write_parquet(path, &mut df)
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
    pub fn of(scenario: &Scenario, r: &RunResult, reports: &[FaultReport]) -> Option<AlertSummary> {
        if r.outages.is_empty() {
            return None;
        }
        let plan = &r.alert_plan.alerts;
        // Copies by (code, recipient, outcome), in one pass.
        let codes = [AlertCode::PowerOutage, AlertCode::SupplyRestored];
        let recipients = [Recipient::ElectricityDistributor, Recipient::Supplier];
        let mut counts = [[[0u64; AlertOutcome::ALL.len()]; 2]; 2];
        for a in &r.alerts {
            let c = codes.iter().position(|&c| c == plan[a.alert_id as usize].code).unwrap_or(0);
            let d = recipients.iter().position(|&d| d == a.recipient).unwrap_or(0);
            let o = AlertOutcome::ALL.iter().position(|&o| o == a.outcome).unwrap_or(0);
            counts[c][d][o] += 1;
        }
        let mut outcomes = Vec::new();
        for (c, code) in codes.iter().enumerate() {
            for (d, recipient) in recipients.iter().enumerate() {
                if counts[c][d].iter().any(|&n| n > 0) {
                    outcomes.push(OutcomeRow {
                        alert_code: code.as_str().into(),
                        recipient_role: recipient.code().into(),
                        copies: AlertOutcome::ALL.iter().map(|o| o.as_str().to_string()).zip(counts[c][d]).collect(),
                    });
                }
            }
        }
        let mut latency = LatencyHistogram::default();
        let target = scenario.alerts.delivery_target;
        let (mut within, mut counted) = (0u64, 0u64);
        for a in &r.alerts {
            let p = &plan[a.alert_id as usize];
            if p.code != AlertCode::PowerOutage || a.recipient != Recipient::ElectricityDistributor {
                continue;
            }
            if let Some(l) = a.latency(p) {
                latency.record(l);
                within += u64::from(l <= target);
            }
            counted += u64::from(matches!(
                a.outcome,
                AlertOutcome::Delivered | AlertOutcome::Failed | AlertOutcome::Unfinished
            ));
        }
        let pop = &r.population;
        let pm = Pm12::measure(
            &scenario.alerts,
            r.alerts.iter().filter(|a| a.recipient == Recipient::ElectricityDistributor).filter_map(|a| {
                let p = &plan[a.alert_id as usize];
                let received = a.csp_received?;
                (p.code == AlertCode::PowerOutage).then(|| {
                    (pop.region_of(p.premises).index() as u8, received, pop.area_of(p.premises) as u8, a.aggregated)
                })
            }),
        );
        let mut firsts: Vec<f64> = reports.iter().filter_map(|f| f.first_alert_at_dno_s).collect();
        firsts.sort_by(f64::total_cmp);
        // Distinct premises: overlapping faults would count a premises twice.
        let threshold = scenario.alerts.power_outage_threshold;
        let network_fault = |f: u32| r.outages.faults[f as usize].level != models::outage::FaultLevel::Firmware;
        let mut long_off: Vec<u32> = r
            .outages
            .cuts()
            .iter()
            .filter(|c| c.duration() > threshold && network_fault(c.fault))
            .map(|c| c.premises)
            .collect();
        long_off.dedup();
        let mut reported_premises: Vec<u32> = r
            .alerts
            .iter()
            .filter(|a| a.recipient == Recipient::ElectricityDistributor && a.outcome == AlertOutcome::Delivered)
            .map(|a| &plan[a.alert_id as usize])
            .filter(|p| p.code == AlertCode::PowerOutage && network_fault(p.fault))
            .map(|p| p.premises)
            .collect();
        reported_premises.sort_unstable();
        reported_premises.dedup();
        let (affected, reported) = (long_off.len() as u64, reported_premises.len() as u64);
        let mut premises_off: Vec<u32> = r.outages.cuts().iter().map(|c| c.premises).collect();
        premises_off.dedup();
        let q = |x: f64| if latency.count() > 0 { latency.quantile_s(x) } else { 0.0 };
        Some(AlertSummary {
            faults: r.outages.faults.len() as u64,
            premises_off: premises_off.len() as u64,
            raised: plan.len() as u64,
            outcomes,
            dno_latency_s: [q(0.5), q(0.95), q(0.99), if latency.count() > 0 { latency.max_s() } else { 0.0 }],
            dno_within_target_pct: pct(within, counted),
            delivery_target_s: target.as_secs_f64(),
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
            cpm1: cpm1_impact(scenario, r),
        })
    }

    /// The alert figures as text.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        let _ = writeln!(
            out,
            "\nPower outages and alerts: {} faults, {} premises off supply, {} alerts raised",
            self.faults, self.premises_off, self.raised
        );
        let names: Vec<&str> = AlertOutcome::ALL.iter().map(|o| o.as_str()).collect();
        let _ = write!(out, "{:<6} {:<3}", "code", "to");
        for n in &names {
            let _ = write!(out, " {:>w$}", n, w = n.len().max(8));
        }
        let _ = writeln!(out);
        for row in &self.outcomes {
            let _ = write!(out, "{:<6} {:<3}", row.alert_code, row.recipient_role);
            for (n, (_, c)) in names.iter().zip(&row.copies) {
                let _ = write!(out, " {:>w$}", c, w = n.len().max(8));
            }
            let _ = writeln!(out);
        }
        let [p50, p95, p99, max] = self.dno_latency_s;
        let _ = writeln!(
            out,
            "AD1 to DNOs, raised to delivered (s): p50 {p50:.2}  p95 {p95:.2}  p99 {p99:.2}  max {max:.2}; \
             within {} s: {} %",
            self.delivery_target_s,
            opt(self.dno_within_target_pct)
        );
        let _ = writeln!(
            out,
            "CSP event windows: {} of <= threshold hubs ({} AD1s), {} larger ({} AD1s); isolated share {} %; \
             sent/received {} % and {} %",
            self.events_isolated,
            self.event_alerts.0,
            self.events_large,
            self.event_alerts.1,
            opt(self.events_isolated_pct),
            opt(self.pm12_pct.0),
            opt(self.pm12_pct.1)
        );
        let _ = writeln!(
            out,
            "Faults known to the DNO: {} of {}; median time to first AD1 {} s; premises reported {} % of those off",
            self.faults_reported,
            self.faults,
            opt(self.first_alert_median_s),
            opt(self.premises_reported_pct)
        );
        let c = &self.cpm1;
        let _ = writeln!(
            out,
            "CPM1 during the outages ({:.0}-{:.0} s): {} % (outside: {} %); top-ups (SRV 2.2): {} %; {} On Demand \
             requests failed meanwhile",
            c.period_s.0,
            c.period_s.1,
            opt(c.during_pct),
            opt(c.outside_pct),
            opt(c.top_ups_during_pct),
            c.failed_during
        );
        out
    }
}

fn cpm1_impact(scenario: &Scenario, r: &RunResult) -> Cpm1Impact {
    let start = r.outages.faults.iter().map(|f| f.start).min().unwrap_or(SimTime::ZERO);
    let end = r.outages.faults.iter().map(|f| f.restore).max().unwrap_or(SimTime::ZERO).min(scenario.horizon);
    let mut n = [(0u64, 0u64); 3];
    let mut failed_during = 0;
    for rec in r.records.iter().filter(|x| x.mode == Mode::OnDemand && x.outcome != Outcome::Rejected) {
        let during = rec.submitted >= start && rec.submitted < end;
        let slot = usize::from(!during);
        n[slot].0 += 1;
        n[slot].1 += u64::from(rec.within_target());
        if during && rec.srv == "2.2" {
            n[2].0 += 1;
            n[2].1 += u64::from(rec.within_target());
        }
        failed_during += u64::from(during && rec.outcome == Outcome::Failed);
    }
    Cpm1Impact {
        period_s: (secs(start), secs(end)),
        during_pct: pct(n[0].1, n[0].0),
        outside_pct: pct(n[1].1, n[1].0),
        top_ups_during_pct: pct(n[2].1, n[2].0),
        failed_during,
    }
}
