//! The Communications Hub Function, its HAN and the meters, for the hubs of one CSP
//! block.
//!
//! A command reaching the CHF crosses the HAN (ZigBee) to the ESME, which executes it
//! and answers back over the HAN: one delay drawn from the scenario's
//! `han_response`. The hubs also raise routine device alerts (DOMAIN §5's background
//! alert traffic) as one Poisson stream per block, at the block's meters ×
//! `alerts.device_alerts_per_meter_per_day`.

use sim::{Delay, SimDuration, SimTime};

use crate::alert::DeviceAlertJob;
use crate::context::{ARRIVAL, Context};
use crate::csp::{CellMessage, Direction};
use crate::layout::{cell_entity, device_alert_entity, premises_entity};
use crate::region::CspRegion;
use crate::service_request::ServiceRequestJob;
use crate::streams::Purpose;
use crate::world::World;

/// The hubs' events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HubEvent {
    /// The device's response is back at the Communications Hub.
    ResponseReady(ServiceRequestJob),
    /// The block's hubs raise their next routine device alert.
    DeviceAlertRaised,
}

/// The settings of one CSP block's hubs.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct HubParams {
    /// CHF → HAN → device → CHF.
    pub han_response: Delay,
    /// The block's routine device alerts, per second (0: none).
    pub device_alert_rate_per_s: f64,
    /// Hubs raise device alerts before this.
    pub horizon: SimTime,
    /// CSP blocks in the run (device alerts are numbered across them).
    pub blocks: u64,
}

/// The hubs of one CSP block.
pub struct CommsHubs {
    params: HubParams,
    /// Index of the block among all CSP blocks (partition − shards).
    block: usize,
    first_cell: u32,
    cells: u32,
    /// Routine device alerts raised so far.
    device_alerts_raised: u64,
}

impl CommsHubs {
    /// The hubs of block `k` of `region`.
    pub fn new(world: &World, region: CspRegion, k: u32) -> CommsHubs {
        let cells = world.layout.block_cells(region, k);
        let block = region.index() * world.layout.per_region() as usize + k as usize;
        let params = HubParams {
            han_response: world.scenario.comms_hub.han_response,
            device_alert_rate_per_s: world.device_alert_rate_per_s[block],
            horizon: world.scenario.horizon,
            blocks: world.blocks() as u64,
        };
        CommsHubs { params, block, first_cell: cells.start, cells: cells.end - cells.start, device_alerts_raised: 0 }
    }

    /// Routine device alerts raised so far.
    pub fn device_alerts_raised(&self) -> u64 {
        self.device_alerts_raised
    }

    /// Schedules the block's first routine device alert, if any.
    pub fn start<P: From<HubEvent>>(&self, cx: &mut Context<'_, '_, P>) {
        self.schedule_device_alert(cx);
    }

    /// A command reaches its hub at `at` (now or later): the device's response comes
    /// back over the HAN. A Future Dated command of the device pattern arrives
    /// before its execution date-time: the device holds it, executes it then, and
    /// its alert (0x8F66/0x8F67, DOMAIN §1.1) is the response (its acknowledgement
    /// on receipt is not modelled).
    pub fn command<P: From<HubEvent>>(&self, job: ServiceRequestJob, at: SimTime, cx: &mut Context<'_, '_, P>) {
        let han = self.params.han_response.sample(&mut cx.rng(job.sr_id, Purpose::HanResponse, 0));
        let ready = at.max(job.execution) + han;
        cx.schedule(ready, ARRIVAL, premises_entity(job.premises), HubEvent::ResponseReady(job));
    }

    /// The n-th routine device alert is numbered `n × blocks + block`.
    fn schedule_device_alert<P: From<HubEvent>>(&self, cx: &mut Context<'_, '_, P>) {
        let rate = self.params.device_alert_rate_per_s;
        if rate <= 0.0 {
            return;
        }
        let n = self.device_alerts_raised;
        let gap = cx.rng(self.block as u64, Purpose::DeviceAlert, n).exponential(1.0 / rate);
        let at = cx.now() + SimDuration::from_secs_f64(gap);
        if at < self.params.horizon {
            cx.schedule(at, ARRIVAL, cell_entity(self.first_cell), HubEvent::DeviceAlertRaised);
        }
    }

    /// Handles one event; returns the message the hub puts on its cell.
    pub fn handle<P: From<HubEvent>>(&mut self, event: HubEvent, cx: &mut Context<'_, '_, P>) -> CellMessage {
        match event {
            HubEvent::ResponseReady(job) => CellMessage::Request(job, Direction::Uplink),
            HubEvent::DeviceAlertRaised => {
                let id = self.device_alerts_raised * self.params.blocks + self.block as u64;
                let cell = self.first_cell
                    + cx.rng(device_alert_entity(id), Purpose::DeviceAlert, 0).below(u64::from(self.cells)) as u32;
                self.device_alerts_raised += 1;
                self.schedule_device_alert(cx);
                CellMessage::DeviceAlert(DeviceAlertJob { id, cell, retries: 0, raised: cx.now() })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit;

    /// A block's hubs, hosted alone: the command's response is ready one HAN delay
    /// after the command (after its execution date-time, for one the device holds),
    /// and routine device alerts come as a Poisson stream at the
    /// block's meters × the per-meter rate, numbered for the block and raised in
    /// its cells.
    #[test]
    fn hubs_answer_after_the_han_and_raise_device_alerts_at_the_meters_rate() {
        let mut s = testkit::scenario(4_000, 1.0);
        s.alerts.device_alerts_per_meter_per_day = 20.0;
        s.horizon = SimTime::from_secs(86_400);
        let world = testkit::world(s);
        let region = CspRegion::ALL[0];
        let hubs = CommsHubs::new(&world, region, 0);
        let command = crate::testkit::job(77, 5, 0, SimTime::ZERO);
        type Bench = (CommsHubs, Vec<(SimTime, CellMessage)>);
        let start = move |b: &mut Bench, cx: &mut Context<'_, '_, HubEvent>| {
            b.0.start(cx);
            b.0.command(command, SimTime::ZERO, cx);
            let held = ServiceRequestJob {
                execution: SimTime::from_secs(3_600),
                ..crate::testkit::job(78, 5, 0, SimTime::ZERO)
            };
            b.0.command(held, SimTime::from_secs(20), cx);
        };
        let handle = |b: &mut Bench, e: HubEvent, cx: &mut Context<'_, '_, HubEvent>| {
            let message = b.0.handle(e, cx);
            b.1.push((cx.now(), message));
        };
        let end = SimTime::from_secs(2 * 86_400);
        let (hubs, sent) = testkit::host((hubs, Vec::new()), world.streams, start, handle, end);
        let han = world.scenario.comms_hub.han_response.sample(&mut world.streams.stream(77, Purpose::HanResponse, 0));
        let ready = SimTime::ZERO + han;
        assert!(sent.contains(&(ready, CellMessage::Request(command, Direction::Uplink))));
        // A device-held Future Dated command is executed at its date-time.
        let held = sent.iter().find(|(_, m)| matches!(m, CellMessage::Request(j, _) if j.sr_id == 78));
        let due = SimTime::from_secs(3_600);
        assert_eq!(
            held.map(|h| h.0),
            Some(
                due + world.scenario.comms_hub.han_response.sample(&mut world.streams.stream(
                    78,
                    Purpose::HanResponse,
                    0
                ))
            )
        );
        let cells = world.layout.block_cells(region, 0);
        let mut raised = 0u64;
        for (at, m) in &sent {
            if let CellMessage::DeviceAlert(d) = m {
                assert_eq!((d.id % world.blocks() as u64, d.raised), (0, *at), "numbered for block 0, raised now");
                assert!(cells.contains(&d.cell) && *at < world.scenario.horizon);
                raised += 1;
            }
        }
        assert_eq!(raised, hubs.device_alerts_raised());
        let expected = world.device_alert_rate_per_s[0] * 86_400.0;
        assert!(expected > 1_000.0, "{expected}");
        // Poisson: five standard deviations.
        assert!((raised as f64 - expected).abs() < 5.0 * expected.sqrt(), "{raised} raised, {expected} expected");
    }
}
