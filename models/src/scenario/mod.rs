//! Scenario files: TOML in, a validated [`Scenario`] out, or every problem at its
//! `file:line:col`.
//!
//! Each key is stated once, in the registry ([`keys`]): its unit, default, range and
//! source. The file is parsed once and checked against the registry
//! ([`document`]); the typed structs below are then read from it by serde, in the
//! file's own shape, and only the checks that compare keys are written here.

pub mod alerts;
pub mod anomaly;
pub mod change_of_supplier;
mod checker;
pub mod commissioning;
pub(crate) mod document;
pub mod downtime;
pub mod keys;
mod keys_network;
mod keys_rollout;
mod location;
mod network;
pub mod outages;
pub mod overrides;
mod resolved;
pub mod rollout;
pub mod smets1;
pub mod suspensions;
pub mod sweep;
pub mod traffic;
pub mod units;
pub mod wan_outages;

use std::fmt;
use std::path::Path;

pub(crate) use checker::Checker;
pub use location::{LineCol, line_col};
pub use network::*;
pub use overrides::Set;
pub use units::{Percent, Probability, RatePerS, Share};

/// One thing wrong with a scenario file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as given.
    pub file: String,
    /// Where, 1-based.
    pub at: LineCol,
    /// What is wrong and what is allowed.
    pub message: String,
    /// The command-line flag that gave the value (e.g. `--set dsp.servers=-1`), when
    /// the value is not the file's; the problem is then reported there.
    pub flag: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.flag {
            Some(flag) => write!(f, "{flag}: {}", self.message),
            None => write!(f, "{}:{}:{}: {}", self.file, self.at.line, self.at.col, self.message),
        }
    }
}

/// Why a scenario could not be loaded. The run cannot start; nothing is written.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{file}: cannot read the scenario file: {source}")]
    Unreadable {
        /// The file, as given.
        file: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The path names something that is not a scenario file: a folder, a device, a
    /// pipe, or a file too large to be one. Nothing was read from it.
    #[error("{file}: not a scenario file: {why}; allowed: a regular TOML file of at most {} MiB", MAX_SCENARIO_BYTES >> 20)]
    NotAScenarioFile {
        /// The file, as given.
        file: String,
        /// What it is instead.
        why: String,
    },
    /// The file was read but is malformed or out of range.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

/// The largest scenario file read: the largest shipped one is a few KiB, so this
/// only stops a mistaken path (a data file, `/dev/zero`) from being read whole.
pub const MAX_SCENARIO_BYTES: u64 = 4 << 20;

/// Reads a scenario file, refusing before reading anything that is not a regular
/// file of at most [`MAX_SCENARIO_BYTES`] (a pipe or a device could block or never
/// end).
pub fn read_scenario_file(path: &Path) -> Result<String, ScenarioError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ScenarioError::Unreadable { file: file.clone(), source })?;
    let why = if meta.is_dir() {
        Some("it is a folder".to_string())
    } else if !meta.is_file() {
        Some("it is a device, pipe or socket, not a regular file".to_string())
    } else if meta.len() > MAX_SCENARIO_BYTES {
        Some(format!("it holds {} bytes", meta.len()))
    } else {
        None
    };
    if let Some(why) = why {
        return Err(ScenarioError::NotAScenarioFile { file, why });
    }
    std::fs::read_to_string(path).map_err(|source| ScenarioError::Unreadable { file, source })
}

#[cfg(test)]
mod tests;
