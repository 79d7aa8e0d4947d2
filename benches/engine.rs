//! The classic HOLD model, on the pending-event sets alone and through the engine.
//!
//! HOLD keeps the number of pending events constant: pop the least event, push a new
//! one at its time plus an exponential increment. It is the standard way to measure a
//! pending-event set, because every operation is one pop and one push at a steady size.
//!
//! * `hold_queue/{calendar,heap}/{100000,10000000}`: `sim::CalendarQueue` versus the
//!   `sim::HeapQueue` baseline, called directly through `sim::PendingSet`.
//! * `hold_engine/{100000,10000000}`: one `sim::Engine` partition whose `handle`
//!   reschedules each event, on one worker thread; this adds the engine's own costs
//!   (key issue, `Ctx`, the model call, window bookkeeping) to the calendar queue's.
//!
//! Throughput is in events (holds) per second. Run with `cargo bench --bench engine`.

use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use sim::{
    CalendarQueue, CalendarShape, Ctx, Engine, EntityId, Entry, EventKey, HeapQueue, Partition, PartitionId,
    PendingSet, SimDuration, SimTime, StreamKey,
};

/// Mean of the exponential increment, in microseconds (1 s).
const MEAN_US: f64 = 1_000_000.0;

/// Pending-set sizes: the two targets.
const SIZES: [usize; 2] = [100_000, 10_000_000];

/// Holds per criterion iteration of the queue benchmarks.
const HOLDS_PER_ITER: u64 = 10_000;

/// Increments are drawn once, into a table that the benchmarks cycle through.
///
/// Drawing an exponential takes a `ln` (about 15–20 ns), which would be a large share
/// of a hold that should take well under 100 ns; the table keeps the measurement on
/// the pending set. 65,536 `u64`s (512 KiB) are read sequentially, so the prefetcher
/// hides them, and the cycle is far longer than any correlation the queues could see.
struct Increments {
    table: Vec<u64>,
    next: usize,
}

impl Increments {
    const LEN: usize = 1 << 16;

    fn new(purpose: u32) -> Increments {
        let key = StreamKey { seed: 2026, replication: 0, entity: 0, purpose };
        let mut g = key.stream(0);
        let table = (0..Self::LEN).map(|_| g.exponential(MEAN_US).round() as u64).collect();
        Increments { table, next: 0 }
    }

    #[inline]
    fn draw(&mut self) -> u64 {
        let x = self.table[self.next];
        self.next = (self.next + 1) & (Self::LEN - 1);
        x
    }
}

/// The calendar shape for `pending` events with exponential increments of mean `MEAN_US`.
///
/// In a HOLD model with exponential increments the pending times are, by
/// memorylessness, `now` plus independent exponentials of the same mean, whatever
/// the history. So the density is highest just after `now` and falls off as
/// `e^{-t/mean}`. We tell `for_density` the span is two means: 86 % of pending events
/// fall in it, so buckets average about 4 events over the span (about 8 at the front),
/// and the calendar's year (twice the span, four means) leaves only `e^{-4}` ≈ 1.8 %
/// of events in the far-future heap.
fn hold_shape(pending: usize) -> CalendarShape {
    CalendarShape::for_density(pending, 2 * MEAN_US as u64, 4)
}

/// A pending set at steady state under HOLD.
struct Hold<Q> {
    queue: Q,
    inc: Increments,
    seq: u64,
}

impl<Q: PendingSet<u32>> Hold<Q> {
    fn new(mut queue: Q, pending: usize) -> Hold<Q> {
        let mut inc = Increments::new(1);
        for i in 0..pending {
            let key = EventKey::new(SimTime(inc.draw()), 0, EntityId(i as u64), i as u64);
            queue.push(Entry { key, payload: i as u32 });
        }
        Hold { queue, inc, seq: pending as u64 }
    }

    #[inline]
    fn hold(&mut self) {
        let e = self.queue.pop_before(SimTime::MAX).expect("HOLD never empties the set");
        let at = SimTime(e.key.time.0 + self.inc.draw());
        let key = EventKey::new(at, 0, e.key.source(), self.seq);
        self.seq += 1;
        self.queue.push(Entry { key, payload: e.payload });
    }
}

fn hold_queue(c: &mut Criterion) {
    let mut group = c.benchmark_group("hold_queue");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(HOLDS_PER_ITER));
    for &pending in &SIZES {
        // Each set is built once, lazily (so a filtered-out benchmark costs nothing),
        // and then lives across warm-up and all samples: HOLD keeps it at its size.
        let mut calendar: Option<Hold<CalendarQueue<u32>>> = None;
        group.bench_function(BenchmarkId::new("calendar", pending), |b| {
            let h = calendar.get_or_insert_with(|| Hold::new(CalendarQueue::new(hold_shape(pending)), pending));
            b.iter(|| {
                for _ in 0..HOLDS_PER_ITER {
                    h.hold();
                }
            });
        });
        drop(calendar);
        let mut heap: Option<Hold<HeapQueue<u32>>> = None;
        group.bench_function(BenchmarkId::new("heap", pending), |b| {
            let h = heap.get_or_insert_with(|| Hold::new(HeapQueue::default(), pending));
            b.iter(|| {
                for _ in 0..HOLDS_PER_ITER {
                    h.hold();
                }
            });
        });
    }
    group.finish();
}

/// One partition that reschedules every event it handles: HOLD through the engine.
struct HoldPartition {
    inc: Increments,
    events: u64,
}

impl Partition for HoldPartition {
    type Payload = u32;

    #[inline]
    fn handle(&mut self, key: EventKey, token: u32, ctx: &mut Ctx<'_, u32>) {
        self.events += 1;
        let at = SimTime(ctx.now().0 + self.inc.draw());
        ctx.schedule(at, 0, key.source(), token);
    }
}

/// Simulated time per criterion iteration of the engine benchmark, chosen so an
/// iteration handles about 1 M events: with `pending` events each due after a mean
/// of `MEAN_US`, events happen at `pending / MEAN_US` per microsecond.
fn engine_span(pending: usize) -> SimDuration {
    SimDuration((1_000_000.0 * MEAN_US / pending as f64) as u64)
}

fn hold_engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("hold_engine");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sampling_mode(SamplingMode::Flat);
    for &pending in &SIZES {
        let span = engine_span(pending);
        let nominal = (span.0 as f64 * pending as f64 / MEAN_US).round() as u64;
        group.throughput(Throughput::Elements(nominal));
        let mut engine: Option<Engine<HoldPartition>> = None;
        group.bench_function(BenchmarkId::from_parameter(pending), |b| {
            let engine = engine.get_or_insert_with(|| {
                let part = HoldPartition { inc: Increments::new(2), events: 0 };
                // A lookahead of a simulated hour: each `run_until` below is one window.
                let mut e = Engine::new(vec![part], SimDuration::from_secs(3600), hold_shape(pending));
                e.init(PartitionId(0), SimTime::ZERO, |p, ctx| {
                    for i in 0..pending {
                        let at = SimTime(p.inc.draw());
                        ctx.schedule(at, 0, EntityId(i as u64), i as u32);
                    }
                });
                e
            });
            // An iteration runs `span` of simulated time. The number of events in it
            // is Poisson around `nominal` (0.1 % spread), so the time is scaled by
            // nominal / handled to report exact events per second.
            b.iter_custom(|iters| {
                sim::with_threads(1, || {
                    let before = engine.stats().events;
                    #[allow(clippy::disallowed_methods)] // A benchmark times itself; the model never sees the clock.
                    let start = Instant::now();
                    for _ in 0..iters {
                        let end = engine.now() + span;
                        engine.run_until(end);
                    }
                    let elapsed = start.elapsed();
                    let handled = engine.stats().events - before;
                    elapsed.mul_f64((nominal * iters) as f64 / handled as f64)
                })
            });
            debug_assert_eq!(engine.pending(), pending);
        });
        drop(engine);
    }
    group.finish();
}

criterion_group!(benches, hold_queue, hold_engine);
criterion_main!(benches);
