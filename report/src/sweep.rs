//! `dccsim sweep`: every point of a scenario's `[sweep]`, replicated, with 95%
//! confidence intervals; and `dccsim combine`, which joins the shards of a sweep
//! split over cluster jobs.
//!
//! Tables, in the sweep's folder:
//! - `replications.parquet`: one row per (point, replication): the point's parameter
//!   values (one string column per swept key) and the run's figures;
//! - `sweep.parquet` (complete sweeps only): one row per point: for each figure its
//!   mean over replications and the 95% Student t interval;
//! - `manifest.json`: what was run, and which shard this is.
//!
//! Both tables are built from the replication rows sorted by (point, replication),
//! so a sweep gives the same bytes however it was sharded.

use std::fs::File;
use std::path::{Path, PathBuf};

use models::network::{RunOptions, run_with};
use models::scenario::Scenario;
use models::sweep::{ReplicationFigures, SweepPoint, SweepSpec, point_scenario};
use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sim::MeanCi;

use crate::output_dir::{MANIFEST, StagedDir};
use crate::{ReportError, sha256_hex, write_parquet};

/// Which slice of the jobs this process runs: jobs `j` with `j % count == index`.
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

/// What a sweep folder's manifest records.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SweepManifest {
    /// Output schema version ([`crate::SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// dccsim's version.
    pub dccsim_version: String,
    /// Study name.
    pub scenario: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Seed.
    pub seed: u64,
    /// Swept keys, in column order.
    pub parameters: Vec<String>,
    /// Points in the whole sweep.
    pub points: u32,
    /// Replications per point.
    pub replications: u32,
    /// Warm-up left out of the figures, s.
    pub warmup_s: f64,
    /// The slice of jobs in this folder (`count` 1 for a whole or combined sweep).
    pub shard: Shard,
    /// Files besides the manifest.
    pub files: Vec<String>,
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
    pub sets: Vec<models::scenario::Set>,
    /// Its `[sweep]` (or a plain replication sweep).
    pub spec: SweepSpec,
}

impl SweepPlan {
    /// Every point (one empty point when nothing is swept).
    pub fn points(&self) -> Vec<SweepPoint> {
        self.spec.points()
    }

    fn manifest(&self, shard: Shard, files: Vec<String>) -> SweepManifest {
        SweepManifest {
            schema_version: crate::SCHEMA_VERSION,
            dccsim_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: self.base.name.clone(),
            scenario_sha256: sha256_hex(self.text.as_bytes()),
            seed: self.base.seed,
            parameters: self.spec.parameters.iter().map(|p| p.key.clone()).collect(),
            points: self.points().len() as u32,
            replications: self.spec.replications,
            warmup_s: self.spec.warmup.as_secs_f64(),
            shard,
            files,
        }
    }

    /// Runs this shard's jobs on `threads` threads, one job per thread at a time.
    pub fn run(&self, shard: Shard, threads: usize, on_done: &(dyn Fn(usize) + Sync)) -> Vec<ReplicationRow> {
        let points = self.points();
        let jobs: Vec<(usize, u32)> = (0..points.len())
            .flat_map(|p| (0..self.spec.replications).map(move |r| (p, r)))
            .enumerate()
            .filter(|(j, _)| *j as u32 % shard.count == shard.index)
            .map(|(_, job)| job)
            .collect();
        let run_one = |&(p, r): &(usize, u32)| {
            let point = &points[p];
            let mut scenario = point_scenario(&self.file, &self.text, &self.sets, &point.assignments)
                .expect("sweep points are validated when the scenario loads");
            scenario.seed = self.base.seed;
            if let Some(scale) = self.scale {
                scenario.set_scale(scale).expect("--scale is checked when parsed");
            }
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

    /// Writes a shard's (or the whole sweep's) folder.
    pub fn write(&self, out: &Path, shard: Shard, rows: Vec<ReplicationRow>) -> Result<PathBuf, ReportError> {
        write_folder(out, self.manifest(shard, Vec::new()), rows)
    }
}

fn write_folder(
    out: &Path,
    mut manifest: SweepManifest,
    mut rows: Vec<ReplicationRow>,
) -> Result<PathBuf, ReportError> {
    rows.sort_by_key(|r| (r.point, r.replication));
    let staged = StagedDir::create(out)?;
    let dir = staged.path();
    write_parquet(&dir.join("replications.parquet"), &mut replications_frame(&manifest.parameters, &rows)?)?;
    manifest.files = vec!["replications.parquet".into()];
    let complete = rows.len() as u64 == u64::from(manifest.points) * u64::from(manifest.replications);
    if manifest.shard.count == 1 && complete {
        write_parquet(&dir.join("sweep.parquet"), &mut summary_frame(&manifest.parameters, &rows)?)?;
        manifest.files.push("sweep.parquet".into());
    }
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(dir.join(MANIFEST), json)
        .map_err(|source| ReportError::Io { path: dir.join(MANIFEST).display().to_string(), source })?;
    staged.commit()
}

fn replications_frame(parameters: &[String], rows: &[ReplicationRow]) -> PolarsResult<DataFrame> {
    let mut columns = vec![
        Column::new("point".into(), rows.iter().map(|r| r.point).collect::<Vec<u32>>()),
        Column::new("replication".into(), rows.iter().map(|r| r.replication).collect::<Vec<u32>>()),
    ];
    for (i, key) in parameters.iter().enumerate() {
        columns.push(Column::new(key.as_str().into(), rows.iter().map(|r| r.values[i].as_str()).collect::<Vec<_>>()));
    }
    for (i, name) in ReplicationFigures::NAMES.iter().enumerate() {
        columns.push(Column::new((*name).into(), rows.iter().map(|r| r.figures[i]).collect::<Vec<f64>>()));
    }
    DataFrame::new(rows.len(), columns)
}

/// Per point: the mean and 95% interval of every figure over its replications.
fn summary_frame(parameters: &[String], rows: &[ReplicationRow]) -> PolarsResult<DataFrame> {
    let groups: Vec<&[ReplicationRow]> = rows.chunk_by(|a, b| a.point == b.point).collect();
    let mut columns = vec![
        Column::new("point".into(), groups.iter().map(|g| g[0].point).collect::<Vec<u32>>()),
        Column::new("replications".into(), groups.iter().map(|g| g.len() as u32).collect::<Vec<u32>>()),
    ];
    for (i, key) in parameters.iter().enumerate() {
        columns
            .push(Column::new(key.as_str().into(), groups.iter().map(|g| g[0].values[i].as_str()).collect::<Vec<_>>()));
    }
    for (i, name) in ReplicationFigures::NAMES.iter().enumerate() {
        let cis: Vec<MeanCi> =
            groups.iter().map(|g| MeanCi::of(&g.iter().map(|r| r.figures[i]).collect::<Vec<_>>())).collect();
        columns.push(Column::new(format!("{name}_mean").into(), cis.iter().map(|c| c.mean).collect::<Vec<_>>()));
        columns.push(Column::new(format!("{name}_ci95_low").into(), cis.iter().map(|c| c.low()).collect::<Vec<_>>()));
        columns.push(Column::new(format!("{name}_ci95_high").into(), cis.iter().map(|c| c.high()).collect::<Vec<_>>()));
    }
    DataFrame::new(groups.len(), columns)
}

/// Reads the rows of a sweep folder back.
fn read_rows(dir: &Path) -> Result<(SweepManifest, Vec<ReplicationRow>), ReportError> {
    let io = |path: &Path, source| ReportError::Io { path: path.display().to_string(), source };
    let manifest_path = dir.join(MANIFEST);
    let manifest: SweepManifest =
        serde_json::from_slice(&std::fs::read(&manifest_path).map_err(|e| io(&manifest_path, e))?)?;
    let path = dir.join("replications.parquet");
    let df = ParquetReader::new(File::open(&path).map_err(|e| io(&path, e))?).finish()?;
    let u32s = |name: &str| -> PolarsResult<Vec<u32>> { Ok(df.column(name)?.u32()?.into_no_null_iter().collect()) };
    let (points, reps) = (u32s("point")?, u32s("replication")?);
    let mut values: Vec<Vec<String>> = vec![Vec::new(); df.height()];
    for key in &manifest.parameters {
        let column = df.column(key)?.str()?;
        for (row, v) in values.iter_mut().enumerate() {
            v.push(column.get(row).unwrap_or_default().to_string());
        }
    }
    let mut figures: Vec<Vec<f64>> = vec![Vec::new(); df.height()];
    for name in ReplicationFigures::NAMES {
        for (row, v) in df.column(name)?.f64()?.into_no_null_iter().enumerate() {
            figures[row].push(v);
        }
    }
    let rows = (0..df.height())
        .map(|i| ReplicationRow {
            point: points[i],
            replication: reps[i],
            values: std::mem::take(&mut values[i]),
            figures: std::mem::take(&mut figures[i]),
        })
        .collect();
    Ok((manifest, rows))
}

/// Joins shard folders into one complete sweep folder at `out`.
pub fn combine(shards: &[PathBuf], out: &Path) -> Result<PathBuf, ReportError> {
    let mut combined: Option<SweepManifest> = None;
    let mut rows = Vec::new();
    let mut seen = Vec::new();
    for dir in shards {
        let (m, r) = read_rows(dir)?;
        let key = |m: &SweepManifest| {
            (m.schema_version, m.scenario_sha256.clone(), m.seed, m.points, m.replications, m.shard.count)
        };
        if let Some(first) = &combined
            && key(first) != key(&m)
        {
            return Err(ReportError::Combine(format!("{} is from a different sweep", dir.display())));
        }
        if seen.contains(&m.shard.index) {
            return Err(ReportError::Combine(format!("shard {} is given twice", m.shard.index)));
        }
        seen.push(m.shard.index);
        rows.extend(r);
        combined.get_or_insert(m);
    }
    let mut manifest = combined.ok_or_else(|| ReportError::Combine("no shard folders given".into()))?;
    if seen.len() as u32 != manifest.shard.count {
        return Err(ReportError::Combine(format!("{} of {} shards given", seen.len(), manifest.shard.count)));
    }
    manifest.shard = Shard::ALL;
    write_folder(out, manifest, rows)
}

/// A terminal table of a sweep: per point, the key figures' means ± 95% half-widths.
pub fn summary_text(parameters: &[String], rows: &[ReplicationRow]) -> String {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| (r.point, r.replication));
    let index = |name: &str| ReplicationFigures::NAMES.iter().position(|n| *n == name).expect("a known figure");
    // With alerts in the study, their figures replace the DSP's.
    let alerts = rows.iter().any(|r| r.figures[index("alerts_sent")] > 0.0);
    let shown: &[&str] = if alerts {
        &["trt_mean_s", "within_target_pct", "alerts_sent", "ad1_delivered_to_dno", "ad1_dno_mean_latency_s"]
    } else {
        &["trt_mean_s", "trt_p95_s", "within_target_pct", "dsp_utilisation_pct"]
    };
    let mut out = format!("{:>5} {:>4}", "point", "reps");
    for p in parameters {
        out += &format!(" {p:>14}");
    }
    for name in shown {
        out += &format!(" {name:>24}");
    }
    out.push('\n');
    for group in rows.chunk_by(|a, b| a.point == b.point) {
        out += &format!("{:>5} {:>4}", group[0].point, group.len());
        for v in &group[0].values {
            out += &format!(" {v:>14}");
        }
        for name in shown {
            let ci = MeanCi::of(&group.iter().map(|r| r.figures[index(name)]).collect::<Vec<_>>());
            out += &format!(" {:>24}", format!("{:.3} ± {:.3}", ci.mean, ci.half_width));
        }
        out.push('\n');
    }
    out
}
