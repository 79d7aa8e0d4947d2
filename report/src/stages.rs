//! The stages a request passes, and `stages.parquet`: their figures bucket by bucket.
//!
//! | column | type | unit | meaning |
//! |---|---|---|---|
//! | `stage` | string | | "user_gateway", "dsp", "wan_cells_north", … (see [`stages`]) |
//! | `bucket_start_s` | f64 | s | start of the bucket |
//! | `bucket_s` | f64 | s | width of the bucket; the last one ends at the run's end |
//! | `servers` | u64 | | servers of the stage (channels, for WAN cells) |
//! | `completions` | u64 | | jobs that completed service in the bucket |
//! | `mean_in_system` | f64 | jobs | time-averaged jobs waiting or in service |
//! | `mean_queued` | f64 | jobs | time-averaged jobs waiting for a server |
//! | `mean_busy` | f64 | servers | time-averaged busy servers |
//! | `utilisation` | f64 | fraction | `mean_busy / servers` |
//!
//! Rows go stage by stage in path order, then bucket by bucket from time zero to the
//! run's end, zero-filled where a stage saw nothing. Means are over the part of the
//! bucket inside the run, so `Σ utilisation × bucket_s / Σ bucket_s` is the stage's
//! utilisation in `summary.json`.

use std::fs::File;
use std::path::Path;

use models::network::RunResult;
use models::region::CspRegion;
use polars::prelude::*;
use sim::StationStats;
use sim::stats::LevelSeries;

use crate::ReportError;

/// The stages of a run in path order, named as in every output. The one list of
/// stages: a new stage added here appears in the summary, the table and the plots.
pub fn stages(result: &RunResult) -> Vec<(String, &StationStats)> {
    let mut list = vec![
        ("user_gateway".to_string(), &result.user_gateway),
        ("dsp".to_string(), &result.dsp),
        ("cos_party".to_string(), &result.cos_party),
    ];
    for region in CspRegion::ALL {
        list.push((format!("wan_cells_{}", region.key()), &result.wan_cells[region.index()]));
    }
    if !result.outages.is_empty() || result.device_alerts.raised > 0 {
        list.push(("alert_delivery".to_string(), &result.alert_delivery));
    }
    list
}

/// A stage's figures over one time bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Start of the bucket, s.
    pub start_s: f64,
    /// Width of the bucket inside the run, s.
    pub width_s: f64,
    /// Jobs that completed service in the bucket.
    pub completions: u64,
    /// Time-averaged jobs waiting or in service.
    pub mean_in_system: f64,
    /// Time-averaged jobs waiting.
    pub mean_queued: f64,
    /// Time-averaged busy servers.
    pub mean_busy: f64,
}

/// One stage's figures, bucket by bucket over the whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct StageSeries {
    /// Stage name, as in [`stages`].
    pub stage: String,
    /// Servers of the stage.
    pub servers: u64,
    /// Buckets from time zero to the run's end.
    pub buckets: Vec<Bucket>,
}

impl StageSeries {
    /// Busy servers over servers in bucket `b` (0 for a stage without servers).
    pub fn utilisation(&self, b: &Bucket) -> f64 {
        if self.servers == 0 { 0.0 } else { b.mean_busy / self.servers as f64 }
    }
}

/// Per-bucket means of `series` over the covered part of each bucket.
fn bucket_means(series: &LevelSeries, widths_s: &[f64]) -> Vec<f64> {
    let full_s = series.bucket().as_secs_f64();
    let means = series.means();
    widths_s
        .iter()
        .enumerate()
        .map(|(i, &w)| if w > 0.0 { means.get(i).copied().unwrap_or(0.0) * full_s / w } else { 0.0 })
        .collect()
}

fn series_of(stage: String, stats: &StationStats, end_s: f64) -> StageSeries {
    let bucket_s = stats.busy.bucket().as_secs_f64();
    let n = (end_s / bucket_s).ceil() as usize;
    let starts: Vec<f64> = (0..n).map(|i| i as f64 * bucket_s).collect();
    let widths: Vec<f64> = starts.iter().map(|&s| (end_s - s).min(bucket_s)).collect();
    let sums = stats.throughput.sums();
    let mut completions: Vec<u64> = (0..n).map(|i| sums.get(i).copied().unwrap_or(0)).collect();
    // A completion at exactly the run's end, when that is a bucket boundary, falls in
    // the bucket starting there: count it in the last bucket of the run.
    if let Some(last) = completions.last_mut() {
        *last += sums.iter().skip(n).sum::<u64>();
    }
    let (in_system, queued, busy) = (
        bucket_means(&stats.in_system, &widths),
        bucket_means(&stats.queued, &widths),
        bucket_means(&stats.busy, &widths),
    );
    let buckets = (0..n)
        .map(|i| Bucket {
            start_s: starts[i],
            width_s: widths[i],
            completions: completions[i],
            mean_in_system: in_system[i],
            mean_queued: queued[i],
            mean_busy: busy[i],
        })
        .collect();
    StageSeries { stage, servers: stats.servers, buckets }
}

/// Every stage's series, in path order, over `[0, result.end)`.
pub fn stage_series(result: &RunResult) -> Vec<StageSeries> {
    let end_s = result.end.as_secs_f64();
    stages(result).into_iter().map(|(name, stats)| series_of(name, stats, end_s)).collect()
}

fn frame(s: &StageSeries) -> PolarsResult<DataFrame> {
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
    DataFrame::new(b.len(), columns)
}

/// Writes `stages.parquet` to `path`: one row group per stage.
pub fn write(path: &Path, series: &[StageSeries]) -> Result<(), ReportError> {
    let file = File::create(path).map_err(|source| ReportError::Io { path: path.display().to_string(), source })?;
    let empty = StageSeries { stage: String::new(), servers: 0, buckets: Vec::new() };
    let schema = frame(&empty)?.schema().as_ref().clone();
    let mut writer = ParquetWriter::new(file).with_compression(ParquetCompression::Zstd(None)).batched(&schema)?;
    for s in series {
        writer.write_batch(&frame(s)?)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::{SimDuration, SimTime, Station};

    #[test]
    fn the_last_bucket_ends_with_the_run_and_means_cover_only_it() {
        // One server busy from 0 to 90 s; buckets of 60 s; the run ends at 90 s.
        let mut stats = StationStats::new(SimDuration::from_secs(60));
        let mut station = Station::new(1, &mut stats);
        station.arrive(SimTime::ZERO, SimDuration::from_secs(90), (), &mut stats);
        station.complete(SimTime::from_secs(90), &mut stats);
        stats.close(SimTime::from_secs(90));
        let s = series_of("x".into(), &stats, 90.0);
        assert_eq!(s.buckets.len(), 2);
        assert_eq!((s.buckets[1].start_s, s.buckets[1].width_s), (60.0, 30.0));
        assert!(s.buckets.iter().all(|b| (s.utilisation(b) - 1.0).abs() < 1e-12), "busy all the time");
        assert_eq!(s.buckets[1].completions, 1);
    }

    #[test]
    fn a_completion_at_an_end_on_a_bucket_boundary_is_kept() {
        let mut stats = StationStats::new(SimDuration::from_secs(60));
        let mut station = Station::new(2, &mut stats);
        station.arrive(SimTime::ZERO, SimDuration::from_secs(120), (), &mut stats);
        station.complete(SimTime::from_secs(120), &mut stats);
        stats.close(SimTime::from_secs(120));
        let s = series_of("x".into(), &stats, 120.0);
        assert_eq!(s.buckets.len(), 2);
        assert_eq!(s.buckets.iter().map(|b| b.completions).sum::<u64>(), 1);
        assert!((s.utilisation(&s.buckets[0]) - 0.5).abs() < 1e-12);
    }
}
