//! `manifest.json`: what was run, with what, and what was written. Written last: a
//! folder with a manifest is a finished study.
//!
//! One type serves every study. The fields every study shares come first; `kind`
//! says which study it was, and the fields of that kind follow
//! ([`StudyDetails`]).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use models::sweep_runner::Shard;

/// Version of the output tables' schemas; bumped whenever a column changes.
///
/// - 1: first release.
/// - 2: `service_requests.target_s` is per request; outcome `rejected`; summary TRT
///   rows gain `rejected` and per-class groups.
/// - 3: `service_requests` gains `user`, `user_signing_s` and `execution_s`; outcome
///   `failed`; `performance.parquet`.
/// - 4: `cells.parquet`; `alerts.parquet` and `outages.parquet`; CPM3; the `alert_delivery` stage;
///   the summary's `alerts`; alert columns in `replications.parquet`.
/// - 5: `service_requests` and `alerts` are folders of part files written while the
///   run goes, rows in the order requests and copies ended; TRT quantiles come from
///   histograms (within 0.1 %); the manifest's `status`; a sweep's
///   failed runs: `replications.parquet` gains `status` and `error` (figures null
///   when failed), `sweep.parquet` gains `failed`, the manifest `failed`.
/// - 6: UTC timestamp columns (`*_utc`) beside the simulated seconds in every table
///   with clock times; `outages.parquet` gains `ad1_at_dno`, `ad1_suppressed`,
///   `ad1_lost`, `ad1_unfinished` and `first_alert_at_dno_utc`; every folder holds
///   `scenario.resolved.toml`; a whole sweep writes `report.html` and `plots/`; the
///   manifest's `commit`, `start`, `replication` and `resolved_scenario`.
/// - 7: the User Gateway's downtime: the `refused` outcome, `wait_for_gateway_s`
///   and `refusals` in `service_requests/`, `refused` in the summary's `trt[]`, the
///   summary's `downtime` and `downtime.parquet`; CSP regional outages: the
///   summary's `wan_outages`; DCC Users suspended: `refused_by` in
///   `service_requests/` and the summary's `suspensions`.
/// - 8: SMETS1 apart: `smets1` in `service_requests/`, the `smets2` and `smets1`
///   rows of the summary's `trt[]`, the `smets1_service` stage; Threshold Anomaly
///   Detection: `stream` and `quarantined` in
///   `service_requests/`, `refused_by` = `quarantined`, the summary's
///   `anomaly_detection`; every stream in `scenario.resolved.toml` shows `attack`
///   and `start_s`.
pub const SCHEMA_VERSION: u32 = 8;

/// The commit of dccsim's repository this program was built from, or "unknown"
/// for a build outside a git checkout (see `report/build.rs`).
pub const COMMIT: &str = env!("DCCSIM_COMMIT");

/// The file of a run folder holding the study as it ran.
pub const RESOLVED_SCENARIO: &str = "scenario.resolved.toml";

/// Which kind of study a folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StudyKind {
    /// One run of the network (`dccsim run`).
    Network,
    /// A rollout over years (`dccsim run` on a `[rollout]` file).
    Rollout,
    /// Points × replications (`dccsim sweep`), a shard of one, or shards combined.
    Sweep,
}

/// Whether a study ran to its end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// It ran to its end: every file listed is whole.
    #[default]
    Complete,
    /// It was stopped (SIGINT, SIGTERM): the rows that ended before the stop were
    /// written, and no figures (they would describe a shorter run than asked for).
    /// `simulated_end_s` says how far it got.
    Interrupted,
}

/// The manifest of a study folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The kind of study.
    pub kind: StudyKind,
    /// Whether it ran to its end.
    #[serde(default)]
    pub status: RunStatus,
    /// Output schema version (per kind: [`SCHEMA_VERSION`], or
    /// [`crate::rollout::ROLLOUT_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// dccsim's version.
    pub dccsim_version: String,
    /// The commit of dccsim's repository the program was built from ([`COMMIT`]).
    #[serde(default)]
    pub commit: String,
    /// Study name.
    pub scenario: String,
    /// The scenario file, as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// Seed used.
    pub seed: u64,
    /// Replication index of a single run (0 unless a sweep numbered it); a sweep's
    /// are in `replications.parquet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication: Option<u32>,
    /// Where simulated time starts: the calendar day of a network study's time zero
    /// (`measurement.start_date`, YYYY-MM-DD), or a rollout's first month (YYYY-MM).
    #[serde(default)]
    pub start: String,
    /// The study exactly as it ran, in the folder ([`RESOLVED_SCENARIO`]): every
    /// default filled in and every override applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_scenario: Option<String>,
    /// Worker threads (absent for combined sweep shards, which ran elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
    /// Wall-clock duration of the simulation, s (absent for combined shards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_s: Option<f64>,
    /// What only this kind of study records.
    #[serde(flatten)]
    pub details: StudyDetails,
    /// Files in the folder besides the manifest.
    pub files: Vec<String>,
}

/// The fields of a manifest that depend on the kind of study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StudyDetails {
    /// A network run.
    Network(NetworkDetails),
    /// A rollout.
    Rollout(RolloutDetails),
    /// A sweep.
    Sweep(SweepDetails),
}

/// What a network run's manifest records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkDetails {
    /// Partitions.
    pub partitions: u32,
    /// Events handled.
    pub events: u64,
    /// Synchronisation windows.
    pub windows: u64,
    /// Messages between partitions.
    pub messages: u64,
    /// Events handled by the busiest partition.
    pub busiest_partition_events: u64,
    /// Submission horizon, s.
    pub horizon_s: f64,
    /// Simulated time at which the run ended, s.
    pub simulated_end_s: f64,
}

/// What a rollout's manifest records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RolloutDetails {
    /// Fraction of GB.
    pub scale: f64,
    /// Months simulated.
    pub months: usize,
    /// Cells (supplier × DNO area).
    pub cells: usize,
}

/// What a sweep's manifest records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepDetails {
    /// Swept keys, in column order.
    pub parameters: Vec<String>,
    /// Points in the whole sweep.
    pub points: u32,
    /// Replications per point.
    pub replications: u32,
    /// Warm-up left out of the figures, s.
    pub warmup_s: f64,
    /// The slice of jobs in this folder (`count` 1 for a whole or combined sweep).
    pub shard: Shard,
    /// The jobs in this folder that failed, by (point, replication); empty when
    /// every run finished.
    #[serde(default)]
    pub failed: Vec<FailedJob>,
}

/// A sweep job that failed: its row in `replications.parquet` has status `failed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailedJob {
    /// The point's index.
    pub point: u32,
    /// The replication index.
    pub replication: u32,
    /// The panic's message, after its place: `panicked at FILE:LINE:COL: …`.
    pub message: String,
}

impl Manifest {
    /// The sweep fields, if this is a sweep's manifest.
    pub fn sweep(&self) -> Option<&SweepDetails> {
        match &self.details {
            StudyDetails::Sweep(s) => Some(s),
            _ => None,
        }
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_standard_vector() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    fn manifest(details: StudyDetails, kind: StudyKind) -> Manifest {
        Manifest {
            kind,
            status: RunStatus::Complete,
            schema_version: SCHEMA_VERSION,
            dccsim_version: "0.1.0".into(),
            commit: COMMIT.into(),
            replication: Some(0),
            start: "2026-01-01".into(),
            resolved_scenario: Some(RESOLVED_SCENARIO.into()),
            scenario: "s".into(),
            scenario_file: "s.toml".into(),
            scenario_sha256: sha256_hex(b""),
            seed: 7,
            threads: Some(2),
            wall_s: Some(1.5),
            details,
            files: vec!["a.parquet".into()],
        }
    }

    #[test]
    fn every_kind_reads_back_as_written_with_its_kind_first() {
        let network = NetworkDetails {
            partitions: 4,
            events: 10,
            windows: 3,
            messages: 2,
            busiest_partition_events: 7,
            horizon_s: 60.0,
            simulated_end_s: 61.5,
        };
        let rollout = RolloutDetails { scale: 0.01, months: 12, cells: 80 };
        let sweep = SweepDetails {
            parameters: vec!["dsp.servers".into()],
            points: 3,
            replications: 5,
            warmup_s: 60.0,
            shard: Shard { index: 1, count: 2 },
            failed: vec![FailedJob { point: 2, replication: 4, message: "panicked at a.rs:1:2: boom".into() }],
        };
        for (m, kind) in [
            (manifest(StudyDetails::Network(network), StudyKind::Network), "network"),
            (manifest(StudyDetails::Rollout(rollout), StudyKind::Rollout), "rollout"),
            (manifest(StudyDetails::Sweep(sweep), StudyKind::Sweep), "sweep"),
        ] {
            let json = serde_json::to_string_pretty(&m).unwrap();
            assert!(json.starts_with(&format!("{{\n  \"kind\": \"{kind}\",")), "{json}");
            let back: Manifest = serde_json::from_str(&json).unwrap();
            assert_eq!(back, m);
        }
    }

    #[test]
    fn a_combined_sweep_has_no_threads_or_wall_time() {
        let sweep = SweepDetails {
            parameters: vec![],
            points: 1,
            replications: 1,
            warmup_s: 0.0,
            shard: Shard::ALL,
            failed: vec![],
        };
        let mut m = manifest(StudyDetails::Sweep(sweep), StudyKind::Sweep);
        (m.threads, m.wall_s) = (None, None);
        let json: serde_json::Value = serde_json::to_value(&m).unwrap();
        assert!(json.get("threads").is_none() && json.get("wall_s").is_none());
        assert_eq!(serde_json::from_value::<Manifest>(json).unwrap(), m);
    }
}
