//! Change of Supplier (`[change_of_supplier]`): each switch, done when every one of
//! its 6.23 updates has ended, completed in time, late, failed or unfinished; the
//! commands devices refused while premises changed supplier, the gaining
//! supplier's too early and the losing supplier's too late; and the CoS Party's
//! load.
//!
//! Counted from each request as it streams ([`SwitchTally::add`]): a switch's
//! updates are all submitted into one DSP shard, so only switches with an update
//! still in flight are held, and the figures do not depend on the order requests
//! end in.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use sim::stats::LatencyHistogram;
use sim::{SimDuration, SimTime};

use crate::population::{Fuel, Population};
use crate::service_request::{Outcome, ServiceRequestRecord};
use crate::users::UserDirectory;
use crate::world::World;

/// A switch with updates still to end.
#[derive(Debug, Clone, Copy, Default)]
struct Open {
    ended: u8,
    /// Whether an update ended rejected, refused or failed.
    failed: bool,
    /// Whether an update ended unfinished.
    unfinished: bool,
    /// The latest answer so far.
    last: SimTime,
}

/// How each switch ended, and what devices refused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SwitchCounts {
    /// Switches whose supply start fell in the horizon.
    pub switches: u64,
    /// Of them, through the Non-Gateway Interface.
    pub via_ngi: u64,
    /// Every update answered within the time limit of the supply start.
    pub in_time: u64,
    /// Every update answered, the last after the time limit.
    pub late: u64,
    /// An update rejected, refused or failed.
    pub failed: u64,
    /// An update still in flight when the run ended (and none failed).
    pub unfinished: u64,
    /// From the supply start to the last update's answer, of switches answered.
    pub duration: LatencyHistogram,
    /// Supplier commands a device refused before it had the gaining supplier's
    /// credentials: sent by the supplier registered then.
    pub refused_gaining: u64,
    /// Supplier commands a device refused after it had the gaining supplier's
    /// credentials: sent by the losing supplier before the supply start.
    pub refused_losing: u64,
}

/// Switches counted as their updates end.
#[derive(Debug)]
pub struct SwitchTally {
    /// The updates' stream, if premises change supplier.
    stream: Option<u16>,
    time_limit: SimDuration,
    ngi: Option<u16>,
    users: UserDirectory,
    population: Arc<Population>,
    seed: u64,
    open: BTreeMap<(u32, SimTime), Open>,
    /// The counts so far.
    pub counts: SwitchCounts,
}

impl SwitchTally {
    /// No counts yet, for a run of `world`.
    pub fn new(world: &World) -> SwitchTally {
        let spec = &world.scenario.change_of_supplier;
        SwitchTally {
            stream: world.users.switching().and(spec.stream),
            time_limit: spec.time_limit,
            ngi: world.users.ngi_party(),
            users: world.users.clone(),
            population: world.population.clone(),
            seed: world.scenario.seed,
            open: BTreeMap::new(),
            counts: SwitchCounts::default(),
        }
    }

    /// Counts one finished request.
    pub fn add(&mut self, r: &ServiceRequestRecord) {
        let Some(stream) = self.stream else { return };
        if r.outcome == Outcome::DeviceRejected {
            let registered = self.users.supplier_at(r.premises, r.submitted, self.seed).0;
            if r.user == registered {
                self.counts.refused_gaining += 1;
            } else {
                self.counts.refused_losing += 1;
            }
        }
        if r.stream != stream {
            return;
        }
        let key = (r.premises, r.submitted);
        let open = self.open.entry(key).or_default();
        open.ended += 1;
        open.failed |= !matches!(r.outcome, Outcome::Responded | Outcome::Unfinished);
        open.unfinished |= r.outcome == Outcome::Unfinished;
        open.last = open.last.max(r.responded.unwrap_or(SimTime::ZERO));
        let meters = if self.population.kind(r.premises).fuel() == Fuel::DualFuel { 2 } else { 1 };
        if open.ended < meters {
            return;
        }
        let done = self.open.remove(&key).expect("just counted");
        let c = &mut self.counts;
        c.switches += 1;
        c.via_ngi += u64::from(Some(r.user) == self.ngi);
        if done.failed {
            c.failed += 1;
        } else if done.unfinished {
            c.unfinished += 1;
        } else {
            let took = done.last.since(r.submitted);
            c.duration.record(took);
            if took <= self.time_limit {
                c.in_time += 1;
            } else {
                c.late += 1;
            }
        }
    }
}

/// Change of Supplier in `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SwitchSummary {
    /// Switches per premises per year, as set.
    pub switches_per_premises_per_year: f64,
    /// The time limit, s.
    pub time_limit_s: f64,
    /// Switches whose supply start fell in the horizon.
    pub switches: u64,
    /// Of them, through the Non-Gateway Interface.
    pub via_ngi: u64,
    /// Completed within the time limit.
    pub in_time: u64,
    /// Completed after it.
    pub late: u64,
    /// An update rejected, refused or failed.
    pub failed: u64,
    /// Still in flight at the end.
    pub unfinished: u64,
    /// Completed within the limit, % of those judged (none judged: none).
    pub in_time_pct: Option<f64>,
    /// Supply start to the last answer, of completed switches: mean, p95 and
    /// longest, s.
    pub duration_s: Option<[f64; 3]>,
    /// Supplier commands devices refused from the gaining supplier, too early.
    pub refused_gaining: u64,
    /// Supplier commands devices refused from the losing supplier, too late.
    pub refused_losing: u64,
    /// The CoS Party's queueing figures over the run.
    pub cos_party: super::summary::StageRow,
}

impl SwitchSummary {
    /// The summary, if premises change supplier.
    pub fn of(world: &World, tally: &SwitchTally, cos_party: super::summary::StageRow) -> Option<SwitchSummary> {
        let spec = &world.scenario.change_of_supplier;
        world.users.switching()?;
        let c = &tally.counts;
        let judged = c.in_time + c.late + c.failed;
        let d = &c.duration;
        Some(SwitchSummary {
            switches_per_premises_per_year: spec.switches_per_premises_per_year,
            time_limit_s: spec.time_limit.as_secs_f64(),
            switches: c.switches,
            via_ngi: c.via_ngi,
            in_time: c.in_time,
            late: c.late,
            failed: c.failed,
            unfinished: c.unfinished,
            in_time_pct: (judged > 0).then(|| 100.0 * c.in_time as f64 / judged as f64),
            duration_s: (d.count() > 0).then(|| [d.mean_s(), d.quantile_s(0.95), d.max_s()]),
            refused_gaining: c.refused_gaining,
            refused_losing: c.refused_losing,
            cos_party,
        })
    }
}
