//! Tests of outage generation.

use super::*;
use crate::measures::interruptions::InterruptionSummary;
use crate::scenario::Scenario;

fn scenario(extra: &str, premises: u32) -> Scenario {
    let text = format!("[scenario]\nname = \"o\"\nhorizon_s = 172800\n{extra}");
    let mut s = Scenario::parse("o.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    s.premises = premises;
    s
}

fn outages(s: &Scenario) -> (Population, Outages) {
    let pop = Population::new(s);
    let o = Outages::generate(&s.outages, &pop, s.seed);
    (pop, o)
}

const ARWEN: &str = r#"
[[outages.storms]]
areas = ["north_east", "yorkshire", "north_west", "south_scotland", "north_scotland"]
start_s = 54000
span_s = 43200
customers_off = 1000000
"#;

/// The default restoration fit reproduces Storm Arwen's published tail (DOMAIN §3,
/// Ofgem): of more than 1 M customers off, about 40,000 (4%) off for more than 3
/// days and 4,000 (0.4%) for more than a week. The shares are the summary's own
/// ([`InterruptionSummary`], as `summary.json` reports them), at 10% of GB.
#[test]
fn an_arwen_storm_reproduces_ofgems_restoration_tail() {
    let s = scenario(ARWEN, 2_990_000);
    let (pop, o) = outages(&s);
    let summary = InterruptionSummary::of(&o, s.horizon);
    let off = summary.customers_off as f64;
    // 1,000,000 × 2.99 M / 29.9 M = 100,000, passed by at most the last fault drawn.
    assert!((100_000.0..108_000.0).contains(&off), "{off} customers off");
    let share = |days: u64| summary.longer_than(days).and_then(|t| t.share_pct).unwrap_or(0.0) / 100.0;
    let (three_days, week) = (share(3), share(7));
    assert!((0.025..0.055).contains(&three_days), "off > 3 days: {:.2}%", 100.0 * three_days);
    assert!((0.001..0.008).contains(&week), "off > 1 week: {:.2}%", 100.0 * week);
    // Counted by hand from the cuts: each premises once, by its longest interruption.
    let mut longest: Vec<(u32, SimDuration)> = Vec::new();
    for c in o.cuts().iter().filter(|c| c.duration() >= SimDuration::from_secs(180)) {
        match longest.last_mut() {
            Some(last) if last.0 == c.premises => last.1 = last.1.max(c.duration()),
            _ => longest.push((c.premises, c.duration())),
        }
    }
    let week_by_hand = longest.iter().filter(|(_, d)| *d > SimDuration::from_secs(7 * 86_400)).count();
    assert_eq!((longest.len() as u64, week_by_hand as u64), (summary.customers_off, summary.longer_than[2].customers));
    // Only the storm's areas are hit, and the storm is clustered: far fewer faults
    // than premises off.
    let areas = &s.outages.storms[0].areas;
    assert!(o.cuts().iter().all(|c| areas.contains(&pop.area_of(c.premises))));
    assert!(o.faults.len() < 20_000, "{} faults", o.faults.len());
    assert!(o.faults.iter().any(|f| f.level == FaultLevel::Primary));
}

#[test]
fn overlapping_faults_merge_into_one_cut_per_premises() {
    let s = scenario(
        r#"
[[outages.faults]]
level = "secondary"
area = "london"
node = 5
start_s = 1000
duration_s = 600
[[outages.faults]]
level = "primary"
area = "london"
node = 0
start_s = 1300
duration_s = 1200
"#,
        200_000,
    );
    let (pop, o) = outages(&s);
    let secondary = &o.faults[0];
    let primary = &o.faults[1];
    assert_eq!(secondary.level, FaultLevel::Secondary);
    assert!(secondary.premises.start >= primary.premises.start && secondary.premises.end <= primary.premises.end);
    let p = secondary.premises.start;
    let cuts: Vec<&PowerCut> = o.cuts().iter().filter(|c| c.premises == p).collect();
    assert_eq!(cuts.len(), 1, "{cuts:?}");
    assert_eq!((cuts[0].off, cuts[0].on, cuts[0].fault), (SimTime::from_secs(1000), SimTime::from_secs(2500), 0));
    assert!(o.off_supply(p, SimTime::from_secs(2000)));
    assert!(!o.off_supply(p, SimTime::from_secs(2500)));
    assert!(!o.off_supply(primary.premises.end, SimTime::from_secs(2000)));
    assert_eq!(pop.area_of(p), crate::topology::DNO_AREAS.iter().position(|a| a.key == "london").unwrap());
}

#[test]
fn reclose_shots_precede_the_sustained_interruption() {
    let s = scenario(
        "[[outages.faults]]\nlevel = \"feeder\"\narea = \"southern\"\nstart_s = 100\nduration_s = 400\nreclose_shots = 2\n",
        50_000,
    );
    let (_, o) = outages(&s);
    let f = &o.faults[0];
    let secs = SimDuration::from_secs;
    assert_eq!(f.intervals, [(secs(0), secs(20)), (secs(50), secs(70)), (secs(100), secs(500))]);
    assert_eq!(f.restore, SimTime::from_secs(600));
    let p = f.premises.start;
    assert_eq!(o.cuts().iter().filter(|c| c.premises == p).count(), 3);
}
