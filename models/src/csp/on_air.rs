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
            loss_probability: spec.loss_probability,
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
