//! The User Gateway down (`scenarios/dcc_downtime.toml`, run small): nothing is
//! received while a window is open, held requests arrive as the planned window
//! ends, retried ones give up after their last attempt, every request ends once,
//! and the per-window figures are those of the rows.

use models::RunOutput;
use models::measures::downtime::{DowntimeSummary, availability};
use models::scenario::Scenario;
use models::scenario::downtime::WhileDown;
use models::service_request::{Mode, Outcome};
use sim::{SimDuration, SimTime};

mod conservation;
use conservation::assert_conserved;

const DOWNTIME: &str = include_str!("../../scenarios/dcc_downtime.toml");

/// The shipped study at 30,000 premises (a tenth of its scale).
fn study() -> Scenario {
    let mut s = Scenario::parse("dcc_downtime.toml", DOWNTIME).expect("the shipped study is valid");
    s.premises = 30_000;
    s
}

fn run(s: &Scenario, threads: usize) -> RunOutput {
    models::run(s.clone(), threads, &mut |_| {})
}

#[test]
fn nothing_is_received_while_the_gateway_is_down_and_every_request_ends_once() {
    let s = study();
    let r = run(&s, 2);
    assert_conserved(&r);
    let downtime = &s.user_gateway.downtime;
    let windows = downtime.windows();
    assert_eq!(windows.len(), 2);
    let (outage, maintenance) = (windows[0], windows[1]);
    assert_eq!((outage.while_down, maintenance.while_down), (WhileDown::Retry, WhileDown::Hold));
    let mut refusals = 0;
    for rec in &r.rows.requests {
        refusals += u64::from(rec.refusals);
        if rec.mode == Mode::Scheduled {
            assert_eq!((rec.received, rec.refusals), (Some(rec.submitted), 0), "released without the gateway");
            continue;
        }
        if let Some(received) = rec.received {
            assert_eq!(downtime.open_at(received), None, "received while the gateway was down: {rec:?}");
        }
        let sent_in = downtime.open_at(rec.submitted).map(|w| windows[w]);
        match sent_in {
            None => assert_eq!((rec.received, rec.refusals), (Some(rec.submitted), 0)),
            Some(w) if w.while_down == WhileDown::Hold => {
                assert_eq!((rec.received, rec.refusals), (Some(w.end), 0), "held to the window's end");
            }
            Some(w) => match rec.outcome {
                Outcome::Refused => assert_eq!(rec.refusals, s.users.retry.attempts, "gave up after the last"),
                _ => {
                    let received = rec.received.expect("not refused");
                    assert!(received >= w.end && rec.refusals >= 1 && rec.refusals < s.users.retry.attempts);
                }
            },
        }
    }
    let refused = r.rows.requests.iter().filter(|x| x.outcome == Outcome::Refused).count() as u64;
    let g = &r.measures.gateway_downtime;
    assert!(refused > 100, "an unplanned 2 h outage leaves requests that never reach DCC: {refused}");
    assert_eq!((g.refused, g.refused_attempts), (refused, refusals), "the gateway counted every refusal once");
    assert_eq!(r.measures.trt.overall.refused, refused);
    // The planned window holds: its backlog is the requests sent in it, none refused.
    let held = r.rows.requests.iter().filter(|x| x.mode != Mode::Scheduled && downtime.open_at(x.submitted) == Some(1));
    assert_eq!(g.held, held.count() as u64);
}

#[test]
fn each_windows_figures_are_those_of_its_requests() {
    let s = study();
    let r = run(&s, 1);
    let summary = DowntimeSummary::of(&r).expect("the study has windows");
    let downtime = &s.user_gateway.downtime;
    for (w, row) in downtime.windows().iter().zip(&summary.windows) {
        let mine: Vec<_> = r
            .rows
            .requests
            .iter()
            .filter(|x| x.mode != Mode::Scheduled && w.start <= x.submitted && x.submitted < w.end)
            .collect();
        let count = |o: Outcome| mine.iter().filter(|x| x.outcome == o).count() as u64;
        assert_eq!(row.sent, mine.len() as u64);
        assert_eq!(
            (row.refused, row.responded, row.unfinished),
            (count(Outcome::Refused), count(Outcome::Responded), count(Outcome::Unfinished))
        );
        assert_eq!(row.refusals, mine.iter().map(|x| u64::from(x.refusals)).sum::<u64>());
        let last = mine.iter().filter_map(|x| x.received).max().expect("some were received");
        assert_eq!(row.drain_s, Some(last.since(w.end).as_secs_f64()));
        // The hour after: received through the gateway in [end, end + 1 h), judged
        // against target.
        let after: Vec<_> = r
            .rows
            .requests
            .iter()
            .filter(|x| x.received.is_some_and(|t| w.end <= t && t < w.end + SimDuration::from_secs(3_600)))
            .filter(|x| x.outcome != Outcome::Rejected && x.mode != Mode::Scheduled)
            .collect();
        assert_eq!(row.after_received, after.len() as u64);
        let within = after.iter().filter(|x| x.within_target()).count() as f64;
        assert_eq!(row.after_within_target_pct, Some(100.0 * within / after.len() as f64));
    }
    // Held requests all enter at 02:00: the planned window's backlog drains at once,
    // while retries trickle in for up to the longest backoff after the outage.
    assert_eq!(summary.windows[1].drain_s, Some(0.0));
    assert!(summary.windows[0].drain_s.unwrap() > 60.0, "{:?}", summary.windows[0].drain_s);
}

/// PM 2.1 counts the 2 h unplanned outage over the 28 h run, not the 6 h of
/// Planned Maintenance.
#[test]
fn availability_leaves_planned_maintenance_out() {
    let s = study();
    let months = availability(&s.user_gateway.downtime, s.measurement.start_date, s.horizon);
    assert_eq!(months.len(), 1);
    assert_eq!((months[0].minutes, months[0].unplanned_minutes), (28.0 * 60.0, 120.0));
    assert!((months[0].pct() - 100.0 * (1.0 - 120.0 / 1680.0)).abs() < 1e-9);
    // Across a month boundary, each month gets its own minutes.
    let end = SimTime::from_secs(86_400 * 15);
    let across = availability(&s.user_gateway.downtime, s.measurement.start_date, end);
    assert_eq!(across.iter().map(|m| m.month.label()).collect::<Vec<_>>(), ["2026-11", "2026-12"]);
    assert_eq!(across[1].unplanned_minutes, 0.0);
}

/// The same study on 1, 2 and 4 threads: the same rows and the same figures.
#[test]
fn downtime_runs_are_identical_whatever_the_thread_count() {
    let s = study();
    let one = run(&s, 1);
    for threads in [2, 4] {
        let other = run(&s, threads);
        assert_eq!(other.rows.requests, one.rows.requests, "{threads} threads");
        assert_eq!(DowntimeSummary::of(&other), DowntimeSummary::of(&one), "{threads} threads");
    }
}
