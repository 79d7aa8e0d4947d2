//! What happens in the network: the events partitions exchange.

use sim::EventClass;

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

/// An event of the smart metering network.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NetworkEvent {
    /// A DCC User submits the next Service Request of a traffic stream.
    Submission(u16),
    /// The User Gateway finished accepting a request.
    GatewayDone(ServiceRequestJob),
    /// The DSP finished validating and transforming a request (or verifying a
    /// signed Pre-Command).
    RequestProcessed(ServiceRequestJob),
    /// The User signed a Critical request's Pre-Command and resubmits it.
    PreCommandSigned(ServiceRequestJob),
    /// The CoS Party signed a Change of Supplier credential update.
    CosSigned(ServiceRequestJob),
    /// A Future Dated request's execution date-time: the DSP releases it.
    ExecutionDue(ServiceRequestJob),
    /// A command from the DSP reached the premises' radio cell.
    CommandAtCell(ServiceRequestJob),
    /// A cell channel finished sending a message.
    AirtimeDone(ServiceRequestJob, Direction),
    /// A lost message's retry timer expired: send it again (or report the failure).
    RetryTimer(ServiceRequestJob, Direction),
    /// The device's response is back at the Communications Hub.
    ResponseAtHub(ServiceRequestJob),
    /// The response reached the DSP from the WAN.
    ResponseAtDsp(ServiceRequestJob),
    /// The DSP finished processing the response: the Service Response is sent.
    ResponseProcessed(ServiceRequestJob),
}
