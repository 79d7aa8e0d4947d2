//! Scenario keys of power outages, the Communications Hub's alerting and DCC's alert
//! handling: `[outages]`, `[alerts]` and `[comms_hub]`.
//!
//! As in [`super::raw`], each key's unit, default, range and source are in the key
//! registry ([`super::keys`]).

use serde::Deserialize;

use super::raw::RawDelay;
use super::units::{At, nowhere};

/// `[outages]`: interruptions of supply on the distribution network. Default: none.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawOutages {
    #[serde(default)]
    pub faults: Vec<RawFault>,
    #[serde(default)]
    pub storms: Vec<RawStorm>,
    #[serde(default)]
    pub firmware_campaigns: Vec<RawFirmwareCampaign>,
}

/// One fault at one node of the distribution network.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    pub level: super::units::Choice<super::outages::FaultLevel>,
    pub area: At<String>,
    pub node: At<i64>,
    pub start_s: At<f64>,
    pub duration_s: At<f64>,
    pub reclose_shots: At<i64>,
    pub reclose_off_s: At<f64>,
    pub reclose_on_s: At<f64>,
}

/// A storm: faults starting over `span_s`, spread over chosen areas in proportion to
/// their premises and clustered along a band of each area's network.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStorm {
    pub areas: Vec<At<String>>,
    pub start_s: At<f64>,
    pub span_s: At<f64>,
    pub customers_off: At<f64>,
    pub level_shares: At<[f64; 3]>,
    #[serde(default = "default_restoration")]
    pub restoration: At<RawDelay>,
    pub transient_share: At<f64>,
    pub transient_shots: At<i64>,
    pub retrip_probability: At<f64>,
    pub band_hit_share: At<f64>,
}

fn default_restoration() -> At<RawDelay> {
    nowhere(RawDelay::Lognormal { median_s: 50_040.0, p95_s: 234_000.0 })
}

/// An over-the-air firmware campaign on an ESME model that cuts its hub's power
/// while it activates the new image (MP102, DOMAIN §3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFirmwareCampaign {
    pub start_s: At<f64>,
    pub span_s: At<f64>,
    pub esme_share: At<f64>,
    #[serde(default = "default_power_cut")]
    pub power_cut: At<RawDelay>,
    pub activations: At<i64>,
    pub retry_gap_s: At<f64>,
}

fn default_power_cut() -> At<RawDelay> {
    nowhere(RawDelay::Lognormal { median_s: 200.0, p95_s: 400.0 })
}

/// `[alerts]`: how Power Outage and restoration alerts travel and are judged.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    pub power_outage_threshold_s: At<f64>,
    pub power_outage_alert_bytes: At<i64>,
    pub restoration_alert_bytes: At<i64>,
    pub delivery_target_s: At<f64>,
    #[serde(default = "default_alert_processing")]
    pub dsp_processing: At<RawDelay>,
    pub supplier_opt_in: RawOptIn,
    pub device_alerts_per_meter_per_day: At<f64>,
    pub device_alert_bytes: At<i64>,
    pub csp: RawAlertCsp,
    pub storm_protection: RawStormProtection,
    pub delivery: RawAlertDelivery,
}

fn default_alert_processing() -> At<RawDelay> {
    nowhere(RawDelay::Exponential { mean_s: 0.05 })
}

/// All suppliers, none, or one flag per supplier.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum RawOptIn {
    /// The same for every supplier.
    All(bool),
    /// One flag per supplier.
    Each(Vec<bool>),
}

impl Default for RawOptIn {
    fn default() -> Self {
        RawOptIn::All(false)
    }
}

/// `[alerts.csp]`: how the CSP treats power-loss alerts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlertCsp {
    pub policy: super::alerts::CspAlertPolicy,
    pub event_window_s: At<f64>,
    pub event_threshold: At<i64>,
    pub event_bytes_per_hub: At<i64>,
}

/// `[alerts.storm_protection]`: SECMP0062. Identical alerts from one device beyond
/// `threshold` within `window_s` are discarded, except one per `period_s`, which
/// carries the count of those discarded since the last one forwarded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStormProtection {
    pub enabled: bool,
    pub threshold: At<i64>,
    pub window_s: At<f64>,
    pub period_s: At<f64>,
    #[serde(default)]
    pub excluded_codes: Vec<String>,
}

/// `[alerts.delivery]`: DCC's push of alerts to Users' systems, per DSP shard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlertDelivery {
    pub servers: At<i64>,
    #[serde(default = "default_delivery_time")]
    pub service_time: At<RawDelay>,
}

fn default_delivery_time() -> At<RawDelay> {
    nowhere(RawDelay::Exponential { mean_s: 0.02 })
}

/// `[comms_hub]`: the Communications Hub Function, its HAN and the meter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommsHub {
    #[serde(default = "default_han_response")]
    pub han_response: At<RawDelay>,
    pub hold_up_s: At<f64>,
    #[serde(default)]
    pub hold_up_s_by_network: toml::Table,
    #[serde(default = "default_restart")]
    pub restart: At<RawDelay>,
    #[serde(default)]
    pub alert_consolidation_s: f64,
}

fn default_han_response() -> At<RawDelay> {
    nowhere(RawDelay::Lognormal { median_s: 1.5, p95_s: 4.0 })
}
fn default_restart() -> At<RawDelay> {
    nowhere(RawDelay::Lognormal { median_s: 60.0, p95_s: 180.0 })
}
