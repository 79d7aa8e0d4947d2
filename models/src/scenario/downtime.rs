//! When the DCC User Interface is down: Planned Maintenance windows and unplanned
//! outages of the User Gateway (`[[user_gateway.downtime]]`), and what DCC Users
//! do about it (`[users]` retry keys).
//!
//! While a window is open the gateway accepts no new request; what it accepted
//! before goes on (assumption: the User Interface refuses new connections, and work
//! already inside DCC continues). A request that meets a closed gateway is
//! - **held** by its User and sent when the window ends (Planned Maintenance is
//!   announced, so Users know when; DOMAIN §4 "Planned maintenance"), or
//! - **retried** with exponential backoff and jitter (an unplanned outage, whose end
//!   Users cannot know), and given up after the last attempt, or
//! - **rejected** outright.
//!
//! A request given up or rejected ends as `refused`: DCC never received it. The
//! TRT clock starts at receipt (DOMAIN §1.2), so the wait outside is reported on
//! its own (`wait_for_gateway_s`), not as lateness. DSP availability (PM 2.1,
//! DOMAIN §2) counts unplanned windows only.

use serde::Deserialize;
use sim::{SimDuration, SimTime, SplitMix64};

use super::units::{secs, time};

/// Whether a window was announced.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DowntimeKind {
    /// Planned Maintenance: announced, and excluded from DSP availability.
    Planned,
    /// An unplanned outage: it counts against DSP availability.
    Unplanned,
}

impl DowntimeKind {
    /// The value in scenarios and output columns.
    pub fn as_str(self) -> &'static str {
        match self {
            DowntimeKind::Planned => "planned",
            DowntimeKind::Unplanned => "unplanned",
        }
    }
}

/// What Users do with a request the closed gateway will not take.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WhileDown {
    /// Keep it and send it as the window ends.
    Hold,
    /// Try again after a backoff, up to the last attempt.
    Retry,
    /// The gateway rejects it, and the User does not send it again.
    Reject,
}

impl WhileDown {
    /// The value in scenarios and output columns.
    pub fn as_str(self) -> &'static str {
        match self {
            WhileDown::Hold => "hold",
            WhileDown::Retry => "retry",
            WhileDown::Reject => "reject",
        }
    }
}

/// `[[user_gateway.downtime]]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DowntimeSpec {
    /// Planned or not.
    pub kind: DowntimeKind,
    /// The first window opens.
    #[serde(rename = "start_s", deserialize_with = "time")]
    pub start: SimTime,
    /// How long each window lasts.
    #[serde(rename = "duration_s", deserialize_with = "secs")]
    pub duration: SimDuration,
    /// The window repeats this often until the horizon; zero: once.
    #[serde(rename = "every_s", deserialize_with = "secs")]
    pub every: SimDuration,
    /// What Users do meanwhile; by default they hold a planned window's requests
    /// and retry through an unplanned one.
    #[serde(default)]
    pub users: Option<WhileDown>,
}

impl DowntimeSpec {
    /// What Users do while this window is open.
    pub fn while_down(&self) -> WhileDown {
        self.users.unwrap_or(match self.kind {
            DowntimeKind::Planned => WhileDown::Hold,
            DowntimeKind::Unplanned => WhileDown::Retry,
        })
    }
}

/// One window the gateway is closed: `[start, end)`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Window {
    /// Planned or not.
    pub kind: DowntimeKind,
    /// Opens.
    pub start: SimTime,
    /// Closes: requests are accepted again from here.
    pub end: SimTime,
    /// What Users do meanwhile.
    pub while_down: WhileDown,
    /// The `[[user_gateway.downtime]]` entry it comes from.
    pub entry: u16,
}

/// At most this many windows in a run (a weekly window over a quarter is 14).
pub const MAX_WINDOWS: usize = 10_000;

/// Every window of a run, in time order, none overlapping.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Downtime {
    windows: Vec<Window>,
}

impl Downtime {
    /// The windows `specs` give before `horizon`, in time order; an error names the
    /// entry (its index) and what is wrong: windows that overlap, a repeat shorter
    /// than the window, or too many windows.
    pub fn expand(specs: &[DowntimeSpec], horizon: SimTime) -> Result<Downtime, (usize, String)> {
        let mut windows = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            if spec.every > SimDuration::ZERO && spec.every < spec.duration {
                let why = format!(
                    "`every_s` {} is shorter than `duration_s` {}: the windows would overlap; allowed: 0 (once) or at \
                     least `duration_s`",
                    spec.every.as_secs_f64(),
                    spec.duration.as_secs_f64()
                );
                return Err((i, why));
            }
            let mut start = spec.start;
            while start < horizon {
                let end = start + spec.duration;
                windows.push(Window { kind: spec.kind, start, end, while_down: spec.while_down(), entry: i as u16 });
                if windows.len() > MAX_WINDOWS {
                    return Err((
                        i,
                        format!("more than {MAX_WINDOWS} windows before the horizon; allowed: up to that"),
                    ));
                }
                if spec.every == SimDuration::ZERO {
                    break;
                }
                start += spec.every;
            }
        }
        windows.sort_by_key(|w| (w.start, w.entry));
        if let Some(pair) = windows.windows(2).find(|p| p[1].start < p[0].end) {
            let why = format!(
                "its window from {} s overlaps the window of entry {} from {} s to {} s; allowed: windows apart",
                pair[1].start.as_secs_f64(),
                pair[0].entry,
                pair[0].start.as_secs_f64(),
                pair[0].end.as_secs_f64()
            );
            return Err((usize::from(pair[1].entry), why));
        }
        Ok(Downtime { windows })
    }

    /// The windows, in time order.
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// The index of the window open at `t`, if one is.
    pub fn open_at(&self, t: SimTime) -> Option<usize> {
        let after = self.windows.partition_point(|w| w.start <= t);
        after.checked_sub(1).filter(|&i| t < self.windows[i].end)
    }

    /// Whether no window is set.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// Unplanned downtime within `[from, to)`: what DSP availability (PM 2.1)
    /// subtracts; planned windows are excluded.
    pub fn unplanned_within(&self, from: SimTime, to: SimTime) -> SimDuration {
        let overlap = |w: &Window| w.end.min(to).since(w.start.max(from));
        let us = self.windows.iter().filter(|w| w.kind == DowntimeKind::Unplanned && w.end > from && w.start < to);
        SimDuration(us.map(|w| overlap(w).0).sum())
    }
}

/// The windows of `specs` before `horizon`, each start checked against it; the
/// problems go to `c` (and no window is kept if they overlap).
pub(crate) fn check(specs: &[DowntimeSpec], horizon: SimTime, c: &mut super::Checker<'_>) -> Downtime {
    for (i, spec) in specs.iter().enumerate() {
        c.within(&format!("user_gateway.downtime.{i}.start_s"), spec.start.as_secs_f64(), 0.0, horizon.as_secs_f64());
    }
    Downtime::expand(specs, horizon).unwrap_or_else(|(i, why)| {
        c.problem(&format!("user_gateway.downtime.{i}"), why);
        Downtime::default()
    })
}

/// How Users retry a request the gateway refused (`[users]` `retry_*` keys).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct RetryPolicy {
    /// Wait before the second attempt.
    #[serde(rename = "retry_after_s", deserialize_with = "secs")]
    pub first: SimDuration,
    /// Each further wait is this many times the last.
    #[serde(rename = "retry_multiplier")]
    pub multiplier: f64,
    /// No wait is longer.
    #[serde(rename = "retry_max_wait_s", deserialize_with = "secs")]
    pub max_wait: SimDuration,
    /// Attempts in all, the first included; after the last the User gives up.
    #[serde(rename = "retry_attempts")]
    pub attempts: u8,
}

impl RetryPolicy {
    /// The wait after attempt `attempt` (1 for the first) failed: the backoff,
    /// `first × multiplier^(attempt − 1)` capped at `max_wait`, times a uniform
    /// jitter in [0.5, 1) drawn from `rng` so that Users do not all come back at
    /// once ("equal jitter").
    pub fn wait_after(&self, attempt: u8, rng: &mut SplitMix64) -> SimDuration {
        let backoff_s =
            (self.first.as_secs_f64() * self.multiplier.powi(i32::from(attempt) - 1)).min(self.max_wait.as_secs_f64());
        SimDuration::from_secs_f64(backoff_s * (0.5 + 0.5 * rng.unit_f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: DowntimeKind, start_s: u64, duration_s: u64, every_s: u64) -> DowntimeSpec {
        DowntimeSpec {
            kind,
            start: SimTime::from_secs(start_s),
            duration: SimDuration::from_secs(duration_s),
            every: SimDuration::from_secs(every_s),
            users: None,
        }
    }

    /// A weekly window over three weeks opens three times; a one-off once. The
    /// window open at a time is found at its edges: open at its start, closed at
    /// its end.
    #[test]
    fn windows_repeat_until_the_horizon_and_are_found_at_their_edges() {
        let specs = [spec(DowntimeKind::Planned, 100, 50, 1_000), spec(DowntimeKind::Unplanned, 500, 100, 0)];
        let d = Downtime::expand(&specs, SimTime::from_secs(2_500)).unwrap();
        let starts: Vec<u64> = d.windows().iter().map(|w| w.start.as_secs_f64() as u64).collect();
        assert_eq!(starts, [100, 500, 1_100, 2_100]);
        assert_eq!(d.windows()[0].while_down, WhileDown::Hold);
        assert_eq!(d.windows()[1].while_down, WhileDown::Retry);
        assert_eq!(d.open_at(SimTime::from_secs(99)), None);
        assert_eq!(d.open_at(SimTime::from_secs(100)), Some(0));
        assert_eq!(d.open_at(SimTime::from_secs(149)), Some(0));
        assert_eq!(d.open_at(SimTime::from_secs(150)), None);
        assert_eq!(d.open_at(SimTime::from_secs(599)), Some(1));
        assert_eq!(d.open_at(SimTime::from_secs(2_149)), Some(3));
        // Availability counts the unplanned window only, clipped to the period.
        assert_eq!(d.unplanned_within(SimTime::ZERO, SimTime::from_secs(550)), SimDuration::from_secs(50));
    }

    /// Overlapping windows, and a repeat shorter than its window, are refused with
    /// the entry and why.
    #[test]
    fn overlapping_windows_are_refused() {
        let specs = [spec(DowntimeKind::Planned, 100, 500, 0), spec(DowntimeKind::Unplanned, 300, 10, 0)];
        let (entry, why) = Downtime::expand(&specs, SimTime::from_secs(1_000)).unwrap_err();
        assert_eq!(entry, 1);
        assert!(why.contains("overlaps the window of entry 0"), "{why}");
        let (entry, why) =
            Downtime::expand(&[spec(DowntimeKind::Planned, 0, 60, 30)], SimTime::from_secs(1_000)).unwrap_err();
        assert_eq!(entry, 0);
        assert!(why.contains("shorter than `duration_s`"), "{why}");
    }

    /// Backoff doubles from the first wait up to the cap, each wait jittered into
    /// [½, 1) of it.
    #[test]
    fn backoff_grows_to_its_cap_with_jitter() {
        let policy = RetryPolicy {
            first: SimDuration::from_secs(60),
            multiplier: 2.0,
            max_wait: SimDuration::from_secs(300),
            attempts: 6,
        };
        let mut rng = SplitMix64::from_state(7);
        for (attempt, backoff_s) in [(1u8, 60.0), (2, 120.0), (3, 240.0), (4, 300.0), (5, 300.0)] {
            for _ in 0..100 {
                let wait_s = policy.wait_after(attempt, &mut rng).as_secs_f64();
                assert!((0.5 * backoff_s..backoff_s).contains(&wait_s), "attempt {attempt}: {wait_s} s");
            }
        }
    }
}
