//! Handing a rollout study's fleet to a network study.
//!
//! `population.from_rollout = { scenario = "rollout_to_2030.toml", month = "2027-03" }`
//! in a network scenario takes the **enrolled** fleet of a rollout study (its own
//! seed and scale) at the end of that month: only installations whose
//! post-commissioning checks are done may receive Service Requests (the 7-day rule,
//! [`super::enrolment`]). It sets `premises` (times the optional `fraction`), and
//! the SMETS1 and 4G shares, which override `smets1_share` and `lte_share`; and,
//! unless `[commissioning] installs_per_day` is given, the month's installs per
//! day, whose commissioning requests join the traffic
//! ([`crate::scenario::commissioning`]).
//!
//! Loading only validates the handover ([`crate::scenario::rollout::handover`]);
//! the rollout runs here, when the study resolves its population
//! ([`resolve_population`]), so validating a scenario, or each point of a sweep,
//! never runs one.

use super::{EnrolledFleet, run};
use crate::scenario::rollout::handover::FleetHandover;
use crate::scenario::{PremisesMix, Scenario, Share, gb_premises};

/// Runs the rollout study of `fleet`: the fleet, the premises count, and `mix`
/// with the fleet's SMETS1 and 4G shares.
fn resolve(fleet: &FleetHandover, mix: PremisesMix) -> (EnrolledFleet, u32, PremisesMix) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let enrolled = run(&fleet.study, threads).enrolled_fleet(fleet.month).expect("the month is checked when loaded");
    let premises = (enrolled.premises as f64 * fleet.fraction).round().clamp(1.0, 40_000_000.0) as u32;
    let smets1 = Share::new(enrolled.smets1_share).expect("a share of the fleet");
    let lte = Share::new(enrolled.lte_share.min(1.0 - mix.mesh.get())).expect("a share of the fleet");
    (enrolled, premises, PremisesMix { smets1, lte, ..mix })
}

/// Takes the population from `population.from_rollout`, if the scenario gives one,
/// by running the rollout study; a no-op otherwise, or once done. Every run must
/// come after it.
pub fn resolve_population(scenario: &mut Scenario) {
    let Some(fleet) = scenario.fleet_from_rollout.take() else { return };
    let (enrolled, premises, mix) = resolve(&fleet, scenario.population.mix);
    scenario.population.mix = mix;
    scenario.premises = premises;
    if let Some(scale) = fleet.scale {
        scenario.premises = (gb_premises() * scale).round().max(1.0) as u32;
    }
    // The month's installs, in proportion to the premises simulated, commission
    // while the study runs, unless `[commissioning]` says how many.
    if scenario.commissioning.installs_per_day.is_none() {
        let share = f64::from(scenario.premises) / enrolled.premises.max(1) as f64;
        let streams = scenario.commissioning.streams(enrolled.commissioned_per_day * share);
        scenario.traffic.extend(streams);
    }
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
                super::resolve_population(&mut s);
                s
            })
        };
        let early = at("2024-06").unwrap();
        let late = at("2027-03").unwrap();
        // 12 m SMETS1 and ~19.9 m SMETS2 meters enrolled at 1.67 per premises, 0.1% of GB.
        assert!((18_000..20_500).contains(&early.premises), "{}", early.premises);
        assert!(late.premises > early.premises, "the fleet grows");
        assert!(late.population.mix.lte.get() > early.population.mix.lte.get(), "4G hubs from mid-2025");
        assert!(early.population.mix.smets1.get() > late.population.mix.smets1.get());
        // The month's installs commission while the study runs: 11,000 meters a
        // working day for GB at 1.67 per install, about 6,600 installs, here at
        // the fleet's 0.1 %: some 4 to 7 a day, as five streams after the reads.
        let commissioning: Vec<_> = early.traffic.iter().skip(1).collect();
        assert_eq!(commissioning.len(), 5, "{:?}", early.traffic);
        assert_eq!(commissioning[0].name, "commissioning_hub_installed");
        let per_day = commissioning[0].rate_per_s.unwrap().get() * 86_400.0;
        assert!((2.0..8.0).contains(&per_day), "{per_day} installs a day");
        let given = format!(
            "{NETWORK}from_rollout = {{ scenario = \"r.toml\", month = \"2024-06\" }}\n[commissioning]\ninstalls_per_day = 0\n"
        );
        let mut none = Scenario::parse(&file, &given).unwrap();
        super::resolve_population(&mut none);
        assert_eq!(none.traffic.len(), 1, "installs_per_day, given, replaces the rollout's");
        // --scale replaces the count, not the fleet's mix, whenever it is applied.
        let text = format!("{NETWORK}from_rollout = {{ scenario = \"r.toml\", month = \"2027-03\" }}\n");
        let mut scaled = Scenario::parse(&file, &text).unwrap();
        scaled.set_scale(0.001).unwrap();
        super::resolve_population(&mut scaled);
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
