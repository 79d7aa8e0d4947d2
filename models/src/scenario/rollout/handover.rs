//! `population.from_rollout`: which month of which rollout study a network study
//! takes its fleet from, validated (the rollout file loads and holds the month).
//! Running that rollout is [`crate::rollout::handover`]'s job, when the study
//! resolves its population: validating never runs one.

use std::path::Path;

use serde::Deserialize;

use super::{Month, RolloutScenario};
use crate::scenario::Checker;
use crate::scenario::units::month;

/// `population.from_rollout` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FromRollout {
    scenario: String,
    #[serde(deserialize_with = "month")]
    month: Month,
    #[serde(default = "whole")]
    fraction: f64,
}

fn whole() -> f64 {
    1.0
}

/// A network study's fleet, to be taken from a month of a rollout study.
#[derive(Debug, Clone, PartialEq)]
pub struct FleetHandover {
    /// The rollout study, validated.
    pub study: Box<RolloutScenario>,
    /// The month whose end-of-month enrolled fleet is taken.
    pub month: Month,
    /// The share of that fleet simulated.
    pub fraction: f64,
    /// `--scale`, which replaces the premises count (not the mix) once resolved.
    pub scale: Option<f64>,
}

/// Validates `from_rollout`: the rollout file loads and holds the month.
pub(crate) fn check(h: &FromRollout, c: &mut Checker<'_>) -> Option<FleetHandover> {
    c.within("population.from_rollout.fraction", h.fraction, 1e-6, 1.0);
    let path = Path::new(c.file()).parent().unwrap_or(Path::new("")).join(&h.scenario);
    let study = RolloutScenario::load(&path)
        .map_err(|e| {
            let why = e.to_string().replace('\n', "; ");
            c.problem("population.from_rollout.scenario", format!("the rollout study cannot be used: {why}"));
        })
        .ok()?;
    let month = h.month;
    if month < study.start || month > study.end {
        let (name, start, end) = (&study.name, study.start, study.end);
        c.problem(
            "population.from_rollout.month",
            format!("{month} is outside the rollout study {name}; allowed: {start} to {end}"),
        );
        return None;
    }
    Some(FleetHandover { study: Box::new(study), month, fraction: h.fraction, scale: None })
}
