//! Randomness has one home: every random stream of a run is named here.
//!
//! A draw is keyed by (seed, replication, entity, purpose, counter): the entity is
//! the thing the draw is about (a request's `sr_id`, a premises, an alert), the
//! purpose says what is drawn, and the counter tells its uses apart. Keys never
//! depend on the thread or the partition that draws, which is what keeps a run's
//! results the same on any number of threads.
//!
//! The number of each [`Purpose`] is part of the results: changing one changes
//! every draw made for it. They are fixed here, gaps and all. The rollout's three
//! purposes reuse 1 to 3: its entities (supplier × DNO area cells of a rollout
//! study) never meet a network run's, so the overlap changes nothing, and keeping
//! the numbers keeps the rollout's draws.

use sim::{SplitMix64, StreamKey};

/// What a random stream is for; [`Purpose::number`] is the key's `purpose` field.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Purpose {
    /// Interarrival time of a traffic stream's n-th submission in a shard.
    Submission,
    /// User Gateway service time of a request (counter: 1 for a signed Pre-Command).
    GatewayService,
    /// DSP processing of a request (counter: 1 for a signed Pre-Command).
    DspRequest,
    /// DSP processing of a response.
    DspResponse,
    /// WAN round-trip latency of a request or alert.
    WanRoundTrip,
    /// HAN and device response time.
    HanResponse,
    /// Target premises (and Future Dated lead time) of a stream's n-th submission.
    Target,
    /// The User's time to sign a Critical request's Pre-Command.
    UserSigning,
    /// Whether one transmission on the radio is lost.
    WanLoss,
    /// The CoS Party's time to sign an update.
    CosSigning,
    /// DSP processing of an alert or CSP power outage event.
    DspAlert,
    /// DCC's delivery of an alert copy (counter: the copy).
    AlertDelivery,
    /// A User's wait before sending again a request the closed User Gateway
    /// refused (counter: the refusal, and 256 more for a signed Pre-Command).
    UserRetry,
    /// Whether and when a prepayment customer whose top-up a suspension refused
    /// types in a UTRN (entity: the request).
    Utrn,
    /// A SMETS1 command's translation and round trip at the SMETS1 service
    /// providers (entity: the request).
    Smets1Service,
    /// A block's routine device alerts: interarrival times (entity: the block) and
    /// each alert's cell (entity: the alert).
    DeviceAlert,
    /// Fan-outs of the distribution tree (entity: the DNO area).
    FanOut,
    /// A premises' fuel, meter, payment and network.
    PremisesAttributes,
    /// A premises' supplier and gas transporter.
    Parties,
    /// A premises' change of supplier (entity: the premises; counter: the switch).
    Switch,
    /// A storm's faults (entity: the storm).
    Storm,
    /// A storm area's band of damage (entity: the storm).
    StormBand,
    /// Whether and when a meter takes a firmware image (entity: the premises).
    Firmware,
    /// A hub's restart after supply is back (entity: the premises; counter: the cut).
    HubRestart,
    /// Whether a partial WAN outage takes a cell down (entity: the cell; counter:
    /// the outage).
    WanOutage,
    /// A rollout cell's day: enrolment and WAN waits advancing (entity: the
    /// supplier × DNO area cell; counter: the day).
    RolloutDay,
    /// A rollout cell's start of a month: hub stock and the month's draws
    /// (counter: the month).
    RolloutMonth,
    /// A rollout cell's SEC F5 hub forecast (counter: the delivery month).
    RolloutForecast,
}

impl Purpose {
    /// The number in the stream key.
    pub const fn number(self) -> u32 {
        match self {
            Purpose::Submission => 1,
            Purpose::GatewayService => 2,
            Purpose::DspRequest => 3,
            Purpose::DspResponse => 4,
            Purpose::WanRoundTrip => 5,
            Purpose::HanResponse => 6,
            Purpose::Target => 7,
            Purpose::UserSigning => 8,
            Purpose::WanLoss => 9,
            Purpose::CosSigning => 10,
            Purpose::DspAlert => 11,
            Purpose::AlertDelivery => 12,
            Purpose::DeviceAlert => 13,
            Purpose::UserRetry => 14,
            Purpose::Utrn => 15,
            Purpose::Smets1Service => 16,
            Purpose::FanOut => 101,
            Purpose::PremisesAttributes => 102,
            Purpose::Parties => 103,
            Purpose::Switch => 104,
            Purpose::Storm => 201,
            Purpose::StormBand => 202,
            Purpose::Firmware => 203,
            Purpose::HubRestart => 211,
            Purpose::WanOutage => 204,
            Purpose::RolloutDay => 1,
            Purpose::RolloutMonth => 2,
            Purpose::RolloutForecast => 3,
        }
    }
}

/// The run's part of every stream key: its seed and replication.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Streams {
    /// The scenario's seed.
    pub seed: u64,
    /// The replication index.
    pub replication: u32,
}

impl Streams {
    /// The streams of replication `replication` of a scenario seeded `seed`.
    pub fn new(seed: u64, replication: u32) -> Streams {
        Streams { seed, replication }
    }

    /// The streams that draw the world a run happens in: premises, the distribution
    /// tree, the Users' customers and the outages. They belong to the seed alone:
    /// every replication of a study runs in the same country under the same faults
    /// and differs in the traffic and the service it gets (common random numbers
    /// across replications, which sweeps rely on to compare points).
    pub fn world(seed: u64) -> Streams {
        Streams { seed, replication: WORLD_REPLICATION }
    }

    /// The streams of a rollout study: one run per seed, as a rollout is never
    /// replicated (`dccsim sweep` refuses one), so its replication is 0.
    pub fn rollout(seed: u64) -> Streams {
        Streams { seed, replication: 0 }
    }

    /// The stream for `purpose` of `entity`, `counter`-th use.
    pub fn stream(&self, entity: u64, purpose: Purpose, counter: u64) -> SplitMix64 {
        self.key(entity, purpose).stream(counter)
    }

    /// The key of `purpose`'s stream of `entity`.
    pub fn key(&self, entity: u64, purpose: Purpose) -> StreamKey {
        StreamKey { seed: self.seed, replication: self.replication, entity, purpose: purpose.number() }
    }
}

/// The replication whose streams draw the world (see [`Streams::world`]).
const WORLD_REPLICATION: u32 = 0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_keep_their_numbers() {
        let all = [
            (Purpose::Submission, 1),
            (Purpose::GatewayService, 2),
            (Purpose::DspRequest, 3),
            (Purpose::DspResponse, 4),
            (Purpose::WanRoundTrip, 5),
            (Purpose::HanResponse, 6),
            (Purpose::Target, 7),
            (Purpose::UserSigning, 8),
            (Purpose::WanLoss, 9),
            (Purpose::CosSigning, 10),
            (Purpose::DspAlert, 11),
            (Purpose::AlertDelivery, 12),
            (Purpose::DeviceAlert, 13),
            (Purpose::UserRetry, 14),
            (Purpose::Utrn, 15),
            (Purpose::Smets1Service, 16),
            (Purpose::FanOut, 101),
            (Purpose::PremisesAttributes, 102),
            (Purpose::Parties, 103),
            (Purpose::Switch, 104),
            (Purpose::Storm, 201),
            (Purpose::StormBand, 202),
            (Purpose::Firmware, 203),
            (Purpose::WanOutage, 204),
            (Purpose::HubRestart, 211),
            (Purpose::RolloutDay, 1),
            (Purpose::RolloutMonth, 2),
            (Purpose::RolloutForecast, 3),
        ];
        for (p, n) in all {
            assert_eq!(p.number(), n, "{p:?}");
        }
    }

    #[test]
    fn a_stream_is_the_engine_key_with_the_purpose_number() {
        let s = Streams::new(42, 3);
        let mut ours = s.stream(7, Purpose::WanLoss, 5);
        let mut engine = StreamKey { seed: 42, replication: 3, entity: 7, purpose: 9 }.stream(5);
        assert_eq!(ours.next_word(), engine.next_word());
        assert_eq!(Streams::world(42).replication, 0, "the world is drawn once per seed");
    }
}
