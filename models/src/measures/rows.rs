//! Rows leave the run as it goes: where they go.
//!
//! Every [`DRAIN_EVERY`] of simulated time (and at the end) the run takes each
//! partition's finished rows, in partition order, counts them into the
//! [`super::Measures`] and hands those the scenario keeps (`[output] rows`) to a
//! [`RowSink`]. The order rows reach a sink is therefore fixed by the scenario and
//! seed: by drain, then partition, then the order the partition finished them.

use sim::SimDuration;

use crate::alert::AlertRecord;
use crate::service_request::ServiceRequestRecord;

/// Simulated time between drains: 5 minutes. At whole-GB rates that is a few
/// hundred thousand rows, tens of MB, in memory at once. A speed and memory setting
/// only: the rows and their order do not depend on it.
pub const DRAIN_EVERY: SimDuration = SimDuration(300_000_000);

/// Drains' batches (one per table) that may wait for a writing sink; a sink that
/// writes on a thread of its own bounds its queue by this, which bounds the memory
/// rows take (see [`crate::memory`]).
pub const WRITER_CHANNEL_BATCHES: usize = 4;

/// A sink refused rows (its writer failed); the run stops at once. The sink's owner
/// knows why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SinkStopped;

/// Where a run's rows go, batch by batch, in a fixed order.
pub trait RowSink: Send {
    /// Takes a batch of finished Service Requests.
    fn requests(&mut self, batch: Vec<ServiceRequestRecord>) -> Result<(), SinkStopped>;
    /// Takes a batch of alert copies that ended.
    fn alerts(&mut self, batch: Vec<AlertRecord>) -> Result<(), SinkStopped>;
}

/// Rows kept in memory: for tests and small runs.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Rows {
    /// One record per submitted request, in the order they were drained.
    pub requests: Vec<ServiceRequestRecord>,
    /// One record per alert copy, in the order they were drained.
    pub alerts: Vec<AlertRecord>,
}

impl RowSink for Rows {
    fn requests(&mut self, mut batch: Vec<ServiceRequestRecord>) -> Result<(), SinkStopped> {
        self.requests.append(&mut batch);
        Ok(())
    }

    fn alerts(&mut self, mut batch: Vec<AlertRecord>) -> Result<(), SinkStopped> {
        self.alerts.append(&mut batch);
        Ok(())
    }
}

/// Rows thrown away: figures only.
#[derive(Debug, Default, Clone, Copy)]
pub struct Discard;

impl RowSink for Discard {
    fn requests(&mut self, _: Vec<ServiceRequestRecord>) -> Result<(), SinkStopped> {
        Ok(())
    }

    fn alerts(&mut self, _: Vec<AlertRecord>) -> Result<(), SinkStopped> {
        Ok(())
    }
}
