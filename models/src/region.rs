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

impl fmt::Display for CspRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
