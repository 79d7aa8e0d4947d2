//! From raw keys to a validated [`RolloutScenario`]: every value range-checked, every
//! problem reported at `file:line:col` with what is allowed.

pub mod handover;
pub mod months;
pub(crate) mod raw;

use std::path::Path;

pub use months::Month;
use raw::{RawRollout, RawRolloutScenario};

use crate::scenario::units::{At, place};
use crate::scenario::{Checker, ScenarioError};

/// A step function of the month: each step holds from its month until the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Steps(pub Vec<(Month, f64)>);

impl Steps {
    /// The value in month `m`: the last step starting at or before it, else 0.
    pub fn at(&self, m: Month) -> f64 {
        self.0.iter().take_while(|(from, _)| *from <= m).last().map_or(0.0, |&(_, v)| v)
    }
}

/// The fleet at the start, in meters of all GB (before `scale`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct InitialFleet {
    /// SMETS2 meters installed.
    pub smets2_meters: f64,
    /// SMETS1 meters installed.
    pub smets1_meters: f64,
    /// SMETS1 meters on the DCC network.
    pub smets1_migrated_meters: f64,
    /// Advanced meters (reported only).
    pub advanced_meters: f64,
}

/// First-time WAN connectivity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WanSpec {
    /// Share of installs with no WAN at install.
    pub no_wan_share: f64,
    /// Share of installs still without WAN 90 days on.
    pub unconnected_at_90_days_share: f64,
}

/// Commissioned to enrolled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnrolmentSpec {
    /// Mean days to complete post-commissioning checks.
    pub check_mean_days: f64,
    /// Days within which they are due.
    pub check_window_days: u32,
}

/// SMETS1 migration and replacement.
#[derive(Debug, Clone, PartialEq)]
pub struct Smets1Spec {
    /// Share that can be migrated.
    pub migratable_share: f64,
    /// Share of those awaiting migration replaced per year.
    pub replacement_share_per_year: f64,
    /// Meters migrated per month, all GB.
    pub migration_meters_per_month: Steps,
}

/// SEC F5 hub supply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HubSpec {
    /// Months between order and delivery.
    pub order_lead_months: i32,
    /// Band either side of the forecast.
    pub tolerance_share: f64,
    /// Mean relative forecast error.
    pub forecast_bias_share: f64,
    /// Standard deviation of the relative forecast error.
    pub forecast_error_sd_share: f64,
    /// Chance a forecast is late (rejected).
    pub late_forecast_probability: f64,
    /// Largest delivery shortfall against the order.
    pub delivery_shortfall_max_share: f64,
    /// Target stock, months of use.
    pub stock_cover_months: f64,
    /// Stock at the start, months of use.
    pub initial_stock_months: f64,
    /// Months a hub may sit in stock.
    pub shelf_life_months: i32,
    /// Share of hubs faulty at install.
    pub fault_share: f64,
    /// Share of faulty hubs refurbished.
    pub refurbish_share: f64,
    /// Months to refurbish.
    pub refurbish_months: i32,
}

/// 4G hubs and the 2G/3G switch-off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LteSpec {
    /// First month of 4G-only new hubs.
    pub standard_from: Month,
    /// Last month of 2G/3G service.
    pub switch_off: Month,
    /// First month of hub replacements, if any.
    pub migration_start: Option<Month>,
    /// Hub replacements per working day, all GB.
    pub swaps_per_working_day: f64,
}

/// A coverage milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Its name.
    pub name: String,
    /// Share of premises with a smart meter, %.
    pub coverage_pct: f64,
    /// Month by whose end it is due.
    pub by: Option<Month>,
}

/// The rollout model's parameters, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutSpec {
    /// Fraction of GB.
    pub scale: f64,
    /// Meters per smart premises.
    pub meters_per_premises: f64,
    /// Supplier shares, summing to 1.
    pub supplier_shares: Vec<f64>,
    /// Premises that never take a smart meter.
    pub refusal_share: f64,
    /// Most of the premises left that accept an install in a month.
    pub uptake_share_per_month: f64,
    /// Install visits aborted on site.
    pub abort_share: f64,
    /// Capacity factor per calendar month (January first), mean 1.
    pub seasonality: [f64; 12],
    /// Installed meters per working day, all GB.
    pub install_meters_per_working_day: Steps,
    /// The fleet at the start.
    pub initial: InitialFleet,
    /// First-time WAN connectivity.
    pub wan: WanSpec,
    /// Enrolment.
    pub enrolment: EnrolmentSpec,
    /// SMETS1.
    pub smets1: Smets1Spec,
    /// Hub supply.
    pub hubs: HubSpec,
    /// 4G.
    pub lte: LteSpec,
    /// Milestones.
    pub targets: Vec<Target>,
}

/// A validated rollout study.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutScenario {
    /// Study name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// First month.
    pub start: Month,
    /// Last month.
    pub end: Month,
    /// The model.
    pub rollout: RolloutSpec,
}

impl RolloutScenario {
    /// The months simulated, in order.
    pub fn months(&self) -> impl Iterator<Item = Month> + use<> {
        let start = self.start;
        (0..=self.end.since(start)).map(move |i| start.plus(i))
    }

    /// Sets the premises to `scale` × all of GB (what `--scale` does).
    pub fn set_scale(&mut self, scale: f64) -> Result<(), String> {
        if !(scale.is_finite() && (1e-6..=1.5).contains(&scale)) {
            return Err(format!("scale {scale} is out of range; allowed: 0.000001 to 1.5"));
        }
        self.rollout.scale = scale;
        Ok(())
    }

    pub(crate) fn from_raw(raw: &RawRolloutScenario, c: &mut Checker<'_>) -> RolloutScenario {
        let study = &raw.scenario;
        if study.name.is_empty() || !study.name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            c.problem(
                "scenario.name",
                format!("name {:?} is not allowed: use letters, digits, '-' and '_' only", study.name),
            );
        }
        let start = month(c, "scenario.start_month", &study.start_month);
        let end = month(c, "scenario.end_month", &study.end_month);
        if end < start || end.since(start) > 480 {
            c.problem(
                "scenario.end_month",
                format!("{end} is not allowed; allowed: from start_month ({start}) to 40 years after it"),
            );
        }
        RolloutScenario {
            name: study.name.clone(),
            description: study.description.clone(),
            seed: study.seed,
            start,
            end,
            rollout: rollout_spec(&raw.rollout, start, c),
        }
    }
}

fn month(c: &mut Checker<'_>, path: &str, s: &At<String>) -> Month {
    Month::parse(s.get_ref()).unwrap_or_else(|e| {
        c.problem_in(path, place(s), e);
        Month::new(2000, 1)
    })
}

/// Validates a step list: months increasing, values in range, the first step at
/// or before `start` if `required`.
fn steps(
    c: &mut Checker<'_>,
    path: &str,
    raw: &[(&At<String>, &At<f64>)],
    value_key: &str,
    hi: f64,
    start: Month,
) -> Steps {
    let mut out: Vec<(Month, f64)> = Vec::with_capacity(raw.len());
    for (i, &(from, v)) in raw.iter().enumerate() {
        let m = month(c, &format!("{path}.{i}.from"), from);
        let v = c.float(&format!("{path}.{i}.{value_key}"), v, 0.0, hi);
        if let Some(&(prev, _)) = out.last()
            && m <= prev
        {
            c.problem_in(
                &format!("{path}.{i}.from"),
                place(from),
                format!("{m} is not after the previous step ({prev}); steps go in increasing month order"),
            );
        }
        out.push((m, v));
    }
    if let Some(&(first, _)) = out.first()
        && first > start
    {
        c.problem(
            &format!("{path}.0.from"),
            format!("{first} is after start_month ({start}); allowed: the first step at or before it"),
        );
    }
    Steps(out)
}

fn rollout_spec(r: &RawRollout, start: Month, c: &mut Checker<'_>) -> RolloutSpec {
    let scale = c.num("rollout.scale", &r.scale);
    let meters_per_premises = c.num("rollout.meters_per_premises", &r.meters_per_premises);
    let supplier_shares = c.shares("rollout.supplier_shares", &r.supplier_shares, 1, 50);
    let supplier_shares = supplier_shares.map_or_else(|| vec![1.0], |s| crate::scenario::units::normalised(&s));
    let mut seasonality = [1.0; 12];
    if r.seasonality.len() != 12 || r.seasonality.iter().any(|f| !(f.is_finite() && (0.0..=3.0).contains(f))) {
        c.problem(
            "rollout.seasonality",
            format!("{} factors given; allowed: 12 factors, each 0 to 3, not all 0", r.seasonality.len()),
        );
    } else if r.seasonality.iter().sum::<f64>() <= 0.0 {
        c.problem("rollout.seasonality", "all factors are 0; allowed: 12 factors, each 0 to 3, not all 0".into());
    } else {
        let mean = r.seasonality.iter().sum::<f64>() / 12.0;
        for (s, f) in seasonality.iter_mut().zip(&r.seasonality) {
            *s = f / mean;
        }
    }
    if r.install_rate.is_empty() {
        c.problem("rollout", "`[[rollout.install_rate]]` is missing; give at least one step, from start_month".into());
    }
    let rates: Vec<(&At<String>, &At<f64>)> =
        r.install_rate.iter().map(|s| (&s.from, &s.meters_per_working_day)).collect();
    let install = steps(c, "rollout.install_rate", &rates, "meters_per_working_day", 200_000.0, start);
    let i = &r.initial;
    let initial = InitialFleet {
        smets2_meters: c.num("rollout.initial.smets2_meters", i.smets2_meters),
        smets1_meters: c.num("rollout.initial.smets1_meters", i.smets1_meters),
        smets1_migrated_meters: c.float(
            "rollout.initial.smets1_migrated_meters",
            i.smets1_migrated_meters,
            0.0,
            i.smets1_meters.max(0.0),
        ),
        advanced_meters: c.num("rollout.initial.advanced_meters", i.advanced_meters),
    };
    let smart_premises = (initial.smets1_meters + initial.smets2_meters) / meters_per_premises;
    if smart_premises > crate::scenario::gb_premises() {
        c.problem(
            "rollout.initial.smets2_meters",
            format!(
                "SMETS1 and SMETS2 meters make {:.0} premises at {meters_per_premises} meters each, more than GB's {:.0}",
                smart_premises,
                crate::scenario::gb_premises()
            ),
        );
    }
    let no_wan_share = c.num("rollout.wan.no_wan_share", &r.wan.no_wan_share);
    let wan = WanSpec {
        no_wan_share,
        unconnected_at_90_days_share: c.float(
            "rollout.wan.unconnected_at_90_days_share",
            &r.wan.unconnected_at_90_days_share,
            0.0,
            no_wan_share,
        ),
    };
    let enrolment = EnrolmentSpec {
        check_mean_days: c.num("rollout.enrolment.check_mean_days", &r.enrolment.check_mean_days),
        check_window_days: c.whole("rollout.enrolment.check_window_days", &r.enrolment.check_window_days) as u32,
    };
    let migration: Vec<(&At<String>, &At<f64>)> =
        r.smets1.migration_rate.iter().map(|s| (&s.from, &s.meters_per_month)).collect();
    let smets1 = Smets1Spec {
        migratable_share: c.num("rollout.smets1.migratable_share", &r.smets1.migratable_share),
        replacement_share_per_year: c
            .num("rollout.smets1.replacement_share_per_year", &r.smets1.replacement_share_per_year),
        // Migration may start after the study does: no step before it means none.
        migration_meters_per_month: steps(
            c,
            "rollout.smets1.migration_rate",
            &migration,
            "meters_per_month",
            2e6,
            Month::new(2200, 12),
        ),
    };
    let h = &r.hubs;
    let hubs = HubSpec {
        order_lead_months: c.whole("rollout.hubs.order_lead_months", &h.order_lead_months) as i32,
        tolerance_share: c.num("rollout.hubs.tolerance_share", &h.tolerance_share),
        forecast_bias_share: c.num("rollout.hubs.forecast_bias_share", &h.forecast_bias_share),
        forecast_error_sd_share: c.num("rollout.hubs.forecast_error_sd_share", &h.forecast_error_sd_share),
        late_forecast_probability: c.num("rollout.hubs.late_forecast_probability", &h.late_forecast_probability),
        delivery_shortfall_max_share: c
            .num("rollout.hubs.delivery_shortfall_max_share", &h.delivery_shortfall_max_share),
        stock_cover_months: c.num("rollout.hubs.stock_cover_months", &h.stock_cover_months),
        initial_stock_months: c.num("rollout.hubs.initial_stock_months", &h.initial_stock_months),
        shelf_life_months: c.whole("rollout.hubs.shelf_life_months", &h.shelf_life_months) as i32,
        fault_share: c.num("rollout.hubs.fault_share", &h.fault_share),
        refurbish_share: c.num("rollout.hubs.refurbish_share", &h.refurbish_share),
        refurbish_months: c.whole("rollout.hubs.refurbish_months", &h.refurbish_months) as i32,
    };
    let standard_from = month(c, "rollout.lte.standard_from", &r.lte.standard_from);
    let switch_off = month(c, "rollout.lte.switch_off", &r.lte.switch_off);
    if switch_off < standard_from {
        c.problem_in(
            "rollout.lte.switch_off",
            place(&r.lte.switch_off),
            format!("{switch_off} is before standard_from ({standard_from}); allowed: at or after it"),
        );
    }
    let migration_start = r.lte.migration_start.as_ref().map(|s| month(c, "rollout.lte.migration_start", s));
    if let Some(m) = migration_start
        && m > switch_off
    {
        c.problem_in(
            "rollout.lte.migration_start",
            r.lte.migration_start.as_ref().and_then(place),
            format!("{m} is after switch_off ({switch_off}); allowed: at or before it"),
        );
    }
    let lte = LteSpec {
        standard_from,
        switch_off,
        migration_start,
        swaps_per_working_day: c.num("rollout.lte.swaps_per_working_day", &r.lte.swaps_per_working_day),
    };
    let targets = match &r.target {
        None => default_targets(),
        Some(list) => list
            .iter()
            .enumerate()
            .map(|(i, t)| Target {
                name: t.name.clone(),
                coverage_pct: c.num(&format!("rollout.target.{i}.coverage_pct"), &t.coverage_pct),
                by: t.by.as_ref().map(|s| month(c, &format!("rollout.target.{i}.by"), s)),
            })
            .collect(),
    };
    RolloutSpec {
        scale,
        meters_per_premises,
        supplier_shares,
        refusal_share: c.num("rollout.refusal_share", &r.refusal_share),
        uptake_share_per_month: c.num("rollout.uptake_share_per_month", &r.uptake_share_per_month),
        abort_share: c.num("rollout.abort_share", &r.abort_share),
        seasonality,
        install_meters_per_working_day: install,
        initial,
        wan,
        enrolment,
        smets1,
        hubs,
        lte,
        targets,
    }
}

/// Ofgem's 2025 target (DOMAIN §6 [H]) and round milestones.
fn default_targets() -> Vec<Target> {
    let t = |name: &str, coverage_pct, by: Option<Month>| Target { name: name.into(), coverage_pct, by };
    vec![
        t("half of premises", 50.0, None),
        t("Ofgem: 74.5% of domestic premises by end 2025", 74.5, Some(Month::new(2025, 12))),
        t("80% of premises", 80.0, None),
        t("90% of premises", 90.0, None),
        t("95% of premises", 95.0, None),
    ]
}

impl RolloutScenario {
    /// Reads and validates a rollout scenario file.
    pub fn load(path: &Path) -> Result<RolloutScenario, ScenarioError> {
        let text = crate::scenario::read_scenario_file(path)?;
        RolloutScenario::parse(&path.display().to_string(), &text)
    }

    /// Validates rollout scenario `text`; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<RolloutScenario, ScenarioError> {
        RolloutScenario::from_document(file, text, crate::scenario::overrides::parse_document(file, text)?, &[])
    }

    /// Validates a parsed rollout document with `sets` applied over it.
    pub(crate) fn from_document(
        file: &str,
        text: &str,
        doc: crate::scenario::overrides::Document<'_>,
        sets: &[crate::scenario::Set],
    ) -> Result<RolloutScenario, ScenarioError> {
        let raw: raw::RawRolloutScenario =
            crate::scenario::overrides::raw_from(file, text, doc, crate::scenario::keys::ROLLOUT, sets, &[])?;
        let mut check = Checker::new(file, text, sets);
        let scenario = RolloutScenario::from_raw(&raw, &mut check);
        let problems = check.into_problems();
        if problems.is_empty() { Ok(scenario) } else { Err(ScenarioError::Invalid(problems)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_until_the_next() {
        let s = Steps(vec![(Month::new(2021, 1), 10.0), (Month::new(2021, 6), 20.0)]);
        assert_eq!(s.at(Month::new(2020, 12)), 0.0);
        assert_eq!(s.at(Month::new(2021, 5)), 10.0);
        assert_eq!(s.at(Month::new(2030, 1)), 20.0);
    }
}
