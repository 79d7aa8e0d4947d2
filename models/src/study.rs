//! One study type for every command: a scenario file is read and parsed once, and
//! what it holds decides the kind of study.
//!
//! - A file with a top-level `[rollout]` table is a **rollout** study.
//! - A network file with a `[sweep]` table is a **sweep**: `dccsim sweep` runs its
//!   points, and `dccsim run` runs its base scenario (the file as written) once.
//! - Any other file is a **network** study.
//!
//! The command line's values (`--set key=value`, `--seed`, `--scale`) are applied
//! while loading, so every command sees the same validated study.

use std::path::Path;

use crate::rollout::RolloutScenario;
use crate::scenario::sweep::SweepSpec;
use crate::scenario::{LineCol, Problem, Scenario, ScenarioError, Set, document};

/// What the command line changes in a scenario file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// `--set key=value`, in the order given; a later one wins.
    pub sets: Vec<Set>,
    /// `--seed`: the seed of every random stream.
    pub seed: Option<u64>,
    /// `--scale`: the population as a fraction of all GB. It replaces the premises
    /// count after validation, so it also applies over `population.from_rollout`.
    pub scale: Option<f64>,
}

/// The file a study was loaded from.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The file, as given.
    pub file: String,
    /// Its text, byte for byte (the manifest records its hash).
    pub text: String,
    /// The `--set` values applied over it (sweep points apply them again).
    pub sets: Vec<Set>,
}

/// A validated study, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub enum Study {
    /// A network scenario.
    Network {
        /// The scenario, validated.
        scenario: Box<Scenario>,
        /// Where it came from.
        source: Source,
    },
    /// A rollout study.
    Rollout {
        /// The study, validated.
        scenario: Box<RolloutScenario>,
        /// Where it came from.
        source: Source,
    },
    /// A network scenario with a `[sweep]` table.
    Sweep {
        /// The scenario as written (what `dccsim run` runs).
        base: Box<Scenario>,
        /// The points and replications (every point already validated).
        spec: SweepSpec,
        /// Where it came from.
        source: Source,
    },
}

impl Study {
    /// Reads `path` once and validates it with `overrides` applied. Problems come
    /// back all at once, each at its `file:line:col` or at the flag that gave the
    /// value.
    pub fn load(path: &Path, overrides: &Overrides) -> Result<Study, ScenarioError> {
        let text = crate::scenario::read_scenario_file(path)?;
        Study::parse(&path.display().to_string(), text, overrides)
    }

    /// [`Study::load`] of `text`, which `file` names in errors.
    pub fn parse(file: &str, text: String, overrides: &Overrides) -> Result<Study, ScenarioError> {
        let doc = document::parse(file, &text)?;
        let sets = &overrides.sets;
        let scale_problem = |why: String| {
            let flag = format!("--scale {}", overrides.scale.unwrap_or_default());
            let at = LineCol { line: 0, col: 0 };
            ScenarioError::Invalid(vec![Problem { file: file.to_string(), at, message: why, flag: Some(flag) }])
        };
        if document::is_rollout(&doc) {
            let mut scenario = RolloutScenario::from_document(file, &text, doc, sets)?;
            if let Some(seed) = overrides.seed {
                scenario.seed = seed;
            }
            if let Some(scale) = overrides.scale {
                scenario.set_scale(scale).map_err(scale_problem)?;
            }
            let source = Source { file: file.to_string(), text, sets: sets.clone() };
            return Ok(Study::Rollout { scenario: Box::new(scenario), source });
        }
        let mut scenario = Scenario::from_document(file, &text, doc, sets, &[])?;
        if let Some(seed) = overrides.seed {
            scenario.seed = seed;
        }
        if let Some(scale) = overrides.scale {
            scenario.set_scale(scale).map_err(scale_problem)?;
        }
        let source = Source { file: file.to_string(), text, sets: sets.clone() };
        Ok(match scenario.sweep.clone() {
            Some(spec) => Study::Sweep { base: Box::new(scenario), spec, source },
            None => Study::Network { scenario: Box::new(scenario), source },
        })
    }

    /// Resolves a network study's population (runs the rollout its
    /// `population.from_rollout` names, if any); validation alone never does.
    /// A sweep's points resolve their own when they run.
    pub fn resolve_population(&mut self) {
        if let Study::Network { scenario, .. } | Study::Sweep { base: scenario, .. } = self {
            crate::rollout::handover::resolve_population(scenario);
        }
    }

    /// The study's name (its default output folder).
    pub fn name(&self) -> &str {
        match self {
            Study::Network { scenario, .. } | Study::Sweep { base: scenario, .. } => &scenario.name,
            Study::Rollout { scenario, .. } => &scenario.name,
        }
    }

    /// The file it was loaded from.
    pub fn source(&self) -> &Source {
        match self {
            Study::Network { source, .. } | Study::Rollout { source, .. } | Study::Sweep { source, .. } => source,
        }
    }
}

/// The kind of study in `text` (`network`, `rollout` or `sweep`) and its
/// description, from a plain read of its tables: no validation, and no rollout run
/// for a network study that takes its fleet from one. `None` if it is not TOML.
pub fn peek(text: &str) -> Option<(&'static str, String)> {
    let table: toml::Table = text.parse().ok()?;
    let kind = match () {
        () if table.contains_key("rollout") => "rollout",
        () if table.contains_key("sweep") => "sweep",
        () => "network",
    };
    let about = table.get("scenario").and_then(|s| s.get("description")?.as_str()).unwrap_or_default();
    Some((kind, about.to_string()))
}

#[cfg(test)]
mod tests;
