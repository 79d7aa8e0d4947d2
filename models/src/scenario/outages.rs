//! The outages of a scenario, validated: `[outages]` in, times in [`sim`] units out.

use sim::{Delay, SimDuration, SimTime};

use super::Checker;
use super::raw_alerts::{RawFault, RawFirmwareCampaign, RawOutages, RawStorm};
use super::units::{At, normalised, place};
use crate::topology::DNO_AREAS;

/// The level of the distribution network a fault takes off supply (`level` of a
/// fault: `feeder`, `secondary`, `primary` or `area`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct FaultSpec {
    /// Network level.
    pub level: FaultLevel,
    /// DNO area (index into [`DNO_AREAS`]).
    pub area: usize,
    /// Node of that level in the area, taken modulo the area's nodes so a scenario
    /// works at any scale.
    pub node: u32,
    /// Supply lost (the first reclose shot, if any).
    pub start: SimTime,
    /// The sustained interruption.
    pub duration: SimDuration,
    /// Auto-reclose shots before it.
    pub reclose_shots: u8,
    /// Off time of each shot.
    pub reclose_off: SimDuration,
    /// Supply between shots.
    pub reclose_on: SimDuration,
}

/// A storm.
#[derive(Debug, Clone, PartialEq)]
pub struct StormSpec {
    /// DNO areas hit (indices into [`DNO_AREAS`]).
    pub areas: Vec<usize>,
    /// First faults.
    pub start: SimTime,
    /// Span over which faults start.
    pub span: SimDuration,
    /// Customers off at all-GB scale.
    pub customers_off_gb: f64,
    /// Shares of sustained faults at feeder, secondary and primary level.
    pub level_shares: [f64; 3],
    /// Restoration time of a sustained fault.
    pub restoration: Delay,
    /// Share of faults that are transient.
    pub transient_share: f64,
    /// Reclose shots of a transient fault.
    pub transient_shots: u8,
    /// Chance a restored fault trips again.
    pub retrip_probability: f64,
    /// Share of a storm band's premises left off supply.
    pub band_hit_share: f64,
}

/// A firmware campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct FirmwareCampaignSpec {
    /// First activations.
    pub start: SimTime,
    /// Span of first activations.
    pub span: SimDuration,
    /// Share of electricity-metered premises taking the image.
    pub esme_share: f64,
    /// The hub's time without power per activation.
    pub power_cut: Delay,
    /// Activations per meter.
    pub activations: u8,
    /// Time between activations of one meter.
    pub retry_gap: SimDuration,
}

/// Every outage of a scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutageSpec {
    /// Single faults.
    pub faults: Vec<FaultSpec>,
    /// Storms.
    pub storms: Vec<StormSpec>,
    /// Firmware campaigns.
    pub firmware_campaigns: Vec<FirmwareCampaignSpec>,
}

impl OutageSpec {
    /// Validates `[outages]`; times must fall before `horizon_s`.
    pub(crate) fn from_raw(raw: &RawOutages, horizon_s: f64, c: &mut Checker<'_>) -> OutageSpec {
        if raw.faults.len() + raw.storms.len() + raw.firmware_campaigns.len() > 10_000 {
            c.problem("outages", "more than 10,000 faults, storms and campaigns; allowed: up to 10,000".into());
        }
        OutageSpec {
            faults: raw.faults.iter().enumerate().map(|(i, f)| fault(i, f, horizon_s, c)).collect(),
            storms: raw.storms.iter().enumerate().map(|(i, s)| storm(i, s, horizon_s, c)).collect(),
            firmware_campaigns: raw
                .firmware_campaigns
                .iter()
                .enumerate()
                .map(|(i, f)| campaign(i, f, horizon_s, c))
                .collect(),
        }
    }

    /// Whether nothing interrupts supply.
    pub fn is_empty(&self) -> bool {
        self.faults.is_empty() && self.storms.is_empty() && self.firmware_campaigns.is_empty()
    }
}

fn area_index(path: &str, key: &At<String>, c: &mut Checker<'_>) -> usize {
    DNO_AREAS.iter().position(|a| a.key == key.get_ref()).unwrap_or_else(|| {
        let keys: Vec<&str> = DNO_AREAS.iter().map(|a| a.key).collect();
        let message = format!("unknown DNO area {:?}; allowed: {}", key.get_ref(), keys.join(", "));
        c.problem_in(path, place(key), message);
        0
    })
}

fn fault(i: usize, f: &RawFault, horizon_s: f64, c: &mut Checker<'_>) -> FaultSpec {
    let path = |key: &str| format!("outages.faults.{i}.{key}");
    let level = f.level.or_problem(c, &path("level"), "level", "feeder, secondary, primary, area", FaultLevel::Feeder);
    FaultSpec {
        level,
        area: area_index(&path("area"), &f.area, c),
        node: c.int(&path("node"), &f.node, 0, i64::from(u32::MAX)) as u32,
        start: SimTime::from_secs_f64(c.float(&path("start_s"), &f.start_s, 0.0, horizon_s)),
        duration: c.duration(&path("duration_s"), &f.duration_s),
        reclose_shots: c.whole(&path("reclose_shots"), &f.reclose_shots) as u8,
        reclose_off: c.duration(&path("reclose_off_s"), &f.reclose_off_s),
        reclose_on: c.duration(&path("reclose_on_s"), &f.reclose_on_s),
    }
}

fn storm(i: usize, s: &RawStorm, horizon_s: f64, c: &mut Checker<'_>) -> StormSpec {
    let path = |key: &str| format!("outages.storms.{i}.{key}");
    if s.areas.is_empty() {
        c.problem(&path("areas"), "no areas; allowed: one or more DNO area keys".into());
    }
    let mut areas: Vec<usize> = s.areas.iter().map(|a| area_index(&path("areas"), a, c)).collect();
    areas.sort_unstable();
    areas.dedup();
    let level_shares = c.shares(&path("level_shares"), &s.level_shares, 3, 3).map(|s| normalised(&s));
    let customers_off = c.float(&path("customers_off"), &s.customers_off, 0.0, 15_000_000.0);
    let area_customers_m: f64 = areas.iter().map(|&a| DNO_AREAS[a].customers_m).sum();
    if customers_off > area_customers_m * 1e6 / 2.0 {
        c.problem_in(
            &path("customers_off"),
            place(&s.customers_off),
            format!(
                "{customers_off} customers is more than half of the {:.0} in the areas hit; allowed: up to half",
                area_customers_m * 1e6
            ),
        );
    }
    StormSpec {
        areas,
        start: SimTime::from_secs_f64(c.float(&path("start_s"), &s.start_s, 0.0, horizon_s)),
        span: c.duration(&path("span_s"), &s.span_s),
        customers_off_gb: customers_off,
        level_shares: level_shares.map_or([1.0 / 3.0; 3], |s| [s[0], s[1], s[2]]),
        restoration: c.delay(&path("restoration"), &s.restoration),
        transient_share: c.num(&path("transient_share"), &s.transient_share),
        transient_shots: c.whole(&path("transient_shots"), &s.transient_shots) as u8,
        retrip_probability: c.num(&path("retrip_probability"), &s.retrip_probability),
        band_hit_share: c.num(&path("band_hit_share"), &s.band_hit_share),
    }
}

fn campaign(i: usize, f: &RawFirmwareCampaign, horizon_s: f64, c: &mut Checker<'_>) -> FirmwareCampaignSpec {
    let path = |key: &str| format!("outages.firmware_campaigns.{i}.{key}");
    FirmwareCampaignSpec {
        start: SimTime::from_secs_f64(c.float(&path("start_s"), &f.start_s, 0.0, horizon_s)),
        span: c.duration(&path("span_s"), &f.span_s),
        esme_share: c.num(&path("esme_share"), &f.esme_share),
        power_cut: c.delay(&path("power_cut"), &f.power_cut),
        activations: c.whole(&path("activations"), &f.activations) as u8,
        retry_gap: c.duration(&path("retry_gap_s"), &f.retry_gap_s),
    }
}
