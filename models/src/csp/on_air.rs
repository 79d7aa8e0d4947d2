//! Loss, retry and backoff on the radio, in one place.
//!
//! Every message on a cell — a request's command or response, a hub's alert, a
//! routine device alert — may be lost on the air. The CSP then waits `retry_timeout`
//! and sends it again, up to `max_retries` times; after that it gives up. Each
//! attempt's loss is its own draw, so the caller names the stream (its entity and
//! counter) and [`OnAir`] decides.

use sim::{SimDuration, SimTime, SplitMix64};

use crate::scenario::CspSpec;

/// One WAN network's radio link.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct OnAir {
    /// Chance one transmission is lost.
    pub loss_probability: f64,
    /// Retransmissions before the CSP gives up.
    pub max_retries: u8,
    /// Wait before retransmitting a lost message.
    pub retry_timeout: SimDuration,
}

/// What becomes of one transmission.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AirFate {
    /// It got through.
    Received,
    /// Lost: send it again at `at`, as retransmission number `retries`.
    Retry {
        /// Retransmissions including this one.
        retries: u8,
        /// When the retry timer expires.
        at: SimTime,
    },
    /// Lost after the last retry: the CSP gives up. `at` is when its last retry
    /// timer would have expired.
    GiveUp {
        /// When the last timer expires.
        at: SimTime,
    },
}

impl OnAir {
    /// The link a CSP network's settings describe.
    pub fn of(spec: &CspSpec) -> OnAir {
        OnAir {
            loss_probability: spec.loss_probability.get(),
            max_retries: spec.max_retries,
            retry_timeout: spec.retry_timeout,
        }
    }

    /// Judges a transmission that ends at `now` after `retries` retransmissions:
    /// lost if `unreachable` (nobody can answer) or if the attempt's draw from
    /// `stream` falls below the loss probability.
    pub fn judge(&self, unreachable: bool, retries: u8, now: SimTime, stream: impl FnOnce() -> SplitMix64) -> AirFate {
        let lost = unreachable || (self.loss_probability > 0.0 && stream().unit_f64() < self.loss_probability);
        if !lost {
            AirFate::Received
        } else if retries < self.max_retries {
            AirFate::Retry { retries: retries + 1, at: now + self.retry_timeout }
        } else {
            AirFate::GiveUp { at: now + self.retry_timeout }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::streams::{Purpose, Streams};

    const AIR: OnAir = OnAir { loss_probability: 1.0, max_retries: 3, retry_timeout: SimDuration(10_000_000) };

    fn never_drawn() -> SplitMix64 {
        panic!("no draw can change this transmission's fate")
    }

    #[test]
    fn a_lost_message_is_retried_after_the_timeout_and_given_up_after_max_retries() {
        let now = SimTime::from_secs(100);
        let at = SimTime::from_secs(110);
        let streams = Streams::new(1, 0);
        let fates: Vec<AirFate> =
            (0..=3).map(|r| AIR.judge(false, r, now, || streams.stream(7, Purpose::WanLoss, u64::from(r)))).collect();
        assert_eq!(
            fates,
            [
                AirFate::Retry { retries: 1, at },
                AirFate::Retry { retries: 2, at },
                AirFate::Retry { retries: 3, at },
                AirFate::GiveUp { at },
            ]
        );
    }

    #[test]
    fn an_unreachable_hub_loses_every_message_even_on_a_perfect_link() {
        let perfect = OnAir { loss_probability: 0.0, ..AIR };
        let now = SimTime::ZERO;
        assert_eq!(perfect.judge(false, 0, now, never_drawn), AirFate::Received);
        assert_eq!(perfect.judge(true, 0, now, never_drawn), AirFate::Retry { retries: 1, at: SimTime::from_secs(10) });
        assert_eq!(AIR.judge(true, 3, now, never_drawn), AirFate::GiveUp { at: SimTime::from_secs(10) });
    }

    #[test]
    fn losses_happen_at_the_loss_probability() {
        let air = OnAir { loss_probability: 0.3, ..AIR };
        let streams = Streams::new(5, 2);
        let n = 200_000u64;
        let lost = (0..n)
            .filter(|&i| {
                air.judge(false, 0, SimTime::ZERO, || streams.stream(i, Purpose::WanLoss, 0)) != AirFate::Received
            })
            .count() as f64;
        // Binomial: standard deviation √(n p (1 − p)) ≈ 205, so 1,000 is about five.
        assert!((lost - 0.3 * n as f64).abs() < 1_000.0, "{lost} lost of {n}");
    }
}
