//! The engine's ordering and window contract (see the crate docs), clause by clause.

use sim::{
    CalendarShape, Ctx, Engine, EntityId, Envelope, EventKey, Exchange, InProcess, Partition, PartitionId, SimDuration,
    SimTime, StreamKey,
};

/// PHOLD with coarse, whole-second delays so that many events share a timestamp.
/// Each partition logs the order it handled events in.
struct Phold {
    partitions: u32,
    remote_share: f64,
    trace: Vec<(u64, u64, u64)>,
}

const LOOKAHEAD_S: u64 = 1;

impl Partition for Phold {
    type Payload = u64;
    fn handle(&mut self, key: EventKey, token: u64, ctx: &mut Ctx<'_, u64>) {
        self.trace.push((key.time.0, key.source().0, token));
        let mut rng = StreamKey { seed: 9, replication: 0, entity: token, purpose: 1 }.stream(key.seq);
        let me = ctx.partition().0;
        let remote = rng.unit_f64() < self.remote_share;
        let to = if remote { PartitionId(rng.below(u64::from(self.partitions)) as u32) } else { PartitionId(me) };
        let delay_s = LOOKAHEAD_S + rng.below(3);
        let at = ctx.now() + SimDuration::from_secs(delay_s);
        // The token's identity travels with it; the entity is the partition it left.
        ctx.send(to, at, 0, EntityId(u64::from(me)), token.wrapping_mul(31).wrapping_add(1));
    }
}

fn phold_engine<X: Exchange<u64>>(exchange: X) -> Engine<Phold, X> {
    let parts = (0..6).map(|_| Phold { partitions: 6, remote_share: 0.7, trace: Vec::new() }).collect();
    let mut engine =
        Engine::with_exchange(parts, SimDuration::from_secs(LOOKAHEAD_S), CalendarShape::default(), exchange);
    for p in 0..6 {
        engine.init(PartitionId(p), SimTime::ZERO, |_, ctx| {
            for j in 0..20 {
                ctx.schedule(SimTime::ZERO, 0, EntityId(u64::from(p)), u64::from(p) * 100 + j);
            }
        });
    }
    engine
}

fn traces<X: Exchange<u64>>(engine: Engine<Phold, X>) -> Vec<Vec<(u64, u64, u64)>> {
    engine.into_partitions().into_iter().map(|p| p.trace).collect()
}

fn run_with<X: Exchange<u64> + Send>(exchange: X, threads: usize) -> Vec<Vec<(u64, u64, u64)>> {
    // Always fan out to threads: the test is about parallel windows.
    let mut engine = phold_engine(exchange).with_parallel_from(0);
    sim::with_threads(threads, || engine.run_until(SimTime::from_secs(200)));
    assert!(engine.stats().messages > 1000, "the test needs real cross-partition traffic");
    traces(engine)
}

/// Delivers messages in the reverse of the order they were sent, then shuffled within
/// each inbox: what a network, or MPI, may well do.
struct Scrambling;

impl Exchange<u64> for Scrambling {
    fn next_time(&mut self, local: &[Option<SimTime>]) -> Option<SimTime> {
        Exchange::<u64>::next_time(&mut InProcess, local)
    }
    fn deliver(&mut self, outboxes: &mut [Vec<Envelope<u64>>], inboxes: &mut [Vec<Envelope<u64>>]) {
        outboxes.reverse();
        InProcess.deliver(outboxes, inboxes);
        for (i, inbox) in inboxes.iter_mut().enumerate() {
            inbox.reverse();
            let mut rng =
                StreamKey { seed: 1, replication: 0, entity: i as u64, purpose: 0 }.stream(inbox.len() as u64);
            for k in (1..inbox.len()).rev() {
                inbox.swap(k, rng.below(k as u64 + 1) as usize);
            }
        }
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let one = run_with(InProcess, 1);
    assert_eq!(one, run_with(InProcess, 2));
    assert_eq!(one, run_with(InProcess, 4));
    // And running small windows on one thread changes nothing either.
    let mut engine = phold_engine(InProcess).with_parallel_from(u64::MAX);
    sim::with_threads(2, || engine.run_until(SimTime::from_secs(200)));
    // Each partition's count is the length of its trace; they sum to the total.
    let counts = engine.partition_events();
    assert_eq!(counts, one.iter().map(|t| t.len() as u64).collect::<Vec<_>>());
    assert_eq!(counts.iter().sum::<u64>(), engine.stats().events);
    assert_eq!(counts.iter().max().copied(), Some(engine.stats().busiest_partition_events));
    assert_eq!(one, traces(engine));
}

#[test]
fn results_do_not_depend_on_the_order_messages_arrive_in() {
    // Fails if the destination ordered same-time messages by arrival (FIFO ties).
    let ordered = run_with(InProcess, 2);
    let scrambled = run_with(Scrambling, 2);
    let ties: usize =
        ordered.iter().map(|t| t.windows(2).filter(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1).count()).sum();
    assert!(ties > 100, "the test needs same-time events from different sources, got {ties}");
    assert_eq!(ordered, scrambled);
}

#[test]
fn each_partition_handles_events_in_key_order() {
    for trace in run_with(InProcess, 2) {
        assert!(trace.windows(2).all(|w| w[0].0 <= w[1].0), "time went backwards");
        // Same time: lower source entity first.
        assert!(trace.windows(2).all(|w| w[0].0 < w[1].0 || w[0].1 <= w[1].1));
    }
}

/// Sends to the other partition after less than the lookahead.
struct Impatient;

impl Partition for Impatient {
    type Payload = ();
    fn handle(&mut self, _: EventKey, _: (), ctx: &mut Ctx<'_, ()>) {
        let at = ctx.now() + SimDuration::from_millis(10);
        ctx.send(PartitionId(1), at, 0, EntityId(0), ());
    }
}

#[test]
#[should_panic(expected = "less than the lookahead")]
fn a_message_inside_the_lookahead_is_refused() {
    let mut engine = Engine::new(vec![Impatient, Impatient], SimDuration::from_secs(1), CalendarShape::default());
    engine.init(PartitionId(0), SimTime::ZERO, |_, ctx| ctx.schedule(SimTime::ZERO, 0, EntityId(0), ()));
    engine.run_until(SimTime::from_secs(5));
}

/// Wakes up once a simulated day.
struct Daily {
    wakes: u32,
}

impl Partition for Daily {
    type Payload = ();
    fn handle(&mut self, _: EventKey, _: (), ctx: &mut Ctx<'_, ()>) {
        self.wakes += 1;
        let at = ctx.now() + SimDuration::from_secs(86_400);
        ctx.schedule(at, 0, EntityId(0), ());
    }
}

#[test]
fn idle_time_is_skipped_not_stepped_through() {
    let mut engine = Engine::new(vec![Daily { wakes: 0 }], SimDuration::from_millis(1), CalendarShape::default());
    engine.init(PartitionId(0), SimTime::ZERO, |_, ctx| ctx.schedule(SimTime::ZERO, 0, EntityId(0), ()));
    engine.run_until(SimTime::from_secs(10 * 86_400));
    // One window per wake-up, though the lookahead is 8.64e7 times shorter than a day.
    assert_eq!(engine.stats().windows, 10);
    assert_eq!(engine.partitions().next().map(|d| d.wakes), Some(10));
    assert_eq!(engine.pending(), 1);
}
