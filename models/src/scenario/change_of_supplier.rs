//! `[change_of_supplier]`: premises changing supplier while the study runs.
//!
//! At each switch's supply start the registration moves to the gaining supplier,
//! which sends a 'Change of Supplier Update Security Credentials' request (SRV
//! 6.23) for each of the premises' meters; DCC's CoS Party signs it (DOMAIN §0)
//! and the DSP sends it on to the device. A gaining supplier that is not a DCC
//! User has DCC, as the Non-Gateway Interface party, send it instead (DOMAIN §0,
//! SEC ch. 7). Until a device has its update it trusts only the losing supplier's
//! commands, and after it only the gaining supplier's. DOMAIN has no switching
//! rate: the default is an assumption, and the switch's time limit is one of the
//! 6.23 Target Response Times DOMAIN §1.2 lists as candidates.

use serde::Deserialize;
use sim::SimDuration;

use super::Checker;
use super::traffic::{TargetPremises, TrafficStream};
use super::units::{Probability, secs};
use crate::catalogue::Catalogue;
use crate::scenario::RatePerS;

/// The name of the stream of the switches' credential updates.
pub const STREAM: &str = "change_of_supplier";

/// How premises change supplier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Switching {
    /// Mean time between one premises' switches, s.
    pub mean_gap_s: f64,
    /// Share of switches whose gaining supplier is not a DCC User: DCC, as the
    /// Non-Gateway Interface party, sends the update for it (DOMAIN §0, ch. 7).
    pub ngi_share: f64,
}

/// `[change_of_supplier]` as written, and resolved.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChangeOfSupplierSpec {
    /// Switches per premises per year; 0: premises keep their supplier.
    pub switches_per_premises_per_year: f64,
    /// Share of switches whose gaining supplier is not a DCC User.
    pub ngi_share: Probability,
    /// A switch is completed in time when every one of its updates is answered
    /// within this long of its supply start.
    #[serde(rename = "time_limit_s", deserialize_with = "secs")]
    pub time_limit: SimDuration,
    /// The index of the updates' traffic stream, once resolved.
    #[serde(skip)]
    pub stream: Option<u16>,
}

impl ChangeOfSupplierSpec {
    /// How premises change supplier, if they do.
    pub fn switching(&self) -> Option<Switching> {
        (self.switches_per_premises_per_year > 0.0).then(|| Switching {
            mean_gap_s: 365.25 * 86_400.0 / self.switches_per_premises_per_year,
            ngi_share: self.ngi_share.get(),
        })
    }

    /// With switching, checks there are two suppliers to switch between and adds
    /// the stream of the switches' 6.23 updates to `traffic`. The stream has no
    /// rate of its own: the switches send its requests.
    pub(crate) fn resolve(&mut self, traffic: &mut Vec<TrafficStream>, suppliers: usize, c: &mut Checker<'_>) {
        if self.switching().is_none() {
            return;
        }
        if suppliers < 2 {
            c.problem(
                "change_of_supplier.switches_per_premises_per_year",
                format!(
                    "premises cannot change supplier with {suppliers} supplier; allowed: 0, or \
                     `users.supplier_shares` with two suppliers or more"
                ),
            );
            return;
        }
        let catalogue = Catalogue::builtin();
        let srv_index = catalogue.entries().iter().position(|e| e.srv == "6.23").expect("6.23 is catalogued");
        let sizes = catalogue.entries()[srv_index].electricity;
        self.stream = Some(traffic.len() as u16);
        traffic.push(TrafficStream {
            name: STREAM.into(),
            srv_index,
            rate_per_s: RatePerS::new(0.0).ok(),
            target: TargetPremises::Any,
            command_bytes: sizes.command_or_median(),
            response_bytes: sizes.response_or_median(),
            ..TrafficStream::default_reads()
        });
    }
}
