//! Simulated time: integer microseconds, never floats.
//!
//! Floats drift and round differently after reordering; an integer clock makes event
//! order a pure function of the data. A `u64` of microseconds spans 584,000 years.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Microseconds in one second.
pub const MICROS_PER_S: u64 = 1_000_000;

/// An instant of simulated time, in microseconds since the start of the run.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A span of simulated time, in microseconds.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// A time later than any event; used as "never".
    pub const MAX: SimTime = SimTime(u64::MAX);

    /// The instant `s` seconds after the start, rounded to the nearest microsecond.
    pub fn from_secs_f64(s: f64) -> SimTime {
        SimTime(secs_to_micros(s))
    }

    /// Whole seconds as an instant.
    pub const fn from_secs(s: u64) -> SimTime {
        SimTime(s * MICROS_PER_S)
    }

    /// Microseconds since the start.
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// Seconds since the start, for reporting only (never for ordering).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_S as f64
    }

    /// `self + d`, saturating at [`SimTime::MAX`].
    pub fn saturating_add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    /// The span from `earlier` to `self`; zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// `s` seconds, rounded to the nearest microsecond; negative or NaN gives zero.
    pub fn from_secs_f64(s: f64) -> SimDuration {
        SimDuration(secs_to_micros(s))
    }

    /// Whole seconds.
    pub const fn from_secs(s: u64) -> SimDuration {
        SimDuration(s * MICROS_PER_S)
    }

    /// Whole milliseconds.
    pub const fn from_millis(ms: u64) -> SimDuration {
        SimDuration(ms * 1_000)
    }

    /// The span in microseconds.
    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// The span in seconds, for reporting only.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_S as f64
    }
}

fn secs_to_micros(s: f64) -> u64 {
    if s.is_nan() || s <= 0.0 {
        0
    } else {
        // `as` saturates at u64::MAX for huge values.
        (s * MICROS_PER_S as f64).round() as u64
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0 + d.0)
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 += d.0;
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0 + d.0)
    }
}

impl Sub for SimTime {
    type Output = SimDuration;
    /// Panics (in debug builds) if `rhs` is later than `self`: that is a causality bug.
    fn sub(self, rhs: SimTime) -> SimDuration {
        SimDuration(self.0 - rhs.0)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6}s", self.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_round_to_the_nearest_microsecond() {
        assert_eq!(SimTime::from_secs_f64(1.0000004).as_micros(), 1_000_000);
        assert_eq!(SimTime::from_secs_f64(1.0000006).as_micros(), 1_000_001);
        assert_eq!(SimDuration::from_secs_f64(-3.0), SimDuration::ZERO);
        assert_eq!(SimDuration::from_secs_f64(f64::NAN), SimDuration::ZERO);
    }

    #[test]
    fn arithmetic_is_exact() {
        let t = SimTime::from_secs(2) + SimDuration::from_millis(1500);
        assert_eq!(t, SimTime(3_500_000));
        assert_eq!(t.since(SimTime::from_secs(1)), SimDuration(2_500_000));
        assert_eq!(SimTime::from_secs(1).since(t), SimDuration::ZERO);
        assert_eq!(SimTime::MAX.saturating_add(SimDuration(5)), SimTime::MAX);
    }
}
