//! Confidence intervals for the mean of independent replications.
//!
//! Replications of a stochastic simulation with different random streams are
//! independent and identically distributed, so the mean of a figure over `n` of
//! them has a Student t interval with `n − 1` degrees of freedom.

/// Two-sided 95% quantiles t(0.975, ν) for ν = 1 … 30 (standard tables, 3 decimals).
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
    2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/// z(0.975) of the standard normal distribution.
const Z975: f64 = 1.959_963_984_540_054;

/// t(0.975, ν): the 97.5th percentile of Student's t with `df` degrees of freedom.
///
/// Tabulated up to 30; beyond, the Cornish–Fisher expansion in 1/ν, which is within
/// 0.001 of the exact value there. Panics for `df == 0`.
pub fn student_t_975(df: u32) -> f64 {
    assert!(df > 0, "Student t needs at least one degree of freedom");
    if let Some(&t) = T975.get(df as usize - 1) {
        return t;
    }
    let (z, v) = (Z975, f64::from(df));
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

/// A mean with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Number of observations.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Half the width of the 95% interval; NaN with fewer than two observations.
    pub half_width: f64,
}

impl MeanCi {
    /// The mean and 95% interval of independent observations `xs`.
    pub fn of(xs: &[f64]) -> MeanCi {
        let n = xs.len();
        let mean = if n == 0 { f64::NAN } else { xs.iter().sum::<f64>() / n as f64 };
        let half_width = if n < 2 {
            f64::NAN
        } else {
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            student_t_975(n as u32 - 1) * (var / n as f64).sqrt()
        };
        MeanCi { n, mean, half_width }
    }

    /// Lower end of the interval.
    pub fn low(&self) -> f64 {
        self.mean - self.half_width
    }

    /// Upper end of the interval.
    pub fn high(&self) -> f64 {
        self.mean + self.half_width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_interval() {
        // 1..5: mean 3, s = sqrt(2.5), se = sqrt(0.5), t(0.975, 4) = 2.776.
        let ci = MeanCi::of(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!((ci.n, ci.mean), (5, 3.0));
        assert!((ci.half_width - 2.776 * 0.5f64.sqrt()).abs() < 1e-12);
        assert!((ci.low() - 1.037_02).abs() < 1e-4 && (ci.high() - 4.962_98).abs() < 1e-4);
    }

    #[test]
    fn t_quantiles_join_the_table_smoothly_and_tend_to_normal() {
        // Exact values: t(0.975, 40) = 2.0211, t(0.975, 60) = 2.0003, t(0.975, 120) = 1.9799.
        assert!((student_t_975(40) - 2.0211).abs() < 5e-4);
        assert!((student_t_975(60) - 2.0003).abs() < 5e-4);
        assert!((student_t_975(120) - 1.9799).abs() < 5e-4);
        assert!((student_t_975(31) - 2.0395).abs() < 1e-3);
        assert!((student_t_975(1_000_000) - Z975).abs() < 1e-5);
    }

    #[test]
    fn one_observation_has_no_interval() {
        let ci = MeanCi::of(&[4.0]);
        assert_eq!(ci.mean, 4.0);
        assert!(ci.half_width.is_nan());
    }
}
