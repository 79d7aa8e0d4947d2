//! The radio cells of one block of a CSP region: each a few channels that every
//! message to or from its hubs queues for, first come first served. A message's
//! time on the air is known when it reaches its cell, so its fate (received, lost
//! and retried, or given up) is settled then, for the time it leaves the air, and
//! only what follows is scheduled.

use std::sync::Arc;

use sim::{FcfsStation, SimDuration, SimTime, StationStats};

use super::CellFigures;
use super::on_air::{AirFate, OnAir};
use crate::alert::{AlertCode, AlertJob, AlertOutcome, AlertRecord, DeviceAlertJob, DeviceAlertStats, Recipient};
use crate::context::{ARRIVAL, COMPLETION, Context};
use crate::layout::{alert_entity, cell_entity, device_alert_entity, premises_entity};
use crate::region::CspRegion;
use crate::scenario::CspSpec;
use crate::service_request::ServiceRequestJob;
use crate::streams::Purpose;
use crate::wan_gateway::{AlertToDsp, DeviceAlertToDsp, ResponseToDsp, half_round_trip};
use crate::wan_gateway::{alert_to_dsp, device_alert_to_dsp, response_to_dsp};
use crate::world::World;

/// A WAN leg's direction.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    /// DSP → CSP → Communications Hub.
    Downlink,
    /// Communications Hub → CSP → DSP.
    Uplink,
}

/// A message on a radio cell's channels.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CellMessage {
    /// A Service Request's command (downlink) or response (uplink).
    Request(ServiceRequestJob, Direction),
    /// A hub's alert (uplink).
    Alert(AlertJob),
    /// A routine device alert (uplink).
    DeviceAlert(DeviceAlertJob),
}

/// The cells' events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CellEvent {
    /// A command from the DSP (or a firmware image's next payload) reached the
    /// premises' cell.
    Command(ServiceRequestJob),
    /// A lost message's retry timer expired: send it again (or report the failure).
    Retry(CellMessage),
}

/// The cells of one WAN network: their channels and the radio link.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CellParams {
    /// Messages one cell carries at once.
    pub channels_per_cell: u32,
    /// Bit rate of one channel.
    pub channel_bitrate_bps: f64,
    /// Loss and retries on the air.
    pub air: OnAir,
}

impl CellParams {
    /// The cells a CSP network's settings describe.
    pub fn of(spec: &CspSpec) -> CellParams {
        CellParams {
            channels_per_cell: spec.channels_per_cell,
            channel_bitrate_bps: spec.channel_bitrate_bps,
            air: OnAir::of(spec),
        }
    }
}

/// What the cells' events may lead to: their own events and messages to the DSP.
pub trait CellPayload: From<CellEvent> + From<ResponseToDsp> + From<AlertToDsp> + From<DeviceAlertToDsp> {}
impl<P: From<CellEvent> + From<ResponseToDsp> + From<AlertToDsp> + From<DeviceAlertToDsp>> CellPayload for P {}

/// The cells of one block of a CSP region.
pub struct WanCells {
    world: Arc<World>,
    region: CspRegion,
    first_cell: u32,
    cells: Vec<FcfsStation>,
    /// Each WAN network's cells, by [`crate::region::WanNetwork::index`].
    params: [CellParams; 5],
    /// The cells' figures, summed.
    stats: StationStats,
    /// Alert copies that ended here (lost, or out of energy).
    alert_records: Vec<AlertRecord>,
    /// Routine device alerts that failed here.
    device_alerts: DeviceAlertStats,
    /// The latest time the run can reach.
    end: SimTime,
    /// What the cells' outages held back.
    held: HeldStats,
}

/// What cells that were down held back (`[[wan_outages]]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldStats {
    /// Messages that found their cell down and waited for it (each time).
    pub held: u64,
    /// Commands the CSP gave up on before their cell came back.
    pub commands_given_up: u64,
}

impl HeldStats {
    /// Adds another block's figures.
    pub fn merge(&mut self, other: &HeldStats) {
        self.held += other.held;
        self.commands_given_up += other.commands_given_up;
    }
}

impl WanCells {
    /// Block `k` of `region`, all channels idle.
    pub fn new(world: Arc<World>, region: CspRegion, k: u32) -> WanCells {
        let cells = world.layout.block_cells(region, k);
        let s = &world.scenario;
        let mut stats = StationStats::new(s.series_bucket);
        let params: [CellParams; 5] = std::array::from_fn(|i| CellParams::of(&s.csp[i]));
        let channels = |c: u32| params[world.population.cell_network(c).index()].channels_per_cell;
        WanCells {
            region,
            first_cell: cells.start,
            cells: cells.map(|c| FcfsStation::new(channels(c), s.run_end(), &mut stats)).collect(),
            params,
            stats,
            alert_records: Vec::new(),
            device_alerts: DeviceAlertStats::default(),
            end: s.run_end(),
            held: HeldStats::default(),
            world,
        }
    }

    /// The region the cells belong to.
    pub fn region(&self) -> CspRegion {
        self.region
    }

    fn message_bytes(&self, message: &CellMessage) -> u32 {
        let s = &self.world.scenario;
        match message {
            CellMessage::Request(job, Direction::Downlink) => {
                let stream = &s.traffic[usize::from(job.stream)];
                if stream.carries_firmware() {
                    let sent = u32::from(job.payloads_sent) * s.wan_gateway.firmware_payload_bytes;
                    (stream.command_bytes - sent).min(s.wan_gateway.firmware_payload_bytes)
                } else {
                    stream.command_bytes
                }
            }
            CellMessage::Request(job, Direction::Uplink) => s.traffic[usize::from(job.stream)].response_bytes,
            CellMessage::Alert(a) if a.code == AlertCode::PowerOutage => s.alerts.power_outage_alert_bytes,
            CellMessage::Alert(_) => s.alerts.restoration_alert_bytes,
            CellMessage::DeviceAlert(_) => s.alerts.device_alert_bytes,
        }
    }

    /// The cell a message crosses.
    fn cell_of(&self, message: &CellMessage) -> u32 {
        let population = &self.world.population;
        match message {
            CellMessage::Request(job, _) => population.cell_of(job.premises),
            CellMessage::Alert(a) => population.cell_of(a.premises),
            CellMessage::DeviceAlert(d) => d.cell,
        }
    }

    fn airtime(&self, message: &CellMessage) -> SimDuration {
        let network = self.world.population.cell_network(self.cell_of(message));
        let bps = self.params[network.index()].channel_bitrate_bps;
        SimDuration::from_secs_f64(f64::from(self.message_bytes(message)) * 8.0 / bps)
    }

    /// The radio link of premises `p`'s network.
    fn air_of(&self, p: u32) -> &OnAir {
        &self.params[self.world.population.kind(p).network().index()].air
    }

    fn cell_index(&self, message: &CellMessage) -> usize {
        (self.cell_of(message) - self.first_cell) as usize
    }

    /// A message reaches its cell now and queues for a channel; what becomes of it
    /// is settled for the time it leaves the air. If the cell is down it waits for
    /// it instead (a command only as long as the CSP holds it). Returns a command
    /// that will reach its Communications Hub, and when.
    pub fn transmit<P: CellPayload>(
        &mut self,
        message: CellMessage,
        cx: &mut Context<'_, '_, P>,
    ) -> Option<(ServiceRequestJob, SimTime)> {
        if !self.world.scenario.wan_outages.is_empty() && self.hold_if_down(message, cx) {
            return None;
        }
        let airtime = self.airtime(&message);
        let i = self.cell_index(&message);
        let done = self.cells[i].admit(cx.now(), airtime, &mut self.stats).done;
        if done >= self.end {
            // Still on the air when the run ends.
            return None;
        }
        match message {
            CellMessage::Request(job, direction) => return self.request_sent(job, direction, done, cx),
            CellMessage::Alert(alert) => self.alert_sent(alert, done, cx),
            CellMessage::DeviceAlert(job) => self.device_alert_sent(job, done, cx),
        }
        None
    }

    /// If the message's cell is down, schedules it to try again as the cell comes
    /// back, or, for a command the CSP will not hold that long, the failure report
    /// when the CSP gives up; returns whether it was held.
    fn hold_if_down<P: CellPayload>(&mut self, message: CellMessage, cx: &mut Context<'_, '_, P>) -> bool {
        let s = &self.world.scenario;
        let cell = self.cell_of(&message);
        let Some((back, hold)) = s.wan_outages.down_until(self.region, cell, cx.now(), s.seed) else {
            return false;
        };
        self.held.held += 1;
        let (at, message, entity) = match message {
            CellMessage::Request(mut job, Direction::Downlink) if cx.now() + hold < back => {
                self.held.commands_given_up += 1;
                job.wan_retries = ServiceRequestJob::FAILED;
                (cx.now() + hold, CellMessage::Request(job, Direction::Downlink), premises_entity(job.premises))
            }
            CellMessage::Request(job, _) => (back, message, premises_entity(job.premises)),
            CellMessage::Alert(alert) => (back, message, premises_entity(alert.premises)),
            CellMessage::DeviceAlert(d) => (back, message, cell_entity(d.cell)),
        };
        cx.schedule(at, ARRIVAL, entity, CellEvent::Retry(message));
        true
    }

    /// Handles one event; returns a command that will reach its Communications Hub,
    /// and when.
    pub fn handle<P: CellPayload>(
        &mut self,
        event: CellEvent,
        cx: &mut Context<'_, '_, P>,
    ) -> Option<(ServiceRequestJob, SimTime)> {
        match event {
            CellEvent::Command(job) => self.transmit(CellMessage::Request(job, Direction::Downlink), cx),
            // After the last retry the CSP tells the DSP the request failed.
            CellEvent::Retry(CellMessage::Request(job, _)) if job.failed() => {
                response_to_dsp(&self.world, job, cx.now(), cx);
                None
            }
            CellEvent::Retry(CellMessage::Alert(alert))
                if cx.now() >= self.world.alert_plan.alerts[alert.alert_id as usize].energy_until =>
            {
                self.end_alert(&alert, AlertOutcome::EnergyExhausted);
                None
            }
            CellEvent::Retry(message) => self.transmit(message, cx),
        }
    }

    /// The cells' figures so far, summed.
    pub fn stats_mut(&mut self) -> &mut StationStats {
        &mut self.stats
    }

    /// The latest time a channel finishes sending (time zero if none).
    pub fn last_completion(&self) -> SimTime {
        self.stats.last_completion
    }

    /// A Service Request's message leaves the air at `now`: lost (retry or give up)
    /// or on its way. Returns the command if it reaches the hub.
    fn request_sent<P: CellPayload>(
        &mut self,
        mut job: ServiceRequestJob,
        direction: Direction,
        now: SimTime,
        cx: &mut Context<'_, '_, P>,
    ) -> Option<(ServiceRequestJob, SimTime)> {
        // A premises off supply answers nothing. Each attempt has its own draw:
        // counted by payload, retransmission and direction.
        let unreachable = self.world.outages.off_supply(job.premises, now);
        let counter = (u64::from(job.payloads_sent) << 16)
            | (u64::from(job.wan_retries) * 2 + u64::from(direction == Direction::Uplink));
        let draw = || cx.rng(job.sr_id, Purpose::WanLoss, counter);
        let at = match self.air_of(job.premises).judge(unreachable, job.wan_retries, now, draw) {
            AirFate::Received => None,
            AirFate::Retry { retries, at } => {
                job.wan_retries = retries;
                Some(at)
            }
            AirFate::GiveUp { at } => {
                job.wan_retries = ServiceRequestJob::FAILED;
                Some(at)
            }
        };
        if let Some(at) = at {
            let retry = CellEvent::Retry(CellMessage::Request(job, direction));
            cx.schedule(at, ARRIVAL, premises_entity(job.premises), retry);
            return None;
        }
        match direction {
            Direction::Downlink if self.more_payloads(&job) => {
                // A firmware image goes payload by payload, each queueing anew and
                // with its own retries.
                job.payloads_sent += 1;
                job.wan_retries = 0;
                let cell = cell_entity(self.world.population.cell_of(job.premises));
                cx.schedule(now, COMPLETION, cell, CellEvent::Command(job));
                None
            }
            Direction::Downlink => Some((job, now)),
            Direction::Uplink => {
                response_to_dsp(&self.world, job, now, cx);
                None
            }
        }
    }

    /// Whether a firmware image has payloads left after the one just sent.
    fn more_payloads(&self, job: &ServiceRequestJob) -> bool {
        let s = &self.world.scenario;
        let stream = &s.traffic[usize::from(job.stream)];
        stream.carries_firmware()
            && (u32::from(job.payloads_sent) + 1) * s.wan_gateway.firmware_payload_bytes < stream.command_bytes
    }

    /// An alert leaves the air at `now`: too late for the energy store, lost (retry
    /// or give up), or received by the CSP and sent on to the DSP.
    fn alert_sent<P: CellPayload>(&mut self, mut alert: AlertJob, now: SimTime, cx: &mut Context<'_, '_, P>) {
        if now > self.world.alert_plan.alerts[alert.alert_id as usize].energy_until {
            self.end_alert(&alert, AlertOutcome::EnergyExhausted);
            return;
        }
        let entity = alert_entity(alert.alert_id);
        let draw = || cx.rng(entity, Purpose::WanLoss, u64::from(alert.retries));
        match self.air_of(alert.premises).judge(false, alert.retries, now, draw) {
            AirFate::Received => {
                let network = self.world.population.kind(alert.premises).network();
                alert.csp_received = now + half_round_trip(&self.world.scenario, cx.streams(), network, entity);
                alert_to_dsp(&self.world, self.region, alert, cx);
            }
            AirFate::Retry { retries, at } => {
                alert.retries = retries;
                cx.schedule(at, ARRIVAL, premises_entity(alert.premises), CellEvent::Retry(CellMessage::Alert(alert)));
            }
            AirFate::GiveUp { .. } => self.end_alert(&alert, AlertOutcome::Failed),
        }
    }

    /// A routine device alert leaves the air at `now`: lost (retry or give up), or
    /// on to the DSP.
    fn device_alert_sent<P: CellPayload>(
        &mut self,
        mut job: DeviceAlertJob,
        now: SimTime,
        cx: &mut Context<'_, '_, P>,
    ) {
        let air = &self.params[self.world.population.cell_network(job.cell).index()].air;
        let draw = || cx.rng(device_alert_entity(job.id), Purpose::WanLoss, u64::from(job.retries));
        match air.judge(false, job.retries, now, draw) {
            AirFate::Received => device_alert_to_dsp(&self.world, job, now, cx),
            AirFate::Retry { retries, at } => {
                job.retries = retries;
                cx.schedule(at, ARRIVAL, cell_entity(job.cell), CellEvent::Retry(CellMessage::DeviceAlert(job)));
            }
            AirFate::GiveUp { .. } => {
                self.device_alerts.failed += 1;
                self.device_alerts.count(job.raised, false);
            }
        }
    }

    fn end_alert(&mut self, alert: &AlertJob, outcome: AlertOutcome) {
        let copies = self.world.alert_plan.alerts[alert.alert_id as usize].copies;
        for recipient in [Recipient::ElectricityDistributor, Recipient::Supplier].into_iter().take(copies.into()) {
            self.alert_records.push(AlertRecord {
                alert_id: alert.alert_id,
                recipient,
                outcome,
                csp_received: None,
                delivered: None,
                throttled_count: alert.throttled_count,
                aggregated: false,
            });
        }
    }

    /// The alert copies that ended here since the last call.
    pub fn take_alert_records(&mut self) -> Vec<AlertRecord> {
        std::mem::take(&mut self.alert_records)
    }

    /// Ends the run at `end`: the cells' figures, merged and cell by cell, the alert
    /// copies that ended here and the routine device alerts that failed here.
    pub fn finish(&mut self, end: SimTime) -> CellsResult {
        self.stats.close(end);
        let cells = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| CellFigures {
                cell: self.first_cell + i as u32,
                channels: c.servers(),
                tally: *c.tally(),
                busy_channel_s: c.busy_server_s(),
            })
            .collect();
        CellsResult {
            held: self.held,
            merged: self.stats.clone(),
            cells,
            alert_records: std::mem::take(&mut self.alert_records),
            device_alerts: std::mem::take(&mut self.device_alerts),
        }
    }
}

/// What a block's cells hand back at the end of a run.
pub struct CellsResult {
    /// What the cells' outages held back.
    pub held: HeldStats,
    /// The cells' figures, merged.
    pub merged: StationStats,
    /// Each cell's figures.
    pub cells: Vec<CellFigures>,
    /// Alert copies that ended here.
    pub alert_records: Vec<AlertRecord>,
    /// Routine device alerts that failed here.
    pub device_alerts: DeviceAlertStats,
}
