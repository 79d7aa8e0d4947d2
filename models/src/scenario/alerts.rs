//! Alert handling, validated: `[alerts]` and the alert keys of `[comms_hub]`.

use sim::{Delay, SimDuration};

use super::raw_alerts::{RawAlerts, RawCommsHub, RawOptIn};
use super::units::At;
use super::{Checker, StageSpec};
use crate::region::WanNetwork;

/// What an alert says.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertCode {
    /// AD1, the hub's Power Outage Alert: supply off for more than 3 minutes
    /// (DOMAIN §3).
    PowerOutage,
    /// 0x8F36 "Supply Outage Restored – Outage ≥ 3 minutes", from the ESME
    /// (DOMAIN §3).
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

/// Alert handling of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertSpec {
    /// AD1 after supply has been off for more than this.
    pub power_outage_threshold: SimDuration,
    /// AD1 size on the WAN, bytes.
    pub power_outage_alert_bytes: u32,
    /// 0x8F36 size on the WAN, bytes.
    pub restoration_alert_bytes: u32,
    /// Delivery-time target (CPM3).
    pub delivery_target: SimDuration,
    /// DSP processing of an alert or event.
    pub dsp_processing: Delay,
    /// Per supplier: whether it receives its customers' alerts.
    pub supplier_opt_in: Vec<bool>,
    /// The CSP's policy.
    pub csp_policy: CspAlertPolicy,
    /// Power Outage Event Window length.
    pub event_window: SimDuration,
    /// Hubs per window above which an event is large.
    pub event_threshold: u32,
    /// Event message bytes per hub listed.
    pub event_bytes_per_hub: u32,
    /// SECMP0062, if applied.
    pub storm_protection: Option<RepeatFilterSpec>,
    /// Codes SECMP0062 never throttles.
    pub unthrottled: Vec<AlertCode>,
    /// DCC's delivery of alerts to Users (per DSP shard).
    pub delivery: StageSpec,
    /// Hold-up of the hub's energy store, per [`WanNetwork::index`].
    pub hold_up: [SimDuration; 5],
    /// From supply back to the restoration alert being sent.
    pub restart: Delay,
    /// MP119 hub-side consolidation, if on.
    pub consolidation: Option<RepeatFilterSpec>,
    /// Routine device alerts per meter per day.
    pub device_alerts_per_meter_per_day: f64,
    /// Routine device alert size on the WAN, bytes.
    pub device_alert_bytes: u32,
}

impl AlertSpec {
    /// Validates `[alerts]` and the hub's alert keys.
    pub(crate) fn from_raw(raw: &RawAlerts, hub: &RawCommsHub, suppliers: usize, c: &mut Checker<'_>) -> AlertSpec {
        let secs = SimDuration::from_secs_f64;
        let bytes = |c: &mut Checker<'_>, key: &str, v: &At<i64>| c.whole(&format!("alerts.{key}"), v) as u32;
        let supplier_opt_in = match &raw.supplier_opt_in {
            RawOptIn::All(b) => vec![*b; suppliers],
            RawOptIn::Each(v) if v.len() == suppliers => v.clone(),
            RawOptIn::Each(v) => {
                c.problem(
                    "alerts.supplier_opt_in",
                    format!("{} flags for {suppliers} suppliers; allowed: true, false, or one per supplier", v.len()),
                );
                vec![false; suppliers]
            }
        };
        let p = &raw.storm_protection;
        let storm_protection = p.enabled.then(|| RepeatFilterSpec {
            threshold: c.whole("alerts.storm_protection.threshold", &p.threshold) as u32,
            window: c.duration("alerts.storm_protection.window_s", &p.window_s),
            period: c.duration("alerts.storm_protection.period_s", &p.period_s),
        });
        let unthrottled = p
            .excluded_codes
            .iter()
            .filter_map(|code| {
                AlertCode::parse(code).or_else(|| {
                    let message = format!("unknown alert code {code:?}; allowed: AD1, 8F36");
                    c.problem("alerts.storm_protection.excluded_codes", message);
                    None
                })
            })
            .collect();
        let hold_up_s = c.num("comms_hub.hold_up_s", &hub.hold_up_s);
        let mut hold_up = [secs(hold_up_s); 5];
        for (key, value) in &hub.hold_up_s_by_network {
            let path = format!("comms_hub.hold_up_s_by_network.{key}");
            match (
                WanNetwork::ALL.iter().find(|n| n.key() == key),
                value.as_float().or(value.as_integer().map(|i| i as f64)),
            ) {
                (Some(n), Some(v)) => hold_up[n.index()] = secs(c.num_as(&path, "comms_hub.hold_up_s", v)),
                (None, _) => {
                    c.problem(&path, format!("unknown hub variant {key:?}; allowed: north, central, south, mesh, lte"))
                }
                (_, None) => c.problem(&path, "not a number of seconds; allowed: 0 to 3600".into()),
            }
        }
        let consolidation_s = c.num("comms_hub.alert_consolidation_s", hub.alert_consolidation_s);
        AlertSpec {
            power_outage_threshold: c.duration("alerts.power_outage_threshold_s", &raw.power_outage_threshold_s),
            power_outage_alert_bytes: bytes(c, "power_outage_alert_bytes", &raw.power_outage_alert_bytes),
            restoration_alert_bytes: bytes(c, "restoration_alert_bytes", &raw.restoration_alert_bytes),
            delivery_target: c.duration("alerts.delivery_target_s", &raw.delivery_target_s),
            dsp_processing: c.delay("alerts.dsp_processing", &raw.dsp_processing),
            supplier_opt_in,
            csp_policy: raw.csp.policy,
            event_window: c.duration("alerts.csp.event_window_s", &raw.csp.event_window_s),
            event_threshold: c.whole("alerts.csp.event_threshold", &raw.csp.event_threshold) as u32,
            event_bytes_per_hub: c.whole("alerts.csp.event_bytes_per_hub", &raw.csp.event_bytes_per_hub) as u32,
            storm_protection,
            unthrottled,
            delivery: c.stage("alerts.delivery", "service_time", &raw.delivery.servers, &raw.delivery.service_time),
            hold_up,
            restart: c.delay("comms_hub.restart", &hub.restart),
            device_alerts_per_meter_per_day: c
                .num("alerts.device_alerts_per_meter_per_day", &raw.device_alerts_per_meter_per_day),
            device_alert_bytes: bytes(c, "device_alert_bytes", &raw.device_alert_bytes),
            consolidation: (consolidation_s > 0.0).then(|| RepeatFilterSpec {
                threshold: 1,
                window: secs(consolidation_s),
                period: secs(consolidation_s),
            }),
        }
    }
}
