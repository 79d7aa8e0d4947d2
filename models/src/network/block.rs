//! A CSP block: one partition holding a block of one CSP region's radio cells, the
//! hubs they serve and the outage source that makes those hubs raise alerts. It only
//! hands events to those components and passes what one hands over to the next.

use std::sync::Arc;

use super::event::Event;
use crate::alert::AlertJob;
use crate::change_of_supplier::DeviceTrust;
use crate::comms_hub::CommsHubs;
use crate::context::Context;
use crate::csp::wan_cell::CellsResult;
use crate::csp::{CellMessage, WanCells};
use crate::outage::source::{DueAlert, OutageSource};
use crate::region::CspRegion;
use crate::world::World;

/// A CSP block partition.
pub struct CspBlock {
    world: Arc<World>,
    cells: WanCells,
    hubs: CommsHubs,
    outages: OutageSource,
    devices: DeviceTrust,
}

type Cx<'c, 'a> = Context<'c, 'a, Event>;

impl CspBlock {
    /// Block `k` of `region`, all cells idle.
    pub fn new(world: Arc<World>, region: CspRegion, k: u32) -> CspBlock {
        let hubs = CommsHubs::new(&world, region, k);
        let block = region.index() * world.layout.per_region() as usize + k as usize;
        let plan = &world.alert_plan;
        let due = plan.by_block[block]
            .iter()
            .map(|&id| {
                let a = &plan.alerts[id as usize];
                DueAlert { at: a.raised, premises: a.premises, id }
            })
            .collect();
        CspBlock {
            cells: WanCells::new(world.clone(), region, k),
            hubs,
            outages: OutageSource::new(due),
            devices: DeviceTrust::new(world.clone()),
            world,
        }
    }

    /// The streams the block draws from.
    pub fn streams(&self) -> crate::streams::Streams {
        self.world.streams
    }

    /// The region the block belongs to.
    pub fn region(&self) -> CspRegion {
        self.cells.region()
    }

    /// Schedules the block's first alert and first routine device alert, if any.
    pub fn start(&self, cx: &mut Cx<'_, '_>) {
        self.outages.start(cx);
        self.hubs.start(cx);
    }

    /// Hands one event to its component.
    pub fn handle(&mut self, event: Event, cx: &mut Cx<'_, '_>) {
        match event {
            Event::Cell(e) => {
                if let Some((job, at)) = self.cells.handle(e, cx) {
                    self.hubs.command(self.devices.command(job), at, cx);
                }
            }
            Event::Hub(e) => {
                let message = self.hubs.handle(e, cx);
                if let Some((job, at)) = self.cells.transmit(message, cx) {
                    self.hubs.command(self.devices.command(job), at, cx);
                }
            }
            Event::Outage(e) => {
                let id = self.outages.handle(e, cx);
                let alert = AlertJob::raised(id, &self.world.alert_plan.alerts[id as usize]);
                self.cells.transmit(CellMessage::Alert(alert), cx);
            }
            Event::Traffic(_) | Event::Gateway(_) | Event::Anomaly(_) | Event::Dsp(_) | Event::Alert(_) => {
                unreachable!("CSP {} block got a DSP event {event:?}", self.region())
            }
        }
    }

    /// The cells' finished series buckets (those ending by `t`, now), to merge
    /// into the run's figures for the block's region.
    pub fn take_series(&mut self, t: sim::SimTime) -> sim::StationStats {
        self.cells.stats_mut().take_series_before(t)
    }

    /// The latest time a channel of the block finishes sending (time zero if none).
    pub fn last_completion(&self) -> sim::SimTime {
        self.cells.last_completion()
    }

    /// The alert copies that ended here since the last call.
    pub fn take_alerts(&mut self) -> Vec<crate::alert::AlertRecord> {
        self.cells.take_alert_records()
    }

    /// Ends the run at `end`: the cells' figures and what ended here; the routine
    /// device alerts raised here are counted in.
    pub fn finish(&mut self, end: sim::SimTime) -> CellsResult {
        let mut r = self.cells.finish(end);
        r.device_alerts.raised += self.hubs.device_alerts_raised();
        r
    }
}
