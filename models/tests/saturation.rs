//! The stage that saturates first (`summary.saturation`): its busiest bucket's
//! utilisation grows in proportion to the load, as the load multiple it reports
//! assumes.

use models::measures::summary::RunSummary;
use models::scenario::{RatePerS, Scenario};
use sim::SimTime;

const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

fn saturation(rate_per_s: f64) -> models::measures::stages::Saturation {
    let mut s = Scenario::parse("quickstart.toml", QUICKSTART).expect("the shipped quickstart is valid");
    s.premises = 5_000;
    s.horizon = SimTime::from_secs(1_200);
    s.traffic[0].rate_per_s = Some(RatePerS::new(rate_per_s).unwrap());
    let r = models::run(s.clone(), 2, &mut |_| {});
    RunSummary::new(&s, &r).saturation.expect("some stage worked")
}

#[test]
fn the_busiest_stage_fills_in_proportion_to_the_load() {
    let one = saturation(15.0);
    let more = saturation(22.5);
    assert_eq!((one.stage.as_str(), more.stage.as_str()), ("dsp", "dsp"), "the quickstart's DSP is the busiest");
    assert!((one.load_multiple - 100.0 / one.peak_utilisation_pct).abs() < 1e-12);
    assert_eq!(one.bucket_s, 60.0);
    // Half as much load again: the peak bucket about half as busy again (Poisson
    // arrivals move a one-minute peak by a few per cent).
    let ratio = more.peak_utilisation_pct / one.peak_utilisation_pct;
    assert!((1.35..1.65).contains(&ratio), "{} % then {} %", one.peak_utilisation_pct, more.peak_utilisation_pct);
    assert!(one.load_multiple > 1.0 && more.load_multiple < one.load_multiple);
}
