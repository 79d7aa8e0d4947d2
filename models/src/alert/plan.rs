//! Which alerts the hubs raise, decided before the run from the power cuts.
//!
//! For each power cut at a premises with an ESME (a gas-only hub has no ESME to
//! power it and never alerts the DNO, DOMAIN §3):
//! - longer than the threshold: the hub raises an AD1 when the threshold is reached
//!   — if its energy store lasts that long, and it can send only with SM WAN;
//! - at least the threshold: once supply is back and the hub has restarted, the
//!   ESME's 0x8F36 restoration alert.
//!
//! Only alerts raised before the horizon are planned. With MP119 on, each hub's
//! identical alerts pass through its [`RepeatFilter`] in time order. Alert ids
//! number the alerts by (time raised, premises, code).

use sim::SimTime;

use super::storm_protection::{RepeatFilter, Verdict};
use super::{AlertCode, AlertOutcome};
use crate::layout::Layout;
use crate::outage::Outages;
use crate::population::Population;
use crate::scenario::Scenario;
use crate::streams::{Purpose, Streams};

/// One alert a hub raises.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PlannedAlert {
    /// The premises.
    pub premises: u32,
    /// What it says.
    pub code: AlertCode,
    /// The fault (or firmware campaign) behind it.
    pub fault: u32,
    /// When supply was lost.
    pub power_lost: SimTime,
    /// When the hub raised it.
    pub raised: SimTime,
    /// The hub's energy store runs out then (`SimTime(u64::MAX)` with supply back).
    pub energy_until: SimTime,
    /// Decided at the hub: `None` if it is sent, else the outcome of all its copies.
    pub fate: Option<AlertOutcome>,
    /// Identical alerts the hub held back that this one carries (MP119).
    pub carried: u32,
    /// Copies: 1 (the Electricity Distributor) or 2 (and an opted-in supplier).
    pub copies: u8,
}

/// Every alert of a run and which CSP partition raises it.
#[derive(Debug, Clone, Default)]
pub struct AlertPlan {
    /// Alerts by id.
    pub alerts: Vec<PlannedAlert>,
    /// Per CSP partition (partition id − shards), its alerts' ids in raise order.
    pub by_block: Vec<Vec<u32>>,
}

impl AlertPlan {
    /// Plans the alerts of `outages`.
    pub fn new(
        scenario: &Scenario,
        population: &Population,
        layout: &Layout,
        users: &crate::users::UserDirectory,
        outages: &Outages,
    ) -> AlertPlan {
        let spec = &scenario.alerts;
        let threshold = spec.power_outage_threshold;
        let streams = Streams::new(scenario.seed, scenario.replication);
        let mut alerts = Vec::new();
        let mut cut_no = 0u64;
        let mut last_premises = u32::MAX;
        for cut in outages.cuts() {
            cut_no = if cut.premises == last_premises { cut_no + 1 } else { 0 };
            last_premises = cut.premises;
            let kind = population.kind(cut.premises);
            if !kind.has_electricity() || cut.duration() < threshold {
                continue;
            }
            let supplier = users.user_of(
                crate::service_request::UserRole::ImportSupplier,
                cut.premises,
                cut.off + threshold,
                population,
                scenario.seed,
            );
            let copies = 1 + u8::from(spec.supplier_opt_in.get(usize::from(supplier)).copied().unwrap_or(false));
            let hold_up = spec.hold_up[kind.network().index()];
            let base = PlannedAlert {
                premises: cut.premises,
                code: AlertCode::PowerOutage,
                fault: cut.fault,
                power_lost: cut.off,
                raised: cut.off + threshold,
                energy_until: cut.off + hold_up,
                fate: None,
                carried: 0,
                copies,
            };
            if cut.duration() > threshold && base.raised < scenario.horizon {
                let fate = if hold_up < threshold { Some(AlertOutcome::NoEnergy) } else { None };
                alerts.push(PlannedAlert { fate, ..base });
            }
            let mut rng = streams.stream(u64::from(cut.premises), Purpose::HubRestart, cut_no);
            let restored = cut.on + spec.restart.sample(&mut rng);
            if restored < scenario.horizon {
                alerts.push(PlannedAlert {
                    code: AlertCode::SupplyRestored,
                    raised: restored,
                    energy_until: SimTime(u64::MAX),
                    ..base
                });
            }
        }
        // Cuts come by premises then time: each hub's alerts are together, in order
        // of cut. Consolidate per hub and code, in time order.
        if let Some(consolidation) = &spec.consolidation {
            let mut i = 0;
            while i < alerts.len() {
                let p = alerts[i].premises;
                let end = i + alerts[i..].iter().take_while(|a| a.premises == p).count();
                for code in [AlertCode::PowerOutage, AlertCode::SupplyRestored] {
                    let mut same: Vec<usize> = (i..end).filter(|&j| alerts[j].code == code).collect();
                    same.sort_by_key(|&j| alerts[j].raised);
                    let Some(&first) = same.first() else { continue };
                    let mut filter = RepeatFilter::new(alerts[first].raised);
                    for j in same {
                        match filter.offer(consolidation, alerts[j].raised) {
                            Verdict::Pass(n) => alerts[j].carried = n,
                            Verdict::Discard => alerts[j].fate = Some(AlertOutcome::Consolidated),
                        }
                    }
                }
                i = end;
            }
        }
        for a in &mut alerts {
            if a.fate.is_none() && !population.kind(a.premises).covered() {
                a.fate = Some(AlertOutcome::NoWan);
            }
        }
        alerts.sort_by_key(|a| (a.raised, a.premises, a.code));
        let blocks = (layout.partitions() - layout.shards()) as usize;
        let mut by_block = vec![Vec::new(); blocks];
        for (id, a) in alerts.iter().enumerate() {
            if a.fate.is_none() {
                let region = population.region_of(a.premises);
                let p = layout.cell_partition(region, population.cell_of(a.premises));
                by_block[(p.0 - layout.shards()) as usize].push(id as u32);
            }
        }
        AlertPlan { alerts, by_block }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A feeder in London trips four times for 5 minutes, at 1000, 2000, 3000 and
    /// 9000 s. With MP119 consolidating to one identical alert per hour, each hub
    /// sends its first AD1, holds the next two and sends the fourth (a new hour)
    /// carrying the two it held; restoration alerts likewise.
    #[test]
    fn a_hub_consolidates_repeated_alerts_and_the_next_one_sent_carries_them() {
        let mut faults = String::new();
        for start_s in [1000, 2000, 3000, 9000] {
            faults += &format!(
                "[[outages.faults]]\nlevel = \"feeder\"\narea = \"london\"\nnode = 0\nstart_s = {start_s}\nduration_s = 300\n"
            );
        }
        let text = format!(
            "[scenario]\nname = \"mp119\"\nhorizon_s = 86400\n[comms_hub]\nalert_consolidation_s = 3600\n{faults}"
        );
        let mut s = Scenario::parse("mp119.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        s.premises = 20_000;
        let population = Population::new(&s);
        let layout = Layout::new(&population, 1, 1);
        let users = crate::users::UserDirectory::new(&s.users.supplier_shares, s.users.gas_transporters);
        let outages = Outages::generate(&s.outages, &population, s.seed);
        let plan = AlertPlan::new(&s, &population, &layout, &users, &outages);
        let hubs: Vec<u32> =
            outages.faults[0].premises.clone().filter(|&p| population.kind(p).has_electricity()).collect();
        assert!(hubs.len() >= 10, "a feeder of {} electricity premises", hubs.len());
        for &p in &hubs {
            for code in [AlertCode::PowerOutage, AlertCode::SupplyRestored] {
                let mut mine: Vec<&PlannedAlert> =
                    plan.alerts.iter().filter(|a| a.premises == p && a.code == code).collect();
                mine.sort_by_key(|a| a.raised);
                let held = |a: &PlannedAlert| a.fate == Some(AlertOutcome::Consolidated);
                let pattern: Vec<(bool, u32)> = mine.iter().map(|a| (held(a), a.carried)).collect();
                assert_eq!(pattern, [(false, 0), (true, 0), (true, 0), (false, 2)], "premises {p} {code:?}");
                let consolidated = mine.iter().filter(|a| held(a)).count() as u32;
                assert_eq!(mine.iter().map(|a| a.carried).sum::<u32>(), consolidated);
            }
        }
        // Only the hubs that sent an alert have it in their block's list.
        let sent = plan.alerts.iter().filter(|a| a.fate.is_none()).count();
        assert_eq!(plan.by_block.iter().map(Vec::len).sum::<usize>(), sent);
    }
}
