//! DCC's routing of alerts from the WAN to their recipients: the aggregating CSP's
//! Power Outage Event Windows (hosted at the DSP shard where a region's AD1s meet),
//! Alert Storm Protection (SECMP0062) after DSP processing, and delivery — copies to
//! the Electricity Distributor before copies to suppliers.
//!
//! The router shares its shard's DSP servers: what it wants processed goes to
//! [`AlertRouter::drain_for_dsp`], and the DSP hands each piece back through
//! [`AlertRouter::processed`] when its servers are done with it.

use std::collections::BTreeMap;
use std::sync::Arc;

use sim::{Arrival, Delay, EntityId, PriorityStation, SimDuration, SimTime, StationStats};

use super::event_window::{Admission, EventWindows, window_of};
use super::storm_protection::{RepeatFilter, Verdict};
use super::{AlertCode, AlertJob, AlertOutcome, AlertPlan, AlertRecord, AlertSpec, CspAlertPolicy, DeviceAlertJob};
use super::{DeviceAlertStats, Recipient};
use crate::context::{ARRIVAL, COMPLETION, Context};
use crate::layout::{alert_entity, cell_entity, device_alert_entity, outage_event_entity, premises_entity};
use crate::population::Population;
use crate::streams::Purpose;

/// The settings the router works to.
#[derive(Debug, Clone)]
pub struct AlertRouterParams {
    /// Alert handling: windows, storm protection, delivery.
    pub spec: AlertSpec,
    /// DSP ↔ CSP one-way latency: a closed window's event crosses it.
    pub wan_gateway_latency: SimDuration,
    /// Time-series bucket width of the delivery figures.
    pub series_bucket: SimDuration,
    /// The latest time the run can reach.
    pub end: SimTime,
    /// The entity that orders the delivery servers' wake-ups (its shard's).
    pub entity: EntityId,
}

/// An alert (or CSP power outage event) for the DSP's servers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AlertWork {
    /// A hub's alert.
    Alert(AlertJob),
    /// A CSP power outage event (index into the router's events).
    OutageEvent(u32),
    /// A routine device alert.
    DeviceAlert(DeviceAlertJob),
}

impl AlertWork {
    /// The entity whose events the work's completion is ordered by.
    pub fn entity(&self) -> EntityId {
        match self {
            AlertWork::Alert(a) => premises_entity(a.premises),
            AlertWork::OutageEvent(_) => outage_event_order_entity(),
            AlertWork::DeviceAlert(job) => cell_entity(job.cell),
        }
    }
}

/// What DCC delivers to a User.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AlertDelivery {
    /// A copy of a hub's outage or restoration alert.
    Alert(AlertJob, Recipient),
    /// A CSP power outage event (index into the router's events) for the DNO.
    OutageEvent(u32),
    /// A routine device alert for the supplier.
    Device(DeviceAlertJob),
}

/// The router's events.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AlertEvent {
    /// An alert reached the DSP from the WAN.
    AtDsp(AlertJob),
    /// A routine device alert reached the DSP from the WAN.
    DeviceAlertAtDsp(DeviceAlertJob),
    /// A CSP Power Outage Event Window of a region closed: its held alerts go on as
    /// events (region index, window number).
    WindowClosed(u8, u64),
    /// A delivery server frees while copies wait: the next ones start.
    DeliveryFree,
}

/// One CSP power outage event: a DNO area's AD1s held in one window.
#[derive(Debug)]
struct PowerOutageEvent {
    region: u8,
    window: u64,
    area: u8,
    alerts: Vec<AlertJob>,
}

const RECIPIENTS: [Recipient; 2] = [Recipient::ElectricityDistributor, Recipient::Supplier];

/// A DSP shard's alert routing.
pub struct AlertRouter {
    params: AlertRouterParams,
    plan: Arc<AlertPlan>,
    population: Arc<Population>,
    windows: EventWindows,
    filters: BTreeMap<(u32, AlertCode), RepeatFilter>,
    events: Vec<PowerOutageEvent>,
    delivery: PriorityStation<AlertDelivery>,
    delivery_stats: StationStats,
    for_dsp: Vec<(AlertWork, SimDuration)>,
    records: Vec<AlertRecord>,
    device: DeviceAlertStats,
}

impl AlertRouter {
    /// An idle router for the alerts of `plan` at `population`'s premises.
    pub fn new(params: AlertRouterParams, plan: Arc<AlertPlan>, population: Arc<Population>) -> AlertRouter {
        let mut delivery_stats = StationStats::new(params.series_bucket);
        AlertRouter {
            delivery: PriorityStation::new(params.spec.delivery.servers, 2, params.end, &mut delivery_stats),
            delivery_stats,
            params,
            plan,
            population,
            windows: EventWindows::default(),
            filters: BTreeMap::new(),
            events: Vec::new(),
            for_dsp: Vec::new(),
            records: Vec::new(),
            device: DeviceAlertStats::default(),
        }
    }

    /// Work for the DSP's servers, with its service time, in the order it arose.
    pub fn drain_for_dsp(&mut self) -> std::vec::Drain<'_, (AlertWork, SimDuration)> {
        self.for_dsp.drain(..)
    }

    fn processing(&self) -> &Delay {
        &self.params.spec.dsp_processing
    }

    /// Handles one event.
    pub fn handle<P: From<AlertEvent>>(&mut self, event: AlertEvent, cx: &mut Context<'_, '_, P>) {
        match event {
            AlertEvent::AtDsp(alert) => self.at_dsp(alert, cx),
            AlertEvent::DeviceAlertAtDsp(job) => {
                let service = self.processing().sample(&mut cx.rng(device_alert_entity(job.id), Purpose::DspAlert, 0));
                self.for_dsp.push((AlertWork::DeviceAlert(job), service));
            }
            AlertEvent::WindowClosed(region, window) => self.window_closed(region, window, cx),
            AlertEvent::DeliveryFree => {
                let now = cx.now();
                while let Some((d, served)) = self.delivery.wake(now, &mut self.delivery_stats) {
                    self.delivered(d, served.done);
                }
                if let Some(at) = self.delivery.next_wake() {
                    cx.schedule(at, COMPLETION, self.params.entity, AlertEvent::DeliveryFree);
                }
            }
        }
    }

    /// An alert reached the DSP: the aggregating CSP may hold it; else to the servers.
    fn at_dsp<P: From<AlertEvent>>(&mut self, alert: AlertJob, cx: &mut Context<'_, '_, P>) {
        let spec = &self.params.spec;
        if alert.code == AlertCode::PowerOutage && spec.csp.policy == CspAlertPolicy::Aggregate {
            let region = self.population.region_of(alert.premises).index() as u8;
            if let Admission::Held { first } = self.windows.admit(spec, region, alert) {
                if first {
                    let window = window_of(spec, alert.csp_received);
                    let close = SimTime((window + 1) * spec.csp.event_window.0) + self.params.wan_gateway_latency;
                    let event = AlertEvent::WindowClosed(region, window);
                    cx.schedule(close, ARRIVAL, outage_event_order_entity(), event);
                }
                return;
            }
        }
        let service = self.processing().sample(&mut cx.rng(alert_entity(alert.alert_id), Purpose::DspAlert, 0));
        self.for_dsp.push((AlertWork::Alert(alert), service));
    }

    /// A region's window closed: its held AD1s go on as one event per DNO area.
    fn window_closed<P>(&mut self, region: u8, window: u64, cx: &mut Context<'_, '_, P>) {
        let mut held = self.windows.close(region, window);
        let population = &self.population;
        held.sort_by_key(|a| (population.area_of(a.premises), a.alert_id));
        let mut start = 0;
        while start < held.len() {
            let area = population.area_of(held[start].premises);
            let end = start + held[start..].iter().take_while(|a| population.area_of(a.premises) == area).count();
            let alerts = held[start..end].to_vec();
            // Suppliers do not receive the event: their copies end here.
            for a in &alerts {
                if self.plan.alerts[a.alert_id as usize].copies == 2 {
                    self.records.push(record(a, Recipient::Supplier, AlertOutcome::NotForwarded, None));
                }
            }
            let id = self.events.len() as u32;
            self.events.push(PowerOutageEvent { region, window, area: area as u8, alerts });
            let entity = outage_event_entity(region.into(), window, area);
            let service = self.params.spec.dsp_processing.sample(&mut cx.rng(entity, Purpose::DspAlert, 0));
            self.for_dsp.push((AlertWork::OutageEvent(id), service));
            start = end;
        }
    }

    /// The DSP processed `work`: storm protection, then a copy per recipient.
    pub fn processed<P: From<AlertEvent>>(&mut self, work: AlertWork, cx: &mut Context<'_, '_, P>) {
        match work {
            AlertWork::Alert(alert) => self.alert_processed(alert, cx),
            AlertWork::OutageEvent(event) => {
                let e = &self.events[event as usize];
                let entity = outage_event_entity(e.region.into(), e.window, e.area.into());
                let rng = cx.rng(entity, Purpose::AlertDelivery, 0);
                self.deliver(0, AlertDelivery::OutageEvent(event), rng, cx);
            }
            AlertWork::DeviceAlert(job) => {
                // To the supplier: after the DNOs' copies.
                let rng = cx.rng(device_alert_entity(job.id), Purpose::AlertDelivery, 0);
                self.deliver(1, AlertDelivery::Device(job), rng, cx);
            }
        }
    }

    fn alert_processed<P: From<AlertEvent>>(&mut self, mut alert: AlertJob, cx: &mut Context<'_, '_, P>) {
        let copies = usize::from(self.plan.alerts[alert.alert_id as usize].copies);
        let spec = &self.params.spec;
        if let Some(protection) = &spec.storm_protection.filter_for(alert.code) {
            let now = cx.now();
            let filter = self.filters.entry((alert.premises, alert.code)).or_insert_with(|| RepeatFilter::new(now));
            match filter.offer(protection, now) {
                Verdict::Pass(n) => alert.throttled_count += n,
                Verdict::Discard => {
                    for &r in &RECIPIENTS[..copies] {
                        self.records.push(record(&alert, r, AlertOutcome::Discarded, None));
                    }
                    return;
                }
            }
        }
        for (class, &recipient) in RECIPIENTS[..copies].iter().enumerate() {
            let rng = cx.rng(alert_entity(alert.alert_id), Purpose::AlertDelivery, class as u64);
            self.deliver(class, AlertDelivery::Alert(alert, recipient), rng, cx);
        }
    }

    fn deliver<P: From<AlertEvent>>(
        &mut self,
        class: usize,
        d: AlertDelivery,
        mut rng: sim::SplitMix64,
        cx: &mut Context<'_, '_, P>,
    ) {
        let service = self.params.spec.delivery.service.sample(&mut rng);
        match self.delivery.arrive(class, cx.now(), service, d, &mut self.delivery_stats) {
            Arrival::Started(d, served) => self.delivered(d, served.done),
            Arrival::Waiting { wake_at: Some(at) } => {
                cx.schedule(at, COMPLETION, self.params.entity, AlertEvent::DeliveryFree);
            }
            Arrival::Waiting { wake_at: None } => {}
        }
    }

    /// A copy reaches its recipient (or an event its DNO) at `now`, unless the run
    /// ends first.
    fn delivered(&mut self, d: AlertDelivery, now: SimTime) {
        if now >= self.params.end {
            return;
        }
        match d {
            AlertDelivery::Alert(alert, recipient) => {
                self.records.push(record(&alert, recipient, AlertOutcome::Delivered, Some(now)));
            }
            AlertDelivery::Device(job) => {
                let latency = now - job.raised;
                self.device.delivered += 1;
                self.device.latency.record(latency);
                self.device.count(job.raised, latency <= self.params.spec.delivery_target);
            }
            AlertDelivery::OutageEvent(event) => {
                for a in std::mem::take(&mut self.events[event as usize].alerts) {
                    let mut r = record(&a, Recipient::ElectricityDistributor, AlertOutcome::Delivered, Some(now));
                    r.aggregated = true;
                    self.records.push(r);
                }
            }
        }
    }

    /// The delivery servers' figures so far.
    pub fn delivery_stats_mut(&mut self) -> &mut StationStats {
        &mut self.delivery_stats
    }

    /// The latest time a copy is delivered (time zero if none).
    pub fn last_completion(&self) -> SimTime {
        self.delivery_stats.last_completion
    }

    /// The alert copies that ended before `until` and were not yet taken.
    pub fn take_records(&mut self, until: SimTime) -> Vec<AlertRecord> {
        let (ready, later) =
            std::mem::take(&mut self.records).into_iter().partition(|r| r.delivered.is_none_or(|t| t < until));
        self.records = later;
        ready
    }

    /// Ends the run at `end`: the delivery figures, the copies that ended here and
    /// the routine device alerts delivered here.
    pub fn finish(&mut self, end: SimTime) -> (StationStats, Vec<AlertRecord>, DeviceAlertStats) {
        self.delivery.close(&mut self.delivery_stats);
        self.delivery_stats.close(end);
        (self.delivery_stats.clone(), std::mem::take(&mut self.records), std::mem::take(&mut self.device))
    }
}

/// CSP power outage events are handled by the shard that aggregates them; their
/// events order after every premises' at the same instant.
pub fn outage_event_order_entity() -> EntityId {
    EntityId(u64::from(u32::MAX))
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
