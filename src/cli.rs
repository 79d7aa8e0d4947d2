//! Commands, their arguments, and how failures map to exit codes:
//! 0 success, 1 a failure while running or writing, 2 a bad scenario or bad usage.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use models::scenario::Scenario;
use report::{RunContext, RunSummary};

/// Deterministic, parallel discrete-event simulator of Great Britain's smart
/// metering network.
#[derive(Debug, Parser)]
#[command(name = "dccsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// Seed of every random stream, overriding the scenario's.
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads [default: all cores]. Results do not depend on it.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Validate a scenario without running it.
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

/// Runs the command line; returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { scenario } => check(&scenario),
        Command::Run { scenario, out, seed, threads, quiet } => {
            let threads = threads.map_or_else(default_threads, usize::from);
            run(&scenario, out, seed, threads, quiet)
        }
    }
}

fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn load(path: &Path) -> Result<Scenario, ExitCode> {
    Scenario::load(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

fn check(path: &Path) -> ExitCode {
    match load(path) {
        Ok(s) => {
            println!(
                "{}: ok ({}: {} premises, {} s horizon, seed {})",
                path.display(),
                s.name,
                s.premises,
                s.horizon.as_secs_f64(),
                s.seed
            );
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
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

fn run(path: &Path, out: Option<PathBuf>, seed: Option<u64>, threads: usize, quiet: bool) -> ExitCode {
    let mut scenario = match load(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::from(1);
        }
    };
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let out = out.unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let end_s = (scenario.horizon + scenario.drain_limit).as_secs_f64().ceil() as u64;
    let bar = progress_bar(quiet, end_s);
    #[allow(clippy::disallowed_methods)] // Times the run for the user; never feeds the model.
    let started = Instant::now();
    let mut on_progress = |p: models::Progress| {
        let wall = started.elapsed().as_secs_f64().max(1e-9);
        bar.set_position(p.now.as_secs_f64() as u64);
        bar.set_message(format!("{:.2} M events/s", p.events as f64 / wall / 1e6));
    };
    let result = models::run(scenario.clone(), threads, &mut on_progress);
    let wall_s = started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let summary = RunSummary::new(&scenario, &result);
    let ctx = RunContext { scenario_file: path, scenario_bytes: &bytes, threads, wall_s };
    match report::write_run(&out, &scenario, &result, &summary, &ctx) {
        Ok(dir) => {
            print!("{}", summary.to_text());
            println!(
                "\nWall time {wall_s:.2} s on {threads} thread(s): {:.2} M events/s. Outputs in {}",
                result.engine.events as f64 / wall_s.max(1e-9) / 1e6,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
