//! The premises, their CSP regions and radio cells.
//!
//! Premises are numbered region by region (North, Central, South), and each region's
//! premises fill its cells in order, so region and cell follow from the number by
//! arithmetic: no per-premises memory at all.

use std::ops::Range;

use crate::region::CspRegion;
use crate::scenario::Scenario;

/// Where every premises is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Population {
    premises: [Range<u32>; 3],
    cells: [Range<u32>; 3],
    premises_per_cell: [u32; 3],
}

impl Population {
    /// Lays out the scenario's premises over regions and cells.
    pub fn new(scenario: &Scenario) -> Population {
        let counts = apportion(scenario.premises, &scenario.region_share);
        let mut premises = [0..0, 0..0, 0..0];
        let mut cells = [0..0, 0..0, 0..0];
        let mut premises_per_cell = [1; 3];
        let (mut next_premises, mut next_cell) = (0u32, 0u32);
        for region in CspRegion::ALL {
            let r = region.index();
            let per_cell = scenario.csp[r].premises_per_cell;
            let n_cells = counts[r].div_ceil(per_cell);
            premises[r] = next_premises..next_premises + counts[r];
            cells[r] = next_cell..next_cell + n_cells;
            premises_per_cell[r] = per_cell;
            next_premises += counts[r];
            next_cell += n_cells;
        }
        Population { premises, cells, premises_per_cell }
    }

    /// Total premises.
    pub fn premises(&self) -> u32 {
        self.premises[2].end
    }

    /// Total cells.
    pub fn cells(&self) -> u32 {
        self.cells[2].end
    }

    /// Premises of a region.
    pub fn region_premises(&self, region: CspRegion) -> Range<u32> {
        self.premises[region.index()].clone()
    }

    /// Cells of a region.
    pub fn region_cells(&self, region: CspRegion) -> Range<u32> {
        self.cells[region.index()].clone()
    }

    /// The region of premises `p`.
    pub fn region_of(&self, p: u32) -> CspRegion {
        if p < self.premises[0].end {
            CspRegion::North
        } else if p < self.premises[1].end {
            CspRegion::Central
        } else {
            CspRegion::South
        }
    }

    /// The cell serving premises `p`.
    pub fn cell_of(&self, p: u32) -> u32 {
        let r = self.region_of(p).index();
        self.cells[r].start + (p - self.premises[r].start) / self.premises_per_cell[r]
    }
}

/// Splits `total` in proportion to `shares` (summing to 1), exactly, by largest
/// remainder with ties to the lower index.
fn apportion(total: u32, shares: &[f64; 3]) -> [u32; 3] {
    let exact: Vec<f64> = shares.iter().map(|s| s * f64::from(total)).collect();
    let mut counts: [u32; 3] = std::array::from_fn(|i| exact[i].floor() as u32);
    let mut order: Vec<usize> = (0..3).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    let assigned: u32 = counts.iter().sum();
    for &i in order.iter().cycle().take(total.saturating_sub(assigned) as usize) {
        counts[i] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportioning_is_exact() {
        assert_eq!(apportion(100_000, &[0.30, 0.39, 0.31]), [30_000, 39_000, 31_000]);
        assert_eq!(apportion(10, &[1.0 / 3.0; 3]), [4, 3, 3]);
        assert_eq!(apportion(1, &[0.0, 0.0, 1.0]), [0, 0, 1]);
    }
}
