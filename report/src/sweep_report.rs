//! A sweep's `report.html`: the answer in a sentence (how each key measure moves
//! across the swept values), a table of every point with its 95% confidence
//! intervals, and each measure drawn against the swept parameter. Intervals are
//! "n/a" where a point has fewer than two finished replications.

use std::fmt::Write as _;

use models::sweep_runner::{ReplicationFigures, ReplicationRow};
use sim::MeanCi;

use crate::html::escape;
use crate::plots::Plot;
use crate::plots::sweep::{Point, figure};

/// A key measure: its figure name, its plot file, and how a person says it.
struct Measure {
    name: &'static str,
    file: &'static str,
    said: &'static str,
}

const TRT_MEAN: Measure = Measure { name: "trt_mean_s", file: "sweep_trt_mean_s.svg", said: "mean TRT (s)" };
const TRT_P95: Measure = Measure { name: "trt_p95_s", file: "sweep_trt_p95_s.svg", said: "95th percentile TRT (s)" };
const WITHIN: Measure =
    Measure { name: "within_target_pct", file: "sweep_within_target_pct.svg", said: "share within target (%)" };
const DSP: Measure =
    Measure { name: "dsp_utilisation_pct", file: "sweep_dsp_utilisation_pct.svg", said: "DSP utilisation (%)" };
const ALERTS: Measure = Measure { name: "alerts_sent", file: "sweep_alerts_sent.svg", said: "alerts sent" };
const AD1: Measure =
    Measure { name: "ad1_delivered_to_dno", file: "sweep_ad1_delivered_to_dno.svg", said: "AD1s delivered to DNOs" };
const AD1_LATENCY: Measure = Measure {
    name: "ad1_dno_mean_latency_s",
    file: "sweep_ad1_dno_mean_latency_s.svg",
    said: "mean AD1 latency to DNOs (s)",
};

/// The measures a sweep's report shows: with alerts in the study, theirs replace
/// the DSP's.
fn measures(rows: &[ReplicationRow]) -> [&'static Measure; 4] {
    let alerts = index(ALERTS.name);
    if rows.iter().filter_map(ReplicationRow::figures).any(|f| f[alerts] > 0.0) {
        [&TRT_MEAN, &WITHIN, &AD1, &AD1_LATENCY]
    } else {
        [&TRT_MEAN, &TRT_P95, &WITHIN, &DSP]
    }
}

fn index(name: &str) -> usize {
    ReplicationFigures::NAMES.iter().position(|n| *n == name).expect("a known figure")
}

/// A point's figure `i` over its finished replications: the mean, and the
/// interval when there are two or more.
fn ci(group: &[ReplicationRow], i: usize) -> Option<(f64, Option<(f64, f64)>)> {
    let values: Vec<f64> = group.iter().filter_map(|r| r.figures().map(|f| f[i])).collect();
    if values.is_empty() {
        return None;
    }
    let c = MeanCi::of(&values);
    Some((c.mean, (c.n >= 2).then(|| (c.low(), c.high()))))
}

/// A table cell: "mean [low, high]", or "mean (n/a)" with one replication.
fn cell((mean, interval): (f64, Option<(f64, f64)>)) -> String {
    if !mean.is_finite() {
        return "n/a".into(); // nothing judged (all rejected)
    }
    match interval {
        Some((lo, hi)) => format!("{mean:.3} [{lo:.3}, {hi:.3}]"),
        None => format!("{mean:.3} (n/a)"),
    }
}

/// The x position of each point: the swept value when one parameter takes numbers,
/// else the point's index.
fn x_axis(parameters: &[String], groups: &[&[ReplicationRow]]) -> (String, Vec<f64>) {
    if let [key] = parameters {
        let values: Option<Vec<f64>> = groups.iter().map(|g| g[0].values[0].parse::<f64>().ok()).collect();
        if let Some(values) = values {
            return (key.clone(), values);
        }
    }
    ("point".into(), groups.iter().map(|g| f64::from(g[0].point)).collect())
}

/// The figures of the report, one per shown measure.
pub fn figures(parameters: &[String], rows: &[ReplicationRow]) -> Result<Vec<Plot>, crate::ReportError> {
    let groups: Vec<&[ReplicationRow]> = rows.chunk_by(|a, b| a.point == b.point).collect();
    let (x_desc, xs) = x_axis(parameters, &groups);
    measures(rows)
        .iter()
        .map(|m| {
            let points: Vec<Point> = groups
                .iter()
                .zip(&xs)
                .filter_map(|(g, &x)| ci(g, index(m.name)).map(|(mean, interval)| Point { x, mean, interval }))
                .collect();
            figure(m.said, m.file, &format!("{} against {x_desc}", m.said), &x_desc, &points)
        })
        .collect()
}

/// The answer in a sentence: how each measure moves from the first point to the last.
pub fn sentence(name: &str, parameters: &[String], rows: &[ReplicationRow], replications: u32) -> String {
    let groups: Vec<&[ReplicationRow]> = rows.chunk_by(|a, b| a.point == b.point).collect();
    let swept = if parameters.is_empty() { "nothing swept".to_string() } else { parameters.join(", ") };
    let mut out = format!("{name}: {} points of {swept}, {replications} replication(s) each.", groups.len());
    if let (Some(first), Some(last)) = (groups.first(), groups.last()) {
        let moves: Vec<String> = measures(rows)
            .iter()
            .filter_map(|m| {
                let (a, b) = (ci(first, index(m.name))?.0, ci(last, index(m.name))?.0);
                Some(format!("the {} goes from {a:.3} to {b:.3}", m.said))
            })
            .collect();
        if groups.len() > 1 && !moves.is_empty() {
            let values = |g: &[ReplicationRow]| g[0].values.join(", ");
            let _ = write!(out, " From {} to {}, {}.", values(first), values(last), moves.join("; "));
        }
    }
    out + " Intervals are 95% confidence intervals over the replications (n/a with fewer than two)."
}

/// The page: the sentence, the table of points, then the figures.
pub fn render(name: &str, parameters: &[String], rows: &[ReplicationRow], replications: u32, plots: &[Plot]) -> String {
    let mut out = crate::html::page_start("sweep", name);
    let _ = writeln!(out, "<p class=\"answer\">{}</p>", escape(&sentence(name, parameters, rows, replications)));
    let shown = measures(rows);
    out.push_str("<h2>Points</h2>\n<table>\n<thead><tr><th>point</th>");
    for p in parameters {
        let _ = write!(out, "<th>{}</th>", escape(p));
    }
    out.push_str("<th>replications</th><th>failed</th>");
    for m in shown {
        let _ = write!(out, "<th>{}</th>", escape(m.said));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for group in rows.chunk_by(|a, b| a.point == b.point) {
        let failed = group.iter().filter(|r| r.failure().is_some()).count();
        let _ = write!(out, "<tr><td>{}</td>", group[0].point);
        for v in &group[0].values {
            let _ = write!(out, "<td>{}</td>", escape(v));
        }
        let _ = write!(out, "<td>{}</td><td>{failed}</td>", group.len() - failed);
        for m in shown {
            let _ = write!(out, "<td>{}</td>", ci(group, index(m.name)).map_or("n/a".to_string(), cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str(
        "</tbody>\n</table>\n<p>Each cell: the mean over the point's finished replications [95% interval]. Every \
         figure of every run is in <code>replications.parquet</code>; the intervals of every figure in \
         <code>sweep.parquet</code>.</p>\n",
    );
    crate::html::figures(&mut out, plots);
    let _ = write!(
        out,
        "<footer>Written by dccsim {}. Text is set in DejaVu Sans 2.37, bundled in this file.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use models::sweep_runner::JobOutcome;

    fn row(point: u32, replication: u32, value: &str, trt_mean_s: f64) -> ReplicationRow {
        let mut figures = vec![0.0; ReplicationFigures::NAMES.len()];
        figures[index("trt_mean_s")] = trt_mean_s;
        ReplicationRow { point, replication, values: vec![value.into()], outcome: JobOutcome::Ok(figures) }
    }

    #[test]
    fn one_replication_gives_n_a_never_nan() {
        let rows = [row(0, 0, "8", 12.0), row(1, 0, "16", 3.0)];
        let html = render("s", &["dsp.servers".into()], &rows, 1, &[]);
        let body = &html[html.find("<body>").unwrap()..];
        assert!(body.contains("<td>12.000 (n/a)</td>") && !body.contains("NaN"), "{body}");
        let said = sentence("s", &["dsp.servers".into()], &rows, 1);
        assert!(said.contains("From 8 to 16, the mean TRT (s) goes from 12.000 to 3.000"), "{said}");
    }

    #[test]
    fn intervals_come_from_the_replications_and_the_x_axis_from_the_swept_numbers() {
        let rows = [row(0, 0, "8", 10.0), row(0, 1, "8", 12.0), row(1, 0, "32", 3.0), row(1, 1, "32", 3.0)];
        let (mean, interval) = ci(&rows[..2], index("trt_mean_s")).unwrap();
        let (lo, hi) = interval.unwrap();
        // Two observations: t(0.975, 1) = 12.706, s = √2, half width 12.706 × √2 / √2.
        assert!((mean - 11.0).abs() < 1e-12 && (hi - mean - 12.706).abs() < 1e-3 && (mean - lo - 12.706).abs() < 1e-3);
        let groups: Vec<&[ReplicationRow]> = rows.chunk_by(|a, b| a.point == b.point).collect();
        assert_eq!(x_axis(&["dsp.servers".into()], &groups), ("dsp.servers".into(), vec![8.0, 32.0]));
        let words = [row(0, 0, "\"forward\"", 1.0), row(1, 0, "\"aggregate\"", 1.0)];
        let groups: Vec<&[ReplicationRow]> = words.chunk_by(|a, b| a.point == b.point).collect();
        assert_eq!(x_axis(&["alerts.csp.policy".into()], &groups), ("point".into(), vec![0.0, 1.0]));
    }
}
