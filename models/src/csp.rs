//! A block of one CSP region's WAN: radio cells with limited channels, and the
//! round-trip latency of the region's technology.
//!
//! A command from the DSP crosses the WAN Gateway Interface and half the WAN round
//! trip (core network and radio access) to the premises' cell, queues for one of the
//! cell's channels and occupies it for its airtime (size × 8 / bit rate) to reach the
//! Communications Hub. The response queues for a channel of the same cell, then
//! takes the other half of the round trip and the WAN Gateway Interface back to the
//! DSP shard that sent the command. Both halves come from one draw per request.

use std::sync::Arc;

use sim::{Ctx, SimDuration, SimTime, Station, StationStats};

use crate::comms_hub;
use crate::network::event::{ARRIVAL, COMPLETION, Direction, NetworkEvent};
use crate::network::layout::{cell_entity, premises_entity};
use crate::network::{Network, streams};
use crate::region::{CspRegion, WanNetwork};
use crate::scenario::Scenario;
use crate::service_request::ServiceRequestJob;

type Ev = NetworkEvent;

/// Half of request `sr_id`'s WAN round trip on `network`: one draw per request,
/// raised to the network's floor, so both legs agree wherever they are computed.
pub fn half_round_trip(scenario: &Scenario, network: WanNetwork, sr_id: u64) -> SimDuration {
    let spec = &scenario.csp[network.index()];
    let rtt = spec.round_trip.sample(&mut streams::stream(scenario, sr_id, streams::WAN_ROUND_TRIP, 0));
    SimDuration(rtt.max(spec.round_trip_min).0 / 2)
}

/// The cells of one block of a CSP region: one partition.
pub struct CspBlock {
    network: Arc<Network>,
    region: CspRegion,
    first_cell: u32,
    cells: Vec<Station<(ServiceRequestJob, Direction)>>,
    /// The block's cells' figures, summed.
    stats: StationStats,
}

impl CspBlock {
    /// Block `k` of `region`, all cells idle.
    pub fn new(network: Arc<Network>, region: CspRegion, k: u32) -> CspBlock {
        let cells = network.layout.block_cells(region, k);
        let mut stats = StationStats::new(network.scenario.series_bucket);
        let channels = |c: u32| network.scenario.csp[network.population.cell_network(c).index()].channels_per_cell;
        CspBlock {
            region,
            first_cell: cells.start,
            cells: cells.map(|c| Station::new(channels(c), &mut stats)).collect(),
            stats,
            network,
        }
    }

    fn airtime(&self, job: &ServiceRequestJob, direction: Direction) -> SimDuration {
        let s = &self.network.scenario;
        let stream = &s.traffic[usize::from(job.stream)];
        let bytes = match direction {
            Direction::Downlink => stream.command_bytes,
            Direction::Uplink => stream.response_bytes,
        };
        let network = self.network.population.kind(job.premises).network();
        SimDuration::from_secs_f64(f64::from(bytes) * 8.0 / s.csp[network.index()].channel_bitrate_bps)
    }

    /// Whether this transmission of the request's message is lost: one draw per
    /// (retransmission count, direction), so every attempt has its own.
    fn lost(&self, job: &ServiceRequestJob, direction: Direction) -> bool {
        let s = &self.network.scenario;
        let p = s.csp[self.network.population.kind(job.premises).network().index()].loss_probability;
        let counter = u64::from(job.wan_retries) * 2 + u64::from(direction == Direction::Uplink);
        p > 0.0 && streams::stream(s, job.sr_id, streams::WAN_LOSS, counter).unit_f64() < p
    }

    fn cell_index(&self, job: &ServiceRequestJob) -> usize {
        (self.network.population.cell_of(job.premises) - self.first_cell) as usize
    }

    fn transmit(&mut self, job: ServiceRequestJob, direction: Direction, ctx: &mut Ctx<'_, Ev>) {
        let airtime = self.airtime(&job, direction);
        let i = self.cell_index(&job);
        if let Some(started) = self.cells[i].arrive(ctx.now(), airtime, (job, direction), &mut self.stats) {
            self.schedule_airtime_done(i, started, ctx);
        }
    }

    fn schedule_airtime_done(
        &self,
        i: usize,
        ((job, dir), done): ((ServiceRequestJob, Direction), SimTime),
        ctx: &mut Ctx<'_, Ev>,
    ) {
        ctx.schedule(done, COMPLETION, cell_entity(self.first_cell + i as u32), Ev::AirtimeDone(job, dir));
    }

    /// Handles one event.
    pub fn handle(&mut self, event: Ev, ctx: &mut Ctx<'_, Ev>) {
        let now = ctx.now();
        match event {
            Ev::CommandAtCell(job) => self.transmit(job, Direction::Downlink, ctx),
            Ev::AirtimeDone(mut job, direction) => {
                let i = self.cell_index(&job);
                if let Some(started) = self.cells[i].complete(now, &mut self.stats) {
                    self.schedule_airtime_done(i, started, ctx);
                }
                if self.lost(&job, direction) {
                    let spec = &self.network.scenario.csp[self.network.population.kind(job.premises).network().index()];
                    job.wan_retries = if job.wan_retries < spec.max_retries {
                        job.wan_retries + 1
                    } else {
                        ServiceRequestJob::FAILED
                    };
                    let at = now + spec.retry_timeout;
                    ctx.schedule(at, ARRIVAL, premises_entity(job.premises), Ev::RetryTimer(job, direction));
                    return;
                }
                match direction {
                    Direction::Downlink => {
                        // The command is at the Communications Hub.
                        let ready = comms_hub::response_ready(&self.network.scenario, job.sr_id, now);
                        ctx.schedule(ready, ARRIVAL, premises_entity(job.premises), Ev::ResponseAtHub(job));
                    }
                    Direction::Uplink => self.network.send_to_dsp(job, ctx),
                }
            }
            Ev::ResponseAtHub(job) => self.transmit(job, Direction::Uplink, ctx),
            // After the last retry the CSP tells the DSP the request failed.
            Ev::RetryTimer(job, _) if job.failed() => self.network.send_to_dsp(job, ctx),
            Ev::RetryTimer(job, direction) => self.transmit(job, direction, ctx),
            other => unreachable!("CSP {} block got a DSP event {other:?}", self.region),
        }
    }

    /// The region this block belongs to.
    pub fn region(&self) -> CspRegion {
        self.region
    }

    /// Ends the run at `end`: the cells' figures, merged.
    pub fn finish(&mut self, end: SimTime) -> StationStats {
        self.stats.close(end);
        self.stats.clone()
    }
}
