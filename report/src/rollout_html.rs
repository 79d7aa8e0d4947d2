//! A rollout's `report.html`: the answer first (coverage at the end, and which
//! milestones were met when), then the milestones, the years, the hubs per
//! supplier and the calibration as tables, then the figures.

use std::fmt::Write as _;

use crate::html::escape;
use crate::plots::{Plot, thousands};
use crate::rollout::RolloutSummary;

/// The answer in a sentence or two.
pub fn sentence(s: &RolloutSummary) -> String {
    let end = s.years.last().map_or(0.0, |y| y.coverage_pct_end);
    let mut out = format!(
        "From {} to {}, smart meter coverage reaches {end:.1} % of {} premises.",
        s.start_month,
        s.end_month,
        thousands(s.premises)
    );
    let due: Vec<String> = s
        .milestones
        .iter()
        .filter_map(|m| {
            let met = m.met?;
            let when = m.reached.as_deref().map_or("not within the study".to_string(), |r| format!("reached {r}"));
            let verdict = if met { "met" } else { "missed" };
            Some(format!("{} ({verdict}: {when}, due {})", m.name, m.due.as_deref().unwrap_or("–")))
        })
        .collect();
    if !due.is_empty() {
        let _ = write!(out, " Dated targets: {}.", due.join("; "));
    }
    if let Some(worst) = s.calibration.iter().max_by(|a, b| a.error_pct.abs().total_cmp(&b.error_pct.abs())) {
        let _ = write!(
            out,
            " Against {} published figures, the largest error is {:+.1} % ({} {}).",
            s.calibration.len(),
            worst.error_pct,
            worst.month,
            serde_json::to_value(worst.measure).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
        );
    }
    out
}

/// A `<table>` of `header` and `rows`, cells already HTML.
fn table(out: &mut String, caption: &str, header: &[&str], rows: Vec<Vec<String>>) {
    let _ = write!(out, "<table>\n<caption>{caption}</caption>\n<thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The page.
pub fn render(s: &RolloutSummary, description: &str, plots: &[Plot]) -> String {
    let mut out = crate::html::page_start("rollout", &s.scenario);
    let _ = writeln!(out, "<p class=\"description\">{}</p>", escape(description));
    let _ = writeln!(out, "<p class=\"answer\">{}</p>", escape(&sentence(s)));
    let milestones = s.milestones.iter().map(|m| {
        vec![
            escape(&m.name),
            format!("{:.1}", m.coverage_pct),
            m.due.clone().unwrap_or_else(|| "–".into()),
            m.reached.clone().unwrap_or_else(|| "not yet".into()),
            m.met.map_or("–", |x| if x { "yes" } else { "no" }).to_string(),
        ]
    });
    out.push_str("<h2>Milestones</h2>\n");
    let header = ["milestone", "premises with a smart meter, %", "due", "reached", "met"];
    table(&mut out, "The first month whose end meets each coverage milestone.", &header, milestones.collect());
    let years = s.years.iter().map(|y| {
        let n = [y.installs, y.no_wan_installs, y.lost_installs, y.ch_forecast, y.ch_delivered, y.ch_stock_end];
        let mut row = vec![y.year.to_string()];
        row.extend(n.iter().map(|&v| thousands(v)));
        row.extend([thousands(y.hubs_2g3g_end), thousands(y.hub_swaps), format!("{:.1}", y.coverage_pct_end)]);
        row.push(thousands(y.enrolled_end));
        row
    });
    out.push_str("<h2>Year by year</h2>\n");
    let header = [
        "year",
        "installs",
        "without WAN",
        "lost (no hub)",
        "hubs forecast",
        "hubs delivered",
        "hub stock at end",
        "2G/3G hubs at end",
        "4G swaps",
        "coverage at end, %",
        "enrolled at end",
    ];
    table(&mut out, "GB totals, in premises (one Communications Hub each).", &header, years.collect());
    let suppliers = s.suppliers.iter().map(|x| {
        let n = [x.ch_forecast, x.ch_delivered, x.ch_used, x.ch_stock_peak, x.ch_expired, x.lost_installs];
        let mut row = vec![escape(&x.supplier)];
        row.extend(n.iter().map(|&v| thousands(v)));
        row.push(thousands(x.forecasts_late));
        row
    });
    out.push_str("<h2>Communications Hubs per supplier</h2>\n");
    let header =
        ["supplier", "forecast", "delivered", "used", "peak stock", "expired", "installs lost", "late forecasts"];
    table(&mut out, "The whole run, under SEC F5's forecasts and orders.", &header, suppliers.collect());
    if !s.calibration.is_empty() {
        let rows = s.calibration.iter().map(|c| {
            let measure = serde_json::to_value(c.measure).ok().and_then(|v| v.as_str().map(String::from));
            vec![
                c.month.clone(),
                escape(&measure.unwrap_or_default()),
                format!("{:.2}", c.published_m),
                format!("{:.2}", c.simulated_m),
                format!("{:+.1}", c.error_pct),
                escape(c.source),
            ]
        });
        out.push_str("<h2>Calibration</h2>\n");
        let header = ["month", "measure", "published, m meters", "simulated, m meters", "error, %", "source"];
        table(&mut out, "The simulated installed base against published figures (DOMAIN §5).", &header, rows.collect());
    }
    crate::html::figures(&mut out, plots);
    let _ = write!(
        out,
        "<footer>Written by dccsim {}. Monthly figures per supplier and DNO area are in \
         <code>rollout.parquet</code>; these numbers are in <code>summary.json</code>.</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}
