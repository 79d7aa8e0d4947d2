//! Threshold Anomaly Detection (`[[anomaly_thresholds]]`): DCC counts each User's
//! Service Requests of an SRV in fixed windows and quarantines those past the
//! threshold (DOMAIN §0: a DCC security control on Service Request volumes, SEC
//! ch. 10; its rules are not published, so these are assumptions).
//!
//! The first request past the threshold in a window opens a check: DCC asks the
//! User's security contact whether the excess is genuine, and hears back
//! `confirm_s` later. Then every request quarantined meanwhile is released to the
//! DSP if its User sent it, or deleted if it is an attack's (a stream with
//! `attack = true`): it ends as `refused`, `refused_by` = `quarantined`. Requests
//! quarantined after an answer open the next check. Counting starts again each
//! window.

use serde::Deserialize;
use sim::SimDuration;

use super::units::secs;

/// `[[anomaly_thresholds]]` as written, and resolved.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ThresholdSpec {
    /// The SRV counted.
    pub srv: String,
    /// The User counted, by its name in outputs; none: each User on its own.
    pub user: Option<String>,
    /// Requests of a User allowed per window; the next is quarantined.
    pub max_per_window: u32,
    /// The counting window.
    #[serde(rename = "window_s", deserialize_with = "secs")]
    pub window: SimDuration,
    /// From the first quarantined request to the User's answer.
    #[serde(rename = "confirm_s", deserialize_with = "secs")]
    pub confirm: SimDuration,
    /// The SRV's index in the built-in catalogue (filled in when the scenario is assembled).
    #[serde(skip)]
    pub srv_index: usize,
    /// The named User's index, if one is named (filled in likewise).
    #[serde(skip)]
    pub user_index: Option<u16>,
}

impl ThresholdSpec {
    /// Whether it counts User `user`'s requests of SRV `srv_index`.
    pub fn counts(&self, srv_index: usize, user: u16) -> bool {
        self.srv_index == srv_index && self.user_index.is_none_or(|u| u == user)
    }
}

/// The most thresholds a study may set.
pub const MAX_THRESHOLDS: usize = 100;

/// Resolves each threshold's SRV and User. An unknown SRV or User, or a second
/// threshold on the same SRV and User, is a problem at its place.
pub(crate) fn check(specs: &mut [ThresholdSpec], suppliers: usize, gts: u16, c: &mut super::Checker<'_>) {
    if specs.len() > MAX_THRESHOLDS {
        c.problem("anomaly_thresholds", format!("{} thresholds; allowed: up to {MAX_THRESHOLDS}", specs.len()));
    }
    let catalogue = crate::catalogue::Catalogue::builtin();
    for i in 0..specs.len() {
        let spec = &mut specs[i];
        match catalogue.entries().iter().position(|e| e.srv == spec.srv) {
            Some(index) => spec.srv_index = index,
            None => c.problem(
                &format!("anomaly_thresholds.{i}.srv"),
                format!("{:?} is not a catalogued SRV; allowed: `dccsim list srvs`", spec.srv),
            ),
        }
        if let Some(name) = &spec.user {
            spec.user_index = super::suspensions::user_index(name, suppliers, gts);
            if spec.user_index.is_none() {
                c.problem(
                    &format!("anomaly_thresholds.{i}.user"),
                    super::suspensions::unknown_user(name, suppliers, gts),
                );
            }
        }
        let (srv, user) = (&specs[i].srv, &specs[i].user);
        if let Some(j) = specs[..i].iter().position(|o| &o.srv == srv && &o.user == user) {
            let whose = user.as_deref().unwrap_or("each User");
            c.problem(
                &format!("anomaly_thresholds.{i}.srv"),
                format!(
                    "a second threshold on SRV {srv} for {whose} (the first is anomaly_thresholds.{j}); allowed: one"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Scenario, ScenarioError};

    const MINIMAL: &str = "[scenario]\nname = \"t\"\nhorizon_s = 60\n";

    /// The one problem of `MINIMAL` plus `extra`: line, column and message.
    fn problem(extra: &str) -> (u32, u32, String) {
        match Scenario::parse("s.toml", &format!("{MINIMAL}{extra}")) {
            Err(ScenarioError::Invalid(mut p)) if p.len() == 1 => {
                let p = p.remove(0);
                (p.at.line as u32, p.at.col as u32, p.message)
            }
            other => panic!("expected one problem, got {other:?}"),
        }
    }

    #[test]
    fn a_threshold_resolves_its_srv_and_user() {
        let text =
            format!("{MINIMAL}[[anomaly_thresholds]]\nsrv = \"7.2\"\nuser = \"supplier_3\"\nmax_per_window = 5\n");
        let s = Scenario::parse("s.toml", &text).unwrap();
        let t = &s.anomaly_thresholds[0];
        assert_eq!((t.user_index, t.max_per_window), (Some(2), 5));
        assert_eq!((t.window.as_secs_f64(), t.confirm.as_secs_f64()), (3600.0, 1800.0), "the defaults");
        assert!(t.counts(t.srv_index, 2) && !t.counts(t.srv_index, 1));
    }

    #[test]
    fn bad_thresholds_are_refused_at_their_place() {
        let (line, col, why) = problem("[[anomaly_thresholds]]\nsrv = \"7.2\"\nmax_per_window = 0\n");
        assert_eq!((line, col), (6, 18), "{why}");
        assert!(why.contains("0 is out of range; allowed: 1 to"), "{why}");
        let (line, _, why) = problem("[[anomaly_thresholds]]\nsrv = \"9.99\"\nmax_per_window = 3\n");
        assert_eq!(line, 5, "{why}");
        assert!(why.contains("\"9.99\" is not a catalogued SRV"), "{why}");
        let (line, _, why) =
            problem("[[anomaly_thresholds]]\nsrv = \"7.2\"\nuser = \"supplier_99\"\nmax_per_window = 3\n");
        assert_eq!(line, 6, "{why}");
        assert!(why.contains("no DCC User \"supplier_99\""), "{why}");
        let twice = "[[anomaly_thresholds]]\nsrv = \"7.2\"\nmax_per_window = 3\n";
        let (line, _, why) = problem(&format!("{twice}{twice}"));
        assert_eq!(line, 8, "{why}");
        assert!(
            why.contains("a second threshold on SRV 7.2 for each User (the first is anomaly_thresholds.0)"),
            "{why}"
        );
    }

    #[test]
    fn an_attack_names_a_user_of_its_role() {
        let stream = "[[traffic.streams]]\nname = \"a\"\nsrv = \"7.2\"\nrate_per_s = 1\nattack = true\n";
        let (line, _, why) = problem(stream);
        assert_eq!(line, 8, "{why}");
        assert!(why.contains("an attack names the compromised User"), "{why}");
        let (line, _, why) = problem(&format!("{stream}user = \"ed_NGED\"\n"));
        assert_eq!(line, 9, "{why}");
        assert!(why.contains("ed_NGED does not act in role IS"), "{why}");
        let (_, _, why) = problem(&format!("{stream}user = \"supplier_1\"\nstart_s = 61\n"));
        assert!(why.contains("61 is out of range; allowed: 0 to 60"), "{why}");
        let s = Scenario::parse(
            "s.toml",
            &format!("{MINIMAL}{stream}user = \"supplier_1\"\nstart_s = 10\nduration_s = 20\n"),
        )
        .unwrap();
        let a = &s.traffic[0];
        assert_eq!((a.user, a.attack), (Some(0), true));
        let (from, until) = a.active.unwrap();
        assert_eq!((from.as_secs_f64(), until.as_secs_f64()), (10.0, 30.0));
    }
}
