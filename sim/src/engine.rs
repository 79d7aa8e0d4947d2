//! The conservative, windowed, parallel engine.
//!
//! Time advances in windows `[T, T + L)`, where `T` is the global next-event time and
//! `L` the lookahead: the least delay of any message between partitions. Inside a
//! window no partition can receive anything it has not already got, so all partitions
//! run it in parallel. Messages to other partitions go to outboxes and are delivered
//! at the barrier; then `T` jumps to the next event anywhere, so idle time is free.

use rayon::prelude::*;

use crate::exchange::{Envelope, Exchange, InProcess, Placement};
use crate::key::{EntityId, EventClass, EventKey};
use crate::queue::{CalendarQueue, CalendarShape, Entry, PendingSet};
use crate::time::{SimDuration, SimTime};

/// Index of a partition (logical process) in the run.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartitionId(pub u32);

/// A logical process: it owns some entities' state and reacts to their events.
///
/// `handle` is called once per event, in event-key order, with a context to schedule
/// further events. It must be a function of its inputs and the partition's own state
/// only: no clocks, no thread-local randomness, no shared mutable state.
pub trait Partition: Send {
    /// What an event carries.
    type Payload: Send;
    /// Reacts to one event.
    fn handle(&mut self, key: EventKey, payload: Self::Payload, ctx: &mut Ctx<'_, Self::Payload>);
}

/// What a partition may do while handling an event.
pub struct Ctx<'a, T> {
    now: SimTime,
    me: PartitionId,
    partitions: u64,
    lookahead: SimDuration,
    counter: &'a mut u64,
    queue: &'a mut CalendarQueue<T>,
    outbox: &'a mut Vec<Envelope<T>>,
}

impl<T> Ctx<'_, T> {
    /// The time of the event being handled.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The partition handling it.
    pub fn partition(&self) -> PartitionId {
        self.me
    }

    /// The run's lookahead: the least delay allowed on a message to another partition.
    pub fn lookahead(&self) -> SimDuration {
        self.lookahead
    }

    fn next_key(&mut self, at: SimTime, class: EventClass, source: EntityId) -> EventKey {
        let seq = *self.counter * self.partitions + u64::from(self.me.0);
        *self.counter += 1;
        EventKey::new(at, class, source, seq)
    }

    /// Schedules an event in this partition. Panics if `at` is in the past.
    pub fn schedule(&mut self, at: SimTime, class: EventClass, source: EntityId, payload: T) {
        assert!(at >= self.now, "event scheduled in the past: {at} < {}", self.now);
        let key = self.next_key(at, class, source);
        self.queue.push(Entry { key, payload });
    }

    /// Sends an event to partition `to` (which may be this one).
    ///
    /// Panics if another partition is addressed less than one lookahead ahead: that
    /// would break the window protocol, and is a bug in the model.
    pub fn send(&mut self, to: PartitionId, at: SimTime, class: EventClass, source: EntityId, payload: T) {
        if to == self.me {
            return self.schedule(at, class, source, payload);
        }
        assert!(
            at >= self.now + self.lookahead,
            "message to partition {} at {at} is less than the lookahead after {}",
            to.0,
            self.now
        );
        let key = self.next_key(at, class, source);
        self.outbox.push(Envelope { to, key, payload });
    }
}

/// What one partition sends in a window.
type Outbox<T> = Vec<Envelope<T>>;

/// By default, windows with fewer events than this (judged by the previous window)
/// run on the calling thread.
pub const PARALLEL_FROM_EVENTS: u64 = 512;

struct LogicalProcess<P: Partition> {
    model: P,
    queue: CalendarQueue<P::Payload>,
    /// What the partition sends in the current window. It lives here, beside the
    /// partition's other state, so that threads filling different outboxes never
    /// write to one cache line.
    outbox: Outbox<P::Payload>,
    counter: u64,
    events: u64,
    /// The time of the last event handled.
    last_event: SimTime,
}

impl<P: Partition> LogicalProcess<P> {
    /// Handles every event before `window_end`; returns how many.
    fn run_window(&mut self, index: usize, window_end: SimTime, lookahead: SimDuration, partitions: u64) -> u64 {
        let before = self.events;
        while let Some(entry) = self.queue.pop_before(window_end) {
            let mut ctx = Ctx {
                now: entry.key.time,
                me: PartitionId(index as u32),
                partitions,
                lookahead,
                counter: &mut self.counter,
                queue: &mut self.queue,
                outbox: &mut self.outbox,
            };
            self.last_event = entry.key.time;
            self.model.handle(entry.key, entry.payload, &mut ctx);
            self.events += 1;
        }
        self.events - before
    }
}

/// Counts kept by the engine itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EngineStats {
    /// Events handled, over all partitions.
    pub events: u64,
    /// Windows (barriers) run.
    pub windows: u64,
    /// Messages that crossed partitions.
    pub messages: u64,
    /// Events handled by the busiest partition: a window ends only when its
    /// slowest partition is done, so a partition holding much of the work caps what
    /// more threads can gain.
    pub busiest_partition_events: u64,
}

/// Runs a fixed set of partitions to a horizon.
pub struct Engine<P: Partition, X: Exchange<P::Payload> = InProcess> {
    lps: Vec<LogicalProcess<P>>,
    /// The partitions' outboxes, by sender, swapped in from the partitions at a
    /// barrier and back out emptied. These buffers (like the two below) keep their
    /// capacity, so a barrier allocates nothing once a run has warmed up.
    outboxes: Vec<Outbox<P::Payload>>,
    /// What each partition receives at a barrier, by receiver.
    inboxes: Vec<Outbox<P::Payload>>,
    /// Each partition's next event time, gathered at a barrier.
    next_times: Vec<Option<SimTime>>,
    lookahead: SimDuration,
    exchange: X,
    /// Where the local partitions sit in the run.
    placement: Placement,
    /// Whether `init` left messages in the outboxes: they go at the next step, so
    /// that every process reaches the exchange equally often.
    unflushed: bool,
    stats: EngineStats,
    window_start: SimTime,
    last_window_events: u64,
    parallel_from_events: u64,
}

impl<P: Partition> Engine<P, InProcess> {
    /// An engine whose partitions all live in this process.
    pub fn new(partitions: Vec<P>, lookahead: SimDuration, shape: CalendarShape) -> Self {
        Engine::with_exchange(partitions, lookahead, shape, InProcess)
    }
}

impl<P: Partition, X: Exchange<P::Payload>> Engine<P, X> {
    /// An engine with a given exchange. Panics if the lookahead is zero.
    pub fn with_exchange(partitions: Vec<P>, lookahead: SimDuration, shape: CalendarShape, exchange: X) -> Self {
        assert!(lookahead > SimDuration::ZERO, "the lookahead must be positive");
        assert!(!partitions.is_empty(), "a run needs at least one partition");
        let n = partitions.len();
        let placement = exchange.placement(n);
        assert!(placement.first as usize + n <= placement.total as usize, "the partitions do not fit the run's");
        let lps = partitions
            .into_iter()
            .map(|model| LogicalProcess {
                model,
                queue: CalendarQueue::new(shape),
                outbox: Vec::new(),
                counter: 0,
                events: 0,
                last_event: SimTime::ZERO,
            })
            .collect();
        Engine {
            lps,
            outboxes: (0..n).map(|_| Vec::new()).collect(),
            inboxes: (0..n).map(|_| Vec::new()).collect(),
            next_times: vec![None; n],
            lookahead,
            exchange,
            placement,
            unflushed: false,
            stats: EngineStats::default(),
            window_start: SimTime::ZERO,
            last_window_events: 0,
            parallel_from_events: PARALLEL_FROM_EVENTS,
        }
    }

    fn ctx_parts(&mut self, p: usize) -> (&mut P, Ctx<'_, P::Payload>) {
        let (first, partitions) = (self.placement.first, u64::from(self.placement.total));
        let lp = &mut self.lps[p];
        let ctx = Ctx {
            now: self.window_start,
            me: PartitionId(first + p as u32),
            partitions,
            lookahead: self.lookahead,
            counter: &mut lp.counter,
            queue: &mut lp.queue,
            outbox: &mut lp.outbox,
        };
        (&mut lp.model, ctx)
    }

    /// Fans windows out to threads only from `events` events per window (and
    /// deliveries from that many messages); 0 always fans out. Speed only: results
    /// are the same for every value.
    pub fn with_parallel_from(mut self, events: u64) -> Self {
        self.parallel_from_events = events;
        self
    }

    /// Lets partition `p` (by its number in the run, which must be local) schedule
    /// its first events (at `at` or later) before the run. What it sends goes at
    /// the first step.
    pub fn init<F>(&mut self, p: PartitionId, at: SimTime, f: F)
    where
        F: FnOnce(&mut P, &mut Ctx<'_, P::Payload>),
    {
        self.window_start = at;
        let local = p.0.checked_sub(self.placement.first).filter(|i| (*i as usize) < self.lps.len());
        let local = local.unwrap_or_else(|| panic!("partition {} is not in this process", p.0));
        let (model, mut ctx) = self.ctx_parts(local as usize);
        f(model, &mut ctx);
        self.unflushed = true;
    }

    /// Where this engine's partitions sit in the run.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// The exchange, between windows: for the run's own collectives.
    pub fn exchange_mut(&mut self) -> &mut X {
        &mut self.exchange
    }

    /// Runs one window that ends no later than `end`. Returns its start, or `None`
    /// if no event remains before `end`.
    pub fn step(&mut self, end: SimTime) -> Option<SimTime> {
        if std::mem::take(&mut self.unflushed) {
            self.flush();
        }
        for (t, lp) in self.next_times.iter_mut().zip(&mut self.lps) {
            *t = lp.queue.next_time();
        }
        let start = self.exchange.next_time(&self.next_times).filter(|t| *t < end)?;
        let window_end = start.saturating_add(self.lookahead).min(end);
        let (lookahead, first, partitions) =
            (self.lookahead, self.placement.first as usize, u64::from(self.placement.total));
        let run =
            |(i, lp): (usize, &mut LogicalProcess<P>)| lp.run_window(first + i, window_end, lookahead, partitions);
        // Fanning a window out to threads costs microseconds; below a few hundred
        // events it costs more than it saves. Which thread runs a partition never
        // changes what it computes, so this choice cannot change results.
        self.last_window_events = if self.last_window_events < self.parallel_from_events {
            self.lps.iter_mut().enumerate().map(run).sum()
        } else {
            self.lps.par_iter_mut().enumerate().map(run).sum()
        };
        self.window_start = window_end;
        self.stats.windows += 1;
        self.flush();
        Some(start)
    }

    /// Delivers all outboxes through the exchange.
    fn flush(&mut self) {
        for (lp, outbox) in self.lps.iter_mut().zip(&mut self.outboxes) {
            std::mem::swap(&mut lp.outbox, outbox);
        }
        let messages = self.outboxes.iter().map(|o| o.len() as u64).sum::<u64>();
        self.stats.messages += messages;
        self.exchange.deliver(&mut self.outboxes, &mut self.inboxes);
        for (lp, outbox) in self.lps.iter_mut().zip(&mut self.outboxes) {
            std::mem::swap(&mut lp.outbox, outbox);
        }
        let deliver = |(lp, inbox): (&mut LogicalProcess<P>, &mut Vec<Envelope<P::Payload>>)| {
            for env in inbox.drain(..) {
                lp.queue.push(Entry { key: env.key, payload: env.payload });
            }
        };
        if messages < self.parallel_from_events {
            self.lps.iter_mut().zip(&mut self.inboxes).for_each(deliver);
        } else {
            self.lps.par_iter_mut().zip(&mut self.inboxes).for_each(deliver);
        }
    }

    /// Runs every event before `end`.
    pub fn run_until(&mut self, end: SimTime) {
        while self.step(end).is_some() {}
    }

    /// The time up to which every event has been handled.
    pub fn now(&self) -> SimTime {
        self.window_start
    }

    /// The time of the last event handled, in any partition (time zero if none).
    pub fn last_event_time(&self) -> SimTime {
        self.lps.iter().map(|lp| lp.last_event).max().unwrap_or(SimTime::ZERO)
    }

    /// Events still pending, over all partitions.
    pub fn pending(&self) -> usize {
        self.lps.iter().map(|lp| lp.queue.len()).sum()
    }

    /// The engine's own counts.
    pub fn stats(&self) -> EngineStats {
        EngineStats {
            events: self.lps.iter().map(|lp| lp.events).sum(),
            busiest_partition_events: self.lps.iter().map(|lp| lp.events).max().unwrap_or(0),
            ..self.stats
        }
    }

    /// Events handled by each local partition, in index order: how the work fell.
    pub fn partition_events(&self) -> Vec<u64> {
        self.lps.iter().map(|lp| lp.events).collect()
    }

    /// The partitions, in index order (for reading results).
    pub fn partitions(&self) -> impl Iterator<Item = &P> {
        self.lps.iter().map(|lp| &lp.model)
    }

    /// The partitions, in index order, between windows: to take what they gathered
    /// (rows, say) while the run goes on. Nothing here reaches the event queues.
    pub fn partitions_mut(&mut self) -> impl Iterator<Item = &mut P> {
        self.lps.iter_mut().map(|lp| &mut lp.model)
    }

    /// Ends the run and returns the partitions in index order.
    pub fn into_partitions(self) -> Vec<P> {
        self.lps.into_iter().map(|lp| lp.model).collect()
    }

    /// Ends the run and returns the partitions in index order, and the exchange (for
    /// gathering what they hold).
    pub fn into_parts(self) -> (Vec<P>, X) {
        (self.lps.into_iter().map(|lp| lp.model).collect(), self.exchange)
    }
}

/// Runs `f` on a pool of exactly `threads` worker threads.
///
/// The thread count changes speed only: partitions, windows and event order do not
/// depend on it.
pub fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .expect("building the worker thread pool")
        .install(f)
}
