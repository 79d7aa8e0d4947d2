//! What crosses between processes when a run is split over ranks
//! ([`sim::Wire`]): the WAN Gateway messages between partitions, and the rows and
//! figures each partition hands to the process that writes the outputs.

use sim::{Wire, wire_enum, wire_struct};

use super::event::Event;
use super::shard::ShardResult;
use crate::alert::router::AlertEvent;
use crate::alert::{AlertJob, AlertOutcome, AlertRecord, DeviceAlertJob, DeviceAlertStats, Recipient};
use crate::anomaly_detection::CounterStats;
use crate::catalogue::Catalogue;
use crate::csp::CellFigures;
use crate::csp::wan_cell::{CellEvent, CellsResult, HeldStats};
use crate::dsp::DspEvent;
use crate::region::CspRegion;
use crate::scenario::alerts::AlertCode;
use crate::service_request::{Mode, Outcome, Refusal, ServiceRequestJob, ServiceRequestRecord, UserRole};
use crate::user_gateway::{ConnectionStats, DowntimeStats, ThrottleStats};

/// Only the four WAN Gateway messages go between partitions; each crosses as a
/// tag and its job.
impl Wire for Event {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Event::Cell(CellEvent::Command(job)) => (0u8, *job).encode(out),
            Event::Dsp(DspEvent::ResponseAtDsp(job)) => (1u8, *job).encode(out),
            Event::Alert(AlertEvent::AtDsp(alert)) => (2u8, *alert).encode(out),
            Event::Alert(AlertEvent::DeviceAlertAtDsp(job)) => (3u8, *job).encode(out),
            other => panic!("{other:?} never leaves its partition"),
        }
    }

    fn decode(input: &mut &[u8]) -> Self {
        match u8::decode(input) {
            0 => Event::Cell(CellEvent::Command(Wire::decode(input))),
            1 => Event::Dsp(DspEvent::ResponseAtDsp(Wire::decode(input))),
            2 => Event::Alert(AlertEvent::AtDsp(Wire::decode(input))),
            3 => Event::Alert(AlertEvent::DeviceAlertAtDsp(Wire::decode(input))),
            tag => panic!("{tag} is not a message between partitions"),
        }
    }
}

wire_struct!(ServiceRequestJob {
    sr_id,
    submitted,
    received,
    refusals,
    premises,
    stream,
    user,
    signed,
    quarantined,
    device_rejected,
    user_signing_us,
    wan_retries,
    payloads_sent,
    execution
});
wire_struct!(AlertJob { alert_id, premises, retries, code, throttled_count, csp_received });
wire_struct!(DeviceAlertJob { id, cell, retries, raised });
wire_struct!(AlertRecord { alert_id, recipient, outcome, csp_received, delivered, throttled_count, aggregated });
wire_struct!(DeviceAlertStats { raised, delivered, failed, latency, by_day });
wire_struct!(ConnectionStats { waited, wait_total_us, wait_max_us });
wire_struct!(DowntimeStats { refused_attempts, held, refused });
wire_struct!(ThrottleStats { held, hold_total_us, hold_max_us, rejected });
wire_struct!(CellFigures { cell, channels, tally, busy_channel_s });
wire_struct!(HeldStats { held, commands_given_up });
wire_struct!(CellsResult { held, merged, cells, alert_records, device_alerts });
wire_struct!(CounterStats {
    threshold,
    user,
    counted,
    counted_attack,
    attack_passed_before_detection,
    quarantined,
    quarantined_attack,
    released,
    deleted,
    checks,
    first_quarantine,
    released_wait_total_us,
    released_wait_max_us
});
wire_struct!(ShardResult {
    connections,
    downtime,
    throttle,
    anomaly,
    submitted,
    records,
    user_gateway,
    dsp,
    cos_party,
    smets1_service,
    alert_delivery,
    alert_records,
    device_alerts
});

/// A record's SRV crosses as its place in the built-in catalogue; every other
/// field as itself, in order.
impl Wire for ServiceRequestRecord {
    fn encode(&self, out: &mut Vec<u8>) {
        let srv = Catalogue::builtin().entries().iter().position(|e| e.srv == self.srv);
        srv.expect("a catalogued SRV").encode(out);
        self.sr_id.encode(out);
        self.user_role.encode(out);
        self.user.encode(out);
        self.stream.encode(out);
        self.quarantined.encode(out);
        self.smets1.encode(out);
        self.mode.encode(out);
        self.critical.encode(out);
        self.premises.encode(out);
        self.region.encode(out);
        self.submitted.encode(out);
        self.received.encode(out);
        self.refusals.encode(out);
        self.refused_by.encode(out);
        self.responded.encode(out);
        self.target.encode(out);
        self.user_signing.encode(out);
        self.execution.encode(out);
        self.outcome.encode(out);
    }

    fn decode(input: &mut &[u8]) -> Self {
        let d = &mut *input;
        ServiceRequestRecord {
            srv: Catalogue::builtin().entries()[usize::decode(d)].srv.as_str(),
            sr_id: Wire::decode(d),
            user_role: Wire::decode(d),
            user: Wire::decode(d),
            stream: Wire::decode(d),
            quarantined: Wire::decode(d),
            smets1: Wire::decode(d),
            mode: Wire::decode(d),
            critical: Wire::decode(d),
            premises: Wire::decode(d),
            region: Wire::decode(d),
            submitted: Wire::decode(d),
            received: Wire::decode(d),
            refusals: Wire::decode(d),
            refused_by: Wire::decode(d),
            responded: Wire::decode(d),
            target: Wire::decode(d),
            user_signing: Wire::decode(d),
            execution: Wire::decode(d),
            outcome: Wire::decode(d),
        }
    }
}

wire_enum!(AlertCode { AlertCode::PowerOutage = 0, AlertCode::SupplyRestored = 1 });
wire_enum!(Recipient { Recipient::ElectricityDistributor = 0, Recipient::Supplier = 1 });
wire_enum!(AlertOutcome {
    AlertOutcome::Delivered = 0,
    AlertOutcome::Discarded = 1,
    AlertOutcome::Consolidated = 2,
    AlertOutcome::NotForwarded = 3,
    AlertOutcome::NoWan = 4,
    AlertOutcome::NoEnergy = 5,
    AlertOutcome::EnergyExhausted = 6,
    AlertOutcome::Failed = 7,
    AlertOutcome::Unfinished = 8,
});
wire_enum!(UserRole {
    UserRole::ImportSupplier = 0,
    UserRole::ExportSupplier = 1,
    UserRole::GasSupplier = 2,
    UserRole::ElectricityDistributor = 3,
    UserRole::GasTransporter = 4,
    UserRole::RegisteredSupplierAgent = 5,
    UserRole::OtherUser = 6,
});
wire_enum!(Mode { Mode::OnDemand = 0, Mode::FutureDated = 1, Mode::Scheduled = 2 });
wire_enum!(Outcome { Outcome::Responded = 0, Outcome::Unfinished = 1, Outcome::Rejected = 2, Outcome::Failed = 3, Outcome::Refused = 4, Outcome::DeviceRejected = 5, Outcome::NotYetDue = 6 });
wire_enum!(Refusal { Refusal::GatewayDown = 0, Refusal::UserSuspended = 1, Refusal::Quarantined = 2, Refusal::Throttled = 3 });
wire_enum!(CspRegion { CspRegion::North = 0, CspRegion::Central = 1, CspRegion::South = 2 });
