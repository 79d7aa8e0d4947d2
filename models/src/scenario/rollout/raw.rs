//! A rollout scenario file as written: TOML through serde, unknown keys rejected.
//!
//! Each key's meaning, unit, default, range and source (DOMAIN §n or "assumption")
//! are in the key registry ([`crate::scenario::keys`]), which `scenarios/README.md`
//! and `dccsim explain KEY` show. Counts
//! from publications are in meters, as published; the model itself counts premises
//! (one Communications Hub each) and converts with `meters_per_premises`.

use serde::Deserialize;

use crate::scenario::units::At;

/// A whole rollout scenario file: `[scenario]` and `[rollout]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRolloutScenario {
    pub scenario: RawRolloutStudy,
    pub rollout: RawRollout,
}

/// `[scenario]` of a rollout study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRolloutStudy {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub seed: u64,
    pub start_month: At<String>,
    pub end_month: At<String>,
}

/// `[rollout]`: premises, suppliers, installers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRollout {
    pub scale: At<f64>,
    pub meters_per_premises: At<f64>,
    pub supplier_shares: At<Vec<f64>>,
    pub refusal_share: At<f64>,
    pub uptake_share_per_month: At<f64>,
    pub abort_share: At<f64>,
    #[serde(default = "default_seasonality")]
    pub seasonality: Vec<f64>,
    pub install_rate: Vec<RawInstallRate>,
    #[serde(default)]
    pub initial: RawInitial,
    pub wan: RawWan,
    pub enrolment: RawEnrolment,
    pub smets1: RawSmets1,
    pub hubs: RawHubs,
    pub lte: RawLte,
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
    pub from: At<String>,
    pub meters_per_working_day: At<f64>,
}

/// `[rollout.initial]`: the fleet at the start, in meters of all GB (scaled by
/// `scale`). Default: none, a rollout from scratch.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInitial {
    pub smets2_meters: f64,
    pub smets1_meters: f64,
    pub smets1_migrated_meters: f64,
    pub advanced_meters: f64,
}

/// `[rollout.wan]`: first-time WAN connectivity of SMETS2 installs (CSP PM1.1 and
/// PM1.2, DOMAIN §6).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWan {
    pub no_wan_share: At<f64>,
    pub unconnected_at_90_days_share: At<f64>,
}

/// `[rollout.enrolment]`: from commissioned to enrolled.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnrolment {
    pub check_mean_days: At<f64>,
    pub check_window_days: At<i64>,
}

/// `[rollout.smets1]`: SMETS1 meters, migrated to the DCC network or replaced.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmets1 {
    pub migratable_share: At<f64>,
    pub replacement_share_per_year: At<f64>,
    #[serde(default)]
    pub migration_rate: Vec<RawMigrationRate>,
}

/// One step of `[[rollout.smets1.migration_rate]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMigrationRate {
    pub from: At<String>,
    pub meters_per_month: At<f64>,
}

/// `[rollout.hubs]`: Communications Hub forecasting, ordering and stock (SEC F5).
/// Each party forecasts during the month ending 10 months before delivery (DOMAIN
/// §0, §6 [H]); that lead is the rule, not a key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHubs {
    pub order_lead_months: At<i64>,
    pub tolerance_share: At<f64>,
    pub forecast_bias_share: At<f64>,
    pub forecast_error_sd_share: At<f64>,
    pub late_forecast_probability: At<f64>,
    pub delivery_shortfall_max_share: At<f64>,
    pub stock_cover_months: At<f64>,
    pub initial_stock_months: At<f64>,
    pub shelf_life_months: At<i64>,
    pub fault_share: At<f64>,
    pub refurbish_share: At<f64>,
    pub refurbish_months: At<i64>,
}

/// `[rollout.lte]`: 4G Communications Hubs and the 2G/3G switch-off (DOMAIN §4).
/// Hubs of CSP Central and South before `standard_from` (SMETS2, and migrated
/// SMETS1) are 2G/3G; North's long-range radio is unaffected.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLte {
    pub standard_from: At<String>,
    pub switch_off: At<String>,
    pub migration_start: Option<At<String>>,
    pub swaps_per_working_day: At<f64>,
}

/// One `[[rollout.target]]`: a share of premises with a smart meter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub name: String,
    pub coverage_pct: At<f64>,
    pub by: Option<At<String>>,
}

/// `population.from_rollout` in a network scenario: hand a rollout study's enrolled
/// fleet of one month to a network study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFromRollout {
    pub scenario: String,
    pub month: At<String>,
    #[serde(default = "unit")]
    pub fraction: f64,
}
