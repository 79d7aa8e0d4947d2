//! The whole network as one simulation: DSP shards and CSP blocks as partitions of
//! the [`sim`] engine, and the run that drives them.
//!
//! This is the dispatch layer: it builds the [`World`], hosts the components in
//! partitions and routes each [`Event`] to the component it names. The components
//! never import it.

pub mod block;
pub mod event;
mod ranks;
#[cfg(test)]
mod rtt4;
pub mod shard;
mod wire;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sim::{CalendarShape, Cluster, Ctx, Engine, EventKey, Exchange, InProcess, Partition, PartitionId, SimTime};

use crate::alert::AlertRecord;
use crate::context::Context;
use crate::measures::rows::DRAIN_EVERY;
use crate::measures::{Measures, RowSink, Rows, RunOutput, SinkStopped};
use crate::scenario::{RowChoice, Scenario};
use crate::service_request::ServiceRequestRecord;
use crate::world::World;
use block::CspBlock;
pub use event::Event;
use ranks::{Drained, Finished};
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
    run_world_on(world, options, progress, stop, sink, InProcess)
}

/// [`run_world`] as one rank of a run split over processes by `exchange` (the
/// `sim-mpi` crate gives one over MPI). Each rank builds the whole world but runs
/// only its block of partitions; rank 0 gathers every partition's rows and figures,
/// in partition order, and alone hands rows to its `sink` and returns figures (the
/// other ranks' outputs are empty). The results are those of one process. Every
/// rank must be called with the same world and options.
pub fn run_world_on<X>(
    world: Arc<World>,
    options: RunOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
    stop: &AtomicBool,
    sink: &mut dyn RowSink,
    exchange: X,
) -> Result<RunOutput, Stopped>
where
    X: Exchange<Event> + Cluster + Send,
{
    let threads = options.threads;
    let layout = &world.layout;
    let mine = exchange.partitions(layout.partitions());
    let mut partitions = Vec::with_capacity(mine.len());
    for p in mine.clone() {
        partitions.push(if p < layout.shards() {
            NetworkPartition::Dsp(DspShard::new(world.clone(), p))
        } else {
            let (region, k) = layout.csp_block(PartitionId(p)).expect("a CSP partition");
            NetworkPartition::Csp(CspBlock::new(world.clone(), region, k))
        });
    }
    // One thread never fans a window out, so it needs no pool of its own: the run
    // stays on the caller's thread. A sweep job relies on that to catch a panic,
    // and keep its message, on the thread that runs the job.
    let parallel_from = if threads <= 1 { u64::MAX } else { options.parallel_from_events };
    let lookahead = world.scenario.lookahead();
    let mut engine =
        Engine::with_exchange(partitions, lookahead, NETWORK_CALENDAR, exchange).with_parallel_from(parallel_from);
    for p in mine {
        engine.init(PartitionId(p), SimTime::ZERO, |p, ctx| match p {
            NetworkPartition::Dsp(shard) => shard.start(&mut Context::new(ctx, shard.streams())),
            NetworkPartition::Csp(block) => block.start(&mut Context::new(ctx, block.streams())),
        });
    }
    let split = engine.exchange_mut().ranks() > 1;
    let end = world.scenario.horizon + world.scenario.drain_limit;
    let mut measures = Measures::new(&world);
    let mut stopped = None;
    let mut run_windows = || {
        let mut windows = 0u64;
        let mut next_drain = SimTime::ZERO + DRAIN_EVERY;
        loop {
            // Ranks stop together, or the next collective would wait forever.
            let mut stop_now = stop.load(Ordering::Relaxed);
            if split {
                stop_now = engine.exchange_mut().all_max(u64::from(stop_now)) == 1;
            }
            if stop_now {
                let reason = match drain(&mut engine, &world, &mut measures, sink) {
                    Ok(()) => StopReason::Interrupted,
                    Err(SinkStopped) => StopReason::SinkFailed,
                };
                stopped = Some(Stopped { reason, at: engine.now(), engine: engine_stats(&mut engine) });
                break;
            }
            let Some(now) = engine.step(end) else { break };
            if engine.now() >= next_drain {
                if drain(&mut engine, &world, &mut measures, sink).is_err() {
                    stopped = Some(Stopped {
                        reason: StopReason::SinkFailed,
                        at: engine.now(),
                        engine: engine_stats(&mut engine),
                    });
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
    let pending = engine.pending() as u64;
    let last_work = engine.partitions_mut().map(|p| p.last_completion()).max().unwrap_or(SimTime::ZERO);
    let last = engine.last_event_time().max(last_work);
    let cluster = engine.exchange_mut();
    let (pending, last) = (cluster.all_sum(pending), SimTime(cluster.all_max(last.0)));
    let finished_at = if pending == 0 { last.min(end) } else { end };
    let stats = engine_stats(&mut engine);
    collect(&world, engine, stats, measures, finished_at, sink).map_err(|SinkStopped| Stopped {
        reason: StopReason::SinkFailed,
        at: finished_at,
        engine: stats,
    })
}

/// The engine's counts over every rank (a collective: every rank calls it at the
/// same point).
fn engine_stats<X: Exchange<Event> + Cluster>(engine: &mut Engine<NetworkPartition, X>) -> sim::EngineStats {
    let local = engine.stats();
    let cluster = engine.exchange_mut();
    sim::EngineStats {
        events: cluster.all_sum(local.events),
        windows: local.windows,
        messages: cluster.all_sum(local.messages),
        busiest_partition_events: cluster.all_max(local.busiest_partition_events),
    }
}

/// Takes every partition's finished rows and series, in partition order, and
/// delivers them (at rank 0 of a split run). Ranks agree on a failed sink.
fn drain<X: Exchange<Event> + Cluster>(
    engine: &mut Engine<NetworkPartition, X>,
    world: &World,
    measures: &mut Measures,
    sink: &mut dyn RowSink,
) -> Result<(), SinkStopped> {
    let now = engine.now();
    let mine: Vec<Drained> = engine.partitions_mut().map(|p| p.drain(now)).collect();
    let cluster = engine.exchange_mut();
    let (mut requests, mut alerts) = (Vec::new(), Vec::new());
    for drained in ranks::gathered(cluster, mine) {
        match drained {
            Drained::Dsp { requests: r, alerts: a, series } => {
                requests.extend(r);
                alerts.extend(a);
                let [gateway, dsp, cos, smets1, delivery] = series;
                let stages = &mut measures.stages;
                stages.user_gateway.merge(&gateway);
                stages.dsp.merge(&dsp);
                stages.cos_party.merge(&cos);
                stages.smets1_service.merge(&smets1);
                stages.alert_delivery.merge(&delivery);
            }
            Drained::Csp { region, alerts: a, series } => {
                alerts.extend(a);
                measures.stages.wan_cells[region.index()].merge(&series);
            }
        }
    }
    let mut failed = deliver(requests, alerts, world, measures, sink).is_err();
    if cluster.ranks() > 1 {
        failed = cluster.all_max(u64::from(failed)) == 1;
    }
    if failed { Err(SinkStopped) } else { Ok(()) }
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

fn collect<X: Exchange<Event> + Cluster>(
    world: &Arc<World>,
    engine: Engine<NetworkPartition, X>,
    stats: sim::EngineStats,
    mut measures: Measures,
    end: SimTime,
    sink: &mut dyn RowSink,
) -> Result<RunOutput, SinkStopped> {
    measures.run.engine = stats;
    measures.run.end = end;
    let (partitions, mut cluster) = engine.into_parts();
    let root = cluster.rank() == 0;
    let mine: Vec<Finished> = partitions.into_iter().map(|p| p.finish(end)).collect();
    for finished in ranks::gathered(&mut cluster, mine) {
        match finished {
            Finished::Dsp(r) => {
                deliver(r.records, r.alert_records, world, &mut measures, sink)?;
                measures.run.submitted += r.submitted;
                measures.connections.merge(&r.connections);
                measures.gateway_downtime.merge(&r.downtime);
                measures.throttle.merge(&r.throttle);
                measures.anomaly.merge_counters(&r.anomaly);
                let stages = &mut measures.stages;
                stages.user_gateway.merge(&r.user_gateway);
                stages.dsp.merge(&r.dsp);
                stages.cos_party.merge(&r.cos_party);
                stages.smets1_service.merge(&r.smets1_service);
                stages.alert_delivery.merge(&r.alert_delivery);
                measures.device_alerts.merge(&r.device_alerts);
            }
            Finished::Csp(region, r) => {
                deliver(Vec::new(), r.alert_records, world, &mut measures, sink)?;
                measures.stages.wan_cells[region.index()].merge(&r.merged);
                measures.wan_held.merge(&r.held);
                measures.cells.extend(r.cells);
                measures.device_alerts.merge(&r.device_alerts);
            }
        }
    }
    if root {
        // Copies decided at the hub (no WAN, no energy, consolidated) and those still
        // on their way: every copy of every alert ends in exactly one record.
        let unrecorded = measures.alerts.unrecorded(world);
        deliver(Vec::new(), unrecorded, world, &mut measures, sink)?;
    }
    measures.cells.sort_unstable_by_key(|c| c.cell);
    Ok(RunOutput { measures, rows: Rows::default(), world: world.clone() })
}
