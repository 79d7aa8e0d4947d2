//! The `dccsim` command as a user meets it. One test binary for all CLI tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use polars::prelude::*;

#[path = "cli/check.rs"]
mod check;
/// Docs that hold: every file a document cites exists.
#[path = "cli/docs.rs"]
mod docs;
/// Exit codes and error messages.
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/interruptions.rs"]
mod interruptions;
#[path = "cli/mpi.rs"]
mod mpi;
/// Reports that answer first: storm, sweep and rollout.
#[path = "cli/reports.rs"]
mod reports;
#[path = "cli/rollout.rs"]
mod rollout;
/// The resolved scenario, the manifest, completions, man page and progress.
#[path = "cli/self_describing.rs"]
mod self_describing;
#[path = "cli/tables.rs"]
mod tables;
#[path = "cli/targets.rs"]
mod targets;
use tables::{read_parquet, table_bytes};
/// Sweeps: shards, intervals, and what a finished sweep records of its runs.
#[path = "cli/sweep.rs"]
mod sweep;
#[path = "cli/threads.rs"]
mod threads;

const QUICKSTART: &str = include_str!("../scenarios/quickstart.toml");

/// A scratch folder with a scenario file in it.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("a temp dir") }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a scenario: the quickstart with `edits` applied as (from, to) replacements.
    fn scenario(&self, name: &str, edits: &[(&str, &str)]) -> PathBuf {
        let mut text = QUICKSTART.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "quickstart has no {from:?}");
            text = text.replacen(from, to, 1);
        }
        let path = self.path(name);
        fs::write(&path, text).unwrap();
        path
    }

    fn dccsim(&self, args: &[&str]) -> Output {
        self.dccsim_with(args, &[])
    }

    /// Runs dccsim with extra environment variables.
    fn dccsim_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_dccsim"))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.dir.path())
            .output()
            .expect("dccsim runs")
    }
}

/// Every file under `dir`, by its path inside it, with its bytes, in path order.
fn files_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.strip_prefix(dir).unwrap().display().to_string(), fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A small, fast study: 10,000 premises, five minutes.
const SMALL: &[(&str, &str)] = &[
    ("premises = 100_000", "premises = 10_000"),
    ("horizon_s = 3600.0", "horizon_s = 300.0"),
    ("shards = 1", "shards = 2"),
];

/// `[output] rows` changes the row tables and nothing else: a sample holds exactly
/// the rows of the premises whose id is a multiple of `sample_one_in`.
#[test]
fn the_rows_setting_changes_the_row_tables_and_nothing_else() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let scenario = scenario.to_str().unwrap();
    let run = |rows: &str| {
        let out = sb.path(rows);
        let set = format!("output.rows={rows}");
        let args = ["run", scenario, "--set", &set, "--set", "output.sample_one_in=7", "--quiet", "--out"];
        let o = sb.dccsim(&[&args[..], &[out.to_str().unwrap()]].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        out
    };
    let (all, sample, none) = (run("all"), run("sample"), run("none"));
    for file in ["summary.json", "performance.parquet", "stages.parquet", "cells.parquet"] {
        let a = fs::read(all.join(file)).unwrap();
        assert!(a == fs::read(sample.join(file)).unwrap() && a == fs::read(none.join(file)).unwrap(), "{file} differs");
    }
    assert!(!none.join("service_requests").exists());
    let premises = |dir: &Path| -> Vec<u32> {
        let df = read_parquet(&dir.join("service_requests"));
        df.column("premises_id").unwrap().u32().unwrap().into_no_null_iter().collect()
    };
    let every = premises(&all);
    let expected: Vec<u32> = every.iter().copied().filter(|p| p % 7 == 0).collect();
    assert!(expected.len() > 100 && expected.len() < every.len() / 3, "{} of {}", expected.len(), every.len());
    assert_eq!(premises(&sample), expected);
}

#[test]
fn the_service_request_table_is_complete_and_consistent() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Default output folder: output/<scenario name>.
    let dir = sb.path("output/quickstart");
    let df = read_parquet(&dir.join("service_requests"));
    let names: Vec<&str> = df.get_column_names().into_iter().map(|n| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "sr_id",
            "srv",
            "user_role",
            "user",
            "stream",
            "mode",
            "critical",
            "premises_id",
            "csp_region",
            "smets1",
            "submitted_s",
            "submitted_utc",
            "wait_for_gateway_s",
            "refusals",
            "refused_by",
            "quarantined",
            "responded_s",
            "responded_utc",
            "user_signing_s",
            "execution_s",
            "execution_utc",
            "trt_s",
            "target_s",
            "within_target",
            "outcome"
        ]
    );
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let submitted = summary["trt"][0]["submitted"].as_u64().unwrap();
    assert_eq!(df.height() as u64, submitted);
    assert!(submitted > 5_000);
    let trt = df.column("trt_s").unwrap().f64().unwrap();
    let sub = df.column("submitted_s").unwrap().f64().unwrap();
    let resp = df.column("responded_s").unwrap().f64().unwrap();
    for i in 0..df.height() {
        let (t, s, r) = (trt.get(i).unwrap(), sub.get(i).unwrap(), resp.get(i).unwrap());
        assert!((r - s - t).abs() < 1e-6, "row {i}: trt_s is responded_s − submitted_s");
        assert!(s < 300.0, "submissions stop at the horizon");
    }
    let within = df.column("within_target").unwrap().bool().unwrap().sum().unwrap() as f64;
    let pct = summary["trt"][0]["within_target_pct"].as_f64().unwrap();
    assert!((100.0 * within / submitted as f64 - pct).abs() < 1e-9);
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["scenario"], "quickstart");
    assert_eq!(manifest["seed"], 1);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
    // Five events carry each answered request to a SMETS2 premises: its
    // submission, leaving the User Gateway (the DSP's processing follows at once),
    // arrival at the cell (the downlink's airtime follows), the device's response
    // back at the hub (the uplink's airtime), and arrival at the DSP (response
    // processing, then the answer). A SMETS1 one takes four: the cell's two give
    // way to the hand-over to the SMETS1 service providers. Queues and pure delays
    // are folded into the next event's time; a lost message adds its retry timer.
    assert_eq!(summary["trt"][0]["unfinished"], 0);
    let smets1 = df.column("smets1").unwrap().bool().unwrap().sum().unwrap() as u64;
    assert!(smets1 > submitted / 4 && smets1 < submitted / 2, "{smets1} of {submitted} to SMETS1 premises");
    let least = 5 * (submitted - smets1) + 4 * smets1;
    let events = manifest["events"].as_u64().unwrap();
    assert!(events >= least && events < least + submitted / 5, "{events} events for {submitted} requests");
    assert!(stdout(&o).contains("Busiest stage"));
}

#[test]
fn a_bad_scenario_exits_2_with_its_place_and_writes_nothing() {
    let sb = Sandbox::new();
    let bad = sb.scenario("bad.toml", &[("servers = 64", "servers = -3")]);
    let o = sb.dccsim(&["run", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("bad.toml:58:11:"), "{err}");
    assert!(err.contains("`dsp.servers`: -3 is out of range; allowed: 1 to 100000"), "{err}");
    assert!(!sb.path("output").exists(), "nothing may be written");

    let o = sb.dccsim(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn out_of_range_values_name_the_key_and_the_allowed_range() {
    let sb = Sandbox::new();
    let bad = sb.scenario("bad.toml", &[("per_csp_region = 2", "per_csp_region = 5000")]);
    let o = sb.dccsim(&["check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.toml:39:18: `partitions.per_csp_region`: 5000 is out of range; allowed: 1 to 1024"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_accepts_every_shipped_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut checked = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let sb = Sandbox::new();
            let o = sb.dccsim(&["check", path.to_str().unwrap()]);
            assert!(o.status.success(), "{}: {}", path.display(), stderr(&o));
            assert!(stdout(&o).contains(": ok ("));
            checked += 1;
        }
    }
    assert!(checked >= 1);
}

#[test]
fn the_seed_flag_overrides_the_scenario() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let s = scenario.to_str().unwrap();
    assert!(sb.dccsim(&["run", s, "--quiet", "--out", "a", "--seed", "7"]).status.success());
    assert!(sb.dccsim(&["run", s, "--quiet", "--out", "b"]).status.success());
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("a/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 7);
    assert_ne!(table_bytes(&sb.path("a/service_requests")), table_bytes(&sb.path("b/service_requests")));
}

#[test]
fn a_set_flag_runs_exactly_what_editing_the_file_runs() {
    let sb = Sandbox::new();
    let plain = sb.scenario("small.toml", SMALL);
    let mut edited_edits = SMALL.to_vec();
    edited_edits.push(("servers = 64", "servers = 3"));
    let edited = sb.scenario("edited.toml", &edited_edits);
    let o = sb.dccsim(&["run", plain.to_str().unwrap(), "--quiet", "--out", "a", "--set", "dsp.servers=3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = sb.dccsim(&["run", edited.to_str().unwrap(), "--quiet", "--out", "b"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = sb.dccsim(&["run", plain.to_str().unwrap(), "--quiet", "--out", "c"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let table = |dir: &str| table_bytes(&sb.path(&format!("{dir}/service_requests")));
    assert_eq!(table("a"), table("b"), "--set dsp.servers=3 is the file with 3 DSP servers");
    assert_ne!(table("a"), table("c"), "and 3 servers queue where 64 do not");
}

#[test]
fn a_bad_set_value_exits_2_naming_the_flag_and_what_is_allowed() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    for command in ["run", "check", "sweep"] {
        let o = sb.dccsim(&[command, scenario.to_str().unwrap(), "--set", "dsp.servers=-1"]);
        assert_eq!(o.status.code(), Some(2), "{command}");
        let err = stderr(&o);
        assert!(err.contains("--set dsp.servers=-1: `dsp.servers`: -1 is out of range; allowed: 1 to 100000"), "{err}");
    }
    assert!(!sb.path("output").exists(), "nothing may be written");
    let o = sb.dccsim(&["check", scenario.to_str().unwrap(), "--set", "dsp.serverz=3"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("--set dsp.serverz=3: `dsp.serverz`: unknown key `serverz`") && err.contains("allowed: `shards`"),
        "{err}"
    );
}

#[test]
fn explain_prints_the_registry_entry_of_a_key() {
    let sb = Sandbox::new();
    let o = sb.dccsim(&["explain", "dsp.servers"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "dsp.servers (network study, `[dsp]`: Data Service Provider)\n  unit:    count\n  default: 64\n  \
         range:   1 to 100,000\n  meaning: servers per shard (assumption)\n"
    );
    let o = sb.dccsim(&["explain", "dsp.serverz"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`dsp.serverz` is not a scenario key"), "{}", stderr(&o));
}

#[test]
fn list_shows_every_key_every_shipped_scenario_and_the_catalogue() {
    let sb = Sandbox::new();
    let keys = stdout(&sb.dccsim(&["list", "keys"]));
    let registry: usize = models::scenario::keys::tables().map(|t| t.keys.len()).sum();
    assert_eq!(keys.lines().count(), registry);
    assert!(keys.lines().any(|l| l.starts_with("rollout  rollout.hubs.tolerance_share")), "{keys}");
    let scenarios = stdout(&sb.dccsim(&["list", "scenarios", concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")]));
    let shipped = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "toml"))
        .count();
    assert_eq!(scenarios.lines().count(), shipped, "{scenarios}");
    assert!(scenarios.lines().any(|l| l.starts_with("dsp_capacity_sweep.toml") && l.contains(" sweep ")));
    let srvs = stdout(&sb.dccsim(&["list", "srvs"]));
    let catalogue = models::catalogue::Catalogue::builtin().entries().len();
    assert_eq!(srvs.lines().count(), catalogue + 2, "a legend, a header and one line per SRV");
    assert!(srvs.lines().any(|l| l.starts_with("11.1 ") && l.contains("86400s")), "{srvs}");
}

#[test]
fn help_is_stable() {
    let sb = Sandbox::new();
    insta::assert_snapshot!("help", stdout(&sb.dccsim(&["--help"])));
    insta::assert_snapshot!("run_help", stdout(&sb.dccsim(&["run", "--help"])));
}

/// A small sweep: two DSP sizes, three replications, two minutes each.
const SWEEP: &[(&str, &str)] = &[
    ("premises = 100_000", "premises = 5_000"),
    ("horizon_s = 3600.0", "horizon_s = 120.0"),
    (
        "on_demand_trt_s = 30.0",
        "on_demand_trt_s = 30.0\n\n[sweep]\nreplications = 3\n\n[sweep.parameters]\n\"dsp.servers\" = [8, 64]\n",
    ),
];

#[test]
fn logs_only_when_asked_and_never_on_stdout() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let s = scenario.to_str().unwrap();
    let quiet = sb.dccsim(&["run", s, "--out", "a"]);
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "", "no progress bar or logs when stderr is not a terminal");
    let loud = sb.dccsim(&["-v", "run", s, "--out", "b"]);
    let err = stderr(&loud);
    assert!(err.contains("INFO run starting scenario=quickstart"), "{err}");
    assert!(err.contains("run finished events="), "{err}");
    assert!(err.contains("outputs written dir="), "{err}");
    let first_line = |o: &Output| stdout(o).lines().next().map(str::to_string);
    assert_eq!(first_line(&quiet), first_line(&loud), "stdout is the same with -v");
}

#[test]
fn every_shipped_scenario_runs_to_a_report() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut ran = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let sb = Sandbox::new();
        // Small enough for a test, whatever the study's own size.
        let o = sb.dccsim(&["run", path.to_str().unwrap(), "--quiet", "--out", "run", "--scale", "0.0005"]);
        assert!(o.status.success(), "{}: {}", path.display(), stderr(&o));
        let html = fs::read_to_string(sb.path("run/report.html")).unwrap();
        let name = path.file_stem().unwrap().to_str().unwrap();
        assert!(html.contains(name), "{name}: the report names its scenario");
        assert_eq!(html.matches("<svg").count(), 3, "{name}: every figure is in the report");
        ran += 1;
    }
    assert!(ran >= 5);
}

#[test]
fn scale_overrides_the_population_and_is_range_checked() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let s = scenario.to_str().unwrap();
    let o = sb.dccsim(&["run", s, "--quiet", "--out", "a", "--scale", "0.0002"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let df = read_parquet(&sb.path("a/service_requests"));
    let max_premises = df.column("premises_id").unwrap().u32().unwrap().max().unwrap();
    assert!(max_premises < 5_980, "0.0002 of GB is 5,980 premises; saw id {max_premises}");
    let o = sb.dccsim(&["run", s, "--scale", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("allowed: 0.000001 to 1.5"), "{}", stderr(&o));
}

#[test]
fn code_performance_measures_agree_with_the_request_table() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("small.toml", SMALL);
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--quiet", "--out", "r"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let perf = read_parquet(&sb.path("r/performance.parquet"));
    let requests = read_parquet(&sb.path("r/service_requests"));
    let measure = perf.column("measure").unwrap().str().unwrap();
    let period = perf.column("period").unwrap().str().unwrap();
    let run_cpm1 =
        (0..perf.height()).find(|&i| measure.get(i) == Some("CPM1") && period.get(i) == Some("run")).unwrap();
    let counted = perf.column("counted").unwrap().u64().unwrap().get(run_cpm1).unwrap();
    let within = perf.column("within_target").unwrap().u64().unwrap().get(run_cpm1).unwrap();
    assert_eq!(counted as usize, requests.height(), "every On Demand read is counted");
    assert_eq!(within, requests.column("within_target").unwrap().bool().unwrap().sum().unwrap() as u64);
    // The default start date is 2026-01-01 and the run lasts minutes: one month.
    assert_eq!(period.get(0), Some("2026-01"));
    let status = perf.column("status").unwrap().str().unwrap().get(run_cpm1).unwrap();
    let value = 100.0 * within as f64 / counted as f64;
    let expected = if value >= 99.0 {
        "met"
    } else if value >= 96.0 {
        "below_target"
    } else {
        "below_minimum"
    };
    assert_eq!(status, expected);
    assert!(stdout(&o).contains("Code Performance Measures"));
}

#[test]
fn a_substation_trip_writes_alert_and_outage_tables_that_agree() {
    let sb = Sandbox::new();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/substation_trip.toml");
    let o = sb.dccsim(&["run", path.to_str().unwrap(), "--quiet", "--out", "trip", "--scale", "0.002"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Power outages and alerts: 2 faults"), "{}", stdout(&o));
    let alerts = read_parquet(&sb.path("trip/alerts"));
    let outages = read_parquet(&sb.path("trip/outages.parquet"));
    assert_eq!(outages.height(), 2);
    let level = outages.column("level").unwrap().str().unwrap();
    let levels: Vec<&str> = (0..2).map(|i| level.get(i).unwrap()).collect();
    assert_eq!(levels, ["primary", "feeder"]);
    // The transient feeder fault (45 s) raised nothing; the primary's AD1s all
    // belong to it, come 180 s after supply was lost, and their latency adds up.
    let fault = alerts.column("fault_id").unwrap().u32().unwrap();
    assert!(fault.into_no_null_iter().all(|f| f == 0));
    let code = alerts.column("alert_code").unwrap().str().unwrap();
    let lost = alerts.column("power_lost_s").unwrap().f64().unwrap();
    let raised = alerts.column("raised_s").unwrap().f64().unwrap();
    let delivered = alerts.column("delivered_s").unwrap().f64().unwrap();
    let latency = alerts.column("latency_s").unwrap().f64().unwrap();
    let outcome = alerts.column("outcome").unwrap().str().unwrap();
    let role = alerts.column("recipient_role").unwrap().str().unwrap();
    let mut ad1_to_dno = 0;
    for i in 0..alerts.height() {
        if code.get(i) == Some("AD1") {
            assert!((raised.get(i).unwrap() - lost.get(i).unwrap() - 180.0).abs() < 1e-6);
        }
        assert_eq!(delivered.get(i).is_some(), outcome.get(i) == Some("delivered"));
        if let (Some(d), Some(l)) = (delivered.get(i), latency.get(i)) {
            assert!((d - raised.get(i).unwrap() - l).abs() < 1e-6);
        }
        ad1_to_dno +=
            usize::from(code.get(i) == Some("AD1") && role.get(i) == Some("ED") && delivered.get(i).is_some());
    }
    let reported = outages.column("premises_reported").unwrap().u64().unwrap().get(0).unwrap();
    assert_eq!(reported as usize, ad1_to_dno, "one AD1 per premises reached the DNO");
    let first = outages.column("first_alert_at_dno_s").unwrap().f64().unwrap();
    assert!(first.get(0).unwrap() > 280.0, "two reclose shots (100 s) and 180 s before the first AD1");
    assert_eq!(first.get(1), None);
    // CPM3 counts the copies DCC had to deliver.
    let perf = read_parquet(&sb.path("trip/performance.parquet"));
    let measure = perf.column("measure").unwrap().str().unwrap();
    let period = perf.column("period").unwrap().str().unwrap();
    let row = (0..perf.height()).find(|&i| measure.get(i) == Some("CPM3") && period.get(i) == Some("run")).unwrap();
    let counted = perf.column("counted").unwrap().u64().unwrap().get(row).unwrap();
    let owed =
        (0..alerts.height()).filter(|&i| matches!(outcome.get(i), Some("delivered" | "failed" | "unfinished"))).count();
    assert_eq!(counted as usize, owed);
    let manifest = fs::read_to_string(sb.path("trip/manifest.json")).unwrap();
    assert!(manifest.contains("alerts/part-00000.parquet") && manifest.contains("outages.parquet"));
    let summary = fs::read_to_string(sb.path("trip/summary.json")).unwrap();
    assert!(summary.contains("\"dno_latency_s\""));
}

#[test]
fn a_bad_outage_names_its_place_and_what_is_allowed() {
    let sb = Sandbox::new();
    let bad = sb.scenario(
        "bad.toml",
        &[(
            "[partitions]",
            "[[outages.faults]]\nlevel = \"pylon\"\narea = \"atlantis\"\nstart_s = 99999\nduration_s = 60\n\n[partitions]",
        )],
    );
    let o = sb.dccsim(&["run", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("unknown value \"pylon\"; allowed: `feeder`, `secondary`, `primary`, `area`"), "{err}");
    assert!(err.contains("unknown value \"atlantis\"; allowed: `east_england`,"), "{err}");
    let line_of =
        |needle: &str| fs::read_to_string(&bad).unwrap().lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(err.contains(&format!("bad.toml:{}:", line_of("pylon"))), "{err}");
    assert!(err.contains(&format!("bad.toml:{}:", line_of("atlantis"))), "{err}");
    // A start after the horizon compares two keys: it is reported once the words read.
    let late = fs::read_to_string(&bad).unwrap().replace("pylon", "feeder").replace("atlantis", "london");
    fs::write(&bad, late).unwrap();
    let err = stderr(&sb.dccsim(&["run", bad.to_str().unwrap()]));
    assert!(err.contains("`outages.faults.0.start_s`: 99999 is out of range; allowed: 0 to 3600"), "{err}");
    assert!(!sb.path("output").exists(), "nothing may be written");
}

/// A quarter (92 days) runs, and the monthly Code Performance Measures count each
/// calendar month's requests: a Poisson count at the stream's rate, within four
/// standard deviations.
#[test]
fn a_quarter_runs_and_each_month_counts_its_own_requests() {
    let sb = Sandbox::new();
    let scenario = sb.scenario("quarter.toml", &[("premises = 100_000", "premises = 2_000")]);
    let sets = ["scenario.horizon_s=7948800", "traffic.streams.0.rate_per_s=0.01", "measurement.start_date=2026-01-01"];
    let mut args = vec!["run", scenario.to_str().unwrap(), "--quiet", "--out", "q"];
    for set in &sets {
        args.extend(["--set", set]);
    }
    let o = sb.dccsim(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let df = read_parquet(&sb.path("q/performance.parquet"));
    let period = df.column("period").unwrap().str().unwrap();
    let measure = df.column("measure").unwrap().str().unwrap();
    let counted = df.column("counted").unwrap().u64().unwrap();
    let cpm1 = |month: &str| {
        (0..df.height())
            .find(|&i| period.get(i) == Some(month) && measure.get(i) == Some("CPM1"))
            .and_then(|i| counted.get(i))
            .unwrap_or_else(|| panic!("no CPM1 row for {month}"))
    };
    // January, February, March and the two days of April the 92 days reach.
    for (month, days) in [("2026-01", 31.0), ("2026-02", 28.0), ("2026-03", 31.0), ("2026-04", 2.0)] {
        let expected: f64 = days * 86_400.0 * 0.01;
        let got = cpm1(month) as f64;
        assert!((got - expected).abs() < 4.0 * expected.sqrt() + 1.0, "{month}: {got} requests, expected {expected}");
    }
}
