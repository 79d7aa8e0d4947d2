//! What Users send: every catalogued Service Request can be sent, and traffic
//! follows its shapes by hour, day of the week and month.

use models::scenario::Scenario;
use models::service_request::Outcome;
use sim::SimDuration;

mod conservation;
use conservation::assert_conserved;

fn with_streams(premises: u32, horizon_s: u64, streams: &str) -> Scenario {
    let text =
        format!("[scenario]\nname = \"t\"\nhorizon_s = {horizon_s}\n[population]\npremises = {premises}\n{streams}");
    Scenario::parse("t.toml", &text).expect("a valid test scenario")
}

fn run_quietly(s: &Scenario, threads: usize) -> models::RunOutput {
    models::run(s.clone(), threads, &mut |_| {})
}

/// Two weeks from Monday 24 August 2026 with working-day and month shapes: each
/// day's submissions follow its weekday's weight (the bank holiday on 31 August
/// takes Sunday's) times its month's (September twice August).
#[test]
fn day_of_week_and_month_shapes_set_each_days_volume() {
    let stream = "[[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nrate_per_s = 0.1\n\
                  day_of_week = \"working_days\"\nmonth_of_year = [1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1]\n";
    let mut s = with_streams(5_000, 14 * 86_400, stream);
    s.measurement.start_date = models::calendar::Date::parse("2026-08-24").unwrap();
    let r = run_quietly(&s, 2);
    let mut per_day = [0f64; 14];
    for rec in &r.rows.requests {
        per_day[(rec.submitted.as_secs_f64() / 86_400.0) as usize] += 1.0;
    }
    let week = [1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.3].map(|w| w * 7.0 / 5.7);
    let (august, september) = (12.0 / 13.0, 24.0 / 13.0);
    for (d, &n) in per_day.iter().enumerate() {
        let weekday = if d == 7 { 6 } else { d % 7 }; // 31 August: the Summer bank holiday
        let month = if d < 8 { august } else { september };
        let expected = 0.1 * 86_400.0 * week[weekday] * month;
        assert!((n - expected).abs() < 5.0 * expected.sqrt(), "day {d}: {n} vs {expected}");
    }
    assert!(per_day[1] > 3.0 * per_day[6], "a Tuesday carries over three times a Sunday");
}

/// Every catalogued SRV can be sent from a scenario in some mode: the 16 non-device
/// ones (inventory, schedules, SMKI, hub status) On Demand, answered by the DSP
/// with no device to reach.
#[test]
fn every_catalogued_srv_can_be_sent_and_non_device_ones_never_reach_the_wan() {
    let catalogue = models::catalogue::Catalogue::builtin();
    let mut text = String::new();
    for e in catalogue.entries() {
        let mode = if e.on_demand || e.non_device {
            "on_demand"
        } else if e.dcc_scheduled {
            "scheduled"
        } else {
            "future_dated"
        };
        let role = e.roles.first().map_or("IS".to_string(), |r| r.code().to_string());
        text += &format!(
            "[[traffic.streams]]\nname = \"s{}\"\nsrv = \"{}\"\nmode = \"{mode}\"\nuser_role = \"{role}\"\nrate_per_s = 0.2\npremises = \"any\"\n",
            e.srv.replace('.', "_"),
            e.srv
        );
    }
    let s = with_streams(2_000, 120, &text);
    assert_eq!(s.traffic.len(), catalogue.entries().len(), "a stream of every SRV validates");
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    let non_device: Vec<_> =
        r.rows.requests.iter().filter(|x| x.srv != "11.1" && catalogue.get(x.srv).unwrap().non_device).collect();
    assert!(non_device.len() > 100, "{}", non_device.len());
    for x in non_device.iter().filter(|x| x.outcome == Outcome::Responded) {
        // The gateway and the DSP's processing only: seconds, never a WAN round trip.
        assert!(x.trt().unwrap() < SimDuration::from_secs(20), "{x:?}");
    }
}

/// An hour of Future Dated `srv` requests, one a second, each due 20 to 100 minutes
/// after it is sent, in a run that drains for 30 minutes (all premises SMETS2, so
/// that a device-pattern SRV is held by the device): conserved.
fn due_past_the_end(srv: &str) -> (Scenario, models::RunOutput) {
    let stream = format!(
        "[[traffic.streams]]\nname = \"fd\"\nsrv = \"{srv}\"\nmode = \"future_dated\"\nrate_per_s = 1\n\
         lead_time = {{ kind = \"uniform\", min_s = 1200, max_s = 6000 }}\n"
    );
    let mut s = with_streams(5_000, 3_600, &stream);
    s.drain_limit = SimDuration::from_secs(1_800);
    s.smets1_service.enabled = false;
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    (s, r)
}

/// Future Dated reads sent over an hour for execution 20 to 100 minutes later, in a
/// run whose drain ends 30 minutes after the horizon: those due after the end are
/// `not_yet_due` and never judged, every other one is; the TRT figures and CPM2
/// leave them out.
#[test]
fn future_dated_requests_due_after_the_end_are_not_yet_due() {
    let (s, r) = due_past_the_end("4.1.1");
    let end = r.measures.run.end;
    let (late, due): (Vec<_>, Vec<_>) = r.rows.requests.iter().partition(|x| x.execution.unwrap() >= end);
    assert!(late.len() > 500 && due.len() > 1_500, "{} not yet due, {} due", late.len(), due.len());
    assert!(late.iter().all(|x| x.outcome == Outcome::NotYetDue && x.responded.is_none()));
    // Those due are judged: answered, failed on the WAN, or, due in the last
    // minutes, still on their way.
    for x in &due {
        let near_end = x.execution.unwrap() + SimDuration::from_secs(300) > end;
        assert!(matches!(x.outcome, Outcome::Responded | Outcome::Failed) || near_end, "{x:?}");
    }
    let overall = models::TrtSummary::new(&r.measures.trt).overall;
    assert_eq!(overall.not_yet_due, late.len() as u64);
    assert!(overall.responded as f64 > 0.97 * due.len() as f64, "{overall:?}");
    let within = due.iter().filter(|x| x.within_target()).count();
    assert_eq!(overall.pct_within_target(), Some(100.0 * within as f64 / due.len() as f64));
    let cpm2: u64 = r
        .measures
        .cpm
        .clone()
        .measures(s.measurement.service_levels())
        .iter()
        .filter(|m| m.measure == "CPM2" && m.period == "run")
        .map(|m| m.counted)
        .sum();
    assert_eq!(cpm2, due.len() as u64, "CPM2 counts only the requests due");
}

/// Future Dated tariff updates (1.1.1, device pattern) and reads (4.1.1, DSP
/// pattern), due 10 to 20 minutes after they are sent: the device holds a tariff
/// update and answers at its execution, so its TRT, from the execution date-time,
/// has no DSP processing or downlink in it, against 2 h (CSP RTT3); the DSP holds
/// a read and sends it at its execution, against 30 s.
#[test]
fn the_device_holds_device_pattern_future_dated_commands() {
    let stream = |name: &str, srv: &str| {
        format!(
            "[[traffic.streams]]\nname = \"{name}\"\nsrv = \"{srv}\"\nmode = \"future_dated\"\nrate_per_s = 0.5\n\
             lead_time = {{ kind = \"uniform\", min_s = 600, max_s = 1200 }}\n"
        )
    };
    let mut s = with_streams(5_000, 3_600, &(stream("tariffs", "1.1.1") + &stream("reads", "4.1.1")));
    s.smets1_service.enabled = false;
    let r = run_quietly(&s, 2);
    assert_conserved(&r);
    let trts = |srv: &str| -> Vec<f64> {
        let mine = r.rows.requests.iter().filter(|x| x.srv == srv && x.outcome == Outcome::Responded);
        mine.map(|x| {
            assert!(x.responded.unwrap() > x.execution.unwrap(), "answered after its execution: {x:?}");
            x.trt().unwrap().as_secs_f64()
        })
        .collect()
    };
    let (held_by_device, held_by_dsp) = (trts("1.1.1"), trts("4.1.1"));
    assert!(held_by_device.len() > 1_500 && held_by_dsp.len() > 1_500);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    // The read's TRT has the DSP and the downlink besides the uplink: seconds more.
    assert!(mean(&held_by_device) + 2.0 < mean(&held_by_dsp), "{} vs {}", mean(&held_by_device), mean(&held_by_dsp));
    let target = |srv: &str| r.rows.requests.iter().find(|x| x.srv == srv).unwrap().target;
    assert_eq!((target("1.1.1"), target("4.1.1")), (SimDuration::from_secs(7_200), SimDuration::from_secs(30)));
}

/// Device-pattern Future Dated commands due after the run's end reach the device
/// and wait there: `not_yet_due`, not judged, the stations balanced.
#[test]
fn device_held_commands_due_after_the_end_are_not_yet_due() {
    let (_, r) = due_past_the_end("1.1.1");
    let late = r.rows.requests.iter().filter(|x| x.outcome == Outcome::NotYetDue).count();
    assert!(late > 500, "{late} not yet due");
    assert_eq!(models::TrtSummary::new(&r.measures.trt).overall.not_yet_due, late as u64);
}
