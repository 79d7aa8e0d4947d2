//! The priority station that needs an event only when a job must wait.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use super::{Served, StationStats, StationTally};
use crate::time::{SimDuration, SimTime};

/// What became of a job arriving at a [`PriorityStation`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Arrival<J> {
    /// A server was free: the job is served at once.
    Started(J, Served),
    /// Every server is busy: the job waits. If `wake_at` is given, the caller must
    /// call [`PriorityStation::wake`] then (a server frees).
    Waiting {
        /// When a server frees, if no wake-up is due already.
        wake_at: Option<SimTime>,
    },
}

/// A station with `c` servers and non-preemptive priority classes (FCFS within a
/// class; a lower class number is served first; a job in service is never
/// interrupted) that needs an event only when a job has to wait: a job that finds a
/// server free is served at once, on paper, and its completion is known then. When
/// jobs wait, the caller is asked to wake the station when a server frees, and the
/// waiting jobs of the best class start then.
///
/// Figures are those of a [`Station`](super::Station) run to `end`, the latest time the run can
/// reach: what would happen at or after it never happens.
#[derive(Debug, Clone)]
pub struct PriorityStation<J> {
    /// When each server is next free: a min-heap of `servers` times.
    free_at: BinaryHeap<Reverse<SimTime>>,
    /// Waiting jobs, one line per class, with their arrival and service times.
    waiting: Vec<VecDeque<(SimTime, SimDuration, J)>>,
    queued: usize,
    /// A wake-up the caller has been asked for and not yet made.
    wake_due: Option<SimTime>,
    tally: StationTally,
    end: SimTime,
}

impl<J> PriorityStation<J> {
    /// A station with `servers` servers and `classes` priority classes (at least one
    /// each), counted into `stats`, whose run ends at `end` at the latest.
    pub fn new(servers: u32, classes: usize, end: SimTime, stats: &mut StationStats) -> PriorityStation<J> {
        assert!(servers > 0, "a station needs at least one server");
        assert!(classes > 0, "a station needs at least one class");
        stats.servers += u64::from(servers);
        PriorityStation {
            free_at: (0..servers).map(|_| Reverse(SimTime::ZERO)).collect(),
            waiting: (0..classes).map(|_| VecDeque::new()).collect(),
            queued: 0,
            wake_due: None,
            tally: StationTally::default(),
            end,
        }
    }

    fn first_free(&self) -> SimTime {
        self.free_at.peek().expect("a station has servers").0
    }

    /// Starts a job at `now` on the first free server (free by `now`).
    fn start(&mut self, arrived: SimTime, now: SimTime, service: SimDuration, stats: &mut StationStats) -> Served {
        let done = now + service;
        *self.free_at.peek_mut().expect("a station has servers") = Reverse(done);
        let end = self.end;
        stats.in_system.add_span(arrived, done, end);
        stats.queued.add_span(arrived, now, end);
        if now < end {
            let wait = now - arrived;
            self.tally.started(wait);
            stats.started += 1;
            stats.wait_total_us += u128::from(wait.0);
            stats.wait_max_us = stats.wait_max_us.max(wait.0);
            stats.service_total_us += u128::from(service.0);
            stats.busy.add_span(now, done, end);
        }
        if done < end {
            stats.completions += 1;
            stats.throughput.add(done, 1);
            stats.last_completion = stats.last_completion.max(done);
        }
        Served { start: now, done }
    }

    /// A job of class `class` (0 is served first) arrives at `now` needing
    /// `service`. `now` is never before an earlier arrival's or wake-up's.
    pub fn arrive(
        &mut self,
        class: usize,
        now: SimTime,
        service: SimDuration,
        job: J,
        stats: &mut StationStats,
    ) -> Arrival<J> {
        stats.arrivals += 1;
        self.tally.arrivals += 1;
        if self.queued == 0 && self.first_free() <= now {
            return Arrival::Started(job, self.start(now, now, service, stats));
        }
        self.waiting[class].push_back((now, service, job));
        self.queued += 1;
        self.tally.queue_max = self.tally.queue_max.max(self.queued as u32);
        if self.wake_due.is_some() {
            return Arrival::Waiting { wake_at: None };
        }
        let at = self.first_free();
        self.wake_due = Some(at);
        Arrival::Waiting { wake_at: Some(at) }
    }

    /// The wake-up asked for, at `now`: the next waiting job that starts now, if a
    /// server is free. Call it until it gives `None`, then ask [`Self::next_wake`].
    pub fn wake(&mut self, now: SimTime, stats: &mut StationStats) -> Option<(J, Served)> {
        self.wake_due = None;
        if self.first_free() > now {
            return None;
        }
        let (arrived, service, job) = self.waiting.iter_mut().find_map(VecDeque::pop_front)?;
        self.queued -= 1;
        Some((job, self.start(arrived, now, service, stats)))
    }

    /// After a wake-up: when to wake next, if jobs still wait.
    pub fn next_wake(&mut self) -> Option<SimTime> {
        if self.queued == 0 || self.wake_due.is_some() {
            return None;
        }
        let at = self.first_free();
        self.wake_due = Some(at);
        Some(at)
    }

    /// Jobs waiting for a server.
    pub fn queue_len(&self) -> usize {
        self.queued
    }

    /// This station's own lifetime figures.
    pub fn tally(&self) -> &StationTally {
        &self.tally
    }

    /// Ends the run: jobs still waiting count as waiting until its end. Call once,
    /// at the end.
    pub fn close(&mut self, stats: &mut StationStats) {
        for &(arrived, _, _) in self.waiting.iter().flatten() {
            stats.in_system.add_span(arrived, self.end, self.end);
            stats.queued.add_span(arrived, self.end, self.end);
        }
    }
}
