//! `performance.parquet`: the Code Performance Measures per calendar month and for
//! the whole run, against their Target and Minimum Service Levels.
//!
//! Its columns are declared in [`PERFORMANCE`] (and listed in docs/outputs.md).

use std::path::Path;

use polars::prelude::*;

use crate::schema::tables::PERFORMANCE;
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
