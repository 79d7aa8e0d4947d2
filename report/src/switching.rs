//! The Change of Supplier section (`[change_of_supplier]`): how many switches
//! completed within their time limit, what the devices refused while premises
//! changed supplier, and the CoS Party's load (figures from
//! [`models::measures::switching`]).

use std::fmt::Write as _;

use models::measures::switching::SwitchSummary;

use crate::html::escape;
use crate::plots::thousands;

/// A time in seconds, minutes past ten minutes, or hours past two hours.
fn duration(s: f64) -> String {
    match s {
        s if s < 600.0 => format!("{s:.1} s"),
        s if s < 7_200.0 => format!("{:.0} min", s / 60.0),
        s => format!("{:.1} h", s / 3600.0),
    }
}

/// The answer in a few sentences.
pub fn sentence(c: &SwitchSummary) -> String {
    let share = c.in_time_pct.map_or("n/a".to_string(), |p| format!("{p:.2} %"));
    let took = c.duration_s.map_or(String::new(), |[mean, p95, max]| {
        format!(
            " From supply start to the last update answered: mean {}, 95 % within {}, longest {}.",
            duration(mean),
            duration(p95),
            duration(max)
        )
    });
    let q = &c.cos_party;
    format!(
        "{} premises changed supplier ({} through the Non-Gateway Interface): {} completed within the {} limit \
         ({share} of those judged), {} late, {} failed and {} unfinished at the end.{took} Devices refused {} \
         commands from gaining suppliers before their credentials were in place and {} from losing suppliers \
         after. The CoS Party signed {} updates at {:.2} % utilisation, waiting {:.3} s on average (longest {:.3} s).",
        thousands(c.switches),
        thousands(c.via_ngi),
        thousands(c.in_time),
        duration(c.time_limit_s),
        thousands(c.late),
        thousands(c.failed),
        thousands(c.unfinished),
        thousands(c.refused_gaining),
        thousands(c.refused_losing),
        thousands(q.arrivals),
        q.utilisation_pct,
        q.mean_wait_s,
        q.max_wait_s,
    )
}

/// The section: a heading and the sentences.
pub fn section(out: &mut String, c: &SwitchSummary) {
    let _ = writeln!(
        out,
        "<h2>Change of Supplier</h2>\n<p class=\"answer\">{}</p>\n<p>Each switch sends a 6.23 update per meter \
         (stream <code>change_of_supplier</code> in <code>service_requests/</code>); <code>summary.json</code> \
         (<code>change_of_supplier</code>) has every figure.</p>",
        escape(&sentence(c))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_their_unit() {
        assert_eq!(duration(12.34), "12.3 s");
        assert_eq!(duration(1_800.0), "30 min");
        assert_eq!(duration(86_400.0), "24.0 h");
    }
}
