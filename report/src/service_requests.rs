//! `service_requests.parquet`: one row per Service Request.
//!
//! Its columns are declared in [`SERVICE_REQUESTS`] (and listed in docs/outputs.md).
//!
//! Times are exact microsecond counts shown in seconds. Rows are in `sr_id` order,
//! in row groups of [`ROW_GROUP_ROWS`], so writing takes bounded memory.

use models::scenario::{OutputSpec, RowChoice};
use std::fs::File;
use std::path::Path;

use models::service_request::ServiceRequestRecord;
use polars::prelude::*;

use crate::ReportError;
use crate::schema::tables::SERVICE_REQUESTS;

/// Rows per Parquet row group (and per batch held in memory while writing).
pub const ROW_GROUP_ROWS: usize = 1 << 20;

fn secs(us: u64) -> f64 {
    us as f64 / 1e6
}

fn batch(records: &[ServiceRequestRecord], users: &[String]) -> Result<DataFrame, ReportError> {
    let col_str = |name: &str, f: &dyn Fn(&ServiceRequestRecord) -> &'static str| {
        Column::new(name.into(), records.iter().map(f).collect::<Vec<&str>>())
    };
    let trt = |r: &ServiceRequestRecord| r.trt().map(|t| secs(t.0));
    let columns = vec![
        Column::new("sr_id".into(), records.iter().map(|r| r.sr_id).collect::<Vec<u64>>()),
        col_str("srv", &|r| r.srv),
        col_str("user_role", &|r| r.user_role.code()),
        Column::new("user".into(), records.iter().map(|r| users[usize::from(r.user)].as_str()).collect::<Vec<&str>>()),
        col_str("mode", &|r| r.mode.as_str()),
        Column::new("critical".into(), records.iter().map(|r| r.critical).collect::<Vec<bool>>()),
        Column::new("premises_id".into(), records.iter().map(|r| r.premises).collect::<Vec<u32>>()),
        col_str("csp_region", &|r| r.region.key()),
        Column::new("submitted_s".into(), records.iter().map(|r| secs(r.submitted.0)).collect::<Vec<f64>>()),
        Column::new(
            "responded_s".into(),
            records.iter().map(|r| r.responded.map(|t| secs(t.0))).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("user_signing_s".into(), records.iter().map(|r| secs(r.user_signing.0)).collect::<Vec<f64>>()),
        Column::new(
            "execution_s".into(),
            records.iter().map(|r| r.execution.map(|t| secs(t.0))).collect::<Vec<Option<f64>>>(),
        ),
        Column::new("trt_s".into(), records.iter().map(trt).collect::<Vec<Option<f64>>>()),
        Column::new("target_s".into(), records.iter().map(|r| r.target.as_secs_f64()).collect::<Vec<f64>>()),
        Column::new(
            "within_target".into(),
            records.iter().map(ServiceRequestRecord::within_target).collect::<Vec<bool>>(),
        ),
        col_str("outcome", &|r| r.outcome.as_str()),
    ];
    SERVICE_REQUESTS.frame(records.len(), columns)
}

/// Writes `records` to `path`: those of the premises `output` keeps (`[output] rows`).
pub fn write(
    path: &Path,
    records: &[ServiceRequestRecord],
    users: &[String],
    output: OutputSpec,
) -> Result<(), ReportError> {
    let file = File::create(path).map_err(|source| ReportError::Io { path: path.display().to_string(), source })?;
    let schema = batch(&[], users)?.schema().as_ref().clone();
    let mut writer = ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .with_row_group_size(Some(ROW_GROUP_ROWS))
        .batched(&schema)?;
    if output.rows == RowChoice::All {
        for chunk in records.chunks(ROW_GROUP_ROWS) {
            writer.write_batch(&batch(chunk, users)?)?;
        }
        writer.finish()?;
        return Ok(());
    }
    // Row groups of ROW_GROUP_ROWS kept rows, gathered a group at a time so a
    // sample never copies the whole table.
    let mut kept = Vec::with_capacity(ROW_GROUP_ROWS.min(records.len()));
    for record in records.iter().filter(|r| output.keeps(r.premises)) {
        kept.push(record.clone());
        if kept.len() == ROW_GROUP_ROWS {
            writer.write_batch(&batch(&kept, users)?)?;
            kept.clear();
        }
    }
    if !kept.is_empty() {
        writer.write_batch(&batch(&kept, users)?)?;
    }
    writer.finish()?;
    Ok(())
}
