//! `alerts/` and `outages.parquet`, and the alert figures as text.
//!
//! `alerts/` has one row per alert copy (an alert has one copy for the
//! Electricity Distributor and one more for an opted-in supplier), streamed as the
//! run goes ([`crate::rows`]);
//! `outages.parquet` one row per fault or firmware campaign. Their columns are
//! declared in [`ALERTS`] and [`OUTAGES`] (and listed in docs/outputs.md).

use std::fmt::Write as _;
use std::path::Path;

use models::RunOutput;
use models::alert::{AlertOutcome, AlertRecord};
pub use models::measures::alerts::{AlertSummary, FaultReport};
use models::topology::DNO_AREAS;
use models::world::World;
use polars::prelude::*;
use sim::SimTime;

use crate::ReportError;
use crate::schema::tables::{ALERTS, OUTAGES};

fn secs(t: SimTime) -> f64 {
    t.0 as f64 / 1e6
}

/// The rows of alert copies `rows` of a run of `world`, as [`ALERTS`] declares them.
pub fn alert_frame(rows: &[AlertRecord], world: &World) -> Result<DataFrame, ReportError> {
    let plan = &world.alert_plan.alerts;
    let pop = &world.population;
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
    ALERTS.frame_at(world.scenario.measurement.start_date, rows.len(), columns)
}

/// Writes `outages.parquet` ([`OUTAGES`]).
pub fn write_outages(path: &Path, r: &RunOutput, reports: &[FaultReport]) -> Result<(), ReportError> {
    let f = &r.world.outages.faults;
    let start = r.world.scenario.measurement.start_date;
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
        Column::new("ad1_at_dno".into(), reports.iter().map(FaultReport::at_dno).collect::<Vec<u64>>()),
        Column::new("ad1_suppressed".into(), reports.iter().map(FaultReport::suppressed).collect::<Vec<u64>>()),
        Column::new("ad1_lost".into(), reports.iter().map(FaultReport::lost).collect::<Vec<u64>>()),
        Column::new("ad1_unfinished".into(), reports.iter().map(FaultReport::unfinished).collect::<Vec<u64>>()),
        Column::new(
            "first_alert_at_dno_s".into(),
            reports.iter().map(|x| x.first_alert_at_dno_s).collect::<Vec<Option<f64>>>(),
        ),
        Column::new(
            "first_alert_at_dno_utc".into(),
            f.iter()
                .zip(reports)
                .map(|(x, rep)| {
                    rep.first_alert_at_dno_s.map(|s| start.unix_ms(x.start) * 1000 + (s * 1e6).round() as i64)
                })
                .collect::<Vec<Option<i64>>>(),
        )
        .cast(&polars::prelude::DataType::Datetime(
            polars::prelude::TimeUnit::Microseconds,
            Some(polars::prelude::TimeZone::UTC),
        ))?,
    ];
    let mut df = OUTAGES.frame_at(start, f.len(), columns)?;
    crate::write_parquet(path, &mut df)
}

/// The alert figures as text.
pub fn text(summary: &AlertSummary) -> String {
    let mut out = String::new();
    let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
    let _ = writeln!(
        out,
        "\nPower outages and alerts: {} faults, {} premises off supply, {} alerts raised",
        summary.faults, summary.premises_off, summary.raised
    );
    let i = &summary.interruptions;
    let _ = writeln!(
        out,
        "Customers off supply 3 minutes or more: {} ({} interruptions); by their longest, {}; {} still off at the \
         horizon; longest {:.1} h",
        i.customers_off,
        i.interruptions,
        crate::interruptions::tail_text(i, |n| n.to_string()),
        i.still_off_at_horizon,
        i.longest_h
    );
    let names: Vec<&str> = AlertOutcome::ALL.iter().map(|o| o.as_str()).collect();
    let _ = write!(out, "{:<6} {:<3}", "code", "to");
    for n in &names {
        let _ = write!(out, " {:>w$}", n, w = n.len().max(8));
    }
    let _ = writeln!(out);
    for row in &summary.outcomes {
        let _ = write!(out, "{:<6} {:<3}", row.alert_code, row.recipient_role);
        for (n, (_, c)) in names.iter().zip(&row.copies) {
            let _ = write!(out, " {:>w$}", c, w = n.len().max(8));
        }
        let _ = writeln!(out);
    }
    let [p50, p95, p99, max] = summary.dno_latency_s;
    let _ = writeln!(
        out,
        "AD1 to DNOs, raised to delivered (s): p50 {p50:.2}  p95 {p95:.2}  p99 {p99:.2}  max {max:.2}; \
         within {} s: {} %",
        summary.delivery_target_s,
        opt(summary.dno_within_target_pct)
    );
    let _ = writeln!(
        out,
        "CSP event windows: {} of <= threshold hubs ({} AD1s), {} larger ({} AD1s); isolated share {} %; \
         sent/received {} % and {} %",
        summary.events_isolated,
        summary.event_alerts.0,
        summary.events_large,
        summary.event_alerts.1,
        opt(summary.events_isolated_pct),
        opt(summary.pm12_pct.0),
        opt(summary.pm12_pct.1)
    );
    let _ = writeln!(
        out,
        "Faults known to the DNO: {} of {}; median time to first AD1 {} s; premises reported {} % of those off",
        summary.faults_reported,
        summary.faults,
        opt(summary.first_alert_median_s),
        opt(summary.premises_reported_pct)
    );
    let c = &summary.cpm1;
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
