//! A DSP shard: one partition holding DCC Users' traffic into it, its User Gateway,
//! Threshold Anomaly Detection, DSP, CoS Party, SMETS1 service providers and alert
//! routing. It only hands events to those components and
//! passes what one hands over to the next.

use std::sync::Arc;

use sim::{SimDuration, SimTime, StationStats};

use super::event::Event;
use crate::alert::router::{AlertRouter, AlertRouterParams};
use crate::alert::{AlertRecord, DeviceAlertStats};
use crate::anomaly_detection::{AnomalyDetection, CounterStats, Screened, Verdict};
use crate::context::Context;
use crate::cos_party::{CosParty, CosPartyParams};
use crate::dsp::{Dsp, DspHandoff, DspParams, DspWork};
use crate::service_request::{Refusal, ServiceRequestRecord};
use crate::smets1_service::{Smets1Service, Smets1ServiceParams};
use crate::user_gateway::{
    ConnectionStats, DowntimeStats, GatewayExit, Throttle, ThrottleStats, UserGateway, UserGatewayParams,
};
use crate::user_traffic::UserTraffic;
use crate::world::World;

/// A DSP shard partition.
pub struct DspShard {
    world: Arc<World>,
    traffic: UserTraffic,
    gateway: UserGateway,
    anomaly: AnomalyDetection,
    dsp: Dsp,
    cos_party: CosParty,
    smets1: Smets1Service,
    alerts: AlertRouter,
}

type Cx<'c, 'a> = Context<'c, 'a, Event>;

impl DspShard {
    /// Shard `shard` of the world, idle.
    pub fn new(world: Arc<World>, shard: u32) -> DspShard {
        let s = &world.scenario;
        let gateway = UserGatewayParams {
            servers: s.user_gateway.servers,
            service: s.user_gateway.service,
            connections_per_user: s.users.max_concurrent_requests.div_ceil(s.dsp.shards).max(1),
            users: world.users.count(),
            series_bucket: s.series_bucket,
            end: s.run_end(),
            downtime: s.user_gateway.downtime.clone(),
            retry: s.users.retry,
            suspensions: s.user_suspensions.clone(),
            // Each shard lets in its share of a User's allocation.
            throttle: (s.users.allocation_per_s > 0.0).then(|| Throttle {
                interval: SimDuration::from_secs_f64(f64::from(s.dsp.shards) / s.users.allocation_per_s),
                max_hold: s.users.throttle_max_hold,
            }),
        };
        let cos = CosPartyParams {
            servers: s.cos_party.servers,
            service: s.cos_party.service,
            series_bucket: s.series_bucket,
            end: s.run_end(),
        };
        let smets1 = Smets1ServiceParams {
            servers: s.smets1_service.servers,
            service: s.smets1_service.service,
            round_trip: s.smets1_service.round_trip,
            timeout: s.smets1_service.timeout,
            series_bucket: s.series_bucket,
            end: s.run_end(),
        };
        let alerts = AlertRouterParams {
            spec: s.alerts.clone(),
            wan_gateway_latency: s.wan_gateway.latency,
            series_bucket: s.series_bucket,
            end: s.run_end(),
            entity: crate::layout::shard_entity(shard),
        };
        DspShard {
            traffic: UserTraffic::new(world.clone(), shard),
            gateway: UserGateway::new(gateway),
            anomaly: AnomalyDetection::new(world.clone(), shard),
            dsp: Dsp::new(world.clone(), DspParams::of(&world)),
            cos_party: CosParty::new(cos),
            smets1: Smets1Service::new(smets1, world.outages.clone()),
            alerts: AlertRouter::new(alerts, world.alert_plan.clone(), world.population.clone()),
            world,
        }
    }

    /// Schedules the first submission of every stream.
    pub fn start(&self, cx: &mut Cx<'_, '_>) {
        self.traffic.start(cx);
    }

    /// Hands one event to its component.
    pub fn handle(&mut self, event: Event, cx: &mut Cx<'_, '_>) {
        match event {
            Event::Traffic(e) => {
                for submitted in self.traffic.handle(e, cx).into_iter().flatten() {
                    self.dsp.open(submitted.job);
                    if !submitted.via_gateway {
                        self.dsp.request_arrives(submitted.job, cx);
                    } else if let Some((refused, why)) = self.gateway.arrive(submitted.job, cx) {
                        self.dsp.refuse(refused, why, cx.now());
                    }
                }
            }
            Event::Gateway(e) => match self.gateway.handle(e, cx) {
                Some(GatewayExit::Accepted(job)) => {
                    if let Screened::Passed(job) = self.anomaly.screen(job, cx) {
                        self.dsp.request_arrives(job, cx);
                    }
                }
                Some(GatewayExit::Refused(job, why)) => self.dsp.refuse(job, why, cx.now()),
                None => {}
            },
            Event::Anomaly(e) => {
                for verdict in self.anomaly.handle(e, cx) {
                    match verdict {
                        Verdict::Released(job) => self.dsp.request_arrives(job, cx),
                        Verdict::Deleted(job) => self.dsp.refuse(job, Refusal::Quarantined, cx.now()),
                    }
                }
            }
            Event::Dsp(e) => match self.dsp.handle(e, cx) {
                Some(DspHandoff::CosParty(job)) => {
                    let (signed, at) = self.cos_party.arrive(job, cx);
                    self.dsp.request_processed(signed, at, cx);
                }
                Some(DspHandoff::Alert(work)) => self.alerts.processed(work, cx),
                Some(DspHandoff::Smets1(job)) => self.smets1.arrive(job, cx),
                None => {}
            },
            Event::Alert(e) => {
                self.alerts.handle(e, cx);
                for (work, service) in self.alerts.drain_for_dsp() {
                    self.dsp.work(DspWork::Alert(work), service, cx);
                }
            }
            Event::Cell(_) | Event::Hub(_) | Event::Outage(_) => {
                unreachable!("a DSP shard got a CSP event {event:?}")
            }
        }
    }

    /// The rows that ended before `until` and were not yet taken: requests, then
    /// alert copies.
    pub fn take_rows(&mut self, until: SimTime) -> (Vec<ServiceRequestRecord>, Vec<AlertRecord>) {
        (self.dsp.take_records(until), self.alerts.take_records(until))
    }

    /// The stations' finished series buckets (those ending by `t`, now), to merge
    /// into the run's figures: User Gateway, DSP, CoS Party, SMETS1 service
    /// providers, alert delivery.
    pub fn take_series(&mut self, t: SimTime) -> [sim::StationStats; 5] {
        [
            self.gateway.stats_mut().take_series_before(t),
            self.dsp.stats_mut().take_series_before(t),
            self.cos_party.stats_mut().take_series_before(t),
            self.smets1.stats_mut().take_series_before(t),
            self.alerts.delivery_stats_mut().take_series_before(t),
        ]
    }

    /// The latest time a server of the shard finishes work (time zero if none).
    pub fn last_completion(&self) -> SimTime {
        let stations = [
            self.gateway.last_completion(),
            self.dsp.last_completion(),
            self.cos_party.last_completion(),
            self.smets1.last_completion(),
            self.alerts.last_completion(),
        ];
        stations.into_iter().max().unwrap_or(SimTime::ZERO)
    }

    /// Ends the run at `end`.
    pub fn finish(&mut self, end: SimTime) -> ShardResult {
        let (records, dsp) = self.dsp.finish(end);
        let (user_gateway, connections, downtime, throttle) = self.gateway.finish(end);
        let (alert_delivery, alert_records, device_alerts) = self.alerts.finish(end);
        ShardResult {
            connections,
            downtime,
            throttle,
            anomaly: self.anomaly.finish(),
            submitted: self.traffic.submitted(),
            records,
            user_gateway,
            dsp,
            cos_party: self.cos_party.finish(end),
            smets1_service: self.smets1.finish(end),
            alert_delivery,
            alert_records,
            device_alerts,
        }
    }

    /// The streams the shard draws from.
    pub fn streams(&self) -> crate::streams::Streams {
        self.world.streams
    }
}

/// What a shard hands back at the end of a run.
pub struct ShardResult {
    /// How Users' connection limits held requests back.
    pub connections: ConnectionStats,
    /// What the closed User Gateway turned away.
    pub downtime: DowntimeStats,
    /// What throttling to Users' allocations did.
    pub throttle: ThrottleStats,
    /// Threshold Anomaly Detection's counters.
    pub anomaly: Vec<CounterStats>,
    /// Requests submitted.
    pub submitted: u64,
    /// One record per submitted request.
    pub records: Vec<ServiceRequestRecord>,
    /// The shard's User Gateway figures.
    pub user_gateway: StationStats,
    /// The shard's DSP figures.
    pub dsp: StationStats,
    /// The shard's CoS Party figures.
    pub cos_party: StationStats,
    /// The shard's SMETS1 service providers' figures.
    pub smets1_service: StationStats,
    /// The shard's alert delivery figures.
    pub alert_delivery: StationStats,
    /// Alert copies that ended here.
    pub alert_records: Vec<AlertRecord>,
    /// Routine device alerts delivered here.
    pub device_alerts: DeviceAlertStats,
}
