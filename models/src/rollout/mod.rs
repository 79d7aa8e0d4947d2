//! # Rollout forecasting: installs, hub supply and enrolment, month by month
//!
//! A multi-year model of the smart meter rollout in Great Britain, for policy
//! analysts and DCC planners. It answers: when does the rollout reach a given share
//! of premises; how many Communications Hubs must each party forecast and order, and
//! when; how many installs fail for lack of WAN and how fast they recover; what the
//! 2G/3G switch-off demands.
//!
//! ```text
//!  premises without      install visit      SMI: installed, not commissioned ──(WAN, ≤ 90 days)──┐
//!  a smart meter ──────► (capacity per ──┬─► SMI: commissioned ◄─────────────────────────────────┘
//!  SMETS1 to replace     working day,     │      │ post-commissioning checks (due in 7 days)
//!                        hub in stock)    │      ▼
//!                                         │   enrolled ──► handed to a network study
//!                             aborted ◄───┘
//!  SEC F5: forecast (M − 10) ─► order (M − lead) ─► delivery in M (± tolerance) ─► stock ─► installs
//! ```
//!
//! The unit is the premises, with one Communications Hub; published counts of meters
//! are converted with `meters_per_premises` (DOMAIN §5). GB is split into *cells*,
//! one per supplier and DNO licence area (DOMAIN §7); a cell's installers, hub stock
//! and fleet are its own, so cells run in parallel on keyed random streams
//! ([`sim::StreamKey`]) and results do not depend on the thread count. Within a cell
//! time runs day by day; every install visit is one accounted unit.
//!
//! | module | part |
//! |---|---|
//! | [`raw`] | scenario keys as written, each with unit, default and source |
//! | [`spec`] | validation: ranges, months, `file:line:col` errors |
//! | [`months`] | calendar months and the working-day calendar |
//! | [`installs`] | one cell simulated day by day: capacity, visits, outcomes |
//! | [`hub_supply`] | SEC F5: the 10-month forecast rule, orders, deliveries, stock |
//! | [`enrolment`] | Smart Metering Inventory statuses and the 7-day rule |
//! | [`migration`] | SMETS1 migration, 4G hub replacement, the 2G/3G switch-off |
//! | [`calibration`] | the published installed base against the simulated one |
//! | [`handover`] | the enrolled fleet of a month, handed to a network study |
//!
//! Conservation laws, tested: every visit is aborted or succeeds; every premises is
//! in exactly one state; every SMETS2 install is in exactly one SMI status; every
//! install without WAN is resolved within 90 days or counted unresolved; the
//! enrolled fleet never shrinks except at the 2G/3G switch-off.

pub mod calibration;
pub mod enrolment;
pub mod handover;
pub mod hub_supply;
pub mod installs;
pub mod migration;

use rayon::prelude::*;

pub use crate::scenario::rollout::{Month, RolloutScenario, RolloutSpec};

use crate::region::CspRegion;

use crate::topology::dno::DNO_AREAS;
use installs::{CellId, simulate_cell};

/// One month of the study, shared by all cells.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthCalendar {
    /// The month.
    pub month: Month,
    /// Days in it.
    pub days: u32,
    /// Whether each day (from the 1st) is a working day.
    pub working: Vec<bool>,
    /// Working days.
    pub working_days: u32,
    /// Meters installers can fit in all GB this month (at `scale` 1): rate ×
    /// seasonality × working days.
    pub installed_meters_capacity: f64,
}

/// One cell's month: flows during it, and its state at the end. Counts are
/// premises (one hub each) unless named as hubs (`ch_`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellMonth {
    /// Install visits made.
    pub installs_attempted: u64,
    /// Visits that installed a SMETS2 meter and hub.
    pub installs_succeeded: u64,
    /// Visits aborted on site (or with no working hub left).
    pub installs_failed: u64,
    /// Visits installers could have made but had no hub for.
    pub installs_lost_no_stock: u64,
    /// Successful installs that replaced a SMETS1 meter.
    pub installs_replacing_smets1: u64,
    /// Successful installs without SM WAN at install.
    pub no_wan_installs: u64,
    /// Installs without WAN that got it (within 90 days) this month.
    pub no_wan_resolved: u64,
    /// Installs without WAN that reached 90 days this month.
    pub no_wan_unresolved_90d: u64,
    /// Installs commissioned this month.
    pub commissioned: u64,
    /// Commissioned installs whose checks passed their 7-day due date this month.
    pub checks_overdue: u64,
    /// Installs enrolled this month (checks completed).
    pub newly_enrolled: u64,
    /// SMETS1 meters migrated to the DCC this month.
    pub smets1_migrated: u64,
    /// 2G/3G hubs due for replacement this month.
    pub hub_swap_demand: u64,
    /// 2G/3G hubs replaced by 4G this month.
    pub hub_swaps: u64,
    /// Hub replacements the crews could have made but had no hub for.
    pub hub_swaps_lost_no_stock: u64,
    /// Enrolled installations whose 2G/3G hub lost the WAN at the switch-off.
    pub stranded_at_switch_off: u64,
    /// Hubs forecast for delivery this month (submitted 10 months before).
    pub ch_forecast: u64,
    /// Hubs ordered for delivery this month.
    pub ch_ordered: u64,
    /// Hubs delivered this month.
    pub ch_delivered: u64,
    /// Hubs taken from stock (installs, replacements, faulty ones).
    pub ch_used: u64,
    /// Hubs returned after their TSAT end date in stock.
    pub ch_expired: u64,
    /// Hubs returned: found faulty, or 2G/3G hubs replaced.
    pub ch_returned: u64,
    /// Refurbished hubs back in stock.
    pub ch_refurbished: u64,
    /// Forecasts refused this month for missing their month.
    pub forecasts_late: u64,
    /// Hubs in stock at the end of the month.
    pub ch_stock: u64,
    /// Premises.
    pub premises: u64,
    /// Premises without a smart meter.
    pub not_smart: u64,
    /// SMETS1 meters installed (migrated or not).
    pub smets1_installed: u64,
    /// SMETS1 meters on the DCC network.
    pub smets1_migrated_total: u64,
    /// SMETS2 installs (any SMI status).
    pub smets2_installed: u64,
    /// SMETS2 installs enrolled.
    pub smets2_enrolled: u64,
    /// Enrolled: SMETS2 enrolled plus SMETS1 migrated.
    pub enrolled_total: u64,
    /// Installs waiting for the WAN (under 90 days).
    pub awaiting_wan: u64,
    /// Installs without WAN after 90 days.
    pub wan_unresolved: u64,
    /// Commissioned installs awaiting their checks.
    pub awaiting_checks: u64,
    /// Installations on a 2G/3G hub (Central and South).
    pub hubs_2g3g: u64,
    /// Installations with a 4G hub.
    pub hubs_4g: u64,
}

impl CellMonth {
    /// Premises with a smart meter.
    pub fn smart_premises(&self) -> u64 {
        self.smets1_installed + self.smets2_installed
    }

    fn add(&mut self, o: &CellMonth) {
        macro_rules! sum {
            ($($f:ident),*) => { $( self.$f += o.$f; )* };
        }
        sum!(
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
            smets1_migrated,
            hub_swap_demand,
            hub_swaps,
            hub_swaps_lost_no_stock,
            stranded_at_switch_off,
            ch_forecast,
            ch_ordered,
            ch_delivered,
            ch_used,
            ch_expired,
            ch_returned,
            ch_refurbished,
            forecasts_late,
            ch_stock,
            premises,
            not_smart,
            smets1_installed,
            smets1_migrated_total,
            smets2_installed,
            smets2_enrolled,
            enrolled_total,
            awaiting_wan,
            wan_unresolved,
            awaiting_checks,
            hubs_2g3g,
            hubs_4g
        );
    }
}

/// A cell of the result: who and where.
#[derive(Debug, Clone, PartialEq)]
pub struct CellInfo {
    /// Supplier name, "supplier_1" …
    pub supplier: String,
    /// DNO area key (DOMAIN §7).
    pub dno_area: &'static str,
    /// Its CSP region.
    pub region: CspRegion,
}

/// A rollout run: per cell and month, and national totals.
#[derive(Debug, Clone)]
pub struct RolloutResult {
    /// The months, in order.
    pub months: Vec<Month>,
    /// The cells, supplier-major.
    pub cells: Vec<CellInfo>,
    /// `rows[cell][month]`.
    pub rows: Vec<Vec<CellMonth>>,
    /// National totals per month.
    pub national: Vec<CellMonth>,
    /// Meters per premises, for converting back to published units.
    pub meters_per_premises: f64,
    /// Advanced meters added to smart-and-advanced totals, scaled.
    pub advanced_meters: f64,
}

/// When a coverage milestone is reached.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Milestone {
    /// The target's name.
    pub name: String,
    /// Share of premises with a smart meter, %.
    pub coverage_pct: f64,
    /// Due month, if any.
    pub due: Option<String>,
    /// First month whose end meets it, if within the study.
    pub reached: Option<String>,
    /// Met by its due month (`None` without a due month, or if the study ends first).
    pub met: Option<bool>,
}

/// The enrolled fleet of one month, for a network study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnrolledFleet {
    /// Enrolled premises (one hub each) at the end of the month.
    pub premises: u64,
    /// Share of them that are migrated SMETS1.
    pub smets1_share: f64,
    /// Share of them with a 4G hub.
    pub lte_share: f64,
    /// Installs commissioned a day over the month.
    pub commissioned_per_day: f64,
}

impl RolloutResult {
    /// National coverage at the end of month `i`, % of premises.
    pub fn coverage_pct(&self, i: usize) -> f64 {
        let n = &self.national[i];
        100.0 * n.smart_premises() as f64 / n.premises.max(1) as f64
    }

    /// The month a coverage share is first reached.
    pub fn milestones(&self, targets: &[crate::scenario::rollout::Target]) -> Vec<Milestone> {
        targets
            .iter()
            .map(|t| {
                let reached = (0..self.months.len()).find(|&i| self.coverage_pct(i) >= t.coverage_pct.get());
                let met = t.by.and_then(|by| match reached {
                    Some(i) => Some(self.months[i] <= by),
                    None if self.months.last().is_some_and(|&m| m >= by) => Some(false),
                    None => None,
                });
                Milestone {
                    name: t.name.clone(),
                    coverage_pct: t.coverage_pct.get(),
                    due: t.by.map(|m| m.to_string()),
                    reached: reached.map(|i| self.months[i].to_string()),
                    met,
                }
            })
            .collect()
    }

    /// The enrolled fleet at the end of `month`, if the run covers it.
    pub fn enrolled_fleet(&self, month: Month) -> Option<EnrolledFleet> {
        let i = self.months.iter().position(|&m| m == month)?;
        let n = &self.national[i];
        let enrolled = n.enrolled_total.max(1) as f64;
        Some(EnrolledFleet {
            premises: n.enrolled_total,
            smets1_share: n.smets1_migrated_total as f64 / enrolled,
            lte_share: (n.hubs_4g as f64 / enrolled).min(1.0),
            commissioned_per_day: n.commissioned as f64 / f64::from(month.days()),
        })
    }
}

/// The months of a study with their working days and capacity.
pub fn calendar(s: &RolloutScenario) -> Vec<MonthCalendar> {
    let r = &s.rollout;
    s.months()
        .map(|month| {
            let working_days = month.working_days();
            let mut working = vec![false; month.days() as usize];
            for &d in &working_days {
                working[d as usize - 1] = true;
            }
            let seasonality = r.seasonality[month.month() as usize - 1];
            let n = working_days.len() as u32;
            MonthCalendar {
                month,
                days: month.days(),
                working,
                working_days: n,
                installed_meters_capacity: r.install_meters_per_working_day.at(month) * seasonality * f64::from(n),
            }
        })
        .collect()
}

/// The cells: every supplier in every DNO area, supplier-major.
pub fn cells(s: &RolloutScenario) -> Vec<(CellId, CellInfo)> {
    let total: f64 = DNO_AREAS.iter().map(|a| a.customers_m).sum();
    let mut out = Vec::new();
    for (supplier, share) in s.rollout.supplier_shares.iter().enumerate() {
        for (area, a) in DNO_AREAS.iter().enumerate() {
            let id =
                CellId { supplier, area, share: share * a.customers_m / total, cellular: a.region != CspRegion::North };
            let info = CellInfo { supplier: format!("supplier_{}", supplier + 1), dno_area: a.key, region: a.region };
            out.push((id, info));
        }
    }
    out
}

/// Runs a rollout study on `threads` worker threads (the result does not depend on
/// how many).
pub fn run(s: &RolloutScenario, threads: usize) -> RolloutResult {
    let cal = calendar(s);
    let cells = cells(s);
    let simulate = || cells.par_iter().map(|(id, _)| simulate_cell(s, &cal, *id)).collect::<Vec<_>>();
    let rows = match rayon::ThreadPoolBuilder::new().num_threads(threads.max(1)).build() {
        Ok(pool) => pool.install(simulate),
        Err(_) => simulate(),
    };
    let mut national = vec![CellMonth::default(); cal.len()];
    for cell in &rows {
        for (total, row) in national.iter_mut().zip(cell) {
            total.add(row);
        }
    }
    RolloutResult {
        months: cal.iter().map(|c| c.month).collect(),
        cells: cells.into_iter().map(|(_, info)| info).collect(),
        rows,
        national,
        meters_per_premises: s.rollout.meters_per_premises,
        advanced_meters: s.rollout.initial.advanced_meters * s.rollout.scale,
    }
}

#[cfg(test)]
mod tests;
