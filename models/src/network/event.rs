//! The partitions' event: one variant per component, and nothing else. A partition
//! hands each event to the component it names.

use crate::alert::router::AlertEvent;
use crate::anomaly_detection::AnomalyEvent;
use crate::comms_hub::HubEvent;
use crate::csp::CellEvent;
use crate::dsp::DspEvent;
use crate::outage::source::OutageEvent;
use crate::user_gateway::GatewayEvent;
use crate::user_traffic::TrafficEvent;
use crate::wan_gateway::{AlertToDsp, CommandToCsp, DeviceAlertToDsp, ResponseToDsp};

/// An event of the smart metering network, by the component that handles it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// DCC Users' submissions (DSP shard).
    Traffic(TrafficEvent),
    /// The User Gateway (DSP shard).
    Gateway(GatewayEvent),
    /// Threshold Anomaly Detection (DSP shard).
    Anomaly(AnomalyEvent),
    /// The DSP (DSP shard).
    Dsp(DspEvent),
    /// Alert routing (DSP shard).
    Alert(AlertEvent),
    /// The radio cells (CSP block).
    Cell(CellEvent),
    /// The Communications Hubs (CSP block).
    Hub(HubEvent),
    /// The outage source (CSP block).
    Outage(OutageEvent),
}

macro_rules! component_event {
    ($($variant:ident($event:ty)),*) => {
        $(impl From<$event> for Event {
            fn from(e: $event) -> Event {
                Event::$variant(e)
            }
        })*
    };
}

component_event!(
    Traffic(TrafficEvent),
    Gateway(GatewayEvent),
    Anomaly(AnomalyEvent),
    Dsp(DspEvent),
    Alert(AlertEvent),
    Cell(CellEvent),
    Hub(HubEvent),
    Outage(OutageEvent)
);

// What crosses the WAN Gateway Interface becomes the receiver's event.

impl From<CommandToCsp> for Event {
    fn from(CommandToCsp(job): CommandToCsp) -> Event {
        Event::Cell(CellEvent::Command(job))
    }
}

impl From<ResponseToDsp> for Event {
    fn from(ResponseToDsp(job): ResponseToDsp) -> Event {
        Event::Dsp(DspEvent::ResponseAtDsp(job))
    }
}

impl From<AlertToDsp> for Event {
    fn from(AlertToDsp(alert): AlertToDsp) -> Event {
        Event::Alert(AlertEvent::AtDsp(alert))
    }
}

impl From<DeviceAlertToDsp> for Event {
    fn from(DeviceAlertToDsp(job): DeviceAlertToDsp) -> Event {
        Event::Alert(AlertEvent::DeviceAlertAtDsp(job))
    }
}
