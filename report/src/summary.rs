//! The figures of a run ([`models::measures::summary`]) as a table for a terminal,
//! printed at the end of `dccsim run` and shown in `report.html`.

use std::fmt::Write as _;

pub use models::measures::summary::{DeviceAlertRow, MeasureRow, RunSummary, StageRow, TrtRow};

/// A figure to two places, or "n/a" when there was nothing to measure.
pub fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2}"))
}

/// The summary as a table for a terminal.
pub fn text(summary: &RunSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: seed {}, {} s of submissions, ended at {:.1} s simulated, {} events, {} partitions",
        summary.scenario, summary.seed, summary.horizon_s, summary.simulated_end_s, summary.events, summary.partitions
    );
    let _ = writeln!(
        out,
        "\nService Requests: Target Response Time (s); On Demand target {} s (each request has its own)",
        summary.target_s
    );
    let width = summary.trt.iter().map(|r| r.group.len()).max().unwrap_or(5).max(5);
    let _ = writeln!(
        out,
        "{:<width$} {:>10} {:>10} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "group",
        "submitted",
        "responded",
        "rejected",
        "failed",
        "refused",
        "p50",
        "p95",
        "p99",
        "max",
        "mean",
        "within %"
    );
    for r in &summary.trt {
        let _ = writeln!(
            out,
            "{:<width$} {:>10} {:>10} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
            r.group,
            r.submitted,
            r.responded,
            r.rejected,
            r.failed,
            r.refused,
            figure(r.p50_s),
            figure(r.p95_s),
            figure(r.p99_s),
            figure(r.max_s),
            figure(r.mean_s),
            figure(r.within_target_pct)
        );
    }
    if let Some(sentence) = crate::html::not_yet_due_sentence(summary) {
        let _ = writeln!(out, "{sentence}");
    }
    let _ = writeln!(out, "\nStages");
    let _ = writeln!(
        out,
        "{:<18} {:>8} {:>10} {:>8} {:>11} {:>11}",
        "stage", "servers", "arrivals", "util %", "mean wait s", "max wait s"
    );
    for s in &summary.stages {
        let _ = writeln!(
            out,
            "{:<18} {:>8} {:>10} {:>8.2} {:>11.4} {:>11.3}",
            s.stage, s.servers, s.arrivals, s.utilisation_pct, s.mean_wait_s, s.max_wait_s
        );
    }
    let _ = writeln!(out, "\nBusiest stage: {}", summary.busiest_stage);
    if let Some(sat) = &summary.saturation {
        let _ = writeln!(out, "{}", crate::html::saturation_sentence(sat));
    }
    if let Some(t) = &summary.throttling {
        let _ = writeln!(out, "{}", crate::html::throttle_sentence(t));
    }
    if let Some(c) = &summary.change_of_supplier {
        let _ = writeln!(out, "\nChange of Supplier: {}", crate::switching::sentence(c));
    }
    if let Some(c) = summary.busiest_cells.first() {
        let _ = writeln!(
            out,
            "Longest wait for a cell channel: cell {} ({}), {:.3} s (mean {:.4} s, utilisation {:.2} %)",
            c.cell_id, c.network, c.max_wait_s, c.mean_wait_s, c.utilisation_pct
        );
    }
    let _ = writeln!(
        out,
        "User connection limits: {} requests waited for a connection (mean {:.3} s, max {:.3} s)",
        summary.connection_waits, summary.connection_wait_mean_s, summary.connection_wait_max_s
    );
    if let Some(d) = &summary.downtime {
        let _ = writeln!(out, "\nUser Gateway down: {}", crate::downtime::sentence(d));
    }
    if let Some(anomaly) = &summary.anomaly_detection {
        let _ = writeln!(out, "\nThreshold Anomaly Detection: {}", crate::anomaly::sentence(anomaly));
    }
    if !summary.suspensions.is_empty() {
        let _ = writeln!(out, "\nUsers suspended: {}", crate::suspension::sentence(&summary.suspensions));
    }
    if let Some(w) = &summary.wan_outages {
        let _ = writeln!(out, "\nCSP regional outages: {}", crate::wan_outage::sentence(w));
    }
    if let Some(d) = &summary.device_alerts {
        let [p50, p95, p99, max] = d.latency_s;
        let _ = writeln!(
            out,
            "\nRoutine device alerts to suppliers: {} raised, {} delivered, {} failed, {} unfinished; \
             raised to delivered p50 {p50:.2} s, p95 {p95:.2} s, p99 {p99:.2} s, max {max:.2} s",
            d.raised, d.delivered, d.failed, d.unfinished
        );
    }
    if let Some(alerts) = &summary.alerts {
        out.push_str(&crate::alerts::text(alerts));
    }
    let _ = writeln!(out, "\nCode Performance Measures (service levels: target / minimum)");
    let _ = writeln!(
        out,
        "{:<8} {:<7} {:>10} {:>10} {:>9} {:>15}  status",
        "period", "measure", "counted", "within", "value %", "levels %"
    );
    let unjudged: Vec<&str> = summary
        .performance
        .iter()
        .filter(|m| m.period == "run" && m.status == "no_data")
        .map(|m| &*m.measure)
        .collect();
    for m in summary.performance.iter().filter(|m| m.status != "no_data") {
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
    if !unjudged.is_empty() {
        let _ = writeln!(out, "{}: nothing to judge over the run (n/a)", and_list(&unjudged));
    }
    out
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
