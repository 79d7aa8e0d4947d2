//! Suppression of repeated identical alerts from one device: DCC's Alert Storm
//! Protection (SECMP0062) and, with other settings, the hub-side consolidation
//! proposed by MP119 (DOMAIN §3).
//!
//! A [`RepeatFilter`] counts one device's identical alerts in a window that opens
//! with the first of them. Up to `threshold` in a window pass. Beyond it, alerts are
//! discarded, except that one passes per `period`; a passing alert carries the count
//! of those discarded since the last one passed. So passed + discarded = offered,
//! always, and the counts carried add up to the discards reported.

use sim::SimTime;

pub use crate::scenario::alerts::RepeatFilterSpec;

/// What the filter does with one alert.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Pass it on, carrying this many discarded since the last one passed.
    Pass(u32),
    /// Discard it.
    Discard,
}

/// The state of one device's identical alerts.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RepeatFilter {
    window_start: SimTime,
    in_window: u32,
    last_passed: SimTime,
    discarded_since: u32,
}

impl RepeatFilter {
    /// A filter that has seen nothing; the first alert opens its window.
    pub fn new(first: SimTime) -> RepeatFilter {
        RepeatFilter { window_start: first, in_window: 0, last_passed: first, discarded_since: 0 }
    }

    /// Judges an alert at `now` (alerts come in time order).
    pub fn offer(&mut self, spec: &RepeatFilterSpec, now: SimTime) -> Verdict {
        if now >= self.window_start + spec.window {
            self.window_start = now;
            self.in_window = 0;
        }
        self.in_window += 1;
        if self.in_window <= spec.threshold || now >= self.last_passed + spec.period {
            self.last_passed = now;
            Verdict::Pass(std::mem::take(&mut self.discarded_since))
        } else {
            self.discarded_since += 1;
            Verdict::Discard
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sim::SimDuration;

    const SPEC: RepeatFilterSpec =
        RepeatFilterSpec { threshold: 3, window: SimDuration(900_000_000), period: SimDuration(3_600_000_000) };

    #[test]
    fn beyond_the_threshold_one_passes_per_period_carrying_the_count() {
        let mut f = RepeatFilter::new(SimTime::ZERO);
        let at = |m: u64| SimTime::from_secs(60 * m);
        let verdicts: Vec<Verdict> = (0..6).map(|m| f.offer(&SPEC, at(m))).collect();
        assert_eq!(verdicts[..3], [Verdict::Pass(0); 3]);
        assert_eq!(verdicts[3..], [Verdict::Discard; 3]);
        // A new window opens at 15 min, but the period since the last pass has not
        // run: within the threshold again, so it passes and reports the 3 discarded.
        assert_eq!(f.offer(&SPEC, at(15)), Verdict::Pass(3));
    }

    proptest! {
        /// Passed + discarded = offered, and the counts carried never exceed the discards.
        #[test]
        fn the_filter_conserves_alerts(gaps in proptest::collection::vec(0u64..2_000, 1..300),
                                       threshold in 1u32..6, window_s in 1u64..2_000, period_s in 1u64..5_000) {
            let spec = RepeatFilterSpec {
                threshold,
                window: SimDuration::from_secs(window_s),
                period: SimDuration::from_secs(period_s),
            };
            let mut f = RepeatFilter::new(SimTime::ZERO);
            let (mut now, mut passed, mut discarded, mut carried) = (SimTime::ZERO, 0u32, 0u32, 0u32);
            for g in &gaps {
                now += SimDuration::from_secs(*g);
                match f.offer(&spec, now) {
                    Verdict::Pass(n) => { passed += 1; carried += n; }
                    Verdict::Discard => discarded += 1,
                }
            }
            prop_assert_eq!(passed + discarded, gaps.len() as u32);
            prop_assert!(carried <= discarded);
            prop_assert_eq!(carried + f.discarded_since, discarded);
        }
    }
}
