//! The stages a request passes, in path order, and their figures bucket by bucket
//! (the rows of `stages.parquet`).
//!
//! Buckets run from time zero to the run's end, zero-filled where a stage saw
//! nothing. Means are over the part of the bucket inside the run, so
//! `Σ utilisation × bucket_s / Σ bucket_s` is the stage's whole-run utilisation.

use sim::StationStats;
use sim::stats::LevelSeries;

use super::RunOutput;
use crate::region::CspRegion;

/// The stages of a run in path order, named as in every output. The one list of
/// stages: a new stage added here appears in the summary, the table and the plots.
pub fn stages(result: &RunOutput) -> Vec<(String, &StationStats)> {
    let s = &result.measures.stages;
    let mut list = vec![
        ("user_gateway".to_string(), &s.user_gateway),
        ("dsp".to_string(), &s.dsp),
        ("cos_party".to_string(), &s.cos_party),
    ];
    if result.world.scenario.smets1_service.enabled {
        list.push(("smets1_service".to_string(), &s.smets1_service));
    }
    for region in CspRegion::ALL {
        list.push((format!("wan_cells_{}", region.key()), &s.wan_cells[region.index()]));
    }
    if !result.world.outages.is_empty() || result.measures.device_alerts.raised > 0 {
        list.push(("alert_delivery".to_string(), &s.alert_delivery));
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

/// The stage that saturates first if the load grows: the one with the highest
/// utilisation in any whole bucket before the horizon (the busiest minutes, not
/// the day's mean), and that bucket.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Saturation {
    /// The stage.
    pub stage: String,
    /// Its utilisation in its busiest bucket, %.
    pub peak_utilisation_pct: f64,
    /// That bucket's start, s.
    pub peak_at_s: f64,
    /// The buckets' width, s.
    pub bucket_s: f64,
    /// The multiple of the run's load at which that bucket would keep every server
    /// busy: `100 / peak_utilisation_pct`, on the assumption that a stage's work
    /// grows in proportion to the traffic. A WAN region's figure pools its cells'
    /// channels: its busiest cell (`busiest_cells`) fills before the region does.
    pub load_multiple: f64,
}

impl Saturation {
    /// The stage of `series` (with servers) busiest in a whole bucket starting
    /// before `horizon_s`; none if no stage did any work.
    pub fn of(series: &[StageSeries], horizon_s: f64) -> Option<Saturation> {
        let mut best: Option<Saturation> = None;
        for s in series.iter().filter(|s| s.servers > 0) {
            let full_s = s.buckets.first().map_or(0.0, |b| b.width_s);
            for b in s.buckets.iter().filter(|b| b.start_s < horizon_s && b.width_s >= full_s) {
                let pct = 100.0 * s.utilisation(b);
                if pct > 0.0 && best.as_ref().is_none_or(|x| pct > x.peak_utilisation_pct) {
                    best = Some(Saturation {
                        stage: s.stage.clone(),
                        peak_utilisation_pct: pct,
                        peak_at_s: b.start_s,
                        bucket_s: full_s,
                        load_multiple: 100.0 / pct,
                    });
                }
            }
        }
        best
    }
}

/// Every stage's series, in path order, over `[0, result.end)`.
pub fn stage_series(result: &RunOutput) -> Vec<StageSeries> {
    let end_s = result.measures.run.end.as_secs_f64();
    stages(result).into_iter().map(|(name, stats)| series_of(name, stats, end_s)).collect()
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
