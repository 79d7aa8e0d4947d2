//! Running a sweep: every (point, replication) job, or one shard's slice of them,
//! in parallel, one job per thread; and the figures kept of each run.
//!
//! The r-th replication of every point uses replication index r in its random
//! streams (common random numbers) and the base scenario's seed. Rows are sorted by
//! (point, replication) before anything is written, so a sweep gives the same bytes
//! however it was sharded.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sim::{SimDuration, SimTime};

use crate::measures::{RunOutput, TrtFigures};
use crate::network::{RunOptions, run_with};
use crate::scenario::Scenario;
use crate::scenario::sweep::{SweepPoint, SweepSpec, point_scenario};

/// Which slice of the jobs a process runs: jobs `j` with `j % count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl Shard {
    /// The whole sweep in one process.
    pub const ALL: Shard = Shard { index: 0, count: 1 };
}

/// One run of one point.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationRow {
    /// The point's index.
    pub point: u32,
    /// The replication index (its random streams).
    pub replication: u32,
    /// Swept values, rendered as TOML, in parameter order.
    pub values: Vec<String>,
    /// The run's figures, in [`ReplicationFigures::NAMES`] order.
    pub figures: Vec<f64>,
}

/// A sweep, ready to run.
#[derive(Debug, Clone)]
pub struct SweepPlan {
    /// The scenario file's name, for errors.
    pub file: String,
    /// The scenario file's text.
    pub text: String,
    /// The base scenario (with any `--seed` and `--scale` applied).
    pub base: Scenario,
    /// `--scale`, which overrides every point's population.
    pub scale: Option<f64>,
    /// `--set` values, applied to every point before its own values.
    pub sets: Vec<crate::scenario::Set>,
    /// Its `[sweep]` (or a plain replication sweep).
    pub spec: SweepSpec,
}

impl SweepPlan {
    /// Every point (one empty point when nothing is swept).
    pub fn points(&self) -> Vec<SweepPoint> {
        self.spec.points()
    }

    /// The jobs of `shard`, as (point, replication), in job order.
    pub fn jobs(&self, shard: Shard) -> Vec<(usize, u32)> {
        (0..self.points().len())
            .flat_map(|p| (0..self.spec.replications).map(move |r| (p, r)))
            .enumerate()
            .filter(|(j, _)| *j as u32 % shard.count == shard.index)
            .map(|(_, job)| job)
            .collect()
    }

    /// Runs this shard's jobs on `threads` threads, one job per thread at a time;
    /// `on_done` is told of each finished job. Rows come in job order.
    pub fn run(&self, shard: Shard, threads: usize, on_done: &(dyn Fn(usize) + Sync)) -> Vec<ReplicationRow> {
        let points = self.points();
        let jobs = self.jobs(shard);
        let run_one = |&(p, r): &(usize, u32)| {
            let point = &points[p];
            let mut scenario = point_scenario(&self.file, &self.text, &self.sets, &point.assignments)
                .expect("sweep points are validated when the scenario loads");
            scenario.seed = self.base.seed;
            if let Some(scale) = self.scale {
                scenario.set_scale(scale).expect("--scale is checked when parsed");
            }
            crate::rollout::handover::resolve_population(&mut scenario);
            scenario.replication = r;
            let options = RunOptions { threads: 1, parallel_from_events: u64::MAX };
            let result = run_with(scenario.clone(), options, &mut |_| {});
            on_done(1);
            ReplicationRow {
                point: p as u32,
                replication: r,
                values: point.assignments.iter().map(|(_, v)| v.to_string()).collect(),
                figures: ReplicationFigures::of(&scenario, &result, self.spec.warmup).values().to_vec(),
            }
        };
        sim::with_threads(threads, || jobs.par_iter().map(run_one).collect())
    }
}

/// The figures a sweep keeps of one run. Requests submitted before the warm-up are
/// left out of the TRT figures; stage figures cover the buckets after it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationFigures {
    /// Requests counted (submitted after the warm-up).
    pub requests: u64,
    /// Mean TRT of answered requests, s.
    pub trt_mean_s: f64,
    /// Median TRT, s.
    pub trt_p50_s: f64,
    /// 95th percentile TRT, s.
    pub trt_p95_s: f64,
    /// 99th percentile TRT, s.
    pub trt_p99_s: f64,
    /// Share of counted requests answered within the target, %.
    pub within_target_pct: f64,
    /// Mean utilisation of the DSP's servers from the warm-up to the horizon (whole
    /// buckets), %.
    pub dsp_utilisation_pct: f64,
    /// Mean wait for a DSP server, s (whole run).
    pub dsp_mean_wait_s: f64,
    /// Mean wait at the User Gateway, s (whole run).
    pub user_gateway_mean_wait_s: f64,
    /// Alerts the hubs put on the air (whole run).
    pub alerts_sent: u64,
    /// AD1 copies delivered to DNOs (whole run).
    pub ad1_delivered_to_dno: u64,
    /// Mean AD1 latency to DNOs, raised to delivered, s (0 with none).
    pub ad1_dno_mean_latency_s: f64,
}

impl ReplicationFigures {
    /// Names of the figures, in [`ReplicationFigures::values`] order.
    pub const NAMES: [&'static str; 12] = [
        "requests",
        "trt_mean_s",
        "trt_p50_s",
        "trt_p95_s",
        "trt_p99_s",
        "within_target_pct",
        "dsp_utilisation_pct",
        "dsp_mean_wait_s",
        "user_gateway_mean_wait_s",
        "alerts_sent",
        "ad1_delivered_to_dno",
        "ad1_dno_mean_latency_s",
    ];

    /// The figures of one run.
    pub fn of(scenario: &Scenario, result: &RunOutput, warmup: SimDuration) -> ReplicationFigures {
        debug_assert_eq!(result.measures.warmup_end, SimTime::ZERO + warmup, "the run counted from the warm-up");
        let trt = TrtFigures::new(&result.measures.trt_after_warmup);
        let busy = result.measures.stages.dsp.busy.means();
        let bucket_s = result.measures.stages.dsp.busy.bucket().as_secs_f64();
        let first = (warmup.as_secs_f64() / bucket_s).ceil() as usize;
        let last = (scenario.horizon.as_secs_f64() / bucket_s).floor() as usize;
        let busy_sum: f64 = busy.iter().take(last).skip(first).sum();
        let capacity = result.measures.stages.dsp.servers as f64 * last.saturating_sub(first) as f64;
        let ad1 = &result.measures.alerts.dno_latency;
        ReplicationFigures {
            requests: trt.submitted,
            trt_mean_s: trt.mean_s,
            trt_p50_s: trt.p50_s,
            trt_p95_s: trt.p95_s,
            trt_p99_s: trt.p99_s,
            within_target_pct: trt.pct_within_target(),
            dsp_utilisation_pct: if capacity > 0.0 { 100.0 * busy_sum / capacity } else { 0.0 },
            dsp_mean_wait_s: result.measures.stages.dsp.mean_wait_s(),
            user_gateway_mean_wait_s: result.measures.stages.user_gateway.mean_wait_s(),
            alerts_sent: result.world.alert_plan.alerts.iter().filter(|a| a.fate.is_none()).count() as u64,
            ad1_delivered_to_dno: ad1.count(),
            ad1_dno_mean_latency_s: ad1.mean_s(),
        }
    }

    /// The figures as numbers, in [`ReplicationFigures::NAMES`] order.
    pub fn values(&self) -> [f64; 12] {
        [
            self.requests as f64,
            self.trt_mean_s,
            self.trt_p50_s,
            self.trt_p95_s,
            self.trt_p99_s,
            self.within_target_pct,
            self.dsp_utilisation_pct,
            self.dsp_mean_wait_s,
            self.user_gateway_mean_wait_s,
            self.alerts_sent as f64,
            self.ad1_delivered_to_dno as f64,
            self.ad1_dno_mean_latency_s,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(points: usize, replications: u32) -> SweepPlan {
        let values: Vec<String> = (1..=points).map(|v| (4 * v).to_string()).collect();
        let text = format!(
            "[scenario]\nname = \"t\"\nhorizon_s = 60\n[sweep]\nreplications = {replications}\n\
             [sweep.parameters]\n\"dsp.servers\" = [{}]\n",
            values.join(", ")
        );
        let base = Scenario::parse("t.toml", &text).unwrap();
        let spec = base.sweep.clone().unwrap();
        SweepPlan { file: "t.toml".into(), text, base, scale: None, sets: Vec::new(), spec }
    }

    #[test]
    fn shards_split_the_jobs_without_overlap_or_gap() {
        let p = plan(3, 4);
        let all = p.jobs(Shard::ALL);
        assert_eq!(all.len(), 12);
        let mut joined: Vec<(usize, u32)> = (0..5).flat_map(|i| p.jobs(Shard { index: i, count: 5 })).collect();
        joined.sort_unstable();
        assert_eq!(joined, all);
        assert_eq!(p.jobs(Shard { index: 4, count: 5 }), [(1, 0), (2, 1)], "jobs 4 and 9");
    }
}
