//! Power outages and alerts: the invariants #4 asks for, end to end.

use models::RunOutput;
use models::alert::{AlertCode, AlertOutcome, Recipient};
use models::population::Fuel;
use models::run;
use models::scenario::{Probability, Scenario, Share};

/// A 20,000-premises network with On Demand reads and `outages` (TOML).
fn scenario(extra: &str) -> Scenario {
    let text = format!(
        r#"
[scenario]
name = "alerts"
horizon_s = 10800
drain_limit_s = 3600
[population]
premises = 20000
[[traffic.streams]]
name = "reads"
srv = "4.1.1"
rate_per_s = 2.0
{extra}
"#
    );
    Scenario::parse("alerts.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn run_quietly(s: &Scenario, threads: usize) -> RunOutput {
    run(s.clone(), threads, &mut |_| {})
}

/// Every copy of every planned alert has exactly one record, and the streamed
/// counts are those of the records.
fn assert_alerts_conserved(r: &RunOutput) {
    let expected: usize = r.world.alert_plan.alerts.iter().map(|a| usize::from(a.copies)).sum();
    assert_eq!(r.rows.alerts.len(), expected);
    let mut ids: Vec<_> = r.rows.alerts.iter().map(|a| (a.alert_id, a.recipient)).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), expected, "no copy has two records");
    let mut counted = models::measures::alerts::AlertCopyCounts::default();
    for a in &r.rows.alerts {
        counted.add(r.world.alert_plan.alerts[a.alert_id as usize].code, a.recipient, a.outcome);
    }
    assert_eq!(counted, r.measures.alerts.copies, "the streamed counts are the records' counts");
    // Per fault, every DNO copy of an AD1 ends in one outcome, and the records agree.
    let reports = models::measures::alerts::fault_reports(r);
    let mut per_fault = vec![[0u64; AlertOutcome::ALL.len()]; reports.len()];
    for a in &r.rows.alerts {
        let planned = &r.world.alert_plan.alerts[a.alert_id as usize];
        if planned.code == AlertCode::PowerOutage && a.recipient == Recipient::ElectricityDistributor {
            per_fault[planned.fault as usize][AlertOutcome::ALL.iter().position(|&o| o == a.outcome).unwrap()] += 1;
        }
    }
    for (f, report) in reports.iter().enumerate() {
        assert_eq!(report.dno_copies, per_fault[f], "fault {f}");
        let parts = report.at_dno() + report.suppressed() + report.lost() + report.unfinished();
        assert_eq!(parts, report.ad1_raised, "fault {f}: every AD1's DNO copy in exactly one group");
    }
    for rec in &r.rows.alerts {
        let planned = &r.world.alert_plan.alerts[rec.alert_id as usize];
        assert_eq!(rec.delivered.is_some(), rec.outcome == AlertOutcome::Delivered, "{rec:?}");
        if let Some(at) = rec.delivered {
            assert!(at >= planned.raised);
        }
    }
}

const LONG_FAULT: &str = r#"
[[outages.faults]]
level = "primary"
area = "north_east"
node = 3
start_s = 600
duration_s = 3600
"#;

#[test]
fn one_ad1_per_esme_powered_hub_with_wan_when_nothing_is_throttled_or_lost() {
    let mut s = scenario(LONG_FAULT);
    for csp in &mut s.csp {
        csp.loss_probability = Probability::new(0.0).unwrap();
    }
    let r = run_quietly(&s, 2);
    assert_alerts_conserved(&r);
    let fault = &r.world.outages.faults[0];
    assert!(fault.premises_affected > 100, "{fault:?}");
    let pop = models::population::Population::new(&s);
    let expected: Vec<u32> =
        fault.premises.clone().filter(|&p| pop.kind(p).has_electricity() && pop.kind(p).covered()).collect();
    let mut delivered: Vec<u32> = r
        .rows
        .alerts
        .iter()
        .filter(|a| a.recipient == Recipient::ElectricityDistributor && a.outcome == AlertOutcome::Delivered)
        .map(|a| &r.world.alert_plan.alerts[a.alert_id as usize])
        .filter(|a| a.code == AlertCode::PowerOutage)
        .map(|a| a.premises)
        .collect();
    delivered.sort_unstable();
    assert_eq!(delivered, expected, "exactly one AD1 per affected ESME-powered hub with WAN");
    // Every one of them also reports the restoration.
    let restored = r
        .rows
        .alerts
        .iter()
        .filter(|a| a.outcome == AlertOutcome::Delivered)
        .filter(|a| r.world.alert_plan.alerts[a.alert_id as usize].code == AlertCode::SupplyRestored)
        .count();
    assert_eq!(restored, expected.len());
    // Hubs without WAN raised theirs but could not send them.
    let no_wan = r.rows.alerts.iter().filter(|a| a.outcome == AlertOutcome::NoWan).count();
    let uncovered = fault.premises.clone().filter(|&p| pop.kind(p).has_electricity() && !pop.kind(p).covered()).count();
    assert_eq!(no_wan, 2 * uncovered);
}

#[test]
fn no_ad1_for_an_interruption_of_three_minutes_or_less() {
    let r = run_quietly(
        &scenario(
            r#"
[[outages.faults]]
level = "primary"
area = "london"
start_s = 600
duration_s = 180
reclose_shots = 3
[[outages.faults]]
level = "primary"
area = "yorkshire"
start_s = 900
duration_s = 90
"#,
        ),
        1,
    );
    assert!(r.world.outages.faults.iter().all(|f| f.premises_affected > 0));
    assert!(r.world.outages.cuts().len() > 100);
    assert!(
        r.world.alert_plan.alerts.iter().all(|a| a.code != AlertCode::PowerOutage),
        "an interruption of exactly 3 minutes raises no AD1"
    );
    // Exactly 3 minutes is "3 minutes or more": the restoration alert is sent.
    assert!(r.world.alert_plan.alerts.iter().any(|a| a.code == AlertCode::SupplyRestored));
    assert_alerts_conserved(&r);
}

#[test]
fn gas_only_premises_never_alert_the_dno() {
    let mut s = scenario(LONG_FAULT);
    s.population.mix.gas_only = Share::new(0.3).unwrap();
    s.population.mix.electricity_only = Share::new(0.1).unwrap();
    let r = run_quietly(&s, 1);
    let pop = models::population::Population::new(&s);
    let gas_only_affected =
        r.world.outages.faults[0].premises.clone().filter(|&p| pop.kind(p).fuel() == Fuel::GasOnly).count();
    assert!(gas_only_affected > 20, "{gas_only_affected}");
    assert!(r.world.alert_plan.alerts.iter().all(|a| pop.kind(a.premises).fuel() != Fuel::GasOnly));
}

#[test]
fn storm_protection_conserves_counts() {
    // A firmware campaign activating three times, 60 s apart, on every ESME, with a
    // threshold of 2: the third AD1 of each hub is discarded.
    let s = scenario(
        r#"
[[outages.firmware_campaigns]]
start_s = 600
span_s = 1800
esme_share = 0.2
power_cut = { kind = "constant", value_s = 200 }
activations = 3
retry_gap_s = 400
[alerts.storm_protection]
threshold = 2
window_s = 3600
period_s = 7200
"#,
    );
    let r = run_quietly(&s, 2);
    assert_alerts_conserved(&r);
    let reached_dsp = |code| {
        r.rows
            .alerts
            .iter()
            .filter(|a| a.recipient == Recipient::ElectricityDistributor)
            .filter(|a| r.world.alert_plan.alerts[a.alert_id as usize].code == code)
            .filter(|a| matches!(a.outcome, AlertOutcome::Delivered | AlertOutcome::Discarded))
            .collect::<Vec<_>>()
    };
    let ad1 = reached_dsp(AlertCode::PowerOutage);
    let discarded = ad1.iter().filter(|a| a.outcome == AlertOutcome::Discarded).count() as u64;
    let forwarded = ad1.iter().filter(|a| a.outcome == AlertOutcome::Delivered).count() as u64;
    assert!(discarded > 500, "{discarded}");
    let carried: u64 =
        ad1.iter().filter(|a| a.outcome == AlertOutcome::Delivered).map(|a| u64::from(a.throttled_count)).sum();
    // Forwarded + discarded = raised (that reached DCC); no later copy fell inside
    // the run to carry the counts, as the period outlasts it.
    assert_eq!(forwarded + discarded, ad1.len() as u64);
    assert_eq!(forwarded, 2 * discarded, "two pass per hub, the third is discarded");
    assert_eq!(carried, 0);
}

#[test]
fn every_alert_ends_in_one_outcome_and_runs_do_not_depend_on_threads() {
    let s = scenario(
        r#"
[[outages.storms]]
areas = ["north_east", "yorkshire"]
start_s = 300
span_s = 3600
customers_off = 300000
[alerts]
supplier_opt_in = true
[alerts.csp]
policy = "aggregate"
"#,
    );
    let a = run_quietly(&s, 1);
    let b = run_quietly(&s, 2);
    assert_alerts_conserved(&a);
    assert_eq!(a.rows.alerts, b.rows.alerts);
    assert_eq!(a.rows.requests, b.rows.requests);
    assert!(a.rows.alerts.iter().any(|x| x.aggregated), "a storm fills windows beyond 50 hubs");
    assert!(a.rows.alerts.iter().any(|x| x.outcome == AlertOutcome::NotForwarded));
    let outcomes: Vec<AlertOutcome> =
        AlertOutcome::ALL.into_iter().filter(|o| a.rows.alerts.iter().any(|x| x.outcome == *o)).collect();
    assert!(outcomes.contains(&AlertOutcome::Delivered));
}

#[test]
fn routine_device_alerts_follow_the_meters_and_all_are_accounted_for() {
    let s = scenario("[alerts]\ndevice_alerts_per_meter_per_day = 40\n");
    let a = run_quietly(&s, 1);
    let b = run_quietly(&s, 2);
    let d = &a.measures.device_alerts;
    assert_eq!(
        (d.raised, d.delivered, d.failed),
        (b.measures.device_alerts.raised, b.measures.device_alerts.delivered, b.measures.device_alerts.failed)
    );
    let pop = models::population::Population::new(&s);
    let meters: u64 = (0..pop.premises()).map(|p| if pop.kind(p).fuel() == Fuel::DualFuel { 2 } else { 1 }).sum();
    // Three hours of 40 a day per meter: a Poisson count; allow four standard deviations.
    let expected = meters as f64 * 40.0 * 3.0 / 24.0;
    assert!((d.raised as f64 - expected).abs() < 4.0 * expected.sqrt(), "{} raised, {expected} expected", d.raised);
    // Raised = delivered + failed + unfinished; an hour of drain leaves none open.
    assert_eq!(d.unfinished(), 0);
    assert_eq!(d.delivered + d.failed, d.raised);
    // About 1% loss and two retries: (0.01)^3 of them fail.
    assert!(d.failed < d.raised / 10_000 + 5, "{} failed", d.failed);
    assert_eq!(d.latency.count(), d.delivered);
    let by_day: u64 = d.by_day.iter().map(|x| x.0).sum();
    assert_eq!(by_day, d.raised, "every ended alert is counted for CPM3");
    // They share the cells and the DSP with Service Requests: without losses, each
    // is one message on its cell and one piece of DSP work, beside exactly the
    // requests' own (their losses are drawn per request, whatever else is on the air).
    let lossless = |extra: &str| {
        let mut s = scenario(extra);
        for csp in &mut s.csp {
            csp.loss_probability = Probability::new(0.0).unwrap();
        }
        run_quietly(&s, 1)
    };
    let (busy, quiet) = (lossless("[alerts]\ndevice_alerts_per_meter_per_day = 40\n"), lossless(""));
    let d = &busy.measures.device_alerts;
    assert_eq!((d.delivered, d.failed), (d.raised, 0), "nothing is lost");
    let outcomes = |r: &RunOutput| {
        let mut o: Vec<_> = r.rows.requests.iter().map(|x| (x.sr_id, x.outcome)).collect();
        o.sort_unstable_by_key(|x| x.0);
        o
    };
    assert!(outcomes(&busy) == outcomes(&quiet), "the same requests, with the same outcomes");
    assert_eq!(busy.measures.stages.dsp.arrivals, quiet.measures.stages.dsp.arrivals + d.delivered);
    let cells = |r: &RunOutput| r.measures.stages.wan_cells.iter().map(|c| c.arrivals).sum::<u64>();
    assert_eq!(cells(&busy), cells(&quiet) + d.raised);
}
