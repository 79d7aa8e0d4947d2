//! The whole network as one simulation: DSP shards and CSP blocks as partitions of
//! the [`sim`] engine, and the run that drives them.

pub mod event;
pub mod layout;
pub mod streams;

use std::sync::Arc;

use sim::{CalendarShape, Ctx, Engine, EventKey, Partition, PartitionId, SimTime};

use crate::alert::{AlertOutcome, AlertPlan, AlertRecord, Recipient};
use crate::csp::CspBlock;
use crate::dsp::DspShard;
use crate::measures::{CpmCounts, Measures, Rows, RunFacts, RunOutput, RunWorld, StageStats, TrtCounts};
use crate::outage::Outages;
use crate::population::Population;
use crate::region::CspRegion;
use crate::scenario::Scenario;
use crate::service_request::ServiceRequestJob;
use event::{ARRIVAL, NetworkEvent};
use layout::{Layout, premises_entity};

/// What every partition may read: the scenario, the population and the layout.
/// Immutable for the whole run.
#[derive(Debug)]
pub struct Network {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Where the premises are.
    pub population: Arc<Population>,
    /// The partition map.
    pub layout: Layout,
    /// Each traffic stream's mean rate per second over a day.
    pub stream_rates_per_s: Vec<f64>,
    /// The DCC Users.
    pub users: crate::users::UserDirectory,
    /// Faults and power cuts.
    pub outages: Arc<Outages>,
    /// The alerts hubs raise.
    pub alert_plan: Arc<AlertPlan>,
    /// Each CSP block's rate of routine device alerts, per second.
    pub device_alert_rate_per_s: Vec<f64>,
}

impl Network {
    /// Builds the network a scenario describes.
    pub fn new(scenario: Scenario) -> Network {
        let population = Population::new(&scenario);
        let layout = Layout::new(&population, scenario.dsp.shards, scenario.csp_partitions_per_region);
        let stream_rates_per_s = scenario
            .traffic
            .iter()
            .map(|t| match (t.rate_per_s, t.per_premises_per_day) {
                (Some(rate), _) => rate,
                (None, Some(per_day)) => {
                    let targets = (0..population.premises()).filter(|&p| t.target.accepts(population.kind(p))).count();
                    per_day * targets as f64 / 86_400.0
                }
                (None, None) => 0.0,
            })
            .collect();
        let users = crate::users::UserDirectory::new(&scenario.supplier_shares, scenario.gas_transporters);
        let outages = Outages::generate(&scenario.outages, &population, scenario.seed);
        let alert_plan = AlertPlan::new(&scenario, &population, &layout, &users, &outages);
        let device_alert_rate_per_s = device_alert_rates(&scenario, &population, &layout);
        Network {
            device_alert_rate_per_s,
            scenario,
            population: Arc::new(population),
            layout,
            stream_rates_per_s,
            users,
            outages: Arc::new(outages),
            alert_plan: Arc::new(alert_plan),
        }
    }

    /// Hands a processed request to the CSP block owning the premises' cell: across
    /// the WAN Gateway Interface, then half the WAN round trip to the cell.
    pub fn send_to_csp(&self, job: ServiceRequestJob, ctx: &mut Ctx<'_, NetworkEvent>) {
        let region = self.population.region_of(job.premises);
        let to = self.layout.cell_partition(region, self.population.cell_of(job.premises));
        let network = self.population.kind(job.premises).network();
        let half_rtt = crate::csp::half_round_trip(&self.scenario, network, job.sr_id);
        let at = ctx.now() + self.scenario.wan_gateway_latency + half_rtt;
        ctx.send(to, at, ARRIVAL, premises_entity(job.premises), NetworkEvent::CommandAtCell(job));
    }

    /// Hands a response that left its cell back to its DSP shard: half the WAN round
    /// trip, then across the WAN Gateway Interface.
    pub fn send_to_dsp(&self, job: ServiceRequestJob, ctx: &mut Ctx<'_, NetworkEvent>) {
        let to = self.layout.shard_partition(self.layout.shard_of(job.sr_id));
        let network = self.population.kind(job.premises).network();
        let half_rtt = crate::csp::half_round_trip(&self.scenario, network, job.sr_id);
        let at = ctx.now() + half_rtt + self.scenario.wan_gateway_latency;
        ctx.send(to, at, ARRIVAL, premises_entity(job.premises), NetworkEvent::ResponseAtDsp(job));
    }
}

/// Each CSP block's rate of routine device alerts: its premises' meters (an ESME, a
/// GSME or both) × `alerts.device_alerts_per_meter_per_day`.
fn device_alert_rates(scenario: &Scenario, population: &Population, layout: &Layout) -> Vec<f64> {
    let blocks = (layout.partitions() - layout.shards()) as usize;
    let per_meter_per_s = scenario.alerts.device_alerts_per_meter_per_day / 86_400.0;
    let mut rates = vec![0.0; blocks];
    if per_meter_per_s <= 0.0 {
        return rates;
    }
    let mut meters = vec![0u64; blocks];
    for p in 0..population.premises() {
        let block = layout.cell_partition(population.region_of(p), population.cell_of(p)).0 - layout.shards();
        let fuel = population.kind(p).fuel();
        meters[block as usize] += if fuel == crate::population::Fuel::DualFuel { 2 } else { 1 };
    }
    for (rate, m) in rates.iter_mut().zip(meters) {
        *rate = m as f64 * per_meter_per_s;
    }
    rates
}

/// A partition of the network.
#[allow(clippy::large_enum_variant)] // A run has tens of partitions: size is no concern.
pub enum NetworkPartition {
    /// A DSP shard with its User Gateway and Users' traffic.
    Dsp(DspShard),
    /// A block of one CSP region's cells.
    Csp(CspBlock),
}

impl Partition for NetworkPartition {
    type Payload = NetworkEvent;
    fn handle(&mut self, _key: EventKey, event: NetworkEvent, ctx: &mut Ctx<'_, NetworkEvent>) {
        match self {
            NetworkPartition::Dsp(shard) => shard.handle(event, ctx),
            NetworkPartition::Csp(block) => block.handle(event, ctx),
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
    let threads = options.threads;
    let network = Arc::new(Network::new(scenario));
    let layout = &network.layout;
    let mut partitions = Vec::with_capacity(layout.partitions() as usize);
    for s in 0..layout.shards() {
        partitions.push(NetworkPartition::Dsp(DspShard::new(network.clone(), s)));
    }
    for p in layout.shards()..layout.partitions() {
        let (region, k) = layout.csp_block(PartitionId(p)).expect("a CSP partition");
        partitions.push(NetworkPartition::Csp(CspBlock::new(network.clone(), region, k)));
    }
    let mut engine = Engine::new(partitions, network.scenario.lookahead(), NETWORK_CALENDAR)
        .with_parallel_from(options.parallel_from_events);
    for p in 0..layout.partitions() {
        engine.init(PartitionId(p), SimTime::ZERO, |p, ctx| match p {
            NetworkPartition::Dsp(shard) => shard.start(ctx),
            NetworkPartition::Csp(block) => block.start(ctx),
        });
    }
    let end = network.scenario.horizon + network.scenario.drain_limit;
    sim::with_threads(threads, || {
        let mut windows = 0u64;
        while let Some(now) = engine.step(end) {
            windows += 1;
            if windows.is_multiple_of(256) {
                progress(Progress { now, end, events: engine.stats().events });
            }
        }
    });
    // The run ends when the last request is answered, or at the drain limit.
    let finished_at = if engine.pending() == 0 { engine.now().min(end) } else { end };
    collect(&network, engine, finished_at)
}

fn collect(network: &Network, engine: Engine<NetworkPartition>, end: SimTime) -> RunOutput {
    let scenario = &network.scenario;
    let mut measures = Measures {
        run: RunFacts { engine: engine.stats(), end, partitions: network.layout.partitions(), submitted: 0 },
        stages: StageStats::new(scenario.series_bucket),
        connections: crate::dsp::ConnectionStats::default(),
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
                measures.stages.wan_cells[region.index()].merge(&r.cells_merged);
                measures.cells.extend(r.cells);
                rows.alerts.extend(r.alert_records);
                measures.device_alerts.merge(&r.device_alerts);
            }
        }
    }
    rows.requests.sort_unstable_by_key(|r| r.sr_id);
    measures.cells.sort_unstable_by_key(|c| c.cell);
    rows.alerts = complete_alert_records(std::mem::take(&mut rows.alerts), &network.alert_plan);
    let world = RunWorld {
        population: network.population.clone(),
        user_names: (0..network.users.count()).map(|u| network.users.name(u as u16)).collect(),
        alert_plan: network.alert_plan.clone(),
        outages: network.outages.clone(),
    };
    RunOutput { measures, rows, world }
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
