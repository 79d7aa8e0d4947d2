//! # models: Great Britain's smart metering network, for the `sim` engine
//!
//! One module per real-world part, named as the Smart Energy Code names it:
//!
//! | module | part |
//! |---|---|
//! | [`scenario`] | the study: a TOML file, validated, every default sourced |
//! | [`population`] | premises, their CSP regions and radio cells |
//! | [`catalogue`] | the Service Request catalogue: flags, roles, GBCS sizes, TRTs |
//! | [`service_request`] | Service Requests, DCC User roles, modes, outcomes |
//! | [`users`] | DCC Users: suppliers, Electricity Distributors, Gas Transporters |
//! | [`traffic`] | DCC Users' streams of Service Requests: volumes, profiles, targets |
//! | [`dsp`] | the User Gateway and the Data Service Provider |
//! | [`csp`] | a CSP region's WAN: cells with limited channels, latency |
//! | [`comms_hub`] | the Communications Hub Function, HAN and meter |
//! | [`outage`] | faults on the distribution network, storms, firmware power cuts |
//! | [`alert`] | Power Outage and restoration alerts, event windows, storm protection |
//! | [`performance`] | Target Response Times against their targets |
//! | [`network`] | all of it as partitions of one run |
//! | [`rollout`] | the rollout over years: installs, SEC F5 hub supply, enrolment, SMETS1 and 4G |
//! | [`memory`] | a run's peak memory, estimated before it starts |
//! | [`sweep`] | replications and parameter sweeps of a scenario |
//!
//! The path of an On Demand request (SRV 4.1.1):
//!
//! ```text
//! User ─► User Gateway ─► DSP (validate, transform) ─► WAN Gateway ─► CSP cell ─► CHF ─► HAN ─► ESME
//!  ▲                                                                                         │
//!  └── Service Response ◄── DSP (process response) ◄── WAN Gateway ◄── CSP cell ◄── CHF ◄────┘
//!      TRT clock stops                                                     TRT clock starts at the User Gateway
//! ```
//!
//! Facts and defaults cite `shared/DOMAIN.md` ("DOMAIN §n") or say "assumption".

pub mod alert;
pub mod calendar;
pub mod catalogue;
pub mod comms_hub;
pub mod csp;
pub mod dsp;
pub mod memory;
pub mod network;
pub mod outage;
pub mod performance;
pub mod population;
pub mod region;
pub mod rollout;
pub mod scenario;
pub mod service_request;
pub mod study;
pub mod sweep;
pub mod topology;
pub mod traffic;
pub mod users;

pub use network::{Progress, RunResult, run};
pub use performance::{TrtFigures, TrtSummary};
pub use region::CspRegion;
pub use scenario::{Scenario, ScenarioError};
