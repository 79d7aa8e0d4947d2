//! The Data Service Provider: it validates and transforms Users' requests, holds
//! Future Dated ones to their execution, turns devices' responses into Service
//! Responses and stops the TRT clock.
//!
//! One DSP per shard. Its servers are shared by requests, responses and alerts (the
//! alert router hands its work in as [`DspWork::Alert`]), first come first served.
//! A piece of work's time at the servers is known when it arrives, so the DSP acts
//! on it at once, for the time it will be done: it sends a command on to the CSP,
//! answers a response, or schedules what another part of its shard must do then.
//! That comes back from [`Dsp::handle`] as a [`DspHandoff`].

mod ledger;

use std::sync::Arc;

use sim::{Delay, FcfsStation, SimDuration, SimTime, StationStats};

use crate::alert::router::AlertWork;
use crate::context::{ARRIVAL, COMPLETION, Context};
use crate::layout::premises_entity;
use crate::service_request::{Mode, Outcome, Refusal, ServiceRequestJob, ServiceRequestRecord};
use crate::streams::Purpose;
use crate::user_gateway::GatewayEvent;
use crate::wan_gateway::{CommandToCsp, command_to_csp};
use crate::world::World;

pub use crate::user_gateway::ConnectionStats;

/// The settings of one shard's DSP.
#[derive(Debug, Clone, PartialEq)]
pub struct DspParams {
    /// Servers.
    pub servers: u32,
    /// Time to validate and transform a request (or verify a signed Pre-Command).
    pub request_processing: Delay,
    /// Time to turn a device's response into a Service Response.
    pub response_processing: Delay,
    /// Time-series bucket width of the figures.
    pub series_bucket: SimDuration,
    /// The latest time the run can reach.
    pub end: SimTime,
}

impl DspParams {
    /// The DSP the world's scenario describes.
    pub fn of(world: &World) -> DspParams {
        let s = &world.scenario;
        DspParams {
            servers: s.dsp.servers,
            request_processing: s.dsp.request_processing,
            response_processing: s.dsp.response_processing,
            series_bucket: s.series_bucket,
            end: s.run_end(),
        }
    }
}

/// Work for the DSP's servers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DspWork {
    /// Validate and transform a request (or verify a signed Pre-Command).
    Request(ServiceRequestJob),
    /// Process a device's response into a Service Response.
    Response(ServiceRequestJob),
    /// Process an alert, a CSP power outage event or a routine device alert.
    Alert(AlertWork),
}

/// The DSP's events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DspEvent {
    /// Work the servers finished goes on to another part of the shard.
    HandOff(DspHandoff),
    /// A Future Dated request's execution date-time: the DSP releases it.
    ExecutionDue(ServiceRequestJob),
    /// A device's response (or a failed delivery) reached the DSP from the WAN.
    ResponseAtDsp(ServiceRequestJob),
}

/// What the DSP passes to another part of its shard.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DspHandoff {
    /// A Change of Supplier update for the CoS Party to sign.
    CosParty(ServiceRequestJob),
    /// Processed alert work, back to the alert router.
    Alert(AlertWork),
    /// A command for a SMETS1 device, for the SMETS1 service providers.
    Smets1(ServiceRequestJob),
}

/// What the DSP's work may lead to: its own events, a Pre-Command back to the User
/// through the gateway and commands to the CSPs.
pub trait DspPayload: From<DspEvent> + From<GatewayEvent> + From<CommandToCsp> {}
impl<P: From<DspEvent> + From<GatewayEvent> + From<CommandToCsp>> DspPayload for P {}

/// One shard's DSP.
pub struct Dsp {
    world: Arc<World>,
    params: DspParams,
    servers: FcfsStation,
    stats: StationStats,
    in_flight: ledger::InFlight,
    /// Records of requests answered, by when they were answered; some may be
    /// answered after the time now.
    records: Vec<ServiceRequestRecord>,
}

impl Dsp {
    /// An idle DSP.
    pub fn new(world: Arc<World>, params: DspParams) -> Dsp {
        let mut stats = StationStats::new(params.series_bucket);
        Dsp {
            servers: FcfsStation::new(params.servers, params.end, &mut stats),
            stats,
            params,
            world,
            in_flight: ledger::InFlight::default(),
            records: Vec::new(),
        }
    }

    /// A request was submitted: its TRT clock is running.
    pub fn open(&mut self, job: ServiceRequestJob) {
        self.in_flight.open(self.submission_number(&job), job);
    }

    fn submission_number(&self, job: &ServiceRequestJob) -> u64 {
        job.sr_id / u64::from(self.world.layout.shards())
    }

    /// A request (from the User Gateway, or a DCC Scheduled one) arrives.
    pub fn request_arrives<P: DspPayload>(&mut self, job: ServiceRequestJob, cx: &mut Context<'_, '_, P>) {
        // A signed Pre-Command is processed again: its own draw.
        let pass = u64::from(job.signed);
        let service = self.params.request_processing.sample(&mut cx.rng(job.sr_id, Purpose::DspRequest, pass));
        self.work(DspWork::Request(job), service, cx);
    }

    /// Work joins the servers, and what follows it is set in train for the time
    /// they finish it.
    pub fn work<P: DspPayload>(&mut self, work: DspWork, service: SimDuration, cx: &mut Context<'_, '_, P>) {
        let done = self.servers.admit(cx.now(), service, &mut self.stats).done;
        match work {
            DspWork::Response(job) => {
                let outcome = match (job.failed(), job.device_rejected) {
                    (true, _) => Outcome::Failed,
                    (false, true) => Outcome::DeviceRejected,
                    (false, false) => Outcome::Responded,
                };
                self.respond(job, done, outcome);
            }
            DspWork::Request(job) => self.request_processed(job, done, cx),
            DspWork::Alert(work) => {
                cx.schedule(done, COMPLETION, work.entity(), DspEvent::HandOff(DspHandoff::Alert(work)));
            }
        }
    }

    /// Handles one event.
    pub fn handle<P: DspPayload>(&mut self, event: DspEvent, cx: &mut Context<'_, '_, P>) -> Option<DspHandoff> {
        match event {
            DspEvent::HandOff(handoff) => Some(handoff),
            DspEvent::ExecutionDue(job) => {
                self.to_device(job, cx.now(), cx);
                None
            }
            DspEvent::ResponseAtDsp(job) => {
                let service = self.params.response_processing.sample(&mut cx.rng(job.sr_id, Purpose::DspResponse, 0));
                self.work(DspWork::Response(job), service, cx);
                None
            }
        }
    }

    /// A request processed by `at` (at or after now) moves on then: rejected if its
    /// role may not send it; for a Critical request not yet signed, its Pre-Command
    /// goes back to the User, who signs and resubmits it; a Change of Supplier update
    /// to the CoS Party; a Future Dated one waits for its execution; a non-device one
    /// is answered; otherwise on to the CSP.
    pub fn request_processed<P: DspPayload>(
        &mut self,
        mut job: ServiceRequestJob,
        at: SimTime,
        cx: &mut Context<'_, '_, P>,
    ) {
        let s = &self.world.scenario;
        let stream = &s.traffic[usize::from(job.stream)];
        let srv = stream.srv();
        let entity = premises_entity(job.premises);
        let smets1_cannot = self.via_smets1(&job) && !s.smets1_service.carries(&srv.srv);
        if !job.signed && (!srv.allows(stream.user_role) || smets1_cannot) {
            self.respond(job, at, Outcome::Rejected);
        } else if srv.critical && !job.signed {
            let signing = s.users.signing_time.sample(&mut cx.rng(job.sr_id, Purpose::UserSigning, 0));
            job.signed = true;
            job.user_signing_us = signing.0;
            cx.schedule(at + signing, ARRIVAL, entity, GatewayEvent::PreCommandSigned(job));
        } else if stream.signed_by_cos_party() && !job.signed {
            // DCC's CoS Party signs the new supplier's credentials (DOMAIN §0).
            cx.schedule(at, COMPLETION, entity, DspEvent::HandOff(DspHandoff::CosParty(job)));
        } else if job.execution > at && !self.device_holds(&job, srv) {
            // Future Dated: the DSP holds the validated request until its execution;
            // of the device pattern, the device holds it instead (DOMAIN §1.1).
            cx.schedule(job.execution, ARRIVAL, entity, DspEvent::ExecutionDue(job));
        } else if srv.non_device && !stream.carries_firmware() {
            // A non-device request (inventory, schedules, SMKI, hub status): DCC
            // answers it itself, with no device to reach (DOMAIN §1.1).
            self.respond(job, at, Outcome::Responded);
        } else {
            self.to_device(job, at, cx);
        }
    }

    /// Whether the device holds a Future Dated request to its execution date-time:
    /// one of the device pattern (DOMAIN §1.1: 11 SRVs) to a SMETS2 premises. A
    /// SMETS1 premises' is held by the DSP (assumption).
    fn device_holds(&self, job: &ServiceRequestJob, srv: &crate::catalogue::ServiceReferenceVariant) -> bool {
        srv.future_dated == crate::catalogue::FutureDated::Device && !self.via_smets1(job)
    }

    /// Whether a request to a device goes through the SMETS1 service providers: its
    /// premises is SMETS1 and they are modelled.
    fn via_smets1(&self, job: &ServiceRequestJob) -> bool {
        self.world.scenario.smets1_service.enabled && self.world.population.kind(job.premises).smets1()
    }

    /// Sends a command on to its device at `at`: through the SMETS1 service
    /// providers for a SMETS1 premises, otherwise to the CSP.
    fn to_device<P: DspPayload>(&self, job: ServiceRequestJob, at: SimTime, cx: &mut Context<'_, '_, P>) {
        if self.via_smets1(&job) {
            cx.schedule(at, COMPLETION, premises_entity(job.premises), DspEvent::HandOff(DspHandoff::Smets1(job)));
        } else {
            command_to_csp(&self.world, job, at, cx);
        }
    }

    /// Sends the Service Response (or an error response) at `at`: the request ends
    /// then, unless the run ends first.
    fn respond(&mut self, job: ServiceRequestJob, at: SimTime, outcome: Outcome) {
        self.end(job, at, outcome, None);
    }

    /// The request ends at `at` with `outcome` (refused for `why`), unless the run
    /// ends first: its in-flight entry closes and its record is kept. A refused one
    /// had no response.
    fn end(&mut self, job: ServiceRequestJob, at: SimTime, outcome: Outcome, why: Option<Refusal>) {
        if at >= self.params.end {
            return;
        }
        self.in_flight.close(self.submission_number(&job));
        let mut record = self.record(job, why.is_none().then_some(at), outcome);
        record.refused_by = why;
        // Refused at the User Interface: DCC never received it. Deleted from
        // quarantine: DCC had.
        if matches!(why, Some(Refusal::GatewayDown | Refusal::UserSuspended)) {
            record.received = None;
        }
        self.records.push(record);
    }

    /// A request refused for good (`why`) ends now as `refused`: at the User
    /// Interface, or deleted from quarantine.
    pub fn refuse(&mut self, job: ServiceRequestJob, why: Refusal, now: SimTime) {
        self.end(job, now, Outcome::Refused, Some(why));
    }

    fn record(&self, job: ServiceRequestJob, responded: Option<SimTime>, outcome: Outcome) -> ServiceRequestRecord {
        let stream = &self.world.scenario.traffic[usize::from(job.stream)];
        let srv = stream.srv();
        ServiceRequestRecord {
            sr_id: job.sr_id,
            srv: srv.srv.as_str(),
            user_role: stream.user_role,
            user: job.user,
            stream: job.stream,
            quarantined: job.quarantined,
            smets1: self.world.population.kind(job.premises).smets1(),
            mode: stream.mode,
            critical: srv.critical,
            premises: job.premises,
            region: self.world.population.region_of(job.premises),
            submitted: job.submitted,
            received: Some(job.received),
            refusals: job.refusals,
            refused_by: None,
            responded,
            target: self.world.scenario.target_response_time(stream),
            user_signing: SimDuration(job.user_signing_us),
            execution: (stream.mode == Mode::FutureDated).then_some(job.execution),
            outcome,
        }
    }

    /// The records of requests answered before `until` and not yet taken.
    pub fn take_records(&mut self, until: SimTime) -> Vec<ServiceRequestRecord> {
        let (ready, later) =
            std::mem::take(&mut self.records).into_iter().partition(|r| r.responded.is_none_or(|t| t < until));
        self.records = later;
        ready
    }

    /// The servers' figures so far.
    pub fn stats_mut(&mut self) -> &mut StationStats {
        &mut self.stats
    }

    /// The latest time the servers finish work (time zero if none).
    pub fn last_completion(&self) -> SimTime {
        self.stats.last_completion
    }

    /// Ends the run at `end`: open requests become `unfinished` records, or
    /// `not_yet_due` ones if they are Future Dated for after the end. Returns the
    /// records and the servers' figures.
    pub fn finish(&mut self, end: SimTime) -> (Vec<ServiceRequestRecord>, StationStats) {
        let open: Vec<ServiceRequestJob> = self.in_flight.drain().collect();
        for job in open {
            let outcome = if job.execution >= end { Outcome::NotYetDue } else { Outcome::Unfinished };
            let record = self.record(job, None, outcome);
            self.records.push(record);
        }
        self.stats.close(end);
        (std::mem::take(&mut self.records), self.stats.clone())
    }
}

#[cfg(test)]
mod tests;
