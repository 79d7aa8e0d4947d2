//! The WAN defaults against the CSPs' contractual round trip: RTT4 = 25 s for On
//! Demand traffic (DOMAIN §1.1, PMM-2018 p.4 [H]). Small test commands, answered
//! by the hub itself as the CSPs' Test HAN Interface Commands are, cross each
//! region's cells at a typical load with the scenario defaults: airtime, round
//! trip, loss and retries. From the CSP's receipt of the command to its delivery
//! of the response at the DCC WAN Gateway, 99 % of round trips on every WAN
//! network must take under 25 s.

use std::collections::BTreeMap;
use std::sync::Arc;

use sim::{Delay, SimDuration, SimTime};

use crate::comms_hub::{CommsHubs, HubEvent};
use crate::context::{ARRIVAL, Context};
use crate::csp::wan_cell::{CellEvent, WanCells};
use crate::layout::premises_entity;
use crate::region::{CspRegion, WanNetwork};
use crate::service_request::ServiceRequestJob;
use crate::testkit;
use crate::wan_gateway::{AlertToDsp, DeviceAlertToDsp, ResponseToDsp};
use crate::world::World;

#[derive(Debug)]
enum E {
    Cell(CellEvent),
    Hub(HubEvent),
    Response(ResponseToDsp),
}

impl From<CellEvent> for E {
    fn from(e: CellEvent) -> E {
        E::Cell(e)
    }
}
impl From<HubEvent> for E {
    fn from(e: HubEvent) -> E {
        E::Hub(e)
    }
}
impl From<ResponseToDsp> for E {
    fn from(e: ResponseToDsp) -> E {
        E::Response(e)
    }
}
impl From<AlertToDsp> for E {
    fn from(e: AlertToDsp) -> E {
        panic!("no alert was raised: {e:?}")
    }
}
impl From<DeviceAlertToDsp> for E {
    fn from(e: DeviceAlertToDsp) -> E {
        panic!("no device alert was raised: {e:?}")
    }
}

struct Bench {
    cells: WanCells,
    hubs: CommsHubs,
    commands: Vec<ServiceRequestJob>,
    /// Each command's round trip (`None`: the CSP gave up), by sr_id.
    round_trips: BTreeMap<u64, Option<SimDuration>>,
    latency: SimDuration,
}

fn start(b: &mut Bench, cx: &mut Context<'_, '_, E>) {
    for job in &b.commands {
        cx.schedule(job.submitted, ARRIVAL, premises_entity(job.premises), CellEvent::Command(*job));
    }
}

fn handle(b: &mut Bench, e: E, cx: &mut Context<'_, '_, E>) {
    let at_hub = match e {
        E::Cell(e) => b.cells.handle(e, cx),
        E::Hub(e) => {
            let message = b.hubs.handle(e, cx);
            b.cells.transmit(message, cx)
        }
        E::Response(ResponseToDsp(job)) => {
            let back = SimDuration((cx.now() - job.submitted).0 - b.latency.0);
            b.round_trips.insert(job.sr_id, (!job.failed()).then_some(back));
            None
        }
    };
    if let Some((job, at)) = at_hub {
        b.hubs.command(job, at, cx);
    }
}

/// The default scenario at 60,000 premises; the hub answers at once.
fn world() -> Arc<World> {
    let mut s = testkit::scenario(60_000, 1.0);
    s.comms_hub.han_response = Delay::Constant { value_s: 0.0 };
    testkit::world(s)
}

/// Round trips of 3,000 small commands to the hubs of `network` in `region`, one
/// every 2 s (a cell's channels are almost always free, as at typical load).
fn round_trips(world: &Arc<World>, region: CspRegion, network: WanNetwork) -> Vec<Option<SimDuration>> {
    let population = &world.population;
    let premises: Vec<u32> = (0..population.premises())
        .filter(|&p| population.region_of(p) == region && population.kind(p).covered())
        .filter(|&p| population.kind(p).network() == network)
        .collect();
    if premises.len() < 20 {
        return Vec::new();
    }
    let commands = (0..3_000u64)
        .map(|i| {
            let p = premises[(i as usize * 7_919) % premises.len()];
            crate::testkit::job(i, p, 0, SimTime::from_secs(2 * i))
        })
        .collect();
    let bench = Bench {
        cells: WanCells::new(world.clone(), region, 0),
        hubs: CommsHubs::new(world, region, 0),
        commands,
        round_trips: BTreeMap::new(),
        latency: world.scenario.wan_gateway.latency,
    };
    let b = testkit::host(bench, world.streams, start, handle, SimTime::from_secs(8_000));
    assert_eq!(b.round_trips.len(), 3_000, "every command came back or was given up");
    b.round_trips.into_values().collect()
}

/// The 99th percentile, counting a command given up on as slower than any.
fn p99_s(trips: &[Option<SimDuration>]) -> f64 {
    let mut s: Vec<f64> = trips.iter().map(|t| t.map_or(f64::INFINITY, |d| d.as_secs_f64())).collect();
    s.sort_by(f64::total_cmp);
    s[(s.len() * 99).div_ceil(100) - 1]
}

#[test]
fn small_command_round_trips_meet_rtt4_on_every_network() {
    let world = world();
    let mut seen = Vec::new();
    for region in CspRegion::ALL {
        for network in WanNetwork::ALL {
            let trips = round_trips(&world, region, network);
            if trips.is_empty() {
                continue;
            }
            let p99 = p99_s(&trips);
            seen.push(format!("{} {}: p99 {p99:.1} s", region.key(), network.key()));
            assert!(p99 < 25.0, "{} {}: p99 {p99:.1} s of {} round trips", region.key(), network.key(), trips.len());
        }
    }
    assert!(seen.len() >= 7, "every region's own network, mesh and 4G where they are: {seen:?}");
    eprintln!("{}", seen.join("\n"));
}
