//! Scenario keys of power outages, the Communications Hub's alerting and DCC's alert
//! handling: `[outages]`, `[alerts]` and `[comms_hub]`.
//!
//! As in [`super::raw`], every key says its unit, default and source ("DOMAIN §n" or
//! "assumption").

use serde::Deserialize;

use super::raw::RawDelay;

/// `[outages]`: interruptions of supply on the distribution network. Default: none.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawOutages {
    /// `[[outages.faults]]`: single faults at a chosen node.
    #[serde(default)]
    pub faults: Vec<RawFault>,
    /// `[[outages.storms]]`: many faults over hours, clustered in chosen DNO areas.
    #[serde(default)]
    pub storms: Vec<RawStorm>,
    /// `[[outages.firmware_campaigns]]`: over-the-air firmware activations that cut
    /// the hub's power (MP102, DOMAIN §3): false Power Outage Alerts.
    #[serde(default)]
    pub firmware_campaigns: Vec<RawFirmwareCampaign>,
}

/// One fault at one node of the distribution network.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    /// "feeder" (an LV feeder), "secondary" (a secondary substation), "primary" (a
    /// primary substation) or "area" (a whole DNO licence area). Required.
    pub level: String,
    /// The DNO licence area, by key (e.g. "north_east"; see `scenarios/README.md`).
    /// Required.
    pub area: String,
    /// Which node of that level within the area, counted from 0 in the order of the
    /// generated tree; ignored for "area". Default 0. Must exist.
    pub node: i64,
    /// When supply is lost, s from the start. Required; within the horizon.
    pub start_s: f64,
    /// How long supply stays off, s. Required; 0.1 s to 31 days.
    pub duration_s: f64,
    /// Auto-reclose shots before the interruption: each a short trip of
    /// `reclose_off_s` followed by `reclose_on_s` of supply. Default 0. 0 to 10.
    pub reclose_shots: i64,
    /// Supply off per reclose shot, s. Default 20 (assumption: well under the 3
    /// minutes of DOMAIN §3). 0.1 to 600.
    pub reclose_off_s: f64,
    /// Supply back between reclose shots, s. Default 30 (assumption). 0.1 to 600.
    pub reclose_on_s: f64,
}

/// A storm: faults starting over `span_s`, spread over chosen areas in proportion to
/// their premises and clustered along a band of each area's network.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStorm {
    /// DNO areas hit, by key. Required; at least one.
    pub areas: Vec<String>,
    /// When the first faults start, s. Required; within the horizon.
    pub start_s: f64,
    /// Over how long faults start, s (uniformly). Required; 1 s to 7 days.
    pub span_s: f64,
    /// Customers off supply for 3 minutes or more, at all-GB scale; scaled with the
    /// population (× premises / 29.9 M). Required; Storm Arwen: more than 1,000,000
    /// (DOMAIN §3). At most half the premises of the areas hit.
    pub customers_off: f64,
    /// Shares of sustained faults at LV feeders, secondary and primary substations.
    /// Default [0.6, 0.3, 0.1] (assumption).
    pub level_shares: [f64; 3],
    /// Time to restore a sustained fault. Default log-normal, median 13.9 h
    /// (50,040 s), p95 65 h (234,000 s): the fit to Storm Arwen's ≈ 4% of customers
    /// off more than 3 days and ≈ 0.4% more than a week (DOMAIN §3, Ofgem).
    #[serde(default = "default_restoration")]
    pub restoration: RawDelay,
    /// Of all faults, the share that are transient: an auto-reclose sequence of
    /// short trips that clears by itself. Default 0.3 (assumption).
    pub transient_share: f64,
    /// Reclose shots of a transient fault. Default 2 (assumption). 1 to 10.
    pub transient_shots: i64,
    /// Chance a restored sustained fault trips again (a repeat outage of the same
    /// premises, 5 to 30 minutes after restoration, restored in 10 to 60 minutes).
    /// Default 0.1 (assumption). 0 to 0.9.
    pub retrip_probability: f64,
    /// Share of the premises inside each area's storm band left off supply: the
    /// smaller, the more spread out the damage. Default 0.5 (assumption). 0.05 to 1.
    pub band_hit_share: f64,
}

fn default_restoration() -> RawDelay {
    RawDelay::Lognormal { median_s: 50_040.0, p95_s: 234_000.0 }
}

/// An over-the-air firmware campaign on an ESME model that cuts its hub's power
/// while it activates the new image (MP102, DOMAIN §3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFirmwareCampaign {
    /// When activations begin, s. Required; within the horizon.
    pub start_s: f64,
    /// Over how long activations happen (uniformly), s. Required; 1 s to 31 days.
    pub span_s: f64,
    /// Share of electricity-metered premises whose ESME is the affected model and
    /// takes the image. Required; 0 to 1.
    pub esme_share: f64,
    /// How long the hub is without power per activation. Default log-normal, median
    /// 200 s, p95 400 s (assumption: long enough that most activations raise a false
    /// AD1, as MP102 reports).
    #[serde(default = "default_power_cut")]
    pub power_cut: RawDelay,
    /// Activations per meter (failed activations retried). Default 1. 1 to 20.
    pub activations: i64,
    /// Time between repeated activations of one meter, s. Default 600
    /// (assumption). 1 to 86,400.
    pub retry_gap_s: f64,
}

fn default_power_cut() -> RawDelay {
    RawDelay::Lognormal { median_s: 200.0, p95_s: 400.0 }
}

/// `[alerts]`: how Power Outage and restoration alerts travel and are judged.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    /// The hub raises AD1 when supply has been off for more than this, s. Default 180
    /// (DOMAIN §3 [H]: "more than three minutes"). 1 to 3,600.
    pub power_outage_threshold_s: f64,
    /// Size of an AD1 on the WAN, bytes. Default 152 (assumption: as the ECS80
    /// 0x8F36 alert of `shared/data/gbcs-message-sizes.json`). 16 to 100,000.
    pub power_outage_alert_bytes: i64,
    /// Size of a 0x8F36 restoration alert, bytes. Default 152 (ECS80 0x8F36 in
    /// `shared/data/gbcs-message-sizes.json`). 16 to 100,000.
    pub restoration_alert_bytes: i64,
    /// Delivery-time target of an alert, raised at the hub to delivered at the User,
    /// s; CPM3 counts alerts within it. Default 60 (DOMAIN §1.2 [A]). 1 to 86,400.
    pub delivery_target_s: f64,
    /// DSP processing of one alert (or one CSP power outage event). Default
    /// exponential, mean 0.05 s (assumption: as a response).
    #[serde(default = "default_alert_processing")]
    pub dsp_processing: RawDelay,
    /// Which suppliers also receive their customers' outage alerts, by index in
    /// `users.supplier_shares`: `true` (all), `false` (none) or one boolean per
    /// supplier. Default false (DOMAIN §3: alerts go to the DNO).
    pub supplier_opt_in: RawOptIn,
    /// Routine device alerts per meter per day, raised uniformly over the day by
    /// every hub and delivered to the premises' supplier; counted, not recorded.
    /// Default 0 (none). DOMAIN §5: 1.6 bn device alerts in July 2021 with about
    /// 21 m meters, 2.46 per meter per day [H]. 0 to 1,000.
    pub device_alerts_per_meter_per_day: f64,
    /// Size of a routine device alert on the WAN, bytes. Default 145 (the commonest
    /// alert size in `shared/data/gbcs-message-sizes.json`). 16 to 100,000.
    pub device_alert_bytes: i64,
    /// `[alerts.csp]`: the CSP's Power Outage Event Windows.
    pub csp: RawAlertCsp,
    /// `[alerts.storm_protection]`: DCC's Alert Storm Protection (SECMP0062).
    pub storm_protection: RawStormProtection,
    /// `[alerts.delivery]`: DCC's push of alerts to Users; copies to the DNO go before
    /// copies to suppliers.
    pub delivery: RawAlertDelivery,
}

fn default_alert_processing() -> RawDelay {
    RawDelay::Exponential { mean_s: 0.05 }
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
    /// "forward" (every AD1 is sent on at once) or "aggregate" (in each event
    /// window, AD1s beyond `event_threshold` are held to the window's end and sent
    /// as one power outage event per DNO area). Default "forward" (assumption).
    pub policy: String,
    /// Length of a Power Outage Event Window, s; windows start at 00:00. Default
    /// 180 (DOMAIN §3, PMM-2018). 1 to 3,600.
    pub event_window_s: f64,
    /// Hubs in one window above which an event is large (PM12.2). Default 50
    /// (DOMAIN §3). 1 to 1,000,000.
    pub event_threshold: i64,
    /// Bytes of a power outage event message per hub listed. Default 16
    /// (assumption). 1 to 10,000.
    pub event_bytes_per_hub: i64,
}

/// `[alerts.storm_protection]`: SECMP0062. Identical alerts from one device beyond
/// `threshold` within `window_s` are discarded, except one per `period_s`, which
/// carries the count of those discarded since the last one forwarded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStormProtection {
    /// Whether DCC applies it. Default true (DOMAIN §3: implemented 2020).
    pub enabled: bool,
    /// Identical alerts per device forwarded within a window. Default 5 (DOMAIN §3
    /// [A]: 3 to 5). 1 to 1,000.
    pub threshold: i64,
    /// The counting window, s. Default 900 (DOMAIN §3 [A]: 5 to 15 minutes). 1 to
    /// 86,400.
    pub window_s: f64,
    /// Beyond the threshold, one copy is forwarded per this period, s. Default 3,600
    /// (DOMAIN §3 [A]: 1 to 24 hours). 1 to 604,800.
    pub period_s: f64,
    /// Alert codes never throttled, e.g. ["AD1"]. Default none (DOMAIN §3: the
    /// exclusion list is in the Traffic Management Mechanism Document, not found).
    #[serde(default)]
    pub excluded_codes: Vec<String>,
}

/// `[alerts.delivery]`: DCC's push of alerts to Users' systems, per DSP shard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlertDelivery {
    /// Concurrent deliveries. Default 16 (assumption). 1 to 100,000.
    pub servers: i64,
    /// Time to deliver one alert. Default exponential, mean 0.02 s (assumption).
    #[serde(default = "default_delivery_time")]
    pub service_time: RawDelay,
}

fn default_delivery_time() -> RawDelay {
    RawDelay::Exponential { mean_s: 0.02 }
}

/// `[comms_hub]`: the Communications Hub Function, its HAN and the meter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCommsHub {
    /// From the command reaching the CHF to the device's response being back at the
    /// CHF (HAN both ways plus the meter's processing). Default log-normal, median
    /// 1.5 s, p95 4 s (assumption).
    #[serde(default = "default_han_response")]
    pub han_response: RawDelay,
    /// How long the hub's energy store keeps it running after the ESME loses supply
    /// ("last gasp"), s: an AD1 must be on the air before it runs out. Default 300
    /// (DOMAIN §3 [A]: holds up at least 3 minutes). 0 to 3,600.
    pub hold_up_s: f64,
    /// Per hub variant (WAN network: north, central, south, mesh, lte), a hold-up
    /// in place of `hold_up_s`, e.g. `{ mesh = 120 }`. Default: none.
    #[serde(default)]
    pub hold_up_s_by_network: toml::Table,
    /// From supply returning to the hub sending the ESME's 0x8F36 restoration alert
    /// (the hub restarts and rejoins the WAN). Default log-normal, median 60 s, p95
    /// 180 s (assumption).
    #[serde(default = "default_restart")]
    pub restart: RawDelay,
    /// Hub-side consolidation of repeated identical alerts (MP119, DOMAIN §3), s:
    /// after sending an alert the hub holds back identical ones for this long, and
    /// the next it sends carries their count. Default 0 (off; MP119 is a proposal).
    /// 0 to 86,400.
    #[serde(default)]
    pub alert_consolidation_s: f64,
}

fn default_han_response() -> RawDelay {
    RawDelay::Lognormal { median_s: 1.5, p95_s: 4.0 }
}
fn default_restart() -> RawDelay {
    RawDelay::Lognormal { median_s: 60.0, p95_s: 180.0 }
}
