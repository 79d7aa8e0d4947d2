//! A storm's faults: drawn until the customers it takes off supply reach the
//! scenario's figure.
//!
//! Each area hit carries a share of the storm in proportion to its premises. The
//! damage is clustered: in each area the faults fall inside one band of
//! neighbouring primary substations (a storm's track), wide enough that
//! `band_hit_share` of its premises end up off. Fault after fault is drawn — a start
//! time uniform over the storm's span, an area by its share, a level by
//! `level_shares`, a node uniform within the band — until the distinct premises off
//! for longer than a transient reach the target. Transient faults (auto-reclose
//! sequences that clear by themselves) are drawn alongside and count for nothing.

use sim::SimDuration;

use super::{Fault, FaultCause, FaultLevel, StormSpec, node_premises};
use crate::population::Population;
use crate::streams::{Purpose, Streams};

const LEVELS: [FaultLevel; 3] = [FaultLevel::Feeder, FaultLevel::Secondary, FaultLevel::Primary];

/// A band of one area's network: primaries `first .. first + count`.
struct Band {
    area: usize,
    /// Nodes of each level inside the band: (first id, count).
    nodes: [(u32, u32); 3],
}

fn band(population: &Population, area: usize, target: f64, hit_share: f64, rng: &mut sim::SplitMix64) -> Band {
    let d = population.distribution();
    let primaries = d.area_primaries(area);
    let n = primaries.end - primaries.start;
    let area_premises = population.area_premises(area);
    let per_primary = f64::from(area_premises.end - area_premises.start) / f64::from(n.max(1));
    let wanted = ((target / hit_share / per_primary).ceil() as u32).clamp(1, n.max(1));
    let first = primaries.start + rng.below(u64::from(n - wanted + 1)) as u32;
    let band = first..first + wanted;
    let secondaries = d.primary_secondaries(band.start).start..d.primary_secondaries(band.end - 1).end;
    let feeders = d.secondary_feeders(secondaries.start).start..d.secondary_feeders(secondaries.end - 1).end;
    let span = |r: &std::ops::Range<u32>| (r.start, r.end - r.start);
    Band { area, nodes: [span(&feeders), span(&secondaries), span(&band)] }
}

/// The storm's faults (ids are assigned later).
pub(super) fn generate(spec: &StormSpec, k: u16, population: &Population, seed: u64) -> Vec<Fault> {
    let scale = f64::from(population.premises()) / crate::scenario::gb_premises();
    let target = (spec.customers_off_gb * scale).round() as u64;
    let weights: Vec<f64> = spec
        .areas
        .iter()
        .map(|&a| {
            let r = population.area_premises(a);
            f64::from(r.end - r.start)
        })
        .collect();
    let total_weight: f64 = weights.iter().sum();
    if target == 0 || total_weight == 0.0 {
        return Vec::new();
    }
    let streams = Streams::world(seed);
    let mut band_rng = streams.stream(u64::from(k), Purpose::StormBand, 0);
    let bands: Vec<Band> = spec
        .areas
        .iter()
        .zip(&weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|(&a, w)| band(population, a, target as f64 * w / total_weight, spec.band_hit_share.get(), &mut band_rng))
        .collect();
    let band_weights: Vec<f64> =
        bands.iter().map(|b| weights[spec.areas.iter().position(|&a| a == b.area).unwrap_or(0)]).collect();
    let mut rng = streams.stream(u64::from(k), Purpose::Storm, 0);
    let mut off = vec![0u64; (population.premises() as usize).div_ceil(64)];
    let (mut affected, mut faults) = (0u64, Vec::new());
    // Every fault takes at least one premises, so this bound is never the reason to stop.
    let max_faults = 20 * target + 1000;
    while affected < target && (faults.len() as u64) < max_faults {
        let start = spec.start + SimDuration((rng.unit_f64() * spec.span.0 as f64) as u64);
        let b = &bands[pick(&band_weights, rng.unit_f64())];
        let level = pick(&spec.level_shares, rng.unit_f64());
        let (first, count) = b.nodes[level];
        let node = first + rng.below(u64::from(count.max(1))) as u32;
        let local = node - local_base(population, b.area, LEVELS[level]);
        let (node, premises) = node_premises(population, LEVELS[level], b.area, local);
        let transient = rng.unit_f64() < spec.transient_share.get();
        let mut intervals = Vec::new();
        let mut sections = Vec::new();
        if transient {
            let mut at = SimDuration::ZERO;
            for _ in 0..spec.transient_shots {
                let trip = SimDuration::from_secs_f64(5.0 + 55.0 * rng.unit_f64());
                intervals.push((at, at + trip));
                at = at + trip + SimDuration::from_secs_f64(15.0 + 45.0 * rng.unit_f64());
            }
        } else {
            // Restoration is staged: each LV feeder under the node is restored at its
            // own time; the node's fault clears with the last of them.
            let d = population.distribution();
            let (first, last) = (d.feeder_of(premises.start), d.feeder_of(premises.end - 1));
            let draw = |rng: &mut sim::SplitMix64| spec.restoration.sample(rng).max(SimDuration::from_secs(181));
            for f in first..=last {
                sections.push((d.feeder_premises(f).start.max(premises.start), draw(&mut rng)));
            }
            let restore = sections.iter().map(|s| s.1).max().unwrap_or(SimDuration::ZERO);
            intervals.push((SimDuration::ZERO, restore));
            if rng.unit_f64() < spec.retrip_probability.get() {
                let again = restore + SimDuration::from_secs_f64(300.0 + 1500.0 * rng.unit_f64());
                let back = again + SimDuration::from_secs_f64(600.0 + 3000.0 * rng.unit_f64());
                intervals.push((again, back));
            }
            for p in premises.clone() {
                let (w, bit) = (p as usize / 64, 1u64 << (p % 64));
                affected += u64::from(off[w] & bit == 0);
                off[w] |= bit;
            }
        }
        let restore = start + intervals.last().map_or(SimDuration::ZERO, |&(_, on)| on);
        faults.push(Fault {
            id: 0,
            level: LEVELS[level],
            cause: FaultCause::Storm(k),
            area: Some(b.area),
            node,
            premises_affected: premises.end - premises.start,
            premises,
            start,
            restore,
            intervals,
            sections,
        });
    }
    faults
}

/// The first global id of `level`'s nodes in `area`.
fn local_base(population: &Population, area: usize, level: FaultLevel) -> u32 {
    let d = population.distribution();
    match level {
        FaultLevel::Feeder => d.area_feeders(area).start,
        FaultLevel::Secondary => d.area_secondaries(area).start,
        _ => d.area_primaries(area).start,
    }
}

/// The index `i` with cumulative weight first above `u` × total.
fn pick(weights: &[f64], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        if u * total < acc {
            return i;
        }
    }
    weights.len() - 1
}
