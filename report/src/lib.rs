//! # report: a run's outputs
//!
//! One folder per run, written atomically ([`output_dir`]):
//!
//! | file | what |
//! |---|---|
//! | `service_requests/part-NNNNN.parquet` | one row per Service Request, written as the run goes ([`rows`], [`service_requests`]) |
//! | `alerts/part-NNNNN.parquet` | with outages: one row per alert copy, likewise ([`alerts`]) |
//! | `stages.parquet` | one row per stage and time bucket ([`stages`]) |
//! | `performance.parquet` | Code Performance Measures per month and run ([`performance`]) |
//! | `performance_detail.parquet` | their counts per month × CSP region × User × SRV ([`performance`]) |
//! | `downtime.parquet` | with `[[user_gateway.downtime]]`: one row per window the User Gateway was down ([`downtime`]) |
//! | `summary.json` | TRT, stage and performance-measure figures ([`summary`]) |
//! | `plots/*.svg` | figures: TRT distributions, stage utilisation and queues ([`plots`]) |
//! | `report.html` | the summary and figures on one self-contained page ([`html`]) |
//! | `manifest.json` | what was run; written last; one type for every study; `status` `interrupted` for a stopped run ([`manifest`]) |
//!
//! A rollout study ([`models::rollout`]) writes `rollout.parquet`, `summary.json`,
//! three figures, `report.html` and `manifest.json` instead ([`rollout`]).
//!
//! Every figure is computed in [`models::measures`]; this crate only writes tables
//! (each checked against its declared [`schema`]), text and figures. Polars and
//! plotters live here, and only here: they are the heaviest dependencies to compile.
//! Every file is a function of the scenario and seed alone (the manifest excepted,
//! which records threads and wall time), so runs repeat byte for byte.

pub mod alerts;
pub mod anomaly;
pub mod cells;
pub mod dataset;
pub mod downtime;
pub mod font;
pub mod html;
pub mod interruptions;
pub mod manifest;
pub mod output_dir;
pub mod performance;
pub mod plots;
pub mod rollout;
pub mod rollout_html;
pub mod rows;
pub mod schema;
pub mod service_requests;
pub mod stages;
pub mod storm;
pub mod summary;
pub mod suspension;
pub mod sweep;
pub mod sweep_journal;
pub mod sweep_report;
pub mod switching;
pub mod wan_outage;

use std::path::{Path, PathBuf};

use models::RunOutput;
use models::scenario::Scenario;

pub use manifest::{Manifest, NetworkDetails, RunStatus, SCHEMA_VERSION, StudyDetails, StudyKind, sha256_hex};
pub use models::measures::RunSummary;
pub use models::measures::trt_cdf as cdf;
pub use output_dir::StagedDir;

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
    #[error("{0}: exists and is not a dccsim run folder (no manifest.json written by dccsim); choose another --out")]
    NotARunFolder(String),
    /// Polars failed to build or write a table.
    #[error("writing Parquet: {0}")]
    Parquet(#[from] polars::error::PolarsError),
    /// Another living process is writing the output folder.
    #[error(
        "{folder}: another dccsim (process {pid}) is writing this folder; wait for it to finish, or choose another --out"
    )]
    Locked {
        /// The output folder.
        folder: String,
        /// The process holding its lock.
        pid: u32,
    },
    /// Shard folders that do not make one sweep.
    #[error("combining sweep shards: {0}")]
    Combine(String),
    /// JSON serialisation failed.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A table's columns differ from its declared schema (a bug in dccsim).
    #[error("a table does not match its schema: {0}")]
    Schema(String),
    /// A figure could not be drawn.
    #[error("drawing a plot: {0}")]
    Plot(String),
    /// `--resume` found the journal of another sweep (another file, overrides, seed,
    /// replications, shard or program) beside the output folder.
    #[error(
        "{0}: the journal there is of another sweep (its file, overrides, seed, replications, shard or dccsim \
         differ); run without --resume to start again, or choose another --out"
    )]
    OtherSweep(String),
    /// The thread writing tables stopped before the run finished.
    #[error("the table writer stopped early")]
    WriterStopped,
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

/// The folder of figures inside a run folder.
pub const PLOTS_DIR: &str = "plots";

fn io_err(path: &Path, source: std::io::Error) -> ReportError {
    ReportError::Io { path: path.display().to_string(), source }
}

fn write_file(dir: &Path, name: &str, contents: &[u8]) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, contents).map_err(|source| io_err(&path, source))
}

/// Writes a small table whole (one row group), zstd-compressed.
pub(crate) fn write_parquet(path: &Path, df: &mut polars::prelude::DataFrame) -> Result<(), ReportError> {
    use polars::prelude::{ParquetCompression, ParquetWriter};
    let file = std::fs::File::create(path).map_err(|source| io_err(path, source))?;
    ParquetWriter::new(file).with_compression(ParquetCompression::Zstd(None)).finish(df)?;
    Ok(())
}

/// A network run's folder being written: staged, with its row tables streaming in.
pub struct RunFolder {
    staged: StagedDir,
    rows: rows::RowWriter,
}

impl RunFolder {
    /// Claims `out` (see [`output_dir::Claim`]) and starts writing the row tables of
    /// a run of `world` into its staging folder. Call before the simulation starts:
    /// a folder that cannot be written is found out before, not after, it.
    pub fn start(out: &Path, world: std::sync::Arc<models::world::World>) -> Result<RunFolder, ReportError> {
        let staged = StagedDir::create(out)?;
        let rows = rows::RowWriter::start(staged.path(), world)?;
        Ok(RunFolder { staged, rows })
    }

    /// Where the run's rows go.
    pub fn sink(&mut self) -> &mut rows::RowWriter {
        &mut self.rows
    }

    /// Writes every other output of a finished run, then the manifest, and moves the
    /// folder into place. `step` hears what is being written, for progress.
    pub fn finish(
        self,
        scenario: &Scenario,
        result: &RunOutput,
        summary: &RunSummary,
        ctx: &RunContext<'_>,
        step: &mut dyn FnMut(&str),
    ) -> Result<PathBuf, ReportError> {
        step("the last rows");
        let mut files = self.rows.finish()?;
        let dir = self.staged.path();
        files.push(write_resolved(dir, scenario, ctx)?);
        step("stages.parquet");
        let series = models::measures::stages::stage_series(result);
        stages::write(&dir.join("stages.parquet"), &series, scenario.measurement.start_date)?;
        files.push("stages.parquet".into());
        step("performance tables");
        performance::write(&dir.join("performance.parquet"), &summary.performance)?;
        files.push("performance.parquet".into());
        let users = result.world.users.names();
        performance::write_detail(&dir.join("performance_detail.parquet"), &result.measures.cpm, &users)?;
        files.push("performance_detail.parquet".into());
        if let Some(downtime) = &summary.downtime {
            step("downtime.parquet");
            downtime::write(&dir.join("downtime.parquet"), &downtime.windows, scenario.measurement.start_date)?;
            files.push("downtime.parquet".into());
        }
        step("cells.parquet");
        cells::write(&dir.join("cells.parquet"), result)?;
        files.push("cells.parquet".into());
        let mut faults = Vec::new();
        if !result.world.outages.is_empty() {
            step("outages.parquet");
            let reports = models::measures::alerts::fault_reports(result);
            alerts::write_outages(&dir.join("outages.parquet"), result, &reports)?;
            faults = storm::fault_lines(result, &reports);
            files.push("outages.parquet".into());
            if scenario.output.rows != models::scenario::RowChoice::None {
                interruptions::write(&dir.join("interruptions.parquet"), &result.world)?;
                files.push("interruptions.parquet".into());
            }
        }
        write_file(dir, "summary.json", serde_json::to_string_pretty(summary)?.as_bytes())?;
        files.push("summary.json".into());
        step("plots");
        let figures = plots::of_run(result, scenario.measurement.on_demand_trt.as_secs_f64(), &series)?;
        let plots_dir = dir.join(PLOTS_DIR);
        std::fs::create_dir(&plots_dir).map_err(|source| io_err(&plots_dir, source))?;
        for figure in &figures {
            write_file(&plots_dir, figure.file, figure.standalone().as_bytes())?;
            files.push(format!("{PLOTS_DIR}/{}", figure.file));
        }
        step("report.html");
        write_file(dir, "report.html", html::render(summary, &scenario.description, &figures, &faults).as_bytes())?;
        files.push("report.html".into());
        let run = &result.measures.run;
        let details = NetworkDetails {
            partitions: run.partitions,
            events: run.engine.events,
            windows: run.engine.windows,
            messages: run.engine.messages,
            busiest_partition_events: run.engine.busiest_partition_events,
            horizon_s: scenario.horizon.as_secs_f64(),
            simulated_end_s: run.end.as_secs_f64(),
        };
        let manifest = network_manifest(scenario, ctx, RunStatus::Complete, details, files);
        step("manifest.json");
        write_file(dir, output_dir::MANIFEST, serde_json::to_string_pretty(&manifest)?.as_bytes())?;
        self.staged.commit()
    }

    /// Closes a run stopped before its end: the rows written so far are kept, no
    /// figures are written, and the manifest says `interrupted` and how far the run
    /// got (`reached`, with the engine's counts then).
    pub fn finish_interrupted(
        self,
        scenario: &Scenario,
        ctx: &RunContext<'_>,
        reached: sim::SimTime,
        engine: sim::EngineStats,
        partitions: u32,
    ) -> Result<PathBuf, ReportError> {
        let mut files = self.rows.finish()?;
        files.push(write_resolved(self.staged.path(), scenario, ctx)?);
        let details = NetworkDetails {
            partitions,
            events: engine.events,
            windows: engine.windows,
            messages: engine.messages,
            busiest_partition_events: engine.busiest_partition_events,
            horizon_s: scenario.horizon.as_secs_f64(),
            simulated_end_s: reached.as_secs_f64(),
        };
        let manifest = network_manifest(scenario, ctx, RunStatus::Interrupted, details, files);
        write_file(self.staged.path(), output_dir::MANIFEST, serde_json::to_string_pretty(&manifest)?.as_bytes())?;
        self.staged.commit()
    }

    /// Abandons the run: the staging folder is removed and the writer's error, if it
    /// stopped on one, returned.
    pub fn abandon(self) -> Result<(), ReportError> {
        self.rows.finish().map(|_| ())
    }
}

/// Writes [`manifest::RESOLVED_SCENARIO`] into `dir`; returns its name.
fn write_resolved(dir: &Path, scenario: &Scenario, ctx: &RunContext<'_>) -> Result<String, ReportError> {
    let resolved = scenario.resolved_toml(&ctx.scenario_file.display().to_string());
    write_file(dir, manifest::RESOLVED_SCENARIO, resolved.as_bytes())?;
    Ok(manifest::RESOLVED_SCENARIO.to_string())
}

fn network_manifest(
    scenario: &Scenario,
    ctx: &RunContext<'_>,
    status: RunStatus,
    details: NetworkDetails,
    files: Vec<String>,
) -> Manifest {
    Manifest {
        kind: StudyKind::Network,
        status,
        schema_version: SCHEMA_VERSION,
        dccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        commit: manifest::COMMIT.into(),
        replication: Some(scenario.replication),
        start: scenario.measurement.start_date.to_string(),
        resolved_scenario: Some(manifest::RESOLVED_SCENARIO.into()),
        scenario: scenario.name.clone(),
        scenario_file: ctx.scenario_file.display().to_string(),
        scenario_sha256: sha256_hex(ctx.scenario_bytes),
        seed: scenario.seed,
        threads: Some(ctx.threads),
        wall_s: Some(ctx.wall_s),
        details: StudyDetails::Network(details),
        files,
    }
}

/// Writes every output of a run kept in memory (its `rows`) to `out`, atomically,
/// and returns the folder: for runs made by [`models::network::run`].
pub fn write_run(
    out: &Path,
    scenario: &Scenario,
    result: &RunOutput,
    summary: &RunSummary,
    ctx: &RunContext<'_>,
) -> Result<PathBuf, ReportError> {
    use models::measures::RowSink;
    let mut folder = RunFolder::start(out, result.world.clone())?;
    let stopped = |_| ReportError::WriterStopped;
    folder.sink().requests(result.rows.requests.clone()).map_err(stopped)?;
    folder.sink().alerts(result.rows.alerts.clone()).map_err(stopped)?;
    folder.finish(scenario, result, summary, ctx, &mut |_| {})
}
