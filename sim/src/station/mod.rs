//! Service stations with `c` identical servers: first come, first served, or with
//! non-preemptive priority classes (FCFS within a class; a lower class number is
//! served first; a job in service is never interrupted).
//!
//! A station is bookkeeping only: it tells the caller when a job starts service and
//! when it completes, and the caller schedules what follows. The service time is
//! given on arrival (drawn from a stream keyed by the job, so it does not matter when
//! it is drawn). Figures go to a [`StationStats`] the caller passes in, so many small
//! stations (radio cells, say) can share one set of figures.
//!
//! - [`Station`] needs a completion event for every job: the textbook station, and
//!   the reference the others are tested against.
//! - [`FcfsStation`] needs none: in arrival order and with the service time known
//!   on arrival, a job's start and completion follow at once from when the servers
//!   are next free (the Kiefer–Wolfowitz recursion, Lindley's for one server).
//! - [`PriorityStation`] has priority classes and needs an event only when a job
//!   must wait: then the caller wakes it when a server frees.

mod fcfs;
mod priority;

use std::collections::VecDeque;

pub use fcfs::{FcfsStation, Served};
pub use priority::{Arrival, PriorityStation};

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

    /// Hands on the series' buckets that end at or before `t`: figures with those
    /// buckets only (and no counts), to merge into a run's totals as it goes, so
    /// that these figures keep only the buckets still open. `t` is at or after
    /// every arrival and completion counted so far.
    pub fn take_series_before(&mut self, t: SimTime) -> StationStats {
        StationStats {
            in_system: self.in_system.take_before(t),
            queued: self.queued.take_before(t),
            busy: self.busy.take_before(t),
            throughput: self.throughput.take_before(t),
            ..StationStats::new(self.throughput.bucket())
        }
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

#[cfg(test)]
mod tests;

crate::wire_struct!(StationTally {
    arrivals,
    started,
    wait_total_us,
    wait_max_us,
    queue_max,
    busy_integral_us,
    last_change
});
crate::wire_struct!(StationStats {
    servers,
    arrivals,
    started,
    completions,
    wait_total_us,
    wait_max_us,
    service_total_us,
    in_system,
    queued,
    busy,
    throughput,
    last_completion
});
