//! `[smets1_service]`: migrated SMETS1 meters are reached through their own path,
//! the SMETS1 service providers, not the CSPs' WAN (DOMAIN §5–6: about 12 m
//! SMETS1 meters migrated onto the DCC network by Aug 2024). Their latencies,
//! capacity and the Service Requests they cannot carry are assumptions: DOMAIN
//! has no figures for them.

use serde::Deserialize;
use sim::Delay;

use super::units::DelayDef;

/// `[smets1_service]` as written, and resolved.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Smets1Spec {
    /// Whether SMETS1 premises take this path; `false`: the CSPs' WAN, like SMETS2.
    pub enabled: bool,
    /// Commands the providers handle at once, per DSP shard.
    pub servers: u32,
    /// Time to translate and check one command.
    #[serde(rename = "service_time", with = "DelayDef")]
    pub service: Delay,
    /// From the providers to the device and back: their WAN, the hub and the meter.
    #[serde(with = "DelayDef")]
    pub round_trip: Delay,
    /// How long the providers wait for a device that does not answer.
    #[serde(rename = "timeout_s", deserialize_with = "super::units::secs")]
    pub timeout: sim::SimDuration,
    /// SRVs the providers do not carry for SMETS1 devices.
    #[serde(default)]
    pub unsupported_srvs: Vec<String>,
}

impl Smets1Spec {
    /// Whether a request of `srv` to a SMETS1 premises can be carried.
    pub fn carries(&self, srv: &str) -> bool {
        !self.unsupported_srvs.iter().any(|s| s == srv)
    }
}

/// Every SRV in `unsupported_srvs` must be catalogued.
pub(crate) fn check(spec: &Smets1Spec, c: &mut super::Checker<'_>) {
    let catalogue = crate::catalogue::Catalogue::builtin();
    for (i, srv) in spec.unsupported_srvs.iter().enumerate() {
        if catalogue.get(srv).is_none() {
            c.problem(
                &format!("smets1_service.unsupported_srvs.{i}"),
                format!("{srv:?} is not a catalogued SRV; allowed: `dccsim list srvs`"),
            );
        }
    }
}
