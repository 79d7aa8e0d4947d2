//! The first screen of a run with CSP regional outages (`[[wan_outages]]`): what
//! became of the requests to the region while its cells were down, how long the
//! backlog took, and how the other regions fared (figures from
//! [`models::measures::wan_outage`]).

use std::fmt::Write as _;

use models::calendar::Date;
use models::measures::wan_outage::WanOutageSummary;

use crate::html::escape;
use crate::plots::thousands;

/// A share to two places, or "n/a".
fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |p| format!("{p:.2} %"))
}

/// The answer in a sentence or two per outage.
pub fn sentence(w: &WanOutageSummary) -> String {
    let mut out = String::new();
    for o in &w.outages {
        let e = &o.in_region;
        let _ = write!(
            out,
            "{}{:.0}% of {}'s cells were off the air for {:.1} h. Of the {} requests sent to its premises meanwhile, {} \
             failed (the CSP gave up holding them), {} were answered ({} within target){}; elsewhere, {} of the {} \
             requests sent meanwhile were answered within target.",
            if out.is_empty() { "" } else { " " },
            100.0 * o.cell_share,
            o.region,
            (o.end_s - o.start_s) / 3600.0,
            thousands(e.sent),
            thousands(e.failed),
            thousands(e.responded),
            pct(o.in_region_within_target_pct),
            match o.answered_by_s {
                Some(s) if s > 0.0 => format!(", the last {:.1} min after the cells came back", s / 60.0),
                _ => String::new(),
            },
            pct(o.elsewhere_within_target_pct),
            thousands(o.elsewhere.sent),
        );
    }
    let _ = write!(
        out,
        " In all, {} messages waited for a cell to come back and the CSP gave up on {} commands.",
        thousands(w.held),
        thousands(w.commands_given_up)
    );
    out
}

/// The section: the sentence, then a table of the outages.
pub fn section(out: &mut String, w: &WanOutageSummary) {
    let start = Date::parse(&w.start_date).unwrap_or(Date::EPOCH);
    let clock = |s: f64| start.clock(sim::SimTime::from_secs_f64(s));
    let _ = writeln!(out, "<h2>A CSP region off the air</h2>\n<p class=\"answer\">{}</p>", escape(&sentence(w)));
    let _ = writeln!(
        out,
        "<table class=\"wan-outages\">\n<caption>Each outage; requests by when they were sent. Clock times are \
         UTC; <code>summary.json</code> (<code>wan_outages</code>) has every figure.</caption>\n<thead><tr>\
         <th>outage</th><th>region</th><th>cells down</th><th>off</th><th>back</th><th>sent to the region</th>\
         <th>failed</th><th>answered</th><th>unfinished</th><th>within TRT</th><th>last answered</th>\
         <th>sent elsewhere</th><th>within TRT elsewhere</th></tr></thead>\n<tbody>"
    );
    for o in &w.outages {
        let e = &o.in_region;
        let last = o.answered_by_s.map_or_else(|| "–".to_string(), |s| format!("{:.1} min after", s / 60.0));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{:.0} %</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{last}</td><td>{}</td><td>{}</td></tr>",
            o.outage,
            o.region,
            100.0 * o.cell_share,
            clock(o.start_s),
            clock(o.end_s),
            thousands(e.sent),
            thousands(e.failed),
            thousands(e.responded),
            thousands(e.unfinished),
            pct(o.in_region_within_target_pct),
            thousands(o.elsewhere.sent),
            pct(o.elsewhere_within_target_pct),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}
