//! `check`: validation with the overrides `run` takes, and the memory estimate.

use super::{SMALL, Sandbox, stdout};

/// The estimated peak memory `check` prints, GiB.
fn estimate_gib(out: &str) -> f64 {
    let after = out.split("estimated peak memory ").nth(1).unwrap_or_else(|| panic!("no estimate in {out}"));
    after.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn check_takes_runs_scale_and_seed_and_prints_the_memory_estimate() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let s = scenario.to_str().unwrap();
    let small = stdout(&sb.dccsim(&["check", s]));
    assert!(small.contains(": ok (") && small.contains("seed 1;"), "{small}");
    let gb = stdout(&sb.dccsim(&["check", s, "--scale", "1.0", "--seed", "9"]));
    assert!(gb.contains("29900000 premises") && gb.contains("seed 9;"), "{gb}");
    assert!(estimate_gib(&gb) > 2.0 * estimate_gib(&small), "{small}\n{gb}");
    let bad = sb.dccsim(&["check", s, "--scale", "7"]);
    assert_eq!(bad.status.code(), Some(2), "a scale out of range is bad input");
}

#[test]
fn check_warns_of_a_stage_the_busiest_hour_overloads() {
    let sb = Sandbox::new();
    let arwen = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/storm_arwen.toml");
    let as_shipped = sb.dccsim(&["check", arwen]);
    assert!(as_shipped.status.success() && !super::stderr(&as_shipped).contains("warning"));
    // Ten times the traffic on capacities sized for a tenth of GB.
    let scaled = sb.dccsim(&["check", arwen, "--scale", "1.0"]);
    assert!(scaled.status.success(), "a warning, not an error");
    let err = super::stderr(&scaled);
    assert!(
        err.contains("warning: storm_arwen: the busiest hour offers the dsp") && err.contains("times the work"),
        "{err}"
    );
}
