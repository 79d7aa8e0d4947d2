//! A rollout scenario file as written: TOML through serde, unknown keys rejected.
//!
//! Every key is documented with its unit, default and source (DOMAIN §n or
//! "assumption"); `scenarios/README.md` is the same reference for users. Counts
//! from publications are in meters, as published; the model itself counts premises
//! (one Communications Hub each) and converts with `meters_per_premises`.

use serde::Deserialize;

/// A whole rollout scenario file: `[scenario]` and `[rollout]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRolloutScenario {
    /// What the study is and which months it covers.
    pub scenario: RawRolloutStudy,
    /// The rollout model.
    pub rollout: RawRollout,
}

/// `[scenario]` of a rollout study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRolloutStudy {
    /// Name; also the default output folder `output/<name>/`. Letters, digits, `-`
    /// and `_`. Required.
    pub name: String,
    /// One line saying what the study asks. Default: empty.
    #[serde(default)]
    pub description: String,
    /// Seed of every random stream. Default 1. `--seed` overrides it.
    pub seed: u64,
    /// First simulated month, "YYYY-MM"; the `[rollout.initial]` state is at its
    /// start. Required.
    pub start_month: String,
    /// Last simulated month, "YYYY-MM", at most 40 years after the start. Required.
    pub end_month: String,
}

/// `[rollout]`: premises, suppliers, installers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRollout {
    /// Fraction of Great Britain's 29.9 M premises (DOMAIN §7). Default 1.0;
    /// 0.000001 to 1.5. `--scale` overrides it.
    pub scale: f64,
    /// Smart meters per smart premises, to turn published meter counts into premises
    /// and back. Default 1.67 (DOMAIN §5: "~25 m meters in 15 m homes", DCC, 21 Feb
    /// 2023 [H]). 1 to 2.
    pub meters_per_premises: f64,
    /// Market shares of the suppliers (normalised); each is one SEC Party that
    /// forecasts, orders and installs hubs. Default [0.20, 0.18, 0.15, 0.12, 0.10,
    /// 0.08, 0.17]: six large suppliers and the rest as one (assumption, as the
    /// network model's `users.supplier_shares`; DOMAIN §6: 99% of installs by large
    /// suppliers). 1 to 50 entries.
    pub supplier_shares: Vec<f64>,
    /// Share of premises without a smart meter that never take one (refusals, no
    /// access, unsuitable). Default 0.03 (assumption). 0 to 0.5.
    pub refusal_share: f64,
    /// Most of the premises still to visit (without a smart meter, or with a SMETS1
    /// meter to replace) that accept an install in a month: as the rollout nears its
    /// end, installs slow to this share of those left. Default 0.03 (assumption:
    /// not binding while many premises are left, as in 2021–2024). 0.001 to 1.
    pub uptake_share_per_month: f64,
    /// Share of install visits aborted on site (no access, safety, technical): the
    /// premises stays in the queue and the hub goes back to stock. Default 0.10
    /// (assumption; DOMAIN §6 mentions abort reasons, no rate). 0 to 0.9.
    pub abort_share: f64,
    /// Relative installer capacity per working day in January … December, scaled to
    /// average 1. Default January 0.92 (DOMAIN §6: ElectraLink Jan 2025 198k over 21
    /// working days against ~10.3k per working day in March–April), August 0.95 and
    /// December 0.85 (assumption: holidays), other months 1.
    #[serde(default = "default_seasonality")]
    pub seasonality: Vec<f64>,
    /// `[[rollout.install_rate]]`: installer capacity, a step function of the month.
    /// Required, at least one step; the first at or before `start_month`.
    pub install_rate: Vec<RawInstallRate>,
    /// The state at the start of `start_month`.
    #[serde(default)]
    pub initial: RawInitial,
    /// First-time WAN connectivity.
    pub wan: RawWan,
    /// Commissioning and enrolment in the Smart Metering Inventory.
    pub enrolment: RawEnrolment,
    /// SMETS1 migration onto the DCC network and replacement.
    pub smets1: RawSmets1,
    /// Communications Hub forecasts, orders, deliveries and stock (SEC F5).
    pub hubs: RawHubs,
    /// 4G hubs and the 2G/3G switch-off.
    pub lte: RawLte,
    /// `[[rollout.target]]`: coverage milestones to report. Default: Ofgem's 74.5%
    /// by end 2025 (DOMAIN §6 [H]); 50%, 80%, 90% and 95% with no deadline.
    pub target: Option<Vec<RawTarget>>,
}

fn unit() -> f64 {
    1.0
}
fn default_seasonality() -> Vec<f64> {
    vec![0.92, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 1.0, 1.0, 1.0, 0.85]
}

/// One step of `[[rollout.install_rate]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstallRate {
    /// First month of the step, "YYYY-MM"; steps in increasing order.
    pub from: String,
    /// Smart meters installed per working day in all of GB (at `scale` 1), before
    /// seasonality. 0 to 200,000. Published rates are in DOMAIN §6.
    pub meters_per_working_day: f64,
}

/// `[rollout.initial]`: the fleet at the start, in meters of all GB (scaled by
/// `scale`). Default: none, a rollout from scratch.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitial {
    /// SMETS2 meters installed. Default 0. E.g. 6.7 m at end 2020 (DOMAIN §5).
    pub smets2_meters: f64,
    /// SMETS1 meters installed, migrated or not. Default 0. E.g. 15.7 m at end 2020
    /// (DOMAIN §5).
    pub smets1_meters: f64,
    /// Of those, SMETS1 meters already migrated to the DCC network. Default 0.
    pub smets1_migrated_meters: f64,
    /// Advanced (non-domestic) meters: not installed by this model, only added to
    /// the smart-and-advanced totals DESNZ publishes. Default 0. E.g. 1.3 m (DOMAIN
    /// §5, end 2020 and end 2023).
    pub advanced_meters: f64,
}

/// `[rollout.wan]`: first-time WAN connectivity of SMETS2 installs (CSP PM1.1 and
/// PM1.2, DOMAIN §6).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWan {
    /// Share of installs with no SM WAN at install ("Install No SM WAN", SR 8.14.2):
    /// installed, not commissioned. Default 0.03 (DOMAIN §6 [A]: 2–5%). 0 to 0.5.
    pub no_wan_share: f64,
    /// Share of installs still without WAN 90 days after install. Default 0.0075
    /// (DOMAIN §6 [A]: 0.5–1%). 0 to `no_wan_share`.
    pub unconnected_at_90_days_share: f64,
}

/// `[rollout.enrolment]`: from commissioned to enrolled.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnrolment {
    /// Mean days from commissioning to completed post-commissioning checks
    /// (geometric). Default 2 (assumption). 0.1 to 60.
    pub check_mean_days: f64,
    /// Days within which the checks are due. Default 7 (DOMAIN §0, SEC ch. 11 [H]).
    /// 1 to 60.
    pub check_window_days: i64,
}

/// `[rollout.smets1]`: SMETS1 meters, migrated to the DCC network or replaced.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmets1 {
    /// Share of SMETS1 meters that can be migrated; the rest are replaced by SMETS2
    /// installs. Default 0.955 (DOMAIN §5–6: about 15 m of 15.7 m expected migrated
    /// by end 2024). 0 to 1.
    pub migratable_share: f64,
    /// Share of SMETS1 meters awaiting migration replaced by SMETS2 each year
    /// (faults, change of supplier). Default 0.023 (DOMAIN §5: SMETS1 fell from 15.7 m
    /// to 14.6 m over 2021–2023, derived). 0 to 1.
    pub replacement_share_per_year: f64,
    /// `[[rollout.smets1.migration_rate]]`: meters migrated per month in all of GB,
    /// a step function. Default: none.
    #[serde(default)]
    pub migration_rate: Vec<RawMigrationRate>,
}

/// One step of `[[rollout.smets1.migration_rate]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMigrationRate {
    /// First month of the step, "YYYY-MM"; steps in increasing order.
    pub from: String,
    /// SMETS1 meters migrated per month, all of GB. 0 to 2,000,000.
    pub meters_per_month: f64,
}

/// `[rollout.hubs]`: Communications Hub forecasting, ordering and stock (SEC F5).
/// Each party forecasts during the month ending 10 months before delivery (DOMAIN
/// §0, §6 [H]); that lead is the rule, not a key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHubs {
    /// Months before delivery that the order is placed. Default 4 (DOMAIN §6 [A]:
    /// 4–10 months). 1 to 10.
    pub order_lead_months: i64,
    /// Orders and deliveries stay within this share either side of the forecast.
    /// Default 0.15 (DOMAIN §6 [A]: ±10–20%). 0 to 1.
    pub tolerance_share: f64,
    /// Mean relative error of parties' forecasts (positive: over-forecast). Default 0
    /// (assumption). −1 to 2.
    pub forecast_bias_share: f64,
    /// Standard deviation of the relative forecast error. Default 0.10
    /// (assumption). 0 to 2.
    pub forecast_error_sd_share: f64,
    /// Chance a forecast misses its month: it is rejected and nothing is delivered
    /// for that month. Default 0 (assumption). 0 to 1.
    pub late_forecast_probability: f64,
    /// Deliveries fall short of the order by up to this share (uniform), within the
    /// tolerance band. Default 0.02 (assumption). 0 to 1.
    pub delivery_shortfall_max_share: f64,
    /// Stock a party aims to hold, in months of expected use. Default 1
    /// (assumption). 0 to 12.
    pub stock_cover_months: f64,
    /// Stock held at the start, in months of expected use. Default 1
    /// (assumption). 0 to 24.
    pub initial_stock_months: f64,
    /// Months a delivered hub may wait in stock before it must be returned (its TSAT
    /// end date, DOMAIN §6: "CHs must be installed before their TSAT end date or be
    /// returned", DP238 [H]). Default 24 (assumption). 1 to 120.
    pub shelf_life_months: i64,
    /// Share of hubs found faulty at install: another is fitted and the faulty one
    /// returned. Default 0.01 (assumption). 0 to 0.5.
    pub fault_share: f64,
    /// Share of returned faulty hubs refurbished and redeployed (DOMAIN §4: DP238
    /// refurbish-and-redeploy). Default 0.5 (assumption). 0 to 1.
    pub refurbish_share: f64,
    /// Months a refurbished hub takes to come back to stock. Default 2
    /// (assumption). 1 to 24.
    pub refurbish_months: i64,
}

/// `[rollout.lte]`: 4G Communications Hubs and the 2G/3G switch-off (DOMAIN §4).
/// Hubs of CSP Central and South before `standard_from` (SMETS2, and migrated
/// SMETS1) are 2G/3G; North's long-range radio is unaffected.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLte {
    /// First month in which every new hub is 4G. Default "2025-07" (DOMAIN §4: 4G CH
    /// standard from summer 2025).
    pub standard_from: String,
    /// Last month of 2G/3G service: 2G/3G hubs left at its end lose the WAN and
    /// leave the enrolled fleet. Default "2033-12" (DOMAIN §4: switch-off by 2033).
    pub switch_off: String,
    /// First month of the hub-replacement programme; absent: none.
    pub migration_start: Option<String>,
    /// Hub replacements per working day, all of GB, by crews separate from meter
    /// installers. Default 8,000 (assumption). 0 to 200,000.
    pub swaps_per_working_day: f64,
}

/// One `[[rollout.target]]`: a share of premises with a smart meter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    /// What it is, e.g. "Ofgem 2025 target". Required.
    pub name: String,
    /// Share of premises with a smart meter (SMETS1 or SMETS2), %. 0 to 100.
    pub coverage_pct: f64,
    /// Month by whose end it is due, "YYYY-MM"; absent: a milestone with no deadline.
    pub by: Option<String>,
}

/// `population.from_rollout` in a network scenario: hand a rollout study's enrolled
/// fleet of one month to a network study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFromRollout {
    /// The rollout scenario file, relative to the network scenario's folder.
    /// Required.
    pub scenario: String,
    /// The month, "YYYY-MM", whose end-of-month enrolled fleet is used; within the
    /// rollout study's months. Required.
    pub month: String,
    /// Fraction of that fleet to simulate, to keep a network study small. Default 1;
    /// 0.000001 to 1.
    #[serde(default = "unit")]
    pub fraction: f64,
}
