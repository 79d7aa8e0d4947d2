//! Interruptions of supply: faults on the distribution network, storms of them, and
//! firmware activations that cut a hub's power.
//!
//! The outages of a run are generated before it starts, from the scenario and the
//! seed alone ([`Outages::generate`]). Each fault takes a node of the distribution
//! tree off supply — an LV feeder, a secondary or primary substation, or a whole DNO
//! area — and so a contiguous range of premises (the tree is numbered depth first).
//! Faults that overlap at a premises merge into one [`PowerCut`] there: supply is
//! back only when every fault covering it is cleared.
//!
//! ```text
//! fault ──► premises range ──► power cuts per premises ──► the hub's alerts (crate::alert)
//!                                                      └─► commands to the premises fail
//! ```

pub mod source;
mod storm;

use std::ops::Range;

use sim::{SimDuration, SimTime};

use crate::population::Population;
pub use crate::scenario::outages::{FaultLevel, FaultSpec, FirmwareCampaignSpec, OutageSpec, StormSpec};
use crate::streams::{Purpose, Streams};

/// Where a fault came from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FaultCause {
    /// `[[outages.faults]]` entry `k`.
    Single(u16),
    /// `[[outages.storms]]` entry `k`.
    Storm(u16),
    /// `[[outages.firmware_campaigns]]` entry `k`.
    Firmware(u16),
}

impl FaultCause {
    /// The value in output columns: "fault", "storm" or "firmware".
    pub fn as_str(self) -> &'static str {
        match self {
            FaultCause::Single(_) => "fault",
            FaultCause::Storm(_) => "storm",
            FaultCause::Firmware(_) => "firmware",
        }
    }
}

/// One fault (or firmware campaign): one row of `outages.parquet`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// Id in the run, in order of start time.
    pub id: u32,
    /// The network level.
    pub level: FaultLevel,
    /// Where it came from.
    pub cause: FaultCause,
    /// DNO area (index into [`crate::topology::DNO_AREAS`]); `None` for a firmware
    /// campaign.
    pub area: Option<usize>,
    /// The node's id at its level (feeder, secondary or primary id; area index).
    pub node: u32,
    /// Premises the node supplies (empty for a firmware campaign).
    pub premises: Range<u32>,
    /// Supply lost (the first trip).
    pub start: SimTime,
    /// Supply back for good.
    pub restore: SimTime,
    /// Off intervals relative to `start`: auto-reclose shots, the interruption, a
    /// re-trip. For a firmware campaign, empty (each meter has its own).
    pub intervals: Vec<(SimDuration, SimDuration)>,
    /// Staged restoration: sections of the premises (from each first premises to the
    /// next section's) whose first interruption ends at their own time, relative to
    /// `start`. Empty: every premises follows `intervals`.
    pub sections: Vec<(u32, SimDuration)>,
    /// Premises that lost supply.
    pub premises_affected: u32,
}

impl Fault {
    /// The longest single interruption of any premises.
    pub fn longest_interruption(&self) -> SimDuration {
        let staged = self.sections.iter().map(|&(_, end)| end).max().unwrap_or(SimDuration::ZERO);
        let plain = self.intervals.iter().map(|&(off, on)| SimDuration(on.0 - off.0)).max();
        plain.unwrap_or(SimDuration::ZERO).max(staged)
    }
}

/// One interruption of supply at one premises, after merging overlapping faults.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PowerCut {
    /// The premises.
    pub premises: u32,
    /// Supply lost.
    pub off: SimTime,
    /// Supply back.
    pub on: SimTime,
    /// The fault that cut it first.
    pub fault: u32,
}

impl PowerCut {
    /// How long supply was off.
    pub fn duration(&self) -> SimDuration {
        self.on - self.off
    }
}

/// Every fault and power cut of a run.
#[derive(Clone, Debug, Default)]
pub struct Outages {
    /// Faults by id.
    pub faults: Vec<Fault>,
    /// Power cuts, ordered by premises then time; never overlapping at a premises.
    cuts: Vec<PowerCut>,
}

impl Outages {
    /// Generates the outages a scenario describes over `population`.
    pub fn generate(spec: &OutageSpec, population: &Population, seed: u64) -> Outages {
        let mut faults: Vec<Fault> = Vec::new();
        for (k, f) in spec.faults.iter().enumerate() {
            faults.push(single_fault(f, k as u16, population));
        }
        for (k, s) in spec.storms.iter().enumerate() {
            faults.extend(storm::generate(s, k as u16, population, seed));
        }
        faults.sort_by_key(|f| (f.start, f.level, f.node, f.restore));
        let mut cuts = Vec::new();
        for (id, f) in faults.iter_mut().enumerate() {
            f.id = id as u32;
            let mut section = 0;
            for p in f.premises.clone() {
                while section + 1 < f.sections.len() && f.sections[section + 1].0 <= p {
                    section += 1;
                }
                for (i, &(off, on)) in f.intervals.iter().enumerate() {
                    let on = match f.sections.get(section) {
                        Some(&(_, end)) if i == 0 => end,
                        _ => on,
                    };
                    cuts.push(PowerCut { premises: p, off: f.start + off, on: f.start + on, fault: f.id });
                }
            }
        }
        for (k, c) in spec.firmware_campaigns.iter().enumerate() {
            let id = faults.len() as u32;
            let before = cuts.len();
            firmware_cuts(c, id, population, seed, k as u32, &mut cuts);
            let mut affected: Vec<u32> = cuts[before..].iter().map(|c| c.premises).collect();
            affected.dedup();
            let (start, restore) =
                cuts[before..].iter().fold((SimTime(u64::MAX), SimTime::ZERO), |(s, r), c| (s.min(c.off), r.max(c.on)));
            faults.push(Fault {
                id,
                level: FaultLevel::Firmware,
                cause: FaultCause::Firmware(k as u16),
                area: None,
                node: k as u32,
                premises: 0..0,
                start: if affected.is_empty() { c.start } else { start },
                restore: if affected.is_empty() { c.start } else { restore },
                intervals: Vec::new(),
                sections: Vec::new(),
                premises_affected: affected.len() as u32,
            });
        }
        Outages { faults, cuts: merge(cuts) }
    }

    /// Outages of hand-made faults and cuts, the cuts merged as [`Outages::generate`]
    /// merges them.
    #[cfg(test)]
    pub(crate) fn from_parts(faults: Vec<Fault>, cuts: Vec<PowerCut>) -> Outages {
        Outages { faults, cuts: merge(cuts) }
    }

    /// All power cuts, by premises then time.
    pub fn cuts(&self) -> &[PowerCut] {
        &self.cuts
    }

    /// Whether premises `p` is off supply at `t`.
    pub fn off_supply(&self, p: u32, t: SimTime) -> bool {
        let first = self.cuts.partition_point(|c| c.premises < p);
        self.cuts[first..].iter().take_while(|c| c.premises == p).any(|c| c.off <= t && t < c.on)
    }

    /// Whether there are no outages at all.
    pub fn is_empty(&self) -> bool {
        self.faults.is_empty()
    }
}

/// Merges overlapping cuts of each premises; the merged cut keeps the first fault.
fn merge(mut cuts: Vec<PowerCut>) -> Vec<PowerCut> {
    cuts.sort_unstable_by_key(|c| (c.premises, c.off, c.on, c.fault));
    let mut out: Vec<PowerCut> = Vec::with_capacity(cuts.len());
    for c in cuts {
        match out.last_mut() {
            Some(last) if last.premises == c.premises && c.off <= last.on => last.on = last.on.max(c.on),
            _ => out.push(c),
        }
    }
    out
}

/// The premises under node `node` of `level` in area `area`, and the node's global id.
pub fn node_premises(population: &Population, level: FaultLevel, area: usize, node: u32) -> (u32, Range<u32>) {
    let d = population.distribution();
    match level {
        FaultLevel::Feeder => {
            let f = d.area_feeders(area).start + node;
            (f, d.feeder_premises(f))
        }
        FaultLevel::Secondary => {
            let s = d.area_secondaries(area).start + node;
            (s, d.secondary_premises(s))
        }
        FaultLevel::Primary => {
            let p = d.area_primaries(area).start + node;
            (p, d.primary_premises(p))
        }
        FaultLevel::Area | FaultLevel::Firmware => (area as u32, population.area_premises(area)),
    }
}

/// Nodes of `level` in area `area`.
pub fn nodes_in_area(population: &Population, level: FaultLevel, area: usize) -> u32 {
    let d = population.distribution();
    let r = match level {
        FaultLevel::Feeder => d.area_feeders(area),
        FaultLevel::Secondary => d.area_secondaries(area),
        FaultLevel::Primary => d.area_primaries(area),
        FaultLevel::Area | FaultLevel::Firmware => 0..1,
    };
    r.end - r.start
}

fn single_fault(f: &FaultSpec, k: u16, population: &Population) -> Fault {
    let nodes = nodes_in_area(population, f.level, f.area);
    let (node, premises) =
        if nodes == 0 { (0, 0..0) } else { node_premises(population, f.level, f.area, f.node % nodes) };
    let mut intervals = Vec::new();
    let mut at = SimDuration::ZERO;
    for _ in 0..f.reclose_shots {
        intervals.push((at, at + f.reclose_off));
        at = at + f.reclose_off + f.reclose_on;
    }
    intervals.push((at, at + f.duration));
    Fault {
        id: 0,
        level: f.level,
        cause: FaultCause::Single(k),
        area: Some(f.area),
        node,
        premises_affected: premises.end - premises.start,
        premises,
        start: f.start,
        restore: f.start + at + f.duration,
        intervals,
        sections: Vec::new(),
    }
}

/// The power cuts of a firmware campaign: each electricity-metered premises takes the
/// image with chance `esme_share`, at a uniform time in the campaign, `activations`
/// times `retry_gap` apart; each activation cuts the hub's power for a drawn time.
fn firmware_cuts(c: &FirmwareCampaignSpec, fault: u32, pop: &Population, seed: u64, k: u32, out: &mut Vec<PowerCut>) {
    for p in 0..pop.premises() {
        if !pop.kind(p).has_electricity() {
            continue;
        }
        let mut rng = Streams::world(seed).stream(u64::from(p), Purpose::Firmware, u64::from(k));
        if rng.unit_f64() >= c.esme_share.get() {
            continue;
        }
        let first = c.start + SimDuration((rng.unit_f64() * c.span.0 as f64) as u64);
        for a in 0..u64::from(c.activations) {
            let off = first + SimDuration(c.retry_gap.0 * a);
            let on = off + c.power_cut.sample(&mut rng).max(SimDuration(1));
            out.push(PowerCut { premises: p, off, on, fault });
        }
    }
}

#[cfg(test)]
mod tests;
