//! `report.html`: one self-contained page per run, readable offline.
//!
//! The page holds the headline figures of [`RunSummary`], then every figure as an
//! inline `<svg>` with a caption. It carries its font as a base64 `@font-face`,
//! and references nothing outside itself: no URL, no script.

use std::fmt::Write as _;

use crate::RunSummary;
use crate::summary::figure;

/// A share in percent to two places, or "n/a".
fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), |v| format!("{v:.2} %"))
}
use crate::plots::{Plot, thousands};
use crate::storm::FaultLine;

/// Escapes `text` for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

pub(crate) const PAGE_CSS: &str = r#"body { font-family: "DejaVu Sans", sans-serif; color: #222; line-height: 1.45;
  max-width: 1150px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
.description { color: #444; margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.5em; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; font-size: 0.9em; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 2px solid #999; }
tr.busiest { background: #fff3cd; }
figure { margin: 1.5em 0 2.5em; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #444; margin-top: 0.4em; }
caption { caption-side: top; text-align: left; font-size: 0.9em; color: #444; padding-bottom: 0.4em; }
p.answer { font-size: 1.05em; max-width: 60em; }
table.faults { font-size: 0.85em; }
table.faults td { white-space: nowrap; }
footer { margin-top: 3em; font-size: 0.8em; color: #666; }
"#;

fn facts(out: &mut String, s: &RunSummary) {
    let overall = s.trt.first();
    let rows: [(&str, String); 9] = [
        ("Scenario", escape(&s.scenario)),
        ("Seed", s.seed.to_string()),
        ("Submission horizon", format!("{} s", s.horizon_s)),
        ("Simulated end", format!("{:.1} s", s.simulated_end_s)),
        ("On Demand TRT target", format!("{} s", s.target_s)),
        ("Requests submitted", overall.map_or_else(String::new, |t| thousands(t.submitted))),
        ("Answered within target", overall.map_or_else(String::new, |t| pct(t.within_target_pct))),
        ("Busiest stage", escape(&s.busiest_stage)),
        ("Events, partitions", format!("{}, {}", thousands(s.events), s.partitions)),
    ];
    out.push_str("<h2>Headline figures</h2>\n<dl class=\"facts\">\n");
    for (name, value) in rows {
        let _ = writeln!(out, "<dt>{name}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>\n");
}

/// The answer to a network study's question in a sentence: how many requests met
/// their target, how the Code Performance Measures stand over the run, and the
/// bottleneck.
pub fn answer(s: &RunSummary) -> String {
    let Some(overall) = s.trt.first() else { return String::new() };
    let mut out = match overall.within_target_pct {
        Some(pct) => format!(
            "{pct:.2} % of the {} Service Requests submitted were answered within their target ({} s On Demand).",
            thousands(overall.submitted),
            s.target_s
        ),
        None => format!(
            "None of the {} Service Requests submitted could be judged against its target: {} were rejected.",
            thousands(overall.submitted),
            thousands(overall.rejected)
        ),
    };
    let mut unjudged = Vec::new();
    for m in s.performance.iter().filter(|m| m.period == "run") {
        let verdict = match m.status.as_str() {
            "met" => "meeting its Target Service Level",
            "below_target" => "below its Target but above its Minimum Service Level",
            "below_minimum" => "below its Minimum Service Level",
            _ => {
                unjudged.push(m.measure.as_str());
                continue;
            }
        };
        let value = m.value_pct.map_or("n/a".to_string(), |v| format!("{v:.2} %"));
        let _ =
            write!(out, " {} over the run: {value}, {verdict} ({} / {} %).", m.measure, m.target_pct, m.minimum_pct);
    }
    if !unjudged.is_empty() {
        let _ = write!(out, " {} had nothing to judge (n/a).", crate::summary::and_list(&unjudged));
    }
    if let Some(b) = s.stages.iter().find(|r| r.stage == s.busiest_stage) {
        let _ = write!(
            out,
            " The busiest stage is {}, {:.1} % utilised, where a job waited {:.3} s on average.",
            b.stage, b.utilisation_pct, b.mean_wait_s
        );
    }
    out
}

fn trt_table(out: &mut String, s: &RunSummary) {
    let _ = writeln!(
        out,
        "<h2>Target Response Time</h2>\n<table>\n<thead><tr><th>group</th><th>submitted</th>\
         <th>responded</th><th>unfinished</th><th>rejected</th><th>failed</th><th>refused</th><th>mean s</th><th>p50 s</th><th>p95 s</th><th>p99 s</th>\
         <th>max s</th><th>within {} s, %</th></tr></thead>\n<tbody>",
        s.target_s
    );
    for r in &s.trt {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.group),
            thousands(r.submitted),
            thousands(r.responded),
            thousands(r.unfinished),
            thousands(r.rejected),
            thousands(r.failed),
            thousands(r.refused),
            figure(r.mean_s),
            figure(r.p50_s),
            figure(r.p95_s),
            figure(r.p99_s),
            figure(r.max_s),
            figure(r.within_target_pct)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(sentence) = not_yet_due_sentence(s) {
        let _ = writeln!(out, "<p class=\"not-yet-due\">{}</p>", escape(&sentence));
    }
}

/// Future Dated requests due after the run's end, in a sentence, if there were any.
pub fn not_yet_due_sentence(s: &RunSummary) -> Option<String> {
    let n = s.trt.first().map_or(0, |r| r.not_yet_due);
    (n > 0).then(|| {
        format!(
            "{} Future Dated requests were due after the run's end: the DSP still held them, their TRT clock had \
             not started, and they are not judged (outcome `not_yet_due`).",
            thousands(n)
        )
    })
}

fn stage_table(out: &mut String, s: &RunSummary) {
    out.push_str(
        "<h2>Stages</h2>\n<table>\n<thead><tr><th>stage</th><th>servers</th><th>arrivals</th>\
         <th>utilisation %</th><th>mean wait s</th><th>max wait s</th><th>mean service s</th>\
         <th>mean in system</th></tr></thead>\n<tbody>\n",
    );
    for r in &s.stages {
        let class = if r.stage == s.busiest_stage { " class=\"busiest\"" } else { "" };
        let _ = writeln!(
            out,
            "<tr{class}><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.4}</td><td>{:.3}</td>\
             <td>{:.3}</td><td>{:.2}</td></tr>",
            escape(&r.stage),
            thousands(r.servers),
            thousands(r.arrivals),
            r.utilisation_pct,
            r.mean_wait_s,
            r.max_wait_s,
            r.mean_service_s,
            r.mean_in_system
        );
    }
    out.push_str("</tbody>\n</table>\n<p>Servers are channels for WAN cells; the busiest stage is highlighted.</p>\n");
    if let Some(sat) = &s.saturation {
        let _ = writeln!(out, "<p class=\"saturation\">{}</p>", escape(&saturation_sentence(sat)));
    }
    if let Some(t) = &s.throttling {
        let _ = writeln!(out, "<p class=\"throttling\">{}</p>", escape(&throttle_sentence(t)));
    }
}

/// What throttling to Users' allocations did, in a sentence.
pub fn throttle_sentence(t: &models::measures::summary::ThrottleRow) -> String {
    let hold = t.hold_s.map_or(String::new(), |[mean, max]| format!(" (mean {mean:.1} s, longest {max:.1} s)"));
    format!(
        "Throttling to each User's allocation of {} requests/s: {} requests held back{hold}, {} rejected after \
         more than {:.0} s.",
        t.allocation_per_s,
        thousands(t.held),
        thousands(t.rejected),
        t.max_hold_s
    )
}

/// Which stage fills first as the load grows, in a sentence.
pub fn saturation_sentence(sat: &models::measures::stages::Saturation) -> String {
    let width = if sat.bucket_s >= 120.0 {
        format!("{:.0} min", sat.bucket_s / 60.0)
    } else {
        format!("{:.0} s", sat.bucket_s)
    };
    format!(
        "Saturates first: {}, {:.1} % busy in its busiest {width} (from {:.0} s into the run), so it would be full \
         at about {:.1}× this load, if its work grows in proportion to the traffic. A WAN region pools its cells; its \
         busiest cell fills sooner.",
        sat.stage, sat.peak_utilisation_pct, sat.peak_at_s, sat.load_multiple
    )
}

fn measure_table(out: &mut String, s: &RunSummary) {
    out.push_str(
        "<h2>Code Performance Measures</h2>\n<table>\n<thead><tr><th>period</th><th>measure</th><th>counted</th>\
         <th>within TRT</th><th>value %</th><th>target %</th><th>minimum %</th><th>status</th></tr></thead>\n<tbody>\n",
    );
    for m in &s.performance {
        let value = m.value_pct.map_or("–".to_string(), |v| format!("{v:.3}"));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{value}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&m.period),
            escape(&m.measure),
            thousands(m.counted),
            thousands(m.within_target),
            m.target_pct,
            m.minimum_pct,
            escape(&m.status)
        );
    }
    out.push_str(
        "</tbody>\n</table>\n<p>CPM1: On Demand requests answered within their TRT; CPM2: Future Dated; CPM3: \
         alert copies delivered within the alert delivery-time target (no data without outages). Months are calendar months of the TRT clock's start.</p>\n",
    );
}

fn alert_section(out: &mut String, s: &RunSummary) {
    let Some(a) = &s.alerts else { return };
    let opt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.2}"));
    let [p50, p95, p99, max] = a.dno_latency_s;
    let _ = writeln!(
        out,
        "<h2>Power outages and alerts</h2>\n<dl class=\"facts\">\n\
         <dt>faults</dt><dd>{}</dd><dt>premises off supply</dt><dd>{}</dd><dt>alerts raised</dt><dd>{}</dd>\n\
         <dt>customers off 3 minutes or more</dt><dd>{}; by their longest, {}; {} still off at the horizon</dd>\n\
         <dt>AD1 to DNOs p50 / p95 / p99 / max</dt><dd>{p50:.2} / {p95:.2} / {p99:.2} / {max:.2} s</dd>\n\
         <dt>within {} s</dt><dd>{} %</dd>\n\
         <dt>faults known to the DNO</dt><dd>{} of {}; median first AD1 after {} s</dd>\n\
         <dt>premises reported</dt><dd>{} % of those off</dd>\n\
         <dt>CSP event windows ≤ / > threshold</dt><dd>{} / {} ({} % isolated)</dd>\n\
         <dt>CPM1 during / outside the outages</dt><dd>{} % / {} %; top-ups {} %</dd>\n</dl>",
        thousands(a.faults),
        thousands(a.premises_off),
        thousands(a.raised),
        thousands(a.interruptions.customers_off),
        crate::interruptions::tail_text(&a.interruptions, thousands),
        thousands(a.interruptions.still_off_at_horizon),
        a.delivery_target_s,
        opt(a.dno_within_target_pct),
        thousands(a.faults_reported),
        thousands(a.faults),
        opt(a.first_alert_median_s),
        opt(a.premises_reported_pct),
        thousands(a.events_isolated),
        thousands(a.events_large),
        opt(a.events_isolated_pct),
        opt(a.cpm1.during_pct),
        opt(a.cpm1.outside_pct),
        opt(a.cpm1.top_ups_during_pct),
    );
    out.push_str("<table>\n<thead><tr><th>code</th><th>to</th>");
    for o in models::alert::AlertOutcome::ALL {
        let _ = write!(out, "<th>{}</th>", o.as_str());
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &a.outcomes {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", escape(&row.alert_code), escape(&row.recipient_role));
        for (_, n) in &row.copies {
            let _ = write!(out, "<td>{}</td>", thousands(*n));
        }
        out.push_str("</tr>\n");
    }
    out.push_str(
        "</tbody>\n</table>\n<p>Alert copies by outcome; every copy ends in exactly one. Per-alert, per-fault and \
         per-interruption rows are in <code>alerts/</code>, <code>outages.parquet</code> and \
         <code>interruptions.parquet</code>.</p>\n",
    );
}

pub(crate) fn figures(out: &mut String, plots: &[Plot]) {
    out.push_str("<h2>Figures</h2>\n");
    for (i, p) in plots.iter().enumerate() {
        let id = p.file.trim_end_matches(".svg");
        let _ = writeln!(
            out,
            "<figure id=\"{id}\">\n{}<figcaption><strong>Figure {}.</strong> {} (Also <code>plots/{}</code>.)\
             </figcaption>\n</figure>",
            p.inline(),
            i + 1,
            escape(&p.caption),
            escape(p.file)
        );
    }
}

/// The start of every report page: the head, with the bundled font and the page's
/// style, then the heading "dccsim KIND: NAME" (`title` is plain text).
pub fn page_start(kind: &str, title: &str) -> String {
    let mut out = String::with_capacity(1 << 21);
    let title = escape(title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>dccsim {kind}: {title}</title>\n<style>\n{}{PAGE_CSS}</style>\n</head>\n<body>\n\
         <h1>dccsim {kind}: {title}</h1>\n",
        crate::font::css(),
    );
    out
}

/// The page for a run: the answer first (for a study with outages, what reached
/// the DNOs, `faults`, [`crate::storm`]; with the User Gateway down, its windows;
/// with a CSP region off the air, its outages; with a User suspended, the
/// suspension; with anomaly thresholds or an attack, [`crate::anomaly`]; with premises
/// changing supplier, [`crate::switching`]); then `summary` in tables, then
/// `plots` in order. `description` is the scenario's own one-line description.
pub fn render(summary: &RunSummary, description: &str, plots: &[Plot], faults: &[FaultLine]) -> String {
    let mut out = page_start("run", &summary.scenario);
    let _ = writeln!(out, "<p class=\"description\">{}</p>", escape(description));
    // A study with outages asks what reached the DNOs: that comes first.
    // So does a study of the User Gateway down, what its Users' traffic met.
    let suspended = !summary.suspensions.is_empty();
    match (&summary.alerts, &summary.downtime, &summary.wan_outages) {
        (Some(alerts), _, _) => crate::storm::section(&mut out, alerts, faults),
        (None, Some(downtime), _) => crate::downtime::section(&mut out, downtime),
        (None, None, Some(wan)) => crate::wan_outage::section(&mut out, wan),
        (None, None, None) if suspended => crate::suspension::section(&mut out, &summary.suspensions),
        (None, None, None) => match &summary.anomaly_detection {
            Some(anomaly) => crate::anomaly::section(&mut out, anomaly),
            None => match &summary.change_of_supplier {
                Some(switches) => crate::switching::section(&mut out, switches),
                None => {
                    let _ = writeln!(out, "<p class=\"answer\">{}</p>", escape(&answer(summary)));
                }
            },
        },
    }
    facts(&mut out, summary);
    trt_table(&mut out, summary);
    stage_table(&mut out, summary);
    measure_table(&mut out, summary);
    alert_section(&mut out, summary);
    if let (Some(_), Some(downtime)) = (&summary.alerts, &summary.downtime) {
        crate::downtime::section(&mut out, downtime);
    }
    if let (true, Some(wan)) = (summary.alerts.is_some() || summary.downtime.is_some(), &summary.wan_outages) {
        crate::wan_outage::section(&mut out, wan);
    }
    let answered_first = summary.alerts.is_none() && summary.downtime.is_none() && summary.wan_outages.is_none();
    if suspended && !answered_first {
        crate::suspension::section(&mut out, &summary.suspensions);
    }
    if let (false, Some(anomaly)) = (answered_first && !suspended, &summary.anomaly_detection) {
        crate::anomaly::section(&mut out, anomaly);
    }
    let switches_first = answered_first && !suspended && summary.anomaly_detection.is_none();
    if let (false, Some(switches)) = (switches_first, &summary.change_of_supplier) {
        crate::switching::section(&mut out, switches);
    }
    figures(&mut out, plots);
    let _ = write!(
        out,
        "<footer>Written by dccsim {}. The numbers above are in <code>summary.json</code>; per-request \
         and per-bucket tables are <code>service_requests/</code> and <code>stages.parquet</code>. \
         Text is set in DejaVu Sans 2.37, bundled in this file.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_scenario_text_is_shown_not_run() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }
}
