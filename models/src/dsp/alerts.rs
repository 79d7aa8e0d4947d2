//! The DSP shard's alert desk: the aggregating CSP's event windows (hosted here, as
//! the point where a region's AD1s meet), DSP processing shared with Service
//! Requests, Alert Storm Protection, and delivery — copies to the Electricity
//! Distributor before copies to suppliers.

use std::collections::BTreeMap;

use sim::{Ctx, SimTime, Station, StationStats};

use super::DspShard;
use crate::alert::event_window::{Admission, EventWindows, window_of};
use crate::alert::storm_protection::{RepeatFilter, Verdict};
use crate::alert::{AlertCode, AlertJob, AlertOutcome, AlertRecord, CspAlertPolicy, Recipient};
use crate::network::event::DeviceAlertJob;
use crate::network::event::{ARRIVAL, AlertDelivery, COMPLETION, DspWork, NetworkEvent};
use crate::network::layout::{alert_entity, cell_entity, device_alert_entity, outage_event_entity, premises_entity};
use crate::network::streams;
use crate::scenario::Scenario;

type Ev = NetworkEvent;

/// One CSP power outage event: a DNO area's AD1s held in one window.
#[derive(Debug)]
struct OutageEvent {
    region: u8,
    window: u64,
    area: u8,
    alerts: Vec<AlertJob>,
}

/// A shard's alert state.
pub(super) struct AlertDesk {
    windows: EventWindows,
    filters: BTreeMap<(u32, AlertCode), RepeatFilter>,
    events: Vec<OutageEvent>,
    delivery: Station<AlertDelivery>,
    pub(super) delivery_stats: StationStats,
    pub(super) records: Vec<AlertRecord>,
    /// Routine device alerts delivered here.
    pub(super) device: crate::alert::DeviceAlertStats,
}

impl AlertDesk {
    pub(super) fn new(s: &Scenario) -> AlertDesk {
        let mut delivery_stats = StationStats::new(s.series_bucket);
        AlertDesk {
            windows: EventWindows::default(),
            filters: BTreeMap::new(),
            events: Vec::new(),
            delivery: Station::with_classes(s.alerts.delivery.servers, 2, &mut delivery_stats),
            delivery_stats,
            records: Vec::new(),
            device: crate::alert::DeviceAlertStats::default(),
        }
    }
}

const RECIPIENTS: [Recipient; 2] = [Recipient::ElectricityDistributor, Recipient::Supplier];

impl DspShard {
    /// An alert reached the DSP: the aggregating CSP may hold it; else to the servers.
    pub(super) fn alert_at_dsp(&mut self, alert: AlertJob, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        if alert.code == AlertCode::PowerOutage && s.alerts.csp_policy == CspAlertPolicy::Aggregate {
            let region = self.network.population.region_of(alert.premises).index() as u8;
            match self.alerts.windows.admit(&s.alerts, region, alert) {
                Admission::Forward => {}
                Admission::Held { first } => {
                    if first {
                        let window = window_of(&s.alerts, alert.csp_received);
                        let close = SimTime((window + 1) * s.alerts.event_window.0) + s.wan_gateway_latency;
                        ctx.schedule(
                            close,
                            ARRIVAL,
                            super::shard_entity_of_event(),
                            Ev::EventWindowClosed(region, window),
                        );
                    }
                    return;
                }
            }
        }
        let entity = alert_entity(alert.alert_id);
        let service = s.alerts.dsp_processing.sample(&mut streams::stream(s, entity, streams::DSP_ALERT, 0));
        self.dsp_work(DspWork::Alert(alert), service, ctx);
    }

    /// A region's window closed: its held AD1s go on as one event per DNO area.
    pub(super) fn event_window_closed(&mut self, region: u8, window: u64, ctx: &mut Ctx<'_, Ev>) {
        let mut held = self.alerts.windows.close(region, window);
        let network = self.network.clone();
        let population = &network.population;
        held.sort_by_key(|a| (population.area_of(a.premises), a.alert_id));
        let mut start = 0;
        while start < held.len() {
            let area = population.area_of(held[start].premises);
            let end = start + held[start..].iter().take_while(|a| population.area_of(a.premises) == area).count();
            let alerts = held[start..end].to_vec();
            // Suppliers do not receive the event: their copies end here.
            for a in &alerts {
                if self.network.alert_plan.alerts[a.alert_id as usize].copies == 2 {
                    self.alerts.records.push(record(a, Recipient::Supplier, AlertOutcome::NotForwarded, None));
                }
            }
            let id = self.alerts.events.len() as u32;
            self.alerts.events.push(OutageEvent { region, window, area: area as u8, alerts });
            let s = &self.network.scenario;
            let entity = outage_event_entity(region.into(), window, area);
            let service = s.alerts.dsp_processing.sample(&mut streams::stream(s, entity, streams::DSP_ALERT, 0));
            self.dsp_work(DspWork::OutageEvent(id), service, ctx);
            start = end;
        }
    }

    /// The DSP processed an alert: storm protection, then a copy per recipient.
    pub(super) fn alert_processed(&mut self, mut alert: AlertJob, ctx: &mut Ctx<'_, Ev>) {
        let network = self.network.clone();
        let s = &network.scenario;
        if let Some(spec) = &s.alerts.storm_protection
            && !s.alerts.unthrottled.contains(&alert.code)
        {
            let now = ctx.now();
            let filter =
                self.alerts.filters.entry((alert.premises, alert.code)).or_insert_with(|| RepeatFilter::new(now));
            match filter.offer(spec, now) {
                Verdict::Pass(n) => alert.throttled_count += n,
                Verdict::Discard => {
                    let copies = self.network.alert_plan.alerts[alert.alert_id as usize].copies;
                    for &r in &RECIPIENTS[..usize::from(copies)] {
                        self.alerts.records.push(record(&alert, r, AlertOutcome::Discarded, None));
                    }
                    return;
                }
            }
        }
        let copies = self.network.alert_plan.alerts[alert.alert_id as usize].copies;
        for (class, &recipient) in RECIPIENTS[..usize::from(copies)].iter().enumerate() {
            let delivery = AlertDelivery::Alert(alert, recipient);
            let key = streams::stream(s, alert_entity(alert.alert_id), streams::ALERT_DELIVERY, class as u64);
            self.deliver(class, delivery, key, ctx);
        }
    }

    /// A routine device alert reached the DSP: to the servers.
    pub(super) fn device_alert_at_dsp(&mut self, job: DeviceAlertJob, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let entity = device_alert_entity(job.id);
        let service = s.alerts.dsp_processing.sample(&mut streams::stream(s, entity, streams::DSP_ALERT, 0));
        self.dsp_work(DspWork::DeviceAlert(job), service, ctx);
    }

    /// The DSP processed a routine device alert: to the supplier, after DNO copies.
    pub(super) fn device_alert_processed(&mut self, job: DeviceAlertJob, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let rng = streams::stream(s, device_alert_entity(job.id), streams::ALERT_DELIVERY, 0);
        self.deliver(1, AlertDelivery::Device(job), rng, ctx);
    }

    /// The DSP processed a CSP power outage event: one message to the DNO.
    pub(super) fn outage_event_processed(&mut self, event: u32, ctx: &mut Ctx<'_, Ev>) {
        let s = &self.network.scenario;
        let e = &self.alerts.events[event as usize];
        let entity = outage_event_entity(e.region.into(), e.window, e.area.into());
        let delivery = AlertDelivery::OutageEvent(event);
        self.deliver(0, delivery, streams::stream(s, entity, streams::ALERT_DELIVERY, 0), ctx);
    }

    fn deliver(&mut self, class: usize, d: AlertDelivery, mut rng: sim::SplitMix64, ctx: &mut Ctx<'_, Ev>) {
        let service = self.network.scenario.alerts.delivery.service.sample(&mut rng);
        let desk = &mut self.alerts;
        if let Some(started) = desk.delivery.arrive_in(class, ctx.now(), service, d, &mut desk.delivery_stats) {
            schedule_delivered(started, ctx);
        }
    }

    /// A copy reached its recipient (or an event its DNO).
    pub(super) fn alert_delivered(&mut self, d: AlertDelivery, ctx: &mut Ctx<'_, Ev>) {
        let now = ctx.now();
        let desk = &mut self.alerts;
        if let Some(started) = desk.delivery.complete(now, &mut desk.delivery_stats) {
            schedule_delivered(started, ctx);
        }
        match d {
            AlertDelivery::Alert(alert, recipient) => {
                desk.records.push(record(&alert, recipient, AlertOutcome::Delivered, Some(now)));
            }
            AlertDelivery::Device(job) => {
                let latency = now - job.raised;
                desk.device.delivered += 1;
                desk.device.latency.record(latency);
                desk.device.count(job.raised, latency <= self.network.scenario.alerts.delivery_target);
            }
            AlertDelivery::OutageEvent(event) => {
                for a in std::mem::take(&mut desk.events[event as usize].alerts) {
                    let mut r = record(&a, Recipient::ElectricityDistributor, AlertOutcome::Delivered, Some(now));
                    r.aggregated = true;
                    desk.records.push(r);
                }
            }
        }
    }
}

fn schedule_delivered((d, done): (AlertDelivery, SimTime), ctx: &mut Ctx<'_, Ev>) {
    let entity = match d {
        AlertDelivery::Alert(a, _) => premises_entity(a.premises),
        AlertDelivery::Device(job) => cell_entity(job.cell),
        AlertDelivery::OutageEvent(_) => super::shard_entity_of_event(),
    };
    ctx.schedule(done, COMPLETION, entity, Ev::AlertDelivered(d));
}

fn record(a: &AlertJob, recipient: Recipient, outcome: AlertOutcome, delivered: Option<SimTime>) -> AlertRecord {
    AlertRecord {
        alert_id: a.alert_id,
        recipient,
        outcome,
        csp_received: Some(a.csp_received),
        delivered,
        throttled_count: a.throttled_count,
        aggregated: false,
    }
}
