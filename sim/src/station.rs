//! A first-come-first-served service station with `c` identical servers.
//!
//! The station is bookkeeping only: it tells the caller when a job starts service and
//! when it completes, and the caller schedules the completion event. The service time
//! is given on arrival (drawn from a stream keyed by the job, so it does not matter
//! when it is drawn). It keeps the figures that queueing theory speaks of: waits,
//! service times, and the time-weighted number in system and busy servers.

use std::collections::VecDeque;

use crate::stats::{LatencyHistogram, LevelSeries, TimeSeries};
use crate::time::{SimDuration, SimTime};

/// Figures of one station (or several, merged).
#[derive(Debug, Clone)]
pub struct StationStats {
    /// Jobs that arrived.
    pub arrivals: u64,
    /// Jobs that completed service.
    pub completions: u64,
    /// Time from arrival to start of service.
    pub wait: LatencyHistogram,
    /// Service times.
    pub service: LatencyHistogram,
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
            arrivals: 0,
            completions: 0,
            wait: LatencyHistogram::default(),
            service: LatencyHistogram::default(),
            in_system: LevelSeries::new(bucket),
            queued: LevelSeries::new(bucket),
            busy: LevelSeries::new(bucket),
            throughput: TimeSeries::new(bucket),
        }
    }

    /// Adds another station's figures.
    pub fn merge(&mut self, other: &StationStats) {
        self.arrivals += other.arrivals;
        self.completions += other.completions;
        self.wait.merge(&other.wait);
        self.service.merge(&other.service);
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
}

/// A FCFS station with a fixed number of servers.
#[derive(Debug, Clone)]
pub struct Station<J> {
    servers: u32,
    busy: u32,
    waiting: VecDeque<(SimTime, SimDuration, J)>,
    stats: StationStats,
}

impl<J> Station<J> {
    /// A station with `servers` servers (at least one) and series of `bucket` width.
    pub fn new(servers: u32, bucket: SimDuration) -> Station<J> {
        assert!(servers > 0, "a station needs at least one server");
        Station {
            servers,
            busy: 0,
            waiting: VecDeque::new(),
            stats: StationStats::new(bucket),
        }
    }

    fn update_levels(&mut self, now: SimTime) {
        let queued = self.waiting.len() as u64;
        self.stats.queued.set(now, queued);
        self.stats.busy.set(now, u64::from(self.busy));
        self.stats.in_system.set(now, queued + u64::from(self.busy));
    }

    fn start(&mut self, now: SimTime, arrived: SimTime, service: SimDuration) -> SimTime {
        self.busy += 1;
        self.stats.wait.record(now - arrived);
        self.stats.service.record(service);
        now + service
    }

    /// A job arrives needing `service`. Returns its completion time if a server was
    /// free; otherwise it waits and `None` is returned.
    pub fn arrive(&mut self, now: SimTime, service: SimDuration, job: J) -> Option<(J, SimTime)> {
        self.stats.arrivals += 1;
        let started = if self.busy < self.servers {
            Some((job, self.start(now, now, service)))
        } else {
            self.waiting.push_back((now, service, job));
            None
        };
        self.update_levels(now);
        started
    }

    /// A server completes a job. Returns the next job to start and its completion time.
    pub fn complete(&mut self, now: SimTime) -> Option<(J, SimTime)> {
        assert!(self.busy > 0, "completion at an idle station");
        self.busy -= 1;
        self.stats.completions += 1;
        self.stats.throughput.add(now, 1);
        let next = self.waiting.pop_front().map(|(arrived, service, job)| {
            let done = self.start(now, arrived, service);
            (job, done)
        });
        self.update_levels(now);
        next
    }

    /// Jobs waiting for a server.
    pub fn queue_len(&self) -> usize {
        self.waiting.len()
    }

    /// Servers busy now.
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// The station's figures.
    pub fn stats(&self) -> &StationStats {
        &self.stats
    }

    /// Takes the figures, closing the series at `end`.
    pub fn finish(&mut self, end: SimTime) -> StationStats {
        self.stats.close(end);
        self.stats.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_wait_in_arrival_order_for_a_free_server() {
        let mut s = Station::new(1, SimDuration::from_secs(100));
        let t = SimTime::from_secs;
        let d = SimDuration::from_secs;
        assert_eq!(s.arrive(t(0), d(10), 'a'), Some(('a', t(10))));
        assert_eq!(s.arrive(t(1), d(5), 'b'), None);
        assert_eq!(s.arrive(t(2), d(1), 'c'), None);
        assert_eq!(s.complete(t(10)), Some(('b', t(15))));
        assert_eq!(s.complete(t(15)), Some(('c', t(16))));
        assert_eq!(s.complete(t(16)), None);
        let st = s.finish(t(20));
        assert_eq!((st.arrivals, st.completions), (3, 3));
        // Waits 0, 9 and 13 s: mean 22/3 s.
        assert!((st.wait.mean_s() - 22.0 / 3.0).abs() < 1e-9);
        // Little: ∫N dt = sum of sojourns = 10 + 14 + 14.
        assert!((st.in_system.total_level_s() - 38.0).abs() < 1e-9);
        assert!((st.busy.total_level_s() - 16.0).abs() < 1e-9);
    }
}
