//! Hosting one component on the engine, alone, for its unit tests.
//!
//! A test picks its own event type `E` (the component's events plus whatever the
//! component sends), a state holding the component, and a function that hands each
//! event to it. [`host`] runs that on a one-partition engine: the component sees a
//! real [`Context`], and nothing of the network is around it.

use std::sync::Arc;

use sim::{CalendarShape, Ctx, Engine, EventKey, Partition, PartitionId, SimDuration, SimTime};

use crate::context::Context;
use crate::scenario::Scenario;
use crate::streams::Streams;
use crate::world::World;

/// A small valid scenario: `premises` premises, one On Demand read stream of
/// `reads_per_s`, one DSP shard and one CSP block per region.
pub fn scenario(premises: u32, reads_per_s: f64) -> Scenario {
    let text = format!(
        "[scenario]\nname = \"unit\"\nhorizon_s = 3600\n[population]\npremises = {premises}\n\
         [[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nrate_per_s = {reads_per_s}\n"
    );
    let mut s = Scenario::parse("unit.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    s.partitions.per_csp_region = 1;
    s.dsp.shards = 1;
    s
}

/// A fresh request `sr_id` of stream 0 for `premises` from User `user`, submitted
/// (and due) at `at`: not yet signed, never retried.
pub fn job(sr_id: u64, premises: u32, user: u16, at: SimTime) -> crate::service_request::ServiceRequestJob {
    crate::service_request::ServiceRequestJob {
        sr_id,
        submitted: at,
        received: at,
        refusals: 0,
        premises,
        stream: 0,
        user,
        signed: false,
        quarantined: false,
        device_rejected: false,
        user_signing_us: 0,
        wan_retries: 0,
        payloads_sent: 0,
        execution: at,
    }
}

/// The world of `scenario`.
pub fn world(scenario: Scenario) -> Arc<World> {
    Arc::new(World::build(scenario))
}

/// Handles one event for a hosted component.
pub type Handler<S, E> = fn(&mut S, E, &mut Context<'_, '_, E>);

struct Host<S, E> {
    state: S,
    handler: Handler<S, E>,
    streams: Streams,
}

impl<S: Send, E: Send> Partition for Host<S, E> {
    type Payload = E;
    fn handle(&mut self, _key: EventKey, event: E, ctx: &mut Ctx<'_, E>) {
        (self.handler)(&mut self.state, event, &mut Context::new(ctx, self.streams));
    }
}

/// Runs `state` on a one-partition engine until `end`: `start` schedules the first
/// events, `handler` takes each one. Returns the state.
pub fn host<S: Send, E: Send>(
    state: S,
    streams: Streams,
    start: impl FnOnce(&mut S, &mut Context<'_, '_, E>),
    handler: Handler<S, E>,
    end: SimTime,
) -> S {
    let host = Host { state, handler, streams };
    let mut engine = Engine::new(vec![host], SimDuration::from_secs(1), CalendarShape::default());
    engine.init(PartitionId(0), SimTime::ZERO, |h, ctx| start(&mut h.state, &mut Context::new(ctx, streams)));
    engine.run_until(end);
    engine.into_partitions().pop().expect("one partition").state
}
