//! Customers' time off supply: each premises' sustained interruptions, and how many
//! customers were off for more than a day, three days and a week — the figures
//! Ofgem published for Storm Arwen (DOMAIN §3: of more than 1 M customers off,
//! ≈ 40,000 for more than 3 days and ≈ 4,000 for more than a week).
//!
//! Everything here follows from the fault plan alone ([`Outages`], fixed before the
//! run), so it needs neither the simulation nor the row tables: the figures are the
//! same whatever `[output] rows` says. A restoration planned after the horizon still
//! counts at its planned time; [`InterruptionSummary::still_off_at_horizon`] says how
//! many customers that concerns.
//!
//! A customer's interruption is a merged [`PowerCut`]: overlapping faults at a
//! premises make one interruption, ended when the last of them is cleared. Each
//! customer is counted once, by their longest interruption. Firmware activations
//! cut only the hub's power, never the customer's supply, so the figures count
//! network faults only (a cut is classed by the fault that started it).

use serde::Serialize;
use sim::{SimDuration, SimTime};

use crate::outage::{FaultLevel, Outages, PowerCut};

/// The shortest interruption that counts as sustained: 3 minutes. It is the
/// threshold of the restoration alert 0x8F36 ("Supply Outage Restored – Outage ≥ 3
/// minutes", DOMAIN §3) and of `customers_off` in `[[outages.storms]]`; that Ofgem
/// counts customers off on the same basis is an assumption.
pub const SUSTAINED: SimDuration = SimDuration::from_secs(180);

/// The tail the summary reports: customers off for longer than each of these, days.
pub const TAIL_DAYS: [u64; 3] = [1, 3, 7];

/// Whether `cut` is a sustained interruption (3 minutes or more).
pub fn is_sustained(cut: &PowerCut) -> bool {
    cut.duration() >= SUSTAINED
}

/// The run's sustained interruptions, every cause, by premises then time: the rows
/// of `interruptions.parquet`.
pub fn sustained(outages: &Outages) -> impl Iterator<Item = &PowerCut> {
    outages.cuts().iter().filter(|c| is_sustained(c))
}

/// Customers off for longer than some number of days.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct TailRow {
    /// The number of days.
    pub longer_than_days: u64,
    /// Customers whose longest interruption was longer.
    pub customers: u64,
    /// Their share of the customers off, %; `None` with nobody off.
    pub share_pct: Option<f64>,
}

/// How long customers were off supply (network faults only).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InterruptionSummary {
    /// Customers (premises) off supply for [`SUSTAINED`] or more at least once.
    pub customers_off: u64,
    /// Their sustained interruptions: one per premises per merged cut.
    pub interruptions: u64,
    /// Customers by their longest interruption: longer than each of [`TAIL_DAYS`].
    pub longer_than: Vec<TailRow>,
    /// Customers with an interruption whose planned restoration falls after the
    /// horizon (the run did not see them restored).
    pub still_off_at_horizon: u64,
    /// The longest interruption of any customer, h (0 with none).
    pub longest_h: f64,
}

impl InterruptionSummary {
    /// The figures of `outages` over a run that ends submissions at `horizon`.
    pub fn of(outages: &Outages, horizon: SimTime) -> InterruptionSummary {
        let network = |c: &PowerCut| outages.faults[c.fault as usize].level != FaultLevel::Firmware;
        let mut longer = [0u64; TAIL_DAYS.len()];
        let (mut customers_off, mut interruptions, mut still_off) = (0u64, 0u64, 0u64);
        let mut longest_overall = SimDuration::ZERO;
        // Per premises (cuts come by premises): its longest cut, and whether any
        // outlasts the horizon.
        let mut current: Option<(u32, SimDuration, bool)> = None;
        let mut close = |(_, longest, after): (u32, SimDuration, bool)| {
            customers_off += 1;
            still_off += u64::from(after);
            for (n, days) in longer.iter_mut().zip(TAIL_DAYS) {
                *n += u64::from(longest > SimDuration::from_secs(days * 86_400));
            }
        };
        for c in sustained(outages).filter(|c| network(c)) {
            interruptions += 1;
            longest_overall = longest_overall.max(c.duration());
            match &mut current {
                Some((p, longest, after)) if *p == c.premises => {
                    *longest = (*longest).max(c.duration());
                    *after |= c.on > horizon;
                }
                _ => {
                    if let Some(done) = current.take() {
                        close(done);
                    }
                    current = Some((c.premises, c.duration(), c.on > horizon));
                }
            }
        }
        if let Some(done) = current {
            close(done);
        }
        let share = |n: u64| (customers_off > 0).then(|| 100.0 * n as f64 / customers_off as f64);
        InterruptionSummary {
            customers_off,
            interruptions,
            longer_than: TAIL_DAYS
                .iter()
                .zip(longer)
                .map(|(&days, customers)| TailRow { longer_than_days: days, customers, share_pct: share(customers) })
                .collect(),
            still_off_at_horizon: still_off,
            longest_h: longest_overall.as_secs_f64() / 3600.0,
        }
    }

    /// The customers and share off for longer than `days` (one of [`TAIL_DAYS`]).
    pub fn longer_than(&self, days: u64) -> Option<&TailRow> {
        self.longer_than.iter().find(|t| t.longer_than_days == days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outage::{Fault, FaultCause};
    use crate::population::Population;
    use crate::scenario::Scenario;

    const HOUR: u64 = 3_600;
    const DAY: u64 = 86_400;

    fn cut(premises: u32, off_s: u64, on_s: u64, fault: u32) -> PowerCut {
        PowerCut { premises, off: SimTime::from_secs(off_s), on: SimTime::from_secs(on_s), fault }
    }

    fn fault(id: u32, level: FaultLevel) -> Fault {
        Fault {
            id,
            level,
            cause: if level == FaultLevel::Firmware { FaultCause::Firmware(0) } else { FaultCause::Single(0) },
            area: None,
            node: 0,
            premises: 0..0,
            start: SimTime::ZERO,
            restore: SimTime::ZERO,
            intervals: Vec::new(),
            sections: Vec::new(),
            premises_affected: 0,
        }
    }

    /// Each customer counts once, by their longest merged interruption; 3 minutes
    /// counts and 179 s does not; a firmware activation is no supply interruption.
    #[test]
    fn each_customer_counts_once_by_their_longest_merged_interruption() {
        let faults = vec![fault(0, FaultLevel::Feeder), fault(1, FaultLevel::Firmware)];
        let cuts = vec![
            cut(1, 0, 2 * HOUR, 0),
            cut(1, DAY, 5 * DAY, 0),
            // Two overlapping faults, each under 3 days, make one of 3.5 days.
            cut(2, 0, 2 * DAY, 0),
            cut(2, DAY, DAY * 7 / 2, 0),
            cut(3, 100, 280, 0),
            cut(4, 100, 279, 0),
            cut(5, 0, 10 * DAY, 1),
            cut(6, HOUR, HOUR + 8 * DAY, 0),
        ];
        let o = Outages::from_parts(faults, cuts);
        let rows: Vec<(u32, u64)> = sustained(&o).map(|c| (c.premises, c.duration().as_micros() / 1_000_000)).collect();
        assert_eq!(
            rows,
            [(1, 2 * HOUR), (1, 4 * DAY), (2, DAY * 7 / 2), (3, 180), (5, 10 * DAY), (6, 8 * DAY)],
            "every sustained cut, firmware too, merged per premises"
        );
        let s = InterruptionSummary::of(&o, SimTime::from_secs(7 * DAY));
        assert_eq!((s.customers_off, s.interruptions), (4, 5));
        let tail: Vec<(u64, u64, Option<f64>)> =
            s.longer_than.iter().map(|t| (t.longer_than_days, t.customers, t.share_pct)).collect();
        assert_eq!(tail, [(1, 3, Some(75.0)), (3, 3, Some(75.0)), (7, 1, Some(25.0))]);
        assert_eq!(s.still_off_at_horizon, 1, "premises 6; the firmware cut does not count");
        assert_eq!(s.longest_h, 192.0);
        assert_eq!(s.longer_than(3).map(|t| t.customers), Some(3));
    }

    #[test]
    fn without_outages_nobody_is_off_and_no_share_is_made_up() {
        let s = InterruptionSummary::of(&Outages::default(), SimTime::from_secs(DAY));
        assert_eq!((s.customers_off, s.interruptions, s.still_off_at_horizon, s.longest_h), (0, 0, 0, 0.0));
        assert!(s.longer_than.iter().all(|t| t.customers == 0 && t.share_pct.is_none()));
    }

    /// From a scenario's faults: every premises a sustained fault cuts appears once
    /// per cut, off from the fault's start to its restoration; a transient raises
    /// no row; the tail counts the premises of the long faults.
    #[test]
    fn the_interruptions_are_the_fault_plans_premises_and_times() {
        let text = format!(
            "[scenario]\nname = \"i\"\nhorizon_s = {}\n{}",
            8 * DAY,
            r#"
[[outages.faults]]
level = "feeder"
area = "london"
node = 3
start_s = 3600
duration_s = 172800
[[outages.faults]]
level = "feeder"
area = "london"
node = 3
start_s = 180000
duration_s = 1800
[[outages.faults]]
level = "secondary"
area = "southern"
node = 1
start_s = 7200
duration_s = 345600
[[outages.faults]]
level = "primary"
area = "north_east"
node = 0
start_s = 3600
duration_s = 691200
[[outages.faults]]
level = "feeder"
area = "yorkshire"
node = 2
start_s = 100
duration_s = 60
"#
        );
        let mut scenario = Scenario::parse("i.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        scenario.premises = 300_000;
        let pop = Population::new(&scenario);
        let o = Outages::generate(&scenario.outages, &pop, scenario.seed);
        let rows: Vec<&PowerCut> = sustained(&o).collect();
        let long: Vec<&Fault> = o.faults.iter().filter(|f| f.restore - f.start >= SUSTAINED).collect();
        assert_eq!(long.len(), 4);
        assert_eq!(rows.len() as u32, long.iter().map(|f| f.premises_affected).sum::<u32>());
        for f in &long {
            assert!(f.premises_affected > 0);
            let mine: Vec<&&PowerCut> = rows.iter().filter(|c| c.fault == f.id).collect();
            let premises: Vec<u32> = mine.iter().map(|c| c.premises).collect();
            assert_eq!(premises, f.premises.clone().collect::<Vec<u32>>(), "fault {}: once per premises", f.id);
            assert!(mine.iter().all(|c| c.off == f.start && c.on == f.restore && c.duration() == f.restore - f.start));
        }
        let count = |area: &str, level: FaultLevel| {
            let area = crate::topology::DNO_AREAS.iter().position(|a| a.key == area);
            u64::from(o.faults.iter().find(|f| f.level == level && f.area == area).unwrap().premises_affected)
        };
        let (london, southern, north_east) = (
            count("london", FaultLevel::Feeder),
            count("southern", FaultLevel::Secondary),
            count("north_east", FaultLevel::Primary),
        );
        let s = InterruptionSummary::of(&o, scenario.horizon);
        assert_eq!(s.customers_off, london + southern + north_east);
        assert_eq!(s.interruptions, s.customers_off + london, "the London feeder is cut twice");
        let tail: Vec<u64> = s.longer_than.iter().map(|t| t.customers).collect();
        assert_eq!(tail, [london + southern + north_east, southern + north_east, north_east]);
        assert_eq!(s.still_off_at_horizon, north_east, "restored one hour after the horizon");
        assert_eq!(s.longest_h, 192.0);
    }
}
