//! The CSP's Power Outage Event Windows (PMM-2018 PM12, DOMAIN §3).
//!
//! The day is cut into windows of 3 minutes from 00:00 (simulated time zero is
//! midnight). All AD1s the CSP receives from a region in one window form one event;
//! an event of at most 50 hubs is isolated (PM12.1), a larger one is large (PM12.2).
//!
//! With the "aggregate" policy the CSP forwards the first `event_threshold` AD1s of a
//! window at once, holds the rest to the window's end, and then sends one power
//! outage event message per DNO area listing the hubs held. With "forward" it sends
//! every AD1 on at once. Either way [`Pm12`] measures the events afterwards.

use std::collections::BTreeMap;

use sim::SimTime;

use super::{AlertJob, AlertSpec};

/// The window holding time `t`.
pub fn window_of(spec: &AlertSpec, t: SimTime) -> u64 {
    t.0 / spec.csp.event_window.0
}

/// What the CSP does with one AD1 under the "aggregate" policy.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Send it on now.
    Forward,
    /// Hold it to the window's end; the first held of its window says so, as the
    /// window's closing must then be scheduled.
    Held {
        /// The first alert held in its window.
        first: bool,
    },
}

/// The aggregating CSP's windows: counts and held alerts per (region, window).
#[derive(Debug, Default)]
pub struct EventWindows {
    counts: BTreeMap<(u8, u64), u32>,
    held: BTreeMap<(u8, u64), Vec<AlertJob>>,
}

impl EventWindows {
    /// Admits an AD1 the CSP of `region` received.
    pub fn admit(&mut self, spec: &AlertSpec, region: u8, alert: AlertJob) -> Admission {
        let window = window_of(spec, alert.csp_received);
        let n = self.counts.entry((region, window)).or_insert(0);
        *n += 1;
        if *n <= spec.csp.event_threshold {
            return Admission::Forward;
        }
        let held = self.held.entry((region, window)).or_default();
        held.push(alert);
        Admission::Held { first: held.len() == 1 }
    }

    /// Closes a window: the alerts held in it, in arrival order.
    pub fn close(&mut self, region: u8, window: u64) -> Vec<AlertJob> {
        self.counts.remove(&(region, window));
        self.held.remove(&(region, window)).unwrap_or_default()
    }
}

/// PM12 figures of a run: events and alerts, isolated (≤ threshold) and large.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pm12 {
    /// Events of at most `event_threshold` hubs (PM12.1).
    pub isolated_events: u64,
    /// Events of more (PM12.2).
    pub large_events: u64,
    /// AD1s the CSP received in isolated events.
    pub isolated_alerts: u64,
    /// AD1s the CSP received in large events.
    pub large_alerts: u64,
    /// Messages the CSP sent on for isolated events (alerts and event messages).
    pub isolated_messages_sent: u64,
    /// Messages the CSP sent on for large events.
    pub large_messages_sent: u64,
}

impl Pm12 {
    /// Measures events from the AD1s the CSP received: (region, time received,
    /// DNO area, whether it went on inside an event message rather than alone).
    pub fn measure(spec: &AlertSpec, received: impl Iterator<Item = (u8, SimTime, u8, bool)>) -> Pm12 {
        let mut windows = Pm12Windows::default();
        received.for_each(|(region, at, area, aggregated)| windows.add(spec, region, at, area, aggregated));
        windows.measure(spec)
    }

    /// Share of events that were isolated, %.
    pub fn isolated_share_pct(&self) -> Option<f64> {
        let n = self.isolated_events + self.large_events;
        (n > 0).then(|| 100.0 * self.isolated_events as f64 / n as f64)
    }
}

/// The CSPs' event windows as AD1s arrive, for [`Pm12`]: per (region, window), the
/// AD1s received, those sent on alone, and the DNO areas of event messages. Bounded
/// by the windows of the horizon, not by the alerts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pm12Windows {
    windows: BTreeMap<(u8, u64), (u64, u64, Vec<u8>)>,
}

impl Pm12Windows {
    /// Counts one AD1 the CSP of `region` received at `at` from a hub in DNO `area`;
    /// `aggregated` if it went on inside an event message.
    pub fn add(&mut self, spec: &AlertSpec, region: u8, at: SimTime, area: u8, aggregated: bool) {
        let w = self.windows.entry((region, window_of(spec, at))).or_default();
        w.0 += 1;
        if !aggregated {
            w.1 += 1;
        } else if !w.2.contains(&area) {
            w.2.push(area);
        }
    }

    /// The events and messages of the windows counted.
    pub fn measure(&self, spec: &AlertSpec) -> Pm12 {
        let mut pm = Pm12::default();
        for (alerts, alone, areas) in self.windows.values() {
            let (alerts, sent) = (*alerts, alone + areas.len() as u64);
            if alerts <= u64::from(spec.csp.event_threshold) {
                pm.isolated_events += 1;
                pm.isolated_alerts += alerts;
                pm.isolated_messages_sent += sent;
            } else {
                pm.large_events += 1;
                pm.large_alerts += alerts;
                pm.large_messages_sent += sent;
            }
        }
        pm
    }
}
