//! `downtime.parquet`: with `[[user_gateway.downtime]]`, one row per window the
//! User Gateway was down: what its Users sent meanwhile, how it ended, and how
//! long the backlog took to drain (figures from [`models::measures::downtime`]).
//!
//! Its columns are declared in [`DOWNTIME`] (and listed in docs/outputs.md).

use std::path::Path;

use models::calendar::Date;
use models::measures::downtime::WindowRow;
use polars::prelude::*;

use crate::schema::tables::DOWNTIME;
use crate::{ReportError, write_parquet};

/// Writes the windows to `path`; `start` is the calendar day of time zero.
pub fn write(path: &Path, rows: &[WindowRow], start: Date) -> Result<(), ReportError> {
    let u64_col =
        |name: &str, f: &dyn Fn(&WindowRow) -> u64| Column::new(name.into(), rows.iter().map(f).collect::<Vec<u64>>());
    let f64_col =
        |name: &str, f: &dyn Fn(&WindowRow) -> f64| Column::new(name.into(), rows.iter().map(f).collect::<Vec<f64>>());
    let opt_col = |name: &str, f: &dyn Fn(&WindowRow) -> Option<f64>| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<Option<f64>>>())
    };
    let str_col = |name: &str, f: &dyn Fn(&WindowRow) -> &'static str| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<&str>>())
    };
    let columns = vec![
        Column::new("window".into(), rows.iter().map(|r| r.window).collect::<Vec<u32>>()),
        Column::new("entry".into(), rows.iter().map(|r| u32::from(r.entry)).collect::<Vec<u32>>()),
        str_col("kind", &|r| r.kind),
        str_col("users", &|r| r.users),
        f64_col("start_s", &|r| r.start_s),
        f64_col("end_s", &|r| r.end_s),
        u64_col("sent", &|r| r.sent),
        u64_col("received", &|r| r.received),
        u64_col("refused", &|r| r.refused),
        u64_col("responded", &|r| r.responded),
        u64_col("unfinished", &|r| r.unfinished),
        u64_col("refusals", &|r| r.refusals),
        opt_col("mean_wait_s", &|r| r.mean_wait_s),
        opt_col("max_wait_s", &|r| r.max_wait_s),
        opt_col("drain_s", &|r| r.drain_s),
        opt_col("answered_by_s", &|r| r.answered_by_s),
        u64_col("after_received", &|r| r.after_received),
        opt_col("after_within_target_pct", &|r| r.after_within_target_pct),
        opt_col("after_trt_max_s", &|r| r.after_trt_max_s),
    ];
    let mut df = DOWNTIME.frame_at(start, rows.len(), columns)?;
    write_parquet(path, &mut df)
}

/// Windows shown in the report's table; `downtime.parquet` has them all.
const SHOWN: usize = 50;

/// The first-screen answer for a run whose User Gateway was down: what its Users
/// sent meanwhile, how much DCC never received, how long the backlog took to drain,
/// how the hour after went, and DSP availability; then a table of the windows.
pub fn section(out: &mut String, d: &models::measures::downtime::DowntimeSummary) {
    use std::fmt::Write as _;

    use crate::html::escape;
    use crate::plots::thousands;
    let start = Date::parse(&d.start_date).unwrap_or(Date::EPOCH);
    let clock = |s: f64| start.clock(sim::SimTime::from_secs_f64(s));
    let _ = writeln!(out, "<h2>The User Gateway down</h2>\n<p class=\"answer\">{}</p>", escape(&sentence(d)));
    let shown = d.windows.len().min(SHOWN);
    let which = if shown < d.windows.len() {
        format!("The first {shown} of the {} windows", d.windows.len())
    } else {
        "Each window".to_string()
    };
    let _ = writeln!(
        out,
        "<table class=\"downtime\">\n<caption>{which} the gateway was closed. Clock times are UTC; \
         <code>downtime.parquet</code> has every figure.</caption>\n<thead><tr><th>window</th><th>kind</th>\
         <th>Users</th><th>closed</th><th>opened</th><th>sent meanwhile</th><th>refused for good</th>\
         <th>refusals</th><th>mean wait to receipt</th><th>backlog in by</th><th>received in the hour after</th>\
         <th>of them within TRT</th></tr></thead>\n<tbody>"
    );
    for w in &d.windows[..shown] {
        let minutes =
            |s: Option<f64>, after: &str| s.map_or_else(|| "–".to_string(), |s| format!("{:.1} min{after}", s / 60.0));
        let pct = w.after_within_target_pct.map_or_else(|| "n/a".to_string(), |p| format!("{p:.2} %"));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{pct}</td></tr>",
            w.window,
            w.kind,
            w.users,
            clock(w.start_s),
            clock(w.end_s),
            thousands(w.sent),
            thousands(w.refused),
            thousands(w.refusals),
            minutes(w.mean_wait_s, ""),
            minutes(w.drain_s, " after"),
            thousands(w.after_received),
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    let _ = writeln!(
        out,
        "<table class=\"availability\">\n<caption>DSP availability (PM 2.1): 1 − unplanned downtime ÷ time, over \
         the part of each month the run covers; Planned Maintenance is left out.</caption>\n<thead><tr>\
         <th>month</th><th>minutes covered</th><th>unplanned minutes</th><th>availability</th></tr></thead>\n<tbody>"
    );
    for a in &d.availability {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{:.0}</td><td>{:.1}</td><td>{:.3} %</td></tr>",
            a.period, a.minutes, a.unplanned_minutes, a.availability_pct
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

/// The answer in one sentence (or a few).
pub fn sentence(d: &models::measures::downtime::DowntimeSummary) -> String {
    use crate::plots::thousands;
    let sent: u64 = d.windows.iter().map(|w| w.sent).sum();
    let hours =
        |kind: &str| d.windows.iter().filter(|w| w.kind == kind).map(|w| w.end_s - w.start_s).sum::<f64>() / 3600.0;
    let mut out = format!(
        "The User Gateway was closed {} time(s), {:.1} h planned and {:.1} h unplanned. Users sent {} requests \
         meanwhile; {} of them never reached DCC (refused for good), after {} refused attempts in all.",
        d.windows.len(),
        hours("planned"),
        hours("unplanned"),
        thousands(sent),
        thousands(d.refused),
        thousands(d.refused_attempts)
    );
    let drain = |w: &&models::measures::downtime::WindowRow| w.drain_s.unwrap_or(0.0);
    if let Some(w) = d.windows.iter().filter(|w| w.drain_s.is_some()).max_by(|a, b| drain(a).total_cmp(&drain(b))) {
        out += &format!(
            " The longest backlog (window {}) was all received {:.1} min after the gateway opened",
            w.window,
            w.drain_s.unwrap_or(0.0) / 60.0
        );
        out += &match w.after_within_target_pct {
            Some(p) => {
                format!(", and {p:.2} % of the requests received in the hour after were answered within target.")
            }
            None => ".".to_string(),
        };
    }
    if let Some(a) = d.availability.iter().min_by(|a, b| a.availability_pct.total_cmp(&b.availability_pct)) {
        out +=
            &format!(" DSP availability (PM 2.1) was {:.3} % in {}, the lowest month.", a.availability_pct, a.period);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use models::measures::downtime::{DowntimeSummary, WindowRow};

    fn window(i: u32) -> WindowRow {
        WindowRow {
            window: i,
            entry: 0,
            kind: "planned",
            users: "hold",
            start_s: f64::from(i) * 86_400.0,
            end_s: f64::from(i) * 86_400.0 + 3_600.0,
            sent: 10,
            received: 10,
            refused: 0,
            responded: 10,
            unfinished: 0,
            refusals: 0,
            mean_wait_s: Some(60.0),
            max_wait_s: Some(120.0),
            drain_s: Some(0.0),
            answered_by_s: Some(30.0),
            after_received: 5,
            after_within_target_pct: Some(100.0),
            after_trt_max_s: Some(12.0),
        }
    }

    /// A daily window over 60 days: the table shows the first 50 and says so.
    #[test]
    fn a_long_list_of_windows_is_cut_and_says_so() {
        let d = DowntimeSummary {
            start_date: "2026-11-01".into(),
            refused_attempts: 0,
            held: 600,
            refused: 0,
            windows: (0..60).map(window).collect(),
            availability: Vec::new(),
        };
        let mut html = String::new();
        section(&mut html, &d);
        assert!(html.contains("The first 50 of the 60 windows the gateway was closed"), "{html}");
        assert_eq!(html.matches("<td>planned</td>").count(), 50);
        assert!(html.contains("<td>2026-11-01 00:00:00</td><td>2026-11-01 01:00:00</td>"));
        assert!(html.contains("<td>1.0 min</td><td>0.0 min after</td>"), "{html}");
    }
}
