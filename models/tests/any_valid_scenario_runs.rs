//! What `check` accepts, `run` completes: scenarios generated from the key
//! registry, each numeric key set to a value drawn from its allowed range, are
//! loaded as the command line loads them and, when valid, run at a tiny scale.
//! None may panic, and every request must still end in exactly one record.

use models::scenario::Set;
use models::scenario::keys::{Range, tables};
use models::study::{Overrides, Study};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError};

/// A tiny study touching every part of the model: Service Requests, a fault, a
/// storm and a firmware campaign with their alerts, routine device alerts, the
/// User Gateway down, a CSP outage, a User suspended and an attack against an
/// anomaly threshold.
const BASE: &str = r#"
[scenario]
name = "tiny"
horizon_s = 600.0
drain_limit_s = 600.0

[population]
premises = 400

[[traffic.streams]]
name = "reads"
srv = "4.1.1"
rate_per_s = 0.5

[[outages.faults]]
level = "feeder"
area = "london"
node = 1
start_s = 10.0
duration_s = 300.0

[[outages.storms]]
areas = ["north_east"]
start_s = 20.0
span_s = 200.0
customers_off = 500000.0

[[outages.firmware_campaigns]]
start_s = 30.0
span_s = 100.0
esme_share = 0.1
power_cut = { kind = "constant", value_s = 200.0 }

[alerts]
device_alerts_per_meter_per_day = 20.0

[[user_gateway.downtime]]
kind = "unplanned"
start_s = 100.0
duration_s = 60.0

[[wan_outages]]
region = "north"
start_s = 50.0
duration_s = 100.0

[[user_suspensions]]
user = "supplier_1"
start_s = 60.0
duration_s = 100.0

[[traffic.streams]]
name = "attack"
srv = "7.2"
user = "supplier_2"
attack = true
rate_per_s = 0.5
start_s = 100.0

[[anomaly_thresholds]]
srv = "7.2"
max_per_window = 5
window_s = 300.0
confirm_s = 60.0
"#;

/// Keys whose values scale the work of a run (its length, its population, its
/// volumes) rather than its logic: drawn over their whole range they would make
/// a test case run for hours. Everything else is drawn over its whole range.
const SCALE_KEYS: &[&str] = &[
    "scenario.horizon_s",
    "scenario.drain_limit_s",
    "population.premises",
    "population.scale",
    "traffic.streams.0.rate_per_s",
    "traffic.streams.0.per_premises_per_day",
    "alerts.device_alerts_per_meter_per_day",
    "partitions.per_csp_region",
    "dsp.shards",
    "sweep.replications",
];

/// Every registry key of a network (or rollout) study with a numeric range, as the
/// dotted path to set in its base study.
fn numeric_keys(rollout: bool) -> Vec<(String, f64, f64)> {
    let mut keys = Vec::new();
    for table in tables().filter(|t| t.is_rollout() == rollout) {
        let paths: Vec<String> = match table.path {
            "csp.*" => ["north", "central", "south", "mesh", "lte"].iter().map(|n| format!("csp.{n}")).collect(),
            p if table.heading.starts_with("### `[[") => vec![format!("{p}.0")],
            p => vec![p.to_string()],
        };
        for path in paths {
            for key in table.keys {
                if let Range::Num(lo, hi) = key.range {
                    let dotted = format!("{path}.{}", key.name);
                    if !SCALE_KEYS.contains(&dotted.as_str()) && !key.name.contains("[]") && dotted != "rollout.scale" {
                        keys.push((dotted, lo, hi));
                    }
                }
            }
        }
    }
    keys
}

fn value(lo: f64, hi: f64, u: f64, whole: bool) -> String {
    let v = lo + (hi - lo) * u;
    if whole { format!("{}", v.round()) } else { format!("{v}") }
}

#[test]
fn the_registry_yields_keys_from_every_part_of_the_model() {
    let keys = numeric_keys(false);
    for part in ["population.", "dsp.", "csp.north.", "outages.faults.0.", "outages.storms.0.", "alerts."] {
        assert!(keys.iter().any(|(k, ..)| k.starts_with(part)), "no numeric key under {part}");
    }
}

/// Runs `cases` generated studies: `base` with the `fixed` values, then up to four
/// of `keys`, each anywhere in its allowed range (the ends included), whole
/// numbers where the key counts things, with any seed. `check` gets every study
/// that loads (a combination breaking a relation between keys is refused, as
/// `check` would refuse it) and says whether it ran it. Fails if fewer than half
/// the draws ran: the test must run studies, not only refuse them.
fn for_generated_studies(
    base: &str,
    keys: &[(String, f64, f64)],
    fixed: &[&str],
    cases: u32,
    check: impl Fn(Study, &[Set]) -> Result<bool, TestCaseError>,
) {
    let pick = (any::<prop::sample::Index>(), 0.0f64..=1.0, any::<bool>(), any::<bool>());
    let strategy = (proptest::collection::vec(pick, 1..=4), any::<u64>());
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let (tried, ran) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let result = runner.run(&strategy, |(picks, seed)| {
        let mut sets: Vec<Set> = fixed.iter().map(|f| Set::parse(f).expect("a well-formed --set")).collect();
        for (index, u, whole, at_an_end) in picks {
            let (key, lo, hi) = &keys[index.index(keys.len())];
            let u = if at_an_end { u.round() } else { u };
            sets.push(Set::parse(&format!("{key}={}", value(*lo, *hi, u, whole))).expect("a well-formed --set"));
        }
        let overrides = Overrides { sets: sets.clone(), seed: Some(seed), scale: None };
        tried.set(tried.get() + 1);
        if let Ok(study) = Study::parse("generated.toml", base.to_string(), &overrides)
            && check(study, &sets)?
        {
            ran.set(ran.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (tried, ran) = (tried.get(), ran.get());
    assert!(ran * 2 > tried, "only {ran} of {tried} generated studies were valid");
}

/// Any network study the registry's ranges allow runs to the end, one record per
/// request.
#[test]
fn any_scenario_check_accepts_runs_to_the_end() {
    for_generated_studies(BASE, &numeric_keys(false), &[], 256, |study, sets| {
        let Study::Network { scenario, .. } = study else { return Ok(false) };
        let r = models::run(*scenario, 2, &mut |_| {});
        prop_assert_eq!(r.rows.requests.len() as u64, r.measures.run.submitted, "{:?}", sets);
        Ok(true)
    });
}

#[test]
fn the_base_study_is_valid_and_exercises_requests_and_alerts() {
    let study = Study::parse("tiny.toml", BASE.to_string(), &Overrides::default()).unwrap_or_else(|e| panic!("{e}"));
    let Study::Network { scenario, .. } = study else { panic!("a network study") };
    let r = models::run(*scenario, 2, &mut |_| {});
    assert!(r.measures.run.submitted > 100, "{}", r.measures.run.submitted);
    assert!(!r.rows.alerts.is_empty(), "the outages raise alerts");
}

/// The same for rollout studies: the shipped history at 1% of GB, with up to four
/// rollout keys anywhere in their ranges. Every accepted study runs through every
/// month, with a row per cell and month.
#[test]
fn any_rollout_study_check_accepts_runs_to_the_end() {
    let keys = numeric_keys(true);
    assert!(keys.iter().any(|(k, ..)| k.starts_with("rollout.hubs.")), "{keys:?}");
    let base = include_str!("../../scenarios/rollout_history.toml");
    for_generated_studies(base, &keys, &["rollout.scale=0.01"], 128, |study, sets| {
        let Study::Rollout { scenario, .. } = study else { return Ok(false) };
        let r = models::rollout::run(&scenario, 2);
        prop_assert_eq!(r.rows.len(), r.cells.len(), "{:?}", sets);
        prop_assert!(r.rows.iter().all(|cell| cell.len() == r.months.len()), "{:?}", sets);
        Ok(true)
    });
}
