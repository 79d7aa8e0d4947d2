//! The folder of `dccsim sweep` (run by [`models::sweep_runner`]): every point of a
//! scenario's `[sweep]`, replicated, with 95% confidence intervals; and
//! `dccsim combine`, which joins the shards of a sweep split over cluster jobs.
//!
//! Tables, in the sweep's folder:
//! - `replications.parquet`: one row per (point, replication): the point's parameter
//!   values (one string column per swept key), the run's figures, and its status:
//!   a failed run keeps its row, with null figures and the panic's message;
//! - `sweep.parquet` (complete sweeps only): one row per point: for each figure its
//!   mean over the finished replications and the 95% Student t interval, and how
//!   many replications failed;
//! - `manifest.json`: what was run, which shard this is, and which jobs failed.
//!
//! Both tables are built from the replication rows sorted by (point, replication),
//! so a sweep gives the same bytes however it was sharded, failures included.

use std::fs::File;
use std::path::{Path, PathBuf};

use models::sweep_runner::{JobOutcome, ReplicationFigures};
pub use models::sweep_runner::{ReplicationRow, Shard, SweepPlan};
use polars::prelude::*;
use sim::MeanCi;

use crate::manifest::{FailedJob, Manifest, StudyDetails, StudyKind, SweepDetails};
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
        commit: crate::manifest::COMMIT.into(),
        replication: None,
        start: plan.base.measurement.start_date.to_string(),
        resolved_scenario: Some(crate::manifest::RESOLVED_SCENARIO.into()),
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
            failed: Vec::new(),
        }),
        files: Vec::new(),
    };
    write_folder(out, manifest, rows, Some(&plan.base.resolved_toml(&plan.file)))
}

/// The status column's values.
const OK: &str = "ok";
const FAILED: &str = "failed";

/// Writes a sweep folder: `rows`, and when they are the whole sweep its summary,
/// figures and report; `resolved` is the base scenario as resolved (each point's
/// values and replication are applied over it), if known.
fn write_folder(
    out: &Path,
    mut manifest: Manifest,
    mut rows: Vec<ReplicationRow>,
    resolved: Option<&str>,
) -> Result<PathBuf, ReportError> {
    rows.sort_by_key(|r| (r.point, r.replication));
    let StudyDetails::Sweep(sweep) = &mut manifest.details else { unreachable!("a sweep's manifest") };
    sweep.failed = failed_jobs(&rows);
    let sweep = sweep.clone();
    let staged = StagedDir::create(out)?;
    let dir = staged.path();
    manifest.files = Vec::new();
    manifest.resolved_scenario = None;
    if let Some(resolved) = resolved {
        crate::write_file(dir, crate::manifest::RESOLVED_SCENARIO, resolved.as_bytes())?;
        manifest.files.push(crate::manifest::RESOLVED_SCENARIO.into());
        manifest.resolved_scenario = Some(crate::manifest::RESOLVED_SCENARIO.into());
    }
    write_parquet(&dir.join("replications.parquet"), &mut replications_frame(&sweep.parameters, &rows)?)?;
    manifest.files.push("replications.parquet".into());
    let complete = rows.len() as u64 == u64::from(sweep.points) * u64::from(sweep.replications);
    if sweep.shard.count == 1 && complete {
        write_parquet(&dir.join("sweep.parquet"), &mut summary_frame(&sweep.parameters, &rows)?)?;
        manifest.files.push("sweep.parquet".into());
        let plots = crate::sweep_report::figures(&sweep.parameters, &rows)?;
        let plots_dir = dir.join(crate::PLOTS_DIR);
        std::fs::create_dir(&plots_dir).map_err(|source| crate::io_err(&plots_dir, source))?;
        for plot in &plots {
            crate::write_file(&plots_dir, plot.file, plot.standalone().as_bytes())?;
            manifest.files.push(format!("{}/{}", crate::PLOTS_DIR, plot.file));
        }
        let name = &manifest.scenario;
        let page = crate::sweep_report::render(name, &sweep.parameters, &rows, sweep.replications, &plots);
        crate::write_file(dir, "report.html", page.as_bytes())?;
        manifest.files.push("report.html".into());
    }
    let json = serde_json::to_string_pretty(&manifest)?;
    std::fs::write(dir.join(MANIFEST), json)
        .map_err(|source| ReportError::Io { path: dir.join(MANIFEST).display().to_string(), source })?;
    staged.commit()
}

/// The failed jobs among `rows`, in their order.
fn failed_jobs(rows: &[ReplicationRow]) -> Vec<FailedJob> {
    let failed = rows.iter().filter_map(|r| r.failure().map(|m| (r, m)));
    failed.map(|(r, m)| FailedJob { point: r.point, replication: r.replication, message: m.to_string() }).collect()
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
        let figure = rows.iter().map(|r| r.figures().map(|f| f[i])).collect::<Vec<Option<f64>>>();
        columns.push(Column::new((*name).into(), figure));
    }
    let status = rows.iter().map(|r| if r.failure().is_some() { FAILED } else { OK }).collect::<Vec<_>>();
    columns.push(Column::new("status".into(), status));
    columns.push(Column::new("error".into(), rows.iter().map(|r| r.failure()).collect::<Vec<Option<&str>>>()));
    crate::schema::tables::REPLICATIONS.frame(rows.len(), columns)
}

/// Per point: the mean and 95% interval of every figure over its finished
/// replications (null with none), and how many failed.
fn summary_frame(parameters: &[String], rows: &[ReplicationRow]) -> Result<DataFrame, ReportError> {
    let groups: Vec<&[ReplicationRow]> = rows.chunk_by(|a, b| a.point == b.point).collect();
    let finished = |g: &[ReplicationRow]| g.iter().filter(|r| r.figures().is_some()).count() as u32;
    let mut columns = vec![
        Column::new("point".into(), groups.iter().map(|g| g[0].point).collect::<Vec<u32>>()),
        Column::new("replications".into(), groups.iter().map(|g| finished(g)).collect::<Vec<u32>>()),
        Column::new("failed".into(), groups.iter().map(|g| g.len() as u32 - finished(g)).collect::<Vec<u32>>()),
    ];
    for (i, key) in parameters.iter().enumerate() {
        columns
            .push(Column::new(key.as_str().into(), groups.iter().map(|g| g[0].values[i].as_str()).collect::<Vec<_>>()));
    }
    for (i, name) in ReplicationFigures::NAMES.iter().enumerate() {
        let cis: Vec<Option<MeanCi>> = groups.iter().map(|g| figure_ci(g, i)).collect();
        let column = |suffix: &str, f: fn(&MeanCi) -> f64| {
            Column::new(format!("{name}_{suffix}").into(), cis.iter().map(|c| c.as_ref().map(f)).collect::<Vec<_>>())
        };
        columns.push(column("mean", |c| c.mean));
        columns.push(column("ci95_low", MeanCi::low));
        columns.push(column("ci95_high", MeanCi::high));
    }
    crate::schema::tables::SWEEP.frame(groups.len(), columns)
}

/// The mean and interval of figure `i` over the finished runs of `group`; `None`
/// when none finished.
fn figure_ci(group: &[ReplicationRow], i: usize) -> Option<MeanCi> {
    let values: Vec<f64> = group.iter().filter_map(|r| r.figures().map(|f| f[i])).collect();
    (!values.is_empty()).then(|| MeanCi::of(&values))
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
    if manifest.schema_version != crate::SCHEMA_VERSION {
        return Err(ReportError::Combine(format!(
            "{}: written with output schema {}, and this dccsim combines schema {}; rerun the shard",
            dir.display(),
            manifest.schema_version,
            crate::SCHEMA_VERSION
        )));
    }
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
    let mut figures: Vec<Vec<Option<f64>>> = vec![Vec::new(); df.height()];
    for name in ReplicationFigures::NAMES {
        for (row, v) in df.column(name)?.f64()?.iter().enumerate() {
            figures[row].push(v);
        }
    }
    let (status, error) = (df.column("status")?.str()?, df.column("error")?.str()?);
    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let outcome = match (status.get(i), error.get(i)) {
            (Some(OK), None) => figures[i].iter().copied().collect::<Option<Vec<f64>>>().map(JobOutcome::Ok),
            (Some(FAILED), Some(message)) => Some(JobOutcome::Failed { message: message.to_string() }),
            _ => None,
        };
        let outcome = outcome.ok_or_else(|| {
            ReportError::Combine(format!("{}: row {i} has neither all its figures nor a failure", path.display()))
        })?;
        rows.push(ReplicationRow {
            point: points[i],
            replication: reps[i],
            values: std::mem::take(&mut values[i]),
            outcome,
        });
    }
    Ok((manifest, sweep, rows))
}

/// A combined sweep, as written.
#[derive(Debug, Clone)]
pub struct Combined {
    /// Its folder.
    pub dir: PathBuf,
    /// The swept keys, in column order.
    pub parameters: Vec<String>,
    /// Every job's row, by (point, replication), failed ones included.
    pub rows: Vec<ReplicationRow>,
}

/// Joins shard folders into one complete sweep folder at `out`. Failed jobs stay
/// failed: their rows and the manifest's `failed` carry through.
pub fn combine(shards: &[PathBuf], out: &Path) -> Result<Combined, ReportError> {
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
    let parameters = sweep.parameters.clone();
    manifest.details = StudyDetails::Sweep(sweep);
    rows.sort_by_key(|r: &ReplicationRow| (r.point, r.replication));
    // The shards resolved the same scenario: the first one's stands for all.
    let first = shards.first().map(|d| d.join(crate::manifest::RESOLVED_SCENARIO));
    let resolved = first.and_then(|f| std::fs::read_to_string(f).ok());
    let dir = write_folder(out, manifest, rows.clone(), resolved.as_deref())?;
    Ok(Combined { dir, parameters, rows })
}

/// A terminal table of a sweep: per point, the finished replications, the key
/// figures' means ± 95% half-widths over them, and (when any failed) how many
/// failed.
pub fn summary_text(parameters: &[String], rows: &[ReplicationRow]) -> String {
    let mut rows = rows.to_vec();
    rows.sort_by_key(|r| (r.point, r.replication));
    let index = |name: &str| ReplicationFigures::NAMES.iter().position(|n| *n == name).expect("a known figure");
    // With alerts in the study, their figures replace the DSP's.
    let alerts = rows.iter().filter_map(|r| r.figures()).any(|f| f[index("alerts_sent")] > 0.0);
    let shown: &[&str] = if alerts {
        &["trt_mean_s", "within_target_pct", "alerts_sent", "ad1_delivered_to_dno", "ad1_dno_mean_latency_s"]
    } else {
        &["trt_mean_s", "trt_p95_s", "within_target_pct", "dsp_utilisation_pct"]
    };
    let any_failed = rows.iter().any(|r| r.failure().is_some());
    let mut out = format!("{:>5} {:>4}", "point", "reps");
    if any_failed {
        out += &format!(" {:>6}", "failed");
    }
    for p in parameters {
        out += &format!(" {p:>14}");
    }
    for name in shown {
        out += &format!(" {name:>24}");
    }
    out.push('\n');
    for group in rows.chunk_by(|a, b| a.point == b.point) {
        let failed = group.iter().filter(|r| r.failure().is_some()).count();
        out += &format!("{:>5} {:>4}", group[0].point, group.len() - failed);
        if any_failed {
            out += &format!(" {failed:>6}");
        }
        for v in &group[0].values {
            out += &format!(" {v:>14}");
        }
        for name in shown {
            let cell = match figure_ci(group, index(name)) {
                Some(ci) if !ci.mean.is_finite() => "n/a".to_string(),
                Some(ci) if ci.n >= 2 => format!("{:.3} ± {:.3}", ci.mean, ci.half_width),
                Some(ci) => format!("{:.3} ± n/a", ci.mean),
                None => "-".to_string(),
            };
            out += &format!(" {cell:>24}");
        }
        out.push('\n');
    }
    out
}

/// What went wrong in a sweep, for the terminal: how many of its runs failed, and
/// each one's point, values, replication and message; `None` when none failed.
pub fn failures_text(parameters: &[String], rows: &[ReplicationRow]) -> Option<String> {
    let mut failed: Vec<&ReplicationRow> = rows.iter().filter(|r| r.failure().is_some()).collect();
    if failed.is_empty() {
        return None;
    }
    failed.sort_by_key(|r| (r.point, r.replication));
    let mut out = format!(
        "{} of {} runs failed; their rows in replications.parquet have status `failed` and the means leave them out:",
        failed.len(),
        rows.len()
    );
    for r in failed {
        let values: Vec<String> = parameters.iter().zip(&r.values).map(|(k, v)| format!("{k} = {v}")).collect();
        let values = if values.is_empty() { String::new() } else { format!(" ({})", values.join(", ")) };
        let message = r.failure().unwrap_or_default().replace('\n', "\n    ");
        out += &format!("\n  point {}{values}, replication {}: {message}", r.point, r.replication);
    }
    out += "\nA failed run is a bug in dccsim, or a scenario its checks let through: please report it with the \
            scenario file.";
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure vector whose every figure is `x`.
    fn ok(point: u32, replication: u32, x: f64) -> ReplicationRow {
        let outcome = JobOutcome::Ok(vec![x; ReplicationFigures::NAMES.len()]);
        ReplicationRow { point, replication, values: vec![(8 * (point + 1)).to_string()], outcome }
    }

    fn failed(point: u32, replication: u32) -> ReplicationRow {
        let message = format!("panicked at models/src/x.rs:1:2: point {point} broke\nsecond line");
        ReplicationRow {
            point,
            replication,
            values: vec![(8 * (point + 1)).to_string()],
            outcome: JobOutcome::Failed { message },
        }
    }

    /// Point 0: three runs of 1, 2 and 6; point 1: runs of 4 and 5, and one failed;
    /// point 2: two failed, and a run of 9.
    fn rows() -> Vec<ReplicationRow> {
        vec![
            ok(0, 0, 1.0),
            ok(0, 1, 2.0),
            ok(0, 2, 6.0),
            ok(1, 0, 4.0),
            failed(1, 1),
            ok(1, 2, 5.0),
            failed(2, 0),
            failed(2, 1),
            ok(2, 2, 9.0),
        ]
    }

    fn manifest(shard: Shard) -> Manifest {
        Manifest {
            status: crate::manifest::RunStatus::Complete,
            kind: StudyKind::Sweep,
            schema_version: crate::SCHEMA_VERSION,
            dccsim_version: "0".into(),
            commit: "unknown".into(),
            replication: None,
            start: "2026-01-01".into(),
            resolved_scenario: None,
            scenario: "t".into(),
            scenario_file: "t.toml".into(),
            scenario_sha256: sha256_hex(b"t"),
            seed: 1,
            threads: Some(1),
            wall_s: Some(0.0),
            details: StudyDetails::Sweep(SweepDetails {
                parameters: vec!["dsp.servers".into()],
                points: 3,
                replications: 3,
                warmup_s: 0.0,
                shard,
                failed: Vec::new(),
            }),
            files: Vec::new(),
        }
    }

    fn read(path: &Path) -> DataFrame {
        ParquetReader::new(File::open(path).unwrap()).finish().unwrap()
    }

    #[test]
    fn a_failed_run_keeps_its_row_and_the_point_means_leave_it_out() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = write_folder(&tmp.path().join("s"), manifest(Shard::ALL), rows(), None).unwrap();
        let reps = read(&dir.join("replications.parquet"));
        assert_eq!(reps.height(), 9);
        let status: Vec<_> = reps.column("status").unwrap().str().unwrap().iter().map(Option::unwrap).collect();
        assert_eq!(status, ["ok", "ok", "ok", "ok", "failed", "ok", "failed", "failed", "ok"]);
        let error = reps.column("error").unwrap().str().unwrap();
        assert_eq!(error.get(4), Some("panicked at models/src/x.rs:1:2: point 1 broke\nsecond line"));
        assert_eq!((error.get(3), error.null_count()), (None, 6));
        for name in ReplicationFigures::NAMES {
            let figure = reps.column(name).unwrap().f64().unwrap();
            assert_eq!((figure.get(4), figure.get(5)), (None, Some(5.0)), "{name}");
        }

        let points = read(&dir.join("sweep.parquet"));
        let u32s =
            |name: &str| points.column(name).unwrap().u32().unwrap().iter().map(Option::unwrap).collect::<Vec<_>>();
        assert_eq!((u32s("replications"), u32s("failed")), (vec![3, 2, 1], vec![0, 1, 2]));
        let f64s = |name: &str| points.column(name).unwrap().f64().unwrap().iter().collect::<Vec<_>>();
        assert_eq!(f64s("trt_mean_s_mean"), [Some(3.0), Some(4.5), Some(9.0)]);
        // Over 1, 2 and 6 only: s = √7, and t(0.975, 2) = 4.303 as the t table gives it.
        let high = f64s("trt_mean_s_ci95_high")[0].unwrap();
        assert!((high - (3.0 + 4.303 * (7.0f64 / 3.0).sqrt())).abs() < 1e-9, "{high}");
        assert!(f64s("trt_mean_s_ci95_low")[1].unwrap().is_finite(), "two finished runs give an interval");
        assert!(f64s("trt_mean_s_ci95_low")[2].unwrap().is_nan(), "one finished run gives none");

        let manifest: Manifest = serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap();
        let failed: Vec<(u32, u32)> =
            manifest.sweep().unwrap().failed.iter().map(|f| (f.point, f.replication)).collect();
        assert_eq!(failed, [(1, 1), (2, 0), (2, 1)]);
        assert!(manifest.sweep().unwrap().failed[0].message.ends_with("point 1 broke\nsecond line"));
    }

    #[test]
    fn a_point_where_every_run_failed_has_null_means() {
        let tmp = tempfile::tempdir().unwrap();
        let mut manifest = manifest(Shard::ALL);
        let StudyDetails::Sweep(sweep) = &mut manifest.details else { unreachable!() };
        (sweep.points, sweep.replications) = (2, 1);
        let dir = write_folder(&tmp.path().join("s"), manifest, vec![ok(0, 0, 1.0), failed(1, 0)], None).unwrap();
        let points = read(&dir.join("sweep.parquet"));
        for name in ["requests_mean", "trt_p95_s_ci95_low", "ad1_dno_mean_latency_s_ci95_high"] {
            let column = points.column(name).unwrap().f64().unwrap();
            assert_eq!((column.get(0).is_some(), column.get(1)), (true, None), "{name}");
        }
        let text = summary_text(&["dsp.servers".into()], &[ok(0, 0, 1.0), failed(1, 0)]);
        let last = text.lines().last().unwrap();
        assert!(last.starts_with("    1    0      1             16") && last.ends_with(" -"), "{text}");
    }

    #[test]
    fn shards_with_failures_combine_to_exactly_the_whole_sweep() {
        let tmp = tempfile::tempdir().unwrap();
        let whole = write_folder(&tmp.path().join("whole"), manifest(Shard::ALL), rows(), Some("x")).unwrap();
        let mut shards = Vec::new();
        for index in 0..2 {
            let shard = Shard { index, count: 2 };
            let mine: Vec<ReplicationRow> =
                rows().into_iter().enumerate().filter(|(j, _)| *j as u32 % 2 == index).map(|(_, r)| r).collect();
            shards.push(
                write_folder(&tmp.path().join(format!("shard{index}")), manifest(shard), mine, Some("x")).unwrap(),
            );
        }
        shards.reverse();
        let combined = combine(&shards, &tmp.path().join("joined")).unwrap();
        for table in ["replications.parquet", "sweep.parquet"] {
            let read = |dir: &Path| std::fs::read(dir.join(table)).unwrap();
            assert_eq!(read(&whole), read(&combined.dir), "{table} differs");
        }
        let manifest =
            |dir: &Path| -> Manifest { serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap() };
        assert_eq!(manifest(&whole).sweep().unwrap().failed, manifest(&combined.dir).sweep().unwrap().failed);
        assert_eq!(combined.rows, rows());
        let text = failures_text(&combined.parameters, &combined.rows).unwrap();
        assert!(text.starts_with("3 of 9 runs failed;"), "{text}");
        assert!(text.contains("\n  point 1 (dsp.servers = 16), replication 1: panicked at models/src/x.rs:1:2: point 1 broke\n    second line\n"), "{text}");
        assert_eq!(failures_text(&combined.parameters, &rows()[..4]), None);
    }
}
