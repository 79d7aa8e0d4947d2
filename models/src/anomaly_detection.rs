//! Threshold Anomaly Detection: DCC's count of each User's Service Requests of an
//! SRV, and the quarantine of those past the threshold
//! ([`crate::scenario::anomaly`] gives the rules and their sources).
//!
//! It screens each request the User Gateway accepts, once (a Critical request's
//! signed Pre-Command is not counted again). Each DSP shard counts its share of
//! every threshold: every shard carries an equal share of every stream. A
//! quarantined request waits for its User's answer, one event per check; then it
//! goes on to the DSP, or is deleted if it is an attack's.

use std::collections::BTreeMap;
use std::sync::Arc;

use sim::{EntityId, SimTime};

use crate::context::{ARRIVAL, Context};
use crate::service_request::ServiceRequestJob;
use crate::world::World;

/// Threshold Anomaly Detection's one event.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AnomalyEvent {
    /// The User answers DCC's check of counter `n`.
    Answered(u32),
}

/// What screening did with a request.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Screened {
    /// Within its threshold, or counted by none: on to the DSP.
    Passed(ServiceRequestJob),
    /// Held until its User answers.
    Quarantined,
}

/// What the User's answer does to a quarantined request.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Genuine: released to the DSP.
    Released(ServiceRequestJob),
    /// An attack's: deleted.
    Deleted(ServiceRequestJob),
}

/// One counter's figures: a threshold, and the User it counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CounterStats {
    /// The threshold (index into `anomaly_thresholds`).
    pub threshold: u16,
    /// The User counted.
    pub user: u16,
    /// Requests counted.
    pub counted: u64,
    /// Of them, an attack's.
    pub counted_attack: u64,
    /// An attack's requests that passed before the counter's first quarantine.
    pub attack_passed_before_detection: u64,
    /// Requests quarantined.
    pub quarantined: u64,
    /// Of them, an attack's.
    pub quarantined_attack: u64,
    /// Released to the DSP at an answer.
    pub released: u64,
    /// Deleted at an answer.
    pub deleted: u64,
    /// Checks DCC opened with the User.
    pub checks: u64,
    /// The first request quarantined, if any was.
    pub first_quarantine: Option<SimTime>,
    /// Sum of released requests' time in quarantine, µs.
    pub released_wait_total_us: u128,
    /// Longest time a released request spent in quarantine, µs.
    pub released_wait_max_us: u64,
}

impl CounterStats {
    /// Adds another shard's figures of the same counter.
    pub fn merge(&mut self, other: &CounterStats) {
        self.counted += other.counted;
        self.counted_attack += other.counted_attack;
        self.attack_passed_before_detection += other.attack_passed_before_detection;
        self.quarantined += other.quarantined;
        self.quarantined_attack += other.quarantined_attack;
        self.released += other.released;
        self.deleted += other.deleted;
        self.checks += other.checks;
        self.first_quarantine = match (self.first_quarantine, other.first_quarantine) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.released_wait_total_us += other.released_wait_total_us;
        self.released_wait_max_us = self.released_wait_max_us.max(other.released_wait_max_us);
    }
}

/// Merges shards' counters into `into`, which stays sorted by threshold and User.
pub fn merge_counters(into: &mut Vec<CounterStats>, from: &[CounterStats]) {
    for c in from {
        match into.binary_search_by_key(&(c.threshold, c.user), |x| (x.threshold, x.user)) {
            Ok(i) => into[i].merge(c),
            Err(i) => into.insert(i, *c),
        }
    }
}

/// One counter's state in a shard.
#[derive(Default)]
struct Counter {
    /// The window counted now (its index from time zero).
    window: u64,
    /// Requests counted in it.
    count: u32,
    /// Whether a check is open.
    checking: bool,
    /// Requests quarantined, waiting for the answer, with when each came.
    held: Vec<(SimTime, ServiceRequestJob)>,
    stats: CounterStats,
}

/// One DSP shard's Threshold Anomaly Detection.
pub struct AnomalyDetection {
    world: Arc<World>,
    /// Each threshold's share in this shard.
    max_per_window: Vec<u32>,
    /// Counter `t × users + u` counts User `u` against threshold `t`; made at
    /// its first request, so memory follows the Users that send what thresholds
    /// count, not thresholds × Users.
    counters: BTreeMap<u32, Counter>,
    users: usize,
    entity: EntityId,
}

impl AnomalyDetection {
    /// Shard `shard`'s counters, all zero.
    pub fn new(world: Arc<World>, shard: u32) -> AnomalyDetection {
        let s = &world.scenario;
        let users = world.users.count();
        let max_per_window = s.anomaly_thresholds.iter().map(|t| t.max_per_window.div_ceil(s.dsp.shards)).collect();
        let counters = BTreeMap::new();
        AnomalyDetection { max_per_window, counters, users, entity: crate::layout::shard_entity(shard), world }
    }

    /// The threshold that counts `job`, if any: one naming its User before one that
    /// names none.
    fn threshold_of(&self, job: &ServiceRequestJob) -> Option<usize> {
        let thresholds = &self.world.scenario.anomaly_thresholds;
        if thresholds.is_empty() {
            return None;
        }
        let srv = self.world.scenario.traffic[usize::from(job.stream)].srv_index;
        let counts =
            |named: bool| thresholds.iter().position(|t| t.user_index.is_some() == named && t.counts(srv, job.user));
        counts(true).or_else(|| counts(false))
    }

    /// Screens a request the User Gateway accepted: a signed Pre-Command, or one no
    /// threshold counts, passes; so does one within its threshold. Past it, the
    /// request is quarantined and, if no check is open, DCC opens one.
    pub fn screen<P: From<AnomalyEvent>>(
        &mut self,
        mut job: ServiceRequestJob,
        cx: &mut Context<'_, '_, P>,
    ) -> Screened {
        let Some(t) = self.threshold_of(&job).filter(|_| !job.signed) else {
            return Screened::Passed(job);
        };
        let spec = &self.world.scenario.anomaly_thresholds[t];
        let attack = self.world.scenario.traffic[usize::from(job.stream)].attack;
        let now = cx.now();
        let n = t * self.users + usize::from(job.user);
        let counter = self.counters.entry(n as u32).or_default();
        counter.stats.threshold = t as u16;
        counter.stats.user = job.user;
        let window = now.as_micros() / spec.window.as_micros().max(1);
        if counter.window != window {
            counter.window = window;
            counter.count = 0;
        }
        counter.count = counter.count.saturating_add(1);
        counter.stats.counted += 1;
        counter.stats.counted_attack += u64::from(attack);
        if counter.count <= self.max_per_window[t] {
            if attack && counter.stats.first_quarantine.is_none() {
                counter.stats.attack_passed_before_detection += 1;
            }
            return Screened::Passed(job);
        }
        job.quarantined = true;
        counter.stats.quarantined += 1;
        counter.stats.quarantined_attack += u64::from(attack);
        counter.stats.first_quarantine.get_or_insert(now);
        counter.held.push((now, job));
        if !counter.checking {
            counter.checking = true;
            counter.stats.checks += 1;
            cx.schedule(now.saturating_add(spec.confirm), ARRIVAL, self.entity, AnomalyEvent::Answered(n as u32));
        }
        Screened::Quarantined
    }

    /// The User answers a check: every request its counter holds is released, or
    /// deleted if it is an attack's, in the order they came.
    pub fn handle<P>(&mut self, event: AnomalyEvent, cx: &mut Context<'_, '_, P>) -> Vec<Verdict> {
        let AnomalyEvent::Answered(n) = event;
        let now = cx.now();
        let traffic = &self.world.scenario.traffic;
        let counter = self.counters.get_mut(&n).expect("a check is opened by a counter");
        counter.checking = false;
        let held = std::mem::take(&mut counter.held);
        held.into_iter()
            .map(|(since, job)| {
                if traffic[usize::from(job.stream)].attack {
                    counter.stats.deleted += 1;
                    Verdict::Deleted(job)
                } else {
                    let wait = now.since(since).as_micros();
                    counter.stats.released += 1;
                    counter.stats.released_wait_total_us += u128::from(wait);
                    counter.stats.released_wait_max_us = counter.stats.released_wait_max_us.max(wait);
                    Verdict::Released(job)
                }
            })
            .collect()
    }

    /// Requests in quarantine now.
    pub fn held(&self) -> usize {
        self.counters.values().map(|c| c.held.len()).sum()
    }

    /// Every counter that counted anything, by threshold and User.
    pub fn finish(&self) -> Vec<CounterStats> {
        self.counters.values().filter(|c| c.stats.counted > 0).map(|c| c.stats).collect()
    }
}
