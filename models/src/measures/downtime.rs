//! The User Gateway's downtime windows and what they did: per window, the requests
//! their Users first sent while it was down, how they ended, how long the backlog
//! took to drain, and how requests received in the hour after it fared; per month,
//! DSP availability as PM 2.1 counts it (DOMAIN §2).
//!
//! Counted from each finished request as it streams ([`DowntimeTally::add`]): one
//! fixed-size tally per window, so memory follows the number of windows, not the
//! traffic.

use sim::{SimDuration, SimTime};

use crate::calendar::Date;
use crate::measures::cpm::Month;
use crate::scenario::downtime::{Downtime, Window};
use crate::service_request::{Mode, Outcome, ServiceRequestRecord};

/// After a window closes, the requests received within this long are "the hour
/// after" it: the retry storm and the held backlog land there.
pub const AFTER: SimDuration = SimDuration::from_secs(3_600);

/// One window's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowTally {
    /// The window.
    pub window: Window,
    /// Requests first sent while it was open (through the gateway).
    pub sent: u64,
    /// Of those, received by DCC (at once or later).
    pub received: u64,
    /// Of those, ended `refused`.
    pub refused: u64,
    /// Of those, answered.
    pub responded: u64,
    /// Of those, still open at the end of the run.
    pub unfinished: u64,
    /// Refusals of those requests, every attempt counted.
    pub refusals: u64,
    /// Sum of their waits from first sending to receipt, µs.
    pub wait_total_us: u128,
    /// Longest of those waits, µs.
    pub wait_max_us: u64,
    /// The last of them received (the gateway's backlog drained).
    pub last_received: Option<SimTime>,
    /// The last of them answered (the whole backlog answered).
    pub last_responded: Option<SimTime>,
    /// Requests received through the gateway in the hour after the window,
    /// answered or not (not those the DSP rejected).
    pub after_received: u64,
    /// Of those, answered within their target.
    pub after_within_target: u64,
    /// The longest TRT among them, µs.
    pub after_trt_max_us: u64,
}

impl WindowTally {
    fn new(window: Window) -> WindowTally {
        WindowTally {
            window,
            sent: 0,
            received: 0,
            refused: 0,
            responded: 0,
            unfinished: 0,
            refusals: 0,
            wait_total_us: 0,
            wait_max_us: 0,
            last_received: None,
            last_responded: None,
            after_received: 0,
            after_within_target: 0,
            after_trt_max_us: 0,
        }
    }

    /// Time from the window's end until the last request first sent in it was
    /// received; zero if none was held or retried past the end.
    pub fn drain(&self) -> SimDuration {
        self.last_received.map_or(SimDuration::ZERO, |t| t.since(self.window.end))
    }

    /// Mean wait from first sending to receipt of the requests received, s.
    pub fn mean_wait_s(&self) -> Option<f64> {
        (self.received > 0).then(|| self.wait_total_us as f64 / self.received as f64 / 1e6)
    }

    /// Share of the requests received in the hour after that were answered within
    /// target, %; `None` if none was received.
    pub fn after_within_target_pct(&self) -> Option<f64> {
        (self.after_received > 0).then(|| 100.0 * self.after_within_target as f64 / self.after_received as f64)
    }
}

/// Every window's counts, in time order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DowntimeTally {
    windows: Vec<WindowTally>,
    downtime: Downtime,
}

impl DowntimeTally {
    /// No counts yet, for the windows of `downtime`.
    pub fn new(downtime: &Downtime) -> DowntimeTally {
        DowntimeTally {
            windows: downtime.windows().iter().copied().map(WindowTally::new).collect(),
            downtime: downtime.clone(),
        }
    }

    /// Counts one finished request.
    pub fn add(&mut self, r: &ServiceRequestRecord) {
        if self.windows.is_empty() || r.mode == Mode::Scheduled {
            return;
        }
        if let Some(w) = self.downtime.open_at(r.submitted) {
            let t = &mut self.windows[w];
            t.sent += 1;
            t.refusals += u64::from(r.refusals);
            match r.outcome {
                Outcome::Refused => t.refused += 1,
                Outcome::Responded => t.responded += 1,
                Outcome::Unfinished => t.unfinished += 1,
                Outcome::Rejected | Outcome::DeviceRejected | Outcome::Failed | Outcome::NotYetDue => {}
            }
            if let Some(received) = r.received {
                let wait = received.since(r.submitted).0;
                t.received += 1;
                t.wait_total_us += u128::from(wait);
                t.wait_max_us = t.wait_max_us.max(wait);
                t.last_received = t.last_received.max(Some(received));
            }
            if r.outcome == Outcome::Responded {
                t.last_responded = t.last_responded.max(r.responded);
            }
        }
        // The hour after a window: the last window that closed at or before receipt.
        let Some(received) = r.received else { return };
        let closed = self.windows.partition_point(|t| t.window.end <= received);
        if let Some(t) = closed.checked_sub(1).map(|i| &mut self.windows[i])
            && received < t.window.end + AFTER
            && !matches!(r.outcome, Outcome::Rejected | Outcome::DeviceRejected)
        {
            t.after_received += 1;
            t.after_within_target += u64::from(r.within_target());
            t.after_trt_max_us = t.after_trt_max_us.max(r.trt().map_or(0, |d| d.0));
        }
    }

    /// The windows' counts, in time order.
    pub fn windows(&self) -> &[WindowTally] {
        &self.windows
    }
}

/// One month's DSP availability (PM 2.1): 1 − unplanned downtime ÷ time, over the
/// part of the month the run covers; Planned Maintenance is left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Availability {
    /// The month.
    pub month: Month,
    /// Minutes of the month the run covers.
    pub minutes: f64,
    /// Unplanned downtime in them, minutes.
    pub unplanned_minutes: f64,
}

impl Availability {
    /// Availability, %.
    pub fn pct(&self) -> f64 {
        100.0 * (1.0 - self.unplanned_minutes / self.minutes)
    }
}

/// DSP availability per month of `[0, horizon)` for a run starting on `start`.
pub fn availability(downtime: &Downtime, start: Date, horizon: SimTime) -> Vec<Availability> {
    let mut months: Vec<Availability> = Vec::new();
    let day = SimDuration::from_secs(86_400);
    let mut from = SimTime::ZERO;
    while from < horizon {
        let to = (from + day).min(horizon);
        let month = Month::of(start, from);
        let minutes = to.since(from).as_secs_f64() / 60.0;
        let down = downtime.unplanned_within(from, to).as_secs_f64() / 60.0;
        match months.last_mut() {
            Some(m) if m.month == month => {
                m.minutes += minutes;
                m.unplanned_minutes += down;
            }
            _ => months.push(Availability { month, minutes, unplanned_minutes: down }),
        }
        from = to;
    }
    months
}

/// One window in `summary.json` and `downtime.parquet`.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct WindowRow {
    /// In time order, from 0.
    pub window: u32,
    /// The `[[user_gateway.downtime]]` entry it comes from.
    pub entry: u16,
    /// "planned" or "unplanned".
    pub kind: &'static str,
    /// "hold", "retry" or "reject".
    pub users: &'static str,
    /// Opens, s.
    pub start_s: f64,
    /// Closes, s.
    pub end_s: f64,
    /// Requests first sent while it was open.
    pub sent: u64,
    /// Of those, received by DCC.
    pub received: u64,
    /// Of those, ended `refused`.
    pub refused: u64,
    /// Of those, answered.
    pub responded: u64,
    /// Of those, open at the end of the run.
    pub unfinished: u64,
    /// Refusals of those requests, every attempt counted.
    pub refusals: u64,
    /// Mean wait from first sending to receipt of those received, s.
    pub mean_wait_s: Option<f64>,
    /// Longest such wait, s.
    pub max_wait_s: Option<f64>,
    /// From the window's end to the last of them received, s.
    pub drain_s: Option<f64>,
    /// From the window's end to the last of them answered, s.
    pub answered_by_s: Option<f64>,
    /// Requests received in the hour after the window.
    pub after_received: u64,
    /// Of those, answered within target, %.
    pub after_within_target_pct: Option<f64>,
    /// The longest TRT among them, s.
    pub after_trt_max_s: Option<f64>,
}

/// One month's DSP availability in `summary.json`.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct AvailabilityRow {
    /// "YYYY-MM".
    pub period: String,
    /// Minutes of the month the run covers.
    pub minutes: f64,
    /// Unplanned downtime in them, minutes.
    pub unplanned_minutes: f64,
    /// `100 × (1 − unplanned_minutes / minutes)`.
    pub availability_pct: f64,
}

/// The User Gateway's downtime in `summary.json`.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct DowntimeSummary {
    /// The calendar day of time zero, "YYYY-MM-DD" (for clock times).
    pub start_date: String,
    /// Attempts the closed gateway refused, every retry counted.
    pub refused_attempts: u64,
    /// Requests held by their Users to a planned window's end.
    pub held: u64,
    /// Requests that ended refused.
    pub refused: u64,
    /// Each window.
    pub windows: Vec<WindowRow>,
    /// DSP availability (PM 2.1) per month the run covers.
    pub availability: Vec<AvailabilityRow>,
}

impl DowntimeSummary {
    /// The summary of a run, if its gateway had windows.
    pub fn of(result: &super::RunOutput) -> Option<DowntimeSummary> {
        let scenario = &result.world.scenario;
        let downtime = &scenario.user_gateway.downtime;
        if downtime.is_empty() {
            return None;
        }
        let s = |d: SimDuration| d.as_secs_f64();
        let windows = result.measures.downtime.windows().iter().enumerate().map(|(i, t)| {
            let w = &t.window;
            let since_end = |at: Option<SimTime>| at.map(|at| at.0 as f64 / 1e6 - w.end.as_secs_f64());
            WindowRow {
                window: i as u32,
                entry: w.entry,
                kind: w.kind.as_str(),
                users: w.while_down.as_str(),
                start_s: w.start.as_secs_f64(),
                end_s: w.end.as_secs_f64(),
                sent: t.sent,
                received: t.received,
                refused: t.refused,
                responded: t.responded,
                unfinished: t.unfinished,
                refusals: t.refusals,
                mean_wait_s: t.mean_wait_s(),
                max_wait_s: (t.received > 0).then(|| t.wait_max_us as f64 / 1e6),
                drain_s: (t.received > 0).then(|| s(t.drain())),
                answered_by_s: since_end(t.last_responded),
                after_received: t.after_received,
                after_within_target_pct: t.after_within_target_pct(),
                after_trt_max_s: (t.after_received > 0).then(|| t.after_trt_max_us as f64 / 1e6),
            }
        });
        let availability = availability(downtime, scenario.measurement.start_date, scenario.horizon)
            .into_iter()
            .map(|a| AvailabilityRow {
                period: a.month.label(),
                minutes: a.minutes,
                unplanned_minutes: a.unplanned_minutes,
                availability_pct: a.pct(),
            })
            .collect();
        let g = &result.measures.gateway_downtime;
        Some(DowntimeSummary {
            start_date: scenario.measurement.start_date.to_string(),
            refused_attempts: g.refused_attempts,
            held: g.held,
            refused: g.refused,
            windows: windows.collect(),
            availability,
        })
    }
}
