//! The User Gateway: where DCC Users' Service Requests enter DCC.
//!
//! Each User may have only so many requests in the gateway at once (its share of
//! `max_concurrent_requests` in this shard); the rest wait in the User's own queue,
//! in arrival order. Admitted requests queue for the gateway's servers, first come
//! first served; a request leaving frees its User's connection for the next one
//! waiting. Leaving is the gateway's one event: a request's time at the servers is
//! known when it enters.
//!
//! While a `[[user_gateway.downtime]]` window is open the gateway takes no new
//! request: its User holds it to the window's end, retries it with backoff, or has
//! it rejected ([`crate::scenario::downtime`]).

use std::collections::VecDeque;

use sim::{Delay, FcfsStation, SimDuration, SimTime, StationStats};

use crate::context::{ARRIVAL, COMPLETION, Context};
use crate::layout::premises_entity;
use crate::scenario::downtime::{Downtime, RetryPolicy, WhileDown};
use crate::scenario::suspensions::SuspensionSpec;
use crate::service_request::Refusal;
use crate::service_request::ServiceRequestJob;
use crate::streams::Purpose;

/// The settings of one shard's User Gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct UserGatewayParams {
    /// Servers.
    pub servers: u32,
    /// Service time per request.
    pub service: Delay,
    /// Requests each User may have in this gateway at once.
    pub connections_per_user: u32,
    /// DCC Users.
    pub users: usize,
    /// Time-series bucket width of the figures.
    pub series_bucket: SimDuration,
    /// The latest time the run can reach.
    pub end: SimTime,
    /// When the gateway is down.
    pub downtime: Downtime,
    /// How Users retry through an unplanned window.
    pub retry: RetryPolicy,
    /// DCC Users suspended, and when.
    pub suspensions: Vec<SuspensionSpec>,
    /// Users' allocations, if DCC throttles them.
    pub throttle: Option<Throttle>,
}

/// Per-User allocations (SECMP0067, DOMAIN §3): in this shard, each User's
/// requests are let in no closer together than `interval` (its allocation's
/// share of the shard); one that would wait longer than `max_hold` is rejected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throttle {
    /// The least time between two of a User's requests in this shard.
    pub interval: SimDuration,
    /// The longest a request is held back before it is rejected instead.
    pub max_hold: SimDuration,
}

/// What throttling did, all Users together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThrottleStats {
    /// Requests held back to their User's allocation.
    pub held: u64,
    /// Sum of those holds, µs.
    pub hold_total_us: u128,
    /// Longest hold, µs.
    pub hold_max_us: u64,
    /// Requests rejected: they would have waited too long.
    pub rejected: u64,
}

impl ThrottleStats {
    /// Adds another shard's figures.
    pub fn merge(&mut self, other: &ThrottleStats) {
        self.held += other.held;
        self.hold_total_us += other.hold_total_us;
        self.hold_max_us = self.hold_max_us.max(other.hold_max_us);
        self.rejected += other.rejected;
    }
}

/// The User Gateway's events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GatewayEvent {
    /// A request leaves the gateway, accepted.
    Done(ServiceRequestJob),
    /// The User signed a Critical request's Pre-Command and resubmits it.
    PreCommandSigned(ServiceRequestJob),
    /// A User sends again a request the closed gateway did not take: held to the
    /// window's end, or retried after a backoff.
    SentAgain(ServiceRequestJob),
    /// A request held back to its User's allocation is let in.
    LetIn(ServiceRequestJob),
}

/// What leaves the gateway.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GatewayExit {
    /// Accepted: on to the DSP.
    Accepted(ServiceRequestJob),
    /// Refused for good, and why: the gateway was down (rejected there, or given
    /// up by its User after the last attempt), or its User was suspended.
    Refused(ServiceRequestJob, Refusal),
}

/// What the closed gateway turned away, all windows together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DowntimeStats {
    /// Attempts refused (each retry counts).
    pub refused_attempts: u64,
    /// Requests held by their Users to a planned window's end (each time held).
    pub held: u64,
    /// Requests that ended refused.
    pub refused: u64,
}

impl DowntimeStats {
    /// Adds another shard's figures.
    pub fn merge(&mut self, other: &DowntimeStats) {
        self.refused_attempts += other.refused_attempts;
        self.held += other.held;
        self.refused += other.refused;
    }
}

/// How often Users' connection limits held requests back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnectionStats {
    /// Requests that waited for one of their User's connections.
    pub waited: u64,
    /// Sum of those waits, µs.
    pub wait_total_us: u128,
    /// Longest wait, µs.
    pub wait_max_us: u64,
}

impl ConnectionStats {
    /// Adds another shard's figures.
    pub fn merge(&mut self, other: &ConnectionStats) {
        self.waited += other.waited;
        self.wait_total_us += other.wait_total_us;
        self.wait_max_us = self.wait_max_us.max(other.wait_max_us);
    }

    fn record_wait(&mut self, wait: SimDuration) {
        self.waited += 1;
        self.wait_total_us += u128::from(wait.0);
        self.wait_max_us = self.wait_max_us.max(wait.0);
    }
}

/// One shard's User Gateway.
pub struct UserGateway {
    params: UserGatewayParams,
    servers: FcfsStation,
    stats: StationStats,
    /// Requests each User has in the gateway now.
    open: Vec<u32>,
    /// Each User's requests waiting for a connection, with their arrival times.
    waiting: Vec<VecDeque<(SimTime, ServiceRequestJob)>>,
    connections: ConnectionStats,
    downtime: DowntimeStats,
    /// Each User's earliest time for its next request under its allocation.
    next_allowed: Vec<SimTime>,
    throttled: ThrottleStats,
}

impl UserGateway {
    /// An idle gateway.
    pub fn new(params: UserGatewayParams) -> UserGateway {
        let mut stats = StationStats::new(params.series_bucket);
        UserGateway {
            servers: FcfsStation::new(params.servers, params.end, &mut stats),
            stats,
            open: vec![0; params.users],
            waiting: (0..params.users).map(|_| VecDeque::new()).collect(),
            connections: ConnectionStats::default(),
            downtime: DowntimeStats::default(),
            next_allowed: vec![SimTime::ZERO; if params.throttle.is_some() { params.users } else { 0 }],
            throttled: ThrottleStats::default(),
            params,
        }
    }

    /// A request (or a signed Pre-Command) reaches the gateway. A suspended User's
    /// is refused for good; if the gateway is down, its User holds it, or retries it
    /// later, or it is refused for good (returned, with why). Otherwise it is
    /// received: it enters if its User has a free connection here, and otherwise
    /// waits in the User's own queue.
    pub fn arrive<P: From<GatewayEvent>>(
        &mut self,
        mut job: ServiceRequestJob,
        cx: &mut Context<'_, '_, P>,
    ) -> Option<(ServiceRequestJob, Refusal)> {
        let now = cx.now();
        if self.params.suspensions.iter().any(|s| s.holds(job.user, now)) {
            job.refusals = job.refusals.saturating_add(1);
            return Some((job, Refusal::UserSuspended));
        }
        if let Some(w) = self.params.downtime.open_at(now) {
            let window = self.params.downtime.windows()[w];
            let again = match window.while_down {
                WhileDown::Hold => {
                    self.downtime.held += 1;
                    Some(window.end)
                }
                WhileDown::Reject => {
                    job.refusals = job.refusals.saturating_add(1);
                    self.downtime.refused_attempts += 1;
                    None
                }
                WhileDown::Retry => {
                    job.refusals = job.refusals.saturating_add(1);
                    self.downtime.refused_attempts += 1;
                    (job.refusals < self.params.retry.attempts).then(|| {
                        let draw = (u64::from(job.signed) << 8) | u64::from(job.refusals);
                        now + self
                            .params
                            .retry
                            .wait_after(job.refusals, &mut cx.rng(job.sr_id, Purpose::UserRetry, draw))
                    })
                }
            };
            return match again {
                Some(at) => {
                    cx.schedule(at, ARRIVAL, premises_entity(job.premises), GatewayEvent::SentAgain(job));
                    None
                }
                None => {
                    self.downtime.refused += 1;
                    Some((job, Refusal::GatewayDown))
                }
            };
        }
        if !job.signed {
            job.received = now;
            // Over its allocation, a User's request is held back, or rejected if
            // it would wait too long. A signed Pre-Command is not counted again.
            if let Some(throttle) = self.params.throttle {
                let u = usize::from(job.user);
                let start = self.next_allowed[u].max(now);
                let hold = start - now;
                if hold > throttle.max_hold {
                    self.throttled.rejected += 1;
                    return Some((job, Refusal::Throttled));
                }
                self.next_allowed[u] = start + throttle.interval;
                if hold > SimDuration::ZERO {
                    self.throttled.held += 1;
                    self.throttled.hold_total_us += u128::from(hold.0);
                    self.throttled.hold_max_us = self.throttled.hold_max_us.max(hold.0);
                    cx.schedule(start, ARRIVAL, premises_entity(job.premises), GatewayEvent::LetIn(job));
                    return None;
                }
            }
        }
        self.admit(job, cx);
        None
    }

    /// A received request enters if its User has a free connection here, and
    /// otherwise waits in the User's own queue.
    fn admit<P: From<GatewayEvent>>(&mut self, job: ServiceRequestJob, cx: &mut Context<'_, '_, P>) {
        let now = cx.now();
        let u = usize::from(job.user);
        if self.open[u] >= self.params.connections_per_user {
            self.waiting[u].push_back((now, job));
            return;
        }
        self.open[u] += 1;
        self.enter(job, cx);
    }

    fn enter<P: From<GatewayEvent>>(&mut self, job: ServiceRequestJob, cx: &mut Context<'_, '_, P>) {
        // A signed Pre-Command passes again: its own draw.
        let pass = u64::from(job.signed);
        let service = self.params.service.sample(&mut cx.rng(job.sr_id, Purpose::GatewayService, pass));
        let done = self.servers.admit(cx.now(), service, &mut self.stats).done;
        cx.schedule(done, COMPLETION, premises_entity(job.premises), GatewayEvent::Done(job));
    }

    /// Handles one event; returns what left the gateway: a request accepted, for
    /// the DSP, or one refused for good.
    pub fn handle<P: From<GatewayEvent>>(
        &mut self,
        event: GatewayEvent,
        cx: &mut Context<'_, '_, P>,
    ) -> Option<GatewayExit> {
        match event {
            GatewayEvent::Done(job) => {
                // The request leaves: its User's next waiting request enters.
                let u = usize::from(job.user);
                self.open[u] -= 1;
                if let Some((since, next)) = self.waiting[u].pop_front() {
                    self.open[u] += 1;
                    self.connections.record_wait(cx.now() - since);
                    self.enter(next, cx);
                }
                Some(GatewayExit::Accepted(job))
            }
            GatewayEvent::PreCommandSigned(job) | GatewayEvent::SentAgain(job) => {
                self.arrive(job, cx).map(|(job, why)| GatewayExit::Refused(job, why))
            }
            GatewayEvent::LetIn(job) => {
                self.admit(job, cx);
                None
            }
        }
    }

    /// The gateway's figures so far.
    pub fn stats_mut(&mut self) -> &mut StationStats {
        &mut self.stats
    }

    /// The latest time a request leaves (time zero if none).
    pub fn last_completion(&self) -> SimTime {
        self.stats.last_completion
    }

    /// The gateway's figures up to `end`, how the connection limits held requests
    /// back, and what the closed gateway turned away.
    pub fn finish(&mut self, end: SimTime) -> (StationStats, ConnectionStats, DowntimeStats, ThrottleStats) {
        self.stats.close(end);
        (self.stats.clone(), self.connections, self.downtime, self.throttled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::ARRIVAL;
    use crate::streams::Streams;
    use crate::testkit;

    struct Bench {
        gateway: UserGateway,
        arrivals: Vec<ServiceRequestJob>,
        accepted: Vec<(SimTime, u16, u64)>,
        refused: Vec<(SimTime, ServiceRequestJob)>,
        /// Refusals of the requests accepted in the end.
        accepted_refusals: u64,
    }

    #[derive(Debug)]
    enum E {
        Arrive(usize),
        Gateway(GatewayEvent),
    }

    impl From<GatewayEvent> for E {
        fn from(e: GatewayEvent) -> E {
            E::Gateway(e)
        }
    }

    fn request(sr_id: u64, user: u16) -> ServiceRequestJob {
        crate::testkit::job(sr_id, sr_id as u32, user, SimTime::ZERO)
    }

    /// Users retry after 10 s, then 20, 40, capped at 40, jittered; 4 attempts.
    const RETRY: RetryPolicy = RetryPolicy {
        first: SimDuration::from_secs(10),
        multiplier: 2.0,
        max_wait: SimDuration::from_secs(40),
        attempts: 4,
    };

    /// The bench's handler: arrivals go to the gateway; what leaves it is logged,
    /// accepted requests with their time, User and id, refused ones apart.
    fn handle(b: &mut Bench, e: E, cx: &mut Context<'_, '_, E>) {
        let exit = match e {
            E::Arrive(i) => b.gateway.arrive(b.arrivals[i], cx).map(|(job, why)| GatewayExit::Refused(job, why)),
            E::Gateway(e) => b.gateway.handle(e, cx),
        };
        match exit {
            Some(GatewayExit::Accepted(job)) => {
                b.accepted.push((cx.now(), job.user, job.sr_id));
                b.accepted_refusals += u64::from(job.refusals);
            }
            Some(GatewayExit::Refused(job, _)) => b.refused.push((cx.now(), job)),
            None => {}
        }
    }

    /// A gateway of 100 servers of 1 s (no queueing) down over [100, 400) s as
    /// `while_down` says; one request from each of 10 Users every 50 s from 0 to
    /// 450 s. Returns the bench after 2,000 s.
    fn through_a_window(while_down: WhileDown) -> Bench {
        let window = crate::scenario::downtime::DowntimeSpec {
            kind: crate::scenario::downtime::DowntimeKind::Unplanned,
            start: SimTime::from_secs(100),
            duration: SimDuration::from_secs(300),
            every: SimDuration::ZERO,
            users: Some(while_down),
        };
        let params = UserGatewayParams {
            servers: 100,
            service: Delay::Constant { value_s: 1.0 },
            connections_per_user: 100,
            users: 10,
            series_bucket: SimDuration::from_secs(60),
            end: SimTime::from_secs(2_000),
            downtime: Downtime::expand(&[window], SimTime::from_secs(1_000)).unwrap(),
            retry: RETRY,
            suspensions: Vec::new(),
            throttle: None,
        };
        let arrivals: Vec<ServiceRequestJob> = (0..100u64)
            .map(|i| crate::testkit::job(i, i as u32, (i % 10) as u16, SimTime::from_secs(50 * (i / 10))))
            .collect();
        let bench = Bench {
            gateway: UserGateway::new(params),
            arrivals,
            accepted: Vec::new(),
            refused: Vec::new(),
            accepted_refusals: 0,
        };
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, E>| {
            for (i, job) in b.arrivals.iter().enumerate() {
                cx.schedule(job.submitted, ARRIVAL, premises_entity(job.premises), E::Arrive(i));
            }
        };
        testkit::host(bench, Streams::new(1, 0), start, handle, SimTime::from_secs(2_000))
    }

    /// Held: the 60 requests sent while the gateway is down (at 100 to 350 s) all
    /// enter as it opens at 400 s, with the 10 sent then; none is refused, and
    /// every request leaves once.
    #[test]
    fn users_hold_requests_to_the_end_of_a_planned_window() {
        let mut b = through_a_window(WhileDown::Hold);
        assert_eq!(b.accepted.len(), 100, "every request leaves once");
        assert!(b.refused.is_empty());
        let at_401 = b.accepted.iter().filter(|a| a.0 == SimTime::from_secs(401)).count();
        assert_eq!(at_401, 70, "the held backlog enters as the window closes");
        assert!(b.accepted.iter().all(|a| !(SimTime::from_secs(101)..SimTime::from_secs(401)).contains(&a.0)));
        let (_, _, stats, _) = b.gateway.finish(SimTime::from_secs(2_000));
        assert_eq!(stats, DowntimeStats { refused_attempts: 0, held: 60, refused: 0 });
    }

    /// Rejected: the 60 requests sent while it is down are refused at once, each
    /// after one attempt; the other 40 leave accepted.
    #[test]
    fn a_rejecting_window_refuses_what_arrives_in_it() {
        let mut b = through_a_window(WhileDown::Reject);
        assert_eq!((b.accepted.len(), b.refused.len()), (40, 60));
        assert!(b.refused.iter().all(|(at, job)| *at == job.submitted && job.refusals == 1));
        let (_, _, stats, _) = b.gateway.finish(SimTime::from_secs(2_000));
        assert_eq!(stats, DowntimeStats { refused_attempts: 60, held: 0, refused: 60 });
    }

    /// Retried: each request sent in the window is tried again after a jittered
    /// backoff. Its 4 attempts span 35 to 70 s (waits of ½ to 1 of 10, 20 and 40
    /// s), so those sent by 300 s run out inside the window and end refused, and
    /// those sent at 350 s end either way. Every request ends once, none gets in
    /// while the window is open, and refusals add up.
    #[test]
    fn users_retry_with_backoff_and_give_up_after_the_last_attempt() {
        let mut b = through_a_window(WhileDown::Retry);
        assert_eq!(b.accepted.len() + b.refused.len(), 100, "every request ends once");
        assert!(b.refused.iter().all(|(_, job)| job.refusals == RETRY.attempts));
        assert!((50..=60).contains(&b.refused.len()), "{} refused", b.refused.len());
        let sent_early = |job: &ServiceRequestJob| (100..=300).contains(&(job.submitted.as_secs_f64() as u64));
        assert_eq!(b.refused.iter().filter(|(_, job)| sent_early(job)).count(), 50);
        assert!(b.accepted.iter().all(|a| !(SimTime::from_secs(101)..SimTime::from_secs(401)).contains(&a.0)));
        let (_, _, stats, _) = b.gateway.finish(SimTime::from_secs(2_000));
        let refusals: u64 = b.refused.iter().map(|(_, j)| u64::from(j.refusals)).sum();
        assert_eq!(stats.refused, b.refused.len() as u64);
        assert_eq!(stats.refused_attempts, refusals + b.accepted_refusals, "every refusal counted once");
    }

    /// User 0 sends five requests at once and user 1 one, through a gateway of
    /// `servers` servers of 1 s with `connections` per User and `throttle`: the
    /// bench after 60 s.
    fn five_and_one(servers: u32, connections: u32, throttle: Option<Throttle>) -> Bench {
        let params = UserGatewayParams {
            servers,
            service: Delay::Constant { value_s: 1.0 },
            connections_per_user: connections,
            users: 2,
            series_bucket: SimDuration::from_secs(60),
            end: SimTime::from_secs(60),
            downtime: Downtime::default(),
            retry: RETRY,
            suspensions: Vec::new(),
            throttle,
        };
        let arrivals = vec![request(0, 0), request(1, 0), request(2, 0), request(3, 0), request(4, 0), request(5, 1)];
        let bench = Bench {
            gateway: UserGateway::new(params),
            arrivals,
            accepted: Vec::new(),
            refused: Vec::new(),
            accepted_refusals: 0,
        };
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, E>| {
            for (i, job) in b.arrivals.iter().enumerate() {
                cx.schedule(SimTime::ZERO, ARRIVAL, premises_entity(job.premises), E::Arrive(i));
            }
        };
        testkit::host(bench, Streams::new(1, 0), start, handle, SimTime::from_secs(60))
    }

    /// Into four servers with two connections per User: user 0's third to fifth
    /// wait for its own connections, not for servers, and user 1 is not held back
    /// by user 0.
    #[test]
    fn a_user_never_has_more_requests_in_the_gateway_than_its_connections() {
        let mut b = five_and_one(4, 2, None);
        let s = SimTime::from_secs;
        let expected = [(s(1), 0, 0), (s(1), 0, 1), (s(1), 1, 5), (s(2), 0, 2), (s(2), 0, 3), (s(3), 0, 4)];
        assert_eq!(b.accepted, expected);
        let (stats, connections, _, _) = b.gateway.finish(s(60));
        assert_eq!(stats.wait_total_us, 0, "nobody waited for a server");
        let waited = ConnectionStats { waited: 3, wait_total_us: 4_000_000, wait_max_us: 2_000_000 };
        assert_eq!(connections, waited);
    }

    /// Throttling at 1 request per 2 s with holds of at most 5 s, ten servers and
    /// connections: user 0's are let in at 0, 2 and 4 s; its fourth and fifth would
    /// wait 6 s and are rejected, and user 1 is not held back.
    #[test]
    fn a_user_over_its_allocation_is_held_back_then_rejected() {
        let throttle = Throttle { interval: SimDuration::from_secs(2), max_hold: SimDuration::from_secs(5) };
        let mut b = five_and_one(10, 10, Some(throttle));
        let s = SimTime::from_secs;
        assert_eq!(b.accepted, [(s(1), 0, 0), (s(1), 1, 5), (s(3), 0, 1), (s(5), 0, 2)]);
        let refused: Vec<u64> = b
            .refused
            .iter()
            .map(|(at, job)| {
                assert_eq!(*at, SimTime::ZERO, "rejected at once");
                job.sr_id
            })
            .collect();
        assert_eq!(refused, [3, 4]);
        let (_, _, _, stats) = b.gateway.finish(s(60));
        let expected = ThrottleStats { held: 2, hold_total_us: 6_000_000, hold_max_us: 4_000_000, rejected: 2 };
        assert_eq!(stats, expected);
    }
}
