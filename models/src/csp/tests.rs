//! A block's radio cells alone, driven by hand-made commands.

use std::sync::Arc;

use sim::{Delay, SimDuration, SimTime};

use super::wan_cell::{CellEvent, WanCells};
use crate::alert::DeviceAlertJob;
use crate::context::{ARRIVAL, Context};
use crate::layout::premises_entity;
use crate::region::CspRegion;
use crate::service_request::ServiceRequestJob;
use crate::testkit;
use crate::wan_gateway::{AlertToDsp, DeviceAlertToDsp, ResponseToDsp};
use crate::world::World;

/// What hosted cells see and send.
#[derive(Debug)]
enum E {
    Cell(CellEvent),
    Response(ResponseToDsp),
    Alert(AlertToDsp),
    DeviceAlert(DeviceAlertToDsp),
}

impl From<CellEvent> for E {
    fn from(e: CellEvent) -> E {
        E::Cell(e)
    }
}
impl From<ResponseToDsp> for E {
    fn from(e: ResponseToDsp) -> E {
        E::Response(e)
    }
}
impl From<AlertToDsp> for E {
    fn from(e: AlertToDsp) -> E {
        E::Alert(e)
    }
}
impl From<DeviceAlertToDsp> for E {
    fn from(e: DeviceAlertToDsp) -> E {
        E::DeviceAlert(e)
    }
}

struct Bench {
    cells: WanCells,
    /// Commands to send at time zero: (sr_id, premises).
    commands: Vec<ServiceRequestJob>,
    /// When each command reached its hub.
    at_hub: Vec<(SimTime, u64)>,
    /// When each transmission reached the cell.
    attempts: Vec<SimTime>,
    /// Failures reported to the DSP.
    to_dsp: Vec<(SimTime, ServiceRequestJob)>,
}

fn start(b: &mut Bench, cx: &mut Context<'_, '_, E>) {
    for job in &b.commands {
        cx.schedule(SimTime::ZERO, ARRIVAL, premises_entity(job.premises), CellEvent::Command(*job));
    }
}

fn handle(b: &mut Bench, e: E, cx: &mut Context<'_, '_, E>) {
    match e {
        E::Cell(e) => {
            b.attempts.push(cx.now());
            if let Some((job, at)) = b.cells.handle(e, cx) {
                b.at_hub.push((at, job.sr_id));
            }
        }
        E::Response(ResponseToDsp(job)) => b.to_dsp.push((cx.now(), job)),
        E::Alert(a) => panic!("no alert was raised: {a:?}"),
        E::DeviceAlert(DeviceAlertToDsp(DeviceAlertJob { id, .. })) => panic!("no device alert was raised: {id}"),
    }
}

/// A world whose radio is the same everywhere: `channels` per cell, 1 s of
/// airtime per command, a 2 s round trip, and loss `loss`.
fn world(channels: u32, loss: f64) -> Arc<World> {
    let mut s = testkit::scenario(2_000, 1.0);
    s.traffic[0].command_bytes = 1_000;
    s.wan_gateway.latency = SimDuration::from_secs_f64(0.5);
    for csp in &mut s.csp {
        csp.channels_per_cell = channels;
        csp.channel_bitrate_bps = 8_000.0;
        csp.round_trip = Delay::Constant { value_s: 2.0 };
        csp.round_trip_min = SimDuration::from_secs(1);
        csp.loss_probability = crate::scenario::Probability::new(loss).unwrap();
        csp.retry_timeout = SimDuration::from_secs(10);
        csp.max_retries = 3;
    }
    testkit::world(s)
}

/// `n` commands for premises in one cell of block 0 of the first region.
fn bench(world: &Arc<World>, n: u64) -> Bench {
    let region = CspRegion::ALL[0];
    let population = &world.population;
    let cell = world.layout.block_cells(region, 0).start;
    let premises = (0..population.premises())
        .find(|&p| population.region_of(p) == region && population.cell_of(p) == cell && population.kind(p).covered())
        .expect("a covered premises in the first cell");
    let commands = (0..n).map(|sr_id| crate::testkit::job(sr_id, premises, 0, SimTime::ZERO)).collect();
    let cells = WanCells::new(world.clone(), region, 0);
    Bench { cells, commands, at_hub: Vec::new(), attempts: Vec::new(), to_dsp: Vec::new() }
}

/// Seven commands at once into a cell of two channels, 1 s on the air each: they
/// reach the hub two by two, in arrival order, never more than two on the air.
#[test]
fn a_cell_never_has_more_messages_on_the_air_than_channels() {
    let world = world(2, 0.0);
    let b = testkit::host(bench(&world, 7), world.streams, start, handle, SimTime::from_secs(100));
    let s = SimTime::from_secs;
    let expected = [(s(1), 0), (s(1), 1), (s(2), 2), (s(2), 3), (s(3), 4), (s(3), 5), (s(4), 6)];
    assert_eq!(b.at_hub, expected);
    assert!(b.to_dsp.is_empty());
}

/// On a link that loses everything, a command is sent 1 + `max_retries` times, a
/// timeout apart, and after the last timeout the CSP reports the failure to the
/// DSP across half the round trip and the WAN Gateway.
#[test]
fn a_lost_command_is_retried_after_the_timeout_and_fails_after_max_retries() {
    let world = world(2, 1.0);
    let mut b = testkit::host(bench(&world, 1), world.streams, start, handle, SimTime::from_secs(200));
    let s = SimTime::from_secs;
    // Attempt k reaches the cell at 11k s and leaves the air 1 s later; the next
    // follows a 10 s timeout after that.
    assert_eq!(b.attempts, [s(0), s(11), s(22), s(33), s(44)], "four attempts, then the failure");
    assert_eq!(b.cells.last_completion(), s(34), "the last attempt left the air at 34 s");
    assert!(b.at_hub.is_empty());
    let (at, job) = b.to_dsp.pop().expect("the failure is reported");
    assert!(job.failed() && b.to_dsp.is_empty());
    assert_eq!(at, SimTime::from_secs_f64(44.0 + 1.0 + 0.5));
    let cells = b.cells.finish(SimTime::from_secs(200));
    assert_eq!(cells.merged.arrivals, 4, "one queueing per attempt");
}
