//! The electricity distribution network under each DNO licence area: primary
//! substations → secondary substations → LV feeders → premises.
//!
//! Grown as a [`petgraph`] graph, area by area, then frozen by a depth-first walk so
//! every node's children and every feeder's premises are contiguous ranges: the run
//! holds the tree as offset arrays (CSR), 4 bytes per node and nothing per premises. Fan-outs vary around their
//! means, drawn from keyed streams, so the tree is a function of the seed alone.

use std::ops::Range;

use crate::streams::{Purpose, Streams};

/// Mean fan-outs of the tree.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
pub struct FanOuts {
    /// Premises on one LV feeder.
    pub premises_per_feeder: u32,
    /// LV feeders from one secondary substation.
    pub feeders_per_secondary: u32,
    /// Secondary substations under one primary substation.
    pub secondaries_per_primary: u32,
}

/// The distribution tree, frozen into offset arrays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistributionNetwork {
    /// `area_primaries[a]..area_primaries[a + 1]` are area `a`'s primaries.
    area_primaries: Vec<u32>,
    /// Primary `p`'s secondaries, as offsets.
    primary_secondaries: Vec<u32>,
    /// Secondary `s`'s feeders, as offsets.
    secondary_feeders: Vec<u32>,
    /// Feeder `f`'s premises, as offsets.
    feeder_premises: Vec<u32>,
}

/// A size drawn uniformly from the integers `mean ± ⌊mean/2⌋` (at least 1), whose
/// mean is `mean`.
fn around(mean: u32, rng: &mut sim::SplitMix64) -> u32 {
    let low = (mean - mean / 2).max(1);
    let high = (mean + mean / 2).max(low);
    low + rng.below(u64::from(high - low + 1)) as u32
}

/// A node of the distribution network while it is grown as a graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridNode {
    /// The root: Great Britain.
    Gb,
    /// A DNO licence area (index into the area list).
    Area(u8),
    /// A primary substation.
    Primary,
    /// A secondary substation.
    Secondary,
    /// An LV feeder and the premises on it.
    Feeder {
        /// Premises supplied.
        premises: u32,
    },
}

/// The tree as a [`petgraph`] graph: edges point from a node to the nodes it feeds.
pub type GridGraph = petgraph::Graph<GridNode, ()>;

/// Grows the tree for areas holding `area_premises[a]` premises each: GB → areas →
/// primaries → secondaries → feeders, with fan-outs drawn around their means.
pub fn grow(area_premises: &[u32], fan: FanOuts, seed: u64) -> (GridGraph, petgraph::graph::NodeIndex) {
    let mut g = GridGraph::new();
    let root = g.add_node(GridNode::Gb);
    for (a, &n) in area_premises.iter().enumerate() {
        let area = g.add_node(GridNode::Area(a as u8));
        g.add_edge(root, area, ());
        let mut rng = Streams::world(seed).stream(a as u64, Purpose::FanOut, 0);
        let mut left = n;
        while left > 0 {
            // One primary, filled secondary by secondary, feeder by feeder.
            let primary = g.add_node(GridNode::Primary);
            g.add_edge(area, primary, ());
            let secondaries = around(fan.secondaries_per_primary, &mut rng);
            for _ in 0..secondaries {
                let secondary = g.add_node(GridNode::Secondary);
                g.add_edge(primary, secondary, ());
                let feeders = around(fan.feeders_per_secondary, &mut rng);
                for _ in 0..feeders {
                    let premises = around(fan.premises_per_feeder, &mut rng).min(left);
                    left -= premises;
                    let feeder = g.add_node(GridNode::Feeder { premises });
                    g.add_edge(secondary, feeder, ());
                    if left == 0 {
                        break;
                    }
                }
                if left == 0 {
                    break;
                }
            }
        }
    }
    (g, root)
}

/// A node's children in the order they were added.
fn children(g: &GridGraph, n: petgraph::graph::NodeIndex) -> Vec<petgraph::graph::NodeIndex> {
    // petgraph lists the newest edge first.
    let mut c: Vec<_> = g.neighbors(n).collect();
    c.reverse();
    c
}

impl DistributionNetwork {
    /// Builds the tree for areas holding `area_premises[a]` premises each: grown as
    /// a graph ([`grow`]), then frozen ([`DistributionNetwork::freeze`]).
    pub fn generate(area_premises: &[u32], fan: FanOuts, seed: u64) -> DistributionNetwork {
        let (graph, root) = grow(area_premises, fan, seed);
        DistributionNetwork::freeze(&graph, root)
    }

    /// Freezes a grown tree into offset arrays for the run: a depth-first walk in
    /// child order numbers primaries, secondaries, feeders and premises, so every
    /// node's children and premises are contiguous ranges.
    pub fn freeze(g: &GridGraph, root: petgraph::graph::NodeIndex) -> DistributionNetwork {
        let mut net = DistributionNetwork {
            area_primaries: vec![0],
            primary_secondaries: vec![0],
            secondary_feeders: vec![0],
            feeder_premises: vec![0],
        };
        let mut next_premises = 0u32;
        for area in children(g, root) {
            for primary in children(g, area) {
                for secondary in children(g, primary) {
                    for feeder in children(g, secondary) {
                        let GridNode::Feeder { premises } = g[feeder] else {
                            unreachable!("a secondary feeds feeders only")
                        };
                        next_premises += premises;
                        net.feeder_premises.push(next_premises);
                    }
                    net.secondary_feeders.push(net.feeders() as u32);
                }
                net.primary_secondaries.push(net.secondaries() as u32);
            }
            net.area_primaries.push(net.primaries() as u32);
        }
        net
    }

    /// Number of primary substations.
    pub fn primaries(&self) -> usize {
        self.primary_secondaries.len() - 1
    }

    /// Number of secondary substations.
    pub fn secondaries(&self) -> usize {
        self.secondary_feeders.len() - 1
    }

    /// Number of LV feeders.
    pub fn feeders(&self) -> usize {
        self.feeder_premises.len() - 1
    }

    fn range(offsets: &[u32], i: usize) -> Range<u32> {
        offsets[i]..offsets[i + 1]
    }

    /// Primaries of area `a` (index into the area list).
    pub fn area_primaries(&self, a: usize) -> Range<u32> {
        Self::range(&self.area_primaries, a)
    }

    /// Secondaries of area `a`.
    pub fn area_secondaries(&self, a: usize) -> Range<u32> {
        let p = self.area_primaries(a);
        if p.is_empty() {
            return 0..0;
        }
        self.primary_secondaries(p.start).start..self.primary_secondaries(p.end - 1).end
    }

    /// Feeders of area `a`.
    pub fn area_feeders(&self, a: usize) -> Range<u32> {
        let s = self.area_secondaries(a);
        if s.is_empty() {
            return 0..0;
        }
        self.secondary_feeders(s.start).start..self.secondary_feeders(s.end - 1).end
    }

    /// Secondaries under primary `p`.
    pub fn primary_secondaries(&self, p: u32) -> Range<u32> {
        Self::range(&self.primary_secondaries, p as usize)
    }

    /// Feeders from secondary `s`.
    pub fn secondary_feeders(&self, s: u32) -> Range<u32> {
        Self::range(&self.secondary_feeders, s as usize)
    }

    /// Premises on feeder `f`.
    pub fn feeder_premises(&self, f: u32) -> Range<u32> {
        Self::range(&self.feeder_premises, f as usize)
    }

    /// Premises under secondary `s`.
    pub fn secondary_premises(&self, s: u32) -> Range<u32> {
        let f = self.secondary_feeders(s);
        self.feeder_premises[f.start as usize]..self.feeder_premises[f.end as usize]
    }

    /// Premises under primary `p`.
    pub fn primary_premises(&self, p: u32) -> Range<u32> {
        let s = self.primary_secondaries(p);
        self.secondary_premises(s.start).start..self.secondary_premises(s.end - 1).end
    }

    /// The index of the range in `offsets` that holds `x`.
    fn owner(offsets: &[u32], x: u32) -> u32 {
        (offsets.partition_point(|&o| o <= x) - 1) as u32
    }

    /// The feeder supplying premises `p`.
    pub fn feeder_of(&self, p: u32) -> u32 {
        Self::owner(&self.feeder_premises, p)
    }

    /// The secondary substation feeding feeder `f`.
    pub fn secondary_of(&self, f: u32) -> u32 {
        Self::owner(&self.secondary_feeders, f)
    }

    /// The primary substation above secondary `s`.
    pub fn primary_of(&self, s: u32) -> u32 {
        Self::owner(&self.primary_secondaries, s)
    }

    /// Bytes held, for the memory estimate.
    pub fn heap_bytes(&self) -> usize {
        4 * (self.area_primaries.len()
            + self.primary_secondaries.len()
            + self.secondary_feeders.len()
            + self.feeder_premises.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAN: FanOuts = FanOuts { premises_per_feeder: 40, feeders_per_secondary: 5, secondaries_per_primary: 30 };

    #[test]
    fn every_premises_sits_under_exactly_one_chain_in_its_area() {
        let areas = [5_000, 1, 0, 12_345];
        let net = DistributionNetwork::generate(&areas, FAN, 7);
        let mut expected_start = 0;
        for (a, &n) in areas.iter().enumerate() {
            let primaries = net.area_primaries(a);
            if n == 0 {
                assert!(primaries.is_empty());
                continue;
            }
            let first = net.primary_premises(primaries.start).start;
            let last = net.primary_premises(primaries.end - 1).end;
            assert_eq!((first, last), (expected_start, expected_start + n));
            expected_start += n;
        }
        for p in [0, 39, 40, 4_999, 5_000, 5_001, 17_345] {
            let f = net.feeder_of(p);
            assert!(net.feeder_premises(f).contains(&p));
            let s = net.secondary_of(f);
            assert!(net.secondary_feeders(s).contains(&f));
            assert!(net.primary_secondaries(net.primary_of(s)).contains(&s));
        }
    }

    #[test]
    fn the_grown_graph_is_a_tree_and_freezing_keeps_every_premises() {
        use petgraph::visit::EdgeRef;
        let areas = [3_000, 1, 7_777];
        let (g, root) = grow(&areas, FAN, 3);
        assert!(!petgraph::algo::is_cyclic_directed(&g));
        // Every node but the root has exactly one parent.
        let mut parents = vec![0u32; g.node_count()];
        for e in g.edge_references() {
            parents[e.target().index()] += 1;
        }
        assert_eq!(parents[root.index()], 0);
        assert!(parents.iter().enumerate().all(|(i, &p)| i == root.index() || p == 1));
        let leaf_premises: u32 =
            g.node_weights().map(|w| if let GridNode::Feeder { premises } = w { *premises } else { 0 }).sum();
        assert_eq!(leaf_premises, areas.iter().sum::<u32>());
        let net = DistributionNetwork::freeze(&g, root);
        assert_eq!(net.feeders(), g.node_weights().filter(|w| matches!(w, GridNode::Feeder { .. })).count());
        assert_eq!(net.primary_premises(net.area_primaries(2).end - 1).end, 10_778);
    }

    #[test]
    fn fan_outs_average_their_means() {
        let net = DistributionNetwork::generate(&[2_000_000], FAN, 1);
        let per_feeder = 2_000_000.0 / net.feeders() as f64;
        let per_secondary = net.feeders() as f64 / net.secondaries() as f64;
        let per_primary = net.secondaries() as f64 / net.primaries() as f64;
        assert!((per_feeder - 40.0).abs() < 0.5, "{per_feeder}");
        assert!((per_secondary - 5.0).abs() < 0.1, "{per_secondary}");
        assert!((per_primary - 30.0).abs() < 1.5, "{per_primary}");
        assert_eq!(net, DistributionNetwork::generate(&[2_000_000], FAN, 1), "the tree is a function of the seed");
    }
}
