//! A barrier allocates nothing once a run has warmed up: the engine keeps its
//! outboxes, inboxes and next-time buffers between windows.
//!
//! This test binary counts every heap allocation of the process, so it holds one
//! test only.

use std::alloc::System;

use sim::{CalendarShape, Ctx, Engine, EntityId, EventKey, Partition, PartitionId, SimDuration, SimTime};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PARTITIONS: u32 = 4;
const LOOKAHEAD: SimDuration = SimDuration(1_000);

/// Passes tokens round a ring of partitions, one lookahead per hop: every window
/// sends messages across every barrier, and handling an event allocates nothing.
struct Ring;

impl Partition for Ring {
    type Payload = u32;
    fn handle(&mut self, _key: EventKey, token: u32, ctx: &mut Ctx<'_, u32>) {
        let next = PartitionId((ctx.partition().0 + 1) % PARTITIONS);
        ctx.send(next, ctx.now() + LOOKAHEAD, 0, EntityId(u64::from(token)), token);
    }
}

fn ring() -> Engine<Ring> {
    let parts = (0..PARTITIONS).map(|_| Ring).collect();
    // A calendar of 16 buckets of 1.024 ms: after the warm-up each bucket has been
    // used, so the pending-event set reuses its memory too.
    let shape = CalendarShape { bucket_width_log2_us: 10, buckets_log2: 4 };
    let mut engine = Engine::new(parts, LOOKAHEAD, shape);
    for p in 0..PARTITIONS {
        engine.init(PartitionId(p), SimTime::ZERO, |_, ctx| {
            for token in 0..8 {
                ctx.schedule(SimTime::ZERO, 0, EntityId(u64::from(token)), p * 8 + token);
            }
        });
    }
    engine
}

/// Allocations made by 10,000 windows after 1,000 windows of warm-up.
fn allocations_in_steady_windows(engine: &mut Engine<Ring>) -> u64 {
    let mut end = SimTime::ZERO;
    for _ in 0..1_000 {
        end = engine.step(SimTime(u64::MAX)).expect("tokens never stop");
    }
    let region = Region::new(GLOBAL);
    for _ in 0..10_000 {
        end = engine.step(SimTime(u64::MAX)).expect("tokens never stop");
    }
    let change = region.change();
    assert!(end > SimTime::ZERO);
    (change.allocations + change.reallocations) as u64
}

#[test]
fn a_warm_barrier_allocates_nothing_on_one_thread_or_two() {
    let mut serial = ring().with_parallel_from(u64::MAX);
    let messages = serial.stats().messages;
    assert_eq!(allocations_in_steady_windows(&mut serial), 0, "windows on the calling thread");
    assert!(serial.stats().messages - messages >= 10_000 * u64::from(PARTITIONS), "every window crossed partitions");
    let mut parallel = ring().with_parallel_from(0);
    let allocations = sim::with_threads(2, || allocations_in_steady_windows(&mut parallel));
    assert_eq!(allocations, 0, "windows and deliveries fanned out to two threads");
}
