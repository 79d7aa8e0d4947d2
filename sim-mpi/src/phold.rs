//! PHOLD, the standard synthetic benchmark of parallel discrete-event engines
//! (Fujimoto 1990): tokens hop between partitions, each hop a random delay of at
//! least the lookahead. Whole-second delays make many events share a time, so the
//! event order rests on the keys' tie-breaks. Each partition keeps a digest of the
//! events it handled, in the order it handled them: two runs handled the same
//! events in the same order exactly when their digests match.

use std::ops::Range;

use sim::{
    CalendarShape, Ctx, Engine, EntityId, EventKey, Exchange, Partition, PartitionId, SimDuration, SimTime, StreamKey,
};

/// The lookahead and least hop, seconds.
pub const LOOKAHEAD_S: u64 = 1;

/// One partition of a PHOLD run.
pub struct Phold {
    /// Partitions in the run.
    pub partitions: u32,
    /// Chance a hop leaves the partition.
    pub remote_share: f64,
    /// Events handled.
    pub events: u64,
    /// FNV-1a over (time, source, token) of every event, in order.
    pub digest: u64,
}

impl Partition for Phold {
    type Payload = u64;

    fn handle(&mut self, key: EventKey, token: u64, ctx: &mut Ctx<'_, u64>) {
        for word in [key.time.0, key.source().0, token] {
            for byte in word.to_le_bytes() {
                self.digest = (self.digest ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
            }
        }
        self.events += 1;
        let mut rng = StreamKey { seed: 9, replication: 0, entity: token, purpose: 1 }.stream(key.seq);
        let me = ctx.partition().0;
        let remote = rng.unit_f64() < self.remote_share;
        let to = if remote { PartitionId(rng.below(u64::from(self.partitions)) as u32) } else { PartitionId(me) };
        let at = ctx.now() + SimDuration::from_secs(LOOKAHEAD_S + rng.below(3));
        ctx.send(to, at, 0, EntityId(u64::from(me)), token.wrapping_mul(31).wrapping_add(1));
    }
}

/// Runs the partitions `mine` of a PHOLD run of `total` partitions to `end_s`
/// seconds over `exchange`, 20 tokens starting in each; returns each local
/// partition's (number, events, digest).
pub fn run<X: Exchange<u64>>(exchange: X, mine: Range<u32>, total: u32, end_s: u64) -> Vec<(u32, u64, u64)> {
    let parts =
        mine.clone().map(|_| Phold { partitions: total, remote_share: 0.7, events: 0, digest: 0xcbf2_9ce4_8422_2325 });
    let lookahead = SimDuration::from_secs(LOOKAHEAD_S);
    let mut engine = Engine::with_exchange(parts.collect(), lookahead, CalendarShape::default(), exchange);
    for p in mine.clone() {
        engine.init(PartitionId(p), SimTime::ZERO, |_, ctx| {
            for j in 0..20 {
                ctx.schedule(SimTime::ZERO, 0, EntityId(u64::from(p)), u64::from(p) * 100 + j);
            }
        });
    }
    engine.run_until(SimTime::from_secs(end_s));
    mine.zip(engine.into_partitions()).map(|(p, part)| (p, part.events, part.digest)).collect()
}
