//! Alert handling: `[alerts]`, with what it takes from `[comms_hub]`.

use serde::Deserialize;
use sim::{Delay, SimDuration};

use super::units::{DelayDef, secs};
use super::{Checker, CommsHubSpec, StageSpec};
use crate::region::WanNetwork;

/// What an alert says.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub enum AlertCode {
    /// AD1, the hub's Power Outage Alert: supply off for more than 3 minutes
    /// (DOMAIN §3).
    #[serde(rename = "AD1")]
    PowerOutage,
    /// 0x8F36 "Supply Outage Restored – Outage ≥ 3 minutes", from the ESME
    /// (DOMAIN §3).
    #[serde(rename = "8F36")]
    SupplyRestored,
}

impl AlertCode {
    /// The value in scenarios and output columns: "AD1" or "8F36".
    pub fn as_str(self) -> &'static str {
        match self {
            AlertCode::PowerOutage => "AD1",
            AlertCode::SupplyRestored => "8F36",
        }
    }

    /// The code named `s` in a scenario.
    pub fn parse(s: &str) -> Option<AlertCode> {
        match s {
            "AD1" => Some(AlertCode::PowerOutage),
            "8F36" | "0x8F36" => Some(AlertCode::SupplyRestored),
            _ => None,
        }
    }
}

/// The settings of a repeat filter.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RepeatFilterSpec {
    /// Alerts passed per window.
    pub threshold: u32,
    /// The counting window.
    pub window: SimDuration,
    /// Beyond the threshold, one alert passes per period.
    pub period: SimDuration,
}

/// What the CSP does with power-loss alerts (`alerts.csp.policy`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CspAlertPolicy {
    /// Every AD1 is sent on at once.
    Forward,
    /// In each event window, AD1s beyond the threshold are held to the window's end
    /// and sent as one power outage event per DNO area.
    Aggregate,
}

/// `[alerts.csp]`: what the CSP does with power-loss alerts.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct AlertCspSpec {
    /// The CSP's policy.
    pub policy: CspAlertPolicy,
    /// Power Outage Event Window length.
    #[serde(rename = "event_window_s", deserialize_with = "secs")]
    pub event_window: SimDuration,
    /// Hubs per window above which an event is large.
    pub event_threshold: u32,
    /// Event message bytes per hub listed.
    pub event_bytes_per_hub: u32,
}

/// `[alerts.storm_protection]`: SECMP0062. Identical alerts from one device beyond
/// `threshold` within the window are discarded, except one per period, which
/// carries the count of those discarded since the last one forwarded.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StormProtectionSpec {
    /// Whether DCC applies it.
    pub enabled: bool,
    /// Alerts passed per window.
    pub threshold: u32,
    /// The counting window.
    #[serde(rename = "window_s", deserialize_with = "secs")]
    pub window: SimDuration,
    /// Beyond the threshold, one alert passes per period.
    #[serde(rename = "period_s", deserialize_with = "secs")]
    pub period: SimDuration,
    /// Codes never throttled.
    #[serde(default)]
    pub excluded_codes: Vec<AlertCode>,
}

impl StormProtectionSpec {
    /// The filter applied to `code`, if any.
    pub fn filter_for(&self, code: AlertCode) -> Option<RepeatFilterSpec> {
        let applies = self.enabled && !self.excluded_codes.contains(&code);
        applies.then_some(RepeatFilterSpec { threshold: self.threshold, window: self.window, period: self.period })
    }
}

/// `supplier_opt_in`: all suppliers, none, or one flag per supplier.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OptIn {
    /// The same for every supplier.
    All(bool),
    /// One flag per supplier.
    Each(Vec<bool>),
}

/// `[alerts]`: how Power Outage and restoration alerts travel and are judged.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AlertSpec {
    /// AD1 after supply has been off for more than this.
    #[serde(rename = "power_outage_threshold_s", deserialize_with = "secs")]
    pub power_outage_threshold: SimDuration,
    /// AD1 size on the WAN, bytes.
    pub power_outage_alert_bytes: u32,
    /// 0x8F36 size on the WAN, bytes.
    pub restoration_alert_bytes: u32,
    /// Delivery-time target (CPM3).
    #[serde(rename = "delivery_target_s", deserialize_with = "secs")]
    pub delivery_target: SimDuration,
    /// DSP processing of an alert or event.
    #[serde(with = "DelayDef")]
    pub dsp_processing: Delay,
    /// Which suppliers receive their customers' alerts, as written.
    #[serde(rename = "supplier_opt_in")]
    pub opt_in: OptIn,
    /// Routine device alerts per meter per day.
    pub device_alerts_per_meter_per_day: f64,
    /// Routine device alert size on the WAN, bytes.
    pub device_alert_bytes: u32,
    /// The CSP's handling.
    pub csp: AlertCspSpec,
    /// SECMP0062.
    pub storm_protection: StormProtectionSpec,
    /// DCC's delivery of alerts to Users (per DSP shard).
    pub delivery: StageSpec,
    /// Per supplier: whether it receives its customers' alerts (from `opt_in`).
    #[serde(skip)]
    pub supplier_opt_in: Vec<bool>,
    /// Hold-up of the hub's energy store, per [`crate::region::WanNetwork::index`]
    /// (from `[comms_hub]`).
    #[serde(skip)]
    pub hold_up: [SimDuration; 5],
    /// From supply back to the restoration alert being sent (from `[comms_hub]`).
    #[serde(skip, default = "no_delay")]
    pub restart: Delay,
    /// MP119 hub-side consolidation, if on (from `[comms_hub]`).
    #[serde(skip)]
    pub consolidation: Option<RepeatFilterSpec>,
}

fn no_delay() -> Delay {
    Delay::Constant { value_s: 0.0 }
}

impl AlertSpec {
    /// Fills in what comes from the hub and the number of suppliers, checking
    /// `supplier_opt_in` against it.
    pub(crate) fn resolve(&mut self, hub: &CommsHubSpec, suppliers: usize, c: &mut Checker<'_>) {
        self.supplier_opt_in = match &self.opt_in {
            OptIn::All(b) => vec![*b; suppliers],
            OptIn::Each(v) if v.len() == suppliers => v.clone(),
            OptIn::Each(v) => {
                let why =
                    format!("{} flags for {suppliers} suppliers; allowed: true, false, or one per supplier", v.len());
                c.problem("alerts.supplier_opt_in", why);
                vec![false; suppliers]
            }
        };
        self.hold_up = hub.hold_ups(c);
        self.restart = hub.restart;
        let window = hub.alert_consolidation;
        self.consolidation =
            (window > SimDuration(0)).then_some(RepeatFilterSpec { threshold: 1, window, period: window });
    }
}

impl CommsHubSpec {
    /// The hold-up of each hub variant, in [`WanNetwork::index`] order, with
    /// `hold_up_s_by_network` checked.
    pub(crate) fn hold_ups(&self, c: &mut Checker<'_>) -> [SimDuration; 5] {
        let mut hold_up = [self.hold_up; 5];
        for (key, value) in &self.hold_up_s_by_network {
            let path = format!("comms_hub.hold_up_s_by_network.{key}");
            let seconds = value.as_float().or(value.as_integer().map(|i| i as f64));
            match (WanNetwork::ALL.iter().find(|n| n.key() == key), seconds) {
                (Some(n), Some(s)) if (0.0..=3_600.0).contains(&s) => {
                    hold_up[n.index()] = SimDuration::from_secs_f64(s)
                }
                (None, _) => {
                    c.problem(&path, format!("unknown hub variant {key:?}; allowed: north, central, south, mesh, lte"))
                }
                (_, _) => c.problem(&path, format!("{value} is out of range; allowed: 0 to 3600")),
            }
        }
        hold_up
    }
}
