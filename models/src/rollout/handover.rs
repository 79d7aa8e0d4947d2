//! Handing a rollout study's fleet to a network study.
//!
//! `population.from_rollout = { scenario = "rollout_to_2030.toml", month = "2027-03" }`
//! in a network scenario takes the **enrolled** fleet of a rollout study (its own
//! seed and scale) at the end of that month: only installations whose
//! post-commissioning checks are done may receive Service Requests (the 7-day rule,
//! [`super::enrolment`]). It sets `premises` (times the optional `fraction`), and
//! the SMETS1 and 4G shares, which override `smets1_share` and `lte_share`.
//!
//! Loading only validates the handover (the rollout file, the month); the rollout
//! runs when the study resolves its population ([`crate::scenario::Scenario::resolve_population`]),
//! so validating a scenario, or each point of a sweep, never runs one.

use std::path::Path;

use super::{Month, RolloutScenario, run};
use crate::scenario::raw::RawPopulation;
use crate::scenario::{Checker, PremisesMix};

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

impl FleetHandover {
    /// Runs the rollout study: the premises count and the mix with the fleet's
    /// SMETS1 and 4G shares.
    pub fn resolve(&self, mix: PremisesMix) -> (u32, PremisesMix) {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let fleet = run(&self.study, threads).enrolled_fleet(self.month).expect("the month is checked when loaded");
        let premises = (fleet.premises as f64 * self.fraction).round().clamp(1.0, 40_000_000.0) as u32;
        (premises, PremisesMix { smets1: fleet.smets1_share, lte: fleet.lte_share.min(1.0 - mix.mesh), ..mix })
    }
}

/// Validates `pop.from_rollout`, if given: the rollout file loads and holds the month.
pub(crate) fn check(pop: &RawPopulation, c: &mut Checker<'_>) -> Option<FleetHandover> {
    let h = pop.from_rollout.as_ref()?;
    if pop.scale.is_some() || pop.premises.is_some() {
        c.problem("population.from_rollout", "give `from_rollout`, or `scale` or `premises`, not both".into());
        return None;
    }
    let fraction = c.float("population.from_rollout.fraction", h.fraction, 1e-6, 1.0);
    let month = Month::parse(&h.month).map_err(|e| c.problem("population.from_rollout.month", e)).ok()?;
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

#[cfg(test)]
mod tests {
    use crate::scenario::{Scenario, ScenarioError};

    const NETWORK: &str = "[scenario]\nname = \"fleet\"\nhorizon_s = 60.0\n\n[population]\n";

    fn write_rollout(dir: &std::path::Path) {
        let text = "[scenario]\nname = \"r\"\nstart_month = \"2024-01\"\nend_month = \"2027-12\"\n\n[rollout]\nscale = 0.001\n\
                    [rollout.initial]\nsmets1_meters = 15e6\nsmets1_migrated_meters = 12e6\nsmets2_meters = 20e6\n\
                    [[rollout.install_rate]]\nfrom = \"2024-01\"\nmeters_per_working_day = 11000\n";
        std::fs::write(dir.join("r.toml"), text).unwrap();
    }

    #[test]
    fn a_network_study_takes_the_enrolled_fleet_of_a_rollout_month() {
        let dir = std::env::temp_dir().join(format!("dccsim-handover-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        write_rollout(&dir);
        let file = dir.join("n.toml").display().to_string();
        let at = |month: &str| {
            let text = format!("{NETWORK}from_rollout = {{ scenario = \"r.toml\", month = \"{month}\" }}\n");
            Scenario::parse(&file, &text).map(|mut s| {
                assert!(s.fleet_from_rollout.is_some(), "validation does not run the rollout");
                s.resolve_population();
                s
            })
        };
        let early = at("2024-06").unwrap();
        let late = at("2027-03").unwrap();
        // 12 m SMETS1 and ~19.9 m SMETS2 meters enrolled at 1.67 per premises, 0.1% of GB.
        assert!((18_000..20_500).contains(&early.premises), "{}", early.premises);
        assert!(late.premises > early.premises, "the fleet grows");
        assert!(late.population.mix.lte > early.population.mix.lte, "4G hubs from mid-2025");
        assert!(early.population.mix.smets1 > late.population.mix.smets1);
        // --scale replaces the count, not the fleet's mix, whenever it is applied.
        let text = format!("{NETWORK}from_rollout = {{ scenario = \"r.toml\", month = \"2027-03\" }}\n");
        let mut scaled = Scenario::parse(&file, &text).unwrap();
        scaled.set_scale(0.001).unwrap();
        scaled.resolve_population();
        assert_eq!(scaled.premises, 29_900);
        assert_eq!(scaled.population.mix, late.population.mix);
        let err = match at("2029-01") {
            Err(ScenarioError::Invalid(p)) => p[0].to_string(),
            other => panic!("{other:?}"),
        };
        assert!(err.contains("n.toml:6:") && err.contains("allowed: 2024-01 to 2027-12"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
