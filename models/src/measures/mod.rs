//! # Measures: what a run found
//!
//! Everything the outputs report is computed here, from what the partitions
//! gathered; the `report` crate only writes tables and draws.
//!
//! A run gives a [`RunOutput`] in three parts:
//!
//! | part | what | size |
//! |---|---|---|
//! | [`Measures`] | aggregates: stage queues, User connection waits, routine alerts, radio cells, TRT and Code Performance Measure counts | bounded by the network, not the traffic |
//! | [`Rows`] | one row per Service Request and per alert copy, when kept in memory | grows with the traffic |
//! | [`World`] | the premises, Users, faults and alerts the run was about | fixed before the run |
//!
//! The run drains each partition's finished rows every [`rows::DRAIN_EVERY`] of
//! simulated time, in partition order: each row is counted into the aggregates
//! ([`Measures::add_request`], [`Measures::add_alert`]) and handed to a
//! [`RowSink`], which writes it to disk or keeps it. No figure is computed from the
//! rows afterwards, so memory does not grow with the traffic, and the figures are
//! the same whatever the thread count and whichever rows are kept. From the
//! aggregates:
//!
//! | module | figures |
//! |---|---|
//! | [`trt`] | Target Response Times overall, per region and per SR class (exact quantiles) |
//! | [`trt_cdf`] | their distributions, cut to a few hundred points for plots |
//! | [`cpm`] | Code Performance Measures per month (counts per month × region × User × SRV) |
//! | [`wan_outage`] | CSP regional outages: the region's requests, their drain, the other regions meanwhile |
//! | [`suspensions`] | DCC Users suspended: requests refused, top-ups replaced by UTRNs or missed, customers at risk |
//! | [`switching`] | Change of Supplier: switches completed in time, late or failed; commands devices refused; the CoS Party's load |
//! | [`anomaly`] | Threshold Anomaly Detection: requests quarantined, released or deleted; attacks' requests that reached devices |
//! | [`downtime`] | the User Gateway's downtime windows: backlog, refusals, drain; DSP availability per month |
//! | [`stages`] | each stage's queueing figures, whole-run and bucket by bucket |
//! | [`cells`] | each radio cell, and the busiest |
//! | [`alerts`] | outages, alerts, what the DNOs learnt and when |
//! | [`interruptions`] | customers' time off supply: each premises' interruptions, the tail past 1, 3 and 7 days |
//! | [`summary`] | all of it as one [`summary::RunSummary`] (`summary.json`) |

pub mod alert_tally;
pub mod alerts;
pub mod anomaly;
pub mod cells;
pub mod cpm;
pub mod downtime;
pub mod interruptions;
pub mod rows;
pub mod stages;
pub mod summary;
pub mod suspensions;
pub mod switching;
pub mod trt;
pub mod trt_cdf;
pub mod wan_outage;

use std::sync::Arc;

use sim::{EngineStats, SimTime, StationStats};

use crate::alert::{AlertRecord, DeviceAlertStats};
use crate::csp::CellFigures;
use crate::dsp::ConnectionStats;
use crate::service_request::ServiceRequestRecord;
use crate::world::World;

pub use alert_tally::AlertTally;
pub use cpm::{CpmCounts, MeasureResult, ServiceLevels, code_performance_measures};
pub use rows::{RowSink, Rows, SinkStopped};
pub use summary::RunSummary;
pub use trt::{TrtCounts, TrtFigures, TrtSummary, TrtTally};

/// Everything a run produced.
#[derive(Debug)]
pub struct RunOutput {
    /// Bounded aggregates, merged in partition order.
    pub measures: Measures,
    /// The rows the scenario keeps, in memory: filled by [`crate::network::run`]
    /// and [`crate::network::run_with`]; empty after [`crate::network::run_world`],
    /// whose rows went to its sink. No figure is computed from them.
    pub rows: Rows,
    /// What the run was about.
    pub world: Arc<World>,
}

/// How the run went as a computation.
#[derive(Debug, Clone, Copy)]
pub struct RunFacts {
    /// The engine's counts.
    pub engine: EngineStats,
    /// Simulated time at which the run ended.
    pub end: SimTime,
    /// Number of partitions.
    pub partitions: u32,
    /// Requests submitted.
    pub submitted: u64,
}

/// The queueing stations a request (or alert) passes, all partitions merged.
#[derive(Debug)]
pub struct StageStats {
    /// User Gateway, all DSP shards.
    pub user_gateway: StationStats,
    /// DSP processing, all shards.
    pub dsp: StationStats,
    /// CoS Party, all shards.
    pub cos_party: StationStats,
    /// SMETS1 service providers, all shards.
    pub smets1_service: StationStats,
    /// WAN cells per CSP region, indexed by [`crate::region::CspRegion::index`].
    pub wan_cells: [StationStats; 3],
    /// Alert delivery to Users, all shards.
    pub alert_delivery: StationStats,
}

impl StageStats {
    /// Empty stations with time series of `bucket`.
    pub fn new(bucket: sim::SimDuration) -> StageStats {
        StageStats {
            user_gateway: StationStats::new(bucket),
            dsp: StationStats::new(bucket),
            cos_party: StationStats::new(bucket),
            smets1_service: StationStats::new(bucket),
            wan_cells: std::array::from_fn(|_| StationStats::new(bucket)),
            alert_delivery: StationStats::new(bucket),
        }
    }
}

/// A run's aggregates.
#[derive(Debug)]
pub struct Measures {
    /// Engine counts, end and partitions.
    pub run: RunFacts,
    /// Stage figures.
    pub stages: StageStats,
    /// How Users' connection limits held requests back, all shards.
    pub connections: ConnectionStats,
    /// What the closed User Gateway turned away, all shards.
    pub gateway_downtime: crate::user_gateway::DowntimeStats,
    /// Each downtime window: its backlog and how it drained.
    pub downtime: downtime::DowntimeTally,
    /// What radio cells that were down held back, all blocks.
    pub wan_held: crate::csp::wan_cell::HeldStats,
    /// Each CSP regional outage: its region's requests and the others'.
    pub wan_outages: wan_outage::WanOutageTally,
    /// Each User suspension: requests refused, and its customers' UTRNs.
    pub suspensions: suspensions::SuspensionTally,
    /// Threshold Anomaly Detection, and attacks.
    pub anomaly: anomaly::AnomalyTally,
    /// Changes of supplier.
    pub switches: switching::SwitchTally,
    /// What throttling to Users' allocations did, all shards.
    pub throttle: crate::user_gateway::ThrottleStats,
    /// Routine device alerts, counted.
    pub device_alerts: DeviceAlertStats,
    /// Every radio cell's figures, by cell id.
    pub cells: Vec<CellFigures>,
    /// Service Requests counted overall, per region and per SR class.
    pub trt: TrtCounts,
    /// Service Requests counted for CPM1 and CPM2, and outage alert copies for CPM3
    /// (routine device alerts are added for the summary).
    pub cpm: CpmCounts,
    /// Requests submitted from the sweep's warm-up on (all of them without a
    /// warm-up), for a sweep's figures.
    pub trt_after_warmup: TrtTally,
    /// When the warm-up ends.
    pub warmup_end: SimTime,
    /// Alert copies and what the DNOs learnt.
    pub alerts: AlertTally,
}

impl Measures {
    /// Empty aggregates for a run of `world`.
    pub fn new(world: &World) -> Measures {
        let scenario = &world.scenario;
        Measures {
            run: RunFacts {
                engine: EngineStats::default(),
                end: SimTime::ZERO,
                partitions: world.layout.partitions(),
                submitted: 0,
            },
            stages: StageStats::new(scenario.series_bucket),
            connections: ConnectionStats::default(),
            gateway_downtime: Default::default(),
            downtime: downtime::DowntimeTally::new(&scenario.user_gateway.downtime),
            wan_held: Default::default(),
            wan_outages: wan_outage::WanOutageTally::new(&scenario.wan_outages),
            anomaly: anomaly::AnomalyTally::new(scenario),
            switches: switching::SwitchTally::new(world),
            throttle: Default::default(),
            suspensions: suspensions::SuspensionTally::new(
                &scenario.user_suspensions,
                scenario.premises,
                world.streams,
            ),
            device_alerts: DeviceAlertStats::default(),
            cells: Vec::new(),
            trt: TrtCounts::default(),
            cpm: CpmCounts::new(scenario.measurement.start_date),
            trt_after_warmup: TrtTally::default(),
            warmup_end: SimTime::ZERO + scenario.sweep.as_ref().map_or(sim::SimDuration::ZERO, |s| s.warmup),
            alerts: AlertTally::new(world),
        }
    }

    /// Counts one finished Service Request.
    pub fn add_request(&mut self, r: &ServiceRequestRecord) {
        self.trt.add(r);
        self.cpm.add_request(r);
        if r.submitted >= self.warmup_end {
            self.trt_after_warmup.add(r);
        }
        self.alerts.add_request(r);
        self.downtime.add(r);
        self.wan_outages.add(r);
        self.suspensions.add(r);
        self.anomaly.add(r);
        self.switches.add(r);
    }

    /// Counts one alert copy that ended.
    pub fn add_alert(&mut self, a: &AlertRecord, world: &World) {
        self.alerts.add(a, world, &mut self.cpm);
    }
}
