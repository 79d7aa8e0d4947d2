//! The fleet already installed: SMETS1 migration onto the DCC network, and the move
//! from 2G/3G to 4G Communications Hubs before the switch-off.
//!
//! **SMETS1.** About 15.7 m SMETS1 meters were installed (DOMAIN §5); migration to the
//! DCC began in 2019, reaching about 12 m by Aug 2024, with about 15 m expected in all
//! (DOMAIN §6). Meters that cannot be migrated, and those replaced before migration
//! (faults, change of supplier), join the install queue and are replaced by SMETS2.
//!
//! **4G.** About 24 m meters on 2G/3G hubs need connection continuity before 2G/3G
//! shut down by 2033 (DOMAIN §4). Here the 2G/3G hubs are those of CSP Central and
//! South (Telefónica cellular; North's long-range radio is unaffected) installed
//! before 4G became standard, and the migrated SMETS1 installations there
//! (assumption: it reproduces DOMAIN's "about 24 m" at mid-2025, see the
//! `lte_fleet_matches_the_published_24_million` test). Each is replaced by a 4G hub
//! by a hub-swap crew; a migrated SMETS1 meter is replaced by a SMETS2 one with a 4G
//! hub. Any 2G/3G hub left at the end of the switch-off month loses the WAN: it is
//! removed from the enrolled fleet and counted as stranded.

use crate::scenario::rollout::LteSpec;
use crate::scenario::rollout::Month;

/// The monthly chance that a SMETS1 meter awaiting migration is replaced, from the
/// yearly share.
pub fn monthly_replacement_probability(share_per_year: f64) -> f64 {
    1.0 - (1.0 - share_per_year).powf(1.0 / 12.0)
}

/// Hub replacements due in `m` for a pool of `pool` 2G/3G hubs: the pool spread
/// evenly over the months left to the switch-off; 0 outside the programme.
pub fn swap_demand(lte: &LteSpec, m: Month, pool: u64) -> u64 {
    match lte.migration_start {
        Some(start) if m >= start && m <= lte.switch_off => {
            let months_left = lte.switch_off.since(m) as u64 + 1;
            pool.div_ceil(months_left)
        }
        _ => 0,
    }
}

/// Whether a hub installed in `m` in a region served by cellular 2G/3G is 2G/3G.
pub fn installs_2g3g(lte: &LteSpec, m: Month, cellular_region: bool) -> bool {
    cellular_region && m < lte.standard_from
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lte(start: Option<Month>) -> LteSpec {
        LteSpec {
            standard_from: Month::new(2025, 7),
            switch_off: Month::new(2033, 12),
            migration_start: start,
            swaps_per_working_day: 1000.0,
        }
    }

    #[test]
    fn the_pool_is_spread_evenly_to_the_switch_off() {
        let l = lte(Some(Month::new(2026, 1)));
        assert_eq!(swap_demand(&l, Month::new(2025, 12), 960), 0, "not before the programme starts");
        assert_eq!(swap_demand(&l, Month::new(2026, 1), 960), 10, "96 months left");
        assert_eq!(swap_demand(&l, Month::new(2033, 12), 7), 7, "the last month takes all");
        assert_eq!(swap_demand(&l, Month::new(2034, 1), 7), 0);
        assert_eq!(swap_demand(&lte(None), Month::new(2030, 1), 7), 0);
    }

    #[test]
    fn only_cellular_hubs_before_the_4g_standard_are_2g3g() {
        let l = lte(None);
        assert!(installs_2g3g(&l, Month::new(2025, 6), true));
        assert!(!installs_2g3g(&l, Month::new(2025, 7), true));
        assert!(!installs_2g3g(&l, Month::new(2020, 1), false));
        let p = monthly_replacement_probability(0.023);
        assert!(((1.0 - p).powi(12) - 0.977).abs() < 1e-12);
    }
}
