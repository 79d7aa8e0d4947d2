//! `population.from_rollout`: which month of which rollout study a network study
//! takes its fleet from, validated (the rollout file loads and holds the month).
//! Running that rollout is [`crate::rollout::handover`]'s job, when the study
//! resolves its population: validating never runs one.

use std::path::Path;

use super::{Month, RolloutScenario};
use crate::scenario::Checker;
use crate::scenario::raw::RawPopulation;

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

/// Validates `pop.from_rollout`, if given: the rollout file loads and holds the month.
pub(crate) fn check(pop: &RawPopulation, c: &mut Checker<'_>) -> Option<FleetHandover> {
    let h = pop.from_rollout.as_ref()?;
    if pop.scale.is_some() || pop.premises.is_some() {
        c.problem("population.from_rollout", "give `from_rollout`, or `scale` or `premises`, not both".into());
        return None;
    }
    let fraction = c.float("population.from_rollout.fraction", h.fraction, 1e-6, 1.0);
    let month = Month::parse(h.month.get_ref());
    let month = month
        .map_err(|e| c.problem_in("population.from_rollout.month", crate::scenario::units::place(&h.month), e))
        .ok()?;
    let path = Path::new(c.file()).parent().unwrap_or(Path::new("")).join(&h.scenario);
    let study = RolloutScenario::load(&path)
        .map_err(|e| {
            let why = e.to_string().replace('\n', "; ");
            c.problem("population.from_rollout.scenario", format!("the rollout study cannot be used: {why}"));
        })
        .ok()?;
    if month < study.start || month > study.end {
        c.problem(
            "population.from_rollout.month",
            format!("{month} is outside the rollout study {}; allowed: {} to {}", study.name, study.start, study.end),
        );
        return None;
    }
    Some(FleetHandover { study: Box::new(study), month, fraction, scale: None })
}
