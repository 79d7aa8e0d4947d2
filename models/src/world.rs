//! The world a run happens in: built once from the scenario, then shared, read-only,
//! by every partition. It holds no component's state.

use std::sync::Arc;

use crate::alert::AlertPlan;
use crate::layout::Layout;
use crate::outage::Outages;
use crate::population::{Fuel, Population};
use crate::scenario::Scenario;
use crate::scenario::traffic::{TargetPremises, TrafficStream};
use crate::service_request::UserRole;
use crate::streams::Streams;
use crate::users::UserDirectory;

/// What every partition may read: the scenario, the premises, the partition map,
/// the DCC Users, the outages and the alerts they make hubs raise.
#[derive(Debug)]
pub struct World {
    /// The validated scenario.
    pub scenario: Scenario,
    /// The run's seed and replication.
    pub streams: Streams,
    /// Where the premises are.
    pub population: Arc<Population>,
    /// The partition map.
    pub layout: Layout,
    /// Each traffic stream's mean rate per second over a day.
    pub stream_rates_per_s: Vec<f64>,
    /// Each traffic stream's weight of each day of the run (its day of the week's
    /// times its month's).
    pub stream_days: Vec<Vec<f64>>,
    /// How many premises each traffic stream may address.
    pub stream_targets: Vec<u32>,
    /// The DCC Users.
    pub users: UserDirectory,
    /// Faults and power cuts.
    pub outages: Arc<Outages>,
    /// The alerts hubs raise.
    pub alert_plan: Arc<AlertPlan>,
    /// Each CSP block's rate of routine device alerts, per second.
    pub device_alert_rate_per_s: Vec<f64>,
}

impl World {
    /// Builds the world a scenario describes.
    pub fn build(scenario: Scenario) -> World {
        let population = Population::new(&scenario);
        let layout = Layout::new(&population, scenario.dsp.shards, scenario.partitions.per_csp_region);
        let mut users = UserDirectory::new(&scenario.users.supplier_shares, scenario.users.gas_transporters);
        if let Some(switching) = scenario.change_of_supplier.switching() {
            users = users.with_switching(switching);
        }
        // Premises each stream may address, counted once per kind of target and
        // sender.
        let mut counted: Vec<(Addressed, u32)> = Vec::new();
        let stream_targets: Vec<u32> = scenario
            .traffic
            .iter()
            .map(|t| {
                let sender = t.user.map(|u| (t.user_role, u));
                match counted.iter().find(|(a, _)| *a == (t.target, sender)) {
                    Some(&(_, n)) => n,
                    None => {
                        let n = (0..population.premises())
                            .filter(|&p| addressable(t, p, &population, &users, scenario.seed))
                            .count();
                        counted.push(((t.target, sender), n as u32));
                        n as u32
                    }
                }
            })
            .collect();
        // A stream with no premises to address (a tiny population may hold none of
        // a rare kind) sends nothing.
        let stream_rates_per_s = scenario
            .traffic
            .iter()
            .zip(&stream_targets)
            .map(|(t, &targets)| match (t.rate_per_s, t.per_premises_per_day) {
                _ if targets == 0 => 0.0,
                (Some(rate), _) => rate.get(),
                (None, Some(per_day)) => per_day * f64::from(targets) / 86_400.0,
                (None, None) => 0.0,
            })
            .collect();
        let days = scenario.run_end().as_micros().div_ceil(86_400_000_000) as usize;
        let start = scenario.measurement.start_date;
        let stream_days = scenario.traffic.iter().map(|t| t.day_weights(start, days)).collect();
        let outages = Outages::generate(&scenario.outages, &population, scenario.seed);
        let alert_plan = AlertPlan::new(&scenario, &population, &layout, &users, &outages);
        let device_alert_rate_per_s = device_alert_rates(&scenario, &population, &layout);
        World {
            device_alert_rate_per_s,
            streams: Streams::new(scenario.seed, scenario.replication),
            scenario,
            population: Arc::new(population),
            layout,
            stream_rates_per_s,
            stream_days,
            stream_targets,
            users,
            outages: Arc::new(outages),
            alert_plan: Arc::new(alert_plan),
        }
    }

    /// Number of CSP blocks (partitions after the DSP shards).
    pub fn blocks(&self) -> usize {
        (self.layout.partitions() - self.layout.shards()) as usize
    }
}

/// What a stream addresses: a kind of premises, and one User's only if it names one.
type Addressed = (TargetPremises, Option<(UserRole, u16)>);

/// Whether `stream` may address premises `p`: one of the kind it targets and, if
/// it names its User, one of that User's.
pub fn addressable(stream: &TrafficStream, p: u32, population: &Population, users: &UserDirectory, seed: u64) -> bool {
    population.kind(p).is_target_of(stream.target)
        && stream.user.is_none_or(|u| users.user_of(stream.user_role, p, sim::SimTime::ZERO, population, seed) == u)
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
        meters[block as usize] += if fuel == Fuel::DualFuel { 2 } else { 1 };
    }
    for (rate, m) in rates.iter_mut().zip(meters) {
        *rate = m as f64 * per_meter_per_s;
    }
    rates
}
