//! PHOLD: the parallel HOLD model, measuring the engine with cross-partition traffic.
//!
//! 16 partitions start with 1,000 tokens each. Handling a token's event sends the
//! token on, at `now + lookahead + Exp(mean)`: with probability `REMOTE_SHARE` to one of
//! the other 15 partitions (uniformly), otherwise back to its own partition. The run
//! covers a fixed simulated span, so every run handles the same events whatever the
//! thread count; the benchmark runs it on 1 and on 2 worker threads
//! (`phold/threads/1`, `phold/threads/2`) so the speed-up is the ratio of the two.
//!
//! Throughput is in events handled per second. Run with `cargo bench --bench phold`.

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use sim::{
    CalendarShape, Ctx, Engine, EntityId, EventKey, Partition, PartitionId, SimDuration, SimTime, SplitMix64,
    StreamKey, rng::mix64,
};

const PARTITIONS: u32 = 16;
const TOKENS_PER_PARTITION: u32 = 1_000;
/// The engine's lookahead, also the least delay of every hop: 1 ms.
const LOOKAHEAD_US: u64 = 1_000;
/// Mean of the exponential extra delay on top of the lookahead: 1 ms.
const EXTRA_MEAN_US: f64 = 1_000.0;
/// Share of hops that go to another partition.
const REMOTE_SHARE: f64 = 0.75;
/// Simulated span of one run: 0.25 s, about 2 M events (each token hops every ~2 ms).
const SPAN: SimTime = SimTime(250_000);
const SEED: u64 = 2026;

struct Phold {
    rng: SplitMix64,
    events: u64,
    /// Order-sensitive digest of the keys handled, to check runs agree event by event.
    digest: u64,
}

impl Partition for Phold {
    type Payload = u32;

    fn handle(&mut self, key: EventKey, token: u32, ctx: &mut Ctx<'_, u32>) {
        self.events += 1;
        self.digest = mix64(self.digest ^ key.time.0 ^ key.seq.rotate_left(32));
        let me = ctx.partition().0;
        let to = if self.rng.unit_f64() < REMOTE_SHARE {
            // One of the other partitions, uniformly.
            (me + 1 + self.rng.below(u64::from(PARTITIONS - 1)) as u32) % PARTITIONS
        } else {
            me
        };
        let extra = self.rng.exponential(EXTRA_MEAN_US).round() as u64;
        let at = ctx.now() + ctx.lookahead() + SimDuration(extra);
        ctx.send(PartitionId(to), at, 0, key.source(), token);
    }
}

/// A fresh engine with every token scheduled in its first `lookahead + Exp` delay.
fn build() -> Engine<Phold> {
    let parts = (0..PARTITIONS)
        .map(|p| Phold {
            rng: StreamKey { seed: SEED, replication: 0, entity: u64::from(p), purpose: 1 }.stream(0),
            events: 0,
            digest: 0,
        })
        .collect();
    // Each partition holds about 1,000 events, due within the lookahead plus a few
    // extra-delay means: `lookahead + 2 × mean` holds 86 % of them.
    let span_us = LOOKAHEAD_US + 2 * EXTRA_MEAN_US as u64;
    let shape = CalendarShape::for_density(TOKENS_PER_PARTITION as usize, span_us, 4);
    let mut engine = Engine::new(parts, SimDuration(LOOKAHEAD_US), shape);
    for p in 0..PARTITIONS {
        engine.init(PartitionId(p), SimTime::ZERO, |part, ctx| {
            for t in 0..TOKENS_PER_PARTITION {
                let token = p * TOKENS_PER_PARTITION + t;
                let extra = part.rng.exponential(EXTRA_MEAN_US).round() as u64;
                let at = SimTime(LOOKAHEAD_US + extra);
                ctx.schedule(at, 0, EntityId(u64::from(token)), token);
            }
        });
    }
    engine
}

/// Runs PHOLD once on `threads` threads; returns per-partition (events, digest).
fn run_once(threads: usize) -> (Vec<(u64, u64)>, sim::EngineStats) {
    let mut engine = build();
    sim::with_threads(threads, || engine.run_until(SPAN));
    let stats = engine.stats();
    (engine.partitions().map(|p| (p.events, p.digest)).collect(), stats)
}

fn phold(c: &mut Criterion) {
    // Once, outside the timed loop: 1 and 2 threads handle the same events.
    let (one, stats) = run_once(1);
    let (two, stats2) = run_once(2);
    assert_eq!(one, two, "PHOLD differs between 1 and 2 threads");
    assert_eq!(stats, stats2, "engine counts differ between 1 and 2 threads");
    eprintln!(
        "phold: {} events, {} windows, {} cross-partition messages ({:.0} % of events), same on 1 and 2 threads",
        stats.events,
        stats.windows,
        stats.messages,
        100.0 * stats.messages as f64 / stats.events as f64
    );

    let mut group = c.benchmark_group("phold");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6))
        .sampling_mode(SamplingMode::Flat)
        .throughput(Throughput::Elements(stats.events));
    for threads in [1usize, 2] {
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    // Building the engine and the thread pool is not timed.
                    let mut engine = build();
                    total += sim::with_threads(threads, || {
                        #[allow(clippy::disallowed_methods)]
                        // A benchmark times itself; the model never sees the clock.
                        let start = Instant::now();
                        engine.run_until(SPAN);
                        start.elapsed()
                    });
                    assert_eq!(engine.stats().events, stats.events);
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group!(benches, phold);
criterion_main!(benches);
