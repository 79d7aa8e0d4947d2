//! What a component may do while it handles an event: read the clock, schedule its
//! own (or a neighbour's) events, send to another partition and draw from a named
//! random stream.
//!
//! [`Context`] is a thin wrapper over [`sim::Ctx`]. Components are generic over the
//! partition's event type `P`: they only ask that their own events (and the
//! messages they send) convert into it, so a component never names the dispatch
//! layer that hosts it, and a unit test can host it with an event type of its own.

use sim::{Ctx, EntityId, EventClass, PartitionId, SimTime, SplitMix64};

use crate::streams::{Purpose, Streams};

/// Completions run before arrivals at the same instant, so a server freed at `t`
/// serves a job arriving at `t` (the usual queueing convention).
pub const COMPLETION: EventClass = 0;
/// Arrivals and everything else.
pub const ARRIVAL: EventClass = 1;

/// A component's view of the engine while it handles one event.
pub struct Context<'c, 'a, P> {
    sim: &'c mut Ctx<'a, P>,
    streams: Streams,
}

impl<'c, 'a, P> Context<'c, 'a, P> {
    /// Wraps the engine's context; draws use `streams`.
    pub fn new(sim: &'c mut Ctx<'a, P>, streams: Streams) -> Context<'c, 'a, P> {
        Context { sim, streams }
    }

    /// The time of the event being handled.
    pub fn now(&self) -> SimTime {
        self.sim.now()
    }

    /// Schedules `event` in this partition, at `at`, ordered by `class` and the
    /// entity that schedules it.
    pub fn schedule(&mut self, at: SimTime, class: EventClass, entity: EntityId, event: impl Into<P>) {
        self.sim.schedule(at, class, entity, event.into());
    }

    /// Sends `event` to partition `to` (at least a lookahead ahead if it is another).
    pub fn send(&mut self, to: PartitionId, at: SimTime, class: EventClass, entity: EntityId, event: impl Into<P>) {
        self.sim.send(to, at, class, entity, event.into());
    }

    /// The stream for `purpose` of `entity`, `counter`-th use.
    pub fn rng(&self, entity: u64, purpose: Purpose, counter: u64) -> SplitMix64 {
        self.streams.stream(entity, purpose, counter)
    }

    /// The run's streams.
    pub fn streams(&self) -> Streams {
        self.streams
    }
}
