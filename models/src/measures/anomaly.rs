//! Threshold Anomaly Detection (`[[anomaly_thresholds]]`) and attacks (streams
//! with `attack = true`): per threshold, what it counted, quarantined, released and
//! deleted, and how long genuine requests waited in quarantine (the false
//! positives); per attack, how many of its requests reached devices and how many
//! were deleted ([`crate::anomaly_detection`]).
//!
//! The counters come from the shards at the end of the run; each attack's outcomes
//! are counted from its requests as they stream ([`AnomalyTally::add`]).

use crate::anomaly_detection::{CounterStats, merge_counters};
use crate::scenario::Scenario;
use crate::service_request::{Outcome, Refusal, ServiceRequestRecord};

/// How one attack's requests ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttackCounts {
    /// Its requests that ended.
    pub ended: u64,
    /// Answered: the command reached a device and was carried out.
    pub reached_devices: u64,
    /// Deleted from quarantine.
    pub deleted: u64,
    /// Ended otherwise: refused at the User Interface, rejected, failed on the WAN
    /// or unfinished.
    pub other: u64,
}

/// The run's Threshold Anomaly Detection figures.
#[derive(Debug, Clone, Default)]
pub struct AnomalyTally {
    /// Every counter that counted anything, merged over shards, by threshold and User.
    pub counters: Vec<CounterStats>,
    /// Each attack stream and its counts, in the file's order.
    pub attacks: Vec<(u16, AttackCounts)>,
    /// Genuine requests quarantined that were then answered within their TRT.
    pub quarantined_within_target: u64,
}

impl AnomalyTally {
    /// No figures yet, for `scenario`'s attack streams.
    pub fn new(scenario: &Scenario) -> AnomalyTally {
        let attacks = (0..scenario.traffic.len() as u16)
            .filter(|&i| scenario.traffic[usize::from(i)].attack)
            .map(|i| (i, AttackCounts::default()))
            .collect();
        AnomalyTally { attacks, ..AnomalyTally::default() }
    }

    /// Counts one finished request.
    pub fn add(&mut self, r: &ServiceRequestRecord) {
        if let Some((_, c)) = self.attacks.iter_mut().find(|(s, _)| *s == r.stream) {
            c.ended += 1;
            match (r.outcome, r.refused_by) {
                (Outcome::Responded, _) => c.reached_devices += 1,
                (_, Some(Refusal::Quarantined)) => c.deleted += 1,
                _ => c.other += 1,
            }
        } else if r.quarantined && r.within_target() {
            self.quarantined_within_target += 1;
        }
    }

    /// Adds a shard's counters.
    pub fn merge_counters(&mut self, counters: &[CounterStats]) {
        merge_counters(&mut self.counters, counters);
    }
}

/// One threshold in `summary.json`, its counters summed over Users.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ThresholdRow {
    /// The SRV.
    pub srv: String,
    /// The User counted, or "each User".
    pub user: String,
    /// Requests a User may send per window.
    pub max_per_window: u32,
    /// The window, s.
    pub window_s: f64,
    /// From the first quarantined request to the User's answer, s.
    pub confirm_s: f64,
    /// Requests counted.
    pub counted: u64,
    /// Users with a request quarantined.
    pub users_quarantined: u64,
    /// Genuine requests quarantined: false positives.
    pub genuine_quarantined: u64,
    /// An attack's requests quarantined.
    pub attack_quarantined: u64,
    /// Released to the DSP.
    pub released: u64,
    /// Deleted.
    pub deleted: u64,
    /// Checks DCC opened with Users.
    pub checks: u64,
    /// The first request quarantined, s (none if none was).
    pub first_quarantine_s: Option<f64>,
    /// Released requests' mean and longest time in quarantine, s (none without any).
    pub released_wait_s: Option<[f64; 2]>,
}

/// One attack in `summary.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AttackRow {
    /// The stream's name.
    pub stream: String,
    /// The SRV it sends.
    pub srv: String,
    /// The compromised User.
    pub user: String,
    /// The attack began (its stream's `start_s`), s.
    pub start_s: f64,
    /// Its requests that ended.
    pub sent: u64,
    /// Of them, carried out by a device.
    pub reached_devices: u64,
    /// Of them, counted by a threshold before DCC first quarantined any of the
    /// User's requests of the SRV, in their shard.
    pub passed_before_detection: u64,
    /// Deleted from quarantine.
    pub deleted: u64,
    /// Ended otherwise.
    pub other: u64,
    /// DCC first quarantined one of the User's requests of the SRV, s (none: never).
    pub detected_s: Option<f64>,
}

/// Threshold Anomaly Detection in `summary.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AnomalySummary {
    /// Each threshold, in the file's order.
    pub thresholds: Vec<ThresholdRow>,
    /// Genuine requests counted by a threshold.
    pub genuine_counted: u64,
    /// Of them, quarantined: the false positives.
    pub genuine_quarantined: u64,
    /// Of those, answered within their TRT all the same.
    pub genuine_quarantined_within_target: u64,
    /// Each attack, in the file's order.
    pub attacks: Vec<AttackRow>,
}

impl AnomalySummary {
    /// The summary of a run with thresholds or attacks (none otherwise); `users`
    /// names the run's Users by index.
    pub fn of(scenario: &Scenario, tally: &AnomalyTally, users: &[String]) -> Option<AnomalySummary> {
        if scenario.anomaly_thresholds.is_empty() && tally.attacks.is_empty() {
            return None;
        }
        let thresholds = scenario
            .anomaly_thresholds
            .iter()
            .enumerate()
            .map(|(t, spec)| {
                let mine: Vec<&CounterStats> =
                    tally.counters.iter().filter(|c| usize::from(c.threshold) == t).collect();
                let sum = |f: fn(&CounterStats) -> u64| mine.iter().map(|c| f(c)).sum::<u64>();
                let released = sum(|c| c.released);
                let wait_total: u128 = mine.iter().map(|c| c.released_wait_total_us).sum();
                let wait_max = mine.iter().map(|c| c.released_wait_max_us).max().unwrap_or(0);
                ThresholdRow {
                    srv: spec.srv.clone(),
                    user: spec.user.clone().unwrap_or_else(|| "each User".into()),
                    max_per_window: spec.max_per_window,
                    window_s: spec.window.as_secs_f64(),
                    confirm_s: spec.confirm.as_secs_f64(),
                    counted: sum(|c| c.counted),
                    users_quarantined: mine.iter().filter(|c| c.quarantined > 0).count() as u64,
                    genuine_quarantined: sum(|c| c.quarantined - c.quarantined_attack),
                    attack_quarantined: sum(|c| c.quarantined_attack),
                    released,
                    deleted: sum(|c| c.deleted),
                    checks: sum(|c| c.checks),
                    first_quarantine_s: mine.iter().filter_map(|c| c.first_quarantine).min().map(|t| t.as_secs_f64()),
                    released_wait_s: (released > 0)
                        .then(|| [wait_total as f64 / released as f64 / 1e6, wait_max as f64 / 1e6]),
                }
            })
            .collect();
        let attacks = tally
            .attacks
            .iter()
            .map(|&(stream, c)| {
                let s = &scenario.traffic[usize::from(stream)];
                let user = s.user.expect("an attack names its User");
                let counter = tally.counters.iter().filter(|k| {
                    k.user == user && scenario.anomaly_thresholds[usize::from(k.threshold)].srv_index == s.srv_index
                });
                let counter: Vec<&CounterStats> = counter.collect();
                AttackRow {
                    stream: s.name.clone(),
                    srv: s.srv().srv.to_string(),
                    user: users[usize::from(user)].clone(),
                    start_s: s.active.map_or(0.0, |(from, _)| from.as_secs_f64()),
                    sent: c.ended,
                    reached_devices: c.reached_devices,
                    passed_before_detection: counter.iter().map(|k| k.attack_passed_before_detection).sum(),
                    deleted: c.deleted,
                    other: c.other,
                    detected_s: counter.iter().filter_map(|k| k.first_quarantine).min().map(|t| t.as_secs_f64()),
                }
            })
            .collect();
        let genuine_counted = tally.counters.iter().map(|c| c.counted - c.counted_attack).sum();
        let genuine_quarantined = tally.counters.iter().map(|c| c.quarantined - c.quarantined_attack).sum();
        Some(AnomalySummary {
            thresholds,
            genuine_counted,
            genuine_quarantined,
            genuine_quarantined_within_target: tally.quarantined_within_target,
            attacks,
        })
    }
}
