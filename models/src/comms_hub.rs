//! The Communications Hub Function, its HAN and the electricity meter.
//!
//! A command reaching the CHF crosses the HAN (ZigBee) to the ESME, which executes it
//! and answers back over the HAN: one delay drawn from the scenario's `han_response`.

use sim::{SimDuration, SimTime};

use crate::network::streams;
use crate::scenario::Scenario;

/// When the device's response to request `sr_id` is back at the CHF, given the
/// command reached it at `at`.
pub fn response_ready(scenario: &Scenario, sr_id: u64, at: SimTime) -> SimTime {
    at + han_response(scenario, sr_id)
}

fn han_response(scenario: &Scenario, sr_id: u64) -> SimDuration {
    scenario.han_response.sample(&mut streams::stream(scenario, sr_id, streams::HAN_RESPONSE, 0))
}
