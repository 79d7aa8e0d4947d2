//! The first screen of a run with DCC Users suspended (`[[user_suspensions]]`):
//! what the suspension refused, and what it left the User's prepayment customers
//! to do (figures from [`models::measures::suspensions`]).

use std::fmt::Write as _;

use models::measures::suspensions::SuspensionRow;

use crate::html::escape;
use crate::plots::thousands;

/// Hours to one place.
fn hours(s: f64) -> String {
    format!("{:.1} h", s / 3600.0)
}

/// The answer in a sentence per suspension.
pub fn sentence(rows: &[SuspensionRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let delay = r.utrn_delay_s.map_or_else(String::new, |[p50, p95, _]| {
            format!(" (half within {}, 95 % within {})", hours(p50), hours(p95))
        });
        let _ = write!(
            out,
            "{}{} was suspended for {}: {} of its requests were refused, {} of them prepayment top-ups. {} customers \
             typed in a UTRN instead{delay}; {} top-ups were missed, leaving {} customers at risk of going without \
             supply.",
            if out.is_empty() { "" } else { " " },
            r.user,
            hours(r.end_s - r.start_s),
            thousands(r.refused),
            thousands(r.top_ups_refused),
            thousands(r.utrn_used),
            thousands(r.top_ups_missed),
            thousands(r.customers_at_risk),
        );
    }
    out
}

/// The section: the sentence, then a table of the suspensions.
pub fn section(out: &mut String, rows: &[SuspensionRow]) {
    let _ = writeln!(out, "<h2>A DCC User suspended</h2>\n<p class=\"answer\">{}</p>", escape(&sentence(rows)));
    let _ = writeln!(
        out,
        "<table class=\"suspensions\">\n<caption>Each suspension. UTRN delays run from the refused top-up to the \
         code typed in; <code>summary.json</code> (<code>suspensions</code>) has every figure.</caption>\n<thead><tr>\
         <th>User</th><th>from</th><th>for</th><th>requests refused</th><th>top-ups refused</th><th>UTRNs typed in</th>\
         <th>UTRN delay p50</th><th>p95</th><th>top-ups missed</th><th>customers at risk</th></tr></thead>\n<tbody>"
    );
    for r in rows {
        let (p50, p95) = r.utrn_delay_s.map_or(("–".into(), "–".into()), |[a, b, _]| (hours(a), hours(b)));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{:.0} s</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{p50}</td><td>{p95}</td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&r.user),
            r.start_s,
            hours(r.end_s - r.start_s),
            thousands(r.refused),
            thousands(r.top_ups_refused),
            thousands(r.utrn_used),
            thousands(r.top_ups_missed),
            thousands(r.customers_at_risk),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}
