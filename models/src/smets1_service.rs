//! The SMETS1 service providers: how DCC reaches a migrated SMETS1 meter. The DSP
//! hands them the command; they translate and check it (a first come, first
//! served station), send it over their own WAN to the device and return its
//! response to the DSP ([`crate::scenario::smets1`] gives the settings and their
//! sources). SMETS1 premises use no CSP cell for Service Requests.
//!
//! A premises off supply when its command would reach the meter answers nothing:
//! the providers give up after their timeout and report a failure (outcome
//! `failed`), as the CSPs do after their last retry.
//!
//! A command's time with the providers is known when it arrives, so they have no
//! events of their own: the response is scheduled as the DSP's.

use std::sync::Arc;

use sim::{Delay, FcfsStation, SimDuration, SimTime, StationStats};

use crate::context::{ARRIVAL, Context};
use crate::dsp::DspEvent;
use crate::layout::premises_entity;
use crate::outage::Outages;
use crate::service_request::ServiceRequestJob;
use crate::streams::Purpose;

/// The settings of one shard's SMETS1 service providers.
#[derive(Debug, Clone, PartialEq)]
pub struct Smets1ServiceParams {
    /// Commands handled at once.
    pub servers: u32,
    /// Time to translate and check a command.
    pub service: Delay,
    /// From the providers to the device and back.
    pub round_trip: Delay,
    /// How long the providers wait for a device that does not answer.
    pub timeout: SimDuration,
    /// Time-series bucket width of the figures.
    pub series_bucket: SimDuration,
    /// The latest time the run can reach.
    pub end: SimTime,
}

/// One shard's SMETS1 service providers.
pub struct Smets1Service {
    params: Smets1ServiceParams,
    outages: Arc<Outages>,
    servers: FcfsStation,
    stats: StationStats,
}

impl Smets1Service {
    /// Idle providers, whose meters lose supply as `outages` says.
    pub fn new(params: Smets1ServiceParams, outages: Arc<Outages>) -> Smets1Service {
        let mut stats = StationStats::new(params.series_bucket);
        Smets1Service { servers: FcfsStation::new(params.servers, params.end, &mut stats), stats, params, outages }
    }

    /// A command for a SMETS1 device arrives now: its response reaches the DSP
    /// after the queue, the translation and the round trip; or, if the premises
    /// is off supply when the command would reach it, a failure after the timeout.
    pub fn arrive<P: From<DspEvent>>(&mut self, mut job: ServiceRequestJob, cx: &mut Context<'_, '_, P>) {
        let mut rng = cx.rng(job.sr_id, Purpose::Smets1Service, 0);
        let service = self.params.service.sample(&mut rng);
        let round_trip = self.params.round_trip.sample(&mut rng);
        let done = self.servers.admit(cx.now(), service, &mut self.stats).done;
        let at_meter = done + SimDuration(round_trip.0 / 2);
        let back = if self.outages.off_supply(job.premises, at_meter) {
            job.wan_retries = ServiceRequestJob::FAILED;
            done + self.params.timeout
        } else {
            done + round_trip
        };
        cx.schedule(back, ARRIVAL, premises_entity(job.premises), DspEvent::ResponseAtDsp(job));
    }

    /// The providers' figures so far.
    pub fn stats_mut(&mut self) -> &mut StationStats {
        &mut self.stats
    }

    /// The latest time a command leaves the providers (time zero if none).
    pub fn last_completion(&self) -> SimTime {
        self.stats.last_completion
    }

    /// The providers' figures up to `end`.
    pub fn finish(&mut self, end: SimTime) -> StationStats {
        self.stats.close(end);
        self.stats.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::Streams;
    use crate::testkit;

    /// One server taking 2 s and a 10 s round trip: three commands at once are
    /// answered at 12, 14 and 16 s, in arrival order.
    #[test]
    fn commands_queue_for_the_providers_then_take_the_round_trip() {
        let params = Smets1ServiceParams {
            servers: 1,
            service: Delay::Constant { value_s: 2.0 },
            round_trip: Delay::Constant { value_s: 10.0 },
            timeout: SimDuration::from_secs(60),
            series_bucket: SimDuration::from_secs(60),
            end: SimTime::from_secs(60),
        };
        type Bench = (Smets1Service, Vec<(SimTime, u64)>);
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, DspEvent>| {
            for sr_id in 0..3 {
                b.0.arrive(testkit::job(sr_id, 9, 0, SimTime::ZERO), cx);
            }
        };
        let handle = |b: &mut Bench, e: DspEvent, cx: &mut Context<'_, '_, DspEvent>| match e {
            DspEvent::ResponseAtDsp(job) => b.1.push((cx.now(), job.sr_id)),
            other => panic!("{other:?}"),
        };
        let bench = (Smets1Service::new(params, Arc::new(Outages::default())), Vec::new());
        let (mut providers, answered) = testkit::host(bench, Streams::new(1, 0), start, handle, SimTime::from_secs(60));
        let s = SimTime::from_secs;
        assert_eq!(answered, [(s(12), 0), (s(14), 1), (s(16), 2)]);
        let stats = providers.finish(s(60));
        assert_eq!((stats.completions, stats.wait_total_us), (3, 6_000_000));
    }
}
