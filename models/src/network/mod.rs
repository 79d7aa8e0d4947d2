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

use crate::alert::{AlertOutcome, AlertPlan, AlertRecord, Recipient};
use crate::context::Context;
use crate::measures::{CpmCounts, Measures, Rows, RunFacts, RunOutput, StageStats, TrtCounts};
use crate::region::CspRegion;
use crate::scenario::Scenario;
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

/// Runs a scenario on `threads` worker threads. The result does not depend on
/// `threads`. `progress` is called now and then between windows.
pub fn run(scenario: Scenario, threads: usize, progress: &mut (dyn FnMut(Progress) + Send)) -> RunOutput {
    run_with(scenario, RunOptions { threads, parallel_from_events: sim::PARALLEL_FROM_EVENTS }, progress)
}

/// [`run`] with every speed setting.
pub fn run_with(scenario: Scenario, options: RunOptions, progress: &mut (dyn FnMut(Progress) + Send)) -> RunOutput {
    let never = AtomicBool::new(false);
    run_until_stopped(scenario, options, progress, &never).expect("a run nobody stops runs to its end")
}

/// A run stopped before its end, at a barrier between windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted {
    /// Simulated time the run had reached.
    pub at: SimTime,
}

/// [`run_with`], stopping at the first barrier after `stop` is set (by a signal
/// handler, say). A stopped run yields no figures: they would describe a shorter
/// run than the scenario asked for.
pub fn run_until_stopped(
    scenario: Scenario,
    options: RunOptions,
    progress: &mut (dyn FnMut(Progress) + Send),
    stop: &AtomicBool,
) -> Result<RunOutput, Interrupted> {
    let threads = options.threads;
    let world = Arc::new(World::build(scenario));
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
    let mut stopped = None;
    let mut run_windows = || {
        let mut windows = 0u64;
        loop {
            if stop.load(Ordering::Relaxed) {
                stopped = Some(Interrupted { at: engine.now() });
                break;
            }
            let Some(now) = engine.step(end) else { break };
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
    if let Some(interrupted) = stopped {
        return Err(interrupted);
    }
    // The run ends when the last request is answered, or at the drain limit.
    let finished_at = if engine.pending() == 0 { engine.now().min(end) } else { end };
    Ok(collect(&world, engine, finished_at))
}

fn collect(world: &Arc<World>, engine: Engine<NetworkPartition>, end: SimTime) -> RunOutput {
    let scenario = &world.scenario;
    let mut measures = Measures {
        run: RunFacts { engine: engine.stats(), end, partitions: world.layout.partitions(), submitted: 0 },
        stages: StageStats::new(scenario.series_bucket),
        connections: crate::user_gateway::ConnectionStats::default(),
        device_alerts: crate::alert::DeviceAlertStats::default(),
        cells: Vec::new(),
        trt: TrtCounts::default(),
        cpm: CpmCounts::new(scenario.start_date),
    };
    let mut rows = Rows::default();
    for partition in engine.into_partitions() {
        match partition {
            NetworkPartition::Dsp(mut shard) => {
                let r = shard.finish(end);
                measures.run.submitted += r.submitted;
                measures.connections.merge(&r.connections);
                let mut cpm = CpmCounts::new(scenario.start_date);
                r.records.iter().for_each(|record| cpm.add_request(record));
                measures.cpm.merge(&cpm);
                measures.trt.merge(&TrtCounts::of(&r.records));
                rows.requests.extend(r.records);
                let stages = &mut measures.stages;
                stages.user_gateway.merge(&r.user_gateway);
                stages.dsp.merge(&r.dsp);
                stages.cos_party.merge(&r.cos_party);
                stages.alert_delivery.merge(&r.alert_delivery);
                rows.alerts.extend(r.alert_records);
                measures.device_alerts.merge(&r.device_alerts);
            }
            NetworkPartition::Csp(mut block) => {
                let region: CspRegion = block.region();
                let r = block.finish(end);
                measures.stages.wan_cells[region.index()].merge(&r.merged);
                measures.cells.extend(r.cells);
                rows.alerts.extend(r.alert_records);
                measures.device_alerts.merge(&r.device_alerts);
            }
        }
    }
    rows.requests.sort_unstable_by_key(|r| r.sr_id);
    measures.cells.sort_unstable_by_key(|c| c.cell);
    rows.alerts = complete_alert_records(std::mem::take(&mut rows.alerts), &world.alert_plan);
    RunOutput { measures, rows, world: world.clone() }
}

/// Adds the copies decided at the hub (no WAN, no energy, consolidated) and those
/// still on their way (unfinished), so every copy of every alert has one record.
fn complete_alert_records(mut records: Vec<AlertRecord>, plan: &AlertPlan) -> Vec<AlertRecord> {
    records.sort_unstable_by_key(|r| (r.alert_id, r.recipient));
    let mut out = Vec::with_capacity(plan.alerts.iter().map(|a| usize::from(a.copies)).sum());
    let mut next = records.into_iter().peekable();
    for (id, a) in plan.alerts.iter().enumerate() {
        let id = id as u32;
        for recipient in [Recipient::ElectricityDistributor, Recipient::Supplier].into_iter().take(a.copies.into()) {
            let found = next.next_if(|r| r.alert_id == id && r.recipient == recipient);
            out.push(found.unwrap_or(AlertRecord {
                alert_id: id,
                recipient,
                outcome: a.fate.unwrap_or(AlertOutcome::Unfinished),
                csp_received: None,
                delivered: None,
                throttled_count: a.carried,
                aggregated: false,
            }));
        }
    }
    assert!(next.next().is_none(), "an alert copy was recorded twice or not planned");
    out
}
