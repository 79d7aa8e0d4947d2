//! Commands and their arguments. Every failure is a [`CliError`], which `main`
//! maps to its exit code (1 some sweep runs failed, 2 bad input, 3 will not fit,
//! 4 cannot write output, 130 interrupted).

use std::io::{IsTerminal, Write};

/// Writes to stdout, ignoring a closed pipe (`dccsim run … | head` must not panic).
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`out!`] with a newline.
macro_rules! outln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use models::memory::{MemoryEstimate, gib};
use models::network::{RunOptions, StopReason, Stopped};
use models::rollout::RolloutScenario;
use models::scenario::sweep::SweepSpec;
use models::scenario::{Scenario, Set};
use models::study::{Overrides, Source, Study};
use models::sweep_runner::{ReplicationRow, Shard, SweepPlan};
use models::world::World;
use report::{RunContext, RunSummary};
use std::sync::Arc;

use crate::error::CliError;
use crate::ranks::Launch;

/// Deterministic, parallel discrete-event simulator of Great Britain's smart
/// metering network.
#[derive(Debug, Parser)]
#[command(name = "dccsim", version, about, long_about = None)]
struct Cli {
    /// Log what happens to stderr: -v steps, -vv progress too.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

/// Structured logs (`key=value` fields) on stderr, only when asked for.
fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level).with_target(false).init();
}

/// Resident memory of this process, in MiB: now (`VmRSS`) or at its peak
/// (`VmHWM`). Linux only; `None` elsewhere.
fn memory_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// `--set`, shared by `check`, `run` and `sweep`.
#[derive(Debug, clap::Args)]
struct SetArgs {
    /// Set a scenario key over the file's value, validated like the file
    /// (repeatable), e.g. `--set dsp.servers=48`; `dccsim list keys` lists them.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = Set::parse)]
    sets: Vec<Set>,
}

/// Options shared by `run` and `sweep`.
#[derive(Debug, clap::Args)]
struct CommonArgs {
    #[command(flatten)]
    set: SetArgs,
    /// Seed of every random stream, overriding the scenario's.
    #[arg(long)]
    seed: Option<u64>,
    /// Population as a fraction of all GB (1.0 = 29.9 M premises), overriding the
    /// scenario's.
    #[arg(long, value_parser = parse_scale)]
    scale: Option<f64>,
    /// Worker threads [default: all cores]. Results do not depend on it; a sweep
    /// runs its points and replications in parallel on them.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

impl CommonArgs {
    fn threads(&self) -> usize {
        self.threads.map_or_else(default_threads, usize::from)
    }

    fn overrides(&self) -> Overrides {
        Overrides { sets: self.set.sets.clone(), seed: self.seed, scale: self.scale }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario and write its outputs.
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Output folder [default: output/<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run as one rank of an MPI job (`mpirun -n R dccsim run FILE --mpi`): the
        /// partitions are split over the ranks and rank 0 writes the outputs, the
        /// same as one process writes. Needs a build with the `mpi` feature.
        #[arg(long)]
        mpi: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Run every point of a scenario's [sweep], replicated, with 95% confidence
    /// intervals.
    ///
    /// Each run is isolated: if one fails (panics), the others finish, every output
    /// is written with the failed runs marked, the failures are listed after the
    /// summary, and the exit code is 1.
    Sweep {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Replications per point, overriding the scenario's [sweep] (default 5).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        replications: Option<u32>,
        /// Run only shard I of N (jobs j with j mod N = I), for cluster job arrays;
        /// join the shards with `dccsim combine`.
        #[arg(long, value_name = "I/N", value_parser = parse_shard)]
        shard: Option<Shard>,
        /// Output folder [default: output/<scenario name>-sweep, or
        /// output/<name>-sweep-shard-I-of-N].
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Join the shard folders of a sweep into one complete sweep.
    ///
    /// Failed runs in the shards stay failed; the exit code is then 1.
    Combine {
        /// The shards' folders.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder for the combined sweep.
        #[arg(long)]
        out: PathBuf,
    },
    /// Explain a scenario key: its unit, default, allowed range and source.
    Explain {
        /// Dotted key, e.g. dsp.servers or csp.north.round_trip.
        key: String,
    },
    /// List the scenario keys, the shipped scenarios, or the Service Request catalogue.
    List {
        #[command(subcommand)]
        what: crate::reference::ListWhat,
    },
    /// Validate a scenario without running it, with the overrides `run` would
    /// take, and print its estimated peak memory.
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
        #[command(flatten)]
        set: SetArgs,
        /// Seed, as for `run`.
        #[arg(long)]
        seed: Option<u64>,
        /// Population as a fraction of all GB, as for `run`.
        #[arg(long, value_parser = parse_scale)]
        scale: Option<f64>,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let done = match cli.command {
        Command::Explain { key } => return crate::reference::explain(&key),
        Command::List { what } => return crate::reference::list(&what),
        Command::Check { scenario, set, seed, scale } => check(&scenario, &Overrides { sets: set.sets, seed, scale }),
        Command::Run { scenario, out, mpi, common } => run(&scenario, out, mpi, &common),
        Command::Sweep { scenario, replications, shard, out, common } => {
            sweep(&scenario, replications, shard.unwrap_or(Shard::ALL), out, &common)
        }
        Command::Combine { shards, out } => combine(&shards, &out),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => crate::error::report(&e),
    }
}

fn combine(shards: &[PathBuf], out: &Path) -> Result<(), CliError> {
    let combined = report::sweep::combine(shards, out)?;
    outln!("Combined {} shards into {}", shards.len(), combined.dir.display());
    match report::sweep::failures_text(&combined.parameters, &combined.rows) {
        Some(failures) => Err(CliError::RunsFailed(failures)),
        None => Ok(()),
    }
}

fn parse_scale(s: &str) -> Result<f64, String> {
    let scale: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if !(scale.is_finite() && (1e-6..=1.5).contains(&scale)) {
        return Err(format!("{scale} is out of range; allowed: 0.000001 to 1.5"));
    }
    Ok(scale)
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    let (i, n) = s.split_once('/').ok_or("expected I/N, e.g. 0/4")?;
    let index: u32 = i.trim().parse().map_err(|_| format!("shard index {i:?} is not a whole number"))?;
    let count: u32 = n.trim().parse().map_err(|_| format!("shard count {n:?} is not a whole number"))?;
    if count == 0 || index >= count {
        return Err(format!("need 0 ≤ I < N, got {index}/{count}"));
    }
    Ok(Shard { index, count })
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn check(path: &Path, overrides: &Overrides) -> Result<(), CliError> {
    match load(path, overrides)? {
        Study::Rollout { scenario: s, .. } => outln!(
            "{}: ok ({}: rollout {} to {}, scale {}, seed {})",
            path.display(),
            s.name,
            s.start,
            s.end,
            s.rollout.scale,
            s.seed
        ),
        Study::Network { scenario: s, .. } | Study::Sweep { base: s, .. } => {
            warn_of_overloads(&s, &s.name);
            outln!(
                "{}: ok ({}: {} premises, {} s horizon, seed {}; estimated peak memory {:.2} GiB a run)",
                path.display(),
                s.name,
                s.premises,
                s.horizon.as_secs_f64(),
                s.seed,
                gib(MemoryEstimate::of(&s).total_bytes())
            )
        }
    }
    Ok(())
}

fn progress_bar(quiet: bool, end_s: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(end_s), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} s simulated · {msg} · eta {eta}").expect("a valid template"),
    );
    bar
}

/// Loads a study once, with the command line's values applied, and resolves its
/// population (a `population.from_rollout` rollout runs here).
fn load(path: &Path, overrides: &Overrides) -> Result<Study, CliError> {
    let mut study = Study::load(path, overrides)?;
    study.resolve_population();
    Ok(study)
}

/// Memory this run may use: `DCCSIM_MEMORY_LIMIT_BYTES` if set, else what the
/// operating system reports as available (Linux), else no limit.
fn memory_limit_bytes() -> Result<Option<u64>, CliError> {
    if let Ok(v) = std::env::var("DCCSIM_MEMORY_LIMIT_BYTES") {
        return v.trim().parse().map(Some).map_err(|_| {
            CliError::BadInput(format!(
                "DCCSIM_MEMORY_LIMIT_BYTES: {v:?} is not a whole number of bytes; allowed: 0 to {}",
                u64::MAX
            ))
        });
    }
    let available = || -> Option<u64> {
        let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
        let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    };
    Ok(available())
}

/// Warns, on stderr, of each stage the study overloads in its busiest hour: its
/// queue grows while the overload lasts, and memory with it, past the estimate.
/// `what` names the study (or the sweep point) in the message.
fn warn_of_overloads(scenario: &Scenario, what: &str) {
    for o in models::memory::overloads(scenario) {
        eprintln!(
            "warning: {what}: the busiest hour offers the {} {:.1} times the work its servers can do; its queue, \
             and the memory holding it, will grow while that lasts, beyond the memory estimate",
            o.stage, o.load_ratio
        );
    }
}

/// The share of the available memory a study may be estimated to need: the rest
/// is headroom for the estimate's error (±30 %, BENCHMARKS.md) and the system.
const MEMORY_SHARE: f64 = 0.8;

/// Refuses a study that would not fit in memory, before anything runs or is
/// written. `copies` runs may be in memory at once (a sweep's parallel jobs).
fn check_memory(scenario: &Scenario, copies: usize) -> Result<(), CliError> {
    let estimate = MemoryEstimate::of(scenario);
    let needed = estimate.runs_at_once_bytes(copies);
    tracing::info!(estimate_gib = gib(needed), copies, "memory estimate");
    match memory_limit_bytes()? {
        Some(limit) if needed as f64 > MEMORY_SHARE * limit as f64 => Err(CliError::WillNotFit(format!(
            "{}: this study needs an estimated {:.2} GiB ({:.2} GiB of rows waiting to be written and requests in \
                 flight, {:.2} GiB of population, {:.2} GiB of engine, {:.2} GiB of outages and alerts{}), more than \
                 80% of the {:.2} GiB available (DCCSIM_MEMORY_LIMIT_BYTES, else the machine's available memory); \
                 lower --scale or the traffic, or run on a larger machine",
            scenario.name,
            gib(needed),
            gib(estimate.rows_bytes),
            gib(estimate.population_bytes),
            gib(estimate.engine_bytes),
            gib(estimate.alerts_bytes),
            if copies > 1 { format!("; × {copies} runs at once") } else { String::new() },
            gib(limit)
        ))),
        _ => Ok(()),
    }
}

/// The memory guard for a sweep: every point, not only the base scenario, as the
/// points may differ in size; as many run at once as there are threads.
fn check_sweep_memory(spec: &SweepSpec, source: &Source, common: &CommonArgs) -> Result<(), CliError> {
    let points = spec.points();
    let copies = common.threads().min(points.len() * spec.replications as usize).max(1);
    for point in &points {
        let mut s =
            models::scenario::sweep::point_scenario(&source.file, &source.text, &source.sets, &point.assignments)?;
        if let Some(scale) = common.scale {
            s.set_scale(scale).map_err(|e| CliError::BadInput(format!("--scale: {e}")))?;
        }
        let values: Vec<String> = point.assignments.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        let what = match values.is_empty() {
            true => s.name.clone(),
            false => format!("{}, sweep point {} ({})", s.name, point.index, values.join(", ")),
        };
        warn_of_overloads(&s, &what);
        check_memory(&s, copies).map_err(|e| match e {
            CliError::WillNotFit(why) if !point.assignments.is_empty() => {
                CliError::WillNotFit(format!("sweep point {} ({}): {why}", point.index, values.join(", ")))
            }
            e => e,
        })?;
    }
    Ok(())
}

fn run_rollout(
    path: &Path,
    s: &RolloutScenario,
    text: &str,
    out: Option<PathBuf>,
    common: &CommonArgs,
) -> Result<(), CliError> {
    let threads = common.threads();
    let out = out.unwrap_or_else(|| Path::new("output").join(&s.name));
    // The folder is checked and locked before the work, not after it.
    let _claim = report::output_dir::Claim::take(&out)?;
    tracing::info!(scenario = %s.name, start = %s.start, end = %s.end, scale = s.rollout.scale, threads, "rollout starting");
    #[allow(clippy::disallowed_methods)] // Times the run for the user; never feeds the model.
    let started = Instant::now();
    let result = models::rollout::run(s, threads);
    let wall_s = started.elapsed().as_secs_f64();
    let summary = report::rollout::RolloutSummary::new(s, &result);
    let ctx = RunContext { scenario_file: path, scenario_bytes: text.as_bytes(), threads, wall_s };
    let dir = report::rollout::write_rollout(&out, s, &result, &summary, &ctx)?;
    out!("{}", summary.to_text());
    outln!("\nWall time {wall_s:.2} s on {threads} thread(s). Outputs in {}", dir.display());
    Ok(())
}

fn run(path: &Path, out: Option<PathBuf>, mpi: bool, common: &CommonArgs) -> Result<(), CliError> {
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
    let (threads, quiet) = (common.threads(), common.quiet);
    let text = &source.text;
    if launch.writes() {
        warn_of_overloads(&scenario, &scenario.name);
    }
    check_memory(&scenario, 1)?;
    let out = out.unwrap_or_else(|| Path::new("output").join(&scenario.name));
    launch.check_same_study(&scenario)?;
    let world = Arc::new(World::build(scenario.clone()));
    let options = RunOptions { threads, parallel_from_events: sim::PARALLEL_FROM_EVENTS };
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
    // The folder is checked, locked and opened before the simulation, not after it:
    // rows stream into it as the run goes.
    let mut folder = report::RunFolder::start(&out, world.clone())?;
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
    let bar = progress_bar(quiet, end_s);
    #[allow(clippy::disallowed_methods)] // Times the run for the user; never feeds the model.
    let started = Instant::now();
    let mut on_progress = |p: models::Progress| {
        let wall = started.elapsed().as_secs_f64().max(1e-9);
        let rate = p.events as f64 / wall / 1e6;
        let memory = memory_mib("VmRSS:").map_or(String::new(), |m| format!(" · {m:.0} MiB"));
        bar.set_position(p.now.as_secs_f64() as u64);
        bar.set_message(format!("{rate:.2} M events/s{memory}"));
        tracing::debug!(simulated_s = p.now.as_secs_f64(), events = p.events, wall_s = wall, "progress");
    };
    let stop = crate::interrupt::StopOnSignal::install();
    let result = launch.run(world.clone(), options, &mut on_progress, stop.flag(), folder.sink());
    drop(stop);
    let wall_s = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let ctx = RunContext { scenario_file: path, scenario_bytes: text.as_bytes(), threads, wall_s };
    let result = match result {
        Ok(result) => result,
        Err(Stopped { reason: StopReason::SinkFailed, .. }) => {
            // The writer's own error says what failed; the staging folder goes.
            folder.abandon()?;
            return Err(CliError::Output(report::ReportError::WriterStopped));
        }
        Err(Stopped { reason: StopReason::Interrupted, at, engine }) => {
            let kept = folder.finish_interrupted(&scenario, &ctx, at, engine, world.layout.partitions())?;
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
    let dir = folder.finish(&scenario, &result, &summary, &ctx)?;
    tracing::info!(dir = %dir.display(), "outputs written");
    out!("{}", report::summary::text(&summary));
    outln!(
        "\nWall time {wall_s:.2} s on {threads} thread(s): {:.2} M events/s. Outputs in {}",
        result.measures.run.engine.events as f64 / wall_s.max(1e-9) / 1e6,
        dir.display()
    );
    Ok(())
}

fn sweep(
    path: &Path,
    replications: Option<u32>,
    shard: Shard,
    out: Option<PathBuf>,
    common: &CommonArgs,
) -> Result<(), CliError> {
    // Sweeps spread over machines by --shard and `dccsim combine`, not over ranks.
    crate::ranks::alone("`dccsim sweep` (spread a sweep over machines with --shard and `dccsim combine`)")?;
    // A network file without [sweep] is swept as written: replications only.
    let (base, mut spec, source) = match load(path, &common.overrides())? {
        Study::Sweep { base, spec, source } => (base, spec, source),
        Study::Network { scenario, source } => {
            let spec = SweepSpec { replications: 5, warmup: sim::SimDuration::ZERO, parameters: Vec::new() };
            (scenario, spec, source)
        }
        Study::Rollout { .. } => {
            return Err(CliError::BadInput(format!(
                "{}: a rollout study has no [sweep]; run it with `dccsim run`",
                path.display()
            )));
        }
    };
    let base = *base;
    if let Some(r) = replications {
        spec.replications = r;
    }
    check_sweep_memory(&spec, &source, common)?;
    let out = out.unwrap_or_else(|| {
        let name = if shard.count == 1 {
            format!("{}-sweep", base.name)
        } else {
            format!("{}-sweep-shard-{}-of-{}", base.name, shard.index, shard.count)
        };
        Path::new("output").join(name)
    });
    let _claim = report::output_dir::Claim::take(&out)?;
    let Source { file, text, sets } = source;
    let plan = SweepPlan { file, text, base, spec, scale: common.scale, sets };
    let jobs = (plan.points().len() as u64 * u64::from(plan.spec.replications)).div_ceil(u64::from(shard.count));
    let bar = if common.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(jobs), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} runs{msg} · eta {eta}").expect("a valid template"),
        );
        bar
    };
    tracing::info!(
        scenario = %plan.base.name,
        points = plan.points().len(),
        replications = plan.spec.replications,
        jobs,
        shard = %format!("{}/{}", shard.index, shard.count),
        threads = common.threads(),
        "sweep starting"
    );
    #[allow(clippy::disallowed_methods)] // Times the sweep for the manifest; never feeds the model.
    let started = Instant::now();
    let failed = AtomicUsize::new(0);
    let on_done = |row: &ReplicationRow| {
        if let Some(message) = row.failure() {
            let n = failed.fetch_add(1, Ordering::Relaxed) + 1;
            bar.set_message(format!(" · {n} failed"));
            tracing::warn!(point = row.point, replication = row.replication, error = message, "sweep run failed");
        }
        bar.inc(1);
    };
    let stop = crate::interrupt::StopOnSignal::install();
    let rows = plan.run_until_stopped(shard, common.threads(), &on_done, stop.flag());
    drop(stop);
    let wall_s = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let Some(rows) = rows else {
        return Err(CliError::SweepInterrupted { done: bar.position(), of: jobs });
    };
    let parameters: Vec<String> = plan.spec.parameters.iter().map(|p| p.key.clone()).collect();
    let dir = report::sweep::write(&out, &plan, shard, rows.clone(), common.threads(), wall_s)?;
    out!("{}", report::sweep::summary_text(&parameters, &rows));
    outln!("\n{} runs; outputs in {}", rows.len(), dir.display());
    match report::sweep::failures_text(&parameters, &rows) {
        Some(failures) => Err(CliError::RunsFailed(failures)),
        None => Ok(()),
    }
}
