//! The whole network as one simulation: DSP shards and CSP blocks as partitions of
//! the [`sim`] engine, and the run that drives them.
//!
//! This is the dispatch layer: it builds the [`World`], hosts the components in
//! partitions and routes each [`Event`] to the component it names. The components
//! never import it.

pub mod block;
pub mod event;
pub mod shard;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sim::{CalendarShape, Ctx, Engine, EventKey, Partition, PartitionId, SimTime};

use crate::alert::AlertRecord;
use crate::context::Context;
use crate::measures::rows::DRAIN_EVERY;
use crate::measures::{Measures, RowSink, Rows, RunOutput, SinkStopped};
use crate::region::CspRegion;
use crate::scenario::{RowChoice, Scenario};
use crate::service_request::ServiceRequestRecord;
use crate::world::World;
use block::CspBlock;
pub use event::Event;
use shard::DspShard;

/// A partition of the network.
#[allow(clippy::large_enum_variant)] // A run has tens of partitions: size is no concern.
pub enum NetworkPartition {
    /// A DSP shard with its User Gateway and Users' traffic.
    Dsp(DspShard),
    /// A block of one CSP region's cells.
    Csp(CspBlock),
}

impl Partition for NetworkPartition {
    type Payload = Event;
    fn handle(&mut self, _key: EventKey, event: Event, ctx: &mut Ctx<'_, Event>) {
        match self {
            NetworkPartition::Dsp(shard) => shard.handle(event, &mut Context::new(ctx, shard.streams())),
            NetworkPartition::Csp(block) => block.handle(event, &mut Context::new(ctx, block.streams())),
        }
    }
}

impl NetworkPartition {
    /// The latest time a server of the partition finishes work (time zero if none).
    fn last_completion(&self) -> SimTime {
        match self {
            NetworkPartition::Dsp(shard) => shard.last_completion(),
            NetworkPartition::Csp(block) => block.last_completion(),
        }
    }
}

/// Progress of a run, reported between windows.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Simulated time reached.
    pub now: SimTime,
    /// Simulated time at which the run stops at the latest.
    pub end: SimTime,
    /// Events handled so far.
    pub events: u64,
}

/// Each partition's pending events: 32.8 ms buckets, 2,048 of them (a 67 s year).
/// Few enough bucket headers to stay in cache (48 KiB), wide enough to hold tens of
/// events each at national rates; empty buckets are skipped by the queue's bitmap.
/// Measured against 1.024 ms × 65,536 (the engine default), 16.4 ms × 4,096 and
/// 65.5 ms × 1,024 on the GB day at 3% and 25% (BENCHMARKS.md). A speed setting
/// only: the event order does not depend on it.
const NETWORK_CALENDAR: CalendarShape = CalendarShape { bucket_width_log2_us: 15, buckets_log2: 11 };

/// How to run: speed settings only, which never change results.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Worker threads.
    pub threads: usize,
    /// Fan a window out to threads only from this many events (see
    /// [`Engine::with_parallel_from`]).
    pub parallel_from_events: u64,
}

/// Runs a scenario on `threads` worker threads, keeping every row in memory. The
/// result does not depend on `threads`. `progress` is called now and then between
/// windows.
pub fn run(scenario: Scenario, threads: usize, progress: &mut (dyn FnMut(Progress) + Send)) -> RunOutput {
    run_with(scenario, RunOptions { threads, parallel_from_events: sim::PARALLEL_FROM_EVENTS }, progress)
}

/// [`run`] with every speed setting.
pub fn run_with(scenario: Scenario, options: RunOptions, progress: &mut (dyn FnMut(Progress) + Send)) -> RunOutput {
    let never = AtomicBool::new(false);
    let world = Arc::new(World::build(scenario));
    let mut rows = Rows::default();
    let mut output = run_world(world, options, progress, &never, &mut rows)
        .expect("a run nobody stops, into memory, runs to its end");
    output.rows = rows;
    output
}

/// A run stopped before its end, at a barrier between windows. The rows of
/// everything that ended before it have reached the sink (unless it failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped {
    /// Why.
    pub reason: StopReason,
    /// Simulated time reached.
    pub at: SimTime,
    /// The engine's counts then.
    pub engine: sim::EngineStats,
}

/// Why a run stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// `stop` was set (by a signal handler, say).
    Interrupted,
    /// The sink refused rows (its writer failed).
    SinkFailed,
}

/// Runs `world`, handing rows to `sink` as they end (every [`DRAIN_EVERY`] of
/// simulated time, and at the end) and stopping at the first barrier after `stop` is
/// set. The output's `rows` are empty: they went to the sink. A stopped run yields
/// no figures: they would describe a shorter run than the scenario asked for.
pub fn run_world(
    world: Arc<World>,
    options: RunOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
    stop: &AtomicBool,
    sink: &mut dyn RowSink,
) -> Result<RunOutput, Stopped> {
    let threads = options.threads;
    let layout = &world.layout;
    let mut partitions = Vec::with_capacity(layout.partitions() as usize);
    for s in 0..layout.shards() {
        partitions.push(NetworkPartition::Dsp(DspShard::new(world.clone(), s)));
    }
    for p in layout.shards()..layout.partitions() {
        let (region, k) = layout.csp_block(PartitionId(p)).expect("a CSP partition");
        partitions.push(NetworkPartition::Csp(CspBlock::new(world.clone(), region, k)));
    }
    // One thread never fans a window out, so it needs no pool of its own: the run
    // stays on the caller's thread. A sweep job relies on that to catch a panic,
    // and keep its message, on the thread that runs the job.
    let parallel_from = if threads <= 1 { u64::MAX } else { options.parallel_from_events };
    let mut engine =
        Engine::new(partitions, world.scenario.lookahead(), NETWORK_CALENDAR).with_parallel_from(parallel_from);
    for p in 0..layout.partitions() {
        engine.init(PartitionId(p), SimTime::ZERO, |p, ctx| match p {
            NetworkPartition::Dsp(shard) => shard.start(&mut Context::new(ctx, shard.streams())),
            NetworkPartition::Csp(block) => block.start(&mut Context::new(ctx, block.streams())),
        });
    }
    let end = world.scenario.horizon + world.scenario.drain_limit;
    let mut measures = Measures::new(&world);
    let mut stopped = None;
    let mut run_windows = || {
        let mut windows = 0u64;
        let mut next_drain = SimTime::ZERO + DRAIN_EVERY;
        loop {
            if stop.load(Ordering::Relaxed) {
                let reason = match drain(&mut engine, &world, &mut measures, sink) {
                    Ok(()) => StopReason::Interrupted,
                    Err(SinkStopped) => StopReason::SinkFailed,
                };
                stopped = Some(Stopped { reason, at: engine.now(), engine: engine.stats() });
                break;
            }
            let Some(now) = engine.step(end) else { break };
            if engine.now() >= next_drain {
                if drain(&mut engine, &world, &mut measures, sink).is_err() {
                    stopped =
                        Some(Stopped { reason: StopReason::SinkFailed, at: engine.now(), engine: engine.stats() });
                    break;
                }
                next_drain = engine.now() + DRAIN_EVERY;
            }
            windows += 1;
            if windows.is_multiple_of(256) {
                progress(Progress { now, end, events: engine.stats().events });
            }
        }
    };
    if threads <= 1 {
        run_windows();
    } else {
        sim::with_threads(threads, run_windows);
    }
    if let Some(stopped) = stopped {
        return Err(stopped);
    }
    // The run ends with the last thing that happens: its last event, or work that
    // event set in train (a response the DSP answers, an alert that runs out of
    // retries), which ends when its servers finish it. At the latest, it ends at the
    // drain limit.
    let finished_at = if engine.pending() == 0 {
        let last_work = engine.partitions_mut().map(|p| p.last_completion()).max().unwrap_or(SimTime::ZERO);
        engine.last_event_time().max(last_work).min(end)
    } else {
        end
    };
    let stats = engine.stats();
    collect(&world, engine, measures, finished_at, sink).map_err(|SinkStopped| Stopped {
        reason: StopReason::SinkFailed,
        at: finished_at,
        engine: stats,
    })
}

/// Takes every partition's finished rows, in partition order, and delivers them.
fn drain(
    engine: &mut Engine<NetworkPartition>,
    world: &World,
    measures: &mut Measures,
    sink: &mut dyn RowSink,
) -> Result<(), SinkStopped> {
    let (mut requests, mut alerts) = (Vec::new(), Vec::new());
    let now = engine.now();
    for partition in engine.partitions_mut() {
        match partition {
            NetworkPartition::Dsp(shard) => {
                let (r, a) = shard.take_rows(now);
                requests.extend(r);
                alerts.extend(a);
                shard.hand_on_series(now, &mut measures.stages);
            }
            NetworkPartition::Csp(block) => {
                alerts.extend(block.take_alerts());
                block.hand_on_series(now, &mut measures.stages.wan_cells[block.region().index()]);
            }
        }
    }
    deliver(requests, alerts, world, measures, sink)
}

/// Counts rows into the measures and hands those the scenario keeps to the sink.
fn deliver(
    mut requests: Vec<ServiceRequestRecord>,
    mut alerts: Vec<AlertRecord>,
    world: &World,
    measures: &mut Measures,
    sink: &mut dyn RowSink,
) -> Result<(), SinkStopped> {
    requests.iter().for_each(|r| measures.add_request(r));
    alerts.iter().for_each(|a| measures.add_alert(a, world));
    let output = world.scenario.output;
    if output.rows == RowChoice::None {
        return Ok(());
    }
    requests.retain(|r| output.keeps(r.premises));
    alerts.retain(|a| output.keeps(world.alert_plan.alerts[a.alert_id as usize].premises));
    if !requests.is_empty() {
        sink.requests(requests)?;
    }
    if !alerts.is_empty() {
        sink.alerts(alerts)?;
    }
    Ok(())
}

fn collect(
    world: &Arc<World>,
    engine: Engine<NetworkPartition>,
    mut measures: Measures,
    end: SimTime,
    sink: &mut dyn RowSink,
) -> Result<RunOutput, SinkStopped> {
    measures.run.engine = engine.stats();
    measures.run.end = end;
    for partition in engine.into_partitions() {
        match partition {
            NetworkPartition::Dsp(mut shard) => {
                let r = shard.finish(end);
                deliver(r.records, r.alert_records, world, &mut measures, sink)?;
                measures.run.submitted += r.submitted;
                measures.connections.merge(&r.connections);
                let stages = &mut measures.stages;
                stages.user_gateway.merge(&r.user_gateway);
                stages.dsp.merge(&r.dsp);
                stages.cos_party.merge(&r.cos_party);
                stages.alert_delivery.merge(&r.alert_delivery);
                measures.device_alerts.merge(&r.device_alerts);
            }
            NetworkPartition::Csp(mut block) => {
                let region: CspRegion = block.region();
                let r = block.finish(end);
                deliver(Vec::new(), r.alert_records, world, &mut measures, sink)?;
                measures.stages.wan_cells[region.index()].merge(&r.merged);
                measures.cells.extend(r.cells);
                measures.device_alerts.merge(&r.device_alerts);
            }
        }
    }
    // Copies decided at the hub (no WAN, no energy, consolidated) and those still on
    // their way: every copy of every alert ends in exactly one record.
    let unrecorded = measures.alerts.unrecorded(world);
    deliver(Vec::new(), unrecorded, world, &mut measures, sink)?;
    measures.cells.sort_unstable_by_key(|c| c.cell);
    Ok(RunOutput { measures, rows: Rows::default(), world: world.clone() })
}
