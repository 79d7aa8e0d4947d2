//! A DSP shard: DCC Users' traffic into the User Gateway, the DSP's processing of
//! requests and responses, and the TRT clock.
//!
//! The shard is one partition. Requests it submits are dealt `sr_id = n × shards +
//! shard`, so the response of every request finds its way back to the shard that
//! holds its in-flight record. Alerts share the shard's DSP servers ([`alerts`]).

mod alerts;

use std::collections::VecDeque;
use std::sync::Arc;

use sim::{Ctx, SimTime, Station, StationStats};

use crate::network::event::{ARRIVAL, COMPLETION, DspWork, NetworkEvent};
use crate::network::layout::{premises_entity, shard_entity};
use crate::network::{Network, streams};
use crate::service_request::{Outcome, ServiceRequestJob, ServiceRequestRecord};

type Ev = NetworkEvent;

/// Requests submitted but not yet answered, in submission order.
///
/// Submissions are numbered densely per shard, so a ring indexed by that number is
/// O(1) per request and iterates in a fixed order at the end.
#[derive(Debug, Default)]
struct InFlight {
    first: u64,
    slots: VecDeque<Option<ServiceRequestJob>>,
}

impl InFlight {
    fn open(&mut self, n: u64, job: ServiceRequestJob) {
        debug_assert_eq!(n, self.first + self.slots.len() as u64);
        self.slots.push_back(Some(job));
    }

    fn close(&mut self, n: u64) -> ServiceRequestJob {
        let slot = &mut self.slots[(n - self.first) as usize];
        let job = slot.take().expect("a request is answered once");
        while let Some(None) = self.slots.front() {
            self.slots.pop_front();
            self.first += 1;
        }
        job
    }

    fn drain(&mut self) -> impl Iterator<Item = ServiceRequestJob> + '_ {
        self.slots.drain(..).flatten()
    }
}

/// A DSP shard partition.
pub struct DspShard {
    network: Arc<Network>,
    shard: u32,
    submitted: u64,
    /// Submissions so far per traffic stream (the counters of their random streams).
    stream_submitted: Vec<u64>,
    user_gateway: Station<ServiceRequestJob>,
    user_gateway_stats: StationStats,
    dsp: Station<DspWork>,
    dsp_stats: StationStats,
    /// What the shard does with alerts.
    alerts: alerts::AlertDesk,
    cos_party: Station<ServiceRequestJob>,
    cos_party_stats: StationStats,
    in_flight: InFlight,
    records: Vec<ServiceRequestRecord>,
    connections: Connections,
}

/// Per-User connection limits at this shard's User Gateway.
#[derive(Debug)]
struct Connections {
    /// Requests each User may have in the gateway at once here.
    limit: u32,
    /// Requests each User has in the gateway now.
    open: Vec<u32>,
    /// Each User's requests waiting for a connection, with their arrival times.
    waiting: Vec<VecDeque<(SimTime, ServiceRequestJob)>>,
    /// Figures of the waits.
    stats: ConnectionStats,
}

impl Connections {
    fn record_wait(&mut self, wait: sim::SimDuration) {
        self.stats.waited += 1;
        self.stats.wait_total_us += u128::from(wait.0);
        self.stats.wait_max_us = self.stats.wait_max_us.max(wait.0);
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
}

impl DspShard {
    /// An idle shard.
    pub fn new(network: Arc<Network>, shard: u32) -> DspShard {
        let s = &network.scenario;
        let mut user_gateway_stats = StationStats::new(s.series_bucket);
        let mut dsp_stats = StationStats::new(s.series_bucket);
        let mut cos_party_stats = StationStats::new(s.series_bucket);
        let stream_submitted = vec![0; s.traffic.len()];
        let users = network.users.count();
        let connections = Connections {
            limit: s.max_concurrent_requests.div_ceil(s.dsp.shards).max(1),
            open: vec![0; users],
            waiting: (0..users).map(|_| VecDeque::new()).collect(),
            stats: ConnectionStats::default(),
        };
        DspShard {
            user_gateway: Station::new(s.user_gateway.servers, &mut user_gateway_stats),
            user_gateway_stats,
            dsp: Station::new(s.dsp.servers, &mut dsp_stats),
            dsp_stats,
            alerts: alerts::AlertDesk::new(s),
            cos_party: Station::new(s.cos_party.servers, &mut cos_party_stats),
            cos_party_stats,
            network,
            shard,
            submitted: 0,
            stream_submitted,
            connections,
            in_flight: InFlight::default(),
            records: Vec::new(),
        }
    }

    /// The key of traffic stream `stream`'s generator in this shard.
    fn generator(&self, stream: u16) -> u64 {
        (u64::from(stream) << 32) | u64::from(self.shard)
    }

    /// Schedules the next submission of `stream` after `after`, if it falls before
    /// the horizon. Each shard carries an equal share of every stream.
    fn schedule_submission(&self, stream: u16, after: SimTime, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let rate = self.network.stream_rates_per_s[usize::from(stream)] / f64::from(self.network.layout.shards());
        let n = self.stream_submitted[usize::from(stream)];
        let mut rng = streams::stream(s, self.generator(stream), streams::SUBMISSION, n);
        let next = s.traffic[usize::from(stream)].next_arrival(rate, after, &mut rng);
        if let Some(at) = next.filter(|at| *at < s.horizon) {
            ctx.schedule(at, ARRIVAL, shard_entity(self.shard), Ev::Submission(stream));
        }
    }

    /// Schedules the first submission of every stream.
    pub fn start(&self, ctx: &mut Ctx<'_, Ev>) {
        for stream in 0..self.network.scenario.traffic.len() {
            self.schedule_submission(stream as u16, SimTime::ZERO, ctx);
        }
    }

    fn submit(&mut self, stream: u16, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let n = self.submitted;
        let sr_id = n * u64::from(self.network.layout.shards()) + u64::from(self.shard);
        let k = self.stream_submitted[usize::from(stream)];
        let mut rng = streams::stream(s, self.generator(stream), streams::TARGET, k);
        let premises = self.target(stream, &mut rng);
        let traffic = &s.traffic[usize::from(stream)];
        let lead = match traffic.mode {
            crate::service_request::Mode::FutureDated => traffic.lead_time.sample(&mut rng),
            _ => sim::SimDuration::ZERO,
        };
        let job = ServiceRequestJob {
            sr_id,
            submitted: ctx.now(),
            premises,
            stream,
            user: self.network.users.user_of(traffic.user_role, premises, &self.network.population, s.seed),
            signed: false,
            user_signing_us: 0,
            wan_retries: 0,
            payloads_sent: 0,
            execution: ctx.now() + lead,
        };
        self.in_flight.open(n, job);
        self.submitted += 1;
        self.stream_submitted[usize::from(stream)] += 1;
        // A DCC Scheduled request is released inside the DSP by its schedule: it never
        // crosses the User Gateway.
        if s.traffic[usize::from(stream)].mode == crate::service_request::Mode::Scheduled {
            self.dsp_arrive(job, false, ctx);
        } else {
            self.gateway_arrive(job, ctx);
        }
        self.schedule_submission(stream, ctx.now(), ctx);
    }

    /// A request (or a signed Pre-Command) reaches the User Gateway: it enters if its
    /// User has a free connection in this shard, and otherwise waits in the User's
    /// own queue.
    fn gateway_arrive(&mut self, job: ServiceRequestJob, ctx: &mut Ctx<'_, Ev>) {
        let u = usize::from(job.user);
        if self.connections.open[u] >= self.connections.limit {
            self.connections.waiting[u].push_back((ctx.now(), job));
            return;
        }
        self.connections.open[u] += 1;
        self.gateway_enter(job, ctx);
    }

    /// A request leaves the User Gateway: its User's next waiting request enters.
    fn gateway_leave(&mut self, job: &ServiceRequestJob, ctx: &mut Ctx<'_, Ev>) {
        let u = usize::from(job.user);
        self.connections.open[u] -= 1;
        if let Some((since, next)) = self.connections.waiting[u].pop_front() {
            self.connections.open[u] += 1;
            self.connections.record_wait(ctx.now() - since);
            self.gateway_enter(next, ctx);
        }
    }

    fn gateway_enter(&mut self, job: ServiceRequestJob, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let pass = u64::from(job.signed);
        let service = s.user_gateway.service.sample(&mut streams::stream(s, job.sr_id, streams::GATEWAY_SERVICE, pass));
        if let Some((job, done)) = self.user_gateway.arrive(ctx.now(), service, job, &mut self.user_gateway_stats) {
            ctx.schedule(done, COMPLETION, premises_entity(job.premises), Ev::GatewayDone(job));
        }
    }

    /// A processed request moves on: rejected if its role may not send it; for a
    /// Critical request not yet signed, its Pre-Command goes back to the User, who
    /// signs and resubmits it; otherwise on to the CSP.
    fn request_processed(&mut self, mut job: ServiceRequestJob, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let stream = &s.traffic[usize::from(job.stream)];
        if !job.signed && !stream.srv().allows(stream.user_role) {
            self.respond(job, ctx.now(), Outcome::Rejected);
        } else if stream.srv().critical && !job.signed {
            let signing = s.user_signing.sample(&mut streams::stream(s, job.sr_id, streams::USER_SIGNING, 0));
            job.signed = true;
            job.user_signing_us = signing.0;
            ctx.schedule(ctx.now() + signing, ARRIVAL, premises_entity(job.premises), Ev::PreCommandSigned(job));
        } else if stream.signed_by_cos_party() && !job.signed {
            // DCC's CoS Party signs the new supplier's credentials (DOMAIN §0).
            let service = s.cos_party.service.sample(&mut streams::stream(s, job.sr_id, streams::COS_SIGNING, 0));
            if let Some((job, done)) = self.cos_party.arrive(ctx.now(), service, job, &mut self.cos_party_stats) {
                ctx.schedule(done, COMPLETION, premises_entity(job.premises), Ev::CosSigned(job));
            }
        } else if job.execution > ctx.now() {
            // Future Dated: the DSP holds the validated request until its execution.
            ctx.schedule(job.execution, ARRIVAL, premises_entity(job.premises), Ev::ExecutionDue(job));
        } else {
            self.network.send_to_csp(job, ctx);
        }
    }

    /// A premises the stream may address, drawn uniformly by rejection. Validation
    /// keeps every stream's acceptable share at 1% or more, so 4,096 draws all
    /// failing has probability below 10^-17.
    fn target(&self, stream: u16, rng: &mut sim::SplitMix64) -> u32 {
        let population = &self.network.population;
        let target = self.network.scenario.traffic[usize::from(stream)].target;
        for _ in 0..4096 {
            let p = rng.below(u64::from(population.premises())) as u32;
            if target.accepts(population.kind(p)) {
                return p;
            }
        }
        panic!("no premises of kind {target:?} found in 4,096 draws")
    }

    fn dsp_arrive(&mut self, job: ServiceRequestJob, response: bool, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let (delay, purpose) = if response {
            (&s.dsp.response_processing, streams::DSP_RESPONSE)
        } else {
            (&s.dsp.request_processing, streams::DSP_REQUEST)
        };
        // A signed Pre-Command is processed again: its own draw.
        let pass = u64::from(job.signed && !response);
        let service = delay.sample(&mut streams::stream(s, job.sr_id, purpose, pass));
        let work = if response { DspWork::Response(job) } else { DspWork::Request(job) };
        self.dsp_work(work, service, ctx);
    }

    /// Work joins the DSP's servers.
    fn dsp_work(&mut self, work: DspWork, service: sim::SimDuration, ctx: &mut Ctx<'_, Ev>) {
        if let Some(started) = self.dsp.arrive(ctx.now(), service, work, &mut self.dsp_stats) {
            schedule_dsp_done(started, ctx);
        }
    }

    /// Sends the Service Response (or an error response): the request ends.
    fn respond(&mut self, job: ServiceRequestJob, now: SimTime, outcome: Outcome) {
        let n = job.sr_id / u64::from(self.network.layout.shards());
        self.in_flight.close(n);
        let record = self.record(job, Some(now), outcome);
        self.records.push(record);
    }

    fn record(&self, job: ServiceRequestJob, responded: Option<SimTime>, outcome: Outcome) -> ServiceRequestRecord {
        let stream = &self.network.scenario.traffic[usize::from(job.stream)];
        let srv = stream.srv();
        ServiceRequestRecord {
            sr_id: job.sr_id,
            srv: srv.srv.as_str(),
            user_role: stream.user_role,
            user: job.user,
            mode: stream.mode,
            critical: srv.critical,
            premises: job.premises,
            region: self.network.population.region_of(job.premises),
            submitted: job.submitted,
            responded,
            target: self.network.scenario.target_response_time(stream),
            user_signing: sim::SimDuration(job.user_signing_us),
            execution: (stream.mode == crate::service_request::Mode::FutureDated).then_some(job.execution),
            outcome,
        }
    }

    /// Handles one event.
    pub fn handle(&mut self, event: Ev, ctx: &mut Ctx<'_, Ev>) {
        let now = ctx.now();
        match event {
            Ev::Submission(stream) => self.submit(stream, ctx),
            Ev::GatewayDone(job) => {
                if let Some((next, done)) = self.user_gateway.complete(now, &mut self.user_gateway_stats) {
                    ctx.schedule(done, COMPLETION, premises_entity(next.premises), Ev::GatewayDone(next));
                }
                self.gateway_leave(&job, ctx);
                self.dsp_arrive(job, false, ctx);
            }
            Ev::DspDone(work) => {
                if let Some(started) = self.dsp.complete(now, &mut self.dsp_stats) {
                    schedule_dsp_done(started, ctx);
                }
                match work {
                    DspWork::Response(job) => {
                        let outcome = if job.failed() { Outcome::Failed } else { Outcome::Responded };
                        self.respond(job, now, outcome);
                    }
                    DspWork::Request(job) => self.request_processed(job, ctx),
                    DspWork::Alert(alert) => self.alert_processed(alert, ctx),
                    DspWork::OutageEvent(event) => self.outage_event_processed(event, ctx),
                    DspWork::DeviceAlert(job) => self.device_alert_processed(job, ctx),
                }
            }
            Ev::AlertAtDsp(alert) => self.alert_at_dsp(alert, ctx),
            Ev::EventWindowClosed(region, window) => self.event_window_closed(region, window, ctx),
            Ev::AlertDelivered(delivery) => self.alert_delivered(delivery, ctx),
            Ev::DeviceAlertAtDsp(job) => self.device_alert_at_dsp(job, ctx),
            Ev::PreCommandSigned(job) => self.gateway_arrive(job, ctx),
            Ev::ExecutionDue(job) => self.network.send_to_csp(job, ctx),
            Ev::CosSigned(mut job) => {
                if let Some((next, done)) = self.cos_party.complete(now, &mut self.cos_party_stats) {
                    ctx.schedule(done, COMPLETION, premises_entity(next.premises), Ev::CosSigned(next));
                }
                job.signed = true;
                self.request_processed(job, ctx);
            }
            Ev::ResponseAtDsp(job) => self.dsp_arrive(job, true, ctx),
            other => unreachable!("DSP shard {} got a CSP event {other:?}", self.shard),
        }
    }

    /// Ends the run at `end`: open requests become `unfinished` records.
    pub fn finish(&mut self, end: SimTime) -> ShardResult {
        let open: Vec<ServiceRequestJob> = self.in_flight.drain().collect();
        for job in open {
            let record = self.record(job, None, Outcome::Unfinished);
            self.records.push(record);
        }
        ShardResult {
            connections: self.connections.stats,
            submitted: self.submitted,
            records: std::mem::take(&mut self.records),
            user_gateway: closed(&mut self.user_gateway_stats, end),
            dsp: closed(&mut self.dsp_stats, end),
            cos_party: closed(&mut self.cos_party_stats, end),
            alert_delivery: closed(&mut self.alerts.delivery_stats, end),
            alert_records: std::mem::take(&mut self.alerts.records),
            device_alerts: std::mem::take(&mut self.alerts.device),
        }
    }
}

fn closed(stats: &mut StationStats, end: SimTime) -> StationStats {
    stats.close(end);
    stats.clone()
}

fn schedule_dsp_done((work, done): (DspWork, SimTime), ctx: &mut Ctx<'_, Ev>) {
    let entity = match work {
        DspWork::Request(job) | DspWork::Response(job) => premises_entity(job.premises),
        DspWork::Alert(alert) => premises_entity(alert.premises),
        DspWork::OutageEvent(_) => shard_entity_of_event(),
        DspWork::DeviceAlert(job) => crate::network::layout::cell_entity(job.cell),
    };
    ctx.schedule(done, COMPLETION, entity, Ev::DspDone(work));
}

/// CSP power outage events are handled by the shard that aggregates them; their
/// events order after every premises' at the same instant.
fn shard_entity_of_event() -> sim::EntityId {
    sim::EntityId(u64::from(u32::MAX))
}

/// What a shard hands back at the end of a run.
pub struct ShardResult {
    /// How Users' connection limits held requests back.
    pub connections: ConnectionStats,
    /// Requests submitted.
    pub submitted: u64,
    /// One record per submitted request.
    pub records: Vec<ServiceRequestRecord>,
    /// The shard's User Gateway figures.
    pub user_gateway: StationStats,
    /// The shard's DSP figures.
    pub dsp: StationStats,
    /// The shard's CoS Party figures.
    pub cos_party: StationStats,
    /// The shard's alert delivery figures.
    pub alert_delivery: StationStats,
    /// Alert copies that ended here.
    pub alert_records: Vec<crate::alert::AlertRecord>,
    /// Routine device alerts delivered here.
    pub device_alerts: crate::alert::DeviceAlertStats,
}
