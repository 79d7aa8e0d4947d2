//! How the network is cut into partitions, and how entities are numbered.
//!
//! Partitions `0 .. shards` are the DSP shards (each with its User Gateway); then come
//! `per_csp_region` partitions for each CSP region in [`CspRegion::ALL`] order, each
//! owning a contiguous block of that region's cells. The layout follows from the
//! scenario alone, never from the thread count.

use std::ops::Range;

use sim::{EntityId, PartitionId};

use crate::population::Population;
use crate::region::CspRegion;

/// First entity id of radio cells (premises use `0 .. 2^32`).
const CELL_ENTITY_BASE: u64 = 1 << 32;
/// First entity id of DSP shards.
const SHARD_ENTITY_BASE: u64 = 1 << 33;

/// The partition map of a run.
#[derive(Debug, Clone)]
pub struct Layout {
    shards: u32,
    per_region: u32,
    /// Cell ranges per region, copied from the population.
    region_cells: [Range<u32>; 3],
}

impl Layout {
    /// The layout for a population.
    pub fn new(population: &Population, shards: u32, per_region: u32) -> Layout {
        Layout { shards, per_region, region_cells: CspRegion::ALL.map(|r| population.region_cells(r)) }
    }

    /// Number of partitions.
    pub fn partitions(&self) -> u32 {
        self.shards + 3 * self.per_region
    }

    /// CSP partitions per region.
    pub fn per_region(&self) -> u32 {
        self.per_region
    }

    /// Number of DSP shards.
    pub fn shards(&self) -> u32 {
        self.shards
    }

    /// The partition of DSP shard `s`.
    pub fn shard_partition(&self, shard: u32) -> PartitionId {
        PartitionId(shard)
    }

    /// The shard that handles request `sr_id` (ids are dealt round-robin).
    pub fn shard_of(&self, sr_id: u64) -> u32 {
        (sr_id % u64::from(self.shards)) as u32
    }

    /// The region and block index of CSP partition `p`, or `None` for a DSP shard.
    pub fn csp_block(&self, p: PartitionId) -> Option<(CspRegion, u32)> {
        let i = p.0.checked_sub(self.shards)?;
        Some((CspRegion::ALL[(i / self.per_region) as usize], i % self.per_region))
    }

    /// The cells owned by block `k` of `region`.
    pub fn block_cells(&self, region: CspRegion, k: u32) -> Range<u32> {
        let cells = &self.region_cells[region.index()];
        let n = u64::from(cells.end - cells.start);
        let at = |j: u32| cells.start + (n * u64::from(j) / u64::from(self.per_region)) as u32;
        at(k)..at(k + 1)
    }

    /// The CSP partition that owns `cell` of `region`.
    pub fn cell_partition(&self, region: CspRegion, cell: u32) -> PartitionId {
        let cells = &self.region_cells[region.index()];
        let n = u64::from(cells.end - cells.start);
        let j = u64::from(cell - cells.start);
        // Inverse of `block_cells`: the largest k with floor(n*k/K) <= j.
        let k = ((j + 1) * u64::from(self.per_region) - 1) / n;
        PartitionId(self.shards + region.index() as u32 * self.per_region + k as u32)
    }
}

/// The entity id of premises `p` (its Communications Hub and devices).
pub fn premises_entity(p: u32) -> EntityId {
    EntityId(u64::from(p))
}

/// The random-stream entity of alert `id` (requests use their `sr_id`, far below).
pub fn alert_entity(id: u32) -> u64 {
    (1 << 62) | u64::from(id)
}

/// The random-stream entity of routine device alert `id`.
pub fn device_alert_entity(id: u64) -> u64 {
    (1 << 60) | id
}

/// The random-stream entity of the CSP power outage event of a region's window for
/// one DNO area.
pub fn outage_event_entity(region: usize, window: u64, area: usize) -> u64 {
    (1 << 61) | (window << 8) | ((region as u64) << 5) | area as u64
}

/// The entity id of radio cell `c`.
pub fn cell_entity(c: u32) -> EntityId {
    EntityId(CELL_ENTITY_BASE + u64::from(c))
}

/// The entity id of DSP shard `s` (its User Gateway, DSP servers and User traffic).
pub fn shard_entity(s: u32) -> EntityId {
    EntityId(SHARD_ENTITY_BASE + u64::from(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every cell belongs to exactly the block that lists it.
        #[test]
        fn cell_partition_inverts_block_cells(n in 1u32..500, per_region in 1u32..40) {
            let layout = Layout { shards: 3, per_region, region_cells: [0..n, n..2 * n, 2 * n..2 * n + 7] };
            for region in CspRegion::ALL {
                for k in 0..per_region {
                    for cell in layout.block_cells(region, k) {
                        let p = layout.cell_partition(region, cell);
                        prop_assert_eq!(layout.csp_block(p), Some((region, k)));
                    }
                }
            }
        }
    }
}
