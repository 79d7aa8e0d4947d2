//! The User Gateway: where DCC Users' Service Requests enter DCC.
//!
//! Each User may have only so many requests in the gateway at once (its share of
//! `max_concurrent_requests` in this shard); the rest wait in the User's own queue,
//! in arrival order. Admitted requests queue for the gateway's servers, first come
//! first served; a request leaving frees its User's connection for the next one
//! waiting. Leaving is the gateway's one event: a request's time at the servers is
//! known when it enters.

use std::collections::VecDeque;

use sim::{Delay, FcfsStation, SimDuration, SimTime, StationStats};

use crate::context::{COMPLETION, Context};
use crate::layout::premises_entity;
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
}

/// The User Gateway's events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum GatewayEvent {
    /// A request leaves the gateway, accepted.
    Done(ServiceRequestJob),
    /// The User signed a Critical request's Pre-Command and resubmits it.
    PreCommandSigned(ServiceRequestJob),
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
            params,
        }
    }

    /// A request (or a signed Pre-Command) reaches the gateway: it enters if its User
    /// has a free connection here, and otherwise waits in the User's own queue.
    pub fn arrive<P: From<GatewayEvent>>(&mut self, job: ServiceRequestJob, cx: &mut Context<'_, '_, P>) {
        let u = usize::from(job.user);
        if self.open[u] >= self.params.connections_per_user {
            self.waiting[u].push_back((cx.now(), job));
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

    /// Handles one event; returns the request the gateway accepted, for the DSP.
    pub fn handle<P: From<GatewayEvent>>(
        &mut self,
        event: GatewayEvent,
        cx: &mut Context<'_, '_, P>,
    ) -> Option<ServiceRequestJob> {
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
                Some(job)
            }
            GatewayEvent::PreCommandSigned(job) => {
                self.arrive(job, cx);
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

    /// The gateway's figures up to `end`, and how the connection limits held
    /// requests back.
    pub fn finish(&mut self, end: SimTime) -> (StationStats, ConnectionStats) {
        self.stats.close(end);
        (self.stats.clone(), self.connections)
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

    /// User 0 sends five requests at once and user 1 one, into four servers of 1 s
    /// with two connections per User: user 0's third to fifth wait for its own
    /// connections, not for servers, and user 1 is not held back by user 0.
    #[test]
    fn a_user_never_has_more_requests_in_the_gateway_than_its_connections() {
        let params = UserGatewayParams {
            servers: 4,
            service: Delay::Constant { value_s: 1.0 },
            connections_per_user: 2,
            users: 2,
            series_bucket: SimDuration::from_secs(60),
            end: SimTime::from_secs(60),
        };
        let arrivals = vec![request(0, 0), request(1, 0), request(2, 0), request(3, 0), request(4, 0), request(5, 1)];
        let bench = Bench { gateway: UserGateway::new(params), arrivals, accepted: Vec::new() };
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, E>| {
            for (i, job) in b.arrivals.iter().enumerate() {
                cx.schedule(SimTime::ZERO, ARRIVAL, premises_entity(job.premises), E::Arrive(i));
            }
        };
        let handle = |b: &mut Bench, e: E, cx: &mut Context<'_, '_, E>| match e {
            E::Arrive(i) => b.gateway.arrive(b.arrivals[i], cx),
            E::Gateway(e) => {
                if let Some(job) = b.gateway.handle(e, cx) {
                    b.accepted.push((cx.now(), job.user, job.sr_id));
                }
            }
        };
        let mut b = testkit::host(bench, Streams::new(1, 0), start, handle, SimTime::from_secs(60));
        let s = SimTime::from_secs;
        let expected = [(s(1), 0, 0), (s(1), 0, 1), (s(1), 1, 5), (s(2), 0, 2), (s(2), 0, 3), (s(3), 0, 4)];
        assert_eq!(b.accepted, expected);
        let (stats, connections) = b.gateway.finish(s(60));
        assert_eq!(stats.wait_total_us, 0, "nobody waited for a server");
        let waited = ConnectionStats { waited: 3, wait_total_us: 4_000_000, wait_max_us: 2_000_000 };
        assert_eq!(connections, waited);
    }
}
