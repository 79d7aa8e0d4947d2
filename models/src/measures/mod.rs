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
//! | [`Rows`] | one row per Service Request and per alert copy | grows with the traffic |
//! | [`World`] | the premises, Users, faults and alerts the run was about | fixed before the run |
//!
//! Aggregates merge partition by partition, in partition order, so the figures are
//! the same whatever the thread count. From them and the rows:
//!
//! | module | figures |
//! |---|---|
//! | [`trt`] | Target Response Times overall, per region and per SR class (exact quantiles) |
//! | [`trt_cdf`] | their distributions, cut to a few hundred points for plots |
//! | [`cpm`] | Code Performance Measures per month (counts per month × region × User × SRV) |
//! | [`stages`] | each stage's queueing figures, whole-run and bucket by bucket |
//! | [`cells`] | each radio cell, and the busiest |
//! | [`alerts`] | outages, alerts, what the DNOs learnt and when |
//! | [`interruptions`] | customers' time off supply: each premises' interruptions, the tail past 1, 3 and 7 days |
//! | [`summary`] | all of it as one [`summary::RunSummary`] (`summary.json`) |

pub mod alerts;
pub mod cells;
pub mod cpm;
pub mod interruptions;
pub mod stages;
pub mod summary;
pub mod trt;
pub mod trt_cdf;

use std::sync::Arc;

use sim::{EngineStats, SimTime, StationStats};

use crate::alert::{AlertRecord, DeviceAlertStats};
use crate::csp::CellFigures;
use crate::dsp::ConnectionStats;
use crate::service_request::ServiceRequestRecord;
use crate::world::World;

pub use cpm::{CpmCounts, MeasureResult, ServiceLevels, code_performance_measures};
pub use summary::RunSummary;
pub use trt::{TrtCounts, TrtFigures, TrtSummary, TrtTally};

/// Everything a run produced.
#[derive(Debug)]
pub struct RunOutput {
    /// Bounded aggregates, merged in partition order.
    pub measures: Measures,
    /// Per-row tables.
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
    /// Routine device alerts, counted.
    pub device_alerts: DeviceAlertStats,
    /// Every radio cell's figures, by cell id.
    pub cells: Vec<CellFigures>,
    /// Service Requests counted overall, per region and per SR class.
    pub trt: TrtCounts,
    /// Service Requests counted for CPM1 and CPM2 (alerts are added for the summary).
    pub cpm: CpmCounts,
}

/// A run's per-row tables.
#[derive(Debug, Default)]
pub struct Rows {
    /// One record per submitted request, by `sr_id`.
    pub requests: Vec<ServiceRequestRecord>,
    /// One record per alert copy, by (`alert_id`, recipient).
    pub alerts: Vec<AlertRecord>,
}
