//! Each station against queueing theory and against the event-driven [`Station`].

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::*;

#[test]
fn jobs_wait_in_arrival_order_for_a_free_server() {
    let mut st = StationStats::new(SimDuration::from_secs(100));
    let mut s = Station::new(1, &mut st);
    let t = SimTime::from_secs;
    let d = SimDuration::from_secs;
    assert_eq!(s.arrive(t(0), d(10), 'a', &mut st), Some(('a', t(10))));
    assert_eq!(s.arrive(t(1), d(5), 'b', &mut st), None);
    assert_eq!(s.arrive(t(2), d(1), 'c', &mut st), None);
    assert_eq!(s.complete(t(10), &mut st), Some(('b', t(15))));
    assert_eq!(s.complete(t(15), &mut st), Some(('c', t(16))));
    assert_eq!(s.complete(t(16), &mut st), None);
    st.close(t(20));
    assert_eq!((st.arrivals, st.completions), (3, 3));
    // The station's own tally agrees with the shared figures.
    let tally = *s.tally();
    assert_eq!((tally.arrivals, tally.started, tally.wait_total_us, tally.queue_max), (3, 3, 22_000_000, 2));
    assert!((tally.busy_server_s(s.busy(), t(20)) - 16.0).abs() < 1e-9);
    // Waits 0, 9 and 13 s: mean 22/3 s.
    assert!((st.mean_wait_s() - 22.0 / 3.0).abs() < 1e-9);
    assert_eq!(st.wait_max_us, 13_000_000);
    // Little: ∫N dt = sum of sojourns = 10 + 14 + 14.
    assert!((st.in_system.total_level_s() - 38.0).abs() < 1e-9);
    assert!((st.busy.total_level_s() - 16.0).abs() < 1e-9);
    assert!((st.utilisation(d(20)) - 0.8).abs() < 1e-12);
}

/// Runs a [`Station`] with completion events (a completion at `t` before an
/// arrival at `t`) until `end`: each job's service (start, done) if it started.
fn by_events(
    servers: u32,
    jobs: &[(u64, u64)],
    end: SimTime,
    st: &mut StationStats,
) -> (Vec<Option<Served>>, StationTally, f64) {
    let mut s = Station::new(servers, st);
    let mut completions: BinaryHeap<Reverse<(SimTime, usize)>> = BinaryHeap::new();
    let mut served = vec![None; jobs.len()];
    let mut next = 0;
    loop {
        let arrival = jobs.get(next).map(|&(at, _)| SimTime(at));
        let completion = completions.peek().map(|r| r.0.0);
        let now = match (arrival, completion) {
            (Some(a), Some(c)) => a.min(c),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => break,
        };
        if now >= end {
            break;
        }
        let started = if completion == Some(now) {
            completions.pop();
            s.complete(now, st)
        } else {
            next += 1;
            s.arrive(now, SimDuration(jobs[next - 1].1), next - 1, st)
        };
        if let Some((j, done)) = started {
            served[j] = Some(Served { start: now, done });
            completions.push(Reverse((done, j)));
        }
    }
    st.close(end);
    (served, *s.tally(), s.tally().busy_server_s(s.busy(), end))
}

proptest::proptest! {
    /// An [`FcfsStation`] serves every job exactly when a [`Station`] driven by
    /// completion events does, and its figures are the same, up to the run's end.
    #[test]
    fn fcfs_station_matches_the_event_driven_station(
        servers in 1u32..12,
        gaps in proptest::collection::vec((0u64..3, 0u64..24), 1..200),
        end_ms in 1u64..400,
    ) {
        let mut at = 0;
        let jobs: Vec<(u64, u64)> = gaps.iter().map(|&(gap, service)| {
            at += gap * 1_000;
            (at, service * 1_000)
        }).collect();
        let end = SimTime(end_ms * 1_000);
        let bucket = SimDuration::from_millis(7);
        let mut reference = StationStats::new(bucket);
        let (expected, tally, busy_s) = by_events(servers, &jobs, end, &mut reference);
        let mut st = StationStats::new(bucket);
        let mut s = FcfsStation::new(servers, end, &mut st);
        for (j, &(at, service)) in jobs.iter().enumerate().take_while(|(_, j)| SimTime(j.0) < end) {
            let served = s.admit(SimTime(at), SimDuration(service), &mut st);
            if served.start < end {
                proptest::prop_assert_eq!(Some(served), expected[j], "job {}", j);
            } else {
                proptest::prop_assert_eq!(None, expected[j], "job {}", j);
            }
        }
        st.close(end);
        let counts = |s: &StationStats| {
            (s.servers, s.arrivals, s.started, s.completions, s.wait_total_us, s.wait_max_us, s.service_total_us)
        };
        proptest::prop_assert_eq!(counts(&st), counts(&reference));
        for (a, b) in [(&st.in_system, &reference.in_system), (&st.queued, &reference.queued), (&st.busy, &reference.busy)] {
            proptest::prop_assert_eq!((a.means(), a.level()), (b.means(), b.level()));
        }
        proptest::prop_assert_eq!(st.throughput.sums(), reference.throughput.sums());
        proptest::prop_assert_eq!(st.last_completion, reference.last_completion);
        let t = s.tally();
        proptest::prop_assert_eq!(
            (t.arrivals, t.started, t.wait_total_us, t.wait_max_us, t.queue_max),
            (tally.arrivals, tally.started, tally.wait_total_us, tally.wait_max_us, tally.queue_max)
        );
        proptest::prop_assert!((s.busy_server_s() - busy_s).abs() < 1e-9);
    }
}

/// Runs a [`Station`] with priority classes and completion events until `end`:
/// each job's service (start, done) if it started.
fn classes_by_events(
    servers: u32,
    jobs: &[(u64, u64, usize)],
    end: SimTime,
    st: &mut StationStats,
) -> (Vec<Option<Served>>, StationTally) {
    let mut s = Station::with_classes(servers, 2, st);
    let mut completions: BinaryHeap<Reverse<(SimTime, usize)>> = BinaryHeap::new();
    let mut served = vec![None; jobs.len()];
    let mut next = 0;
    loop {
        let arrival = jobs.get(next).map(|&(at, ..)| SimTime(at));
        let completion = completions.peek().map(|r| r.0.0);
        let now = match (arrival, completion) {
            (Some(a), Some(c)) => a.min(c),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => break,
        };
        if now >= end {
            break;
        }
        let started = if completion == Some(now) {
            completions.pop();
            s.complete(now, st)
        } else {
            let (_, service, class) = jobs[next];
            next += 1;
            s.arrive_in(class, now, SimDuration(service), next - 1, st)
        };
        if let Some((j, done)) = started {
            served[j] = Some(Served { start: now, done });
            completions.push(Reverse((done, j)));
        }
    }
    st.close(end);
    (served, *s.tally())
}

proptest::proptest! {
    /// A [`PriorityStation`], woken only when a job waits, serves every job
    /// exactly when a [`Station`] with classes driven by completion events does,
    /// and its figures are the same, up to the run's end.
    #[test]
    fn priority_station_matches_the_event_driven_station(
        servers in 1u32..4,
        gaps in proptest::collection::vec((0u64..3, 0u64..6, 0usize..2), 1..120),
        end_ms in 1u64..400,
    ) {
        let mut at = 0;
        let jobs: Vec<(u64, u64, usize)> = gaps.iter().map(|&(gap, service, class)| {
            at += gap * 1_000;
            (at, service * 1_000, class)
        }).collect();
        let end = SimTime(end_ms * 1_000);
        let bucket = SimDuration::from_millis(7);
        let mut reference = StationStats::new(bucket);
        let (expected, tally) = classes_by_events(servers, &jobs, end, &mut reference);
        let mut st = StationStats::new(bucket);
        let mut s = PriorityStation::new(servers, 2, end, &mut st);
        let mut served = vec![None; jobs.len()];
        let mut wake: Option<SimTime> = None;
        let mut next = 0;
        loop {
            let arrival = jobs.get(next).map(|&(at, ..)| SimTime(at));
            let now = match (arrival, wake) {
                (Some(a), Some(w)) => a.min(w),
                (Some(t), None) | (None, Some(t)) => t,
                (None, None) => break,
            };
            if now >= end {
                break;
            }
            if wake == Some(now) {
                while let Some((j, sv)) = s.wake(now, &mut st) {
                    served[j] = Some(sv);
                }
                wake = s.next_wake();
            } else {
                let (_, service, class) = jobs[next];
                next += 1;
                match s.arrive(class, now, SimDuration(service), next - 1, &mut st) {
                    Arrival::Started(j, sv) => served[j] = Some(sv),
                    Arrival::Waiting { wake_at: Some(t) } => {
                        proptest::prop_assert!(wake.is_none(), "one wake-up at a time");
                        wake = Some(t);
                    }
                    Arrival::Waiting { wake_at: None } => proptest::prop_assert!(wake.is_some()),
                }
            }
        }
        s.close(&mut st);
        st.close(end);
        for (j, sv) in served.iter().enumerate() {
            let sv = sv.filter(|sv| sv.start < end);
            proptest::prop_assert_eq!(sv, expected[j], "job {}", j);
        }
        let counts = |s: &StationStats| {
            (s.servers, s.arrivals, s.started, s.completions, s.wait_total_us, s.wait_max_us, s.service_total_us)
        };
        proptest::prop_assert_eq!(counts(&st), counts(&reference));
        for (a, b) in [(&st.in_system, &reference.in_system), (&st.queued, &reference.queued), (&st.busy, &reference.busy)] {
            proptest::prop_assert_eq!((a.means(), a.level()), (b.means(), b.level()));
        }
        proptest::prop_assert_eq!(st.throughput.sums(), reference.throughput.sums());
        proptest::prop_assert_eq!(st.last_completion, reference.last_completion);
        let t = s.tally();
        proptest::prop_assert_eq!(
            (t.arrivals, t.started, t.wait_total_us, t.wait_max_us, t.queue_max),
            (tally.arrivals, tally.started, tally.wait_total_us, tally.wait_max_us, tally.queue_max)
        );
    }
}

#[test]
fn stations_can_share_figures() {
    let mut st = StationStats::new(SimDuration::from_secs(1));
    let mut a = Station::new(2, &mut st);
    let mut b = Station::new(3, &mut st);
    a.arrive(SimTime(0), SimDuration(5), (), &mut st);
    b.arrive(SimTime(0), SimDuration(5), (), &mut st);
    assert_eq!(st.servers, 5);
    assert_eq!(st.busy.level(), 2);
}

#[test]
fn a_lower_class_is_served_first_without_interrupting_service() {
    let mut st = StationStats::new(SimDuration::from_secs(100));
    let mut s = Station::with_classes(1, 2, &mut st);
    let t = SimTime::from_secs;
    let d = SimDuration::from_secs;
    assert_eq!(s.arrive_in(1, t(0), d(10), "low-1", &mut st), Some(("low-1", t(10))));
    assert_eq!(s.arrive_in(1, t(1), d(1), "low-2", &mut st), None);
    assert_eq!(s.arrive_in(0, t(2), d(1), "high", &mut st), None);
    assert_eq!(s.queue_len(), 2);
    // "high" came last but goes first; "low-1" was never interrupted.
    assert_eq!(s.complete(t(10), &mut st), Some(("high", t(11))));
    assert_eq!(s.complete(t(11), &mut st), Some(("low-2", t(12))));
    assert_eq!(s.complete(t(12), &mut st), None);
    assert_eq!(s.queue_len(), 0);
}

/// M/M/1 with two non-preemptive priority classes against Cobham's formula:
/// Wq_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), W0 = Σ λ_i E[S_i²] / 2, σ_k = Σ_{i≤k} ρ_i.
#[test]
fn two_priority_classes_match_cobham() {
    use crate::rng::StreamKey;
    let (lambda, mean_s) = ([0.3, 0.4], 1.0);
    let mut st = StationStats::new(SimDuration::from_secs(3600));
    let mut s: Station<(usize, SimTime)> = Station::with_classes(1, 2, &mut st);
    let mut rng = StreamKey { seed: 7, replication: 0, entity: 0, purpose: 0 }.stream(0);
    let total: f64 = lambda.iter().sum();
    let (mut next_arrival, mut completion) = (SimTime::ZERO, None::<SimTime>);
    let (mut waits, mut counts) = ([0.0f64; 2], [0u64; 2]);
    let mut record = |class: usize, arrived: SimTime, started: SimTime| {
        waits[class] += (started - arrived).as_secs_f64();
        counts[class] += 1;
    };
    let service = |rng: &mut crate::rng::SplitMix64| SimDuration::from_secs_f64(rng.exponential(mean_s));
    while next_arrival < SimTime::from_secs(2_000_000) {
        if completion.is_some_and(|c| c <= next_arrival) {
            let now = completion.take().unwrap();
            if let Some(((class, arrived), done)) = s.complete(now, &mut st) {
                record(class, arrived, now);
                completion = Some(done);
            }
            continue;
        }
        let now = next_arrival;
        let class = usize::from(rng.unit_f64() * total >= lambda[0]);
        let svc = service(&mut rng);
        if let Some(((class, arrived), done)) = s.arrive_in(class, now, svc, (class, now), &mut st) {
            record(class, arrived, now);
            completion = Some(done);
        }
        next_arrival = now + SimDuration::from_secs_f64(rng.exponential(1.0 / total));
    }
    let rho = [lambda[0] * mean_s, lambda[1] * mean_s];
    let w0 = (lambda[0] + lambda[1]) * 2.0 * mean_s * mean_s / 2.0;
    let expected = [w0 / (1.0 - rho[0]), w0 / ((1.0 - rho[0]) * (1.0 - rho[0] - rho[1]))];
    for k in 0..2 {
        let mean = waits[k] / counts[k] as f64;
        // About 1.4 M jobs: the estimates' relative standard errors are ~1%.
        assert!((mean / expected[k] - 1.0).abs() < 0.04, "class {k}: Wq {mean:.4} s, Cobham {:.4} s", expected[k]);
    }
}
