//! A network study's scenario, typed in the shape of its file: each table is a
//! struct read by serde from the checked document, in [`sim`] units.

use std::path::Path;

use serde::Deserialize;
use sim::{Delay, SimDuration, SimTime};

use super::alerts::AlertSpec;
use super::document::{self, Document};
use super::outages::OutageSpec;
use super::rollout::handover::{self, FleetHandover, FromRollout};
use super::sweep::{SweepKeys, SweepSpec};
use super::traffic::{StreamKeys, TrafficStream};
use super::units::{DelayDef, Percent, Probability, Share, date, secs, time};
use super::{Checker, ScenarioError, Set, keys, read_scenario_file};
use crate::calendar::Date;
use crate::topology::FanOuts;

/// Which per-row tables a run writes (`output.rows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowChoice {
    /// Every row.
    All,
    /// The rows of 1 premises in `sample_one_in`.
    Sample,
    /// No row tables.
    None,
}

/// `[output]`: which rows a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct OutputSpec {
    /// Which rows.
    pub rows: RowChoice,
    /// With [`RowChoice::Sample`], keep 1 premises in this many.
    pub sample_one_in: u32,
    /// Rows in each part file of a row table (rounded up to whole row groups).
    pub rows_per_part: u32,
}

impl OutputSpec {
    /// Whether the rows of `premises` are written: chosen by its id alone, so the
    /// same premises are kept in every run, table and thread count.
    pub fn keeps(&self, premises: u32) -> bool {
        match self.rows {
            RowChoice::All => true,
            RowChoice::Sample => premises.is_multiple_of(self.sample_one_in),
            RowChoice::None => false,
        }
    }
}

/// `[measurement]`: what responses are judged against, and the calendar.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MeasurementSpec {
    /// On Demand Target Response Time.
    #[serde(rename = "on_demand_trt_s", deserialize_with = "secs")]
    pub on_demand_trt: SimDuration,
    /// Target Service Level of the Code Performance Measures, % (SEC H13, DOMAIN §2).
    pub target_service_level_pct: Percent,
    /// Minimum Service Level, %.
    pub minimum_service_level_pct: Percent,
    /// Per SRV, a Target Response Time in seconds in place of the catalogue's,
    /// in every mode (checked: catalogued SRVs, 1 to 2,592,000 s).
    #[serde(default)]
    pub trt_s_by_srv: std::collections::BTreeMap<String, f64>,
    /// The calendar day of simulated time zero.
    #[serde(deserialize_with = "date")]
    pub start_date: Date,
}

/// Target and Minimum Service Levels of the Code Performance Measures (SEC H13,
/// DOMAIN §2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceLevels {
    /// Target Service Level, %.
    pub target_pct: f64,
    /// Minimum Service Level, %.
    pub minimum_pct: f64,
}

impl MeasurementSpec {
    /// The service levels measures are judged against.
    pub fn service_levels(&self) -> ServiceLevels {
        ServiceLevels {
            target_pct: self.target_service_level_pct.get(),
            minimum_pct: self.minimum_service_level_pct.get(),
        }
    }
}

/// A FCFS multi-server stage (`[user_gateway]`, `[cos_party]`, `[alerts.delivery]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StageSpec {
    /// Servers.
    pub servers: u32,
    /// Service time per job (`service_time`; the CoS Party's `signing_time`).
    #[serde(rename = "service_time", alias = "signing_time", with = "DelayDef")]
    pub service: Delay,
}

/// `[user_gateway]`: the DCC User Interface's entry, per DSP shard, and when it is
/// down.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UserGatewaySpec {
    /// Servers.
    pub servers: u32,
    /// Service time per request.
    #[serde(rename = "service_time", with = "DelayDef")]
    pub service: Delay,
    /// `[[user_gateway.downtime]]` as written.
    #[serde(default, rename = "downtime")]
    pub downtime_specs: Vec<super::downtime::DowntimeSpec>,
    /// Every window the gateway is closed, expanded to the horizon (filled in when
    /// the scenario is assembled).
    #[serde(skip)]
    pub downtime: super::downtime::Downtime,
}

/// `[dsp]`: the Data Service Provider.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DspSpec {
    /// Independent shards (partitions).
    pub shards: u32,
    /// Servers per shard.
    pub servers: u32,
    /// Request processing time.
    #[serde(with = "DelayDef")]
    pub request_processing: Delay,
    /// Response processing time.
    #[serde(with = "DelayDef")]
    pub response_processing: Delay,
}

/// `[csp.<network>]`: one WAN network's cells.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CspSpec {
    /// Hubs per cell.
    pub premises_per_cell: u32,
    /// Concurrent messages per cell.
    pub channels_per_cell: u32,
    /// Bit rate per channel.
    pub channel_bitrate_bps: f64,
    /// Round-trip latency, excluding airtime.
    #[serde(with = "DelayDef")]
    pub round_trip: Delay,
    /// No round trip is faster than this.
    #[serde(rename = "round_trip_min_s", deserialize_with = "secs")]
    pub round_trip_min: SimDuration,
    /// Chance one transmission is lost.
    pub loss_probability: Probability,
    /// Wait before retransmitting a lost message.
    #[serde(rename = "retry_timeout_s", deserialize_with = "secs")]
    pub retry_timeout: SimDuration,
    /// Retransmissions per request before it fails.
    pub max_retries: u8,
}

/// The WAN networks' tables, in [`crate::region::WanNetwork::index`] order.
fn networks<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[CspSpec; 5], D::Error> {
    #[derive(Deserialize)]
    struct Networks {
        north: CspSpec,
        central: CspSpec,
        south: CspSpec,
        mesh: CspSpec,
        lte: CspSpec,
    }
    let n = Networks::deserialize(d)?;
    Ok([n.north, n.central, n.south, n.mesh, n.lte])
}

/// `[users]`: what DCC Users' own systems do.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct UsersSpec {
    /// Time to sign a Critical request's Pre-Command.
    #[serde(with = "DelayDef")]
    pub signing_time: Delay,
    /// Supplier market shares, as written.
    pub supplier_shares: Vec<f64>,
    /// Gas Transporters.
    pub gas_transporters: u16,
    /// Requests one User may have in the User Gateway at once, over all shards.
    pub max_concurrent_requests: u32,
    /// How Users retry a request the closed User Gateway refused.
    #[serde(flatten)]
    pub retry: super::downtime::RetryPolicy,
    /// Each User's allocation, requests per second over all shards; 0: none.
    pub allocation_per_s: f64,
    /// The longest a request over its User's allocation is held back.
    #[serde(rename = "throttle_max_hold_s", deserialize_with = "secs")]
    pub throttle_max_hold: SimDuration,
}

/// `[wan_gateway]`: the DCC WAN Gateway Interface between DSP and CSP.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct WanGatewaySpec {
    /// DSP ↔ CSP one-way latency.
    #[serde(rename = "latency_s", deserialize_with = "secs")]
    pub latency: SimDuration,
    /// Bytes of one Category 1 firmware payload on the WAN.
    pub firmware_payload_bytes: u32,
}

/// `[comms_hub]`: the Communications Hub Function, its HAN and the meter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommsHubSpec {
    /// CHF → HAN → device → CHF.
    #[serde(with = "DelayDef")]
    pub han_response: Delay,
    /// Hold-up of the hub's energy store.
    #[serde(rename = "hold_up_s", deserialize_with = "secs")]
    pub hold_up: SimDuration,
    /// Per hub variant, a hold-up in seconds in place of `hold_up_s`.
    #[serde(default)]
    pub hold_up_s_by_network: toml::Table,
    /// From supply back to the restoration alert being sent.
    #[serde(with = "DelayDef")]
    pub restart: Delay,
    /// MP119 hub-side consolidation; zero is off.
    #[serde(rename = "alert_consolidation_s", deserialize_with = "secs")]
    pub alert_consolidation: SimDuration,
}

/// `[partitions]`: how the run is split; part of the model, never the thread count.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct PartitionsSpec {
    /// Partitions per CSP region.
    pub per_csp_region: u32,
}

/// Shares of premises by kind, each a fraction from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct PremisesMix {
    /// Electricity only.
    #[serde(rename = "electricity_only_share")]
    pub electricity_only: Share,
    /// Gas only.
    #[serde(rename = "gas_only_share")]
    pub gas_only: Share,
    /// Migrated SMETS1.
    #[serde(rename = "smets1_share")]
    pub smets1: Share,
    /// Prepayment.
    #[serde(rename = "prepayment_share")]
    pub prepayment: Share,
    /// With SM WAN coverage.
    pub wan_coverage: Share,
    /// On the mesh (of Central and South premises).
    #[serde(rename = "mesh_share")]
    pub mesh: Share,
    /// With a 4G hub.
    #[serde(rename = "lte_share")]
    pub lte: Share,
}

/// The population's make-up.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct PopulationSpec {
    /// Shares of premises by kind.
    #[serde(flatten)]
    pub mix: PremisesMix,
    /// Mean fan-outs of the distribution network.
    #[serde(flatten)]
    pub fan_outs: FanOuts,
}

/// Premises of all GB at `scale = 1.0` (DOMAIN §7: 29.9 m customers).
pub fn gb_premises() -> f64 {
    crate::topology::gb_customers_m() * 1e6
}

/// A validated scenario: every value in range, times in [`sim`] units.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Study name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Replication index (0 for a single run).
    pub replication: u32,
    /// Requests are submitted in `[0, horizon)`.
    pub horizon: SimTime,
    /// How long after the horizon in-flight requests may finish.
    pub drain_limit: SimDuration,
    /// Time-series bucket width.
    pub series_bucket: SimDuration,
    /// Number of premises.
    pub premises: u32,
    /// What the premises are and how the distribution network is shaped.
    pub population: PopulationSpec,
    /// `population.from_rollout`, until [`crate::rollout::handover::resolve_population`] runs it:
    /// then `premises` and the SMETS1 and 4G shares come from the rollout's fleet.
    pub fleet_from_rollout: Option<FleetHandover>,
    /// How the run is split.
    pub partitions: PartitionsSpec,
    /// The Service Request streams.
    pub traffic: Vec<TrafficStream>,
    /// DCC Users' systems.
    pub users: UsersSpec,
    /// The User Gateway.
    pub user_gateway: UserGatewaySpec,
    /// The DSP.
    pub dsp: DspSpec,
    /// The CoS Party (per shard).
    pub cos_party: StageSpec,
    /// The SMETS1 service providers (per shard).
    pub smets1_service: super::smets1::Smets1Spec,
    /// Meters installed while the study runs.
    pub commissioning: super::commissioning::CommissioningSpec,
    /// Premises changing supplier (`[change_of_supplier]`).
    pub change_of_supplier: super::change_of_supplier::ChangeOfSupplierSpec,
    /// The WAN Gateway.
    pub wan_gateway: WanGatewaySpec,
    /// Per WAN network, indexed by [`crate::region::WanNetwork::index`].
    pub csp: [CspSpec; 5],
    /// The Communications Hub.
    pub comms_hub: CommsHubSpec,
    /// Targets and calendar.
    pub measurement: MeasurementSpec,
    /// Which per-row tables the run writes.
    pub output: OutputSpec,
    /// Faults, storms and firmware campaigns.
    pub outages: OutageSpec,
    /// CSP regional outages: radio cells off the air.
    pub wan_outages: super::wan_outages::WanOutages,
    /// DCC Users suspended.
    pub user_suspensions: Vec<super::suspensions::SuspensionSpec>,
    /// Threshold Anomaly Detection: DCC's thresholds on Users' volumes.
    pub anomaly_thresholds: Vec<super::anomaly::ThresholdSpec>,
    /// How hubs raise alerts and DCC handles them.
    pub alerts: AlertSpec,
    /// Replications and parameter sweeps, if the file declares them.
    pub sweep: Option<SweepSpec>,
    /// The file as read, every default filled in and every `--set` applied; see
    /// [`Scenario::resolved_toml`].
    pub document: toml::Table,
}

/// `[scenario]` of a network study.
#[derive(Deserialize)]
struct StudyKeys {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(deserialize_with = "super::units::seed")]
    seed: u64,
    #[serde(rename = "horizon_s", deserialize_with = "time")]
    horizon: SimTime,
    #[serde(rename = "drain_limit_s", deserialize_with = "secs")]
    drain_limit: SimDuration,
    #[serde(rename = "series_bucket_s", deserialize_with = "secs")]
    series_bucket: SimDuration,
}

/// `[population]` as written: a count or a scale or a rollout's fleet, and the mix.
#[derive(Deserialize)]
struct PopulationKeys {
    scale: Option<f64>,
    premises: Option<u32>,
    from_rollout: Option<FromRollout>,
    #[serde(flatten)]
    spec: PopulationSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrafficKeys {
    #[serde(default)]
    streams: Vec<StreamKeys>,
}

/// A network scenario file.
#[derive(Deserialize)]
struct NetworkFile {
    scenario: StudyKeys,
    population: PopulationKeys,
    partitions: PartitionsSpec,
    #[serde(default)]
    traffic: Option<TrafficKeys>,
    users: UsersSpec,
    user_gateway: UserGatewaySpec,
    dsp: DspSpec,
    cos_party: StageSpec,
    smets1_service: super::smets1::Smets1Spec,
    commissioning: super::commissioning::CommissioningSpec,
    change_of_supplier: super::change_of_supplier::ChangeOfSupplierSpec,
    wan_gateway: WanGatewaySpec,
    #[serde(deserialize_with = "networks")]
    csp: [CspSpec; 5],
    comms_hub: CommsHubSpec,
    #[serde(default)]
    outages: OutageSpec,
    #[serde(default)]
    wan_outages: Vec<super::wan_outages::WanOutageSpec>,
    #[serde(default)]
    user_suspensions: Vec<super::suspensions::SuspensionSpec>,
    #[serde(default)]
    anomaly_thresholds: Vec<super::anomaly::ThresholdSpec>,
    alerts: AlertSpec,
    measurement: MeasurementSpec,
    output: OutputSpec,
    sweep: Option<SweepKeys>,
}

impl Scenario {
    /// The latest time a run can reach: the horizon plus the drain limit. Nothing
    /// at or after it happens.
    pub fn run_end(&self) -> SimTime {
        self.horizon + self.drain_limit
    }

    /// The least delay of any message between partitions, the engine's lookahead:
    /// the WAN Gateway latency plus half the fastest WAN round trip of any region.
    pub fn lookahead(&self) -> SimDuration {
        let min_half_rtt = self.csp.iter().map(|c| c.round_trip_min.0 / 2).min().unwrap_or(0);
        self.wan_gateway.latency + SimDuration(min_half_rtt)
    }

    /// The Target Response Time of a stream's requests: `measurement.trt_s_by_srv`'s
    /// for its SRV if set, else the catalogue's (DOMAIN §1.2), with
    /// `measurement.on_demand_trt_s` in place of the standard 30 s On Demand target.
    pub fn target_response_time(&self, stream: &TrafficStream) -> SimDuration {
        if let Some(&seconds) = self.measurement.trt_s_by_srv.get(stream.srv().srv.as_str()) {
            return SimDuration::from_secs_f64(seconds);
        }
        let catalogued = stream.target_response_time();
        if stream.mode == crate::service_request::Mode::OnDemand && catalogued == SimDuration::from_secs(30) {
            self.measurement.on_demand_trt
        } else {
            catalogued
        }
    }

    /// Sets the population to `scale` × all of GB (what `--scale` does). Returns an
    /// error, saying what is allowed, outside 0.000001 to 1.5.
    pub fn set_scale(&mut self, scale: f64) -> Result<(), String> {
        if !(scale.is_finite() && (1e-6..=1.5).contains(&scale)) {
            return Err(format!("scale {scale} is out of range; allowed: 0.000001 to 1.5"));
        }
        self.premises = (gb_premises() * scale).round().max(1.0) as u32;
        if let Some(fleet) = &mut self.fleet_from_rollout {
            fleet.scale = Some(scale);
        }
        Ok(())
    }

    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = read_scenario_file(path)?;
        Scenario::parse(&path.display().to_string(), &text)
    }

    /// Validates scenario `text`; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_document(file, text, document::parse(file, text)?, &[], &[])
    }

    /// Validates a parsed scenario document with `sets` applied over it: a problem
    /// in the file is placed at its `file:line:col`, one in a set value at its flag.
    /// Top-level tables named in `drop` are removed first.
    pub(crate) fn from_document(
        file: &str,
        text: &str,
        doc: Document<'_>,
        sets: &[Set],
        drop: &[&str],
    ) -> Result<Scenario, ScenarioError> {
        document::read(file, text, doc, keys::NETWORK, sets, drop, |f: NetworkFile, c| {
            let scenario = Scenario::assemble(f, c);
            if let (Some(sweep), true) = (&scenario.sweep, c.problems.is_empty()) {
                super::sweep::check_points(sweep, file, text, c);
            }
            scenario
        })
    }

    /// The scenario of a read file, with the checks that compare keys.
    fn assemble(f: NetworkFile, c: &mut Checker<'_>) -> Scenario {
        let study = f.scenario;
        super::checker::check_name(&study.name, c);
        let pop = f.population;
        let counted = pop.scale.is_some() || pop.premises.is_some();
        if counted && pop.from_rollout.is_some() {
            c.problem("population.from_rollout", "give `from_rollout`, or `scale` or `premises`, not both".into());
        }
        let premises = match (pop.scale, pop.premises) {
            (Some(_), Some(_)) => {
                c.problem("population.premises", "give `scale` or `premises`, not both".into());
                1
            }
            (Some(scale), None) => (gb_premises() * scale).round().max(1.0) as u32,
            (None, Some(n)) => n,
            (None, None) => 100_000,
        };
        let fleet_from_rollout = pop.from_rollout.filter(|_| !counted).and_then(|h| handover::check(&h, c));
        let mix = pop.spec.mix;
        if mix.electricity_only.get() + mix.gas_only.get() > 1.0 {
            let (e, g) = (mix.electricity_only.get(), mix.gas_only.get());
            c.problem(
                "population.gas_only_share",
                format!("electricity-only ({e}) and gas-only ({g}) shares add up to more than 1"),
            );
        }
        if mix.mesh.get() + mix.lte.get() > 1.0 {
            c.problem(
                "population.lte_share",
                format!("mesh ({}) and 4G ({}) shares add up to more than 1", mix.mesh.get(), mix.lte.get()),
            );
        }
        let senders = super::traffic::Senders {
            suppliers: f.users.supplier_shares.len(),
            gas_transporters: f.users.gas_transporters,
            horizon_s: study.horizon.as_secs_f64(),
            payload_bytes: f.wan_gateway.firmware_payload_bytes,
        };
        let mut traffic = super::traffic::resolve(f.traffic.map(|t| t.streams).unwrap_or_default(), &senders, c);
        traffic.extend(f.commissioning.streams(f.commissioning.installs_per_day.unwrap_or(0.0)));
        let mut change_of_supplier = f.change_of_supplier;
        change_of_supplier.resolve(&mut traffic, f.users.supplier_shares.len(), c);
        let m = f.measurement;
        c.within(
            "measurement.minimum_service_level_pct.get()",
            m.minimum_service_level_pct.get(),
            0.0,
            m.target_service_level_pct.get(),
        );
        super::traffic::check_trt_by_srv(&m.trt_s_by_srv, c);
        let horizon_s = study.horizon.as_secs_f64();
        f.outages.check(horizon_s, c);
        let mut user_gateway = f.user_gateway;
        user_gateway.downtime = super::downtime::check(&user_gateway.downtime_specs, study.horizon, c);
        super::wan_outages::check(&f.wan_outages, horizon_s, c);
        let mut user_suspensions = f.user_suspensions;
        let (suppliers, gts) = (f.users.supplier_shares.len(), f.users.gas_transporters);
        super::suspensions::check(&mut user_suspensions, suppliers, gts, horizon_s, c);
        let mut anomaly_thresholds = f.anomaly_thresholds;
        super::anomaly::check(&mut anomaly_thresholds, suppliers, gts, c);
        super::smets1::check(&f.smets1_service, c);
        let mut alerts = f.alerts;
        alerts.resolve(&f.comms_hub, f.users.supplier_shares.len(), c);
        Scenario {
            name: study.name,
            description: study.description,
            seed: study.seed,
            // A single run; a sweep's runner numbers its replications.
            replication: 0,
            horizon: study.horizon,
            drain_limit: study.drain_limit,
            series_bucket: study.series_bucket,
            premises,
            population: pop.spec,
            fleet_from_rollout,
            partitions: f.partitions,
            traffic,
            users: f.users,
            user_gateway,
            dsp: f.dsp,
            cos_party: f.cos_party,
            smets1_service: f.smets1_service,
            commissioning: f.commissioning,
            change_of_supplier,
            wan_gateway: f.wan_gateway,
            csp: f.csp,
            comms_hub: f.comms_hub,
            measurement: m,
            output: f.output,
            outages: f.outages,
            wan_outages: super::wan_outages::WanOutages { specs: f.wan_outages },
            user_suspensions,
            anomaly_thresholds,
            alerts,
            sweep: f.sweep.map(|s| s.spec(horizon_s, c)),
            document: c.resolved(),
        }
    }
}
