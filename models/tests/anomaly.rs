//! Threshold Anomaly Detection (`scenarios/tad_attack.toml`, run small): an
//! attack passes exactly as many requests as each shard's share of the threshold,
//! the rest are deleted; genuine requests past a threshold are quarantined exactly
//! as counted and released, never lost; and the figures do not depend on threads.

use models::measures::anomaly::AnomalySummary;
use models::scenario::Scenario;
use models::service_request::{Outcome, Refusal};
use sim::{SimDuration, SimTime};

mod conservation;
use conservation::assert_conserved;

const TAD: &str = include_str!("../../scenarios/tad_attack.toml");

/// The shipped study at 30,000 premises over two DSP shards.
fn study() -> Scenario {
    let mut s = Scenario::parse("tad_attack.toml", TAD).expect("the shipped study is valid");
    s.premises = 30_000;
    s.dsp.shards = 2;
    s
}

fn summary(r: &models::RunOutput) -> AnomalySummary {
    let s = &r.world.scenario;
    AnomalySummary::of(s, &r.measures.anomaly, &r.world.users.names()).expect("thresholds and an attack")
}

#[test]
fn an_attack_passes_each_shards_share_of_the_threshold_and_the_rest_is_deleted() {
    let mut s = study();
    // The attack inside one counting window (02:00 to 02:50), and no genuine
    // Disable Supply to share its count.
    s.traffic[0].active = Some((SimTime::from_secs(7_200), SimTime::from_secs(10_200)));
    s.traffic.retain(|t| t.name != "disable_supply");
    let r = models::run(s.clone(), 2, &mut |_| {});
    assert_conserved(&r);
    let attack: Vec<_> = r.rows.requests.iter().filter(|x| x.stream == 0).collect();
    assert!(attack.len() > 5_000, "{} attack requests", attack.len());
    let share = s.anomaly_thresholds[0].max_per_window.div_ceil(2);
    assert_eq!(share, 10);
    for shard in 0..2 {
        let mine = attack.iter().filter(|x| x.sr_id % 2 == shard);
        let passed = mine.clone().filter(|x| !x.quarantined).count();
        assert_eq!(passed, share as usize, "shard {shard}: the threshold's share passes, no more");
        for x in mine {
            if x.quarantined {
                assert_eq!((x.outcome, x.refused_by), (Outcome::Refused, Some(Refusal::Quarantined)), "{x:?}");
                assert!(x.received.is_some(), "DCC received it before it deleted it");
            } else {
                assert_ne!(x.refused_by, Some(Refusal::Quarantined));
            }
        }
    }
    let a = summary(&r);
    let row = &a.attacks[0];
    assert_eq!((row.user.as_str(), row.srv.as_str(), row.start_s), ("supplier_3", "7.2", 7_200.0));
    assert_eq!(row.sent, attack.len() as u64);
    assert_eq!(row.reached_devices + row.deleted + row.other, row.sent, "every attack request ends one way");
    assert_eq!(row.passed_before_detection, 20);
    let reached = attack.iter().filter(|x| x.outcome == Outcome::Responded).count() as u64;
    assert_eq!(row.reached_devices, reached);
    assert!(row.reached_devices <= 20 && row.reached_devices >= 18, "{} reached devices", row.reached_devices);
    let detected = row.detected_s.expect("caught");
    assert!((7_200.0..7_300.0).contains(&detected), "detected at {detected} s");
    // No genuine request of the study is over any threshold at this size.
    assert_eq!(a.genuine_quarantined, 0);
    assert!(r.rows.requests.iter().all(|x| x.stream == 0 || !x.quarantined));
    // The same on one thread and four.
    for threads in [1, 4] {
        let other = models::run(s.clone(), threads, &mut |_| {});
        assert_eq!(summary(&other), a, "{threads} threads");
    }
}

#[test]
fn genuine_requests_over_a_threshold_are_quarantined_as_counted_and_released() {
    let mut s = study();
    s.traffic.retain(|t| !t.attack);
    // One window over the whole run: top-ups counted per User and shard, 50 each.
    s.anomaly_thresholds.retain(|t| t.srv == "2.2");
    let t = &mut s.anomaly_thresholds[0];
    t.max_per_window = 100;
    t.window = SimDuration::from_secs(2_678_400);
    let confirm = t.confirm;
    let r = models::run(s.clone(), 2, &mut |_| {});
    assert_conserved(&r);
    let users = r.world.users.count();
    let mut counted = vec![[0u64; 2]; users];
    let mut quarantined = vec![[0u64; 2]; users];
    for x in r.rows.requests.iter().filter(|x| x.srv == "2.2") {
        counted[usize::from(x.user)][(x.sr_id % 2) as usize] += 1;
        if x.quarantined {
            quarantined[usize::from(x.user)][(x.sr_id % 2) as usize] += 1;
            assert_eq!(x.outcome, Outcome::Responded, "released, never deleted: {x:?}");
            let trt = x.trt().expect("answered");
            assert!(trt > SimDuration::ZERO && trt.0 < confirm.0 + 600_000_000, "{trt:?}");
        }
    }
    let mut expected = 0;
    for u in 0..users {
        for shard in 0..2 {
            assert_eq!(quarantined[u][shard], counted[u][shard].saturating_sub(50), "user {u} shard {shard}");
            expected += counted[u][shard].saturating_sub(50);
        }
    }
    assert!(expected > 500, "{expected} quarantined");
    let a = summary(&r);
    assert_eq!((a.genuine_quarantined, a.thresholds[0].released), (expected, expected));
    assert_eq!(a.genuine_counted, counted.iter().flatten().sum::<u64>());
    assert_eq!(a.thresholds[0].users_quarantined, counted.iter().filter(|c| c.iter().any(|&n| n > 50)).count() as u64);
    let [mean, max] = a.thresholds[0].released_wait_s.expect("released");
    assert!(mean > 0.0 && mean <= max && max <= confirm.as_secs_f64(), "{mean} {max}");
    // Only those quarantined in the last seconds before an answer still make it.
    let within = r.rows.requests.iter().filter(|x| x.quarantined && x.within_target()).count() as u64;
    assert_eq!(a.genuine_quarantined_within_target, within);
    assert!(within < expected / 10, "{within} of {expected} within target");
}

#[test]
fn without_thresholds_an_attack_reaches_devices_in_full() {
    let mut s = study();
    s.anomaly_thresholds.clear();
    s.horizon = SimTime::from_secs(7_500);
    let r = models::run(s, 2, &mut |_| {});
    assert_conserved(&r);
    let a = summary(&r);
    let row = &a.attacks[0];
    assert!(row.sent > 400, "{}", row.sent);
    assert_eq!((row.deleted, row.passed_before_detection, row.detected_s), (0, 0, None));
    assert!(r.rows.requests.iter().all(|x| !x.quarantined));
    assert_eq!(row.reached_devices + row.other, row.sent);
    assert!(row.reached_devices as f64 >= 0.95 * row.sent as f64, "{row:?}");
}
