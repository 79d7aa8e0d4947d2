//! The DCC Users who send Service Requests: suppliers with market shares, one
//! Electricity Distributor per DNO group, Gas Transporters, and an Other User.
//!
//! A request's User follows from its role and premises: a supplier role's sender is
//! the premises' supplier; an Electricity Distributor's is the DNO group of the
//! premises' licence area; a Gas Transporter's is the one serving the premises. The
//! premises' supplier and transporter are drawn from streams keyed by the premises,
//! so nothing is stored per premises.
//!
//! With `[change_of_supplier]`, premises change supplier: each premises' switches
//! are a Poisson process of its own, drawn from streams keyed by the premises and
//! the switch's number, so its supplier at any time follows from the premises and
//! the time alone, in any partition, and the register needs no memory
//! ([`UserDirectory::switch`], [`UserDirectory::supplier_at`]).

use sim::SimTime;

use crate::scenario::change_of_supplier::Switching;
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
    /// How premises change supplier, if they do.
    switching: Option<Switching>,
}

/// One change of supplier at a premises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switch {
    /// The switch's number at its premises, from 1.
    pub number: u32,
    /// The supply start: the registration moves to the gaining supplier.
    pub at: SimTime,
    /// The losing supplier.
    pub from: u16,
    /// The gaining supplier.
    pub to: u16,
    /// Whether the gaining supplier is not a DCC User, so DCC sends its update
    /// through the Non-Gateway Interface.
    pub via_ngi: bool,
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
        UserDirectory {
            supplier_cumulative,
            dno_groups,
            area_group,
            gas_transporters: gas_transporters.max(1),
            switching: None,
        }
    }

    /// The directory with premises changing supplier as `switching` says, and DCC
    /// as the Non-Gateway Interface party its last User. Needs two suppliers.
    pub fn with_switching(mut self, switching: Switching) -> UserDirectory {
        assert!(self.suppliers() > 1, "a change of supplier needs two suppliers");
        self.switching = Some(switching);
        self
    }

    /// How premises change supplier, if they do.
    pub fn switching(&self) -> Option<Switching> {
        self.switching
    }

    fn suppliers(&self) -> u16 {
        self.supplier_cumulative.len() as u16
    }

    /// Number of suppliers (Users 0 to this − 1).
    pub fn supplier_count(&self) -> u16 {
        self.suppliers()
    }

    /// Number of Users.
    pub fn count(&self) -> usize {
        let ngi = usize::from(self.switching.is_some());
        usize::from(self.suppliers()) + self.dno_groups.len() + usize::from(self.gas_transporters) + 1 + ngi
    }

    /// DCC as the Non-Gateway Interface party, if premises change supplier.
    pub fn ngi_party(&self) -> Option<u16> {
        self.switching.map(|_| (self.count() - 1) as u16)
    }

    /// The User sending a request of `role` for premises `p` at time `at`.
    pub fn user_of(&self, role: UserRole, p: u32, at: SimTime, population: &Population, seed: u64) -> u16 {
        let mut rng = Streams::world(seed).stream(u64::from(p), Purpose::Parties, 0);
        let supplier_draw = rng.unit_f64();
        let transporter = rng.below(u64::from(self.gas_transporters)) as u16;
        let s = self.suppliers();
        let eds = self.dno_groups.len() as u16;
        match role {
            UserRole::ElectricityDistributor => s + self.area_group[population.area_of(p)],
            UserRole::GasTransporter => s + eds + transporter,
            UserRole::OtherUser => s + eds + self.gas_transporters,
            _ => self.supplier_after(p, self.first_supplier(supplier_draw), at, seed).0,
        }
    }

    /// The supplier of a premises whose draw is `draw`, before any switch.
    fn first_supplier(&self, draw: f64) -> u16 {
        let s = usize::from(self.suppliers());
        self.supplier_cumulative.partition_point(|&c| c <= draw).min(s - 1) as u16
    }

    /// Premises `p`'s supplier before any switch.
    fn initial_supplier(&self, p: u32, seed: u64) -> u16 {
        self.first_supplier(Streams::world(seed).stream(u64::from(p), Purpose::Parties, 0).unit_f64())
    }

    /// Premises `p`'s supplier at `at`, and how many times it had changed by then.
    pub fn supplier_at(&self, p: u32, at: SimTime, seed: u64) -> (u16, u32) {
        self.supplier_after(p, self.initial_supplier(p, seed), at, seed)
    }

    /// From `first`, the supplier after every switch of `p` up to `at`, and their count.
    fn supplier_after(&self, p: u32, first: u16, at: SimTime, seed: u64) -> (u16, u32) {
        let (mut supplier, mut n) = (first, 0);
        let mut when = SimTime::ZERO;
        while let Some(next) = self.next_switch(p, n + 1, when, supplier, seed).filter(|x| x.at <= at) {
            (supplier, n, when) = (next.to, next.number, next.at);
        }
        (supplier, n)
    }

    /// Switch `number` of premises `p`, if premises change supplier: its time is
    /// `after` plus an exponential gap, its gaining supplier one of the others by
    /// market share.
    fn next_switch(&self, p: u32, number: u32, after: SimTime, from: u16, seed: u64) -> Option<Switch> {
        let switching = self.switching?;
        let mut rng = Streams::world(seed).stream(u64::from(p), Purpose::Switch, u64::from(number));
        let at = after.saturating_add(sim::SimDuration::from_secs_f64(rng.exponential(switching.mean_gap_s)));
        // The others' shares, renormalised: skip the losing supplier's interval.
        let share = |u: usize| self.supplier_cumulative[u] - if u == 0 { 0.0 } else { self.supplier_cumulative[u - 1] };
        let mut draw = rng.unit_f64() * (1.0 - share(usize::from(from)));
        let mut to = 0u16;
        for u in 0..self.supplier_cumulative.len() {
            if u == usize::from(from) {
                continue;
            }
            to = u as u16;
            if draw < share(u) {
                break;
            }
            draw -= share(u);
        }
        let via_ngi = rng.unit_f64() < switching.ngi_share;
        Some(Switch { number, at, from, to, via_ngi })
    }

    /// Premises `p`'s switch `number` (from 1), if premises change supplier.
    pub fn switch(&self, p: u32, number: u32, seed: u64) -> Option<Switch> {
        let mut s = self.next_switch(p, 1, SimTime::ZERO, self.initial_supplier(p, seed), seed)?;
        while s.number < number {
            s = self.next_switch(p, s.number + 1, s.at, s.to, seed)?;
        }
        Some(s)
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
        } else if user == s + eds + self.gas_transporters {
            "other_user".to_string()
        } else {
            "dcc_ngi".to_string()
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
            counts[usize::from(d.user_of(UserRole::ImportSupplier, p, SimTime::ZERO, &population, 1))] += 1;
            let ed = d.user_of(UserRole::ElectricityDistributor, p, SimTime::ZERO, &population, 1);
            let group = DNO_AREAS[population.area_of(p)].dno;
            assert!(group.starts_with(&d.name(ed)[3..].replace('_', " ")), "{group} vs {}", d.name(ed));
        }
        for (i, share) in [0.5, 0.3, 0.2].iter().enumerate() {
            assert!((f64::from(counts[i]) / 50_000.0 - share).abs() < 0.01, "supplier {i}: {}", counts[i]);
        }
        assert_eq!(d.name(d.user_of(UserRole::OtherUser, 7, SimTime::ZERO, &population, 1)), "other_user");
        assert_eq!(d.name(0), "supplier_1");
        // The same premises always has the same supplier.
        assert_eq!(
            d.user_of(UserRole::GasSupplier, 42, SimTime::ZERO, &population, 1),
            d.user_of(UserRole::ImportSupplier, 42, SimTime::ZERO, &population, 1)
        );
    }
}
