//! A rollout study's scenario, typed in the shape of its file: `[scenario]` and
//! `[rollout]`. Counts from publications are in meters, as published; the model
//! itself counts premises (one Communications Hub each) and converts with
//! `meters_per_premises`.

pub mod handover;

use std::path::Path;

use serde::{Deserialize, Deserializer};

pub use crate::calendar::Month;
use crate::scenario::units::{Percent, Probability, Share, maybe_month, month, shares};
use crate::scenario::{Checker, ScenarioError, document, keys};

/// A step function of the month: each step holds from its month until the next.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Steps(pub Vec<(Month, f64)>);

impl<'de> Deserialize<'de> for Steps {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Steps, D::Error> {
        #[derive(Deserialize)]
        struct Step {
            #[serde(deserialize_with = "month")]
            from: Month,
            #[serde(alias = "meters_per_month")]
            meters_per_working_day: f64,
        }
        Ok(Steps(Vec::<Step>::deserialize(d)?.into_iter().map(|s| (s.from, s.meters_per_working_day)).collect()))
    }
}

impl Steps {
    /// Checks the steps at `path` go in increasing month order, the first at or
    /// before `start` if given.
    fn check(&self, c: &mut Checker<'_>, path: &str, start: Option<Month>) {
        for (i, pair) in self.0.windows(2).enumerate() {
            let ((prev, _), (m, _)) = (pair[0], pair[1]);
            if m <= prev {
                let why = format!("{m} is not after the previous step ({prev}); steps go in increasing month order");
                c.problem(&format!("{path}.{}.from", i + 1), why);
            }
        }
        if let (Some(&(first, _)), Some(start)) = (self.0.first(), start)
            && first > start
        {
            let why = format!("{first} is after start_month ({start}); allowed: the first step at or before it");
            c.problem(&format!("{path}.0.from"), why);
        }
    }
}

impl Steps {
    /// The value in month `m`: the last step starting at or before it, else 0.
    pub fn at(&self, m: Month) -> f64 {
        self.0.iter().take_while(|(from, _)| *from <= m).last().map_or(0.0, |&(_, v)| v)
    }
}

/// The fleet at the start, in meters of all GB (before `scale`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct WanSpec {
    /// Share of installs with no WAN at install.
    pub no_wan_share: Share,
    /// Share of installs still without WAN 90 days on.
    pub unconnected_at_90_days_share: Share,
}

/// Commissioned to enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct EnrolmentSpec {
    /// Mean days to complete post-commissioning checks.
    pub check_mean_days: f64,
    /// Days within which they are due.
    pub check_window_days: u32,
}

/// SMETS1 migration and replacement.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Smets1Spec {
    /// Share that can be migrated.
    pub migratable_share: Share,
    /// Share of those awaiting migration replaced per year.
    pub replacement_share_per_year: Share,
    /// Meters migrated per month, all GB.
    #[serde(rename = "migration_rate", default)]
    pub migration_meters_per_month: Steps,
}

/// SEC F5 hub supply.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct HubSpec {
    /// Months between order and delivery.
    pub order_lead_months: i32,
    /// Band either side of the forecast.
    pub tolerance_share: Share,
    /// Mean relative forecast error.
    pub forecast_bias_share: f64,
    /// Standard deviation of the relative forecast error.
    pub forecast_error_sd_share: f64,
    /// Chance a forecast is late (rejected).
    pub late_forecast_probability: Probability,
    /// Largest delivery shortfall against the order.
    pub delivery_shortfall_max_share: Share,
    /// Target stock, months of use.
    pub stock_cover_months: f64,
    /// Stock at the start, months of use.
    pub initial_stock_months: f64,
    /// Months a hub may sit in stock.
    pub shelf_life_months: i32,
    /// Share of hubs faulty at install.
    pub fault_share: Share,
    /// Share of faulty hubs refurbished.
    pub refurbish_share: Share,
    /// Months to refurbish.
    pub refurbish_months: i32,
}

/// 4G hubs and the 2G/3G switch-off.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct LteSpec {
    /// First month of 4G-only new hubs.
    #[serde(deserialize_with = "month")]
    pub standard_from: Month,
    /// Last month of 2G/3G service.
    #[serde(deserialize_with = "month")]
    pub switch_off: Month,
    /// First month of hub replacements, if any.
    #[serde(default, deserialize_with = "maybe_month")]
    pub migration_start: Option<Month>,
    /// Hub replacements per working day, all GB.
    pub swaps_per_working_day: f64,
}

/// A coverage milestone.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Target {
    /// Its name.
    pub name: String,
    /// Share of premises with a smart meter, %.
    pub coverage_pct: Percent,
    /// Month by whose end it is due.
    #[serde(default, deserialize_with = "maybe_month")]
    pub by: Option<Month>,
}

/// The rollout model's parameters, validated.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RolloutSpec {
    /// Fraction of GB.
    pub scale: f64,
    /// Meters per smart premises.
    pub meters_per_premises: f64,
    /// Supplier shares, summing to 1.
    #[serde(deserialize_with = "shares")]
    pub supplier_shares: Vec<f64>,
    /// Premises that never take a smart meter.
    pub refusal_share: Share,
    /// Most of the premises left that accept an install in a month.
    pub uptake_share_per_month: Share,
    /// Install visits aborted on site.
    pub abort_share: Share,
    /// Capacity factor per calendar month (January first), mean 1.
    #[serde(deserialize_with = "seasonality")]
    pub seasonality: [f64; 12],
    /// Installed meters per working day, all GB.
    #[serde(rename = "install_rate")]
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
    #[serde(rename = "target", default = "default_targets")]
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
    /// The file as read, every default filled in and every `--set` applied; see
    /// [`RolloutScenario::resolved_toml`].
    pub document: toml::Table,
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

    /// The study of a read file, with the checks that compare keys.
    fn assemble(f: RolloutFile, c: &mut Checker<'_>) -> RolloutScenario {
        let study = f.scenario;
        crate::scenario::checker::check_name(&study.name, c);
        let (start, end) = (study.start_month, study.end_month);
        if end < start || end.since(start) > 480 {
            let why = format!("{end} is not allowed; allowed: from start_month ({start}) to 40 years after it");
            c.problem("scenario.end_month", why);
        }
        let r = f.rollout;
        if r.install_meters_per_working_day.0.is_empty() {
            c.problem(
                "rollout",
                "`[[rollout.install_rate]]` is missing; give at least one step, from start_month".into(),
            );
        }
        r.install_meters_per_working_day.check(c, "rollout.install_rate", Some(start));
        // Migration may start after the study does: no step before it means none.
        r.smets1.migration_meters_per_month.check(c, "rollout.smets1.migration_rate", None);
        let i = r.initial;
        c.within("rollout.initial.smets1_migrated_meters", i.smets1_migrated_meters, 0.0, i.smets1_meters);
        let smart_premises = (i.smets1_meters + i.smets2_meters) / r.meters_per_premises;
        let gb = crate::scenario::gb_premises();
        if smart_premises > gb {
            let why = format!(
                "SMETS1 and SMETS2 meters make {smart_premises:.0} premises at {} meters each, more than GB's {gb:.0}",
                r.meters_per_premises
            );
            c.problem("rollout.initial.smets2_meters", why);
        }
        c.within(
            "rollout.wan.unconnected_at_90_days_share",
            r.wan.unconnected_at_90_days_share.get(),
            0.0,
            r.wan.no_wan_share.get(),
        );
        let lte = r.lte;
        if lte.switch_off < lte.standard_from {
            let why =
                format!("{} is before standard_from ({}); allowed: at or after it", lte.switch_off, lte.standard_from);
            c.problem("rollout.lte.switch_off", why);
        }
        if let Some(m) = lte.migration_start.filter(|m| *m > lte.switch_off) {
            c.problem(
                "rollout.lte.migration_start",
                format!("{m} is after switch_off ({}); allowed: at or before it", lte.switch_off),
            );
        }
        let document = c.resolved();
        RolloutScenario {
            name: study.name,
            description: study.description,
            seed: study.seed,
            start,
            end,
            rollout: r,
            document,
        }
    }
}

/// Twelve capacity factors, rescaled to mean 1.
fn seasonality<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 12], D::Error> {
    let factors = Vec::<f64>::deserialize(d)?;
    let good = factors.len() == 12
        && factors.iter().all(|f| f.is_finite() && (0.0..=3.0).contains(f))
        && factors.iter().sum::<f64>() > 0.0;
    if !good {
        let why = format!("{} factors given; allowed: 12 factors, each 0 to 3, not all 0", factors.len());
        return Err(serde::de::Error::custom(why));
    }
    let mean = factors.iter().sum::<f64>() / 12.0;
    Ok(std::array::from_fn(|m| factors[m] / mean))
}

/// `[scenario]` of a rollout study.
#[derive(Deserialize)]
struct RolloutStudyKeys {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(deserialize_with = "crate::scenario::units::seed")]
    seed: u64,
    #[serde(deserialize_with = "month")]
    start_month: Month,
    #[serde(deserialize_with = "month")]
    end_month: Month,
}

/// A rollout scenario file.
#[derive(Deserialize)]
struct RolloutFile {
    scenario: RolloutStudyKeys,
    rollout: RolloutSpec,
}

/// Ofgem's 2025 target (DOMAIN §6 [H]) and round milestones.
fn default_targets() -> Vec<Target> {
    let t = |name: &str, pct: f64, by: Option<Month>| Target {
        name: name.into(),
        coverage_pct: Percent::new(pct).expect("a percentage"),
        by,
    };
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
        RolloutScenario::from_document(file, text, document::parse(file, text)?, &[])
    }

    /// Validates a parsed rollout document with `sets` applied over it.
    pub(crate) fn from_document(
        file: &str,
        text: &str,
        doc: document::Document<'_>,
        sets: &[crate::scenario::Set],
    ) -> Result<RolloutScenario, ScenarioError> {
        document::read(file, text, doc, keys::ROLLOUT, sets, &[], RolloutScenario::assemble)
    }
}
