//! Commands and their arguments. Every failure is a [`CliError`], which `main`
//! maps to its exit code (1 some sweep runs failed, 2 bad input, 3 will not fit,
//! 4 cannot write output, 130 interrupted).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use models::memory::{MemoryEstimate, gib};
use models::scenario::Set;
use models::study::{Overrides, Study};
use models::sweep_runner::Shard;

use crate::error::CliError;
use crate::memory_guard::warn_of_overloads;
use crate::progress::ProgressMode;
use crate::run::run;
use crate::sweep::{SweepArgs, sweep};

/// Deterministic, parallel discrete-event simulator of Great Britain's smart
/// metering network.
#[derive(Debug, Parser)]
#[command(name = "dccsim", version, about, long_about = None)]
pub(crate) struct Cli {
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
pub(crate) struct CommonArgs {
    #[command(flatten)]
    set: SetArgs,
    /// Seed of every random stream, overriding the scenario's (0 to 2^64−1). The
    /// default output folder's name then ends in `-seed<N>`.
    #[arg(long, value_parser = parse_seed)]
    pub(crate) seed: Option<u64>,
    /// Population as a fraction of all GB (1.0 = 29.9 M premises), overriding the
    /// scenario's.
    #[arg(long, value_parser = parse_scale)]
    pub(crate) scale: Option<f64>,
    /// Worker threads [default: all cores]. Results do not depend on it; a sweep
    /// runs its points and replications in parallel on them.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// How progress is shown on stderr, through the run and the writing: `auto` (a
    /// bar when stderr is a terminal), `bar`, `json` (one JSON object per line) or
    /// `none`.
    #[arg(long, value_enum, value_name = "HOW", default_value_t = ProgressMode::Auto)]
    progress: ProgressMode,
    /// No progress display (`--progress none`).
    #[arg(long, short)]
    quiet: bool,
}

impl CommonArgs {
    pub(crate) fn threads(&self) -> usize {
        self.threads.map_or_else(default_threads, usize::from)
    }

    pub(crate) fn progress(&self) -> ProgressMode {
        if self.quiet { ProgressMode::None } else { self.progress }
    }

    pub(crate) fn overrides(&self) -> Overrides {
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
        /// Carry on an interrupted sweep: the runs it finished (kept beside the
        /// output folder) are not run again. The file, overrides, seed and
        /// replications must be the same.
        #[arg(long)]
        resume: bool,
        /// Run as one rank of an MPI job (`mpirun -n R dccsim sweep FILE`): rank r
        /// runs every R-th job and rank 0 writes the folder one process writes.
        /// Needs a build with the `mpi` feature; implied under a launcher.
        #[arg(long)]
        mpi: bool,
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
    /// Print a shell's completion script, e.g. `dccsim completions bash >
    /// ~/.local/share/bash-completion/completions/dccsim`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `dccsim man | man -l -`; with --out, write
    /// one page per command into a folder.
    Man {
        /// Folder for `dccsim.1` and a page per command.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Validate a scenario without running it, with the overrides `run` would
    /// take, and print its estimated peak memory.
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
        #[command(flatten)]
        set: SetArgs,
        /// Seed, as for `run`.
        #[arg(long, value_parser = parse_seed)]
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
        Command::Sweep { scenario, replications, shard, out, resume, mpi, common } => {
            let shard = shard.unwrap_or(Shard::ALL);
            sweep(&scenario, SweepArgs { replications, shard, out, resume, mpi }, &common)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "dccsim", &mut std::io::stdout());
            Ok(())
        }
        Command::Man { out } => man(out.as_deref()),
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

fn parse_seed(s: &str) -> Result<u64, String> {
    s.parse().map_err(|_| format!("{s:?} is not a whole number; allowed: 0 to {}", u64::MAX))
}

/// `dccsim man`: the page of the whole program on stdout, or with `out` a page per
/// command (`dccsim-run.1`, …) into that folder.
fn man(out: Option<&Path>) -> Result<(), CliError> {
    let cannot = |e: std::io::Error| CliError::BadInput(format!("writing the manual pages: {e}"));
    match out {
        None => clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()).map_err(cannot),
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(cannot)?;
            clap_mangen::generate_to(Cli::command(), dir).map_err(cannot)?;
            outln!("Manual pages written to {}", dir.display());
            Ok(())
        }
    }
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

pub(crate) fn default_threads() -> usize {
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

/// Loads a study once, with the command line's values applied, and resolves its
/// population (a `population.from_rollout` rollout runs here).
pub(crate) fn load(path: &Path, overrides: &Overrides) -> Result<Study, CliError> {
    let mut study = Study::load(path, overrides)?;
    study.resolve_population();
    Ok(study)
}
