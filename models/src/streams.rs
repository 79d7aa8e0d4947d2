//! Randomness has one home: every random stream of a run is named here.
//!
//! A draw is keyed by (seed, replication, entity, purpose, counter): the entity is
//! the thing the draw is about (a request's `sr_id`, a premises, an alert), the
//! purpose says what is drawn, and the counter tells its uses apart. Keys never
//! depend on the thread or the partition that draws, which is what keeps a run's
//! results the same on any number of threads.
//!
//! The numeric value of each [`Purpose`] is part of the results: changing one
//! changes every draw made for it. They are fixed here, gaps and all.

use sim::{SplitMix64, StreamKey};

/// What a random stream is for. The discriminant is the key's `purpose` field.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
pub enum Purpose {
    /// Interarrival time of a traffic stream's n-th submission in a shard.
    Submission = 1,
    /// User Gateway service time of a request (counter: 1 for a signed Pre-Command).
    GatewayService = 2,
    /// DSP processing of a request (counter: 1 for a signed Pre-Command).
    DspRequest = 3,
    /// DSP processing of a response.
    DspResponse = 4,
    /// WAN round-trip latency of a request or alert.
    WanRoundTrip = 5,
    /// HAN and device response time.
    HanResponse = 6,
    /// Target premises (and Future Dated lead time) of a stream's n-th submission.
    Target = 7,
    /// The User's time to sign a Critical request's Pre-Command.
    UserSigning = 8,
    /// Whether one transmission on the radio is lost.
    WanLoss = 9,
    /// The CoS Party's time to sign an update.
    CosSigning = 10,
    /// DSP processing of an alert or CSP power outage event.
    DspAlert = 11,
    /// DCC's delivery of an alert copy (counter: the copy).
    AlertDelivery = 12,
    /// A block's routine device alerts: interarrival times (entity: the block) and
    /// each alert's cell (entity: the alert).
    DeviceAlert = 13,
    /// Fan-outs of the distribution tree (entity: the DNO area).
    FanOut = 101,
    /// A premises' fuel, meter, payment and network.
    PremisesAttributes = 102,
    /// A premises' supplier and gas transporter.
    Parties = 103,
    /// A storm's faults (entity: the storm).
    Storm = 201,
    /// A storm area's band of damage (entity: the storm).
    StormBand = 202,
    /// Whether and when a meter takes a firmware image (entity: the premises).
    Firmware = 203,
    /// A hub's restart after supply is back (entity: the premises; counter: the cut).
    HubRestart = 211,
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

    /// The stream for `purpose` of `entity`, `counter`-th use.
    pub fn stream(&self, entity: u64, purpose: Purpose, counter: u64) -> SplitMix64 {
        self.key(entity, purpose).stream(counter)
    }

    /// The key of `purpose`'s stream of `entity`.
    pub fn key(&self, entity: u64, purpose: Purpose) -> StreamKey {
        StreamKey { seed: self.seed, replication: self.replication, entity, purpose: purpose as u32 }
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
            (Purpose::FanOut, 101),
            (Purpose::PremisesAttributes, 102),
            (Purpose::Parties, 103),
            (Purpose::Storm, 201),
            (Purpose::StormBand, 202),
            (Purpose::Firmware, 203),
            (Purpose::HubRestart, 211),
        ];
        for (p, n) in all {
            assert_eq!(p as u32, n, "{p:?}");
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
