//! # models: Great Britain's smart metering network, for the `sim` engine
//!
//! One module per real-world part, named as the Smart Energy Code names it:
//!
//! | module | part |
//! |---|---|
//! | [`study`] | a study as the command line gets it: network, rollout or sweep, loaded once |
//! | [`scenario`] | the configuration: a TOML file and `--set` values, validated against the key registry; traffic streams, alerts, outages, sweeps and rollout studies as stated |
//! | [`population`] | premises, their CSP regions and radio cells |
//! | [`catalogue`] | the Service Request catalogue: flags, roles, GBCS sizes, TRTs |
//! | [`service_request`] | Service Requests, DCC User roles, modes, outcomes |
//! | [`users`] | DCC Users: suppliers, Electricity Distributors, Gas Transporters |
//! | [`outage`] | faults on the distribution network, storms, firmware power cuts |
//! | [`alert`] | Power Outage and restoration alerts, event windows, storm protection |
//! | [`streams`] | every random stream's purpose, in one enum |
//! | [`layout`] | partitions and entity numbers |
//! | [`world`] | all of the above, built once and shared read-only by a run |
//! | [`context`] | what a component may do while it handles an event |
//! | [`user_traffic`] | Users submitting their streams into a DSP shard |
//! | [`user_gateway`] | the User Gateway and Users' connection limits |
//! | [`dsp`] | the Data Service Provider: processing and the TRT clock |
//! | [`cos_party`] | the CoS Party, signing Change of Supplier updates |
//! | [`change_of_supplier`] | the credentials a premises' devices hold while its supplier changes |
//! | [`wan_gateway`] | what crosses between DSP and CSP, and when it arrives |
//! | [`csp`] | a CSP region's radio cells, and loss and retry on the air |
//! | [`comms_hub`] | the Communications Hub Function, HAN and meter |
//! | [`network`] | the components as partitions of one run, and the run |
//! | [`measures`] | what a run found: TRTs, Code Performance Measures, stages, cells, alerts |
//! | [`rollout`] | the rollout over years: installs, SEC F5 hub supply, enrolment, SMETS1 and 4G |
//! | [`memory`] | a run's peak memory, estimated before it starts |
//! | [`sweep_runner`] | running a sweep's jobs, each isolated (a panicking job is that job's failure), and the figures kept of each |
//!
//! Each component (traffic, gateway, DSP, CoS Party, alert router, cells, hubs,
//! outage source) owns its parameters, state and event enum and has a
//! `handle(&mut self, event, ctx)`. It is generic over the partition's event type,
//! asking only that its own events convert into it, so it never imports
//! [`network`], the layer that hosts it and routes each event to it. Imports point
//! one way: `study` → `network` and `sweep_runner` → `measures` and the components
//! → `world` → `population`, `users`, `alert`, `outage`, `rollout` → `scenario` (the
//! configuration) → the vocabulary (`region`, `calendar`, `catalogue`,
//! `service_request`, `topology`) → `sim`. `tests/architecture.rs` fails on a cycle.
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
//! Facts and defaults cite `docs/domain.md` ("DOMAIN §n") or say "assumption".

pub mod alert;
pub mod anomaly_detection;
pub mod calendar;
pub mod catalogue;
pub mod change_of_supplier;
pub mod comms_hub;
pub mod context;
pub mod cos_party;
pub mod csp;
pub mod dsp;
pub mod layout;
pub mod measures;
pub mod memory;
pub mod network;
pub mod outage;
pub mod population;
pub mod region;
pub mod rollout;
pub mod scenario;
pub mod service_request;
pub mod smets1_service;
pub mod streams;
pub mod study;

pub mod sweep_runner;
#[cfg(test)]
mod testkit;
pub mod topology;
pub mod user_gateway;
pub mod user_traffic;
pub mod users;
pub mod wan_gateway;
pub mod world;

pub use measures::{RunOutput, TrtFigures, TrtSummary};
pub use network::{Progress, run};
pub use region::CspRegion;
pub use scenario::{Scenario, ScenarioError};
