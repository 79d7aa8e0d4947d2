//! One error type for the command line, and its fixed exit codes.
//!
//! | code | meaning | examples |
//! |---|---|---|
//! | 0 | success | |
//! | 1 | some runs of a sweep failed | a run panicked; every other run finished and all outputs are written |
//! | 2 | bad input | a scenario that does not validate, a bad flag, shards of different sweeps |
//! | 3 | will not fit | the memory guard refuses the study before it starts |
//! | 4 | cannot write output | `--out` is an unrelated folder, a file, or read-only |
//! | 130 | interrupted | Ctrl-C or SIGTERM during a run (128 + SIGINT, as shells report it) |
//!
//! Every message says what went wrong, where (`file:line:col`, a path or the flag)
//! and what is allowed.

use std::fmt;
use std::process::ExitCode;

use models::ScenarioError;
use report::ReportError;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The scenario file is unreadable or does not validate.
    Scenario(ScenarioError),
    /// Other bad input: a flag's value, a study the command cannot run, shards
    /// that do not make one sweep. The message names the flag or file.
    BadInput(String),
    /// The study would not fit in memory; the message gives the estimate.
    WillNotFit(String),
    /// The outputs could not be written.
    Output(ReportError),
    /// A signal (Ctrl-C, SIGTERM) stopped the run at `at_s` of simulated time. A
    /// network run keeps the rows written so far in `kept`, its manifest marked
    /// `interrupted`; other studies write nothing.
    Interrupted {
        /// Simulated time reached, s.
        at_s: f64,
        /// The folder holding what was written, if anything was.
        kept: Option<std::path::PathBuf>,
    },
    /// A signal stopped a sweep after `done` of its `of` runs; nothing was written
    /// (a sweep cut short has no figures to give).
    SweepInterrupted {
        /// Runs finished.
        done: u64,
        /// Runs in the sweep (or shard).
        of: u64,
    },
    /// Some runs of a sweep failed (panicked); the message lists them. Every other
    /// run finished, and the folder is written with the failed runs marked.
    RunsFailed(String),
    /// Another MPI rank failed and reports why, with its exit code; this rank
    /// stops without a word and exits 0, so that the launcher returns that rank's
    /// code and its message is not cut short when the job is torn down.
    AnotherRankFailed,
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Scenario(_) | CliError::BadInput(_) => 2,
            CliError::WillNotFit(_) => 3,
            CliError::Output(ReportError::Combine(_) | ReportError::OtherSweep(_)) => 2,
            CliError::Output(_) => 4,
            CliError::Interrupted { .. } | CliError::SweepInterrupted { .. } => 130,
            CliError::RunsFailed(_) => 1,
            CliError::AnotherRankFailed => 0,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Scenario(e) => write!(f, "{e}"),
            CliError::BadInput(m) | CliError::WillNotFit(m) | CliError::RunsFailed(m) => f.write_str(m),
            CliError::Output(
                e @ (ReportError::NotARunFolder(_)
                | ReportError::Combine(_)
                | ReportError::Locked { .. }
                | ReportError::OtherSweep(_)),
            ) => {
                write!(f, "{e}")
            }
            CliError::Output(e) => write!(f, "cannot write the outputs: {e}; choose a writable --out"),
            CliError::AnotherRankFailed => f.write_str("another MPI rank failed and says why"),
            CliError::SweepInterrupted { done, of } => {
                write!(
                    f,
                    "interrupted after {done} of {of} runs; no folder was written. The finished runs are kept: \
                     the same command with --resume runs only the rest"
                )
            }
            CliError::Interrupted { at_s, kept: None } => {
                write!(f, "interrupted at {at_s:.1} s of simulated time; nothing was written")
            }
            CliError::Interrupted { at_s, kept: Some(dir) } => write!(
                f,
                "interrupted at {at_s:.1} s of simulated time; the rows that ended before it are in {}, \
                 whose manifest says \"interrupted\" (no figures were written)",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for CliError {}

impl From<ScenarioError> for CliError {
    fn from(e: ScenarioError) -> CliError {
        CliError::Scenario(e)
    }
}

impl From<ReportError> for CliError {
    fn from(e: ReportError) -> CliError {
        CliError::Output(e)
    }
}

/// Prints `error` to stderr (unless another rank reports it) and returns its exit
/// code.
pub fn report(error: &CliError) -> ExitCode {
    if !matches!(error, CliError::AnotherRankFailed) {
        eprintln!("error: {error}");
    }
    ExitCode::from(error.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_documented_code() {
        let io = || std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let cases = [
            (CliError::BadInput("--scale: 9 is out of range".into()), 2),
            (CliError::WillNotFit("needs 9 GiB".into()), 3),
            (CliError::Output(ReportError::Io { path: "out".into(), source: io() }), 4),
            (CliError::Output(ReportError::NotARunFolder("mine".into())), 4),
            (CliError::Output(ReportError::Combine("1 of 2 shards given".into())), 2),
            (CliError::Output(ReportError::OtherSweep(".s.sweep-journal".into())), 2),
            (CliError::Interrupted { at_s: 12.0, kept: None }, 130),
            (CliError::SweepInterrupted { done: 2, of: 6 }, 130),
            (CliError::RunsFailed("1 of 6 runs failed".into()), 1),
            // Another rank reports, and the launcher returns its code.
            (CliError::AnotherRankFailed, 0),
        ];
        for (error, code) in cases {
            assert_eq!(error.exit_code(), code, "{error}");
        }
    }

    #[test]
    fn a_write_failure_names_the_path_and_the_flag() {
        let e = CliError::Output(ReportError::Io {
            path: "/ro/run".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        });
        let message = e.to_string();
        assert!(message.contains("/ro/run") && message.contains("--out"), "{message}");
    }
}
