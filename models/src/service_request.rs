//! Service Requests: who sends them, how they travel and how they end.

use std::fmt;
use std::str::FromStr;

use sim::{SimDuration, SimTime};

use crate::region::CspRegion;

/// A DCC User role (DOMAIN §5, "DCC Users"), written in scenarios as its DUIS code.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize)]
#[serde(try_from = "String")]
pub enum UserRole {
    /// Import Supplier (IS).
    ImportSupplier,
    /// Export Supplier (ES).
    ExportSupplier,
    /// Gas Supplier (GS).
    GasSupplier,
    /// Electricity Distributor (ED).
    ElectricityDistributor,
    /// Gas Transporter (GT).
    GasTransporter,
    /// Registered Supplier Agent (RSA).
    RegisteredSupplierAgent,
    /// Other User (OU).
    OtherUser,
}

impl UserRole {
    /// The DUIS role code, e.g. "IS".
    pub fn code(self) -> &'static str {
        match self {
            UserRole::ImportSupplier => "IS",
            UserRole::ExportSupplier => "ES",
            UserRole::GasSupplier => "GS",
            UserRole::ElectricityDistributor => "ED",
            UserRole::GasTransporter => "GT",
            UserRole::RegisteredSupplierAgent => "RSA",
            UserRole::OtherUser => "OU",
        }
    }
}

impl fmt::Display for UserRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for UserRole {
    type Error = String;
    fn try_from(s: String) -> Result<UserRole, String> {
        s.parse()
    }
}

impl FromStr for UserRole {
    type Err = String;
    fn from_str(s: &str) -> Result<UserRole, String> {
        Ok(match s {
            "IS" => UserRole::ImportSupplier,
            "ES" => UserRole::ExportSupplier,
            "GS" => UserRole::GasSupplier,
            "ED" => UserRole::ElectricityDistributor,
            "GT" => UserRole::GasTransporter,
            "RSA" => UserRole::RegisteredSupplierAgent,
            "OU" => UserRole::OtherUser,
            _ => return Err(format!("unknown user role {s:?}; allowed: IS, ES, GS, ED, GT, RSA, OU")),
        })
    }
}

/// How a request is executed (DOMAIN §0, "Service classes").
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Executed as soon as possible.
    OnDemand,
    /// Held until an execution time.
    FutureDated,
    /// Released by a DCC schedule.
    Scheduled,
}

impl Mode {
    /// The value in output columns.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::OnDemand => "on_demand",
            Mode::FutureDated => "future_dated",
            Mode::Scheduled => "scheduled",
        }
    }
}

/// How a request ended. Every submitted request ends in exactly one.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The DSP sent the Service Response to the User.
    Responded,
    /// Still in flight when the run's drain limit was reached.
    Unfinished,
    /// Future Dated, its execution date-time after the run's end: the DSP still
    /// held it, and its TRT clock had not started, so it is not judged.
    NotYetDue,
    /// Refused by the DSP's validation (e.g. a role not eligible for the SRV); an
    /// error response was sent.
    Rejected,
    /// The device refused the command: signed by a supplier it does not trust, the
    /// losing one after its Change of Supplier update, or the gaining one before it
    /// (`[change_of_supplier]`). The device's error response was sent on.
    DeviceRejected,
    /// The WAN lost a message more often than the CSP retries; a failure response
    /// was sent.
    Failed,
    /// The User Gateway was down and DCC never received it: rejected there, or
    /// given up by its User after the last attempt (`[[user_gateway.downtime]]`).
    Refused,
}

impl Outcome {
    /// The value in output columns.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Responded => "responded",
            Outcome::Unfinished => "unfinished",
            Outcome::NotYetDue => "not_yet_due",
            Outcome::Rejected => "rejected",
            Outcome::DeviceRejected => "device_rejected",
            Outcome::Failed => "failed",
            Outcome::Refused => "refused",
        }
    }
}

/// Why the User Interface refused a request for good (outcome `refused`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The User Gateway was down (`[[user_gateway.downtime]]`).
    GatewayDown,
    /// DCC had suspended its User (`[[user_suspensions]]`).
    UserSuspended,
    /// Threshold Anomaly Detection quarantined it and its User did not confirm it:
    /// DCC deleted it (`[[anomaly_thresholds]]`). DCC had received it.
    Quarantined,
    /// Its User was over its allocation and it would have waited too long
    /// (`[users] allocation_per_s`). DCC had received it.
    Throttled,
}

impl Refusal {
    /// The value in output columns.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::GatewayDown => "gateway_down",
            Refusal::UserSuspended => "user_suspended",
            Refusal::Quarantined => "quarantined",
            Refusal::Throttled => "throttled",
        }
    }
}

/// A request in flight: what travels with it between partitions.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ServiceRequestJob {
    /// Unique id in the run.
    pub sr_id: u64,
    /// Its User first sent it (or, held through a planned window, would have).
    pub submitted: SimTime,
    /// Receipt at the DCC User Interface, where the TRT clock starts: `submitted`
    /// unless the User Gateway was down then. Set when the gateway takes it.
    pub received: SimTime,
    /// Times the closed User Gateway turned it away.
    pub refusals: u8,
    /// The premises whose devices it targets.
    pub premises: u32,
    /// The traffic stream it belongs to (index into the scenario's streams).
    pub stream: u16,
    /// The DCC User sending it (index into the run's user directory).
    pub user: u16,
    /// For a Critical request: whether the User has signed its Pre-Command.
    pub signed: bool,
    /// Whether Threshold Anomaly Detection quarantined it.
    pub quarantined: bool,
    /// Whether the device refused it: signed by a supplier it does not trust.
    pub device_rejected: bool,
    /// Time the User took to sign the Pre-Command, in µs (0 if not critical).
    pub user_signing_us: u64,
    /// WAN retransmissions so far; [`ServiceRequestJob::FAILED`] once the CSP gave up.
    pub wan_retries: u8,
    /// Category 1 firmware payloads of the command already on the air (0 for any
    /// other request).
    pub payloads_sent: u16,
    /// Future Dated: the execution date-time, when the DSP releases it and the TRT
    /// clock starts; otherwise the submission time.
    pub execution: SimTime,
}

impl ServiceRequestJob {
    /// `wan_retries` of a request whose WAN delivery failed.
    pub const FAILED: u8 = u8::MAX;

    /// Whether the CSP gave up on it.
    pub fn failed(&self) -> bool {
        self.wan_retries == Self::FAILED
    }
}

/// One finished (or unfinished) Service Request: one output row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRequestRecord {
    /// Unique id in the run.
    pub sr_id: u64,
    /// Service Reference Variant, e.g. "4.1.1".
    pub srv: &'static str,
    /// Who sent it: the role.
    pub user_role: UserRole,
    /// Who sent it: the User (index into the run's user directory).
    pub user: u16,
    /// The traffic stream it belongs to (index into the scenario's streams).
    pub stream: u16,
    /// Whether Threshold Anomaly Detection quarantined it.
    pub quarantined: bool,
    /// Whether its premises has a migrated SMETS1 installation.
    pub smets1: bool,
    /// How it was executed.
    pub mode: Mode,
    /// Whether it is a Critical Service Request.
    pub critical: bool,
    /// Target premises.
    pub premises: u32,
    /// The premises' CSP region.
    pub region: CspRegion,
    /// Its User first sent it.
    pub submitted: SimTime,
    /// Receipt at the User Interface, where the TRT clock starts; `None` if DCC
    /// never received it (`refused`).
    pub received: Option<SimTime>,
    /// Times the closed User Gateway turned it away.
    pub refusals: u8,
    /// Why it was refused for good, if it was.
    pub refused_by: Option<Refusal>,
    /// Service Response sent, if it was.
    pub responded: Option<SimTime>,
    /// The Target Response Time that applies.
    pub target: SimDuration,
    /// Time the User spent signing the Pre-Command (Critical requests), which the
    /// TRT leaves out (DOMAIN §1.2).
    pub user_signing: SimDuration,
    /// Future Dated: the execution date-time the TRT is measured from.
    pub execution: Option<SimTime>,
    /// How it ended.
    pub outcome: Outcome,
}

impl ServiceRequestRecord {
    /// The Target Response Time measured for an answered request: from receipt at
    /// the User Interface (not the User's first attempt) to the Service Response, less the User's signing time; for
    /// a Future Dated request, from its execution date-time (DOMAIN §1.2).
    pub fn trt(&self) -> Option<SimDuration> {
        match (self.outcome, self.responded, self.execution) {
            (Outcome::Responded, Some(at), Some(execution)) => Some(at.since(execution)),
            (Outcome::Responded, Some(at), None) => {
                let received = self.received.unwrap_or(self.submitted);
                Some(SimDuration((at - received).0 - self.user_signing.0))
            }
            _ => None,
        }
    }

    /// Whether it was answered within its target.
    pub fn within_target(&self) -> bool {
        self.trt().is_some_and(|t| t <= self.target)
    }
}
