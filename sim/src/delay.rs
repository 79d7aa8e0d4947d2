//! Distributions of delays and service times.

use rand_distr::{Distribution, LogNormal};

use crate::rng::SplitMix64;
use crate::time::SimDuration;

/// z-score of the 95th percentile of the standard normal distribution.
const Z95: f64 = 1.644_853_626_951_472_2;

/// A distribution of non-negative durations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Delay {
    /// Always the same value.
    Constant {
        /// The value, in seconds.
        value_s: f64,
    },
    /// Exponential (memoryless): what M/M/c theory assumes.
    Exponential {
        /// Mean, in seconds.
        mean_s: f64,
    },
    /// Log-normal, given by its median and 95th percentile.
    LogNormal {
        /// Median, in seconds.
        median_s: f64,
        /// 95th percentile, in seconds (greater than the median).
        p95_s: f64,
    },
    /// Uniform between two bounds.
    Uniform {
        /// Lower bound, in seconds.
        min_s: f64,
        /// Upper bound, in seconds.
        max_s: f64,
    },
}

impl Delay {
    /// Draws one value.
    pub fn sample(&self, rng: &mut SplitMix64) -> SimDuration {
        let s = match *self {
            Delay::Constant { value_s } => value_s,
            Delay::Exponential { mean_s } => rng.exponential(mean_s),
            Delay::LogNormal { median_s, p95_s } => {
                let sigma = (p95_s / median_s).ln() / Z95;
                LogNormal::new(median_s.ln(), sigma).expect("validated log-normal parameters").sample(rng)
            }
            Delay::Uniform { min_s, max_s } => min_s + (max_s - min_s) * rng.unit_f64(),
        };
        SimDuration::from_secs_f64(s)
    }

    /// The mean, in seconds.
    pub fn mean_s(&self) -> f64 {
        match *self {
            Delay::Constant { value_s } => value_s,
            Delay::Exponential { mean_s } => mean_s,
            Delay::LogNormal { median_s, p95_s } => {
                let sigma = (p95_s / median_s).ln() / Z95;
                median_s * (sigma * sigma / 2.0).exp()
            }
            Delay::Uniform { min_s, max_s } => (min_s + max_s) / 2.0,
        }
    }

    /// The least value it can take, in seconds.
    pub fn min_s(&self) -> f64 {
        match *self {
            Delay::Constant { value_s } => value_s,
            Delay::Uniform { min_s, .. } => min_s,
            Delay::Exponential { .. } | Delay::LogNormal { .. } => 0.0,
        }
    }

    /// Why the parameters are unusable, if they are.
    pub fn check(&self) -> Result<(), String> {
        let finite_nonneg = |v: f64| v.is_finite() && v >= 0.0;
        match *self {
            Delay::Constant { value_s } if !finite_nonneg(value_s) => {
                Err(format!("value_s must be a finite number ≥ 0, got {value_s}"))
            }
            Delay::Exponential { mean_s } if !(mean_s.is_finite() && mean_s > 0.0) => {
                Err(format!("mean_s must be a finite number > 0, got {mean_s}"))
            }
            Delay::LogNormal { median_s, p95_s } if !(median_s.is_finite() && median_s > 0.0) => {
                Err(format!("median_s must be a finite number > 0, got {median_s}; p95_s is {p95_s}"))
            }
            Delay::LogNormal { median_s, p95_s } if !(p95_s.is_finite() && p95_s > median_s) => {
                Err(format!("p95_s must be finite and greater than median_s ({median_s}), got {p95_s}"))
            }
            Delay::Uniform { min_s, max_s } if !(finite_nonneg(min_s) && max_s.is_finite() && max_s >= min_s) => {
                Err(format!("need 0 ≤ min_s ≤ max_s, both finite; got min_s {min_s}, max_s {max_s}"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::StreamKey;

    fn sample_mean_and_p95(d: Delay) -> (f64, f64) {
        let key = StreamKey { seed: 1, replication: 0, entity: 0, purpose: 0 };
        let mut xs: Vec<f64> = (0..100_000).map(|i| d.sample(&mut key.stream(i)).as_secs_f64()).collect();
        xs.sort_by(f64::total_cmp);
        (xs.iter().sum::<f64>() / xs.len() as f64, xs[95_000])
    }

    #[test]
    fn lognormal_hits_its_median_p95_and_mean() {
        let d = Delay::LogNormal { median_s: 4.0, p95_s: 15.0 };
        let (mean, p95) = sample_mean_and_p95(d);
        assert!((p95 - 15.0).abs() < 0.4, "p95 {p95}");
        assert!((mean - d.mean_s()).abs() / d.mean_s() < 0.02, "mean {mean} vs {}", d.mean_s());
    }

    #[test]
    fn uniform_and_constant_means() {
        let (mean, _) = sample_mean_and_p95(Delay::Uniform { min_s: 1.0, max_s: 3.0 });
        assert!((mean - 2.0).abs() < 0.01);
        let (mean, p95) = sample_mean_and_p95(Delay::Constant { value_s: 0.25 });
        assert_eq!((mean, p95), (0.25, 0.25));
    }

    #[test]
    fn bad_parameters_are_explained() {
        assert!(Delay::LogNormal { median_s: 5.0, p95_s: 4.0 }.check().unwrap_err().contains("greater than median_s"));
        assert!(Delay::Exponential { mean_s: 0.0 }.check().is_err());
        assert!(Delay::Uniform { min_s: 2.0, max_s: 1.0 }.check().is_err());
        assert!(Delay::Constant { value_s: 0.0 }.check().is_ok());
    }
}
