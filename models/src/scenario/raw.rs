//! The scenario file as written: TOML through serde, unknown keys rejected.
//!
//! Every key is documented here with its unit, default and source: a row of
//! `shared/DOMAIN.md` (cited as "DOMAIN §n"), or "assumption" where nothing
//! authoritative was found. `scenarios/README.md` is the same reference for users.

use serde::Deserialize;

pub use super::raw_alerts::{RawAlerts, RawCommsHub, RawOutages};

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// What the study is and how long it runs.
    pub scenario: RawStudy,
    /// The premises and their Communications Hubs.
    pub population: RawPopulation,
    /// How the model is split into partitions (logical processes).
    pub partitions: RawPartitions,
    /// The Service Requests DCC Users send.
    #[serde(default)]
    pub traffic: RawTraffic,
    /// DCC Users' own systems.
    pub users: RawUsers,
    /// The DCC User Gateway.
    pub user_gateway: RawUserGateway,
    /// The Data Service Provider.
    pub dsp: RawDsp,
    /// The CoS Party, which signs Change of Supplier credential updates.
    pub cos_party: RawCosParty,
    /// The DCC WAN Gateway Interface between the DSP and the CSPs.
    pub wan_gateway: RawWanGateway,
    /// The three CSP regions' WANs.
    #[serde(default)]
    pub csp: RawCsps,
    /// The Communications Hub, its HAN and the meter.
    pub comms_hub: RawCommsHub,
    /// Interruptions of supply on the distribution network.
    #[serde(default)]
    pub outages: RawOutages,
    /// How Power Outage and restoration alerts travel and are judged.
    pub alerts: RawAlerts,
    /// How responses are judged.
    pub measurement: RawMeasurement,
    /// Replications and parameter sweeps for `dccsim sweep`; ignored by `dccsim run`.
    pub sweep: Option<RawSweep>,
}

/// `[sweep]`: what `dccsim sweep` varies and repeats.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    /// Replications of every point, each with its own random streams. Default 5;
    /// 1 to 10,000. `--replications` overrides it.
    pub replications: i64,
    /// Requests submitted before this time, in seconds, are left out of the sweep's
    /// figures (warm-up deletion). Default 0; must be below `scenario.horizon_s`.
    pub warmup_s: f64,
    /// Scenario keys to vary, each with the list of values to try, e.g.
    /// `"dsp.servers" = [32, 64, 128]`. Every combination is a point. Default: none
    /// (replications of the scenario as written).
    #[serde(default)]
    pub parameters: toml::Table,
}

/// `[scenario]`: identity and time span of the study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStudy {
    /// Name of the study; also the default output folder `output/<name>/`.
    /// Letters, digits, `-` and `_` only. Required.
    pub name: String,
    /// One line saying what the study asks. Default: empty.
    #[serde(default)]
    pub description: String,
    /// Seed of every random stream. Default 1. `--seed` overrides it.
    pub seed: u64,
    /// Simulated time during which requests are submitted, in seconds. Required;
    /// 1 s to 31 days.
    pub horizon_s: f64,
    /// After the horizon, how long requests still in flight may take to finish, in
    /// seconds; any still open then end as `unfinished`. Default 3,600 (assumption:
    /// far beyond any On Demand TRT).
    pub drain_limit_s: f64,
    /// Width of the buckets of every time series, in seconds. Default 60.
    pub series_bucket_s: f64,
}

/// `[population]`: premises, each with a Communications Hub, spread over the 14 DNO
/// licence areas in proportion to their customers (DOMAIN §7).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    /// Fraction of Great Britain: 1.0 is all 29.9 M premises of DOMAIN §7, 0.001 is
    /// 29,900. 0.000001 to 1.5. `--scale` overrides it. Give `scale` or `premises`,
    /// not both; with neither, 100,000 premises.
    pub scale: Option<f64>,
    /// Number of premises, exactly. 1 to 40,000,000.
    pub premises: Option<i64>,
    /// Premises with electricity only (no gas meter). Default 0.18 (assumption).
    pub electricity_only_share: f64,
    /// Premises with gas only: their hub has no ESME to power it. Default 0.02
    /// (assumption; DOMAIN §3 "gas-only premises").
    pub gas_only_share: f64,
    /// Hubs of migrated SMETS1 installations. Default 0.375 (DOMAIN §5: about 12 m
    /// SMETS1 and 20 m SMETS2 on the network, Aug 2024 [M]).
    #[serde(default = "default_smets1")]
    pub smets1_share: f64,
    /// Prepayment premises. Default 0.14 (assumption).
    pub prepayment_share: f64,
    /// Premises with SM WAN coverage. Default 0.9925 (DOMAIN §4: "at least 99.25% of
    /// premises across GB" [H/M]).
    pub wan_coverage: f64,
    /// Of Central and South premises, those whose hub joins the mesh. Default 0.03
    /// (assumption).
    pub mesh_share: f64,
    /// Premises with a 4G hub, any region. Default 0.05 (assumption: 4G hubs standard
    /// from summer 2025, DOMAIN §4).
    pub lte_share: f64,
    /// The enrolled fleet of one month of a rollout study, `{ scenario = "FILE",
    /// month = "YYYY-MM" }` (optional `fraction`): it sets the premises, and the
    /// SMETS1 and 4G shares ([`crate::rollout::handover`]). Not with `scale` or
    /// `premises`. Default: none.
    pub from_rollout: Option<crate::rollout::raw::RawFromRollout>,
    /// Mean premises per LV feeder. Default 40 (assumption). 1 to 10,000.
    pub premises_per_feeder: i64,
    /// Mean LV feeders per secondary substation. Default 5 (assumption). 1 to 1,000.
    pub feeders_per_secondary: i64,
    /// Mean secondary substations per primary. Default 30 (assumption). 1 to 10,000.
    pub secondaries_per_primary: i64,
}

fn default_smets1() -> f64 {
    0.375
}

/// `[partitions]`: how the run is split for parallel execution. Results depend on
/// these (they are part of the model), never on the thread count.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartitions {
    /// Partitions per CSP region, each owning a contiguous block of radio cells.
    /// Default 2; 1 to 1,024.
    pub per_csp_region: i64,
}

/// `[traffic]`: the Service Requests DCC Users submit.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    /// `[[traffic.streams]]`: the streams. Default: one stream of SRV 4.1.1 On Demand
    /// reads at 20 per second from Import Suppliers.
    #[serde(default)]
    pub streams: Vec<crate::traffic::RawStream>,
}

/// A distribution of durations, chosen by `kind`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RawDelay {
    /// `{ kind = "constant", value_s = … }`
    Constant {
        /// The value, in seconds.
        value_s: f64,
    },
    /// `{ kind = "exponential", mean_s = … }`
    Exponential {
        /// The mean, in seconds.
        mean_s: f64,
    },
    /// `{ kind = "lognormal", median_s = …, p95_s = … }`
    Lognormal {
        /// The median, in seconds.
        median_s: f64,
        /// The 95th percentile, in seconds.
        p95_s: f64,
    },
    /// `{ kind = "uniform", min_s = …, max_s = … }`
    Uniform {
        /// The lower bound, in seconds.
        min_s: f64,
        /// The upper bound, in seconds.
        max_s: f64,
    },
}

/// `[users]`: what DCC Users' own systems do.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUsers {
    /// Time for a User to correlate and sign a Critical request's Pre-Command (at
    /// its HSM) and resubmit it; outside the TRT. Default uniform 0.2 to 2 s (DOMAIN
    /// §1.1 [A]).
    #[serde(default = "default_signing")]
    pub signing_time: RawDelay,
    /// Market shares of the suppliers (normalised); each supplier is one DCC User.
    /// Default [0.20, 0.18, 0.15, 0.12, 0.10, 0.08, 0.17]: six large suppliers and
    /// the rest as one (assumption; DOMAIN §6: 49 suppliers in the 2022 targets
    /// framework, installs 99% by large suppliers). 1 to 200 entries.
    pub supplier_shares: Vec<f64>,
    /// Gas Transporters, each one DCC User serving premises at random. Default 4
    /// (assumption). 1 to 100.
    pub gas_transporters: i64,
    /// Requests one User may have in the User Gateway at once (its connections);
    /// more wait in the User's own queue. Split evenly over DSP shards. Default 2,000
    /// (assumption; DOMAIN §3: SECMP0067 proposed per-User allocations). 1 to 10^7.
    pub max_concurrent_requests: i64,
}

fn default_signing() -> RawDelay {
    RawDelay::Uniform { min_s: 0.2, max_s: 2.0 }
}

/// `[user_gateway]`: the DCC User Interface entry point, a FCFS multi-server queue
/// in each DSP shard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUserGateway {
    /// Servers (concurrent requests handled). Default 32 (assumption). 1 to 100,000.
    pub servers: i64,
    /// Time to accept and authenticate one request. Default exponential, mean 0.05 s
    /// (assumption).
    #[serde(default = "default_gateway_service")]
    pub service_time: RawDelay,
}

fn default_gateway_service() -> RawDelay {
    RawDelay::Exponential { mean_s: 0.05 }
}

/// `[dsp]`: the Data Service Provider, a FCFS multi-server queue that processes each
/// request on the way in and its response on the way out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDsp {
    /// Independent DSP shards, each a partition with its own User Gateway and DSP
    /// servers; requests are spread evenly. Default 1; 1 to 256.
    pub shards: i64,
    /// Servers in each shard. Default 64 (assumption). 1 to 100,000.
    pub servers: i64,
    /// Validation, authorisation and transformation of a request. Default log-normal,
    /// median 0.8 s, p95 2 s (DOMAIN §4: "DSP processing 0.5–2 s each way" [A]).
    #[serde(default = "default_dsp_processing")]
    pub request_processing: RawDelay,
    /// Processing of a response into a Service Response. Default as
    /// `request_processing` (DOMAIN §4 [A]).
    #[serde(default = "default_dsp_processing")]
    pub response_processing: RawDelay,
}

fn default_dsp_processing() -> RawDelay {
    RawDelay::Lognormal { median_s: 0.8, p95_s: 2.0 }
}

/// `[cos_party]`: the part of DCC that signs Change of Supplier credential updates
/// (SRV 6.23) for the new supplier (DOMAIN §0), a FCFS queue in each DSP shard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosParty {
    /// Signing servers per shard. Default 8 (assumption). 1 to 100,000.
    pub servers: i64,
    /// Time to sign one update. Default log-normal, median 0.5 s, p95 2 s
    /// (assumption).
    #[serde(default = "default_cos_signing")]
    pub signing_time: RawDelay,
}

fn default_cos_signing() -> RawDelay {
    RawDelay::Lognormal { median_s: 0.5, p95_s: 2.0 }
}

/// `[wan_gateway]`: the DCC WAN Gateway Interface between DSP and CSP.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWanGateway {
    /// One-way latency between DSP and CSP, in seconds. It is also the engine's
    /// lookahead, so it must be positive. Default 0.05 (assumption). 0.001 to 60.
    pub latency_s: f64,
    /// Size of one Category 1 firmware payload, bytes: a firmware image (SRV 11.1)
    /// crosses the cell as this many bytes at a time, each payload queueing for a
    /// channel on its own. Default 1,500 (assumption: DOMAIN §1.2 found no size).
    /// 100 to 10^7.
    pub firmware_payload_bytes: i64,
}

/// `[csp]`: one table per CSP region.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCsps {
    /// `[csp.north]`: Arqiva long-range radio (DOMAIN §4).
    #[serde(default)]
    pub north: RawCsp,
    /// `[csp.central]`: Telefónica cellular with mesh fill-in (DOMAIN §4).
    #[serde(default)]
    pub central: RawCsp,
    /// `[csp.south]`: Telefónica cellular with mesh fill-in (DOMAIN §4).
    #[serde(default)]
    pub south: RawCsp,
    /// `[csp.mesh]`: mesh-connected hubs in Central and South (DOMAIN §4).
    #[serde(default)]
    pub mesh: RawCsp,
    /// `[csp.lte]`: 4G hubs in any region (DOMAIN §4).
    #[serde(default)]
    pub lte: RawCsp,
}

/// One CSP region's WAN: radio cells with limited channels, and a round-trip latency.
/// Every key is optional; an omitted key takes its region's default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCsp {
    /// Communications Hubs served by one radio cell or base station. Defaults: North
    /// 1,000, Central/South 1,500 (assumption). 1 to 1,000,000.
    pub premises_per_cell: Option<i64>,
    /// Messages a cell can carry at once. Defaults: North 4, Central/South 8
    /// (assumption). 1 to 10,000.
    pub channels_per_cell: Option<i64>,
    /// Bit rate of one channel, in bits per second; airtime is size × 8 / rate.
    /// Defaults: North 4,800, Central/South 20,000 (assumption). 1 to 10^10.
    pub channel_bitrate_bps: Option<f64>,
    /// Round trip over the WAN excluding airtime, split evenly between the
    /// downlink and uplink legs. Defaults: North log-normal median 7.5 s, p95 20 s;
    /// Central/South median 4.5 s, p95 15 s (DOMAIN §4 latency table [A]).
    pub round_trip: Option<RawDelay>,
    /// The fastest possible round trip, in seconds: draws of `round_trip` below it
    /// are raised to it. Half of it, plus the WAN Gateway latency, is the engine's
    /// lookahead, so a larger floor means fewer synchronisation windows. Default 1.0
    /// for every region (assumption: radio access and core-network setup). 0 to 60.
    pub round_trip_min_s: Option<f64>,
    /// Chance that one transmission of a message over the cell is lost. Default
    /// 0.01, mesh 0.03 (assumptions). 0 to 0.9.
    pub loss_probability: Option<f64>,
    /// How long the sender waits before it retransmits a lost message, in seconds.
    /// Default 10 (assumption). 0.1 to 3,600.
    pub retry_timeout_s: Option<f64>,
    /// Retransmissions of a request's messages before the CSP gives up and the DSP
    /// returns a failure. Default 2 (assumption). 0 to 20.
    pub max_retries: Option<i64>,
}

/// A region's WAN defaults, filled in.
#[derive(Debug, Clone, Copy)]
pub struct CspDefaults {
    /// Hubs per cell.
    pub premises_per_cell: i64,
    /// Channels per cell.
    pub channels_per_cell: i64,
    /// Bit rate per channel.
    pub channel_bitrate_bps: f64,
    /// Round trip excluding airtime.
    pub round_trip: RawDelay,
    /// Fastest round trip.
    pub round_trip_min_s: f64,
    /// Chance a transmission is lost.
    pub loss_probability: f64,
}

/// Default chance a WAN transmission is lost (assumption).
const LOSS: f64 = 0.01;

impl CspDefaults {
    /// CSP North: Arqiva long-range radio.
    pub const NORTH: CspDefaults = CspDefaults {
        premises_per_cell: 1_000,
        channels_per_cell: 4,
        channel_bitrate_bps: 4_800.0,
        round_trip: RawDelay::Lognormal { median_s: 7.5, p95_s: 20.0 },
        round_trip_min_s: 1.0,
        loss_probability: LOSS,
    };

    /// CSP Central and South: Telefónica cellular.
    pub const CELLULAR: CspDefaults = CspDefaults {
        premises_per_cell: 1_500,
        channels_per_cell: 8,
        channel_bitrate_bps: 20_000.0,
        round_trip: RawDelay::Lognormal { median_s: 4.5, p95_s: 15.0 },
        round_trip_min_s: 1.0,
        loss_probability: LOSS,
    };

    /// Mesh: small clusters relaying hop by hop (DOMAIN §4: mesh median 8–20 s, p95
    /// about 25 s [A]; cluster size, channels and rate are assumptions).
    pub const MESH: CspDefaults = CspDefaults {
        premises_per_cell: 200,
        channels_per_cell: 2,
        channel_bitrate_bps: 9_600.0,
        round_trip: RawDelay::Lognormal { median_s: 12.0, p95_s: 25.0 },
        round_trip_min_s: 2.0,
        loss_probability: 0.03,
    };

    /// 4G (assumption throughout: faster and wider than 2G/3G).
    pub const LTE: CspDefaults = CspDefaults {
        premises_per_cell: 1_500,
        channels_per_cell: 16,
        channel_bitrate_bps: 100_000.0,
        round_trip: RawDelay::Lognormal { median_s: 2.0, p95_s: 6.0 },
        round_trip_min_s: 1.0,
        loss_probability: LOSS,
    };
}

/// `[measurement]`: targets responses are judged against.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasurement {
    /// On Demand Target Response Time, in seconds. Default 30 (DOMAIN §1.2: "the
    /// intended TRT of 30 seconds for all On Demand Service Requests").
    pub on_demand_trt_s: f64,
    /// Target Service Level of the Code Performance Measures, %. Default 99 (DOMAIN
    /// §2 [A]: commonly quoted, not verified). 0 to 100.
    pub target_service_level_pct: f64,
    /// Minimum Service Level, %. Default 96 (DOMAIN §2 [A]). 0 to the target.
    pub minimum_service_level_pct: f64,
    /// The calendar date at simulated time zero, "YYYY-MM-DD": measures are
    /// reported per calendar month (DOMAIN §1.1: "the measurement period is a
    /// calendar month"). Default "2026-01-01" (assumption; it only places month
    /// boundaries).
    pub start_date: String,
}
