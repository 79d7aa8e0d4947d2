//! The WAN Gateway Interface between the DSP and the CSPs, and the WAN's core
//! network behind it: what crosses between a DSP shard and a CSP block, and when it
//! arrives.
//!
//! A command from the DSP crosses the interface and half the WAN round trip to the
//! premises' cell; a response (or alert) that left its cell takes half the round
//! trip and the interface back. Both halves of a request come from one draw, so
//! they agree wherever they are computed.
//!
//! The messages are types of their own so that the DSP and the CSP never import
//! each other: each sends the message, and the partition that hosts the receiver
//! turns it into the receiver's event.

use sim::{SimDuration, SimTime};

use crate::alert::{AlertCode, AlertJob, CspAlertPolicy, DeviceAlertJob};
use crate::context::{ARRIVAL, Context};
use crate::layout::{cell_entity, premises_entity};
use crate::region::{CspRegion, WanNetwork};
use crate::scenario::Scenario;
use crate::service_request::ServiceRequestJob;
use crate::streams::{Purpose, Streams};
use crate::world::World;

/// A command on its way from the DSP to the premises' cell.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CommandToCsp(pub ServiceRequestJob);

/// A device's response (or the CSP's report of a failed delivery) on its way to the
/// DSP shard that holds the request.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ResponseToDsp(pub ServiceRequestJob);

/// A hub's outage or restoration alert on its way to a DSP shard.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct AlertToDsp(pub AlertJob);

/// A routine device alert on its way to a DSP shard.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DeviceAlertToDsp(pub DeviceAlertJob);

/// Half of a message's WAN round trip on `network`: one draw per request (or alert,
/// keyed by `entity`), raised to the network's floor.
pub fn half_round_trip(scenario: &Scenario, streams: Streams, network: WanNetwork, entity: u64) -> SimDuration {
    let spec = &scenario.csp[network.index()];
    let rtt = spec.round_trip.sample(&mut streams.stream(entity, Purpose::WanRoundTrip, 0));
    SimDuration(rtt.max(spec.round_trip_min).0 / 2)
}

/// Hands a request the DSP processed by `from` to the CSP block owning the premises'
/// cell.
pub fn command_to_csp<P: From<CommandToCsp>>(
    world: &World,
    job: ServiceRequestJob,
    from: SimTime,
    cx: &mut Context<'_, '_, P>,
) {
    let population = &world.population;
    let region = population.region_of(job.premises);
    let to = world.layout.cell_partition(region, population.cell_of(job.premises));
    let network = population.kind(job.premises).network();
    let half_rtt = half_round_trip(&world.scenario, world.streams, network, job.sr_id);
    let at = from + world.scenario.wan_gateway.latency + half_rtt;
    cx.send(to, at, ARRIVAL, premises_entity(job.premises), CommandToCsp(job));
}

/// Hands a response that left its cell at `from` back to its DSP shard.
pub fn response_to_dsp<P: From<ResponseToDsp>>(
    world: &World,
    job: ServiceRequestJob,
    from: SimTime,
    cx: &mut Context<'_, '_, P>,
) {
    let to = world.layout.shard_partition(world.layout.shard_of(job.sr_id));
    let network = world.population.kind(job.premises).network();
    let half_rtt = half_round_trip(&world.scenario, world.streams, network, job.sr_id);
    let at = from + half_rtt + world.scenario.wan_gateway.latency;
    cx.send(to, at, ARRIVAL, premises_entity(job.premises), ResponseToDsp(job));
}

/// Hands an alert the CSP of `region` received at `csp_received` to a DSP shard: an
/// aggregated AD1 to the shard hosting its region's event windows, any other to the
/// shard its premises is dealt to.
pub fn alert_to_dsp<P: From<AlertToDsp>>(
    world: &World,
    region: CspRegion,
    alert: AlertJob,
    cx: &mut Context<'_, '_, P>,
) {
    let s = &world.scenario;
    let shards = world.layout.shards();
    let shard = if alert.code == AlertCode::PowerOutage && s.alerts.csp.policy == CspAlertPolicy::Aggregate {
        region.index() as u32 % shards
    } else {
        alert.premises % shards
    };
    let at = alert.csp_received + s.wan_gateway.latency;
    cx.send(world.layout.shard_partition(shard), at, ARRIVAL, premises_entity(alert.premises), AlertToDsp(alert));
}

/// Hands a routine device alert on the air at `now` to the DSP shard its id deals
/// it to, after half the round trip and the interface.
pub fn device_alert_to_dsp<P: From<DeviceAlertToDsp>>(
    world: &World,
    job: DeviceAlertJob,
    now: SimTime,
    cx: &mut Context<'_, '_, P>,
) {
    let network = world.population.cell_network(job.cell);
    let entity = crate::layout::device_alert_entity(job.id);
    let at =
        now + half_round_trip(&world.scenario, world.streams, network, entity) + world.scenario.wan_gateway.latency;
    let shard = (job.id % u64::from(world.layout.shards())) as u32;
    cx.send(world.layout.shard_partition(shard), at, ARRIVAL, cell_entity(job.cell), DeviceAlertToDsp(job));
}
