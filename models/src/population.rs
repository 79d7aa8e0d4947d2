//! The premises: where they are (DNO licence area, distribution network, CSP region,
//! radio cell) and what they are (fuel, SMETS generation, payment, WAN network).
//!
//! Premises are numbered area by area in [`DNO_AREAS`] order, and within an area in
//! the order of the generated distribution tree. Per premises the run keeps 5 bytes:
//! a packed attribute byte and the cell id. Attributes are drawn from streams keyed
//! by the premises, so they do not depend on how the work is split.

use std::ops::Range;

use crate::region::{CspRegion, WanNetwork};
use crate::scenario::Scenario;
use crate::streams::{Purpose, Streams};
use crate::topology::{DNO_AREAS, DistributionNetwork};

/// Which meters a premises has.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Fuel {
    /// An electricity meter (ESME) only.
    ElectricityOnly,
    /// Electricity and gas meters.
    DualFuel,
    /// A gas meter (GSME) only: the hub has no ESME to power it.
    GasOnly,
}

/// The attributes of one premises, packed in a byte:
/// bits 0–1 fuel, 2 SMETS1, 3 prepayment, 4–6 WAN network, 7 WAN coverage.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PremisesKind(u8);

impl PremisesKind {
    /// Whether a stream addressing `target` premises can address this one (it must
    /// have WAN coverage).
    pub fn is_target_of(self, target: crate::scenario::traffic::TargetPremises) -> bool {
        use crate::scenario::traffic::TargetPremises;
        self.covered()
            && match target {
                TargetPremises::Electricity => self.has_electricity(),
                TargetPremises::Gas => self.fuel() != Fuel::ElectricityOnly,
                TargetPremises::Prepayment => self.prepayment(),
                TargetPremises::Any => true,
            }
    }

    fn new(fuel: Fuel, smets1: bool, prepayment: bool, network: WanNetwork, covered: bool) -> PremisesKind {
        let fuel = match fuel {
            Fuel::ElectricityOnly => 0,
            Fuel::DualFuel => 1,
            Fuel::GasOnly => 2,
        };
        PremisesKind(
            fuel | u8::from(smets1) << 2
                | u8::from(prepayment) << 3
                | (network.index() as u8) << 4
                | u8::from(covered) << 7,
        )
    }

    /// The meters present.
    pub fn fuel(self) -> Fuel {
        match self.0 & 3 {
            0 => Fuel::ElectricityOnly,
            1 => Fuel::DualFuel,
            _ => Fuel::GasOnly,
        }
    }

    /// A migrated SMETS1 installation.
    pub fn smets1(self) -> bool {
        self.0 & 4 != 0
    }

    /// A prepayment customer.
    pub fn prepayment(self) -> bool {
        self.0 & 8 != 0
    }

    /// The WAN network the hub uses.
    pub fn network(self) -> WanNetwork {
        WanNetwork::from_index(usize::from((self.0 >> 4) & 7))
    }

    /// Whether the hub has SM WAN coverage.
    pub fn covered(self) -> bool {
        self.0 & 128 != 0
    }

    /// Whether the premises has an electricity meter.
    pub fn has_electricity(self) -> bool {
        self.fuel() != Fuel::GasOnly
    }
}

/// Every premises and the cells that serve them.
#[derive(Debug, Clone)]
pub struct Population {
    /// Premises of each DNO area, in [`DNO_AREAS`] order.
    areas: Vec<Range<u32>>,
    /// The distribution network under the areas.
    distribution: DistributionNetwork,
    /// Each premises' cell (high 24 bits) and kind (low 8 bits): one word, so a
    /// request that looks up both touches one place in memory.
    premises: Vec<u32>,
    /// Each cell's network.
    cell_network: Vec<WanNetwork>,
    /// Cells of each region (contiguous).
    region_cells: [Range<u32>; 3],
}

/// Splits `total` in proportion to `weights`, exactly, by largest remainder (ties
/// to the lower index).
pub fn apportion(total: u32, weights: &[f64]) -> Vec<u32> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * f64::from(total)).collect();
    let mut counts: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
    let assigned: u32 = counts.iter().sum();
    for &i in order.iter().cycle().take(total.saturating_sub(assigned) as usize) {
        counts[i] += 1;
    }
    counts
}

impl Population {
    /// Generates the scenario's premises and cells.
    pub fn new(scenario: &Scenario) -> Population {
        let weights: Vec<f64> = DNO_AREAS.iter().map(|a| a.customers_m).collect();
        let per_area = apportion(scenario.premises, &weights);
        let mut areas = Vec::with_capacity(per_area.len());
        let mut start = 0;
        for n in &per_area {
            areas.push(start..start + n);
            start += n;
        }
        let distribution = DistributionNetwork::generate(&per_area, scenario.population.fan_outs, scenario.seed);
        let mix = scenario.population.mix;
        let streams = Streams::world(scenario.seed);
        let mut kinds = Vec::with_capacity(scenario.premises as usize);
        for (a, range) in areas.iter().enumerate() {
            let region = DNO_AREAS[a].region;
            for p in range.clone() {
                let mut rng = streams.stream(u64::from(p), Purpose::PremisesAttributes, 0);
                let u = rng.unit_f64();
                let fuel = if u < mix.electricity_only.get() {
                    Fuel::ElectricityOnly
                } else if u < mix.electricity_only.get() + mix.gas_only.get() {
                    Fuel::GasOnly
                } else {
                    Fuel::DualFuel
                };
                let smets1 = rng.unit_f64() < mix.smets1.get();
                let prepayment = rng.unit_f64() < mix.prepayment.get();
                let w = rng.unit_f64();
                let network = if w < mix.lte.get() {
                    WanNetwork::Lte
                } else if region != CspRegion::North && w < mix.lte.get() + mix.mesh.get() {
                    WanNetwork::Mesh
                } else {
                    WanNetwork::of_region(region)
                };
                let covered = rng.unit_f64() < mix.wan_coverage.get();
                kinds.push(PremisesKind::new(fuel, smets1, prepayment, network, covered));
            }
        }
        let (cell, cell_network, region_cells) = assign_cells(scenario, &areas, &kinds);
        assert!(cell_network.len() <= 1 << 24, "{} cells do not fit in 24 bits", cell_network.len());
        let premises = cell.iter().zip(&kinds).map(|(&c, k)| (c << 8) | u32::from(k.0)).collect();
        Population { areas, distribution, premises, cell_network, region_cells }
    }

    /// Total premises.
    pub fn premises(&self) -> u32 {
        self.premises.len() as u32
    }

    /// Total cells.
    pub fn cells(&self) -> u32 {
        self.cell_network.len() as u32
    }

    /// Premises of DNO area `a` (index into [`DNO_AREAS`]).
    pub fn area_premises(&self, a: usize) -> Range<u32> {
        self.areas[a].clone()
    }

    /// The DNO area (index into [`DNO_AREAS`]) of premises `p`.
    pub fn area_of(&self, p: u32) -> usize {
        self.areas.partition_point(|r| r.end <= p)
    }

    /// The distribution network.
    pub fn distribution(&self) -> &DistributionNetwork {
        &self.distribution
    }

    /// Cells of a region.
    pub fn region_cells(&self, region: CspRegion) -> Range<u32> {
        self.region_cells[region.index()].clone()
    }

    /// The CSP region of premises `p`.
    pub fn region_of(&self, p: u32) -> CspRegion {
        DNO_AREAS[self.area_of(p)].region
    }

    /// What premises `p` is.
    pub fn kind(&self, p: u32) -> PremisesKind {
        PremisesKind(self.premises[p as usize] as u8)
    }

    /// The cell serving premises `p`.
    pub fn cell_of(&self, p: u32) -> u32 {
        self.premises[p as usize] >> 8
    }

    /// The network of cell `c`.
    pub fn cell_network(&self, c: u32) -> WanNetwork {
        self.cell_network[c as usize]
    }

    /// Bytes held per premises (attributes and cell), for memory estimates.
    pub const BYTES_PER_PREMISES: usize = 4;
}

/// Numbers cells region by region and, within a region, network by network; each
/// network's premises fill its cells in premises order (neighbours share cells).
fn assign_cells(
    scenario: &Scenario,
    areas: &[Range<u32>],
    kinds: &[PremisesKind],
) -> (Vec<u32>, Vec<WanNetwork>, [Range<u32>; 3]) {
    // Premises count per (region, network), then each block's first cell.
    let mut counts = [[0u32; 5]; 3];
    for (a, range) in areas.iter().enumerate() {
        let r = DNO_AREAS[a].region.index();
        for p in range.clone() {
            counts[r][kinds[p as usize].network().index()] += 1;
        }
    }
    let mut base = [[0u32; 5]; 3];
    let mut cell_network = Vec::new();
    let mut region_cells = [0..0, 0..0, 0..0];
    for region in CspRegion::ALL {
        let r = region.index();
        let start = cell_network.len() as u32;
        for network in WanNetwork::ALL {
            let n = network.index();
            base[r][n] = cell_network.len() as u32;
            let cells = counts[r][n].div_ceil(scenario.csp[n].premises_per_cell);
            cell_network.extend(std::iter::repeat_n(network, cells as usize));
        }
        region_cells[r] = start..cell_network.len() as u32;
    }
    let mut filled = [[0u32; 5]; 3];
    let mut cell = vec![0u32; kinds.len()];
    for (a, range) in areas.iter().enumerate() {
        let r = DNO_AREAS[a].region.index();
        for p in range.clone() {
            let n = kinds[p as usize].network().index();
            cell[p as usize] = base[r][n] + filled[r][n] / scenario.csp[n].premises_per_cell;
            filled[r][n] += 1;
        }
    }
    (cell, cell_network, region_cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(premises: u32) -> Scenario {
        let mut s = Scenario::parse("s.toml", "[scenario]\nname = \"t\"\nhorizon_s = 60\n").unwrap();
        s.premises = premises;
        s
    }

    #[test]
    fn apportioning_is_exact() {
        assert_eq!(apportion(100_000, &[0.30, 0.39, 0.31]), [30_000, 39_000, 31_000]);
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0]), [4, 3, 3]);
        assert_eq!(apportion(1, &[0.0, 0.0, 1.0]), [0, 0, 1]);
    }

    #[test]
    fn shares_and_places_follow_the_scenario() {
        let s = scenario(200_000);
        let pop = Population::new(&s);
        assert_eq!(pop.premises(), 200_000);
        let count = |f: &dyn Fn(PremisesKind) -> bool| (0..pop.premises()).filter(|&p| f(pop.kind(p))).count() as f64;
        let share = |f: &dyn Fn(PremisesKind) -> bool| count(f) / 200_000.0;
        // Binomial standard errors are below 0.001 here; allow 0.005.
        assert!((share(&|k| k.fuel() == Fuel::GasOnly) - 0.02).abs() < 0.005);
        assert!((share(&|k| k.fuel() == Fuel::ElectricityOnly) - 0.18).abs() < 0.005);
        assert!((share(&|k| k.smets1()) - 0.375).abs() < 0.005);
        assert!((share(&|k| k.prepayment()) - 0.14).abs() < 0.005);
        assert!((share(&|k| k.covered()) - 0.9925).abs() < 0.005);
        assert!((share(&|k| k.network() == WanNetwork::Lte) - 0.05).abs() < 0.005);
        // Regions follow DOMAIN §7: North 9.1 of 29.9.
        let north = (0..pop.premises()).filter(|&p| pop.region_of(p) == CspRegion::North).count() as f64;
        assert!((north / 200_000.0 - 9.1 / 29.9).abs() < 1e-4);
        for p in (0..pop.premises()).step_by(997) {
            let k = pop.kind(p);
            let c = pop.cell_of(p);
            assert_eq!(pop.cell_network(c), k.network(), "premises {p} sits in a cell of its network");
            assert!(pop.region_cells(pop.region_of(p)).contains(&c));
            if pop.region_of(p) == CspRegion::North {
                assert_ne!(k.network(), WanNetwork::Mesh, "no mesh in the North");
            }
            let f = pop.distribution().feeder_of(p);
            assert!(pop.distribution().feeder_premises(f).contains(&p));
        }
    }

    #[test]
    fn cells_hold_at_most_their_capacity() {
        let s = scenario(50_000);
        let pop = Population::new(&s);
        let mut load = vec![0u32; pop.cells() as usize];
        for p in 0..pop.premises() {
            load[pop.cell_of(p) as usize] += 1;
        }
        for (c, &n) in load.iter().enumerate() {
            let cap = s.csp[pop.cell_network(c as u32).index()].premises_per_cell;
            assert!(n >= 1 && n <= cap, "cell {c}: {n} premises, capacity {cap}");
        }
    }
}
