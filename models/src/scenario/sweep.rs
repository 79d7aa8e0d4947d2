//! Replications and parameter sweeps: the `[sweep]` table and its points. The
//! runner and the figures kept of each run are in [`crate::sweep_runner`].
//!
//! A scenario's `[sweep]` table names scenario keys and the values to try for each:
//! every combination is a **point**, and each point runs `replications` times. The
//! r-th replication of every point uses replication index r in its random streams
//! (common random numbers: points differ by their parameters, not their luck), and
//! the seed stays the scenario's. Points are validated when the scenario is loaded,
//! so `dccsim check` catches a bad value before any run starts.

use serde::Deserialize;
use sim::SimDuration;
use toml::Value;

use crate::scenario::units::secs;
use crate::scenario::{Checker, Scenario, ScenarioError, Set, document};

/// `[sweep]` as written.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SweepKeys {
    replications: u32,
    #[serde(rename = "warmup_s", deserialize_with = "secs")]
    warmup: SimDuration,
    #[serde(default)]
    parameters: toml::Table,
}

/// One varied key and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParameter {
    /// Dotted scenario key, e.g. `dsp.servers`.
    pub key: String,
    /// Values to try, in order.
    pub values: Vec<Value>,
}

/// A validated `[sweep]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// Replications per point.
    pub replications: u32,
    /// Requests submitted before this are left out of the figures.
    pub warmup: SimDuration,
    /// Varied keys, sorted by key.
    pub parameters: Vec<SweepParameter>,
}

/// One combination of parameter values.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepPoint {
    /// Position in the sweep, from 0 (the last parameter varies fastest).
    pub index: usize,
    /// `(key, value)` for each parameter.
    pub assignments: Vec<(String, Value)>,
}

impl SweepKeys {
    /// The sweep, its warm-up within `horizon_s` and its parameters checked.
    pub(crate) fn spec(self, horizon_s: f64, c: &mut Checker<'_>) -> SweepSpec {
        c.within("sweep.warmup_s", self.warmup.as_secs_f64(), 0.0, (horizon_s - 1.0).max(0.0));
        let mut parameters = Vec::new();
        for (key, values) in self.parameters {
            let place = ["sweep", "parameters", key.as_str()];
            match values.as_array() {
                Some(list) if !list.is_empty() => {
                    parameters.push(SweepParameter { key: key.clone(), values: list.clone() })
                }
                _ => c.problem_at(
                    &place,
                    &format!("`sweep.parameters.\"{key}\"` must be a non-empty array of values to try"),
                ),
            }
            if key.starts_with("sweep") || key == "scenario.name" || key == "scenario.seed" {
                c.problem_at(&place, &format!("`{key}` cannot be swept; vary model parameters"));
            }
        }
        SweepSpec { replications: self.replications, warmup: self.warmup, parameters }
    }
}

impl SweepSpec {
    /// Every point, in order.
    pub fn points(&self) -> Vec<SweepPoint> {
        let mut points = vec![Vec::new()];
        for p in &self.parameters {
            points = points
                .into_iter()
                .flat_map(|prefix: Vec<(String, Value)>| {
                    p.values.iter().map(move |v| {
                        let mut a = prefix.clone();
                        a.push((p.key.clone(), v.clone()));
                        a
                    })
                })
                .collect();
        }
        points.into_iter().enumerate().map(|(index, assignments)| SweepPoint { index, assignments }).collect()
    }
}

/// Checks every point of a sweep by building its scenario (with the command line's
/// sets); problems are placed at the parameter in the original file.
pub(crate) fn check_points(spec: &SweepSpec, file: &str, text: &str, c: &mut Checker<'_>) {
    for p in &spec.parameters {
        for v in &p.values {
            let assignment = [(p.key.clone(), v.clone())];
            if let Err(e) = point_scenario(file, text, c.sets(), &assignment) {
                let why = match e {
                    ScenarioError::Invalid(problems) => {
                        problems.into_iter().map(|p| p.message).collect::<Vec<_>>().join("; ")
                    }
                    other => other.to_string(),
                };
                let place = ["sweep", "parameters", p.key.as_str()];
                c.problem_at(&place, &format!("`sweep.parameters.\"{}\"` value {v}: {why}", p.key));
            }
        }
    }
}

/// The scenario of one sweep point: the file, then the command line's `sets`, then
/// the point's `assignments`, without the `[sweep]` table; validated. Its
/// population is resolved by the runner ([`crate::rollout::handover`]).
pub fn point_scenario(
    file: &str,
    text: &str,
    sets: &[Set],
    assignments: &[(String, Value)],
) -> Result<Scenario, ScenarioError> {
    let doc = document::parse(file, text)?;
    let mut all = sets.to_vec();
    for (key, value) in assignments {
        let flag = format!("sweep.parameters.\"{key}\" = {value}");
        all.push(Set::shorthand(flag, key, value.clone()));
    }
    Scenario::from_document(file, text, doc, &all, &["sweep"])
}
