//! Sweeps: shards that combine to the whole, Student t intervals, and what a sweep
//! records of its runs' status. A failing run cannot be made to
//! happen from the command line on purpose (no scenario is known to fail), so the
//! failure path itself is tested in `models::sweep_runner` (a job that panics)
//! and `report::sweep` (its rows written, summarised and combined); here, a sweep
//! where every run finishes says so in every output, and exits 0.

use std::fs;

use super::{SWEEP, Sandbox, read_parquet, stderr, stdout};

#[test]
fn a_sweep_where_every_run_finishes_marks_each_ok_and_lists_no_failure() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("sweep.toml", SWEEP);
    let o = sb.dccsim(&["sweep", scenario.to_str().unwrap(), "--quiet", "--out", "s"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("failed") && !stderr(&o).contains("fail"), "{}{}", stdout(&o), stderr(&o));
    // Point 0's 8 DSP servers are overloaded on purpose (its TRTs run to minutes):
    // the sweep says so before it starts, naming the point, and runs it all the same.
    let warned = "warning: quickstart, sweep point 0 (dsp.servers = 8): the busiest hour offers the dsp";
    assert!(stderr(&o).contains(warned), "{}", stderr(&o));
    assert!(!stderr(&o).contains("sweep point 1"), "64 servers keep up: {}", stderr(&o));
    let reps = read_parquet(&sb.path("s/replications.parquet"));
    let status: Vec<Option<&str>> = reps.column("status").unwrap().str().unwrap().iter().collect();
    assert_eq!(status, [Some("ok"); 6]);
    assert_eq!(reps.column("error").unwrap().null_count(), 6);
    assert_eq!(reps.column("trt_mean_s").unwrap().null_count(), 0);
    let points = read_parquet(&sb.path("s/sweep.parquet"));
    let count = |name: &str| points.column(name).unwrap().u32().unwrap().into_no_null_iter().collect::<Vec<_>>();
    assert_eq!((count("replications"), count("failed")), (vec![3, 3], vec![0, 0]));
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("s/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["failed"], serde_json::json!([]));
}

#[test]
fn combine_refuses_a_shard_of_an_older_output_schema_and_says_to_rerun_it() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("sweep.toml", SWEEP);
    for i in 0..2 {
        let (shard, out) = (format!("{i}/2"), format!("shard{i}"));
        let o = sb.dccsim(&["sweep", scenario.to_str().unwrap(), "--quiet", "--shard", &shard, "--out", &out]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let manifest = sb.path("shard1/manifest.json");
    let text = fs::read_to_string(&manifest).unwrap();
    let version = format!("\"schema_version\": {}", report::SCHEMA_VERSION);
    assert!(text.contains(&version), "{text}");
    fs::write(&manifest, text.replace(&version, "\"schema_version\": 4")).unwrap();
    let o = sb.dccsim(&["combine", "shard0", "shard1", "--out", "joined"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("shard1: written with output schema 4"), "{}", stderr(&o));
    assert!(stderr(&o).contains("rerun the shard"), "{}", stderr(&o));
    assert!(!sb.path("joined").exists(), "nothing may be written");
}

#[test]
fn a_sharded_sweep_combines_to_exactly_the_unsharded_one() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("sweep.toml", SWEEP);
    let s = scenario.to_str().unwrap();
    let o = sb.dccsim(&["sweep", s, "--quiet", "--out", "whole"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("dsp.servers"), "{}", stdout(&o));
    for i in 0..2 {
        let shard = format!("{i}/2");
        let out = format!("shard{i}");
        let o = sb.dccsim(&["sweep", s, "--quiet", "--shard", &shard, "--out", &out]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(!sb.path(&out).join("sweep.parquet").exists(), "a shard alone is not a sweep");
    }
    let o = sb.dccsim(&["combine", "shard1", "shard0", "--out", "joined"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for table in ["replications.parquet", "sweep.parquet"] {
        assert_eq!(
            fs::read(sb.path("whole").join(table)).unwrap(),
            fs::read(sb.path("joined").join(table)).unwrap(),
            "{table} differs"
        );
    }
    let o = sb.dccsim(&["combine", "shard0", "--out", "half"]);
    assert_eq!(o.status.code(), Some(2), "half a sweep is bad input");
    assert!(stderr(&o).contains("1 of 2 shards given"), "{}", stderr(&o));
    let o = sb.dccsim(&["combine", "shard0", "nowhere", "--out", "half"]);
    assert_eq!(o.status.code(), Some(2), "a missing shard is bad input");
    assert!(stderr(&o).contains("nowhere: not a readable sweep shard"), "{}", stderr(&o));
    assert!(!sb.path("half").exists(), "nothing may be written");
}

#[test]
fn sweep_confidence_intervals_are_student_t_over_replications() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("sweep.toml", SWEEP);
    let o = sb.dccsim(&["sweep", scenario.to_str().unwrap(), "--quiet", "--out", "s"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let reps = read_parquet(&sb.path("s/replications.parquet"));
    let points = read_parquet(&sb.path("s/sweep.parquet"));
    assert_eq!((reps.height(), points.height()), (6, 2));
    let trt = reps.column("trt_mean_s").unwrap().f64().unwrap();
    let values: Vec<f64> = (0..3).map(|i| trt.get(i).unwrap()).collect();
    let mean = values.iter().sum::<f64>() / 3.0;
    let sd = (values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    let half = 4.303 * sd / 3f64.sqrt(); // t(0.975, 2 d.o.f.) = 4.303
    let get = |name: &str| points.column(name).unwrap().f64().unwrap().get(0).unwrap();
    assert!((get("trt_mean_s_mean") - mean).abs() < 1e-12);
    assert!((get("trt_mean_s_ci95_high") - (mean + half)).abs() < 1e-9);
    assert!((get("trt_mean_s_ci95_low") - (mean - half)).abs() < 1e-9);
    assert!(half > 0.0, "replications differ: their streams are distinct");
    // Fewer DSP servers cannot mean shorter waits: the sweep moved the figures.
    let wait = points.column("dsp_mean_wait_s_mean").unwrap().f64().unwrap();
    assert!(wait.get(0).unwrap() > wait.get(1).unwrap());
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("sweep.toml", SWEEP);
    let o = sb.dccsim(&["sweep", scenario.to_str().unwrap(), "--shard", "2/2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("need 0 ≤ I < N"), "{}", stderr(&o));
}
