//! `dccsim run`: one network run or one rollout, written to its folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use models::network::{RunOptions, StopReason, Stopped};
use models::rollout::RolloutScenario;
use models::scenario::Scenario;
use models::study::{Source, Study};
use models::world::World;
use report::{RunContext, RunSummary};

use crate::cli::{CommonArgs, load};
use crate::error::CliError;
use crate::memory_guard::{check_memory, warn_of_overloads};
use crate::progress::Progress;
use crate::ranks::Launch;

/// Resident memory of this process, in MiB: now (`VmRSS`) or at its peak
/// (`VmHWM`). Linux only; `None` elsewhere.
fn memory_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn run_rollout(
    path: &Path,
    s: &RolloutScenario,
    text: &str,
    out: Option<PathBuf>,
    common: &CommonArgs,
) -> Result<(), CliError> {
    let threads = common.threads();
    let out = out.unwrap_or_else(|| Path::new("output").join(s.folder_name()));
    // The folder is checked and locked before the work, not after it.
    let _claim = report::output_dir::Claim::take(&out)?;
    let progress = Progress::new(common.progress(), 1, "{spinner} {msg}");
    tracing::info!(scenario = %s.name, start = %s.start, end = %s.end, scale = s.rollout.scale, threads, "rollout starting");
    #[allow(clippy::disallowed_methods)] // Times the run for the user; never feeds the model.
    let started = Instant::now();
    let result = models::rollout::run(s, threads);
    let wall_s = started.elapsed().as_secs_f64();
    let summary = report::rollout::RolloutSummary::new(s, &result);
    let ctx = RunContext { scenario_file: path, scenario_bytes: text.as_bytes(), threads, wall_s };
    progress.writing("rollout outputs");
    let dir = report::rollout::write_rollout(&out, s, &result, &summary, &ctx)?;
    progress.done(&dir);
    out!("{}", summary.to_text());
    outln!("\nWall time {wall_s:.2} s on {threads} thread(s). Outputs in {}", dir.display());
    Ok(())
}

pub(crate) fn run(path: &Path, out: Option<PathBuf>, mpi: bool, common: &CommonArgs) -> Result<(), CliError> {
    match load(path, &common.overrides())? {
        Study::Rollout { .. } if mpi => Err(CliError::BadInput(format!(
            "{}: --mpi splits a network study; a rollout study runs in one process",
            path.display()
        ))),
        Study::Rollout { scenario, source } => {
            crate::ranks::alone("a rollout study")?;
            run_rollout(path, &scenario, &source.text, out, common)
        }
        // A sweep's base scenario is the file as written: `run` runs it once.
        Study::Network { scenario, source } | Study::Sweep { base: scenario, source, .. } => {
            run_network(path, *scenario, &source, out, common, Launch::start(mpi)?)
        }
    }
}

fn run_network(
    path: &Path,
    scenario: Scenario,
    source: &Source,
    out: Option<PathBuf>,
    common: &CommonArgs,
    launch: Launch,
) -> Result<(), CliError> {
    let threads = common.threads();
    let text = &source.text;
    if launch.writes() {
        warn_of_overloads(&scenario, &scenario.name);
    }
    // Every rank checks its own machine's memory, and all stop if one would not fit.
    launch.agree(check_memory(&scenario, 1))?;
    let out = out.unwrap_or_else(|| Path::new("output").join(scenario.folder_name()));
    launch.check_same_study(&scenario)?;
    let world = Arc::new(World::build(scenario.clone()));
    let options = RunOptions { threads, parallel_from_events: sim::PARALLEL_FROM_EVENTS };
    // The folder is checked, locked and opened before the simulation, not after it:
    // rows stream into it as the run goes. Every rank learns whether rank 0 could,
    // so that none waits for a rank that has stopped.
    let folder = launch.writes().then(|| report::RunFolder::start(&out, world.clone())).transpose();
    let folder = launch.agree(folder.map_err(CliError::from))?;
    if !launch.writes() {
        // Another rank of an MPI job: it runs its partitions and hands all it
        // gathers to rank 0, which writes; it writes nothing itself.
        let stop = crate::interrupt::StopOnSignal::install();
        let result = launch.run(world, options, &mut |_| {}, stop.flag(), &mut models::measures::rows::Discard);
        return match result {
            Ok(_) => Ok(()),
            Err(Stopped { reason: StopReason::Interrupted, at, .. }) => {
                Err(CliError::Interrupted { at_s: at.as_secs_f64(), kept: None })
            }
            Err(Stopped { reason: StopReason::SinkFailed, .. }) => {
                Err(CliError::Output(report::ReportError::WriterStopped))
            }
        };
    }
    let Some(mut folder) = folder else { unreachable!("the writing rank has its folder") };
    tracing::info!(
        scenario = %scenario.name,
        file = %path.display(),
        seed = scenario.seed,
        premises = scenario.premises,
        horizon_s = scenario.horizon.as_secs_f64(),
        threads,
        "run starting"
    );
    let end_s = (scenario.horizon + scenario.drain_limit).as_secs_f64().ceil() as u64;
    let progress = Progress::new(common.progress(), end_s, "{bar:40} {pos}/{len} s simulated · {msg} · eta {eta}");
    let mut on_progress = |p: models::Progress| {
        progress.simulated(&p, memory_mib("VmRSS:"));
        tracing::debug!(simulated_s = p.now.as_secs_f64(), events = p.events, wall_s = progress.wall_s(), "progress");
    };
    #[allow(clippy::disallowed_methods)] // Times the run for the user; never feeds the model.
    let started = Instant::now();
    let stop = crate::interrupt::StopOnSignal::install();
    let result = launch.run(world.clone(), options, &mut on_progress, stop.flag(), folder.sink());
    drop(stop);
    let wall_s = started.elapsed().as_secs_f64();
    let ctx = RunContext { scenario_file: path, scenario_bytes: text.as_bytes(), threads, wall_s };
    let result = match result {
        Ok(result) => result,
        Err(Stopped { reason: StopReason::SinkFailed, .. }) => {
            // The writer's own error says what failed; the staging folder goes.
            progress.abandon();
            folder.abandon()?;
            return Err(CliError::Output(report::ReportError::WriterStopped));
        }
        Err(Stopped { reason: StopReason::Interrupted, at, engine }) => {
            progress.writing("the rows so far");
            let kept = folder.finish_interrupted(&scenario, &ctx, at, engine, world.layout.partitions())?;
            progress.abandon();
            return Err(CliError::Interrupted { at_s: at.as_secs_f64(), kept: Some(kept) });
        }
    };
    tracing::info!(
        events = result.measures.run.engine.events,
        windows = result.measures.run.engine.windows,
        messages = result.measures.run.engine.messages,
        partitions = result.measures.run.partitions,
        simulated_end_s = result.measures.run.end.as_secs_f64(),
        wall_s,
        peak_rss_mib = memory_mib("VmHWM:").unwrap_or(0.0),
        "run finished"
    );
    let summary = RunSummary::new(&scenario, &result);
    let dir = folder.finish(&scenario, &result, &summary, &ctx, &mut |step| progress.writing(step))?;
    progress.done(&dir);
    tracing::info!(dir = %dir.display(), "outputs written");
    out!("{}", report::summary::text(&summary));
    outln!(
        "\nWall time {wall_s:.2} s on {threads} thread(s): {:.2} M events/s. Outputs in {}",
        result.measures.run.engine.events as f64 / wall_s.max(1e-9) / 1e6,
        dir.display()
    );
    Ok(())
}
