//! The first-come-first-served station without completion events.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::{StationStats, StationTally};
use crate::time::{SimDuration, SimTime};

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
/// Figures are those of a [`Station`](super::Station) run to `end`, the latest time the run can
/// reach: what would happen at or after it never happens.
#[derive(Debug, Clone)]
pub struct FcfsStation {
    servers: u32,
    /// When each server busy at the last arrival is next free: a min-heap of at
    /// most `servers` times (the other servers are free). A lightly loaded
    /// station with thousands of servers keeps a short heap.
    busy_until: BinaryHeap<Reverse<SimTime>>,
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
            busy_until: BinaryHeap::new(),
            waiting: VecDeque::new(),
            tally: StationTally::default(),
            busy_us: 0,
            end,
        }
    }

    /// A job arrives at `now` needing `service`: when it starts and leaves. `now` is
    /// never before an earlier arrival's.
    pub fn admit(&mut self, now: SimTime, service: SimDuration, stats: &mut StationStats) -> Served {
        while self.busy_until.peek().is_some_and(|r| r.0 <= now) {
            self.busy_until.pop();
        }
        let start = if self.busy_until.len() < self.servers as usize {
            now
        } else {
            self.busy_until.pop().expect("every server is busy").0
        };
        let done = start + service;
        self.busy_until.push(Reverse(done));
        let served = Served { start, done };
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
