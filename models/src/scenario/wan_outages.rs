//! CSP regional outages (`[[wan_outages]]`): a region's radio cells, all or some,
//! off the air for a period.
//!
//! While a cell is down nothing crosses it (assumptions; DOMAIN §3 gives no CSP
//! outage rules):
//! - a command from the DSP waits at the CSP for the cell, up to
//!   `command_hold_s`; then the CSP gives up and the DSP returns a failure
//!   (outcome `failed`);
//! - a hub's response, alert or routine device alert waits at the hub and goes as
//!   the cell comes back, except an AD1 whose hub's energy store runs out first
//!   (`energy_exhausted`);
//! - when the cell comes back, everything held queues for its channels at once:
//!   the backlog burst.

use serde::Deserialize;
use sim::{SimDuration, SimTime};

use super::units::{Share, secs, time};
use crate::region::CspRegion;
use crate::streams::{Purpose, Streams};

/// `[[wan_outages]]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WanOutageSpec {
    /// The region.
    #[serde(deserialize_with = "region")]
    pub region: CspRegion,
    /// The cells go down.
    #[serde(rename = "start_s", deserialize_with = "time")]
    pub start: SimTime,
    /// For how long.
    #[serde(rename = "duration_s", deserialize_with = "secs")]
    pub duration: SimDuration,
    /// The share of the region's cells that go down, drawn cell by cell.
    pub cell_share: Share,
    /// How long the CSP holds a command for a cell that is down before it gives up.
    #[serde(rename = "command_hold_s", deserialize_with = "secs")]
    pub command_hold: SimDuration,
}

impl WanOutageSpec {
    /// When the cells come back.
    pub fn end(&self) -> SimTime {
        self.start + self.duration
    }

    /// Whether outage `index` takes cell `cell` down (drawn from the seed alone,
    /// so every replication loses the same cells).
    pub fn takes(&self, index: usize, cell: u32, seed: u64) -> bool {
        let share = self.cell_share.get();
        share >= 1.0
            || Streams::world(seed).stream(u64::from(cell), Purpose::WanOutage, index as u64).unit_f64() < share
    }
}

/// Every WAN outage of a run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WanOutages {
    /// As written, in the file's order.
    pub specs: Vec<WanOutageSpec>,
}

impl WanOutages {
    /// If cell `cell` of `region` is down at `t` in a run seeded `seed`: when it
    /// comes back (the end of the outage that holds it longest), and how long the
    /// CSP holds a command for it (the longest hold of those outages).
    pub fn down_until(&self, region: CspRegion, cell: u32, t: SimTime, seed: u64) -> Option<(SimTime, SimDuration)> {
        let holding = self
            .specs
            .iter()
            .enumerate()
            .filter(|(i, o)| o.region == region && o.start <= t && t < o.end() && o.takes(*i, cell, seed));
        holding.fold(None, |acc, (_, o)| match acc {
            None => Some((o.end(), o.command_hold)),
            Some((end, hold)) => Some((end.max(o.end()), hold.max(o.command_hold))),
        })
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.specs.is_empty()
    }
}

/// Checks what compares keys: at most 100 outages, each starting within the
/// horizon.
pub(crate) fn check(specs: &[WanOutageSpec], horizon_s: f64, c: &mut super::Checker<'_>) {
    if specs.len() > 100 {
        c.problem("wan_outages", format!("{} outages; allowed: up to 100", specs.len()));
    }
    for (i, o) in specs.iter().enumerate() {
        c.within(&format!("wan_outages.{i}.start_s"), o.start.as_secs_f64(), 0.0, horizon_s);
    }
}

/// A CSP region key.
fn region<'de, D: serde::Deserializer<'de>>(d: D) -> Result<CspRegion, D::Error> {
    let key = String::deserialize(d)?;
    CspRegion::ALL
        .into_iter()
        .find(|r| r.key() == key)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown CSP region {key:?}; allowed: north, central, south")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage(region: CspRegion, start_s: u64, duration_s: u64, share: f64) -> WanOutageSpec {
        WanOutageSpec {
            region,
            start: SimTime::from_secs(start_s),
            duration: SimDuration::from_secs(duration_s),
            cell_share: Share::new(share).unwrap(),
            command_hold: SimDuration::from_secs(600),
        }
    }

    /// A whole-region outage holds every cell of its region over `[start, end)` and
    /// no other region's; a partial one about its share of the cells, the same ones
    /// for the same seed.
    #[test]
    fn an_outage_holds_its_regions_cells_over_its_period() {
        let all = WanOutages { specs: vec![outage(CspRegion::North, 100, 50, 1.0)] };
        let at = SimTime::from_secs;
        let hold = SimDuration::from_secs(600);
        assert_eq!(all.down_until(CspRegion::North, 7, at(100), 1), Some((at(150), hold)));
        assert_eq!(all.down_until(CspRegion::North, 7, at(149), 1), Some((at(150), hold)));
        assert_eq!(all.down_until(CspRegion::North, 7, at(150), 1), None);
        assert_eq!(all.down_until(CspRegion::North, 7, at(99), 1), None);
        assert_eq!(all.down_until(CspRegion::South, 7, at(120), 1), None);
        let some = WanOutages { specs: vec![outage(CspRegion::Central, 0, 10, 0.3)] };
        let down = |seed| -> Vec<u32> {
            (0..10_000).filter(|&c| some.down_until(CspRegion::Central, c, at(5), seed).is_some()).collect()
        };
        let taken = down(1);
        assert!((2_800..3_200).contains(&taken.len()), "{} of 10,000 cells down", taken.len());
        assert_eq!(down(1), taken, "the same cells for the same seed");
        assert_ne!(down(2), taken, "other cells for another seed");
    }
}
