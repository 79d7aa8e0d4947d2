//! The outages of a scenario: `[outages]`, times in [`sim`] units.

use serde::{Deserialize, Deserializer};
use sim::{Delay, SimDuration, SimTime};

use super::Checker;
use super::units::{DelayDef, Probability, Share, secs, three_shares, time};
use crate::topology::DNO_AREAS;

/// The level of the distribution network a fault takes off supply (`level` of a
/// fault: `feeder`, `secondary`, `primary` or `area`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultLevel {
    /// An LV feeder.
    Feeder,
    /// A secondary substation and its feeders.
    Secondary,
    /// A primary substation and everything under it.
    Primary,
    /// A whole DNO licence area.
    Area,
    /// Not a network fault: an ESME firmware activation cutting its hub's power.
    #[serde(skip_deserializing)]
    Firmware,
}

impl FaultLevel {
    /// The value in scenarios and output columns.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultLevel::Feeder => "feeder",
            FaultLevel::Secondary => "secondary",
            FaultLevel::Primary => "primary",
            FaultLevel::Area => "area",
            FaultLevel::Firmware => "firmware",
        }
    }
}

/// A single fault.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FaultSpec {
    /// Network level.
    pub level: FaultLevel,
    /// DNO area (index into [`DNO_AREAS`]).
    #[serde(deserialize_with = "area")]
    pub area: usize,
    /// Node of that level in the area, taken modulo the area's nodes so a scenario
    /// works at any scale.
    pub node: u32,
    /// Supply lost (the first reclose shot, if any).
    #[serde(rename = "start_s", deserialize_with = "time")]
    pub start: SimTime,
    /// The sustained interruption.
    #[serde(rename = "duration_s", deserialize_with = "secs")]
    pub duration: SimDuration,
    /// Auto-reclose shots before it.
    pub reclose_shots: u8,
    /// Off time of each shot.
    #[serde(rename = "reclose_off_s", deserialize_with = "secs")]
    pub reclose_off: SimDuration,
    /// Supply between shots.
    #[serde(rename = "reclose_on_s", deserialize_with = "secs")]
    pub reclose_on: SimDuration,
}

/// A storm: faults starting over a span, spread over chosen areas in proportion to
/// their premises and clustered along a band of each area's network.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StormSpec {
    /// DNO areas hit (indices into [`DNO_AREAS`]), sorted, each once.
    #[serde(deserialize_with = "areas")]
    pub areas: Vec<usize>,
    /// First faults.
    #[serde(rename = "start_s", deserialize_with = "time")]
    pub start: SimTime,
    /// Span over which faults start.
    #[serde(rename = "span_s", deserialize_with = "secs")]
    pub span: SimDuration,
    /// Customers off at all-GB scale.
    #[serde(rename = "customers_off")]
    pub customers_off_gb: f64,
    /// Shares of sustained faults at feeder, secondary and primary level.
    #[serde(deserialize_with = "three_shares")]
    pub level_shares: [f64; 3],
    /// Restoration time of a sustained fault.
    #[serde(with = "DelayDef")]
    pub restoration: Delay,
    /// Share of faults that are transient.
    pub transient_share: Share,
    /// Reclose shots of a transient fault.
    pub transient_shots: u8,
    /// Chance a restored fault trips again.
    pub retrip_probability: Probability,
    /// Share of a storm band's premises left off supply.
    pub band_hit_share: Share,
}

/// An over-the-air firmware campaign on an ESME model that cuts its hub's power
/// while it activates the new image (MP102, DOMAIN §3).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct FirmwareCampaignSpec {
    /// First activations.
    #[serde(rename = "start_s", deserialize_with = "time")]
    pub start: SimTime,
    /// Span of first activations.
    #[serde(rename = "span_s", deserialize_with = "secs")]
    pub span: SimDuration,
    /// Share of electricity-metered premises taking the image.
    pub esme_share: Share,
    /// The hub's time without power per activation.
    #[serde(with = "DelayDef")]
    pub power_cut: Delay,
    /// Activations per meter.
    pub activations: u8,
    /// Time between activations of one meter.
    #[serde(rename = "retry_gap_s", deserialize_with = "secs")]
    pub retry_gap: SimDuration,
}

/// `[outages]`: every interruption of supply. Default: none.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct OutageSpec {
    /// Single faults.
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    /// Storms.
    #[serde(default)]
    pub storms: Vec<StormSpec>,
    /// Firmware campaigns.
    #[serde(default)]
    pub firmware_campaigns: Vec<FirmwareCampaignSpec>,
}

impl OutageSpec {
    /// Checks what compares keys: start times within the horizon, a storm's
    /// customers within its areas', and the count of outages.
    pub(crate) fn check(&self, horizon_s: f64, c: &mut Checker<'_>) {
        if self.faults.len() + self.storms.len() + self.firmware_campaigns.len() > 10_000 {
            c.problem("outages", "more than 10,000 faults, storms and campaigns; allowed: up to 10,000".into());
        }
        let starts = self.faults.iter().map(|f| ("faults", f.start)).enumerate();
        let starts = starts.chain(self.storms.iter().map(|s| ("storms", s.start)).enumerate());
        for (i, (list, start)) in
            starts.chain(self.firmware_campaigns.iter().map(|f| ("firmware_campaigns", f.start)).enumerate())
        {
            c.within(&format!("outages.{list}.{i}.start_s"), start.as_secs_f64(), 0.0, horizon_s);
        }
        for (i, s) in self.storms.iter().enumerate() {
            let customers = s.areas.iter().map(|&a| DNO_AREAS[a].customers_m).sum::<f64>() * 1e6;
            if s.customers_off_gb > customers / 2.0 {
                let why = format!(
                    "{} customers is more than half of the {customers:.0} in the areas hit; allowed: up to half",
                    s.customers_off_gb
                );
                c.problem(&format!("outages.storms.{i}.customers_off"), why);
            }
        }
    }

    /// Whether nothing interrupts supply.
    pub fn is_empty(&self) -> bool {
        self.faults.is_empty() && self.storms.is_empty() && self.firmware_campaigns.is_empty()
    }
}

/// A DNO area key, as its index in [`DNO_AREAS`].
fn area<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let key = String::deserialize(d)?;
    DNO_AREAS
        .iter()
        .position(|a| a.key == key)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown DNO area {key:?}")))
}

/// DNO area keys, as sorted indices in [`DNO_AREAS`], each once.
fn areas<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<usize>, D::Error> {
    let keys = Vec::<String>::deserialize(d)?;
    let mut areas = Vec::with_capacity(keys.len());
    for key in keys {
        let index = DNO_AREAS.iter().position(|a| a.key == key);
        areas.push(index.ok_or_else(|| serde::de::Error::custom(format!("unknown DNO area {key:?}")))?);
    }
    if areas.is_empty() {
        return Err(serde::de::Error::custom("no areas; allowed: one or more DNO area keys"));
    }
    areas.sort_unstable();
    areas.dedup();
    Ok(areas)
}
