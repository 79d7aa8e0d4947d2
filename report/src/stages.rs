//! `stages.parquet`: each stage's figures bucket by bucket
//! ([`models::measures::stages`]).
//!
//! Its columns are declared in [`STAGES`] (and listed in docs/outputs.md).
//!
//! Rows go stage by stage in path order, then bucket by bucket from time zero to the
//! run's end, zero-filled where a stage saw nothing. Means are over the part of the
//! bucket inside the run, so `Σ utilisation × bucket_s / Σ bucket_s` is the stage's
//! utilisation in `summary.json`.

use std::fs::File;
use std::path::Path;

use models::calendar::Date;
pub use models::measures::stages::{Bucket, StageSeries, stage_series, stages};
use polars::prelude::*;

use crate::ReportError;
use crate::schema::tables::STAGES;

fn frame(s: &StageSeries, start: Date) -> Result<DataFrame, ReportError> {
    let b = &s.buckets;
    let f64_col =
        |name: &str, f: &dyn Fn(&Bucket) -> f64| Column::new(name.into(), b.iter().map(f).collect::<Vec<f64>>());
    let columns = vec![
        Column::new("stage".into(), vec![s.stage.as_str(); b.len()]),
        f64_col("bucket_start_s", &|x| x.start_s),
        f64_col("bucket_s", &|x| x.width_s),
        Column::new("servers".into(), vec![s.servers; b.len()]),
        Column::new("completions".into(), b.iter().map(|x| x.completions).collect::<Vec<u64>>()),
        f64_col("mean_in_system", &|x| x.mean_in_system),
        f64_col("mean_queued", &|x| x.mean_queued),
        f64_col("mean_busy", &|x| x.mean_busy),
        f64_col("utilisation", &|x| s.utilisation(x)),
    ];
    STAGES.frame_at(start, b.len(), columns)
}

/// Writes `stages.parquet` to `path`: one row group per stage; `start` is the
/// calendar day of time zero.
pub fn write(path: &Path, series: &[StageSeries], start: Date) -> Result<(), ReportError> {
    let file = File::create(path).map_err(|source| ReportError::Io { path: path.display().to_string(), source })?;
    let empty = StageSeries { stage: String::new(), servers: 0, buckets: Vec::new() };
    let schema = frame(&empty, start)?.schema().as_ref().clone();
    let mut writer = ParquetWriter::new(file).with_compression(ParquetCompression::Zstd(None)).batched(&schema)?;
    for s in series {
        writer.write_batch(&frame(s, start)?)?;
    }
    writer.finish()?;
    Ok(())
}
