//! Purposes of random streams. Each draw is keyed by (seed, replication, entity,
//! purpose): a request's draws use its `sr_id` as the entity.

use sim::{SplitMix64, StreamKey};

use crate::scenario::Scenario;

/// Interarrival time of a stream's n-th submission in a shard.
pub const SUBMISSION: u32 = 1;
/// Target premises of a stream's n-th submission in a shard.
pub const TARGET: u32 = 7;
/// The User's time to sign a Critical request's Pre-Command.
pub const USER_SIGNING: u32 = 8;
/// Whether a WAN transmission is lost.
pub const WAN_LOSS: u32 = 9;
/// The CoS Party's time to sign an update.
pub const COS_SIGNING: u32 = 10;
/// User Gateway service time of a request.
pub const GATEWAY_SERVICE: u32 = 2;
/// DSP processing of a request.
pub const DSP_REQUEST: u32 = 3;
/// DSP processing of a response.
pub const DSP_RESPONSE: u32 = 4;
/// WAN round-trip latency of a request.
pub const WAN_ROUND_TRIP: u32 = 5;
/// DSP processing of an alert or CSP power outage event.
pub const DSP_ALERT: u32 = 11;
/// DCC's delivery of an alert copy (counter: the copy).
pub const ALERT_DELIVERY: u32 = 12;
/// A block's routine device alerts: interarrival times (entity: the block) and
/// each alert's cell (entity: the alert).
pub const DEVICE_ALERT: u32 = 13;
/// HAN and device response time.
pub const HAN_RESPONSE: u32 = 6;

/// The stream for `purpose` of `entity`, `counter`-th use.
pub fn stream(scenario: &Scenario, entity: u64, purpose: u32, counter: u64) -> SplitMix64 {
    StreamKey { seed: scenario.seed, replication: scenario.replication, entity, purpose }.stream(counter)
}
