//! DCC Users' traffic: each stream's Service Requests, submitted by the Users into
//! one DSP shard.
//!
//! Every shard carries an equal share of every stream. Requests a shard submits are
//! dealt `sr_id = n × shards + shard`, so the response of every request finds its
//! way back to the shard that holds its in-flight record.
//!
//! With `[change_of_supplier]`, the gaining suppliers of the premises numbered
//! `shard` modulo the shards send their switches' 6.23 updates into this shard,
//! one per meter, at each supply start (or DCC does, as the Non-Gateway Interface
//! party). The shard keeps the next switch of each of its premises that switches
//! before the horizon, so the calendar is bounded by the premises.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use sim::{SimDuration, SimTime, SplitMix64};

use crate::context::{ARRIVAL, Context};
use crate::layout::shard_entity;
use crate::service_request::{Mode, ServiceRequestJob};
use crate::streams::Purpose;
use crate::world::World;

/// The traffic's events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum TrafficEvent {
    /// A DCC User submits the next Service Request of a traffic stream.
    Submission(u16),
    /// A premises' supply start: its gaining supplier sends the updates.
    Switch,
}

/// A request just submitted, and where it goes first.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Submitted {
    /// The request.
    pub job: ServiceRequestJob,
    /// Through the User Gateway; `false` for a DCC Scheduled request, which the DSP
    /// releases by its schedule without crossing the gateway.
    pub via_gateway: bool,
}

/// The Users' submissions into one shard.
pub struct UserTraffic {
    world: Arc<World>,
    shard: u32,
    submitted: u64,
    /// Submissions so far per traffic stream (the counters of their random streams).
    stream_submitted: Vec<u64>,
    /// The next switch of each of this shard's premises that switches before the
    /// horizon: supply start, premises, switch number.
    switches: BinaryHeap<Reverse<(SimTime, u32, u32)>>,
}

/// What one traffic event submits: a request, or a switch's updates (one per meter).
pub type Submissions = [Option<Submitted>; 2];

impl UserTraffic {
    /// The traffic of shard `shard`, nothing submitted yet.
    pub fn new(world: Arc<World>, shard: u32) -> UserTraffic {
        let stream_submitted = vec![0; world.scenario.traffic.len()];
        let mut switches = BinaryHeap::new();
        if world.users.switching().is_some() {
            let (shards, horizon, seed) = (world.layout.shards(), world.scenario.horizon, world.scenario.seed);
            for p in (shard..world.population.premises()).step_by(shards as usize) {
                if let Some(first) = world.users.switch(p, 1, seed).filter(|s| s.at < horizon) {
                    switches.push(Reverse((first.at, p, 1)));
                }
            }
        }
        UserTraffic { world, shard, submitted: 0, stream_submitted, switches }
    }

    /// Schedules the next switch, if any.
    fn schedule_switch<P: From<TrafficEvent>>(&self, cx: &mut Context<'_, '_, P>) {
        if let Some(Reverse((at, _, _))) = self.switches.peek() {
            cx.schedule(*at, ARRIVAL, shard_entity(self.shard), TrafficEvent::Switch);
        }
    }

    /// Requests submitted so far.
    pub fn submitted(&self) -> u64 {
        self.submitted
    }

    /// The key of traffic stream `stream`'s generator in this shard.
    fn generator(&self, stream: u16) -> u64 {
        (u64::from(stream) << 32) | u64::from(self.shard)
    }

    /// Schedules the next submission of `stream` after `after`, if it falls before
    /// the horizon.
    fn schedule_submission<P: From<TrafficEvent>>(&self, stream: u16, after: SimTime, cx: &mut Context<'_, '_, P>) {
        let s = &self.world.scenario;
        let rate = self.world.stream_rates_per_s[usize::from(stream)] / f64::from(self.world.layout.shards());
        let n = self.stream_submitted[usize::from(stream)];
        let mut rng = cx.rng(self.generator(stream), Purpose::Submission, n);
        let days = &self.world.stream_days[usize::from(stream)];
        let traffic = &s.traffic[usize::from(stream)];
        // A stream with an active period starts at its start (a Poisson process
        // forgets the wait) and stops at its end.
        let (from, until) = traffic.active.unwrap_or((SimTime::ZERO, SimTime::MAX));
        let next = traffic.next_arrival(rate, days, after.max(from), &mut rng);
        if let Some(at) = next.filter(|at| *at < s.horizon && *at < until) {
            cx.schedule(at, ARRIVAL, shard_entity(self.shard), TrafficEvent::Submission(stream));
        }
    }

    /// Schedules the first submission of every stream.
    pub fn start<P: From<TrafficEvent>>(&self, cx: &mut Context<'_, '_, P>) {
        for stream in 0..self.world.scenario.traffic.len() {
            self.schedule_submission(stream as u16, SimTime::ZERO, cx);
        }
        self.schedule_switch(cx);
    }

    /// Handles one event: the request submitted (the next submission of its stream
    /// is scheduled), or a switch's updates (the next switch is scheduled).
    pub fn handle<P: From<TrafficEvent>>(&mut self, event: TrafficEvent, cx: &mut Context<'_, '_, P>) -> Submissions {
        match event {
            TrafficEvent::Submission(stream) => [Some(self.submit(stream, cx)), None],
            TrafficEvent::Switch => self.switch(cx),
        }
    }

    /// The gaining supplier of the next switch (or DCC, through the Non-Gateway
    /// Interface) sends a 6.23 update for each of the premises' meters.
    fn switch<P: From<TrafficEvent>>(&mut self, cx: &mut Context<'_, '_, P>) -> Submissions {
        let Reverse((at, p, number)) = self.switches.pop().expect("a switch was scheduled");
        debug_assert_eq!(at, cx.now());
        let world = self.world.clone();
        let seed = world.scenario.seed;
        let switch = world.users.switch(p, number, seed).expect("premises change supplier");
        if let Some(next) = world.users.switch(p, number + 1, seed).filter(|s| s.at < world.scenario.horizon) {
            self.switches.push(Reverse((next.at, p, next.number)));
        }
        let stream = world.scenario.change_of_supplier.stream.expect("switching has its stream");
        let user = if switch.via_ngi { world.users.ngi_party().expect("switching") } else { switch.to };
        let dual = world.population.kind(p).fuel() == crate::population::Fuel::DualFuel;
        let mut update = || {
            let job = self.job(stream, p, user, cx.now());
            self.stream_submitted[usize::from(stream)] += 1;
            Submitted { job, via_gateway: true }
        };
        let updates = [Some(update()), dual.then(&mut update)];
        self.schedule_switch(cx);
        updates
    }

    /// A new request of `stream` from `user` to premises `p`, submitted at `now`,
    /// executed at once.
    fn job(&mut self, stream: u16, premises: u32, user: u16, now: SimTime) -> ServiceRequestJob {
        let sr_id = self.submitted * u64::from(self.world.layout.shards()) + u64::from(self.shard);
        self.submitted += 1;
        ServiceRequestJob {
            sr_id,
            submitted: now,
            received: now,
            refusals: 0,
            premises,
            stream,
            user,
            signed: false,
            quarantined: false,
            device_rejected: false,
            user_signing_us: 0,
            wan_retries: 0,
            payloads_sent: 0,
            execution: now,
        }
    }

    /// The next request of `stream`.
    fn submit<P: From<TrafficEvent>>(&mut self, stream: u16, cx: &mut Context<'_, '_, P>) -> Submitted {
        let world = self.world.clone();
        let s = &world.scenario;
        let k = self.stream_submitted[usize::from(stream)];
        let mut rng = cx.rng(self.generator(stream), Purpose::Target, k);
        let premises = self.target(stream, &mut rng);
        let traffic = &s.traffic[usize::from(stream)];
        let lead = match traffic.mode {
            Mode::FutureDated => traffic.lead_time.sample(&mut rng),
            _ => SimDuration::ZERO,
        };
        let user = traffic
            .user
            .unwrap_or_else(|| world.users.user_of(traffic.user_role, premises, cx.now(), &world.population, s.seed));
        let mut job = self.job(stream, premises, user, cx.now());
        job.execution = cx.now() + lead;
        let via_gateway = traffic.mode != Mode::Scheduled;
        self.stream_submitted[usize::from(stream)] += 1;
        self.schedule_submission(stream, cx.now(), cx);
        Submitted { job, via_gateway }
    }

    /// A premises the stream may address ([`crate::world::addressable`]), drawn uniformly: by rejection, which
    /// almost always succeeds at once, and when 4,096 draws all miss (the kind is
    /// rare in this population), as the k-th such premises for a uniform k. A stream
    /// with none to address is never scheduled ([`World::build`]).
    fn target(&self, stream: u16, rng: &mut SplitMix64) -> u32 {
        let w = &self.world;
        let traffic = &w.scenario.traffic[usize::from(stream)];
        let addressable = |p: u32| crate::world::addressable(traffic, p, &w.population, &w.users, w.scenario.seed);
        for _ in 0..4096 {
            let p = rng.below(u64::from(w.population.premises())) as u32;
            if addressable(p) {
                return p;
            }
        }
        let k = rng.below(u64::from(w.stream_targets[usize::from(stream)])) as usize;
        (0..w.population.premises())
            .filter(|&p| addressable(p))
            .nth(k)
            .expect("the count of premises a stream may address is exact")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;

    /// A stream of 2 reads a second over an hour: about 7,200 requests, numbered
    /// densely, all submitted before the horizon and through the User Gateway.
    #[test]
    fn a_stream_submits_at_its_rate_until_the_horizon() {
        let world = testkit::world(testkit::scenario(1_000, 2.0));
        type Bench = (UserTraffic, Vec<Submitted>);
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, TrafficEvent>| b.0.start(cx);
        let handle = |b: &mut Bench, e: TrafficEvent, cx: &mut Context<'_, '_, TrafficEvent>| {
            b.1.extend(b.0.handle(e, cx).into_iter().flatten());
        };
        let bench = (UserTraffic::new(world.clone(), 0), Vec::new());
        let (traffic, submitted) = testkit::host(bench, world.streams, start, handle, SimTime::from_secs(7_200));
        let n = submitted.len() as u64;
        assert_eq!(n, traffic.submitted());
        assert!(submitted.iter().enumerate().all(|(i, s)| s.job.sr_id == i as u64 && s.via_gateway));
        assert!(submitted.iter().all(|s| s.job.submitted < world.scenario.horizon));
        // Poisson: five standard deviations of 7,200.
        assert!((n as f64 - 7_200.0).abs() < 5.0 * 7_200f64.sqrt(), "{n} submitted");
    }
}
