//! Running a sweep: every (point, replication) job, or one shard's slice of them,
//! in parallel, one job per thread; and the figures kept of each run.
//!
//! The r-th replication of every point uses replication index r in its random
//! streams (common random numbers) and the base scenario's seed. Rows are sorted by
//! (point, replication) before anything is written, so a sweep gives the same bytes
//! however it was sharded.
//!
//! Each job runs isolated: a job that panics becomes a row whose outcome is
//! [`JobOutcome::Failed`], with the panic's message and place, and every other job
//! still runs to its figures (see `isolation`).

mod isolation;

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sim::{SimDuration, SimTime};

use crate::measures::rows::Discard;
use crate::measures::{RunOutput, TrtFigures};
use crate::network::{RunOptions, run_world};
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
    /// The run's figures, or why there are none.
    pub outcome: JobOutcome,
}

/// How one job (one replication of one point) ended.
#[derive(Debug, Clone, PartialEq)]
pub enum JobOutcome {
    /// The run finished: its figures, in [`ReplicationFigures::NAMES`] order.
    Ok(Vec<f64>),
    /// The run panicked: a bug, or a scenario the checks let through. The other
    /// jobs are not affected.
    Failed {
        /// The panic's message, after its place when known:
        /// `panicked at FILE:LINE:COL: …`.
        message: String,
    },
}

impl ReplicationRow {
    /// The run's figures, if it finished.
    pub fn figures(&self) -> Option<&[f64]> {
        match &self.outcome {
            JobOutcome::Ok(figures) => Some(figures),
            JobOutcome::Failed { .. } => None,
        }
    }

    /// Why the run failed, if it did.
    pub fn failure(&self) -> Option<&str> {
        match &self.outcome {
            JobOutcome::Ok(_) => None,
            JobOutcome::Failed { message } => Some(message),
        }
    }
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
    /// `on_done` is told of each finished job. Rows come in job order, one per job:
    /// a job that fails is a failed row, and the others run on.
    pub fn run(&self, shard: Shard, threads: usize, on_done: &(dyn Fn(&ReplicationRow) + Sync)) -> Vec<ReplicationRow> {
        let never = AtomicBool::new(false);
        self.run_until_stopped(shard, threads, &[], on_done, &never).expect("a sweep nobody stops runs to its end")
    }

    /// [`SweepPlan::run`], stopping every job at its next barrier once `stop` is set
    /// (by a signal handler, say), and starting no more: `None` then, as a sweep cut
    /// short has no figures to give. Each job keeps only its figures: its rows go
    /// nowhere. The jobs of `done` (an interrupted sweep's, resumed) are not run
    /// again: their rows join the others, in job order.
    pub fn run_until_stopped(
        &self,
        shard: Shard,
        threads: usize,
        done: &[ReplicationRow],
        on_done: &(dyn Fn(&ReplicationRow) + Sync),
        stop: &AtomicBool,
    ) -> Option<Vec<ReplicationRow>> {
        let options = RunOptions { threads: 1, parallel_from_events: u64::MAX };
        let runner = |scenario: Scenario| {
            if stop.load(Ordering::Relaxed) {
                return None; // Start no more runs.
            }
            let world = std::sync::Arc::new(crate::world::World::build(scenario));
            run_world(world, options, &mut |_| {}, stop, &mut Discard).ok()
        };
        let skip: std::collections::BTreeSet<(u32, u32)> = done.iter().map(|r| (r.point, r.replication)).collect();
        let mut rows = self.run_jobs_with(shard, threads, &skip, on_done, &runner);
        let mine: std::collections::BTreeSet<(usize, u32)> = self.jobs(shard).into_iter().collect();
        rows.extend(done.iter().filter(|r| mine.contains(&(r.point as usize, r.replication))).cloned());
        rows.sort_by_key(|r| (r.point, r.replication));
        (!stop.load(Ordering::Relaxed)).then_some(rows)
    }

    /// [`SweepPlan::run`] with `runner` in place of the network run: the seam a
    /// test uses to make one job fail.
    fn run_jobs_with(
        &self,
        shard: Shard,
        threads: usize,
        skip: &std::collections::BTreeSet<(u32, u32)>,
        on_done: &(dyn Fn(&ReplicationRow) + Sync),
        runner: &(dyn Fn(Scenario) -> Option<RunOutput> + Sync),
    ) -> Vec<ReplicationRow> {
        let points = self.points();
        let mut jobs = self.jobs(shard);
        jobs.retain(|&(p, r)| !skip.contains(&(p as u32, r)));
        let run_one = |&(p, r): &(usize, u32)| {
            let point = &points[p];
            let (outcome, finished) = match isolation::catch(|| self.figures_of(point, r, runner)) {
                Ok(Some(figures)) => (JobOutcome::Ok(figures), true),
                // Stopped: the sweep as a whole gives no rows (see `run_until_stopped`).
                Ok(None) => (JobOutcome::Failed { message: "stopped before its end".into() }, false),
                Err(message) => (JobOutcome::Failed { message }, true),
            };
            let row = ReplicationRow {
                point: p as u32,
                replication: r,
                values: point.assignments.iter().map(|(_, v)| v.to_string()).collect(),
                outcome,
            };
            if finished {
                on_done(&row);
            }
            row
        };
        sim::with_threads(threads, || jobs.par_iter().map(run_one).collect())
    }

    /// One job: replication `r` of `point`, run by `runner`, and its figures.
    fn figures_of(
        &self,
        point: &SweepPoint,
        r: u32,
        runner: &(dyn Fn(Scenario) -> Option<RunOutput> + Sync),
    ) -> Option<Vec<f64>> {
        let mut scenario = point_scenario(&self.file, &self.text, &self.sets, &point.assignments)
            .expect("sweep points are validated when the scenario loads");
        scenario.seed = self.base.seed;
        if let Some(scale) = self.scale {
            scenario.set_scale(scale).expect("--scale is checked when parsed");
        }
        crate::rollout::handover::resolve_population(&mut scenario);
        scenario.replication = r;
        let result = runner(scenario.clone())?;
        Some(ReplicationFigures::of(&scenario, &result, self.spec.warmup).values().to_vec())
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
            // NaN when none was judged: the tables show it as n/a.
            within_target_pct: trt.pct_within_target().unwrap_or(f64::NAN),
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
            "[scenario]\nname = \"t\"\nhorizon_s = 60\n[population]\npremises = 2000\n\
             [[traffic.streams]]\nname = \"reads\"\nsrv = \"4.1.1\"\nmode = \"on_demand\"\nuser_role = \"IS\"\n\
             rate_per_s = 5.0\nprofile = \"flat\"\npremises = \"electricity\"\n\
             [sweep]\nreplications = {replications}\n\
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

    /// Runs like [`SweepPlan::run`] but panics in replication 1 of the point with 8
    /// DSP servers (point 1), as a bug in the model would.
    fn failing_point_1_replication_1(scenario: Scenario) -> Option<RunOutput> {
        if scenario.dsp.servers == 8 && scenario.replication == 1 {
            let empty: &[u32] = &[];
            let _ = empty[scenario.replication as usize];
        }
        Some(crate::network::run_with(scenario, RunOptions { threads: 1, parallel_from_events: u64::MAX }, &mut |_| {}))
    }

    #[test]
    fn a_resumed_sweep_runs_only_the_jobs_not_done_and_gives_the_same_rows() {
        let p = plan(2, 2);
        let all = p.run(Shard::ALL, 2, &|_| {});
        let done = [all[0].clone(), all[3].clone()];
        let ran = std::sync::Mutex::new(Vec::new());
        let record = |row: &ReplicationRow| ran.lock().unwrap().push((row.point, row.replication));
        let never = AtomicBool::new(false);
        let rows = p.run_until_stopped(Shard::ALL, 2, &done, &record, &never).expect("not stopped");
        assert_eq!(rows, all);
        let mut ran = ran.into_inner().unwrap();
        ran.sort();
        assert_eq!(ran, [(0, 1), (1, 0)], "only the jobs not done ran");
    }

    #[test]
    fn a_stopped_sweep_gives_no_rows_and_a_running_one_every_row() {
        let p = plan(2, 2);
        let stopped = AtomicBool::new(true);
        assert_eq!(p.run_until_stopped(Shard::ALL, 2, &[], &|_| {}, &stopped), None);
        let running = AtomicBool::new(false);
        let rows = p.run_until_stopped(Shard::ALL, 2, &[], &|_| {}, &running).expect("not stopped");
        assert_eq!(rows, p.run(Shard::ALL, 1, &|_| {}), "the same rows as a plain run");
        assert!(rows.iter().all(|r| r.figures().is_some()));
    }

    #[test]
    fn a_failing_job_is_its_own_failed_row_and_every_other_job_keeps_its_figures() {
        let p = plan(3, 2);
        let healthy = p.run(Shard::ALL, 2, &|_| {});
        assert!(healthy.iter().all(|r| r.figures().is_some_and(|f| f[0] > 0.0)), "every job ran: {healthy:?}");
        let done = std::sync::atomic::AtomicUsize::new(0);
        let count = |_: &ReplicationRow| {
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        };
        let rows = p.run_jobs_with(Shard::ALL, 2, &Default::default(), &count, &failing_point_1_replication_1);
        assert_eq!(done.into_inner(), 6, "the failed job is reported done too");
        assert_eq!(rows.len(), 6);
        for (row, expected) in rows.iter().zip(&healthy) {
            assert_eq!(
                (row.point, row.replication, &row.values),
                (expected.point, expected.replication, &expected.values)
            );
            if (row.point, row.replication) == (1, 1) {
                let message = row.failure().expect("point 1, replication 1 failed");
                assert!(message.starts_with(&format!("panicked at {}:", file!())), "{message}");
                assert!(message.ends_with("index out of bounds: the len is 0 but the index is 1"), "{message}");
                assert_eq!(row.figures(), None);
            } else {
                assert_eq!(row, expected, "the other jobs' figures are the ones of a sweep where nothing fails");
            }
        }
    }

    #[test]
    fn failed_rows_are_the_same_on_any_thread_count_and_shard() {
        let p = plan(2, 3);
        let one = p.run_jobs_with(Shard::ALL, 1, &Default::default(), &|_| {}, &failing_point_1_replication_1);
        let four = p.run_jobs_with(Shard::ALL, 4, &Default::default(), &|_| {}, &failing_point_1_replication_1);
        assert_eq!(one, four);
        let mut sharded: Vec<ReplicationRow> = (0..2)
            .flat_map(|i| {
                p.run_jobs_with(
                    Shard { index: i, count: 2 },
                    2,
                    &Default::default(),
                    &|_| {},
                    &failing_point_1_replication_1,
                )
            })
            .collect();
        sharded.sort_by_key(|r| (r.point, r.replication));
        assert_eq!(sharded, one);
        assert_eq!(one.iter().filter(|r| r.failure().is_some()).count(), 1);
    }
}
