//! The alert router alone: hand-made alerts, an instantaneous DSP.

use std::sync::Arc;

use sim::{SimDuration, SimTime};

use super::Recipient;
use super::router::{AlertEvent, AlertRouter, AlertRouterParams};
use super::{AlertCode, AlertJob, AlertOutcome, AlertPlan, AlertRecord, AlertSpec, CspAlertPolicy, PlannedAlert};
use crate::context::{ARRIVAL, Context};
use crate::layout::premises_entity;
use crate::scenario::alerts::StormProtectionSpec;
use crate::testkit;

#[derive(Debug)]
enum E {
    /// Planned alert `id` reaches the DSP.
    Raise(u32),
    Router(AlertEvent),
}

impl From<AlertEvent> for E {
    fn from(e: AlertEvent) -> E {
        E::Router(e)
    }
}

struct Bench {
    router: AlertRouter,
    plan: Arc<AlertPlan>,
}

fn start(b: &mut Bench, cx: &mut Context<'_, '_, E>) {
    for (id, a) in b.plan.alerts.iter().enumerate() {
        cx.schedule(a.raised, ARRIVAL, premises_entity(a.premises), E::Raise(id as u32));
    }
}

fn handle(b: &mut Bench, e: E, cx: &mut Context<'_, '_, E>) {
    let event = match e {
        E::Raise(id) => {
            let mut alert = AlertJob::raised(id, &b.plan.alerts[id as usize]);
            alert.csp_received = cx.now();
            AlertEvent::AtDsp(alert)
        }
        E::Router(e) => e,
    };
    b.router.handle(event, cx);
    // The test's DSP processes in no time.
    let work: Vec<_> = b.router.drain_for_dsp().map(|(w, _)| w).collect();
    for w in work {
        b.router.processed(w, cx);
    }
}

fn planned(premises: u32, raised: SimTime, copies: u8) -> PlannedAlert {
    PlannedAlert {
        premises,
        code: AlertCode::PowerOutage,
        fault: 0,
        power_lost: raised,
        raised,
        energy_until: SimTime(u64::MAX),
        fate: None,
        carried: 0,
        copies,
    }
}

/// Alert Storm Protection: 3 per window of `window_s`, then one per hour; every
/// AD1 forwarded by the CSP at once.
fn storm_protection(window_s: u64) -> impl FnOnce(&mut AlertSpec) {
    move |spec| {
        spec.csp.policy = CspAlertPolicy::Forward;
        spec.storm_protection = StormProtectionSpec {
            enabled: true,
            threshold: 3,
            window: SimDuration::from_secs(window_s),
            period: SimDuration::from_secs(3_600),
            excluded_codes: Vec::new(),
        };
    }
}

/// Runs the router over `alerts` with the alert handling `configure` sets.
fn route(alerts: Vec<PlannedAlert>, configure: impl FnOnce(&mut AlertSpec)) -> Vec<AlertRecord> {
    let mut s = testkit::scenario(1_000, 1.0);
    configure(&mut s.alerts);
    let world = testkit::world(s);
    let plan = Arc::new(AlertPlan { alerts, by_block: Vec::new() });
    let end = SimTime::from_secs(100_000);
    let params = AlertRouterParams {
        spec: world.scenario.alerts.clone(),
        wan_gateway_latency: world.scenario.wan_gateway.latency,
        series_bucket: world.scenario.series_bucket,
        end,
        entity: crate::layout::shard_entity(0),
    };
    let router = AlertRouter::new(params, plan.clone(), world.population.clone());
    let mut b = testkit::host(Bench { router, plan }, world.streams, start, handle, end);
    let (_, mut records, _) = b.router.finish(end);
    records.sort_by_key(|r| (r.alert_id, r.recipient));
    records
}

/// AD1s every 10 minutes in one long window: three pass, then one per hour, each
/// carrying the count discarded since the last (SECMP0062).
#[test]
fn storm_protection_passes_the_threshold_then_one_per_period_carrying_the_discards() {
    let alerts = (0..19).map(|k| planned(7, SimTime::from_secs(600 * k), 1)).collect();
    let records = route(alerts, storm_protection(86_400));
    let outcomes: Vec<(AlertOutcome, u32)> = records.iter().map(|r| (r.outcome, r.throttled_count)).collect();
    use AlertOutcome::{Delivered as D, Discarded as X};
    #[rustfmt::skip]
    let expected = [
        (D, 0), (D, 0), (D, 0),                  // 0, 10, 20 min: the threshold
        (X, 0), (X, 0), (X, 0), (X, 0), (X, 0), // 30 to 70 min
        (D, 5),                                  // 80 min: an hour after 20
        (X, 0), (X, 0), (X, 0), (X, 0), (X, 0), // 90 to 130 min
        (D, 5),                                  // 140 min
        (X, 0), (X, 0), (X, 0), (X, 0),         // 150 to 180 min, still held at the end
    ];
    assert_eq!(outcomes, expected);
}

/// Two hubs repeating an AD1 every minute for 100 minutes, each alert with a
/// supplier copy, then once more after an hour's quiet: every copy is delivered or
/// discarded, and the delivered ones carry every discard.
#[test]
fn storm_protection_forwards_plus_discards_every_alert_raised() {
    let mut alerts = Vec::new();
    for m in (0..100).chain([161]) {
        for premises in [3, 9] {
            alerts.push(planned(premises, SimTime::from_secs(60 * m), 2));
        }
    }
    let raised_copies = 2 * alerts.len();
    let records = route(alerts, storm_protection(900));
    let count = |o: AlertOutcome| records.iter().filter(|r| r.outcome == o).count();
    let (forwarded, discarded) = (count(AlertOutcome::Delivered), count(AlertOutcome::Discarded));
    assert_eq!(forwarded + discarded, raised_copies);
    assert_eq!(records.len(), raised_copies, "one record per copy");
    // Per hub, each 15 min window passes its first 3: 7 windows in 100 minutes
    // pass 21 and discard 79, and the alert at 161 min opens a window of its own.
    assert_eq!((forwarded, discarded), (22 * 2 * 2, 79 * 2 * 2));
    let carried: u32 = records
        .iter()
        .filter(|r| r.outcome == AlertOutcome::Delivered && r.recipient == Recipient::ElectricityDistributor)
        .map(|r| r.throttled_count)
        .sum();
    assert_eq!(carried as usize, discarded / 2, "the DNO's copies carry every discarded alert");
}

/// Five AD1s from one DNO area in one 3-minute window, with an event threshold of
/// 2: the CSP forwards two, holds three to the window's end and sends them as one
/// power outage event for the DNO; suppliers get no copy of the held ones.
#[test]
fn an_aggregating_csp_forwards_the_threshold_and_sends_the_rest_as_one_event() {
    let alerts = (0..5).map(|k| planned(k, SimTime::from_secs(10 + u64::from(k)), 2)).collect();
    let mut window_end = SimTime::ZERO;
    let records = route(alerts, |spec| {
        spec.csp.policy = CspAlertPolicy::Aggregate;
        spec.csp.event_threshold = 2;
        spec.storm_protection.enabled = false;
        window_end = SimTime(spec.csp.event_window.0);
    });
    let row = |r: &AlertRecord| (r.alert_id, r.recipient.code(), r.outcome, r.aggregated);
    use AlertOutcome::{Delivered as D, NotForwarded as N};
    let expected = [
        (0, "ED", D, false),
        (0, "IS", D, false),
        (1, "ED", D, false),
        (1, "IS", D, false),
        (2, "ED", D, true),
        (2, "IS", N, false),
        (3, "ED", D, true),
        (3, "IS", N, false),
        (4, "ED", D, true),
        (4, "IS", N, false),
    ];
    assert_eq!(records.iter().map(row).collect::<Vec<_>>(), expected);
    // One event message: its copies arrive together, after the window closed.
    let delivered: Vec<_> = records.iter().filter(|r| r.aggregated).map(|r| r.delivered).collect();
    assert!(delivered.iter().all(|d| *d == delivered[0] && d.is_some_and(|d| d >= window_end)), "{delivered:?}");
}
