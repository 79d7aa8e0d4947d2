//! A block of one CSP region's WAN: radio cells with limited channels, and the
//! round-trip latency of the region's technology.
//!
//! A command from the DSP crosses the WAN Gateway Interface and half the WAN round
//! trip (core network and radio access) to the premises' cell, queues for one of the
//! cell's channels and occupies it for its airtime (size × 8 / bit rate) to reach the
//! Communications Hub. The response queues for a channel of the same cell, then
//! takes the other half of the round trip and the WAN Gateway Interface back to the
//! DSP shard that sent the command. Both halves come from one draw per request.
//!
//! Hubs' alerts share the same channels: raised as planned ([`crate::alert::plan`]),
//! they queue for a channel, may be lost and retried like any message, and an AD1
//! must be on the air before the hub's energy store runs out. A premises off supply
//! answers nothing: a command reaching it is lost, and retried until the CSP gives up.

use std::sync::Arc;

use sim::{Ctx, SimDuration, SimTime, Station, StationStats};

use crate::alert::{AlertCode, AlertJob, AlertOutcome, AlertRecord, CspAlertPolicy, DeviceAlertStats, Recipient};
use crate::comms_hub;
use crate::network::event::{ARRIVAL, COMPLETION, CellMessage, DeviceAlertJob, Direction, NetworkEvent};
use crate::network::layout::{alert_entity, cell_entity, device_alert_entity, premises_entity};
use crate::network::{Network, streams};
use crate::region::{CspRegion, WanNetwork};
use crate::scenario::Scenario;
use crate::service_request::ServiceRequestJob;

type Ev = NetworkEvent;

/// Half of a message's WAN round trip on `network`: one draw per request (or alert,
/// keyed by `entity`), raised to the network's floor, so both legs agree wherever
/// they are computed.
pub fn half_round_trip(scenario: &Scenario, network: WanNetwork, entity: u64) -> SimDuration {
    let spec = &scenario.csp[network.index()];
    let rtt = spec.round_trip.sample(&mut streams::stream(scenario, entity, streams::WAN_ROUND_TRIP, 0));
    SimDuration(rtt.max(spec.round_trip_min).0 / 2)
}

/// The cells of one block of a CSP region: one partition.
pub struct CspBlock {
    network: Arc<Network>,
    region: CspRegion,
    /// Index of the block among all CSP blocks (partition − shards).
    block: usize,
    first_cell: u32,
    cells: Vec<Station<CellMessage>>,
    /// The block's cells' figures, summed.
    stats: StationStats,
    /// Alerts that ended here (lost, or out of energy).
    alert_records: Vec<AlertRecord>,
    /// Routine device alerts raised and lost here.
    device_alerts: DeviceAlertStats,
}

impl CspBlock {
    /// Block `k` of `region`, all cells idle.
    pub fn new(network: Arc<Network>, region: CspRegion, k: u32) -> CspBlock {
        let cells = network.layout.block_cells(region, k);
        let mut stats = StationStats::new(network.scenario.series_bucket);
        let channels = |c: u32| network.scenario.csp[network.population.cell_network(c).index()].channels_per_cell;
        CspBlock {
            region,
            block: region.index() * network.layout.per_region() as usize + k as usize,
            first_cell: cells.start,
            cells: cells.map(|c| Station::new(channels(c), &mut stats)).collect(),
            stats,
            network,
            alert_records: Vec::new(),
            device_alerts: DeviceAlertStats::default(),
        }
    }

    /// Schedules the block's first alert and first routine device alert, if any.
    pub fn start(&self, ctx: &mut Ctx<'_, Ev>) {
        self.schedule_alert(0, ctx);
        self.schedule_device_alert(ctx);
    }

    /// The block's hubs raise routine device alerts as one Poisson stream, at the
    /// block's meters × `alerts.device_alerts_per_meter_per_day`; the n-th is
    /// numbered `n × blocks + block`.
    fn schedule_device_alert(&self, ctx: &mut Ctx<'_, Ev>) {
        let rate = self.network.device_alert_rate_per_s[self.block];
        if rate <= 0.0 {
            return;
        }
        let s = &self.network.scenario;
        let n = self.device_alerts.raised;
        let gap = streams::stream(s, self.block as u64, streams::DEVICE_ALERT, n).exponential(1.0 / rate);
        let at = ctx.now() + SimDuration::from_secs_f64(gap);
        if at < s.horizon {
            ctx.schedule(at, ARRIVAL, cell_entity(self.first_cell), Ev::DeviceAlertRaised);
        }
    }

    fn raise_device_alert(&mut self, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let blocks = self.network.alert_plan.by_block.len() as u64;
        let id = self.device_alerts.raised * blocks + self.block as u64;
        let rng = &mut streams::stream(s, device_alert_entity(id), streams::DEVICE_ALERT, 0);
        let cell = self.first_cell + rng.below(self.cells.len() as u64) as u32;
        self.device_alerts.raised += 1;
        let job = DeviceAlertJob { id, cell, retries: 0, raised: ctx.now() };
        self.transmit(CellMessage::DeviceAlert(job), ctx);
        self.schedule_device_alert(ctx);
    }

    fn schedule_alert(&self, i: u32, ctx: &mut Ctx<'_, Ev>) {
        let plan = &self.network.alert_plan;
        if let Some(&id) = plan.by_block[self.block].get(i as usize) {
            let a = &plan.alerts[id as usize];
            ctx.schedule(a.raised, ARRIVAL, premises_entity(a.premises), Ev::AlertRaised(i));
        }
    }

    fn message_bytes(&self, message: &CellMessage) -> u32 {
        let s = &self.network.scenario;
        match message {
            CellMessage::Request(job, Direction::Downlink) => {
                let stream = &s.traffic[usize::from(job.stream)];
                if stream.carries_firmware() {
                    let sent = u32::from(job.payloads_sent) * s.firmware_payload_bytes;
                    (stream.command_bytes - sent).min(s.firmware_payload_bytes)
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
        let population = &self.network.population;
        match message {
            CellMessage::Request(job, _) => population.cell_of(job.premises),
            CellMessage::Alert(a) => population.cell_of(a.premises),
            CellMessage::DeviceAlert(d) => d.cell,
        }
    }

    fn airtime(&self, message: &CellMessage) -> SimDuration {
        let s = &self.network.scenario;
        let network = self.network.population.cell_network(self.cell_of(message));
        let bytes = self.message_bytes(message);
        SimDuration::from_secs_f64(f64::from(bytes) * 8.0 / s.csp[network.index()].channel_bitrate_bps)
    }

    fn loss_probability(&self, premises: u32) -> f64 {
        self.network.scenario.csp[self.network.population.kind(premises).network().index()].loss_probability
    }

    /// Whether this transmission of the request's message is lost: one draw per
    /// (retransmission count, direction), so every attempt has its own. A premises
    /// off supply answers nothing.
    fn lost(&self, job: &ServiceRequestJob, direction: Direction, now: SimTime) -> bool {
        let s = &self.network.scenario;
        let p = self.loss_probability(job.premises);
        let counter = (u64::from(job.payloads_sent) << 16)
            | (u64::from(job.wan_retries) * 2 + u64::from(direction == Direction::Uplink));
        self.network.outages.off_supply(job.premises, now)
            || (p > 0.0 && streams::stream(s, job.sr_id, streams::WAN_LOSS, counter).unit_f64() < p)
    }

    fn cell_index(&self, message: &CellMessage) -> usize {
        (self.cell_of(message) - self.first_cell) as usize
    }

    fn transmit(&mut self, message: CellMessage, ctx: &mut Ctx<'_, Ev>) {
        let airtime = self.airtime(&message);
        let i = self.cell_index(&message);
        if let Some(started) = self.cells[i].arrive(ctx.now(), airtime, message, &mut self.stats) {
            self.schedule_airtime_done(i, started, ctx);
        }
    }

    fn schedule_airtime_done(&self, i: usize, (message, done): (CellMessage, SimTime), ctx: &mut Ctx<'_, Ev>) {
        ctx.schedule(done, COMPLETION, cell_entity(self.first_cell + i as u32), Ev::AirtimeDone(message));
    }

    /// Handles one event.
    pub fn handle(&mut self, event: Ev, ctx: &mut Ctx<'_, Ev>) {
        let now = ctx.now();
        match event {
            Ev::CommandAtCell(job) => self.transmit(CellMessage::Request(job, Direction::Downlink), ctx),
            Ev::AirtimeDone(message) => {
                let i = self.cell_index(&message);
                if let Some(started) = self.cells[i].complete(now, &mut self.stats) {
                    self.schedule_airtime_done(i, started, ctx);
                }
                match message {
                    CellMessage::Request(job, direction) => self.request_sent(job, direction, ctx),
                    CellMessage::Alert(alert) => self.alert_sent(alert, ctx),
                    CellMessage::DeviceAlert(job) => self.device_alert_sent(job, ctx),
                }
            }
            Ev::ResponseAtHub(job) => self.transmit(CellMessage::Request(job, Direction::Uplink), ctx),
            // After the last retry the CSP tells the DSP the request failed.
            Ev::RetryTimer(job, _) if job.failed() => self.network.send_to_dsp(job, ctx),
            Ev::RetryTimer(job, direction) => self.transmit(CellMessage::Request(job, direction), ctx),
            Ev::AlertRaised(i) => {
                let plan = &self.network.alert_plan;
                let id = plan.by_block[self.block][i as usize];
                let a = &plan.alerts[id as usize];
                let alert = AlertJob {
                    alert_id: id,
                    premises: a.premises,
                    retries: 0,
                    code: a.code,
                    throttled_count: a.carried,
                    csp_received: SimTime::ZERO,
                };
                self.schedule_alert(i + 1, ctx);
                self.transmit(CellMessage::Alert(alert), ctx);
            }
            Ev::DeviceAlertRaised => self.raise_device_alert(ctx),
            Ev::DeviceAlertRetry(job) => self.transmit(CellMessage::DeviceAlert(job), ctx),
            Ev::AlertRetry(alert) => {
                if now >= self.network.alert_plan.alerts[alert.alert_id as usize].energy_until {
                    self.end_alert(&alert, AlertOutcome::EnergyExhausted);
                } else {
                    self.transmit(CellMessage::Alert(alert), ctx);
                }
            }
            other => unreachable!("CSP {} block got a DSP event {other:?}", self.region),
        }
    }

    /// A Service Request's message has been on the air: lost (retry or give up) or on
    /// its way.
    fn request_sent(&mut self, mut job: ServiceRequestJob, direction: Direction, ctx: &mut Ctx<'_, Ev>) {
        let now = ctx.now();
        if self.lost(&job, direction, now) {
            let spec = &self.network.scenario.csp[self.network.population.kind(job.premises).network().index()];
            job.wan_retries =
                if job.wan_retries < spec.max_retries { job.wan_retries + 1 } else { ServiceRequestJob::FAILED };
            let at = now + spec.retry_timeout;
            ctx.schedule(at, ARRIVAL, premises_entity(job.premises), Ev::RetryTimer(job, direction));
            return;
        }
        match direction {
            Direction::Downlink if self.more_payloads(&job) => {
                // A firmware image goes payload by payload, each queueing anew and
                // with its own retries.
                job.payloads_sent += 1;
                job.wan_retries = 0;
                self.transmit(CellMessage::Request(job, direction), ctx);
            }
            Direction::Downlink => {
                // The command is at the Communications Hub.
                let ready = comms_hub::response_ready(&self.network.scenario, job.sr_id, now);
                ctx.schedule(ready, ARRIVAL, premises_entity(job.premises), Ev::ResponseAtHub(job));
            }
            Direction::Uplink => self.network.send_to_dsp(job, ctx),
        }
    }

    /// Whether a firmware image has payloads left after the one just sent.
    fn more_payloads(&self, job: &ServiceRequestJob) -> bool {
        let s = &self.network.scenario;
        let stream = &s.traffic[usize::from(job.stream)];
        stream.carries_firmware()
            && (u32::from(job.payloads_sent) + 1) * s.firmware_payload_bytes < stream.command_bytes
    }

    /// An alert has been on the air: too late for the energy store, lost (retry or
    /// give up), or received by the CSP and sent on to the DSP.
    fn alert_sent(&mut self, mut alert: AlertJob, ctx: &mut Ctx<'_, Ev>) {
        let now = ctx.now();
        let s = &self.network.scenario;
        if now > self.network.alert_plan.alerts[alert.alert_id as usize].energy_until {
            self.end_alert(&alert, AlertOutcome::EnergyExhausted);
            return;
        }
        let p = self.loss_probability(alert.premises);
        let entity = alert_entity(alert.alert_id);
        if p > 0.0 && streams::stream(s, entity, streams::WAN_LOSS, u64::from(alert.retries)).unit_f64() < p {
            let spec = &s.csp[self.network.population.kind(alert.premises).network().index()];
            if alert.retries >= spec.max_retries {
                self.end_alert(&alert, AlertOutcome::Failed);
            } else {
                alert.retries += 1;
                let at = now + spec.retry_timeout;
                ctx.schedule(at, ARRIVAL, premises_entity(alert.premises), Ev::AlertRetry(alert));
            }
            return;
        }
        let network = self.network.population.kind(alert.premises).network();
        alert.csp_received = now + half_round_trip(s, network, entity);
        let shards = self.network.layout.shards();
        let shard = if alert.code == AlertCode::PowerOutage && s.alerts.csp_policy == CspAlertPolicy::Aggregate {
            self.region.index() as u32 % shards
        } else {
            alert.premises % shards
        };
        let at = alert.csp_received + s.wan_gateway_latency;
        let to = self.network.layout.shard_partition(shard);
        ctx.send(to, at, ARRIVAL, premises_entity(alert.premises), Ev::AlertAtDsp(alert));
    }

    /// A routine device alert has been on the air: lost (retry or give up), or on to
    /// the DSP shard its id deals it to.
    fn device_alert_sent(&mut self, mut job: DeviceAlertJob, ctx: &mut Ctx<'_, Ev>) {
        let now = ctx.now();
        let s = &self.network.scenario;
        let network = self.network.population.cell_network(job.cell);
        let spec = &s.csp[network.index()];
        let entity = device_alert_entity(job.id);
        if spec.loss_probability > 0.0
            && streams::stream(s, entity, streams::WAN_LOSS, u64::from(job.retries)).unit_f64() < spec.loss_probability
        {
            if job.retries >= spec.max_retries {
                self.device_alerts.failed += 1;
                self.device_alerts.count(job.raised, false);
            } else {
                job.retries += 1;
                ctx.schedule(now + spec.retry_timeout, ARRIVAL, cell_entity(job.cell), Ev::DeviceAlertRetry(job));
            }
            return;
        }
        let at = now + half_round_trip(s, network, entity) + s.wan_gateway_latency;
        let shard = (job.id % u64::from(self.network.layout.shards())) as u32;
        ctx.send(
            self.network.layout.shard_partition(shard),
            at,
            ARRIVAL,
            cell_entity(job.cell),
            Ev::DeviceAlertAtDsp(job),
        );
    }

    fn end_alert(&mut self, alert: &AlertJob, outcome: AlertOutcome) {
        let copies = self.network.alert_plan.alerts[alert.alert_id as usize].copies;
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

    /// The region this block belongs to.
    pub fn region(&self) -> CspRegion {
        self.region
    }

    /// Ends the run at `end`: the cells' figures, merged and cell by cell, and the
    /// alerts that ended here.
    pub fn finish(&mut self, end: SimTime) -> BlockResult {
        self.stats.close(end);
        let cells = self
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| CellFigures {
                cell: self.first_cell + i as u32,
                channels: c.servers(),
                tally: *c.tally(),
                busy_channel_s: c.tally().busy_server_s(c.busy(), end),
            })
            .collect();
        BlockResult {
            cells_merged: self.stats.clone(),
            cells,
            alert_records: std::mem::take(&mut self.alert_records),
            device_alerts: std::mem::take(&mut self.device_alerts),
        }
    }
}

/// What a CSP block hands back at the end of a run.
pub struct BlockResult {
    /// The cells' figures, merged.
    pub cells_merged: StationStats,
    /// Each cell's figures.
    pub cells: Vec<CellFigures>,
    /// Alert copies that ended here.
    pub alert_records: Vec<AlertRecord>,
    /// Routine device alerts raised (and lost) here.
    pub device_alerts: DeviceAlertStats,
}

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
