//! A CSP region's WAN: radio cells with limited channels, and the radio link's loss
//! and retries.
//!
//! A command from the DSP crosses the WAN Gateway Interface and half the WAN round
//! trip (core network and radio access, [`crate::wan_gateway`]) to the premises'
//! cell, queues for one of the cell's channels and occupies it for its airtime
//! (size × 8 / bit rate) to reach the Communications Hub. The response queues for a
//! channel of the same cell, then takes the other half of the round trip and the
//! WAN Gateway Interface back to the DSP shard that sent the command.
//!
//! Hubs' alerts share the same channels: they queue for a channel, may be lost and
//! retried like any message ([`on_air`]), and an AD1 must be on the air before the
//! hub's energy store runs out. A premises off supply answers nothing: a command
//! reaching it is lost, and retried until the CSP gives up.

pub mod on_air;
pub mod wan_cell;

pub use on_air::{AirFate, OnAir};
pub use wan_cell::{CellEvent, CellMessage, CellParams, Direction, WanCells};

#[cfg(test)]
mod tests;

/// One radio cell's figures over a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellFigures {
    /// The cell.
    pub cell: u32,
    /// Its channels.
    pub channels: u32,
    /// Arrivals, waits and the longest queue.
    pub tally: sim::StationTally,
    /// Busy channel-seconds.
    pub busy_channel_s: f64,
}

impl CellFigures {
    /// Busy channel time over available channel time across `span_s`, %.
    pub fn utilisation_pct(&self, span_s: f64) -> f64 {
        let capacity = f64::from(self.channels) * span_s;
        if capacity > 0.0 { 100.0 * self.busy_channel_s / capacity } else { 0.0 }
    }

    /// Mean wait for a channel, s.
    pub fn mean_wait_s(&self) -> f64 {
        if self.tally.started == 0 { 0.0 } else { self.tally.wait_total_us as f64 / self.tally.started as f64 / 1e6 }
    }
}
