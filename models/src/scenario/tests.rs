//! Scenario errors point at the right place and say what is allowed.

use super::*;

const MINIMAL: &str = "[scenario]\nname = \"t\"\nhorizon_s = 60\n";

fn problems(text: &str) -> Vec<Problem> {
    match Scenario::parse("s.toml", text) {
        Err(ScenarioError::Invalid(p)) => p,
        other => panic!("expected problems, got {other:?}"),
    }
}

fn one_problem(text: &str) -> Problem {
    let mut p = problems(text);
    assert_eq!(p.len(), 1, "{p:?}");
    p.remove(0)
}

#[test]
fn a_minimal_file_gets_the_documented_defaults() {
    let s = Scenario::parse("s.toml", MINIMAL).unwrap();
    assert_eq!(s.premises, 100_000);
    assert_eq!(s.population.mix.smets1, 0.375);
    assert_eq!(s.population.mix.wan_coverage, 0.9925);
    assert_eq!(s.population.fan_outs.premises_per_feeder, 40);
    assert_eq!(s.on_demand_trt, SimDuration::from_secs(30));
    assert_eq!(s.read.command_size_bytes, 158);
    assert_eq!(s.read.response_size_bytes, 188);
    assert_eq!(s.read.user_role, UserRole::ImportSupplier);
    assert_eq!(s.csp[0].round_trip, Delay::LogNormal { median_s: 7.5, p95_s: 20.0 });
    assert_eq!(s.horizon, SimTime::from_secs(60));
}

#[test]
fn the_shipped_quickstart_spells_out_the_defaults() {
    let text = include_str!("../../../scenarios/quickstart.toml");
    let mut shipped = Scenario::parse("quickstart.toml", text).unwrap();
    let mut defaults = Scenario::parse("s.toml", MINIMAL).unwrap();
    shipped.description.clear();
    defaults.name = shipped.name.clone();
    defaults.horizon = shipped.horizon;
    assert_eq!(shipped, defaults);
}

#[test]
fn unknown_keys_are_rejected_where_they_stand() {
    let p = one_problem("[scenario]\nname = \"t\"\nhorizon_s = 60\n\n[dsp]\nserverz = 3\n");
    assert_eq!((p.at.line, p.at.col), (6, 1));
    assert!(p.message.contains("unknown field `serverz`"), "{}", p.message);
    assert!(p.message.contains("servers"), "the message lists what is allowed: {}", p.message);
}

#[test]
fn wrong_types_point_at_the_value() {
    let p = one_problem("[scenario]\nname = \"t\"\nhorizon_s = \"an hour\"\n");
    assert_eq!((p.at.line, p.at.col), (3, 13));
    assert!(p.message.contains("invalid type"), "{}", p.message);
    assert_eq!(p.to_string().split(": ").next(), Some("s.toml:3:13"));
}

#[test]
fn out_of_range_values_say_what_is_allowed() {
    let p = one_problem(&format!("{MINIMAL}[dsp]\nservers = 0\n"));
    assert_eq!((p.at.line, p.at.col), (5, 11));
    assert_eq!(p.message, "`dsp.servers`: 0 is out of range; allowed: 1 to 100000");
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = format!(
        "{MINIMAL}[population]\npremises = 0\nelectricity_only_share = 0.7\ngas_only_share = 0.4\n\
         [csp.north]\npremises_per_cell = 10\nchannels_per_cell = 1\nchannel_bitrate_bps = 100\n\
         round_trip = {{ kind = \"lognormal\", median_s = 5.0, p95_s = 2.0 }}\n"
    );
    let p = problems(&text);
    let lines: Vec<usize> = p.iter().map(|p| p.at.line).collect();
    assert_eq!(lines, vec![5, 7, 12], "{p:#?}");
    assert!(p[1].message.contains("add up to more than 1"));
    assert!(p[2].message.contains("greater than median_s"));
}

#[test]
fn delay_kinds_are_checked_by_serde() {
    let p = one_problem(&format!("{MINIMAL}[comms_hub]\nhan_response = {{ kind = \"gamma\", mean_s = 1 }}\n"));
    assert_eq!(p.at.line, 5);
    assert!(p.message.contains("unknown variant `gamma`"), "{}", p.message);
    let p = one_problem(&format!("{MINIMAL}[comms_hub]\nhan_response = {{ kind = \"constant\", mean_s = 1 }}\n"));
    assert!(p.message.contains("unknown field `mean_s`"), "{}", p.message);
}

#[test]
fn ineligible_roles_and_bad_names_are_refused() {
    let p = one_problem(&format!("{MINIMAL}[traffic.read_instantaneous]\nuser_role = \"OU\"\n"));
    assert!(p.message.contains("not eligible for SRV 4.1.1"), "{}", p.message);
    let p = one_problem(&format!("{MINIMAL}[traffic.read_instantaneous]\nuser_role = \"XX\"\n"));
    assert!(p.message.contains("allowed: IS, ES, GS, ED, GT, RSA, OU"), "{}", p.message);
    let p = one_problem("[scenario]\nname = \"../etc\"\nhorizon_s = 60\n");
    assert_eq!((p.at.line, p.at.col), (2, 8));
}

#[test]
fn a_missing_required_key_is_named() {
    let p = one_problem("[scenario]\nname = \"t\"\n");
    assert!(p.message.contains("missing field `horizon_s`"), "{}", p.message);
}

#[test]
fn malformed_toml_is_located() {
    let p = one_problem("[scenario]\nname = \"t\nhorizon_s = 60\n");
    assert_eq!(p.at.line, 2);
}

#[test]
fn an_omitted_wan_key_takes_its_regions_default() {
    let s = Scenario::parse("s.toml", &format!("{MINIMAL}[csp.south]\nchannels_per_cell = 2\n")).unwrap();
    assert_eq!(s.csp[2].channels_per_cell, 2);
    assert_eq!(s.csp[2].premises_per_cell, 1_500);
    assert_eq!(s.csp[0].channels_per_cell, 4);
}

#[test]
fn scale_sets_the_premises_from_gb_and_excludes_an_explicit_count() {
    let s = Scenario::parse("s.toml", &format!("{MINIMAL}[population]\nscale = 0.001\n")).unwrap();
    assert_eq!(s.premises, 29_900);
    let p = one_problem(&format!("{MINIMAL}[population]\nscale = 0.001\npremises = 5\n"));
    assert!(p.message.contains("not both"), "{}", p.message);
    let p = one_problem(&format!("{MINIMAL}[population]\nscale = 2.0\n"));
    assert!(p.message.contains("allowed: 0.000001 to 1.5"), "{}", p.message);
}
