//! Migrated SMETS1 meters through the SMETS1 service providers
//! (`[smets1_service]`): their commands never reach a CSP cell, take the
//! providers' time and round trip, are rejected where the providers cannot carry
//! the SRV, and are reported apart from SMETS2.

use models::RunOutput;
use models::TrtSummary;
use models::scenario::{RatePerS, Scenario};
use models::service_request::Outcome;
use sim::{Delay, SimDuration, SimTime};

mod conservation;
use conservation::assert_conserved;

const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

/// The quickstart at 5,000 premises for five minutes, the providers' times fixed.
fn study() -> Scenario {
    let mut s = Scenario::parse("quickstart.toml", QUICKSTART).expect("the shipped quickstart is valid");
    s.premises = 5_000;
    s.horizon = SimTime::from_secs(300);
    s.traffic[0].rate_per_s = Some(RatePerS::new(20.0).unwrap());
    s.smets1_service.service = Delay::Constant { value_s: 1.0 };
    s.smets1_service.round_trip = Delay::Constant { value_s: 20.0 };
    s
}

fn run(s: &Scenario, threads: usize) -> RunOutput {
    models::run(s.clone(), threads, &mut |_| {})
}

#[test]
fn smets1_commands_take_the_providers_path_and_are_reported_apart() {
    let s = study();
    let r = run(&s, 2);
    assert_conserved(&r);
    let (smets1, smets2): (Vec<_>, Vec<_>) = r.rows.requests.iter().partition(|x| x.smets1);
    let share = smets1.len() as f64 / r.rows.requests.len() as f64;
    assert!((0.3..0.45).contains(&share), "{share} of requests to SMETS1 premises, 0.375 expected");
    // Each went once through the providers; the cells carried only SMETS2's.
    assert_eq!(r.measures.stages.smets1_service.arrivals, smets1.len() as u64);
    // The providers' second plus the 20 s round trip, the gateway and the DSP
    // both ways besides: no SMETS1 answer is quicker; SMETS2's mostly are.
    let floor = SimDuration::from_secs(21);
    for x in &smets1 {
        assert_eq!(x.outcome, Outcome::Responded, "{x:?}");
        assert!(x.trt().unwrap() > floor, "{x:?}");
    }
    let quick = smets2.iter().filter(|x| x.trt().is_some_and(|t| t < floor)).count();
    assert!(quick as f64 > 0.9 * smets2.len() as f64, "{quick} of {} SMETS2 answers under 21 s", smets2.len());
    let trt = TrtSummary::new(&r.measures.trt);
    let [two, one] = &trt.by_generation;
    assert_eq!((one.submitted, two.submitted), (smets1.len() as u64, smets2.len() as u64));
    assert!(one.p50_s > 21.0 && two.p50_s < 21.0, "{} {}", one.p50_s, two.p50_s);
    // The same on one thread and four.
    for threads in [1, 4] {
        assert_eq!(TrtSummary::new(&run(&s, threads).measures.trt), trt, "{threads} threads");
    }
}

#[test]
fn an_srv_the_providers_cannot_carry_is_rejected_for_smets1_premises_only() {
    let mut s = study();
    s.smets1_service.unsupported_srvs = vec!["4.1.1".into()];
    let r = run(&s, 2);
    assert_conserved(&r);
    for x in &r.rows.requests {
        let expected = if x.smets1 { Outcome::Rejected } else { Outcome::Responded };
        assert_eq!(x.outcome, expected, "{x:?}");
    }
    assert_eq!(r.measures.stages.smets1_service.arrivals, 0);
}

#[test]
fn without_the_providers_smets1_premises_use_the_csps_cells() {
    let mut s = study();
    s.smets1_service.enabled = false;
    let r = run(&s, 2);
    assert_conserved(&r);
    assert_eq!(r.measures.stages.smets1_service.arrivals, 0);
    let stages: Vec<String> = models::measures::stages::stages(&r).into_iter().map(|(name, _)| name).collect();
    assert!(!stages.contains(&"smets1_service".to_string()), "{stages:?}");
    let with = run(&study(), 2);
    let cells = |r: &RunOutput| r.measures.stages.wan_cells.iter().map(|c| c.arrivals).sum::<u64>();
    assert!(cells(&r) as f64 > 1.4 * cells(&with) as f64, "{} vs {}", cells(&r), cells(&with));
}

#[test]
fn a_smets1_meter_off_supply_answers_nothing_and_the_providers_give_up() {
    let text = format!(
        "{QUICKSTART}\n[[outages.faults]]\nlevel = \"primary\"\narea = \"london\"\nnode = 1\nstart_s = 0.0\nduration_s = 90000.0\n"
    );
    let mut s = Scenario::parse("quickstart.toml", &text).expect("a valid study");
    let base = study();
    (s.premises, s.horizon, s.traffic, s.smets1_service) =
        (20_000, base.horizon, base.traffic.clone(), base.smets1_service.clone());
    let r = run(&s, 2);
    // Every request ends in one record (the visit replay of tests/conservation
    // cannot know which attempts met a premises off supply).
    assert_eq!(r.rows.requests.len() as u64, r.measures.run.submitted);
    let off = |x: &&models::service_request::ServiceRequestRecord| r.world.outages.off_supply(x.premises, x.submitted);
    let dark: Vec<_> = r.rows.requests.iter().filter(|x| x.smets1).filter(off).collect();
    assert!(dark.len() > 20, "{} requests to SMETS1 premises off supply", dark.len());
    let timeout = s.smets1_service.timeout;
    for x in &dark {
        assert_eq!(x.outcome, Outcome::Failed, "{x:?}");
        assert!(x.trt().is_none() && x.responded.unwrap() >= x.submitted + timeout, "{x:?}");
    }
    let lit = r.rows.requests.iter().filter(|x| x.smets1 && !r.world.outages.off_supply(x.premises, x.submitted));
    assert!(lit.clone().all(|x| x.outcome == Outcome::Responded), "the rest are answered");
}
