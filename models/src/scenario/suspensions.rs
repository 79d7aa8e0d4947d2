//! A DCC User suspended (`[[user_suspensions]]`): DCC may suspend a User whose
//! systems pose an imminent threat (SEC ch. 11, DOMAIN §0 "Security").
//!
//! While suspended, the User Interface refuses every request of the User (outcome
//! `refused`, `refused_by` = `user_suspended`); requests it accepted before go on
//! (assumption). Its prepayment customers whose top-up (SRV 2.2) is refused fall
//! back to a UTRN, a top-up code they type into the in-home display or meter
//! (DOMAIN §0: "suppliers then enable local top-up for prepayment customers"): a
//! share of them do so after a delay, the rest miss the top-up and are at risk of
//! going without supply (assumptions).

use serde::Deserialize;
use sim::{Delay, SimDuration, SimTime};

use super::units::{DelayDef, Share, secs, time};

/// `[[user_suspensions]]` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SuspensionSpec {
    /// The User, by its name in outputs (`supplier_2`, `ed_NGED`, `gt_1`, `other_user`).
    pub user: String,
    /// Suspended from.
    #[serde(rename = "start_s", deserialize_with = "time")]
    pub start: SimTime,
    /// For how long.
    #[serde(rename = "duration_s", deserialize_with = "secs")]
    pub duration: SimDuration,
    /// The share of refused top-ups whose customer uses a UTRN.
    pub utrn_share: Share,
    /// From the refused top-up to the UTRN typed in.
    #[serde(with = "DelayDef")]
    pub utrn_delay: Delay,
    /// The User's index (filled in when the scenario is assembled).
    #[serde(skip)]
    pub user_index: u16,
}

impl SuspensionSpec {
    /// Whether it suspends User `user` at `t`.
    pub fn holds(&self, user: u16, t: SimTime) -> bool {
        self.user_index == user && self.start <= t && t < self.start + self.duration
    }
}

/// The index of the User named `name` in a run with `suppliers` suppliers and
/// `gas_transporters` Gas Transporters, numbered as [`crate::users::UserDirectory`]
/// numbers them: suppliers, Electricity Distributors (DNO groups), Gas
/// Transporters, the Other User.
pub fn user_index(name: &str, suppliers: usize, gas_transporters: u16) -> Option<u16> {
    let (groups, _) = crate::topology::dno_groups();
    let numbered = |prefix: &str, count: usize| {
        name.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok()).filter(|n| (1..=count).contains(n))
    };
    if let Some(n) = numbered("supplier_", suppliers) {
        return Some((n - 1) as u16);
    }
    let eds = groups.len();
    if let Some(g) = name.strip_prefix("ed_").and_then(|g| groups.iter().position(|x| x.replace(' ', "_") == g)) {
        return Some((suppliers + g) as u16);
    }
    if let Some(n) = numbered("gt_", usize::from(gas_transporters)) {
        return Some((suppliers + eds + n - 1) as u16);
    }
    (name == "other_user").then_some((suppliers + eds + usize::from(gas_transporters)) as u16)
}

/// What is wrong with a User name that [`user_index`] does not know, and what is allowed.
pub(crate) fn unknown_user(name: &str, suppliers: usize, gts: u16) -> String {
    format!(
        "no DCC User {name:?} in this study; allowed: supplier_1 to supplier_{suppliers}, ed_<DNO group> \
         (e.g. ed_NGED), gt_1 to gt_{gts}, other_user"
    )
}

/// Resolves each suspension's User; an unknown one is a problem at its `user`.
pub(crate) fn check(
    specs: &mut [SuspensionSpec],
    suppliers: usize,
    gts: u16,
    horizon_s: f64,
    c: &mut super::Checker<'_>,
) {
    if specs.len() > 100 {
        c.problem("user_suspensions", format!("{} suspensions; allowed: up to 100", specs.len()));
    }
    for (i, spec) in specs.iter_mut().enumerate() {
        c.within(&format!("user_suspensions.{i}.start_s"), spec.start.as_secs_f64(), 0.0, horizon_s);
        match user_index(&spec.user, suppliers, gts) {
            Some(u) => spec.user_index = u,
            None => c.problem(&format!("user_suspensions.{i}.user"), unknown_user(&spec.user, suppliers, gts)),
        }
    }
}
