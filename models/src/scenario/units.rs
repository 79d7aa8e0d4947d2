//! How typed values are read from a checked scenario document: seconds (keys named
//! `…_s`) into simulated time, distributions into [`Delay`], shares into fractions
//! of a whole, months and dates. The document has passed the registry's checks
//! ([`super::document`]) before these run, so they only convert.

use serde::{Deserialize, Deserializer};
use sim::{Delay, SimDuration, SimTime};

use crate::calendar::{Date, Month};

/// Seconds, as a duration.
pub(crate) fn secs<'de, D: Deserializer<'de>>(d: D) -> Result<SimDuration, D::Error> {
    Ok(SimDuration::from_secs_f64(f64::deserialize(d)?))
}

/// Seconds from time zero, as an instant.
pub(crate) fn time<'de, D: Deserializer<'de>>(d: D) -> Result<SimTime, D::Error> {
    Ok(SimTime::from_secs_f64(f64::deserialize(d)?))
}

/// A distribution of durations, chosen by `kind`: the scenario form of [`Delay`].
#[derive(Deserialize)]
#[serde(remote = "Delay", tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum DelayDef {
    /// `{ kind = "constant", value_s = … }`
    Constant {
        /// The value, in seconds.
        value_s: f64,
    },
    /// `{ kind = "exponential", mean_s = … }`
    Exponential {
        /// The mean, in seconds.
        mean_s: f64,
    },
    /// `{ kind = "lognormal", median_s = …, p95_s = … }`
    #[serde(rename = "lognormal")]
    LogNormal {
        /// The median, in seconds.
        median_s: f64,
        /// The 95th percentile, in seconds.
        p95_s: f64,
    },
    /// `{ kind = "uniform", min_s = …, max_s = … }`
    Uniform {
        /// The lower bound, in seconds.
        min_s: f64,
        /// The upper bound, in seconds.
        max_s: f64,
    },
}

/// A distribution's own check, and a mean of at most a day.
pub(crate) fn check_delay(delay: &Delay) -> Result<(), String> {
    delay.check()?;
    match delay.mean_s() {
        mean if mean > 86_400.0 => Err(format!("mean {mean} s is out of range; allowed: up to 86400 s")),
        _ => Ok(()),
    }
}

/// Weights of the parts of a whole, scaled to sum to 1.
pub(crate) fn shares<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(normalised(&Vec::<f64>::deserialize(d)?))
}

/// Three weights of the parts of a whole, scaled to sum to 1.
pub(crate) fn three_shares<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 3], D::Error> {
    let s = normalised(&<[f64; 3]>::deserialize(d)?);
    Ok([s[0], s[1], s[2]])
}

/// `shares` scaled to sum to 1.
pub(crate) fn normalised(shares: &[f64]) -> Vec<f64> {
    let total: f64 = shares.iter().sum();
    shares.iter().map(|s| s / total).collect()
}

/// A month written `"YYYY-MM"`.
pub(crate) fn month<'de, D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
    Month::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}

/// An optional month written `"YYYY-MM"`.
pub(crate) fn maybe_month<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Month>, D::Error> {
    Option::<String>::deserialize(d)?.map(|s| Month::parse(&s).map_err(serde::de::Error::custom)).transpose()
}

/// A seed: a whole number from 0 to 2^64 − 1. TOML's integers stop at 2^63 − 1,
/// so a larger seed is written as a string of digits (as `scenario.resolved.toml`
/// writes a `--seed` that large).
pub(crate) fn seed<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seed {
        Number(u64),
        Digits(String),
    }
    match Seed::deserialize(d)? {
        Seed::Number(n) => Ok(n),
        Seed::Digits(s) => s
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("seed {s:?} is not a whole number; allowed: 0 to 2^64−1"))),
    }
}

/// A day written `"YYYY-MM-DD"`.
pub(crate) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    Date::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
}

/// A number that cannot leave its range: checked once, when it is made (serde
/// reads it through [`TryFrom<f64>`]), with the range in the message.
macro_rules! bounded {
    ($(#[$doc:meta])* $name:ident, $lo:expr, $hi:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Deserialize)]
        #[serde(try_from = "f64")]
        pub struct $name(f64);

        impl $name {
            /// The least value allowed.
            pub const MIN: f64 = $lo;
            /// The greatest value allowed.
            pub const MAX: f64 = $hi;

            /// `x`, or what is allowed if it is out of range.
            pub fn new(x: f64) -> Result<$name, String> {
                match x.is_finite() && ($lo..=$hi).contains(&x) {
                    true => Ok($name(x)),
                    false => Err(format!("{x} is not {}; allowed: {} to {}", $what, $lo, $hi)),
                }
            }

            /// The value.
            pub fn get(self) -> f64 {
                self.0
            }
        }

        impl TryFrom<f64> for $name {
            type Error = String;

            fn try_from(x: f64) -> Result<$name, String> {
                $name::new(x)
            }
        }
    };
}

bounded!(
    /// A chance, from 0 to 1.
    Probability, 0.0, 1.0, "a probability"
);
bounded!(
    /// A share of a whole, from 0 to 1.
    Share, 0.0, 1.0, "a share of a whole"
);
bounded!(
    /// A percentage, from 0 to 100.
    Percent, 0.0, 100.0, "a percentage"
);
bounded!(
    /// A mean rate, per second, from 0 to a million.
    RatePerS, 0.0, 1e6, "a rate per second"
);
