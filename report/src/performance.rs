//! `performance.parquet`: the Code Performance Measures per calendar month and for
//! the whole run, against their Target and Minimum Service Levels; and
//! `performance_detail.parquet`, the counts they are summed from, per month × CSP
//! region × DCC User × SRV.
//!
//! Their columns are declared in [`PERFORMANCE`] and [`PERFORMANCE_DETAIL`] (and
//! listed in docs/outputs.md).

use std::path::Path;

use polars::prelude::*;

use models::measures::CpmCounts;

use crate::schema::tables::{PERFORMANCE, PERFORMANCE_DETAIL};
use crate::summary::MeasureRow;
use crate::{ReportError, write_parquet};

/// Writes the measures to `path`.
pub fn write(path: &Path, rows: &[MeasureRow]) -> Result<(), ReportError> {
    let str_col = |name: &str, f: &dyn Fn(&MeasureRow) -> &str| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<&str>>())
    };
    let mut df = PERFORMANCE.frame(
        rows.len(),
        vec![
            str_col("period", &|m| m.period.as_str()),
            str_col("measure", &|m| m.measure.as_str()),
            Column::new("counted".into(), rows.iter().map(|m| m.counted).collect::<Vec<u64>>()),
            Column::new("within_target".into(), rows.iter().map(|m| m.within_target).collect::<Vec<u64>>()),
            Column::new("value_pct".into(), rows.iter().map(|m| m.value_pct).collect::<Vec<Option<f64>>>()),
            Column::new("target_pct".into(), rows.iter().map(|m| m.target_pct).collect::<Vec<f64>>()),
            Column::new("minimum_pct".into(), rows.iter().map(|m| m.minimum_pct).collect::<Vec<f64>>()),
            str_col("status", &|m| m.status.as_str()),
        ],
    )?;
    write_parquet(path, &mut df)
}

/// Writes the CPM1 and CPM2 counts per month × CSP region × User × SRV to `path`,
/// one row per measure with any request counted; `users` names the run's Users.
pub fn write_detail(path: &Path, counts: &CpmCounts, users: &[String]) -> Result<(), ReportError> {
    let mut rows = Vec::new();
    for ((month, region, user, srv), tallies) in counts.requests() {
        for (measure, t) in ["CPM1", "CPM2"].into_iter().zip(tallies) {
            if t.counted > 0 {
                rows.push((month.label(), measure, *region, users[usize::from(*user)].as_str(), *srv, *t));
            }
        }
    }
    let str_col = |name: &str, v: Vec<&str>| Column::new(name.into(), v);
    let mut df = PERFORMANCE_DETAIL.frame(
        rows.len(),
        vec![
            str_col("period", rows.iter().map(|r| r.0.as_str()).collect()),
            str_col("measure", rows.iter().map(|r| r.1).collect()),
            str_col("csp_region", rows.iter().map(|r| r.2.key()).collect()),
            str_col("csp", rows.iter().map(|r| r.2.csp()).collect()),
            str_col("user", rows.iter().map(|r| r.3).collect()),
            str_col("sr_group", rows.iter().map(|r| r.4.split('.').next().unwrap_or(r.4)).collect()),
            str_col("srv", rows.iter().map(|r| r.4).collect()),
            Column::new("counted".into(), rows.iter().map(|r| r.5.counted).collect::<Vec<u64>>()),
            Column::new("within_target".into(), rows.iter().map(|r| r.5.within_target).collect::<Vec<u64>>()),
            Column::new(
                "value_pct".into(),
                rows.iter()
                    .map(|r| (r.5.counted > 0).then(|| 100.0 * r.5.within_target as f64 / r.5.counted as f64))
                    .collect::<Vec<Option<f64>>>(),
            ),
        ],
    )?;
    write_parquet(path, &mut df)
}
