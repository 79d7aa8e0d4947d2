//! The first screen of a run with Threshold Anomaly Detection or an attack
//! (`[[anomaly_thresholds]]`, streams with `attack = true`): how much of each
//! attack reached devices before DCC caught it, and how many genuine requests the
//! thresholds held back (figures from [`models::measures::anomaly`]).

use std::fmt::Write as _;

use models::measures::anomaly::AnomalySummary;

use crate::html::escape;
use crate::plots::thousands;

/// A time in seconds, or minutes past ten minutes.
fn duration(s: f64) -> String {
    if s < 600.0 { format!("{s:.0} s") } else { format!("{:.0} min", s / 60.0) }
}

/// A time of the run as a clock time from its start, `hh:mm:ss` (hours past 24
/// on later days).
fn clock(s: f64) -> String {
    let s = s.round() as u64;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A share as a percentage with enough places to show a small one.
fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "n/a".into();
    }
    let p = 100.0 * part as f64 / whole as f64;
    if p == 0.0 || p >= 1.0 { format!("{p:.1} %") } else { format!("{p:.3} %") }
}

/// The answer: each attack, then the false positives.
pub fn sentence(a: &AnomalySummary) -> String {
    let mut out = Vec::new();
    for r in &a.attacks {
        let detected = match r.detected_s {
            Some(t) => format!(
                "{} of them passed before DCC first quarantined one, {} after it began",
                thousands(r.passed_before_detection),
                duration(t - r.start_s)
            ),
            None => "no threshold caught it".into(),
        };
        out.push(format!(
            "The attack \"{}\" by {} sent {} SRV {} requests: {} reached devices ({detected}); {} were deleted from \
             quarantine and {} ended otherwise.",
            r.stream,
            r.user,
            thousands(r.sent),
            r.srv,
            thousands(r.reached_devices),
            thousands(r.deleted),
            thousands(r.other),
        ));
    }
    if a.genuine_quarantined == 0 {
        out.push(format!(
            "No genuine request was quarantined: no false positives among the {} the thresholds counted.",
            thousands(a.genuine_counted)
        ));
    } else {
        let waits: Vec<String> = a
            .thresholds
            .iter()
            .filter_map(|t| t.released_wait_s.map(|[mean, max]| (t, mean, max)))
            .map(|(t, mean, max)| {
                format!("SRV {} {}: mean {}, longest {}", t.srv, t.user, duration(mean), duration(max))
            })
            .collect();
        out.push(format!(
            "False positives: {} of the {} genuine requests counted ({}) were quarantined and released late ({}); {} \
             of them still met their TRT.",
            thousands(a.genuine_quarantined),
            thousands(a.genuine_counted),
            pct(a.genuine_quarantined, a.genuine_counted),
            waits.join("; "),
            thousands(a.genuine_quarantined_within_target),
        ));
    }
    out.join(" ")
}

/// The section: the sentence, then a table of the thresholds.
pub fn section(out: &mut String, a: &AnomalySummary) {
    let _ = writeln!(out, "<h2>Threshold Anomaly Detection</h2>\n<p class=\"answer\">{}</p>", escape(&sentence(a)));
    if a.thresholds.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<table class=\"anomaly\">\n<caption>Each threshold, its Users together. Genuine requests quarantined are \
         false positives; <code>summary.json</code> (<code>anomaly_detection</code>) has every figure.</caption>\n\
         <thead><tr><th>SRV</th><th>User</th><th>per window</th><th>window</th><th>counted</th>\
         <th>genuine quarantined</th><th>attack quarantined</th><th>released</th><th>deleted</th>\
         <th>first quarantine (run clock)</th><th>released after (mean)</th></tr></thead>\n<tbody>"
    );
    for t in &a.thresholds {
        let first = t.first_quarantine_s.map_or("–".into(), clock);
        let wait = t.released_wait_s.map_or("–".into(), |[mean, _]| duration(mean));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{first}</td><td>{wait}</td></tr>",
            escape(&t.srv),
            escape(&t.user),
            thousands(u64::from(t.max_per_window)),
            duration(t.window_s),
            thousands(t.counted),
            thousands(t.genuine_quarantined),
            thousands(t.attack_quarantined),
            thousands(t.released),
            thousands(t.deleted),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}
