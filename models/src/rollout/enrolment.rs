//! Enrolment through the Smart Metering Inventory (SMI).
//!
//! A SMETS2 install enters the SMI as **installed, not commissioned**. With the SM
//! WAN present it is **commissioned** the same day; without (SR 8.14.2 "Install No
//! SM WAN", DOMAIN §6) it waits for the WAN, and is counted unresolved if it still
//! has none 90 days on (CSP PM1.2). Once commissioned, its post-commissioning checks
//! are due within 7 days; until they are done the devices may be contacted only to
//! finish them (DOMAIN §0, SEC ch. 11 [H]). With the checks done the installation is
//! **enrolled**: the fleet a network study can send Service Requests to.
//!
//! The waits are drawn per install and booked on a ring of future days, so each
//! install is one accounted unit: every one is in exactly one status at every day.

use sim::SplitMix64;

/// The statuses an installation passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SmiStatus {
    /// In the SMI, but DCC cannot reach it over the SM WAN.
    InstalledNotCommissioned,
    /// Commissioned; post-commissioning checks not yet complete.
    Commissioned,
    /// Checks complete: enrolled, in service.
    Enrolled,
}

/// Why DCC would communicate with a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// To finish its post-commissioning checks.
    PostCommissioningCheck,
    /// Anything else: reads, tariffs, top-ups, firmware.
    Service,
}

impl SmiStatus {
    /// Whether DCC may contact a device in this status for `why` (the 7-day rule:
    /// before its checks are done, only to finish them).
    pub fn may_contact(self, why: Contact) -> bool {
        match self {
            SmiStatus::InstalledNotCommissioned => false,
            SmiStatus::Commissioned => why == Contact::PostCommissioningCheck,
            SmiStatus::Enrolled => true,
        }
    }
}

/// Days ahead the rings can book: longer waits are booked on the last day.
pub const RING_DAYS: usize = 128;

/// CSP PM1.2: days within which an install without WAN should be connected.
pub const WAN_RESOLUTION_DAYS: u32 = 90;

/// Installs waiting for the WAN or for their checks, booked by the day they move on.
#[derive(Debug, Clone)]
pub struct Pipeline {
    wan_resolved: [u32; RING_DAYS],
    wan_unresolved: [u32; RING_DAYS],
    checked: [u32; RING_DAYS],
    overdue: [u32; RING_DAYS],
    /// Installs waiting for the WAN (within 90 days).
    pub awaiting_wan: u64,
    /// Commissioned installs whose checks are not done.
    pub awaiting_checks: u64,
}

/// What moved on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayMoves {
    /// Installs that got the WAN and were commissioned.
    pub wan_resolved: u64,
    /// Installs reaching 90 days without WAN.
    pub wan_unresolved: u64,
    /// Installs whose checks completed: newly enrolled.
    pub enrolled: u64,
    /// Commissioned installs whose checks passed their due day undone.
    pub checks_overdue: u64,
}

/// The waits of the SMI, drawn per install.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Waits {
    /// Per-day chance an install without WAN gets it.
    pub wan_hazard: f64,
    /// Chance an install without WAN gets it within 90 days.
    pub wan_within_90: f64,
    /// Geometric parameter of the days to completed checks.
    pub check_p: f64,
    /// Days within which checks are due.
    pub check_window_days: u32,
}

impl Waits {
    /// From the scenario's shares: `no_wan` of installs lack WAN at first, and
    /// `unconnected_90` of installs still lack it at 90 days; the wait is memoryless.
    pub fn new(no_wan: f64, unconnected_90: f64, check_mean_days: f64, check_window_days: u32) -> Waits {
        let stay = if no_wan > 0.0 { (unconnected_90 / no_wan).clamp(0.0, 1.0) } else { 1.0 };
        let wan_hazard = if stay <= 0.0 { 1.0 } else { 1.0 - stay.powf(1.0 / f64::from(WAN_RESOLUTION_DAYS)) };
        Waits { wan_hazard, wan_within_90: 1.0 - stay, check_p: 1.0 / (1.0 + check_mean_days), check_window_days }
    }

    /// Days from install to WAN for one install without WAN, `None` if not within 90.
    pub fn draw_wan_days(&self, rng: &mut SplitMix64) -> Option<u32> {
        if rng.unit_f64() >= self.wan_within_90 {
            return None;
        }
        if self.wan_hazard >= 1.0 {
            return Some(1);
        }
        // Inverse CDF of the geometric on 1..=90 (conditioned on resolution by then).
        let u = rng.open_unit_f64() * self.wan_within_90;
        let days = ((1.0 - u).ln() / (1.0 - self.wan_hazard).ln()).ceil().max(1.0) as u32;
        Some(days.min(WAN_RESOLUTION_DAYS))
    }

    /// Days from commissioning to completed checks (0 = the same day).
    pub fn draw_check_days(&self, rng: &mut SplitMix64) -> u32 {
        if self.check_p >= 1.0 {
            return 0;
        }
        let u = rng.open_unit_f64();
        (u.ln() / (1.0 - self.check_p).ln()).floor().min((RING_DAYS - 1) as f64) as u32
    }
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            wan_resolved: [0; RING_DAYS],
            wan_unresolved: [0; RING_DAYS],
            checked: [0; RING_DAYS],
            overdue: [0; RING_DAYS],
            awaiting_wan: 0,
            awaiting_checks: 0,
        }
    }
}

impl Pipeline {
    /// Moves on what is due on `day`; commissioned installs draw their check waits.
    /// Returns the day's moves; newly enrolled installs are in `enrolled`.
    pub fn advance(&mut self, day: u64, waits: &Waits, rng: &mut SplitMix64) -> DayMoves {
        let i = day as usize % RING_DAYS;
        let resolved = u64::from(std::mem::take(&mut self.wan_resolved[i]));
        let unresolved = u64::from(std::mem::take(&mut self.wan_unresolved[i]));
        self.awaiting_wan -= resolved + unresolved;
        let mut moves = DayMoves {
            wan_resolved: resolved,
            wan_unresolved: unresolved,
            enrolled: u64::from(std::mem::take(&mut self.checked[i])),
            checks_overdue: u64::from(std::mem::take(&mut self.overdue[i])),
        };
        self.awaiting_checks -= moves.enrolled;
        for _ in 0..resolved {
            moves.enrolled += self.commission(day, waits, rng);
        }
        moves
    }

    /// A new install on `day`: `wan` says whether it has the WAN. Returns 1 if it is
    /// enrolled at once (checks done the same day), else 0.
    pub fn install(&mut self, day: u64, wan: bool, waits: &Waits, rng: &mut SplitMix64) -> u64 {
        if wan {
            return self.commission(day, waits, rng);
        }
        self.awaiting_wan += 1;
        match waits.draw_wan_days(rng) {
            Some(d) => self.book(Ring::WanResolved, day + u64::from(d)),
            None => self.book(Ring::WanUnresolved, day + u64::from(WAN_RESOLUTION_DAYS)),
        }
        0
    }

    fn commission(&mut self, day: u64, waits: &Waits, rng: &mut SplitMix64) -> u64 {
        let d = waits.draw_check_days(rng);
        if d == 0 {
            return 1;
        }
        self.awaiting_checks += 1;
        self.book(Ring::Checked, day + u64::from(d));
        if d > waits.check_window_days {
            self.book(Ring::Overdue, day + u64::from(waits.check_window_days));
        }
        0
    }

    fn book(&mut self, ring: Ring, day: u64) {
        let i = day as usize % RING_DAYS;
        let slot = match ring {
            Ring::WanResolved => &mut self.wan_resolved[i],
            Ring::WanUnresolved => &mut self.wan_unresolved[i],
            Ring::Checked => &mut self.checked[i],
            Ring::Overdue => &mut self.overdue[i],
        };
        *slot += 1;
    }
}

#[derive(Clone, Copy)]
enum Ring {
    WanResolved,
    WanUnresolved,
    Checked,
    Overdue,
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::StreamKey;

    #[test]
    fn before_its_checks_a_device_may_be_contacted_only_to_finish_them() {
        use Contact::*;
        use SmiStatus::*;
        assert!(!InstalledNotCommissioned.may_contact(PostCommissioningCheck));
        assert!(!InstalledNotCommissioned.may_contact(Service));
        assert!(Commissioned.may_contact(PostCommissioningCheck));
        assert!(!Commissioned.may_contact(Service), "the 7-day rule");
        assert!(Enrolled.may_contact(Service));
    }

    /// Installs `n` a day for `days` days; returns totals (installed, enrolled,
    /// overdue, unresolved) and the pipeline.
    fn run(waits: &Waits, per_day: u64, days: u64, share_no_wan: f64) -> ([u64; 4], Pipeline) {
        let key = StreamKey { seed: 3, replication: 0, entity: 1, purpose: 1 };
        let mut p = Pipeline::default();
        let mut t = [0u64; 4];
        for day in 0..days {
            let mut rng = key.stream(day);
            let m = p.advance(day, waits, &mut rng);
            t[1] += m.enrolled;
            t[2] += m.checks_overdue;
            t[3] += m.wan_unresolved;
            if day + 200 < days {
                for _ in 0..per_day {
                    let wan = rng.unit_f64() >= share_no_wan;
                    t[1] += p.install(day, wan, waits, &mut rng);
                    t[0] += 1;
                }
            }
        }
        (t, p)
    }

    #[test]
    fn checks_are_due_within_seven_days_and_overdue_ones_are_counted() {
        // Mean 4 days: P(wait > 7 days) = (1 − p)^8 with p = 1/5.
        let waits = Waits::new(0.0, 0.0, 4.0, 7);
        let ([installed, enrolled, overdue, _], p) = run(&waits, 200, 700, 0.0);
        assert_eq!(enrolled, installed, "all enrolled once the pipeline drains");
        assert_eq!(p.awaiting_checks, 0);
        let theory = 0.8f64.powi(8);
        let share = overdue as f64 / installed as f64;
        assert!((share - theory).abs() < 0.005, "overdue share {share}, theory {theory}");
    }

    #[test]
    fn installs_without_wan_resolve_within_90_days_or_are_counted_unresolved() {
        // 3% without WAN at first, 0.75% of installs still without at 90 days.
        let waits = Waits::new(0.03, 0.0075, 2.0, 7);
        let ([installed, enrolled, _, unresolved], p) = run(&waits, 500, 800, 0.03);
        assert_eq!(p.awaiting_wan, 0);
        assert_eq!(enrolled + unresolved, installed, "conservation: every install ends one way");
        let share = unresolved as f64 / installed as f64;
        assert!((share - 0.0075).abs() < 0.001, "unresolved share {share}");
        let mut rng = StreamKey { seed: 1, replication: 0, entity: 0, purpose: 0 }.stream(0);
        for _ in 0..10_000 {
            if let Some(d) = waits.draw_wan_days(&mut rng) {
                assert!((1..=90).contains(&d));
            }
        }
    }
}
