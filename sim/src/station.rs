//! A first-come-first-served service station with `c` identical servers.
//!
//! The station is bookkeeping only: it tells the caller when a job starts service and
//! when it completes, and the caller schedules the completion event. The service time
//! is given on arrival (drawn from a stream keyed by the job, so it does not matter
//! when it is drawn). Figures go to a [`StationStats`] the caller passes in, so many
//! small stations (radio cells, say) can share one set of figures.

use std::collections::VecDeque;

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

/// A FCFS station with a fixed number of servers.
#[derive(Debug, Clone)]
pub struct Station<J> {
    servers: u32,
    busy: u32,
    waiting: VecDeque<(SimTime, SimDuration, J)>,
}

impl<J> Station<J> {
    /// A station with `servers` servers (at least one), counted into `stats`.
    pub fn new(servers: u32, stats: &mut StationStats) -> Station<J> {
        assert!(servers > 0, "a station needs at least one server");
        stats.servers += u64::from(servers);
        Station { servers, busy: 0, waiting: VecDeque::new() }
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
        stats.arrivals += 1;
        stats.in_system.add(now, 1);
        if self.busy < self.servers {
            self.busy += 1;
            stats.busy.add(now, 1);
            Some((job, Self::start(now, now, service, stats)))
        } else {
            self.waiting.push_back((now, service, job));
            stats.queued.add(now, 1);
            None
        }
    }

    /// A server completes a job. Returns the next job to start and its completion time.
    pub fn complete(&mut self, now: SimTime, stats: &mut StationStats) -> Option<(J, SimTime)> {
        assert!(self.busy > 0, "completion at an idle station");
        stats.completions += 1;
        stats.throughput.add(now, 1);
        stats.in_system.add(now, -1);
        match self.waiting.pop_front() {
            Some((arrived, service, job)) => {
                stats.queued.add(now, -1);
                Some((job, Self::start(now, arrived, service, stats)))
            }
            None => {
                self.busy -= 1;
                stats.busy.add(now, -1);
                None
            }
        }
    }

    /// Jobs waiting for a server.
    pub fn queue_len(&self) -> usize {
        self.waiting.len()
    }

    /// Servers busy now.
    pub fn busy(&self) -> u32 {
        self.busy
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
        // Waits 0, 9 and 13 s: mean 22/3 s.
        assert!((st.mean_wait_s() - 22.0 / 3.0).abs() < 1e-9);
        assert_eq!(st.wait_max_us, 13_000_000);
        // Little: ∫N dt = sum of sojourns = 10 + 14 + 14.
        assert!((st.in_system.total_level_s() - 38.0).abs() < 1e-9);
        assert!((st.busy.total_level_s() - 16.0).abs() < 1e-9);
        assert!((st.utilisation(d(20)) - 0.8).abs() < 1e-12);
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
}
