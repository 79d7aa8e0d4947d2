//! The 14 DNO licence areas (GSP groups) of Great Britain and their CSP regions.
//!
//! Source: DOMAIN §7 (Ofgem's list of licence areas [H]; customer counts approximate
//! [A/M]: UKPN ≈ 8.3 m and ENWL 2.4 m confirmed, the rest rounded figures from DNO
//! publications; the CSP region of each area [A/M]).

use crate::region::CspRegion;

/// A DNO licence area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DnoArea {
    /// Market participant id, 10 to 23.
    pub id: u8,
    /// GSP group, e.g. "_A".
    pub gsp_group: &'static str,
    /// Key used in scenarios and outputs, e.g. "east_england".
    pub key: &'static str,
    /// The licence area's name.
    pub name: &'static str,
    /// The DNO group holding the licence.
    pub dno: &'static str,
    /// Approximate customers, millions.
    pub customers_m: f64,
    /// The CSP region serving it.
    pub region: CspRegion,
}

const fn area(
    id: u8,
    gsp_group: &'static str,
    key: &'static str,
    name: &'static str,
    dno: &'static str,
    customers_m: f64,
    region: CspRegion,
) -> DnoArea {
    DnoArea { id, gsp_group, key, name, dno, customers_m, region }
}

/// The areas' keys, in [`DNO_AREAS`] order: what a scenario may name.
pub const DNO_AREA_KEYS: [&str; 14] = {
    let mut keys = [""; 14];
    let mut i = 0;
    while i < 14 {
        keys[i] = DNO_AREAS[i].key;
        i += 1;
    }
    keys
};

/// All 14 areas, in id order (DOMAIN §7 table).
pub const DNO_AREAS: [DnoArea; 14] = [
    area(10, "_A", "east_england", "East England", "UKPN (EPN)", 3.7, CspRegion::Central),
    area(11, "_B", "east_midlands", "East Midlands", "NGED", 2.7, CspRegion::Central),
    area(12, "_C", "london", "London", "UKPN (LPN)", 2.4, CspRegion::South),
    area(
        13,
        "_D",
        "merseyside_north_wales",
        "N Wales, Merseyside & Cheshire",
        "SPEN (Manweb)",
        1.5,
        CspRegion::Central,
    ),
    area(14, "_E", "west_midlands", "West Midlands", "NGED", 2.5, CspRegion::Central),
    area(15, "_F", "north_east", "North East", "Northern Powergrid", 1.6, CspRegion::North),
    area(16, "_G", "north_west", "North West", "ENWL", 2.4, CspRegion::North),
    area(17, "_P", "north_scotland", "North Scotland", "SSEN (SHEPD)", 0.8, CspRegion::North),
    area(18, "_N", "south_scotland", "South Scotland", "SPEN (SPD)", 2.0, CspRegion::North),
    area(19, "_J", "south_east", "South East", "UKPN (SPN)", 2.3, CspRegion::South),
    area(20, "_H", "southern", "Southern", "SSEN (SEPD)", 3.0, CspRegion::South),
    area(21, "_K", "south_wales", "South Wales", "NGED", 1.1, CspRegion::Central),
    area(22, "_L", "south_west", "South West", "NGED", 1.6, CspRegion::South),
    area(23, "_M", "yorkshire", "Yorkshire", "Northern Powergrid", 2.3, CspRegion::North),
];

/// The DNO groups holding the licences (each one DCC User, an Electricity
/// Distributor), in first-appearance order of [`DNO_AREAS`], and each area's group
/// index.
pub fn dno_groups() -> (Vec<&'static str>, Vec<u16>) {
    let mut groups: Vec<&'static str> = Vec::new();
    let mut area_group = Vec::new();
    for area in &DNO_AREAS {
        let group = area.dno.split(" (").next().unwrap_or(area.dno);
        let i = groups.iter().position(|g| *g == group).unwrap_or_else(|| {
            groups.push(group);
            groups.len() - 1
        });
        area_group.push(i as u16);
    }
    (groups, area_group)
}

/// Customers of all areas, millions: the premises of `scale = 1.0`.
pub fn gb_customers_m() -> f64 {
    DNO_AREAS.iter().map(|a| a.customers_m).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_totals_match_the_fact_sheet() {
        // DOMAIN §7: North ≈ 9.1 m, Central ≈ 11.5 m, South ≈ 9.3 m.
        let total = |r: CspRegion| DNO_AREAS.iter().filter(|a| a.region == r).map(|a| a.customers_m).sum::<f64>();
        assert!((total(CspRegion::North) - 9.1).abs() < 1e-9);
        assert!((total(CspRegion::Central) - 11.5).abs() < 1e-9);
        assert!((total(CspRegion::South) - 9.3).abs() < 1e-9);
        assert!((gb_customers_m() - 29.9).abs() < 1e-9);
        let ids: Vec<u8> = DNO_AREAS.iter().map(|a| a.id).collect();
        assert_eq!(ids, (10..=23).collect::<Vec<u8>>());
    }
}
