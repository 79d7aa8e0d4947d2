//! `manifest.json`: what was run, with what, and what was written. Written last: a
//! folder with a manifest is a finished run.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Version of the output tables' schemas; bumped whenever a column changes.
///
/// - 1: first release.
/// - 2: `service_requests.target_s` is per request; outcome `rejected`; summary TRT
///   rows gain `rejected` and per-class groups.
/// - 3: `service_requests` gains `user`, `user_signing_s` and `execution_s`; outcome
///   `failed`; `performance.parquet`.
/// - 4: `cells.parquet`; `alerts.parquet` and `outages.parquet`; CPM3; the `alert_delivery` stage;
///   the summary's `alerts`; alert columns in `replications.parquet`.
pub const SCHEMA_VERSION: u32 = 4;

/// The manifest of a run folder.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Output schema version.
    pub schema_version: u32,
    /// dccsim's version.
    pub dccsim_version: String,
    /// Study name.
    pub scenario: String,
    /// The scenario file, as given.
    pub scenario_file: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// Seed used.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Partitions.
    pub partitions: u32,
    /// Events handled.
    pub events: u64,
    /// Synchronisation windows.
    pub windows: u64,
    /// Messages between partitions.
    pub messages: u64,
    /// Submission horizon, s.
    pub horizon_s: f64,
    /// Simulated time at which the run ended, s.
    pub simulated_end_s: f64,
    /// Wall-clock duration of the simulation, s.
    pub wall_s: f64,
    /// Files in the folder besides the manifest.
    pub files: Vec<String>,
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_of_abc_is_the_standard_vector() {
        assert_eq!(super::sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
