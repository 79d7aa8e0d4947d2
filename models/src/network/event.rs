//! What happens in the network: the events partitions exchange.

use sim::EventClass;

use sim::SimTime;

use crate::alert::{AlertJob, Recipient};
use crate::service_request::ServiceRequestJob;

/// Completions run before arrivals at the same instant, so a server freed at `t`
/// serves a job arriving at `t` (the usual queueing convention).
pub const COMPLETION: EventClass = 0;
/// Arrivals and everything else.
pub const ARRIVAL: EventClass = 1;

/// A WAN leg's direction.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Direction {
    /// DSP → CSP → Communications Hub.
    Downlink,
    /// Communications Hub → CSP → DSP.
    Uplink,
}

/// A message on a radio cell's channels.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CellMessage {
    /// A Service Request's command (downlink) or response (uplink).
    Request(ServiceRequestJob, Direction),
    /// A hub's alert (uplink).
    Alert(AlertJob),
    /// A routine device alert (uplink).
    DeviceAlert(DeviceAlertJob),
}

/// A routine device alert on its way to the premises' supplier: the background
/// alert traffic of DOMAIN §5 (1.6 bn device alerts a month in July 2021). Only
/// counted, never recorded one by one.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DeviceAlertJob {
    /// Unique id in the run (its random streams' entity).
    pub id: u64,
    /// The cell of the hub that raised it.
    pub cell: u32,
    /// WAN retransmissions so far.
    pub retries: u8,
    /// When the hub raised it.
    pub raised: SimTime,
}

/// Work for the DSP's servers.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum DspWork {
    /// Validate and transform a request (or verify a signed Pre-Command).
    Request(ServiceRequestJob),
    /// Process a device's response into a Service Response.
    Response(ServiceRequestJob),
    /// Process a device alert.
    Alert(AlertJob),
    /// Process a CSP power outage event (index into the shard's events).
    OutageEvent(u32),
    /// Process a routine device alert.
    DeviceAlert(DeviceAlertJob),
}

/// What DCC delivers to a User.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AlertDelivery {
    /// A copy of a hub's outage or restoration alert.
    Alert(AlertJob, Recipient),
    /// A CSP power outage event (index into the shard's events) for the DNO.
    OutageEvent(u32),
    /// A routine device alert for the supplier.
    Device(DeviceAlertJob),
}

/// An event of the smart metering network.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NetworkEvent {
    /// A DCC User submits the next Service Request of a traffic stream.
    Submission(u16),
    /// The User Gateway finished accepting a request.
    GatewayDone(ServiceRequestJob),
    /// A DSP server finished a piece of work.
    DspDone(DspWork),
    /// The User signed a Critical request's Pre-Command and resubmits it.
    PreCommandSigned(ServiceRequestJob),
    /// The CoS Party signed a Change of Supplier credential update.
    CosSigned(ServiceRequestJob),
    /// A Future Dated request's execution date-time: the DSP releases it.
    ExecutionDue(ServiceRequestJob),
    /// A command from the DSP reached the premises' radio cell.
    CommandAtCell(ServiceRequestJob),
    /// A cell channel finished sending a message.
    AirtimeDone(CellMessage),
    /// A lost message's retry timer expired: send it again (or report the failure).
    RetryTimer(ServiceRequestJob, Direction),
    /// The device's response is back at the Communications Hub.
    ResponseAtHub(ServiceRequestJob),
    /// The response reached the DSP from the WAN.
    ResponseAtDsp(ServiceRequestJob),
    /// The hub raises the next planned alert of a CSP block (its position in the
    /// block's list).
    AlertRaised(u32),
    /// A lost alert's retry timer expired: send it again (or give up).
    AlertRetry(AlertJob),
    /// An alert reached the DSP from the WAN.
    AlertAtDsp(AlertJob),
    /// A CSP Power Outage Event Window of a region closed: its held alerts go on as
    /// events (region index, window number).
    EventWindowClosed(u8, u64),
    /// An alert (or event) reached its recipient.
    AlertDelivered(AlertDelivery),
    /// A CSP block's hubs raise their next routine device alert.
    DeviceAlertRaised,
    /// A lost device alert's retry timer expired.
    DeviceAlertRetry(DeviceAlertJob),
    /// A device alert reached the DSP from the WAN.
    DeviceAlertAtDsp(DeviceAlertJob),
}
