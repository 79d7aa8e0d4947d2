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

/// Allocations made in each of 10 rounds of 1,000 windows, after 1,000 windows of
/// warm-up. The count is the whole process's, so another thread of the test
/// harness may now and then add one to a round; an engine that allocated at its
/// barriers would add at least one to every window of every round.
fn allocations_per_round(engine: &mut Engine<Ring>) -> Vec<u64> {
    let mut step = || assert!(engine.step(SimTime(u64::MAX)).is_some(), "tokens never stop");
    (0..1_000).for_each(|_| step());
    (0..10)
        .map(|_| {
            let region = Region::new(GLOBAL);
            (0..1_000).for_each(|_| step());
            let change = region.change();
            (change.allocations + change.reallocations) as u64
        })
        .collect()
}

fn assert_quiet(rounds: &[u64], how: &str) {
    assert!(rounds.iter().filter(|&&n| n == 0).count() >= 5, "{how}: allocations per 1,000 windows {rounds:?}");
    assert!(rounds.iter().all(|&n| n < 100), "{how}: allocations per 1,000 windows {rounds:?}");
}

#[test]
fn a_warm_barrier_allocates_nothing_on_one_thread_or_two() {
    let mut serial = ring().with_parallel_from(u64::MAX);
    let messages = serial.stats().messages;
    assert_quiet(&allocations_per_round(&mut serial), "windows on the calling thread");
    assert!(serial.stats().messages - messages >= 11_000 * u64::from(PARTITIONS), "every window crossed partitions");
    let mut parallel = ring().with_parallel_from(0);
    let rounds = sim::with_threads(2, || allocations_per_round(&mut parallel));
    assert_quiet(&rounds, "windows and deliveries fanned out to two threads");
}
