//! Power Outage Alerts and restoration alerts, from the hub to the DNO.
//!
//! ```text
//! power cut ─► hub: AD1 after 3 min on its energy store ─► cell (shared with Service
//!   Requests; retries) ─► CSP: Power Outage Event Windows (forward or aggregate)
//!   ─► WAN Gateway ─► DSP processing (shared) ─► Alert Storm Protection (SECMP0062)
//!   ─► delivery: Electricity Distributor first, then opted-in suppliers
//! supply back ─► hub restarts ─► ESME's 0x8F36 restoration alert, the same way
//! ```
//!
//! Which alerts a hub raises follows from the power cuts alone, so it is planned
//! before the run ([`plan`]); hub-side consolidation (MP119) is applied there too.
//! Everything after the hub happens in the run: cells, the CSP's event windows, the
//! DSP, storm protection and delivery. Every alert copy — one for the Electricity
//! Distributor, one more for an opted-in supplier — ends in exactly one
//! [`AlertOutcome`].

pub mod event_window;
pub mod plan;
pub mod router;
#[cfg(test)]
mod router_tests;
pub mod storm_protection;

use sim::SimTime;

pub use crate::scenario::alerts::{AlertCode, AlertSpec, CspAlertPolicy};
pub use plan::{AlertPlan, PlannedAlert};

/// Who an alert copy is for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Recipient {
    /// The Electricity Distributor (the DNO) of the premises' area.
    ElectricityDistributor,
    /// The premises' import supplier, if it opted in.
    Supplier,
}

impl Recipient {
    /// The DUIS role code: "ED" or "IS".
    pub fn code(self) -> &'static str {
        match self {
            Recipient::ElectricityDistributor => "ED",
            Recipient::Supplier => "IS",
        }
    }
}

/// How an alert copy ended. Every copy ends in exactly one.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertOutcome {
    /// Delivered to the recipient (alone, or inside a CSP power outage event).
    Delivered,
    /// Discarded by DCC's Alert Storm Protection (SECMP0062); a later copy carries
    /// its count.
    Discarded,
    /// Held back by the hub (MP119); a later alert carries its count.
    Consolidated,
    /// A supplier copy of an AD1 the CSP aggregated into an event for the DNO.
    NotForwarded,
    /// The hub has no SM WAN: it cannot send.
    NoWan,
    /// The hub's energy store ran out before the 3 minutes were up.
    NoEnergy,
    /// The energy store ran out before the AD1 was on the air.
    EnergyExhausted,
    /// Lost on the WAN more often than the CSP retries.
    Failed,
    /// Still on its way when the run ended.
    Unfinished,
}

impl AlertOutcome {
    /// Every outcome, in output order.
    pub const ALL: [AlertOutcome; 9] = [
        AlertOutcome::Delivered,
        AlertOutcome::Discarded,
        AlertOutcome::Consolidated,
        AlertOutcome::NotForwarded,
        AlertOutcome::NoWan,
        AlertOutcome::NoEnergy,
        AlertOutcome::EnergyExhausted,
        AlertOutcome::Failed,
        AlertOutcome::Unfinished,
    ];

    /// The value in output columns.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertOutcome::Delivered => "delivered",
            AlertOutcome::Discarded => "discarded",
            AlertOutcome::Consolidated => "consolidated",
            AlertOutcome::NotForwarded => "not_forwarded",
            AlertOutcome::NoWan => "no_wan",
            AlertOutcome::NoEnergy => "no_energy",
            AlertOutcome::EnergyExhausted => "energy_exhausted",
            AlertOutcome::Failed => "failed",
            AlertOutcome::Unfinished => "unfinished",
        }
    }
}

/// An alert on its way: what travels between partitions.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AlertJob {
    /// Id in the run (index into the plan).
    pub alert_id: u32,
    /// The premises whose hub raised it.
    pub premises: u32,
    /// WAN retransmissions so far.
    pub retries: u8,
    /// What it says.
    pub code: AlertCode,
    /// Identical alerts it stands for besides itself (held by the hub or discarded
    /// by DCC since the last one sent).
    pub throttled_count: u32,
    /// When the CSP received it from the cell (`SimTime::ZERO` before).
    pub csp_received: SimTime,
}

impl AlertJob {
    /// Planned alert `id` as its hub puts it on the air: not yet retried, not yet
    /// at the CSP, carrying what the hub held back.
    pub fn raised(id: u32, planned: &PlannedAlert) -> AlertJob {
        AlertJob {
            alert_id: id,
            premises: planned.premises,
            retries: 0,
            code: planned.code,
            throttled_count: planned.carried,
            csp_received: SimTime::ZERO,
        }
    }
}

/// A routine device alert on its way to the premises' supplier: the background
/// alert traffic of DOMAIN §5 (1.6 bn device alerts a month in July 2021). Only
/// counted, never recorded one by one.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DeviceAlertJob {
    /// Unique id in the run (its random streams' entity).
    pub id: u64,
    /// The cell of the hub that raised it.
    pub cell: u32,
    /// WAN retransmissions so far.
    pub retries: u8,
    /// When the hub raised it.
    pub raised: SimTime,
}

/// One alert copy, finished or not: one row of `alerts/`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AlertRecord {
    /// Id in the run; the copies of one alert share it.
    pub alert_id: u32,
    /// Who the copy is for.
    pub recipient: Recipient,
    /// How it ended.
    pub outcome: AlertOutcome,
    /// When the CSP received it, if it did.
    pub csp_received: Option<SimTime>,
    /// When the recipient got it, if it did.
    pub delivered: Option<SimTime>,
    /// Identical alerts this copy stands for besides itself.
    pub throttled_count: u32,
    /// Delivered inside a CSP power outage event rather than alone.
    pub aggregated: bool,
}

/// Routine device alerts (DOMAIN §5's background alert traffic), counted.
#[derive(Debug, Clone, Default)]
pub struct DeviceAlertStats {
    /// Raised by hubs.
    pub raised: u64,
    /// Delivered to suppliers.
    pub delivered: u64,
    /// Lost on the WAN more often than the CSP retries.
    pub failed: u64,
    /// Raised to delivered.
    pub latency: sim::stats::LatencyHistogram,
    /// Per day raised (from time zero): (delivered or failed, delivered within the
    /// delivery-time target), for CPM3.
    pub by_day: Vec<(u64, u64)>,
}

impl DeviceAlertStats {
    /// Adds another partition's counts.
    pub fn merge(&mut self, other: &DeviceAlertStats) {
        self.raised += other.raised;
        self.delivered += other.delivered;
        self.failed += other.failed;
        self.latency.merge(&other.latency);
        if self.by_day.len() < other.by_day.len() {
            self.by_day.resize(other.by_day.len(), (0, 0));
        }
        for (a, b) in self.by_day.iter_mut().zip(&other.by_day) {
            a.0 += b.0;
            a.1 += b.1;
        }
    }

    /// Counts an alert raised at `raised` that ended: delivered within the target
    /// or not.
    pub fn count(&mut self, raised: sim::SimTime, within: bool) {
        let day = (raised.0 / 86_400_000_000) as usize;
        if self.by_day.len() <= day {
            self.by_day.resize(day + 1, (0, 0));
        }
        self.by_day[day].0 += 1;
        self.by_day[day].1 += u64::from(within);
    }

    /// Still on their way at the end: raised less delivered and failed.
    pub fn unfinished(&self) -> u64 {
        self.raised - self.delivered - self.failed
    }
}

impl AlertRecord {
    /// From the hub raising it to the recipient getting it.
    pub fn latency(&self, planned: &PlannedAlert) -> Option<sim::SimDuration> {
        self.delivered.map(|d| d - planned.raised)
    }
}
