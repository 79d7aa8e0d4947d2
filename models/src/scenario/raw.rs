//! The scenario file as written: TOML through serde, unknown keys rejected.
//!
//! These structs only give each key its type. What a key means, its unit, default,
//! range and the source of the default (a row of `shared/DOMAIN.md`, "DOMAIN §n",
//! or "assumption") are stated once, in the key registry ([`super::keys`]), which
//! `scenarios/README.md` and `dccsim explain KEY` show. Plain defaults are filled
//! from it before serde reads the file; the `#[serde(default)]`s left here are the
//! defaults stated in words there (distributions, lists).

use serde::Deserialize;

use super::units::{At, nowhere};

pub use super::raw_alerts::{RawAlerts, RawCommsHub, RawOutages};

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: RawStudy,
    pub population: RawPopulation,
    pub partitions: RawPartitions,
    #[serde(default)]
    pub traffic: RawTraffic,
    pub users: RawUsers,
    pub user_gateway: RawUserGateway,
    pub dsp: RawDsp,
    pub cos_party: RawCosParty,
    pub wan_gateway: RawWanGateway,
    #[serde(default)]
    pub csp: RawCsps,
    pub comms_hub: RawCommsHub,
    #[serde(default)]
    pub outages: RawOutages,
    pub alerts: RawAlerts,
    pub measurement: RawMeasurement,
    pub output: RawOutput,
    pub sweep: Option<RawSweep>,
}

/// `[sweep]`: what `dccsim sweep` varies and repeats.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSweep {
    pub replications: i64,
    pub warmup_s: f64,
    #[serde(default)]
    pub parameters: toml::Table,
}

/// `[scenario]`: identity and time span of the study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStudy {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub seed: u64,
    pub horizon_s: At<f64>,
    pub drain_limit_s: At<f64>,
    pub series_bucket_s: At<f64>,
}

/// `[population]`: premises, each with a Communications Hub, spread over the 14 DNO
/// licence areas in proportion to their customers (DOMAIN §7).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPopulation {
    pub scale: Option<At<f64>>,
    pub premises: Option<At<i64>>,
    pub electricity_only_share: At<f64>,
    pub gas_only_share: At<f64>,
    pub smets1_share: At<f64>,
    pub prepayment_share: At<f64>,
    pub wan_coverage: At<f64>,
    pub mesh_share: At<f64>,
    pub lte_share: At<f64>,
    pub from_rollout: Option<crate::scenario::rollout::raw::RawFromRollout>,
    pub premises_per_feeder: At<i64>,
    pub feeders_per_secondary: At<i64>,
    pub secondaries_per_primary: At<i64>,
}

/// `[partitions]`: how the run is split for parallel execution. Results depend on
/// these (they are part of the model), never on the thread count.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartitions {
    pub per_csp_region: At<i64>,
}

/// `[traffic]`: the Service Requests DCC Users submit.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTraffic {
    #[serde(default)]
    pub streams: Vec<crate::scenario::traffic::RawStream>,
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
    #[serde(default = "default_signing")]
    pub signing_time: At<RawDelay>,
    pub supplier_shares: At<Vec<f64>>,
    pub gas_transporters: At<i64>,
    pub max_concurrent_requests: At<i64>,
}

fn default_signing() -> At<RawDelay> {
    nowhere(RawDelay::Uniform { min_s: 0.2, max_s: 2.0 })
}

/// `[user_gateway]`: the DCC User Interface entry point, a FCFS multi-server queue
/// in each DSP shard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUserGateway {
    pub servers: At<i64>,
    #[serde(default = "default_gateway_service")]
    pub service_time: At<RawDelay>,
}

fn default_gateway_service() -> At<RawDelay> {
    nowhere(RawDelay::Exponential { mean_s: 0.05 })
}

/// `[dsp]`: the Data Service Provider, a FCFS multi-server queue that processes each
/// request on the way in and its response on the way out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDsp {
    pub shards: At<i64>,
    pub servers: At<i64>,
    #[serde(default = "default_dsp_processing")]
    pub request_processing: At<RawDelay>,
    #[serde(default = "default_dsp_processing")]
    pub response_processing: At<RawDelay>,
}

fn default_dsp_processing() -> At<RawDelay> {
    nowhere(RawDelay::Lognormal { median_s: 0.8, p95_s: 2.0 })
}

/// `[cos_party]`: the part of DCC that signs Change of Supplier credential updates
/// (SRV 6.23) for the new supplier (DOMAIN §0), a FCFS queue in each DSP shard.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosParty {
    pub servers: At<i64>,
    #[serde(default = "default_cos_signing")]
    pub signing_time: At<RawDelay>,
}

fn default_cos_signing() -> At<RawDelay> {
    nowhere(RawDelay::Lognormal { median_s: 0.5, p95_s: 2.0 })
}

/// `[wan_gateway]`: the DCC WAN Gateway Interface between DSP and CSP.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWanGateway {
    pub latency_s: At<f64>,
    pub firmware_payload_bytes: At<i64>,
}

/// `[csp]`: one table per CSP region.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCsps {
    #[serde(default)]
    pub north: RawCsp,
    #[serde(default)]
    pub central: RawCsp,
    #[serde(default)]
    pub south: RawCsp,
    #[serde(default)]
    pub mesh: RawCsp,
    #[serde(default)]
    pub lte: RawCsp,
}

/// One CSP region's WAN: radio cells with limited channels, and a round-trip latency.
/// Every key is optional; an omitted key takes its region's default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCsp {
    pub premises_per_cell: Option<At<i64>>,
    pub channels_per_cell: Option<At<i64>>,
    pub channel_bitrate_bps: Option<At<f64>>,
    pub round_trip: Option<At<RawDelay>>,
    pub round_trip_min_s: Option<At<f64>>,
    pub loss_probability: Option<At<f64>>,
    pub retry_timeout_s: Option<At<f64>>,
    pub max_retries: Option<At<i64>>,
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

/// `[output]`: which rows a run writes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    pub rows: super::RowChoice,
    pub sample_one_in: At<i64>,
    pub rows_per_part: At<i64>,
}

/// `[measurement]`: targets responses are judged against.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasurement {
    pub on_demand_trt_s: At<f64>,
    pub target_service_level_pct: At<f64>,
    pub minimum_service_level_pct: At<f64>,
    pub start_date: At<String>,
}
