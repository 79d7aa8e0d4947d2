//! A run folder as a reader meets it: the stage table, the figures and the HTML
//! report of a small quickstart run.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use models::RunOutput;
use models::scenario::Scenario;
use polars::prelude::*;
use report::{RunContext, RunSummary};
use sim::SimTime;

const QUICKSTART: &str = include_str!("../../scenarios/quickstart.toml");

/// Text with every character HTML must escape, as a scenario might carry.
const TRICKY_DESCRIPTION: &str = "Reads <b>bold</b> & \"quoted\" 'text'";

/// The quickstart shrunk to 5,000 premises and two minutes of submissions, run once.
fn small_run() -> &'static (Scenario, RunOutput, RunSummary) {
    static RUN: OnceLock<(Scenario, RunOutput, RunSummary)> = OnceLock::new();
    RUN.get_or_init(|| {
        let mut s = Scenario::parse("quickstart.toml", QUICKSTART).expect("the shipped quickstart is valid");
        s.premises = 5_000;
        s.horizon = SimTime::from_secs(120);
        s.description = TRICKY_DESCRIPTION.into();
        let result = models::run(s.clone(), 2, &mut |_| {});
        let summary = RunSummary::new(&s, &result);
        (s, result, summary)
    })
}

/// Writes the small run's folder to `dir/name` and returns it.
fn write(dir: &Path, name: &str) -> PathBuf {
    let (scenario, result, summary) = small_run();
    write_result(dir, name, scenario, result, summary)
}

fn write_result(dir: &Path, name: &str, scenario: &Scenario, result: &RunOutput, summary: &RunSummary) -> PathBuf {
    let ctx = RunContext { scenario_file: Path::new("quickstart.toml"), scenario_bytes: b"x", threads: 2, wall_s: 1.0 };
    report::write_run(&dir.join(name), scenario, result, summary, &ctx).expect("outputs are written")
}

/// The files of `a` and `b` listed in `a`'s manifest, compared byte for byte.
fn assert_same_files(a: &Path, b: &Path) {
    for f in manifest_files(a) {
        let (x, y) = (fs::read(a.join(&f)).unwrap(), fs::read(b.join(&f)).unwrap());
        assert!(x == y, "{f} differs");
    }
}

fn manifest_files(run: &Path) -> Vec<String> {
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(run.join("manifest.json")).unwrap()).unwrap();
    manifest["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect()
}

#[test]
fn the_manifest_lists_every_file_written() {
    let tmp = tempfile::tempdir().unwrap();
    let run = write(tmp.path(), "run");
    let files = manifest_files(&run);
    assert_eq!(
        files,
        [
            "service_requests/part-00000.parquet",
            "scenario.resolved.toml",
            "stages.parquet",
            "performance.parquet",
            "performance_detail.parquet",
            "cells.parquet",
            "summary.json",
            "plots/trt_cdf.svg",
            "plots/stage_utilisation.svg",
            "plots/stage_queue.svg",
            "report.html"
        ]
    );
    for f in &files {
        assert!(run.join(f).is_file(), "{f}");
    }
    assert_eq!(fs::read_dir(run.join("plots")).unwrap().count(), 3, "nothing unlisted in plots/");
}

#[test]
fn the_stage_table_covers_every_bucket_and_agrees_with_the_summary() {
    let (_, result, summary) = small_run();
    let tmp = tempfile::tempdir().unwrap();
    let run = write(tmp.path(), "run");
    let df = ParquetReader::new(fs::File::open(run.join("stages.parquet")).unwrap()).finish().unwrap();
    let schema: Vec<(String, DataType)> =
        df.columns().iter().map(|c| (c.name().to_string(), c.dtype().clone())).collect();
    let want = [
        ("stage", DataType::String),
        ("bucket_start_s", DataType::Float64),
        ("bucket_start_utc", DataType::Datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))),
        ("bucket_s", DataType::Float64),
        ("servers", DataType::UInt64),
        ("completions", DataType::UInt64),
        ("mean_in_system", DataType::Float64),
        ("mean_queued", DataType::Float64),
        ("mean_busy", DataType::Float64),
        ("utilisation", DataType::Float64),
    ];
    assert_eq!(schema, want.map(|(n, t)| (n.to_string(), t)));

    // 60 s buckets from 0 to the end, for each of the seven stages (the SMETS1
    // service providers among them).
    let end_s = result.measures.run.end.as_secs_f64();
    assert!(end_s > 120.0, "the run drains past the horizon");
    let buckets = (end_s / 60.0).ceil() as usize;
    assert_eq!(df.height(), 7 * buckets);

    let stage = df.column("stage").unwrap().str().unwrap();
    let width = df.column("bucket_s").unwrap().f64().unwrap();
    let util = df.column("utilisation").unwrap().f64().unwrap();
    let done = df.column("completions").unwrap().u64().unwrap();
    for (k, row) in summary.stages.iter().enumerate() {
        let rows = k * buckets..(k + 1) * buckets;
        assert!(rows.clone().all(|i| stage.get(i) == Some(row.stage.as_str())), "{} in path order", row.stage);
        let span_s: f64 = rows.clone().map(|i| width.get(i).unwrap()).sum();
        assert!((span_s - end_s).abs() < 1e-6, "buckets tile the run exactly");
        let weighted: f64 = rows.clone().map(|i| util.get(i).unwrap() * width.get(i).unwrap()).sum();
        let pct = 100.0 * weighted / span_s;
        assert!((pct - row.utilisation_pct).abs() < 1e-9, "{}: {pct} vs {}", row.stage, row.utilisation_pct);
        let completions: u64 = rows.map(|i| done.get(i).unwrap()).sum();
        let stats = report::stages::stages(result)[k].1;
        assert_eq!(completions, stats.completions, "{}: every completion is in a bucket", row.stage);
    }
    // Every stage on the reads' path worked (the CoS Party signs only SRV 6.23).
    assert!(
        summary.stages.iter().filter(|s| s.stage != "cos_party").all(|s| s.utilisation_pct > 0.0),
        "every stage on the path worked"
    );
}

#[test]
fn the_report_is_one_offline_page_with_every_figure_and_the_font_and_each_plot_file_is_small() {
    let tmp = tempfile::tempdir().unwrap();
    let run = write(tmp.path(), "run");
    let html = fs::read_to_string(run.join("report.html")).unwrap();
    for needle in ["@font-face", "font-family: \"DejaVu Sans\"", "data:font/ttf;base64,AAEAAA"] {
        assert!(html.contains(needle), "{needle}");
    }
    for url in ["http://", "https://", "<script", "<link", "src=\""] {
        assert!(!html.contains(url), "the page must not reference {url}");
    }
    for id in ["trt_cdf", "stage_utilisation", "stage_queue"] {
        assert!(html.contains(&format!("<figure id=\"{id}\">\n<svg ")), "figure {id} inline");
        let file = fs::read_to_string(run.join("plots").join(format!("{id}.svg"))).unwrap();
        assert!(file.contains("text { font-family: \"DejaVu Sans\"") && !file.contains("@font-face"), "{id}.svg font");
        assert!(file.len() <= 100_000, "{id}.svg is {} bytes; allowed: 100 KB", file.len());
    }
    assert_eq!(html.matches("<svg ").count(), 3);
    let (_, _, summary) = small_run();
    assert!(html.contains(&format!("<dt>Busiest stage</dt><dd>{}</dd>", summary.busiest_stage)));
    assert!(html.contains(&format!("<dt>Seed</dt><dd>{}</dd>", summary.seed)));
    assert!(html.contains("Reads &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#39;text&#39;"));
    assert!(!html.contains(TRICKY_DESCRIPTION), "scenario text is escaped");
    let font_faces = html.matches("@font-face").count();
    assert_eq!(font_faces, 1, "the font is carried once, not once per figure");
}

#[test]
fn the_trt_figure_shows_each_region_and_the_target() {
    let (_, _, summary) = small_run();
    let tmp = tempfile::tempdir().unwrap();
    let run = write(tmp.path(), "run");
    let svg = fs::read_to_string(run.join("plots/trt_cdf.svg")).unwrap();
    // The groups after "overall": the three regions (then SMETS2 and SMETS1).
    for region in &summary.trt[1..4] {
        assert!(svg.contains(&format!(">\n{} (n = ", region.group)), "legend names {}", region.group);
    }
    assert!(svg.contains("4.1.1 on_demand (n = "), "the one SR class");
    assert!(svg.contains("target 30 s"));
    assert!(svg.contains("TRT (s)"), "the x axis has its unit");
}

#[test]
fn the_same_run_writes_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (write(tmp.path(), "a"), write(tmp.path(), "b"));
    assert_eq!(manifest_files(&a).len(), 11);
    assert_same_files(&a, &b);
    assert_eq!(fs::read(a.join("manifest.json")).unwrap(), fs::read(b.join("manifest.json")).unwrap());
}

#[test]
fn the_thread_count_changes_no_output_byte() {
    let (scenario, two_threads, _) = small_run();
    let one_thread = models::run(scenario.clone(), 1, &mut |_| {});
    let summary = RunSummary::new(scenario, &one_thread);
    let tmp = tempfile::tempdir().unwrap();
    let a = write(tmp.path(), "two");
    let b = write_result(tmp.path(), "one", scenario, &one_thread, &summary);
    assert_eq!(two_threads.measures.run.engine.events, one_thread.measures.run.engine.events);
    assert_same_files(&a, &b);
}

#[test]
fn the_performance_detail_sums_to_each_months_measure() {
    let tmp = tempfile::tempdir().unwrap();
    let run = write(tmp.path(), "run");
    let read = |f: &str| ParquetReader::new(fs::File::open(run.join(f)).unwrap()).finish().unwrap();
    let (detail, measures) = (read("performance_detail.parquet"), read("performance.parquet"));
    assert!(detail.height() > 1, "one row per region, User and SRV at least");
    let strs = |df: &DataFrame, c: &str| -> Vec<String> {
        let col = df.column(c).unwrap().str().unwrap().clone();
        (0..df.height()).map(|i| col.get(i).unwrap().to_string()).collect()
    };
    let nums =
        |df: &DataFrame, c: &str| -> Vec<u64> { df.column(c).unwrap().u64().unwrap().into_no_null_iter().collect() };
    let (d_period, d_measure, d_counted, d_within) =
        (strs(&detail, "period"), strs(&detail, "measure"), nums(&detail, "counted"), nums(&detail, "within_target"));
    let csp = strs(&detail, "csp");
    for (region, csp) in strs(&detail, "csp_region").iter().zip(&csp) {
        assert_eq!(csp, if region == "north" { "arqiva" } else { "telefonica" });
    }
    let (m_period, m_measure, m_counted, m_within) = (
        strs(&measures, "period"),
        strs(&measures, "measure"),
        nums(&measures, "counted"),
        nums(&measures, "within_target"),
    );
    let mut checked = 0;
    for i in 0..measures.height() {
        if m_period[i] == "run" || m_measure[i] == "CPM3" {
            continue;
        }
        let rows = (0..detail.height()).filter(|&j| d_period[j] == m_period[i] && d_measure[j] == m_measure[i]);
        let (counted, within) = rows.fold((0, 0), |(c, w), j| (c + d_counted[j], w + d_within[j]));
        assert_eq!((counted, within), (m_counted[i], m_within[i]), "{} {}", m_period[i], m_measure[i]);
        checked += 1;
    }
    assert!(checked >= 1);
}
