//! The answer a study with outages asks for, first: what reached the DNOs of each
//! fault, and when, in clock time. It heads `report.html` (a sentence and a
//! per-fault table); every fault is in `outages.parquet`.

use std::fmt::Write as _;

use models::RunOutput;
use models::measures::alerts::{AlertSummary, FaultReport};
use models::outage::FaultLevel;
use models::topology::DNO_AREAS;

use crate::html::escape;
use crate::plots::thousands;

/// Faults shown in the report's table; a storm with more shows its largest.
pub const SHOWN: usize = 25;

/// One fault, as the report's table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultLine {
    /// Its id in `outages.parquet`, `alerts/` and `interruptions.parquet`.
    pub fault_id: u32,
    /// Where in the network: `primary`, `secondary`, …, `firmware`.
    pub level: &'static str,
    /// The DNO area, if a network fault.
    pub dno: Option<&'static str>,
    /// Supply lost, UTC clock time.
    pub began: String,
    /// Supply back for good, UTC clock time.
    pub restored: String,
    /// Premises the fault cut off.
    pub premises: u32,
    /// What became of the DNO copies of its AD1s.
    pub report: FaultReport,
    /// The first AD1 at the DNO, UTC clock time, and seconds after the fault began.
    pub first_at_dno: Option<(String, f64)>,
}

/// Every fault of a run, in id (start) order.
pub fn fault_lines(r: &RunOutput, reports: &[FaultReport]) -> Vec<FaultLine> {
    let start = r.world.scenario.measurement.start_date;
    r.world
        .outages
        .faults
        .iter()
        .zip(reports)
        .map(|(f, rep)| FaultLine {
            fault_id: f.id,
            level: f.level.as_str(),
            dno: f.area.map(|a| DNO_AREAS[a].key),
            began: start.clock(f.start),
            restored: start.clock(f.restore),
            premises: f.premises_affected,
            report: *rep,
            first_at_dno: rep
                .first_alert_at_dno_s
                .map(|s| (start.clock(f.start + sim::SimDuration::from_secs_f64(s)), s)),
        })
        .collect()
}

/// The lines the table shows: all, or the [`SHOWN`] that cut off most premises
/// (firmware campaigns after network faults), in start order.
fn shown(lines: &[FaultLine]) -> Vec<&FaultLine> {
    let mut picked: Vec<&FaultLine> = lines.iter().collect();
    if picked.len() > SHOWN {
        picked.sort_by_key(|l| (l.level == FaultLevel::Firmware.as_str(), std::cmp::Reverse(l.premises), l.fault_id));
        picked.truncate(SHOWN);
        picked.sort_by_key(|l| l.fault_id);
    }
    picked
}

/// The answer in one paragraph: faults, what the DNOs heard and how fast, what was
/// held back or lost, and what became of everyone else's On Demand traffic.
pub fn sentence(a: &AlertSummary, lines: &[FaultLine]) -> String {
    let total = |f: fn(&FaultReport) -> u64| lines.iter().map(|l| f(&l.report)).sum::<u64>();
    let raised = total(|r| r.ad1_raised);
    let pct = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.1} %"));
    let first =
        a.first_alert_median_s.map_or("never".to_string(), |s| format!("a median {s:.0} s after supply was lost"));
    format!(
        "{} faults cut supply to {} premises. The DNOs heard of {} of them, {first}. Of {} Power Outage Alerts \
         (AD1) for the DNOs, {} arrived ({} within {} s), {} were held back by design (storm protection, hub \
         consolidation), {} were never sent or were lost, and {} were still on their way at the end. On Demand \
         requests met their target {} of the time during the outages, against {} outside them.",
        thousands(a.faults),
        thousands(a.premises_off),
        thousands(a.faults_reported),
        thousands(raised),
        thousands(total(FaultReport::at_dno)),
        pct(a.dno_within_target_pct),
        a.delivery_target_s,
        thousands(total(FaultReport::suppressed)),
        thousands(total(FaultReport::lost)),
        thousands(total(FaultReport::unfinished)),
        pct(a.cpm1.during_pct),
        pct(a.cpm1.outside_pct),
    )
}

/// The section heading a report with outages: the sentence, then the table.
pub fn section(out: &mut String, a: &AlertSummary, lines: &[FaultLine]) {
    let picked = shown(lines);
    let _ = writeln!(out, "<h2>What reached the DNOs</h2>\n<p class=\"answer\">{}</p>", escape(&sentence(a, lines)));
    let which = if picked.len() < lines.len() {
        format!("The {} faults that cut off most premises, of {}", picked.len(), thousands(lines.len() as u64))
    } else {
        "Every fault".to_string()
    };
    let _ = writeln!(
        out,
        "<table class=\"faults\">\n<caption>{which}, in order of start. Clock times are UTC. AD1 counts are the \
         DNO's copies; <code>outages.parquet</code> has every fault.</caption>\n<thead><tr><th>fault</th>\
         <th>level</th><th>DNO</th><th>supply lost</th><th>restored</th><th>premises off</th><th>AD1 raised</th>\
         <th>at the DNO</th><th>held back</th><th>lost</th><th>unfinished</th><th>first AD1 at the DNO</th>\
         <th>after</th></tr></thead>\
         \n<tbody>"
    );
    for l in picked {
        let (first, after) = match &l.first_at_dno {
            Some((clock, s)) => (clock.clone(), format!("{s:.0} s")),
            None => ("–".to_string(), "–".to_string()),
        };
        let r = &l.report;
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{first}</td><td>{after}</td></tr>",
            l.fault_id,
            l.level,
            l.dno.unwrap_or("–"),
            l.began,
            l.restored,
            thousands(u64::from(l.premises)),
            thousands(r.ad1_raised),
            thousands(r.at_dno()),
            thousands(r.suppressed()),
            thousands(r.lost()),
            thousands(r.unfinished()),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fault_id: u32, level: &'static str, premises: u32) -> FaultLine {
        FaultLine {
            fault_id,
            level,
            dno: Some("north_east"),
            began: "2021-11-26 18:00:00".into(),
            restored: "2021-11-27 06:00:00".into(),
            premises,
            report: FaultReport::default(),
            first_at_dno: None,
        }
    }

    #[test]
    fn a_storm_with_many_faults_shows_its_largest_network_faults_in_start_order() {
        let mut lines: Vec<FaultLine> = (0..40).map(|i| line(i, "secondary", 100 + i)).collect();
        lines.push(line(40, "firmware", 1_000_000));
        let ids: Vec<u32> = shown(&lines).iter().map(|l| l.fault_id).collect();
        assert_eq!(ids, (15..40).collect::<Vec<u32>>(), "the 25 largest network faults, by id");
        assert_eq!(shown(&lines[..3]).len(), 3, "a few faults are all shown");
    }
}
