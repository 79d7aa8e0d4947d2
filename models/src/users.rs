//! The DCC Users who send Service Requests: suppliers with market shares, one
//! Electricity Distributor per DNO group, Gas Transporters, and an Other User.
//!
//! A request's User follows from its role and premises: a supplier role's sender is
//! the premises' supplier; an Electricity Distributor's is the DNO group of the
//! premises' licence area; a Gas Transporter's is the one serving the premises. The
//! premises' supplier and transporter are drawn from streams keyed by the premises,
//! so nothing is stored per premises.

use crate::streams::{Purpose, Streams};

use crate::population::Population;
use crate::service_request::UserRole;

/// Every DCC User of a run, numbered suppliers first, then Electricity Distributors,
/// Gas Transporters and the Other User.
#[derive(Debug, Clone, PartialEq)]
pub struct UserDirectory {
    /// Cumulative supplier market shares (last is 1).
    supplier_cumulative: Vec<f64>,
    /// DNO groups, in first-appearance order of the licence areas.
    dno_groups: Vec<&'static str>,
    /// Each area's DNO group index.
    area_group: Vec<u16>,
    gas_transporters: u16,
}

impl UserDirectory {
    /// The directory for `supplier_shares` (normalised) and `gas_transporters`.
    pub fn new(supplier_shares: &[f64], gas_transporters: u16) -> UserDirectory {
        let total: f64 = supplier_shares.iter().sum();
        let mut acc = 0.0;
        let mut supplier_cumulative: Vec<f64> = supplier_shares
            .iter()
            .map(|s| {
                acc += s / total;
                acc
            })
            .collect();
        if let Some(last) = supplier_cumulative.last_mut() {
            *last = 1.0;
        }
        let (dno_groups, area_group) = crate::topology::dno_groups();
        UserDirectory { supplier_cumulative, dno_groups, area_group, gas_transporters: gas_transporters.max(1) }
    }

    fn suppliers(&self) -> u16 {
        self.supplier_cumulative.len() as u16
    }

    /// Number of Users.
    pub fn count(&self) -> usize {
        usize::from(self.suppliers()) + self.dno_groups.len() + usize::from(self.gas_transporters) + 1
    }

    /// The User sending a request of `role` for premises `p`.
    pub fn user_of(&self, role: UserRole, p: u32, population: &Population, seed: u64) -> u16 {
        let mut rng = Streams::world(seed).stream(u64::from(p), Purpose::Parties, 0);
        let supplier_draw = rng.unit_f64();
        let transporter = rng.below(u64::from(self.gas_transporters)) as u16;
        let s = self.suppliers();
        let eds = self.dno_groups.len() as u16;
        match role {
            UserRole::ElectricityDistributor => s + self.area_group[population.area_of(p)],
            UserRole::GasTransporter => s + eds + transporter,
            UserRole::OtherUser => s + eds + self.gas_transporters,
            _ => self.supplier_cumulative.partition_point(|&c| c <= supplier_draw).min(usize::from(s) - 1) as u16,
        }
    }

    /// Every User's name, by index (the records' `user`).
    pub fn names(&self) -> Vec<String> {
        (0..self.count()).map(|u| self.name(u as u16)).collect()
    }

    /// The User's name in outputs, e.g. "supplier_1", "ed_NGED", "gt_2", "other_user".
    pub fn name(&self, user: u16) -> String {
        let s = self.suppliers();
        let eds = self.dno_groups.len() as u16;
        if user < s {
            format!("supplier_{}", user + 1)
        } else if user < s + eds {
            format!("ed_{}", self.dno_groups[usize::from(user - s)].replace(' ', "_"))
        } else if user < s + eds + self.gas_transporters {
            format!("gt_{}", user - s - eds + 1)
        } else {
            "other_user".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::topology::DNO_AREAS;

    /// The scenario layer finds every User by the name outputs give it.
    #[test]
    fn every_users_name_finds_it() {
        let d = UserDirectory::new(&[0.5, 0.3, 0.2], 2);
        for u in 0..d.count() as u16 {
            assert_eq!(crate::scenario::suspensions::user_index(&d.name(u), 3, 2), Some(u), "{}", d.name(u));
        }
        assert_eq!(crate::scenario::suspensions::user_index("supplier_4", 3, 2), None);
        assert_eq!(crate::scenario::suspensions::user_index("gt_0", 3, 2), None);
    }

    #[test]
    fn roles_map_to_their_users_and_shares_hold() {
        let mut s = Scenario::parse("s.toml", "[scenario]\nname = \"t\"\nhorizon_s = 60\n").unwrap();
        s.premises = 50_000;
        let population = Population::new(&s);
        let d = UserDirectory::new(&[0.5, 0.3, 0.2], 2);
        assert_eq!(d.count(), 3 + 6 + 2 + 1, "six DNO groups");
        let mut counts = [0u32; 3];
        for p in 0..50_000 {
            counts[usize::from(d.user_of(UserRole::ImportSupplier, p, &population, 1))] += 1;
            let ed = d.user_of(UserRole::ElectricityDistributor, p, &population, 1);
            let group = DNO_AREAS[population.area_of(p)].dno;
            assert!(group.starts_with(&d.name(ed)[3..].replace('_', " ")), "{group} vs {}", d.name(ed));
        }
        for (i, share) in [0.5, 0.3, 0.2].iter().enumerate() {
            assert!((f64::from(counts[i]) / 50_000.0 - share).abs() < 0.01, "supplier {i}: {}", counts[i]);
        }
        assert_eq!(d.name(d.user_of(UserRole::OtherUser, 7, &population, 1)), "other_user");
        assert_eq!(d.name(0), "supplier_1");
        // The same premises always has the same supplier.
        assert_eq!(
            d.user_of(UserRole::GasSupplier, 42, &population, 1),
            d.user_of(UserRole::ImportSupplier, 42, &population, 1)
        );
    }
}
