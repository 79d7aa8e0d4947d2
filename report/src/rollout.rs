//! The outputs of a rollout run, written atomically like a network run's:
//!
//! | file | what |
//! |---|---|
//! | `rollout.parquet` | one row per month × supplier × DNO area (columns in `docs/outputs.md`) |
//! | `summary.json` | milestones, yearly figures, per-supplier hub figures, calibration |
//! | `plots/*.svg` | coverage, hub supply, installs ([`crate::plots::rollout`]) |
//! | `report.html` | the summary and figures on one page |
//! | `manifest.json` | what was run; written last |

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use models::rollout::calibration::{self, Comparison};
use models::rollout::{CellMonth, Milestone, RolloutResult, RolloutScenario};

use crate::manifest::{Manifest, RolloutDetails, StudyDetails, StudyKind};
use crate::plots::thousands;
use crate::{PLOTS_DIR, ReportError, RunContext, StagedDir, output_dir, sha256_hex, write_file, write_parquet};

/// Schema version of `rollout.parquet` and the rollout `summary.json`.
pub const ROLLOUT_SCHEMA_VERSION: u32 = 1;

/// Writes `rollout.parquet`.
pub fn write_table(path: &Path, s: &RolloutScenario, r: &RolloutResult) -> Result<(), ReportError> {
    let n_rows = r.cells.len() * r.months.len();
    let cells = || r.cells.iter().flat_map(|c| std::iter::repeat_n(c, r.months.len()));
    let rows = || r.rows.iter().flatten();
    let cal = models::rollout::calendar(s);
    let u64_col = |name: &str, f: fn(&CellMonth) -> u64| Column::new(name.into(), rows().map(f).collect::<Vec<u64>>());
    let mut columns = vec![
        Column::new(
            "month".into(),
            r.cells.iter().flat_map(|_| r.months.iter().map(ToString::to_string)).collect::<Vec<_>>(),
        ),
        Column::new("supplier".into(), cells().map(|c| c.supplier.as_str()).collect::<Vec<_>>()),
        Column::new("dno_area".into(), cells().map(|c| c.dno_area).collect::<Vec<_>>()),
        Column::new("csp_region".into(), cells().map(|c| c.region.key()).collect::<Vec<_>>()),
        Column::new(
            "working_days".into(),
            r.cells.iter().flat_map(|_| cal.iter().map(|m| m.working_days)).collect::<Vec<u32>>(),
        ),
    ];
    macro_rules! counts {
        ($($f:ident),*) => { $( columns.push(u64_col(stringify!($f), |m| m.$f)); )* };
    }
    counts!(
        premises,
        installs_attempted,
        installs_succeeded,
        installs_failed,
        installs_lost_no_stock,
        installs_replacing_smets1,
        no_wan_installs,
        no_wan_resolved,
        no_wan_unresolved_90d,
        commissioned,
        checks_overdue,
        newly_enrolled,
        awaiting_wan,
        wan_unresolved,
        awaiting_checks,
        smets1_migrated,
        smets1_installed,
        smets1_migrated_total,
        smets2_installed,
        smets2_enrolled,
        enrolled_total,
        hub_swap_demand,
        hub_swaps,
        hub_swaps_lost_no_stock,
        stranded_at_switch_off,
        hubs_2g3g,
        hubs_4g,
        ch_forecast,
        ch_ordered,
        ch_delivered,
        ch_used,
        ch_expired,
        ch_returned,
        ch_refurbished,
        ch_stock,
        forecasts_late
    );
    columns.push(Column::new(
        "coverage_pct".into(),
        rows().map(|m| 100.0 * m.smart_premises() as f64 / m.premises.max(1) as f64).collect::<Vec<f64>>(),
    ));
    let mut df = crate::schema::tables::ROLLOUT.frame(n_rows, columns)?;
    write_parquet(path, &mut df)
}

/// One calendar year of the run, GB totals.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearRow {
    /// The year.
    pub year: i32,
    /// Successful installs, premises.
    pub installs: u64,
    /// Installs without WAN at install.
    pub no_wan_installs: u64,
    /// Visits lost for want of a hub.
    pub lost_installs: u64,
    /// Hubs forecast for delivery in the year.
    pub ch_forecast: u64,
    /// Hubs delivered.
    pub ch_delivered: u64,
    /// Hubs returned after their TSAT end date in stock.
    pub ch_expired: u64,
    /// Hubs in stock at the year's (or run's) last month end.
    pub ch_stock_end: u64,
    /// Installations still on 2G/3G hubs at the year's last month end.
    pub hubs_2g3g_end: u64,
    /// 2G/3G hubs replaced.
    pub hub_swaps: u64,
    /// Coverage at the year's last month end, %.
    pub coverage_pct_end: f64,
    /// Enrolled premises at the year's last month end.
    pub enrolled_end: u64,
}

/// One party's hub figures over the run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SupplierRow {
    /// Supplier.
    pub supplier: String,
    /// Hubs forecast.
    pub ch_forecast: u64,
    /// Hubs delivered.
    pub ch_delivered: u64,
    /// Hubs used.
    pub ch_used: u64,
    /// Most hubs held at a month end.
    pub ch_stock_peak: u64,
    /// Hubs returned after their TSAT end date.
    pub ch_expired: u64,
    /// Visits lost for want of a hub.
    pub lost_installs: u64,
    /// Forecasts refused as late.
    pub forecasts_late: u64,
}

/// `summary.json` of a rollout run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RolloutSummary {
    /// "rollout".
    pub kind: &'static str,
    /// Output schema version.
    pub schema_version: u32,
    /// Study name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// First month.
    pub start_month: String,
    /// Last month.
    pub end_month: String,
    /// Fraction of GB.
    pub scale: f64,
    /// Premises.
    pub premises: u64,
    /// When each coverage milestone is reached.
    pub milestones: Vec<Milestone>,
    /// GB figures per calendar year.
    pub years: Vec<YearRow>,
    /// Hub figures per supplier.
    pub suppliers: Vec<SupplierRow>,
    /// Installations on 2G/3G hubs at the end of the month before 4G became
    /// standard, if the run covers it.
    pub hubs_2g3g_at_4g_standard: Option<u64>,
    /// The same in meters (× meters per premises), for DOMAIN §4's "about 24 m".
    pub meters_2g3g_at_4g_standard: Option<f64>,
    /// Installations left on 2G/3G hubs at the switch-off, lost from the enrolled fleet.
    pub stranded_at_switch_off: u64,
    /// Installs without WAN still unresolved 90 days on.
    pub no_wan_unresolved_90d: u64,
    /// Commissioned installs whose checks were not done within 7 days.
    pub checks_overdue: u64,
    /// Published installed base against the simulated one, where the run covers it.
    pub calibration: Vec<Comparison>,
}

impl RolloutSummary {
    /// The figures of a run.
    pub fn new(s: &RolloutScenario, r: &RolloutResult) -> RolloutSummary {
        let mut years: Vec<YearRow> = Vec::new();
        for (i, (m, n)) in r.months.iter().zip(&r.national).enumerate() {
            if years.last().is_none_or(|y| y.year != m.year()) {
                years.push(YearRow {
                    year: m.year(),
                    installs: 0,
                    no_wan_installs: 0,
                    lost_installs: 0,
                    ch_forecast: 0,
                    ch_delivered: 0,
                    ch_expired: 0,
                    ch_stock_end: 0,
                    hubs_2g3g_end: 0,
                    hub_swaps: 0,
                    coverage_pct_end: 0.0,
                    enrolled_end: 0,
                });
            }
            let y = years.last_mut().expect("just pushed");
            y.installs += n.installs_succeeded;
            y.no_wan_installs += n.no_wan_installs;
            y.lost_installs += n.installs_lost_no_stock;
            y.ch_forecast += n.ch_forecast;
            y.ch_delivered += n.ch_delivered;
            y.ch_expired += n.ch_expired;
            y.ch_stock_end = n.ch_stock;
            y.hubs_2g3g_end = n.hubs_2g3g;
            y.hub_swaps += n.hub_swaps;
            y.coverage_pct_end = r.coverage_pct(i);
            y.enrolled_end = n.enrolled_total;
        }
        let mut suppliers: Vec<SupplierRow> = Vec::new();
        for (cell, rows) in r.cells.iter().zip(&r.rows) {
            if suppliers.last().is_none_or(|x| x.supplier != cell.supplier) {
                suppliers.push(SupplierRow {
                    supplier: cell.supplier.clone(),
                    ch_forecast: 0,
                    ch_delivered: 0,
                    ch_used: 0,
                    ch_stock_peak: 0,
                    ch_expired: 0,
                    lost_installs: 0,
                    forecasts_late: 0,
                });
            }
            let x = suppliers.last_mut().expect("just pushed");
            x.ch_forecast += rows.iter().map(|m| m.ch_forecast).sum::<u64>();
            x.ch_delivered += rows.iter().map(|m| m.ch_delivered).sum::<u64>();
            x.ch_used += rows.iter().map(|m| m.ch_used).sum::<u64>();
            x.ch_expired += rows.iter().map(|m| m.ch_expired).sum::<u64>();
            x.lost_installs += rows.iter().map(|m| m.installs_lost_no_stock).sum::<u64>();
            x.forecasts_late += rows.iter().map(|m| m.forecasts_late).sum::<u64>();
        }
        // A party's peak stock is over its areas together, month by month.
        let per_supplier = r.cells.len() / suppliers.len().max(1);
        for (k, x) in suppliers.iter_mut().enumerate() {
            let cells = &r.rows[k * per_supplier..(k + 1) * per_supplier];
            x.ch_stock_peak = (0..r.months.len()).map(|i| cells.iter().map(|c| c[i].ch_stock).sum()).max().unwrap_or(0);
        }
        let standard = r.months.iter().position(|&m| m.plus(1) == s.rollout.lte.standard_from);
        let hubs_2g3g = standard.map(|i| r.national[i].hubs_2g3g);
        let total = |f: fn(&CellMonth) -> u64| r.national.iter().map(f).sum::<u64>();
        RolloutSummary {
            kind: "rollout",
            schema_version: ROLLOUT_SCHEMA_VERSION,
            scenario: s.name.clone(),
            seed: s.seed,
            start_month: s.start.to_string(),
            end_month: s.end.to_string(),
            scale: s.rollout.scale,
            premises: r.national.first().map_or(0, |n| n.premises),
            milestones: r.milestones(&s.rollout.targets),
            years,
            suppliers,
            hubs_2g3g_at_4g_standard: hubs_2g3g,
            meters_2g3g_at_4g_standard: hubs_2g3g.map(|h| h as f64 * r.meters_per_premises),
            stranded_at_switch_off: total(|n| n.stranded_at_switch_off),
            no_wan_unresolved_90d: total(|n| n.no_wan_unresolved_90d),
            checks_overdue: total(|n| n.checks_overdue),
            calibration: calibration::compare(r, s.rollout.scale),
        }
    }

    /// The summary as text, for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: seed {}, {} to {}, {} premises (scale {})",
            self.scenario,
            self.seed,
            self.start_month,
            self.end_month,
            thousands(self.premises),
            self.scale
        );
        let _ = writeln!(out, "\nMilestones: premises with a smart meter");
        let _ = writeln!(out, "{:<50} {:>7} {:>8} {:>8} {:>5}", "milestone", "share %", "due", "reached", "met");
        for m in &self.milestones {
            let _ = writeln!(
                out,
                "{:<50} {:>7.1} {:>8} {:>8} {:>5}",
                m.name,
                m.coverage_pct,
                m.due.as_deref().unwrap_or("–"),
                m.reached.as_deref().unwrap_or("not yet"),
                m.met.map_or("–", |x| if x { "yes" } else { "no" })
            );
        }
        let _ = writeln!(out, "\nPer year (premises; hubs; coverage and enrolled at year end)");
        let _ = writeln!(
            out,
            "{:>4} {:>11} {:>9} {:>9} {:>11} {:>11} {:>9} {:>10} {:>10} {:>7} {:>11}",
            "year",
            "installs",
            "no WAN",
            "lost",
            "CH forecast",
            "CH deliver",
            "CH stock",
            "2G/3G left",
            "swapped",
            "cover%",
            "enrolled"
        );
        for y in &self.years {
            let _ = writeln!(
                out,
                "{:>4} {:>11} {:>9} {:>9} {:>11} {:>11} {:>9} {:>10} {:>10} {:>7.1} {:>11}",
                y.year,
                y.installs,
                y.no_wan_installs,
                y.lost_installs,
                y.ch_forecast,
                y.ch_delivered,
                y.ch_stock_end,
                y.hubs_2g3g_end,
                y.hub_swaps,
                y.coverage_pct_end,
                y.enrolled_end
            );
        }
        let _ = writeln!(out, "\nCommunications Hubs per supplier (SEC F5), whole run");
        let _ = writeln!(
            out,
            "{:<12} {:>11} {:>11} {:>11} {:>10} {:>9} {:>9} {:>6}",
            "supplier", "forecast", "delivered", "used", "peak stock", "expired", "lost", "late"
        );
        for x in &self.suppliers {
            let _ = writeln!(
                out,
                "{:<12} {:>11} {:>11} {:>11} {:>10} {:>9} {:>9} {:>6}",
                x.supplier,
                x.ch_forecast,
                x.ch_delivered,
                x.ch_used,
                x.ch_stock_peak,
                x.ch_expired,
                x.lost_installs,
                x.forecasts_late
            );
        }
        let at_standard = match (self.hubs_2g3g_at_4g_standard, self.meters_2g3g_at_4g_standard) {
            (Some(h), Some(m)) => {
                format!("{h} installations ({:.1} m meters) on 2G/3G hubs when 4G became standard", m / 1e6)
            }
            _ => "the 4G standard month is outside the run".to_string(),
        };
        let _ = writeln!(
            out,
            "\n2G/3G: {at_standard}; {} stranded at the switch-off.\nNo WAN: {} installs still without WAN after 90 \
             days. Checks: {} overdue past 7 days.",
            self.stranded_at_switch_off, self.no_wan_unresolved_90d, self.checks_overdue
        );
        if !self.calibration.is_empty() {
            let _ = writeln!(out, "\nCalibration: published against simulated, millions of meters (DOMAIN §5)");
            let _ = writeln!(
                out,
                "{:<8} {:<20} {:>10} {:>10} {:>8}",
                "month", "measure", "published", "simulated", "error %"
            );
            for c in &self.calibration {
                let measure = serde_json::to_value(c.measure).ok().and_then(|v| v.as_str().map(String::from));
                let _ = writeln!(
                    out,
                    "{:<8} {:<20} {:>10.2} {:>10.2} {:>+8.1}",
                    c.month,
                    measure.unwrap_or_default(),
                    c.published_m,
                    c.simulated_m,
                    c.error_pct
                );
            }
        }
        out
    }
}

/// Writes every output of a rollout run to `out`, atomically, and returns the folder.
pub fn write_rollout(
    out: &Path,
    s: &RolloutScenario,
    r: &RolloutResult,
    summary: &RolloutSummary,
    ctx: &RunContext<'_>,
) -> Result<PathBuf, ReportError> {
    let staged = StagedDir::create(out)?;
    let dir = staged.path();
    let resolved = s.resolved_toml(&ctx.scenario_file.display().to_string());
    write_file(dir, crate::manifest::RESOLVED_SCENARIO, resolved.as_bytes())?;
    let mut files = vec![crate::manifest::RESOLVED_SCENARIO.to_string()];
    write_table(&dir.join("rollout.parquet"), s, r)?;
    files.push("rollout.parquet".to_string());
    write_file(dir, "summary.json", serde_json::to_string_pretty(summary)?.as_bytes())?;
    files.push("summary.json".into());
    let figures = [
        crate::plots::rollout::coverage(r, &s.rollout.targets)?,
        crate::plots::rollout::hub_supply(r)?,
        crate::plots::rollout::installs(r)?,
    ];
    let plots_dir = dir.join(PLOTS_DIR);
    std::fs::create_dir(&plots_dir).map_err(|source| crate::io_err(&plots_dir, source))?;
    for figure in &figures {
        write_file(&plots_dir, figure.file, figure.standalone().as_bytes())?;
        files.push(format!("{PLOTS_DIR}/{}", figure.file));
    }
    write_file(dir, "report.html", crate::rollout_html::render(summary, &s.description, &figures).as_bytes())?;
    files.push("report.html".into());
    let manifest = Manifest {
        status: crate::manifest::RunStatus::Complete,
        kind: StudyKind::Rollout,
        schema_version: ROLLOUT_SCHEMA_VERSION,
        dccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        commit: crate::manifest::COMMIT.into(),
        replication: None,
        start: s.start.to_string(),
        resolved_scenario: Some(crate::manifest::RESOLVED_SCENARIO.into()),
        scenario: s.name.clone(),
        scenario_file: ctx.scenario_file.display().to_string(),
        scenario_sha256: sha256_hex(ctx.scenario_bytes),
        seed: s.seed,
        threads: Some(ctx.threads),
        wall_s: Some(ctx.wall_s),
        details: StudyDetails::Rollout(RolloutDetails {
            scale: s.rollout.scale,
            months: r.months.len(),
            cells: r.cells.len(),
        }),
        files,
    };
    write_file(dir, output_dir::MANIFEST, serde_json::to_string_pretty(&manifest)?.as_bytes())?;
    staged.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_row_per_month_supplier_and_area_and_the_summary_adds_up() {
        let text = "[scenario]\nname = \"t\"\nstart_month = \"2024-01\"\nend_month = \"2024-06\"\n\n[rollout]\n\
                    scale = 0.001\n[[rollout.install_rate]]\nfrom = \"2024-01\"\nmeters_per_working_day = 12000\n";
        let s = RolloutScenario::parse("t.toml", text).unwrap();
        let r = models::rollout::run(&s, 1);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("rollout.parquet");
        write_table(&path, &s, &r).unwrap();
        let df = ParquetReader::new(std::fs::File::open(&path).unwrap()).finish().unwrap();
        assert_eq!(df.height(), 6 * 7 * 14);
        let installs: u64 = df.column("installs_succeeded").unwrap().u64().unwrap().sum().unwrap();
        let summary = RolloutSummary::new(&s, &r);
        assert_eq!(installs, summary.years.iter().map(|y| y.installs).sum::<u64>());
        assert_eq!(summary.suppliers.len(), 7);
        assert!(summary.to_text().contains("Milestones"));
    }
}
