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
            if let Err(e) = validated_point(file, text, c.sets(), &assignment) {
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

/// The scenario in `text` with `assignments` applied (and its `[sweep]` table
/// removed), validated.
pub fn scenario_with(file: &str, text: &str, assignments: &[(String, Value)]) -> Result<Scenario, ScenarioError> {
    point_scenario(file, text, &[], assignments)
}

/// The scenario of one sweep point, ready to run: the file, then the command line's
/// `sets`, then the point's `assignments`, without the `[sweep]` table; validated.
/// Its population is resolved by the runner ([`crate::rollout::handover`]).
pub fn point_scenario(
    file: &str,
    text: &str,
    sets: &[Set],
    assignments: &[(String, Value)],
) -> Result<Scenario, ScenarioError> {
    validated_point(file, text, sets, assignments)
}

/// [`point_scenario`] without resolving the population: what loading checks.
fn validated_point(
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

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "[scenario]\nname = \"t\"\nhorizon_s = 600\n";

    fn sweep_of(text: &str) -> SweepSpec {
        Scenario::parse("s.toml", text).unwrap().sweep.expect("a sweep table")
    }

    #[test]
    fn points_are_every_combination_last_key_fastest() {
        let text = format!(
            "{BASE}[sweep]\nreplications = 3\n[sweep.parameters]\n\"dsp.servers\" = [8, 16]\n\"user_gateway.servers\" = [1, 2, 3]\n"
        );
        let spec = sweep_of(&text);
        assert_eq!(spec.replications, 3);
        let points = spec.points();
        assert_eq!(points.len(), 6);
        let show = |p: &SweepPoint| p.assignments.iter().map(|(_, v)| v.to_string()).collect::<Vec<_>>().join(",");
        assert_eq!(points.iter().map(show).collect::<Vec<_>>(), ["8,1", "8,2", "8,3", "16,1", "16,2", "16,3"]);
        let s = scenario_with("s.toml", &text, &points[5].assignments).unwrap();
        assert_eq!((s.dsp.servers, s.user_gateway.servers), (16, 3));
        assert!(s.sweep.is_none(), "a point's scenario carries no sweep of its own");
    }

    #[test]
    fn nested_keys_and_tables_can_be_swept() {
        let text = format!(
            "{BASE}[sweep.parameters]\n\"csp.north.round_trip\" = [{{ kind = \"constant\", value_s = 3.0 }}]\n"
        );
        let spec = sweep_of(&text);
        let s = scenario_with("s.toml", &text, &spec.points()[0].assignments).unwrap();
        assert_eq!(s.csp[0].round_trip, sim::Delay::Constant { value_s: 3.0 });
        assert_eq!(s.csp[1].channels_per_cell, 8, "other keys keep their values");
    }

    #[test]
    fn a_bad_value_is_reported_at_its_parameter() {
        let text = format!("{BASE}[sweep]\nwarmup_s = 60\n[sweep.parameters]\n\"dsp.servers\" = [8, 0]\n");
        let Err(ScenarioError::Invalid(problems)) = Scenario::parse("s.toml", &text) else {
            panic!("expected a problem")
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].at.line, 7);
        assert!(problems[0].message.contains("value 0: `dsp.servers`: 0 is out of range"), "{}", problems[0].message);
    }

    #[test]
    fn unknown_keys_and_bad_shapes_are_refused() {
        for (params, expect) in [
            ("\"dsp.serverz\" = [1]", "unknown key `serverz`"),
            ("\"dsp.servers\" = 4", "non-empty array"),
            ("\"scenario.seed\" = [1, 2]", "cannot be swept"),
        ] {
            let text = format!("{BASE}[sweep.parameters]\n{params}\n");
            let err = Scenario::parse("s.toml", &text).unwrap_err().to_string();
            assert!(err.contains(expect), "{params}: {err}");
        }
        let text = format!("{BASE}[sweep]\nwarmup_s = 600\n");
        assert!(Scenario::parse("s.toml", &text).unwrap_err().to_string().contains("sweep.warmup_s"));
    }
}
