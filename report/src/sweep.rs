//! The folder of `dccsim sweep` (run by [`models::sweep_runner`]): every point of a
//! scenario's `[sweep]`, replicated, with 95% confidence intervals; and
//! `dccsim combine`, which joins the shards of a sweep split over cluster jobs.
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

use models::sweep_runner::ReplicationFigures;
pub use models::sweep_runner::{ReplicationRow, Shard, SweepPlan};
use polars::prelude::*;
use sim::MeanCi;

use crate::manifest::{Manifest, StudyDetails, StudyKind, SweepDetails};
use crate::output_dir::{MANIFEST, StagedDir};
use crate::{ReportError, sha256_hex, write_parquet};

/// Writes a shard's (or the whole sweep's) folder: `rows` as run by
/// [`SweepPlan::run`], `threads` and `wall_s` as the run took them.
pub fn write(
    out: &Path,
    plan: &SweepPlan,
    shard: Shard,
    rows: Vec<ReplicationRow>,
    threads: usize,
    wall_s: f64,
) -> Result<PathBuf, ReportError> {
    let manifest = Manifest {
        status: crate::manifest::RunStatus::Complete,
        kind: StudyKind::Sweep,
        schema_version: crate::SCHEMA_VERSION,
        dccsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: plan.base.name.clone(),
        scenario_file: plan.file.clone(),
        scenario_sha256: sha256_hex(plan.text.as_bytes()),
        seed: plan.base.seed,
        threads: Some(threads),
        wall_s: Some(wall_s),
        details: StudyDetails::Sweep(SweepDetails {
            parameters: plan.spec.parameters.iter().map(|p| p.key.clone()).collect(),
            points: plan.points().len() as u32,
            replications: plan.spec.replications,
            warmup_s: plan.spec.warmup.as_secs_f64(),
            shard,
        }),
        files: Vec::new(),
    };
    write_folder(out, manifest, rows)
}

fn write_folder(out: &Path, mut manifest: Manifest, mut rows: Vec<ReplicationRow>) -> Result<PathBuf, ReportError> {
    let sweep = manifest.sweep().expect("a sweep's manifest").clone();
    rows.sort_by_key(|r| (r.point, r.replication));
    let staged = StagedDir::create(out)?;
    let dir = staged.path();
    write_parquet(&dir.join("replications.parquet"), &mut replications_frame(&sweep.parameters, &rows)?)?;
    manifest.files = vec!["replications.parquet".into()];
    let complete = rows.len() as u64 == u64::from(sweep.points) * u64::from(sweep.replications);
    if sweep.shard.count == 1 && complete {
        write_parquet(&dir.join("sweep.parquet"), &mut summary_frame(&sweep.parameters, &rows)?)?;
        manifest.files.push("sweep.parquet".into());
    }
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(dir.join(MANIFEST), json)
        .map_err(|source| ReportError::Io { path: dir.join(MANIFEST).display().to_string(), source })?;
    staged.commit()
}

fn replications_frame(parameters: &[String], rows: &[ReplicationRow]) -> Result<DataFrame, ReportError> {
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
    crate::schema::tables::REPLICATIONS.frame(rows.len(), columns)
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
fn read_rows(dir: &Path) -> Result<(Manifest, SweepDetails, Vec<ReplicationRow>), ReportError> {
    let io = |path: &Path, source| ReportError::Io { path: path.display().to_string(), source };
    let manifest_path = dir.join(MANIFEST);
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(&manifest_path).map_err(|e| io(&manifest_path, e))?)?;
    let Some(sweep) = manifest.sweep().cloned() else {
        return Err(ReportError::Combine(format!("{} is not a sweep folder", dir.display())));
    };
    let path = dir.join("replications.parquet");
    let df = ParquetReader::new(File::open(&path).map_err(|e| io(&path, e))?).finish()?;
    let u32s = |name: &str| -> PolarsResult<Vec<u32>> { Ok(df.column(name)?.u32()?.into_no_null_iter().collect()) };
    let (points, reps) = (u32s("point")?, u32s("replication")?);
    let mut values: Vec<Vec<String>> = vec![Vec::new(); df.height()];
    for key in &sweep.parameters {
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
    Ok((manifest, sweep, rows))
}

/// Joins shard folders into one complete sweep folder at `out`.
pub fn combine(shards: &[PathBuf], out: &Path) -> Result<PathBuf, ReportError> {
    let mut combined: Option<(Manifest, SweepDetails)> = None;
    let mut rows = Vec::new();
    let mut seen = Vec::new();
    for dir in shards {
        // A shard that cannot be read is bad input to `combine`, not a failure to write.
        let (m, sweep, r) = read_rows(dir).map_err(|e| match e {
            ReportError::Combine(_) => e,
            other => ReportError::Combine(format!("{}: not a readable sweep shard ({other})", dir.display())),
        })?;
        let key = |m: &Manifest, s: &SweepDetails| {
            (m.schema_version, m.scenario_sha256.clone(), m.seed, s.points, s.replications, s.shard.count)
        };
        if let Some((first, first_sweep)) = &combined
            && key(first, first_sweep) != key(&m, &sweep)
        {
            return Err(ReportError::Combine(format!("{} is from a different sweep", dir.display())));
        }
        if seen.contains(&sweep.shard.index) {
            return Err(ReportError::Combine(format!("shard {} is given twice", sweep.shard.index)));
        }
        seen.push(sweep.shard.index);
        rows.extend(r);
        combined.get_or_insert((m, sweep));
    }
    let (mut manifest, mut sweep) = combined.ok_or_else(|| ReportError::Combine("no shard folders given".into()))?;
    if seen.len() as u32 != sweep.shard.count {
        return Err(ReportError::Combine(format!("{} of {} shards given", seen.len(), sweep.shard.count)));
    }
    sweep.shard = Shard::ALL;
    // The shards ran elsewhere, on their own threads and clocks.
    (manifest.threads, manifest.wall_s) = (None, None);
    manifest.details = StudyDetails::Sweep(sweep);
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
