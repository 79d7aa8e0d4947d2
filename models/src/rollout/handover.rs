//! Handing a rollout study's fleet to a network study.
//!
//! `population.from_rollout = { scenario = "rollout_to_2030.toml", month = "2027-03" }`
//! in a network scenario runs the rollout study (its own seed and scale) and takes
//! the **enrolled** fleet at the end of that month: only installations whose
//! post-commissioning checks are done may receive Service Requests (the 7-day rule,
//! [`super::enrolment`]). It sets `premises` (times the optional `fraction`), and
//! the SMETS1 and 4G shares, which override `smets1_share` and `lte_share`.

use std::path::Path;

use super::{Month, RolloutScenario, run};
use crate::scenario::raw::RawPopulation;
use crate::scenario::{Checker, PremisesMix};

/// Applies `pop.from_rollout`, if given, to the premises count and mix.
pub(crate) fn apply(pop: &RawPopulation, premises: u32, mix: PremisesMix, c: &mut Checker<'_>) -> (u32, PremisesMix) {
    let Some(h) = &pop.from_rollout else { return (premises, mix) };
    if pop.scale.is_some() || pop.premises.is_some() {
        c.problem("population.from_rollout", "give `from_rollout`, or `scale` or `premises`, not both".into());
        return (premises, mix);
    }
    let fraction = c.float("population.from_rollout.fraction", h.fraction, 1e-6, 1.0);
    let month = match Month::parse(&h.month) {
        Ok(m) => m,
        Err(e) => {
            c.problem("population.from_rollout.month", e);
            return (premises, mix);
        }
    };
    let base = Path::new(c.file()).parent().unwrap_or(Path::new(""));
    let path = base.join(&h.scenario);
    let study = match RolloutScenario::load(&path) {
        Ok(s) => s,
        Err(e) => {
            let why = e.to_string().replace('\n', "; ");
            c.problem("population.from_rollout.scenario", format!("the rollout study cannot be used: {why}"));
            return (premises, mix);
        }
    };
    if month < study.start || month > study.end {
        c.problem(
            "population.from_rollout.month",
            format!("{month} is outside the rollout study {}; allowed: {} to {}", study.name, study.start, study.end),
        );
        return (premises, mix);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let fleet = run(&study, threads).enrolled_fleet(month).expect("the month is within the study");
    let premises = (fleet.premises as f64 * fraction).round().clamp(1.0, 40_000_000.0) as u32;
    let mix = PremisesMix { smets1: fleet.smets1_share, lte: fleet.lte_share.min(1.0 - mix.mesh), ..mix };
    (premises, mix)
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
            Scenario::parse(&file, &text)
        };
        let early = at("2024-06").unwrap();
        let late = at("2027-03").unwrap();
        // 12 m SMETS1 and ~19.9 m SMETS2 meters enrolled at 1.67 per premises, 0.1% of GB.
        assert!((18_000..20_500).contains(&early.premises), "{}", early.premises);
        assert!(late.premises > early.premises, "the fleet grows");
        assert!(late.population.mix.lte > early.population.mix.lte, "4G hubs from mid-2025");
        assert!(early.population.mix.smets1 > late.population.mix.smets1);
        let err = match at("2029-01") {
            Err(ScenarioError::Invalid(p)) => p[0].to_string(),
            other => panic!("{other:?}"),
        };
        assert!(err.contains("n.toml:6:") && err.contains("allowed: 2024-01 to 2027-12"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
