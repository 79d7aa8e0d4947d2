//! The figures of a run, as saved in `summary.json` (and printed at the end).
//!
//! Everything here is a function of the scenario and seed alone (no wall time), so
//! the summary is identical whatever the thread count.

use serde::Serialize;
use sim::StationStats;

use super::RunOutput;
use super::cpm::{CpmCounts, Tally};
use super::trt::{TrtFigures, TrtSummary};
use crate::region::CspRegion;
use crate::scenario::Scenario;

/// TRT figures of one group of requests.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrtRow {
    /// "overall", a CSP region, "smets2" or "smets1" (the premises' meters), or an
    /// SR class ("SRV mode").
    pub group: String,
    /// Requests submitted.
    pub submitted: u64,
    /// Requests answered.
    pub responded: u64,
    /// Requests open at the end.
    pub unfinished: u64,
    /// Requests rejected by the DSP.
    pub rejected: u64,
    /// Requests the WAN failed to deliver.
    pub failed: u64,
    /// Requests DCC never received: the User Gateway was down.
    pub refused: u64,
    /// Future Dated requests due after the run's end.
    pub not_yet_due: u64,
    /// Mean TRT, s; `None` when none was answered.
    pub mean_s: Option<f64>,
    /// Median TRT, s; `None` when none was answered.
    pub p50_s: Option<f64>,
    /// 95th percentile TRT, s; `None` when none was answered.
    pub p95_s: Option<f64>,
    /// 99th percentile TRT, s; `None` when none was answered.
    pub p99_s: Option<f64>,
    /// Longest TRT, s; `None` when none was answered.
    pub max_s: Option<f64>,
    /// Share of the requests judged (received, not rejected) answered within the
    /// target, %; `None` (n/a) when none was judged: failures and requests left
    /// unanswered count against it; rejections, refusals and requests not yet due
    /// are left out.
    pub within_target_pct: Option<f64>,
}

impl TrtRow {
    fn new(group: &str, f: &TrtFigures) -> TrtRow {
        let answered = |x: f64| (f.responded > 0).then_some(x);
        TrtRow {
            group: group.to_string(),
            submitted: f.submitted,
            responded: f.responded,
            unfinished: f.unfinished,
            rejected: f.rejected,
            failed: f.failed,
            refused: f.refused,
            not_yet_due: f.not_yet_due,
            mean_s: answered(f.mean_s),
            p50_s: answered(f.p50_s),
            p95_s: answered(f.p95_s),
            p99_s: answered(f.p99_s),
            max_s: answered(f.max_s),
            within_target_pct: f.pct_within_target(),
        }
    }
}

/// Queueing figures of one stage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StageRow {
    /// Stage name, e.g. "dsp" or "wan_cells_north".
    pub stage: String,
    /// Servers (channels, for WAN cells) summed over the stage.
    pub servers: u64,
    /// Jobs that arrived.
    pub arrivals: u64,
    /// Busy server time over available server time, %.
    pub utilisation_pct: f64,
    /// Mean wait for a server, s.
    pub mean_wait_s: f64,
    /// Longest wait for a server, s.
    pub max_wait_s: f64,
    /// Mean service time, s.
    pub mean_service_s: f64,
    /// Time-averaged jobs in the stage.
    pub mean_in_system: f64,
}

impl StageRow {
    pub(crate) fn new(stage: &str, s: &StationStats, span_s: f64) -> StageRow {
        let span = sim::SimDuration::from_secs_f64(span_s);
        StageRow {
            stage: stage.to_string(),
            servers: s.servers,
            arrivals: s.arrivals,
            utilisation_pct: 100.0 * s.utilisation(span),
            mean_wait_s: s.mean_wait_s(),
            max_wait_s: s.wait_max_us as f64 / 1e6,
            mean_service_s: s.mean_service_s(),
            mean_in_system: if span_s > 0.0 { s.in_system.total_level_s() / span_s } else { 0.0 },
        }
    }
}

/// The deterministic figures of a run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RunSummary {
    /// Study name.
    pub scenario: String,
    /// Seed used.
    pub seed: u64,
    /// Submission horizon, s.
    pub horizon_s: f64,
    /// Simulated time at which the run ended, s.
    pub simulated_end_s: f64,
    /// The On Demand TRT, s.
    pub target_s: f64,
    /// Events handled.
    pub events: u64,
    /// Partitions.
    pub partitions: u32,
    /// TRT overall, then per CSP region.
    pub trt: Vec<TrtRow>,
    /// Stages in path order.
    pub stages: Vec<StageRow>,
    /// The stage with the highest utilisation.
    pub busiest_stage: String,
    /// Code Performance Measures per calendar month, then for the whole run.
    pub performance: Vec<MeasureRow>,
    /// Requests that waited for one of their User's connections at the User Gateway.
    pub connection_waits: u64,
    /// Mean of those waits, s (0 if none).
    pub connection_wait_mean_s: f64,
    /// Longest of those waits, s.
    pub connection_wait_max_s: f64,
    /// Power outages and alerts, if the scenario has outages.
    pub alerts: Option<super::alerts::AlertSummary>,
    /// The five radio cells with the longest waits for a channel.
    pub busiest_cells: Vec<super::cells::CellRow>,
    /// Routine device alerts, if the scenario has them.
    pub device_alerts: Option<DeviceAlertRow>,
    /// The User Gateway's downtime windows and DSP availability, if it had any.
    pub downtime: Option<super::downtime::DowntimeSummary>,
    /// CSP regional outages, if the scenario has any.
    pub wan_outages: Option<super::wan_outage::WanOutageSummary>,
    /// DCC Users suspended, one row each (empty without `[[user_suspensions]]`).
    pub suspensions: Vec<super::suspensions::SuspensionRow>,
    /// Threshold Anomaly Detection and attacks, if the scenario has either.
    pub anomaly_detection: Option<super::anomaly::AnomalySummary>,
    /// The stage that saturates first as the load grows, and at what multiple.
    pub saturation: Option<super::stages::Saturation>,
    /// Throttling to Users' allocations, if the scenario sets them.
    pub throttling: Option<ThrottleRow>,
    /// Changes of supplier, if premises change supplier.
    pub change_of_supplier: Option<super::switching::SwitchSummary>,
}

/// Throttling to Users' allocations in `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThrottleRow {
    /// Each User's allocation, requests per second.
    pub allocation_per_s: f64,
    /// The longest hold before a request is rejected, s.
    pub max_hold_s: f64,
    /// Requests held back to their User's allocation.
    pub held: u64,
    /// Their mean and longest hold, s (none without any).
    pub hold_s: Option<[f64; 2]>,
    /// Requests rejected: outcome `refused`, `refused_by` = `throttled`.
    pub rejected: u64,
}

impl ThrottleRow {
    fn of(scenario: &Scenario, t: &crate::user_gateway::ThrottleStats) -> Option<ThrottleRow> {
        (scenario.users.allocation_per_s > 0.0).then(|| ThrottleRow {
            allocation_per_s: scenario.users.allocation_per_s,
            max_hold_s: scenario.users.throttle_max_hold.as_secs_f64(),
            held: t.held,
            hold_s: (t.held > 0).then(|| [t.hold_total_us as f64 / t.held as f64 / 1e6, t.hold_max_us as f64 / 1e6]),
            rejected: t.rejected,
        })
    }
}

/// One Code Performance Measure over one period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MeasureRow {
    /// "YYYY-MM", or "run".
    pub period: String,
    /// "CPM1", "CPM2" or "CPM3".
    pub measure: String,
    /// Requests counted.
    pub counted: u64,
    /// Of them, answered within their TRT.
    pub within_target: u64,
    /// The measure, %; None with nothing counted.
    pub value_pct: Option<f64>,
    /// Target Service Level, %.
    pub target_pct: f64,
    /// Minimum Service Level, %.
    pub minimum_pct: f64,
    /// "met", "below_target", "below_minimum" or "no_data".
    pub status: String,
}

impl RunSummary {
    /// Summarises a run.
    pub fn new(scenario: &Scenario, result: &RunOutput) -> RunSummary {
        let trt = TrtSummary::new(&result.measures.trt);
        let mut rows = vec![TrtRow::new("overall", &trt.overall)];
        for region in CspRegion::ALL {
            rows.push(TrtRow::new(region.key(), &trt.by_region[region.index()]));
        }
        // SMETS1 is reported apart from SMETS2.
        rows.push(TrtRow::new("smets2", &trt.by_generation[0]));
        rows.push(TrtRow::new("smets1", &trt.by_generation[1]));
        for (class, figures) in &trt.by_class {
            rows.push(TrtRow::new(class, figures));
        }
        let span_s = result.measures.run.end.as_secs_f64();
        let stages: Vec<StageRow> =
            super::stages::stages(result).iter().map(|(name, stats)| StageRow::new(name, stats, span_s)).collect();
        let busiest_stage = stages
            .iter()
            .max_by(|a, b| a.utilisation_pct.total_cmp(&b.utilisation_pct))
            .map(|s| s.stage.clone())
            .unwrap_or_default();
        RunSummary {
            scenario: scenario.name.clone(),
            seed: scenario.seed,
            horizon_s: scenario.horizon.as_secs_f64(),
            simulated_end_s: span_s,
            target_s: scenario.measurement.on_demand_trt.as_secs_f64(),
            events: result.measures.run.engine.events,
            partitions: result.measures.run.partitions,
            trt: rows,
            stages,
            busiest_stage,
            connection_waits: result.measures.connections.waited,
            connection_wait_mean_s: if result.measures.connections.waited == 0 {
                0.0
            } else {
                result.measures.connections.wait_total_us as f64 / result.measures.connections.waited as f64 / 1e6
            },
            connection_wait_max_s: result.measures.connections.wait_max_us as f64 / 1e6,
            busiest_cells: super::cells::busiest(result, 5),
            device_alerts: DeviceAlertRow::of(result),
            downtime: super::downtime::DowntimeSummary::of(result),
            wan_outages: super::wan_outage::WanOutageSummary::of(result),
            suspensions: super::suspensions::SuspensionRow::of(&result.measures.suspensions),
            anomaly_detection: super::anomaly::AnomalySummary::of(
                scenario,
                &result.measures.anomaly,
                &result.world.users.names(),
            ),
            throttling: ThrottleRow::of(scenario, &result.measures.throttle),
            change_of_supplier: super::switching::SwitchSummary::of(
                &result.world,
                &result.measures.switches,
                StageRow::new("cos_party", &result.measures.stages.cos_party, span_s),
            ),
            saturation: super::stages::Saturation::of(
                &super::stages::stage_series(result),
                scenario.horizon.as_secs_f64(),
            ),
            alerts: super::alerts::AlertSummary::of(scenario, result, &super::alerts::fault_reports(result)),
            performance: cpm_counts(scenario, result)
                .measures(scenario.measurement.service_levels())
                .into_iter()
                .map(|m| MeasureRow {
                    period: m.period.clone(),
                    measure: m.measure.to_string(),
                    counted: m.counted,
                    within_target: m.within_target,
                    value_pct: m.value_pct,
                    target_pct: m.levels.target_pct,
                    minimum_pct: m.levels.minimum_pct,
                    status: m.status().to_string(),
                })
                .collect(),
        }
    }
}

/// The run's CPM counts with routine device alerts added to CPM3 by day (those
/// unfinished on the last day). Outage alert copies DCC should have delivered
/// (delivered, lost on the WAN, or still on their way) were counted one by one in
/// the month raised as they ended ([`super::AlertTally::add`]).
fn cpm_counts(scenario: &Scenario, result: &RunOutput) -> CpmCounts {
    let mut counts = result.measures.cpm.clone();
    let device = &result.measures.device_alerts;
    let day = |d: usize| sim::SimTime(d as u64 * 86_400_000_000);
    for (d, &(counted, within_target)) in device.by_day.iter().enumerate() {
        counts.add_alerts(day(d), Tally { counted, within_target });
    }
    if device.unfinished() > 0 {
        let last = (scenario.horizon.0.saturating_sub(1) / 86_400_000_000) as usize;
        counts.add_alerts(day(last), Tally { counted: device.unfinished(), within_target: 0 });
    }
    counts
}

/// Routine device alerts (DOMAIN §5's background traffic), counted.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DeviceAlertRow {
    /// Raised by hubs.
    pub raised: u64,
    /// Delivered to suppliers.
    pub delivered: u64,
    /// Lost on the WAN more often than the CSP retries.
    pub failed: u64,
    /// Still on their way at the end.
    pub unfinished: u64,
    /// Raised to delivered, s: p50, p95, p99, max.
    pub latency_s: [f64; 4],
}

impl DeviceAlertRow {
    fn of(result: &RunOutput) -> Option<DeviceAlertRow> {
        let d = &result.measures.device_alerts;
        if d.raised == 0 {
            return None;
        }
        let q = |x: f64| if d.latency.count() > 0 { d.latency.quantile_s(x) } else { 0.0 };
        Some(DeviceAlertRow {
            raised: d.raised,
            delivered: d.delivered,
            failed: d.failed,
            unfinished: d.unfinished(),
            latency_s: [q(0.5), q(0.95), q(0.99), if d.latency.count() > 0 { d.latency.max_s() } else { 0.0 }],
        })
    }
}
