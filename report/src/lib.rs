//! # report: a run's outputs
//!
//! One folder per run, written atomically ([`output_dir`]):
//!
//! | file | what |
//! |---|---|
//! | `service_requests.parquet` | one row per Service Request ([`service_requests`]) |
//! | `summary.json` | TRT and stage figures ([`summary`]) |
//! | `manifest.json` | what was run; written last ([`manifest`]) |
//!
//! Polars lives here, and only here: it is the heaviest dependency to compile.

pub mod manifest;
pub mod output_dir;
pub mod service_requests;
pub mod summary;

use std::path::{Path, PathBuf};

use models::network::RunResult;
use models::scenario::Scenario;

pub use manifest::{Manifest, SCHEMA_VERSION, sha256_hex};
pub use output_dir::StagedDir;
pub use summary::RunSummary;

/// Why outputs could not be written. The run's folder is left absent, never partial.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file or folder could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The path concerned.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The output folder exists and is not a dccsim run folder.
    #[error("{0}: exists and is not a dccsim run folder (no manifest.json); choose another --out")]
    NotARunFolder(String),
    /// Polars failed to build or write a table.
    #[error("writing Parquet: {0}")]
    Parquet(#[from] polars::error::PolarsError),
    /// JSON serialisation failed.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// What the caller knows of a run that the result does not hold.
#[derive(Debug, Clone)]
pub struct RunContext<'a> {
    /// The scenario file, as given.
    pub scenario_file: &'a Path,
    /// Its bytes, for the manifest's hash.
    pub scenario_bytes: &'a [u8],
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock seconds the simulation took.
    pub wall_s: f64,
}

fn write_file(dir: &Path, name: &str, contents: &[u8]) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, contents).map_err(|source| ReportError::Io { path: path.display().to_string(), source })
}

/// Writes every output of a run to `out`, atomically, and returns the folder.
pub fn write_run(
    out: &Path,
    scenario: &Scenario,
    result: &RunResult,
    summary: &RunSummary,
    ctx: &RunContext<'_>,
) -> Result<PathBuf, ReportError> {
    let staged = StagedDir::create(out)?;
    let dir = staged.path();
    service_requests::write(&dir.join("service_requests.parquet"), &result.records, scenario.on_demand_trt)?;
    write_file(dir, "summary.json", serde_json::to_string_pretty(summary)?.as_bytes())?;
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        dccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario.name.clone(),
        scenario_file: ctx.scenario_file.display().to_string(),
        scenario_sha256: sha256_hex(ctx.scenario_bytes),
        seed: scenario.seed,
        threads: ctx.threads,
        partitions: result.partitions,
        events: result.engine.events,
        windows: result.engine.windows,
        messages: result.engine.messages,
        horizon_s: scenario.horizon.as_secs_f64(),
        simulated_end_s: result.end.as_secs_f64(),
        wall_s: ctx.wall_s,
        files: vec!["service_requests.parquet".into(), "summary.json".into()],
    };
    write_file(dir, output_dir::MANIFEST, serde_json::to_string_pretty(&manifest)?.as_bytes())?;
    staged.commit()
}
