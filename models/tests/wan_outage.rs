//! A CSP regional outage (`scenarios/csp_outage.toml`, run small): nothing crosses
//! a cell while it is down, commands the CSP holds longer than it will are failed,
//! the rest are answered after the cells return, the other regions carry on, and
//! the per-outage figures are those of the rows.

use models::RunOutput;
use models::measures::wan_outage::WanOutageSummary;
use models::region::CspRegion;
use models::scenario::Scenario;
use models::service_request::Outcome;
use sim::SimDuration;

mod conservation;
use conservation::assert_conserved;

const OUTAGE: &str = include_str!("../../scenarios/csp_outage.toml");

/// The shipped study at 30,000 premises (a tenth of its scale).
fn study() -> Scenario {
    let mut s = Scenario::parse("csp_outage.toml", OUTAGE).expect("the shipped study is valid");
    s.premises = 30_000;
    s
}

fn run(s: &Scenario, threads: usize) -> RunOutput {
    models::run(s.clone(), threads, &mut |_| {})
}

#[test]
fn a_region_off_the_air_fails_what_the_csp_will_not_hold_and_answers_the_rest_after() {
    let s = study();
    let r = run(&s, 2);
    assert_conserved(&r);
    let central = &s.wan_outages.specs[0];
    assert_eq!(central.region, CspRegion::Central);
    let (start, end, hold) = (central.start, central.end(), central.command_hold);
    let (smets1, during): (Vec<_>, Vec<_>) = r
        .rows
        .requests
        .iter()
        .filter(|x| x.region == CspRegion::Central && start <= x.submitted && x.submitted < end)
        .filter(|x| !matches!(x.outcome, Outcome::Rejected | Outcome::Refused))
        .partition(|x| x.smets1);
    // SMETS1 premises are reached through their own providers, not the CSP's
    // cells: the outage does not touch them.
    assert!(smets1.len() > 300, "{} requests to Central's SMETS1 premises", smets1.len());
    assert!(smets1.iter().all(|x| x.outcome == Outcome::Responded && x.trt().unwrap() < hold), "{smets1:?}");
    assert!(during.len() > 500, "{} requests to Central in the outage", during.len());
    // Both legs cross the cell: nothing sent in the outage is answered before it ends.
    for x in during.iter().filter(|x| x.outcome == Outcome::Responded) {
        assert!(x.responded.unwrap() >= end, "answered at {:?} while the cells were down", x.responded);
    }
    // Sent well before the last hour, the command reaches the CSP while the cells
    // have longer to stay down than it will hold it: failed, after the hold.
    let margin = SimDuration::from_secs(600);
    for x in during.iter().filter(|x| x.submitted + hold + margin < end) {
        assert_eq!(x.outcome, Outcome::Failed, "{x:?}");
        assert!(x.responded.unwrap() >= x.submitted + hold, "failed before the CSP's hold ran out: {x:?}");
    }
    let failed = during.iter().filter(|x| x.outcome == Outcome::Failed).count() as u64;
    let late = during.iter().filter(|x| x.outcome == Outcome::Responded).count();
    assert!(failed > 200 && late > 50, "{failed} failed, {late} answered late");
    assert!(r.measures.wan_held.commands_given_up >= failed - 5, "{:?}", r.measures.wan_held);
    // The other regions carry on.
    let summary = WanOutageSummary::of(&r).expect("the study has outages");
    let elsewhere = summary.outages[0].elsewhere_within_target_pct.unwrap();
    assert!(elsewhere > 95.0, "{elsewhere} % within target elsewhere");
    assert_eq!(summary.outages[0].in_region.failed, failed);
}

/// A third of the North's cells down for an hour: some of the region's requests
/// sent then wait for the hour's end, the rest are answered at once.
#[test]
fn a_partial_outage_holds_only_its_share_of_the_cells() {
    let s = study();
    let r = run(&s, 1);
    // Of the SMETS2 premises' requests (SMETS1 ones do not use the cells):
    let north = &s.wan_outages.specs[1];
    let sent: Vec<_> = r
        .rows
        .requests
        .iter()
        .filter(|x| x.region == CspRegion::North && !x.smets1)
        .filter(|x| north.start <= x.submitted && x.submitted < north.end())
        .filter(|x| x.outcome == Outcome::Responded && x.submitted + SimDuration::from_secs(600) < north.end())
        .collect();
    let waited = sent.iter().filter(|x| x.responded.unwrap() >= north.end()).count() as f64;
    let share = waited / sent.len() as f64;
    assert!((0.2..0.45).contains(&share), "{share} of the North's requests waited for their cell");
}

/// The figures per outage are those of the rows, and the same on 1, 2 and 4 threads.
#[test]
fn outage_figures_are_the_rows_and_the_same_whatever_the_thread_count() {
    let s = study();
    let one = run(&s, 1);
    let summary = WanOutageSummary::of(&one).unwrap();
    for (o, row) in s.wan_outages.specs.iter().zip(&summary.outages) {
        let sent = one.rows.requests.iter().filter(|x| o.start <= x.submitted && x.submitted < o.end());
        let (mine, other): (Vec<_>, Vec<_>) = sent.partition(|x| x.region == o.region);
        assert_eq!((row.in_region.sent, row.elsewhere.sent), (mine.len() as u64, other.len() as u64));
        let failed = mine.iter().filter(|x| x.outcome == Outcome::Failed).count() as u64;
        assert_eq!(row.in_region.failed, failed);
        let last = mine.iter().filter(|x| x.outcome == Outcome::Responded).filter_map(|x| x.responded).max();
        assert_eq!(row.answered_by_s, last.map(|t| t.as_secs_f64() - o.end().as_secs_f64()));
    }
    for threads in [2, 4] {
        let other = run(&s, threads);
        assert_eq!(other.rows.requests, one.rows.requests, "{threads} threads");
        assert_eq!(WanOutageSummary::of(&other), Some(summary.clone()), "{threads} threads");
    }
}
