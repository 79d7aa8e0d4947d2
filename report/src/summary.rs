//! The figures of a run: printed at the end, and saved as `summary.json`.
//!
//! Everything here is a function of the scenario and seed alone (no wall time), so
//! the summary is identical whatever the thread count.

use std::fmt::Write as _;

use models::network::RunResult;
use models::performance::{TrtFigures, TrtSummary, code_performance_measures};
use models::region::CspRegion;
use models::scenario::Scenario;
use serde::Serialize;
use sim::StationStats;

/// TRT figures of one group of requests.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrtRow {
    /// "overall", a CSP region, or an SR class ("SRV mode").
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
    /// Mean TRT, s.
    pub mean_s: f64,
    /// Median TRT, s.
    pub p50_s: f64,
    /// 95th percentile TRT, s.
    pub p95_s: f64,
    /// 99th percentile TRT, s.
    pub p99_s: f64,
    /// Longest TRT, s.
    pub max_s: f64,
    /// Share of submitted requests answered within the target, %.
    pub within_target_pct: f64,
}

impl TrtRow {
    fn new(group: &str, f: &TrtFigures) -> TrtRow {
        TrtRow {
            group: group.to_string(),
            submitted: f.submitted,
            responded: f.responded,
            unfinished: f.unfinished,
            rejected: f.rejected,
            failed: f.failed,
            mean_s: f.mean_s,
            p50_s: f.p50_s,
            p95_s: f.p95_s,
            p99_s: f.p99_s,
            max_s: f.max_s,
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
    fn new(stage: &str, s: &StationStats, span_s: f64) -> StageRow {
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
    pub alerts: Option<crate::alerts::AlertSummary>,
    /// The five radio cells with the longest waits for a channel.
    pub busiest_cells: Vec<crate::cells::CellRow>,
    /// Routine device alerts, if the scenario has them.
    pub device_alerts: Option<DeviceAlertRow>,
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
    pub fn new(scenario: &Scenario, result: &RunResult) -> RunSummary {
        let trt = TrtSummary::of(&result.records);
        let mut rows = vec![TrtRow::new("overall", &trt.overall)];
        for region in CspRegion::ALL {
            rows.push(TrtRow::new(region.key(), &trt.by_region[region.index()]));
        }
        for (class, figures) in &trt.by_class {
            rows.push(TrtRow::new(class, figures));
        }
        let span_s = result.end.as_secs_f64();
        let stages: Vec<StageRow> =
            crate::stages::stages(result).iter().map(|(name, stats)| StageRow::new(name, stats, span_s)).collect();
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
            target_s: scenario.on_demand_trt.as_secs_f64(),
            events: result.engine.events,
            partitions: result.partitions,
            trt: rows,
            stages,
            busiest_stage,
            connection_waits: result.connections.waited,
            connection_wait_mean_s: if result.connections.waited == 0 {
                0.0
            } else {
                result.connections.wait_total_us as f64 / result.connections.waited as f64 / 1e6
            },
            connection_wait_max_s: result.connections.wait_max_us as f64 / 1e6,
            busiest_cells: crate::cells::busiest(result, 5),
            device_alerts: DeviceAlertRow::of(result),
            alerts: crate::alerts::AlertSummary::of(scenario, result, &crate::alerts::fault_reports(result)),
            performance: code_performance_measures(
                &result.records,
                &alert_copies(scenario, result),
                scenario.start_date,
                scenario.service_levels,
            )
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

    /// The summary as a table for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: seed {}, {} s of submissions, ended at {:.1} s simulated, {} events, {} partitions",
            self.scenario, self.seed, self.horizon_s, self.simulated_end_s, self.events, self.partitions
        );
        let _ = writeln!(
            out,
            "\nService Requests: Target Response Time (s); On Demand target {} s (each request has its own)",
            self.target_s
        );
        let width = self.trt.iter().map(|r| r.group.len()).max().unwrap_or(5).max(5);
        let _ = writeln!(
            out,
            "{:<width$} {:>10} {:>10} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
            "group", "submitted", "responded", "rejected", "failed", "p50", "p95", "p99", "max", "mean", "within %"
        );
        for r in &self.trt {
            let _ = writeln!(
                out,
                "{:<width$} {:>10} {:>10} {:>9} {:>7} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.2}",
                r.group,
                r.submitted,
                r.responded,
                r.rejected,
                r.failed,
                r.p50_s,
                r.p95_s,
                r.p99_s,
                r.max_s,
                r.mean_s,
                r.within_target_pct
            );
        }
        let _ = writeln!(out, "\nStages");
        let _ = writeln!(
            out,
            "{:<18} {:>8} {:>10} {:>8} {:>11} {:>11}",
            "stage", "servers", "arrivals", "util %", "mean wait s", "max wait s"
        );
        for s in &self.stages {
            let _ = writeln!(
                out,
                "{:<18} {:>8} {:>10} {:>8.2} {:>11.4} {:>11.3}",
                s.stage, s.servers, s.arrivals, s.utilisation_pct, s.mean_wait_s, s.max_wait_s
            );
        }
        let _ = writeln!(out, "\nBusiest stage: {}", self.busiest_stage);
        if let Some(c) = self.busiest_cells.first() {
            let _ = writeln!(
                out,
                "Longest wait for a cell channel: cell {} ({}), {:.3} s (mean {:.4} s, utilisation {:.2} %)",
                c.cell_id, c.network, c.max_wait_s, c.mean_wait_s, c.utilisation_pct
            );
        }
        let _ = writeln!(
            out,
            "User connection limits: {} requests waited for a connection (mean {:.3} s, max {:.3} s)",
            self.connection_waits, self.connection_wait_mean_s, self.connection_wait_max_s
        );
        if let Some(d) = &self.device_alerts {
            let [p50, p95, p99, max] = d.latency_s;
            let _ = writeln!(
                out,
                "\nRoutine device alerts to suppliers: {} raised, {} delivered, {} failed, {} unfinished; \
                 raised to delivered p50 {p50:.2} s, p95 {p95:.2} s, p99 {p99:.2} s, max {max:.2} s",
                d.raised, d.delivered, d.failed, d.unfinished
            );
        }
        if let Some(alerts) = &self.alerts {
            out.push_str(&alerts.to_text());
        }
        let _ = writeln!(out, "\nCode Performance Measures (service levels: target / minimum)");
        let _ = writeln!(
            out,
            "{:<8} {:<7} {:>10} {:>10} {:>9} {:>15}  status",
            "period", "measure", "counted", "within", "value %", "levels %"
        );
        for m in self.performance.iter().filter(|m| m.status != "no_data") {
            let _ = writeln!(
                out,
                "{:<8} {:<7} {:>10} {:>10} {:>9.3} {:>15}  {}",
                m.period,
                m.measure,
                m.counted,
                m.within_target,
                m.value_pct.unwrap_or(f64::NAN),
                format!("{} / {}", m.target_pct, m.minimum_pct),
                m.status
            );
        }
        out
    }
}

/// Alerts CPM3 counts — those DCC should have delivered: delivered, lost on the WAN,
/// or still on their way — as (time raised, counted, within the delivery-time
/// target): outage alert copies one by one, routine device alerts by day (those
/// unfinished on the last day).
fn alert_copies(scenario: &Scenario, result: &RunResult) -> Vec<(sim::SimTime, u64, u64)> {
    use models::alert::AlertOutcome;
    let plan = &result.alert_plan.alerts;
    let mut out: Vec<(sim::SimTime, u64, u64)> = result
        .alerts
        .iter()
        .filter(|a| matches!(a.outcome, AlertOutcome::Delivered | AlertOutcome::Failed | AlertOutcome::Unfinished))
        .map(|a| {
            let p = &plan[a.alert_id as usize];
            (p.raised, 1, u64::from(a.latency(p).is_some_and(|l| l <= scenario.alerts.delivery_target)))
        })
        .collect();
    let device = &result.device_alerts;
    let day = |d: usize| sim::SimTime(d as u64 * 86_400_000_000);
    for (d, &(counted, within)) in device.by_day.iter().enumerate() {
        out.push((day(d), counted, within));
    }
    if device.unfinished() > 0 {
        let last = (scenario.horizon.0.saturating_sub(1) / 86_400_000_000) as usize;
        out.push((day(last), device.unfinished(), 0));
    }
    out
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
    fn of(result: &RunResult) -> Option<DeviceAlertRow> {
        let d = &result.device_alerts;
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
