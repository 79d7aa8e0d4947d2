//! Loading studies: one parse, the kind from the file, and command-line values
//! validated like the file's.

use super::*;

const QUICKSTART: &str = include_str!("../../../scenarios/quickstart.toml");

fn with_sets(text: &str, sets: &[&str]) -> Result<Study, ScenarioError> {
    let sets = sets.iter().map(|s| Set::parse(s).unwrap()).collect();
    Study::parse("q.toml", text.to_string(), &Overrides { sets, ..Overrides::default() })
}

fn network(study: Study) -> Scenario {
    match study {
        Study::Network { scenario, .. } => *scenario,
        other => panic!("expected a network study, got {}", other.name()),
    }
}

#[test]
fn a_set_value_replaces_the_files_and_nothing_else() {
    let plain = network(with_sets(QUICKSTART, &[]).unwrap());
    let mut set = network(with_sets(QUICKSTART, &["dsp.servers=16", "alerts.csp.policy=aggregate"]).unwrap());
    assert_eq!(plain.dsp.servers, 64);
    assert_eq!(set.dsp.servers, 16);
    assert_eq!(set.alerts.csp.policy, crate::alert::CspAlertPolicy::Aggregate, "a bare word is a string");
    set.dsp.servers = plain.dsp.servers;
    set.alerts.csp.policy = plain.alerts.csp.policy;
    let dsp = |s: &Scenario| s.document["dsp"]["servers"].as_integer();
    assert_eq!((dsp(&set), dsp(&plain)), (Some(16), Some(64)), "the resolved document holds the set value");
    set.document = plain.document.clone();
    assert_eq!(set, plain);
}

#[test]
fn a_bad_set_value_is_reported_at_its_flag_with_what_is_allowed() {
    let err = with_sets(QUICKSTART, &["dsp.servers=-1"]).unwrap_err().to_string();
    assert_eq!(err, "--set dsp.servers=-1: `dsp.servers`: -1 is out of range; allowed: 1 to 100000");
}

/// A float where a count is wanted (as numpy and pandas values are) says that a
/// whole number is allowed, and which, rather than listing the table's keys.
#[test]
fn a_fraction_for_a_count_says_a_whole_number_is_allowed() {
    let err = with_sets(QUICKSTART, &["dsp.servers=48.0"]).unwrap_err().to_string();
    assert!(err.starts_with("--set dsp.servers=48.0: "), "{err}");
    assert!(err.ends_with("; allowed: a whole number, 1 to 100,000"), "{err}");
}

#[test]
fn an_unknown_set_key_names_the_table_whose_keys_are_allowed() {
    let err = with_sets(QUICKSTART, &["dsp.serverz=3"]).unwrap_err().to_string();
    assert!(err.starts_with("--set dsp.serverz=3: `dsp.serverz`: unknown key `serverz`"), "{err}");
    assert!(err.contains("allowed: `shards`, `servers`, `request_processing`, `response_processing`"), "{err}");
}

#[test]
fn problems_in_the_file_and_in_flags_are_reported_together_each_at_its_place() {
    // The User Gateway's servers are wrong in the file, the DSP's on the command line.
    let text = QUICKSTART.replacen("servers = 32", "servers = 0", 1);
    let line = text.lines().position(|l| l.starts_with("servers = 0")).unwrap() + 1;
    let err = with_sets(&text, &["dsp.servers=0"]).unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with(&format!("q.toml:{line}:")), "{err}");
    assert!(lines[1].starts_with("--set dsp.servers=0: `dsp.servers`: 0 is out of range"), "{err}");
}

#[test]
fn a_set_reaches_into_an_array_of_tables_by_index() {
    let text = "[scenario]\nname = \"t\"\nhorizon_s = 60\n[[traffic.streams]]\nname = \"a\"\nsrv = \"4.1.1\"\nrate_per_s = 1\n";
    let s = network(with_sets(text, &["traffic.streams.0.rate_per_s=2.5"]).unwrap());
    assert_eq!(s.traffic[0].rate_per_s.map(crate::scenario::RatePerS::get), Some(2.5));
    let err = with_sets(text, &["traffic.streams.1.rate_per_s=2"]).unwrap_err().to_string();
    assert!(
        err.starts_with("--set traffic.streams.1.rate_per_s=2: `traffic.streams.1.rate_per_s` cannot be set"),
        "{err}"
    );
}

#[test]
fn a_per_network_hold_up_is_set_and_range_checked_like_the_hold_up() {
    let s = network(with_sets(QUICKSTART, &["comms_hub.hold_up_s_by_network.mesh=120"]).unwrap());
    let mesh = crate::region::WanNetwork::Mesh.index();
    assert_eq!(s.alerts.hold_up[mesh], sim::SimDuration::from_secs(120));
    assert_eq!(s.alerts.hold_up[0], sim::SimDuration::from_secs(300), "the others keep hold_up_s");
    let err = with_sets(QUICKSTART, &["comms_hub.hold_up_s_by_network.mesh=4000"]).unwrap_err().to_string();
    assert!(err.ends_with("4000 is out of range; allowed: 0 to 3600"), "{err}");
}

#[test]
fn seed_and_scale_apply_after_validation() {
    let overrides = Overrides { seed: Some(u64::MAX), scale: Some(0.001), ..Overrides::default() };
    let s = network(Study::parse("q.toml", QUICKSTART.to_string(), &overrides).unwrap());
    assert_eq!((s.seed, s.premises), (u64::MAX, 29_900));
}

#[test]
fn every_shipped_scenario_loads_as_the_kind_of_study_it_is() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut kinds = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let study = Study::load(&path, &Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
        let kind = match &study {
            Study::Network { .. } => "network",
            Study::Rollout { .. } => "rollout",
            Study::Sweep { spec, .. } => {
                assert!(!spec.points().is_empty());
                "sweep"
            }
        };
        assert_eq!(study.source().text, std::fs::read_to_string(&path).unwrap());
        kinds.push((path.file_name().unwrap().to_string_lossy().into_owned(), kind));
    }
    kinds.sort();
    let of = |name: &str| kinds.iter().find(|(n, _)| n == name).map(|(_, k)| *k);
    assert_eq!(kinds.len(), 21);
    assert_eq!(of("gb_2021.toml"), Some("network"));
    assert_eq!(of("install_peak.toml"), Some("network"));
    assert_eq!(of("smets1_path.toml"), Some("network"));
    assert_eq!(of("tad_attack.toml"), Some("network"));
    assert_eq!(of("user_suspension.toml"), Some("network"));
    assert_eq!(of("csp_outage.toml"), Some("network"));
    assert_eq!(of("dcc_downtime.toml"), Some("network"));
    assert_eq!(of("gb_month.toml"), Some("network"));
    assert_eq!(of("quickstart.toml"), Some("network"));
    assert_eq!(of("rollout_history.toml"), Some("rollout"));
    assert_eq!(of("4g_migration.toml"), Some("rollout"));
    assert_eq!(of("dsp_capacity_sweep.toml"), Some("sweep"));
    assert_eq!(of("storm_ch_consolidation.toml"), Some("sweep"));
    assert_eq!(kinds.iter().filter(|(_, k)| *k == "rollout").count(), 3);
}

#[test]
fn a_malformed_file_is_placed_at_its_line_and_column() {
    let err = with_sets("[scenario]\nname = \"t\nhorizon_s = 60\n", &["dsp.servers=2"]).unwrap_err().to_string();
    assert!(err.starts_with("q.toml:2:"), "{err}");
}

#[test]
fn set_flags_are_read_as_toml_or_bare_words() {
    assert_eq!(Set::parse("a.b=2").unwrap().value, toml::Value::Integer(2));
    assert_eq!(Set::parse("a.b = \"x\"").unwrap().value, toml::Value::String("x".into()));
    assert_eq!(Set::parse("m=2027-03").unwrap().value, toml::Value::String("2027-03".into()));
    assert!(Set::parse("nokey").unwrap_err().contains("expected KEY=VALUE"));
    assert!(Set::parse("a..b=1").unwrap_err().contains("is not a dotted key"));
    assert!(Set::parse("a=[1,").unwrap_err().contains("is not a TOML value"));
}

#[test]
fn a_rollout_study_takes_set_values_validated_like_its_file() {
    let text = include_str!("../../../scenarios/rollout_history.toml");
    let study = with_sets(text, &["rollout.hubs.tolerance_share=0.05", "rollout.lte.switch_off=2030-12"]).unwrap();
    let Study::Rollout { scenario, .. } = study else { panic!("a rollout study") };
    assert_eq!(scenario.rollout.hubs.tolerance_share.get(), 0.05);
    assert_eq!(scenario.rollout.lte.switch_off, crate::rollout::Month::new(2030, 12));
    let err = with_sets(text, &["rollout.hubs.tolerance_share=1.5"]).unwrap_err().to_string();
    assert_eq!(
        err,
        "--set rollout.hubs.tolerance_share=1.5: `rollout.hubs.tolerance_share`: 1.5 is out of range; allowed: 0 to 1"
    );
}

#[test]
fn every_sweep_point_gets_the_command_lines_values_before_its_own() {
    let text = format!("{QUICKSTART}\n[sweep]\nreplications = 2\n[sweep.parameters]\n\"dsp.servers\" = [8, 16]\n");
    let sets = vec![Set::parse("user_gateway.servers=5").unwrap(), Set::parse("dsp.servers=99").unwrap()];
    let point = [("dsp.servers".to_string(), toml::Value::Integer(16))];
    let s = crate::scenario::sweep::point_scenario("q.toml", &text, &sets, &point).unwrap();
    assert_eq!((s.user_gateway.servers, s.dsp.servers), (5, 16), "the set applies; the point's own value wins");
    assert!(s.sweep.is_none());
    let err = with_sets(&text, &["user_gateway.servers=0"]).unwrap_err().to_string();
    assert!(err.starts_with("--set user_gateway.servers=0: `user_gateway.servers`: 0 is out of range"), "{err}");
}
