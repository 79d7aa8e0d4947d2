//! Change of Supplier at the devices: which supplier's commands a premises'
//! meters take while its supplier changes (`[change_of_supplier]`).
//!
//! A meter takes commands signed by the supplier whose credentials it holds. A
//! switch's 6.23 update replaces them with the gaining supplier's (DOMAIN §0), so
//! between the supply start and the update the gaining supplier's commands are
//! refused, and after the update the losing supplier's are. Which switch each
//! update is for, and who gains, follow from the premises and the time
//! ([`crate::users::UserDirectory::supplier_at`]); the devices keep only the
//! updates they have taken, one entry per premises that has taken one. A
//! premises' meters are taken together: it trusts a switch's gaining supplier once
//! every one of its meters has the update (assumption).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::population::Fuel;
use crate::service_request::ServiceRequestJob;
use crate::world::World;

/// The updates a premises' meters have taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Taken {
    /// The last switch whose update every meter has: its gaining supplier is trusted.
    trusted: u32,
    /// The latest switch whose update some meter has.
    latest: u32,
    /// Meters with the latest switch's update.
    meters: u8,
}

/// The credentials held by the devices of one CSP block's premises.
pub struct DeviceTrust {
    world: Arc<World>,
    /// The stream of switches' updates, if premises change supplier.
    stream: Option<u16>,
    taken: BTreeMap<u32, Taken>,
}

impl DeviceTrust {
    /// Devices holding their first supplier's credentials.
    pub fn new(world: Arc<World>) -> DeviceTrust {
        let stream = world.users.switching().and(world.scenario.change_of_supplier.stream);
        DeviceTrust { world, stream, taken: BTreeMap::new() }
    }

    /// A command reaches its device: a switch's update is taken, and a supplier's
    /// command signed by one the device does not trust is marked refused.
    pub fn command(&mut self, mut job: ServiceRequestJob) -> ServiceRequestJob {
        let Some(stream) = self.stream else { return job };
        let (users, seed, p) = (&self.world.users, self.world.scenario.seed, job.premises);
        if job.stream == stream {
            // The update of the switch whose supply start was its submission.
            let (_, number) = users.supplier_at(p, job.submitted, seed);
            let meters = if self.world.population.kind(p).fuel() == Fuel::DualFuel { 2 } else { 1 };
            let t = self.taken.entry(p).or_default();
            if number > t.latest {
                (t.latest, t.meters) = (number, 0);
            }
            if number == t.latest {
                t.meters += 1;
                if t.meters >= meters {
                    t.trusted = t.trusted.max(number);
                }
            }
            return job;
        }
        if job.user >= users.supplier_count() {
            return job;
        }
        let trusted = match self.taken.get(&p).map_or(0, |t| t.trusted) {
            0 => users.supplier_at(p, sim::SimTime::ZERO, seed).0,
            n => users.switch(p, n, seed).expect("a switch taken was made").to,
        };
        job.device_rejected = job.user != trusted;
        job
    }

    /// Premises whose devices have taken an update.
    pub fn premises_updated(&self) -> usize {
        self.taken.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use sim::{SimDuration, SimTime};

    /// A world of 2,000 premises changing supplier about monthly.
    fn world() -> Arc<World> {
        let text = "[scenario]\nname = \"unit\"\nhorizon_s = 86400\n[population]\npremises = 2000\n\
                    [change_of_supplier]\nswitches_per_premises_per_year = 12\n";
        Arc::new(World::build(Scenario::parse("unit.toml", text).unwrap_or_else(|e| panic!("{e}"))))
    }

    /// A command from `user` to `p`, of `stream`, submitted at `at`.
    fn command(stream: u16, p: u32, user: u16, at: SimTime) -> ServiceRequestJob {
        ServiceRequestJob { stream, ..crate::testkit::job(7, p, user, at) }
    }

    /// Through one switch of a dual-fuel premises: the losing supplier's commands
    /// are taken until both meters have the gaining supplier's update, the gaining
    /// one's only after; an Electricity Distributor's always.
    #[test]
    fn devices_trust_the_gaining_supplier_once_every_meter_has_its_update() {
        let w = world();
        let seed = w.scenario.seed;
        let stream = w.scenario.change_of_supplier.stream.expect("switching adds its stream");
        let (p, s) = (0..2_000)
            .filter(|&p| w.population.kind(p).fuel() == Fuel::DualFuel)
            .find_map(|p| w.users.switch(p, 1, seed).map(|s| (p, s)))
            .expect("a dual-fuel premises switches");
        assert_ne!(s.from, s.to, "a switch changes the supplier");
        assert_eq!(w.users.supplier_at(p, s.at, seed), (s.to, 1), "registered to the gaining supplier at once");
        let mut devices = DeviceTrust::new(w.clone());
        let soon = s.at + SimDuration::from_secs(1);
        let refused = |d: &mut DeviceTrust, user, at| d.command(command(0, p, user, at)).device_rejected;
        assert!(!refused(&mut devices, s.from, soon), "the losing supplier is still trusted");
        assert!(refused(&mut devices, s.to, soon), "the gaining supplier is not yet trusted");
        let update = devices.command(command(stream, p, s.to, s.at));
        assert!(!update.device_rejected, "the update itself is DCC-signed");
        assert!(refused(&mut devices, s.to, soon), "one meter of two has the update");
        devices.command(command(stream, p, s.to, s.at));
        assert!(!refused(&mut devices, s.to, soon), "both meters have it");
        assert!(refused(&mut devices, s.from, soon), "the losing supplier is no longer trusted");
        let ed = w.users.supplier_count();
        assert!(!refused(&mut devices, ed, soon), "a distributor's commands are not a supplier's");
        assert_eq!(devices.premises_updated(), 1);
    }

    /// Each premises' switches follow from the premises and the time: about the
    /// rate over the horizon, each to another supplier, the register agreeing.
    #[test]
    fn the_register_follows_each_premises_switches() {
        let w = world();
        let seed = w.scenario.seed;
        let mut switches = 0;
        for p in 0..2_000 {
            let mut n = 0;
            while let Some(s) = w.users.switch(p, n + 1, seed).filter(|s| s.at < w.scenario.horizon) {
                n += 1;
                assert_ne!(s.from, s.to);
                assert_eq!(w.users.supplier_at(p, s.at, seed), (s.to, n));
                let before = SimTime(s.at.0 - 1);
                assert_eq!(w.users.supplier_at(p, before, seed), (s.from, n - 1));
            }
            switches += n;
        }
        // 2,000 premises × 12 a year for a day: 65.7, Poisson.
        let expected = 2_000.0 * 12.0 / 365.25;
        assert!((f64::from(switches) - expected).abs() < 5.0 * expected.sqrt(), "{switches} switches");
    }
}
