//! DCC's Change of Supplier Party: it signs the new supplier's credentials on a
//! Change of Supplier update before the DSP sends it on (DOMAIN §0).

use sim::{Delay, SimDuration, SimTime, Station, StationStats};

use crate::context::{COMPLETION, Context};
use crate::layout::premises_entity;
use crate::service_request::ServiceRequestJob;
use crate::streams::Purpose;

/// The settings of one shard's CoS Party.
#[derive(Debug, Clone, PartialEq)]
pub struct CosPartyParams {
    /// Servers.
    pub servers: u32,
    /// Time to sign one update.
    pub service: Delay,
    /// Time-series bucket width of the figures.
    pub series_bucket: SimDuration,
}

/// The CoS Party's events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CosEvent {
    /// The CoS Party signed a Change of Supplier update.
    Signed(ServiceRequestJob),
}

/// One shard's CoS Party.
pub struct CosParty {
    params: CosPartyParams,
    servers: Station<ServiceRequestJob>,
    stats: StationStats,
}

impl CosParty {
    /// An idle CoS Party.
    pub fn new(params: CosPartyParams) -> CosParty {
        let mut stats = StationStats::new(params.series_bucket);
        CosParty { servers: Station::new(params.servers, &mut stats), stats, params }
    }

    /// An update to sign arrives.
    pub fn arrive<P: From<CosEvent>>(&mut self, job: ServiceRequestJob, cx: &mut Context<'_, '_, P>) {
        let service = self.params.service.sample(&mut cx.rng(job.sr_id, Purpose::CosSigning, 0));
        if let Some((job, done)) = self.servers.arrive(cx.now(), service, job, &mut self.stats) {
            cx.schedule(done, COMPLETION, premises_entity(job.premises), CosEvent::Signed(job));
        }
    }

    /// Handles one event; returns the signed update, for the DSP.
    pub fn handle<P: From<CosEvent>>(&mut self, event: CosEvent, cx: &mut Context<'_, '_, P>) -> ServiceRequestJob {
        let CosEvent::Signed(mut job) = event;
        if let Some((next, done)) = self.servers.complete(cx.now(), &mut self.stats) {
            cx.schedule(done, COMPLETION, premises_entity(next.premises), CosEvent::Signed(next));
        }
        job.signed = true;
        job
    }

    /// The CoS Party's figures up to `end`.
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

    /// Three updates at once to one signer taking 2 s each: signed at 2, 4 and 6 s,
    /// in arrival order, each marked signed.
    #[test]
    fn the_cos_party_signs_updates_one_at_a_time_in_arrival_order() {
        let params = CosPartyParams {
            servers: 1,
            service: Delay::Constant { value_s: 2.0 },
            series_bucket: SimDuration::from_secs(60),
        };
        let job = |sr_id| crate::testkit::job(sr_id, 9, 0, SimTime::ZERO);
        type Bench = (CosParty, Vec<(SimTime, u64, bool)>);
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, CosEvent>| {
            for sr_id in 0..3 {
                b.0.arrive(job(sr_id), cx);
            }
        };
        let handle = |b: &mut Bench, e: CosEvent, cx: &mut Context<'_, '_, CosEvent>| {
            let signed = b.0.handle(e, cx);
            b.1.push((cx.now(), signed.sr_id, signed.signed));
        };
        let bench = (CosParty::new(params), Vec::new());
        let (_, signed) = testkit::host(bench, Streams::new(1, 0), start, handle, SimTime::from_secs(60));
        let s = SimTime::from_secs;
        assert_eq!(signed, [(s(2), 0, true), (s(4), 1, true), (s(6), 2, true)]);
    }
}
