//! The three CSP regions of the SM WAN (DOMAIN §4, §7).

use std::fmt;

/// A Communications Service Provider region.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CspRegion {
    /// Scotland and northern England: Arqiva long-range radio.
    North,
    /// Central England and Wales: Telefónica cellular with mesh fill-in.
    Central,
    /// Southern England: Telefónica cellular with mesh fill-in.
    South,
}

impl CspRegion {
    /// All regions, in index order.
    pub const ALL: [CspRegion; 3] = [CspRegion::North, CspRegion::Central, CspRegion::South];

    /// Position in [`CspRegion::ALL`], for per-region arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The lower-case key used in scenario files and output columns.
    pub fn key(self) -> &'static str {
        match self {
            CspRegion::North => "north",
            CspRegion::Central => "central",
            CspRegion::South => "south",
        }
    }
}

impl CspRegion {
    /// The Communications Service Provider that runs the region's WAN (DOMAIN §4):
    /// `arqiva` in the North, `telefonica` in Central and South.
    pub fn csp(self) -> &'static str {
        match self {
            CspRegion::North => "arqiva",
            CspRegion::Central | CspRegion::South => "telefonica",
        }
    }
}

impl fmt::Display for CspRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A WAN network: a technology of one CSP, with its own cells and parameters.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WanNetwork {
    /// CSP North's long-range radio (Arqiva, DOMAIN §4).
    NorthRadio,
    /// CSP Central's cellular network (Telefónica, DOMAIN §4).
    CentralCellular,
    /// CSP South's cellular network (Telefónica, DOMAIN §4).
    SouthCellular,
    /// Mesh-connected hubs filling cellular gaps in Central and South (DOMAIN §4).
    Mesh,
    /// 4G (LTE) hubs, in any region (DOMAIN §4, "4G transition").
    Lte,
}

impl WanNetwork {
    /// All networks, in index order.
    pub const ALL: [WanNetwork; 5] = [
        WanNetwork::NorthRadio,
        WanNetwork::CentralCellular,
        WanNetwork::SouthCellular,
        WanNetwork::Mesh,
        WanNetwork::Lte,
    ];

    /// Position in [`WanNetwork::ALL`]; the three regions' own networks share their
    /// region's index.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The network from its index.
    pub fn from_index(i: usize) -> WanNetwork {
        WanNetwork::ALL[i]
    }

    /// The scenario table key under `[csp]`.
    pub fn key(self) -> &'static str {
        match self {
            WanNetwork::NorthRadio => "north",
            WanNetwork::CentralCellular => "central",
            WanNetwork::SouthCellular => "south",
            WanNetwork::Mesh => "mesh",
            WanNetwork::Lte => "lte",
        }
    }

    /// A region's own network.
    pub fn of_region(region: CspRegion) -> WanNetwork {
        WanNetwork::ALL[region.index()]
    }
}
