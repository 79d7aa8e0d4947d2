//! Rollout studies from the command line: their table, calibration, determinism,
//! bad input, and the handover of a month's fleet to a network study.

use super::*;

const ROLLOUT_HISTORY: &str = include_str!("../../scenarios/rollout_history.toml");

impl Sandbox {
    /// Writes the rollout history study with `edits` applied.
    fn rollout(&self, name: &str, edits: &[(&str, &str)]) -> PathBuf {
        let mut text = ROLLOUT_HISTORY.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "rollout_history has no {from:?}");
            text = text.replacen(from, to, 1);
        }
        let path = self.path(name);
        fs::write(&path, text).unwrap();
        path
    }
}

#[test]
fn a_rollout_study_writes_its_monthly_table_and_reproduces_the_published_base() {
    let sb = Sandbox::new();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rollout_history.toml");
    let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--quiet", "--out", "r"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Calibration: published against simulated"), "{}", stdout(&o));
    let df = read_parquet(&sb.path("r/rollout.parquet"));
    let names: Vec<&str> = df.get_column_names().into_iter().map(|n| n.as_str()).collect();
    for column in [
        "month",
        "supplier",
        "dno_area",
        "csp_region",
        "installs_attempted",
        "installs_succeeded",
        "no_wan_installs",
        "commissioned",
        "enrolled_total",
        "ch_forecast",
        "ch_ordered",
        "ch_delivered",
        "ch_stock",
        "coverage_pct",
    ] {
        assert!(names.contains(&column), "no column {column}: {names:?}");
    }
    assert_eq!(df.height(), 48 * 7 * 14, "one row per month, supplier and DNO area");
    // The premises of one month add up to all GB (DOMAIN §7: 29.9 m).
    let months = df.column("month").unwrap().str().unwrap();
    let per_row = df.column("premises").unwrap().u64().unwrap();
    let premises: u64 =
        (0..df.height()).filter(|&i| months.get(i) == Some("2021-01")).map(|i| per_row.get(i).unwrap()).sum();
    assert!((premises as f64 - 29.9e6).abs() < 200.0, "{premises}");
    let attempted = df.column("installs_attempted").unwrap().u64().unwrap().sum().unwrap();
    let succeeded = df.column("installs_succeeded").unwrap().u64().unwrap().sum().unwrap();
    let failed = df.column("installs_failed").unwrap().u64().unwrap().sum().unwrap();
    assert_eq!(attempted, succeeded + failed);
    let summary: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("r/summary.json")).unwrap()).unwrap();
    let calibration = summary["calibration"].as_array().unwrap();
    assert!(calibration.len() >= 8);
    for c in calibration {
        assert!(c["error_pct"].as_f64().unwrap().abs() <= 5.0, "{c}");
    }
    let manifest: serde_json::Value = serde_json::from_slice(&fs::read(sb.path("r/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "rollout");
    assert_eq!(manifest["files"].as_array().unwrap().len(), 7);
    assert_eq!(manifest["start"], "2021-01", "{manifest}");
}

#[test]
fn rollout_tables_are_byte_identical_with_1_and_2_threads() {
    let sb = Sandbox::new();
    let scenario = sb.rollout("r.toml", &[("scale = 1.0", "scale = 0.05")]);
    let mut tables = Vec::new();
    for threads in ["1", "2"] {
        let out = format!("t{threads}");
        let o = sb.dccsim(&["run", scenario.to_str().unwrap(), "--quiet", "--threads", threads, "--out", &out]);
        assert!(o.status.success(), "{}", stderr(&o));
        tables.push((
            fs::read(sb.path(&out).join("rollout.parquet")).unwrap(),
            fs::read(sb.path(&out).join("summary.json")).unwrap(),
        ));
    }
    assert!(tables[0].0.len() > 10_000);
    assert_eq!(tables[0], tables[1]);
}

#[test]
fn a_bad_rollout_study_exits_2_with_its_place_and_writes_nothing() {
    let sb = Sandbox::new();
    let bad = sb.rollout("bad.toml", &[("tolerance_share = 0.15", "tolerance_share = 1.5")]);
    for command in ["run", "check"] {
        let o = sb.dccsim(&[command, bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        let err = stderr(&o);
        assert!(
            err.contains("bad.toml:75:19: `rollout.hubs.tolerance_share`: 1.5 is out of range; allowed: 0 to 1"),
            "{err}"
        );
    }
    let good = sb.rollout("good.toml", &[]);
    let o = sb.dccsim(&["sweep", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a rollout study has no [sweep]"), "{}", stderr(&o));
    assert!(!sb.path("output").exists(), "nothing may be written");
}

#[test]
fn a_network_study_runs_on_the_enrolled_fleet_of_a_rollout_month() {
    let sb = Sandbox::new();
    sb.rollout("rollout.toml", &[("scale = 1.0", "scale = 0.01")]);
    let network = sb.scenario(
        "fleet.toml",
        &[
            (
                "premises = 100_000 ",
                "from_rollout = { scenario = \"rollout.toml\", month = \"2023-03\", fraction = 0.02 } ",
            ),
            ("horizon_s = 3600.0", "horizon_s = 60.0"),
        ],
    );
    let o = sb.dccsim(&["check", network.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // About 26 m meters on the network in March 2023, at 1.67 per premises, 1% of GB, 2% of it.
    let premises: u64 = stdout(&o).split(": ").nth(2).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!((2_800..3_400).contains(&premises), "{}", stdout(&o));
    let late = sb.scenario(
        "late.toml",
        &[("premises = 100_000 ", "from_rollout = { scenario = \"rollout.toml\", month = \"2031-01\" } ")],
    );
    let o = sb.dccsim(&["check", late.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("2031-01 is outside the rollout study rollout_history; allowed: 2021-01 to 2024-12"),
        "{}",
        stderr(&o)
    );
}
