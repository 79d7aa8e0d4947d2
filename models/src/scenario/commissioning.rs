//! `[commissioning]`: the requests of meters installed while a network study runs.
//!
//! Each install commissions its devices and, within 7 days, its supplier
//! completes the post-commissioning checks; until then DCC talks to the devices
//! only to finish the checks or maintain supply (DOMAIN §0, SEC ch. 11, the 7-day
//! rule). Per install, on its day (installers work working hours): the hub's
//! install success (SRV 8.14.1), each meter commissioned (8.1.1) and joined to
//! the hub (8.7.1), the HAN device log updated (8.11); then, for the checks, each
//! meter's security credentials updated (6.15.1). Which requests and how many are
//! assumptions after DOMAIN §1.1's catalogue; the volume follows the installs.

use serde::Deserialize;

use super::traffic::{TargetPremises, TrafficStream, named_profile, named_week};
use crate::catalogue::Catalogue;
use crate::scenario::RatePerS;

/// `[commissioning]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CommissioningSpec {
    /// Installs commissioned per day; none: none, or with `population.from_rollout`
    /// the rollout month's.
    pub installs_per_day: Option<f64>,
    /// Meters per install (an ESME, a GSME or both).
    pub meters_per_install: f64,
}

/// Each request an install makes: SRV, count per meter (else per install), and
/// the stream's name.
const PER_INSTALL: [(&str, bool, &str); 5] = [
    ("8.14.1", false, "commissioning_hub_installed"),
    ("8.1.1", true, "commissioning_devices"),
    ("8.7.1", true, "commissioning_joins"),
    ("8.11", false, "commissioning_han_log"),
    ("6.15.1", true, "post_commissioning_credentials"),
];

impl CommissioningSpec {
    /// The traffic streams of `installs_per_day` installs a day (none for none),
    /// sent by the installing supplier in working hours to any premises (the new
    /// installs stand in among the study's premises).
    pub fn streams(&self, installs_per_day: f64) -> Vec<TrafficStream> {
        if installs_per_day <= 0.0 {
            return Vec::new();
        }
        let catalogue = Catalogue::builtin();
        // Installers work working hours, on working days mostly.
        let mut profile = named_profile("working_hours").expect("a named profile");
        let mean = profile.iter().sum::<f64>() / 24.0;
        profile.iter_mut().for_each(|w| *w /= mean);
        let mut day_of_week = named_week("working_days").expect("a named week");
        let mean = day_of_week.iter().sum::<f64>() / 7.0;
        day_of_week.iter_mut().for_each(|w| *w /= mean);
        PER_INSTALL
            .iter()
            .map(|&(srv, per_meter, name)| {
                let srv_index = catalogue.entries().iter().position(|e| e.srv == srv).expect("catalogued");
                let sizes = catalogue.entries()[srv_index].electricity;
                let per_install = if per_meter { self.meters_per_install } else { 1.0 };
                TrafficStream {
                    name: name.into(),
                    srv_index,
                    rate_per_s: RatePerS::new(installs_per_day * per_install / 86_400.0).ok(),
                    profile,
                    day_of_week,
                    target: TargetPremises::Any,
                    command_bytes: sizes.command_or_median(),
                    response_bytes: sizes.response_or_median(),
                    ..TrafficStream::default_reads()
                }
            })
            .collect()
    }
}
