//! Scenario files: TOML in, a validated [`Scenario`] out, or errors at `file:line:col`.
//!
//! Two stages, as the errors differ: serde rejects malformed TOML, unknown keys and
//! wrong types ([`raw`]); [`Scenario::from_raw`] then checks every value's range and
//! the relations between values, converting seconds to [`sim`] time.

pub mod alerts;
mod checker;
pub mod keys;
mod keys_network;
mod keys_rollout;
mod location;
pub mod outages;
pub mod overrides;
pub(crate) mod raw;
pub(crate) mod raw_alerts;
pub mod rollout;
pub mod sweep;
pub mod traffic;
pub mod units;

use std::fmt;
use std::path::Path;

use sim::{Delay, SimDuration, SimTime};

pub(crate) use checker::Checker;
pub use location::{LineCol, line_col, span_of, span_of_keys};
pub use overrides::Set;
use raw::{CspDefaults, RawScenario};

use crate::region::WanNetwork;
use crate::topology::FanOuts;
use traffic::TrafficStream;

/// One thing wrong with a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as given.
    pub file: String,
    /// Where, 1-based.
    pub at: LineCol,
    /// What is wrong and what is allowed.
    pub message: String,
    /// The command-line flag that gave the value (e.g. `--set dsp.servers=-1`), when
    /// the value is not the file's; the problem is then reported there.
    pub flag: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.flag {
            Some(flag) => write!(f, "{flag}: {}", self.message),
            None => write!(f, "{}:{}:{}: {}", self.file, self.at.line, self.at.col, self.message),
        }
    }
}

/// Why a scenario could not be loaded. The run cannot start; nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: cannot read the scenario file: {source}")]
    Unreadable {
        /// The file, as given.
        file: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The path names something that is not a scenario file: a folder, a device, a
    /// pipe, or a file too large to be one. Nothing was read from it.
    #[error("{file}: not a scenario file: {why}; allowed: a regular TOML file of at most {} MiB", MAX_SCENARIO_BYTES >> 20)]
    NotAScenarioFile {
        /// The file, as given.
        file: String,
        /// What it is instead.
        why: String,
    },
    /// The file was read but is malformed or out of range.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

/// The largest scenario file read: the largest shipped one is a few KiB, so this
/// only stops a mistaken path (a data file, `/dev/zero`) from being read whole.
pub const MAX_SCENARIO_BYTES: u64 = 4 << 20;

/// Reads a scenario file, refusing before reading anything that is not a regular
/// file of at most [`MAX_SCENARIO_BYTES`] (a pipe or a device could block or never
/// end).
pub fn read_scenario_file(path: &Path) -> Result<String, ScenarioError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ScenarioError::Unreadable { file: file.clone(), source })?;
    let why = if meta.is_dir() {
        Some("it is a folder".to_string())
    } else if !meta.is_file() {
        Some("it is a device, pipe or socket, not a regular file".to_string())
    } else if meta.len() > MAX_SCENARIO_BYTES {
        Some(format!("it holds {} bytes", meta.len()))
    } else {
        None
    };
    if let Some(why) = why {
        return Err(ScenarioError::NotAScenarioFile { file, why });
    }
    std::fs::read_to_string(path).map_err(|source| ScenarioError::Unreadable { file, source })
}

/// Which per-row tables a run writes (`output.rows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowChoice {
    /// Every row.
    All,
    /// The rows of 1 premises in `sample_one_in`.
    Sample,
    /// No row tables.
    None,
}

/// What a run writes, validated (`[output]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Target and Minimum Service Levels of the Code Performance Measures (SEC H13,
/// DOMAIN §2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceLevels {
    /// Target Service Level, %.
    pub target_pct: f64,
    /// Minimum Service Level, %.
    pub minimum_pct: f64,
}

/// A FCFS multi-server stage.
#[derive(Debug, Clone, PartialEq)]
pub struct StageSpec {
    /// Servers.
    pub servers: u32,
    /// Service time per job.
    pub service: Delay,
}

/// The DSP, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct DspSpec {
    /// Independent shards (partitions).
    pub shards: u32,
    /// Servers per shard.
    pub servers: u32,
    /// Request processing time.
    pub request_processing: Delay,
    /// Response processing time.
    pub response_processing: Delay,
}

/// One CSP region's WAN, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct CspSpec {
    /// Hubs per cell.
    pub premises_per_cell: u32,
    /// Concurrent messages per cell.
    pub channels_per_cell: u32,
    /// Bit rate per channel.
    pub channel_bitrate_bps: f64,
    /// Round-trip latency, excluding airtime.
    pub round_trip: Delay,
    /// No round trip is faster than this.
    pub round_trip_min: SimDuration,
    /// Chance one transmission is lost.
    pub loss_probability: f64,
    /// Wait before retransmitting a lost message.
    pub retry_timeout: SimDuration,
    /// Retransmissions per request before it fails.
    pub max_retries: u8,
}

/// Shares of premises by kind, each a fraction from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PremisesMix {
    /// Electricity only.
    pub electricity_only: f64,
    /// Gas only.
    pub gas_only: f64,
    /// Migrated SMETS1.
    pub smets1: f64,
    /// Prepayment.
    pub prepayment: f64,
    /// With SM WAN coverage.
    pub wan_coverage: f64,
    /// On the mesh (of Central and South premises).
    pub mesh: f64,
    /// With a 4G hub.
    pub lte: f64,
}

/// The population's make-up, validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PopulationSpec {
    /// Shares of premises by kind.
    pub mix: PremisesMix,
    /// Mean fan-outs of the distribution network.
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
    pub fleet_from_rollout: Option<rollout::handover::FleetHandover>,
    /// Partitions per CSP region.
    pub csp_partitions_per_region: u32,
    /// The Service Request streams.
    pub traffic: Vec<TrafficStream>,
    /// Users' time to sign a Critical request's Pre-Command.
    pub user_signing: Delay,
    /// Supplier market shares.
    pub supplier_shares: Vec<f64>,
    /// Gas Transporters.
    pub gas_transporters: u16,
    /// Requests one User may have in the User Gateway at once, over all shards.
    pub max_concurrent_requests: u32,
    /// The User Gateway.
    pub user_gateway: StageSpec,
    /// The DSP.
    pub dsp: DspSpec,
    /// The CoS Party (per shard).
    pub cos_party: StageSpec,
    /// DSP ↔ CSP one-way latency.
    pub wan_gateway_latency: SimDuration,
    /// Bytes of one Category 1 firmware payload on the WAN.
    pub firmware_payload_bytes: u32,
    /// Per WAN network, indexed by [`WanNetwork::index`] (the regions' own networks
    /// share their region's index).
    pub csp: [CspSpec; 5],
    /// CHF → HAN → device → CHF.
    pub han_response: Delay,
    /// On Demand Target Response Time.
    pub on_demand_trt: SimDuration,
    /// Which per-row tables the run writes.
    pub output: OutputSpec,
    /// Service levels the Code Performance Measures are judged against.
    pub service_levels: ServiceLevels,
    /// The calendar day of simulated time zero.
    pub start_date: crate::calendar::Date,
    /// Faults, storms and firmware campaigns.
    pub outages: outages::OutageSpec,
    /// How hubs raise alerts and DCC handles them.
    pub alerts: alerts::AlertSpec,
    /// Replications and parameter sweeps, if the file declares them.
    pub sweep: Option<crate::scenario::sweep::SweepSpec>,
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
        self.wan_gateway_latency + SimDuration(min_half_rtt)
    }

    /// The Target Response Time of a stream's requests: the catalogue's (DOMAIN
    /// §1.2), with `measurement.on_demand_trt_s` in place of the standard 30 s On
    /// Demand target.
    pub fn target_response_time(&self, stream: &TrafficStream) -> SimDuration {
        let catalogued = stream.target_response_time();
        if stream.mode == crate::service_request::Mode::OnDemand && catalogued == SimDuration::from_secs(30) {
            self.on_demand_trt
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
        Scenario::from_document(file, text, overrides::parse_document(file, text)?, &[], &[])
    }

    /// Validates a parsed scenario document with `sets` applied over it: a problem
    /// in the file is placed at its `file:line:col`, one in a set value at its flag.
    pub(crate) fn from_document(
        file: &str,
        text: &str,
        doc: overrides::Document<'_>,
        sets: &[Set],
        drop: &[&str],
    ) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = overrides::raw_from(file, text, doc, keys::NETWORK, sets, drop)?;
        let mut check = Checker::new(file, text, sets);
        let scenario = Scenario::from_raw(&raw, &mut check);
        if let (Some(sweep), true) = (&scenario.sweep, check.problems.is_empty()) {
            crate::scenario::sweep::check_points(sweep, file, text, &mut check);
        }
        if check.problems.is_empty() { Ok(scenario) } else { Err(ScenarioError::Invalid(check.problems)) }
    }

    fn from_raw(raw: &RawScenario, c: &mut Checker<'_>) -> Scenario {
        let study = &raw.scenario;
        if study.name.is_empty() || !study.name.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_') {
            c.problem(
                "scenario.name",
                format!("name {:?} is not allowed: use letters, digits, '-' and '_' only", study.name),
            );
        }
        let horizon_s = c.num("scenario.horizon_s", &study.horizon_s);
        let drain_s = c.num("scenario.drain_limit_s", &study.drain_limit_s);
        let bucket_s = c.num("scenario.series_bucket_s", &study.series_bucket_s);
        let pop = &raw.population;
        let premises = match (&pop.scale, &pop.premises) {
            (Some(_), Some(_)) => {
                c.problem("population.premises", "give `scale` or `premises`, not both".to_string());
                1
            }
            (Some(scale), None) => {
                let scale = c.num("population.scale", scale);
                (gb_premises() * scale).round().max(1.0) as u32
            }
            (None, Some(n)) => c.whole("population.premises", n) as u32,
            (None, None) => 100_000,
        };
        let mix = PremisesMix {
            electricity_only: c.num("population.electricity_only_share", &pop.electricity_only_share),
            gas_only: c.num("population.gas_only_share", &pop.gas_only_share),
            smets1: c.num("population.smets1_share", &pop.smets1_share),
            prepayment: c.num("population.prepayment_share", &pop.prepayment_share),
            wan_coverage: c.num("population.wan_coverage", &pop.wan_coverage),
            mesh: c.num("population.mesh_share", &pop.mesh_share),
            lte: c.num("population.lte_share", &pop.lte_share),
        };
        // `from_rollout`: validated now, run when the population is resolved.
        let fleet_from_rollout = rollout::handover::check(pop, c);
        if mix.electricity_only + mix.gas_only > 1.0 {
            c.problem_in(
                "population.gas_only_share",
                units::place(&pop.gas_only_share),
                format!(
                    "electricity-only ({}) and gas-only ({}) shares add up to more than 1",
                    mix.electricity_only, mix.gas_only
                ),
            );
        }
        if mix.mesh + mix.lte > 1.0 {
            c.problem_in(
                "population.lte_share",
                units::place(&pop.lte_share),
                format!("mesh ({}) and 4G ({}) shares add up to more than 1", mix.mesh, mix.lte),
            );
        }
        let fan_outs = FanOuts {
            premises_per_feeder: c.whole("population.premises_per_feeder", &pop.premises_per_feeder) as u32,
            feeders_per_secondary: c.whole("population.feeders_per_secondary", &pop.feeders_per_secondary) as u32,
            secondaries_per_primary: c.whole("population.secondaries_per_primary", &pop.secondaries_per_primary) as u32,
        };
        let csp_partitions_per_region = c.whole("partitions.per_csp_region", &raw.partitions.per_csp_region) as u32;
        let traffic = if raw.traffic.streams.is_empty() {
            vec![TrafficStream::default_reads()]
        } else {
            raw.traffic.streams.iter().enumerate().map(|(i, r)| TrafficStream::from_raw(i, r, c)).collect()
        };
        let payload = (*raw.wan_gateway.firmware_payload_bytes.get_ref()).clamp(100, 10_000_000) as u32;
        for (i, t) in traffic.iter().enumerate() {
            if t.carries_firmware() && t.command_bytes.div_ceil(payload) > u32::from(u16::MAX) {
                c.problem(
                    &format!("traffic.streams.{i}.command_size_bytes"),
                    format!(
                        "an image of {} bytes is {} payloads of {payload} bytes; allowed: up to 65535 payloads",
                        t.command_bytes,
                        t.command_bytes.div_ceil(payload)
                    ),
                );
            }
        }
        if traffic.len() > 1000 {
            c.problem("traffic.streams", format!("{} streams; allowed: up to 1000", traffic.len()));
        }
        let user_signing = c.delay("users.signing_time", &raw.users.signing_time);
        let user_gateway =
            c.stage("user_gateway", "service_time", &raw.user_gateway.servers, &raw.user_gateway.service_time);
        let dsp = DspSpec {
            shards: c.whole("dsp.shards", &raw.dsp.shards) as u32,
            servers: c.whole("dsp.servers", &raw.dsp.servers) as u32,
            request_processing: c.delay("dsp.request_processing", &raw.dsp.request_processing),
            response_processing: c.delay("dsp.response_processing", &raw.dsp.response_processing),
        };
        let wan_gateway_latency_s = c.num("wan_gateway.latency_s", &raw.wan_gateway.latency_s);
        let csp = [
            c.csp(WanNetwork::NorthRadio, &raw.csp.north, CspDefaults::NORTH),
            c.csp(WanNetwork::CentralCellular, &raw.csp.central, CspDefaults::CELLULAR),
            c.csp(WanNetwork::SouthCellular, &raw.csp.south, CspDefaults::CELLULAR),
            c.csp(WanNetwork::Mesh, &raw.csp.mesh, CspDefaults::MESH),
            c.csp(WanNetwork::Lte, &raw.csp.lte, CspDefaults::LTE),
        ];
        Scenario {
            name: study.name.clone(),
            description: study.description.clone(),
            seed: study.seed,
            // A single run; a sweep's runner numbers its replications.
            replication: 0,
            horizon: SimTime::from_secs_f64(horizon_s),
            drain_limit: SimDuration::from_secs_f64(drain_s),
            series_bucket: SimDuration::from_secs_f64(bucket_s),
            premises,
            population: PopulationSpec { mix, fan_outs },
            fleet_from_rollout,
            csp_partitions_per_region,
            traffic,
            user_signing,
            supplier_shares: c
                .shares("users.supplier_shares", &raw.users.supplier_shares, 1, 200)
                .unwrap_or_else(|| vec![1.0]),
            gas_transporters: c.whole("users.gas_transporters", &raw.users.gas_transporters) as u16,
            max_concurrent_requests: c.whole("users.max_concurrent_requests", &raw.users.max_concurrent_requests)
                as u32,
            user_gateway,
            dsp,
            cos_party: c.stage("cos_party", "signing_time", &raw.cos_party.servers, &raw.cos_party.signing_time),
            wan_gateway_latency: SimDuration::from_secs_f64(wan_gateway_latency_s),
            firmware_payload_bytes: c
                .whole("wan_gateway.firmware_payload_bytes", &raw.wan_gateway.firmware_payload_bytes)
                as u32,
            csp,
            han_response: c.delay("comms_hub.han_response", &raw.comms_hub.han_response),
            on_demand_trt: c.duration("measurement.on_demand_trt_s", &raw.measurement.on_demand_trt_s),
            output: OutputSpec {
                rows: raw.output.rows,
                sample_one_in: c.whole("output.sample_one_in", &raw.output.sample_one_in) as u32,
                rows_per_part: c.whole("output.rows_per_part", &raw.output.rows_per_part) as u32,
            },
            service_levels: {
                let m = &raw.measurement;
                let target_pct = c.num("measurement.target_service_level_pct", &m.target_service_level_pct);
                let minimum_pct =
                    c.float("measurement.minimum_service_level_pct", &m.minimum_service_level_pct, 0.0, target_pct);
                ServiceLevels { target_pct, minimum_pct }
            },
            start_date: crate::calendar::Date::parse(raw.measurement.start_date.get_ref()).unwrap_or_else(|e| {
                c.problem_in("measurement.start_date", units::place(&raw.measurement.start_date), e);
                crate::calendar::Date::EPOCH
            }),
            outages: outages::OutageSpec::from_raw(&raw.outages, horizon_s, c),
            alerts: alerts::AlertSpec::from_raw(
                &raw.alerts,
                &raw.comms_hub,
                raw.users.supplier_shares.get_ref().len(),
                c,
            ),
            sweep: raw.sweep.as_ref().map(|sweep| crate::scenario::sweep::SweepSpec::from_raw(sweep, horizon_s, c)),
        }
    }
}

#[cfg(test)]
mod tests;
