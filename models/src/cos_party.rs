//! DCC's Change of Supplier Party: it signs the new supplier's credentials on a
//! Change of Supplier update before the DSP sends it on (DOMAIN §0).

use sim::{Delay, FcfsStation, SimDuration, SimTime, StationStats};

use crate::context::Context;
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
    /// The latest time the run can reach.
    pub end: SimTime,
}

/// One shard's CoS Party: its signers serve updates first come first served, so an
/// update's signing time is known when it arrives and the CoS Party has no events.
pub struct CosParty {
    params: CosPartyParams,
    servers: FcfsStation,
    stats: StationStats,
}

impl CosParty {
    /// An idle CoS Party.
    pub fn new(params: CosPartyParams) -> CosParty {
        let mut stats = StationStats::new(params.series_bucket);
        CosParty { servers: FcfsStation::new(params.servers, params.end, &mut stats), stats, params }
    }

    /// An update to sign arrives now: the update, signed, and when it is.
    pub fn arrive<P>(
        &mut self,
        mut job: ServiceRequestJob,
        cx: &mut Context<'_, '_, P>,
    ) -> (ServiceRequestJob, SimTime) {
        let service = self.params.service.sample(&mut cx.rng(job.sr_id, Purpose::CosSigning, 0));
        let done = self.servers.admit(cx.now(), service, &mut self.stats).done;
        job.signed = true;
        (job, done)
    }

    /// The signers' figures so far.
    pub fn stats_mut(&mut self) -> &mut StationStats {
        &mut self.stats
    }

    /// The latest time an update is signed (time zero if none).
    pub fn last_completion(&self) -> SimTime {
        self.stats.last_completion
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
            end: SimTime::from_secs(60),
        };
        let job = |sr_id| crate::testkit::job(sr_id, 9, 0, SimTime::ZERO);
        type Bench = (CosParty, Vec<(SimTime, u64, bool)>);
        let start = |b: &mut Bench, cx: &mut Context<'_, '_, ()>| {
            for sr_id in 0..3 {
                let (signed, at) = b.0.arrive(job(sr_id), cx);
                b.1.push((at, signed.sr_id, signed.signed));
            }
        };
        let handle = |_: &mut Bench, _: (), _: &mut Context<'_, '_, ()>| {};
        let bench = (CosParty::new(params), Vec::new());
        let (mut cos, signed) = testkit::host(bench, Streams::new(1, 0), start, handle, SimTime::from_secs(60));
        let s = SimTime::from_secs;
        assert_eq!(signed, [(s(2), 0, true), (s(4), 1, true), (s(6), 2, true)]);
        let stats = cos.finish(s(60));
        assert_eq!((stats.completions, stats.wait_total_us, stats.last_completion), (3, 6_000_000, s(6)));
    }
}
