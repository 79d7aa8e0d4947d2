//! Scenario errors point at the right place and say what is allowed.

use super::*;
use sim::{Delay, SimDuration, SimTime};

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
    assert_eq!(s.population.mix.smets1.get(), 0.375);
    assert_eq!(s.population.mix.wan_coverage.get(), 0.9925);
    assert_eq!(s.population.fan_outs.premises_per_feeder, 40);
    assert_eq!(s.measurement.on_demand_trt, SimDuration::from_secs(30));
    assert_eq!(s.traffic.len(), 1);
    let reads = &s.traffic[0];
    assert_eq!((reads.command_bytes, reads.response_bytes), (158, 185));
    assert_eq!(reads.user_role, crate::service_request::UserRole::ImportSupplier);
    assert_eq!(reads.srv().srv, "4.1.1");
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
    // The documents differ in what the file writes out; every typed value must not.
    defaults.document = shipped.document.clone();
    assert_eq!(shipped, defaults);
}

#[test]
fn unknown_keys_are_rejected_where_they_stand() {
    let p = one_problem("[scenario]\nname = \"t\"\nhorizon_s = 60\n\n[dsp]\nserverz = 3\n");
    assert_eq!((p.at.line, p.at.col), (6, 1));
    assert!(p.message.contains("unknown key `serverz`"), "{}", p.message);
    assert!(p.message.contains("servers"), "the message lists what is allowed: {}", p.message);
}

#[test]
fn wrong_types_point_at_the_value() {
    let p = one_problem("[scenario]\nname = \"t\"\nhorizon_s = \"an hour\"\n");
    assert_eq!((p.at.line, p.at.col), (3, 13));
    assert!(p.message.contains("\"an hour\" is not a number; allowed: 1 to 7948800"), "{}", p.message);
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
fn traffic_streams_are_checked_against_the_catalogue() {
    let stream = |body: &str| format!("{MINIMAL}[[traffic.streams]]\nname = \"s\"\n{body}\n");
    let p = one_problem(&stream("srv = \"99.9\"\nrate_per_s = 1"));
    assert!(p.message.contains("not in the Service Request catalogue"), "{}", p.message);
    assert_eq!(p.at.line, 6);
    let p = one_problem(&stream("srv = \"4.1.1\"\nrate_per_s = 1\nuser_role = \"XX\""));
    assert!(p.message.contains("allowed: `IS`, `ES`, `GS`, `ED`, `GT`, `RSA`, `OU`"), "{}", p.message);
    let p = one_problem(&stream("srv = \"4.1.1\""));
    assert!(p.message.contains("exactly one"), "{}", p.message);
    // Service Opt Out (8.5) is Future Dated only.
    let p = one_problem(&stream("srv = \"8.5\"\nrate_per_s = 1"));
    assert!(p.message.contains("cannot be sent On Demand"), "{}", p.message);
    // Update Firmware (11.1) is sent On Demand as Category 1 payloads, up to 65,535 of them.
    let s = Scenario::parse("s.toml", &stream("srv = \"11.1\"\nrate_per_s = 1")).unwrap();
    assert!(s.traffic[0].carries_firmware() && s.traffic[0].command_bytes == 250_000);
    let p = one_problem(&stream(
        "srv = \"11.1\"\nrate_per_s = 1\ncommand_size_bytes = 9000000\n[wan_gateway]\nfirmware_payload_bytes = 100",
    ));
    assert!(p.message.contains("allowed: up to 65535 payloads"), "{}", p.message);
    let p = one_problem(&stream("srv = \"2.2\"\nrate_per_s = 1\nprofile = \"lunchtime\""));
    assert!(p.message.contains("unknown profile"), "{}", p.message);
    // An ineligible role is allowed in the file: the DSP rejects its requests.
    let s = Scenario::parse(
        "s.toml",
        &stream("srv = \"2.2\"\nrate_per_s = 1\nuser_role = \"ED\"\nprofile = \"evening_peak\""),
    )
    .unwrap();
    assert!(!s.traffic[0].srv().allows(s.traffic[0].user_role));
    assert!((s.traffic[0].profile.iter().sum::<f64>() - 24.0).abs() < 1e-9, "profiles keep the volume");
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

/// A scenario text giving every key of `tables` whose registry default is a plain
/// value (a number, `true`, a word), at that default; arrays of tables are left out.
fn registry_defaults(tables: &[keys::Table]) -> String {
    let mut out = String::new();
    // `[sweep]` is left out too: its presence, not its keys, makes a sweep.
    for table in tables.iter().filter(|t| !t.heading.contains("[[") && t.path != "sweep") {
        let paths: Vec<(String, usize)> = match table.path {
            "csp.*" => keys::WAN_NETWORKS.iter().map(|(n, column)| (format!("csp.{n}"), *column)).collect(),
            path => vec![(path.to_string(), 0)],
        };
        for (path, i) in &paths {
            out += &format!("[{path}]\n");
            for key in table.keys {
                let default = key.defaults[(*i).min(key.defaults.len() - 1)].replace('`', "");
                let default = if key.unit == "distribution" { default } else { default.replace(',', "") };
                let value = match default.as_str() {
                    "required" | "empty" | "none" | "" => continue,
                    d if key.unit.contains("YYYY") || key.unit == "text" => format!("{:?}", d.trim_matches('"')),
                    d => d.to_string(),
                };
                if toml::from_str::<toml::Table>(&format!("v = {value}")).is_ok() {
                    out += &format!("{} = {value}\n", key.name);
                }
            }
        }
    }
    out
}

/// Validation fills plain defaults from the registry, so this mostly checks that each
/// stated default is a valid value of its key and that nothing else (a serde default
/// left behind, a builder's fallback) overrides it.
#[test]
fn the_registry_states_the_defaults_the_model_uses() {
    let stated =
        registry_defaults(keys::NETWORK).replacen("[scenario]\n", "[scenario]\nname = \"t\"\nhorizon_s = 60\n", 1);
    assert!(stated.lines().count() > 80, "{stated}");
    assert_eq!(
        Scenario::parse("stated.toml", &stated).unwrap(),
        Scenario::parse("s.toml", MINIMAL).unwrap(),
        "{stated}"
    );
    let study = "[scenario]\nname = \"r\"\nstart_month = \"2021-01\"\nend_month = \"2021-12\"\n";
    let steps = "[[rollout.install_rate]]\nfrom = \"2021-01\"\nmeters_per_working_day = 1000\n";
    let stated = registry_defaults(keys::ROLLOUT).replacen("[scenario]\n", study, 1) + steps;
    let minimal = format!("{study}[rollout]\n{steps}");
    let parse =
        |text: &str| crate::rollout::RolloutScenario::parse("r.toml", text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parse(&stated), parse(&minimal), "{stated}");
}

#[test]
fn an_unknown_choice_is_placed_at_its_value_with_the_choices_allowed() {
    let p = one_problem(&format!("{MINIMAL}[alerts.csp]\npolicy = \"hold\"\n"));
    assert_eq!((p.at.line, p.at.col), (5, 10));
    assert!(p.message.contains("unknown value \"hold\"; allowed: `forward`, `aggregate`"), "{}", p.message);
    let p = one_problem(&format!(
        "{MINIMAL}[[traffic.streams]]\nname = \"s\"\nsrv = \"4.1.1\"\nrate_per_s = 1\npremises = \"flats\"\n"
    ));
    assert_eq!(p.at.line, 8);
    assert!(p.message.contains("allowed: `electricity`, `gas`, `prepayment`, `any`"), "{}", p.message);
}

/// Weights whose sum overflows would normalise the profile to nothing: refused at
/// the profile, saying what is allowed.
#[test]
fn profile_weights_whose_sum_would_overflow_are_refused() {
    let stream = "[[traffic.streams]]\nname = \"r\"\nsrv = \"4.1.1\"\nrate_per_s = 1.0\nprofile = ";
    let huge = format!("{MINIMAL}{stream}[{}]\n", ["1e308"; 24].join(", "));
    let p = one_problem(&huge);
    assert!(p.to_string().contains("need 24 weights from 0 to 1e9, not all zero"), "{p}");
    assert_eq!(p.at.line, 8, "{p}");
    let largest = format!("{MINIMAL}{stream}[{}]\n", ["1e9"; 24].join(", "));
    assert!(Scenario::parse("s.toml", &largest).is_ok());
}

/// Modes and User roles are enums read by serde: a wrong one is reported at its
/// value with the values allowed.
#[test]
fn a_wrong_mode_or_user_role_is_named_at_its_value_with_the_allowed_ones() {
    let stream = "[[traffic.streams]]\nname = \"r\"\nsrv = \"4.1.1\"\nrate_per_s = 1.0\n";
    let p = one_problem(&format!("{MINIMAL}{stream}mode = \"ondemand\"\n"));
    assert!(p.message.contains("allowed: `on_demand`, `future_dated`, `scheduled`"), "{p}");
    assert_eq!((p.at.line, p.at.col), (8, 8), "{p}");
    let p = one_problem(&format!("{MINIMAL}{stream}mode = \"on_demand\"\nuser_role = \"XX\"\n"));
    assert!(p.message.contains("allowed: `IS`, `ES`, `GS`, `ED`, `GT`, `RSA`, `OU`"), "{p}");
    assert_eq!(p.at.line, 9, "{p}");
    let p = one_problem(&format!(
        "{MINIMAL}[[traffic.streams]]\nname = \"s\"\nsrv = \"7.2\"\nrate_per_s = 1.0\nmode = \"scheduled\"\n"
    ));
    assert!(p.message.contains("SRV 7.2 cannot be DCC Scheduled"), "{p}");
}

#[test]
fn a_fault_with_a_bad_level_and_a_bad_area_reports_both_where_they_stand() {
    let text = format!(
        "{MINIMAL}[[outages.faults]]\nlevel = \"substation\"\narea = \"atlantis\"\nstart_s = 10\nduration_s = 60\n"
    );
    let p = problems(&text);
    let found: Vec<(usize, usize, &str)> = p.iter().map(|p| (p.at.line, p.at.col, p.message.as_str())).collect();
    assert_eq!(
        found[..2],
        [
            (
                5,
                9,
                "`outages.faults.0.level`: unknown value \"substation\"; allowed: `feeder`, `secondary`, `primary`, `area`"
            ),
            (
                6,
                8,
                "`outages.faults.0.area`: unknown value \"atlantis\"; allowed: `east_england`, `east_midlands`, `london`, `merseyside_north_wales`, `west_midlands`, `north_east`, `north_west`, `north_scotland`, `south_scotland`, `south_east`, `southern`, `south_wales`, `south_west`, `yorkshire`"
            )
        ],
        "{p:#?}"
    );
    assert_eq!(p.len(), 2, "{p:#?}");
    let p = one_problem(&format!(
        "{MINIMAL}[[outages.faults]]\nlevel = 3\narea = \"london\"\nstart_s = 10\nduration_s = 60\n"
    ));
    assert_eq!((p.at.line, p.at.col), (5, 9), "{}", p.message);
    assert!(p.message.ends_with("3 is not a word; allowed: `feeder`, `secondary`, `primary`, `area`"), "{}", p.message);
}

#[test]
fn a_value_in_a_later_array_element_is_placed_where_the_parser_saw_it() {
    let fault = "[[outages.faults]]\nlevel = \"feeder\"\narea = \"london\"\nstart_s = 10\n";
    let text = format!("{MINIMAL}{fault}duration_s = 60\n{fault}duration_s = 60 ; reclose_shots = 99\n");
    let text = text.replace(" ; ", "\n");
    let p = one_problem(&text);
    assert_eq!(p.to_string(), "s.toml:14:17: `outages.faults.1.reclose_shots`: 99 is out of range; allowed: 0 to 10");
}

#[test]
fn shares_of_a_whole_are_checked_in_one_place_and_placed_at_the_list() {
    let p = one_problem(&format!("{MINIMAL}[users]\nsupplier_shares = [1, -1]\n"));
    assert_eq!(p.to_string(), "s.toml:5:19: `users.supplier_shares`: need 1 to 200 non-negative shares, not all zero");
}

#[test]
fn a_word_that_is_not_a_known_value_is_placed_at_its_span() {
    let text = format!("{MINIMAL}[[traffic.streams]]\nname = \"s\"\nrate_per_s = 1\nsrv = \"99.9\"\n");
    let p = one_problem(&text);
    assert_eq!(p.to_string(), "s.toml:7:7: `traffic.streams.0.srv`: \"99.9\" is not in the Service Request catalogue");
    let p = one_problem(&format!("{MINIMAL}[measurement]\nstart_date = \"2026-13-01\"\n"));
    assert_eq!((p.at.line, p.at.col), (5, 14), "{p}");
}

#[test]
fn a_bad_distribution_is_placed_at_its_value() {
    let p = one_problem(&format!(
        "{MINIMAL}[dsp]\nservers = 8\nrequest_processing = {{ kind = \"uniform\", min_s = 3.0, max_s = 1.0 }}\n"
    ));
    assert_eq!((p.at.line, p.at.col), (6, 22), "{p}");
    assert!(p.message.starts_with("`dsp.request_processing`: "), "{p}");
}

/// Defaults fill what the file leaves out, never inside a value it gives: a
/// distribution of another kind than the default is read as written.
#[test]
fn a_distribution_of_another_kind_than_the_default_is_read_as_written() {
    let text = format!("{MINIMAL}[csp.mesh]\nround_trip = {{ kind = \"constant\", value_s = 3 }}\n");
    let s = Scenario::parse("s.toml", &text).unwrap();
    assert_eq!(s.csp[3].round_trip, Delay::Constant { value_s: 3.0 });
    assert_eq!(s.csp[3].premises_per_cell, 200, "the rest of the mesh keeps its own defaults");
}

/// Every key is checked against the registry in one walk: words, shares and
/// numbers out of range in different tables are all reported, in file order.
#[test]
fn the_registry_check_reports_words_shares_and_numbers_together() {
    let text = format!(
        "{MINIMAL}[output]\nrows = \"everything\"\n[users]\nsupplier_shares = [0, 0]\n[dsp]\nshards = 0\n[csp.narnia]\nloss_probability = 0.5\n"
    );
    let p = problems(&text);
    let found: Vec<(usize, &str)> = p.iter().map(|p| (p.at.line, p.message.as_str())).collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert_eq!(found[0], (5, "`output.rows`: unknown value \"everything\"; allowed: `all`, `sample`, `none`"));
    assert!(found[1].1.contains("need 1 to 200 non-negative shares, not all zero"), "{found:#?}");
    assert_eq!(found[2], (9, "`dsp.shards`: 0 is out of range; allowed: 1 to 256"));
    assert!(found[3].1.starts_with("`csp.narnia`: unknown key `narnia`; allowed: `north`"), "{found:#?}");
}

/// The bounded numbers refuse what they cannot hold, saying what is allowed, and
/// each key read into one has a registry range inside the type's.
#[test]
fn bounded_numbers_hold_only_their_range_and_the_registry_agrees() {
    assert_eq!(Probability::new(1.5).unwrap_err(), "1.5 is not a probability; allowed: 0 to 1");
    assert!(Share::new(f64::NAN).is_err() && Percent::new(100.5).is_err() && RatePerS::new(-1.0).is_err());
    assert_eq!(Share::new(0.25).map(Share::get), Ok(0.25));
    let typed = [
        ("csp.north.loss_probability", Probability::MIN, Probability::MAX),
        ("outages.storms.retrip_probability", Probability::MIN, Probability::MAX),
        ("rollout.hubs.late_forecast_probability", Probability::MIN, Probability::MAX),
        ("population.gas_only_share", Share::MIN, Share::MAX),
        ("population.wan_coverage", Share::MIN, Share::MAX),
        ("outages.storms.band_hit_share", Share::MIN, Share::MAX),
        ("rollout.abort_share", Share::MIN, Share::MAX),
        ("rollout.hubs.tolerance_share", Share::MIN, Share::MAX),
        ("measurement.target_service_level_pct", Percent::MIN, Percent::MAX),
        ("rollout.target.coverage_pct", Percent::MIN, Percent::MAX),
        ("traffic.streams.rate_per_s", RatePerS::MIN, RatePerS::MAX),
    ];
    for (path, lo, hi) in typed {
        for (_, key) in keys::find(path) {
            let keys::Range::Num(a, b) = key.range else { panic!("{path} has no numeric range") };
            assert!(lo <= a && b <= hi, "{path}: registry {a} to {b} is outside {lo} to {hi}");
        }
    }
}

/// `[sweep]`: its points, and problems with them placed at the parameter.
mod sweep {
    use crate::scenario::Scenario;
    use crate::scenario::ScenarioError;
    use crate::scenario::sweep::*;

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
        let s = point_scenario("s.toml", &text, &[], &points[5].assignments).unwrap();
        assert_eq!((s.dsp.servers, s.user_gateway.servers), (16, 3));
        assert!(s.sweep.is_none(), "a point's scenario carries no sweep of its own");
    }

    #[test]
    fn nested_keys_and_tables_can_be_swept() {
        let text = format!(
            "{BASE}[sweep.parameters]\n\"csp.north.round_trip\" = [{{ kind = \"constant\", value_s = 3.0 }}]\n"
        );
        let spec = sweep_of(&text);
        let s = point_scenario("s.toml", &text, &[], &spec.points()[0].assignments).unwrap();
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

/// Rollout step functions.
mod rollout_steps {
    use crate::scenario::rollout::{Month, Steps};

    #[test]
    fn steps_hold_until_the_next() {
        let s = Steps(vec![(Month::new(2021, 1), 10.0), (Month::new(2021, 6), 20.0)]);
        assert_eq!(s.at(Month::new(2020, 12)), 0.0);
        assert_eq!(s.at(Month::new(2021, 5)), 10.0);
        assert_eq!(s.at(Month::new(2030, 1)), 20.0);
    }
}

/// Places in the text.
mod places {
    use crate::scenario::document::{parse, span_in};
    use crate::scenario::{LineCol, line_col};

    const TEXT: &str =
        "[scenario]\nname = \"x\"\n\n[csp.north]\nround_trip = { kind = \"lognormal\", median_s = 5.0, p95_s = 2.0 }\n";

    #[test]
    fn finds_nested_inline_values_by_characters() {
        let doc = parse("s.toml", TEXT).unwrap();
        let span = span_in(doc.get_ref(), &["csp", "north", "round_trip", "p95_s"]);
        assert_eq!(&TEXT[span.clone()], "2.0");
        assert_eq!(line_col(TEXT, span.start), LineCol { line: 5, col: 60 });
        assert_eq!(line_col("é = 1\nx", 7), LineCol { line: 2, col: 1 });
    }

    #[test]
    fn finds_values_inside_arrays_of_tables_and_falls_back_to_the_deepest_table() {
        let text = "[[traffic.streams]]\nname = \"a\"\n\n[[traffic.streams]]\nname = \"b\"\nrate_per_s = -1\n";
        let doc = parse("s.toml", text).unwrap();
        let span = span_in(doc.get_ref(), &["traffic", "streams", "1", "rate_per_s"]);
        assert_eq!(&text[span.clone()], "-1");
        let doc = parse("s.toml", TEXT).unwrap();
        let span = span_in(doc.get_ref(), &["csp", "north", "channels_per_cell"]);
        assert_eq!(&TEXT[span], "north");
    }
}

/// `measurement.trt_s_by_srv` replaces the catalogue's target of the SRVs it names,
/// in every mode, and leaves the others alone; a key that is not an SRV, or a value
/// out of range, is placed at its key.
#[test]
fn a_per_srv_target_replaces_the_catalogues_for_that_srv_only() {
    let streams = "[[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nmode = \"on_demand\"\nuser_role = \"IS\"\n\
                   rate_per_s = 1.0\nprofile = \"flat\"\npremises = \"electricity\"\n\
                   [[traffic.streams]]\nname = \"tariffs\"\nsrv = \"1.1.1\"\nmode = \"on_demand\"\nuser_role = \"IS\"\n\
                   rate_per_s = 1.0\nprofile = \"flat\"\npremises = \"electricity\"\n";
    let text = format!("{MINIMAL}{streams}[measurement]\ntrt_s_by_srv = {{ \"4.1.1\" = 12.5 }}\n");
    let s = Scenario::parse("s.toml", &text).unwrap();
    assert_eq!(s.target_response_time(&s.traffic[0]), SimDuration::from_secs_f64(12.5));
    assert_eq!(s.target_response_time(&s.traffic[1]), SimDuration::from_secs(30), "1.1.1 keeps the catalogue's");
    let bad = format!("{MINIMAL}{streams}[measurement]\ntrt_s_by_srv = {{ \"4.1.9\" = 12, \"1.1.1\" = 0 }}\n");
    let err = Scenario::parse("s.toml", &bad).unwrap_err().to_string();
    assert!(err.contains("`measurement.trt_s_by_srv.\"4.1.9\"`: \"4.1.9\" is not a catalogued SRV"), "{err}");
    assert!(err.contains("`measurement.trt_s_by_srv.\"1.1.1\"`: 0 is out of range; allowed: 1 to 2592000"), "{err}");
    assert!(err.contains("s.toml:"), "placed in the file: {err}");
}

/// Downtime windows that cannot be: each refused at its place, saying what is
/// allowed.
#[test]
fn impossible_downtime_windows_are_refused_at_their_place() {
    let window = |body: &str| format!("{MINIMAL}\n[[user_gateway.downtime]]\n{body}\n");
    let cases = [
        ("kind = \"planned\"\nstart_s = 10\nduration_s = 0", (8, 14), "0 is out of range; allowed: 1 to 2678400"),
        ("kind = \"planned\"\nstart_s = 90\nduration_s = 10", (7, 11), "90 is out of range; allowed: 0 to 60"),
        ("kind = \"sometimes\"\nstart_s = 0\nduration_s = 10", (6, 8), "unknown value \"sometimes\""),
        (
            "kind = \"planned\"\nstart_s = 0\nduration_s = 10\nusers = \"wait\"",
            (9, 9),
            "allowed: `hold`, `retry`, `reject`",
        ),
        ("kind = \"planned\"\nstart_s = 0\nduration_s = 30\nevery_s = 20", (5, 1), "shorter than `duration_s` 30"),
    ];
    for (body, at, why) in cases {
        let p = one_problem(&window(body));
        assert_eq!((p.at.line, p.at.col), at, "{body}: {}", p.message);
        assert!(p.message.contains(why), "{body}: {}", p.message);
    }
    // Two windows that overlap: the later one is named, with the earlier.
    let both = format!(
        "{MINIMAL}\n[[user_gateway.downtime]]\nkind = \"planned\"\nstart_s = 0\nduration_s = 30\n\n\
         [[user_gateway.downtime]]\nkind = \"unplanned\"\nstart_s = 20\nduration_s = 5\n"
    );
    let p = one_problem(&both);
    assert!(p.message.starts_with("`user_gateway.downtime.1`"), "{}", p.message);
    assert!(p.message.contains("overlaps the window of entry 0 from 0 s to 30 s"), "{}", p.message);
}

/// CSP outages that cannot be: each refused at its place, saying what is allowed.
#[test]
fn impossible_wan_outages_are_refused_at_their_place() {
    let outage = |body: &str| format!("{MINIMAL}\n[[wan_outages]]\n{body}\n");
    let cases = [
        (
            "region = \"east\"\nstart_s = 0\nduration_s = 10",
            (6, 10),
            "unknown value \"east\"; allowed: `north`, `central`, `south`",
        ),
        ("region = \"north\"\nstart_s = 0\nduration_s = 0", (8, 14), "0 is out of range; allowed: 1 to 2678400"),
        ("region = \"north\"\nstart_s = 61\nduration_s = 10", (7, 11), "61 is out of range; allowed: 0 to 60"),
        (
            "region = \"north\"\nstart_s = 0\nduration_s = 10\ncell_share = 1.5",
            (9, 14),
            "1.5 is out of range; allowed: 0 to 1",
        ),
    ];
    for (body, at, why) in cases {
        let p = one_problem(&outage(body));
        assert_eq!((p.at.line, p.at.col), at, "{body}: {}", p.message);
        assert!(p.message.contains(why), "{body}: {}", p.message);
    }
}

/// Day-of-week and month shapes that cannot be: each refused at its place.
#[test]
fn impossible_traffic_shapes_are_refused_at_their_place() {
    let stream =
        |key: &str| format!("{MINIMAL}[[traffic.streams]]\nname = \"r\"\nsrv = \"4.1.1\"\nrate_per_s = 1.0\n{key}\n");
    let cases = [
        ("day_of_week = \"weekends\"", "unknown shape \"weekends\""),
        ("day_of_week = [1, 2, 3]", "need 7 weights from 0 to 1e9, not all zero"),
        ("month_of_year = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]", "need 12 weights from 0 to 1e9, not all zero"),
        ("month_of_year = 3", "a shape is a name or 12 weights"),
    ];
    for (key, why) in cases {
        let p = one_problem(&stream(key));
        assert_eq!(p.at.line, 8, "{key}: {}", p.message);
        assert!(p.message.contains(why), "{key}: {}", p.message);
    }
}

/// A suspension of a User the study does not have is refused at its `user`.
#[test]
fn a_suspended_user_that_does_not_exist_is_refused_at_its_place() {
    let text = format!("{MINIMAL}\n[[user_suspensions]]\nuser = \"supplier_9\"\nstart_s = 0\nduration_s = 10\n");
    let p = one_problem(&text);
    assert_eq!((p.at.line, p.at.col), (6, 8), "{}", p.message);
    assert!(
        p.message.contains("no DCC User \"supplier_9\" in this study; allowed: supplier_1 to supplier_7"),
        "{}",
        p.message
    );
    let text = format!("{MINIMAL}\n[[user_suspensions]]\nuser = \"ed_NGED\"\nstart_s = 0\nduration_s = 10\n");
    // An Electricity Distributor: numbered after the 7 suppliers, one per DNO group.
    let ed = Scenario::parse("s.toml", &text).unwrap().user_suspensions[0].user_index;
    assert!((7..13).contains(&ed), "{ed}");
}
