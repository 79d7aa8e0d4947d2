//! A service station with `c` identical servers: first come, first served, or with
//! non-preemptive priority classes (FCFS within a class; a lower class number is
//! served first; a job in service is never interrupted).
//!
//! The station is bookkeeping only: it tells the caller when a job starts service and
//! when it completes, and the caller schedules the completion event. The service time
//! is given on arrival (drawn from a stream keyed by the job, so it does not matter
//! when it is drawn). Figures go to a [`StationStats`] the caller passes in, so many
//! small stations (radio cells, say) can share one set of figures.
//!
//! [`FcfsStation`] is the first-come-first-served station without a completion
//! event: in arrival order and with the service time known on arrival, a job's start
//! and completion follow at once from when the servers are next free (the
//! Kiefer–Wolfowitz recursion, Lindley's for one server). The caller schedules only
//! what happens next, at the completion time.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::stats::{LevelSeries, TimeSeries};
use crate::time::{SimDuration, SimTime};

/// Figures of one station, or of several summed: what queueing theory speaks of.
#[derive(Debug, Clone, PartialEq)]
pub struct StationStats {
    /// Servers (summed over the stations the figures cover).
    pub servers: u64,
    /// Jobs that arrived.
    pub arrivals: u64,
    /// Jobs that started service.
    pub started: u64,
    /// Jobs that completed service.
    pub completions: u64,
    /// Sum of waits (arrival to start of service), in microseconds.
    pub wait_total_us: u128,
    /// Longest wait, in microseconds.
    pub wait_max_us: u64,
    /// Sum of service times of started jobs, in microseconds.
    pub service_total_us: u128,
    /// Jobs in the station (waiting or in service) over time.
    pub in_system: LevelSeries,
    /// Jobs waiting over time.
    pub queued: LevelSeries,
    /// Busy servers over time.
    pub busy: LevelSeries,
    /// Completions per bucket.
    pub throughput: TimeSeries,
    /// The latest completion (time zero if none).
    pub last_completion: SimTime,
}

impl StationStats {
    /// Empty figures with series of the given bucket width.
    pub fn new(bucket: SimDuration) -> StationStats {
        StationStats {
            servers: 0,
            arrivals: 0,
            started: 0,
            completions: 0,
            wait_total_us: 0,
            wait_max_us: 0,
            service_total_us: 0,
            in_system: LevelSeries::new(bucket),
            queued: LevelSeries::new(bucket),
            busy: LevelSeries::new(bucket),
            throughput: TimeSeries::new(bucket),
            last_completion: SimTime::ZERO,
        }
    }

    /// Adds another set of figures (of other servers).
    pub fn merge(&mut self, other: &StationStats) {
        self.servers += other.servers;
        self.arrivals += other.arrivals;
        self.started += other.started;
        self.completions += other.completions;
        self.wait_total_us += other.wait_total_us;
        self.wait_max_us = self.wait_max_us.max(other.wait_max_us);
        self.service_total_us += other.service_total_us;
        self.in_system.merge(&other.in_system);
        self.queued.merge(&other.queued);
        self.busy.merge(&other.busy);
        self.throughput.merge(&other.throughput);
        self.last_completion = self.last_completion.max(other.last_completion);
    }

    /// Closes the level series at the end of the run.
    pub fn close(&mut self, end: SimTime) {
        self.in_system.close(end);
        self.queued.close(end);
        self.busy.close(end);
    }

    /// Mean wait of jobs that started service, in seconds (0 if none).
    pub fn mean_wait_s(&self) -> f64 {
        ratio(self.wait_total_us, self.started) / 1e6
    }

    /// Mean service time of jobs that started service, in seconds (0 if none).
    pub fn mean_service_s(&self) -> f64 {
        ratio(self.service_total_us, self.started) / 1e6
    }

    /// Busy server-time over available server-time across `span`.
    pub fn utilisation(&self, span: SimDuration) -> f64 {
        let capacity = self.servers as f64 * span.as_secs_f64();
        if capacity > 0.0 { self.busy.total_level_s() / capacity } else { 0.0 }
    }
}

fn ratio(total: u128, n: u64) -> f64 {
    if n == 0 { 0.0 } else { total as f64 / n as f64 }
}

/// The lifetime figures of one station alone, kept by the station itself (a
/// [`StationStats`] may be shared by many stations): a few words, no series.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StationTally {
    /// Jobs that arrived.
    pub arrivals: u64,
    /// Jobs that started service.
    pub started: u64,
    /// Sum of waits of started jobs, µs.
    pub wait_total_us: u128,
    /// Longest wait, µs.
    pub wait_max_us: u64,
    /// Most jobs waiting at once.
    pub queue_max: u32,
    /// ∫ busy servers dt up to `last_change`, server-µs.
    busy_integral_us: u128,
    last_change: SimTime,
}

impl StationTally {
    /// Busy server-seconds up to `end` (at or after the last event), given the
    /// servers busy since the last change.
    pub fn busy_server_s(&self, busy_now: u32, end: SimTime) -> f64 {
        let tail = u128::from(busy_now) * u128::from(end.0.saturating_sub(self.last_change.0));
        (self.busy_integral_us + tail) as f64 / 1e6
    }

    fn busy_changes(&mut self, busy_before: u32, now: SimTime) {
        self.busy_integral_us += u128::from(busy_before) * u128::from(now.0 - self.last_change.0);
        self.last_change = now;
    }

    fn started(&mut self, wait: SimDuration) {
        self.started += 1;
        self.wait_total_us += u128::from(wait.0);
        self.wait_max_us = self.wait_max_us.max(wait.0);
    }
}

/// A station with a fixed number of servers and one waiting line per priority class.
#[derive(Debug, Clone)]
pub struct Station<J> {
    servers: u32,
    busy: u32,
    /// Waiting jobs, one line per class; class 0 is served first.
    waiting: Vec<VecDeque<(SimTime, SimDuration, J)>>,
    queued: usize,
    tally: StationTally,
}

impl<J> Station<J> {
    /// A FCFS station with `servers` servers (at least one), counted into `stats`.
    pub fn new(servers: u32, stats: &mut StationStats) -> Station<J> {
        Station::with_classes(servers, 1, stats)
    }

    /// A station with `servers` servers and `classes` non-preemptive priority
    /// classes (at least one each), counted into `stats`.
    pub fn with_classes(servers: u32, classes: usize, stats: &mut StationStats) -> Station<J> {
        assert!(servers > 0, "a station needs at least one server");
        assert!(classes > 0, "a station needs at least one class");
        stats.servers += u64::from(servers);
        Station {
            servers,
            busy: 0,
            waiting: (0..classes).map(|_| VecDeque::new()).collect(),
            queued: 0,
            tally: StationTally::default(),
        }
    }

    fn start(now: SimTime, arrived: SimTime, service: SimDuration, stats: &mut StationStats) -> SimTime {
        let wait = now - arrived;
        stats.started += 1;
        stats.wait_total_us += u128::from(wait.0);
        stats.wait_max_us = stats.wait_max_us.max(wait.0);
        stats.service_total_us += u128::from(service.0);
        now + service
    }

    /// A job arrives needing `service`. Returns its completion time if a server was
    /// free; otherwise it waits and `None` is returned.
    pub fn arrive(
        &mut self,
        now: SimTime,
        service: SimDuration,
        job: J,
        stats: &mut StationStats,
    ) -> Option<(J, SimTime)> {
        self.arrive_in(0, now, service, job, stats)
    }

    /// [`Station::arrive`] for a job of priority class `class` (0 is served first).
    pub fn arrive_in(
        &mut self,
        class: usize,
        now: SimTime,
        service: SimDuration,
        job: J,
        stats: &mut StationStats,
    ) -> Option<(J, SimTime)> {
        stats.arrivals += 1;
        stats.in_system.add(now, 1);
        self.tally.arrivals += 1;
        if self.busy < self.servers {
            self.tally.busy_changes(self.busy, now);
            self.tally.started(SimDuration::ZERO);
            self.busy += 1;
            stats.busy.add(now, 1);
            Some((job, Self::start(now, now, service, stats)))
        } else {
            self.waiting[class].push_back((now, service, job));
            self.queued += 1;
            self.tally.queue_max = self.tally.queue_max.max(self.queued as u32);
            stats.queued.add(now, 1);
            None
        }
    }

    /// A server completes a job. Returns the next job to start and its completion time.
    pub fn complete(&mut self, now: SimTime, stats: &mut StationStats) -> Option<(J, SimTime)> {
        assert!(self.busy > 0, "completion at an idle station");
        stats.completions += 1;
        stats.last_completion = stats.last_completion.max(now);
        stats.throughput.add(now, 1);
        stats.in_system.add(now, -1);
        match self.waiting.iter_mut().find_map(VecDeque::pop_front) {
            Some((arrived, service, job)) => {
                self.queued -= 1;
                self.tally.started(now - arrived);
                stats.queued.add(now, -1);
                Some((job, Self::start(now, arrived, service, stats)))
            }
            None => {
                self.tally.busy_changes(self.busy, now);
                self.busy -= 1;
                stats.busy.add(now, -1);
                None
            }
        }
    }

    /// Jobs waiting for a server.
    pub fn queue_len(&self) -> usize {
        self.queued
    }

    /// Servers busy now.
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// Servers.
    pub fn servers(&self) -> u32 {
        self.servers
    }

    /// This station's own lifetime figures.
    pub fn tally(&self) -> &StationTally {
        &self.tally
    }
}

/// When an admitted job is served.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// Service starts.
    pub start: SimTime,
    /// Service completes: the job leaves.
    pub done: SimTime,
}

/// A first-come-first-served station with `c` identical servers whose jobs are
/// served the moment they arrive, on paper: [`FcfsStation::admit`] returns a job's
/// start and completion, so no event marks either. Arrivals must come in time order
/// (a partition's events do).
///
/// Figures are those of a [`Station`] run to `end`, the latest time the run can
/// reach: what would happen at or after it never happens.
#[derive(Debug, Clone)]
pub struct FcfsStation {
    servers: u32,
    /// When each server is next free: a min-heap of `servers` times.
    free_at: BinaryHeap<Reverse<SimTime>>,
    /// Start times of the jobs that waited, oldest first (starts never go back in
    /// time), kept only while they may still be waiting.
    waiting: VecDeque<SimTime>,
    tally: StationTally,
    /// Busy server-µs of started jobs, up to `end`.
    busy_us: u128,
    end: SimTime,
}

impl FcfsStation {
    /// A station with `servers` servers (at least one), counted into `stats`, whose
    /// run ends at `end` at the latest.
    pub fn new(servers: u32, end: SimTime, stats: &mut StationStats) -> FcfsStation {
        assert!(servers > 0, "a station needs at least one server");
        stats.servers += u64::from(servers);
        FcfsStation {
            servers,
            free_at: (0..servers).map(|_| Reverse(SimTime::ZERO)).collect(),
            waiting: VecDeque::new(),
            tally: StationTally::default(),
            busy_us: 0,
            end,
        }
    }

    /// A job arrives at `now` needing `service`: when it starts and leaves. `now` is
    /// never before an earlier arrival's.
    pub fn admit(&mut self, now: SimTime, service: SimDuration, stats: &mut StationStats) -> Served {
        let served = {
            let mut first_free = self.free_at.peek_mut().expect("a station has servers");
            let start = first_free.0.max(now);
            let done = start + service;
            *first_free = Reverse(done);
            Served { start, done }
        };
        let Served { start, done } = served;
        let end = self.end;
        stats.arrivals += 1;
        self.tally.arrivals += 1;
        stats.in_system.add_span(now, done, end);
        while self.waiting.front().is_some_and(|&s| s <= now) {
            self.waiting.pop_front();
        }
        if start > now {
            self.waiting.push_back(start);
            self.tally.queue_max = self.tally.queue_max.max(self.waiting.len() as u32);
            stats.queued.add_span(now, start, end);
        }
        if start < end {
            let wait = start - now;
            self.tally.started(wait);
            stats.started += 1;
            stats.wait_total_us += u128::from(wait.0);
            stats.wait_max_us = stats.wait_max_us.max(wait.0);
            stats.service_total_us += u128::from(service.0);
            stats.busy.add_span(start, done, end);
            self.busy_us += u128::from(done.min(end).0 - start.0);
        }
        if done < end {
            stats.completions += 1;
            stats.throughput.add(done, 1);
            stats.last_completion = stats.last_completion.max(done);
        }
        served
    }

    /// Servers.
    pub fn servers(&self) -> u32 {
        self.servers
    }

    /// This station's own lifetime figures.
    pub fn tally(&self) -> &StationTally {
        &self.tally
    }

    /// Busy server-seconds of the whole run.
    pub fn busy_server_s(&self) -> f64 {
        self.busy_us as f64 / 1e6
    }
}

#[cfg(test)]
mod tests {
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
            servers in 1u32..4,
            gaps in proptest::collection::vec((0u64..3, 0u64..6), 1..120),
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
}
